package dev.hotline.webhook;

import java.time.Instant;
import java.util.List;

/**
 * API-2: a subscription of one enterprise to its events. {@code events} are patterns: {@code *} (everything),
 * {@code call.*}, {@code queue.*}, {@code agent.*}, or one type such as {@code call.closed} or {@code queue.join}.
 */
public record Webhook(long id, String url, String secret, List<String> events, boolean enabled, String description, Instant createdAt) {

    /** Whether events of {@code type} (e.g. {@code call.arrived}) go to this subscription. */
    public boolean wants(String type) {
        if (!enabled) return false;
        for (String p : events) {
            if (p.equals("*") || p.equals(type)) return true;
            if (p.endsWith(".*") && type.startsWith(p.substring(0, p.length() - 1))) return true;
        }
        return false;
    }
}
