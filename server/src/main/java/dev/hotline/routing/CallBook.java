package dev.hotline.routing;

import dev.hotline.engine.call.Channel;
import dev.hotline.report.CallLogEvent;
import dev.hotline.report.CallRecord;
import dev.hotline.report.CallTracker;
import dev.hotline.report.EventLog;
import dev.hotline.report.QueueVisits;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls in progress, and the only place that knows them: which call each channel belongs to,
 * and every step of a call written to the event log through its record. A call begins with its
 * first leg ({@link #begin}), gains legs ({@link #join}) and closes by itself once its record says
 * it is finished (then its channels are forgotten).
 */
public final class CallBook {

    /**
     * One call in progress: its enterprise, inbound leg (its id), direction, record so far, its queue visits so far (folded
     * as the reports fold them, SUP-1) and the ids of its legs.
     */
    public record Call(long enterpriseId, String callId, String direction, CallTracker tracker, QueueVisits visits, Set<String> channels) {
        Call(long enterpriseId, String callId, String direction) {
            this(enterpriseId, callId, direction, new CallTracker(), new QueueVisits(), ConcurrentHashMap.newKeySet());
        }
    }

    private final EventLog events;
    private final Clock clock;
    private final Map<String, Call> byChannel = new ConcurrentHashMap<>();

    public CallBook(EventLog events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    public Instant now() {
        return clock.instant();
    }

    /** A new call whose first leg is {@code inbound}; logged as arrived. */
    public Call begin(long enterpriseId, Channel inbound, String direction, String caller, String callee, String trunk, String extension) {
        Call c = new Call(enterpriseId, inbound.id(), direction);
        file(inbound.id(), c);
        record(c, new CallLogEvent.Arrived(enterpriseId, c.callId(), clock.instant(), inbound.id(), direction, caller, callee, trunk, extension));
        return c;
    }

    /** Files leg {@code out} under the call, logged as dialling {@code target}. */
    public void join(Call c, Channel out, String target) {
        file(out.id(), c);
        record(c, new CallLogEvent.Dialing(c.enterpriseId(), c.callId(), clock.instant(), out.id(), target));
    }

    private void file(String channelId, Call c) {
        c.channels().add(channelId);
        byChannel.put(channelId, c);
    }

    /** The call a channel belongs to. */
    public Optional<Call> find(String channelId) {
        return channelId == null ? Optional.empty() : Optional.ofNullable(byChannel.get(channelId));
    }

    /** Writes an event of the call; the call closes (and its record is written) when this event finishes it. */
    public void record(Call c, CallLogEvent e) {
        synchronized (c) {
            // Another thread may write an event of a call that just closed (it found the call before it closed): the event is
            // kept, the call is not closed twice.
            boolean closedBefore = c.tracker().finished();
            c.tracker().apply(e);
            c.visits().apply(e);
            events.append(e);
            if (!closedBefore && c.tracker().finished() && !(e instanceof CallLogEvent.Closed)) {
                events.append(new CallLogEvent.Closed(c.enterpriseId(), c.callId(), e.at(), null, c.tracker().record()));
                for (String channel : c.channels()) byChannel.remove(channel, c); // its own legs, not a scan of every call's
            }
        }
    }

    /** Writes an event of call {@code e.callId()}: through its record while it is in progress, else straight to the log. */
    public void log(CallLogEvent e) {
        Call c = byChannel.get(e.callId());
        if (c != null) record(c, e);
        else events.append(e);
    }

    /** Writes an event that does not change a call's record (a voicemail or recording finished after the call). */
    public void append(CallLogEvent e) {
        events.append(e);
    }

    /** The records so far of the enterprise's calls in progress (the live monitor, SUP-1). */
    public List<CallRecord> live(long enterpriseId) {
        Map<String, Call> calls = new LinkedHashMap<>();
        for (Call c : byChannel.values()) if (c.enterpriseId() == enterpriseId) calls.putIfAbsent(c.callId(), c);
        List<CallRecord> out = new ArrayList<>();
        for (Call c : calls.values()) {
            synchronized (c) {
                if (!c.tracker().finished()) out.add(c.tracker().record());
            }
        }
        return out;
    }

    /**
     * SUP-1: whether call {@code callId} of the enterprise is on hold by our side now, as the hold time counts it (RPT-3,
     * docs/reports.md): while an agent of a queue talks with the caller, their leg holds the caller ({@link QueueVisits}: the
     * desk's hold, the agent's own phone, a consultation; from the connect at the earliest); a caller still waiting in a queue
     * is not on hold; any other call (an extension's, outbound, internal, after the queue's agent left it): a leg other than
     * an inbound caller's own holds. The caller's own phone holding the agent is never "on hold" (that time is talk).
     * False when no such call is in progress.
     */
    public boolean onHold(long enterpriseId, String callId) {
        Call c = inProgress(enterpriseId, callId);
        if (c == null) return false;
        synchronized (c) {
            QueueVisits.OpenTalk talk = c.visits().openTalk();
            if (talk != null) return talk.onHold();
            if (c.tracker().waitingInQueue().isPresent()) return false;
            String caller = "inbound".equals(c.direction()) ? c.callId() : null;
            return c.tracker().legsHeld().stream().anyMatch(leg -> !leg.equals(caller));
        }
    }

    /** SUP-1: the answered queue visit of call {@code callId} whose talk runs now (null: none, or no such call in progress). */
    public QueueVisits.OpenTalk openTalk(long enterpriseId, String callId) {
        Call c = inProgress(enterpriseId, callId);
        if (c == null) return null;
        synchronized (c) {
            return c.visits().openTalk();
        }
    }

    private Call inProgress(long enterpriseId, String callId) {
        Call c = callId == null ? null : byChannel.get(callId); // a call's id is its first leg's
        return c == null || c.enterpriseId() != enterpriseId || !c.callId().equals(callId) ? null : c;
    }

    /** Calls in progress (for tests and monitoring). */
    public int activeCalls() {
        return (int) byChannel.values().stream().map(Call::callId).distinct().count();
    }
}
