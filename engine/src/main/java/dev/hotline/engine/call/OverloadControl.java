package dev.hotline.engine.call;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Overload control (OPS-2, issue 19): new calls beyond what the server can carry are refused at once with
 * 503 and Retry-After (RFC 3261 §21.5.4), before any routing or database work, so that the calls already
 * admitted keep completing instead of every call timing out in a retransmission storm.
 */
public interface OverloadControl {
    /**
     * The limits in force.
     *
     * @param maxCallsPerSecond new inbound calls admitted per second (a token bucket one second deep); zero: no cap
     * @param maxQueueDelay     new calls are refused while work handed to the call threads waits longer than this (two
     *                          probes in a row)
     * @param retryAfter        the Retry-After sent with each 503
     */
    record Limits(int maxCallsPerSecond, Duration maxQueueDelay, Duration retryAfter) {
        public Limits {
            if (maxCallsPerSecond < 0) {
                throw new IllegalArgumentException("maxCallsPerSecond must be >= 0");
            }
            if (maxQueueDelay.isNegative() || maxQueueDelay.isZero()) {
                throw new IllegalArgumentException("maxQueueDelay must be > 0");
            }
            if (retryAfter.isNegative() || retryAfter.toSeconds() > 3600) {
                throw new IllegalArgumentException("retryAfter must be 0-3600 s");
            }
        }

        public static Limits defaults() {
            return new Limits(0, Duration.ofMillis(500), Duration.ofSeconds(2));
        }
    }

    /** Why a new call was refused. */
    enum Reason { RATE, QUEUE_DELAY, PRESSURE }

    /** What the control has done and sees now. */
    record Status(Limits limits, long admitted, long refusedRate, long refusedDelay, long refusedPressure,
                  long queueDelayMillis, boolean overloaded) {
    }

    void limits(Limits limits);

    Limits limits();

    /** A signal from the server (e.g. its event-log writer far behind): while it answers true, new calls are refused. */
    void pressure(BooleanSupplier overloaded);

    Status status();
}
