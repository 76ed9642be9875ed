package dev.hotline.ticket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.auth.Passwords;
import dev.hotline.auth.Permission;
import dev.hotline.report.CallLogEvent;
import dev.hotline.report.CallTracker;
import dev.hotline.report.EventLog;
import dev.hotline.store.Database;
import dev.hotline.tenant.Enterprises;
import dev.hotline.testing.TestDatabases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BIZ-1: the call-back projection keeps which calls are ticket call-backs in memory (no query a closing call). What it
 * waits for is what the database says is waiting (a {@code callback_dialled} entry without an outcome), the outcome lands
 * on the right ticket only, and after a restart nothing is owed: a call left open is closed without projections, as
 * before.
 */
class CallBackOutcomesTest {
    /** What the projection asked the database at every closing call before: dialled call-backs without an outcome. */
    static Set<String> waitingInTheDatabase(Jdbi jdbi) {
        return Set.copyOf(jdbi.withHandle(h -> h.createQuery("""
                SELECT d.call_id FROM ticket_event d WHERE d.kind = 'callback_dialled' AND d.call_id IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM ticket_event o WHERE o.call_id = d.call_id AND o.kind = 'callback_outcome')""")
                .mapTo(String.class).list()));
    }

    @Test
    void outcomesFromMemoryMatchWhatTheDatabaseSaidAndSurviveNothingThatNeedsThem(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        Clock clock = Clock.systemUTC();
        Tickets tickets = new Tickets(clock, new dev.hotline.sms.Sms(clock, null, ZoneId.of("UTC"), new dev.hotline.crm.Customers(clock), null),
                ev -> { });
        long e;
        long other;
        long admin;
        long ticket;
        long otherTicket;
        try (Database db = new Database(url, "", "")) {
            Jdbi jdbi = db.jdbi();
            Enterprises enterprises = new Enterprises(new Passwords(4), clock, List.of(Tickets::seedTypes));
            e = jdbi.inTransaction(h -> enterprises.createUnchecked(h, "acme", "Acme", "boss", "x", Permission.BuiltinRole.ADMIN).id());
            other = jdbi.inTransaction(h -> enterprises.createUnchecked(h, "zeta", "Zeta", "zboss", "x", Permission.BuiltinRole.ADMIN).id());
            admin = jdbi.withHandle(h -> h.createQuery("SELECT id FROM app_user WHERE username = 'boss'").mapTo(Long.class).one());
            long otherAdmin = jdbi.withHandle(h -> h.createQuery("SELECT id FROM app_user WHERE username = 'zboss'").mapTo(Long.class).one());
            ticket = jdbi.inTransaction(h -> tickets.open(h, e, admin, new Tickets.OpenInput(null, "complaint", "Call me", null, null,
                    "13800001111", null, null, null, Map.of("category", "billing")))).id();
            otherTicket = jdbi.inTransaction(h -> tickets.open(h, other, otherAdmin, new Tickets.OpenInput(null, "complaint", "Zeta's", null,
                    null, "13900000002", null, null, null, Map.of("category", "billing")))).id();

            CallBackOutcomes outcomes = new CallBackOutcomes();
            EventLog log = new EventLog(jdbi, clock, null, List.of(outcomes));
            Instant t = Instant.now().minusSeconds(60);
            // Placed as the route does it: the dialled entry committed, then the projection told.
            for (String call : List.of("cb-answered", "cb-busy", "cb-open")) {
                jdbi.useTransaction(h -> tickets.callbackDialled(h, e, admin, ticket, "13800001111", call));
                outcomes.dialled(e, ticket, "13800001111", call);
            }
            jdbi.useTransaction(h -> tickets.callbackDialled(h, other, otherAdmin, otherTicket, "13900000002", "cb-zeta"));
            outcomes.dialled(other, otherTicket, "13900000002", "cb-zeta");
            assertThat(outcomes.waiting()).isEqualTo(waitingInTheDatabase(jdbi))
                    .containsExactlyInAnyOrder("cb-answered", "cb-busy", "cb-open", "cb-zeta");

            call(log, e, "cb-answered", t, "NORMAL_CLEARING", 7);
            call(log, e, "cb-busy", t, "USER_BUSY", -1);
            call(log, e, "plain-call", t, "NORMAL_CLEARING", 3); // not a call-back: nothing written
            // Another enterprise's call of the same id as a call-back of Zeta's does not write on Zeta's ticket.
            call(log, e, "cb-zeta", t, "NORMAL_CLEARING", 3);
            log.append(new CallLogEvent.Arrived(e, "cb-open", t, "dev-cb-open", "outbound", "1001", "1001", null, "1001"));
            assertThat(log.flush(10, TimeUnit.SECONDS)).isTrue();

            var timeline = jdbi.withHandle(h -> tickets.detail(h, e, ticket)).timeline();
            assertThat(timeline.stream().filter(v -> v.kind().equals("callback_outcome")).map(Ticket.Event::detail).toList())
                    .containsExactly("answered 7 s 13800001111 call cb-answered", "busy 13800001111 call cb-busy");
            assertThat(jdbi.withHandle(h -> tickets.detail(h, other, otherTicket)).timeline()).extracting(Ticket.Event::kind)
                    .doesNotContain("callback_outcome");
            assertThat(outcomes.waiting()).isEqualTo(waitingInTheDatabase(jdbi)).containsExactlyInAnyOrder("cb-open", "cb-zeta");
            log.close();
        }
        // A restart: the call left open is closed as system_restart without the projections, so no outcome is owed to it and
        // the new process's projection waits for nothing, as the query would have found nothing to do for it either.
        try (Database db = new Database(url, "", "")) {
            CallBackOutcomes outcomes = new CallBackOutcomes();
            EventLog log = new EventLog(db.jdbi(), clock, null, List.of(outcomes));
            String cause = db.jdbi().withHandle(h -> h.createQuery("SELECT hangup_cause FROM call_record WHERE call_id = 'cb-open'")
                    .mapTo(String.class).one());
            assertThat(cause).isEqualTo("system_restart");
            assertThat(outcomes.waiting()).isEmpty();
            assertThat(db.jdbi().withHandle(h -> tickets.detail(h, e, ticket)).timeline()).filteredOn(v -> v.kind().equals("callback_outcome"))
                    .hasSize(2);
            log.close();
        }
    }

    /** A click-to-dial call: the device's leg answers, then the customer's answers and talks {@code talk} s (-1: refuses with {@code cause}). */
    private static void call(EventLog log, long e, String id, Instant t, String cause, int talk) {
        CallTracker tracker = new CallTracker();
        String dev = "dev-" + id;
        String cust = "cust-" + id;
        List<CallLogEvent> events = new java.util.ArrayList<>(List.of(
                new CallLogEvent.Arrived(e, id, t, dev, "outbound", "1001", "1001", null, "1001"),
                new CallLogEvent.Answered(e, id, t.plusSeconds(1), dev),
                new CallLogEvent.Dialing(e, id, t.plusSeconds(1), cust, "trunk carrier 13800001111")));
        if (talk >= 0) {
            events.add(new CallLogEvent.Answered(e, id, t.plusSeconds(3), cust));
            events.add(new CallLogEvent.HungUp(e, id, t.plusSeconds(3 + talk), cust, cause, 0));
            events.add(new CallLogEvent.HungUp(e, id, t.plusSeconds(3 + talk), dev, "NORMAL_CLEARING", 0));
        } else {
            events.add(new CallLogEvent.HungUp(e, id, t.plusSeconds(2), cust, cause, 486));
            events.add(new CallLogEvent.HungUp(e, id, t.plusSeconds(5), dev, "NORMAL_CLEARING", 0));
        }
        for (CallLogEvent ev : events) {
            tracker.apply(ev);
            log.append(ev);
        }
        assertThat(tracker.finished()).as(id).isTrue();
        log.append(new CallLogEvent.Closed(e, id, t.plusSeconds(30), null, tracker.record()));
    }
}
