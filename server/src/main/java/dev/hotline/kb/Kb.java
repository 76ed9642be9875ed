package dev.hotline.kb;

import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The knowledge base (BIZ-3): categories, articles reviewed before they are published, the search, questions to experts. */
public final class Kb {
    private final Clock clock;

    public Kb(Clock clock) {
        this.clock = clock;
    }

    public record CategoryInput(String name) {}

    public record ArticleInput(Long categoryId, String title, String body) {}

    public record ReviewInput(Boolean approve, String note) {}

    public record QuestionInput(String question) {}

    public record AnswerInput(String answer) {}

    /** A search hit: the article, its score and a snippet around the first match. */
    public record Hit(long id, String title, Long categoryId, int score, String snippet) {}

    public KbStore.Category saveCategory(Handle h, long e, Long id, CategoryInput in) {
        String name = Validator.clean(in.name());
        Validator.of().required("name", name).maxLength("name", name, 64).throwIfInvalid();
        boolean taken = KbStore.categories(h, e).stream().anyMatch(c -> c.name().equals(name) && !java.util.Objects.equals(c.id(), id));
        if (taken) throw DomainException.conflict("the category exists", "name", "already used");
        if (id == null) return KbStore.category(h, e, KbStore.insertCategory(h, e, name)).orElseThrow();
        category(h, e, id);
        KbStore.renameCategory(h, e, id, name);
        return KbStore.category(h, e, id).orElseThrow();
    }

    public KbStore.Category category(Handle h, long e, long id) {
        return KbStore.category(h, e, id).orElseThrow(() -> DomainException.notFound("category"));
    }

    public void deleteCategory(Handle h, long e, long id) {
        category(h, e, id);
        if (KbStore.articlesIn(h, e, id) > 0) throw DomainException.conflict("the category holds articles");
        KbStore.deleteCategory(h, e, id);
    }

    /** An article the user may see: published ones, or their own, or any for a reviewer. */
    public KbStore.Article article(Handle h, long e, long user, boolean reviewer, long id) {
        var a = KbStore.article(h, e, id).orElseThrow(() -> DomainException.notFound("article"));
        if (!reviewer && !a.status().equals("published") && !java.util.Objects.equals(a.authorId(), user)) throw DomainException.notFound("article");
        return a;
    }

    public List<KbStore.Article> articles(Handle h, long e, long user, boolean reviewer, String status, Long category) {
        Validator.of().check(status == null || ArticleStatus.parse(status).isPresent(), "status", "draft, in_review, published or rejected")
                .throwIfInvalid();
        return KbStore.articles(h, e, status, category, reviewer ? null : user);
    }

    private void checkArticle(Handle h, long e, ArticleInput in) {
        Validator v = Validator.of().required("title", Validator.clean(in.title())).maxLength("title", in.title(), 200)
                .required("body", Validator.clean(in.body())).maxLength("body", in.body(), 50000);
        if (in.categoryId() != null) v.check(KbStore.category(h, e, in.categoryId()).isPresent(), "categoryId", "no such category");
        v.throwIfInvalid();
    }

    public KbStore.Article create(Handle h, long e, long user, ArticleInput in) {
        checkArticle(h, e, in);
        long id = KbStore.insertArticle(h, e, in.categoryId(), in.title().strip(), in.body().strip(), user, clock.instant());
        return KbStore.article(h, e, id).orElseThrow();
    }

    /** The author (or a reviewer) edits; a published article goes back to draft and out of the search until reviewed again. */
    public KbStore.Article edit(Handle h, long e, long user, boolean reviewer, long id, ArticleInput in) {
        var a = article(h, e, user, reviewer, id);
        if (!reviewer && !java.util.Objects.equals(a.authorId(), user)) throw DomainException.forbidden("only the author or a reviewer edits an article");
        checkArticle(h, e, in);
        ArticleStatus s = ArticleStatus.parse(a.status()).orElseThrow();
        if (s == ArticleStatus.IN_REVIEW) throw DomainException.conflict("the article is in review");
        KbStore.updateArticle(h, e, id, in.categoryId(), in.title().strip(), in.body().strip(), clock.instant());
        if (s == ArticleStatus.PUBLISHED) {
            KbStore.setStatus(h, e, id, s.moveTo(ArticleStatus.DRAFT).key(), null, null, clock.instant());
            KbStore.reindex(h, e, id, "", "");
        }
        return KbStore.article(h, e, id).orElseThrow();
    }

    public KbStore.Article submit(Handle h, long e, long user, boolean reviewer, long id) {
        var a = article(h, e, user, reviewer, id);
        if (!reviewer && !java.util.Objects.equals(a.authorId(), user)) throw DomainException.forbidden("only the author submits an article");
        ArticleStatus next = ArticleStatus.parse(a.status()).orElseThrow().moveTo(ArticleStatus.IN_REVIEW);
        KbStore.setStatus(h, e, id, next.key(), null, null, clock.instant());
        return KbStore.article(h, e, id).orElseThrow();
    }

    public KbStore.Article review(Handle h, long e, long reviewer, long id, ReviewInput in) {
        var a = KbStore.article(h, e, id).orElseThrow(() -> DomainException.notFound("article"));
        Validator v = Validator.of().required("approve", in.approve()).maxLength("note", in.note(), 1000);
        if (Boolean.FALSE.equals(in.approve())) v.required("note", Validator.clean(in.note()));
        v.throwIfInvalid();
        ArticleStatus next = ArticleStatus.parse(a.status()).orElseThrow().moveTo(in.approve() ? ArticleStatus.PUBLISHED : ArticleStatus.REJECTED);
        KbStore.setStatus(h, e, id, next.key(), reviewer, Validator.clean(in.note()), clock.instant());
        if (next == ArticleStatus.PUBLISHED) KbStore.reindex(h, e, id, a.title(), a.body());
        return KbStore.article(h, e, id).orElseThrow();
    }

    public void delete(Handle h, long e, long user, boolean reviewer, long id) {
        var a = article(h, e, user, reviewer, id);
        if (!reviewer && !(java.util.Objects.equals(a.authorId(), user) && !a.status().equals("published"))) {
            throw DomainException.forbidden("only a reviewer deletes a published or another's article");
        }
        KbStore.deleteArticle(h, e, id);
    }

    /** Published articles holding every token of the query, best first. */
    public List<Hit> search(Handle h, long e, String q, int limit) {
        String query = Validator.clean(q);
        Validator.of().required("q", query).maxLength("q", query, 200).throwIfInvalid();
        var tokens = Tokens.query(query);
        Validator.of().check(!tokens.isEmpty() && tokens.size() <= 60, "q", "letters, digits or CJK characters (at most 60 tokens)").throwIfInvalid();
        return KbStore.search(h, e, tokens, limit).stream().map(en -> {
            var a = KbStore.article(h, e, en.getKey()).orElseThrow();
            return new Hit(a.id(), a.title(), a.categoryId(), en.getValue(), snippet(a.body(), tokens));
        }).toList();
    }

    static String snippet(String body, java.util.Set<String> tokens) {
        String lower = body.toLowerCase(java.util.Locale.ROOT);
        int at = tokens.stream().mapToInt(lower::indexOf).filter(i -> i >= 0).min().orElse(0);
        int from = Math.max(0, at - 40);
        return (from > 0 ? "…" : "") + body.substring(from, Math.min(body.length(), at + 120)) + (at + 120 < body.length() ? "…" : "");
    }

    public List<KbStore.Question> questions(Handle h, long e, Boolean answered) {
        return KbStore.questions(h, e, answered);
    }

    public KbStore.Question ask(Handle h, long e, long user, QuestionInput in) {
        Validator.of().required("question", Validator.clean(in.question())).maxLength("question", in.question(), 2000).throwIfInvalid();
        return KbStore.question(h, e, KbStore.ask(h, e, user, in.question().strip(), clock.instant())).orElseThrow();
    }

    /** The asker accepts the answer (only the asker; a question without an answer is a CONFLICT). */
    public KbStore.Question accept(Handle h, long e, long user, long id) {
        var q = KbStore.question(h, e, id).orElseThrow(() -> DomainException.notFound("question"));
        if (q.askerId() == null || q.askerId() != user) throw DomainException.forbidden("only the asker accepts an answer");
        if (q.answer() == null) throw DomainException.conflict("the question has no answer yet");
        KbStore.accept(h, e, id, clock.instant());
        return KbStore.question(h, e, id).orElseThrow();
    }

    /** An expert answers (or answers again: a new answer is to be accepted anew). */
    public KbStore.Question answer(Handle h, long e, long user, long id, AnswerInput in) {
        KbStore.question(h, e, id).orElseThrow(() -> DomainException.notFound("question"));
        Validator.of().required("answer", Validator.clean(in.answer())).maxLength("answer", in.answer(), 10000).throwIfInvalid();
        KbStore.answer(h, e, id, user, in.answer().strip(), clock.instant());
        return KbStore.question(h, e, id).orElseThrow();
    }
}
