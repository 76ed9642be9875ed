package dev.hotline.webcallback;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hotline.domain.JsonMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The {@code web_callback_site} and {@code web_callback} tables. */
final class WebCallbackStore {
    private WebCallbackStore() {}

    /** An enterprise's public key, challenge secret and settings. */
    record Site(long enterpriseId, String publicKey, String secret, WebCallbackSettings settings) {}

    /** One request and where it stands. */
    record Request(long id, String number, String name, String sourceIp, Instant requestedAt, Instant scheduledAt, String state,
                   int attempts, Instant nextAt, String lastResult, Instant updatedAt) {}

    private static final RowMapper<Site> SITE = (rs, c) -> new Site(rs.getLong("enterprise_id"), rs.getString("public_key"),
            rs.getString("secret"), read(rs.getString("settings")));

    private static final RowMapper<Request> REQUEST = (rs, c) -> new Request(rs.getLong("id"), rs.getString("number"), rs.getString("name"),
            rs.getString("source_ip"), instant(rs.getTimestamp("requested_at")), instant(rs.getTimestamp("scheduled_at")), rs.getString("state"),
            rs.getInt("attempts"), instant(rs.getTimestamp("next_at")), rs.getString("last_result"), instant(rs.getTimestamp("updated_at")));

    static Optional<Site> site(Handle h, long enterpriseId) {
        return h.createQuery("SELECT * FROM web_callback_site WHERE enterprise_id = :e").bind("e", enterpriseId).map(SITE).findOne();
    }

    static Optional<Site> siteByKey(Handle h, String key) {
        return h.createQuery("SELECT * FROM web_callback_site WHERE public_key = :k").bind("k", key).map(SITE).findOne();
    }

    static void saveSite(Handle h, long enterpriseId, WebCallbackSettings s) {
        if (site(h, enterpriseId).isPresent()) {
            h.createUpdate("UPDATE web_callback_site SET settings = :s WHERE enterprise_id = :e").bind("e", enterpriseId).bind("s", write(s)).execute();
        } else {
            h.createUpdate("INSERT INTO web_callback_site (enterprise_id, public_key, secret, settings) VALUES (:e, :k, :secret, :s)")
                    .bind("e", enterpriseId).bind("k", Challenge.randomKey(12)).bind("secret", Challenge.randomKey(32)).bind("s", write(s)).execute();
        }
    }

    static long insert(Handle h, long enterpriseId, String number, String name, String ip, Instant scheduledAt, Instant now) {
        return h.createUpdate("""
                INSERT INTO web_callback (enterprise_id, number, name, source_ip, requested_at, scheduled_at, state, attempts, next_at, updated_at)
                VALUES (:e, :n, :name, :ip, :at, :sched, 'pending', 0, :next, :at)""")
                .bind("e", enterpriseId).bind("n", number).bind("name", name).bind("ip", ip).bind("at", Timestamp.from(now))
                .bind("sched", scheduledAt == null ? null : Timestamp.from(scheduledAt))
                .bind("next", Timestamp.from(scheduledAt == null ? now : scheduledAt))
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    }

    static int fromAddressSince(Handle h, long enterpriseId, String ip, Instant since) {
        return h.createQuery("SELECT COUNT(*) FROM web_callback WHERE enterprise_id = :e AND source_ip = :ip AND requested_at >= :s")
                .bind("e", enterpriseId).bind("ip", ip).bind("s", Timestamp.from(since)).mapTo(Integer.class).one();
    }

    static int forNumberSince(Handle h, long enterpriseId, String number, Instant since) {
        return h.createQuery("SELECT COUNT(*) FROM web_callback WHERE enterprise_id = :e AND number = :n AND requested_at >= :s")
                .bind("e", enterpriseId).bind("n", number).bind("s", Timestamp.from(since)).mapTo(Integer.class).one();
    }

    /** Requests of the enterprise still to be placed (pending or placing) that were made before {@code id}. */
    static int ahead(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT COUNT(*) FROM web_callback WHERE enterprise_id = :e AND state IN ('pending', 'placing') AND id < :id")
                .bind("e", enterpriseId).bind("id", id).mapTo(Integer.class).one();
    }

    static List<Request> list(Handle h, long enterpriseId, int limit) {
        return h.createQuery("SELECT * FROM web_callback WHERE enterprise_id = :e ORDER BY id DESC LIMIT :l").bind("e", enterpriseId)
                .bind("l", limit).map(REQUEST).list();
    }

    /** Due requests of every enterprise: pending, their time come, oldest first. */
    static List<Request> due(Handle h, long enterpriseId, Instant now, int n) {
        return h.createQuery("""
                SELECT * FROM web_callback WHERE enterprise_id = :e AND state = 'pending' AND next_at <= :now ORDER BY next_at, id LIMIT :n""")
                .bind("e", enterpriseId).bind("now", Timestamp.from(now)).bind("n", n).map(REQUEST).list();
    }

    static List<Long> enterprisesWithDue(Handle h, Instant now) {
        return h.createQuery("SELECT DISTINCT enterprise_id FROM web_callback WHERE state = 'pending' AND next_at <= :now")
                .bind("now", Timestamp.from(now)).mapTo(Long.class).list();
    }

    static int placing(Handle h, long enterpriseId) {
        return h.createQuery("SELECT COUNT(*) FROM web_callback WHERE enterprise_id = :e AND state = 'placing'").bind("e", enterpriseId)
                .mapTo(Integer.class).one();
    }

    /** Takes a pending request for an attempt; false when it is no longer pending. */
    static boolean claim(Handle h, long id, Instant now) {
        return h.createUpdate("UPDATE web_callback SET state = 'placing', attempts = attempts + 1, updated_at = :at WHERE id = :id AND state = 'pending'")
                .bind("id", id).bind("at", Timestamp.from(now)).execute() == 1;
    }

    static void finish(Handle h, long id, String state, Instant nextAt, String result, Instant now) {
        h.createUpdate("UPDATE web_callback SET state = :s, next_at = :next, last_result = :r, updated_at = :at WHERE id = :id")
                .bind("id", id).bind("s", state).bind("next", nextAt == null ? null : Timestamp.from(nextAt)).bind("r", result)
                .bind("at", Timestamp.from(now)).execute();
    }

    /** At start: requests a stop left being placed are pending again (their attempt stays counted). */
    static int releasePlacing(Handle h, Instant now) {
        return h.createUpdate("UPDATE web_callback SET state = 'pending', next_at = :at, updated_at = :at WHERE state = 'placing'")
                .bind("at", Timestamp.from(now)).execute();
    }

    static Optional<Request> byId(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT * FROM web_callback WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id)
                .map(REQUEST).findOne();
    }

    /** The request's steps from the event log, oldest first. */
    static List<Map<String, Object>> events(Handle h, long enterpriseId, long id) {
        return h.createQuery("""
                SELECT call_id, at, data FROM call_event WHERE enterprise_id = :e AND type = 'web_callback' AND data LIKE :p ORDER BY at, id""")
                .bind("e", enterpriseId).bind("p", "request=" + id + " %")
                .map((rs, c) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("callId", rs.getString("call_id"));
                    m.put("at", rs.getTimestamp("at").toInstant().toString());
                    m.put("data", rs.getString("data"));
                    return m;
                }).list();
    }

    static Optional<String> queueName(Handle h, long enterpriseId, long queueId) {
        return h.createQuery("SELECT name FROM acd_queue WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", queueId)
                .mapTo(String.class).findOne();
    }

    static boolean owned(Handle h, String table, long enterpriseId, long id) {
        return h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id)
                .mapTo(Long.class).one() > 0;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    static String write(WebCallbackSettings s) {
        try {
            return JsonMapper.MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static WebCallbackSettings read(String s) {
        try {
            return JsonMapper.MAPPER.readValue(s, WebCallbackSettings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
