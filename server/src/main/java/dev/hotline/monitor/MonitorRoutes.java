package dev.hotline.monitor;

import dev.hotline.auth.Permission;
import dev.hotline.web.Api;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;

/** SUP-1 over HTTP: the monitor once, or as a stream of server-sent {@code snapshot} events. */
public final class MonitorRoutes {
    private MonitorRoutes() {}

    public static void register(Api root, Monitor monitor) {
        Api r = root.tagged("monitor");
        r.get("/monitor", "The live monitor now: queues (live and today's figures, the same as the reports), agents, calls, supervisions")
                .returns(Monitor.Snapshot.class).handle(Permission.MONITOR_READ, (ctx, me) -> ctx.json(monitor.snapshot(me.enterpriseId())));
        r.get("/monitor/stream", "The live monitor as server-sent events: a `snapshot` (the body of GET /monitor) at once and whenever it changes")
                .handle(Permission.MONITOR_READ, (ctx, me) -> new SseHandler(client -> {
                    Runnable stop = monitor.subscribe(me.enterpriseId(), sink(client));
                    client.onClose(stop);
                    client.keepAlive();
                }).handle(ctx));
    }

    private static Monitor.Sink sink(SseClient client) {
        return new Monitor.Sink(() -> !client.terminated(), json -> client.sendEvent("snapshot", json), () -> client.sendComment("keep-alive"));
    }
}
