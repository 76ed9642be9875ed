package dev.hotline.acd;

import java.time.Instant;
import java.util.Map;

/** An agent's live state as the API shows it (AGENT-1, ACD-8). */
public record AgentView(long userId, String name, String jobNumber, String extension, AgentState state, String reason, Instant since,
                        String device, String deviceNumber, String callId, int offered, int answered, int missedInRow,
                        Map<String, Integer> queues, Map<String, Integer> skills) {}
