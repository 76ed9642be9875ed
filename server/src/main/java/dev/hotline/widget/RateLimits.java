package dev.hotline.widget;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sliding-window counters of the widget's call starts (in memory: a restart forgets them, which only lets a few more calls
 * through): a start is admitted when every counter it falls under has room in the last {@link #WINDOW}; it then counts in all.
 */
final class RateLimits {
    static final Duration WINDOW = Duration.ofMinutes(1);

    /** One counter a start falls under: its name (e.g. "key:abc" or "ip:abc:192.0.2.1") and its limit per window. */
    record Limit(String name, int perWindow) {}

    /** The outcome: admitted, or refused with the seconds after which the fullest counter has room again. */
    record Verdict(boolean admitted, String refusedBy, long retryAfterSeconds) {}

    private final Map<String, Deque<Instant>> hits = new HashMap<>();

    synchronized Verdict admit(List<Limit> limits, Instant now) {
        Instant since = now.minus(WINDOW);
        long wait = 0;
        String by = null;
        for (Limit l : limits) {
            Deque<Instant> d = hits.computeIfAbsent(l.name(), k -> new ArrayDeque<>());
            while (!d.isEmpty() && !d.peekFirst().isAfter(since)) d.pollFirst();
            if (d.size() >= l.perWindow()) {
                // Room again when enough of the oldest hits leave the window.
                Instant freed = d.stream().skip(d.size() - l.perWindow()).findFirst().orElse(now).plus(WINDOW);
                long s = Math.max(1, (Duration.between(now, freed).toMillis() + 999) / 1000);
                if (s > wait) {
                    wait = s;
                    by = l.name();
                }
            }
        }
        if (by != null) return new Verdict(false, by, wait);
        for (Limit l : limits) hits.get(l.name()).addLast(now);
        return new Verdict(true, null, 0);
    }

    /** Drops counters with nothing left in the window (called now and then, so that addresses seen once do not pile up). */
    synchronized void sweep(Instant now) {
        Instant since = now.minus(WINDOW);
        hits.values().removeIf(d -> {
            while (!d.isEmpty() && !d.peekFirst().isAfter(since)) d.pollFirst();
            return d.isEmpty();
        });
    }
}
