package dev.hotline.report;

import dev.hotline.store.Database;
import dev.hotline.survey.SatisfactionReport;
import dev.hotline.testing.BenchKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The report benchmark (issue 15, bench/): CALLS generated inbound calls over a year in an H2 file database (or the
 * JDBC URL given), written as the event log's projections would write them (call_record, queue_visit, queue_offer,
 * agent_event), then every report timed over a day, a month and the whole year. One JSON document on stdout.
 * Not a test: run by {@code bench/run-reports.sh}.
 *
 * <p>Method: roll-ups per 15-minute slot (queue_stat, agent_stat, call_stat) and per UTC hour (queue_hour, agent_hour,
 * call_hour, V76). The server keeps them in step with the
 * event log (ReportProjection); here they are filled once from the generated rows with the same definitions, then the
 * reports read them as they do in the server.
 */
public final class ReportBenchMain {
    public static void main(String[] args) throws Exception {
        int calls = Integer.parseInt(System.getProperty("calls", "1000000"));
        int repeats = Integer.parseInt(System.getProperty("repeats", "5"));
        long t0 = System.nanoTime();
        try (BenchKit kit = new BenchKit(System.getProperty("url", ""), "report", "1".equals(System.getProperty("keep")))) {
            run(kit, calls, repeats, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static void run(BenchKit kit, int calls, int repeats, double openSeconds) throws Exception {
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("bench", "reports");
        setup.put("database", kit.postgres() ? "postgresql" : "h2");
        setup.put("calls", calls);
        setup.put("repeats", repeats);
        setup.put("machine", BenchKit.machine());
        setup.put("method", METHOD);
        Database db = kit.db();
        // Opening the database applies the migrations it lacks (a kept database of an earlier schema: V76 back-fills the hour
        // roll-ups from the 15-minute ones): how long the open took, and the latest migrations with when and how long each ran.
        setup.put("open_seconds", Math.round(openSeconds * 10) / 10.0);
        setup.put("latest_migrations", db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT version, installed_on, execution_time FROM flyway_schema_history WHERE version IS NOT NULL
                        ORDER BY installed_rank DESC LIMIT 3""")
                .map((rs, c) -> Map.of("version", rs.getString(1), "installed_on", String.valueOf(rs.getTimestamp(2)), "ms", rs.getLong(3)))
                .list()));
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        // A database kept from an earlier run (URL naming an H2 file or a PostgreSQL schema that holds the bench's
        // enterprise): its data is timed again as it is, nothing generated.
        var kept = db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM enterprise WHERE code = 'bench'").mapTo(Long.class).findFirst());
        long e;
        if (kept.isPresent()) {
            e = kept.get();
            // call_day is filled last, in the roll-ups' one transaction: a run stopped before it left a database not to time.
            if (db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM call_day").mapTo(Long.class).one()) == 0) {
                throw new IllegalStateException("the database holds an unfinished bench run (no roll-ups): delete it and generate again");
            }
            setup.put("reused", true);
            System.err.println("[bench] timing the data already in the database (enterprise " + e + "), nothing generated");
        } else {
            e = db.jdbi().withHandle(h -> h.createUpdate(
                            "INSERT INTO enterprise (code, name, sip_domain, enabled, created_at) VALUES ('bench', 'Bench', 'bench.hotline', TRUE, :at)")
                    .bind("at", Timestamp.from(Instant.now())).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
            long t0 = System.nanoTime();
            generate(db, e, calls, start);
            setup.put("generate_seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
            t0 = System.nanoTime();
            rollUp(db, e);
            setup.put("roll_up_seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
            t0 = System.nanoTime();
            kit.settle();
            db = kit.db();
            setup.put("analyze_reopen_seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        }
        Map<String, Object> rows = new LinkedHashMap<>();
        for (String table : List.of("call_record", "queue_visit", "queue_offer", "agent_event", "queue_stat", "agent_stat", "call_stat",
                "queue_day", "agent_day", "call_day", "queue_hour", "agent_hour", "call_hour", "number_stat", "number_day", "tolerance_stat", "tolerance_day", "outbound_stat",
                "outbound_day", "agent_time_stat", "agent_time_hour", "agent_time_day", "survey_result", "survey_queue_stat", "survey_queue_day",
                "survey_agent_stat", "survey_agent_day")) {
            Database d = db;
            rows.put(table, d.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one()));
        }
        setup.put("rows", rows);
        BenchKit.print(setup);
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        Map<String, Period> periods = new LinkedHashMap<>();
        Instant mid = Instant.parse("2026-06-15T16:00:00Z"); // midnight in Shanghai
        periods.put("day_by_hour", new Period(mid, mid.plus(Duration.ofDays(1)), zone, Period.Grouping.HOUR));
        periods.put("month_by_day", new Period(mid, mid.plus(Duration.ofDays(30)), zone, Period.Grouping.DAY));
        periods.put("year_by_month", new Period(start.minus(Duration.ofHours(8)), start.plus(Duration.ofDays(365)).minus(Duration.ofHours(8)),
                zone, Period.Grouping.MONTH));
        periods.put("year_by_day", new Period(start.minus(Duration.ofHours(8)), start.plus(Duration.ofDays(365)).minus(Duration.ofHours(8)),
                zone, Period.Grouping.DAY));
        periods.put("quarter_by_week_utc", new Period(Instant.parse("2026-04-06T00:00:00Z"), Instant.parse("2026-07-06T00:00:00Z"),
                ZoneId.of("UTC"), Period.Grouping.WEEK));
        Map<String, ReportFn> reports = new LinkedHashMap<>();
        reports.put("summary", Reports::summary);
        reports.put("numbers", Reports::numbers);
        reports.put("queues", Reports::queues);
        reports.put("agents", Reports::agents);
        // List reports: the first page of 50 rows and the count of all.
        reports.put("tracking", ListReports::tracking);
        reports.put("unanswered", Reports::unanswered);
        reports.put("callbacks", ListReports::callbacks);
        reports.put("tolerance", Reports::tolerance);
        reports.put("states", ListReports::states);
        reports.put("outbound", Reports::outbound);
        reports.put("satisfaction", SatisfactionReport::byQueue);
        reports.put("satisfaction-agents", SatisfactionReport::byAgent);
        double worst = 0;
        String worstOf = null;
        int n = 0;
        // ONLY="agents:year_by_day,summary:quarter_by_week_utc": time only these (report:period) runs, in the bench's order.
        String only = System.getenv().getOrDefault("ONLY", "");
        List<String> onlyRuns = only.isBlank() ? null : List.of(only.split(","));
        for (var p : periods.entrySet()) {
            var q = new Reports.Query(p.getValue(), null, null, start.plus(Duration.ofDays(400)), zone);
            for (var r : reports.entrySet()) {
                if (onlyRuns != null && !onlyRuns.contains(r.getKey() + ":" + p.getKey())) continue;
                Database d = db;
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("report", r.getKey());
                line.put("period", p.getKey());
                line.putAll(BenchKit.time(repeats, () -> {
                    ReportTable t = d.jdbi().withHandle(h -> r.getValue().run(h, e, q));
                    Map<String, Object> what = new LinkedHashMap<>();
                    what.put("rows", t.rows().size());
                    what.put("total", t.page() != null ? t.page().total() : t.total().getOrDefault("offered",
                            t.total().getOrDefault("lost", t.total().getOrDefault("inbound", t.total().getOrDefault("outboundCalls",
                                    t.total().get("surveyed"))))));
                    return what;
                }));
                BenchKit.print(line);
                n++;
                double w = (double) line.get("worst_ms");
                if (w > worst) {
                    worst = w;
                    worstOf = r.getKey() + " " + p.getKey();
                }
            }
        }
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("bench", "reports");
        end.put("database", kit.postgres() ? "postgresql" : "h2");
        end.put("runs", n);
        end.put("worst_ms", worst);
        end.put("worst", worstOf);
        end.put("all_under_1s", worst < 1000);
        end.put("machine", BenchKit.machine());
        BenchKit.print(end);
    }

    static final String METHOD = "roll-ups per 15-minute slot, per UTC hour and per day of the report zone (queue_stat/_hour/_day,"
            + " agent_stat/_day with agent_hour per agent, call_stat/_hour/_day,"
            + " number_stat/_day, tolerance_stat/_day, outbound_stat/_day, agent_time_stat/_hour/_day, survey_queue_stat/_day, survey_agent_stat/_day; kept by the event log's projection in"
            + " the same transaction as the events, here filled once from the generated rows), read by primary key (enterprise_id,"
            + " slot, ...) and added up in SQL to the coarsest unit inside one bucket, buckets in Java; the list reports (tracking,"
            + " callbacks, states) read one page of 50 rows in index order and count the range's rows from the roll-ups where no"
            + " filter prevents it, else over the index; a call-back per row by the caller and callee indexes, a state's end by"
            + " (user_id, id)";

    @FunctionalInterface
    interface ReportFn {
        ReportTable run(Handle h, long enterpriseId, Reports.Query q);
    }

    /**
     * Calls spread over 365 days (busier by day than by night) into 5 queues served by 50 agents: 80 % answered (a
     * tenth after a missed offer), 10 % abandoned, 4 % overflowed, 3 % voicemail, 3 % callback; the agents' shifts in
     * agent_event (log in ready, a break, log out) each day.
     */
    /** Outbound calls by "slot:agent": calls, answered, talk ms (the projection's outbound_stat, summed while generating). */
    static final Map<String, long[]> outbound = new java.util.HashMap<>();
    static final String[] lostCallers = new String[1000];
    static final String[] OVERFLOWS = {"max_wait", "full", "no_agents"};
    static int lostCount;

    static void generate(Database db, long e, int calls, Instant start) {
        Random rnd = new Random(15);
        int batch = 10_000;
        for (int done = 0; done < calls; done += batch) {
            int n = Math.min(batch, calls - done);
            int offset = done;
            db.jdbi().useTransaction(h -> {
                PreparedBatch rec = h.prepareBatch("""
                        INSERT INTO call_record (call_id, enterprise_id, direction, caller, callee, trunk, started_at, answered_at, ended_at,
                            talk_seconds, outcome, hangup_cause, hangup_by, sip_status, queue, agent_user_id, agent_job, wait_ms, queue_result,
                            disposition, hold_count, hold_seconds, transfers)
                        VALUES (:id, :e, 'inbound', :caller, :callee, 'carrier', :start, :ans, :end, :talk, :outcome, 'normal_clearing', 'caller',
                            200, :queue, :agent, :job, :wait, :qres, :disp, 0, :hold, 0)""");
                PreparedBatch visit = h.prepareBatch("""
                        INSERT INTO queue_visit (enterprise_id, call_id, seq, queue, joined_at, slot, result, reason, ended_at, wait_ms,
                            agent_user_id, talk_ms, hold_ms, wrap_ms, transfers)
                        VALUES (:e, :id, 1, :queue, :joined, :slot, :result, :reason, :ended, :wait, :agent, :talk, :hold, :wrap, 0)""");
                PreparedBatch survey = h.prepareBatch("""
                        INSERT INTO survey_result (enterprise_id, call_id, queue, agent_user_id, started_at, ended_at, result, score, reason)
                        VALUES (:e, :id, :queue, :agent, :at, :end, :result, :score, :reason)""");
                PreparedBatch offer = h.prepareBatch("""
                        INSERT INTO queue_offer (enterprise_id, call_id, channel_id, queue, agent_user_id, offered_at, slot, result)
                        VALUES (:e, :id, :ch, :queue, :agent, :at, :slot, :result)""");
                // The calls of a batch in time order (as the event log writes them): the indexes on time grow at their end.
                long[] starts = new long[n];
                for (int i = 0; i < n; i++) {
                    long day = (long) (offset + i) * 365 / calls;
                    // Business hours mostly: 8:00-20:00 in Shanghai (0:00-12:00 UTC), a few at night.
                    long second = rnd.nextInt(10) < 9 ? rnd.nextInt(12 * 3600) : 12 * 3600 + rnd.nextInt(12 * 3600);
                    starts[i] = day * 86400 + second;
                }
                java.util.Arrays.sort(starts);
                for (int i = 0; i < n; i++) {
                    String id = "bench-" + (offset + i);
                    Instant t = start.plusSeconds(starts[i]);
                    Instant joined = t; // the caller joins the queue as the call starts: the call and its visit share a slot
                    String queue = "q" + rnd.nextInt(5);
                    long agent = 1000 + rnd.nextInt(50);
                    int roll = rnd.nextInt(100);
                    String result = roll < 80 ? "answered" : roll < 90 ? "abandoned" : roll < 94 ? "overflow" : roll < 97 ? "voicemail" : "callback";
                    long wait = rnd.nextInt(60_000);
                    long talk = result.equals("answered") ? 30_000 + rnd.nextInt(300_000) : 0;
                    Instant ended = joined.plusMillis(wait);
                    Instant end = ended.plusMillis(talk);
                    String disp = switch (result) {
                        case "answered" -> "answered";
                        case "abandoned" -> "abandoned_queue";
                        case "voicemail" -> "voicemail";
                        default -> "unanswered";
                    };
                    boolean ans = result.equals("answered");
                    String caller = "139" + rnd.nextInt(100_000_000);
                    if (result.equals("abandoned")) lostCallers[lostCount++ % lostCallers.length] = caller;
                    rec.bind("id", id).bind("e", e).bind("caller", caller).bind("callee", "400" + rnd.nextInt(4)).bind("start", Timestamp.from(t))
                            .bind("ans", Timestamp.from(t.plusMillis(200))).bind("end", Timestamp.from(end)).bind("talk", (int) (talk / 1000))
                            .bind("outcome", "answered").bind("queue", queue).bind("agent", ans ? agent : null).bind("job", ans ? "" + agent : null)
                            .bind("wait", wait).bind("qres", result).bind("disp", disp).bind("hold", 0).add();
                    visit.bind("e", e).bind("id", id).bind("queue", queue).bind("joined", Timestamp.from(joined))
                            .bind("slot", ReportProjection.slot(joined)).bind("result", result)
                            .bind("reason", result.equals("abandoned") ? "queued" : result.equals("overflow") ? OVERFLOWS[rnd.nextInt(3)] : null)
                            .bind("ended", Timestamp.from(ended)).bind("wait", wait).bind("agent", ans ? agent : null).bind("talk", talk)
                            .bind("hold", ans && rnd.nextInt(10) == 0 ? 15_000 : 0).bind("wrap", ans ? 10_000 : 0).add();
                    if (ans && rnd.nextInt(4) == 0) { // a quarter of the answered callers stay for the survey
                        int score = 1 + rnd.nextInt(4); // 4: no key pressed
                        survey.bind("e", e).bind("id", id).bind("queue", queue).bind("agent", agent).bind("at", Timestamp.from(end))
                                .bind("end", Timestamp.from(end.plusSeconds(8))).bind("result", score == 4 ? "no_input" : "answered")
                                .bind("score", score == 4 ? null : (Integer) score)
                                .bind("reason", score == 3 ? (Integer) (1 + rnd.nextInt(3)) : null).add();
                    }
                    if (ans) {
                        if (rnd.nextInt(10) == 0) {
                            offer.bind("e", e).bind("id", id).bind("ch", id + "-m").bind("queue", queue).bind("agent", 1000 + (agent + 1) % 50)
                                    .bind("at", Timestamp.from(joined)).bind("slot", ReportProjection.slot(joined)).bind("result", "no_answer").add();
                        }
                        offer.bind("e", e).bind("id", id).bind("ch", id + "-a").bind("queue", queue).bind("agent", agent)
                                .bind("at", Timestamp.from(ended)).bind("slot", ReportProjection.slot(joined)).bind("result", "answered").add();
                    }
                }
                rec.execute();
                visit.execute();
                offer.execute();
                survey.execute();
                // One outbound call for every ten inbound: agents calling back a recent abandoned caller or another number.
                PreparedBatch out = h.prepareBatch("""
                        INSERT INTO call_record (call_id, enterprise_id, direction, caller, callee, trunk, extension, started_at, answered_at,
                            ended_at, talk_seconds, outcome, hangup_cause, hangup_by, sip_status, agent_user_id, disposition)
                        VALUES (:id, :e, 'outbound', :ext, :callee, 'carrier', :ext, :start, :ans, :end, :talk, :outcome, 'normal_clearing',
                            'caller', 200, :agent, :disp)""");
                for (int i = 0; i < n / 10; i++) {
                    long agent = 1000 + rnd.nextInt(50);
                    Instant t = start.plus(Duration.ofDays((long) (offset + i * 10) * 365 / calls)).plusSeconds(rnd.nextInt(12 * 3600));
                    boolean ans = rnd.nextInt(10) < 7;
                    long talk = ans ? 20_000 + rnd.nextInt(200_000) : 0;
                    String callee = rnd.nextBoolean() && lostCount > 0 ? lostCallers[rnd.nextInt(Math.min(lostCount, lostCallers.length))]
                            : "138" + rnd.nextInt(100_000_000);
                    out.bind("id", "bench-out-" + (offset + i)).bind("e", e).bind("ext", "e" + agent).bind("callee", callee)
                            .bind("start", Timestamp.from(t)).bind("ans", ans ? Timestamp.from(t.plusSeconds(5)) : null)
                            .bind("end", Timestamp.from(t.plusSeconds(5).plusMillis(talk))).bind("talk", (int) (talk / 1000))
                            .bind("outcome", ans ? "answered" : "no_answer").bind("agent", agent).bind("disp", ans ? "answered" : "unanswered").add();
                    long[] o = outbound.computeIfAbsent(ReportProjection.slot(t) + ":" + agent, k -> new long[3]);
                    o[0]++;
                    o[1] += ans ? 1 : 0;
                    o[2] += talk / 1000 * 1000;
                }
                if (n >= 10) out.execute();
            });
            if ((done / batch) % 10 == 0) System.err.println("[bench] generated " + (done + n) + " calls");
        }
        db.jdbi().useTransaction(h -> {
            PreparedBatch ev = h.prepareBatch("""
                    INSERT INTO agent_event (enterprise_id, user_id, at, state, previous, reason, device, call_id, cause)
                    VALUES (:e, :u, :at, :s, :p, :r, 'sip', NULL, 'agent')""");
            for (int day = 0; day < 365; day++) {
                for (int a = 0; a < 50; a++) {
                    Instant in = start.plus(Duration.ofDays(day)).plusSeconds(rnd.nextInt(1800));
                    ev.bind("e", e).bind("u", 1000 + a).bind("at", Timestamp.from(in)).bind("s", "ready").bind("p", "logged_out").bind("r", (String) null).add();
                    Instant brk = in.plusSeconds(4 * 3600);
                    ev.bind("e", e).bind("u", 1000 + a).bind("at", Timestamp.from(brk)).bind("s", "not_ready").bind("p", "ready").bind("r", "meal").add();
                    ev.bind("e", e).bind("u", 1000 + a).bind("at", Timestamp.from(brk.plusSeconds(3600))).bind("s", "ready").bind("p", "not_ready")
                            .bind("r", (String) null).add();
                    ev.bind("e", e).bind("u", 1000 + a).bind("at", Timestamp.from(in.plusSeconds(9 * 3600))).bind("s", "logged_out").bind("p", "ready")
                            .bind("r", (String) null).add();
                }
            }
            ev.execute();
        });
    }

    /** Fills the roll-ups from the generated rows (what the projection would have added call by call, event by event). */
    static void rollUp(Database db, long e) {
        // Time in states and surveys: built from agent_event and survey_result by the server's own code (what it does at its
        // first start with V27 and V31).
        AgentStateRollup.rebuildIfZoneChanged(db.jdbi(), ZoneId.of("Asia/Shanghai"));
        SurveyRollup.rebuildIfZoneChanged(db.jdbi(), ZoneId.of("Asia/Shanghai"));
        db.jdbi().useTransaction(h -> {
            h.createUpdate("""
                    INSERT INTO queue_stat (enterprise_id, slot, queue, offered, answered, answered_in_target, abandoned, short_abandoned,
                        abandoned_ringing, overflowed, voicemail, callback, answer_wait_ms, abandon_wait_ms, longest_wait_ms, talk_ms, hold_ms,
                        wrap_ms, transfers)
                    SELECT enterprise_id, slot, queue, COUNT(*),
                        SUM(CASE WHEN result = 'answered' THEN 1 ELSE 0 END),
                        SUM(CASE WHEN result = 'answered' AND wait_ms <= 20000 THEN 1 ELSE 0 END),
                        SUM(CASE WHEN result = 'abandoned' THEN 1 ELSE 0 END),
                        SUM(CASE WHEN result = 'abandoned' AND wait_ms <= 5000 THEN 1 ELSE 0 END),
                        SUM(CASE WHEN result = 'abandoned' AND reason = 'ringing' THEN 1 ELSE 0 END),
                        SUM(CASE WHEN result = 'overflow' THEN 1 ELSE 0 END),
                        SUM(CASE WHEN result = 'voicemail' THEN 1 ELSE 0 END),
                        SUM(CASE WHEN result = 'callback' THEN 1 ELSE 0 END),
                        SUM(CASE WHEN result = 'answered' THEN wait_ms ELSE 0 END),
                        SUM(CASE WHEN result = 'abandoned' THEN wait_ms ELSE 0 END),
                        MAX(wait_ms), SUM(talk_ms), SUM(hold_ms), SUM(wrap_ms), SUM(transfers)
                    FROM queue_visit WHERE enterprise_id = :e GROUP BY enterprise_id, slot, queue""").bind("e", e).execute();
            h.createUpdate("""
                    INSERT INTO agent_stat (enterprise_id, slot, agent_user_id, queue, offered, answered, missed, transfers, talk_ms, hold_ms, wrap_ms)
                    SELECT enterprise_id, slot, agent_user_id, queue, SUM(o), SUM(a), SUM(m), SUM(t), SUM(tk), SUM(hd), SUM(w) FROM (
                        SELECT enterprise_id, slot, agent_user_id, queue, 1 AS o, CASE WHEN result = 'answered' THEN 1 ELSE 0 END AS a,
                            CASE WHEN result IN ('no_answer', 'busy', 'rejected', 'failed') THEN 1 ELSE 0 END AS m, 0 AS t, 0 AS tk, 0 AS hd, 0 AS w
                        FROM queue_offer WHERE enterprise_id = :e
                        UNION ALL
                        SELECT enterprise_id, slot, agent_user_id, queue, 0, 0, 0, transfers, talk_ms, hold_ms, wrap_ms
                        FROM queue_visit WHERE enterprise_id = :e AND result = 'answered') x
                    GROUP BY enterprise_id, slot, agent_user_id, queue""").bind("e", e).execute();
            h.createUpdate("""
                    INSERT INTO call_stat (enterprise_id, slot, queue, inbound, left_ivr, abandoned_queued, abandoned_ringing, not_answered,
                        callback, overflow_no_agents, overflow_full, overflow_max_wait)
                    SELECT r.enterprise_id, v.slot, COALESCE(r.queue, ''), COUNT(*),
                        SUM(CASE WHEN r.disposition = 'abandoned_ivr' THEN 1 ELSE 0 END),
                        SUM(CASE WHEN r.disposition = 'abandoned_queue' THEN 1 ELSE 0 END),
                        SUM(CASE WHEN r.disposition = 'abandoned_ringing' THEN 1 ELSE 0 END),
                        SUM(CASE WHEN r.disposition = 'unanswered' AND r.queue_result <> 'callback' THEN 1 ELSE 0 END),
                        SUM(CASE WHEN r.disposition = 'unanswered' AND r.queue_result = 'callback' THEN 1 ELSE 0 END),
                        SUM(CASE WHEN r.disposition = 'unanswered' AND v.result = 'overflow' AND v.reason = 'no_agents' THEN 1 ELSE 0 END),
                        SUM(CASE WHEN r.disposition = 'unanswered' AND v.result = 'overflow' AND v.reason = 'full' THEN 1 ELSE 0 END),
                        SUM(CASE WHEN r.disposition = 'unanswered' AND v.result = 'overflow' AND v.reason = 'max_wait' THEN 1 ELSE 0 END)
                    FROM call_record r JOIN queue_visit v ON v.call_id = r.call_id AND v.seq = 1
                    WHERE r.enterprise_id = :e GROUP BY r.enterprise_id, v.slot, COALESCE(r.queue, '')""").bind("e", e).execute();
            h.createUpdate("""
                    INSERT INTO number_stat (enterprise_id, slot, number, inbound, answered, abandoned, not_answered, talk_ms)
                    SELECT r.enterprise_id, v.slot, r.callee, COUNT(*),
                        SUM(CASE WHEN r.disposition = 'answered' THEN 1 ELSE 0 END),
                        SUM(CASE WHEN r.disposition IN ('abandoned_ivr', 'abandoned_queue', 'abandoned_ringing') THEN 1 ELSE 0 END),
                        SUM(CASE WHEN r.disposition = 'unanswered' THEN 1 ELSE 0 END),
                        SUM(CASE WHEN r.disposition = 'answered' THEN r.talk_seconds * 1000 ELSE 0 END)
                    FROM call_record r JOIN queue_visit v ON v.call_id = r.call_id AND v.seq = 1
                    WHERE r.enterprise_id = :e AND r.direction = 'inbound' GROUP BY r.enterprise_id, v.slot, r.callee""").bind("e", e).execute();
            StringBuilder tol = new StringBuilder();
            int[] bounds = ReportProjection.TOLERANCE_BOUNDS;
            for (String kind : List.of("answered", "abandoned")) {
                for (int b = 0; b <= bounds.length; b++) {
                    String lower = b == 0 ? "" : " AND wait_ms >= " + bounds[b - 1] * 1000L;
                    String upper = b == bounds.length ? "" : " AND wait_ms < " + bounds[b] * 1000L;
                    tol.append(", SUM(CASE WHEN result = '").append(kind).append("'").append(lower).append(upper).append(" THEN 1 ELSE 0 END)");
                }
            }
            h.createUpdate("""
                    INSERT INTO tolerance_stat (enterprise_id, slot, queue, a0, a1, a2, a3, a4, a5, a6, x0, x1, x2, x3, x4, x5, x6)
                    SELECT enterprise_id, slot, queue%s FROM queue_visit WHERE enterprise_id = :e GROUP BY enterprise_id, slot, queue"""
                    .formatted(tol)).bind("e", e).execute();
            PreparedBatch ob = h.prepareBatch("""
                    INSERT INTO outbound_stat (enterprise_id, slot, agent_user_id, calls, answered, talk_ms) VALUES (:e, :slot, :agent, :c, :a, :t)""");
            outbound.forEach((k, v) -> ob.bind("e", e).bind("slot", Long.parseLong(k.substring(0, k.indexOf(':'))))
                    .bind("agent", Long.parseLong(k.substring(k.indexOf(':') + 1))).bind("c", v[0]).bind("a", v[1]).bind("t", v[2]).add());
            if (!outbound.isEmpty()) ob.execute();
            // The day roll-ups in the report zone, Asia/Shanghai (UTC+8 all year): day = (slot × 900 + 8 h) / 1 day.
            String day = "((slot * 900 + 28800) / 86400)";
            h.createUpdate("""
                    INSERT INTO number_day (enterprise_id, slot, number, inbound, answered, abandoned, not_answered, talk_ms)
                    SELECT enterprise_id, %1$s, number, SUM(inbound), SUM(answered), SUM(abandoned), SUM(not_answered), SUM(talk_ms)
                    FROM number_stat WHERE enterprise_id = :e GROUP BY enterprise_id, %1$s, number""".formatted(day)).bind("e", e).execute();
            h.createUpdate("""
                    INSERT INTO tolerance_day (enterprise_id, slot, queue, a0, a1, a2, a3, a4, a5, a6, x0, x1, x2, x3, x4, x5, x6)
                    SELECT enterprise_id, %1$s, queue, SUM(a0), SUM(a1), SUM(a2), SUM(a3), SUM(a4), SUM(a5), SUM(a6),
                        SUM(x0), SUM(x1), SUM(x2), SUM(x3), SUM(x4), SUM(x5), SUM(x6)
                    FROM tolerance_stat WHERE enterprise_id = :e GROUP BY enterprise_id, %1$s, queue""".formatted(day)).bind("e", e).execute();
            h.createUpdate("""
                    INSERT INTO outbound_day (enterprise_id, slot, agent_user_id, calls, answered, talk_ms)
                    SELECT enterprise_id, %1$s, agent_user_id, SUM(calls), SUM(answered), SUM(talk_ms)
                    FROM outbound_stat WHERE enterprise_id = :e GROUP BY enterprise_id, %1$s, agent_user_id""".formatted(day)).bind("e", e).execute();
            h.createUpdate("""
                    INSERT INTO queue_day (enterprise_id, slot, queue, offered, answered, answered_in_target, abandoned, short_abandoned,
                        abandoned_ringing, overflowed, voicemail, callback, answer_wait_ms, abandon_wait_ms, longest_wait_ms, talk_ms, hold_ms,
                        wrap_ms, transfers)
                    SELECT enterprise_id, %1$s, queue, SUM(offered), SUM(answered), SUM(answered_in_target), SUM(abandoned), SUM(short_abandoned),
                        SUM(abandoned_ringing), SUM(overflowed), SUM(voicemail), SUM(callback), SUM(answer_wait_ms), SUM(abandon_wait_ms),
                        MAX(longest_wait_ms), SUM(talk_ms), SUM(hold_ms), SUM(wrap_ms), SUM(transfers)
                    FROM queue_stat WHERE enterprise_id = :e GROUP BY enterprise_id, %1$s, queue""".formatted(day)).bind("e", e).execute();
            h.createUpdate("""
                    INSERT INTO agent_day (enterprise_id, slot, agent_user_id, queue, offered, answered, missed, transfers, talk_ms, hold_ms, wrap_ms)
                    SELECT enterprise_id, %1$s, agent_user_id, queue, SUM(offered), SUM(answered), SUM(missed), SUM(transfers), SUM(talk_ms),
                        SUM(hold_ms), SUM(wrap_ms)
                    FROM agent_stat WHERE enterprise_id = :e GROUP BY enterprise_id, %1$s, agent_user_id, queue""".formatted(day))
                    .bind("e", e).execute();
            h.createUpdate("""
                    INSERT INTO call_day (enterprise_id, slot, queue, inbound, left_ivr, abandoned_queued, abandoned_ringing, not_answered,
                        callback, overflow_no_agents, overflow_full, overflow_max_wait)
                    SELECT enterprise_id, %1$s, queue, SUM(inbound), SUM(left_ivr), SUM(abandoned_queued), SUM(abandoned_ringing), SUM(not_answered),
                        SUM(callback), SUM(overflow_no_agents), SUM(overflow_full), SUM(overflow_max_wait)
                    FROM call_stat WHERE enterprise_id = :e GROUP BY enterprise_id, %1$s, queue""".formatted(day)).bind("e", e).execute();
            // The UTC hour roll-ups (V76) as the projection keeps them: each hour the sum of its four slots (agent_hour of all queues).
            h.createUpdate("""
                    INSERT INTO queue_hour (enterprise_id, slot, queue, offered, answered, answered_in_target, abandoned, short_abandoned,
                        abandoned_ringing, overflowed, voicemail, callback, answer_wait_ms, abandon_wait_ms, longest_wait_ms, talk_ms, hold_ms,
                        wrap_ms, transfers)
                    SELECT enterprise_id, slot / 4, queue, SUM(offered), SUM(answered), SUM(answered_in_target), SUM(abandoned), SUM(short_abandoned),
                        SUM(abandoned_ringing), SUM(overflowed), SUM(voicemail), SUM(callback), SUM(answer_wait_ms), SUM(abandon_wait_ms),
                        MAX(longest_wait_ms), SUM(talk_ms), SUM(hold_ms), SUM(wrap_ms), SUM(transfers)
                    FROM queue_stat WHERE enterprise_id = :e GROUP BY enterprise_id, slot / 4, queue""").bind("e", e).execute();
            h.createUpdate("""
                    INSERT INTO agent_hour (enterprise_id, slot, agent_user_id, offered, answered, missed, transfers, talk_ms, hold_ms, wrap_ms)
                    SELECT enterprise_id, slot / 4, agent_user_id, SUM(offered), SUM(answered), SUM(missed), SUM(transfers), SUM(talk_ms),
                        SUM(hold_ms), SUM(wrap_ms)
                    FROM agent_stat WHERE enterprise_id = :e GROUP BY enterprise_id, slot / 4, agent_user_id""").bind("e", e).execute();
            h.createUpdate("""
                    INSERT INTO call_hour (enterprise_id, slot, queue, inbound, left_ivr, abandoned_queued, abandoned_ringing, not_answered,
                        callback, overflow_no_agents, overflow_full, overflow_max_wait)
                    SELECT enterprise_id, slot / 4, queue, SUM(inbound), SUM(left_ivr), SUM(abandoned_queued), SUM(abandoned_ringing),
                        SUM(not_answered), SUM(callback), SUM(overflow_no_agents), SUM(overflow_full), SUM(overflow_max_wait)
                    FROM call_stat WHERE enterprise_id = :e GROUP BY enterprise_id, slot / 4, queue""").bind("e", e).execute();
        });
    }
}
