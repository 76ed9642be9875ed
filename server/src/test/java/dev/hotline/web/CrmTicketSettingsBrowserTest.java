package dev.hotline.web;

import static dev.hotline.web.ConsoleDriver.tid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.testing.ApiClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.Select;

/**
 * AGENT-4 and BIZ-1 console pages in headless Chromium: the CRM routing settings (tier field, tier priorities, pop URLs)
 * refuse a priority over 50 and a non-http URL on the row they name, then save and show what was saved after a reload;
 * the ticket settings' notices refuse an unknown SMS variable on the text and save the switches; both pages in zh.
 */
class CrmTicketSettingsBrowserTest {
    @RegisterExtension
    static final ConsoleDriver ui = new ConsoleDriver();

    @Test
    void adminSetsTheCrmRoutingOnItsPageWithFieldErrorsShown() {
        ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", ui.server().demoPassword());
        if (admin.get("/api/v1/customer-fields").json().findValuesAsText("key").stream().noneMatch("level"::equals)) {
            var r = admin.post("/api/v1/customer-fields", Map.of("key", "level", "label", "Level", "type", "single_choice",
                    "options", List.of("gold", "silver")));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        String queue = admin.get("/api/v1/queues").json().get(0).get("name").asText();

        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.el("page-title");
        ui.click("lang-en"); // the other test leaves the admin's language zh
        ui.waitText("page-title", ui.en("users.title"));
        ui.click("nav-crm-settings");
        ui.waitText("page-title", ui.en("crmSettings.title"));
        new Select(ui.el("crm-tier-field")).selectByValue("level");
        ui.click("crm-tier-add");
        ui.type("crm-tier-0", "gold");
        ui.el("crm-tier-priority-0").clear();
        ui.type("crm-tier-priority-0", "60");
        ui.click("crm-pop-add");
        new Select(ui.el("crm-pop-queue-0")).selectByValue(queue);
        ui.type("crm-pop-url-0", "ftp://crm.example.com/{caller}");
        ui.click("crm-settings-save");
        ui.waitFor(d -> ui.text("crm-tier-priority-error-0").contains("50")); // "0..50", translated ("From 0 to 50")
        assertThat(ui.text("crm-pop-url-error-0")).contains("http://");
        assertThat(admin.get("/api/v1/crm-settings").json().get("tierField").isNull()).as("nothing saved").isTrue();
        ui.screenshot("agent4-crm-settings-errors-en");

        ui.el("crm-tier-priority-0").clear();
        ui.type("crm-tier-priority-0", "20");
        ui.el("crm-pop-url-0").clear();
        ui.type("crm-pop-url-0", "https://crm.example.com/pop?caller={caller}&call={callId}");
        ui.click("crm-settings-save");
        ui.waitFor(d -> "level".equals(admin.get("/api/v1/crm-settings").json().path("tierField").asText()));
        var saved = admin.get("/api/v1/crm-settings").json();
        assertThat(saved.get("tierPriorities").get("gold").asInt()).isEqualTo(20);
        assertThat(saved.get("popUrls").get(queue).asText()).isEqualTo("https://crm.example.com/pop?caller={caller}&call={callId}");
        assertThat(ui.driver().findElements(tid("crm-tier-priority-error-0"))).isEmpty();

        ui.driver().navigate().refresh();
        ui.waitFor(d -> "20".equals(ui.el("crm-tier-priority-0").getAttribute("value")));
        assertThat(ui.el("crm-tier-0").getAttribute("value")).isEqualTo("gold");
        assertThat(new Select(ui.el("crm-tier-field")).getFirstSelectedOption().getAttribute("value")).isEqualTo("level");
        assertThat(ui.el("crm-pop-url-0").getAttribute("value")).isEqualTo("https://crm.example.com/pop?caller={caller}&call={callId}");
        ui.click("lang-zh");
        ui.waitText("page-title", ui.zh("crmSettings.title"));
        assertThat(ui.text("crm-settings-save")).isEqualTo(ui.zh("common.save"));
        ui.screenshot("agent4-crm-settings-zh");
    }

    @Test
    void adminSwitchesTicketNoticesOnWithTheSmsTextChecked() {
        ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", ui.server().demoPassword());
        var field = admin.post("/api/v1/customer-fields", Map.of("key", "notice_lang", "label", "Language", "type", "single_choice",
                "options", List.of("中文", "English")));
        assertThat(field.status()).as(field.toString()).isEqualTo(201);
        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.el("page-title");
        ui.click("lang-en"); // the other test leaves the admin's language zh
        ui.waitText("page-title", ui.en("users.title"));
        ui.click("nav-ticket-settings");
        ui.waitText("page-title", ui.en("ticketSettings.title"));
        ui.click("ts-sms-customer");
        ui.click("ts-email-assignee");
        ui.click("ts-event-in_progress");
        ui.click("ts-event-comment");
        ui.click("ts-assignee-comments");
        new Select(ui.el("ts-language")).selectByValue("en");
        new Select(ui.el("ts-language-field")).selectByValue("notice_lang");
        ui.type("ts-sms-text", "Hello {name}, ticket {ticket}");
        ui.click("ts-save");
        ui.waitFor(d -> ui.text("ts-sms-text-error").contains("{name}"));
        assertThat(admin.get("/api/v1/ticket-settings").json().at("/notices/smsCustomer").asBoolean()).as("nothing saved").isFalse();
        ui.screenshot("biz1-ticket-notices-error-en");

        ui.el("ts-sms-text").clear();
        ui.type("ts-sms-text", "Ticket {ticket}: {status}");
        ui.click("ts-save");
        ui.waitFor(d -> admin.get("/api/v1/ticket-settings").json().at("/notices/smsCustomer").asBoolean());
        var n = admin.get("/api/v1/ticket-settings").json().get("notices");
        assertThat(n.get("smsText").asText()).isEqualTo("Ticket {ticket}: {status}");
        assertThat(n.get("language").asText()).isEqualTo("en");
        assertThat(n.get("emailCustomer").asBoolean()).isFalse();
        assertThat(n.get("emailAssignee").asBoolean()).isTrue();
        assertThat(n.get("customerEvents").toString()).isEqualTo("[\"opened\",\"in_progress\",\"resolved\",\"closed\",\"comment\"]");
        assertThat(n.get("assigneeComments").asBoolean()).isTrue();
        assertThat(n.get("languageField").asText()).isEqualTo("notice_lang");
        assertThat(admin.get("/api/v1/mail/settings").json().get("ticketNotifications").asBoolean()).isTrue();
        assertThat(admin.get("/api/v1/ticket-settings").json().get("prefix").asText()).as("the rest kept").isEqualTo("GD");

        ui.click("lang-zh");
        ui.waitText("page-title", ui.zh("ticketSettings.title"));
        assertThat(ui.driver().findElement(tid("ts-notices")).getText()).contains(ui.zh("ticketSettings.event.opened"),
                ui.zh("ticketSettings.event.comment"), ui.zh("ticketSettings.assigneeComments"), ui.zh("ticketSettings.languageField"));
        assertThat(new Select(ui.el("ts-language-field")).getFirstSelectedOption().getAttribute("value")).as("after a reload").isEqualTo("notice_lang");
        ui.screenshot("biz1-ticket-notices-zh");
    }
}
