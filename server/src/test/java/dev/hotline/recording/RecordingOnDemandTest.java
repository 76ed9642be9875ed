package dev.hotline.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.media.WavReader;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * REC-1 on demand, end to end: a queue call (SIPp caller playing speech from a pcap) reaches agent 1's SIP phone;
 * the agent's API starts recording mid-call, pauses, resumes and stops it. The WAV is silent (every sample zero) over
 * the paused stretch and carries speech around it; the file's LIST/INFO comment and the call's events mark the gap.
 * The per-extension policy records a call of a listed extension with the enterprise policy off.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordingOnDemandTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    TestServer server;
    ApiClient admin;
    final List<Sipp.Run> phones = new ArrayList<>();
    @TempDir
    Path work;

    @BeforeAll
    void start() {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4696", "destinationType", "queue", "destination", "sales")).status())
                .isEqualTo(201);
        // The demo's sales queue records its calls (the per-queue policy): off here, so that the agent decides.
        long sales = 0;
        for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("sales")) sales = q.get("id").asLong();
        var r = admin.put("/api/v1/queues/" + sales, Map.of("name", "sales", "strategy", "linear", "settings", Map.of("record", false)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        // Nor does the enterprise policy record calls here.
        assertThat(admin.put("/api/v1/settings/recording", Map.of("policy", "none", "format", "pcm", "stereo", true, "retentionDays", 30))
                .status()).isEqualTo(200);
        server.hotline().acd().settle();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @AfterEach
    void cleanUp() {
        server.hotline().engine().channels().forEach(ch -> ch.hangup(HangupCause.NORMAL_CLEARING));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.hotline().engine().channels().isEmpty());
        phones.forEach(Sipp.Run::kill);
        phones.clear();
    }

    SipPeers peers() {
        return new SipPeers(work, server.hotline().engine().sipPort());
    }

    /** A SIP phone answering every call (echoing RTP) registered as {@code extension}. */
    void phone(String extension) throws Exception {
        int port = Ports.free();
        Map<String, String> vars = SipPeers.vars("x");
        vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
        Sipp.Run phone = Sipp.start(work, "uas_answer", vars, null, port,
                List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)), "-m", "100", "-timeout", "120"));
        Sipp.awaitUdpBound(port);
        phones.add(phone);
        peers().register(extension, PW, port, "200");
    }

    JsonNode recording(String callId) {
        return await("recording of " + callId).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (JsonNode r : admin.get("/api/v1/recordings?limit=500").json().get("items")) {
                if (r.get("callId").asText().equals(callId)) return r;
            }
            return null;
        }, r -> r != null);
    }

    long position(ApiClient api, String leg) {
        return api.get("/api/v1/live-calls/" + leg + "/recording").json().get("positionMs").asLong();
    }

    @Test
    void theAgentStartsPausesResumesAndStopsARecordingAndThePauseIsSilentAndMarked() throws Exception {
        phone("1001");
        ApiClient api = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        assertThat(api.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
        assertThat(api.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
        Sipp.Run caller = peers().uac("uac_wait_bye", "4696", SipPeers.vars("13966660077"));
        JsonNode live = await("the queue call reaches agent 1").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.get("/api/v1/live-calls").json(), l -> l.size() == 1 && l.at("/0/call/state").asText().equals("talking"));
        String leg = live.at("/0/call/legId").asText();
        String callId = live.at("/0/call/callId").asText();
        String path = "/api/v1/live-calls/" + leg + "/recording";

        assertThat(api.get(path).json().get("recording").asBoolean()).isFalse();
        var bad = api.post(path, Map.of("action", "rewind"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("fieldErrors").findValuesAsText("field")).contains("action");
        assertThat(api.post(path, Map.of("action", "pause")).status()).isEqualTo(409); // nothing to pause yet
        assertThat(ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", PW).post(path, Map.of("action", "start")).status()).isEqualTo(404);

        var started = api.post(path, Map.of("action", "start"));
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(started.json().get("recording").asBoolean()).isTrue();
        assertThat(api.post(path, Map.of("action", "start")).status()).isEqualTo(409);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> position(api, leg) >= 800);
        var paused = api.post(path, Map.of("action", "pause"));
        assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
        assertThat(paused.json().get("paused").asBoolean()).isTrue();
        long pausedAt = paused.json().at("/gaps/0/fromMs").asLong();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> position(api, leg) >= pausedAt + 1000);
        var resumed = api.post(path, Map.of("action", "resume"));
        assertThat(resumed.status()).isEqualTo(200);
        long resumedAt = resumed.json().at("/gaps/0/toMs").asLong();
        assertThat(resumedAt - pausedAt).isBetween(900L, 3000L);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> position(api, leg) >= resumedAt + 800);
        var stopped = api.post(path, Map.of("action", "stop"));
        assertThat(stopped.status()).isEqualTo(200);
        assertThat(stopped.json().get("recording").asBoolean()).isFalse();

        // The file: speech before and after, nothing at all in the paused stretch.
        JsonNode rec = recording(callId);
        var audio = admin.getBytes("/api/v1/recordings/" + rec.get("id").asLong() + "/audio");
        assertThat(audio.status()).isEqualTo(200);
        Path wav = work.resolve("on-demand.wav");
        Files.write(wav, audio.body());
        var pcm = WavReader.decode(wav);
        short[] s = pcm.mono();
        int rate = pcm.sampleRate();
        int from = (int) (pausedAt * rate / 1000);
        int to = (int) (resumedAt * rate / 1000);
        assertThat(rms(s, from + rate / 25, to - rate / 25)).as("paused stretch").isZero();
        // Speech around it: SIPp's sample has quiet stretches, so the level of a second or two of it varies (97 seen); the
        // point is sound against the pause's exact zeros.
        assertThat(rms(s, 0, from)).as("before the pause").isGreaterThan(30);
        assertThat(rms(s, to, s.length)).as("after the pause").isGreaterThan(30);
        String tail = new String(audio.body(), StandardCharsets.ISO_8859_1);
        assertThat(tail).contains("LIST").contains("ICMT").contains(String.format(java.util.Locale.ROOT, "paused %.3f-%.3f",
                pausedAt / 1000.0, resumedAt / 1000.0));

        // The call's events: start, pause, resume, stop, with where each falls and who asked.
        String events = admin.get("/api/v1/calls/" + callId + "/events").body();
        assertThat(events).contains("action=start").contains("action=pause at_ms=" + pausedAt).contains("action=resume at_ms=" + resumedAt)
                .contains("action=stop").contains("by=user_");
        caller.kill();
    }

    /**
     * REC-1 per extension on queue calls: the agent's extension is listed, so a queue call they take is recorded though
     * neither the queue nor the policy records; a supervisor (call.supervise) pauses, resumes, stops and restarts the
     * recording of the agent's call, each a call event naming them; an agent may not.
     */
    @Test
    void anAgentsListedExtensionRecordsTheirQueueCallsAndASupervisorControlsTheRecording() throws Exception {
        try {
            assertThat(admin.put("/api/v1/settings/recording", Map.of("policy", "none", "format", "pcm", "stereo", true, "retentionDays", 30,
                    "extensions", List.of("1001"))).status()).isEqualTo(200);
            phone("1001");
            ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
            long agentId = agent.get("/api/v1/me").json().get("id").asLong();
            assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
            ApiClient lead = ApiClient.loggedIn(server.baseUrl(), "demo", "lead", PW);
            String path = "/api/v1/agents/" + agentId + "/recording";
            assertThat(lead.get(path).json().get("recording").asBoolean()).as("no call yet").isFalse();
            assertThat(lead.post(path, Map.of("action", "start")).status()).as("not on a call").isEqualTo(409);

            Sipp.Run caller = peers().uac("uac_wait_bye", "4696", SipPeers.vars("13966660088"));
            JsonNode live = await("the queue call reaches agent 1").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> agent.get("/api/v1/live-calls").json(), l -> l.size() == 1 && l.at("/0/call/state").asText().equals("talking"));
            String callId = live.at("/0/call/callId").asText();
            JsonNode state = await("recorded for the agent's listed extension").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> lead.get(path).json(), s -> s.get("recording").asBoolean());
            assertThat(state.get("callId").asText()).isEqualTo(callId);

            var bad = lead.post(path, Map.of("action", "louder"));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().get("fieldErrors").findValuesAsText("field")).containsExactly("action");
            assertThat(agent.post(path, Map.of("action", "stop")).status()).as("agents lack call.supervise").isEqualTo(403);
            assertThat(lead.post(path, Map.of("action", "pause")).json().get("paused").asBoolean()).isTrue();
            assertThat(lead.post(path, Map.of("action", "resume")).json().get("paused").asBoolean()).isFalse();
            assertThat(lead.post(path, Map.of("action", "stop")).json().get("recording").asBoolean()).isFalse();
            assertThat(lead.post(path, Map.of("action", "start")).json().get("recording").asBoolean()).isTrue();
            assertThat(lead.post("/api/v1/agents/999999/recording", Map.of("action", "stop")).status()).isEqualTo(404);
            String events = admin.get("/api/v1/calls/" + callId + "/events").body();
            assertThat(events).contains("action=pause").contains("action=resume").contains("action=stop").contains("action=start")
                    .contains("by=supervisor_");
            caller.kill();
        } finally {
            admin.put("/api/v1/settings/recording", Map.of("policy", "none", "format", "pcm", "stereo", true, "retentionDays", 30,
                    "extensions", List.of()));
        }
    }

    @Test
    void aListedExtensionsCallsAreRecordedWithThePolicyOff() throws Exception {
        var put = admin.put("/api/v1/settings/recording", Map.of("policy", "none", "format", "pcm", "stereo", true, "retentionDays", 30,
                "extensions", List.of("1002")));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(admin.get("/api/v1/settings/recording").json().get("extensions").toString()).isEqualTo("[\"1002\"]");
        var invalid = admin.put("/api/v1/settings/recording", Map.of("policy", "none", "format", "pcm", "retentionDays", 30,
                "extensions", List.of("abc")));
        assertThat(invalid.status()).isEqualTo(400);
        phone("1002");
        phone("1001");
        peers().register("1003", PW, Ports.free(), "200");
        Sipp.Run listed = peers().uac("uac_call", "1002", SipPeers.vars("1003", "PAUSE", "1500"), "-au", "1003", "-ap", PW);
        SipPeers.ok(listed);
        Sipp.Run other = peers().uac("uac_call", "1001", SipPeers.vars("1003", "PAUSE", "1500"), "-au", "1003", "-ap", PW);
        SipPeers.ok(other);
        String listedCall = callId("1003", "1002");
        String otherCall = callId("1003", "1001");
        recording(listedCall);
        for (JsonNode r : admin.get("/api/v1/recordings?limit=500").json().get("items")) {
            assertThat(r.get("callId").asText()).isNotEqualTo(otherCall);
        }
        admin.put("/api/v1/settings/recording", Map.of("policy", "none", "format", "pcm", "stereo", true, "retentionDays", 30));
    }

    String callId(String caller, String callee) {
        return await("call " + caller + " -> " + callee).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (JsonNode r : admin.get("/api/v1/calls?limit=500").json().get("items")) {
                if (r.get("caller").asText().equals(caller) && r.get("callee").asText().equals(callee)) return r.get("callId").asText();
            }
            return null;
        }, id -> id != null);
    }

    static double rms(short[] s, int from, int to) {
        double sum = 0;
        int n = 0;
        for (int i = Math.max(0, from); i < Math.min(s.length, to); i++, n++) sum += (double) s[i] * s[i];
        return n == 0 ? 0 : Math.sqrt(sum / n);
    }
}
