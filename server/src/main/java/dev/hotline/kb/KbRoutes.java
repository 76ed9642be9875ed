package dev.hotline.kb;

import dev.hotline.auth.Permission;
import dev.hotline.domain.Validator;
import dev.hotline.web.Api;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import org.jdbi.v3.core.Jdbi;

/**
 * The knowledge base (BIZ-3) over HTTP: categories (kb.review changes them), articles (kb.write drafts and submits, kb.review
 * publishes or rejects), the search of published articles (kb.read, also from the desk) and questions (kb.read asks, kb.review
 * answers as the expert).
 */
public final class KbRoutes {
    private KbRoutes() {}

    public static void register(Api root, Jdbi jdbi, Kb kb) {
        Api api = root.tagged("kb");
        api.get("/kb-categories", "Knowledge-base categories").returnsList(KbStore.Category.class).handle(Permission.KB_READ,
                (ctx, me) -> ctx.json(jdbi.withHandle(h -> KbStore.categories(h, me.enterpriseId()))));
        api.post("/kb-categories", "Create a category").body(Kb.CategoryInput.class).returns(KbStore.Category.class)
                .handle(Permission.KB_REVIEW, (ctx, me) -> {
                    var in = Json.body(ctx, Kb.CategoryInput.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> kb.saveCategory(h, me.enterpriseId(), null, in)));
                });
        api.put("/kb-categories/{id}", "Rename a category").body(Kb.CategoryInput.class).returns(KbStore.Category.class)
                .handle(Permission.KB_REVIEW, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        kb.category(h, me.enterpriseId(), id);
                        return kb.saveCategory(h, me.enterpriseId(), id, Json.body(ctx, Kb.CategoryInput.class));
                    }));
                });
        api.delete("/kb-categories/{id}", "Delete an empty category").handle(Permission.KB_REVIEW, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> kb.deleteCategory(h, me.enterpriseId(), id));
            ctx.status(204);
        });

        api.get("/kb-articles", "Articles, newest first: published ones and your own (reviewers: all). Parameters: status, categoryId")
                .returnsList(KbStore.Article.class).handle(Permission.KB_READ, (ctx, me) -> {
                    String status = Validator.clean(ctx.queryParam("status"));
                    Long category = WebServer.longParam(ctx, "categoryId");
                    ctx.json(jdbi.withHandle(h -> kb.articles(h, me.enterpriseId(), me.userId(), me.can(Permission.KB_REVIEW), status, category)));
                });
        api.get("/kb-articles/{id}", "One article").returns(KbStore.Article.class).handle(Permission.KB_READ, (ctx, me) -> {
            long id = WebServer.id(ctx);
            ctx.json(jdbi.withHandle(h -> kb.article(h, me.enterpriseId(), me.userId(), me.can(Permission.KB_REVIEW), id)));
        });
        api.post("/kb-articles", "Write a draft article: categoryId, title, body").body(Kb.ArticleInput.class).returns(KbStore.Article.class)
                .handle(Permission.KB_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, Kb.ArticleInput.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> kb.create(h, me.enterpriseId(), me.userId(), in)));
                });
        api.put("/kb-articles/{id}", "Edit an article (its author or a reviewer); a published one goes back to draft")
                .body(Kb.ArticleInput.class).returns(KbStore.Article.class).handle(Permission.KB_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    boolean reviewer = me.can(Permission.KB_REVIEW);
                    ctx.json(jdbi.inTransaction(h -> {
                        kb.article(h, me.enterpriseId(), me.userId(), reviewer, id);
                        return kb.edit(h, me.enterpriseId(), me.userId(), reviewer, id, Json.body(ctx, Kb.ArticleInput.class));
                    }));
                });
        api.post("/kb-articles/{id}/submit", "Submit a draft or rejected article for review").returns(KbStore.Article.class)
                .handle(Permission.KB_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> kb.submit(h, me.enterpriseId(), me.userId(), me.can(Permission.KB_REVIEW), id)));
                });
        api.post("/kb-articles/{id}/review", "Publish (approve true) or reject (approve false, with a note) an article in review")
                .body(Kb.ReviewInput.class).returns(KbStore.Article.class).handle(Permission.KB_REVIEW, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        kb.article(h, me.enterpriseId(), me.userId(), true, id);
                        return kb.review(h, me.enterpriseId(), me.userId(), id, Json.body(ctx, Kb.ReviewInput.class));
                    }));
                });
        api.delete("/kb-articles/{id}", "Delete an article (a reviewer, or the author of an unpublished one)").handle(Permission.KB_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> kb.delete(h, me.enterpriseId(), me.userId(), me.can(Permission.KB_REVIEW), id));
            ctx.status(204);
        });
        api.get("/kb-search", "Search published articles (Chinese and English): every word of q must match; best first, at most 20,"
                + " with a snippet").returnsList(Kb.Hit.class).handle(Permission.KB_READ, (ctx, me) -> {
                    String q = ctx.queryParam("q");
                    ctx.json(jdbi.withHandle(h -> kb.search(h, me.enterpriseId(), q, 20)));
                });

        api.get("/kb-questions", "Questions to the experts, newest first. Parameter: answered (true or false)").returnsList(KbStore.Question.class)
                .handle(Permission.KB_READ, (ctx, me) -> {
                    String a = Validator.clean(ctx.queryParam("answered"));
                    Validator.of().check(a == null || a.equals("true") || a.equals("false"), "answered", "true or false").throwIfInvalid();
                    ctx.json(jdbi.withHandle(h -> kb.questions(h, me.enterpriseId(), a == null ? null : Boolean.valueOf(a))));
                });
        api.post("/kb-questions", "Ask the experts a question").body(Kb.QuestionInput.class).returns(KbStore.Question.class)
                .handle(Permission.KB_READ, (ctx, me) -> {
                    var in = Json.body(ctx, Kb.QuestionInput.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> kb.ask(h, me.enterpriseId(), me.userId(), in)));
                });
        api.post("/kb-questions/{id}/answer", "Answer a question (the expert: kb.review)").body(Kb.AnswerInput.class)
                .returns(KbStore.Question.class).handle(Permission.KB_REVIEW, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> kb.answer(h, me.enterpriseId(), me.userId(), id, Json.body(ctx, Kb.AnswerInput.class))));
                });
        api.post("/kb-questions/{id}/accept", "Accept the answer to your question (only the asker; 409 while it has no answer)")
                .returns(KbStore.Question.class).handle(Permission.KB_READ, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> kb.accept(h, me.enterpriseId(), me.userId(), id)));
                });
    }
}
