package dev.hotline.engine.sip;

import dev.hotline.engine.call.SipTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Properties;

/**
 * Hands JAIN-SIP the key and trust stores of SIP over TLS through the stack's own properties (never the JVM's
 * system properties, which HTTPS and other stacks share). Without a configured trust store Hotline trusts the JDK's
 * certificate authorities (carriers) plus its own certificate (so a phone or test agent presenting the same
 * self-signed certificate can be called back over TLS); that set is written once to a temporary PKCS12 file.
 */
final class SipTlsStores {

    /**
     * JAIN-SIP's own default suites are RSA key exchange, 3DES and anonymous ones (refused by a current JDK, and
     * useless with an EC key): ask for forward-secret AEAD suites instead, for RSA and EC certificates.
     */
    static final String CIPHER_SUITES = "TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,"
            + "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,"
            + "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384";
    static final String PROTOCOLS = "TLSv1.3,TLSv1.2";

    private SipTlsStores() {
    }

    static void configure(Properties p, SipTls tls) throws IOException, GeneralSecurityException {
        p.setProperty("javax.net.ssl.keyStore", tls.keyStore().toString());
        p.setProperty("javax.net.ssl.keyStorePassword", tls.keyStorePassword());
        p.setProperty("javax.net.ssl.keyStoreType", tls.keyStoreType());
        if (tls.trustStore() != null) {
            p.setProperty("javax.net.ssl.trustStore", tls.trustStore().toString());
            p.setProperty("javax.net.ssl.trustStorePassword", tls.trustStorePassword());
            p.setProperty("javax.net.ssl.trustStoreType", tls.trustStoreType());
        } else {
            char[] pw = "hotline-trust".toCharArray();
            Path merged = defaultTrustStore(tls, pw);
            p.setProperty("javax.net.ssl.trustStore", merged.toString());
            p.setProperty("javax.net.ssl.trustStorePassword", new String(pw));
            p.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        }
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", tls.clientAuth());
        p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", CIPHER_SUITES);
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", PROTOCOLS);
    }

    /** The JDK's cacerts plus the certificates of our own key store. */
    static Path defaultTrustStore(SipTls tls, char[] password) throws IOException, GeneralSecurityException {
        KeyStore out = KeyStore.getInstance("PKCS12");
        out.load(null, null);
        Path cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
        if (Files.isReadable(cacerts)) {
            KeyStore ca = KeyStore.getInstance(KeyStore.getDefaultType());
            try (InputStream in = Files.newInputStream(cacerts)) {
                ca.load(in, null); // reading certificates needs no password
            }
            for (String alias : Collections.list(ca.aliases())) {
                Certificate c = ca.getCertificate(alias);
                if (c != null) {
                    out.setCertificateEntry("ca-" + alias, c);
                }
            }
        }
        KeyStore own = KeyStore.getInstance(tls.keyStoreType());
        try (InputStream in = Files.newInputStream(tls.keyStore())) {
            own.load(in, tls.keyStorePassword().toCharArray());
        }
        for (String alias : Collections.list(own.aliases())) {
            Certificate c = own.getCertificate(alias);
            if (c != null) {
                out.setCertificateEntry("own-" + alias, c);
            }
        }
        Path file = Files.createTempFile("hotline-sip-trust", ".p12");
        file.toFile().deleteOnExit();
        try (OutputStream os = Files.newOutputStream(file)) {
            out.store(os, password);
        }
        return file;
    }
}
