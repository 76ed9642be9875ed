package dev.hotline.order;

import dev.hotline.crm.Scope;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * The catalog and orders in the database (V41). Every order query joins the order's customer and its owner and takes its
 * condition from the reader's {@link Scope} (CRM-3), so an order of a customer one may not see is not found, listed or
 * exported.
 */
public final class OrderStore {
    private OrderStore() {}

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

    // ---- order numbers

    static void createCounter(Handle h, long e) {
        h.createUpdate("INSERT INTO order_counter (enterprise_id, counter_day, last_counter) VALUES (:e, '', 0)").bind("e", e).execute();
    }

    /** The day's next counter of the enterprise (1 on a new day); the row lock orders concurrent callers. */
    static int nextCounter(Handle h, long e, String day) {
        int updated = h.createUpdate("""
                UPDATE order_counter SET last_counter = CASE WHEN counter_day = :d THEN last_counter + 1 ELSE 1 END, counter_day = :d
                WHERE enterprise_id = :e""").bind("e", e).bind("d", day).execute();
        if (updated == 0) throw new IllegalStateException("enterprise " + e + " has no order counter");
        return h.createQuery("SELECT last_counter FROM order_counter WHERE enterprise_id = :e").bind("e", e).mapTo(Integer.class).one();
    }

    // ---- products

    /** Catalog filters: text in the code or name, an exact category, on sale or not (null: any). */
    public record ProductFilter(String q, String category, Boolean onSale) {}

    private static final RowMapper<Product> PRODUCT = (rs, c) -> new Product(rs.getLong("id"), rs.getString("code"), rs.getString("name"),
            rs.getString("category"), rs.getBigDecimal("price"), rs.getBoolean("on_sale"), instant(rs, "created_at"), instant(rs, "updated_at"));

    static List<Product> products(Handle h, long e, ProductFilter f) {
        StringBuilder sql = new StringBuilder("SELECT * FROM product WHERE enterprise_id = :e");
        if (f.q() != null) sql.append(" AND (LOWER(code) LIKE :q OR LOWER(name) LIKE :q)");
        if (f.category() != null) sql.append(" AND category = :cat");
        if (f.onSale() != null) sql.append(" AND on_sale = :sale");
        Query q = h.createQuery(sql.append(" ORDER BY category, code").toString()).bind("e", e);
        if (f.q() != null) q.bind("q", "%" + f.q().toLowerCase(Locale.ROOT) + "%");
        if (f.category() != null) q.bind("cat", f.category());
        if (f.onSale() != null) q.bind("sale", f.onSale());
        return q.map(PRODUCT).list();
    }

    static Optional<Product> product(Handle h, long e, long id) {
        return h.createQuery("SELECT * FROM product WHERE enterprise_id = :e AND id = :id").bind("e", e).bind("id", id).map(PRODUCT).findOne();
    }

    static Optional<Product> productByCode(Handle h, long e, String code) {
        return h.createQuery("SELECT * FROM product WHERE enterprise_id = :e AND code = :c").bind("e", e).bind("c", code).map(PRODUCT).findOne();
    }

    static long insertProduct(Handle h, long e, String code, String name, String category, BigDecimal price, boolean onSale, Instant now) {
        return h.createUpdate("""
                INSERT INTO product (enterprise_id, code, name, category, price, on_sale, created_at, updated_at)
                VALUES (:e, :c, :n, :cat, :p, :s, :at, :at)""")
                .bind("e", e).bind("c", code).bind("n", name).bind("cat", category).bind("p", price).bind("s", onSale).bind("at", ts(now))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    static void updateProduct(Handle h, long e, long id, String code, String name, String category, BigDecimal price, boolean onSale, Instant now) {
        h.createUpdate("""
                UPDATE product SET code = :c, name = :n, category = :cat, price = :p, on_sale = :s, updated_at = :at
                WHERE enterprise_id = :e AND id = :id""")
                .bind("e", e).bind("id", id).bind("c", code).bind("n", name).bind("cat", category).bind("p", price).bind("s", onSale)
                .bind("at", ts(now)).execute();
    }

    static void deleteProduct(Handle h, long e, long id) {
        h.createUpdate("DELETE FROM product WHERE enterprise_id = :e AND id = :id").bind("e", e).bind("id", id).execute();
    }

    // ---- orders

    /** Order filters: status, customer, call, text in the number or the customer's name, a creation range, paging. */
    public record OrderFilter(OrderStatus status, Long customerId, String callId, String q, Instant from, Instant to, int limit, int offset) {}

    private static final String ORDER_FROM = """
            FROM customer_order r JOIN customer c ON c.id = r.customer_id LEFT JOIN app_user o ON o.id = c.owner_id
            LEFT JOIN app_user u ON u.id = r.creator_id WHERE r.enterprise_id = :e AND\s""";

    private static final String ORDER_COLUMNS = "SELECT r.*, c.name AS customer_name, u.display_name AS creator_name ";

    private static final RowMapper<Order> ORDER = (rs, x) -> new Order(rs.getLong("id"), rs.getString("order_number"), rs.getLong("customer_id"),
            rs.getString("customer_name"), rs.getString("status"), rs.getBigDecimal("total"), rs.getString("call_id"), rs.getString("note"),
            optLong(rs, "creator_id"), rs.getString("creator_name"), instant(rs, "created_at"), instant(rs, "updated_at"));

    private static String where(OrderFilter f) {
        StringBuilder sql = new StringBuilder();
        if (f.status() != null) sql.append(" AND r.status = :status");
        if (f.customerId() != null) sql.append(" AND r.customer_id = :cust");
        if (f.callId() != null) sql.append(" AND r.call_id = :call");
        if (f.q() != null) sql.append(" AND (LOWER(r.order_number) LIKE :q OR LOWER(c.name) LIKE :q)");
        if (f.from() != null) sql.append(" AND r.created_at >= :from");
        if (f.to() != null) sql.append(" AND r.created_at < :to");
        return sql.toString();
    }

    private static <Q extends Query> Q bind(Q q, long e, Scope scope, OrderFilter f) {
        scope.bind(q).bind("e", e);
        if (f.status() != null) q.bind("status", f.status().key());
        if (f.customerId() != null) q.bind("cust", f.customerId());
        if (f.callId() != null) q.bind("call", f.callId());
        if (f.q() != null) q.bind("q", "%" + f.q().toLowerCase(Locale.ROOT) + "%");
        if (f.from() != null) q.bind("from", ts(f.from()));
        if (f.to() != null) q.bind("to", ts(f.to()));
        return q;
    }

    static List<Order> orders(Handle h, Scope scope, OrderFilter f) {
        String sql = ORDER_COLUMNS + ORDER_FROM + scope.condition() + where(f) + " ORDER BY r.created_at DESC, r.id DESC LIMIT :limit OFFSET :offset";
        return bind(h.createQuery(sql), scope.enterpriseId(), scope, f).bind("limit", f.limit()).bind("offset", f.offset()).map(ORDER).list();
    }

    static long count(Handle h, Scope scope, OrderFilter f) {
        String sql = "SELECT COUNT(*) " + ORDER_FROM + scope.condition() + where(f);
        return bind(h.createQuery(sql), scope.enterpriseId(), scope, f).mapTo(Long.class).one();
    }

    static Optional<Order> order(Handle h, Scope scope, long id) {
        return scope.bind(h.createQuery(ORDER_COLUMNS + ORDER_FROM + scope.condition() + " AND r.id = :id"))
                .bind("e", scope.enterpriseId()).bind("id", id).map(ORDER).findOne();
    }

    /** Whether the reader may see the customer (the same condition as every customer route). */
    static boolean customerVisible(Handle h, Scope scope, long customerId) {
        return scope.bind(h.createQuery("SELECT COUNT(*) FROM customer c LEFT JOIN app_user o ON o.id = c.owner_id WHERE "
                + scope.condition() + " AND c.id = :id")).bind("id", customerId).mapTo(Long.class).one() > 0;
    }

    static List<Order.Line> lines(Handle h, long orderId) {
        return h.createQuery("SELECT * FROM order_line WHERE order_id = :o ORDER BY line_no").bind("o", orderId)
                .map((rs, x) -> new Order.Line(rs.getInt("line_no"), optLong(rs, "product_id"), rs.getString("product_code"),
                        rs.getString("product_name"), rs.getInt("quantity"), rs.getBigDecimal("unit_price"), rs.getBigDecimal("amount"))).list();
    }

    /** The lines of many orders (an export), by order id. */
    static Map<Long, List<Order.Line>> lines(Handle h, List<Long> orderIds) {
        Map<Long, List<Order.Line>> out = new HashMap<>();
        if (orderIds.isEmpty()) return out;
        h.createQuery("SELECT * FROM order_line WHERE order_id IN (<ids>) ORDER BY order_id, line_no").bindList("ids", orderIds)
                .map((rs, x) -> Map.entry(rs.getLong("order_id"), new Order.Line(rs.getInt("line_no"), optLong(rs, "product_id"),
                        rs.getString("product_code"), rs.getString("product_name"), rs.getInt("quantity"), rs.getBigDecimal("unit_price"),
                        rs.getBigDecimal("amount"))))
                .forEach(en -> out.computeIfAbsent(en.getKey(), k -> new ArrayList<>()).add(en.getValue()));
        return out;
    }

    static List<Order.Event> history(Handle h, long orderId) {
        return h.createQuery("""
                        SELECT v.*, u.display_name FROM order_event v LEFT JOIN app_user u ON u.id = v.user_id
                        WHERE v.order_id = :o ORDER BY v.at, v.id""").bind("o", orderId)
                .map((rs, x) -> new Order.Event(rs.getLong("id"), instant(rs, "at"), optLong(rs, "user_id"), rs.getString("display_name"),
                        rs.getString("from_status"), rs.getString("to_status"), rs.getString("note"))).list();
    }

    static long insertOrder(Handle h, long e, String number, long customerId, OrderStatus status, BigDecimal total, String callId, String note,
                            long creator, Instant now) {
        return h.createUpdate("""
                INSERT INTO customer_order (enterprise_id, order_number, customer_id, status, total, call_id, note, creator_id, created_at, updated_at)
                VALUES (:e, :n, :c, :s, :t, :call, :note, :u, :at, :at)""")
                .bind("e", e).bind("n", number).bind("c", customerId).bind("s", status.key()).bind("t", total).bind("call", callId)
                .bind("note", note).bind("u", creator).bind("at", ts(now)).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    static void insertLine(Handle h, long orderId, Order.Line l) {
        h.createUpdate("""
                INSERT INTO order_line (order_id, line_no, product_id, product_code, product_name, quantity, unit_price, amount)
                VALUES (:o, :no, :p, :code, :name, :q, :price, :amount)""")
                .bind("o", orderId).bind("no", l.lineNo()).bind("p", l.productId()).bind("code", l.productCode()).bind("name", l.productName())
                .bind("q", l.quantity()).bind("price", l.unitPrice()).bind("amount", l.amount()).execute();
    }

    /** Changes the status only if it still is {@code from} (a concurrent move loses); whether it did. */
    static boolean updateStatus(Handle h, long e, long id, OrderStatus from, OrderStatus to, Instant now) {
        return h.createUpdate("UPDATE customer_order SET status = :to, updated_at = :at WHERE enterprise_id = :e AND id = :id AND status = :from")
                .bind("e", e).bind("id", id).bind("from", from.key()).bind("to", to.key()).bind("at", ts(now)).execute() == 1;
    }

    static void event(Handle h, long orderId, Instant at, long user, OrderStatus from, OrderStatus to, String note) {
        h.createUpdate("INSERT INTO order_event (order_id, at, user_id, from_status, to_status, note) VALUES (:o, :at, :u, :f, :t, :n)")
                .bind("o", orderId).bind("at", ts(at)).bind("u", user).bind("f", from == null ? null : from.key()).bind("t", to.key())
                .bind("n", note).execute();
    }

    static void deleteOrder(Handle h, long e, long id) {
        h.createUpdate("DELETE FROM customer_order WHERE enterprise_id = :e AND id = :id").bind("e", e).bind("id", id).execute();
    }
}
