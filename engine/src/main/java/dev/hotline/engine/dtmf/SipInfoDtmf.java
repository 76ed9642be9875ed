package dev.hotline.engine.dtmf;

import java.util.Locale;
import java.util.Optional;

/**
 * DTMF carried in SIP INFO bodies: {@code application/dtmf-relay} ("Signal=5\r\nDuration=160",
 * duration in milliseconds) and {@code application/dtmf} (the key alone, or its RFC 4733
 * event code).
 */
public final class SipInfoDtmf {
    /** Default duration when the body gives none. */
    public static final int DEFAULT_DURATION_MS = 100;

    /** One key from an INFO body. */
    public record Key(DtmfDigit digit, int durationMs) {
    }

    private SipInfoDtmf() {
    }

    /** Whether INFO requests with this Content-Type carry DTMF. */
    public static boolean isDtmf(String contentType) {
        String mt = mediaType(contentType);
        return mt.equals("application/dtmf-relay") || mt.equals("application/dtmf");
    }

    /** Parses an INFO body; empty when the type is not DTMF or the body names no key. */
    public static Optional<Key> parse(String contentType, String body) {
        if (contentType == null || body == null) {
            return Optional.empty();
        }
        String mt = mediaType(contentType);
        if (mt.equals("application/dtmf-relay")) {
            return parseRelay(body);
        }
        if (mt.equals("application/dtmf")) {
            return key(body.trim()).map(d -> new Key(d, DEFAULT_DURATION_MS));
        }
        return Optional.empty();
    }

    /** The body of an {@code application/dtmf-relay} INFO for a key. */
    public static String relayBody(DtmfDigit digit, int durationMs) {
        return "Signal=" + digit.symbol() + "\r\nDuration=" + durationMs + "\r\n";
    }

    private static Optional<Key> parseRelay(String body) {
        DtmfDigit digit = null;
        int duration = DEFAULT_DURATION_MS;
        for (String line : body.split("\r\n|\n|\r")) {
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = line.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(eq + 1).trim();
            if (name.equals("signal")) {
                digit = key(value).orElse(null);
            } else if (name.equals("duration")) {
                try {
                    int d = Integer.parseInt(value);
                    if (d > 0 && d <= 60_000) {
                        duration = d;
                    }
                } catch (NumberFormatException ignored) {
                    // keep the default
                }
            }
        }
        return digit == null ? Optional.empty() : Optional.of(new Key(digit, duration));
    }

    private static Optional<DtmfDigit> key(String value) {
        if (value.length() == 1) {
            return Optional.ofNullable(DtmfDigit.fromSymbol(value.charAt(0)));
        }
        if (value.length() == 2 && Character.isDigit(value.charAt(0)) && Character.isDigit(value.charAt(1))) {
            return Optional.ofNullable(DtmfDigit.fromEvent(Integer.parseInt(value)));
        }
        return Optional.empty();
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }
}
