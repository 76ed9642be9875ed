package dev.hotline.engine.call;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the server asks for when it dials an outbound leg for an inbound channel.
 *
 * @param target                 where to call
 * @param callerId               From identity on the outbound leg; null keeps the inbound caller's user
 * @param timeout                no-answer timeout (CANCEL after it); null uses the engine default
 * @param failInboundOnFailure   when the outbound leg fails, end the inbound leg with the same status;
 *                               false lets the server try another target
 * @param headers                extra headers of the INVITE (e.g. {@code Alert-Info} for call waiting, {@code Call-Info}
 *                               for auto-answer), by name; never null
 */
public record DialRequest(Target target, CallerId callerId, Duration timeout, boolean failInboundOnFailure, Map<String, String> headers) {
    /** A header name withHeader takes (compiled once: it runs for every call placed). */
    private static final java.util.regex.Pattern HEADER_NAME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9-]*");

    public DialRequest {
        if (target == null) {
            throw new IllegalArgumentException("target is required");
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static DialRequest to(Target target) {
        return new DialRequest(target, null, null, true, Map.of());
    }

    public DialRequest withCallerId(CallerId id) {
        return new DialRequest(target, id, timeout, failInboundOnFailure, headers);
    }

    public DialRequest withTimeout(Duration t) {
        return new DialRequest(target, callerId, t, failInboundOnFailure, headers);
    }

    public DialRequest keepInboundOnFailure() {
        return new DialRequest(target, callerId, timeout, false, headers);
    }

    /** Adds (or replaces) header {@code name} of the INVITE; names and values must be plain header text (no line breaks). */
    public DialRequest withHeader(String name, String value) {
        if (name == null || !HEADER_NAME.matcher(name).matches() || value == null || value.contains("\r") || value.contains("\n")) {
            throw new IllegalArgumentException("bad header " + name);
        }
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new DialRequest(target, callerId, timeout, failInboundOnFailure, h);
    }
}
