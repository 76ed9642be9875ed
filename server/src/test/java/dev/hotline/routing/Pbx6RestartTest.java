package dev.hotline.routing;

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
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PBX-6 across a restart: a call back not placed yet is placed by the next start, and the smart direct line remembers who called out. */
class Pbx6RestartTest {
    static final String PW = TestServer.DEMO_PASSWORD;

    @TempDir
    Path work;

    @Test
    void pendingCallBacksAndTheDirectLineMemorySurviveARestart() throws Exception {
        int sip = Ports.free();
        Map<String, String> settings = Map.of("db.url", TestDatabases.migrated(TestDatabases.Kind.H2),
                "data.dir", Files.createTempDirectory("hotline-pbx6").toString(), "sip.port", Integer.toString(sip));
        SipPeers peers = new SipPeers(work, sip);
        int carrier = Ports.free();
        int customerPhone = Ports.free();
        int agentPhone = Ports.free();

        TestServer first = TestServer.start(TestDatabases.Kind.H2, settings);
        try {
            ApiClient admin = ApiClient.loggedIn(first.baseUrl(), "demo", "admin", PW);
            long out = admin.post("/api/v1/trunks", Map.of("name", "carrier", "host", "127.0.0.1", "port", carrier)).json().get("id").asLong();
            assertThat(admin.post("/api/v1/outbound-routes", Map.of("name", "direct-line", "prefix", "7", "stripDigits", 1,
                    "trunkId", out, "priority", 1)).status()).isEqualTo(201);
            long cb = admin.post("/api/v1/trunks", Map.of("name", "carrier-cb", "host", "127.0.0.1", "port", customerPhone)).json().get("id").asLong();
            assertThat(admin.post("/api/v1/outbound-routes", Map.of("name", "callbacks", "prefix", "1360", "trunkId", cb, "priority", 2)).status())
                    .isEqualTo(201);
            assertThat(admin.post("/api/v1/callback-list", Map.of("number", "1360*", "delaySeconds", 4)).status()).isEqualTo(201);

            // 1002 calls a customer out...
            peers.register("1002", PW, agentPhone, "200");
            Sipp.Run customer = peers.uas("uas_answer", carrier, SipPeers.vars("1002"));
            SipPeers.ok(peers.uac("uac_call", "713912345678", SipPeers.vars("1002", "PAUSE", "300"), "-au", "1002", "-ap", PW));
            SipPeers.ok(customer);
            // ...and a listed caller is hung up on, to be called back in 4 s: the server stops before that.
            SipPeers.ok(peers.uac("uac_fail", "4000", SipPeers.vars("13600001111", "CODE", "486")));
        } finally {
            first.close();
        }

        // The listed caller's phone, on the call-back carrier, answers whoever calls and hangs up after a moment.
        Sipp.Run calledBack = peers.uas("uas_bye", customerPhone, SipPeers.vars("13600001111", "FROMCHECK", "sip:4000@", "PAUSE", "1500"));
        TestServer second = TestServer.start(TestDatabases.Kind.H2, settings);
        try {
            ApiClient admin = ApiClient.loggedIn(second.baseUrl(), "demo", "admin", PW);
            // The call back stored before the stop is placed by the new start, to DID 4000's destination (the demo flow).
            SipPeers.ok(calledBack);
            JsonNode back = await("the call back's record").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
                for (JsonNode r : admin.get("/api/v1/calls?number=13600001111").json().get("items")) {
                    if (r.get("direction").asText().equals("outbound") && !r.path("endedAt").isNull() && !r.path("endedAt").isMissingNode()) {
                        return Optional.of(r);
                    }
                }
                return Optional.<JsonNode>empty();
            }, Optional::isPresent).get();
            assertThat(back.get("outcome").asText()).as(back.toString()).isEqualTo("answered");
            assertThat(admin.get("/api/v1/calls/" + back.get("callId").asText() + "/events").body()).contains("ivr_node", "node=hours");

            // The customer 1002 called before the restart calls the hotline and reaches 1002 directly.
            peers.register("1002", PW, agentPhone, "200");
            Sipp.Run agent = peers.uas("uas_answer", agentPhone, SipPeers.vars("13912345678"));
            SipPeers.ok(peers.uac("uac_call", "4000", SipPeers.vars("+8613912345678", "PAUSE", "300")));
            SipPeers.ok(agent);
            // The record is written by the event log a moment after the call ends.
            JsonNode in = await("the direct-line call's record").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> admin.get("/api/v1/calls?number=%2B8613912345678").json().get("items").get(0), r -> r != null);
            assertThat(admin.get("/api/v1/calls/" + in.get("callId").asText() + "/events").body()).contains("extension 1002");
        } finally {
            second.close();
        }
    }
}
