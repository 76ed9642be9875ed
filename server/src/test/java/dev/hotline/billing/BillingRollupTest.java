package dev.hotline.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.store.Database;
import dev.hotline.testing.TestDatabases;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * RPT-5 day and month roll-ups (issue 15), a property: whatever charges are stored, rated again one by one, or re-rated by
 * range after a rate change, the totals read through the roll-ups ({@link ChargeDays#sums}: whole months from
 * {@code charge_month}, the other whole days from {@code charge_day}, the ends from {@code call_charge}) equal the same sums over
 * {@code call_charge} alone, by every grouping, for random ranges of whole months, whole days, partial days and within one
 * day; every month row equals its days' rows added up; and after the whole roll-up is built again (a start in another zone,
 * then back) the same holds. Seeded; the days are Berlin's, February to May 2026, across the change to summer time (a
 * 23-hour day).
 */
class BillingRollupTest {
    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    static final LocalDate FIRST = LocalDate.of(2026, 2, 17);
    static final Instant START = FIRST.atStartOfDay(ZONE).toInstant();
    static final int DAYS = 80;
    static final List<String> TRUNKS = List.of("alpha", "beta", "gamma"); // gamma has no rate table
    static final List<String> NUMBERS = List.of("0101", "0202", "9999", "0303");

    @Test
    void rollupTotalsAlwaysEqualTheChargesSums() {
        for (long seed : new long[] {1, 2, 3}) {
            try (Database db = new Database(TestDatabases.migrated(TestDatabases.Kind.H2), "", "")) {
                check(db.jdbi(), seed);
            }
        }
    }

    private static void check(Jdbi jdbi, long seed) {
        Random rnd = new Random(seed);
        long e = BillingTotalsTest.enterprise(jdbi, "a");
        long other = BillingTotalsTest.enterprise(jdbi, "b");
        List<Long> tables = new ArrayList<>();
        jdbi.useHandle(h -> {
            for (String t : TRUNKS) {
                long trunk = h.createUpdate("INSERT INTO trunk (enterprise_id, name, kind, host, port, transport) VALUES (:e, :n, 'ip', 'x', 5060, 'udp')")
                        .bind("e", e).bind("n", t).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
                if (!t.equals("gamma")) tables.add(BillingStore.insertTable(h, e, trunk, t.equals("alpha") ? "CNY" : "USD", rates(rnd)));
            }
        });
        List<Charge> stored = new ArrayList<>();
        int checks = 0;
        for (int op = 0; op < 700; op++) {
            int roll = rnd.nextInt(100);
            if (roll < 80 || stored.isEmpty()) {
                Instant at = START.plusSeconds(rnd.nextInt(DAYS * 86_400));
                String trunk = TRUNKS.get(rnd.nextInt(TRUNKS.size()));
                Long agent = rnd.nextInt(4) == 0 ? null : (long) (1 + rnd.nextInt(4));
                Long department = agent == null || rnd.nextBoolean() ? null : (long) (1 + rnd.nextInt(2));
                long owner = rnd.nextInt(10) == 0 ? other : e;
                Charge c = jdbi.withHandle(h -> {
                    Charge r = Charge.rate("call-" + rnd.nextLong(), "leg", trunk, NUMBERS.get(rnd.nextInt(NUMBERS.size())), at,
                            at.plusSeconds(rnd.nextInt(600)), agent, department, BillingStore.tableOfTrunk(h, owner, trunk));
                    ChargeDays.save(h, owner, ZONE, r);
                    return r;
                });
                if (owner == e) stored.add(c);
            } else if (roll < 88) { // a call rated again (the event log's transaction replayed), maybe another talk
                Charge c = stored.get(rnd.nextInt(stored.size()));
                int talk = rnd.nextInt(600);
                jdbi.useHandle(h -> ChargeDays.save(h, e, ZONE, Charge.rate(c.callId(), c.legId(), c.trunk(), c.number(), c.answeredAt(),
                        c.endedAt(), talk, c.agentUserId(), c.departmentId(), BillingStore.tableOfTrunk(h, e, c.trunk()))));
            } else if (roll < 94) { // a rate change, then a range rated again (in one transaction, as the API does)
                long table = tables.get(rnd.nextInt(tables.size()));
                Instant[] range = range(rnd);
                jdbi.useTransaction(h -> {
                    RateTable t = BillingStore.table(h, e, table).orElseThrow();
                    BillingStore.updateTable(h, e, table, t.trunkId(), rnd.nextBoolean() ? "CNY" : "EUR", rates(rnd));
                    CallRating.rerate(h, e, ZONE, range[0], range[1]);
                });
            } else {
                Instant[] range = range(rnd);
                jdbi.useHandle(h -> assertSame(h, e, range[0], range[1], seed));
                checks++;
            }
        }
        finalChecks(jdbi, e, seed);
        // The whole roll-up built again at a start in another zone, then back in the server's: still exact.
        assertThat(ChargeDays.rebuildIfZoneChanged(jdbi, ZoneId.of("UTC"))).isTrue();
        assertThat(ChargeDays.rebuildIfZoneChanged(jdbi, ZONE)).isTrue();
        finalChecks(jdbi, e, seed);
        assertThat(checks).isPositive();
        for (String table : List.of("charge_day", "charge_month")) {
            long rows = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE enterprise_id = :e").bind("e", e)
                    .mapTo(Long.class).one());
            assertThat(rows).as("the roll-up %s has rows", table).isPositive();
        }
    }

    /** Every third day, the whole-day range ending on it, partial days, whole months, the whole span; months equal their days. */
    private static void finalChecks(Jdbi jdbi, long e, long seed) {
        jdbi.useHandle(h -> {
            for (int d = 0; d < DAYS; d += 3) { // every third day (80 days, twice, times 3 seeds)
                Instant from = day(d);
                assertSame(h, e, from, day(d + 1), seed);
                assertSame(h, e, day(0), day(d + 1), seed);
                assertSame(h, e, from.plusSeconds(3600), day(d + 2).minusSeconds(1), seed);
            }
            assertSame(h, e, START.minusSeconds(86_400), day(DAYS + 1), seed);
            for (int m = 0; m < 4; m++) {
                LocalDate month = LocalDate.of(2026, 2 + m, 1);
                Instant from = month.atStartOfDay(ZONE).toInstant();
                assertSame(h, e, from, month.plusMonths(1).atStartOfDay(ZONE).toInstant(), seed);
                assertSame(h, e, from, month.plusMonths(2).atStartOfDay(ZONE).toInstant().plusSeconds(7_000), seed);
                assertSame(h, e, from.minusSeconds(5_000), month.plusMonths(3).atStartOfDay(ZONE).toInstant(), seed);
            }
            // Each month row is its days' rows added up (by the whole key).
            String key = "trunk, agent_user_id, department_id, currency, direction";
            String days = "SELECT %s, SUM(legs), SUM(unrated_legs), SUM(talk_seconds), SUM(billed_seconds), SUM(amount) FROM charge_day"
                    .formatted(key) + " WHERE enterprise_id = :e AND local_day >= :d0 AND local_day < :d1 GROUP BY " + key;
            String months = "SELECT %s, legs, unrated_legs, talk_seconds, billed_seconds, amount FROM charge_month".formatted(key)
                    + " WHERE enterprise_id = :e AND local_month = :d0";
            for (int m = 0; m < 4; m++) {
                LocalDate month = LocalDate.of(2026, 2 + m, 1);
                assertThat(rows(h, months, e, month)).as("seed %d, month %s", seed, month).isEqualTo(rows(h, days, e, month));
            }
        });
    }

    /** The rows of {@code sql} for a month as text, without those that count no leg, sorted. */
    private static List<String> rows(Handle h, String sql, long e, LocalDate month) {
        return h.createQuery(sql).bind("e", e).bind("d0", month.toEpochDay()).bind("d1", month.plusMonths(1).toEpochDay())
                .map((rs, c) -> rs.getLong(6) == 0 ? null : rs.getString(1) + " " + rs.getLong(2) + " " + rs.getLong(3) + " " + rs.getString(4)
                        + " " + rs.getString(5) + " " + rs.getLong(6) + " " + rs.getLong(7) + " " + rs.getLong(8) + " " + rs.getLong(9) + " "
                        + rs.getBigDecimal(10).setScale(Rate.SCALE))
                .list().stream().filter(java.util.Objects::nonNull).sorted().toList();
    }

    private static Instant day(int d) {
        return FIRST.plusDays(d).atStartOfDay(ZONE).toInstant();
    }

    /**
     * A random range: whole local days, or random instants (partial days at both ends, up to 50 days: whole months inside some),
     * or a piece of one day, or from a month's first day to another's (whole months), maybe with partial days at the ends.
     */
    private static Instant[] range(Random rnd) {
        int kind = rnd.nextInt(4);
        if (kind == 3) {
            LocalDate a = LocalDate.of(2026, 2 + rnd.nextInt(3), 1);
            LocalDate b = a.plusMonths(1 + rnd.nextInt(3));
            long ends = rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(86_400);
            return new Instant[] {a.atStartOfDay(ZONE).toInstant().minusSeconds(ends), b.atStartOfDay(ZONE).toInstant().plusSeconds(ends)};
        }
        if (kind == 0) {
            int a = rnd.nextInt(DAYS);
            return new Instant[] {day(a), day(a + 1 + rnd.nextInt(DAYS - a))};
        }
        Instant a = START.minusSeconds(86_400).plusSeconds(rnd.nextInt((DAYS + 1) * 86_400));
        long span = kind == 1 ? 1 + rnd.nextInt(50 * 86_400) : 1 + rnd.nextInt(6 * 3600);
        return new Instant[] {a, a.plus(Duration.ofSeconds(span))};
    }

    private static List<Rate> rates(Random rnd) {
        return List.of(rate(rnd, "01"), rate(rnd, "02"), rate(rnd, "0"));
    }

    private static Rate rate(Random rnd, String prefix) {
        int[][] increments = {{60, 60}, {6, 6}, {1, 1}, {30, 6}};
        int[] inc = increments[rnd.nextInt(increments.length)];
        return new Rate(0, prefix, null, BigDecimal.valueOf(rnd.nextInt(200), 2), inc[0], inc[1], BigDecimal.valueOf(rnd.nextInt(20), 2));
    }

    private static void assertSame(Handle h, long e, Instant from, Instant to, long seed) {
        for (BillingReports.By by : BillingReports.By.values()) {
            List<String> viaRollup = sorted(ChargeDays.sums(h, e, ZONE, by, from, to));
            List<String> direct = sorted(BillingStore.sums(h, e, by.column, from, to));
            assertThat(viaRollup).as("seed %d, by %s, [%s, %s)", seed, by, from, to).isEqualTo(direct);
        }
    }

    private static List<String> sorted(List<BillingStore.GroupSum> sums) {
        return sums.stream().map(g -> g.id() + " " + g.currency() + " " + g.calls() + " " + g.unrated() + " " + g.talkSeconds() + " "
                + g.billedSeconds() + " " + g.amount().setScale(Rate.SCALE)).sorted().toList();
    }
}
