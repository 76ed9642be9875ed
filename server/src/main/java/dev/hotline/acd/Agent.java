package dev.hotline.acd;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One agent as the dispatcher knows them. Confined to the dispatcher's thread: no locks. The state
 * changes only through {@link #moveTo}, which refuses illegal moves.
 */
final class Agent {
    final long enterpriseId;
    final long userId;
    String name;
    String jobNumber;
    /** The agent's own extension, if any (the SIP device and direct calls). */
    String extension;
    Device device;

    AgentState state = AgentState.LOGGED_OUT;
    String reason;
    Instant since;
    /** When the agent last became free (ready after login, after a call, after wrap-up): LONGEST_IDLE orders by it. */
    Instant idleSince;
    /** Offers and answers since login (FEWEST_CALLS, FEWEST_ANSWERED). */
    int offered;
    int answered;
    /** Offers missed in a row (ACD-5 auto-pause). */
    int missedInRow;
    /** The call the agent is ringing for or talking on, and the agent's leg of it. */
    String callId;
    String legId;
    /** Queue of the current call (wrap-up length). */
    Long queueId;
    /** Not ready asked for during a call: applied when the call ends. */
    String pendingNotReady;
    /** Wrap-up ends at this instant (null: no timer). */
    Instant wrapUntil;
    /**
     * SUP-2: the leg on which this user supervises a call (listening, whispering, barging, or having taken it over) and
     * that call; null when none. While it lasts the user is never ready for the queues: a move to ready makes them on
     * that call instead ({@link AgentBoard#move}).
     */
    String supervisingLeg;
    String supervisingCall;
    /** An outbound campaign holds this ready agent for a number it dials (OUT-1): no queue offers meanwhile. */
    String reservedBy;
    Instant reservedAt;

    /** Queue id → penalty (ACD-2: an agent may serve several queues). */
    final Map<Long, Integer> queues = new LinkedHashMap<>();
    /** Skill name → level 1..10. */
    final Map<String, Integer> skills = new LinkedHashMap<>();

    Agent(long enterpriseId, long userId) {
        this.enterpriseId = enterpriseId;
        this.userId = userId;
    }

    /** The one way an agent's state changes; returns the previous state. */
    AgentState moveTo(AgentState to, String reason, Instant at) {
        if (!state.canMoveTo(to)) throw new AgentState.IllegalMove(state, to);
        AgentState from = state;
        state = to;
        this.reason = to == AgentState.NOT_READY ? reason : null;
        since = at;
        reservedBy = null; // a reservation holds a ready agent only: any move ends it
        reservedAt = null;
        if (to == AgentState.READY) idleSince = at;
        if (to == AgentState.READY || to == AgentState.NOT_READY || to == AgentState.LOGGED_OUT) {
            callId = null;
            legId = null;
            queueId = null;
            wrapUntil = null;
        }
        if (to == AgentState.LOGGED_OUT) {
            device = null;
            pendingNotReady = null;
        }
        return from;
    }

    /** Ready, on no call and held by no campaign: queues may offer a call. */
    boolean free() {
        return state == AgentState.READY && callId == null && reservedBy == null;
    }

    /** Ready and held by {@code holder} (a campaign that dials a number for this agent). */
    boolean reservedFor(String holder) {
        return state == AgentState.READY && callId == null && holder != null && holder.equals(reservedBy);
    }

    AgentView view(Map<Long, String> queueNames, Boolean deviceReachable) {
        Map<String, Integer> qs = new LinkedHashMap<>();
        queues.forEach((q, p) -> qs.put(queueNames.getOrDefault(q, String.valueOf(q)), p));
        return new AgentView(userId, name, jobNumber, extension, state, reason, since, device == null ? null : device.kind().key(),
                device == null ? null : device.number(), callId, offered, answered, missedInRow, qs, Map.copyOf(skills), deviceReachable, null);
    }
}
