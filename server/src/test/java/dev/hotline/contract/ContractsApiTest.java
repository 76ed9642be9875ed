package dev.hotline.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestServer;
import dev.hotline.web.Api;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * BIZ-4 contracts over HTTP: fields checked one by one (400 naming the field, 409 on a used number), the exact amount,
 * the status flow through one method (illegal moves 409), edits and deletion by status, the orders a contract covers
 * (the customer's own, each in one contract), the attached file, CSV and xlsx exports, and ownership (CRM-3): an agent
 * of another department finds nothing of a colleague's customers' contracts by any contract route.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContractsApiTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    TestServer server;
    ApiClient admin;
    ApiClient agent1;   // Customer Service, built-in agent role
    ApiClient insider;  // Customer Service, crm-contracts role
    ApiClient outsider; // Sales, same role
    ApiClient reader;   // contract.read only
    long product;

    @BeforeAll
    void start() {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        agent1 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        long service = 0;
        long sales = 0;
        for (JsonNode d : admin.get("/api/v1/departments").json()) {
            if (d.get("name").asText().contains("Customer Service")) service = d.get("id").asLong();
            if (d.get("name").asText().contains("Sales")) sales = d.get("id").asLong();
        }
        long role = admin.post("/api/v1/roles", Map.of("name", "crm-contracts", "permissions",
                List.of("customer.read", "customer.write", "order.read", "order.write", "contract.read", "contract.write"))).json().get("id").asLong();
        long readOnly = admin.post("/api/v1/roles", Map.of("name", "contract-reader", "permissions",
                List.of("customer.read", "contract.read"))).json().get("id").asLong();
        for (var u : List.of(Map.entry("kinsider", service), Map.entry("koutsider", sales))) {
            var r = admin.post("/api/v1/users", Map.of("username", u.getKey(), "password", "contract-pass-1", "roleId", role, "departmentId", u.getValue()));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        assertThat(admin.post("/api/v1/users", Map.of("username", "kreader", "password", "contract-pass-1", "roleId", readOnly, "departmentId", service))
                .status()).isEqualTo(201);
        insider = ApiClient.loggedIn(server.baseUrl(), "demo", "kinsider", "contract-pass-1");
        outsider = ApiClient.loggedIn(server.baseUrl(), "demo", "koutsider", "contract-pass-1");
        reader = ApiClient.loggedIn(server.baseUrl(), "demo", "kreader", "contract-pass-1");
        product = admin.post("/api/v1/products", Map.of("code", "HT-P", "name", "Service plan", "price", new BigDecimal("1000.00"))).json().get("id").asLong();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    static long customer(ApiClient who, String name, String number, String sharing) {
        var r = who.post("/api/v1/customers", Map.of("name", name, "phones", List.of(Map.of("number", number)), "fields", Map.of(), "sharing", sharing));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    long order(ApiClient who, long customer) {
        var r = who.post("/api/v1/orders", Map.of("customerId", customer, "lines", List.of(Map.of("productId", product, "quantity", 1))));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("order").get("id").asLong();
    }

    static Map<String, Object> body(long customer, String number, Object... more) {
        Map<String, Object> m = new HashMap<>(Map.of("customerId", customer, "contractNumber", number, "title", "年度服务合同 Annual service",
                "amount", new BigDecimal("12000.50"), "startDate", "2026-01-01", "endDate", "2026-12-31"));
        for (int i = 0; i < more.length; i += 2) {
            if (more[i + 1] == null) m.remove((String) more[i]);
            else m.put((String) more[i], more[i + 1]);
        }
        return m;
    }

    static void assertField(ApiClient.Response r, int status, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.json().get("fieldErrors").findValuesAsText("field")).as(r.toString()).contains(field);
    }

    @Test
    void fieldsAreCheckedOneByOneAndNumbersAreUniqueInTheEnterprise() {
        long c = customer(agent1, "Contract Cao", "13600000301", "private");
        for (String f : List.of("customerId", "contractNumber", "title", "amount", "startDate", "endDate")) {
            assertField(agent1.post("/api/v1/contracts", body(c, "HT-V1", f, null)), 400, f);
        }
        assertField(agent1.post("/api/v1/contracts", body(c, "HT V1")), 400, "contractNumber");
        assertField(agent1.post("/api/v1/contracts", body(c, "HT-V1", "amount", new BigDecimal("1.005"))), 400, "amount");
        assertField(agent1.post("/api/v1/contracts", body(c, "HT-V1", "amount", -1)), 400, "amount");
        assertField(agent1.post("/api/v1/contracts", body(c, "HT-V1", "amount", "lots")), 400, "amount");
        assertField(agent1.post("/api/v1/contracts", body(c, "HT-V1", "startDate", "2026-13-01")), 400, "startDate");
        assertField(agent1.post("/api/v1/contracts", body(c, "HT-V1", "endDate", "2025-12-31")), 400, "endDate");
        assertField(agent1.post("/api/v1/contracts", body(999999, "HT-V1")), 400, "customerId");
        assertThat(reader.post("/api/v1/contracts", body(c, "HT-V1")).status()).as("contract.write").isEqualTo(403);

        var r = agent1.post("/api/v1/contracts", body(c, "HT-V1", "note", "signed on the phone"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode k = r.json().get("contract");
        assertThat(r.body()).contains("\"amount\":12000.50");
        assertThat(k.get("status").asText()).isEqualTo("draft");
        assertThat(k.get("startDate").asText()).isEqualTo("2026-01-01");
        assertThat(k.get("customerName").asText()).isEqualTo("Contract Cao");
        assertThat(r.json().get("next").toString()).isEqualTo("[\"active\",\"terminated\"]");
        assertField(admin.post("/api/v1/contracts", body(c, "HT-V1")), 409, "contractNumber");
        long other = agent1.post("/api/v1/contracts", body(c, "HT-V2")).json().get("contract").get("id").asLong();
        assertField(agent1.put("/api/v1/contracts/" + other, body(c, "HT-V1")), 409, "contractNumber");
        var edit = agent1.put("/api/v1/contracts/" + k.get("id").asLong(), body(c, "HT-V1", "amount", "0.10", "title", "Changed"));
        assertThat(edit.status()).as(edit.toString()).isEqualTo(200);
        assertThat(edit.json().get("contract").get("amount").decimalValue()).isEqualByComparingTo("0.10");
        assertThat(reader.get("/api/v1/contracts?customerId=" + c).status()).as("the reader may not see agent1's private customer").isEqualTo(200);
        assertThat(reader.get("/api/v1/contracts?customerId=" + c).json().get("total").asLong()).isZero();
        assertThat(agent1.get("/api/v1/contracts?customerId=" + c).json().get("items").findValuesAsText("contractNumber"))
                .containsExactlyInAnyOrder("HT-V1", "HT-V2");
        assertThat(agent1.get("/api/v1/contracts?q=changed").json().get("items").findValuesAsText("contractNumber")).containsExactly("HT-V1");
        assertField(agent1.get("/api/v1/contracts?status=lost"), 400, "status");
    }

    @Test
    void theStatusMovesThroughOneMethodAndDecidesWhatMayChange() {
        long c = customer(agent1, "Status Su", "13600000302", "department");
        long id = agent1.post("/api/v1/contracts", body(c, "HT-S1")).json().get("contract").get("id").asLong();
        assertField(agent1.post("/api/v1/contracts/" + id + "/status", Map.of("status", "lost")), 400, "status");
        var bad = agent1.post("/api/v1/contracts/" + id + "/status", Map.of("status", "expired"));
        assertThat(bad.status()).as(bad.toString()).isEqualTo(409);
        assertThat(bad.body()).contains("from draft to expired");
        var active = agent1.post("/api/v1/contracts/" + id + "/status", Map.of("status", "active"));
        assertThat(active.status()).as(active.toString()).isEqualTo(200);
        assertThat(active.json().get("next").toString()).isEqualTo("[\"expired\",\"terminated\"]");
        assertThat(agent1.delete("/api/v1/contracts/" + id).status()).as("an active contract is terminated, not deleted").isEqualTo(409);
        assertThat(agent1.put("/api/v1/contracts/" + id, body(c, "HT-S1", "title", "Still editable")).status()).isEqualTo(200);
        assertThat(agent1.post("/api/v1/contracts/" + id + "/status", Map.of("status", "draft")).status()).isEqualTo(409);
        assertThat(agent1.post("/api/v1/contracts/" + id + "/status", Map.of("status", "expired")).status()).isEqualTo(200);
        assertThat(agent1.post("/api/v1/contracts/" + id + "/status", Map.of("status", "terminated")).status()).as("expired is final").isEqualTo(409);
        assertThat(agent1.put("/api/v1/contracts/" + id, body(c, "HT-S1", "title", "Too late")).status()).isEqualTo(409);
        assertThat(agent1.upload("PUT", "/api/v1/contracts/" + id + "/file", "late.pdf", new byte[] {1}).status()).isEqualTo(409);
        long draft = agent1.post("/api/v1/contracts", body(c, "HT-S2")).json().get("contract").get("id").asLong();
        assertThat(agent1.delete("/api/v1/contracts/" + draft).status()).isEqualTo(204);
        assertThat(agent1.get("/api/v1/contracts/" + draft).status()).isEqualTo(404);
    }

    @Test
    void aContractCoversOrdersOfItsCustomerEachInOneContractAndCarriesAFile() {
        long c = customer(agent1, "Orders Ou", "13600000303", "department");
        long elsewhere = customer(agent1, "Else Er", "13600000304", "department");
        long o1 = order(agent1, c);
        long o2 = order(agent1, c);
        long foreign = order(agent1, elsewhere);
        assertField(agent1.post("/api/v1/contracts", body(c, "HT-O1", "orderIds", List.of(o1, foreign))), 400, "orderIds[1]");
        var r = agent1.post("/api/v1/contracts", body(c, "HT-O1", "orderIds", List.of(o1, o2)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        long id = r.json().get("contract").get("id").asLong();
        assertThat(r.json().get("orders").findValuesAsText("status")).containsExactly("new", "new");
        assertThat(r.json().get("orders").findValues("id").stream().map(JsonNode::asLong).toList()).containsExactly(o1, o2);
        assertField(agent1.post("/api/v1/contracts", body(c, "HT-O2", "orderIds", List.of(o2))), 409, "orderIds[0]");
        assertThat(agent1.put("/api/v1/contracts/" + id, body(c, "HT-O1", "orderIds", List.of(o2))).json().get("orders")).hasSize(1);
        assertThat(agent1.post("/api/v1/contracts", body(c, "HT-O2", "orderIds", List.of(o1))).status()).as("o1 was released").isEqualTo(201);

        // The file: uploaded, downloaded byte for byte with its name, replaced, removed.
        assertField(agent1.upload("PUT", "/api/v1/contracts/" + id + "/file", "empty.pdf", new byte[0]), 400, "file");
        assertField(agent1.put("/api/v1/contracts/" + id + "/file", Map.of()), 400, "file");
        byte[] pdf = "%PDF-1.4 合同 contract".getBytes(StandardCharsets.UTF_8);
        var up = agent1.upload("PUT", "/api/v1/contracts/" + id + "/file", "合同-HT-O1.pdf", pdf);
        assertThat(up.status()).as(up.toString()).isEqualTo(200);
        assertThat(up.json().get("contract").get("file").get("name").asText()).isEqualTo("合同-HT-O1.pdf");
        assertThat(up.json().get("contract").get("file").get("size").asLong()).isEqualTo(pdf.length);
        var down = agent1.getBytes("/api/v1/contracts/" + id + "/file");
        assertThat(down.status()).isEqualTo(200);
        assertThat(down.body()).isEqualTo(pdf);
        assertThat(reader.getBytes("/api/v1/contracts/" + id + "/file").body()).as("department-shared customer").isEqualTo(pdf);
        assertThat(agent1.delete("/api/v1/contracts/" + id + "/file").json().get("contract").get("file").isNull()).isTrue();
        assertThat(agent1.getBytes("/api/v1/contracts/" + id + "/file").status()).isEqualTo(404);

        // Exports with the list's filters, headers in the asked language.
        String csv = new String(agent1.getBytes("/api/v1/contracts/export?customerId=" + c).body(), StandardCharsets.UTF_8);
        assertThat(csv).contains("Contract number", "HT-O1", "HT-O2", "12000.50", "2026-12-31", "draft", "Orders Ou");
        String xlsx = xlsxText(agent1.getBytes("/api/v1/contracts/export?format=xlsx&lang=zh&customerId=" + c).body());
        assertThat(xlsx).contains("合同编号", "HT-O1", "12000.5", "草稿");
        assertField(agent1.get("/api/v1/contracts/export?format=pdf"), 400, "format");
    }

    @Test
    void anAgentOfAnotherDepartmentFindsNothingOfAColleaguesCustomersContractsByAnyRoute() {
        long privateC = customer(insider, "Private Pi", "13600000311", "private");
        long deptC = customer(insider, "Dept Deng", "13600000312", "department");
        long everyoneC = customer(insider, "Everyone Ev", "13600000313", "enterprise");
        List<Long> hidden = new ArrayList<>();
        for (long c : List.of(privateC, deptC)) {
            long id = insider.post("/api/v1/contracts", body(c, "HT-H" + c, "orderIds", List.of(order(insider, c)))).json().get("contract").get("id").asLong();
            assertThat(insider.upload("PUT", "/api/v1/contracts/" + id + "/file", "secret.pdf", "secret".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(200);
            hidden.add(id);
        }
        assertThat(insider.post("/api/v1/contracts", body(everyoneC, "HT-SEEN")).status()).isEqualTo(201);
        String before = snapshot(hidden);

        TreeSet<String> routes = new TreeSet<>();
        List<String> checked = new ArrayList<>();
        for (Api.Route r : server.hotline().routes()) {
            String p = r.path();
            if (!p.startsWith("/api/v1/contracts")) continue;
            String m = r.method().name();
            routes.add(m + " " + p);
            if (p.contains("{id}")) {
                for (long id : hidden) {
                    String path = p.replace("{id}", String.valueOf(id));
                    var resp = switch (m) {
                        case "GET" -> outsider.get(path);
                        case "POST" -> outsider.post(path, Map.of("status", "terminated"));
                        case "PUT" -> p.endsWith("/file") ? outsider.upload("PUT", path, "x.pdf", new byte[] {1}) : outsider.put(path, body(deptC, "HT-X"));
                        case "DELETE" -> outsider.delete(path);
                        default -> throw new AssertionError(m);
                    };
                    assertThat(resp.status()).as(m + " " + path + " → " + resp).isEqualTo(404);
                }
                checked.add(m + " " + p);
                continue;
            }
            switch (m + " " + p) {
                case "GET /api/v1/contracts" -> {
                    for (String q : List.of("", "?q=pi", "?q=HT-H", "?customerId=" + privateC, "?customerId=" + deptC, "?status=draft")) {
                        String text = outsider.get(p + q).body();
                        assertThat(text).as(q).doesNotContain("HT-H").doesNotContain("Private Pi").doesNotContain("Dept Deng");
                    }
                    assertThat(outsider.get(p).json().get("items").findValuesAsText("contractNumber")).contains("HT-SEEN");
                }
                case "GET /api/v1/contracts/export" -> {
                    String csv = new String(outsider.getBytes(p + "?format=csv").body(), StandardCharsets.UTF_8);
                    String xlsx = xlsxText(outsider.getBytes(p + "?format=xlsx").body());
                    for (String text : List.of(csv, xlsx)) assertThat(text).contains("HT-SEEN").doesNotContain("HT-H").doesNotContain("Private Pi");
                }
                case "POST /api/v1/contracts" -> {
                    for (long c : List.of(privateC, deptC)) assertField(outsider.post(p, body(c, "HT-Y" + c)), 400, "customerId");
                }
                default -> throw new AssertionError("the sweep does not know " + m + " " + p + ": add it");
            }
            checked.add(m + " " + p);
        }
        assertThat(checked).containsExactlyInAnyOrderElementsOf(routes).hasSizeGreaterThanOrEqualTo(10);
        assertThat(snapshot(hidden)).as("the colleague's contracts unchanged").isEqualTo(before);
        assertThat(agent1.get("/api/v1/contracts/" + hidden.get(1)).status()).as("department-shared").isEqualTo(200);
        assertThat(agent1.get("/api/v1/contracts/" + hidden.get(0)).status()).as("private").isEqualTo(404);
        assertThat(admin.get("/api/v1/contracts/" + hidden.get(0)).status()).as("customer.manage sees every contract").isEqualTo(200);
    }

    String snapshot(List<Long> ids) {
        StringBuilder sb = new StringBuilder();
        for (long id : ids) {
            var r = insider.get("/api/v1/contracts/" + id);
            assertThat(r.status()).isEqualTo(200);
            sb.append(r.body()).append(new String(insider.getBytes("/api/v1/contracts/" + id + "/file").body(), StandardCharsets.UTF_8)).append('\n');
        }
        return sb.toString();
    }

    static String xlsxText(byte[] xlsx) {
        try (var wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
            StringBuilder sb = new StringBuilder();
            for (var row : wb.getFirstSheet().read()) for (int i = 0; i < row.getCellCount(); i++) sb.append(row.getCellText(i)).append(',');
            return sb.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
