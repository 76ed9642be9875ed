package dev.hotline.reportmail;

import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.mail.MailStore;
import dev.hotline.mail.Mailer;
import dev.hotline.masking.Masking;
import dev.hotline.monitor.MonitorSettings;
import dev.hotline.report.ListReports;
import dev.hotline.report.Period;
import dev.hotline.report.ReportCatalog;
import dev.hotline.report.ReportExport;
import dev.hotline.report.ReportRoutes;
import dev.hotline.report.ReportTable;
import dev.hotline.report.Reports;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import org.apache.commons.text.StringEscapeUtils;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scheduled reports by e-mail (MSG-2, RPT-2). An admin keeps schedules per enterprise; a thread of its own looks every
 * {@link #TICK} for occurrences that are due (in the enterprise's zone, the SUP-1 setting), builds the report with the very
 * code of its route ({@link ReportCatalog}), writes it as xlsx or CSV with {@link ReportExport}, and puts one message (a
 * text part, an HTML part with the totals, the file attached) in the mail outbox, which sends and retries it. The
 * occurrence and the period are claimed in the same transaction as the message is queued: a restart neither sends one
 * twice nor skips one (an occurrence missed while the server was down is sent when it is back, up to
 * {@link #MAX_CATCH_UP} late). Every send is logged with its outcome, copied from the outbox once it is sent or given up.
 */
public final class ScheduledReports implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ScheduledReports.class);
    static final Duration TICK = Duration.ofSeconds(5);
    /** How late a missed occurrence is still sent; older ones are passed over. */
    static final Duration MAX_CATCH_UP = Duration.ofDays(31);
    /** How long sends (and their files) are kept. */
    static final Duration KEEP = Duration.ofDays(90);
    static final int MAX_RECIPIENTS = 20;

    private final Jdbi jdbi;
    private final Clock clock;
    private final ReportCatalog catalog;
    private final Masking masking;
    private final ZoneId reportZone;
    private final Path folder;
    private final LongPredicate serves;
    private final AtomicLong rounds = new AtomicLong();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "report-mail");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param dataDir the files attached wait under {@code report-mail/<enterprise>/}
     * @param serves  whether this server sends an enterprise's reports (OPS-3: the node it is placed on; always, on a single server)
     */
    public ScheduledReports(Jdbi jdbi, Clock clock, ReportCatalog catalog, Masking masking, ZoneId reportZone, Path dataDir, LongPredicate serves) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.catalog = catalog;
        this.masking = masking;
        this.reportZone = reportZone;
        this.folder = dataDir.resolve("report-mail");
        this.serves = serves;
    }

    public void start() {
        thread.scheduleWithFixedDelay(this::round, 1000, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How many rounds the scheduler has finished (tests wait for one to pass). */
    public long rounds() {
        return rounds.get();
    }

    private void round() {
        try {
            runDue();
        } catch (RuntimeException e) {
            log.warn("scheduled reports failed: {}", e.toString());
        } finally {
            rounds.incrementAndGet();
        }
    }

    // ================================================================ schedules

    /** A schedule as the API takes it; the filters are those of the report's route. */
    public record Input(String name, String report, String queue, Long agent, Long department, String number, String outcome, String period,
                        String group, String format, String lang, List<String> recipients, String frequency, String time, String weekday,
                        Integer dayOfMonth, Boolean enabled) {}

    /** A schedule as the API shows it, with its next occurrence and its last send. */
    public record View(long id, String name, String report, String queue, Long agent, Long department, String number, String outcome,
                       String period, String group, String format, String lang, List<String> recipients, String frequency, String time,
                       String weekday, Integer dayOfMonth, boolean enabled, String zone, String nextAt, String lastPeriodFrom,
                       String lastPeriodTo, SendView lastSend, String createdAt, String updatedAt) {}

    /** One report sent: the period, to whom, and how it went (pending while the outbox tries, sent, or failed with the error). */
    public record SendView(long id, long scheduleId, String dueAt, boolean manual, String periodFrom, String periodTo, String createdAt,
                           String recipients, Long mailId, String status, String error, String finishedAt) {
        static SendView of(ReportScheduleStore.Send s) {
            return new SendView(s.id(), s.scheduleId(), str(s.dueAt()), s.dueAt() == null, s.periodFrom().toString(), s.periodTo().toString(),
                    s.createdAt().toString(), s.recipients(), s.mailId(), s.status(), s.error(), str(s.finishedAt()));
        }
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }

    ZoneId zoneOf(Handle h, long enterpriseId) {
        return MonitorSettings.load(h, enterpriseId).zone(reportZone);
    }

    public List<View> list(Handle h, long enterpriseId) {
        Map<Long, ReportScheduleStore.Send> last = new java.util.HashMap<>();
        for (ReportScheduleStore.Send s : ReportScheduleStore.lastSends(h, enterpriseId)) last.put(s.scheduleId(), s);
        ZoneId zone = zoneOf(h, enterpriseId);
        return ReportScheduleStore.list(h, enterpriseId).stream().map(s -> view(s, zone, last.get(s.id()))).toList();
    }

    public View get(Handle h, long enterpriseId, long id) {
        ReportSchedule s = ReportScheduleStore.byId(h, enterpriseId, id).orElseThrow(() -> DomainException.notFound("report schedule"));
        return view(s, zoneOf(h, enterpriseId), ReportScheduleStore.lastSends(h, enterpriseId).stream()
                .filter(x -> x.scheduleId() == id).findFirst().orElse(null));
    }

    private View view(ReportSchedule s, ZoneId zone, ReportScheduleStore.Send last) {
        Instant anchor = s.lastDueAt() == null ? s.createdAt() : s.lastDueAt();
        Instant now = clock.instant();
        Instant next = s.when().next(anchor.isBefore(now.minus(MAX_CATCH_UP)) ? now.minus(MAX_CATCH_UP) : anchor, zone);
        // The next occurrence that will send: one whose period was sent already is passed over.
        for (int i = 0; i < 40 && s.lastPeriodTo() != null
                && !s.period().of(next.atZone(zone).toLocalDate(), zone).to().isAfter(s.lastPeriodTo()); i++) {
            next = s.when().next(next, zone);
        }
        Recurrence w = s.when();
        return new View(s.id(), s.name(), s.report(), s.queue(), s.agent(), s.department(), s.number(), s.outcome(), s.period().key(),
                s.group().key(), s.format(), s.lang(), s.recipients(), w.frequency().key(), w.at().toString(),
                w.weekday() == null ? null : w.weekday().name().toLowerCase(Locale.ROOT), w.dayOfMonth(), s.enabled(), zone.getId(),
                s.enabled() ? next.toString() : null, str(s.lastPeriodFrom()), str(s.lastPeriodTo()), last == null ? null : SendView.of(last),
                s.createdAt().toString(), s.updatedAt().toString());
    }

    /** Checks {@code in} (400 naming the field) and creates the schedule ({@code id} null) or changes it; returns it. */
    public View save(Handle h, long enterpriseId, Long id, Input in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        Optional<ReportSchedule> old = id == null ? Optional.empty()
                : Optional.of(ReportScheduleStore.byId(h, enterpriseId, id).orElseThrow(() -> DomainException.notFound("report schedule")));
        String name = Validator.clean(in.name());
        String report = Validator.clean(in.report());
        Optional<ReportCatalog.Entry> entry = report == null ? Optional.empty() : catalog.find(report);
        String queue = Validator.clean(in.queue());
        String number = Validator.clean(in.number());
        String outcome = Validator.clean(in.outcome());
        Optional<Recurrence.Coverage> period = Recurrence.Coverage.parse(Validator.clean(in.period()));
        String groupKey = Validator.clean(in.group());
        Optional<Period.Grouping> group = groupKey == null ? Optional.of(Period.Grouping.DAY) : Period.Grouping.parse(groupKey);
        String format = Optional.ofNullable(Validator.clean(in.format())).orElse("xlsx");
        String lang = Optional.ofNullable(Validator.clean(in.lang())).orElse("en");
        List<String> recipients = new ArrayList<>();
        boolean addressesOk = true;
        if (in.recipients() != null) {
            for (String r : in.recipients()) {
                String a = Validator.clean(r);
                if (a == null || !a.matches(Mailer.EMAIL) || a.contains(",") || a.length() > 254) addressesOk = false;
                else if (!recipients.contains(a)) recipients.add(a);
            }
        }
        Optional<Recurrence.Frequency> frequency = Recurrence.Frequency.parse(Validator.clean(in.frequency()));
        String time = Validator.clean(in.time());
        boolean timeOk = time != null && time.matches("([01]\\d|2[0-3]):[0-5]\\d");
        Optional<DayOfWeek> weekday = weekday(Validator.clean(in.weekday()));
        boolean weekly = frequency.orElse(null) == Recurrence.Frequency.WEEKLY;
        boolean monthly = frequency.orElse(null) == Recurrence.Frequency.MONTHLY;
        Validator v = Validator.of().required("name", name).maxLength("name", name, 100)
                .required("report", report)
                .check(report == null || entry.isPresent(), "report", "one of " + String.join(", ", catalog.names()))
                .check(period.isPresent(), "period", "yesterday, last_week or last_month")
                .check(group.isPresent(), "group", "one of hour, day, week, month")
                .check(format.matches("xlsx|csv"), "format", "xlsx or csv")
                .check(lang.matches("en|zh"), "lang", "en or zh")
                .check(!recipients.isEmpty() || !addressesOk, "recipients", "at least one e-mail address")
                .check(addressesOk, "recipients", "e-mail addresses only")
                .check(recipients.size() <= MAX_RECIPIENTS, "recipients", "at most " + MAX_RECIPIENTS + " addresses")
                .check(String.join(", ", recipients).length() <= 255, "recipients", "at most 255 characters in all")
                .check(frequency.isPresent(), "frequency", "daily, weekly or monthly")
                .check(timeOk, "time", "HH:mm, 00:00 to 23:59")
                .check(!weekly || weekday.isPresent(), "weekday", "monday to sunday")
                .check(!monthly || (in.dayOfMonth() != null && in.dayOfMonth() >= 1 && in.dayOfMonth() <= 31), "dayOfMonth",
                        "1 to 31 (a day past the month's end is its last day)")
                .maxLength("queue", queue, 100)
                .check(in.agent() == null || in.agent() > 0, "agent", "a user id")
                .check(in.department() == null || in.department() > 0, "department", "a department id")
                .maxLength("number", number, 64)
                .check(outcome == null || ListReports.Outcome.valid(outcome), "outcome",
                        "one of answered, voicemail, ivr_only, left_ivr, abandoned_queued, abandoned_ringing, not_answered, lost");
        if (entry.isPresent()) {
            // The filters the report's route takes, no other (as the route answers).
            for (var f : List.of(Map.entry(ReportCatalog.Filter.QUEUE, queue != null), Map.entry(ReportCatalog.Filter.AGENT, in.agent() != null),
                    Map.entry(ReportCatalog.Filter.DEPARTMENT, in.department() != null), Map.entry(ReportCatalog.Filter.NUMBER, number != null),
                    Map.entry(ReportCatalog.Filter.OUTCOME, outcome != null))) {
                if (f.getValue() && !entry.get().takes(f.getKey())) v.add(f.getKey().key(), "not a filter of the " + report + " report");
            }
        }
        if (in.department() != null && in.department() > 0) {
            v.check(ReportCatalog.departmentAgents(h, enterpriseId, in.department()).isPresent(), "department", "no such department");
        }
        v.throwIfInvalid();
        String realNumber = masking.real(enterpriseId, number, "number");
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Recurrence when = new Recurrence(frequency.get(), LocalTime.parse(time), weekly ? weekday.get() : null, monthly ? in.dayOfMonth() : null);
        boolean enabled = in.enabled() == null || in.enabled();
        // A schedule sends the occurrences after it was made or last changed (a change of its days or hour, or turning it on
        // again, does not send the occurrences the new rule would have had before); a period sent already is not sent again.
        Instant lastDue = now;
        ReportSchedule s = new ReportSchedule(id == null ? 0 : id, enterpriseId, name, report, queue, in.agent(), in.department(), realNumber,
                outcome, period.get(), group.get(), format, lang, recipients, when, enabled, old.map(ReportSchedule::createdAt).orElse(now), now,
                lastDue, old.map(ReportSchedule::lastPeriodFrom).orElse(null), old.map(ReportSchedule::lastPeriodTo).orElse(null));
        long saved = id == null ? ReportScheduleStore.insert(h, s) : id;
        if (id != null) ReportScheduleStore.update(h, s);
        return get(h, enterpriseId, saved);
    }

    private static Optional<DayOfWeek> weekday(String s) {
        if (s == null) return Optional.empty();
        for (DayOfWeek d : DayOfWeek.values()) if (d.name().equalsIgnoreCase(s)) return Optional.of(d);
        return Optional.empty();
    }

    public void delete(Handle h, long enterpriseId, long id) {
        ReportScheduleStore.byId(h, enterpriseId, id).orElseThrow(() -> DomainException.notFound("report schedule"));
        for (ReportScheduleStore.Send s : ReportScheduleStore.sends(h, enterpriseId, id, Integer.MAX_VALUE)) {
            if (!"pending".equals(s.status())) deleteFile(s.attachmentPath()); // a pending one's file is still to be sent
        }
        ReportScheduleStore.delete(h, enterpriseId, id);
    }

    public List<SendView> sends(Handle h, long enterpriseId, Long scheduleId, int limit) {
        if (scheduleId != null) ReportScheduleStore.byId(h, enterpriseId, scheduleId).orElseThrow(() -> DomainException.notFound("report schedule"));
        return ReportScheduleStore.sends(h, enterpriseId, scheduleId, limit).stream().map(SendView::of).toList();
    }

    /** Sends the schedule's report for its last complete period now (the period's occurrence stays as it was). */
    public SendView sendNow(long enterpriseId, long id) {
        ReportSchedule s = jdbi.withHandle(h -> ReportScheduleStore.byId(h, enterpriseId, id))
                .orElseThrow(() -> DomainException.notFound("report schedule"));
        Instant now = clock.instant();
        ZoneId zone = jdbi.withHandle(h -> zoneOf(h, enterpriseId));
        long sendId = deliver(s, zone, s.period().of(now.atZone(zone).toLocalDate(), zone), null, now).orElseThrow();
        return jdbi.withHandle(h -> SendView.of(ReportScheduleStore.send(h, enterpriseId, sendId).orElseThrow()));
    }

    // ================================================================ the scheduler

    /** One round: the outcome of sends the outbox finished, then every due occurrence of every enabled schedule. */
    public void runDue() {
        followOutbox();
        Instant now = clock.instant();
        for (ReportSchedule s : jdbi.withHandle(ReportScheduleStore::enabled)) {
            if (!serves.test(s.enterpriseId())) continue;
            try {
                runSchedule(s, now);
            } catch (RuntimeException e) {
                log.warn("scheduled report {} of enterprise {} failed: {}", s.id(), s.enterpriseId(), e.toString());
            }
        }
    }

    private void runSchedule(ReportSchedule first, Instant now) {
        ReportSchedule s = first;
        ZoneId zone = jdbi.withHandle(h -> zoneOf(h, first.enterpriseId()));
        Instant anchor = s.lastDueAt() == null ? s.createdAt() : s.lastDueAt();
        for (int i = 0; i < 40; i++) {
            Instant floor = now.minus(MAX_CATCH_UP);
            Instant due = s.when().next(anchor.isBefore(floor) ? floor : anchor, zone);
            if (due.isAfter(now)) return;
            Recurrence.Range r = s.period().of(due.atZone(zone).toLocalDate(), zone);
            ReportSchedule current = s;
            if (s.lastPeriodTo() != null && !r.to().isAfter(s.lastPeriodTo())) {
                // This period was sent already (e.g. the time of day changed after it was sent): the occurrence is done.
                jdbi.useHandle(h -> ReportScheduleStore.claim(h, current.id(), due, null, null));
            } else {
                deliver(s, zone, r, due, now);
            }
            anchor = due;
            Optional<ReportSchedule> again = jdbi.withHandle(h -> ReportScheduleStore.byId(h, current.enterpriseId(), current.id()));
            if (again.isEmpty() || !again.get().enabled()) return;
            s = again.get();
        }
    }

    /** What a send puts in the outbox. */
    private record Prepared(MailStore.Mail mail, Path file) {}

    /**
     * Builds the report of {@code r} and queues it, claiming occurrence {@code due} (null: a send asked for now) in the same
     * transaction; a report that cannot be built is logged as a failed send. Empty when another run had claimed it.
     */
    private Optional<Long> deliver(ReportSchedule s, ZoneId zone, Recurrence.Range r, Instant due, Instant now) {
        Prepared p = null;
        String error = null;
        try {
            p = prepare(s, zone, r, now);
        } catch (IOException | RuntimeException e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
            log.info("scheduled report {} of enterprise {} not made: {}", s.id(), s.enterpriseId(), error);
        }
        Prepared made = p;
        String err = error;
        Optional<Long> id = jdbi.inTransaction(h -> {
            if (due != null && !ReportScheduleStore.claim(h, s.id(), due, r.from(), r.to())) return Optional.<Long>empty();
            String to = String.join(", ", s.recipients());
            if (made == null) {
                return Optional.of(ReportScheduleStore.insertSend(h, new ReportScheduleStore.Send(0, s.enterpriseId(), s.id(), due, r.from(), r.to(),
                        now, to, null, null, "failed", err, now)));
            }
            long mail = MailStore.enqueue(h, s.enterpriseId(), made.mail(), now);
            return Optional.of(ReportScheduleStore.insertSend(h, new ReportScheduleStore.Send(0, s.enterpriseId(), s.id(), due, r.from(), r.to(),
                    now, to, mail, made.file().toString(), "pending", null, null)));
        });
        if (id.isEmpty() && made != null) deleteFile(made.file().toString());
        return id;
    }

    private Prepared prepare(ReportSchedule s, ZoneId zone, Recurrence.Range r, Instant now) throws IOException {
        long e = s.enterpriseId();
        ReportCatalog.Entry entry = catalog.find(s.report()).orElseThrow(() -> new IllegalStateException("no report " + s.report() + " any more"));
        Period period = new Period(r.from(), r.to(), zone, s.group());
        ReportTable built = jdbi.withHandle(h -> {
            Set<Long> agents = s.department() == null ? null : ReportCatalog.departmentAgents(h, e, s.department())
                    .orElseThrow(() -> new IllegalStateException("department " + s.department() + " no longer exists"));
            return entry.build().build(h, e, new Reports.Query(period, s.queue(), s.agent(), now, reportZone, agents, s.number(), s.outcome(),
                    ReportRoutes.EXPORT_MAX_ROWS, 0));
        });
        if (built.page() != null && built.page().total() > built.rows().size()) {
            throw new IllegalStateException("more than " + ReportRoutes.EXPORT_MAX_ROWS + " rows: choose a shorter period or a filter");
        }
        ReportTable t = ReportRoutes.masked(built, masking.forMail(e));
        Path dir = folder.resolve(Long.toString(e));
        Files.createDirectories(dir);
        Path file = dir.resolve(UUID.randomUUID() + "." + s.format());
        try (OutputStream out = Files.newOutputStream(file)) {
            if (s.format().equals("csv")) ReportExport.csv(t, s.lang(), out);
            else ReportExport.xlsx(t, s.lang(), out);
        }
        String attachment = ReportRoutes.fileName(t) + "." + s.format();
        MailText text = MailText.of(s, t, r, zone, attachment);
        return new Prepared(new MailStore.Mail("report", String.join(", ", s.recipients()), text.subject(), text.plain(), file, attachment,
                text.html()), file);
    }

    /** Copies the outcome of sends the outbox has finished (sent, or given up) into the send log. */
    private void followOutbox() {
        jdbi.useHandle(h -> {
            for (ReportScheduleStore.Send s : ReportScheduleStore.pending(h, 200)) {
                if (s.mailId() == null) continue;
                Optional<MailStore.Outgoing> m = MailStore.byId(h, s.enterpriseId(), s.mailId());
                if (m.isEmpty()) {
                    ReportScheduleStore.finish(h, s.id(), "failed", "the message left the outbox unsent", clock.instant());
                    continue;
                }
                MailStore.Outgoing o = m.get();
                switch (o.status()) {
                    case "sent" -> ReportScheduleStore.finish(h, s.id(), "sent", null, o.sentAt());
                    case "failed" -> ReportScheduleStore.finish(h, s.id(), "failed", o.lastError(), o.failedAt());
                    default -> {
                        if (o.lastError() != null && !o.lastError().equals(s.error())) ReportScheduleStore.note(h, s.id(), o.lastError());
                    }
                }
            }
        });
    }

    /** Deletes sends (and their files) older than {@link #KEEP}; returns how many. */
    public int prune() {
        return jdbi.withHandle(h -> {
            List<ReportScheduleStore.Send> old = ReportScheduleStore.finishedBefore(h, clock.instant().minus(KEEP));
            for (ReportScheduleStore.Send s : old) {
                deleteFile(s.attachmentPath());
                ReportScheduleStore.deleteSend(h, s.id());
            }
            return old.size();
        });
    }

    private static void deleteFile(String path) {
        if (path == null) return;
        try {
            Files.deleteIfExists(Path.of(path));
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", path, e.getMessage());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** The subject and the two bodies of a report's message: a text part and an HTML part with the totals, every value escaped. */
    record MailText(String subject, String plain, String html) {
        static MailText of(ReportSchedule s, ReportTable t, Recurrence.Range r, ZoneId zone, String attachment) {
            boolean zh = s.lang().equals("zh");
            String days = r.firstDay().equals(r.lastDay()) ? r.firstDay().toString()
                    : r.firstDay() + (zh ? " 至 " : " to ") + r.lastDay();
            String subject = s.name() + (zh ? "：" : ": ") + days;
            List<String[]> lines = new ArrayList<>();
            if (t.total() != null) {
                for (ReportTable.Column c : t.columns()) {
                    Object v = t.total().get(c.key());
                    if (v == null || c.kind() == ReportTable.Kind.TEXT) continue;
                    lines.add(new String[] {c.label(s.lang()), format(c.kind(), v)});
                }
            } else {
                lines.add(new String[] {zh ? "行数" : "Rows", Integer.toString(t.rows().size())});
            }
            String head = (zh ? "报表：" : "Report: ") + s.report() + (zh ? "　时段：" : " · Period: ") + days + " (" + zone.getId() + ")"
                    + (zh ? "　分组：" : " · Grouped by: ") + s.group().key();
            StringBuilder plain = new StringBuilder(s.name()).append('\n').append(head).append("\n\n").append(zh ? "合计" : "Totals").append('\n');
            for (String[] l : lines) plain.append("  ").append(l[0]).append(": ").append(l[1]).append('\n');
            plain.append('\n').append(zh ? "附件：" : "Attached: ").append(attachment).append('\n');
            StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
            html.append("<h2>").append(esc(s.name())).append("</h2><p>").append(esc(head)).append("</p>");
            html.append("<table border=\"1\" cellpadding=\"4\" style=\"border-collapse:collapse\"><caption>").append(zh ? "合计" : "Totals")
                    .append("</caption>");
            for (String[] l : lines) html.append("<tr><th style=\"text-align:left\">").append(esc(l[0])).append("</th><td>").append(esc(l[1]))
                    .append("</td></tr>");
            html.append("</table><p>").append(zh ? "附件：" : "Attached: ").append(esc(attachment)).append("</p></body></html>");
            return new MailText(subject, plain.toString(), html.toString());
        }

        private static String esc(String s) {
            return StringEscapeUtils.escapeHtml4(s);
        }

        /** A total as the mail shows it: counts whole, seconds with one decimal, rates as a percentage. */
        static String format(ReportTable.Kind kind, Object v) {
            if (!(v instanceof Number n)) return v.toString();
            return switch (kind) {
                case COUNT -> Long.toString(n.longValue());
                case SECONDS -> String.format(Locale.ROOT, "%.1f s", n.doubleValue());
                case RATE -> String.format(Locale.ROOT, "%.1f %%", n.doubleValue() * 100);
                default -> v.toString();
            };
        }
    }
}
