package dev.hotline.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.PrivateCa;
import dev.hotline.engine.testing.SipDatagrams;
import dev.hotline.engine.testing.TlsCalls;
import dev.hotline.engine.testing.TlsUa;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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

    /**
     * SEC-4 with PBX-2: a carrier calls a number of a registering trunk on the very connection the trunk registered over,
     * over TLS (the registrar's certificate names the trunk's host) and over TCP: no digest is asked, the call reaches
     * the number's extension as that trunk's inbound call (its record names the trunk). Over TCP the carrier addresses
     * the Contact the trunk registered (its account name) and names the number in To, as carriers do. The same carrier
     * calling the same number on a connection of its own is challenged (401). The demo's IP trunk trusting 127.0.0.1 is
     * switched off meanwhile, so that nothing else vouches for this machine's address.
     */
    @Test
    void aRegisteringTrunksCarrierCallsInOverTheConnectionItRegisteredOnAndNowhereElse() throws Exception {
        JsonNode loopback = trunkNamed("loopback");
        enable(loopback, false);
        int sipPort = server.hotline().engine().sipPort();
        try (TlsUa phone = ua(ca.keyStore(dir.resolve("phone-in.p12"), "127.0.0.1"));
             TlsUa tlsCarrier = ua(ca.keyStore(dir.resolve("carrier-in.p12"), "localhost"));
             TlsUa tcpCarrier = TlsUa.tcp("127.0.0.1", sipPort)) {
            assertThat(phone.register("1002", PW).getStatusCode()).isEqualTo(Response.OK);
            try {
                inboundOverRegistration(phone, tlsCarrier, "tls", "6100", tlsPort);
                inboundOverRegistration(phone, tcpCarrier, "tcp", "6200", sipPort);
            } finally {
                phone.unregister("1002", PW);
            }
        } finally {
            enable(loopback, true);
        }
    }

    private void inboundOverRegistration(TlsUa phone, TlsUa carrier, String transport, String number, int hotlinePort)
            throws Exception {
        String name = "in-" + transport;
        var created = admin.post("/api/v1/trunks", Map.of("name", name, "kind", "register", "host", "localhost",
                "port", carrier.port, "transport", transport, "username", "acct-" + name, "secret", "carrier-pw",
                "registerExpires", 600));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long trunk = created.json().get("id").asLong();
        var did = admin.post("/api/v1/numbers", Map.of("number", number, "trunkId", trunk, "destinationType", "extension",
                "destination", "1002"));
        assertThat(did.status()).as(did.toString()).isEqualTo(201);
        try {
            await(transport + " trunk registered").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> statusOf(trunk), s -> s != null && s.get("state").asText().equals("registered"));
            TlsUa.Received reg = carrier.registers.poll(5, TimeUnit.SECONDS);
            assertThat(reg).isNotNull();
            assertThat(reg.request().getRequestURI().toString()).contains("transport=" + transport);

            carrier.requestUser = transport.equals("tcp") ? "acct-" + name : null;
            CompletableFuture<TlsUa.Call> placed = CompletableFuture.supplyAsync(() -> {
                try {
                    // a wrong password: a challenge would fail the call
                    return carrier.call(reg.remotePort(), "13900000001", "not-the-carriers", number, TlsCalls.sdp(40000, false, null));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            TlsUa.Incoming in = phone.invites.poll(15, TimeUnit.SECONDS);
            assertThat(in).as(transport + ": the number's extension rings").isNotNull();
            phone.answer(in, "1002", TlsCalls.sdp(40002, false, null));
            TlsUa.Call call = placed.get(15, TimeUnit.SECONDS);
            assertThat(call.answer().getStatusCode()).as(transport + ": answered without a challenge").isEqualTo(Response.OK);
            assertThat(phone.acks.poll(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(carrier.bye(call)).isEqualTo(Response.OK);
            assertThat(phone.byes.poll(10, TimeUnit.SECONDS)).isNotNull();
            JsonNode record = await("the record").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> recordTo(number), Optional::isPresent).get();
            assertThat(record.get("direction").asText()).isEqualTo("inbound");
            assertThat(record.get("trunk").asText()).as(record.toString()).isEqualTo(name);
            assertThat(record.get("outcome").asText()).isEqualTo("answered");

            // the same carrier and number on another connection (to Hotline's own port): challenged like anyone
            Response elsewhere = carrier.inviteOnce(hotlinePort, "13900000001", number, TlsCalls.sdp(40000, false, null));
            assertThat(elsewhere.getStatusCode()).as(transport + ": from another connection").isEqualTo(Response.UNAUTHORIZED);
            assertThat(phone.invites.poll(1, TimeUnit.SECONDS)).isNull();
        } finally {
            carrier.requestUser = null;
            assertThat(admin.delete("/api/v1/numbers/" + did.json().get("id").asLong()).status()).isEqualTo(204);
            assertThat(admin.delete("/api/v1/trunks/" + trunk).status()).isEqualTo(204);
        }
    }

    /**
     * PBX-1: a caller over TLS dialling a {@code sips:} Request-URI reaches the extension; Hotline's answer carries a
     * {@code sips:} Contact (RFC 3261 §12.1.1) and the call ends normally. The same Request-URI over UDP is refused 480
     * with Warning 380 "SIPS Not Allowed" (RFC 3261 §26.2.2: each hop to a sips: URI is TLS; RFC 5630).
     */
    @Test
    void aSipsRequestUriIsCalledOverTlsAndRefusedOverUdp() throws Exception {
        try (TlsUa caller = ua(ca.keyStore(dir.resolve("sips-caller.p12"), "127.0.0.1"));
             TlsUa callee = ua(ca.keyStore(dir.resolve("sips-callee.p12"), "127.0.0.1"))) {
            assertThat(caller.register("1001", PW).getStatusCode()).isEqualTo(Response.OK);
            assertThat(callee.register("1002", PW).getStatusCode()).isEqualTo(Response.OK);
            try {
                caller.sipsRequestUri = true;
                TlsCalls.Connected c = TlsCalls.connect(caller, "1001", PW, "1002", callee,
                        TlsCalls.sdp(40000, false, null), offer -> TlsCalls.sdp(40002, false, null));
                assertThat(c.call().answer().getHeader("Contact").toString()).as("RFC 3261 §12.1.1").contains("<sips:");
                assertThat(caller.bye(c.call())).isEqualTo(Response.OK);
                assertThat(callee.byes.poll(10, TimeUnit.SECONDS)).isNotNull();
            } finally {
                caller.sipsRequestUri = false;
                caller.unregister("1001", PW);
                callee.unregister("1002", PW);
            }
        }
        String offer = TlsCalls.sdp(40000, false, null);
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udp.setSoTimeout(1500);
            String answer = SipDatagrams.exchange(udp, server.hotline().engine().sipPort(), String.join("\r\n",
                    "INVITE sips:1002@127.0.0.1 SIP/2.0",
                    "Via: SIP/2.0/UDP 127.0.0.1:" + udp.getLocalPort() + ";branch=z9hG4bK-sips-udp;rport",
                    "Max-Forwards: 70",
                    "From: <sip:13900000002@127.0.0.1>;tag=sipsudp",
                    "To: <sips:1002@127.0.0.1>",
                    "Call-ID: sips-over-udp-" + udp.getLocalPort(),
                    "CSeq: 1 INVITE",
                    "Contact: <sip:13900000002@127.0.0.1:" + udp.getLocalPort() + ">",
                    "Content-Type: application/sdp",
                    "Content-Length: " + offer.length(),
                    "",
                    offer));
            assertThat(answer).startsWith("SIP/2.0 480 SIPS Not Allowed Over UDP").contains("Warning: 380 hotline");
        }
    }

    private JsonNode trunkNamed(String name) {
        for (JsonNode t : admin.get("/api/v1/trunks").json()) {
            if (t.get("name").asText().equals(name)) return t;
        }
        throw new AssertionError("no trunk " + name);
    }

    /** Puts {@code trunk} back as it was, enabled or not. */
    private void enable(JsonNode trunk, boolean enabled) {
        ObjectNode in = trunk.deepCopy();
        in.remove("id");
        in.put("enabled", enabled);
        var r = admin.put("/api/v1/trunks/" + trunk.get("id").asLong(), in);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
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
