package dev.hotline.campaign;

import static dev.hotline.campaign.MachineDetectionCallsTest.awaitOutcome;
import static dev.hotline.campaign.MachineDetectionCallsTest.clip;
import static dev.hotline.campaign.MachineDetectionCallsTest.create;
import static dev.hotline.campaign.MachineDetectionCallsTest.events;
import static dev.hotline.campaign.MachineDetectionCallsTest.importList;
import static dev.hotline.campaign.MachineDetectionCallsTest.speech;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotline.testing.ApiClient;
import dev.hotline.testing.RtpCallee;
import dev.hotline.testing.RtpCaller;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OUT-2 with answering-machine detection (Java far end speaking espeak-ng audio): a notification campaign with AMD action
 * {@code message} and no message of its own leaves its notification on a machine right after the beep, then hangs up
 * (outcome machine); a person ("喂？") hears the notification after the detector's decision and, pressing nothing and
 * hanging up, is recorded as reached with no answer.
 */
class NotificationMachineCallsTest {
    static final String MACHINE = "13700000011";
    static final String PERSON = "13700000012";

    @Test
    void aMachineGetsTheNotificationAfterItsBeepAndAPersonHearsIt() throws Exception {
        short[] greeting = speech("您好，我现在不方便接听电话，请在嘀声后留言，我会尽快回复您。");
        short[] machine = clip(MachineDetectionCallsTest.GREETING_AT, greeting, MachineDetectionCallsTest.BEEP_GAP, MachineDetectionCallsTest.BEEP_MS);
        short[] person = clip(500, speech("喂？"), 0, 0);
        long beepEndMs = MachineDetectionCallsTest.GREETING_AT + greeting.length / 8 + MachineDetectionCallsTest.BEEP_GAP
                + MachineDetectionCallsTest.BEEP_MS;
        try (TestServer server = TestServer.start(TestDatabases.Kind.H2, Map.of("sip.default.enterprise", "demo"));
             RtpCallee callee = RtpCallee.start(server.hotline().engine().sipPort(),
                     n -> n.equals(PERSON) ? new RtpCallee.Script(500, person, 12000) : new RtpCallee.Script(500, machine, 0))) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
            long trunk = admin.post("/api/v1/trunks", Map.of("name", "carrier", "host", "127.0.0.1", "port", callee.port(), "allowedIps", List.of()))
                    .json().get("id").asLong();
            Map<String, Object> s = new HashMap<>();
            s.put("trunkId", trunk);
            s.put("callerIds", List.of("4000100"));
            s.put("retries", Map.of("machine", Map.of("times", 1, "afterMinutes", 120)));
            s.put("amd", Map.of("enabled", true, "action", "message"));
            s.put("notification", Map.of("text", "{name}您好，您本期账单应还{amount:amount}，请按时还款。确认请按1。", "repeat", 1));
            long id = create(admin, Map.of("name", "notify-amd", "mode", "notification", "settings", s));
            importList(admin, id, "number,name,amount\n" + MACHINE + ",王先生,120\n" + PERSON + ",李女士,80\n");
            assertThat(admin.post("/api/v1/campaigns/" + id + "/state", Map.of("state", "running")).status()).isEqualTo(200);

            assertThat(awaitOutcome(admin, id, MACHINE, "machine").get("state").asText()).isEqualTo("pending");
            String m = events(admin, id, "number=" + MACHINE + " outcome=machine").stream()
                    .filter(e -> e.contains("number=" + MACHINE + " outcome=machine")).findFirst().orElseThrow();
            assertThat(m).contains("action=message", "amd=MACHINE", "beepEndMs=");
            RtpCallee.Call mc = callee.calls().stream().filter(c -> c.number.equals(MACHINE)).findFirst().orElseThrow();
            await("notification left and hung up").atMost(Duration.ofSeconds(40)).until(() -> mc.ended);
            assertThat(mc.endedBy).isEqualTo("server");
            List<RtpCaller.Heard> heard = List.copyOf(mc.heard);
            RtpCaller.Heard first = heard.stream().filter(h -> h.rms() >= RtpCaller.SOUND_RMS).findFirst().orElseThrow();
            assertThat((first.arrivedNanos() - mc.mediaStartedNanos) / 1_000_000).as("after the beep ended at " + beepEndMs + " ms")
                    .isGreaterThanOrEqualTo(beepEndMs);
            assertThat(RtpCaller.spans(heard, 300).stream().mapToLong(x -> x[1] - x[0]).sum()).as("ms of notification heard").isGreaterThan(2000);

            var p = awaitOutcome(admin, id, PERSON, "answered");
            assertThat(p.get("answer").asText()).isEqualTo("none");
            String po = events(admin, id, "number=" + PERSON + " outcome=answered").stream()
                    .filter(e -> e.contains("number=" + PERSON + " outcome=answered")).findFirst().orElseThrow();
            assertThat(po).contains("key=none answer=none", "amd=HUMAN");
            RtpCallee.Call pc = callee.calls().stream().filter(c -> c.number.equals(PERSON)).findFirst().orElseThrow();
            assertThat(RtpCaller.spans(List.copyOf(pc.heard), 300).stream().mapToLong(x -> x[1] - x[0]).sum()).as("ms heard by the person")
                    .isGreaterThan(2000);
        }
    }
}
