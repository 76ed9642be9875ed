package dev.hotline.crm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.hotline.domain.JsonMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for customer field definitions. Every query is bound to one enterprise. */
public final class FieldStore {
    private FieldStore() {}

    static CustomerField map(ResultSet rs) throws SQLException {
        return new CustomerField(rs.getLong("id"), rs.getString("field_key"), rs.getString("label"),
                FieldType.parse(rs.getString("field_type")).orElseThrow(), rs.getBoolean("required"), options(rs.getString("options")),
                rs.getInt("position"), rs.getBoolean("in_pop"));
    }

    private static List<String> options(String json) {
        if (json == null || json.isBlank()) return List.of();
        try {
            return JsonMapper.MAPPER.readValue(json, new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad options column: " + json, e);
        }
    }

    public static List<CustomerField> list(Handle h, long enterpriseId) {
        return h.createQuery("SELECT * FROM customer_field WHERE enterprise_id = :e ORDER BY position, id")
                .bind("e", enterpriseId).map((rs, ctx) -> map(rs)).list();
    }

    public static Optional<CustomerField> byId(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT * FROM customer_field WHERE enterprise_id = :e AND id = :id")
                .bind("e", enterpriseId).bind("id", id).map((rs, ctx) -> map(rs)).findOne();
    }

    public static long insert(Handle h, long enterpriseId, CustomerField f) {
        return h.createUpdate("""
                INSERT INTO customer_field (enterprise_id, field_key, label, field_type, required, options, position, in_pop)
                VALUES (:e, :k, :l, :t, :r, :o, :p, :pop)""")
                .bind("e", enterpriseId).bind("k", f.key()).bind("l", f.label()).bind("t", f.type().key()).bind("r", f.required())
                .bind("o", json(f.options())).bind("p", f.position()).bind("pop", f.inPop())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    public static void update(Handle h, long enterpriseId, CustomerField f) {
        h.createUpdate("""
                UPDATE customer_field SET field_key = :k, label = :l, field_type = :t, required = :r, options = :o, position = :p, in_pop = :pop
                WHERE id = :id AND enterprise_id = :e""")
                .bind("e", enterpriseId).bind("id", f.id()).bind("k", f.key()).bind("l", f.label()).bind("t", f.type().key())
                .bind("r", f.required()).bind("o", json(f.options())).bind("p", f.position()).bind("pop", f.inPop()).execute();
    }

    public static void delete(Handle h, long enterpriseId, long id) {
        h.createUpdate("DELETE FROM customer_value WHERE field_id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
        h.createUpdate("DELETE FROM customer_field WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId).execute();
    }

    public static long valueCount(Handle h, long enterpriseId, long fieldId) {
        return h.createQuery("SELECT COUNT(*) FROM customer_value WHERE field_id = :id AND enterprise_id = :e")
                .bind("id", fieldId).bind("e", enterpriseId).mapTo(Long.class).one();
    }

    /** The value of field {@code key} of customer {@code customerId} as stored; empty when none or blank. */
    public static Optional<String> value(Handle h, long enterpriseId, long customerId, String key) {
        return h.createQuery("""
                        SELECT v.field_value FROM customer_value v JOIN customer_field f ON f.id = v.field_id
                        WHERE v.enterprise_id = :e AND v.customer_id = :c AND f.field_key = :k""")
                .bind("e", enterpriseId).bind("c", customerId).bind("k", key).mapTo(String.class).findOne().filter(v -> !v.isBlank());
    }

    private static String json(List<String> options) {
        if (options == null || options.isEmpty()) return null;
        try {
            return JsonMapper.MAPPER.writeValueAsString(options);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
