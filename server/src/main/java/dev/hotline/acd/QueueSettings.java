package dev.hotline.acd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Every ACD setting of one queue (ACD-1..8, REC-1), stored as one JSON document. Missing values take
 * the defaults of {@link #DEFAULTS}; {@link dev.hotline.acd.QueueRoutes} validates them.
 *
 * @param ringTimeoutSeconds      how long an offered agent rings before the next one is tried (RONA)
 * @param maxWaitSeconds          0: wait forever; otherwise the caller leaves to {@code overflow}
 * @param maxCallers              0: no limit; otherwise callers beyond it go to {@code overflow} at once
 * @param overflow                where callers go after max wait or when the queue is full; null: hang up
 * @param noAgents                where callers go when no member is logged in (join-empty rule); null: wait anyway
 * @param wrapUpSeconds           after-call work: no offers for this long after a call of this queue
 * @param autoPauseAfterMissed    0: never; otherwise the agent goes not ready after this many missed offers in a row
 * @param announcePositionSeconds 0: never; otherwise position and expected wait are spoken this often
 * @param periodicText            a message (TTS or a shipped phrase key) played every {@code periodicSeconds}
 * @param voicemailKey            a key that leaves the queue for the queue's voicemail box; null: none
 * @param callbackKey             a key that asks for a callback keeping the caller's place; null: none
 * @param agentAnnounce           the caller hears the agent's job number before being connected
 * @param record                  record the queue's calls (all / none)
 * @param skills                  skills the queue requires, each with a minimum level
 * @param widenSkillsAfterSeconds 0: never; after this long any member may take the call regardless of skills
 * @param vipNumbers              callers (exact numbers or prefixes ending in '*') who go first
 * @param stickySeconds           0: off; otherwise a returning caller waits this long for the agent who served them last
 *                                (ACD-4 sticky agent), if that agent is signed in, before anyone else is offered the call
 * @param serviceLevelSeconds     RPT-3 service level target X: a call answered within X seconds of joining counts as within service
 * @param shortAbandonSeconds     RPT-3: a caller who hangs up within this many seconds of joining is a short abandon (shown apart)
 * @param survey                  MSG-4: after the agent hangs up, the caller hears the satisfaction survey (off when null)
 * @param priorityAgingSeconds    ACD-3: 0: off (priority is strict); otherwise a priority point is worth this many seconds of
 *                                waiting: a caller who has waited that much longer than a caller one point above them goes first
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record QueueSettings(Integer ringTimeoutSeconds, Integer maxWaitSeconds, Integer maxCallers, Destination overflow,
                            Destination noAgents, Integer wrapUpSeconds, Integer autoPauseAfterMissed,
                            Integer announcePositionSeconds, String periodicText, Integer periodicSeconds, String voicemailKey,
                            String callbackKey, Boolean agentAnnounce, Boolean record, List<SkillRequirement> skills,
                            Integer widenSkillsAfterSeconds, List<String> vipNumbers, Integer stickySeconds,
                            Integer serviceLevelSeconds, Integer shortAbandonSeconds, Survey survey, Integer priorityAgingSeconds) {

    public static final int DEFAULT_SERVICE_LEVEL_SECONDS = 20;
    public static final int DEFAULT_SHORT_ABANDON_SECONDS = 5;

    public static final QueueSettings DEFAULTS = new QueueSettings(15, 0, 0, null, null, 0, 0, 0, null, 0, null, null, false, false,
            List.of(), 0, List.of(), 0, null, null, Survey.OFF, 0);

    /** The settings without report targets (those take their defaults). */
    public QueueSettings(Integer ringTimeoutSeconds, Integer maxWaitSeconds, Integer maxCallers, Destination overflow, Destination noAgents,
                         Integer wrapUpSeconds, Integer autoPauseAfterMissed, Integer announcePositionSeconds, String periodicText,
                         Integer periodicSeconds, String voicemailKey, String callbackKey, Boolean agentAnnounce, Boolean record,
                         List<SkillRequirement> skills, Integer widenSkillsAfterSeconds, List<String> vipNumbers, Integer stickySeconds) {
        this(ringTimeoutSeconds, maxWaitSeconds, maxCallers, overflow, noAgents, wrapUpSeconds, autoPauseAfterMissed,
                announcePositionSeconds, periodicText, periodicSeconds, voicemailKey, callbackKey, agentAnnounce, record, skills,
                widenSkillsAfterSeconds, vipNumbers, stickySeconds, null, null, Survey.OFF, 0);
    }

    public QueueSettings {
        ringTimeoutSeconds = ringTimeoutSeconds == null ? 15 : ringTimeoutSeconds;
        maxWaitSeconds = maxWaitSeconds == null ? 0 : maxWaitSeconds;
        maxCallers = maxCallers == null ? 0 : maxCallers;
        wrapUpSeconds = wrapUpSeconds == null ? 0 : wrapUpSeconds;
        autoPauseAfterMissed = autoPauseAfterMissed == null ? 0 : autoPauseAfterMissed;
        announcePositionSeconds = announcePositionSeconds == null ? 0 : announcePositionSeconds;
        periodicSeconds = periodicSeconds == null ? 0 : periodicSeconds;
        agentAnnounce = agentAnnounce != null && agentAnnounce;
        record = record != null && record;
        skills = skills == null ? List.of() : List.copyOf(skills);
        widenSkillsAfterSeconds = widenSkillsAfterSeconds == null ? 0 : widenSkillsAfterSeconds;
        vipNumbers = vipNumbers == null ? List.of() : List.copyOf(vipNumbers);
        stickySeconds = stickySeconds == null ? 0 : stickySeconds;
        serviceLevelSeconds = serviceLevelSeconds == null ? DEFAULT_SERVICE_LEVEL_SECONDS : serviceLevelSeconds;
        shortAbandonSeconds = shortAbandonSeconds == null ? DEFAULT_SHORT_ABANDON_SECONDS : shortAbandonSeconds;
        voicemailKey = voicemailKey == null || voicemailKey.isBlank() ? null : voicemailKey;
        callbackKey = callbackKey == null || callbackKey.isBlank() ? null : callbackKey;
        periodicText = periodicText == null || periodicText.isBlank() ? null : periodicText;
        survey = survey == null ? Survey.OFF : survey;
        priorityAgingSeconds = priorityAgingSeconds == null ? 0 : priorityAgingSeconds;
    }

    /**
     * The satisfaction survey of the queue's calls (MSG-4). Each prompt is a shipped prompt by its key or any text
     * spoken by the TTS; null: the shipped SURVEY_SCORE, SURVEY_REASON and SURVEY_THANKS.
     *
     * @param enabled      the caller answered by an agent of the queue stays on the line when the agent hangs up
     * @param language     zh or en: the language of the shipped prompts and of the TTS
     * @param scorePrompt  asks for the score: 1 very satisfied, 2 satisfied, 3 unsatisfied
     * @param reasonPrompt asks an unsatisfied caller why: 1 the service, 2 the attitude, 3 anything else
     * @param thanksPrompt played before the call ends
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Survey(boolean enabled, String language, String scorePrompt, String reasonPrompt, String thanksPrompt) {
        public static final Survey OFF = new Survey(false, "zh", null, null, null);

        public Survey {
            language = language == null || language.isBlank() ? "zh" : language;
            scorePrompt = scorePrompt == null || scorePrompt.isBlank() ? null : scorePrompt;
            reasonPrompt = reasonPrompt == null || reasonPrompt.isBlank() ? null : reasonPrompt;
            thanksPrompt = thanksPrompt == null || thanksPrompt.isBlank() ? null : thanksPrompt;
        }
    }

    /** A skill the queue requires, at {@code minLevel} (1..10) or better. */
    public record SkillRequirement(String skill, int minLevel) {}

    /**
     * Where a caller goes when leaving a queue without an agent (ACD-5): another queue, a voicemail box
     * ({@code value} "queue:support" or "extension:1001"), a published flow, an extension, or hang up.
     */
    public record Destination(String type, String value) {
        public static final List<String> TYPES = List.of("queue", "voicemail", "flow", "extension", "hangup");
    }

    /** True when {@code caller} is on the VIP list (ACD-3). */
    public boolean vip(String caller) {
        if (caller == null) return false;
        for (String v : vipNumbers) {
            if (v.endsWith("*") ? caller.startsWith(v.substring(0, v.length() - 1)) : caller.equals(v)) return true;
        }
        return false;
    }
}
