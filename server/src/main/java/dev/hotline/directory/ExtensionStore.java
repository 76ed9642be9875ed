package dev.hotline.directory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for extensions. */
public final class ExtensionStore {
    private ExtensionStore() {}

    private static final String SELECT = """
            SELECT x.id, x.number, x.user_id, x.enabled, x.outbound_allowed, u.username
            FROM extension x LEFT JOIN app_user u ON u.id = x.user_id
            WHERE x.enterprise_id = :e""";

    static Extension map(ResultSet rs) throws SQLException {
        return new Extension(rs.getLong("id"), rs.getString("number"), rs.getObject("user_id", Long.class),
                rs.getString("username"), rs.getBoolean("enabled"), rs.getBoolean("outbound_allowed"));
    }

    public static List<Extension> list(Handle h, long enterpriseId) {
        return h.createQuery(SELECT + " ORDER BY LENGTH(x.number), x.number").bind("e", enterpriseId).map((rs, c) -> map(rs)).list();
    }

    public static Optional<Extension> byId(Handle h, long enterpriseId, long id) {
        return h.createQuery(SELECT + " AND x.id = :id").bind("e", enterpriseId).bind("id", id).map((rs, c) -> map(rs)).findOne();
    }

    public static Optional<Extension> byNumber(Handle h, long enterpriseId, String number) {
        return h.createQuery(SELECT + " AND x.number = :n").bind("e", enterpriseId).bind("n", number).map((rs, c) -> map(rs)).findOne();
    }

    public static Optional<Extension> byUser(Handle h, long enterpriseId, long userId) {
        return h.createQuery(SELECT + " AND x.user_id = :u").bind("e", enterpriseId).bind("u", userId).map((rs, c) -> map(rs)).findOne();
    }

    /** The SIP secret, for the registrar's digest check only. */
    public static Optional<String> sipPassword(Handle h, long enterpriseId, String number) {
        return h.createQuery("SELECT sip_password FROM extension WHERE enterprise_id = :e AND number = :n AND enabled = TRUE")
                .bind("e", enterpriseId).bind("n", number).mapTo(String.class).findOne();
    }

    public static long insert(Handle h, long enterpriseId, String number, Long userId, String sipPassword, boolean enabled) {
        return h.createUpdate("INSERT INTO extension (enterprise_id, number, user_id, sip_password, enabled) VALUES (:e, :n, :u, :p, :en)")
                .bind("e", enterpriseId).bind("n", number).bind("u", userId).bind("p", sipPassword).bind("en", enabled)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    public static void update(Handle h, long enterpriseId, long id, String number, Long userId, boolean enabled) {
        h.createUpdate("UPDATE extension SET number = :n, user_id = :u, enabled = :en WHERE id = :id AND enterprise_id = :e")
                .bind("n", number).bind("u", userId).bind("en", enabled).bind("id", id).bind("e", enterpriseId).execute();
    }

    /** PBX-7: whether the extension may call out through outbound routes. */
    public static void setOutboundAllowed(Handle h, long enterpriseId, long id, boolean allowed) {
        h.createUpdate("UPDATE extension SET outbound_allowed = :a WHERE id = :id AND enterprise_id = :e")
                .bind("a", allowed).bind("id", id).bind("e", enterpriseId).execute();
    }

    public static void setPassword(Handle h, long enterpriseId, long id, String sipPassword) {
        h.createUpdate("UPDATE extension SET sip_password = :p WHERE id = :id AND enterprise_id = :e")
                .bind("p", sipPassword).bind("id", id).bind("e", enterpriseId).execute();
    }

    public static void unbindUser(Handle h, long enterpriseId, long userId) {
        h.createUpdate("UPDATE extension SET user_id = NULL WHERE user_id = :u AND enterprise_id = :e")
                .bind("u", userId).bind("e", enterpriseId).execute();
    }

    public static void delete(Handle h, long enterpriseId, long id) {
        h.createUpdate("DELETE FROM extension WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
    }
}
