package dev.hotline.acd;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * SQL over {@code queue_callback}: the ACD-6 call backs still owed, so that a restart puts them back in their queue in their
 * place (the caller pressed the key and hung up; nobody else remembers them).
 */
final class CallbackStore {
    private CallbackStore() {}

    /** A call back still owed: the caller's place is {@code priority} and {@code enqueuedAt} (when they joined the queue). */
    record Kept(String callId, long enterpriseId, long queueId, String callerNumber, int priority, Instant enqueuedAt) {}

    static void keep(Handle h, Kept k, Instant askedAt) {
        h.createUpdate("""
                        INSERT INTO queue_callback (call_id, enterprise_id, queue_id, caller_number, priority, enqueued_at, asked_at, state)
                        VALUES (:c, :e, :q, :n, :p, :at, :asked, 'waiting')""")
                .bind("c", k.callId()).bind("e", k.enterpriseId()).bind("q", k.queueId()).bind("n", k.callerNumber())
                .bind("p", k.priority()).bind("at", Timestamp.from(k.enqueuedAt())).bind("asked", Timestamp.from(askedAt)).execute();
    }

    static void ended(Handle h, String callId, String result, Instant at) {
        h.createUpdate("UPDATE queue_callback SET state = 'done', result = :r, ended_at = :at WHERE call_id = :c AND state = 'waiting'")
                .bind("c", callId).bind("r", result).bind("at", Timestamp.from(at)).execute();
    }

    /** Ends the memory of call backs done before {@code before} (the event log keeps their story); owed ones stay. */
    static int prune(Handle h, Instant before) {
        return h.createUpdate("DELETE FROM queue_callback WHERE state = 'done' AND ended_at < :t")
                .bind("t", Timestamp.from(before)).execute();
    }

    /** The call backs still owed, in the order their callers joined their queues. */
    static List<Kept> waiting(Handle h) {
        return h.createQuery("""
                        SELECT call_id, enterprise_id, queue_id, caller_number, priority, enqueued_at FROM queue_callback
                        WHERE state = 'waiting' ORDER BY enqueued_at, call_id""")
                .map((rs, c) -> new Kept(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getInt(5),
                        rs.getTimestamp(6).toInstant())).list();
    }
}
