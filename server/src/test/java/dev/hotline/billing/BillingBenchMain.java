package dev.hotline.billing;

import dev.hotline.report.ReportExport;
import dev.hotline.report.ReportTable;
import dev.hotline.store.Database;
import dev.hotline.testing.BenchKit;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The billing benchmark (issue 15, RPT-5, bench/run-billing.sh): CALLS generated charges over 2026 in an H2 file database
 * (or the JDBC URL given), the day roll-up built from them as the server builds it ({@link ChargeDays}), then the totals by
 * every grouping over a day, a month (whole days, and with partial days at both ends) and the year, the bill's first and a
 * later page, and its CSV and xlsx exports of 50 000 rows streamed, each timed REPEATS times after a first run (median and
 * max). JSON lines on stdout ({@link BenchKit}). Not a test.
 */
public final class BillingBenchMain {
    /** The server's zone in the bench: the day roll-up's days are Shanghai's. */
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    public static void main(String[] args) throws Exception {
        int calls = Integer.parseInt(System.getProperty("calls", "1000000"));
        int repeats = Integer.parseInt(System.getProperty("repeats", "5"));
        try (BenchKit kit = new BenchKit(System.getProperty("url", ""), "billing", "1".equals(System.getProperty("keep")))) {
            run(kit, calls, repeats);
        }
    }

    private static void run(BenchKit kit, int calls, int repeats) throws Exception {
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("bench", "billing");
        setup.put("database", kit.postgres() ? "postgresql" : "h2");
        setup.put("charges", calls);
        setup.put("repeats", repeats);
        setup.put("zone", ZONE.getId());
        setup.put("machine", BenchKit.machine());
        setup.put("method", "charge_day roll-up (enterprise, local day in the server's zone, trunk, agent, department, currency; kept by"
                + " CallRating in the charge's transaction, here built once by ChargeDays.rebuildIfZoneChanged) for whole days, call_charge"
                + " over its (enterprise_id, answered_at) index for the partial days at the ends, and charge_month (V78, same key by local"
                + " month, kept in the same transactions) for whole months; the bill paged in the order of the index"
                + " ix_call_charge_bill (no sort), a later page by keyset (the cursor of the page before it: answer time, call, leg); exports streamed row by row as read (CSV with commons-csv, xlsx with fastexcel flushed"
                + " every 1 000 rows), never held whole");
        Database db = kit.db();
        long e = db.jdbi().withHandle(h -> h.createUpdate(
                        "INSERT INTO enterprise (code, name, sip_domain, enabled, created_at) VALUES ('bench', 'Bench', 'bench.hotline', TRUE, :at)")
                .bind("at", Timestamp.from(Instant.now())).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        Instant start = LocalDate.of(2026, 1, 1).atStartOfDay(ZONE).toInstant();
        long t0 = System.nanoTime();
        generate(db, e, calls, start);
        setup.put("generate_seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        t0 = System.nanoTime();
        ChargeDays.rebuildIfZoneChanged(db.jdbi(), ZONE);
        setup.put("roll_up_seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        t0 = System.nanoTime();
        kit.settle();
        setup.put("analyze_reopen_seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        var jdbi = kit.db().jdbi();
        Map<String, Object> rows = new LinkedHashMap<>();
        for (String table : List.of("call_charge", "charge_day", "charge_month")) {
            rows.put(table, jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one()));
        }
        setup.put("rows", rows);
        BenchKit.print(setup);
        Instant june = LocalDate.of(2026, 6, 15).atStartOfDay(ZONE).toInstant();
        Map<String, Instant[]> ranges = new LinkedHashMap<>();
        ranges.put("day", new Instant[] {june, june.plus(Duration.ofDays(1))});
        ranges.put("month", new Instant[] {june, june.plus(Duration.ofDays(30))});
        ranges.put("month_partial_ends", new Instant[] {june.plus(Duration.ofHours(10)), june.plus(Duration.ofDays(30)).plus(Duration.ofHours(15))});
        ranges.put("year", new Instant[] {start, LocalDate.of(2027, 1, 1).atStartOfDay(ZONE).toInstant()});
        double worst = 0;
        String worstOf = null;
        int n = 0;
        for (var r : ranges.entrySet()) {
            Instant from = r.getValue()[0];
            Instant to = r.getValue()[1];
            List<Map.Entry<String, BenchKit.Run>> reports = new ArrayList<>();
            for (BillingReports.By by : BillingReports.By.values()) {
                reports.add(Map.entry("totals_by_" + by.key(), () -> what(jdbi.withHandle(h -> BillingReports.totals(h, e, ZONE, by, from, to)))));
            }
            if (!r.getKey().equals("day")) {
                reports.add(Map.entry("bill_first_page", () -> what(jdbi.withHandle(
                        h -> BillingReports.charges(h, e, ZONE, from, to, 0, BillingReports.MAX_PAGE)))));
                // A later page as a user reaches it: by "next", i.e. with the cursor of the page before it. The cursor is found
                // once, untimed (the row before the page, read by offset), then only the page after it is timed. The page is
                // the one at the offset the earlier runs timed (the range's last page, at most 150 000 rows in).
                long all = ((Number) jdbi.withHandle(h -> BillingReports.charges(h, e, ZONE, from, to, 0, 1)).total().get("calls")).longValue();
                long offset = Math.max(0, Math.min(all - BillingReports.MAX_PAGE, BillingReports.MAX_EXPORT * 3L));
                BillCursor cursor = offset == 0 ? null
                        : BillCursor.after(jdbi.withHandle(h -> BillingStore.charges(h, e, from, to, offset - 1, 1)).get(0));
                reports.add(Map.entry("bill_last_page", () -> {
                    ReportTable t = jdbi.withHandle(h -> BillingReports.charges(h, e, ZONE, from, to, cursor, 0, BillingReports.MAX_PAGE));
                    Map<String, Object> w = what(t);
                    w.put("rows_before", offset);
                    w.put("by", "cursor");
                    w.put("next", t.page().next() != null);
                    return w;
                }));
            }
            for (var report : reports) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("report", report.getKey());
                line.put("range", r.getKey());
                line.putAll(BenchKit.time(repeats, report.getValue()));
                BenchKit.print(line);
                n++;
                double w = (double) line.get("worst_ms");
                if (w > worst) {
                    worst = w;
                    worstOf = report.getKey() + " " + r.getKey();
                }
            }
        }
        // The bill's exports, as the route writes them: 50 000 rows streamed into the response (here a counting sink).
        Instant[] year = ranges.get("year");
        Map<String, Object> exports = new LinkedHashMap<>();
        for (String format : List.of("csv", "xlsx")) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("report", "bill_export_" + format + "_50000_rows");
            line.put("range", "year");
            line.putAll(BenchKit.time(Math.min(repeats, 3), () -> {
                CountingSink sink = new CountingSink();
                long written = jdbi.withHandle(h -> BillingReports.exportCharges(h, e, ZONE, year[0], year[1], 0, BillingReports.MAX_EXPORT,
                        ReportExport.writer(format, "billing-calls", BillingReports.CHARGE_COLUMNS, "en", sink)));
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("rows", written);
                w.put("bytes", sink.bytes);
                return w;
            }));
            line.put("heap_used_mb_after", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1024 * 1024));
            BenchKit.print(line);
            exports.put(format, line.get("worst_ms"));
        }
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("bench", "billing");
        end.put("database", kit.postgres() ? "postgresql" : "h2");
        end.put("runs", n);
        end.put("worst_report_ms", worst);
        end.put("worst", worstOf);
        end.put("all_under_1s", worst < 1000);
        end.put("export_worst_ms", exports);
        end.put("machine", BenchKit.machine());
        BenchKit.print(end);
    }

    private static Map<String, Object> what(ReportTable t) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("rows", t.rows().size());
        w.put("calls", t.total().get("calls"));
        return w;
    }

    /** An output stream that only counts (the export's cost without a network in the way). */
    private static final class CountingSink extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    /**
     * Answered trunk legs over 365 days, stored in time order: three trunks (two in CNY, one in USD), 50 agents in 5
     * departments (a tenth without agent), a twentieth unrated; amounts at 0.10..0.60 per started minute.
     */
    static void generate(Database db, long e, int calls, Instant start) {
        Random rnd = new Random(15);
        String[] trunks = {"telecom", "unicom", "global"};
        int batch = 10_000;
        for (int done = 0; done < calls; done += batch) {
            int n = Math.min(batch, calls - done);
            int offset = done;
            db.jdbi().useTransaction(h -> {
                PreparedBatch b = h.prepareBatch("""
                        INSERT INTO call_charge (call_id, leg_id, enterprise_id, trunk, number, answered_at, ended_at, talk_seconds, agent_user_id,
                            department_id, rated, prefix, currency, price_per_minute, first_increment, increment_seconds, connection_fee,
                            billed_seconds, amount)
                        VALUES (:c, 'leg', :e, :trunk, :number, :ans, :end, :talk, :agent, :dept, :rated, :prefix, :cur, :price, 60, 60, 0,
                            :billed, :amount)""");
                for (int i = 0; i < n; i++) {
                    // In time order, as the server stores them (each when its call ends): spread evenly over 365 days.
                    long second = (long) (offset + i) * 365 * 86_400 / calls;
                    Instant at = start.plusSeconds(second);
                    int talk = 5 + rnd.nextInt(600);
                    int t = rnd.nextInt(3);
                    boolean rated = rnd.nextInt(20) != 0;
                    Long agent = rnd.nextInt(10) == 0 ? null : 1000L + rnd.nextInt(50);
                    BigDecimal price = BigDecimal.valueOf(10 + rnd.nextInt(51), 2);
                    int billed = rated ? (talk + 59) / 60 * 60 : 0;
                    b.bind("c", "bench-" + (offset + i)).bind("e", e).bind("trunk", trunks[t]).bind("number", "0" + (10_000_000 + rnd.nextInt(90_000_000)))
                            .bind("ans", Timestamp.from(at)).bind("end", Timestamp.from(at.plusSeconds(talk))).bind("talk", talk)
                            .bind("agent", agent).bind("dept", agent == null ? null : (agent - 1000) % 5 + 1).bind("rated", rated)
                            .bind("prefix", rated ? "0" : null).bind("cur", rated ? (t == 2 ? "USD" : "CNY") : null).bind("price", rated ? price : null)
                            .bind("billed", billed).bind("amount", rated ? price.multiply(BigDecimal.valueOf(billed / 60)).setScale(Rate.SCALE) : null)
                            .add();
                }
                b.execute();
            });
            if ((done / batch) % 20 == 0) System.err.println("[bench] generated " + (done + n));
        }
    }
}
