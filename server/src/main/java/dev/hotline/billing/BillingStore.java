package dev.hotline.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.hotline.domain.JsonMapper;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/** SQL of billing (RPT-5): {@code rate_table} with its {@code rate} lines, and {@code call_charge}. */
public final class BillingStore {
    private BillingStore() {}

    private static final String TABLES = """
            SELECT t.id, t.trunk_id, k.name AS trunk, t.direction, t.currency, t.periods FROM rate_table t JOIN trunk k ON k.id = t.trunk_id
            WHERE t.enterprise_id = :e""";

    /** The enterprise's rate tables by trunk name, each with its rates by prefix. */
    public static List<RateTable> tables(Handle h, long enterpriseId) {
        return load(h, enterpriseId, TABLES + " ORDER BY k.name, t.direction DESC", Map.of());
    }

    public static Optional<RateTable> table(Handle h, long enterpriseId, long id) {
        return load(h, enterpriseId, TABLES + " AND t.id = :id", Map.of("id", id)).stream().findFirst();
    }

    /** The outbound rate table of the enterprise's trunk named {@code trunk}, if it has one. */
    public static Optional<RateTable> tableOfTrunk(Handle h, long enterpriseId, String trunk) {
        return tableOfTrunk(h, enterpriseId, trunk, RateTable.OUTBOUND);
    }

    /** The rate table of the enterprise's trunk named {@code trunk} for calls in {@code direction}, if it has one. */
    public static Optional<RateTable> tableOfTrunk(Handle h, long enterpriseId, String trunk, String direction) {
        return load(h, enterpriseId, TABLES + " AND k.name = :trunk AND t.direction = :dir", Map.of("trunk", trunk, "dir", direction))
                .stream().findFirst();
    }

    public static Optional<RateTable> tableOfTrunkId(Handle h, long enterpriseId, long trunkId, String direction) {
        return load(h, enterpriseId, TABLES + " AND t.trunk_id = :trunk AND t.direction = :dir", Map.of("trunk", trunkId, "dir", direction))
                .stream().findFirst();
    }

    private static final TypeReference<List<RatePeriod>> PERIODS = new TypeReference<>() {};

    /** A table's periods as stored (a JSON array; null when none). */
    static String periodsJson(List<RatePeriod> periods) {
        if (periods.isEmpty()) return null;
        try {
            return JsonMapper.MAPPER.writeValueAsString(periods);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<RatePeriod> periods(String json) {
        if (json == null || json.isBlank()) return List.of();
        try {
            return JsonMapper.MAPPER.readValue(json, PERIODS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rate_table.periods: " + e.getMessage(), e);
        }
    }

    private static List<RateTable> load(Handle h, long enterpriseId, String sql, Map<String, Object> binds) {
        record Head(long id, long trunkId, String trunk, String direction, String currency, String periods) {}
        var q = h.createQuery(sql).bind("e", enterpriseId);
        binds.forEach(q::bind);
        List<Head> heads = q.map((rs, c) -> new Head(rs.getLong("id"), rs.getLong("trunk_id"), rs.getString("trunk"), rs.getString("direction"),
                        rs.getString("currency"), rs.getString("periods")))
                .list();
        List<RateTable> out = new ArrayList<>();
        for (Head t : heads) {
            List<Rate> rates = h.createQuery("""
                    SELECT id, prefix, description, price_per_minute, first_increment, increment_seconds, connection_fee, period
                    FROM rate WHERE rate_table_id = :t ORDER BY prefix, period""").bind("t", t.id())
                    .map((rs, c) -> new Rate(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4), rs.getInt(5), rs.getInt(6),
                            rs.getBigDecimal(7), rs.getString(8)))
                    .list();
            out.add(new RateTable(t.id(), t.trunkId(), t.trunk(), t.direction(), t.currency(), periods(t.periods()), rates));
        }
        return out;
    }

    /** The name of the enterprise's trunk {@code trunkId}, if it has that trunk. */
    public static Optional<String> trunkName(Handle h, long enterpriseId, long trunkId) {
        return h.createQuery("SELECT name FROM trunk WHERE id = :id AND enterprise_id = :e").bind("id", trunkId).bind("e", enterpriseId)
                .mapTo(String.class).findOne();
    }

    /** An outbound table without periods. */
    public static long insertTable(Handle h, long enterpriseId, long trunkId, String currency, List<Rate> rates) {
        return insertTable(h, enterpriseId, trunkId, RateTable.OUTBOUND, currency, List.of(), rates);
    }

    /** An outbound table without periods, replaced. */
    public static void updateTable(Handle h, long enterpriseId, long id, long trunkId, String currency, List<Rate> rates) {
        updateTable(h, enterpriseId, id, trunkId, RateTable.OUTBOUND, currency, List.of(), rates);
    }

    public static long insertTable(Handle h, long enterpriseId, long trunkId, String direction, String currency, List<RatePeriod> periods,
                                   List<Rate> rates) {
        long id = h.createUpdate("INSERT INTO rate_table (enterprise_id, trunk_id, direction, currency, periods) VALUES (:e, :t, :d, :c, :p)")
                .bind("e", enterpriseId).bind("t", trunkId).bind("d", direction).bind("c", currency).bind("p", periodsJson(periods))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        insertRates(h, id, rates);
        return id;
    }

    /** Replaces the table's trunk, direction, currency, periods and every rate. */
    public static void updateTable(Handle h, long enterpriseId, long id, long trunkId, String direction, String currency,
                                   List<RatePeriod> periods, List<Rate> rates) {
        h.createUpdate("UPDATE rate_table SET trunk_id = :t, direction = :d, currency = :c, periods = :p WHERE id = :id AND enterprise_id = :e")
                .bind("t", trunkId).bind("d", direction).bind("c", currency).bind("p", periodsJson(periods)).bind("id", id)
                .bind("e", enterpriseId).execute();
        h.createUpdate("DELETE FROM rate WHERE rate_table_id = :id").bind("id", id).execute();
        insertRates(h, id, rates);
    }

    public static void deleteTable(Handle h, long enterpriseId, long id) {
        h.createUpdate("DELETE FROM rate WHERE rate_table_id IN (SELECT id FROM rate_table WHERE id = :id AND enterprise_id = :e)")
                .bind("id", id).bind("e", enterpriseId).execute();
        h.createUpdate("DELETE FROM rate_table WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
    }

    private static void insertRates(Handle h, long tableId, List<Rate> rates) {
        var batch = h.prepareBatch("""
                INSERT INTO rate (rate_table_id, prefix, description, price_per_minute, first_increment, increment_seconds, connection_fee,
                    period)
                VALUES (:t, :p, :d, :price, :first, :inc, :fee, :period)""");
        for (Rate r : rates) {
            batch.bind("t", tableId).bind("p", r.prefix()).bind("d", r.description()).bind("price", r.pricePerMinute())
                    .bind("first", r.firstIncrement()).bind("inc", r.increment()).bind("fee", r.connectionFee())
                    .bind("period", r.period() == null ? "" : r.period()).add();
        }
        if (!rates.isEmpty()) batch.execute();
    }

    /** The user whose extension is {@code number}, if any. */
    static Optional<Long> userOfExtension(Handle h, long enterpriseId, String number) {
        return h.createQuery("SELECT user_id FROM extension WHERE enterprise_id = :e AND number = :n AND user_id IS NOT NULL")
                .bind("e", enterpriseId).bind("n", number).mapTo(Long.class).findOne();
    }

    /** The department of user {@code userId} now. */
    static Optional<Long> departmentOf(Handle h, long enterpriseId, long userId) {
        return h.createQuery("SELECT department_id FROM app_user WHERE enterprise_id = :e AND id = :u AND department_id IS NOT NULL")
                .bind("e", enterpriseId).bind("u", userId).mapTo(Long.class).findOne();
    }

    /** Stores a leg's charge, replacing any earlier rating of the same leg; {@link ChargeDays#save} keeps the roll-up in step too. */
    static void saveCharge(Handle h, long enterpriseId, Charge c) {
        h.createUpdate("DELETE FROM call_charge WHERE call_id = :c AND leg_id = :l").bind("c", c.callId()).bind("l", c.legId()).execute();
        Rate r = c.rate();
        h.createUpdate("""
                INSERT INTO call_charge (call_id, leg_id, enterprise_id, trunk, number, answered_at, ended_at, talk_seconds, agent_user_id,
                    department_id, rated, prefix, currency, price_per_minute, first_increment, increment_seconds, connection_fee,
                    billed_seconds, amount, direction, period, period_parts)
                VALUES (:c, :l, :e, :trunk, :number, :ans, :end, :talk, :agent, :dept, :rated, :prefix, :cur, :price, :first, :inc, :fee,
                    :billed, :amount, :dir, :period, :parts)""")
                .bind("c", c.callId()).bind("l", c.legId()).bind("e", enterpriseId).bind("trunk", cut(c.trunk(), 64))
                .bind("number", cut(c.number(), 64)).bind("ans", Timestamp.from(c.answeredAt())).bind("end", Timestamp.from(c.endedAt()))
                .bind("talk", c.talkSeconds()).bind("agent", c.agentUserId()).bind("dept", c.departmentId()).bind("rated", c.rated())
                .bind("prefix", r == null ? null : r.prefix()).bind("cur", c.currency())
                .bind("price", r == null ? null : r.pricePerMinute()).bind("first", r == null ? null : r.firstIncrement())
                .bind("inc", r == null ? null : r.increment()).bind("fee", r == null ? null : r.connectionFee())
                .bind("billed", c.billedSeconds()).bind("amount", c.amount())
                .bind("dir", c.direction()).bind("period", c.period()).bind("parts", partsJson(c.parts())).execute();
    }

    private static final TypeReference<List<Charge.Part>> PARTS = new TypeReference<>() {};

    /** A charge's parts by period as stored (a JSON array; null when the call was billed at one rate). */
    static String partsJson(List<Charge.Part> parts) {
        if (parts.size() <= 1) return null;
        try {
            return JsonMapper.MAPPER.writeValueAsString(parts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Charge.Part> parts(String json) {
        if (json == null || json.isBlank()) return List.of();
        try {
            return JsonMapper.MAPPER.readValue(json, PARTS).stream().map(p -> new Charge.Part(p.period(), p.prefix(),
                    p.pricePerMinute().setScale(Rate.SCALE), p.fromSecond(), p.billedSeconds(), p.amount().setScale(Rate.SCALE))).toList();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("call_charge.period_parts: " + e.getMessage(), e);
        }
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** The enterprise's charges of legs answered in [from, to), oldest first, at most {@code limit} after skipping {@code offset}. */
    static List<Charge> charges(Handle h, long enterpriseId, Instant from, Instant to, long offset, int limit) {
        List<Charge> out = new ArrayList<>();
        eachCharge(h, enterpriseId, from, to, null, offset, limit, out::add);
        return out;
    }

    /**
     * The same charges handed to {@code each} as they are read, in the order of the index ix_call_charge_bill (no sort of the
     * range): those after the cursor {@code after} (if any: keyset paging, the index is entered at the cursor, so a deep page
     * costs as the first), then {@code offset} of them skipped, then at most {@code limit}; a few thousand rows fetched at a
     * time (PostgreSQL streams them only inside a transaction: the caller's, or one opened here).
     */
    static void eachCharge(Handle h, long enterpriseId, Instant from, Instant to, BillCursor after, long offset, int limit, Consumer<Charge> each) {
        // After the cursor: a later answer, or the same answer and a later call, or the same call and a later leg. The first
        // condition (answered_at >= the cursor's) is the index range's start; the rest drops the rows of that instant already read.
        String seek = after == null ? "" : " AND answered_at >= :a AND (answered_at > :a OR call_id > :c OR (call_id = :c AND leg_id > :l))";
        Runnable read = () -> {
            var q = h.createQuery("""
                    SELECT * FROM call_charge WHERE enterprise_id = :e AND answered_at >= :from AND answered_at < :to%s
                    ORDER BY enterprise_id, answered_at, call_id, leg_id LIMIT :limit OFFSET :offset""".formatted(seek))
                    .bind("e", enterpriseId).bind("from", Timestamp.from(from)).bind("to", Timestamp.from(to)).bind("limit", limit)
                    .bind("offset", offset);
            if (after != null) q.bind("a", Timestamp.from(after.answeredAt())).bind("c", after.callId()).bind("l", after.legId());
            try (var rows = q.setFetchSize(2_000).map((rs, c) -> charge(rs)).stream()) {
                rows.forEach(each);
            }
        };
        if (h.isInTransaction()) read.run();
        else h.useTransaction(t -> read.run());
    }

    /** The enterprise's stored charge of one leg, if rated. */
    static Optional<Charge> charge(Handle h, long enterpriseId, String callId, String legId) {
        return h.createQuery("SELECT * FROM call_charge WHERE call_id = :c AND leg_id = :l AND enterprise_id = :e")
                .bind("c", callId).bind("l", legId).bind("e", enterpriseId).map((rs, c) -> charge(rs)).findOne();
    }

    /** The charges of one group and currency added up (amounts of rated calls only). */
    record GroupSum(String id, String currency, long calls, long unrated, long talkSeconds, long billedSeconds, BigDecimal amount) {}

    /**
     * The enterprise's charges of legs answered in [from, to) added up by {@code column} (a column name of {@code call_charge}
     * chosen by the caller, never from a request) and currency.
     */
    static List<GroupSum> sums(Handle h, long enterpriseId, String column, Instant from, Instant to) {
        return h.createQuery("SELECT " + column + " AS id, currency, COUNT(*) AS calls, SUM(CASE WHEN rated THEN 0 ELSE 1 END) AS unrated,"
                        + " SUM(talk_seconds) AS talk, SUM(billed_seconds) AS billed, SUM(amount) AS amount FROM call_charge"
                        + " WHERE enterprise_id = :e AND answered_at >= :from AND answered_at < :to GROUP BY " + column + ", currency")
                .bind("e", enterpriseId).bind("from", Timestamp.from(from)).bind("to", Timestamp.from(to))
                .map((rs, c) -> {
                    BigDecimal amount = rs.getBigDecimal("amount");
                    return new GroupSum(rs.getString("id"), rs.getString("currency"), rs.getLong("calls"), rs.getLong("unrated"),
                            rs.getLong("talk"), rs.getLong("billed"), (amount == null ? BigDecimal.ZERO : amount).setScale(Rate.SCALE));
                })
                .list();
    }

    private static Charge charge(ResultSet rs) throws SQLException {
        boolean rated = rs.getBoolean("rated");
        Rate rate = rated ? new Rate(0, rs.getString("prefix"), null, rs.getBigDecimal("price_per_minute"), rs.getInt("first_increment"),
                rs.getInt("increment_seconds"), rs.getBigDecimal("connection_fee"), rs.getString("period")) : null;
        BigDecimal amount = rs.getBigDecimal("amount");
        return new Charge(rs.getString("call_id"), rs.getString("leg_id"), rs.getString("trunk"), rs.getString("number"),
                rs.getTimestamp("answered_at").toInstant(), rs.getTimestamp("ended_at").toInstant(), rs.getInt("talk_seconds"),
                rs.getObject("agent_user_id", Long.class), rs.getObject("department_id", Long.class), rs.getString("currency"), rate,
                rs.getInt("billed_seconds"), amount == null ? null : amount.setScale(Rate.SCALE), rs.getString("direction"),
                parts(rs.getString("period_parts")));
    }

    /** Names for the report: users (display name and job number) and departments of the enterprise by id. */
    static Map<Long, String> userNames(Handle h, long enterpriseId) {
        Map<Long, String> names = new LinkedHashMap<>();
        h.createQuery("SELECT id, display_name, job_number, username FROM app_user WHERE enterprise_id = :e").bind("e", enterpriseId)
                .map((rs, c) -> Map.entry(rs.getLong(1), label(rs.getString(2), rs.getString(4), rs.getString(3))))
                .forEach(en -> names.put(en.getKey(), en.getValue()));
        return names;
    }

    private static String label(String display, String username, String job) {
        String name = display == null || display.isBlank() ? username : display;
        return job == null ? name : name + " (" + job + ")";
    }

    static Map<Long, String> departmentNames(Handle h, long enterpriseId) {
        Map<Long, String> names = new LinkedHashMap<>();
        h.createQuery("SELECT id, name FROM department WHERE enterprise_id = :e").bind("e", enterpriseId)
                .map((rs, c) -> Map.entry(rs.getLong(1), rs.getString(2))).forEach(en -> names.put(en.getKey(), en.getValue()));
        return names;
    }

    static String enterpriseName(Handle h, long enterpriseId) {
        return h.createQuery("SELECT name FROM enterprise WHERE id = :e").bind("e", enterpriseId).mapTo(String.class).one();
    }
}
