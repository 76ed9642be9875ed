package dev.hotline.audit;

import dev.hotline.auth.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The operation log (ADM-3): logins, logouts and every admin change. Written in the same
 * transaction as the change it describes, so a change is never without its log line.
 */
public final class AuditLog {
    private final Clock clock;

    public AuditLog(Clock clock) {
        this.clock = clock;
    }

    public void record(Handle h, Principal who, String ip, String action, String target, String detail) {
        record(h, who.enterpriseId(), who.userId(), who.username(), ip, action, target, detail);
    }

    public void record(Handle h, long enterpriseId, Long userId, String username, String ip, String action,
                       String target, String detail) {
        h.createUpdate("""
                INSERT INTO audit_log (enterprise_id, at, user_id, username, action, target, detail, ip)
                VALUES (:e, :at, :uid, :un, :action, :target, :detail, :ip)""")
                .bind("e", enterpriseId).bind("at", clock.instant()).bind("uid", userId).bind("un", username)
                .bind("action", action).bind("target", truncate(target, 128)).bind("detail", truncate(detail, 2000))
                .bind("ip", ip).execute();
    }

    public record Filter(Instant from, Instant to, String user, String action, int limit, int offset) {}

    public record Page(long total, List<AuditEntry> items) {}

    public Page search(Handle h, long enterpriseId, Filter f) {
        String where = " WHERE enterprise_id = :e"
                + (f.from() != null ? " AND at >= :from" : "")
                + (f.to() != null ? " AND at < :to" : "")
                + (f.user() != null ? " AND LOWER(username) = LOWER(:user)" : "")
                + (f.action() != null ? " AND action LIKE :action" : "");
        var count = h.createQuery("SELECT COUNT(*) FROM audit_log" + where);
        var items = h.createQuery("SELECT * FROM audit_log" + where + " ORDER BY at DESC, id DESC LIMIT :limit OFFSET :offset");
        for (var q : List.of(count, items)) {
            q.bind("e", enterpriseId);
            if (f.from() != null) q.bind("from", f.from());
            if (f.to() != null) q.bind("to", f.to());
            if (f.user() != null) q.bind("user", f.user());
            if (f.action() != null) q.bind("action", f.action() + "%");
        }
        long total = count.mapTo(Long.class).one();
        List<AuditEntry> list = items.bind("limit", f.limit()).bind("offset", f.offset())
                .map((rs, ctx) -> new AuditEntry(rs.getLong("id"), rs.getTimestamp("at").toInstant(),
                        (Long) rs.getObject("user_id", Long.class), rs.getString("username"), rs.getString("action"),
                        rs.getString("target"), rs.getString("detail"), rs.getString("ip")))
                .list();
        return new Page(total, list);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
