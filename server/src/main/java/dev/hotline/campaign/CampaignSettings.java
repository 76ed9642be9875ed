package dev.hotline.campaign;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * Every setting of one campaign, stored as one JSON document; {@link CampaignRoutes} validates it.
 *
 * @param trunkId         dial through this trunk, or
 * @param outboundRouteId through this outbound route (exactly one of the two)
 * @param callerIds       the caller ID shown, one or a pool used in turn
 * @param timeZone        the zone of the calling windows (IANA name, e.g. Asia/Shanghai)
 * @param windows         when numbers may be called, e.g. 09:00–12:00 and 18:30–20:30, every day
 * @param retries         per retryable outcome (busy, no_answer, machine, failed): how many more tries and after how long
 * @param maxAttempts     attempts per number at most, whatever the outcomes
 * @param queueId         answered calls go to this queue's ready members, or
 * @param agentIds        to these agents (when ready)
 * @param ringSeconds     how long a number rings before no_answer (at least 15)
 * @param amd             answering-machine detection on answered calls (off when null)
 * @param notification    what a notification campaign plays and which keys answer (notification mode only)
 * @param sms             the SMS an SMS campaign sends every number, or a calling campaign sends after the outcomes named
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CampaignSettings(Long trunkId, Long outboundRouteId, List<String> callerIds, String timeZone, List<Window> windows,
                               Map<String, Retry> retries, Integer maxAttempts, Long queueId, List<Long> agentIds, Integer ringSeconds,
                               Amd amd, Notification notification, Sms sms) {

    public static final int MIN_RING_SECONDS = 15;
    public static final int DEFAULT_RING_SECONDS = 25;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    /** A daily window, local time "HH:mm" to "HH:mm" (end after start). */
    public record Window(String from, String to) {}

    /** {@code times} more tries of an outcome, each {@code afterMinutes} after the last. */
    public record Retry(int times, int afterMinutes) {}

    /**
     * @param enabled run detection on answered calls
     * @param action  what a machine gets: hangup, message (left after the beep), agent
     * @param message the message left on a machine (TTS text, {name} and the list's other columns filled in), for action message
     * @param params  detector parameters changed from Hotline's defaults (docs/amd.md), e.g. {"greetingMs": 2000}
     */
    public record Amd(boolean enabled, String action, String message, Map<String, Integer> params) {}

    /**
     * @param text    the message as TTS text, with {name}, {amount}, {date} and other columns of the list replaced per number
     * @param prompt  or an uploaded prompt file played instead of the text
     * @param repeat  how many times the message is played in all (1–5)
     * @param keys    key → answer: confirm, refuse, agent (to the campaign's queue); 1 confirm and 2 refuse when not given
     * @param lines   how many numbers are called at once (1–100, default 5): no agent is needed
     */
    public record Notification(String text, String prompt, Integer repeat, Map<String, String> keys, Integer lines) {
        public static final int DEFAULT_LINES = 5;

        public int repeatOrDefault() {
            return repeat == null ? 1 : repeat;
        }

        public int linesOrDefault() {
            return lines == null ? DEFAULT_LINES : lines;
        }

        public Map<String, String> keysOrDefault() {
            return keys == null || keys.isEmpty() ? NotificationMessage.DEFAULT_KEYS : keys;
        }
    }

    /**
     * A campaign's SMS (MSG-3), at most one per number, through the enterprise's SMS gateway and quotas.
     *
     * @param templateId an SMS template of the enterprise, or
     * @param text       the text, with {name}, {number}, {company}, {date}, {time} and the list's other columns filled in
     * @param on         calling campaigns: after which outcomes (answered, busy, no_answer, machine, failed, abandoned) or
     *                   {@code exhausted} (the number's last attempt, never reached); SMS campaigns: not used
     * @param perMinute  SMS campaigns: how many numbers' SMS are queued a minute at most ({@value #MIN_PER_MINUTE}..{@value
     *                   #MAX_PER_MINUTE}; null: {@value #DEFAULT_PER_MINUTE}, 20 each half-second tick), spread evenly
     */
    public record Sms(Long templateId, String text, List<String> on, Integer perMinute) {
        public static final int MIN_PER_MINUTE = 1;
        public static final int MAX_PER_MINUTE = 6000;
        public static final int DEFAULT_PER_MINUTE = 2400;

        public int perMinuteOrDefault() {
            return perMinute == null ? DEFAULT_PER_MINUTE : perMinute;
        }
    }

    /** The same settings with another SMS (null: none). */
    public CampaignSettings withSms(Sms s) {
        return new CampaignSettings(trunkId, outboundRouteId, callerIds, timeZone, windows, retries, maxAttempts, queueId, agentIds, ringSeconds,
                amd, notification, s);
    }

    public int ringSecondsOrDefault() {
        return ringSeconds == null ? DEFAULT_RING_SECONDS : ringSeconds;
    }

    public int maxAttemptsOrDefault() {
        return maxAttempts == null ? DEFAULT_MAX_ATTEMPTS : maxAttempts;
    }
}
