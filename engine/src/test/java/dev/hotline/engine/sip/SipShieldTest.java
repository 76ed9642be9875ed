package dev.hotline.engine.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotline.engine.call.SipBans;
import dev.hotline.engine.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SipShieldTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    SipShield shield(int maxFailures, int accountMax, int sweepMax, List<String> trusted) {
        return new SipShield(new SipShield.Settings(maxFailures, accountMax, sweepMax, Duration.ofMinutes(1),
                Duration.ofMinutes(5), trusted), clock);
    }

    @Test
    void bansAnAddressAfterTooManyFailuresWithinTheWindowAndLiftsTheBanWhenItRunsOut() {
        SipShield s = shield(3, 0, 0, List.of());
        assertThat(s.recordFailure("10.0.0.1", "1001@a")).isEmpty();
        assertThat(s.recordFailure("10.0.0.1", "1001@a")).isEmpty();
        assertThat(s.isBanned("10.0.0.1")).isFalse();
        assertThat(s.recordFailure("10.0.0.1", "1001@a")).hasValue("3 failed authentications");
        assertThat(s.isBanned("10.0.0.1")).isTrue();
        assertThat(s.isBanned("10.0.0.2")).isFalse();
        assertThat(s.list()).extracting(SipBans.Ban::key).containsExactly("10.0.0.1");
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(s.isBanned("10.0.0.1")).isFalse();
        assertThat(s.list()).isEmpty();
    }

    @Test
    void failuresOutsideTheWindowDoNotCountAndZeroTurnsARuleOff() {
        SipShield s = shield(3, 0, 0, List.of());
        s.recordFailure("10.0.0.3", null);
        s.recordFailure("10.0.0.3", null);
        clock.advance(Duration.ofMinutes(2));
        assertThat(s.recordFailure("10.0.0.3", null)).isEmpty();
        s.purge();
        assertThat(s.isBanned("10.0.0.3")).isFalse();
        SipShield off = shield(0, 0, 0, List.of());
        for (int i = 0; i < 100; i++) {
            assertThat(off.recordFailure("10.0.0.4", "x@a")).isEmpty();
            assertThat(off.inspect("10.0.0.4", "OPTIONS", null, "u" + i)).isEmpty();
        }
        assertThat(off.isBanned("10.0.0.4")).isFalse();
    }

    @Test
    void anAccountGuessedFromManyAddressesIsLockedWithoutBanningThem() {
        SipShield s = shield(5, 6, 0, List.of());
        for (int i = 0; i < 6; i++) {
            s.recordFailure("10.1.0." + (i % 3), "1001@Demo");
        }
        assertThat(s.isLocked("1001@demo")).isTrue();
        assertThat(s.isLocked("1002@demo")).isFalse();
        assertThat(s.isBanned("10.1.0.0")).isFalse();
        assertThat(s.lift(SipBans.Kind.ACCOUNT, "1001@DEMO")).isTrue();
        assertThat(s.isLocked("1001@demo")).isFalse();
        assertThat(s.lift(SipBans.Kind.ACCOUNT, "1001@demo")).isFalse();
    }

    @Test
    void aScannerUserAgentIsBannedAtOnceAndAnOptionsSweepAfterTooManyUsers() {
        SipShield s = shield(5, 0, 3, List.of());
        assertThat(s.inspect("10.2.0.1", "OPTIONS", "friendly-scanner", "100")).isPresent();
        assertThat(s.isBanned("10.2.0.1")).isTrue();
        assertThat(s.inspect("10.2.0.9", "REGISTER", "SIPVicious 0.3", "100")).isPresent();
        // the same user again and again is a keep-alive, not a sweep
        for (int i = 0; i < 20; i++) {
            assertThat(s.inspect("10.2.0.2", "OPTIONS", "Yealink", "")).isEmpty();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(s.inspect("10.2.0.3", "OPTIONS", null, "10" + i)).isEmpty();
        }
        assertThat(s.inspect("10.2.0.3", "OPTIONS", null, "103")).hasValue("OPTIONS to 4 users within 60 s");
        // INVITEs to many numbers (a trunk) are not a sweep
        for (int i = 0; i < 20; i++) {
            assertThat(s.inspect("10.2.0.4", "INVITE", null, "2000" + i)).isEmpty();
        }
    }

    @Test
    void trustedAddressesAndBlocksAreNeverBannedAndABadEntryFailsAtStart() {
        SipShield s = shield(1, 0, 1, List.of("192.0.2.7", "10.9.0.0/16", "2001:db8::/32"));
        s.recordFailure("192.0.2.7", null);
        s.recordFailure("10.9.200.1", null);
        s.recordFailure("2001:db8::5", null);
        s.inspect("10.9.1.1", "OPTIONS", "friendly-scanner", "1");
        assertThat(s.list()).isEmpty();
        s.recordFailure("10.10.0.1", null);
        assertThat(s.isBanned("10.10.0.1")).isTrue();
        assertThatThrownBy(() -> shield(1, 0, 0, List.of("10.0.0.0/33"))).hasMessageContaining("prefix");
        assertThatThrownBy(() -> shield(1, 0, 0, List.of("not an address!"))).hasMessageContaining("trusted");
    }
}
