package dev.hotline.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.PrivateCa;
import dev.hotline.engine.testing.TlsCalls;
import dev.hotline.engine.testing.TlsUa;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sip.address.SipURI;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SEC-4 through the whole server: {@code sip.tls.truststore} holds a carrier's private CA (the only certificate
 * trusted), and a TLS trunk's certificate must name the trunk's host. The server's own certificate
 * ({@code https.keystore}) is signed by the same CA so that the test's phones trust it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipTlsTrustStoreTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static final String STORE_PW = "store-secret";
    TestServer server;
    ApiClient admin;
    int tlsPort;
    Path dir;
    PrivateCa ca;
    Path caTrust;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("sip-trust");
        ca = new PrivateCa("Carrier Private CA", STORE_PW);
        caTrust = ca.trustStore(dir.resolve("ca.p12"));
        Path serverKeys = ca.keyStore(dir.resolve("server.p12"), "127.0.0.1", "localhost");
        tlsPort = Ports.free();
        server = TestServer.start(TestDatabases.Kind.H2, Map.of("sip.tls.port", String.valueOf(tlsPort),
                "https.keystore", serverKeys.toString(), "https.keystore.password", STORE_PW,
                "sip.tls.truststore", caTrust.toString(), "sip.tls.truststore.password", STORE_PW));
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /**
     * A carrier under the private CA whose certificate names the trunk's host carries a call; one whose certificate
     * names another host gets nothing, and the call ends with cause tls_certificate_refused in its record.
     */
    @Test
    void aTrunkUnderTheConfiguredPrivateCaCarriesACallAndAnotherHostNameIsRefused() throws Exception {
        try (TlsUa phone = ua(ca.keyStore(dir.resolve("phone.p12"), "127.0.0.1"));
             TlsUa carrier = ua(ca.keyStore(dir.resolve("carrier.p12"), "localhost"));
             TlsUa impostor = ua(ca.keyStore(dir.resolve("impostor.p12"), "carrier.example"))) {
            route("ca-out", "7", trunk("ca-carrier", carrier.port));
            route("ca-wrong", "8", trunk("ca-impostor", impostor.port));
            assertThat(phone.register("1003", PW).getStatusCode()).isEqualTo(Response.OK);

            TlsCalls.Connected c = TlsCalls.connect(phone, "1003", PW, "71380000001", carrier,
                    TlsCalls.sdp(40000, false, null), offer -> TlsCalls.sdp(40002, false, null));
            assertThat(((SipURI) c.incoming().request().getRequestURI()).getHost()).isEqualTo("localhost");
            assertThat(phone.bye(c.call())).isEqualTo(Response.OK);
            assertThat(carrier.byes.poll(10, TimeUnit.SECONDS)).isNotNull();

            TlsUa.Call refused = phone.call("1003", PW, "81380000002", TlsCalls.sdp(40000, false, null));
            assertThat(refused.answer().getStatusCode()).isGreaterThanOrEqualTo(500);
            JsonNode record = await("record of the refused call").atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(200)).until(() -> recordTo("1380000002"), Optional::isPresent).get();
            assertThat(record.get("hangupCause").asText()).as(record.toString()).isEqualTo("tls_certificate_refused");
            assertThat(impostor.invites).as("nothing sent to a certificate naming another host").isEmpty();
        }
    }

    /**
     * A trunk registering over TLS to a registrar under the private CA is registered; one whose registrar's
     * certificate names another host fails, and the trunk's registration state says why.
     */
    @Test
    void aTrunkRegistersOverTlsAndAWrongRegistrarNameShowsInItsState() throws Exception {
        try (TlsUa registrar = ua(ca.keyStore(dir.resolve("registrar.p12"), "localhost"));
             TlsUa impostor = ua(ca.keyStore(dir.resolve("registrar-wrong.p12"), "sip.carrier.example"))) {
            long ok = registering("tls-reg", registrar.port);
            JsonNode st = await("registered over TLS").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> statusOf(ok), s -> s != null && s.get("state").asText().equals("registered"));
            assertThat(st.get("expiresAt").asText()).isNotBlank();
            TlsUa.Received reg = registrar.registers.poll(5, TimeUnit.SECONDS);
            assertThat(reg).isNotNull();
            assertThat(reg.request().getRequestURI().toString()).contains("transport=tls");

            long bad = registering("tls-reg-wrong", impostor.port);
            JsonNode failed = await("refused registrar").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> statusOf(bad), s -> s != null && s.get("state").asText().equals("failed"));
            assertThat(failed.get("detail").asText()).contains("TLS certificate refused").contains("localhost");
            assertThat(impostor.registers).isEmpty();
            assertThat(admin.delete("/api/v1/trunks/" + ok).status()).isEqualTo(204);
            assertThat(admin.delete("/api/v1/trunks/" + bad).status()).isEqualTo(204);
        }
    }

    private TlsUa ua(Path keyStore) throws Exception {
        return new TlsUa(keyStore, caTrust, STORE_PW, "127.0.0.1", tlsPort);
    }

    private long trunk(String name, int port) {
        var r = admin.post("/api/v1/trunks", Map.of("name", name, "host", "localhost", "port", port, "transport", "tls",
                "allowedIps", List.of()));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    private long registering(String name, int port) {
        var r = admin.post("/api/v1/trunks", Map.of("name", name, "kind", "register", "host", "localhost", "port", port,
                "transport", "tls", "username", "acct-" + name, "secret", "carrier-pw", "registerExpires", 600));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    private void route(String name, String prefix, long trunkId) {
        var r = admin.post("/api/v1/outbound-routes", Map.of("name", name, "prefix", prefix, "stripDigits", 1,
                "trunkId", trunkId, "priority", 1));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    private Optional<JsonNode> recordTo(String number) {
        for (JsonNode r : admin.get("/api/v1/calls?limit=500").json().get("items")) {
            if (r.get("callee").asText().endsWith(number) && !r.get("hangupCause").asText().isEmpty()) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    private JsonNode statusOf(long trunkId) {
        for (JsonNode n : admin.get("/api/v1/trunk-registrations").json()) {
            if (n.get("trunkId").asLong() == trunkId) {
                return n;
            }
        }
        return null;
    }
}
