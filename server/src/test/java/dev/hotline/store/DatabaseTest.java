package dev.hotline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.testing.TestDatabases;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The same migrations give the same tables and columns on H2 and PostgreSQL. */
class DatabaseTest {
    static Map<String, String> columns(String url) {
        try (Database db = new Database(url, "", "")) {
            return db.jdbi().withHandle(h -> {
                Map<String, String> cols = new TreeMap<>();
                h.createQuery("""
                        SELECT table_name, column_name, is_nullable FROM information_schema.columns
                        WHERE table_schema = current_schema() AND table_name <> 'flyway_schema_history'""")
                        .map((rs, ctx) -> Map.entry(rs.getString(1).toLowerCase() + "." + rs.getString(2).toLowerCase(), rs.getString(3)))
                        .forEach(e -> cols.put(e.getKey(), e.getValue()));
                return cols;
            });
        }
    }

    @Test
    void migrationsProduceTheSameSchemaOnH2AndPostgres() {
        Map<String, String> h2 = columns(TestDatabases.fresh(TestDatabases.Kind.H2));
        Map<String, String> pg = columns(TestDatabases.fresh(TestDatabases.Kind.POSTGRES));
        assertThat(h2).containsKeys("app_user.password_hash", "audit_log.ip", "extension.sip_password", "enterprise.code");
        assertThat(pg).isEqualTo(h2);
    }

    @Test
    void migratingTwiceIsANoOp() {
        String url = TestDatabases.fresh(TestDatabases.Kind.POSTGRES);
        Map<String, String> first = columns(url);
        assertThat(columns(url)).isEqualTo(first);
    }
}
