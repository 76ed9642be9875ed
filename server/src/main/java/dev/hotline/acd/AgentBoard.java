package dev.hotline.acd;

import dev.hotline.domain.DomainException;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.report.AgentLogEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents and their states (AGENT-1, AGENT-3, ACD-8), on the dispatcher thread: sign-in on a
 * device, ready and not ready, the calls that move them (offer, answer, hang-up, wrap-up), the
 * self-check that corrects an agent whose call is gone, and signing agents in again after a restart.
 * <p>
 * Every state change goes through {@link #move}, which logs it and tells the listeners; the
 * state machine itself is {@link AgentState}. The queue side is reached through {@link Queues}.
 */
final class AgentBoard {
    private static final Logger log = LoggerFactory.getLogger(AgentBoard.class);
    static final String MISSED_REASON = "missed";
    /** An agent state younger than this is left alone by the self-check: the events of its call may be in flight. */
    static final Duration GRACE = Duration.ofSeconds(1);
    /** Legs the self-check found gone while their agent still rang or talked, and since when (checked on the ACD thread only). */
    private final Map<String, Instant> goneSince = new HashMap<>();

    /** What the agents need of the queue side. */
    interface Queues {
        /** The agent no longer takes the call ringing them: its offer ends. */
        void withdraw(Agent a);

        /** The agent's offers are forgotten (their leg is gone). */
        void forget(Agent a);

        void dispatch(long enterpriseId);

        void dispatchAll();
    }

    private final AcdContext ctx;
    private final Queues queues;
    private final Map<Long, Agent> agents = new HashMap<>();
    /** Agent leg id → the agent talking on it (after answer, or a call of their own). */
    private final Map<String, Agent> talking = new HashMap<>();
    /** A supervisor's leg → the supervisor (SUP-2), until the leg ends. */
    private final Map<String, Agent> supervisors = new HashMap<>();

    AgentBoard(AcdContext ctx, Queues queues) {
        this.ctx = ctx;
        this.queues = queues;
    }

    /** The agent, if the dispatcher knows them. */
    Agent get(long userId) {
        return agents.get(userId);
    }

    boolean signedIn(long userId) {
        Agent a = agents.get(userId);
        return a != null && a.state.signedIn();
    }

    /** The agent of a user of the enterprise, made known to the dispatcher on first use. */
    Agent agent(long enterpriseId, long userId) {
        Agent a = agents.get(userId);
        if (a != null && a.enterpriseId != enterpriseId) throw DomainException.notFound("agent");
        if (a == null) {
            AcdConfig.Tenant t = ctx.tenant(enterpriseId);
            if (!t.users().containsKey(userId)) {
                t = ctx.published.tenant(enterpriseId);
                if (!t.users().containsKey(userId)) throw DomainException.notFound("agent");
            }
            a = new Agent(enterpriseId, userId);
            agents.put(userId, a);
            refresh(a, t);
        }
        return a;
    }

    // ================================================================ what agents ask for

    AgentView login(long enterpriseId, long userId, Device device, String by) {
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
        } else if (a.state == AgentState.READY && !canRing(a, d)) {
            // Moving a ready agent to a phone that cannot ring: not ready, with the reason, until it can.
            a.device = d;
            move(a, AgentState.NOT_READY, UNREACHABLE, by);
        } else {
            a.device = d;
            logAgent(a, a.state, a.state, by);
        }
        return view(a);
    }

    AgentView logout(long enterpriseId, long userId, String by) {
        Agent a = agent(enterpriseId, userId);
        if (a.state == AgentState.LOGGED_OUT) return view(a);
        if (a.state == AgentState.ON_CALL) throw DomainException.conflict("the agent is on a call; log out after it");
        if (a.state == AgentState.RINGING) queues.withdraw(a);
        move(a, AgentState.LOGGED_OUT, null, by);
        queues.dispatchAll();
        return view(a);
    }

    /** Ready, or not ready with a reason (checked by {@link AgentDesk}); during a call not ready is kept for when it ends. */
    AgentView setState(long enterpriseId, long userId, AgentState to, String reason, String by) {
        if (to != AgentState.READY && to != AgentState.NOT_READY) throw new IllegalArgumentException("not a state to ask for: " + to);
        Agent a = agent(enterpriseId, userId);
        if (a.state == AgentState.LOGGED_OUT) throw DomainException.conflict("the agent is not logged in");
        if (a.state == AgentState.ON_CALL) {
            a.pendingNotReady = to == AgentState.NOT_READY ? reason : null;
            return view(a);
        }
        if (to == AgentState.READY && !canRing(a, a.device)) {
            // Issue 14: never ready on a phone that cannot ring (callers would wait unoffered until they give up).
            throw new DomainException(DomainException.Kind.CONFLICT, "device_unreachable", "SIP phone " + a.device.number()
                    + " is not registered: register it, or sign in with the browser phone");
        }
        if (a.state == AgentState.RINGING) queues.withdraw(a);
        if (to == AgentState.READY && a.state == AgentState.READY) return view(a);
        move(a, to, reason, by);
        if (to == AgentState.READY) a.missedInRow = 0;
        queues.dispatchAll();
        return view(a);
    }

    /** A call of the agent's own on {@code legId}: a ready agent is on a call until it ends (ACD-8). */
    void busy(long enterpriseId, long userId, String callId, String legId, String cause) {
        Agent a = agents.get(userId);
        if (a == null || a.enterpriseId != enterpriseId || !a.state.signedIn()) return;
        if (a.state == AgentState.READY) onOwnCall(a, callId, legId, cause);
    }

    private void onOwnCall(Agent a, String callId, String legId, String cause) {
        a.callId = callId;
        a.legId = legId;
        a.queueId = null;
        move(a, AgentState.ON_CALL, null, cause);
        talking.put(legId, a);
    }

    /**
     * SUP-2: {@code userId} supervises {@code callId} on {@code legId} until that leg ends. In any state: a ready supervisor
     * is on that call now; one not ready, in wrap-up, ringing or on another call keeps their state, and whenever they would
     * become ready before the leg ends (wrap-up over, ready asked for, an offer not taken, their own call ended) they are on
     * the supervised call instead ({@link #move}), so no queue call is offered to them meanwhile.
     */
    void supervising(long enterpriseId, long userId, String callId, String legId) {
        Agent a;
        try {
            a = agent(enterpriseId, userId);
        } catch (DomainException e) {
            return; // no user of the enterprise's ACD
        }
        a.supervisingLeg = legId;
        a.supervisingCall = callId;
        supervisors.put(legId, a);
        if (a.state == AgentState.READY) onOwnCall(a, callId, legId, "supervision");
    }

    /** The supervisor's leg ended (or is gone): the supervision no longer keeps them from the queues. */
    private void supervisionEnded(Agent a, String legId) {
        supervisors.remove(legId);
        if (legId.equals(a.supervisingLeg)) {
            a.supervisingLeg = null;
            a.supervisingCall = null;
        }
    }

    // ================================================================ outbound campaigns (OUT-1)

    /** A campaign holds a free agent at most this long (the longest ring plus detection): a hold left behind ends by itself. */
    static final Duration HOLD_AT_MOST = Duration.ofMinutes(3);

    Acd.Pool pool(long enterpriseId, List<Long> members, String holder) {
        int signedIn = 0;
        List<Long> free = new ArrayList<>();
        List<Long> held = new ArrayList<>();
        List<Double> busy = new ArrayList<>();
        Instant now = ctx.now();
        for (long id : members) {
            Agent a = agents.get(id);
            if (a == null || a.enterpriseId != enterpriseId || !a.state.signedIn()) continue;
            signedIn++;
            if (a.free() && a.device != null && canRing(a, a.device)) free.add(id);
            else if (a.reservedFor(holder)) held.add(id);
            else if (a.state == AgentState.ON_CALL || a.state == AgentState.RINGING || a.state == AgentState.WRAP_UP) {
                busy.add(Duration.between(a.since, now).toMillis() / 1000.0);
            }
        }
        return new Acd.Pool(signedIn, free, held, busy.stream().mapToDouble(Double::doubleValue).toArray());
    }

    List<Long> reserve(long enterpriseId, List<Long> members, String holder, int n) {
        List<Long> out = new ArrayList<>();
        for (long id : members) {
            if (out.size() >= n) break;
            Agent a = agents.get(id);
            if (a == null || a.enterpriseId != enterpriseId || !a.free() || a.device == null || !canRing(a, a.device)) continue;
            a.reservedBy = holder;
            a.reservedAt = ctx.now();
            out.add(id);
        }
        return out;
    }

    boolean release(long enterpriseId, long userId, String holder) {
        Agent a = agents.get(userId);
        if (a == null || a.enterpriseId != enterpriseId || !a.reservedFor(holder)) return false;
        a.reservedBy = null;
        a.reservedAt = null;
        return true;
    }

    /** The not-ready reason of an agent moved off a phone that cannot ring. */
    static final String UNREACHABLE = "unreachable";

    /** False for a SIP phone that is not registered now (the browser phone reconnects by itself; outside numbers are checked at login). */
    private boolean canRing(Agent a, Device d) {
        Acd.Host host = ctx.host;
        return d == null || d.kind() != Device.Kind.SIP || host == null || host.reachable(a.enterpriseId, d);
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
                return new Device(Device.Kind.WEBRTC, Acd.webRtcKey(a.userId));
            }
            default -> {
                if (d.number() == null || !d.number().matches("\\+?[0-9]{3,32}")) {
                    throw DomainException.badRequest("an external device needs a phone number", "number", "a phone number");
                }
                Device out = new Device(Device.Kind.EXTERNAL, d.number());
                if (!ctx.host.reachable(a.enterpriseId, out)) {
                    throw DomainException.conflict("no outbound route reaches " + d.number());
                }
                return out;
            }
        }
    }

    // ================================================================ views

    Optional<AgentView> view(long enterpriseId, long userId) {
        Agent a = agents.get(userId);
        if (a != null && a.enterpriseId != enterpriseId) return Optional.empty();
        if (a == null) {
            if (!ctx.tenant(enterpriseId).users().containsKey(userId)) return Optional.empty();
            a = agent(enterpriseId, userId);
        }
        return Optional.of(view(a));
    }

    /** Every user of the enterprise who is a queue member or signed in. */
    List<AgentView> list(long enterpriseId) {
        AcdConfig.Tenant t = ctx.tenant(enterpriseId);
        Set<Long> ids = new HashSet<>();
        t.members().values().forEach(ids::addAll);
        agents.values().stream().filter(a -> a.enterpriseId == enterpriseId && a.state.signedIn()).forEach(a -> ids.add(a.userId));
        List<AgentView> out = new ArrayList<>();
        for (long id : ids) {
            if (t.users().containsKey(id)) out.add(view(agent(enterpriseId, id)));
        }
        out.sort(Comparator.comparing(v -> v.jobNumber() == null ? "~" + v.name() : v.jobNumber()));
        return out;
    }

    AgentView view(Agent a) {
        Acd.Host host = ctx.host;
        Boolean reachable = a.state == AgentState.LOGGED_OUT || a.device == null || host == null ? null : host.reachable(a.enterpriseId, a.device);
        return a.view(ctx.tenant(a.enterpriseId).queueNames(), reachable);
    }

    // ================================================================ state changes

    /** The one way the ACD changes an agent's state: applied, logged and told to the listeners. */
    void move(Agent a, AgentState to, String reason, String cause) {
        AgentState from = a.moveTo(to, reason, ctx.now());
        logAgent(a, from, to, cause);
        if (to == AgentState.READY && a.supervisingLeg != null) {
            // SUP-2: ready while supervising: on the supervised call until the supervisor's leg ends, never offered one.
            onOwnCall(a, a.supervisingCall, a.supervisingLeg, "supervision");
        }
    }

    private void logAgent(Agent a, AgentState from, AgentState to, String cause) {
        ctx.agentLog.accept(new AgentLogEvent(a.enterpriseId, a.userId, a.since, to.key(), from.key(), a.reason,
                a.device == null ? null : a.device.toString(), a.callId, cause));
        if (!ctx.listeners.isEmpty()) {
            AgentView v = view(a);
            for (Acd.Listener l : ctx.listeners) l.agentChanged(a.enterpriseId, v);
        }
    }

    /** The agent answered a queue call on {@code legId}. */
    void answered(Agent a, String callId, String legId, Long queueId) {
        move(a, AgentState.ON_CALL, null, "call");
        a.callId = callId;
        a.legId = legId;
        a.queueId = queueId;
        a.missedInRow = 0;
        a.answered++;
        talking.put(legId, a);
    }

    /** AGENT-3: the agent's call goes on on {@code newLeg} (another device); {@code oldLeg} ending is no end of the call. */
    void moveLeg(long enterpriseId, long userId, String oldLeg, String newLeg) {
        Agent a = agents.get(userId);
        if (a == null || a.enterpriseId != enterpriseId || talking.get(oldLeg) != a) return;
        talking.remove(oldLeg);
        talking.put(newLeg, a);
        if (oldLeg.equals(a.legId)) a.legId = newLeg;
    }

    boolean talksOn(String legId) {
        return talking.containsKey(legId);
    }

    /** An event of a leg an agent talks on; false when it is no such leg. */
    boolean onAgentLeg(CallEvent e) {
        Agent supervisor = supervisors.get(e.channelId());
        if (supervisor != null && e instanceof CallEvent.ChannelHungUp) supervisionEnded(supervisor, e.channelId());
        Agent talker = talking.get(e.channelId());
        if (talker == null) return supervisor != null;
        if (e instanceof CallEvent.ChannelHungUp) callEnded(talker, e.channelId());
        return true;
    }

    /** An agent's call ended: wrap-up (ACD-8) or ready, or the not ready they asked for during the call. */
    private void callEnded(Agent a, String legId) {
        talking.remove(legId);
        if (a.state != AgentState.ON_CALL || !legId.equals(a.legId)) return;
        Queue q = a.queueId == null ? null : ctx.queue(a.enterpriseId, a.queueId);
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
            Instant until = ctx.now().plusSeconds(wrapSeconds);
            a.wrapUntil = until;
            ctx.thread.schedule(Duration.ofSeconds(wrapSeconds), () -> {
                if (a.state == AgentState.WRAP_UP && until.equals(a.wrapUntil)) {
                    move(a, AgentState.READY, null, "system");
                    queues.dispatch(a.enterpriseId);
                }
            });
        } else {
            move(a, AgentState.READY, null, cause);
        }
        queues.dispatch(a.enterpriseId);
    }

    // ================================================================ configuration and restart

    /** New configuration: agents who are no longer users are signed out (unless talking); the others take their new data. */
    void apply(AcdConfig c) {
        for (Agent a : agents.values()) {
            AcdConfig.Tenant t = c.tenant(a.enterpriseId);
            if (!t.users().containsKey(a.userId)) {
                if (a.state.signedIn() && a.state != AgentState.ON_CALL) {
                    if (a.state == AgentState.RINGING) queues.withdraw(a);
                    move(a, AgentState.LOGGED_OUT, null, "system");
                }
                continue;
            }
            refresh(a, t);
        }
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

    /** After a restart (crash restore): agents signed in before are signed in again; one caught mid-call is ready again (logged, cause restart). */
    void restore(List<AgentStore.LastState> last) {
        for (AgentStore.LastState s : last) {
            Optional<AgentState> st = AgentState.parse(s.state());
            if (st.isEmpty() || st.get() == AgentState.LOGGED_OUT) continue;
            AcdConfig.Tenant t = ctx.tenant(s.enterpriseId());
            if (!t.users().containsKey(s.userId())) continue;
            Agent a = agent(s.enterpriseId(), s.userId());
            a.device = s.device() == null ? null : parseDevice(s.device());
            if (a.device == null) continue;
            AgentState to = st.get() == AgentState.NOT_READY ? AgentState.NOT_READY : AgentState.READY;
            a.moveTo(to, to == AgentState.NOT_READY ? s.reason() : null, ctx.now());
            // The same state as logged needs no new entry; a call the restart ended does.
            if (to != st.get()) logAgent(a, st.get(), to, "restart");
        }
    }

    private static Device parseDevice(String s) {
        int i = s.indexOf(':');
        if (i < 0) return null;
        return Device.Kind.parse(s.substring(0, i)).map(k -> new Device(k, s.substring(i + 1))).orElse(null);
    }

    // ================================================================ self-check

    /**
     * The agent half of the self-check: an agent ringing or talking whose leg no longer exists is
     * corrected to ready (or the not ready they asked for), logged with cause "correction". The leg
     * must be found gone by two checks at least {@link #GRACE} apart: the engine forgets a leg before
     * its hang-up event reaches this thread, and that event (a missed offer pauses the agent) must win.
     */
    void selfCheck() {
        Instant now = ctx.now();
        Map<String, Instant> seen = new HashMap<>();
        for (Agent a : List.copyOf(agents.values())) {
            if ((a.state == AgentState.RINGING || a.state == AgentState.ON_CALL) && (a.legId == null || ctx.host.channel(a.legId).isEmpty())) {
                if (a.legId != null) {
                    Instant first = goneSince.getOrDefault(a.legId, now);
                    seen.put(a.legId, first);
                    if (Duration.between(first, now).compareTo(GRACE) < 0) continue;
                }
                log.warn("agent {} was {} but their call is gone: corrected", a.userId, a.state.key());
                if (a.legId != null) talking.remove(a.legId);
                if (a.legId != null && a.legId.equals(a.supervisingLeg)) supervisionEnded(a, a.legId);
                seen.remove(a.legId);
                queues.forget(a);
                String pending = a.pendingNotReady;
                a.pendingNotReady = null;
                move(a, pending != null ? AgentState.NOT_READY : AgentState.READY, pending, "correction");
            }
        }
        // A supervision whose leg is gone without its hang-up event (not on that call: not ready, in wrap-up, ...) ends too.
        for (Map.Entry<String, Agent> s : List.copyOf(supervisors.entrySet())) {
            String leg = s.getKey();
            if (ctx.host.channel(leg).isPresent() || s.getValue().state == AgentState.ON_CALL && leg.equals(s.getValue().legId)) continue;
            Instant first = goneSince.getOrDefault(leg, now);
            seen.put(leg, first);
            if (Duration.between(first, now).compareTo(GRACE) >= 0) {
                seen.remove(leg);
                supervisionEnded(s.getValue(), leg);
            }
        }
        goneSince.clear();
        goneSince.putAll(seen);
        for (Agent a : agents.values()) {
            if (a.reservedBy != null && Duration.between(a.reservedAt, now).compareTo(HOLD_AT_MOST) > 0) {
                log.warn("agent {} was held by {} for longer than {}: let go", a.userId, a.reservedBy, HOLD_AT_MOST);
                a.reservedBy = null;
                a.reservedAt = null;
            }
        }
    }
}
