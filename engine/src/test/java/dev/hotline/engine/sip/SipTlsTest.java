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
import dev.hotline.engine.testing.TlsUa;
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
        TestCallHandler handler = new TestCallHandler(DOMAIN);
        engine = Engines.start(config, (domain, user) -> DOMAIN.equals(domain) && user.matches("[23]00[0-9]")
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

    /** A phone registered over TLS calls another one registered over TLS: INVITE, ACK and BYE over TLS both ways. */
    @Test
    void aTlsPhoneCallsATlsPhoneAndBothHangUp() throws Exception {
        try (TlsUa caller = new TlsUa(keyStore, keyStore, "secret", DOMAIN, tlsPort);
             TlsUa callee = new TlsUa(keyStore, keyStore, "secret", DOMAIN, tlsPort)) {
            assertThat(caller.register("3002", "pw-3002").getStatusCode()).isEqualTo(Response.OK);
            assertThat(callee.register("2002", "pw-2002").getStatusCode()).isEqualTo(Response.OK);
            CompletableFuture<TlsUa.Call> placed = CompletableFuture.supplyAsync(() -> {
                try {
                    return caller.call("3002", "pw-3002", "2002", sdp(4000));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            TlsUa.Incoming in = callee.invites.poll(15, TimeUnit.SECONDS);
            if (in == null && placed.isDone()) {
                placed.join(); // the caller's failure says more than a missing INVITE
            }
            assertThat(in).as("INVITE at the TLS phone").isNotNull();
            ViaHeader via = (ViaHeader) in.request().getHeader(ViaHeader.NAME);
            assertThat(via.getTransport()).isEqualToIgnoringCase("tls");
            assertThat(via.getPort()).isEqualTo(tlsPort);
            TlsUa.Call answered = callee.answer(in, "2002", sdp(4002));
            TlsUa.Call call = placed.get(15, TimeUnit.SECONDS);
            assertThat(call.answer().getStatusCode()).isEqualTo(Response.OK);
            assertThat(callee.acks.poll(10, TimeUnit.SECONDS)).as("ACK at the TLS phone").isNotNull();
            assertThat(caller.bye(call)).isEqualTo(Response.OK);
            assertThat(callee.byes.poll(10, TimeUnit.SECONDS)).as("BYE relayed to the TLS phone").isNotNull();
        }
    }

    static String sdp(int port) {
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";
    }
}
