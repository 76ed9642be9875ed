package dev.hotline.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.RtpCallee;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OUT-1 predictive, the abandon path end to end: two numbers dialled for two ready agents, one agent leaves before they
 * answer; the first answered number reaches the remaining agent, the second finds none within 2 s: it hears the short
 * message naming the enterprise and is hung up, counts in the abandon rate of both windows (which the campaign view shows
 * with the dial level and the reason of its last change: the brake), and is not due again for 72 hours.
 */
class PredictiveDialerTest {
    static final String PW = TestServer.DEMO_PASSWORD;

    @Test
    void anAnsweredNumberWithNoAgentWithinTwoSecondsIsAbandonedHearsTheMessageAndCountsInTheAbandonRate() throws Exception {
        Path dir = Files.createTempDirectory("predictive");
        try (TestServer server = TestServer.start(TestDatabases.Kind.H2, Map.of("sip.default.enterprise", "demo"));
             RtpCallee callee = RtpCallee.start(server.hotline().engine().sipPort(), number -> new RtpCallee.Script(1500, null, 15000))) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            ApiClient agentA = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
            ApiClient agentB = ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", PW);
            long a = agentA.get("/api/v1/me").json().get("id").asLong();
            long b = agentB.get("/api/v1/me").json().get("id").asLong();
            long trunk = admin.post("/api/v1/trunks", Map.of("name", "carrier", "host", "127.0.0.1", "port", callee.port(), "allowedIps", List.of()))
                    .json().get("id").asLong();
            SipPeers peers = new SipPeers(dir, server.hotline().engine().sipPort());
            int portA = Ports.free();
            int portB = Ports.free();
            Sipp.Run phoneA = peers.phone(portA);
            Sipp.Run phoneB = peers.phone(portB);
            try {
                peers.register("1001", PW, portA, "200");
                peers.register("1002", PW, portB, "200");
                Map<String, Object> s = new HashMap<>();
                s.put("trunkId", trunk);
                s.put("callerIds", List.of("4000100", "4000101"));
                s.put("agentIds", List.of(a, b));
                s.put("ringSeconds", 20);
                var made = admin.post("/api/v1/campaigns", Map.of("name", "predictive-e2e", "mode", "predictive", "settings", s));
                assertThat(made.status()).as(made.toString()).isEqualTo(201);
                long id = made.json().get("id").asLong();
                var imp = admin.upload("POST", "/api/v1/campaigns/" + id + "/contacts", "list.csv",
                        "number,name\n13900000001,A\n13900000002,B\n".getBytes(StandardCharsets.UTF_8));
                assertThat(imp.status()).as(imp.toString()).isEqualTo(201);
                for (ApiClient ag : List.of(agentA, agentB)) {
                    assertThat(ag.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
                    assertThat(ag.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
                }
                assertThat(admin.post("/api/v1/campaigns/" + id + "/state", Map.of("state", "running")).status()).isEqualTo(200);

                // Warm-up: one number per ready agent, two calls at once, with the caller IDs of the pool in turn.
                await("two numbers dialled").atMost(Duration.ofSeconds(10)).until(() -> callee.calls().size() == 2);
                // Agent B leaves before the numbers answer (they ring 1.5 s).
                assertThat(agentB.put("/api/v1/agent/state", Map.of("state", "not_ready", "reason", "break")).status()).isEqualTo(200);
                assertThat(callee.calls()).extracting(c -> c.from).containsExactlyInAnyOrder("4000100", "4000101");

                await("one answered, one abandoned").atMost(Duration.ofSeconds(20)).until(() -> outcomes(admin, id),
                        o -> o.contains("answered") && o.contains("abandoned"));
                List<String> ev = new ArrayList<>();
                admin.get("/api/v1/campaigns/" + id + "/events").json().forEach(e -> ev.add(e.get("data").asText()));
                String abandoned = ev.stream().filter(e -> e.contains("outcome=abandoned")).findFirst().orElseThrow();
                assertThat(abandoned).contains("reason=no_agent").contains("message=true");
                long waited = Long.parseLong(abandoned.replaceAll(".*waitMs=(\\d+).*", "$1"));
                assertThat(waited).as(abandoned).isBetween(2000L, 3000L);
                String number = abandoned.replaceAll(".*number=(\\d+).*", "$1");
                assertThat(ev.stream().filter(e -> e.contains("outcome=answered")).findFirst().orElseThrow()).contains("agent=" + a);

                // The abandoned person heard the message (about 6 s of speech) and the server hung up.
                RtpCallee.Call call = callee.calls().stream().filter(c -> c.number.equals(number)).findFirst().orElseThrow();
                await("the message heard, then hung up").atMost(Duration.ofSeconds(20)).until(() -> call.ended);
                assertThat(call.endedBy).isEqualTo("server");
                List<long[]> spans = call.soundSpans();
                long sound = spans.stream().mapToLong(x -> x[1] - x[0]).sum();
                assertThat(sound).as("ms of sound heard by the abandoned person").isGreaterThan(2500);

                // Not due again for 72 hours.
                JsonNode contact = null;
                for (JsonNode c : admin.get("/api/v1/campaigns/" + id + "/contacts").json()) if (c.get("number").asText().equals(number)) contact = c;
                assertThat(contact.get("state").asText()).isEqualTo("pending");
                assertThat(Instant.parse(contact.get("nextAt").asText())).isAfter(Instant.now().plus(Duration.ofHours(71)));

                // The campaign view: both windows, the dial level, the brake as the reason and its last change.
                JsonNode live = await("the brake").atMost(Duration.ofSeconds(5)).until(() -> admin.get("/api/v1/campaigns/" + id).json().get("live"),
                        l -> l != null && l.get("reason").asText().startsWith("brake"));
                assertThat(live.get("answers24h").asLong()).isEqualTo(2);
                assertThat(live.get("abandons24h").asLong()).isEqualTo(1);
                assertThat(live.get("abandonRate24h").asDouble()).isEqualTo(0.5);
                assertThat(live.get("answers30d").asLong()).isEqualTo(2);
                assertThat(live.get("abandonRate30d").asDouble()).isEqualTo(0.5);
                assertThat(live.get("reason").asText()).contains("abandon rate 24 h 50.00 %, 30 d 50.00 %");
                assertThat(live.get("lastChange").asText()).contains("→ brake");
                assertThat(live.has("dialLevel")).isTrue();
                assertThat(admin.post("/api/v1/campaigns/" + id + "/state", Map.of("state", "stopped")).status()).isEqualTo(200);
            } finally {
                phoneA.kill();
                phoneB.kill();
            }
        }
    }

    static List<String> outcomes(ApiClient admin, long id) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : admin.get("/api/v1/campaigns/" + id + "/contacts").json()) out.add(c.path("lastOutcome").asText());
        return out;
    }
}
