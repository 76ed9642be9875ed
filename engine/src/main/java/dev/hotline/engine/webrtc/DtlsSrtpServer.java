package dev.hotline.engine.webrtc;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DTLS 1.2 server of one WebRTC leg (RFC 5763: we answer {@code a=setup:passive}), on
 * BouncyCastle's {@link DTLSServerProtocol}, ending in SRTP keys (RFC 5764).
 *
 * <p><b>Threading.</b> BC's handshake is blocking, so it never runs on the caller's thread: the
 * first datagram handed to {@link #onPacket} submits it to the given {@link Executor}, where it
 * waits on a queue this object fills. It is bounded: BC gives up after the handshake timeout
 * ({@link org.bouncycastle.tls.TlsPeer#getHandshakeTimeoutMillis()}), and no single wait is longer
 * than that either, so the executor thread is back after at most the timeout (or at once on
 * {@link #close()}). {@link #onPacket} itself only copies and queues. After the handshake, later
 * DTLS datagrams (a client's retransmitted last flight, alerts) are drained on the executor in
 * short non-blocking passes. Completion is reported through {@link #handshake()}.
 *
 * <p>The server requests the client's certificate (RFC 5763 §5) and, when
 * {@link #expectRemoteFingerprint} was given, refuses one whose SHA-256 fingerprint differs.
 * Extended master secret is required (RFC 7627); cipher suites are ECDHE_ECDSA only.
 */
public final class DtlsSrtpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DtlsSrtpServer.class);

    /** Where DTLS records go (the transport sends them to the ICE-selected address). */
    public interface Output {
        void send(byte[] data, int off, int len);
    }

    /** Offered profiles, best first. */
    public static final List<SrtpProfile> DEFAULT_PROFILES =
            List.of(SrtpProfile.AES128_CM_HMAC_SHA1_80, SrtpProfile.AES128_CM_HMAC_SHA1_32);
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    };

    private static final class DaemonPool {
        static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dtls-handshake");
            t.setDaemon(true);
            return t;
        });
    }

    private final DtlsCertificate certificate;
    private final List<SrtpProfile> profiles;
    private final int timeoutMillis;
    private final Executor executor;
    private final PacketQueueTransport transport;
    private final CompletableFuture<SrtpKeyingMaterial> result = new CompletableFuture<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile String expectedRemoteFingerprint;
    private volatile String remoteFingerprint;
    private volatile DTLSTransport dtls;
    private volatile boolean closed;

    /**
     * @param certificate our certificate (its fingerprint goes in the SDP answer)
     * @param profiles SRTP profiles in order of preference; the first one the client offers wins
     * @param handshakeTimeout the most the handshake may take from its first datagram
     * @param output where records are sent; called on the executor's thread
     * @param executor where the blocking handshake runs; see {@link #sharedExecutor()}
     */
    public DtlsSrtpServer(DtlsCertificate certificate, List<SrtpProfile> profiles, Duration handshakeTimeout,
            Output output, Executor executor) {
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("no SRTP profile");
        }
        this.certificate = certificate;
        this.profiles = List.copyOf(profiles);
        this.timeoutMillis = (int) Math.max(1, handshakeTimeout.toMillis());
        this.executor = executor;
        this.transport = new PacketQueueTransport(output::send, timeoutMillis);
    }

    /** A cached pool of daemon threads, for callers with no executor of their own. */
    public static Executor sharedExecutor() {
        return DaemonPool.POOL;
    }

    /**
     * The peer's fingerprint from its SDP, {@code "sha-256 AB:..."} or just the hex; set before the
     * first packet. Only sha-256 is supported (what browsers send).
     */
    public void expectRemoteFingerprint(String sdpFingerprint) {
        String value = sdpFingerprint.trim();
        int space = value.indexOf(' ');
        if (space > 0) {
            String algorithm = value.substring(0, space).toLowerCase(Locale.ROOT);
            if (!algorithm.equals("sha-256")) {
                throw new IllegalArgumentException("unsupported fingerprint hash " + algorithm);
            }
            value = value.substring(space + 1).trim();
        }
        this.expectedRemoteFingerprint = value.toUpperCase(Locale.ROOT);
    }

    /** Hands in one DTLS datagram (copied). Starts the handshake on the first one. Never blocks. */
    public void onPacket(byte[] data, int off, int len) {
        if (closed || result.isCompletedExceptionally()) {
            return;
        }
        if (!transport.offer(data, off, len)) {
            log.debug("DTLS datagram dropped (queue full or oversize)");
        }
        if (started.compareAndSet(false, true)) {
            executor.execute(this::runHandshake);
        } else if (dtls != null) {
            scheduleDrain();
        }
    }

    /** Completes with the SRTP keys, or exceptionally on failure, timeout or close. */
    public CompletableFuture<SrtpKeyingMaterial> handshake() {
        return result;
    }

    /** SHA-256 fingerprint of the client's certificate once seen, else null. */
    public String remoteFingerprint() {
        return remoteFingerprint;
    }

    public String localFingerprint() {
        return certificate.fingerprint();
    }

    private void runHandshake() {
        try {
            SrtpTlsServer server = new SrtpTlsServer(
                    new JcaTlsCryptoProvider().setProvider(DtlsCertificate.BC).create(new SecureRandom()));
            DTLSTransport accepted = new DTLSServerProtocol().accept(server, transport);
            if (closed) {
                accepted.close();
                throw new IOException("closed during the handshake");
            }
            dtls = accepted;
            result.complete(server.keys);
            scheduleDrain();
        } catch (IOException | RuntimeException e) {
            log.debug("DTLS handshake failed: {}", e.toString());
            transport.close();
            result.completeExceptionally(e);
        }
    }

    private void scheduleDrain() {
        if (transport.hasPending() && !closed && draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    /** Lets BC see post-handshake records (retransmissions, alerts); application data is dropped. */
    private void drain() {
        byte[] buf = new byte[PacketQueueTransport.RECEIVE_LIMIT];
        try {
            while (transport.hasPending() && !closed) {
                dtls.receive(buf, 0, buf.length, 1);
            }
        } catch (IOException e) {
            log.debug("DTLS closed by the peer or failed: {}", e.toString());
            closed = true;
            transport.close();
        } finally {
            draining.set(false);
        }
        scheduleDrain();
    }

    /** Stops a running handshake at once and sends close_notify when established. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        DTLSTransport established = dtls;
        if (established != null) {
            try {
                established.close();
            } catch (IOException e) {
                log.debug("DTLS close: {}", e.toString());
            }
        }
        transport.close();
        result.completeExceptionally(new IOException("DTLS server closed"));
    }

    /** BC's view of our server: versions, suites, credentials and use_srtp. */
    private final class SrtpTlsServer extends DefaultTlsServer {
        private final JcaTlsCrypto crypto;
        private SrtpProfile chosen;
        private SrtpKeyingMaterial keys;

        SrtpTlsServer(JcaTlsCrypto crypto) {
            super(crypto);
            this.crypto = crypto;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
        }

        @Override
        public boolean requiresExtendedMasterSecret() {
            return true; // RFC 7627
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return timeoutMillis;
        }

        @Override
        protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
            TlsCertificate tlsCert = crypto.createCertificate(certificate.encoded());
            SignatureAndHashAlgorithm sha256 =
                    SignatureScheme.getSignatureAndHashAlgorithm(SignatureScheme.ecdsa_secp256r1_sha256);
            return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                    certificate.privateKey(), new Certificate(new TlsCertificate[] {tlsCert}), sha256);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public void processClientExtensions(Hashtable clientExtensions) throws IOException {
            super.processClientExtensions(clientExtensions);
            // RFC 5764 §4.1.1: pick one profile the client offered; none in common fails the handshake.
            UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
            if (offered == null) {
                throw new TlsFatalAlert(AlertDescription.handshake_failure, "client offered no use_srtp");
            }
            for (SrtpProfile p : profiles) {
                for (int id : offered.getProtectionProfiles()) {
                    if (p.id() == id) {
                        chosen = p;
                        return;
                    }
                }
            }
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "no SRTP profile in common");
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        public Hashtable getServerExtensions() throws IOException {
            Hashtable extensions = super.getServerExtensions();
            // RFC 5764 §4.1.1: answer with the one chosen profile and an empty MKI.
            TlsSRTPUtils.addUseSRTPExtension(extensions,
                    new UseSRTPData(new int[] {chosen.id()}, TlsUtils.EMPTY_BYTES));
            return extensions;
        }

        @Override
        public CertificateRequest getCertificateRequest() {
            // RFC 5763 §5: the server must ask for the client's certificate to check its fingerprint.
            return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                    TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
        }

        @Override
        public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
            if (clientCertificate == null || clientCertificate.isEmpty()) {
                throw new TlsFatalAlert(AlertDescription.handshake_failure, "client sent no certificate");
            }
            String fingerprint = DtlsCertificate.fingerprintOf(clientCertificate.getCertificateAt(0).getEncoded());
            String expected = expectedRemoteFingerprint;
            if (expected != null && !expected.equals(fingerprint)) {
                throw new TlsFatalAlert(AlertDescription.bad_certificate, "certificate fingerprint differs from SDP");
            }
            remoteFingerprint = fingerprint;
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            // RFC 5764 §4.2: keys from the TLS exporter with label "EXTRACTOR-dtls_srtp", no context.
            byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                    SrtpKeyingMaterial.exporterLength());
            keys = SrtpKeyingMaterial.fromExporter(chosen, material);
        }
    }
}
