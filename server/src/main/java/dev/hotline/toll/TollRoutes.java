package dev.hotline.toll;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.masking.Masking;
import dev.hotline.web.Api;
import dev.hotline.web.Json;
import org.jdbi.v3.core.Jdbi;

/** SEC-1 over HTTP: an enterprise's toll-fraud limits, and what it has used against them. */
public final class TollRoutes {
    private TollRoutes() {}

    public static void register(Api root, TollGuard guard, Jdbi jdbi, AuditLog audit, Masking masking) {
        Api r = root.tagged("settings");
        r.get("/toll-policy", "The enterprise's toll-fraud limits on calls out (international off by default; null: no limit)")
                .returns(TollPolicy.class).handle(Permission.ROUTING_READ, (ctx, me) -> ctx.json(guard.policy(me.enterpriseId())));
        r.put("/toll-policy", "Change the toll-fraud limits").body(TollPolicy.class).returns(TollPolicy.class)
                .handle(Permission.ROUTING_WRITE, (ctx, me) -> {
                    TollPolicy in = TollPolicy.validate(Json.body(ctx, TollPolicy.class));
                    jdbi.useTransaction(h -> {
                        in.save(h, me.enterpriseId());
                        audit.record(h, me, ctx.ip(), "toll.policy", null, "international=" + in.international()
                                + " prefixes=" + in.allowedPrefixes().size());
                    });
                    guard.policyChanged(me.enterpriseId(), in);
                    ctx.json(in);
                });
        r.get("/toll-policy/usage", "Calls, billed minutes and spend of the last hour and day against the limits, and the refusals of the "
                + "last 10 minutes").returns(TollGuard.Usage.class)
                .handle(Permission.ROUTING_READ, (ctx, me) -> ctx.json(masking.forViewer(me).json(guard.usage(me.enterpriseId()))));
    }
}
