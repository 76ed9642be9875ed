package dev.hotline.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.report.CallLogEvent;
import dev.hotline.report.EventLog;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OUT-1, OUT-3 over HTTP: campaigns made and validated, lists imported from CSV and xlsx with per-row errors, duplicates
 * and do-not-call numbers left out and counted, start / pause / stop, the do-not-call list, the campaign's events from
 * the event log; an agent may not manage campaigns, another enterprise sees none of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CampaignRoutesTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    TestServer server;
    ApiClient admin;
    ApiClient agent;
    ApiClient other;
    long trunk;
    long queue;

    @BeforeAll
    void start() {
        server = TestServer.start(TestDatabases.Kind.H2, Map.of());
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", PW);
        assertThat(operator.post("/api/v1/enterprises", Map.of("code", "acme-cp", "name", "Acme", "adminUsername", "boss",
                "adminPassword", "acme-pass-1")).status()).isEqualTo(201);
        other = ApiClient.loggedIn(server.baseUrl(), "acme-cp", "boss", "acme-pass-1");
        trunk = admin.get("/api/v1/trunks").json().get(0).get("id").asLong();
        queue = admin.get("/api/v1/queues").json().get(0).get("id").asLong();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    Map<String, Object> campaign(String name, String mode) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("trunkId", trunk);
        settings.put("callerIds", List.of("4000100", "4000101"));
        settings.put("timeZone", "Asia/Shanghai");
        settings.put("windows", List.of(Map.of("from", "09:00", "to", "12:00"), Map.of("from", "18:30", "to", "20:30")));
        settings.put("retries", Map.of("busy", Map.of("times", 2, "afterMinutes", 10), "no_answer", Map.of("times", 1, "afterMinutes", 60)));
        settings.put("maxAttempts", 3);
        settings.put("queueId", queue);
        settings.put("amd", Map.of("enabled", true, "action", "hangup"));
        return Map.of("name", name, "mode", mode, "settings", settings);
    }

    static String fields(ApiClient.Response r) {
        List<String> out = new ArrayList<>();
        r.json().path("fieldErrors").forEach(f -> out.add(f.get("field").asText()));
        if (out.isEmpty()) r.json().path("errors").forEach(f -> out.add(f.get("field").asText()));
        return String.join(",", out) + " " + r.body();
    }

    @Test
    void aListImportedFromCsvLeavesOutBadRowsDuplicatesAndDoNotCallNumbersAndCountsThem() {
        var made = admin.post("/api/v1/campaigns", campaign("csv-list", "progressive"));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        long id = made.json().get("id").asLong();
        assertThat(made.json().get("state").asText()).isEqualTo("draft");
        var dnc = admin.post("/api/v1/dnc", Map.of("number", "139 0000 0003", "note", "asked us not to call"));
        assertThat(dnc.status()).as(dnc.toString()).isEqualTo(201);
        assertThat(dnc.json().get("number").asText()).isEqualTo("13900000003");
        String csv = """
                number,name,amount,date
                13900000001,Zhang San,120.50,2026-12-31
                139-0000-0002,Li Si,80,2026-12-30
                13900000003,Wang Wu,10,2026-12-29
                13900000001,Zhang San again,1,2026-12-28
                not-a-number,Bad,1,2026-12-27
                ,Empty,1,2026-12-26
                +8613900000009,,,
                """;
        var imp = admin.upload("POST", "/api/v1/campaigns/" + id + "/contacts", "list.csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(imp.status()).as(imp.toString()).isEqualTo(201);
        assertThat(imp.json().get("imported").asInt()).isEqualTo(3);
        assertThat(imp.json().get("duplicates").asInt()).isEqualTo(1);
        assertThat(imp.json().get("doNotCall").asInt()).isEqualTo(1);
        JsonNode errors = imp.json().get("errors");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).get("line").asInt()).isEqualTo(6);
        assertThat(errors.get(0).get("field").asText()).isEqualTo("number");
        assertThat(errors.get(1).get("line").asInt()).isEqualTo(7);
        assertThat(errors.get(1).get("message").asText()).isEqualTo("required");
        JsonNode contacts = admin.get("/api/v1/campaigns/" + id + "/contacts").json();
        assertThat(contacts).hasSize(3);
        assertThat(contacts.get(0).get("number").asText()).isEqualTo("13900000001");
        assertThat(contacts.get(0).get("name").asText()).isEqualTo("Zhang San");
        assertThat(contacts.get(0).get("vars").get("amount").asText()).isEqualTo("120.50");
        assertThat(contacts.get(1).get("number").asText()).isEqualTo("13900000002");
        assertThat(contacts.get(2).get("number").asText()).isEqualTo("+8613900000009");
        // A second import of the same numbers: all duplicates of the list.
        var again = admin.upload("POST", "/api/v1/campaigns/" + id + "/contacts", "list.csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(again.json().get("imported").asInt()).isZero();
        assertThat(again.json().get("duplicates").asInt()).isEqualTo(4);
        JsonNode view = admin.get("/api/v1/campaigns/" + id).json();
        assertThat(view.get("contacts").get("pending").asInt()).isEqualTo(3);
        var noHeader = admin.upload("POST", "/api/v1/campaigns/" + id + "/contacts", "x.csv", "who,what\na,b\n".getBytes(StandardCharsets.UTF_8));
        assertThat(noHeader.status()).isEqualTo(400);
        assertThat(noHeader.body()).contains("\"file\"");
    }

    @Test
    void aListImportedFromXlsxKeepsNumbersStoredAsNumbers() throws Exception {
        long id = admin.post("/api/v1/campaigns", campaign("xlsx-list", "preview")).json().get("id").asLong();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Workbook wb = new Workbook(out, "test", "1.0");
        Worksheet ws = wb.newWorksheet("list");
        ws.value(0, 0, "电话");
        ws.value(0, 1, "姓名");
        ws.value(0, 2, "amount");
        ws.value(1, 0, 13800000001L);
        ws.value(1, 1, "张三");
        ws.value(1, 2, 99.5);
        ws.value(2, 0, "138 0000 0002");
        ws.value(2, 1, "李四");
        ws.value(3, 0, "12");
        ws.value(4, 0, 13800000001L);
        wb.finish();
        var imp = admin.upload("POST", "/api/v1/campaigns/" + id + "/contacts", "list.xlsx", out.toByteArray());
        assertThat(imp.status()).as(imp.toString()).isEqualTo(201);
        assertThat(imp.json().get("imported").asInt()).isEqualTo(2);
        assertThat(imp.json().get("duplicates").asInt()).isEqualTo(1);
        assertThat(imp.json().get("errors")).hasSize(1);
        assertThat(imp.json().get("errors").get(0).get("line").asInt()).isEqualTo(4);
        JsonNode contacts = admin.get("/api/v1/campaigns/" + id + "/contacts").json();
        assertThat(contacts.get(0).get("number").asText()).isEqualTo("13800000001");
        assertThat(contacts.get(0).get("name").asText()).isEqualTo("张三");
        assertThat(contacts.get(0).get("vars").get("amount").asText()).isEqualTo("99.5");
        var notXlsx = admin.upload("POST", "/api/v1/campaigns/" + id + "/contacts", "list.xlsx", "number\n1234\n".getBytes(StandardCharsets.UTF_8));
        assertThat(notXlsx.status()).isEqualTo(400);
        assertThat(notXlsx.body()).contains("\"file\"");
    }

    @Test
    void badCampaignsAreRefusedNamingTheField() {
        var r = admin.post("/api/v1/campaigns", Map.of("name", "", "mode", "robocall", "settings", Map.of("callerIds", List.of("x"),
                "timeZone", "Mars/Olympus", "windows", List.of(Map.of("from", "12:00", "to", "09:00")), "retries",
                Map.of("answered", Map.of("times", 1, "afterMinutes", 1)), "maxAttempts", 0, "ringSeconds", 5)));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("\"name\"", "\"mode\"", "\"settings.trunkId\"", "\"settings.callerIds\"", "\"settings.timeZone\"",
                "\"settings.windows\"", "\"settings.retries\"", "\"settings.maxAttempts\"", "\"settings.ringSeconds\"");
        Map<String, Object> noAgents = new HashMap<>(campaign("no-agents", "progressive"));
        @SuppressWarnings("unchecked") Map<String, Object> s = new HashMap<>((Map<String, Object>) noAgents.get("settings"));
        s.remove("queueId");
        s.put("amd", Map.of("enabled", true, "action", "message"));
        noAgents.put("settings", s);
        var r2 = admin.post("/api/v1/campaigns", noAgents);
        assertThat(r2.status()).isEqualTo(400);
        assertThat(r2.body()).contains("\"settings.queueId\"", "\"settings.amd.message\"");
        var r3 = admin.post("/api/v1/campaigns", Map.of("name", "notify", "mode", "notification", "settings", Map.of("trunkId", trunk,
                "callerIds", List.of("4000100"), "notification", Map.of("repeat", 9, "keys", Map.of("1", "pay")))));
        assertThat(r3.status()).isEqualTo(400);
        assertThat(r3.body()).contains("\"settings.notification.text\"", "\"settings.notification.repeat\"", "\"settings.notification.keys\"");
        assertThat(admin.post("/api/v1/dnc", Map.of("number", "abc")).body()).contains("\"number\"");
        admin.post("/api/v1/campaigns", campaign("dup-name", "progressive"));
        assertThat(admin.post("/api/v1/campaigns", campaign("dup-name", "progressive")).body()).contains("\"name\"");
    }

    @Test
    void startPauseStopFollowTheStatesAndAStoppedCampaignStaysStopped() {
        long id = admin.post("/api/v1/campaigns", campaign("states", "progressive")).json().get("id").asLong();
        String path = "/api/v1/campaigns/" + id + "/state";
        assertThat(admin.post(path, Map.of("state", "running")).status()).as("nothing to call").isEqualTo(409);
        admin.upload("POST", "/api/v1/campaigns/" + id + "/contacts", "l.csv", "number\n13700000001\n".getBytes(StandardCharsets.UTF_8));
        assertThat(admin.post(path, Map.of("state", "paused")).status()).as("draft cannot pause").isEqualTo(409);
        var run = admin.post(path, Map.of("state", "running"));
        assertThat(run.status()).as(run.toString()).isEqualTo(200);
        assertThat(run.json().get("state").asText()).isEqualTo("running");
        assertThat(admin.put("/api/v1/campaigns/" + id, campaign("states", "progressive")).status()).as("no change while running").isEqualTo(409);
        assertThat(admin.upload("POST", "/api/v1/campaigns/" + id + "/contacts", "l.csv", "number\n13700000002\n".getBytes(StandardCharsets.UTF_8))
                .status()).isEqualTo(409);
        assertThat(admin.delete("/api/v1/campaigns/" + id).status()).isEqualTo(409);
        assertThat(admin.post(path, Map.of("state", "paused")).json().get("state").asText()).isEqualTo("paused");
        assertThat(admin.put("/api/v1/campaigns/" + id, campaign("states-renamed", "predictive")).status()).isEqualTo(200);
        assertThat(admin.post(path, Map.of("state", "stopped")).json().get("state").asText()).isEqualTo("stopped");
        assertThat(admin.post(path, Map.of("state", "running")).status()).isEqualTo(409);
        assertThat(admin.post(path, Map.of("state", "draft")).body()).contains("\"state\"");
        assertThat(admin.delete("/api/v1/campaigns/" + id).status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/campaigns/" + id).status()).isEqualTo(404);
    }

    @Test
    void theDoNotCallListIsKeptPerEnterprise() {
        var added = admin.post("/api/v1/dnc", Map.of("number", "13600000001"));
        assertThat(added.status()).isEqualTo(201);
        long id = added.json().get("id").asLong();
        assertThat(admin.post("/api/v1/dnc", Map.of("number", "13600000001")).status()).isEqualTo(409);
        assertThat(admin.get("/api/v1/dnc").body()).contains("13600000001");
        assertThat(other.get("/api/v1/dnc").body()).doesNotContain("13600000001");
        assertThat(other.delete("/api/v1/dnc/" + id).status()).isEqualTo(404);
        assertThat(agent.get("/api/v1/dnc").status()).isEqualTo(403);
        assertThat(admin.delete("/api/v1/dnc/" + id).status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/dnc").body()).doesNotContain("13600000001");
    }

    @Test
    void agentsCannotManageCampaignsAndOtherEnterprisesSeeNone() {
        long id = admin.post("/api/v1/campaigns", campaign("private", "progressive")).json().get("id").asLong();
        assertThat(agent.get("/api/v1/campaigns").status()).isEqualTo(403);
        assertThat(agent.post("/api/v1/campaigns", campaign("by-agent", "progressive")).status()).isEqualTo(403);
        assertThat(agent.post("/api/v1/campaigns/" + id + "/state", Map.of("state", "running")).status()).isEqualTo(403);
        assertThat(other.get("/api/v1/campaigns").body()).doesNotContain("private");
        assertThat(other.get("/api/v1/campaigns/" + id).status()).isEqualTo(404);
        assertThat(other.get("/api/v1/campaigns/" + id + "/contacts").status()).isEqualTo(404);
        assertThat(other.post("/api/v1/campaigns/" + id + "/state", Map.of("state", "stopped")).status()).isEqualTo(404);
        // Another enterprise's campaign cannot name demo's trunk or queue.
        var stolen = other.post("/api/v1/campaigns", campaign("stolen", "progressive"));
        assertThat(stolen.status()).isEqualTo(400);
        assertThat(stolen.body()).contains("\"settings.trunkId\"", "\"settings.queueId\"");
    }

    @Test
    void everyAttemptAndOutcomeInTheEventLogIsReadablePerCampaign() throws Exception {
        long id = admin.post("/api/v1/campaigns", campaign("events", "progressive")).json().get("id").asLong();
        long otherId = admin.post("/api/v1/campaigns", campaign("events-other", "progressive")).json().get("id").asLong();
        long e = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
        EventLog log = server.hotline().eventLog();
        Instant t = Instant.now();
        log.append(new CallLogEvent.CampaignAttempt(e, "cp-call-1", t, "leg-1", id, 7, "13900000001", 1, "progressive"));
        log.append(new CallLogEvent.CampaignOutcome(e, "cp-call-1", t.plusSeconds(3), "leg-1", id, 7, "13900000001", "busy", null));
        log.append(new CallLogEvent.CampaignAttempt(e, "cp-call-2", t, "leg-2", otherId, 8, "13900000002", 1, "progressive"));
        assertThat(log.flush(10, TimeUnit.SECONDS)).isTrue();
        JsonNode events = admin.get("/api/v1/campaigns/" + id + "/events").json();
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("type").asText()).isEqualTo("campaign_attempt");
        assertThat(events.get(1).get("data").asText()).contains("outcome=busy", "number=13900000001");
        assertThat(other.get("/api/v1/campaigns/" + id + "/events").status()).isEqualTo(404);
    }
}
