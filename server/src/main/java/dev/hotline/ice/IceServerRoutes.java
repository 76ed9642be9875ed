package dev.hotline.ice;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.web.Api;
import dev.hotline.web.Json;
import java.util.function.LongConsumer;
import org.jdbi.v3.core.Jdbi;

/**
 * MEDIA-6 over HTTP: the browser phone asks for its STUN/TURN servers (fresh TURN credentials) before each connection;
 * the enterprise's browser media settings (Opus on or off).
 */
public final class IceServerRoutes {
    private IceServerRoutes() {}

    /**
     * @param settingsChanged told the enterprise after its settings changed (the agents' desks offer again, so that
     *                        their next call has the codec now in force)
     */
    public static void register(Api root, IceServers servers, Jdbi jdbi, AuditLog audit, LongConsumer settingsChanged) {
        Api r = root.tagged("agent");
        r.get("/webrtc/ice-servers", "The STUN/TURN servers for your browser phone's peer connection, with TURN credentials "
                        + "valid until expiresAt (time-limited when the server uses a TURN REST API secret); empty when none is configured")
                .returns(IceServers.Settings.class).handle(Permission.AGENT_DESK, (ctx, me) -> {
                    ctx.header("Cache-Control", "no-store");
                    ctx.json(servers.forBrowser("agent-" + me.userId()));
                });
        Api s = root.tagged("settings");
        s.get("/settings/webrtc", "Whether browsers (browser phones, the call-us widget) are answered with Opus when they offer it")
                .returns(WebRtcSettings.class).handle(Permission.ROUTING_READ, (ctx, me) ->
                        ctx.json(jdbi.withHandle(h -> WebRtcSettings.load(h, me.enterpriseId()))));
        s.put("/settings/webrtc", "Offer Opus to browsers (default) or G.711 only (no Opus encoding and decoding on the server); "
                        + "in force for each browser's next call")
                .body(WebRtcSettings.Input.class).returns(WebRtcSettings.class).handle(Permission.ROUTING_WRITE, (ctx, me) -> {
                    WebRtcSettings in = WebRtcSettings.validate(Json.body(ctx, WebRtcSettings.Input.class));
                    jdbi.useTransaction(h -> {
                        in.save(h, me.enterpriseId());
                        audit.record(h, me, ctx.ip(), "settings.webrtc", null, "opus=" + in.opus());
                    });
                    settingsChanged.accept(me.enterpriseId());
                    ctx.json(in);
                });
    }
}
