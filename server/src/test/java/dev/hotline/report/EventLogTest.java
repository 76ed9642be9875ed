package dev.hotline.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.store.Database;
import dev.hotline.testing.TestDatabases;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The event log on both databases: nothing lost on a clean stop, unfinished calls closed at start. */
class EventLogTest {
    static long enterprise(Database db) {
        return db.jdbi().withHandle(h -> h.createUpdate("INSERT INTO enterprise (code, name, sip_domain, enabled, created_at) VALUES ('e1', 'E1', 'e1.hotline', TRUE, :at)")
                .bind("at", Instant.now()).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void everyEventAppendedBeforeCloseIsWrittenWithItsCallRecord(TestDatabases.Kind kind) throws Exception {
        try (Database db = new Database(TestDatabases.migrated(kind), "", "")) {
            long e = enterprise(db);
            EventLog log = new EventLog(db.jdbi(), Clock.systemUTC());
            Instant t = Instant.parse("2026-11-25T10:00:00Z");
            int calls = 300;
            for (int i = 0; i < calls; i++) {
                String id = "call-" + i;
                CallTracker tracker = new CallTracker();
                CallLogEvent[] events = {
                        new CallLogEvent.Arrived(e, id, t, "in-" + i, "inbound", "138" + i, "4000", "loopback", "1001"),
                        new CallLogEvent.Dialing(e, id, t.plusMillis(5), "out-" + i, "extension 1001"),
                        new CallLogEvent.Answered(e, id, t.plusSeconds(2), "out-" + i),
                        new CallLogEvent.HungUp(e, id, t.plusSeconds(62), "in-" + i, "NORMAL_CLEARING", 0),
                        new CallLogEvent.HungUp(e, id, t.plusSeconds(62), "out-" + i, "NORMAL_CLEARING", 0)};
                for (CallLogEvent ev : events) {
                    tracker.apply(ev);
                    log.append(ev);
                }
                assertThat(tracker.finished()).isTrue();
                log.append(new CallLogEvent.Closed(e, id, t.plusSeconds(62), null, tracker.record()));
            }
            log.close();
            long records = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM call_record").mapTo(Long.class).one());
            long events = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM call_event").mapTo(Long.class).one());
            assertThat(records).isEqualTo(calls);
            assertThat(events).isEqualTo(calls * 6L);
            var r = db.jdbi().withHandle(h -> CallRecordStore.byId(h, e, "call-7")).orElseThrow();
            assertThat(r.talkSeconds()).isEqualTo(60);
            assertThat(r.outcome()).isEqualTo(CallRecord.Outcome.ANSWERED);
            assertThat(r.hangupBy()).isEqualTo("caller");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void anEventTheDatabaseRefusesIsKeptAsideAndHoldsNothingBack(TestDatabases.Kind kind, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (Database db = new Database(TestDatabases.migrated(kind), "", "")) {
            long e = enterprise(db);
            java.nio.file.Path refused = dir.resolve("refused.tsv");
            EventLog log = new EventLog(db.jdbi(), Clock.systemUTC(), refused);
            Instant t = Instant.parse("2026-11-25T10:00:00Z");
            log.append(new CallLogEvent.Arrived(424242, "orphan", t, "in-x", "inbound", "1", "2", null, null)); // no such enterprise
            for (int i = 0; i < 20; i++) {
                log.append(new CallLogEvent.Arrived(e, "good-" + i, t, "in-" + i, "inbound", "138", "4000", "loopback", null));
            }
            log.close();
            long good = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM call_event WHERE call_id LIKE 'good-%'")
                    .mapTo(Long.class).one());
            assertThat(good).isEqualTo(20);
            assertThat(java.nio.file.Files.readString(refused)).contains("orphan").contains("arrived");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void callsLeftUnfinishedByACrashAreClosedAtStart(TestDatabases.Kind kind) throws Exception {
        try (Database db = new Database(TestDatabases.migrated(kind), "", "")) {
            long e = enterprise(db);
            EventLog first = new EventLog(db.jdbi(), Clock.systemUTC());
            Instant t = Instant.now().minusSeconds(30);
            first.append(new CallLogEvent.Arrived(e, "crashed", t, "in-1", "inbound", "13800000000", "4000", "loopback", "1001"));
            first.append(new CallLogEvent.Dialing(e, "crashed", t.plusMillis(3), "out-1", "extension 1001"));
            first.append(new CallLogEvent.Answered(e, "crashed", t.plusSeconds(1), "out-1"));
            assertThat(first.flush(10, TimeUnit.SECONDS)).isTrue();
            // No close(): the process "dies" here. The next start finds the call open.
            EventLog second = new EventLog(db.jdbi(), Clock.systemUTC());
            var r = db.jdbi().withHandle(h -> CallRecordStore.byId(h, e, "crashed")).orElseThrow();
            assertThat(r.hangupCause()).isEqualTo("system_restart");
            assertThat(r.hangupBy()).isEqualTo("system");
            assertThat(r.outcome()).isEqualTo(CallRecord.Outcome.ANSWERED);
            assertThat(r.answeredAt()).isNotNull();
            assertThat(db.jdbi().withHandle(h -> CallRecordStore.timeline(h, e, "crashed")).get(3).type()).isEqualTo("closed");
            second.close();
            first.close();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void theWriterPreparesItsStatementsOnceNotForEveryBatch(TestDatabases.Kind kind) throws Exception {
        try (Database db = new Database(TestDatabases.migrated(kind), "", "")) {
            long e = enterprise(db);
            db.jdbi().useHandle(h -> h.execute("CREATE TABLE probe_seen (id VARCHAR(80))"));
            EventLog log = new EventLog(db.jdbi(), Clock.systemUTC(), null,
                    List.of(new ReportProjectionProbe()), (h, enterpriseId) -> java.util.Map.of(), java.time.ZoneId.of("UTC"));
            Instant t = Instant.parse("2026-11-25T10:00:00Z");
            int calls = 60;
            for (int i = 0; i < calls; i++) {
                String id = "batch-" + i;
                CallTracker tracker = new CallTracker();
                for (CallLogEvent ev : new CallLogEvent[] {
                        new CallLogEvent.Arrived(e, id, t, "in-" + i, "inbound", "138" + i, "4000", "loopback", "1001"),
                        new CallLogEvent.Dialing(e, id, t.plusMillis(5), "out-" + i, "extension 1001"),
                        new CallLogEvent.Answered(e, id, t.plusSeconds(2), "out-" + i),
                        new CallLogEvent.HungUp(e, id, t.plusSeconds(62), "in-" + i, "NORMAL_CLEARING", 0),
                        new CallLogEvent.HungUp(e, id, t.plusSeconds(62), "out-" + i, "NORMAL_CLEARING", 0)}) {
                    tracker.apply(ev);
                    log.append(ev);
                }
                log.append(new CallLogEvent.Closed(e, id, t.plusSeconds(62), null, tracker.record()));
                assertThat(log.flush(10, TimeUnit.SECONDS)).isTrue(); // each call its own batch (or more)
            }
            long prepared = log.statementsPrepared();
            // a late event of a call closed long ago (its numbering forgotten once the close was written) continues it
            log.append(new CallLogEvent.PbxFeature(e, "batch-0", t.plusSeconds(90), "out-0", "note", "late"));
            log.close();
            List<Integer> seqs = db.jdbi().withHandle(h -> h.createQuery("SELECT seq FROM call_event WHERE call_id = 'batch-0' ORDER BY seq")
                    .mapTo(Integer.class).list());
            assertThat(seqs).containsExactly(1, 2, 3, 4, 5, 6, 7);
            long records = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM call_record WHERE call_id LIKE 'batch-%'")
                    .mapTo(Long.class).one());
            assertThat(records).isEqualTo(calls);
            long probed = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM probe_seen").mapTo(Long.class).one());
            assertThat(probed).isEqualTo(calls * 6L + 1);
            // 60 batches or more, each with the event and record inserts, the report roll-ups and the probe's statement:
            // prepared again for every batch that is hundreds; kept, a few dozen at most
            assertThat(prepared).isLessThan(40);
        }
    }

    /** A projection writing through the event log's handle with a named Jdbi statement, as the features' projections do. */
    static final class ReportProjectionProbe implements Projection {
        @Override
        public void apply(org.jdbi.v3.core.Handle h, LogEvent event) {
            h.createUpdate("INSERT INTO probe_seen (id) VALUES (:id)").bind("id", ((CallLogEvent) event).callId()).execute();
        }
    }
}
