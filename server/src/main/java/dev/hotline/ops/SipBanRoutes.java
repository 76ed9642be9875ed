package dev.hotline.ops;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.domain.DomainException;
import dev.hotline.engine.call.SipBans;
import dev.hotline.web.Api;
import java.time.Instant;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;

/**
 * SEC-1 for the operator: the SIP bans in force (scanners, OPTIONS sweeps, password guessing per address and per
 * account), and lifting one early. Bans are server-wide, so only the operator sees them.
 */
public final class SipBanRoutes {
    private SipBanRoutes() {
    }

    public static void register(Api root, SipBans bans, Jdbi jdbi, AuditLog audit) {
        Api r = root.tagged("operations");
        r.get("/sip-bans", "SIP bans in force, newest first (operator)").returnsList(BanView.class)
                .handle(Permission.ENTERPRISE_MANAGE, (ctx, me) -> ctx.json(bans.list().stream().map(BanView::of).toList()));
        r.delete("/sip-bans/{kind}/{key}", "Lift a SIP ban early (operator); kind is address or account")
                .handle(Permission.ENTERPRISE_MANAGE, (ctx, me) -> {
                    SipBans.Kind kind = kind(ctx.pathParam("kind"));
                    String key = ctx.pathParam("key");
                    if (!bans.lift(kind, key)) {
                        throw DomainException.notFound("SIP ban");
                    }
                    jdbi.useHandle(h -> audit.record(h, me, ctx.ip(), "sip.unban", kind.name().toLowerCase(Locale.ROOT) + " " + key, null));
                    ctx.status(204);
                });
    }

    /** A ban as the console shows it; {@code id} ({@code kind/key}) is the tail of its DELETE path. */
    public record BanView(String id, String kind, String key, String reason, Instant since, Instant until) {
        static BanView of(SipBans.Ban b) {
            String kind = b.kind().name().toLowerCase(Locale.ROOT);
            return new BanView(kind + "/" + b.key(), kind, b.key(), b.reason(), b.since(), b.until());
        }
    }

    private static SipBans.Kind kind(String s) {
        try {
            return SipBans.Kind.valueOf(s.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("kind", "must be address or account");
        }
    }
}
