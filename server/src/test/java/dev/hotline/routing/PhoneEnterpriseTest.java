package dev.hotline.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PBX-1 on a server with several enterprises and no default one: a phone set up with the server's IP address as its
 * domain (what a new user types) is placed by its extension when exactly one enterprise has it; when two have it, it
 * must name its enterprise's SIP domain (403 otherwise). Before, every such phone got 403 once a second enterprise existed.
 */
class PhoneEnterpriseTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    @TempDir
    Path work;

    @Test
    void aPhoneRegisteringToTheBareAddressBelongsToTheOneEnterpriseWithItsExtension() throws Exception {
        try (TestServer server = TestServer.start(TestDatabases.Kind.H2, Map.of())) {
            ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", PW);
            var acme = operator.post("/api/v1/enterprises", Map.of("code", "acme", "name", "Acme", "adminUsername", "boss", "adminPassword", "acme-pass-1"));
            assertThat(acme.status()).as(acme.toString()).isEqualTo(201);
            ApiClient acmeAdmin = ApiClient.loggedIn(server.baseUrl(), "acme", "boss", "acme-pass-1");
            var x2001 = acmeAdmin.post("/api/v1/extensions", Map.of("number", "2001", "sipPassword", "acme-sip-2001"));
            assertThat(x2001.status()).as(x2001.toString()).isEqualTo(201);
            ApiClient demoAdmin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);

            SipPeers peers = new SipPeers(work, server.hotline().engine().sipPort());
            peers.register("2001", "acme-sip-2001", Ports.free(), "200"); // only acme has 2001
            peers.register("1001", PW, Ports.free(), "200"); // only demo has 1001
            await().atMost(Duration.ofSeconds(10)).until(() -> numbers(acmeAdmin).contains("2001") && numbers(demoAdmin).contains("1001"));
            assertThat(numbers(acmeAdmin)).doesNotContain("1001");
            assertThat(numbers(demoAdmin)).doesNotContain("2001");
            peers.register("2001", "wrong-password", Ports.free(), "403");

            // Both have 1002 now: the bare address cannot tell them apart.
            assertThat(acmeAdmin.post("/api/v1/extensions", Map.of("number", "1002", "sipPassword", PW)).status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> peers.register("1002", PW, Ports.free(), "403"));
        }
    }

    static String numbers(ApiClient admin) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode r : admin.get("/api/v1/registrations").json()) sb.append(r.toString());
        return sb.toString();
    }
}
