package dev.hotline.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.store.Database;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the database benchmarks (bench/run-reports.sh, bench/run-billing.sh) share: the database they run on, the machine's
 * conditions, timing a report (a cold first run, then the median and max of the repeats) and the JSON lines they print.
 * Not a test.
 */
public final class BenchKit implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final Path dir;
    private final String schema;
    private final String baseUrl;
    private Database db;

    /**
     * {@code url} empty: an H2 file database (PostgreSQL mode, no query result cache: a repeated report must do its work
     * again) in a temporary folder deleted at the end. A PostgreSQL URL without currentSchema: a fresh schema
     * {@code bench_<millis>} made in it and dropped at the end unless {@code keep}. Any other URL: used as it is.
     */
    public BenchKit(String url, String name, boolean keep) throws IOException, SQLException {
        if (url == null || url.isBlank()) {
            dir = Files.createTempDirectory("hotline-" + name + "-bench");
            this.url = "jdbc:h2:file:" + dir.resolve("bench")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;QUERY_CACHE_SIZE=0";
            schema = null;
            baseUrl = null;
        } else if (url.startsWith("jdbc:postgresql:") && !url.contains("currentSchema=")) {
            dir = null;
            String s = "bench_" + System.currentTimeMillis();
            try (Connection c = DriverManager.getConnection(url); var st = c.createStatement()) {
                st.execute("CREATE SCHEMA " + s);
            }
            schema = keep ? null : s;
            baseUrl = url;
            this.url = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + s;
            System.err.println("[bench] PostgreSQL schema " + s + (keep ? " (kept)" : " (dropped at the end)"));
        } else {
            dir = null;
            schema = null;
            baseUrl = null;
            this.url = url;
        }
        db = new Database(this.url, "", "");
    }

    public Database db() {
        return db;
    }

    public boolean postgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    /**
     * After loading: the statistics a live database keeps by itself (PostgreSQL's autovacuum: VACUUM ANALYZE, which also
     * sets the visibility map index-only scans need; H2: ANALYZE), then the database closed and opened again, so that the
     * first run of each report reads from a database with empty caches (H2's page cache; PostgreSQL keeps its shared buffers
     * and the operating system its file cache).
     */
    public void settle() {
        db.jdbi().useHandle(h -> h.execute(postgres() ? "VACUUM ANALYZE" : "ANALYZE"));
        db.close();
        db = new Database(url, "", "");
    }

    /** The machine's conditions now: processors, load averages (other work on the box), free memory, JVM. */
    public static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        try {
            String[] load = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            m.put("load_1m", Double.parseDouble(load[0]));
            m.put("load_5m", Double.parseDouble(load[1]));
            m.put("load_15m", Double.parseDouble(load[2]));
        } catch (IOException | RuntimeException e) {
            m.put("load_1m", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) m.put("mem_available_mb", Long.parseLong(line.replaceAll("\\D", "")) / 1024);
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: no figure
        }
        m.put("java", System.getProperty("java.version"));
        m.put("at", Instant.now().toString());
        return m;
    }

    /** A report run REPEATS + 1 times: what it returned and its timings. */
    @FunctionalInterface
    public interface Run {
        Object run() throws Exception;
    }

    /**
     * Runs {@code fn} once (first_ms: cold for the first report of a freshly opened database, and the JIT not warm yet), then
     * {@code repeats} times (median_ms, max_ms of those). {@code result} describes what the last run returned (rows, total).
     */
    public static Map<String, Object> time(int repeats, Run fn) throws Exception {
        List<Double> ms = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        double first = 0;
        double firstCpu = 0;
        Object result = null;
        double load = (double) machine().getOrDefault("load_1m", -1.0);
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < repeats + 1; i++) {
            long c = threads.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            result = fn.run();
            double took = (System.nanoTime() - s) / 1e6;
            double tookCpu = (threads.getCurrentThreadCpuTime() - c) / 1e6;
            if (i == 0) {
                first = took;
                firstCpu = tookCpu;
            } else {
                ms.add(took);
                cpu.add(tookCpu);
            }
        }
        ms.sort(Double::compare);
        cpu.sort(Double::compare);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("first_ms", round(first));
        run.put("median_ms", ms.isEmpty() ? null : round(ms.get(ms.size() / 2)));
        run.put("max_ms", ms.isEmpty() ? null : round(ms.get(ms.size() - 1)));
        run.put("worst_ms", round(Math.max(first, ms.isEmpty() ? 0 : ms.get(ms.size() - 1))));
        // The calling thread's CPU time (an embedded H2 does the report's work in it; PostgreSQL's is in its own processes): on a
        // loaded machine the elapsed time is mostly waiting for a core, this is the work itself.
        run.put("cpu_first_ms", round(firstCpu));
        run.put("cpu_median_ms", cpu.isEmpty() ? null : round(cpu.get(cpu.size() / 2)));
        run.put("cpu_max_ms", cpu.isEmpty() ? null : round(cpu.get(cpu.size() - 1)));
        if (result instanceof Map<?, ?> r) r.forEach((k, v) -> run.put(String.valueOf(k), v));
        else run.put("result", result);
        run.put("load_1m", load);
        return run;
    }

    public static double round(double ms) {
        return Math.round(ms * 10) / 10.0;
    }

    /** One JSON line on stdout (and the same on stderr as progress). */
    public static void print(Map<String, Object> line) throws JsonProcessingException {
        String s = JSON.writeValueAsString(line);
        System.out.println(s);
        System.out.flush();
        System.err.println("[bench] " + s);
    }

    @Override
    public void close() throws IOException, SQLException {
        db.close();
        if (dir != null) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(baseUrl); var st = c.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
