package dev.hotline.ticket;

import dev.hotline.report.CallLogEvent;
import dev.hotline.report.CallRecord;
import dev.hotline.report.LogEvent;
import dev.hotline.report.Projection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;

/**
 * BIZ-1 closing the loop: when the call placed by {@code POST /tickets/{id}/call-back} ends, the server writes its outcome on
 * the ticket's timeline ({@code callback_outcome}, linked to the call id): answered with the customer's talk seconds, no
 * answer, busy or failed. An event-log projection, so the entry is written in the transaction of the call's record.
 *
 * <p>A call-back is a click-to-dial: its first leg rings the agent's device, the second the customer. The call record's
 * outcome is the first leg's (the agent answered), so this follows the customer's leg of every call placed from a device
 * while it lasts (its answer, its end and cause) and reads them when the call closes; a call whose legs it did not see
 * (closed after a restart) is judged by its record alone.
 *
 * <p>Which calls are call-backs is kept in memory ({@link #dialled}, told by the call-back route once its
 * {@code callback_dialled} entry is committed), so a closing call costs no query: the event log's writer asked the database
 * for every call before (4.6 % of the server's samples at 100 calls/s). A call closes in the process that placed it (a
 * call left open by a stopped server is closed at the next start without the projections), so nothing needs reading back
 * at start.
 */
public final class CallBackOutcomes implements Projection {
    /** Calls followed at most at once (an overload drops the newest: their outcome then comes from the record). */
    static final int MAX_CALLS = 50_000;

    /** How a call-back went for the customer. */
    enum Outcome {
        ANSWERED, NO_ANSWER, BUSY, FAILED;

        String key() {
            return name().toLowerCase();
        }

        /** The customer's leg ended unanswered with {@code cause} (a hang-up cause of the engine). */
        static Outcome ofCause(String cause) {
            return switch (cause == null ? "" : cause) {
                case "USER_BUSY" -> BUSY;
                case "NO_ANSWER", "NO_USER_RESPONSE", "ORIGINATOR_CANCEL" -> NO_ANSWER;
                default -> FAILED;
            };
        }

        /** From the record alone: a person answered (the customer), else its telephony outcome. */
        static Outcome ofRecord(CallRecord r) {
            if (r.disposition() == CallRecord.Disposition.ANSWERED) return ANSWERED;
            return switch (r.outcome()) {
                case BUSY -> BUSY;
                case NO_ANSWER, CANCELLED -> NO_ANSWER;
                default -> FAILED;
            };
        }
    }

    /** What is known of a followed call: its first leg (the device's), the customer's leg's answer and end. */
    private static final class Legs {
        final String first;
        Instant answered;
        Instant ended;
        String cause;

        Legs(String first) {
            this.first = first;
        }
    }

    private final Map<String, Legs> calls = new ConcurrentHashMap<>();

    /** Call-backs placed whose call has not closed, by call id (the oldest forgotten past {@link #MAX_CALLS}). */
    private final Map<String, TicketStore.PlacedCallBack> dialled = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, TicketStore.PlacedCallBack> eldest) {
                    return size() > MAX_CALLS;
                }
            });

    /**
     * A ticket's call-back was placed as call {@code callId} and its {@code callback_dialled} entry committed: the call's
     * outcome goes on that ticket's timeline when it closes.
     */
    void dialled(long enterpriseId, long ticketId, String number, String callId) {
        if (callId != null) dialled.put(callId, new TicketStore.PlacedCallBack(enterpriseId, ticketId, number));
    }

    /** The calls of call-backs waiting for their call to close (tests). */
    java.util.Set<String> waiting() {
        synchronized (dialled) {
            return java.util.Set.copyOf(dialled.keySet());
        }
    }

    @Override
    public void apply(Handle h, LogEvent event) {
        if (!(event instanceof CallLogEvent c)) return;
        if (c instanceof CallLogEvent.Arrived a) {
            if (!"inbound".equals(a.direction()) && calls.size() < MAX_CALLS) calls.put(a.callId(), new Legs(a.channelId()));
        } else if (c instanceof CallLogEvent.Closed closed) {
            Legs legs = calls.remove(closed.callId());
            TicketStore.PlacedCallBack placed = dialled.get(closed.callId());
            if (placed != null && placed.enterpriseId() == closed.enterpriseId()) {
                dialled.remove(closed.callId());
                record(h, closed, legs, placed);
            }
        } else {
            Legs legs = calls.get(c.callId());
            if (legs == null) return;
            if (c instanceof CallLogEvent.Answered a && !a.channelId().equals(legs.first) && legs.answered == null) legs.answered = a.at();
            if (c instanceof CallLogEvent.HungUp u && !u.channelId().equals(legs.first) && legs.ended == null) {
                legs.ended = u.at();
                legs.cause = u.cause();
            }
        }
    }

    private static void record(Handle h, CallLogEvent.Closed closed, Legs legs, TicketStore.PlacedCallBack placed) {
        CallRecord r = closed.record();
        Outcome outcome;
        int talk = 0;
        String cause = null;
        if (legs == null) {
            outcome = Outcome.ofRecord(r);
            if (outcome == Outcome.ANSWERED) talk = r.talkSeconds();
            else cause = r.hangupCause();
        } else if (legs.answered != null) {
            outcome = Outcome.ANSWERED;
            Instant end = legs.ended != null ? legs.ended : r.endedAt() != null ? r.endedAt() : closed.at();
            talk = (int) Math.max(0, Duration.between(legs.answered, end).toSeconds());
        } else if (legs.ended != null) {
            outcome = Outcome.ofCause(legs.cause);
            cause = legs.cause == null ? null : legs.cause.toLowerCase();
        } else {
            outcome = Outcome.FAILED; // the customer was never dialled: the agent's device did not answer
            cause = "device_" + (r.hangupCause() == null ? "unanswered" : r.hangupCause());
        }
        String detail = outcome.key() + (outcome == Outcome.ANSWERED ? " " + talk + " s" : "") + " " + placed.number() + " call " + closed.callId()
                + (outcome == Outcome.FAILED && cause != null ? " (" + cause + ")" : "");
        TicketStore.event(h, closed.enterpriseId(), placed.ticketId(), closed.at(), null, "callback_outcome", detail, closed.callId());
    }
}
