package dev.hotline.engine.sip;

import dev.hotline.engine.call.OverloadControl;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Decides, for each new INVITE and before anything else is done for it, whether the server can take one more
 * call: a token bucket caps the rate of new calls, and a probe measures how long work handed to the call
 * threads waits before it runs (the sign of a server that falls behind, whatever the cause). In-dialog requests
 * (ACK, BYE, re-INVITE) are never refused: finishing admitted calls is what frees the server.
 */
final class OverloadGuard implements OverloadControl {
    private final LongSupplier nanos;
    private volatile Limits limits = Limits.defaults();
    private volatile BooleanSupplier pressure = () -> false;

    // token bucket, guarded by this
    private double tokens;
    private long refilledAt;

    // queue-delay probe
    private final AtomicBoolean probeInFlight = new AtomicBoolean();
    private volatile long probeSentAt;
    private volatile long lastDelayNanos;
    private volatile long previousDelayNanos;

    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong refusedRate = new AtomicLong();
    private final AtomicLong refusedDelay = new AtomicLong();
    private final AtomicLong refusedPressure = new AtomicLong();

    OverloadGuard(LongSupplier nanos) {
        this.nanos = nanos;
        this.refilledAt = nanos.getAsLong();
    }

    @Override
    public void limits(Limits limits) {
        synchronized (this) {
            this.limits = limits;
            tokens = limits.maxCallsPerSecond();
            refilledAt = nanos.getAsLong();
        }
    }

    @Override
    public Limits limits() {
        return limits;
    }

    @Override
    public void pressure(BooleanSupplier overloaded) {
        this.pressure = overloaded;
    }

    /**
     * Sends a probe through the call threads unless one is still waiting; called by the engine's timer a few
     * dozen times a second.
     */
    void probe(ExecutorService callPool) {
        if (!probeInFlight.compareAndSet(false, true)) {
            return;
        }
        long sent = nanos.getAsLong();
        probeSentAt = sent;
        try {
            callPool.execute(() -> {
                previousDelayNanos = lastDelayNanos;
                lastDelayNanos = nanos.getAsLong() - sent;
                probeInFlight.set(false);
            });
        } catch (RejectedExecutionException stopping) {
            probeInFlight.set(false);
        }
    }

    /** How long work handed to the call threads waits now: the last probe's wait, or longer if one is still waiting. */
    long queueDelayNanos() {
        long delay = lastDelayNanos;
        if (probeInFlight.get()) {
            delay = Math.max(delay, nanos.getAsLong() - probeSentAt);
        }
        return delay;
    }

    /**
     * Behind when two probes in a row waited longer than the limit (the one in flight counting once it has): one
     * pause of the whole process (a garbage collection) is not an overload.
     */
    private boolean behind(long maxNanos) {
        long last = lastDelayNanos;
        if (probeInFlight.get() && nanos.getAsLong() - probeSentAt > maxNanos) {
            return last > maxNanos;
        }
        return last > maxNanos && previousDelayNanos > maxNanos;
    }

    /** Empty when a new call may be taken (and counts it), else why not. */
    Optional<Reason> admit() {
        Limits l = limits;
        if (behind(l.maxQueueDelay().toNanos())) {
            refusedDelay.incrementAndGet();
            return Optional.of(Reason.QUEUE_DELAY);
        }
        if (pressure.getAsBoolean()) {
            refusedPressure.incrementAndGet();
            return Optional.of(Reason.PRESSURE);
        }
        if (l.maxCallsPerSecond() > 0 && !takeToken(l.maxCallsPerSecond())) {
            refusedRate.incrementAndGet();
            return Optional.of(Reason.RATE);
        }
        admitted.incrementAndGet();
        return Optional.empty();
    }

    private synchronized boolean takeToken(int perSecond) {
        long now = nanos.getAsLong();
        tokens = Math.min(perSecond, tokens + (now - refilledAt) * perSecond / 1e9);
        refilledAt = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    @Override
    public Status status() {
        long delay = queueDelayNanos();
        Limits l = limits;
        return new Status(l, admitted.get(), refusedRate.get(), refusedDelay.get(), refusedPressure.get(),
                delay / 1_000_000, behind(l.maxQueueDelay().toNanos()) || pressure.getAsBoolean());
    }
}
