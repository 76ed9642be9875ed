package dev.hotline.contract;

import dev.hotline.crm.Scope;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * Contracts in the database (V52). Every query joins the contract's customer and its owner and takes its condition from
 * the reader's {@link Scope} (CRM-3): a contract of a customer one may not see is not found, listed or exported.
 */
final class ContractStore {
    private ContractStore() {}

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Instant instant(ResultSet rs, String c) throws SQLException {
        Timestamp t = rs.getTimestamp(c);
        return t == null ? null : t.toInstant();
    }

    private static Long optLong(ResultSet rs, String c) throws SQLException {
        long v = rs.getLong(c);
        return rs.wasNull() ? null : v;
    }

    /** Filters: customer, status, text in the number, title or customer's name, paging. */
    record Filter(Long customerId, ContractStatus status, String q, int limit, int offset) {}

    private static final String FROM = """
            FROM contract k JOIN customer c ON c.id = k.customer_id LEFT JOIN app_user o ON o.id = c.owner_id
            LEFT JOIN app_user u ON u.id = k.creator_id WHERE k.enterprise_id = :e AND\s""";

    private static final RowMapper<Contract> CONTRACT = (rs, x) -> new Contract(rs.getLong("id"), rs.getString("contract_number"),
            rs.getLong("customer_id"), rs.getString("customer_name"), rs.getString("title"), rs.getBigDecimal("amount"),
            rs.getDate("start_date").toLocalDate(), rs.getDate("end_date").toLocalDate(), rs.getString("status"), rs.getString("note"),
            rs.getString("file_name") == null ? null : new Contract.Attachment(rs.getString("file_name"), rs.getString("file_type"), rs.getLong("file_size")),
            optLong(rs, "creator_id"), rs.getString("creator_name"), instant(rs, "created_at"), instant(rs, "updated_at"));

    private static String where(Filter f) {
        StringBuilder sql = new StringBuilder();
        if (f.customerId() != null) sql.append(" AND k.customer_id = :cust");
        if (f.status() != null) sql.append(" AND k.status = :status");
        if (f.q() != null) sql.append(" AND (LOWER(k.contract_number) LIKE :q OR LOWER(k.title) LIKE :q OR LOWER(c.name) LIKE :q)");
        return sql.toString();
    }

    private static Query bind(Query q, Scope scope, Filter f) {
        scope.bind(q).bind("e", scope.enterpriseId());
        if (f.customerId() != null) q.bind("cust", f.customerId());
        if (f.status() != null) q.bind("status", f.status().key());
        if (f.q() != null) q.bind("q", "%" + f.q().toLowerCase(Locale.ROOT) + "%");
        return q;
    }

    static List<Contract> list(Handle h, Scope scope, Filter f) {
        String sql = "SELECT k.*, c.name AS customer_name, u.display_name AS creator_name " + FROM + scope.condition() + where(f)
                + " ORDER BY k.start_date DESC, k.id DESC LIMIT :limit OFFSET :offset";
        return bind(h.createQuery(sql), scope, f).bind("limit", f.limit()).bind("offset", f.offset()).map(CONTRACT).list();
    }

    static long count(Handle h, Scope scope, Filter f) {
        return bind(h.createQuery("SELECT COUNT(*) " + FROM + scope.condition() + where(f)), scope, f).mapTo(Long.class).one();
    }

    static Optional<Contract> get(Handle h, Scope scope, long id) {
        return scope.bind(h.createQuery("SELECT k.*, c.name AS customer_name, u.display_name AS creator_name " + FROM + scope.condition() + " AND k.id = :id"))
                .bind("e", scope.enterpriseId()).bind("id", id).map(CONTRACT).findOne();
    }

    static Optional<Long> byNumber(Handle h, long e, String number) {
        return h.createQuery("SELECT id FROM contract WHERE enterprise_id = :e AND contract_number = :n").bind("e", e).bind("n", number)
                .mapTo(Long.class).findOne();
    }

    static boolean customerVisible(Handle h, Scope scope, long customerId) {
        return scope.bind(h.createQuery("SELECT COUNT(*) FROM customer c LEFT JOIN app_user o ON o.id = c.owner_id WHERE "
                + scope.condition() + " AND c.id = :id")).bind("id", customerId).mapTo(Long.class).one() > 0;
    }

    /** Whether the order is the customer's (then whoever may see the customer may see it). */
    static boolean orderOfCustomer(Handle h, long e, long orderId, long customerId) {
        return h.createQuery("SELECT COUNT(*) FROM customer_order WHERE enterprise_id = :e AND id = :o AND customer_id = :c")
                .bind("e", e).bind("o", orderId).bind("c", customerId).mapTo(Long.class).one() > 0;
    }

    /** The number of the other contract covering the order, if any. */
    static Optional<String> otherContract(Handle h, long orderId, Long contractId) {
        Query q = h.createQuery("SELECT k.contract_number FROM contract_order x JOIN contract k ON k.id = x.contract_id WHERE x.order_id = :o"
                + (contractId == null ? "" : " AND x.contract_id <> :k")).bind("o", orderId);
        if (contractId != null) q.bind("k", contractId);
        return q.mapTo(String.class).findOne();
    }

    static long insert(Handle h, long e, long customerId, String number, String title, BigDecimal amount, LocalDate start, LocalDate end, String note,
                       long creator, Instant now) {
        return h.createUpdate("""
                INSERT INTO contract (enterprise_id, customer_id, contract_number, title, amount, start_date, end_date, status, note, creator_id,
                                      created_at, updated_at)
                VALUES (:e, :c, :n, :t, :a, :s, :end, 'draft', :note, :u, :at, :at)""")
                .bind("e", e).bind("c", customerId).bind("n", number).bind("t", title).bind("a", amount).bind("s", Date.valueOf(start))
                .bind("end", Date.valueOf(end)).bind("note", note).bind("u", creator).bind("at", ts(now))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    /** Changes the fields only if the status is still {@code status}; whether it was. */
    static boolean update(Handle h, long e, long id, ContractStatus status, String number, String title, BigDecimal amount, LocalDate start,
                          LocalDate end, String note, Instant now) {
        return h.createUpdate("""
                UPDATE contract SET contract_number = :n, title = :t, amount = :a, start_date = :s, end_date = :end, note = :note, updated_at = :at
                WHERE enterprise_id = :e AND id = :id AND status = :st""")
                .bind("e", e).bind("id", id).bind("st", status.key()).bind("n", number).bind("t", title).bind("a", amount)
                .bind("s", Date.valueOf(start)).bind("end", Date.valueOf(end)).bind("note", note).bind("at", ts(now)).execute() == 1;
    }

    static boolean updateStatus(Handle h, long e, long id, ContractStatus from, ContractStatus to, Instant now) {
        return h.createUpdate("UPDATE contract SET status = :to, updated_at = :at WHERE enterprise_id = :e AND id = :id AND status = :from")
                .bind("e", e).bind("id", id).bind("from", from.key()).bind("to", to.key()).bind("at", ts(now)).execute() == 1;
    }

    static void setOrders(Handle h, long id, List<Long> orderIds) {
        h.createUpdate("DELETE FROM contract_order WHERE contract_id = :k").bind("k", id).execute();
        for (long o : orderIds) h.createUpdate("INSERT INTO contract_order (contract_id, order_id) VALUES (:k, :o)").bind("k", id).bind("o", o).execute();
    }

    static List<Contract.OrderRef> orders(Handle h, long id) {
        return h.createQuery("""
                        SELECT r.id, r.order_number, r.status, r.total FROM contract_order x JOIN customer_order r ON r.id = x.order_id
                        WHERE x.contract_id = :k ORDER BY r.created_at, r.id""").bind("k", id)
                .map((rs, x) -> new Contract.OrderRef(rs.getLong("id"), rs.getString("order_number"), rs.getString("status"), rs.getBigDecimal("total")))
                .list();
    }

    static void setFile(Handle h, long e, long id, String name, String type, Long size, Instant now) {
        h.createUpdate("UPDATE contract SET file_name = :n, file_type = :t, file_size = :s, updated_at = :at WHERE enterprise_id = :e AND id = :id")
                .bind("e", e).bind("id", id).bind("n", name).bind("t", type).bind("s", size).bind("at", ts(now)).execute();
    }

    static void delete(Handle h, long e, long id) {
        h.createUpdate("DELETE FROM contract WHERE enterprise_id = :e AND id = :id").bind("e", e).bind("id", id).execute();
    }
}
