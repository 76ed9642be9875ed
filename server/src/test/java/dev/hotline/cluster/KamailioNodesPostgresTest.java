package dev.hotline.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.Chromium;
import dev.hotline.testing.ChildServer;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * OPS-3 end to end: Kamailio (Debian package, dispatcher + http_client) on loopback in front of two Hotline nodes sharing
 * one PostgreSQL schema. Node "a" (a JVM of its own) serves the demo enterprise; a SIPp call to Kamailio for DID 4000 is
 * answered by it. Node "a" is killed (SIGKILL); within seconds node "b" (in this JVM) takes the enterprise over: a new
 * SIPp call through Kamailio is answered by "b", and the call "a" left open is closed in the records. Before that, "b"
 * refuses (403) a carrier call for the demo sent straight to it: two nodes never serve one enterprise.
 */
class KamailioNodesPostgresTest {
    static final Path KAMAILIO = Path.of("/usr/sbin/kamailio");
    static final Path MODULES = Path.of("/usr/lib/x86_64-linux-gnu/kamailio/modules");
    /** The lease of the test's nodes (seconds): a dead node's enterprises move after it. */
    static final int LEASE = 4;

    @Test
    void aKilledNodesEnterpriseIsTakenOverAndItsOpenCallClosed() throws Exception {
        assertThat(Files.isExecutable(KAMAILIO)).as("Kamailio is not installed: apt-get install -y kamailio kamailio-utils-modules"
                + " (or sudo bash scripts/test-deps.sh)").isTrue();
        assertThat(MODULES.resolve("http_client.so")).as("Kamailio's http_client module is missing: apt-get install -y"
                + " kamailio-utils-modules").exists();
        String db = TestDatabases.fresh(TestDatabases.Kind.POSTGRES);
        Jdbi jdbi = Jdbi.create(db);
        Path dir = Files.createTempDirectory("ops3-nodes");
        int aSip = ChildServer.freePort();
        int aHttp = ChildServer.freePort();
        ChildServer a = ChildServer.start(dir.resolve("a"), TestServer.DEMO_PASSWORD, Map.of(
                "HOTLINE_DB_URL", db, "HOTLINE_SIP_PORT", String.valueOf(aSip), "HOTLINE_HTTP_PORT", String.valueOf(aHttp),
                "HOTLINE_HTTPS_PORT", "-1", "HOTLINE_BCRYPT_COST", "6", "HOTLINE_SIP_TRUSTED", "127.0.0.1",
                "HOTLINE_CLUSTER_NODE_ID", "a", "HOTLINE_CLUSTER_LEASE_SECONDS", String.valueOf(LEASE)));
        Process kamailio = null;
        Sipp.Run first = null;
        try (TestServer b = TestServer.start(TestDatabases.Kind.H2, Map.of("db.url", db, "https.port", "-1",
                "sip.trusted", "127.0.0.1", "cluster.node.id", "b", "cluster.lease.seconds", String.valueOf(LEASE)))) {
            long demo = jdbi.withHandle(h -> h.createQuery("SELECT id FROM enterprise WHERE code = 'demo'").mapTo(Long.class).one());
            // "a" started first on an empty database and placed every enterprise on itself; "b" has none.
            assertThat(placement(jdbi, demo)).contains("a");
            int bSip = b.hotline().engine().sipPort();
            int bHttp = b.hotline().httpPort();

            int kamPort = ChildServer.freePort();
            Path list = dir.resolve("nodes.list");
            Files.writeString(list, "1 sip:127.0.0.1:" + aSip + " 0 0 http=127.0.0.1:" + aHttp + "\n"
                    + "1 sip:127.0.0.1:" + bSip + " 0 0 http=127.0.0.1:" + bHttp + "\n");
            Path cfg = Path.of("..", "ops", "kamailio", "kamailio.cfg").toAbsolutePath().normalize();
            assertThat(cfg).exists();
            Path kamLog = dir.resolve("kamailio.log");
            kamailio = new ProcessBuilder(KAMAILIO.toString(), "-f", cfg.toString(), "-DD", "-E", "-m", "32", "-M", "8",
                    "-Y", dir.toString(), "-A", "LISTEN=udp:127.0.0.1:" + kamPort, "-A", "DISPATCHER_LIST=\"" + list + "\"",
                    "-A", "MODULES=\"" + MODULES + "/\"")
                    .redirectErrorStream(true).redirectOutput(kamLog.toFile()).start();
            Sipp.awaitUdpBound(kamPort);
            SipPeers peers = new SipPeers(dir, kamPort);

            // Each node's first route lookup is slow while its JIT warms up (seconds on a loaded box; Kamailio waits 1 s).
            HttpClient warm = HttpClient.newHttpClient();
            for (int port : new int[] {aHttp, bHttp}) {
                warm.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/cluster/route?ruser=4000&rdomain=127.0.0.1"
                        + "&fuser=13500000001&fdomain=127.0.0.1")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
            }

            // Fencing: "b" refuses a carrier's call for the demo straight to it while "a" serves the demo.
            SipPeers.ok(new SipPeers(dir, bSip).uac("uac_fail", "4000", SipPeers.vars("13500000003", "CODE", "403")));

            // HTTP follows the placement: at "b" a login, API calls (session and token), a console page and the CTI socket
            // of the demo are sent to "a" (the advertised URL in its cluster_node row).
            wrongNodeSendsToOwner(b.baseUrl(), "http://127.0.0.1:" + aHttp);
            String widgetKey = publicRoutesFollowThePlacement(b.baseUrl(), "http://127.0.0.1:" + aHttp, jdbi, demo);

            // The operator moves the demo to "b" while "a" has a call of it in progress: new calls reach "b", the call goes on at
            // "a" to its end and "a" records it. Then back to "a", for the takeover below.
            // (The operator signs in at "a", which serves the system enterprise; the cluster routes are answered by any node.)
            ApiClient operatorAtA = ApiClient.loggedIn("http://127.0.0.1:" + aHttp, "system", "operator", TestServer.DEMO_PASSWORD);
            String trunk = operatorMovesTheDemo(operatorAtA, peers, dir, jdbi, demo, aSip, bSip, aHttp, bHttp, kamLog);
            // A rate for the calls of that trunk to the demo's numbers: the call the takeover closes below is billed.
            ApiClient admin = ApiClient.loggedIn("http://127.0.0.1:" + aHttp, "demo", "admin", TestServer.DEMO_PASSWORD);
            long trunkId = jdbi.withHandle(h -> h.createQuery("SELECT id FROM trunk WHERE enterprise_id = :e AND name = :n")
                    .bind("e", demo).bind("n", trunk).mapTo(Long.class).one());
            ApiClient.Response table = admin.post("/api/v1/billing/rate-tables", Map.of("trunkId", trunkId, "direction", "inbound",
                    "currency", "CNY", "periods", List.of(), "rates", List.of(Map.of("prefix", "4", "pricePerMinute", new java.math.BigDecimal("0.60"),
                            "firstIncrement", 60, "increment", 60, "connectionFee", new java.math.BigDecimal("0.10")))));
            assertThat(table.status()).as(table.body()).isEqualTo(201);

            // A call through Kamailio to the demo hotline is answered by node "a", and stays up.
            first = peers.uac("uac_call", "4000", SipPeers.vars("13500000001", "PAUSE", "25000"));
            Sipp.Run firstCall = first;
            await("the first call answered").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> answeredBy(firstCall.messages()).isPresent() || !firstCall.isAlive());
            assertThat(answeredBy(first.messages())).as(first.logs() + kamailioLog(kamLog)).contains(aSip);
            List<String> open = new ArrayList<>();
            await("the first call's events in the shared database").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        open.clear();
                        open.addAll(openCalls(jdbi, demo));
                        return !open.isEmpty();
                    });

            // Node "a" dies.
            a.kill();
            long killedAt = System.nanoTime();

            // New calls reach node "b" within seconds (503 or a timeout while "a"'s lease still runs: the caller retries).
            Sipp.Run second = null;
            long deadline = killedAt + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                Sipp.Run run = peers.uac("uac_call", "4000", SipPeers.vars("13500000002", "PAUSE", "500"));
                if (run.await(Duration.ofSeconds(40)) == 0) {
                    second = run;
                    break;
                }
            }
            double seconds = (System.nanoTime() - killedAt) / 1e9;
            assertThat(second).as("no call through Kamailio succeeded within 30 s of the kill" + kamailioLog(kamLog)).isNotNull();
            System.out.printf("OPS-3: a new call answered by node b %.1f s after node a was killed (lease %d s)%n", seconds, LEASE);
            assertThat(seconds).as("takeover time").isLessThan(3.0 * LEASE + 5);
            assertThat(answeredBy(second.messages())).contains(bSip);
            assertThat(placement(jdbi, demo)).contains("b");

            // The call node "a" left open is closed in the records by "b".
            await("the dead node's call closed").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> closed(jdbi, open).size() == open.size());
            assertThat(closed(jdbi, open)).allSatisfy(cause -> assertThat(cause).isEqualTo("system_restart"));
            assertThat(openCalls(jdbi, demo)).doesNotContainAnyElementsOf(open);
            // and billed like any call (RPT-5): the inbound leg of the trunk rated with its table, in the closing transaction.
            // The leg is billed up to the last event "a" logged (as its record's talk): 0.10 + 0.60 a minute from the first second.
            List<Map<String, Object>> charged = jdbi.withHandle(h -> h.createQuery("""
                            SELECT prefix, talk_seconds, billed_seconds, amount FROM call_charge
                            WHERE call_id IN (<ids>) AND rated AND trunk = :t AND direction = 'inbound'""")
                    .bindList("ids", open).bind("t", trunk).mapToMap().list());
            assertThat(charged).as("the charges of the calls the takeover closed").hasSize(1);
            assertThat(charged.get(0)).containsEntry("prefix", "4");
            int talk = ((Number) charged.get(0).get("talk_seconds")).intValue();
            assertThat((java.math.BigDecimal) charged.get(0).get("amount")).as(charged.toString())
                    .isEqualByComparingTo(talk == 0 ? "0" : "0.70");

            // After the takeover "b" serves the demo's HTTP itself: a login and an API call followed end at "b" with no redirect.
            HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<String> login = browser.send(loginRequest(b.baseUrl()), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            assertThat(login.uri().getPort()).isEqualTo(bHttp);
            assertThat(login.previousResponse()).isEmpty();
            HttpResponse<String> me = browser.send(HttpRequest.newBuilder(URI.create(b.baseUrl() + "/api/v1/me")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(me.statusCode()).isEqualTo(200);
            assertThat(me.uri().getPort()).isEqualTo(bHttp);
            assertThat(me.previousResponse()).isEmpty();
            // and the widget's requests.
            HttpResponse<String> widgetAtB = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(b.baseUrl() + "/api/v1/public/widget/" + widgetKey)).header("Origin", SHOP).header("Sec-Fetch-Mode", "cors")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(widgetAtB.statusCode()).as(widgetAtB.body()).isEqualTo(200);

            // The operator sees "a" dead and "b" live, and cannot move an enterprise to "a"; the demo's admin signs in at "b".
            ApiClient operator = ApiClient.loggedIn(b.baseUrl(), "system", "operator", TestServer.DEMO_PASSWORD);
            ApiClient.Response toDead = operator.put("/api/v1/cluster/placements/" + demo, Map.of("node", "a"));
            assertThat(toDead.status()).as(toDead.body()).isEqualTo(409);
            assertThat(toDead.body()).contains("not live");
            ApiClient.Response nodes = operator.get("/api/v1/cluster/nodes");
            assertThat(nodes.status()).as(nodes.body()).isEqualTo(200);
            assertThat(nodes.json().findValuesAsText("id")).containsExactly("a", "b");
            assertThat(nodes.json().findValues("live")).extracting(j -> j.asBoolean()).containsExactly(false, true);
            assertThat(new ApiClient(b.baseUrl()).login("demo", "admin", TestServer.DEMO_PASSWORD).status()).isEqualTo(200);
        } finally {
            if (first != null) first.kill();
            if (kamailio != null) {
                kamailio.destroy();
                if (!kamailio.waitFor(10, TimeUnit.SECONDS)) kamailio.destroyForcibly();
            }
            if (a.process().isAlive()) a.kill();
            deleteTree(dir);
        }
    }

    /**
     * The operator's move of the demo from "a" to "b" and back, asked at "a". While "a" serves the demo, a call through Kamailio
     * (the drained call) is answered by "a"; the operator moves the demo to "b": "a" hands it over at once, listing that call as
     * drained, and "b" takes it up; a new call through Kamailio is answered by "b"; "a" refuses a carrier's call for the demo
     * and sends a login to "b"; the drained call ends normally at "a", which records it, and its drain row goes. Then the demo
     * is moved back to "a" in the console ("b" hands it over at its next heartbeat). Also the refusals: unknown enterprise or node, no node, an
     * enterprise's admin. Returns the trunk name of the drained call's record.
     */
    static String operatorMovesTheDemo(ApiClient operator, SipPeers peers, Path dir, Jdbi jdbi, long demo, int aSip, int bSip, int aHttp,
                                       int bHttp, Path kamLog) throws Exception {
        String placements = "/api/v1/cluster/placements";
        assertThat(operator.put(placements + "/" + demo, Map.of("node", "c")).status()).as("unknown node").isEqualTo(404);
        assertThat(operator.put(placements + "/999999", Map.of("node", "b")).status()).as("unknown enterprise").isEqualTo(404);
        ApiClient.Response noNode = operator.put(placements + "/" + demo, Map.of());
        assertThat(noNode.status()).as(noNode.body()).isEqualTo(400);
        assertThat(noNode.body()).contains("node");
        ApiClient.Response asAdmin = ApiClient.loggedIn("http://127.0.0.1:" + aHttp, "demo", "admin", TestServer.DEMO_PASSWORD)
                .put(placements + "/" + demo, Map.of("node", "b"));
        assertThat(asAdmin.status()).as("an enterprise's admin may not move it").isEqualTo(403);

        // A caller that follows the dialog's route set (as RFC 3261 asks): its BYE reaches "a" after the move. (uac_call's BYE
        // names Kamailio, which looks the enterprise up again and would send it to "b": 481.)
        Sipp.Run drained = peers.uac("uac_call_rr", "4000", SipPeers.vars("13500000004", "PAUSE", "12000"));
        try {
            await("the drained call answered").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> answeredBy(drained.messages()).isPresent() || !drained.isAlive());
            assertThat(answeredBy(drained.messages())).as(drained.logs() + kamailioLog(kamLog)).contains(aSip);
            List<String> inProgress = await("the drained call's events in the shared database").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(200)).until(() -> openCalls(jdbi, demo), calls -> !calls.isEmpty());

            // Asked at "a", which serves the demo: it stops serving it and hands it over before it answers.
            ApiClient.Response moved = operator.put(placements + "/" + demo, Map.of("node", "b"));
            assertThat(moved.status()).as(moved.body()).isEqualTo(200);
            assertThat(moved.json().path("node").asText()).as(moved.body()).isEqualTo("b");
            long movedAt = System.nanoTime();
            JsonNode demoPlacement = await("the demo handed over to b and taken up").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100)).until(() -> placementOf(operator, demo),
                            p -> p.path("node").asText().equals("b") && p.path("movingTo").isNull());
            System.out.printf("OPS-3: the demo taken up by b %.1f s after the operator's request at a (lease %d s)%n",
                    (System.nanoTime() - movedAt) / 1e9, LEASE);
            assertThat(demoPlacement.path("drainingCalls").asInt()).as("the call in progress at a, drained there").isEqualTo(1);
            List<String> drainedAtA = jdbi.withHandle(h -> h.createQuery("SELECT call_id FROM cluster_drain WHERE node_id = 'a'")
                    .mapTo(String.class).list());
            assertThat(drainedAtA).containsExactlyElementsOf(inProgress);
            assertThat(drained.isAlive()).as("the drained call still up when the move is done: make its PAUSE longer").isTrue();

            // A new call through Kamailio reaches "b" (the route lookup answers b's URI).
            Sipp.Run next = peers.uac("uac_call", "4000", SipPeers.vars("13500000005", "PAUSE", "300"));
            SipPeers.ok(next);
            assertThat(answeredBy(next.messages())).as(next.logs() + kamailioLog(kamLog)).contains(bSip);
            // "a" takes no new call or login of the demo: a carrier's call straight to it is refused, a login sent to "b".
            SipPeers.ok(new SipPeers(dir, aSip).uac("uac_fail", "4000", SipPeers.vars("13500000006", "CODE", "403")));
            HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<String> login = browser.send(loginRequest("http://127.0.0.1:" + aHttp), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
            assertThat(login.uri().getPort()).isEqualTo(bHttp);

            // The drained call goes on at "a" to its end (the caller's BYE answered there) and "a" records it: not closed by "b".
            SipPeers.ok(drained);
            assertThat(answeredBy(drained.messages())).contains(aSip);
            List<String> causes = await("the drained call recorded").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> closed(jdbi, inProgress), c -> c.size() == inProgress.size());
            assertThat(causes).doesNotContain("system_restart");
            await("the drain row gone once the call is recorded").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> placementOf(operator, demo).path("drainingCalls").asInt() == 0);

            // Back to "a" for the takeover, in the console's Cluster page at "a" (which serves the system enterprise): "b" hands
            // it over at its next heartbeat.
            movesBackInTheConsole("http://127.0.0.1:" + aHttp);
            await("the demo taken up by a").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> placementOf(operator, demo), p -> p.path("node").asText().equals("a") && p.path("movingTo").isNull());
            int audited = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM audit_log WHERE action = 'cluster.move'")
                    .mapTo(Integer.class).one());
            assertThat(audited).as("both moves audited").isEqualTo(2);
            return jdbi.withHandle(h -> h.createQuery("SELECT trunk FROM call_record WHERE call_id = :c").bind("c", inProgress.get(0))
                    .mapTo(String.class).one());
        } finally {
            drained.kill();
        }
    }

    /**
     * The operator signs in to the console at {@code node}, opens the Cluster page: both nodes live, the demo served by "b";
     * moves the demo to "a" in its dialog (only live nodes offered) and sees the move under way in the table.
     */
    static void movesBackInTheConsole(String node) throws IOException {
        Map<String, String> en;
        try (var in = KamailioNodesPostgresTest.class.getResourceAsStream("/web/i18n/en.json")) {
            en = new com.fasterxml.jackson.databind.ObjectMapper().readValue(in,
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
        }
        try (Chromium chrome = Chromium.start()) {
            var driver = chrome.driver();
            var wait = chrome.waitAtMost(Duration.ofSeconds(20));
            chrome.signInEnglish(node, "system", "operator", TestServer.DEMO_PASSWORD);
            wait.until(ExpectedConditions.urlContains("#/enterprises"));
            wait.until(ExpectedConditions.elementToBeClickable(Chromium.tid("nav-cluster"))).click();
            wait.until(ExpectedConditions.textToBe(Chromium.tid("page-title"), en.get("cluster.title")));
            wait.until(d -> d.findElement(Chromium.tid("node-row-a")).getText().contains(en.get("cluster.live"))
                    && d.findElement(Chromium.tid("node-row-b")).getText().contains(en.get("cluster.live")));
            wait.until(ExpectedConditions.textToBe(Chromium.tid("placement-node-demo"), "b"));
            assertThat(driver.findElement(Chromium.tid("placement-moving-demo")).getText()).isEqualTo("—");
            chrome.screenshot("console-cluster-en");
            wait.until(ExpectedConditions.elementToBeClickable(Chromium.tid("placement-move-demo"))).click();
            var select = new Select(wait.until(ExpectedConditions.visibilityOfElementLocated(Chromium.tid("placement-form-node"))));
            assertThat(select.getOptions()).extracting(o -> o.getAttribute("value")).containsExactly("a", "b");
            select.selectByValue("a");
            driver.findElement(Chromium.tid("placement-save")).click();
            wait.until(ExpectedConditions.invisibilityOfElementLocated(Chromium.tid("placement-dialog")));
            // The table read again: the demo on its way to "a" (or there already).
            wait.until(d -> d.findElement(Chromium.tid("placement-moving-demo")).getText().equals("a")
                    || d.findElement(Chromium.tid("placement-node-demo")).getText().equals("a"));
            assertThat(chrome.scriptErrors()).as("errors in the browser console").isEmpty();
        }
    }

    static JsonNode placementOf(ApiClient operator, long enterprise) {
        ApiClient.Response all = operator.get("/api/v1/cluster/placements");
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        for (JsonNode p : all.json()) if (p.path("id").asLong() == enterprise) return p;
        throw new AssertionError("no placement row for enterprise " + enterprise + ": " + all.body());
    }

    /**
     * At {@code wrongNode} (which does not serve the demo) requests of the demo end at {@code owner}: a login and API calls
     * followed as a client that follows redirects does (307, method and body kept), a page's script told 421 with the URL,
     * a console page redirected, the CTI WebSocket refused naming the owner.
     */
    static void wrongNodeSendsToOwner(String wrongNode, String owner) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> login = browser.send(loginRequest(wrongNode), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        assertThat(login.uri().toString()).isEqualTo(owner + "/api/v1/auth/login");
        assertThat(login.previousResponse()).get().extracting(HttpResponse::statusCode).isEqualTo(307);
        String csrf = dev.hotline.web.Json.MAPPER.readTree(login.body()).path("csrfToken").asText();

        // An API call with the session (the cookie is the host's, so it reaches both nodes on 127.0.0.1).
        HttpResponse<String> me = browser.send(HttpRequest.newBuilder(URI.create(wrongNode + "/api/v1/me")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
        assertThat(me.uri().toString()).isEqualTo(owner + "/api/v1/me");
        assertThat(me.previousResponse()).get().extracting(HttpResponse::statusCode).isEqualTo(307);
        // A change: POST with its body and CSRF header kept.
        HttpResponse<String> token = browser.send(HttpRequest.newBuilder(URI.create(wrongNode + "/api/v1/tokens"))
                .header("Content-Type", "application/json").header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ops3\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(201);
        assertThat(token.uri().getPort()).isEqualTo(URI.create(owner).getPort());
        // An API token (a program's client, no cookies).
        String bearer = "Bearer " + dev.hotline.web.Json.MAPPER.readTree(token.body()).path("token").asText();
        HttpResponse<String> byToken = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build().send(
                HttpRequest.newBuilder(URI.create(wrongNode + "/api/v1/me?x=1")).header("Authorization", bearer).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(byToken.statusCode()).as(byToken.body()).isEqualTo(200);
        assertThat(byToken.uri().toString()).isEqualTo(owner + "/api/v1/me?x=1");

        HttpClient noFollow = HttpClient.newBuilder().cookieHandler(browser.cookieHandler().orElseThrow()).build();
        // A page's script (fetch) cannot follow a redirect to another origin: 421 and Location, the console moves there.
        HttpResponse<String> script = noFollow.send(HttpRequest.newBuilder(URI.create(wrongNode + "/api/v1/me"))
                .header("Sec-Fetch-Mode", "cors").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(script.statusCode()).isEqualTo(421);
        assertThat(dev.hotline.web.Json.MAPPER.readTree(script.body()).path("code").asText()).isEqualTo("other_node");
        assertThat(script.headers().firstValue("Location")).contains(owner + "/api/v1/me");
        // A console page (the desk) opened at the wrong node.
        HttpResponse<String> page = noFollow.send(HttpRequest.newBuilder(URI.create(wrongNode + "/agent.html")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(307);
        assertThat(page.headers().firstValue("Location")).contains(owner + "/agent.html");
        // What every node answers itself: its health.
        assertThat(noFollow.send(HttpRequest.newBuilder(URI.create(wrongNode + "/api/v1/health/live")).header("Authorization", bearer)
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        // The CTI WebSocket: refused, naming the node.
        String ws = wrongNode.replaceFirst("^http", "ws") + "/api/v1/cti";
        var refused = org.assertj.core.api.Assertions.catchThrowable(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", bearer).buildAsync(URI.create(ws), new java.net.http.WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS));
        assertThat(refused).hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class);
        HttpResponse<?> handshake = ((java.net.http.WebSocketHandshakeException) refused.getCause()).getResponse();
        assertThat(handshake.statusCode()).isEqualTo(421);
        assertThat(handshake.headers().firstValue("Location")).contains(owner + "/api/v1/cti");
    }

    /** The site the test's widget is on. */
    static final String SHOP = "https://shop.example";

    /**
     * At {@code wrongNode} (which does not serve the demo) the public routes of the demo (no login: the widget, the web
     * callback, a wallboard link) are sent to {@code owner} too: the widget's script (cross-origin) told 421 with Location and
     * the CORS headers it needs to read it, its preflight answered here; the callback form's page 307, its script 421; the
     * wallboard's data 307 (followed), its stream 421; the login page's branding (the database only) answered here. Returns
     * the widget's key.
     */
    static String publicRoutesFollowThePlacement(String wrongNode, String owner, Jdbi jdbi, long demo) throws Exception {
        ApiClient admin = ApiClient.loggedIn(owner, "demo", "admin", TestServer.DEMO_PASSWORD);
        long sales = jdbi.withHandle(h -> h.createQuery("SELECT id FROM acd_queue WHERE enterprise_id = :e AND name = 'sales'")
                .bind("e", demo).mapTo(Long.class).one());
        long trunk = jdbi.withHandle(h -> h.createQuery("SELECT MIN(id) FROM trunk WHERE enterprise_id = :e").bind("e", demo)
                .mapTo(Long.class).one());
        ApiClient.Response widget = admin.post("/api/v1/widgets", Map.of("name", "ops3", "queueId", sales, "origins", List.of(SHOP)));
        assertThat(widget.status()).as(widget.body()).isEqualTo(201);
        String key = widget.json().get("key").asText();
        HttpClient noFollow = HttpClient.newHttpClient();
        HttpClient follow = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

        // The widget: its script's requests (cross-origin, Sec-Fetch-Mode: cors) get 421, readable by the shop's page.
        String widgetPath = "/api/v1/public/widget/" + key;
        HttpResponse<String> info = noFollow.send(HttpRequest.newBuilder(URI.create(wrongNode + widgetPath)).header("Origin", SHOP)
                .header("Sec-Fetch-Mode", "cors").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(info.statusCode()).as(info.body()).isEqualTo(421);
        assertThat(info.headers().firstValue("Location")).contains(owner + widgetPath);
        assertThat(info.headers().firstValue("Access-Control-Allow-Origin")).contains(SHOP);
        assertThat(info.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains("Location");
        HttpResponse<String> call = noFollow.send(HttpRequest.newBuilder(URI.create(wrongNode + widgetPath + "/calls")).header("Origin", SHOP)
                .header("Sec-Fetch-Mode", "cors").header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(call.statusCode()).as("a visitor's call is placed on the owner only: " + call.body()).isEqualTo(421);
        assertThat(call.headers().firstValue("Location")).contains(owner + widgetPath + "/calls");
        // A preflight may not be redirected: any node answers it.
        assertThat(noFollow.send(HttpRequest.newBuilder(URI.create(wrongNode + widgetPath + "/calls")).header("Origin", SHOP)
                .header("Access-Control-Request-Method", "POST").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
        // A program (no Sec-Fetch-Mode) gets 307 and, following it, the owner's answer.
        HttpResponse<String> program = follow.send(HttpRequest.newBuilder(URI.create(wrongNode + widgetPath)).header("Origin", SHOP).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(program.statusCode()).as(program.body()).isEqualTo(200);
        assertThat(program.uri().toString()).isEqualTo(owner + widgetPath);
        assertThat(program.previousResponse()).get().extracting(HttpResponse::statusCode).isEqualTo(307);
        // A key nobody has is answered here (nothing to follow).
        assertThat(noFollow.send(HttpRequest.newBuilder(URI.create(wrongNode + "/api/v1/public/widget/0123456789abcdef")).header("Origin", SHOP)
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);

        // The web callback: the form's page (an iframe's navigation) is redirected; its script's requests get 421.
        ApiClient.Response site = admin.put("/api/v1/webcallback/settings", Map.of("enabled", true, "mode", "customer_first", "queueId", sales,
                "trunkId", trunk, "callerId", "4000100", "allowedPrefixes", List.of("139")));
        assertThat(site.status()).as(site.body()).isEqualTo(200);
        String callback = "/api/v1/public/callback/" + site.json().get("publicKey").asText();
        HttpResponse<String> form = follow.send(HttpRequest.newBuilder(URI.create(wrongNode + callback + "/form"))
                .header("Sec-Fetch-Mode", "navigate").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.uri().toString()).isEqualTo(owner + callback + "/form");
        assertThat(form.previousResponse()).get().extracting(HttpResponse::statusCode).isEqualTo(307);
        HttpResponse<String> challenge = noFollow.send(HttpRequest.newBuilder(URI.create(wrongNode + callback + "/challenge"))
                .header("Sec-Fetch-Mode", "cors").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(challenge.statusCode()).as(challenge.body()).isEqualTo(421);
        assertThat(challenge.headers().firstValue("Location")).contains(owner + callback + "/challenge");

        // A wallboard link: its data followed to the owner; its stream (EventSource) told 421.
        ApiClient.Response link = admin.post("/api/v1/settings/wallboard/link", Map.of());
        assertThat(link.status()).as(link.body()).isIn(200, 201);
        String board = "/api/v1/wallboard?token=" + link.json().get("token").asText();
        HttpResponse<String> data = follow.send(HttpRequest.newBuilder(URI.create(wrongNode + board)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(data.statusCode()).as(data.body()).isEqualTo(200);
        assertThat(data.uri().toString()).isEqualTo(owner + board);
        String stream = board.replace("/wallboard?", "/wallboard/stream?");
        HttpResponse<String> events = noFollow.send(HttpRequest.newBuilder(URI.create(wrongNode + stream)).header("Sec-Fetch-Mode", "cors")
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(events.statusCode()).isEqualTo(421);
        assertThat(events.headers().firstValue("Location")).contains(owner + stream);

        // The login page's branding reads only the database: the node asked answers.
        HttpResponse<String> brand = noFollow.send(HttpRequest.newBuilder(URI.create(wrongNode + "/api/v1/branding/public?e=demo")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(brand.statusCode()).isEqualTo(200);
        return key;
    }

    static HttpRequest loginRequest(String node) {
        return HttpRequest.newBuilder(URI.create(node + "/api/v1/auth/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"enterprise\":\"demo\",\"username\":\"admin\",\"password\":\""
                        + TestServer.DEMO_PASSWORD + "\"}")).build();
    }

    /** The SIP port of the node whose 200 OK to the INVITE the caller received (its Contact), if any yet. */
    static Optional<Integer> answeredBy(String sippMessages) {
        Pattern contact = Pattern.compile("(?im)^(?:Contact|m):.*?127\\.0\\.0\\.1:(\\d+)");
        for (String msg : sippMessages.split("-{10,}")) {
            if (msg.contains("SIP/2.0 200 ") && Pattern.compile("CSeq: *\\d+ INVITE").matcher(msg).find()) {
                Matcher c = contact.matcher(msg);
                if (c.find()) return Optional.of(Integer.parseInt(c.group(1)));
            }
        }
        return Optional.empty();
    }

    static Optional<String> placement(Jdbi jdbi, long enterprise) {
        return jdbi.withHandle(h -> h.createQuery("SELECT node_id FROM enterprise_placement WHERE enterprise_id = :e")
                .bind("e", enterprise).mapTo(String.class).findOne());
    }

    static List<String> openCalls(Jdbi jdbi, long enterprise) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT DISTINCT call_id FROM call_event e WHERE enterprise_id = :e
                        AND NOT EXISTS (SELECT 1 FROM call_record r WHERE r.call_id = e.call_id)""")
                .bind("e", enterprise).mapTo(String.class).list());
    }

    /** The hang-up causes of those of {@code calls} that have a record. */
    static List<String> closed(Jdbi jdbi, List<String> calls) {
        return jdbi.withHandle(h -> h.createQuery("SELECT hangup_cause FROM call_record WHERE call_id IN (<ids>)")
                .bindList("ids", calls).mapTo(String.class).list());
    }

    static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary folder
        }
    }

    static String kamailioLog(Path file) {
        try {
            String s = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            return "\n---- kamailio ----\n" + (s.length() > 6000 ? s.substring(s.length() - 6000) : s);
        } catch (IOException e) {
            return "";
        }
    }
}
