package dev.hotline.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The HTTPS key store (SEC-4): the one configured, or a self-signed certificate made at the first
 * start and kept in the data folder, so that agents on other machines get a secure page (browsers
 * allow the microphone, hence the browser phone, only on HTTPS or 127.0.0.1).
 */
public final class Tls {
    public static final String ALIAS = "hotline";

    /** A key store ready for Jetty, and where it came from. */
    public record Keys(KeyStore store, String password, Path file, boolean selfSigned) {}

    private Tls() {}

    /**
     * Loads {@code keystore} (PKCS12) with {@code password}; when {@code keystore} is blank, loads or makes
     * {@code dataDir/tls/hotline.p12} with a certificate for {@code names} (host names and addresses).
     */
    public static Keys load(String keystore, String password, Path dataDir, List<String> names) {
        try {
            if (keystore != null && !keystore.isBlank()) {
                Path f = Path.of(keystore);
                return new Keys(read(f, password), password, f, false);
            }
            Path dir = dataDir.resolve("tls");
            Path f = dir.resolve("hotline.p12");
            Path pw = dir.resolve("hotline.p12.password");
            if (Files.exists(f) && Files.exists(pw)) {
                String p = Files.readString(pw, StandardCharsets.UTF_8).strip();
                return new Keys(read(f, p), p, f, true);
            }
            Files.createDirectories(dir);
            byte[] secret = new byte[18];
            new SecureRandom().nextBytes(secret);
            String p = HexFormat.of().formatHex(secret);
            KeyStore ks = selfSigned(names, p);
            try (OutputStream out = Files.newOutputStream(f)) {
                ks.store(out, p.toCharArray());
            }
            Files.writeString(pw, p + "\n", StandardCharsets.UTF_8);
            return new Keys(ks, p, f, true);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up HTTPS: " + e.getMessage(), e);
        }
    }

    private static KeyStore read(Path f, String password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(f)) {
            ks.load(in, password == null ? new char[0] : password.toCharArray());
        }
        return ks;
    }

    /** An ECDSA P-256 key and a ten-year self-signed certificate naming every host and address given. */
    static KeyStore selfSigned(List<String> names, String password) throws GeneralSecurityException, IOException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=Hotline, O=Hotline call center");
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), subject, kp.getPublic());
        List<GeneralName> alt = new ArrayList<>();
        for (String n : names) {
            boolean address = n.matches("[0-9.]+") || n.contains(":");
            alt.add(new GeneralName(address ? GeneralName.iPAddress : GeneralName.dNSName, n));
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt.toArray(new GeneralName[0])));
        X509Certificate cert;
        try {
            cert = new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(ALIAS, kp.getPrivate(), password.toCharArray(), new java.security.cert.Certificate[] {cert});
        return ks;
    }

    /** Names for the certificate: localhost, 127.0.0.1, this host's name and its addresses, and {@code extra}. */
    public static List<String> localNames(String... extra) {
        List<String> out = new ArrayList<>(List.of("localhost", "127.0.0.1"));
        for (String e : extra) if (e != null && !e.isBlank() && !out.contains(e)) out.add(e);
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (!out.contains(host)) out.add(host);
            for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                for (var a : java.util.Collections.list(nic.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address && !out.contains(a.getHostAddress())) out.add(a.getHostAddress());
                }
            }
        } catch (IOException e) {
            // names of this host are a convenience; localhost and 127.0.0.1 are always there
        }
        return out;
    }
}
