package dev.hotline.mail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Which certificates an SMTP server reached over TLS or STARTTLS must chain to: the JDK's authorities, or only those of
 * the trust store named by the configuration ({@code smtp.truststore}, PKCS12), e.g. a company's private CA. The server's
 * name is checked against its certificate either way.
 */
public final class SmtpTrust {
    private SmtpTrust() {}

    /** A socket factory trusting exactly the certificates of the PKCS12 store {@code file}. */
    public static SSLSocketFactory fromTrustStore(Path file, String password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password == null ? new char[0] : password.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read smtp.truststore " + file + ": " + e.getMessage(), e);
        }
    }
}
