package dev.hotline.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SEC-3: stopping the server in the middle of a recorded call loses nothing; signed-in agents are signed in again. */
class RestartTest {
    @TempDir
    Path work;

    @Test
    void aStopMidCallClosesTheCallRecordAndFinalisesTheRecording() throws Exception {
        String db = TestDatabases.migrated(TestDatabases.Kind.H2);
        Path data = Files.createTempDirectory("hotline-restart");
        Map<String, String> settings = Map.of("db.url", db, "data.dir", data.toString());
        TestServer first = TestServer.start(TestDatabases.Kind.H2, settings);
        int sip = first.hotline().engine().sipPort();
        ApiClient admin = ApiClient.loggedIn(first.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        assertThat(admin.put("/api/v1/settings/recording", Map.of("policy", "all", "format", "ulaw", "stereo", false, "retentionDays", 7))
                .status()).isEqualTo(200);
        int phone = Ports.free();
        SipPeers peers = new SipPeers(work, sip);
        peers.register("1001", TestServer.DEMO_PASSWORD, phone, "200");
        Sipp.Run callee = peers.uas("uas_answer", phone, SipPeers.vars("13600000001"));
        Sipp.Run caller = peers.uac("uac_call", "4010", SipPeers.vars("13600000001", "PAUSE", "30000"));
        await("call up").atMost(Duration.ofSeconds(10)).until(() -> first.hotline().engine().channels().stream()
                .filter(c -> c.state().isAnswered()).count() == 2);
        await("some audio recorded").atMost(Duration.ofSeconds(10)).until(() -> first.hotline().engine().channels().stream()
                .anyMatch(c -> c.counters().packetsIn() > 50));
        first.close(); // the operator stops the server mid-call
        caller.kill();
        callee.kill();

        TestServer second = TestServer.start(TestDatabases.Kind.H2, settings);
        try {
            ApiClient admin2 = ApiClient.loggedIn(second.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
            JsonNode calls = admin2.get("/api/v1/calls?number=13600000001").json();
            assertThat(calls.get("total").asLong()).as("the call has its record").isEqualTo(1);
            JsonNode call = calls.get("items").get(0);
            assertThat(call.get("outcome").asText()).isEqualTo("answered");
            assertThat(call.get("hangupBy").asText()).isEqualTo("system");
            JsonNode recs = admin2.get("/api/v1/recordings?number=13600000001").json();
            assertThat(recs.get("total").asLong()).as("the recording was registered").isEqualTo(1);
            Path file = Files.walk(data.resolve("recordings")).filter(p -> p.toString().endsWith(".wav")).findFirst().orElseThrow();
            try (var in = AudioSystem.getAudioInputStream(file.toFile())) {
                assertThat(in.getFrameLength()).as("a valid WAV with the audio so far").isGreaterThan(4000);
            }
            assertThat(recs.get("items").get(0).get("durationMs").asLong()).isGreaterThan(500);
        } finally {
            second.close();
        }
    }

    /** The agent's own view of their state over HTTP: "state reason device deviceNumber". */
    static String agentState(TestServer server, String user) {
        JsonNode v = ApiClient.loggedIn(server.baseUrl(), "demo", user, TestServer.DEMO_PASSWORD).get("/api/v1/agent/state").json();
        return v.get("state").asText() + " " + v.path("reason").asText("-") + " " + v.path("device").asText("-") + " "
                + v.path("deviceNumber").asText("-");
    }

    @Test
    void agentsSignedInBeforeAStopAreSignedInAgainAfterItOnTheSameDeviceAndState() throws Exception {
        String db = TestDatabases.migrated(TestDatabases.Kind.H2);
        Path data = Files.createTempDirectory("hotline-restart-agents");
        Map<String, String> settings = Map.of("db.url", db, "data.dir", data.toString());
        TestServer first = TestServer.start(TestDatabases.Kind.H2, settings);
        String before1;
        String before2;
        try {
            ApiClient one = ApiClient.loggedIn(first.baseUrl(), "demo", "agent1", TestServer.DEMO_PASSWORD);
            // An outside number (routable through the demo's outbound route): a SIP phone must be registered to be ready.
            assertThat(one.post("/api/v1/agent/session", Map.of("device", "external", "number", "13800002222")).status()).isEqualTo(200);
            assertThat(one.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
            ApiClient two = ApiClient.loggedIn(first.baseUrl(), "demo", "agent2", TestServer.DEMO_PASSWORD);
            var external = two.post("/api/v1/agent/session", Map.of("device", "external", "number", "13800001111"));
            assertThat(external.status()).as(external.toString()).isEqualTo(200);
            assertThat(two.put("/api/v1/agent/state", Map.of("state", "not_ready", "reason", "meeting")).status()).isEqualTo(200);
            ApiClient three = ApiClient.loggedIn(first.baseUrl(), "demo", "agent3", TestServer.DEMO_PASSWORD);
            assertThat(three.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            assertThat(three.delete("/api/v1/agent/session").status()).isEqualTo(200);
            before1 = agentState(first, "agent1");
            before2 = agentState(first, "agent2");
            assertThat(before1).isEqualTo("ready - external 13800002222");
            assertThat(before2).isEqualTo("not_ready meeting external 13800001111");
        } finally {
            first.close();
        }
        TestServer second = TestServer.start(TestDatabases.Kind.H2, settings);
        try {
            assertThat(agentState(second, "agent1")).isEqualTo(before1);
            assertThat(agentState(second, "agent2")).isEqualTo(before2);
            assertThat(agentState(second, "agent3")).as("logged out before: stays out").startsWith("logged_out ");
            // Restored as they were: no new entry in their logs, and the supervisors' board shows them.
            ApiClient admin = ApiClient.loggedIn(second.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
            JsonNode board = admin.get("/api/v1/agents").json();
            assertThat(board.findParents("jobNumber").stream().filter(a -> a.get("jobNumber").asText().equals("8001")).findFirst().orElseThrow()
                    .get("state").asText()).isEqualTo("ready");
        } finally {
            second.close();
        }
    }
}
