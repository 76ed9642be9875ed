package dev.hotline.report;

import java.time.Instant;

/**
 * An agent's state changed (AGENT-1, ACD-8), stored in {@code agent_event}. Agent reports and the
 * state an agent is restored to after a restart are computed from these.
 *
 * @param cause who made the change: agent, supervisor, call (the calls moved it), supervision (the agent
 *              supervises a call, SUP-2), system (timers,
 *              auto-pause), correction (the self-check found the state did not match the calls),
 *              restart (restored after the server restarted)
 */
public record AgentLogEvent(long enterpriseId, long userId, Instant at, String state, String previous, String reason, String device,
                            String callId, String cause) implements LogEvent {}
