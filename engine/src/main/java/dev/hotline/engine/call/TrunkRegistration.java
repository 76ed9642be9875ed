package dev.hotline.engine.call;

import java.time.Duration;

/**
 * A registration the engine keeps up with a carrier for a trunk (RFC 3261 §10.2): REGISTER to
 * {@code host:port}, answering digest challenges with {@code username}/{@code password}, refreshed
 * before it expires, retried with exponential back-off from {@code retryBase} after a failure.
 *
 * @param key       the server's own key for it (e.g. the trunk id)
 * @param domain    the SIP domain of the address of record ({@code sip:username@domain}); the host when blank
 */
public record TrunkRegistration(String key, String host, int port, String transport, String username, String password,
                                String domain, Duration expires, Duration retryBase) {
    public TrunkRegistration {
        if (key == null || host == null || host.isBlank() || username == null || username.isBlank()) {
            throw new IllegalArgumentException("key, host and username are required");
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("bad port " + port);
        }
        transport = transport == null ? "udp" : transport.toLowerCase(java.util.Locale.ROOT);
        password = password == null ? "" : password;
        domain = domain == null || domain.isBlank() ? host : domain;
        expires = expires == null ? Duration.ofSeconds(600) : expires;
        retryBase = retryBase == null ? Duration.ofSeconds(30) : retryBase;
    }

    @Override
    public String toString() {
        return "TrunkRegistration[" + key + " " + username + "@" + host + ":" + port + "/" + transport + "]";
    }
}
