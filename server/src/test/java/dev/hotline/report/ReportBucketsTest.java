package dev.hotline.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.api.Test;

/**
 * The expression the reports group roll-up rows by ({@code ReportStore.unitOf}), run by the database over every row of
 * long and short periods in several zones: each row lands in its own bucket, and where a bucket holds several units (a
 * year by month, a quarter by week) the database returns one value per bucket, so it adds the rows up itself instead of
 * returning one row per unit for Java to add. Fails if a row is put in a wrong bucket or the adding up moves back to Java.
 */
class ReportBucketsTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @Test
    void everyRowIsGroupedInItsBucketAndBucketsAreAddedUpInTheDatabase() {
        Instant year = Instant.parse("2025-12-31T16:00:00Z"); // midnight in Shanghai
        Instant nextYear = Instant.parse("2026-12-31T16:00:00Z");
        Instant quarter = Instant.parse("2026-04-06T00:00:00Z");
        Instant quarterEnd = Instant.parse("2026-07-06T00:00:00Z");
        Jdbi jdbi = Jdbi.create("jdbc:h2:mem:buckets;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
        jdbi.useHandle(h -> {
            h.execute("CREATE TABLE r (slot BIGINT NOT NULL)");
            // Day rows of the server's zone (the _day tables): a year by month and by week, then by day (one unit a bucket).
            check(h, new Period(year, nextYear, SHANGHAI, Period.Grouping.MONTH), 0, 12, true);
            check(h, new Period(year, nextYear, SHANGHAI, Period.Grouping.WEEK), 0, 53, true);
            check(h, new Period(year, nextYear, SHANGHAI, Period.Grouping.DAY), 0, 365, false);
            // 15-minute rows: a quarter by week in UTC (days of a fixed zone), New York by month across the summer-time
            // change (local hours), Adelaide by week (half-hour offsets: slots), a month by week in Kolkata (+05:30), a day by hour
            // (one unit a bucket).
            check(h, new Period(quarter, quarterEnd, ZoneId.of("UTC"), Period.Grouping.WEEK), ReportProjection.SLOT_SECONDS, 13, true);
            check(h, new Period(Instant.parse("2026-02-01T05:00:00Z"), Instant.parse("2026-05-01T04:00:00Z"), ZoneId.of("America/New_York"),
                    Period.Grouping.MONTH), ReportProjection.SLOT_SECONDS, 3, true);
            check(h, new Period(Instant.parse("2026-03-29T13:30:00Z"), Instant.parse("2026-04-26T14:30:00Z"), ZoneId.of("Australia/Adelaide"),
                    Period.Grouping.WEEK), ReportProjection.SLOT_SECONDS, 4, true);
            check(h, new Period(Instant.parse("2026-05-31T18:30:00Z"), Instant.parse("2026-06-30T18:30:00Z"), ZoneId.of("Asia/Kolkata"),
                    Period.Grouping.WEEK), ReportProjection.SLOT_SECONDS, 5, true);
            check(h, new Period(quarter, quarter.plusSeconds(86400), ZoneId.of("UTC"), Period.Grouping.HOUR), ReportProjection.SLOT_SECONDS, 24, false);
            // A range cut at a quarter hour, one bucket of several units: still one value.
            check(h, new Period(quarter.plusSeconds(900), quarter.plusSeconds(3 * 86400 + 2700), ZoneId.of("UTC"), Period.Grouping.MONTH),
                    ReportProjection.SLOT_SECONDS, 1, true);
            // UTC hour rows (agent_time_hour): a quarter by week in UTC and in Shanghai.
            check(h, new Period(quarter, quarterEnd, ZoneId.of("UTC"), Period.Grouping.WEEK), 3600, 13, true);
            check(h, new Period(quarter.minusSeconds(8 * 3600), quarterEnd.minusSeconds(8 * 3600), SHANGHAI, Period.Grouping.WEEK), 3600, 13, true);
        });
    }

    /**
     * Rows of the period in the numbering {@code rowSeconds} gives (0: local days of the server's zone, else slots of that
     * many seconds) grouped by the report's expression: each row's value is in the row's own bucket, and there are
     * {@code buckets} values (one per bucket, when {@code grouped}; else one per unit, the unit being the bucket).
     */
    private static void check(org.jdbi.v3.core.Handle h, Period p, long rowSeconds, int buckets, boolean grouped) {
        Period.Unit u = rowSeconds == 0 ? p.unit(SHANGHAI) : p.unit();
        assertThat(u.daily()).as("%s reads day rows", p).isEqualTo(rowSeconds == 0);
        long first = rowSeconds == 0 ? p.firstRow(u) : Math.floorDiv(p.from().getEpochSecond(), rowSeconds);
        long end = rowSeconds == 0 ? p.endRow(u) : Math.floorDiv(p.to().getEpochSecond() - 1, rowSeconds) + 1;
        h.execute("DELETE FROM r");
        PreparedBatch b = h.prepareBatch("INSERT INTO r (slot) VALUES (:s)");
        for (long row = first; row < end; row++) b.bind("s", row).add();
        b.execute();
        String expr = ReportStore.unitOf(p, u, rowSeconds == 0 ? ReportProjection.SLOT_SECONDS : rowSeconds);
        assertThat(expr.contains("CASE") || expr.contains("* 0 +")).as("%s added up to buckets in SQL: %s", p, expr).isEqualTo(grouped);
        Set<Long> values = new HashSet<>();
        List<long[]> rows = h.createQuery("SELECT slot, " + expr + " FROM r ORDER BY slot")
                .map((rs, c) -> new long[] {rs.getLong(1), rs.getLong(2)}).list();
        assertThat(rows).hasSize((int) (end - first));
        for (long[] r : rows) {
            Instant rowStart = rowSeconds == 0 ? LocalDate.ofEpochDay(r[0]).atStartOfDay(SHANGHAI).toInstant() : Instant.ofEpochSecond(r[0] * rowSeconds);
            LocalDateTime want = p.bucket(rowStart.isBefore(p.from()) ? p.from() : rowStart);
            assertThat(p.bucketOfUnit(u, r[1])).as("%s row %d", p, r[0]).isEqualTo(want);
            values.add(r[1]);
        }
        assertThat(values).as("%s values", p).hasSize(buckets);
        // The database groups by it (PostgreSQL would read a bare number as a column position).
        assertThat(h.createQuery("SELECT COUNT(*) FROM (SELECT " + expr + " AS u, COUNT(*) FROM r GROUP BY " + expr + ") x")
                .mapTo(Long.class).one()).isEqualTo(buckets);
    }
}
