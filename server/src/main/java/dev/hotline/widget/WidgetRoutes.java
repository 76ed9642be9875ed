package dev.hotline.widget;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.ice.IceServers;
import dev.hotline.ice.WebRtcSettings;
import dev.hotline.web.Api;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import io.javalin.http.Context;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * API-3 over HTTP: the enterprise's widgets (permission widget.manage), and the public side the widget's script calls from the
 * company's site (no login, by the widget's key). Every public request must come from one of the widget's listed sites: its
 * Origin header is checked (no Origin, or another one: 403, without CORS headers, so the page cannot even read the refusal),
 * and the answer allows exactly that origin (CORS). Call starts are limited per source address and per widget (429 with
 * Retry-After).
 */
public final class WidgetRoutes {
    private WidgetRoutes() {}

    /** A site: scheme, host and optional port, nothing else (what browsers send as Origin). */
    static final Pattern ORIGIN = Pattern.compile("https?://[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:[0-9]{1,5})?");
    static final int MAX_ORIGINS = 20;
    static final int MAX_PAGE = 1000;

    /** What the widget's script learns about its widget before showing the button. */
    /** The widget's name and the STUN/TURN servers for the visitor's peer connection (MEDIA-6; empty when none). */
    public record Info(String name, List<IceServers.IceServer> iceServers) {}

    /** A visitor's call: the browser's SDP offer and the page (its address) the visitor is on. */
    public record CallInput(String sdp, String page) {}

    public static void register(Api root, Jdbi jdbi, AuditLog audit, WidgetCalls calls, IceServers iceServers) {
        Api r = root.tagged("widget");
        r.get("/widgets", "The enterprise's \"call us\" widgets").returnsList(Widget.class)
                .handle(Permission.WIDGET_MANAGE, (ctx, me) -> ctx.json(jdbi.withHandle(h -> WidgetStore.list(h, me.enterpriseId()))));
        r.get("/widgets/{id}", "One widget").returns(Widget.class)
                .handle(Permission.WIDGET_MANAGE, (ctx, me) -> ctx.json(jdbi.withHandle(h -> find(h, me.enterpriseId(), WebServer.id(ctx)))));
        r.post("/widgets", "Create a widget (its public key is made here): name, queue, allowed sites, on/off, limits per minute")
                .body(Widget.Input.class).returns(Widget.class).handle(Permission.WIDGET_MANAGE, (ctx, me) -> {
                    Widget.Input in = normalise(Json.body(ctx, Widget.Input.class));
                    Widget w = jdbi.inTransaction(h -> {
                        validate(h, me.enterpriseId(), null, in);
                        long id = WidgetStore.insert(h, me.enterpriseId(), in, Instant.now());
                        audit.record(h, me, ctx.ip(), "widget.create", in.name(), "queue=" + in.queueId() + " origins=" + in.origins());
                        return find(h, me.enterpriseId(), id);
                    });
                    ctx.status(201).json(w);
                });
        r.put("/widgets/{id}", "Change a widget (its key stays)").body(Widget.Input.class).returns(Widget.class)
                .handle(Permission.WIDGET_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    Widget.Input in = normalise(Json.body(ctx, Widget.Input.class));
                    ctx.json(jdbi.inTransaction(h -> {
                        find(h, me.enterpriseId(), id);
                        validate(h, me.enterpriseId(), id, in);
                        WidgetStore.update(h, me.enterpriseId(), id, in);
                        audit.record(h, me, ctx.ip(), "widget.update", in.name(), "enabled=" + in.on() + " origins=" + in.origins());
                        return find(h, me.enterpriseId(), id);
                    }));
                });
        r.delete("/widgets/{id}", "Delete a widget (its script tag stops working)").handle(Permission.WIDGET_MANAGE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                Widget w = find(h, me.enterpriseId(), id);
                WidgetStore.delete(h, me.enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "widget.delete", w.name(), null);
            });
            ctx.status(204);
        });

        Api p = root.tagged("public");
        String base = "/public/widget/{key}";
        p.options(base, "CORS preflight of the widget's requests (listed sites only)").handlePublic(ctx -> preflight(ctx, jdbi));
        p.options(base + "/calls", "CORS preflight of a visitor's call").handlePublic(ctx -> preflight(ctx, jdbi));
        p.options(base + "/calls/{token}", "CORS preflight of a call's state").handlePublic(ctx -> preflight(ctx, jdbi));
        p.options(base + "/calls/{token}/hangup", "CORS preflight of a hang-up").handlePublic(ctx -> preflight(ctx, jdbi));
        p.get(base, "The widget's name, for its script on a listed site (no login; 403 from any other site, 404 when off)")
                .returns(Info.class).handlePublic(ctx -> {
                    WidgetStore.Owned w = served(ctx, jdbi);
                    ctx.header("Cache-Control", "no-store");
                    ctx.json(new Info(w.widget().name(), iceServers.forBrowser("widget-" + w.widget().key()).iceServers()));
                });
        p.post(base + "/calls", "A visitor calls into the widget's queue: the browser's WebRTC offer and the page; answers the SDP "
                        + "answer and the call's token (no login; listed sites only; 429 with Retry-After past the limits per address and widget)")
                .body(CallInput.class).returns(WidgetCalls.Started.class).handlePublic(ctx -> {
                    WidgetStore.Owned w = served(ctx, jdbi);
                    Widget widget = w.widget();
                    RateLimits.Verdict verdict = calls.limits.admit(List.of(
                            new RateLimits.Limit("address:" + widget.key() + ":" + ctx.ip(), widget.perAddressPerMinute()),
                            new RateLimits.Limit("key:" + widget.key(), widget.perKeyPerMinute())), Instant.now());
                    if (!verdict.admitted()) {
                        ctx.header("Retry-After", Long.toString(verdict.retryAfterSeconds()));
                        throw new DomainException(DomainException.Kind.TOO_MANY, verdict.refusedBy().startsWith("key:")
                                ? "too many calls through this widget; try again in " + verdict.retryAfterSeconds() + " s"
                                : "too many calls from your address; try again in " + verdict.retryAfterSeconds() + " s");
                    }
                    CallInput in = Json.body(ctx, CallInput.class);
                    String origin = ctx.header("Origin").strip().toLowerCase(Locale.ROOT);
                    Validator v = Validator.of();
                    v.check(in.sdp() != null && !in.sdp().isBlank() && in.sdp().length() <= 20_000, "sdp", "the browser's SDP offer");
                    v.check(pageOf(in.page(), origin), "page", "the address (http or https, up to " + MAX_PAGE
                            + " characters, no spaces) of the page the widget is on, on the calling site");
                    v.throwIfInvalid();
                    boolean opus = jdbi.withHandle(h -> WebRtcSettings.load(h, w.enterpriseId())).opus(); // MEDIA-6 switch
                    ctx.status(201).json(calls.call(w.enterpriseId(), widget, in.sdp(), opus, origin, in.page()));
                });
        p.get(base + "/calls/{token}", "The state of a visitor's call (connecting, queued, talking, ended); the page polls it")
                .returns(WidgetCalls.Status.class).handlePublic(ctx -> {
                    WidgetStore.Owned w = served(ctx, jdbi);
                    ctx.header("Cache-Control", "no-store");
                    ctx.json(calls.status(w.widget().key(), ctx.pathParam("token")).orElseThrow(() -> DomainException.notFound("call")));
                });
        p.post(base + "/calls/{token}/hangup", "The visitor hangs up").handlePublic(ctx -> {
            WidgetStore.Owned w = served(ctx, jdbi);
            if (!calls.hangup(w.widget().key(), ctx.pathParam("token"))) throw DomainException.notFound("call");
            ctx.status(204);
        });
    }

    /**
     * {@link #site}, on the node that serves the widget's enterprise (OPS-3): on another node the widget's script is told
     * 421 with the Location there (its requests are cross-origin: a redirect would reach the other node with Origin null).
     * Preflights are answered by any node (a preflight may not be redirected).
     */
    private static WidgetStore.Owned served(Context ctx, Jdbi jdbi) {
        WidgetStore.Owned w = site(ctx, jdbi);
        WebServer.servedHere(ctx, w.enterpriseId());
        return w;
    }

    /** The widget of the key, on, called from one of its sites; the answer then allows that site (CORS). */
    private static WidgetStore.Owned site(Context ctx, Jdbi jdbi) {
        WidgetStore.Owned w = jdbi.withHandle(h -> WidgetStore.byKey(h, ctx.pathParam("key"))).filter(x -> x.widget().enabled())
                .orElseThrow(() -> DomainException.notFound("widget"));
        String origin = ctx.header("Origin");
        if (!w.widget().allows(origin)) {
            throw DomainException.forbidden(origin == null ? "no Origin header: the widget works only on the sites its owner lists"
                    : "the site " + origin + " is not allowed to use this widget");
        }
        ctx.header("Access-Control-Allow-Origin", origin.strip());
        ctx.header("Access-Control-Expose-Headers", "Retry-After, Location");
        ctx.header("Vary", "Origin");
        return w;
    }

    private static void preflight(Context ctx, Jdbi jdbi) {
        site(ctx, jdbi);
        ctx.header("Access-Control-Allow-Methods", "GET, POST");
        ctx.header("Access-Control-Allow-Headers", "Content-Type");
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
    }

    /** True when {@code page} is an http(s) address on {@code origin}. */
    static boolean pageOf(String page, String origin) {
        if (page == null || page.length() > MAX_PAGE || page.chars().anyMatch(c -> c <= ' ')) return false;
        try {
            URI u = new URI(page);
            if (u.getScheme() == null || u.getHost() == null) return false;
            String o = u.getScheme().toLowerCase(Locale.ROOT) + "://" + u.getHost().toLowerCase(Locale.ROOT) + (u.getPort() < 0 ? "" : ":" + u.getPort());
            return o.equals(origin);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static Widget find(Handle h, long enterpriseId, long id) {
        return WidgetStore.byId(h, enterpriseId, id).orElseThrow(() -> DomainException.notFound("widget"));
    }

    /** Origins as browsers send them: lower case, no trailing slash. */
    private static Widget.Input normalise(Widget.Input in) {
        if (in == null || in.origins() == null) return in;
        List<String> o = new ArrayList<>();
        for (String s : in.origins()) o.add(s == null ? null : trimSlash(s.strip().toLowerCase(Locale.ROOT)));
        return new Widget.Input(in.name(), in.queueId(), o, in.enabled(), in.perAddressPerMinute(), in.perKeyPerMinute());
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    static void validate(Handle h, long enterpriseId, Long id, Widget.Input in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        String name = Validator.clean(in.name());
        Validator v = Validator.of();
        v.check(name != null, "name", "required").maxLength("name", name, 64);
        if (name != null && WidgetStore.nameTaken(h, enterpriseId, name, id)) v.add("name", "another widget has this name");
        v.check(in.queueId() != null && WidgetStore.queueOwned(h, enterpriseId, in.queueId()), "queueId", "one of your queues");
        v.check(in.origins() != null && !in.origins().isEmpty() && in.origins().size() <= MAX_ORIGINS
                        && in.origins().stream().allMatch(o -> o != null && o.length() <= 200 && ORIGIN.matcher(o).matches())
                        && in.origins().stream().distinct().count() == in.origins().size(), "origins",
                "1 to " + MAX_ORIGINS + " different sites such as https://www.example.com (scheme, host and port only)");
        v.check(in.perAddressPerMinute() == null || (in.perAddressPerMinute() >= 1 && in.perAddressPerMinute() <= 1000),
                "perAddressPerMinute", "1 to 1000");
        v.check(in.perKeyPerMinute() == null || (in.perKeyPerMinute() >= 1 && in.perKeyPerMinute() <= 100_000), "perKeyPerMinute",
                "1 to 100000");
        v.throwIfInvalid();
    }
}
