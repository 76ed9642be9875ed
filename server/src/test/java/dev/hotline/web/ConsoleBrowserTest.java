package dev.hotline.web;

import static dev.hotline.web.ConsoleDriver.tid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.testing.ApiClient;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real browser (headless Debian Chromium) against the whole server
 * in-process: login, language switch, creating a user, error texts, where each role lands, and
 * every console page in both languages. Screenshots go to {@code target/screenshots/}.
 */
class ConsoleBrowserTest {
    /** Server and browser for the class; each test starts signed out and must leave no script errors. */
    @RegisterExtension
    static final ConsoleDriver ui = new ConsoleDriver();

    /** ADM-4: the company name and logo set by the admin appear on the login page (?e=), the console; bad logos are refused. */
    @Test
    void theEnterprisesNameAndLogoAppearOnTheLoginPageAndTheConsole() throws Exception {
        ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", ui.server().demoPassword());
        var img = new java.awt.image.BufferedImage(40, 20, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", png);
        String svg = "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>";
        var refused = admin.upload("PUT", "/api/v1/branding/logo", "logo.png", svg.getBytes(StandardCharsets.UTF_8));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().get("fieldErrors").findValuesAsText("field")).containsExactly("logo");
        assertThat(admin.upload("PUT", "/api/v1/branding/logo", "big.png", new byte[300 * 1024]).status()).isEqualTo(400);
        assertThat(ApiClient.loggedIn(ui.server().baseUrl(), "demo", "agent1", ui.server().demoPassword())
                .put("/api/v1/branding", Map.of("companyName", "x")).status()).as("branding.manage").isEqualTo(403);
        var saved = admin.upload("PUT", "/api/v1/branding/logo", "logo.png", png.toByteArray());
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        assertThat(admin.put("/api/v1/branding", Map.of("companyName", "Acme 热线")).json().get("companyName").asText()).isEqualTo("Acme 热线");
        try {
            ui.open("/login.html?e=demo");
            ui.waitText("login-company", "Acme 热线");
            ui.waitFor(d -> Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) d)
                    .executeScript("const i = document.querySelector('[data-testid=login-logo]'); return !!i && i.complete && i.naturalWidth === 40;")));
            ui.screenshot("branding-login");
            ui.open("/login.html?e=nosuch");
            ui.waitText("login-company", "Hotline");
            assertThat(ui.driver().findElements(tid("login-logo"))).isEmpty();
            ui.open("/login.html?e=demo");
            ui.login("demo", "admin", ui.server().demoPassword());
            ui.waitText("app-company", "Acme 热线");
            ui.waitFor(d -> Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) d)
                    .executeScript("const i = document.querySelector('[data-testid=app-logo]'); return !!i && i.complete && i.naturalWidth === 40;")));
            ui.screenshot("branding-console");
        } finally {
            admin.put("/api/v1/branding", Map.of("companyName", ""));
            admin.delete("/api/v1/branding/logo");
        }
    }

    @Test
    void adminLogsInSwitchesLanguageAndCreatesUser() {
        ui.click("lang-zh");
        ui.waitText("login-submit", ui.zh("login.submit"));
        ui.screenshot("login-zh");
        ui.click("lang-en");
        ui.waitText("login-submit", ui.en("login.submit"));
        ui.screenshot("login-en");

        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitFor(ExpectedConditions.urlContains("#/users"));
        ui.waitText("page-title", ui.en("users.title"));
        ui.waitFor(d -> ui.text("users-table").contains("agent1"));
        assertThat(ui.text("nav-users")).isEqualTo(ui.en("nav.users"));
        assertThat(ui.text("app-user")).isNotBlank();
        assertThat(ui.text("app-company")).isNotBlank();
        ui.screenshot("console-users-en");

        // Switch to Chinese: visible labels change and the server remembers the choice.
        ui.click("lang-zh");
        ui.waitText("nav-users", ui.zh("nav.users"));
        ui.waitText("page-title", ui.zh("users.title"));
        assertThat(ui.text("user-new")).contains(ui.zh("users.new"));
        ui.waitFor(d -> "zh".equals(ui.fetchJson("/api/v1/me").get("language")));
        ui.screenshot("console-users-zh");
        ui.click("lang-en");
        ui.waitText("nav-users", ui.en("nav.users"));
        ui.waitFor(d -> "en".equals(ui.fetchJson("/api/v1/me").get("language")));

        // The form shows the API's field errors beside the fields.
        ui.click("user-new");
        ui.el("user-dialog");
        ui.type("user-form-username", "x");
        ui.type("user-form-password", "short");
        ui.click("user-save");
        ui.el("user-form-username-error");
        assertThat(ui.text("user-form-password-error")).isEqualTo(ui.en("validation.minLength").replace("{n}", "8"));
        ui.screenshot("console-user-form-errors-en");

        ui.type("user-form-username", "browser.user");
        ui.type("user-form-display-name", "Browser User");
        ui.type("user-form-password", "browser-pass-1");
        new Select(ui.el("user-form-role")).selectByVisibleText(ui.en("role.builtin.agent"));
        Select department = new Select(ui.el("user-form-department"));
        department.selectByIndex(1);
        String departmentName = department.getFirstSelectedOption().getText();
        ui.type("user-form-job-number", "8101");
        ui.type("user-form-extension", "1101");
        ui.type("user-form-email", "browser.user@example.com");
        assertThat(ui.el("user-form-enabled").isSelected()).isTrue();
        ui.click("user-save");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("user-dialog")));

        WebElement row = ui.el("user-row-browser.user");
        assertThat(row.getText()).contains("Browser User", ui.en("role.builtin.agent"), departmentName, "8101", "1101");
        ui.screenshot("console-user-created-en");

        // It is really stored: still there after a reload, and searchable.
        ui.driver().navigate().refresh();
        ui.type("users-search", "browser");
        ui.waitFor(d -> ui.text("users-table").contains("browser.user") && !ui.text("users-table").contains("agent1"));
    }

    @Test
    void wrongPasswordShowsTheErrorText() {
        ui.click("lang-zh");
        ui.waitText("login-submit", ui.zh("login.submit"));
        ui.login("demo", "lead", "not-the-password");
        ui.waitText("login-error", ui.zh("error.bad_credentials"));
        assertThat(ui.driver().getCurrentUrl()).contains("/login.html");
        ui.screenshot("login-error-zh");

        ui.click("lang-en");
        ui.waitText("login-submit", ui.en("login.submit"));
        ui.login("demo", "nobody", "not-the-password");
        ui.waitText("login-error", ui.en("error.bad_credentials"));
        ui.screenshot("login-error-en");
    }

    @Test
    void repeatedFailuresLockTheAccountOut() {
        ui.click("lang-en");
        for (int i = 0; i < 5; i++) {
            ui.login("demo", "agent2", "wrong-" + i);
            ui.waitText("login-error", ui.en("error.bad_credentials"));
            ui.waitFor(ExpectedConditions.elementToBeClickable(tid("login-submit")));
        }
        ui.login("demo", "agent2", ui.server().demoPassword());
        ui.waitText("login-error", ui.en("error.locked_out"));
        assertThat(ui.driver().getCurrentUrl()).contains("/login.html");
        ui.screenshot("login-locked-en");
    }

    @Test
    void agentLandsOnTheAgentDesktop() {
        ui.click("lang-en");
        ui.login("demo", "agent1", ui.server().demoPassword());
        ui.waitFor(ExpectedConditions.urlContains("/agent.html"));
        ui.el("agent-desk");
        ui.waitText("agent-extension", "1001");
        assertThat(ui.text("agent-job-number")).isEqualTo("8001");
        assertThat(ui.el("agent-btn-ready").isEnabled()).isFalse();
        ui.el("desk-dial-input");
        ui.el("cti-status");
        ui.screenshot("agent-desk-en");
        ui.click("lang-zh");
        ui.waitText("agent-btn-ready", ui.zh("agent.action.ready"));
        ui.screenshot("agent-desk-zh");

        // In the console an agent finds only what the role allows (API tokens) and the way back.
        ui.click("link-console");
        ui.waitFor(ExpectedConditions.urlContains("#/tokens"));
        ui.el("nav-agent");
        assertThat(ui.driver().findElements(tid("nav-users"))).isEmpty();
        ui.click("nav-agent");
        ui.el("agent-desk");
    }

    @Test
    void everyConsolePageRendersInBothLanguages() {
        ui.click("lang-zh");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitText("page-title", ui.zh("users.title"));
        for (String page : List.of("users", "departments", "roles", "extensions", "queues", "audit", "tokens")) {
            ui.click("nav-" + page);
            ui.waitText("page-title", ui.zh(page + ".title"));
            ui.waitFor(d -> !ui.text(page + "-table").contains(ui.zh("common.loading")));
            ui.screenshot("console-" + page + "-zh");
        }
        ui.click("nav-departments");
        ui.waitFor(d -> ui.text("departments-table").lines().count() > 1);
        ui.click("nav-queues");
        ui.waitFor(d -> ui.text("queues-table").contains("sales") && ui.text("queues-table").contains("support"));
        ui.click("nav-roles");
        ui.waitFor(d -> ui.text("roles-table").contains(ui.zh("role.builtin.supervisor")));

        // A custom role from permission checkboxes.
        ui.click("role-new");
        ui.type("role-form-name", "qa");
        ui.click("role-perm-user.read");
        ui.click("role-perm-audit.read");
        ui.screenshot("console-role-form-zh");
        ui.click("role-save");
        ui.waitFor(d -> ui.text("role-row-qa").contains(ui.zh("perm.audit.read")) && ui.text("role-row-qa").contains(ui.zh("roles.custom")));

        ui.click("lang-en");
        ui.click("nav-audit");
        ui.waitText("page-title", ui.en("audit.title"));
        ui.waitFor(d -> ui.text("audit-table").contains(ui.en("audit.action.auth.login")));
        new Select(ui.el("audit-action")).selectByValue("user.");
        ui.waitFor(d -> !ui.text("audit-table").contains(ui.en("audit.action.auth.login")));
        ui.screenshot("console-audit-en");

        // A new extension shows its generated SIP password once.
        ui.click("nav-extensions");
        ui.waitFor(d -> ui.text("extensions-table").contains("1001"));
        ui.click("extension-new");
        ui.type("extension-form-number", "1201");
        ui.click("extension-save");
        ui.waitFor(d -> ui.text("extension-secret").length() >= 8);
        ui.screenshot("console-extension-secret-en");
        ui.click("extension-secret-close");
        ui.el("extension-row-1201");
        ui.screenshot("console-extensions-en");

        // A new API token is shown once, then listed by name.
        ui.click("nav-tokens");
        ui.click("token-new");
        ui.type("token-form-name", "crm");
        ui.click("token-save");
        ui.waitFor(d -> ui.text("token-secret").startsWith("hl_"));
        ui.click("token-secret-close");
        ui.el("token-row-crm");

        // Supervisor monitor shell.
        ui.open("/supervisor.html");
        ui.el("supervisor-monitor");
        ui.waitFor(d -> ui.text("supervisor-queues").contains("sales"));
        ui.screenshot("supervisor-en");
    }

    @Test
    void supervisorSeesConsoleAndMonitor() {
        ui.click("lang-zh");
        // The supervisor lands on the monitor (issue 14); the console is one link away, read-only.
        ui.login("demo", "lead", ui.server().demoPassword());
        ui.waitFor(ExpectedConditions.urlContains("/supervisor.html"));
        ui.el("supervisor-monitor");
        ui.click("link-console");
        ui.waitText("page-title", ui.zh("users.title"));
        assertThat(ui.driver().findElements(tid("user-new"))).as("read-only: no new-user button").isEmpty();
        ui.click("nav-supervisor");
        ui.el("supervisor-monitor");
        ui.waitText("app-title", ui.zh("supervisor.title"));
        ui.waitFor(d -> ui.text("supervisor-queues").contains("sales"));
        ui.screenshot("supervisor-zh");

        ui.click("logout");
        ui.waitFor(ExpectedConditions.urlContains("/login.html"));
        ui.open("/");
        ui.waitFor(ExpectedConditions.urlContains("/login.html"));
    }

    @Test
    void userChangesOwnPassword() {
        ui.click("lang-en");
        ui.login("demo", "agent3", ui.server().demoPassword());
        ui.el("agent-desk");
        ui.click("change-password");
        ui.el("password-dialog");
        ui.type("password-old", "not-my-password");
        ui.type("password-new", "agent3-new-pass");
        ui.type("password-confirm", "agent3-new-pass");
        ui.click("password-save");
        ui.waitText("password-old-error", ui.en("validation.wrongPassword"));
        ui.screenshot("password-wrong-en");
        ui.type("password-old", ui.server().demoPassword());
        ui.click("password-save");
        ui.waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("password-dialog")));
        ui.waitText("toast", ui.en("password.changed"));

        ui.click("logout");
        ui.login("demo", "agent3", "agent3-new-pass");
        ui.el("agent-desk");
    }

    /** Issue 14: an icon for every page (no 404 for /favicon.ico), linked by each page; voicemail has a menu group of its own. */
    @Test
    void everyPageHasAFaviconAndVoicemailItsOwnMenuGroup() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/favicon.ico", "/favicon.svg")) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(ui.server().baseUrl() + path)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(path).startsWith("image/");
            assertThat(r.body().length).as(path).isGreaterThan(100);
        }
        for (String page : List.of("/login.html", "/index.html", "/agent.html", "/supervisor.html")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(ui.server().baseUrl() + page)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.body()).as(page).contains("<link rel=\"icon\" href=\"/favicon.svg\"");
        }
        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitText("page-title", ui.en("users.title"));
        WebElement sidebar = ui.el("sidebar");
        String menu = sidebar.getText().toLowerCase(java.util.Locale.ROOT); // group headings are shown in capitals
        String group = ui.en("nav.group.messages").toLowerCase(java.util.Locale.ROOT);
        assertThat(menu).contains(group);
        assertThat(menu.indexOf(ui.en("nav.voicemail").toLowerCase(java.util.Locale.ROOT))).as("voicemail under its own group, before Reports")
                .isGreaterThan(menu.indexOf(group)).isLessThan(menu.indexOf(ui.en("nav.group.reports").toLowerCase(java.util.Locale.ROOT)));
        ui.click("nav-voicemail");
        ui.waitText("page-title", ui.en("voicemail.title"));
        ui.screenshot("console-voicemail-menu-en");
        ui.click("lang-zh");
        ui.waitFor(d -> ui.el("sidebar").getText().contains(ui.zh("nav.group.messages")));
        ui.click("lang-en");
    }

    @Test
    void operatorLandsOnEnterprises() {
        ui.click("lang-en");
        ui.login("system", "operator", ui.server().demoPassword());
        ui.waitFor(ExpectedConditions.urlContains("#/enterprises"));
        ui.waitText("page-title", ui.en("enterprises.title"));
        ui.waitFor(d -> ui.text("enterprises-table").contains("demo"));
        assertThat(ui.driver().findElements(tid("nav-users"))).isEmpty();
        ui.screenshot("console-enterprises-en");
    }

    @Test
    void operatorSeesASipBanAndLiftsIt() throws Exception {
        // SEC-1: a scanner's OPTIONS from 127.0.0.11 bans that address
        int sipPort = ui.server().hotline().engine().sipPort();
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.11"), 0))) {
            String local = "127.0.0.11:" + s.getLocalPort();
            byte[] out = ("OPTIONS sip:100@127.0.0.1:" + sipPort + " SIP/2.0\r\nVia: SIP/2.0/UDP " + local + ";branch=z9hG4bK-ban\r\n"
                    + "From: <sip:100@" + local + ">;tag=1\r\nTo: <sip:100@127.0.0.1>\r\nCall-ID: ban-console\r\nCSeq: 1 OPTIONS\r\n"
                    + "Max-Forwards: 70\r\nUser-Agent: friendly-scanner\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(out, out.length, InetAddress.getLoopbackAddress(), sipPort));
        }
        ui.click("lang-en");
        ui.login("system", "operator", ui.server().demoPassword());
        ui.waitFor(ExpectedConditions.urlContains("#/enterprises"));
        ui.click("nav-sip-bans");
        ui.waitText("page-title", ui.en("sipBans.title"));
        ui.waitFor(d -> ui.text("sip-bans-table").contains("127.0.0.11"));
        assertThat(ui.text("sip-bans-table")).contains("friendly-scanner", ui.en("sipBans.kind.address"));
        ui.screenshot("console-sip-bans-en");
        ui.click("sip-ban-delete-address/127.0.0.11");
        ui.click("confirm-ok");
        ui.waitFor(d -> !ui.text("sip-bans-table").contains("127.0.0.11"));
        assertThat(ui.fetchList("/api/v1/sip-bans")).isEmpty();
        ui.click("lang-zh");
        ui.waitText("page-title", ui.zh("sipBans.title"));
        ui.waitFor(d -> ui.text("sip-bans-table").contains(ui.zh("sipBans.empty")));
        ui.click("lang-en");
    }

    /** OPS-2: the backup page downloads the configuration, and says why a short passphrase or a missing file is refused. */
    @Test
    void adminBacksUpTheConfigurationFromTheConsole() {
        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitFor(ExpectedConditions.urlContains("#/users"));
        ui.click("nav-backup");
        ui.waitText("page-title", ui.en("backup.title"));
        ui.type("backup-passphrase", "short");
        ui.click("backup-download");
        ui.waitFor(d -> ui.text("backup-export-error").contains("8"));
        ui.type("backup-passphrase", "a long passphrase");
        ui.click("backup-download");
        ui.waitFor(d -> d.getPageSource().contains(ui.en("backup.downloaded")));
        ui.click("backup-restore-button");
        ui.waitText("backup-restore-error", ui.en("backup.chooseFile"));
        ui.screenshot("console-backup-en");
        ui.click("lang-zh");
        ui.waitText("page-title", ui.zh("backup.title"));
        ui.click("lang-en");
    }

    @Test
    void adminSetsTollFraudLimitsAndSeesFieldErrors() {
        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitFor(ExpectedConditions.urlContains("#/users"));
        ui.click("nav-toll");
        ui.waitText("page-title", ui.en("toll.title"));
        assertThat(ui.el("toll-international").isSelected()).as("international off by default").isFalse();
        ui.waitText("toll-no-refusals", ui.en("toll.noRefusals"));
        ui.type("toll-allowedPrefixes", "138, 1a");
        ui.click("toll-save");
        ui.el("toll-allowedPrefixes-error");
        ui.type("toll-allowedPrefixes", "138, 0086");
        ui.type("toll-maxCallsPerHour", "20");
        ui.type("toll-maxSpendPerDay", "150.5");
        ui.click("toll-save");
        ui.waitFor(d -> Long.valueOf(20).equals(((Number) ui.fetchJson("/api/v1/toll-policy").getOrDefault("maxCallsPerHour", 0)).longValue()));
        Map<String, Object> saved = ui.fetchJson("/api/v1/toll-policy");
        assertThat(saved.get("allowedPrefixes")).isEqualTo(List.of("138", "0086"));
        assertThat(saved.get("maxSpendPerDay").toString()).isEqualTo("150.5");
        assertThat(saved.get("maxCallsPerDay")).isNull();
        ui.screenshot("console-toll-en");
        ui.click("lang-zh");
        ui.waitText("page-title", ui.zh("toll.title"));
        ui.click("lang-en");
        ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", ui.server().demoPassword())
                .put("/api/v1/toll-policy", Map.of("countryCode", "86"));
    }
}
