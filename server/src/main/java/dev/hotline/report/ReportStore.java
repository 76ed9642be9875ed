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

    record QueueSlot(String queue, long slot, QueueFigures figures) {}

    record OfferSlot(long agent, long slot, long offered, long answered, long missed) {}

    record HandleSlot(long agent, long slot, long transfers, long talkMs, long holdMs, long wrapMs) {}

    record LostSlot(long slot, String disposition, String queue, long calls) {}

    record AgentEvent(long userId, Instant at, String state, String reason) {}

    record AgentName(long id, String name, String jobNumber) {}

    /** Queue visits of the range by queue and slot; {@code agent} keeps the visits that agent answered. */
    static List<QueueSlot> queueSlots(Handle h, long enterpriseId, Period p, String queue, Long agent, Map<String, QueueTargets> targets) {
        // The queues' thresholds in one CASE each, bound as parameters (queue names are never SQL).
        StringBuilder sl = new StringBuilder("CASE queue");
        StringBuilder shortAb = new StringBuilder("CASE queue");
        Map<String, Object> binds = new LinkedHashMap<>();
        int i = 0;
        for (var t : targets.entrySet()) {
            sl.append(" WHEN :q").append(i).append(" THEN :sl").append(i);
            shortAb.append(" WHEN :q").append(i).append(" THEN :sa").append(i);
            binds.put("q" + i, t.getKey());
            binds.put("sl" + i, t.getValue().serviceLevelSeconds() * 1000L);
            binds.put("sa" + i, t.getValue().shortAbandonSeconds() * 1000L);
            i++;
        }
        sl.append(" ELSE :sldef END");
        shortAb.append(" ELSE :sadef END");
        String sql = """
                SELECT queue, slot, COUNT(*) AS offered,
                    SUM(CASE WHEN result = 'answered' THEN 1 ELSE 0 END) AS answered,
                    SUM(CASE WHEN result = 'answered' AND wait_ms <= %1$s THEN 1 ELSE 0 END) AS in_target,
                    SUM(CASE WHEN result = 'abandoned' THEN 1 ELSE 0 END) AS abandoned,
                    SUM(CASE WHEN result = 'abandoned' AND wait_ms < %2$s THEN 1 ELSE 0 END) AS short_abandoned,
                    SUM(CASE WHEN result = 'abandoned' AND reason = 'ringing' THEN 1 ELSE 0 END) AS abandoned_ringing,
                    SUM(CASE WHEN result = 'overflow' THEN 1 ELSE 0 END) AS overflowed,
                    SUM(CASE WHEN result = 'voicemail' THEN 1 ELSE 0 END) AS voicemail,
                    SUM(CASE WHEN result = 'callback' THEN 1 ELSE 0 END) AS callback,
                    SUM(CASE WHEN result IS NULL THEN 1 ELSE 0 END) AS waiting,
                    SUM(CASE WHEN result = 'answered' THEN wait_ms ELSE 0 END) AS answer_wait,
                    SUM(CASE WHEN result = 'abandoned' THEN wait_ms ELSE 0 END) AS abandon_wait,
                    MAX(COALESCE(wait_ms, 0)) AS longest_wait,
                    SUM(talk_ms) AS talk, SUM(hold_ms) AS hold, SUM(wrap_ms) AS wrap, SUM(transfers) AS transfers
                FROM queue_visit
                WHERE enterprise_id = :e AND slot >= :s0 AND slot < :s1%3$s%4$s
                GROUP BY queue, slot""".formatted(sl, shortAb, queue == null ? "" : " AND queue = :queue",
                agent == null ? "" : " AND agent_user_id = :agent AND result = 'answered'");
        Query q = h.createQuery(sql).bind("e", enterpriseId).bind("s0", p.firstSlot()).bind("s1", p.endSlot())
                .bind("sldef", QueueTargets.DEFAULT.serviceLevelSeconds() * 1000L).bind("sadef", QueueTargets.DEFAULT.shortAbandonSeconds() * 1000L);
        binds.forEach(q::bind);
        if (queue != null) q.bind("queue", queue);
        if (agent != null) q.bind("agent", agent);
        return q.map((rs, c) -> new QueueSlot(rs.getString("queue"), rs.getLong("slot"), new QueueFigures(rs.getLong("offered"),
                rs.getLong("answered"), rs.getLong("in_target"), rs.getLong("abandoned"), rs.getLong("short_abandoned"),
                rs.getLong("abandoned_ringing"), rs.getLong("overflowed"), rs.getLong("voicemail"), rs.getLong("callback"),
                rs.getLong("waiting"), rs.getLong("answer_wait"), rs.getLong("abandon_wait"), rs.getLong("longest_wait"),
                rs.getLong("talk"), rs.getLong("hold"), rs.getLong("wrap"), rs.getLong("transfers")))).list();
    }

    /** Offers of the range by agent and slot. */
    static List<OfferSlot> offerSlots(Handle h, long enterpriseId, Period p, String queue, Long agent) {
        Query q = h.createQuery("""
                SELECT agent_user_id, slot, COUNT(*) AS offered,
                    SUM(CASE WHEN result = 'answered' THEN 1 ELSE 0 END) AS answered,
                    SUM(CASE WHEN result IN ('no_answer', 'busy', 'rejected', 'failed') THEN 1 ELSE 0 END) AS missed
                FROM queue_offer WHERE enterprise_id = :e AND slot >= :s0 AND slot < :s1%s%s
                GROUP BY agent_user_id, slot""".formatted(queue == null ? "" : " AND queue = :queue",
                        agent == null ? "" : " AND agent_user_id = :agent"))
                .bind("e", enterpriseId).bind("s0", p.firstSlot()).bind("s1", p.endSlot());
        if (queue != null) q.bind("queue", queue);
        if (agent != null) q.bind("agent", agent);
        return q.map((rs, c) -> new OfferSlot(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5))).list();
    }

    /** Handling of answered queue calls of the range by agent and slot (of the caller's joining). */
    static List<HandleSlot> handleSlots(Handle h, long enterpriseId, Period p, String queue, Long agent) {
        Query q = h.createQuery("""
                SELECT agent_user_id, slot, SUM(transfers), SUM(talk_ms), SUM(hold_ms), SUM(wrap_ms)
                FROM queue_visit WHERE enterprise_id = :e AND slot >= :s0 AND slot < :s1 AND result = 'answered'%s%s
                GROUP BY agent_user_id, slot""".formatted(queue == null ? "" : " AND queue = :queue",
                        agent == null ? "" : " AND agent_user_id = :agent"))
                .bind("e", enterpriseId).bind("s0", p.firstSlot()).bind("s1", p.endSlot());
        if (queue != null) q.bind("queue", queue);
        if (agent != null) q.bind("agent", agent);
        return q.map((rs, c) -> new HandleSlot(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)))
                .list();
    }

    /** Inbound calls lost (the four ways) of the range by slot, way and queue. */
    static List<LostSlot> lostSlots(Handle h, long enterpriseId, Period p, String queue) {
        Query q = h.createQuery("""
                SELECT CAST(FLOOR(EXTRACT(EPOCH FROM started_at) / %d) AS BIGINT) AS slot, disposition, queue, COUNT(*)
                FROM call_record
                WHERE enterprise_id = :e AND direction = 'inbound' AND started_at >= :from AND started_at < :to
                    AND disposition IN ('abandoned_ivr', 'abandoned_queue', 'abandoned_ringing', 'unanswered')%s
                GROUP BY CAST(FLOOR(EXTRACT(EPOCH FROM started_at) / %d) AS BIGINT), disposition, queue"""
                        .formatted(ReportProjection.SLOT_SECONDS, queue == null ? "" : " AND queue = :queue", ReportProjection.SLOT_SECONDS))
                .bind("e", enterpriseId).bind("from", Timestamp.from(p.from())).bind("to", Timestamp.from(p.to()));
        if (queue != null) q.bind("queue", queue);
        return q.map((rs, c) -> new LostSlot(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4))).list();
    }

    /** Inbound calls of the range by slot (the enterprise summary's "inbound calls"). */
    static Map<Long, Long> inboundSlots(Handle h, long enterpriseId, Period p) {
        Map<Long, Long> out = new LinkedHashMap<>();
        h.createQuery("""
                        SELECT CAST(FLOOR(EXTRACT(EPOCH FROM started_at) / %d) AS BIGINT) AS slot, COUNT(*) FROM call_record
                        WHERE enterprise_id = :e AND direction = 'inbound' AND started_at >= :from AND started_at < :to
                        GROUP BY CAST(FLOOR(EXTRACT(EPOCH FROM started_at) / %d) AS BIGINT)"""
                        .formatted(ReportProjection.SLOT_SECONDS, ReportProjection.SLOT_SECONDS))
                .bind("e", enterpriseId).bind("from", Timestamp.from(p.from())).bind("to", Timestamp.from(p.to()))
                .map((rs, c) -> Map.entry(rs.getLong(1), rs.getLong(2))).forEach(en -> out.put(en.getKey(), en.getValue()));
        return out;
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
                ORDER BY user_id, at, id""".formatted(agent == null ? "" : " AND user_id = :agent"))
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
