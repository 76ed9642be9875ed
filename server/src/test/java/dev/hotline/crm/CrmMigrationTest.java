package dev.hotline.crm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.auth.Permission;
import dev.hotline.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** V22 gives the built-in roles of enterprises that existed before it the same CRM permissions as new enterprises get. */
class CrmMigrationTest {
    /** The newest migration before {@code version} (other branches add migrations below V22). */
    static int lastBefore(int version) throws Exception {
        Path dir = Path.of(CrmMigrationTest.class.getResource("/db/migration").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).filter(v -> v < version).max().orElseThrow();
        }
    }

    @Test
    void existingBuiltInRolesGetTheCrmPermissions() throws Exception {
        String url = TestDatabases.fresh(TestDatabases.Kind.H2);
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").target(String.valueOf(lastBefore(22))).load().migrate();
        Jdbi jdbi = Jdbi.create(url, "sa", "");
        jdbi.useHandle(h -> {
            long e = h.createUpdate("INSERT INTO enterprise (code, name, sip_domain, created_at) VALUES ('old', 'Old', 'old.hotline', :t)")
                    .bind("t", Instant.now()).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            for (String role : List.of("admin", "supervisor", "agent")) {
                h.createUpdate("INSERT INTO app_role (enterprise_id, name, builtin) VALUES (:e, :n, TRUE)").bind("e", e).bind("n", role).execute();
            }
            h.createUpdate("INSERT INTO app_role (enterprise_id, name, builtin) VALUES (:e, 'custom', FALSE)").bind("e", e).execute();
        });
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").load().migrate();
        for (Permission.BuiltinRole role : List.of(Permission.BuiltinRole.ADMIN, Permission.BuiltinRole.SUPERVISOR, Permission.BuiltinRole.AGENT)) {
            List<String> got = jdbi.withHandle(h -> h.createQuery("SELECT p.permission FROM role_permission p JOIN app_role r ON r.id = p.role_id"
                    + " WHERE r.name = :n AND p.permission LIKE 'customer.%' OR r.name = :n AND p.permission = 'addressbook.use'")
                    .bind("n", role.roleName()).mapTo(String.class).list());
            List<String> expected = role.permissions().stream().map(Permission::key)
                    .filter(k -> k.startsWith("customer.") || k.equals("addressbook.use")).toList();
            assertThat(got).as(role.roleName()).containsExactlyInAnyOrderElementsOf(expected).isNotEmpty();
        }
        // BIZ-4 (V41, V52): the order, product and contract permissions as the built-in roles define them; the enterprise gets its order counter.
        for (Permission.BuiltinRole role : List.of(Permission.BuiltinRole.ADMIN, Permission.BuiltinRole.SUPERVISOR, Permission.BuiltinRole.AGENT)) {
            List<String> got = jdbi.withHandle(h -> h.createQuery("SELECT p.permission FROM role_permission p JOIN app_role r ON r.id = p.role_id"
                    + " WHERE r.name = :n AND (p.permission LIKE 'order.%' OR p.permission LIKE 'product.%' OR p.permission LIKE 'contract.%')")
                    .bind("n", role.roleName()).mapTo(String.class).list());
            List<String> expected = role.permissions().stream().map(Permission::key).filter(k -> k.startsWith("order.") || k.startsWith("product.")
                    || k.startsWith("contract.")).toList();
            assertThat(got).as(role.roleName()).containsExactlyInAnyOrderElementsOf(expected).isNotEmpty();
        }
        long counters = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM order_counter c JOIN enterprise e ON e.id = c.enterprise_id"
                + " WHERE e.code = 'old'").mapTo(Long.class).one());
        assertThat(counters).isEqualTo(1);
        long custom = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM role_permission p JOIN app_role r ON r.id = p.role_id WHERE r.name = 'custom'")
                .mapTo(Long.class).one());
        assertThat(custom).as("custom roles are left alone").isZero();
    }
}
