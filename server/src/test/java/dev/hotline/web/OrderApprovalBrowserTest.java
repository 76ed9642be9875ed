package dev.hotline.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.testing.ApiClient;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * BIZ-4 in Chromium: an agent places an order in the console and submits it to the team leader; the leader approves it
 * and the product's stock goes down on the stock page, with the movement naming the order; the leader then makes a
 * contract covering the order, activates it, and finds it on the customer's page. Both languages.
 */
class OrderApprovalBrowserTest {
    @RegisterExtension
    static final ConsoleDriver ui = new ConsoleDriver();

    @Test
    void anAgentSubmitsAnOrderTheLeaderApprovesItAndTheStockGoesDown() {
        String pw = ui.server().demoPassword();
        ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", pw);
        long lamp = admin.post("/api/v1/products", Map.of("code", "BT-LAMP", "name", "Desk lamp 台灯", "price", new BigDecimal("45.50")))
                .json().get("id").asLong();
        assertThat(admin.post("/api/v1/products/" + lamp + "/stock", Map.of("delta", 10, "note", "opening")).status()).isEqualTo(200);
        ApiClient agentApi = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "agent1", pw);
        long customer = agentApi.post("/api/v1/customers", Map.of("name", "Browser Bai", "phones", List.of(Map.of("number", "13700000991")),
                "fields", Map.of(), "sharing", "department")).json().get("id").asLong();

        // The agent places the order in the console and submits it.
        ui.click("lang-en");
        ui.login("demo", "agent1", pw);
        ui.waitFor(ExpectedConditions.urlContains("/agent.html"));
        ui.open("/#/orders");
        ui.waitText("page-title", ui.en("orders.title"));
        ui.click("order-new");
        ui.type("order-new-customer-search", "Browser Bai");
        ui.click("order-new-customer-find");
        ui.waitFor(d -> new Select(ui.el("order-new-customer")).getFirstSelectedOption().getText().equals("Browser Bai"));
        new Select(ui.el("order-edit-product-0")).selectByValue(String.valueOf(lamp));
        ui.el("order-edit-quantity-0").clear();
        ui.type("order-edit-quantity-0", "0");
        ui.click("order-edit-save");
        ui.waitFor(d -> !ui.text("order-edit-quantity-0-error").isBlank());
        ui.el("order-edit-quantity-0").clear();
        ui.type("order-edit-quantity-0", "3");
        ui.waitText("order-edit-total", ui.en("orders.total") + " 136.50");
        ui.click("order-edit-save");
        ui.waitText("order-detail-status", ui.en("orders.status.new"));
        String number = ui.text("order-detail-number");
        long order = agentApi.get("/api/v1/orders?q=" + number).json().get("items").get(0).get("id").asLong();
        assertThat(ui.text("order-detail-total")).isEqualTo("136.50");
        assertThat(ui.driver().findElements(ConsoleDriver.tid("order-approve"))).as("agents do not approve").isEmpty();
        ui.type("order-decision-note", "urgent, please");
        ui.click("order-submit");
        ui.waitText("order-detail-status", ui.en("orders.status.submitted"));
        ui.screenshot("order-submitted-en");
        ui.click("logout");
        ui.waitFor(ExpectedConditions.urlContains("/login.html"));

        // The team leader of agent1's department approves it: the stock goes from 10 to 7.
        ui.loginSupervisorToConsole();
        ui.open("/#/orders?id=" + order);
        ui.waitText("order-detail-status", ui.en("orders.status.submitted"));
        assertThat(ui.text("order-history")).contains("urgent, please");
        ui.click("order-approve");
        ui.waitText("order-detail-status", ui.en("orders.status.confirmed"));
        assertThat(ui.driver().findElements(ConsoleDriver.tid("order-edit"))).as("approved: no more editing").isEmpty();
        ui.click("nav-stock");
        ui.waitText("page-title", ui.en("stock.title"));
        ui.waitText("stock-on-hand-" + lamp, "7");
        ui.click("stock-open-" + lamp);
        ui.waitText("stock-detail-on-hand", "7");
        ui.waitFor(d -> ui.text("stock-movements").contains(number) && ui.text("stock-movements").contains(ui.en("stock.reason.reserve")));
        assertThat(ui.text("stock-movements")).contains("-3");
        ui.screenshot("stock-en");
        assertThat(admin.get("/api/v1/products/" + lamp + "/stock").json().get("product").get("stock").asInt()).isEqualTo(7);

        // A contract covering the order, activated, on the customer's page; the pages in Chinese.
        ui.click("nav-contracts");
        ui.waitText("page-title", ui.en("contracts.title"));
        ui.click("contract-new");
        ui.type("contract-form-customer-search", "Browser Bai");
        ui.click("contract-form-customer-find");
        ui.waitFor(d -> new Select(ui.el("contract-form-customer")).getOptions().stream().anyMatch(o -> o.getText().equals("Browser Bai")));
        new Select(ui.el("contract-form-customer")).selectByVisibleText("Browser Bai");
        ui.click("contract-form-order-" + order);
        ui.type("contract-form-number", "HT-2026-001");
        ui.type("contract-form-title", "Lamp supply 台灯供货");
        ui.type("contract-form-amount", "136.505");
        ui.js().executeScript("arguments[0].value = '2026-01-01'; arguments[0].dispatchEvent(new Event('input'));", ui.el("contract-form-start"));
        ui.js().executeScript("arguments[0].value = '2026-12-31'; arguments[0].dispatchEvent(new Event('input'));", ui.el("contract-form-end"));
        ui.click("contract-save");
        ui.waitFor(d -> ui.text("contract-form-amount-error").contains("two decimals"));
        ui.el("contract-form-amount").clear();
        ui.type("contract-form-amount", "136.50");
        ui.click("contract-save");
        ui.waitText("contract-detail-status", ui.en("contracts.status.draft"));
        assertThat(ui.text("contract-orders")).contains(number);
        new Select(ui.el("contract-move-status")).selectByValue("active");
        ui.click("contract-move-go");
        ui.waitText("contract-detail-status", ui.en("contracts.status.active"));
        ui.open("/#/customers?id=" + customer);
        ui.waitFor(d -> ui.text("customer-contracts").contains("HT-2026-001") && ui.text("customer-contracts").contains(ui.en("contracts.status.active")));
        ui.click("lang-zh");
        ui.waitFor(d -> ui.text("customer-contracts").contains(ui.zh("contracts.status.active")));
        ui.click("nav-stock");
        ui.waitText("page-title", ui.zh("stock.title"));
        ui.click("nav-contracts");
        ui.waitText("page-title", ui.zh("contracts.title"));
        ui.waitFor(d -> ui.text("contracts-table").contains("HT-2026-001") && ui.text("contracts-table").contains(ui.zh("contracts.status.active")));
        ui.screenshot("contracts-zh");
        ui.click("lang-en");
        ui.waitText("page-title", ui.en("contracts.title"));
    }
}
