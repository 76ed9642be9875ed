package dev.hotline.ticket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.crm.Scope;
import dev.hotline.mail.MailStore;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The ticket tables: settings, counters, types, tickets, their timeline, notifications and memos. */
public final class TicketStore {
    private TicketStore() {}

    static final ObjectMapper JSON = new ObjectMapper();

    /** A ticket row as stored (the SLA clock's raw fields). */
    record Row(long id, String trackingNumber, long typeId, String typeCode, String title, String description, TicketStatus status,
               Long customerId, String callerNumber, String callId, Long departmentId, Long assigneeId, Long creatorId,
               Map<String, Object> form, Instant createdAt, Instant updatedAt, long slaSeconds, long slaUsed, Instant slaSince,
               Instant dueAt, int escalated) {}

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T parse(String s, TypeReference<T> type) {
        try {
            return JSON.readValue(s, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad stored JSON: " + e.getMessage(), e);
        }
    }

    private static Long optLong(java.sql.ResultSet rs, String c) throws java.sql.SQLException {
        long v = rs.getLong(c);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(java.sql.ResultSet rs, String c) throws java.sql.SQLException {
        Timestamp t = rs.getTimestamp(c);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    // ---- settings

    static TicketSettings settings(Handle h, long e) {
        boolean emailAssignee = MailStore.ticketNotifications(h, e);
        return h.createQuery("SELECT * FROM ticket_settings WHERE enterprise_id = :e").bind("e", e).map((rs, c) -> new TicketSettings(
                rs.getString("prefix"), rs.getString("zone"),
                Arrays.stream(rs.getString("work_days").split(",")).map(String::strip).map(Integer::parseInt).toList(),
                TicketSettings.hhmm(rs.getInt("work_start")), TicketSettings.hhmm(rs.getInt("work_end")),
                Arrays.stream(rs.getString("escalations").split(",")).filter(x -> !x.isBlank()).map(x -> x.split(":"))
                        .map(p -> new TicketSettings.Escalation(Integer.parseInt(p[0]), p[1])).toList(),
                Arrays.stream(rs.getString("holidays").split(",")).filter(x -> !x.isBlank()).toList(),
                new TicketSettings.Notices(emailAssignee, rs.getBoolean("notify_email_customer"), rs.getBoolean("notify_sms_customer"),
                        Arrays.stream(rs.getString("notify_events").split(",")).filter(x -> !x.isBlank()).toList(),
                        rs.getString("notify_language"), rs.getString("notify_sms_text"), rs.getBoolean("notify_assignee_comments"),
                        rs.getString("notify_language_field"))))
                .findOne().orElse(TicketSettings.DEFAULTS.withNotices(new TicketSettings.Notices(emailAssignee, false, false,
                        TicketSettings.Notices.DEFAULTS.customerEvents(), TicketSettings.Notices.DEFAULTS.language(), null, false, null)));
    }

    /** Stores {@code s}; its notices are complete (the caller filled in what a PUT left out). */
    static void saveSettings(Handle h, long e, TicketSettings s, Instant now) {
        TicketSettings.Notices n = s.notices();
        h.createUpdate("DELETE FROM ticket_settings WHERE enterprise_id = :e").bind("e", e).execute();
        h.createUpdate("""
                INSERT INTO ticket_settings (enterprise_id, prefix, zone, work_days, work_start, work_end, escalations, holidays,
                    notify_email_customer, notify_sms_customer, notify_events, notify_language, notify_sms_text, notify_assignee_comments,
                    notify_language_field)
                VALUES (:e, :p, :z, :d, :s, :en, :esc, :hol, :nec, :nsc, :nev, :nl, :nst, :nac, :nlf)""").bind("e", e).bind("p", s.prefix()).bind("z", s.zone())
                .bind("d", String.join(",", s.workDays().stream().map(String::valueOf).toList()))
                .bind("s", TicketSettings.minutes(s.workStart())).bind("en", TicketSettings.minutes(s.workEnd()))
                .bind("esc", String.join(",", s.escalations().stream().map(x -> x.percent() + ":" + x.target()).toList()))
                .bind("hol", String.join(",", s.holidays() == null ? List.of() : s.holidays().stream().sorted().distinct().toList()))
                .bind("nec", n.emailCustomer()).bind("nsc", n.smsCustomer()).bind("nev", String.join(",", n.customerEvents()))
                .bind("nl", n.language()).bind("nst", n.smsText()).bind("nac", n.assigneeComments()).bind("nlf", n.languageField()).execute();
        if (n.emailAssignee() != MailStore.ticketNotifications(h, e)) MailStore.setTicketNotifications(h, e, n.emailAssignee(), now);
    }

    // ---- counters

    /** The next counter of an enterprise's day (1 on a new day); the row's update lock orders concurrent callers. */
    static int nextCounter(Handle h, long e, String day) {
        int updated = h.createUpdate("""
                UPDATE ticket_counter SET last_counter = CASE WHEN counter_day = :d THEN last_counter + 1 ELSE 1 END, counter_day = :d
                WHERE enterprise_id = :e""").bind("e", e).bind("d", day).execute();
        if (updated == 0) throw new IllegalStateException("enterprise " + e + " has no ticket counter");
        return h.createQuery("SELECT last_counter FROM ticket_counter WHERE enterprise_id = :e").bind("e", e).mapTo(Integer.class).one();
    }

    static void createCounter(Handle h, long e) {
        h.createUpdate("INSERT INTO ticket_counter (enterprise_id, counter_day, last_counter) VALUES (:e, '', 0)").bind("e", e).execute();
    }

    // ---- types

    private static final RowMapper<TicketType> TYPE = (rs, c) -> new TicketType(rs.getLong("id"), rs.getString("code"), rs.getString("name"),
            rs.getInt("sla_minutes"), parse(rs.getString("fields"), new TypeReference<List<FormField>>() {}), rs.getBoolean("enabled"));

    static List<TicketType> types(Handle h, long e) {
        return h.createQuery("SELECT * FROM ticket_type WHERE enterprise_id = :e ORDER BY id").bind("e", e).map(TYPE).list();
    }

    static Optional<TicketType> type(Handle h, long e, long id) {
        return h.createQuery("SELECT * FROM ticket_type WHERE enterprise_id = :e AND id = :id").bind("e", e).bind("id", id).map(TYPE).findOne();
    }

    static Optional<TicketType> typeByCode(Handle h, long e, String code) {
        return h.createQuery("SELECT * FROM ticket_type WHERE enterprise_id = :e AND code = :c").bind("e", e).bind("c", code).map(TYPE).findOne();
    }

    static long insertType(Handle h, long e, String code, String name, int sla, List<FormField> fields, boolean enabled) {
        return h.createUpdate("INSERT INTO ticket_type (enterprise_id, code, name, sla_minutes, fields, enabled) VALUES (:e, :c, :n, :s, :f, :en)")
                .bind("e", e).bind("c", code).bind("n", name).bind("s", sla).bind("f", json(fields)).bind("en", enabled)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    static void updateType(Handle h, long e, long id, String name, int sla, List<FormField> fields, boolean enabled) {
        h.createUpdate("UPDATE ticket_type SET name = :n, sla_minutes = :s, fields = :f, enabled = :en WHERE enterprise_id = :e AND id = :id")
                .bind("e", e).bind("id", id).bind("n", name).bind("s", sla).bind("f", json(fields)).bind("en", enabled).execute();
    }

    // ---- tickets

    private static final String SELECT = "SELECT t.*, y.code AS type_code FROM ticket t JOIN ticket_type y ON y.id = t.type_id ";

    private static final RowMapper<Row> ROW = (rs, c) -> new Row(rs.getLong("id"), rs.getString("tracking_number"), rs.getLong("type_id"),
            rs.getString("type_code"), rs.getString("title"), rs.getString("description"), TicketStatus.parse(rs.getString("status")).orElseThrow(),
            optLong(rs, "customer_id"), rs.getString("caller_number"), rs.getString("call_id"), optLong(rs, "department_id"),
            optLong(rs, "assignee_id"), optLong(rs, "creator_id"), parse(rs.getString("form"), new TypeReference<Map<String, Object>>() {}),
            instant(rs, "created_at"), instant(rs, "updated_at"), rs.getLong("sla_seconds"), rs.getLong("sla_used"), instant(rs, "sla_since"),
            instant(rs, "due_at"), rs.getInt("escalated"));

    static Optional<Row> ticket(Handle h, long e, long id) {
        return h.createQuery(SELECT + "WHERE t.enterprise_id = :e AND t.id = :id").bind("e", e).bind("id", id).map(ROW).findOne();
    }

    static Optional<Row> byNumber(Handle h, long e, String number) {
        return h.createQuery(SELECT + "WHERE t.enterprise_id = :e AND t.tracking_number = :n").bind("e", e).bind("n", number).map(ROW).findOne();
    }

    /** The ticket whose number is some letters followed by {@code digits} ({@code yyyyMMdd-cccc-d}). */
    static Optional<Row> byDigits(Handle h, long e, String digits) {
        return h.createQuery(SELECT + "WHERE t.enterprise_id = :e AND t.tracking_number LIKE :n ORDER BY t.id").bind("e", e).bind("n", "%" + digits)
                .map(ROW).list().stream().filter(r -> r.trackingNumber().replaceFirst("^[A-Za-z]*", "").equals(digits)).findFirst();
    }

    /** Filters of the list; null means any. */
    record Filter(TicketStatus status, boolean openOnly, Long typeId, Long assigneeId, Long customerId, String callId, String callerNumber, String q,
                  int limit) {}

    /** CRM-3 for tickets and memos: the joins and the condition that keep only rows without a customer or whose customer the scope sees. */
    private static final String CUSTOMER_JOIN = "LEFT JOIN customer c ON c.id = %s.customer_id LEFT JOIN app_user o ON o.id = c.owner_id ";

    private static String visibleCondition(String alias, Scope scope) {
        return scope == null || scope.all() ? "" : " AND (" + alias + ".customer_id IS NULL OR (" + scope.condition() + "))";
    }

    private static <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bindScope(T q, Scope scope) {
        return scope == null || scope.all() ? q : scope.bind(q);
    }

    /** Whether the user of {@code scope} may see customer {@code customer} (null: no customer, always). */
    static boolean customerVisible(Handle h, Scope scope, Long customer) {
        if (customer == null || scope == null) return true;
        return scope.bind(h.createQuery("SELECT COUNT(*) FROM customer c LEFT JOIN app_user o ON o.id = c.owner_id WHERE c.id = :c AND "
                + scope.condition()).bind("c", customer)).mapTo(Long.class).one() > 0;
    }

    static List<Row> list(Handle h, long e, Filter f, Scope scope) {
        StringBuilder sql = new StringBuilder("SELECT t.*, y.code AS type_code FROM ticket t JOIN ticket_type y ON y.id = t.type_id "
                + CUSTOMER_JOIN.formatted("t") + "WHERE t.enterprise_id = :e" + visibleCondition("t", scope));
        if (f.status() != null) sql.append(" AND t.status = :status");
        if (f.openOnly()) sql.append(" AND t.status IN (<open>)");
        if (f.typeId() != null) sql.append(" AND t.type_id = :type");
        if (f.assigneeId() != null) sql.append(" AND t.assignee_id = :assignee");
        if (f.customerId() != null) sql.append(" AND t.customer_id = :customer");
        if (f.callId() != null) sql.append(" AND t.call_id = :call");
        if (f.callerNumber() != null) sql.append(" AND t.caller_number = :caller");
        if (f.q() != null) sql.append(" AND (LOWER(t.title) LIKE :q OR LOWER(t.tracking_number) LIKE :q)");
        sql.append(" ORDER BY t.id DESC LIMIT :limit");
        var q = bindScope(h.createQuery(sql.toString()).bind("e", e).bind("limit", f.limit()), scope);
        if (f.status() != null) q.bind("status", f.status().key());
        if (f.openOnly()) q.bindList("open", Arrays.stream(TicketStatus.values()).filter(TicketStatus::open).map(TicketStatus::key).toList());
        if (f.typeId() != null) q.bind("type", f.typeId());
        if (f.assigneeId() != null) q.bind("assignee", f.assigneeId());
        if (f.customerId() != null) q.bind("customer", f.customerId());
        if (f.callId() != null) q.bind("call", f.callId());
        if (f.callerNumber() != null) q.bind("caller", f.callerNumber());
        if (f.q() != null) q.bind("q", "%" + f.q().toLowerCase().replace("%", "").replace("_", "") + "%");
        return q.map(ROW).list();
    }

    /** Tickets whose SLA clock runs and that have escalation stages left: the escalation scheduler's work. */
    static List<Map.Entry<Long, Row>> running(Handle h) {
        return h.createQuery(SELECT + "WHERE t.sla_since IS NOT NULL ORDER BY t.id")
                .map((rs, c) -> Map.entry(rs.getLong("enterprise_id"), ROW.map(rs, c))).list();
    }

    static long insert(Handle h, long e, Row r) {
        return h.createUpdate("""
                INSERT INTO ticket (enterprise_id, tracking_number, type_id, title, description, status, customer_id, caller_number, call_id,
                    department_id, assignee_id, creator_id, form, created_at, updated_at, sla_seconds, sla_used, sla_since, due_at, escalated)
                VALUES (:e, :n, :type, :title, :d, :s, :cust, :caller, :call, :dep, :ass, :cre, :form, :at, :at, :sla, 0, :since, :due, 0)""")
                .bind("e", e).bind("n", r.trackingNumber()).bind("type", r.typeId()).bind("title", r.title()).bind("d", r.description())
                .bind("s", r.status().key()).bind("cust", r.customerId()).bind("caller", r.callerNumber()).bind("call", r.callId())
                .bind("dep", r.departmentId()).bind("ass", r.assigneeId()).bind("cre", r.creatorId()).bind("form", json(r.form()))
                .bind("at", ts(r.createdAt())).bind("sla", r.slaSeconds()).bind("since", ts(r.slaSince())).bind("due", ts(r.dueAt()))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    static void update(Handle h, long e, Row r) {
        h.createUpdate("""
                UPDATE ticket SET title = :title, description = :d, status = :s, customer_id = :cust, caller_number = :caller, call_id = :call,
                    department_id = :dep, assignee_id = :ass, form = :form, updated_at = :up, sla_used = :used, sla_since = :since,
                    due_at = :due, escalated = :esc
                WHERE enterprise_id = :e AND id = :id""")
                .bind("e", e).bind("id", r.id()).bind("title", r.title()).bind("d", r.description()).bind("s", r.status().key())
                .bind("cust", r.customerId()).bind("caller", r.callerNumber()).bind("call", r.callId()).bind("dep", r.departmentId())
                .bind("ass", r.assigneeId()).bind("form", json(r.form())).bind("up", ts(r.updatedAt())).bind("used", r.slaUsed())
                .bind("since", ts(r.slaSince())).bind("due", ts(r.dueAt())).bind("esc", r.escalated()).execute();
    }

    static void event(Handle h, long e, long ticket, Instant at, Long user, String kind, String detail) {
        event(h, e, ticket, at, user, kind, detail, null);
    }

    /** A timeline entry about call {@code callId} (null: none). */
    static void event(Handle h, long e, long ticket, Instant at, Long user, String kind, String detail, String callId) {
        h.createUpdate("""
                INSERT INTO ticket_event (enterprise_id, ticket_id, created_at, user_id, kind, detail, call_id)
                VALUES (:e, :t, :at, :u, :k, :d, :call)""")
                .bind("e", e).bind("t", ticket).bind("at", ts(at)).bind("u", user).bind("k", kind)
                .bind("d", detail == null ? null : detail.length() > 4000 ? detail.substring(0, 4000) : detail).bind("call", callId).execute();
    }

    /** A call-back placed from a ticket: its enterprise, the ticket and the number dialled. */
    record PlacedCallBack(long enterpriseId, long ticketId, String number) {}

    static List<Ticket.Event> timeline(Handle h, long e, long ticket) {
        return h.createQuery("""
                SELECT v.*, u.display_name FROM ticket_event v LEFT JOIN app_user u ON u.id = v.user_id
                WHERE v.enterprise_id = :e AND v.ticket_id = :t ORDER BY v.id""").bind("e", e).bind("t", ticket)
                .map((rs, c) -> new Ticket.Event(rs.getLong("id"), instant(rs, "created_at"), optLong(rs, "user_id"), rs.getString("display_name"),
                        rs.getString("kind"), rs.getString("detail"), rs.getString("call_id"))).list();
    }

    // ---- people

    static boolean userExists(Handle h, long e, long user) {
        return h.createQuery("SELECT COUNT(*) FROM app_user WHERE enterprise_id = :e AND id = :u").bind("e", e).bind("u", user).mapTo(Integer.class).one() > 0;
    }

    /** The customer's first phone number as written. */
    static Optional<String> firstPhone(Handle h, long e, long customer) {
        return h.createQuery("SELECT number FROM customer_phone WHERE enterprise_id = :e AND customer_id = :c ORDER BY position LIMIT 1")
                .bind("e", e).bind("c", customer).mapTo(String.class).findFirst();
    }

    static boolean customerExists(Handle h, long e, long id) {
        return h.createQuery("SELECT COUNT(*) FROM customer WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", e).mapTo(Long.class).one() > 0;
    }

    static boolean departmentExists(Handle h, long e, long dep) {
        return h.createQuery("SELECT COUNT(*) FROM department WHERE enterprise_id = :e AND id = :d").bind("e", e).bind("d", dep).mapTo(Integer.class).one() > 0;
    }

    /** The enabled users whose role may manage tickets (the escalation's supervisors). */
    static List<Long> supervisors(Handle h, long e) {
        return h.createQuery("""
                SELECT u.id FROM app_user u JOIN role_permission p ON p.role_id = u.role_id
                WHERE u.enterprise_id = :e AND u.enabled = TRUE AND p.permission = 'ticket.manage' ORDER BY u.id""")
                .bind("e", e).mapTo(Long.class).list();
    }

    // ---- notifications

    /** One notice in a user's inbox. */
    public record Notification(long id, Instant at, String kind, Long ticketId, String text, Instant readAt) {}

    /**
     * A notice in the user's inbox; when the enterprise sends ticket notifications by e-mail (MSG-2) and the user has an
     * address, also a message in the mail outbox, in the same transaction.
     */
    public static void notify(Handle h, long e, long user, Instant at, String kind, Long ticket, String text) {
        h.createUpdate("INSERT INTO notification (enterprise_id, user_id, created_at, kind, ticket_id, text) VALUES (:e, :u, :at, :k, :t, :x)")
                .bind("e", e).bind("u", user).bind("at", ts(at)).bind("k", kind).bind("t", ticket).bind("x", text).execute();
        if (!MailStore.ticketNotifications(h, e)) return;
        h.createQuery("SELECT email, language FROM app_user WHERE enterprise_id = :e AND id = :u AND email IS NOT NULL").bind("e", e).bind("u", user)
                .map((rs, c) -> Map.entry(rs.getString("email"), rs.getString("language") == null ? "" : rs.getString("language"))).findOne()
                .ifPresent(to -> {
                    boolean zh = to.getValue().startsWith("zh");
                    String what = switch (kind) {
                        case "ticket.assigned" -> zh ? "工单已分配给您" : "Ticket assigned to you";
                        case "ticket.escalated" -> zh ? "工单升级" : "Ticket escalated";
                        case "ticket.commented" -> zh ? "您的工单有新评论" : "New comment on your ticket";
                        case "order.submitted" -> zh ? "订单待您审批" : "Order submitted for your approval";
                        case "order.approved" -> zh ? "订单已审批通过" : "Order approved";
                        case "order.rejected" -> zh ? "订单被驳回" : "Order rejected";
                        default -> zh ? "工单通知" : "Ticket notification";
                    };
                    MailStore.enqueue(h, e, new MailStore.Mail("ticket", to.getKey(), what + ": " + text, text + "\n", null, null), at);
                });
    }

    static List<Notification> notifications(Handle h, long e, long user, boolean unreadOnly) {
        return h.createQuery("SELECT * FROM notification WHERE enterprise_id = :e AND user_id = :u" + (unreadOnly ? " AND read_at IS NULL" : "")
                        + " ORDER BY id DESC LIMIT 200").bind("e", e).bind("u", user)
                .map((rs, c) -> new Notification(rs.getLong("id"), instant(rs, "created_at"), rs.getString("kind"), optLong(rs, "ticket_id"),
                        rs.getString("text"), instant(rs, "read_at"))).list();
    }

    static int markRead(Handle h, long e, long user, long id, Instant at) {
        return h.createUpdate("UPDATE notification SET read_at = COALESCE(read_at, :at) WHERE enterprise_id = :e AND user_id = :u AND id = :id")
                .bind("e", e).bind("u", user).bind("id", id).bind("at", ts(at)).execute();
    }

    // ---- memos

    /** A note on a customer or on a call (BIZ-5). */
    public record Memo(long id, Long customerId, String callId, Long authorId, String author, String text, Instant createdAt) {}

    static long insertMemo(Handle h, long e, Long customer, String call, long author, String text, Instant at) {
        return h.createUpdate("INSERT INTO memo (enterprise_id, customer_id, call_id, author_id, text, created_at) VALUES (:e, :c, :call, :a, :t, :at)")
                .bind("e", e).bind("c", customer).bind("call", call).bind("a", author).bind("t", text).bind("at", ts(at))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    static List<Memo> memos(Handle h, long e, Long customer, String call, Long id) {
        return memos(h, e, customer, call, id, null);
    }

    /** Memos by id, customer or call; with a scope, only those without a customer or on a customer it sees (CRM-3). */
    static List<Memo> memos(Handle h, long e, Long customer, String call, Long id, Scope scope) {
        String where = id != null ? "m.id = :id" : customer != null ? "m.customer_id = :c" : "m.call_id = :call";
        var q = bindScope(h.createQuery("SELECT m.*, u.display_name FROM memo m LEFT JOIN app_user u ON u.id = m.author_id " + CUSTOMER_JOIN.formatted("m")
                + "WHERE m.enterprise_id = :e AND " + where + visibleCondition("m", scope) + " ORDER BY m.created_at DESC, m.id DESC LIMIT 500").bind("e", e), scope);
        if (id != null) q.bind("id", id);
        else if (customer != null) q.bind("c", customer);
        else q.bind("call", call);
        return q.map((rs, c) -> new Memo(rs.getLong("id"), optLong(rs, "customer_id"), rs.getString("call_id"), optLong(rs, "author_id"),
                rs.getString("display_name"), rs.getString("text"), instant(rs, "created_at"))).list();
    }

    static void deleteMemo(Handle h, long e, long id) {
        h.createUpdate("DELETE FROM memo WHERE enterprise_id = :e AND id = :id").bind("e", e).bind("id", id).execute();
    }
}
