package dev.hotline.report;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Folds the events of one call into its {@link CallRecord}. Pure: the same events always give the
 * same record, whether they arrive live or are read back from the log after a restart.
 */
public final class CallTracker {
    private CallLogEvent.Arrived arrived;
    private String inboundChannel;
    private final Map<String, Boolean> legsOpen = new LinkedHashMap<>();
    private final Map<String, String> causes = new HashMap<>();
    private Instant answeredAt;
    private Instant lastAt;
    private String firstHangupChannel;
    private String firstHangupCause;
    private Integer sipStatus;
    private boolean blocked;
    private Integer rejectedStatus;
    private final java.util.Set<String> answeredLegs = new java.util.HashSet<>();
    // ACD: the last queue the call joined, and what came of it
    private String queue;
    private Instant queueJoinedAt;
    private Long agentUserId;
    private String agentJob;
    private Long waitMs;
    private String queueResult;
    /** Offers ringing an agent: leg → the offer (until answered or ended). */
    private final Map<String, CallLogEvent.QueueOffered> openOffers = new HashMap<>();
    // What a manager reads (issue 14) and the path the call took (issue 13 item 7)
    private boolean personAnswered;
    private boolean voicemailLeft;
    private boolean phoneRangAtCallerHangup;
    private String lastIvrNodeType;
    private final StringBuilder ivrPath = new StringBuilder();
    private String ivrFlow;
    private int holdCount;
    private long holdMillis;
    private final Map<String, Instant> heldSince = new HashMap<>();
    private int transfers;
    /** When the agent left a caller kept for the satisfaction survey (MSG-4): the talk ends there, not at the caller's hang-up. */
    private Instant talkEndedAt;
    /** MEDIA-1: each leg's media figures at its end. */
    private final Map<String, LegQuality> media = new LinkedHashMap<>();
    /** API-3: the web page a widget call came from. */
    private String page;

    public void apply(CallLogEvent e) {
        lastAt = e.at();
        if (e instanceof CallLogEvent.Arrived a) {
            arrived = a;
            inboundChannel = a.channelId();
            legsOpen.put(a.channelId(), true);
        } else if (e instanceof CallLogEvent.Blocked) {
            blocked = true;
        } else if (e instanceof CallLogEvent.Rejected r) {
            rejectedStatus = r.sipStatus();
        } else if (e instanceof CallLogEvent.Dialing d) {
            legsOpen.put(d.channelId(), true);
        } else if (e instanceof CallLogEvent.Answered a) {
            if (answeredAt == null) answeredAt = a.at();
            answeredLegs.add(a.channelId());
            openOffers.remove(a.channelId());
            // The caller's own leg is answered by whoever picks up first (the IVR, too); any other leg is a person.
            if (!a.channelId().equals(inboundChannel)) personAnswered = true;
        } else if (e instanceof CallLogEvent.MediaReport m) {
            media.put(m.channelId(), m.quality());
        } else if (e instanceof CallLogEvent.WidgetCall w) {
            page = w.page();
        } else if (e instanceof CallLogEvent.IvrNode n) {
            appendPath(n.flow(), n.node());
            lastIvrNodeType = n.nodeType();
        } else if (e instanceof CallLogEvent.IvrKey k) {
            if (ivrPath.length() < CallRecordStore.IVR_PATH_MAX) ivrPath.append(" [").append(k.key()).append(']');
        } else if (e instanceof CallLogEvent.VoicemailLeft) {
            voicemailLeft = true;
        } else if (e instanceof CallLogEvent.Hold h) {
            if (h.held() && heldSince.putIfAbsent(h.channelId(), h.at()) == null) holdCount++;
            if (!h.held()) endHold(h.channelId(), h.at());
        } else if (e instanceof CallLogEvent.Transfer) {
            transfers++;
        } else if (e instanceof CallLogEvent.SurveyStarted s) {
            if (talkEndedAt == null) talkEndedAt = s.at();
        } else if (e instanceof CallLogEvent.QueueJoined q) {
            queue = q.queue();
            if (queueJoinedAt == null) queueJoinedAt = q.at();
            queueResult = null;
        } else if (e instanceof CallLogEvent.QueueOffered o) {
            openOffers.put(o.channelId(), o);
        } else if (e instanceof CallLogEvent.QueueOfferEnded o) {
            openOffers.remove(o.channelId());
        } else if (e instanceof CallLogEvent.QueueConnected q) {
            queue = q.queue();
            agentUserId = q.agentUserId();
            agentJob = q.agentJob();
            waitMs = q.waitMs();
            queueResult = "answered";
        } else if (e instanceof CallLogEvent.QueueLeft q) {
            queue = q.queue();
            waitMs = q.waitMs();
            queueResult = q.result();
        } else if (e instanceof CallLogEvent.HungUp h) {
            if (h.channelId().equals(inboundChannel) && !personAnswered && firstHangupChannel == null) {
                // Another leg still open and never answered: a phone (an agent's, an extension's) was ringing.
                phoneRangAtCallerHangup = !openOffers.isEmpty() || legsOpen.entrySet().stream()
                        .anyMatch(l -> l.getValue() && !l.getKey().equals(inboundChannel) && !answeredLegs.contains(l.getKey()));
            }
            endHold(h.channelId(), h.at());
            legsOpen.put(h.channelId(), false);
            causes.put(h.channelId(), h.cause());
            // Who ended the call: the first of the caller and the legs that were answered (an agent who never
            // answered, e.g. a queue offer that rang out, did not end it).
            boolean counts = h.channelId().equals(inboundChannel) || answeredLegs.contains(h.channelId()) || answeredAt == null;
            if (firstHangupChannel == null && counts) {
                firstHangupChannel = h.channelId();
                firstHangupCause = h.cause();
            }
            if (!h.channelId().equals(inboundChannel) && h.sipStatus() >= 300) sipStatus = h.sipStatus();
            if (h.channelId().equals(inboundChannel) && sipStatus == null && h.sipStatus() >= 300) sipStatus = h.sipStatus();
        }
    }

    private void appendPath(String flow, String node) {
        if (ivrPath.length() >= CallRecordStore.IVR_PATH_MAX) return;
        if (!flow.equals(ivrFlow)) {
            if (ivrPath.length() > 0) ivrPath.append(" | ");
            ivrPath.append(flow).append(": ").append(node);
            ivrFlow = flow;
        } else {
            ivrPath.append(" > ").append(node);
        }
    }

    private void endHold(String channelId, Instant at) {
        Instant since = heldSince.remove(channelId);
        if (since != null) holdMillis += Math.max(0, Duration.between(since, at).toMillis());
    }

    /** The IVR nodes the call went through so far, e.g. "main: hours > menu [1] > sales"; null if none. */
    public String ivrPath() {
        return ivrPath.length() == 0 ? null : ivrPath.toString();
    }

    /** API-3: the web page the visitor called from with the "call us" widget; null for any other call. */
    public String page() {
        return page;
    }

    /** The number the caller dialled (the DID of an inbound call). */
    public String dialled() {
        return arrived == null ? null : arrived.callee();
    }

    /** The offer ringing on {@code channelId}, if it is one that was neither answered nor ended. */
    public Optional<CallLogEvent.QueueOffered> openOffer(String channelId) {
        return Optional.ofNullable(openOffers.get(channelId));
    }

    /** The queue the caller waits in, with when they joined, if they wait now (joined, not connected, not left). */
    public Optional<Map.Entry<String, Instant>> waitingInQueue() {
        return queue != null && queueResult == null ? Optional.of(Map.entry(queue, queueJoinedAt)) : Optional.empty();
    }

    /** Who placed the call (the caller of its first event). */
    public String inboundCaller() {
        return arrived == null ? null : arrived.caller();
    }

    /** The inbound (first) channel of the call. */
    public String inboundChannel() {
        return inboundChannel;
    }

    public boolean answered() {
        return answeredAt != null;
    }

    public boolean started() {
        return arrived != null;
    }

    /** The call's channels on hold now (a hold without its unhold yet). */
    public java.util.Set<String> legsHeld() {
        return java.util.Set.copyOf(heldSince.keySet());
    }

    /** True once the inbound leg and every leg dialled for it have ended. */
    public boolean finished() {
        return arrived != null && !legsOpen.containsValue(true);
    }

    /** The record of a finished call. */
    public CallRecord record() {
        return build(lastAt, null);
    }

    /** Closes an unfinished call found after a crash or restart. */
    public Optional<CallRecord> closeUnfinished(String cause) {
        return arrived == null ? Optional.empty() : Optional.of(build(lastAt, cause));
    }

    private CallRecord build(Instant endedAt, String forcedCause) {
        CallLogEvent.Arrived a = arrived;
        String cause = forcedCause != null ? forcedCause : causeOfRecord();
        CallRecord.Outcome outcome = outcome(cause);
        Instant talkEnd = talkEndedAt != null ? talkEndedAt : endedAt;
        int talk = answeredAt == null ? 0 : (int) Math.max(0, Duration.between(answeredAt, talkEnd).toSeconds());
        String by = forcedCause != null ? "system"
                : firstHangupCause == null ? "system"
                : systemCause(firstHangupCause) ? "system"
                : firstHangupChannel.equals(inboundChannel) ? "caller" : "callee";
        if (outcome == CallRecord.Outcome.BLOCKED || outcome == CallRecord.Outcome.REJECTED) by = "system";
        String qResult = queueResult;
        Long wait = waitMs;
        if (queue != null && qResult == null) {
            // Joined and never left nor connected: the caller hung up waiting (or the server stopped).
            qResult = "abandoned";
            wait = Duration.between(queueJoinedAt, endedAt).toMillis();
        }
        Map<String, Instant> stillHeld = new HashMap<>(heldSince);
        long held = holdMillis + stillHeld.values().stream().mapToLong(since -> Math.max(0, Duration.between(since, endedAt).toMillis())).sum();
        return new CallRecord(a.callId(), a.direction(), a.caller(), a.callee(), a.trunk(), a.extension(), a.at(),
                answeredAt, endedAt, talk, outcome, cause.toLowerCase(), by, answeredAt != null ? Integer.valueOf(200) : sipStatus,
                queue, agentUserId, agentJob, wait, qResult, disposition(qResult), ivrPath(), holdCount,
                (int) (held / 1000), transfers, null, null, List.copyOf(media.values()));
    }

    private CallRecord.Disposition disposition(String qResult) {
        if (personAnswered || "answered".equals(qResult)) return CallRecord.Disposition.ANSWERED;
        if (voicemailLeft) return CallRecord.Disposition.VOICEMAIL;
        if (phoneRangAtCallerHangup) return CallRecord.Disposition.ABANDONED_RINGING;
        if ("abandoned".equals(qResult)) return CallRecord.Disposition.ABANDONED_QUEUE;
        if (answeredAt != null && queue == null && ivrPath.length() > 0) {
            // The IVR ended the call at a hang-up node; otherwise the caller left it while it was still talking to them.
            return "hangup".equals(lastIvrNodeType) ? CallRecord.Disposition.IVR_ONLY : CallRecord.Disposition.ABANDONED_IVR;
        }
        return CallRecord.Disposition.UNANSWERED;
    }

    private String causeOfRecord() {
        if (answeredAt != null) return firstHangupCause == null ? "NORMAL_CLEARING" : firstHangupCause;
        // Unanswered: the dialled leg's cause tells what happened; the caller's own cancel wins.
        String inbound = causes.get(inboundChannel);
        if ("ORIGINATOR_CANCEL".equals(inbound) && inboundChannel.equals(firstHangupChannel)) return inbound;
        return causes.entrySet().stream().filter(en -> !en.getKey().equals(inboundChannel)).map(Map.Entry::getValue)
                .reduce((x, y) -> y).orElse(inbound == null ? "NORMAL_CLEARING" : inbound);
    }

    private CallRecord.Outcome outcome(String cause) {
        if (blocked) return CallRecord.Outcome.BLOCKED;
        if (answeredAt != null) return CallRecord.Outcome.ANSWERED;
        if (rejectedStatus != null) return CallRecord.Outcome.REJECTED;
        return switch (cause) {
            case "USER_BUSY" -> CallRecord.Outcome.BUSY;
            case "NO_ANSWER", "NO_USER_RESPONSE" -> CallRecord.Outcome.NO_ANSWER;
            case "ORIGINATOR_CANCEL" -> CallRecord.Outcome.CANCELLED;
            case "CALL_REJECTED", "FORBIDDEN", "UNALLOCATED_NUMBER", "SUBSCRIBER_ABSENT" -> CallRecord.Outcome.REJECTED;
            default -> CallRecord.Outcome.FAILED;
        };
    }

    private static boolean systemCause(String cause) {
        // Ended by Hotline itself: dead media or session, a browser gone (consent expired), a stop or restart of the
        // server, a failed network path (a TLS peer's certificate refused included).
        return cause.equals("MEDIA_TIMEOUT") || cause.equals("SESSION_TIMEOUT") || cause.equals("CONSENT_EXPIRED") || cause.equals("SYSTEM_RESTART")
                || cause.equals("SERVICE_UNAVAILABLE") || cause.equals("NETWORK_OUT_OF_ORDER")
                || cause.equals("TLS_CERTIFICATE_REFUSED");
    }
}
