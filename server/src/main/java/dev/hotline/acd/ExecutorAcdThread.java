package dev.hotline.acd;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ACD's thread in the running server: {@code hotline-acd}, with {@code hotline-acd-config} for database reads. */
final class ExecutorAcdThread implements AcdThread {
    private static final Logger log = LoggerFactory.getLogger(ExecutorAcdThread.class);
    private static final String NAME = "hotline-acd";

    private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, NAME));
    private final ScheduledExecutorService loader = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "hotline-acd-config"));

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void execute(Runnable task) {
        exec.execute(() -> guard(task));
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        return timer(exec.schedule(() -> guard(task), delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public Timer every(Duration period, Runnable task) {
        long ms = period.toMillis();
        return timer(exec.scheduleAtFixedRate(() -> guard(task), ms, ms, TimeUnit.MILLISECONDS));
    }

    @Override
    public Timer everyAfter(Duration pause, Runnable task) {
        long ms = pause.toMillis();
        return timer(exec.scheduleWithFixedDelay(() -> guard(task), ms, ms, TimeUnit.MILLISECONDS));
    }

    private static Timer timer(ScheduledFuture<?> f) {
        return () -> f.cancel(false);
    }

    @Override
    public void offload(Runnable task) {
        loader.execute(task);
    }

    @Override
    public <T> T call(Callable<T> task) {
        if (Thread.currentThread().getName().equals(NAME)) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return exec.submit(task).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the ACD did not answer in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void settle() {
        try {
            loader.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
        call(() -> null);
    }

    @Override
    public void close() {
        loader.shutdownNow();
        exec.shutdown();
        try {
            exec.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void guard(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.error("ACD error", e);
        }
    }
}
