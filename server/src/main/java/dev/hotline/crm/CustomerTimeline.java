package dev.hotline.crm;

import dev.hotline.domain.DomainException;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * CRM-4: one timeline per customer, newest first, merging the calls from and to any of the customer's numbers (the
 * call records whose caller or callee has the same matching form, with the call's recording when there is one),
 * the customer's tickets and orders (BIZ-4), the memos on the customer or on those calls (BIZ-5) and the survey results of those calls.
 * The customer is read through the caller's {@link Scope}: one they may not see is not found. SMS sent to or received
 * from any of the customer's numbers (by matching form) are in it for readers who may send SMS.
 */
public final class CustomerTimeline {
    private CustomerTimeline() {}

    public static final int MAX_LIMIT = 100;
    /** How deep one may page: each source is read up to offset + limit rows, then merged. */
    public static final int MAX_OFFSET = 10_000;

    /** What a timeline shows; {@code calls} etc. are left out when the reader lacks the permission to see them. */
    public record Include(boolean tickets, boolean memos, boolean recordings, boolean orders, boolean sms) {}

    /**
     * One entry. {@code kind}: call, ticket, memo or survey; the other fields are those of its kind (null otherwise).
     * call: callId, direction, outcome, number (the other party), agent (job number), queue, talkSeconds, recordingId;
     * ticket: ticketId, trackingNumber, title, status, type; memo: memoId, text, author (and callId when on a call);
     * survey: callId, queue, outcome (answered, partial, no_input, hangup), score (1 very satisfied .. 3 unsatisfied);
     * order (BIZ-4): orderId, orderNumber, status, total (and callId when taken on a call);
     * sms (MSG-3): smsId, direction (out, in), number (the customer's number it went to or came from), text, status (queued,
     * sent, delivered, failed, received), author (who sent it), callId / ticketId when sent from a call or a ticket.
     */
    public record Entry(String kind, Instant at, String callId, String direction, String outcome, String number, String agent,
                        String queue, Integer talkSeconds, Long recordingId, Long ticketId, String trackingNumber, String title,
                        String status, String type, Long memoId, String text, String author, Integer score, Long orderId, String orderNumber,
                        BigDecimal total, Long smsId) {}

    public record Page(long total, int offset, int limit, List<Entry> items) {}

    public static Page of(Handle h, Scope scope, Customers customers, long customerId, int offset, int limit, Include include) {
        if (limit < 1 || limit > MAX_LIMIT) throw DomainException.invalid("limit", "1.." + MAX_LIMIT);
        if (offset < 0 || offset > MAX_OFFSET) throw DomainException.invalid("offset", "0.." + MAX_OFFSET);
        Customer c = customers.get(h, scope, customerId); // 404 when not visible
        long e = scope.enterpriseId();
        List<String> numbers = callRecordForms(c);
        int want = offset + limit;
        List<Entry> all = new ArrayList<>();
        long total = 0;
        if (!numbers.isEmpty()) {
            total += count(h, "SELECT COUNT(*) FROM call_record WHERE enterprise_id = :e AND (caller IN (<n>) OR callee IN (<n>))", e, numbers, null);
            all.addAll(calls(h, e, numbers, want, include.recordings()));
            total += count(h, "SELECT COUNT(*) FROM survey_result s WHERE s.enterprise_id = :e AND s.call_id IN (" + CALL_IDS + ")", e, numbers, null);
            all.addAll(surveys(h, e, numbers, want));
        }
        if (include.tickets()) {
            total += count(h, "SELECT COUNT(*) FROM ticket WHERE enterprise_id = :e AND customer_id = :c", e, null, customerId);
            all.addAll(tickets(h, e, customerId, want));
        }
        if (include.orders()) {
            total += count(h, "SELECT COUNT(*) FROM customer_order WHERE enterprise_id = :e AND customer_id = :c", e, null, customerId);
            all.addAll(orders(h, e, customerId, want));
        }
        if (include.sms()) {
            List<String> matching = c.phones().stream().map(Customer.Phone::normalized).distinct().toList();
            if (!matching.isEmpty()) {
                total += count(h, "SELECT COUNT(*) FROM sms_message WHERE enterprise_id = :e AND peer_match IN (<n>)", e, matching, null);
                all.addAll(sms(h, e, matching, want));
            }
        }
        if (include.memos()) {
            String where = memoCondition(numbers);
            total += count(h, "SELECT COUNT(*) FROM memo m WHERE " + where, e, numbers.isEmpty() ? null : numbers, customerId);
            all.addAll(memos(h, e, customerId, numbers, want));
        }
        all.sort(Comparator.comparing(Entry::at).reversed().thenComparing(Entry::kind));
        List<Entry> page = offset >= all.size() ? List.of() : all.subList(offset, Math.min(all.size(), want));
        return new Page(total, offset, limit, List.copyOf(page));
    }

    /**
     * The ways a call record may hold one of the customer's numbers: every written form (+86…, 0086…, 0…, the bare
     * mobile) whose matching form is the customer's, since the call records keep the number as the caller id gave it.
     */
    static List<String> callRecordForms(Customer c) {
        Set<String> out = new LinkedHashSet<>();
        for (Customer.Phone p : c.phones()) out.addAll(writtenForms(p.normalized()));
        return List.copyOf(out);
    }

    static List<String> writtenForms(String normalized) {
        Set<String> candidates = new LinkedHashSet<>();
        candidates.add(normalized);
        if (normalized.startsWith("+")) {
            String intl = normalized.substring(1);
            candidates.add("00" + intl);
            candidates.add(intl);
            if (intl.startsWith(PhoneNumbers.COUNTRY)) {
                String national = intl.substring(PhoneNumbers.COUNTRY.length());
                candidates.add(national);
                candidates.add("0" + national);
                candidates.add("+" + PhoneNumbers.COUNTRY + "0" + national);
            }
        }
        List<String> out = new ArrayList<>();
        for (String s : candidates) if (normalized.equals(PhoneNumbers.matchingForm(s))) out.add(s);
        return out;
    }

    private static final String CALL_IDS = "SELECT call_id FROM call_record WHERE enterprise_id = :e AND (caller IN (<n>) OR callee IN (<n>))";

    private static String memoCondition(List<String> numbers) {
        return "m.enterprise_id = :e AND (m.customer_id = :c" + (numbers.isEmpty() ? "" : " OR m.call_id IN (" + CALL_IDS + ")") + ")";
    }

    private static long count(Handle h, String sql, long e, List<String> numbers, Long customerId) {
        Query q = h.createQuery(sql).bind("e", e);
        if (numbers != null) q.bindList("n", numbers);
        if (customerId != null) q.bind("c", customerId);
        return q.mapTo(Long.class).one();
    }

    private static List<Entry> calls(Handle h, long e, List<String> numbers, int want, boolean recordings) {
        return h.createQuery("""
                        SELECT r.call_id, r.started_at, r.direction, r.outcome, r.caller, r.callee, r.agent_job, r.queue, r.talk_seconds,
                               (SELECT MIN(g.id) FROM recording g WHERE g.call_id = r.call_id AND g.enterprise_id = r.enterprise_id
                                AND g.deleted_at IS NULL) AS recording_id
                        FROM call_record r WHERE r.enterprise_id = :e AND (r.caller IN (<n>) OR r.callee IN (<n>))
                        ORDER BY r.started_at DESC LIMIT :want""")
                .bind("e", e).bindList("n", numbers).bind("want", want)
                .map((rs, x) -> {
                    String caller = rs.getString("caller");
                    String other = numbers.contains(caller) ? rs.getString("callee") : caller;
                    Long rec = recordings ? optLong(rs, "recording_id") : null;
                    return new Entry("call", at(rs, "started_at"), rs.getString("call_id"), rs.getString("direction"), rs.getString("outcome"),
                            other, rs.getString("agent_job"), rs.getString("queue"), rs.getInt("talk_seconds"), rec,
                            null, null, null, null, null, null, null, null, null, null, null, null, null);
                }).list();
    }

    private static List<Entry> surveys(Handle h, long e, List<String> numbers, int want) {
        return h.createQuery("SELECT s.call_id, s.ended_at, s.queue, s.result, s.score FROM survey_result s WHERE s.enterprise_id = :e AND s.call_id IN ("
                        + CALL_IDS + ") ORDER BY s.ended_at DESC LIMIT :want")
                .bind("e", e).bindList("n", numbers).bind("want", want)
                .map((rs, x) -> new Entry("survey", at(rs, "ended_at"), rs.getString("call_id"), null, rs.getString("result"), null, null,
                        rs.getString("queue"), null, null, null, null, null, null, null, null, null, null, optInt(rs, "score"), null, null, null, null)).list();
    }

    private static List<Entry> tickets(Handle h, long e, long customerId, int want) {
        return h.createQuery("""
                        SELECT t.id, t.tracking_number, t.title, t.status, t.created_at, t.call_id, y.code FROM ticket t
                        JOIN ticket_type y ON y.id = t.type_id WHERE t.enterprise_id = :e AND t.customer_id = :c
                        ORDER BY t.created_at DESC LIMIT :want""")
                .bind("e", e).bind("c", customerId).bind("want", want)
                .map((rs, x) -> new Entry("ticket", at(rs, "created_at"), rs.getString("call_id"), null, null, null, null, null, null, null,
                        rs.getLong("id"), rs.getString("tracking_number"), rs.getString("title"), rs.getString("status"), rs.getString("code"),
                        null, null, null, null, null, null, null, null)).list();
    }

    private static List<Entry> orders(Handle h, long e, long customerId, int want) {
        return h.createQuery("""
                        SELECT id, order_number, status, total, created_at, call_id FROM customer_order
                        WHERE enterprise_id = :e AND customer_id = :c ORDER BY created_at DESC LIMIT :want""")
                .bind("e", e).bind("c", customerId).bind("want", want)
                .map((rs, x) -> new Entry("order", at(rs, "created_at"), rs.getString("call_id"), null, null, null, null, null, null, null,
                        null, null, null, rs.getString("status"), null, null, null, null, null, rs.getLong("id"), rs.getString("order_number"),
                        rs.getBigDecimal("total"), null)).list();
    }

    private static List<Entry> sms(Handle h, long e, List<String> matching, int want) {
        return h.createQuery("""
                        SELECT m.id, m.direction, m.peer, m.text, m.status, m.created_at, m.call_id, m.ticket_id, u.display_name FROM sms_message m
                        LEFT JOIN app_user u ON u.id = m.user_id WHERE m.enterprise_id = :e AND m.peer_match IN (<n>)
                        ORDER BY m.created_at DESC LIMIT :want""")
                .bind("e", e).bindList("n", matching).bind("want", want)
                .map((rs, x) -> new Entry("sms", at(rs, "created_at"), rs.getString("call_id"), rs.getString("direction"), null, rs.getString("peer"),
                        null, null, null, null, optLong(rs, "ticket_id"), null, null, rs.getString("status"), null, null, rs.getString("text"),
                        rs.getString("display_name"), null, null, null, null, rs.getLong("id"))).list();
    }

    private static List<Entry> memos(Handle h, long e, long customerId, List<String> numbers, int want) {
        Query q = h.createQuery("SELECT m.id, m.text, m.created_at, m.call_id, u.display_name FROM memo m LEFT JOIN app_user u ON u.id = m.author_id"
                        + " WHERE " + memoCondition(numbers) + " ORDER BY m.created_at DESC LIMIT :want")
                .bind("e", e).bind("c", customerId).bind("want", want);
        if (!numbers.isEmpty()) q.bindList("n", numbers);
        return q.map((rs, x) -> new Entry("memo", at(rs, "created_at"), rs.getString("call_id"), null, null, null, null, null, null, null,
                null, null, null, null, null, rs.getLong("id"), rs.getString("text"), rs.getString("display_name"), null, null, null, null, null)).list();
    }

    private static Instant at(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }

    private static Long optLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer optInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
