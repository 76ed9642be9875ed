package dev.hotline.report;

import java.time.Instant;
import java.util.List;

/** One call, from the first event to the last, as derived from the event log (RPT-1). */
public record CallRecord(String callId, String direction, String caller, String callee, String trunk, String extension,
                         Instant startedAt, Instant answeredAt, Instant endedAt, int talkSeconds, Outcome outcome,
                         String hangupCause, String hangupBy, Integer sipStatus, String queue, Long agentUserId, String agentJob,
                         Long waitMs, String queueResult, Disposition disposition, String ivrPath, int holdCount, int holdSeconds,
                         int transfers, String agentName, String agentExtension, List<LegQuality> media) {
    // agentName and agentExtension are who the agent is now, joined when records are read (null in a record being built).
    // media: MEDIA-1, the figures of each leg that had media (RTP and RTCP), in the order the legs ended.

    public CallRecord {
        media = media == null ? List.of() : List.copyOf(media);
    }

    /** A record without media figures (calls before V46, fixtures). */
    public CallRecord(String callId, String direction, String caller, String callee, String trunk, String extension,
                      Instant startedAt, Instant answeredAt, Instant endedAt, int talkSeconds, Outcome outcome,
                      String hangupCause, String hangupBy, Integer sipStatus, String queue, Long agentUserId, String agentJob,
                      Long waitMs, String queueResult, Disposition disposition, String ivrPath, int holdCount, int holdSeconds,
                      int transfers, String agentName, String agentExtension) {
        this(callId, direction, caller, callee, trunk, extension, startedAt, answeredAt, endedAt, talkSeconds, outcome, hangupCause,
                hangupBy, sipStatus, queue, agentUserId, agentJob, waitMs, queueResult, disposition, ivrPath, holdCount, holdSeconds,
                transfers, agentName, agentExtension, List.of());
    }

    /** The same record closed at {@code endedAt} by the system for {@code cause} (a restart). */
    public CallRecord closedBySystem(Instant endedAt, String cause) {
        return new CallRecord(callId, direction, caller, callee, trunk, extension, startedAt, answeredAt, endedAt, talkSeconds, outcome,
                cause, "system", sipStatus, queue, agentUserId, agentJob, waitMs, queueResult, disposition, ivrPath, holdCount,
                holdSeconds, transfers, agentName, agentExtension, media);
    }

    /**
     * How the call ended for the business (issue 14): a person answered it (an agent, an extension, the called
     * outside number); only the system did (IVR self-service, or voicemail); or the caller was lost, and where.
     * {@link #outcome} stays the telephony result (answered means the caller's leg was answered, by anyone).
     */
    public enum Disposition {
        /** A person answered: an agent of a queue, an extension, an outside number. */
        ANSWERED,
        /** The caller left a voicemail and no person answered. */
        VOICEMAIL,
        /** Only the IVR answered, and it ended the call (self-service, a message, a closed hotline without voicemail). */
        IVR_ONLY,
        /** The caller hung up in the IVR, before reaching a queue or a person. */
        ABANDONED_IVR,
        /** The caller hung up waiting in a queue, no agent's phone ringing. */
        ABANDONED_QUEUE,
        /** The caller hung up while an agent's or extension's phone rang. */
        ABANDONED_RINGING,
        /** Nobody answered and the caller did not give up: busy, no answer, rejected, blocked, failed, no agent, overflow to nowhere. */
        UNANSWERED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String key() {
            return name().toLowerCase();
        }

        public static Disposition parse(String key) {
            return key == null ? null : valueOf(key.toUpperCase());
        }
    }

    public enum Outcome {
        ANSWERED, BUSY, NO_ANSWER, CANCELLED, REJECTED, BLOCKED, FAILED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String key() {
            return name().toLowerCase();
        }
    }
}
