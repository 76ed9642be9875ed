package dev.hotline.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.sdp.SdesCrypto;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.RtpPeer;
import dev.hotline.engine.testing.TlsCalls;
import dev.hotline.engine.testing.TlsUa;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sip.address.SipURI;
import javax.sip.header.ViaHeader;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * PBX-1, SEC-4 through the whole server: SIP over TLS ({@code sip.tls.port}, the certificate HTTPS uses) for an
 * extension and a trunk whose transport is TLS and whose SRTP setting is "required" (API fields transport and srtp).
 * The phone and the carrier are JAIN-SIP TLS agents (Debian's SIPp has no TLS) trusting the server's self-signed
 * certificate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipTlsTrunkTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    TestServer server;
    ApiClient admin;
    int tlsPort;
    Path keyStore;
    String keyStorePassword;

    @BeforeAll
    void start() throws Exception {
        tlsPort = Ports.free();
        server = TestServer.start(TestDatabases.Kind.H2, Map.of("sip.tls.port", String.valueOf(tlsPort)));
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        keyStore = server.dataDir().resolve("tls").resolve("hotline.p12");
        keyStorePassword = Files.readString(server.dataDir().resolve("tls").resolve("hotline.p12.password"),
                StandardCharsets.UTF_8).strip();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void srtpNeedsTransportTlsAndTransportIsUdpTcpOrTls() {
        var plain = admin.post("/api/v1/trunks", Map.of("name", "srtp-udp", "host", "127.0.0.1", "transport", "udp",
                "srtp", "required"));
        assertThat(plain.status()).as(plain.toString()).isEqualTo(400);
        assertThat(plain.json().get("fieldErrors").findValuesAsText("field")).containsExactly("srtp");
        var mode = admin.post("/api/v1/trunks", Map.of("name", "srtp-bad", "host", "127.0.0.1", "transport", "tls",
                "srtp", "sometimes"));
        assertThat(mode.json().get("fieldErrors").findValuesAsText("field")).containsExactly("srtp");
        var transport = admin.post("/api/v1/trunks", Map.of("name", "sctp", "host", "127.0.0.1", "transport", "sctp"));
        assertThat(transport.json().get("fieldErrors").findValuesAsText("field")).containsExactly("transport");
    }

    /**
     * An extension registered over TLS dials out through a TLS trunk requiring SRTP: the carrier gets the INVITE over
     * TLS with RTP/SAVP and a key, audio is relayed between the phone's plain RTP and the carrier's SRTP, both hang
     * up cleanly; then the carrier's own INVITE with plain RTP is refused 488.
     */
    @Test
    void anExtensionOverTlsCallsOutThroughATlsTrunkWithSrtpAndAPlainOfferFromItGets488() throws Exception {
        try (TlsUa carrier = new TlsUa(keyStore, keyStore, keyStorePassword, "127.0.0.1", tlsPort);
             TlsUa phone = new TlsUa(keyStore, keyStore, keyStorePassword, "127.0.0.1", tlsPort);
             RtpPeer a = new RtpPeer(0x7777);
             RtpPeer b = new RtpPeer(0x8888)) {
            var created = admin.post("/api/v1/trunks", Map.of("name", "carrier-tls", "host", "127.0.0.1", "port", carrier.port,
                    "transport", "tls", "srtp", "required", "allowedIps", List.of()));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(created.json().get("transport").asText()).isEqualTo("tls");
            assertThat(created.json().get("srtp").asText()).isEqualTo("required");
            long trunk = created.json().get("id").asLong();
            assertThat(admin.post("/api/v1/outbound-routes", Map.of("name", "tls-out", "prefix", "7", "stripDigits", 1,
                    "trunkId", trunk, "priority", 1)).status()).isEqualTo(201);
            assertThat(admin.post("/api/v1/numbers", Map.of("number", "4777", "trunkId", trunk, "destinationType", "extension",
                    "destination", "1002")).status()).isEqualTo(201);
            disableDemoTrunk(); // it accepts 127.0.0.1 too: INVITEs from there must be the TLS carrier's

            assertThat(phone.register("1003", PW).getStatusCode()).isEqualTo(Response.OK);
            SdesCrypto[] carrierKey = new SdesCrypto[1];
            TlsCalls.Connected c = TlsCalls.connect(phone, "1003", PW, "71380000001", carrier,
                    TlsCalls.sdp(a.port, false, null), offer -> {
                        carrierKey[0] = offer.crypto().orElseThrow().answer();
                        return TlsCalls.sdp(b.port, true, carrierKey[0]);
                    });
            assertThat(((SipURI) c.incoming().request().getRequestURI()).getUser()).isEqualTo("1380000001");
            assertThat(((ViaHeader) c.incoming().request().getHeader(ViaHeader.NAME)).getTransport()).isEqualToIgnoringCase("tls");
            assertThat(c.offer().savp()).as("RTP/SAVP offered to a trunk requiring SRTP").isTrue();
            b.secure(TlsCalls.context(c.offer().crypto().orElseThrow()), TlsCalls.context(carrierKey[0]));
            TlsCalls.assertAudioBothWays(a, c.answer(), b, c.offer(), false);
            assertThat(phone.bye(c.call())).isEqualTo(Response.OK);
            assertThat(carrier.byes.poll(10, TimeUnit.SECONDS)).as("BYE to the carrier over TLS").isNotNull();

            TlsUa.Call refused = carrier.call("13900000001", null, "4777", TlsCalls.sdp(b.port, false, null));
            assertThat(refused.answer().getStatusCode()).isEqualTo(Response.NOT_ACCEPTABLE_HERE);
        }
    }

    private void disableDemoTrunk() {
        for (JsonNode t : admin.get("/api/v1/trunks").json().findParents("name")) {
            if (t.get("name").asText().equals("loopback")) {
                Map<String, Object> body = new HashMap<>();
                body.put("name", "loopback");
                body.put("host", t.get("host").asText());
                body.put("port", t.get("port").asInt());
                body.put("enabled", false);
                var r = admin.put("/api/v1/trunks/" + t.get("id").asLong(), body);
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
            }
        }
    }
}
