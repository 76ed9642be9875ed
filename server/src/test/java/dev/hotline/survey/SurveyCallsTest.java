package dev.hotline.survey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.Chromium;
import dev.hotline.testing.CtiClient;
import dev.hotline.testing.RtpCallee;
import dev.hotline.testing.RtpCaller;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * MSG-4 end to end: SIPp callers through the demo queue "sales" with its survey on, answered by agent 2's SIP phone (a
 * SIPp UAS that hangs up first). The caller stays on the line, hears the survey and keys in RFC 4733 digits: the
 * results over HTTP (per queue, per agent, CSV, the agent's own) are exactly what was pressed; a caller who hangs up
 * first is not surveyed, one who hangs up during the survey is recorded as such, and with the survey off the caller is
 * hung up with the agent as before. The call records stay right: talk time ends at the agent's hang-up, one record a call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SurveyCallsTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    /** How long agent 2's phone talks before it hangs up. */
    static final int AGENT_TALKS_MS = 2500;
    TestServer server;
    ApiClient admin;
    long queueId;
    long agent2;
    final List<Sipp.Run> phones = new ArrayList<>();
    Path phoneDir;
    String range;
    /** Caller number → how long its SIPp run took from start to the end of the call (ms). */
    final Map<String, Long> tookMs = new HashMap<>();

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start(dev.hotline.testing.TestDatabases.Kind.H2, Map.of());
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        phoneDir = Files.createTempDirectory("survey-phones");
        for (JsonNode u : admin.get("/api/v1/users").json()) if (u.get("username").asText().equals("agent2")) agent2 = u.get("id").asLong();
        for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("sales")) queueId = q.get("id").asLong();
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4697", "destinationType", "queue", "destination", "sales")).status())
                .isEqualTo(201);
        Instant from = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 900 * 900);
        range = "from=" + from + "&to=" + from.plus(Duration.ofDays(1)) + "&group=day&tz=UTC";
        playCalls();
    }

    @AfterAll
    void stop() {
        phones.forEach(Sipp.Run::kill);
        if (server != null) server.close();
    }

    SipPeers peers() {
        return new SipPeers(phoneDir, server.hotline().engine().sipPort());
    }

    void queue(boolean survey) {
        Map<String, Object> settings = Map.of("ringTimeoutSeconds", 10, "survey", Map.of("enabled", survey, "language", "zh"));
        var r = admin.put("/api/v1/queues/" + queueId, Map.of("name", "sales", "strategy", "linear", "settings", settings));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        server.hotline().acd().settle();
    }

    /** Waits until agent 2 is ready again (after the wrap-up of the last call). */
    void agentReady() {
        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", PW);
        await().atMost(Duration.ofSeconds(10)).until(() -> "ready".equals(agent.get("/api/v1/agent/state").json().get("state").asText()));
    }

    Sipp.Run call(String scenario, String caller, String... kv) throws Exception {
        agentReady();
        String[] all = new String[kv.length + 2];
        System.arraycopy(kv, 0, all, 0, kv.length);
        all[kv.length] = "AFTER";
        all[kv.length + 1] = "500";
        return peers().uac(scenario, "4697", SipPeers.vars(caller, all), "-timeout", "60"); // a survey may take half a minute
    }

    void ok(String caller, Sipp.Run run) {
        long t0 = System.nanoTime();
        SipPeers.ok(run);
        tookMs.put(caller, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    /**
     * Agent 2's phone answers every call and hangs up after 2.5 s. A: unsatisfied (3), reason attitude (2). B: very
     * satisfied (1). C hangs up before the agent. D hangs up while the survey asks. F presses a wrong key, then none.
     * G: unsatisfied, hangs up at the reason. E: the survey is off.
     */
    void playCalls() throws Exception {
        queue(true);
        int port = Ports.free();
        var vars = SipPeers.vars("x", "PAUSE", Integer.toString(AGENT_TALKS_MS));
        vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
        Sipp.Run phone = Sipp.start(phoneDir, "uas_bye", vars, null, port,
                List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)), "-m", "1000", "-timeout", "300"));
        Sipp.awaitUdpBound(port);
        phones.add(phone);
        peers().register("1002", PW, port, "200");
        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", PW);
        assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
        assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);

        // SIPp's DTMF pcaps carry fixed RTP timestamps rising only in the order 1 0 2 3 ... 9; the reason key after a 3 is a
        // copy of the 2 moved later in RTP time, else the engine would take it for a late packet of an older event.
        Path laterTwo = shiftedPcap(Path.of("/usr/share/sip-tester/dtmf_2833_2.pcap"), 800_000);
        ok("13900000101", call("uac_survey", "13900000101", "PAUSE", "5000", "DTMFACTIONS",
                SipPeers.dtmf("3") + "<pause milliseconds=\"3000\"/>" + play(laterTwo)));
        ok("13900000102", call("uac_survey", "13900000102", "PAUSE", "5000", "DTMFACTIONS", SipPeers.dtmf("1")));
        // The caller leaves before the agent does (no survey): the agent's phone gets our BYE in its pause.
        SipPeers.ok(call("uac_call", "13900000103", "PAUSE", "1000"));
        // The caller leaves while the score prompt plays.
        SipPeers.ok(call("uac_digits", "13900000104", "PAUSE", "4500", "DTMFACTIONS", ""));
        // A wrong key, asked again, then no key: no input.
        ok("13900000107", call("uac_survey", "13900000107", "PAUSE", "5000", "DTMFACTIONS", SipPeers.dtmf("9")));
        // Unsatisfied, then gone while asked why: partial.
        SipPeers.ok(call("uac_digits", "13900000108", "PAUSE", "5000", "DTMFACTIONS", SipPeers.dtmf("3") + "<pause milliseconds=\"2000\"/>"));
        queue(false);
        ok("13900000105", call("uac_wait_bye", "13900000105"));
        assertThat(server.hotline().eventLog().flush(10, TimeUnit.SECONDS)).isTrue();
    }

    static String play(Path pcap) {
        return "<nop><action><exec play_pcap_audio=\"" + pcap + "\"/></action></nop><pause milliseconds=\"300\"/>";
    }

    /** A copy of an Ethernet/IPv4/UDP/RTP capture with every RTP timestamp moved by {@code offset} (UDP checksums cleared). */
    Path shiftedPcap(Path source, int offset) throws Exception {
        byte[] bytes = Files.readAllBytes(source);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        ByteOrder order = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0) == 0xA1B2C3D4 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        b.order(order);
        assertThat(b.getInt(20)).as("Ethernet capture").isEqualTo(1);
        int pos = 24;
        int packets = 0;
        while (pos + 16 <= bytes.length) {
            int incl = b.order(order).getInt(pos + 8);
            int frame = pos + 16;
            pos = frame + incl;
            ByteBuffer p = ByteBuffer.wrap(bytes, frame, incl).slice().order(ByteOrder.BIG_ENDIAN);
            if ((p.getShort(12) & 0xFFFF) != 0x0800 || (p.get(14 + 9) & 0xFF) != 17) continue;
            int udp = 14 + (p.get(14) & 0x0F) * 4;
            p.putShort(udp + 6, (short) 0);
            int rtp = udp + 8;
            p.putInt(rtp + 4, p.getInt(rtp + 4) + offset);
            packets++;
        }
        assertThat(packets).isPositive();
        Path out = phoneDir.resolve("later-" + source.getFileName());
        Files.write(out, bytes);
        return out;
    }

    JsonNode record(String caller) {
        return await("record of " + caller).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> admin.get("/api/v1/calls?number=" + caller).json().get("items"), items -> items.size() == 1).get(0);
    }

    List<String> eventTypes(String callId) {
        List<String> types = new ArrayList<>();
        for (JsonNode e : admin.get("/api/v1/calls/" + callId + "/events").json()) types.add(e.get("type").asText());
        return types;
    }

    /** The data of the call's survey event. */
    String surveyData(String caller) {
        for (JsonNode e : admin.get("/api/v1/calls/" + record(caller).get("callId").asText() + "/events").json()) {
            if (e.get("type").asText().equals("survey")) return e.get("data").asText();
        }
        return null;
    }

    JsonNode report(String name, String extra) {
        var r = admin.get("/api/v1/reports/" + name + "?" + range + extra);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    static Map<String, Object> counts(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static void assertValues(JsonNode row, Map<String, Object> want) {
        want.forEach((k, v) -> {
            if (v == null) assertThat(row.get(k).isNull()).as(k + " in " + row).isTrue();
            else if (v instanceof Double d) assertThat(row.get(k).asDouble()).as(k + " in " + row).isEqualTo(d);
            else assertThat(row.get(k).asLong()).as(k + " in " + row).isEqualTo(((Number) v).longValue());
        });
    }

    /**
     * A, B, D, F and G surveyed; A, B and G gave a score: one very satisfied, two unsatisfied (A for the attitude, G gave
     * no reason).
     */
    static final Map<String, Object> SALES = counts("surveyed", 5, "surveyAnswered", 3, "surveyAnswerRate", 0.6, "verySatisfied", 1,
            "satisfied", 0, "unsatisfied", 2, "verySatisfiedRate", 0.3333, "satisfiedRate", 0.0, "unsatisfiedRate", 0.6667,
            "reasonService", 0, "reasonAttitude", 1, "reasonOther", 0, "reasonNone", 1);

    @Test
    void theSatisfactionReportsCountWhatTheCallersPressed() throws Exception {
        JsonNode q = report("satisfaction", "");
        assertThat(q.get("rows")).hasSize(1);
        assertThat(q.get("rows").get(0).get("queue").asText()).isEqualTo("sales");
        assertValues(q.get("rows").get(0), SALES);
        assertValues(q.get("total"), SALES);
        JsonNode a = report("satisfaction-agents", "&agent=" + agent2);
        assertThat(a.get("rows")).hasSize(1);
        assertThat(a.get("rows").get(0).get("jobNumber").asText()).isEqualTo("8002");
        assertValues(a.get("rows").get(0), SALES);
        assertThat(report("satisfaction", "&queue=support").get("rows")).isEmpty();
        // The CSV carries the same numbers.
        var csv = admin.getBytes("/api/v1/reports/satisfaction?" + range + "&format=csv&lang=zh");
        assertThat(csv.status()).isEqualTo(200);
        byte[] body = csv.body();
        List<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new InputStreamReader(new ByteArrayInputStream(body, 3, body.length - 3), StandardCharsets.UTF_8))
                .getRecords();
        assertThat(records).hasSize(2);
        assertThat(records.get(0).get("队列")).isEqualTo("sales");
        assertThat(records.get(0).get("非常满意")).isEqualTo("1");
        assertThat(records.get(0).get("态度不满意")).isEqualTo("1");
        assertThat(records.get(1).get("参与调查")).isEqualTo("5");
        // Bad input names the field.
        var bad = admin.get("/api/v1/reports/satisfaction?" + range + "&agent=" + agent2);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("agent");
        assertThat(admin.get("/api/v1/reports/satisfaction-agents?" + range + "&agent=0").status()).isEqualTo(400);
    }

    @Test
    void eachSurveyIsAnEventOfItsCallAndTheRecordEndsTheTalkAtTheAgentsHangUp() {
        JsonNode a = record("13900000101");
        assertThat(a.get("disposition").asText()).isEqualTo("answered");
        assertThat(a.get("queueResult").asText()).isEqualTo("answered");
        assertThat(a.get("hangupBy").asText()).isEqualTo("callee");
        assertThat(a.get("agentUserId").asLong()).isEqualTo(agent2);
        // The agent talked 2.5 s; the survey took several seconds more, which are not talk.
        assertThat(a.get("talkSeconds").asInt()).isBetween(2, 4);
        long callSeconds = Duration.between(Instant.parse(a.get("answeredAt").asText()), Instant.parse(a.get("endedAt").asText())).toSeconds();
        assertThat(callSeconds).isGreaterThanOrEqualTo(a.get("talkSeconds").asInt() + 4L);
        List<String> types = eventTypes(a.get("callId").asText());
        assertThat(types).containsSubsequence("queue_connect", "hangup", "survey_start", "survey", "hangup", "closed");
        assertThat(types.stream().filter("closed"::equals).count()).isEqualTo(1);

        JsonNode c = record("13900000103"); // hung up first: no survey
        assertThat(c.get("hangupBy").asText()).isEqualTo("caller");
        assertThat(c.get("disposition").asText()).isEqualTo("answered");
        assertThat(eventTypes(c.get("callId").asText())).doesNotContain("survey_start", "survey");

        JsonNode d = record("13900000104"); // hung up during the survey: recorded as such
        List<String> dTypes = eventTypes(d.get("callId").asText());
        assertThat(dTypes).containsSubsequence("survey_start", "survey", "hangup", "closed");
        var dEvents = admin.get("/api/v1/calls/" + d.get("callId").asText() + "/events").json();
        String data = null;
        for (JsonNode e : dEvents) if (e.get("type").asText().equals("survey")) data = e.get("data").asText();
        assertThat(data).contains("result=hangup").doesNotContain("score=");
        assertThat(surveyData("13900000107")).contains("result=no_input").doesNotContain("score=");
        assertThat(surveyData("13900000108")).contains("result=partial", "score=3").doesNotContain("reason=");
        // F heard the question twice: asked, a wrong key, asked again, 8 s of silence, thanks.
        JsonNode f = record("13900000107");
        assertThat(Duration.between(Instant.parse(f.get("answeredAt").asText()), Instant.parse(f.get("endedAt").asText())).toSeconds())
                .isGreaterThanOrEqualTo(5 + 9 + 8);

        JsonNode e = record("13900000105"); // survey off: hung up with the agent, as before
        assertThat(e.get("hangupBy").asText()).isEqualTo("callee");
        assertThat(eventTypes(e.get("callId").asText())).doesNotContain("survey_start", "survey");
        assertThat(Duration.between(Instant.parse(e.get("answeredAt").asText()), Instant.parse(e.get("endedAt").asText())).toMillis())
                .isLessThan(AGENT_TALKS_MS + 3000L);
    }

    @Test
    void theAgentSeesTheScoresOfTheirOwnCalls() {
        String a = record("13900000101").get("callId").asText();
        String b = record("13900000102").get("callId").asText();
        String c = record("13900000103").get("callId").asText();
        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", PW);
        var r = agent.get("/api/v1/agent/surveys?calls=" + a + "," + b + "," + c);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        Map<String, JsonNode> byCall = new HashMap<>();
        for (JsonNode s : r.json()) byCall.put(s.get("callId").asText(), s);
        assertThat(byCall).containsOnlyKeys(a, b);
        assertThat(byCall.get(a).get("score").asInt()).isEqualTo(3);
        assertThat(byCall.get(a).get("reason").asInt()).isEqualTo(2);
        assertThat(byCall.get(a).get("result").asText()).isEqualTo("answered");
        assertThat(byCall.get(b).get("score").asInt()).isEqualTo(1);
        assertThat(byCall.get(b).get("reason").isNull()).isTrue();
        // Another agent does not see agent 2's results.
        ApiClient other = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        assertThat(other.get("/api/v1/agent/surveys?calls=" + a).json()).isEmpty();
    }

    /**
     * Chromium: agent 2's desk shows the score of a surveyed call in its call history (pushed at once, and read again
     * after a reload); the console's queue form turns the survey on, and the satisfaction report tab shows the counts.
     */
    @Test
    @Order(Integer.MAX_VALUE - 2) // late: it changes the queue and adds a call to the counts the other tests assert
    void theDeskShowsTheScoreAndTheConsoleSetsTheSurveyAndShowsTheReport() throws Exception {
        try (Chromium chrome = Chromium.start()) {
            var d = chrome.driver();
            var wait = chrome.waitAtMost(Duration.ofSeconds(30));
            // The console: the queue form's Survey tab turns the survey on.
            chrome.signInEnglish(server.baseUrl(), "demo", "admin", PW);
            wait.until(x -> !d.findElements(Chromium.tid("nav-queues")).isEmpty());
            d.findElement(Chromium.tid("nav-queues")).click();
            wait.until(x -> !d.findElements(Chromium.tid("queue-edit-sales")).isEmpty());
            d.findElement(Chromium.tid("queue-edit-sales")).click();
            wait.until(x -> !d.findElements(Chromium.tid("queue-tab-survey")).isEmpty());
            d.findElement(Chromium.tid("queue-tab-survey")).click();
            var enabled = d.findElement(Chromium.tid("queue-form-survey-enabled"));
            assertThat(enabled.isSelected()).as("off since the last call of the script").isFalse();
            enabled.click();
            d.findElement(Chromium.tid("queue-save")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                for (JsonNode q : admin.get("/api/v1/queues").json()) {
                    if (q.get("name").asText().equals("sales")) return q.get("settings").get("survey").get("enabled").asBoolean();
                }
                return false;
            });
            server.hotline().acd().settle();

            // The flow editor's palette has the survey node (MSG-4), with its language.
            long flowId = admin.post("/api/v1/flows", Map.of("name", "survey_ui")).json().get("id").asLong();
            d.get(server.baseUrl() + "/#/flows/" + flowId);
            wait.until(x -> !d.findElements(Chromium.tid("palette-survey")).isEmpty());
            assertThat(d.findElement(Chromium.tid("palette-survey")).getText()).isEqualTo("Satisfaction survey");
            d.findElement(Chromium.tid("palette-survey")).click();
            wait.until(x -> !d.findElements(Chromium.tid("node-survey-language")).isEmpty());
            new org.openqa.selenium.support.ui.Select(d.findElement(Chromium.tid("node-survey-language"))).selectByValue("en");
            d.findElement(Chromium.tid("flow-save-draft")).click();
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/api/v1/flows/" + flowId).json().toString()
                    .contains("\"type\":\"survey\",\"language\":\"en\""));
            assertThat(d.findElement(Chromium.tid("flow-palette")).getText()).contains("Satisfaction survey");

            // The desk: a satisfied caller (2) shows in agent 2's call history.
            chrome.signInEnglish(server.baseUrl(), "demo", "agent2", PW);
            wait.until(x -> "open".equals(d.executeScript("return window.hotlineDesk && window.hotlineDesk.state().cti")));
            ok("13900000106", call("uac_survey", "13900000106", "PAUSE", "5000", "DTMFACTIONS", SipPeers.dtmf("2")));
            String callId = record("13900000106").get("callId").asText();
            String cell = "[data-testid='agent-recent-survey'][data-call='" + callId + "']";
            wait.until(x -> d.findElements(org.openqa.selenium.By.cssSelector(cell)).stream().anyMatch(e -> "2".equals(e.getAttribute("data-score"))));
            assertThat(d.findElement(org.openqa.selenium.By.cssSelector(cell)).getText()).isEqualTo("Satisfied");
            // Forgotten by the browser, the score comes back from the server after a reload.
            d.executeScript("for (const k of Object.keys(localStorage)) if (k.startsWith('hotline.desk.recent.')) {"
                    + " const l = JSON.parse(localStorage.getItem(k)); l.forEach((r) => delete r.survey); localStorage.setItem(k, JSON.stringify(l)); }");
            d.navigate().refresh();
            wait.until(x -> d.findElements(org.openqa.selenium.By.cssSelector(cell)).stream().anyMatch(e -> "2".equals(e.getAttribute("data-score"))));
            chrome.screenshot("survey-desk");

            // The satisfaction report tab: six surveyed, one each very satisfied and satisfied, two unsatisfied.
            chrome.signInEnglish(server.baseUrl(), "demo", "admin", PW);
            wait.until(x -> !d.findElements(Chromium.tid("nav-reports")).isEmpty());
            d.findElement(Chromium.tid("nav-reports")).click();
            wait.until(x -> !d.findElements(Chromium.tid("report-tab-satisfaction")).isEmpty());
            d.executeScript("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", d.findElement(Chromium.tid("report-tab-satisfaction")));
            String total = "[data-testid='report-total'] [data-col='%s']";
            wait.until(x -> d.findElements(org.openqa.selenium.By.cssSelector(total.formatted("surveyed"))).stream()
                    .anyMatch(e -> e.getText().equals("6")));
            assertThat(d.findElement(org.openqa.selenium.By.cssSelector(total.formatted("verySatisfied"))).getText()).isEqualTo("1");
            assertThat(d.findElement(org.openqa.selenium.By.cssSelector(total.formatted("satisfied"))).getText()).isEqualTo("1");
            assertThat(d.findElement(org.openqa.selenium.By.cssSelector(total.formatted("unsatisfied"))).getText()).isEqualTo("2");
            assertThat(d.findElement(org.openqa.selenium.By.cssSelector(total.formatted("unsatisfiedRate"))).getText()).isEqualTo("50.0%");
            wait.until(x -> "3".equals(chrome.attr("report-chart", "data-series")));
            chrome.screenshot("survey-report");
            assertThat(chrome.scriptErrors()).isEmpty();
        }
    }

    /**
     * AGENT-3 and MSG-4: a call moved to another of the agent's devices is still surveyed when the agent hangs up there. K
     * (a caller of the test's own, {@link RtpCaller}) is answered by agent 3 on their mobile (login device {@code external}:
     * an outside number through an outbound route to a far end of the test's own, {@link RtpCallee}); agent 3 moves the call
     * to a second mobile (CTI {@code device.switch}), which answers and hangs up 2.5 s later. The caller stays for the
     * survey, hears the score prompt, presses 1: surveyed for agent 3, then thanked and hung up (the server's BYE). Last:
     * the counts of the other tests do not include it.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aCallMovedToTheAgentsMobileIsSurveyedWhenTheAgentHangsUpThere() throws Exception {
        queue(true);
        long agent3 = userId("agent3");
        for (String other : List.of("agent1", "agent2")) { // only agent 3 takes K (whatever ran before)
            ApiClient.loggedIn(server.baseUrl(), "demo", other, PW).delete("/api/v1/agent/session");
        }
        String first = "13700001113";
        String second = "13700001112";
        try (RtpCallee mobile = RtpCallee.start(server.hotline().engine().sipPort(),
                n -> new RtpCallee.Script(300, null, n.equals(second) ? 2500 : 0));
             CtiClient three = CtiClient.connect(ApiClient.loggedIn(server.baseUrl(), "demo", "agent3", PW), server.baseUrl())) {
            long trunk = admin.post("/api/v1/trunks", Map.of("name", "mobile-carrier", "host", "127.0.0.1", "port", mobile.port(),
                    "allowedIps", List.of())).json().get("id").asLong();
            var route = admin.post("/api/v1/outbound-routes", Map.of("name", "mobiles", "prefix", "1370", "trunkId", trunk, "priority", 1));
            assertThat(route.status()).as(route.toString()).isEqualTo(201);
            three.next("hello");
            three.command("logout", Map.of());
            JsonNode login = three.command("login", Map.of("device", "external", "number", first));
            assertThat(login.get("type").asText()).as(login.toString()).isEqualTo("ok");
            assertThat(three.command("state", Map.of("state", "ready")).get("type").asText()).isEqualTo("ok");

            RtpCaller k = RtpCaller.call(server.hotline().engine().sipPort(), "13900000112", "4697");
            try {
                JsonNode offered = three.next("call.offered").get("call");
                String leg = offered.get("legId").asText();
                String callId = offered.get("callId").asText();
                three.next(n -> n.path("type").asText().equals("call.answered") && n.at("/call/legId").asText().equals(leg), "K answered");
                JsonNode moving = three.command("device.switch", Map.of("legId", leg, "device", "external", "number", second));
                assertThat(moving.get("type").asText()).as(moving.toString()).isEqualTo("ok");
                JsonNode moved = three.next("call.moved");
                assertThat(moved.get("device").asText()).isEqualTo("external");
                // The mobile hangs up 2.5 s after answering: the survey starts, the caller hears the score prompt.
                await("survey_start of " + callId).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> eventTypes(callId).contains("survey_start"));
                assertThat(mobile.calls()).extracting(c -> c.number).containsExactly(first, second);
                assertThat(mobile.calls().get(0).endedBy).as("the first mobile's leg ended by the move").isEqualTo("server");
                assertThat(mobile.calls().get(1).endedBy).as("the second mobile hung up").isEqualTo("callee");
                k.awaitSoundThenQuiet(0, 700);
                k.keys("1");
                k.awaitServerBye(); // thanks, then the call ends
            } finally {
                k.close();
                admin.delete("/api/v1/outbound-routes/" + route.json().get("id").asLong());
            }
            assertThat(surveyData("13900000112")).isEqualTo("queue=sales agent=" + agent3 + " result=answered score=1");
            String kCall = record("13900000112").get("callId").asText();
            assertThat(eventTypes(kCall)).containsSubsequence("transfer", "transfer", "survey_start", "survey");
            assertThat(admin.get("/api/v1/calls/" + kCall + "/events").body()).contains("kind=device_done target=external");
        }
    }

    /** A SIP phone of {@code extension} answering every call and hanging up after {@code talkMs}. */
    void phone(String extension, int talkMs) throws Exception {
        int port = Ports.free();
        var vars = SipPeers.vars("x", "PAUSE", Integer.toString(talkMs));
        vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
        Sipp.Run phone = Sipp.start(phoneDir, "uas_bye", vars, null, port,
                List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)), "-m", "100", "-timeout", "120"));
        Sipp.awaitUdpBound(port);
        phones.add(phone);
        peers().register(extension, PW, port, "200");
    }

    long userId(String username) {
        for (JsonNode u : admin.get("/api/v1/users").json()) if (u.get("username").asText().equals(username)) return u.get("id").asLong();
        throw new AssertionError(username);
    }

    static boolean is(JsonNode n, String type, String state) {
        return n.path("type").asText().equals(type) && n.at("/agent/state").asText().equals(state);
    }

    /**
     * The survey is about the final agent. H: agent 3 answers, transfers the caller blind to agent 1 (job number 8001, through
     * the ACD), agent 1 talks 2 s and hangs up: H is surveyed for agent 1 and presses 2. I: agent 3 consults agent 1 (the
     * caller on hold), agent 1 hangs up, agent 3 is back with the caller and hangs up: I is surveyed for agent 3 and presses 1.
     * J: a flow's survey node (English) sends the caller on to sales, whose own survey is now off: surveyed for agent 3, 1.
     */
    @Test
    @Order(Integer.MAX_VALUE - 1) // late: it signs agent 2 out
    void aColleagueAfterATransferAnAgentBackFromAConsultationAndAFlowsSurveyNodeAreSurveyed() throws Exception {
        queue(true);
        long agent1 = userId("agent1");
        long agent3 = userId("agent3");
        assertThat(ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", PW).delete("/api/v1/agent/session").status()).isLessThan(300);
        phone("1003", 9000);
        phone("1001", 2000);
        try (CtiClient three = CtiClient.connect(ApiClient.loggedIn(server.baseUrl(), "demo", "agent3", PW), server.baseUrl());
             CtiClient one = CtiClient.connect(ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW), server.baseUrl())) {
            three.next("hello");
            one.next("hello");
            assertThat(three.command("login", Map.of("device", "sip")).get("type").asText()).isEqualTo("ok");
            assertThat(three.command("state", Map.of("state", "ready")).get("type").asText()).isEqualTo("ok");

            // H: a blind transfer to a signed-in colleague.
            Sipp.Run h = peers().uac("uac_survey", "4697", SipPeers.vars("13900000109", "PAUSE", "10000", "DTMFACTIONS", SipPeers.dtmf("2"),
                    "AFTER", "500"), "-timeout", "60");
            String leg = three.next("call.offered").get("call").get("legId").asText();
            three.next(n -> n.path("type").asText().equals("call.answered") && n.at("/call/legId").asText().equals(leg), "H answered");
            // Agent 1 signs in only now, so that the queue offers H to agent 3.
            assertThat(one.command("login", Map.of("device", "sip")).get("type").asText()).isEqualTo("ok");
            assertThat(one.command("state", Map.of("state", "ready")).get("type").asText()).isEqualTo("ok");
            JsonNode moved = three.command("transfer", Map.of("legId", leg, "to", "8001"));
            assertThat(moved.get("type").asText()).as(moved.toString()).isEqualTo("ok");
            one.next("call.offered");
            ok("13900000109", h);
            assertThat(surveyData("13900000109")).isEqualTo("queue=sales agent=" + agent1 + " result=answered score=2");

            // I: a consultation, then back to the caller.
            assertThat(one.command("logout", Map.of()).get("type").asText()).isEqualTo("ok");
            three.next(n -> is(n, "agent.state", "ready"), "agent 3 ready again");
            Sipp.Run i = peers().uac("uac_survey", "4697", SipPeers.vars("13900000110", "PAUSE", "14000", "DTMFACTIONS", SipPeers.dtmf("1"),
                    "AFTER", "500"), "-timeout", "60");
            String leg2 = three.next("call.offered").get("call").get("legId").asText();
            three.next(n -> n.path("type").asText().equals("call.answered") && n.at("/call/legId").asText().equals(leg2), "I answered");
            JsonNode consult = three.command("consult", Map.of("legId", leg2, "to", "8001"));
            assertThat(consult.get("type").asText()).as(consult.toString()).isEqualTo("ok");
            ok("13900000110", i);
            assertThat(surveyData("13900000110")).isEqualTo("queue=sales agent=" + agent3 + " result=answered score=1");
            String iCall = record("13900000110").get("callId").asText();
            assertThat(eventTypes(iCall)).containsSubsequence("hold", "transfer", "unhold", "survey_start", "survey");

            // J: a flow's survey node, then on to the queue sales with its own survey off now; the survey in English.
            String graph = "{'start':'s','nodes':{'s':{'type':'survey','language':'en','next':'t'},"
                    + "'t':{'type':'transfer','target':'queue','value':'sales','fail':'bye'},'bye':{'type':'hangup'}}}";
            long flow = admin.post("/api/v1/flows", Map.of("name", "survey_flow")).json().get("id").asLong();
            var bad = admin.raw("PUT", "/api/v1/flows/" + flow + "/draft", graph.replace("'en'", "'fr'").replace("'next':'t'", "'next':'nowhere'")
                    .replace('\'', '"'), "application/json");
            assertThat(bad.json().get("problems").toString()).contains("zh, en or none", "goes to missing node nowhere");
            var saved = admin.raw("PUT", "/api/v1/flows/" + flow + "/draft", graph.replace('\'', '"'), "application/json");
            assertThat(saved.json().get("problems")).as(saved.toString()).isEmpty();
            assertThat(admin.post("/api/v1/flows/" + flow + "/publish", null).status()).isEqualTo(200);
            assertThat(admin.post("/api/v1/numbers", Map.of("number", "4698", "destinationType", "flow", "destination", "survey_flow")).status())
                    .isEqualTo(201);
            queue(false);
            three.next(n -> is(n, "agent.state", "ready"), "agent 3 ready for J");
            Sipp.Run j = peers().uac("uac_survey", "4698", SipPeers.vars("13900000111", "PAUSE", "13000", "DTMFACTIONS", SipPeers.dtmf("1"),
                    "AFTER", "500"), "-timeout", "60");
            JsonNode offered = three.next("call.offered").get("call");
            assertThat(offered.get("queue").asText()).isEqualTo("sales");
            ok("13900000111", j);
            assertThat(surveyData("13900000111")).isEqualTo("queue=sales agent=" + agent3 + " result=answered score=1");
        }
        assertThat(server.hotline().eventLog().flush(10, TimeUnit.SECONDS)).isTrue();

        // The rows, the agents' own results and the per-agent report name the final agent.
        String hCall = record("13900000109").get("callId").asText();
        String iCall = record("13900000110").get("callId").asText();
        JsonNode mine1 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW).get("/api/v1/agent/surveys?calls=" + hCall + "," + iCall).json();
        assertThat(mine1).hasSize(1);
        assertThat(mine1.get(0).get("callId").asText()).isEqualTo(hCall);
        assertThat(mine1.get(0).get("score").asInt()).isEqualTo(2);
        JsonNode mine3 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent3", PW).get("/api/v1/agent/surveys?calls=" + hCall + "," + iCall).json();
        assertThat(mine3).hasSize(1);
        assertThat(mine3.get(0).get("callId").asText()).isEqualTo(iCall);
        assertThat(mine3.get(0).get("score").asInt()).isEqualTo(1);
        JsonNode a1 = report("satisfaction-agents", "&agent=" + agent1);
        assertThat(a1.get("rows")).hasSize(1);
        assertValues(a1.get("rows").get(0), counts("surveyed", 1, "surveyAnswered", 1, "verySatisfied", 0, "satisfied", 1, "unsatisfied", 0));
        JsonNode a3 = report("satisfaction-agents", "&agent=" + agent3);
        assertThat(a3.get("rows")).hasSize(1);
        assertValues(a3.get("rows").get(0), counts("surveyed", 2, "surveyAnswered", 2, "verySatisfied", 2, "satisfied", 0, "unsatisfied", 0));
        // Sales counts H, I and J with the rest: the script's five and the desk's one.
        assertValues(report("satisfaction", "&queue=sales").get("total"), counts("surveyed", 9, "surveyAnswered", 7, "verySatisfied", 3, "satisfied", 2));
        assertThat(report("satisfaction", "&queue=support").get("rows")).isEmpty();
    }

    /**
     * MSG-4 after a transfer agent 3's own SIP phone makes (a {@link RawUa} registered as 1003, agent 3 signed in with it):
     * L, blind (REFER to 1001, RFC 3515): the server takes the caller off agent 3's phone (NOTIFY 200, then BYE) and, agent 1
     * being a signed-in, ready agent, the ACD offers the call to agent 1 alone as the desk's transfer does; agent 1's phone
     * answers and hangs up 2.5 s later: L is surveyed for agent 1 and presses 2 (before: the phone's leg was rung directly,
     * not an agent's leg for the survey: not surveyed). M, attended: the phone calls 1001 on a second dialog (digest
     * authenticated), agent 1's phone answers, the phone REFERs the caller with Replaces (RFC 3891) naming that dialog: the
     * caller is bridged with agent 1's leg (a direct call agent 1's open desk follows), agent 1 hangs up 2.5 s after answering:
     * M is surveyed for agent 1 and presses 1. Both end with agents 1 and 3 ready.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aTransferByTheAgentsOwnPhoneBlindOrAttendedIsSurveyedForTheColleague() throws Exception {
        queue(true);
        long agent1 = userId("agent1");
        long agent3 = userId("agent3");
        var acd = server.hotline().acd();
        long enterprise = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
        ApiClient one = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        ApiClient three = ApiClient.loggedIn(server.baseUrl(), "demo", "agent3", PW);
        for (String other : List.of("agent1", "agent2", "agent3")) ApiClient.loggedIn(server.baseUrl(), "demo", other, PW).delete("/api/v1/agent/session");
        int sipPort = server.hotline().engine().sipPort();
        phone("1001", 2500);
        try (dev.hotline.engine.testing.RawUa phone3 = new dev.hotline.engine.testing.RawUa(sipPort);
             CtiClient oneDesk = CtiClient.connect(one, server.baseUrl())) {
            oneDesk.next("hello");
            peers().register("1003", PW, phone3.port(), "200");
            assertThat(three.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            assertThat(three.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);

            // L: blind.
            try (RtpCaller l = RtpCaller.call(sipPort, "13900000113", "4697")) {
                var inv = answeredBy(phone3, "a3l");
                String callId = connected(acd, enterprise, agent3);
                // Agent 1 signs in only now, so that the queue offered L to agent 3.
                assertThat(one.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
                assertThat(one.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
                refer(phone3, inv, "a3l", "<sip:1001@127.0.0.1>", 1);
                surveyed(l, callId, "2");
                assertThat(surveyData("13900000113")).isEqualTo("queue=sales agent=" + agent1 + " result=answered score=2");
                assertThat(admin.get("/api/v1/calls/" + callId + "/events").body()).as("the phone's transfer, then the ACD's to agent 1")
                        .contains("kind=blind target=1001", "kind=agent");
            }
            assertThat(one.delete("/api/v1/agent/session").status()).isEqualTo(200);
            agentReadyAgain(acd, enterprise, agent3);

            // M: attended (agent 1's phone answers the consultation and hangs up 2.5 s later, after the REFER).
            try (RtpCaller m = RtpCaller.call(sipPort, "13900000114", "4697")) {
                var inv = answeredBy(phone3, "a3m");
                String callId = connected(acd, enterprise, agent3);
                assertThat(one.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
                String[] consult = consult(phone3, sipPort, "1001", "a3c");
                refer(phone3, inv, "a3m", "<sip:1001@127.0.0.1?Replaces=" + consult[0] + "%3Bto-tag%3D" + consult[1] + "%3Bfrom-tag%3Da3c>", 2);
                surveyed(m, callId, "1");
                assertThat(surveyData("13900000114")).isEqualTo("queue=sales agent=" + agent1 + " result=answered score=1");
                assertThat(admin.get("/api/v1/calls/" + callId + "/events").body()).contains("kind=attended");
            }
            agentReadyAgain(acd, enterprise, agent3);
            await("agent 1 free again").atMost(Duration.ofSeconds(10))
                    .until(() -> acd.agentView(enterprise, agent1).map(a -> a.callId() == null && a.state() != dev.hotline.acd.AgentState.ON_CALL)
                            .orElse(false));
        }
        assertThat(server.hotline().eventLog().flush(10, TimeUnit.SECONDS)).isTrue();
        JsonNode mine = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW)
                .get("/api/v1/agent/surveys?calls=" + record("13900000113").get("callId").asText() + "," + record("13900000114").get("callId").asText())
                .json();
        assertThat(mine).as("agent 1's own results").hasSize(2);
    }

    /**
     * MSG-4 after a transfer agent 3's own phone (a {@link RawUa} registered as 1003) makes to a colleague the ACD does not
     * take the call to: the caller goes straight to the colleague's extension, a leg no desk follows, and is surveyed about
     * the colleague when that extension is a user's who is signed in as an agent, in any state. N, blind (REFER to 1001):
     * agent 1 signed in but not ready, no desk open; the engine rings 1001 itself, agent 1's phone (SIPp) answers and hangs
     * up 2.5 s later: N is surveyed for agent 1 and presses 2 (before: the caller was hung up with the colleague, no
     * survey). O, attended (a consultation call from the phone to 1001, then REFER with Replaces): agent 1 still not ready
     * and without a desk: surveyed for agent 1, presses 1. P, blind to 1001 with agent 1 signed out: not surveyed, the
     * caller is hung up when agent 1's phone hangs up.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aPhonesTransferStraightToAColleaguesExtensionIsSurveyedWhenTheyAreSignedInInAnyState() throws Exception {
        queue(true);
        long agent1 = userId("agent1");
        long agent3 = userId("agent3");
        var acd = server.hotline().acd();
        long enterprise = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
        ApiClient one = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        ApiClient three = ApiClient.loggedIn(server.baseUrl(), "demo", "agent3", PW);
        for (String other : List.of("agent1", "agent2", "agent3")) ApiClient.loggedIn(server.baseUrl(), "demo", other, PW).delete("/api/v1/agent/session");
        int sipPort = server.hotline().engine().sipPort();
        phone("1001", 2500);
        try (dev.hotline.engine.testing.RawUa phone3 = new dev.hotline.engine.testing.RawUa(sipPort)) {
            peers().register("1003", PW, phone3.port(), "200");
            assertThat(three.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            assertThat(three.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);

            // N: blind, to a colleague signed in but not ready (the ACD would not offer them the call), desk closed.
            try (RtpCaller n = RtpCaller.call(sipPort, "13900000115", "4697")) {
                var inv = answeredBy(phone3, "a3n");
                String callId = connected(acd, enterprise, agent3);
                assertThat(one.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
                assertThat(acd.agentView(enterprise, agent1).orElseThrow().state()).isEqualTo(dev.hotline.acd.AgentState.NOT_READY);
                refer(phone3, inv, "a3n", "<sip:1001@127.0.0.1>", 1);
                surveyed(n, callId, "2");
                assertThat(surveyData("13900000115")).isEqualTo("queue=sales agent=" + agent1 + " result=answered score=2");
                assertThat(admin.get("/api/v1/calls/" + callId + "/events").body()).as("straight to the extension, not through the ACD")
                        .contains("kind=blind target=1001").doesNotContain("kind=agent");
            }
            agentReadyAgain(acd, enterprise, agent3);

            // O: attended, to the same colleague (not ready, desk closed).
            try (RtpCaller o = RtpCaller.call(sipPort, "13900000116", "4697")) {
                var inv = answeredBy(phone3, "a3o");
                String callId = connected(acd, enterprise, agent3);
                assertThat(acd.agentView(enterprise, agent1).orElseThrow().state()).isNotEqualTo(dev.hotline.acd.AgentState.LOGGED_OUT);
                String[] consult = consult(phone3, sipPort, "1001", "a3p");
                refer(phone3, inv, "a3o", "<sip:1001@127.0.0.1?Replaces=" + consult[0] + "%3Bto-tag%3D" + consult[1] + "%3Bfrom-tag%3Da3p>", 2);
                surveyed(o, callId, "1");
                assertThat(surveyData("13900000116")).isEqualTo("queue=sales agent=" + agent1 + " result=answered score=1");
                assertThat(admin.get("/api/v1/calls/" + callId + "/events").body()).contains("kind=attended");
            }
            agentReadyAgain(acd, enterprise, agent3);

            // P: blind, to the colleague signed out: their extension is no agent's, the caller is not surveyed.
            assertThat(one.delete("/api/v1/agent/session").status()).isEqualTo(200);
            try (RtpCaller p = RtpCaller.call(sipPort, "13900000117", "4697")) {
                var inv = answeredBy(phone3, "a3q");
                String callId = connected(acd, enterprise, agent3);
                refer(phone3, inv, "a3q", "<sip:1001@127.0.0.1>", 1);
                p.awaitServerBye(); // hung up with agent 1's phone
                assertThat(eventTypes(callId)).doesNotContain("survey_start", "survey");
            }
            agentReadyAgain(acd, enterprise, agent3);
        }
        assertThat(server.hotline().eventLog().flush(10, TimeUnit.SECONDS)).isTrue();
        JsonNode mine = one.get("/api/v1/agent/surveys?calls=" + record("13900000115").get("callId").asText() + ","
                + record("13900000116").get("callId").asText() + "," + record("13900000117").get("callId").asText()).json();
        assertThat(mine).as("agent 1's own results").hasSize(2);
    }

    /** Answers the next INVITE the phone gets (a queue offer) with {@code tag}; the INVITE. */
    static dev.hotline.engine.testing.RawUa.Msg answeredBy(dev.hotline.engine.testing.RawUa phone, String tag) throws Exception {
        var inv = phone.await(x -> x.isRequest("INVITE"), "the offer to the phone");
        phone.respond(inv, 200, "OK", tag, null, dev.hotline.engine.testing.RawUa.sdp(Ports.free(2)));
        phone.await(x -> x.isRequest("ACK") && inv.header("Call-ID").equals(x.header("Call-ID")), "the ACK of the offer");
        return inv;
    }

    /** The call agent {@code userId} talks on once the queue connected the caller to them. */
    String connected(dev.hotline.acd.Acd acd, long enterprise, long userId) {
        String callId = await("on the call").atMost(Duration.ofSeconds(10)).until(() -> acd.agentView(enterprise, userId)
                .filter(a -> a.state() == dev.hotline.acd.AgentState.ON_CALL).map(dev.hotline.acd.AgentView::callId).orElse(null), java.util.Objects::nonNull);
        await("connected").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> eventTypes(callId).contains("queue_connect"));
        return callId;
    }

    static void agentReadyAgain(dev.hotline.acd.Acd acd, long enterprise, long userId) {
        await("ready again").atMost(Duration.ofSeconds(15))
                .until(() -> acd.agentView(enterprise, userId).map(a -> a.state() == dev.hotline.acd.AgentState.READY).orElse(false));
    }

    /**
     * The phone REFERs the caller of dialog {@code inv} (where it answered with {@code tag}) to {@code referTo}; answers the
     * NOTIFYs and BYEs until the transfer succeeded (NOTIFY 200) and {@code byes} of its dialogs were ended by the server.
     */
    static void refer(dev.hotline.engine.testing.RawUa phone, dev.hotline.engine.testing.RawUa.Msg inv, String tag, String referTo, int byes)
            throws Exception {
        String callId = inv.header("Call-ID");
        phone.send("REFER " + inv.header("Contact").replaceAll("^.*<|>.*$", "") + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + phone.port() + ";branch=" + dev.hotline.engine.testing.RawUa.branch() + "\r\n"
                + "From: " + inv.header("To") + ";tag=" + tag + "\r\nTo: " + inv.header("From") + "\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 5 REFER\r\nMax-Forwards: 70\r\n"
                + "Contact: <sip:1003@127.0.0.1:" + phone.port() + ">\r\n"
                + "Refer-To: " + referTo + "\r\n\r\n");
        var answer = phone.await(x -> x.status() > 0 && x.header("CSeq").contains("REFER"), "the REFER's answer");
        assertThat(answer.status()).as(answer.text()).isEqualTo(202);
        boolean done = false;
        int ended = 0;
        while (!done || ended < byes) {
            var req = phone.await(x -> x.isRequest("NOTIFY") || x.isRequest("BYE"), "NOTIFY and BYE");
            phone.respond(req, 200, "OK", null, null, null);
            if (req.isRequest("NOTIFY")) {
                assertThat(req.body()).as("the transfer's outcome").doesNotContain("SIP/2.0 4", "SIP/2.0 5", "SIP/2.0 6");
                done |= req.body().contains("SIP/2.0 200");
            } else {
                ended++;
            }
        }
    }

    /**
     * The phone (extension 1003, digest-authenticated) calls {@code extension} on a second dialog with from-tag {@code tag};
     * once answered: that dialog's Call-ID and the server's tag in it.
     */
    static String[] consult(dev.hotline.engine.testing.RawUa phone, int sipPort, String extension, String tag) throws Exception {
        String callId = "consult-" + java.util.UUID.randomUUID();
        String uri = "sip:" + extension + "@127.0.0.1:" + sipPort;
        String invite = "INVITE " + uri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + phone.port() + ";branch=%s\r\n"
                + "From: <sip:1003@127.0.0.1>;tag=" + tag + "\r\nTo: <sip:" + extension + "@127.0.0.1>\r\nCall-ID: " + callId + "\r\n"
                + "CSeq: %d INVITE\r\nMax-Forwards: 70\r\nContact: <sip:1003@127.0.0.1:" + phone.port() + ">\r\n%s"
                + "Content-Type: application/sdp\r\n\r\n" + dev.hotline.engine.testing.RawUa.sdp(Ports.free(2));
        String branch1 = dev.hotline.engine.testing.RawUa.branch();
        phone.send(String.format(invite, branch1, 1, ""));
        var challenge = phone.await(x -> callId.equals(x.header("Call-ID")) && (x.status() == 401 || x.status() == 407), "the challenge");
        phone.send("ACK " + uri + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + phone.port() + ";branch=" + branch1 + "\r\n"
                + "From: <sip:1003@127.0.0.1>;tag=" + tag + "\r\nTo: " + challenge.header("To") + "\r\nCall-ID: " + callId
                + "\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\n\r\n");
        boolean proxy = challenge.status() == 407;
        String header = challenge.header(proxy ? "Proxy-Authenticate" : "WWW-Authenticate");
        var nonce = java.util.regex.Pattern.compile("nonce=\"([^\"]+)\"").matcher(header);
        var realm = java.util.regex.Pattern.compile("realm=\"([^\"]+)\"").matcher(header);
        assertThat(nonce.find() && realm.find()).as(challenge.text()).isTrue();
        String response = md5(md5("1003:" + realm.group(1) + ":" + PW) + ":" + nonce.group(1) + ":" + md5("INVITE:" + uri));
        phone.send(String.format(invite, dev.hotline.engine.testing.RawUa.branch(), 2, (proxy ? "Proxy-Authorization" : "Authorization")
                + ": Digest username=\"1003\",realm=\"" + realm.group(1) + "\",nonce=\"" + nonce.group(1) + "\",uri=\"" + uri
                + "\",response=\"" + response + "\",algorithm=MD5\r\n"));
        var ok = phone.await(x -> callId.equals(x.header("Call-ID")) && x.status() >= 200 && x.header("CSeq").startsWith("2 "), "the consulted answer");
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
        phone.send("ACK " + ok.header("Contact").replaceAll("^.*<|>.*$", "") + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + phone.port()
                + ";branch=" + dev.hotline.engine.testing.RawUa.branch() + "\r\n"
                + "From: <sip:1003@127.0.0.1>;tag=" + tag + "\r\nTo: " + ok.header("To") + "\r\nCall-ID: " + callId
                + "\r\nCSeq: 2 ACK\r\nMax-Forwards: 70\r\n\r\n");
        return new String[] {callId, ok.tag("To")};
    }

    static String md5(String s) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        return String.format("%032x", new java.math.BigInteger(1, d));
    }

    /** The survey of {@code callId} starts after the final agent hung up; the caller presses {@code key} and is thanked and hung up. */
    void surveyed(RtpCaller caller, String callId, String key) throws Exception {
        await("survey_start of " + callId).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> eventTypes(callId).contains("survey_start"));
        caller.awaitSoundThenQuiet(Math.max(0, caller.heard().size() - 50), 700);
        caller.keys(key);
        caller.awaitServerBye();
    }
}
