package dev.hotline.report;

import java.time.Instant;

/** Anything the append-only event log carries: call events and agent state changes (stored), ticket and campaign events (API-2: for its projections only). */
public sealed interface LogEvent permits CallLogEvent, AgentLogEvent, TicketLogEvent, CampaignLogEvent {
    long enterpriseId();

    Instant at();
}
