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

    /**
     * One recording with the call it belongs to, as the API lists it: where it is kept ({@code archiveStatus} local,
     * archived or failed, with the last failure), how many comments it has and their average score (null: none scored).
     */
    public record RecordingView(long id, String callId, Instant startedAt, long durationMs, String format, boolean stereo,
                                long sizeBytes, String caller, String callee, String direction, String extension,
                                String archiveStatus, String archiveLocation, Instant archivedAt, String archiveError,
                                int comments, Double score) {}

    /** Where a recording is kept (REC-2); the only moves are those {@link #canMoveTo} allows. */
    public enum ArchiveStatus {
        /** Only the local file. */
        LOCAL,
        /** Copied to the archive, the copy verified and the local file removed. */
        ARCHIVED,
        /** The last upload or verification failed: the local file is kept and the next run tries again. */
        FAILED;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static ArchiveStatus parse(String s) {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        }

        public boolean canMoveTo(ArchiveStatus next) {
            return this != ARCHIVED && next != LOCAL;
        }

        /** @throws IllegalStateException for a move the archive never makes (an archived recording does not go back) */
        public ArchiveStatus moveTo(ArchiveStatus next) {
            if (!canMoveTo(next)) throw new IllegalStateException("a recording cannot go from " + key() + " to " + next.key());
            return next;
        }
    }

    /** A recording's storage: its local file (may be gone once archived) and its archive copy, if any. */
    public record Stored(long id, String callId, Path path, Instant startedAt, long durationMs, String format, boolean stereo,
                         long sizeBytes, ArchiveStatus status, String archiveLocation, String archiveSha256) {
        /** The file name the recording is downloaded as. */
        public String fileName() {
            return "recording-" + id + ".wav";
        }
    }

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
        return page(h, enterpriseId, f, null);
    }

    private static List<RecordingView> search(Handle h, long enterpriseId, Filter f, List<Long> ids) {
        return page(h, enterpriseId, f, ids).items();
    }

    private static Page page(Handle h, long enterpriseId, Filter f, List<Long> ids) {
        String where = FROM
                + (ids != null ? " AND g.id IN (<ids>)" : "")
                + (f.from() != null ? " AND g.started_at >= :from" : "")
                + (f.to() != null ? " AND g.started_at < :to" : "")
                + (f.number() != null ? " AND (r.caller LIKE :num OR r.callee LIKE :num OR r.extension = :exact)" : "");
        var count = h.createQuery("SELECT COUNT(*) " + where);
        var items = h.createQuery("SELECT g.*, r.caller, r.callee, r.direction, r.extension,"
                + " (SELECT COUNT(*) FROM recording_comment c WHERE c.recording_id = g.id) AS comment_count,"
                + " (SELECT AVG(CAST(c.score AS DOUBLE PRECISION)) FROM recording_comment c WHERE c.recording_id = g.id AND c.score IS NOT NULL) AS avg_score "
                + where
                + " ORDER BY g.started_at DESC, g.id DESC LIMIT :limit OFFSET :offset");
        for (var q : List.of(count, items)) {
            q.bind("e", enterpriseId);
            if (ids != null) q.bindList("ids", ids);
            if (f.from() != null) q.bind("from", Timestamp.from(f.from()));
            if (f.to() != null) q.bind("to", Timestamp.from(f.to()));
            if (f.number() != null) q.bind("num", "%" + f.number() + "%").bind("exact", f.number());
        }
        return new Page(count.mapTo(Long.class).one(), items.bind("limit", f.limit()).bind("offset", f.offset())
                .map((rs, c) -> new RecordingView(rs.getLong("id"), rs.getString("call_id"), rs.getTimestamp("started_at").toInstant(),
                        rs.getLong("duration_ms"), rs.getString("format"), rs.getBoolean("stereo"), rs.getLong("size_bytes"),
                        rs.getString("caller"), rs.getString("callee"), rs.getString("direction"), rs.getString("extension"),
                        rs.getString("archive_status"), rs.getString("archive_location"),
                        rs.getTimestamp("archived_at") == null ? null : rs.getTimestamp("archived_at").toInstant(), rs.getString("archive_error"),
                        rs.getInt("comment_count"), rs.getObject("avg_score") == null ? null : Math.round(rs.getDouble("avg_score") * 10) / 10.0))
                .list());
    }

    private static final String STORED = "SELECT id, call_id, path, started_at, duration_ms, format, stereo, size_bytes, archive_status,"
            + " archive_location, archive_sha256 FROM recording WHERE enterprise_id = :e AND deleted_at IS NULL";

    private static Stored stored(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Stored(rs.getLong("id"), rs.getString("call_id"), Path.of(rs.getString("path")), rs.getTimestamp("started_at").toInstant(),
                rs.getLong("duration_ms"), rs.getString("format"), rs.getBoolean("stereo"), rs.getLong("size_bytes"),
                ArchiveStatus.parse(rs.getString("archive_status")), rs.getString("archive_location"), rs.getString("archive_sha256"));
    }

    /** One live recording of the enterprise, with where it is kept. */
    public static Optional<Stored> stored(Handle h, long enterpriseId, long id) {
        return h.createQuery(STORED + " AND id = :id").bind("e", enterpriseId).bind("id", id).map((rs, c) -> stored(rs)).findOne();
    }

    /** Live recordings of the enterprise by id, in the order asked; ids not found (or another enterprise's) are left out. */
    public static List<Stored> stored(Handle h, long enterpriseId, List<Long> ids) {
        if (ids.isEmpty()) return List.of();
        var found = h.createQuery(STORED + " AND id IN (<ids>)").bind("e", enterpriseId).bindList("ids", ids).map((rs, c) -> stored(rs))
                .collectToMap(Stored::id, x -> x);
        return ids.stream().filter(found::containsKey).map(found::get).toList();
    }

    /** The call details of recordings, for a batch's manifest (keys as the list's JSON). */
    public static java.util.Map<Long, RecordingView> views(Handle h, long enterpriseId, List<Long> ids) {
        if (ids.isEmpty()) return java.util.Map.of();
        java.util.Map<Long, RecordingView> out = new java.util.HashMap<>();
        for (RecordingView v : search(h, enterpriseId, new Filter(null, null, null, Integer.MAX_VALUE, 0), ids)) out.put(v.id(), v);
        return out;
    }

    /** REC-2: recordings of the enterprise to archive: started before {@code cutoff}, kept locally or failed before. */
    public static List<Stored> toArchive(Handle h, long enterpriseId, Instant cutoff, int limit) {
        return h.createQuery(STORED + " AND archive_status IN ('local', 'failed') AND started_at < :c ORDER BY started_at, id LIMIT :limit")
                .bind("e", enterpriseId).bind("c", Timestamp.from(cutoff)).bind("limit", limit).map((rs, c) -> stored(rs)).list();
    }

    /** Moves a recording's archive status (through {@link ArchiveStatus#moveTo}): archived with its copy, or failed with why. */
    public static void archiveMoved(Handle h, Stored r, ArchiveStatus next, String location, String sha256, String error, Instant at) {
        r.status().moveTo(next);
        if (next == ArchiveStatus.ARCHIVED) {
            h.createUpdate("""
                    UPDATE recording SET archive_status = 'archived', archive_location = :loc, archive_sha256 = :sha, archived_at = :at,
                    archive_error = NULL WHERE id = :id""").bind("loc", location).bind("sha", sha256).bind("at", Timestamp.from(at))
                    .bind("id", r.id()).execute();
        } else {
            h.createUpdate("""
                    UPDATE recording SET archive_status = 'failed', archive_error = :err, archive_attempts = archive_attempts + 1
                    WHERE id = :id""").bind("err", error == null ? null : error.length() > 1000 ? error.substring(0, 1000) : error)
                    .bind("id", r.id()).execute();
        }
    }

    /** The file of one live recording of the enterprise. */
    public static Optional<Path> file(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT path FROM recording WHERE enterprise_id = :e AND id = :id AND deleted_at IS NULL")
                .bind("e", enterpriseId).bind("id", id).mapTo(String.class).findOne().map(Path::of);
    }

    /** Whether the enterprise has this live recording. */
    public static boolean exists(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT COUNT(*) FROM recording WHERE enterprise_id = :e AND id = :id AND deleted_at IS NULL")
                .bind("e", enterpriseId).bind("id", id).mapTo(Integer.class).one() > 0;
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
