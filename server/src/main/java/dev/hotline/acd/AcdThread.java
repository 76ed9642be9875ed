package dev.hotline.acd;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The ACD's one thread and its timers. Everything the ACD does runs here, one task at a time, so its
 * state needs no locks; database work is offloaded to a second thread and its result posted back.
 * The running server uses {@link ExecutorAcdThread}; a unit test drives a manual one with its own
 * clock, so that ring timeouts, wrap-up and the self-check happen when the test says.
 */
interface AcdThread extends AutoCloseable {

    /** A scheduled task that may still be cancelled. */
    interface Timer {
        void cancel();
    }

    /** Runs {@code task} on the thread, later; a failure is logged, never thrown. */
    void execute(Runnable task);

    /** Runs {@code task} on the thread once {@code delay} has passed. */
    Timer schedule(Duration delay, Runnable task);

    /** Runs {@code task} on the thread every {@code period}, the first time after one period. */
    Timer every(Duration period, Runnable task);

    /** Runs {@code task} on the thread {@code pause} after each run ends (the self-check). */
    Timer everyAfter(Duration pause, Runnable task);

    /** Runs {@code task} off the thread, in order with the other offloaded tasks (database reads). */
    void offload(Runnable task);

    /** Runs {@code task} on the thread and waits for its result; directly when already on it. Its exceptions are thrown. */
    <T> T call(Callable<T> task);

    /** Waits until the offloaded tasks asked for so far are done and the thread is idle. */
    void settle();

    @Override
    void close();
}
