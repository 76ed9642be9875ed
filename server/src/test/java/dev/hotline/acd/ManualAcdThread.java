package dev.hotline.acd;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;

/**
 * The ACD's thread for unit tests: tasks run on the test's thread when the test asks (any call,
 * {@link #drain}, {@link #advance}), and timers fire when the test moves its {@link #clock} on.
 * A task that throws fails the test (the real thread only logs it).
 */
final class ManualAcdThread implements AcdThread {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
    private final Deque<Runnable> ready = new ArrayDeque<>();
    private final PriorityQueue<Task> timers = new PriorityQueue<>(Comparator.comparing((Task t) -> t.due).thenComparingLong(t -> t.seq));
    private long seq;

    private final class Task implements Timer {
        Instant due;
        final long seq = ++ManualAcdThread.this.seq;
        final Duration period;
        final Runnable run;
        boolean cancelled;

        Task(Instant due, Duration period, Runnable run) {
            this.due = due;
            this.period = period;
            this.run = run;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public void execute(Runnable task) {
        ready.add(task);
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        return add(new Task(clock.instant().plus(delay), null, task));
    }

    @Override
    public Timer every(Duration period, Runnable task) {
        return add(new Task(clock.instant().plus(period), period, task));
    }

    @Override
    public Timer everyAfter(Duration pause, Runnable task) {
        return every(pause, task);
    }

    private Task add(Task t) {
        timers.add(t);
        return t;
    }

    @Override
    public void offload(Runnable task) {
        ready.add(task);
    }

    @Override
    public <T> T call(Callable<T> task) {
        drain();
        try {
            T out = task.call();
            drain();
            return out;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void settle() {
        drain();
    }

    /** Runs every task posted so far (and those they post). */
    void drain() {
        while (!ready.isEmpty()) ready.poll().run();
    }

    /** Moves the clock on by {@code d}, firing the timers that fall due on the way, in order. */
    void advance(Duration d) {
        Instant end = clock.instant().plus(d);
        while (true) {
            drain();
            Task next = timers.peek();
            if (next == null || next.due.isAfter(end)) break;
            timers.poll();
            if (next.cancelled) continue;
            clock.set(next.due);
            next.run.run();
            if (next.period != null && !next.cancelled) {
                next.due = next.due.plus(next.period);
                timers.add(next);
            }
        }
        clock.set(end);
        drain();
    }

    void advanceSeconds(double s) {
        advance(Duration.ofMillis(Math.round(s * 1000)));
    }

    @Override
    public void close() {
        timers.clear();
        ready.clear();
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
