package dev.hotline.billing;

import dev.hotline.report.ReportExport;
import dev.hotline.report.ReportTable;
import dev.hotline.report.ReportTable.Column;
import dev.hotline.report.ReportTable.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The billing reports (RPT-5) as {@link ReportTable}s, so that the JSON and the CSV and xlsx exports carry the same numbers:
 * totals per enterprise, department, agent, trunk or direction, and the charge of every call (the detailed bill, with each
 * call's direction, the period of its rate and, for a call billed per period, its parts). Unrated calls are
 * counted (column {@code unrated}) with their talk, and cost nothing.
 */
public final class BillingReports {
    private BillingReports() {}

    /** What totals are grouped by. */
    public enum By {
        ENTERPRISE("enterprise_id", "Enterprise", "企业"), DEPARTMENT("department_id", "Department", "部门"),
        AGENT("agent_user_id", "Agent", "坐席"), TRUNK("trunk", "Trunk", "中继"), DIRECTION("direction", "Direction", "方向");

        /** The column of {@code call_charge} that tells the group. */
        final String column;
        final String en;
        final String zh;

        By(String column, String en, String zh) {
            this.column = column;
            this.en = en;
            this.zh = zh;
        }

        public String key() {
            return name().toLowerCase();
        }

        public static Optional<By> parse(String key) {
            for (By b : values()) if (b.key().equals(key)) return Optional.of(b);
            return Optional.empty();
        }
    }

    /** The most calls a page of the detailed bill lists (JSON), and the default page. */
    public static final int MAX_PAGE = 1_000;
    /** The most calls an export (CSV, xlsx) of the detailed bill holds; a longer bill is exported in parts (offset). */
    public static final int MAX_EXPORT = 50_000;

    private static final Column CURRENCY = new Column("currency", Kind.TEXT, "Currency", "币种");
    private static final Column CALLS = new Column("calls", Kind.COUNT, "Answered calls", "接通次数");
    private static final Column UNRATED = new Column("unrated", Kind.COUNT, "Unrated calls", "未计费次数");
    private static final Column TALK = new Column("talkSeconds", Kind.SECONDS, "Talk (s)", "通话时长(秒)");
    private static final Column BILLED = new Column("billedSeconds", Kind.SECONDS, "Billed (s)", "计费时长(秒)");
    private static final Column AMOUNT = new Column("amount", Kind.MONEY, "Amount", "金额");

    /**
     * Totals of the charges of calls answered in [from, to), one row per group and currency; whole days of {@code zone} (the
     * server's, the day roll-up's) are read from the roll-up.
     */
    public static ReportTable totals(Handle h, long enterpriseId, ZoneId zone, By by, Instant from, Instant to) {
        List<BillingStore.GroupSum> groups = ChargeDays.sums(h, enterpriseId, zone, by, from, to);
        Names names = Names.load(h, enterpriseId);
        record Key(String id, String currency) {}
        Map<String, Set<String>> currencies = new HashMap<>();
        for (BillingStore.GroupSum g : groups) {
            if (g.currency() != null) currencies.computeIfAbsent(Objects.requireNonNullElse(g.id(), ""), k -> new HashSet<>()).add(g.currency());
        }
        Map<Key, Sum> sums = new LinkedHashMap<>();
        for (BillingStore.GroupSum g : groups) {
            // Unrated calls join their group's one currency; a group billed in several currencies keeps them apart.
            Set<String> of = currencies.getOrDefault(Objects.requireNonNullElse(g.id(), ""), Set.of());
            String currency = g.currency() != null ? g.currency() : of.size() == 1 ? of.iterator().next() : null;
            sums.computeIfAbsent(new Key(g.id(), currency), k -> new Sum()).add(g);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        Sum total = new Sum();
        String totalCurrency = null;
        boolean oneCurrency = true;
        var ordered = sums.entrySet().stream().sorted(Comparator.comparing((Map.Entry<Key, Sum> e) -> names.of(by, e.getKey().id()))
                .thenComparing(e -> Objects.requireNonNullElse(e.getKey().currency(), ""))).toList();
        for (var e : ordered) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", e.getKey().id());
            row.put("name", names.of(by, e.getKey().id()));
            row.put("currency", e.getKey().currency());
            e.getValue().into(row);
            rows.add(row);
            total.plus(e.getValue());
            String cur = e.getKey().currency();
            if (cur != null) {
                if (totalCurrency != null && !totalCurrency.equals(cur)) oneCurrency = false;
                totalCurrency = cur;
            }
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", null);
        t.put("name", "total");
        t.put("currency", oneCurrency ? totalCurrency : null);
        total.into(t);
        if (!oneCurrency) t.put("amount", null); // amounts in different currencies do not add up
        List<Column> cols = List.of(new Column("name", Kind.TEXT, by.en, by.zh), CURRENCY, CALLS, UNRATED, TALK, BILLED, AMOUNT);
        return new ReportTable("billing-" + by.key(), from.toString(), to.toString(), "UTC", by.key(), cols, rows, t);
    }

    /** The detailed bill's columns. */
    static final List<Column> CHARGE_COLUMNS = List.of(new Column("callId", Kind.TEXT, "Call", "通话"),
            new Column("answeredAt", Kind.TEXT, "Answered at", "接通时间"), new Column("direction", Kind.TEXT, "Direction", "方向"),
            new Column("trunk", Kind.TEXT, "Trunk", "中继"),
            new Column("number", Kind.TEXT, "Number", "号码"), new Column("agent", Kind.TEXT, "Agent", "坐席"),
            new Column("department", Kind.TEXT, "Department", "部门"), new Column("prefix", Kind.TEXT, "Prefix", "前缀"),
            new Column("period", Kind.TEXT, "Period", "时段"), CURRENCY,
            new Column("pricePerMinute", Kind.MONEY, "Price per minute", "每分钟价格"),
            new Column("increments", Kind.TEXT, "Increments (s)", "计费单位(秒)"),
            new Column("connectionFee", Kind.MONEY, "Connection fee", "接通费"), TALK, BILLED, AMOUNT,
            new Column("periodParts", Kind.TEXT, "Billed by period", "分时段计费"));

    /** A page of the bill by offset (no cursor): see {@link #charges(Handle, long, ZoneId, Instant, Instant, BillCursor, long, int)}. */
    public static ReportTable charges(Handle h, long enterpriseId, ZoneId zone, Instant from, Instant to, long offset, int limit) {
        return charges(h, enterpriseId, zone, from, to, null, offset, limit);
    }

    /**
     * A page of the charges of the calls answered in [from, to), oldest first: those after the cursor {@code after} (none:
     * from the first), {@code offset} of them skipped, then at most {@code limit}. Its {@code page} tells the cursor of the
     * next page ({@code next}, absent on the last page). The total row adds up the whole range, not the page (its
     * {@code calls} is the number of rows of the bill), from the roll-ups like the totals; it also tells {@code offset}
     * and {@code limit}.
     */
    public static ReportTable charges(Handle h, long enterpriseId, ZoneId zone, Instant from, Instant to, BillCursor after, long offset,
                                      int limit) {
        Names names = Names.load(h, enterpriseId);
        List<Map<String, Object>> rows = new ArrayList<>();
        Charge[] last = {null};
        boolean[] more = {false};
        // One row more than the page, to know whether there is a next page.
        BillingStore.eachCharge(h, enterpriseId, from, to, after, offset, limit + 1, c -> {
            if (rows.size() < limit) {
                rows.add(row(c, names));
                last[0] = c;
            } else {
                more[0] = true;
            }
        });
        Map<String, Object> total = chargesTotal(h, enterpriseId, zone, from, to, offset, limit);
        String next = more[0] ? BillCursor.after(last[0]).text() : null;
        return new ReportTable("billing-calls", from.toString(), to.toString(), "UTC", null, CHARGE_COLUMNS, rows, total,
                new ReportTable.Paging(((Number) total.get("calls")).longValue(), limit, (int) Math.min(offset, Integer.MAX_VALUE), next));
    }

    /**
     * The same page of the bill written into an export as it is read from the database, a row at a time (an export of
     * {@link #MAX_EXPORT} rows is never held in memory), then its total row; returns the rows written.
     */
    public static long exportCharges(Handle h, long enterpriseId, ZoneId zone, Instant from, Instant to, long offset, int limit,
                                     ReportExport.RowWriter out) throws IOException {
        return exportCharges(h, enterpriseId, zone, from, to, null, offset, limit, out);
    }

    /** The export of the rows after the cursor {@code after} (none: from the first), {@code offset} skipped, at most {@code limit}. */
    public static long exportCharges(Handle h, long enterpriseId, ZoneId zone, Instant from, Instant to, BillCursor after, long offset,
                                     int limit, ReportExport.RowWriter out) throws IOException {
        Names names = Names.load(h, enterpriseId);
        Map<String, Object> total = chargesTotal(h, enterpriseId, zone, from, to, offset, limit);
        long[] n = {0};
        try (out) {
            BillingStore.eachCharge(h, enterpriseId, from, to, after, offset, limit, c -> {
                try {
                    out.row(row(c, names));
                    n[0]++;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            out.row(total);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return n[0];
    }

    private static Map<String, Object> row(Charge c, Names names) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("callId", c.callId());
        row.put("answeredAt", c.answeredAt().toString());
        row.put("direction", c.direction());
        row.put("trunk", c.trunk());
        row.put("number", c.number());
        row.put("agentUserId", c.agentUserId());
        row.put("agent", c.agentUserId() == null ? null : names.of(By.AGENT, String.valueOf(c.agentUserId())));
        row.put("departmentId", c.departmentId());
        row.put("department", c.departmentId() == null ? null : names.of(By.DEPARTMENT, String.valueOf(c.departmentId())));
        row.put("rated", c.rated());
        row.put("prefix", c.rated() ? c.rate().prefix() : null);
        row.put("period", c.period());
        row.put("currency", c.currency());
        row.put("pricePerMinute", c.rated() ? c.rate().pricePerMinute() : null);
        row.put("increments", c.rated() ? c.rate().firstIncrement() + "/" + c.rate().increment() : null);
        row.put("connectionFee", c.rated() ? c.rate().connectionFee() : null);
        row.put("talkSeconds", c.talkSeconds());
        row.put("billedSeconds", c.billedSeconds());
        row.put("amount", c.amount());
        row.put("periodParts", c.split() ? partsText(c.parts()) : null);
        return row;
    }

    /**
     * A call billed per period, part by part in time order: "[period/]prefix seconds s × price per minute = amount", e.g.
     * "peak/138 60 s × 0.6000 = 0.6000; 138 120 s × 0.1200 = 0.2400" (no period: the prefix's rate for any time).
     */
    static String partsText(List<Charge.Part> parts) {
        StringBuilder b = new StringBuilder();
        for (Charge.Part p : parts) {
            if (b.length() > 0) b.append("; ");
            if (p.period() != null) b.append(p.period()).append('/');
            b.append(p.prefix()).append(' ').append(p.billedSeconds()).append(" s × ").append(p.pricePerMinute().toPlainString())
                    .append(" = ").append(p.amount().toPlainString());
        }
        return b.toString();
    }

    /** The bill's total row: the whole range (from the totals' path), and which page the rows are. */
    private static Map<String, Object> chargesTotal(Handle h, long enterpriseId, ZoneId zone, Instant from, Instant to, long offset,
                                                    int limit) {
        Sum total = new Sum();
        Set<String> currencies = new HashSet<>();
        for (BillingStore.GroupSum g : ChargeDays.sums(h, enterpriseId, zone, By.ENTERPRISE, from, to)) {
            total.add(g);
            if (g.currency() != null) currencies.add(g.currency());
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("callId", "total");
        t.put("currency", currencies.size() == 1 ? currencies.iterator().next() : null);
        t.put("talkSeconds", total.talk);
        t.put("billedSeconds", total.billed);
        t.put("amount", currencies.size() > 1 ? null : total.amount);
        t.put("calls", total.calls);
        t.put("unrated", total.unrated);
        t.put("offset", offset);
        t.put("limit", limit);
        return t;
    }

    /** Counts and sums of a set of charges; amounts only of rated calls. */
    private static final class Sum {
        long calls;
        long unrated;
        long talk;
        long billed;
        BigDecimal amount = BigDecimal.ZERO.setScale(Rate.SCALE);

        void add(BillingStore.GroupSum g) {
            calls += g.calls();
            unrated += g.unrated();
            talk += g.talkSeconds();
            billed += g.billedSeconds();
            amount = amount.add(g.amount());
        }

        void plus(Sum s) {
            calls += s.calls;
            unrated += s.unrated;
            talk += s.talk;
            billed += s.billed;
            amount = amount.add(s.amount);
        }

        void into(Map<String, Object> row) {
            row.put("calls", calls);
            row.put("unrated", unrated);
            row.put("talkSeconds", talk);
            row.put("billedSeconds", billed);
            row.put("amount", amount);
        }
    }

    /** Names of a group's id: the enterprise, departments and agents as they are called now; trunks by their stored name. */
    private record Names(String enterprise, Map<Long, String> users, Map<Long, String> departments) {
        static Names load(Handle h, long enterpriseId) {
            return new Names(BillingStore.enterpriseName(h, enterpriseId), BillingStore.userNames(h, enterpriseId),
                    BillingStore.departmentNames(h, enterpriseId));
        }

        String of(By by, String id) {
            if (id == null) return by == By.DEPARTMENT ? "(no department)" : by == By.AGENT ? "(no agent)" : "";
            return switch (by) {
                case ENTERPRISE -> enterprise;
                case DEPARTMENT -> departments.getOrDefault(Long.parseLong(id), "#" + id);
                case AGENT -> users.getOrDefault(Long.parseLong(id), "#" + id);
                case TRUNK, DIRECTION -> id;
            };
        }
    }
}
