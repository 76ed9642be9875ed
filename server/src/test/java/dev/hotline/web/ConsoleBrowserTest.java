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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser (headless Debian Chromium) against the whole server
 * in-process: login, language switch, creating a user, error texts, where each role lands, and
 * every console page in both languages. Screenshots go to {@code target/screenshots/}.
 */
class ConsoleBrowserTest {
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private static TestServer server;
    private static Chromium chrome;
    private static Map<String, String> en;
    private static Map<String, String> zh;

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
    void adminLogsInSwitchesLanguageAndCreatesUser() {
        click("lang-zh");
        waitText("login-submit", zh.get("login.submit"));
        chrome.screenshot("login-zh");
        click("lang-en");
        waitText("login-submit", en.get("login.submit"));
        chrome.screenshot("login-en");

        login("demo", "admin", server.demoPassword());
        waitFor(ExpectedConditions.urlContains("#/users"));
        waitText("page-title", en.get("users.title"));
        waitFor(d -> text("users-table").contains("agent1"));
        assertThat(text("nav-users")).isEqualTo(en.get("nav.users"));
        assertThat(text("app-user")).isNotBlank();
        assertThat(text("app-company")).isNotBlank();
        chrome.screenshot("console-users-en");

        // Switch to Chinese: visible labels change and the server remembers the choice.
        click("lang-zh");
        waitText("nav-users", zh.get("nav.users"));
        waitText("page-title", zh.get("users.title"));
        assertThat(text("user-new")).contains(zh.get("users.new"));
        waitFor(d -> "zh".equals(fetchJson("/api/v1/me").get("language")));
        chrome.screenshot("console-users-zh");
        click("lang-en");
        waitText("nav-users", en.get("nav.users"));
        waitFor(d -> "en".equals(fetchJson("/api/v1/me").get("language")));

        // The form shows the API's field errors beside the fields.
        click("user-new");
        el("user-dialog");
        type("user-form-username", "x");
        type("user-form-password", "short");
        click("user-save");
        el("user-form-username-error");
        assertThat(text("user-form-password-error")).isEqualTo(en.get("validation.minLength").replace("{n}", "8"));
        chrome.screenshot("console-user-form-errors-en");

        type("user-form-username", "browser.user");
        type("user-form-display-name", "Browser User");
        type("user-form-password", "browser-pass-1");
        new Select(el("user-form-role")).selectByVisibleText(en.get("role.builtin.agent"));
        Select department = new Select(el("user-form-department"));
        department.selectByIndex(1);
        String departmentName = department.getFirstSelectedOption().getText();
        type("user-form-job-number", "8101");
        type("user-form-extension", "1101");
        type("user-form-email", "browser.user@example.com");
        assertThat(el("user-form-enabled").isSelected()).isTrue();
        click("user-save");
        waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("user-dialog")));

        WebElement row = el("user-row-browser.user");
        assertThat(row.getText()).contains("Browser User", en.get("role.builtin.agent"), departmentName, "8101", "1101");
        chrome.screenshot("console-user-created-en");

        // It is really stored: still there after a reload, and searchable.
        chrome.driver().navigate().refresh();
        type("users-search", "browser");
        waitFor(d -> text("users-table").contains("browser.user") && !text("users-table").contains("agent1"));
    }

    @Test
    void wrongPasswordShowsTheErrorText() {
        click("lang-zh");
        waitText("login-submit", zh.get("login.submit"));
        login("demo", "lead", "not-the-password");
        waitText("login-error", zh.get("error.bad_credentials"));
        assertThat(chrome.driver().getCurrentUrl()).contains("/login.html");
        chrome.screenshot("login-error-zh");

        click("lang-en");
        waitText("login-submit", en.get("login.submit"));
        login("demo", "nobody", "not-the-password");
        waitText("login-error", en.get("error.bad_credentials"));
        chrome.screenshot("login-error-en");
    }

    @Test
    void repeatedFailuresLockTheAccountOut() {
        click("lang-en");
        for (int i = 0; i < 5; i++) {
            login("demo", "agent2", "wrong-" + i);
            waitText("login-error", en.get("error.bad_credentials"));
            waitFor(ExpectedConditions.elementToBeClickable(tid("login-submit")));
        }
        login("demo", "agent2", server.demoPassword());
        waitText("login-error", en.get("error.locked_out"));
        assertThat(chrome.driver().getCurrentUrl()).contains("/login.html");
        chrome.screenshot("login-locked-en");
    }

    @Test
    void agentLandsOnTheAgentDesktop() {
        click("lang-en");
        login("demo", "agent1", server.demoPassword());
        waitFor(ExpectedConditions.urlContains("/agent.html"));
        el("agent-desk");
        waitText("agent-extension", "1001");
        assertThat(text("agent-job-number")).isEqualTo("8001");
        assertThat(el("agent-btn-ready").isEnabled()).isFalse();
        assertThat(text("agent-softphone-coming")).isEqualTo(en.get("agent.softphoneComing"));
        chrome.screenshot("agent-desk-en");
        click("lang-zh");
        waitText("agent-btn-ready", zh.get("agent.action.ready"));
        chrome.screenshot("agent-desk-zh");

        // In the console an agent finds only what the role allows (API tokens) and the way back.
        click("link-console");
        waitFor(ExpectedConditions.urlContains("#/tokens"));
        el("nav-agent");
        assertThat(chrome.driver().findElements(tid("nav-users"))).isEmpty();
        click("nav-agent");
        el("agent-desk");
    }

    @Test
    void everyConsolePageRendersInBothLanguages() {
        click("lang-zh");
        login("demo", "admin", server.demoPassword());
        waitText("page-title", zh.get("users.title"));
        for (String page : List.of("users", "departments", "roles", "extensions", "queues", "audit", "tokens")) {
            click("nav-" + page);
            waitText("page-title", zh.get(page + ".title"));
            waitFor(d -> !text(page + "-table").contains(zh.get("common.loading")));
            chrome.screenshot("console-" + page + "-zh");
        }
        click("nav-departments");
        waitFor(d -> text("departments-table").lines().count() > 1);
        click("nav-queues");
        waitFor(d -> text("queues-table").contains("sales") && text("queues-table").contains("support"));
        click("nav-roles");
        waitFor(d -> text("roles-table").contains(zh.get("role.builtin.supervisor")));

        // A custom role from permission checkboxes.
        click("role-new");
        type("role-form-name", "qa");
        click("role-perm-user.read");
        click("role-perm-audit.read");
        chrome.screenshot("console-role-form-zh");
        click("role-save");
        waitFor(d -> text("role-row-qa").contains(zh.get("perm.audit.read")) && text("role-row-qa").contains(zh.get("roles.custom")));

        click("lang-en");
        click("nav-audit");
        waitText("page-title", en.get("audit.title"));
        waitFor(d -> text("audit-table").contains(en.get("audit.action.auth.login")));
        new Select(el("audit-action")).selectByValue("user.");
        waitFor(d -> !text("audit-table").contains(en.get("audit.action.auth.login")));
        chrome.screenshot("console-audit-en");

        // A new extension shows its generated SIP password once.
        click("nav-extensions");
        waitFor(d -> text("extensions-table").contains("1001"));
        click("extension-new");
        type("extension-form-number", "1201");
        click("extension-save");
        waitFor(d -> text("extension-secret").length() >= 8);
        chrome.screenshot("console-extension-secret-en");
        click("extension-secret-close");
        el("extension-row-1201");
        chrome.screenshot("console-extensions-en");

        // A new API token is shown once, then listed by name.
        click("nav-tokens");
        click("token-new");
        type("token-form-name", "crm");
        click("token-save");
        waitFor(d -> text("token-secret").startsWith("hl_"));
        click("token-secret-close");
        el("token-row-crm");

        // Supervisor monitor shell.
        open("/supervisor.html");
        el("supervisor-monitor");
        waitFor(d -> text("supervisor-queues").contains("sales"));
        chrome.screenshot("supervisor-en");
    }

    @Test
    void supervisorSeesConsoleAndMonitor() {
        click("lang-zh");
        login("demo", "lead", server.demoPassword());
        waitText("page-title", zh.get("users.title"));
        assertThat(chrome.driver().findElements(tid("user-new"))).as("read-only: no new-user button").isEmpty();
        click("nav-supervisor");
        el("supervisor-monitor");
        waitText("app-title", zh.get("supervisor.title"));
        waitFor(d -> text("supervisor-queues").contains("sales"));
        chrome.screenshot("supervisor-zh");

        click("logout");
        waitFor(ExpectedConditions.urlContains("/login.html"));
        open("/");
        waitFor(ExpectedConditions.urlContains("/login.html"));
    }

    @Test
    void userChangesOwnPassword() {
        click("lang-en");
        login("demo", "agent3", server.demoPassword());
        el("agent-desk");
        click("change-password");
        el("password-dialog");
        type("password-old", "not-my-password");
        type("password-new", "agent3-new-pass");
        type("password-confirm", "agent3-new-pass");
        click("password-save");
        waitText("password-old-error", en.get("validation.wrongPassword"));
        chrome.screenshot("password-wrong-en");
        type("password-old", server.demoPassword());
        click("password-save");
        waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("password-dialog")));
        waitText("toast", en.get("password.changed"));

        click("logout");
        login("demo", "agent3", "agent3-new-pass");
        el("agent-desk");
    }

    @Test
    void operatorLandsOnEnterprises() {
        click("lang-en");
        login("system", "operator", server.demoPassword());
        waitFor(ExpectedConditions.urlContains("#/enterprises"));
        waitText("page-title", en.get("enterprises.title"));
        waitFor(d -> text("enterprises-table").contains("demo"));
        assertThat(chrome.driver().findElements(tid("nav-users"))).isEmpty();
        chrome.screenshot("console-enterprises-en");
    }

    // ---------- helpers ----------

    private static Map<String, String> bundle(String lang) {
        try (InputStream in = ConsoleBrowserTest.class.getResourceAsStream("/web/i18n/" + lang + ".json")) {
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

    /** GET of a same-origin JSON URL from inside the page (with the session cookie). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> fetchJson(String path) {
        Object r = js().executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.json()).then(done, e => done({error: String(e)}));",
                path);
        return (Map<String, Object>) r;
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
