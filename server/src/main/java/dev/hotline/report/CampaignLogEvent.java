package dev.hotline.report;

import java.time.Instant;

/**
 * API-2: an outbound campaign (OUT-1) changed state, logged after the change committed. Its contacts' attempts and their
 * results are call events ({@link CallLogEvent.CampaignAttempt}, {@link CallLogEvent.CampaignOutcome}); this is the
 * campaign's own life. Stored in no table of the log; its projections (webhook deliveries, the event stream) write it.
 *
 * @param action   started (to running, from draft or paused), paused, or finished (stopped for good)
 * @param userId   who changed it (null: the server)
 */
public record CampaignLogEvent(long enterpriseId, Instant at, String action, long campaignId, String name, String mode, String state,
                               String previousState, Long userId) implements LogEvent {

    /** The actions, as the event types {@code campaign.<action>} name them. */
    public static final java.util.List<String> ACTIONS = java.util.List.of("started", "paused", "finished");

    public CampaignLogEvent {
        if (!ACTIONS.contains(action)) throw new IllegalArgumentException("unknown campaign action " + action);
    }
}
