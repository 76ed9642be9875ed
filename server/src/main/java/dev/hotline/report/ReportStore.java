package dev.hotline.report;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * SQL of the reports. Each query aggregates in the database to (key, 15-minute slot) rows over an index on
 * (enterprise, slot), so the rows read back are at most keys × slots of the range however many calls it holds;
 * {@link Reports} adds slots up into the period's buckets.
 */
final class ReportStore {
    private ReportStore() {}

    record QueueUnit(String queue, long unit, QueueFigures figures) {}

    record AgentUnit(long agent, long unit, AgentFigures figures) {}

    record CallUnit(long unit, long inbound, long leftIvr, long abandonedQueued, long abandonedRinging, long notAnswered) {}

    record AgentEvent(long userId, Instant at, String state, String reason) {}

    record AgentName(long id, String name, String jobNumber) {}

    /** The unit expression of {@link Period.Unit} (whole numbers computed here, never from a request). */
    private static String unitOf(Period.Unit u) {
        return u.daily() ? "slot" : "((slot * " + ReportProjection.SLOT_SECONDS + " + " + u.shift() + ") / " + u.seconds() + ")";
    }

    /** The roll-up table a unit reads: per 15-minute slot, or per day of the report zone. */
    private static String table(String stat, Period.Unit u) {
        return u.daily() ? stat.replace("_stat", "_day") : stat;
    }

    /** Queue figures of the range by queue and unit, from the queue_stat roll-up. */
    static List<QueueUnit> queueUnits(Handle h, long enterpriseId, Period p, Period.Unit u, String queue) {
        String unit = unitOf(u);
        Query q = h.createQuery("""
                SELECT queue, %1$s AS u, SUM(offered), SUM(answered), SUM(answered_in_target), SUM(abandoned), SUM(short_abandoned),
                    SUM(abandoned_ringing), SUM(overflowed), SUM(voicemail), SUM(callback), SUM(answer_wait_ms), SUM(abandon_wait_ms),
                    MAX(longest_wait_ms), SUM(talk_ms), SUM(hold_ms), SUM(wrap_ms), SUM(transfers)
                FROM %4$s WHERE enterprise_id = :e AND slot >= :s0 AND slot < :s1%2$s
                GROUP BY queue, %1$s""".formatted(unit, queue == null ? "" : " AND queue = :queue", "", table("queue_stat", u)))
                .bind("e", enterpriseId).bind("s0", p.firstRow(u)).bind("s1", p.endRow(u));
        if (queue != null) q.bind("queue", queue);
        return q.map((rs, c) -> {
            long offered = rs.getLong(3);
            long[] r = new long[16];
            for (int i = 0; i < 16; i++) r[i] = rs.getLong(3 + i);
            long ended = r[1] + r[3] + r[6] + r[7] + r[8];
            return new QueueUnit(rs.getString(1), rs.getLong(2), new QueueFigures(offered, r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8],
                    offered - ended, r[9], r[10], r[11], r[12], r[13], r[14], r[15]));
        }).list();
    }

    /** Agents' offers and handling of the range by agent and unit, from the agent_stat roll-up. */
    static List<AgentUnit> agentUnits(Handle h, long enterpriseId, Period p, Period.Unit u, String queue, Long agent) {
        String unit = unitOf(u);
        Query q = h.createQuery("""
                SELECT agent_user_id, %1$s AS u, SUM(offered), SUM(answered), SUM(missed), SUM(transfers), SUM(talk_ms), SUM(hold_ms),
                    SUM(wrap_ms)
                FROM %4$s WHERE enterprise_id = :e AND slot >= :s0 AND slot < :s1%2$s%3$s
                GROUP BY agent_user_id, %1$s""".formatted(unit, queue == null ? "" : " AND queue = :queue",
                        agent == null ? "" : " AND agent_user_id = :agent", table("agent_stat", u)))
                .bind("e", enterpriseId).bind("s0", p.firstRow(u)).bind("s1", p.endRow(u));
        if (queue != null) q.bind("queue", queue);
        if (agent != null) q.bind("agent", agent);
        return q.map((rs, c) -> new AgentUnit(rs.getLong(1), rs.getLong(2), new AgentFigures(rs.getLong(3), rs.getLong(4), rs.getLong(5),
                rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), 0, 0, 0, 0, 0, 0, Map.of()))).list();
    }

    /** Inbound calls and the four ways of loss of the range by unit, from the call_stat roll-up. */
    static List<CallUnit> callUnits(Handle h, long enterpriseId, Period p, Period.Unit u, String queue) {
        String unit = unitOf(u);
        Query q = h.createQuery("""
                SELECT %1$s AS u, SUM(inbound), SUM(left_ivr), SUM(abandoned_queued), SUM(abandoned_ringing), SUM(not_answered)
                FROM %4$s WHERE enterprise_id = :e AND slot >= :s0 AND slot < :s1%2$s
                GROUP BY %1$s""".formatted(unit, queue == null ? "" : " AND queue = :queue", "", table("call_stat", u)))
                .bind("e", enterpriseId).bind("s0", p.firstRow(u)).bind("s1", p.endRow(u));
        if (queue != null) q.bind("queue", queue);
        return q.map((rs, c) -> new CallUnit(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6))).list();
    }

    /**
     * Agent state changes that shape [from, to): for each agent, the last change before {@code from} (the state they were in)
     * and every change in the range, in order.
     */
    static List<AgentEvent> agentEvents(Handle h, long enterpriseId, Instant from, Instant to, Long agent) {
        List<AgentEvent> out = new ArrayList<>();
        Query before = h.createQuery("""
                SELECT a.user_id, a.at, a.state, a.reason FROM agent_event a
                WHERE a.id IN (SELECT MAX(id) FROM agent_event WHERE enterprise_id = :e AND at < :from%s GROUP BY user_id)"""
                .formatted(agent == null ? "" : " AND user_id = :agent")).bind("e", enterpriseId).bind("from", Timestamp.from(from));
        if (agent != null) before.bind("agent", agent);
        before.map((rs, c) -> new AgentEvent(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4)))
                .forEach(out::add);
        Query in = h.createQuery("""
                SELECT user_id, at, state, reason FROM agent_event WHERE enterprise_id = :e AND at >= :from AND at < :to%s
                ORDER BY at, id""".formatted(agent == null ? "" : " AND user_id = :agent"))
                .bind("e", enterpriseId).bind("from", Timestamp.from(from)).bind("to", Timestamp.from(to));
        if (agent != null) in.bind("agent", agent);
        in.map((rs, c) -> new AgentEvent(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4)))
                .forEach(out::add);
        return out;
    }

    static Map<Long, AgentName> agentNames(Handle h, long enterpriseId) {
        Map<Long, AgentName> out = new LinkedHashMap<>();
        h.createQuery("SELECT id, display_name, job_number FROM app_user WHERE enterprise_id = :e").bind("e", enterpriseId)
                .map((rs, c) -> new AgentName(rs.getLong(1), rs.getString(2), rs.getString(3))).forEach(a -> out.put(a.id(), a));
        return out;
    }
}
