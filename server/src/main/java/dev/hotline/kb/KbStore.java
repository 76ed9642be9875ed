package dev.hotline.kb;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The knowledge-base tables: categories, articles and their token index, questions. */
public final class KbStore {
    private KbStore() {}

    public record Category(long id, String name) {}

    public record Article(long id, Long categoryId, String title, String body, String status, Long authorId, Long reviewerId, String reviewNote,
                          Instant createdAt, Instant updatedAt) {}

    /** A question to the experts; {@code asker} and {@code answerer} are display names; {@code acceptedAt}: the asker accepted the answer. */
    public record Question(long id, String question, Long askerId, String asker, Instant askedAt, String answer, Long answererId, String answerer,
                           Instant answeredAt, Instant acceptedAt) {}

    private static Long optLong(java.sql.ResultSet rs, String c) throws java.sql.SQLException {
        long v = rs.getLong(c);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(java.sql.ResultSet rs, String c) throws java.sql.SQLException {
        Timestamp t = rs.getTimestamp(c);
        return t == null ? null : t.toInstant();
    }

    static List<Category> categories(Handle h, long e) {
        return h.createQuery("SELECT * FROM kb_category WHERE enterprise_id = :e ORDER BY name").bind("e", e)
                .map((rs, c) -> new Category(rs.getLong("id"), rs.getString("name"))).list();
    }

    static Optional<Category> category(Handle h, long e, long id) {
        return h.createQuery("SELECT * FROM kb_category WHERE enterprise_id = :e AND id = :id").bind("e", e).bind("id", id)
                .map((rs, c) -> new Category(rs.getLong("id"), rs.getString("name"))).findOne();
    }

    static long insertCategory(Handle h, long e, String name) {
        return h.createUpdate("INSERT INTO kb_category (enterprise_id, name) VALUES (:e, :n)").bind("e", e).bind("n", name)
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    static void renameCategory(Handle h, long e, long id, String name) {
        h.createUpdate("UPDATE kb_category SET name = :n WHERE enterprise_id = :e AND id = :id").bind("e", e).bind("id", id).bind("n", name).execute();
    }

    static int articlesIn(Handle h, long e, long category) {
        return h.createQuery("SELECT COUNT(*) FROM kb_article WHERE enterprise_id = :e AND category_id = :c").bind("e", e).bind("c", category)
                .mapTo(Integer.class).one();
    }

    static void deleteCategory(Handle h, long e, long id) {
        h.createUpdate("DELETE FROM kb_category WHERE enterprise_id = :e AND id = :id").bind("e", e).bind("id", id).execute();
    }

    private static final RowMapper<Article> ARTICLE = (rs, c) -> new Article(rs.getLong("id"), optLong(rs, "category_id"), rs.getString("title"),
            rs.getString("body"), rs.getString("status"), optLong(rs, "author_id"), optLong(rs, "reviewer_id"), rs.getString("review_note"),
            instant(rs, "created_at"), instant(rs, "updated_at"));

    static Optional<Article> article(Handle h, long e, long id) {
        return h.createQuery("SELECT * FROM kb_article WHERE enterprise_id = :e AND id = :id").bind("e", e).bind("id", id).map(ARTICLE).findOne();
    }

    /** Articles, newest first; {@code status} null: any; {@code author} not null: only that author's unpublished ones besides the published. */
    static List<Article> articles(Handle h, long e, String status, Long category, Long visibleTo) {
        StringBuilder sql = new StringBuilder("SELECT * FROM kb_article WHERE enterprise_id = :e");
        if (status != null) sql.append(" AND status = :s");
        if (category != null) sql.append(" AND category_id = :c");
        if (visibleTo != null) sql.append(" AND (status = 'published' OR author_id = :u)");
        var q = h.createQuery(sql + " ORDER BY updated_at DESC, id DESC LIMIT 500").bind("e", e);
        if (status != null) q.bind("s", status);
        if (category != null) q.bind("c", category);
        if (visibleTo != null) q.bind("u", visibleTo);
        return q.map(ARTICLE).list();
    }

    static long insertArticle(Handle h, long e, Long category, String title, String body, long author, Instant at) {
        return h.createUpdate("""
                INSERT INTO kb_article (enterprise_id, category_id, title, body, status, author_id, created_at, updated_at)
                VALUES (:e, :c, :t, :b, 'draft', :a, :at, :at)""").bind("e", e).bind("c", category).bind("t", title).bind("b", body)
                .bind("a", author).bind("at", Timestamp.from(at)).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    static void updateArticle(Handle h, long e, long id, Long category, String title, String body, Instant at) {
        h.createUpdate("UPDATE kb_article SET category_id = :c, title = :t, body = :b, updated_at = :at WHERE enterprise_id = :e AND id = :id")
                .bind("e", e).bind("id", id).bind("c", category).bind("t", title).bind("b", body).bind("at", Timestamp.from(at)).execute();
    }

    static void setStatus(Handle h, long e, long id, String status, Long reviewer, String note, Instant at) {
        h.createUpdate("""
                UPDATE kb_article SET status = :s, reviewer_id = COALESCE(:r, reviewer_id), review_note = :n, updated_at = :at
                WHERE enterprise_id = :e AND id = :id""").bind("e", e).bind("id", id).bind("s", status).bind("r", reviewer).bind("n", note)
                .bind("at", Timestamp.from(at)).execute();
    }

    static void deleteArticle(Handle h, long e, long id) {
        h.createUpdate("DELETE FROM kb_token WHERE enterprise_id = :e AND article_id = :id").bind("e", e).bind("id", id).execute();
        h.createUpdate("DELETE FROM kb_article WHERE enterprise_id = :e AND id = :id").bind("e", e).bind("id", id).execute();
    }

    /** Replaces an article's index: title tokens weigh 5 per occurrence, body tokens 1. */
    static void reindex(Handle h, long e, long id, String title, String body) {
        h.createUpdate("DELETE FROM kb_token WHERE enterprise_id = :e AND article_id = :id").bind("e", e).bind("id", id).execute();
        Map<String, Integer> weights = new java.util.LinkedHashMap<>();
        Tokens.index(title).forEach((t, n) -> weights.merge(t, 5 * n, Integer::sum));
        Tokens.index(body).forEach((t, n) -> weights.merge(t, n, Integer::sum));
        var batch = h.prepareBatch("INSERT INTO kb_token (enterprise_id, article_id, token, weight) VALUES (:e, :a, :t, :w)");
        weights.forEach((t, w) -> batch.bind("e", e).bind("a", id).bind("t", t).bind("w", w).add());
        if (!weights.isEmpty()) batch.execute();
    }

    /** Published articles holding every token, best first: (article id, score). */
    static List<Map.Entry<Long, Integer>> search(Handle h, long e, java.util.Set<String> tokens, int limit) {
        return h.createQuery("""
                SELECT k.article_id, SUM(k.weight) AS score FROM kb_token k JOIN kb_article a ON a.id = k.article_id
                WHERE k.enterprise_id = :e AND a.status = 'published' AND k.token IN (<tokens>)
                GROUP BY k.article_id HAVING COUNT(*) = :n ORDER BY score DESC, k.article_id DESC LIMIT :limit""")
                .bind("e", e).bindList("tokens", List.copyOf(tokens)).bind("n", tokens.size()).bind("limit", limit)
                .map((rs, c) -> Map.entry(rs.getLong("article_id"), rs.getInt("score"))).list();
    }

    private static final RowMapper<Question> QUESTION = (rs, c) -> new Question(rs.getLong("id"), rs.getString("question"), optLong(rs, "asker_id"),
            rs.getString("asker_name"), instant(rs, "asked_at"), rs.getString("answer"), optLong(rs, "answerer_id"), rs.getString("answerer_name"),
            instant(rs, "answered_at"), instant(rs, "accepted_at"));

    private static final String QUESTIONS = "SELECT q.*, a.display_name AS asker_name, x.display_name AS answerer_name FROM kb_question q "
            + "LEFT JOIN app_user a ON a.id = q.asker_id LEFT JOIN app_user x ON x.id = q.answerer_id WHERE q.enterprise_id = :e";

    static List<Question> questions(Handle h, long e, Boolean answered) {
        String where = answered == null ? "" : answered ? " AND q.answer IS NOT NULL" : " AND q.answer IS NULL";
        return h.createQuery(QUESTIONS + where + " ORDER BY q.id DESC LIMIT 500").bind("e", e).map(QUESTION).list();
    }

    static Optional<Question> question(Handle h, long e, long id) {
        return h.createQuery(QUESTIONS + " AND q.id = :id").bind("e", e).bind("id", id).map(QUESTION).findOne();
    }

    static void accept(Handle h, long e, long id, Instant at) {
        h.createUpdate("UPDATE kb_question SET accepted_at = :at WHERE enterprise_id = :e AND id = :id")
                .bind("e", e).bind("id", id).bind("at", Timestamp.from(at)).execute();
    }

    static long ask(Handle h, long e, long user, String question, Instant at) {
        return h.createUpdate("INSERT INTO kb_question (enterprise_id, question, asker_id, asked_at) VALUES (:e, :q, :u, :at)")
                .bind("e", e).bind("q", question).bind("u", user).bind("at", Timestamp.from(at)).executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class).one();
    }

    static void answer(Handle h, long e, long id, long user, String answer, Instant at) {
        h.createUpdate("UPDATE kb_question SET answer = :a, answerer_id = :u, answered_at = :at, accepted_at = NULL WHERE enterprise_id = :e AND id = :id")
                .bind("e", e).bind("id", id).bind("a", answer).bind("u", user).bind("at", Timestamp.from(at)).execute();
    }
}
