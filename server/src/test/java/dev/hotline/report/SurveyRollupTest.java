package dev.hotline.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.store.Database;
import dev.hotline.survey.SatisfactionReport;
import dev.hotline.survey.SurveyStore;
import dev.hotline.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * The satisfaction roll-ups (V31) against the definition: random seeded survey events written through the event log give,
 * per queue and per agent, in every grouping and zone (the day roll-up's zone, UTC by week, another zone by hour, a zone of
 * half-hour offset), the same counts as counting the surveys one by one; with a filter the roll-ups do not hold (an agent
 * on the per-queue report) the report counts survey_result, with the same result; and building the roll-ups again from
 * survey_result (a start in another zone, then back) gives the same again. Fails as soon as a roll-up drifts from the log.
 */
class SurveyRollupTest {
    private record Survey(String queue, long agent, Instant startedAt, Integer score, Integer reason) {}

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void theRollUpsGiveTheSameCountsAsCountingEverySurvey(TestDatabases.Kind kind) throws Exception {
        ZoneId serverZone = ZoneId.of("Asia/Shanghai");
        try (Database db = new Database(TestDatabases.migrated(kind), "", "")) {
            long e = EventLogTest.enterprise(db);
            Random rnd = new Random(31);
            Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
            EventLog log = new EventLog(db.jdbi(), Clock.systemUTC(), null, List.of(SurveyStore::project), (h, x) -> Map.of(), serverZone);
            List<Survey> surveys = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                Instant at = t0.plusSeconds(rnd.nextInt(60 * 86400));
                int roll = rnd.nextInt(5);
                Integer score = roll == 0 ? null : 1 + rnd.nextInt(3);
                Integer reason = score != null && score == 3 && rnd.nextBoolean() ? 1 + rnd.nextInt(3) : null;
                Survey s = new Survey("q" + rnd.nextInt(3), 1 + rnd.nextInt(4), at, score, reason);
                surveys.add(s);
                log.append(new CallLogEvent.Surveyed(e, "sv-" + i, at.plusSeconds(10), "ch-" + i, s.queue(), s.agent(), at,
                        score == null ? "no_input" : "answered", score, reason));
            }
            assertThat(log.flush(120, TimeUnit.SECONDS)).as("every survey written").isTrue();
            log.close();
            check(db, e, surveys, serverZone);
            assertThat(SurveyRollup.rebuildIfZoneChanged(db.jdbi(), ZoneId.of("UTC"))).isTrue();
            assertThat(SurveyRollup.rebuildIfZoneChanged(db.jdbi(), ZoneId.of("UTC"))).isFalse();
            check(db, e, surveys, ZoneId.of("UTC"));
            assertThat(SurveyRollup.rebuildIfZoneChanged(db.jdbi(), serverZone)).isTrue();
            check(db, e, surveys, serverZone);
        }
    }

    private static void check(Database db, long e, List<Survey> surveys, ZoneId serverZone) {
        Instant from = Instant.parse("2026-03-01T16:00:00Z");
        List<Period> periods = List.of(
                new Period(from, from.plus(Duration.ofDays(30)), ZoneId.of("Asia/Shanghai"), Period.Grouping.DAY),
                new Period(from, from.plus(Duration.ofDays(56)), ZoneId.of("Asia/Shanghai"), Period.Grouping.MONTH),
                new Period(Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-04-27T00:00:00Z"), ZoneOffset.UTC, Period.Grouping.WEEK),
                new Period(from.plus(Duration.ofMinutes(45)), from.plus(Duration.ofDays(3)), ZoneId.of("Europe/Berlin"), Period.Grouping.HOUR),
                new Period(from.plus(Duration.ofMinutes(30)), from.plus(Duration.ofDays(20)), ZoneId.of("Asia/Kolkata"), Period.Grouping.DAY));
        for (Period p : periods) {
            for (boolean byAgent : new boolean[] {false, true}) {
                for (Long agent : new Long[] {null, 2L}) {
                    String queue = byAgent && agent != null ? "q1" : null; // per agent, a queue filter: survey_result is counted
                    Reports.Query q = new Reports.Query(p, queue, agent, Instant.parse("2027-01-01T00:00:00Z"), serverZone);
                    ReportTable t = db.jdbi().withHandle(h -> byAgent ? SatisfactionReport.byAgent(h, e, q) : SatisfactionReport.byQueue(h, e, q));
                    Map<String, List<Long>> actual = new TreeMap<>();
                    for (var row : t.rows()) actual.put(row.get("period") + " " + row.get(byAgent ? "agentId" : "queue"), counts(row));
                    Map<String, List<Long>> expected = new TreeMap<>();
                    for (Survey s : surveys) {
                        if (s.startedAt().isBefore(p.from()) || !s.startedAt().isBefore(p.to())) continue;
                        if (agent != null && s.agent() != agent || queue != null && !queue.equals(s.queue())) continue;
                        String key = p.label(p.bucket(s.startedAt())) + " " + (byAgent ? String.valueOf(s.agent()) : s.queue());
                        List<Long> c = expected.computeIfAbsent(key, k -> new ArrayList<>(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L)));
                        add(c, 0);
                        if (s.score() != null) {
                            add(c, 1);
                            add(c, 1 + s.score());
                            if (s.score() == 3) add(c, 5 + (s.reason() == null ? 0 : s.reason()));
                        }
                    }
                    assertThat(actual).as("%s by %s agent %s queue %s", p, byAgent ? "agent" : "queue", agent, queue).isEqualTo(expected);
                    if (agent == null) assertThat(actual).as("%s has surveys", p).isNotEmpty();
                }
            }
        }
    }

    private static void add(List<Long> c, int i) {
        c.set(i, c.get(i) + 1);
    }

    private static List<Long> counts(Map<String, Object> row) {
        List<Long> out = new ArrayList<>();
        for (String k : List.of("surveyed", "surveyAnswered", "verySatisfied", "satisfied", "unsatisfied", "reasonNone", "reasonService",
                "reasonAttitude", "reasonOther")) {
            out.add(((Number) row.get(k)).longValue());
        }
        return out;
    }
}
