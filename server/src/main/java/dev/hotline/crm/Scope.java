package dev.hotline.crm;

import dev.hotline.auth.Permission;
import dev.hotline.auth.Principal;
import dev.hotline.directory.Department;
import dev.hotline.directory.DepartmentStore;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Which customers one user may see (CRM-3): every customer with customer.manage; otherwise the ones they own, the
 * enterprise-shared ones, and the department-shared ones whose owner belongs to the user's department or to a
 * department under it (a team's records are seen by the team and by the departments above it, not by sibling teams).
 * Every customer query takes its SQL condition from here, so lists, search, lookup, export, import and every
 * route by id answer the same way.
 */
public record Scope(long enterpriseId, long userId, boolean all, Set<Long> departments) {

    public static Scope of(Handle h, Principal me) {
        if (me.can(Permission.CUSTOMER_MANAGE)) return new Scope(me.enterpriseId(), me.userId(), true, Set.of());
        Long dep = h.createQuery("SELECT department_id FROM app_user WHERE id = :u AND enterprise_id = :e")
                .bind("u", me.userId()).bind("e", me.enterpriseId()).mapTo(Long.class).findOne().orElse(null);
        return new Scope(me.enterpriseId(), me.userId(), false, dep == null ? Set.of() : withSubDepartments(DepartmentStore.list(h, me.enterpriseId()), dep));
    }

    /** {@code root} and every department under it. */
    static Set<Long> withSubDepartments(List<Department> all, long root) {
        Set<Long> out = new HashSet<>();
        Deque<Long> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            long d = todo.pop();
            if (!out.add(d)) continue;
            for (Department x : all) if (x.parentId() != null && x.parentId() == d) todo.push(x.id());
        }
        return out;
    }

    /**
     * The SQL condition for customer alias {@code c} joined to its owner as {@code o}
     * ({@code LEFT JOIN app_user o ON o.id = c.owner_id}); bind it with {@link #bind}.
     */
    public String condition() {
        if (all) return "c.enterprise_id = :scopeE";
        return "c.enterprise_id = :scopeE AND (c.owner_id = :scopeUser OR c.sharing = 'enterprise'"
                + (departments.isEmpty() ? "" : " OR (c.sharing = 'department' AND o.department_id IN (<scopeDeps>))") + ")";
    }

    public <T extends SqlStatement<T>> T bind(T statement) {
        statement.bind("scopeE", enterpriseId);
        if (!all) {
            statement.bind("scopeUser", userId);
            if (!departments.isEmpty()) statement.bindList("scopeDeps", List.copyOf(departments));
        }
        return statement;
    }

    /** Whether this user may hand the customer to someone else, change its sharing or delete it. */
    boolean mayDispose(Long ownerId) {
        return all || (ownerId != null && ownerId == userId);
    }
}
