package dev.hotline.crm;

import static dev.hotline.testing.Chromium.tid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.acd.AgentState;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.Chromium;
import dev.hotline.testing.RtpCaller;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * AGENT-4 / issue 16 item 7: a known caller pops their customer record (with the fields marked for the pop) on the
 * agent's desk; an unknown caller gets a new-customer card pre-filled with the number, which the agent saves. With number
 * masking on, the masked caller pops by reference; the agent opens a ticket from the call with its type's form (BIZ-2)
 * and writes a memo on the call from the call panel (BIZ-5). BIZ-4: the
 * pop lists the known caller's orders with their status, and the agent places an order during the call, linked to it.
 */
class ScreenPopTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static final String QUEUE_NUMBER = "4699";

    @Test
    void aKnownCallerPopsTheirRecordAndAnUnknownOneIsSavedFromTheCard() throws Exception {
        Path dir = Files.createTempDirectory("screen-pop");
        try (TestServer server = TestServer.start(TestDatabases.Kind.H2, Map.of("sip.default.enterprise", "demo"));
             Chromium chrome = Chromium.start()) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
            long enterprise = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
            long agent1 = agent.get("/api/v1/me").json().get("id").asLong();
            assertThat(admin.post("/api/v1/numbers", Map.of("number", QUEUE_NUMBER, "destinationType", "queue", "destination", "sales")).status())
                    .isEqualTo(201);
            assertThat(admin.post("/api/v1/customer-fields", Map.of("key", "tier", "label", "Tier", "type", "text", "inPop", true)).status())
                    .isEqualTo(201);
            assertThat(admin.post("/api/v1/customer-fields", Map.of("key", "memo", "label", "Memo", "type", "text", "inPop", false)).status())
                    .isEqualTo(201);
            var zhang = admin.post("/api/v1/customers", Map.of("name", "Zhang San", "sharing", "enterprise",
                    "phones", List.of(Map.of("number", "+86 135 0000 0061")), "fields", Map.of("tier", "gold", "memo", "not in the pop")));
            assertThat(zhang.status()).as(zhang.toString()).isEqualTo(201);
            long zhangId = zhang.json().get("id").asLong();
            // BIZ-4: a catalog and an order Zhang San placed earlier, already confirmed.
            long kettle = admin.post("/api/v1/products", Map.of("code", "K-1", "name", "Kettle", "price", new BigDecimal("199.90")))
                    .json().get("id").asLong();
            assertThat(admin.post("/api/v1/products", Map.of("code", "C-1", "name", "Cup", "price", new BigDecimal("0.10"))).status())
                    .isEqualTo(201);
            var earlier = admin.post("/api/v1/orders", Map.of("customerId", zhangId, "lines", List.of(Map.of("productId", kettle, "quantity", 1))));
            assertThat(earlier.status()).as(earlier.toString()).isEqualTo(201);
            String earlierNumber = earlier.json().get("order").get("orderNumber").asText();
            assertThat(admin.post("/api/v1/orders/" + earlier.json().get("order").get("id").asLong() + "/status", Map.of("status", "confirmed"))
                    .status()).isEqualTo(200);
            server.hotline().acd().settle();

            // Agent 1 on a SIP phone that answers, signed in and ready; their desk open in Chromium.
            int phonePort = Ports.free();
            Sipp.Run phone = new SipPeers(dir, server.hotline().engine().sipPort()).phone(phonePort);
            try {
                new SipPeers(dir, server.hotline().engine().sipPort()).register("1001", PW, phonePort, "200");
                assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
                assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
                ChromeDriver d = chrome.driver();
                chrome.signInEnglish(server.baseUrl(), "demo", "agent1", PW);
                WebDriverWait wait = chrome.waitAtMost(Duration.ofSeconds(15));
                wait.until(ExpectedConditions.urlContains("/agent.html"));

                // The known caller, dialling with a trunk prefix: their record pops with the pop field only.
                try (RtpCaller caller = RtpCaller.call(server.hotline().engine().sipPort(), "013500000061", QUEUE_NUMBER)) {
                    caller.quiet(20_000);
                    wait.until(x -> "known".equals(chrome.attr("desk-crm", "data-state")));
                    assertThat(d.findElement(tid("desk-crm-name")).getText()).isEqualTo("Zhang San");
                    assertThat(d.findElement(tid("desk-crm-field-tier")).getText()).isEqualTo("gold");
                    assertThat(d.findElements(tid("desk-crm-field-memo"))).as("a field not marked for the pop").isEmpty();
                    assertThat(d.findElement(tid("desk-crm-owner")).getText()).isEqualTo("admin");
                    // BIZ-4: the pop shows the caller's orders with their status, and the agent places one during the call.
                    wait.until(x -> !x.findElements(tid("desk-crm-order")).isEmpty());
                    assertThat(d.findElement(tid("desk-crm-order")).getText()).contains(earlierNumber, "199.90", "Confirmed");
                    d.findElement(tid("desk-crm-order-new")).click();
                    wait.until(x -> !x.findElements(tid("desk-order-form")).isEmpty());
                    new Select(d.findElement(tid("desk-order-product-0"))).selectByVisibleText("K-1 · Kettle · 199.90");
                    d.findElement(tid("desk-order-add-line")).click();
                    new Select(d.findElement(tid("desk-order-product-1"))).selectByVisibleText("C-1 · Cup · 0.10");
                    d.findElement(tid("desk-order-qty-1")).clear();
                    d.findElement(tid("desk-order-qty-1")).sendKeys("0");
                    d.findElement(tid("desk-order-save")).click();
                    wait.until(x -> !x.findElements(tid("desk-order-line-error-1")).isEmpty());
                    d.findElement(tid("desk-order-qty-1")).clear();
                    d.findElement(tid("desk-order-qty-1")).sendKeys("3");
                    wait.until(x -> x.findElement(tid("desk-order-preview")).getText().equals("200.20"));
                    d.findElement(tid("desk-order-save")).click();
                    wait.until(x -> x.findElements(tid("desk-crm-order")).size() == 2);
                    assertThat(d.findElements(tid("desk-crm-order")).get(0).getText()).contains("200.20", "New");
                    chrome.screenshot("desk-pop-orders-en");
                    d.findElement(tid("lang-zh")).click();
                    wait.until(x -> d.findElement(tid("desk-crm-open")).getText().equals("打开客户资料"));
                    d.findElement(tid("lang-en")).click();
                    caller.bye();
                }
                try {
                    await("agent 1 off the call").atMost(Duration.ofSeconds(20)).until(() -> server.hotline().acd().agentView(enterprise, agent1)
                            .orElseThrow().state(), st -> st == AgentState.READY || st == AgentState.WRAP_UP || st == AgentState.NOT_READY);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    StringBuilder why = new StringBuilder("channels: " + server.hotline().engine().channels() + "\n");
                    for (JsonNode c : admin.get("/api/v1/monitor").json().get("calls")) {
                        why.append(c).append('\n');
                        for (JsonNode ev : admin.get("/api/v1/calls/" + c.get("callId").asText() + "/events").json()) why.append("  ").append(ev).append('\n');
                    }
                    throw new AssertionError(why.toString(), e);
                }
                if (server.hotline().acd().agentView(enterprise, agent1).orElseThrow().state() != AgentState.READY) {
                    assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
                }

                // An unknown caller: the card is pre-filled with their number; the agent names them and saves.
                try (RtpCaller caller = RtpCaller.call(server.hotline().engine().sipPort(), "13500000062", QUEUE_NUMBER)) {
                    caller.quiet(20_000);
                    wait.until(x -> "new".equals(chrome.attr("desk-crm", "data-state")));
                    assertThat(d.findElement(tid("desk-crm-new")).getText()).contains("13500000062");
                    d.findElement(tid("desk-crm-new-save")).click(); // no name: the browser's own check stops it
                    d.findElement(tid("desk-crm-new-name")).sendKeys("Li Si");
                    d.findElement(tid("desk-crm-new-tier")).sendKeys("silver");
                    d.findElement(tid("desk-crm-new-save")).click();
                    wait.until(x -> "known".equals(chrome.attr("desk-crm", "data-state")));
                    assertThat(d.findElement(tid("desk-crm-name")).getText()).isEqualTo("Li Si");
                    caller.bye();
                }
                JsonNode found = agent.get("/api/v1/customers/lookup?number=%2B8613500000062").json();
                assertThat(found).hasSize(1);
                assertThat(found.get(0).get("name").asText()).isEqualTo("Li Si");
                assertThat(found.get(0).get("fields").get("tier").asText()).isEqualTo("silver");
                assertThat(found.get(0).get("sharing").asText()).isEqualTo("private");
                assertThat(admin.get("/api/v1/users?q=agent1").json().get(0).get("id").asLong()).isEqualTo(found.get(0).get("ownerId").asLong());

                // CRM-5: with number masking on, the desk shows 138****0001 and still pops the customer (looked up by reference).
                long wang = admin.post("/api/v1/customers", Map.of("name", "Wang Wu", "sharing", "enterprise",
                        "phones", List.of(Map.of("number", "13800000001")))).json().get("id").asLong();
                long complaint = 0;
                long consultation = 0;
                for (JsonNode ty : admin.get("/api/v1/ticket-types").json()) {
                    if (ty.get("code").asText().equals("complaint")) complaint = ty.get("id").asLong();
                    if (ty.get("code").asText().equals("consultation")) consultation = ty.get("id").asLong();
                }
                assertThat(admin.put("/api/v1/masking", Map.of("mode", "middle")).status()).isEqualTo(200);
                await("agent 1 ready again").atMost(Duration.ofSeconds(20)).until(() -> {
                    AgentState st = server.hotline().acd().agentView(enterprise, agent1).orElseThrow().state();
                    if (st == AgentState.WRAP_UP || st == AgentState.NOT_READY) agent.put("/api/v1/agent/state", Map.of("state", "ready"));
                    return st == AgentState.READY;
                });
                try (RtpCaller caller = RtpCaller.call(server.hotline().engine().sipPort(), "13800000001", QUEUE_NUMBER)) {
                    caller.quiet(60_000); // media for the whole ticket and memo steps (the server hangs up a call without media)
                    wait.until(x -> "known".equals(chrome.attr("desk-crm", "data-state")));
                    assertThat(d.findElement(tid("desk-crm-name")).getText()).isEqualTo("Wang Wu");
                    wait.until(x -> !x.findElements(tid("desk-caller-number")).isEmpty()
                            && x.findElement(tid("desk-caller-number")).getText().contains("138****0001"));
                    String callId = agent.get("/api/v1/live-calls").json().at("/0/call/callId").asText();

                    // BIZ-2: a ticket opened from the call uses its type's designed form (the required field refused on its
                    // input); it carries the real number (sent by reference), the call and the popped customer.
                    // AGENT-4: the ticket form is in the customer panel, under the pop it is filled in from, not in the call panel.
                    assertThat(d.findElement(tid("desk-call-panel")).findElements(tid("desk-ticket-new"))).isEmpty();
                    d.findElement(tid("desk-customer")).findElement(tid("desk-ticket-new")).click();
                    new Select(wait.until(x -> x.findElement(tid("desk-customer")).findElement(tid("desk-ticket-type")))).selectByValue(String.valueOf(consultation));
                    // AGENT-4: the form says who the ticket is for, as filled in from the pop: the customer and the (masked) number.
                    wait.until(x -> x.findElement(tid("desk-ticket-for")).getText().contains("Wang Wu"));
                    assertThat(d.findElement(tid("desk-ticket-for")).getText()).contains("138****0001").doesNotContain("13800000001");
                    wait.until(x -> !x.findElements(tid("desk-ticket-form-topic")).isEmpty());
                    assertThat(d.findElements(tid("desk-ticket-form-category"))).as("another type's field").isEmpty();
                    new Select(d.findElement(tid("desk-ticket-type"))).selectByValue(String.valueOf(complaint));
                    wait.until(x -> !x.findElements(tid("desk-ticket-form-category")).isEmpty());
                    assertThat(d.findElements(tid("desk-ticket-form-topic"))).isEmpty();
                    assertThat(d.findElement(tid("desk-ticket-form-occurredAt")).getAttribute("type")).isEqualTo("datetime-local");
                    d.findElement(tid("desk-ticket-title")).sendKeys("Charged twice");
                    d.findElement(tid("desk-ticket-save")).click();
                    wait.until(x -> !x.findElements(tid("desk-ticket-form-category-error")).isEmpty());
                    new Select(d.findElement(tid("desk-ticket-form-category"))).selectByValue("billing");
                    chrome.screenshot("biz2-desk-ticket-en");
                    d.findElement(tid("desk-ticket-save")).click();
                    String tracking = wait.until(x -> x.findElements(tid("desk-ticket-number")).isEmpty() ? null
                            : x.findElement(tid("desk-ticket-number")).getText());
                    assertThat(tracking).matches("GD\\d{8}-\\d{4}-\\d");
                    JsonNode opened = admin.get("/api/v1/tickets?q=" + tracking).json().get(0);
                    assertThat(opened.get("callerNumber").asText()).isEqualTo("13800000001");
                    assertThat(opened.get("callId").asText()).isEqualTo(callId);
                    assertThat(opened.get("customerId").asLong()).isEqualTo(wang);
                    assertThat(opened.get("typeCode").asText()).isEqualTo("complaint");
                    assertThat(opened.at("/form/category").asText()).isEqualTo("billing");

                    // BIZ-5: a memo on the call from the call panel, listed there and kept on the call.
                    d.findElement(tid("desk-memos-none"));
                    d.findElement(tid("desk-memo-text")).sendKeys("wants the second charge refunded");
                    d.findElement(tid("desk-memo-add")).click();
                    wait.until(x -> x.findElements(tid("desk-memo-body")).stream().anyMatch(e -> e.getText().equals("wants the second charge refunded")));
                    assertThat(agent.get("/api/v1/memos?callId=" + callId).json().findValuesAsText("text")).containsExactly("wants the second charge refunded");
                    d.findElement(tid("lang-zh")).click();
                    wait.until(x -> x.findElement(tid("desk-ticket-new")).getText().equals("新建工单"));
                    assertThat(d.findElement(tid("desk-memo-add")).getText()).isEqualTo("添加备忘");
                    chrome.screenshot("biz5-desk-memo-zh");
                    d.findElement(tid("lang-en")).click();
                    wait.until(x -> x.findElement(tid("desk-ticket-new")).getText().equals("New ticket"));
                    d.findElement(tid("desk-memo-delete")).click(); // its author deletes it
                    wait.until(x -> !x.findElements(tid("desk-memos-none")).isEmpty());
                    assertThat(agent.get("/api/v1/memos?callId=" + callId).json()).isEmpty();
                    assertThat(d.getPageSource()).doesNotContain("13800000001");
                    caller.bye();
                }
                // The order placed during the call is linked to it: its call id is the call's on Zhang San's timeline.
                JsonNode placed = admin.get("/api/v1/orders?customerId=" + zhangId).json().get("items").get(0);
                assertThat(placed.get("total").decimalValue()).isEqualByComparingTo("200.20");
                String orderCall = placed.get("callId").asText();
                assertThat(orderCall).isNotBlank();
                await("the call on the timeline").atMost(Duration.ofSeconds(20)).until(() -> admin.get("/api/v1/customers/" + zhangId + "/timeline")
                        .json().get("items").findParents("kind").stream().anyMatch(n -> n.get("kind").asText().equals("call")
                                && n.get("callId").asText().equals(orderCall)));
                assertThat(chrome.scriptErrors()).as("errors in the browser console").isEmpty();
            } finally {
                phone.kill();
            }
        }
    }
}
