package dev.hotline.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.store.Database;
import dev.hotline.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RPT-3's reconciliation as a property: random event logs (seeded, so a failure is reproduced by its seed), written
 * through the real event log into H2, always give reports where, for each queue and period, offered = answered +
 * abandoned + overflowed + voicemail + callback + still waiting, and the enterprise summary is the sum of its queues;
 * and the counts equal what the generator knows it made. A restart (unfinished calls closed) keeps it true.
 */
class ReportReconciliationTest {
    static final List<String> QUEUES = List.of("sales", "support", "vip");
    static final List<String> RESULTS = List.of("answered", "abandoned", "abandoned_ringing", "overflow", "voicemail", "callback", "waiting");
    static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");
    /** The event log's report zone: day-aligned reports in it read the day roll-ups, all others the 15-minute ones. */
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final Map<String, QueueTargets> TARGETS = Map.of("sales", new QueueTargets(20, 5), "support", new QueueTargets(10, 3));

    /** The database the event log writes to (and the report SQL runs on). */
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }

    /** What the generator made of one queue visit. */
    record Expected(String queue, Instant joinedAt, String result, long waitMs) {}

    @ParameterizedTest
    @ValueSource(longs = {1, 7, 42, 2026, 31337, 900_001})
    void randomEventLogsAlwaysReconcile(long seed) throws Exception {
        try (Database db = new Database(TestDatabases.migrated(kind()), "", "")) {
            long e = EventLogTest.enterprise(db);
            Random rnd = new Random(seed);
            List<Expected> expected = new ArrayList<>();
            EventLog log = new EventLog(db.jdbi(), Clock.systemUTC(), null, List.of(), (h, en) -> TARGETS, SHANGHAI);
            int calls = 150 + rnd.nextInt(150);
            for (int i = 0; i < calls; i++) generateCall(e, "s" + seed + "-c" + i, rnd, log, expected);
            assertThat(log.flush(120, TimeUnit.SECONDS)).isTrue();
            log.close();

            Instant end = T0.plus(Duration.ofDays(4));
            check(db, e, new Period(T0, end, ZoneId.of("UTC"), Period.Grouping.DAY), expected, false);
            // Random other periods, zones and groupings: every bucket of every queue reconciles.
            String[] zones = {"UTC", "Asia/Shanghai", "America/New_York", "Asia/Kolkata"};
            for (int k = 0; k < 4; k++) {
                Instant from = T0.plusSeconds(900L * rnd.nextInt(4 * 24 * 3));
                Instant to = from.plusSeconds(900L * (1 + rnd.nextInt(4 * 24 * 2)));
                Period.Grouping g = Period.Grouping.values()[rnd.nextInt(4)];
                check(db, e, new Period(from, to, ZoneId.of(zones[rnd.nextInt(zones.length)]), g), expected, false);
            }

            // Whole days in the report zone: read from the day roll-ups, the same numbers.
            Instant shMidnight = T0.minus(Duration.ofHours(8));
            for (Period.Grouping g : List.of(Period.Grouping.DAY, Period.Grouping.WEEK, Period.Grouping.MONTH)) {
                Period days = new Period(shMidnight.plus(Duration.ofDays(rnd.nextInt(2))), shMidnight.plus(Duration.ofDays(2 + rnd.nextInt(3))),
                        SHANGHAI, g);
                assertThat(days.unit(SHANGHAI).daily()).isTrue();
                check(db, e, days, expected, false);
            }

            // A restart: the calls still waiting are closed (system_restart), their visits abandoned; still reconciles.
            new EventLog(db.jdbi(), Clock.systemUTC(), null, List.of(), (h, en) -> TARGETS, SHANGHAI).close();
            List<Expected> afterRestart = expected.stream()
                    .map(x -> x.result().equals("waiting") ? new Expected(x.queue(), x.joinedAt(), "abandoned", -1) : x).toList();
            check(db, e, new Period(T0, end, ZoneId.of("UTC"), Period.Grouping.WEEK), afterRestart, true);
        }
    }

    private void check(Database db, long e, Period p, List<Expected> expected, boolean restarted) {
        var q = new Reports.Query(p, null, null, T0.plus(Duration.ofDays(5)), SHANGHAI);
        Map<LocalDateTime, Map<String, QueueFigures>> figures = db.jdbi().withHandle(h -> Reports.queueFigures(h, e, q));
        Map<String, QueueFigures> byQueue = new TreeMap<>();
        QueueFigures all = QueueFigures.ZERO;
        for (var bucket : figures.values()) {
            for (var en : bucket.entrySet()) {
                assertThat(en.getValue().reconciles()).as("%s %s", en.getKey(), en.getValue()).isTrue();
                byQueue.merge(en.getKey(), en.getValue(), QueueFigures::plus);
                all = all.plus(en.getValue());
            }
        }
        assertThat(all.reconciles()).isTrue();
        // The generator's own count of each result per queue, for visits that joined in the period.
        Map<String, Map<String, Long>> want = new HashMap<>();
        for (Expected x : expected) {
            if (x.joinedAt().isBefore(p.from()) || !x.joinedAt().isBefore(p.to())) continue;
            String r = x.result().equals("abandoned_ringing") ? "abandoned" : x.result();
            want.computeIfAbsent(x.queue(), k -> new HashMap<>()).merge(r, 1L, Long::sum);
            want.get(x.queue()).merge("offered", 1L, Long::sum);
            if (x.result().equals("abandoned_ringing")) want.get(x.queue()).merge("ringing", 1L, Long::sum);
            QueueTargets t = TARGETS.getOrDefault(x.queue(), QueueTargets.DEFAULT);
            if (x.result().equals("answered") && x.waitMs() <= t.serviceLevelSeconds() * 1000L) {
                want.get(x.queue()).merge("inTarget", 1L, Long::sum);
            }
            if (r.equals("abandoned") && x.waitMs() >= 0 && x.waitMs() <= t.shortAbandonSeconds() * 1000L) {
                want.get(x.queue()).merge("short", 1L, Long::sum);
            }
        }
        assertThat(byQueue.keySet()).isEqualTo(want.keySet());
        // Each visit is offered in the bucket it joined in: the roll-up rows' units mapped to the period's buckets (added up
        // by the database, ReportStore.unitOf) put it there, not in a neighbour.
        Map<LocalDateTime, Map<String, Long>> offeredWant = new TreeMap<>();
        for (Expected x : expected) {
            if (x.joinedAt().isBefore(p.from()) || !x.joinedAt().isBefore(p.to())) continue;
            offeredWant.computeIfAbsent(p.bucket(x.joinedAt()), k -> new TreeMap<>()).merge(x.queue(), 1L, Long::sum);
        }
        Map<LocalDateTime, Map<String, Long>> offeredGot = new TreeMap<>();
        figures.forEach((bucket, byQ) -> byQ.forEach((queue, f) -> {
            if (f.offered() > 0) offeredGot.computeIfAbsent(bucket, k -> new TreeMap<>()).put(queue, f.offered());
        }));
        assertThat(offeredGot).as("offered by bucket of %s", p).isEqualTo(offeredWant);
        for (var en : byQueue.entrySet()) {
            Map<String, Long> w = want.get(en.getKey());
            QueueFigures f = en.getValue();
            assertThat(f.offered()).as(en.getKey()).isEqualTo(w.getOrDefault("offered", 0L));
            assertThat(f.answered()).as(en.getKey()).isEqualTo(w.getOrDefault("answered", 0L));
            assertThat(f.abandoned()).as(en.getKey()).isEqualTo(w.getOrDefault("abandoned", 0L));
            assertThat(f.abandonedRinging()).as(en.getKey()).isEqualTo(w.getOrDefault("ringing", 0L));
            assertThat(f.overflowed()).as(en.getKey()).isEqualTo(w.getOrDefault("overflow", 0L));
            assertThat(f.voicemail()).as(en.getKey()).isEqualTo(w.getOrDefault("voicemail", 0L));
            assertThat(f.callback()).as(en.getKey()).isEqualTo(w.getOrDefault("callback", 0L));
            assertThat(f.waiting()).as(en.getKey()).isEqualTo(w.getOrDefault("waiting", 0L));
            assertThat(f.answeredInTarget()).as(en.getKey()).isEqualTo(w.getOrDefault("inTarget", 0L));
            if (!restarted) assertThat(f.shortAbandoned()).as(en.getKey()).isEqualTo(w.getOrDefault("short", 0L));
        }
        if (restarted) assertThat(all.waiting()).isZero();
        // The enterprise summary is the sum of its queues, row by row and in total.
        ReportTable summary = db.jdbi().withHandle(h -> Reports.summary(h, e, q));
        ReportTable queues = db.jdbi().withHandle(h -> Reports.queues(h, e, q));
        for (String key : List.of("offered", "answered", "answeredInTarget", "abandoned", "shortAbandoned", "abandonedRinging", "overflowed",
                "voicemail", "callback", "waiting", "transfers")) {
            assertThat(summary.total().get(key)).as(key).isEqualTo(queues.total().get(key));
            for (var row : summary.rows()) {
                long sum = queues.rows().stream().filter(r -> r.get("period").equals(row.get("period"))).mapToLong(r -> (Long) r.get(key)).sum();
                assertThat(row.get(key)).as("%s %s", row.get("period"), key).isEqualTo(sum);
            }
        }
        assertThat(summary.total().get("offered")).isEqualTo(all.offered());
    }

    /** One random call: arrives, maybe passes the IVR, visits one or two queues, and ends in a random way (or is still waiting). */
    static void generateCall(long e, String id, Random rnd, EventLog log, List<Expected> expected) {
        List<LogEvent> out = new ArrayList<>();
        CallTracker tracker = new CallTracker();
        Instant[] t = {T0.plusMillis((long) (rnd.nextDouble() * Duration.ofDays(3).toMillis()))};
        String in = id + "-in";
        java.util.function.Consumer<CallLogEvent> emit = ev -> {
            tracker.apply(ev);
            out.add(ev);
        };
        java.util.function.LongFunction<Instant> after = ms -> t[0] = t[0].plusMillis(ms);
        emit.accept(new CallLogEvent.Arrived(e, id, t[0], in, "inbound", "1390000" + rnd.nextInt(1000), "4000", "carrier", null));
        emit.accept(new CallLogEvent.Answered(e, id, after.apply(200), in));
        if (rnd.nextBoolean()) emit.accept(new CallLogEvent.IvrNode(e, id, after.apply(3000), in, "main", "menu", "menu"));
        boolean open = false;
        int legs = 0;
        for (int visit = 0; visit < 2; visit++) {
            String queue = QUEUES.get(rnd.nextInt(QUEUES.size()));
            Instant joined = after.apply(100 + rnd.nextInt(2000));
            emit.accept(new CallLogEvent.QueueJoined(e, id, joined, in, queue, 0, 1));
            String result = RESULTS.get(rnd.nextInt(RESULTS.size()));
            long wait = rnd.nextInt(40_000);
            long agent = 100 + rnd.nextInt(5);
            if (result.equals("answered")) {
                if (rnd.nextBoolean()) { // a missed offer first (RONA)
                    String miss = id + "-leg" + legs++;
                    emit.accept(new CallLogEvent.QueueOffered(e, id, after.apply(wait / 3), miss, queue, agent + 10, "9", "sip"));
                    emit.accept(new CallLogEvent.QueueOfferEnded(e, id, after.apply(wait / 3), miss, queue, agent + 10, "no_answer"));
                    emit.accept(new CallLogEvent.HungUp(e, id, t[0], miss, "NO_ANSWER", 480));
                }
                String leg = id + "-leg" + legs++;
                emit.accept(new CallLogEvent.QueueOffered(e, id, after.apply(10), leg, queue, agent, "8", "sip"));
                emit.accept(new CallLogEvent.Answered(e, id, joined.plusMillis(wait), leg));
                t[0] = joined.plusMillis(wait);
                emit.accept(new CallLogEvent.QueueConnected(e, id, t[0], leg, queue, agent, "8", wait));
                if (rnd.nextBoolean()) {
                    emit.accept(new CallLogEvent.Hold(e, id, after.apply(5000), leg, true));
                    emit.accept(new CallLogEvent.Hold(e, id, after.apply(5000), leg, false));
                }
                if (rnd.nextInt(4) == 0) emit.accept(new CallLogEvent.Transfer(e, id, after.apply(1000), leg, "blind", "8002"));
                emit.accept(new CallLogEvent.HungUp(e, id, after.apply(20_000 + rnd.nextInt(60_000)), in, "NORMAL_CLEARING", 0));
                emit.accept(new CallLogEvent.HungUp(e, id, t[0], leg, "NORMAL_CLEARING", 0));
                out.add(new AgentLogEvent(e, agent, t[0], "wrap_up", "on_call", null, "sip", id, "call"));
                out.add(new AgentLogEvent(e, agent, t[0].plusMillis(5000), "ready", "wrap_up", null, "sip", null, "system"));
            } else if (result.equals("abandoned") || result.equals("abandoned_ringing")) {
                String leg = id + "-leg" + legs++;
                if (result.equals("abandoned_ringing")) emit.accept(new CallLogEvent.QueueOffered(e, id, after.apply(wait / 2), leg, queue, agent, "8", "sip"));
                t[0] = joined.plusMillis(wait);
                // The ACD logs the leave before the hang-up; a call whose log lost it is abandoned all the same.
                if (rnd.nextInt(5) > 0) emit.accept(new CallLogEvent.QueueLeft(e, id, t[0], in, queue, "abandoned", "caller_hangup", null, wait));
                emit.accept(new CallLogEvent.HungUp(e, id, t[0], in, "NORMAL_CLEARING", 0));
                if (result.equals("abandoned_ringing")) emit.accept(new CallLogEvent.QueueOfferEnded(e, id, t[0], leg, queue, agent, "cancelled"));
                if (result.equals("abandoned_ringing")) emit.accept(new CallLogEvent.HungUp(e, id, t[0], leg, "ORIGINATOR_CANCEL", 487));
            } else if (result.equals("waiting")) {
                open = true;
            } else {
                t[0] = joined.plusMillis(wait);
                emit.accept(new CallLogEvent.QueueLeft(e, id, t[0], in, queue, result, result.equals("overflow") ? "max_wait" : "key",
                        "hangup", wait));
                if (result.equals("overflow") && visit == 0 && rnd.nextBoolean()) {
                    expected.add(new Expected(queue, joined, result, wait));
                    continue; // on to the next queue
                }
                emit.accept(new CallLogEvent.HungUp(e, id, after.apply(1000), in, "NORMAL_CLEARING", 0));
            }
            expected.add(new Expected(queue, joined, result, wait));
            break;
        }
        if (!open) out.add(new CallLogEvent.Closed(e, id, t[0], null, tracker.record()));
        out.forEach(log::append);
    }
}
