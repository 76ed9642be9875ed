package dev.hotline.voicemail;

import dev.hotline.report.CallLogEvent;
import dev.hotline.report.LogEvent;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for voicemail messages (MSG-1). */
public final class VoicemailStore {
    private VoicemailStore() {}

    public record Message(long id, String boxType, String box, String callId, String caller, String callbackNumber, long durationMs,
                          Instant createdAt, Instant handledAt, String handledBy) {}

    /**
     * The voicemail table kept from the call event log ({@link dev.hotline.report.Projection}), on the log's writer thread;
     * a box with e-mail on also gets the message in the mail outbox, in the same transaction (sent later, off the call path).
     */
    public static void project(Handle h, LogEvent e) {
        if (e instanceof CallLogEvent.VoicemailLeft v) {
            long id = insert(h, v);
            VoicemailMail.enqueue(h, id, v);
        }
    }

    public static long insert(Handle h, CallLogEvent.VoicemailLeft v) {
        return h.createUpdate("""
                INSERT INTO voicemail (enterprise_id, box_type, box, call_id, caller, callback_number, path, duration_ms, created_at)
                VALUES (:e, :bt, :b, :c, :caller, :cb, :p, :d, :at)""")
                .bind("e", v.enterpriseId()).bind("bt", v.boxType()).bind("b", v.box()).bind("c", v.callId()).bind("caller", v.caller())
                .bind("cb", v.callbackNumber()).bind("p", v.path().toString()).bind("d", v.durationMs()).bind("at", Timestamp.from(v.at()))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    // ---- boxes' e-mail settings (MSG-2)

    /** Whether a box's messages go by e-mail, and to whom ({@code to} null: the extension's user's address). */
    public record BoxEmail(String boxType, String box, boolean enabled, String to) {}

    /** Whether the box exists in the enterprise: an extension's number or a queue's name. */
    static boolean boxExists(Handle h, long enterpriseId, String boxType, String box) {
        String sql = switch (boxType) {
            case "extension" -> "SELECT COUNT(*) FROM extension WHERE enterprise_id = :e AND number = :b";
            case "queue" -> "SELECT COUNT(*) FROM acd_queue WHERE enterprise_id = :e AND name = :b";
            default -> null;
        };
        return sql != null && h.createQuery(sql).bind("e", enterpriseId).bind("b", box).mapTo(Integer.class).one() > 0;
    }

    static BoxEmail boxEmail(Handle h, long enterpriseId, String boxType, String box) {
        return h.createQuery("SELECT email_enabled, email_to FROM voicemail_box WHERE enterprise_id = :e AND box_type = :t AND box = :b")
                .bind("e", enterpriseId).bind("t", boxType).bind("b", box)
                .map((rs, c) -> new BoxEmail(boxType, box, rs.getBoolean("email_enabled"), rs.getString("email_to"))).findOne()
                .orElse(new BoxEmail(boxType, box, false, null));
    }

    static List<BoxEmail> boxEmails(Handle h, long enterpriseId) {
        return h.createQuery("SELECT * FROM voicemail_box WHERE enterprise_id = :e ORDER BY box_type, box").bind("e", enterpriseId)
                .map((rs, c) -> new BoxEmail(rs.getString("box_type"), rs.getString("box"), rs.getBoolean("email_enabled"), rs.getString("email_to")))
                .list();
    }

    static void saveBoxEmail(Handle h, long enterpriseId, BoxEmail b) {
        h.createUpdate("DELETE FROM voicemail_box WHERE enterprise_id = :e AND box_type = :t AND box = :b")
                .bind("e", enterpriseId).bind("t", b.boxType()).bind("b", b.box()).execute();
        h.createUpdate("INSERT INTO voicemail_box (enterprise_id, box_type, box, email_enabled, email_to) VALUES (:e, :t, :b, :on, :to)")
                .bind("e", enterpriseId).bind("t", b.boxType()).bind("b", b.box()).bind("on", b.enabled()).bind("to", b.to()).execute();
    }

    /** The e-mail address and language of the user of extension {@code number}, if it has a user with an address. */
    record Owner(String email, String language) {}

    static Optional<Owner> extensionOwner(Handle h, long enterpriseId, String number) {
        return h.createQuery("""
                SELECT u.email, u.language FROM extension x JOIN app_user u ON u.id = x.user_id
                WHERE x.enterprise_id = :e AND x.number = :n AND u.email IS NOT NULL""")
                .bind("e", enterpriseId).bind("n", number).map((rs, c) -> new Owner(rs.getString("email"), rs.getString("language"))).findOne();
    }

    public record Filter(String boxType, String box, Boolean handled) {}

    public static List<Message> list(Handle h, long enterpriseId, Filter f) {
        String sql = "SELECT * FROM voicemail WHERE enterprise_id = :e AND deleted_at IS NULL"
                + (f.boxType() != null ? " AND box_type = :bt" : "") + (f.box() != null ? " AND box = :b" : "")
                + (f.handled() == null ? "" : f.handled() ? " AND handled_at IS NOT NULL" : " AND handled_at IS NULL")
                + " ORDER BY created_at DESC LIMIT 500";
        var q = h.createQuery(sql).bind("e", enterpriseId);
        if (f.boxType() != null) q.bind("bt", f.boxType());
        if (f.box() != null) q.bind("b", f.box());
        return q.map((rs, c) -> new Message(rs.getLong("id"), rs.getString("box_type"), rs.getString("box"), rs.getString("call_id"),
                rs.getString("caller"), rs.getString("callback_number"), rs.getLong("duration_ms"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("handled_at") == null ? null : rs.getTimestamp("handled_at").toInstant(), rs.getString("handled_by"))).list();
    }

    public static Optional<Message> byId(Handle h, long enterpriseId, long id) {
        return list(h, enterpriseId, new Filter(null, null, null)).stream().filter(m -> m.id() == id).findFirst();
    }

    public static Optional<Path> file(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT path FROM voicemail WHERE enterprise_id = :e AND id = :id AND deleted_at IS NULL")
                .bind("e", enterpriseId).bind("id", id).mapTo(String.class).findOne().map(Path::of);
    }

    public static void setHandled(Handle h, long enterpriseId, long id, boolean handled, String by, Instant at) {
        h.createUpdate("UPDATE voicemail SET handled_at = :at, handled_by = :by WHERE enterprise_id = :e AND id = :id")
                .bind("at", handled ? Timestamp.from(at) : null).bind("by", handled ? by : null).bind("e", enterpriseId).bind("id", id).execute();
    }

    public static void delete(Handle h, long enterpriseId, long id, Instant at) {
        h.createUpdate("UPDATE voicemail SET deleted_at = :at WHERE enterprise_id = :e AND id = :id")
                .bind("at", Timestamp.from(at)).bind("e", enterpriseId).bind("id", id).execute();
    }
}
