package dev.hotline.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PBX-6 state that must outlive a restart (tables of V10): call backs waiting for their time, and
 * the smart direct line's memory of who called which outside number out in the last 24 h.
 * {@link ReturnCalls} keeps both in memory for the call path; this store mirrors them in the
 * database through one writer thread (the call path never waits for it) and reads them back at
 * start. {@link #close()} writes what is queued before the database closes.
 */
final class Pbx6Store {
    private static final Logger log = LoggerFactory.getLogger(Pbx6Store.class);

    /** A call back not placed yet: call {@code number} at {@code dueAt} and connect it to DID {@code did}'s destination. */
    record PendingCallback(String id, long enterpriseId, String number, String did, Instant dueAt) {}

    /** {@code extension} called outside number {@code number} at {@code at}. */
    record Outbound(long enterpriseId, String number, String extension, Instant at) {}

    private final Jdbi jdbi;
    private final Duration keep;
    private final AtomicLong writes = new AtomicLong();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hotline-pbx6-store");
        t.setDaemon(true);
        return t;
    });

    Pbx6Store(Jdbi jdbi, Duration keep) {
        this.jdbi = jdbi;
        this.keep = keep;
    }

    // --- writes, queued

    /** Remembers (asynchronously) that {@code extension} called {@code number}; now and then forgets what is older than the window. */
    void outbound(long enterpriseId, String number, String extension, Instant at) {
        boolean prune = writes.incrementAndGet() % 500 == 0;
        write("direct line " + number, h -> {
            h.createUpdate("DELETE FROM direct_line_memory WHERE enterprise_id = :e AND number = :n").bind("e", enterpriseId).bind("n", number).execute();
            h.createUpdate("INSERT INTO direct_line_memory (enterprise_id, number, extension, called_at) VALUES (:e, :n, :x, :at)")
                    .bind("e", enterpriseId).bind("n", number).bind("x", extension).bind("at", at).execute();
            if (prune) h.createUpdate("DELETE FROM direct_line_memory WHERE called_at < :since").bind("since", at.minus(keep)).execute();
        });
    }

    /** Stores (asynchronously) a call back to place at {@code dueAt}; returns its id for {@link #callbackPlaced}. */
    String callbackPending(long enterpriseId, String number, String did, Instant dueAt) {
        String id = UUID.randomUUID().toString();
        write("pending call back " + number, h -> h.createUpdate(
                "INSERT INTO pending_callback (id, enterprise_id, number, did, due_at) VALUES (:id, :e, :n, :d, :at)")
                .bind("id", id).bind("e", enterpriseId).bind("n", number).bind("d", did).bind("at", dueAt).execute());
        return id;
    }

    /** The call back is being placed (or dropped): it is no longer pending. */
    void callbackPlaced(String id) {
        write("call back placed " + id, h -> h.createUpdate("DELETE FROM pending_callback WHERE id = :id").bind("id", id).execute());
    }

    private void write(String what, Consumer<Handle> sql) {
        try {
            writer.execute(() -> {
                try {
                    jdbi.useTransaction(sql::accept);
                } catch (RuntimeException e) {
                    log.error("cannot store {}: {}", what, e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            log.warn("stopping: {} not stored", what);
        }
    }

    // --- reads, at start

    /** Who called what out since {@code since}; older entries are deleted. */
    List<Outbound> recentOutbound(Instant since) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM direct_line_memory WHERE called_at < :since").bind("since", since).execute();
            return h.createQuery("SELECT enterprise_id, number, extension, called_at FROM direct_line_memory")
                    .map((rs, ctx) -> new Outbound(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant())).list();
        });
    }

    /** The call backs not placed yet, earliest first. */
    List<PendingCallback> pendingCallbacks() {
        return jdbi.withHandle(h -> h.createQuery("SELECT id, enterprise_id, number, did, due_at FROM pending_callback ORDER BY due_at")
                .map((rs, ctx) -> new PendingCallback(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant())).list());
    }

    /** Writes what is queued (waiting a few seconds at most), then refuses further writes. */
    void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) log.warn("PBX-6 store: writes still queued at stop");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
