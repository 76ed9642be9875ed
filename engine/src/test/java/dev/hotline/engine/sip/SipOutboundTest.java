package dev.hotline.engine.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotline.engine.Engines;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.Registration;
import dev.hotline.engine.call.SipAccount;
import dev.hotline.engine.call.SipStats;
import dev.hotline.engine.call.SipTls;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.RawUa;
import dev.hotline.engine.testing.StreamUa;
import dev.hotline.engine.testing.TestCallHandler;
import dev.hotline.engine.webrtc.StunMessage;
import java.math.BigInteger;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PBX-1, RFC 5626 (SIP Outbound) against the running engine over raw sockets: keep-alives (double-CRLF ping and
 * single-CRLF pong over TCP and TLS, §4.4.1; STUN Binding on the SIP UDP port, §4.4.2 / §8) and the registrar's flows
 * (§6: keyed by instance and reg-id, Require: outbound, Flow-Timer over UDP; §5.3 / §11.1: a call goes over the newest
 * live flow, over the other one once that connection is gone; without "outbound" in Supported reg-id is ignored).
 */
class SipOutboundTest {
    static final String DOMAIN = "outbound.local";
    /** Where nothing answers (TEST-NET-3, not a private address: only the flow reaches the phone, not the NAT rule). */
    static final String UNREACHABLE = "203.0.113.9:5060";

    @TempDir
    static Path dir;
    static Path keyStore;
    static SipEngine engine;
    static TestCallHandler handler;
    static int port;
    static int tlsPort;
    /** CSeq numbers only grow (RFC 3261 §10.3 step 7 ignores a lower one on the same Call-ID). */
    static final AtomicInteger CSEQ = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        keyStore = dir.resolve("sip.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "hotline", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "30", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", "secret", "-keypass", "secret").redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        port = Ports.free();
        tlsPort = Ports.free();
        int rtp = Ports.free(40);
        EngineConfig config = EngineConfig.defaults().withBind("127.0.0.1", port).withDefaultDomain(DOMAIN)
                .withRtpPorts(rtp, rtp + 39).withAuthThrottle(1000, Duration.ofMinutes(1), Duration.ofMinutes(1))
                .withTls(SipTls.on(tlsPort, keyStore, "secret", "PKCS12"));
        handler = new TestCallHandler(DOMAIN);
        engine = (SipEngine) Engines.start(config, (domain, user) -> DOMAIN.equals(domain) && user.matches("200\\d")
                ? Optional.of(new SipAccount("acct-" + user, "pw-" + user)) : Optional.empty(),
                s -> InboundPolicy.Decision.AUTHENTICATE, handler);
        handler.engine = engine;
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    // ============================================================ keep-alives

    /** RFC 5626 §4.4.1: a double CRLF over TCP is answered by one CRLF, and the connection carries SIP after it. */
    @Test
    void aDoubleCrlfPingOverTcpGetsASingleCrlfPongAndTheConnectionStaysUsable() throws Exception {
        try (StreamUa ua = StreamUa.tcp(port)) {
            pingPongThenOptions(ua, "TCP");
        }
    }

    /** RFC 5626 §4.4.1 over TLS (JAIN-SIP's blocking TLS processor, {@link SipTransports.Tls}). */
    @Test
    void aDoubleCrlfPingOverTlsGetsASingleCrlfPongAndTheConnectionStaysUsable() throws Exception {
        try (StreamUa ua = StreamUa.tls(tlsPort, keyStore, "secret")) {
            pingPongThenOptions(ua, "TLS");
        }
    }

    private static void pingPongThenOptions(StreamUa ua, String transport) throws Exception {
        for (int i = 0; i < 2; i++) {
            ua.sendRaw("\r\n\r\n");
            assertThat(ua.readRaw(2)).as("pong %d", i).isEqualTo("\r\n");
        }
        ua.send("OPTIONS sip:" + DOMAIN + " SIP/2.0\r\nVia: SIP/2.0/" + transport + " 127.0.0.1:" + ua.port() + ";branch="
                + RawUa.branch() + "\r\nFrom: <sip:probe@" + DOMAIN + ">;tag=ka\r\nTo: <sip:" + DOMAIN + ">\r\nCall-ID: ka-"
                + UUID.randomUUID() + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n\r\n");
        // read() skips nothing: a second CRLF in the pong would make this message start with a blank line
        RawUa.Msg ok = ua.read("the answer to OPTIONS after the pings");
        assertThat(ok.firstLine()).isEqualTo("SIP/2.0 200 OK");
    }

    /**
     * RFC 5626 §4.4.2 / §8: a STUN Binding request (RFC 5389) on the SIP UDP port is answered with the source as
     * XOR-MAPPED-ADDRESS, with and without FINGERPRINT; a Binding indication gets nothing; none of them reaches the SIP
     * stack (no request counted, no 400 sent, nobody banned), and SIP from the same socket is answered after them.
     */
    @Test
    void aStunBindingRequestOnTheSipUdpPortGetsItsMappedAddress() throws Exception {
        SipStats before = engine.sipStats();
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(5000);
            InetSocketAddress self = (InetSocketAddress) s.getLocalSocketAddress();
            for (boolean fingerprint : new boolean[] {false, true}) {
                byte[] tx = new byte[12];
                new SecureRandom().nextBytes(tx);
                byte[] req = StunMessage.builder(StunMessage.BINDING_REQUEST, tx).build(null, fingerprint);
                s.send(new DatagramPacket(req, req.length, InetAddress.getLoopbackAddress(), port));
                DatagramPacket in = new DatagramPacket(new byte[1500], 1500);
                s.receive(in);
                StunMessage answer = StunMessage.parse(in.getData(), 0, in.getLength());
                assertThat(answer.type()).isEqualTo(StunMessage.BINDING_SUCCESS);
                assertThat(answer.transactionId()).isEqualTo(tx);
                assertThat(answer.xorMappedAddress()).isEqualTo(self);
                assertThat(answer.hasFingerprint()).isEqualTo(fingerprint);
                if (fingerprint) {
                    assertThat(answer.checkFingerprint()).isTrue();
                }
            }
            byte[] indication = StunMessage.builder(StunMessage.BINDING_INDICATION, new byte[12]).build();
            for (int i = 0; i < 20; i++) {
                s.send(new DatagramPacket(indication, indication.length, InetAddress.getLoopbackAddress(), port));
            }
            SipStats afterStun = engine.sipStats();
            assertThat(afterStun.requestsIn()).isEqualTo(before.requestsIn());
            assertThat(afterStun.responsesOut()).isEqualTo(before.responsesOut());
            assertThat(engine.sipBans().list()).isEmpty();
            byte[] options = ("OPTIONS sip:" + DOMAIN + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + self.getPort() + ";branch="
                    + RawUa.branch() + "\r\nFrom: <sip:probe@" + DOMAIN + ">;tag=stun\r\nTo: <sip:" + DOMAIN + ">\r\nCall-ID: stun-"
                    + UUID.randomUUID() + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(options, options.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket in = new DatagramPacket(new byte[4000], 4000);
            s.receive(in); // the first datagram back: no answer to the indications came before it
            assertThat(new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII)).startsWith("SIP/2.0 200 OK");
        }
    }

    // ============================================================ registrar flows

    /**
     * RFC 5626 §6, §5.3, §11.1 over TCP: one phone instance registers flow 1 (connection A), flow 2 (B), then flow 1 again
     * over C (a new Call-ID). Two bindings remain, flow 1 now on C; each 200 has Require: outbound, the flow's reg-id
     * and no Flow-Timer. A call goes over C (the newest); once C is closed, the next call goes over B; A never sees one.
     */
    @Test
    void twoFlowsOfOnePhoneTheNewestLiveOneCarriesTheCallAndTheOtherOnceItIsGone() throws Exception {
        String instance = "<urn:uuid:" + UUID.randomUUID() + ">";
        String contact = "sip:2001@" + UNREACHABLE + ";transport=tcp;ob";
        try (StreamUa a = StreamUa.tcp(port); StreamUa b = StreamUa.tcp(port); StreamUa c = StreamUa.tcp(port)) {
            RawUa.Msg ok = register(a, "2001", contact, instance, 1, true, 600);
            assertThat(ok.header("Require")).isEqualToIgnoringCase("outbound");
            assertThat(ok.header("Flow-Timer")).isNull();
            assertThat(ok.header("Contact")).contains("reg-id=1").contains(instance);
            register(b, "2001", contact, instance, 2, true, 600);
            register(c, "2001", contact, instance, 1, true, 600);
            List<Registration> regs = engine.locations().lookup(DOMAIN, "2001");
            assertThat(regs).extracting(Registration::regId).containsExactlyInAnyOrder(1, 2);
            assertThat(regs).allSatisfy(r -> assertThat(r.instanceId()).isEqualTo(instance));
            assertThat(regs.stream().filter(r -> r.regId() == 1).findFirst().orElseThrow().source().getPort()).isEqualTo(c.port());
            assertThat(regs.get(0).regId()).as("newest first").isEqualTo(1);

            answeredCallOver(c, contact);

            c.close();
            await("the engine saw flow C close").atMost(Duration.ofSeconds(10)).until(() ->
                    !router().usable(SipFlowRouter.Flow.tcp(new InetSocketAddress("127.0.0.1", c.port()))));
            Channel call = engine.originate(DialRequest.to(new Target.Registered(DOMAIN, "2001")));
            RawUa.Msg invite = b.read("the INVITE over flow B");
            assertThat(invite.firstLine()).isEqualToIgnoringCase("INVITE " + contact + " SIP/2.0");
            b.respond(invite, 486, "Busy Here", "busy", null, null);
            assertThat(b.read("the ACK of the 486").firstLine()).startsWith("ACK ");
            await().atMost(Duration.ofSeconds(10)).until(() -> call.state().isFinal());
            assertThat(a.isClosed()).isFalse();
            a.send("OPTIONS sip:" + DOMAIN + " SIP/2.0\r\nVia: SIP/2.0/TCP " + UNREACHABLE + ";branch=" + RawUa.branch()
                    + "\r\nFrom: <sip:2001@" + DOMAIN + ">;tag=a\r\nTo: <sip:" + DOMAIN + ">\r\nCall-ID: a-" + UUID.randomUUID()
                    + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n\r\n");
            assertThat(a.read("the next message on A").firstLine()).as("A, the replaced flow, got no request")
                    .isEqualTo("SIP/2.0 200 OK");
            register(b, "2001", contact, instance, 2, true, 0);
            register(a, "2001", contact, instance, 1, true, 0);
            assertThat(engine.locations().isRegistered(DOMAIN, "2001")).isFalse();
        }
    }

    /** An INVITE to 2001 over {@code flow}: answered there, its ACK and, when the engine hangs up, its BYE there too. */
    private void answeredCallOver(StreamUa flow, String contact) throws Exception {
        Channel call = engine.originate(DialRequest.to(new Target.Registered(DOMAIN, "2001")));
        RawUa.Msg invite = flow.read("the INVITE over the newest flow");
        assertThat(invite.firstLine()).isEqualToIgnoringCase("INVITE " + contact + " SIP/2.0");
        flow.respond(invite, 200, "OK", "flow", contact, RawUa.sdp(Ports.free()));
        assertThat(flow.read("the ACK").firstLine()).startsWith("ACK ");
        await().atMost(Duration.ofSeconds(10)).until(() -> call.state() == ChannelState.UP);
        call.hangup(HangupCause.NORMAL_CLEARING);
        RawUa.Msg bye = flow.read("the BYE");
        assertThat(bye.firstLine()).startsWith("BYE ");
        flow.respond(bye, 200, "OK", null, null, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> call.state().isFinal());
    }

    /** RFC 5626 §6: without "outbound" in Supported the reg-id is ignored: no Require, bindings keyed by the Contact, as before. */
    @Test
    void withoutOutboundInSupportedTheRegIdIsIgnored() throws Exception {
        String instance = "<urn:uuid:" + UUID.randomUUID() + ">";
        String contact = "sip:2002@" + UNREACHABLE + ";transport=tcp";
        try (StreamUa a = StreamUa.tcp(port); StreamUa b = StreamUa.tcp(port)) {
            RawUa.Msg ok = register(a, "2002", contact, instance, 1, false, 600);
            assertThat(ok.header("Require")).isNull();
            register(b, "2002", contact, instance, 2, false, 600);
            assertThat(engine.locations().lookup(DOMAIN, "2002")).singleElement().satisfies(r -> {
                assertThat(r.outbound()).isFalse();
                assertThat(r.instanceId()).isNull();
                assertThat(r.source().getPort()).isEqualTo(b.port());
            });
            register(b, "2002", contact, instance, 2, false, 0);
            assertThat(engine.locations().isRegistered(DOMAIN, "2002")).isFalse();
        }
    }

    /**
     * RFC 5626 §6 / §5.3 over UDP: a flow's 200 carries Require: outbound and a Flow-Timer, and a call reaches the phone
     * where its REGISTER came from though its Contact names a public address where nothing listens.
     */
    @Test
    void aUdpFlowGetsAFlowTimerAndIsCalledWhereItRegisteredFrom() throws Exception {
        String instance = "<urn:uuid:" + UUID.randomUUID() + ">";
        String contact = "sip:2003@" + UNREACHABLE + ";ob";
        try (RawUa phone = new RawUa(port)) {
            RawUa.Msg ok = registerUdp(phone, "2003", contact, instance, 1, 600, false);
            assertThat(ok.status()).as(ok.text()).isEqualTo(200);
            assertThat(ok.header("Require")).isEqualToIgnoringCase("outbound");
            assertThat(ok.header("Flow-Timer")).isEqualTo(Integer.toString(RegisterHandler.UDP_FLOW_TIMER_SECONDS));
            Channel call = engine.originate(DialRequest.to(new Target.Registered(DOMAIN, "2003")));
            RawUa.Msg invite = phone.await(m -> m.isRequest("INVITE"), "the INVITE over the UDP flow");
            assertThat(invite.firstLine()).isEqualToIgnoringCase("INVITE " + contact + " SIP/2.0");
            phone.respond(invite, 486, "Busy Here", "busy", null, null);
            phone.await(m -> m.isRequest("ACK"), "the ACK of the 486");
            await().atMost(Duration.ofSeconds(10)).until(() -> call.state().isFinal());
            assertThat(registerUdp(phone, "2003", contact, instance, 1, 0, false).status()).isEqualTo(200);
            assertThat(engine.locations().isRegistered(DOMAIN, "2003")).isFalse();
        }
    }

    /** RFC 5626 §6: a flow registered through a proxy (two Vias, no Path) gets 439 First Hop Lacks Outbound Support. */
    @Test
    void aFlowRegisteredThroughAProxyGets439() throws Exception {
        try (RawUa phone = new RawUa(port)) {
            RawUa.Msg answer = registerUdp(phone, "2004", "sip:2004@" + UNREACHABLE + ";ob",
                    "<urn:uuid:" + UUID.randomUUID() + ">", 1, 600, true);
            assertThat(answer.status()).as(answer.text()).isEqualTo(439);
            assertThat(engine.locations().isRegistered(DOMAIN, "2004")).isFalse();
        }
    }

    // ============================================================ helpers

    private static SipFlowRouter router() {
        return (SipFlowRouter) engine.stack().getRouter();
    }

    private static String contactHeader(String contact, String instance, int regId) {
        return "Contact: <" + contact + ">;+sip.instance=\"" + instance + "\";reg-id=" + regId + "\r\n";
    }

    /** REGISTER over {@code flow} with digest (401 first), returning the 200. */
    private static RawUa.Msg register(StreamUa flow, String user, String contact, String instance, int regId,
                                      boolean outbound, int expires) throws Exception {
        String callId = "flow-" + user + "-" + flow.port();
        String request = "REGISTER sip:" + DOMAIN + " SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP " + UNREACHABLE + ";branch=%s\r\n"
                + "From: <sip:" + user + "@" + DOMAIN + ">;tag=" + flow.port() + "\r\nTo: <sip:" + user + "@" + DOMAIN + ">\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: %d REGISTER\r\n"
                + contactHeader(contact, instance, regId)
                + (outbound ? "Supported: outbound, path\r\n" : "")
                + "Expires: " + expires + "\r\nMax-Forwards: 70\r\n%s\r\n";
        int cseq = CSEQ.addAndGet(2);
        flow.send(String.format(request, RawUa.branch(), cseq, ""));
        RawUa.Msg challenge = flow.read("the REGISTER's challenge");
        assertThat(challenge.status()).as(challenge.text()).isEqualTo(401);
        flow.send(String.format(request, RawUa.branch(), cseq + 1, authorization(challenge, user)));
        RawUa.Msg ok = flow.read("the REGISTER's answer");
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
        return ok;
    }

    /** REGISTER with "outbound" in Supported over UDP with digest; {@code viaProxy} adds a second Via. Returns the final answer. */
    private static RawUa.Msg registerUdp(RawUa phone, String user, String contact, String instance, int regId, int expires,
                                         boolean viaProxy) throws Exception {
        String request = "REGISTER sip:" + DOMAIN + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + phone.port() + ";rport;branch=%s\r\n"
                + (viaProxy ? "Via: SIP/2.0/UDP 198.51.100.7:5060;branch=" + RawUa.branch() + "\r\n" : "")
                + "From: <sip:" + user + "@" + DOMAIN + ">;tag=udp\r\nTo: <sip:" + user + "@" + DOMAIN + ">\r\n"
                + "Call-ID: flow-udp-" + user + "-" + phone.port() + "\r\nCSeq: %d REGISTER\r\n"
                + contactHeader(contact, instance, regId)
                + "Supported: outbound\r\nExpires: " + expires + "\r\nMax-Forwards: 70\r\n%s\r\n";
        int cseq = CSEQ.addAndGet(2);
        phone.send(String.format(request, RawUa.branch(), cseq, ""));
        RawUa.Msg challenge = phone.await(m -> m.status() == 401, "the REGISTER's challenge");
        phone.send(String.format(request, RawUa.branch(), cseq + 1, authorization(challenge, user)));
        return phone.await(m -> m.status() >= 200 && m.header("CSeq").startsWith((cseq + 1) + " "), "the REGISTER's answer");
    }

    private static String authorization(RawUa.Msg challenge, String user) throws Exception {
        Matcher nonce = Pattern.compile("nonce=\"([^\"]+)\"").matcher(challenge.header("WWW-Authenticate"));
        Matcher realm = Pattern.compile("realm=\"([^\"]+)\"").matcher(challenge.header("WWW-Authenticate"));
        assertThat(nonce.find() && realm.find()).as(challenge.text()).isTrue();
        String ha1 = md5(user + ":" + realm.group(1) + ":pw-" + user);
        String ha2 = md5("REGISTER:sip:" + DOMAIN);
        return "Authorization: Digest username=\"" + user + "\",realm=\"" + realm.group(1) + "\",nonce=\"" + nonce.group(1)
                + "\",uri=\"sip:" + DOMAIN + "\",response=\"" + md5(ha1 + ":" + nonce.group(1) + ":" + ha2) + "\",algorithm=MD5\r\n";
    }

    private static String md5(String s) throws Exception {
        byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        return String.format("%032x", new BigInteger(1, d));
    }
}
