package dev.hotline.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.hotline.store.Database;
import dev.hotline.testing.TestDatabases;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The UTC hour roll-ups of the queue, agent and call figures (V76: queue_hour, agent_hour, call_hour) against the 15-minute
 * ones and against the rows they count. Random seeded event logs ({@link ReportReconciliationTest}'s calls: answered after
 * a missed offer, holds, transfers, wrap-ups, abandons while queued and while ringing, overflows, voicemail, callbacks, callers
 * still waiting) written through the real event log give hour tables that hold, hour by hour, what the 15-minute tables hold
 * (agent_hour: all queues of an agent added up), and the queue, agent and inbound-call figures over the same days equal a
 * direct count of {@code queue_visit}, {@code queue_offer} and {@code call_record}, bucket by bucket, whichever table the
 * report reads: UTC and New York (whole-hour offsets: the hour tables), Asia/Kolkata (+05:30) and a range cut at a quarter
 * hour (the 15-minute tables), the server's zone by day (the day tables), an agents report of one queue (agent_stat). And V76
 * back-fills the hours of the calls recorded before it from their 15-minute rows.
 */
class HourRollupTest {
    private static final ZoneId SHANGHAI = ReportReconciliationTest.SHANGHAI;
    private static final Instant T0 = ReportReconciliationTest.T0;

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void hourRollupsEqualTheQuarterHoursAndTheRowsInEveryZone(TestDatabases.Kind kind) throws Exception {
        try (Database db = new Database(TestDatabases.migrated(kind), "", "")) {
            long e = EventLogTest.enterprise(db);
            Random rnd = new Random(76);
            EventLog log = new EventLog(db.jdbi(), Clock.systemUTC(), null, List.of(), (h, en) -> ReportReconciliationTest.TARGETS, SHANGHAI);
            List<ReportReconciliationTest.Expected> expected = new ArrayList<>();
            for (int i = 0; i < 400; i++) ReportReconciliationTest.generateCall(e, "h" + i, rnd, log, expected);
            assertThat(log.flush(120, TimeUnit.SECONDS)).isTrue();
            log.close();
            db.jdbi().useHandle(HourRollupTest::hoursEqualQuarterHours);

            Instant day0 = T0.minus(Duration.ofDays(1));
            List<Period> periods = List.of(
                    new Period(day0, day0.plus(Duration.ofDays(6)), ZoneId.of("UTC"), Period.Grouping.DAY),
                    new Period(day0, day0.plus(Duration.ofDays(6)), ZoneId.of("UTC"), Period.Grouping.WEEK),
                    new Period(T0, T0.plus(Duration.ofDays(2)), ZoneId.of("UTC"), Period.Grouping.HOUR),
                    new Period(day0.plus(Duration.ofHours(5)), day0.plus(Duration.ofDays(6)).plus(Duration.ofHours(5)), ZoneId.of("America/New_York"),
                            Period.Grouping.DAY),
                    new Period(day0.minus(Duration.ofMinutes(330)), day0.plus(Duration.ofDays(6)).minus(Duration.ofMinutes(330)),
                            ZoneId.of("Asia/Kolkata"), Period.Grouping.DAY),
                    new Period(day0.minus(Duration.ofMinutes(330)), day0.plus(Duration.ofDays(6)).minus(Duration.ofMinutes(330)),
                            ZoneId.of("Asia/Kolkata"), Period.Grouping.WEEK),
                    new Period(T0.plus(Duration.ofMinutes(45)), T0.plus(Duration.ofDays(2)).plus(Duration.ofMinutes(15)), ZoneId.of("UTC"),
                            Period.Grouping.DAY),
                    new Period(day0.minus(Duration.ofHours(8)), day0.plus(Duration.ofDays(6)).minus(Duration.ofHours(8)), SHANGHAI,
                            Period.Grouping.DAY));
            Set<String> read = new HashSet<>();
            for (Period p : periods) {
                Period.Unit u = p.unit(SHANGHAI);
                read.add(ReportStore.source("queue_stat", "queue_hour", p, u).table());
                read.add(ReportStore.source("agent_stat", "agent_hour", p, u).table());
                read.add(ReportStore.source("call_stat", "call_hour", p, u).table());
                // Shanghai by day, the server's zone: each day its own unit, agent_day added up per agent in key order (no GROUP BY).
                if (ReportStore.unitOf(p, u).equals(ReportStore.PER_ROW)) read.add("per-row");
                for (String queue : new String[] {null, "sales"}) {
                    var q = new Reports.Query(p, queue, null, T0.plus(Duration.ofDays(10)), SHANGHAI);
                    db.jdbi().useHandle(h -> {
                        assertThat(reported(Reports.queueFigures(h, e, q))).as("queues %s %s", p, queue).isNotEmpty()
                                .isEqualTo(counted(h, e, p, queue));
                        assertThat(volumes(Reports.agentFigures(h, e, q))).as("agents %s %s", p, queue).isNotEmpty()
                                .isEqualTo(offersAndHandling(h, e, p, queue));
                        assertThat(inbound(h, e, q)).as("inbound calls %s %s", p, queue).isNotEmpty().isEqualTo(calls(h, e, p, queue));
                    });
                }
            }
            assertThat(read).as("every kind of table read").contains("queue_hour", "agent_hour", "call_hour", "queue_stat", "agent_stat",
                    "call_stat", "queue_day", "agent_day", "call_day", "per-row");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void theMigrationBackFillsTheHoursOfCallsRecordedBeforeIt(TestDatabases.Kind kind) {
        String url = TestDatabases.fresh(kind);
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(url);
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("75").load().migrate();
            Jdbi.create(ds).useTransaction(h -> {
                long e = h.createUpdate("INSERT INTO enterprise (code, name, sip_domain, enabled, created_at) VALUES ('e1', 'E1', 'e1.hotline', TRUE, :at)")
                        .bind("at", Timestamp.from(Instant.now())).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
                Random rnd = new Random(75);
                long slot0 = ReportProjection.slot(T0);
                PreparedBatch qs = h.prepareBatch("INSERT INTO queue_stat (enterprise_id, slot, queue, offered, answered, abandoned, answer_wait_ms,"
                        + " longest_wait_ms, talk_ms, wrap_ms) VALUES (:e, :s, :q, :o, :a, :x, :w, :l, :t, :wr)");
                PreparedBatch as = h.prepareBatch("INSERT INTO agent_stat (enterprise_id, slot, agent_user_id, queue, offered, answered, missed,"
                        + " transfers, talk_ms, hold_ms, wrap_ms) VALUES (:e, :s, :a, :q, :o, :n, :m, :tr, :t, :hd, :wr)");
                PreparedBatch cs = h.prepareBatch("INSERT INTO call_stat (enterprise_id, slot, queue, inbound, left_ivr, abandoned_queued, not_answered,"
                        + " callback, overflow_full) VALUES (:e, :s, :q, :i, :l, :x, :n, :c, :f)");
                for (long s = slot0; s < slot0 + 4 * 30; s++) {
                    for (String queue : List.of("sales", "support")) {
                        if (rnd.nextInt(4) == 0) continue;
                        qs.bind("e", e).bind("s", s).bind("q", queue).bind("o", rnd.nextInt(20)).bind("a", rnd.nextInt(20)).bind("x", rnd.nextInt(5))
                                .bind("w", rnd.nextInt(100_000)).bind("l", rnd.nextInt(90_000)).bind("t", rnd.nextInt(1_000_000))
                                .bind("wr", rnd.nextInt(50_000)).add();
                        cs.bind("e", e).bind("s", s).bind("q", queue).bind("i", rnd.nextInt(20)).bind("l", rnd.nextInt(3)).bind("x", rnd.nextInt(3))
                                .bind("n", rnd.nextInt(3)).bind("c", rnd.nextInt(2)).bind("f", rnd.nextInt(2)).add();
                        for (long agent = 100; agent < 103; agent++) {
                            if (rnd.nextBoolean()) continue;
                            as.bind("e", e).bind("s", s).bind("a", agent).bind("q", queue).bind("o", rnd.nextInt(6)).bind("n", rnd.nextInt(5))
                                    .bind("m", rnd.nextInt(2)).bind("tr", rnd.nextInt(2)).bind("t", rnd.nextInt(600_000)).bind("hd", rnd.nextInt(30_000))
                                    .bind("wr", rnd.nextInt(60_000)).add();
                        }
                    }
                }
                qs.execute();
                as.execute();
                cs.execute();
            });
        }
        try (Database db = new Database(url, "", "")) {
            db.jdbi().useHandle(h -> {
                assertThat(h.createQuery("SELECT COUNT(*) FROM agent_hour").mapTo(Long.class).one()).as("hours back-filled").isPositive();
                hoursEqualQuarterHours(h);
            });
        }
    }

    /** The hour tables hold, hour by hour, the sums (and for the longest wait, the maximum) of the 15-minute tables. */
    static void hoursEqualQuarterHours(Handle h) {
        String queueCols = "offered, answered, answered_in_target, abandoned, short_abandoned, abandoned_ringing, overflowed, voicemail, callback,"
                + " answer_wait_ms, abandon_wait_ms, longest_wait_ms, talk_ms, hold_ms, wrap_ms, transfers";
        String agentCols = "offered, answered, missed, transfers, talk_ms, hold_ms, wrap_ms";
        String callCols = "inbound, left_ivr, abandoned_queued, abandoned_ringing, not_answered, callback, overflow_no_agents, overflow_full,"
                + " overflow_max_wait";
        same(h, "queue_stat", "queue_hour", "queue", queueCols);
        same(h, "agent_stat", "agent_hour", "agent_user_id", agentCols);
        same(h, "call_stat", "call_hour", "queue", callCols);
    }

    private static void same(Handle h, String quarterTable, String hourTable, String key, String cols) {
        StringBuilder sums = new StringBuilder();
        for (String c : cols.split(", ")) sums.append(", ").append(c.equals("longest_wait_ms") ? "MAX" : "SUM").append('(').append(c).append(')');
        int n = cols.split(", ").length;
        var fromQuarters = rows(h, "SELECT enterprise_id, slot / 4, " + key + sums + " FROM " + quarterTable + " GROUP BY enterprise_id, slot / 4, " + key, n);
        var fromHours = rows(h, "SELECT enterprise_id, slot, " + key + ", " + cols + " FROM " + hourTable, n);
        assertThat(fromHours).as(hourTable + " = " + quarterTable + " hour by hour").isNotEmpty().isEqualTo(fromQuarters);
    }

    private static Set<List<String>> rows(Handle h, String sql, int values) {
        return h.createQuery(sql).map((rs, c) -> {
            List<String> r = new ArrayList<>();
            for (int i = 1; i <= 3 + values; i++) r.add(i == 3 ? rs.getString(i) : String.valueOf(rs.getLong(i)));
            return r;
        }).set();
    }

    // ---------------------------------------------------------------- what the reports say, and the rows counted directly

    private static Map<LocalDateTime, Map<String, QueueFigures>> reported(Map<LocalDateTime, Map<String, QueueFigures>> figures) {
        Map<LocalDateTime, Map<String, QueueFigures>> out = new TreeMap<>();
        figures.forEach((b, m) -> out.put(b, new TreeMap<>(m)));
        return out;
    }

    /** Queue figures of the visits that joined in the period, by the bucket they joined in. */
    private static Map<LocalDateTime, Map<String, QueueFigures>> counted(Handle h, long e, Period p, String queue) {
        Map<LocalDateTime, Map<String, QueueFigures>> out = new TreeMap<>();
        h.createQuery("""
                        SELECT queue, joined_at, result, reason, wait_ms, talk_ms, hold_ms, wrap_ms, transfers, in_target, short_abandon
                        FROM queue_visit WHERE enterprise_id = :e AND joined_at >= :from AND joined_at < :to""")
                .bind("e", e).bind("from", Timestamp.from(p.from())).bind("to", Timestamp.from(p.to())).map((rs, c) -> {
                    String q = rs.getString(1);
                    if (queue != null && !queue.equals(q)) return 0;
                    String r = rs.getString(3) == null ? "" : rs.getString(3);
                    long wait = rs.getLong(5);
                    boolean ans = r.equals("answered");
                    boolean ab = r.equals("abandoned");
                    QueueFigures f = new QueueFigures(1, ans ? 1 : 0, rs.getBoolean(10) ? 1 : 0, ab ? 1 : 0, rs.getBoolean(11) ? 1 : 0,
                            ab && "ringing".equals(rs.getString(4)) ? 1 : 0, r.equals("overflow") ? 1 : 0, r.equals("voicemail") ? 1 : 0,
                            r.equals("callback") ? 1 : 0, r.isEmpty() ? 1 : 0, ans ? wait : 0, ab ? wait : 0, r.isEmpty() ? 0 : wait,
                            rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9));
                    out.computeIfAbsent(p.bucket(rs.getTimestamp(2).toInstant()), k -> new TreeMap<>()).merge(q, f, HourRollupTest::plusLongest);
                    return 0;
                }).list();
        return out;
    }

    /** {@link QueueFigures#plus} keeps the longest wait as the rows' maximum too (checked here, not assumed). */
    private static QueueFigures plusLongest(QueueFigures a, QueueFigures b) {
        QueueFigures s = a.plus(b);
        return new QueueFigures(s.offered(), s.answered(), s.answeredInTarget(), s.abandoned(), s.shortAbandoned(), s.abandonedRinging(),
                s.overflowed(), s.voicemail(), s.callback(), s.waiting(), s.answerWaitMs(), s.abandonWaitMs(),
                Math.max(a.longestWaitMs(), b.longestWaitMs()), s.talkMs(), s.holdMs(), s.wrapMs(), s.transfers());
    }

    /** The agents' volume (offers, answered, missed, transfers, talk, hold, wrap-up) by bucket and agent; time in states left out. */
    private static Map<LocalDateTime, Map<Long, List<Long>>> volumes(Map<LocalDateTime, Map<Long, AgentFigures>> figures) {
        Map<LocalDateTime, Map<Long, List<Long>>> out = new TreeMap<>();
        figures.forEach((b, m) -> m.forEach((agent, f) -> {
            List<Long> v = List.of(f.offered(), f.answered(), f.missed(), f.transfers(), f.talkMs(), f.holdMs(), f.wrapMs());
            if (v.stream().anyMatch(x -> x != 0)) out.computeIfAbsent(b, k -> new TreeMap<>()).put(agent, v);
        }));
        return out;
    }

    /** Offers by the bucket they were made in; the handling of answered visits by the bucket the caller joined in. */
    private static Map<LocalDateTime, Map<Long, List<Long>>> offersAndHandling(Handle h, long e, Period p, String queue) {
        Map<LocalDateTime, Map<Long, long[]>> sums = new TreeMap<>();
        h.createQuery("SELECT agent_user_id, offered_at, result, queue FROM queue_offer WHERE enterprise_id = :e AND offered_at >= :from AND offered_at < :to")
                .bind("e", e).bind("from", Timestamp.from(p.from())).bind("to", Timestamp.from(p.to())).map((rs, c) -> {
                    if (queue != null && !queue.equals(rs.getString(4))) return 0;
                    String r = rs.getString(3);
                    long[] v = sums.computeIfAbsent(p.bucket(rs.getTimestamp(2).toInstant()), k -> new TreeMap<>())
                            .computeIfAbsent(rs.getLong(1), k -> new long[7]);
                    v[0]++;
                    if ("answered".equals(r)) v[1]++;
                    if (List.of("no_answer", "busy", "rejected", "failed").contains(r)) v[2]++;
                    return 0;
                }).list();
        h.createQuery("""
                        SELECT agent_user_id, joined_at, transfers, talk_ms, hold_ms, wrap_ms, queue FROM queue_visit
                        WHERE enterprise_id = :e AND joined_at >= :from AND joined_at < :to AND result = 'answered' AND agent_user_id IS NOT NULL""")
                .bind("e", e).bind("from", Timestamp.from(p.from())).bind("to", Timestamp.from(p.to())).map((rs, c) -> {
                    if (queue != null && !queue.equals(rs.getString(7))) return 0;
                    long[] v = sums.computeIfAbsent(p.bucket(rs.getTimestamp(2).toInstant()), k -> new TreeMap<>())
                            .computeIfAbsent(rs.getLong(1), k -> new long[7]);
                    for (int i = 0; i < 4; i++) v[3 + i] += rs.getLong(3 + i);
                    return 0;
                }).list();
        Map<LocalDateTime, Map<Long, List<Long>>> out = new TreeMap<>();
        sums.forEach((b, m) -> m.forEach((agent, v) -> out.computeIfAbsent(b, k -> new TreeMap<>())
                .put(agent, List.of(v[0], v[1], v[2], v[3], v[4], v[5], v[6]))));
        return out;
    }

    /** Inbound calls and their ways of loss by bucket, as the summary, unanswered and list reports read them. */
    private static Map<LocalDateTime, List<Long>> inbound(Handle h, long e, Reports.Query q) {
        Map<LocalDateTime, long[]> sums = new TreeMap<>();
        Period.Unit u = q.unit();
        for (var c : ReportStore.callUnits(h, e, q.period(), u, q.queue())) {
            long[] v = sums.computeIfAbsent(q.period().bucketOfUnit(u, c.unit()), k -> new long[9]);
            long[] add = {c.inbound(), c.leftIvr(), c.abandonedQueued(), c.abandonedRinging(), c.notAnswered(), c.callback(), c.noAgents(),
                    c.full(), c.maxWait()};
            for (int i = 0; i < 9; i++) v[i] += add[i];
        }
        return asLists(sums);
    }

    /** Inbound call records that started in the period, by bucket: all, and each way of loss (and overflow reason) of their record. */
    private static Map<LocalDateTime, List<Long>> calls(Handle h, long e, Period p, String queue) {
        Map<LocalDateTime, long[]> sums = new TreeMap<>();
        h.createQuery("""
                        SELECT r.call_id, r.started_at, r.disposition, r.queue_result, r.queue FROM call_record r
                        WHERE r.enterprise_id = :e AND r.direction = 'inbound' AND r.started_at >= :from AND r.started_at < :to""")
                .bind("e", e).bind("from", Timestamp.from(p.from())).bind("to", Timestamp.from(p.to()))
                .map((rs, c) -> new String[] {rs.getString(1), rs.getTimestamp(2).toInstant().toString(), rs.getString(3), rs.getString(4),
                        rs.getString(5)})
                .list().forEach(r -> {
                    if (queue != null && !queue.equals(r[4])) return;
                    long[] v = sums.computeIfAbsent(p.bucket(Instant.parse(r[1])), k -> new long[9]);
                    v[0]++;
                    String d = r[2] == null ? "" : r[2];
                    switch (d) {
                        case "abandoned_ivr" -> v[1]++;
                        case "abandoned_queue" -> v[2]++;
                        case "abandoned_ringing" -> v[3]++;
                        case "unanswered" -> {
                            if ("callback".equals(r[3])) {
                                v[5]++;
                            } else {
                                v[4]++;
                                String overflow = r[4] == null ? null : ReportProjection.overflowReason(h, r[0]);
                                if (overflow != null) v[switch (overflow) {
                                    case "overflow_no_agents" -> 6;
                                    case "overflow_full" -> 7;
                                    default -> 8;
                                }]++;
                            }
                        }
                        default -> { }
                    }
                });
        return asLists(sums);
    }

    private static Map<LocalDateTime, List<Long>> asLists(Map<LocalDateTime, long[]> sums) {
        Map<LocalDateTime, List<Long>> out = new TreeMap<>();
        sums.forEach((b, v) -> {
            List<Long> l = new ArrayList<>();
            for (long x : v) l.add(x);
            out.put(b, l);
        });
        return out;
    }
}
