package dev.hotline.monitor;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.branding.Branding;
import dev.hotline.masking.Masking;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Jdbi;

/** SUP-1 over HTTP: the monitor once, or as a stream of server-sent {@code snapshot} events. */
public final class MonitorRoutes {
    private MonitorRoutes() {}

    /** A wallboard link: the token, and the page's address (relative to the server). */
    public record Link(String token, String url) {}

    public static void register(Api root, Monitor monitor, Jdbi jdbi, AuditLog audit, Masking masking, Branding branding) {
        Api r = root.tagged("monitor");
        r.get("/monitor", "The live monitor now: queues (live and today's figures, the same as the reports), agents, calls, supervisions")
                .returns(Monitor.Snapshot.class).handle(Permission.MONITOR_READ, (ctx, me) -> ctx.json(masking.forViewer(me).json(monitor.snapshot(me.enterpriseId()))));
        r.get("/monitor/agents/{id}", "The agent view: one agent now (state, time in state, reason, current call) and today (the agents report's "
                + "figures, the state log)").returns(Monitor.AgentNow.class)
                .handle(Permission.MONITOR_READ, (ctx, me) -> ctx.json(masking.forViewer(me).json(monitor.agent(me.enterpriseId(), WebServer.id(ctx)))));
        r.get("/monitor/agents/{id}/stream", "The agent view as server-sent events: an `agent` event (the body of GET /monitor/agents/{id}) at "
                + "once and whenever the agent's state or call changes").handle(Permission.MONITOR_READ, (ctx, me) -> {
                    long agent = WebServer.id(ctx);
                    monitor.checkAgent(me.enterpriseId(), agent); // another enterprise's agent, or no agent: 404 before the stream opens
                    new SseHandler(client -> {
                        Runnable stop = monitor.subscribeAgent(me.enterpriseId(), agent, sink(client, "agent", json -> masking.forViewer(me).jsonText(json)));
                        client.onClose(stop);
                        client.keepAlive();
                    }).handle(ctx);
                });
        r.get("/monitor/stream", "The live monitor as server-sent events: a `snapshot` (the body of GET /monitor) at once and whenever it changes")
                .handle(Permission.MONITOR_READ, (ctx, me) -> new SseHandler(client -> {
                    // CRM-5: each snapshot as this supervisor may see its numbers.
                    Runnable stop = monitor.subscribe(me.enterpriseId(), sink(client, json -> masking.forViewer(me).jsonText(json)));
                    client.onClose(stop);
                    client.keepAlive();
                }).handle(ctx));

        // ---- SUP-3: thresholds and alerts, and the wallboard's read-only link
        Api st = root.tagged("settings");
        st.get("/settings/monitor", "The zone of the enterprise's day, from whose midnight the monitor and wallboard count today (null: the server's)")
                .returns(MonitorSettings.class).handle(Permission.MONITOR_READ, (ctx, me) ->
                        ctx.json(jdbi.withHandle(h -> MonitorSettings.load(h, me.enterpriseId()))));
        st.put("/settings/monitor", "Change the zone of the enterprise's day").body(MonitorSettings.Input.class).returns(MonitorSettings.class)
                .handle(Permission.AGENT_MANAGE, (ctx, me) -> {
                    MonitorSettings in = MonitorSettings.validate(Json.body(ctx, MonitorSettings.Input.class));
                    jdbi.useTransaction(h -> {
                        in.save(h, me.enterpriseId());
                        audit.record(h, me, ctx.ip(), "settings.monitor", null, "timeZone=" + in.timeZone());
                    });
                    monitor.settingsChanged(me.enterpriseId());
                    ctx.json(in);
                });
        st.get("/settings/wallboard", "Thresholds that turn queues amber or red and raise alerts (defaults, and per queue by name)")
                .returns(WallboardSettings.class).handle(Permission.MONITOR_READ, (ctx, me) ->
                        ctx.json(jdbi.withHandle(h -> WallboardSettings.load(h, me.enterpriseId()))));
        st.put("/settings/wallboard", "Change the thresholds").body(WallboardSettings.class).returns(WallboardSettings.class)
                .handle(Permission.AGENT_MANAGE, (ctx, me) -> {
                    WallboardSettings in = WallboardSettings.validate(Json.body(ctx, WallboardSettings.class));
                    jdbi.useTransaction(h -> {
                        in.save(h, me.enterpriseId());
                        audit.record(h, me, ctx.ip(), "settings.wallboard", null, null);
                    });
                    monitor.settingsChanged(me.enterpriseId());
                    ctx.json(in);
                });
        st.post("/settings/wallboard/link", "A read-only link to the wallboard (no login; valid until the links are revoked)")
                .returns(Link.class).handle(Permission.AGENT_MANAGE, (ctx, me) -> {
                    String token = jdbi.inTransaction(h -> {
                        audit.record(h, me, ctx.ip(), "wallboard.link", null, null);
                        return WallboardSettings.token(h, me.enterpriseId());
                    });
                    ctx.json(new Link(token, "/wallboard.html?token=" + token));
                });
        st.delete("/settings/wallboard/link", "Revoke every wallboard link given so far").handle(Permission.AGENT_MANAGE, (ctx, me) -> {
            jdbi.useTransaction(h -> {
                WallboardSettings.rotate(h, me.enterpriseId());
                audit.record(h, me, ctx.ip(), "wallboard.revoke", null, null);
            });
            monitor.dropWallboards(me.enterpriseId());
            ctx.status(204);
        });
        Api wb = root.tagged("wallboard");
        wb.get("/wallboard", "The wallboard now, for a wallboard link's token (no login)").returns(Monitor.Wallboard.class)
                .handlePublic(ctx -> ctx.json(Monitor.wallboard(monitor.snapshot(enterprise(jdbi, ctx)))));
        wb.get("/wallboard/branding", "The company name and logo address heading the wallboard, for a wallboard link's token (no login; ADM-4)")
                .returns(Branding.View.class)
                .handlePublic(ctx -> {
                    long e = enterprise(jdbi, ctx);
                    ctx.json(jdbi.withHandle(h -> branding.view(h, e)));
                });
        wb.get("/wallboard/stream", "The wallboard as server-sent `snapshot` events, for a wallboard link's token (no login)")
                .handlePublic(ctx -> {
                    long e = enterprise(jdbi, ctx);
                    new SseHandler(client -> {
                        Runnable stop = monitor.subscribe(e, true, sink(client, UnaryOperator.identity()));
                        client.onClose(stop);
                        client.keepAlive();
                    }).handle(ctx);
                });
    }

    /** The enterprise of the wallboard link's token, on the node that serves it (OPS-3: elsewhere 307, or 421 for the page's script). */
    private static long enterprise(Jdbi jdbi, Context ctx) {
        String token = ctx.queryParam("token");
        long e = jdbi.withHandle(h -> WallboardSettings.enterpriseOf(h, token))
                .orElseThrow(() -> new ApiException(401, "unauthenticated", "invalid or revoked wallboard link"));
        WebServer.servedHere(ctx, e);
        return e;
    }

    private static Monitor.Sink sink(SseClient client, UnaryOperator<String> shown) {
        return sink(client, "snapshot", shown);
    }

    private static Monitor.Sink sink(SseClient client, String event, UnaryOperator<String> shown) {
        return new Monitor.Sink(() -> !client.terminated(), json -> client.sendEvent(event, shown.apply(json)), () -> client.sendComment("keep-alive"),
                client::close);
    }
}
