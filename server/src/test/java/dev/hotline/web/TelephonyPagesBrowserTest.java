package dev.hotline.web;

import static dev.hotline.web.ConsoleDriver.find;
import static dev.hotline.web.ConsoleDriver.tid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.report.CallRecord.Disposition;
import dev.hotline.report.CallRecord.Outcome;
import dev.hotline.report.CallRecordFixture;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The telephony pages of the console (trunks, numbers, outbound routes, blacklist, extensions'
 * registration and outbound permission, call records) in headless Chromium against the whole
 * server in-process. Screenshots go to {@code target/screenshots/tel-*.png}.
 */
class TelephonyPagesBrowserTest {
    /** Server and browser for the class; each test starts signed out and must leave no script errors. */
    @RegisterExtension
    static final ConsoleDriver ui = new ConsoleDriver();

    @Test
    void adminConfiguresTrunksNumbersRoutesAndBlacklist() throws IOException {
        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitText("page-title", ui.en("users.title"));
        for (String page : List.of("trunks", "numbers", "routes", "blacklist", "calls")) {
            assertThat(ui.text("nav-" + page)).isEqualTo(ui.en("nav." + page));
        }

        // ---- trunks: the kind switch shows the fields of each kind; errors beside the fields
        ui.click("nav-trunks");
        ui.waitText("page-title", ui.en("trunks.title"));
        ui.waitFor(d -> ui.text("trunk-row-loopback").contains("127.0.0.1:5080 / UDP"));
        assertThat(ui.text("trunk-row-loopback")).contains(ui.en("trunks.kind.ip"), ui.en("common.enabled"));
        ui.click("trunk-new");
        ui.el("trunk-dialog");
        ui.el("trunk-form-allowed-ips");
        assertThat(ui.driver().findElements(tid("trunk-form-secret"))).isEmpty();
        ui.click("trunk-form-kind-register");
        ui.el("trunk-form-secret");
        assertThat(ui.driver().findElements(tid("trunk-form-allowed-ips"))).isEmpty();
        ui.click("trunk-save");
        ui.waitText("trunk-form-name-error", ui.en("validation.required"));
        assertThat(ui.text("trunk-form-host-error")).isEqualTo(ui.en("validation.required"));
        assertThat(ui.text("trunk-form-username-error")).isEqualTo(ui.en("validation.required"));
        assertThat(ui.text("trunk-form-secret-error")).isEqualTo(ui.en("validation.required"));
        ui.screenshot("tel-trunk-form-errors-en");
        ui.type("trunk-form-name", "carrier-b");
        ui.type("trunk-form-host", "sip.carrier.example");
        ui.type("trunk-form-username", "acct-77");
        ui.type("trunk-form-secret", "trunk-secret-9");
        ui.type("trunk-form-caller-id", "02150000000");
        ui.click("trunk-save");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("trunk-dialog")));
        ui.waitFor(d -> ui.text("trunk-row-carrier-b").contains("sip.carrier.example:5060 / UDP"));
        assertThat(ui.text("trunk-row-carrier-b")).contains(ui.en("trunks.kind.register"), "acct-77", "02150000000");
        // Nothing answers at sip.carrier.example: the registration state is shown (registering, then failed with its reason).
        ui.driver().navigate().refresh();
        ui.waitFor(d -> ui.text("trunk-row-carrier-b").contains(ui.en("trunks.reg.registering"))
                || ui.text("trunk-row-carrier-b").contains(ui.en("trunks.reg.failed")));
        Map<String, Object> stored = find(ui.fetchList("/api/v1/trunks"), "name", "carrier-b");
        assertThat(stored).containsEntry("kind", "register").doesNotContainKey("secret");

        // An IP trunk: allowed addresses from a comma-separated list.
        ui.click("trunk-new");
        ui.type("trunk-form-name", "carrier-ip");
        ui.type("trunk-form-host", "203.0.113.5");
        ui.type("trunk-form-allowed-ips", "203.0.113.6, 203.0.113.7");
        // SEC-4: SRTP is chosen only with transport TLS (its keys travel in the signalling)
        assertThat(ui.driver().findElements(tid("trunk-form-srtp"))).isEmpty();
        new Select(ui.el("trunk-form-transport")).selectByValue("tls");
        new Select(ui.el("trunk-form-srtp")).selectByValue("required");
        ui.click("trunk-save");
        ui.waitFor(d -> ui.text("trunk-row-carrier-ip").contains("203.0.113.6") && ui.text("trunk-row-carrier-ip").contains("203.0.113.7"));
        assertThat(ui.text("trunk-row-carrier-ip")).contains("203.0.113.5:5060 / TLS · SRTP " + ui.en("trunks.srtp.required"));
        assertThat(find(ui.fetchList("/api/v1/trunks"), "name", "carrier-ip")).containsEntry("transport", "tls")
                .containsEntry("srtp", "required");
        ui.screenshot("tel-trunks-en");

        // A trunk in use cannot be deleted, and the page says why.
        ui.click("trunk-delete-loopback");
        ui.click("confirm-ok");
        ui.waitText("trunk-action-error", ui.en("trunks.inUse").replace("{name}", "loopback"));
        ui.el("trunk-row-loopback");
        ui.screenshot("tel-trunk-in-use-en");
        // An unused one can.
        ui.click("trunk-delete-carrier-ip");
        ui.click("confirm-ok");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("trunk-row-carrier-ip")));

        // ---- numbers: the destination is chosen from the extensions
        ui.click("nav-numbers");
        ui.waitText("page-title", ui.en("numbers.title"));
        ui.waitFor(d -> ui.text("number-row-4010").contains("1001") && ui.text("number-row-4010").contains("loopback"));
        ui.click("number-new");
        ui.type("number-form-number", "4001");
        ui.click("number-save");
        ui.waitText("number-form-destination-error", ui.en("validation.required"));
        new Select(ui.el("number-form-trunk")).selectByVisibleText("carrier-b");
        new Select(ui.el("number-form-destination")).selectByValue("1002");
        ui.type("number-form-description", "Sales line");
        ui.click("number-save");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("number-dialog")));
        ui.waitFor(d -> ui.text("number-row-4001").contains("1002"));
        assertThat(ui.text("number-row-4001")).contains("carrier-b", "Sales line", ui.en("numbers.destType.extension"));
        assertThat(find(ui.fetchList("/api/v1/numbers"), "number", "4001")).containsEntry("destination", "1002");
        ui.screenshot("tel-numbers-en");

        // ---- outbound routes: a PIN-protected route, listed before "outside" by its priority
        ui.click("nav-routes");
        ui.waitText("page-title", ui.en("routes.title"));
        ui.el("route-row-outside");
        ui.click("route-new");
        ui.type("route-form-name", "intl");
        ui.type("route-form-prefix", "00");
        new Select(ui.el("route-form-trunk")).selectByVisibleText("carrier-b");
        ui.type("route-form-caller-id", "02150000000");
        ui.type("route-form-priority", "10");
        ui.type("route-form-pin", "12");
        ui.click("route-save");
        ui.waitText("route-form-pin-error", ui.en("validation.pin"));
        ui.type("route-form-pin", "4321");
        ui.click("route-save");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("route-dialog")));
        ui.waitText("route-pin-intl", ui.en("routes.hasPin"));
        assertThat(ui.text("route-row-intl")).contains("00", "carrier-b", "02150000000");
        String routes = ui.text("routes-table");
        assertThat(routes.indexOf("intl")).as("matching order").isLessThan(routes.indexOf("outside"));
        Map<String, Object> route = find(ui.fetchList("/api/v1/outbound-routes"), "name", "intl");
        assertThat(route).containsEntry("hasPin", true).doesNotContainKey("pin");
        ui.screenshot("tel-routes-en");
        // Editing keeps the PIN unless asked to remove it.
        ui.click("route-edit-intl");
        ui.waitFor(d -> ui.text("route-dialog").contains(ui.en("routes.pinKeep")));
        ui.type("route-form-priority", "20");
        ui.click("route-save");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("route-dialog")));
        ui.waitFor(d -> ((Number) find(ui.fetchList("/api/v1/outbound-routes"), "name", "intl").get("priority")).intValue() == 20);
        assertThat(find(ui.fetchList("/api/v1/outbound-routes"), "name", "intl")).containsEntry("hasPin", true);
        ui.click("route-edit-intl");
        ui.click("route-form-remove-pin");
        assertThat(ui.el("route-form-pin").isEnabled()).isFalse();
        ui.screenshot("tel-route-edit-en");
        ui.click("route-save");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("route-dialog")));
        ui.waitFor(d -> d.findElements(tid("route-pin-intl")).isEmpty());
        assertThat(find(ui.fetchList("/api/v1/outbound-routes"), "name", "intl")).containsEntry("hasPin", false);

        // ---- blacklist: a prefix entry, and a duplicate is refused beside the field
        ui.click("nav-blacklist");
        ui.waitText("page-title", ui.en("blacklist.title"));
        ui.click("blacklist-new");
        assertThat(ui.text("blacklist-dialog")).contains(ui.en("blacklist.numberHint"));
        ui.type("blacklist-form-number", "1390000*");
        ui.type("blacklist-form-note", "spam calls");
        ui.click("blacklist-save");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("blacklist-dialog")));
        ui.waitFor(d -> ui.text("blacklist-row-1390000*").contains("spam calls"));
        assertThat(ui.text("blacklist-row-1390000*")).contains(ui.en("blacklist.prefix"));
        ui.click("blacklist-new");
        ui.type("blacklist-form-number", "1390000*");
        ui.click("blacklist-save");
        ui.waitText("blacklist-form-number-error", ui.en("validation.alreadyBlocked"));
        ui.type("blacklist-form-number", "12ab");
        ui.click("blacklist-save");
        ui.waitText("blacklist-form-number-error", ui.en("validation.blacklistNumber"));
        ui.screenshot("tel-blacklist-form-en");
        ui.driver().findElement(By.cssSelector("[data-testid='blacklist-dialog'] .icon-btn")).click();
        ui.screenshot("tel-blacklist-en");

        // ---- extensions: registration status and outbound permission
        ui.click("nav-extensions");
        ui.waitFor(d -> ui.text("extension-reg-1001").equals(ui.en("extensions.reg.unregistered")));
        assertThat(ui.text("extension-outbound-1002")).isEqualTo(ui.en("extensions.outboundYes"));
        ui.click("extension-edit-1002");
        assertThat(ui.el("extension-form-outbound").isSelected()).isTrue();
        ui.click("extension-form-outbound");
        ui.click("extension-save");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("extension-dialog")));
        ui.waitText("extension-outbound-1002", ui.en("extensions.outboundNo"));
        assertThat(find(ui.fetchList("/api/v1/extensions"), "number", "1002")).containsEntry("outboundAllowed", false);
        // A phone registers 1003 (password set in the form): the column shows where it is and until when.
        ui.click("extension-edit-1003");
        ui.type("extension-form-password", "phone-1003-pw");
        ui.click("extension-save");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("extension-dialog")));
        int phonePort = register("1003", "phone-1003-pw");
        ui.click("extensions-refresh");
        ui.waitFor(d -> ui.text("extension-reg-1003").contains(ui.en("extensions.reg.registered")));
        assertThat(ui.text("extension-reg-1003")).contains("127.0.0.1:" + phonePort, "UDP", "hotline-browser-test");
        assertThat(ui.text("extension-reg-1001")).isEqualTo(ui.en("extensions.reg.unregistered"));
        ui.screenshot("tel-extensions-en");

        // ---- call records: a blacklisted caller on the loopback trunk leaves a "blocked" record
        assertThat(blockedCall("13900001234")).isEqualTo(603);
        ui.click("nav-calls");
        ui.waitText("page-title", ui.en("calls.title"));
        ui.waitFor(d -> ui.text("calls-table").contains("13900001234"));
        WebElement row = ui.driver().findElement(By.xpath("//tr[starts-with(@data-testid,'call-row-')][contains(., '13900001234')]"));
        assertThat(row.getText()).contains("4000", ui.en("calls.outcome.blocked"), ui.en("calls.hangupBy.system"), ui.en("calls.direction.inbound"));
        ui.screenshot("tel-calls-en");
        ui.click(row);
        ui.el("call-detail");
        ui.waitFor(d -> !d.findElements(tid("call-event-blocked")).isEmpty());
        assertThat(ui.text("call-events")).contains(ui.en("calls.event.arrived"), ui.en("calls.event.blocked"), "rule=1390000*");
        ui.screenshot("tel-call-detail-en");
        ui.click("call-detail-close");

        // Filters: another outcome shows the empty state; the number filter finds the call. (Other tests of the class
        // leave answered calls of other numbers.)
        ui.type("calls-number", "13900001234");
        new Select(ui.el("calls-outcome")).selectByValue("answered");
        ui.waitText("calls-empty", ui.en("common.noData"));
        new Select(ui.el("calls-outcome")).selectByValue("");
        ui.type("calls-number", "13900001234");
        ui.click("calls-search");
        ui.waitFor(d -> ui.text("calls-range").equals(ui.en("common.range").replace("{first}", "1").replace("{last}", "1").replace("{total}", "1")));

        // The same pages in Chinese.
        ui.click("lang-zh");
        ui.waitText("page-title", ui.zh("calls.title"));
        ui.waitFor(d -> ui.text("calls-table").contains(ui.zh("calls.outcome.blocked")));
        ui.screenshot("tel-calls-zh");
        for (String page : List.of("trunks", "numbers", "routes", "blacklist", "extensions")) {
            ui.click("nav-" + page);
            ui.waitText("page-title", ui.zh(page + ".title"));
            ui.waitFor(d -> !ui.text(page + "-table").contains(ui.zh("common.noData")) && ui.text(page + "-table").lines().count() > 1);
            ui.screenshot("tel-" + page + "-zh");
        }
        ui.click("nav-trunks");
        ui.click("trunk-edit-carrier-b");
        ui.el("trunk-form-secret");
        assertThat(ui.el("trunk-form-secret").getAttribute("value")).isEmpty();
        assertThat(ui.text("trunk-dialog")).contains(ui.zh("trunks.secretKeep"));
        ui.screenshot("tel-trunk-form-zh");
    }

    /**
     * Issue 14: the call records say how each call ended for the business (answered by an agent, voicemail, IVR only,
     * abandoned in the IVR / the queue / while ringing, unanswered) with the queue, the agent (name, job number,
     * extension), the wait, hold and transfer marks and the IVR path; filters on disposition, agent, queue and
     * direction; in English and Chinese. One record of each disposition is written into the store.
     */
    @Test
    void callRecordsSayHowEachCallEndedWithQueueAgentWaitAndMarks() {
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.el("page-title");
        ui.click("lang-en");
        ui.waitText("page-title", ui.en("users.title"));
        Map<String, Object> agent = ui.fetchList("/api/v1/users?q=agent1").get(0);
        long agentId = ((Number) agent.get("id")).longValue();
        Instant at = Instant.now().minusSeconds(3600);
        String path = "main: welcome [1] | main: to_sales";
        CallRecordFixture.insert(ui.server().hotline().config(), "demo",
                CallRecordFixture.inbound("fx-answered", "13600000001", at, Outcome.ANSWERED, Disposition.ANSWERED, "sales", agentId, "8001",
                        12_000L, "answered", path, 2, 35, 1),
                CallRecordFixture.inbound("fx-voicemail", "13600000002", at.plusSeconds(1), Outcome.ANSWERED, Disposition.VOICEMAIL, null, null,
                        null, null, null, "main: closed | main: night_vm", 0, 0, 0),
                CallRecordFixture.inbound("fx-ivr-only", "13600000003", at.plusSeconds(2), Outcome.ANSWERED, Disposition.IVR_ONLY, null, null,
                        null, null, null, "main: welcome [9] | main: bye", 0, 0, 0),
                CallRecordFixture.inbound("fx-abandoned-ivr", "13600000004", at.plusSeconds(3), Outcome.ANSWERED, Disposition.ABANDONED_IVR,
                        null, null, null, null, null, "main: welcome", 0, 0, 0),
                CallRecordFixture.inbound("fx-abandoned-queue", "13600000005", at.plusSeconds(4), Outcome.ANSWERED, Disposition.ABANDONED_QUEUE,
                        "support", null, null, 21_000L, "abandoned", path, 0, 0, 0),
                CallRecordFixture.inbound("fx-abandoned-ringing", "13600000006", at.plusSeconds(5), Outcome.ANSWERED,
                        Disposition.ABANDONED_RINGING, "sales", null, null, 8_000L, "abandoned", path, 0, 0, 0),
                CallRecordFixture.inbound("fx-unanswered", "13600000007", at.plusSeconds(6), Outcome.BUSY, Disposition.UNANSWERED, null, null,
                        null, null, null, null, 0, 0, 0));
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("fx-answered", "calls.disposition.answeredAgent");
        expected.put("fx-voicemail", "calls.disposition.voicemail");
        expected.put("fx-ivr-only", "calls.disposition.ivr_only");
        expected.put("fx-abandoned-ivr", "calls.disposition.abandoned_ivr");
        expected.put("fx-abandoned-queue", "calls.disposition.abandoned_queue");
        expected.put("fx-abandoned-ringing", "calls.disposition.abandoned_ringing");
        expected.put("fx-unanswered", "calls.disposition.unanswered");

        ui.click("nav-calls");
        ui.waitText("page-title", ui.en("calls.title"));
        ui.waitFor(d -> ui.text("calls-table").contains("13600000007"));
        java.util.Set<String> labels = new java.util.HashSet<>();
        expected.forEach((id, key) -> {
            String shown = ui.driver().findElement(By.cssSelector("[data-testid='call-row-" + id + "'] [data-testid='call-disposition']")).getText().strip();
            assertThat(shown).as(id).isEqualTo(ui.en(key));
            labels.add(shown);
        });
        assertThat(labels).as("every disposition reads differently").hasSize(expected.size());
        String answered = ui.text("call-row-fx-answered");
        assertThat(answered).contains("sales", "李娜 Li Na", ui.en("calls.jobNumber").replace("{job}", "8001"),
                ui.en("calls.extensionOf").replace("{ext}", "1001"), "0:12", "1:33",
                ui.en("calls.holdShort").replace("{count}", "2"), ui.en("calls.transferShort").replace("{count}", "1"));
        assertThat(ui.driver().findElement(By.cssSelector("[data-testid='call-row-fx-answered'] .call-outcome")).getAttribute("title")).contains(path);
        assertThat(ui.text("call-row-fx-unanswered")).contains(ui.en("calls.outcome.busy"));
        assertThat(ui.text("call-row-fx-abandoned-queue")).contains("support", "0:21");
        ui.screenshot("tel-calls-dispositions-en");

        // The detail shows the agent, the queue's result and the whole IVR path.
        ui.click("call-row-fx-answered");
        ui.el("call-detail");
        assertThat(ui.text("call-detail-ivr-path")).isEqualTo(path);
        assertThat(ui.text("call-detail-agent")).contains("李娜 Li Na", "8001", "1001");
        ui.screenshot("tel-call-detail-disposition-en");
        ui.click("call-detail-close");

        // Filters: the disposition, the agent, the queue, the direction.
        new Select(ui.el("calls-disposition")).selectByValue("abandoned_queue");
        ui.waitFor(d -> !ui.text("calls-table").contains("13600000001"));
        assertThat(ui.text("calls-table")).contains("13600000005");
        new Select(ui.el("calls-disposition")).selectByValue("");
        new Select(ui.el("calls-agent")).selectByValue(String.valueOf(agentId));
        ui.waitFor(d -> !ui.text("calls-table").contains("13600000005"));
        assertThat(ui.text("calls-table")).contains("13600000001");
        new Select(ui.el("calls-agent")).selectByValue("");
        new Select(ui.el("calls-queue")).selectByValue("support");
        ui.waitFor(d -> !ui.text("calls-table").contains("13600000001"));
        assertThat(ui.text("calls-table")).contains("13600000005");
        new Select(ui.el("calls-queue")).selectByValue("");
        new Select(ui.el("calls-direction")).selectByValue("outbound");
        ui.waitFor(d -> !ui.text("calls-table").contains("13600000001"));
        new Select(ui.el("calls-direction")).selectByValue("inbound");
        ui.waitFor(d -> ui.text("calls-table").contains("13600000001"));

        // The same in Chinese.
        ui.click("lang-zh");
        ui.waitText("page-title", ui.zh("calls.title"));
        ui.waitFor(d -> ui.text("call-row-fx-abandoned-ringing").contains(ui.zh("calls.disposition.abandoned_ringing")));
        expected.forEach((id, key) -> assertThat(ui.driver().findElement(
                By.cssSelector("[data-testid='call-row-" + id + "'] [data-testid='call-disposition']")).getText().strip()).as(id).isEqualTo(ui.zh(key)));
        assertThat(ui.text("call-row-fx-answered")).contains(ui.zh("calls.jobNumber").replace("{job}", "8001"),
                ui.zh("calls.extensionOf").replace("{ext}", "1001"));
        ui.screenshot("tel-calls-dispositions-zh");
        ui.click("lang-en");
    }

    @Test
    void adminSetsAnExtensionsCallFeaturesAndSeesTheParkedCalls() {
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.el("page-title");
        ui.click("lang-en");
        ui.waitText("page-title", ui.en("users.title"));
        ui.click("nav-extensions");
        ui.waitFor(d -> ui.text("parked-calls").contains(ui.en("extensions.parked.title")));
        ui.el("parked-empty");
        ui.click("extension-features-1002");
        ui.el("extension-features-dialog");
        // PBX-4: the phone's codes, three-party (*3) and the pickups of offers among them
        assertThat(ui.text("feat-codes")).isEqualTo(ui.en("extensions.features.codes")).contains("then key *3", "**<ext>", "*8");
        assertThat(ui.el("feat-callWaiting").isSelected()).isTrue();
        ui.type("feat-forwardBusy", "12ab");
        ui.click("feat-save");
        ui.waitFor(d -> !ui.text("feat-error-forwardBusy").isBlank());
        ui.type("feat-forwardBusy", "1003");
        ui.type("feat-forwardNoAnswer", "013800138000");
        ui.type("feat-noAnswerSeconds", "15");
        ui.click("feat-dnd");
        ui.click("feat-callWaiting");
        ui.click("feat-save");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("extension-features-dialog")));
        Object id = find(ui.fetchList("/api/v1/extensions"), "number", "1002").get("id");
        Map<String, Object> f = ui.fetchJson("/api/v1/extensions/" + id + "/features");
        assertThat(f).containsEntry("forwardBusy", "1003").containsEntry("forwardNoAnswer", "013800138000").containsEntry("noAnswerSeconds", 15L)
                .containsEntry("dnd", true).containsEntry("callWaiting", false);
        // the dialog shows what is stored; emptying a forward switches it off
        ui.click("extension-features-1002");
        assertThat(ui.el("feat-forwardBusy").getAttribute("value")).isEqualTo("1003");
        assertThat(ui.el("feat-dnd").isSelected()).isTrue();
        ui.el("feat-forwardBusy").sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE); // as a person empties it (input events)
        ui.click("feat-dnd");
        ui.click("feat-callWaiting");
        ui.screenshot("tel-extension-features-en");
        ui.click("feat-save");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("extension-features-dialog")));
        f = ui.fetchJson("/api/v1/extensions/" + id + "/features");
        assertThat(f.get("forwardBusy")).isNull();
        assertThat(f).containsEntry("forwardNoAnswer", "013800138000").containsEntry("dnd", false).containsEntry("callWaiting", true);

        // PBX-4 park timeout: out-of-range seconds and an unknown extension are named at their fields; then saved.
        ui.type("park-timeout", "3");
        ui.click("park-save");
        ui.waitFor(d -> !ui.text("park-timeout-error").isBlank());
        ui.type("park-timeout", "45");
        new org.openqa.selenium.support.ui.Select(ui.el("park-type")).selectByValue("extension");
        ui.type("park-destination", "9999");
        ui.click("park-save");
        ui.waitFor(d -> !ui.text("park-destination-error").isBlank());
        ui.type("park-destination", "1003");
        ui.click("park-save");
        ui.waitFor(d -> Long.valueOf(45).equals(ui.fetchJson("/api/v1/park-settings").get("timeoutSeconds")));
        assertThat(ui.fetchJson("/api/v1/park-settings")).containsEntry("destinationType", "extension").containsEntry("destination", "1003");
        ui.screenshot("tel-park-timeout-en");
        ui.type("park-timeout", "0");
        new org.openqa.selenium.support.ui.Select(ui.el("park-type")).selectByValue("");
        ui.click("park-save");
        ui.waitFor(d -> Long.valueOf(0).equals(ui.fetchJson("/api/v1/park-settings").get("timeoutSeconds")));
    }

    @Test
    void adminKeepsTheCallbackList() {
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.el("page-title");
        ui.click("lang-en"); // the admin's language is remembered: another test may have left it in Chinese
        ui.waitText("page-title", ui.en("users.title"));
        ui.click("nav-callbacks");
        ui.waitText("page-title", ui.en("callbacks.title"));
        ui.waitFor(d -> ui.text("callbacks-table").contains(ui.en("callbacks.empty")));
        ui.click("callback-new");
        ui.type("callback-form-number", "1380*");
        ui.type("callback-form-delay", "9999");
        ui.click("callback-save");
        ui.waitFor(d -> !ui.text("callback-form-delay-error").isBlank());
        ui.type("callback-form-delay", "15");
        ui.type("callback-form-note", "prepaid line");
        ui.click("callback-save");
        ui.waitFor(d -> ui.text("callbacks-table").contains("1380*"));
        assertThat(ui.text("callback-row-1380*")).contains(ui.en("callbacks.after").replace("{n}", "15"), "prepaid line");
        assertThat(find(ui.fetchList("/api/v1/callback-list"), "number", "1380*")).containsEntry("delaySeconds", 15L);
        ui.screenshot("tel-callbacks-en");
        ui.click("callback-delete-1380*");
        ui.click("confirm-ok");
        ui.waitFor(d -> ui.text("callbacks-table").contains(ui.en("callbacks.empty")));
    }

    @Test
    void adminBuildsARingGroupAndPointsANumberToIt() {
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.el("page-title");
        ui.click("lang-en"); // the admin's language is remembered: another test may have left it in Chinese
        ui.waitText("page-title", ui.en("users.title"));
        ui.click("nav-ringgroups");
        ui.waitText("page-title", ui.en("ringgroups.title"));
        ui.waitFor(d -> !ui.driver().findElements(tid("ringgroups-empty")).isEmpty());
        ui.click("ringgroup-new");
        ui.type("ringgroup-form-name", "front-desk");
        ui.click("ringgroup-save");
        ui.waitFor(d -> !ui.text("ringgroup-form-members-error").isBlank()); // no members yet
        new Select(ui.el("ringgroup-form-strategy")).selectByValue("linear");
        ui.type("ringgroup-form-ring", "15");
        ui.type("ringgroup-form-number", "653");
        new Select(ui.el("ringgroup-form-pick")).selectByValue("1002");
        ui.click("ringgroup-form-add");
        new Select(ui.el("ringgroup-form-pick")).selectByValue("1001");
        ui.click("ringgroup-form-add");
        ui.click("ringgroup-member-up-1001");
        new Select(ui.el("ringgroup-form-fail-type")).selectByValue("voicemail");
        new Select(ui.el("ringgroup-form-fail-value")).selectByValue("extension:1003");
        ui.screenshot("tel-ringgroup-dialog-en");
        ui.click("ringgroup-save");
        ui.waitFor(d -> !ui.driver().findElements(tid("ringgroup-row-front-desk")).isEmpty());
        assertThat(ui.text("ringgroup-members-front-desk")).contains("1001 → 1002");
        assertThat(ui.text("ringgroup-strategy-front-desk")).contains(ui.en("ringgroups.strategy.linear"));
        Map<String, Object> saved = find(ui.fetchList("/api/v1/ring-groups"), "name", "front-desk");
        assertThat(saved).containsEntry("strategy", "linear").containsEntry("ringSeconds", 15L).containsEntry("number", "653");
        assertThat(saved.get("members")).isEqualTo(List.of("1001", "1002"));
        assertThat(saved.get("fail")).isEqualTo(Map.of("type", "voicemail", "value", "extension:1003"));
        ui.screenshot("tel-ringgroups-en");

        // A number (DID) pointing to the group.
        ui.click("nav-numbers");
        ui.waitText("page-title", ui.en("numbers.title"));
        ui.click("number-new");
        ui.type("number-form-number", "4881");
        new Select(ui.el("number-form-desttype")).selectByValue("ringgroup");
        ui.waitFor(d -> new Select(ui.el("number-form-destination")).getOptions().stream().anyMatch(o -> "front-desk".equals(o.getAttribute("value"))));
        new Select(ui.el("number-form-destination")).selectByValue("front-desk");
        ui.click("number-save");
        ui.waitFor(d -> !ui.driver().findElements(tid("number-desttype-4881")).isEmpty());
        assertThat(ui.text("number-desttype-4881")).isEqualTo(ui.en("numbers.destType.ringgroup"));
        assertThat(find(ui.fetchList("/api/v1/numbers"), "number", "4881")).containsEntry("destinationType", "ringgroup")
                .containsEntry("destination", "front-desk");
    }

    /** PBX-2: the enterprise-wide channel limit (all trunks, both directions) is set on the trunks page; a bad value is named. */
    @Test
    void adminSetsTheEnterpriseWideChannelLimitOnTheTrunksPage() {
        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitText("page-title", ui.en("users.title"));
        ui.click("nav-trunks");
        ui.waitText("page-title", ui.en("trunks.title"));
        ui.waitText("enterprise-max-channels-now", ui.en("trunks.unlimited"));
        assertThat(ui.el("enterprise-max-channels").getAttribute("value")).isEqualTo("0");
        ui.type("enterprise-max-channels", "100001");
        ui.click("enterprise-max-channels-save");
        ui.waitFor(d -> ui.text("enterprise-max-channels-error").contains("100000"));
        assertThat(((Number) ui.fetchJson("/api/v1/trunk-settings").get("maxChannels")).intValue()).isZero();
        ui.type("enterprise-max-channels", "7");
        ui.click("enterprise-max-channels-save");
        ui.waitText("enterprise-max-channels-now", ui.en("trunks.limitNow").replace("{n}", "7"));
        assertThat(((Number) ui.fetchJson("/api/v1/trunk-settings").get("maxChannels")).intValue()).isEqualTo(7);
        ui.screenshot("tel-trunks-enterprise-limit-en");
        // Shown again after a reload; then back to none for the other tests of the class.
        ui.driver().navigate().refresh();
        ui.waitFor(d -> "7".equals(ui.el("enterprise-max-channels").getAttribute("value")));
        ui.type("enterprise-max-channels", "0");
        ui.click("enterprise-max-channels-save");
        ui.waitText("enterprise-max-channels-now", ui.en("trunks.unlimited"));
        assertThat(((Number) ui.fetchJson("/api/v1/trunk-settings").get("maxChannels")).intValue()).isZero();
    }

    @Test
    void supervisorSeesTelephonyPagesWithoutEditing() {
        ui.click("lang-zh");
        ui.loginSupervisorToConsole();
        ui.waitText("page-title", ui.zh("users.title"));

        ui.click("nav-trunks");
        ui.waitText("page-title", ui.zh("trunks.title"));
        ui.el("trunk-row-loopback");
        assertThat(ui.driver().findElements(tid("trunk-new"))).as("read-only: no new-trunk button").isEmpty();
        assertThat(ui.driver().findElements(tid("trunk-edit-loopback"))).isEmpty();
        assertThat(ui.driver().findElements(tid("trunk-delete-loopback"))).isEmpty();
        assertThat(ui.driver().findElements(tid("enterprise-max-channels-save"))).as("read-only: no saving the channel limit").isEmpty();
        assertThat(ui.el("enterprise-max-channels").isEnabled()).isFalse();
        ui.screenshot("tel-trunks-readonly-zh");

        ui.click("nav-numbers");
        ui.waitFor(d -> ui.text("number-row-4010").contains("1001"));
        assertThat(ui.driver().findElements(tid("number-new"))).isEmpty();
        assertThat(ui.driver().findElements(tid("number-edit-4000"))).isEmpty();

        ui.click("nav-routes");
        ui.el("route-row-outside");
        assertThat(ui.driver().findElements(tid("route-new"))).isEmpty();
        assertThat(ui.driver().findElements(tid("route-edit-outside"))).isEmpty();
        ui.screenshot("tel-routes-readonly-zh");

        ui.click("nav-blacklist");
        ui.waitText("page-title", ui.zh("blacklist.title"));
        ui.waitFor(d -> !ui.text("blacklist-table").contains(ui.zh("common.loading")));
        assertThat(ui.driver().findElements(tid("blacklist-new"))).isEmpty();
        assertThat(ui.driver().findElements(By.cssSelector("[data-testid^='blacklist-delete-']"))).isEmpty();

        ui.click("nav-extensions");
        ui.waitFor(d -> ui.text("extension-reg-1001").equals(ui.zh("extensions.reg.unregistered")));
        assertThat(ui.driver().findElements(tid("extension-new"))).isEmpty();

        // Call records: rows or the empty state, never an error.
        ui.click("nav-calls");
        ui.waitText("page-title", ui.zh("calls.title"));
        ui.waitFor(d -> !d.findElements(tid("calls-empty")).isEmpty()
                || !d.findElements(By.cssSelector("[data-testid^='call-row-']")).isEmpty());
        assertThat(ui.driver().findElements(tid("calls-error"))).isEmpty();
        ui.screenshot("tel-calls-supervisor-zh");
    }

    // ---------- a SIP caller ----------

    /**
     * Sends an INVITE from {@code caller} to DID 4000 over UDP from 127.0.0.1 (the demo trunk
     * {@code loopback}), acknowledges the final answer and returns its status.
     */
    private static int blockedCall(String caller) throws IOException {
        int sipPort = ui.server().hotline().engine().sipPort();
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            socket.setSoTimeout(5000);
            int me = socket.getLocalPort();
            String branch = "z9hG4bK" + UUID.randomUUID().toString().replace("-", "");
            String callId = UUID.randomUUID() + "@127.0.0.1";
            String from = "<sip:" + caller + "@127.0.0.1>;tag=" + Long.toHexString(System.nanoTime());
            String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=audio " + (me + 2) + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
            String invite = "INVITE sip:4000@127.0.0.1:" + sipPort + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + me + ";branch=" + branch + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: " + from + "\r\n"
                    + "To: <sip:4000@127.0.0.1>\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: 1 INVITE\r\n"
                    + "Contact: <sip:" + caller + "@127.0.0.1:" + me + ">\r\n"
                    + "Content-Type: application/sdp\r\n"
                    + "Content-Length: " + sdp.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + sdp;
            send(socket, invite, lo, sipPort);
            long deadline = System.nanoTime() + ConsoleDriver.DEADLINE.toNanos();
            byte[] buf = new byte[65535];
            while (System.nanoTime() < deadline) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                String msg = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                Matcher status = Pattern.compile("^SIP/2\\.0 (\\d{3})").matcher(msg);
                if (!status.find()) continue;
                int code = Integer.parseInt(status.group(1));
                if (code < 200) continue;
                Matcher to = Pattern.compile("(?im)^(?:To|t):\\s*(.+)$").matcher(msg);
                String toHeader = to.find() ? to.group(1).strip() : "<sip:4000@127.0.0.1>";
                String ack = "ACK sip:4000@127.0.0.1:" + sipPort + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + me + ";branch=" + branch + ";rport\r\n"
                        + "Max-Forwards: 70\r\n"
                        + "From: " + from + "\r\n"
                        + "To: " + toHeader + "\r\n"
                        + "Call-ID: " + callId + "\r\n"
                        + "CSeq: 1 ACK\r\n"
                        + "Content-Length: 0\r\n\r\n";
                send(socket, ack, lo, sipPort);
                return code;
            }
            throw new AssertionError("no final answer to the INVITE from " + caller);
        }
    }

    /** Registers {@code ext} over UDP from 127.0.0.1 with digest auth (RFC 2617); returns the phone's port. */
    private static int register(String ext, String password) throws IOException {
        int sipPort = ui.server().hotline().engine().sipPort();
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            socket.setSoTimeout(5000);
            int me = socket.getLocalPort();
            String callId = UUID.randomUUID() + "@127.0.0.1";
            String tag = Long.toHexString(System.nanoTime());
            String uri = "sip:127.0.0.1:" + sipPort;
            String authorization = null;
            for (int cseq = 1; cseq <= 2; cseq++) {
                String msg = "REGISTER " + uri + " SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + me + ";branch=z9hG4bK" + UUID.randomUUID().toString().replace("-", "") + ";rport\r\n"
                        + "Max-Forwards: 70\r\n"
                        + "From: <sip:" + ext + "@127.0.0.1>;tag=" + tag + "\r\n"
                        + "To: <sip:" + ext + "@127.0.0.1>\r\n"
                        + "Call-ID: " + callId + "\r\n"
                        + "CSeq: " + cseq + " REGISTER\r\n"
                        + "Contact: <sip:" + ext + "@127.0.0.1:" + me + ">\r\n"
                        + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                        + "Expires: 600\r\n"
                        + "User-Agent: hotline-browser-test\r\n"
                        + "Content-Length: 0\r\n\r\n";
                send(socket, msg, lo, sipPort);
                String answer = finalAnswer(socket);
                int code = Integer.parseInt(answer.substring(8, 11));
                if (code == 200) return me;
                Matcher challenge = Pattern.compile("(?im)^WWW-Authenticate:\\s*Digest\\s+(.+)$").matcher(answer);
                if (code != 401 || authorization != null || !challenge.find()) throw new AssertionError("REGISTER answered " + answer);
                String realm = param(challenge.group(1), "realm");
                String nonce = param(challenge.group(1), "nonce");
                String qop = param(challenge.group(1), "qop");
                String ha1 = md5(ext + ":" + realm + ":" + password);
                String ha2 = md5("REGISTER:" + uri);
                if (qop != null && qop.contains("auth")) {
                    String cnonce = Long.toHexString(System.nanoTime());
                    String response = md5(ha1 + ":" + nonce + ":00000001:" + cnonce + ":auth:" + ha2);
                    authorization = "Digest username=\"" + ext + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                            + "\", response=\"" + response + "\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"" + cnonce + "\"";
                } else {
                    String response = md5(ha1 + ":" + nonce + ":" + ha2);
                    authorization = "Digest username=\"" + ext + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                            + "\", response=\"" + response + "\", algorithm=MD5";
                }
            }
            throw new AssertionError("REGISTER of " + ext + " not accepted");
        }
    }

    /** The next final (non-1xx) SIP response on the socket. */
    private static String finalAnswer(DatagramSocket socket) throws IOException {
        long deadline = System.nanoTime() + ConsoleDriver.DEADLINE.toNanos();
        byte[] buf = new byte[65535];
        while (System.nanoTime() < deadline) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.receive(p);
            String msg = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
            if (msg.startsWith("SIP/2.0 ") && msg.charAt(8) != '1') return msg;
        }
        throw new AssertionError("no final SIP answer");
    }

    private static String param(String header, String name) {
        Matcher m = Pattern.compile("(?i)\\b" + name + "=(?:\"([^\"]*)\"|([^,\\s]+))").matcher(header);
        return m.find() ? (m.group(1) != null ? m.group(1) : m.group(2)) : null;
    }

    private static String md5(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(DatagramSocket socket, String message, InetAddress to, int port) throws IOException {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(b, b.length, to, port));
    }
}
