package dev.hotline.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.testing.Chromium;
import dev.hotline.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * The telephony pages of the console (trunks, numbers, outbound routes, blacklist, extensions'
 * registration and outbound permission, call records) in headless Chromium against the whole
 * server in-process. Screenshots go to {@code target/screenshots/tel-*.png}.
 */
class TelephonyPagesBrowserTest {
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
    void adminConfiguresTrunksNumbersRoutesAndBlacklist() throws IOException {
        click("lang-en");
        login("demo", "admin", server.demoPassword());
        waitText("page-title", en.get("users.title"));
        for (String page : List.of("trunks", "numbers", "routes", "blacklist", "calls")) {
            assertThat(text("nav-" + page)).isEqualTo(en.get("nav." + page));
        }

        // ---- trunks: the kind switch shows the fields of each kind; errors beside the fields
        click("nav-trunks");
        waitText("page-title", en.get("trunks.title"));
        waitFor(d -> text("trunk-row-loopback").contains("127.0.0.1:5080 / UDP"));
        assertThat(text("trunk-row-loopback")).contains(en.get("trunks.kind.ip"), en.get("common.enabled"));
        click("trunk-new");
        el("trunk-dialog");
        el("trunk-form-allowed-ips");
        assertThat(chrome.driver().findElements(tid("trunk-form-secret"))).isEmpty();
        click("trunk-form-kind-register");
        el("trunk-form-secret");
        assertThat(chrome.driver().findElements(tid("trunk-form-allowed-ips"))).isEmpty();
        click("trunk-save");
        waitText("trunk-form-name-error", en.get("validation.required"));
        assertThat(text("trunk-form-host-error")).isEqualTo(en.get("validation.required"));
        assertThat(text("trunk-form-username-error")).isEqualTo(en.get("validation.required"));
        assertThat(text("trunk-form-secret-error")).isEqualTo(en.get("validation.required"));
        chrome.screenshot("tel-trunk-form-errors-en");
        type("trunk-form-name", "carrier-b");
        type("trunk-form-host", "sip.carrier.example");
        type("trunk-form-username", "acct-77");
        type("trunk-form-secret", "trunk-secret-9");
        type("trunk-form-caller-id", "02150000000");
        click("trunk-save");
        waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("trunk-dialog")));
        waitFor(d -> text("trunk-row-carrier-b").contains("sip.carrier.example:5060 / UDP"));
        assertThat(text("trunk-row-carrier-b")).contains(en.get("trunks.kind.register"), "acct-77", "02150000000");
        // Nothing answers at sip.carrier.example: the registration state is shown (registering, then failed with its reason).
        chrome.driver().navigate().refresh();
        waitFor(d -> text("trunk-row-carrier-b").contains(en.get("trunks.reg.registering"))
                || text("trunk-row-carrier-b").contains(en.get("trunks.reg.failed")));
        Map<String, Object> stored = find(fetchList("/api/v1/trunks"), "name", "carrier-b");
        assertThat(stored).containsEntry("kind", "register").doesNotContainKey("secret");

        // An IP trunk: allowed addresses from a comma-separated list.
        click("trunk-new");
        type("trunk-form-name", "carrier-ip");
        type("trunk-form-host", "203.0.113.5");
        type("trunk-form-allowed-ips", "203.0.113.6, 203.0.113.7");
        click("trunk-save");
        waitFor(d -> text("trunk-row-carrier-ip").contains("203.0.113.6") && text("trunk-row-carrier-ip").contains("203.0.113.7"));
        chrome.screenshot("tel-trunks-en");

        // A trunk in use cannot be deleted, and the page says why.
        click("trunk-delete-loopback");
        click("confirm-ok");
        waitText("trunk-action-error", en.get("trunks.inUse").replace("{name}", "loopback"));
        el("trunk-row-loopback");
        chrome.screenshot("tel-trunk-in-use-en");
        // An unused one can.
        click("trunk-delete-carrier-ip");
        click("confirm-ok");
        waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("trunk-row-carrier-ip")));

        // ---- numbers: the destination is chosen from the extensions
        click("nav-numbers");
        waitText("page-title", en.get("numbers.title"));
        waitFor(d -> text("number-row-4000").contains("1001") && text("number-row-4000").contains("loopback"));
        click("number-new");
        type("number-form-number", "4001");
        click("number-save");
        waitText("number-form-destination-error", en.get("validation.required"));
        new Select(el("number-form-trunk")).selectByVisibleText("carrier-b");
        new Select(el("number-form-destination")).selectByValue("1002");
        type("number-form-description", "Sales line");
        click("number-save");
        waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("number-dialog")));
        waitFor(d -> text("number-row-4001").contains("1002"));
        assertThat(text("number-row-4001")).contains("carrier-b", "Sales line", en.get("numbers.destType.extension"));
        assertThat(find(fetchList("/api/v1/numbers"), "number", "4001")).containsEntry("destination", "1002");
        chrome.screenshot("tel-numbers-en");

        // ---- outbound routes: a PIN-protected route, listed before "outside" by its priority
        click("nav-routes");
        waitText("page-title", en.get("routes.title"));
        el("route-row-outside");
        click("route-new");
        type("route-form-name", "intl");
        type("route-form-prefix", "00");
        new Select(el("route-form-trunk")).selectByVisibleText("carrier-b");
        type("route-form-caller-id", "02150000000");
        type("route-form-priority", "10");
        type("route-form-pin", "12");
        click("route-save");
        waitText("route-form-pin-error", en.get("validation.pin"));
        type("route-form-pin", "4321");
        click("route-save");
        waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("route-dialog")));
        waitText("route-pin-intl", en.get("routes.hasPin"));
        assertThat(text("route-row-intl")).contains("00", "carrier-b", "02150000000");
        String routes = text("routes-table");
        assertThat(routes.indexOf("intl")).as("matching order").isLessThan(routes.indexOf("outside"));
        Map<String, Object> route = find(fetchList("/api/v1/outbound-routes"), "name", "intl");
        assertThat(route).containsEntry("hasPin", true).doesNotContainKey("pin");
        chrome.screenshot("tel-routes-en");
        // Editing keeps the PIN unless asked to remove it.
        click("route-edit-intl");
        waitFor(d -> text("route-dialog").contains(en.get("routes.pinKeep")));
        type("route-form-priority", "20");
        click("route-save");
        waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("route-dialog")));
        waitFor(d -> ((Number) find(fetchList("/api/v1/outbound-routes"), "name", "intl").get("priority")).intValue() == 20);
        assertThat(find(fetchList("/api/v1/outbound-routes"), "name", "intl")).containsEntry("hasPin", true);
        click("route-edit-intl");
        click("route-form-remove-pin");
        assertThat(el("route-form-pin").isEnabled()).isFalse();
        chrome.screenshot("tel-route-edit-en");
        click("route-save");
        waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("route-dialog")));
        waitFor(d -> d.findElements(tid("route-pin-intl")).isEmpty());
        assertThat(find(fetchList("/api/v1/outbound-routes"), "name", "intl")).containsEntry("hasPin", false);

        // ---- blacklist: a prefix entry, and a duplicate is refused beside the field
        click("nav-blacklist");
        waitText("page-title", en.get("blacklist.title"));
        click("blacklist-new");
        assertThat(text("blacklist-dialog")).contains(en.get("blacklist.numberHint"));
        type("blacklist-form-number", "1390000*");
        type("blacklist-form-note", "spam calls");
        click("blacklist-save");
        waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("blacklist-dialog")));
        waitFor(d -> text("blacklist-row-1390000*").contains("spam calls"));
        assertThat(text("blacklist-row-1390000*")).contains(en.get("blacklist.prefix"));
        click("blacklist-new");
        type("blacklist-form-number", "1390000*");
        click("blacklist-save");
        waitText("blacklist-form-number-error", en.get("validation.alreadyBlocked"));
        type("blacklist-form-number", "12ab");
        click("blacklist-save");
        waitText("blacklist-form-number-error", en.get("validation.blacklistNumber"));
        chrome.screenshot("tel-blacklist-form-en");
        chrome.driver().findElement(By.cssSelector("[data-testid='blacklist-dialog'] .icon-btn")).click();
        chrome.screenshot("tel-blacklist-en");

        // ---- extensions: registration status and outbound permission
        click("nav-extensions");
        waitFor(d -> text("extension-reg-1001").equals(en.get("extensions.reg.unregistered")));
        assertThat(text("extension-outbound-1002")).isEqualTo(en.get("extensions.outboundYes"));
        click("extension-edit-1002");
        assertThat(el("extension-form-outbound").isSelected()).isTrue();
        click("extension-form-outbound");
        click("extension-save");
        waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("extension-dialog")));
        waitText("extension-outbound-1002", en.get("extensions.outboundNo"));
        assertThat(find(fetchList("/api/v1/extensions"), "number", "1002")).containsEntry("outboundAllowed", false);
        // A phone registers 1003 (password set in the form): the column shows where it is and until when.
        click("extension-edit-1003");
        type("extension-form-password", "phone-1003-pw");
        click("extension-save");
        waitFor(ExpectedConditions.invisibilityOfElementLocated(tid("extension-dialog")));
        int phonePort = register("1003", "phone-1003-pw");
        click("extensions-refresh");
        waitFor(d -> text("extension-reg-1003").contains(en.get("extensions.reg.registered")));
        assertThat(text("extension-reg-1003")).contains("127.0.0.1:" + phonePort, "UDP", "hotline-browser-test");
        assertThat(text("extension-reg-1001")).isEqualTo(en.get("extensions.reg.unregistered"));
        chrome.screenshot("tel-extensions-en");

        // ---- call records: a blacklisted caller on the loopback trunk leaves a "blocked" record
        assertThat(blockedCall("13900001234")).isEqualTo(603);
        click("nav-calls");
        waitText("page-title", en.get("calls.title"));
        waitFor(d -> text("calls-table").contains("13900001234"));
        WebElement row = chrome.driver().findElement(By.xpath("//tr[starts-with(@data-testid,'call-row-')][contains(., '13900001234')]"));
        assertThat(row.getText()).contains("4000", en.get("calls.outcome.blocked"), en.get("calls.hangupBy.system"), en.get("calls.direction.inbound"));
        chrome.screenshot("tel-calls-en");
        row.click();
        el("call-detail");
        waitFor(d -> !d.findElements(tid("call-event-blocked")).isEmpty());
        assertThat(text("call-events")).contains(en.get("calls.event.arrived"), en.get("calls.event.blocked"), "rule=1390000*");
        chrome.screenshot("tel-call-detail-en");
        click("call-detail-close");

        // Filters: another outcome shows the empty state; the number filter finds the call.
        new Select(el("calls-outcome")).selectByValue("answered");
        waitText("calls-empty", en.get("calls.empty"));
        new Select(el("calls-outcome")).selectByValue("");
        type("calls-number", "13900001234");
        click("calls-search");
        waitFor(d -> text("calls-range").equals(en.get("common.range").replace("{first}", "1").replace("{last}", "1").replace("{total}", "1")));

        // The same pages in Chinese.
        click("lang-zh");
        waitText("page-title", zh.get("calls.title"));
        waitFor(d -> text("calls-table").contains(zh.get("calls.outcome.blocked")));
        chrome.screenshot("tel-calls-zh");
        for (String page : List.of("trunks", "numbers", "routes", "blacklist", "extensions")) {
            click("nav-" + page);
            waitText("page-title", zh.get(page + ".title"));
            waitFor(d -> !text(page + "-table").contains(zh.get("common.noData")) && text(page + "-table").lines().count() > 1);
            chrome.screenshot("tel-" + page + "-zh");
        }
        click("nav-trunks");
        click("trunk-edit-carrier-b");
        el("trunk-form-secret");
        assertThat(el("trunk-form-secret").getAttribute("value")).isEmpty();
        assertThat(text("trunk-dialog")).contains(zh.get("trunks.secretKeep"));
        chrome.screenshot("tel-trunk-form-zh");
    }

    @Test
    void supervisorSeesTelephonyPagesWithoutEditing() {
        click("lang-zh");
        login("demo", "lead", server.demoPassword());
        waitText("page-title", zh.get("users.title"));

        click("nav-trunks");
        waitText("page-title", zh.get("trunks.title"));
        el("trunk-row-loopback");
        assertThat(chrome.driver().findElements(tid("trunk-new"))).as("read-only: no new-trunk button").isEmpty();
        assertThat(chrome.driver().findElements(tid("trunk-edit-loopback"))).isEmpty();
        assertThat(chrome.driver().findElements(tid("trunk-delete-loopback"))).isEmpty();
        chrome.screenshot("tel-trunks-readonly-zh");

        click("nav-numbers");
        waitFor(d -> text("number-row-4000").contains("1001"));
        assertThat(chrome.driver().findElements(tid("number-new"))).isEmpty();
        assertThat(chrome.driver().findElements(tid("number-edit-4000"))).isEmpty();

        click("nav-routes");
        el("route-row-outside");
        assertThat(chrome.driver().findElements(tid("route-new"))).isEmpty();
        assertThat(chrome.driver().findElements(tid("route-edit-outside"))).isEmpty();
        chrome.screenshot("tel-routes-readonly-zh");

        click("nav-blacklist");
        waitText("page-title", zh.get("blacklist.title"));
        waitFor(d -> !text("blacklist-table").contains(zh.get("common.loading")));
        assertThat(chrome.driver().findElements(tid("blacklist-new"))).isEmpty();
        assertThat(chrome.driver().findElements(By.cssSelector("[data-testid^='blacklist-delete-']"))).isEmpty();

        click("nav-extensions");
        waitFor(d -> text("extension-reg-1001").equals(zh.get("extensions.reg.unregistered")));
        assertThat(chrome.driver().findElements(tid("extension-new"))).isEmpty();

        // Call records: rows or the empty state, never an error.
        click("nav-calls");
        waitText("page-title", zh.get("calls.title"));
        waitFor(d -> !d.findElements(tid("calls-empty")).isEmpty()
                || !d.findElements(By.cssSelector("[data-testid^='call-row-']")).isEmpty());
        assertThat(chrome.driver().findElements(tid("calls-error"))).isEmpty();
        chrome.screenshot("tel-calls-supervisor-zh");
    }

    // ---------- a SIP caller ----------

    /**
     * Sends an INVITE from {@code caller} to DID 4000 over UDP from 127.0.0.1 (the demo trunk
     * {@code loopback}), acknowledges the final answer and returns its status.
     */
    private static int blockedCall(String caller) throws IOException {
        int sipPort = server.hotline().engine().sipPort();
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
            long deadline = System.nanoTime() + DEADLINE.toNanos();
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
        int sipPort = server.hotline().engine().sipPort();
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
        long deadline = System.nanoTime() + DEADLINE.toNanos();
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

    // ---------- helpers ----------

    private static Map<String, String> bundle(String lang) {
        try (InputStream in = TelephonyPagesBrowserTest.class.getResourceAsStream("/web/i18n/" + lang + ".json")) {
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

    /** GET of a same-origin JSON array from inside the page (with the session cookie). */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> fetchList(String path) {
        Object r = js().executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.json()).then(done, e => done([{error: String(e)}]));",
                path);
        return (List<Map<String, Object>>) r;
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
