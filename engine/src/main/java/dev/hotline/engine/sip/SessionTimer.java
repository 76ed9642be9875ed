package dev.hotline.engine.sip;

import java.util.concurrent.TimeUnit;

/**
 * One leg's RFC 4028 session timer: the negotiated interval and when we refresh the session or give
 * it up. Armed on the call executor by {@link SessionTimers}; read and taken by the engine's sweeper.
 */
final class SessionTimer {
    private volatile long intervalSeconds;
    private volatile long refreshAtNanos;
    private volatile long expireAtNanos;

    /** Starts a new interval: we refresh at its half, or the other side must refresh before it ends. */
    void arm(int seconds, boolean weRefresh) {
        long now = System.nanoTime();
        intervalSeconds = seconds;
        if (weRefresh) {
            refreshAtNanos = now + TimeUnit.SECONDS.toNanos(seconds) / 2;
            expireAtNanos = 0;
        } else {
            refreshAtNanos = 0;
            // RFC 4028 §10: BYE at the interval minus min(32, interval/3) without a refresh
            expireAtNanos = now + TimeUnit.SECONDS.toNanos(seconds - Math.min(32, seconds / 3));
        }
    }

    /** The negotiated interval in seconds; 0 without a session timer. */
    long interval() {
        return intervalSeconds;
    }

    /** True while we are the refresher and our refresh is still to come. */
    boolean weRefresh() {
        return refreshAtNanos != 0;
    }

    /** True once when the session expired at {@code now} without a refresh (the expiry is then disarmed). */
    boolean takeExpiry(long now) {
        if (expireAtNanos != 0 && now > expireAtNanos) {
            expireAtNanos = 0;
            return true;
        }
        return false;
    }

    /** True once when our refresh is due at {@code now} (it is then disarmed until the next arm). */
    boolean takeRefresh(long now) {
        if (refreshAtNanos != 0 && now > refreshAtNanos) {
            refreshAtNanos = 0;
            return true;
        }
        return false;
    }
}
