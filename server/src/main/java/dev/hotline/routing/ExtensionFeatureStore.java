package dev.hotline.routing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The {@code extension_feature} rows (PBX-3): one per extension that has any setting; none means the defaults. */
public final class ExtensionFeatureStore {
    private ExtensionFeatureStore() {}

    private static final String SELECT = """
            SELECT x.number, f.forward_always, f.forward_busy, f.forward_no_answer, f.forward_unregistered, f.no_answer_seconds,
                   f.dnd, f.call_waiting, f.pickup_group
            FROM extension_feature f JOIN extension x ON x.id = f.extension_id
            """;

    /** Every configured extension of the enterprise, by number (extensions without a row have the defaults). */
    public static Map<String, ExtensionFeatures> all(Handle h, long enterpriseId) {
        Map<String, ExtensionFeatures> out = new HashMap<>();
        h.createQuery(SELECT + " WHERE f.enterprise_id = :e").bind("e", enterpriseId).map((rs, c) -> row(rs)).forEach(f -> out.put(f.number(), f));
        return out;
    }

    /** The settings of extension {@code number} (the defaults when it has none); empty when there is no such extension. */
    public static Optional<ExtensionFeatures> of(Handle h, long enterpriseId, String number) {
        Optional<Long> id = extensionId(h, enterpriseId, number);
        if (id.isEmpty()) return Optional.empty();
        return Optional.of(h.createQuery(SELECT + " WHERE f.extension_id = :id").bind("id", id.get()).map((rs, c) -> row(rs)).findOne()
                .orElse(ExtensionFeatures.defaults(number)));
    }

    public static Optional<Long> extensionId(Handle h, long enterpriseId, String number) {
        return h.createQuery("SELECT id FROM extension WHERE enterprise_id = :e AND number = :n").bind("e", enterpriseId).bind("n", number)
                .mapTo(Long.class).findOne();
    }

    /** Writes the settings of an existing extension (insert or update). */
    public static void save(Handle h, long enterpriseId, long extensionId, ExtensionFeatures f) {
        int n = h.createUpdate("""
                UPDATE extension_feature SET forward_always = :fa, forward_busy = :fb, forward_no_answer = :fn, forward_unregistered = :fu,
                    no_answer_seconds = :s, dnd = :dnd, call_waiting = :cw, pickup_group = :g
                WHERE extension_id = :id AND enterprise_id = :e""")
                .bind("fa", f.forwardAlways()).bind("fb", f.forwardBusy()).bind("fn", f.forwardNoAnswer()).bind("fu", f.forwardUnregistered())
                .bind("s", f.noAnswerSeconds()).bind("dnd", f.dnd()).bind("cw", f.callWaiting()).bind("g", f.pickupGroup())
                .bind("id", extensionId).bind("e", enterpriseId).execute();
        if (n > 0) return;
        h.createUpdate("""
                INSERT INTO extension_feature (extension_id, enterprise_id, forward_always, forward_busy, forward_no_answer,
                    forward_unregistered, no_answer_seconds, dnd, call_waiting, pickup_group)
                VALUES (:id, :e, :fa, :fb, :fn, :fu, :s, :dnd, :cw, :g)""")
                .bind("fa", f.forwardAlways()).bind("fb", f.forwardBusy()).bind("fn", f.forwardNoAnswer()).bind("fu", f.forwardUnregistered())
                .bind("s", f.noAnswerSeconds()).bind("dnd", f.dnd()).bind("cw", f.callWaiting()).bind("g", f.pickupGroup())
                .bind("id", extensionId).bind("e", enterpriseId).execute();
    }

    private static ExtensionFeatures row(ResultSet rs) throws SQLException {
        return new ExtensionFeatures(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6),
                rs.getBoolean(7), rs.getBoolean(8), rs.getString(9));
    }
}
