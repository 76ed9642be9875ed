package dev.hotline.engine.webrtc;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed ECDSA P-256 certificate made at start for DTLS-SRTP (WebRTC needs no CA: the
 * peer checks the SHA-256 fingerprint sent in SDP, RFC 8122 §5). One can serve every leg.
 */
public final class DtlsCertificate {
    /** One BouncyCastle provider for the package, not installed in the JVM's provider list. */
    static final Provider BC = new BouncyCastleProvider();

    private final PrivateKey privateKey;
    private final byte[] der;
    private final String fingerprint;

    private DtlsCertificate(PrivateKey privateKey, byte[] der) {
        this.privateKey = privateKey;
        this.der = der;
        this.fingerprint = fingerprintOf(der);
    }

    /** A new key pair and certificate, valid from a day ago for {@code validity}. */
    public static DtlsCertificate generate(String commonName, Duration validity) {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name name = new X500Name("CN=" + commonName);
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, new BigInteger(63, random),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(validity)), name, pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(pair.getPrivate()));
            return new DtlsCertificate(pair.getPrivate(), holder.getEncoded());
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot make the DTLS certificate", e);
        }
    }

    /** A certificate named "hotline", valid for 30 days. */
    public static DtlsCertificate generate() {
        return generate("hotline", Duration.ofDays(30));
    }

    /** SHA-256 of the DER certificate as upper-case hex pairs joined by ':' (RFC 8122 §5). */
    public static String fingerprintOf(byte[] derCertificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(derCertificate);
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The fingerprint for SDP: {@code a=fingerprint:sha-256 } followed by this value. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The whole SDP attribute value, {@code "sha-256 AB:CD:..."}. */
    public String sdpFingerprint() {
        return "sha-256 " + fingerprint;
    }

    public byte[] encoded() {
        return der.clone();
    }

    PrivateKey privateKey() {
        return privateKey;
    }
}
