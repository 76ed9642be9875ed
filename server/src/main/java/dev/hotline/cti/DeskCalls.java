package dev.hotline.cti;

import dev.hotline.acd.Acd;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.report.CallRecordStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' calls as their desks see them (docs/cti.md "Call"): one {@link CallView} per agent
 * leg, kept up to date from the ACD's offers, the router's own calls and the engine's events, and
 * told to the desk through {@link Out}. Transport-free; its work runs on the CTI thread
 * ({@code out}), in order with the commands.
 */
public final class DeskCalls {
    private static final Logger log = LoggerFactory.getLogger(DeskCalls.class);

    /** Where the desk's news goes (the CTI channel). */
    public interface Out {
        /** A {@code call.*} message about {@code call} for the agent; {@code cause} only for call.ended. */
        void call(long userId, String type, CallView call, String cause);

        /** AGENT-3: the call on {@code fromLeg} moved to the agent's {@code device}: {@code call} is its view on the new leg. */
        void moved(long userId, String fromLeg, CallView call, String device);

        /** AGENT-3: the move of {@code call} to {@code device} failed ({@code why}); it stays. */
        void moveFailed(long userId, CallView call, String device, String why);

        /** The agent's browser phone connection went up or down. */
        void webRtcState(long userId, String key);

        /** True while the agent has a desk open. */
        boolean watching(long userId);

        /** The number the caller dialled and their IVR path, as far as the call has gone. */
        CallView.Path path(String callId);
    }

    private final Jdbi jdbi;
    private final Executor thread;
    private final Out out;
    /** agent leg id → the call as the desk sees it. */
    private final Map<String, CallView> legs = new ConcurrentHashMap<>();
    /** Offers the ACD made whose call.offered the desk's thread has not announced yet (see {@link #offered}). */
    private final Map<String, CallView> offering = new ConcurrentHashMap<>();
    /** call id → notes (AGENT-5: they travel with a transfer). */
    private final Map<String, String> notes = new ConcurrentHashMap<>();
    /** Consulted leg → the agent's leg consulting it. */
    private final Map<String, String> consultedBy = new ConcurrentHashMap<>();
    /** Queue offer legs the agent answered whose caller is not connected yet (CTI thread only). */
    private final Set<String> answeredLegs = new HashSet<>();
    /** Legs announced by {@link #expectLeg} whose call.offered is not sent yet → their events so far. */
    private final Map<String, List<CallEvent>> early = new ConcurrentHashMap<>();
    private final Map<String, Long> expectedAt = new ConcurrentHashMap<>();

    public DeskCalls(Jdbi jdbi, Executor thread, Out out) {
        this.jdbi = jdbi;
        this.thread = thread;
        this.out = out;
    }

    // ================================================================ calls announced

    /**
     * The ACD offers a queue call to the agent (on the ACD's thread: handed off at once); or the agent picked up (PBX-4) a
     * call offered to a colleague on their leg {@code o.legId()}: the desk is told the same (caller, customer, transfer and
     * notes). A leg the desk follows already (an API pickup's, shown as the user's own call until it took the call) keeps
     * its state: answered, it is talking.
     */
    public void offered(long enterpriseId, long userId, Acd.Offered o) {
        Instant at = Instant.now();
        // Known at once, before the desk's thread announces it: a phone may answer (and the call be bridged) first, and
        // whoever asks meanwhile (the survey, about the agent's user and queue) must find the offer.
        offering.put(o.legId(), new CallView(enterpriseId, userId, o.callId(), o.legId(), "inbound", "ringing", o.caller(), null,
                o.queue(), o.waitedSeconds(), false, false, CallView.Customer.UNKNOWN, o.transfer(), null, null, null, at, null));
        thread.execute(() -> {
            // The call records are read only for an agent whose desk is open (no query per call otherwise).
            CallView.Customer who = out.watching(userId) ? customer(enterpriseId, o.caller()) : CallView.Customer.UNKNOWN;
            CallView view = new CallView(enterpriseId, userId, o.callId(), o.legId(), "inbound", "ringing", o.caller(), null,
                    o.queue(), o.waitedSeconds(), false, false, who, o.transfer(), notes.get(o.callId()), null, out.path(o.callId()), at, null);
            CallView before = legs.get(o.legId());
            announce(before != null && before.answeredAt() != null ? view.answered(before.answeredAt()) : view);
        });
    }

    /** Registers a leg of the agent's own call (click-to-dial, a direct call) so that the desk follows it. */
    public void ownCall(long enterpriseId, long userId, String callId, String legId, String direction, String number) {
        Instant at = Instant.now();
        thread.execute(() -> {
            CallView.Customer who = out.watching(userId) ? customer(enterpriseId, number) : CallView.Customer.UNKNOWN;
            announce(new CallView(enterpriseId, userId, callId, legId, direction, "ringing", number, null, null, 0,
                    "internal".equals(direction), false, who, null, null, at));
        });
    }

    /** The call of an agent leg the desk follows. */
    Optional<CallView> deskCall(String legId) {
        CallView c = legs.get(legId);
        return Optional.ofNullable(c != null ? c : offering.get(legId));
    }

    /** Called before a consulted leg is placed, so that its answer or end reaches the consulting agent's desk. */
    public void consulting(String consultedLeg, String agentLeg) {
        consultedBy.put(consultedLeg, agentLeg);
    }

    /**
     * Called before an agent's leg is placed, so that its events (a phone may answer within
     * milliseconds) are kept until the desk has been told of the call.
     */
    public void expectLeg(String legId) {
        early.put(legId, new ArrayList<>());
        expectedAt.put(legId, System.nanoTime());
        // Legs no desk was ever told of (an outside party consulted) are forgotten after a minute.
        long old = System.nanoTime() - TimeUnit.MINUTES.toNanos(1);
        if (expectedAt.size() > 64) {
            expectedAt.entrySet().removeIf(en -> {
                boolean stale = en.getValue() < old;
                if (stale) early.remove(en.getKey());
                return stale;
            });
        }
    }

    /** AGENT-4: is this a known customer, how often have they called, and the last calls (from the call records). */
    private CallView.Customer customer(long enterpriseId, String number) {
        if (number == null || number.isBlank()) return new CallView.Customer(false, 0, List.of());
        try {
            CallRecordStore.History past = jdbi.withHandle(h -> CallRecordStore.history(h, enterpriseId, number, 5));
            return new CallView.Customer(past.calls() > 0, past.calls(), past.lastCalls());
        } catch (RuntimeException e) {
            log.warn("customer lookup for {} failed: {}", number, e.toString());
            return new CallView.Customer(false, 0, List.of());
        }
    }

    // ================================================================ engine events

    /** Engine events of the legs the desk knows: answered, hold, hang-up; and the browser phone's connection. */
    public void onEvent(CallEvent e) {
        if (e instanceof CallEvent.WebRtcConnectionChanged w) {
            String key = w.key();
            if (key.startsWith("agent-")) {
                long user = Long.parseLong(key.substring(6));
                // The connection's state now: a replaced connection going down after its successor came up is no news.
                thread.execute(() -> out.webRtcState(user, key));
            }
            return;
        }
        String id = e.channelId();
        if (e instanceof CallEvent.ChannelBridged b) {
            // A queue call is "talking" once the caller is connected with the agent (after any agent announce).
            thread.execute(() -> {
                for (String leg : List.of(b.channelId(), b.otherChannelId())) {
                    CallView v = legs.get(leg);
                    if (v != null && v.queue() != null && "ringing".equals(v.state()) && answeredLegs.remove(leg)) {
                        update(v.answered(b.at()), "call.answered");
                    }
                }
            });
            return;
        }
        String consulting = consultedBy.get(id);
        if (consulting != null && (e instanceof CallEvent.ChannelAnswered || e instanceof CallEvent.ChannelHungUp)) {
            // The consulted party of an agent's consultation answered or left.
            thread.execute(() -> {
                CallView v = legs.get(consulting);
                if (v == null || v.consult() == null || !v.consult().legId().equals(id)) return;
                if (e instanceof CallEvent.ChannelAnswered) {
                    update(v.withConsult(new CallView.Consultation(v.consult().to(), id, "talking")), "call.updated");
                } else {
                    consultedBy.remove(id);
                    update(v.withConsult(null).with("talking"), "call.updated");
                }
            });
        }
        if (!legs.containsKey(id) && !early.containsKey(id) && !offering.containsKey(id)) return;
        thread.execute(() -> {
            CallView cur = legs.get(id);
            if (cur == null) {
                // Not announced yet (a picker's phone answers at once, PBX-4): kept until it is.
                List<CallEvent> buffered = offering.containsKey(id) ? early.computeIfAbsent(id, k -> new ArrayList<>()) : early.get(id);
                if (buffered != null) buffered.add(e);
                return;
            }
            apply(cur, e);
        });
    }

    /** Registers the desk's view of a leg and replays what happened to it before (on the CTI thread). */
    private void announce(CallView c) {
        legs.put(c.legId(), c);
        offering.remove(c.legId());
        out.call(c.userId(), "call.offered", c, null);
        expectedAt.remove(c.legId());
        List<CallEvent> before = early.remove(c.legId());
        if (before != null) {
            for (CallEvent e : before) {
                CallView cur = legs.get(c.legId());
                if (cur != null) apply(cur, e);
            }
        }
    }

    private void apply(CallView cur, CallEvent e) {
        if (e instanceof CallEvent.ChannelAnswered) {
            if (cur.queue() != null) {
                answeredLegs.add(cur.legId()); // announced when the queue connects the caller (ChannelBridged)
                return;
            }
            update(cur.answered(e.at()), "call.answered");
        } else if (e instanceof CallEvent.ChannelHold h) {
            update(cur.with(h.held() ? "held" : "talking"), h.held() ? "call.held" : "call.resumed");
        } else if (e instanceof CallEvent.ChannelHungUp h) {
            legs.remove(cur.legId());
            answeredLegs.remove(cur.legId());
            consultedBy.values().removeIf(cur.legId()::equals);
            out.call(cur.userId(), "call.ended", cur.with("ended"), h.cause().name().toLowerCase());
        }
    }

    // ================================================================ for commands (CTI thread)

    /** The desk's view of a leg, if any. */
    CallView get(String legId) {
        return legs.get(legId);
    }

    /** The calls the user's desk shows now. */
    List<CallView> of(long userId) {
        List<CallView> out = new ArrayList<>();
        for (CallView c : legs.values()) if (c.userId() == userId) out.add(c);
        return out;
    }

    /** Every desk call of the enterprise. */
    List<CallView> ofEnterprise(long enterpriseId) {
        List<CallView> out = new ArrayList<>();
        for (CallView c : legs.values()) if (c.enterpriseId() == enterpriseId) out.add(c);
        return out;
    }

    String notes(String callId) {
        return notes.get(callId);
    }

    void setNotes(String callId, String text) {
        notes.put(callId, text);
    }

    /**
     * AGENT-3: the call of {@code oldLeg} goes on on {@code newLeg} (another device of the agent): the desk's view moves
     * to the new leg (state, timer, notes kept) and is told as {@code call.moved}; the end of the old leg is no news.
     */
    public void moved(String oldLeg, String newLeg, String device) {
        thread.execute(() -> {
            CallView cur = legs.remove(oldLeg);
            if (cur == null) return;
            answeredLegs.remove(oldLeg);
            CallView now = cur.onLeg(newLeg);
            legs.put(newLeg, now);
            out.moved(now.userId(), oldLeg, now, device);
        });
    }

    /** AGENT-3: the other device did not answer; the call stays where it was. */
    public void moveFailed(String agentLeg, String device, String why) {
        thread.execute(() -> {
            CallView cur = legs.get(agentLeg);
            if (cur != null) out.moveFailed(cur.userId(), cur, device, why);
        });
    }

    /** A changed view, told to the desk as {@code type}. */
    void update(CallView c, String type) {
        legs.put(c.legId(), c);
        out.call(c.userId(), type, c, null);
    }
}
