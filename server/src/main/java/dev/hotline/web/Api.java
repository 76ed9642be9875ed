package dev.hotline.web;

import dev.hotline.auth.Permission;
import dev.hotline.auth.Principal;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry every feature adds its HTTP routes to. Each route states the permission it needs
 * (or that it is public) and a summary; the same list mounts the routes on Javalin and produces
 * the OpenAPI document, so the document cannot drift from the routes.
 */
public final class Api {
    public static final String PREFIX = "/api/v1";

    @FunctionalInterface
    public interface Handler {
        void handle(Context ctx, Principal me) throws Exception;
    }

    @FunctionalInterface
    public interface PublicHandler {
        void handle(Context ctx) throws Exception;
    }

    /** One documented route. {@code permission} null with {@code authenticated} false means public. */
    public record Route(HandlerType method, String path, String tag, String summary, boolean authenticated,
                        Permission permission, Class<?> body, Class<?> response, boolean listResponse,
                        io.javalin.http.Handler handler) {}

    private final List<Route> routes;
    private final String tag;

    private Api(String tag, List<Route> shared) {
        this.tag = tag;
        this.routes = shared;
    }

    public Api() {
        this("general", new ArrayList<>());
    }

    /** The same registry, with routes documented under {@code tag}. */
    public Api tagged(String tag) {
        return new Api(tag, routes);
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    public RouteBuilder get(String path, String summary) { return new RouteBuilder(HandlerType.GET, path, summary); }
    public RouteBuilder post(String path, String summary) { return new RouteBuilder(HandlerType.POST, path, summary); }
    public RouteBuilder put(String path, String summary) { return new RouteBuilder(HandlerType.PUT, path, summary); }
    public RouteBuilder delete(String path, String summary) { return new RouteBuilder(HandlerType.DELETE, path, summary); }
    /** For CORS preflights of public routes called from other sites (API-3 widget). */
    public RouteBuilder options(String path, String summary) { return new RouteBuilder(HandlerType.OPTIONS, path, summary); }

    /** Fluent description of one route; ends with {@link #handle}, {@link #handlePublic} or {@link #handleAuthenticated}. */
    public final class RouteBuilder {
        private final HandlerType method;
        private final String path;
        private final String summary;
        private Class<?> body;
        private Class<?> response;
        private boolean list;

        private RouteBuilder(HandlerType method, String path, String summary) {
            this.method = method;
            this.path = PREFIX + path;
            this.summary = summary;
        }

        public RouteBuilder body(Class<?> type) { this.body = type; return this; }
        public RouteBuilder returns(Class<?> type) { this.response = type; return this; }
        public RouteBuilder returnsList(Class<?> type) { this.response = type; this.list = true; return this; }

        /** A route that needs a login and {@code permission}. */
        public void handle(Permission permission, Handler h) {
            add(true, permission, ctx -> h.handle(ctx, WebServer.principal(ctx, permission)));
        }

        /** A route that needs a login but no particular permission (the user's own things). */
        public void handleAuthenticated(Handler h) {
            add(true, null, ctx -> h.handle(ctx, WebServer.principal(ctx, null)));
        }

        public void handlePublic(PublicHandler h) {
            add(false, null, h::handle);
        }

        private void add(boolean authenticated, Permission permission, io.javalin.http.Handler h) {
            routes.add(new Route(method, path, tag, summary, authenticated, permission, body, response, list, h));
        }
    }
}
