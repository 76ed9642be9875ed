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
        engine = Engines.start(config, (domain, user) -> DOMAIN.equals(domain) && user.equals("3001")
                ? Optional.of(new SipAccount("acct-3001", "pw-3001")) : Optional.empty(),
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
        try (TlsPhone phone = new TlsPhone()) {
            Response first = phone.register("3001", null);
            assertThat(first.getStatusCode()).isEqualTo(Response.UNAUTHORIZED);
            Response ok = phone.register("3001", digest(first, "3001", "pw-3001"));
            assertThat(ok.getStatusCode()).isEqualTo(Response.OK);
            List<Registration> regs = engine.locations().lookup(DOMAIN, "3001");
            assertThat(regs).hasSize(1);
            assertThat(regs.get(0).transport()).isEqualTo("tls");
            assertThat(regs.get(0).contact()).contains("transport=tls");

            Response again = phone.register("3001", null);
            Response bad = phone.register("3001", digest(again, "3001", "wrong"));
            assertThat(bad.getStatusCode()).isEqualTo(Response.FORBIDDEN);
        }
    }

    private String[] digest(Response challenge, String user, String password) throws Exception {
        WWWAuthenticateHeader w = (WWWAuthenticateHeader) challenge.getHeader(WWWAuthenticateHeader.NAME);
        String uri = "sip:" + DOMAIN;
        String ha1 = md5(user + ":" + w.getRealm() + ":" + password);
        String ha2 = md5("REGISTER:" + uri);
        return new String[] {user, w.getRealm(), w.getNonce(), uri, md5(ha1 + ":" + w.getNonce() + ":" + ha2)};
    }

    private static String md5(String s) throws Exception {
        byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        return String.format("%032x", new BigInteger(1, d));
    }

    /** A phone speaking SIP over TLS only, trusting the engine's self-signed certificate. */
    final class TlsPhone implements SipListener, AutoCloseable {
        final SipStack stack;
        final SipProvider provider;
        final HeaderFactory hf;
        final AddressFactory af;
        final MessageFactory mf;
        final int port = Ports.free();
        final BlockingQueue<Response> responses = new LinkedBlockingQueue<>();
        long cseq;

        TlsPhone() throws Exception {
            SipFactory f = SipFactory.getInstance();
            f.setPathName("gov.nist");
            Properties p = new Properties();
            p.setProperty("javax.sip.STACK_NAME", "tls-phone-" + STACKS.incrementAndGet());
            p.setProperty("javax.net.ssl.keyStore", keyStore.toString());
            p.setProperty("javax.net.ssl.keyStorePassword", "secret");
            p.setProperty("javax.net.ssl.keyStoreType", "PKCS12");
            p.setProperty("javax.net.ssl.trustStore", keyStore.toString());
            p.setProperty("javax.net.ssl.trustStorePassword", "secret");
            p.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
            p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", SipTlsStores.CIPHER_SUITES);
            p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", SipTlsStores.PROTOCOLS);
            stack = f.createSipStack(p);
            hf = f.createHeaderFactory();
            af = f.createAddressFactory();
            mf = f.createMessageFactory();
            provider = stack.createSipProvider(stack.createListeningPoint("127.0.0.1", port, ListeningPoint.TLS));
            try {
                provider.addSipListener(this);
            } catch (TooManyListenersException e) {
                throw new IllegalStateException(e);
            }
            stack.start();
        }

        Response register(String user, String[] auth) throws Exception {
            SipURI registrar = af.createSipURI(null, DOMAIN);
            SipURI aor = af.createSipURI(user, DOMAIN);
            SipURI next = af.createSipURI(null, "127.0.0.1");
            next.setPort(tlsPort);
            next.setTransportParam("tls");
            next.setLrParam();
            Request r = mf.createRequest(registrar, Request.REGISTER, provider.getNewCallId(),
                    hf.createCSeqHeader(++cseq, Request.REGISTER), hf.createFromHeader(af.createAddress(aor), "t" + cseq),
                    hf.createToHeader(af.createAddress(aor), null),
                    List.of(hf.createViaHeader("127.0.0.1", port, "tls", null)), hf.createMaxForwardsHeader(70));
            r.addHeader(hf.createRouteHeader(af.createAddress(next)));
            SipURI contact = af.createSipURI(user, "127.0.0.1");
            contact.setPort(port);
            contact.setTransportParam("tls");
            r.addHeader(hf.createContactHeader(af.createAddress(contact)));
            r.addHeader(hf.createExpiresHeader(600));
            if (auth != null) {
                AuthorizationHeader a = hf.createAuthorizationHeader("Digest");
                a.setUsername(auth[0]);
                a.setRealm(auth[1]);
                a.setNonce(auth[2]);
                a.setURI(af.createURI(auth[3]));
                a.setResponse(auth[4]);
                a.setAlgorithm("MD5");
                r.addHeader(a);
            }
            ClientTransaction ct = provider.getNewClientTransaction(r);
            ct.sendRequest();
            Response resp = responses.poll(10, TimeUnit.SECONDS);
            assertThat(resp).as("response over TLS").isNotNull();
            assertThat(((ViaHeader) resp.getHeader(ViaHeader.NAME)).getTransport()).isEqualToIgnoringCase("tls");
            return resp;
        }

        @Override
        public void processResponse(ResponseEvent e) {
            if (e.getResponse().getStatusCode() >= 200) {
                responses.add(e.getResponse());
            }
        }

        @Override
        public void processRequest(RequestEvent e) {
        }

        @Override
        public void processTimeout(TimeoutEvent e) {
        }

        @Override
        public void processIOException(IOExceptionEvent e) {
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent e) {
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent e) {
        }

        @Override
        public void close() {
            stack.stop();
        }
    }
}
