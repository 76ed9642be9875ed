package dev.hotline.ice;

import dev.hotline.auth.Permission;
import dev.hotline.web.Api;

/** MEDIA-6 over HTTP: the browser phone asks for its STUN/TURN servers (fresh TURN credentials) before each connection. */
public final class IceServerRoutes {
    private IceServerRoutes() {}

    public static void register(Api root, IceServers servers) {
        Api r = root.tagged("agent");
        r.get("/webrtc/ice-servers", "The STUN/TURN servers for your browser phone's peer connection, with TURN credentials "
                        + "valid until expiresAt (time-limited when the server uses a TURN REST API secret); empty when none is configured")
                .returns(IceServers.Settings.class).handle(Permission.AGENT_DESK, (ctx, me) -> {
                    ctx.header("Cache-Control", "no-store");
                    ctx.json(servers.forBrowser("agent-" + me.userId()));
                });
    }
}
