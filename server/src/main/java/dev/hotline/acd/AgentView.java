package dev.hotline.acd;

import java.time.Instant;
import java.util.Map;

/**
 * An agent's live state as the API shows it (AGENT-1, ACD-8). {@code deviceReachable}: whether a call can be placed to
 * the agent's device now (a SIP phone registered, the browser phone connected, an outside number routable); null when
 * logged out. A ready agent whose device cannot ring is offered nothing, and the supervisor sees why.
 */
public record AgentView(long userId, String name, String jobNumber, String extension, AgentState state, String reason, Instant since,
                        String device, String deviceNumber, String callId, int offered, int answered, int missedInRow,
                        Map<String, Integer> queues, Map<String, Integer> skills, Boolean deviceReachable) {}
