package dev.hotline.order;

import dev.hotline.auth.Permission;
import dev.hotline.auth.Principal;
import dev.hotline.crm.Scope;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Which orders one user may see (BIZ-4): those of the customers they may see (CRM-3, {@link Scope}), and, for a team
 * leader (order.approve), the orders submitted by the members of their department or of a department under it, so that
 * they can approve an order of a customer the agent keeps private. The SQL joins the order's submitter as {@code s}.
 */
public record OrderScope(Scope customers, long userId, boolean approver) {

    public static OrderScope of(Handle h, Principal me) {
        return new OrderScope(Scope.of(h, me), me.userId(), me.can(Permission.ORDER_APPROVE));
    }

    public long enterpriseId() {
        return customers.enterpriseId();
    }

    private boolean leaderOfTeams() {
        return approver && !customers.all() && !customers.departments().isEmpty();
    }

    /** The condition for an order {@code r} joined to its customer {@code c}, the owner {@code o} and the submitter {@code s}. */
    String condition() {
        return "((" + customers.condition() + ")" + (leaderOfTeams() ? " OR s.department_id IN (<leaderDeps>)" : "") + ")";
    }

    <T extends SqlStatement<T>> T bind(T statement) {
        customers.bind(statement);
        if (leaderOfTeams()) statement.bindList("leaderDeps", List.copyOf(customers.departments()));
        return statement;
    }
}
