package dev.hotline.audit;

import dev.hotline.auth.Permission;
import dev.hotline.web.Api;
import dev.hotline.domain.Validator;
import dev.hotline.web.WebServer;
import org.jdbi.v3.core.Jdbi;

/** Browsing the operation log of one's own enterprise. */
public final class AuditRoutes {
    private AuditRoutes() {}

    public static void register(Api root, AuditLog audit, Jdbi jdbi) {
        root.tagged("audit").get("/audit", "Operation log, newest first (filters: from, to as ISO-8601; user; action prefix; limit ≤ 500; offset)")
                .returns(AuditLog.Page.class).handle(Permission.AUDIT_READ, (ctx, me) -> {
                    Long limit = WebServer.longParam(ctx, "limit");
                    Long offset = WebServer.longParam(ctx, "offset");
                    Validator.of().check(limit == null || (limit >= 1 && limit <= 500), "limit", "1..500")
                            .check(offset == null || offset >= 0, "offset", "0 or more").throwIfInvalid();
                    var f = new AuditLog.Filter(WebServer.instantParam(ctx, "from"), WebServer.instantParam(ctx, "to"),
                            Validator.clean(ctx.queryParam("user")), Validator.clean(ctx.queryParam("action")),
                            limit == null ? 50 : limit.intValue(), offset == null ? 0 : offset.intValue());
                    ctx.json(jdbi.withHandle(h -> audit.search(h, me.enterpriseId(), f)));
                });
    }
}
