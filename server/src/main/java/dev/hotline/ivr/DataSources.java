package dev.hotline.ivr;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hotline.mail.SecretBox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IVR-1: the external databases of an enterprise that a flow's database lookup node ({@link Flow.Db}) reads. Each has
 * a JDBC address, a user, a password (sealed with {@link SecretBox}, never returned), the most rows a lookup reads and a
 * timeout. Lookups run on their own small pool of threads, never on the media or ACD threads, through a small connection
 * pool per source (read-only, no auto-commit, every transaction rolled back), with the statement's timeout set and the
 * lookup given up at the timeout whatever the driver does.
 */
public final class DataSources implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DataSources.class);

    /** JDBC addresses a source may have: a database server reached over the network (never a file or memory of this server). */
    static final List<String> URL_PREFIXES = List.of("jdbc:postgresql://", "jdbc:h2:tcp://", "jdbc:h2:ssl://");
    public static final int MAX_ROWS_LIMIT = 1000;
    public static final int TIMEOUT_MIN_MS = 100;
    public static final int TIMEOUT_MAX_MS = 30_000;

    /** A source as the API shows it: the password only as "set or not". */
    public record View(long id, String name, String url, String username, boolean passwordSet, int maxRows, int timeoutMs) {}

    /**
     * What the API takes.
     *
     * @param password null keeps the stored one, "" removes it
     */
    public record Input(String name, String url, String username, String password, Integer maxRows, Integer timeoutMs) {}

    private record Row(long id, long enterpriseId, String name, String url, String username, String passwordEnc, int maxRows,
                       int timeoutMs, java.time.Instant updatedAt) {}

    /** What a lookup found. */
    public sealed interface Result {
        /** The first row's columns (lower-case labels, SQL NULL as ""), and how many rows there were (at most the source's max). */
        record Found(Map<String, String> columns, int rows) implements Result {}

        record NotFound() implements Result {}

        /** The source is unknown, unreachable, the query failed or ran out of time. */
        record Failed(String reason) implements Result {}
    }

    /** A query with its {@code ${var}} replaced by {@code ?} and the variables' names in order. */
    public record Bound(String sql, List<String> variables) {}

    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private final Jdbi jdbi;
    private final SecretBox secrets;
    private final Clock clock;
    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(200), r -> {
        Thread t = new Thread(r, "hotline-ivr-db");
        t.setDaemon(true);
        return t;
    });
    /** A connection pool per source, made at its first lookup; dropped when the source changes or goes. */
    private final Map<Long, Pool> pools = new ConcurrentHashMap<>();

    private record Pool(java.time.Instant version, HikariDataSource ds) {}

    public DataSources(Jdbi jdbi, SecretBox secrets, Clock clock) {
        this.jdbi = jdbi;
        this.secrets = secrets;
        this.clock = clock;
        workers.allowCoreThreadTimeOut(true);
    }

    // --- the query's text

    /** {@code ${var}} → {@code ?}: the variables are bound as parameters, never pasted into the SQL. */
    public static Bound bind(String query) {
        Matcher m = VAR.matcher(query);
        List<String> vars = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            vars.add(m.group(1));
            m.appendReplacement(sb, "?");
        }
        m.appendTail(sb);
        return new Bound(sb.toString(), vars);
    }

    /** The variables a query names. */
    static List<String> variables(String query) {
        return bind(query).variables();
    }

    /** Why {@code query} is not one read-only statement, or null when it is ({@link ReadOnlyQuery}). */
    static String readOnlyProblem(String query) {
        return ReadOnlyQuery.problem(query);
    }

    // --- the sources

    private static Optional<Row> row(Handle h, long enterpriseId, String where, Object key) {
        return h.createQuery("SELECT * FROM ivr_data_source WHERE enterprise_id = :e AND " + where + " = :k")
                .bind("e", enterpriseId).bind("k", key)
                .map((rs, c) -> new Row(rs.getLong("id"), rs.getLong("enterprise_id"), rs.getString("name"), rs.getString("url"),
                        rs.getString("username"), rs.getString("password_enc"), rs.getInt("max_rows"), rs.getInt("timeout_ms"),
                        rs.getTimestamp("updated_at").toInstant()))
                .findOne();
    }

    private static View view(Row r) {
        return new View(r.id(), r.name(), r.url(), r.username(), r.passwordEnc() != null, r.maxRows(), r.timeoutMs());
    }

    public List<View> list(Handle h, long enterpriseId) {
        return h.createQuery("SELECT id FROM ivr_data_source WHERE enterprise_id = :e ORDER BY name").bind("e", enterpriseId)
                .mapTo(Long.class).list().stream().map(id -> row(h, enterpriseId, "id", id).map(DataSources::view).orElseThrow()).toList();
    }

    public Optional<View> get(Handle h, long enterpriseId, long id) {
        return row(h, enterpriseId, "id", id).map(DataSources::view);
    }

    /** The names of the enterprise's sources (what a flow may name). */
    static Set<String> names(Handle h, long enterpriseId) {
        return Set.copyOf(h.createQuery("SELECT name FROM ivr_data_source WHERE enterprise_id = :e").bind("e", enterpriseId)
                .mapTo(String.class).list());
    }

    /** Problems of {@code in} as field errors (all fields are required on create; on update a null keeps the old value). */
    static dev.hotline.domain.Validator check(Input in, Optional<View> old) {
        var v = dev.hotline.domain.Validator.of();
        String name = dev.hotline.domain.Validator.clean(in.name());
        String url = in.url() == null ? null : in.url().strip();
        if (old.isEmpty() || in.name() != null) {
            v.required("name", name).matches("name", name, "[a-z0-9_-]{1,32}", "1–32 lower-case letters, digits, '_' or '-'");
        }
        if (old.isEmpty() || in.url() != null) {
            v.required("url", url).maxLength("url", url, 500);
            if (url != null && !url.isEmpty()) {
                v.check(URL_PREFIXES.stream().anyMatch(url::startsWith), "url", "a database server address: " + String.join(", ", URL_PREFIXES) + "…");
                v.check(!url.toUpperCase(Locale.ROOT).contains("INIT="), "url", "INIT= is not allowed in the address");
                // the lookups' read-only transactions rest on the driver honouring setReadOnly (PostgreSQL: BEGIN READ ONLY)
                v.check(!url.toUpperCase(Locale.ROOT).contains("READONLYMODE"), "url", "readOnlyMode is not allowed in the address");
            }
        }
        v.maxLength("username", in.username(), 100).maxLength("password", in.password(), 200);
        if (in.maxRows() != null) v.check(in.maxRows() >= 1 && in.maxRows() <= MAX_ROWS_LIMIT, "maxRows", "1.." + MAX_ROWS_LIMIT);
        if (in.timeoutMs() != null) {
            v.check(in.timeoutMs() >= TIMEOUT_MIN_MS && in.timeoutMs() <= TIMEOUT_MAX_MS, "timeoutMs", TIMEOUT_MIN_MS + ".." + TIMEOUT_MAX_MS);
        }
        return v;
    }

    public View create(Handle h, long enterpriseId, Input in) {
        check(in, Optional.empty()).throwIfInvalid();
        String name = dev.hotline.domain.Validator.clean(in.name());
        if (row(h, enterpriseId, "name", name).isPresent()) {
            throw new dev.hotline.domain.DomainException(dev.hotline.domain.DomainException.Kind.CONFLICT, null, "a data source of that name exists",
                    List.of(new dev.hotline.domain.DomainException.FieldError("name", "already exists")));
        }
        long id = h.createUpdate("""
                        INSERT INTO ivr_data_source (enterprise_id, name, url, username, password_enc, max_rows, timeout_ms, updated_at)
                        VALUES (:e, :name, :url, :user, :pw, :rows, :timeout, :at)""")
                .bind("e", enterpriseId).bind("name", name).bind("url", in.url().strip())
                .bind("user", blankToNull(in.username()))
                .bind("pw", in.password() == null || in.password().isEmpty() ? null : secrets.encrypt(in.password()))
                .bind("rows", in.maxRows() == null ? 10 : in.maxRows()).bind("timeout", in.timeoutMs() == null ? 3000 : in.timeoutMs())
                .bind("at", java.sql.Timestamp.from(clock.instant()))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return get(h, enterpriseId, id).orElseThrow();
    }

    public Optional<View> update(Handle h, long enterpriseId, long id, Input in) {
        Optional<Row> old = row(h, enterpriseId, "id", id);
        if (old.isEmpty()) return Optional.empty();
        check(in, old.map(DataSources::view)).throwIfInvalid();
        Row r = old.get();
        String name = in.name() == null ? r.name() : dev.hotline.domain.Validator.clean(in.name());
        if (!name.equals(r.name()) && row(h, enterpriseId, "name", name).isPresent()) {
            throw new dev.hotline.domain.DomainException(dev.hotline.domain.DomainException.Kind.CONFLICT, null, "a data source of that name exists",
                    List.of(new dev.hotline.domain.DomainException.FieldError("name", "already exists")));
        }
        h.createUpdate("""
                        UPDATE ivr_data_source SET name = :name, url = :url, username = :user, password_enc = :pw, max_rows = :rows,
                        timeout_ms = :timeout, updated_at = :at WHERE id = :id AND enterprise_id = :e""")
                .bind("id", id).bind("e", enterpriseId).bind("name", name)
                .bind("url", in.url() == null ? r.url() : in.url().strip())
                .bind("user", in.username() == null ? r.username() : blankToNull(in.username()))
                .bind("pw", in.password() == null ? r.passwordEnc() : in.password().isEmpty() ? null : secrets.encrypt(in.password()))
                .bind("rows", in.maxRows() == null ? r.maxRows() : in.maxRows())
                .bind("timeout", in.timeoutMs() == null ? r.timeoutMs() : in.timeoutMs())
                .bind("at", java.sql.Timestamp.from(clock.instant().isAfter(r.updatedAt()) ? clock.instant() : r.updatedAt().plusMillis(1)))
                .execute();
        drop(id);
        return get(h, enterpriseId, id);
    }

    public boolean delete(Handle h, long enterpriseId, long id) {
        boolean gone = h.createUpdate("DELETE FROM ivr_data_source WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId)
                .execute() > 0;
        if (gone) drop(id);
        return gone;
    }

    private void drop(long id) {
        Pool p = pools.remove(id);
        if (p != null) p.ds().close();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    // --- lookups

    /**
     * Runs {@code query} ({@code ${var}} bound from {@code vars}) on the enterprise's source {@code source}, off the caller's
     * thread; completes by the source's timeout at the latest (with {@link Result.Failed} "timeout").
     */
    public CompletableFuture<Result> lookup(long enterpriseId, String source, String query, Function<String, String> vars) {
        CompletableFuture<Result> out = new CompletableFuture<>();
        AtomicReference<Statement> running = new AtomicReference<>();
        try {
            workers.execute(() -> {
                try {
                    Optional<Row> r = jdbi.withHandle(h -> row(h, enterpriseId, "name", source));
                    if (r.isEmpty()) {
                        out.complete(new Result.Failed("no data source " + source));
                        return;
                    }
                    // The same check as at publish, again before every run: a flow stored before it, or changed in the
                    // database, never gets a statement that writes to the source.
                    String problem = readOnlyProblem(query);
                    if (problem != null) {
                        out.complete(new Result.Failed("refused: " + problem));
                        return;
                    }
                    out.orTimeout(r.get().timeoutMs(), TimeUnit.MILLISECONDS); // from now on, the source's own timeout
                    out.complete(run(r.get(), bind(query), vars, running));
                } catch (SQLException | RuntimeException e) {
                    out.complete(new Result.Failed(e.toString()));
                }
            });
        } catch (RejectedExecutionException e) {
            out.complete(new Result.Failed("too many lookups waiting"));
            return out;
        }
        return out.orTimeout(TIMEOUT_MAX_MS, TimeUnit.MILLISECONDS).exceptionally(err -> {
            Statement st = running.get();
            if (st != null) {
                try {
                    st.cancel();
                } catch (SQLException | RuntimeException ignored) {
                    // the driver's own query timeout ends it
                }
            }
            Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
            return new Result.Failed(cause instanceof TimeoutException ? "timeout" : cause.toString());
        });
    }

    private Result run(Row r, Bound b, Function<String, String> vars, AtomicReference<Statement> running) throws SQLException {
        HikariDataSource ds = pool(r);
        long started = System.nanoTime();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement st = c.prepareStatement(b.sql())) {
                running.set(st);
                st.setQueryTimeout(Math.max(1, (r.timeoutMs() + 999) / 1000));
                st.setMaxRows(r.maxRows());
                for (int i = 0; i < b.variables().size(); i++) {
                    String v = vars.apply(b.variables().get(i));
                    st.setString(i + 1, v == null ? "" : v);
                }
                Result result;
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        result = new Result.NotFound();
                    } else {
                        ResultSetMetaData md = rs.getMetaData();
                        Map<String, String> cols = new LinkedHashMap<>();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            String v = rs.getString(i);
                            cols.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), v == null ? "" : v);
                        }
                        int rows = 1;
                        while (rows < r.maxRows() && rs.next()) rows++;
                        result = new Result.Found(cols, rows);
                    }
                }
                // H2 ignores setReadOnly: a function that wrote leaves uncommitted changes in the session. They are rolled
                // back below, and the lookup fails (its error exit) rather than answer as if it had only read.
                if (r.url().startsWith("jdbc:h2:") && wroteOnH2(c)) return new Result.Failed("the query wrote to the database (rolled back)");
                return result;
            } finally {
                running.set(null);
                c.rollback(); // nothing a lookup did is ever kept
                if (log.isDebugEnabled()) log.debug("lookup on {} took {} ms", r.name(), (System.nanoTime() - started) / 1_000_000);
            }
        }
    }

    /** H2 2.x: whether this session holds changes not yet committed (INFORMATION_SCHEMA.SESSIONS.CONTAINS_UNCOMMITTED). */
    private static boolean wroteOnH2(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT CONTAINS_UNCOMMITTED FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = SESSION_ID()")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private HikariDataSource pool(Row r) {
        Pool p = pools.compute(r.id(), (id, old) -> {
            if (old != null && old.version().equals(r.updatedAt())) return old;
            if (old != null) old.ds().close();
            HikariConfig cfg = new HikariConfig();
            cfg.setPoolName("ivr-db-" + r.enterpriseId() + "-" + r.name());
            cfg.setJdbcUrl(r.url());
            if (r.username() != null) cfg.setUsername(r.username());
            if (r.passwordEnc() != null) cfg.setPassword(secrets.decrypt(r.passwordEnc()));
            cfg.setReadOnly(true);
            if (r.url().startsWith("jdbc:postgresql:")) {
                // Variables are bound as text; sent untyped, PostgreSQL gives each the type its place in the query needs
                // (WHERE id = ${caller} on a bigint column) instead of refusing "bigint = character varying".
                cfg.addDataSourceProperty("stringtype", "unspecified");
                cfg.addDataSourceProperty("readOnlyMode", "always"); // BEGIN READ ONLY on every transaction, whatever the URL says
            }
            cfg.setAutoCommit(false);
            cfg.setMaximumPoolSize(4);
            cfg.setMinimumIdle(0);
            cfg.setConnectionTimeout(Math.max(250, r.timeoutMs()));
            cfg.setValidationTimeout(Math.max(250, Math.min(r.timeoutMs(), 5000)));
            cfg.setInitializationFailTimeout(-1); // a source that is down now fails its lookups, not the server
            return new Pool(r.updatedAt(), new HikariDataSource(cfg));
        });
        return p.ds();
    }

    @Override
    public void close() {
        workers.shutdownNow();
        pools.values().forEach(p -> p.ds().close());
        pools.clear();
    }
}
