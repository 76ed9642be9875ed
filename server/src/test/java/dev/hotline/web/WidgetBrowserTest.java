package dev.hotline.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.Chromium;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * API-3 end to end: the "call us" widget's one script tag on a page served by another origin (a tiny HTTP server of this test
 * on a port of its own) puts a call button there; the visitor's browser (headless Chromium, fake microphone) calls into the
 * queue sales over WebRTC without any login; agent1's desk in a second browser rings with "web:…" and the page the visitor is
 * on, answers, and audio flows both ways (getStats on both pages); the visitor hangs up and the desk's call ends. The same
 * page opened under another origin (localhost instead of 127.0.0.1) is refused, and the limits per address and per widget
 * answer 429 with Retry-After. Also the settings API: 400 naming the fields, another enterprise's widget 404.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WidgetBrowserTest {
    static final Duration DEADLINE = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();

    TestServer server;
    ApiClient admin;
    HttpServer site;
    String listedOrigin;
    String unlistedOrigin;
    long salesId;
    long widgetId;
    String widgetKey;
    DeskBrowserTest.Desk agent1;
    Chromium visitor;
    final HttpClient http = HttpClient.newHttpClient();

    /** The two browsers start while the server does (they need nothing of it until they open a page). */
    CompletableFuture<Chromium> deskBrowser;
    CompletableFuture<Chromium> visitorBrowser;

    @BeforeAll
    void start() throws Exception {
        deskBrowser = CompletableFuture.supplyAsync(Chromium::startWebRtc);
        visitorBrowser = CompletableFuture.supplyAsync(Chromium::startWebRtc);
        server = TestServer.start(TestDatabases.Kind.H2, Map.of());
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("sales")) salesId = q.get("id").asLong();
        var put = admin.put("/api/v1/queues/" + salesId, Map.of("name", "sales", "strategy", "linear", "settings", Map.of("ringTimeoutSeconds", 30)));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        server.hotline().acd().settle();

        // The company's site: any page under /shop/ embeds the widget whose key is in the query (?key=...).
        site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        site.createContext("/shop/", ex -> {
            String query = ex.getRequestURI().getRawQuery();
            String key = query == null ? "" : query.replaceAll(".*key=([0-9a-f]*).*", "$1");
            byte[] page = ("<!doctype html><html><head><meta charset=utf-8><title>Shop</title></head><body><h1>Product 42</h1>"
                    + "<script src=\"" + server.baseUrl() + "/widget.js\" data-key=\"" + key + "\" data-lang=\"en\"></script>"
                    + "</body></html>").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, page.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(page);
            }
        });
        site.start();
        listedOrigin = "http://127.0.0.1:" + site.getAddress().getPort();
        unlistedOrigin = "http://localhost:" + site.getAddress().getPort();

        var w = admin.post("/api/v1/widgets", Map.of("name", "shop", "queueId", salesId, "origins", List.of(listedOrigin + "/", "https://www.example.com")));
        assertThat(w.status()).as(w.toString()).isEqualTo(201);
        widgetId = w.json().get("id").asLong();
        widgetKey = w.json().get("key").asText();
        assertThat(w.json().get("origins").get(0).asText()).as("stored as browsers send it").isEqualTo(listedOrigin);
        assertThat(w.json().get("queue").asText()).isEqualTo("sales");
        assertThat(w.json().get("perAddressPerMinute").asInt()).isEqualTo(5);
        agent1 = new DeskBrowserTest.Desk(server.baseUrl(), "agent1", deskBrowser.join());
        visitor = visitorBrowser.join();
    }

    @AfterAll
    void stop() {
        try {
            // Closed even when the setup failed half way (a browser started but not handed over).
            for (CompletableFuture<Chromium> f : List.of(deskBrowser, visitorBrowser)) {
                if (f != null) f.thenAccept(Chromium::close).exceptionally(e -> null).join();
            }
            if (site != null) site.stop(0);
        } finally {
            server.close();
        }
    }

    String pageUrl(String origin, String key) {
        return origin + "/shop/product.html?key=" + key + "&id=42";
    }

    JavascriptExecutor js() {
        return visitor.driver();
    }

    <T> T waitForVisitor(Function<? super WebDriver, T> condition) {
        WebDriverWait wait = visitor.waitAtMost(DEADLINE);
        try {
            return wait.until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            visitor.screenshot("widget-timeout");
            throw new AssertionError("visitor: timed out; widget " + widget() + "; console " + visitor.consoleLog(), e);
        }
    }

    JsonNode widget() {
        return evalJson("return JSON.stringify(window.HotlineWidget ? HotlineWidget.state() : {})");
    }

    JsonNode widgetStats() {
        Object r = js().executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "HotlineWidget.stats().then(s => done(JSON.stringify(s)), e => done(JSON.stringify({error: String(e)})));");
        try {
            return JSON.readTree((String) r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    JsonNode evalJson(String script) {
        try {
            return JSON.readTree((String) js().executeScript(script));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String widgetState() {
        return widget().path("state").asText("");
    }

    HttpResponse<String> publicRequest(String method, String path, String origin, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/public/widget/" + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "text/plain");
        if (origin != null) b.header("Origin", origin);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aVisitorOnAListedSiteCallsTheQueueFromTheBrowserAndTheDeskAnswersWithThePageShown() throws Exception {
        visitor.scriptErrors(); // from here on (the refused site's CORS errors are expected)
        agent1.signIn();
        agent1.checkInWebRtc();
        agent1.ready();
        try {
            String page = pageUrl(listedOrigin, widgetKey);
            visitor.driver().get(page);
            waitForVisitor(d -> widgetState().equals("idle"));
            visitor.driver().findElement(Chromium.tid("hotline-widget-button")).click();

            // The desk rings with the visitor ("web:…"), the queue and the page they called from.
            agent1.waitFor(d -> agent1.text("desk-incoming-number").startsWith("web:"));
            String caller = agent1.text("desk-incoming-number");
            assertThat(caller).isEqualTo(widget().get("visitor").asText()).matches("web:[0-9a-f]{6}");
            assertThat(agent1.text("desk-incoming-page")).isEqualTo(page);
            assertThat(agent1.el("desk-incoming").getText()).contains("sales");
            JsonNode offered = agent1.state().get("calls").get(0);
            assertThat(offered.get("path").get("page").asText()).isEqualTo(page);
            assertThat(widgetState()).isEqualTo("queued");
            agent1.screenshot("widget-desk-ringing-en");

            // The agent answers in the browser: audio both ways.
            agent1.click("desk-banner-answer");
            agent1.waitFor(d -> "talking".equals(agent1.el("desk-call-state").getAttribute("data-state")));
            waitForVisitor(d -> widgetState().equals("talking"));
            assertThat(agent1.text("desk-call-page")).isEqualTo(page);
            agent1.awaitInboundAudioRising();
            long in0 = widgetStats().get("inboundBytes").asLong();
            waitForVisitor(d -> widgetStats().get("inboundBytes").asLong() - in0 >= 4000);
            assertThat(widgetStats().get("outboundBytes").asLong()).isGreaterThan(0);
            visitor.screenshot("widget-visitor-talking-en");

            // The call record: an inbound call from the visitor, with the page among its events.
            String callId = widget().get("callId").asText();
            JsonNode events = admin.get("/api/v1/calls/" + callId + "/events").json();
            List<String> lines = new ArrayList<>();
            for (JsonNode e : events) lines.add(e.get("type").asText() + " " + e.path("data").asText());
            assertThat(lines).anyMatch(l -> l.startsWith("arrived direction=inbound caller=" + caller))
                    .anyMatch(l -> l.equals("widget widget=" + widgetId + " origin=" + listedOrigin + " page=" + page))
                    .anyMatch(l -> l.startsWith("queue_connect"));

            // The visitor hangs up: the desk's call ends.
            visitor.driver().findElement(Chromium.tid("hotline-widget-button")).click();
            waitForVisitor(d -> widgetState().equals("ended"));
            agent1.waitFor(d -> agent1.state().get("calls").isEmpty());
            // The record is written by the event log's thread once every leg has ended.
            JsonNode record = agent1.waitFor(d -> {
                for (JsonNode c : admin.get("/api/v1/calls?limit=20").json().get("items")) if (c.get("callId").asText().equals(callId)) return c;
                return null;
            });
            assertThat(record.get("caller").asText()).isEqualTo(caller);
            assertThat(record.get("direction").asText()).isEqualTo("inbound");
            assertThat(record.get("queue").asText()).isEqualTo("sales");
            assertThat(record.get("outcome").asText()).isEqualTo("answered");
            assertThat(agent1.chrome.scriptErrors()).as("desk's console").isEmpty();
        } finally {
            agent1.checkOut();
        }
        assertThat(visitor.scriptErrors()).as("visitor's console").isEmpty();
    }

    @Test
    void aPageOfAnUnlistedSiteIsRefusedAndPlacesNoCall() throws Exception {
        int channels = server.hotline().engine().channels().size();
        visitor.driver().get(pageUrl(unlistedOrigin, widgetKey));
        waitForVisitor(d -> widgetState().equals("refused"));
        WebElement button = visitor.driver().findElement(Chromium.tid("hotline-widget-button"));
        assertThat(button.isEnabled()).isFalse();
        assertThat(visitor.driver().findElement(Chromium.tid("hotline-widget-status")).getText()).isEqualTo("Calling is not available on this site");
        visitor.screenshot("widget-refused-en");

        // The server refuses every widget request from another site or without an Origin, without CORS headers.
        String call = "{\"sdp\":\"v=0\",\"page\":\"" + unlistedOrigin + "/shop/\"}";
        for (String origin : new String[] {unlistedOrigin, "https://evil.example", null}) {
            for (HttpResponse<String> r : List.of(publicRequest("GET", widgetKey, origin, null),
                    publicRequest("POST", widgetKey + "/calls", origin, call), publicRequest("OPTIONS", widgetKey + "/calls", origin, null))) {
                assertThat(r.statusCode()).as(origin + " " + r.request().method() + " " + r.body()).isEqualTo(403);
                assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            }
        }
        // The listed site gets exactly its origin back, on the preflight too.
        var ok = publicRequest("GET", widgetKey, listedOrigin, null);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue(listedOrigin);
        var pre = publicRequest("OPTIONS", widgetKey + "/calls", listedOrigin, null);
        assertThat(pre.statusCode()).isEqualTo(204);
        assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).hasValue(listedOrigin);
        // A page of another site named by a listed site's request is refused too.
        var foreignPage = publicRequest("POST", widgetKey + "/calls", listedOrigin, call);
        assertThat(foreignPage.statusCode()).isEqualTo(400);
        assertThat(foreignPage.body()).contains("\"page\"");
        assertThat(server.hotline().engine().channels()).hasSize(channels);
    }

    @Test
    void callStartsPastTheLimitsPerAddressAndPerWidgetAre429WithRetryAfter() throws Exception {
        // Per address: 2 a minute.
        String perAddress = admin.post("/api/v1/widgets", Map.of("name", "per-address", "queueId", salesId, "origins", List.of(listedOrigin),
                "perAddressPerMinute", 2, "perKeyPerMinute", 100)).json().get("key").asText();
        String body = "{\"sdp\":\"not sdp\",\"page\":\"" + listedOrigin + "/shop/x\"}";
        for (int i = 0; i < 2; i++) {
            var r = publicRequest("POST", perAddress + "/calls", listedOrigin, body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(r.body()).contains("\"sdp\"");
        }
        var refused = publicRequest("POST", perAddress + "/calls", listedOrigin, body);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(refused.body()).contains("too many calls from your address");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).hasValue(listedOrigin);

        // The widget in the browser says so, with the wait.
        visitor.driver().get(pageUrl(listedOrigin, perAddress));
        waitForVisitor(d -> widgetState().equals("idle"));
        visitor.driver().findElement(Chromium.tid("hotline-widget-button")).click();
        waitForVisitor(d -> widgetState().equals("busy"));
        assertThat(widget().get("retryAfter").asLong()).isBetween(1L, 60L);
        assertThat(visitor.driver().findElement(Chromium.tid("hotline-widget-status")).getText()).startsWith("Too many calls; try again in ");

        // Per widget: 2 a minute whoever calls.
        String perKey = admin.post("/api/v1/widgets", Map.of("name", "per-key", "queueId", salesId, "origins", List.of(listedOrigin),
                "perAddressPerMinute", 100, "perKeyPerMinute", 2)).json().get("key").asText();
        for (int i = 0; i < 2; i++) assertThat(publicRequest("POST", perKey + "/calls", listedOrigin, body).statusCode()).isEqualTo(400);
        var full = publicRequest("POST", perKey + "/calls", listedOrigin, body);
        assertThat(full.statusCode()).isEqualTo(429);
        assertThat(full.body()).contains("too many calls through this widget");
        assertThat(full.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void settingsAreValidatedWithTheFieldsNamedAndAnotherEnterprisesWidgetIsNotFound() throws Exception {
        var empty = admin.post("/api/v1/widgets", Map.of());
        assertThat(empty.status()).isEqualTo(400);
        assertThat(fields(empty)).contains("name", "queueId", "origins");
        var bad = admin.post("/api/v1/widgets", Map.of("name", "x".repeat(65), "queueId", salesId,
                "origins", List.of("https://ok.example", "https://ok.example/path"), "perAddressPerMinute", 0, "perKeyPerMinute", 100_001));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(fields(bad)).containsExactlyInAnyOrder("name", "origins", "perAddressPerMinute", "perKeyPerMinute");
        var dup = admin.post("/api/v1/widgets", Map.of("name", "shop", "queueId", salesId, "origins", List.of("ftp://files.example")));
        assertThat(fields(dup)).containsExactlyInAnyOrder("name", "origins");
        var edit = admin.put("/api/v1/widgets/" + widgetId, Map.of("name", "shop", "queueId", 999_999, "origins", List.of(listedOrigin)));
        assertThat(fields(edit)).containsExactly("queueId");
        assertThat(admin.get("/api/v1/widgets/999999").status()).isEqualTo(404);
        var agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", TestServer.DEMO_PASSWORD);
        assertThat(agent.get("/api/v1/widgets").status()).as("widget.manage is the admin's").isEqualTo(403);

        // Another enterprise: demo's widget is 404 for it, and demo's queue is not one of its queues.
        ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", TestServer.DEMO_PASSWORD);
        assertThat(operator.post("/api/v1/enterprises", Map.of("code", "acme", "name", "Acme", "adminUsername", "boss",
                "adminPassword", "acme-pass-1")).status()).isEqualTo(201);
        ApiClient acme = ApiClient.loggedIn(server.baseUrl(), "acme", "boss", "acme-pass-1");
        assertThat(acme.get("/api/v1/widgets/" + widgetId).status()).isEqualTo(404);
        assertThat(acme.put("/api/v1/widgets/" + widgetId, Map.of("name", "mine", "queueId", salesId, "origins", List.of(listedOrigin))).status())
                .isEqualTo(404);
        assertThat(acme.delete("/api/v1/widgets/" + widgetId).status()).isEqualTo(404);
        assertThat(acme.get("/api/v1/widgets").json()).isEmpty();
        assertThat(fields(acme.post("/api/v1/widgets", Map.of("name", "mine", "queueId", salesId, "origins", List.of(listedOrigin)))))
                .containsExactly("queueId");

        // Off: the public side is 404 (no hint which); on again, it answers.
        String key = admin.post("/api/v1/widgets", Map.of("name", "switch", "queueId", salesId, "origins", List.of(listedOrigin)))
                .json().get("key").asText();
        long id = admin.get("/api/v1/widgets").json().findValues("id").stream().mapToLong(JsonNode::asLong).max().orElseThrow();
        assertThat(publicRequest("GET", key, listedOrigin, null).statusCode()).isEqualTo(200);
        assertThat(admin.put("/api/v1/widgets/" + id, Map.of("name", "switch", "queueId", salesId, "origins", List.of(listedOrigin), "enabled", false))
                .status()).isEqualTo(200);
        assertThat(publicRequest("GET", key, listedOrigin, null).statusCode()).isEqualTo(404);
        assertThat(publicRequest("GET", "0123456789abcdef0123456789abcdef", listedOrigin, null).statusCode()).isEqualTo(404);
        assertThat(admin.delete("/api/v1/widgets/" + id).status()).isEqualTo(204);
    }

    @Test
    void theConsolePageListsTheWidgetsWithTheScriptTagInEnglishAndChinese() {
        visitor.scriptErrors(); // from here on (the refused site's CORS errors are expected)
        visitor.signInEnglish(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        visitor.waitAtMost(DEADLINE).until(d -> !d.getCurrentUrl().contains("login.html"));
        visitor.driver().get(server.baseUrl() + "/index.html#/widgets");
        By snippet = Chromium.tid("widget-snippet-" + widgetId);
        String tag = waitForVisitor(d -> d.findElements(snippet).isEmpty() ? null : d.findElement(snippet).getText());
        assertThat(tag).isEqualTo("<script src=\"" + server.baseUrl() + "/widget.js\" data-key=\"" + widgetKey + "\" async></script>");
        assertThat(visitor.driver().findElement(Chromium.tid("nav-widgets")).getText()).isEqualTo("Call us widget");
        assertThat(visitor.driver().findElement(Chromium.tid("widget-enabled-" + widgetId)).getText()).isEqualTo("On");
        visitor.screenshot("widget-console-en");
        js().executeScript("localStorage.setItem('hotline.lang', 'zh')");
        visitor.driver().navigate().refresh();
        waitForVisitor(d -> d.findElements(Chromium.tid("nav-widgets")).stream().anyMatch(e -> e.getText().equals("网页呼叫按钮")));
        String on = waitForVisitor(d -> d.findElement(Chromium.tid("widget-enabled-" + widgetId)).getText());
        assertThat(on).isEqualTo("已启用");
        visitor.screenshot("widget-console-zh");
        assertThat(visitor.scriptErrors()).as("console page errors").isEmpty();
    }

    static List<String> fields(ApiClient.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        List<String> out = new ArrayList<>();
        for (JsonNode f : r.json().path("fieldErrors")) out.add(f.get("field").asText());
        return out;
    }
}
