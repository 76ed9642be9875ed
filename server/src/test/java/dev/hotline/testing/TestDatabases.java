package dev.hotline.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * Fresh databases for tests: an in-memory H2 in PostgreSQL mode, or a new schema in the
 * PostgreSQL that {@code scripts/test-deps.sh} starts (URL from {@code HOTLINE_TEST_PG_URL}).
 * A missing PostgreSQL fails the test with what to do; it never skips.
 */
public final class TestDatabases {
    public static final String DEFAULT_PG = "jdbc:postgresql://127.0.0.1:5432/hotline_test?user=hotline_test&password=hotline_test";

    private TestDatabases() {}

    public enum Kind { H2, POSTGRES }

    /** A JDBC URL of an empty database of {@code kind}. */
    public static String fresh(Kind kind) {
        return switch (kind) {
            case H2 -> "jdbc:h2:mem:t" + UUID.randomUUID().toString().replace("-", "")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
            case POSTGRES -> freshPostgresSchema();
        };
    }

    /**
     * A JDBC URL of a database of {@code kind} already at the latest schema, for a server the test starts: on H2 a copy
     * of one database this JVM migrated once (H2's SCRIPT, then RUNSCRIPT into each new one), which costs a fraction of
     * running every migration again; the server's own Flyway finds them all applied, with their checksums, and runs
     * none. On PostgreSQL an empty schema that the server migrates, as {@link #fresh} gives.
     */
    public static String migrated(Kind kind) {
        if (kind == Kind.POSTGRES) return fresh(kind);
        String url = fresh(Kind.H2);
        Path template = h2Template();
        try (Connection c = DriverManager.getConnection(url); var st = c.createStatement()) {
            st.execute("RUNSCRIPT FROM '" + template + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot copy the migrated H2 template " + template + ": " + e.getMessage(), e);
        }
        return url;
    }

    private static Path h2Template;

    /** The migrated H2 schema (and the rows migrations insert) as an SQL script, written once per JVM. */
    private static synchronized Path h2Template() {
        if (h2Template != null) return h2Template;
        String url = fresh(Kind.H2);
        try (Connection c = DriverManager.getConnection(url); var st = c.createStatement()) {
            Flyway.configure().dataSource(url, "", "").locations("classpath:db/migration").load().migrate();
            Path file = Files.createTempFile("hotline-h2-template", ".sql");
            file.toFile().deleteOnExit();
            st.execute("SCRIPT TO '" + file + "'");
            st.execute("SHUTDOWN"); // the template itself is not used again
            h2Template = file;
            return file;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot build the migrated H2 template: " + e.getMessage(), e);
        }
    }

    private static String freshPostgresSchema() {
        String base = System.getenv().getOrDefault("HOTLINE_TEST_PG_URL", DEFAULT_PG);
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(base); var st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL for the tests is not reachable at " + base + " (" + e.getMessage()
                    + "). Run `sudo bash scripts/test-deps.sh` (installs postgresql-15, starts it, creates hotline_test)"
                    + " or set HOTLINE_TEST_PG_URL.", e);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
