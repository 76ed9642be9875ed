package dev.hotline.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.CtiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ADM-1 / API-2 on the CTI WebSocket: while a demo agent takes a real queue call, a signed-in, ready
 * agent of another enterprise hears nothing of it, and every call command naming its leg id is
 * refused as not found without touching the call; the demo agent then ends it normally.
 */
class CtiIsolationTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    @TempDir
    Path work;

    @Test
    void anotherEnterprisesAgentNeitherSeesNorControlsTheCall() throws Exception {
        // Two enterprises: phones that register to the bare IP address belong to demo by configuration.
        try (TestServer server = TestServer.start(TestDatabases.Kind.H2, Map.of("sip.default.enterprise", "demo"))) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            assertThat(admin.post("/api/v1/numbers", Map.of("number", "4698", "destinationType", "queue", "destination", "sales")).status())
                    .isEqualTo(201);
            long sales = 0;
            for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("sales")) sales = q.get("id").asLong();
            assertThat(admin.put("/api/v1/queues/" + sales, Map.of("name", "sales", "strategy", "linear",
                    "settings", Map.of("ringTimeoutSeconds", 10))).status()).isEqualTo(200);
            server.hotline().acd().settle();

            ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", PW);
            assertThat(operator.post("/api/v1/enterprises", Map.of("code", "acme", "name", "Acme", "adminUsername", "boss",
                    "adminPassword", "acme-pass-1")).status()).isEqualTo(201);
            ApiClient acmeAdmin = ApiClient.loggedIn(server.baseUrl(), "acme", "boss", "acme-pass-1");
            long agentRole = 0;
            for (JsonNode r : acmeAdmin.get("/api/v1/roles").json()) if (r.get("name").asText().equals("agent")) agentRole = r.get("id").asLong();
            assertThat(acmeAdmin.post("/api/v1/users", Map.of("username", "ann", "password", "acme-pass-2", "roleId", agentRole,
                    "jobNumber", "8001")).status()).isEqualTo(201);

            SipPeers peers = new SipPeers(work, server.hotline().engine().sipPort());
            int port = Ports.free();
            Map<String, String> phoneVars = SipPeers.vars("x");
            phoneVars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
            Sipp.Run phone = Sipp.start(work, "uas_answer", phoneVars, null, port,
                    List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)), "-m", "10", "-timeout", "60"));
            try (CtiClient desk = CtiClient.connect(ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW), server.baseUrl());
                 CtiClient other = CtiClient.connect(ApiClient.loggedIn(server.baseUrl(), "acme", "ann", "acme-pass-2"), server.baseUrl())) {
                Sipp.awaitUdpBound(port);
                peers.register("1001", PW, port, "200");
                desk.next("hello");
                other.next("hello");
                assertThat(desk.command("login", Map.of("device", "sip")).get("type").asText()).isEqualTo("ok");
                assertThat(desk.command("state", Map.of("state", "ready")).get("type").asText()).isEqualTo("ok");
                assertThat(other.command("login", Map.of("device", "webrtc")).get("type").asText()).isEqualTo("ok");
                assertThat(other.command("state", Map.of("state", "ready")).get("type").asText()).isEqualTo("ok");

                Sipp.Run caller = peers.uac("uac_wait_bye", "4698", SipPeers.vars("13966660009"));
                JsonNode offered = desk.next("call.offered").get("call");
                String leg = offered.get("legId").asText();
                String callId = offered.get("callId").asText();
                desk.next("call.answered");

                for (String type : List.of("answer", "reject", "hold", "resume", "hangup", "complete", "conference", "cancel")) {
                    JsonNode r = other.command(type, Map.of("legId", leg));
                    assertThat(r.path("code").asText()).as(type + " on demo's leg → " + r).isEqualTo("not_found");
                }
                assertThat(other.command("mute", Map.of("legId", leg, "muted", true)).path("code").asText()).isEqualTo("not_found");
                assertThat(other.command("dtmf", Map.of("legId", leg, "digits", "1")).path("code").asText()).isEqualTo("not_found");
                assertThat(other.command("notes", Map.of("legId", leg, "notes", "hijacked")).path("code").asText()).isEqualTo("not_found");
                assertThat(other.command("transfer", Map.of("legId", leg, "to", "8001")).path("code").asText()).isEqualTo("not_found");
                assertThat(other.command("consult", Map.of("legId", leg, "to", "8001")).path("code").asText()).isEqualTo("not_found");
                assertThat(other.command("hangup", Map.of("legId", callId)).path("code").asText()).as("by call id").isEqualTo("not_found");

                // The call is untouched: still bridged, not held or muted, and its owner ends it.
                assertThat(server.hotline().engine().channels().stream().filter(ch -> ch.id().equals(leg))).hasSize(1);
                assertThat(server.hotline().engine().channels().stream().anyMatch(ch -> ch.musicOnHold())).isFalse();
                assertThat(desk.seen().stream().map(JsonNode::toString).filter(m -> m.contains("hijacked"))).isEmpty();
                assertThat(desk.command("hangup", Map.of("legId", leg)).get("type").asText()).isEqualTo("ok");
                assertThat(desk.next("call.ended").get("cause").asText()).isEqualTo("normal_clearing");
                SipPeers.ok(caller);

                // Acme's agent heard nothing of demo's call or agent (its last command's reply comes after all it was sent before).
                await().atMost(Duration.ofSeconds(5)).until(() -> server.hotline().engine().channels().isEmpty());
                desk.command("logout", Map.of());
                assertThat(other.command("logout", Map.of()).get("type").asText()).isEqualTo("ok");
                assertThat(other.seen()).isNotEmpty(); // its own agent.state changes at least
                for (JsonNode m : other.seen()) {
                    assertThat(m.path("type").asText()).as(m.toString()).doesNotStartWith("call.");
                    assertThat(m.toString()).doesNotContain("13966660009").doesNotContain(leg).doesNotContain("agent1");
                }
            } finally {
                phone.kill();
            }
        }
    }
}
