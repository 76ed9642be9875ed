package dev.hotline.report;

import java.time.Instant;

/**
 * One event of a call as the event log stores it. The log is append-only; call records and
 * (later) every report are computed from it.
 */
public sealed interface CallLogEvent extends LogEvent {
    long enterpriseId();
    String callId();
    Instant at();
    /** The channel the event is about, or null for call-level events. */
    String channelId();

    /** Stable type name stored in the log. */
    String type();

    /** A short human-readable payload stored beside the type. */
    String data();

    /** A call entered the system. {@code direction}: inbound (trunk), outbound (extension to trunk) or internal. */
    record Arrived(long enterpriseId, String callId, Instant at, String channelId, String direction, String caller,
                   String callee, String trunk, String extension) implements CallLogEvent {
        public String type() {
            return "arrived";
        }

        public String data() {
            return "direction=" + direction + " caller=" + caller + " callee=" + callee
                    + (trunk == null ? "" : " trunk=" + trunk) + (extension == null ? "" : " extension=" + extension);
        }
    }

    /** The caller is on the blacklist. */
    record Blocked(long enterpriseId, String callId, Instant at, String channelId, String rule) implements CallLogEvent {
        public String type() {
            return "blocked";
        }

        public String data() {
            return "rule=" + rule;
        }
    }

    /** Routing refused the call with {@code sipStatus} for {@code reason}. */
    record Rejected(long enterpriseId, String callId, Instant at, String channelId, int sipStatus, String reason) implements CallLogEvent {
        public String type() {
            return "rejected";
        }

        public String data() {
            return "status=" + sipStatus + " reason=" + reason;
        }
    }

    /** An outbound leg was placed to {@code target}. */
    record Dialing(long enterpriseId, String callId, Instant at, String channelId, String target) implements CallLogEvent {
        public String type() {
            return "dialing";
        }

        public String data() {
            return "target=" + target;
        }
    }

    record Ringing(long enterpriseId, String callId, Instant at, String channelId) implements CallLogEvent {
        public String type() {
            return "ringing";
        }

        public String data() {
            return null;
        }
    }

    record Answered(long enterpriseId, String callId, Instant at, String channelId) implements CallLogEvent {
        public String type() {
            return "answered";
        }

        public String data() {
            return null;
        }
    }

    record Hold(long enterpriseId, String callId, Instant at, String channelId, boolean held) implements CallLogEvent {
        public String type() {
            return held ? "hold" : "unhold";
        }

        public String data() {
            return null;
        }
    }

    record Transfer(long enterpriseId, String callId, Instant at, String channelId, String kind, String target) implements CallLogEvent {
        public String type() {
            return "transfer";
        }

        public String data() {
            return "kind=" + kind + " target=" + target;
        }
    }

    /**
     * A PBX feature acted on the call (PBX-3, PBX-4): {@code feature} forward-always, forward-busy, forward-noanswer,
     * forward-unregistered, dnd, call-waiting, park, unpark, pickup or code (a feature code dialled); {@code detail} says
     * from where to where (e.g. {@code 1001>1002}, {@code slot=701}). Not a transfer: it leaves the call record's counts alone.
     */
    record PbxFeature(long enterpriseId, String callId, Instant at, String channelId, String feature, String detail) implements CallLogEvent {
        public String type() {
            return "pbx";
        }

        public String data() {
            return "feature=" + feature + " detail=" + detail;
        }
    }

    /**
     * A supervisor acted on the call (SUP-2): {@code action} listen, whisper or barge (joined or switched to), takeover,
     * hangup (forced) or end (the supervisor left); {@code channelId} is the agent's leg.
     */
    record Supervised(long enterpriseId, String callId, Instant at, String channelId, long supervisorUserId, String action)
            implements CallLogEvent {
        public String type() {
            return "supervision";
        }

        public String data() {
            return "action=" + action + " supervisor=" + supervisorUserId;
        }
    }

    /** A leg ended. */
    record HungUp(long enterpriseId, String callId, Instant at, String channelId, String cause, int sipStatus) implements CallLogEvent {
        public String type() {
            return "hangup";
        }

        public String data() {
            return "cause=" + cause + " status=" + sipStatus;
        }
    }

    /**
     * MEDIA-1: the media figures of leg {@code channelId} at its end (RTP received, RTCP reports of both sides), logged
     * just before its {@link HungUp} when the leg had media.
     */
    record MediaReport(long enterpriseId, String callId, Instant at, String channelId, LegQuality quality) implements CallLogEvent {
        public String type() {
            return "media";
        }

        public String data() {
            LegQuality q = quality;
            StringBuilder sb = new StringBuilder(160);
            sb.append("codec=").append(q.codec()).append(" packets=").append(q.packets()).append(" lost=").append(q.lost())
                    .append(" loss_pct=").append(number(q.lossPercent())).append(" jitter_ms=").append(number(q.jitterMs()))
                    .append(" rtcp_sent=").append(q.rtcpSent()).append(" rtcp_received=").append(q.rtcpReceived());
            if (q.rttMs() != null) sb.append(" rtt_ms=").append(number(q.rttMs()));
            if (q.remoteLossPercent() != null) sb.append(" remote_loss_pct=").append(number(q.remoteLossPercent()));
            if (q.remoteJitterMs() != null) sb.append(" remote_jitter_ms=").append(number(q.remoteJitterMs()));
            return sb.toString();
        }

        private static String number(double v) {
            return String.format(java.util.Locale.ROOT, "%.2f", v);
        }
    }

    /** A recording of the call is complete on disk (REC-1); written to the recordings table by the log. */
    record Recorded(long enterpriseId, String callId, Instant at, String channelId, java.nio.file.Path path, String format,
                    boolean stereo, Instant startedAt, long durationMs) implements CallLogEvent {
        public String type() {
            return "recorded";
        }

        public String data() {
            return "file=" + path.getFileName() + " duration_ms=" + durationMs + " format=" + format;
        }
    }

    /**
     * REC-1: a recording of the call started, paused, resumed or stopped on demand (or by policy: started),
     * {@code atMs} into its file; a pause's span is silent in the file, from its pause to its resume.
     */
    record RecordingControl(long enterpriseId, String callId, Instant at, String channelId, String action, long atMs, String by)
            implements CallLogEvent {
        public String type() {
            return "recording";
        }

        public String data() {
            return "action=" + action + " at_ms=" + atMs + " by=" + by.replace(' ', '_');
        }
    }

    /** The call entered an IVR node (IVR-5 statistics are counted from these). */
    record IvrNode(long enterpriseId, String callId, Instant at, String channelId, String flow, String node, String nodeType)
            implements CallLogEvent {
        public String type() {
            return "ivr_node";
        }

        public String data() {
            return "flow=" + flow + " node=" + node + " type=" + nodeType;
        }
    }

    /** A key pressed in an IVR node, or how the node's input ended (timeout, invalid). */
    record IvrKey(long enterpriseId, String callId, Instant at, String channelId, String flow, String node, String key)
            implements CallLogEvent {
        public String type() {
            return "ivr_key";
        }

        public String data() {
            return "flow=" + flow + " node=" + node + " key=" + key;
        }
    }

    /** A caller left a voicemail (MSG-1); the log writes it to the voicemail table. */
    record VoicemailLeft(long enterpriseId, String callId, Instant at, String channelId, String boxType, String box, String caller,
                         String callbackNumber, java.nio.file.Path path, long durationMs) implements CallLogEvent {
        public String type() {
            return "voicemail";
        }

        public String data() {
            return "box=" + boxType + ":" + box + " duration_ms=" + durationMs + (callbackNumber == null ? "" : " callback=" + callbackNumber);
        }
    }

    /** The call joined queue {@code queue} (ACD-1) with {@code priority} (higher first), at {@code position} (1 = next). */
    record QueueJoined(long enterpriseId, String callId, Instant at, String channelId, String queue, int priority, int position)
            implements CallLogEvent {
        public String type() {
            return "queue_join";
        }

        public String data() {
            return "queue=" + queue + " priority=" + priority + " position=" + position;
        }
    }

    /** The queue offered the call to an agent: {@code channelId} is the leg ringing the agent's device. */
    record QueueOffered(long enterpriseId, String callId, Instant at, String channelId, String queue, long agentUserId, String agentJob,
                        String device) implements CallLogEvent {
        public String type() {
            return "queue_offer";
        }

        public String data() {
            return "queue=" + queue + " agent=" + agentUserId + " job=" + agentJob + " device=" + device;
        }
    }

    /** The caller in a queue heard their position and expected wait (ACD-6). */
    record QueueAnnounced(long enterpriseId, String callId, Instant at, String channelId, String queue, int position, long expectedWaitSeconds)
            implements CallLogEvent {
        public String type() {
            return "queue_announce";
        }

        public String data() {
            return "queue=" + queue + " position=" + position + " expected_s=" + expectedWaitSeconds;
        }
    }

    /** An offer ended without the agent taking the call: no_answer (RONA), busy, failed, or cancelled (another agent answered, the caller left). */
    record QueueOfferEnded(long enterpriseId, String callId, Instant at, String channelId, String queue, long agentUserId, String result)
            implements CallLogEvent {
        public String type() {
            return "queue_offer_end";
        }

        public String data() {
            return "queue=" + queue + " agent=" + agentUserId + " result=" + result;
        }
    }

    /** An agent answered: the caller is connected after waiting {@code waitMs} in the queue. */
    record QueueConnected(long enterpriseId, String callId, Instant at, String channelId, String queue, long agentUserId, String agentJob,
                          long waitMs) implements CallLogEvent {
        public String type() {
            return "queue_connect";
        }

        public String data() {
            return "queue=" + queue + " agent=" + agentUserId + " job=" + agentJob + " wait_ms=" + waitMs;
        }
    }

    /**
     * The caller left the queue without an agent: {@code result} abandoned (hung up), overflow (max wait,
     * queue full or no agents; {@code destination} says where to), voicemail or callback (by key).
     */
    record QueueLeft(long enterpriseId, String callId, Instant at, String channelId, String queue, String result, String reason,
                     String destination, long waitMs) implements CallLogEvent {
        public String type() {
            return "queue_leave";
        }

        public String data() {
            return "queue=" + queue + " result=" + result + (reason == null ? "" : " reason=" + reason)
                    + (destination == null ? "" : " destination=" + destination) + " wait_ms=" + waitMs;
        }
    }

    /**
     * The agent of queue {@code queue} hung up and the caller, kept on the line, hears the satisfaction survey (MSG-4);
     * {@code channelId} is the caller's leg. The call's talk time ends here.
     */
    record SurveyStarted(long enterpriseId, String callId, Instant at, String channelId, String queue, long agentUserId)
            implements CallLogEvent {
        public String type() {
            return "survey_start";
        }

        public String data() {
            return "queue=" + queue + " agent=" + agentUserId;
        }
    }

    /**
     * The survey's outcome: {@code result} answered (a score, and a reason when unsatisfied), partial (a score but no
     * reason), no_input (no valid key) or hangup (the caller left before scoring); {@code score} the key pressed
     * (1 very satisfied, 2 satisfied, 3 unsatisfied) or null; {@code reason} the reason key of an unsatisfied caller
     * (1 service, 2 attitude, 3 other) or null. The survey feature keeps its table from this event.
     */
    record Surveyed(long enterpriseId, String callId, Instant at, String channelId, String queue, long agentUserId, Instant startedAt,
                    String result, Integer score, Integer reason) implements CallLogEvent {
        public String type() {
            return "survey";
        }

        public String data() {
            return "queue=" + queue + " agent=" + agentUserId + " result=" + result + (score == null ? "" : " score=" + score)
                    + (reason == null ? "" : " reason=" + reason);
        }
    }

    /**
     * An outbound campaign (OUT-1, OUT-2) dialled {@code number} of its list: attempt {@code attempt} of the contact,
     * {@code channelId} the leg to the number. The data begins with {@code campaign=<id> } so a campaign's events are found by prefix.
     */
    record CampaignAttempt(long enterpriseId, String callId, Instant at, String channelId, long campaignId, long contactId, String number,
                           int attempt, String mode) implements CallLogEvent {
        public String type() {
            return "campaign_attempt";
        }

        public String data() {
            return "campaign=" + campaignId + " contact=" + contactId + " number=" + number + " attempt=" + attempt + " mode=" + mode;
        }
    }

    /**
     * How a campaign attempt ended: {@code outcome} answered, busy, no_answer, machine, failed, abandoned or skipped;
     * {@code detail} free measures (AMD result and its raw measures, the key answered, the agent, the wait for an agent).
     */
    record CampaignOutcome(long enterpriseId, String callId, Instant at, String channelId, long campaignId, long contactId, String number,
                           String outcome, String detail) implements CallLogEvent {
        public String type() {
            return "campaign_outcome";
        }

        public String data() {
            return "campaign=" + campaignId + " contact=" + contactId + " number=" + number + " outcome=" + outcome
                    + (detail == null || detail.isEmpty() ? "" : " " + detail);
        }
    }

    /**
     * IVR-4: the agent's leg {@code agentLeg} sent the caller ({@code channelId}) into verification flow {@code flow}
     * ({@code status} started), or the caller came back to the agent ({@code returned}, with the flow's {@code result}),
     * or hung up during the flow ({@code caller_left}), or the agent left ({@code agent_left}).
     */
    record Verification(long enterpriseId, String callId, Instant at, String channelId, String agentLeg, String flow, String status,
                        String result) implements CallLogEvent {
        public String type() {
            return "verification";
        }

        public String data() {
            return "flow=" + flow + " status=" + status + " agent_leg=" + agentLeg + (result == null ? "" : " result=" + result);
        }
    }

    /**
     * API-3: the call came from a "call us" widget on a web page: the widget, the site (origin) and the page the visitor
     * called from (shown on the agent's desk).
     */
    record WidgetCall(long enterpriseId, String callId, Instant at, String channelId, long widgetId, String origin, String page)
            implements CallLogEvent {
        public String type() {
            return "widget";
        }

        public String data() {
            return "widget=" + widgetId + " origin=" + origin + " page=" + page;
        }
    }

    /**
     * A step of a web callback request (OUT-4): {@code step} requested, attempt, connected (queued to an agent), failed, retry or
     * done; {@code detail} free (position, cause, next try).
     */
    record WebCallbackStep(long enterpriseId, String callId, Instant at, String channelId, long requestId, String number, String step,
                           String detail) implements CallLogEvent {
        public String type() {
            return "web_callback";
        }

        public String data() {
            return "request=" + requestId + " number=" + number + " step=" + step + (detail == null || detail.isEmpty() ? "" : " " + detail);
        }
    }

    /** The call ended and its record was computed. */
    record Closed(long enterpriseId, String callId, Instant at, String channelId, CallRecord record) implements CallLogEvent {
        public String type() {
            return "closed";
        }

        public String data() {
            return "outcome=" + record.outcome().key() + " cause=" + record.hangupCause();
        }
    }
}
