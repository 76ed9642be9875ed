package dev.hotline.engine.sip;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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

    /** A new leg is live. */
    void add(SipLeg leg) {
        byId.put(leg.id, leg);
    }

    /** The leg's dialog is known (its Call-ID and our tag are set). */
    void addDialog(SipLeg leg) {
        byDialog.put(leg.sip().callId() + ";" + leg.sip().localTag(), leg);
    }

    /** An inbound leg waits for its answer: a CANCEL may come for it (RFC 3261 §9.2). */
    void addPendingInbound(SipLeg leg) {
        pendingInbound.put(leg.sip().callId() + ";" + leg.sip().remoteTag(), leg);
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
        if (leg.sip().remoteTag() != null) {
            pendingInbound.remove(leg.sip().callId() + ";" + leg.sip().remoteTag());
        }
    }

    /** Drops the dialog entries of legs that ended more than 32 s (64*T1, RFC 3261 §17.1.1.1) before {@code now}. */
    void forgetEndedDialogs(long now) {
        byDialog.values().removeIf(l -> l.isFinal() && now - l.terminatedNanos() > TimeUnit.SECONDS.toNanos(32));
    }

    Collection<SipLeg> live() {
        return byId.values();
    }

    int size() {
        return byId.size();
    }
}
