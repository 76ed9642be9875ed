package dev.hotline.webcallback;

import dev.hotline.acd.Acd;
import dev.hotline.acd.AgentState;
import dev.hotline.acd.QueueLive;
import dev.hotline.domain.DomainException;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallerId;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.report.CallLogEvent;
import dev.hotline.routing.CallBook;
import dev.hotline.routing.OutboundPlan;
import dev.hotline.routing.RoutingData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
 * Web callbacks (OUT-4): requests from the public endpoint are stored first (so a restart loses none), then placed on this
 * object's thread ("hotline-webcallback") inside the enterprise's business hours or at the visitor's chosen time. Customer
 * first: the customer is dialled through the enterprise's trunk or route, and once answered is put in the callback queue,
 * where the ACD offers them to an agent like any caller. A try that does not reach an agent is retried after
 * {@code retryMinutes}, up to {@code maxAttempts}. Every step is in the event log ({@code web_callback}).
 */
public final class WebCallbacks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebCallbacks.class);
    static final Duration TICK = Duration.ofSeconds(1);
    /** Requests of one enterprise being placed at once, at most. */
    static final int MAX_PLACING = 5;
    /** Handle time assumed for the expected wait (seconds). */
    static final long HANDLE_SECONDS = 120;

    private final Jdbi jdbi;
    private final Acd acd;
    private final CallBook book;
    private final RoutingData routing;
    private final Clock clock;
    final Challenge challenges = new Challenge();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hotline-webcallback");
        t.setDaemon(true);
        return t;
    });
    /** Leg id → its try: read by the engine's threads, written by this object's thread. */
    private final Map<String, Try> legs = new ConcurrentHashMap<>();

    /** One try at one request (this object's thread only). */
    private static final class Try {
        final long enterpriseId;
        final WebCallbackStore.Request request;
        final WebCallbackSettings settings;
        final int attempt;
        Channel leg;
        String callId;
        String queue;
        boolean answered;
        boolean connected;
        boolean ended;

        Try(long enterpriseId, WebCallbackStore.Request request, WebCallbackSettings settings) {
            this.enterpriseId = enterpriseId;
            this.request = request;
            this.settings = settings;
            this.attempt = request.attempts() + 1;
        }
    }

    public WebCallbacks(Jdbi jdbi, Acd acd, CallBook book, RoutingData routing, Clock clock) {
        this.jdbi = jdbi;
        this.acd = acd;
        this.book = book;
        this.routing = routing;
        this.clock = clock;
    }

    /** Requests a stop left being placed are pending again; then due requests are looked at every {@link #TICK}. */
    public void start() {
        int released = jdbi.withHandle(h -> WebCallbackStore.releasePlacing(h, clock.instant()));
        if (released > 0) log.info("{} web callback(s) left being placed by the last run are pending again", released);
        thread.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every engine event (from the switchboard): those of the callbacks' legs go to this object's thread. */
    public void onEvent(CallEvent e) {
        Try t = legs.get(e.channelId());
        if (t != null) thread.execute(() -> handle(t, e));
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** What the visitor is told: the request's id, its place among the callbacks and queue callers, and the expected wait. */
    public record Accepted(long id, int position, long expectedWaitSeconds, Instant notBefore) {}

    /** Stores a checked request and estimates its place and wait. */
    Accepted accept(WebCallbackStore.Site site, String number, String name, Instant scheduledAt, String ip) {
        Instant now = clock.instant();
        long id = jdbi.withHandle(h -> WebCallbackStore.insert(h, site.enterpriseId(), number, name, ip, scheduledAt, now));
        book.log(new CallLogEvent.WebCallbackStep(site.enterpriseId(), "webcallback-" + id, now, null, id, number, "requested",
                "mode=" + site.settings().mode() + (scheduledAt == null ? "" : " at=" + scheduledAt)));
        int ahead = jdbi.withHandle(h -> WebCallbackStore.ahead(h, site.enterpriseId(), id));
        WebCallbackSettings s = site.settings();
        String queue = jdbi.withHandle(h -> WebCallbackStore.queueName(h, site.enterpriseId(), s.queueId())).orElse("");
        int waiting = 0;
        int agents = 0;
        for (QueueLive q : acd.live(site.enterpriseId())) {
            if (!q.name().equals(queue)) continue;
            waiting = q.waiting();
            for (var en : q.agents().entrySet()) if (en.getKey() != AgentState.LOGGED_OUT) agents += en.getValue();
        }
        int position = ahead + waiting + 1;
        Instant notBefore = s.hours().nextOpen(scheduledAt == null || scheduledAt.isBefore(now) ? now : scheduledAt);
        long wait = Duration.between(now, notBefore).toSeconds() + (position - 1) * HANDLE_SECONDS / Math.max(1, agents);
        thread.execute(this::tick);
        return new Accepted(id, position, wait, notBefore);
    }

    // ================================================================ placing (this object's thread)

    private void tick() {
        try {
            Instant now = clock.instant();
            for (long e : jdbi.withHandle(h -> WebCallbackStore.enterprisesWithDue(h, now))) {
                try {
                    placeDue(e, now);
                } catch (RuntimeException ex) {
                    log.error("web callbacks of enterprise {}: placing failed", e, ex);
                }
            }
        } catch (RuntimeException ex) {
            log.error("web callback tick failed", ex);
        }
    }

    private void placeDue(long enterpriseId, Instant now) {
        Optional<WebCallbackStore.Site> site = jdbi.withHandle(h -> WebCallbackStore.site(h, enterpriseId));
        if (site.isEmpty() || !site.get().settings().enabled()) return;
        WebCallbackSettings s = site.get().settings();
        if (!s.hours().open(now)) return;
        int room = MAX_PLACING - jdbi.withHandle(h -> WebCallbackStore.placing(h, enterpriseId));
        if (room <= 0) return;
        for (WebCallbackStore.Request r : jdbi.withHandle(h -> WebCallbackStore.due(h, enterpriseId, now, room))) {
            if (!jdbi.withHandle(h -> WebCallbackStore.claim(h, r.id(), now))) continue;
            place(new Try(enterpriseId, r, s), now);
        }
    }

    /** Customer first: dials the customer through the trunk or route, showing the enterprise's caller ID. */
    private void place(Try t, Instant now) {
        WebCallbackSettings s = t.settings;
        t.queue = jdbi.withHandle(h -> WebCallbackStore.queueName(h, t.enterpriseId, s.queueId())).orElse(null);
        OutboundPlan plan = routing.planThrough(t.enterpriseId, s.trunkId(), s.outboundRouteId(), t.request.number());
        if (t.queue == null || plan.refused()) {
            t.callId = "webcallback-" + t.request.id();
            tried(t, "reason=" + (t.queue == null ? "no_queue" : plan.error().replace(' ', '_')));
            return;
        }
        DialRequest req = DialRequest.to(plan.target()).withCallerId(CallerId.of(s.callerId()))
                .withTimeout(Duration.ofSeconds(WebCallbackSettings.RING_SECONDS));
        try {
            routing.engine().originate(req, leg -> {
                t.leg = leg;
                t.callId = leg.id();
                legs.put(leg.id(), t);
                CallBook.Call c = book.begin(t.enterpriseId, leg, "outbound", s.callerId(), t.request.number(), plan.trunk().name(), null);
                book.record(c, new CallLogEvent.WebCallbackStep(t.enterpriseId, c.callId(), now, leg.id(), t.request.id(), t.request.number(),
                        "attempt", "attempt=" + t.attempt + " mode=" + WebCallbackSettings.CUSTOMER_FIRST));
            });
        } catch (RuntimeException e) {
            log.warn("web callback {}: cannot dial {}: {}", t.request.id(), t.request.number(), e.toString());
            if (t.leg != null) legs.remove(t.leg.id());
            if (t.callId == null) t.callId = "webcallback-" + t.request.id();
            tried(t, "reason=originate");
        }
    }

    private void handle(Try t, CallEvent e) {
        try {
            Instant now = clock.instant();
            if (e instanceof CallEvent.ChannelAnswered && !t.answered) {
                t.answered = true;
                boolean queued = acd.enqueue(t.enterpriseId, t.callId, t.leg, t.request.number(), t.queue, 0, false);
                step(t, "answered", "queue=" + t.queue.replace(' ', '_') + " queued=" + queued, now);
                if (!queued) t.leg.hangup(HangupCause.NORMAL_CLEARING);
            } else if (e instanceof CallEvent.ChannelBridged && !t.connected && !t.ended) {
                t.connected = true;
                t.ended = true;
                step(t, "connected", "attempt=" + t.attempt, now);
                jdbi.useHandle(h -> WebCallbackStore.finish(h, t.request.id(), "done", null, "connected", now));
            } else if (e instanceof CallEvent.ChannelHungUp h) {
                legs.remove(h.channelId());
                if (t.ended) return;
                tried(t, t.answered ? "reason=left_before_agent" : "reason=not_answered cause=" + h.cause().name() + " sip=" + h.sipStatus());
            }
        } catch (RuntimeException ex) {
            log.error("web callback {}: event {} failed", t.request.id(), e.getClass().getSimpleName(), ex);
        }
    }

    /** A try that reached no agent: retried after {@code retryMinutes} while tries are left, else the request failed. */
    private void tried(Try t, String why) {
        if (t.ended) return;
        t.ended = true;
        Instant now = clock.instant();
        boolean again = t.attempt < t.settings.maxAttemptsOrDefault();
        Instant next = again ? now.plus(Duration.ofMinutes(t.settings.retryMinutesOrDefault())) : null;
        step(t, again ? "retry" : "failed", "attempt=" + t.attempt + " " + why + (again ? " next=" + next : ""), now);
        jdbi.useHandle(h -> WebCallbackStore.finish(h, t.request.id(), again ? "pending" : "failed", next, why.replace("reason=", ""), now));
    }

    private void step(Try t, String step, String detail, Instant now) {
        book.log(new CallLogEvent.WebCallbackStep(t.enterpriseId, t.callId, now, t.leg == null ? null : t.leg.id(), t.request.id(),
                t.request.number(), step, detail));
    }

    /** For the routes: the enterprise's request, or 404. */
    WebCallbackStore.Request request(long enterpriseId, long id) {
        return jdbi.withHandle(h -> WebCallbackStore.byId(h, enterpriseId, id)).orElseThrow(() -> DomainException.notFound("callback request"));
    }

    List<WebCallbackStore.Request> requests(long enterpriseId) {
        return jdbi.withHandle(h -> WebCallbackStore.list(h, enterpriseId, 200));
    }
}
