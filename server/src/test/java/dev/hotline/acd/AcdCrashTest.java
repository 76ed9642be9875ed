package dev.hotline.acd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.ChildServer;
import dev.hotline.testing.SipPeers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6, SEC-3: the server is killed with SIGKILL while a queue call is connected to an agent who
 * logged in from the phone with feature codes. At the next start the call is closed as
 * "system_restart" with what the queue did (queue, agent, wait), and the agent is signed in again.
 */
class AcdCrashTest {
    static final String PW = "crash-pass-123";
    @TempDir
    Path data;
    @TempDir
    Path work;

    @Test
    void aQueueCallCutByAKillIsClosedAtTheNextStartAndTheAgentIsBack() throws Exception {
        int sip = ChildServer.freePort();
        ChildServer first = ChildServer.start(data, PW, Map.of("HOTLINE_HTTP_PORT", String.valueOf(ChildServer.freePort()),
                "HOTLINE_SIP_PORT", String.valueOf(sip)));
        Sipp.Run phone = null;
        Sipp.Run caller = null;
        try {
            ApiClient admin = ApiClient.loggedIn(first.url(), "demo", "admin", PW);
            assertThat(admin.post("/api/v1/numbers", Map.of("number", "4699", "destinationType", "queue", "destination", "sales")).status())
                    .isEqualTo(201);
            SipPeers peers = new SipPeers(work, sip);
            int port = Ports.free();
            phone = peers.uas("uas_answer", port, SipPeers.vars("x"));
            peers.register("1001", PW, port, "200");
            // AGENT-1 from the phone: *21 logs in with this phone, *23 is ready.
            SipPeers.ok(peers.uac("uac_auth_wait_bye", "*21", SipPeers.vars("1001"), "-au", "1001", "-ap", PW));
            SipPeers.ok(peers.uac("uac_auth_wait_bye", "*23", SipPeers.vars("1001"), "-au", "1001", "-ap", PW));

            caller = peers.uac("uac_wait_bye", "4699", SipPeers.vars("13911112222"));
            Sipp.Run agentPhone = phone;
            // Connected once the agent's phone got its ACK (agent announce plays first, then the bridge).
            await("agent answered").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> agentPhone.logs().contains("ACK sip:"));
            // Connected after the agent announce: the live figures count it; the event log writes it within a batch (~100 ms).
            await("caller connected").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
                for (JsonNode q : admin.get("/api/v1/queues/live").json()) {
                    if (q.get("name").asText().equals("sales") && q.get("answered").asLong() >= 1) return true;
                }
                return false;
            });
            // The kill comes once the event log holds the connection (its writer lags the live figures under load).
            String callId = await("the live call").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                List<String> ids = admin.get("/api/v1/live-calls?scope=enterprise").json().findValuesAsText("callId");
                return ids.isEmpty() ? null : ids.get(0);
            }, java.util.Objects::nonNull);
            await("queue_connect written").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> admin
                    .get("/api/v1/calls/" + callId + "/events").json().findValuesAsText("type").contains("queue_connect"));
        } finally {
            first.kill();
            if (caller != null) caller.kill();
            if (phone != null) phone.kill();
        }

        ChildServer second = ChildServer.start(data, null);
        try {
            ApiClient admin = ApiClient.loggedIn(second.url(), "demo", "admin", PW);
            JsonNode r = await("closed call").atMost(Duration.ofSeconds(10)).until(() -> {
                for (JsonNode x : admin.get("/api/v1/calls?number=13911112222").json().get("items")) return Optional.of(x);
                return Optional.<JsonNode>empty();
            }, Optional::isPresent).get();
            assertThat(r.get("hangupCause").asText()).isEqualTo("system_restart");
            assertThat(r.get("hangupBy").asText()).isEqualTo("system");
            assertThat(r.get("queue").asText()).isEqualTo("sales");
            String timeline = admin.get("/api/v1/calls/" + r.get("callId").asText() + "/events").body();
            assertThat(r.get("queueResult").asText()).as(timeline).isEqualTo("answered");
            assertThat(r.get("agentJob").asText()).isEqualTo("8001");
            assertThat(r.get("waitMs").asLong()).isBetween(0L, 10_000L);
            List<String> types = admin.get("/api/v1/calls/" + r.get("callId").asText() + "/events").json().findValuesAsText("type");
            assertThat(types).containsSubsequence("arrived", "queue_join", "queue_offer", "queue_connect", "closed");
            assertThat(second.output()).contains("closed 1 call(s) left unfinished");
            // AGENT-1 / SEC-3: agent 1 was on the call when the server died: signed in again on the same phone, ready,
            // and the change is in their log with the cause restart.
            JsonNode agent = ApiClient.loggedIn(second.url(), "demo", "agent1", PW).get("/api/v1/agent/state").json();
            assertThat(agent.get("state").asText()).isEqualTo("ready");
            assertThat(agent.get("device").asText()).isEqualTo("sip");
            long agent1 = admin.get("/api/v1/users").json().findParents("username").stream()
                    .filter(u -> u.get("username").asText().equals("agent1")).findFirst().orElseThrow().get("id").asLong();
            JsonNode last = admin.get("/api/v1/agents/" + agent1 + "/events?limit=1").json().get(0);
            assertThat(last.get("state").asText()).isEqualTo("ready");
            assertThat(last.get("previous").asText()).isEqualTo("on_call");
            assertThat(last.get("cause").asText()).isEqualTo("restart");
        } finally {
            assertThat(second.stop()).isTrue();
        }
    }
}
