package dev.hotline.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * OUT-4 in headless Chromium: the admin saves the web callback settings on its console page, which then shows the public
 * form's address and the iframe snippet; the form itself (no login) solves the server's proof-of-work challenge in the
 * browser and sends the request, which is stored and answered with the visitor's place.
 */
class WebCallbackBrowserTest {
    @RegisterExtension
    static final ConsoleDriver ui = new ConsoleDriver();

    @Test
    void adminSetsUpTheWebCallbackAndAVisitorRequestsOneThroughTheForm() {
        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitText("page-title", ui.en("users.title"));
        ui.click("nav-webcallback");
        ui.waitText("page-title", ui.en("webcallback.title"));
        new Select(ui.el("wcb-queue")).selectByIndex(0);
        new Select(ui.el("wcb-trunk")).selectByIndex(0);
        ui.type("wcb-callerid", "4000100");
        ui.type("wcb-prefixes", "135, 136");
        ui.type("wcb-hours", "00:00-00:01");
        ui.click("wcb-save");
        ui.waitFor(d -> !ui.text("wcb-snippet").isBlank());
        String url = ui.text("wcb-form-url");
        assertThat(url).matches(".*/api/v1/public/callback/[0-9a-f]{24}/form");
        assertThat(ui.text("wcb-snippet")).startsWith("<iframe src=\"" + url + "\"");

        ui.driver().get(url);
        ui.driver().findElement(By.id("number")).sendKeys("135 0000 0007");
        ui.driver().findElement(By.id("name")).sendKeys("Visitor");
        ui.driver().findElement(By.id("send")).click();
        ui.waitFor(d -> d.findElement(By.id("result")).getText().contains("We have your request"));
        assertThat(ui.driver().findElement(By.id("result")).getText()).contains("0 ahead of you");
        List<Map<String, Object>> requests = ui.fetchList("/api/v1/webcallback/requests");
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0)).containsEntry("number", "13500000007").containsEntry("name", "Visitor").containsEntry("state", "pending");

        // A number off the allow-list is refused in the form, with the server's reason.
        ui.driver().findElement(By.id("number")).clear();
        ui.driver().findElement(By.id("number")).sendKeys("0090012345");
        ui.driver().findElement(By.id("send")).click();
        ui.waitFor(d -> d.findElement(By.id("result")).getText().contains("not a number we call back"));
        ui.screenshot("webcallback-form-en");

        // The visitor cancels the request they just made, with the token the form kept.
        ui.driver().findElement(By.id("number")).clear();
        ui.driver().findElement(By.id("number")).sendKeys("13500000008");
        ui.driver().findElement(By.id("send")).click();
        ui.waitFor(d -> d.findElement(By.id("result")).getText().contains("We have your request"));
        ui.driver().findElement(By.id("cancel")).click();
        ui.waitFor(d -> d.findElement(By.id("result")).getText().contains("Your callback request is cancelled"));
        Map<String, Object> byVisitor = ConsoleDriver.find(ui.fetchList("/api/v1/webcallback/requests"), "number", "13500000008");
        assertThat(byVisitor).containsEntry("state", "cancelled").containsEntry("cancelledBy", "visitor");

        // Back on the console: the report and the requests with their states; the admin cancels the waiting one there and
        // chooses agent first.
        ui.open("/#/webcallback");
        ui.waitText("page-title", ui.en("webcallback.title"));
        ui.waitText("wcb-report-requests", "2");
        long waitingId = ((Number) ConsoleDriver.find(requests, "number", "13500000007").get("id")).longValue();
        long cancelledId = ((Number) byVisitor.get("id")).longValue();
        ui.waitText("wcb-state-" + cancelledId, ui.en("webcallback.states.cancelled"));
        assertThat(ui.text("wcb-state-" + waitingId)).isEqualTo(ui.en("webcallback.states.pending"));
        ui.click("wcb-cancel-" + waitingId);
        ui.waitText("wcb-state-" + waitingId, ui.en("webcallback.states.cancelled"));
        new Select(ui.el("wcb-state-filter")).selectByValue("pending");
        ui.waitFor(d -> d.findElements(ConsoleDriver.tid("wcb-row-" + waitingId)).isEmpty());
        new Select(ui.el("wcb-mode")).selectByValue("agent_first");
        ui.click("wcb-save");
        ui.waitFor(d -> "agent_first".equals(((Map<?, ?>) ui.fetchJson("/api/v1/webcallback/settings").get("settings")).get("mode")));
        ui.screenshot("webcallback-console-en");
    }
}
