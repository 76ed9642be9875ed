package dev.hotline.report;

import java.time.Instant;

/** Anything the append-only event log stores: call events and agent state changes. */
public sealed interface LogEvent permits CallLogEvent, AgentLogEvent {
    long enterpriseId();

    Instant at();
}
