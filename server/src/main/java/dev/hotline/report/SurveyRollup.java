package dev.hotline.report;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The satisfaction survey roll-ups (V31, MSG-4): surveyed calls counted by the 15-minute slot the survey began in (and by
 * local day of the report zone), score and reason (0: none given), per queue ({@code survey_queue_stat/_day}) and per agent
 * ({@code survey_agent_stat/_day}). {@link ReportProjection} adds each survey event in its transaction (the same event
 * {@code survey.SurveyStore} writes to {@code survey_result}); at a start without them or in another zone they are built
 * from {@code survey_result}. The satisfaction reports read them instead of every surveyed call of the range.
 */
public final class SurveyRollup {
    private static final Logger log = LoggerFactory.getLogger(SurveyRollup.class);
    private static final String[] COLS = {"calls"};

    private SurveyRollup() {}

    /** Surveyed calls of one key (queue, or agent id as text), unit, score and reason (null: none given). */
    public record Count(String key, long unit, Integer score, Integer reason, long calls) {}

    /** The projection: a survey's result added to the four tables. */
    static void add(ReportProjection p, Handle h, CallLogEvent.Surveyed s) {
        long slot = ReportProjection.slot(s.startedAt() != null ? s.startedAt() : s.at());
        int score = s.score() == null ? 0 : s.score();
        int reason = s.reason() == null ? 0 : s.reason();
        p.add(h, "survey_queue_stat", List.of("enterprise_id", "slot", "queue", "score", "reason"),
                List.of(s.enterpriseId(), slot, s.queue(), score, reason), COLS, new long[] {1}, -1);
        p.add(h, "survey_agent_stat", List.of("enterprise_id", "slot", "agent_user_id", "score", "reason"),
                List.of(s.enterpriseId(), slot, s.agentUserId(), score, reason), COLS, new long[] {1}, -1);
    }

    /**
     * Counts of the range by queue (or agent), unit of {@code u} (day rows when it is daily, else slots added up in the
     * database to the unit; the first unit of the bucket where a bucket holds several, see {@code ReportStore.unitOf}), score
     * and reason; empty when the roll-ups do not hold the filter asked (an agent filter on the
     * per-queue report, a queue filter on the per-agent one): the caller counts survey_result then.
     */
    public static Optional<List<Count>> counts(Handle h, long enterpriseId, Period p, Period.Unit u, String queue, Long agent, boolean byAgent) {
        if (byAgent ? queue != null : agent != null) return Optional.empty();
        String key = byAgent ? "agent_user_id" : "queue";
        String table = (byAgent ? "survey_agent" : "survey_queue") + (u.daily() ? "_day" : "_stat");
        String unit = ReportStore.unitOf(p, u);
        // Each local day its own unit (a year by day): a group is one row of the day table's key, read as it is (no GROUP BY).
        boolean perRow = unit.equals(ReportStore.PER_ROW);
        Query q = h.createQuery("SELECT " + key + ", " + unit + " AS u, score, reason, " + (perRow ? "calls" : "SUM(calls)") + " FROM " + table
                        + " WHERE enterprise_id = :e AND slot >= :s0 AND slot < :s1"
                        + (queue == null ? "" : " AND queue = :q") + (agent == null ? "" : " AND agent_user_id = :a")
                        + (perRow ? "" : " GROUP BY " + key + ", " + unit + ", score, reason"))
                .bind("e", enterpriseId).bind("s0", p.firstRow(u)).bind("s1", p.endRow(u));
        if (queue != null) q.bind("q", queue);
        if (agent != null) q.bind("a", agent);
        return Optional.of(q.map((rs, c) -> {
            int score = rs.getInt(3);
            int reason = rs.getInt(4);
            return new Count(rs.getString(1), rs.getLong(2), score == 0 ? null : score, reason == 0 ? null : reason, rs.getLong(5));
        }).list());
    }

    private record Key(long enterpriseId, long slot, String key, int score, int reason) {}

    /**
     * Builds the four tables again from survey_result when survey_rollup_zone does not hold {@code zone} (first start with
     * V31, or the report zone changed); returns whether it did. One transaction.
     */
    static boolean rebuildIfZoneChanged(Jdbi jdbi, ZoneId zone) {
        return jdbi.inTransaction(h -> {
            Optional<String> kept = h.createQuery("SELECT zone_id FROM survey_rollup_zone").mapTo(String.class).findFirst();
            if (kept.isPresent() && kept.get().equals(zone.getId())) return false;
            long t0 = System.nanoTime();
            for (String t : new String[] {"survey_queue_stat", "survey_queue_day", "survey_agent_stat", "survey_agent_day"}) {
                h.createUpdate("DELETE FROM " + t).execute();
            }
            Map<Key, Long> queueSlots = new HashMap<>();
            Map<Key, Long> queueDays = new HashMap<>();
            Map<Key, Long> agentSlots = new HashMap<>();
            Map<Key, Long> agentDays = new HashMap<>();
            long[] n = {0};
            try (var rows = h.createQuery("SELECT enterprise_id, queue, agent_user_id, started_at, score, reason FROM survey_result")
                    .setFetchSize(10_000).map((rs, c) -> {
                        long slot = ReportProjection.slot(rs.getTimestamp(4).toInstant());
                        long day = Instant.ofEpochSecond(slot * ReportProjection.SLOT_SECONDS).atZone(zone).toLocalDate().toEpochDay();
                        long e = rs.getLong(1);
                        int score = rs.getInt(5);
                        int reason = rs.getInt(6);
                        queueSlots.merge(new Key(e, slot, rs.getString(2), score, reason), 1L, Long::sum);
                        queueDays.merge(new Key(e, day, rs.getString(2), score, reason), 1L, Long::sum);
                        agentSlots.merge(new Key(e, slot, String.valueOf(rs.getLong(3)), score, reason), 1L, Long::sum);
                        agentDays.merge(new Key(e, day, String.valueOf(rs.getLong(3)), score, reason), 1L, Long::sum);
                        return ++n[0];
                    }).iterator()) {
                rows.forEachRemaining(x -> { });
            }
            write(h, "survey_queue_stat", "queue", queueSlots);
            write(h, "survey_queue_day", "queue", queueDays);
            write(h, "survey_agent_stat", "agent_user_id", agentSlots);
            write(h, "survey_agent_day", "agent_user_id", agentDays);
            h.createUpdate("DELETE FROM survey_rollup_zone").execute();
            h.createUpdate("INSERT INTO survey_rollup_zone (zone_id) VALUES (:z)").bind("z", zone.getId()).execute();
            log.info("survey roll-up built from {} survey(s) in {} ms (zone {})", n[0], (System.nanoTime() - t0) / 1_000_000, zone);
            return true;
        });
    }

    private static void write(Handle h, String table, String keyColumn, Map<Key, Long> rows) {
        if (rows.isEmpty()) return;
        boolean agent = keyColumn.equals("agent_user_id");
        PreparedBatch b = h.prepareBatch("INSERT INTO " + table + " (enterprise_id, slot, " + keyColumn + ", score, reason, calls)"
                + " VALUES (:e, :slot, :k, :score, :reason, :calls)");
        int n = 0;
        for (var r : rows.entrySet()) {
            Key k = r.getKey();
            b.bind("e", k.enterpriseId()).bind("slot", k.slot()).bind("score", k.score()).bind("reason", k.reason()).bind("calls", r.getValue());
            if (agent) b.bind("k", Long.parseLong(k.key()));
            else b.bind("k", k.key());
            b.add();
            if (++n % 10_000 == 0) b.execute();
        }
        if (n % 10_000 != 0) b.execute();
    }
}
