package dev.hotline.web;

import dev.hotline.login.Auth;
import dev.hotline.auth.Permission;
import dev.hotline.auth.Principal;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.SameSite;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: mounts the routes of {@link Api}, resolves who is calling (session cookie or
 * bearer token), enforces permissions and CSRF, maps every failure to the one error body, and
 * serves the static console.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    public static final String SESSION_COOKIE = "HOTLINE_SESSION";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final String PRINCIPAL = "hotline.principal";
    /** Set when a handler's refusal wrote the error body, which the status-code error pages then leave alone. */
    private static final String REFUSED = "hotline.refused";
    /** The placement, for the public routes that learn their enterprise from a key or link (see {@link #servedHere}). */
    private static final String PLACEMENT = "hotline.placement";

    private final Javalin app;

    /**
     * OPS-3 (docs/adr/0004-nodes-behind-kamailio.md): which node serves an enterprise's HTTP. Empty: this node; else the base
     * URL of the node that does. A {@link dev.hotline.domain.DomainException} (503) while no live node serves it.
     */
    @FunctionalInterface
    public interface Placement {
        Optional<String> elsewhere(long enterpriseId);
    }

    /** A request that belongs on another node: {@code location} is the same request's URL there. */
    private static final class Misplaced extends RuntimeException {
        final String location;

        Misplaced(String location) {
            super("served by another node: " + location, null, false, false);
            this.location = location;
        }
    }

    /** Paths every node answers itself: its own health, metrics and API description, the cluster lookups, logging out. */
    private static final java.util.List<String> NODE_LOCAL = java.util.List.of(Api.PREFIX + "/health", Api.PREFIX + "/metrics",
            Api.PREFIX + "/server-info", Api.PREFIX + "/openapi.json", Api.PREFIX + "/cluster/", Api.PREFIX + "/auth/logout");

    public WebServer(String host, int port, Api api, Auth auth, Runnable afterChange) {
        this(host, port, null, api, auth, afterChange, routes -> { }, null);
    }

    /** HTTPS beside HTTP: a port (0: any free one) and the key store. */
    public record Https(int port, Tls.Keys keys) {}

    private org.eclipse.jetty.server.ServerConnector httpsConnector;

    /** @param more routes that are not plain HTTP API routes (the CTI WebSocket) */
    public WebServer(String host, int port, Api api, Auth auth, Runnable afterChange, java.util.function.Consumer<io.javalin.config.RoutesConfig> more) {
        this(host, port, null, api, auth, afterChange, more, null);
    }

    /**
     * @param https null: HTTP only
     * @param placement null: a single server, every enterprise served here
     */
    public WebServer(String host, int port, Https https, Api api, Auth auth, Runnable afterChange,
                     java.util.function.Consumer<io.javalin.config.RoutesConfig> more, Placement placement) {
        OpenApi openApi = new OpenApi(api);
        this.app = Javalin.create(cfg -> {
            cfg.jetty.host = host;
            cfg.jetty.port = port;
            if (https != null) {
                // With a connector of our own Jetty adds no default one: the plain HTTP connector too, then HTTPS.
                cfg.jetty.addConnector((server, httpConfig) -> {
                    var c = new org.eclipse.jetty.server.ServerConnector(server, new org.eclipse.jetty.server.HttpConnectionFactory(httpConfig));
                    c.setHost(host);
                    c.setPort(port);
                    return c;
                });
                cfg.jetty.addConnector((server, httpConfig) -> {
                    // SEC-4: TLS for the console, the API, the CTI WebSocket and the browser phone's page.
                    var ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
                    ssl.setKeyStore(https.keys().store());
                    ssl.setKeyStorePassword(https.keys().password());
                    var tlsConfig = new org.eclipse.jetty.server.HttpConfiguration(httpConfig);
                    tlsConfig.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer(false));
                    var c = new org.eclipse.jetty.server.ServerConnector(server, ssl, new org.eclipse.jetty.server.HttpConnectionFactory(tlsConfig));
                    c.setHost(host);
                    c.setPort(https.port());
                    httpsConnector = c;
                    return c;
                });
            }
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = 2_000_000;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            cfg.staticFiles.enableWebjars();
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = "/web";
                sf.location = Location.CLASSPATH;
                sf.headers = java.util.Map.of("Cache-Control", "no-cache");
            });
            cfg.routes.before(ctx -> {
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("X-Frame-Options", "DENY");
                ctx.header("Referrer-Policy", "same-origin");
            });
            cfg.routes.before(Api.PREFIX + "/*", ctx -> {
                Principal p = resolve(ctx, auth).orElse(null);
                ctx.attribute(PRINCIPAL, p);
                if (placement != null) {
                    ctx.attribute(PLACEMENT, placement);
                    place(ctx, placement, p == null ? loginEnterprise(ctx, auth) : Optional.of(p.enterpriseId()));
                }
            });
            if (placement != null) {
                // OPS-3: a console page of an enterprise served elsewhere is sent there (the page's API calls then stay there).
                cfg.routes.before(ctx -> {
                    if (ctx.method() == HandlerType.GET && (ctx.path().equals("/") || ctx.path().endsWith(".html"))) {
                        String sid = ctx.cookie(SESSION_COOKIE);
                        if (sid != null && !sid.isBlank()) place(ctx, placement, auth.bySession(sid).map(Principal::enterpriseId));
                    }
                });
                // The CTI and event WebSockets: refused (421, naming the node) on a node that does not serve the enterprise.
                cfg.routes.addHttpHandler(HandlerType.WEBSOCKET_BEFORE_UPGRADE, Api.PREFIX + "/*", ctx -> {
                    Optional<Principal> p = ctx.header("Authorization") != null ? resolve(ctx, auth)
                            : Optional.ofNullable(ctx.cookie(SESSION_COOKIE)).filter(s -> !s.isBlank()).flatMap(auth::bySession);
                    place(ctx, placement, p.map(Principal::enterpriseId));
                });
            }
            for (Api.Route r : api.routes()) cfg.routes.addHttpHandler(r.method(), r.path(), r.handler());
            more.accept(cfg.routes);
            // Caches derived from the database (e.g. the call router's snapshot) follow every successful change.
            cfg.routes.after(Api.PREFIX + "/*", ctx -> {
                if (ctx.method() != HandlerType.GET && ctx.status().getCode() < 300) afterChange.run();
            });
            cfg.routes.get(Api.PREFIX + "/openapi.json", ctx -> ctx.contentType("application/json").result(openApi.json()));
            cfg.routes.get(Api.PREFIX + "/health", ctx -> ctx.json(java.util.Map.of("status", "UP")));
            // Issue 14: what an unauthenticated page needs to know about the server (the desk on plain HTTP links to HTTPS).
            cfg.routes.get(Api.PREFIX + "/server-info", ctx -> ctx.json(java.util.Map.of("httpsPort", httpsPort())));
            cfg.routes.exception(Misplaced.class, (e, ctx) -> {
                ctx.header("Location", e.location);
                // A page's script (fetch, WebSocket) cannot follow a redirect to another origin: 421 and the URL, the page goes there.
                String mode = ctx.header("Sec-Fetch-Mode");
                boolean upgrade = "websocket".equalsIgnoreCase(ctx.header("Upgrade"));
                if (!upgrade && (mode == null || mode.equals("navigate"))) {
                    ctx.status(307).contentType("text/plain").result("served by another node: " + e.location);
                } else {
                    refuse(ctx, 421, new ErrorBody("other_node", e.getMessage(), java.util.List.of()));
                }
            });
            cfg.routes.exception(ApiException.class, (e, ctx) -> refuse(ctx, e.status(), ErrorBody.of(e)));
            cfg.routes.exception(dev.hotline.domain.DomainException.class, (e, ctx) -> refuse(ctx, status(e.kind()), ErrorBody.of(e)));
            cfg.routes.exception(UnableToExecuteStatementException.class, (e, ctx) -> {
                ApiException mapped = fromSql(e);
                if (mapped.status() == 500) log.error("database error on {} {}", ctx.method(), ctx.path(), e);
                refuse(ctx, mapped.status(), ErrorBody.of(mapped));
            });
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                String ref = UUID.randomUUID().toString().substring(0, 8);
                log.error("internal error {} on {} {}", ref, ctx.method(), ctx.path(), e);
                ctx.status(500).json(new ErrorBody("internal", "internal error (reference " + ref + ")", java.util.List.of()));
            });
            cfg.routes.error(404, ctx -> {
                // Only where no route matched: a handler's own 404 ("no such user") keeps its body.
                if (ctx.path().startsWith(Api.PREFIX) && ctx.attribute(REFUSED) == null) {
                    ctx.json(new ErrorBody("not_found", "no such route: " + ctx.method() + " " + ctx.path(), java.util.List.of()));
                }
            });
            cfg.routes.error(405, ctx -> {
                if (ctx.path().startsWith(Api.PREFIX)) {
                    ctx.json(new ErrorBody("method_not_allowed", "method " + ctx.method() + " not allowed on " + ctx.path(), java.util.List.of()));
                }
            });
        });
    }

    public WebServer start() {
        app.start();
        return this;
    }

    /** The plain HTTP port actually listened on (not the HTTPS one). */
    public int port() {
        for (var c : app.jettyServer().server().getConnectors()) {
            if (c != httpsConnector && c instanceof org.eclipse.jetty.server.ServerConnector sc) return sc.getLocalPort();
        }
        return app.port();
    }

    /** The HTTPS port actually listened on, or -1 without HTTPS. */
    public int httpsPort() {
        return httpsConnector == null ? -1 : httpsConnector.getLocalPort();
    }

    @Override
    public void close() {
        app.stop();
    }

    /**
     * OPS-3: sends the request to the node serving {@code enterprise} when that is not this one (307 to the same path and
     * query there; see {@link Misplaced}). Paths in {@link #NODE_LOCAL} are always answered here.
     */
    private static void place(Context ctx, Placement placement, Optional<Long> enterprise) {
        if (enterprise.isEmpty() || NODE_LOCAL.stream().anyMatch(ctx.path()::startsWith)) return;
        Optional<String> home = placement.elsewhere(enterprise.get());
        if (home.isEmpty()) return;
        String base = home.get().endsWith("/") ? home.get().substring(0, home.get().length() - 1) : home.get();
        throw new Misplaced(base + ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString()));
    }

    /**
     * OPS-3: a public route (no login: the widget, the web callback, a wallboard link) calls this once its key or link told it
     * the enterprise; on a node that does not serve that enterprise the request is sent to the node that does, as a logged-in
     * user's is (307, or 421 with Location for a page's script; 503 while no live node serves it). A no-op on a single server.
     */
    public static void servedHere(Context ctx, long enterpriseId) {
        Placement placement = ctx.attribute(PLACEMENT);
        if (placement != null) place(ctx, placement, Optional.of(enterpriseId));
    }

    /** The enterprise a login names (POST /auth/login before any session exists), if it exists. */
    private static Optional<Long> loginEnterprise(Context ctx, Auth auth) {
        if (ctx.method() != HandlerType.POST || !ctx.path().equals(Api.PREFIX + "/auth/login")) return Optional.empty();
        try {
            String code = Json.MAPPER.readTree(ctx.body()).path("enterprise").asText("").strip();
            return code.isEmpty() ? Optional.empty() : auth.enterpriseId(code);
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty(); // the login itself answers 400
        }
    }

    private static Optional<Principal> resolve(Context ctx, Auth auth) {
        String authz = ctx.header("Authorization");
        if (authz != null && authz.regionMatches(true, 0, "Bearer ", 0, 7)) {
            Optional<Principal> p = auth.byToken(authz.substring(7).strip());
            if (p.isEmpty()) throw new ApiException(401, "unauthenticated", "invalid API token");
            return p;
        }
        String sid = ctx.cookie(SESSION_COOKIE);
        return sid == null || sid.isBlank() ? Optional.empty() : auth.bySession(sid);
    }

    /**
     * The caller of an API route, checked: logged in, holding {@code permission} (null: any
     * logged-in user), and, for a cookie session changing state, carrying the CSRF token.
     */
    static Principal principal(Context ctx, Permission permission) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) throw ApiException.unauthenticated();
        if (p.via() == Principal.Via.SESSION && ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) {
            String sent = ctx.header(CSRF_HEADER);
            if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), p.csrfToken().getBytes(StandardCharsets.UTF_8))) {
                throw new ApiException(403, "csrf", "missing or wrong " + CSRF_HEADER + " header");
            }
        }
        if (permission != null && !p.can(permission)) throw ApiException.forbidden("permission " + permission.key() + " required");
        return p;
    }

    /** The session cookie: HttpOnly, SameSite=Strict, whole site. */
    public static void setSessionCookie(Context ctx, String sessionId, int maxAgeSeconds) {
        ctx.cookie(new Cookie(SESSION_COOKIE, sessionId, "/", maxAgeSeconds, ctx.scheme().equals("https"), true, null, SameSite.STRICT));
    }

    public static void clearSessionCookie(Context ctx) {
        ctx.cookie(new Cookie(SESSION_COOKIE, "", "/", 0, ctx.scheme().equals("https"), true, null, SameSite.STRICT));
    }

    /** Unique violations (SQLState 23505) are conflicts and foreign-key violations (23503) mean "in use". */
    /** The HTTP status of each kind of domain refusal: the one place that decides it. */
    public static int status(dev.hotline.domain.DomainException.Kind kind) {
        return switch (kind) {
            case BAD_REQUEST, INVALID -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_MANY -> 429;
            case UNAVAILABLE -> 503;
        };
    }

    static ApiException fromSql(UnableToExecuteStatementException e) {
        Throwable c = e.getCause();
        if (c instanceof SQLException sql) {
            if ("23505".equals(sql.getSQLState())) return ApiException.conflict("already exists");
            if ("23503".equals(sql.getSQLState())) return ApiException.conflict("still in use or refers to something missing");
        }
        return new ApiException(500, "internal", "database error");
    }

    /** A query parameter as a long, or a 400 naming it. */
    public static Long longParam(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return null;
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, "must be a number");
        }
    }

    /** A query parameter as an ISO-8601 instant, or null when absent; anything else is a 400 naming it. */
    public static java.time.Instant instantParam(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return null;
        try {
            return java.time.Instant.parse(v.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.invalid(name, "ISO-8601 instant such as 2026-01-31T08:00:00Z");
        }
    }

    /**
     * Sends a WAV file for the browser's player (Range requests answered) or, with {@code ?download=1},
     * as an attachment named {@code downloadName}.
     */
    public static void sendWav(Context ctx, java.nio.file.Path file, String downloadName) throws java.io.IOException {
        if ("1".equals(ctx.queryParam("download"))) ctx.header("Content-Disposition", "attachment; filename=\"" + downloadName + "\"");
        ctx.writeSeekableStream(java.nio.file.Files.newInputStream(file), "audio/wav", java.nio.file.Files.size(file));
    }

    /** The {id} path parameter; anything but a positive number is simply not found. */
    public static long id(Context ctx) {
        try {
            long id = Long.parseLong(ctx.pathParam("id"));
            if (id > 0) return id;
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw ApiException.notFound("object");
    }

    private static void refuse(Context ctx, int status, ErrorBody body) {
        ctx.attribute(REFUSED, Boolean.TRUE);
        ctx.status(status).json(body);
    }
}
