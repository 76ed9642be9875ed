package dev.hotline.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds the events of one call into its queue visits and the offers made to agents (RPT-2, RPT-3). Pure, like
 * {@link CallTracker}: the same events always give the same visits, live or read back after a restart.
 *
 * <p>Every visit starts at a {@code queue_join} and ends in exactly one result: answered ({@code queue_connect}),
 * overflow, voicemail, callback or abandoned ({@code queue_leave}), or abandoned when the call ends without one
 * (the server stopped); until then it is still waiting. This one rule is what makes the reports reconcile.
 *
 * <p>Hold (RPT-3, as Amazon Connect's "customer hold time"): the time the agent's side held the customer after the visit
 * was answered, i.e. the {@code hold} / {@code unhold} events of the visit's agent leg (the agent's own phone by re-INVITE,
 * the desk's hold, a consultation: each is logged on the leg of the party who holds). A hold the agent's phone made before
 * the caller was connected (while the caller still heard the queue's announcement) counts from the connect. The customer's
 * own phone holding the agent (a re-INVITE on the caller's leg) is not the agent's hold: that time stays talk (the agent
 * is held on the call; AHT = talk + hold + wrap-up is the same either way).
 */
public final class QueueVisits {
    /** One queue visit as the {@code queue_visit} table keeps it. {@code result} null: the caller still waits. */
    public record Visit(long enterpriseId, String callId, int seq, String queue, Instant joinedAt, String result, String reason,
                        Instant endedAt, Long waitMs, Long agentUserId, long talkMs, long holdMs, int transfers) {}

    /** One offer to an agent as the {@code queue_offer} table keeps it. {@code result} null: still ringing. */
    public record Offer(long enterpriseId, String callId, String channelId, String queue, long agentUserId, Instant offeredAt,
                        String result) {}

    private final List<MutableVisit> visits = new ArrayList<>();
    private final Map<String, MutableOffer> offers = new LinkedHashMap<>();
    private final Set<MutableVisit> dirtyVisits = new LinkedHashSet<>();
    private final Set<MutableOffer> dirtyOffers = new LinkedHashSet<>();
    /** Events already folded (by identity): an event written again after a failed batch is not counted twice. */
    private final Set<CallLogEvent> applied = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private String callerChannel;
    /** Every leg of the call on hold now (a hold without its unhold yet). */
    private final Set<String> legsHeld = new HashSet<>();
    private long enterpriseId;
    private String callId;

    private static final class MutableVisit {
        int seq;
        String queue;
        Instant joinedAt;
        String result;
        String reason;
        Instant endedAt;
        Long waitMs;
        Long agent;
        String agentLeg;
        Instant connectedAt;
        Instant talkEnded;
        long holdMs;
        int transfers;
        /** When the agent leg's open hold began (counted from the connect at the earliest); null: not on hold. */
        Instant heldSince;
    }

    private static final class MutableOffer {
        String channelId;
        String queue;
        long agent;
        Instant at;
        String result;
    }

    /** Applies one event; the visits and offers it changed are then in {@link #changedVisits()} and {@link #changedOffers()}. */
    public void apply(CallLogEvent e) {
        if (!applied.add(e)) return;
        enterpriseId = e.enterpriseId();
        callId = e.callId();
        if (e instanceof CallLogEvent.Arrived a) {
            callerChannel = a.channelId();
        } else if (e instanceof CallLogEvent.QueueJoined j) {
            MutableVisit last = current();
            if (last != null) {
                // Moved on without a logged result (not done by the ACD today): it left the queue for another.
                if (last.result == null) end(last, "overflow", "rejoined", j.at(), null);
                endTalk(last, j.at());
            }
            MutableVisit v = new MutableVisit();
            v.seq = visits.size() + 1;
            v.queue = j.queue();
            v.joinedAt = j.at();
            visits.add(v);
            dirtyVisits.add(v);
        } else if (e instanceof CallLogEvent.QueueOffered o) {
            MutableOffer of = new MutableOffer();
            of.channelId = o.channelId();
            of.queue = o.queue();
            of.agent = o.agentUserId();
            of.at = o.at();
            offers.put(o.channelId(), of);
            dirtyOffers.add(of);
        } else if (e instanceof CallLogEvent.QueueOfferEnded o) {
            MutableOffer of = offers.get(o.channelId());
            if (of != null && of.result == null) {
                of.result = o.result();
                dirtyOffers.add(of);
            }
        } else if (e instanceof CallLogEvent.QueueConnected c) {
            MutableOffer of = offers.get(c.channelId());
            if (of == null) {
                // A call back connects the customer's leg: the agent's offer (their own leg, answered first) is the one answered.
                of = offers.values().stream().filter(o -> o.result == null && o.agent == c.agentUserId()).findFirst().orElse(null);
            }
            if (of != null && of.result == null) {
                of.result = "answered";
                dirtyOffers.add(of);
            }
            MutableVisit v = current();
            // A call back connects in a call of its own, without a join: the visit it came from ended as "callback".
            if (v != null && v.result == null && v.queue.equals(c.queue())) {
                end(v, "answered", null, c.at(), c.waitMs());
                v.agent = c.agentUserId();
                v.agentLeg = c.channelId();
                v.connectedAt = c.at();
                // The agent's phone held before the caller was connected: the hold runs from the connect.
                if (legsHeld.contains(c.channelId())) v.heldSince = c.at();
            }
        } else if (e instanceof CallLogEvent.QueueLeft l) {
            MutableVisit v = current();
            if (v != null && v.result == null) {
                String reason = l.reason();
                if ("abandoned".equals(l.result())) reason = ringing() ? "ringing" : "queued";
                end(v, l.result(), reason, l.at(), l.waitMs());
            }
        } else if (e instanceof CallLogEvent.Hold h) {
            if (h.held()) legsHeld.add(h.channelId());
            else legsHeld.remove(h.channelId());
            MutableVisit v = talking();
            if (v != null && h.channelId().equals(v.agentLeg)) {
                if (!h.held()) endHold(v, h.at());
                else if (v.heldSince == null) v.heldSince = h.at();
            }
        } else if (e instanceof CallLogEvent.Transfer t) {
            MutableOffer taken = offers.get(t.channelId());
            if ("agent".equals(t.kind()) && taken != null && taken.result == null) {
                // The colleague a call was transferred to answered it (their offer ends in no queue_connect).
                taken.result = "answered";
                dirtyOffers.add(taken);
            }
            MutableVisit v = talking();
            if (v != null && !t.kind().equals("blind-refused")) {
                v.transfers++;
                dirtyVisits.add(v);
            }
        } else if (e instanceof CallLogEvent.HungUp h) {
            legsHeld.remove(h.channelId());
            MutableOffer of = offers.get(h.channelId());
            if (of != null && of.result == null) {
                // The leg ended without an offer_end (it is logged before the hang-up when it is): the caller left.
                of.result = "cancelled";
                dirtyOffers.add(of);
            }
            MutableVisit v = current();
            if (v != null && v.result == null && h.channelId().equals(callerChannel)) {
                end(v, "abandoned", ringing() ? "ringing" : "queued", h.at(), null);
            }
            if (v != null && v.connectedAt != null && v.talkEnded == null
                    && (h.channelId().equals(v.agentLeg) || h.channelId().equals(callerChannel))) {
                endTalk(v, h.at());
            }
        } else if (e instanceof CallLogEvent.Closed c) {
            close(c.at());
        }
    }

    /** Ends whatever is still open when the call ends (or is closed after a restart): waiting callers abandoned, talk ended. */
    public void close(Instant at) {
        MutableVisit v = current();
        if (v != null) {
            if (v.result == null) end(v, "abandoned", ringing() ? "ringing" : "queued", at, null);
            endTalk(v, at);
        }
        for (MutableOffer of : offers.values()) {
            if (of.result == null) {
                of.result = "cancelled";
                dirtyOffers.add(of);
            }
        }
    }

    private boolean ringing() {
        return offers.values().stream().anyMatch(o -> o.result == null);
    }

    private MutableVisit current() {
        return visits.isEmpty() ? null : visits.get(visits.size() - 1);
    }

    private MutableVisit talking() {
        MutableVisit v = current();
        return v != null && v.connectedAt != null && v.talkEnded == null ? v : null;
    }

    private void end(MutableVisit v, String result, String reason, Instant at, Long waitMs) {
        v.result = result;
        v.reason = reason;
        v.endedAt = at;
        v.waitMs = waitMs != null ? waitMs : Math.max(0, Duration.between(v.joinedAt, at).toMillis());
        dirtyVisits.add(v);
    }

    private void endTalk(MutableVisit v, Instant at) {
        if (v.connectedAt == null || v.talkEnded != null) return;
        endHold(v, at);
        v.talkEnded = at;
        dirtyVisits.add(v);
    }

    private void endHold(MutableVisit v, Instant at) {
        if (v.heldSince != null) {
            v.holdMs += Math.max(0, Duration.between(v.heldSince, at).toMillis());
            v.heldSince = null;
            dirtyVisits.add(v);
        }
    }

    private Visit view(MutableVisit v) {
        long talk = 0;
        if (v.connectedAt != null && v.talkEnded != null) {
            talk = Math.max(0, Duration.between(v.connectedAt, v.talkEnded).toMillis() - v.holdMs);
        }
        return new Visit(enterpriseId, callId, v.seq, v.queue, v.joinedAt, v.result, v.reason, v.endedAt, v.waitMs, v.agent, talk,
                v.holdMs, v.transfers);
    }

    /**
     * SUP-1: the answered visit whose agent's talk runs now, as this fold counts it for the reports (RPT-3): its agent and
     * agent leg, the connect, the holds of that leg that ended and when its open hold began (counted from the connect at the
     * earliest; null: not on hold). The caller's own hold is not in it.
     */
    public record OpenTalk(String queue, Instant joinedAt, long agentUserId, String agentLeg, Instant connectedAt, long holdMs,
                           Instant heldSince) {
        public boolean onHold() {
            return heldSince != null;
        }

        /** The hold up to {@code now}: the holds that ended and the open one. */
        public long holdMs(Instant now) {
            return holdMs + (heldSince == null ? 0 : Math.max(0, Duration.between(heldSince, now).toMillis()));
        }

        /** The talk up to {@code now}: connect to now without the hold. */
        public long talkMs(Instant now) {
            return Math.max(0, Duration.between(connectedAt, now).toMillis() - holdMs(now));
        }
    }

    /** The answered visit whose talk runs now; null: none (still waiting, ended, or no queue). */
    public OpenTalk openTalk() {
        MutableVisit v = talking();
        if (v == null || v.agent == null) return null;
        return new OpenTalk(v.queue, v.joinedAt, v.agent, v.agentLeg, v.connectedAt, v.holdMs, v.heldSince);
    }

    /** Marks every visit and offer changed (their rows must be written again: a transaction writing them rolled back). */
    public void markAllChanged() {
        dirtyVisits.addAll(visits);
        dirtyOffers.addAll(offers.values());
    }

    /** Visits changed since the last call, and forgets them. */
    public List<Visit> changedVisits() {
        List<Visit> out = dirtyVisits.stream().map(this::view).toList();
        dirtyVisits.clear();
        return out;
    }

    /** Offers changed since the last call, and forgets them. */
    public List<Offer> changedOffers() {
        List<Offer> out = dirtyOffers.stream()
                .map(o -> new Offer(enterpriseId, callId, o.channelId, o.queue, o.agent, o.at, o.result)).toList();
        dirtyOffers.clear();
        return out;
    }

    /** Every visit as it stands. */
    public List<Visit> visits() {
        return visits.stream().map(this::view).toList();
    }

    /** Every offer as it stands. */
    public List<Offer> offers() {
        return offers.values().stream().map(o -> new Offer(enterpriseId, callId, o.channelId, o.queue, o.agent, o.at, o.result)).toList();
    }
}
