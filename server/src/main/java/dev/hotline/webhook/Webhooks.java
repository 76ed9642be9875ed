package dev.hotline.webhook;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.hotline.domain.JsonMapper;
import dev.hotline.masking.Masking;
import dev.hotline.report.AgentLogEvent;
import dev.hotline.report.CallLogEvent;
import dev.hotline.report.CampaignLogEvent;
import dev.hotline.report.LogEvent;
import dev.hotline.report.TicketLogEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API-2 webhooks. Every call, queue, agent, ticket and campaign event of the event log that a subscription wants becomes a delivery row
 * written in the same transaction as the event ({@link #project}), so nothing is lost across a restart; one sender
 * thread posts each subscription's deliveries in order, the next only after the previous one was taken (a 2xx),
 * retrying with back-off (1 s doubling up to 5 min). Bodies are signed: {@code X-Hotline-Signature: t=<unix
 * seconds>,v1=<hex HMAC-SHA256 of "t.body" under the subscription's secret>}.
 */
public final class Webhooks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Masking masking;
    private final Jdbi jdbi;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "webhook-sender");
        t.setDaemon(true);
        return t;
    });
    /** Enterprise id → its subscriptions; null: read again (after a change). Touched by the event log's writer thread. */
    private volatile Map<Long, List<Webhook>> cache;
    /** Counts changes, so that a read overtaken by a change is not kept. */
    private final AtomicLong generation = new AtomicLong();

    public Webhooks(Jdbi jdbi, Clock clock, Masking masking) {
        this.masking = masking;
        this.jdbi = jdbi;
        this.clock = clock;
        sender.scheduleWithFixedDelay(this::sendDue, 250, 250, TimeUnit.MILLISECONDS);
    }

    /** How long delivered deliveries stay in the delivery log (undelivered ones stay until delivered or their webhook goes). */
    static final Duration KEEP_DELIVERED = Duration.ofDays(7);

    /** Deletes the deliveries delivered longer ago than {@link #KEEP_DELIVERED}; returns how many. */
    public int prune() {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM webhook_delivery WHERE delivered_at < :t")
                .bind("t", Timestamp.from(clock.instant().minus(KEEP_DELIVERED))).execute());
    }

    /** The subscriptions changed: the projection reads them again. */
    void invalidate() {
        generation.incrementAndGet();
        cache = null;
    }

    /** The event's type as subscriptions name it: call.arrived, queue.join, agent.state, ticket.created, campaign.outcome, ... */
    static String typeOf(LogEvent e) {
        if (e instanceof AgentLogEvent) return "agent.state";
        if (e instanceof TicketLogEvent t) return "ticket." + t.action();
        if (e instanceof CampaignLogEvent c) return "campaign." + c.action();
        String t = ((CallLogEvent) e).type();
        if (t.startsWith("queue_")) return "queue." + t.substring(6);
        if (t.startsWith("campaign_")) return "campaign." + t.substring(9); // a contact's attempt and its result
        return "call." + t;
    }

    /**
     * Every event type there is (docs/webhooks.md), by category: what subscriptions and the event stream's filter may name.
     * {@code WebhookBodyTest} checks that every call event's type is here.
     */
    public static final Map<String, List<String>> TYPES = typesByCategory();

    private static Map<String, List<String>> typesByCategory() {
        Map<String, List<String>> m = new java.util.LinkedHashMap<>();
        m.put("call", List.of("call.arrived", "call.blocked", "call.rejected", "call.dialing", "call.ringing", "call.answered", "call.hold",
                "call.unhold", "call.transfer", "call.pbx", "call.supervision", "call.hangup", "call.media", "call.recorded", "call.recording",
                "call.ivr_node", "call.ivr_key", "call.voicemail", "call.survey_start", "call.survey", "call.verification", "call.widget",
                "call.web_callback", "call.closed"));
        m.put("queue", List.of("queue.join", "queue.offer", "queue.announce", "queue.offer_end", "queue.connect", "queue.leave"));
        m.put("agent", List.of("agent.state"));
        m.put("ticket", TicketLogEvent.ACTIONS.stream().map(a -> "ticket." + a).toList());
        m.put("campaign", java.util.stream.Stream.concat(CampaignLogEvent.ACTIONS.stream(), java.util.stream.Stream.of("attempt", "outcome"))
                .map(a -> "campaign." + a).toList());
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Whether {@code pattern} names events: {@code *}, {@code <category>.*} or a known type; how subscriptions and the event
     * stream's filter name what they want.
     */
    static boolean knownPattern(String pattern) {
        if (pattern == null) return false;
        if (pattern.equals("*")) return true;
        if (pattern.endsWith(".*")) return TYPES.containsKey(pattern.substring(0, pattern.length() - 2));
        int dot = pattern.indexOf('.');
        return dot > 0 && TYPES.getOrDefault(pattern.substring(0, dot), List.of()).contains(pattern);
    }

    /** Whether an event of {@code type} matches one of {@code patterns} ({@code *}, {@code call.*}, or one type). */
    static boolean matches(List<String> patterns, String type) {
        for (String p : patterns) {
            if (p.equals("*") || p.equals(type)) return true;
            if (p.endsWith(".*") && type.startsWith(p.substring(0, p.length() - 1))) return true;
        }
        return false;
    }

    /** The event log's projection: a delivery per subscription that wants the event, in the event's transaction. */
    public void project(Handle h, LogEvent e) {
        Map<Long, List<Webhook>> all = cache;
        if (all == null) {
            long g = generation.get();
            all = WebhookStore.all(h);
            if (generation.get() == g) cache = all; // a change meanwhile: read again next time
        }
        List<Webhook> hooks = all.get(e.enterpriseId());
        if (hooks == null || hooks.isEmpty()) return;
        String type = typeOf(e);
        String body = null;
        for (Webhook w : hooks) {
            if (!w.wants(type)) continue;
            // CRM-5: masked by the enterprise's policy unless it lets webhooks see numbers (docs/masking.md).
            if (body == null) body = masking.forWebhooks(e.enterpriseId()).jsonText(body(e, type));
            WebhookStore.enqueue(h, e.enterpriseId(), w.id(), type, body, clock.instant());
        }
    }

    /** An event's data as webhooks and the stream show it: without the recording's place on the server's disk (nobody
     *  else's business) and the enterprise, which the envelope carries. */
    @JsonIgnoreProperties({"path", "enterpriseId"})
    private abstract static class PublicView {
    }

    private static final ObjectWriter DATA = JsonMapper.MAPPER.copy().addMixIn(LogEvent.class, PublicView.class).writer();

    /** The JSON body of one event: written straight from the event (the event log's writer makes one per event). */
    static String body(LogEvent e, String type) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        UUID id = new UUID(r.nextLong() & ~0xF000L | 0x4000L, r.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L); // v4
        try {
            // type and at are [a-z._] and an ISO-8601 instant: nothing to escape
            return "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"at\":\"" + e.at() + "\",\"enterpriseId\":" + e.enterpriseId()
                    + ",\"data\":" + DATA.writeValueAsString(e) + "}";
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("event not serialisable: " + e, ex);
        }
    }

    /** The type of the test event an admin sends one webhook ({@code POST /webhooks/{id}/test}); no subscription names it. */
    static final String TEST = "webhook.test";

    /** The test event's body: the envelope of every event, {@code data} naming the webhook. */
    static String testBody(long enterpriseId, long webhookId, java.time.Instant at) {
        return "{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"" + TEST + "\",\"at\":\"" + at + "\",\"enterpriseId\":" + enterpriseId
                + ",\"data\":{\"webhookId\":" + webhookId + ",\"message\":\"a test event from Hotline\"}}";
    }

    /** The signature header's value for {@code body} sent at {@code unixSeconds}. */
    public static String signature(String secret, long unixSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] sig = mac.doFinal((unixSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(sig);
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void sendDue() {
        try {
            List<WebhookStore.Delivery> heads = jdbi.withHandle(WebhookStore::heads);
            if (heads.isEmpty()) return;
            Map<Long, Webhook> hooks = new HashMap<>();
            jdbi.withHandle(WebhookStore::all).values().forEach(list -> list.forEach(w -> hooks.put(w.id(), w)));
            Instant now = clock.instant();
            for (WebhookStore.Delivery d : heads) {
                Webhook w = hooks.get(d.webhookId());
                if (w == null || !w.enabled() || d.nextAt().isAfter(now)) continue;
                send(w, d);
            }
        } catch (RuntimeException e) {
            log.warn("webhook sending failed: {}", e.toString());
        }
    }

    private void send(Webhook w, WebhookStore.Delivery d) {
        long t = clock.instant().getEpochSecond();
        Integer status = null;
        String error;
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(w.url())).timeout(TIMEOUT)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("User-Agent", "Hotline-Webhooks/1")
                    .header("X-Hotline-Event", d.eventType())
                    .header("X-Hotline-Delivery", Long.toString(d.id()))
                    .header("X-Hotline-Signature", signature(w.secret(), t, d.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(d.body(), StandardCharsets.UTF_8)).build();
            HttpResponse<Void> res = http.send(req, HttpResponse.BodyHandlers.discarding());
            status = res.statusCode();
            if (status / 100 == 2) {
                int s = status;
                jdbi.useHandle(h -> WebhookStore.delivered(h, d.id(), s, clock.instant()));
                return;
            }
            error = "HTTP " + status;
        } catch (IOException | IllegalArgumentException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long backoff = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(d.attempts(), 20));
        Integer s = status;
        String err = error;
        jdbi.useHandle(h -> WebhookStore.failed(h, d.id(), s, err, clock.instant().plusMillis(backoff)));
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
