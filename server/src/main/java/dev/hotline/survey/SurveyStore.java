package dev.hotline.survey;

import dev.hotline.report.CallLogEvent;
import dev.hotline.report.LogEvent;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The table {@code survey_result}: a projection of the event log's survey events (MSG-4), and what the reports read. */
public final class SurveyStore {
    private SurveyStore() {}

    /** One surveyed call. {@code score} and {@code reason} are the keys pressed (see {@link CallLogEvent.Surveyed}), null when none. */
    public record Result(String callId, String queue, long agentUserId, Instant startedAt, Instant endedAt, String result, Integer score,
                         Integer reason) {}

    /** The event log's projection (wired by the app): a survey's outcome becomes its row, in the event's transaction. */
    public static void project(Handle h, LogEvent e) {
        if (!(e instanceof CallLogEvent.Surveyed s)) return;
        h.createUpdate("""
                        INSERT INTO survey_result (enterprise_id, call_id, queue, agent_user_id, started_at, ended_at, result, score, reason)
                        VALUES (:e, :c, :q, :a, :s, :at, :r, :score, :reason)""")
                .bind("e", s.enterpriseId()).bind("c", s.callId()).bind("q", s.queue()).bind("a", s.agentUserId())
                .bind("s", Timestamp.from(s.startedAt() != null ? s.startedAt() : s.at())).bind("at", Timestamp.from(s.at()))
                .bind("r", s.result()).bind("score", s.score()).bind("reason", s.reason()).execute();
    }

    /** Surveyed calls of one key (queue, or agent id as text), unit, score and reason (null: none given). */
    record Count(String key, long unit, Integer score, Integer reason, long calls) {}

    /**
     * The results of calls surveyed in [from, to) counted in the database by queue (or agent), unit of {@code seconds}
     * shifted by {@code shift} (see {@code Period.Unit}: unit k holds the instants whose (epoch second + shift) / seconds
     * is k), score and reason: a report reads a few rows per unit, not every surveyed call.
     */
    static List<Count> counts(Handle h, long enterpriseId, Instant from, Instant to, String queue, Long agentUserId, boolean byAgent,
                              long seconds, long shift) {
        String unit = "CAST(FLOOR((EXTRACT(EPOCH FROM started_at) + " + shift + ") / " + seconds + ") AS BIGINT)";
        return h.createQuery("SELECT " + (byAgent ? "agent_user_id" : "queue") + ", " + unit + ", score, reason, COUNT(*) FROM survey_result"
                        + " WHERE enterprise_id = :e AND started_at >= :from AND started_at < :to"
                        + (queue == null ? "" : " AND queue = :q") + (agentUserId == null ? "" : " AND agent_user_id = :a")
                        + " GROUP BY 1, 2, 3, 4")
                .bind("e", enterpriseId).bind("from", Timestamp.from(from)).bind("to", Timestamp.from(to))
                .bind("q", queue).bind("a", agentUserId)
                .map((rs, c) -> {
                    int score = rs.getInt(3);
                    Integer sc = rs.wasNull() ? null : score;
                    int reason = rs.getInt(4);
                    Integer re = rs.wasNull() ? null : reason;
                    return new Count(rs.getString(1), rs.getLong(2), sc, re, rs.getLong(5));
                }).list();
    }

    /** The results of the given calls served by {@code agentUserId} (the desk's call history). */
    static List<Result> ofAgentCalls(Handle h, long enterpriseId, long agentUserId, List<String> callIds) {
        if (callIds.isEmpty()) return List.of();
        return h.createQuery("SELECT call_id, queue, agent_user_id, started_at, ended_at, result, score, reason FROM survey_result"
                        + " WHERE enterprise_id = :e AND agent_user_id = :a AND call_id IN (<calls>) ORDER BY started_at")
                .bind("e", enterpriseId).bind("a", agentUserId).bindList("calls", callIds)
                .map((rs, c) -> result(rs)).list();
    }

    private static Result result(java.sql.ResultSet rs) throws java.sql.SQLException {
        int score = rs.getInt("score");
        Integer s = rs.wasNull() ? null : score;
        int reason = rs.getInt("reason");
        Integer r = rs.wasNull() ? null : reason;
        return new Result(rs.getString("call_id"), rs.getString("queue"), rs.getLong("agent_user_id"),
                rs.getTimestamp("started_at").toInstant(), rs.getTimestamp("ended_at").toInstant(), rs.getString("result"), s, r);
    }
}
