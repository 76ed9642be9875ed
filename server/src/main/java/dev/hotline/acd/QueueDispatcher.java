package dev.hotline.acd;

import dev.hotline.domain.DomainException;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.report.CallLogEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queue dispatch (ACD-1..5, ACD-7), on the dispatcher thread: callers join a queue, are offered to
 * free agents in serving order (priority, then arrival), ring an agent until answer or timeout
 * (RONA), are connected on answer, and leave by hang-up, max wait, queue full, keys or transfer.
 * Call backs are {@link Callbacks}, what callers hear while waiting is {@link Announcements}, and
 * the agents' states are the {@link AgentBoard}'s.
 */
final class QueueDispatcher implements AgentBoard.Queues {
    private static final Logger log = LoggerFactory.getLogger(QueueDispatcher.class);
    static final String TRANSFER_QUEUE = "transfer";
    static final int TRANSFER_RING_SECONDS = 20;
    /** How long the sticky-agent lookup may hold a caller back at most. */
    private static final Duration STICKY_LOOKUP = Duration.ofMillis(300);

    private final AcdContext ctx;
    private final AcdData data;
    private final RandomGenerator random;
    private AgentBoard board;
    final Callbacks callbacks;
    final Announcements announcements;

    /** Callers in queues by call id (callbacks included). */
    private final Map<String, Waiting> waiting = new LinkedHashMap<>();
    /** Caller channel id → its waiting entry. */
    private final Map<String, Waiting> byChannel = new HashMap<>();
    /** Agent leg id → the offer ringing it. */
    private final Map<String, Waiting.Offer> offers = new HashMap<>();
    /** PBX-4: a picker's leg not answered yet → the caller it picked up. */
    private final Map<String, Waiting> pickers = new HashMap<>();
    private final Map<Long, Strategies.Memory> memory = new HashMap<>();
    private final Map<Long, Counters> counters = new HashMap<>();
    private long seq;

    /** A queue's figures since start (SUP-1). */
    static final class Counters {
        long entered;
        long answered;
        long abandoned;
        long overflowed;
        /** Smoothed wait of answered calls, for the expected-wait announcement. */
        double avgWaitSeconds = -1;
    }

    QueueDispatcher(AcdContext ctx, AcdData data, RandomGenerator random) {
        this.ctx = ctx;
        this.data = data;
        this.random = random;
        this.callbacks = new Callbacks(ctx, this, data);
        this.announcements = new Announcements(ctx, this);
    }

    /** Set once at construction of the ACD (the board and the dispatcher know each other). */
    void attach(AgentBoard board) {
        this.board = board;
    }

    AgentBoard board() {
        return board;
    }

    Counters counters(long queueId) {
        return counters.computeIfAbsent(queueId, k -> new Counters());
    }

    /** True while {@code w} is still in its queue. */
    boolean isWaiting(Waiting w) {
        return waiting.containsKey(w.callId);
    }

    // ================================================================ joining

    void join(long enterpriseId, String callId, Channel caller, String callerNumber, String name, int priority, boolean transferred) {
        AcdConfig.Tenant t = ctx.tenant(enterpriseId);
        Optional<Queue> q = t.queue(name);
        if (q.isEmpty()) q = ctx.published.queue(enterpriseId, name);
        if (q.isEmpty()) {
            caller.hangup(HangupCause.NORMAL_CLEARING);
            return;
        }
        Queue queue = q.get();
        QueueSettings s = queue.settings();
        int prio = priority + (s.vip(callerNumber) ? 10 : 0) + (transferred ? 5 : 0);
        Instant now = ctx.now();
        Waiting w = new Waiting(enterpriseId, callId, queue.id(), callerNumber, now, ++seq, prio, caller);
        counters(queue.id()).entered++;
        long inQueue = waiting.values().stream().filter(x -> x.queueId == queue.id()).count();
        int position = position(w);
        ctx.host.log(new CallLogEvent.QueueJoined(enterpriseId, callId, now, caller.id(), queue.name(), prio, position));
        if (s.maxCallers() > 0 && inQueue >= s.maxCallers()) {
            overflow(w, queue, "full");
            return;
        }
        if (s.noAgents() != null && t.members().getOrDefault(queue.id(), List.of()).stream().noneMatch(board::signedIn)) {
            overflow(w, queue, "no_agents");
            return;
        }
        add(w);
        try {
            caller.hold(ctx.host.musicFolder(enterpriseId));
        } catch (RuntimeException e) {
            log.warn("queue {}: no music on hold for call {}: {}", queue.name(), callId, e.toString());
        }
        if (s.stickySeconds() > 0 || data.knowsCustomers()) lookUpCaller(w, s.stickySeconds());
        if (s.maxWaitSeconds() > 0) schedule(w, s.maxWaitSeconds(), () -> maxWait(w));
        if (s.announcePositionSeconds() > 0) every(w, s.announcePositionSeconds(), () -> announcements.position(w));
        if (s.periodicText() != null && s.periodicSeconds() > 0) every(w, s.periodicSeconds(), () -> announcements.periodic(w));
        dispatch(enterpriseId);
    }

    private void add(Waiting w) {
        waiting.put(w.callId, w);
        if (w.channel != null) byChannel.put(w.channel.id(), w);
    }

    /** OUT-4: a call back from outside joins queue {@code name} without a channel, keeping a place like an ACD-6 call back. */
    Optional<Integer> requestCallback(long enterpriseId, String key, String number, String name, Instant since, Acd.CallbackRequest request) {
        if (waiting.containsKey(key)) return Optional.empty();
        Optional<Queue> q = ctx.tenant(enterpriseId).queue(name);
        if (q.isEmpty()) q = ctx.published.queue(enterpriseId, name);
        if (q.isEmpty()) return Optional.empty();
        Waiting w = new Waiting(enterpriseId, key, q.get().id(), number, since, ++seq, 0, null);
        w.callback = true;
        w.request = request;
        int position = position(w);
        add(w);
        dispatch(enterpriseId);
        return Optional.of(position);
    }

    /** ACD-6 after a restart: the kept call back joins its queue again in its place; null when the queue is gone. */
    Waiting restoreCallback(CallbackStore.Kept k) {
        if (waiting.containsKey(k.callId())) return waiting.get(k.callId());
        Queue q = ctx.queue(k.enterpriseId(), k.queueId());
        if (q == null) return null;
        Waiting w = new Waiting(k.enterpriseId(), k.callId(), q.id(), k.callerNumber(), k.enqueuedAt(), ++seq, k.priority(), null);
        w.callback = true;
        add(w);
        return w;
    }

    Acd.CallbackCancel cancelCallback(long enterpriseId, String key) {
        Waiting w = waiting.get(key);
        if (w == null || w.enterpriseId != enterpriseId || w.request == null) return Acd.CallbackCancel.ABSENT;
        if (w.connecting) return Acd.CallbackCancel.CONNECTING;
        remove(w);
        dispatch(enterpriseId);
        return Acd.CallbackCancel.REMOVED;
    }

    Optional<Integer> callbackPosition(long enterpriseId, String key) {
        Waiting w = waiting.get(key);
        if (w == null || w.enterpriseId != enterpriseId || w.connecting) return Optional.empty();
        return Optional.of(position(w));
    }

    /** AGENT-5: a blind transfer to one colleague, who alone is offered the call; refused when they are not free. */
    void transferToAgent(long enterpriseId, String callId, Channel caller, String callerNumber, long targetUserId, Acd.Transfer transfer) {
        Agent target = board.get(targetUserId);
        if (target == null || target.enterpriseId != enterpriseId || !target.free() || target.device == null) {
            throw DomainException.conflict("that colleague is not ready for a call now");
        }
        Waiting w = new Waiting(enterpriseId, callId, -1, callerNumber, ctx.now(), ++seq, 100, caller);
        w.pinnedAgent = targetUserId;
        w.transfer = transfer;
        add(w);
        try {
            caller.hold(ctx.host.musicFolder(enterpriseId));
        } catch (RuntimeException e) {
            log.warn("no music for transferred call {}: {}", callId, e.toString());
        }
        dispatch(enterpriseId);
        if (w.offers.isEmpty()) {
            remove(w);
            throw DomainException.conflict("that colleague's phone cannot be reached");
        }
    }

    /**
     * OUT-1: an answered campaign call goes to the first of {@code candidates} who is free or held by {@code holder} (the
     * campaign) and whose device can ring; that agent alone is offered it. Empty when none is: the campaign abandons it.
     */
    Optional<Long> campaignCall(long enterpriseId, String callId, Channel customer, String number, List<Long> candidates, String holder,
                                String label) {
        for (long id : candidates) {
            Agent a = board.get(id);
            if (a == null || a.enterpriseId != enterpriseId || a.device == null || !(a.free() || a.reservedFor(holder))) continue;
            if (!ctx.host.reachable(enterpriseId, a.device)) continue;
            Waiting w = new Waiting(enterpriseId, callId, -1, number, ctx.now(), ++seq, 100, customer);
            w.pinnedAgent = id;
            w.campaign = label;
            w.holder = holder;
            ctx.host.log(new CallLogEvent.QueueJoined(enterpriseId, callId, ctx.now(), customer.id(), label, 100, 1));
            add(w);
            offer(w, null, a);
            if (!w.offers.isEmpty()) return Optional.of(id);
            remove(w);
        }
        return Optional.empty();
    }

    /**
     * Looks the caller up off this thread. ACD-3: the priority of their customer's tier is added when the answer comes
     * (the caller is not held back for it: priority only matters while callers wait). ACD-4, when the queue has sticky
     * seconds: the caller is held back during the lookup (at most {@link #STICKY_LOOKUP}), then waits up to those seconds
     * for the owner of their customer record when the owner is signed in to this queue, otherwise for the agent who
     * served them last (sticky agent), then anyone.
     */
    private void lookUpCaller(Waiting w, int stickySeconds) {
        if (w.callerNumber == null || w.callerNumber.isBlank()) return;
        boolean sticky = stickySeconds > 0;
        Instant since = ctx.now().minus(Duration.ofDays(30));
        Runnable done = () -> {
            if (!w.stickyLookup) return;
            w.stickyLookup = false;
            dispatch(w.enterpriseId);
        };
        if (sticky) {
            w.stickyLookup = true;
            w.timers.add(ctx.thread.schedule(STICKY_LOOKUP, done)); // a slow database does not hold the caller
        }
        ctx.thread.offload(() -> {
            try {
                Optional<CustomerRouting.Caller> customer = data.customer(w.enterpriseId, w.callerNumber);
                Optional<Long> last = sticky ? data.lastAgent(w.enterpriseId, w.callerNumber, since) : Optional.empty();
                ctx.thread.execute(() -> {
                    if (!isWaiting(w) || w.connecting) {
                        done.run();
                        return;
                    }
                    int boost = customer.map(CustomerRouting.Caller::priority).orElse(0);
                    w.priority += boost;
                    Agent a = !sticky ? null : customer.map(CustomerRouting.Caller::ownerUserId).map(board::get)
                            .filter(x -> servesQueue(x, w)).orElseGet(() -> last.map(board::get).filter(x -> servesQueue(x, w)).orElse(null));
                    if (a == null) {
                        if (w.stickyLookup) done.run();
                        else if (boost > 0) dispatch(w.enterpriseId);
                        return;
                    }
                    w.stickyLookup = false;
                    w.preferredAgent = a.userId;
                    schedule(w, stickySeconds, () -> {
                        w.preferredAgent = null;
                        dispatch(w.enterpriseId);
                    });
                    dispatch(w.enterpriseId);
                });
            } catch (RuntimeException e) {
                log.warn("caller lookup for {} failed: {}", w.callerNumber, e.toString());
                ctx.thread.execute(done);
            }
        });
    }

    private static boolean servesQueue(Agent a, Waiting w) {
        return a.state.signedIn() && a.queues.containsKey(w.queueId);
    }

    private void schedule(Waiting w, long seconds, Runnable r) {
        w.timers.add(ctx.thread.schedule(Duration.ofSeconds(seconds), r));
    }

    private void every(Waiting w, long seconds, Runnable r) {
        w.timers.add(ctx.thread.every(Duration.ofSeconds(seconds), r));
    }

    // ================================================================ serving order and offers

    /**
     * Callers of the enterprise in serving order: higher priority first, then who came first. With a queue's aging (ACD-3)
     * a priority point is worth that many seconds of waiting, so a long waiter overtakes a later caller of a slightly higher
     * priority; without it a point is worth a day (priority is strict for any real wait). One key for every caller keeps
     * the order total across queues with and without aging.
     */
    List<Waiting> order(long enterpriseId) {
        List<Waiting> ws = new ArrayList<>();
        for (Waiting w : waiting.values()) if (w.enterpriseId == enterpriseId) ws.add(w);
        ws.sort(Comparator.comparingLong(this::servingKey).thenComparingLong(w -> w.seq));
        return ws;
    }

    /** ACD-3: when the caller counts as having joined, for the serving order: their join, moved earlier by their priority. */
    long servingKey(Waiting w) {
        Queue q = w.queueId < 0 ? null : ctx.queue(w.enterpriseId, w.queueId);
        long pointMs = q != null && q.settings().priorityAgingSeconds() > 0 ? q.settings().priorityAgingSeconds() * 1000L : STRICT_POINT_MS;
        return w.enqueuedAt.toEpochMilli() - w.priority * pointMs;
    }

    /** Without aging a priority point outweighs a day of waiting. */
    private static final long STRICT_POINT_MS = Duration.ofDays(1).toMillis();

    /** 1-based place of {@code w} among the callers of its queue (counting it when it is not listed yet). */
    int position(Waiting w) {
        int p = 1;
        long mine = servingKey(w);
        for (Waiting x : waiting.values()) {
            if (x == w || x.queueId != w.queueId || x.connecting) continue;
            long theirs = servingKey(x);
            if (theirs < mine || theirs == mine && x.seq < w.seq) p++;
        }
        return p;
    }

    @Override
    public void dispatchAll() {
        Set<Long> es = new HashSet<>();
        for (Waiting w : waiting.values()) es.add(w.enterpriseId);
        for (long e : es) dispatch(e);
    }

    /** Offers waiting callers to free agents, best caller first (ACD-1, -2, -3, -8). */
    @Override
    public void dispatch(long enterpriseId) {
        AcdConfig.Tenant t = ctx.tenant(enterpriseId);
        Instant now = ctx.now();
        for (Waiting w : order(enterpriseId)) {
            if (w.connecting || !w.offers.isEmpty() || w.stickyLookup) continue;
            if (w.pinnedAgent != null) {
                Agent target = board.get(w.pinnedAgent);
                if (target != null && (target.free() || target.reservedFor(w.holder)) && target.device != null
                        && ctx.host.reachable(enterpriseId, target.device)) {
                    offer(w, null, target);
                }
                continue;
            }
            Queue q = t.queues().get(w.queueId);
            if (q == null) continue;
            QueueSettings s = q.settings();
            List<Long> members = t.members().getOrDefault(q.id(), List.of());
            Map<Long, Integer> penalties = t.penalties().getOrDefault(q.id(), Map.of());
            boolean widened = s.widenSkillsAfterSeconds() > 0 && Duration.between(w.enqueuedAt, now).toSeconds() >= s.widenSkillsAfterSeconds();
            List<Agent> free = new ArrayList<>();
            for (long id : members) {
                Agent a = board.get(id);
                if (a == null || !a.free() || a.device == null) continue;
                if (!widened && !Strategies.qualifies(a, s.skills())) continue;
                if (!ctx.host.reachable(enterpriseId, a.device)) continue;
                free.add(a);
            }
            if (w.preferredAgent != null && !w.tried.contains(w.preferredAgent)) {
                // ACD-4: waiting for the agent who served this caller last; offered to them as soon as they are free.
                Agent last = board.get(w.preferredAgent);
                if (last != null && free.contains(last)) offer(w, q, last);
                continue;
            }
            if (free.isEmpty()) continue;
            List<Agent> untried = free.stream().filter(a -> !w.tried.contains(a.userId)).toList();
            if (untried.isEmpty()) {
                w.tried.clear();
                untried = free;
            }
            Strategies.Memory m = memory.computeIfAbsent(q.id(), k -> new Strategies.Memory());
            List<Agent> chosen = Strategies.choose(q.strategy(), members, penalties, untried, widened ? List.of() : s.skills(), m, random);
            for (Agent a : chosen) offer(w, q, a);
        }
    }

    private void offer(Waiting w, Queue q, Agent a) {
        Duration timeout = Duration.ofSeconds(q == null ? TRANSFER_RING_SECONDS : q.settings().ringTimeoutSeconds());
        String queueName = q != null ? q.name() : w.campaign != null ? w.campaign : TRANSFER_QUEUE;
        Optional<Channel> leg = w.callback
                ? ctx.host.offerCallback(w.enterpriseId, a.device, w.callerNumber, timeout, queueName, a.userId, a.jobNumber)
                : ctx.host.offer(w.enterpriseId, w.callId, a.device, w.callerNumber, timeout, queueName, a.userId, a.jobNumber);
        if (leg.isEmpty()) return;
        a.callId = w.callId;
        a.legId = leg.get().id();
        a.queueId = q == null ? null : q.id();
        board.move(a, AgentState.RINGING, null, "call");
        a.offered++;
        w.tried.add(a.userId);
        Waiting.Offer o = new Waiting.Offer(w, a, leg.get());
        w.offers.put(a.legId, o);
        offers.put(a.legId, o);
        if (q != null) memory.computeIfAbsent(q.id(), k -> new Strategies.Memory()).lastOffered = a.userId;
        Acd.Offered info = new Acd.Offered(w.callId, a.legId, w.callerNumber, queueName,
                Duration.between(w.enqueuedAt, ctx.now()).toSeconds(), w.transfer);
        for (Acd.Listener l : ctx.listeners) l.offered(w.enterpriseId, a.userId, info);
    }

    @Override
    public void withdraw(Agent a) {
        Waiting.Offer o = a.legId == null ? null : offers.remove(a.legId);
        if (o != null) {
            o.waiting().offers.remove(a.legId);
            o.leg().hangup(HangupCause.ORIGINATOR_CANCEL);
        }
    }

    @Override
    public void forget(Agent a) {
        if (a.legId != null) offers.remove(a.legId);
        for (Waiting w : waiting.values()) w.offers.values().removeIf(o -> o.agent() == a);
    }

    // ================================================================ engine events

    /** An event of an agent's leg ringing for a caller; false when it is no such leg. */
    boolean onOfferLeg(CallEvent e) {
        Waiting.Offer o = offers.get(e.channelId());
        if (o == null) return false;
        Waiting w = o.waiting();
        if (e instanceof CallEvent.ChannelAnswered) {
            offers.remove(o.leg().id());
            w.offers.remove(o.leg().id());
            answered(w, o);
        } else if (e instanceof CallEvent.ChannelHungUp h) {
            offers.remove(o.leg().id());
            w.offers.remove(o.leg().id());
            Agent a = o.agent();
            if (a.state == AgentState.RINGING && o.leg().id().equals(a.legId)) {
                // RONA (ACD-5): a missed offer; after the queue's limit in a row the agent is paused.
                boolean missed = h.cause() == HangupCause.NO_ANSWER || h.cause() == HangupCause.NO_USER_RESPONSE
                        || h.cause() == HangupCause.USER_BUSY || h.cause() == HangupCause.CALL_REJECTED;
                Queue q = ctx.queue(w.enterpriseId, w.queueId);
                if (missed && !w.connecting) a.missedInRow++;
                int limit = q == null ? 0 : q.settings().autoPauseAfterMissed();
                if (limit > 0 && a.missedInRow >= limit) board.move(a, AgentState.NOT_READY, AgentBoard.MISSED_REASON, "system");
                else board.move(a, AgentState.READY, null, "call");
            }
            if (w.pinnedAgent != null && isWaiting(w) && !w.connecting && w.offers.isEmpty()) {
                // The colleague did not take the transferred call: it ends rather than waiting for them forever.
                remove(w);
                if (w.channel != null) w.channel.hangup(HangupCause.NORMAL_CLEARING);
                return true;
            }
            if (isWaiting(w)) dispatch(w.enterpriseId);
        }
        return true;
    }

    /** An event of a waiting caller's channel. */
    void onCallerEvent(CallEvent e) {
        Waiting w = byChannel.get(e.channelId());
        if (w == null) return;
        if (e instanceof CallEvent.ChannelHungUp) {
            callerGone(w);
        } else if (e instanceof CallEvent.DtmfReceived d && !w.connecting) {
            Queue q = ctx.queue(w.enterpriseId, w.queueId);
            if (q == null) return;
            String key = String.valueOf(d.digit());
            if (key.equals(q.settings().voicemailKey())) {
                leave(w, q, "voicemail", "key", new QueueSettings.Destination("voicemail", "queue:" + q.name()));
            } else if (key.equals(q.settings().callbackKey())) {
                callbacks.asked(w, q);
            }
        } else if (e instanceof CallEvent.PlaybackFinished && w.connecting && w.announcePlayback != null) {
            w.announcePlayback = null;
            connect(w);
        }
    }

    /**
     * The caller's channel is gone (hung up, or found gone by the self-check): one path for both, so
     * that a caller who was waiting counts as abandoned exactly once (the router logs the queue_leave
     * of the call's record when the hang-up arrives).
     */
    private void callerGone(Waiting w) {
        if (!w.connecting) counters(w.queueId).abandoned++;
        // An agent who answered but is not bridged with the caller yet (hearing the job-number announcement, or the
        // bridge still being made) would stay on a call with nobody: their leg ends here. A bridged leg ends with the caller.
        if (w.connecting && w.agentLeg != null && (w.agent != null || w.picked)
                && w.agentLeg.bridgedWith().map(p -> !p.id().equals(w.channel.id())).orElse(true)) {
            w.agentLeg.hangup(HangupCause.NORMAL_CLEARING);
        }
        remove(w);
        dispatch(w.enterpriseId);
    }

    /** An agent answered: the others stop ringing, the caller hears the agent's job number (if set), then they talk. */
    private void answered(Waiting w, Waiting.Offer o) {
        Agent a = o.agent();
        if (w.connecting || !isWaiting(w)) {
            // Someone else was quicker, or the caller is gone.
            o.leg().hangup(HangupCause.NORMAL_CLEARING);
            if (a.state == AgentState.RINGING) board.move(a, AgentState.READY, null, "call");
            return;
        }
        w.connecting = true;
        w.agent = a;
        w.agentLeg = o.leg();
        for (Waiting.Offer other : List.copyOf(w.offers.values())) {
            offers.remove(other.leg().id());
            other.leg().hangup(HangupCause.ORIGINATOR_CANCEL);
            if (other.agent().state == AgentState.RINGING) board.move(other.agent(), AgentState.READY, null, "call");
        }
        w.offers.clear();
        board.answered(a, w.callId, o.leg().id(), w.queueId);
        w.cancelTimers();
        Queue q = ctx.queue(w.enterpriseId, w.queueId);
        memory.computeIfAbsent(w.queueId, k -> new Strategies.Memory()).lastAnswered = a.userId;
        if (w.callback) {
            callbacks.agentAnswered(w, o.leg());
            return;
        }
        if (q != null && q.settings().agentAnnounce() && a.jobNumber != null && !a.jobNumber.isBlank()) {
            announcements.agentNumber(w, a);
            return;
        }
        connect(w);
    }

    /** Bridges caller and agent and logs the connection (ACD-7 done or not needed). */
    private void connect(Waiting w) {
        if (!isWaiting(w) || w.agentLeg == null) return;
        Instant now = ctx.now();
        Queue q = ctx.queue(w.enterpriseId, w.queueId);
        String queueName = q == null ? "?" : q.name();
        long waitMs = Duration.between(w.enqueuedAt, now).toMillis();
        // PBX-4: a picker who is no signed-in agent answers as their user (null: an extension of nobody) on their extension.
        Long userId = w.agent != null ? Long.valueOf(w.agent.userId) : w.pickerUserId;
        String jobNumber = w.agent != null ? w.agent.jobNumber : null;
        String extension = w.agent != null ? w.agent.extension : w.pickerExtension;
        try {
            w.channel.unhold(); // the queue's music ends (the bridge stops it too; this also clears the channel's hold mark)
            if (q != null && q.settings().survey().enabled() && w.pinnedAgent == null) {
                ctx.host.bridgeForSurvey(w.channel, w.agentLeg, w.enterpriseId, w.callId, queueName, userId == null ? 0 : userId,
                        q.settings().survey());
            } else {
                ctx.host.bridge(w.channel, w.agentLeg);
            }
        } catch (RuntimeException e) {
            log.warn("call {}: cannot connect caller and agent: {}", w.callId, e.toString());
            w.agentLeg.hangup(HangupCause.NORMAL_CLEARING);
            w.channel.hangup(HangupCause.NORMAL_CLEARING);
            remove(w);
            return;
        }
        ctx.host.record(w.enterpriseId, w.callId, w.campaign == null && w.pinnedAgent == null && q != null && q.settings().record(),
                extension);
        if (w.campaign != null) {
            // An outbound campaign's answered number reached its agent: the call's record gets the agent (outbound report).
            ctx.host.log(new CallLogEvent.QueueConnected(w.enterpriseId, w.callId, now, w.agentLeg.id(), w.campaign, w.agent.userId,
                    w.agent.jobNumber, waitMs));
            remove(w);
            return;
        }
        if (w.pinnedAgent != null) {
            // A colleague took a transferred call: the call record keeps the queue it came from.
            ctx.host.log(new CallLogEvent.Transfer(w.enterpriseId, w.callId, now, w.agentLeg.id(), "agent",
                    w.agent.jobNumber == null ? String.valueOf(w.agent.userId) : w.agent.jobNumber));
            remove(w);
            return;
        }
        if (userId != null) {
            ctx.host.log(new CallLogEvent.QueueConnected(w.enterpriseId, w.callId, now, w.agentLeg.id(), queueName, userId, jobNumber, waitMs));
        } else { // picked up by an extension of nobody: answered, without an agent
            ctx.host.log(new CallLogEvent.QueueLeft(w.enterpriseId, w.callId, now, w.channel.id(), queueName, "answered", "pickup",
                    "extension:" + w.pickerExtension, waitMs));
        }
        Counters c = counters(w.queueId);
        c.answered++;
        c.avgWaitSeconds = c.avgWaitSeconds < 0 ? waitMs / 1000.0 : 0.8 * c.avgWaitSeconds + 0.2 * waitMs / 1000.0;
        remove(w);
    }

    // ================================================================ PBX-4: pickup of an offer from another phone

    /**
     * PBX-4: a phone picks up the call an offer rings at an agent's SIP phone whose extension {@code ringing} accepts (the
     * oldest such caller first): a queue call, and, when the picker is a signed-in agent ({@code pickerUserId}) ready or in
     * wrap-up, also an AGENT-5 transfer to a colleague, an answered campaign number or a call back (those carry an agent's
     * data: the reports' agent, the call back dialled from the agent). The offer ends as {@code picked_up} (the offered
     * agent back to ready, no missed offer counted), the caller's other offers are cancelled and the picker takes the
     * call as if its phone had been offered it and answered ({@link #pickerAnswered}): an agent picker is on the call at
     * once; once the picker's leg is answered the caller hears the picker's job number when the queue announces it, and is
     * then bridged with it (with the queue's survey when on). Empty when nothing matches.
     */
    Optional<Acd.PickedOffer> pickup(long enterpriseId, Predicate<String> ringing, Channel picker, String pickerExtension,
                                     Long pickerUserId) {
        Agent taker = taker(enterpriseId, pickerUserId);
        Waiting.Offer o = pickable(enterpriseId, ringing, taker).orElse(null);
        if (o == null) return Optional.empty();
        Waiting w = o.waiting();
        Agent offered = o.agent();
        Queue q = ctx.queue(w.enterpriseId, w.queueId);
        String queueName = q != null ? q.name() : w.campaign != null ? w.campaign : TRANSFER_QUEUE;
        ctx.host.log(new CallLogEvent.QueueOfferEnded(w.enterpriseId, w.callId, ctx.now(), o.leg().id(), queueName, offered.userId, "picked_up"));
        w.connecting = true;
        for (Waiting.Offer other : List.copyOf(w.offers.values())) { // the picked offer too: it stops ringing
            offers.remove(other.leg().id());
            other.leg().hangup(HangupCause.ORIGINATOR_CANCEL);
            if (other.agent().state == AgentState.RINGING) board.move(other.agent(), AgentState.READY, null, "call");
        }
        w.offers.clear();
        w.cancelTimers();
        w.picked = true;
        w.pickerExtension = pickerExtension;
        w.pickerUserId = pickerUserId;
        w.agentLeg = picker;
        w.agent = taker;
        if (taker != null) board.answered(taker, w.callId, picker.id(), q == null ? null : q.id());
        pickers.put(picker.id(), w);
        if (picker.state().isAnswered()) pickerAnswered(w);
        dispatch(w.enterpriseId);
        return Optional.of(new Acd.PickedOffer(w.callId, o.leg().id(), offered.device.number()));
    }

    /** True when {@link #pickup} would find an offer to take now. */
    boolean offerRinging(long enterpriseId, Predicate<String> ringing, Long pickerUserId) {
        return pickable(enterpriseId, ringing, taker(enterpriseId, pickerUserId)).isPresent();
    }

    /** The picker's user as an agent who may take a call now (signed in to the enterprise, ready or in wrap-up), else null. */
    private Agent taker(long enterpriseId, Long pickerUserId) {
        Agent a = pickerUserId == null ? null : board.get(pickerUserId);
        return a != null && a.enterpriseId == enterpriseId && (a.state == AgentState.READY || a.state == AgentState.WRAP_UP) ? a : null;
    }

    /** The oldest caller's offer ringing an agent's SIP phone that {@code ringing} accepts, that {@code taker} may pick up. */
    private Optional<Waiting.Offer> pickable(long enterpriseId, Predicate<String> ringing, Agent taker) {
        return offers.values().stream().filter(x -> {
            Waiting w = x.waiting();
            Agent a = x.agent();
            boolean plainQueueCall = !w.callback && w.campaign == null && w.pinnedAgent == null;
            return w.enterpriseId == enterpriseId && (plainQueueCall || taker != null && a != taker) && (w.callback || w.channel != null)
                    && isWaiting(w) && !w.connecting && a.state == AgentState.RINGING && x.leg().id().equals(a.legId)
                    && a.device != null && a.device.kind() == Device.Kind.SIP && ringing.test(a.device.number());
        }).min(Comparator.comparing(x -> x.waiting().enqueuedAt));
    }

    /**
     * An event of a picker's leg not answered yet (PBX-4): its answer goes on as an agent's answer of the offer would; its
     * end before that puts the caller back in line (a call back keeps its place).
     */
    void onPickerLeg(CallEvent e) {
        Waiting w = pickers.get(e.channelId());
        if (w == null) return;
        if (e instanceof CallEvent.ChannelAnswered) {
            pickerAnswered(w);
        } else if (e instanceof CallEvent.ChannelHungUp) {
            pickers.remove(e.channelId());
            if (!isWaiting(w) || w.agentLeg == null || !w.agentLeg.id().equals(e.channelId())) return;
            w.connecting = false;
            w.picked = false;
            w.agentLeg = null;
            w.agent = null;
            dispatch(w.enterpriseId);
        }
    }

    /** The picker's leg is up: a call back dials the customer; else the job-number announcement (ACD-7) if due, then the bridge. */
    private void pickerAnswered(Waiting w) {
        if (w.agentLeg == null || pickers.remove(w.agentLeg.id()) == null) return;
        if (!isWaiting(w)) { // the caller went meanwhile
            w.agentLeg.hangup(HangupCause.NORMAL_CLEARING);
            return;
        }
        if (w.callback) {
            callbacks.agentAnswered(w, w.agentLeg);
            return;
        }
        Queue q = ctx.queue(w.enterpriseId, w.queueId);
        if (q != null && q.settings().agentAnnounce() && w.agent != null && w.agent.jobNumber != null && !w.agent.jobNumber.isBlank()) {
            announcements.agentNumber(w, w.agent);
            return;
        }
        connect(w);
    }

    // ================================================================ leaving the queue

    private void maxWait(Waiting w) {
        if (!isWaiting(w) || w.connecting) return;
        Queue q = ctx.queue(w.enterpriseId, w.queueId);
        if (q != null) overflow(w, q, "max_wait");
    }

    /** Max wait and queue full go to the overflow destination; nobody logged in goes to the join-empty destination. */
    private void overflow(Waiting w, Queue q, String reason) {
        counters(q.id()).overflowed++;
        leave(w, q, "overflow", reason, "no_agents".equals(reason) ? q.settings().noAgents() : q.settings().overflow());
    }

    private void leave(Waiting w, Queue q, String result, String reason, QueueSettings.Destination d) {
        long waitMs = Duration.between(w.enqueuedAt, ctx.now()).toMillis();
        String dest = d == null ? "hangup" : d.type() + (d.value() == null ? "" : ":" + d.value());
        ctx.host.log(new CallLogEvent.QueueLeft(w.enterpriseId, w.callId, ctx.now(), w.channel.id(), q.name(), result, reason, dest, waitMs));
        cancelOffers(w);
        remove(w);
        Channel caller = w.channel;
        caller.unhold();
        caller.stopPlayback();
        if (d == null || "hangup".equals(d.type()) || !ctx.host.leaveTo(w.enterpriseId, w.callId, caller, d, q.name())) {
            caller.hangup(HangupCause.NORMAL_CLEARING);
        }
        dispatch(w.enterpriseId);
    }

    /** The caller's channel no longer leads to the entry (a call back keeps its place without it). */
    void detachCaller(Waiting w) {
        byChannel.remove(w.channel.id());
    }

    void cancelOffers(Waiting w) {
        for (Waiting.Offer o : List.copyOf(w.offers.values())) {
            offers.remove(o.leg().id());
            o.leg().hangup(HangupCause.ORIGINATOR_CANCEL);
            if (o.agent().state == AgentState.RINGING) board.move(o.agent(), AgentState.READY, null, "call");
        }
        w.offers.clear();
    }

    void remove(Waiting w) {
        waiting.remove(w.callId);
        if (w.picked && w.agentLeg != null) pickers.remove(w.agentLeg.id(), w);
        if (w.channel != null) byChannel.remove(w.channel.id());
        w.cancelTimers();
        if (!w.connecting) cancelOffers(w);
    }

    // ================================================================ self-check and figures

    /**
     * The caller half of the self-check: a caller whose channel is gone leaves the queue as a hang-up
     * would (counted as abandoned, logged); the hang-up event that follows finds nothing left to do.
     */
    void selfCheck() {
        for (Waiting w : List.copyOf(waiting.values())) {
            if (w.callback || w.channel == null || !isWaiting(w)) continue;
            if (ctx.host.channel(w.channel.id()).isEmpty()) {
                log.warn("call {} waited in a queue but its channel is gone: removed as abandoned", w.callId);
                callerGone(w);
            }
        }
    }

    List<QueueLive> live(long enterpriseId) {
        AcdConfig.Tenant t = ctx.tenant(enterpriseId);
        Instant now = ctx.now();
        List<QueueLive> out = new ArrayList<>();
        for (Queue q : t.queues().values()) {
            List<Waiting> ws = waiting.values().stream().filter(w -> w.queueId == q.id() && !w.connecting).toList();
            long longest = ws.stream().mapToLong(w -> Duration.between(w.enqueuedAt, now).toSeconds()).max().orElse(0);
            Map<AgentState, Integer> byState = new EnumMap<>(AgentState.class);
            for (AgentState s : AgentState.values()) if (s != AgentState.LOGGED_OUT) byState.put(s, 0);
            int unreachable = 0;
            for (long id : t.members().getOrDefault(q.id(), List.of())) {
                Agent a = board.get(id);
                if (a == null || !a.state.signedIn()) continue;
                if (a.state == AgentState.READY && a.device != null && ctx.host != null && !ctx.host.reachable(enterpriseId, a.device)) {
                    unreachable++;
                } else {
                    byState.merge(a.state, 1, Integer::sum);
                }
            }
            Counters c = counters(q.id());
            out.add(new QueueLive(q.id(), q.name(), ws.size(), longest, byState, unreachable, c.entered, c.answered, c.abandoned,
                    c.overflowed));
        }
        return out;
    }

    List<Acd.WaitingView> waitingViews(long enterpriseId) {
        Instant now = ctx.now();
        return order(enterpriseId).stream().map(w -> new Acd.WaitingView(w.callId, ctx.tenant(enterpriseId).queueName(w.queueId),
                w.callerNumber, w.priority, Duration.between(w.enqueuedAt, now).toSeconds(), w.callback, !w.offers.isEmpty())).toList();
    }
}
