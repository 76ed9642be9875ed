package dev.hotline.engine.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuthThrottleTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final AuthThrottle throttle = new AuthThrottle(3, Duration.ofMinutes(1), Duration.ofMinutes(5), clock);

    @Test
    void bansAfterTooManyFailuresWithinTheWindowAndLiftsTheBan() {
        assertThat(throttle.recordFailure("10.0.0.1")).isFalse();
        assertThat(throttle.recordFailure("10.0.0.1")).isFalse();
        assertThat(throttle.isBanned("10.0.0.1")).isFalse();
        assertThat(throttle.recordFailure("10.0.0.1")).isTrue();
        assertThat(throttle.isBanned("10.0.0.1")).isTrue();
        assertThat(throttle.isBanned("10.0.0.2")).isFalse();
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(throttle.isBanned("10.0.0.1")).isFalse();
    }

    @Test
    void failuresOutsideTheWindowDoNotCount() {
        throttle.recordFailure("10.0.0.3");
        throttle.recordFailure("10.0.0.3");
        clock.advance(Duration.ofMinutes(2));
        assertThat(throttle.recordFailure("10.0.0.3")).isFalse();
        throttle.purge();
        assertThat(throttle.isBanned("10.0.0.3")).isFalse();
    }

    @Test
    void zeroMaxFailuresDisablesBanning() {
        AuthThrottle off = new AuthThrottle(0, Duration.ofMinutes(1), Duration.ofMinutes(5), clock);
        for (int i = 0; i < 100; i++) {
            assertThat(off.recordFailure("10.0.0.4")).isFalse();
        }
        assertThat(off.isBanned("10.0.0.4")).isFalse();
    }
}
