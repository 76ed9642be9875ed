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

    /** Catalog filters: text in the code or name, an exact category, on sale or not (null: any), low on stock only. */
    public record ProductFilter(String q, String category, Boolean onSale, boolean lowStock) {}

    private static Integer optInt(ResultSet rs, String c) throws SQLException {
        int v = rs.getInt(c);
        return rs.wasNull() ? null : v;
    }

    private static final RowMapper<Product> PRODUCT = (rs, c) -> new Product(rs.getLong("id"), rs.getString("code"), rs.getString("name"),
            rs.getString("category"), rs.getBigDecimal("price"), rs.getBoolean("on_sale"), optInt(rs, "stock"), optInt(rs, "low_stock"),
            instant(rs, "created_at"), instant(rs, "updated_at"));

    static List<Product> products(Handle h, long e, ProductFilter f) {
        StringBuilder sql = new StringBuilder("SELECT * FROM product WHERE enterprise_id = :e");
        if (f.q() != null) sql.append(" AND (LOWER(code) LIKE :q OR LOWER(name) LIKE :q)");
        if (f.category() != null) sql.append(" AND category = :cat");
        if (f.onSale() != null) sql.append(" AND on_sale = :sale");
        if (f.lowStock()) sql.append(" AND stock IS NOT NULL AND low_stock IS NOT NULL AND stock <= low_stock");
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
            LEFT JOIN app_user u ON u.id = r.creator_id LEFT JOIN app_user s ON s.id = r.submitter_id WHERE r.enterprise_id = :e AND\s""";

    private static final String ORDER_COLUMNS = "SELECT r.*, c.name AS customer_name, u.display_name AS creator_name, s.display_name AS submitter_name ";

    private static final RowMapper<Order> ORDER = (rs, x) -> new Order(rs.getLong("id"), rs.getString("order_number"), rs.getLong("customer_id"),
            rs.getString("customer_name"), rs.getString("status"), rs.getBigDecimal("total"), rs.getString("call_id"), rs.getString("note"),
            optLong(rs, "creator_id"), rs.getString("creator_name"), optLong(rs, "submitter_id"), rs.getString("submitter_name"),
            instant(rs, "created_at"), instant(rs, "updated_at"));

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

    private static <Q extends Query> Q bind(Q q, long e, OrderScope scope, OrderFilter f) {
        scope.bind(q).bind("e", e);
        if (f.status() != null) q.bind("status", f.status().key());
        if (f.customerId() != null) q.bind("cust", f.customerId());
        if (f.callId() != null) q.bind("call", f.callId());
        if (f.q() != null) q.bind("q", "%" + f.q().toLowerCase(Locale.ROOT) + "%");
        if (f.from() != null) q.bind("from", ts(f.from()));
        if (f.to() != null) q.bind("to", ts(f.to()));
        return q;
    }

    static List<Order> orders(Handle h, OrderScope scope, OrderFilter f) {
        String sql = ORDER_COLUMNS + ORDER_FROM + scope.condition() + where(f) + " ORDER BY r.created_at DESC, r.id DESC LIMIT :limit OFFSET :offset";
        return bind(h.createQuery(sql), scope.enterpriseId(), scope, f).bind("limit", f.limit()).bind("offset", f.offset()).map(ORDER).list();
    }

    static long count(Handle h, OrderScope scope, OrderFilter f) {
        String sql = "SELECT COUNT(*) " + ORDER_FROM + scope.condition() + where(f);
        return bind(h.createQuery(sql), scope.enterpriseId(), scope, f).mapTo(Long.class).one();
    }

    static Optional<Order> order(Handle h, OrderScope scope, long id) {
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

    // ---- approval

    static void setSubmitter(Handle h, long id, long user) {
        h.createUpdate("UPDATE customer_order SET submitter_id = :u WHERE id = :id").bind("u", user).bind("id", id).execute();
    }

    /** The user's department, null when they have none. */
    static Long department(Handle h, long e, long user) {
        return h.createQuery("SELECT department_id FROM app_user WHERE enterprise_id = :e AND id = :u").bind("e", e).bind("u", user)
                .mapTo(Long.class).findOne().orElse(null);
    }

    /** The enabled users of the enterprise holding order.approve, with their department (null: none). */
    static Map<Long, Long> approvers(Handle h, long e) {
        Map<Long, Long> out = new java.util.LinkedHashMap<>();
        h.createQuery("""
                SELECT u.id, u.department_id FROM app_user u JOIN role_permission p ON p.role_id = u.role_id
                WHERE u.enterprise_id = :e AND u.enabled = TRUE AND p.permission = 'order.approve' ORDER BY u.id""")
                .bind("e", e).map((rs, x) -> Map.entry(rs.getLong("id"), Optional.ofNullable(optLong(rs, "department_id"))))
                .forEach(en -> out.put(en.getKey(), en.getValue().orElse(null)));
        return out;
    }

    // ---- editing

    /** Replaces the note, lines and total of an order only if it is still in {@code status}; whether it was. */
    static boolean updateContent(Handle h, long e, long id, OrderStatus status, String note, BigDecimal total, Instant now) {
        return h.createUpdate("""
                UPDATE customer_order SET note = :note, total = :t, updated_at = :at WHERE enterprise_id = :e AND id = :id AND status = :s""")
                .bind("e", e).bind("id", id).bind("s", status.key()).bind("note", note).bind("t", total).bind("at", ts(now)).execute() == 1;
    }

    static void deleteLines(Handle h, long orderId) {
        h.createUpdate("DELETE FROM order_line WHERE order_id = :o").bind("o", orderId).execute();
    }

    static void change(Handle h, long orderId, Instant at, long user, String field, String oldValue, String newValue) {
        h.createUpdate("INSERT INTO order_change (order_id, at, user_id, field, old_value, new_value) VALUES (:o, :at, :u, :f, :old, :new)")
                .bind("o", orderId).bind("at", ts(at)).bind("u", user).bind("f", field).bind("old", cut(oldValue)).bind("new", cut(newValue)).execute();
    }

    private static String cut(String s) {
        return s == null || s.length() <= 4000 ? s : s.substring(0, 3999) + "…";
    }

    static List<Order.Change> changes(Handle h, long orderId) {
        return h.createQuery("""
                        SELECT v.*, u.display_name FROM order_change v LEFT JOIN app_user u ON u.id = v.user_id
                        WHERE v.order_id = :o ORDER BY v.at, v.id""").bind("o", orderId)
                .map((rs, x) -> new Order.Change(rs.getLong("id"), instant(rs, "at"), optLong(rs, "user_id"), rs.getString("display_name"),
                        rs.getString("field"), rs.getString("old_value"), rs.getString("new_value"))).list();
    }

    // ---- stock

    /**
     * Takes {@code quantity} out of a tracked product's stock if that many are on hand, in one conditional UPDATE (the row
     * lock orders concurrent orders: the second one re-reads the stock the first left); the balance after, or empty when
     * not enough are on hand or the product's stock is not tracked (the caller tells them apart with {@link #stock}).
     */
    static Optional<Integer> take(Handle h, long e, long product, int quantity) {
        int n = h.createUpdate("UPDATE product SET stock = stock - :q WHERE enterprise_id = :e AND id = :p AND stock IS NOT NULL AND stock >= :q")
                .bind("e", e).bind("p", product).bind("q", quantity).execute();
        if (n == 1) return Optional.of(stock(h, e, product));
        return Optional.empty();
    }

    /** Adds {@code delta} to the stock (an untracked product starts at 0) unless the result would be negative; the balance, or empty. */
    static Optional<Integer> add(Handle h, long e, long product, int delta) {
        int n = h.createUpdate("""
                UPDATE product SET stock = COALESCE(stock, 0) + :d WHERE enterprise_id = :e AND id = :p AND COALESCE(stock, 0) + :d >= 0""")
                .bind("e", e).bind("p", product).bind("d", delta).execute();
        if (n == 1) return Optional.of(stock(h, e, product));
        return Optional.empty();
    }

    /** Puts back what an order took (after a release, only what is still out), if the product is still tracked. */
    static Optional<Integer> giveBack(Handle h, long e, long product, int quantity) {
        int n = h.createUpdate("UPDATE product SET stock = stock + :q WHERE enterprise_id = :e AND id = :p AND stock IS NOT NULL")
                .bind("e", e).bind("p", product).bind("q", quantity).execute();
        if (n == 1) return Optional.of(stock(h, e, product));
        return Optional.empty();
    }

    static Integer stock(Handle h, long e, long product) {
        return h.createQuery("SELECT stock FROM product WHERE enterprise_id = :e AND id = :p").bind("e", e).bind("p", product)
                .map((rs, x) -> optInt(rs, "stock")).findOne().orElse(null);
    }

    static void setLowStock(Handle h, long e, long product, Integer lowStock, Instant now) {
        h.createUpdate("UPDATE product SET low_stock = :l, updated_at = :at WHERE enterprise_id = :e AND id = :p")
                .bind("e", e).bind("p", product).bind("l", lowStock).bind("at", ts(now)).execute();
    }

    /** What an order holds out of stock by product: the reserve movements not yet released. */
    static Map<Long, Integer> held(Handle h, long orderId) {
        Map<Long, Integer> out = new java.util.TreeMap<>();
        h.createQuery("SELECT product_id, SUM(delta) AS net FROM stock_movement WHERE order_id = :o GROUP BY product_id")
                .bind("o", orderId).map((rs, x) -> Map.entry(rs.getLong("product_id"), rs.getInt("net")))
                .forEach(en -> { if (en.getValue() < 0) out.put(en.getKey(), -en.getValue()); });
        return out;
    }

    static void movement(Handle h, long e, long product, Instant at, int delta, int balance, String reason, Long orderId, long user, String note) {
        h.createUpdate("""
                INSERT INTO stock_movement (enterprise_id, product_id, at, delta, balance, reason, order_id, user_id, note)
                VALUES (:e, :p, :at, :d, :b, :r, :o, :u, :n)""")
                .bind("e", e).bind("p", product).bind("at", ts(at)).bind("d", delta).bind("b", balance).bind("r", reason).bind("o", orderId)
                .bind("u", user).bind("n", note).execute();
    }

    static List<Product.Movement> movements(Handle h, long e, long product) {
        return h.createQuery("""
                        SELECT m.*, u.display_name, r.order_number FROM stock_movement m LEFT JOIN app_user u ON u.id = m.user_id
                        LEFT JOIN customer_order r ON r.id = m.order_id
                        WHERE m.enterprise_id = :e AND m.product_id = :p ORDER BY m.id DESC LIMIT 200""").bind("e", e).bind("p", product)
                .map((rs, x) -> new Product.Movement(rs.getLong("id"), instant(rs, "at"), rs.getInt("delta"), rs.getInt("balance"),
                        rs.getString("reason"), optLong(rs, "order_id"), rs.getString("order_number"), optLong(rs, "user_id"),
                        rs.getString("display_name"), rs.getString("note"))).list();
    }
}
