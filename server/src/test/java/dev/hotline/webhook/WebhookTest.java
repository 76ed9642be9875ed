package dev.hotline.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * API-2: a receiver that is down for a while, then up, gets every call and queue event of the enterprise exactly once and
 * in order, signed, also across a restart of Hotline; the delivery log shows the failed attempts; bad subscriptions are
 * refused clearly and another enterprise sees none of them.
 */
class WebhookTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static final ObjectMapper JSON = new ObjectMapper();

    record Received(String signature, String deliveryHeader, String body) {}

    @Test
    void aReceiverDownThenUpGetsEveryEventOnceInOrderAcrossARestart() throws Exception {
        List<Received> received = new CopyOnWriteArrayList<>();
        AtomicBoolean up = new AtomicBoolean(false);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            int status = up.get() ? 204 : 503;
            if (up.get()) {
                received.add(new Received(ex.getRequestHeaders().getFirst("X-Hotline-Signature"), ex.getRequestHeaders().getFirst("X-Hotline-Delivery"),
                        new String(body, StandardCharsets.UTF_8)));
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        String db = TestDatabases.migrated(TestDatabases.Kind.H2);
        Path data = Files.createTempDirectory("hotline-webhooks");
        Path sippDir = Files.createTempDirectory("webhook-sipp");
        Map<String, String> settings = Map.of("db.url", db, "data.dir", data.toString());
        String secret;
        long hookId;
        try {
            try (TestServer server = TestServer.start(TestDatabases.Kind.H2, settings)) {
                ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
                ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
                var bad = admin.post("/api/v1/webhooks", Map.of("url", "ftp://example.com/x", "events", List.of("calls.*")));
                assertThat(bad.status()).isEqualTo(400);
                assertThat(bad.body()).contains("\"url\"", "\"events\"");
                assertThat(agent.post("/api/v1/webhooks", Map.of("url", url, "events", List.of("*"))).status()).isEqualTo(403);
                var made = admin.post("/api/v1/webhooks", Map.of("url", url, "events", List.of("call.*", "queue.*"), "description", "CRM"));
                assertThat(made.status()).as(made.toString()).isEqualTo(201);
                secret = made.json().get("secret").asText();
                hookId = made.json().get("id").asLong();
                assertThat(secret).startsWith("whsec_");

                ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", PW);
                assertThat(operator.post("/api/v1/enterprises", Map.of("code", "acme-wh", "name", "Acme", "adminUsername", "boss",
                        "adminPassword", "acme-pass-1")).status()).isEqualTo(201);
                ApiClient other = ApiClient.loggedIn(server.baseUrl(), "acme-wh", "boss", "acme-pass-1");
                assertThat(other.get("/api/v1/webhooks").json()).isEmpty();
                assertThat(other.get("/api/v1/webhooks/" + hookId + "/deliveries").status()).isEqualTo(404);
                assertThat(other.put("/api/v1/webhooks/" + hookId, Map.of("url", url, "events", List.of("*"))).status()).isEqualTo(404);
                assertThat(other.delete("/api/v1/webhooks/" + hookId).status()).isEqualTo(404);

                // Two calls to a number nobody has while the receiver is down: their events wait in the outbox.
                SipPeers peers = new SipPeers(sippDir, server.hotline().engine().sipPort());
                SipPeers.ok(peers.uac("uac_fail", "4698", SipPeers.vars("13500000071", "CODE", "404")));
                SipPeers.ok(peers.uac("uac_fail", "4698", SipPeers.vars("13500000072", "CODE", "404")));
                JsonNode log = await("failed attempts logged").atMost(Duration.ofSeconds(10))
                        .until(() -> admin.get("/api/v1/webhooks/" + hookId + "/deliveries?limit=500").json(),
                                l -> l.size() >= 6 && l.get(l.size() - 1).get("attempts").asInt() >= 1);
                JsonNode first = log.get(log.size() - 1);
                assertThat(first.get("lastStatus").asInt()).isEqualTo(503);
                assertThat(first.get("deliveredAt").isNull()).isTrue();
                assertThat(admin.get("/api/v1/webhooks/" + hookId + "/deliveries?limit=0").status()).isEqualTo(400);
            }
            up.set(true);
            try (TestServer again = TestServer.start(TestDatabases.Kind.H2, settings)) {
                ApiClient admin = ApiClient.loggedIn(again.baseUrl(), "demo", "admin", PW);
                SipPeers peers = new SipPeers(sippDir, again.hotline().engine().sipPort());
                SipPeers.ok(peers.uac("uac_fail", "4698", SipPeers.vars("13500000073", "CODE", "404")));
                JsonNode calls = await("three call records").atMost(Duration.ofSeconds(10))
                        .until(() -> admin.get("/api/v1/calls?limit=10&number=4698").json().get("items"), i -> i.size() == 3);
                // What the log holds for each call, in order, is what the receiver must have got.
                Map<String, List<String>> expected = new LinkedHashMap<>();
                int total = 0;
                for (JsonNode c : calls) {
                    List<String> types = new ArrayList<>();
                    for (JsonNode e : admin.get("/api/v1/calls/" + c.get("callId").asText() + "/events").json()) {
                        String t = e.get("type").asText();
                        types.add(t.startsWith("queue_") ? "queue." + t.substring(6) : "call." + t);
                    }
                    expected.put(c.get("callId").asText(), types);
                    total += types.size();
                }
                int want = total;
                await("every event delivered").atMost(Duration.ofSeconds(30)).until(() -> received.size() >= want);
                await("the log says so").atMost(Duration.ofSeconds(5)).until(() -> {
                    for (JsonNode d : admin.get("/api/v1/webhooks/" + hookId + "/deliveries?limit=500").json()) {
                        if (d.get("deliveredAt").isNull()) return false;
                    }
                    return true;
                });
                assertThat(received).hasSize(want);
                Map<String, List<String>> got = new LinkedHashMap<>();
                Set<String> ids = new HashSet<>();
                for (Received r : received) {
                    long t = Long.parseLong(r.signature().substring(2, r.signature().indexOf(',')));
                    assertThat(r.signature()).as("signed with the secret").isEqualTo(Webhooks.signature(secret, t, r.body()));
                    JsonNode b = JSON.readTree(r.body());
                    assertThat(ids.add(b.get("id").asText())).as("delivered once: " + b).isTrue();
                    got.computeIfAbsent(b.get("data").get("callId").asText(), k -> new ArrayList<>()).add(b.get("type").asText());
                }
                assertThat(got).as("each call's events, in order").isEqualTo(expected);
                // A delivery sent again goes out once more.
                long oldest = admin.get("/api/v1/webhooks/" + hookId + "/deliveries?limit=500").json().get(0).get("id").asLong();
                assertThat(admin.post("/api/v1/webhooks/" + hookId + "/deliveries/" + oldest + "/resend", Map.of()).status()).isEqualTo(202);
                await("sent again").atMost(Duration.ofSeconds(5)).until(() -> received.size() == want + 1);
            }
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void ticketAndCampaignEventsReachTheirSubscribersSignedAndInOrder() throws Exception {
        // API-2: tickets (created, assigned, commented, status, closed) and campaigns (started, paused, finished) go through the
        // event log to the webhooks that want them, like calls' events; a subscription to other types gets none of them.
        List<Received> received = new CopyOnWriteArrayList<>();
        List<Received> callsOnly = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (var ctx : Map.of("/business", received, "/calls", callsOnly).entrySet()) {
            receiver.createContext(ctx.getKey(), ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                ctx.getValue().add(new Received(ex.getRequestHeaders().getFirst("X-Hotline-Signature"),
                        ex.getRequestHeaders().getFirst("X-Hotline-Event"), new String(body, StandardCharsets.UTF_8)));
                ex.sendResponseHeaders(204, -1);
                ex.close();
            });
        }
        receiver.start();
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        try (TestServer server = TestServer.start()) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            var unknown = admin.post("/api/v1/webhooks", Map.of("url", base + "/business", "events", List.of("ticket.opened")));
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.body()).contains("\"events\"", "ticket.opened");
            var made = admin.post("/api/v1/webhooks", Map.of("url", base + "/business", "events",
                    List.of("ticket.*", "campaign.started", "campaign.paused", "campaign.finished")));
            assertThat(made.status()).as(made.toString()).isEqualTo(201);
            String secret = made.json().get("secret").asText();
            assertThat(admin.post("/api/v1/webhooks", Map.of("url", base + "/calls", "events", List.of("call.*", "agent.*"))).status())
                    .isEqualTo(201);
            long agent = admin.get("/api/v1/users?q=agent1").json().get(0).get("id").asLong();

            var opened = admin.post("/api/v1/tickets", Map.of("type", "consultation", "title", "Refund", "callerNumber", "13500000081",
                    "assigneeId", agent, "form", Map.of("topic", "refund")));
            assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
            long ticket = opened.json().get("id").asLong();
            String tracking = opened.json().get("trackingNumber").asText();
            assertThat(admin.post("/api/v1/tickets/" + ticket + "/comments", Map.of("text", "called the bank")).status()).isEqualTo(200);
            assertThat(admin.post("/api/v1/tickets/" + ticket + "/status", Map.of("status", "in_progress")).status()).isEqualTo(200);
            assertThat(admin.post("/api/v1/tickets/" + ticket + "/status", Map.of("status", "resolved", "note", "paid")).status()).isEqualTo(200);
            assertThat(admin.post("/api/v1/tickets/" + ticket + "/status", Map.of("status", "closed")).status()).isEqualTo(200);
            assertThat(admin.post("/api/v1/tickets/" + ticket + "/status", Map.of("status", "in_progress")).status())
                    .as("a refused move is no event").isEqualTo(409);

            long trunk = admin.get("/api/v1/trunks").json().get(0).get("id").asLong();
            long queue = admin.get("/api/v1/queues").json().get(0).get("id").asLong();
            var campaign = admin.post("/api/v1/campaigns", Map.of("name", "wh-campaign", "mode", "progressive", "settings", Map.of("trunkId",
                    trunk, "callerIds", List.of("4000100"), "queueId", queue, "timeZone", "UTC",
                    "windows", List.of(Map.of("from", "00:00", "to", "00:01")))));
            assertThat(campaign.status()).as(campaign.toString()).isEqualTo(201);
            long cid = campaign.json().get("id").asLong();
            admin.upload("POST", "/api/v1/campaigns/" + cid + "/contacts", "l.csv", "number\n13500000082\n".getBytes(StandardCharsets.UTF_8));
            for (String state : List.of("running", "paused", "running", "stopped")) {
                var moved = admin.post("/api/v1/campaigns/" + cid + "/state", Map.of("state", state));
                assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
            }

            await("every ticket and campaign event delivered").atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 10);
            List<String> types = new ArrayList<>();
            List<JsonNode> bodies = new ArrayList<>();
            for (Received r : received) {
                long t = Long.parseLong(r.signature().substring(2, r.signature().indexOf(',')));
                assertThat(r.signature()).as("signed").isEqualTo(Webhooks.signature(secret, t, r.body()));
                JsonNode b = JSON.readTree(r.body());
                assertThat(r.deliveryHeader()).as("X-Hotline-Event").isEqualTo(b.get("type").asText());
                types.add(b.get("type").asText());
                bodies.add(b);
            }
            assertThat(types).containsExactly("ticket.created", "ticket.assigned", "ticket.commented", "ticket.status", "ticket.status",
                    "ticket.closed", "campaign.started", "campaign.paused", "campaign.started", "campaign.finished");
            for (JsonNode b : bodies.subList(0, 6)) {
                assertThat(b.at("/data/ticketId").asLong()).isEqualTo(ticket);
                assertThat(b.at("/data/trackingNumber").asText()).isEqualTo(tracking);
                assertThat(b.get("enterpriseId").asLong()).isEqualTo(admin.get("/api/v1/me").json().at("/enterprise/id").asLong());
            }
            assertThat(bodies.get(1).at("/data/assigneeId").asLong()).isEqualTo(agent);
            assertThat(bodies.get(2).at("/data/text").asText()).isEqualTo("called the bank");
            assertThat(bodies.get(4).at("/data/status").asText()).isEqualTo("resolved");
            assertThat(bodies.get(4).at("/data/text").asText()).isEqualTo("paid");
            assertThat(bodies.get(5).at("/data/previousStatus").asText()).isEqualTo("resolved");
            assertThat(bodies.get(6).at("/data/campaignId").asLong()).isEqualTo(cid);
            assertThat(bodies.get(6).at("/data/previousState").asText()).isEqualTo("draft");
            assertThat(bodies.get(8).at("/data/previousState").asText()).isEqualTo("paused");
            assertThat(bodies.get(9).at("/data/state").asText()).isEqualTo("stopped");
            assertThat(bodies.get(9).at("/data/name").asText()).isEqualTo("wh-campaign");
            assertThat(callsOnly).as("call.* and agent.* want none of them")
                    .noneMatch(r -> r.deliveryHeader().startsWith("ticket.") || r.deliveryHeader().startsWith("campaign."));
        } finally {
            receiver.stop(0);
        }
    }
}
