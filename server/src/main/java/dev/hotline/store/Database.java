package dev.hotline.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Locale;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database: a HikariCP pool, Flyway migrations (portable SQL under {@code db/migration},
 * the same files for H2 and PostgreSQL) and a JDBI handle for the feature stores.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    public Database(String url, String user, String password) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(h2ClosedByUs(url));
        if (!user.isBlank()) hc.setUsername(user);
        if (!password.isBlank()) hc.setPassword(password);
        hc.setMaximumPoolSize(10);
        hc.setPoolName("hotline-db");
        this.dataSource = new HikariDataSource(hc);
        var result = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        log.info("database {} at schema version {} ({} migrations applied)",
                redact(url), result.targetSchemaVersion, result.migrationsExecuted);
        this.jdbi = Jdbi.create(dataSource);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /**
     * An H2 URL made to leave closing to {@link #close()}: by default H2 closes the database from a JVM shutdown hook of
     * its own, which on SIGTERM runs beside Hotline's and closed the database under the event log still writing its
     * last events (thousands lost after a load run).
     */
    static String h2ClosedByUs(String url) {
        if (!url.startsWith("jdbc:h2:") || url.toUpperCase(Locale.ROOT).contains("DB_CLOSE_ON_EXIT")) {
            return url;
        }
        return url + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
