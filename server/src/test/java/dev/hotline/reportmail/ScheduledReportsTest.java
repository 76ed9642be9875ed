package dev.hotline.reportmail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.hotline.report.CallLogEvent;
import dev.hotline.report.CallTracker;
import dev.hotline.report.LogEvent;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.ShiftedClock;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * MSG-2 scheduled reports end to end: calls written through the server's event log the day before, the server's clock
 * moved to 08:00 of the enterprise's zone (Asia/Shanghai, the SUP-1 setting), and GreenMail receives the report once, as
 * xlsx or CSV with the very numbers of the report route for that period, with an HTML part of the totals (escaped).
 * A schedule moved to a later hour does not send the same period again. Then the server is down at the next morning's
 * hour and sends that day's report when it is back, and never twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScheduledReportsTest {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    final ShiftedClock clock = new ShiftedClock();
    /** The day the first reports are sent (tomorrow in Shanghai, so that the test's calls are in the server's past). */
    final LocalDate day = LocalDate.now(SHANGHAI).plusDays(1);
    Map<String, String> settings;
    TestServer server;
    ApiClient admin;
    GreenMail mail;
    long enterprise;
    long agent;

    @BeforeAll
    void start() throws Exception {
        clock.set(at(day, "07:58"));
        settings = Map.of("db.url", TestDatabases.migrated(TestDatabases.Kind.H2), "data.dir", Files.createTempDirectory("report-mail").toString());
        server = TestServer.start(TestDatabases.Kind.H2, settings, clock);
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        int port = freePort();
        mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        assertThat(admin.put("/api/v1/mail/settings", Map.of("host", "127.0.0.1", "port", port, "security", "none", "from", "reports@demo.test"))
                .status()).isEqualTo(200);
        assertThat(admin.put("/api/v1/settings/monitor", Map.of("timeZone", "Asia/Shanghai")).status()).isEqualTo(200);
        enterprise = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
        agent = admin.get("/api/v1/users?q=agent1").json().get(0).get("id").asLong();
        // The day before: 4 answered (3 support, 1 sales), 2 abandoned in sales; one the day before that and one early on the
        // sending day, which yesterday's report must leave out.
        LocalDate y = day.minusDays(1);
        call("y1", at(y, "09:00"), "support", true, 5_000);
        call("y2", at(y, "10:30"), "support", true, 12_000);
        call("y3", at(y, "14:15"), "support", true, 30_000);
        call("y4", at(y, "15:00"), "sales", true, 8_000);
        call("y5", at(y, "16:45"), "sales", false, 4_000);
        call("y6", at(y, "23:30"), "sales", false, 40_000);
        call("old", at(y.minusDays(1), "12:00"), "support", true, 3_000);
        call("today", at(day, "02:00"), "support", false, 20_000);
        assertThat(server.hotline().eventLog().flush(30, TimeUnit.SECONDS)).isTrue();
    }

    @AfterAll
    void stop() {
        if (server != null) server.close();
        if (mail != null) mail.stop();
    }

    static Instant at(LocalDate d, String hhmm) {
        return d.atTime(LocalTime.parse(hhmm)).atZone(SHANGHAI).toInstant();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An inbound call into {@code queue}: answered by agent1 after {@code waitMs}, or abandoned after it. */
    void call(String id, Instant t, String queue, boolean answered, long waitMs) {
        long e = enterprise;
        String in = id + "-in";
        String leg = id + "-leg";
        List<LogEvent> out = new ArrayList<>();
        CallTracker tracker = new CallTracker();
        java.util.function.Consumer<CallLogEvent> emit = ev -> {
            tracker.apply(ev);
            out.add(ev);
        };
        Instant joined = t.plusSeconds(1);
        Instant end = joined.plusMillis(waitMs);
        emit.accept(new CallLogEvent.Arrived(e, id, t, in, "inbound", "1390000" + Math.abs(id.hashCode() % 10000), "4000", "carrier", null));
        emit.accept(new CallLogEvent.Answered(e, id, t.plusMillis(200), in));
        emit.accept(new CallLogEvent.QueueJoined(e, id, joined, in, queue, 0, 1));
        if (answered) {
            emit.accept(new CallLogEvent.QueueOffered(e, id, joined.plusMillis(waitMs / 2), leg, queue, agent, "8001", "sip"));
            emit.accept(new CallLogEvent.Answered(e, id, end, leg));
            emit.accept(new CallLogEvent.QueueConnected(e, id, end, leg, queue, agent, "8001", waitMs));
            end = end.plusSeconds(60);
            emit.accept(new CallLogEvent.HungUp(e, id, end, in, "NORMAL_CLEARING", 0));
            emit.accept(new CallLogEvent.HungUp(e, id, end, leg, "NORMAL_CLEARING", 0));
        } else {
            emit.accept(new CallLogEvent.QueueLeft(e, id, end, in, queue, "abandoned", "caller_hangup", null, waitMs));
            emit.accept(new CallLogEvent.HungUp(e, id, end, in, "NORMAL_CLEARING", 0));
        }
        out.add(new CallLogEvent.Closed(e, id, end, null, tracker.record()));
        out.forEach(server.hotline().eventLog()::append);
    }

    static Map<String, Object> schedule(String name, String report, String format, String lang, List<String> to) {
        Map<String, Object> m = new HashMap<>();
        m.put("name", name);
        m.put("report", report);
        m.put("period", "yesterday");
        m.put("group", "day");
        m.put("format", format);
        m.put("lang", lang);
        m.put("recipients", to);
        m.put("frequency", "daily");
        m.put("time", "08:00");
        return m;
    }

    /** The messages GreenMail received whose subject starts with {@code name}. */
    List<MimeMessage> received(String name) throws Exception {
        List<MimeMessage> list = new ArrayList<>();
        for (MimeMessage m : mail.getReceivedMessages()) if (m.getSubject().startsWith(name)) list.add(m);
        return list;
    }

    /** Waits for two whole rounds of the scheduler (one may have been under way). */
    void twoRounds(TestServer s) {
        long r = s.hotline().scheduledReports().rounds();
        await("two rounds of the scheduler").atMost(Duration.ofSeconds(30)).until(() -> s.hotline().scheduledReports().rounds() >= r + 2);
    }

    String range(LocalDate d) {
        return "from=" + at(d.minusDays(1), "00:00") + "&to=" + at(d, "00:00") + "&tz=Asia/Shanghai&group=day";
    }

    static final String SUMMARY = "Daily summary & <queues>";
    static final String QUEUES = "队列日报";
    long summaryId;
    long queuesId;

    @Test
    @Order(1)
    void aDailyScheduleSendsYesterdaysReportAtItsHourOnceWithTheRoutesNumbers() throws Exception {
        var a = admin.post("/api/v1/report-schedules", schedule(SUMMARY, "summary", "xlsx", "en", List.of("boss@demo.test", "ops@demo.test")));
        assertThat(a.status()).as(a.toString()).isEqualTo(201);
        summaryId = a.json().get("id").asLong();
        assertThat(a.json().get("zone").asText()).isEqualTo("Asia/Shanghai");
        assertThat(Instant.parse(a.json().get("nextAt").asText())).isEqualTo(at(day, "08:00"));
        var b = admin.post("/api/v1/report-schedules", schedule(QUEUES, "queues", "csv", "zh", List.of("sales@demo.test")));
        assertThat(b.status()).as(b.toString()).isEqualTo(201);
        queuesId = b.json().get("id").asLong();

        twoRounds(server);
        assertThat(mail.getReceivedMessages()).as("nothing before 08:00").isEmpty();

        clock.set(at(day, "08:00").plusSeconds(20));
        await("the two reports arrive").atMost(Duration.ofSeconds(60)).until(() -> received(SUMMARY).size() == 2 && received(QUEUES).size() == 1);

        // The summary, to both recipients, as xlsx with the route's numbers for yesterday in Shanghai.
        MimeMessage m = received(SUMMARY).get(0);
        assertThat(m.getSubject()).isEqualTo(SUMMARY + ": " + day.minusDays(1));
        assertThat(Arrays.stream(m.getAllRecipients()).map(Object::toString)).containsExactlyInAnyOrder("boss@demo.test", "ops@demo.test");
        assertThat(m.getFrom()[0].toString()).isEqualTo("reports@demo.test");
        Multipart mixed = (Multipart) m.getContent();
        assertThat(mixed.getCount()).isEqualTo(2);
        Multipart alternative = (Multipart) mixed.getBodyPart(0).getContent();
        assertThat(alternative.getContentType()).startsWith("multipart/alternative");
        String text = alternative.getBodyPart(0).getContent().toString();
        String html = alternative.getBodyPart(1).getContent().toString();
        assertThat(alternative.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(alternative.getBodyPart(1).getContentType()).startsWith("text/html");
        BodyPart xlsx = mixed.getBodyPart(1);
        assertThat(xlsx.getDisposition()).isEqualTo(Part.ATTACHMENT);
        assertThat(xlsx.getContentType()).startsWith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        assertThat(xlsx.getFileName()).startsWith("hotline-summary-").endsWith(".xlsx");
        JsonNode summary = admin.get("/api/v1/reports/summary?" + range(day)).json();
        JsonNode total = summary.get("total");
        assertThat(total.get("offered").asLong()).as("yesterday's six calls, not the day before's nor today's").isEqualTo(6);
        assertThat(total.get("answered").asLong()).isEqualTo(4);
        assertThat(total.get("abandoned").asLong()).isEqualTo(2);
        sameAsXlsx(summary, xlsx.getInputStream().readAllBytes(), "en");
        // The HTML part: the totals in a table, the schedule's name escaped; the text part says the same.
        assertThat(html).contains("Daily summary &amp; &lt;queues&gt;").doesNotContain("<queues>")
                .contains("<th style=\"text-align:left\">Offered</th><td>6</td>")
                .contains("<th style=\"text-align:left\">Answered</th><td>4</td>")
                .contains("<th style=\"text-align:left\">Abandoned</th><td>2</td>")
                .contains("Asia/Shanghai");
        assertThat(text).contains(SUMMARY, "Offered: 6", "Answered: 4", "Abandoned: 2", xlsx.getFileName());

        // The queues report, as CSV with Chinese headers, equal to the route's.
        MimeMessage q = received(QUEUES).get(0);
        assertThat(q.getSubject()).isEqualTo(QUEUES + "：" + day.minusDays(1));
        assertThat(q.getRecipients(Message.RecipientType.TO)[0].toString()).isEqualTo("sales@demo.test");
        BodyPart csv = ((Multipart) q.getContent()).getBodyPart(1);
        assertThat(csv.getContentType()).startsWith("text/csv");
        JsonNode queues = admin.get("/api/v1/reports/queues?" + range(day)).json();
        assertThat(queues.get("rows")).hasSize(2);
        sameAsCsv(queues, csv.getInputStream().readAllBytes());

        // The send log: one send each, sent, for yesterday.
        await("the sends are logged as sent").atMost(Duration.ofSeconds(30)).until(() ->
                admin.get("/api/v1/report-sends?schedule=" + summaryId).json().get(0).get("status").asText().equals("sent"));
        JsonNode sends = admin.get("/api/v1/report-sends?schedule=" + summaryId).json();
        assertThat(sends).hasSize(1);
        assertThat(Instant.parse(sends.get(0).get("periodFrom").asText())).isEqualTo(at(day.minusDays(1), "00:00"));
        assertThat(Instant.parse(sends.get(0).get("periodTo").asText())).isEqualTo(at(day, "00:00"));
        assertThat(Instant.parse(sends.get(0).get("dueAt").asText())).isEqualTo(at(day, "08:00"));
        assertThat(sends.get(0).get("manual").asBoolean()).isFalse();
        JsonNode view = admin.get("/api/v1/report-schedules/" + summaryId).json();
        assertThat(view.get("lastSend").get("status").asText()).isEqualTo("sent");
        assertThat(Instant.parse(view.get("nextAt").asText())).isEqualTo(at(day.plusDays(1), "08:00"));

        // Moved to 08:10 after today's was sent: 08:10 comes and yesterday's report is not sent again; the next is tomorrow's.
        Map<String, Object> later = schedule(SUMMARY, "summary", "xlsx", "en", List.of("boss@demo.test", "ops@demo.test"));
        later.put("time", "08:10");
        var moved = admin.put("/api/v1/report-schedules/" + summaryId, later);
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(Instant.parse(moved.json().get("nextAt").asText())).isEqualTo(at(day.plusDays(1), "08:10"));
        clock.set(at(day, "08:11"));

        // Never twice: more rounds, no more mail.
        twoRounds(server);
        assertThat(received(SUMMARY)).hasSize(2);
        assertThat(received(QUEUES)).hasSize(1);
        assertThat(admin.get("/api/v1/audit?action=report.schedule.create").body()).contains("report.schedule.create");
    }

    @Test
    @Order(2)
    void badSchedulesAreRefusedNamingTheFieldAndOtherEnterprisesSeeNone() {
        Map<String, Map<String, Object>> bad = new java.util.LinkedHashMap<>();
        bad.put("name", with("name", " "));
        bad.put("report", with("report", "weather"));
        bad.put("period", with("period", "tomorrow"));
        bad.put("group", with("group", "year"));
        bad.put("format", with("format", "pdf"));
        bad.put("lang", with("lang", "fr"));
        bad.put("recipients", with("recipients", List.of("not-an-address")));
        bad.put("recipients ", with("recipients", List.of()));
        bad.put("frequency", with("frequency", "hourly"));
        bad.put("time", with("time", "25:00"));
        bad.put("weekday", with("frequency", "weekly"));
        bad.put("dayOfMonth", with2("frequency", "monthly", "dayOfMonth", 0));
        bad.put("agent", with("agent", agent)); // not a filter of the summary
        bad.put("department", with2("report", "agents", "department", 999_999));
        for (var e : bad.entrySet()) {
            var r = admin.post("/api/v1/report-schedules", e.getValue());
            assertThat(r.status()).as(e.getKey() + " → " + r).isEqualTo(400);
            List<String> fields = new ArrayList<>();
            r.json().get("fieldErrors").forEach(f -> fields.add(f.get("field").asText()));
            assertThat(fields).as(r.toString()).contains(e.getKey().strip());
        }
        // A good weekly one is accepted; its next occurrence is on its weekday.
        var weekly = admin.post("/api/v1/report-schedules", with2("frequency", "weekly", "weekday", "monday"));
        assertThat(weekly.status()).as(weekly.toString()).isEqualTo(201);
        assertThat(Instant.parse(weekly.json().get("nextAt").asText()).atZone(SHANGHAI).getDayOfWeek()).isEqualTo(java.time.DayOfWeek.MONDAY);
        long id = weekly.json().get("id").asLong();
        assertThat(admin.delete("/api/v1/report-schedules/" + id).status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/report-schedules/" + id).status()).isEqualTo(404);

        // Another enterprise: 404 for demo's schedule on every route, and an empty list.
        ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", TestServer.DEMO_PASSWORD);
        assertThat(operator.post("/api/v1/enterprises", Map.of("code", "acme", "name", "Acme", "adminUsername", "boss", "adminPassword",
                "acme-pass-1")).status()).isEqualTo(201);
        ApiClient acme = ApiClient.loggedIn(server.baseUrl(), "acme", "boss", "acme-pass-1");
        String path = "/api/v1/report-schedules/" + summaryId;
        assertThat(acme.get(path).status()).isEqualTo(404);
        assertThat(acme.put(path, schedule("hijack", "summary", "xlsx", "en", List.of("x@acme.test"))).status()).isEqualTo(404);
        assertThat(acme.post(path + "/send", Map.of()).status()).isEqualTo(404);
        assertThat(acme.delete(path).status()).isEqualTo(404);
        assertThat(acme.get("/api/v1/report-sends?schedule=" + summaryId).status()).isEqualTo(404);
        assertThat(acme.get("/api/v1/report-schedules").json()).isEmpty();
        assertThat(acme.get("/api/v1/report-sends").json()).isEmpty();
        assertThat(admin.get(path).json().get("name").asText()).isEqualTo(SUMMARY);
        // An agent may not manage them.
        ApiClient agent1 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", TestServer.DEMO_PASSWORD);
        assertThat(agent1.get("/api/v1/report-schedules").status()).isEqualTo(403);
    }

    Map<String, Object> with(String key, Object value) {
        Map<String, Object> m = schedule("bad", "summary", "xlsx", "en", List.of("x@demo.test"));
        m.put(key, value);
        return m;
    }

    Map<String, Object> with2(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = with(k1, v1);
        m.put(k2, v2);
        return m;
    }

    @Test
    @Order(3)
    void aReportThatCannotBeMadeIsLoggedAsFailedWithTheError() {
        var dept = admin.post("/api/v1/departments", Map.of("name", "night shift"));
        assertThat(dept.status()).as(dept.toString()).isEqualTo(201);
        long d = dept.json().get("id").asLong();
        Map<String, Object> in = schedule("Night shift agents", "agents", "xlsx", "en", List.of("night@demo.test"));
        in.put("department", d);
        var s = admin.post("/api/v1/report-schedules", in);
        assertThat(s.status()).as(s.toString()).isEqualTo(201);
        long id = s.json().get("id").asLong();
        assertThat(admin.delete("/api/v1/departments/" + d).status()).isIn(200, 204);
        var sent = admin.post("/api/v1/report-schedules/" + id + "/send", Map.of());
        assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
        assertThat(sent.json().get("status").asText()).isEqualTo("failed");
        assertThat(sent.json().get("error").asText()).contains("department");
        assertThat(sent.json().get("manual").asBoolean()).isTrue();
        assertThat(admin.get("/api/v1/report-sends?schedule=" + id).json().get(0).get("status").asText()).isEqualTo("failed");
        assertThat(admin.delete("/api/v1/report-schedules/" + id).status()).isEqualTo(204);
    }

    @Test
    @Order(4)
    void aServerDownAtTheHourSendsWhenItIsBackAndNeverTwice() throws Exception {
        server.close();
        server = null;
        // Down over the next 08:00; back at 08:20.
        clock.set(at(day.plusDays(1), "08:20"));
        TestServer second = TestServer.start(TestDatabases.Kind.H2, settings, clock);
        server = second;
        await("the missed report arrives").atMost(Duration.ofSeconds(60)).until(() -> received(SUMMARY).size() == 4);
        MimeMessage m = received(SUMMARY).get(3);
        assertThat(m.getSubject()).isEqualTo(SUMMARY + ": " + day);
        ApiClient admin2 = ApiClient.loggedIn(second.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        JsonNode summary = admin2.get("/api/v1/reports/summary?" + range(day.plusDays(1))).json();
        assertThat(summary.get("total").get("abandoned").asLong()).as("the day's one call").isEqualTo(1);
        sameAsXlsx(summary, ((Multipart) m.getContent()).getBodyPart(1).getInputStream().readAllBytes(), "en");
        await().atMost(Duration.ofSeconds(60)).until(() -> received(QUEUES).size() == 2);
        JsonNode sends = admin2.get("/api/v1/report-sends?schedule=" + summaryId).json();
        assertThat(sends).hasSize(2);
        assertThat(Instant.parse(sends.get(0).get("dueAt").asText())).isEqualTo(at(day.plusDays(1), "08:10"));
        twoRounds(second);
        second.close();
        server = null;

        // Started again the same morning: nothing is sent again.
        TestServer third = TestServer.start(TestDatabases.Kind.H2, settings, clock);
        server = third;
        twoRounds(third);
        twoRounds(third);
        assertThat(received(SUMMARY)).hasSize(4);
        assertThat(received(QUEUES)).hasSize(2);
    }

    /** The xlsx attached holds the route's table: the header in {@code lang}, then every row and the total, same numbers. */
    static void sameAsXlsx(JsonNode json, byte[] xlsx, String lang) throws IOException {
        List<String> keys = new ArrayList<>();
        json.get("columns").forEach(c -> keys.add(c.get("key").asText()));
        List<JsonNode> want = rows(json);
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
            List<Row> rows = wb.getFirstSheet().read();
            assertThat(rows).hasSize(want.size() + 1);
            for (int c = 0; c < keys.size(); c++) {
                assertThat(rows.get(0).getCell(c).getText()).isEqualTo(json.get("columns").get(c).get(lang).asText());
            }
            for (int r = 0; r < want.size(); r++) {
                Row row = rows.get(r + 1);
                for (int c = 0; c < keys.size(); c++) {
                    var cell = c < row.getCellCount() ? row.getCell(c) : null;
                    String text = cell == null || cell.getType() == org.dhatim.fastexcel.reader.CellType.EMPTY ? "" : cell.getText();
                    same("xlsx " + keys.get(c), want.get(r).get(keys.get(c)), text);
                }
            }
        }
    }

    /** The CSV attached (UTF-8 with a byte order mark, Chinese headers) holds the route's table. */
    static void sameAsCsv(JsonNode json, byte[] csv) throws IOException {
        String text = new String(csv, StandardCharsets.UTF_8);
        assertThat(text.charAt(0)).isEqualTo('\uFEFF');
        List<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new InputStreamReader(new ByteArrayInputStream(text.substring(1).getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                .getRecords();
        List<JsonNode> want = rows(json);
        assertThat(records).hasSize(want.size());
        List<String> zh = new ArrayList<>();
        json.get("columns").forEach(c -> zh.add(c.get("zh").asText()));
        assertThat(records.get(0).getParser().getHeaderNames()).isEqualTo(zh);
        for (int r = 0; r < want.size(); r++) {
            for (int c = 0; c < zh.size(); c++) {
                same("csv " + zh.get(c), want.get(r).get(json.get("columns").get(c).get("key").asText()), records.get(r).get(c));
            }
        }
    }

    static List<JsonNode> rows(JsonNode json) {
        List<JsonNode> want = new ArrayList<>();
        json.get("rows").forEach(want::add);
        if (!json.get("total").isNull()) want.add(json.get("total"));
        assertThat(want).isNotEmpty();
        return want;
    }

    static void same(String what, JsonNode json, String cell) {
        if (json == null || json.isNull()) {
            assertThat(cell).as(what).isEmpty();
        } else if (json.isNumber()) {
            assertThat(new BigDecimal(cell)).as(what).isEqualByComparingTo(json.decimalValue());
        } else {
            assertThat(cell).as(what).isEqualTo(json.asText());
        }
    }
}
