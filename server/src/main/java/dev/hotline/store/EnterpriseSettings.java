package dev.hotline.store;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The {@code enterprise_setting} table: named values per enterprise, read and written by the features that own them. */
public final class EnterpriseSettings {
    private EnterpriseSettings() {}

    /** The value of setting {@code name} of the enterprise, if set. */
    public static Optional<String> get(Handle h, long enterpriseId, String name) {
        return h.createQuery("SELECT setting_value FROM enterprise_setting WHERE enterprise_id = :e AND name = :n")
                .bind("e", enterpriseId).bind("n", name).mapTo(String.class).findOne();
    }

    /** Every setting of the enterprise whose name starts with {@code prefix}, by name. */
    public static Map<String, String> withPrefix(Handle h, long enterpriseId, String prefix) {
        Map<String, String> m = new HashMap<>();
        h.createQuery("SELECT name, setting_value FROM enterprise_setting WHERE enterprise_id = :e AND name LIKE :p")
                .bind("e", enterpriseId).bind("p", prefix + "%").map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(en -> m.put(en.getKey(), en.getValue()));
        return m;
    }

    /** Sets {@code name} to {@code value}, replacing what was there. */
    public static void put(Handle h, long enterpriseId, String name, String value) {
        h.createUpdate("DELETE FROM enterprise_setting WHERE enterprise_id = :e AND name = :n").bind("e", enterpriseId).bind("n", name).execute();
        h.createUpdate("INSERT INTO enterprise_setting (enterprise_id, name, setting_value) VALUES (:e, :n, :v)")
                .bind("e", enterpriseId).bind("n", name).bind("v", value).execute();
    }
}
