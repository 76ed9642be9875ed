package dev.hotline.webhook;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The {@code webhook} and {@code webhook_delivery} tables. */
final class WebhookStore {
    private WebhookStore() {}

    /** One delivery of one event to one subscription, with how its sending went. */
    record Delivery(long id, long webhookId, String eventType, String body, Instant createdAt, int attempts, Instant nextAt,
                    Instant deliveredAt, Integer lastStatus, String lastError) {}

    private static final RowMapper<Webhook> HOOK = (rs, c) -> new Webhook(rs.getLong("id"), rs.getString("url"), rs.getString("secret"),
            Arrays.stream(rs.getString("events").split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList(),
            rs.getBoolean("enabled"), rs.getString("description"), rs.getTimestamp("created_at").toInstant());

    private static final RowMapper<Delivery> DELIVERY = (rs, c) -> new Delivery(rs.getLong("id"), rs.getLong("webhook_id"),
            rs.getString("event_type"), rs.getString("body"), rs.getTimestamp("created_at").toInstant(), rs.getInt("attempts"),
            rs.getTimestamp("next_at").toInstant(), rs.getTimestamp("delivered_at") == null ? null : rs.getTimestamp("delivered_at").toInstant(),
            (Integer) rs.getObject("last_status"), rs.getString("last_error"));

    static List<Webhook> list(Handle h, long enterpriseId) {
        return h.createQuery("SELECT * FROM webhook WHERE enterprise_id = :e ORDER BY id").bind("e", enterpriseId).map(HOOK).list();
    }

    /** Every enterprise's subscriptions: enterprise id → its webhooks (for the projection's cache). */
    static Map<Long, List<Webhook>> all(Handle h) {
        Map<Long, List<Webhook>> out = new HashMap<>();
        h.createQuery("SELECT * FROM webhook ORDER BY id").map((rs, c) -> Map.entry(rs.getLong("enterprise_id"), HOOK.map(rs, c)))
                .forEach(en -> out.computeIfAbsent(en.getKey(), k -> new ArrayList<>()).add(en.getValue()));
        return out;
    }

    static Optional<Webhook> byId(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT * FROM webhook WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id).map(HOOK)
                .findOne();
    }

    static long insert(Handle h, long enterpriseId, String url, String secret, List<String> events, boolean enabled, String description,
                       Instant now) {
        return h.createUpdate("""
                INSERT INTO webhook (enterprise_id, url, secret, events, enabled, description, created_at)
                VALUES (:e, :url, :secret, :events, :enabled, :d, :at)""")
                .bind("e", enterpriseId).bind("url", url).bind("secret", secret).bind("events", String.join(",", events))
                .bind("enabled", enabled).bind("d", description).bind("at", Timestamp.from(now))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    static void update(Handle h, long enterpriseId, long id, String url, List<String> events, boolean enabled, String description) {
        h.createUpdate("UPDATE webhook SET url = :url, events = :events, enabled = :enabled, description = :d WHERE enterprise_id = :e AND id = :id")
                .bind("e", enterpriseId).bind("id", id).bind("url", url).bind("events", String.join(",", events)).bind("enabled", enabled)
                .bind("d", description).execute();
    }

    static void delete(Handle h, long enterpriseId, long id) {
        h.createUpdate("DELETE FROM webhook_delivery WHERE webhook_id = :id AND enterprise_id = :e").bind("e", enterpriseId).bind("id", id).execute();
        h.createUpdate("DELETE FROM webhook WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id).execute();
    }

    static void enqueue(Handle h, long enterpriseId, long webhookId, String type, String body, Instant now) {
        h.createUpdate("""
                INSERT INTO webhook_delivery (webhook_id, enterprise_id, event_type, body, created_at, attempts, next_at)
                VALUES (:w, :e, :t, :b, :at, 0, :at)""")
                .bind("w", webhookId).bind("e", enterpriseId).bind("t", type).bind("b", body).bind("at", Timestamp.from(now)).execute();
    }

    /** The oldest undelivered delivery of each subscription that has one (in order: a subscription's next waits for it). */
    static List<Delivery> heads(Handle h) {
        return h.createQuery("""
                SELECT d.* FROM webhook_delivery d
                WHERE d.id IN (SELECT MIN(id) FROM webhook_delivery WHERE delivered_at IS NULL GROUP BY webhook_id)""").map(DELIVERY).list();
    }

    static void delivered(Handle h, long id, int status, Instant at) {
        h.createUpdate("UPDATE webhook_delivery SET delivered_at = :at, last_status = :s, attempts = attempts + 1, last_error = NULL WHERE id = :id")
                .bind("id", id).bind("s", status).bind("at", Timestamp.from(at)).execute();
    }

    static void failed(Handle h, long id, Integer status, String error, Instant next) {
        h.createUpdate("UPDATE webhook_delivery SET attempts = attempts + 1, last_status = :s, last_error = :err, next_at = :n WHERE id = :id")
                .bind("id", id).bind("s", status).bind("err", error == null ? null : error.length() > 500 ? error.substring(0, 500) : error)
                .bind("n", Timestamp.from(next)).execute();
    }

    static List<Delivery> deliveries(Handle h, long enterpriseId, long webhookId, int limit, int offset) {
        return h.createQuery("SELECT * FROM webhook_delivery WHERE enterprise_id = :e AND webhook_id = :w ORDER BY id DESC LIMIT :l OFFSET :o")
                .bind("e", enterpriseId).bind("w", webhookId).bind("l", limit).bind("o", offset).map(DELIVERY).list();
    }

    /** Sends delivery {@code id} again: it goes to the back of its subscription's line. */
    static boolean resend(Handle h, long enterpriseId, long webhookId, long id, Instant now) {
        Optional<Delivery> d = h.createQuery("SELECT * FROM webhook_delivery WHERE enterprise_id = :e AND webhook_id = :w AND id = :id")
                .bind("e", enterpriseId).bind("w", webhookId).bind("id", id).map(DELIVERY).findOne();
        if (d.isEmpty()) return false;
        enqueue(h, enterpriseId, webhookId, d.get().eventType(), d.get().body(), now);
        return true;
    }
}
