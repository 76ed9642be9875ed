package dev.hotline.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hotline.auth.Permission;
import dev.hotline.auth.Principal;
import dev.hotline.login.Auth;
import dev.hotline.masking.Masking;
import dev.hotline.web.ApiException;
import dev.hotline.web.ErrorBody;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HandlerType;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsHandlerType;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * API-2, the enterprise-wide event stream over a WebSocket (docs/webhooks.md "Event stream"): {@code GET /api/v1/events}
 * upgraded, with a session cookie or an API token of a user with monitor.read; {@code ?after=<seq>} resumes after the
 * last event number seen, {@code ?types=ticket.*,call.closed} keeps only those events. The stream itself is {@link EventStream}.
 */
public final class EventStreamRoutes {
    public static final String PATH = "/api/v1/events";
    private static final String PRINCIPAL = "hotline.events.principal";
    private static final String AFTER = "hotline.events.after";
    private static final String TYPES = "hotline.events.types";

    private EventStreamRoutes() {}

    public static void mount(RoutesConfig routes, Auth auth, EventStream stream, Masking masking) {
        routes.addHttpHandler(HandlerType.WEBSOCKET_BEFORE_UPGRADE, PATH, ctx -> {
            String authorization = ctx.header("Authorization");
            String cookie = ctx.cookie(WebServer.SESSION_COOKIE);
            Optional<Principal> who = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? auth.byToken(authorization.substring(7).strip())
                    : cookie == null || cookie.isBlank() ? Optional.empty() : auth.bySession(cookie);
            Principal p = who.orElseThrow(ApiException::unauthenticated);
            if (!p.can(Permission.MONITOR_READ)) throw new ApiException(403, "forbidden", "the event stream needs monitor.read");
            String after = ctx.queryParam("after");
            if (after != null) {
                try {
                    if (Long.parseLong(after) < 0) throw new NumberFormatException();
                } catch (NumberFormatException e) {
                    throw ApiException.invalid("after", "the number of the last event seen (0 or more)");
                }
            }
            ctx.attribute(PRINCIPAL, p);
            ctx.attribute(AFTER, after == null ? null : Long.valueOf(after));
            try {
                ctx.attribute(TYPES, types(ctx.queryParam("types")));
            } catch (ApiException e) {
                // The refused upgrade's answer carries the error body (the field, the unknown type), not only its status.
                byte[] body = Json.MAPPER.writeValueAsBytes(ErrorBody.of(e));
                ctx.res().setStatus(e.status());
                ctx.res().setContentType("application/json");
                ctx.res().setContentLength(body.length);
                ctx.res().getOutputStream().write(body);
                ctx.res().flushBuffer();
                throw e;
            }
        });
        routes.addWsHandler(WsHandlerType.WEBSOCKET, PATH, ws -> {
            ws.onConnect(ctx -> {
                Principal p = ctx.attribute(PRINCIPAL);
                if (p == null) {
                    ctx.closeSession(4401, "unauthenticated");
                    return;
                }
                ctx.enableAutomaticPings();
                Long after = ctx.attribute(AFTER);
                EventStream.Start start = stream.start(p.enterpriseId(), after);
                ObjectNode hello = Json.MAPPER.createObjectNode().put("type", "stream.hello").put("v", 1).put("after", start.after());
                if (start.oldestKept() == null) hello.putNull("oldestKept");
                else hello.put("oldestKept", start.oldestKept());
                send(ctx, hello.toString());
                // Subscribed after the hello went out: the first event cannot overtake it.
                // CRM-5: each event as the token's or session's user may see its numbers.
                List<String> types = ctx.attribute(TYPES);
                stream.subscribe(ctx.sessionId(), p.enterpriseId(), start.after(), types,
                        json -> send(ctx, masking.forViewer(p).jsonText(json)));
            });
            ws.onClose(ctx -> stream.unsubscribe(ctx.sessionId()));
            ws.onError(ctx -> stream.unsubscribe(ctx.sessionId()));
        });
    }

    /**
     * The event types a stream wants: {@code ?types=ticket.*,call.closed} (patterns as webhooks name them, comma-separated);
     * absent: every event. An unknown type or category is a 400 naming {@code types} and the pattern.
     */
    static List<String> types(String param) {
        if (param == null) return List.of("*");
        List<String> patterns = Arrays.stream(param.split(",", -1)).map(String::strip).toList();
        for (String pattern : patterns) {
            if (pattern.isEmpty()) throw ApiException.invalid("types", "event types or patterns separated by commas, none empty");
            if (patterns.size() > 50 || pattern.length() > 60 || !Webhooks.knownPattern(pattern)) {
                throw ApiException.invalid("types", "unknown event type " + (pattern.length() > 60 ? pattern.substring(0, 60) + "…" : pattern)
                        + ": use *, a category (" + String.join(", ", Webhooks.TYPES.keySet().stream().map(c -> c + ".*").toList())
                        + ") or a type of docs/webhooks.md");
            }
        }
        return patterns;
    }

    private static boolean send(WsContext ctx, String json) {
        if (!ctx.session.isOpen()) return false;
        try {
            ctx.send(json);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
