package dev.hotline.engine.call;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * SIP over TLS (RFC 3261 §26.2, RFC 5630). TLS listens on its own port: TCP and TLS cannot share one.
 *
 * @param port               TLS listening port; 0 leaves TLS off
 * @param keyStore           key store holding the server's certificate and key (the same one HTTPS uses)
 * @param keyStorePassword   its password
 * @param keyStoreType       PKCS12 or JKS
 * @param trustStore         certificates trusted when Hotline is the TLS client (trunks, registrars, phones called on a
 *                           new connection), the whole set; null: the JDK's cacerts plus the key store's certificates
 * @param trustStorePassword its password
 * @param trustStoreType     PKCS12 or JKS
 * @param clientAuth         JAIN-SIP's TLS_CLIENT_AUTH_TYPE for phones and trunks connecting to us: Disabled (default,
 *                           phones seldom have certificates) or Want (asked for, not required)
 */
public record SipTls(int port, Path keyStore, String keyStorePassword, String keyStoreType, Path trustStore,
                     String trustStorePassword, String trustStoreType, String clientAuth) {

    private static final Set<String> CLIENT_AUTH = Set.of("Disabled", "Want");
    public static final SipTls OFF = new SipTls(0, null, "", "PKCS12", null, "", "PKCS12", "Disabled");

    public SipTls {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("sip TLS port must be 0-65535");
        }
        if (port > 0 && keyStore == null) {
            throw new IllegalArgumentException("SIP over TLS needs a key store");
        }
        keyStorePassword = keyStorePassword == null ? "" : keyStorePassword;
        keyStoreType = keyStoreType == null || keyStoreType.isBlank() ? "PKCS12" : keyStoreType.toUpperCase(Locale.ROOT);
        trustStorePassword = trustStorePassword == null ? "" : trustStorePassword;
        trustStoreType = trustStoreType == null || trustStoreType.isBlank() ? "PKCS12"
                : trustStoreType.toUpperCase(Locale.ROOT);
        clientAuth = clientAuth == null || clientAuth.isBlank() ? "Disabled" : clientAuth;
        if (!CLIENT_AUTH.contains(clientAuth)) {
            throw new IllegalArgumentException("sip TLS client auth must be Disabled or Want");
        }
    }

    /** TLS with the given key store, the JDK's trusted certificates and no client certificates asked for. */
    public static SipTls on(int port, Path keyStore, String password, String type) {
        return new SipTls(port, keyStore, password, type, null, "", "PKCS12", "Disabled");
    }

    public SipTls withTrustStore(Path store, String password, String type) {
        return new SipTls(port, keyStore, keyStorePassword, keyStoreType, store, password, type, clientAuth);
    }

    public boolean enabled() {
        return port > 0;
    }
}
