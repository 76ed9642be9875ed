package dev.hotline.engine.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotline.engine.call.OverloadControl.Limits;
import dev.hotline.engine.call.OverloadControl.Reason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The admission decisions of overload control, on a clock the test moves. */
class OverloadGuardTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final OverloadGuard guard = new OverloadGuard(now::get);

    void advanceMillis(long ms) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    @Test
    void noCapByDefault() {
        for (int i = 0; i < 10_000; i++) {
            assertThat(guard.admit()).isEmpty();
        }
        assertThat(guard.status().admitted()).isEqualTo(10_000);
    }

    @Test
    void theRateCapAdmitsABurstOfOneSecondThenTheRefillRate() {
        guard.limits(new Limits(100, Duration.ofMillis(200), Duration.ofSeconds(2)));
        int admitted = 0;
        for (int i = 0; i < 150; i++) {
            if (guard.admit().isEmpty()) admitted++;
        }
        assertThat(admitted).isEqualTo(100);
        assertThat(guard.admit()).contains(Reason.RATE);
        advanceMillis(100); // 10 more tokens
        admitted = 0;
        for (int i = 0; i < 50; i++) {
            if (guard.admit().isEmpty()) admitted++;
        }
        assertThat(admitted).isEqualTo(10);
        // Ten seconds offered at 30 times the cap: the cap's rate is admitted, no more.
        admitted = 0;
        for (int ms = 0; ms < 10_000; ms++) {
            advanceMillis(1);
            for (int k = 0; k < 3; k++) {
                if (guard.admit().isEmpty()) admitted++;
            }
        }
        assertThat(admitted).isBetween(999, 1001);
        assertThat(guard.status().refusedRate()).isPositive();
    }

    @Test
    void workWaitingTooLongForTheCallThreadsRefusesNewCallsOnlyWhenItLasts() {
        guard.limits(new Limits(0, Duration.ofMillis(200), Duration.ofSeconds(2)));
        Manual pool = new Manual();
        // One long pause (a garbage collection): the probe in flight waits 250 ms, once: not an overload.
        guard.probe(pool);
        advanceMillis(250);
        assertThat(guard.admit()).isEmpty();
        guard.probe(pool); // one probe in flight at a time
        assertThat(pool.tasks).hasSize(1);
        pool.runAll();
        assertThat(guard.status().queueDelayMillis()).isEqualTo(250);
        assertThat(guard.admit()).isEmpty();
        // The next probe waits too long as well: behind, new calls refused.
        guard.probe(pool);
        advanceMillis(150);
        assertThat(guard.admit()).isEmpty();
        advanceMillis(100);
        assertThat(guard.status().overloaded()).isTrue();
        assertThat(guard.admit()).contains(Reason.QUEUE_DELAY);
        pool.runAll();
        assertThat(guard.admit()).contains(Reason.QUEUE_DELAY);
        // A prompt probe: taken again.
        guard.probe(pool);
        advanceMillis(5);
        pool.runAll();
        assertThat(guard.admit()).isEmpty();
        assertThat(guard.status().refusedDelay()).isEqualTo(2);
        assertThat(guard.status().overloaded()).isFalse();
    }

    @Test
    void datagramsWaitingTooLongInTheReceiveQueueRefuseNewCallsOnlyWhenItLasts() {
        guard.limits(new Limits(0, Duration.ofMillis(200), Duration.ofSeconds(3)));
        byte[] first = guard.udpProbe();
        assertThat(guard.udpProbe()).as("one probe in flight at a time").isNull();
        advanceMillis(250);
        assertThat(guard.refuseInvite("a")).as("one slow probe (a pause) is not an overload").isEmpty();
        assertThat(guard.probeArrived(first)).isTrue();
        assertThat(guard.udpProbes()).isEqualTo(1);
        byte[] second = guard.udpProbe();
        advanceMillis(250);
        assertThat(guard.status().queueDelayMillis()).isEqualTo(250);
        assertThat(guard.refuseInvite("b")).as("the second probe waits too long too").hasValue(3);
        assertThat(guard.refuseInvite("a")).as("a retransmission of a call admitted before passes").isEmpty();
        assertThat(guard.probeArrived(second)).isTrue();
        byte[] third = guard.udpProbe();
        advanceMillis(5);
        assertThat(guard.probeArrived(third)).isTrue();
        assertThat(guard.refuseInvite("b")).isEmpty();
        assertThat(guard.status().refusedDelay()).isEqualTo(1);
    }

    @Test
    void aLostReceiveQueueProbeIsSentAgainAndTheServerIsNotBehindForeverAfterIt() {
        guard.limits(new Limits(0, Duration.ofMillis(200), Duration.ofSeconds(2)));
        for (int i = 0; i < 2; i++) { // two slow probes: behind
            byte[] p = guard.udpProbe();
            advanceMillis(300);
            guard.probeArrived(p);
        }
        byte[] lost = guard.udpProbe();
        advanceMillis(1000);
        assertThat(guard.refuseInvite("x")).isPresent();
        assertThat(guard.udpProbe()).as("still in flight").isNull();
        advanceMillis(2100);
        byte[] again = guard.udpProbe();
        assertThat(again).as("taken for lost after 3 s: a new probe").isNotNull();
        advanceMillis(10);
        guard.probeArrived(lost); // the old one turning up late changes nothing
        assertThat(guard.udpProbes()).isEqualTo(2);
        guard.probeArrived(again);
        assertThat(guard.udpProbes()).isEqualTo(3);
        byte[] next = guard.udpProbe();
        advanceMillis(10);
        guard.probeArrived(next);
        assertThat(guard.refuseInvite("y")).isEmpty();
    }

    @Test
    void aProbeWithoutTheEnginesTokenIsDroppedAndChangesNothing() {
        byte[] probe = guard.udpProbe();
        String forged = new String(probe, java.nio.charset.StandardCharsets.US_ASCII).replaceAll(" [0-9a-f]+ ", " 0 ");
        assertThat(guard.probeArrived(forged.getBytes(java.nio.charset.StandardCharsets.US_ASCII))).as("NUL first: not SIP").isTrue();
        assertThat(guard.udpProbes()).isZero();
        assertThat(guard.probeArrived("INVITE sip:x SIP/2.0".getBytes(java.nio.charset.StandardCharsets.US_ASCII))).isFalse();
    }

    @Test
    void anAdmittedInvitesRetransmissionsPassForTimerBAndTakeNoToken() {
        guard.limits(new Limits(2, Duration.ofMillis(500), Duration.ofSeconds(2)));
        assertThat(guard.refuseInvite("call-1")).isEmpty();
        assertThat(guard.refuseInvite("call-2")).isEmpty();
        for (int i = 0; i < 5; i++) assertThat(guard.refuseInvite("call-1")).isEmpty();
        assertThat(guard.refuseInvite("call-3")).as("the bucket holds 2").hasValue(2);
        advanceMillis(33_000);
        guard.forgetAdmitted();
        assertThat(guard.refuseInvite("call-1")).as("forgotten after 32 s: a new decision, with a refilled bucket").isEmpty();
        assertThat(guard.status().admitted()).isEqualTo(3);
    }

    @Test
    void theServersPressureSignalRefusesNewCalls() {
        AtomicBoolean behind = new AtomicBoolean(true);
        guard.pressure(behind::get);
        assertThat(guard.admit()).isEqualTo(Optional.of(Reason.PRESSURE));
        behind.set(false);
        assertThat(guard.admit()).isEmpty();
        assertThat(guard.status().refusedPressure()).isEqualTo(1);
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> new Limits(-1, Duration.ofMillis(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Limits(1, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** An executor that runs its tasks only when told. */
    static final class Manual extends AbstractExecutorService {
        final List<Runnable> tasks = new ArrayList<>();

        void runAll() {
            List<Runnable> now = new ArrayList<>(tasks);
            tasks.clear();
            now.forEach(Runnable::run);
        }

        @Override
        public void execute(Runnable r) {
            tasks.add(r);
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }
}
