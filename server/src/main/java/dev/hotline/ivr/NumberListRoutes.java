package dev.hotline.ivr;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import org.jdbi.v3.core.Jdbi;

/** HTTP routes of the number lists the flows' caller condition nodes route by (ACD-4): read with ivr.read, changed with ivr.write. */
public final class NumberListRoutes {
    private NumberListRoutes() {}

    public static void register(Api root, Jdbi jdbi, AuditLog audit, NumberLists lists) {
        Api api = root.tagged("ivr");
        api.get("/ivr/number-lists", "Number lists for the flows' caller condition nodes, with their entries")
                .returnsList(NumberLists.View.class)
                .handle(Permission.IVR_READ, (ctx, me) -> ctx.json(jdbi.withHandle(h -> lists.list(h, me.enterpriseId()))));
        api.get("/ivr/number-lists/{id}", "A number list").returns(NumberLists.View.class).handle(Permission.IVR_READ, (ctx, me) ->
                ctx.json(jdbi.withHandle(h -> lists.get(h, me.enterpriseId(), WebServer.id(ctx))).orElseThrow(() -> ApiException.notFound("number list"))));
        api.post("/ivr/number-lists", "Add a number list: name, description, entries (phone numbers, or prefixes ending in *: 0755*, 138*)")
                .body(NumberLists.Input.class).returns(NumberLists.View.class).handle(Permission.IVR_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, NumberLists.Input.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> {
                        var v = lists.create(h, me.enterpriseId(), in);
                        audit.record(h, me, ctx.ip(), "ivr.numberlist.create", v.name(), v.entries().size() + " entries");
                        return v;
                    }));
                });
        api.put("/ivr/number-lists/{id}", "Change a number list (a field left out is kept; entries replace all entries; a list published "
                        + "flows name cannot be renamed)")
                .body(NumberLists.Input.class).returns(NumberLists.View.class).handle(Permission.IVR_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, NumberLists.Input.class);
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        var v = lists.update(h, me.enterpriseId(), id, in).orElseThrow(() -> ApiException.notFound("number list"));
                        audit.record(h, me, ctx.ip(), "ivr.numberlist.update", v.name(), v.entries().size() + " entries");
                        return v;
                    }));
                });
        api.delete("/ivr/number-lists/{id}", "Remove a number list no published flow routes by (409 naming the flows otherwise)")
                .handle(Permission.IVR_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    jdbi.useTransaction(h -> {
                        var v = lists.get(h, me.enterpriseId(), id).orElseThrow(() -> ApiException.notFound("number list"));
                        lists.delete(h, me.enterpriseId(), id);
                        audit.record(h, me, ctx.ip(), "ivr.numberlist.delete", v.name(), null);
                    });
                    ctx.status(204);
                });
    }
}
