package dev.hotline.web;

import static dev.hotline.web.ConsoleDriver.find;
import static dev.hotline.web.ConsoleDriver.tid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The ACD pages in headless Chromium: an admin sets up a queue with its settings and a member, an
 * agent logs in on the desk and goes ready / not ready, and the supervisor's monitor shows it and
 * forces states. Screenshots go to {@code target/screenshots/acd-*.png}.
 */
class AcdPagesBrowserTest {
    @RegisterExtension
    static final ConsoleDriver ui = new ConsoleDriver();

    @Test
    void adminCreatesAQueueWithSettingsAndAMember() {
        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitText("page-title", ui.en("users.title"));
        ui.click("nav-queues");
        ui.waitFor(d -> ui.text("queues-table").contains("support"));
        // Destinations in words (issue 14): the demo queues overflow to their own voicemail box "queue:sales".
        assertThat(ui.text("queue-row-sales")).contains(ui.en("queues.dest.voicemail") + " · " + ui.en("destination.queue") + " sales")
                .doesNotContain("queue:sales");

        ui.click("queue-new");
        ui.el("queue-dialog");
        ui.type("queue-form-name", "vip_line");
        new Select(ui.el("queue-form-strategy")).selectByValue("longest_idle");
        assertThat(ui.text("queue-dialog")).contains(ui.en("strategyHint.longest_idle"));
        ui.click("queue-tab-ringing");
        ui.type("queue-form-ringTimeoutSeconds", "3");
        ui.type("queue-form-wrapUpSeconds", "20");
        ui.click("queue-form-agentAnnounce");
        ui.click("queue-tab-waiting");
        ui.type("queue-form-maxWaitSeconds", "300");
        new Select(ui.el("queue-form-voicemailKey")).selectByValue("9");
        new Select(ui.el("queue-form-callbackKey")).selectByValue("9");
        ui.click("queue-tab-overflow");
        new Select(ui.el("queue-form-overflow-type")).selectByValue("queue");
        ui.type("queue-form-overflow-value", "sales");
        ui.click("queue-tab-skills");
        ui.click("queue-skill-add");
        new Select(ui.el("queue-skill-name-0")).selectByValue("english");
        ui.type("queue-skill-level-0", "4");
        ui.click("queue-tab-vip");
        ui.type("queue-form-vipNumbers", "13900000000\n1380*");
        ui.type("queue-form-priorityAgingSeconds", "5000");

        // ACD-3 aging out of range: the section shown has an error, so the form stays on it.
        ui.click("queue-save");
        ui.waitText("queue-form-priorityAgingSeconds-error", ui.en("validation.range").replace("{min}", "0").replace("{max}", "3600"));
        ui.type("queue-form-priorityAgingSeconds", "30");
        // Errors on other sections: the form goes to the first section with one and marks the others.
        ui.click("queue-save");
        ui.waitText("queue-form-ringTimeoutSeconds-error", ui.en("validation.range").replace("{min}", "5").replace("{max}", "300"));
        ui.screenshot("acd-queue-form-errors-en");
        ui.type("queue-form-ringTimeoutSeconds", "30");
        ui.click("queue-tab-waiting");
        ui.waitText("queue-form-callbackKey-error", ui.en("validation.keysDiffer"));
        new Select(ui.el("queue-form-callbackKey")).selectByValue("*");
        ui.click("queue-save");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("queue-dialog")));
        ui.waitFor(d -> ui.text("queue-row-vip_line").contains("30 s"));
        assertThat(ui.text("queue-row-vip_line")).contains(ui.en("strategy.longest_idle"), ui.en("destination.queue") + " sales");

        Map<String, Object> q = find(ui.fetchList("/api/v1/queues"), "name", "vip_line");
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) q.get("settings");
        assertThat(s).containsEntry("ringTimeoutSeconds", 30L).containsEntry("wrapUpSeconds", 20L).containsEntry("maxWaitSeconds", 300L)
                .containsEntry("voicemailKey", "9").containsEntry("callbackKey", "*").containsEntry("agentAnnounce", true)
                .containsEntry("priorityAgingSeconds", 30L);
        assertThat(s.get("vipNumbers")).isEqualTo(List.of("13900000000", "1380*"));
        assertThat(s.get("skills").toString()).contains("english").contains("4");

        // Members: agent1 with penalty 3.
        ui.click("queue-members-vip_line");
        ui.el("queue-members-dialog");
        ui.waitFor(d -> ui.text("queue-members-table").contains(ui.en("common.noData")));
        ui.waitFor(d -> new Select(d.findElement(tid("member-add-user"))).getOptions().size() > 3);
        new Select(ui.el("member-add-user")).selectByVisibleText(
                new Select(ui.el("member-add-user")).getOptions().stream().map(o -> o.getText()).filter(t -> t.startsWith("agent1")).findFirst().orElseThrow());
        ui.type("member-add-penalty", "3");
        ui.click("member-add");
        ui.waitFor(d -> ui.text("member-row-agent1").contains("agent1"));
        assertThat(ui.el("member-penalty-agent1").getAttribute("value")).isEqualTo("3");
        ui.screenshot("acd-queue-members-en");
        ui.click("members-close");
        long queueId = ((Number) q.get("id")).longValue();
        assertThat(ui.fetchList("/api/v1/queues/" + queueId + "/members").get(0)).containsEntry("username", "agent1").containsEntry("penalty", 3L);

        // Skills and reason codes: a new skill, agent1's level in it, a new reason.
        ui.click("nav-skills");
        ui.waitText("page-title", ui.en("skills.title"));
        ui.waitFor(d -> ui.text("reasons-table").contains("break"));
        ui.type("skill-new-name", "japanese");
        ui.click("skill-add");
        ui.el("skill-row-japanese");
        ui.click("agent-skills-edit-agent1");
        ui.el("agent-skills-dialog");
        ui.type("agent-skill-japanese", "6");
        ui.click("agent-skills-save");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("agent-skills-dialog")));
        ui.waitFor(d -> ui.text("agent-skills-agent1").contains("japanese 6"));
        ui.type("reason-new-code", "coaching");
        ui.type("reason-new-name", "Coaching");
        ui.click("reason-add");
        ui.el("reason-row-coaching");
        ui.screenshot("acd-skills-en");
    }

    @Test
    void agentGoesReadyAndNotReadyAndTheSupervisorSeesAndForcesIt() {
        ui.click("lang-en");
        ui.login("demo", "agent2", ui.server().demoPassword());
        ui.waitFor(ExpectedConditions.urlContains("/agent.html"));
        ui.waitText("agent-state", ui.en("agentState.logged_out"));
        assertThat(ui.el("agent-btn-ready").isEnabled()).isFalse();
        // Issue 14: the browser phone by default; this agent picks the SIP phone of their extension.
        assertThat(new Select(ui.el("agent-device-kind")).getFirstSelectedOption().getAttribute("value")).isEqualTo("webrtc");
        new Select(ui.el("agent-device-kind")).selectByValue("sip");

        ui.click("agent-btn-checkIn");
        ui.waitText("agent-state", ui.en("agentState.not_ready"));
        ui.waitFor(d -> ui.text("agent-device").contains("1002"));
        ui.el("agent-timer");
        // Issue 14: extension 1002 is not registered, so it cannot ring: the desk says so and Ready stays off.
        ui.waitFor(d -> ui.text("desk-sip-unregistered").contains("1002"));
        assertThat(ui.el("agent-btn-ready").isEnabled()).isFalse();
        // The agent takes calls on their mobile instead (the demo routes every outside number).
        ui.click("agent-btn-checkOut");
        ui.waitText("agent-state", ui.en("agentState.logged_out"));
        new Select(ui.el("agent-device-kind")).selectByValue("external");
        ui.el("agent-device-number").sendKeys("13800004444");
        ui.click("agent-btn-checkIn");
        ui.waitFor(d -> ui.text("agent-device").contains("13800004444"));
        ui.click("agent-btn-ready");
        ui.waitText("agent-state", ui.en("agentState.ready"));
        new Select(ui.el("agent-reason-select")).selectByValue("meal");
        ui.click("agent-btn-notReady");
        ui.waitText("agent-state", ui.en("agentState.not_ready"));
        ui.waitText("agent-reason", "用餐 Meal");
        ui.screenshot("acd-agent-not-ready-en");
        ui.click("agent-btn-ready");
        ui.waitText("agent-state", ui.en("agentState.ready"));
        ui.screenshot("acd-agent-ready-en");

        // The supervisor (another session) sees agent2 ready, then forces not ready and logs them out.
        ui.driver().manage().deleteAllCookies();
        ui.open("/login.html");
        ui.login("demo", "lead", ui.server().demoPassword());
        ui.waitFor(d -> !d.getCurrentUrl().contains("/login.html"));
        long agent2 = ((Number) ui.fetchList("/api/v1/users?q=agent2").get(0).get("id")).longValue();
        ui.open("/supervisor.html");
        ui.el("supervisor-monitor");
        ui.waitText("agent-state-" + agent2, ui.en("agentState.ready"));
        ui.waitFor(d -> ui.text("live-queue-sales").contains(ui.en("agentState.ready") + " "));
        assertThat(ui.text("agent-row-" + agent2)).contains("8002", "13800004444");
        ui.screenshot("acd-supervisor-en");

        ui.click("force-not-ready-" + agent2);
        ui.el("force-dialog");
        new Select(ui.el("force-reason")).selectByValue("meeting");
        ui.click("force-confirm");
        ui.waitText("agent-state-" + agent2, ui.en("agentState.not_ready"));
        ui.waitText("agent-reason-" + agent2, "会议 Meeting");
        ui.click("force-ready-" + agent2);
        ui.waitText("agent-state-" + agent2, ui.en("agentState.ready"));
        ui.click("force-logout-" + agent2);
        ui.waitText("agent-state-" + agent2, ui.en("agentState.logged_out"));
        assertThat(ui.driver().findElements(tid("force-ready-" + agent2))).isEmpty();

        // In Chinese too.
        ui.click("lang-zh");
        ui.waitText("agent-state-" + agent2, ui.zh("agentState.logged_out"));
        ui.screenshot("acd-supervisor-zh");
    }
    /**
     * Issue 14: an agent whose phone cannot ring is shown so on the monitor, in both languages, and is not counted
     * as ready: agent3 went ready on a registered SIP phone that then unregistered (the ACD keeps them ready but
     * offers nothing), agent1 signed in on a phone that was never registered (not ready).
     */
    @Test
    void anAgentWhosePhoneCannotRingIsShownSoAndNotCountedAsReady(@TempDir Path work) throws Exception {
        String pw = ui.server().demoPassword();
        int sipPort = ui.server().hotline().engine().sipPort();
        SipPeers peers = new SipPeers(work, sipPort);
        int contact = Ports.free();
        peers.register("1003", pw, contact, "200");
        ApiClient agent3 = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "agent3", pw);
        ApiClient agent1 = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "agent1", pw);
        try {
            assertThat(agent3.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            var ready = agent3.put("/api/v1/agent/state", Map.of("state", "ready"));
            assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
            assertThat(ready.json().get("deviceReachable").asBoolean()).isTrue();
            assertThat(agent1.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            // The phone of extension 1003 unregisters (Expires: 0).
            SipPeers.ok(Sipp.start(work, "register", SipPeers.vars("", "EXPECT", "200", "EXPIRES", "0"), "127.0.0.1:" + sipPort, Ports.free(),
                    List.of("-s", "1003", "-au", "1003", "-ap", pw, "-set", "contactport", Integer.toString(contact))));
            assertThat(agent3.get("/api/v1/agent/state").json().get("deviceReachable").asBoolean()).isFalse();

            ui.click("lang-en");
            ui.login("demo", "lead", pw);
            ui.waitFor(ExpectedConditions.urlContains("/supervisor.html"));
            long id3 = ((Number) ui.fetchList("/api/v1/users?q=agent3").get(0).get("id")).longValue();
            long id1 = ((Number) ui.fetchList("/api/v1/users?q=agent1").get(0).get("id")).longValue();
            ui.el("supervisor-monitor");
            ui.click("lang-en"); // the lead's language is remembered per user: another test may have left Chinese
            ui.waitText("agent-unreachable-" + id3, ui.en("supervisor.unreachable.sip"));
            ui.waitText("agent-state-" + id3, ui.en("agentState.ready"));
            ui.waitText("agent-unreachable-" + id1, ui.en("supervisor.unreachable.sip"));
            ui.waitText("agent-state-" + id1, ui.en("agentState.not_ready"));
            // Not counted as ready, neither in the figures nor in the queues (all three agents are members of sales).
            ui.waitText("kpi-value-agentsReady", "0");
            ui.waitFor(d -> ui.text("live-queue-sales").contains(ui.en("supervisor.unreachableCount").replace("{n}", "1")));
            assertThat(ui.text("live-queue-sales")).doesNotContain(ui.en("agentState.ready") + " ");
            ui.screenshot("acd-supervisor-unreachable-en");

            ui.click("lang-zh");
            ui.waitText("agent-unreachable-" + id3, ui.zh("supervisor.unreachable.sip"));
            assertThat(ui.zh("supervisor.unreachable.sip")).isEqualTo("话机未注册");
            ui.waitFor(d -> ui.text("live-queue-sales").contains(ui.zh("supervisor.unreachableCount").replace("{n}", "1")));
            ui.screenshot("acd-supervisor-unreachable-zh");

            // Registered again, the agent counts as ready and the warning goes.
            peers.register("1003", pw, contact, "200");
            ui.waitFor(d -> d.findElements(tid("agent-unreachable-" + id3)).isEmpty());
            ui.waitText("kpi-value-agentsReady", "1");
            ui.click("lang-en");
        } finally {
            agent3.delete("/api/v1/agent/session");
            agent1.delete("/api/v1/agent/session");
        }
    }
}
