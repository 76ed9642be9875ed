package dev.hotline.directory;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for departments. */
public final class DepartmentStore {
    private DepartmentStore() {}

    public static List<Department> list(Handle h, long enterpriseId) {
        return h.createQuery("SELECT id, name, parent_id FROM department WHERE enterprise_id = :e ORDER BY name")
                .bind("e", enterpriseId)
                .map((rs, ctx) -> new Department(rs.getLong("id"), rs.getString("name"), rs.getObject("parent_id", Long.class)))
                .list();
    }

    public static Optional<Department> byId(Handle h, long enterpriseId, long id) {
        return list(h, enterpriseId).stream().filter(d -> d.id() == id).findFirst();
    }

    public static long insert(Handle h, long enterpriseId, String name, Long parentId) {
        return h.createUpdate("INSERT INTO department (enterprise_id, name, parent_id) VALUES (:e, :n, :p)")
                .bind("e", enterpriseId).bind("n", name).bind("p", parentId)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    public static void update(Handle h, long enterpriseId, long id, String name, Long parentId) {
        h.createUpdate("UPDATE department SET name = :n, parent_id = :p WHERE id = :id AND enterprise_id = :e")
                .bind("n", name).bind("p", parentId).bind("id", id).bind("e", enterpriseId).execute();
    }

    public static boolean inUse(Handle h, long enterpriseId, long id) {
        return h.createQuery("""
                SELECT (SELECT COUNT(*) FROM app_user WHERE enterprise_id = :e AND department_id = :id)
                     + (SELECT COUNT(*) FROM department WHERE enterprise_id = :e AND parent_id = :id)""")
                .bind("e", enterpriseId).bind("id", id).mapTo(Long.class).one() > 0;
    }

    public static void delete(Handle h, long enterpriseId, long id) {
        h.createUpdate("DELETE FROM department WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
    }
}
