package dev.hotline.acd;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.tts.Language;
import dev.hotline.engine.tts.PromptKey;
import dev.hotline.engine.tts.Say;
import dev.hotline.report.AgentLogEvent;
import dev.hotline.report.CallLogEvent;
import dev.hotline.report.EventLog;
import dev.hotline.domain.DomainException;
import java.nio.file.Path;
import java.time.Clock;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ACD (ACD-1..8, AGENT-1, AGENT-3): queues of waiting callers, agents and their states, and the
 * dispatcher that offers each caller to the right agent.
 * <p>
 * Everything here runs on one thread ({@code hotline-acd}): engine events, API commands and timers
 * are posted to it, so there are no locks and no lock order to get wrong, and a queue cannot deadlock.
 * It never touches the database on that thread: configuration is loaded on another thread and handed
 * over whole; state changes go to the asynchronous event log.
 * <p>
 * Agent state follows the calls: offers, answers and hang-ups move it, and a self-check every two
 * seconds corrects (and logs, cause "correction") any agent whose call is gone.
 */
public final class Acd implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Acd.class);
    static final String MISSED_REASON = "missed";
    private static final Duration CHECK_EVERY = Duration.ofSeconds(2);

    /** What the ACD asks of the call router (which owns calls, their records and the engine). */
    public interface Host {
        /** Records a queue event in the call's record and the event log. */
        void log(CallLogEvent e);

        /**
         * Places a leg to the agent's device for call {@code callId}, showing {@code callerNumber}; files
         * it under the call with its offer event before any of its events can arrive. Empty when the
         * device cannot be called now (not registered, no route).
         */
        Optional<Channel> offer(long enterpriseId, String callId, Device device, String callerNumber, Duration timeout, String queue,
                                long agentUserId, String agentJob);

        /** Places the agent's leg of a call back (ACD-6): a new outbound call of its own. */
        Optional<Channel> offerCallback(long enterpriseId, Device device, String customerNumber, Duration timeout, String queue,
                                        long agentUserId, String agentJob);

        /** Dials the customer of a call back once the agent answered, in the agent's call. */
        Optional<Channel> dialCustomer(long enterpriseId, String callId, String number);

        /** Connects two answered channels. */
        void bridge(Channel a, Channel b);

        Optional<Channel> channel(String id);

        /** The enterprise's music on hold. */
        Path musicFolder(long enterpriseId);

        /** True when a call can be placed to the device now (SIP: registered; external: an outbound route). */
        boolean reachable(long enterpriseId, Device device);

        /** Sends a caller leaving a queue to a destination (another queue goes back to {@link #enqueue}); false if impossible. */
        boolean leaveTo(long enterpriseId, String callId, Channel caller, QueueSettings.Destination destination, String fromQueue);

        /** REC-1 per queue: records the call (no-op when it is recorded already). */
        void record(long enterpriseId, String callId);
    }

    /** Told of agent changes and offers, on the dispatcher thread: hand the work off at once (the CTI channel does). */
    public interface Listener {
        void agentChanged(long enterpriseId, AgentView agent);

        void offered(long enterpriseId, long userId, Offered offer);
    }

    /**
     * A call offered to an agent: {@code legId} is the agent's leg; {@code transfer} is set when a
     * colleague transferred the call (AGENT-5).
     */
    public record Offered(String callId, String legId, String caller, String queue, long waitedSeconds, Transfer transfer) {}

    /** Who transferred a call, with their notes (AGENT-5: the data travels with the call). */
    public record Transfer(long fromUserId, String fromJob, String fromName, String notes) {}

    private final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void addListener(Listener l) {
        listeners.add(l);
    }

    private final Jdbi jdbi;
    private final EventLog events;
    private final Clock clock;
    private final dev.hotline.ivr.Ivr ivr;
    private final RandomGenerator random;
    private volatile Host host;
    private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hotline-acd");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService loader = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hotline-acd-config");
        t.setDaemon(true);
        return t;
    });

    // ---- dispatcher thread only
    private AcdConfig config = AcdConfig.EMPTY;
    private final Map<Long, Agent> agents = new HashMap<>();
    /** Callers in queues by call id (callbacks included). */
    private final Map<String, Waiting> waiting = new LinkedHashMap<>();
    /** Caller channel id → its waiting entry. */
    private final Map<String, Waiting> byChannel = new HashMap<>();
    /** Agent leg id → the offer ringing it. */
    private final Map<String, Offer> offers = new HashMap<>();
    /** Agent leg id → the agent talking on it (after answer). */
    private final Map<String, Agent> talking = new HashMap<>();
    /** Customer leg of a call back → its entry. */
    private final Map<String, Waiting> customerLegs = new HashMap<>();
    private final Map<Long, Strategies.Memory> memory = new HashMap<>();
    private final Map<Long, Counters> counters = new HashMap<>();
    private long seq;

    private final java.util.concurrent.atomic.AtomicBoolean reloadPending = new java.util.concurrent.atomic.AtomicBoolean();

    /** The snapshot the API thread uses to accept or refuse a queue at once. */
    private volatile AcdConfig published = AcdConfig.EMPTY;

    public Acd(Jdbi jdbi, EventLog events, Clock clock, dev.hotline.ivr.Ivr ivr, RandomGenerator random) {
        this.jdbi = jdbi;
        this.events = events;
        this.clock = clock;
        this.ivr = ivr;
        this.random = random;
    }

    /** Loads the configuration, restores the agents signed in before a restart, and starts the self-check. */
    public void start(Host host) {
        this.host = host;
        AcdConfig c = jdbi.withHandle(AcdConfig::load);
        List<AgentStore.LastState> last = jdbi.withHandle(AgentStore::lastStates);
        call(() -> {
            apply(c);
            restore(last);
            return null;
        });
        exec.scheduleWithFixedDelay(() -> guard(this::selfCheck), CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Configuration may have changed (any API write): reload it off the dispatcher thread, then apply it there. */
    public void invalidate() {
        // Many writes in a burst (agents clicking ready) coalesce into one reload.
        if (!reloadPending.compareAndSet(false, true)) return;
        loader.execute(() -> {
            reloadPending.set(false);
            try {
                AcdConfig c = jdbi.withHandle(AcdConfig::load);
                published = c;
                exec.execute(() -> guard(() -> apply(c)));
            } catch (RuntimeException e) {
                log.error("cannot reload ACD configuration", e);
            }
        });
    }

    /** Waits until configuration reloads asked for so far are applied and the dispatcher is idle (tests, tools). */
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

    // ================================================================ queue entry (router threads)

    /** True when the enterprise has a queue of that name. */
    public boolean hasQueue(long enterpriseId, String name) {
        return published.queue(enterpriseId, name).isPresent();
    }

    /**
     * Puts the (answered) caller channel into queue {@code name}. Returns false, doing nothing, when
     * there is no such queue. {@code priority}: 0 normal, higher first (set by a flow); transferred
     * calls and VIP callers get more on top.
     */
    public boolean enqueue(long enterpriseId, String callId, Channel caller, String callerNumber, String name, int priority,
                           boolean transferred) {
        if (!hasQueue(enterpriseId, name)) return false;
        watched.add(caller.id());
        exec.execute(() -> guard(() -> join(enterpriseId, callId, caller, callerNumber, name, priority, transferred)));
        return true;
    }

    /**
     * AGENT-5: a blind transfer of an answered caller to a colleague, who is offered the call with the
     * transferring agent's job number and notes. Refused (409) when the colleague is not free now.
     */
    public void transferToAgent(long enterpriseId, String callId, Channel caller, String callerNumber, long targetUserId, Transfer transfer) {
        call(() -> {
            Agent target = agents.get(targetUserId);
            if (target == null || target.enterpriseId != enterpriseId || !target.free() || target.device == null) {
                throw DomainException.conflict("that colleague is not ready for a call now");
            }
            Waiting w = new Waiting(enterpriseId, callId, -1, callerNumber, clock.instant(), ++seq, 100, caller);
            watched.add(caller.id());
            w.pinnedAgent = targetUserId;
            w.transfer = transfer;
            waiting.put(callId, w);
            byChannel.put(caller.id(), w);
            try {
                caller.hold(host.musicFolder(enterpriseId));
            } catch (RuntimeException e) {
                log.warn("no music for transferred call {}: {}", callId, e.toString());
            }
            dispatch(enterpriseId);
            if (w.offers.isEmpty()) {
                remove(w);
                throw DomainException.conflict("that colleague's phone cannot be reached");
            }
            return null;
        });
    }

    /**
     * A call of the agent's own (click-to-dial, a direct call, a consultation) on {@code leg}: a ready
     * agent is on a call until it ends, so that the queues do not offer them another one (ACD-8).
     */
    public void busy(long enterpriseId, long userId, String callId, String legId) {
        watched.add(legId);
        exec.execute(() -> guard(() -> {
            Agent a = agents.get(userId);
            if (a == null || a.enterpriseId != enterpriseId || !a.state.signedIn()) return;
            if (a.state == AgentState.READY) {
                a.callId = callId;
                a.legId = legId;
                a.queueId = null;
                move(a, AgentState.ON_CALL, null, "call");
                talking.put(legId, a);
            }
        }));
    }

    /** Channels the ACD follows (callers in queues, agent and customer legs): other calls cost it nothing. */
    private final Set<String> watched = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Follow {@code channelId} from now on; called before a leg the ACD asked for is placed. */
    public void watch(String channelId) {
        watched.add(channelId);
    }

    /** Every engine event; the ACD takes those of the channels it follows. */
    public void onEvent(CallEvent e) {
        String id = e.channelId();
        if (!watched.contains(id)) return;
        if (e instanceof CallEvent.ChannelHungUp) watched.remove(id);
        exec.execute(() -> guard(() -> handle(e)));
    }

    // ================================================================ agents (API threads)

    public AgentView login(long enterpriseId, long userId, Device device, String by) {
        return call(() -> {
            Agent a = agent(enterpriseId, userId);
            if (a.state == AgentState.ON_CALL || a.state == AgentState.RINGING) {
                throw DomainException.conflict("cannot change device during a call");
            }
            Device d = checkDevice(a, device);
            if (a.state == AgentState.LOGGED_OUT) {
                a.device = d;
                a.offered = 0; // FEWEST_CALLS / FEWEST_ANSWERED count since login
                a.answered = 0;
                a.missedInRow = 0;
                move(a, AgentState.NOT_READY, "login", by);
            } else {
                a.device = d;
                logAgent(a, a.state, a.state, by);
            }
            return view(a);
        });
    }

    public AgentView logout(long enterpriseId, long userId, String by) {
        return call(() -> {
            Agent a = agent(enterpriseId, userId);
            if (a.state == AgentState.LOGGED_OUT) return view(a);
            if (a.state == AgentState.ON_CALL) throw DomainException.conflict("the agent is on a call; log out after it");
            if (a.state == AgentState.RINGING) withdraw(a);
            move(a, AgentState.LOGGED_OUT, null, by);
            dispatchAll();
            return view(a);
        });
    }

    /** Ready, or not ready with a reason; during a call not ready is kept for when it ends. */
    public AgentView setState(long enterpriseId, long userId, AgentState to, String reason, String by) {
        if (!to.requestable() || to == AgentState.LOGGED_OUT) {
            throw DomainException.badRequest("state must be ready or not_ready");
        }
        if (to == AgentState.NOT_READY && (reason == null || reason.isBlank())) {
            throw DomainException.badRequest("not ready needs a reason", "reason", "required");
        }
        return call(() -> {
            Agent a = agent(enterpriseId, userId);
            if (a.state == AgentState.LOGGED_OUT) throw DomainException.conflict("the agent is not logged in");
            if (a.state == AgentState.ON_CALL) {
                a.pendingNotReady = to == AgentState.NOT_READY ? reason : null;
                return view(a);
            }
            if (a.state == AgentState.RINGING) withdraw(a);
            if (to == AgentState.READY && a.state == AgentState.READY) return view(a);
            move(a, to, reason, by);
            if (to == AgentState.READY) a.missedInRow = 0;
            dispatchAll();
            return view(a);
        });
    }

    public Optional<AgentView> agentView(long enterpriseId, long userId) {
        return call(() -> {
            Agent a = agents.get(userId);
            if (a != null && a.enterpriseId != enterpriseId) return Optional.<AgentView>empty();
            if (a == null) {
                var info = config.tenant(enterpriseId).users().get(userId);
                if (info == null) return Optional.<AgentView>empty();
                a = agent(enterpriseId, userId);
            }
            return Optional.of(view(a));
        });
    }

    /** Every user of the enterprise who is a queue member or signed in, with their live state. */
    public List<AgentView> agents(long enterpriseId) {
        return call(() -> {
            AcdConfig.Tenant t = config.tenant(enterpriseId);
            Set<Long> ids = new HashSet<>();
            t.members().values().forEach(ids::addAll);
            agents.values().stream().filter(a -> a.enterpriseId == enterpriseId && a.state.signedIn()).forEach(a -> ids.add(a.userId));
            List<AgentView> out = new ArrayList<>();
            for (long id : ids) {
                if (t.users().containsKey(id)) out.add(view(agent(enterpriseId, id)));
            }
            out.sort(Comparator.comparing(v -> v.jobNumber() == null ? "~" + v.name() : v.jobNumber()));
            return out;
        });
    }

    /** Live figures of every queue of the enterprise. */
    public List<QueueLive> live(long enterpriseId) {
        return call(() -> {
            AcdConfig.Tenant t = config.tenant(enterpriseId);
            Instant now = clock.instant();
            List<QueueLive> out = new ArrayList<>();
            for (Queue q : t.queues().values()) {
                List<Waiting> ws = waiting.values().stream().filter(w -> w.queueId == q.id() && !w.connecting).toList();
                long longest = ws.stream().mapToLong(w -> Duration.between(w.enqueuedAt, now).toSeconds()).max().orElse(0);
                Map<AgentState, Integer> byState = new EnumMap<>(AgentState.class);
                for (AgentState s : AgentState.values()) if (s != AgentState.LOGGED_OUT) byState.put(s, 0);
                for (long id : t.members().getOrDefault(q.id(), List.of())) {
                    Agent a = agents.get(id);
                    if (a != null && a.state.signedIn()) byState.merge(a.state, 1, Integer::sum);
                }
                Counters c = counters.computeIfAbsent(q.id(), k -> new Counters());
                out.add(new QueueLive(q.id(), q.name(), ws.size(), longest, byState, c.entered, c.answered, c.abandoned, c.overflowed));
            }
            return out;
        });
    }

    /** Callers waiting in the enterprise's queues, in the order they will be served (for supervisors and tests). */
    public List<WaitingView> waiting(long enterpriseId) {
        return call(() -> {
            Instant now = clock.instant();
            return order(enterpriseId).stream().map(w -> new WaitingView(w.callId, config.tenant(enterpriseId).queueName(w.queueId),
                    w.callerNumber, w.priority, Duration.between(w.enqueuedAt, now).toSeconds(), w.callback, !w.offers.isEmpty())).toList();
        });
    }

    public record WaitingView(String callId, String queue, String caller, int priority, long waitedSeconds, boolean callback,
                              boolean ringing) {}

    // ================================================================ internals (dispatcher thread)

    /** A caller in a queue, or a call back keeping its place. */
    static final class Waiting {
        final long enterpriseId;
        final String callId;
        final long queueId;
        final String callerNumber;
        final Instant enqueuedAt;
        final long seq;
        int priority;
        Channel channel;
        /** Agent leg id → offer, while agents ring for this caller. */
        final Map<String, Offer> offers = new LinkedHashMap<>();
        /** Agents tried for this caller (RONA moves on to the others first). */
        final Set<Long> tried = new HashSet<>();
        /** An agent answered; the caller is being announced / connected. */
        boolean connecting;
        Channel agentLeg;
        Agent agent;
        /** The caller asked to be called back and hung up; the entry keeps the place. */
        boolean callback;
        String customerLegId;
        Long announcePlayback;
        /** ACD-4: the agent who served this caller last, waited for during the queue's sticky seconds. */
        Long preferredAgent;
        /** The sticky-agent lookup is running: not offered for at most a moment. */
        boolean stickyLookup;
        /** A transfer to one agent (AGENT-5): only they are offered the call. */
        Long pinnedAgent;
        Transfer transfer;
        final List<ScheduledFuture<?>> timers = new ArrayList<>();

        Waiting(long enterpriseId, String callId, long queueId, String callerNumber, Instant at, long seq, int priority, Channel channel) {
            this.enterpriseId = enterpriseId;
            this.callId = callId;
            this.queueId = queueId;
            this.callerNumber = callerNumber;
            this.enqueuedAt = at;
            this.seq = seq;
            this.priority = priority;
            this.channel = channel;
        }
    }

    /** One agent's leg ringing for one caller. */
    record Offer(Waiting waiting, Agent agent, Channel leg) {}

    static final class Counters {
        long entered;
        long answered;
        long abandoned;
        long overflowed;
        /** Smoothed wait of answered calls, for the expected-wait announcement. */
        double avgWaitSeconds = -1;
    }

    private void join(long enterpriseId, String callId, Channel caller, String callerNumber, String name, int priority, boolean transferred) {
        AcdConfig.Tenant t = config.tenant(enterpriseId);
        Optional<Queue> q = t.queue(name);
        if (q.isEmpty()) q = published.queue(enterpriseId, name);
        if (q.isEmpty()) {
            caller.hangup(HangupCause.NORMAL_CLEARING);
            return;
        }
        Queue queue = q.get();
        QueueSettings s = queue.settings();
        int prio = priority + (s.vip(callerNumber) ? 10 : 0) + (transferred ? 5 : 0);
        Instant now = clock.instant();
        Waiting w = new Waiting(enterpriseId, callId, queue.id(), callerNumber, now, ++seq, prio, caller);
        Counters c = counters.computeIfAbsent(queue.id(), k -> new Counters());
        c.entered++;
        long inQueue = waiting.values().stream().filter(x -> x.queueId == queue.id()).count();
        int position = position(w, true);
        host.log(new CallLogEvent.QueueJoined(enterpriseId, callId, now, caller.id(), queue.name(), prio, position));
        if (s.maxCallers() > 0 && inQueue >= s.maxCallers()) {
            overflow(w, queue, "full");
            return;
        }
        if (s.noAgents() != null && t.members().getOrDefault(queue.id(), List.of()).stream()
                .noneMatch(id -> agents.containsKey(id) && agents.get(id).state.signedIn())) {
            overflow(w, queue, "no_agents");
            return;
        }
        waiting.put(callId, w);
        byChannel.put(caller.id(), w);
        try {
            caller.hold(host.musicFolder(enterpriseId));
        } catch (RuntimeException e) {
            log.warn("queue {}: no music on hold for call {}: {}", queue.name(), callId, e.toString());
        }
        if (s.stickySeconds() > 0) lastAgentOf(w, s.stickySeconds());
        if (s.maxWaitSeconds() > 0) schedule(w, s.maxWaitSeconds(), () -> maxWait(w));
        if (s.announcePositionSeconds() > 0) every(w, s.announcePositionSeconds(), () -> announce(w));
        if (s.periodicText() != null && s.periodicSeconds() > 0) every(w, s.periodicSeconds(), () -> periodic(w));
        dispatch(enterpriseId);
    }

    /** ACD-4 sticky agent: finds (off this thread) who served the caller last, then dispatches again when the wait for them ends. */
    private void lastAgentOf(Waiting w, int stickySeconds) {
        if (w.callerNumber == null || w.callerNumber.isBlank()) return;
        Instant since = clock.instant().minus(Duration.ofDays(30));
        w.stickyLookup = true;
        Runnable done = () -> {
            if (!w.stickyLookup) return;
            w.stickyLookup = false;
            dispatch(w.enterpriseId);
        };
        w.timers.add(exec.schedule(() -> guard(done), 300, TimeUnit.MILLISECONDS)); // a slow database does not hold the caller
        loader.execute(() -> {
            try {
                Optional<Long> last = jdbi.withHandle(h -> h.createQuery(
                        "SELECT agent_user_id FROM call_record WHERE enterprise_id = :e AND caller = :c AND agent_user_id IS NOT NULL"
                                + " AND started_at > :since ORDER BY started_at DESC LIMIT 1")
                        .bind("e", w.enterpriseId).bind("c", w.callerNumber).bind("since", java.sql.Timestamp.from(since))
                        .mapTo(Long.class).findOne());
                exec.execute(() -> guard(() -> {
                    Agent a = last.map(agents::get).orElse(null);
                    if (!waiting.containsKey(w.callId) || w.connecting || a == null || !a.state.signedIn() || !a.queues.containsKey(w.queueId)) {
                        done.run();
                        return;
                    }
                    w.stickyLookup = false;
                    w.preferredAgent = a.userId;
                    schedule(w, stickySeconds, () -> {
                        w.preferredAgent = null;
                        dispatch(w.enterpriseId);
                    });
                    dispatch(w.enterpriseId);
                }));
            } catch (RuntimeException e) {
                log.warn("sticky agent lookup for {} failed: {}", w.callerNumber, e.toString());
                exec.execute(() -> guard(done));
            }
        });
    }

    private void schedule(Waiting w, long seconds, Runnable r) {
        w.timers.add(exec.schedule(() -> guard(r), seconds, TimeUnit.SECONDS));
    }

    private void every(Waiting w, long seconds, Runnable r) {
        w.timers.add(exec.scheduleAtFixedRate(() -> guard(r), seconds, seconds, TimeUnit.SECONDS));
    }

    /** Callers of the enterprise in serving order: priority (higher first), then who came first. */
    private List<Waiting> order(long enterpriseId) {
        List<Waiting> ws = new ArrayList<>();
        for (Waiting w : waiting.values()) if (w.enterpriseId == enterpriseId) ws.add(w);
        ws.sort(Comparator.comparingInt((Waiting w) -> -w.priority).thenComparingLong(w -> w.seq));
        return ws;
    }

    /** 1-based place of {@code w} among the callers of its queue (counting it when it is not listed yet). */
    private int position(Waiting w, boolean notYetListed) {
        int p = 1;
        for (Waiting x : waiting.values()) {
            if (x == w || x.queueId != w.queueId || x.connecting) continue;
            if (x.priority > w.priority || x.priority == w.priority && x.seq < w.seq) p++;
        }
        return p;
    }

    private void dispatchAll() {
        Set<Long> es = new HashSet<>();
        for (Waiting w : waiting.values()) es.add(w.enterpriseId);
        for (long e : es) dispatch(e);
    }

    /** Offers waiting callers to free agents, best caller first (ACD-1, -2, -3, -8). */
    private void dispatch(long enterpriseId) {
        AcdConfig.Tenant t = config.tenant(enterpriseId);
        Instant now = clock.instant();
        for (Waiting w : order(enterpriseId)) {
            if (w.connecting || !w.offers.isEmpty() || w.stickyLookup) continue;
            if (w.pinnedAgent != null) {
                Agent target = agents.get(w.pinnedAgent);
                if (target != null && target.free() && target.device != null && host.reachable(enterpriseId, target.device)) {
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
                Agent a = agents.get(id);
                if (a == null || !a.free() || a.device == null) continue;
                if (!widened && !Strategies.qualifies(a, s.skills())) continue;
                if (!host.reachable(enterpriseId, a.device)) continue;
                free.add(a);
            }
            if (w.preferredAgent != null && !w.tried.contains(w.preferredAgent)) {
                // ACD-4: waiting for the agent who served this caller last; offered to them as soon as they are free.
                Agent last = agents.get(w.preferredAgent);
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

    static final String TRANSFER_QUEUE = "transfer";
    static final int TRANSFER_RING_SECONDS = 20;

    private void offer(Waiting w, Queue q, Agent a) {
        Duration timeout = Duration.ofSeconds(q == null ? TRANSFER_RING_SECONDS : q.settings().ringTimeoutSeconds());
        String queueName = q == null ? TRANSFER_QUEUE : q.name();
        Optional<Channel> leg = w.callback
                ? host.offerCallback(w.enterpriseId, a.device, w.callerNumber, timeout, queueName, a.userId, a.jobNumber)
                : host.offer(w.enterpriseId, w.callId, a.device, w.callerNumber, timeout, queueName, a.userId, a.jobNumber);
        if (leg.isEmpty()) return;
        a.callId = w.callId;
        a.legId = leg.get().id();
        a.queueId = q == null ? null : q.id();
        move(a, AgentState.RINGING, null, "call");
        a.offered++;
        w.tried.add(a.userId);
        Offer o = new Offer(w, a, leg.get());
        w.offers.put(a.legId, o);
        offers.put(a.legId, o);
        if (q != null) memory.computeIfAbsent(q.id(), k -> new Strategies.Memory()).lastOffered = a.userId;
        Offered info = new Offered(w.callId, a.legId, w.callerNumber, queueName,
                Duration.between(w.enqueuedAt, clock.instant()).toSeconds(), w.transfer);
        for (Listener l : listeners) l.offered(w.enterpriseId, a.userId, info);
    }

    // ---- engine events

    private void handle(CallEvent e) {
        String ch = e.channelId();
        Offer o = offers.get(ch);
        if (o != null) {
            onOfferEvent(o, e);
            return;
        }
        Agent talker = talking.get(ch);
        if (talker != null) {
            if (e instanceof CallEvent.ChannelHungUp) callEnded(talker, ch);
            return;
        }
        Waiting cb = customerLegs.get(ch);
        if (cb != null) {
            onCustomerLeg(cb, e);
            return;
        }
        Waiting w = byChannel.get(ch);
        if (w != null) onCallerEvent(w, e);
    }

    private void onCallerEvent(Waiting w, CallEvent e) {
        if (e instanceof CallEvent.ChannelHungUp) {
            // The router logged the abandonment (queue_leave result=abandoned) in the call's record.
            if (!w.connecting) counters.computeIfAbsent(w.queueId, k -> new Counters()).abandoned++;
            if (w.connecting && w.agentLeg != null && w.agent != null && talking.get(w.agentLeg.id()) == null) {
                w.agentLeg.hangup(HangupCause.NORMAL_CLEARING);
            }
            remove(w);
            dispatch(w.enterpriseId);
        } else if (e instanceof CallEvent.DtmfReceived d && !w.connecting) {
            Queue q = config.tenant(w.enterpriseId).queues().get(w.queueId);
            if (q == null) return;
            String key = String.valueOf(d.digit());
            if (key.equals(q.settings().voicemailKey())) {
                leave(w, q, "voicemail", "key", new QueueSettings.Destination("voicemail", "queue:" + q.name()));
            } else if (key.equals(q.settings().callbackKey())) {
                askedCallback(w, q);
            }
        } else if (e instanceof CallEvent.PlaybackFinished p && w.connecting && w.announcePlayback != null) {
            w.announcePlayback = null;
            connect(w);
        }
    }

    private void onOfferEvent(Offer o, CallEvent e) {
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
                boolean missed = h.cause() == HangupCause.NO_ANSWER || h.cause() == HangupCause.NO_USER_RESPONSE
                        || h.cause() == HangupCause.USER_BUSY || h.cause() == HangupCause.CALL_REJECTED;
                Queue q = config.tenant(w.enterpriseId).queues().get(w.queueId);
                if (missed && !w.connecting) a.missedInRow++;
                int limit = q == null ? 0 : q.settings().autoPauseAfterMissed();
                if (limit > 0 && a.missedInRow >= limit) move(a, AgentState.NOT_READY, MISSED_REASON, "system");
                else move(a, AgentState.READY, null, "call");
            }
            if (w.pinnedAgent != null && waiting.containsKey(w.callId) && !w.connecting && w.offers.isEmpty()) {
                // The colleague did not take the transferred call: it ends rather than waiting for them forever.
                remove(w);
                if (w.channel != null) w.channel.hangup(HangupCause.NORMAL_CLEARING);
                return;
            }
            if (waiting.containsKey(w.callId)) dispatch(w.enterpriseId);
        }
    }

    /** An agent answered: the others stop ringing, the caller hears the agent's job number (if set), then they talk. */
    private void answered(Waiting w, Offer o) {
        Agent a = o.agent();
        if (w.connecting || !waiting.containsKey(w.callId)) {
            // Someone else was quicker, or the caller is gone.
            o.leg().hangup(HangupCause.NORMAL_CLEARING);
            if (a.state == AgentState.RINGING) move(a, AgentState.READY, null, "call");
            return;
        }
        w.connecting = true;
        w.agent = a;
        w.agentLeg = o.leg();
        for (Offer other : List.copyOf(w.offers.values())) {
            offers.remove(other.leg().id());
            other.leg().hangup(HangupCause.ORIGINATOR_CANCEL);
            if (other.agent().state == AgentState.RINGING) move(other.agent(), AgentState.READY, null, "call");
        }
        w.offers.clear();
        move(a, AgentState.ON_CALL, null, "call");
        a.callId = w.callId;
        a.legId = o.leg().id();
        a.queueId = w.queueId;
        a.missedInRow = 0;
        a.answered++;
        talking.put(o.leg().id(), a);
        w.timers.forEach(f -> f.cancel(false));
        Queue q = config.tenant(w.enterpriseId).queues().get(w.queueId);
        memory.computeIfAbsent(w.queueId, k -> new Strategies.Memory()).lastAnswered = a.userId;
        if (w.callback) {
            // ACD-6: the agent is on the line; now call the customer back in the agent's call.
            Optional<Channel> cust = host.dialCustomer(w.enterpriseId, o.leg().id(), w.callerNumber);
            if (cust.isEmpty()) {
                o.leg().hangup(HangupCause.NORMAL_CLEARING);
                remove(w);
                return;
            }
            w.customerLegId = cust.get().id();
            customerLegs.put(cust.get().id(), w);
            return;
        }
        if (q != null && q.settings().agentAnnounce() && a.jobNumber != null && !a.jobNumber.isBlank()) {
            Channel caller = w.channel;
            caller.unhold();
            Language lang = Language.ZH;
            AudioClip clip = AudioClip.concat(List.of(ivr.shipped(lang, PromptKey.AGENT_NUMBER), ivr.utterance(Say.in(lang).digits(a.jobNumber)),
                    ivr.shipped(lang, PromptKey.AT_YOUR_SERVICE)));
            w.announcePlayback = 0L;
            caller.play(new PlaybackRequest(List.of(new PlaybackRequest.Item.Clip(clip)), false, false));
            return;
        }
        connect(w);
    }

    /** Bridges caller and agent and logs the connection (ACD-7 done or not needed). */
    private void connect(Waiting w) {
        if (!waiting.containsKey(w.callId) || w.agentLeg == null) return;
        Instant now = clock.instant();
        Queue q = config.tenant(w.enterpriseId).queues().get(w.queueId);
        String queueName = q == null ? "?" : q.name();
        long waitMs = Duration.between(w.enqueuedAt, now).toMillis();
        try {
            w.channel.unhold(); // the queue's music ends (the bridge stops it too; this also clears the channel's hold mark)
            host.bridge(w.channel, w.agentLeg);
        } catch (RuntimeException e) {
            log.warn("call {}: cannot connect caller and agent: {}", w.callId, e.toString());
            w.agentLeg.hangup(HangupCause.NORMAL_CLEARING);
            w.channel.hangup(HangupCause.NORMAL_CLEARING);
            remove(w);
            return;
        }
        if (w.pinnedAgent != null) {
            // A colleague took a transferred call: the call record keeps the queue it came from.
            host.log(new CallLogEvent.Transfer(w.enterpriseId, w.callId, now, w.agentLeg.id(), "agent",
                    w.agent.jobNumber == null ? String.valueOf(w.agent.userId) : w.agent.jobNumber));
            remove(w);
            return;
        }
        host.log(new CallLogEvent.QueueConnected(w.enterpriseId, w.callId, now, w.agentLeg.id(), queueName, w.agent.userId,
                w.agent.jobNumber, waitMs));
        Counters c = counters.computeIfAbsent(w.queueId, k -> new Counters());
        c.answered++;
        c.avgWaitSeconds = c.avgWaitSeconds < 0 ? waitMs / 1000.0 : 0.8 * c.avgWaitSeconds + 0.2 * waitMs / 1000.0;
        if (q != null && q.settings().record()) host.record(w.enterpriseId, w.callId);
        remove(w);
    }

    private void onCustomerLeg(Waiting w, CallEvent e) {
        if (e instanceof CallEvent.ChannelAnswered) {
            customerLegs.remove(e.channelId());
            Queue q = config.tenant(w.enterpriseId).queues().get(w.queueId);
            host.log(new CallLogEvent.QueueConnected(w.enterpriseId, w.agentLeg.id(), clock.instant(), e.channelId(), q == null ? "?" : q.name(),
                    w.agent.userId, w.agent.jobNumber, Duration.between(w.enqueuedAt, clock.instant()).toMillis()));
            counters.computeIfAbsent(w.queueId, k -> new Counters()).answered++;
            host.channel(e.channelId()).ifPresent(cust -> {
                try {
                    host.bridge(w.agentLeg, cust);
                } catch (RuntimeException ex) {
                    log.warn("call back {}: cannot connect: {}", w.callerNumber, ex.toString());
                    cust.hangup(HangupCause.NORMAL_CLEARING);
                }
            });
            remove(w);
        } else if (e instanceof CallEvent.ChannelHungUp) {
            customerLegs.remove(e.channelId());
            // The customer did not answer the call back: the agent's leg ends, the request is done.
            if (w.agentLeg != null) w.agentLeg.hangup(HangupCause.NORMAL_CLEARING);
            remove(w);
        }
    }

    /** An agent's call ended: wrap-up (ACD-8) or ready, or the not ready they asked for during the call. */
    private void callEnded(Agent a, String legId) {
        talking.remove(legId);
        if (a.state != AgentState.ON_CALL || !legId.equals(a.legId)) return;
        Queue q = a.queueId == null ? null : config.tenant(a.enterpriseId).queues().get(a.queueId);
        int wrap = q == null ? 0 : q.settings().wrapUpSeconds();
        afterCall(a, wrap, "call");
    }

    private void afterCall(Agent a, int wrapSeconds, String cause) {
        if (a.pendingNotReady != null) {
            String reason = a.pendingNotReady;
            a.pendingNotReady = null;
            move(a, AgentState.NOT_READY, reason, cause);
        } else if (wrapSeconds > 0) {
            move(a, AgentState.WRAP_UP, null, cause);
            Instant until = clock.instant().plusSeconds(wrapSeconds);
            a.wrapUntil = until;
            exec.schedule(() -> guard(() -> {
                if (a.state == AgentState.WRAP_UP && until.equals(a.wrapUntil)) {
                    move(a, AgentState.READY, null, "system");
                    dispatch(a.enterpriseId);
                }
            }), wrapSeconds * 1000L, TimeUnit.MILLISECONDS);
        } else {
            move(a, AgentState.READY, null, cause);
        }
        dispatch(a.enterpriseId);
    }

    /** The agent no longer takes the call offered to them (not ready or logout while ringing). */
    private void withdraw(Agent a) {
        Offer o = a.legId == null ? null : offers.remove(a.legId);
        if (o != null) {
            o.waiting().offers.remove(a.legId);
            o.leg().hangup(HangupCause.ORIGINATOR_CANCEL);
        }
    }

    // ---- leaving the queue

    private void maxWait(Waiting w) {
        if (!waiting.containsKey(w.callId) || w.connecting) return;
        Queue q = config.tenant(w.enterpriseId).queues().get(w.queueId);
        if (q != null) overflow(w, q, "max_wait");
    }

    /** Max wait and queue full go to the overflow destination; nobody logged in goes to the join-empty destination. */
    private void overflow(Waiting w, Queue q, String reason) {
        counters.computeIfAbsent(q.id(), k -> new Counters()).overflowed++;
        leave(w, q, "overflow", reason, "no_agents".equals(reason) ? q.settings().noAgents() : q.settings().overflow());
    }

    private void leave(Waiting w, Queue q, String result, String reason, QueueSettings.Destination d) {
        long waitMs = Duration.between(w.enqueuedAt, clock.instant()).toMillis();
        String dest = d == null ? "hangup" : d.type() + (d.value() == null ? "" : ":" + d.value());
        host.log(new CallLogEvent.QueueLeft(w.enterpriseId, w.callId, clock.instant(), w.channel.id(), q.name(), result, reason, dest, waitMs));
        cancelOffers(w);
        remove(w);
        Channel caller = w.channel;
        caller.unhold();
        caller.stopPlayback();
        if (d == null || "hangup".equals(d.type()) || !host.leaveTo(w.enterpriseId, w.callId, caller, d, q.name())) {
            caller.hangup(HangupCause.NORMAL_CLEARING);
        }
        dispatch(w.enterpriseId);
    }

    /** ACD-6: the caller keeps the place and hangs up; when an agent is free, the agent is rung first, then the caller. */
    private void askedCallback(Waiting w, Queue q) {
        long waitMs = Duration.between(w.enqueuedAt, clock.instant()).toMillis();
        host.log(new CallLogEvent.QueueLeft(w.enterpriseId, w.callId, clock.instant(), w.channel.id(), q.name(), "callback", "key",
                "callback:" + w.callerNumber, waitMs));
        cancelOffers(w);
        byChannel.remove(w.channel.id());
        Channel caller = w.channel;
        w.callback = true;
        w.timers.forEach(f -> f.cancel(false));
        w.timers.clear();
        caller.unhold();
        caller.play(new PlaybackRequest(List.of(new PlaybackRequest.Item.Clip(ivr.shipped(Language.ZH, PromptKey.CALLBACK_REGISTERED))),
                false, false));
        // The caller hangs up or we do after the confirmation; the entry stays in the queue in its place.
        exec.schedule(() -> guard(() -> caller.hangup(HangupCause.NORMAL_CLEARING)), 8, TimeUnit.SECONDS);
    }

    private void cancelOffers(Waiting w) {
        for (Offer o : List.copyOf(w.offers.values())) {
            offers.remove(o.leg().id());
            o.leg().hangup(HangupCause.ORIGINATOR_CANCEL);
            if (o.agent().state == AgentState.RINGING) move(o.agent(), AgentState.READY, null, "call");
        }
        w.offers.clear();
    }

    private void remove(Waiting w) {
        waiting.remove(w.callId);
        if (w.channel != null) byChannel.remove(w.channel.id());
        w.timers.forEach(f -> f.cancel(false));
        w.timers.clear();
        if (!w.connecting) cancelOffers(w);
    }

    // ---- announcements (ACD-6)

    private void announce(Waiting w) {
        if (!waiting.containsKey(w.callId) || w.connecting || w.callback) return;
        int pos = position(w, false);
        Counters c = counters.computeIfAbsent(w.queueId, k -> new Counters());
        long signedIn = config.tenant(w.enterpriseId).members().getOrDefault(w.queueId, List.of()).stream()
                .filter(id -> agents.containsKey(id) && agents.get(id).state.signedIn()).count();
        double perCaller = c.avgWaitSeconds > 0 ? c.avgWaitSeconds : 60;
        Duration expected = Duration.ofSeconds((long) (perCaller * pos / Math.max(1, signedIn)));
        Say say = Say.in(Language.ZH);
        AudioClip clip = AudioClip.concat(List.of(ivr.utterance(say.queuePosition(Math.min(pos, 9999))), ivr.utterance(say.expectedWait(expected))));
        w.channel.play(new PlaybackRequest(List.of(new PlaybackRequest.Item.Clip(clip)), false, false));
        Queue q = config.tenant(w.enterpriseId).queues().get(w.queueId);
        host.log(new CallLogEvent.QueueAnnounced(w.enterpriseId, w.callId, clock.instant(), w.channel.id(), q == null ? "?" : q.name(), pos,
                expected.toSeconds()));
    }

    private void periodic(Waiting w) {
        if (!waiting.containsKey(w.callId) || w.connecting || w.callback) return;
        Queue q = config.tenant(w.enterpriseId).queues().get(w.queueId);
        if (q == null || q.settings().periodicText() == null) return;
        String text = q.settings().periodicText();
        Optional<PromptKey> key = java.util.Arrays.stream(PromptKey.values()).filter(k -> k.name().equals(text)).findFirst();
        if (key.isPresent()) {
            w.channel.play(new PlaybackRequest(List.of(new PlaybackRequest.Item.Clip(ivr.shipped(Language.ZH, key.get()))), false, false));
            return;
        }
        Channel ch = w.channel;
        ivr.speak(text, Language.ZH).thenAccept(clip -> exec.execute(() -> guard(() -> {
            if (waiting.containsKey(w.callId) && !w.connecting) ch.play(new PlaybackRequest(List.of(new PlaybackRequest.Item.Clip(clip)), false, false));
        })));
    }

    // ---- agents

    private Agent agent(long enterpriseId, long userId) {
        Agent a = agents.get(userId);
        if (a != null && a.enterpriseId != enterpriseId) throw DomainException.notFound("agent");
        if (a == null) {
            AcdConfig.Tenant t = config.tenant(enterpriseId);
            if (!t.users().containsKey(userId)) {
                t = published.tenant(enterpriseId);
                if (!t.users().containsKey(userId)) throw DomainException.notFound("agent");
            }
            a = new Agent(enterpriseId, userId);
            agents.put(userId, a);
            refresh(a, t);
        }
        return a;
    }

    private Device checkDevice(Agent a, Device d) {
        if (d == null || d.kind() == null) throw DomainException.badRequest("device must be sip, webrtc or external");
        switch (d.kind()) {
            case SIP -> {
                if (a.extension == null) {
                    throw DomainException.conflict("the agent has no extension to use as a SIP phone");
                }
                return new Device(Device.Kind.SIP, a.extension);
            }
            case WEBRTC -> {
                // The browser phone (AGENT-2): the agent's persistent WebRTC connection, keyed by user id.
                return new Device(Device.Kind.WEBRTC, webRtcKey(a.userId));
            }
            default -> {
                if (d.number() == null || !d.number().matches("\\+?[0-9]{3,32}")) {
                    throw DomainException.badRequest("an external device needs a phone number", "number", "a phone number");
                }
                Device out = new Device(Device.Kind.EXTERNAL, d.number());
                if (!host.reachable(a.enterpriseId, out)) {
                    throw DomainException.conflict("no outbound route reaches " + d.number());
                }
                return out;
            }
        }
    }

    private void move(Agent a, AgentState to, String reason, String cause) {
        AgentState from = a.moveTo(to, reason, clock.instant());
        logAgent(a, from, to, cause);
    }

    private void logAgent(Agent a, AgentState from, AgentState to, String cause) {
        events.append(new AgentLogEvent(a.enterpriseId, a.userId, a.since, to.key(), from.key(), a.reason,
                a.device == null ? null : a.device.toString(), a.callId, cause));
        if (!listeners.isEmpty()) {
            AgentView v = view(a);
            for (Listener l : listeners) l.agentChanged(a.enterpriseId, v);
        }
    }

    private AgentView view(Agent a) {
        return a.view(config.tenant(a.enterpriseId).queueNames());
    }

    private void apply(AcdConfig c) {
        config = c;
        published = c;
        for (Agent a : agents.values()) {
            AcdConfig.Tenant t = c.tenant(a.enterpriseId);
            if (!t.users().containsKey(a.userId)) {
                if (a.state.signedIn() && a.state != AgentState.ON_CALL) {
                    if (a.state == AgentState.RINGING) withdraw(a);
                    move(a, AgentState.LOGGED_OUT, null, "system");
                }
                continue;
            }
            refresh(a, t);
        }
        dispatchAll();
    }

    private void refresh(Agent a, AcdConfig.Tenant t) {
        AcdConfig.UserInfo u = t.users().get(a.userId);
        if (u == null) return;
        a.name = u.name();
        a.jobNumber = u.jobNumber();
        a.extension = u.extension();
        a.queues.clear();
        t.penalties().forEach((q, ps) -> {
            if (ps.containsKey(a.userId)) a.queues.put(q, ps.get(a.userId));
        });
        a.skills.clear();
        a.skills.putAll(t.skills().getOrDefault(a.userId, Map.of()));
        if (a.device != null && a.device.kind() == Device.Kind.SIP && a.extension != null) a.device = new Device(Device.Kind.SIP, a.extension);
    }

    /** After a restart: agents signed in before are signed in again; one caught mid-call is ready again (logged, cause restart). */
    private void restore(List<AgentStore.LastState> last) {
        for (AgentStore.LastState s : last) {
            Optional<AgentState> st = AgentState.parse(s.state());
            if (st.isEmpty() || st.get() == AgentState.LOGGED_OUT) continue;
            AcdConfig.Tenant t = config.tenant(s.enterpriseId());
            if (!t.users().containsKey(s.userId())) continue;
            Agent a = agent(s.enterpriseId(), s.userId());
            a.device = s.device() == null ? null : parseDevice(s.device());
            if (a.device == null) continue;
            AgentState to = st.get() == AgentState.NOT_READY ? AgentState.NOT_READY : AgentState.READY;
            a.moveTo(to, to == AgentState.NOT_READY ? s.reason() : null, clock.instant());
            // The same state as logged needs no new entry; a call the restart ended does.
            if (to != st.get()) logAgent(a, st.get(), to, "restart");
        }
    }

    /** The key of an agent's browser connection in the engine. */
    public static String webRtcKey(long userId) {
        return "agent-" + userId;
    }

    private static Device parseDevice(String s) {
        int i = s.indexOf(':');
        if (i < 0) return null;
        return Device.Kind.parse(s.substring(0, i)).map(k -> new Device(k, s.substring(i + 1))).orElse(null);
    }

    /**
     * The self-check: an agent ringing or talking whose leg no longer exists is corrected (and the
     * correction logged); a caller whose channel is gone leaves the queue. Nothing else can leave
     * an agent stuck "on call".
     */
    private void selfCheck() {
        Instant now = clock.instant();
        for (Agent a : List.copyOf(agents.values())) {
            if ((a.state == AgentState.RINGING || a.state == AgentState.ON_CALL) && (a.legId == null || host.channel(a.legId).isEmpty())) {
                if (a.legId != null && a.since != null && Duration.between(a.since, now).toMillis() < 1000) continue; // events in flight
                log.warn("agent {} was {} but their call is gone: corrected", a.userId, a.state.key());
                if (a.legId != null) {
                    offers.remove(a.legId);
                    talking.remove(a.legId);
                }
                for (Waiting w : waiting.values()) w.offers.values().removeIf(o -> o.agent() == a);
                String pending = a.pendingNotReady;
                a.pendingNotReady = null;
                move(a, pending != null ? AgentState.NOT_READY : AgentState.READY, pending, "correction");
            }
        }
        for (Waiting w : List.copyOf(waiting.values())) {
            if (w.callback || w.channel == null) continue;
            if (host.channel(w.channel.id()).isEmpty()) {
                log.warn("call {} waited in a queue but its channel is gone: removed", w.callId);
                remove(w);
            }
        }
        dispatchAll();
    }

    // ---- plumbing

    private void guard(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.error("ACD error", e);
        }
    }

    private <T> T call(Callable<T> task) {
        if (Thread.currentThread().getName().equals("hotline-acd")) {
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
}
