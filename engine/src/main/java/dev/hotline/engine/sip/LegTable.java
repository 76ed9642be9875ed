package dev.hotline.engine.sip;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * The engine's index of its legs: live legs by id, legs by dialog (kept a while after they end so that
 * late requests still match) and unanswered inbound INVITEs by the caller's tag (for CANCEL). Any thread.
 */
final class LegTable {
    private final Map<String, SipLeg> byId = new ConcurrentHashMap<>();
    /** Key: Call-ID + ";" + our tag — matches in-dialog requests by their To tag. */
    private final Map<String, SipLeg> byDialog = new ConcurrentHashMap<>();
    /** Key: Call-ID + ";" + remote From tag — unanswered inbound INVITEs, for CANCEL. */
    private final Map<String, SipLeg> pendingInbound = new ConcurrentHashMap<>();
    /**
     * Ended legs in the order they ended, whose dialog entries are dropped 32 s later: the sweep takes them from the head
     * instead of scanning every dialog of the last 32 s (tens of thousands at a few hundred calls per second).
     */
    private final Queue<SipLeg> endedOrder = new ConcurrentLinkedQueue<>();
    /** Key: Call-ID of a leg whose requests go over a TCP or TLS connection of the phone's (RFC 5626 §5.3) or to its NAT (SipFlowRouter). */
    private final Map<String, SipFlowRouter.Flow> flows = new ConcurrentHashMap<>();
    private static final long DIALOG_MEMORY_NANOS = TimeUnit.SECONDS.toNanos(32);

    /** A new leg is live. */
    void add(SipLeg leg) {
        byId.put(leg.id, leg);
    }

    /** The leg's dialog is known (its Call-ID and our tag are set). */
    void addDialog(SipLeg leg) {
        byDialog.put(dialogKey(leg), leg);
        if (leg.isFinal()) {
            endedOrder.add(leg); // ended before its dialog was filed: forgotten with the others
        }
    }

    private static String dialogKey(SipLeg leg) {
        return leg.sip().callId() + ";" + leg.sip().localTag();
    }

    /** An inbound leg waits for its answer: a CANCEL may come for it (RFC 3261 §9.2). */
    void addPendingInbound(SipLeg leg) {
        pendingInbound.put(leg.sip().callId() + ";" + leg.sip().remoteTag(), leg);
    }

    /** The requests of the call {@code callId} go over {@code flow} (a TCP or TLS connection: while it is open). */
    void bindFlow(String callId, SipFlowRouter.Flow flow) {
        flows.put(callId, flow);
    }

    void unbindFlow(String callId) {
        flows.remove(callId);
    }

    /** The flow the requests of call {@code callId} go over, or null. */
    SipFlowRouter.Flow flow(String callId) {
        return flows.get(callId);
    }

    SipLeg byId(String id) {
        return byId.get(id);
    }

    /** The leg of the dialog whose Call-ID is {@code callId} and where our tag is {@code ourTag}. */
    Optional<SipLeg> findDialog(String callId, String ourTag) {
        return Optional.ofNullable(byDialog.get(callId + ";" + ourTag));
    }

    /** The unanswered inbound leg of the INVITE with {@code callId} and the caller's {@code fromTag}. */
    SipLeg pendingInbound(String callId, String fromTag) {
        return pendingInbound.get(callId + ";" + fromTag);
    }

    /** The leg ended: it is no longer live; its dialog entry stays until {@link #forgetEndedDialogs}. */
    void ended(SipLeg leg) {
        byId.remove(leg.id);
        endedOrder.add(leg);
        if (leg.sip().remoteTag() != null) {
            pendingInbound.remove(leg.sip().callId() + ";" + leg.sip().remoteTag());
        }
    }

    /** Drops the dialog entries of legs that ended more than 32 s (64*T1, RFC 3261 §17.1.1.1) before {@code now}. */
    void forgetEndedDialogs(long now) {
        for (SipLeg l = endedOrder.peek(); l != null && now - l.terminatedNanos() > DIALOG_MEMORY_NANOS; l = endedOrder.peek()) {
            endedOrder.poll();
            if (l.sip().callId() != null) {
                byDialog.remove(dialogKey(l), l);
                flows.remove(l.sip().callId());
            }
        }
    }

    Collection<SipLeg> live() {
        return byId.values();
    }

    int size() {
        return byId.size();
    }
}
