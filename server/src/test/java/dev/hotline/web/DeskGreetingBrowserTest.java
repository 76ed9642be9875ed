package dev.hotline.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MSG-1: an agent records their own voicemail greeting on the desk with the browser's microphone (Chromium's fake
 * device: MediaRecorder, decoded in the page and sent as a WAV), and it becomes their box's greeting.
 * (Uploading a file and a caller hearing it: {@code IvrPagesBrowserTest}.)
 */
class DeskGreetingBrowserTest {
    @RegisterExtension
    static final ConsoleDriver ui = new ConsoleDriver(true);

    @Test
    void anAgentRecordsTheirGreetingInTheBrowser() {
        ui.click("lang-en");
        ui.login("demo", "agent3", ui.server().demoPassword());
        ui.el("agent-voicemail");
        ui.waitText("agent-greeting-none", ui.en("agent.greeting.none"));
        ui.click("agent-greeting-record");
        // Recording for about two seconds: the stop button counts the time.
        ui.waitFor(d -> ui.text("agent-greeting-stop").endsWith("0:02"));
        ui.click("agent-greeting-stop");
        ui.waitFor(d -> !ui.driver().findElements(ConsoleDriver.tid("agent-greeting-own")).isEmpty());
        Map<String, Object> g = ui.fetchJson("/api/v1/voicemail/boxes/extension/1003/greeting");
        assertThat(((Number) g.get("durationMs")).longValue()).as("%s", g).isBetween(1200L, 4000L);
        ui.screenshot("desk-greeting-recorded-en");
        ui.click("agent-greeting-default");
        ui.click("confirm-ok");
        ui.waitText("agent-greeting-none", ui.en("agent.greeting.none"));
    }
}
