package dev.hotline.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.testing.Chromium;
import dev.hotline.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in headless Chromium against the whole server in-process, for the browser tests
 * of this package. A test class registers one per class:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final ConsoleDriver ui = new ConsoleDriver();
 * </pre>
 *
 * Before all tests of the class it loads the en/zh bundles and starts the server and the browser;
 * after them it closes both. Every test starts signed out, with no language chosen in the
 * browser, and fails afterwards if the browser console shows script errors.
 *
 * <p>Elements are found by {@code data-testid}; every wait has the same {@link #DEADLINE}.
 */
final class ConsoleDriver implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    static final Duration DEADLINE = Duration.ofSeconds(15);

    private final boolean webRtc;
    private TestServer server;
    private Chromium chrome;
    private Map<String, String> en;
    private Map<String, String> zh;

    /** A driver with the page-test browser. */
    ConsoleDriver() {
        this(false);
    }

    /** With {@code webRtc}, the browser has fake media devices and loopback candidates ({@link Chromium#startWebRtc()}). */
    ConsoleDriver(boolean webRtc) {
        this.webRtc = webRtc;
    }

    // ---------- lifecycle ----------

    @Override
    public void beforeAll(ExtensionContext context) {
        en = bundle("en");
        zh = bundle("zh");
        server = TestServer.start();
        chrome = webRtc ? Chromium.startWebRtc() : Chromium.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (chrome != null) chrome.close();
        } finally {
            if (server != null) server.close();
        }
    }

    /** Signed out, with no language chosen in the browser; console log drained. */
    @Override
    public void beforeEach(ExtensionContext context) {
        open("/login.html");
        driver().manage().deleteAllCookies();
        js().executeScript("localStorage.clear()");
        open("/login.html");
        el("login-submit");
        chrome.consoleLog();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        assertThat(chrome.scriptErrors()).as("errors in the browser console").isEmpty();
    }

    // ---------- the server, the browser, the bundles ----------

    TestServer server() {
        return server;
    }

    WebDriver driver() {
        return chrome.driver();
    }

    Chromium chrome() {
        return chrome;
    }

    JavascriptExecutor js() {
        return chrome.driver();
    }

    /** Saves {@code target/screenshots/NAME.png}. */
    void screenshot(String name) {
        chrome.screenshot(name);
    }

    /** The English text of a bundle key (null if there is none). */
    String en(String key) {
        return en.get(key);
    }

    /** The Chinese text of a bundle key (null if there is none). */
    String zh(String key) {
        return zh.get(key);
    }

    private static Map<String, String> bundle(String lang) {
        try (InputStream in = ConsoleDriver.class.getResourceAsStream("/web/i18n/" + lang + ".json")) {
            assertThat(in).as("bundle " + lang).isNotNull();
            return new ObjectMapper().readValue(in, new TypeReference<Map<String, String>>() {});
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    // ---------- pages ----------

    void open(String path) {
        driver().get(server.baseUrl() + path);
    }

    /** Fills in the login form and submits it. */
    void login(String enterprise, String username, String password) {
        type("login-enterprise", enterprise);
        type("login-username", username);
        type("login-password", password);
        click("login-submit");
    }

    /** Signs in as the demo supervisor, who lands on the monitor (issue 14), then goes to the console by its link. */
    void loginSupervisorToConsole() {
        login("demo", "lead", server().demoPassword());
        waitFor(ExpectedConditions.urlContains("/supervisor.html"));
        el("supervisor-monitor");
        click("link-console");
        waitFor(d -> !d.getCurrentUrl().contains("/supervisor.html"));
    }

    static By tid(String testId) {
        return By.cssSelector("[data-testid='" + testId + "']");
    }

    /** Waits up to {@link #DEADLINE} for a non-null, non-false value; stale or missing elements count as not yet. */
    <T> T waitFor(Function<? super WebDriver, T> condition) {
        WebDriverWait wait = chrome.waitAtMost(DEADLINE);
        wait.ignoring(StaleElementReferenceException.class);
        wait.ignoring(NoSuchElementException.class);
        return wait.until(d -> {
            try {
                return condition.apply(d);
            } catch (org.openqa.selenium.WebDriverException e) {
                // A page changing under the check (logout, login redirects) is "not yet", not a failure.
                if (String.valueOf(e.getMessage()).contains("aborted by navigation")) return null;
                throw e;
            }
        });
    }

    /** The visible element with this data-testid, waiting for it. */
    WebElement el(String testId) {
        return waitFor(ExpectedConditions.visibilityOfElementLocated(tid(testId)));
    }

    /** The element's text now, stripped (no wait). */
    String text(String testId) {
        return driver().findElement(tid(testId)).getText().strip();
    }

    /** Waits until the element's stripped text equals {@code expected}; the failure says what it shows. */
    void waitText(String testId, String expected) {
        try {
            waitFor(d -> expected.equals(d.findElement(tid(testId)).getText().strip()));
        } catch (TimeoutException e) {
            throw new AssertionError("[data-testid=" + testId + "] shows \""
                    + driver().findElements(tid(testId)).stream().map(WebElement::getText).findFirst().orElse("(absent)")
                    + "\", expected \"" + expected + "\"", e);
        }
    }

    /** Clicks like a person: the element brought to the middle of the window first, clear of the sticky top bar. */
    void click(String testId) {
        click(waitFor(ExpectedConditions.elementToBeClickable(tid(testId))));
    }

    void click(WebElement e) {
        js().executeScript("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});", e);
        e.click();
    }

    void type(String testId, String value) {
        WebElement e = el(testId);
        e.clear();
        e.sendKeys(value);
    }

    // ---------- the API, from inside the page (with the session cookie) ----------

    /** GET of same-origin JSON; a failed fetch yields {@code {error: ...}}. */
    private Object fetch(String path) {
        return js().executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.json()).then(done, e => done({error: String(e)}));",
                path);
    }

    /** GET of a same-origin JSON object. */
    @SuppressWarnings("unchecked")
    Map<String, Object> fetchJson(String path) {
        return (Map<String, Object>) fetch(path);
    }

    /** GET of a same-origin JSON array; anything else fails the test. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> fetchList(String path) {
        Object r = fetch(path);
        assertThat(r).as("GET " + path).isInstanceOf(List.class);
        return (List<Map<String, Object>>) r;
    }

    /** The first item whose {@code key} equals {@code value}; fails the test if there is none. */
    static Map<String, Object> find(List<Map<String, Object>> items, String key, Object value) {
        return items.stream().filter(m -> value.equals(m.get(key))).findFirst()
                .orElseThrow(() -> new AssertionError("no item with " + key + "=" + value + " in " + items));
    }
}
