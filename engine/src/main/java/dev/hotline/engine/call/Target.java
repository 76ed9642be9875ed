package dev.hotline.engine.call;

import java.util.Locale;

/** Where an outbound leg goes. */
public sealed interface Target {
    /** A user registered with the engine's registrar: the most recent live contact is called. */
    record Registered(String domain, String user) implements Target {
    }

    /**
     * Any SIP URI, e.g. {@code sip:4000@10.0.0.5:5060} for an IP trunk; {@code transport} may be
     * "udp", "tcp" or "tls" (RFC 3261 §26.2: {@code sip:...;transport=tls}, hop by hop; never {@code sips:}, which
     * would demand TLS end to end, RFC 5630 §3.1). {@code account} (may be null) names the carrier trunk the call goes
     * through and the digest credentials that answer its 401/407 challenge (RFC 3261 §22.2). {@code srtp}: SDES-SRTP
     * of the leg (RFC 4568), only used over TLS.
     */
    record Uri(String user, String host, int port, String transport, TrunkAccount account, SrtpMode srtp)
            implements Target {
        public Uri {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host is required");
            }
            transport = transport == null ? "udp" : transport.toLowerCase(Locale.ROOT);
            srtp = srtp == null ? SrtpMode.OFF : srtp;
            if (srtp != SrtpMode.OFF && !transport.equals("tls")) {
                throw new IllegalArgumentException("SRTP (SDES keys) needs transport tls (RFC 4568 §8.3)");
            }
        }

        public Uri(String user, String host, int port, String transport, TrunkAccount account) {
            this(user, host, port, transport, account, SrtpMode.OFF);
        }

        public Uri(String user, String host, int port, String transport) {
            this(user, host, port, transport, null, SrtpMode.OFF);
        }

        public static Uri udp(String user, String host, int port) {
            return new Uri(user, host, port, "udp");
        }
    }

    /**
     * The carrier account of a trunk call: the server's {@code key} for the trunk (its channel accounting, see
     * {@link OutboundPolicy}) and the digest {@code username}/{@code password} sent when the carrier challenges the
     * INVITE (none when the username is null or blank: a challenge then fails the call).
     */
    record TrunkAccount(String key, String username, String password) {
        public boolean hasCredentials() {
            return username != null && !username.isBlank();
        }

        @Override
        public String toString() {
            return "TrunkAccount[" + key + " " + (hasCredentials() ? username + ":***" : "no credentials") + "]";
        }
    }

    /**
     * The agent's browser: a call channel on the persistent WebRTC connection opened with
     * {@link TelephonyEngine#webRtcConnect} under {@code key}. It rings at once (the server tells the
     * agent over its own channel) and is answered by {@link Channel#answer()}; with no connection for
     * the key the dial fails at once (SUBSCRIBER_ABSENT, 480), like an unregistered extension.
     */
    record WebRtc(String key) implements Target {
        public WebRtc {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("key is required");
            }
        }
    }
}
