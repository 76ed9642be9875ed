package dev.hotline.billing;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The day roll-up of charges ({@code charge_day}, RPT-5, issue 15): per enterprise, local day in the server's zone, trunk,
 * agent, department, currency and direction (outbound, inbound), the legs (rated and unrated), talk and billed seconds and amount; and
 * the month roll-up ({@code charge_month}, V78) with the same key by local month. Every charge is added to both in the
 * transaction that stores it ({@link #save}); a re-rate builds the days it touches again from {@code call_charge}, then their
 * months from the days ({@link #rebuild}). Totals read whole months from the month roll-up, the other whole days from the day
 * roll-up and the partial days at a range's ends from {@code call_charge} ({@link #sums}), so they are exact for any range
 * and any zone, and a year reads 12 months' rows, not 365 days'.
 *
 * <p>Both writers first take the enterprise's billing lock ({@link #lock}): the event log's writer thread rating a call
 * and a re-rate from the API never interleave, so a day being rebuilt never misses or counts twice a charge stored meanwhile.
 */
final class ChargeDays {
    private ChargeDays() {}

    /**
     * Locks the enterprise's billing until the transaction ends: a write to its row that changes nothing (a non-key
     * update, which PostgreSQL's foreign-key checks do not wait for).
     */
    static void lock(Handle h, long enterpriseId) {
        h.createUpdate("UPDATE enterprise SET name = name WHERE id = :e").bind("e", enterpriseId).execute();
    }

    /** Stores a leg's charge (replacing an earlier rating of it) and keeps the day roll-up in step, in the caller's transaction. */
    static void save(Handle h, long enterpriseId, ZoneId zone, Charge c) {
        lock(h, enterpriseId);
        Optional<Charge> old = BillingStore.charge(h, enterpriseId, c.callId(), c.legId());
        old.ifPresent(o -> add(h, enterpriseId, zone, o, -1));
        BillingStore.saveCharge(h, enterpriseId, c);
        add(h, enterpriseId, zone, c, 1);
    }

    /** Adds ({@code sign} 1) or takes away (-1) one charge to its day's row and its month's row. */
    private static void add(Handle h, long enterpriseId, ZoneId zone, Charge c, int sign) {
        LocalDate day = c.answeredAt().atZone(zone).toLocalDate();
        addTo(h, Table.DAY, day.toEpochDay(), enterpriseId, c, sign);
        addTo(h, Table.MONTH, day.withDayOfMonth(1).toEpochDay(), enterpriseId, c, sign);
    }

    /** The two roll-ups: a row per local day, a row per local month (keyed by the day number of its first day). */
    private enum Table {
        DAY("charge_day", "local_day"), MONTH("charge_month", "local_month");

        final String name;
        final String period;

        Table(String name, String period) {
            this.name = name;
            this.period = period;
        }
    }

    private static void addTo(Handle h, Table table, long period, long enterpriseId, Charge c, int sign) {
        BigDecimal amount = c.amount() == null ? BigDecimal.ZERO : c.amount();
        if (sign < 0) amount = amount.negate();
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("e", enterpriseId);
        key.put("d", period);
        key.put("t", BillingStore.cut(c.trunk(), 64));
        key.put("a", c.agentUserId() == null ? 0L : c.agentUserId());
        key.put("dep", c.departmentId() == null ? 0L : c.departmentId());
        key.put("cur", c.currency() == null ? "" : c.currency());
        key.put("dir", c.direction());
        int updated = h.createUpdate("""
                UPDATE %s SET legs = legs + :n, rated_legs = rated_legs + :r, unrated_legs = unrated_legs + :u,
                    talk_seconds = talk_seconds + :talk, billed_seconds = billed_seconds + :billed, amount = amount + :amount
                WHERE enterprise_id = :e AND %s = :d AND trunk = :t AND agent_user_id = :a AND department_id = :dep AND currency = :cur
                    AND direction = :dir""".formatted(table.name, table.period))
                .bindMap(key).bind("n", sign).bind("r", c.rated() ? sign : 0).bind("u", c.rated() ? 0 : sign)
                .bind("talk", (long) sign * c.talkSeconds()).bind("billed", (long) sign * c.billedSeconds()).bind("amount", amount).execute();
        if (updated == 0) {
            h.createUpdate("""
                    INSERT INTO %s (enterprise_id, %s, trunk, agent_user_id, department_id, currency, direction, legs, rated_legs,
                        unrated_legs, talk_seconds, billed_seconds, amount)
                    VALUES (:e, :d, :t, :a, :dep, :cur, :dir, :n, :r, :u, :talk, :billed, :amount)""".formatted(table.name, table.period))
                    .bindMap(key).bind("n", sign).bind("r", c.rated() ? sign : 0).bind("u", c.rated() ? 0 : sign)
                    .bind("talk", (long) sign * c.talkSeconds()).bind("billed", (long) sign * c.billedSeconds()).bind("amount", amount).execute();
        }
    }

    /**
     * Builds again from {@code call_charge} the roll-up rows of every local day (in {@code zone}) that [from, to) touches;
     * the caller holds the billing lock.
     */
    static void rebuild(Handle h, long enterpriseId, ZoneId zone, Instant from, Instant to) {
        long first = from.atZone(zone).toLocalDate().toEpochDay();
        long last = to.minusNanos(1).atZone(zone).toLocalDate().toEpochDay();
        h.createUpdate("DELETE FROM charge_day WHERE enterprise_id = :e AND local_day >= :d0 AND local_day <= :d1")
                .bind("e", enterpriseId).bind("d0", first).bind("d1", last).execute();
        for (long day = first; day <= last; day++) {
            h.createUpdate("""
                    INSERT INTO charge_day (enterprise_id, local_day, trunk, agent_user_id, department_id, currency, direction, legs, rated_legs,
                        unrated_legs, talk_seconds, billed_seconds, amount)
                    SELECT enterprise_id, :d, trunk, COALESCE(agent_user_id, 0), COALESCE(department_id, 0), COALESCE(currency, ''), direction, COUNT(*),
                        SUM(CASE WHEN rated THEN 1 ELSE 0 END), SUM(CASE WHEN rated THEN 0 ELSE 1 END), SUM(talk_seconds),
                        SUM(billed_seconds), COALESCE(SUM(amount), 0)
                    FROM call_charge WHERE enterprise_id = :e AND answered_at >= :from AND answered_at < :to
                    GROUP BY enterprise_id, trunk, agent_user_id, department_id, currency, direction""")
                    .bind("e", enterpriseId).bind("d", day).bind("from", Timestamp.from(start(day, zone)))
                    .bind("to", Timestamp.from(start(day + 1, zone))).execute();
        }
        rebuildMonths(h, enterpriseId, first, last);
    }

    /**
     * Builds again from {@code charge_day} the month rows of every month holding a day of [firstDay, lastDay] (day numbers),
     * after those days were built again; the caller holds the billing lock.
     */
    private static void rebuildMonths(Handle h, long enterpriseId, long firstDay, long lastDay) {
        LocalDate month = LocalDate.ofEpochDay(firstDay).withDayOfMonth(1);
        LocalDate lastMonth = LocalDate.ofEpochDay(lastDay).withDayOfMonth(1);
        h.createUpdate("DELETE FROM charge_month WHERE enterprise_id = :e AND local_month >= :m0 AND local_month <= :m1")
                .bind("e", enterpriseId).bind("m0", month.toEpochDay()).bind("m1", lastMonth.toEpochDay()).execute();
        for (; !month.isAfter(lastMonth); month = month.plusMonths(1)) {
            h.createUpdate("""
                    INSERT INTO charge_month (enterprise_id, local_month, trunk, agent_user_id, department_id, currency, direction, legs,
                        rated_legs, unrated_legs, talk_seconds, billed_seconds, amount)
                    SELECT enterprise_id, :m, trunk, agent_user_id, department_id, currency, direction, SUM(legs), SUM(rated_legs),
                        SUM(unrated_legs), SUM(talk_seconds), SUM(billed_seconds), SUM(amount)
                    FROM charge_day WHERE enterprise_id = :e AND local_day >= :d0 AND local_day < :d1
                    GROUP BY enterprise_id, trunk, agent_user_id, department_id, currency, direction""")
                    .bind("e", enterpriseId).bind("m", month.toEpochDay()).bind("d0", month.toEpochDay())
                    .bind("d1", month.plusMonths(1).toEpochDay()).execute();
        }
    }

    /**
     * Builds the whole roll-up again when its days were counted in another zone than {@code zone} (or never: the first start
     * after the table was added). Returns whether it did.
     */
    static boolean rebuildIfZoneChanged(Jdbi jdbi, ZoneId zone) {
        return jdbi.inTransaction(h -> {
            Optional<String> kept = h.createQuery("SELECT zone_id FROM charge_day_zone").mapTo(String.class).findFirst();
            if (kept.isPresent() && kept.get().equals(zone.getId())) return false;
            for (long e : h.createQuery("SELECT id FROM enterprise").mapTo(Long.class).list()) {
                lock(h, e);
                h.createUpdate("DELETE FROM charge_day WHERE enterprise_id = :e").bind("e", e).execute();
                h.createUpdate("DELETE FROM charge_month WHERE enterprise_id = :e").bind("e", e).execute();
                var span = h.createQuery("SELECT MIN(answered_at), MAX(answered_at) FROM call_charge WHERE enterprise_id = :e").bind("e", e)
                        .map((rs, c) -> rs.getTimestamp(1) == null ? null : new Instant[] {rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()})
                        .one();
                if (span != null) rebuild(h, e, zone, span[0], span[1].plusMillis(1));
            }
            h.createUpdate("DELETE FROM charge_day_zone").execute();
            h.createUpdate("INSERT INTO charge_day_zone (zone_id) VALUES (:z)").bind("z", zone.getId()).execute();
            return true;
        });
    }

    /** Midnight starting local day {@code day} in {@code zone}. */
    private static Instant start(long day, ZoneId zone) {
        return LocalDate.ofEpochDay(day).atStartOfDay(zone).toInstant();
    }

    /**
     * The enterprise's charges of legs answered in [from, to) added up by group and currency: the whole local days (in
     * {@code zone}, the roll-up's) from {@code charge_day}, the rest at either end from {@code call_charge}.
     */
    static List<BillingStore.GroupSum> sums(Handle h, long enterpriseId, ZoneId zone, BillingReports.By by, Instant from, Instant to) {
        LocalDate firstDay = from.atZone(zone).toLocalDate();
        if (start(firstDay.toEpochDay(), zone).isBefore(from)) firstDay = firstDay.plusDays(1);
        LocalDate endDay = to.atZone(zone).toLocalDate();
        Instant wholeFrom = start(firstDay.toEpochDay(), zone);
        Instant wholeTo = start(endDay.toEpochDay(), zone);
        if (!wholeFrom.isBefore(wholeTo)) return BillingStore.sums(h, enterpriseId, by.column, from, to);
        List<BillingStore.GroupSum> parts = new ArrayList<>();
        if (from.isBefore(wholeFrom)) parts.addAll(BillingStore.sums(h, enterpriseId, by.column, from, wholeFrom));
        // Whole months [firstMonth, endMonth) from the month roll-up, the whole days around them from the day roll-up.
        LocalDate firstMonth = firstDay.getDayOfMonth() == 1 ? firstDay : firstDay.withDayOfMonth(1).plusMonths(1);
        LocalDate endMonth = endDay.withDayOfMonth(1);
        if (firstMonth.isBefore(endMonth)) {
            if (firstDay.isBefore(firstMonth)) parts.addAll(rollupSums(h, Table.DAY, enterpriseId, by, firstDay.toEpochDay(), firstMonth.toEpochDay()));
            parts.addAll(rollupSums(h, Table.MONTH, enterpriseId, by, firstMonth.toEpochDay(), endMonth.toEpochDay()));
            if (endMonth.isBefore(endDay)) parts.addAll(rollupSums(h, Table.DAY, enterpriseId, by, endMonth.toEpochDay(), endDay.toEpochDay()));
        } else {
            parts.addAll(rollupSums(h, Table.DAY, enterpriseId, by, firstDay.toEpochDay(), endDay.toEpochDay()));
        }
        if (wholeTo.isBefore(to)) parts.addAll(BillingStore.sums(h, enterpriseId, by.column, wholeTo, to));
        record Key(String id, String currency) {}
        Map<Key, BillingStore.GroupSum> merged = new LinkedHashMap<>();
        for (BillingStore.GroupSum g : parts) {
            merged.merge(new Key(g.id(), g.currency()), g, (a, b) -> new BillingStore.GroupSum(a.id(), a.currency(), a.calls() + b.calls(),
                    a.unrated() + b.unrated(), a.talkSeconds() + b.talkSeconds(), a.billedSeconds() + b.billedSeconds(), a.amount().add(b.amount())));
        }
        return new ArrayList<>(merged.values());
    }

    /**
     * Sums of the local days [firstDay, endDay) (day numbers; for {@link Table#MONTH} the first days of whole months) by group and
     * currency, from a roll-up (groups whose legs add up to none left out).
     */
    private static List<BillingStore.GroupSum> rollupSums(Handle h, Table table, long enterpriseId, BillingReports.By by, long firstDay,
                                                          long endDay) {
        String id = switch (by) {
            case ENTERPRISE -> "enterprise_id";
            case DEPARTMENT -> "NULLIF(department_id, 0)";
            case AGENT -> "NULLIF(agent_user_id, 0)";
            case TRUNK -> "trunk";
            case DIRECTION -> "direction";
        };
        String column = by == BillingReports.By.DEPARTMENT ? "department_id" : by == BillingReports.By.AGENT ? "agent_user_id" : by.column;
        return h.createQuery("SELECT " + id + " AS id, NULLIF(currency, '') AS currency, SUM(legs) AS calls, SUM(unrated_legs) AS unrated,"
                        + " SUM(talk_seconds) AS talk, SUM(billed_seconds) AS billed, SUM(amount) AS amount FROM " + table.name
                        + " WHERE enterprise_id = :e AND " + table.period + " >= :d0 AND " + table.period + " < :d1 GROUP BY " + column + ", currency HAVING SUM(legs) > 0")
                .bind("e", enterpriseId).bind("d0", firstDay).bind("d1", endDay)
                .map((rs, c) -> new BillingStore.GroupSum(rs.getString("id"), rs.getString("currency"), rs.getLong("calls"), rs.getLong("unrated"),
                        rs.getLong("talk"), rs.getLong("billed"), Objects.requireNonNullElse(rs.getBigDecimal("amount"), BigDecimal.ZERO)
                                .setScale(Rate.SCALE)))
                .list();
    }
}
