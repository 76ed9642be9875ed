package dev.hotline.report;

import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * A queue's report targets (RPT-3): the service level threshold X seconds and the short abandon threshold, both
 * per queue settings owned by the ACD; {@code app} hands the reports a {@link Source} reading them (ADR 0003).
 */
public record QueueTargets(int serviceLevelSeconds, int shortAbandonSeconds) {
    /** The targets of a queue without settings of its own (or one deleted since). */
    public static final QueueTargets DEFAULT = new QueueTargets(20, 5);

    @FunctionalInterface
    public interface Source {
        /** The targets of each queue of the enterprise, by queue name. */
        Map<String, QueueTargets> of(Handle h, long enterpriseId);
    }
}
