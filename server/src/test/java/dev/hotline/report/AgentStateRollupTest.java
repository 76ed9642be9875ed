package dev.hotline.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.store.Database;
import dev.hotline.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The time-in-state roll-up (V27) against the definition: random seeded state changes of a few agents written through the
 * event log give, in every grouping and zone (the day roll-up's zone, another zone by hour, a zone of half-hour offset),
 * the same time in each state and not-ready reason as walking the changes one by one, with the range cut at its ends and
 * at now (the last agent's state still open), from the 15-minute, hourly (V31) or day roll-up; and building the roll-up again from agent_event (a start in another zone, then back) gives the same again.
 */
class AgentStateRollupTest {
    static final String[] STATES = {"ready", "ringing", "on_call", "wrap_up", "not_ready", "logged_out"};
    static final String[] REASONS = {"meal", "training", null};

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void theRollUpGivesTheSameTimesAsWalkingEveryChange(TestDatabases.Kind kind) throws Exception {
        ZoneId serverZone = ZoneId.of("Asia/Shanghai");
        try (Database db = new Database(TestDatabases.migrated(kind), "", "")) {
            long e = EventLogTest.enterprise(db);
            Random rnd = new Random(27);
            Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
            List<AgentLogEvent> changes = new ArrayList<>();
            EventLog log = new EventLog(db.jdbi(), Clock.systemUTC(), null, List.of(), (h, x) -> Map.of(), serverZone);
            for (long agent = 1; agent <= 3; agent++) {
                Instant at = t0.plusSeconds(rnd.nextInt(3600));
                String previous = "logged_out";
                for (int i = 0; i < 150; i++) {
                    String state = STATES[rnd.nextInt(STATES.length)];
                    String reason = state.equals("not_ready") ? REASONS[rnd.nextInt(REASONS.length)] : null;
                    AgentLogEvent a = new AgentLogEvent(e, agent, at, state, previous, reason, "sip", null, "agent");
                    changes.add(a);
                    log.append(a);
                    previous = state;
                    // Mostly short states, some across slots, days and a weekend.
                    at = at.plusMillis(rnd.nextInt(10) < 7 ? 1 + rnd.nextInt(600_000) : rnd.nextInt(30 * 3600_000));
                }
            }
            assertThat(log.flush(120, TimeUnit.SECONDS)).as("every change written").isTrue();
            log.close();
            Instant now = changes.stream().map(AgentLogEvent::at).max(Instant::compareTo).orElseThrow().plus(Duration.ofHours(3));
            check(db, e, changes, serverZone, now);
            // A start in another zone builds every table again from agent_event; and back in the first zone.
            assertThat(AgentStateRollup.rebuildIfZoneChanged(db.jdbi(), ZoneId.of("UTC"))).isTrue();
            assertThat(AgentStateRollup.rebuildIfZoneChanged(db.jdbi(), ZoneId.of("UTC"))).isFalse();
            check(db, e, changes, ZoneId.of("UTC"), now);
            assertThat(AgentStateRollup.rebuildIfZoneChanged(db.jdbi(), serverZone)).isTrue();
            check(db, e, changes, serverZone, now);
        }
    }

    private static void check(Database db, long e, List<AgentLogEvent> changes, ZoneId serverZone, Instant now) {
        Instant from = Instant.parse("2026-03-02T16:00:00Z");
        List<Period> periods = List.of(
                new Period(from, from.plus(Duration.ofDays(20)), ZoneId.of("Asia/Shanghai"), Period.Grouping.DAY),
                new Period(from, from.plus(Duration.ofDays(40)), ZoneId.of("Asia/Shanghai"), Period.Grouping.WEEK),
                new Period(from.plus(Duration.ofMinutes(45)), from.plus(Duration.ofDays(3)), ZoneId.of("Europe/Berlin"), Period.Grouping.HOUR),
                new Period(from.plus(Duration.ofMinutes(30)), from.plus(Duration.ofDays(9)), ZoneId.of("Asia/Kolkata"), Period.Grouping.DAY),
                new Period(Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-05-01T00:00:00Z"), ZoneOffset.UTC, Period.Grouping.MONTH),
                // Read from the hourly roll-up (V31): UTC by week, and Berlin by day across its change to summer time.
                new Period(Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-04-06T00:00:00Z"), ZoneOffset.UTC, Period.Grouping.WEEK),
                new Period(Instant.parse("2026-03-01T23:00:00Z"), Instant.parse("2026-04-05T22:00:00Z"), ZoneId.of("Europe/Berlin"), Period.Grouping.DAY));
        assertThat(periods.stream().filter(p -> ReportStore.hourly(p, p.unit(serverZone))).count()).as("periods read from agent_time_hour")
                .isGreaterThanOrEqualTo(2);
        // The hourly roll-up holds, hour by hour, what the 15-minute one holds.
        String byHour = "SELECT agent_user_id, %s AS hr, state, reason, SUM(ms) FROM %s GROUP BY agent_user_id, %s, state, reason";
        var fromSlots = db.jdbi().withHandle(h -> h.createQuery(byHour.formatted("(slot * 900 / 3600)", "agent_time_stat", "(slot * 900 / 3600)"))
                .map((rs, c) -> List.of(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getLong(5))).set());
        var fromHours = db.jdbi().withHandle(h -> h.createQuery(byHour.formatted("slot", "agent_time_hour", "slot"))
                .map((rs, c) -> List.of(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getLong(5))).set());
        assertThat(fromHours).isNotEmpty().isEqualTo(fromSlots);
        for (Period p : periods) {
            for (Long agent : new Long[] {null, 2L}) {
                Reports.Query q = new Reports.Query(p, null, agent, now, serverZone);
                var got = db.jdbi().withHandle(h -> Reports.agentFigures(h, e, q));
                Map<LocalDateTime, Map<Long, List<Object>>> actual = new TreeMap<>();
                got.forEach((b, m) -> m.forEach((a, f) -> {
                    if (f.signedInMs() > 0) actual.computeIfAbsent(b, k -> new TreeMap<>()).put(a, times(f));
                }));
                assertThat(actual).as("%s agent %s", p, agent).isEqualTo(walk(changes, p, agent, now));
                assertThat(actual).as("%s has time in states", p).isNotEmpty();
            }
        }
    }

    private static List<Object> times(AgentFigures f) {
        return List.of(f.signedInMs(), f.readyMs(), f.ringingMs(), f.onCallMs(), f.wrapUpMs(), f.notReadyMs(), new TreeMap<>(f.notReadyByReason()));
    }

    /** The definition: each change holds until the agent's next one, cut at the range's ends, at now and at buckets. */
    private static Map<LocalDateTime, Map<Long, List<Object>>> walk(List<AgentLogEvent> changes, Period p, Long only, Instant now) {
        Instant end = now.isBefore(p.to()) ? now : p.to();
        Map<LocalDateTime, Map<Long, long[]>> ms = new TreeMap<>();
        Map<LocalDateTime, Map<Long, Map<String, Long>>> reasons = new TreeMap<>();
        for (int i = 0; i < changes.size(); i++) {
            AgentLogEvent c = changes.get(i);
            if (only != null && c.userId() != only || c.state().equals("logged_out")) continue;
            Instant next = i + 1 < changes.size() && changes.get(i + 1).userId() == c.userId() ? changes.get(i + 1).at() : end;
            Instant a = c.at().isBefore(p.from()) ? p.from() : c.at();
            Instant b = next.isAfter(end) ? end : next;
            while (a.isBefore(b)) {
                LocalDateTime bucket = p.bucket(a);
                Instant be = p.nextBucketStart(bucket);
                Instant cut = be.isBefore(b) ? be : b;
                long d = cut.toEpochMilli() - a.toEpochMilli();
                long[] m = ms.computeIfAbsent(bucket, k -> new TreeMap<>()).computeIfAbsent(c.userId(), k -> new long[6]);
                m[0] += d;
                m[1 + List.of(STATES).indexOf(c.state())] += d;
                if (c.state().equals("not_ready")) {
                    reasons.computeIfAbsent(bucket, k -> new TreeMap<>()).computeIfAbsent(c.userId(), k -> new TreeMap<>())
                            .merge(c.reason() == null ? "" : c.reason(), d, Long::sum);
                }
                a = cut;
            }
        }
        Map<LocalDateTime, Map<Long, List<Object>>> out = new TreeMap<>();
        ms.forEach((b, m) -> m.forEach((a, v) -> {
            if (v[0] > 0) {
                out.computeIfAbsent(b, k -> new TreeMap<>()).put(a, List.of(v[0], v[1], v[2], v[3], v[4], v[5],
                        new TreeMap<>(reasons.getOrDefault(b, Map.of()).getOrDefault(a, Map.of()))));
            }
        }));
        return out;
    }
}
