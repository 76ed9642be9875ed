package dev.hotline.engine.sip;

import dev.hotline.engine.call.OverloadControl;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Decides, for each new INVITE and before anything else is done for it, whether the server can take one more
 * call: a token bucket caps the rate of new calls, and a probe measures how long work handed to the call
 * threads waits before it runs, and a second probe how long a datagram waits in the SIP stack's receive queue before
 * it is read (the signs of a server that falls behind, whatever the cause). In-dialog requests (ACK, BYE, re-INVITE)
 * are never refused: finishing admitted calls is what frees the server. The decision is taken on the raw datagram by
 * {@link RawMessageGuard}, before the stack parses it or makes a transaction: a refusal costs a header scan.
 */
final class OverloadGuard implements OverloadControl, RawMessageGuard.Admission {
    /** How long an admitted INVITE's retransmissions are let through without a new decision (RFC 3261 Timer B, 64*T1). */
    static final long ADMITTED_MEMORY_NANOS = 32_000_000_000L;
    /** A receive-queue probe not back after this is taken for lost and sent again (the wait counted on from the new one). */
    static final long UDP_PROBE_LOST_NANOS = 3_000_000_000L;

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

    // receive-queue probe: a datagram sent to our own SIP port, recognised by the raw guard by its token
    private final String probeToken = Long.toHexString(new SecureRandom().nextLong());
    private final AtomicBoolean udpProbeInFlight = new AtomicBoolean();
    private volatile long udpProbeSentAt;
    private volatile long udpLastDelayNanos;
    private volatile long udpPreviousDelayNanos;
    private final AtomicLong udpProbes = new AtomicLong();

    /** Call-IDs of INVITEs admitted in the last 32 s: their retransmissions pass to the stack, which absorbs them. */
    private final Map<String, Long> admittedCalls = new ConcurrentHashMap<>();
    /** The same calls in the order they were admitted: forgotten from the head, without scanning the map. */
    private final Queue<Admitted> admittedOrder = new ConcurrentLinkedQueue<>();

    private record Admitted(String callId, long at) {
    }

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

    /**
     * The receive-queue probe to send now to the engine's own SIP port, or null while the last one has not arrived.
     * Its text starts with a NUL byte, which no SIP message does, and carries a token nobody else knows.
     */
    byte[] udpProbe() {
        long now = nanos.getAsLong();
        // A datagram can be lost (a full socket buffer; the stack drops what waited over 2 s): sent again after 3 s.
        boolean lost = udpProbeInFlight.get() && now - udpProbeSentAt > UDP_PROBE_LOST_NANOS;
        if (!lost && !udpProbeInFlight.compareAndSet(false, true)) {
            return null;
        }
        long sent = now;
        udpProbeSentAt = sent;
        return ("\0hotline-probe " + probeToken + " " + sent).getBytes(StandardCharsets.US_ASCII);
    }

    /** A probe that could not be sent (socket closed): the next one is sent in its place. */
    void udpProbeLost() {
        udpProbeInFlight.set(false);
    }

    @Override
    public boolean probeArrived(byte[] datagram) {
        if (datagram.length == 0 || datagram[0] != 0) {
            return false;
        }
        String[] parts = new String(datagram, 1, datagram.length - 1, StandardCharsets.US_ASCII).split(" ");
        if (parts.length != 3 || !parts[0].equals("hotline-probe") || !parts[1].equals(probeToken)) {
            return true; // NUL first: not SIP, dropped whatever it is
        }
        try {
            long sent = Long.parseLong(parts[2]);
            if (sent == udpProbeSentAt) {
                udpPreviousDelayNanos = udpLastDelayNanos;
                udpLastDelayNanos = nanos.getAsLong() - sent;
                udpProbes.incrementAndGet();
                udpProbeInFlight.set(false);
            }
        } catch (NumberFormatException ignored) {
            // not ours
        }
        return true;
    }

    /** Probes that came back through the receive queue (tests). */
    long udpProbes() {
        return udpProbes.get();
    }

    /**
     * How long new work waits now, in the receive queue or for the call threads, whichever is longer: the last probes'
     * waits, or longer if one is still waiting.
     */
    long queueDelayNanos() {
        long now = nanos.getAsLong();
        long delay = Math.max(lastDelayNanos, udpLastDelayNanos);
        if (probeInFlight.get()) {
            delay = Math.max(delay, now - probeSentAt);
        }
        if (udpProbeInFlight.get()) {
            delay = Math.max(delay, now - udpProbeSentAt);
        }
        return delay;
    }

    /**
     * Behind when two probes in a row, of the call threads or of the receive queue, waited longer than the limit (the
     * one in flight counting once it has): one pause of the whole process (a garbage collection) is not an overload.
     */
    private boolean behind(long maxNanos) {
        long now = nanos.getAsLong();
        return behind(maxNanos, lastDelayNanos, previousDelayNanos, probeInFlight.get() ? now - probeSentAt : -1)
                || behind(maxNanos, udpLastDelayNanos, udpPreviousDelayNanos, udpProbeInFlight.get() ? now - udpProbeSentAt : -1);
    }

    private static boolean behind(long maxNanos, long last, long previous, long waitingNanos) {
        if (waitingNanos > maxNanos) {
            return last > maxNanos;
        }
        return last > maxNanos && previous > maxNanos;
    }

    @Override
    public OptionalInt refuseInvite(String callId) {
        if (callId != null && admittedCalls.containsKey(callId)) {
            return OptionalInt.empty(); // a retransmission, or the same call again after a challenge
        }
        if (admit().isPresent()) {
            return OptionalInt.of((int) limits.retryAfter().toSeconds());
        }
        if (callId != null) {
            long at = nanos.getAsLong();
            admittedCalls.put(callId, at);
            admittedOrder.add(new Admitted(callId, at));
        }
        return OptionalInt.empty();
    }

    /** Forgets admitted calls older than {@link #ADMITTED_MEMORY_NANOS}; called by the engine's sweep. */
    void forgetAdmitted() {
        long oldest = nanos.getAsLong() - ADMITTED_MEMORY_NANOS;
        for (Admitted a = admittedOrder.peek(); a != null && a.at() - oldest < 0; a = admittedOrder.peek()) {
            admittedOrder.poll();
            admittedCalls.remove(a.callId(), a.at());
        }
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
