package dev.hotline.tenant;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.web.Api;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import org.jdbi.v3.core.Jdbi;

/** The operator's routes: list, create, rename, enable and disable enterprises. */
public final class EnterpriseRoutes {
    private EnterpriseRoutes() {}

    public static void register(Api root, Enterprises enterprises, Jdbi jdbi, AuditLog audit) {
        Api api = root.tagged("enterprises");
        api.get("/enterprises", "List enterprises (operator)").returnsList(Enterprise.class).handle(Permission.ENTERPRISE_MANAGE, (ctx, me) ->
                ctx.json(jdbi.withHandle(EnterpriseStore::list)));
        api.post("/enterprises", "Create an enterprise with its first admin (operator)").body(Enterprises.CreateRequest.class)
                .returns(Enterprise.class).handle(Permission.ENTERPRISE_MANAGE, (ctx, me) -> {
                    var in = Json.body(ctx, Enterprises.CreateRequest.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> {
                        Enterprise e = enterprises.create(h, in);
                        audit.record(h, me, ctx.ip(), "enterprise.create", e.code(), "admin=" + in.adminUsername());
                        return e;
                    }));
                });
        api.put("/enterprises/{id}", "Rename, enable or disable an enterprise (operator)").body(Enterprises.UpdateRequest.class)
                .returns(Enterprise.class).handle(Permission.ENTERPRISE_MANAGE, (ctx, me) -> {
                    var in = Json.body(ctx, Enterprises.UpdateRequest.class);
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        Enterprise e = enterprises.update(h, id, in);
                        audit.record(h, me, ctx.ip(), "enterprise.update", e.code(), "name=" + e.name() + " enabled=" + e.enabled());
                        return e;
                    }));
                });
    }
}
