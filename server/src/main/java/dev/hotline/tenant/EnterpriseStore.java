package dev.hotline.tenant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for enterprises. */
public final class EnterpriseStore {
    private EnterpriseStore() {}

    static Enterprise map(ResultSet rs) throws SQLException {
        return new Enterprise(rs.getLong("id"), rs.getString("code"), rs.getString("name"), rs.getString("sip_domain"),
                rs.getBoolean("enabled"), rs.getTimestamp("created_at").toInstant());
    }

    public static Optional<Enterprise> byCode(Handle h, String code) {
        return h.createQuery("SELECT * FROM enterprise WHERE code = :c").bind("c", code.toLowerCase())
                .map((rs, ctx) -> map(rs)).findOne();
    }

    public static Optional<Enterprise> byId(Handle h, long id) {
        return h.createQuery("SELECT * FROM enterprise WHERE id = :id").bind("id", id).map((rs, ctx) -> map(rs)).findOne();
    }

    public static List<Enterprise> list(Handle h) {
        return h.createQuery("SELECT * FROM enterprise ORDER BY id").map((rs, ctx) -> map(rs)).list();
    }

    public static long insert(Handle h, String code, String name, String sipDomain, Instant now) {
        return h.createUpdate("INSERT INTO enterprise (code, name, sip_domain, enabled, created_at) VALUES (:c, :n, :d, TRUE, :at)")
                .bind("c", code).bind("n", name).bind("d", sipDomain).bind("at", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    public static void update(Handle h, long id, String name, boolean enabled) {
        h.createUpdate("UPDATE enterprise SET name = :n, enabled = :en WHERE id = :id")
                .bind("n", name).bind("en", enabled).bind("id", id).execute();
    }
}
