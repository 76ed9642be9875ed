package dev.hotline.engine.webrtc;

import java.time.Duration;

/**
 * ICE consent freshness (RFC 7675) as seen by an ICE-lite agent: we never send checks, so the
 * browser's own consent checks (Binding requests on the selected pair, every ~5 s in Chromium and
 * Firefox) and its authenticated media are the only signs that the far end still wants the
 * session. After {@link #TIMEOUT} with neither, consent is lost (RFC 7675 §5.1: 30 s) and the
 * session's legs end.
 *
 * <p>Times are {@link System#nanoTime()} values passed in, so the rule is tested without waiting.
 * Written from the media thread, read from the sweeper: volatile fields, no lock.
 */
public final class ConsentFreshness {
    /** RFC 7675 §5.1: consent expires 30 s after the last check that granted it. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final long timeoutNanos;
    private volatile long lastCheckNanos;
    private volatile long lastMediaNanos;
    private volatile long checks;

    /** Starts fresh at {@code nowNanos}: a connection being set up has its own handshake bound. */
    public ConsentFreshness(long nowNanos) {
        this(nowNanos, TIMEOUT);
    }

    public ConsentFreshness(long nowNanos, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("consent timeout must be positive: " + timeout);
        }
        this.timeoutNanos = timeout.toNanos();
        this.lastCheckNanos = nowNanos;
        this.lastMediaNanos = nowNanos;
    }

    /** A valid Binding request on the selected pair was answered with success. */
    public void checkAnswered(long nowNanos) {
        lastCheckNanos = nowNanos;
        checks++;
    }

    /** An SRTP or SRTCP packet passed authentication. */
    public void mediaReceived(long nowNanos) {
        lastMediaNanos = nowNanos;
    }

    /** Consent checks answered so far. */
    public long checks() {
        return checks;
    }

    /** How long since the last sign of consent (check or media). */
    public Duration silentFor(long nowNanos) {
        return Duration.ofNanos(nowNanos - Math.max(lastCheckNanos, lastMediaNanos));
    }

    /** True once neither a consent check nor media came for the timeout. */
    public boolean expired(long nowNanos) {
        return nowNanos - lastCheckNanos > timeoutNanos && nowNanos - lastMediaNanos > timeoutNanos;
    }
}
