package dev.hotline.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestServer;
import dev.hotline.ticket.TrackingNumbers;
import dev.hotline.web.Api;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * BIZ-4 over HTTP: the catalog (400 naming the field, 409 on a used code), orders with exact totals and numbers like the
 * tickets' tracking numbers, the status flow (illegal moves refused, each move logged with who and when), orders on the
 * customer's timeline, the CSV and xlsx exports, and ownership (CRM-3): an agent of another department finds nothing of a
 * colleague's customers' orders by any order route.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrdersApiTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    TestServer server;
    ApiClient admin;
    ApiClient agent2;    // customer service, built-in agent role
    ApiClient insider;   // customer service, crm-orders role
    ApiClient outsider;  // sales, same role
    ApiClient outsideLeader; // sales, built-in supervisor role (order.approve)
    long kettle;
    long cup;

    @BeforeAll
    void start() {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        agent2 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", PW);
        long service = 0;
        long sales = 0;
        for (JsonNode d : admin.get("/api/v1/departments").json()) {
            if (d.get("name").asText().contains("Customer Service")) service = d.get("id").asLong();
            if (d.get("name").asText().contains("Sales")) sales = d.get("id").asLong();
        }
        long role = admin.post("/api/v1/roles", Map.of("name", "crm-orders", "permissions",
                List.of("customer.read", "customer.write", "order.read", "order.write", "agent.desk"))).json().get("id").asLong();
        for (var u : List.of(Map.entry("insider", service), Map.entry("outsider", sales))) {
            var r = admin.post("/api/v1/users", Map.of("username", u.getKey(), "password", "order-pass-1", "roleId", role, "departmentId", u.getValue()));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        long supervisor = 0;
        for (JsonNode r : admin.get("/api/v1/roles").json()) if (r.get("name").asText().equals("supervisor")) supervisor = r.get("id").asLong();
        var lead = admin.post("/api/v1/users", Map.of("username", "outlead", "password", "order-pass-1", "roleId", supervisor, "departmentId", sales));
        assertThat(lead.status()).as(lead.toString()).isEqualTo(201);
        outsideLeader = ApiClient.loggedIn(server.baseUrl(), "demo", "outlead", "order-pass-1");
        insider = ApiClient.loggedIn(server.baseUrl(), "demo", "insider", "order-pass-1");
        outsider = ApiClient.loggedIn(server.baseUrl(), "demo", "outsider", "order-pass-1");
        kettle = product("K-100", "Kettle 电水壶", "kitchen", "199.90");
        cup = product("C-7", "Cup", "kitchen", "0.10");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    long product(String code, String name, String category, String price) {
        var r = admin.post("/api/v1/products", Map.of("code", code, "name", name, "category", category, "price", new BigDecimal(price)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    static long customer(ApiClient who, String name, String number, String sharing) {
        var r = who.post("/api/v1/customers", Map.of("name", name, "phones", List.of(Map.of("number", number)), "fields", Map.of(), "sharing", sharing));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    static JsonNode place(ApiClient who, long customer, List<Map<String, Object>> lines) {
        var r = who.post("/api/v1/orders", Map.of("customerId", customer, "lines", lines));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    static void assertField(ApiClient.Response r, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("fieldErrors").findValuesAsText("field")).as(r.toString()).contains(field);
    }

    @Test
    void theCatalogIsCheckedFieldByFieldAndCodesAreUnique() {
        assertField(admin.post("/api/v1/products", Map.of("name", "No code", "price", 1)), "code");
        assertField(admin.post("/api/v1/products", Map.of("code", "X-1", "price", 1)), "name");
        assertField(admin.post("/api/v1/products", Map.of("code", "X-1", "name", "No price")), "price");
        assertField(admin.post("/api/v1/products", Map.of("code", "X-1", "name", "Negative", "price", -1)), "price");
        assertField(admin.post("/api/v1/products", Map.of("code", "X-1", "name", "Fractions", "price", new BigDecimal("1.005"))), "price");
        assertField(admin.post("/api/v1/products", Map.of("code", "has space", "name", "Bad code", "price", 1)), "code");
        assertField(admin.post("/api/v1/products", Map.of("code", "X-1", "name", "Words", "price", "ten")), "price");
        var dup = admin.post("/api/v1/products", Map.of("code", "K-100", "name", "Another kettle", "price", 1));
        assertThat(dup.status()).as(dup.toString()).isEqualTo(409);
        assertThat(dup.json().get("fieldErrors").findValuesAsText("field")).containsExactly("code");
        assertThat(agent2.post("/api/v1/products", Map.of("code", "A-1", "name", "Agent's", "price", 1)).status()).as("product.manage").isEqualTo(403);

        long id = product("T-1", "Teapot", "kitchen", "88");
        assertThat(admin.get("/api/v1/products/" + id).json().get("price").decimalValue()).isEqualByComparingTo("88.00");
        var edit = admin.put("/api/v1/products/" + id, Map.of("code", "T-1", "name", "Teapot 茶壶", "category", "tea", "price", new BigDecimal("90.50"), "onSale", false));
        assertThat(edit.status()).as(edit.toString()).isEqualTo(200);
        assertThat(edit.json().get("onSale").asBoolean()).isFalse();
        assertThat(admin.put("/api/v1/products/" + id, Map.of("code", "C-7", "name", "Teapot", "price", 1)).status()).as("another's code").isEqualTo(409);
        assertThat(agent2.get("/api/v1/products?category=tea").json().findValuesAsText("code")).containsExactly("T-1");
        assertThat(agent2.get("/api/v1/products?onSale=true").json().findValuesAsText("code")).contains("K-100", "C-7").doesNotContain("T-1");
        assertThat(agent2.get("/api/v1/products?q=茶壶").json().findValuesAsText("code")).containsExactly("T-1");
        assertField(agent2.get("/api/v1/products?onSale=maybe"), "onSale");
        // Off sale: not orderable.
        long c = customer(agent2, "Off Sale Ou", "13600000009", "private");
        assertField(agent2.post("/api/v1/orders", Map.of("customerId", c, "lines", List.of(Map.of("productId", id, "quantity", 1)))), "lines[0].productId");
        assertThat(admin.delete("/api/v1/products/" + id).status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/products/" + id).status()).isEqualTo(404);
    }

    @Test
    void anOrderHasAnExactTotalANumberAndAStatusFlowLoggedWithWhoAndWhen() {
        long c = customer(agent2, "Order Ou", "13600000001", "private");
        assertField(agent2.post("/api/v1/orders", Map.of("lines", List.of(Map.of("productId", kettle, "quantity", 1)))), "customerId");
        assertField(agent2.post("/api/v1/orders", Map.of("customerId", c, "lines", List.of())), "lines");
        assertField(agent2.post("/api/v1/orders", Map.of("customerId", c, "lines", List.of(Map.of("productId", kettle, "quantity", 0)))), "lines[0].quantity");
        assertField(agent2.post("/api/v1/orders", Map.of("customerId", c, "lines", List.of(Map.of("productId", 999999, "quantity", 1)))), "lines[0].productId");
        assertField(agent2.post("/api/v1/orders", Map.of("customerId", c, "lines", List.of(Map.of("productId", kettle)))), "lines[0].quantity");
        assertField(agent2.post("/api/v1/orders", Map.of("customerId", c, "lines", List.of(Map.of("productId", kettle, "quantity", 1,
                "unitPrice", new BigDecimal("0.001"))))), "lines[0].unitPrice");
        assertField(agent2.post("/api/v1/orders", Map.of("customerId", 999999, "lines", List.of(Map.of("productId", kettle, "quantity", 1)))), "customerId");

        // 3 × 199.90 + 7 × 0.10 + 1 × 0.20 (a price agreed on the phone): 600.60 exactly, not 600.6000000001.
        var r = agent2.post("/api/v1/orders", Map.of("customerId", c, "callId", "call-ord-1", "note", "leave at the door", "lines", List.of(
                Map.of("productId", kettle, "quantity", 3), Map.of("productId", cup, "quantity", 7), Map.of("productId", cup, "quantity", 1,
                        "unitPrice", new BigDecimal("0.2")))));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode o = r.json().get("order");
        assertThat(r.body()).contains("\"total\":600.60");
        assertThat(o.get("total").decimalValue()).isEqualByComparingTo("600.60");
        assertThat(r.body()).contains("\"amount\":599.70", "\"amount\":0.70", "\"amount\":0.20", "\"unitPrice\":199.90");
        String number = o.get("orderNumber").asText();
        assertThat(number).matches("DD\\d{8}-\\d{4}-\\d");
        assertThat(TrackingNumbers.valid(number)).isTrue();
        assertThat(o.get("status").asText()).isEqualTo("new");
        assertThat(o.get("callId").asText()).isEqualTo("call-ord-1");
        long id = o.get("id").asLong();
        String second = place(agent2, c, List.of(Map.of("productId", cup, "quantity", 1))).get("order").get("orderNumber").asText();
        assertThat(Integer.parseInt(second.split("-")[1])).isEqualTo(Integer.parseInt(number.split("-")[1]) + 1);
        // A later price change leaves the order as it was placed.
        assertThat(admin.put("/api/v1/products/" + cup, Map.of("code", "C-7", "name", "Cup", "category", "kitchen", "price", 5)).status()).isEqualTo(200);
        assertThat(agent2.get("/api/v1/orders/" + id).json().get("order").get("total").decimalValue()).isEqualByComparingTo("600.60");
        assertThat(admin.put("/api/v1/products/" + cup, Map.of("code", "C-7", "name", "Cup", "category", "kitchen", "price", new BigDecimal("0.10"))).status()).isEqualTo(200);

        // The flow: illegal moves are 409 naming the state, legal ones logged.
        assertField(agent2.post("/api/v1/orders/" + id + "/status", Map.of("status", "lost")), "status");
        for (String illegal : List.of("shipped", "completed", "returned", "new", "rejected")) {
            var bad = agent2.post("/api/v1/orders/" + id + "/status", Map.of("status", illegal));
            assertThat(bad.status()).as(illegal + " " + bad).isEqualTo(409);
            assertThat(bad.body()).contains("from new to " + illegal);
        }
        for (String next : List.of("submitted", "confirmed", "shipped", "completed", "returned")) {
            // Confirming is the team leader's (order.approve): the agent submits, the admin approves.
            ApiClient who = next.equals("confirmed") ? admin : agent2;
            var ok = who.post("/api/v1/orders/" + id + "/status", Map.of("status", next, "note", "to " + next));
            assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
            assertThat(ok.json().get("order").get("status").asText()).isEqualTo(next);
        }
        assertThat(agent2.post("/api/v1/orders/" + id + "/status", Map.of("status", "cancelled")).status()).as("returned is final").isEqualTo(409);
        assertThat(agent2.delete("/api/v1/orders/" + id).status()).as("only new or cancelled orders are deleted").isEqualTo(409);
        JsonNode history = agent2.get("/api/v1/orders/" + id).json().get("history");
        assertThat(history).hasSize(6);
        assertThat(history.get(0).get("from").isNull()).isTrue();
        assertThat(history.findValuesAsText("to")).containsExactly("new", "submitted", "confirmed", "shipped", "completed", "returned");
        long agentId = agent2.get("/api/v1/me").json().get("id").asLong();
        long adminId = admin.get("/api/v1/me").json().get("id").asLong();
        for (JsonNode h : history) {
            assertThat(h.get("userId").asLong()).isEqualTo(h.get("to").asText().equals("confirmed") ? adminId : agentId);
            assertThat(h.get("user").asText()).isNotBlank();
            assertThat(h.get("at").asText()).isNotBlank();
        }
        assertThat(history.get(5).get("from").asText()).isEqualTo("completed");
        assertThat(history.get(5).get("note").asText()).isEqualTo("to returned");

        // Cancelled from new, then deleted.
        long other = place(agent2, c, List.of(Map.of("productId", kettle, "quantity", 1))).get("order").get("id").asLong();
        assertThat(agent2.post("/api/v1/orders/" + other + "/status", Map.of("status", "cancelled")).status()).isEqualTo(200);
        assertThat(agent2.delete("/api/v1/orders/" + other).status()).isEqualTo(204);
        assertThat(agent2.get("/api/v1/orders/" + other).status()).isEqualTo(404);

        // Lists and filters, the timeline, the exports.
        assertThat(agent2.get("/api/v1/orders?customerId=" + c).json().get("items").findValuesAsText("orderNumber")).containsExactly(second, number);
        assertThat(agent2.get("/api/v1/orders?status=returned&customerId=" + c).json().get("items").findValuesAsText("orderNumber")).containsExactly(number);
        assertThat(agent2.get("/api/v1/orders?q=" + number).json().get("total").asLong()).isEqualTo(1);
        assertThat(agent2.get("/api/v1/orders?callId=call-ord-1").json().get("items").findValuesAsText("orderNumber")).containsExactly(number);
        assertField(agent2.get("/api/v1/orders?status=lost"), "status");
        assertField(agent2.get("/api/v1/orders?limit=0"), "limit");
        JsonNode timeline = agent2.get("/api/v1/customers/" + c + "/timeline").json();
        assertThat(timeline.get("items").findParents("orderNumber").stream().filter(n -> n.get("kind").asText().equals("order"))
                .map(n -> n.get("orderNumber").asText() + " " + n.get("status").asText() + " " + n.get("total").decimalValue().setScale(2, RoundingMode.UNNECESSARY).toPlainString()))
                .containsExactly(second + " new 0.10", number + " returned 600.60");
        String csv = new String(agent2.getBytes("/api/v1/orders/export?format=csv&customerId=" + c).body(), StandardCharsets.UTF_8);
        assertThat(csv).contains("Order number", number, "600.60", "Kettle 电水壶 ×3", "returned", "Order Ou");
        var xlsx = agent2.getBytes("/api/v1/orders/export?format=xlsx&lang=zh&customerId=" + c);
        assertThat(xlsx.status()).isEqualTo(200);
        assertThat(xlsxText(xlsx.body())).contains("订单号", number, "600.6", "已退货");
        assertThat(xlsxText(agent2.getBytes("/api/v1/products/export?format=xlsx").body())).contains("K-100", "Kettle 电水壶", "199.9");
        assertField(agent2.get("/api/v1/orders/export?format=pdf"), "format");
    }

    @Test
    void anAgentOfAnotherDepartmentFindsNothingOfAColleaguesCustomersOrdersByAnyRoute() {
        long privateC = customer(insider, "Private Pan", "13600000011", "private");
        long deptC = customer(insider, "Dept Du", "13600000012", "department");
        long everyoneC = customer(insider, "Everyone Er", "13600000013", "enterprise");
        List<Long> hidden = new ArrayList<>();
        List<String> hiddenNumbers = new ArrayList<>();
        for (long c : List.of(privateC, deptC)) {
            JsonNode o = place(insider, c, List.of(Map.of("productId", kettle, "quantity", 1))).get("order");
            hidden.add(o.get("id").asLong());
            hiddenNumbers.add(o.get("orderNumber").asText());
        }
        String seen = place(insider, everyoneC, List.of(Map.of("productId", cup, "quantity", 2))).get("order").get("orderNumber").asText();
        // The department-shared customer's order goes to the service team's leader for approval.
        assertThat(insider.post("/api/v1/orders/" + hidden.get(1) + "/submit", Map.of()).status()).isEqualTo(200);
        String before = snapshot(hidden);

        TreeSet<String> routes = new TreeSet<>();
        List<String> checked = new ArrayList<>();
        for (Api.Route r : server.hotline().routes()) {
            String p = r.path();
            if (!p.startsWith("/api/v1/orders") && !p.startsWith("/api/v1/products")) continue;
            String m = r.method().name();
            routes.add(m + " " + p);
            if (p.startsWith("/api/v1/products")) {
                // The catalog and its stock are the enterprise's, the same for everyone; only product.manage changes them.
                var resp = switch (m) {
                    case "GET" -> outsider.get(p.replace("{id}", String.valueOf(kettle)) + (p.endsWith("/export") ? "?format=csv" : ""));
                    case "POST" -> p.endsWith("/stock") ? outsider.post(p.replace("{id}", String.valueOf(kettle)), Map.of("delta", 5))
                            : outsider.post(p, Map.of("code", "Z-1", "name", "z", "price", 1));
                    case "PUT" -> p.endsWith("/stock") ? outsider.put(p.replace("{id}", String.valueOf(kettle)), Map.of("lowStock", 1))
                            : outsider.put(p.replace("{id}", String.valueOf(kettle)), Map.of("code", "K-100", "name", "hijacked", "price", 1));
                    case "DELETE" -> outsider.delete(p.replace("{id}", String.valueOf(kettle)));
                    default -> throw new AssertionError(m);
                };
                assertThat(resp.status()).as(m + " " + p + " → " + resp).isEqualTo(m.equals("GET") ? 200 : 403);
                checked.add(m + " " + p);
                continue;
            }
            if (p.contains("{id}")) {
                for (long id : hidden) {
                    String path = p.replace("{id}", String.valueOf(id));
                    // Approving and rejecting are the team leaders': the sales leader may not see the service team's orders.
                    ApiClient who = p.endsWith("/approve") || p.endsWith("/reject") ? outsideLeader : outsider;
                    var resp = switch (m) {
                        case "GET" -> who.get(path);
                        case "POST" -> who.post(path, Map.of("status", "cancelled", "note", "hijacked"));
                        case "PUT" -> who.put(path, Map.of("note", "hijacked", "lines", List.of(Map.of("productId", cup, "quantity", 9))));
                        case "DELETE" -> who.delete(path);
                        default -> throw new AssertionError(m);
                    };
                    assertThat(resp.status()).as(m + " " + path + " → " + resp).isEqualTo(404);
                }
                checked.add(m + " " + p);
                continue;
            }
            switch (m + " " + p) {
                case "GET /api/v1/orders" -> {
                    for (String q : List.of("", "?q=pan", "?q=" + hiddenNumbers.get(0), "?customerId=" + privateC, "?customerId=" + deptC, "?status=new")) {
                        String body = outsider.get(p + q).body();
                        assertThat(body).as(q).doesNotContain(hiddenNumbers.get(0)).doesNotContain(hiddenNumbers.get(1)).doesNotContain("Private Pan")
                                .doesNotContain("Dept Du");
                    }
                    assertThat(outsider.get(p).json().get("items").findValuesAsText("orderNumber")).contains(seen);
                }
                case "GET /api/v1/orders/export" -> {
                    String csv = new String(outsider.getBytes(p + "?format=csv").body(), StandardCharsets.UTF_8);
                    String xlsx = xlsxText(outsider.getBytes(p + "?format=xlsx").body());
                    for (String text : List.of(csv, xlsx)) {
                        assertThat(text).contains(seen).doesNotContain(hiddenNumbers.get(0)).doesNotContain(hiddenNumbers.get(1)).doesNotContain("Private Pan");
                    }
                }
                case "POST /api/v1/orders" -> {
                    for (long c : List.of(privateC, deptC)) {
                        assertField(outsider.post(p, Map.of("customerId", c, "lines", List.of(Map.of("productId", kettle, "quantity", 1)))), "customerId");
                    }
                }
                default -> throw new AssertionError("the sweep does not know " + m + " " + p + ": add it");
            }
            checked.add(m + " " + p);
        }
        assertThat(checked).containsExactlyInAnyOrderElementsOf(routes).hasSizeGreaterThanOrEqualTo(10);
        assertThat(snapshot(hidden)).as("the colleague's orders unchanged").isEqualTo(before);
        // The timeline of a customer one may not see is 404 as before; the owner's department sees the department customer's orders.
        assertThat(outsider.get("/api/v1/customers/" + deptC + "/timeline").status()).isEqualTo(404);
        assertThat(agent2.get("/api/v1/orders/" + hidden.get(1)).status()).as("department-shared").isEqualTo(200);
        assertThat(agent2.get("/api/v1/orders/" + hidden.get(0)).status()).as("private").isEqualTo(404);
        assertThat(admin.get("/api/v1/orders/" + hidden.get(0)).status()).as("customer.manage sees every order").isEqualTo(200);
    }

    String snapshot(List<Long> ids) {
        StringBuilder sb = new StringBuilder();
        for (long id : ids) {
            var r = insider.get("/api/v1/orders/" + id);
            assertThat(r.status()).isEqualTo(200);
            sb.append(r.body()).append('\n');
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
