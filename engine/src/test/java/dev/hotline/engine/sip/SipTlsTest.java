package dev.hotline.engine.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.Engines;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.Registration;
import dev.hotline.engine.call.SipAccount;
import dev.hotline.engine.call.SipTls;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.TestCallHandler;
import dev.hotline.engine.testing.RtpPeer;
import dev.hotline.engine.testing.TlsCalls;
import dev.hotline.engine.testing.TlsUa;
import dev.hotline.engine.call.SrtpMode;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.sdp.MediaDescription;
import dev.hotline.engine.sdp.Sdp;
import dev.hotline.engine.sdp.SdesCrypto;
import dev.hotline.engine.webrtc.SrtpContext;
import dev.hotline.engine.webrtc.SrtpProfile;
import java.net.InetSocketAddress;
import javax.sip.header.ContactHeader;
import java.util.concurrent.CompletableFuture;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TooManyListenersException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP over TLS (PBX-1, SEC-4): the engine listens for TLS on its own port with a self-signed certificate; the phone
 * is a JAIN-SIP stack of the test's own (Debian's SIPp has no TLS) that trusts the engine's key store file.
 */
class SipTlsTest {
    static final String DOMAIN = "tls.local";
    static final AtomicInteger STACKS = new AtomicInteger();

    @TempDir
    static Path dir;
    static Path keyStore;
    static TelephonyEngine engine;
    static TestCallHandler handler;
    static int tlsPort;

    @BeforeAll
    static void start() throws Exception {
        keyStore = dir.resolve("sip.p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "hotline", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "30", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass", "secret", "-keypass", "secret").redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        int port = Ports.free();
        tlsPort = Ports.free();
        int rtp = Ports.free(40);
        EngineConfig config = EngineConfig.defaults().withBind("127.0.0.1", port).withDefaultDomain(DOMAIN)
                .withRtpPorts(rtp, rtp + 39).withAuthThrottle(1000, Duration.ofMinutes(1), Duration.ofMinutes(1))
                .withTls(SipTls.on(tlsPort, keyStore, "secret", "PKCS12"));
        handler = new TestCallHandler(DOMAIN);
        // "carrier" calls as a trunk (trusted) whose SRTP setting is required; phones authenticate
        InboundPolicy policy = new InboundPolicy() {
            @Override
            public Decision admit(InviteSource s) {
                return "carrier".equals(s.fromUser()) ? Decision.TRUSTED : Decision.AUTHENTICATE;
            }

            @Override
            public SrtpMode srtp(InviteSource s) {
                return "carrier".equals(s.fromUser()) ? SrtpMode.REQUIRED : SrtpMode.OPTIONAL;
            }
        };
        engine = Engines.start(config, (domain, user) -> DOMAIN.equals(domain) && user.matches("[23]00[0-9]")
                ? Optional.of(new SipAccount("acct-" + user, "pw-" + user)) : Optional.empty(), policy, handler);
        handler.engine = engine;
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void aPhoneRegistersOverTlsWithDigestAndAWrongPasswordGets403() throws Exception {
        try (TlsUa phone = new TlsUa(keyStore, keyStore, "secret", DOMAIN, tlsPort)) {
            Response first = phone.sendRegister("3001", null, null);
            assertThat(first.getStatusCode()).isEqualTo(Response.UNAUTHORIZED);
            Response ok = phone.sendRegister("3001", first, "pw-3001");
            assertThat(ok.getStatusCode()).isEqualTo(Response.OK);
            List<Registration> regs = engine.locations().lookup(DOMAIN, "3001");
            assertThat(regs).hasSize(1);
            assertThat(regs.get(0).transport()).isEqualTo("tls");
            assertThat(regs.get(0).contact()).contains("transport=tls");

            Response again = phone.sendRegister("3001", null, null);
            Response bad = phone.sendRegister("3001", again, "wrong");
            assertThat(bad.getStatusCode()).isEqualTo(Response.FORBIDDEN);
        }
    }

    /**
     * A phone registered over TLS calls another one registered over TLS: INVITE, ACK and BYE over TLS both ways
     * (RFC 3261 §26.2, Via and Contact with transport=tls), and plain RTP relayed both ways. Then the callee hangs up
     * a second call.
     */
    @Test
    void aTlsPhoneCallsATlsPhoneWithRtpAndEitherHangsUp() throws Exception {
        try (TlsUa caller = new TlsUa(keyStore, keyStore, "secret", DOMAIN, tlsPort);
             TlsUa callee = new TlsUa(keyStore, keyStore, "secret", DOMAIN, tlsPort);
             RtpPeer a = new RtpPeer(0x1111);
             RtpPeer b = new RtpPeer(0x2222)) {
            assertThat(caller.register("3002", "pw-3002").getStatusCode()).isEqualTo(Response.OK);
            assertThat(callee.register("2002", "pw-2002").getStatusCode()).isEqualTo(Response.OK);
            TlsCalls.Connected c = TlsCalls.connect(caller, "3002", "pw-3002", "2002", callee, TlsCalls.sdp(a.port, false, null), offer -> TlsCalls.sdp(b.port, false, null));
            ViaHeader via = (ViaHeader) c.incoming().request().getHeader(ViaHeader.NAME);
            assertThat(via.getTransport()).isEqualToIgnoringCase("tls");
            assertThat(via.getPort()).isEqualTo(tlsPort);
            assertThat(c.incoming().request().getHeader(ContactHeader.NAME).toString()).contains("transport=tls");
            assertThat(c.offer().crypto()).as("best-effort SDES offer to a TLS phone").isPresent();
            assertThat(c.offer().savp()).isFalse();
            assertThat(c.answer().crypto()).as("plain RTP answered to a plain offer").isEmpty();
            TlsCalls.assertAudioBothWays(a, c.answer(), b, c.offer(), false);
            assertThat(caller.bye(c.call())).isEqualTo(Response.OK);
            assertThat(callee.byes.poll(10, TimeUnit.SECONDS)).as("BYE relayed to the TLS phone").isNotNull();

            TlsCalls.Connected again = TlsCalls.connect(caller, "3002", "pw-3002", "2002", callee, TlsCalls.sdp(a.port, false, null), offer -> TlsCalls.sdp(b.port, false, null));
            assertThat(callee.bye(again.answered())).isEqualTo(Response.OK);
            assertThat(caller.byes.poll(10, TimeUnit.SECONDS)).as("BYE relayed to the calling TLS phone").isNotNull();
        }
    }

    /**
     * SDES-SRTP (RFC 4568) on both TLS legs: the caller offers RTP/SAVP with its key, the engine answers with its own;
     * the engine offers the callee a best-effort key, which it answers with its key. Each leg has its own keys; the
     * engine decrypts and re-encrypts, and each phone decodes exactly the audio the other sent.
     */
    @Test
    void srtpWithSdesKeysOnBothTlsLegsCarriesTheAudio() throws Exception {
        try (TlsUa caller = new TlsUa(keyStore, keyStore, "secret", DOMAIN, tlsPort);
             TlsUa callee = new TlsUa(keyStore, keyStore, "secret", DOMAIN, tlsPort);
             RtpPeer a = new RtpPeer(0x3333);
             RtpPeer b = new RtpPeer(0x4444)) {
            assertThat(caller.register("3003", "pw-3003").getStatusCode()).isEqualTo(Response.OK);
            assertThat(callee.register("2003", "pw-2003").getStatusCode()).isEqualTo(Response.OK);
            SdesCrypto keyA = SdesCrypto.generate(1, SdesCrypto.AES_CM_128_HMAC_SHA1_80);
            SdesCrypto[] keyB = new SdesCrypto[1];
            TlsCalls.Connected c = TlsCalls.connect(caller, "3003", "pw-3003", "2003", callee, TlsCalls.sdp(a.port, true, keyA), offer -> {
                keyB[0] = offer.crypto().orElseThrow().answer();
                return TlsCalls.sdp(b.port, false, keyB[0]);
            });
            assertThat(c.answer().savp()).isTrue();
            SdesCrypto engineToA = c.answer().crypto(1).orElseThrow();
            SdesCrypto engineToB = c.offer().crypto().orElseThrow();
            assertThat(engineToA.key()).isNotEqualTo(keyA.key()).isNotEqualTo(engineToB.key());
            SrtpContext aIn = TlsCalls.context(engineToA);
            a.secure(aIn, TlsCalls.context(keyA));
            b.secure(TlsCalls.context(engineToB), TlsCalls.context(keyB[0]));
            TlsCalls.assertAudioBothWays(a, c.answer(), b, c.offer(), true);
            // a packet protected with another key fails authentication and is not relayed (RFC 3711 §3.3)
            InetSocketAddress engineA = new InetSocketAddress(c.answer().address(), c.answer().port());
            a.secure(aIn, TlsCalls.context(SdesCrypto.generate(1, SdesCrypto.AES_CM_128_HMAC_SHA1_80)));
            a.send(engineA, 800, TlsCalls.payload(800));
            a.secure(aIn, TlsCalls.context(keyA));
            a.send(engineA, 900, TlsCalls.payload(900));
            assertThat(b.receive(Duration.ofSeconds(5))).isEqualTo(TlsCalls.payload(900));
            assertThat(caller.bye(c.call())).isEqualTo(Response.OK);
            assertThat(callee.byes.poll(10, TimeUnit.SECONDS)).isNotNull();
        }
    }

    /** A TLS trunk with SRTP required: the INVITE goes to the carrier over TLS with RTP/SAVP and a key. */
    @Test
    void aTlsTrunkGetsItsInviteOverTlsWithSrtpRequired() throws Exception {
        try (TlsUa phone = new TlsUa(keyStore, keyStore, "secret", DOMAIN, tlsPort);
             TlsUa carrier = new TlsUa(keyStore, keyStore, "secret", DOMAIN, tlsPort);
             RtpPeer a = new RtpPeer(0x5555);
             RtpPeer b = new RtpPeer(0x6666)) {
            handler.targets.put("9001", new Target.Uri("0101234567", "127.0.0.1", carrier.port, "tls",
                    new Target.TrunkAccount("trunk-tls", null, null), SrtpMode.REQUIRED));
            assertThat(phone.register("3004", "pw-3004").getStatusCode()).isEqualTo(Response.OK);
            SdesCrypto[] keyB = new SdesCrypto[1];
            TlsCalls.Connected c = TlsCalls.connect(phone, "3004", "pw-3004", "9001", carrier, TlsCalls.sdp(a.port, false, null), offer -> {
                keyB[0] = offer.crypto().orElseThrow().answer();
                return TlsCalls.sdp(b.port, true, keyB[0]);
            });
            assertThat(((SipURI) c.incoming().request().getRequestURI()).getTransportParam()).isEqualToIgnoringCase("tls");
            assertThat(((ViaHeader) c.incoming().request().getHeader(ViaHeader.NAME)).getTransport()).isEqualToIgnoringCase("tls");
            assertThat(c.offer().savp()).as("RTP/SAVP to a trunk requiring SRTP").isTrue();
            b.secure(TlsCalls.context(c.offer().crypto().orElseThrow()), TlsCalls.context(keyB[0]));
            TlsCalls.assertAudioBothWays(a, c.answer(), b, c.offer(), false);
            assertThat(phone.bye(c.call())).isEqualTo(Response.OK);
            assertThat(carrier.byes.poll(10, TimeUnit.SECONDS)).isNotNull();

            // the carrier answers without a key: the call cannot be SRTP and fails
            CompletableFuture<TlsUa.Call> placed = TlsCalls.place(phone, "3004", "pw-3004", "9001", TlsCalls.sdp(a.port, false, null));
            TlsUa.Incoming in = carrier.invites.poll(15, TimeUnit.SECONDS);
            assertThat(in).isNotNull();
            carrier.answer(in, "carrier", TlsCalls.sdp(b.port, false, null));
            assertThat(carrier.byes.poll(10, TimeUnit.SECONDS)).as("plain answer to RTP/SAVP ended").isNotNull();
            assertThat(placed.get(15, TimeUnit.SECONDS).answer().getStatusCode()).isGreaterThanOrEqualTo(400);
        } finally {
            handler.targets.clear();
        }
    }

    /** A carrier whose trunk requires SRTP sends an INVITE with plain RTP: 488 (RFC 4568 §7.1.2). */
    @Test
    void aPlainOfferFromATrunkRequiringSrtpIsRefused488() throws Exception {
        try (TlsUa carrier = new TlsUa(keyStore, keyStore, "secret", DOMAIN, tlsPort)) {
            TlsUa.Call refused = carrier.call("carrier", null, "3001", TlsCalls.sdp(40000, false, null));
            assertThat(refused.answer().getStatusCode()).isEqualTo(Response.NOT_ACCEPTABLE_HERE);
            TlsUa.Call savpNoKey = carrier.call("carrier", null, "3001",
                    TlsCalls.sdp(40000, true, null));
            assertThat(savpNoKey.answer().getStatusCode()).isEqualTo(Response.NOT_ACCEPTABLE_HERE);
        }
    }

}
