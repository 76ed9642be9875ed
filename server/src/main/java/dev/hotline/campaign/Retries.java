package dev.hotline.campaign;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Where a number stands after an attempt (OUT-3), a pure function of the campaign's settings: answered numbers are done,
 * retryable outcomes come back after their interval while the outcome's retries and the number's attempts last, an
 * abandoned number is not dialled again for {@link #AFTER_ABANDON}.
 */
public final class Retries {
    /** A number whose call was abandoned is not dialled again within this (OUT-1). */
    public static final Duration AFTER_ABANDON = Duration.ofHours(72);

    private Retries() {}

    /** The number's next state ({@code pending}, {@code done}, {@code exhausted}, {@code skipped}) and when it is due again. */
    public record Next(String state, Instant dueAt) {}

    /**
     * @param attempts attempts made at the number, this one included
     * @param counts   attempts per outcome, this one included
     */
    public static Next after(Outcome outcome, int attempts, Map<String, Integer> counts, CampaignSettings s, Instant now) {
        boolean attemptsLeft = attempts < s.maxAttemptsOrDefault();
        return switch (outcome) {
            case ANSWERED -> new Next("done", null);
            case SKIPPED -> new Next("skipped", null);
            case SMS -> new Next("done", null);
            case ABANDONED -> attemptsLeft ? new Next("pending", now.plus(AFTER_ABANDON)) : new Next("exhausted", null);
            case BUSY, NO_ANSWER, MACHINE, FAILED -> {
                CampaignSettings.Retry r = s.retries() == null ? null : s.retries().get(outcome.key());
                int seen = counts.getOrDefault(outcome.key(), 0);
                yield r != null && attemptsLeft && seen <= r.times() ? new Next("pending", now.plus(Duration.ofMinutes(r.afterMinutes())))
                        : new Next("exhausted", null);
            }
        };
    }
}
