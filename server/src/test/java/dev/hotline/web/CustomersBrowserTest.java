package dev.hotline.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.testing.ApiClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The Customers page (CRM-1, CRM-2) in headless Chromium: a customer created with the enterprise's own fields, a
 * required field refused on its input, search, and a small CSV import whose bad row shows with its row, column and
 * reason, in English then Chinese; the customer-fields and address-book pages list their data.
 * Screenshots in {@code target/screenshots/crm-*.png}.
 */
class CustomersBrowserTest {
    @RegisterExtension
    static final ConsoleDriver ui = new ConsoleDriver();

    @Test
    void createSearchAndImportCustomersInBothLanguages() throws Exception {
        ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", ui.server().demoPassword());
        assertThat(admin.post("/api/v1/customer-fields", Map.of("key", "tier", "label", "Tier", "type", "single_choice",
                "options", List.of("gold", "silver"), "required", true, "position", 1)).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/customer-fields", Map.of("key", "tags", "label", "Tags", "type", "multiple_choice",
                "options", List.of("vip", "new"), "position", 2)).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/customer-fields", Map.of("key", "city", "label", "City", "type", "text", "position", 3)).status()).isEqualTo(201);

        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitText("page-title", ui.en("users.title"));
        ui.click("nav-customers");
        ui.waitText("page-title", ui.en("customers.title"));
        ui.el("customers-empty");

        // Create, with the required choice missing first: refused on that input.
        ui.click("customer-new");
        ui.type("customer-form-name", "Wang Fang");
        ui.type("customer-form-phone-0", "+86 138 0013 8000");
        ui.click("customer-form-add-phone");
        ui.type("customer-form-phone-1", "010-12345678 ext 12");
        ui.click("customer-form-tags-vip");
        ui.type("customer-form-city", "Hangzhou");
        ui.click("customer-save");
        ui.waitText("customer-form-tier-error", ui.en("validation.required"));
        new Select(ui.el("customer-form-tier")).selectByValue("gold");
        ui.screenshot("crm-customer-dialog-en");
        ui.click("customer-save");
        ui.waitFor(d -> ui.driver().findElements(ConsoleDriver.tid("customer-dialog")).isEmpty());
        WebElement row = ui.waitFor(d -> d.findElement(By.cssSelector("[data-testid^='customer-row-']")));
        assertThat(row.getText()).contains("Wang Fang", "+86 138 0013 8000", "gold", "vip", "Hangzhou");
        JsonCheck.lookupFinds(ui, "013800138000", "Wang Fang");

        admin.post("/api/v1/customers", Map.of("name", "Li Lei", "phones", List.of(Map.of("number", "13911112222")), "fields", Map.of("tier", "silver")));
        ui.type("customers-search", "hangzhou");
        ui.click("customers-search-go");
        ui.waitFor(d -> ui.text("customers-table").contains("Wang Fang") && !ui.text("customers-table").contains("Li Lei"));
        empty("customers-search");
        ui.type("customers-number", "1391111");
        ui.click("customers-search-go");
        ui.waitFor(d -> ui.text("customers-table").contains("Li Lei") && !ui.text("customers-table").contains("Wang Fang"));

        // A small import: row 3 names a tier that does not exist.
        Path csv = Files.createTempFile("customers", ".csv");
        Files.writeString(csv, "name,phones,Tier,City\nZhou Min,13722223333,gold,Ningbo\nBad Row,13722224444,platinum,\nSun Li,13722225555,silver,\n",
                StandardCharsets.UTF_8);
        ui.driver().findElement(ConsoleDriver.tid("customers-import-file")).sendKeys(csv.toString());
        ui.click("customers-import-go");
        ui.waitFor(d -> "done".equals(d.findElement(ConsoleDriver.tid("customers-import-job")).getAttribute("data-state")));
        ui.waitFor(d -> ui.text("customers-import-error-3").contains("Tier"));
        assertThat(ui.text("customers-import-error-3")).contains("3", "Tier", "not one of gold, silver");
        assertThat(ui.text("customers-import-progress")).contains("2", "1");
        empty("customers-number");
        ui.click("customers-search-go");
        ui.waitFor(d -> ui.text("customers-table").contains("Zhou Min") && ui.text("customers-table").contains("Sun Li"));
        assertThat(ui.text("customers-table")).doesNotContain("Bad Row");
        ui.screenshot("crm-customers-en");

        // The same page in Chinese.
        ui.click("lang-zh");
        ui.waitText("page-title", ui.zh("customers.title"));
        ui.driver().findElement(ConsoleDriver.tid("customers-import-file")).sendKeys(csv.toString());
        ui.click("customers-import-go");
        ui.waitFor(d -> ui.text("customers-import-progress").startsWith(ui.zh("customers.import.state.done")));
        ui.waitFor(d -> ui.text("customers-import-error-3").contains("不是 gold, silver 之一"));
        ui.screenshot("crm-customers-zh");

        // Customer fields and the address book.
        ui.click("nav-customer-fields");
        ui.waitText("page-title", ui.zh("customerFields.title"));
        ui.waitFor(d -> ui.text("customer-fields-table").contains(ui.zh("customerFields.type.single_choice")));
        ui.click("nav-addressbook");
        ui.waitText("page-title", ui.zh("addressbook.title"));
        ui.waitFor(d -> ui.text("staff-table").contains("agent1") && ui.text("staff-table").contains("1001"));
        ui.click("contact-new");
        ui.type("contact-form-name", "水管工");
        ui.type("contact-form-number", "139 0000 1234");
        ui.click("contact-save");
        ui.waitFor(d -> ui.text("contacts-table").contains("水管工"));
        ui.screenshot("crm-addressbook-zh");
    }

    @Test
    void aCustomersPageShowsTheirTimelineAndTakesAMemo() {
        ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", ui.server().demoPassword());
        var c = admin.post("/api/v1/customers", Map.of("name", "Timeline Tian", "sharing", "enterprise", "fields", Map.of(),
                "phones", List.of(Map.of("number", "13600000091"))));
        assertThat(c.status()).as(c.toString()).isEqualTo(201);
        long id = c.json().get("id").asLong();
        var ticket = admin.post("/api/v1/tickets", Map.of("type", "consultation", "title", "Opening hours", "customerId", id,
                "form", Map.of("topic", "hours")));
        assertThat(ticket.status()).as(ticket.toString()).isEqualTo(201);
        String tracking = ticket.json().get("trackingNumber").asText();

        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitText("page-title", ui.en("users.title"));
        ui.click("nav-customers");
        WebElement open = ui.waitFor(d -> d.findElement(ConsoleDriver.tid("customer-open-" + id)));
        ui.click(open);
        ui.waitText("customer-detail-name", "Timeline Tian");
        ui.waitFor(d -> ui.text("customer-timeline-ticket").contains(tracking));
        assertThat(ui.text("customer-timeline-ticket")).contains("Opening hours", ui.en("timeline.kind.ticket"));
        ui.type("customer-timeline-memo", "calls after lunch");
        ui.click("customer-timeline-memo-add");
        ui.waitFor(d -> ui.text("customer-timeline-memo-text").equals("calls after lunch"));
        assertThat(ui.driver().findElements(By.cssSelector("[data-testid='customer-timeline'] li")).get(0).getAttribute("data-testid"))
                .as("newest first").isEqualTo("customer-timeline-memo");
        assertThat(admin.get("/api/v1/memos?customerId=" + id).json().findValuesAsText("text")).containsExactly("calls after lunch");
        ui.screenshot("crm-customer-timeline-en");
        ui.click("lang-zh");
        ui.waitFor(d -> ui.text("customer-timeline-ticket").contains(ui.zh("timeline.kind.ticket")));
        ui.screenshot("crm-customer-timeline-zh");
        ui.click("customer-detail-close");
        ui.waitFor(d -> d.findElements(ConsoleDriver.tid("customer-detail")).isEmpty());
        ui.click("lang-en"); // the choice is the user's: the other tests start in English
        ui.waitText("page-title", ui.en("customers.title"));
        assertThat(admin.delete("/api/v1/customers/" + id).status()).as("the other test starts with no customer").isEqualTo(204);
    }

    /** Empties an input the way a person does (Selenium's clear() does not tell Vue). */
    static void empty(String testId) {
        WebElement e = ui.el(testId);
        e.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    }

    /** Checks through the API, from inside the page, what the page did. */
    static final class JsonCheck {
        static void lookupFinds(ConsoleDriver ui, String number, String name) {
            Object r = ui.js().executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "fetch('/api/v1/customers/lookup?number=' + arguments[0], {credentials: 'same-origin'}).then(r => r.json()).then(done);", number);
            assertThat(String.valueOf(r)).contains(name);
        }
    }
}
