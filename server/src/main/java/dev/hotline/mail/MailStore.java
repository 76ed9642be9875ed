package dev.hotline.mail;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The {@code mail_settings} and {@code mail_outbox} tables. Other features put mail in the outbox with {@link #enqueue}
 * inside their own transaction (a voicemail's projection, a ticket's notification): it is sent later by {@link Mailer}.
 */
public final class MailStore {
    private MailStore() {}

    /** An enterprise's stored row: {@code host} null means "the server's default"; the password stays sealed. */
    record Row(String host, Integer port, String security, String username, String sealedPassword, String from,
               boolean ticketNotifications, Instant updatedAt) {}

    /** One message of the outbox and how its sending went. */
    public record Outgoing(long id, String kind, String to, String subject, String body, String attachmentPath, String attachmentName,
                           Instant createdAt, int attempts, Instant nextAt, Instant sentAt, Instant failedAt, String lastError, String html) {

        /** pending (to be sent or retried), sent, or failed (gave up). */
        public String status() {
            return sentAt != null ? "sent" : failedAt != null ? "failed" : "pending";
        }
    }

    /**
     * Something to send: the attachment (a file of the server's) may be null; {@code html}, when not null, is sent with
     * {@code body} as its plain-text alternative (multipart/alternative). Whoever builds the HTML escapes every value in it.
     */
    public record Mail(String kind, String to, String subject, String body, Path attachment, String attachmentName, String html) {
        public Mail(String kind, String to, String subject, String body, Path attachment, String attachmentName) {
            this(kind, to, subject, body, attachment, attachmentName, null);
        }
    }

    private static Instant instant(ResultSet rs, String col) throws SQLException {
        Timestamp t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
    }

    private static final RowMapper<Outgoing> OUT = (rs, c) -> new Outgoing(rs.getLong("id"), rs.getString("kind"), rs.getString("to_address"),
            rs.getString("subject"), rs.getString("body"), rs.getString("attachment_path"), rs.getString("attachment_name"),
            instant(rs, "created_at"), rs.getInt("attempts"), instant(rs, "next_at"), instant(rs, "sent_at"), instant(rs, "failed_at"),
            rs.getString("last_error"), rs.getString("html_body"));

    static Optional<Row> settings(Handle h, long enterpriseId) {
        return h.createQuery("SELECT * FROM mail_settings WHERE enterprise_id = :e").bind("e", enterpriseId)
                .map((rs, c) -> new Row(rs.getString("host"), (Integer) rs.getObject("port"), rs.getString("security"), rs.getString("username"),
                        rs.getString("password_enc"), rs.getString("from_address"), rs.getBoolean("ticket_notifications"), instant(rs, "updated_at")))
                .findOne();
    }

    static void saveSettings(Handle h, long enterpriseId, Row r) {
        h.createUpdate("DELETE FROM mail_settings WHERE enterprise_id = :e").bind("e", enterpriseId).execute();
        h.createUpdate("""
                INSERT INTO mail_settings (enterprise_id, host, port, security, username, password_enc, from_address, ticket_notifications, updated_at)
                VALUES (:e, :host, :port, :sec, :user, :pw, :from, :tn, :at)""")
                .bind("e", enterpriseId).bind("host", r.host()).bind("port", r.port()).bind("sec", r.security()).bind("user", r.username())
                .bind("pw", r.sealedPassword()).bind("from", r.from()).bind("tn", r.ticketNotifications()).bind("at", Timestamp.from(r.updatedAt()))
                .execute();
    }

    /** Whether the enterprise sends ticket notifications by e-mail too (BIZ-1 with MSG-2). */
    public static boolean ticketNotifications(Handle h, long enterpriseId) {
        return settings(h, enterpriseId).map(Row::ticketNotifications).orElse(false);
    }

    /** Turns the switch on or off (the ticket settings page shows it too), keeping the rest of the settings. */
    public static void setTicketNotifications(Handle h, long enterpriseId, boolean on, Instant now) {
        int n = h.createUpdate("UPDATE mail_settings SET ticket_notifications = :on, updated_at = :at WHERE enterprise_id = :e")
                .bind("e", enterpriseId).bind("on", on).bind("at", Timestamp.from(now)).execute();
        if (n == 0) saveSettings(h, enterpriseId, new Row(null, null, null, null, null, null, on, now));
    }

    /** Puts {@code mail} in the outbox, due now; returns its id. Runs in the caller's transaction. */
    public static long enqueue(Handle h, long enterpriseId, Mail mail, Instant now) {
        return h.createUpdate("""
                INSERT INTO mail_outbox (enterprise_id, kind, to_address, subject, body, attachment_path, attachment_name, created_at, attempts, next_at,
                    html_body)
                VALUES (:e, :k, :to, :s, :b, :ap, :an, :at, 0, :at, :html)""")
                .bind("e", enterpriseId).bind("k", mail.kind()).bind("to", mail.to()).bind("s", clip(mail.subject(), 500))
                .bind("b", clip(mail.body(), 8000)).bind("ap", mail.attachment() == null ? null : mail.attachment().toString())
                .bind("an", mail.attachmentName()).bind("at", Timestamp.from(now)).bind("html", clip(mail.html(), 32000))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    /** A due message with its enterprise. */
    record Due(long enterpriseId, Outgoing mail) {}

    static List<Due> due(Handle h, Instant now, int limit) {
        return h.createQuery("""
                SELECT * FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_at <= :now ORDER BY id LIMIT :l""")
                .bind("now", Timestamp.from(now)).bind("l", limit).map((rs, c) -> new Due(rs.getLong("enterprise_id"), OUT.map(rs, c))).list();
    }

    static void sent(Handle h, long id, Instant at) {
        h.createUpdate("UPDATE mail_outbox SET sent_at = :at, attempts = attempts + 1, last_error = NULL WHERE id = :id")
                .bind("id", id).bind("at", Timestamp.from(at)).execute();
    }

    /** A failed attempt: tried again at {@code next}, or given up ({@code next} null). */
    static void failed(Handle h, long id, String error, Instant now, Instant next) {
        h.createUpdate("UPDATE mail_outbox SET attempts = attempts + 1, last_error = :err, next_at = :n, failed_at = :f WHERE id = :id")
                .bind("id", id).bind("err", clip(error, 500)).bind("n", Timestamp.from(next == null ? now : next))
                .bind("f", next == null ? Timestamp.from(now) : null).execute();
    }

    public static List<Outgoing> list(Handle h, long enterpriseId, String status, int limit) {
        String where = switch (status == null ? "" : status) {
            case "sent" -> " AND sent_at IS NOT NULL";
            case "failed" -> " AND failed_at IS NOT NULL";
            case "pending" -> " AND sent_at IS NULL AND failed_at IS NULL";
            default -> "";
        };
        return h.createQuery("SELECT * FROM mail_outbox WHERE enterprise_id = :e" + where + " ORDER BY id DESC LIMIT :l")
                .bind("e", enterpriseId).bind("l", limit).map(OUT).list();
    }

    public static Optional<Outgoing> byId(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT * FROM mail_outbox WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id).map(OUT)
                .findOne();
    }

    /** Sends a message again now (a failed or pending one); false when it was sent already. */
    static boolean retryNow(Handle h, long enterpriseId, long id, Instant now) {
        return h.createUpdate("UPDATE mail_outbox SET failed_at = NULL, next_at = :n WHERE enterprise_id = :e AND id = :id AND sent_at IS NULL")
                .bind("e", enterpriseId).bind("id", id).bind("n", Timestamp.from(now)).execute() == 1;
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
