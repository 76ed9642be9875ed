package dev.hotline.crm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;

/** SQL for customers, their numbers and field values. Every read goes through a {@link Scope}. */
public final class CustomerStore {
    private CustomerStore() {}

    /** A customer's own row, before its numbers and values are loaded. */
    record Row(long id, String name, Long ownerId, String ownerName, Sharing sharing, Instant createdAt, Instant updatedAt) {}

    private static final String FROM = " FROM customer c LEFT JOIN app_user o ON o.id = c.owner_id WHERE ";
    private static final String COLUMNS = "SELECT c.id, c.name, c.owner_id, o.display_name AS owner_name, c.sharing, c.created_at, c.updated_at";

    private static Row row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Row(rs.getLong("id"), rs.getString("name"), rs.getObject("owner_id", Long.class), rs.getString("owner_name"),
                Sharing.parse(rs.getString("sharing")).orElseThrow(), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    /** Search criteria: free text (name, numbers, field values), a partial number, an owner, field filters; a page. */
    public record Filter(String text, String number, Long ownerId, Map<Long, String> fieldValues, int offset, int limit) {}

    static Optional<Row> visible(Handle h, Scope scope, long id) {
        return scope.bind(h.createQuery(COLUMNS + FROM + scope.condition() + " AND c.id = :id")).bind("id", id)
                .map((rs, ctx) -> row(rs)).findOne();
    }

    static List<Row> visible(Handle h, Scope scope, Collection<Long> ids) {
        if (ids.isEmpty()) return List.of();
        return scope.bind(h.createQuery(COLUMNS + FROM + scope.condition() + " AND c.id IN (<ids>)")).bindList("ids", List.copyOf(ids))
                .map((rs, ctx) -> row(rs)).list();
    }

    private static String where(Scope scope, Filter f) {
        StringBuilder sb = new StringBuilder(scope.condition());
        if (f.text() != null) {
            sb.append(" AND (LOWER(c.name) LIKE :q OR EXISTS (SELECT 1 FROM customer_value v WHERE v.customer_id = c.id AND LOWER(v.field_value) LIKE :q)");
            if (!PhoneNumbers.searchDigits(f.text()).isEmpty()) {
                sb.append(" OR EXISTS (SELECT 1 FROM customer_phone p WHERE p.customer_id = c.id AND (p.digits LIKE :qd OR p.normalized LIKE :qd))");
            }
            sb.append(')');
        }
        if (f.number() != null) {
            sb.append(" AND EXISTS (SELECT 1 FROM customer_phone p WHERE p.customer_id = c.id AND (p.digits LIKE :nd OR p.normalized LIKE :nd))");
        }
        if (f.ownerId() != null) sb.append(" AND c.owner_id = :owner");
        int i = 0;
        for (Long field : f.fieldValues().keySet()) {
            sb.append(" AND EXISTS (SELECT 1 FROM customer_value v").append(i).append(" WHERE v").append(i).append(".customer_id = c.id AND v")
                    .append(i).append(".field_id = :f").append(i).append(" AND LOWER(v").append(i).append(".field_value) LIKE :fv").append(i).append(')');
            i++;
        }
        return sb.toString();
    }

    private static Query bindFilter(Query q, Scope scope, Filter f) {
        scope.bind(q);
        if (f.text() != null) {
            q.bind("q", "%" + f.text().toLowerCase() + "%");
            String d = PhoneNumbers.searchDigits(f.text());
            if (!d.isEmpty()) q.bind("qd", "%" + d + "%");
        }
        if (f.number() != null) q.bind("nd", "%" + PhoneNumbers.searchDigits(f.number()) + "%");
        if (f.ownerId() != null) q.bind("owner", f.ownerId());
        int i = 0;
        for (var e : f.fieldValues().entrySet()) {
            q.bind("f" + i, e.getKey()).bind("fv" + i, "%" + e.getValue().toLowerCase() + "%");
            i++;
        }
        return q;
    }

    static long count(Handle h, Scope scope, Filter f) {
        return bindFilter(h.createQuery("SELECT COUNT(*)" + FROM + where(scope, f)), scope, f).mapTo(Long.class).one();
    }

    /** One page, newest first. */
    static List<Row> page(Handle h, Scope scope, Filter f) {
        return bindFilter(h.createQuery(COLUMNS + FROM + where(scope, f) + " ORDER BY c.id DESC LIMIT :limit OFFSET :offset"), scope, f)
                .bind("limit", f.limit()).bind("offset", f.offset()).map((rs, ctx) -> row(rs)).list();
    }

    /** The next chunk after {@code afterId} in id order (exports walk the whole result this way). */
    static List<Row> after(Handle h, Scope scope, Filter f, long afterId, int chunk) {
        return bindFilter(h.createQuery(COLUMNS + FROM + where(scope, f) + " AND c.id > :after ORDER BY c.id LIMIT :limit"), scope, f)
                .bind("after", afterId).bind("limit", chunk).map((rs, ctx) -> row(rs)).list();
    }

    /**
     * CRM-5's name mode: the name of the enterprise's most recently changed customer having {@code number} (in any
     * written form), whoever owns it; empty when none.
     */
    public static Optional<String> nameByNumber(Handle h, long enterpriseId, String number) {
        String normalized = PhoneNumbers.matchingForm(number);
        if (normalized == null) return Optional.empty();
        return h.createQuery("""
                        SELECT c.name FROM customer c WHERE c.enterprise_id = :e AND c.id IN
                            (SELECT p.customer_id FROM customer_phone p WHERE p.enterprise_id = :e AND p.normalized = :n)
                        ORDER BY c.updated_at DESC, c.id DESC LIMIT 1""")
                .bind("e", enterpriseId).bind("n", normalized).mapTo(String.class).findOne();
    }

    /** Customers the scope sees with a number of matching form {@code normalized}. */
    static List<Row> byNumber(Handle h, Scope scope, String normalized) {
        List<Long> ids = h.createQuery("SELECT DISTINCT customer_id FROM customer_phone WHERE normalized = :n AND enterprise_id = :e")
                .bind("n", normalized).bind("e", scope.enterpriseId()).mapTo(Long.class).list();
        List<Row> rows = new ArrayList<>(visible(h, scope, ids));
        rows.sort(java.util.Comparator.comparing(Row::updatedAt).thenComparing(Row::id).reversed());
        return rows.size() > 20 ? rows.subList(0, 20) : rows;
    }

    /** For each of {@code numbers} (matching forms) the oldest visible customer having it. */
    static Map<String, Long> idsByNumbers(Handle h, Scope scope, Collection<String> numbers) {
        if (numbers.isEmpty()) return Map.of();
        List<Map.Entry<String, Long>> found = h.createQuery("SELECT normalized, customer_id FROM customer_phone WHERE normalized IN (<numbers>) AND enterprise_id = :e")
                .bindList("numbers", List.copyOf(numbers)).bind("e", scope.enterpriseId())
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).list();
        if (found.isEmpty()) return Map.of();
        Set<Long> visible = new HashSet<>();
        for (Row r : visible(h, scope, found.stream().map(Map.Entry::getValue).collect(Collectors.toSet()))) visible.add(r.id());
        Map<String, Long> out = new HashMap<>();
        found.stream().filter(e -> visible.contains(e.getValue())).sorted(Map.Entry.comparingByValue())
                .forEach(e -> out.putIfAbsent(e.getKey(), e.getValue()));
        return out;
    }

    /** The rows with their numbers and values, in the rows' order. */
    static List<Customer> load(Handle h, long enterpriseId, List<Row> rows, List<CustomerField> fields) {
        if (rows.isEmpty()) return List.of();
        List<Long> ids = rows.stream().map(Row::id).toList();
        Map<Long, List<Customer.Phone>> phones = new HashMap<>();
        h.createQuery("SELECT customer_id, number, normalized, extension, label FROM customer_phone WHERE enterprise_id = :e AND customer_id IN (<ids>) ORDER BY customer_id, position")
                .bind("e", enterpriseId).bindList("ids", ids)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), new Customer.Phone(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5))))
                .forEach(e -> phones.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        Map<Long, CustomerField> byId = fields.stream().collect(Collectors.toMap(CustomerField::id, Function.identity()));
        Map<Long, Map<Long, String>> values = new HashMap<>();
        h.createQuery("SELECT customer_id, field_id, field_value FROM customer_value WHERE enterprise_id = :e AND customer_id IN (<ids>)")
                .bind("e", enterpriseId).bindList("ids", ids)
                .map((rs, ctx) -> new Object[] {rs.getLong(1), rs.getLong(2), rs.getString(3)})
                .forEach(v -> values.computeIfAbsent((Long) v[0], k -> new HashMap<>()).put((Long) v[1], (String) v[2]));
        List<Customer> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Map<String, Object> fv = new LinkedHashMap<>();
            Map<Long, String> mine = values.getOrDefault(r.id(), Map.of());
            for (CustomerField f : fields) {
                String stored = mine.get(f.id());
                if (stored != null && byId.containsKey(f.id())) fv.put(f.key(), f.type().presented(stored));
            }
            out.add(new Customer(r.id(), r.name(), phones.getOrDefault(r.id(), List.of()), fv, r.ownerId(), r.ownerName(), r.sharing(),
                    r.createdAt(), r.updatedAt()));
        }
        return out;
    }

    /** Stored values by field id, for an update that keeps what it does not change. */
    static Map<Long, String> values(Handle h, long enterpriseId, long customerId) {
        Map<Long, String> out = new HashMap<>();
        h.createQuery("SELECT field_id, field_value FROM customer_value WHERE enterprise_id = :e AND customer_id = :c")
                .bind("e", enterpriseId).bind("c", customerId)
                .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getString(2))).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    static List<Customer.Phone> phones(Handle h, long enterpriseId, long customerId) {
        return h.createQuery("SELECT number, normalized, extension, label FROM customer_phone WHERE enterprise_id = :e AND customer_id = :c ORDER BY position")
                .bind("e", enterpriseId).bind("c", customerId)
                .map((rs, ctx) -> new Customer.Phone(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4))).list();
    }

    static long insert(Handle h, long enterpriseId, String name, Long ownerId, Sharing sharing, Instant now) {
        return h.createUpdate("INSERT INTO customer (enterprise_id, name, owner_id, sharing, created_at, updated_at) VALUES (:e, :n, :o, :s, :t, :t)")
                .bind("e", enterpriseId).bind("n", name).bind("o", ownerId).bind("s", sharing.key()).bind("t", now)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    static void update(Handle h, long enterpriseId, long id, String name, Sharing sharing, Instant now) {
        h.createUpdate("UPDATE customer SET name = :n, sharing = :s, updated_at = :t WHERE id = :id AND enterprise_id = :e")
                .bind("n", name).bind("s", sharing.key()).bind("t", now).bind("id", id).bind("e", enterpriseId).execute();
    }

    static void setOwner(Handle h, long enterpriseId, long id, Long ownerId, Sharing sharing, Instant now) {
        h.createUpdate("UPDATE customer SET owner_id = :o, sharing = :s, updated_at = :t WHERE id = :id AND enterprise_id = :e")
                .bind("o", ownerId).bind("s", sharing.key()).bind("t", now).bind("id", id).bind("e", enterpriseId).execute();
    }

    static void delete(Handle h, long enterpriseId, long id) {
        h.createUpdate("DELETE FROM customer_phone WHERE customer_id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
        h.createUpdate("DELETE FROM customer_value WHERE customer_id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
        h.createUpdate("DELETE FROM customer WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
    }

    /**
     * Replaces the numbers and values of the customers in {@code changes} (customer id → what to store), in two batches;
     * {@code fresh} are customers just inserted, with nothing to delete.
     */
    static void replaceDetails(Handle h, long enterpriseId, Map<Long, Customers.Details> changes, Set<Long> fresh) {
        if (changes.isEmpty()) return;
        List<Long> ids = changes.keySet().stream().filter(id -> !fresh.contains(id)).toList();
        if (!ids.isEmpty()) {
            h.createUpdate("DELETE FROM customer_phone WHERE customer_id IN (<ids>) AND enterprise_id = :e").bind("e", enterpriseId).bindList("ids", ids).execute();
            h.createUpdate("DELETE FROM customer_value WHERE customer_id IN (<ids>) AND enterprise_id = :e").bind("e", enterpriseId).bindList("ids", ids).execute();
        }
        PreparedBatch phones = h.prepareBatch("INSERT INTO customer_phone (enterprise_id, customer_id, position, number, normalized, digits, extension, label)"
                + " VALUES (:e, :c, :p, :n, :norm, :d, :x, :l)");
        PreparedBatch values = h.prepareBatch("INSERT INTO customer_value (customer_id, field_id, enterprise_id, field_value) VALUES (:c, :f, :e, :v)");
        for (var e : changes.entrySet()) {
            int pos = 0;
            for (Customers.Number n : e.getValue().phones()) {
                phones.bind("e", enterpriseId).bind("c", e.getKey()).bind("p", pos++).bind("n", n.number()).bind("norm", n.normalized())
                        .bind("d", n.digits()).bind("x", n.extension()).bind("l", n.label()).add();
            }
            for (var v : e.getValue().values().entrySet()) {
                values.bind("c", e.getKey()).bind("f", v.getKey()).bind("e", enterpriseId).bind("v", v.getValue()).add();
            }
        }
        if (phones.size() > 0) phones.execute();
        if (values.size() > 0) values.execute();
    }
}
