package dev.hotline.widget;

import java.util.List;
import java.util.Locale;

/**
 * One "call us" widget of an enterprise (API-3): the public {@code key} its script tag carries, the queue its calls join, the
 * sites allowed to embed it ({@code origins}, e.g. {@code https://www.example.com}), whether it is on, and its rate limits.
 */
public record Widget(long id, String key, String name, long queueId, String queue, List<String> origins, boolean enabled,
                     int perAddressPerMinute, int perKeyPerMinute) {

    static final int DEFAULT_PER_ADDRESS = 5;
    static final int DEFAULT_PER_KEY = 60;

    /** True when {@code origin} (the browser's Origin header) is one of the listed sites. */
    public boolean allows(String origin) {
        return origin != null && origins.contains(origin.strip().toLowerCase(Locale.ROOT));
    }

    /**
     * What an admin sends to create or change a widget; null limits take the defaults (5 calls per address, 60 per widget,
     * per minute), null {@code enabled} is on.
     */
    public record Input(String name, Long queueId, List<String> origins, Boolean enabled, Integer perAddressPerMinute,
                        Integer perKeyPerMinute) {
        int perAddress() {
            return perAddressPerMinute == null ? DEFAULT_PER_ADDRESS : perAddressPerMinute;
        }

        int perKey() {
            return perKeyPerMinute == null ? DEFAULT_PER_KEY : perKeyPerMinute;
        }

        boolean on() {
            return enabled == null || enabled;
        }
    }
}
