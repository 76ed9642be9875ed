package dev.hotline.report;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * SQL of the reports. Each query reads a roll-up over its index on (enterprise, slot) and aggregates in the database to
 * one row per key and bucket of the period (or per key and unit where a period has more than {@link #MAX_SQL_BUCKETS}
 * buckets), so the rows read back are at most keys × buckets however many calls the range holds; {@link Reports} puts
 * them in the period's buckets.
 */
final class ReportStore {
    private ReportStore() {}

    record QueueUnit(String queue, long unit, QueueFigures figures) {}

    record AgentUnit(long agent, long unit, AgentFigures figures) {}

    /**
     * Inbound calls of a unit by way of loss; {@code callback}: call-back requests (not lost); {@code noAgents}, {@code full},
     * {@code maxWait}: those of {@code notAnswered} that their last queue sent on for that reason.
     */
    record CallUnit(long unit, long inbound, long leftIvr, long abandonedQueued, long abandonedRinging, long notAnswered, long callback,
                    long noAgents, long full, long maxWait) {}

    record AgentEvent(long userId, Instant at, String state, String reason) {}

    record AgentName(long id, String name, String jobNumber) {}

    /** The most buckets the database adds rows up to (see {@link #unitOf(Period, Period.Unit, long)}); more are added up here. */
    static final int MAX_SQL_BUCKETS = 128;

    /** The unit expression of a 15-minute or day roll-up (see {@link #unitOf(Period, Period.Unit, long)}). */
    static String unitOf(Period p, Period.Unit u) {
        return unitOf(p, u, ReportProjection.SLOT_SECONDS);
    }

    /**
     * The expression a roll-up's rows are grouped by: the unit of {@link Period.Unit} of the row's {@code slot} (a local day
     * when the unit is daily, else a slot of {@code rowSeconds}: 900 for the 15-minute tables, 3600 for agent_time_hour).
     * Where a bucket of the period holds several units (a month or week of days, a week of days or hours) it is instead
     * the first unit of the row's bucket, a CASE over the buckets' first rows (a binary search, at most
     * {@link #MAX_SQL_BUCKETS} buckets): the database adds a bucket's rows up itself and returns one row per key and
     * bucket, not one per key and unit. Either way {@link Period#bucketOfUnit} of the value is the row's bucket. Whole
     * numbers computed here, never text from a request.
     */
    static String unitOf(Period p, Period.Unit u, long rowSeconds) {
        String plain = u.daily() ? "slot" : "((slot * " + rowSeconds + " + " + u.shift() + ") / " + u.seconds() + ")";
        List<long[]> starts = new ArrayList<>(); // per bucket: its first row and its first unit
        for (Instant a = p.from(); a.isBefore(p.to()); a = p.nextBucketStart(p.bucket(a))) {
            if (starts.size() == MAX_SQL_BUCKETS) return plain;
            starts.add(u.daily() ? new long[] {p.dayOf(a), p.dayOf(a)}
                    : new long[] {Math.floorDiv(a.getEpochSecond(), rowSeconds), Math.floorDiv(a.getEpochSecond() + u.shift(), u.seconds())});
        }
        if (starts.isEmpty()) return plain;
        Instant last = p.to().minusNanos(1);
        long lastUnit = u.daily() ? p.dayOf(last) : Math.floorDiv(last.getEpochSecond() + u.shift(), u.seconds());
        if (lastUnit - starts.get(0)[1] + 1 <= starts.size()) return plain; // one unit per bucket: nothing to add up
        // A single bucket: an expression of the column, never a bare number (PostgreSQL reads GROUP BY 7 as a column position).
        return starts.size() == 1 ? "(slot * 0 + " + starts.get(0)[1] + ")" : bucketCase(starts, 0, starts.size() - 1);
    }

    private static String bucketCase(List<long[]> starts, int lo, int hi) {
        if (lo == hi) return String.valueOf(starts.get(lo)[1]);
        int mid = (lo + hi + 1) / 2;
        return "CASE WHEN slot < " + starts.get(mid)[0] + " THEN " + bucketCase(starts, lo, mid - 1) + " ELSE " + bucketCase(starts, mid, hi)
                + " END";
    }

    /** The roll-up table a unit reads: per 15-minute slot, or per day of the report zone. */
    private static String table(String stat, Period.Unit u) {
        return u.daily() ? stat.replace("_stat", "_day") : stat;
    }

    /** Where a period's rows of a roll-up are read: the table, the unit expression, and the rows [first, end) in its numbering. */
    record Source(String table, String unit, long first, long end) {}

    /**
     * The rows to read of the 15-minute roll-up {@code stat}: its day table when the unit is daily; its UTC hour table
     * ({@code hourTable}; null: none may be read) when {@link #hourly} allows it; else the 15-minute table.
     */
    static Source source(String stat, String hourTable, Period p, Period.Unit u) {
        if (u.daily()) return new Source(table(stat, u), unitOf(p, u), p.firstRow(u), p.endRow(u));
        if (hourTable != null && hourly(p, u)) {
            return new Source(hourTable, unitOf(p, u, 3600), p.from().getEpochSecond() / 3600, p.to().getEpochSecond() / 3600);
        }
        return new Source(stat, unitOf(p, u), p.firstRow(u), p.endRow(u));
    }

    /** Queue figures of the range by queue and unit, from the queue_stat roll-up. */
    static List<QueueUnit> queueUnits(Handle h, long enterpriseId, Period p, Period.Unit u, String queue) {
        Source rows = source("queue_stat", "queue_hour", p, u);
        Query q = h.createQuery("""
                SELECT queue, %1$s AS u, SUM(offered), SUM(answered), SUM(answered_in_target), SUM(abandoned), SUM(short_abandoned),
                    SUM(abandoned_ringing), SUM(overflowed), SUM(voicemail), SUM(callback), SUM(answer_wait_ms), SUM(abandon_wait_ms),
                    MAX(longest_wait_ms), SUM(talk_ms), SUM(hold_ms), SUM(wrap_ms), SUM(transfers)
                FROM %3$s WHERE enterprise_id = :e AND slot >= :s0 AND slot < :s1%2$s
                GROUP BY queue, %1$s""".formatted(rows.unit(), queue == null ? "" : " AND queue = :queue", rows.table()))
                .bind("e", enterpriseId).bind("s0", rows.first()).bind("s1", rows.end());
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

    /**
     * Agents' offers and handling of the range by agent (or all agents as one, 0: {@code perAgent} false) and unit, from
     * agent_stat (or its day table, or agent_hour, which has no queue: not when a queue filters).
     */
    static List<AgentUnit> agentUnits(Handle h, long enterpriseId, Period p, Period.Unit u, String queue, Long agent, Set<Long> agents,
                                      boolean perAgent) {
        Source rows = source("agent_stat", queue == null ? "agent_hour" : null, p, u);
        if (perAgent && rows.unit().equals(PER_ROW)) return agentDays(h, enterpriseId, rows, queue, agent, agents);
        Query q = h.createQuery("""
                SELECT %6$s, %1$s AS u, SUM(offered), SUM(answered), SUM(missed), SUM(transfers), SUM(talk_ms), SUM(hold_ms),
                    SUM(wrap_ms)
                FROM %4$s WHERE enterprise_id = :e AND slot >= :s0 AND slot < :s1%2$s%3$s%5$s
                GROUP BY %7$s%1$s""".formatted(rows.unit(), queue == null ? "" : " AND queue = :queue",
                        agent == null ? "" : " AND agent_user_id = :agent", rows.table(), among("agent_user_id", agents),
                        perAgent ? "agent_user_id" : "0", perAgent ? "agent_user_id, " : ""))
                .bind("e", enterpriseId).bind("s0", rows.first()).bind("s1", rows.end());
        if (queue != null) q.bind("queue", queue);
        if (agent != null) q.bind("agent", agent);
        return q.map((rs, c) -> new AgentUnit(rs.getLong(1), rs.getLong(2), new AgentFigures(rs.getLong(3), rs.getLong(4), rs.getLong(5),
                rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), 0, 0, 0, 0, 0, 0, Map.of()))).list();
    }

    /**
     * The unit expression {@link #unitOf} gives when a row's slot is its unit (one local day per unit, from a day table): a
     * group of a key and that unit is the rows of one primary key, or (agent_day, keyed by queue too) rows next to each
     * other in its order.
     */
    static final String PER_ROW = "slot";

    /**
     * {@link #agentUnits} per agent and local day (a day table, each day its own unit: a year by day): the rows in the order of
     * agent_day's key (enterprise, day, agent, queue), each agent's day (one row per queue) added up as the rows come. No
     * GROUP BY: on H2 it put the ~5 rows of every agent and day in a tree of groups and added them up as NUMERIC values,
     * most of the year by day's time.
     */
    private static List<AgentUnit> agentDays(Handle h, long enterpriseId, Source rows, String queue, Long agent, Set<Long> agents) {
        Query q = h.createQuery("""
                SELECT agent_user_id, slot, offered, answered, missed, transfers, talk_ms, hold_ms, wrap_ms
                FROM %s WHERE enterprise_id = :e AND slot >= :s0 AND slot < :s1%s%s%s
                ORDER BY enterprise_id, slot, agent_user_id""".formatted(rows.table(), queue == null ? "" : " AND queue = :queue",
                        agent == null ? "" : " AND agent_user_id = :agent", among("agent_user_id", agents)))
                .bind("e", enterpriseId).bind("s0", rows.first()).bind("s1", rows.end());
        if (queue != null) q.bind("queue", queue);
        if (agent != null) q.bind("agent", agent);
        List<AgentUnit> out = new ArrayList<>();
        long[] key = null;
        long[] sum = new long[7];
        try (var it = q.map((rs, c) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                rs.getLong(7), rs.getLong(8), rs.getLong(9)}).iterator()) {
            while (it.hasNext()) {
                long[] r = it.next();
                if (key != null && (key[0] != r[0] || key[1] != r[1])) {
                    out.add(agentDay(key, sum));
                    sum = new long[7];
                }
                key = r;
                for (int i = 0; i < 7; i++) sum[i] += r[2 + i];
            }
        }
        if (key != null) out.add(agentDay(key, sum));
        return out;
    }

    private static AgentUnit agentDay(long[] key, long[] s) {
        return new AgentUnit(key[0], key[1], new AgentFigures(s[0], s[1], s[2], s[3], s[4], s[5], s[6], 0, 0, 0, 0, 0, 0, Map.of()));
    }

    /** Inbound calls and the four ways of loss of the range by unit, from the call_stat roll-up. */
    static List<CallUnit> callUnits(Handle h, long enterpriseId, Period p, Period.Unit u, String queue) {
        Source rows = source("call_stat", "call_hour", p, u);
        Query q = h.createQuery("""
                SELECT %1$s AS u, SUM(inbound), SUM(left_ivr), SUM(abandoned_queued), SUM(abandoned_ringing), SUM(not_answered),
                    SUM(callback), SUM(overflow_no_agents), SUM(overflow_full), SUM(overflow_max_wait)
                FROM %3$s WHERE enterprise_id = :e AND slot >= :s0 AND slot < :s1%2$s
                GROUP BY %1$s""".formatted(rows.unit(), queue == null ? "" : " AND queue = :queue", rows.table()))
                .bind("e", enterpriseId).bind("s0", rows.first()).bind("s1", rows.end());
        if (queue != null) q.bind("queue", queue);
        return q.map((rs, c) -> new CallUnit(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10))).list();
    }

    record StateUnit(long agent, long unit, String state, String reason, long ms) {}

    /**
     * Agents' time in each state (and not-ready reason) of the range's closed states by agent (or all agents as one, 0) and
     * unit, from agent_time_day (whole days of the server's zone), agent_time_hour (see {@link #hourly}) or agent_time_stat.
     */
    static List<StateUnit> stateUnits(Handle h, long enterpriseId, Period p, Period.Unit u, Long agent, Set<Long> agents, boolean perAgent) {
        Source rows = source("agent_time_stat", "agent_time_hour", p, u);
        // Per agent and local day (a year by day) each group is one row of agent_time_day's key: read as it is, no GROUP BY.
        boolean perRow = perAgent && rows.unit().equals(PER_ROW);
        Query q = h.createQuery("""
                SELECT %5$s, %1$s AS u, state, reason, %7$s
                FROM %3$s WHERE enterprise_id = :e AND slot >= :s0 AND slot < :s1%2$s%4$s
                %6$s""".formatted(rows.unit(), agent == null ? "" : " AND agent_user_id = :agent",
                        rows.table(), among("agent_user_id", agents), perAgent ? "agent_user_id" : "0",
                        perRow ? "" : "GROUP BY " + (perAgent ? "agent_user_id, " : "") + rows.unit() + ", state, reason",
                        perRow ? "ms" : "SUM(ms)"))
                .bind("e", enterpriseId).bind("s0", rows.first()).bind("s1", rows.end());
        if (agent != null) q.bind("agent", agent);
        return q.map((rs, c) -> new StateUnit(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getLong(5))).list();
    }

    /**
     * Whether this range can be read from the UTC hour tables (agent_time_hour, V31; queue_hour, agent_hour, call_hour, V76):
     * units of whole hours that start on a whole UTC hour (zones whose offsets in the range are whole hours) and a range from
     * a whole hour to a whole hour. Otherwise (a zone of half-hour or 45-minute offset, a range cut at a quarter hour) the
     * 15-minute tables.
     */
    static boolean hourly(Period p, Period.Unit u) {
        return !u.daily() && u.seconds() % 3600 == 0 && u.shift() % 3600 == 0 && p.from().getEpochSecond() % 3600 == 0
                && p.to().getEpochSecond() % 3600 == 0 && p.from().getNano() == 0 && p.to().getNano() == 0;
    }

    /** The state each agent of the enterprise is in now (their latest change, not closed yet), from agent_state_now. */
    static List<AgentEvent> openStates(Handle h, long enterpriseId, Long agent, Set<Long> agents) {
        Query q = h.createQuery("SELECT user_id, at, state, reason FROM agent_state_now WHERE enterprise_id = :e"
                + (agent == null ? "" : " AND user_id = :agent") + among("user_id", agents)).bind("e", enterpriseId);
        if (agent != null) q.bind("agent", agent);
        return q.map((rs, c) -> new AgentEvent(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4))).list();
    }

    static Map<Long, AgentName> agentNames(Handle h, long enterpriseId) {
        Map<Long, AgentName> out = new LinkedHashMap<>();
        h.createQuery("SELECT id, display_name, job_number FROM app_user WHERE enterprise_id = :e").bind("e", enterpriseId)
                .map((rs, c) -> new AgentName(rs.getLong(1), rs.getString(2), rs.getString(3))).forEach(a -> out.put(a.id(), a));
        return out;
    }
    /** " AND col IN (ids)" for a set of user ids read from the database (whole numbers, never text from a request); "" for null. */
    private static String among(String col, Set<Long> ids) {
        if (ids == null) return "";
        if (ids.isEmpty()) return " AND 1 = 0";
        StringBuilder sb = new StringBuilder(" AND ").append(col).append(" IN (");
        int n = 0;
        for (long id : ids) sb.append(n++ == 0 ? "" : ", ").append(id);
        return sb.append(')').toString();
    }

    /** The users of a department and of all its sub-departments; empty if the enterprise has no such department. */
    static Optional<Set<Long>> departmentAgents(Handle h, long enterpriseId, long departmentId) {
        Map<Long, List<Long>> children = new HashMap<>();
        Set<Long> known = new HashSet<>();
        h.createQuery("SELECT id, parent_id FROM department WHERE enterprise_id = :e").bind("e", enterpriseId).map((rs, c) -> {
            long id = rs.getLong(1);
            Long parent = rs.getObject(2, Long.class);
            known.add(id);
            if (parent != null) children.computeIfAbsent(parent, k -> new ArrayList<>()).add(id);
            return id;
        }).list();
        if (!known.contains(departmentId)) return Optional.empty();
        Set<Long> departments = new HashSet<>();
        Deque<Long> todo = new ArrayDeque<>(List.of(departmentId));
        while (!todo.isEmpty()) {
            long d = todo.pop();
            if (departments.add(d)) todo.addAll(children.getOrDefault(d, List.of()));
        }
        Set<Long> users = new TreeSet<>();
        h.createQuery("SELECT id FROM app_user WHERE enterprise_id = :e AND department_id IS NOT NULL" + among("department_id", departments))
                .bind("e", enterpriseId).mapTo(Long.class).forEach(users::add);
        return Optional.of(users);
    }

    record NumberUnit(String number, long unit, long inbound, long answered, long abandoned, long notAnswered, long talkMs) {}

    /** Inbound calls of the range by number dialled and unit, from the number_stat roll-up. */
    static List<NumberUnit> numberUnits(Handle h, long enterpriseId, Period p, Period.Unit u, String number) {
        String unit = unitOf(p, u);
        Query q = h.createQuery("""
                SELECT number, %1$s AS u, SUM(inbound), SUM(answered), SUM(abandoned), SUM(not_answered), SUM(talk_ms)
                FROM %3$s WHERE enterprise_id = :e AND slot >= :s0 AND slot < :s1%2$s
                GROUP BY number, %1$s""".formatted(unit, number == null ? "" : " AND number = :number", table("number_stat", u)))
                .bind("e", enterpriseId).bind("s0", p.firstRow(u)).bind("s1", p.endRow(u));
        if (number != null) q.bind("number", number);
        return q.map((rs, c) -> new NumberUnit(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                rs.getLong(7))).list();
    }

    record ToleranceUnit(String queue, long unit, long[] answered, long[] abandoned) {}

    /** Answered and abandoned queue calls of the range by wait bucket, queue and unit, from the tolerance_stat roll-up. */
    static List<ToleranceUnit> toleranceUnits(Handle h, long enterpriseId, Period p, Period.Unit u, String queue) {
        String unit = unitOf(p, u);
        Query q = h.createQuery("""
                SELECT queue, %1$s AS u, SUM(a0), SUM(a1), SUM(a2), SUM(a3), SUM(a4), SUM(a5), SUM(a6),
                    SUM(x0), SUM(x1), SUM(x2), SUM(x3), SUM(x4), SUM(x5), SUM(x6)
                FROM %3$s WHERE enterprise_id = :e AND slot >= :s0 AND slot < :s1%2$s
                GROUP BY queue, %1$s""".formatted(unit, queue == null ? "" : " AND queue = :queue", table("tolerance_stat", u)))
                .bind("e", enterpriseId).bind("s0", p.firstRow(u)).bind("s1", p.endRow(u));
        if (queue != null) q.bind("queue", queue);
        return q.map((rs, c) -> {
            long[] a = new long[7];
            long[] x = new long[7];
            for (int i = 0; i < 7; i++) {
                a[i] = rs.getLong(3 + i);
                x[i] = rs.getLong(10 + i);
            }
            return new ToleranceUnit(rs.getString(1), rs.getLong(2), a, x);
        }).list();
    }

    record OutboundUnit(long agent, long unit, long calls, long answered, long talkMs) {}

    /** Outbound calls of the range by agent and unit, from the outbound_stat roll-up. */
    static List<OutboundUnit> outboundUnits(Handle h, long enterpriseId, Period p, Period.Unit u, Long agent, Set<Long> agents) {
        String unit = unitOf(p, u);
        Query q = h.createQuery("""
                SELECT agent_user_id, %1$s AS u, SUM(calls), SUM(answered), SUM(talk_ms)
                FROM %3$s WHERE enterprise_id = :e AND slot >= :s0 AND slot < :s1%2$s%4$s
                GROUP BY agent_user_id, %1$s""".formatted(unit, agent == null ? "" : " AND agent_user_id = :agent",
                        table("outbound_stat", u), among("agent_user_id", agents)))
                .bind("e", enterpriseId).bind("s0", p.firstRow(u)).bind("s1", p.endRow(u));
        if (agent != null) q.bind("agent", agent);
        return q.map((rs, c) -> new OutboundUnit(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5))).list();
    }

    /** One page of rows and how many there are in all. */
    record Page<T>(long total, List<T> items) {}

    /** An inbound call as the tracking report shows it. */
    record TrackedCall(String callId, Instant startedAt, Instant endedAt, String caller, String callee, String ivrPath, String queue,
                       Long waitMs, Long agent, String agentName, String agentJob, int talkSeconds, String disposition, String queueResult) {}

    /** A queue the call joined, in order. */
    record VisitStep(String callId, int seq, String queue, String result, String reason, Long waitMs, long talkMs) {}

    /**
     * Inbound calls of the period in start order, filtered by last queue, agent, number (called or calling) and disposition.
     * The page is read in the order of the index (enterprise_id, direction, started_at, call_id): no sort of the range. The
     * count comes from the call_stat roll-up when only the queue and the ways of loss filter it (as the unanswered report
     * counts), else from the index.
     */
    static Page<TrackedCall> inboundCalls(Handle h, long enterpriseId, Period p, Period.Unit u, String queue, Long agent, String number,
                                          List<ListReports.Outcome> outcomes, int limit, int offset) {
        StringBuilder among = new StringBuilder();
        if (outcomes != null) for (var o : outcomes) among.append(among.length() == 0 ? "" : " OR ").append('(').append(o.condition()).append(')');
        String where = " WHERE r.enterprise_id = :e AND r.direction = 'inbound' AND r.started_at >= :from AND r.started_at < :to"
                + (queue == null ? "" : " AND r.queue = :queue") + (agent == null ? "" : " AND r.agent_user_id = :agent")
                + (number == null ? "" : " AND (r.callee = :number OR r.caller = :number)")
                + (outcomes == null ? "" : " AND (" + among + ")");
        Query count = h.createQuery("SELECT COUNT(*) FROM call_record r" + where);
        Query items = h.createQuery("""
                SELECT r.call_id, r.started_at, r.ended_at, r.caller, r.callee, r.ivr_path, r.queue, r.wait_ms, r.agent_user_id,
                    r.agent_job, r.talk_seconds, r.disposition, r.queue_result
                FROM call_record r""" + where + " ORDER BY r.enterprise_id, r.direction, r.started_at, r.call_id LIMIT :limit OFFSET :offset")
                .bind("limit", limit).bind("offset", offset);
        for (Query q : List.of(count, items)) {
            q.bind("e", enterpriseId).bind("from", Timestamp.from(p.from())).bind("to", Timestamp.from(p.to()));
            if (queue != null) q.bind("queue", queue);
            if (agent != null) q.bind("agent", agent);
            if (number != null) q.bind("number", number);
        }
        boolean rolledUp = agent == null && number == null && (outcomes == null || outcomes.stream().allMatch(ListReports.Outcome::rolledUp));
        long total = rolledUp ? inboundCount(h, enterpriseId, p, u, queue, outcomes) : count.mapTo(Long.class).one();
        Map<Long, AgentName> names = new HashMap<>();
        List<TrackedCall> list = items.map((rs, c) -> new TrackedCall(rs.getString(1), rs.getTimestamp(2).toInstant(),
                rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                rs.getObject(8, Long.class), rs.getObject(9, Long.class), null, rs.getString(10), rs.getInt(11),
                rs.getString(12), rs.getString(13))).list();
        if (list.stream().anyMatch(c -> c.agent() != null)) names.putAll(agentNames(h, enterpriseId));
        List<TrackedCall> named = list.stream().map(c -> c.agent() == null || !names.containsKey(c.agent()) ? c
                : new TrackedCall(c.callId(), c.startedAt(), c.endedAt(), c.caller(), c.callee(), c.ivrPath(), c.queue(), c.waitMs(),
                        c.agent(), names.get(c.agent()).name(), c.agentJob(), c.talkSeconds(), c.disposition(), c.queueResult())).toList();
        return new Page<>(total, named);
    }

    /**
     * Inbound calls of the period (of a last queue; with {@code outcomes}, those of these ways of loss or call-back requests
     * only) from the call_stat roll-up, which counts every inbound call record by its start's slot.
     */
    static long inboundCount(Handle h, long enterpriseId, Period p, Period.Unit u, String queue, List<ListReports.Outcome> outcomes) {
        long n = 0;
        for (CallUnit c : callUnits(h, enterpriseId, p, u, queue)) {
            if (outcomes == null) {
                n += c.inbound();
                continue;
            }
            if (outcomes.contains(ListReports.Outcome.LEFT_IVR)) n += c.leftIvr();
            if (outcomes.contains(ListReports.Outcome.ABANDONED_QUEUED)) n += c.abandonedQueued();
            if (outcomes.contains(ListReports.Outcome.ABANDONED_RINGING)) n += c.abandonedRinging();
            if (outcomes.contains(ListReports.Outcome.NOT_ANSWERED)) n += c.notAnswered();
            if (outcomes.contains(ListReports.Outcome.CALLBACK)) n += c.callback();
        }
        return n;
    }

    /** The queue visits of these calls, by call then order. */
    static Map<String, List<VisitStep>> visits(Handle h, List<String> callIds) {
        Map<String, List<VisitStep>> out = new LinkedHashMap<>();
        if (callIds.isEmpty()) return out;
        h.createQuery("SELECT call_id, seq, queue, result, reason, wait_ms, talk_ms FROM queue_visit WHERE call_id IN (<ids>) ORDER BY call_id, seq")
                .bindList("ids", callIds)
                .map((rs, c) -> new VisitStep(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getObject(6, Long.class), rs.getLong(7)))
                .forEach(v -> out.computeIfAbsent(v.callId(), k -> new ArrayList<>()).add(v));
        return out;
    }

    /** One change of an agent's state and the time of their next change (null: none yet). */
    record StateChange(long id, long userId, Instant at, String state, String previous, String reason, String cause, Instant endedAt) {}

    /**
     * Agent state changes of [from, to) in time order, read in the order of the index (enterprise_id, at, id) (no sort of the
     * range), each with its end (the agent's next change, found by the (user_id, id) index).
     */
    static Page<StateChange> stateChanges(Handle h, long enterpriseId, Instant from, Instant to, Long agent, Set<Long> agents, int limit,
                                          int offset) {
        String where = " WHERE a.enterprise_id = :e AND a.at >= :from AND a.at < :to" + (agent == null ? "" : " AND a.user_id = :agent")
                + among("a.user_id", agents);
        Query count = h.createQuery("SELECT COUNT(*) FROM agent_event a" + where);
        Query items = h.createQuery("SELECT a.id, a.user_id, a.at, a.state, a.previous, a.reason, a.cause FROM agent_event a" + where
                + " ORDER BY a.enterprise_id, a.at, a.id LIMIT :limit OFFSET :offset")
                .bind("limit", limit).bind("offset", offset);
        for (Query q : List.of(count, items)) {
            q.bind("e", enterpriseId).bind("from", Timestamp.from(from)).bind("to", Timestamp.from(to));
            if (agent != null) q.bind("agent", agent);
        }
        long total = count.mapTo(Long.class).one();
        List<StateChange> list = new ArrayList<>();
        // Each change of the page ends at the agent's next one: a point query over the (user_id, id) index per row, all of
        // them in one statement (one round trip, however many rows the page has).
        List<StateChange> changes = items.map((rs, x) -> new StateChange(rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant(),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), null)).list();
        Map<Long, Instant> next = new HashMap<>();
        if (!changes.isEmpty()) {
            StringBuilder sql = new StringBuilder();
            for (StateChange c : changes) {
                sql.append(sql.length() == 0 ? "" : " UNION ALL ").append("(SELECT ").append(c.id())
                        .append(" AS k, at FROM agent_event WHERE user_id = ").append(c.userId()).append(" AND id > ").append(c.id())
                        .append(" ORDER BY id LIMIT 1)");
            }
            h.createQuery(sql.toString()).map((rs, x) -> Map.entry(rs.getLong(1), rs.getTimestamp(2).toInstant()))
                    .forEach(en -> next.put(en.getKey(), en.getValue()));
        }
        for (StateChange c : changes) {
            list.add(new StateChange(c.id(), c.userId(), c.at(), c.state(), c.previous(), c.reason(), c.cause(), next.get(c.id())));
        }
        return new Page<>(total, list);
    }

    /**
     * The dispositions of a lost inbound call (the unanswered report's four ways of loss) and of a call-back request
     * (unanswered with queue result callback): the rows of the lost callers report.
     */
    static final List<String> LOST = List.of("abandoned_ivr", "abandoned_queue", "abandoned_ringing", "unanswered");

    /**
     * For each (number, after) of {@code asked}, the first answered call of {@code direction} whose {@code column} (caller or
     * callee) is the number, started after {@code after}; all in one statement of one branch each. Only the number and the
     * time are in each branch's WHERE clause, so that the database walks the (enterprise_id, caller|callee, started_at) index
     * (a number has few calls); direction and disposition are checked here.
     */
    private static List<String> firstAnswered(Handle h, long enterpriseId, String column, String direction, List<String> numbers,
                                              List<Instant> after) {
        List<String> found = new ArrayList<>(Collections.nCopies(numbers.size(), (String) null));
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < numbers.size(); i++) {
            if (numbers.get(i) == null) continue;
            sql.append(sql.length() == 0 ? "" : " UNION ALL ").append("SELECT ").append(i).append(" AS k, call_id, direction, disposition, started_at")
                    .append(" FROM call_record WHERE enterprise_id = :e AND ").append(column).append(" = :n").append(i)
                    .append(" AND started_at > :a").append(i);
        }
        if (sql.length() == 0) return found;
        Query q = h.createQuery(sql + " ORDER BY k, started_at").bind("e", enterpriseId);
        for (int i = 0; i < numbers.size(); i++) {
            if (numbers.get(i) != null) q.bind("n" + i, numbers.get(i)).bind("a" + i, Timestamp.from(after.get(i)));
        }
        q.map((rs, c) -> new Object[] {rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4)}).forEach(r -> {
            int k = (int) r[0];
            if (found.get(k) == null && direction.equals(r[2]) && "answered".equals(r[3])) found.set(k, (String) r[1]);
        });
        return found;
    }

    /** A lost inbound call and the first later answered call that reached its caller (null: not called back). */
    record LostCall(String callId, Instant startedAt, String caller, String callee, String queue, String disposition, String queueResult,
                    String backCallId, Instant backAt, String backDirection, Long backAgent, String backAgentName) {}

    /**
     * Lost inbound calls of the period in start order (filtered by last queue and number), each with the first answered call
     * that started after it and reached the caller: an outbound call to the number or an inbound call from it (looked up by
     * the (enterprise_id, callee, started_at) and (enterprise_id, caller, started_at) indexes).
     */
    static Page<LostCall> lostCalls(Handle h, long enterpriseId, Period p, Period.Unit u, String queue, String number, int limit, int offset) {
        record Row(String callId, Instant at, String caller, String callee, String queue, String disposition, String queueResult, String out,
                   String in) {}
        // One walk per way of loss over the index (enterprise_id, disposition, started_at, call_id), each in its order (no sort
        // of the range): the first offset + limit of each, merged here in start order.
        String filter = " AND r.direction = 'inbound' AND r.started_at >= :from AND r.started_at < :to" + (queue == null ? "" : " AND r.queue = :queue")
                + (number == null ? "" : " AND (r.callee = :number OR r.caller = :number)");
        List<Row> found = new ArrayList<>();
        for (String disposition : LOST) {
            Query q = h.createQuery("SELECT r.call_id, r.started_at, r.caller, r.callee, r.queue, r.disposition, r.queue_result FROM call_record r"
                            + " WHERE r.enterprise_id = :e AND r.disposition = :d" + filter
                            + " ORDER BY r.enterprise_id, r.disposition, r.started_at, r.call_id LIMIT :n")
                    .bind("e", enterpriseId).bind("d", disposition).bind("from", Timestamp.from(p.from())).bind("to", Timestamp.from(p.to()))
                    .bind("n", offset + limit);
            if (queue != null) q.bind("queue", queue);
            if (number != null) q.bind("number", number);
            q.map((rs, c) -> new Row(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), null, null)).forEach(found::add);
        }
        found.sort(Comparator.comparing(Row::at).thenComparing(Row::callId));
        List<Row> page = found.subList(Math.min(offset, found.size()), Math.min(offset + limit, found.size()));
        long total;
        if (number == null) {
            total = inboundCount(h, enterpriseId, p, u, queue, ListReports.Outcome.LISTED);
        } else {
            Query count = h.createQuery("SELECT COUNT(*) FROM call_record r WHERE r.enterprise_id = :e AND r.disposition IN (<lost>)" + filter)
                    .bind("e", enterpriseId).bind("from", Timestamp.from(p.from())).bind("to", Timestamp.from(p.to())).bindList("lost", LOST)
                    .bind("number", number);
            if (queue != null) count.bind("queue", queue);
            total = count.mapTo(Long.class).one();
        }
        List<Row> rows = new ArrayList<>();
        // The first later answered call to (outbound) and from (inbound) each lost caller: a point query each over the callee
        // and caller indexes, for the page's rows only, one statement for each direction.
        List<String> callers = page.stream().map(Row::caller).toList();
        List<Instant> times = page.stream().map(Row::at).toList();
        List<String> outs = firstAnswered(h, enterpriseId, "callee", "outbound", callers, times);
        List<String> ins = firstAnswered(h, enterpriseId, "caller", "inbound", callers, times);
        for (int i = 0; i < page.size(); i++) {
            Row r = page.get(i);
            rows.add(new Row(r.callId(), r.at(), r.caller(), r.callee(), r.queue(), r.disposition(), r.queueResult(), outs.get(i), ins.get(i)));
        }
        List<String> backIds = new ArrayList<>();
        for (Row r : rows) {
            if (r.out() != null) backIds.add(r.out());
            if (r.in() != null) backIds.add(r.in());
        }
        record Back(String callId, Instant startedAt, Instant answeredAt, String direction, Long agent, String agentName) {}
        Map<String, Back> backs = new HashMap<>();
        if (!backIds.isEmpty()) {
            h.createQuery("""
                            SELECT b.call_id, b.started_at, b.answered_at, b.direction, u.id, u.display_name FROM call_record b
                            LEFT JOIN extension x ON x.enterprise_id = b.enterprise_id AND x.number = b.extension
                            LEFT JOIN app_user u ON u.enterprise_id = b.enterprise_id AND u.id = COALESCE(b.agent_user_id, x.user_id)
                            WHERE b.enterprise_id = :e AND b.call_id IN (<ids>)""").bind("e", enterpriseId).bindList("ids", backIds)
                    .map((rs, c) -> new Back(rs.getString(1), rs.getTimestamp(2).toInstant(),
                            rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getObject(5, Long.class),
                            rs.getString(6)))
                    .forEach(b -> backs.put(b.callId(), b));
        }
        List<LostCall> out = new ArrayList<>();
        for (Row r : rows) {
            Back o = r.out() == null ? null : backs.get(r.out());
            Back i = r.in() == null ? null : backs.get(r.in());
            Back b = o == null ? i : i == null ? o : (i.startedAt().isBefore(o.startedAt()) ? i : o);
            out.add(new LostCall(r.callId(), r.at(), r.caller(), r.callee(), r.queue(), r.disposition(), r.queueResult(), b == null ? null : b.callId(),
                    b == null ? null : b.answeredAt() != null ? b.answeredAt() : b.startedAt(), b == null ? null : b.direction(),
                    b == null ? null : b.agent(), b == null ? null : b.agentName()));
        }
        return new Page<>(total, out);
    }
}
