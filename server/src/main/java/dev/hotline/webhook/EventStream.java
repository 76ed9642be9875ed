package dev.hotline.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.domain.JsonMapper;
import dev.hotline.report.LogEvent;
import dev.hotline.report.Projection;
import dev.hotline.store.StatementCache;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API-2, the enterprise-wide event stream (transport-free; the WebSocket is {@link EventStreamRoutes}). Every event of the
 * event log is numbered by a row of {@code event_stream} written in the event's own transaction ({@link #apply}, in one batch per transaction); the
 * sequence number only grows (one writer, the event log). A subscriber is sent its enterprise's events after a given
 * number, in order, by one thread of its own polling the table, so a client that reconnects with the last number it saw
 * gets every event it missed, once, and no caller waits for a slow client. Rows are kept for {@link #RETENTION}.
 */
public final class EventStream implements Projection, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventStream.class);
    static final Duration RETENTION = Duration.ofHours(24);
    static final int BATCH = 500;

    /** Where a subscriber's messages go; false when the connection is gone. */
    public interface Sink {
        boolean send(String json);
    }

    /** @param types the patterns of the events it wants ({@code *}, {@code ticket.*}, {@code call.closed}, …) */
    private record Subscriber(long enterpriseId, List<String> types, Sink sink, AtomicLong cursor) {}

    private final Jdbi jdbi;
    private final Clock clock;
    private final Map<Object, Subscriber> subscribers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService pump = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "event-stream");
        t.setDaemon(true);
        return t;
    });

    public EventStream(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
        pump.scheduleWithFixedDelay(this::pumpOnce, 200, 200, TimeUnit.MILLISECONDS);
    }

    // the rows of the event log's current batch (a plain JDBC batch: positional, cheap per row); the event log's writer thread only
    private Handle pendingHandle;
    private PreparedStatement pending;
    private int pendingRows;

    /** The event log's projection: the event's number and body, in the event's transaction (written at {@link #flush}). */
    @Override
    public void apply(Handle h, LogEvent e) {
        try {
            if (pending == null || pendingHandle != h) { // a new transaction (a failed batch's rows went with its rollback)
                closePending();
                pending = StatementCache.prepare(h, INSERT);
                pendingHandle = h;
                pendingRows = 0;
            }
            String type = Webhooks.typeOf(e);
            pending.setLong(1, e.enterpriseId());
            pending.setString(2, type);
            pending.setString(3, Webhooks.body(e, type));
            pending.setTimestamp(4, Timestamp.from(clock.instant()));
            pending.addBatch();
            pendingRows++;
        } catch (SQLException ex) {
            throw new IllegalStateException("event stream row not written: " + ex.getMessage(), ex);
        }
    }

    @Override
    public void flush(Handle h) {
        try {
            if (pending != null && pendingHandle == h && pendingRows > 0) {
                pending.executeBatch();
            }
        } catch (SQLException ex) {
            throw new IllegalStateException("event stream rows not written: " + ex.getMessage(), ex);
        } finally {
            closePending();
        }
    }

    private static final String INSERT = "INSERT INTO event_stream (enterprise_id, event_type, body, created_at) VALUES (?, ?, ?, ?)";

    private void closePending() {
        if (pending != null) {
            try {
                StatementCache.release(pendingHandle, pending); // kept for the next batch on the event log's own connection
            } catch (SQLException ignored) {
                // its transaction is gone already
            }
        }
        pending = null;
        pendingHandle = null;
        pendingRows = 0;
    }

    /** What a subscriber is told first: where its stream starts and the oldest number still kept for its enterprise. */
    public record Start(long after, Long oldestKept) {}

    /** Where a stream of the enterprise's events after {@code after} starts; null: from now on. */
    public Start start(long enterpriseId, Long after) {
        long from = after != null ? after : jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM event_stream")
                .mapTo(Long.class).one());
        Long oldest = jdbi.withHandle(h -> h.createQuery("SELECT MIN(id) FROM event_stream WHERE enterprise_id = :e").bind("e", enterpriseId)
                .mapTo(Long.class).findOne().orElse(null));
        return new Start(from, oldest);
    }

    /** Subscribes {@code key} (its connection) to the enterprise's events after number {@code after}. */
    public void subscribe(Object key, long enterpriseId, long after, Sink sink) {
        subscribe(key, enterpriseId, after, List.of("*"), sink);
    }

    /**
     * Subscribes {@code key} (its connection) to the enterprise's events of {@code types} after number {@code after}; the
     * others are passed over (numbers of a filtered stream have gaps).
     *
     * @param types patterns as subscriptions name them ({@link Webhooks#knownPattern}); the caller has checked them
     */
    public void subscribe(Object key, long enterpriseId, long after, List<String> types, Sink sink) {
        subscribers.put(key, new Subscriber(enterpriseId, List.copyOf(types), sink, new AtomicLong(after)));
    }

    public void unsubscribe(Object key) {
        subscribers.remove(key);
    }

    /** Subscribers now (tests, metrics). */
    public int subscribers() {
        return subscribers.size();
    }

    private record Row(long id, String type, String body) {}

    private void pumpOnce() {
        if (subscribers.isEmpty()) return;
        try {
            long last = jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM event_stream").mapTo(Long.class).one());
            for (Map.Entry<Object, Subscriber> en : subscribers.entrySet()) {
                Subscriber s = en.getValue();
                if (s.cursor().get() >= last) continue;
                List<Row> rows = jdbi.withHandle(h -> h.createQuery(
                                "SELECT id, event_type, body FROM event_stream WHERE enterprise_id = :e AND id > :after ORDER BY id LIMIT :l")
                        .bind("e", s.enterpriseId()).bind("after", s.cursor().get()).bind("l", BATCH)
                        .map((rs, c) -> new Row(rs.getLong("id"), rs.getString("event_type"), rs.getString("body"))).list());
                for (Row row : rows) {
                    if (Webhooks.matches(s.types(), row.type()) && !s.sink().send(message(row.id(), row.body()))) {
                        subscribers.remove(en.getKey());
                        break;
                    }
                    s.cursor().set(row.id());
                }
                // Nothing of this enterprise up to the last number: the next read starts there.
                if (rows.size() < BATCH) s.cursor().accumulateAndGet(last, Math::max);
            }
        } catch (RuntimeException e) {
            log.warn("event stream: {}", e.toString());
        }
    }

    /** The message of event number {@code seq}: {@code {"seq":…,"id":…,"type":…,"at":…,"data":{…}}}. */
    static String message(long seq, String body) {
        try {
            JsonNode b = JsonMapper.MAPPER.readTree(body);
            ObjectNode m = JsonMapper.MAPPER.createObjectNode();
            m.put("seq", seq);
            m.setAll((ObjectNode) b);
            m.remove("enterpriseId");
            return m.toString();
        } catch (Exception e) {
            throw new IllegalStateException("stored event " + seq + " is not JSON", e);
        }
    }

    /** Deletes rows older than the retention; returns how many. */
    public int prune() {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM event_stream WHERE created_at < :t")
                .bind("t", Timestamp.from(clock.instant().minus(RETENTION))).execute());
    }

    @Override
    public void close() {
        pump.shutdownNow();
    }
}
