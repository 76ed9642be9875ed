package dev.hotline.store;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Prepared statements kept open across transactions on one long-lived handle (the event log's writer): each SQL text is
 * prepared once, then handed out again instead of being parsed and planned again for every batch. H2 re-parses an UPDATE, a
 * MERGE or an upsert on every prepare (its session cache keeps only plain INSERTs and SELECTs), and the writer prepares some
 * twenty statements a batch; at 200 calls/s parsing was 17 % of the writer's samples (bench/README.md).
 *
 * <p>A statement is handed out to one user at a time: asked for while still in use (the same SQL nested in its own result's
 * loop), a fresh one is prepared and closed after use as usual. Not thread-safe: one handle, one thread.
 */
public final class StatementCache implements StatementBuilder {
    /** Distinct SQL texts kept at most; past that, statements are prepared and closed each time (dynamic SQL). */
    static final int MAX = 256;

    private static final DefaultStatementBuilder PLAIN = new DefaultStatementBuilder();
    private final Map<String, PreparedStatement> cached = new HashMap<>();
    private final Map<PreparedStatement, Boolean> inUse = new IdentityHashMap<>();
    private long prepared;

    /** The statements this cache prepared so far (a reused one is not counted again). */
    public long prepared() {
        return prepared;
    }

    /** A handle of {@code jdbi} that keeps its prepared statements until it is closed. */
    public static Handle open(Jdbi jdbi) {
        StatementCache cache = new StatementCache();
        Handle h = jdbi.open();
        h.setStatementBuilder(cache);
        // Jdbi closes the builder it opened the handle with, not one set later: the kept statements go here, before the connection
        h.addCleanable(() -> cache.close(h.getConnection()));
        return h;
    }

    /** The statements {@code h} prepared so far: {@link #prepared()} of its cache, 0 for a handle without one. */
    public static long prepared(Handle h) {
        return h.getStatementBuilder() instanceof StatementCache c ? c.prepared() : 0;
    }

    /** {@code sql} prepared on {@code h}'s connection: a kept statement when {@code h} was opened with a cache, else a new one. */
    public static PreparedStatement prepare(Handle h, String sql) throws SQLException {
        return h.getStatementBuilder() instanceof StatementCache c ? c.take(h.getConnection(), sql) : h.getConnection().prepareStatement(sql);
    }

    /** Gives back a statement {@link #prepare} handed out: kept for the next use, or closed when it is not a kept one. */
    public static void release(Handle h, PreparedStatement ps) throws SQLException {
        if (h != null && h.getStatementBuilder() instanceof StatementCache c) {
            c.give(ps);
        } else {
            ps.close();
        }
    }

    private PreparedStatement take(Connection c, String sql) throws SQLException {
        PreparedStatement ps = cached.get(sql);
        boolean usable = ps != null && !ps.isClosed();
        if (usable && !inUse.containsKey(ps)) {
            ps.clearBatch(); // a failed batch may have left rows behind
            ps.clearParameters();
            inUse.put(ps, Boolean.TRUE);
            return ps;
        }
        PreparedStatement fresh = c.prepareStatement(sql);
        prepared++;
        // kept: in place of a closed one (whatever the cache's size), or as a new text while there is room
        if (!usable && (ps != null || cached.size() < MAX)) {
            cached.put(sql, fresh);
            inUse.put(fresh, Boolean.TRUE);
        }
        return fresh;
    }

    private void give(PreparedStatement ps) throws SQLException {
        if (inUse.remove(ps) == null) ps.close(); // not a kept one
    }

    @Override
    public PreparedStatement create(Connection conn, String sql, StatementContext ctx) throws SQLException {
        if (ctx != null && (ctx.isReturningGeneratedKeys() || ctx.isConcurrentUpdatable())) {
            return PLAIN.create(conn, sql, ctx); // prepared another way: not kept, closed after use
        }
        return take(conn, sql);
    }

    @Override
    public void close(Connection conn, String sql, Statement stmt) throws SQLException {
        if (stmt instanceof PreparedStatement ps && !(stmt instanceof CallableStatement)) {
            give(ps);
        } else {
            stmt.close();
        }
    }

    @Override
    public Statement create(Connection conn, StatementContext ctx) throws SQLException {
        return conn.createStatement();
    }

    @Override
    public CallableStatement createCall(Connection conn, String sql, StatementContext ctx) throws SQLException {
        return conn.prepareCall(sql);
    }

    /** The handle's connection is closing: every kept statement is closed with it. */
    @Override
    public void close(Connection conn) {
        for (PreparedStatement ps : cached.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // the connection is going away
            }
        }
        cached.clear();
        inUse.clear();
    }
}
