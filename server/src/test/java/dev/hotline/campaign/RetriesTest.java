package dev.hotline.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OUT-3: where a number stands after an attempt, per outcome, retries, intervals, max attempts and the 72 h abandon rule. */
class RetriesTest {
    static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    static final CampaignSettings S = new CampaignSettings(1L, null, null, null, null,
            Map.of("busy", new CampaignSettings.Retry(2, 10), "no_answer", new CampaignSettings.Retry(1, 60)), 4, null, null, null, null, null, null);

    @Test
    void answeredIsDoneAndSkippedIsSkipped() {
        assertThat(Retries.after(Outcome.ANSWERED, 1, Map.of("answered", 1), S, NOW)).isEqualTo(new Retries.Next("done", null));
        assertThat(Retries.after(Outcome.SKIPPED, 1, Map.of("skipped", 1), S, NOW)).isEqualTo(new Retries.Next("skipped", null));
    }

    @Test
    void aRetryableOutcomeComesBackAfterItsIntervalWhileItsRetriesLast() {
        assertThat(Retries.after(Outcome.BUSY, 1, Map.of("busy", 1), S, NOW)).isEqualTo(new Retries.Next("pending", NOW.plus(Duration.ofMinutes(10))));
        assertThat(Retries.after(Outcome.BUSY, 2, Map.of("busy", 2), S, NOW)).isEqualTo(new Retries.Next("pending", NOW.plus(Duration.ofMinutes(10))));
        assertThat(Retries.after(Outcome.BUSY, 3, Map.of("busy", 3), S, NOW).state()).as("two retries of busy, no third").isEqualTo("exhausted");
        assertThat(Retries.after(Outcome.NO_ANSWER, 2, Map.of("busy", 1, "no_answer", 1), S, NOW).dueAt()).isEqualTo(NOW.plus(Duration.ofMinutes(60)));
        assertThat(Retries.after(Outcome.NO_ANSWER, 3, Map.of("busy", 1, "no_answer", 2), S, NOW).state()).isEqualTo("exhausted");
        assertThat(Retries.after(Outcome.FAILED, 1, Map.of("failed", 1), S, NOW).state()).as("no retry set for failed").isEqualTo("exhausted");
    }

    @Test
    void maxAttemptsEndsEveryRetry() {
        assertThat(Retries.after(Outcome.BUSY, 4, Map.of("busy", 1, "no_answer", 1), S, NOW).state()).isEqualTo("exhausted");
        assertThat(Retries.after(Outcome.ABANDONED, 4, Map.of("abandoned", 1), S, NOW).state()).isEqualTo("exhausted");
    }

    @Test
    void anAbandonedNumberIsNotDialledAgainWithin72Hours() {
        assertThat(Retries.after(Outcome.ABANDONED, 1, Map.of("abandoned", 1), S, NOW))
                .isEqualTo(new Retries.Next("pending", NOW.plus(Duration.ofHours(72))));
    }
}
