package dev.hotline.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.CtiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * CRM-5 number masking end to end: with the enterprise's policy on (middle), a SIPp caller 13770000051 reaches agent 1's
 * SIP phone through the queue; the agent's CTI events, the live calls API and, for a supervisor (masked: no
 * number.unmasked), every route listing numbers, the event stream, a CSV and an xlsx report export and the customer
 * export show 137****0051 and never the number; the admin (number.unmasked) sees it; click-to-dial from the masked
 * entry's reference reaches 13770000051 at the carrier (SIPp), a masked number sent back is a 400. The name mode and a
 * queue's override, and the policy's checks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NumberMaskingTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static final String CALLER = "13770000051";
    static final String MASKED = "137****0051";
    static final ObjectMapper JSON = new ObjectMapper();
    TestServer server;
    ApiClient admin;
    ApiClient supervisor;
    ApiClient agentApi;
    String supervisorToken;
    int carrierPort;
    long customerId;
    String callId;
    /** Every CTI message agent 1's desk got during the call, as sent. */
    final List<JsonNode> ctiMessages = new ArrayList<>();
    String callerRef;
    final List<Sipp.Run> sipps = new ArrayList<>();
    @TempDir
    static Path work;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        supervisor = ApiClient.loggedIn(server.baseUrl(), "demo", "lead", PW);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4698", "destinationType", "queue", "destination", "sales")).status())
                .isEqualTo(201);
        carrierPort = Ports.free();
        long trunk = admin.post("/api/v1/trunks", Map.of("name", "mask-carrier", "host", "127.0.0.1", "port", carrierPort, "allowedIps", List.of()))
                .json().get("id").asLong();
        assertThat(admin.post("/api/v1/outbound-routes", Map.of("name", "mask-out", "prefix", "1377", "trunkId", trunk, "priority", 1))
                .status()).isEqualTo(201);
        var c = admin.post("/api/v1/customers", Map.of("name", "Masked Customer", "sharing", "enterprise",
                "phones", List.of(Map.of("number", CALLER, "label", "mobile"))));
        assertThat(c.status()).as(c.toString()).isEqualTo(201);
        customerId = c.json().get("id").asLong();
        var policy = admin.put("/api/v1/masking", Map.of("mode", "middle", "roles", List.of(), "queues", Map.of()));
        assertThat(policy.status()).as(policy.toString()).isEqualTo(200);
        server.hotline().acd().settle();
        // Extension 2161 parks what it answers (a blind transfer to 700), reached at 4699: registered while the demo is the
        // only enterprise (a SIP phone without a domain belongs to it).
        assertThat(admin.post("/api/v1/extensions", Map.of("number", "2161", "sipPassword", PW)).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4699", "destinationType", "extension", "destination", "2161")).status())
                .isEqualTo(201);
        int parkerPort = Ports.free();
        sipps.add(peers().uas("uas_refer", parkerPort, SipPeers.vars("x", "REFERTO", "700")));
        peers().register("2161", PW, parkerPort, "200");
        supervisorToken = supervisor.post("/api/v1/tokens", Map.of("name", "mask-" + System.nanoTime())).json().get("token").asText();

        // Agent 1 on a SIP phone (answers), ready, desk connected; the caller rings through the queue.
        int port = Ports.free();
        Map<String, String> vars = SipPeers.vars("x");
        vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
        Sipp.Run phone = Sipp.start(work, "uas_answer", vars, null, port,
                List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)), "-m", "100", "-timeout", "120"));
        Sipp.awaitUdpBound(port);
        sipps.add(phone);
        peers().register("1001", PW, port, "200");
        ApiClient agentSession = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        agentApi = new ApiClient(server.baseUrl()).withBearer(
                agentSession.post("/api/v1/tokens", Map.of("name", "mask-" + System.nanoTime())).json().get("token").asText());
        assertThat(agentApi.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
        assertThat(agentApi.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
        try (CtiClient desk = CtiClient.connect(agentSession, server.baseUrl())) {
            ctiMessages.add(desk.next("hello"));
            Sipp.Run caller = peers().uac("uac_wait_bye", "4698", SipPeers.vars(CALLER));
            sipps.add(caller);
            JsonNode ringing = desk.next("call.offered");
            ctiMessages.add(ringing);
            JsonNode live = await("the queue call reaches agent 1").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> agentApi.get("/api/v1/live-calls").json(), l -> l.size() == 1 && l.at("/0/call/state").asText().equals("talking"));
            ctiMessages.add(live);
            String leg = live.at("/0/call/legId").asText();
            callId = live.at("/0/call/callId").asText();
            callerRef = live.at("/0/call/callerRef").asText();
            assertThat(agentApi.delete("/api/v1/live-calls/" + leg).status()).isEqualTo(200);
            SipPeers.ok(caller);
            ctiMessages.add(desk.next("call.ended"));
            ctiMessages.addAll(desk.seen());
        }
        await("the call record").atMost(Duration.ofSeconds(15))
                .until(() -> admin.get("/api/v1/calls?number=" + CALLER).json().get("items").size() == 1);
    }

    @AfterAll
    void stop() {
        sipps.forEach(Sipp.Run::kill);
        server.hotline().engine().channels().forEach(ch -> ch.hangup(HangupCause.NORMAL_CLEARING));
        server.close();
    }

    SipPeers peers() {
        return new SipPeers(work, server.hotline().engine().sipPort());
    }

    static void assertMasked(String where, String body) {
        assertThat(body).as(where + ": " + body).doesNotContain(CALLER).doesNotContain("770000051");
    }

    @Test
    void theAgentsDeskSeesTheCallerMaskedInEveryCtiEventAndTheLiveCallsApi() {
        JsonNode ringing = ctiMessages.get(1);
        assertThat(ringing.at("/call/caller").asText()).isEqualTo(MASKED);
        assertThat(ringing.at("/call/callerRef").asText()).startsWith("ref:");
        assertThat(ringing.at("/call/queue").asText()).isEqualTo("sales");
        assertThat(ctiMessages.get(2).at("/0/call/caller").asText()).isEqualTo(MASKED);
        for (JsonNode m : ctiMessages) assertMasked("CTI " + m.path("type").asText(), m.toString());
    }

    @Test
    void aMaskedSupervisorSeesNoFullNumberInAnyRouteExportOrStreamAndTheAdminSeesIt() throws Exception {
        List<String> routes = List.of("/api/v1/calls", "/api/v1/calls?number=" + CALLER, "/api/v1/calls/" + callId + "/events",
                "/api/v1/recordings", "/api/v1/reports/tracking", "/api/v1/reports/callbacks", "/api/v1/reports/numbers",
                "/api/v1/monitor", "/api/v1/queues/waiting", "/api/v1/live-calls?scope=enterprise", "/api/v1/customers",
                "/api/v1/customers?q=Masked", "/api/v1/customers/" + customerId, "/api/v1/customers/" + customerId + "/timeline",
                "/api/v1/customers/lookup?number=" + CALLER, "/api/v1/voicemail", "/api/v1/tickets");
        for (String r : routes) {
            var res = supervisor.get(r);
            assertThat(res.status()).as(r + " " + res).isLessThan(300);
            assertMasked(r, res.body());
        }
        JsonNode tracked = await("the tracking row").atMost(Duration.ofSeconds(15))
                .until(() -> supervisor.get("/api/v1/reports/tracking").json().get("rows"), rows -> rows.size() >= 1);
        assertThat(tracked.get(0).get("caller").asText()).isEqualTo(MASKED);
        JsonNode record = supervisor.get("/api/v1/calls").json().at("/items/0");
        assertThat(record.get("caller").asText()).isEqualTo(MASKED);
        assertThat(record.get("callerRef").asText()).startsWith("ref:");
        assertThat(supervisor.get("/api/v1/customers/" + customerId).json().at("/phones/0/number").asText()).isEqualTo(MASKED);
        // The desk's screen pop looks the customer up by the reference it was given.
        assertThat(agentApi.get("/api/v1/customers/lookup?number=" + callerRef).json().at("/0/name").asText()).isEqualTo("Masked Customer");

        var csv = supervisor.get("/api/v1/reports/tracking?format=csv");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.body()).contains(MASKED);
        assertMasked("tracking CSV", csv.body());
        String xlsx = unzipped(supervisor.getBytes("/api/v1/reports/tracking?format=xlsx").body());
        assertThat(xlsx).contains(MASKED);
        assertMasked("tracking xlsx", xlsx);
        String customersXlsx = unzipped(supervisor.getBytes("/api/v1/customers/export?format=xlsx").body());
        assertThat(customersXlsx).contains("Masked Customer");
        assertMasked("customer xlsx", customersXlsx);
        assertMasked("customer CSV", new String(supervisor.getBytes("/api/v1/customers/export?format=csv").body(), StandardCharsets.UTF_8));

        // The event stream (API-2) for the supervisor's token: replayed from the start, the call's events masked.
        List<String> events = streamUntilClosedCall(supervisorToken);
        assertThat(events).anyMatch(e -> e.contains(MASKED));
        events.forEach(e -> assertMasked("event stream", e));

        // The admin holds number.unmasked: the real number everywhere.
        assertThat(admin.get("/api/v1/calls").json().at("/items/0/caller").asText()).isEqualTo(CALLER);
        assertThat(admin.get("/api/v1/calls").json().at("/items/0/callerRef").isMissingNode()).isTrue();
        assertThat(admin.get("/api/v1/reports/tracking?format=csv").body()).contains(CALLER);
        assertThat(admin.get("/api/v1/customers/" + customerId).json().at("/phones/0/number").asText()).isEqualTo(CALLER);
        String adminToken = admin.post("/api/v1/tokens", Map.of("name", "mask-admin")).json().get("token").asText();
        assertThat(streamUntilClosedCall(adminToken)).anyMatch(e -> e.contains(CALLER));
    }

    @Test
    void clickToDialOnAMaskedEntryDialsTheRealNumberAndAMaskedNumberIsRefused() throws Exception {
        var refused = agentApi.post("/api/v1/live-calls", Map.of("number", MASKED));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().get("fieldErrors").findValuesAsText("field")).contains("number");
        assertThat(agentApi.post("/api/v1/live-calls", Map.of("number", "ref:forged")).status()).isEqualTo(400);

        Sipp.Run carrier = peers().uas("uas_answer", carrierPort, SipPeers.vars("x"));
        sipps.add(carrier);
        var dialled = agentApi.post("/api/v1/live-calls", Map.of("number", callerRef));
        assertThat(dialled.status()).as(dialled.toString()).isEqualTo(201);
        String leg = dialled.json().get("legId").asText();
        await("the carrier is called with the real number").atMost(Duration.ofSeconds(15))
                .until(() -> carrier.logs().contains("INVITE sip:" + CALLER + "@"));
        JsonNode call = await().atMost(Duration.ofSeconds(10)).until(() -> agentApi.get("/api/v1/live-calls/" + leg).json(),
                j -> j.has("call"));
        assertThat(call.at("/call/caller").asText()).isEqualTo(MASKED);
        assertThat(agentApi.delete("/api/v1/live-calls/" + leg).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> agentApi.get("/api/v1/live-calls").json().isEmpty());
    }

    @Test
    void nameModeQueueOverridesAndThePolicysChecks() {
        try {
            assertThat(admin.put("/api/v1/masking", Map.of("mode", "name")).status()).isEqualTo(200);
            JsonNode rec = supervisor.get("/api/v1/calls").json().at("/items/0");
            assertThat(rec.get("caller").asText()).isEqualTo("Masked Customer");
            assertThat(supervisor.get("/api/v1/calls").body()).doesNotContain("0051");

            assertThat(admin.put("/api/v1/masking", Map.of("mode", "middle", "queues", Map.of("sales", "off"))).status()).isEqualTo(200);
            assertThat(supervisor.get("/api/v1/calls").json().at("/items/0/caller").asText()).isEqualTo(CALLER);
            assertThat(supervisor.get("/api/v1/customers/" + customerId).json().at("/phones/0/number").asText())
                    .as("a customer belongs to no queue").isEqualTo(MASKED);

            assertThat(admin.put("/api/v1/masking", Map.of("mode", "middle", "roles", List.of("agent"))).status()).isEqualTo(200);
            assertThat(supervisor.get("/api/v1/calls").json().at("/items/0/caller").asText()).as("only agents are masked").isEqualTo(CALLER);
            assertThat(agentApi.get("/api/v1/customers/" + customerId).json().at("/phones/0/number").asText()).isEqualTo(MASKED);

            assertField(admin.put("/api/v1/masking", Map.of("mode", "stars")), "mode");
            assertField(admin.put("/api/v1/masking", Map.of("mode", "middle", "queues", Map.of("nope", "middle"))), "queues.nope");
            assertField(admin.put("/api/v1/masking", Map.of("mode", "middle", "queues", Map.of("sales", "x"))), "queues.sales");
            assertField(admin.put("/api/v1/masking", Map.of("mode", "middle", "roles", List.of("nobody"))), "roles");
            assertThat(agentApi.put("/api/v1/masking", Map.of("mode", "off")).status()).isEqualTo(403);
            // Another enterprise's policy is its own: the demo's stays on.
            ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", PW);
            assertThat(operator.post("/api/v1/enterprises", Map.of("code", "maskb", "name", "Mask B", "adminUsername", "boss",
                    "adminPassword", "maskb-pass-1")).status()).isEqualTo(201);
            assertThat(ApiClient.loggedIn(server.baseUrl(), "maskb", "boss", "maskb-pass-1").get("/api/v1/masking").json().get("mode").asText())
                    .isEqualTo("off");
        } finally {
            assertThat(admin.put("/api/v1/masking", Map.of("mode", "middle")).status()).isEqualTo(200);
        }
    }

    /** A second outside number (web callback, campaign list, toll refusal, parked caller), never shown to a masked viewer. */
    static final String OTHER = "13990000052";

    static void assertNoNumber(String where, String body) {
        assertMasked(where, body);
        assertThat(body).as(where + ": " + body).doesNotContain(OTHER).doesNotContain("990000052");
    }

    @Test
    void aMaskedViewerWithEveryOtherPermissionSeesNoFullNumberInTicketsCampaignsTollWebCallbacksAndParkedCalls() throws Exception {
        // A masked role holding every permission but number.unmasked: every route answers it, none with a full number.
        List<String> all = new ArrayList<>();
        admin.get("/api/v1/permissions").json().forEach(p -> all.add(p.get("name").asText()));
        assertThat(all).contains("number.unmasked", "campaign.manage", "ticket.write");
        all.remove("number.unmasked");
        long role = admin.post("/api/v1/roles", Map.of("name", "masked-all", "permissions", all)).json().get("id").asLong();
        var u = admin.post("/api/v1/users", Map.of("username", "maskall", "password", "mask-pass-123", "roleId", role));
        assertThat(u.status()).as(u.toString()).isEqualTo(201);
        ApiClient viewer = ApiClient.loggedIn(server.baseUrl(), "demo", "maskall", "mask-pass-123");

        // Tickets: opened by reference, answered masked; the masked number sent back unchanged keeps the real one, a real
        // number typed in is taken, a masked one that is not the ticket's is refused.
        var opened = viewer.post("/api/v1/tickets", Map.of("type", "complaint", "title", "masked caller", "callerNumber", callerRef,
                "callId", callId, "form", Map.of("category", "quality")));
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        assertThat(opened.json().get("callerNumber").asText()).isEqualTo(MASKED);
        assertNoNumber("ticket open", opened.body());
        long ticket = opened.json().get("id").asLong();
        assertThat(admin.get("/api/v1/tickets/" + ticket).json().at("/ticket/callerNumber").asText()).isEqualTo(CALLER);
        assertField(viewer.post("/api/v1/tickets", Map.of("type", "complaint", "title", "x", "callerNumber", MASKED,
                "form", Map.of("category", "quality"))), "callerNumber");
        var edited = viewer.put("/api/v1/tickets/" + ticket, Map.of("title", "masked caller (edited)", "callerNumber", MASKED,
                "callId", callId, "form", Map.of("category", "service")));
        assertThat(edited.status()).as(edited.toString()).isEqualTo(200);
        assertNoNumber("ticket edit", edited.body());
        assertThat(admin.get("/api/v1/tickets/" + ticket).json().at("/ticket/callerNumber").asText()).as("kept").isEqualTo(CALLER);
        assertField(viewer.put("/api/v1/tickets/" + ticket, Map.of("title", "t", "callerNumber", "139****0000", "form", Map.of("category", "service"))),
                "callerNumber");
        assertNoNumber("ticket comment", viewer.post("/api/v1/tickets/" + ticket + "/comments", Map.of("text", "called back")).body());
        assertThat(viewer.get("/api/v1/tickets?callerNumber=" + callerRef).json().size()).as("filter by reference").isEqualTo(1);

        // Customers: the console's edit sends the masked phone back unchanged: kept; a real new number is taken.
        var same = viewer.put("/api/v1/customers/" + customerId, Map.of("name", "Masked Customer", "sharing", "enterprise",
                "phones", List.of(Map.of("number", MASKED, "label", "mobile"))));
        assertThat(same.status()).as(same.toString()).isEqualTo(200);
        assertNoNumber("customer edit", same.body());
        assertThat(admin.get("/api/v1/customers/" + customerId).json().at("/phones/0/number").asText()).isEqualTo(CALLER);
        var more = viewer.put("/api/v1/customers/" + customerId, Map.of("name", "Masked Customer", "sharing", "enterprise",
                "phones", List.of(Map.of("number", MASKED, "label", "mobile"), Map.of("number", "13660000077", "label", "office"))));
        assertThat(more.status()).as(more.toString()).isEqualTo(200);
        assertThat(admin.get("/api/v1/customers/" + customerId).json().get("phones").findValuesAsText("number")).containsExactly(CALLER, "13660000077");
        assertField(viewer.put("/api/v1/customers/" + customerId, Map.of("name", "Masked Customer", "sharing", "enterprise",
                "phones", List.of(Map.of("number", "138****9999")))), "phones");
        assertThat(admin.put("/api/v1/customers/" + customerId, Map.of("name", "Masked Customer", "sharing", "enterprise",
                "phones", List.of(Map.of("number", CALLER, "label", "mobile")))).status()).isEqualTo(200);
        // In the name mode the phone is shown as the customer's name: sent back, it keeps the number too.
        assertThat(admin.put("/api/v1/masking", Map.of("mode", "name")).status()).isEqualTo(200);
        try {
            assertThat(viewer.get("/api/v1/customers/" + customerId).json().at("/phones/0/number").asText()).isEqualTo("Masked Customer");
            var named = viewer.put("/api/v1/customers/" + customerId, Map.of("name", "Masked Customer", "sharing", "enterprise",
                    "phones", List.of(Map.of("number", "Masked Customer", "label", "mobile"))));
            assertThat(named.status()).as(named.toString()).isEqualTo(200);
            assertThat(admin.get("/api/v1/customers/" + customerId).json().at("/phones/0/number").asText()).isEqualTo(CALLER);
        } finally {
            assertThat(admin.put("/api/v1/masking", Map.of("mode", "middle")).status()).isEqualTo(200);
        }

        // A preview campaign whose list has OTHER (number and a column), OTHER on the do-not-call list of another list entry.
        long trunk = admin.get("/api/v1/trunks").json().findParents("name").stream().filter(t -> t.get("name").asText().equals("mask-carrier"))
                .findFirst().orElseThrow().get("id").asLong();
        long agent1 = admin.get("/api/v1/users").json().findParents("username").stream().filter(x -> x.get("username").asText().equals("agent1"))
                .findFirst().orElseThrow().get("id").asLong();
        Map<String, Object> settings = Map.of("trunkId", trunk, "callerIds", List.of("4000100"), "timeZone", "UTC",
                "windows", List.of(Map.of("from", "00:00", "to", "23:59")), "maxAttempts", 1, "agentIds", List.of(agent1));
        var camp = admin.post("/api/v1/campaigns", Map.of("name", "masked-list", "mode", "preview", "settings", settings));
        assertThat(camp.status()).as(camp.toString()).isEqualTo(201);
        long campaign = camp.json().get("id").asLong();
        var imported = admin.upload("POST", "/api/v1/campaigns/" + campaign + "/contacts", "list.csv",
                ("number,name,mobile\n" + OTHER + ",Zhang," + OTHER + "\n").getBytes(StandardCharsets.UTF_8));
        assertThat(imported.status()).as(imported.toString()).isEqualTo(201);
        assertThat(admin.post("/api/v1/dnc", Map.of("number", "13990000099")).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/campaigns/" + campaign + "/state", Map.of("state", "running")).status()).isEqualTo(200);
        try {
            JsonNode preview = await("agent 1's preview record").atMost(Duration.ofSeconds(15))
                    .until(() -> agentApi.get("/api/v1/agent/preview").json(), j -> j.has("number"));
            assertThat(preview.get("number").asText()).isEqualTo("139****0052");
            assertNoNumber("preview", preview.toString());
        } finally {
            assertThat(admin.post("/api/v1/campaigns/" + campaign + "/state", Map.of("state", "stopped")).status()).isEqualTo(200);
        }
        assertThat(admin.get("/api/v1/campaigns/" + campaign + "/contacts").body()).contains(OTHER);

        // A toll refusal (only 1399 allowed) of the caller's number, dialled by agent 1 by reference, in the usage.
        JsonNode toll = admin.get("/api/v1/toll-policy").json();
        assertThat(admin.put("/api/v1/toll-policy", Map.of("countryCode", "86", "international", false, "allowedPrefixes", List.of("1399"))).status())
                .isEqualTo(200);
        try {
            agentApi.post("/api/v1/live-calls", Map.of("number", callerRef));
            await("the refusal").atMost(Duration.ofSeconds(10)).until(() -> admin.get("/api/v1/toll-policy/usage").body().contains(CALLER));
            await("agent 1's refused call gone").atMost(Duration.ofSeconds(10)).until(() -> agentApi.get("/api/v1/live-calls").json().isEmpty());
        } finally {
            assertThat(admin.put("/api/v1/toll-policy", toll).status()).isEqualTo(200);
        }

        // A web callback request from OTHER, due tomorrow (nothing dialled now).
        long queue = admin.get("/api/v1/queues").json().findParents("name").stream().filter(q -> q.get("name").asText().equals("sales"))
                .findFirst().orElseThrow().get("id").asLong();
        var site = admin.put("/api/v1/webcallback/settings", Map.of("enabled", true, "mode", "customer_first", "queueId", queue, "trunkId", trunk,
                "callerId", "4000100", "allowedPrefixes", List.of("139"), "retryMinutes", 1, "maxAttempts", 1));
        assertThat(site.status()).as(site.toString()).isEqualTo(200);
        String key = site.json().get("publicKey").asText();
        ApiClient visitor = new ApiClient(server.baseUrl());
        String token = visitor.get("/api/v1/public/callback/" + key + "/challenge").json().get("token").asText();
        String nonce = solve(token);
        var asked = visitor.post("/api/v1/public/callback/" + key, Map.of("number", OTHER, "name", "Visitor", "token", token, "nonce", nonce,
                "at", Instant.now().plus(Duration.ofDays(1)).toString()));
        assertThat(asked.status()).as(asked.toString()).isLessThan(300);
        long request = admin.get("/api/v1/webcallback/requests").json().get(0).get("id").asLong();

        // A caller parked by extension 2161 (a blind transfer to 700; registered at the start).
        Sipp.Run parked = peers().uac("uac_wait_bye", "4699", SipPeers.vars(OTHER));
        sipps.add(parked);
        await("parked").atMost(Duration.ofSeconds(15)).until(() -> admin.get("/api/v1/parked-calls").json(), l -> l.size() == 1);

        List<String> routes = List.of("/api/v1/tickets", "/api/v1/tickets/" + ticket, "/api/v1/tickets?callerNumber=" + callerRef,
                "/api/v1/campaigns/" + campaign + "/contacts", "/api/v1/campaigns/" + campaign + "/events", "/api/v1/dnc",
                "/api/v1/campaigns/" + campaign + "/results?format=csv", "/api/v1/toll-policy/usage", "/api/v1/webcallback/requests",
                "/api/v1/webcallback/requests/" + request, "/api/v1/webcallback/requests/" + request + "/events", "/api/v1/parked-calls",
                "/api/v1/calls", "/api/v1/calls/" + callId + "/events", "/api/v1/recordings", "/api/v1/reports/tracking", "/api/v1/reports/numbers",
                "/api/v1/monitor", "/api/v1/queues/live", "/api/v1/live-calls?scope=enterprise", "/api/v1/customers", "/api/v1/customers/" + customerId,
                "/api/v1/customers/" + customerId + "/timeline", "/api/v1/voicemail", "/api/v1/memos?customerId=" + customerId);
        for (String r : routes) {
            var res = viewer.get(r);
            assertThat(res.status()).as(r + " " + res).isLessThan(300);
            assertNoNumber(r, res.body());
        }
        assertThat(viewer.get("/api/v1/campaigns/" + campaign + "/contacts").body()).contains("139****0052");
        assertThat(viewer.get("/api/v1/parked-calls").json().at("/0/caller").asText()).isEqualTo("139****0052");
        assertThat(viewer.get("/api/v1/webcallback/requests").json().at("/0/number").asText()).isEqualTo("139****0052");
        assertThat(viewer.get("/api/v1/toll-policy/usage").body()).contains(MASKED);
        String results = unzipped(viewer.getBytes("/api/v1/campaigns/" + campaign + "/results?format=xlsx").body());
        assertThat(results).contains("139****0052");
        assertNoNumber("campaign results xlsx", results);
        // The admin (number.unmasked) sees them all.
        assertThat(admin.get("/api/v1/parked-calls").body()).contains(OTHER);
        assertThat(admin.get("/api/v1/webcallback/requests").body()).contains(OTHER);
        assertThat(admin.get("/api/v1/campaigns/" + campaign + "/results?format=csv").body()).contains(OTHER);
        parked.kill();
        server.hotline().engine().channels().forEach(ch -> ch.hangup(HangupCause.NORMAL_CLEARING));
        await("unparked").atMost(Duration.ofSeconds(15)).until(() -> admin.get("/api/v1/parked-calls").json().isEmpty());
    }

    /** The web callback challenge's nonce: SHA-256(token ":" nonce) starting with 16 zero bits (docs/webcallback.md). */
    static String solve(String token) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int n = 0; ; n++) {
            byte[] h = sha.digest((token + ":" + n).getBytes(StandardCharsets.UTF_8));
            if (h[0] == 0 && h[1] == 0) return Integer.toString(n);
        }
    }

    static void assertField(ApiClient.Response r, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("fieldErrors").findValuesAsText("field")).as(r.toString()).contains(field);
    }

    /** The text of every entry of an xlsx (zip) file. */
    static String unzipped(byte[] xlsx) throws Exception {
        Path file = Files.createTempFile(work, "export", ".xlsx");
        Files.write(file, xlsx);
        StringBuilder all = new StringBuilder();
        try (ZipFile z = new ZipFile(file.toFile())) {
            for (ZipEntry e : Collections.list(z.entries())) {
                try (InputStream in = z.getInputStream(e)) {
                    all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(all).as("an xlsx file").contains("<sheetData");
        return all.toString();
    }

    /** The event stream's messages for {@code token} from the first kept event up to the call's call.closed. */
    List<String> streamUntilClosedCall(String token) throws Exception {
        BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        StringBuilder buf = new StringBuilder();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(URI.create(server.baseUrl().replaceFirst("^http", "ws") + "/api/v1/events?after=0"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        buf.append(data);
                        if (last) {
                            inbox.add(buf.toString());
                            buf.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            List<String> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                String m = inbox.poll(100, TimeUnit.MILLISECONDS);
                if (m == null) continue;
                got.add(m);
                JsonNode n = JSON.readTree(m);
                if (n.path("type").asText().equals("call.closed") && m.contains(callId)) return got;
            }
            throw new AssertionError("no call.closed of " + callId + " within 30 s; got " + got);
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
    }
}
