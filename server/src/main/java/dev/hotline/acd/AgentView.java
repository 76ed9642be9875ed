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
                        Map<String, Integer> queues, Map<String, Integer> skills, Boolean deviceReachable, Supervising supervising) {

    /**
     * SUP-1: the agent (a supervisor is an agent too, in whatever state) supervises agent {@code agentUserId}'s call
     * {@code callId} in {@code mode} (listen, whisper, barge); {@code state}: ringing (the supervisor's phone rings) or
     * active. Filled by the monitor from the supervisions in progress (SUP-2); null in the ACD's own views and when not
     * supervising (after a take-over the call is the supervisor's own).
     */
    public record Supervising(String callId, long agentUserId, String agentName, String agentJob, String mode, String state) {}

    /** This view with {@code s} as what the agent supervises. */
    public AgentView supervising(Supervising s) {
        return new AgentView(userId, name, jobNumber, extension, state, reason, since, device, deviceNumber, callId, offered, answered,
                missedInRow, queues, skills, deviceReachable, s);
    }
}
