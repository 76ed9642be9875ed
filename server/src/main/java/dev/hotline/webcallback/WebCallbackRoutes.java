package dev.hotline.webcallback;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.campaign.CampaignSettings;
import dev.hotline.campaign.ContactList;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.masking.Masking;
import dev.hotline.web.Api;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * OUT-4 over HTTP: the enterprise's web callback settings and requests (permission campaign.manage), and the public side (no
 * login, by the enterprise's public key): the challenge, the request itself and the embeddable form.
 */
public final class WebCallbackRoutes {
    private WebCallbackRoutes() {}

    static final Set<String> MODES = Set.of(WebCallbackSettings.CUSTOMER_FIRST, WebCallbackSettings.AGENT_FIRST);
    /** The request list and report cover at most this much. */
    static final Duration MAX_RANGE = Duration.ofDays(400);
    /** A visitor may choose a time up to this far ahead. */
    static final Duration MAX_AHEAD = Duration.ofDays(7);

    /** The settings with the public key and the form's address (key null until the settings are first saved). */
    public record SiteView(String publicKey, String formPath, WebCallbackSettings settings) {}

    /** A visitor cancelling their request with the token they were given. */
    public record CancelInput(String token) {}

    /** A visitor's request: the number, an optional name and time, and the challenge solved. */
    public record RequestInput(String number, String name, String at, String token, String nonce) {}

    public static void register(Api root, Jdbi jdbi, AuditLog audit, WebCallbacks callbacks, Masking masking) {
        Api r = root.tagged("web callback");
        r.get("/webcallback/settings", "The enterprise's web callback settings, public key and form address").returns(SiteView.class)
                .handle(Permission.CAMPAIGN_MANAGE, (ctx, me) -> ctx.json(view(jdbi.withHandle(h -> WebCallbackStore.site(h, me.enterpriseId()))
                        .orElse(null))));
        r.put("/webcallback/settings", "Change the web callback settings (a public key is made on the first save)").body(WebCallbackSettings.class)
                .returns(SiteView.class).handle(Permission.CAMPAIGN_MANAGE, (ctx, me) -> {
                    WebCallbackSettings in = Json.body(ctx, WebCallbackSettings.class);
                    WebCallbackStore.Site saved = jdbi.inTransaction(h -> {
                        validate(h, me.enterpriseId(), in);
                        WebCallbackStore.saveSite(h, me.enterpriseId(), in);
                        audit.record(h, me, ctx.ip(), "webcallback.settings", in.mode(), "enabled=" + in.enabled());
                        return WebCallbackStore.site(h, me.enterpriseId()).orElseThrow();
                    });
                    ctx.json(view(saved));
                });
        r.get("/webcallback/requests", "Web callback requests made in [from, to) (ISO instants; default the last 7 days), newest first, "
                        + "optionally in one state (pending, queued, placing, done, failed, cancelled); limit 1-1000 (200)")
                .returnsList(WebCallbackStore.Request.class).handle(Permission.CAMPAIGN_MANAGE, (ctx, me) -> {
                    Instant[] p = period(ctx.queryParam("from"), ctx.queryParam("to"));
                    String st = Validator.clean(ctx.queryParam("state"));
                    RequestState state = null;
                    if (st != null) {
                        try {
                            state = RequestState.of(st);
                        } catch (IllegalArgumentException e) {
                            throw DomainException.invalid("state", "one of pending, queued, placing, done, failed, cancelled");
                        }
                    }
                    int limit = 200;
                    String l = Validator.clean(ctx.queryParam("limit"));
                    if (l != null) {
                        try {
                            limit = Integer.parseInt(l);
                        } catch (NumberFormatException e) {
                            limit = -1;
                        }
                        if (limit < 1 || limit > 1000) throw DomainException.invalid("limit", "1 to 1000");
                    }
                    ctx.json(masking.forViewer(me).json(callbacks.requests(me.enterpriseId(), p[0], p[1], state, limit)));
                });
        r.get("/webcallback/report", "The web callback report for [from, to) (default the last 7 days): requests by state and by mode, "
                        + "share connected, tries per request, time from request to connection").returns(WebCallbackStore.Report.class)
                .handle(Permission.CAMPAIGN_MANAGE, (ctx, me) -> {
                    Instant[] p = period(ctx.queryParam("from"), ctx.queryParam("to"));
                    ctx.json(callbacks.report(me.enterpriseId(), p[0], p[1]));
                });
        r.post("/webcallback/requests/{id}/cancel", "Cancel a web callback request still waiting (an agent or administrator); "
                        + "409 once a try is under way or it is closed").returns(WebCallbackStore.Request.class)
                .handle(Permission.AGENT_DESK, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    WebCallbackStore.Request done = callbacks.cancel(me.enterpriseId(), id, "user:" + me.username());
                    jdbi.useHandle(h -> audit.record(h, me, ctx.ip(), "webcallback.cancel", String.valueOf(id), "number=" + done.number()));
                    ctx.json(masking.forViewer(me).json(done));
                });
        r.get("/webcallback/requests/{id}", "One web callback request").returns(WebCallbackStore.Request.class)
                .handle(Permission.CAMPAIGN_MANAGE, (ctx, me) -> ctx.json(masking.forViewer(me).json(callbacks.request(me.enterpriseId(), WebServer.id(ctx)))));
        r.get("/webcallback/requests/{id}/events", "A web callback request's steps from the event log, oldest first").handle(Permission.CAMPAIGN_MANAGE,
                (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    callbacks.request(me.enterpriseId(), id);
                    ctx.json(masking.forViewer(me).json(jdbi.withHandle(h -> WebCallbackStore.events(h, me.enterpriseId(), id))));
                });

        Api p = root.tagged("public");
        p.get("/public/callback/{key}/challenge", "A challenge to solve before requesting a callback (proof of work; no login)")
                .returns(Challenge.Issued.class).handlePublic(ctx -> {
                    WebCallbackStore.Site site = site(jdbi, ctx);
                    ctx.header("Cache-Control", "no-store");
                    ctx.json(callbacks.challenges.issue(site.secret(), Instant.now()));
                });
        p.post("/public/callback/{key}", "Request a callback (no login): number, optional name and time, the solved challenge; "
                        + "answers the position and expected wait; 429 past the limits per address and per number")
                .body(RequestInput.class).returns(WebCallbacks.Accepted.class).handlePublic(ctx -> {
                    WebCallbackStore.Site site = site(jdbi, ctx);
                    RequestInput in = Json.body(ctx, RequestInput.class);
                    if (in == null) throw DomainException.badRequest("a JSON body is required");
                    WebCallbackSettings s = site.settings();
                    String number = ContactList.normalise(in.number()).orElseThrow(() -> DomainException.invalid("number", "a phone number: 3 to 20 digits"));
                    String name = Validator.clean(in.name());
                    Validator v = Validator.of().maxLength("name", name, 64);
                    Instant now = Instant.now();
                    Instant at = null;
                    if (Validator.clean(in.at()) != null) {
                        try {
                            at = Instant.parse(in.at().strip());
                            v.check(!at.isAfter(now.plus(MAX_AHEAD)), "at", "at most 7 days ahead");
                        } catch (DateTimeParseException e) {
                            v.add("at", "a time such as 2026-12-07T09:30:00Z");
                        }
                    }
                    v.throwIfInvalid();
                    if (s.allowedPrefixes() == null || s.allowedPrefixes().stream().noneMatch(number::startsWith)) {
                        throw DomainException.invalid("number", "not a number we call back");
                    }
                    String ip = ctx.ip();
                    jdbi.useHandle(h -> {
                        if (WebCallbackStore.fromAddressSince(h, site.enterpriseId(), ip, now.minus(Duration.ofHours(1))) >= s.perAddressPerHourOrDefault()) {
                            throw new DomainException(DomainException.Kind.TOO_MANY, "too many callback requests from your address; try again later");
                        }
                        if (WebCallbackStore.forNumberSince(h, site.enterpriseId(), number, now.minus(Duration.ofDays(1))) >= s.perNumberPerDayOrDefault()) {
                            throw new DomainException(DomainException.Kind.TOO_MANY, "too many callback requests for this number today");
                        }
                    });
                    String refused = callbacks.challenges.verify(site.secret(), in.token(), in.nonce(), now);
                    if (refused != null) throw DomainException.forbidden("challenge: " + refused);
                    ctx.status(201).json(callbacks.accept(site, number, name, at, ip));
                });
        p.post("/public/callback/{key}/requests/{id}/cancel", "The visitor cancels their callback request with the token they were given "
                        + "(no login); 403 with another token, 409 once a try is under way").body(CancelInput.class)
                .returns(WebCallbackStore.Request.class).handlePublic(ctx -> {
                    WebCallbackStore.Site site = site(jdbi, ctx);
                    CancelInput in = Json.body(ctx, CancelInput.class);
                    if (in == null || Validator.clean(in.token()) == null) throw DomainException.invalid("token", "the cancel token given with the request");
                    WebCallbackStore.Request done = callbacks.cancelByVisitor(site.enterpriseId(), WebServer.id(ctx), in.token().strip());
                    ctx.json(Map.of("id", done.id(), "state", done.state()));
                });
        p.get("/public/callback/{key}/form", "The embeddable callback form (HTML, for an iframe on the company's site)").handlePublic(ctx -> {
            site(jdbi, ctx);
            ctx.header("Cache-Control", "no-store");
            ctx.html(FORM);
        });
    }

    /** [from, to) from optional ISO instants: by default the last 7 days; 400 naming the field when bad. */
    static Instant[] period(String from, String to) {
        Instant now = Instant.now();
        Instant t = instant("to", to, now.plusSeconds(1));
        Instant f = instant("from", from, t.minus(Duration.ofDays(7)));
        if (!f.isBefore(t)) throw DomainException.invalid("from", "before to");
        if (Duration.between(f, t).compareTo(MAX_RANGE) > 0) throw DomainException.invalid("from", "at most 400 days before to");
        return new Instant[] {f, t};
    }

    private static Instant instant(String field, String value, Instant otherwise) {
        String v = Validator.clean(value);
        if (v == null) return otherwise;
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(field, "a time such as 2026-12-07T09:30:00Z");
        }
    }

    private static SiteView view(WebCallbackStore.Site site) {
        if (site == null) return new SiteView(null, null, null);
        return new SiteView(site.publicKey(), Api.PREFIX + "/public/callback/" + site.publicKey() + "/form", site.settings());
    }

    /**
     * The enterprise of the request's public key, while its web callback is enabled; 404 otherwise (no hint which). On a node
     * that does not serve that enterprise the request is sent to the one that does (OPS-3: the form's page 307, its script 421).
     */
    private static WebCallbackStore.Site site(Jdbi jdbi, Context ctx) {
        String key = ctx.pathParam("key");
        WebCallbackStore.Site site = jdbi.withHandle(h -> WebCallbackStore.siteByKey(h, key)).filter(s -> s.settings().enabled())
                .orElseThrow(() -> DomainException.notFound("callback service"));
        WebServer.servedHere(ctx, site.enterpriseId());
        return site;
    }

    static void validate(Handle h, long enterpriseId, WebCallbackSettings s) {
        if (s == null) throw DomainException.badRequest("a JSON body is required");
        Validator v = Validator.of();
        v.check(s.mode() != null && MODES.contains(s.mode()), "mode", "customer_first or agent_first");
        v.check(s.queueId() != null && WebCallbackStore.owned(h, "acd_queue", enterpriseId, s.queueId()), "queueId", "one of your queues");
        v.check((s.trunkId() == null) != (s.outboundRouteId() == null), "trunkId", "give a trunkId or an outboundRouteId (one of them)");
        if (s.trunkId() != null && !WebCallbackStore.owned(h, "trunk", enterpriseId, s.trunkId())) v.add("trunkId", "no such trunk");
        if (s.outboundRouteId() != null && !WebCallbackStore.owned(h, "outbound_route", enterpriseId, s.outboundRouteId())) {
            v.add("outboundRouteId", "no such outbound route");
        }
        v.check(s.callerId() != null && ContactList.normalise(s.callerId()).isPresent(), "callerId", "a phone number");
        v.check(s.allowedPrefixes() != null && !s.allowedPrefixes().isEmpty() && s.allowedPrefixes().size() <= 100
                && s.allowedPrefixes().stream().allMatch(x -> x != null && x.matches("\\+?[0-9]{1,15}")), "allowedPrefixes",
                "1 to 100 number prefixes (digits) that may be called back");
        if (s.timeZone() != null) {
            try {
                ZoneId.of(s.timeZone());
            } catch (DateTimeException e) {
                v.add("timeZone", "an IANA time zone such as Asia/Shanghai");
            }
        }
        if (s.windows() != null) {
            boolean ok = s.windows().size() <= 10;
            for (CampaignSettings.Window w : s.windows()) {
                try {
                    ok &= w != null && LocalTime.parse(w.from()).isBefore(LocalTime.parse(w.to()));
                } catch (DateTimeParseException | NullPointerException e) {
                    ok = false;
                }
            }
            v.check(ok, "windows", "up to 10 daily business hours {from: HH:mm, to: HH:mm}");
        }
        v.check(s.maxAttempts() == null || (s.maxAttempts() >= 1 && s.maxAttempts() <= 5), "maxAttempts", "1 to 5");
        v.check(s.retryMinutes() == null || (s.retryMinutes() >= 1 && s.retryMinutes() <= 1440), "retryMinutes", "1 to 1440");
        v.check(s.perAddressPerHour() == null || (s.perAddressPerHour() >= 1 && s.perAddressPerHour() <= 1000), "perAddressPerHour", "1 to 1000");
        v.check(s.perNumberPerDay() == null || (s.perNumberPerDay() >= 1 && s.perNumberPerDay() <= 100), "perNumberPerDay", "1 to 100");
        v.throwIfInvalid();
    }

    private static final String FORM = load();

    private static String load() {
        try (InputStream in = WebCallbackRoutes.class.getResourceAsStream("/webcallback/form.html")) {
            if (in == null) throw new IllegalStateException("webcallback/form.html missing");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
