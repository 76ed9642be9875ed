package dev.hotline.webhook;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.web.Api;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** API-2 over HTTP: an enterprise's webhooks (create, change, delete), their delivery log, and sending one again. */
public final class WebhookRoutes {
    private WebhookRoutes() {}

    /**
     * @param url     where events are posted (http or https)
     * @param events  patterns: {@code *}, {@code call.*}, {@code queue.*}, {@code agent.*}, {@code ticket.*}, {@code campaign.*} or one
     *                type ({@code call.closed}, {@code ticket.created}); docs/webhooks.md lists them
     * @param enabled default true
     */
    public record WebhookInput(String url, List<String> events, Boolean enabled, String description) {}

    /** A delivery as the log shows it. */
    public record DeliveryView(long id, String eventType, String createdAt, int attempts, String nextAt, String deliveredAt,
                               Integer lastStatus, String lastError, String body) {
        static DeliveryView of(WebhookStore.Delivery d) {
            return new DeliveryView(d.id(), d.eventType(), d.createdAt().toString(), d.attempts(), d.nextAt().toString(),
                    d.deliveredAt() == null ? null : d.deliveredAt().toString(), d.lastStatus(), d.lastError(), d.body());
        }
    }

    public static void register(Api root, Jdbi jdbi, AuditLog audit, Webhooks webhooks, Clock clock) {
        Api r = root.tagged("webhooks");
        r.get("/webhooks", "The enterprise's webhooks (with their signing secrets)").returnsList(Webhook.class)
                .handle(Permission.WEBHOOK_MANAGE, (ctx, me) -> ctx.json(jdbi.withHandle(h -> WebhookStore.list(h, me.enterpriseId()))));
        r.post("/webhooks", "Subscribe a URL to events; the answer carries the secret that signs every body").body(WebhookInput.class)
                .returns(Webhook.class).handle(Permission.WEBHOOK_MANAGE, (ctx, me) -> {
                    WebhookInput in = validate(Json.body(ctx, WebhookInput.class));
                    byte[] key = new byte[24];
                    new SecureRandom().nextBytes(key);
                    String secret = "whsec_" + HexFormat.of().formatHex(key);
                    Webhook saved = jdbi.inTransaction(h -> {
                        long id = WebhookStore.insert(h, me.enterpriseId(), in.url().strip(), secret, in.events(), in.enabled() == null || in.enabled(),
                                in.description(), clock.instant());
                        audit.record(h, me, ctx.ip(), "webhook.create", in.url(), String.join(",", in.events()));
                        return WebhookStore.byId(h, me.enterpriseId(), id).orElseThrow();
                    });
                    webhooks.invalidate();
                    ctx.status(201).json(saved);
                });
        r.put("/webhooks/{id}", "Change a webhook's URL, events or whether it is enabled").body(WebhookInput.class).returns(Webhook.class)
                .handle(Permission.WEBHOOK_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    WebhookInput in = validate(Json.body(ctx, WebhookInput.class));
                    Webhook saved = jdbi.inTransaction(h -> {
                        WebhookStore.byId(h, me.enterpriseId(), id).orElseThrow(() -> DomainException.notFound("webhook"));
                        WebhookStore.update(h, me.enterpriseId(), id, in.url().strip(), in.events(), in.enabled() == null || in.enabled(), in.description());
                        audit.record(h, me, ctx.ip(), "webhook.update", in.url(), String.join(",", in.events()));
                        return WebhookStore.byId(h, me.enterpriseId(), id).orElseThrow();
                    });
                    webhooks.invalidate();
                    ctx.json(saved);
                });
        r.delete("/webhooks/{id}", "Delete a webhook and its delivery log").handle(Permission.WEBHOOK_MANAGE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                Webhook w = WebhookStore.byId(h, me.enterpriseId(), id).orElseThrow(() -> DomainException.notFound("webhook"));
                WebhookStore.delete(h, me.enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "webhook.delete", w.url(), null);
            });
            webhooks.invalidate();
            ctx.status(204);
        });
        r.get("/webhooks/{id}/deliveries", "A webhook's deliveries, newest first (limit, offset)").returnsList(DeliveryView.class)
                .handle(Permission.WEBHOOK_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    int limit = intParam(ctx.queryParam("limit"), 50, 1, 500, "limit");
                    int offset = intParam(ctx.queryParam("offset"), 0, 0, Integer.MAX_VALUE, "offset");
                    ctx.json(jdbi.withHandle(h -> {
                        WebhookStore.byId(h, me.enterpriseId(), id).orElseThrow(() -> DomainException.notFound("webhook"));
                        return WebhookStore.deliveries(h, me.enterpriseId(), id, limit, offset).stream().map(DeliveryView::of).toList();
                    }));
                });
        r.post("/webhooks/{id}/test", "Send the webhook a test event (type webhook.test), after its pending deliveries; it shows in "
                + "the delivery log like any other").handle(Permission.WEBHOOK_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    jdbi.useTransaction(h -> {
                        Webhook w = WebhookStore.byId(h, me.enterpriseId(), id).orElseThrow(() -> DomainException.notFound("webhook"));
                        WebhookStore.enqueue(h, me.enterpriseId(), id, Webhooks.TEST, Webhooks.testBody(me.enterpriseId(), id, clock.instant()),
                                clock.instant());
                        audit.record(h, me, ctx.ip(), "webhook.test", w.url(), null);
                    });
                    ctx.status(202);
                });
        r.post("/webhooks/{id}/deliveries/{delivery}/resend", "Send a delivery again (after the webhook's pending ones)")
                .handle(Permission.WEBHOOK_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    long delivery = longParam(ctx.pathParam("delivery"));
                    jdbi.useTransaction(h -> {
                        WebhookStore.byId(h, me.enterpriseId(), id).orElseThrow(() -> DomainException.notFound("webhook"));
                        if (!WebhookStore.resend(h, me.enterpriseId(), id, delivery, clock.instant())) throw DomainException.notFound("delivery");
                        audit.record(h, me, ctx.ip(), "webhook.resend", String.valueOf(id), "delivery=" + delivery);
                    });
                    ctx.status(202);
                });
    }

    static WebhookInput validate(WebhookInput in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        Validator v = new Validator();
        boolean urlOk = false;
        if (in.url() != null) {
            try {
                URI u = URI.create(in.url().strip());
                urlOk = (u.getScheme() != null && (u.getScheme().equals("http") || u.getScheme().equals("https")) && u.getHost() != null);
            } catch (IllegalArgumentException e) {
                urlOk = false;
            }
        }
        v.check(urlOk && in.url().length() <= 1000, "url", "an http or https URL of at most 1000 characters");
        boolean eventsOk = in.events() != null && !in.events().isEmpty() && in.events().size() <= 50
                && in.events().stream().allMatch(WebhookRoutes::pattern);
        v.check(eventsOk, "events", "one or more of *, call.*, queue.*, agent.*, ticket.*, campaign.* or an event type such as call.closed"
                + (in.events() == null ? "" : in.events().stream().filter(p -> !Webhooks.knownPattern(p)).findFirst()
                        .map(p -> " (unknown: " + p + ")").orElse("")));
        v.check(in.description() == null || in.description().length() <= 128, "description", "at most 128 characters");
        v.throwIfInvalid();
        return in;
    }

    static boolean pattern(String p) {
        return Webhooks.knownPattern(p);
    }

    private static int intParam(String s, int dflt, int min, int max, String field) {
        if (s == null || s.isBlank()) return dflt;
        try {
            int n = Integer.parseInt(s.strip());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw DomainException.invalid(field, "a whole number from " + min + " to " + max);
    }

    private static long longParam(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw DomainException.notFound("delivery");
        }
    }
}
