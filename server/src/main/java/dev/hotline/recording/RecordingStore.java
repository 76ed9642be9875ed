package dev.hotline.recording;

import dev.hotline.report.CallLogEvent;
import dev.hotline.report.LogEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for recordings. A row is written by the event log when the engine reports the file finished. */
public final class RecordingStore {
    private RecordingStore() {}

    /** One recording with the call it belongs to, as the API lists it. */
    public record RecordingView(long id, String callId, Instant startedAt, long durationMs, String format, boolean stereo,
                                long sizeBytes, String caller, String callee, String direction, String extension) {}

    /** Called from the event log's writer thread: stats the file there, off the call path. */
    /** The recording table kept from the call event log ({@link dev.hotline.report.Projection}). */
    public static void project(Handle h, LogEvent e) {
        if (e instanceof CallLogEvent.Recorded r) {
            insert(h, r.enterpriseId(), r.callId(), r.path(), r.format(), r.stereo(), r.startedAt(), r.durationMs());
        }
    }

    public static void insert(Handle h, long enterpriseId, String callId, Path path, String format, boolean stereo,
                              Instant startedAt, long durationMs) {
        long size;
        try {
            size = Files.size(path);
        } catch (java.io.IOException e) {
            size = 0;
        }
        h.createUpdate("""
                INSERT INTO recording (enterprise_id, call_id, path, format, stereo, started_at, duration_ms, size_bytes)
                VALUES (:e, :c, :p, :f, :s, :at, :d, :size)""")
                .bind("e", enterpriseId).bind("c", callId).bind("p", path.toString()).bind("f", format).bind("s", stereo)
                .bind("at", Timestamp.from(startedAt)).bind("d", durationMs).bind("size", size).execute();
    }

    public record Filter(Instant from, Instant to, String number, int limit, int offset) {}

    public record Page(long total, List<RecordingView> items) {}

    private static final String FROM = """
             FROM recording g LEFT JOIN call_record r ON r.call_id = g.call_id
             WHERE g.enterprise_id = :e AND g.deleted_at IS NULL""";

    public static Page search(Handle h, long enterpriseId, Filter f) {
        String where = FROM
                + (f.from() != null ? " AND g.started_at >= :from" : "")
                + (f.to() != null ? " AND g.started_at < :to" : "")
                + (f.number() != null ? " AND (r.caller LIKE :num OR r.callee LIKE :num OR r.extension = :exact)" : "");
        var count = h.createQuery("SELECT COUNT(*) " + where);
        var items = h.createQuery("SELECT g.*, r.caller, r.callee, r.direction, r.extension " + where
                + " ORDER BY g.started_at DESC, g.id DESC LIMIT :limit OFFSET :offset");
        for (var q : List.of(count, items)) {
            q.bind("e", enterpriseId);
            if (f.from() != null) q.bind("from", Timestamp.from(f.from()));
            if (f.to() != null) q.bind("to", Timestamp.from(f.to()));
            if (f.number() != null) q.bind("num", "%" + f.number() + "%").bind("exact", f.number());
        }
        return new Page(count.mapTo(Long.class).one(), items.bind("limit", f.limit()).bind("offset", f.offset())
                .map((rs, c) -> new RecordingView(rs.getLong("id"), rs.getString("call_id"), rs.getTimestamp("started_at").toInstant(),
                        rs.getLong("duration_ms"), rs.getString("format"), rs.getBoolean("stereo"), rs.getLong("size_bytes"),
                        rs.getString("caller"), rs.getString("callee"), rs.getString("direction"), rs.getString("extension")))
                .list());
    }

    /** The file of one live recording of the enterprise. */
    public static Optional<Path> file(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT path FROM recording WHERE enterprise_id = :e AND id = :id AND deleted_at IS NULL")
                .bind("e", enterpriseId).bind("id", id).mapTo(String.class).findOne().map(Path::of);
    }

    /** Recordings of the enterprise older than {@code cutoff}, for retention. */
    public static List<Long> olderThan(Handle h, long enterpriseId, Instant cutoff) {
        return h.createQuery("SELECT id FROM recording WHERE enterprise_id = :e AND deleted_at IS NULL AND started_at < :c")
                .bind("e", enterpriseId).bind("c", Timestamp.from(cutoff)).mapTo(Long.class).list();
    }

    public static void markDeleted(Handle h, long id, Instant at) {
        h.createUpdate("UPDATE recording SET deleted_at = :at WHERE id = :id").bind("at", Timestamp.from(at)).bind("id", id).execute();
    }
}
