package dev.hotline.engine.call;

/** Where an outbound leg goes. */
public sealed interface Target {
    /** A user registered with the engine's registrar: the most recent live contact is called. */
    record Registered(String domain, String user) implements Target {
    }

    /**
     * Any SIP URI, e.g. {@code sip:4000@10.0.0.5:5060} for an IP trunk; {@code transport} may be
     * "udp" or "tcp".
     */
    record Uri(String user, String host, int port, String transport) implements Target {
        public Uri {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host is required");
            }
            transport = transport == null ? "udp" : transport.toLowerCase(java.util.Locale.ROOT);
        }

        public static Uri udp(String user, String host, int port) {
            return new Uri(user, host, port, "udp");
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
