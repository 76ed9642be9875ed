package dev.hotline.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * RPT-2 / RPT-3 end to end: real SIPp calls through the demo queue "sales" (one answered after a missed offer, two
 * abandoned, one of them short, one overflowed), then every number of the queue, summary, agent and unanswered reports
 * asserted exactly over HTTP, and the xlsx and CSV exports parsed back to the same numbers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportCallsTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    TestServer server;
    ApiClient admin;
    long queueId;
    final Map<String, Long> users = new HashMap<>();
    final List<Sipp.Run> phones = new ArrayList<>();
    Path phoneDir;
    String range;
    Instant started;

    /** The server's database. */
    dev.hotline.testing.TestDatabases.Kind kind() {
        return dev.hotline.testing.TestDatabases.Kind.H2;
    }

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start(kind(), Map.of());
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        phoneDir = java.nio.file.Files.createTempDirectory("report-phones");
        for (JsonNode u : admin.get("/api/v1/users").json()) users.put(u.get("username").asText(), u.get("id").asLong());
        for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("sales")) queueId = q.get("id").asLong();
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4698", "destinationType", "queue", "destination", "sales")).status())
                .isEqualTo(201);
        started = Instant.now();
        Instant from = Instant.ofEpochSecond(started.getEpochSecond() / 900 * 900);
        range = "from=" + from + "&to=" + from.plus(Duration.ofDays(1)) + "&group=day&tz=UTC";
        playTheDay();
    }

    @AfterAll
    void stop() {
        phones.forEach(Sipp.Run::kill);
        if (server != null) server.close();
    }

    SipPeers peers() {
        return new SipPeers(phoneDir, server.hotline().engine().sipPort());
    }

    void agentPhone(int n, String scenario) throws Exception {
        int port = Ports.free();
        var vars = SipPeers.vars("x");
        vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
        Sipp.Run phone = Sipp.start(phoneDir, scenario, vars, null, port,
                List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)), "-m", "1000", "-timeout", "300"));
        Sipp.awaitUdpBound(port);
        phones.add(phone);
        peers().register("100" + n, PW, port, "200");
        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent" + n, PW);
        assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
        assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
    }

    void queue(Map<String, Object> settings) {
        var r = admin.put("/api/v1/queues/" + queueId, Map.of("name", "sales", "strategy", "linear", "settings", settings));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        server.hotline().acd().settle();
    }

    JsonNode record(String caller) {
        return await("record of " + caller).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> admin.get("/api/v1/calls?direction=inbound&number=" + caller).json().get("items"), items -> items.size() == 1).get(0);
    }

    /**
     * The scripted day: agent 1's phone never answers (a missed offer, then auto-paused), agent 2 answers the first call;
     * with both not ready a caller hangs up after 4 s (abandoned) and one after 1 s (a short abandon under 3 s); then the
     * queue's 2 s maximum wait sends a caller on to a hang-up (overflow, not answered by the system).
     */
    void playTheDay() throws Exception {
        queue(Map.of("ringTimeoutSeconds", 5, "autoPauseAfterMissed", 1, "wrapUpSeconds", 1, "serviceLevelSeconds", 10,
                "shortAbandonSeconds", 3));
        agentPhone(1, "uas_ring_cancel");
        agentPhone(2, "uas_answer");
        SipPeers.ok(peers().uac("uac_call", "4698", SipPeers.vars("13900000001", "PAUSE", "7000")));
        assertThat(record("13900000001").get("agentJob").asText()).isEqualTo("8002");
        ApiClient agent2 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", PW);
        await().atMost(Duration.ofSeconds(10)).until(() -> agent2.put("/api/v1/agent/state", Map.of("state", "not_ready", "reason", "break"))
                .status() == 200);
        SipPeers.ok(peers().uac("uac_call", "4698", SipPeers.vars("13900000002", "PAUSE", "4000")));
        SipPeers.ok(peers().uac("uac_call", "4698", SipPeers.vars("13900000003", "PAUSE", "1000")));
        assertThat(record("13900000002").get("queueResult").asText()).isEqualTo("abandoned");
        assertThat(record("13900000003").get("queueResult").asText()).isEqualTo("abandoned");
        queue(Map.of("ringTimeoutSeconds", 5, "maxWaitSeconds", 2, "overflow", Map.of("type", "hangup"), "serviceLevelSeconds", 10,
                "shortAbandonSeconds", 3));
        SipPeers.ok(peers().uac("uac_wait_bye", "4698", SipPeers.vars("13900000004")));
        JsonNode overflow = record("13900000004");
        assertThat(overflow.get("queueResult").asText()).isEqualTo("overflow");
        assertThat(overflow.get("disposition").asText()).isEqualTo("unanswered");
        // Agent 2 calls the short abandon back from extension 1002 through a trunk (an outbound call the far end answers).
        int carrier = Ports.free();
        var trunk = admin.post("/api/v1/trunks", Map.of("name", "carrier-rpt", "host", "127.0.0.1", "port", carrier, "allowedIps", List.of()));
        assertThat(trunk.status()).as(trunk.toString()).isEqualTo(201);
        var route = admin.post("/api/v1/outbound-routes", Map.of("name", "rpt-mobiles", "prefix", "139", "stripDigits", 0,
                "trunkId", trunk.json().get("id").asLong(), "priority", 1));
        assertThat(route.status()).as(route.toString()).isEqualTo(201);
        Sipp.Run far = peers().uas("uas_answer", carrier, SipPeers.vars("x"));
        phones.add(far);
        SipPeers.ok(peers().uac("uac_call", "13900000003", SipPeers.vars("1002", "PAUSE", "2000"), "-au", "1002", "-ap", PW));
        JsonNode out = await("outbound record").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> admin.get("/api/v1/calls?direction=outbound&number=13900000003").json().get("items"), items -> items.size() == 1).get(0);
        assertThat(out.get("disposition").asText()).isEqualTo("answered");
        // The overflowed caller calls again on a second number, 4699, which rings extension 1003: answered, so reached.
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4699", "destinationType", "extension", "destination", "1003")).status())
                .isEqualTo(201);
        int port3 = Ports.free();
        phones.add(peers().uas("uas_answer", port3, SipPeers.vars("x")));
        peers().register("1003", PW, port3, "200");
        SipPeers.ok(peers().uac("uac_call", "4699", SipPeers.vars("13900000004", "PAUSE", "2000")));
        JsonNode again = await("second call of 13900000004").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> admin.get("/api/v1/calls?number=4699").json().get("items"), items -> items.size() == 1).get(0);
        assertThat(again.get("disposition").asText()).isEqualTo("answered");
        // The day ends: the agents log out, so that time in state stops growing and every later request reads the same numbers.
        for (int n = 1; n <= 2; n++) {
            var r = ApiClient.loggedIn(server.baseUrl(), "demo", "agent" + n, PW).delete("/api/v1/agent/session");
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        assertThat(server.hotline().eventLog().flush(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
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

    static final Map<String, Object> SALES = counts("offered", 4, "answered", 1, "answeredInTarget", 1, "abandoned", 2, "shortAbandoned", 1,
            "abandonedRinging", 0, "overflowed", 1, "voicemail", 0, "callback", 0, "waiting", 0, "transfers", 0, "serviceLevel", 0.25,
            "answerRate", 0.25, "abandonRate", 0.5, "abandonRateExShort", 0.3333);

    @Test
    void theQueueReportCountsEveryCallOfTheDayExactly() {
        JsonNode q = report("queues", "");
        assertThat(q.get("rows")).hasSize(1);
        JsonNode row = q.get("rows").get(0);
        assertThat(row.get("queue").asText()).isEqualTo("sales");
        assertValues(row, SALES);
        assertValues(q.get("total"), SALES);
        // One answered call: its wait is the 5 s of agent 1's ringing and a little; AHT is talk + hold + wrap-up of that call.
        assertThat(row.get("asa").asDouble()).isBetween(5.0, 8.0);
        assertThat(row.get("aht").asDouble()).isBetween(1.0, 10.0);
        assertThat(row.get("avgAbandon").asDouble()).isBetween(2.0, 4.0); // (≈4 s + ≈1 s) ÷ 2
        // The whole UTC day (midnight to midnight: the day roll-ups when the server's zone is UTC): the same numbers.
        Instant midnight = started.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        var day = admin.get("/api/v1/reports/queues?from=" + midnight + "&to=" + midnight.plus(Duration.ofDays(1)) + "&tz=UTC&group=month");
        assertThat(day.status()).isEqualTo(200);
        if (!Instant.now().isBefore(midnight.plus(Duration.ofDays(1)))) return; // the calls may straddle midnight
        assertValues(day.json().get("total"), SALES);
        // Filtered to another queue: nothing.
        assertThat(report("queues", "&queue=support").get("rows")).isEmpty();
    }

    @Test
    void theSummaryIsTheSumOfItsQueuesAndCountsEveryInboundCall() {
        JsonNode s = report("summary", "");
        assertThat(s.get("rows")).hasSize(1);
        assertValues(s.get("total"), SALES);
        assertValues(s.get("total"), counts("inbound", 5)); // the four queue calls and the call to extension 1003 on 4699
        assertThat(s.get("total").get("occupancy").asDouble()).isBetween(0.0001, 1.0);
    }

    @Test
    void theAgentReportShowsTheMissedOfferAndTheAnsweredCall() {
        JsonNode a = report("agents", "");
        Map<String, JsonNode> byJob = new HashMap<>();
        for (JsonNode r : a.get("rows")) byJob.put(r.get("jobNumber").asText(), r);
        assertThat(byJob).containsOnlyKeys("8001", "8002");
        assertValues(byJob.get("8001"), counts("offered", 1, "answered", 0, "missed", 1, "transfers", 0));
        assertValues(byJob.get("8002"), counts("offered", 1, "answered", 1, "missed", 0, "transfers", 0));
        assertValues(a.get("total"), counts("offered", 2, "answered", 1, "missed", 1));
        // Agent 1 was paused for the missed offer, agent 2 went on a break: time signed in and not ready by reason.
        assertThat(byJob.get("8001").get("notReadyByReason").asText()).contains("missed ");
        assertThat(byJob.get("8002").get("notReadyByReason").asText()).contains("break ");
        assertThat(byJob.get("8002").get("talk").asDouble()).isBetween(1.0, 8.0);
        assertThat(byJob.get("8002").get("signedIn").asDouble()).isGreaterThan(byJob.get("8002").get("notReady").asDouble());
        // Filtered by agent: agent 2's answered call only.
        JsonNode only2 = report("agents", "&agent=" + users.get("agent2"));
        assertThat(only2.get("rows")).hasSize(1);
        assertValues(only2.get("total"), counts("offered", 1, "answered", 1));
    }

    @Test
    void theUnansweredReportShowsTheWaysOfLoss() {
        JsonNode u = report("unanswered", "");
        // The one not answered by the system is the caller the 2 s maximum wait sent on (its overflow reason); no call-back request.
        assertValues(u.get("total"), counts("leftInIvr", 0, "abandonedQueued", 2, "abandonedRinging", 0, "notAnswered", 1, "overflowMaxWait", 1,
                "overflowFull", 0, "overflowNoAgents", 0, "lost", 3, "callback", 0));
    }

    @Test
    void theNumberReportCountsEachNumberDialled() {
        JsonNode n = report("numbers", "");
        Map<String, JsonNode> byNumber = new HashMap<>();
        for (JsonNode r : n.get("rows")) byNumber.put(r.get("number").asText(), r);
        assertThat(byNumber).containsOnlyKeys("4698", "4699");
        assertValues(byNumber.get("4698"), counts("inbound", 4, "answered", 1, "abandonedCalls", 2, "notAnswered", 1, "selfService", 0,
                "numberAnswerRate", 0.25));
        assertValues(byNumber.get("4699"), counts("inbound", 1, "answered", 1, "abandonedCalls", 0, "notAnswered", 0, "numberAnswerRate", 1.0));
        assertThat(byNumber.get("4699").get("callTalk").asDouble()).isBetween(1.0, 8.0);
        assertValues(n.get("total"), counts("inbound", 5, "answered", 2, "abandonedCalls", 2, "notAnswered", 1, "numberAnswerRate", 0.4));
        // The inbound total is the summary's; filtered to one number.
        assertThat(n.get("total").get("inbound").asLong()).isEqualTo(report("summary", "").get("total").get("inbound").asLong());
        assertThat(report("numbers", "&number=4699").get("rows")).hasSize(1);
    }

    @Test
    void inboundCallTrackingShowsEachCallsPathAndOutcome() {
        JsonNode t = report("tracking", "");
        assertThat(t.get("page").get("total").asLong()).isEqualTo(5);
        List<String> outcomes = new ArrayList<>();
        List<String> callers = new ArrayList<>();
        t.get("rows").forEach(r -> {
            outcomes.add(r.get("outcome").asText());
            callers.add(r.get("caller").asText() + ">" + r.get("number").asText());
        });
        assertThat(callers).containsExactly("13900000001>4698", "13900000002>4698", "13900000003>4698", "13900000004>4698", "13900000004>4699");
        assertThat(outcomes).containsExactly("answered", "abandoned_queued", "abandoned_queued", "not_answered", "answered");
        JsonNode first = t.get("rows").get(0);
        assertThat(first.get("jobNumber").asText()).isEqualTo("8002");
        assertThat(first.get("queues").asText()).startsWith("sales: answered ");
        assertThat(first.get("wait").asDouble()).isBetween(5.0, 8.0);
        assertThat(first.get("talk").asDouble()).isBetween(1.0, 8.0);
        assertThat(t.get("rows").get(3).get("queues").asText()).startsWith("sales: overflow (max_wait) ");
        assertThat(t.get("rows").get(3).get("overflowReason").asText()).isEqualTo("max_wait");
        assertThat(t.get("rows").get(0).get("overflowReason").isNull()).isTrue();
        assertThat(t.get("rows").get(4).get("queues").isNull()).isTrue();
        assertThat(t.get("rows").get(4).get("talk").asDouble()).isBetween(1.0, 8.0);
        // A person's talk is the same in the report by number: the agent's talk of the queue call, the extension's of the other.
        Map<String, Double> talkByNumber = new HashMap<>();
        report("numbers", "").get("rows").forEach(r -> talkByNumber.put(r.get("number").asText(), r.get("callTalk").asDouble()));
        assertThat(talkByNumber.get("4698")).isEqualTo(first.get("talk").asDouble());
        assertThat(talkByNumber.get("4699")).isEqualTo(t.get("rows").get(4).get("talk").asDouble());
        // The lost ones are the unanswered report's, way by way.
        JsonNode lost = report("unanswered", "").get("total");
        assertThat(report("tracking", "&outcome=abandoned_queued").get("page").get("total").asLong())
                .isEqualTo(lost.get("abandonedQueued").asLong()).isEqualTo(2);
        assertThat(report("tracking", "&outcome=not_answered").get("page").get("total").asLong()).isEqualTo(lost.get("notAnswered").asLong());
        assertThat(report("tracking", "&outcome=left_ivr").get("page").get("total").asLong()).isEqualTo(lost.get("leftInIvr").asLong());
        assertThat(report("tracking", "&outcome=lost").get("page").get("total").asLong()).isEqualTo(lost.get("lost").asLong());
        // Filters and pages.
        assertThat(report("tracking", "&number=4699").get("page").get("total").asLong()).isEqualTo(1);
        assertThat(report("tracking", "&queue=sales").get("page").get("total").asLong()).isEqualTo(4);
        assertThat(report("tracking", "&agent=" + users.get("agent2")).get("page").get("total").asLong()).isEqualTo(1);
        JsonNode page2 = report("tracking", "&limit=2&offset=2");
        assertThat(page2.get("rows")).hasSize(2);
        assertThat(page2.get("rows").get(0).get("caller").asText()).isEqualTo("13900000003");
        assertThat(page2.get("page").get("total").asLong()).isEqualTo(5);
    }

    @Test
    void eachLostCallerHasItsCallBackStatus() {
        JsonNode c = report("callbacks", "");
        assertThat(c.get("page").get("total").asLong()).isEqualTo(report("unanswered", "").get("total").get("lost").asLong()).isEqualTo(3);
        Map<String, JsonNode> byCaller = new HashMap<>();
        c.get("rows").forEach(r -> byCaller.put(r.get("caller").asText(), r));
        // Nobody reached 13900000002.
        assertThat(byCaller.get("13900000002").get("callbackStatus").asText()).isEqualTo("not_called_back");
        assertThat(byCaller.get("13900000002").get("reachedAt").isNull()).isTrue();
        // Agent 2 called 13900000003 back from extension 1002 and the far end answered.
        JsonNode back = byCaller.get("13900000003");
        assertThat(back.get("callbackStatus").asText()).isEqualTo("reached");
        assertThat(back.get("reachedVia").asText()).isEqualTo("outbound");
        assertThat(back.get("reachedById").asLong()).isEqualTo(users.get("agent2"));
        assertThat(back.get("reachedBy").asText()).isEqualTo("张伟 Zhang Wei");
        assertThat(back.get("reachedAt").asText()).isGreaterThan(back.get("time").asText());
        assertThat(back.get("reachedAfter").asDouble()).isPositive();
        // 13900000004 called again and was answered on 4699.
        JsonNode again = byCaller.get("13900000004");
        assertThat(again.get("callbackStatus").asText()).isEqualTo("reached");
        assertThat(again.get("reachedVia").asText()).isEqualTo("inbound");
        assertThat(again.get("outcome").asText()).isEqualTo("not_answered");
        assertThat(report("callbacks", "&number=13900000003").get("rows")).hasSize(1);
    }

    @Test
    void callerToleranceCountsAnsweredAndAbandonedByWait() {
        JsonNode t = report("tolerance", "");
        assertThat(t.get("rows")).hasSize(1);
        JsonNode sales = t.get("rows").get(0);
        assertThat(sales.get("queue").asText()).isEqualTo("sales");
        // The answered call waited 5-8 s (agent 1's 5 s of ringing first); the abandons about 4 s and 1 s; the overflow is neither.
        assertValues(sales, counts("answered_0", 0, "answered_1", 1, "answered_2", 0, "answered_6", 0, "answered", 1,
                "abandoned_0", 2, "abandoned_1", 0, "abandoned_6", 0, "abandoned", 2));
        JsonNode q = report("queues", "").get("total");
        assertThat(t.get("total").get("answered").asLong()).isEqualTo(q.get("answered").asLong());
        assertThat(t.get("total").get("abandoned").asLong()).isEqualTo(q.get("abandoned").asLong());
        assertThat(t.get("columns").get(2).get("en").asText()).isEqualTo("Answered 0–5 s");
    }

    @Test
    void theOutboundReportCountsAgentTwosCallBack() {
        JsonNode o = report("outbound", "");
        assertThat(o.get("rows")).hasSize(1);
        JsonNode row = o.get("rows").get(0);
        assertThat(row.get("jobNumber").asText()).isEqualTo("8002");
        assertValues(row, counts("outboundCalls", 1, "outboundAnswered", 1, "outboundAnswerRate", 1.0));
        assertThat(row.get("outboundTalk").asDouble()).isBetween(1.0, 8.0);
        assertThat(row.get("avgOutboundTalk").asDouble()).isEqualTo(row.get("outboundTalk").asDouble());
        assertThat(report("outbound", "&agent=" + users.get("agent1")).get("rows")).isEmpty();
    }

    @Test
    void theAgentStateLogListsEveryChangeWithItsEnd() {
        JsonNode s = report("states", "&limit=1000");
        List<JsonNode> rows = new ArrayList<>();
        s.get("rows").forEach(rows::add);
        assertThat(s.get("page").get("total").asLong()).isEqualTo(rows.size());
        Map<String, List<JsonNode>> byJob = new LinkedHashMap<>();
        for (JsonNode r : rows) byJob.computeIfAbsent(r.get("jobNumber").asText(), k -> new ArrayList<>()).add(r);
        assertThat(byJob).containsOnlyKeys("8001", "8002");
        for (var e : byJob.entrySet()) {
            List<JsonNode> list = e.getValue();
            // Each change ends when the next begins, its duration the difference; the last is the log out, with no end.
            for (int i = 0; i + 1 < list.size(); i++) {
                assertThat(list.get(i).get("end").asText()).isEqualTo(list.get(i + 1).get("start").asText());
                assertThat(list.get(i + 1).get("previous").asText()).isEqualTo(list.get(i).get("state").asText());
                assertThat(list.get(i).get("stateDuration").asDouble()).isGreaterThanOrEqualTo(0.0);
            }
            assertThat(list.get(0).get("state").asText() + "/" + list.get(0).get("reason").asText()).isEqualTo("not_ready/login");
            assertThat(list.get(list.size() - 1).get("state").asText()).isEqualTo("logged_out");
            assertThat(list.get(list.size() - 1).get("end").isNull()).isTrue();
        }
        List<String> two = byJob.get("8002").stream().map(r -> r.get("state").asText() + (r.get("reason").isNull() ? "" : "/" + r.get("reason").asText())).toList();
        // Agent 2: signed in, ready, rang and took the first call, wrap-up (1 s; the break may come before it ends), break, signed out.
        assertThat(two.subList(0, 5)).containsExactly("not_ready/login", "ready", "ringing", "on_call", "wrap_up");
        assertThat(two.subList(5, two.size())).isIn(List.of("not_ready/break", "logged_out"), List.of("ready", "not_ready/break", "logged_out"));
        List<String> one = byJob.get("8001").stream().map(r -> r.get("state").asText() + (r.get("reason").isNull() ? "" : "/" + r.get("reason").asText())).toList();
        // Agent 1: signed in (not ready, reason login), ready, rang 5 s for the first call, paused for the missed offer, signed out.
        assertThat(one).containsExactly("not_ready/login", "ready", "ringing", "not_ready/missed", "logged_out");
        assertThat(byJob.get("8001").get(2).get("stateDuration").asDouble()).isBetween(4.5, 7.0);
        // The time in each state adds up to the agents report's: not ready of agent 2 is the break's duration.
        JsonNode agents = report("agents", "&agent=" + users.get("agent2"));
        double notReady = byJob.get("8002").stream().filter(r -> r.get("state").asText().equals("not_ready"))
                .mapToDouble(r -> r.get("stateDuration").asDouble()).sum();
        assertThat(agents.get("total").get("notReady").asDouble()).isCloseTo(notReady, org.assertj.core.data.Offset.offset(0.2));
        // Filtered by agent, and paged.
        assertThat(report("states", "&agent=" + users.get("agent1")).get("page").get("total").asLong()).isEqualTo(byJob.get("8001").size());
        assertThat(report("states", "&limit=1&offset=1").get("rows").get(0).get("start").asText()).isEqualTo(rows.get(1).get("start").asText());
    }

    @Test
    void theDepartmentFilterSelectsItsAgentsAndThoseOfItsSubDepartments() {
        Map<String, Long> deps = new HashMap<>();
        for (JsonNode d : admin.get("/api/v1/departments").json()) deps.put(d.get("name").asText(), d.get("id").asLong());
        long service = deps.get("客服部 Customer Service");
        long sales = deps.get("销售部 Sales");
        // Agent 2 moves to a team under customer service; agent 1 stays in customer service itself.
        var team = admin.post("/api/v1/departments", Map.of("name", "客服一组 Team 1", "parentId", service));
        assertThat(team.status()).as(team.toString()).isIn(200, 201);
        long team1 = team.json().get("id").asLong();
        JsonNode a2 = admin.get("/api/v1/users/" + users.get("agent2")).json();
        Map<String, Object> in = new HashMap<>();
        for (String k : List.of("username", "displayName", "roleId", "jobNumber", "extension", "email", "enabled")) {
            if (!a2.get(k).isNull()) in.put(k, a2.get(k).isNumber() ? a2.get(k).asLong() : a2.get(k).isBoolean() ? a2.get(k).asBoolean() : a2.get(k).asText());
        }
        in.put("departmentId", team1);
        var moved = admin.put("/api/v1/users/" + users.get("agent2"), in);
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);

        java.util.function.Function<JsonNode, List<String>> jobs = t -> {
            List<String> out = new ArrayList<>();
            t.get("rows").forEach(r -> { if (!out.contains(r.get("jobNumber").asText())) out.add(r.get("jobNumber").asText()); });
            java.util.Collections.sort(out);
            return out;
        };
        assertThat(jobs.apply(report("agents", "&department=" + service))).containsExactly("8001", "8002");
        assertThat(jobs.apply(report("agents", "&department=" + team1))).containsExactly("8002");
        assertThat(report("agents", "&department=" + sales).get("rows")).isEmpty();
        assertValues(report("agents", "&department=" + team1).get("total"), counts("offered", 1, "answered", 1));
        assertThat(jobs.apply(report("states", "&limit=1000&department=" + team1))).containsExactly("8002");
        assertThat(jobs.apply(report("states", "&limit=1000&department=" + service))).containsExactly("8001", "8002");
        assertValues(report("outbound", "&department=" + service).get("total"), counts("outboundCalls", 1));
        assertValues(report("outbound", "&department=" + sales).get("total"), counts("outboundCalls", 0));
        // A department of no one's enterprise, or none: 404.
        assertThat(admin.get("/api/v1/reports/agents?" + range + "&department=999999").status()).isEqualTo(404);
    }

    @Test
    void csvAndXlsxExportsCarryTheSameNumbersAsTheJson() throws Exception {
        for (String name : List.of("summary", "numbers", "queues", "agents", "tracking", "unanswered", "callbacks", "tolerance", "states",
                "outbound")) {
            JsonNode json = report(name, "");
            List<String> keys = new ArrayList<>();
            json.get("columns").forEach(c -> keys.add(c.get("key").asText()));
            List<JsonNode> want = new ArrayList<>();
            json.get("rows").forEach(want::add);
            if (!json.get("total").isNull()) want.add(json.get("total"));
            assertThat(want).as(name).isNotEmpty();

            var csv = admin.getBytes("/api/v1/reports/" + name + "?" + range + "&format=csv&lang=zh");
            assertThat(csv.status()).isEqualTo(200);
            assertThat(csv.contentType()).startsWith("text/csv");
            String text = new String(csv.body(), StandardCharsets.UTF_8);
            assertThat(text.charAt(0)).isEqualTo('\uFEFF');
            List<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new InputStreamReader(new ByteArrayInputStream(text.substring(1).getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                    .getRecords();
            assertThat(records).hasSize(want.size());
            assertThat(records.get(0).getParser().getHeaderNames()).contains(json.get("columns").get(0).get("zh").asText());
            for (int r = 0; r < want.size(); r++) {
                for (int c = 0; c < keys.size(); c++) same(name + " csv " + keys.get(c), want.get(r).get(keys.get(c)), records.get(r).get(c));
            }

            var xlsx = admin.getBytes("/api/v1/reports/" + name + "?" + range + "&format=xlsx");
            assertThat(xlsx.status()).isEqualTo(200);
            try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx.body()))) {
                List<Row> rows = wb.getFirstSheet().read();
                assertThat(rows).hasSize(want.size() + 1);
                assertThat(rows.get(0).getCell(0).getText()).isEqualTo(json.get("columns").get(0).get("en").asText());
                for (int r = 0; r < want.size(); r++) {
                    Row row = rows.get(r + 1);
                    for (int c = 0; c < keys.size(); c++) {
                        var cell = c < row.getCellCount() ? row.getCell(c) : null;
                        String text2 = cell == null || cell.getType() == org.dhatim.fastexcel.reader.CellType.EMPTY ? "" : cell.getText();
                        same(name + " xlsx " + keys.get(c), want.get(r).get(keys.get(c)), text2);
                    }
                }
            }
        }
    }

    /** A JSON value and an exported cell's text are the same number (or text; null is an empty cell). */
    static void same(String what, JsonNode json, String cell) {
        if (json == null || json.isNull()) {
            assertThat(cell).as(what).isEmpty();
        } else if (json.isNumber()) {
            assertThat(new BigDecimal(cell)).as(what).isEqualByComparingTo(json.decimalValue());
        } else {
            assertThat(cell).as(what).isEqualTo(json.asText());
        }
    }

    @Test
    void badParametersAreClear400s() {
        for (String bad : List.of("from=2026-12-01T00:00:00Z", "from=yesterday&to=2026-12-01T00:00:00Z",
                "from=2026-12-01T00:07:00Z&to=2026-12-02T00:00:00Z", "from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z",
                "from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z&group=year", "from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z&tz=Mars/Base",
                "from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z&format=pdf", "from=2025-01-01T00:00:00Z&to=2026-12-01T00:00:00Z",
                "from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z&group=hour", "from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z&agent=x")) {
            var r = admin.get("/api/v1/reports/queues?" + bad);
            assertThat(r.status()).as(bad + " → " + r).isEqualTo(400);
            assertThat(r.body()).as(bad).contains("field");
        }
        // Filters of other reports, bad pages, outcomes and departments: 400s naming the field.
        Map<String, String> badFilters = new LinkedHashMap<>();
        badFilters.put("queues?" + range + "&number=4698", "number");
        badFilters.put("numbers?" + range + "&agent=1", "agent");
        badFilters.put("summary?" + range + "&department=1", "department");
        badFilters.put("tolerance?" + range + "&limit=10", "limit");
        badFilters.put("tracking?" + range + "&outcome=hung_up", "outcome");
        badFilters.put("tracking?" + range + "&limit=0", "limit");
        badFilters.put("tracking?" + range + "&limit=5000", "limit");
        badFilters.put("tracking?" + range + "&offset=-1", "offset");
        badFilters.put("states?" + range + "&department=x", "department");
        badFilters.put("states?" + range + "&queue=sales", "queue");
        badFilters.put("outbound?" + range + "&outcome=answered", "outcome");
        badFilters.put("callbacks?" + range + "&agent=1", "agent");
        badFilters.forEach((q, field) -> {
            var r = admin.get("/api/v1/reports/" + q);
            assertThat(r.status()).as(q + " → " + r).isEqualTo(400);
            assertThat(r.body()).as(q).contains("\"" + field + "\"");
        });
        // An agent may not read reports.
        var agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent3", PW);
        for (String name : List.of("summary", "numbers", "queues", "agents", "tracking", "unanswered", "callbacks", "tolerance", "states",
                "outbound")) {
            assertThat(agent.get("/api/v1/reports/" + name + "?" + range).status()).as(name).isEqualTo(403);
        }
        // The queue's targets are validated like its other settings.
        var r = admin.put("/api/v1/queues/" + queueId, Map.of("name", "sales", "strategy", "linear", "settings", Map.of("serviceLevelSeconds", 0)));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("settings.serviceLevelSeconds");
    }
}
