package dev.hotline.reportmail;

import dev.hotline.report.Period;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The {@code report_schedule} and {@code report_send} tables (V72). */
final class ReportScheduleStore {
    private ReportScheduleStore() {}

    /** One report sent: the mail put in the outbox ({@code mailId}) and how it went. */
    record Send(long id, long enterpriseId, long scheduleId, Instant dueAt, Instant periodFrom, Instant periodTo, Instant createdAt,
                String recipients, Long mailId, String attachmentPath, String status, String error, Instant finishedAt) {}

    private static Instant instant(ResultSet rs, String col) throws SQLException {
        Timestamp t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static final RowMapper<ReportSchedule> SCHEDULE = (rs, c) -> new ReportSchedule(rs.getLong("id"), rs.getLong("enterprise_id"),
            rs.getString("name"), rs.getString("report"), rs.getString("queue_name"), (Long) longOrNull(rs, "agent_id"),
            longOrNull(rs, "department_id"), rs.getString("number_filter"), rs.getString("outcome"),
            Recurrence.Coverage.parse(rs.getString("period")).orElseThrow(), Period.Grouping.parse(rs.getString("group_by")).orElseThrow(),
            rs.getString("format"), rs.getString("lang"), recipients(rs.getString("recipients")),
            new Recurrence(Recurrence.Frequency.parse(rs.getString("frequency")).orElseThrow(), LocalTime.parse(rs.getString("at_time")),
                    rs.getObject("weekday") == null ? null : DayOfWeek.of(rs.getInt("weekday")), (Integer) rs.getObject("day_of_month")),
            rs.getBoolean("enabled"), instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "last_due_at"),
            instant(rs, "last_period_from"), instant(rs, "last_period_to"));

    private static Long longOrNull(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    static List<String> recipients(String joined) {
        return Arrays.stream(joined.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static final RowMapper<Send> SEND = (rs, c) -> new Send(rs.getLong("id"), rs.getLong("enterprise_id"), rs.getLong("schedule_id"),
            instant(rs, "due_at"), instant(rs, "period_from"), instant(rs, "period_to"), instant(rs, "created_at"), rs.getString("recipients"),
            longOrNull(rs, "mail_id"), rs.getString("attachment_path"), rs.getString("status"), rs.getString("error"), instant(rs, "finished_at"));

    static List<ReportSchedule> list(Handle h, long enterpriseId) {
        return h.createQuery("SELECT * FROM report_schedule WHERE enterprise_id = :e ORDER BY id").bind("e", enterpriseId).map(SCHEDULE).list();
    }

    /** Every enabled schedule of every enterprise (the scheduler's round). */
    static List<ReportSchedule> enabled(Handle h) {
        return h.createQuery("SELECT * FROM report_schedule WHERE enabled = TRUE ORDER BY id").map(SCHEDULE).list();
    }

    static Optional<ReportSchedule> byId(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT * FROM report_schedule WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id)
                .map(SCHEDULE).findOne();
    }

    static long insert(Handle h, ReportSchedule s) {
        return h.createUpdate("""
                INSERT INTO report_schedule (enterprise_id, name, report, queue_name, agent_id, department_id, number_filter, outcome, period,
                    group_by, format, lang, recipients, frequency, at_time, weekday, day_of_month, enabled, created_at, updated_at, last_due_at)
                VALUES (:e, :name, :report, :queue, :agent, :dept, :number, :outcome, :period, :group, :format, :lang, :to, :freq, :at, :wd, :dom,
                    :enabled, :now, :now, :due)""")
                .bind("e", s.enterpriseId()).bindMap(values(s)).bind("now", ts(s.createdAt())).bind("due", ts(s.lastDueAt()))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    /** Saves what an admin may change (not the last occurrence or period, except {@code lastDueAt} when it moves on re-enabling). */
    static void update(Handle h, ReportSchedule s) {
        h.createUpdate("""
                UPDATE report_schedule SET name = :name, report = :report, queue_name = :queue, agent_id = :agent, department_id = :dept,
                    number_filter = :number, outcome = :outcome, period = :period, group_by = :group, format = :format, lang = :lang,
                    recipients = :to, frequency = :freq, at_time = :at, weekday = :wd, day_of_month = :dom, enabled = :enabled,
                    updated_at = :now, last_due_at = :due
                WHERE enterprise_id = :e AND id = :id""")
                .bind("e", s.enterpriseId()).bind("id", s.id()).bindMap(values(s)).bind("now", ts(s.updatedAt())).bind("due", ts(s.lastDueAt()))
                .execute();
    }

    private static java.util.Map<String, Object> values(ReportSchedule s) {
        java.util.Map<String, Object> m = new java.util.HashMap<>();
        m.put("name", s.name());
        m.put("report", s.report());
        m.put("queue", s.queue());
        m.put("agent", s.agent());
        m.put("dept", s.department());
        m.put("number", s.number());
        m.put("outcome", s.outcome());
        m.put("period", s.period().key());
        m.put("group", s.group().key());
        m.put("format", s.format());
        m.put("lang", s.lang());
        m.put("to", String.join(", ", s.recipients()));
        m.put("freq", s.when().frequency().key());
        m.put("at", s.when().at().toString());
        m.put("wd", s.when().weekday() == null ? null : s.when().weekday().getValue());
        m.put("dom", s.when().dayOfMonth());
        m.put("enabled", s.enabled());
        return m;
    }

    static void delete(Handle h, long enterpriseId, long id) {
        h.createUpdate("DELETE FROM report_send WHERE enterprise_id = :e AND schedule_id = :id").bind("e", enterpriseId).bind("id", id).execute();
        h.createUpdate("DELETE FROM report_schedule WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id).execute();
    }

    /**
     * Takes occurrence {@code due} of the schedule for this run: true when no run took it (or a later one) before. The
     * period is recorded as sent when {@code from} is given.
     */
    static boolean claim(Handle h, long id, Instant due, Instant from, Instant to) {
        String periods = from == null ? "" : ", last_period_from = :pf, last_period_to = :pt";
        return h.createUpdate("UPDATE report_schedule SET last_due_at = :due" + periods
                        + " WHERE id = :id AND (last_due_at IS NULL OR last_due_at < :due)")
                .bind("id", id).bind("due", ts(due)).bind("pf", ts(from)).bind("pt", ts(to)).execute() == 1;
    }

    static long insertSend(Handle h, Send s) {
        return h.createUpdate("""
                INSERT INTO report_send (enterprise_id, schedule_id, due_at, period_from, period_to, created_at, recipients, mail_id,
                    attachment_path, status, error, finished_at)
                VALUES (:e, :s, :due, :pf, :pt, :at, :to, :mail, :path, :status, :error, :fin)""")
                .bind("e", s.enterpriseId()).bind("s", s.scheduleId()).bind("due", ts(s.dueAt())).bind("pf", ts(s.periodFrom()))
                .bind("pt", ts(s.periodTo())).bind("at", ts(s.createdAt())).bind("to", s.recipients()).bind("mail", s.mailId())
                .bind("path", s.attachmentPath()).bind("status", s.status()).bind("error", clip(s.error())).bind("fin", ts(s.finishedAt()))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    static List<Send> sends(Handle h, long enterpriseId, Long scheduleId, int limit) {
        return h.createQuery("SELECT * FROM report_send WHERE enterprise_id = :e" + (scheduleId == null ? "" : " AND schedule_id = :s")
                        + " ORDER BY id DESC LIMIT :l")
                .bind("e", enterpriseId).bind("s", scheduleId).bind("l", limit).map(SEND).list();
    }

    static Optional<Send> send(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT * FROM report_send WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id).map(SEND)
                .findOne();
    }

    /** The last send of each of the enterprise's schedules. */
    static List<Send> lastSends(Handle h, long enterpriseId) {
        return h.createQuery("""
                SELECT * FROM report_send WHERE id IN (SELECT MAX(id) FROM report_send WHERE enterprise_id = :e GROUP BY schedule_id)""")
                .bind("e", enterpriseId).map(SEND).list();
    }

    /** Sends whose mail is still in the outbox (pending), of every enterprise. */
    static List<Send> pending(Handle h, int limit) {
        return h.createQuery("SELECT * FROM report_send WHERE status = 'pending' ORDER BY id LIMIT :l").bind("l", limit).map(SEND).list();
    }

    static void finish(Handle h, long id, String status, String error, Instant at) {
        h.createUpdate("UPDATE report_send SET status = :s, error = :err, finished_at = :at WHERE id = :id")
                .bind("id", id).bind("s", status).bind("err", clip(error)).bind("at", ts(at)).execute();
    }

    /** The error of a send still being retried by the outbox. */
    static void note(Handle h, long id, String error) {
        h.createUpdate("UPDATE report_send SET error = :err WHERE id = :id").bind("id", id).bind("err", clip(error)).execute();
    }

    /** Sends created before {@code before} and no longer pending (their attachments are deleted by the caller). */
    static List<Send> finishedBefore(Handle h, Instant before) {
        return h.createQuery("SELECT * FROM report_send WHERE created_at < :t AND status <> 'pending'").bind("t", ts(before)).map(SEND).list();
    }

    static void deleteSend(Handle h, long id) {
        h.createUpdate("DELETE FROM report_send WHERE id = :id").bind("id", id).execute();
    }

    private static String clip(String s) {
        return s == null || s.length() <= 500 ? s : s.substring(0, 500);
    }
}
