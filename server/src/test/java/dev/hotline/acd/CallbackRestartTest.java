package dev.hotline.acd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * ACD-6 across a restart: two callers press the queue's call-back key and hang up; the server stops and starts again; both
 * call backs are back in the queue in their order with their original wait (nobody else remembers them: the callers are
 * gone), and when an agent becomes ready the first caller is called back and connected; the kept row is then closed, the
 * other still owed.
 */
class CallbackRestartTest {
    static final String PW = TestServer.DEMO_PASSWORD;

    @Test
    void callBacksAskedByKeyKeepTheirPlaceAcrossARestartAndAreCalledBackAfterIt() throws Exception {
        String db = TestDatabases.migrated(TestDatabases.Kind.H2);
        Path data = Files.createTempDirectory("callback-restart-data");
        Path work = Files.createTempDirectory("callback-restart");
        Map<String, String> settings = Map.of("db.url", db, "data.dir", data.toString());
        int carrier = Ports.free();
        String first = "13900005001";
        String second = "13900005002";
        List<Acd.WaitingView> before;
        try (TestServer server = TestServer.start(TestDatabases.Kind.H2, settings)) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            Acd acd = server.hotline().acd();
            long enterprise = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
            long queueId = 0;
            for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("sales")) queueId = q.get("id").asLong();
            var put = admin.put("/api/v1/queues/" + queueId, Map.of("name", "sales", "strategy", "linear",
                    "settings", Map.of("ringTimeoutSeconds", 5, "callbackKey", "*")));
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
            assertThat(admin.post("/api/v1/numbers", Map.of("number", "4699", "destinationType", "queue", "destination", "sales")).status())
                    .isEqualTo(201);
            // The customers are reached through a carrier trunk of their own (route prefix 139).
            long trunk = admin.post("/api/v1/trunks", Map.of("name", "cb-carrier", "host", "127.0.0.1", "port", carrier, "allowedIps", List.of()))
                    .json().get("id").asLong();
            assertThat(admin.post("/api/v1/outbound-routes", Map.of("name", "cb", "prefix", "139", "trunkId", trunk, "priority", 1)).status())
                    .isEqualTo(201);
            acd.settle();
            SipPeers peers = new SipPeers(work, server.hotline().engine().sipPort());
            for (String caller : List.of(first, second)) {
                // Nobody is ready: the caller keys * after 1.5 s, hears the confirmation and hangs up.
                SipPeers.ok(peers.uac("uac_digits", "4699", SipPeers.vars(caller, "PAUSE", "1500", "AFTER", "1500",
                        "DTMFACTIONS", SipPeers.dtmf("*"))));
            }
            before = await("two call backs waiting").atMost(Duration.ofSeconds(20)).until(() -> acd.waiting(enterprise), w -> w.size() == 2);
            assertThat(before).extracting(Acd.WaitingView::caller).containsExactly(first, second);
            assertThat(before).allSatisfy(w -> assertThat(w.callback()).isTrue());
        }
        try (TestServer server = TestServer.start(TestDatabases.Kind.H2, settings)) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            Acd acd = server.hotline().acd();
            long enterprise = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
            List<Acd.WaitingView> after = await("back in the queue").atMost(Duration.ofSeconds(20)).until(() -> acd.waiting(enterprise),
                    w -> w.size() == 2);
            assertThat(after).extracting(Acd.WaitingView::callId).containsExactly(before.get(0).callId(), before.get(1).callId());
            assertThat(after).allSatisfy(w -> assertThat(w.callback()).isTrue());
            // The wait runs from when the caller first joined the queue, not from the restart.
            for (int i = 0; i < 2; i++) assertThat(after.get(i).waitedSeconds()).isGreaterThanOrEqualTo(before.get(i).waitedSeconds());

            SipPeers peers = new SipPeers(work, server.hotline().engine().sipPort());
            Sipp.Run customer = peers.uas("uas_bye", carrier, SipPeers.vars("x", "PAUSE", "1000"));
            int phone = Ports.free();
            Map<String, String> vars = SipPeers.vars("x");
            vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
            // One call back at a time: the agent's phone answers one offer, so the second caller stays owed.
            Sipp.Run agentPhone = Sipp.start(work, "uas_answer", vars, null, phone, List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)),
                    "-m", "1", "-timeout", "120"));
            try {
                Sipp.awaitUdpBound(phone);
                peers.register("1001", PW, phone, "200");
                ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
                assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
                assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
                SipPeers.ok(customer);
                JsonNode back = await("the call back's record").atMost(Duration.ofSeconds(30)).until(() -> {
                    for (JsonNode r : admin.get("/api/v1/calls?limit=100&number=" + first).json().get("items")) {
                        if (r.get("direction").asText().equals("outbound")) return Optional.of(r);
                    }
                    return Optional.<JsonNode>empty();
                }, Optional::isPresent).get();
                assertThat(back.get("callee").asText()).isEqualTo(first);
                assertThat(back.get("agentJob").asText()).isEqualTo("8001");
                assertThat(back.get("queueResult").asText()).isEqualTo("answered");
                await("the first call back no longer waiting").atMost(Duration.ofSeconds(10))
                        .until(() -> acd.waiting(enterprise).stream().map(Acd.WaitingView::caller).toList(), List.of(second)::equals);
            } finally {
                agentPhone.kill();
            }
        }
        Jdbi jdbi = Jdbi.create(db);
        Map<String, String> states = jdbi.withHandle(h -> h.createQuery("SELECT caller_number, state || ':' || COALESCE(result, '') FROM queue_callback")
                .map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2))).list()).stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(states).containsEntry(first, "done:connected").containsEntry(second, "waiting:");
    }
}
