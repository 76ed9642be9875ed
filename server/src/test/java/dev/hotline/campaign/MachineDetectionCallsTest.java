package dev.hotline.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.engine.tts.EspeakTts;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.RtpCallee;
import dev.hotline.testing.RtpCaller;
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
 * OUT-1 item 3 end to end: a campaign with answering-machine detection calls a machine (a long greeting, then a beep) and a
 * person ("喂？"). The person reaches the agent; the machine is told, and per the campaign's action gets the message (with the
 * number's variables) right after its beep, or is hung up on; the detector's raw measures are in the calls' events.
 */
class MachineDetectionCallsTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static final Path CACHE = Path.of(System.getProperty("java.io.tmpdir"), "hotline-amd-tts");
    static final String MACHINE = "13700000001";
    static final String PERSON = "13700000002";
    static final String MACHINE2 = "13700000003";
    static final int GREETING_AT = 300;
    static final int BEEP_GAP = 600;
    static final int BEEP_MS = 500;

    static short[] speech(String text) {
        return new EspeakTts(EspeakTts.Options.defaults(CACHE)).render(text, "cmn-latn-pinyin").samples();
    }

    /** Silence, the speech, a gap, a 1000 Hz beep (if {@code beepMs} > 0), then a second of silence. */
    static short[] clip(int silenceMs, short[] speech, int gapMs, int beepMs) {
        short[] s = new short[(silenceMs + gapMs + beepMs + 1000) * 8 + speech.length];
        System.arraycopy(speech, 0, s, silenceMs * 8, speech.length);
        int b = silenceMs * 8 + speech.length + gapMs * 8;
        for (int i = 0; i < beepMs * 8; i++) s[b + i] = (short) (9000 * Math.sin(2 * Math.PI * 1000 * i / 8000.0));
        return s;
    }

    @Test
    void aMachineGetsTheMessageAfterItsBeepAPersonReachesTheAgentAndTheMeasuresAreKept() throws Exception {
        Path dir = Files.createTempDirectory("amd-calls");
        short[] greeting = speech("您好，我现在不方便接听电话，请在嘀声后留言，我会尽快回复您。");
        short[] machine = clip(GREETING_AT, greeting, BEEP_GAP, BEEP_MS);
        short[] person = clip(500, speech("喂？"), 0, 0);
        long beepEndMs = GREETING_AT + greeting.length / 8 + BEEP_GAP + BEEP_MS;
        try (TestServer server = TestServer.start(TestDatabases.Kind.H2, Map.of("sip.default.enterprise", "demo"));
             RtpCallee callee = RtpCallee.start(server.hotline().engine().sipPort(),
                     n -> n.equals(PERSON) ? new RtpCallee.Script(500, person, 8000) : new RtpCallee.Script(500, machine, 0))) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
            long agent1 = agent.get("/api/v1/me").json().get("id").asLong();
            long trunk = admin.post("/api/v1/trunks", Map.of("name", "carrier", "host", "127.0.0.1", "port", callee.port(), "allowedIps", List.of()))
                    .json().get("id").asLong();
            SipPeers peers = new SipPeers(dir, server.hotline().engine().sipPort());
            int port = Ports.free();
            Sipp.Run phone = peers.phone(port);
            try {
                peers.register("1001", PW, port, "200");
                // Bad detector parameters are refused with the field named.
                var bad = admin.post("/api/v1/campaigns", campaign("bad", trunk, agent1, Map.of("enabled", true, "action", "hangup",
                        "params", Map.of("maxWords", 0))));
                assertThat(bad.status()).isEqualTo(400);
                assertThat(bad.body()).contains("settings.amd.params").contains("maxWords");

                long id = create(admin, campaign("amd-message", trunk, agent1, Map.of("enabled", true, "action", "message",
                        "message", "您好{name}，您的账单金额为{amount}元，请及时缴费。")));
                importList(admin, id, "number,name,amount\n" + MACHINE + ",王先生,120\n" + PERSON + ",李女士,80\n");
                assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
                assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
                assertThat(admin.post("/api/v1/campaigns/" + id + "/state", Map.of("state", "running")).status()).isEqualTo(200);

                JsonNode m = awaitOutcome(admin, id, MACHINE, "machine");
                assertThat(m.get("state").asText()).as("machine retried per its setting").isEqualTo("pending");
                assertThat(Instant.parse(m.get("nextAt").asText())).isAfter(Instant.now().plus(Duration.ofMinutes(119)));
                JsonNode p = awaitOutcome(admin, id, PERSON, "answered");
                assertThat(p.get("state").asText()).isEqualTo("done");

                List<String> ev = events(admin, id, "number=" + MACHINE + " outcome=machine", "number=" + PERSON + " outcome=answered");
                String machineOutcome = ev.stream().filter(e -> e.contains("number=" + MACHINE + " outcome=machine")).findFirst().orElseThrow();
                assertThat(machineOutcome).contains("action=message", "amd=MACHINE", "amdCause=", "greetingMs=", "words=", "wordLengthsMs=[",
                        "beepStartMs=", "beepEndMs=", "beepHz=");
                int beepHz = Integer.parseInt(machineOutcome.replaceAll(".*beepHz=(\\d+).*", "$1"));
                assertThat(beepHz).isBetween(975, 1025);
                String personOutcome = ev.stream().filter(e -> e.contains("number=" + PERSON + " outcome=answered")).findFirst().orElseThrow();
                assertThat(personOutcome).contains("agent=" + agent1, "amd=HUMAN", "amdCause=HUMAN");

                // The machine heard the message only after its beep ended, then the server hung up.
                RtpCallee.Call mc = callee.calls().stream().filter(c -> c.number.equals(MACHINE)).findFirst().orElseThrow();
                await("message left and hung up").atMost(Duration.ofSeconds(30)).until(() -> mc.ended);
                assertThat(mc.endedBy).isEqualTo("server");
                List<RtpCaller.Heard> heard = List.copyOf(mc.heard);
                RtpCaller.Heard firstSound = heard.stream().filter(h -> h.rms() >= RtpCaller.SOUND_RMS).findFirst().orElseThrow();
                long firstSoundMs = (firstSound.arrivedNanos() - mc.mediaStartedNanos) / 1_000_000;
                assertThat(firstSoundMs).as("the message starts after the beep ended at " + beepEndMs + " ms").isGreaterThanOrEqualTo(beepEndMs);
                long sound = RtpCaller.spans(heard, 300).stream().mapToLong(x -> x[1] - x[0]).sum();
                assertThat(sound).as("ms of message heard").isGreaterThan(2000);
                assertThat(admin.post("/api/v1/campaigns/" + id + "/state", Map.of("state", "stopped")).status()).isEqualTo(200);

                // Action hangup: the machine is hung up on as soon as it is told, and hears nothing.
                long id2 = create(admin, campaign("amd-hangup", trunk, agent1, Map.of("enabled", true, "action", "hangup")));
                importList(admin, id2, "number,name\n" + MACHINE2 + ",赵先生\n");
                assertThat(admin.post("/api/v1/campaigns/" + id2 + "/state", Map.of("state", "running")).status()).isEqualTo(200);
                awaitOutcome(admin, id2, MACHINE2, "machine");
                String hung = events(admin, id2, "outcome=machine").stream().filter(e -> e.contains("outcome=machine")).findFirst().orElseThrow();
                assertThat(hung).contains("action=hangup", "amd=MACHINE");
                RtpCallee.Call m2 = callee.calls().stream().filter(c -> c.number.equals(MACHINE2)).findFirst().orElseThrow();
                await("hung up").atMost(Duration.ofSeconds(10)).until(() -> m2.ended);
                assertThat(m2.endedBy).isEqualTo("server");
                assertThat(List.copyOf(m2.heard).stream().filter(h -> h.rms() >= RtpCaller.SOUND_RMS).count()).as("frames of sound heard").isZero();
            } finally {
                phone.kill();
            }
        }
    }

    static Map<String, Object> campaign(String name, long trunk, long agent, Map<String, Object> amd) {
        Map<String, Object> s = new HashMap<>();
        s.put("trunkId", trunk);
        s.put("callerIds", List.of("4000100"));
        s.put("agentIds", List.of(agent));
        s.put("retries", Map.of("machine", Map.of("times", 1, "afterMinutes", 120)));
        s.put("amd", amd);
        return Map.of("name", name, "mode", "progressive", "settings", s);
    }

    static long create(ApiClient admin, Map<String, Object> body) {
        var r = admin.post("/api/v1/campaigns", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    static void importList(ApiClient admin, long id, String csv) {
        var r = admin.upload("POST", "/api/v1/campaigns/" + id + "/contacts", "list.csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    static JsonNode awaitOutcome(ApiClient admin, long id, String number, String outcome) {
        return await(number + " " + outcome).atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (JsonNode c : admin.get("/api/v1/campaigns/" + id + "/contacts").json()) if (c.get("number").asText().equals(number)) return c;
            return null;
        }, c -> c != null && outcome.equals(c.path("lastOutcome").asText()) && !"dialling".equals(c.get("state").asText()));
    }

    static List<String> events(ApiClient admin, long id, String... mustContain) {
        return await("events").atMost(Duration.ofSeconds(10)).until(() -> {
            List<String> out = new ArrayList<>();
            for (JsonNode e : admin.get("/api/v1/campaigns/" + id + "/events").json()) out.add(e.get("data").asText());
            return out;
        }, l -> List.of(mustContain).stream().allMatch(m -> l.stream().anyMatch(e -> e.contains(m))));
    }
}
