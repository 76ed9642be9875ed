package dev.hotline.engine.sip;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed authentications per source IP and bans an IP for a while after too many of them
 * within a window (SEC-1: brute force protection). Requests from a banned IP are dropped.
 */
public final class AuthThrottle {
    private final int maxFailures;
    private final long windowMillis;
    private final long banMillis;
    private final Clock clock;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();
    private final Map<String, Long> bannedUntil = new ConcurrentHashMap<>();

    public AuthThrottle(int maxFailures, Duration window, Duration ban, Clock clock) {
        this.maxFailures = maxFailures;
        this.windowMillis = window.toMillis();
        this.banMillis = ban.toMillis();
        this.clock = clock;
    }

    public boolean isBanned(String ip) {
        if (bannedUntil.isEmpty()) {
            return false;
        }
        Long until = bannedUntil.get(ip);
        if (until == null) {
            return false;
        }
        if (until > clock.millis()) {
            return true;
        }
        bannedUntil.remove(ip, until);
        return false;
    }

    /** Records a failure; returns true when this failure starts a ban. */
    public boolean recordFailure(String ip) {
        if (maxFailures <= 0) {
            return false;
        }
        long now = clock.millis();
        Deque<Long> q = failures.computeIfAbsent(ip, k -> new ArrayDeque<>());
        synchronized (q) {
            q.addLast(now);
            while (!q.isEmpty() && q.peekFirst() < now - windowMillis) {
                q.removeFirst();
            }
            if (q.size() >= maxFailures) {
                q.clear();
                bannedUntil.put(ip, now + banMillis);
                return true;
            }
        }
        return false;
    }

    /** Drops old state; called by the engine's sweeper. */
    public void purge() {
        long now = clock.millis();
        bannedUntil.values().removeIf(until -> until <= now);
        failures.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().isEmpty() || e.getValue().peekLast() < now - windowMillis;
            }
        });
    }
}
