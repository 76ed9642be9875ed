package dev.hotline.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system's time moved by an offset the test sets: time keeps running (sessions, retries, timers behave as usual),
 * and a test reaches tomorrow's 08:00 by setting the clock to it instead of waiting.
 */
public final class ShiftedClock extends Clock {
    private final AtomicReference<Duration> offset;
    private final ZoneId zone;

    public ShiftedClock() {
        this(new AtomicReference<>(Duration.ZERO), ZoneId.of("UTC"));
    }

    private ShiftedClock(AtomicReference<Duration> offset, ZoneId zone) {
        this.offset = offset;
        this.zone = zone;
    }

    /** From now on, the clock reads {@code now} (and runs on from it). */
    public void set(Instant now) {
        offset.set(Duration.between(Instant.now(), now));
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId z) {
        return new ShiftedClock(offset, z);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }
}
