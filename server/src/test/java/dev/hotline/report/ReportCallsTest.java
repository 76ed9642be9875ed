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
                .until(() -> admin.get("/api/v1/calls?number=" + caller).json().get("items"), items -> items.size() == 1).get(0);
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
        assertValues(s.get("total"), counts("inbound", 4));
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
        assertValues(u.get("total"), counts("leftInIvr", 0, "abandonedQueued", 2, "abandonedRinging", 0, "notAnswered", 1, "lost", 3));
    }

    @Test
    void csvAndXlsxExportsCarryTheSameNumbersAsTheJson() throws Exception {
        for (String name : List.of("summary", "queues", "agents", "unanswered")) {
            JsonNode json = report(name, "");
            List<String> keys = new ArrayList<>();
            json.get("columns").forEach(c -> keys.add(c.get("key").asText()));
            List<JsonNode> want = new ArrayList<>();
            json.get("rows").forEach(want::add);
            want.add(json.get("total"));

            var csv = admin.getBytes("/api/v1/reports/" + name + "?" + range + "&format=csv&lang=zh");
            assertThat(csv.status()).isEqualTo(200);
            assertThat(csv.contentType()).startsWith("text/csv");
            String text = new String(csv.body(), StandardCharsets.UTF_8);
            assertThat(text.charAt(0)).isEqualTo('\uFEFF');
            List<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new InputStreamReader(new ByteArrayInputStream(text.substring(1).getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                    .getRecords();
            assertThat(records).hasSize(want.size());
            assertThat(records.get(0).getParser().getHeaderNames()).contains("时段");
            for (int r = 0; r < want.size(); r++) {
                for (int c = 0; c < keys.size(); c++) same(name + " csv " + keys.get(c), want.get(r).get(keys.get(c)), records.get(r).get(c));
            }

            var xlsx = admin.getBytes("/api/v1/reports/" + name + "?" + range + "&format=xlsx");
            assertThat(xlsx.status()).isEqualTo(200);
            try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx.body()))) {
                List<Row> rows = wb.getFirstSheet().read();
                assertThat(rows).hasSize(want.size() + 1);
                assertThat(rows.get(0).getCell(0).getText()).isEqualTo("Period");
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
        // An agent may not read reports.
        var agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent3", PW);
        assertThat(agent.get("/api/v1/reports/summary?" + range).status()).isEqualTo(403);
        // The queue's targets are validated like its other settings.
        var r = admin.put("/api/v1/queues/" + queueId, Map.of("name", "sales", "strategy", "linear", "settings", Map.of("serviceLevelSeconds", 0)));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("settings.serviceLevelSeconds");
    }
}
