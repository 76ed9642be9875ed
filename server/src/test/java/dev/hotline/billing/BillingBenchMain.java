package dev.hotline.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hotline.report.ReportExport;
import dev.hotline.report.ReportTable;
import dev.hotline.store.Database;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The billing benchmark (issue 15, RPT-5, bench/run-billing.sh): CALLS generated charges over 2026 in an H2 file database
 * (or the JDBC URL given), the day roll-up built from them as the server builds it ({@link ChargeDays}), then the totals by
 * every grouping over a day, a month (whole days, and with partial days at both ends) and the year, the bill's first page
 * and a CSV export of 50 000 rows, each timed REPEATS times after a first run (median and max). One JSON document on stdout.
 * Not a test.
 */
public final class BillingBenchMain {
    /** The server's zone in the bench: the day roll-up's days are Shanghai's. */
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    public static void main(String[] args) throws Exception {
        int calls = Integer.parseInt(System.getProperty("calls", "1000000"));
        int repeats = Integer.parseInt(System.getProperty("repeats", "5"));
        String url = System.getProperty("url", "");
        Path dir = null;
        if (url.isBlank()) {
            dir = Files.createTempDirectory("hotline-billing-bench");
            url = "jdbc:h2:file:" + dir.resolve("bench") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;QUERY_CACHE_SIZE=0";
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("database", url.startsWith("jdbc:h2") ? "h2" : "postgresql");
        out.put("charges", calls);
        out.put("zone", ZONE.getId());
        out.put("method", "charge_day roll-up (enterprise, local day in the server's zone, trunk, agent, department, currency; kept by"
                + " CallRating in the charge's transaction, here built once by ChargeDays.rebuildIfZoneChanged) for whole days, call_charge"
                + " over its (enterprise_id, answered_at) index for the partial days at the ends; the bill paged (LIMIT/OFFSET)");
        try (Database db = new Database(url, "", "")) {
            var jdbi = db.jdbi();
            long e = jdbi.withHandle(h -> h.createUpdate(
                            "INSERT INTO enterprise (code, name, sip_domain, enabled, created_at) VALUES ('bench', 'Bench', 'bench.hotline', TRUE, :at)")
                    .bind("at", Timestamp.from(Instant.now())).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
            Instant start = LocalDate.of(2026, 1, 1).atStartOfDay(ZONE).toInstant();
            long t0 = System.nanoTime();
            generate(db, e, calls, start);
            out.put("generate_seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
            t0 = System.nanoTime();
            ChargeDays.rebuildIfZoneChanged(jdbi, ZONE);
            out.put("roll_up_seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
            Map<String, Object> rows = new LinkedHashMap<>();
            for (String table : List.of("call_charge", "charge_day")) {
                rows.put(table, jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one()));
            }
            out.put("rows", rows);
            Instant june = LocalDate.of(2026, 6, 15).atStartOfDay(ZONE).toInstant();
            Map<String, Instant[]> ranges = new LinkedHashMap<>();
            ranges.put("day", new Instant[] {june, june.plus(Duration.ofDays(1))});
            ranges.put("month", new Instant[] {june, june.plus(Duration.ofDays(30))});
            ranges.put("month_partial_ends", new Instant[] {june.plus(Duration.ofHours(10)), june.plus(Duration.ofDays(30)).plus(Duration.ofHours(15))});
            ranges.put("year", new Instant[] {start, LocalDate.of(2027, 1, 1).atStartOfDay(ZONE).toInstant()});
            List<Map<String, Object>> runs = new ArrayList<>();
            double worst = 0;
            for (var r : ranges.entrySet()) {
                Instant from = r.getValue()[0];
                Instant to = r.getValue()[1];
                for (BillingReports.By by : BillingReports.By.values()) {
                    Map<String, Object> run = time(repeats, "totals_by_" + by.key(), r.getKey(),
                            () -> jdbi.withHandle(h -> BillingReports.totals(h, e, ZONE, by, from, to)).total().get("calls"));
                    worst = Math.max(worst, (double) run.get("max_ms"));
                    runs.add(run);
                }
                if (!r.getKey().equals("day")) {
                    Map<String, Object> run = time(repeats, "bill_first_page", r.getKey(), () -> jdbi.withHandle(
                            h -> BillingReports.charges(h, e, ZONE, from, to, 0, BillingReports.MAX_PAGE)).rows().size());
                    worst = Math.max(worst, (double) run.get("max_ms"));
                    runs.add(run);
                }
            }
            out.put("runs", runs);
            out.put("worst_report_ms", worst);
            out.put("all_under_1s", worst < 1000);
            // An export of the bill: 50 000 rows read and written as CSV (the route does the same into the response).
            Instant[] month = ranges.get("year");
            Map<String, Object> export = time(Math.min(repeats, 3), "bill_csv_50000_rows", "year", () -> {
                ReportTable t = jdbi.withHandle(h -> BillingReports.charges(h, e, ZONE, month[0], month[1], 0, BillingReports.MAX_EXPORT));
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                ReportExport.csv(t, "en", bytes);
                return t.rows().size() + " rows, " + bytes.size() + " bytes";
            });
            out.put("export", export);
        } finally {
            if (dir != null) deleteTree(dir);
        }
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
    }

    @FunctionalInterface
    interface Run {
        Object run() throws Exception;
    }

    private static Map<String, Object> time(int repeats, String report, String range, Run fn) throws Exception {
        List<Double> ms = new ArrayList<>();
        double first = 0;
        Object result = null;
        for (int i = 0; i < repeats + 1; i++) {
            long s = System.nanoTime();
            result = fn.run();
            double took = (System.nanoTime() - s) / 1e6;
            if (i == 0) first = took; // also warms the JIT and the page cache: shown apart
            else ms.add(took);
        }
        ms.sort(Double::compare);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("report", report);
        run.put("range", range);
        run.put("first_ms", Math.round(first * 10) / 10.0);
        run.put("median_ms", Math.round(ms.get(ms.size() / 2) * 10) / 10.0);
        run.put("max_ms", Math.round(Math.max(first, ms.get(ms.size() - 1)) * 10) / 10.0);
        run.put("result", result);
        System.err.println("[bench] " + run);
        return run;
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

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
