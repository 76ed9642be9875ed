package dev.hotline.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.Select;

/** OUT-1, OUT-3 console page in headless Chromium: a campaign made, a list imported with its counts, started; a do-not-call number added. */
class CampaignsBrowserTest {
    @RegisterExtension
    static final ConsoleDriver ui = new ConsoleDriver();

    @Test
    void adminMakesACampaignImportsAListStartsItAndKeepsTheDoNotCallList() throws Exception {
        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitText("page-title", ui.en("users.title"));
        assertThat(ui.text("nav-campaigns")).isEqualTo(ui.en("nav.campaigns"));
        ui.click("nav-campaigns");
        ui.waitText("page-title", ui.en("campaigns.title"));

        ui.type("dnc-number", "139 0000 0003");
        ui.click("dnc-add");
        ui.waitFor(d -> ui.text("dnc-table").contains("13900000003"));

        ui.click("campaign-create");
        ui.waitFor(d -> !ui.text("campaign-form-error").isBlank());
        ui.type("campaign-name", "spring-sale");
        new Select(ui.el("campaign-trunk")).selectByIndex(0);
        ui.type("campaign-callerids", "4000100, 4000101");
        new Select(ui.el("campaign-queue")).selectByIndex(0);
        ui.click("campaign-create");
        ui.waitFor(d -> ui.text("campaign-state-spring-sale").equals(ui.en("campaigns.states.draft")));
        ui.el("campaign-detail");

        Path csv = Files.createTempFile("campaign", ".csv");
        Files.writeString(csv, "number,name\n13900000001,Zhang San\n13900000002,Li Si\n13900000001,Again\n13900000003,Wang Wu\nbad,Bad\n",
                StandardCharsets.UTF_8);
        ui.el("campaign-file").sendKeys(csv.toAbsolutePath().toString());
        ui.click("campaign-import");
        ui.waitFor(d -> ui.text("campaign-import-result").contains("2 imported"));
        assertThat(ui.text("campaign-import-result")).contains("1 duplicates", "1 on the do-not-call list", "1 bad rows", "Row 6, number");
        assertThat(ui.text("campaign-contacts")).contains("13900000001", "Zhang San", "13900000002").doesNotContain("13900000003");
        assertThat(ui.text("campaign-progress")).contains(ui.en("campaigns.contactStates.pending") + ": 2");

        ui.click("campaign-start");
        ui.waitFor(d -> ui.text("campaign-state-spring-sale").equals(ui.en("campaigns.states.running")));
        assertThat(ui.fetchList("/api/v1/campaigns").get(0).get("state")).isEqualTo("running");
        // The dialler's view of it (refreshed every 3 s): no agent of the queue signed in, or outside its windows at this hour.
        ui.waitFor(d -> ui.text("campaign-live-reason").matches("(?s)^(stopped: no agent|outside the calling windows).*"));
        assertThat(ui.text("campaign-live-24h")).startsWith("0.00 %").contains("0 abandoned of 0 answered");
        assertThat(ui.text("campaign-live-30d")).startsWith("0.00 %");
        assertThat(ui.text("campaign-live-level")).isEqualTo("0.00");
        ui.screenshot("campaigns-en");
    }
}
