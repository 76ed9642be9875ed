package dev.hotline.masking;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.web.Api;
import dev.hotline.web.Json;
import org.jdbi.v3.core.Jdbi;

/** The enterprise's number masking policy (CRM-5). */
public final class MaskingRoutes {
    private MaskingRoutes() {}

    public static void register(Api root, Jdbi jdbi, Masking masking, AuditLog audit) {
        Api api = root.tagged("settings");
        api.get("/masking", "The number masking policy: mode (off, middle, name), masked roles (empty: all), per-queue modes, webhooks")
                .returns(MaskPolicy.class).handle(Permission.ROLE_READ, (ctx, me) -> ctx.json(masking.policy(me.enterpriseId())));
        api.put("/masking", "Change the number masking policy (all replaced)").body(MaskPolicy.Input.class).returns(MaskPolicy.class)
                .handle(Permission.ROLE_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, MaskPolicy.Input.class);
                    MaskPolicy saved = jdbi.inTransaction(h -> {
                        MaskPolicy p = MaskPolicy.save(h, me.enterpriseId(), in);
                        audit.record(h, me, ctx.ip(), "masking.update", p.mode().key(), "roles=" + p.roles() + " queues=" + p.queues());
                        return p;
                    });
                    masking.forget(me.enterpriseId());
                    ctx.json(saved);
                });
    }
}
