package dev.hotline.report.business;

import dev.hotline.crm.Scope;
import dev.hotline.report.Period;
import dev.hotline.report.ReportTable;
import dev.hotline.report.ReportTable.Column;
import dev.hotline.report.ReportTable.Kind;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * Business reports (RPT-4) as {@link ReportTable}s, so that they have the call reports' JSON, CSV and xlsx: customers
 * and their growth per period, customers by region, tickets opened per period and type with the state they are in now.
 * Customer reports count only the customers the user may see ({@link Scope}, CRM-3); tickets are the enterprise's, as
 * every holder of ticket.read sees them in the ticket list.
 */
final class BusinessReports {
    private BusinessReports() {}

    /** The ticket states, in the order of their columns. */
    static final List<String> STATES = List.of("new", "assigned", "in_progress", "waiting_customer", "resolved", "closed", "reopened");

    private static final Column PERIOD = new Column("period", Kind.TEXT, "Period", "时段");

    /** Per period (every period of the range, empty ones too): customers created in it, and customers in all at its end. */
    static ReportTable customers(Handle h, Scope scope, Period p) {
        long before = scope.bind(h.createQuery("SELECT COUNT(*) FROM customer c LEFT JOIN app_user o ON o.id = c.owner_id WHERE "
                + scope.condition() + " AND c.created_at < :from")).bind("from", Timestamp.from(p.from())).mapTo(Long.class).one();
        Map<LocalDateTime, long[]> byBucket = new TreeMap<>();
        for (LocalDateTime b = p.bucket(p.from()); b.atZone(p.zone()).toInstant().isBefore(p.to()); b = p.bucket(p.nextBucketStart(b))) {
            byBucket.put(b, new long[1]);
        }
        scope.bind(h.createQuery("SELECT c.created_at FROM customer c LEFT JOIN app_user o ON o.id = c.owner_id WHERE " + scope.condition()
                        + " AND c.created_at >= :from AND c.created_at < :to")).bind("from", Timestamp.from(p.from())).bind("to", Timestamp.from(p.to()))
                .map((rs, ctx) -> rs.getTimestamp(1).toInstant()).forEach(at -> byBucket.computeIfAbsent(p.bucket(at), k -> new long[1])[0]++);
        List<Map<String, Object>> rows = new ArrayList<>();
        long total = before;
        long added = 0;
        for (var e : byBucket.entrySet()) {
            total += e.getValue()[0];
            added += e.getValue()[0];
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("period", p.label(e.getKey()));
            row.put("newCustomers", e.getValue()[0]);
            row.put("customers", total);
            row.put("growth", ratio(e.getValue()[0], total - e.getValue()[0])); // of the customers at the period's start
            rows.add(row);
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("period", "total");
        t.put("newCustomers", added);
        t.put("customers", total);
        t.put("growth", before == 0 ? null : ratio(added, before));
        return table("customers", p, List.of(PERIOD, new Column("newCustomers", Kind.COUNT, "New customers", "新增客户"),
                new Column("customers", Kind.COUNT, "Customers at the end", "期末客户数"),
                new Column("growth", Kind.RATE, "Growth", "增长率")), rows, t);
    }

    /**
     * Customers by region at the end of the range (created before {@code to}), with those created in the range: the
     * region is the value of {@code field} (a customer field key) when given, else the area code or mobile carrier of
     * the customer's first phone number ({@link Regions}). Largest first.
     */
    static ReportTable regions(Handle h, Scope scope, Period p, Optional<Long> fieldId, String lang) {
        String region = fieldId.isPresent()
                ? "(SELECT v.field_value FROM customer_value v WHERE v.customer_id = c.id AND v.field_id = :field)"
                : "(SELECT ph.normalized FROM customer_phone ph WHERE ph.customer_id = c.id AND ph.position = 0)";
        var q = scope.bind(h.createQuery("SELECT c.created_at, " + region + " FROM customer c LEFT JOIN app_user o ON o.id = c.owner_id WHERE "
                + scope.condition() + " AND c.created_at < :to")).bind("to", Timestamp.from(p.to()));
        fieldId.ifPresent(f -> q.bind("field", f));
        Map<String, Regions.Region> regions = new HashMap<>();
        Map<String, long[]> counts = new HashMap<>();
        record Found(Instant at, String value) {}
        q.map((rs, ctx) -> new Found(rs.getTimestamp(1).toInstant(), rs.getString(2))).forEach(f -> {
            Regions.Region r = fieldId.isPresent() ? Regions.ofField(f.value()) : Regions.of(f.value());
            regions.putIfAbsent(r.key(), r);
            long[] c = counts.computeIfAbsent(r.key(), k -> new long[2]);
            c[0]++;
            if (!f.at().isBefore(p.from())) c[1]++;
        });
        long all = counts.values().stream().mapToLong(c -> c[0]).sum();
        long added = counts.values().stream().mapToLong(c -> c[1]).sum();
        List<Map<String, Object>> rows = new ArrayList<>();
        counts.entrySet().stream().sorted((a, b) -> a.getValue()[0] != b.getValue()[0] ? Long.compare(b.getValue()[0], a.getValue()[0])
                : a.getKey().compareTo(b.getKey())).forEach(e -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("regionKey", e.getKey());
            row.put("region", regions.get(e.getKey()).name(lang));
            row.put("customers", e.getValue()[0]);
            row.put("newCustomers", e.getValue()[1]);
            row.put("share", ratio(e.getValue()[0], all));
            rows.add(row);
        });
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("regionKey", "total");
        t.put("region", "zh".equals(lang) ? "合计" : "Total");
        t.put("customers", all);
        t.put("newCustomers", added);
        t.put("share", all == 0 ? null : 1.0);
        return table("customer-regions", p, List.of(new Column("regionKey", Kind.TEXT, "Region key", "地区代码"),
                new Column("region", Kind.TEXT, "Region", "地区"), new Column("customers", Kind.COUNT, "Customers", "客户数"),
                new Column("newCustomers", Kind.COUNT, "New in the range", "期间新增"), new Column("share", Kind.RATE, "Share", "占比")), rows, t);
    }

    /** Per period and ticket type: the tickets opened, and how many of them are now in each state. */
    static ReportTable tickets(Handle h, long enterpriseId, Period p, String lang) {
        record Opened(Instant at, String type, String status) {}
        List<Opened> opened = h.createQuery("""
                        SELECT t.created_at, y.name, t.status FROM ticket t JOIN ticket_type y ON y.id = t.type_id
                        WHERE t.enterprise_id = :e AND t.created_at >= :from AND t.created_at < :to""")
                .bind("e", enterpriseId).bind("from", Timestamp.from(p.from())).bind("to", Timestamp.from(p.to()))
                .map((rs, ctx) -> new Opened(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3)))
                .list();
        Map<LocalDateTime, Map<String, long[]>> byBucket = new TreeMap<>();
        long[] total = new long[STATES.size() + 1];
        for (Opened o : opened) {
            long[] c = byBucket.computeIfAbsent(p.bucket(o.at()), k -> new TreeMap<>()).computeIfAbsent(o.type(), k -> new long[STATES.size() + 1]);
            int s = STATES.indexOf(o.status());
            c[0]++;
            total[0]++;
            if (s >= 0) {
                c[s + 1]++;
                total[s + 1]++;
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var b : byBucket.entrySet()) {
            for (var e : b.getValue().entrySet()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("period", p.label(b.getKey()));
                row.put("type", e.getKey());
                row.putAll(ticketValues(e.getValue()));
                rows.add(row);
            }
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("period", "total");
        t.put("type", null);
        t.putAll(ticketValues(total));
        List<Column> cols = new ArrayList<>(List.of(PERIOD, new Column("type", Kind.TEXT, "Type", "类型"),
                new Column("opened", Kind.COUNT, "Opened", "新建工单")));
        String[][] names = {{"New", "新建"}, {"Assigned", "已分派"}, {"In progress", "处理中"}, {"Waiting on customer", "等待客户"},
                {"Resolved", "已解决"}, {"Closed", "已关闭"}, {"Reopened", "重新打开"}};
        for (int i = 0; i < STATES.size(); i++) cols.add(new Column(STATES.get(i), Kind.COUNT, "Now " + names[i][0].toLowerCase(), "当前" + names[i][1]));
        cols.add(new Column("stillOpen", Kind.COUNT, "Still open", "未完结"));
        return table("tickets", p, cols, rows, t);
    }

    private static Map<String, Object> ticketValues(long[] c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("opened", c[0]);
        for (int i = 0; i < STATES.size(); i++) m.put(STATES.get(i), c[i + 1]);
        m.put("stillOpen", c[0] - c[STATES.indexOf("resolved") + 1] - c[STATES.indexOf("closed") + 1]);
        return m;
    }

    private static Double ratio(long part, long whole) {
        return whole == 0 ? null : Math.round(part * 10000.0 / whole) / 10000.0;
    }

    private static ReportTable table(String name, Period p, List<Column> cols, List<Map<String, Object>> rows, Map<String, Object> total) {
        return new ReportTable(name, p.from().toString(), p.to().toString(), p.zone().getId(), p.grouping().key(), cols, rows, total);
    }
}
