package dev.hotline.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.CtiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 15, "a scripted day": one enterprise (demo), one day, real SIPp calls ending every way Hotline knows, then every
 * number of the reports they touch asserted against the script, the reconciliation of every queue and of the enterprise,
 * and the CSV and xlsx exports of the summary and the queues parsed back to the same numbers.
 *
 * <p>The script (callers 1380000000n; agent 1's phone answers at once, agent 2's after 2 s of ringing, agent 3's answers
 * and hangs up after 2.5 s):
 * <ol>
 * <li>nobody signed in: c1 hangs up in a menu (left in the IVR); c2 hears a flow's goodbye (IVR only); c3 calls sales,
 *     which has nobody signed in (overflow no_agents to a hang-up: not answered by the system);</li>
 * <li>agents signed in, not ready: c4 waits in sales (max 1 caller) and keys 9 for its voicemail; meanwhile c5 finds sales
 *     full (overflow full, hang-up); c6 hangs up after 4 s (abandoned queued); c7 keys * (callback);</li>
 * <li>agent 1 ready: the callback rings agent 1, then c7's number through a trunk, which answers (reached);</li>
 * <li>c8 reaches agent 1, who transfers to agent 2 (8002), who answers and hangs up (answered, one transfer);</li>
 * <li>only agent 2 ready: c9 hangs up while agent 2's phone rings (abandoned ringing);</li>
 * <li>support with its survey on, only agent 3 ready: c10 is answered, agent 3 hangs up, c10 presses 1 (very satisfied);
 *     nobody ready: c11 waits 2 s, the maximum, and is sent to a hang-up (overflow max_wait); c12 hangs up after 1 s
 *     (a short abandon).</li>
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportDayTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    TestServer server;
    ApiClient admin;
    long enterprise;
    final Map<String, Long> queues = new HashMap<>();
    final Map<String, Long> users = new HashMap<>();
    final Map<Integer, ApiClient> agents = new HashMap<>();
    final List<Sipp.Run> phones = new ArrayList<>();
    final List<CtiClient> ctis = new ArrayList<>();
    Path work;
    String range;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        enterprise = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
        work = Files.createTempDirectory("report-day");
        for (JsonNode u : admin.get("/api/v1/users").json()) users.put(u.get("username").asText(), u.get("id").asLong());
        for (JsonNode q : admin.get("/api/v1/queues").json()) queues.put(q.get("name").asText(), q.get("id").asLong());
        Instant from = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 900 * 900);
        range = "from=" + from + "&to=" + from.plus(Duration.ofDays(1)) + "&group=day&tz=UTC";
        playTheDay();
    }

    @AfterAll
    void stop() {
        ctis.forEach(CtiClient::close);
        phones.forEach(Sipp.Run::kill);
        if (server != null) server.close();
    }

    SipPeers peers() {
        return new SipPeers(work, server.hotline().engine().sipPort());
    }

    void number(String number, String type, String destination) {
        var r = admin.post("/api/v1/numbers", Map.of("number", number, "destinationType", type, "destination", destination));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    void flow(String name, String number, String graphJson) {
        long id = admin.post("/api/v1/flows", Map.of("name", name)).json().get("id").asLong();
        var saved = admin.raw("PUT", "/api/v1/flows/" + id + "/draft", graphJson.replace('\'', '"'), "application/json");
        assertThat(saved.json().get("problems")).as(saved.toString()).isEmpty();
        assertThat(admin.post("/api/v1/flows/" + id + "/publish", null).status()).isEqualTo(200);
        number(number, "flow", name);
    }

    void queue(String name, Map<String, Object> settings) {
        Map<String, Object> s = new HashMap<>(Map.of("ringTimeoutSeconds", 10, "wrapUpSeconds", 1, "serviceLevelSeconds", 20,
                "shortAbandonSeconds", 2));
        s.putAll(settings);
        var r = admin.put("/api/v1/queues/" + queues.get(name), Map.of("name", name, "strategy", "linear", "settings", s));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        server.hotline().acd().settle();
    }

    /** Agent n's SIP phone playing {@code scenario}, registered as 100n; the agent signed in on it (not ready). */
    void agentPhone(int n, String scenario, String... kv) throws Exception {
        int port = Ports.free();
        var vars = SipPeers.vars("x", kv);
        vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
        Sipp.Run phone = Sipp.start(work, scenario, vars, null, port,
                List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)), "-m", "1000", "-timeout", "300"));
        Sipp.awaitUdpBound(port);
        phones.add(phone);
        peers().register("100" + n, PW, port, "200");
        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent" + n, PW);
        agents.put(n, agent);
        var r = agent.post("/api/v1/agent/session", Map.of("device", "sip"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    String state(int n) {
        return agents.get(n).get("/api/v1/agent/state").json().get("state").asText();
    }

    void ready(int n) {
        await("agent " + n + " ready").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> agents.get(n).put("/api/v1/agent/state", Map.of("state", "ready")).status() == 200);
    }

    void notReady(int n) {
        await("agent " + n + " not ready").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> agents.get(n).put("/api/v1/agent/state", Map.of("state", "not_ready", "reason", "break")).status() == 200
                        && state(n).equals("not_ready"));
    }

    static String caller(int n) {
        return "138000000" + (n < 10 ? "0" : "") + n;
    }

    /** The inbound call record of caller n, once written. */
    JsonNode record(int n) {
        return await("record of c" + n).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> admin.get("/api/v1/calls?direction=inbound&number=" + caller(n)).json().get("items"), items -> items.size() == 1)
                .get(0);
    }

    void playTheDay() throws Exception {
        number("4601", "queue", "sales");
        number("4602", "queue", "support");
        flow("day_menu", "4603", "{'start':'menu','nodes':{'menu':{'type':'menu','prompts':[{'prompt':'WELCOME'},{'prompt':'DEMO_MENU'}],"
                + "'options':{'1':'bye'},'timeoutSeconds':5,'retries':2,'fail':'bye'},'bye':{'type':'hangup'}}}");
        flow("day_bye", "4604", "{'start':'hi','nodes':{'hi':{'type':'play','prompts':[{'prompt':'WELCOME'}],'next':'bye'},'bye':{'type':'hangup'}}}");
        // Customers are called back through a carrier (numbers 138...); it answers and hangs up after 1.5 s (started when needed).
        int carrier = Ports.free();
        long trunk = admin.post("/api/v1/trunks", Map.of("name", "day-carrier", "host", "127.0.0.1", "port", carrier, "allowedIps", List.of()))
                .json().get("id").asLong();
        assertThat(admin.post("/api/v1/outbound-routes", Map.of("name", "day-out", "prefix", "138", "trunkId", trunk, "priority", 1)).status())
                .isEqualTo(201);
        Map<String, Object> hangup = Map.of("type", "hangup");
        queue("sales", Map.of("maxCallers", 1, "noAgents", hangup, "overflow", hangup, "voicemailKey", "9", "callbackKey", "*"));
        queue("support", Map.of("maxWaitSeconds", 2, "overflow", hangup, "survey", Map.of("enabled", true, "language", "zh")));

        // 1. Nobody signed in.
        SipPeers.ok(peers().uac("uac_digits", "4603", SipPeers.vars(caller(1), "PAUSE", "1500", "AFTER", "0", "DTMFACTIONS", "")));
        SipPeers.ok(peers().uac("uac_wait_bye", "4604", SipPeers.vars(caller(2))));
        SipPeers.ok(peers().uac("uac_wait_bye", "4601", SipPeers.vars(caller(3))));
        assertThat(record(3).get("queueResult").asText()).isEqualTo("overflow");

        // 2. Signed in, not ready.
        agentPhone(1, "uas_answer");
        agentPhone(2, "uas_ring_or_answer", "RINGMS", "2000");
        agentPhone(3, "uas_bye", "PAUSE", "2500");
        Sipp.Run c4 = peers().uac("uac_digits", "4601", SipPeers.vars(caller(4), "PAUSE", "4000", "AFTER", "9000", "DTMFACTIONS", SipPeers.dtmf("9")));
        await("c4 waiting").atMost(Duration.ofSeconds(10)).until(() -> server.hotline().acd().waiting(enterprise).size() == 1);
        SipPeers.ok(peers().uac("uac_wait_bye", "4601", SipPeers.vars(caller(5))));
        SipPeers.ok(c4);
        assertThat(record(4).get("disposition").asText()).isEqualTo("voicemail");
        assertThat(record(5).get("queueResult").asText()).isEqualTo("overflow");
        SipPeers.ok(peers().uac("uac_call", "4601", SipPeers.vars(caller(6), "PAUSE", "4000")));
        SipPeers.ok(peers().uac("uac_digits", "4601", SipPeers.vars(caller(7), "PAUSE", "1500", "AFTER", "1500", "DTMFACTIONS", SipPeers.dtmf("*"))));
        assertThat(record(7).get("queueResult").asText()).isEqualTo("callback");

        // 3. Agent 1 ready: the callback.
        phones.add(peers().uas("uas_bye", carrier, SipPeers.vars("x", "PAUSE", "1500")));
        ready(1);
        JsonNode back;
        try {
            back = await("call back of c7").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                for (JsonNode r : admin.get("/api/v1/calls?direction=outbound&number=" + caller(7)).json().get("items")) return Optional.of(r);
                return Optional.<JsonNode>empty();
            }, Optional::isPresent).get();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.println("DIAG waiting " + server.hotline().acd().waiting(enterprise) + " agent1 " + agents.get(1).get("/api/v1/agent/state").body()
                    + " calls " + admin.get("/api/v1/calls?limit=100").body());
            throw e;
        }
        assertThat(back.get("disposition").asText()).isEqualTo("answered");
        assertThat(back.get("agentJob").asText()).isEqualTo("8001");
        await().atMost(Duration.ofSeconds(10)).until(() -> server.hotline().acd().waiting(enterprise).isEmpty());
        queue("sales", Map.of("noAgents", hangup, "overflow", hangup, "voicemailKey", "9", "callbackKey", "*"));

        // 4. A transfer from agent 1 to agent 2.
        await("agent 1 ready after the callback").atMost(Duration.ofSeconds(10)).until(() -> state(1).equals("ready"));
        CtiClient one = CtiClient.connect(agents.get(1), server.baseUrl());
        CtiClient two = CtiClient.connect(agents.get(2), server.baseUrl());
        ctis.add(one);
        ctis.add(two);
        one.next("hello");
        two.next("hello");
        Sipp.Run c8 = peers().uac("uac_wait_bye", "4601", SipPeers.vars(caller(8)));
        String leg = one.next("call.offered").get("call").get("legId").asText();
        one.next("call.answered");
        ready(2);
        JsonNode done = one.command("transfer", Map.of("legId", leg, "to", "8002"));
        assertThat(done.get("type").asText()).as(done.toString()).isEqualTo("ok");
        String leg2 = two.next("call.offered").get("call").get("legId").asText();
        two.next("call.answered");
        two.command("hangup", Map.of("legId", leg2));
        SipPeers.ok(c8);
        notReady(1);

        // 5. Only agent 2 ready: the caller hangs up while agent 2's phone rings.
        await("agent 2 ready after the transfer").atMost(Duration.ofSeconds(10)).until(() -> state(2).equals("ready"));
        SipPeers.ok(peers().uac("uac_call", "4601", SipPeers.vars(caller(9), "PAUSE", "1000")));
        assertThat(record(9).get("disposition").asText()).isEqualTo("abandoned_ringing");
        notReady(2);

        // 6. Support: surveyed, sent on after the maximum wait, a short abandon.
        ready(3);
        SipPeers.ok(peers().uac("uac_survey", "4602", SipPeers.vars(caller(10), "PAUSE", "5000", "DTMFACTIONS", SipPeers.dtmf("1"),
                "AFTER", "500"), "-timeout", "60"));
        notReady(3);
        SipPeers.ok(peers().uac("uac_wait_bye", "4602", SipPeers.vars(caller(11))));
        SipPeers.ok(peers().uac("uac_call", "4602", SipPeers.vars(caller(12), "PAUSE", "1000")));

        // The day ends: the agents sign out, so every later request reads the same numbers.
        for (int n = 1; n <= 3; n++) {
            var r = agents.get(n).delete("/api/v1/agent/session");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        for (int n = 1; n <= 12; n++) record(n);
        assertThat(server.hotline().eventLog().flush(10, TimeUnit.SECONDS)).isTrue();
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
            else if (v instanceof String s) assertThat(row.get(k).asText()).as(k + " in " + row).isEqualTo(s);
            else assertThat(row.get(k).asLong()).as(k + " in " + row).isEqualTo(((Number) v).longValue());
        });
    }

    static final Map<String, Object> SALES = counts("offered", 8, "answered", 2, "answeredInTarget", 2, "abandoned", 2, "shortAbandoned", 1,
            "abandonedRinging", 1, "overflowed", 2, "voicemail", 1, "callback", 1, "waiting", 0, "transfers", 1, "serviceLevel", 0.25,
            "answerRate", 0.25, "abandonRate", 0.25, "abandonRateExShort", 0.1429);
    static final Map<String, Object> SUPPORT = counts("offered", 3, "answered", 1, "answeredInTarget", 1, "abandoned", 1, "shortAbandoned", 1,
            "abandonedRinging", 0, "overflowed", 1, "voicemail", 0, "callback", 0, "waiting", 0, "transfers", 0, "serviceLevel", 0.3333,
            "answerRate", 0.3333, "abandonRate", 0.3333, "abandonRateExShort", 0.0);
    static final Map<String, Object> ALL = counts("offered", 11, "answered", 3, "answeredInTarget", 3, "abandoned", 3, "shortAbandoned", 2,
            "abandonedRinging", 1, "overflowed", 3, "voicemail", 1, "callback", 1, "waiting", 0, "transfers", 1, "serviceLevel", 0.2727,
            "answerRate", 0.2727, "abandonRate", 0.2727, "abandonRateExShort", 0.1111);
    static final List<String> RESULTS = List.of("answered", "abandoned", "overflowed", "voicemail", "callback", "waiting");
    static final List<String> COUNTS = List.of("offered", "answered", "answeredInTarget", "abandoned", "shortAbandoned", "abandonedRinging",
            "overflowed", "voicemail", "callback", "waiting", "transfers");

    static void reconciles(JsonNode row) {
        long sum = RESULTS.stream().mapToLong(k -> row.get(k).asLong()).sum();
        assertThat(row.get("offered").asLong()).as("offered = answered + abandoned + overflowed + voicemail + callback + still waiting in " + row)
                .isEqualTo(sum);
    }

    Map<String, JsonNode> byKey(JsonNode table, String key) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        table.get("rows").forEach(r -> m.put(r.get(key).asText(), r));
        return m;
    }

    /**
     * Sales: c3..c9 and the call back itself, a contact of its own that joins the queue when the agent is offered it
     * (answered); support: c10..c12. Each queue reconciles, and the enterprise is the sum of its queues.
     */
    @Test
    void theQueueReportAndTheSummaryCountTheScriptAndReconcile() {
        JsonNode q = report("queues", "");
        Map<String, JsonNode> rows = byKey(q, "queue");
        assertThat(rows).containsOnlyKeys("sales", "support");
        assertValues(rows.get("sales"), SALES);
        assertValues(rows.get("support"), SUPPORT);
        assertValues(q.get("total"), ALL);
        rows.values().forEach(ReportDayTest::reconciles);
        reconciles(q.get("total"));
        for (String k : COUNTS) {
            assertThat(q.get("total").get(k).asLong()).as("total " + k + " = sum of the queues")
                    .isEqualTo(rows.values().stream().mapToLong(r -> r.get(k).asLong()).sum());
        }
        // The abandons: c6 after 4 s, c9 after 1 s (short, while agent 2's phone rang), c12 after 1 s (short).
        assertThat(rows.get("sales").get("avgAbandon").asDouble()).isBetween(2.0, 3.5);
        assertThat(rows.get("sales").get("longestWait").asDouble()).isBetween(3.5, 6.0);
        assertThat(rows.get("support").get("talk").asDouble()).isBetween(2.0, 4.0); // agent 3 hangs up after 2.5 s; the survey is not talk

        JsonNode s = report("summary", "");
        assertThat(s.get("rows")).hasSize(1);
        assertValues(s.get("total"), ALL);
        reconciles(s.get("total"));
        assertValues(s.get("total"), counts("inbound", 12)); // c1..c12; the call back is outbound
        for (String k : COUNTS) assertThat(s.get("total").get(k).asLong()).as("summary " + k).isEqualTo(q.get("total").get(k).asLong());
        // One queue's summary is that queue's figures.
        assertValues(report("summary", "&queue=support").get("total"), SUPPORT);
    }

    /** Agent 1: the call back and c8 (transferred on); agent 2: c8 from agent 1, and c9 that hung up while it rang; agent 3: c10. */
    @Test
    void theAgentReportCountsOffersAnswersAndTheTransfer() {
        JsonNode a = report("agents", "");
        Map<String, JsonNode> rows = byKey(a, "jobNumber");
        assertThat(rows).containsOnlyKeys("8001", "8002", "8003");
        assertValues(rows.get("8001"), counts("offered", 2, "answered", 2, "missed", 0, "transfers", 1));
        assertValues(rows.get("8002"), counts("offered", 2, "answered", 1, "missed", 0, "transfers", 0));
        assertValues(rows.get("8003"), counts("offered", 1, "answered", 1, "missed", 0, "transfers", 0));
        assertValues(a.get("total"), counts("offered", 5, "answered", 4, "missed", 0, "transfers", 1));
        for (JsonNode r : rows.values()) {
            assertThat(r.get("notReadyByReason").asText()).contains("login ", "break ");
            assertThat(r.get("signedIn").asDouble()).isGreaterThan(r.get("notReady").asDouble());
        }
        assertThat(rows.get("8002").get("ringing").asDouble()).isGreaterThan(2.0); // 2 s for the transfer, 1 s for c9
        assertThat(rows.get("8003").get("talk").asDouble()).isBetween(2.0, 4.0);
        // The outbound report: the call back was placed for agent 1 and answered.
        JsonNode o = report("outbound", "");
        assertThat(o.get("rows")).hasSize(1);
        assertValues(o.get("rows").get(0), counts("jobNumber", "8001", "outboundCalls", 1, "outboundAnswered", 1, "outboundAnswerRate", 1.0));
    }

    @Test
    void theUnansweredReportHasTheFourWaysOfLoss() {
        // Left in the IVR: c1. Abandoned queued: c6, c12. While ringing: c9. Not answered by the system: c3 (nobody signed in),
        // c5 (queue full), c11 (maximum wait, overflow to a hang-up), each with its overflow reason. c7 asked for a call back:
        // counted apart, not lost.
        assertValues(report("unanswered", "").get("total"),
                counts("leftInIvr", 1, "abandonedQueued", 2, "abandonedRinging", 1, "notAnswered", 3, "overflowNoAgents", 1, "overflowFull", 1,
                        "overflowMaxWait", 1, "lost", 7, "callback", 1));
        assertValues(report("unanswered", "&queue=support").get("total"),
                counts("leftInIvr", 0, "abandonedQueued", 1, "abandonedRinging", 0, "notAnswered", 1, "overflowNoAgents", 0, "overflowFull", 0,
                        "overflowMaxWait", 1, "lost", 2, "callback", 0));
        assertValues(report("unanswered", "&queue=sales").get("total"),
                counts("notAnswered", 2, "overflowNoAgents", 1, "overflowFull", 1, "overflowMaxWait", 0, "callback", 1));
    }

    @Test
    void trackingGivesEachCallItsPathAndOutcome() {
        JsonNode t = report("tracking", "");
        assertThat(t.get("page").get("total").asLong()).isEqualTo(12);
        List<String> callers = new ArrayList<>();
        List<String> outcomes = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        t.get("rows").forEach(r -> {
            callers.add(r.get("caller").asText() + ">" + r.get("number").asText());
            outcomes.add(r.get("outcome").asText());
            String queuesPath = r.get("queues").isNull() ? "" : r.get("queues").asText().replaceAll(" [0-9.]+ s", "");
            paths.add((r.get("ivrPath").isNull() ? "" : r.get("ivrPath").asText()) + "|" + queuesPath);
        });
        assertThat(callers).containsExactly(caller(1) + ">4603", caller(2) + ">4604", caller(3) + ">4601", caller(4) + ">4601",
                caller(5) + ">4601", caller(6) + ">4601", caller(7) + ">4601", caller(8) + ">4601", caller(9) + ">4601", caller(10) + ">4602",
                caller(11) + ">4602", caller(12) + ">4602");
        assertThat(outcomes).containsExactly("left_ivr", "ivr_only", "not_answered", "voicemail", "not_answered", "abandoned_queued",
                "callback", "answered", "abandoned_ringing", "answered", "not_answered", "abandoned_queued");
        assertThat(paths).containsExactly("day_menu: menu|", "day_bye: hi > bye|", "|sales: overflow (no_agents)",
                "overflow-sales: destination|sales: voicemail", "|sales: overflow (full)", "|sales: abandoned", "|sales: callback", "|sales: answered",
                "|sales: abandoned", "|support: answered", "|support: overflow (max_wait)", "|support: abandoned");
        List<String> reasons = new ArrayList<>();
        t.get("rows").forEach(r -> reasons.add(r.get("overflowReason").isNull() ? "-" : r.get("overflowReason").asText()));
        assertThat(reasons).containsExactly("-", "-", "no_agents", "-", "full", "-", "-", "-", "-", "-", "max_wait", "-");
        JsonNode c8 = t.get("rows").get(7);
        assertThat(c8.get("jobNumber").asText()).isEqualTo("8001");
        JsonNode c10 = t.get("rows").get(9);
        assertThat(c10.get("jobNumber").asText()).isEqualTo("8003");
        assertThat(c10.get("talk").asDouble()).isBetween(2.0, 4.0);
        assertThat(c10.get("duration").asDouble()).isGreaterThan(c10.get("talk").asDouble() + 1); // the survey after the talk
        assertThat(t.get("rows").get(5).get("wait").asDouble()).isBetween(3.5, 6.0);
        // Each way of loss selects as many calls as the unanswered report counts.
        JsonNode lost = report("unanswered", "").get("total");
        Map<String, String> ways = Map.of("left_ivr", "leftInIvr", "abandoned_queued", "abandonedQueued", "abandoned_ringing", "abandonedRinging",
                "not_answered", "notAnswered", "lost", "lost", "callback", "callback");
        ways.forEach((outcome, column) -> assertThat(report("tracking", "&outcome=" + outcome).get("page").get("total").asLong())
                .as(outcome).isEqualTo(lost.get(column).asLong()));
        assertThat(report("tracking", "&outcome=answered").get("page").get("total").asLong()).isEqualTo(2);
        assertThat(report("tracking", "&outcome=voicemail").get("page").get("total").asLong()).isEqualTo(1);
        assertThat(report("tracking", "&outcome=ivr_only").get("page").get("total").asLong()).isEqualTo(1);
    }

    @Test
    void eachLostCallerHasItsCallBackStatus() {
        JsonNode c = report("callbacks", "");
        assertThat(c.get("page").get("total").asLong()).isEqualTo(8); // the 7 lost callers and c7, who asked for a call back
        Map<String, JsonNode> rows = byKey(c, "caller");
        assertThat(rows).containsOnlyKeys(caller(1), caller(3), caller(5), caller(6), caller(7), caller(9), caller(11), caller(12));
        JsonNode back = rows.get(caller(7));
        assertValues(back, counts("callbackStatus", "reached", "reachedVia", "outbound", "reachedById", users.get("agent1"), "queue", "sales"));
        assertThat(back.get("reachedAfter").asDouble()).isPositive();
        assertThat(back.get("reachedAt").asText()).isGreaterThan(back.get("time").asText());
        rows.forEach((who, r) -> {
            if (!who.equals(caller(7))) assertValues(r, counts("callbackStatus", "not_called_back", "reachedAt", null));
        });
        assertThat(rows.get(caller(1)).get("outcome").asText()).isEqualTo("left_ivr");
        assertThat(rows.get(caller(9)).get("outcome").asText()).isEqualTo("abandoned_ringing");
        assertThat(rows.get(caller(7)).get("outcome").asText()).isEqualTo("callback");
        assertThat(rows.get(caller(3)).get("outcome").asText()).isEqualTo("not_answered");
    }

    @Test
    void theNumberToleranceAndSatisfactionReportsAgree() {
        Map<String, JsonNode> n = byKey(report("numbers", ""), "number");
        assertThat(n).containsOnlyKeys("4601", "4602", "4603", "4604");
        assertValues(n.get("4601"), counts("inbound", 7, "answered", 1, "abandonedCalls", 2, "notAnswered", 3, "selfService", 1));
        assertValues(n.get("4602"), counts("inbound", 3, "answered", 1, "abandonedCalls", 1, "notAnswered", 1, "selfService", 0));
        assertValues(n.get("4603"), counts("inbound", 1, "answered", 0, "abandonedCalls", 1, "notAnswered", 0, "selfService", 0));
        assertValues(n.get("4604"), counts("inbound", 1, "answered", 0, "abandonedCalls", 0, "notAnswered", 0, "selfService", 1));

        Map<String, JsonNode> tol = byKey(report("tolerance", ""), "queue");
        Map<String, JsonNode> q = byKey(report("queues", ""), "queue");
        for (String queue : List.of("sales", "support")) {
            assertThat(tol.get(queue).get("answered").asLong()).as(queue).isEqualTo(q.get(queue).get("answered").asLong());
            assertThat(tol.get(queue).get("abandoned").asLong()).as(queue).isEqualTo(q.get(queue).get("abandoned").asLong());
        }

        // c10 pressed 1 after agent 3 hung up.
        JsonNode sat = report("satisfaction", "");
        assertThat(sat.get("rows")).hasSize(1);
        assertValues(sat.get("rows").get(0), counts("queue", "support", "surveyed", 1, "surveyAnswered", 1, "verySatisfied", 1, "satisfied", 0,
                "unsatisfied", 0, "verySatisfiedRate", 1.0));
        JsonNode byAgent = report("satisfaction-agents", "");
        assertThat(byAgent.get("rows")).hasSize(1);
        assertValues(byAgent.get("rows").get(0), counts("jobNumber", "8003", "surveyed", 1, "verySatisfied", 1));
    }

    @Test
    void csvAndXlsxOfTheSummaryAndTheQueuesCarryTheSameNumbers() throws Exception {
        for (String name : List.of("summary", "queues")) {
            JsonNode json = report(name, "");
            List<String> keys = new ArrayList<>();
            json.get("columns").forEach(c -> keys.add(c.get("key").asText()));
            List<JsonNode> want = new ArrayList<>();
            json.get("rows").forEach(want::add);
            want.add(json.get("total"));

            var csv = admin.getBytes("/api/v1/reports/" + name + "?" + range + "&format=csv&lang=en");
            assertThat(csv.status()).isEqualTo(200);
            String text = new String(csv.body(), StandardCharsets.UTF_8).substring(1); // the BOM
            List<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new InputStreamReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8)).getRecords();
            assertThat(records).hasSize(want.size());
            for (int r = 0; r < want.size(); r++) {
                for (int c = 0; c < keys.size(); c++) same(name + " csv " + keys.get(c), want.get(r).get(keys.get(c)), records.get(r).get(c));
            }
            // The script's own numbers, read from the CSV's total row by header.
            CSVRecord total = records.get(records.size() - 1);
            assertThat(total.get("Offered")).isEqualTo("11");
            assertThat(total.get("Callback")).isEqualTo("1");

            var xlsx = admin.getBytes("/api/v1/reports/" + name + "?" + range + "&format=xlsx");
            assertThat(xlsx.status()).isEqualTo(200);
            try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx.body()))) {
                List<Row> rows = wb.getFirstSheet().read();
                assertThat(rows).hasSize(want.size() + 1);
                for (int r = 0; r < want.size(); r++) {
                    Row row = rows.get(r + 1);
                    for (int c = 0; c < keys.size(); c++) {
                        var cell = c < row.getCellCount() ? row.getCell(c) : null;
                        String v = cell == null || cell.getType() == CellType.EMPTY ? "" : cell.getText();
                        same(name + " xlsx " + keys.get(c), want.get(r).get(keys.get(c)), v);
                    }
                }
                int offered = keys.indexOf("offered");
                assertThat(new BigDecimal(rows.get(rows.size() - 1).getCell(offered).getText())).isEqualByComparingTo("11");
            }
        }
    }

    /** A JSON value and an exported cell's text are the same number (or text; null is an empty cell). */
    static void same(String what, JsonNode json, String cell) {
        if (json == null || json.isNull()) assertThat(cell).as(what).isEmpty();
        else if (json.isNumber()) assertThat(new BigDecimal(cell)).as(what).isEqualByComparingTo(json.decimalValue());
        else assertThat(cell).as(what).isEqualTo(json.asText());
    }
}
