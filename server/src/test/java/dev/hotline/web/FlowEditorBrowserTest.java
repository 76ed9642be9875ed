package dev.hotline.web;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.testing.SipPeers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import static dev.hotline.web.ConsoleDriver.find;
import static dev.hotline.web.ConsoleDriver.tid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Point;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The visual IVR flow editor (IVR-3) in headless Chromium against the whole server: an admin
 * builds a menu with the mouse and the side panel, publishes it, points a number at it, sees a
 * broken draft refused on publish and rolls back; a supervisor sees the editor read-only. Screenshots go to {@code target/screenshots/flow-*.png}.
 */
class FlowEditorBrowserTest {
    @TempDir
    Path work;

    @RegisterExtension
    static final ConsoleDriver ui = new ConsoleDriver();

    @Test
    void adminBuildsPublishesAndRollsBackAFlow() throws Exception {
        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitText("page-title", ui.en("users.title"));
        assertThat(ui.text("nav-flows")).isEqualTo(ui.en("nav.flows"));
        ui.click("nav-flows");
        ui.waitText("page-title", ui.en("flows.title"));
        ui.el("flows-table");

        // ---- create: the name rule is shown beside the field, then the editor opens on the new flow
        ui.click("flow-new");
        ui.type("flow-form-name", "Sales Menu");
        ui.click("flow-save");
        ui.waitText("flow-form-name-error", ui.en("validation.flowName"));
        ui.type("flow-form-name", "sales_menu");
        ui.type("flow-form-description", "Sales hotline");
        ui.click("flow-save");
        ui.el("flow-editor");
        ui.waitText("page-title", "sales_menu");
        assertThat(ui.driver().getCurrentUrl()).matches(".*#/flows/\\d+$");
        long flowId = Long.parseLong(ui.driver().getCurrentUrl().replaceAll(".*#/flows/", ""));
        ui.el("flow-node-start"); // the empty draft: one hang-up node
        assertThat(ui.text("flow-published-version")).isEqualTo(ui.en("flows.notPublished"));

        // ---- build: a play node with TTS text, a hang-up, and a menu 1 → play, 2 → hang-up
        ui.click("palette-play");
        ui.el("flow-node-play_1");
        ui.type("prompt-prompts-0-text", "Thank you for calling sales");
        ui.click("palette-hangup");
        ui.el("flow-node-hangup_1");
        ui.click("palette-menu");
        ui.el("flow-node-menu_1");
        new Select(ui.el("prompt-prompts-0-kind")).selectByValue("prompt");
        ui.type("prompt-prompts-0-text", "WELCOME");
        ui.click("option-add");
        ui.click("option-add");
        new Select(ui.el("option-target-1")).selectByValue("play_1");
        new Select(ui.el("option-target-2")).selectByValue("hangup_1");
        // Connections are curves from the exit to the node.
        ui.waitFor(d -> "play_1".equals(ui.el("flow-edge-menu_1-1").getAttribute("data-to")));
        assertThat(ui.el("flow-edge-menu_1-2").getAttribute("data-to")).isEqualTo("hangup_1");
        // The fail exit by dragging its dot onto the hang-up node.
        new Actions(ui.driver()).clickAndHold(ui.el("flow-exit-menu_1-fail")).moveToElement(ui.el("flow-node-hangup_1")).release().perform();
        ui.waitFor(d -> "hangup_1".equals(new Select(ui.el("exit-fail")).getFirstSelectedOption().getAttribute("value")));
        ui.el("flow-edge-menu_1-fail");
        ui.click("node-set-start");
        ui.el("flow-node-menu_1").findElement(org.openqa.selenium.By.cssSelector("[data-testid='flow-start-mark']"));
        // play → hang-up through the side panel.
        ui.click("flow-node-play_1");
        new Select(ui.el("exit-next")).selectByValue("hangup_1");
        ui.el("flow-edge-play_1-next");
        // The initial node is no longer needed: deleting it unsets what pointed to it.
        ui.click("flow-node-start");
        ui.click("node-delete");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("flow-node-start")));
        // Move the menu with the mouse: the position goes into the graph's layout.
        Point before = ui.el("flow-node-menu_1").getLocation();
        new Actions(ui.driver()).clickAndHold(ui.el("flow-node-menu_1")).moveByOffset(0, 120).release().perform();
        ui.waitFor(d -> ui.el("flow-node-menu_1").getLocation().getY() >= before.getY() + 100);
        ui.el("flow-dirty");

        // ---- save: no problems; the graph and the layout are stored as drawn
        ui.click("flow-save-draft");
        ui.el("flow-ok");
        assertThat(ui.driver().findElements(tid("flow-problems"))).isEmpty();
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("flow-dirty")));
        Map<String, Object> flow = ui.fetchJson("/api/v1/flows/" + flowId);
        Map<String, Object> draft = map(flow.get("draft"));
        assertThat(draft).containsEntry("start", "menu_1");
        Map<String, Object> nodes = map(draft.get("nodes"));
        assertThat(nodes).containsOnlyKeys("play_1", "hangup_1", "menu_1");
        Map<String, Object> menu = map(nodes.get("menu_1"));
        assertThat(menu).containsEntry("type", "menu").containsEntry("fail", "hangup_1");
        assertThat(map(menu.get("options"))).containsExactlyInAnyOrderEntriesOf(Map.of("1", "play_1", "2", "hangup_1"));
        assertThat(menu.get("prompts")).isEqualTo(List.of(Map.of("prompt", "WELCOME")));
        assertThat(map(nodes.get("play_1")).get("prompts")).isEqualTo(List.of(Map.of("tts", "Thank you for calling sales")));
        Map<String, Object> layout = map(draft.get("layout"));
        assertThat(layout).containsKeys("play_1", "hangup_1", "menu_1");
        assertThat(((Number) map(layout.get("menu_1")).get("y")).intValue()).isGreaterThanOrEqualTo(100);
        ui.screenshot("flow-editor-en");

        // ---- publish: version 1 is live
        ui.click("flow-publish");
        ui.waitText("flow-published-version", ui.en("flows.liveVersion").replace("{n}", "1"));
        assertThat(((Number) ui.fetchJson("/api/v1/flows/" + flowId).get("publishedVersion")).intValue()).isEqualTo(1);

        // ---- numbers: a DID points to the flow, picked from the flows
        ui.click("nav-numbers");
        ui.waitText("page-title", ui.en("numbers.title"));
        ui.click("number-new");
        ui.type("number-form-number", "4100");
        new Select(ui.el("number-form-desttype")).selectByValue("flow");
        assertThat(ui.text("number-dialog")).contains(ui.en("numbers.destinationFlow"));
        new Select(ui.el("number-form-destination")).selectByValue("sales_menu");
        ui.click("number-save");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("number-dialog")));
        ui.waitFor(d -> ui.text("number-row-4100").contains("sales_menu"));
        assertThat(ui.text("number-desttype-4100")).isEqualTo(ui.en("numbers.destType.flow"));
        assertThat(find(ui.fetchList("/api/v1/numbers"), "number", "4100")).containsEntry("destinationType", "flow").containsEntry("destination", "sales_menu");
        ui.screenshot("flow-numbers-en");

        // A caller on the number follows the published flow: key 1 reaches the play node.
        SipPeers.ok(new SipPeers(work, ui.server().hotline().engine().sipPort()).uac("uac_digits", "4100",
                SipPeers.vars("13700000001", "PAUSE", "1200", "AFTER", "1500",
                        "DTMFACTIONS", "<nop><action><exec play_pcap_audio=\"/usr/share/sip-tester/dtmf_2833_1.pcap\"/></action></nop>")));
        assertThat(ivrSteps("13700000001")).containsSubsequence("node:menu_1", "key:1", "node:play_1");

        // ---- a flow a number points to cannot be deleted, and the list says why
        ui.click("nav-flows");
        ui.waitFor(d -> ui.text("flow-published-sales_menu").equals(ui.en("flows.versionN").replace("{n}", "1")));
        ui.click("flow-delete-sales_menu");
        ui.click("confirm-ok");
        ui.waitText("flow-action-error", ui.en("flows.inUse").replace("{name}", "sales_menu"));
        ui.el("flow-row-sales_menu");
        ui.screenshot("flow-list-en");

        // ---- a second version: change the text and publish
        ui.click("flow-open-sales_menu");
        ui.el("flow-editor");
        ui.click("flow-node-play_1");
        ui.type("prompt-prompts-0-text", "Thanks for calling the sales team");
        ui.click("flow-publish");
        ui.waitText("flow-published-version", ui.en("flows.liveVersion").replace("{n}", "2"));

        // ---- break the draft: option 3 goes nowhere; publish is refused and the menu is marked
        ui.click("flow-node-menu_1");
        ui.click("option-add");
        ui.el("option-target-3");
        ui.click("flow-publish");
        ui.waitText("flow-problems-title", ui.en("flows.publishRefused").replace("{n}", "1"));
        assertThat(ui.text("flow-problem")).contains("menu_1", ui.en("flows.exit.key").replace("{key}", "3"), ui.en("validation.flow.notConnected"));
        assertThat(ui.el("flow-node-menu_1").getAttribute("class")).contains("problem");
        assertThat(ui.el("flow-node-play_1").getAttribute("class")).doesNotContain("problem");
        ui.waitText("option-error-3", ui.en("validation.flow.notConnected"));
        assertThat(ui.text("flow-published-version")).isEqualTo(ui.en("flows.liveVersion").replace("{n}", "2"));
        ui.screenshot("flow-publish-refused-en");
        ui.click("lang-zh");
        ui.waitText("flow-problems-title", ui.zh("flows.publishRefused").replace("{n}", "1"));
        assertThat(ui.text("option-error-3")).isEqualTo(ui.zh("validation.flow.notConnected"));
        ui.screenshot("flow-publish-refused-zh");
        ui.click("lang-en");

        // ---- roll back to version 1 from the versions list
        ui.click("node-close");
        ui.el("flow-versions");
        ui.el("flow-version-live-2");
        ui.click("flow-rollback-1");
        ui.click("confirm-ok");
        ui.waitText("flow-published-version", ui.en("flows.liveVersion").replace("{n}", "1"));
        ui.el("flow-version-live-1");
        assertThat(((Number) ui.fetchJson("/api/v1/flows/" + flowId).get("publishedVersion")).intValue()).isEqualTo(1);
        ui.screenshot("flow-versions-en");

        // ---- every node type of the contract can be added from the palette, each with its form
        for (String type : List.of("play", "menu", "collect", "time", "set", "http", "say", "language", "goto", "transfer", "voicemail", "hangup")) {
            ui.click("palette-" + type);
            ui.waitFor(d -> ui.text("flow-panel").contains(ui.en("flows.typeHint." + type)));
        }
        ui.click("flow-node-time_1");
        ui.el("weekly-0");
        ui.screenshot("flow-node-time-en");
        ui.click("flow-node-http_1");
        new Select(ui.el("node-method")).selectByValue("POST");
        ui.el("node-body");
        ui.click("assign-add");
        ui.screenshot("flow-node-http-en");
    }

    /**
     * Issue 5 "a Chromium test builds a two-level flow in the editor, publishes it, and a SIPp call
     * follows it": menu_1 key 1 → menu_2, menu_2 key 2 → say the caller's number; the caller keys 1,
     * then 2 once the second menu answers.
     */
    @Test
    void aCallerKeysThroughATwoLevelMenuBuiltInTheEditor() throws Exception {
        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitText("page-title", ui.en("users.title"));
        ui.click("nav-flows");
        ui.waitText("page-title", ui.en("flows.title"));
        ui.click("flow-new");
        ui.type("flow-form-name", "two_levels");
        ui.click("flow-save");
        ui.el("flow-editor");
        ui.waitText("page-title", "two_levels");
        long flowId = Long.parseLong(ui.driver().getCurrentUrl().replaceAll(".*#/flows/", ""));

        // First level: the welcome menu, the start of the flow.
        ui.click("palette-menu");
        ui.el("flow-node-menu_1");
        new Select(ui.el("prompt-prompts-0-kind")).selectByValue("prompt");
        ui.type("prompt-prompts-0-text", "WELCOME");
        ui.click("node-set-start");
        ui.click("option-add");
        // Second level: another menu whose only option is key 2.
        ui.click("palette-menu");
        ui.el("flow-node-menu_2");
        ui.waitFor(d -> ui.el("flow-node-menu_2").getAttribute("class").contains("selected"));
        new Select(ui.el("prompt-prompts-0-kind")).selectByValue("prompt");
        ui.type("prompt-prompts-0-text", "PLEASE_ENTER");
        ui.click("option-add");
        new Select(ui.el("option-key-1")).selectByValue("2");
        ui.el("option-target-2");
        // The leaves: say the caller's number, hang up.
        ui.click("palette-say");
        ui.el("flow-node-say_1");
        assertThat(ui.el("node-value").getAttribute("value")).isEqualTo("${caller}");
        ui.click("palette-hangup");
        ui.el("flow-node-hangup_1");

        // Connect: in the side panel for the first menu, by dragging for the second.
        ui.click("flow-node-menu_1");
        new Select(ui.el("option-target-1")).selectByValue("menu_2");
        new Select(ui.el("exit-fail")).selectByValue("hangup_1");
        ui.waitFor(d -> "menu_2".equals(ui.el("flow-edge-menu_1-1").getAttribute("data-to")));
        new Actions(ui.driver()).clickAndHold(ui.el("flow-exit-menu_2-2")).moveToElement(ui.el("flow-node-say_1")).release().perform();
        ui.waitFor(d -> "say_1".equals(ui.el("flow-edge-menu_2-2").getAttribute("data-to")));
        new Actions(ui.driver()).clickAndHold(ui.el("flow-exit-menu_2-fail")).moveToElement(ui.el("flow-node-hangup_1")).release().perform();
        ui.waitFor(d -> "hangup_1".equals(ui.el("flow-edge-menu_2-fail").getAttribute("data-to")));
        ui.click("flow-node-say_1");
        new Select(ui.el("exit-next")).selectByValue("hangup_1");
        ui.el("flow-edge-say_1-next");
        // The draft's initial hang-up is not needed.
        ui.click("flow-node-start");
        ui.click("node-delete");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("flow-node-start")));
        ui.screenshot("flow-two-levels-en");

        ui.click("flow-publish");
        ui.waitText("flow-published-version", ui.en("flows.liveVersion").replace("{n}", "1"));
        Map<String, Object> published = map(ui.fetchJson("/api/v1/flows/" + flowId).get("draft"));
        assertThat(published).containsEntry("start", "menu_1");
        Map<String, Object> nodes = map(published.get("nodes"));
        assertThat(map(map(nodes.get("menu_1")).get("options"))).isEqualTo(Map.of("1", "menu_2"));
        assertThat(map(map(nodes.get("menu_2")).get("options"))).isEqualTo(Map.of("2", "say_1"));

        ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4101", "destinationType", "flow", "destination", "two_levels")).status()).isEqualTo(201);
        // Key 1 in the first menu, then (once the second menu plays) key 2; the caller leaves while the number is said.
        SipPeers.ok(new SipPeers(work, ui.server().hotline().engine().sipPort()).uac("uac_digits", "4101",
                SipPeers.vars("13700000002", "PAUSE", "1200", "AFTER", "1500",
                        "DTMFACTIONS", SipPeers.dtmf("1") + "<pause milliseconds=\"2500\"/>" + SipPeers.dtmf("2"))));
        assertThat(ivrSteps("13700000002")).containsSubsequence("node:menu_1", "key:1", "node:menu_2", "key:2", "node:say_1")
                .doesNotContain("node:hangup_1");
    }

    /**
     * IVR-1: an admin adds an external database under the flows (its password never shown again), then a database lookup
     * node in the editor with that source and a query; a query that writes is refused with the problem beside the field.
     */
    @Test
    void aDatabaseLookupNodeIsAddedWithItsDataSource() {
        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitText("page-title", ui.en("users.title"));
        ui.click("nav-flows");
        ui.waitText("page-title", ui.en("flows.title"));
        ui.waitText("datasource-title", ui.en("dataSources.title"));
        ui.click("datasource-new");
        ui.type("datasource-form-name", "crm");
        ui.type("datasource-form-url", "jdbc:mysql://nowhere/crm");
        ui.type("datasource-form-username", "reader");
        ui.type("datasource-form-password", "pw-never-shown");
        ui.click("datasource-save");
        ui.el("datasource-form-url-error");
        ui.type("datasource-form-url", "jdbc:h2:tcp://127.0.0.1:9/mem:crm");
        ui.click("datasource-save");
        ui.el("datasource-row-crm");
        assertThat(ui.text("datasource-row-crm")).contains("jdbc:h2:tcp://127.0.0.1:9/mem:crm", ui.en("dataSources.passwordSet"))
                .doesNotContain("pw-never-shown");

        ui.click("flow-new");
        ui.type("flow-form-name", "db_lookup");
        ui.click("flow-save");
        ui.el("flow-editor");
        ui.waitText("page-title", "db_lookup");
        long flowId = Long.parseLong(ui.driver().getCurrentUrl().replaceAll(".*#/flows/", ""));
        ui.click("palette-db");
        ui.el("flow-node-db_1");
        new Select(ui.el("node-source")).selectByValue("crm");
        ui.type("node-query", "SELECT tier FROM customer WHERE phone = ${caller}");
        for (String exit : List.of("exit-found", "exit-notFound", "exit-error")) new Select(ui.el(exit)).selectByValue("start");
        ui.click("node-set-start");
        ui.click("flow-save-draft");
        ui.el("flow-ok");
        Map<String, Object> db = map(map(map(ui.fetchJson("/api/v1/flows/" + flowId).get("draft")).get("nodes")).get("db_1"));
        assertThat(db).containsEntry("type", "db").containsEntry("source", "crm")
                .containsEntry("query", "SELECT tier FROM customer WHERE phone = ${caller}")
                .containsEntry("found", "start").containsEntry("notFound", "start").containsEntry("error", "start");
        ui.screenshot("flow-node-db-en");

        ui.type("node-query", "DELETE FROM customer");
        ui.click("flow-save-draft");
        ui.waitFor(d -> ui.text("node-query-error").contains("only a SELECT"));
    }

    @Test
    void theDemoMenuTransfersToQueuesWithAPriorityEditedInTheEditor() {
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.el("page-title");
        ui.click("lang-en");
        ui.click("nav-flows");
        ui.waitText("page-title", ui.en("flows.title"));
        ui.click("flow-open-main");
        ui.el("flow-editor");
        ui.click("flow-node-sales");
        // Key 1 of the demo menu goes to the queue `sales` (ACD-3: with a priority the admin can set).
        assertThat(new org.openqa.selenium.support.ui.Select(ui.el("node-target")).getFirstSelectedOption().getText())
                .isEqualTo(ui.en("flows.transfer.queue"));
        assertThat(new org.openqa.selenium.support.ui.Select(ui.el("node-value")).getFirstSelectedOption().getText()).isEqualTo("sales");
        ui.type("node-priority", "high");
        ui.click("node-close");
        ui.click("flow-save-draft");
        ui.el("flow-problems"); // "high" is not a priority: the draft is kept with its problem shown
        ui.click("flow-node-sales");
        ui.type("node-priority", "7");
        ui.click("node-close");
        ui.click("flow-save-draft");
        ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        long id = admin.get("/api/v1/flows").json().findParents("name").stream().filter(f -> f.get("name").asText().equals("main"))
                .findFirst().orElseThrow().get("id").asLong();
        ui.waitFor(d -> "7".equals(admin.get("/api/v1/flows/" + id).json().at("/draft/nodes/sales/priority").asText()));
        ui.screenshot("flow-queue-priority-en");
    }

    /**
     * ACD-3 / ACD-4: a number list made on the flows page (a bad line refused on its line), a caller condition node routing
     * by area codes and that list and a queue priority node, added from the palette and edited in the side panel (a bad
     * area code shown on the node), published; the list a published flow routes by cannot be deleted (zh/en).
     */
    @Test
    void callerConditionAndPriorityNodesWithANumberListFromTheFlowsPage() {
        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitText("page-title", ui.en("users.title"));
        ui.click("nav-flows");
        ui.waitText("page-title", ui.en("flows.title"));
        ui.waitText("numberlist-title", ui.en("numberLists.title"));
        ui.click("numberlist-new");
        ui.type("numberlist-form-name", "vip");
        ui.type("numberlist-form-entries", "13800138000\nnot a number");
        ui.click("numberlist-save");
        ui.waitFor(d -> ui.text("numberlist-form-entries-error").startsWith(ui.en("numberLists.line").replace("{n}", "2")));
        ui.type("numberlist-form-entries", "+86 138 0013 8000\n0755*");
        ui.click("numberlist-save");
        ui.el("numberlist-row-vip");
        ui.waitText("numberlist-count-vip", ui.en("numberLists.count").replace("{n}", "2"));

        ui.click("flow-new");
        ui.type("flow-form-name", "vip_route");
        ui.click("flow-save");
        ui.el("flow-editor");
        ui.waitText("page-title", "vip_route");
        long flowId = Long.parseLong(ui.driver().getCurrentUrl().replaceAll(".*#/flows/", ""));
        ui.click("palette-priority");
        ui.el("flow-node-priority_1");
        ui.type("node-value", "30");
        new Select(ui.el("exit-next")).selectByValue("start");
        ui.click("palette-caller");
        ui.el("flow-node-caller_1");
        ui.type("node-areas", "010, 0755 12");
        ui.el("node-areas").sendKeys(org.openqa.selenium.Keys.TAB);
        new Select(ui.el("node-list")).selectByValue("vip");
        new Select(ui.el("exit-match")).selectByValue("priority_1");
        new Select(ui.el("exit-noMatch")).selectByValue("start");
        ui.click("node-set-start");
        ui.click("flow-save-draft");
        ui.waitFor(d -> ui.text("node-areas-error").contains(ui.en("validation.flow.area")));
        ui.type("node-areas", "010 0755");
        ui.el("node-areas").sendKeys(org.openqa.selenium.Keys.TAB);
        ui.click("flow-save-draft");
        ui.el("flow-ok");
        Map<String, Object> nodes = map(map(ui.fetchJson("/api/v1/flows/" + flowId).get("draft")).get("nodes"));
        assertThat(map(nodes.get("caller_1"))).containsEntry("type", "caller").containsEntry("areas", List.of("010", "0755"))
                .containsEntry("list", "vip").containsEntry("match", "priority_1").containsEntry("noMatch", "start");
        assertThat(map(nodes.get("priority_1"))).containsEntry("type", "priority").containsEntry("value", "30").containsEntry("next", "start");
        ui.click("flow-publish");
        ui.waitFor(d -> ui.text("flow-published-version").startsWith(ui.en("flows.liveVersion").replace("{n}", "").strip()));
        ui.screenshot("flow-caller-priority-en");
        ui.click("lang-zh");
        ui.waitFor(d -> ui.text("palette-caller").equals(ui.zh("flows.type.caller")) && ui.text("palette-priority").equals(ui.zh("flows.type.priority")));
        ui.click("lang-en");

        ui.click("flow-back");
        ui.el("numberlist-row-vip");
        ui.click("numberlist-delete-vip");
        ui.click("confirm-ok");
        ui.waitFor(d -> ui.text("numberlist-action-error").contains("vip_route"));
        ui.el("numberlist-row-vip");
    }

    /**
     * Issue 14: the demo flow says whether it is open now, with its hours, on the flows list, on the number pointing
     * at it and in the editor; the editor's canvas shows shipped prompts by their text, node names whole, fits a
     * 1 440 px window (every node reachable by scrolling) and its time node takes "until end of day" as 24:00.
     */
    @Test
    void theDemoFlowSaysWhetherItIsOpenNowAndItsHoursReachTheEndOfTheDay() {
        ui.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1440, 900));
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.el("page-title");
        ui.click("lang-en");
        ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        long id = admin.get("/api/v1/flows").json().findParents("name").stream().filter(f -> f.get("name").asText().equals("main"))
                .findFirst().orElseThrow().get("id").asLong();
        JsonNode status = admin.get("/api/v1/flows/" + id + "/status").json();
        assertThat(status.get("timeCondition").asBoolean()).isTrue();
        assertThat(status.get("hours").asText()).isEqualTo("Mon-Fri 09:00-18:00 (Asia/Shanghai)");
        boolean open = status.get("open").asBoolean();
        String openKey = open ? "flowHours.openNow" : "flowHours.closedNow";

        ui.click("nav-flows");
        ui.waitText("page-title", ui.en("flows.title"));
        ui.waitFor(d -> String.valueOf(open).equals(ui.el("flow-hours-main").getAttribute("data-open")));
        assertThat(ui.text("flow-hours-main")).contains(ui.en(openKey), "Mon–Fri 09:00–18:00", "Asia/Shanghai");
        ui.screenshot("flow-hours-list-en");
        ui.click("nav-numbers");
        ui.waitText("page-title", ui.en("numbers.title"));
        ui.waitFor(d -> String.valueOf(open).equals(ui.el("number-hours-4000").getAttribute("data-open")));
        assertThat(ui.text("number-hours-4000")).contains(ui.en(openKey), "Mon–Fri 09:00–18:00");
        ui.screenshot("flow-hours-numbers-en");

        ui.click("nav-flows");
        ui.click("flow-open-main");
        ui.el("flow-editor");
        ui.waitFor(d -> String.valueOf(open).equals(ui.el("flow-editor-hours").getAttribute("data-open")));
        // Shipped prompts by their text, not their keys; node names not cut.
        assertThat(ui.text("flow-node-menu")).contains(ui.en("promptKey.WELCOME")).doesNotContain("WELCOME");
        assertThat(ui.text("flow-node-night")).contains(ui.en("promptKey.THANK_YOU_FOR_CALLING")).doesNotContain("THANK_YOU_FOR_CALLING");
        for (WebElement name : ui.driver().findElements(org.openqa.selenium.By.cssSelector("[data-testid='flow-canvas'] .fnode-id"))) {
            Number scroll = (Number) ui.js().executeScript("return arguments[0].scrollWidth", name);
            Number client = (Number) ui.js().executeScript("return arguments[0].clientWidth", name);
            assertThat(scroll.intValue()).as("node name " + name.getText() + " shown whole").isLessThanOrEqualTo(client.intValue());
        }
        // The canvas stays inside the window and scrolls to its right-most node.
        WebElement canvas = ui.el("flow-canvas");
        Number windowWidth = (Number) ui.js().executeScript("return document.documentElement.clientWidth");
        assertThat(canvas.getRect().getX() + canvas.getRect().getWidth()).as("canvas inside the window").isLessThanOrEqualTo(windowWidth.intValue());
        // Fitted on opening: every node wholly inside the canvas's view, none cut off on the right.
        Number cutOff = (Number) ui.js().executeScript("const c = arguments[0].getBoundingClientRect(); let worst = -1e9;"
                + "for (const n of arguments[0].querySelectorAll('.fnode')) { const r = n.getBoundingClientRect();"
                + "  worst = Math.max(worst, r.right - c.right, r.bottom - c.bottom); } return worst;", canvas);
        assertThat(cutOff.intValue()).as("pixels of the worst node outside the canvas's view").isLessThanOrEqualTo(0);
        assertThat(Double.parseDouble(ui.el("flow-zoom").getAttribute("data-scale"))).as("zoom").isBetween(0.5, 1.0);
        // Zooming in makes it scroll; the fit button brings it back.
        ui.click("flow-zoom-in");
        ui.click("flow-zoom-in");
        ui.waitFor(d -> Boolean.TRUE.equals(ui.js().executeScript("return arguments[0].scrollWidth > arguments[0].clientWidth", canvas)));
        ui.click("flow-zoom-fit");
        ui.screenshot("flow-editor-main-1440-en");

        // The time node: until the end of the day is 24:00.
        ui.click("flow-node-hours");
        ui.click("weekly-0-eod");
        ui.waitText("weekly-0-to-eod", "24:00");
        assertThat(ui.driver().findElements(tid("weekly-0-to"))).as("no time input for 24:00").isEmpty();
        ui.screenshot("flow-time-end-of-day-en");
        ui.click("node-close");
        ui.click("flow-save-draft");
        ui.waitFor(d -> "24:00".equals(admin.get("/api/v1/flows/" + id).json().at("/draft/nodes/hours/weekly/0/to").asText()));
        assertThat(ui.driver().findElements(tid("flow-problems"))).as("24:00 is valid").isEmpty();

        ui.click("lang-zh");
        ui.click("flow-back");
        ui.waitText("page-title", ui.zh("flows.title"));
        ui.waitFor(d -> ui.text("flow-hours-main").contains(ui.zh(openKey)));
        assertThat(ui.text("flow-hours-main")).contains("周一–周五 09:00–18:00");
        ui.screenshot("flow-hours-list-zh");
        ui.click("flow-open-main");
        ui.el("flow-editor");
        assertThat(ui.text("flow-node-menu")).contains(ui.zh("promptKey.WELCOME"));
        ui.click("flow-node-hours");
        assertThat(ui.text("flow-panel")).contains(ui.zh("flows.untilEndOfDay"));
        ui.screenshot("flow-time-end-of-day-zh");
        ui.click("node-close");
        // Leave the draft as it was for the other tests.
        ui.click("flow-node-hours");
        ui.click("weekly-0-eod");
        ui.click("node-close");
        ui.click("flow-save-draft");
        ui.waitFor(d -> "18:00".equals(admin.get("/api/v1/flows/" + id).json().at("/draft/nodes/hours/weekly/0/to").asText()));
        ui.click("lang-en");
        ui.driver().manage().window().setSize(new org.openqa.selenium.Dimension(1400, 900));
    }

    @Test
    void supervisorSeesTheEditorReadOnly() {
        ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        long id = admin.post("/api/v1/flows", Map.of("name", "night_line", "description", "After hours")).json().get("id").asLong();
        var saved = admin.raw("PUT", "/api/v1/flows/" + id + "/draft", ("{'start':'closed','nodes':{"
                + "'closed':{'type':'play','prompts':[{'tts':'We are closed'}],'next':'bye'},'bye':{'type':'hangup'}},"
                + "'layout':{'closed':{'x':40,'y':40},'bye':{'x':320,'y':60}}}").replace('\'', '"'), "application/json");
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        assertThat(admin.post("/api/v1/flows/" + id + "/publish", null).status()).isEqualTo(200);

        ui.click("lang-zh");
        ui.loginSupervisorToConsole();
        ui.click("nav-flows");
        ui.waitText("page-title", ui.zh("flows.title"));
        ui.waitFor(d -> ui.text("flow-row-night_line").contains("After hours"));
        assertThat(ui.driver().findElements(tid("flow-new"))).isEmpty();
        assertThat(ui.driver().findElements(tid("flow-delete-night_line"))).isEmpty();
        ui.click("flow-open-night_line");
        ui.el("flow-editor");
        ui.waitText("flow-readonly", ui.zh("flows.readOnly"));
        for (String absent : List.of("flow-palette", "flow-save-draft", "flow-publish")) {
            assertThat(ui.driver().findElements(tid(absent))).as(absent).isEmpty();
        }
        ui.el("flow-edge-closed-next");
        // Nodes open read-only in the side panel; dragging does not move them.
        Point before = ui.el("flow-node-closed").getLocation();
        new Actions(ui.driver()).clickAndHold(ui.el("flow-node-closed")).moveByOffset(80, 80).release().perform();
        assertThat(ui.el("flow-node-closed").getLocation()).isEqualTo(before);
        WebElement text = ui.el("prompt-prompts-0-text");
        assertThat(text.getAttribute("value")).isEqualTo("We are closed");
        assertThat(text.isEnabled()).isFalse();
        assertThat(ui.el("exit-next").isEnabled()).isFalse();
        for (String absent : List.of("node-delete", "node-set-start", "prompt-prompts-add", "flow-rollback-1")) {
            assertThat(ui.driver().findElements(tid(absent))).as(absent).isEmpty();
        }
        ui.screenshot("flow-readonly-zh");
        // Validate is a read: it answers for the saved draft.
        ui.click("node-close");
        ui.click("flow-validate");
        ui.waitText("flow-ok", ui.zh("flows.noProblems"));
        ui.el("flow-version-live-1");
        assertThat(ui.el("flow-start").isEnabled()).isFalse();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    /** The IVR steps logged for the caller's call once it is recorded: "node:<id>" and "key:<key>". */
    private static List<String> ivrSteps(String caller) {
        ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        JsonNode call = await("call of " + caller).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (JsonNode r : admin.get("/api/v1/calls?number=" + caller).json().get("items")) return Optional.of(r);
            return Optional.<JsonNode>empty();
        }, Optional::isPresent).get();
        List<String> out = new ArrayList<>();
        for (JsonNode e : admin.get("/api/v1/calls/" + call.get("callId").asText() + "/events").json()) {
            String data = e.path("data").asText();
            if (e.get("type").asText().equals("ivr_node")) out.add("node:" + data.replaceAll(".*node=(\\S+).*", "$1"));
            if (e.get("type").asText().equals("ivr_key")) out.add("key:" + data.replaceAll(".*key=(\\S+).*", "$1"));
        }
        return out;
    }
}
