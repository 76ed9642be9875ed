package dev.hotline.scratch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PhoneHoldScratchTest {
    static final String PW = TestServer.DEMO_PASSWORD;

    @Test
    void dump() throws Exception {
        Path sippDir = Files.createTempDirectory("scratch-hold-sipp");
        try (TestServer server = TestServer.start()) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            assertThat(admin.post("/api/v1/numbers", Map.of("number", "4691", "destinationType", "queue", "destination", "sales")).status()).isEqualTo(201);
            server.hotline().acd().settle();
            SipPeers peers = new SipPeers(sippDir, server.hotline().engine().sipPort());
            int port = dev.hotline.engine.testing.Ports.free();
            Sipp.Run phone = peers.uas("uas_answer_hold", port, SipPeers.vars("x", "HOLDAFTER", "1500", "HELD", "3000"));
            try {
                peers.register("1001", PW, port, "200");
                ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
                assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
                assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
                try (dev.hotline.testing.RtpCaller caller = dev.hotline.testing.RtpCaller.call(server.hotline().engine().sipPort(), "13700000001", "4691")) {
                    caller.quiet(8_000);
                    await().pollDelay(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(8)).until(() -> true);
                    caller.bye();
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/api/v1/calls").json().toString().contains("13700000001"));
                Thread.onSpinWait();
                JsonNode calls = admin.get("/api/v1/calls").json();
                System.out.println("CALLS " + calls.toPrettyString());
                for (JsonNode c : calls.path("items").isMissingNode() ? calls : calls.get("items")) {
                    String id = c.get("callId").asText();
                    System.out.println("EVENTS " + id + " " + admin.get("/api/v1/calls/" + id + "/events").json().toPrettyString());
                }
                System.out.println("QUEUES " + admin.get("/api/v1/reports/queues?tz=" + java.time.ZoneId.systemDefault().getId()).json().toPrettyString());
            } finally {
                phone.kill();
            }
        }
    }
}
