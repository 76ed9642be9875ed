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

/** SEC-3: stopping the server in the middle of a recorded call loses nothing. */
class RestartTest {
    @TempDir
    Path work;

    @Test
    void aStopMidCallClosesTheCallRecordAndFinalisesTheRecording() throws Exception {
        String db = TestDatabases.fresh(TestDatabases.Kind.H2);
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
}
