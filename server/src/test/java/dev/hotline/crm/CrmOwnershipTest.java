package dev.hotline.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestServer;
import dev.hotline.web.Api;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * CRM-3: a customer is private, shared with the owner's department (and the departments above it) or with the
 * enterprise. Like the tenant sweep, an agent of another department tries every CRM route on a private and a
 * department-shared record of a colleague and is answered "not found" every time, and the records stay unchanged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrmOwnershipTest {
    static final String PRIVATE_NUMBER = "13500000001";
    static final String DEPT_NUMBER = "13500000002";
    static final String ENTERPRISE_NUMBER = "13500000003";

    TestServer server;
    ApiClient admin;
    ApiClient insider;   // customer service, crm-agent role (every CRM permission but customer.manage)
    ApiClient outsider;  // sales, same role
    ApiClient agent2;    // customer service, built-in agent role
    long service;
    long sales;
    long insiderId;
    long outsiderId;
    long privateId;
    long deptId;
    long enterpriseId;
    long importId;
    long contactId;

    @BeforeAll
    void start() {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        for (JsonNode d : admin.get("/api/v1/departments").json()) {
            if (d.get("name").asText().contains("Customer Service")) service = d.get("id").asLong();
            if (d.get("name").asText().contains("Sales")) sales = d.get("id").asLong();
        }
        long role = admin.post("/api/v1/roles", Map.of("name", "crm-agent", "permissions",
                List.of("customer.read", "customer.write", "customer.import", "customer.export", "addressbook.use", "agent.desk", "ticket.read", "ticket.write"))).json().get("id").asLong();
        insiderId = user("insider", role, service);
        outsiderId = user("outsider", role, sales);
        insider = ApiClient.loggedIn(server.baseUrl(), "demo", "insider", "crm-pass-123");
        outsider = ApiClient.loggedIn(server.baseUrl(), "demo", "outsider", "crm-pass-123");
        agent2 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", TestServer.DEMO_PASSWORD);
        admin.post("/api/v1/customer-fields", Map.of("key", "tier", "label", "Tier", "type", "text"));
        privateId = create(insider, "Private Pei", PRIVATE_NUMBER, "private");
        deptId = create(insider, "Dept Deng", DEPT_NUMBER, "department");
        enterpriseId = create(insider, "Everyone Ye", ENTERPRISE_NUMBER, "enterprise");
        var job = insider.upload("POST", "/api/v1/customer-imports", "mine.csv", "name,phones\nImported Ivy,13500000009\n".getBytes(StandardCharsets.UTF_8));
        importId = job.json().get("id").asLong();
        await().atMost(Duration.ofSeconds(30)).until(() -> insider.get("/api/v1/customer-imports/" + importId).json().get("state").asText().equals("done"));
        contactId = insider.post("/api/v1/contacts", Map.of("name", "Insider's friend", "number", "13500000010")).json().get("id").asLong();
    }

    long user(String name, long role, long department) {
        var r = admin.post("/api/v1/users", Map.of("username", name, "password", "crm-pass-123", "roleId", role, "departmentId", department));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    static long create(ApiClient who, String name, String number, String sharing) {
        var r = who.post("/api/v1/customers", Map.of("name", name, "phones", List.of(Map.of("number", number)), "fields", Map.of("tier", "gold"), "sharing", sharing));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    String snapshot() {
        StringBuilder sb = new StringBuilder();
        for (long id : List.of(privateId, deptId)) sb.append(insider.get("/api/v1/customers/" + id).body()).append('\n');
        sb.append(insider.get("/api/v1/contacts/" + contactId).body()).append('\n');
        sb.append(insider.get("/api/v1/customer-imports/" + importId).body());
        assertThat(sb.toString()).contains("Private Pei", "Dept Deng", "Insider's friend", "mine.csv");
        return sb.toString();
    }

    @Test
    void anAgentOfAnotherDepartmentFindsNothingOfAColleaguesPrivateOrDepartmentRecordsByAnyRoute() {
        String before = snapshot();
        List<String> checked = new ArrayList<>();
        TreeSet<String> crmRoutes = new TreeSet<>();
        for (Api.Route r : server.hotline().routes()) {
            String p = r.path();
            if (!(p.startsWith("/api/v1/customer") || p.startsWith("/api/v1/contacts") || p.startsWith("/api/v1/staff-directory"))) continue;
            crmRoutes.add(r.method() + " " + p);
            String m = r.method().name();
            if (p.contains("{id}")) {
                List<Long> targets = p.startsWith("/api/v1/customers/") ? List.of(privateId, deptId)
                        : p.startsWith("/api/v1/customer-imports/") ? List.of(importId)
                        : p.startsWith("/api/v1/contacts/") ? List.of(contactId)
                        : List.of(admin.get("/api/v1/customer-fields").json().get(0).get("id").asLong());
                for (long id : targets) {
                    String path = p.replace("{id}", String.valueOf(id));
                    Map<String, Object> body = p.endsWith("/transfer") ? Map.of("ownerId", outsiderId, "sharing", "enterprise")
                            : p.startsWith("/api/v1/contacts/") ? Map.of("name", "hijacked", "number", "13500000099")
                            : p.startsWith("/api/v1/customer-fields/") ? Map.of("key", "tier", "label", "hijacked", "type", "text")
                            : Map.of("name", "hijacked", "phones", List.of(), "fields", Map.of(), "sharing", "enterprise");
                    var resp = switch (m) {
                        case "GET" -> outsider.get(path);
                        case "PUT" -> outsider.put(path, body);
                        case "POST" -> outsider.post(path, body);
                        case "DELETE" -> outsider.delete(path);
                        default -> throw new AssertionError(m);
                    };
                    // customer fields are the administrator's (403 for everyone without customer.manage); records are not found.
                    int expected = p.startsWith("/api/v1/customer-fields/") ? 403 : 404;
                    assertThat(resp.status()).as(m + " " + path + " → " + resp).isEqualTo(expected);
                }
                checked.add(m + " " + p);
                continue;
            }
            switch (m + " " + p) {
                case "GET /api/v1/customers" -> {
                    for (String q : List.of("", "?q=pei", "?q=deng", "?number=1350000000", "?q=gold", "?field.tier=gold", "?ownerId=" + insiderId)) {
                        String body = outsider.get("/api/v1/customers" + q).body();
                        assertThat(body).as(q).doesNotContain("Private Pei").doesNotContain("Dept Deng").doesNotContain(PRIVATE_NUMBER).doesNotContain(DEPT_NUMBER);
                    }
                    assertThat(outsider.get("/api/v1/customers?ownerId=" + insiderId).json().findValuesAsText("name")).containsExactly("Everyone Ye");
                }
                case "GET /api/v1/customers/lookup" -> {
                    assertThat(outsider.get("/api/v1/customers/lookup?number=0" + PRIVATE_NUMBER).json()).isEmpty();
                    assertThat(outsider.get("/api/v1/customers/lookup?number=%2B86" + DEPT_NUMBER).json()).isEmpty();
                    assertThat(outsider.get("/api/v1/customers/lookup?number=" + ENTERPRISE_NUMBER).json().findValuesAsText("name")).containsExactly("Everyone Ye");
                }
                case "GET /api/v1/customers/export" -> {
                    for (String f : List.of("csv", "xlsx")) {
                        var b = outsider.getBytes("/api/v1/customers/export?format=" + f);
                        assertThat(b.status()).isEqualTo(200);
                        String text = f.equals("csv") ? new String(b.body(), StandardCharsets.UTF_8) : xlsxText(b.body());
                        assertThat(text).contains("Everyone Ye").doesNotContain("Private Pei").doesNotContain("Dept Deng").doesNotContain(PRIVATE_NUMBER);
                    }
                }
                case "GET /api/v1/customers/template", "GET /api/v1/customer-fields", "GET /api/v1/staff-directory" ->
                        assertThat(outsider.get(p).body()).doesNotContain("Private Pei").doesNotContain("Dept Deng");
                case "POST /api/v1/customers/transfer" -> {
                    for (long id : List.of(privateId, deptId)) {
                        var r2 = outsider.post(p, Map.of("ids", List.of(id, enterpriseId), "ownerId", outsiderId));
                        assertThat(r2.status()).as(r2.toString()).isEqualTo(404);
                    }
                    assertThat(outsider.post(p, Map.of("fromOwnerId", insiderId, "ownerId", outsiderId)).status()).isEqualTo(403);
                }
                case "POST /api/v1/customers" -> {
                    // Creating a customer with the same number makes the outsider's own record; the colleague's stays unseen.
                    long mine = create(outsider, "Outsider's Pei", PRIVATE_NUMBER, "private");
                    assertThat(outsider.get("/api/v1/customers/lookup?number=" + PRIVATE_NUMBER).json().findValuesAsText("id")).containsExactly(String.valueOf(mine));
                    assertThat(outsider.delete("/api/v1/customers/" + mine).status()).isEqualTo(204);
                }
                case "POST /api/v1/customer-imports" -> {
                    // "Update" on a number only a colleague's private record has: not a duplicate for the outsider, a new record.
                    var up = outsider.upload("POST", p + "?onDuplicate=update", "hijack.csv",
                            ("name,phones\nhijacked,0" + DEPT_NUMBER + "\n").getBytes(StandardCharsets.UTF_8));
                    long id = up.json().get("id").asLong();
                    await().atMost(Duration.ofSeconds(30)).until(() -> outsider.get(p + "/" + id).json().get("state").asText().equals("done"));
                    JsonNode job = outsider.get(p + "/" + id).json();
                    assertThat(job.get("updatedRows").asInt()).isZero();
                    assertThat(job.get("createdRows").asInt()).isEqualTo(1);
                    for (JsonNode c : outsider.get("/api/v1/customers/lookup?number=" + DEPT_NUMBER).json()) {
                        assertThat(outsider.delete("/api/v1/customers/" + c.get("id").asLong()).status()).isEqualTo(204);
                    }
                }
                case "GET /api/v1/customer-imports" -> assertThat(outsider.get(p).body()).doesNotContain("mine.csv");
                case "GET /api/v1/contacts" -> assertThat(outsider.get(p).body()).doesNotContain("Insider's friend");
                case "POST /api/v1/contacts" -> assertThat(outsider.post(p, Map.of("name", "Own", "number", "13500000011")).status()).isEqualTo(201);
                case "POST /api/v1/customer-fields" ->
                        assertThat(outsider.post(p, Map.of("key", "x", "label", "x", "type", "text")).status()).isEqualTo(403);
                default -> throw new AssertionError("the sweep does not know " + m + " " + p + ": add it");
            }
            checked.add(m + " " + p);
        }
        assertThat(checked).containsExactlyInAnyOrderElementsOf(crmRoutes);
        assertThat(checked).hasSizeGreaterThanOrEqualTo(20);
        assertThat(snapshot()).as("the colleague's records unchanged").isEqualTo(before);
    }

    @Test
    void ticketsAndMemosFollowTheirCustomersOwnershipOnEveryRoute() {
        // CRM-3 for BIZ-1/BIZ-5: the insider's tickets and memos on the private and the department customer are the outsider's to
        // see on no route; those on the enterprise-shared customer (and without a customer) are.
        Map<Long, JsonNode> hidden = new java.util.LinkedHashMap<>();
        List<Long> hiddenMemos = new ArrayList<>();
        for (long customer : List.of(privateId, deptId)) {
            var t = insider.post("/api/v1/tickets", Map.of("type", "consultation", "title", "Secret " + customer, "customerId", customer,
                    "callerNumber", customer == privateId ? PRIVATE_NUMBER : DEPT_NUMBER, "form", Map.of("topic", "x")));
            assertThat(t.status()).as(t.toString()).isEqualTo(201);
            hidden.put(t.json().get("id").asLong(), t.json());
            var m = insider.post("/api/v1/memos", Map.of("customerId", customer, "callId", "call-of-" + customer, "text", "Secret memo " + customer));
            assertThat(m.status()).as(m.toString()).isEqualTo(201);
            hiddenMemos.add(m.json().get("id").asLong());
        }
        var shared = insider.post("/api/v1/tickets", Map.of("type", "consultation", "title", "Shared one", "customerId", enterpriseId,
                "form", Map.of("topic", "x"))).json();
        assertThat(insider.post("/api/v1/memos", Map.of("customerId", enterpriseId, "text", "Shared memo")).status()).isEqualTo(201);
        String before = ticketsAsStored(insider, hidden.keySet());
        assertThat(before).contains("Secret " + privateId, "Secret " + deptId);

        List<String> checked = new ArrayList<>();
        TreeSet<String> routes = new TreeSet<>();
        for (Api.Route r : server.hotline().routes()) {
            String p = r.path();
            if (!(p.startsWith("/api/v1/ticket") || p.startsWith("/api/v1/memos"))) continue;
            String route = r.method().name() + " " + p;
            routes.add(route);
            if (p.startsWith("/api/v1/tickets/{id}")) {
                for (long id : hidden.keySet()) {
                    String path = p.replace("{id}", String.valueOf(id));
                    Map<String, Object> body = p.endsWith("/status") ? Map.of("status", "closed") : p.endsWith("/assign") ? Map.of("assigneeId", outsiderId)
                            : p.endsWith("/comments") ? Map.of("text", "hijacked") : p.endsWith("/callbacks") ? Map.of("result", "reached")
                            : Map.of("title", "hijacked", "form", Map.of("topic", "x"));
                    var resp = switch (r.method().name()) {
                        case "GET" -> outsider.get(path);
                        case "PUT" -> outsider.put(path, body);
                        case "POST" -> outsider.post(path, body);
                        default -> throw new AssertionError(route);
                    };
                    assertThat(resp.status()).as(route + " " + path + " → " + resp).isEqualTo(404);
                }
                assertThat(outsider.get("/api/v1/tickets/" + shared.get("id").asLong()).status()).isEqualTo(200);
                checked.add(route);
                continue;
            }
            switch (route) {
                case "GET /api/v1/tickets" -> {
                    for (String q : List.of("", "?q=secret", "?customerId=" + privateId, "?customerId=" + deptId, "?callerNumber=" + PRIVATE_NUMBER, "?open=true")) {
                        assertThat(outsider.get("/api/v1/tickets" + q).body()).as(q).doesNotContain("Secret");
                    }
                    assertThat(outsider.get("/api/v1/tickets").body()).contains("Shared one");
                    assertThat(insider.get("/api/v1/tickets?q=secret").json()).hasSize(2);
                }
                case "POST /api/v1/tickets" -> {
                    var r2 = outsider.post(p, Map.of("type", "consultation", "title", "On a hidden customer", "customerId", privateId, "form", Map.of("topic", "x")));
                    assertThat(r2.status()).as(r2.toString()).isEqualTo(400);
                    assertThat(r2.json().get("fieldErrors").findValuesAsText("field")).containsExactly("customerId");
                }
                case "GET /api/v1/tickets/by-number/{trackingNumber}" -> {
                    for (JsonNode t : hidden.values()) {
                        assertThat(outsider.get("/api/v1/tickets/by-number/" + t.get("trackingNumber").asText()).status()).isEqualTo(404);
                    }
                    assertThat(outsider.get("/api/v1/tickets/by-number/" + shared.get("trackingNumber").asText()).status()).isEqualTo(200);
                }
                case "GET /api/v1/memos" -> {
                    for (long customer : List.of(privateId, deptId)) {
                        assertThat(outsider.get("/api/v1/memos?customerId=" + customer).status()).isEqualTo(404);
                        assertThat(outsider.get("/api/v1/memos?callId=call-of-" + customer).json()).as("a memo on a call of a hidden customer").isEmpty();
                        assertThat(insider.get("/api/v1/memos?callId=call-of-" + customer).json()).hasSize(1);
                    }
                    assertThat(outsider.get("/api/v1/memos?customerId=" + enterpriseId).body()).contains("Shared memo");
                }
                case "POST /api/v1/memos" -> {
                    var r2 = outsider.post(p, Map.of("customerId", deptId, "text", "planted"));
                    assertThat(r2.status()).as(r2.toString()).isEqualTo(400);
                    assertThat(r2.json().get("fieldErrors").findValuesAsText("field")).containsExactly("customerId");
                }
                case "DELETE /api/v1/memos/{id}" -> {
                    for (long m : hiddenMemos) assertThat(outsider.delete("/api/v1/memos/" + m).status()).isEqualTo(404);
                }
                case "GET /api/v1/ticket-settings", "GET /api/v1/ticket-types" -> assertThat(outsider.get(p).status()).isEqualTo(200);
                case "GET /api/v1/ticket-types/{id}" -> assertThat(outsider.get(p.replace("{id}", String.valueOf(shared.get("typeId").asLong()))).status()).isEqualTo(200);
                case "PUT /api/v1/ticket-settings", "POST /api/v1/ticket-types" -> assertThat(outsider.raw(r.method().name(), p, "{}", "application/json").status()).isEqualTo(403);
                case "PUT /api/v1/ticket-types/{id}" -> assertThat(outsider.put(p.replace("{id}", "1"), Map.of()).status()).isEqualTo(403);
                default -> throw new AssertionError("the sweep does not know " + route + ": add it");
            }
            checked.add(route);
        }
        assertThat(checked).containsExactlyInAnyOrderElementsOf(routes).hasSizeGreaterThanOrEqualTo(17);
        // The customer timeline (CRM-4) of a hidden customer is 404; of the shared one it carries its ticket and memo.
        assertThat(outsider.get("/api/v1/customers/" + privateId + "/timeline").status()).isEqualTo(404);
        assertThat(outsider.get("/api/v1/customers/" + enterpriseId + "/timeline").body()).contains("Shared one", "Shared memo");
        String after = ticketsAsStored(insider, hidden.keySet());
        assertThat(after).as("the insider's tickets unchanged").isEqualTo(before);
        for (long m : hiddenMemos) assertThat(insider.get("/api/v1/memos?callId=call-of-" + (m == hiddenMemos.get(0) ? privateId : deptId)).json()).hasSize(1);
    }

    /** The tickets as the insider reads them, without what the clock moves (the SLA's used seconds, overdue). */
    static String ticketsAsStored(ApiClient insider, java.util.Collection<Long> ids) {
        StringBuilder out = new StringBuilder();
        for (long id : ids) {
            JsonNode t = insider.get("/api/v1/tickets/" + id).json();
            if (t.get("ticket") instanceof com.fasterxml.jackson.databind.node.ObjectNode o) o.remove(List.of("slaUsedSeconds", "overdue"));
            out.append(t);
        }
        return out.toString();
    }

    static String xlsxText(byte[] xlsx) {
        try (var wb = new org.dhatim.fastexcel.reader.ReadableWorkbook(new java.io.ByteArrayInputStream(xlsx))) {
            StringBuilder sb = new StringBuilder();
            for (var row : wb.getFirstSheet().read()) for (int i = 0; i < row.getCellCount(); i++) sb.append(row.getCellText(i)).append(',');
            return sb.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theOwnersDepartmentSeesDepartmentRecordsAndMayEditButNotDisposeOfThem() {
        JsonNode seen = agent2.get("/api/v1/customers?number=135000000").json();
        assertThat(seen.get("items").findValuesAsText("name")).contains("Dept Deng", "Everyone Ye").doesNotContain("Private Pei");
        assertThat(agent2.get("/api/v1/customers/" + privateId).status()).isEqualTo(404);
        assertThat(agent2.get("/api/v1/customers/lookup?number=" + DEPT_NUMBER).json().findValuesAsText("name")).containsExactly("Dept Deng");
        long other = create(insider, "Colleague Chen", "13500000020", "department");
        var edit = agent2.put("/api/v1/customers/" + other, Map.of("name", "Colleague Chen Jr", "phones", List.of(Map.of("number", "13500000020")),
                "fields", Map.of("tier", "silver")));
        assertThat(edit.status()).as(edit.toString()).isEqualTo(200);
        assertThat(edit.json().get("ownerId").asLong()).isEqualTo(insiderId);
        assertThat(agent2.put("/api/v1/customers/" + other, Map.of("name", "x", "sharing", "enterprise")).status()).as("sharing is the owner's").isEqualTo(403);
        assertThat(agent2.post("/api/v1/customers/" + other + "/transfer", Map.of("ownerId", outsiderId)).status()).isEqualTo(403);
        assertThat(agent2.delete("/api/v1/customers/" + other).status()).isEqualTo(403);
        assertThat(outsider.get("/api/v1/customers/" + enterpriseId).status()).as("enterprise-shared").isEqualTo(200);
    }

    @Test
    void departmentsAboveSeeTheirTeamsRecordsNotTheOtherWayRound() {
        long team = admin.post("/api/v1/departments", Map.of("name", "Service VIP team", "parentId", service)).json().get("id").asLong();
        long role = admin.get("/api/v1/roles").json().findParents("name").stream().filter(n -> n.get("name").asText().equals("crm-agent"))
                .findFirst().orElseThrow().get("id").asLong();
        user("teamer", role, team);
        ApiClient teamer = ApiClient.loggedIn(server.baseUrl(), "demo", "teamer", "crm-pass-123");
        long teamRecord = create(teamer, "Team Tang", "13500000030", "department");
        assertThat(insider.get("/api/v1/customers/" + teamRecord).status()).as("service is above the team").isEqualTo(200);
        assertThat(teamer.get("/api/v1/customers/" + deptId).status()).as("the team is under service: it does not see service's").isEqualTo(404);
        assertThat(outsider.get("/api/v1/customers/" + teamRecord).status()).isEqualTo(404);
    }

    @Test
    void transferHandsARecordOverSinglyAndInBulk() {
        long a = create(insider, "Transfer A", "13500000040", "private");
        long b = create(insider, "Transfer B", "13500000041", "private");
        long c = create(insider, "Transfer C", "13500000042", "private");
        var one = insider.post("/api/v1/customers/" + a + "/transfer", Map.of("ownerId", outsiderId));
        assertThat(one.status()).as(one.toString()).isEqualTo(200);
        assertThat(insider.get("/api/v1/customers/" + a).status()).as("private, no longer the insider's").isEqualTo(404);
        assertThat(outsider.get("/api/v1/customers/" + a).json().get("ownerId").asLong()).isEqualTo(outsiderId);
        assertThat(insider.post("/api/v1/customers/" + b + "/transfer", Map.of("ownerId", 999999)).json().get("fieldErrors").findValuesAsText("field"))
                .containsExactly("ownerId");
        var bulk = insider.post("/api/v1/customers/transfer", Map.of("ids", List.of(b, c), "ownerId", outsiderId, "sharing", "department"));
        assertThat(bulk.status()).as(bulk.toString()).isEqualTo(200);
        assertThat(bulk.json().get("count").asInt()).isEqualTo(2);
        assertThat(outsider.get("/api/v1/customers/" + c).json().get("sharing").asText()).isEqualTo("department");
        // The administrator moves everything a leaver owned.
        var leaver = admin.post("/api/v1/customers/transfer", Map.of("fromOwnerId", outsiderId, "ownerId", insiderId));
        assertThat(leaver.status()).as(leaver.toString()).isEqualTo(200);
        assertThat(leaver.json().get("count").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(insider.get("/api/v1/customers/" + a).json().get("ownerId").asLong()).isEqualTo(insiderId);
        assertThat(admin.get("/api/v1/customers/" + privateId).status()).as("customer.manage sees every record").isEqualTo(200);
    }
}
