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
