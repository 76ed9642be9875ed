package dev.hotline.report;

import java.time.Instant;

/** One call, from the first event to the last, as derived from the event log (RPT-1). */
public record CallRecord(String callId, String direction, String caller, String callee, String trunk, String extension,
                         Instant startedAt, Instant answeredAt, Instant endedAt, int talkSeconds, Outcome outcome,
                         String hangupCause, String hangupBy, Integer sipStatus) {

    public enum Outcome {
        ANSWERED, BUSY, NO_ANSWER, CANCELLED, REJECTED, BLOCKED, FAILED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String key() {
            return name().toLowerCase();
        }
    }
}
