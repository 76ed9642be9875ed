package dev.hotline.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.Chromium;
import dev.hotline.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The media pages of the console (recordings with their settings, music on hold, conference
 * rooms, numbers pointing to a room) in headless Chromium against the whole server in-process; a
 * SIPp call through DID 4000 leaves a recording that the page lists and the browser can play.
 * Screenshots go to {@code target/screenshots/media-*.png}.
 */
class MediaPagesBrowserTest {
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final Duration SIPP = Duration.ofSeconds(40);

    private static TestServer server;
    private static Chromium chrome;
    private static Map<String, String> en;
    private static Map<String, String> zh;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        en = bundle("en");
        zh = bundle("zh");
        server = TestServer.start();
        chrome = Chromium.start();
    }

    @AfterAll
    static void stop() {
        try {
            if (chrome != null) chrome.close();
        } finally {
            if (server != null) server.close();
        }
    }

    /** Every test starts signed out, with no language chosen in the browser. */
    @BeforeEach
    void freshBrowser() {
        open("/login.html");
        chrome.driver().manage().deleteAllCookies();
        js().executeScript("localStorage.clear()");
        open("/login.html");
        el("login-submit");
        chrome.consoleLog();
    }

    @AfterEach
    void noScriptErrors() {
        assertThat(chrome.scriptErrors()).as("errors in the browser console").isEmpty();
    }

    @Test
    void adminConfiguresRecordingMusicOnHoldAndConferenceRooms() throws Exception {
        click("lang-en");
        login("demo", "admin", server.demoPassword());
        waitText("page-title", en.get("users.title"));
        for (String page : List.of("recordings", "moh", "conferences")) {
            assertThat(text("nav-" + page)).isEqualTo(en.get("nav." + page));
        }

        // ---- recording settings: defaults, GSM refuses stereo beside the field, saved values survive a reload
        click("nav-recordings");
        waitText("page-title", en.get("recordings.title"));
        el("recording-settings");
        waitFor(d -> "none".equals(el("recset-policy").getAttribute("value")));
        assertThat(el("recset-format-pcm").getAttribute("aria-checked")).isEqualTo("true");
        assertThat(el("recset-stereo").isSelected()).isTrue();
        assertThat(el("recset-retention").getAttribute("value")).isEqualTo("90");
        click("recset-format-gsm");
        click("recset-save");
        waitText("recset-stereo-error", en.get("validation.gsmMono"));
        chrome.screenshot("media-recording-settings-error-en");
        click("recset-format-pcm");
        new Select(el("recset-policy")).selectByValue("all");
        type("recset-retention", "0");
        click("recset-save");
        waitText("recset-retention-error", en.get("validation.retentionDays"));
        type("recset-retention", "30");
        click("recset-save");
        waitFor(d -> d.findElements(tid("recset-retention-error")).isEmpty() && text("toasts").contains(en.get("common.saved")));
        chrome.driver().navigate().refresh();
        waitText("page-title", en.get("recordings.title"));
        waitFor(d -> "all".equals(el("recset-policy").getAttribute("value")));
        assertThat(el("recset-format-pcm").getAttribute("aria-checked")).isEqualTo("true");
        assertThat(el("recset-stereo").isSelected()).isTrue();
        assertThat(el("recset-retention").getAttribute("value")).isEqualTo("30");
        assertThat(fetchJson("/api/v1/settings/recording")).isEqualTo(Map.of("policy", "all", "format", "pcm", "stereo", true, "retentionDays", 30L));
        waitFor(d -> !d.findElements(tid("recordings-empty")).isEmpty() || !d.findElements(By.cssSelector("[data-testid^='recording-row-']")).isEmpty());
        chrome.screenshot("media-recordings-en");

        // ---- music on hold: a real WAV is listed with its length, a text file named .wav is refused, delete
        click("nav-moh");
        waitText("page-title", en.get("moh.title"));
        waitFor(d -> !text("moh-table").contains(en.get("common.loading")));
        Path tone = wav(work.resolve("test-tone.wav"), 1.0);
        el("moh-file").sendKeys(tone.toString());
        click("moh-upload-submit");
        waitFor(d -> text("moh-row-test-tone.wav").contains("0:01"));
        assertThat(find(fetchList("/api/v1/moh"), "name", "test-tone.wav").get("durationMs")).isInstanceOf(Number.class);
        assertThat(chrome.driver().findElements(tid("moh-upload-error"))).isEmpty();
        Path fake = Files.writeString(work.resolve("notes.wav"), "these are meeting notes, not audio\n".repeat(20), StandardCharsets.UTF_8);
        el("moh-file").sendKeys(fake.toString());
        click("moh-upload-submit");
        waitText("moh-upload-error", en.get("moh.refused").replace("{name}", "notes.wav").replace("{reason}", en.get("validation.notWav")));
        assertThat(chrome.driver().findElements(tid("moh-row-notes.wav"))).isEmpty();
        chrome.screenshot("media-moh-error-en");
        click("moh-delete-test-tone.wav");
        click("confirm-ok");
        waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("moh-row-test-tone.wav")));
        assertThat(fetchList("/api/v1/moh").stream().map(m -> m.get("name"))).doesNotContain("test-tone.wav");

        // ---- conference rooms: PIN is write only, errors beside the fields
        click("nav-conferences");
        waitText("page-title", en.get("conferences.title"));
        click("conference-new");
        el("conference-dialog");
        click("conference-save");
        waitText("conference-form-number-error", en.get("validation.required"));
        type("conference-form-number", "8800");
        type("conference-form-name", "Weekly sync");
        type("conference-form-pin", "12");
        click("conference-save");
        waitText("conference-form-pin-error", en.get("validation.conferencePin"));
        chrome.screenshot("media-conference-form-error-en");
        type("conference-form-pin", "2468");
        click("conference-form-record");
        click("conference-save");
        waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("conference-dialog")));
        waitText("conference-pin-8800", en.get("conferences.hasPin"));
        assertThat(text("conference-row-8800")).contains("Weekly sync", en.get("conferences.recorded"));
        assertThat(text("conference-participants-8800")).isEqualTo(en.get("conferences.live").replace("{n}", "0"));
        Map<String, Object> room = find(fetchList("/api/v1/conference-rooms"), "number", "8800");
        assertThat(room).containsEntry("hasPin", true).containsEntry("record", true).doesNotContainKey("pin");
        click("conference-edit-8800");
        waitFor(d -> text("conference-dialog").contains(en.get("conferences.pinKeep")));
        assertThat(el("conference-form-pin").getAttribute("value")).isEmpty();
        chrome.screenshot("media-conference-edit-en");
        chrome.driver().findElement(By.cssSelector("[data-testid='conference-dialog'] .icon-btn")).click();
        chrome.screenshot("media-conferences-en");

        // ---- numbers: a DID can point to the room; extension stays the default type
        click("nav-numbers");
        waitText("page-title", en.get("numbers.title"));
        waitFor(d -> text("number-row-4000").contains("1001"));
        click("number-new");
        assertThat(new Select(el("number-form-desttype")).getFirstSelectedOption().getAttribute("value")).isEqualTo("extension");
        type("number-form-number", "4800");
        new Select(el("number-form-desttype")).selectByValue("conference");
        waitFor(d -> text("number-dialog").contains(en.get("numbers.destinationConference")));
        new Select(el("number-form-destination")).selectByValue("8800");
        chrome.screenshot("media-number-conference-form-en");
        click("number-save");
        waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("number-dialog")));
        waitFor(d -> text("number-row-4800").contains("8800"));
        assertThat(text("number-row-4800")).contains(en.get("numbers.destType.conference"), "Weekly sync");
        assertThat(find(fetchList("/api/v1/numbers"), "number", "4800"))
                .containsEntry("destinationType", "conference").containsEntry("destination", "8800");
        chrome.screenshot("media-numbers-en");

        // ---- a recorded call: DID 4000 answered by a registered phone, with policy "all"
        int phone = Ports.free();
        ok(Sipp.start(work, "register", vars("EXPECT", "200", "EXPIRES", "600"), remote(), Ports.free(),
                List.of("-s", "1001", "-au", "1001", "-ap", server.demoPassword(), "-set", "contactport", Integer.toString(phone))));
        Map<String, String> uasVars = vars();
        uasVars.put("ENGINE", remote());
        Sipp.Run callee = Sipp.start(work, "uas_answer", uasVars, null, phone, List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4))));
        Sipp.awaitUdpBound(phone);
        Sipp.Run caller = Sipp.start(work, "uac_call", vars("FROM", "13800138077", "PAUSE", "1500"), remote(), Ports.free(),
                List.of("-s", "4000", "-mp", Integer.toString(Ports.free(4))));
        ok(caller);
        ok(callee);

        click("nav-recordings");
        waitText("page-title", en.get("recordings.title"));
        type("recordings-number", "13800138077");
        waitFor(d -> {
            click("recordings-search");
            return !d.findElements(By.xpath("//tr[starts-with(@data-testid,'recording-row-')][contains(., '13800138077')]")).isEmpty();
        });
        WebElement row = chrome.driver().findElement(By.xpath("//tr[starts-with(@data-testid,'recording-row-')][contains(., '13800138077')]"));
        String id = row.getAttribute("data-testid").substring("recording-row-".length());
        assertThat(row.getText()).contains("4000", "1001", en.get("calls.direction.inbound"), en.get("recordings.format.pcm"));
        waitText("recordings-range", en.get("common.range").replace("{first}", "1").replace("{last}", "1").replace("{total}", "1"));

        // The file: 200 audio/wav, Range answers 206, the download link is an attachment, the player reads its length.
        Map<String, Object> full = fetchHead("/api/v1/recordings/" + id + "/audio", null);
        assertThat(full).containsEntry("status", 200L);
        assertThat((String) full.get("type")).startsWith("audio/wav");
        Map<String, Object> part = fetchHead("/api/v1/recordings/" + id + "/audio", "bytes=0-99");
        assertThat(part).containsEntry("status", 206L);
        // A 206 may carry more than asked (RFC 9110 lets the server choose); it must say which bytes it sends.
        java.util.regex.Matcher range = java.util.regex.Pattern.compile("bytes 0-(\\d+)/(\\d+)").matcher((String) part.get("range"));
        assertThat(range.matches()).as("Content-Range " + part.get("range")).isTrue();
        assertThat(part.get("length")).isEqualTo(Long.parseLong(range.group(1)) + 1);
        assertThat(Long.parseLong(range.group(1))).isGreaterThanOrEqualTo(99L);
        assertThat(full.get("length")).isEqualTo(Long.parseLong(range.group(2)));
        Map<String, Object> download = fetchHead(el("recording-download-" + id).getAttribute("href"), null);
        assertThat((String) download.get("disposition")).startsWith("attachment");
        js().executeScript("const a = arguments[0]; a.preload = 'metadata'; a.load();", el("recording-audio-" + id));
        double seconds = waitFor(d -> {
            Object v = js().executeScript("const a = arguments[0]; return a.readyState >= 1 && isFinite(a.duration) ? a.duration : null;",
                    el("recording-audio-" + id));
            return v == null ? null : ((Number) v).doubleValue();
        });
        assertThat(seconds).as("length the browser's player reads").isBetween(1.0, 4.0);

        // Batch download: the selection counts in the button.
        assertThat(el("recordings-download-selected").isEnabled()).isFalse();
        click("recording-select-" + id);
        waitText("recordings-download-selected", en.get("recordings.downloadSelected").replace("{n}", "1"));
        assertThat(el("recordings-download-selected").isEnabled()).isTrue();
        click("recordings-select-all");
        assertThat(el("recording-select-" + id).isSelected()).isFalse();
        click("recordings-select-all");
        assertThat(el("recording-select-" + id).isSelected()).isTrue();
        chrome.screenshot("media-recordings-row-en");

        // The call's record opens with its recording to play.
        click("nav-calls");
        waitText("page-title", en.get("calls.title"));
        type("calls-number", "13800138077");
        click("calls-search");
        WebElement call = waitFor(d -> d.findElement(By.xpath("//tr[starts-with(@data-testid,'call-row-')][contains(., '13800138077')]")));
        call.click();
        el("call-detail");
        assertThat(el("call-recording-audio").getAttribute("src")).endsWith("/api/v1/recordings/" + id + "/audio");
        assertThat(el("call-recording-download").getAttribute("href")).endsWith("/api/v1/recordings/" + id + "/audio?download=1");
        chrome.screenshot("media-call-recording-en");
        click("call-detail-close");
        click("nav-recordings");
        waitText("page-title", en.get("recordings.title"));

        // ---- the same pages in Chinese
        click("lang-zh");
        waitText("page-title", zh.get("recordings.title"));
        waitFor(d -> text("recordings-table").contains(zh.get("calls.direction.inbound")));
        click("recset-format-gsm");
        click("recset-save");
        waitText("recset-stereo-error", zh.get("validation.gsmMono"));
        chrome.screenshot("media-recordings-zh");
        click("recset-format-pcm");
        click("nav-moh");
        waitText("page-title", zh.get("moh.title"));
        el("moh-file").sendKeys(fake.toString());
        click("moh-upload-submit");
        waitText("moh-upload-error", zh.get("moh.refused").replace("{name}", "notes.wav").replace("{reason}", zh.get("validation.notWav")));
        chrome.screenshot("media-moh-zh");
        click("nav-conferences");
        waitText("page-title", zh.get("conferences.title"));
        waitText("conference-pin-8800", zh.get("conferences.hasPin"));
        chrome.screenshot("media-conferences-zh");
        click("nav-numbers");
        waitFor(d -> text("number-row-4800").contains(zh.get("numbers.destType.conference")));
        chrome.screenshot("media-numbers-zh");
    }

    @Test
    void supervisorListensButChangesNothing() {
        ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", server.demoPassword());
        assertThat(admin.post("/api/v1/conference-rooms", Map.of("number", "8801", "name", "Supervisors")).status()).isEqualTo(201);

        click("lang-zh");
        login("demo", "lead", server.demoPassword());
        waitText("page-title", zh.get("users.title"));
        assertThat(text("nav-recordings")).isEqualTo(zh.get("nav.recordings"));

        click("nav-recordings");
        waitText("page-title", zh.get("recordings.title"));
        waitFor(d -> !d.findElements(tid("recordings-empty")).isEmpty() || !d.findElements(By.cssSelector("[data-testid^='recording-row-']")).isEmpty());
        assertThat(chrome.driver().findElements(tid("recording-settings"))).as("read-only: no recording settings").isEmpty();
        assertThat(chrome.driver().findElements(tid("recordings-error"))).isEmpty();
        chrome.screenshot("media-recordings-supervisor-zh");

        click("nav-moh");
        waitText("page-title", zh.get("moh.title"));
        waitFor(d -> !d.findElements(tid("moh-empty")).isEmpty() || !d.findElements(By.cssSelector("[data-testid^='moh-row-']")).isEmpty());
        assertThat(chrome.driver().findElements(tid("moh-upload"))).isEmpty();
        assertThat(chrome.driver().findElements(By.cssSelector("[data-testid^='moh-delete-']"))).isEmpty();
        chrome.screenshot("media-moh-supervisor-zh");

        click("nav-conferences");
        waitText("page-title", zh.get("conferences.title"));
        waitFor(d -> text("conference-row-8801").contains("Supervisors"));
        assertThat(chrome.driver().findElements(tid("conference-new"))).isEmpty();
        assertThat(chrome.driver().findElements(tid("conference-edit-8801"))).isEmpty();
        assertThat(chrome.driver().findElements(tid("conference-delete-8801"))).isEmpty();
    }

    // ---------- SIPp ----------

    private static String remote() {
        return "127.0.0.1:" + server.hotline().engine().sipPort();
    }

    private static Map<String, String> vars(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("CODEC", "8");
        m.put("CODECNAME", "PCMA");
        m.put("FROM", "13800138000");
        m.put("FROMCHECK", "sip:");
        m.put("PAUSE", "500");
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private static void ok(Sipp.Run run) {
        assertThat(run.await(SIPP)).as(run.logs()).isZero();
    }

    /** A mono 8 kHz 16-bit WAV of a 440 Hz tone, {@code seconds} long. */
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

    // ---------- helpers ----------

    private static Map<String, String> bundle(String lang) {
        try (InputStream in = MediaPagesBrowserTest.class.getResourceAsStream("/web/i18n/" + lang + ".json")) {
            assertThat(in).as("bundle " + lang).isNotNull();
            return new ObjectMapper().readValue(in, new TypeReference<Map<String, String>>() {});
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void login(String enterprise, String username, String password) {
        type("login-enterprise", enterprise);
        type("login-username", username);
        type("login-password", password);
        click("login-submit");
    }

    private static void open(String path) {
        chrome.driver().get(server.baseUrl() + path);
    }

    private static JavascriptExecutor js() {
        return chrome.driver();
    }

    /** GET of same-origin JSON from inside the page (with the session cookie). */
    private static Object fetchJson(String path) {
        return js().executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.json()).then(done, e => done({error: String(e)}));",
                path);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> fetchList(String path) {
        Object r = fetchJson(path);
        assertThat(r).as("GET " + path).isInstanceOf(List.class);
        return (List<Map<String, Object>>) r;
    }

    /** GET from inside the page (optionally with a Range header): status and the headers a player cares about. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> fetchHead(String url, String range) {
        return (Map<String, Object>) js().executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "const h = arguments[1] ? {Range: arguments[1]} : {};"
                        + "fetch(arguments[0], {credentials: 'same-origin', headers: h}).then(async r => {"
                        + "  const b = await r.arrayBuffer();"
                        + "  done({status: r.status, type: r.headers.get('Content-Type') || '', range: r.headers.get('Content-Range') || '',"
                        + "        disposition: r.headers.get('Content-Disposition') || '', length: b.byteLength});"
                        + "}, e => done({error: String(e)}));",
                url, range);
    }

    private static Map<String, Object> find(List<Map<String, Object>> items, String key, Object value) {
        return items.stream().filter(m -> value.equals(m.get(key))).findFirst()
                .orElseThrow(() -> new AssertionError("no item with " + key + "=" + value + " in " + items));
    }

    private static By tid(String testId) {
        return By.cssSelector("[data-testid='" + testId + "']");
    }

    private static <T> T waitFor(java.util.function.Function<? super org.openqa.selenium.WebDriver, T> condition) {
        WebDriverWait wait = chrome.waitAtMost(DEADLINE);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        wait.ignoring(org.openqa.selenium.NoSuchElementException.class);
        return wait.until(condition::apply);
    }

    /** The visible element with this data-testid, waiting for it. */
    private static WebElement el(String testId) {
        return waitFor(ExpectedConditions.visibilityOfElementLocated(tid(testId)));
    }

    private static String text(String testId) {
        return chrome.driver().findElement(tid(testId)).getText().strip();
    }

    private static void waitText(String testId, String expected) {
        try {
            waitFor(d -> expected.equals(d.findElement(tid(testId)).getText().strip()));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("[data-testid=" + testId + "] shows \""
                    + chrome.driver().findElements(tid(testId)).stream().map(WebElement::getText).findFirst().orElse("(absent)")
                    + "\", expected \"" + expected + "\"", e);
        }
    }

    private static void click(String testId) {
        waitFor(ExpectedConditions.elementToBeClickable(tid(testId))).click();
    }

    private static void type(String testId, String value) {
        WebElement e = el(testId);
        e.clear();
        e.sendKeys(value);
    }
}
