package dev.hotline.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** CRM-1, CRM-2, CRM-6 through the HTTP API: fields, customers, search, lookup, files, imports, address books. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomerApiTest {
    TestServer server;
    ApiClient admin;
    ApiClient agent1;

    @BeforeAll
    void start() {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        agent1 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", TestServer.DEMO_PASSWORD);
        field(Map.of("key", "tier", "label", "Tier", "type", "single_choice", "options", List.of("gold", "silver"), "required", true, "inPop", true, "position", 1));
        field(Map.of("key", "tags", "label", "Tags", "type", "multiple_choice", "options", List.of("vip", "new", "complaint"), "position", 2));
        field(Map.of("key", "birthday", "label", "Birthday", "type", "datetime", "position", 3));
        field(Map.of("key", "spend", "label", "Spend", "type", "number", "position", 4));
        field(Map.of("key", "email", "label", "E-mail", "type", "email", "position", 5));
        field(Map.of("key", "fax", "label", "Fax", "type", "phone", "position", 6));
        field(Map.of("key", "city", "label", "城市", "type", "text", "position", 7, "inPop", true));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    JsonNode field(Map<String, Object> body) {
        var r = admin.post("/api/v1/customer-fields", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    static Map<String, Object> customer(String name, List<String> numbers, Map<String, Object> fields) {
        Map<String, Object> m = new HashMap<>();
        m.put("name", name);
        m.put("phones", numbers.stream().map(n -> Map.of("number", n)).toList());
        m.put("fields", fields);
        return m;
    }

    static List<String> fieldsOf(ApiClient.Response r) {
        return r.json().get("fieldErrors").findValuesAsText("field");
    }

    @Test
    void fieldDefinitionsAreValidated() {
        assertThat(fieldsOf(admin.post("/api/v1/customer-fields", Map.of("key", "Bad Key", "label", "x", "type", "text")))).contains("key");
        assertThat(fieldsOf(admin.post("/api/v1/customer-fields", Map.of("key", "x1", "label", "x", "type", "colour")))).contains("type");
        assertThat(fieldsOf(admin.post("/api/v1/customer-fields", Map.of("key", "x2", "label", "x", "type", "single_choice")))).contains("options");
        assertThat(fieldsOf(admin.post("/api/v1/customer-fields", Map.of("key", "name", "label", "x", "type", "text")))).contains("key");
        assertThat(admin.post("/api/v1/customer-fields", Map.of("key", "tier", "label", "x", "type", "text")).status()).isEqualTo(409);
        assertThat(agent1.post("/api/v1/customer-fields", Map.of("key", "x3", "label", "x", "type", "text")).status()).as("agents do not define fields").isEqualTo(403);
        List<String> keys = agent1.get("/api/v1/customer-fields").json().findValuesAsText("key");
        assertThat(keys).startsWith("tier", "tags", "birthday", "spend", "email", "fax", "city");
        var temp = field(Map.of("key", "temp", "label", "Temp", "type", "text"));
        var moved = admin.put("/api/v1/customer-fields/" + temp.get("id").asLong(), Map.of("key", "temp", "label", "Temporary", "type", "number", "position", 99));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(admin.delete("/api/v1/customer-fields/" + temp.get("id").asLong()).status()).isEqualTo(204);
    }

    @Test
    void valuesAreCheckedAgainstTheFieldsAndTheFieldIsNamed() {
        Map<String, ApiClient.Response> bad = new HashMap<>();
        bad.put("fields.tier", agent1.post("/api/v1/customers", customer("A", List.of(), Map.of())));
        bad.put("fields.tier ", agent1.post("/api/v1/customers", customer("A", List.of(), Map.of("tier", "bronze"))));
        bad.put("fields.tags", agent1.post("/api/v1/customers", customer("A", List.of(), Map.of("tier", "gold", "tags", List.of("vip", "nope")))));
        bad.put("fields.birthday", agent1.post("/api/v1/customers", customer("A", List.of(), Map.of("tier", "gold", "birthday", "31/31/2020"))));
        bad.put("fields.spend", agent1.post("/api/v1/customers", customer("A", List.of(), Map.of("tier", "gold", "spend", "lots"))));
        bad.put("fields.email", agent1.post("/api/v1/customers", customer("A", List.of(), Map.of("tier", "gold", "email", "nobody"))));
        bad.put("fields.fax", agent1.post("/api/v1/customers", customer("A", List.of(), Map.of("tier", "gold", "fax", "no fax"))));
        bad.put("fields.colour", agent1.post("/api/v1/customers", customer("A", List.of(), Map.of("tier", "gold", "colour", "red"))));
        bad.put("phones", agent1.post("/api/v1/customers", customer("A", List.of("call me"), Map.of("tier", "gold"))));
        bad.put("name", agent1.post("/api/v1/customers", customer(" ", List.of(), Map.of("tier", "gold"))));
        for (var e : bad.entrySet()) {
            assertThat(e.getValue().status()).as(e.getKey() + " " + e.getValue()).isEqualTo(400);
            assertThat(fieldsOf(e.getValue())).as(e.getKey() + " " + e.getValue()).contains(e.getKey().strip());
        }
    }

    @Test
    void createReadUpdateDeleteWithSeveralNumbersAndEveryFieldType() {
        var created = agent1.post("/api/v1/customers", customer("王芳 Wang Fang", List.of("138 0013 8000", "010-12345678 ext 12"),
                Map.of("tier", "Gold", "tags", List.of("vip", "new"), "birthday", "1990-05-04", "spend", "1,234.50", "email", "fang@example.com",
                        "fax", "010 8765 4321", "city", "北京")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode c = created.json();
        long id = c.get("id").asLong();
        assertThat(c.get("fields").get("tier").asText()).isEqualTo("gold");
        assertThat(c.get("fields").get("tags").findValuesAsText("")).isEmpty();
        assertThat(c.get("fields").get("tags").toString()).isEqualTo("[\"vip\",\"new\"]");
        assertThat(c.get("fields").get("spend").decimalValue()).isEqualByComparingTo("1234.5");
        assertThat(c.get("phones").get(0).get("normalized").asText()).isEqualTo("+8613800138000");
        assertThat(c.get("phones").get(1).get("normalized").asText()).isEqualTo("+861012345678");
        assertThat(c.get("phones").get(1).get("extension").asText()).isEqualTo("12");
        assertThat(c.get("sharing").asText()).isEqualTo("private");
        assertThat(c.get("ownerName").asText()).contains("Li Na");
        assertThat(agent1.get("/api/v1/customers/" + id).json().get("name").asText()).isEqualTo("王芳 Wang Fang");

        var updated = agent1.put("/api/v1/customers/" + id, customer("王芳", List.of("13800138000"), Map.of("tier", "silver")));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().get("fields").has("city")).as("a PUT replaces the values").isFalse();
        assertThat(updated.json().get("phones")).hasSize(1);
        assertThat(agent1.delete("/api/v1/customers/" + id).status()).isEqualTo(204);
        assertThat(agent1.get("/api/v1/customers/" + id).status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/audit?action=customer.").body()).contains("customer.create", "customer.update", "customer.delete");
    }

    @Test
    void aCallFromAnyWrittenFormOfTheNumberFindsTheCustomer() {
        var c = agent1.post("/api/v1/customers", customer("Zhao Lei", List.of("013911112222"), Map.of("tier", "gold", "city", "上海")));
        assertThat(c.status()).as(c.toString()).isEqualTo(201);
        for (String n : List.of("013911112222", "+8613911112222", "13911112222", "0086 139 1111 2222")) {
            var r = agent1.get("/api/v1/customers/lookup?number=" + java.net.URLEncoder.encode(n, StandardCharsets.UTF_8));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().findValuesAsText("name")).as(n).containsExactly("Zhao Lei");
        }
        assertThat(agent1.get("/api/v1/customers/lookup?number=13911113333").json()).isEmpty();
        assertThat(fieldsOf(agent1.get("/api/v1/customers/lookup"))).containsExactly("number");
        assertThat(fieldsOf(agent1.get("/api/v1/customers/lookup?number=abc"))).containsExactly("number");
    }

    @Test
    void searchByNameNumberAndFieldValueWithPaging() {
        for (int i = 0; i < 12; i++) {
            var r = agent1.post("/api/v1/customers", Map.of("name", "Paging " + i, "phones", List.of(Map.of("number", "1370000" + String.format("%04d", i))),
                    "fields", Map.of("tier", i % 2 == 0 ? "gold" : "silver", "city", i == 7 ? "深圳南山" : "广州"), "sharing", "enterprise"));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        JsonNode page = agent1.get("/api/v1/customers?q=paging&limit=5&offset=5").json();
        assertThat(page.get("total").asInt()).isEqualTo(12);
        assertThat(page.get("items")).hasSize(5);
        assertThat(page.get("items").get(0).get("name").asText()).isEqualTo("Paging 6");
        assertThat(agent1.get("/api/v1/customers?number=0000000").json().get("total").asInt()).as("partial number").isGreaterThanOrEqualTo(10);
        assertThat(agent1.get("/api/v1/customers?number=%2B86%20137%200000%200011").json().findValuesAsText("name")).containsExactly("Paging 11");
        assertThat(agent1.get("/api/v1/customers?q=南山").json().findValuesAsText("name")).containsExactly("Paging 7");
        assertThat(agent1.get("/api/v1/customers?q=paging&field.tier=silver").json().get("total").asInt()).isEqualTo(6);
        assertThat(fieldsOf(agent1.get("/api/v1/customers?field.nope=1"))).containsExactly("field.nope");
        assertThat(fieldsOf(agent1.get("/api/v1/customers?limit=500"))).containsExactly("limit");
    }

    @Test
    void templateAndExportCarryTheFieldColumns() throws Exception {
        var t = admin.getBytes("/api/v1/customers/template?format=csv");
        assertThat(t.status()).isEqualTo(200);
        assertThat(new String(t.body(), StandardCharsets.UTF_8)).startsWith("\ufeffname,phones,Tier,Tags,Birthday,Spend,E-mail,Fax,城市");
        var x = admin.getBytes("/api/v1/customers/template?format=xlsx");
        assertThat(x.contentType()).contains("spreadsheetml");
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(x.body()))) {
            var header = wb.getFirstSheet().read().get(0);
            assertThat(header.getCellText(0)).isEqualTo("name");
            assertThat(header.getCellText(8)).isEqualTo("城市");
        }
        agent1.post("/api/v1/customers", customer("Export Me", List.of("13712345678"), Map.of("tier", "gold", "tags", List.of("vip", "complaint"))));
        String csv = new String(admin.getBytes("/api/v1/customers/export?format=csv&q=export").body(), StandardCharsets.UTF_8);
        assertThat(csv).contains("Export Me,13712345678,gold,vip;complaint");
        var xlsx = admin.getBytes("/api/v1/customers/export?format=xlsx&q=export");
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx.body()))) {
            var rows = wb.getFirstSheet().read();
            assertThat(rows).hasSize(2);
            assertThat(rows.get(1).getCellText(1)).isEqualTo("Export Me");
        }
        assertThat(agent1.getBytes("/api/v1/customers/export").status()).as("agents hold no customer.export").isEqualTo(403);
        assertThat(fieldsOf(admin.get("/api/v1/customers/export?format=pdf"))).containsExactly("format");
    }

    JsonNode importAndWait(ApiClient who, String query, String fileName, byte[] content) {
        var r = who.upload("POST", "/api/v1/customer-imports" + query, fileName, content);
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        long id = r.json().get("id").asLong();
        JsonNode[] last = {null};
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            last[0] = who.get("/api/v1/customer-imports/" + id).json();
            return List.of("done", "failed").contains(last[0].get("state").asText());
        });
        return last[0];
    }

    @Test
    void importReportsEveryBadRowAndDeduplicatesByNumberAsChosen() {
        String csv = """
                name,phones,Tier,tags,Spend,城市
                Imp One,13655550001,gold,vip,10,杭州
                Imp Bad Tier,13655550002,bronze,,,
                Imp Two,013655550003;010-55556666,silver,"vip;new",,
                ,13655550004,gold,,,
                Imp Bad Two,not-a-number,gold,,abc,
                Imp Again,+8613655550001,silver,,,宁波
                """;
        JsonNode job = importAndWait(admin, "?onDuplicate=skip", "small.csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("done");
        assertThat(job.get("totalRows").asInt()).isEqualTo(6);
        assertThat(job.get("createdRows").asInt()).isEqualTo(2);
        assertThat(job.get("skippedRows").asInt()).as("the duplicate of Imp One").isEqualTo(1);
        assertThat(job.get("failedRows").asInt()).isEqualTo(3);
        List<String> errors = new ArrayList<>();
        for (JsonNode e : job.get("errors")) errors.add(e.get("row").asInt() + "/" + e.get("column").asText() + "/" + e.get("reason").asText());
        assertThat(errors).containsExactly("3/Tier/not one of gold, silver", "5/name/required", "6/Spend/not a number", "6/phones/'not-a-number' is not a phone number");
        assertThat(admin.get("/api/v1/customers/lookup?number=13655550003").json().findValuesAsText("name")).containsExactly("Imp Two");

        // The same number again, updating: filled cells overwrite, new numbers are added, nothing is duplicated.
        JsonNode upd = importAndWait(admin, "?onDuplicate=update", "update.csv",
                "name,phones,城市\nImp One Renamed,13655550001;13655559999,温州\n".getBytes(StandardCharsets.UTF_8));
        assertThat(upd.get("updatedRows").asInt()).as(upd.toString()).isEqualTo(1);
        JsonNode one = admin.get("/api/v1/customers/lookup?number=13655559999").json();
        assertThat(one).hasSize(1);
        assertThat(one.get(0).get("name").asText()).isEqualTo("Imp One Renamed");
        assertThat(one.get(0).get("fields").get("tier").asText()).as("kept").isEqualTo("gold");
        assertThat(one.get(0).get("fields").get("city").asText()).isEqualTo("温州");
        assertThat(one.get(0).get("phones")).hasSize(2);

        JsonNode create = importAndWait(admin, "?onDuplicate=create", "create.csv", "name,phones,tier\nImp Copy,13655550001,gold\n".getBytes(StandardCharsets.UTF_8));
        assertThat(create.get("createdRows").asInt()).isEqualTo(1);
        assertThat(admin.get("/api/v1/customers/lookup?number=13655550001").json()).hasSize(2);

        JsonNode unknown = importAndWait(admin, "", "cols.csv", "name,phones,shoe size\nX,13655550077,44\n".getBytes(StandardCharsets.UTF_8));
        assertThat(unknown.get("state").asText()).isEqualTo("failed");
        assertThat(unknown.get("errors").get(0).get("column").asText()).isEqualTo("shoe size");
        assertThat(admin.upload("POST", "/api/v1/customer-imports?onDuplicate=merge", "x.csv", "name\n".getBytes(StandardCharsets.UTF_8)).json()
                .get("fieldErrors").findValuesAsText("field")).containsExactly("onDuplicate");
    }

    @Test
    void xlsxImportRoundTripsAnExport() throws Exception {
        agent1.post("/api/v1/customers", Map.of("name", "Round Trip", "phones", List.of(Map.of("number", "13800001111")),
                "fields", Map.of("tier", "silver", "spend", 42, "birthday", "2001-02-03"), "sharing", "enterprise"));
        byte[] xlsx = admin.getBytes("/api/v1/customers/export?format=xlsx&q=round%20trip").body();
        assertThat(admin.delete("/api/v1/customers/" + admin.get("/api/v1/customers?q=round%20trip").json().get("items").get(0).get("id").asLong()).status()).isEqualTo(204);
        JsonNode job = importAndWait(admin, "", "back.xlsx", xlsx);
        assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("done");
        assertThat(job.get("createdRows").asInt()).as(job.toString()).isEqualTo(1);
        JsonNode back = admin.get("/api/v1/customers/lookup?number=13800001111").json().get(0);
        assertThat(back.get("fields").get("spend").asInt()).isEqualTo(42);
        assertThat(back.get("fields").get("birthday").asText()).isEqualTo("2001-02-03");
    }

    @Test
    void personalContactsAreOnesOwnAndTheStaffDirectoryIsReadOnly() {
        var c = agent1.post("/api/v1/contacts", Map.of("name", "Plumber", "number", "+86 139 0000 1234", "company", "Fix-It"));
        assertThat(c.status()).as(c.toString()).isEqualTo(201);
        long id = c.json().get("id").asLong();
        assertThat(c.json().get("normalized").asText()).isEqualTo("+8613900001234");
        assertThat(agent1.get("/api/v1/contacts?q=fix").json().findValuesAsText("name")).containsExactly("Plumber");
        ApiClient agent2 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", TestServer.DEMO_PASSWORD);
        assertThat(agent2.get("/api/v1/contacts").json().findValuesAsText("name")).doesNotContain("Plumber");
        assertThat(agent2.get("/api/v1/contacts/" + id).status()).isEqualTo(404);
        assertThat(agent2.put("/api/v1/contacts/" + id, Map.of("name", "x", "number", "1234")).status()).isEqualTo(404);
        assertThat(agent2.delete("/api/v1/contacts/" + id).status()).isEqualTo(404);
        assertThat(fieldsOf(agent1.post("/api/v1/contacts", Map.of("name", "x", "number", "no")))).containsExactly("number");
        assertThat(agent1.put("/api/v1/contacts/" + id, Map.of("name", "Plumber Li", "number", "13900001234")).json().get("name").asText()).isEqualTo("Plumber Li");
        assertThat(agent1.delete("/api/v1/contacts/" + id).status()).isEqualTo(204);

        JsonNode staff = agent1.get("/api/v1/staff-directory").json();
        assertThat(staff.findValuesAsText("username")).contains("agent1", "agent2", "agent3", "lead");
        JsonNode a3 = agent1.get("/api/v1/staff-directory?q=8003").json();
        assertThat(a3).hasSize(1);
        assertThat(a3.get(0).get("extension").asText()).isEqualTo("1003");
        assertThat(a3.get(0).get("departmentName").asText()).contains("Sales");
        assertThat(a3.get(0).has("passwordHash")).isFalse();
    }
}
