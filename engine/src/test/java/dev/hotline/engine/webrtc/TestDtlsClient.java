package dev.hotline.engine.webrtc;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * A browser stand-in: a BouncyCastle DTLS 1.2 client offering use_srtp, presenting its own
 * certificate and checking the server's against the fingerprint from the "SDP answer".
 */
final class TestDtlsClient extends DefaultTlsClient {
    private final JcaTlsCrypto crypto;
    private final DtlsCertificate own;
    private final String expectedServerFingerprint;
    private final int[] offeredProfiles;
    volatile String serverFingerprint;
    volatile SrtpKeyingMaterial keys;

    TestDtlsClient(DtlsCertificate own, String expectedServerFingerprint, int... offeredProfiles) {
        this(new JcaTlsCryptoProvider().setProvider(DtlsCertificate.BC).create(new SecureRandom()), own,
                expectedServerFingerprint, offeredProfiles);
    }

    private TestDtlsClient(JcaTlsCrypto crypto, DtlsCertificate own, String expectedServerFingerprint,
            int[] offeredProfiles) {
        super(crypto);
        this.crypto = crypto;
        this.own = own;
        this.expectedServerFingerprint = expectedServerFingerprint;
        this.offeredProfiles = offeredProfiles;
    }

    /** Runs the blocking handshake (call on a test thread) and returns the DTLS transport. */
    DTLSTransport connect(DatagramTransport transport) throws IOException {
        return new DTLSClientProtocol().connect(this, transport);
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return 10_000;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = super.getClientExtensions();
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(offeredProfiles, TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                String fp = DtlsCertificate.fingerprintOf(serverCertificate.getCertificate().getCertificateAt(0)
                        .getEncoded());
                if (!fp.equals(expectedServerFingerprint)) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate, "server fingerprint mismatch");
                }
                serverFingerprint = fp;
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest certificateRequest) throws IOException {
                TlsCertificate cert = crypto.createCertificate(own.encoded());
                return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, own.privateKey(),
                        new Certificate(new TlsCertificate[] {cert}),
                        SignatureScheme.getSignatureAndHashAlgorithm(SignatureScheme.ecdsa_secp256r1_sha256));
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        UseSRTPData chosen = TlsSRTPUtils.getUseSRTPExtension(serverExtensionsSeen);
        SrtpProfile profile = SrtpProfile.byId(chosen.getProtectionProfiles()[0]);
        keys = SrtpKeyingMaterial.fromExporter(profile,
                context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, SrtpKeyingMaterial.exporterLength()));
    }

    @SuppressWarnings("rawtypes")
    private Hashtable serverExtensionsSeen = new Hashtable<>();

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        if (TlsSRTPUtils.getUseSRTPExtension(serverExtensions) == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "server did not answer use_srtp");
        }
        serverExtensionsSeen = serverExtensions;
    }
}
