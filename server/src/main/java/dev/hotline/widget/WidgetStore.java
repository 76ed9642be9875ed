package dev.hotline.widget;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The {@code widget} table. */
final class WidgetStore {
    private WidgetStore() {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final String SELECT = """
            SELECT w.*, q.name AS queue_name FROM widget w JOIN acd_queue q ON q.id = w.queue_id AND q.enterprise_id = w.enterprise_id""";

    /** A widget with the enterprise it belongs to. */
    record Owned(long enterpriseId, Widget widget) {}

    private static final RowMapper<Widget> WIDGET = (rs, c) -> new Widget(rs.getLong("id"), rs.getString("widget_key"), rs.getString("name"),
            rs.getLong("queue_id"), rs.getString("queue_name"), origins(rs.getString("origins")), rs.getBoolean("enabled"),
            rs.getInt("per_address_per_minute"), rs.getInt("per_key_per_minute"));

    static List<Widget> list(Handle h, long enterpriseId) {
        return h.createQuery(SELECT + " WHERE w.enterprise_id = :e ORDER BY w.id").bind("e", enterpriseId).map(WIDGET).list();
    }

    static Optional<Widget> byId(Handle h, long enterpriseId, long id) {
        return h.createQuery(SELECT + " WHERE w.enterprise_id = :e AND w.id = :id").bind("e", enterpriseId).bind("id", id).map(WIDGET).findOne();
    }

    static Optional<Owned> byKey(Handle h, String key) {
        return h.createQuery(SELECT + " WHERE w.widget_key = :k").bind("k", key)
                .map((rs, c) -> new Owned(rs.getLong("enterprise_id"), WIDGET.map(rs, c))).findOne();
    }

    static long insert(Handle h, long enterpriseId, Widget.Input in, Instant now) {
        return h.createUpdate("""
                INSERT INTO widget (enterprise_id, widget_key, name, queue_id, origins, enabled, per_address_per_minute, per_key_per_minute,
                                    created_at)
                VALUES (:e, :k, :n, :q, :o, :on, :pa, :pk, :at)""")
                .bind("e", enterpriseId).bind("k", newKey()).bind("n", in.name().strip()).bind("q", in.queueId())
                .bind("o", String.join(" ", in.origins())).bind("on", in.on()).bind("pa", in.perAddress()).bind("pk", in.perKey())
                .bind("at", Timestamp.from(now)).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    static boolean update(Handle h, long enterpriseId, long id, Widget.Input in) {
        return h.createUpdate("""
                UPDATE widget SET name = :n, queue_id = :q, origins = :o, enabled = :on, per_address_per_minute = :pa, per_key_per_minute = :pk
                WHERE id = :id AND enterprise_id = :e""")
                .bind("e", enterpriseId).bind("id", id).bind("n", in.name().strip()).bind("q", in.queueId())
                .bind("o", String.join(" ", in.origins())).bind("on", in.on()).bind("pa", in.perAddress()).bind("pk", in.perKey())
                .execute() == 1;
    }

    static boolean delete(Handle h, long enterpriseId, long id) {
        return h.createUpdate("DELETE FROM widget WHERE id = :id AND enterprise_id = :e").bind("e", enterpriseId).bind("id", id).execute() == 1;
    }

    static boolean nameTaken(Handle h, long enterpriseId, String name, Long exceptId) {
        return h.createQuery("SELECT COUNT(*) FROM widget WHERE enterprise_id = :e AND name = :n AND id <> :x")
                .bind("e", enterpriseId).bind("n", name).bind("x", exceptId == null ? -1L : exceptId).mapTo(Integer.class).one() > 0;
    }

    static boolean queueOwned(Handle h, long enterpriseId, long queueId) {
        return h.createQuery("SELECT COUNT(*) FROM acd_queue WHERE id = :id AND enterprise_id = :e").bind("id", queueId).bind("e", enterpriseId)
                .mapTo(Integer.class).one() > 0;
    }

    /** A public key: 16 random bytes in hex (not guessable, safe in a URL and an HTML attribute). */
    static String newKey() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static List<String> origins(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.stream(s.strip().split("\\s+")).toList();
    }
}
