package dev.hotline.engine.fax;

import java.time.Duration;

/**
 * T.30 §5.4.3 timers: {@code t1} to find a fax terminal at the far end (35 s), {@code t2} for the next command after a
 * page or a response (6 s), {@code t4} for a response before a command is repeated (3 s); a command goes at most
 * {@code tries} times (T.30 §5.4.2: three).
 */
public record FaxTimers(Duration t1, Duration t2, Duration t4, int tries) {
    public static final FaxTimers T30 = new FaxTimers(Duration.ofSeconds(35), Duration.ofSeconds(6),
            Duration.ofSeconds(3), 3);
}
