package dev.hotline.ice;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.acd.Acd;
import dev.hotline.engine.call.WebRtcConnection;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.CtiClient;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * MEDIA-6 switch over the API: {@code /settings/webrtc} (Opus on by default); a browser phone's offer over CTI and a
 * widget visitor's offer are answered with Opus while it is on and with G.711 once it is off; switching tells the
 * desks connected with the other codec to offer again ({@code webrtc.reoffer}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebRtcSettingsTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static final String SITE = "https://shop.example";
    TestServer server;
    ApiClient admin;

    @BeforeAll
    void start() {
        server = TestServer.start(TestDatabases.Kind.H2, Map.of());
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
    }

    /** A browser's offer as Chromium writes it: Opus first, then G.711, telephone-event at both clocks. */
    static String offer(String ufrag) {
        String fingerprint = String.join(":", Collections.nCopies(32, "AB"));
        return String.join("\r\n", "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0",
                "a=msid-semantic: WMS stream", "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "c=IN IP4 0.0.0.0",
                "a=rtcp:9 IN IP4 0.0.0.0", "a=ice-ufrag:" + ufrag, "a=ice-pwd:abcdefghijklmnopqrstuvwx", "a=ice-options:trickle",
                "a=fingerprint:sha-256 " + fingerprint, "a=setup:actpass", "a=mid:0", "a=sendrecv", "a=rtcp-mux",
                "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1", "a=rtpmap:63 red/48000/2",
                "a=rtpmap:9 G722/8000", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000", "a=rtpmap:13 CN/8000",
                "a=rtpmap:110 telephone-event/48000", "a=rtpmap:126 telephone-event/8000", "");
    }

    @Test
    void opusIsOnByDefaultAndSwitchedOffTheNextOfferIsAnsweredWithG711() throws Exception {
        assertThat(admin.get("/api/v1/settings/webrtc").json().get("opus").asBoolean()).as("on by default").isTrue();
        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        assertThat(agent.put("/api/v1/settings/webrtc", Map.of("opus", false)).status()).as("an agent may not").isEqualTo(403);
        var bad = admin.put("/api/v1/settings/webrtc", Map.of());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("opus");
        long agentId = agent.get("/api/v1/me").json().get("id").asLong();
        String key = Acd.webRtcKey(agentId);
        long salesId = -1;
        for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("sales")) salesId = q.get("id").asLong();
        var w = admin.post("/api/v1/widgets", Map.of("name", "opus-switch", "queueId", salesId, "origins", List.of(SITE)));
        assertThat(w.status()).as(w.toString()).isEqualTo(201);
        String widgetKey = w.json().get("key").asText();

        try (CtiClient desk = CtiClient.connect(agent, server.baseUrl())) {
            desk.next("hello");
            // on: the browser phone's connection and a visitor's call are Opus
            assertThat(desk.command("webrtc.offer", Map.of("sdp", offer("deskufrag1"))).path("type").asText()).isEqualTo("ok");
            String answer = desk.next("webrtc.answer").get("sdp").asText();
            assertThat(answer).contains("a=rtpmap:111 opus/48000/2").doesNotContain("PCMU");
            assertThat(codec(key)).isEqualTo("opus");
            assertThat(widgetCallAnswer(widgetKey)).contains("opus/48000/2");

            // off: the desk is told to offer again; its next connection, and the next visitor's call, are G.711
            var off = admin.put("/api/v1/settings/webrtc", Map.of("opus", false));
            assertThat(off.status()).as(off.toString()).isEqualTo(200);
            assertThat(admin.get("/api/v1/settings/webrtc").json().get("opus").asBoolean()).isFalse();
            assertThat(desk.next("webrtc.reoffer").get("opus").asBoolean()).isFalse();
            desk.command("webrtc.offer", Map.of("sdp", offer("deskufrag2")));
            String g711 = desk.next("webrtc.answer").get("sdp").asText();
            assertThat(g711).containsPattern("m=audio \\d+ UDP/TLS/RTP/SAVPF 0 126\r\n").doesNotContain("opus");
            assertThat(codec(key)).isEqualTo("PCMU");
            assertThat(widgetCallAnswer(widgetKey)).contains("a=rtpmap:0 PCMU/8000").doesNotContain("opus");

            // setting it to what the desk already has tells nobody; on again: told again
            assertThat(admin.put("/api/v1/settings/webrtc", Map.of("opus", false)).status()).isEqualTo(200);
            assertThat(admin.put("/api/v1/settings/webrtc", Map.of("opus", true)).status()).isEqualTo(200);
            assertThat(desk.next("webrtc.reoffer").get("opus").asBoolean()).isTrue();
            assertThat(desk.seen()).noneMatch(m -> m.path("type").asText().equals("webrtc.reoffer"));
        } finally {
            admin.put("/api/v1/settings/webrtc", Map.of("opus", true));
            server.hotline().engine().webRtcDisconnect(key);
        }
        List<String> audit = admin.get("/api/v1/audit?action=settings.webrtc&limit=10").json().findValuesAsText("detail");
        assertThat(audit).contains("opus=false", "opus=true");
    }

    private String codec(String key) {
        return server.hotline().engine().webRtcConnection(key).map(WebRtcConnection::codec).orElse("none");
    }

    /** A visitor's call through the widget: the SDP answer (the call is hung up at once). */
    private String widgetCallAnswer(String widgetKey) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String body = Json.object("sdp", offer("visitor" + System.nanoTime()), "page", SITE + "/shop/");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/public/widget/" + widgetKey + "/calls"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "text/plain").header("Origin", SITE)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode started = dev.hotline.web.Json.MAPPER.readTree(r.body());
        HttpResponse<String> hangup = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/public/widget/" + widgetKey
                        + "/calls/" + started.get("token").asText() + "/hangup")).timeout(Duration.ofSeconds(10)).header("Origin", SITE)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(hangup.statusCode()).as(hangup.body()).isBetween(200, 204);
        return started.get("sdp").asText();
    }

    /** Tiny JSON object writer for the test's request bodies. */
    private static final class Json {
        static String object(String... kv) {
            var n = dev.hotline.web.Json.MAPPER.createObjectNode();
            for (int i = 0; i < kv.length; i += 2) n.put(kv[i], kv[i + 1]);
            return n.toString();
        }
    }
}
