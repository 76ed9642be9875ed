package dev.hotline.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestServer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * BIZ-4 continued over HTTP: stock per product (movements, low-stock flag, never below zero), submitting an order to
 * the team leader (the leaders of the agent's department notified, not another department's), approving (stock taken,
 * the submitter notified) or rejecting with a note, editing an order until it is approved (change log; 409 after), the
 * stock given back on cancellation, and no oversell when many orders of the last units are approved at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderWorkflowApiTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    TestServer server;
    ApiClient admin;
    ApiClient agent1;   // Customer Service, built-in agent role
    ApiClient lead;     // Customer Service, built-in supervisor role: the team leader
    ApiClient salesLead; // Sales, supervisor: another team's leader
    long kettle;
    long pen;

    @BeforeAll
    void start() {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        agent1 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        lead = ApiClient.loggedIn(server.baseUrl(), "demo", "lead", PW);
        long sales = 0;
        for (JsonNode d : admin.get("/api/v1/departments").json()) if (d.get("name").asText().contains("Sales")) sales = d.get("id").asLong();
        long supervisor = 0;
        for (JsonNode r : admin.get("/api/v1/roles").json()) if (r.get("name").asText().equals("supervisor")) supervisor = r.get("id").asLong();
        var u = admin.post("/api/v1/users", Map.of("username", "saleslead", "password", "order-pass-1", "roleId", supervisor, "departmentId", sales));
        assertThat(u.status()).as(u.toString()).isEqualTo(201);
        salesLead = ApiClient.loggedIn(server.baseUrl(), "demo", "saleslead", "order-pass-1");
        kettle = product("WK-1", "Kettle", "199.90");
        pen = product("WP-1", "Pen", "2.50"); // stock not tracked
    }

    @AfterAll
    void stop() {
        server.close();
    }

    long product(String code, String name, String price) {
        var r = admin.post("/api/v1/products", Map.of("code", code, "name", name, "price", new BigDecimal(price)));
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
        return r.json().get("order");
    }

    static void assertField(ApiClient.Response r, int status, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.json().get("fieldErrors").findValuesAsText("field")).as(r.toString()).contains(field);
    }

    JsonNode stock(long product) {
        var r = agent1.get("/api/v1/products/" + product + "/stock");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    List<String> notifications(ApiClient who) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : who.get("/api/v1/notifications").json()) out.add(n.get("kind").asText() + " " + n.get("text").asText());
        return out;
    }

    @Test
    void stockIsReceivedAdjustedNeverNegativeAndFlaggedWhenLow() {
        long cup = product("WC-1", "Cup", "0.10");
        assertThat(stock(cup).get("product").get("stock").isNull()).as("not tracked until the first movement").isTrue();
        assertField(admin.post("/api/v1/products/" + cup + "/stock", Map.of("delta", 0)), 400, "delta");
        assertField(admin.post("/api/v1/products/" + cup + "/stock", Map.of("note", "nothing")), 400, "delta");
        assertField(admin.post("/api/v1/products/" + cup + "/stock", Map.of("delta", 5, "reason", "stolen")), 400, "reason");
        assertField(admin.post("/api/v1/products/" + cup + "/stock", Map.of("delta", -1)), 409, "delta");
        assertThat(agent1.post("/api/v1/products/" + cup + "/stock", Map.of("delta", 5)).status()).as("product.manage").isEqualTo(403);
        var in = admin.post("/api/v1/products/" + cup + "/stock", Map.of("delta", 10, "note", "delivery 1"));
        assertThat(in.status()).as(in.toString()).isEqualTo(200);
        assertThat(in.json().get("product").get("stock").asInt()).isEqualTo(10);
        assertField(admin.post("/api/v1/products/" + cup + "/stock", Map.of("delta", -11, "reason", "adjust")), 409, "delta");
        assertThat(admin.post("/api/v1/products/" + cup + "/stock", Map.of("delta", -3, "reason", "adjust", "note", "broken")).status()).isEqualTo(200);
        assertField(admin.put("/api/v1/products/" + cup + "/stock", Map.of("lowStock", -1)), 400, "lowStock");
        JsonNode low = admin.put("/api/v1/products/" + cup + "/stock", Map.of("lowStock", 7)).json();
        assertThat(low.get("product").get("stock").asInt()).isEqualTo(7);
        assertThat(low.get("product").get("lowOnStock").asBoolean()).as("7 on hand, threshold 7").isTrue();
        assertThat(agent1.get("/api/v1/products?lowStock=true").json().findValuesAsText("code")).contains("WC-1").doesNotContain("WK-1", "WP-1");
        assertField(agent1.get("/api/v1/products?lowStock=maybe"), 400, "lowStock");
        JsonNode movements = stock(cup).get("movements");
        assertThat(movements.findValuesAsText("reason")).containsExactly("adjust", "receive");
        assertThat(movements.get(0).get("delta").asInt()).isEqualTo(-3);
        assertThat(movements.get(0).get("balance").asInt()).isEqualTo(7);
        assertThat(movements.get(0).get("note").asText()).isEqualTo("broken");
        assertThat(movements.get(0).get("user").asText()).isNotBlank();
        assertThat(admin.post("/api/v1/products/" + cup + "/stock", Map.of("delta", 1)).json().get("product").get("lowOnStock").asBoolean()).isFalse();
        String csv = new String(agent1.getBytes("/api/v1/products/export?format=csv&q=WC-1").body(), StandardCharsets.UTF_8);
        assertThat(csv).contains("Stock", "WC-1", ",8,", "7");
    }

    @Test
    void anAgentSubmitsToTheTeamLeaderWhoApprovesAndTheStockGoesDown() {
        admin.post("/api/v1/products/" + kettle + "/stock", Map.of("delta", 20, "note", "opening stock"));
        int before = stock(kettle).get("product").get("stock").asInt();
        // A private customer of agent1's: the leader of agent1's department sees the order once it is submitted.
        long c = customer(agent1, "Flow Fang", "13600000201", "private");
        JsonNode o = place(agent1, c, List.of(Map.of("productId", kettle, "quantity", 3), Map.of("productId", pen, "quantity", 4)));
        long id = o.get("id").asLong();
        String number = o.get("orderNumber").asText();
        assertThat(lead.get("/api/v1/orders/" + id).status()).as("not submitted yet: the private customer's order is agent1's").isEqualTo(404);
        // Agents do not approve, confirm or reject.
        assertThat(agent1.post("/api/v1/orders/" + id + "/approve", Map.of()).status()).isEqualTo(403);
        assertThat(agent1.post("/api/v1/orders/" + id + "/status", Map.of("status", "confirmed")).status()).isEqualTo(403);
        assertThat(agent1.post("/api/v1/orders/" + id + "/reject", Map.of("note", "x")).status()).isEqualTo(403);

        var sub = agent1.post("/api/v1/orders/" + id + "/submit", Map.of("note", "please approve"));
        assertThat(sub.status()).as(sub.toString()).isEqualTo(200);
        assertThat(sub.json().get("order").get("status").asText()).isEqualTo("submitted");
        assertThat(sub.json().get("order").get("submitter").asText()).isNotBlank();
        assertThat(agent1.post("/api/v1/orders/" + id + "/submit", Map.of()).status()).as("submitted twice").isEqualTo(409);
        assertThat(notifications(lead)).anyMatch(n -> n.startsWith("order.submitted " + number) && n.contains("please approve"));
        assertThat(notifications(salesLead)).noneMatch(n -> n.contains(number));
        assertThat(salesLead.get("/api/v1/orders/" + id).status()).as("another team's leader").isEqualTo(404);
        assertThat(salesLead.post("/api/v1/orders/" + id + "/approve", Map.of()).status()).isEqualTo(404);
        assertThat(lead.get("/api/v1/orders?status=submitted").json().get("items").findValuesAsText("orderNumber")).contains(number);

        // Edited while submitted: lines and note, each change logged; the stock is untouched until approval.
        assertField(agent1.put("/api/v1/orders/" + id, Map.of("lines", List.of(Map.of("productId", kettle, "quantity", 0)))), 400, "lines[0].quantity");
        var edit = agent1.put("/api/v1/orders/" + id, Map.of("note", "gift wrap", "lines", List.of(Map.of("productId", kettle, "quantity", 2),
                Map.of("productId", pen, "quantity", 4))));
        assertThat(edit.status()).as(edit.toString()).isEqualTo(200);
        assertThat(edit.json().get("order").get("total").decimalValue()).isEqualByComparingTo("409.80");
        assertThat(edit.json().get("changes").findValuesAsText("field")).containsExactly("note", "lines");
        JsonNode linesChange = edit.json().get("changes").get(1);
        assertThat(linesChange.get("oldValue").asText()).isEqualTo("WK-1 ×3 @199.90; WP-1 ×4 @2.50 = 609.70");
        assertThat(linesChange.get("newValue").asText()).isEqualTo("WK-1 ×2 @199.90; WP-1 ×4 @2.50 = 409.80");
        assertThat(linesChange.get("user").asText()).isNotBlank();
        assertThat(stock(kettle).get("product").get("stock").asInt()).isEqualTo(before);

        // Rejected with a note (required), edited, submitted again, approved.
        assertField(lead.post("/api/v1/orders/" + id + "/reject", Map.of()), 400, "note");
        var rej = lead.post("/api/v1/orders/" + id + "/reject", Map.of("note", "check the address"));
        assertThat(rej.status()).as(rej.toString()).isEqualTo(200);
        assertThat(rej.json().get("order").get("status").asText()).isEqualTo("rejected");
        assertThat(notifications(agent1)).anyMatch(n -> n.startsWith("order.rejected " + number) && n.contains("check the address"));
        assertThat(lead.post("/api/v1/orders/" + id + "/approve", Map.of()).status()).as("a rejected order is not approved").isEqualTo(409);
        assertThat(agent1.put("/api/v1/orders/" + id, Map.of("note", "gift wrap, 2nd floor", "lines", List.of(Map.of("productId", kettle, "quantity", 2),
                Map.of("productId", pen, "quantity", 4)))).status()).isEqualTo(200);
        assertThat(agent1.post("/api/v1/orders/" + id + "/submit", Map.of()).status()).isEqualTo(200);
        var ok = lead.post("/api/v1/orders/" + id + "/approve", Map.of("note", "ok"));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().get("order").get("status").asText()).isEqualTo("confirmed");
        assertThat(ok.json().get("editable").asBoolean()).isFalse();
        assertThat(notifications(agent1)).anyMatch(n -> n.startsWith("order.approved " + number));
        JsonNode s = stock(kettle);
        assertThat(s.get("product").get("stock").asInt()).isEqualTo(before - 2);
        assertThat(s.get("movements").get(0).get("reason").asText()).isEqualTo("reserve");
        assertThat(s.get("movements").get(0).get("delta").asInt()).isEqualTo(-2);
        assertThat(s.get("movements").get(0).get("orderNumber").asText()).isEqualTo(number);
        assertThat(stock(pen).get("product").get("stock").isNull()).as("an untracked product stays untracked").isTrue();

        // Approved: no more editing (409), the history tells the whole story.
        var late = agent1.put("/api/v1/orders/" + id, Map.of("lines", List.of(Map.of("productId", kettle, "quantity", 1))));
        assertThat(late.status()).as(late.toString()).isEqualTo(409);
        assertThat(agent1.get("/api/v1/orders/" + id).json().get("order").get("total").decimalValue()).isEqualByComparingTo("409.80");
        JsonNode history = agent1.get("/api/v1/orders/" + id).json().get("history");
        assertThat(history.findValuesAsText("to")).containsExactly("new", "submitted", "rejected", "submitted", "confirmed");
        assertThat(history.get(2).get("note").asText()).isEqualTo("check the address");

        // Cancelled after approval: the stock comes back, logged; cancelling again is refused and gives nothing more back.
        assertThat(agent1.post("/api/v1/orders/" + id + "/status", Map.of("status", "cancelled")).status()).isEqualTo(200);
        s = stock(kettle);
        assertThat(s.get("product").get("stock").asInt()).isEqualTo(before);
        assertThat(s.get("movements").get(0).get("reason").asText()).isEqualTo("release");
        assertThat(s.get("movements").get(0).get("delta").asInt()).isEqualTo(2);
        assertThat(agent1.post("/api/v1/orders/" + id + "/status", Map.of("status", "cancelled")).status()).isEqualTo(409);
        assertThat(stock(kettle).get("product").get("stock").asInt()).isEqualTo(before);
    }

    @Test
    void anApprovalShortOfStockIsRefusedOnItsLineAndChangesNothing() {
        long lamp = product("WL-1", "Lamp", "30");
        admin.post("/api/v1/products/" + lamp + "/stock", Map.of("delta", 2));
        long c = customer(agent1, "Short Shi", "13600000202", "department");
        JsonNode o = place(agent1, c, List.of(Map.of("productId", pen, "quantity", 1), Map.of("productId", lamp, "quantity", 3)));
        long id = o.get("id").asLong();
        agent1.post("/api/v1/orders/" + id + "/submit", Map.of());
        var r = lead.post("/api/v1/orders/" + id + "/approve", Map.of());
        assertField(r, 409, "lines[1].quantity");
        assertThat(r.body()).contains("only 2 in stock");
        assertThat(agent1.get("/api/v1/orders/" + id).json().get("order").get("status").asText()).isEqualTo("submitted");
        assertThat(stock(lamp).get("product").get("stock").asInt()).isEqualTo(2);
        assertThat(stock(lamp).get("movements")).hasSize(1);
    }

    @Test
    void manyOrdersOfTheLastUnitsApprovedAtOnceNeverOversell() throws Exception {
        long vase = product("WV-1", "Vase", "50");
        admin.post("/api/v1/products/" + vase + "/stock", Map.of("delta", 5));
        long c = customer(agent1, "Rush Ru", "13600000203", "department");
        int n = 16;
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long id = place(agent1, c, List.of(Map.of("productId", vase, "quantity", 1))).get("id").asLong();
            assertThat(agent1.post("/api/v1/orders/" + id + "/submit", Map.of()).status()).isEqualTo(200);
            ids.add(id);
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long id = ids.get(i);
            ApiClient who = i % 2 == 0 ? lead : admin; // two approvers at once
            Callable<Integer> approve = () -> {
                go.await();
                return who.post("/api/v1/orders/" + id + "/approve", Map.of()).status();
            };
            all.add(pool.submit(approve));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (var f : all) statuses.add(f.get(120, TimeUnit.SECONDS));
        pool.shutdown();
        assertThat(statuses).as("5 approved, the rest refused short of stock").containsOnly(200, 409);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(5);
        JsonNode s = stock(vase);
        assertThat(s.get("product").get("stock").asInt()).isZero();
        assertThat(s.get("movements").findValuesAsText("reason").stream().filter("reserve"::equals).count()).isEqualTo(5);
        long confirmed = agent1.get("/api/v1/orders?status=confirmed&customerId=" + c).json().get("total").asLong();
        assertThat(confirmed).isEqualTo(5);
        assertThat(agent1.get("/api/v1/orders?status=submitted&customerId=" + c).json().get("total").asLong()).isEqualTo(n - 5);
    }
}
