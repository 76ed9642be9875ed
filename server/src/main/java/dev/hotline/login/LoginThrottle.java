package dev.hotline.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins per account and per source address in a sliding window. Past the limit
 * the account (or address) is locked out until its oldest failure leaves the window.
 */
public final class LoginThrottle {
    public static final int MAX_PER_ACCOUNT = 5;
    public static final int MAX_PER_ADDRESS = 20;
    public static final Duration WINDOW = Duration.ofMinutes(15);

    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    public boolean locked(String enterprise, String username, String ip) {
        return count(accountKey(enterprise, username)) >= MAX_PER_ACCOUNT || count(addressKey(ip)) >= MAX_PER_ADDRESS;
    }

    public void failed(String enterprise, String username, String ip) {
        add(accountKey(enterprise, username));
        add(addressKey(ip));
    }

    public void succeeded(String enterprise, String username) {
        failures.remove(accountKey(enterprise, username));
    }

    private static String accountKey(String enterprise, String username) {
        return "a:" + enterprise.toLowerCase() + "/" + username.toLowerCase();
    }

    private static String addressKey(String ip) {
        return "ip:" + ip;
    }

    private int count(String key) {
        Deque<Instant> q = failures.get(key);
        if (q == null) return 0;
        synchronized (q) {
            prune(q);
            return q.size();
        }
    }

    private void add(String key) {
        Deque<Instant> q = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (q) {
            prune(q);
            q.addLast(clock.instant());
        }
    }

    private void prune(Deque<Instant> q) {
        Instant cutoff = clock.instant().minus(WINDOW);
        while (!q.isEmpty() && q.peekFirst().isBefore(cutoff)) q.removeFirst();
    }
}
