package dev.hotline.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.acd.AgentState;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.Chromium;
import dev.hotline.testing.RtpCaller;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * SUP-2 on the supervisor's browser phone: the lead, signed in on the desk with the browser phone (WebRTC, Chromium's fake
 * microphone), supervises agent 1's queue call (agent 1 on a silent SIPp phone, the customer an RtpCaller speaking a tone).
 * The supervision rings the lead's desk, whose banner answers it in the browser; listen is active on the API, the lead's
 * browser hears the customer (the audio energy it receives rises) while the customer hears nothing of the lead; switched to
 * barge, the customer hears the lead's microphone.
 */
class SupervisorBrowserPhoneTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static final String QUEUE_NUMBER = "4695";

    static JsonNode supervision(ApiClient lead, String id) {
        for (JsonNode s : lead.get("/api/v1/supervision").json()) if (s.get("id").asText().equals(id)) return s;
        return null;
    }

    static long loud(RtpCaller customer, int from) {
        List<RtpCaller.Heard> all = customer.heard();
        return all.subList(Math.min(from, all.size()), all.size()).stream().filter(h -> h.rms() >= RtpCaller.SOUND_RMS).count();
    }

    /** 10 s of 16-bit mono 48 kHz: 250 ms bursts of 600 Hz and 1000 Hz in turn, each followed by 250 ms of silence. */
    static byte[] bursts() throws Exception {
        int rate = 48_000;
        int frames = rate * 10;
        byte[] pcm = new byte[frames * 2];
        for (int i = 0; i < frames; i++) {
            int slot = i / (rate / 4);
            double hz = slot % 4 == 0 ? 600 : slot % 4 == 2 ? 1000 : 0;
            short v = hz == 0 ? 0 : (short) (12000 * Math.sin(2 * Math.PI * hz * i / rate));
            pcm[2 * i] = (byte) v;
            pcm[2 * i + 1] = (byte) (v >> 8);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.sound.sampled.AudioSystem.write(new javax.sound.sampled.AudioInputStream(new java.io.ByteArrayInputStream(pcm),
                new javax.sound.sampled.AudioFormat(rate, 16, 1, true, false), frames), javax.sound.sampled.AudioFileFormat.Type.WAVE, out);
        return out.toByteArray();
    }

    @Test
    void theLeadsBrowserPhoneIsRungAnswersListensAndBargesIn() throws Exception {
        Path dir = Files.createTempDirectory("supervisor-webrtc");
        // The lead's microphone: Chromium's fake capture device playing a file of tone bursts (250 ms of 600 or 1000 Hz, 250 ms
        // of silence; looped), loud enough and not steady, so the browser's noise suppression lets it through.
        Path voice = dir.resolve("lead-voice.wav");
        Files.write(voice, bursts());
        Chromium browser = Chromium.start(List.of("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required", "--use-file-for-fake-audio-capture=" + voice),
                List.of("WebRtcHideLocalIpsWithMdns"));
        try (TestServer server = TestServer.start(); DeskBrowserTest.Desk lead = new DeskBrowserTest.Desk(null, "lead", browser)) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            ApiClient leadApi = ApiClient.loggedIn(server.baseUrl(), "demo", "lead", PW);
            long enterprise = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
            long queueId = -1;
            for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("sales")) queueId = q.get("id").asLong();
            // No announcement: what the customer hears comes from the silent agent and the supervisor only.
            var put = admin.put("/api/v1/queues/" + queueId, Map.of("name", "sales", "strategy", "linear", "settings", Map.of("ringTimeoutSeconds", 30)));
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
            assertThat(admin.post("/api/v1/numbers", Map.of("number", QUEUE_NUMBER, "destinationType", "queue", "destination", "sales")).status())
                    .isEqualTo(201);
            server.hotline().acd().settle();

            // Agent 1 on a SIPp phone that answers and sends nothing.
            int port = Ports.free();
            var vars = SipPeers.vars("x");
            vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
            Sipp.Run phone = Sipp.start(dir, "uas_answer", vars, null, port, List.of("-mp", Integer.toString(Ports.free(4)), "-m", "10", "-timeout", "120"));
            try {
                Sipp.awaitUdpBound(port);
                new SipPeers(dir, server.hotline().engine().sipPort()).register("1001", PW, port, "200");
                ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
                long agent1 = agent.get("/api/v1/me").json().get("id").asLong();
                assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
                assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);

                // The lead signs in (their home is the monitor), opens the desk and checks in with the browser phone (not ready).
                lead.driver().get(server.baseUrl() + "/login.html");
                lead.js().executeScript("localStorage.clear(); localStorage.setItem('hotline.lang', 'en')");
                lead.driver().get(server.baseUrl() + "/login.html");
                lead.type("login-enterprise", "demo");
                lead.type("login-username", "lead");
                lead.type("login-password", PW);
                lead.click("login-submit");
                lead.waitFor(ExpectedConditions.urlContains("/supervisor.html"));
                lead.driver().get(server.baseUrl() + "/agent.html");
                lead.waitFor(d -> "open".equals(lead.el("cti-status").getAttribute("data-status")));
                lead.checkInWebRtc();

                try (RtpCaller customer = RtpCaller.call(server.hotline().engine().sipPort(), "13912349901", QUEUE_NUMBER)) {
                    customer.tone(60_000);
                    await("agent 1 talking").atMost(Duration.ofSeconds(15)).until(() -> server.hotline().acd().agentView(enterprise, agent1)
                            .map(a -> a.state() == AgentState.ON_CALL).orElse(false));

                    var started = leadApi.post("/api/v1/supervision", Map.of("agentId", agent1, "mode", "listen"));
                    assertThat(started.status()).as(started.toString()).isEqualTo(201);
                    String id = started.json().get("id").asText();
                    assertThat(started.json().get("state").asText()).isEqualTo("ringing");
                    // The lead's desk rings with the supervision's leg; the lead answers it in the browser.
                    lead.waitFor(d -> {
                        for (JsonNode c : lead.state().path("calls")) if (c.path("legId").asText().equals(id)) return c.path("state").asText().equals("ringing");
                        return false;
                    });
                    double energyBefore = lead.stats().get("audioEnergy").asDouble();
                    lead.click("desk-banner-answer");
                    JsonNode on = await("listening").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                            .until(() -> supervision(leadApi, id), s -> s != null && s.get("state").asText().equals("active"));
                    assertThat(on.get("mode").asText()).isEqualTo("listen");
                    lead.waitFor(d -> {
                        for (JsonNode c : lead.state().path("calls")) if (c.path("legId").asText().equals(id)) return c.path("state").asText().equals("talking");
                        return false;
                    });
                    // The lead's browser hears the customer's tone; the customer hears nothing of the lead's microphone.
                    lead.waitFor(d -> lead.stats().get("audioEnergy").asDouble() - energyBefore > 0.01);
                    int from = customer.heard().size();
                    await("listening: the customer hears nothing").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                            .pollInterval(Duration.ofMillis(50)).until(() -> loud(customer, from) == 0);

                    var barge = leadApi.put("/api/v1/supervision/" + id, Map.of("mode", "barge"));
                    assertThat(barge.status()).as(barge.toString()).isEqualTo(200);
                    assertThat(supervision(leadApi, id).get("mode").asText()).isEqualTo("barge");
                    int bargedAt = customer.heard().size();
                    // The lead's microphone (the bursts): the customer hears it now.
                    await("barged in: the customer hears the lead").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                            .until(() -> loud(customer, bargedAt) >= 2);
                    assertThat(lead.chrome.scriptErrors()).as("errors in the lead's browser console").isEmpty();
                    customer.bye();
                }
                await("the supervision ends with the call").atMost(Duration.ofSeconds(10)).until(() -> leadApi.get("/api/v1/supervision").json().isEmpty());
                assertThat(agent.delete("/api/v1/agent/session").status()).isLessThan(300);
            } finally {
                phone.kill();
            }
        }
    }
}
