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

    /** One request and where it stands ({@code state}: a {@link RequestState} in lower case). */
    record Request(long id, String number, String name, String sourceIp, Instant requestedAt, Instant scheduledAt, String mode, String state,
                   int attempts, Instant nextAt, String lastResult, Instant queuedAt, Long agentUserId, String cancelledBy, Instant updatedAt) {
        RequestState status() {
            return RequestState.of(state);
        }

        boolean agentFirst() {
            return WebCallbackSettings.AGENT_FIRST.equals(mode);
        }

        /** The request's key in the ACD and the event log. */
        String key() {
            return "webcallback-" + id;
        }
    }

    /**
     * A change of a request's state: from {@code from} only (false when it is elsewhere by now); {@code nextAt} is set when
     * it goes back to pending, {@code attempt} counts a try, the others are kept when null.
     */
    record Move(RequestState from, RequestState to, Instant nextAt, String result, boolean attempt, Long agentUserId, String by) {
        Move {
            if (!from.next().contains(to)) throw new IllegalStateException("a web callback cannot go from " + from + " to " + to);
        }

        static Move of(RequestState from, RequestState to) {
            return new Move(from, to, null, null, false, null, null);
        }

        Move next(Instant at) {
            return new Move(from, to, at, result, attempt, agentUserId, by);
        }

        Move result(String r) {
            return new Move(from, to, nextAt, r, attempt, agentUserId, by);
        }

        Move counted() {
            return new Move(from, to, nextAt, result, true, agentUserId, by);
        }

        Move agent(long userId) {
            return new Move(from, to, nextAt, result, attempt, userId, by);
        }

        Move by(String who) {
            return new Move(from, to, nextAt, result, attempt, agentUserId, who);
        }
    }

    private static final RowMapper<Site> SITE = (rs, c) -> new Site(rs.getLong("enterprise_id"), rs.getString("public_key"),
            rs.getString("secret"), read(rs.getString("settings")));

    private static final RowMapper<Request> REQUEST = (rs, c) -> new Request(rs.getLong("id"), rs.getString("number"), rs.getString("name"),
            rs.getString("source_ip"), instant(rs.getTimestamp("requested_at")), instant(rs.getTimestamp("scheduled_at")), rs.getString("place_mode"),
            rs.getString("state"), rs.getInt("attempts"), instant(rs.getTimestamp("next_at")), rs.getString("last_result"),
            instant(rs.getTimestamp("queued_at")), (Long) rs.getObject("agent_user_id", Long.class), rs.getString("cancelled_by"),
            instant(rs.getTimestamp("updated_at")));

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

    static long insert(Handle h, long enterpriseId, String number, String name, String ip, Instant scheduledAt, String mode, String cancelHash,
                       Instant now) {
        return h.createUpdate("""
                INSERT INTO web_callback (enterprise_id, number, name, source_ip, requested_at, scheduled_at, place_mode, cancel_hash, state,
                                          attempts, next_at, updated_at)
                VALUES (:e, :n, :name, :ip, :at, :sched, :mode, :hash, 'pending', 0, :next, :at)""")
                .bind("e", enterpriseId).bind("n", number).bind("name", name).bind("ip", ip).bind("at", Timestamp.from(now))
                .bind("mode", mode).bind("hash", cancelHash)
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

    /** Requests of the enterprise being placed now (customer first: the customer's leg; agent first: after the agent answered). */
    static int placing(Handle h, long enterpriseId) {
        return h.createQuery("SELECT COUNT(*) FROM web_callback WHERE enterprise_id = :e AND state = 'placing'").bind("e", enterpriseId)
                .mapTo(Integer.class).one();
    }

    /** The one way a request changes state; false when it was no longer in {@code m.from()}. */
    static boolean move(Handle h, long id, Move m, Instant now) {
        StringBuilder sql = new StringBuilder("UPDATE web_callback SET state = :to, updated_at = :at");
        if (m.to() == RequestState.PENDING) sql.append(", next_at = :next");
        if (m.to() == RequestState.QUEUED) sql.append(", queued_at = :at");
        if (m.result() != null) sql.append(", last_result = :r");
        if (m.attempt()) sql.append(", attempts = attempts + 1");
        if (m.agentUserId() != null) sql.append(", agent_user_id = :agent");
        if (m.by() != null) sql.append(", cancelled_by = :by");
        sql.append(" WHERE id = :id AND state = :from");
        var u = h.createUpdate(sql.toString()).bind("id", id).bind("from", m.from().db()).bind("to", m.to().db()).bind("at", Timestamp.from(now));
        if (m.to() == RequestState.PENDING) u.bind("next", Timestamp.from(m.nextAt() == null ? now : m.nextAt()));
        if (m.result() != null) u.bind("r", m.result().length() > 64 ? m.result().substring(0, 64) : m.result());
        if (m.agentUserId() != null) u.bind("agent", m.agentUserId());
        if (m.by() != null) u.bind("by", m.by());
        return u.execute() == 1;
    }

    /** At start: requests a stop left being placed are pending again (their attempt stays counted). */
    static int releasePlacing(Handle h, Instant now) {
        Move m = Move.of(RequestState.PLACING, RequestState.PENDING);
        return h.createUpdate("UPDATE web_callback SET state = :to, next_at = :at, updated_at = :at WHERE state = :from")
                .bind("from", m.from().db()).bind("to", m.to().db()).bind("at", Timestamp.from(now)).execute();
    }

    /** Agent-first requests waiting in the ACD queues (every enterprise), in the order they joined: put back after a restart. */
    static List<Queued> queued(Handle h) {
        return h.createQuery("SELECT * FROM web_callback WHERE state = 'queued' ORDER BY queued_at, id")
                .map((rs, c) -> new Queued(rs.getLong("enterprise_id"), REQUEST.map(rs, c))).list();
    }

    /** A queued request and its enterprise. */
    record Queued(long enterpriseId, Request request) {}

    static Optional<String> cancelHash(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT cancel_hash FROM web_callback WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id)
                .mapTo(String.class).findOne();
    }

    /** The latest {@code limit} requests made in [from, to), optionally in one state. */
    static List<Request> list(Handle h, long enterpriseId, Instant from, Instant to, RequestState state, int limit) {
        return h.createQuery("SELECT * FROM web_callback WHERE enterprise_id = :e AND requested_at >= :f AND requested_at < :t"
                        + (state == null ? "" : " AND state = :s") + " ORDER BY id DESC LIMIT :l")
                .bind("e", enterpriseId).bind("f", Timestamp.from(from)).bind("t", Timestamp.from(to)).bind("s", state == null ? null : state.db())
                .bind("l", limit).map(REQUEST).list();
    }

    /** Requests made in [from, to) by state and by mode, with tries and time to connect of those done. */
    static Report report(Handle h, long enterpriseId, Instant from, Instant to) {
        Map<String, Integer> byState = new LinkedHashMap<>();
        for (RequestState s : RequestState.values()) byState.put(s.db(), 0);
        Map<String, Map<String, Integer>> byMode = new LinkedHashMap<>();
        int[] total = new int[1];
        long[] attempts = new long[1];
        double[] toConnect = new double[2];
        h.createQuery("SELECT place_mode, state, attempts, requested_at, updated_at FROM web_callback "
                        + "WHERE enterprise_id = :e AND requested_at >= :f AND requested_at < :t")
                .bind("e", enterpriseId).bind("f", Timestamp.from(from)).bind("t", Timestamp.from(to))
                .map((rs, c) -> {
                    String state = rs.getString("state");
                    total[0]++;
                    attempts[0] += rs.getInt("attempts");
                    byState.merge(state, 1, Integer::sum);
                    byMode.computeIfAbsent(rs.getString("place_mode"), k -> new LinkedHashMap<>()).merge(state, 1, Integer::sum);
                    if (RequestState.DONE.db().equals(state)) {
                        toConnect[0] += (rs.getTimestamp("updated_at").getTime() - rs.getTimestamp("requested_at").getTime()) / 1000.0;
                        toConnect[1]++;
                    }
                    return state;
                }).list();
        int done = byState.get(RequestState.DONE.db());
        int closed = done + byState.get(RequestState.FAILED.db());
        return new Report(from, to, total[0], byState, byMode, closed == 0 ? null : Math.round(1000.0 * done / closed) / 10.0,
                total[0] == 0 ? null : Math.round(10.0 * attempts[0] / total[0]) / 10.0,
                toConnect[1] == 0 ? null : Math.round(toConnect[0] / toConnect[1]));
    }

    /**
     * The web callback report: requests made in the period, by state and by mode; {@code connectedPercent} of those closed (done
     * or failed) that reached an agent; {@code attemptsPerRequest}; {@code avgSecondsToConnect} from the request to the connection.
     */
    record Report(Instant from, Instant to, int requests, Map<String, Integer> byState, Map<String, Map<String, Integer>> byMode,
                  Double connectedPercent, Double attemptsPerRequest, Long avgSecondsToConnect) {}

    /** The queue's average handle time (talk seconds of calls an agent took) since {@code since}, and how many calls it is of. */
    static Optional<double[]> handleTime(Handle h, long enterpriseId, String queue, Instant since) {
        return h.createQuery("""
                SELECT AVG(CAST(talk_seconds AS DOUBLE PRECISION)) AS aht, COUNT(*) AS n FROM call_record
                WHERE enterprise_id = :e AND queue = :q AND agent_user_id IS NOT NULL AND talk_seconds > 0 AND started_at >= :s""")
                .bind("e", enterpriseId).bind("q", queue).bind("s", Timestamp.from(since))
                .map((rs, c) -> new double[] {rs.getDouble("aht"), rs.getLong("n")}).list().stream().filter(r -> r[1] > 0).findFirst();
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
