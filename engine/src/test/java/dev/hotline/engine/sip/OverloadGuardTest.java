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
