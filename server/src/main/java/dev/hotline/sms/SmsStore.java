package dev.hotline.sms;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/** The {@code sms_*} tables: settings, templates, the after-call switch per queue, messages and their parts. */
final class SmsStore {
    private SmsStore() {}

    /** An enterprise's stored gateway: {@code kind} none, smpp or http; the SMPP password stays sealed. */
    record Row(String kind, String smppHost, Integer smppPort, String systemId, String sealedPassword, String systemType, String sourceAddress,
               String httpUrl, String httpMethod, String httpContentType, String httpBody, String httpSuccess, Integer dailyQuota,
               Integer monthlyQuota, Instant updatedAt) {}

    record Template(long id, String name, String body, Instant createdAt) {}

    /** One message, outbound or inbound, with the names of its customer and sender for the log. */
    record Message(long id, String direction, String kind, String peer, String sourceAddress, String text, String encoding, int parts,
                   SmsStatus status, Long customerId, String customerName, Long ticketId, String callId, Long templateId, Long userId,
                   String userName, int attempts, Instant nextAt, String lastError, Instant createdAt, Instant sentAt, Instant doneAt) {}

    /** A message to put in the queue. */
    record NewMessage(String kind, String peer, String peerMatch, String sourceAddress, String text, String encoding, int parts,
                      SmsStatus status, Long customerId, Long ticketId, String callId, Long templateId, Long userId, String lastError) {}

    static Instant instant(ResultSet rs, String col) throws SQLException {
        Timestamp t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
    }

    private static Integer optInt(ResultSet rs, String col) throws SQLException {
        int v = rs.getInt(col);
        return rs.wasNull() ? null : v;
    }

    private static Long optLong(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    // ---------------------------------------------------------------- settings

    static Optional<Row> settings(Handle h, long enterpriseId) {
        return h.createQuery("SELECT * FROM sms_settings WHERE enterprise_id = :e").bind("e", enterpriseId)
                .map((rs, c) -> new Row(rs.getString("kind"), rs.getString("smpp_host"), optInt(rs, "smpp_port"), rs.getString("smpp_system_id"),
                        rs.getString("smpp_password_enc"), rs.getString("smpp_system_type"), rs.getString("source_address"), rs.getString("http_url"),
                        rs.getString("http_method"), rs.getString("http_content_type"), rs.getString("http_body"), rs.getString("http_success"),
                        optInt(rs, "daily_quota"), optInt(rs, "monthly_quota"), instant(rs, "updated_at")))
                .findOne();
    }

    /** The enterprises whose gateway is SMPP (their links are opened at start). */
    static List<Long> smppEnterprises(Handle h) {
        return h.createQuery("SELECT enterprise_id FROM sms_settings WHERE kind = 'smpp' ORDER BY enterprise_id").mapTo(Long.class).list();
    }

    static void saveSettings(Handle h, long enterpriseId, Row r) {
        h.createUpdate("DELETE FROM sms_settings WHERE enterprise_id = :e").bind("e", enterpriseId).execute();
        h.createUpdate("""
                INSERT INTO sms_settings (enterprise_id, kind, smpp_host, smpp_port, smpp_system_id, smpp_password_enc, smpp_system_type,
                    source_address, http_url, http_method, http_content_type, http_body, http_success, daily_quota, monthly_quota, updated_at)
                VALUES (:e, :kind, :host, :port, :sid, :pw, :st, :src, :url, :method, :ct, :body, :ok, :day, :month, :at)""")
                .bind("e", enterpriseId).bind("kind", r.kind()).bind("host", r.smppHost()).bind("port", r.smppPort()).bind("sid", r.systemId())
                .bind("pw", r.sealedPassword()).bind("st", r.systemType()).bind("src", r.sourceAddress()).bind("url", r.httpUrl())
                .bind("method", r.httpMethod()).bind("ct", r.httpContentType()).bind("body", r.httpBody()).bind("ok", r.httpSuccess())
                .bind("day", r.dailyQuota()).bind("month", r.monthlyQuota()).bind("at", ts(r.updatedAt())).execute();
    }

    /** Parts of outbound messages created since {@code since} (what the quotas count). */
    static long partsSince(Handle h, long enterpriseId, Instant since) {
        return h.createQuery("SELECT COALESCE(SUM(parts), 0) FROM sms_message WHERE enterprise_id = :e AND direction = 'out' AND created_at >= :s"
                        + " AND (status <> 'failed' OR sent_at IS NOT NULL)")
                .bind("e", enterpriseId).bind("s", ts(since)).mapTo(Long.class).one();
    }

    // ---------------------------------------------------------------- templates

    private static final RowMapper<Template> TEMPLATE = (rs, c) -> new Template(rs.getLong("id"), rs.getString("name"), rs.getString("body"),
            instant(rs, "created_at"));

    static List<Template> templates(Handle h, long enterpriseId) {
        return h.createQuery("SELECT * FROM sms_template WHERE enterprise_id = :e ORDER BY name").bind("e", enterpriseId).map(TEMPLATE).list();
    }

    static Optional<Template> template(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT * FROM sms_template WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id)
                .map(TEMPLATE).findOne();
    }

    static boolean templateNameTaken(Handle h, long enterpriseId, String name, Long exceptId) {
        return h.createQuery("SELECT COUNT(*) FROM sms_template WHERE enterprise_id = :e AND name = :n AND id <> :x")
                .bind("e", enterpriseId).bind("n", name).bind("x", exceptId == null ? -1L : exceptId).mapTo(Long.class).one() > 0;
    }

    static long insertTemplate(Handle h, long enterpriseId, String name, String body, Instant at) {
        return h.createUpdate("INSERT INTO sms_template (enterprise_id, name, body, created_at) VALUES (:e, :n, :b, :at)")
                .bind("e", enterpriseId).bind("n", name).bind("b", body).bind("at", ts(at))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    static void updateTemplate(Handle h, long enterpriseId, long id, String name, String body) {
        h.createUpdate("UPDATE sms_template SET name = :n, body = :b WHERE enterprise_id = :e AND id = :id")
                .bind("e", enterpriseId).bind("id", id).bind("n", name).bind("b", body).execute();
    }

    static void deleteTemplate(Handle h, long enterpriseId, long id) {
        h.createUpdate("DELETE FROM sms_after_call WHERE enterprise_id = :e AND template_id = :id").bind("e", enterpriseId).bind("id", id).execute();
        h.createUpdate("UPDATE sms_message SET template_id = NULL WHERE enterprise_id = :e AND template_id = :id").bind("e", enterpriseId)
                .bind("id", id).execute();
        h.createUpdate("DELETE FROM sms_template WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id).execute();
    }

    // ---------------------------------------------------------------- after-call switch

    /** A queue with the template its answered callers get after the call (null: none). */
    record AfterCall(long queueId, String queue, Long templateId, String templateName) {}

    static List<AfterCall> afterCall(Handle h, long enterpriseId) {
        return h.createQuery("""
                        SELECT q.id, q.name, a.template_id, t.name AS template_name FROM acd_queue q
                        LEFT JOIN sms_after_call a ON a.queue_id = q.id LEFT JOIN sms_template t ON t.id = a.template_id
                        WHERE q.enterprise_id = :e ORDER BY q.name""")
                .bind("e", enterpriseId)
                .map((rs, c) -> new AfterCall(rs.getLong("id"), rs.getString("name"), optLong(rs, "template_id"), rs.getString("template_name")))
                .list();
    }

    static Optional<AfterCall> afterCall(Handle h, long enterpriseId, long queueId) {
        return afterCall(h, enterpriseId).stream().filter(a -> a.queueId() == queueId).findFirst();
    }

    static void setAfterCall(Handle h, long enterpriseId, long queueId, Long templateId) {
        h.createUpdate("DELETE FROM sms_after_call WHERE queue_id = :q AND enterprise_id = :e").bind("q", queueId).bind("e", enterpriseId).execute();
        if (templateId != null) {
            h.createUpdate("INSERT INTO sms_after_call (queue_id, enterprise_id, template_id) VALUES (:q, :e, :t)")
                    .bind("q", queueId).bind("e", enterpriseId).bind("t", templateId).execute();
        }
    }

    /** The template of the queue named {@code queue}'s after-call SMS, if it has one. */
    static Optional<Template> afterCallTemplate(Handle h, long enterpriseId, String queue) {
        return h.createQuery("""
                        SELECT t.* FROM sms_after_call a JOIN acd_queue q ON q.id = a.queue_id JOIN sms_template t ON t.id = a.template_id
                        WHERE q.enterprise_id = :e AND q.name = :q""")
                .bind("e", enterpriseId).bind("q", queue).map(TEMPLATE).findOne();
    }

    // ---------------------------------------------------------------- messages

    private static final String SELECT = """
            SELECT m.*, c.name AS customer_name, u.display_name AS user_name FROM sms_message m
            LEFT JOIN customer c ON c.id = m.customer_id LEFT JOIN app_user u ON u.id = m.user_id""";

    private static final RowMapper<Message> MESSAGE = (rs, c) -> new Message(rs.getLong("id"), rs.getString("direction"), rs.getString("kind"),
            rs.getString("peer"), rs.getString("source_address"), rs.getString("text"), rs.getString("encoding"), rs.getInt("parts"),
            SmsStatus.parse(rs.getString("status")).orElseThrow(), optLong(rs, "customer_id"), rs.getString("customer_name"),
            optLong(rs, "ticket_id"), rs.getString("call_id"), optLong(rs, "template_id"), optLong(rs, "user_id"), rs.getString("user_name"),
            rs.getInt("attempts"), instant(rs, "next_at"), rs.getString("last_error"), instant(rs, "created_at"), instant(rs, "sent_at"),
            instant(rs, "done_at"));

    static long insert(Handle h, long enterpriseId, NewMessage m, Instant now) {
        boolean out = m.status() != SmsStatus.RECEIVED;
        return h.createUpdate("""
                INSERT INTO sms_message (enterprise_id, direction, kind, peer, peer_match, source_address, text, encoding, parts, status,
                    customer_id, ticket_id, call_id, template_id, user_id, attempts, next_at, last_error, created_at, done_at)
                VALUES (:e, :dir, :kind, :peer, :pm, :src, :text, :enc, :parts, :status, :cust, :ticket, :call, :tpl, :user, 0, :next, :err, :at, :done)""")
                .bind("e", enterpriseId).bind("dir", out ? "out" : "in").bind("kind", m.kind()).bind("peer", m.peer()).bind("pm", m.peerMatch())
                .bind("src", m.sourceAddress()).bind("text", m.text()).bind("enc", m.encoding()).bind("parts", m.parts())
                .bind("status", m.status().key()).bind("cust", m.customerId()).bind("ticket", m.ticketId()).bind("call", m.callId())
                .bind("tpl", m.templateId()).bind("user", m.userId()).bind("next", m.status() == SmsStatus.QUEUED ? ts(now) : null)
                .bind("err", m.lastError()).bind("at", ts(now)).bind("done", m.status() == SmsStatus.QUEUED ? null : ts(now))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    static Optional<Message> byId(Handle h, long enterpriseId, long id) {
        return h.createQuery(SELECT + " WHERE m.enterprise_id = :e AND m.id = :id").bind("e", enterpriseId).bind("id", id).map(MESSAGE).findOne();
    }

    /** Filters of the message log; null fields do not filter. */
    record Filter(SmsStatus status, String direction, String kind, String peerMatch, Long customerId, Long userId, Instant from, Instant to,
                  int limit) {}

    static List<Message> list(Handle h, long enterpriseId, Filter f) {
        StringBuilder where = new StringBuilder(" WHERE m.enterprise_id = :e");
        if (f.status() != null) where.append(" AND m.status = :status");
        if (f.direction() != null) where.append(" AND m.direction = :dir");
        if (f.kind() != null) where.append(" AND m.kind = :kind");
        if (f.peerMatch() != null) where.append(" AND m.peer_match = :pm");
        if (f.customerId() != null) where.append(" AND m.customer_id = :cust");
        if (f.userId() != null) where.append(" AND m.user_id = :user");
        if (f.from() != null) where.append(" AND m.created_at >= :from");
        if (f.to() != null) where.append(" AND m.created_at < :to");
        Query q = h.createQuery(SELECT + where + " ORDER BY m.id DESC LIMIT :l").bind("e", enterpriseId).bind("l", f.limit());
        if (f.status() != null) q.bind("status", f.status().key());
        if (f.direction() != null) q.bind("dir", f.direction());
        if (f.kind() != null) q.bind("kind", f.kind());
        if (f.peerMatch() != null) q.bind("pm", f.peerMatch());
        if (f.customerId() != null) q.bind("cust", f.customerId());
        if (f.userId() != null) q.bind("user", f.userId());
        if (f.from() != null) q.bind("from", ts(f.from()));
        if (f.to() != null) q.bind("to", ts(f.to()));
        return q.map(MESSAGE).list();
    }

    /** A queued message due for an attempt, with its enterprise. */
    record Due(long enterpriseId, Message message) {}

    static List<Due> due(Handle h, Instant now, int limit) {
        return h.createQuery(SELECT + " WHERE m.status = 'queued' AND m.next_at <= :now ORDER BY m.id LIMIT :l")
                .bind("now", ts(now)).bind("l", limit).map((rs, c) -> new Due(rs.getLong("enterprise_id"), MESSAGE.map(rs, c))).list();
    }

    /** Makes the enterprise's queued messages due now (its gateway just came up). */
    static int nudge(Handle h, long enterpriseId, Instant now) {
        return h.createUpdate("UPDATE sms_message SET next_at = :n WHERE enterprise_id = :e AND status = 'queued' AND next_at > :n")
                .bind("e", enterpriseId).bind("n", ts(now)).execute();
    }

    /**
     * Moves a message from its current status to {@code to} (checked by {@link SmsStatus#moveTo}); only if it is still in the
     * status it was read in. {@code sent} stamps sent_at, a final status done_at, a queued one is due at {@code next}.
     */
    static boolean move(Handle h, long id, SmsStatus from, SmsStatus to, Instant now, Instant next, String error) {
        from.moveTo(to);
        if (to == SmsStatus.QUEUED) {
            // sent again by hand: the parts a receipt said failed go again, the delivered ones stay
            h.createUpdate("DELETE FROM sms_part WHERE message_id = :id AND status = 'failed'").bind("id", id).execute();
        }
        return h.createUpdate("""
                UPDATE sms_message SET status = :to, sent_at = CASE WHEN :sent THEN :now ELSE sent_at END,
                    done_at = CASE WHEN :done THEN :now ELSE NULL END, next_at = :next, last_error = COALESCE(:err, last_error)
                WHERE id = :id AND status = :from""")
                .bind("id", id).bind("from", from.key()).bind("to", to.key()).bind("sent", to == SmsStatus.SENT).bind("now", ts(now))
                .bind("done", to == SmsStatus.DELIVERED || to == SmsStatus.FAILED).bind("next", to == SmsStatus.QUEUED ? ts(next) : null)
                .bind("err", error).execute() == 1;
    }

    /** Makes one queued message due now. */
    static void nudgeOne(Handle h, long id, Instant now) {
        h.createUpdate("UPDATE sms_message SET next_at = :n WHERE id = :id AND status = 'queued'").bind("id", id).bind("n", ts(now)).execute();
    }

    /** A failed attempt of a queued message: tried again at {@code next}. */
    static void attemptFailed(Handle h, long id, String error, Instant next) {
        h.createUpdate("UPDATE sms_message SET attempts = attempts + 1, last_error = :err, next_at = :n WHERE id = :id AND status = 'queued'")
                .bind("id", id).bind("err", clip(error, 500)).bind("n", ts(next)).execute();
    }

    static void attempted(Handle h, long id) {
        h.createUpdate("UPDATE sms_message SET attempts = attempts + 1, last_error = NULL WHERE id = :id").bind("id", id).execute();
    }

    // ---------------------------------------------------------------- parts and receipts

    /** The part numbers (1-based) of a message the gateway has taken already (a retry sends only the others). */
    static List<Integer> submittedParts(Handle h, long messageId) {
        return h.createQuery("SELECT part FROM sms_part WHERE message_id = :m ORDER BY part").bind("m", messageId).mapTo(Integer.class).list();
    }

    static void partSubmitted(Handle h, long enterpriseId, long messageId, int part, String gatewayId) {
        h.createUpdate("INSERT INTO sms_part (message_id, part, enterprise_id, gateway_id, status) VALUES (:m, :p, :e, :g, 'sent')")
                .bind("m", messageId).bind("p", part).bind("e", enterpriseId).bind("g", gatewayId).execute();
    }

    /**
     * Records a receipt on the part the gateway knows as {@code gatewayId} (the newest such part still waiting for one: a
     * gateway may reuse its ids after a restart); returns its message's id, if such a part is known.
     */
    static Optional<Long> receipt(Handle h, long enterpriseId, String gatewayId, boolean delivered, String receipt) {
        Optional<Map<String, Object>> part = h.createQuery("""
                        SELECT message_id, part FROM sms_part WHERE enterprise_id = :e AND gateway_id = :g AND status = 'sent'
                        ORDER BY message_id DESC LIMIT 1""")
                .bind("e", enterpriseId).bind("g", gatewayId).mapToMap().findOne();
        if (part.isEmpty()) return Optional.empty();
        long message = ((Number) part.get().get("message_id")).longValue();
        lock(h, message);
        h.createUpdate("UPDATE sms_part SET status = :s, receipt = :r WHERE message_id = :m AND part = :p")
                .bind("m", message).bind("p", ((Number) part.get().get("part")).intValue()).bind("s", delivered ? "delivered" : "failed")
                .bind("r", clip(receipt, 200)).execute();
        return Optional.of(message);
    }

    /**
     * Locks the message's row until the transaction ends. A receipt and the sender's own "sent" step both decide whether the
     * message is settled; without the lock each could read the other's change as not yet made (write skew) and neither
     * would settle it, leaving it "sent" for ever.
     */
    static void lock(Handle h, long messageId) {
        h.createQuery("SELECT id FROM sms_message WHERE id = :m FOR UPDATE").bind("m", messageId).mapTo(Long.class).findOne();
    }

    /** How a message's parts stand: how many there are recorded, delivered and failed. */
    record PartCounts(int recorded, int delivered, int failed) {}

    static PartCounts partCounts(Handle h, long messageId) {
        return h.createQuery("""
                        SELECT COUNT(*) AS n, SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END) AS d,
                               SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS f FROM sms_part WHERE message_id = :m""")
                .bind("m", messageId).map((rs, c) -> new PartCounts(rs.getInt("n"), rs.getInt("d"), rs.getInt("f"))).one();
    }

    /** The status of each of the enterprise's messages named (unknown ids are left out). */
    static Map<Long, String> statuses(Handle h, long enterpriseId, java.util.Collection<Long> ids) {
        Map<Long, String> out = new java.util.HashMap<>();
        if (ids.isEmpty()) return out;
        h.createQuery("SELECT id, status FROM sms_message WHERE enterprise_id = :e AND id IN (<ids>)").bind("e", enterpriseId)
                .bindList("ids", List.copyOf(ids)).map((rs, c) -> Map.entry(rs.getLong("id"), rs.getString("status")))
                .forEach(en -> out.put(en.getKey(), en.getValue()));
        return out;
    }

    static Optional<SmsStatus> status(Handle h, long messageId) {
        return h.createQuery("SELECT status FROM sms_message WHERE id = :m").bind("m", messageId).mapTo(String.class).findOne()
                .flatMap(SmsStatus::parse);
    }

    static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
