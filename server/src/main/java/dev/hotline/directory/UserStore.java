package dev.hotline.directory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for users. Every query is bound to one enterprise. */
public final class UserStore {
    private UserStore() {}

    private static final String SELECT = """
            SELECT u.*, r.name AS role_name, d.name AS department_name, x.number AS extension_number
            FROM app_user u
            JOIN app_role r ON r.id = u.role_id
            LEFT JOIN department d ON d.id = u.department_id
            LEFT JOIN extension x ON x.user_id = u.id
            WHERE u.enterprise_id = :e""";

    static User map(ResultSet rs) throws SQLException {
        return new User(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"), rs.getLong("role_id"),
                rs.getString("role_name"), rs.getObject("department_id", Long.class), rs.getString("department_name"),
                rs.getString("job_number"), rs.getString("extension_number"), rs.getString("email"), rs.getString("language"),
                rs.getBoolean("enabled"), rs.getTimestamp("created_at").toInstant());
    }

    public record Query(String text, Long departmentId, String role) {}

    public static List<User> list(Handle h, long enterpriseId, Query q) {
        String sql = SELECT
                + (q.text() != null ? " AND (LOWER(u.username) LIKE :q OR LOWER(u.display_name) LIKE :q OR u.job_number LIKE :q OR x.number LIKE :q)" : "")
                + (q.departmentId() != null ? " AND u.department_id = :d" : "")
                + (q.role() != null ? " AND r.name = :role" : "")
                + " ORDER BY u.username";
        var query = h.createQuery(sql).bind("e", enterpriseId);
        if (q.text() != null) query.bind("q", "%" + q.text().toLowerCase() + "%");
        if (q.departmentId() != null) query.bind("d", q.departmentId());
        if (q.role() != null) query.bind("role", q.role());
        return query.map((rs, ctx) -> map(rs)).list();
    }

    public static Optional<User> byId(Handle h, long enterpriseId, long id) {
        return h.createQuery(SELECT + " AND u.id = :id").bind("e", enterpriseId).bind("id", id).map((rs, ctx) -> map(rs)).findOne();
    }

    public static Optional<User> byUsername(Handle h, long enterpriseId, String username) {
        return h.createQuery(SELECT + " AND LOWER(u.username) = LOWER(:n)").bind("e", enterpriseId).bind("n", username)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    public static Optional<String> passwordHash(Handle h, long enterpriseId, long userId) {
        return h.createQuery("SELECT password_hash FROM app_user WHERE enterprise_id = :e AND id = :id")
                .bind("e", enterpriseId).bind("id", userId).mapTo(String.class).findOne();
    }

    public static boolean jobNumberTaken(Handle h, long enterpriseId, String jobNumber, long exceptUserId) {
        return h.createQuery("SELECT COUNT(*) FROM app_user WHERE enterprise_id = :e AND job_number = :j AND id <> :id")
                .bind("e", enterpriseId).bind("j", jobNumber).bind("id", exceptUserId).mapTo(Long.class).one() > 0;
    }

    public record Fields(String username, String displayName, long roleId, Long departmentId, String jobNumber,
                         String email, boolean enabled) {}

    public static long insert(Handle h, long enterpriseId, Fields f, String passwordHash, Instant now) {
        return h.createUpdate("""
                INSERT INTO app_user (enterprise_id, username, display_name, password_hash, role_id, department_id,
                                      job_number, email, enabled, created_at)
                VALUES (:e, :username, :displayName, :hash, :roleId, :departmentId, :jobNumber, :email, :enabled, :at)""")
                .bind("e", enterpriseId).bindMethods(f).bind("hash", passwordHash).bind("at", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    public static void update(Handle h, long enterpriseId, long id, Fields f) {
        h.createUpdate("""
                UPDATE app_user SET username = :username, display_name = :displayName, role_id = :roleId,
                       department_id = :departmentId, job_number = :jobNumber, email = :email, enabled = :enabled
                WHERE id = :id AND enterprise_id = :e""")
                .bindMethods(f).bind("id", id).bind("e", enterpriseId).execute();
    }

    public static void setPassword(Handle h, long enterpriseId, long id, String hash) {
        h.createUpdate("UPDATE app_user SET password_hash = :h WHERE id = :id AND enterprise_id = :e")
                .bind("h", hash).bind("id", id).bind("e", enterpriseId).execute();
    }

    public static void setLanguage(Handle h, long enterpriseId, long id, String language) {
        h.createUpdate("UPDATE app_user SET language = :l WHERE id = :id AND enterprise_id = :e")
                .bind("l", language).bind("id", id).bind("e", enterpriseId).execute();
    }

    public static void delete(Handle h, long enterpriseId, long id) {
        h.createUpdate("DELETE FROM web_session WHERE user_id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
        h.createUpdate("DELETE FROM api_token WHERE user_id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
        h.createUpdate("UPDATE extension SET user_id = NULL WHERE user_id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
        h.createUpdate("DELETE FROM app_user WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
    }
}
