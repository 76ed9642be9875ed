package dev.hotline.report;

import org.jdbi.v3.core.Handle;

/**
 * A feature's table kept from the event log (e.g. voicemail messages, recordings, webhook deliveries): applied to every
 * call and agent event in the same transaction that writes the event, so the table and the log never disagree. The event log knows
 * projections only through this interface; {@code app} wires the features' projections in (ADR 0003).
 */
@FunctionalInterface
public interface Projection {
    void apply(Handle h, LogEvent event);

    /** After a batch's events were applied, in their transaction: for a projection that writes its rows in one batch. */
    default void flush(Handle h) {
    }
}
