package dev.hotline.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.report.CallLogEvent;
import dev.hotline.report.CallTracker;
import dev.hotline.report.EventLog;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestAudio;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import dev.hotline.web.Api;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * ADM-1 / SEC-4: an admin of one enterprise cannot read or change another enterprise's data by
 * any API route. The test walks every registered route with a path parameter, so a new route is
 * covered the day it is added; every id, call id, file name and box it uses names a real object of
 * the demo enterprise (demo's own admin reads it with 200), so acme's 404 is isolation, not absence.
 * Bodies that name demo's objects (a role, a department, a trunk, a queue member, a ring-group
 * member, a number's destination, ...) are refused too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationTest {
    /** The database this class runs on; a subclass runs the same tests on PostgreSQL. */
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }

    static final String DEMO_CALL = "iso-demo-call-1";
    static final String DEMO_CALLER = "13900000077";
    static final String DEMO_PROMPT = "demo-prompt.wav";
    static final String DEMO_MUSIC = "demo-music.wav";
    static final String DEMO_BOX = "1002"; // an extension only demo has: its voicemail box has its own greeting

    TestServer server;
    ApiClient demoAdmin;
    ApiClient acmeAdmin;
    long demoEnterprise;
    Map<String, Long> demoIds = new HashMap<>();
    Map<String, String> demoNames = new HashMap<>();
    /** A range around demo's rated call (RPT-5). */
    String billingRange;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start(kind(), java.util.Map.of());
        ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", TestServer.DEMO_PASSWORD);
        var acme = operator.post("/api/v1/enterprises", Map.of("code", "acme", "name", "Acme", "adminUsername", "boss", "adminPassword", "acme-pass-1"));
        assertThat(acme.status()).as(acme.toString()).isEqualTo(201);
        acmeAdmin = ApiClient.loggedIn(server.baseUrl(), "acme", "boss", "acme-pass-1");
        demoAdmin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        demoEnterprise = demoAdmin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
        demoIds.put("users", firstId(demoAdmin.get("/api/v1/users?q=agent1").json()));
        demoIds.put("departments", firstId(demoAdmin.get("/api/v1/departments").json()));
        demoIds.put("roles", demoAdmin.post("/api/v1/roles", Map.of("name", "demo-custom", "permissions", List.of("user.read"))).json().get("id").asLong());
        demoIds.put("extensions", firstId(demoAdmin.get("/api/v1/extensions").json()));
        demoIds.put("queues", idNamed(demoAdmin.get("/api/v1/queues").json(), "support"));
        demoIds.put("tokens", demoAdmin.post("/api/v1/tokens", Map.of("name", "demo-token")).json().get("id").asLong());
        demoIds.put("enterprises", demoEnterprise);
        demoIds.put("trunks", firstId(demoAdmin.get("/api/v1/trunks").json()));
        demoIds.put("numbers", firstId(demoAdmin.get("/api/v1/numbers").json()));
        demoIds.put("outbound-routes", firstId(demoAdmin.get("/api/v1/outbound-routes").json()));
        demoIds.put("blacklist", demoAdmin.post("/api/v1/blacklist", Map.of("number", "1390000", "note", "demo")).json().get("id").asLong());
        demoIds.put("conference-rooms", demoAdmin.post("/api/v1/conference-rooms", Map.of("number", "8899", "name", "demo room"))
                .json().get("id").asLong());
        demoIds.put("callback-list", demoAdmin.post("/api/v1/callback-list", Map.of("number", "1370*", "delaySeconds", 5))
                .json().get("id").asLong());
        demoAdmin.post("/api/v1/flows", Map.of("name", "demo_flow"));
        demoIds.put("flows", idNamed(demoAdmin.get("/api/v1/flows").json(), "main")); // published: version 1 exists
        demoIds.put("skills", firstId(demoAdmin.get("/api/v1/skills").json()));
        demoIds.put("reason-codes", firstId(demoAdmin.get("/api/v1/reason-codes").json()));
        demoIds.put("agents", demoIds.get("users")); // agent1: a member of both demo queues
        demoIds.put("monitor", demoIds.get("users")); // GET /monitor/agents/{id}: agent1's agent view
        demoIds.put("ring-groups", demoAdmin.post("/api/v1/ring-groups", Map.of("name", "demo-ring", "members", List.of("1002")))
                .json().get("id").asLong());
        demoIds.put("disa", demoAdmin.post("/api/v1/disa", Map.of("name", "demo-disa")).json().get("id").asLong());
        var source = demoAdmin.post("/api/v1/ivr/data-sources", Map.of("name", "demo-db", "url", "jdbc:postgresql://127.0.0.1:5432/demo",
                "username", "reader", "password", "demo-db-pass", "maxRows", 5, "timeoutMs", 1000));
        assertThat(source.status()).as(source.toString()).isEqualTo(201);
        demoIds.put("data-sources", source.json().get("id").asLong());
        var numberList = demoAdmin.post("/api/v1/ivr/number-lists", Map.of("name", "demo-vip", "entries", List.of("13800138000")));
        assertThat(numberList.status()).as(numberList.toString()).isEqualTo(201);
        demoIds.put("number-lists", numberList.json().get("id").asLong()); // ACD-4
        assertThat(demoAdmin.put("/api/v1/extensions/" + demoIds.get("extensions") + "/disa-pin", Map.of("pin", "4711")).status()).isEqualTo(200);
        assertThat(demoAdmin.put("/api/v1/users/" + demoIds.get("users") + "/skills", Map.of("english", 7)).status()).isEqualTo(200);
        // A webhook of demo's (to a closed port: its deliveries wait), made before the demo call so that it has deliveries.
        demoIds.put("webhooks", demoAdmin.post("/api/v1/webhooks", Map.of("url", "http://127.0.0.1:9/demo-hook", "events", List.of("*")))
                .json().get("id").asLong());
        // MSG-2: a scheduled report of demo's (its queue support).
        var reportSchedule = demoAdmin.post("/api/v1/report-schedules", Map.of("name", "demo-schedule", "report", "queues", "queue", "support",
                "period", "yesterday", "recipients", List.of("boss@demo.test"), "frequency", "daily", "time", "08:00"));
        assertThat(reportSchedule.status()).as(reportSchedule.toString()).isEqualTo(201);
        demoIds.put("report-schedules", reportSchedule.json().get("id").asLong());
        demoCrm();
        // OUT-1: a campaign of demo's (demo's trunk and queue) with a list, and a do-not-call number.
        var campaign = demoAdmin.post("/api/v1/campaigns", Map.of("name", "demo-campaign", "mode", "progressive", "settings", Map.of(
                "trunkId", demoIds.get("trunks"), "callerIds", List.of("4000100"), "queueId", demoIds.get("queues"))));
        assertThat(campaign.status()).as(campaign.toString()).isEqualTo(201);
        demoIds.put("campaigns", campaign.json().get("id").asLong());
        assertThat(demoAdmin.upload("POST", "/api/v1/campaigns/" + demoIds.get("campaigns") + "/contacts", "list.csv",
                "number,name\n13900000088,Demo Customer\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)).status()).isEqualTo(201);
        demoIds.put("dnc", demoAdmin.post("/api/v1/dnc", Map.of("number", "13900000099")).json().get("id").asLong());
        // OUT-4: a web callback request of demo's (stored as the public endpoint stores it; WebCallbackTest goes through it).
        long demoEnterprise = demoAdmin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
        demoIds.put("webcallback", server.database().withHandle(h -> h.createUpdate("""
                INSERT INTO web_callback (enterprise_id, number, source_ip, requested_at, state, attempts, next_at, updated_at)
                VALUES (:e, '13900000077', '192.0.2.7', CURRENT_TIMESTAMP, 'failed', 1, NULL, CURRENT_TIMESTAMP)""")
                .bind("e", demoEnterprise).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one()));
        // API-3: a "call us" widget of demo's (its queue support, a site of its own).
        var widget = demoAdmin.post("/api/v1/widgets", Map.of("name", "demo-widget", "queueId", demoIds.get("queues"),
                "origins", List.of("https://www.demo.test")));
        assertThat(widget.status()).as(widget.toString()).isEqualTo(201);
        demoIds.put("widgets", widget.json().get("id").asLong());
        // MSG-2: demo's box sends its messages by e-mail (no SMTP server: the message waits in demo's outbox).
        assertThat(demoAdmin.put("/api/v1/voicemail/boxes/extension/" + DEMO_BOX + "/email", Map.of("enabled", true, "to", "box@demo.test"))
                .status()).isEqualTo(200);
        // MSG-3: an SMS template of demo's and a message to demo's caller (no gateway: it stays queued).
        var smsTemplate = demoAdmin.post("/api/v1/sms/templates", Map.of("name", "demo-sms", "body", "Hello {name}"));
        assertThat(smsTemplate.status()).as(smsTemplate.toString()).isEqualTo(201);
        demoIds.put("sms-templates", smsTemplate.json().get("id").asLong());
        var sms = demoAdmin.post("/api/v1/sms/send", Map.of("to", DEMO_CALLER, "text", "demo sms"));
        assertThat(sms.status()).as(sms.toString()).isEqualTo(202);
        demoIds.put("sms-messages", sms.json().get("id").asLong());
        // MSG-5: a fax of demo's (its call goes to the demo trunk's absent peer; the fax and its document stay demo's).
        var fax = demoAdmin.upload("POST", "/api/v1/faxes?number=13900000077", "demo.png", dev.hotline.fax.FaxCallsTest.png());
        assertThat(fax.status()).as(fax.toString()).isEqualTo(201);
        demoIds.put("faxes", fax.json().get("id").asLong());
        demoRecordedCallWithVoicemail();
        demoIds.put("mail", firstId(demoAdmin.get("/api/v1/mail/outbox").json()));
        demoIds.put("deliveries", firstId(demoAdmin.get("/api/v1/webhooks/" + demoIds.get("webhooks") + "/deliveries").json()));
        demoChargedCall();
        demoFiles();
        demoTicketsAndKb();
        demoOrders();
        acmeAdmin.post("/api/v1/extensions", Map.of("number", "1001"));
        acmeAdmin.post("/api/v1/trunks", Map.of("name", "acme-trunk", "host", "10.1.1.1"));
    }

    /**
     * A finished demo call, as the router logs one: its events, a recording of it and a voicemail it
     * left, through the server's own event log (so the rows and files are those the API serves).
     */
    void demoRecordedCallWithVoicemail() throws Exception {
        long e = demoEnterprise;
        Instant t = Instant.now().minusSeconds(120);
        Path rec = server.dataDir().resolve("recordings").resolve(Long.toString(e)).resolve(DEMO_CALL + ".wav");
        Path vm = server.dataDir().resolve("voicemail").resolve(Long.toString(e)).resolve("extension-" + DEMO_BOX).resolve(DEMO_CALL + ".wav");
        Files.createDirectories(rec.getParent());
        Files.createDirectories(vm.getParent());
        Files.write(rec, TestAudio.toneWav(8000, 2, 1500, 440));
        Files.write(vm, TestAudio.toneWav(8000, 1, 1000, 330));
        CallTracker tracker = new CallTracker();
        List<CallLogEvent> events = List.of(
                new CallLogEvent.Arrived(e, DEMO_CALL, t, "in-1", "inbound", DEMO_CALLER, "4010", "loopback", DEMO_BOX),
                new CallLogEvent.Dialing(e, DEMO_CALL, t.plusMillis(5), "out-1", "extension " + DEMO_BOX),
                new CallLogEvent.Answered(e, DEMO_CALL, t.plusSeconds(1), "out-1"),
                new CallLogEvent.Recorded(e, DEMO_CALL, t.plusSeconds(3), "out-1", rec, "pcm", true, t.plusSeconds(1), 1500),
                new CallLogEvent.VoicemailLeft(e, DEMO_CALL, t.plusSeconds(4), "in-1", "extension", DEMO_BOX, DEMO_CALLER, null, vm, 1000),
                new CallLogEvent.HungUp(e, DEMO_CALL, t.plusSeconds(5), "in-1", "NORMAL_CLEARING", 0),
                new CallLogEvent.HungUp(e, DEMO_CALL, t.plusSeconds(5), "out-1", "NORMAL_CLEARING", 0));
        EventLog log = server.hotline().eventLog();
        for (CallLogEvent ev : events) {
            tracker.apply(ev);
            log.append(ev);
        }
        log.append(new CallLogEvent.Closed(e, DEMO_CALL, t.plusSeconds(5), null, tracker.record()));
        assertThat(log.flush(10, TimeUnit.SECONDS)).isTrue();
        demoIds.put("recordings", demoAdmin.get("/api/v1/recordings?number=" + DEMO_CALLER).json().get("items").get(0).get("id").asLong());
        demoIds.put("voicemail", firstId(demoAdmin.get("/api/v1/voicemail").json()));
        demoNames.put("calls", DEMO_CALL);
        // REC-3: a comment of demo's admin on the recording (DELETE /recordings/{id}/comments/{commentId}).
        var comment = demoAdmin.post("/api/v1/recordings/" + demoIds.get("recordings") + "/comments", Map.of("text", "demo review", "score", 4));
        assertThat(comment.status()).as(comment.toString()).isEqualTo(201);
        demoIds.put("comments", comment.json().get("id").asLong());
    }

    /** RPT-5: a rate table on demo's trunk and a call of demo's out through it, rated by the server's event log. */
    void demoChargedCall() throws Exception {
        var table = demoAdmin.post("/api/v1/billing/rate-tables", Map.of("trunkId", demoIds.get("trunks"), "currency", "CNY",
                "rates", List.of(Map.of("prefix", "139", "pricePerMinute", "0.25", "increment", 6))));
        assertThat(table.status()).as(table.toString()).isEqualTo(201);
        demoIds.put("billing", table.json().get("id").asLong());
        long e = demoEnterprise;
        String call = DEMO_CALL + "-out";
        Instant t = Instant.now().minusSeconds(60);
        CallTracker tracker = new CallTracker();
        EventLog log = server.hotline().eventLog();
        for (CallLogEvent ev : List.of(
                new CallLogEvent.Arrived(e, call, t, "x-1", "outbound", DEMO_BOX, DEMO_CALLER, null, DEMO_BOX),
                new CallLogEvent.Dialing(e, call, t.plusMillis(5), "x-2", "trunk loopback " + DEMO_CALLER),
                new CallLogEvent.Answered(e, call, t.plusSeconds(1), "x-2"),
                new CallLogEvent.Answered(e, call, t.plusSeconds(1), "x-1"),
                new CallLogEvent.HungUp(e, call, t.plusSeconds(9), "x-2", "NORMAL_CLEARING", 0),
                new CallLogEvent.HungUp(e, call, t.plusSeconds(9), "x-1", "NORMAL_CLEARING", 0))) {
            tracker.apply(ev);
            log.append(ev);
        }
        log.append(new CallLogEvent.Closed(e, call, t.plusSeconds(9), null, tracker.record()));
        assertThat(log.flush(10, TimeUnit.SECONDS)).isTrue();
        billingRange = "?from=" + t.minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "&to="
                + t.plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        assertThat(demoAdmin.get("/api/v1/billing/calls" + billingRange).body()).as("demo's call is rated").contains(DEMO_CALLER, "\"amount\":0.0500");
    }

    /** CRM (issue 16): a customer field, a customer with the demo caller's number, an import job and a personal contact. */
    void demoCrm() {
        demoIds.put("customer-fields", demoAdmin.post("/api/v1/customer-fields", Map.of("key", "tier", "label", "Tier", "type", "text"))
                .json().get("id").asLong());
        demoIds.put("customers", demoAdmin.post("/api/v1/customers", Map.of("name", "demo customer of support", "sharing", "enterprise",
                "phones", List.of(Map.of("number", DEMO_CALLER)), "fields", Map.of("tier", "gold"))).json().get("id").asLong());
        var job = demoAdmin.upload("POST", "/api/v1/customer-imports", "demo-import.csv",
                ("name,phones\ndemo imported support,0" + DEMO_CALLER + "\n").getBytes(StandardCharsets.UTF_8));
        assertThat(job.status()).as(job.toString()).isEqualTo(202);
        demoIds.put("customer-imports", job.json().get("id").asLong());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> demoAdmin.get("/api/v1/customer-imports/" + demoIds.get("customer-imports")).json().get("state").asText().equals("done"));
        demoIds.put("contacts", demoAdmin.post("/api/v1/contacts", Map.of("name", "demo contact support", "number", DEMO_CALLER))
                .json().get("id").asLong());
    }

    /** BIZ-1/3/5: a ticket type, a ticket (with a notification of demo's admin), a memo, a KB category, article and question. */
    void demoTicketsAndKb() {
        long me = demoAdmin.get("/api/v1/me").json().get("id").asLong();
        demoIds.put("ticket-types", firstId(demoAdmin.get("/api/v1/ticket-types").json()));
        var t = demoAdmin.post("/api/v1/tickets", Map.of("type", "consultation", "title", "demo ticket", "assigneeId", me,
                "callerNumber", DEMO_CALLER, "form", Map.of("topic", "demo")));
        assertThat(t.status()).as(t.toString()).isEqualTo(201);
        demoIds.put("tickets", t.json().get("id").asLong());
        demoNames.put("trackingNumber", t.json().get("trackingNumber").asText());
        demoIds.put("notifications", firstId(demoAdmin.get("/api/v1/notifications").json()));
        demoIds.put("memos", demoAdmin.post("/api/v1/memos", Map.of("callId", DEMO_CALL, "text", "demo memo")).json().get("id").asLong());
        demoIds.put("kb-categories", demoAdmin.post("/api/v1/kb-categories", Map.of("name", "demo-cat")).json().get("id").asLong());
        demoIds.put("kb-articles", demoAdmin.post("/api/v1/kb-articles", Map.of("title", "demo article", "body", "演示 demo"))
                .json().get("id").asLong());
        demoIds.put("kb-questions", demoAdmin.post("/api/v1/kb-questions", Map.of("question", "demo question")).json().get("id").asLong());
    }

    /** BIZ-4: a product of demo's catalog and an order of demo's customer. */
    void demoOrders() {
        var p = demoAdmin.post("/api/v1/products", Map.of("code", "DEMO-1", "name", "demo product", "price", 12.5));
        assertThat(p.status()).as(p.toString()).isEqualTo(201);
        demoIds.put("products", p.json().get("id").asLong());
        var o = demoAdmin.post("/api/v1/orders", Map.of("customerId", demoIds.get("customers"), "callId", DEMO_CALL,
                "lines", List.of(Map.of("productId", demoIds.get("products"), "quantity", 2))));
        assertThat(o.status()).as(o.toString()).isEqualTo(201);
        demoIds.put("orders", o.json().get("order").get("id").asLong());
        // BIZ-4 contracts: a contract of demo's customer covering the order, with a file attached.
        var k = demoAdmin.post("/api/v1/contracts", Map.of("customerId", demoIds.get("customers"), "contractNumber", "DEMO-HT-1",
                "title", "demo contract", "amount", 25, "startDate", "2026-01-01", "endDate", "2026-12-31", "orderIds", List.of(demoIds.get("orders"))));
        assertThat(k.status()).as(k.toString()).isEqualTo(201);
        demoIds.put("contracts", k.json().get("contract").get("id").asLong());
        assertThat(demoAdmin.upload("PUT", "/api/v1/contracts/" + demoIds.get("contracts") + "/file", "demo-contract.pdf",
                "%PDF-1.4 demo".getBytes(java.nio.charset.StandardCharsets.UTF_8)).status()).isEqualTo(200);
        // BIZ-4 stock: demo's product has stock (a movement) to read and not to change.
        assertThat(demoAdmin.post("/api/v1/products/" + demoIds.get("products") + "/stock", Map.of("delta", 9)).status()).isEqualTo(200);
    }

    /** An uploaded prompt, a music-on-hold file and a voicemail greeting of demo's. */
    void demoFiles() {
        assertThat(demoAdmin.upload("POST", "/api/v1/prompts", DEMO_PROMPT, TestAudio.toneWav(16000, 1, 800, 500)).status()).isEqualTo(201);
        assertThat(demoAdmin.upload("POST", "/api/v1/moh", DEMO_MUSIC, TestAudio.toneWav(8000, 1, 800, 600)).status()).isEqualTo(201);
        var g = demoAdmin.upload("PUT", "/api/v1/voicemail/boxes/extension/" + DEMO_BOX + "/greeting", "hello.wav", TestAudio.toneWav(8000, 1, 900, 700));
        assertThat(g.status()).as(g.toString()).isEqualTo(200);
        demoNames.put("prompts", DEMO_PROMPT);
        demoNames.put("moh", DEMO_MUSIC);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    static long firstId(JsonNode list) {
        return list.get(0).get("id").asLong();
    }

    static long idNamed(JsonNode list, String name) {
        for (JsonNode n : list) if (n.get("name").asText().equals(name)) return n.get("id").asLong();
        throw new AssertionError("no " + name + " in " + list);
    }

    /** A body that passes validation in acme, so the only thing that can stop the change is isolation. */
    Map<String, Object> validBody(String resource) {
        return switch (resource) {
            case "users" -> Map.of("username", "hijacked", "password", "hijack-pass-1", "roleId", firstId(acmeAdmin.get("/api/v1/roles").json()));
            case "departments" -> Map.of("name", "hijacked");
            case "roles" -> Map.of("name", "hijacked", "permissions", List.of("user.read"));
            case "extensions" -> Map.of("number", "7777", "sipPassword", "hijack-pass-1");
            case "queues" -> Map.of("name", "hijacked");
            case "enterprises" -> Map.of("name", "hijacked", "enabled", false);
            case "trunks" -> Map.of("name", "hijacked", "host", "10.9.9.9");
            case "conference-rooms" -> Map.of("number", "8898", "name", "hijacked");
            case "flows" -> Map.of("start", "a", "nodes", Map.of("a", Map.of("type", "hangup")));
            case "voicemail" -> Map.of("handled", true);
            case "numbers" -> Map.of("number", "4999", "destination", "1001");
            case "ring-groups" -> Map.of("name", "hijacked", "members", List.of("1001"));
            case "outbound-routes" -> Map.of("name", "hijacked", "prefix", "9", "trunkId", firstId(acmeAdmin.get("/api/v1/trunks").json()));
            case "agents" -> Map.of("state", "logged_out");
            case "report-schedules" -> Map.of("name", "hijacked", "report", "summary", "period", "yesterday", "recipients", List.of("x@acme.test"),
                    "frequency", "daily", "time", "09:00");
            case "webhooks" -> Map.of("url", "http://127.0.0.1:9/hijacked", "events", List.of("*"));
            case "billing" -> Map.of("trunkId", firstId(acmeAdmin.get("/api/v1/trunks").json()), "currency", "CNY");
            case "customers" -> Map.of("name", "hijacked", "phones", List.of(), "fields", Map.of(), "sharing", "enterprise",
                    "ownerId", firstId(acmeAdmin.get("/api/v1/users").json()));
            case "customer-fields" -> Map.of("key", "hijacked", "label", "hijacked", "type", "text");
            case "contacts" -> Map.of("name", "hijacked", "number", "13800000000");
            case "products" -> Map.of("code", "HIJACK", "name", "hijacked", "price", 1);
            case "orders" -> Map.of("status", "cancelled", "note", "hijacked");
            case "contracts" -> Map.of("contractNumber", "HIJACK", "title", "hijacked", "amount", 1, "startDate", "2026-01-01",
                    "endDate", "2026-12-31", "status", "terminated");
            default -> Map.of("name", "hijacked");
        };
    }

    /** Everything of demo's that acme's attempts could have changed: lists, objects, and the bytes of its audio. */
    String snapshotOfDemo() {
        long user = demoIds.get("users");
        StringBuilder sb = new StringBuilder();
        for (String path : List.of("/api/v1/users", "/api/v1/departments", "/api/v1/roles", "/api/v1/extensions", "/api/v1/queues",
                "/api/v1/tokens", "/api/v1/trunks", "/api/v1/numbers", "/api/v1/outbound-routes", "/api/v1/blacklist",
                "/api/v1/conference-rooms", "/api/v1/settings/recording", "/api/v1/flows", "/api/v1/voicemail", "/api/v1/callback-list",
                "/api/v1/skills", "/api/v1/reason-codes", "/api/v1/ring-groups", "/api/v1/agents", "/api/v1/webhooks", "/api/v1/agents/" + user + "/events",
                "/api/v1/disa", "/api/v1/disa-pins", "/api/v1/report-schedules",
                "/api/v1/sms/templates", "/api/v1/sms/after-call",
                "/api/v1/users/" + user, "/api/v1/users/" + user + "/skills", "/api/v1/queues/" + demoIds.get("queues") + "/members",
                "/api/v1/flows/" + demoIds.get("flows"), "/api/v1/flows/" + demoIds.get("flows") + "/versions",
                "/api/v1/calls/" + DEMO_CALL + "/events", "/api/v1/recordings", "/api/v1/prompts", "/api/v1/moh", "/api/v1/voicemail/greetings",
                "/api/v1/billing/rate-tables", "/api/v1/billing/calls" + billingRange,
                "/api/v1/customers", "/api/v1/customer-fields", "/api/v1/contacts", "/api/v1/customers/" + demoIds.get("customers"), "/api/v1/campaigns", "/api/v1/dnc",
                "/api/v1/campaigns/" + demoIds.get("campaigns"), "/api/v1/campaigns/" + demoIds.get("campaigns") + "/contacts",
                "/api/v1/tickets/" + demoIds.get("tickets"), "/api/v1/ticket-types", "/api/v1/ticket-settings", "/api/v1/kb-articles",
                "/api/v1/kb-categories", "/api/v1/kb-questions", "/api/v1/memos?callId=" + DEMO_CALL, "/api/v1/notifications",
                "/api/v1/products", "/api/v1/orders", "/api/v1/orders/" + demoIds.get("orders"),
                "/api/v1/products/" + demoIds.get("products") + "/stock", "/api/v1/contracts", "/api/v1/contracts/" + demoIds.get("contracts"))) {
            var r = demoAdmin.get(path);
            assertThat(r.status()).as("demo reads " + path).isEqualTo(200);
            sb.append(path).append(' ').append(r.body()).append('\n');
        }
        for (String audio : List.of("/api/v1/recordings/" + demoIds.get("recordings") + "/audio", "/api/v1/voicemail/" + demoIds.get("voicemail") + "/audio",
                "/api/v1/prompts/" + DEMO_PROMPT + "/audio", "/api/v1/voicemail/boxes/extension/" + DEMO_BOX + "/greeting/audio",
                "/api/v1/contracts/" + demoIds.get("contracts") + "/file")) {
            var b = demoAdmin.getBytes(audio);
            assertThat(b.status()).as("demo plays " + audio).isEqualTo(200);
            sb.append(audio).append(' ').append(sha256(b.body())).append('\n');
        }
        String s = sb.toString().replaceAll("\"lastUsedAt\":[^,}]*", "").replaceAll("\"slaUsedSeconds\":\\d+|\"overdue\":\\w+", "");
        assertThat(s).contains("demo-hook", "demo-custom", "demo-token", "1390000", "1370*", "demo_flow", "demo-ring", DEMO_CALLER, DEMO_PROMPT, DEMO_MUSIC,
                "\"box\":\"" + DEMO_BOX + "\"", "english", "demo-campaign", "13900000088", "13900000099");
        return s;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A route's path with every parameter replaced by a real demo object, or null if the test does not know the parameter. */
    String demoPath(String template, String resource) {
        String path = template;
        if (template.startsWith(Api.PREFIX + "/sms/")) { // MSG-3: templates, messages, and the after-call switch by queue id
            resource = template.startsWith(Api.PREFIX + "/sms/messages/") ? "sms-messages"
                    : template.startsWith(Api.PREFIX + "/sms/after-call/") ? "queues" : "sms-templates";
        }
        if (template.startsWith(Api.PREFIX + "/ivr/data-sources/")) resource = "data-sources"; // IVR-1
        if (template.startsWith(Api.PREFIX + "/ivr/number-lists/")) resource = "number-lists"; // ACD-4
        if (path.contains("{id}")) {
            Long id = demoIds.get(resource);
            assertThat(id).as("test knows a demo object for " + template).isNotNull();
            path = path.replace("{id}", String.valueOf(id));
        }
        path = path.replace("{version}", "1").replace("{userId}", String.valueOf(demoIds.get("users")))
                .replace("{boxType}", "extension").replace("{box}", DEMO_BOX).replace("{delivery}", String.valueOf(demoIds.get("deliveries")))
                .replace("{kind}", "address").replace("{key}", "192.0.2.1") // a SIP ban: operator-only, refused 403
                .replace("{channelId}", "ch-demo") // PBX-5: a participant of demo's room (the room is refused first)
                .replace("{commentId}", String.valueOf(demoIds.get("comments")));
        if (path.contains("{trackingNumber}")) path = path.replace("{trackingNumber}", demoNames.get("trackingNumber"));
        if (path.contains("{callId}")) path = path.replace("{callId}", demoNames.get("calls"));
        if (path.contains("{name}")) {
            String name = demoNames.get(resource);
            assertThat(name).as("test knows a demo file for " + template).isNotNull();
            path = path.replace("{name}", name);
        }
        assertThat(path).as("every parameter of " + template + " replaced").doesNotContain("{");
        return path;
    }

    @Test
    void everyRouteWithAParameterRefusesAnotherEnterprisesRealObjects() {
        String before = snapshotOfDemo();
        List<String> checked = new ArrayList<>();
        for (Api.Route r : server.hotline().routes()) {
            if (!r.path().contains("{")) continue;
            if (r.path().startsWith(Api.PREFIX + "/supervision/{sid}")) {
                // A supervision exists only while a call is up: SupervisionCallsTest makes one and has another enterprise's
                // admin switch, take over and end it (refused, the supervision goes on).
                checked.add(r.method() + " " + r.path() + " (SupervisionCallsTest)");
                continue;
            }
            if (r.path().startsWith(Api.PREFIX + "/live-calls/{legId}")) {
                // API-1: a live call exists only while a call is up: CallControlTest has another enterprise's admin read, hold,
                // transfer and hang up an agent's call in progress (404, the call goes on).
                checked.add(r.method() + " " + r.path() + " (CallControlTest)");
                continue;
            }
            if (r.path().startsWith(Api.PREFIX + "/public/")) {
                // OUT-4: public routes name an enterprise by its public key, by design (no login, no other enterprise to refuse);
                // WebCallbackTest: an unknown or disabled key is 404.
                checked.add(r.method() + " " + r.path() + " (public, WebCallbackTest)");
                continue;
            }
            String resource = r.path().substring(Api.PREFIX.length() + 1, r.path().indexOf('/', Api.PREFIX.length() + 1));
            String path = demoPath(r.path(), resource);
            boolean greeting = r.path().contains("{boxType}");
            if (r.method() == HandlerType.GET) {
                // The object is real: demo's own admin reads it.
                int own = r.path().endsWith("/audio") ? demoAdmin.getBytes(path).status() : demoAdmin.get(path).status();
                assertThat(own).as("demo reads its own " + path).isEqualTo(200);
            }
            ApiClient.Response resp = switch (r.method().name()) {
                case "GET" -> r.path().endsWith("/audio") ? asResponse(acmeAdmin.getBytes(path)) : acmeAdmin.get(path);
                case "PUT" -> greeting ? acmeAdmin.upload("PUT", path, "hijack.wav", TestAudio.toneWav(8000, 1, 600, 900))
                        : acmeAdmin.put(path, validBody(resource));
                case "POST" -> acmeAdmin.post(path, validBody(resource));
                case "DELETE" -> acmeAdmin.delete(path);
                default -> throw new AssertionError(r.method());
            };
            assertThat(resp.status()).as(r.method() + " " + path + " → " + resp).isIn(403, 404);
            assertThat(resp.body()).as("the route matched and refused the object: " + r.method() + " " + path).doesNotContain("no such route");
            checked.add(r.method() + " " + r.path());
        }
        assertThat(checked).hasSizeGreaterThanOrEqualTo(55).contains("GET /api/v1/calls/{callId}/events", "GET /api/v1/prompts/{name}/audio",
                "DELETE /api/v1/prompts/{name}", "DELETE /api/v1/moh/{name}", "GET /api/v1/recordings/{id}/audio",
                "GET /api/v1/voicemail/{id}/audio", "PUT /api/v1/voicemail/{id}", "DELETE /api/v1/voicemail/{id}",
                "GET /api/v1/voicemail/boxes/{boxType}/{box}/greeting", "GET /api/v1/voicemail/boxes/{boxType}/{box}/greeting/audio",
                "PUT /api/v1/voicemail/boxes/{boxType}/{box}/greeting", "DELETE /api/v1/voicemail/boxes/{boxType}/{box}/greeting");
        assertThat(snapshotOfDemo()).as("demo's data unchanged").isEqualTo(before);
    }

    static ApiClient.Response asResponse(ApiClient.Bytes b) {
        String text = b.contentType().contains("json") ? new String(b.body(), java.nio.charset.StandardCharsets.UTF_8)
                : b.contentType() + " " + b.body().length + " bytes";
        return new ApiClient.Response(b.status(), null, text, Map.of());
    }

    @Test
    void everyListRouteShowsOnlyTheCallersOwnData() {
        int checked = 0;
        for (Api.Route r : server.hotline().routes()) {
            if (r.method() != HandlerType.GET || r.path().contains("{") || !r.authenticated()) continue;
            if (r.path().endsWith("/tts/preview")) continue; // renders the text it is given, reads no data
            if (r.path().endsWith("/kb-search") || r.path().endsWith("/memos") || r.path().endsWith("/recordings/zip")) {
                continue; // need a query or an object: checked below
            }
            // The screen pop's lookup needs a number: the demo customer's.
            var resp = acmeAdmin.get(r.path() + (r.path().endsWith("/customers/lookup") ? "?number=0" + DEMO_CALLER : ""));
            if (resp.status() == 403) continue;
            assertThat(resp.status()).as(r.path()).isEqualTo(200);
            assertThat(resp.body()).as(r.path()).doesNotContain("agent1").doesNotContain("\"demo\"").doesNotContain("\"1002\"")
                    .doesNotContain("loopback").doesNotContain("1390000").doesNotContain("demo_flow").doesNotContain("1370*")
                    .doesNotContain("demo-custom").doesNotContain("demo-token").doesNotContain("support")
                    .doesNotContain(DEMO_CALLER).doesNotContain(DEMO_CALL).doesNotContain("english")
                    .doesNotContain("demo-campaign").doesNotContain("13900000088").doesNotContain("13900000099")
                    .doesNotContain("demo-sms").doesNotContain("demo sms");
            if (!r.path().equals("/api/v1/audit")) { // acme's log names the files acme itself uploaded under demo's names (below)
                assertThat(resp.body()).as(r.path()).doesNotContain(DEMO_PROMPT).doesNotContain(DEMO_MUSIC);
            }
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(8);
        // BIZ-3 and BIZ-5: acme's search and memos for what demo has are empty.
        for (String path : List.of("/api/v1/kb-search?q=" + java.net.URLEncoder.encode("演示", java.nio.charset.StandardCharsets.UTF_8),
                "/api/v1/memos?callId=" + DEMO_CALL)) {
            var resp = acmeAdmin.get(path);
            assertThat(resp.status()).as(path).isEqualTo(200);
            assertThat(resp.json()).as(path).isEmpty();
        }
        // REC-3: acme cannot zip demo's recording (which demo zips).
        String zip = "/api/v1/recordings/zip?ids=" + demoIds.get("recordings");
        assertThat(demoAdmin.getBytes(zip).status()).isEqualTo(200);
        assertThat(acmeAdmin.get(zip).status()).isEqualTo(404);
        // RPT-5 over the range of demo's rated call: acme's bill and totals are empty.
        for (String path : List.of("/api/v1/billing/calls" + billingRange, "/api/v1/billing/totals" + billingRange + "&by=trunk",
                "/api/v1/billing/totals" + billingRange + "&by=agent")) {
            var resp = acmeAdmin.get(path);
            assertThat(resp.status()).as(path).isEqualTo(200);
            assertThat(resp.json().get("rows")).as(path).isEmpty();
            assertThat(resp.body()).as(path).doesNotContain(DEMO_CALLER).doesNotContain("loopback");
        }
    }

    @Test
    void reportsShowOnlyTheCallersCallsAndDepartments() {
        // Demo's own reports hold its call (inbound to 4010, a voicemail) ...
        for (String report : List.of("tracking", "numbers")) {
            var own = demoAdmin.get("/api/v1/reports/" + report);
            assertThat(own.status()).as(report).isEqualTo(200);
            assertThat(own.body()).as(report).contains("4010");
        }
        assertThat(demoAdmin.get("/api/v1/reports/tracking?number=" + DEMO_CALLER).body()).contains(DEMO_CALL);
        // ... acme's do not, even asked for demo's caller.
        for (String report : List.of("tracking", "numbers", "callbacks", "states", "outbound", "tolerance")) {
            var other = acmeAdmin.get("/api/v1/reports/" + report);
            assertThat(other.status()).as(report).isEqualTo(200);
            assertThat(other.body()).as(report).doesNotContain(DEMO_CALL).doesNotContain(DEMO_CALLER).doesNotContain("4010");
        }
        assertThat(acmeAdmin.get("/api/v1/reports/tracking?number=" + DEMO_CALLER).json().get("page").get("total").asLong()).isZero();
        // Another enterprise's department is not found; one's own is.
        long demoDepartment = demoAdmin.get("/api/v1/departments").json().get(0).get("id").asLong();
        for (String report : List.of("agents", "states", "outbound")) {
            assertThat(demoAdmin.get("/api/v1/reports/" + report + "?department=" + demoDepartment).status()).as(report).isEqualTo(200);
            var other = acmeAdmin.get("/api/v1/reports/" + report + "?department=" + demoDepartment);
            assertThat(other.status()).as(report + " " + other).isEqualTo(404);
        }
    }

    @Test
    void sameFileNamesInTwoEnterprisesAreTwoFiles() {
        byte[] demoPrompt = demoAdmin.getBytes("/api/v1/prompts/" + DEMO_PROMPT + "/audio").body();
        assertThat(acmeAdmin.upload("POST", "/api/v1/prompts", DEMO_PROMPT, TestAudio.toneWav(8000, 1, 2000, 1000)).status()).isEqualTo(201);
        assertThat(acmeAdmin.upload("POST", "/api/v1/moh", DEMO_MUSIC, TestAudio.toneWav(8000, 1, 2000, 1000)).status()).isEqualTo(201);
        assertThat(acmeAdmin.getBytes("/api/v1/prompts/" + DEMO_PROMPT + "/audio").body()).isNotEqualTo(demoPrompt);
        assertThat(demoAdmin.getBytes("/api/v1/prompts/" + DEMO_PROMPT + "/audio").body()).as("demo's prompt untouched").isEqualTo(demoPrompt);
        assertThat(acmeAdmin.delete("/api/v1/prompts/" + DEMO_PROMPT).status()).isEqualTo(204);
        assertThat(acmeAdmin.delete("/api/v1/moh/" + DEMO_MUSIC).status()).isEqualTo(204);
        assertThat(demoAdmin.getBytes("/api/v1/prompts/" + DEMO_PROMPT + "/audio").status()).as("acme deleted its own").isEqualTo(200);
        assertThat(demoAdmin.get("/api/v1/moh").body()).contains(DEMO_MUSIC);
    }

    @Test
    void bodiesNamingAnotherEnterprisesObjectsAreRefused() {
        long acmeRole = firstId(acmeAdmin.get("/api/v1/roles").json());
        var acmeUser = acmeAdmin.post("/api/v1/users", Map.of("username", "acme-agent", "password", "acme-pass-2", "roleId", acmeRole));
        assertThat(acmeUser.status()).as(acmeUser.toString()).isEqualTo(201);
        long acmeUserId = acmeUser.json().get("id").asLong();
        var acmeQueue = acmeAdmin.post("/api/v1/queues", Map.of("name", "acme-line"));
        assertThat(acmeQueue.status()).as(acmeQueue.toString()).isEqualTo(201);
        long acmeQueueId = acmeQueue.json().get("id").asLong();
        long acmeExt = idOfNumber(acmeAdmin.get("/api/v1/extensions").json(), "1001");
        long demoTrunk = demoIds.get("trunks");
        String acmeBefore = snapshotOfAcme(acmeUserId, acmeQueueId, acmeExt);
        String demoBefore = snapshotOfDemo();

        Map<String, ApiClient.Response> refused = new LinkedHashMap<>();
        Map<String, String> field = new HashMap<>();
        field.put("user with demo's role and department", "roleId");
        refused.put("user with demo's role and department", acmeAdmin.post("/api/v1/users", Map.of("username", "x1", "password", "hijack-pass-1",
                "roleId", demoIds.get("roles"), "departmentId", demoIds.get("departments"))));
        field.put("user moved into demo's department", "departmentId");
        refused.put("user moved into demo's department", acmeAdmin.put("/api/v1/users/" + acmeUserId, Map.of("username", "acme-agent",
                "roleId", acmeRole, "departmentId", demoIds.get("departments"))));
        field.put("user given demo's role", "roleId");
        refused.put("user given demo's role", acmeAdmin.put("/api/v1/users/" + acmeUserId, Map.of("username", "acme-agent",
                "roleId", demoIds.get("roles"))));
        field.put("department under demo's", "parentId");
        refused.put("department under demo's", acmeAdmin.post("/api/v1/departments", Map.of("name", "x2", "parentId", demoIds.get("departments"))));
        field.put("new extension of demo's user", "userId");
        refused.put("new extension of demo's user", acmeAdmin.post("/api/v1/extensions", Map.of("number", "1005", "userId", demoIds.get("users"))));
        field.put("extension given to demo's user", "userId");
        refused.put("extension given to demo's user", acmeAdmin.put("/api/v1/extensions/" + acmeExt, Map.of("number", "1001", "userId", demoIds.get("users"))));
        refused.put("queue member from demo", acmeAdmin.put("/api/v1/queues/" + acmeQueueId + "/members/" + demoIds.get("users"), Map.of("penalty", 0)));
        refused.put("queue overflowing to demo's queue", acmeAdmin.put("/api/v1/queues/" + acmeQueueId, Map.of("name", "acme-line",
                "settings", Map.of("maxWaitSeconds", 60, "overflow", Map.of("type", "queue", "value", "support")))));
        refused.put("queue overflowing to demo's flow", acmeAdmin.put("/api/v1/queues/" + acmeQueueId, Map.of("name", "acme-line",
                "settings", Map.of("maxWaitSeconds", 60, "overflow", Map.of("type", "flow", "value", "main")))));
        refused.put("queue overflowing to demo's extension", acmeAdmin.put("/api/v1/queues/" + acmeQueueId, Map.of("name", "acme-line",
                "settings", Map.of("maxWaitSeconds", 60, "overflow", Map.of("type", "extension", "value", DEMO_BOX)))));
        refused.put("queue needing demo's skill", acmeAdmin.put("/api/v1/queues/" + acmeQueueId, Map.of("name", "acme-line",
                "settings", Map.of("skills", List.of(Map.of("skill", "english", "minLevel", 1))))));
        field.put("user given demo's skill", "english");
        refused.put("user given demo's skill", acmeAdmin.put("/api/v1/users/" + acmeUserId + "/skills", Map.of("english", 5)));
        field.put("ring group of demo's extension", "members");
        refused.put("ring group of demo's extension", acmeAdmin.post("/api/v1/ring-groups", Map.of("name", "x3", "members", List.of(DEMO_BOX))));
        field.put("ring group failing to demo's queue", "fail");
        refused.put("ring group failing to demo's queue", acmeAdmin.post("/api/v1/ring-groups", Map.of("name", "x4", "members", List.of("1001"),
                "fail", Map.of("type", "queue", "value", "support"))));
        field.put("ring group failing to demo's extension", "fail");
        refused.put("ring group failing to demo's extension", acmeAdmin.post("/api/v1/ring-groups", Map.of("name", "x5", "members", List.of("1001"),
                "fail", Map.of("type", "extension", "value", DEMO_BOX))));
        field.put("number on demo's trunk", "trunkId");
        refused.put("number on demo's trunk", acmeAdmin.post("/api/v1/numbers", Map.of("number", "4901", "trunkId", demoTrunk, "destination", "1001")));
        field.put("number to demo's extension", "destination");
        refused.put("number to demo's extension", acmeAdmin.post("/api/v1/numbers", Map.of("number", "4902", "destination", DEMO_BOX)));
        field.put("number to demo's queue", "destination");
        refused.put("number to demo's queue", acmeAdmin.post("/api/v1/numbers", Map.of("number", "4903", "destinationType", "queue", "destination", "support")));
        field.put("number to demo's flow", "destination");
        refused.put("number to demo's flow", acmeAdmin.post("/api/v1/numbers", Map.of("number", "4904", "destinationType", "flow", "destination", "main")));
        field.put("number to demo's ring group", "destination");
        refused.put("number to demo's ring group", acmeAdmin.post("/api/v1/numbers", Map.of("number", "4905", "destinationType", "ringgroup",
                "destination", "demo-ring")));
        field.put("number to demo's room", "destination");
        refused.put("number to demo's room", acmeAdmin.post("/api/v1/numbers", Map.of("number", "4906", "destinationType", "conference",
                "destination", "8899")));
        field.put("number to demo's voicemail box", "destination");
        refused.put("number to demo's voicemail box", acmeAdmin.post("/api/v1/numbers", Map.of("number", "4907", "destinationType", "voicemail",
                "destination", "queue:support")));
        field.put("number welcomed by demo's prompt", "welcomePrompt");
        refused.put("number welcomed by demo's prompt", acmeAdmin.post("/api/v1/numbers", Map.of("number", "4908", "destination", "1001",
                "welcomePrompt", DEMO_PROMPT)));
        field.put("route over demo's trunk", "trunkId");
        refused.put("route over demo's trunk", acmeAdmin.post("/api/v1/outbound-routes", Map.of("name", "x6", "prefix", "9", "trunkId", demoTrunk)));
        // BIZ-4: an order for demo's customer, or of demo's product for acme's own customer.
        field.put("order for demo's customer", "customerId");
        refused.put("order for demo's customer", acmeAdmin.post("/api/v1/orders", Map.of("customerId", demoIds.get("customers"),
                "lines", List.of(Map.of("productId", demoIds.get("products"), "quantity", 1)))));
        long acmeCustomer = acmeAdmin.post("/api/v1/customers", Map.of("name", "acme buyer", "phones", List.of(Map.of("number", "13600000001")),
                "fields", Map.of())).json().get("id").asLong();
        field.put("order of demo's product", "lines[0].productId");
        refused.put("order of demo's product", acmeAdmin.post("/api/v1/orders", Map.of("customerId", acmeCustomer,
                "lines", List.of(Map.of("productId", demoIds.get("products"), "quantity", 1)))));
        // BIZ-4 contracts: a contract for demo's customer, or covering demo's order for acme's own customer.
        field.put("contract for demo's customer", "customerId");
        refused.put("contract for demo's customer", acmeAdmin.post("/api/v1/contracts", Map.of("customerId", demoIds.get("customers"),
                "contractNumber", "ACME-1", "title", "x", "amount", 1, "startDate", "2026-01-01", "endDate", "2026-12-31")));
        field.put("contract covering demo's order", "orderIds[0]");
        refused.put("contract covering demo's order", acmeAdmin.post("/api/v1/contracts", Map.of("customerId", acmeCustomer,
                "contractNumber", "ACME-2", "title", "x", "amount", 1, "startDate", "2026-01-01", "endDate", "2026-12-31",
                "orderIds", List.of(demoIds.get("orders")))));
        for (var e : refused.entrySet()) {
            assertThat(e.getValue().status()).as(e.getKey() + " → " + e.getValue()).isIn(400, 404);
            assertThat(e.getValue().body()).as(e.getKey()).doesNotContain("no such route");
            if (field.containsKey(e.getKey())) {
                // Refused for naming demo's object, not for something else wrong with the body.
                assertThat(e.getValue().status()).as(e.getKey()).isEqualTo(400);
                assertThat(e.getValue().json().get("fieldErrors").findValuesAsText("field")).as(e.getKey() + " → " + e.getValue())
                        .contains(field.get(e.getKey()));
            }
        }
        assertThat(snapshotOfAcme(acmeUserId, acmeQueueId, acmeExt)).as("acme's own objects unchanged").isEqualTo(acmeBefore);
        assertThat(snapshotOfDemo()).as("demo's unchanged").isEqualTo(demoBefore);
    }

    static long idOfNumber(JsonNode list, String number) {
        for (JsonNode n : list) if (n.get("number").asText().equals(number)) return n.get("id").asLong();
        throw new AssertionError("no " + number + " in " + list);
    }

    String snapshotOfAcme(long user, long queue, long ext) {
        StringBuilder sb = new StringBuilder();
        for (String path : List.of("/api/v1/users", "/api/v1/users/" + user, "/api/v1/users/" + user + "/skills", "/api/v1/departments",
                "/api/v1/extensions", "/api/v1/extensions/" + ext, "/api/v1/queues", "/api/v1/queues/" + queue + "/members",
                "/api/v1/ring-groups", "/api/v1/numbers", "/api/v1/outbound-routes")) {
            var r = acmeAdmin.get(path);
            assertThat(r.status()).as(path).isEqualTo(200);
            sb.append(path).append(' ').append(r.body()).append('\n');
        }
        return sb.toString();
    }

    @Test
    void sameNamesMayExistInTwoEnterprises() {
        var u = acmeAdmin.post("/api/v1/users", Map.of("username", "lead", "password", "acme-pass-1",
                "roleId", firstId(acmeAdmin.get("/api/v1/roles").json()), "extension", "1003"));
        assertThat(u.status()).as(u.toString()).isEqualTo(201);
        assertThat(acmeAdmin.get("/api/v1/users").json().findValuesAsText("username")).contains("boss", "lead").doesNotContain("agent1");
        assertThat(new ApiClient(server.baseUrl()).login("acme", "lead", TestServer.DEMO_PASSWORD).status()).isEqualTo(401);
        assertThat(new ApiClient(server.baseUrl()).login("acme", "lead", "acme-pass-1").status()).isEqualTo(200);
    }

    @Test
    void onlyTheOperatorManagesEnterprisesAndDisabledOnesCannotLogIn() {
        assertThat(demoAdmin.get("/api/v1/enterprises").status()).isEqualTo(403);
        ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", TestServer.DEMO_PASSWORD);
        assertThat(operator.get("/api/v1/users").status()).as("operator does not read tenants' users").isEqualTo(403);
        assertThat(operator.post("/api/v1/enterprises", Map.of("code", "system", "name", "x", "adminUsername", "a1", "adminPassword", "aaaa-bbbb")).status()).isEqualTo(400);
        assertThat(operator.post("/api/v1/enterprises", Map.of("code", "demo", "name", "x", "adminUsername", "a1", "adminPassword", "aaaa-bbbb")).status()).isEqualTo(409);
        assertThat(operator.post("/api/v1/enterprises", Map.of("code", "Bad Code", "name", "x")).status()).isEqualTo(400);
        var tmp = operator.post("/api/v1/enterprises", Map.of("code", "tmp-co", "name", "Tmp", "adminUsername", "t1", "adminPassword", "tmp-pass-1"));
        long id = tmp.json().get("id").asLong();
        assertThat(new ApiClient(server.baseUrl()).login("tmp-co", "t1", "tmp-pass-1").status()).isEqualTo(200);
        ApiClient tmpAdmin = ApiClient.loggedIn(server.baseUrl(), "tmp-co", "t1", "tmp-pass-1");
        assertThat(operator.put("/api/v1/enterprises/" + id, Map.of("enabled", false)).status()).isEqualTo(200);
        assertThat(new ApiClient(server.baseUrl()).login("tmp-co", "t1", "tmp-pass-1").status()).isEqualTo(401);
        assertThat(tmpAdmin.get("/api/v1/me").status()).as("existing sessions end too").isEqualTo(401);
        assertThat(operator.get("/api/v1/enterprises").json().findValuesAsText("code")).contains("system", "demo", "acme", "tmp-co");
    }
}
