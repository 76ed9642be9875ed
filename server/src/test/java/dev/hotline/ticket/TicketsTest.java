package dev.hotline.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotline.auth.Passwords;
import dev.hotline.auth.Permission;
import dev.hotline.domain.DomainException;
import dev.hotline.report.TicketLogEvent;
import dev.hotline.store.Database;
import dev.hotline.tenant.Enterprises;
import dev.hotline.testing.TestDatabases;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** BIZ-1 logic with a clock the test moves: the state machine, tracking numbers, the business-hours SLA and escalation. */
class TicketsTest {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** Monday 2026-12-07 09:00 in Shanghai. */
    static final Instant MONDAY_9 = ZonedDateTime.of(2026, 12, 7, 9, 0, 0, 0, SHANGHAI).toInstant();

    /** A clock the test sets. */
    static final class TestClock extends Clock {
        volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    Database db;
    Jdbi jdbi;
    TestClock clock = new TestClock(MONDAY_9);
    // No SMS gateway: the notices' switches are off here (TicketNoticesTest covers them end to end).
    /** API-2: the ticket events handed to the event log, in order. */
    final List<TicketLogEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    Tickets tickets = new Tickets(clock, new dev.hotline.sms.Sms(clock, null, ZoneId.of("UTC"), new dev.hotline.crm.Customers(clock), null),
            events::add);
    long e;
    long admin;
    long agent;

    @BeforeEach
    void setUp() {
        db = new Database(TestDatabases.migrated(TestDatabases.Kind.H2), "", "");
        jdbi = db.jdbi();
        Enterprises enterprises = new Enterprises(new Passwords(4), clock, List.of(Tickets::seedTypes));
        jdbi.useTransaction(h -> {
            e = enterprises.createUnchecked(h, "acme", "Acme", "boss", "x", Permission.BuiltinRole.ADMIN).id();
            admin = h.createQuery("SELECT id FROM app_user WHERE username = 'boss'").mapTo(Long.class).one();
            long agentRole = h.createQuery("SELECT id FROM app_role WHERE enterprise_id = :e AND name = 'agent'").bind("e", e).mapTo(Long.class).one();
            h.createUpdate("INSERT INTO app_user (enterprise_id, username, display_name, password_hash, role_id, enabled, created_at)"
                    + " VALUES (:e, 'ann', 'Ann', 'x', :r, TRUE, CURRENT_TIMESTAMP)").bind("e", e).bind("r", agentRole).execute();
            agent = h.createQuery("SELECT id FROM app_user WHERE username = 'ann'").mapTo(Long.class).one();
        });
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    Ticket openComplaint(Long assignee) {
        return jdbi.inTransaction(h -> tickets.open(h, e, admin, new Tickets.OpenInput(null, "complaint", "Late refund", null, null,
                "13900000001", "call-1", null, assignee, Map.of("category", "billing"))));
    }

    Ticket move(long id, String status) {
        return jdbi.inTransaction(h -> tickets.move(h, e, admin, id, new Tickets.MoveInput(status, null)));
    }

    @Test
    void stateMachineAllowsOnlyItsMoves() {
        assertThat(TicketStatus.NEW.moveTo(TicketStatus.IN_PROGRESS)).isEqualTo(TicketStatus.IN_PROGRESS);
        assertThat(TicketStatus.CLOSED.moveTo(TicketStatus.REOPENED)).isEqualTo(TicketStatus.REOPENED);
        int refused = 0;
        for (TicketStatus from : TicketStatus.values()) {
            for (TicketStatus to : EnumSet.complementOf(EnumSet.copyOf(from.next()))) {
                assertThatThrownBy(() -> from.moveTo(to)).isInstanceOf(DomainException.class).hasMessageContaining(from.key())
                        .hasMessageContaining(to.key());
                refused++;
            }
        }
        assertThat(refused).isGreaterThan(20);
        assertThat(TicketStatus.RESOLVED.next()).doesNotContain(TicketStatus.IN_PROGRESS, TicketStatus.NEW);
        assertThat(TicketStatus.CLOSED.next()).containsExactly(TicketStatus.REOPENED);

        Ticket t = openComplaint(null);
        assertThat(t.status()).isEqualTo("new");
        move(t.id(), "in_progress");
        move(t.id(), "resolved");
        assertThatThrownBy(() -> move(t.id(), "in_progress")).isInstanceOf(DomainException.class)
                .extracting(x -> ((DomainException) x).kind()).isEqualTo(DomainException.Kind.CONFLICT);
        move(t.id(), "closed");
        assertThat(move(t.id(), "reopened").status()).isEqualTo("reopened");
        var timeline = jdbi.withHandle(h -> tickets.detail(h, e, t.id())).timeline();
        assertThat(timeline).extracting(Ticket.Event::kind).containsExactly("opened", "status", "status", "status", "status");
        assertThat(timeline.get(4).detail()).isEqualTo("closed → reopened");
        assertThat(timeline.get(4).userId()).isEqualTo(admin);
    }

    @Test
    void everyChangeIsAnEventForWebhooksOnceItCommittedAndNoneOfARolledBackOne() {
        // API-2: created + assigned, a comment, status changes, the close; each with the ticket's state after it.
        Ticket t = openComplaint(agent);
        jdbi.useTransaction(h -> tickets.comment(h, e, admin, t.id(), new Tickets.NoteInput("called the bank", true)));
        move(t.id(), "in_progress");
        move(t.id(), "resolved");
        move(t.id(), "closed");
        assertThat(events).extracting(TicketLogEvent::action).containsExactly("created", "assigned", "commented", "status", "status", "closed");
        assertThat(events).allSatisfy(ev -> {
            assertThat(ev.ticketId()).isEqualTo(t.id());
            assertThat(ev.enterpriseId()).isEqualTo(e);
            assertThat(ev.trackingNumber()).isEqualTo(t.trackingNumber());
            assertThat(ev.userId()).isEqualTo(admin);
            assertThat(ev.callerNumber()).isEqualTo("13900000001");
        });
        assertThat(events.get(1).assigneeId()).isEqualTo(agent);
        assertThat(events.get(2).text()).isEqualTo("called the bank");
        assertThat(events.get(2).forCustomer()).isTrue();
        assertThat(events.get(5).previousStatus()).isEqualTo("resolved");
        assertThat(events.get(5).status()).isEqualTo("closed");

        // A change whose transaction rolls back is no event; a refused move none either.
        events.clear();
        assertThatThrownBy(() -> jdbi.useTransaction(h -> {
            tickets.comment(h, e, admin, t.id(), new Tickets.NoteInput("never seen"));
            throw new IllegalStateException("rolled back");
        })).hasMessageContaining("rolled back");
        assertThatThrownBy(() -> move(t.id(), "in_progress")).isInstanceOf(DomainException.class);
        assertThat(events).isEmpty();
    }

    @Test
    void trackingNumbersHaveACheckDigitAndADailyCounter() {
        assertThat(TrackingNumbers.format("GD", LocalDate.of(2026, 12, 6), 7)).startsWith("GD20261206-0007-");
        String n = TrackingNumbers.format("GD", LocalDate.of(2026, 12, 6), 7);
        assertThat(TrackingNumbers.valid(n)).isTrue();
        String typo = n.replace("-0007-", "-0008-");
        assertThat(TrackingNumbers.valid(typo)).as("a mistyped digit is caught").isFalse();
        assertThat(openComplaint(null).trackingNumber()).startsWith("GD20261207-0001-");
        assertThat(openComplaint(null).trackingNumber()).startsWith("GD20261207-0002-");
        clock.advance(Duration.ofDays(1));
        assertThat(openComplaint(null).trackingNumber()).as("a new day starts at 1").startsWith("GD20261208-0001-");
    }

    Tickets.Keyed keyed(String keys) {
        return jdbi.withHandle(h -> tickets.keyed(h, e, keys));
    }

    @Test
    void aCallerKeysTheDigitsOfATrackingNumberAndFindsTheTicket() {
        String n = TrackingNumbers.format("GD", LocalDate.of(2026, 12, 6), 7);
        String keys = n.replaceAll("[^0-9]", "");
        assertThat(keys).hasSize(13);
        assertThat(TrackingNumbers.fromKeys(keys)).contains(n.substring(2));
        assertThat(TrackingNumbers.fromKeys("*" + keys)).as("a star is ignored").contains(n.substring(2));
        String typo = keys.substring(0, 11) + ((keys.charAt(11) - '0' + 1) % 10) + keys.charAt(12);
        assertThat(TrackingNumbers.fromKeys(typo)).as("one digit wrong: the check digit catches it").isEmpty();
        assertThat(TrackingNumbers.fromKeys("123")).as("too short").isEmpty();
        assertThat(TrackingNumbers.fromKeys(TrackingNumbers.format("", LocalDate.of(2026, 12, 6), 12345).replace("-", "")))
                .as("a five-digit counter").contains("20261206-12345-" + TrackingNumbers.format("", LocalDate.of(2026, 12, 6), 12345).substring(15));
        var t = openComplaint(null);
        String typed = t.trackingNumber().replaceAll("[^0-9]", "");
        assertThat(keyed(typed)).isEqualTo(new Tickets.Keyed.Found(t.trackingNumber(), TicketStatus.NEW));
        String other = TrackingNumbers.format("GD", LocalDate.of(2020, 1, 1), 1).replaceAll("[^0-9]", "");
        assertThat(keyed(other)).isEqualTo(new Tickets.Keyed.Unknown());
        assertThat(keyed(typed.substring(0, 12) + ((typed.charAt(12) - '0' + 1) % 10)))
                .isEqualTo(new Tickets.Keyed.Invalid());
        Tickets.Keyed elsewhere = jdbi.withHandle(h -> tickets.keyed(h, e + 1000, typed));
        assertThat(elsewhere).as("another enterprise's ticket is not found").isEqualTo(new Tickets.Keyed.Unknown());
    }

    @Test
    void twentyConcurrentOpeningsGetTwentyDistinctNumbers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> all = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Callable<String> c = () -> {
                go.await();
                return openComplaint(null).trackingNumber();
            };
            all.add(pool.submit(c));
        }
        go.countDown();
        Set<String> numbers = new HashSet<>();
        for (var f : all) numbers.add(f.get(60, TimeUnit.SECONDS));
        pool.shutdown();
        assertThat(numbers).hasSize(20).allMatch(TrackingNumbers::valid);
        Set<String> counters = new HashSet<>();
        for (String n : numbers) counters.add(n.split("-")[1]);
        Set<String> expected = new HashSet<>();
        for (int i = 1; i <= 20; i++) expected.add(String.format("%04d", i));
        assertThat(counters).isEqualTo(expected);
    }

    @Test
    void businessCalendarCountsWorkingHoursOnly() {
        var cal = new BusinessCalendar(SHANGHAI, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), 9 * 60, 18 * 60);
        Instant friday17 = ZonedDateTime.of(2026, 12, 11, 17, 0, 0, 0, SHANGHAI).toInstant();
        Instant monday10 = ZonedDateTime.of(2026, 12, 14, 10, 0, 0, 0, SHANGHAI).toInstant();
        assertThat(cal.plus(friday17, 2 * 3600)).as("two business hours from Friday 17:00").isEqualTo(monday10);
        assertThat(cal.secondsBetween(friday17, monday10)).isEqualTo(2 * 3600);
        Instant saturdayNoon = ZonedDateTime.of(2026, 12, 12, 12, 0, 0, 0, SHANGHAI).toInstant();
        assertThat(cal.plus(saturdayNoon, 0)).as("a clock started off hours runs from the next opening")
                .isEqualTo(ZonedDateTime.of(2026, 12, 14, 9, 0, 0, 0, SHANGHAI).toInstant());
        assertThat(cal.secondsBetween(MONDAY_9, MONDAY_9.plus(Duration.ofDays(7)))).isEqualTo(5 * 9 * 3600);
    }

    @Test
    void holidaysAreWholeDaysOffInTheSlaCalendar() {
        var cal = new BusinessCalendar(SHANGHAI, EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), 9 * 60, 18 * 60,
                java.util.Set.of(java.time.LocalDate.of(2026, 12, 14)));
        Instant friday17 = ZonedDateTime.of(2026, 12, 11, 17, 0, 0, 0, SHANGHAI).toInstant();
        Instant tuesday10 = ZonedDateTime.of(2026, 12, 15, 10, 0, 0, 0, SHANGHAI).toInstant();
        assertThat(cal.plus(friday17, 2 * 3600)).as("Monday is a holiday").isEqualTo(tuesday10);
        assertThat(cal.secondsBetween(friday17, tuesday10)).isEqualTo(2 * 3600);
        // Through the settings: a holiday saved moves a new ticket's due time past it; a bad date is refused on its index.
        var s = jdbi.withHandle(h -> tickets.settings(h, e));
        var ex = org.assertj.core.api.Assertions.catchThrowableOfType(() -> jdbi.inTransaction(h -> tickets.saveSettings(h, e,
                new TicketSettings(s.prefix(), s.zone(), s.workDays(), s.workStart(), s.workEnd(), s.escalations(), List.of("2026-12-07", "2026-13-01"), null))),
                dev.hotline.domain.DomainException.class);
        assertThat(ex.fieldErrors()).extracting(f -> f.field()).containsExactly("holidays[1]");
        var saved = jdbi.inTransaction(h -> tickets.saveSettings(h, e, new TicketSettings(s.prefix(), s.zone(), s.workDays(), s.workStart(),
                s.workEnd(), s.escalations(), List.of("2026-12-07"), null)));
        assertThat(saved.holidays()).containsExactly("2026-12-07");
        var t = openComplaint(null); // the test clock is Monday 2026-12-07 09:00, now a holiday: 4 business hours from Tuesday 09:00
        assertThat(t.dueAt()).isEqualTo(ZonedDateTime.of(2026, 12, 8, 13, 0, 0, 0, SHANGHAI).toInstant());
    }

    @Test
    void slaDueTimeFollowsTheCalendarAndPausesWhileWaitingOnTheCustomer() {
        Ticket t = openComplaint(agent); // complaint: 240 business minutes
        assertThat(t.status()).isEqualTo("assigned");
        assertThat(t.dueAt()).isEqualTo(MONDAY_9.plus(Duration.ofHours(4)));
        clock.advance(Duration.ofHours(1));
        move(t.id(), "in_progress");
        Ticket waiting = move(t.id(), "waiting_customer");
        assertThat(waiting.slaUsedSeconds()).isEqualTo(3600);
        assertThat(waiting.slaRunning()).isFalse();
        assertThat(waiting.dueAt()).isNull();
        clock.advance(Duration.ofHours(5)); // 15:00: paused, none of these five hours count
        assertThat(jdbi.withHandle(h -> tickets.view(h, e, tickets.get(h, e, t.id()))).slaUsedSeconds()).isEqualTo(3600);
        Ticket back = move(t.id(), "in_progress");
        // 3 business hours left from Monday 15:00: 15:00-18:00 → due Monday 18:00.
        assertThat(back.dueAt()).isEqualTo(MONDAY_9.plus(Duration.ofHours(9)));
        clock.advance(Duration.ofHours(4)); // 19:00: after hours, one more business hour would cross to Tuesday
        Ticket paused = move(t.id(), "waiting_customer");
        assertThat(paused.slaUsedSeconds()).isEqualTo(4 * 3600);
        Ticket late = move(t.id(), "in_progress");
        assertThat(late.overdue()).isTrue();
    }

    @Test
    void escalationFiresEachStageOnceAtItsShareOfTheSla() {
        TicketEscalation esc = new TicketEscalation(jdbi, clock);
        Ticket t = openComplaint(agent); // 240 min; stages 80 % → assignee (192 min), 100 % → supervisors (240 min)
        clock.advance(Duration.ofMinutes(191));
        assertThat(esc.runOnce()).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(esc.runOnce()).isEqualTo(1);
        assertThat(esc.runOnce()).as("a stage fires once").isZero();
        var agentInbox = jdbi.withHandle(h -> tickets.notifications(h, e, agent, false));
        assertThat(agentInbox).extracting(TicketStore.Notification::kind).containsExactly("ticket.escalated", "ticket.assigned");
        assertThat(agentInbox.get(0).text()).contains(t.trackingNumber(), "80%");
        // Waiting on the customer for a day does not move the clock.
        move(t.id(), "waiting_customer");
        clock.advance(Duration.ofHours(27));
        assertThat(esc.runOnce()).isZero();
        move(t.id(), "in_progress"); // Tuesday 15:12 local
        clock.advance(Duration.ofMinutes(47));
        assertThat(esc.runOnce()).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(esc.runOnce()).isEqualTo(1);
        var bossInbox = jdbi.withHandle(h -> tickets.notifications(h, e, admin, false));
        assertThat(bossInbox).hasSize(1);
        assertThat(bossInbox.get(0).text()).contains("100%");
        List<TicketStore.Notification> agentAfter = jdbi.withHandle(h -> tickets.notifications(h, e, agent, false));
        assertThat(agentAfter).hasSize(2);
        assertThat(jdbi.withHandle(h -> tickets.detail(h, e, t.id())).timeline()).extracting(Ticket.Event::kind).contains("escalated");
    }

    @Test
    void formsAreCheckedAgainstTheTypesFields() {
        var ex = org.assertj.core.api.Assertions.catchThrowableOfType(() -> jdbi.inTransaction(h -> tickets.open(h, e, admin,
                new Tickets.OpenInput(null, "complaint", "x", null, null, null, null, null, null, Map.of("category", "weather", "extra", 1)))),
                DomainException.class);
        assertThat(ex.fieldErrors()).extracting(DomainException.FieldError::field).containsExactlyInAnyOrder("form.category", "form.extra");
        var missing = org.assertj.core.api.Assertions.catchThrowableOfType(() -> jdbi.inTransaction(h -> tickets.open(h, e, admin,
                new Tickets.OpenInput(null, "repair", "x", null, null, null, null, null, null, Map.of("visitAt", "tomorrow")))), DomainException.class);
        assertThat(missing.fieldErrors()).extracting(DomainException.FieldError::field).containsExactlyInAnyOrder("form.address", "form.visitAt");
    }
}
