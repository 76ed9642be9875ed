package dev.hotline.monitor;

import static dev.hotline.testing.Chromium.tid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.Chromium;
import dev.hotline.testing.CtiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import dev.hotline.web.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * SUP-1: the live monitor is pushed as server-sent events; a caller waiting in a queue shows within a second, today's
 * figures equal the queue report of the same day, and a restart leaves them unchanged (they come from the event log).
 */
class MonitorTest {
    static final String PW = TestServer.DEMO_PASSWORD;

    /** A subscriber to the monitor's stream: every snapshot it received, in order. */
    static final class Stream implements AutoCloseable {
        final List<JsonNode> snapshots = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final InputStream body;
        final Socket socket;
        volatile String status = "";
        final List<String> headers = new CopyOnWriteArrayList<>();
        final Thread reader;

        Stream(String baseUrl, ApiClient user) throws Exception {
            this(baseUrl, user, "/api/v1/monitor/stream", "snapshot");
        }

        /** A subscriber to the stream at {@code path} whose {@code kind} events it keeps. */
        Stream(String baseUrl, ApiClient user, String path, String kind) throws Exception {
            // A plain socket speaking HTTP/1.0 (no chunking): closing it closes the connection, as a browser tab does.
            URI uri = URI.create(baseUrl);
            socket = new Socket(uri.getHost(), uri.getPort());
            socket.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: " + uri.getHost() + "\r\nCookie: " + user.cookieHeader()
                    + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body = socket.getInputStream();
            reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                    status = in.readLine();
                    for (String h; (h = in.readLine()) != null && !h.isEmpty(); ) headers.add(h.toLowerCase(java.util.Locale.ROOT));
                    String event = null;
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.startsWith("event:")) event = line.substring(6).strip();
                        else if (line.startsWith("data:") && kind.equals(event)) snapshots.add(Json.MAPPER.readTree(line.substring(5).strip()));
                        else if (line.isEmpty() && event != null) {
                            events.add(event);
                            event = null;
                        }
                    }
                } catch (Exception e) {
                    // closed by the test
                }
            }, "monitor-stream-reader");
            reader.setDaemon(true);
            reader.start();
        }

        JsonNode last() {
            return snapshots.get(snapshots.size() - 1);
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    static JsonNode queue(JsonNode snapshot, String name) {
        for (JsonNode q : snapshot.get("queues")) if (q.get("name").asText().equals(name)) return q;
        throw new AssertionError("no queue " + name + " in " + snapshot);
    }

    /** The report's row of queue {@code name} for today (GET /api/v1/reports/queues in the server's zone). */
    /** The types of a call's logged events, in order. */
    static List<String> events(ApiClient admin, String callId) {
        List<String> out = new java.util.ArrayList<>();
        var r = admin.get("/api/v1/calls/" + callId + "/events");
        if (r.status() == 200) for (JsonNode ev : r.json()) out.add(ev.get("type").asText());
        return out;
    }

    static JsonNode reportRow(ApiClient admin, String name) {
        JsonNode t = admin.get("/api/v1/reports/queues?tz=" + java.time.ZoneId.systemDefault().getId()).json();
        for (JsonNode row : t.get("rows")) if (row.path("queue").asText().equals(name)) return row;
        throw new AssertionError("no row for " + name + " in " + t);
    }

    @Test
    void aWaitingCallerIsPushedWithinASecondTodaysFiguresEqualTheReportAndSurviveARestart() throws Exception {
        String db = TestDatabases.migrated(TestDatabases.Kind.H2);
        Path data = Files.createTempDirectory("hotline-monitor");
        Map<String, String> settings = Map.of("db.url", db, "data.dir", data.toString());
        Path sippDir = Files.createTempDirectory("monitor-sipp");
        JsonNode before;
        try (TestServer server = TestServer.start(TestDatabases.Kind.H2, settings)) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            ApiClient lead = ApiClient.loggedIn(server.baseUrl(), "demo", "lead", PW);
            assertThat(admin.post("/api/v1/numbers", Map.of("number", "4695", "destinationType", "queue", "destination", "sales")).status())
                    .isEqualTo(201);
            server.hotline().acd().settle();
            assertThat(ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW).get("/api/v1/monitor/stream").status())
                    .as("agents do not see the monitor").isEqualTo(403);
            try (Stream stream = new Stream(server.baseUrl(), lead); Chromium chrome = Chromium.start()) {
                // The supervisor's page in Chromium, subscribed to the same stream.
                ChromeDriver page = chrome.driver();
                chrome.signInEnglish(server.baseUrl(), "demo", "lead", PW);
                WebDriverWait wait = chrome.waitAtMost(Duration.ofSeconds(15));
                wait.until(ExpectedConditions.urlContains("/supervisor.html"));
                wait.until(x -> "true".equals(page.findElement(tid("monitor-live")).getAttribute("data-live")));
                await("the first snapshot").atMost(Duration.ofSeconds(5)).until(() -> !stream.snapshots.isEmpty());
                assertThat(stream.status).contains(" 200");
                assertThat(stream.headers).anySatisfy(h -> assertThat(h).startsWith("content-type: text/event-stream"));
                JsonNode first = stream.last();
                assertThat(queue(first, "sales").get("waiting").asInt()).isZero();
                long entered0 = queue(first, "sales").get("today").get("entered").asLong();
                int sent = stream.snapshots.size();

                // Nobody is signed in: the caller waits in sales until they hang up after 3 s.
                Sipp.Run caller = new SipPeers(sippDir, server.hotline().engine().sipPort())
                        .uac("uac_call", "4695", SipPeers.vars("13500000077", "PAUSE", "3000"));
                await("the waiting caller").atMost(Duration.ofSeconds(5)).until(() -> server.hotline().acd().waiting(
                        lead.get("/api/v1/me").json().get("enterprise").get("id").asLong()).size() == 1);
                long joined = System.nanoTime();
                await("pushed within a second").atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                        .until(() -> queue(stream.last(), "sales").get("waiting").asInt() == 1);
                long pushedMs = (System.nanoTime() - joined) / 1_000_000;
                chrome.waitAtMost(Duration.ofSeconds(1)).until(x -> !page.findElements(tid("live-call-13500000077")).isEmpty());
                long pageMs = (System.nanoTime() - joined) / 1_000_000;
                assertThat(page.findElement(tid("live-queue-sales")).getText()).contains("sales");
                assertThat(page.findElement(tid("live-call-13500000077")).getText()).contains("sales", "Waiting in a queue");
                assertThat(page.findElement(tid("kpi-value-waiting")).getText()).isEqualTo("1");
                chrome.screenshot("monitor-waiting-en");
                System.out.println("{\"test\":\"monitor.push\",\"joinToPushMs\":" + pushedMs + ",\"joinToPageMs\":" + pageMs + "}");
                JsonNode waiting = stream.last();
                assertThat(waiting.get("calls")).anySatisfy(c -> {
                    assertThat(c.get("caller").asText()).isEqualTo("13500000077");
                    assertThat(c.get("queue").asText()).isEqualTo("sales");
                    assertThat(c.get("state").asText()).isEqualTo("queued");
                });
                assertThat(stream.snapshots.size()).as("a snapshot only when something changed").isLessThan(sent + 10);
                SipPeers.ok(caller);

                await("the abandon counted").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                        .until(() -> queue(stream.last(), "sales").get("today").get("abandoned").asLong() >= 1
                                && queue(stream.last(), "sales").get("waiting").asInt() == 0 && stream.last().get("calls").isEmpty());
                JsonNode today = queue(stream.last(), "sales").get("today");
                assertThat(today.get("entered").asLong()).isEqualTo(entered0 + 1);
                JsonNode row = reportRow(admin, "sales");
                assertThat(row.get("offered").asLong()).as("the report's offered").isEqualTo(today.get("entered").asLong());
                assertThat(row.get("abandoned").asLong()).as("the report's abandoned").isEqualTo(today.get("abandoned").asLong());
                assertThat(row.get("answered").asLong()).isEqualTo(today.get("answered").asLong());
                assertThat(stream.last().get("total").get("entered").asLong()).as("the enterprise is the sum of its queues")
                        .isEqualTo(sum(stream.last(), "entered"));
                before = admin.get("/api/v1/monitor").json();
                wait.until(x -> page.findElements(tid("live-call-13500000077")).isEmpty());
                assertThat(page.findElement(tid("kpi-value-abandoned")).getText()).isEqualTo(String.valueOf(before.get("total").get("abandoned").asLong()));
                assertThat(chrome.scriptErrors()).as("errors in the browser console").isEmpty();
            }
            await("the stream's subscriber gone after a keep-alive or two").atMost(Duration.ofSeconds(20)).until(() -> server.hotline().monitor().subscribers() == 0);
        }
        try (TestServer again = TestServer.start(TestDatabases.Kind.H2, settings)) {
            JsonNode after = ApiClient.loggedIn(again.baseUrl(), "demo", "admin", PW).get("/api/v1/monitor").json();
            assertThat(after.get("total")).as("today's figures after a restart").isEqualTo(before.get("total"));
            assertThat(queue(after, "sales").get("today")).isEqualTo(queue(before, "sales").get("today"));
        }
    }


    /**
     * Today is the enterprise's day: with its zone set to UTC+14 (Kiritimati) or UTC-11 (Pago Pago), 25 hours apart so that at
     * least one of them is not the server's date, the monitor's day is that zone's date and its figures equal the queue
     * report of that zone's day. Without a zone, the server's.
     */
    @Test
    void todayIsTheEnterprisesDayInItsOwnTimeZone() throws Exception {
        Path sippDir = Files.createTempDirectory("monitor-zone-sipp");
        try (TestServer server = TestServer.start()) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            ApiClient lead = ApiClient.loggedIn(server.baseUrl(), "demo", "lead", PW);
            assertThat(admin.post("/api/v1/numbers", Map.of("number", "4693", "destinationType", "queue", "destination", "sales")).status())
                    .isEqualTo(201);
            server.hotline().acd().settle();
            // Nobody is signed in: the caller waits in sales and hangs up after a second.
            SipPeers.ok(new SipPeers(sippDir, server.hotline().engine().sipPort()).uac("uac_call", "4693", SipPeers.vars("13500000078", "PAUSE", "1000")));
            assertThat(server.hotline().eventLog().flush(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(lead.get("/api/v1/settings/monitor").json().get("timeZone").isNull()).isTrue();
            // The supervisor's page sets the zone (a bad one is refused, naming the field).
            try (Chromium chrome = Chromium.start()) {
                ChromeDriver page = chrome.driver();
                chrome.signInEnglish(server.baseUrl(), "demo", "lead", PW);
                WebDriverWait wait = chrome.waitAtMost(Duration.ofSeconds(15));
                wait.until(ExpectedConditions.urlContains("/supervisor.html"));
                wait.until(ExpectedConditions.elementToBeClickable(tid("wb-settings-toggle"))).click();
                wait.until(ExpectedConditions.presenceOfElementLocated(tid("wb-zone"))).sendKeys("Mars/Olympus");
                page.findElement(tid("wb-zone-save")).click();
                wait.until(x -> !page.findElements(tid("wb-zone-error")).isEmpty());
                assertThat(page.findElement(tid("wb-zone-field-error")).getText()).contains("IANA time zone");
                page.findElement(tid("wb-zone")).clear();
                page.findElement(tid("wb-zone")).sendKeys("Pacific/Kiritimati");
                page.findElement(tid("wb-zone-save")).click();
                await("the zone saved from the page").atMost(Duration.ofSeconds(10))
                        .until(() -> "Pacific/Kiritimati".equals(lead.get("/api/v1/settings/monitor").json().path("timeZone").asText()));
                assertThat(page.findElement(tid("wb-settings")).getText()).contains("The enterprise's day");
                assertThat(chrome.scriptErrors()).isEmpty();
            }
            java.util.Set<String> days = new java.util.HashSet<>();
            for (String zone : List.of("Pacific/Kiritimati", "Pacific/Pago_Pago")) {
                var put = lead.put("/api/v1/settings/monitor", Map.of("timeZone", zone));
                assertThat(put.status()).as(put.toString()).isEqualTo(200);
                assertThat(lead.get("/api/v1/settings/monitor").json().get("timeZone").asText()).isEqualTo(zone);
                JsonNode snap = lead.get("/api/v1/monitor").json();
                JsonNode report = admin.get("/api/v1/reports/queues?tz=" + zone).json();
                java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of(zone));
                assertThat(snap.get("day").asText()).as(zone).isIn(today.toString(), today.minusDays(1).toString());
                days.add(snap.get("day").asText());
                JsonNode row = null;
                for (JsonNode r : report.get("rows")) if (r.get("queue").asText().equals("sales")) row = r;
                assertThat(row).as("the report of " + zone + "'s day").isNotNull();
                assertThat(queue(snap, "sales").get("today").get("entered").asLong()).as(zone).isEqualTo(row.get("offered").asLong()).isEqualTo(1);
                assertThat(queue(snap, "sales").get("today").get("abandoned").asLong()).as(zone).isEqualTo(row.get("abandoned").asLong());
                assertThat(Monitor.wallboard(server.hotline().monitor().snapshot(lead.get("/api/v1/me").json().get("enterprise").get("id").asLong())).day())
                        .isEqualTo(snap.get("day").asText());
            }
            assertThat(days).as("25 hours apart: two dates").hasSize(2);
            // Back to the server's zone; a bad zone and an agent are refused.
            assertThat(lead.put("/api/v1/settings/monitor", java.util.Collections.singletonMap("timeZone", null)).status()).isEqualTo(200);
            assertThat(lead.get("/api/v1/monitor").json().get("day").asText())
                    .isEqualTo(java.time.LocalDate.now(java.time.ZoneId.systemDefault()).toString());
            var bad = lead.put("/api/v1/settings/monitor", Map.of("timeZone", "Mars/Olympus"));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("timeZone");
            assertThat(ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW).put("/api/v1/settings/monitor", Map.of("timeZone", "UTC")).status())
                    .isEqualTo(403);
        }
    }

    /**
     * SUP-1 agent view in Chromium (en, then zh): agent 1 on a queue call shows its state, the call's caller and duration,
     * today's offered / answered, and its state log; after the call, talk and occupancy equal the agents report's of the day.
     */
    /** A duration the agent view shows (its data-seconds), 0 when there is none. */
    static double seconds(Chromium chrome, String testId) {
        String v = chrome.attr(testId, "data-seconds");
        return v.isEmpty() || v.equals("null") ? 0 : Double.parseDouble(v);
    }

    @Test
    void theAgentViewShowsOneAgentNowAndToday() throws Exception {
        Path sippDir = Files.createTempDirectory("monitor-agent-sipp");
        try (TestServer server = TestServer.start(); Chromium chrome = Chromium.start()) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            ApiClient lead = ApiClient.loggedIn(server.baseUrl(), "demo", "lead", PW);
            assertThat(admin.post("/api/v1/numbers", Map.of("number", "4692", "destinationType", "queue", "destination", "sales")).status())
                    .isEqualTo(201);
            server.hotline().acd().settle();
            SipPeers peers = new SipPeers(sippDir, server.hotline().engine().sipPort());
            int port = dev.hotline.engine.testing.Ports.free();
            Sipp.Run phone = peers.phone(port);
            try {
                peers.register("1001", PW, port, "200");
                ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
                long id = agent.get("/api/v1/me").json().get("id").asLong();
                assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
                // The agent view's own stream: the view at once, and pushed again within a second of a change of state.
                assertThat(lead.get("/api/v1/monitor/agents/999999/stream").status()).isEqualTo(404);
                assertThat(lead.get("/api/v1/monitor/agents/" + admin.get("/api/v1/me").json().get("id").asLong() + "/stream").status()).isEqualTo(404);
                assertThat(agent.get("/api/v1/monitor/agents/" + id + "/stream").status()).isEqualTo(403);
                Stream agentStream = new Stream(server.baseUrl(), lead, "/api/v1/monitor/agents/" + id + "/stream", "agent");
                await("the agent view at once").atMost(Duration.ofSeconds(5)).until(() -> !agentStream.snapshots.isEmpty());
                assertThat(agentStream.status).contains(" 200");
                assertThat(agentStream.last().get("agent").get("state").asText()).isEqualTo("not_ready");
                assertThat(agentStream.last().get("agent").get("userId").asLong()).isEqualTo(id);
                assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
                long changed = System.nanoTime();
                await("the change of state pushed within a second").atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                        .until(() -> agentStream.last().get("agent").get("state").asText().equals("ready"));
                System.out.println("{\"test\":\"monitor.agentStream\",\"stateToPushMs\":" + (System.nanoTime() - changed) / 1_000_000 + "}");
                await("the state log read again").atMost(Duration.ofSeconds(5))
                        .until(() -> agentStream.last().get("states").findValuesAsText("state").contains("ready"));

                ChromeDriver page = chrome.driver();
                chrome.signInEnglish(server.baseUrl(), "demo", "lead", PW);
                WebDriverWait wait = chrome.waitAtMost(Duration.ofSeconds(15));
                wait.until(ExpectedConditions.urlContains("/supervisor.html"));
                wait.until(x -> "true".equals(page.findElement(tid("monitor-live")).getAttribute("data-live")));
                new Select(page.findElement(tid("monitor-agent-filter"))).selectByValue(String.valueOf(id));
                wait.until(x -> String.valueOf(id).equals(chrome.attr("agent-view", "data-agent")));
                assertThat(chrome.attr("av-state-value", "data-state")).isEqualTo("ready");
                // The page's agent view is its own stream (besides the monitor's and this test's).
                await("the page's agent stream").atMost(Duration.ofSeconds(5)).until(() -> server.hotline().monitor().subscribers() == 3);
                assertThat(page.findElement(tid("av-no-call")).getText()).isEqualTo("Not on a call");

                // 26 s (16 s, and 10 s for the hold): the page's checks below run while the call lasts (6 s ran out under two test JVMs: the state log ended in wrap-up)
                Sipp.Run caller = peers.uac("uac_call", "4692", SipPeers.vars("13500000079", "PAUSE", "26000"));
                wait.until(x -> "13500000079".equals(chrome.attr("av-call", "data-caller")));
                wait.until(x -> "on_call".equals(chrome.attr("av-state-value", "data-state")));
                await().atMost(Duration.ofSeconds(1)).until(() -> agentStream.last().get("agent").get("state").asText().equals("on_call"));
                assertThat(agentStream.last().get("call").get("caller").asText()).isEqualTo("13500000079");
                JsonNode now = lead.get("/api/v1/monitor/agents/" + id).json();
                assertThat(now.get("agent").get("state").asText()).isEqualTo("on_call");
                assertThat(now.get("call").get("caller").asText()).isEqualTo("13500000079");
                assertThat(now.get("call").get("queue").asText()).isEqualTo("sales");
                assertThat(page.findElement(tid("av-call")).getText()).contains("13500000079", "4692", "sales");
                wait.until(x -> page.findElement(tid("av-call-time")).getText().matches("0:0[1-9]|0:[1-5][0-9]"));
                wait.until(x -> page.findElement(tid("av-value-answered")).getText().equals("1"));
                assertThat(page.findElement(tid("av-value-offered")).getText()).isEqualTo("1");
                // Live figures: the server says what still runs (the on_call state, the call's talk so far, which no report
                // counts before it ends) and the page adds the seconds since: talk and time on call grow every second.
                await("the call's talk on the stream").atMost(Duration.ofSeconds(5))
                        .until(() -> agentStream.last().get("running").path("talkSeconds").isNumber());
                assertThat(agentStream.last().get("running").get("state").asText()).isEqualTo("on_call");
                await("the call's talk on the page").atMost(Duration.ofSeconds(5)).until(() -> seconds(chrome, "av-value-talk") > 0);
                long started = System.nanoTime();
                double talk0 = seconds(chrome, "av-value-talk");
                double onCall0 = seconds(chrome, "av-value-onCall");
                await("the talk grows once").atMost(Duration.ofMillis(3500)).pollInterval(Duration.ofMillis(50))
                        .until(() -> seconds(chrome, "av-value-talk") > talk0);
                double talk1 = seconds(chrome, "av-value-talk");
                await("the talk grows twice").atMost(Duration.ofMillis(3500)).pollInterval(Duration.ofMillis(50))
                        .until(() -> seconds(chrome, "av-value-talk") > talk1);
                long grewTwiceMs = (System.nanoTime() - started) / 1_000_000;
                System.out.println("{\"test\":\"monitor.agentLiveTalk\",\"grewTwiceMs\":" + grewTwiceMs + "}");
                assertThat(grewTwiceMs).as("two increases of the talk on the page").isLessThanOrEqualTo(3500);
                assertThat(seconds(chrome, "av-value-onCall")).isGreaterThan(onCall0);
                assertThat(page.findElement(tid("av-state-time")).getText()).matches("0:[0-5][0-9].*");
                // A hold during the live count (the desk's hold): the view is built again once the log holds the event, the
                // page's talk stands still and its hold grows; after the resume the talk grows again and the hold stands still.
                long enterpriseId = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
                String leg = server.hotline().acd().talkingLeg(enterpriseId, id).orElseThrow();
                assertThat(agent.post("/api/v1/live-calls/" + leg + "/hold", null).status()).isEqualTo(200);
                await("the hold on the stream").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                        .until(() -> agentStream.last().get("running").path("onHold").asBoolean());
                await("the hold on the page").atMost(Duration.ofSeconds(5)).until(() -> seconds(chrome, "av-value-hold") > 0);
                double held0 = seconds(chrome, "av-value-hold");
                double talkHeld = seconds(chrome, "av-value-talk");
                await("the hold grows on the page").atMost(Duration.ofMillis(3500)).pollInterval(Duration.ofMillis(50))
                        .until(() -> seconds(chrome, "av-value-hold") > held0);
                await("the talk stands still while on hold").during(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(4))
                        .pollInterval(Duration.ofMillis(100)).until(() -> seconds(chrome, "av-value-talk") == talkHeld);
                assertThat(agent.post("/api/v1/live-calls/" + leg + "/resume", null).status()).isEqualTo(200);
                await("the resume on the stream").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                        .until(() -> !agentStream.last().get("running").path("onHold").asBoolean()
                                && agentStream.last().get("running").path("holdSeconds").asDouble() > 0);
                await("the talk grows again on the page").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                        .until(() -> seconds(chrome, "av-value-talk") > talkHeld);
                double heldDone = seconds(chrome, "av-value-hold");
                await("the hold stands still after the resume").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                        .pollInterval(Duration.ofMillis(100)).until(() -> seconds(chrome, "av-value-hold") == heldDone);
                // The hold is shown the moment it is seen in memory, not once the event log has written it: no view says the call
                // is on hold without its running hold, and the call's talk (counted up to the view's `at`) never steps back
                // (before: the view built on the hold had the talk running on, the next one, once the log held the hold, less).
                List<JsonNode> views = List.copyOf(agentStream.snapshots);
                assertThat(views).as("views with the call on hold").anySatisfy(v -> assertThat(v.path("call").path("onHold").asBoolean()).isTrue());
                JsonNode previous = null;
                for (JsonNode v : views) {
                    if (v.path("call").path("onHold").asBoolean()) {
                        assertThat(v.get("running").get("onHold").asBoolean()).as("on hold with its running hold: " + v).isTrue();
                    }
                    if (v.path("running").path("talkSeconds").isNumber()) {
                        if (previous != null && previous.path("call").path("callId").equals(v.path("call").path("callId"))) {
                            assertThat(v.get("running").get("talkSeconds").asDouble()).as("the talk never steps back: " + previous + " then " + v)
                                    .isGreaterThanOrEqualTo(previous.get("running").get("talkSeconds").asDouble());
                            assertThat(v.get("running").get("holdSeconds").asDouble()).as("nor the hold")
                                    .isGreaterThanOrEqualTo(previous.get("running").get("holdSeconds").asDouble());
                        }
                        previous = v;
                    }
                }
                // The state log is read from the event log, a moment behind the live state: the view is built again as soon as
                // the log has written the change, so the call's on_call row is there while the call lasts (stream and page).
                await("the state log's on_call row during the call").atMost(Duration.ofSeconds(5))
                        .until(() -> agentStream.last().get("states").findValuesAsText("state").contains("on_call"));
                assertThat(agentStream.last().get("call")).as("the call still lasts").isNotNull();
                assertThat(agentStream.last().get("call").isNull()).as("the call still lasts").isFalse();
                wait.until(x -> {
                    try {
                        return page.findElements(org.openqa.selenium.By.cssSelector("[data-testid^='av-state-row-']")).stream()
                                .map(e -> e.getAttribute("data-state")).toList().containsAll(List.of("not_ready", "ready", "ringing", "on_call"));
                    } catch (org.openqa.selenium.StaleElementReferenceException rerendered) {
                        return false;
                    }
                });
                assertThat(page.findElements(tid("av-no-call"))).as("the call still lasts on the page").isEmpty();
                chrome.screenshot("monitor-agent-view-en");

                page.findElement(tid("lang-zh")).click();
                wait.until(x -> page.findElement(tid("agent-view")).getText().contains("座席视图"));
                assertThat(page.findElement(tid("av-states")).getText()).contains("通话中", "示闲", "刚签入");
                SipPeers.ok(caller);
                wait.until(x -> !page.findElements(tid("av-no-call")).isEmpty());
                wait.until(x -> {
                    try {
                        return page.findElements(org.openqa.selenium.By.cssSelector("[data-testid^='av-state-row-']")).stream()
                                .map(e -> e.getAttribute("data-state")).toList().containsAll(List.of("ringing", "on_call", "wrap_up"));
                    } catch (org.openqa.selenium.StaleElementReferenceException rerendered) {
                        return false;
                    }
                });
                assertThat(page.findElement(tid("av-no-call")).getText()).isEqualTo("当前无通话");
                chrome.screenshot("monitor-agent-view-zh");

                // Today's figures are the agents report's of the day; the state log is the state log report's.
                assertThat(agent.delete("/api/v1/agent/session").status()).isEqualTo(200);
                assertThat(server.hotline().eventLog().flush(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                String tz = "tz=" + java.time.ZoneId.systemDefault().getId();
                JsonNode report = admin.get("/api/v1/reports/agents?agent=" + id + "&" + tz).json().get("total");
                JsonNode view = lead.get("/api/v1/monitor/agents/" + id).json();
                assertThat(view.get("today").get("offered").asLong()).isEqualTo(report.get("offered").asLong()).isEqualTo(1);
                assertThat(view.get("today").get("answered").asLong()).isEqualTo(report.get("answered").asLong()).isEqualTo(1);
                assertThat(view.get("today").get("talkSeconds").asDouble()).isEqualTo(report.get("talk").asDouble()).isBetween(0.5, 26.0);
                assertThat(view.get("today").get("holdSeconds").asDouble()).isEqualTo(report.get("hold").asDouble()).isBetween(1.0, 26.0);
                assertThat(view.get("today").get("occupancy").asDouble()).isEqualTo(report.get("occupancy").asDouble());
                assertThat(view.get("states")).hasSize(admin.get("/api/v1/reports/states?agent=" + id + "&" + tz).json().get("page").get("total").asInt());
                assertThat(view.get("agent").get("state").asText()).isEqualTo("logged_out");
                wait.until(x -> "logged_out".equals(chrome.attr("av-state-value", "data-state")));
                // After the call the page's live figures are the report's again: the call's talk counted once.
                // (waited for: the view pushed once the log has written the sign-out may come a moment after the state)
                await("the page's talk").atMost(Duration.ofSeconds(15)).until(() -> seconds(chrome, "av-value-talk"),
                        v -> v == view.get("today").get("talkSeconds").asDouble());
                await("the page's time signed in").atMost(Duration.ofSeconds(15)).until(() -> seconds(chrome, "av-value-signedIn"),
                        v -> v == report.get("signedIn").asDouble());
                assertThat(seconds(chrome, "av-value-talk")).isEqualTo(report.get("talk").asDouble());
                assertThat(seconds(chrome, "av-value-hold")).as("the page's hold, the report's").isEqualTo(report.get("hold").asDouble());
                assertThat(Double.parseDouble(chrome.attr("av-value-occupancy", "data-value"))).isEqualTo(report.get("occupancy").asDouble());
                assertThat(seconds(chrome, "av-value-onCall")).isEqualTo(report.get("onCall").asDouble());
                assertThat(seconds(chrome, "av-value-signedIn")).isEqualTo(report.get("signedIn").asDouble());
                assertThat(chrome.scriptErrors()).as("errors in the browser console").isEmpty();
                await().atMost(Duration.ofSeconds(5)).until(() -> agentStream.last().get("agent").get("state").asText().equals("logged_out")
                        && agentStream.last().get("today").equals(view.get("today")));
                agentStream.close();

                // Not an agent (the admin), no such user: 404; an agent may not look.
                assertThat(lead.get("/api/v1/monitor/agents/" + admin.get("/api/v1/me").json().get("id").asLong()).status()).isEqualTo(404);
                assertThat(lead.get("/api/v1/monitor/agents/999999").status()).isEqualTo(404);
                assertThat(agent.get("/api/v1/monitor/agents/" + id).status()).isEqualTo(403);
            } finally {
                phone.kill();
            }
        }
    }

    /**
     * SUP-3 without a monitor open: a supervisor signed in on the desk is sent a queue's alert, and the monitor builds no
     * snapshot for it (no agents' time in state, calls or supervisions: only what the rules need); a changed threshold
     * applies at once.
     */
    /**
     * SUP-1 hold on the enterprise and queue views: agent 1's own SIP phone (SIPp) answers a queue call, holds it by re-INVITE
     * (a=sendonly) 1.5 s later and resumes it 3 s after that. The monitor's stream and the page in Chromium show the call on
     * hold live (the enterprise's and the queue's calls on hold 1, the call marked), then 0 again after the resume; after the
     * call, today's hold of the queue and of the enterprise equal the queue report's "hold" of the day. Then the caller's own
     * phone holds agent 1 on a second call: that is talk (RPT-3), not a call on hold, on the stream, the agent view and the page.
     */
    @Test
    void aHoldByTheAgentsOwnPhoneShowsLiveAndTodaysHoldEqualsTheReport() throws Exception {
        Path sippDir = Files.createTempDirectory("monitor-hold-sipp");
        try (TestServer server = TestServer.start(); Chromium chrome = Chromium.start()) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            ApiClient lead = ApiClient.loggedIn(server.baseUrl(), "demo", "lead", PW);
            assertThat(admin.post("/api/v1/numbers", Map.of("number", "4691", "destinationType", "queue", "destination", "sales")).status())
                    .isEqualTo(201);
            server.hotline().acd().settle();
            SipPeers peers = new SipPeers(sippDir, server.hotline().engine().sipPort());
            int port = dev.hotline.engine.testing.Ports.free();
            // The phone holds 1.5 s after it answered, while the caller still hears agent 1's job number (sales announces it,
            // ~3.5 s), and resumes 5 s later, about 3 s after the caller was connected.
            String[] callId = new String[1];
            Sipp.Run phone = peers.uas("uas_answer_hold", port, SipPeers.vars("x", "HOLDAFTER", "1500", "HELD", "5000"));
            try (Stream stream = new Stream(server.baseUrl(), lead)) {
                peers.register("1001", PW, port, "200");
                ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
                assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
                assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
                ChromeDriver page = chrome.driver();
                chrome.signInEnglish(server.baseUrl(), "demo", "lead", PW);
                WebDriverWait wait = chrome.waitAtMost(Duration.ofSeconds(15));
                wait.until(ExpectedConditions.urlContains("/supervisor.html"));
                wait.until(x -> "true".equals(page.findElement(tid("monitor-live")).getAttribute("data-live")));
                assertThat(page.findElement(tid("kpi-value-onHold")).getText()).isEqualTo("0");

                try (dev.hotline.testing.RtpCaller caller = dev.hotline.testing.RtpCaller.call(server.hotline().engine().sipPort(), "13700000001", "4691")) {
                    caller.quiet(30_000);
                    await("connected").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                            .until(() -> !stream.snapshots.isEmpty() && stream.last().get("calls").size() == 1
                                    && events(admin, stream.last().get("calls").get(0).get("callId").asText()).contains("queue_connect"));
                    callId[0] = stream.last().get("calls").get(0).get("callId").asText();
                    // PBX-4: connected to a phone that already holds, the caller hears the music on hold (not silence: the
                    // phone sends nothing) until it resumes.
                    int connectedAt = caller.heard().size();
                    await("music on hold after the connect").atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(50))
                            .conditionEvaluationListener(c -> {
                                if (c.getRemainingTimeInMS() <= 50) System.out.println("heard: " + caller.summary());
                            })
                            .until(() -> {
                                List<dev.hotline.testing.RtpCaller.Heard> all = caller.heard();
                                return all.subList(connectedAt, all.size()).stream()
                                        .filter(f -> f.rms() >= dev.hotline.testing.RtpCaller.SOUND_RMS).count() >= 25;
                            });
                    await("on hold by the agent's phone, on the stream").atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(20))
                            .until(() -> !stream.snapshots.isEmpty() && stream.last().get("onHold").asInt() == 1
                                    && queue(stream.last(), "sales").get("onHold").asInt() == 1
                                    && stream.last().get("calls").get(0).get("onHold").asBoolean());
                    wait.until(x -> page.findElement(tid("kpi-value-onHold")).getText().equals("1")
                            && page.findElement(tid("live-queue-on-hold-sales")).getText().equals("1"));
                    await("resumed by the agent's phone").atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(20))
                            .until(() -> stream.last().get("onHold").asInt() == 0 && queue(stream.last(), "sales").get("onHold").asInt() == 0
                                    && stream.last().get("calls").size() == 1);
                    wait.until(x -> page.findElement(tid("kpi-value-onHold")).getText().equals("0"));
                    // The hold ended: today's hold counts it once the event log has written the resume, while the call goes on.
                    await("today's hold during the call").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                            .until(() -> queue(stream.last(), "sales").get("today").get("holdSeconds").asDouble() > 1.0
                                    && stream.last().get("calls").size() == 1);
                    caller.bye();
                }
                // After the call: the queue report counts the phone's hold from the connect (the phone held before it) to its
                // resume, and the talk from the connect to the hang-up without it (before the fix: hold 0, the time held
                // counted as talk); the agents report the same for agent 1; today's hold of the queue and of the enterprise
                // equal the queue report's, on the stream and on the page.
                JsonNode[] row = new JsonNode[1];
                await("today's hold as the report's").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .conditionEvaluationListener(c -> {
                            if (c.getRemainingTimeInMS() <= 100) System.out.println("hold: report " + row[0] + " monitor " + stream.last());
                        }).until(() -> {
                            if (!events(admin, callId[0]).contains("closed")) return false; // the call's end logged (and its visit)
                            row[0] = reportRow(admin, "sales");
                            JsonNode now = stream.last();
                            return row[0].get("answered").asLong() == 1 && queue(now, "sales").get("today").get("answered").asLong() == 1
                                    && queue(now, "sales").get("today").get("holdSeconds").asDouble() == row[0].get("hold").asDouble()
                                    && now.get("total").get("holdSeconds").asDouble() == row[0].get("hold").asDouble();
                        });
                Map<String, java.time.Instant> at = new HashMap<>();
                for (JsonNode ev : admin.get("/api/v1/calls/" + callId[0] + "/events").json()) {
                    at.putIfAbsent(ev.get("type").asText(), java.time.Instant.parse(ev.get("at").asText()));
                }
                double holdWant = java.time.Duration.between(at.get("queue_connect"), at.get("unhold")).toMillis() / 1000.0;
                double handled = java.time.Duration.between(at.get("queue_connect"), at.get("hangup")).toMillis() / 1000.0;
                assertThat(at.get("hold")).as("the phone held before the connect").isBefore(at.get("queue_connect"));
                assertThat(holdWant).as("held after the connect").isGreaterThan(1.0);
                assertThat(row[0].get("hold").asDouble()).as("the queue report's hold " + row[0]).isCloseTo(holdWant, org.assertj.core.data.Offset.offset(0.11));
                assertThat(row[0].get("talk").asDouble() + row[0].get("hold").asDouble()).as("talk + hold: connect → hang-up, unbroken")
                        .isCloseTo(handled, org.assertj.core.data.Offset.offset(0.21));
                double talkWant = java.time.Duration.between(at.get("unhold"), at.get("hangup")).toMillis() / 1000.0;
                assertThat(row[0].get("talk").asDouble()).as("the talk: the resume → hang-up").isCloseTo(talkWant, org.assertj.core.data.Offset.offset(0.11));
                JsonNode agentRow = admin.get("/api/v1/reports/agents?tz=" + java.time.ZoneId.systemDefault().getId()).json().get("total");
                assertThat(agentRow.get("hold").asDouble()).as("the agents report's hold").isEqualTo(row[0].get("hold").asDouble());
                assertThat(agentRow.get("talk").asDouble()).as("the agents report's talk").isEqualTo(row[0].get("talk").asDouble());
                String shown = "0:" + String.format("%02d", (int) Math.floor(row[0].get("hold").asDouble()));
                wait.until(x -> page.findElement(tid("live-queue-hold-today-sales")).getText().equals(shown)
                        && page.findElement(tid("kpi-value-holdToday")).getText().equals(shown));
                assertThat(chrome.scriptErrors()).isEmpty();

                // The caller's own phone holds agent 1 (re-INVITE a=sendonly on the caller's leg, after the connect): that is
                // talk, not hold (RPT-3), so the call is not "on hold" on the monitor (enterprise, queue, call, page) nor in the
                // agent view, and the day's hold stays the report's (before: the enterprise's and the queue's onHold were 1).
                phone.kill();
                int port2 = dev.hotline.engine.testing.Ports.free();
                Sipp.Run phone2 = peers.phone(port2);
                try {
                    peers.register("1001", PW, port2, "200");
                    long agentId = agent.get("/api/v1/me").json().get("id").asLong();
                    await("agent 1 ready again").atMost(Duration.ofSeconds(20))
                            .until(() -> lead.get("/api/v1/monitor/agents/" + agentId).json().get("agent").get("state").asText().equals("ready"));
                    double holdBefore = row[0].get("hold").asDouble();
                    Sipp.Run holder = peers.uac("uac_auth_hold_resume", "4691",
                            SipPeers.vars("13700000002", "HOLDAFTER", "7000", "HELD", "5000", "PAUSE", "1000"));
                    String second = await("the caller's call").atMost(Duration.ofSeconds(10)).until(() -> {
                        for (JsonNode c : stream.last().get("calls")) if (c.get("caller").asText().equals("13700000002")) return c.get("callId").asText();
                        return null;
                    }, java.util.Objects::nonNull);
                    await("the caller's own hold logged").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                            .until(() -> events(admin, second).contains("hold"));
                    java.time.Instant checked = java.time.Instant.now();
                    await("not on hold while the caller holds").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                            .pollInterval(Duration.ofMillis(50)).until(() -> {
                                JsonNode now = stream.last();
                                JsonNode view = lead.get("/api/v1/monitor/agents/" + agentId).json();
                                return now.get("onHold").asInt() == 0 && queue(now, "sales").get("onHold").asInt() == 0
                                        && now.get("calls").size() == 1 && !now.get("calls").get(0).get("onHold").asBoolean()
                                        && !view.get("call").get("onHold").asBoolean() && !view.get("running").get("onHold").asBoolean()
                                        && view.get("running").get("talkSeconds").isNumber();
                            });
                    assertThat(page.findElement(tid("kpi-value-onHold")).getText()).isEqualTo("0");
                    assertThat(page.findElement(tid("live-queue-on-hold-sales")).getText()).isEqualTo("0");
                    SipPeers.ok(holder);
                    await("the second call written").atMost(Duration.ofSeconds(10)).until(() -> events(admin, second).contains("closed"));
                    Map<String, java.time.Instant> at2 = new HashMap<>();
                    Map<String, String> leg2 = new HashMap<>();
                    for (JsonNode ev : admin.get("/api/v1/calls/" + second + "/events").json()) {
                        at2.putIfAbsent(ev.get("type").asText(), java.time.Instant.parse(ev.get("at").asText()));
                        leg2.putIfAbsent(ev.get("type").asText(), ev.path("channelId").asText());
                    }
                    assertThat(leg2.get("hold")).as("held on the caller's leg").isEqualTo(second);
                    assertThat(at2.get("hold")).as("the caller held after the connect").isAfter(at2.get("queue_connect"));
                    assertThat(at2.get("unhold")).as("still held through the check").isAfter(checked.plusMillis(1500));
                    await("the day's hold unchanged: the caller's hold is talk").atMost(Duration.ofSeconds(10)).until(() -> {
                        JsonNode r = reportRow(admin, "sales");
                        return r.get("answered").asLong() == 2 && r.get("hold").asDouble() == holdBefore
                                && queue(stream.last(), "sales").get("today").get("holdSeconds").asDouble() == holdBefore;
                    });
                } finally {
                    phone2.kill();
                }
            } finally {
                phone.kill();
            }
        }
    }

    @Test
    void alertsReachASupervisorsDeskWithoutBuildingSnapshots() throws Exception {
        Path sippDir = Files.createTempDirectory("monitor-alert-sipp");
        try (TestServer server = TestServer.start()) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            ApiClient lead = ApiClient.loggedIn(server.baseUrl(), "demo", "lead", PW);
            assertThat(admin.post("/api/v1/numbers", Map.of("number", "4691", "destinationType", "queue", "destination", "sales")).status())
                    .isEqualTo(201);
            server.hotline().acd().settle();
            Map<String, Object> t = Map.of("waitingAmber", 1, "waitingRed", 2, "longestWaitAmber", 600, "longestWaitRed", 1200,
                    "serviceLevelAmber", 0.0, "serviceLevelRed", 0.0, "stateMinutes", 60);
            // Before the call: no threshold the waiting caller can pass (a caller still waiting is offered, so today's
            // service level is 0 and would pass the default service-level threshold).
            Map<String, Object> none = new HashMap<>(t);
            none.put("waitingAmber", 5);
            none.put("waitingRed", 6);
            assertThat(lead.put("/api/v1/settings/wallboard", Map.of("defaults", none)).status()).isEqualTo(200);
            try (CtiClient leadDesk = CtiClient.connect(lead, server.baseUrl())) {
                leadDesk.next("hello");
                long built = server.hotline().monitor().snapshotsBuilt();
                Sipp.Run caller = new SipPeers(sippDir, server.hotline().engine().sipPort())
                        .uac("uac_call", "4691", SipPeers.vars("13500000083", "PAUSE", "8000"));
                await("the caller waits").atMost(Duration.ofSeconds(5)).until(() -> server.hotline().acd()
                        .waiting(lead.get("/api/v1/me").json().get("enterprise").get("id").asLong()).size() == 1);
                // Amber at 5 waiting: no alert. Amber at 1 from now on: the alert comes.
                assertThat(lead.put("/api/v1/settings/wallboard", Map.of("defaults", t)).status()).isEqualTo(200);
                JsonNode amber = leadDesk.next(m -> m.get("type").asText().equals("monitor.alerts") && m.get("raised").size() > 0, "the amber alert");
                assertThat(amber.get("raised").get(0).get("kind").asText()).isEqualTo("waiting");
                assertThat(amber.get("raised").get(0).get("subject").asText()).isEqualTo("sales");
                assertThat(amber.get("raised").get(0).get("level").asText()).isEqualTo("amber");
                assertThat(server.hotline().monitor().snapshotsBuilt()).as("snapshots built for the alerts").isEqualTo(built);
                SipPeers.ok(caller);
                leadDesk.next(m -> m.get("type").asText().equals("monitor.alerts") && m.get("alerts").isEmpty(), "the alert cleared");
                assertThat(server.hotline().monitor().snapshotsBuilt()).isEqualTo(built);
            }
        }
    }

    static long sum(JsonNode snapshot, String field) {
        long s = 0;
        for (JsonNode q : snapshot.get("queues")) s += q.get("today").get(field).asLong();
        return s;
    }

    /** SUP-3: thresholds, alerts and the wallboard opened with a read-only link on a TV (Chromium, no login); links revoked. */
    @Test
    void theWallboardTurnsAmberThenRedAsCallersWaitAndARevokedLinkStopsIt() throws Exception {
        Path sippDir = Files.createTempDirectory("wallboard-sipp");
        try (TestServer server = TestServer.start(); Chromium tv = Chromium.start()) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            ApiClient lead = ApiClient.loggedIn(server.baseUrl(), "demo", "lead", PW);
            ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
            assertThat(admin.post("/api/v1/numbers", Map.of("number", "4694", "destinationType", "queue", "destination", "sales")).status())
                    .isEqualTo(201);
            server.hotline().acd().settle();
            Map<String, Object> t = Map.of("waitingAmber", 1, "waitingRed", 2, "longestWaitAmber", 600, "longestWaitRed", 1200,
                    "serviceLevelAmber", 0.0, "serviceLevelRed", 0.0, "stateMinutes", 60);
            var bad = lead.put("/api/v1/settings/wallboard", Map.of("defaults", Map.of("waitingAmber", 5, "waitingRed", 2, "longestWaitAmber", 1,
                    "longestWaitRed", 2, "serviceLevelAmber", 0.8, "serviceLevelRed", 0.6, "stateMinutes", 5)));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("defaults.waitingRed");
            assertThat(agent.put("/api/v1/settings/wallboard", Map.of("defaults", t)).status()).isEqualTo(403);
            assertThat(lead.put("/api/v1/settings/wallboard", Map.of("defaults", t)).status()).isEqualTo(200);
            assertThat(agent.post("/api/v1/settings/wallboard/link", Map.of()).status()).isEqualTo(403);
            JsonNode link = lead.post("/api/v1/settings/wallboard/link", Map.of()).json();
            String token = link.get("token").asText();
            assertThat(link.get("url").asText()).isEqualTo("/wallboard.html?token=" + token);
            ApiClient anonymous = new ApiClient(server.baseUrl());
            assertThat(anonymous.get("/api/v1/wallboard?token=" + token.replace('.', '0')).status()).isEqualTo(401);
            assertThat(anonymous.get("/api/v1/wallboard?token=1." + token.substring(token.indexOf('.') + 1)).status())
                    .as("the signature of another enterprise's id").isEqualTo(401);
            JsonNode board = anonymous.get("/api/v1/wallboard?token=" + token).json();
            assertThat(board.has("agents")).as("no agents' names on a TV").isFalse();
            assertThat(board.has("calls")).as("no callers' numbers on a TV").isFalse();

            ChromeDriver page = tv.driver();
            page.get(server.baseUrl() + link.get("url").asText() + "&lang=en");
            WebDriverWait wait = tv.waitAtMost(Duration.ofSeconds(15));
            wait.until(x -> "true".equals(tv.attr("wallboard", "data-live")));
            assertThat(tv.attr("wb-queue-sales", "data-level")).isEqualTo("green");

            // The supervisor signed in on the desk is sent the alerts over CTI; an agent is not.
            CtiClient leadDesk = CtiClient.connect(lead, server.baseUrl());
            CtiClient agentDesk = CtiClient.connect(agent, server.baseUrl());
            leadDesk.next("hello");
            agentDesk.next("hello");
            SipPeers peers = new SipPeers(sippDir, server.hotline().engine().sipPort());
            Sipp.Run first = peers.uac("uac_call", "4694", SipPeers.vars("13500000081", "PAUSE", "26000"));
            tv.waitAtMost(Duration.ofSeconds(5)).until(x -> "amber".equals(tv.attr("wb-queue-sales", "data-level")));
            assertThat(page.findElement(tid("wb-alert-waiting-sales")).getText()).isEqualTo("sales: 1 callers waiting (threshold 1)");
            Sipp.Run second = peers.uac("uac_call", "4694", SipPeers.vars("13500000082", "PAUSE", "22000"));
            tv.waitAtMost(Duration.ofSeconds(5)).until(x -> "red".equals(tv.attr("wb-queue-sales", "data-level")));
            assertThat(page.findElement(tid("wb-waiting-sales")).getText()).isEqualTo("2");
            assertThat(lead.get("/api/v1/monitor").json().get("alerts")).anySatisfy(a -> {
                assertThat(a.get("kind").asText()).isEqualTo("waiting");
                assertThat(a.get("level").asText()).isEqualTo("red");
            });
            tv.screenshot("wallboard-red-en");
            JsonNode amberAlert = leadDesk.next(m -> m.get("type").asText().equals("monitor.alerts") && m.get("raised").size() > 0, "the amber alert");
            assertThat(amberAlert.get("raised").get(0).get("kind").asText()).isEqualTo("waiting");
            assertThat(amberAlert.get("raised").get(0).get("level").asText()).isEqualTo("amber");
            JsonNode redAlert = leadDesk.next(m -> m.get("type").asText().equals("monitor.alerts") && m.get("raised").size() > 0, "the red alert");
            assertThat(redAlert.get("raised").get(0).get("subject").asText()).isEqualTo("sales");
            assertThat(redAlert.get("raised").get(0).get("level").asText()).isEqualTo("red");
            // The supervisor's page shows the same alert.
            try (Chromium desk = Chromium.start()) {
                ChromeDriver sup = desk.driver();
                desk.signInEnglish(server.baseUrl(), "demo", "lead", PW);
                desk.waitAtMost(Duration.ofSeconds(15)).until(x -> "red".equals(desk.attr("monitor-alert-waiting-sales", "data-level")));
                assertThat(sup.findElement(tid("monitor-alert-waiting-sales")).getText()).isEqualTo("sales: 2 callers waiting (threshold 2)");
                // The queue view: support alone hides sales, its alert and its callers; sales alone shows them.
                new Select(sup.findElement(tid("monitor-queue-filter"))).selectByValue("support");
                desk.waitAtMost(Duration.ofSeconds(5)).until(x -> sup.findElements(tid("live-queue-sales")).isEmpty());
                assertThat(sup.findElements(tid("live-queue-support"))).hasSize(1);
                assertThat(sup.findElements(tid("monitor-alert-waiting-sales"))).isEmpty();
                assertThat(sup.findElements(tid("live-call-13500000081"))).isEmpty();
                assertThat(sup.findElement(tid("kpi-value-waiting")).getText()).isEqualTo("0");
                new Select(sup.findElement(tid("monitor-queue-filter"))).selectByValue("sales");
                desk.waitAtMost(Duration.ofSeconds(5)).until(x -> !sup.findElements(tid("live-call-13500000081")).isEmpty());
                assertThat(sup.findElements(tid("live-queue-support"))).isEmpty();
                assertThat(sup.findElement(tid("kpi-value-waiting")).getText()).isEqualTo("2");
                // The thresholds form: support gets its own, saved through the API the wallboard reads.
                sup.findElement(tid("wb-settings-toggle")).click();
                desk.waitAtMost(Duration.ofSeconds(5)).until(x -> !sup.findElements(tid("wb-th-defaults-waitingRed")).isEmpty());
                assertThat(sup.findElement(tid("wb-th-defaults-waitingRed")).getAttribute("value")).isEqualTo("2");
                new Select(sup.findElement(tid("wb-th-add-queue"))).selectByValue("support");
                sup.findElement(tid("wb-th-add")).click();
                sup.findElement(tid("wb-th-support-waitingRed")).sendKeys(Keys.chord(Keys.CONTROL, "a"), "8");
                sup.findElement(tid("wb-th-support-waitingAmber")).sendKeys(Keys.chord(Keys.CONTROL, "a"), "4");
                sup.findElement(tid("wb-settings-save")).click();
                await("the form saved").atMost(Duration.ofSeconds(5))
                        .until(() -> lead.get("/api/v1/settings/wallboard").json().path("queues").path("support").path("waitingRed").asInt() == 8);
                JsonNode saved = lead.get("/api/v1/settings/wallboard").json();
                assertThat(saved.get("queues").get("support").get("waitingAmber").asInt()).isEqualTo(4);
                assertThat(saved.get("defaults").get("waitingRed").asInt()).as("the defaults kept").isEqualTo(2);
                sup.findElement(tid("wb-link-create")).click();
                desk.waitAtMost(Duration.ofSeconds(5)).until(x -> !sup.findElements(tid("wb-link")).isEmpty());
                assertThat(sup.findElement(tid("wb-link")).getText()).startsWith(server.baseUrl() + "/wallboard.html?token=");
                assertThat(desk.scriptErrors()).as("errors in the supervisor's browser console").isEmpty();
            }
            SipPeers.ok(first);
            SipPeers.ok(second);
            tv.waitAtMost(Duration.ofSeconds(10)).until(x -> "green".equals(tv.attr("wb-queue-sales", "data-level")));
            leadDesk.next(m -> m.get("type").asText().equals("monitor.alerts") && m.get("alerts").isEmpty(), "the alerts cleared");
            agentDesk.command("no.such.command", Map.of()); // its reply comes after everything sent before it
            assertThat(agentDesk.seen()).as("an agent's desk is not sent the alerts").noneMatch(m -> m.get("type").asText().equals("monitor.alerts"));
            leadDesk.close();
            agentDesk.close();
            // The day's totals are read from the event log's roll-ups, which the next snapshot (every tick) shows once the two
            // abandons are committed: not necessarily the snapshot that turned the queue green.
            tv.waitAtMost(Duration.ofSeconds(10)).until(x -> "2".equals(page.findElement(tid("wb-total-abandoned")).getText()));

            // Revoked: the open wallboard stops and says so; the old link no longer opens.
            assertThat(lead.delete("/api/v1/settings/wallboard/link").status()).isEqualTo(204);
            wait.until(x -> !page.findElements(tid("wallboard-refused")).isEmpty());
            assertThat(anonymous.get("/api/v1/wallboard?token=" + token).status()).isEqualTo(401);
            assertThat(tv.scriptErrors()).as("errors in the browser console").isEmpty();
        }
    }

}
