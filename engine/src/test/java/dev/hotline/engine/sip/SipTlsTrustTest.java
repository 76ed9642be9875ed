package dev.hotline.engine.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotline.engine.Engines;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.Registration;
import dev.hotline.engine.call.SipAccount;
import dev.hotline.engine.call.SipTls;
import dev.hotline.engine.call.SrtpMode;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.call.TrunkRegistration;
import dev.hotline.engine.call.TrunkRegistrationStatus;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.PrivateCa;
import dev.hotline.engine.testing.SipDatagrams;
import dev.hotline.engine.testing.TestCallHandler;
import dev.hotline.engine.testing.TlsCalls;
import dev.hotline.engine.testing.TlsUa;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sip.address.SipURI;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP over TLS with a separate trust store (SEC-4: carriers under a private CA), the host-name check of a carrier's or
 * registrar's certificate (RFC 5922 §7.2), a trunk registering over TLS and called on that connection (PBX-2), and
 * calls to a TLS phone behind a NAT over the connection it registered on (PBX-1, RFC 5626 §5.3). The engine's own
 * certificate and the carriers' are signed by the test's private CA, the only certificate the engine trusts.
 */
class SipTlsTrustTest {
    static final String DOMAIN = "tls.local";
    static final String PW = "secret";

    @TempDir
    static Path dir;
    static PrivateCa ca;
    static Path caTrust;
    static TelephonyEngine engine;
    static TestCallHandler handler;
    static int tlsPort;
    /** The engine's UDP and TCP port. */
    static int sipPort;
    /** The last INVITE the policy was asked about. */
    static final AtomicReference<InboundPolicy.InviteSource> asked = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        ca = new PrivateCa("Carrier Private CA", PW);
        caTrust = ca.trustStore(dir.resolve("ca-trust.p12"));
        Path engineKeys = ca.keyStore(dir.resolve("engine.p12"), "127.0.0.1", "localhost");
        int port = Ports.free();
        sipPort = port;
        tlsPort = Ports.free();
        int rtp = Ports.free(40);
        EngineConfig config = EngineConfig.defaults().withBind("127.0.0.1", port).withDefaultDomain(DOMAIN)
                .withRtpPorts(rtp, rtp + 39).withAuthThrottle(1000, Duration.ofMinutes(1), Duration.ofMinutes(1))
                .withTls(SipTls.on(tlsPort, engineKeys, PW, "PKCS12").withTrustStore(caTrust, PW, "PKCS12"));
        handler = new TestCallHandler(DOMAIN);
        InboundPolicy policy = new InboundPolicy() {
            @Override
            public Decision admit(InviteSource s) {
                asked.set(s);
                return "carrier".equals(s.fromUser()) ? Decision.TRUSTED : Decision.AUTHENTICATE;
            }

            @Override
            public SrtpMode srtp(InviteSource s) {
                return SrtpMode.OPTIONAL;
            }
        };
        engine = Engines.start(config, (domain, user) -> DOMAIN.equals(domain) && user.matches("[23]10[0-9]")
                ? Optional.of(new SipAccount("acct-" + user, "pw-" + user)) : Optional.empty(), policy, handler);
        handler.engine = engine;
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @AfterEach
    void reset() {
        handler.targets.clear();
        handler.answerLocally.clear();
        engine.trunkRegistrations().configure(List.of());
    }

    /** A carrier whose certificate the private CA signed for the trunk's host name gets the INVITE over TLS. */
    @Test
    void aCarrierUnderThePrivateCaNamingTheTrunkHostGetsTheCall() throws Exception {
        try (TlsUa phone = ua(ca.keyStore(dir.resolve("phone1.p12"), "127.0.0.1"));
             TlsUa carrier = ua(ca.keyStore(dir.resolve("carrier-ok.p12"), "localhost"))) {
            handler.targets.put("9101", new Target.Uri("0101", "localhost", carrier.port, "tls",
                    new Target.TrunkAccount("trunk-ca", null, null), SrtpMode.OFF));
            assertThat(phone.register("3101", "pw-3101").getStatusCode()).isEqualTo(Response.OK);
            TlsCalls.Connected c = TlsCalls.connect(phone, "3101", "pw-3101", "9101", carrier,
                    TlsCalls.sdp(40000, false, null), offer -> TlsCalls.sdp(40002, false, null));
            SipURI ruri = (SipURI) c.incoming().request().getRequestURI();
            assertThat(ruri.getHost()).isEqualTo("localhost");
            assertThat(ruri.getTransportParam()).isEqualToIgnoringCase("tls");
            assertThat(phone.bye(c.call())).isEqualTo(Response.OK);
            assertThat(carrier.byes.poll(10, TimeUnit.SECONDS)).isNotNull();
        }
    }

    /**
     * A certificate of the trusted CA naming another host, or one naming the host but signed by a CA the trust store
     * does not hold: the handshake fails, nothing reaches the carrier, the trunk leg ends TLS_CERTIFICATE_REFUSED.
     */
    @Test
    void aCarrierCertificateNamingAnotherHostOrFromAnotherCaIsRefused() throws Exception {
        PrivateCa other = new PrivateCa("Someone Else's CA", PW);
        try (TlsUa phone = ua(ca.keyStore(dir.resolve("phone2.p12"), "127.0.0.1"));
             TlsUa wrongName = ua(ca.keyStore(dir.resolve("carrier-wrong.p12"), "carrier.example"));
             TlsUa otherCa = new TlsUa(other.keyStore(dir.resolve("carrier-other.p12"), "localhost"),
                     other.trustStore(dir.resolve("other-trust.p12")), PW, DOMAIN, tlsPort)) {
            assertThat(phone.register("3102", "pw-3102").getStatusCode()).isEqualTo(Response.OK);
            for (TlsUa carrier : List.of(wrongName, otherCa)) {
                int before = refusals();
                handler.targets.put("9102", new Target.Uri("0102", "localhost", carrier.port, "tls",
                        new Target.TrunkAccount("trunk-bad", null, null), SrtpMode.OFF));
                TlsUa.Call call = phone.call("3102", "pw-3102", "9102", TlsCalls.sdp(40000, false, null));
                assertThat(call.answer().getStatusCode()).isGreaterThanOrEqualTo(500);
                // the trunk leg, and the phone's leg that followed it
                await().atMost(Duration.ofSeconds(10)).until(() -> refusals() == before + 2);
                assertThat(carrier.invites).as("nothing sent to a carrier whose certificate is refused").isEmpty();
            }
        }
    }

    private static int refusals() {
        return (int) handler.events(CallEvent.ChannelHungUp.class).stream()
                .filter(h -> h.cause() == HangupCause.TLS_CERTIFICATE_REFUSED).count();
    }

    /**
     * A trunk registers to its carrier over TLS (private CA, host name checked), and the carrier calls in on the
     * connection that registration opened: the INVITE goes to the source port of the engine's REGISTER connection,
     * where nothing else listens. A registrar whose certificate names another host leaves the registration FAILED with
     * the reason.
     */
    @Test
    void aTrunkRegistersOverTlsAndIsCalledOnThatConnection() throws Exception {
        try (TlsUa registrar = ua(ca.keyStore(dir.resolve("registrar.p12"), "localhost"));
             TlsUa wrong = ua(ca.keyStore(dir.resolve("registrar-wrong.p12"), "sip.carrier.example"))) {
            engine.trunkRegistrations().configure(List.of(new TrunkRegistration("reg-tls", "localhost", registrar.port,
                    "tls", "trunk77", "pw", "carrier.test", Duration.ofSeconds(600), Duration.ofSeconds(30))));
            await().atMost(Duration.ofSeconds(15)).until(() -> state("reg-tls") == TrunkRegistrationStatus.State.REGISTERED);
            TlsUa.Received reg = registrar.registers.poll(5, TimeUnit.SECONDS);
            assertThat(reg).isNotNull();
            assertThat(reg.request().getRequestURI().toString()).contains("transport=tls");

            handler.answerLocally.add("7100");
            TlsUa.Call in = registrar.call(reg.remotePort(), "carrier", null, "7100", TlsCalls.sdp(40000, false, null));
            assertThat(in.answer().getStatusCode()).as("INVITE on the registration connection answered").isEqualTo(Response.OK);
            assertThat(asked.get().trunkRegistration()).as("SEC-4: the policy is told which registration's connection")
                    .contains("reg-tls");
            assertThat(registrar.bye(in)).isEqualTo(Response.OK);

            // the same carrier on a connection of its own (to the engine's TLS port): no registration's
            TlsUa.Call other = registrar.call("carrier", null, "7100", TlsCalls.sdp(40000, false, null));
            assertThat(other.answer().getStatusCode()).isEqualTo(Response.OK);
            assertThat(asked.get().trunkRegistration()).as("another connection of the same host").isEmpty();
            assertThat(registrar.bye(other)).isEqualTo(Response.OK);

            engine.trunkRegistrations().configure(List.of(new TrunkRegistration("reg-wrong", "localhost", wrong.port,
                    "tls", "trunk78", "pw", "carrier.test", Duration.ofSeconds(600), Duration.ofSeconds(30))));
            await().atMost(Duration.ofSeconds(15)).until(() -> state("reg-wrong") == TrunkRegistrationStatus.State.FAILED);
            TrunkRegistrationStatus failed = status("reg-wrong");
            assertThat(failed.detail()).contains("TLS certificate refused").containsIgnoringCase("localhost");
            assertThat(wrong.registers).isEmpty();
        }
    }

    private static TrunkRegistrationStatus.State state(String key) {
        TrunkRegistrationStatus s = status(key);
        return s == null ? null : s.state();
    }

    private static TrunkRegistrationStatus status(String key) {
        return engine.trunkRegistrations().status().stream().filter(s -> s.key().equals(key)).findFirst().orElse(null);
    }

    /**
     * A TLS phone behind a NAT: its Contact names a port where nothing listens. The INVITE, the ACK and the caller's
     * BYE reach it over the connection it registered on; its own BYE of a second call reaches the caller.
     */
    @Test
    void aTlsPhoneWhoseContactCannotBeReachedIsCalledOverItsRegistrationConnection() throws Exception {
        try (TlsUa caller = ua(ca.keyStore(dir.resolve("phone3.p12"), "127.0.0.1"));
             TlsUa natted = ua(ca.keyStore(dir.resolve("phone4.p12"), "127.0.0.1"))) {
            natted.contactPort = Ports.free(); // nothing listens there
            assertThat(caller.register("3103", "pw-3103").getStatusCode()).isEqualTo(Response.OK);
            assertThat(natted.register("2103", "pw-2103").getStatusCode()).isEqualTo(Response.OK);
            Registration binding = engine.locations().lookup(DOMAIN, "2103").get(0);
            assertThat(binding.contact()).contains(":" + natted.contactPort);
            assertThat(binding.source().getPort()).isNotEqualTo(natted.contactPort).isNotEqualTo(natted.port);

            TlsCalls.Connected c = TlsCalls.connect(caller, "3103", "pw-3103", "2103", natted,
                    TlsCalls.sdp(40000, false, null), offer -> TlsCalls.sdp(40002, false, null));
            assertThat(c.incoming().request().getRequestURI().toString()).contains(":" + natted.contactPort);
            assertThat(caller.bye(c.call())).isEqualTo(Response.OK);
            assertThat(natted.byes.poll(10, TimeUnit.SECONDS)).as("BYE over the registration connection").isNotNull();

            TlsCalls.Connected again = TlsCalls.connect(caller, "3103", "pw-3103", "2103", natted,
                    TlsCalls.sdp(40000, false, null), offer -> TlsCalls.sdp(40002, false, null));
            assertThat(natted.bye(again.answered())).isEqualTo(Response.OK);
            assertThat(caller.byes.poll(10, TimeUnit.SECONDS)).isNotNull();
        }
    }

    /**
     * A TLS phone that registers a {@code sips:} Contact (RFC 3261 §26.2) naming a port where nothing listens: the binding
     * keeps the sips: URI, the INVITE (Request-URI that sips: URI, Hotline's Contact a sips: URI too), the ACK and the BYE
     * reach it over its registration connection.
     */
    @Test
    void aPhoneRegisteringASipsContactIsCalledOverItsTlsConnection() throws Exception {
        try (TlsUa caller = ua(ca.keyStore(dir.resolve("phone5.p12"), "127.0.0.1"));
             TlsUa secure = ua(ca.keyStore(dir.resolve("phone6.p12"), "127.0.0.1"))) {
            secure.sipsContact = true;
            secure.contactPort = Ports.free(); // nothing listens there
            assertThat(caller.register("3104", "pw-3104").getStatusCode()).isEqualTo(Response.OK);
            assertThat(secure.register("2104", "pw-2104").getStatusCode()).isEqualTo(Response.OK);
            assertThat(engine.locations().lookup(DOMAIN, "2104")).singleElement().satisfies(r -> {
                assertThat(r.contact()).isEqualTo("sips:2104@127.0.0.1:" + secure.contactPort);
                assertThat(r.transport()).isEqualTo("tls");
            });
            TlsCalls.Connected c = TlsCalls.connect(caller, "3104", "pw-3104", "2104", secure,
                    TlsCalls.sdp(40000, false, null), offer -> TlsCalls.sdp(40002, false, null));
            assertThat(c.incoming().request().getRequestURI().toString()).isEqualTo("sips:2104@127.0.0.1:" + secure.contactPort);
            assertThat(c.incoming().request().getHeader("Contact").toString()).as("RFC 3261 §8.1.1.8").contains("<sips:")
                    .doesNotContain("transport=");
            assertThat(caller.bye(c.call())).isEqualTo(Response.OK);
            assertThat(secure.byes.poll(10, TimeUnit.SECONDS)).as("BYE over the registration connection").isNotNull();
        }
    }

    /**
     * PBX-1: a sips: URI only over TLS (RFC 3261 §26.2.2, RFC 5630). A REGISTER over UDP or TCP binding a sips: Contact,
     * or for a sips: address-of-record, is refused 400 before any challenge, with Warning 380 "SIPS Not Allowed"; an
     * INVITE to a sips: Request-URI over UDP is refused 480 with the same warning and reaches no call handler; nothing is
     * bound.
     */
    @Test
    void aSipsUriOverUdpOrTcpIsRefused() throws Exception {
        String offer = TlsCalls.sdp(40000, false, null);
        try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udp.setSoTimeout(1500);
            String contactOverUdp = SipDatagrams.exchange(udp, sipPort, register(udp.getLocalPort(), "UDP", "sip", "sips"));
            assertThat(contactOverUdp).as("sips: Contact over UDP").startsWith("SIP/2.0 400 SIPS Not Allowed Over UDP")
                    .contains("Warning: 380 hotline");
            String aorOverUdp = SipDatagrams.exchange(udp, sipPort, register(udp.getLocalPort(), "UDP", "sips", "sip"));
            assertThat(aorOverUdp).as("sips: address-of-record over UDP").startsWith("SIP/2.0 400").contains("Warning: 380");

            int before = handler.events(CallEvent.IncomingCall.class).size();
            String invite = SipDatagrams.exchange(udp, sipPort, String.join("\r\n",
                    "INVITE sips:3105@" + DOMAIN + " SIP/2.0",
                    "Via: SIP/2.0/UDP 127.0.0.1:" + udp.getLocalPort() + ";branch=z9hG4bK-sips-inv;rport",
                    "Max-Forwards: 70",
                    "From: <sip:3104@" + DOMAIN + ">;tag=sips1",
                    "To: <sips:3105@" + DOMAIN + ">",
                    "Call-ID: sips-invite-over-udp",
                    "CSeq: 1 INVITE",
                    "Contact: <sip:3104@127.0.0.1:" + udp.getLocalPort() + ">",
                    "Content-Type: application/sdp",
                    "Content-Length: " + offer.length(),
                    "",
                    offer));
            assertThat(invite).as("sips: Request-URI over UDP").startsWith("SIP/2.0 480 SIPS Not Allowed Over UDP")
                    .contains("Warning: 380 hotline");
            assertThat(handler.events(CallEvent.IncomingCall.class)).hasSize(before);
        }
        try (Socket tcp = new Socket(InetAddress.getLoopbackAddress(), sipPort)) {
            tcp.setSoTimeout(5000);
            tcp.getOutputStream().write(register(tcp.getLocalPort(), "TCP", "sip", "sips").getBytes(StandardCharsets.UTF_8));
            String status = new BufferedReader(new InputStreamReader(tcp.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(status).as("sips: Contact over TCP").isEqualTo("SIP/2.0 400 SIPS Not Allowed Over TCP");
        }
        assertThat(engine.locations().lookup(DOMAIN, "2105")).isEmpty();
    }

    /** A REGISTER for 2105 over {@code transport} from {@code port}, its address-of-record and Contact of the schemes given. */
    private static String register(int port, String transport, String aorScheme, String contactScheme) {
        String tag = transport + "-" + aorScheme + "-" + contactScheme;
        return String.join("\r\n",
                "REGISTER sip:" + DOMAIN + " SIP/2.0",
                "Via: SIP/2.0/" + transport + " 127.0.0.1:" + port + ";branch=z9hG4bK-sips-" + tag + ";rport",
                "Max-Forwards: 70",
                "From: <" + aorScheme + ":2105@" + DOMAIN + ">;tag=sipsreg",
                "To: <" + aorScheme + ":2105@" + DOMAIN + ">",
                "Call-ID: sips-register-" + tag,
                "CSeq: 1 REGISTER",
                "Contact: <" + contactScheme + ":2105@127.0.0.1:" + port + ">",
                "Expires: 600",
                "Content-Length: 0",
                "",
                "");
    }

    private static TlsUa ua(Path keyStore) throws Exception {
        return new TlsUa(keyStore, caTrust, PW, DOMAIN, tlsPort);
    }
}
