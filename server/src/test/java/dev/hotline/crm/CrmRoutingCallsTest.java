package dev.hotline.crm;

import static dev.hotline.testing.Chromium.tid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.hotline.acd.Acd;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.Chromium;
import dev.hotline.testing.RtpCaller;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 16 item 7 end to end with SIPp callers and phones: the customer's tier sets the queue priority (ACD-3: a VIP
 * who rings later is offered first), the customer's owner is tried first (ACD-4: linear order would pick agent 1),
 * and the owner's desk in Chromium pops the record with its tier and open ticket, opens the queue's external URL with
 * the caller, the called number and the call id, and shows the customer's history with the earlier call.
 */
class CrmRoutingCallsTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static final String QUEUE_NUMBER = "4699";
    static final String PLAIN = "13500000102";
    static final String VIP = "13500000101";
    static final String OWNED = "013500000103";

    @Test
    void tierPriorityOwnerFirstAndTheCompletedPop() throws Exception {
        Path dir = Files.createTempDirectory("crm-routing");
        List<Sipp.Run> phones = new ArrayList<>();
        try (TestServer server = TestServer.start(TestDatabases.Kind.H2, Map.of("sip.default.enterprise", "demo"));
             Chromium chrome = Chromium.start()) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            ApiClient agent1 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
            ApiClient agent2 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", PW);
            Acd acd = server.hotline().acd();
            long enterprise = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
            long queueId = 0;
            for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("sales")) queueId = q.get("id").asLong();
            assertThat(admin.put("/api/v1/queues/" + queueId, Map.of("name", "sales", "strategy", "linear",
                    "settings", Map.of("ringTimeoutSeconds", 5, "stickySeconds", 15))).status()).isEqualTo(200);
            assertThat(admin.post("/api/v1/numbers", Map.of("number", QUEUE_NUMBER, "destinationType", "queue", "destination", "sales")).status())
                    .isEqualTo(201);
            assertThat(admin.post("/api/v1/customer-fields", Map.of("key", "tier", "label", "Tier", "type", "single_choice",
                    "options", List.of("vip", "normal"))).status()).isEqualTo(201);
            String popTemplate = server.baseUrl() + "/favicon.svg?caller={caller}&called={called}&callId={callId}";
            var settings = admin.put("/api/v1/crm-settings", Map.of("tierField", "tier", "tierPriorities", Map.of("vip", 20, "normal", 0),
                    "popUrls", Map.of("sales", popTemplate)));
            assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
            var badSettings = admin.put("/api/v1/crm-settings", Map.of("tierField", "nope", "tierPriorities", Map.of("vip", 99),
                    "popUrls", Map.of("nosuchqueue", "ftp://x")));
            assertThat(badSettings.status()).isEqualTo(400);
            assertThat(badSettings.json().get("fieldErrors").findValuesAsText("field"))
                    .containsExactlyInAnyOrder("tierField", "tierPriorities.vip", "popUrls.nosuchqueue");
            assertThat(agent1.put("/api/v1/crm-settings", Map.of()).status()).as("customer.manage only").isEqualTo(403);
            assertThat(agent1.get("/api/v1/crm-settings").json().get("popUrls").get("sales").asText()).isEqualTo(popTemplate);
            customer(admin, "Vip Wei", VIP, "vip");
            customer(admin, "Plain Pu", PLAIN, "normal");
            long owned = customer(agent2, "Owned Ou", OWNED, "normal");
            var ticket = agent2.post("/api/v1/tickets", Map.of("type", "consultation", "title", "Delivery date", "customerId", owned,
                    "form", Map.of("topic", "delivery")));
            assertThat(ticket.status()).as(ticket.toString()).isEqualTo(201);
            String tracking = ticket.json().get("trackingNumber").asText();
            var closed = agent2.post("/api/v1/tickets", Map.of("type", "consultation", "title", "Old question", "customerId", owned,
                    "form", Map.of("topic", "old")));
            assertThat(agent2.post("/api/v1/tickets/" + closed.json().get("id").asLong() + "/status", Map.of("status", "closed")).status()).isEqualTo(200);
            acd.settle();

            SipPeers peers = new SipPeers(dir, server.hotline().engine().sipPort());
            int port1 = Ports.free();
            phones.add(peers.phone(port1));
            peers.register("1001", PW, port1, "200");
            int port2 = Ports.free();
            phones.add(peers.phone(port2));
            peers.register("1002", PW, port2, "200");

            // ACD-3: agent 1 signed in but not ready; the plain caller rings first, the VIP later; agent 1 gets ready.
            assertThat(agent1.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            assertThat(agent1.get("/api/v1/agent/state").json().get("state").asText()).as("signed in, not ready").isEqualTo("not_ready");
            Sipp.Run plain = peers.uac("uac_call", QUEUE_NUMBER, SipPeers.vars(PLAIN, "PAUSE", "25000"), "-timeout", "60");
            await().atMost(Duration.ofSeconds(10)).until(() -> acd.waiting(enterprise).size() == 1);
            Sipp.Run vip = peers.uac("uac_call", QUEUE_NUMBER, SipPeers.vars(VIP, "PAUSE", "10000"), "-timeout", "60");
            List<Acd.WaitingView> both = await().atMost(Duration.ofSeconds(10)).until(() -> acd.waiting(enterprise), w -> w.size() == 2
                    && w.stream().anyMatch(x -> x.caller().equals(VIP) && x.priority() >= 20));
            assertThat(both).filteredOn(x -> x.caller().equals(PLAIN)).extracting(Acd.WaitingView::priority).containsExactly(0);
            assertThat(agent1.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
            SipPeers.ok(vip);
            SipPeers.ok(plain);
            JsonNode vipRecord = record(admin, VIP, 1).get(0);
            assertThat(vipRecord.get("agentJob").asText()).as(vipRecord.toString()).isEqualTo("8001");
            Instant vipOffered = firstOffer(admin, vipRecord).orElseThrow();
            // The plain caller (in the queue since before the VIP) is offered only after the VIP, if at all before hanging up.
            Instant plainOffered = firstOffer(admin, record(admin, PLAIN, 1).get(0)).orElse(Instant.MAX);
            assertThat(vipOffered).as("the VIP who rang later is offered first").isBefore(plainOffered);

            // ACD-4: both agents ready, linear order (agent 1 first); the owner's customer goes to agent 2, a stranger to agent 1.
            await().atMost(Duration.ofSeconds(20)).until(() -> agent1.get("/api/v1/agent/state").json().get("state").asText(),
                    s -> s.equals("ready") || s.equals("wrap_up") || s.equals("not_ready"));
            assertThat(agent1.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
            assertThat(agent2.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            assertThat(agent2.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
            SipPeers.ok(peers.uac("uac_call", QUEUE_NUMBER, SipPeers.vars(OWNED, "PAUSE", "5000"), "-timeout", "60"));
            JsonNode ownedCall = record(admin, OWNED, 1).get(0);
            assertThat(firstOfferedJob(admin, ownedCall)).as("the owner is tried first").isEqualTo("8002");
            assertThat(ownedCall.get("agentJob").asText()).as("and answers").isEqualTo("8002");
            awaitReady(agent1);
            awaitReady(agent2);
            SipPeers.ok(peers.uac("uac_call", QUEUE_NUMBER, SipPeers.vars("13500000109", "PAUSE", "5000"), "-timeout", "60"));
            // Who the ACD offered the call to first (whether that SIPp phone then answered in time is not the point here).
            JsonNode stranger = record(admin, "13500000109", 1).get(0);
            assertThat(firstOfferedJob(admin, stranger)).as("no owner: linear order offers agent 1 first").isEqualTo("8001");
            awaitReady(agent1);
            awaitReady(agent2);

            // The owner's desk: the pop with tier and open ticket, the external URL, the history.
            ChromeDriver d = chrome.driver();
            chrome.signInEnglish(server.baseUrl(), "demo", "agent2", PW);
            WebDriverWait wait = chrome.waitAtMost(Duration.ofSeconds(20));
            wait.until(ExpectedConditions.urlContains("/agent.html"));
            wait.until(x -> "true".equals(String.valueOf(d.executeScript("return !!document.querySelector('[data-testid=agent-desk]')"))));
            String deskWindow = d.getWindowHandle();
            try (RtpCaller caller = RtpCaller.call(server.hotline().engine().sipPort(), OWNED, QUEUE_NUMBER)) {
                caller.quiet(20_000);
                // The pop may load twice as the call goes from offered to answered: wait for its content, not only its state.
                wait.until(x -> "Owned Ou".equals(text(x, "desk-crm-name")) && "normal".equals(text(x, "desk-crm-tier")));
                wait.until(x -> text(x, "desk-crm-ticket").contains(tracking) && text(x, "desk-crm-ticket").contains("Delivery date"));
                assertThat(d.findElements(tid("desk-crm-ticket"))).as("open tickets only").hasSize(1);
                String href = wait.until(x -> x.findElements(tid("desk-url-pop")).isEmpty() ? null : x.findElement(tid("desk-url-pop")).getAttribute("href"));
                String callId = acd.agentView(enterprise, agent2.get("/api/v1/me").json().get("id").asLong()).orElseThrow().callId();
                String expected = server.baseUrl() + "/favicon.svg?caller=" + enc(OWNED) + "&called=" + QUEUE_NUMBER + "&callId=" + enc(callId);
                assertThat(href).isEqualTo(expected);
                wait.until(x -> x.getWindowHandles().size() == 2);
                for (String w : d.getWindowHandles()) {
                    if (w.equals(deskWindow)) continue;
                    d.switchTo().window(w);
                    wait.until(x -> x.getCurrentUrl().startsWith(server.baseUrl() + "/favicon.svg"));
                    assertThat(d.getCurrentUrl()).as("the window the desk opened").isEqualTo(expected);
                    d.close();
                }
                d.switchTo().window(deskWindow);

                d.findElement(tid("desk-tab-history")).click();
                // The timeline renders its kinds as each arrives (calls, tickets, orders): read it once it holds them all.
                String ownedCallId = ownedCall.get("callId").asText();
                wait.ignoring(StaleElementReferenceException.class).until(x -> !x.findElements(tid("desk-timeline-call")).isEmpty()
                        && ownedCallId.equals(x.findElement(tid("desk-timeline-call")).getAttribute("data-call"))
                        && x.findElements(tid("desk-timeline-ticket")).size() == 2);
                assertThat(d.findElements(tid("desk-timeline-ticket"))).as("both tickets, the closed one too").hasSize(2)
                        .anySatisfy(e -> assertThat(e.getText()).contains(tracking, "Delivery date"));
                chrome.screenshot("crm-desk-history-en");
                d.findElement(tid("lang-zh")).click();
                wait.until(x -> x.findElement(tid("desk-tab-history")).getText().equals("联系历史"));
                d.findElement(tid("lang-en")).click();
                wait.until(ExpectedConditions.elementToBeClickable(tid("desk-tab-caller"))).click(); // re-rendered in English
                caller.bye();
            }
            assertThat(chrome.scriptErrors()).as("errors in the browser console").isEmpty();
        } finally {
            phones.forEach(Sipp.Run::kill);
        }
    }

    @Test
    void aBlockedPopUpWindowIsShownInsideTheDesk() throws Exception {
        // AGENT-4: a browser that blocks the pop-up window (window.open gives nothing back, as a blocker does): the desk shows the
        // queue's external page (a CRM of the test's own, another origin) inside its customer panel, with the link and a close
        // button, in en and zh.
        Path dir = Files.createTempDirectory("crm-blocked-pop");
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer crm = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        crm.createContext("/pop", ex -> {
            asked.add(ex.getRequestURI().getRawQuery());
            byte[] page = "<!DOCTYPE html><html><body><h1 id=\"crm\">External CRM record</h1></body></html>".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, page.length);
            try (var out = ex.getResponseBody()) {
                out.write(page);
            }
        });
        crm.start();
        try (TestServer server = TestServer.start(TestDatabases.Kind.H2, Map.of("sip.default.enterprise", "demo"));
             Chromium chrome = Chromium.start()) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
            assertThat(admin.post("/api/v1/numbers", Map.of("number", QUEUE_NUMBER, "destinationType", "queue", "destination", "sales")).status())
                    .isEqualTo(201);
            String crmBase = "http://127.0.0.1:" + crm.getAddress().getPort() + "/pop";
            assertThat(admin.put("/api/v1/crm-settings", Map.of("popUrls", Map.of("sales", crmBase + "?caller={caller}&called={called}&callId={callId}")))
                    .status()).isEqualTo(200);
            server.hotline().acd().settle();
            int phonePort = Ports.free();
            SipPeers peers = new SipPeers(dir, server.hotline().engine().sipPort());
            Sipp.Run phone = peers.phone(phonePort);
            try {
                peers.register("1001", PW, phonePort, "200");
                assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
                assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
                ChromeDriver d = chrome.driver();
                chrome.signInEnglish(server.baseUrl(), "demo", "agent1", PW);
                WebDriverWait wait = chrome.waitAtMost(Duration.ofSeconds(20));
                wait.until(ExpectedConditions.urlContains("/agent.html"));
                wait.until(x -> "true".equals(String.valueOf(d.executeScript("return !!document.querySelector('[data-testid=agent-desk]')"))));
                d.executeScript("window.open = function () { return null; };");
                try (RtpCaller caller = RtpCaller.call(server.hotline().engine().sipPort(), PLAIN, QUEUE_NUMBER)) {
                    caller.quiet(60_000);
                    String src = wait.until(x -> x.findElements(tid("desk-url-pop-frame")).isEmpty() ? null
                            : x.findElement(tid("desk-url-pop-frame")).getAttribute("src"));
                    String callId = agent.get("/api/v1/live-calls").json().at("/0/call/callId").asText();
                    String query = "caller=" + enc(PLAIN) + "&called=" + QUEUE_NUMBER + "&callId=" + enc(callId);
                    assertThat(src).isEqualTo(crmBase + "?" + query);
                    assertThat(d.findElement(tid("desk-customer")).findElement(tid("desk-url-pop")).getAttribute("href")).as("the link too")
                            .isEqualTo(crmBase + "?" + query);
                    // The external CRM was asked for the page and the frame shows it.
                    await().atMost(Duration.ofSeconds(20)).until(() -> asked.contains(query));
                    d.switchTo().frame(d.findElement(tid("desk-url-pop-frame")));
                    wait.until(x -> !x.findElements(org.openqa.selenium.By.id("crm")).isEmpty());
                    assertThat(d.findElement(org.openqa.selenium.By.id("crm")).getText()).isEqualTo("External CRM record");
                    d.switchTo().defaultContent();
                    assertThat(d.getWindowHandles()).as("no window was opened").hasSize(1);
                    assertThat(text(d, "desk-url-pop-blocked")).isEqualTo("The browser blocked the pop-up window: the page is shown here");
                    chrome.screenshot("agent4-blocked-pop-en");
                    d.findElement(tid("lang-zh")).click();
                    wait.until(x -> text(x, "desk-url-pop-blocked").equals("浏览器拦截了弹出窗口，页面显示在此处"));
                    assertThat(text(d, "desk-url-pop-close")).isEqualTo("关闭");
                    chrome.screenshot("agent4-blocked-pop-zh");
                    d.findElement(tid("lang-en")).click();
                    wait.until(ExpectedConditions.elementToBeClickable(tid("desk-url-pop-close"))).click();
                    wait.until(x -> x.findElements(tid("desk-url-pop-frame")).isEmpty());
                    assertThat(d.findElements(tid("desk-url-pop"))).as("the link stays").hasSize(1);
                    caller.bye();
                }
                assertThat(chrome.scriptErrors()).as("errors in the browser console").isEmpty();
            } finally {
                phone.kill();
            }
        } finally {
            crm.stop(0);
        }
    }

    static String text(org.openqa.selenium.WebDriver d, String testId) {
        var els = d.findElements(tid(testId));
        return els.isEmpty() ? "" : els.get(0).getText();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static long customer(ApiClient who, String name, String number, String tier) {
        var r = who.post("/api/v1/customers", Map.of("name", name, "sharing", "enterprise", "phones", List.of(Map.of("number", number)),
                "fields", Map.of("tier", tier)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    static void awaitReady(ApiClient agent) {
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.get("/api/v1/agent/state").json().get("state").asText(),
                s -> s.equals("ready") || s.equals("wrap_up") || s.equals("not_ready"));
        if (!agent.get("/api/v1/agent/state").json().get("state").asText().equals("ready")) {
            assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
        }
    }

    static List<JsonNode> record(ApiClient admin, String caller, int count) {
        return await("records of " + caller).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode r : admin.get("/api/v1/calls?limit=100&number=" + caller).json().get("items")) out.add(0, r);
            return out;
        }, l -> l.size() >= count);
    }

    static String firstOfferedJob(ApiClient admin, JsonNode record) {
        for (JsonNode e : admin.get("/api/v1/calls/" + record.get("callId").asText() + "/events").json()) {
            if (e.get("type").asText().equals("queue_offer")) {
                for (String kv : e.get("data").asText().split(" ")) if (kv.startsWith("job=")) return kv.substring(4);
            }
        }
        return "none";
    }

    static Optional<Instant> firstOffer(ApiClient admin, JsonNode record) {
        for (JsonNode e : admin.get("/api/v1/calls/" + record.get("callId").asText() + "/events").json()) {
            if (e.get("type").asText().equals("queue_offer")) return Optional.of(Instant.parse(e.get("at").asText()));
        }
        return Optional.empty();
    }
}
