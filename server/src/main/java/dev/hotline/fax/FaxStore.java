package dev.hotline.fax;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** MSG-5: the faxes of an enterprise (table {@code fax}, migration V75). */
public final class FaxStore {
    private FaxStore() {}

    /** A fax as the API shows it; {@code document} is true when its TIFF can be downloaded. */
    public record Fax(long id, String direction, String number, String localNumber, FaxStatus status, int pages,
                      boolean fine, String error, String remoteId, boolean document, String callId, Long userId,
                      Instant createdAt, Instant doneAt) {}

    private static final String COLUMNS = "id, direction, number, local_number, status, pages, fine, error, remote_id, "
            + "file_name, call_id, user_id, created_at, done_at";

    static long insert(Handle h, long enterpriseId, String direction, String number, String localNumber, FaxStatus status,
                       boolean fine, Long userId, Instant at) {
        return h.createUpdate("INSERT INTO fax (enterprise_id, direction, number, local_number, status, fine, user_id, created_at) "
                        + "VALUES (:e, :d, :n, :l, :s, :f, :u, :at)")
                .bind("e", enterpriseId).bind("d", direction).bind("n", number).bind("l", localNumber)
                .bind("s", status.key()).bind("f", fine).bind("u", userId).bind("at", at)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    static void update(Handle h, long id, FaxStatus status, int pages, String error, String remoteId, String fileName,
                       String callId, Instant doneAt) {
        h.createUpdate("UPDATE fax SET status = :s, pages = :p, error = :err, remote_id = COALESCE(:r, remote_id), "
                        + "file_name = COALESCE(:file, file_name), call_id = COALESCE(:c, call_id), done_at = :done WHERE id = :id")
                .bind("s", status.key()).bind("p", pages).bind("err", error).bind("r", remoteId).bind("file", fileName)
                .bind("c", callId).bind("done", doneAt).bind("id", id).execute();
    }

    public static List<Fax> list(Handle h, long enterpriseId, int limit) {
        return h.createQuery("SELECT " + COLUMNS + " FROM fax WHERE enterprise_id = :e ORDER BY id DESC LIMIT :l")
                .bind("e", enterpriseId).bind("l", limit).map((rs, c) -> map(rs)).list();
    }

    public static Optional<Fax> get(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM fax WHERE enterprise_id = :e AND id = :id")
                .bind("e", enterpriseId).bind("id", id).map((rs, c) -> map(rs)).findOne();
    }

    static Optional<String> fileName(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT file_name FROM fax WHERE enterprise_id = :e AND id = :id")
                .bind("e", enterpriseId).bind("id", id).mapTo(String.class).findOne();
    }

    private static Fax map(java.sql.ResultSet rs) throws java.sql.SQLException {
        long user = rs.getLong("user_id");
        boolean noUser = rs.wasNull();
        java.sql.Timestamp done = rs.getTimestamp("done_at");
        return new Fax(rs.getLong("id"), rs.getString("direction"), rs.getString("number"), rs.getString("local_number"),
                FaxStatus.of(rs.getString("status")), rs.getInt("pages"), rs.getBoolean("fine"), rs.getString("error"),
                rs.getString("remote_id"), rs.getString("file_name") != null, rs.getString("call_id"), noUser ? null : user,
                rs.getTimestamp("created_at").toInstant(), done == null ? null : done.toInstant());
    }
}
