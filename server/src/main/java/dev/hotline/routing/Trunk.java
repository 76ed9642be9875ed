package dev.hotline.routing;

import dev.hotline.engine.call.SrtpMode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A SIP trunk to a carrier (PBX-2): IP-authenticated (calls accepted from its addresses) or
 * registering (Hotline registers to the carrier with digest credentials). The secret is never shown.
 */
public record Trunk(long id, String name, Kind kind, String host, int port, String transport, List<String> allowedIps,
                    String username, int registerExpires, String callerId, int maxChannels, boolean enabled, String srtp) {

    /**
     * SDES-SRTP with the carrier (RFC 4568): off, optional or required; only with transport tls (its keys travel in
     * the SDP, RFC 4568 §8.3).
     */
    public SrtpMode srtpMode() {
        return "tls".equals(transport) ? SrtpMode.parse(srtp).orElse(SrtpMode.OFF) : SrtpMode.OFF;
    }

    public enum Kind {
        IP, REGISTER;

        @com.fasterxml.jackson.annotation.JsonValue
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Kind> parse(String s) {
            return Arrays.stream(values()).filter(k -> k.key().equals(s)).findFirst();
        }
    }

    /** True when an INVITE from {@code ip} belongs to this trunk. */
    public boolean accepts(String ip) {
        return enabled && (allowedIps.contains(ip) || host.equals(ip));
    }
}
