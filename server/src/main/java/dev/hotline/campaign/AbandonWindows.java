package dev.hotline.campaign;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A campaign's person answers over the rolling 24 hours and 30 days, and how many of them were abandoned (answered by a
 * person, or by a machine taken for one, and no agent within 2 s). Not thread-safe: one per campaign, on its dialer.
 */
public final class AbandonWindows {
    public static final long DAY_MS = Duration.ofHours(24).toMillis();
    public static final long MONTH_MS = Duration.ofDays(30).toMillis();

    /** Answers and abandons in each window. */
    public record Counts(long answers24h, long abandons24h, long answers30d, long abandons30d) {
        public double rate24h() {
            return Pacing.rate(abandons24h, answers24h);
        }

        public double rate30d() {
            return Pacing.rate(abandons30d, answers30d);
        }
    }

    private final ArrayDeque<long[]> month = new ArrayDeque<>();
    private final ArrayDeque<long[]> day = new ArrayDeque<>();
    private long answers24;
    private long abandons24;
    private long answers30;
    private long abandons30;

    /** A person answered at {@code atMs} (epoch milliseconds, not before the last one); {@code abandoned} if no agent took it. */
    public void answered(long atMs, boolean abandoned) {
        long[] e = {atMs, abandoned ? 1 : 0};
        month.addLast(e);
        day.addLast(e);
        answers24++;
        answers30++;
        abandons24 += e[1];
        abandons30 += e[1];
    }

    public Counts counts(long nowMs) {
        while (!day.isEmpty() && day.peekFirst()[0] <= nowMs - DAY_MS) {
            long[] e = day.removeFirst();
            answers24--;
            abandons24 -= e[1];
        }
        while (!month.isEmpty() && month.peekFirst()[0] <= nowMs - MONTH_MS) {
            long[] e = month.removeFirst();
            answers30--;
            abandons30 -= e[1];
        }
        return new Counts(answers24, abandons24, answers30, abandons30);
    }
}
