package dev.hotline.acd;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/**
 * Where an agent takes calls (AGENT-3): the SIP phone registered as their extension, the browser
 * phone (issue 7), or an outside number called through the enterprise's outbound routes.
 *
 * @param number the extension (sip, webrtc) or the outside number (external)
 */
public record Device(Kind kind, String number) {

    public enum Kind {
        SIP, WEBRTC, EXTERNAL;

        @JsonValue
        public String key() {
            return name().toLowerCase();
        }

        public static Optional<Kind> parse(String s) {
            for (Kind k : values()) if (k.key().equals(s)) return Optional.of(k);
            return Optional.empty();
        }
    }

    /** As stored in the agent log: "sip:1001", "external:13800001111". */
    @Override
    public String toString() {
        return kind.key() + ":" + number;
    }
}
