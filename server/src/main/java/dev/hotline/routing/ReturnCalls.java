package dev.hotline.routing;

import dev.hotline.engine.call.CallerId;
import dev.hotline.engine.call.DialRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PBX-6 calls that come back: the call-back list (a listed caller is hung up on, then called back
 * and connected to the number's destination) and the smart direct line (a customer calling back
 * within 24 h reaches the extension that called them). Both survive a restart through
 * {@link Pbx6Store}.
 */
final class ReturnCalls {
    private static final Logger log = LoggerFactory.getLogger(ReturnCalls.class);
    static final Duration DIRECT_LINE_WINDOW = Duration.ofHours(24);

    /** Who called a number out, and when. */
    private record OutboundCall(String extension, Instant at) {}

    private final RoutingData data;
    private final CallBook book;
    private final Clock clock;
    private final Duration ringTimeout;
    private final Pbx6Store store;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hotline-callbacks");
        t.setDaemon(true);
        return t;
    });
    /** Calls back placed and not yet answered: channel → the number (DID) whose destination they go to. */
    private final Map<String, RoutingStore.Did> placed = new ConcurrentHashMap<>();
    /** Smart direct line: "enterpriseId:number" → the extension that called it out last. */
    private final Map<String, OutboundCall> recentOutbound = new ConcurrentHashMap<>();

    ReturnCalls(RoutingData data, CallBook book, Jdbi jdbi, Clock clock, Duration ringTimeout) {
        this.data = data;
        this.book = book;
        this.clock = clock;
        this.ringTimeout = ringTimeout;
        this.store = new Pbx6Store(jdbi, DIRECT_LINE_WINDOW);
    }

    // --- the call-back list

    /** The call-back list entry the caller matches, if any. */
    Optional<RoutingStore.CallbackEntry> listed(long enterpriseId, String caller) {
        return data.tenant(enterpriseId).stream().flatMap(t -> t.callbacks().stream()).filter(x -> x.matches(caller)).findFirst();
    }

    /** A call back due at {@code due}, stored so that a restart does not lose it ({@code storedId}: already stored). */
    void schedule(long enterpriseId, String number, RoutingStore.Did did, Instant due, String storedId) {
        String id = storedId != null ? storedId : store.callbackPending(enterpriseId, number, did.number(), due);
        long delayMs = Math.max(0, Duration.between(clock.instant(), due).toMillis());
        timer.schedule(() -> {
            store.callbackPlaced(id);
            callBack(enterpriseId, number, did);
        }, delayMs, TimeUnit.MILLISECONDS);
    }

    /** Calls {@code number} through the outbound routes, showing the hotline number, to connect it to the DID's destination. */
    private void callBack(long enterpriseId, String number, RoutingStore.Did did) {
        try {
            if (!data.knows(enterpriseId)) return;
            OutboundPlan plan = data.plan(enterpriseId, number);
            if (plan.refused()) {
                log.warn("cannot call back {}: {}", number, plan.error());
                return;
            }
            DialRequest req = DialRequest.to(plan.target()).withCallerId(CallerId.of(did.number())).withTimeout(ringTimeout);
            data.engine().originate(req, out -> {
                placed.put(out.id(), did);
                book.begin(enterpriseId, out, "outbound", did.number(), number, plan.trunk().name(), null);
            });
        } catch (RuntimeException e) {
            log.error("call back to {} failed", number, e);
        }
    }

    /** The customer answered a call back: the number whose destination they go to. */
    Optional<RoutingStore.Did> answered(String channelId) {
        return Optional.ofNullable(placed.remove(channelId));
    }

    void hungUp(String channelId) {
        placed.remove(channelId);
    }

    // --- the smart direct line

    /** {@code extension} called outside number {@code number} just now. */
    void calledOut(long enterpriseId, String number, String extension) {
        Instant now = clock.instant();
        recentOutbound.put(enterpriseId + ":" + number, new OutboundCall(extension, now));
        store.outbound(enterpriseId, number, extension, now);
        if (recentOutbound.size() > 100_000) {
            Instant since = now.minus(DIRECT_LINE_WINDOW);
            recentOutbound.values().removeIf(o -> o.at().isBefore(since));
        }
    }

    /** The extension that called {@code caller} out in the last 24 h, matching on the last 8 digits at least. */
    Optional<String> directLine(long enterpriseId, String caller) {
        if (caller == null || caller.length() < 7) return Optional.empty();
        Instant since = clock.instant().minus(DIRECT_LINE_WINDOW);
        String tail = caller.length() > 8 ? caller.substring(caller.length() - 8) : caller;
        return recentOutbound.entrySet().stream()
                .filter(en -> en.getKey().startsWith(enterpriseId + ":") && en.getValue().at().isAfter(since))
                .filter(en -> {
                    String n = en.getKey().substring(en.getKey().indexOf(':') + 1);
                    return n.equals(caller) || n.endsWith(tail);
                })
                .max(Comparator.comparing(en -> en.getValue().at()))
                .map(en -> en.getValue().extension());
    }

    // --- start and stop

    /** At start: the direct-line memory of the last 24 h, and the call backs still to place (to the number's current destination). */
    void restore() {
        try {
            for (var o : store.recentOutbound(clock.instant().minus(DIRECT_LINE_WINDOW))) {
                recentOutbound.merge(o.enterpriseId() + ":" + o.number(), new OutboundCall(o.extension(), o.at()),
                        (a, b) -> a.at().isAfter(b.at()) ? a : b);
            }
            Instant soon = clock.instant().plusSeconds(3); // overdue ones: a moment for phones to register again
            for (var p : store.pendingCallbacks()) {
                var did = data.tenant(p.enterpriseId()).map(t -> t.dids().get(p.did()));
                if (did.isPresent()) {
                    schedule(p.enterpriseId(), p.number(), did.get(), p.dueAt().isBefore(soon) ? soon : p.dueAt(), p.id());
                } else {
                    log.warn("call back to {} dropped: number {} is gone", p.number(), p.did());
                    store.callbackPlaced(p.id());
                }
            }
        } catch (RuntimeException e) {
            log.error("cannot restore call backs and direct lines", e);
        }
    }

    /** Pending call backs stay stored for the next start; queued writes are flushed. */
    void close() {
        timer.shutdownNow();
        store.close();
    }
}
