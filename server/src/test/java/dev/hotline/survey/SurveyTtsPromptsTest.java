package dev.hotline.survey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.RtpCaller;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MSG-4 with the queue's prompts given as text for the TTS (espeak-ng): the queue support asks for the score and thanks in
 * words of its own. A caller of the test's own ({@link RtpCaller}) is answered by agent 1's SIP phone, which hangs up after
 * 2.5 s; the caller hears the score prompt exactly as long as the TTS preview of its text, presses 2, hears the thanks as
 * long as the preview of that text, and is hung up by the server; the survey event says satisfied, for agent 1 in support.
 */
class SurveyTtsPromptsTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static final String SCORE = "请为刚才的服务打分，非常满意请按一，满意请按二，不满意请按三";
    static final String THANKS = "谢谢您的评价，祝您生活愉快，再见";

    @Test
    void promptsGivenAsTextAreSpokenAndTheKeyIsRecorded() throws Exception {
        assertThat(Path.of("/usr/bin/espeak-ng")).as("install espeak-ng (apt-get install espeak-ng): the TTS of this test").exists();
        Path dir = Files.createTempDirectory("survey-tts");
        Sipp.Run phone = null;
        try (TestServer server = TestServer.start()) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            JsonNode support = null;
            for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("support")) support = q;
            assertThat(support).isNotNull();
            var put = admin.put("/api/v1/queues/" + support.get("id").asLong(), Map.of("name", "support", "strategy",
                    support.get("strategy").asText(), "settings", Map.of("ringTimeoutSeconds", 10, "survey", Map.of("enabled", true,
                            "language", "zh", "scorePrompt", SCORE, "thanksPrompt", THANKS))));
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
            assertThat(admin.get("/api/v1/queues").body()).contains(SCORE);
            assertThat(admin.post("/api/v1/numbers", Map.of("number", "4695", "destinationType", "queue", "destination", "support")).status())
                    .isEqualTo(201);
            server.hotline().acd().settle();
            long scoreMs = previewMs(server, admin, SCORE);
            long thanksMs = previewMs(server, admin, THANKS);
            assertThat(scoreMs).as("the two texts are told apart by their length").isGreaterThan(thanksMs + 500);

            int port = Ports.free();
            var vars = SipPeers.vars("x", "PAUSE", "2500");
            vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
            phone = Sipp.start(dir, "uas_bye", vars, null, port, List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)), "-m", "5",
                    "-timeout", "120"));
            Sipp.awaitUdpBound(port);
            new SipPeers(dir, server.hotline().engine().sipPort()).register("1001", PW, port, "200");
            ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
            long agent1 = agent.get("/api/v1/me").json().get("id").asLong();
            assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);

            List<long[]> spans;
            try (RtpCaller caller = RtpCaller.call(server.hotline().engine().sipPort(), "13900000401", "4695")) {
                // Whatever sounds before (the queue's music), the score prompt is the stretch of speech as long as its preview.
                int from = 0;
                for (int i = 0; i < 6; i++) {
                    from = caller.awaitSoundThenQuiet(from, 1500);
                    List<long[]> heard = caller.soundSpans(0, 1000);
                    long[] last = heard.get(heard.size() - 1);
                    if (Math.abs(last[1] - last[0] - scoreMs) <= 40) break;
                }
                caller.keys("2");
                caller.awaitServerBye(); // the thanks, then the call ends
                spans = caller.soundSpans(0, 1000);
            }
            assertThat(spans.size()).as("the score prompt and the thanks").isGreaterThanOrEqualTo(2);
            long[] score = spans.get(spans.size() - 2);
            long[] thanks = spans.get(spans.size() - 1);
            // Lengths in RTP time, give or take a 20 ms frame at each end (as IvrCallsTest measures a TTS prompt).
            assertThat(score[1] - score[0]).as("score prompt heard, preview %d ms", scoreMs).isBetween(scoreMs - 40, scoreMs + 40);
            assertThat(thanks[1] - thanks[0]).as("thanks heard, preview %d ms", thanksMs).isBetween(thanksMs - 40, thanksMs + 40);

            JsonNode record = await("the call's record").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> admin.get("/api/v1/calls?number=13900000401").json().get("items"), items -> items.size() == 1).get(0);
            List<String> surveys = new ArrayList<>();
            for (JsonNode e : admin.get("/api/v1/calls/" + record.get("callId").asText() + "/events").json()) {
                if (e.get("type").asText().equals("survey")) surveys.add(e.get("data").asText());
            }
            assertThat(surveys).containsExactly("queue=support agent=" + agent1 + " result=answered score=2");
        } finally {
            if (phone != null) phone.kill();
        }
    }

    /** The length of the speech of {@code text} (zh) as the TTS preview renders it, in ms. */
    static long previewMs(TestServer server, ApiClient admin, String text) throws Exception {
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl()
                        + "/api/v1/tts/preview?language=zh&text=" + java.net.URLEncoder.encode(text, StandardCharsets.UTF_8)))
                .header("Cookie", admin.cookieHeader()).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        List<long[]> spans = RtpCaller.spans(RtpCaller.frames(RtpCaller.samples(r.body())), 1000);
        assertThat(spans).as("the preview of " + text + " is one stretch of speech").hasSize(1);
        return spans.get(0)[1] - spans.get(0)[0];
    }


}
