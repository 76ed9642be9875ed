package dev.hotline.directory;

import dev.hotline.auth.Permission;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** SQL for roles and their permissions. */
public final class RoleStore {
    private RoleStore() {}

    public static List<Role> list(Handle h, long enterpriseId) {
        Map<Long, String[]> base = new LinkedHashMap<>();
        h.createQuery("SELECT id, name, builtin FROM app_role WHERE enterprise_id = :e ORDER BY builtin DESC, id")
                .bind("e", enterpriseId)
                .map((rs, ctx) -> new Object[] {rs.getLong("id"), rs.getString("name"), rs.getBoolean("builtin")})
                .forEach(r -> base.put((Long) r[0], new String[] {(String) r[1], String.valueOf(r[2])}));
        Map<Long, Set<Permission>> perms = new LinkedHashMap<>();
        h.createQuery("""
                SELECT rp.role_id, rp.permission FROM role_permission rp JOIN app_role r ON r.id = rp.role_id
                WHERE r.enterprise_id = :e""").bind("e", enterpriseId)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2)))
                .forEach(en -> Permission.parse(en.getValue()).ifPresent(p ->
                        perms.computeIfAbsent(en.getKey(), k -> EnumSet.noneOf(Permission.class)).add(p)));
        return base.entrySet().stream().map(en -> new Role(en.getKey(), en.getValue()[0], Boolean.parseBoolean(en.getValue()[1]),
                perms.getOrDefault(en.getKey(), EnumSet.noneOf(Permission.class)))).toList();
    }

    public static Optional<Role> byId(Handle h, long enterpriseId, long id) {
        return list(h, enterpriseId).stream().filter(r -> r.id() == id).findFirst();
    }

    public static Optional<Role> byName(Handle h, long enterpriseId, String name) {
        return list(h, enterpriseId).stream().filter(r -> r.name().equalsIgnoreCase(name)).findFirst();
    }

    public static long insert(Handle h, long enterpriseId, String name, boolean builtin, Collection<Permission> permissions) {
        long id = h.createUpdate("INSERT INTO app_role (enterprise_id, name, builtin) VALUES (:e, :n, :b)")
                .bind("e", enterpriseId).bind("n", name).bind("b", builtin)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        setPermissions(h, id, permissions);
        return id;
    }

    public static void update(Handle h, long enterpriseId, long id, String name, Collection<Permission> permissions) {
        h.createUpdate("UPDATE app_role SET name = :n WHERE id = :id AND enterprise_id = :e")
                .bind("n", name).bind("id", id).bind("e", enterpriseId).execute();
        h.createUpdate("DELETE FROM role_permission WHERE role_id = :id").bind("id", id).execute();
        setPermissions(h, id, permissions);
    }

    public static boolean inUse(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT COUNT(*) FROM app_user WHERE enterprise_id = :e AND role_id = :id")
                .bind("e", enterpriseId).bind("id", id).mapTo(Long.class).one() > 0;
    }

    public static void delete(Handle h, long enterpriseId, long id) {
        h.createUpdate("DELETE FROM app_role WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
    }

    private static void setPermissions(Handle h, long roleId, Collection<Permission> permissions) {
        var batch = h.prepareBatch("INSERT INTO role_permission (role_id, permission) VALUES (:r, :p)");
        for (Permission p : permissions) batch.bind("r", roleId).bind("p", p.key()).add();
        if (!permissions.isEmpty()) batch.execute();
    }
}
