package dev.hotline.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

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
