package dev.hotline.webhook;

import java.time.Instant;
import java.util.List;

/**
 * API-2: a subscription of one enterprise to its events. {@code events} are patterns: {@code *} (everything),
 * {@code call.*}, {@code queue.*}, {@code agent.*}, {@code ticket.*},
 * {@code campaign.*}, or one type such as {@code call.closed} or {@code queue.join}.
 */
public record Webhook(long id, String url, String secret, List<String> events, boolean enabled, String description, Instant createdAt) {

    /** Whether events of {@code type} (e.g. {@code call.arrived}) go to this subscription. */
    public boolean wants(String type) {
        return enabled && Webhooks.matches(events, type);
    }
}
