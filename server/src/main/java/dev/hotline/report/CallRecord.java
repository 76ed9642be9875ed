package dev.hotline.report;

import java.time.Instant;

/** One call, from the first event to the last, as derived from the event log (RPT-1). */
public record CallRecord(String callId, String direction, String caller, String callee, String trunk, String extension,
                         Instant startedAt, Instant answeredAt, Instant endedAt, int talkSeconds, Outcome outcome,
                         String hangupCause, String hangupBy, Integer sipStatus, String queue, Long agentUserId, String agentJob,
                         Long waitMs, String queueResult) {

    /** A record of a call that never reached a queue. */
    public CallRecord(String callId, String direction, String caller, String callee, String trunk, String extension, Instant startedAt,
                      Instant answeredAt, Instant endedAt, int talkSeconds, Outcome outcome, String hangupCause, String hangupBy,
                      Integer sipStatus) {
        this(callId, direction, caller, callee, trunk, extension, startedAt, answeredAt, endedAt, talkSeconds, outcome, hangupCause,
                hangupBy, sipStatus, null, null, null, null, null);
    }

    /** The same record closed at {@code endedAt} by the system for {@code cause} (a restart). */
    public CallRecord closedBySystem(Instant endedAt, String cause) {
        return new CallRecord(callId, direction, caller, callee, trunk, extension, startedAt, answeredAt, endedAt, talkSeconds, outcome,
                cause, "system", sipStatus, queue, agentUserId, agentJob, waitMs, queueResult);
    }

    public enum Outcome {
        ANSWERED, BUSY, NO_ANSWER, CANCELLED, REJECTED, BLOCKED, FAILED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String key() {
            return name().toLowerCase();
        }
    }
}
