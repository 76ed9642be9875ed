package dev.hotline.engine.sip;

import dev.hotline.engine.Engines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.DialogInfo;
import dev.hotline.engine.call.Direction;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.SipAccount;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.call.LegCounters;
import dev.hotline.engine.call.PresencePolicy;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.RawUa;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.engine.testing.TestCallHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine in-process against SIPp peers over 127.0.0.1. */
class SippCallsTest {
    static final String DOMAIN = "test.local";
    static final Map<String, String> PASSWORDS = Map.of("1001", "pw-1001", "2001", "pw-2001", "2002", "pw-2002", "2003", "pw-2003");
    static final Duration SIPP_TIMEOUT = Duration.ofSeconds(40);
    /** A private address (RFC 1918) where nothing answers: only a flow the phone opened reaches it. */
    static final String UNREACHABLE = "10.255.255.1:5060";

    static TelephonyEngine engine;
    static TestCallHandler handler;
    static int port;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path work;

    @BeforeAll
    static void startEngine() throws Exception {
        Sipp.binary(); // fails with the install hint when SIPp is missing
        port = Ports.free();
        int rtp = Ports.free(400);
        handler = new TestCallHandler(DOMAIN);
        EngineConfig config = EngineConfig.defaults().withBind("127.0.0.1", port).withDefaultDomain(DOMAIN)
                .withRtpPorts(rtp, rtp + 399).withAuthThrottle(1000, Duration.ofMinutes(1), Duration.ofMinutes(1))
                .withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(1800));
        InboundPolicy policy = s -> s.fromUser() != null && s.fromUser().matches("[12]\\d{3}")
                ? InboundPolicy.Decision.AUTHENTICATE : InboundPolicy.Decision.TRUSTED;
        engine = Engines.start(config,
                (domain, user) -> DOMAIN.equals(domain) && PASSWORDS.containsKey(user)
                        ? Optional.of(new SipAccount("acct-" + user, PASSWORDS.get(user))) : Optional.empty(),
                policy, handler);
        handler.engine = engine;
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @BeforeEach
    void reset() {
        handler.clear();
    }

    private String remote() {
        return "127.0.0.1:" + port;
    }

    private static Map<String, String> vars(String... kv) {
        Map<String, String> m = Sipp.vars(kv);
        m.putIfAbsent("ENGINE", "127.0.0.1:" + port);
        return m;
    }

    private Sipp.Run uas(String scenario, int sipPort, Map<String, String> vars) throws Exception {
        int media = Ports.free(4);
        Sipp.Run run = Sipp.start(work, scenario, vars, null, sipPort, List.of("-rtp_echo", "-mp", Integer.toString(media)));
        Sipp.awaitUdpBound(sipPort);
        return run;
    }

    private Sipp.Run uac(String scenario, String service, Map<String, String> vars, String... extra) throws Exception {
        int media = Ports.free(4);
        List<String> args = new java.util.ArrayList<>(List.of("-s", service, "-mp", Integer.toString(media)));
        args.addAll(List.of(extra));
        return Sipp.start(work, scenario, vars, remote(), Ports.free(), args);
    }

    private static void assertOk(Sipp.Run run) {
        int code = run.await(SIPP_TIMEOUT);
        assertThat(code).as(run.logs()).isZero();
    }

    private void register(String user, String password, int contactPort, int expires, String expect) throws Exception {
        Sipp.Run reg = Sipp.start(work, "register", vars("EXPECT", expect, "EXPIRES", Integer.toString(expires)), remote(),
                Ports.free(), List.of("-s", user, "-au", user, "-ap", password, "-set", "contactport", Integer.toString(contactPort)));
        assertOk(reg);
    }

    @Test
    void registerWithGoodAndBadPasswordThenUnregister() throws Exception {
        int contact = Ports.free();
        register("2001", "pw-2001", contact, 600, "200");
        assertThat(engine.locations().lookup(DOMAIN, "2001")).singleElement()
                .satisfies(r -> {
                    assertThat(r.accountKey()).isEqualTo("acct-2001");
                    assertThat(r.contact()).contains(":" + contact);
                });
        register("2001", "wrong", contact, 600, "403");
        register("1001", "pw-1001", Ports.free(), 600, "200");
        assertThat(engine.locations().isRegistered(DOMAIN, "1001")).isTrue();
        register("2001", "pw-2001", contact, 0, "200");
        assertThat(engine.locations().isRegistered(DOMAIN, "2001")).isFalse();
    }

    @Test
    void registerOverTcp() throws Exception {
        int contact = Ports.free();
        Sipp.Run reg = Sipp.start(work, "register", vars("EXPECT", "200", "EXPIRES", "600"), remote(), Ports.free(),
                List.of("-t", "t1", "-s", "1001", "-au", "1001", "-ap", "pw-1001", "-set", "contactport", Integer.toString(contact)));
        assertOk(reg);
        assertThat(engine.locations().lookup(DOMAIN, "1001")).anySatisfy(r -> assertThat(r.transport()).isEqualTo("tcp"));
    }

    /**
     * PBX-1: a UDP phone behind a NAT (RFC 3581): its Contact (REGISTER and 200 OK) names a private address where nobody
     * listens, its requests come from its NAT's public address (here its own socket). The INVITE, the ACK and the BYE
     * reach it there.
     */
    @Test
    void aUdpPhoneBehindANatIsCalledWhereItsRegisterCameFrom() throws Exception {
        String privateContact = "sip:2001@192.168.77.10:5060";
        try (RawUa phone = new RawUa(port).contactAs(privateContact)) {
            assertThat(registerBehindNat(phone, privateContact, 1, 600).status()).isEqualTo(200);
            assertThat(engine.locations().lookup(DOMAIN, "2001")).singleElement().satisfies(r -> {
                assertThat(r.contact()).isEqualTo(privateContact);
                assertThat(r.natAddress()).isEqualTo(new java.net.InetSocketAddress("127.0.0.1", phone.port()));
            });
            try {
                Sipp.Run caller = uac("uac_call", "2001", vars("FROM", "1001", "PAUSE", "1000"), "-au", "1001", "-ap", "pw-1001");
                RawUa.Msg invite = phone.await(m -> m.isRequest("INVITE"), "the INVITE at the NAT's public address");
                assertThat(invite.firstLine()).startsWith("INVITE " + privateContact);
                phone.respond(invite, 200, "OK", "natphone", null, RawUa.sdp(Ports.free()));
                phone.await(m -> m.isRequest("ACK"), "the ACK at the NAT's public address");
                RawUa.Msg bye = phone.await(m -> m.isRequest("BYE"), "the BYE at the NAT's public address");
                phone.respond(bye, 200, "OK", null, null, null);
                assertOk(caller);
            } finally {
                registerBehindNat(phone, privateContact, 3, 0); // no binding left for the other tests
            }
        }
    }

    /** PBX-1: a UDP caller behind a NAT (private Via and Contact, rport): the callee's BYE reaches it where its INVITE came from. */
    @Test
    void aUdpCallerBehindANatGetsTheByeWhereItsInviteCameFrom() throws Exception {
        int uasPort = Ports.free();
        handler.routes.put("9013", uasPort);
        Sipp.Run callee = uas("uas_bye", uasPort, vars("PAUSE", "500"));
        String privateContact = "sip:13500000013@192.168.77.11:5060";
        try (RawUa caller = new RawUa(port).contactAs(privateContact)) {
            String dialog = "From: <sip:13500000013@192.168.77.11>;tag=natcaller\r\nCall-ID: nat-caller-" + caller.port() + "\r\n";
            caller.send("INVITE sip:9013@" + DOMAIN + " SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.77.11:5060;rport;branch=" + RawUa.branch() + "\r\n"
                    + dialog + "To: <sip:9013@" + DOMAIN + ">\r\nCSeq: 1 INVITE\r\nContact: <" + privateContact + ">\r\nMax-Forwards: 70\r\n"
                    + "Content-Type: application/sdp\r\n\r\n" + RawUa.sdp(Ports.free()));
            RawUa.Msg ok = caller.await(m -> m.status() >= 200 && m.header("CSeq").endsWith("INVITE"), "the answer to the INVITE");
            assertThat(ok.status()).as(ok.text()).isEqualTo(200);
            String target = ok.header("Contact").replaceAll("^.*<([^>]+)>.*$", "$1");
            caller.send("ACK " + target + " SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.77.11:5060;rport;branch=" + RawUa.branch() + "\r\n"
                    + dialog + "To: " + ok.header("To") + "\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\n\r\n");
            RawUa.Msg bye = caller.await(m -> m.isRequest("BYE"), "the callee's BYE at the NAT's public address");
            assertThat(bye.firstLine()).startsWith("BYE " + privateContact);
            caller.respond(bye, 200, "OK", null, null, null);
        }
        assertOk(callee);
    }

    /** Lets any subscriber watch any user, whose dialogs are always idle: the NAT subscription tests need nothing more. */
    static PresencePolicy natPresence() {
        return new PresencePolicy() {
            @Override
            public Decision watch(String subscriber, String domain, String user) {
                return new Decision.Allowed("nat:" + user, List.of());
            }

            @Override
            public List<DialogInfo> now(String resource) {
                return List.of();
            }
        };
    }

    /** PBX-1 / PBX-8: the NOTIFYs of a subscriber behind a NAT (private Via and Contact, rport) reach it where it sent from. */
    @Test
    void aSubscriberBehindANatGetsItsNotifiesWhereItSentFrom() throws Exception {
        engine.presence().policy(natPresence());
        try {
            assertOk(uac("uac_blf_nat", "2002", vars("FROM", "1001", "PRIVATE", "10.20.30.40:5060"), "-au", "1001", "-ap", PASSWORDS.get("1001")));
        } finally {
            engine.presence().policy(null);
        }
    }

    /**
     * PBX-1 (RFC 5626 §5.3 / RFC 5923 connection reuse): a phone behind a NAT registers over one TCP connection (SIPp
     * -t t1), its Via and Contact naming 10.255.255.1:5060, where nothing can be reached. The INVITE, the ACK and the BYE
     * of a call to it come over that connection (SIPp's out-of-call scenario answers them on it); it unregisters last.
     */
    @Test
    void aTcpPhoneBehindANatIsCalledOverTheConnectionItRegisteredOn() throws Exception {
        Map<String, String> v = vars("PRIVATE", UNREACHABLE, "SERVICE", "2003");
        Path answer = Sipp.scenarioFile(work, "phone_nat_answer", "phone_nat_answer-2003", v);
        Sipp.Run phone = Sipp.start(work, "phone_nat_register", v, remote(), Ports.free(), List.of("-t", "t1", "-s", "2003",
                "-au", "2003", "-ap", PASSWORDS.get("2003"), "-oocsf", answer.toString(), "-mp", Integer.toString(Ports.free(4))));
        try {
            await("2003 registered over TCP").atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(engine.locations().lookup(DOMAIN, "2003")).singleElement().satisfies(r -> {
                        assertThat(r.contact()).isEqualToIgnoringCase("sip:2003@" + UNREACHABLE + ";transport=tcp");
                        assertThat(r.transport()).isEqualTo("tcp");
                    }));
            Sipp.Run caller = uac("uac_call", "2003", vars("FROM", "1001", "PAUSE", "1000"), "-au", "1001", "-ap", "pw-1001");
            assertOk(caller);
            assertOk(phone);
            String target = "sip:2003@" + UNREACHABLE + ";transport=tcp sip/2.0";
            assertThat(phone.messages().toLowerCase(java.util.Locale.ROOT)).contains("invite " + target, "ack " + target, "bye " + target);
            assertThat(engine.locations().isRegistered(DOMAIN, "2003")).isFalse();
        } finally {
            phone.kill();
        }
    }

    /**
     * PBX-1: a phone that registered over TCP and closed that connection (SIPp's REGISTER run ended) is called at its
     * Contact, over a new TCP connection to it: the flow is only used while it is open.
     */
    @Test
    void aTcpPhoneWhoseConnectionClosedIsCalledAtItsContact() throws Exception {
        int contact = Ports.free();
        Sipp.Run reg = Sipp.start(work, "register", vars("EXPECT", "200", "EXPIRES", "600"), remote(), Ports.free(),
                List.of("-t", "t1", "-s", "2003", "-au", "2003", "-ap", PASSWORDS.get("2003"), "-set", "contactport", Integer.toString(contact)));
        assertOk(reg);
        var registration = engine.locations().lookup(DOMAIN, "2003").get(0);
        assertThat(registration.transport()).isEqualTo("tcp");
        await("the engine closed the REGISTER's connection").atMost(Duration.ofSeconds(10))
                .until(() -> !tcpConnectionOpen(port, registration.source().getPort()));
        try {
            Sipp.Run callee = Sipp.start(work, "uas_answer", vars(), null, contact,
                    List.of("-t", "t1", "-rtp_echo", "-mp", Integer.toString(Ports.free(4))));
            Sipp.awaitTcpBound(contact);
            Sipp.Run caller = uac("uac_call", "2003", vars("FROM", "1001", "PAUSE", "500"), "-au", "1001", "-ap", "pw-1001");
            assertOk(caller);
            assertOk(callee);
            assertThat(callee.messages()).contains("TCP message received").containsIgnoringCase("INVITE sip:2003@127.0.0.1:" + contact);
        } finally {
            register("2003", "pw-2003", contact, 0, "200");
        }
    }

    /** Whether the TCP connection from 127.0.0.1:{@code localPort} to port {@code remotePort} is still up on our side (Linux). */
    private static boolean tcpConnectionOpen(int localPort, int remotePort) throws Exception {
        List<String> lines = java.nio.file.Files.readAllLines(Path.of("/proc/net/tcp"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
            int rem = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
            if (local == localPort && rem == remotePort && (f[3].equals("01") || f[3].equals("08"))) { // ESTABLISHED, CLOSE_WAIT
                return true;
            }
        }
        return false;
    }

    /** PBX-1: a TCP caller behind a NAT (private Via and Contact): the callee's BYE reaches it over its INVITE's connection. */
    @Test
    void aTcpCallerBehindANatGetsTheByeOverItsInvitesConnection() throws Exception {
        int uasPort = Ports.free();
        handler.routes.put("9014", uasPort);
        Sipp.Run callee = uas("uas_bye", uasPort, vars("PAUSE", "500"));
        Sipp.Run caller = uac("uac_nat_wait_bye", "9014", vars("FROM", "13500000014", "PRIVATE", UNREACHABLE), "-t", "t1");
        assertOk(caller);
        assertOk(callee);
        assertThat(caller.messages()).containsIgnoringCase("BYE sip:13500000014@" + UNREACHABLE + ";transport=tcp SIP/2.0");
    }

    /** PBX-1 / PBX-8: the NOTIFYs of a TCP subscriber behind a NAT (private Via and Contact) come over its connection. */
    @Test
    void aTcpSubscriberBehindANatGetsItsNotifiesOverItsConnection() throws Exception {
        engine.presence().policy(natPresence());
        try {
            assertOk(uac("uac_blf_nat", "2002", vars("FROM", "1001", "PRIVATE", UNREACHABLE), "-t", "t1",
                    "-au", "1001", "-ap", PASSWORDS.get("1001")));
        } finally {
            engine.presence().policy(null);
        }
    }

    /** 2001 registers {@code contact} from {@code phone}'s socket with digest (its Via names the private address, with rport). */
    private static RawUa.Msg registerBehindNat(RawUa phone, String contact, int cseq, int expires) throws Exception {
        String register = "REGISTER sip:" + DOMAIN + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.168.77.10:5060;rport;branch=%s\r\n"
                + "From: <sip:2001@" + DOMAIN + ">;tag=nat1\r\nTo: <sip:2001@" + DOMAIN + ">\r\n"
                + "Call-ID: nat-register-" + phone.port() + "\r\nCSeq: %d REGISTER\r\n"
                + "Contact: <" + contact + ">\r\nExpires: " + expires + "\r\nMax-Forwards: 70\r\n%s\r\n";
        phone.send(String.format(register, RawUa.branch(), cseq, ""));
        RawUa.Msg challenge = phone.await(m -> m.status() == 401, "the REGISTER's challenge");
        java.util.regex.Matcher nonce = java.util.regex.Pattern.compile("nonce=\"([^\"]+)\"").matcher(challenge.header("WWW-Authenticate"));
        java.util.regex.Matcher realm = java.util.regex.Pattern.compile("realm=\"([^\"]+)\"").matcher(challenge.header("WWW-Authenticate"));
        assertThat(nonce.find() && realm.find()).as(challenge.text()).isTrue();
        String ha1 = md5("2001:" + realm.group(1) + ":pw-2001");
        String ha2 = md5("REGISTER:sip:" + DOMAIN);
        phone.send(String.format(register, RawUa.branch(), cseq + 1, "Authorization: Digest username=\"2001\",realm=\"" + realm.group(1)
                + "\",nonce=\"" + nonce.group(1) + "\",uri=\"sip:" + DOMAIN + "\",response=\"" + md5(ha1 + ":" + nonce.group(1) + ":" + ha2)
                + "\",algorithm=MD5\r\n"));
        RawUa.Msg answer = phone.await(m -> m.status() >= 200 && m.header("CSeq").startsWith((cseq + 1) + " "), "the REGISTER's answer");
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer;
    }

    private static String md5(String s) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return String.format("%032x", new java.math.BigInteger(1, d));
    }

    @Test
    void extensionCallsExtensionWithAnchoredTranscodedMedia() throws Exception {
        int uasPort = Ports.free();
        register("2002", "pw-2002", uasPort, 600, "200");
        // Callee answers μ-law, caller sends A-law: the relay transcodes both ways.
        Sipp.Run callee = uas("uas_answer", uasPort, vars("CODEC", "0", "CODECNAME", "PCMU"));
        Sipp.Run caller = uac("uac_call", "2002", vars("FROM", "1001", "PAUSE", "2000"), "-au", "1001", "-ap", "pw-1001");
        assertOk(caller);
        assertOk(callee);
        CallEvent.IncomingCall in = handler.lastIncoming();
        assertThat(in.trusted()).isFalse();
        assertThat(in.accountKey()).contains("acct-1001");
        assertThat(in.callee().user()).isEqualTo("2002");
        Channel inbound = in.channel();
        Channel outbound = handler.channels.values().stream().filter(c -> c.direction() == Direction.OUTBOUND).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> inbound.state() == ChannelState.TERMINATED
                && outbound.state() == ChannelState.TERMINATED);
        LegCounters a = inbound.counters();
        LegCounters b = outbound.counters();
        assertThat(a.packetsIn()).as("caller -> engine").isPositive();
        assertThat(b.packetsOut()).as("engine -> callee").isPositive();
        assertThat(b.packetsIn()).as("callee echo -> engine").isPositive();
        assertThat(a.packetsOut()).as("engine -> caller").isPositive();
        assertThat(handler.hangupsOf(inbound.id())).singleElement()
                .extracting(CallEvent.ChannelHungUp::cause).isEqualTo(HangupCause.NORMAL_CLEARING);
        assertThat(handler.events(CallEvent.ChannelBridged.class)).hasSize(1);
    }

    @Test
    void callerCancelsBeforeAnswer() throws Exception {
        int uasPort = Ports.free();
        handler.routes.put("9001", uasPort);
        Sipp.Run callee = uas("uas_ring_cancel", uasPort, vars());
        Sipp.Run caller = uac("uac_cancel", "9001", vars());
        assertOk(caller);
        assertOk(callee);
        String inId = handler.lastIncoming().channelId();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(handler.hangupsOf(inId)).singleElement()
                .extracting(CallEvent.ChannelHungUp::cause).isEqualTo(HangupCause.ORIGINATOR_CANCEL));
    }

    @Test
    void calleeBusyIsPassedThrough() throws Exception {
        int uasPort = Ports.free();
        handler.routes.put("9002", uasPort);
        Sipp.Run callee = uas("uas_reject", uasPort, vars("CODE", "486"));
        Sipp.Run caller = uac("uac_fail", "9002", vars("CODE", "486"));
        assertOk(caller);
        assertOk(callee);
        String inId = handler.lastIncoming().channelId();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(handler.hangupsOf(inId)).singleElement()
                .extracting(CallEvent.ChannelHungUp::cause).isEqualTo(HangupCause.USER_BUSY));
    }

    @Test
    void byeFromCallee() throws Exception {
        int uasPort = Ports.free();
        handler.routes.put("9003", uasPort);
        Sipp.Run callee = uas("uas_bye", uasPort, vars("PAUSE", "500"));
        Sipp.Run caller = uac("uac_wait_bye", "9003", vars());
        assertOk(callee);
        assertOk(caller);
        String inId = handler.lastIncoming().channelId();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(handler.hangupsOf(inId)).singleElement()
                .extracting(CallEvent.ChannelHungUp::cause).isEqualTo(HangupCause.NORMAL_CLEARING));
    }

    @Test
    void trunkCallCarriesTheChosenCallerId() throws Exception {
        int uasPort = Ports.free();
        handler.routes.put("8001", uasPort);
        // The UAS fails the call unless its From carries the caller id chosen by the handler.
        Sipp.Run callee = uas("uas_answer", uasPort, vars("FROMCHECK", "sip:5551234@"));
        Sipp.Run caller = uac("uac_call", "8001", vars("PAUSE", "300"));
        assertOk(caller);
        assertOk(callee);
        assertThat(handler.lastIncoming().trusted()).isTrue();
    }

    @Test
    void blacklistedCallerGets603() throws Exception {
        Sipp.Run caller = uac("uac_fail", "9004", vars("FROM", "666", "CODE", "603"));
        assertOk(caller);
    }

    @Test
    void unregisteredExtensionGets480AndUnknownNumber404() throws Exception {
        assertOk(uac("uac_fail", "2999", vars("CODE", "480")));
        assertOk(uac("uac_fail", "7777", vars("CODE", "404")));
        String inId = handler.events(CallEvent.IncomingCall.class).get(0).channelId();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(handler.hangupsOf(inId)).singleElement()
                .extracting(CallEvent.ChannelHungUp::cause).isEqualTo(HangupCause.SUBSCRIBER_ABSENT));
    }

    @Test
    void noAnswerTimeoutCancelsTheCalleeAndGives480() throws Exception {
        int uasPort = Ports.free();
        handler.routes.put("9501", uasPort);
        Sipp.Run callee = uas("uas_ring_cancel", uasPort, vars());
        Sipp.Run caller = uac("uac_fail", "9501", vars("CODE", "480"));
        assertOk(caller);
        assertOk(callee);
    }

    @Test
    void holdAndResumeByReInvite() throws Exception {
        int uasPort = Ports.free();
        handler.routes.put("9005", uasPort);
        Sipp.Run callee = uas("uas_answer", uasPort, vars());
        Sipp.Run caller = uac("uac_hold", "9005", vars());
        assertOk(caller);
        assertOk(callee);
        String inId = handler.lastIncoming().channelId();
        assertThat(handler.events(CallEvent.ChannelHold.class)).filteredOn(h -> h.channelId().equals(inId))
                .extracting(CallEvent.ChannelHold::held).containsExactly(true, false);
    }

    @Test
    void blindTransferByRefer() throws Exception {
        int bPort = Ports.free();
        int cPort = Ports.free();
        handler.routes.put("9006", bPort);
        handler.routes.put("9007", cPort);
        Sipp.Run b = uas("uas_refer", bPort, vars("REFERTO", "9007"));
        Sipp.Run c = uas("uas_bye", cPort, vars("PAUSE", "500"));
        Sipp.Run a = uac("uac_wait_bye", "9006", vars());
        assertOk(b);
        assertOk(c);
        assertOk(a);
        assertThat(handler.events(CallEvent.TransferRequested.class)).singleElement()
                .satisfies(t -> assertThat(t.referTo().user()).isEqualTo("9007"));
        assertThat(handler.events(CallEvent.TransferCompleted.class)).singleElement()
                .extracting(CallEvent.TransferCompleted::sipStatus).isEqualTo(200);
    }

    @Test
    void attendedTransferByReferWithReplaces() throws Exception {
        try (dev.hotline.engine.testing.RawUa b = new dev.hotline.engine.testing.RawUa(port)) {
            int cPort = Ports.free();
            handler.routes.put("9020", b.port());
            handler.routes.put("9021", cPort);
            Sipp.Run c = uas("uas_bye", cPort, vars("PAUSE", "800"));
            Sipp.Run a = uac("uac_wait_bye", "9020", vars());
            // Dialog 1: the engine calls B on behalf of A.
            var inv1 = b.await(m -> m.isRequest("INVITE"), "INVITE from the engine");
            b.respond(inv1, 200, "OK", "b1", null, dev.hotline.engine.testing.RawUa.sdp(Ports.free(2)));
            b.await(m -> m.isRequest("ACK"), "ACK of dialog 1");
            // Dialog 2: B consults C through the engine.
            String d2 = "consult-" + java.util.UUID.randomUUID();
            b.send("INVITE sip:9021@127.0.0.1:" + port + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + b.port() + ";branch=" + dev.hotline.engine.testing.RawUa.branch() + "\r\n"
                    + "From: <sip:0999@127.0.0.1>;tag=b2\r\nTo: <sip:9021@127.0.0.1>\r\nCall-ID: " + d2 + "\r\n"
                    + "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContact: <sip:b@127.0.0.1:" + b.port() + ">\r\n"
                    + "Content-Type: application/sdp\r\n\r\n" + dev.hotline.engine.testing.RawUa.sdp(Ports.free(2)));
            var ok2 = b.await(m -> m.status() == 200 && d2.equals(m.header("Call-ID")), "200 of dialog 2");
            String engineTag = ok2.tag("To");
            b.send("ACK sip:127.0.0.1:" + port + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + b.port() + ";branch=" + dev.hotline.engine.testing.RawUa.branch() + "\r\n"
                    + "From: <sip:0999@127.0.0.1>;tag=b2\r\nTo: " + ok2.header("To") + "\r\nCall-ID: " + d2 + "\r\n"
                    + "CSeq: 1 ACK\r\nMax-Forwards: 70\r\n\r\n");
            // REFER on dialog 1 with Replaces naming dialog 2 (RFC 3891 §3: to-tag is the engine's tag there).
            String callId1 = inv1.header("Call-ID");
            b.send("REFER sip:127.0.0.1:" + port + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + b.port() + ";branch=" + dev.hotline.engine.testing.RawUa.branch() + "\r\n"
                    + "From: " + inv1.header("To") + ";tag=b1\r\nTo: " + inv1.header("From") + "\r\n"
                    + "Call-ID: " + callId1 + "\r\nCSeq: 5 REFER\r\nMax-Forwards: 70\r\n"
                    + "Contact: <sip:b@127.0.0.1:" + b.port() + ">\r\n"
                    + "Refer-To: <sip:9021@127.0.0.1?Replaces=" + d2 + "%3Bto-tag%3D" + engineTag + "%3Bfrom-tag%3Db2>\r\n\r\n");
            assertThat(b.await(m -> m.status() > 0 && m.header("CSeq").contains("REFER"), "REFER answer").status()).isEqualTo(202);
            boolean notified = false;
            boolean bye1 = false;
            boolean bye2 = false;
            while (!(notified && bye1 && bye2)) {
                var req = b.await(m -> m.status() == 0, "NOTIFY and BYEs");
                b.respond(req, 200, "OK", null, null, null);
                if (req.isRequest("NOTIFY") && req.body().contains("SIP/2.0 200")) {
                    notified = true;
                } else if (req.isRequest("BYE")) {
                    if (callId1.equals(req.header("Call-ID"))) {
                        bye1 = true;
                    } else if (d2.equals(req.header("Call-ID"))) {
                        bye2 = true;
                    }
                }
            }
            assertOk(c);
            assertOk(a);
            assertThat(handler.events(CallEvent.TransferRequested.class)).singleElement()
                    .satisfies(t -> assertThat(t.replacesChannelId()).isPresent());
            String aId = handler.events(CallEvent.IncomingCall.class).get(0).channelId();
            assertThat(handler.events(CallEvent.ChannelBridged.class)).anySatisfy(br -> assertThat(br.channelId()).isEqualTo(aId));
            assertThat(handler.events(CallEvent.TransferCompleted.class)).singleElement()
                    .extracting(CallEvent.TransferCompleted::sipStatus).isEqualTo(200);
        }
    }

    /**
     * PBX-8 (RFC 4235): the watched phone answers a call while a subscription to it is being made, after the policy gave
     * the subscription its first state and before the subscription is in place; that change found nobody watching. The
     * subscriber still gets it: the first NOTIFY shows the resource idle, the next one the confirmed dialog.
     */
    @Test
    void aDialogThatChangesWhileASubscriptionIsMadeIsNotifiedOnceTheSubscriptionIsInPlace() throws Exception {
        DialogInfo talking = new DialogInfo("race-1", DialogInfo.State.CONFIRMED, DialogInfo.Role.RECIPIENT, "13900000001");
        java.util.concurrent.atomic.AtomicReference<List<DialogInfo>> state = new java.util.concurrent.atomic.AtomicReference<>(List.of());
        engine.presence().policy(new PresencePolicy() {
            @Override
            public Decision watch(String subscriber, String domain, String user) {
                Decision idle = new Decision.Allowed("race:" + user, state.get());
                state.set(List.of(talking));
                engine.presence().update("race:" + user, state.get()); // nobody watches yet: not sent
                return idle;
            }

            @Override
            public List<DialogInfo> now(String resource) {
                return state.get();
            }
        });
        try {
            assertOk(uac("uac_blf_race", "2001", vars("FROM", "1001", "WATCHED", "2001"), "-au", "1001", "-ap", PASSWORDS.get("1001")));
        } finally {
            engine.presence().policy(null);
        }
    }
}
