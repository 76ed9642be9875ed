package dev.hotline.web;

import static dev.hotline.web.ConsoleDriver.find;
import static dev.hotline.web.ConsoleDriver.tid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.tts.PromptKey;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The IVR pages of the console in headless Chromium against the whole server: the statistics tab
 * of a flow (IVR-5) after SIPp callers went through it, the voicemail inbox (MSG-1) and the agent
 * desktop's own box, the prompts page with upload, refusal, TTS preview and the welcome prompt of a
 * number (IVR-2/3). Screenshots go to {@code target/screenshots/ivr-*.png}.
 */
class IvrPagesBrowserTest {
    @TempDir
    Path work;

    @RegisterExtension
    static final ConsoleDriver ui = new ConsoleDriver();

    static ApiClient admin() {
        return ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
    }

    @Test
    void statisticsAndVoicemailAfterCallsThroughAFlow() throws Exception {
        ApiClient admin = admin();
        // A menu: 1 → voicemail of extension 1001 (agent1), 2 → voicemail of queue support.
        long flowId = admin.post("/api/v1/flows", Map.of("name", "ivr_ui", "description", "Voicemail menu")).json().get("id").asLong();
        var saved = admin.raw("PUT", "/api/v1/flows/" + flowId + "/draft", ("{'start':'menu_1','nodes':{"
                + "'menu_1':{'type':'menu','prompts':[{'prompt':'WELCOME'}],'options':{'1':'vm_ext','2':'vm_queue'},'timeoutSeconds':5,'retries':0,'fail':'bye'},"
                + "'vm_ext':{'type':'voicemail','boxType':'extension','box':'1001'},"
                + "'vm_queue':{'type':'voicemail','boxType':'queue','box':'support'},"
                + "'bye':{'type':'hangup'}}}").replace('\'', '"'), "application/json");
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        assertThat(saved.json().get("problems")).as(saved.toString()).isEmpty();
        assertThat(admin.post("/api/v1/flows/" + flowId + "/publish", null).status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4700", "destinationType", "flow", "destination", "ivr_ui")).status()).isEqualTo(201);

        // Two callers at once: one keys 1 and speaks to agent1's box, the other keys 2 for the support queue's box.
        SipPeers peers = new SipPeers(work, ui.server().hotline().engine().sipPort());
        Sipp.Run toExtension = peers.uac("uac_digits", "4700", SipPeers.vars("13600000001", "PAUSE", "1500", "AFTER", "7000", "DTMFACTIONS", dtmf('1')));
        Sipp.Run toQueue = peers.uac("uac_digits", "4700", SipPeers.vars("13600000002", "PAUSE", "1500", "AFTER", "7000", "DTMFACTIONS", dtmf('2')));
        SipPeers.ok(toExtension);
        SipPeers.ok(toQueue);
        JsonNode messages = await("two messages").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> admin.get("/api/v1/voicemail").json(), l -> l.size() >= 2);
        long extId = message(messages, "13600000001").get("id").asLong();
        long queueId = message(messages, "13600000002").get("id").asLong();
        assertThat(message(messages, "13600000001").get("box").asText()).isEqualTo("1001");

        // ---- statistics: the table and the charts of the flow's visits and keys
        english();
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitText("page-title", ui.en("users.title"));
        ui.click("nav-flows");
        ui.click("flow-open-ivr_ui");
        ui.el("flow-editor");
        ui.click("flow-tab-stats");
        ui.el("stats-table");
        ui.waitText("stats-visits-menu_1", "2");
        assertThat(ui.text("stats-visits-vm_ext")).isEqualTo("1");
        assertThat(ui.text("stats-visits-vm_queue")).isEqualTo("1");
        assertThat(ui.text("stats-key-menu_1-1")).isEqualTo("1 × 1");
        assertThat(ui.text("stats-key-menu_1-2")).isEqualTo("2 × 1");
        assertThat(ui.text("stats-calls")).isEqualTo("2");
        // ECharts drew both charts: one bar group per node, one bar per key of the menu.
        ui.waitFor(d -> Integer.parseInt(java.util.Objects.requireNonNullElse(ui.el("stats-chart-nodes").getAttribute("data-bars"), "0")) >= 3);
        assertThat(ui.el("stats-chart-nodes").findElements(By.tagName("canvas"))).isNotEmpty();
        ui.waitFor(d -> "2".equals(ui.el("stats-chart-keys").getAttribute("data-bars")));
        assertThat(ui.el("stats-chart-keys").findElements(By.tagName("canvas"))).isNotEmpty();
        assertThat(new Select(ui.el("stats-key-node")).getFirstSelectedOption().getAttribute("value")).isEqualTo("menu_1");
        // Editor buttons belong to the editor tab.
        assertThat(ui.driver().findElements(tid("flow-publish"))).isEmpty();
        ui.screenshot("ivr-stats-en");
        ui.click("lang-zh");
        ui.waitFor(d -> ui.text("stats-table").contains(ui.zh("flowStats.visits")));
        ui.screenshot("ivr-stats-zh");
        ui.click("flow-tab-editor");
        ui.el("flow-canvas");
        ui.click("lang-en");

        // ---- voicemail inbox: both messages, play, mark handled, filter, delete
        ui.click("nav-voicemail");
        ui.waitText("page-title", ui.en("voicemail.title"));
        ui.waitText("vm-caller-" + extId, "13600000001");
        assertThat(ui.text("vm-caller-" + queueId)).isEqualTo("13600000002");
        assertThat(ui.text("vm-box-" + queueId)).contains(ui.en("voicemail.boxType.queue"), "support");
        assertThat(ui.text("vm-box-" + extId)).contains(ui.en("voicemail.boxType.extension"), "1001");
        assertThat(ui.el("vm-audio-" + extId).getAttribute("preload")).isEqualTo("none");
        Map<String, Object> audio = fetchHead(ui.el("vm-audio-" + extId).getAttribute("src"));
        assertThat(audio.get("status")).isEqualTo(200L);
        assertThat((String) audio.get("type")).startsWith("audio/wav");
        assertThat((Long) audio.get("length")).isGreaterThan(1000L);
        assertThat(fetchHead(ui.el("vm-download-" + extId).getAttribute("href")).get("disposition").toString()).contains("attachment");
        ui.click("vm-handle-" + queueId);
        ui.waitFor(d -> ui.text("vm-status-" + queueId).contains(ui.en("voicemail.handled")));
        assertThat(ui.text("vm-status-" + queueId)).contains("admin");
        assertThat(find(ui.fetchList("/api/v1/voicemail"), "id", queueId).get("handledBy")).isEqualTo("admin");
        ui.screenshot("ivr-voicemail-en");
        new Select(ui.el("vm-filter-handled")).selectByValue("false");
        ui.click("vm-search");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("vm-row-" + queueId)));
        ui.el("vm-row-" + extId);
        new Select(ui.el("vm-filter-handled")).selectByValue("");
        ui.click("vm-search");
        ui.el("vm-row-" + queueId);
        ui.click("vm-unhandle-" + queueId);
        ui.waitFor(d -> ui.text("vm-status-" + queueId).contains(ui.en("voicemail.unhandled")));
        ui.click("vm-delete-" + queueId);
        ui.click("confirm-ok");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("vm-row-" + queueId)));
        assertThat(ui.fetchList("/api/v1/voicemail").stream().map(m -> ((Number) m.get("id")).longValue())).doesNotContain(queueId);
        ui.click("lang-zh");
        ui.waitText("page-title", ui.zh("voicemail.title"));
        ui.screenshot("ivr-voicemail-zh");
        ui.click("logout");

        // ---- the agent: the desktop's panel lists only their own box; the console is not theirs
        ui.el("login-submit");
        ui.login("demo", "agent1", ui.server().demoPassword());
        ui.el("agent-voicemail");
        ui.waitText("agent-vm-caller-" + extId, "13600000001");
        assertThat(ui.driver().findElements(tid("agent-vm-row-" + queueId))).isEmpty();
        assertThat(ui.driver().findElements(By.cssSelector("[data-testid^='agent-vm-row-']"))).hasSize(1);
        assertThat(fetchHead(ui.el("agent-vm-audio-" + extId).getAttribute("src")).get("status")).isEqualTo(200L);
        ui.click("agent-vm-handle-" + extId);
        ui.waitFor(d -> ui.text("agent-vm-status-" + extId).contains(ui.zh("voicemail.handled")));
        ui.screenshot("ivr-agent-voicemail-zh");
    }

    @Test
    void aBoxGreetingIsSetPlayedAndResetOnTheVoicemailPage() throws Exception {
        english();
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitText("page-title", ui.en("users.title"));
        ui.click("nav-voicemail");
        ui.waitText("page-title", ui.en("voicemail.title"));
        ui.waitText("vm-greetings-empty", ui.en("voicemail.greeting.none"));

        // A box that does not exist is said beside the field; a real one gets the greeting, listed with its length and playable.
        Path greeting = wav(work.resolve("ui-greeting.wav"), 2.0);
        new Select(ui.el("vm-greeting-boxtype")).selectByValue("extension");
        ui.type("vm-greeting-box", "9999");
        ui.el("vm-greeting-file").sendKeys(greeting.toString());
        ui.click("vm-greeting-upload");
        ui.waitText("vm-greeting-box-error", ui.en("voicemail.greeting.noBox"));
        ui.type("vm-greeting-box", "1002");
        ui.click("vm-greeting-upload");
        ui.waitFor(d -> ui.text("vm-greeting-duration-extension-1002").contains("0:02"));
        Map<String, Object> g = ui.fetchJson("/api/v1/voicemail/boxes/extension/1002/greeting");
        assertThat(((Number) g.get("durationMs")).longValue()).isBetween(1900L, 2100L);
        Map<String, Object> played = fetchHead(ui.el("vm-greeting-audio-extension-1002").getAttribute("src"));
        assertThat(played.get("status")).isEqualTo(200L);
        assertThat((String) played.get("type")).startsWith("audio/wav");
        ui.screenshot("ivr-voicemail-greeting-en");
        ui.click("lang-zh");
        ui.waitText("vm-greeting-default-extension-1002", ui.zh("voicemail.greeting.useDefault"));
        ui.screenshot("ivr-voicemail-greeting-zh");
        ui.click("lang-en");

        // Back to the default.
        ui.click("vm-greeting-default-extension-1002");
        ui.click("confirm-ok");
        ui.waitText("vm-greetings-empty", ui.en("voicemail.greeting.none"));
        assertThat(ui.fetchJson("/api/v1/voicemail/boxes/extension/1002/greeting").get("code")).isEqualTo("not_found");
    }

    /**
     * MSG-1: an agent sets their own voicemail greeting on the desk (a 3 s 400 Hz tone uploaded as a 16 kHz WAV), it is the
     * box's greeting in the API, a caller to the box hears it (the tone, not the default words) before the beep, and the
     * agent goes back to the default. (agent2's box 1002: agent1's box is counted by another test.)
     */
    @Test
    void anAgentSetsTheirOwnGreetingOnTheDeskAndCallersHearIt() throws Exception {
        english();
        ui.login("demo", "agent2", ui.server().demoPassword());
        ui.el("agent-voicemail");
        ui.waitText("agent-greeting-none", ui.en("agent.greeting.none"));
        assertThat(ui.el("agent-greeting-record").isDisplayed()).isTrue();
        ui.click("agent-greeting-upload");
        ui.waitText("agent-greeting-error", ui.en("agent.greeting.chooseFile"));
        Path tone = Files.write(work.resolve("my-greeting.wav"), dev.hotline.testing.TestAudio.toneWav(16000, 1, 3000, 400));
        ui.el("agent-greeting-file").sendKeys(tone.toString());
        ui.click("agent-greeting-upload");
        ui.waitText("agent-greeting-own", ui.en("agent.greeting.own").replace("{length}", "0:03"));
        Map<String, Object> g = ui.fetchJson("/api/v1/voicemail/boxes/extension/1002/greeting");
        assertThat(((Number) g.get("durationMs")).longValue()).isBetween(2900L, 3100L);
        Map<String, Object> played = fetchHead(ui.el("agent-greeting-audio").getAttribute("src"));
        assertThat(played.get("status")).isEqualTo(200L);
        assertThat((String) played.get("type")).startsWith("audio/wav");
        ui.screenshot("ivr-agent-greeting-en");
        ui.click("lang-zh");
        ui.waitText("agent-greeting-default", ui.zh("voicemail.greeting.useDefault"));
        ui.screenshot("ivr-agent-greeting-zh");
        ui.click("lang-en");

        // A caller to the box hears the agent's greeting: 3 s of the 400 Hz tone, then the beep; they hang up at once (no message).
        ApiClient admin = admin();
        long flowId = admin.post("/api/v1/flows", Map.of("name", "vm_agent2")).json().get("id").asLong();
        admin.raw("PUT", "/api/v1/flows/" + flowId + "/draft",
                "{\"start\":\"vm\",\"nodes\":{\"vm\":{\"type\":\"voicemail\",\"boxType\":\"extension\",\"box\":\"1002\"}}}", "application/json");
        assertThat(admin.post("/api/v1/flows/" + flowId + "/publish", null).status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4702", "destinationType", "flow", "destination", "vm_agent2")).status()).isEqualTo(201);
        long heardTone;
        String pattern;
        try (dev.hotline.testing.RtpCaller caller = dev.hotline.testing.RtpCaller.call(ui.server().hotline().engine().sipPort(), "13600000022", "4702")) {
            int upTo = caller.awaitSoundThenQuiet(0, 400);
            var heard = caller.heard().subList(0, upTo);
            heardTone = dev.hotline.testing.RtpCaller.toneMs(heard);
            pattern = dev.hotline.testing.RtpCaller.pattern(heard);
            caller.bye();
        }
        assertThat(heardTone).as(pattern).isBetween(2700L, 3100L);

        // Back to the default greeting.
        ui.click("agent-greeting-default");
        ui.click("confirm-ok");
        ui.waitText("agent-greeting-none", ui.en("agent.greeting.none"));
        assertThat(ui.fetchJson("/api/v1/voicemail/boxes/extension/1002/greeting").get("code")).isEqualTo("not_found");
    }

    @Test
    void promptsAreUploadedPreviewedAndPickedAsAWelcomePrompt() throws Exception {
        english();
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitText("page-title", ui.en("users.title"));
        ui.click("nav-prompts");
        ui.waitText("page-title", ui.en("prompts.title"));
        ui.el("prompts-table");

        // ---- upload: a real WAV is listed with its length and plays; a text file named .wav is refused beside the field
        Path tone = wav(work.resolve("ui-welcome.wav"), 1.5);
        ui.el("prompt-file").sendKeys(tone.toString());
        ui.click("prompt-upload-submit");
        ui.waitFor(d -> ui.text("prompt-row-ui-welcome.wav").contains("0:01"));
        Map<String, Object> listed = find(ui.fetchList("/api/v1/prompts"), "name", "ui-welcome.wav");
        assertThat(((Number) listed.get("durationMs")).longValue()).isBetween(1400L, 1600L);
        Map<String, Object> played = fetchHead(ui.el("prompt-audio-ui-welcome.wav").getAttribute("src"));
        assertThat(played.get("status")).isEqualTo(200L);
        assertThat((String) played.get("type")).startsWith("audio/wav");
        Path fake = Files.writeString(work.resolve("notes.wav"), "these are meeting notes, not audio\n".repeat(20), StandardCharsets.UTF_8);
        ui.el("prompt-file").sendKeys(fake.toString());
        ui.click("prompt-upload-submit");
        ui.waitFor(d -> ui.text("prompt-upload-error").startsWith(ui.en("prompts.refused").replace("{name}", "notes.wav").replace("{reason}", "")));
        assertThat(ui.driver().findElements(tid("prompt-row-notes.wav"))).isEmpty();
        ui.screenshot("ivr-prompts-refused-en");

        // ---- text to speech: the preview plays a WAV from /tts/preview
        ui.type("tts-text", "Welcome to the hotline");
        ui.click("tts-preview");
        ui.el("tts-preview-audio");
        String src = ui.el("tts-preview-audio").getAttribute("data-src");
        assertThat(src).contains("/api/v1/tts/preview?text=Welcome").contains("language=en");
        Map<String, Object> spoken = fetchHead(src);
        assertThat(spoken.get("status")).isEqualTo(200L);
        assertThat((String) spoken.get("type")).startsWith("audio/wav");
        ui.waitFor(d -> ((Number) ui.js().executeScript("return document.querySelector(\"[data-testid='tts-preview-audio']\").duration || 0")).doubleValue() > 0.3);
        ui.screenshot("ivr-prompts-en");

        // ---- numbers: the welcome prompt is picked from the uploaded prompts and shown in the list
        ui.click("nav-numbers");
        ui.waitText("page-title", ui.en("numbers.title"));
        ui.click("number-new");
        ui.type("number-form-number", "4701");
        new Select(ui.el("number-form-destination")).selectByValue("1001");
        new Select(ui.el("number-form-welcome")).selectByValue("ui-welcome.wav");
        ui.screenshot("ivr-number-form-en");
        ui.click("number-save");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("number-dialog")));
        ui.waitFor(d -> ui.text("number-welcome-4701").contains("ui-welcome.wav"));
        assertThat(find(ui.fetchList("/api/v1/numbers"), "number", "4701")).containsEntry("welcomePrompt", "ui-welcome.wav");
        ui.click("number-edit-4701");
        assertThat(new Select(ui.el("number-form-welcome")).getFirstSelectedOption().getAttribute("value")).isEqualTo("ui-welcome.wav");
        ui.click("number-save");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("number-dialog")));

        // ---- a prompt in use cannot be deleted, and the page says why
        ui.click("nav-prompts");
        ui.click("prompt-delete-ui-welcome.wav");
        ui.click("confirm-ok");
        ui.waitText("prompt-action-error", ui.en("prompts.inUse").replace("{name}", "ui-welcome.wav"));
        ui.el("prompt-row-ui-welcome.wav");

        // ---- the flow editor: uploaded and shipped prompts are chosen from lists, TTS text has a preview
        ApiClient admin = admin();
        long flowId = admin.post("/api/v1/flows", Map.of("name", "prompt_ui")).json().get("id").asLong();
        ui.driver().get(ui.server().baseUrl() + "/#/flows/" + flowId);
        ui.el("flow-editor");
        ui.click("palette-play");
        ui.el("flow-node-play_1");
        ui.type("prompt-prompts-0-text", "欢迎致电");
        ui.click("prompt-prompts-0-preview");
        ui.el("prompt-prompts-0-preview-audio");
        assertThat(ui.el("prompt-prompts-0-preview-audio").getAttribute("data-src")).contains("language=zh");
        ui.click("prompt-prompts-add");
        new Select(ui.el("prompt-prompts-1-kind")).selectByValue("file");
        new Select(ui.el("prompt-prompts-1-text")).selectByValue("ui-welcome.wav");
        ui.el("prompt-prompts-1-audio");
        ui.click("prompt-prompts-add");
        new Select(ui.el("prompt-prompts-2-kind")).selectByValue("prompt");
        ui.type("prompt-prompts-2-text", "GOODBYE");
        ui.waitText("prompt-prompts-2-says", ui.en("flows.prompt.says").replace("{text}", ui.en("promptKey.GOODBYE")));
        assertThat(ui.driver().findElements(By.cssSelector("datalist option")).size()).isEqualTo(PromptKey.values().length);
        ui.click("flow-save-draft");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("flow-dirty")));
        Object prompts = ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ui.fetchJson("/api/v1/flows/" + flowId).get("draft")).get("nodes")).get("play_1")).get("prompts");
        assertThat(prompts).isEqualTo(List.of(Map.of("tts", "欢迎致电"), Map.of("file", "ui-welcome.wav"), Map.of("prompt", "GOODBYE")));
        ui.screenshot("ivr-flow-prompts-en");
        ui.click("lang-zh");
        ui.waitText("prompt-prompts-2-says", ui.zh("flows.prompt.says").replace("{text}", ui.zh("promptKey.GOODBYE")));
        ui.screenshot("ivr-flow-prompts-zh");
        ui.click("nav-prompts");
        ui.waitText("page-title", ui.zh("prompts.title"));
        ui.el("prompt-row-ui-welcome.wav");
        ui.screenshot("ivr-prompts-zh");
    }

    /** The console's list of shipped prompts is the engine's. */
    @Test
    void shippedPromptListMatchesTheEngine() throws IOException {
        String js = Files.readString(I18nBundlesTest.WEB.resolve("js").resolve("prompt-keys.js"));
        List<String> inJs = java.util.regex.Pattern.compile("'([A-Z0-9_]+)'").matcher(js).results().map(m -> m.group(1)).toList();
        assertThat(inJs).containsExactlyElementsOf(Arrays.stream(PromptKey.values()).map(Enum::name).toList());
    }

    /** Chooses English in this browser (a choice that beats the user's saved language). */
    private static void english() {
        ui.click("lang-zh");
        ui.click("lang-en");
    }

    private static JsonNode message(JsonNode list, String caller) {
        for (JsonNode m : list) if (caller.equals(m.path("caller").asText())) return m;
        throw new AssertionError("no message from " + caller + " in " + list);
    }

    private static String dtmf(char key) {
        return "<nop><action><exec play_pcap_audio=\"/usr/share/sip-tester/dtmf_2833_" + key + ".pcap\"/></action></nop>";
    }

    private static Path wav(Path file, double seconds) throws IOException {
        AudioFormat format = new AudioFormat(8000f, 16, 1, true, false);
        int frames = (int) (8000 * seconds);
        byte[] pcm = new byte[frames * 2];
        for (int i = 0; i < frames; i++) {
            short s = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
            pcm[2 * i] = (byte) s;
            pcm[2 * i + 1] = (byte) (s >> 8);
        }
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, frames)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }

    /** GET from inside the page: status, content type, disposition and the body's length. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> fetchHead(String url) {
        return (Map<String, Object>) ui.js().executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin'}).then(async r => {"
                        + "  const b = await r.arrayBuffer();"
                        + "  done({status: r.status, type: r.headers.get('Content-Type') || '',"
                        + "        disposition: r.headers.get('Content-Disposition') || '', length: b.byteLength});"
                        + "}, e => done({error: String(e)}));",
                url);
    }
}
