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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Web callbacks (OUT-4): requests from the public endpoint are stored first (so a restart loses none), then placed on this
 * object's thread ("hotline-webcallback") inside the enterprise's business hours or at the visitor's chosen time, in the mode
 * the enterprise had set when the request was made:
 * <ul>
 *   <li>customer first: the customer is dialled through the enterprise's trunk or route, and once answered is put in the
 *   callback queue, where the ACD offers them to an agent like any caller;</li>
 *   <li>agent first: the request joins the callback queue as an ACD-6 call back entry (no caller channel), keeps its place like
 *   a caller (and across a restart: queued requests are put back in their order at start); when an agent's device answers
 *   the offer, the customer is dialled through the trunk or route (toll-fraud limits checked) in the agent's call.</li>
 * </ul>
 * A try that does not reach an agent (customer busy or not answering, the agent released) is retried after
 * {@code retryMinutes}, up to {@code maxAttempts}. A request still waiting can be cancelled, by the visitor with the token
 * returned to them or by an agent or administrator. Every step is in the event log ({@code web_callback}).
 */
public final class WebCallbacks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebCallbacks.class);
    static final Duration TICK = Duration.ofSeconds(1);
    /** Customer-first requests of one enterprise being placed at once, at most (agent-first ones wait in the queue). */
    static final int MAX_PLACING = 5;
    /** Handle time assumed for the expected wait while the queue has no answered call in {@link #HANDLE_WINDOW} (seconds). */
    static final long DEFAULT_HANDLE_SECONDS = 120;
    /** The queue's handle time is averaged over its calls of this last stretch. */
    static final Duration HANDLE_WINDOW = Duration.ofHours(24);

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
    /** Leg id → its customer-first try: read by the engine's threads, written by this object's thread. */
    private final Map<String, Try> legs = new ConcurrentHashMap<>();

    /** One customer-first try at one request (this object's thread only). */
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

    /**
     * After the ACD started: requests a stop left being placed are pending again, agent-first requests that were waiting in a
     * queue are put back in it in their order; then due requests are looked at every {@link #TICK}.
     */
    public void start() {
        int released = jdbi.withHandle(h -> WebCallbackStore.releasePlacing(h, clock.instant()));
        if (released > 0) log.info("{} web callback(s) left being placed by the last run are pending again", released);
        thread.execute(this::requeue);
        thread.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Every engine event (from the switchboard): those of the callbacks' legs go to this object's thread. */
    public void onEvent(CallEvent e) {
        Try t = legs.get(e.channelId());
        if (t != null && !thread.isShutdown()) thread.execute(() -> handle(t, e));
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /**
     * What the visitor is told: the request's id, its place among the callbacks and queue callers, the expected wait and what it
     * rests on (the queue's average handle time, measured or the default, and its agents signed in), and the token that cancels it.
     */
    public record Accepted(long id, int position, long expectedWaitSeconds, Instant notBefore, long handleSeconds, String handleBasis,
                           int agents, String cancelToken) {}

    /** Stores a checked request and estimates its place and wait. */
    Accepted accept(WebCallbackStore.Site site, String number, String name, Instant scheduledAt, String ip) {
        Instant now = clock.instant();
        WebCallbackSettings s = site.settings();
        String mode = s.mode() == null ? WebCallbackSettings.CUSTOMER_FIRST : s.mode();
        String token = Challenge.randomKey(16);
        long id = jdbi.withHandle(h -> WebCallbackStore.insert(h, site.enterpriseId(), number, name, ip, scheduledAt, mode, hash(token), now));
        book.log(new CallLogEvent.WebCallbackStep(site.enterpriseId(), "webcallback-" + id, now, null, id, number, "requested",
                "mode=" + mode + (scheduledAt == null ? "" : " at=" + scheduledAt)));
        int ahead = jdbi.withHandle(h -> WebCallbackStore.ahead(h, site.enterpriseId(), id));
        String queue = jdbi.withHandle(h -> WebCallbackStore.queueName(h, site.enterpriseId(), s.queueId())).orElse("");
        int waiting = 0;
        int agents = 0;
        int ready = 0;
        for (QueueLive q : acd.live(site.enterpriseId())) {
            if (!q.name().equals(queue)) continue;
            waiting = q.waiting();
            for (var en : q.agents().entrySet()) if (en.getKey() != AgentState.LOGGED_OUT) agents += en.getValue();
            ready = q.agents().getOrDefault(AgentState.READY, 0);
        }
        Optional<double[]> aht = jdbi.withHandle(h -> WebCallbackStore.handleTime(h, site.enterpriseId(), queue, now.minus(HANDLE_WINDOW)));
        long handle = aht.map(a -> Math.round(a[0])).orElse(DEFAULT_HANDLE_SECONDS);
        String basis = aht.map(a -> "measured: " + (long) a[1] + " calls in 24 h").orElse("default: no call answered in 24 h");
        int position = ahead + waiting + 1;
        Instant notBefore = s.hours().nextOpen(scheduledAt == null || scheduledAt.isBefore(now) ? now : scheduledAt);
        long wait = Duration.between(now, notBefore).toSeconds() + queueWait(position, handle, agents, ready);
        thread.execute(this::tick);
        return new Accepted(id, position, wait, notBefore, handle, basis, agents, token);
    }

    /**
     * The ACD's own estimate (its position announcement): {@code position × handle time ÷ agents signed in}; nothing when as
     * many agents are ready as there are requests up to this one.
     */
    static long queueWait(int position, long handleSeconds, int agents, int ready) {
        if (ready >= position) return 0;
        return (long) Math.ceil((double) position * handleSeconds / Math.max(1, agents));
    }

    static String hash(String token) {
        return HexFormat.of().formatHex(Challenge.sha256(token));
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
        for (WebCallbackStore.Request r : jdbi.withHandle(h -> WebCallbackStore.due(h, enterpriseId, now, 50))) {
            if (r.agentFirst()) {
                if (move(r, WebCallbackStore.Move.of(RequestState.PENDING, RequestState.QUEUED), now)) queue(enterpriseId, r, s, "queued");
                continue;
            }
            if (room <= 0) continue;
            if (!move(r, WebCallbackStore.Move.of(RequestState.PENDING, RequestState.PLACING).counted(), now)) continue;
            room--;
            place(new Try(enterpriseId, r, s), now);
        }
    }

    private boolean move(WebCallbackStore.Request r, WebCallbackStore.Move m, Instant now) {
        return jdbi.withHandle(h -> WebCallbackStore.move(h, r.id(), m, now));
    }

    /** At start: agent-first requests that waited in a queue join it again, in the order they first joined. */
    private void requeue() {
        try {
            for (WebCallbackStore.Queued q : jdbi.withHandle(WebCallbackStore::queued)) {
                Optional<WebCallbackStore.Site> site = jdbi.withHandle(h -> WebCallbackStore.site(h, q.enterpriseId()));
                if (site.isPresent()) queue(q.enterpriseId(), q.request(), site.get().settings(), "requeued");
            }
        } catch (RuntimeException ex) {
            log.error("web callbacks: putting queued requests back failed", ex);
        }
    }

    /** Agent first: the request (queued now) keeps a place in the callback queue until an agent answers its offer. */
    private void queue(long enterpriseId, WebCallbackStore.Request r, WebCallbackSettings s, String step) {
        Instant now = clock.instant();
        String queue = jdbi.withHandle(h -> WebCallbackStore.queueName(h, enterpriseId, s.queueId())).orElse(null);
        AgentFirst af = new AgentFirst(enterpriseId, r, s);
        Instant since = r.queuedAt() != null && "requeued".equals(step) ? r.queuedAt() : now;
        Optional<Integer> position = queue == null ? Optional.empty() : acd.requestCallback(enterpriseId, r.key(), r.number(), queue, since, af);
        if (position.isEmpty()) {
            if (queue != null && acd.callbackPosition(enterpriseId, r.key()).isPresent()) return; // waiting there already
            af.retryOrFail(RequestState.QUEUED, "reason=no_queue");
            return;
        }
        book.log(new CallLogEvent.WebCallbackStep(enterpriseId, r.key(), now, null, r.id(), r.number(), step,
                "mode=" + WebCallbackSettings.AGENT_FIRST + " queue=" + queue.replace(' ', '_') + " position=" + position.get()));
    }

    /**
     * One agent-first try: the ACD calls {@link #dial} and {@link #ended} on its thread; the database work is handed to this
     * object's thread.
     */
    private final class AgentFirst implements Acd.CallbackRequest {
        final long enterpriseId;
        final WebCallbackStore.Request request;
        final WebCallbackSettings settings;
        final int attempt;
        /** Set on the ACD's thread before the hand-off that reads them. */
        String callId;
        String agentJob;
        String refusal;

        AgentFirst(long enterpriseId, WebCallbackStore.Request request, WebCallbackSettings settings) {
            this.enterpriseId = enterpriseId;
            this.request = request;
            this.settings = settings;
            this.attempt = request.attempts() + 1;
            this.callId = request.key();
        }

        @Override
        public Optional<Channel> dial(Channel agentLeg, long agentUserId, String job) {
            agentJob = job == null ? String.valueOf(agentUserId) : job;
            CallBook.Call c = book.find(agentLeg.id()).orElse(null);
            if (c != null) callId = c.callId();
            OutboundPlan plan = routing.planThrough(enterpriseId, settings.trunkId(), settings.outboundRouteId(), request.number());
            if (plan.refused()) refusal = plan.error().replace(' ', '_');
            // Logged here, before the customer's leg is placed, so that the event log shows the order the calls were made in.
            Instant now = clock.instant();
            log(now, "agent_answered", "attempt=" + attempt + " agent=" + agentJob);
            thread.execute(() -> agentAnswered(agentUserId));
            if (plan.refused()) return Optional.empty();
            DialRequest req = DialRequest.to(plan.target()).withCallerId(CallerId.of(settings.callerId()))
                    .withTimeout(Duration.ofSeconds(WebCallbackSettings.RING_SECONDS));
            return Optional.of(routing.engine().originate(req, leg -> {
                acd.watch(leg.id());
                if (c == null) return;
                book.join(c, leg, plan.label());
                book.record(c, new CallLogEvent.WebCallbackStep(enterpriseId, c.callId(), now, leg.id(), request.id(), request.number(),
                        "attempt", "attempt=" + attempt + " mode=" + WebCallbackSettings.AGENT_FIRST + " agent=" + agentJob));
            }));
        }

        @Override
        public void ended(Acd.CallbackEnd end) {
            thread.execute(() -> finished(end));
        }

        private void agentAnswered(long agentUserId) {
            Instant now = clock.instant();
            if (!move(request, WebCallbackStore.Move.of(RequestState.QUEUED, RequestState.PLACING).counted().agent(agentUserId), now)) {
                log.warn("web callback {}: answered by agent {} but no longer queued", request.id(), agentUserId);
            }
        }

        private void finished(Acd.CallbackEnd end) {
            Instant now = clock.instant();
            if (end instanceof Acd.CallbackEnd.Connected) {
                if (move(request, WebCallbackStore.Move.of(RequestState.PLACING, RequestState.DONE).result("connected"), now)) {
                    log(now, "connected", "attempt=" + attempt + " agent=" + agentJob);
                }
            } else if (end instanceof Acd.CallbackEnd.NotReached n) {
                retryOrFail(RequestState.PLACING, "reason=not_answered cause=" + n.cause().name() + " sip=" + n.sipStatus() + " agent=" + agentJob
                        + " released");
            } else if (end instanceof Acd.CallbackEnd.NotDialled) {
                retryOrFail(RequestState.PLACING, "reason=" + (refusal == null ? "originate" : refusal) + " agent=" + agentJob + " released");
            } else if (end instanceof Acd.CallbackEnd.AgentLeft) {
                retryOrFail(RequestState.PLACING, "reason=agent_left agent=" + agentJob);
            }
        }

        /** Retried after {@code retryMinutes} while tries are left (it joins the queue again then), else the request failed. */
        void retryOrFail(RequestState from, String why) {
            Instant now = clock.instant();
            boolean again = attempt < settings.maxAttemptsOrDefault();
            Instant next = again ? now.plus(Duration.ofMinutes(settings.retryMinutesOrDefault())) : null;
            String result = why.replace("reason=", "").split(" agent=")[0];
            WebCallbackStore.Move m = WebCallbackStore.Move.of(from, again ? RequestState.PENDING : RequestState.FAILED).next(next).result(result);
            if (!move(request, m, now)) return;
            log(now, again ? "retry" : "failed", "attempt=" + attempt + " " + why + (again ? " next=" + next : ""));
        }

        private void log(Instant now, String step, String detail) {
            book.log(new CallLogEvent.WebCallbackStep(enterpriseId, callId, now, null, request.id(), request.number(), step, detail));
        }
    }

    // ================================================================ customer first (this object's thread)

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
                move(t.request, WebCallbackStore.Move.of(RequestState.PLACING, RequestState.DONE).result("connected"), now);
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
        move(t.request, WebCallbackStore.Move.of(RequestState.PLACING, again ? RequestState.PENDING : RequestState.FAILED).next(next)
                .result(why.replace("reason=", "")), now);
    }

    private void step(Try t, String step, String detail, Instant now) {
        book.log(new CallLogEvent.WebCallbackStep(t.enterpriseId, t.callId, now, t.leg == null ? null : t.leg.id(), t.request.id(),
                t.request.number(), step, detail));
    }

    /** For the routes: the enterprise's request, or 404. */
    WebCallbackStore.Request request(long enterpriseId, long id) {
        return jdbi.withHandle(h -> WebCallbackStore.byId(h, enterpriseId, id)).orElseThrow(() -> DomainException.notFound("callback request"));
    }

    List<WebCallbackStore.Request> requests(long enterpriseId, Instant from, Instant to, RequestState state, int limit) {
        return jdbi.withHandle(h -> WebCallbackStore.list(h, enterpriseId, from, to, state, limit));
    }

    WebCallbackStore.Report report(long enterpriseId, Instant from, Instant to) {
        return jdbi.withHandle(h -> WebCallbackStore.report(h, enterpriseId, from, to));
    }

    // ================================================================ cancelling

    /** The visitor cancels their request with the token they were given (403 when it is not that request's token). */
    WebCallbackStore.Request cancelByVisitor(long enterpriseId, long id, String token) {
        String stored = jdbi.withHandle(h -> WebCallbackStore.cancelHash(h, enterpriseId, id)).orElseThrow(() -> DomainException.notFound("callback request"));
        if (token == null || token.length() > 64 || stored == null
                || !MessageDigest.isEqual(stored.getBytes(StandardCharsets.US_ASCII), hash(token).getBytes(StandardCharsets.US_ASCII))) {
            throw DomainException.forbidden("not the token of this request");
        }
        return cancel(enterpriseId, id, "visitor");
    }

    /**
     * Cancels a request still waiting (pending, or queued: taken out of the ACD queue, an agent ringing for it stops), on this
     * object's thread so that no try starts half-way; 409 once a try is under way or the request is closed.
     */
    WebCallbackStore.Request cancel(long enterpriseId, long id, String by) {
        try {
            return thread.submit(() -> cancelHere(enterpriseId, id, by)).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw DomainException.unavailable("busy", "the callback service is busy; try again");
        }
    }

    private WebCallbackStore.Request cancelHere(long enterpriseId, long id, String by) {
        WebCallbackStore.Request r = request(enterpriseId, id);
        RequestState state = r.status();
        if (!state.cancellable()) {
            throw DomainException.conflict(state == RequestState.PLACING ? "the callback is being placed now" : "the callback is " + r.state() + " already");
        }
        if (state == RequestState.QUEUED && acd.cancelCallback(enterpriseId, r.key()) == Acd.CallbackCancel.CONNECTING) {
            throw DomainException.conflict("the callback is being placed now: an agent took it");
        }
        Instant now = clock.instant();
        if (!move(r, WebCallbackStore.Move.of(state, RequestState.CANCELLED).result("cancelled").by(by), now)) {
            throw DomainException.conflict("the callback changed meanwhile; look again");
        }
        book.log(new CallLogEvent.WebCallbackStep(enterpriseId, r.key(), now, null, r.id(), r.number(), "cancelled",
                "by=" + by.replace(' ', '_') + " was=" + r.state()));
        return request(enterpriseId, id);
    }
}
