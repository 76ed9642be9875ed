package dev.hotline.ivr;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import org.jdbi.v3.core.Jdbi;

/**
 * HTTP routes of the external databases the flows' lookup nodes read (IVR-1): listed with ivr.read, changed with ivr.write
 * (as flows are); a password is taken, sealed, and never returned (only {@code passwordSet}).
 */
public final class DataSourceRoutes {
    private DataSourceRoutes() {}

    public static void register(Api root, Jdbi jdbi, AuditLog audit, DataSources sources) {
        Api api = root.tagged("ivr");
        api.get("/ivr/data-sources", "External databases for the flows' database lookup nodes (passwords are never returned)")
                .returnsList(DataSources.View.class)
                .handle(Permission.IVR_READ, (ctx, me) -> ctx.json(jdbi.withHandle(h -> sources.list(h, me.enterpriseId()))));
        api.get("/ivr/data-sources/{id}", "An external database").returns(DataSources.View.class).handle(Permission.IVR_READ, (ctx, me) ->
                ctx.json(jdbi.withHandle(h -> sources.get(h, me.enterpriseId(), WebServer.id(ctx))).orElseThrow(() -> ApiException.notFound("data source"))));
        api.post("/ivr/data-sources", "Add an external database: name, url (jdbc:postgresql:// or jdbc:h2:tcp://), username, password, "
                        + "maxRows (1..1000, default 10), timeoutMs (100..30000, default 3000)")
                .body(DataSources.Input.class).returns(DataSources.View.class).handle(Permission.IVR_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, DataSources.Input.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> {
                        var v = sources.create(h, me.enterpriseId(), in);
                        audit.record(h, me, ctx.ip(), "ivr.datasource.create", v.name(), v.url());
                        return v;
                    }));
                });
        api.put("/ivr/data-sources/{id}", "Change an external database (a field left out is kept; password \"\" removes it)")
                .body(DataSources.Input.class).returns(DataSources.View.class).handle(Permission.IVR_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, DataSources.Input.class);
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        var v = sources.update(h, me.enterpriseId(), id, in).orElseThrow(() -> ApiException.notFound("data source"));
                        audit.record(h, me, ctx.ip(), "ivr.datasource.update", v.name(), in.password() != null ? "password changed" : null);
                        return v;
                    }));
                });
        api.delete("/ivr/data-sources/{id}", "Remove an external database (flows naming it fail validation, and their lookups take the error exit)")
                .handle(Permission.IVR_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    jdbi.useTransaction(h -> {
                        var v = sources.get(h, me.enterpriseId(), id).orElseThrow(() -> ApiException.notFound("data source"));
                        sources.delete(h, me.enterpriseId(), id);
                        audit.record(h, me, ctx.ip(), "ivr.datasource.delete", v.name(), null);
                    });
                    ctx.status(204);
                });
    }
}
