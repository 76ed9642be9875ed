package dev.hotline.recording;

import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * REC-3: comments and scores on a recording (quality review): anyone who may hear the recording may comment, with an
 * optional score of 1 to 5; each comment names who wrote it and when; only its author deletes it.
 */
public final class RecordingComments {
    private RecordingComments() {}

    public static final int MAX_TEXT = 2000;

    /** One comment as the API lists it. */
    public record Comment(long id, long recordingId, long userId, String userName, Integer score, String text, Instant createdAt) {}

    /** @param text the comment (may be blank when a score is given); @param score 1..5 or null */
    public record Input(String text, Integer score) {}

    public static List<Comment> list(Handle h, long enterpriseId, long recordingId) {
        if (!RecordingStore.exists(h, enterpriseId, recordingId)) throw DomainException.notFound("recording");
        return h.createQuery("""
                SELECT c.*, u.display_name, u.username FROM recording_comment c JOIN app_user u ON u.id = c.user_id
                WHERE c.enterprise_id = :e AND c.recording_id = :r ORDER BY c.created_at, c.id""")
                .bind("e", enterpriseId).bind("r", recordingId)
                .map((rs, ctx) -> new Comment(rs.getLong("id"), rs.getLong("recording_id"), rs.getLong("user_id"),
                        rs.getString("display_name") == null || rs.getString("display_name").isBlank() ? rs.getString("username")
                                : rs.getString("display_name"),
                        rs.getObject("score") == null ? null : rs.getInt("score"), rs.getString("body"), rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    /** Adds a comment by {@code userId}; a bad text or score is a 400 naming the field. */
    public static Comment add(Handle h, long enterpriseId, long recordingId, long userId, Input in, Instant now) {
        if (!RecordingStore.exists(h, enterpriseId, recordingId)) throw DomainException.notFound("recording");
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        String text = in.text() == null ? null : in.text().strip();
        if (text != null && text.isEmpty()) text = null;
        Validator.of().check(in.score() == null || in.score() >= 1 && in.score() <= 5, "score", "1..5")
                .check(text != null || in.score() != null, "text", "write a comment or give a score")
                .maxLength("text", text, MAX_TEXT).throwIfInvalid();
        long id = h.createUpdate("""
                INSERT INTO recording_comment (enterprise_id, recording_id, user_id, score, body, created_at)
                VALUES (:e, :r, :u, :s, :b, :at)""").bind("e", enterpriseId).bind("r", recordingId).bind("u", userId)
                .bind("s", in.score()).bind("b", text).bind("at", Timestamp.from(now))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return list(h, enterpriseId, recordingId).stream().filter(c -> c.id() == id).findFirst().orElseThrow();
    }

    /** Deletes one's own comment: another's is refused (403), an unknown one is 404. */
    public static void delete(Handle h, long enterpriseId, long recordingId, long commentId, long userId) {
        Long author = h.createQuery("SELECT user_id FROM recording_comment WHERE enterprise_id = :e AND recording_id = :r AND id = :id")
                .bind("e", enterpriseId).bind("r", recordingId).bind("id", commentId).mapTo(Long.class).findOne()
                .orElseThrow(() -> DomainException.notFound("comment"));
        if (author != userId) throw DomainException.forbidden("only its author deletes a comment");
        h.createUpdate("DELETE FROM recording_comment WHERE id = :id").bind("id", commentId).execute();
    }
}
