package dev.hotline.acd;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** SQL over the agent state log ({@code agent_event}). */
public final class AgentStore {
    private AgentStore() {}

    /** The last logged state of an agent (what a restart restores). */
    record LastState(long enterpriseId, long userId, String state, String reason, String device) {}

    static List<LastState> lastStates(Handle h) {
        return h.createQuery("""
                SELECT enterprise_id, user_id, state, reason, device FROM agent_event
                WHERE id IN (SELECT MAX(id) FROM agent_event GROUP BY user_id)""")
                .map((rs, c) -> new LastState(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5))).list();
    }

    /** One logged state change as the API shows it. */
    public record StateChange(long userId, Instant at, String state, String previous, String reason, String device, String callId,
                              String cause) {}

    public static List<StateChange> history(Handle h, long enterpriseId, Long userId, Instant from, Instant to, int limit) {
        String sql = "SELECT user_id, at, state, previous, reason, device, call_id, cause FROM agent_event WHERE enterprise_id = :e"
                + (userId != null ? " AND user_id = :u" : "") + (from != null ? " AND at >= :from" : "") + (to != null ? " AND at < :to" : "")
                + " ORDER BY id DESC LIMIT :limit";
        var q = h.createQuery(sql).bind("e", enterpriseId).bind("limit", limit);
        if (userId != null) q.bind("u", userId);
        if (from != null) q.bind("from", java.sql.Timestamp.from(from));
        if (to != null) q.bind("to", java.sql.Timestamp.from(to));
        return q.map((rs, c) -> new StateChange(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8))).list();
    }
}
