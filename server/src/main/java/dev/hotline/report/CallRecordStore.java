package dev.hotline.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hotline.domain.JsonMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for call records and for reading a call's events back. */
public final class CallRecordStore {
    /** The longest IVR path kept in a record (the column's width). */
    static final int IVR_PATH_MAX = 500;
    /** The width of the media_quality column (V46). */
    private static final int MEDIA_JSON_MAX = 4000;

    private CallRecordStore() {}

    static void insert(Handle h, long enterpriseId, CallRecord r) {
        try (PreparedStatement ps = prepareInsert(h.getConnection())) {
            bindInsert(ps, enterpriseId, r);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("call record " + r.callId() + " not written: " + e.getMessage(), e);
        }
    }

    /**
     * The insert of call records, for {@link #bindInsert} and a JDBC batch: the event log writes a batch's records in one
     * round (plain JDBC, positional: per row it costs a fraction of a named Jdbi statement).
     */
    static PreparedStatement prepareInsert(Connection c) throws SQLException {
        return c.prepareStatement(INSERT);
    }

    static final String INSERT = """
            INSERT INTO call_record (call_id, enterprise_id, direction, caller, callee, trunk, extension, started_at,
                answered_at, ended_at, talk_seconds, outcome, hangup_cause, hangup_by, sip_status, queue, agent_user_id, agent_job,
                wait_ms, queue_result, disposition, ivr_path, hold_count, hold_seconds, transfers, media_quality, rtp_loss_pct,
                rtp_jitter_ms, rtt_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /** Sets the parameters of {@link #prepareInsert}'s statement to {@code r}. */
    static void bindInsert(PreparedStatement ps, long enterpriseId, CallRecord r) throws SQLException {
        int i = 0;
        ps.setString(++i, r.callId());
        ps.setLong(++i, enterpriseId);
        ps.setString(++i, r.direction());
        ps.setString(++i, cut(r.caller(), 64));
        ps.setString(++i, cut(r.callee(), 64));
        ps.setString(++i, cut(r.trunk(), 64));
        ps.setString(++i, cut(r.extension(), 64));
        ps.setTimestamp(++i, Timestamp.from(r.startedAt()));
        ps.setTimestamp(++i, r.answeredAt() == null ? null : Timestamp.from(r.answeredAt()));
        ps.setTimestamp(++i, Timestamp.from(r.endedAt()));
        ps.setInt(++i, r.talkSeconds());
        ps.setString(++i, r.outcome().key());
        ps.setString(++i, r.hangupCause());
        ps.setString(++i, r.hangupBy());
        setInt(ps, ++i, r.sipStatus());
        ps.setString(++i, cut(r.queue(), 64));
        setLong(ps, ++i, r.agentUserId());
        ps.setString(++i, cut(r.agentJob(), 16));
        setLong(ps, ++i, r.waitMs());
        ps.setString(++i, r.queueResult());
        ps.setString(++i, r.disposition() == null ? null : r.disposition().key());
        ps.setString(++i, cut(r.ivrPath(), 512));
        ps.setInt(++i, r.holdCount());
        ps.setInt(++i, r.holdSeconds());
        ps.setInt(++i, r.transfers());
        ps.setString(++i, mediaJson(r.media()));
        setDouble(ps, ++i, r.media().stream().map(LegQuality::lossPercent).max(Double::compare).orElse(null));
        setDouble(ps, ++i, r.media().stream().map(LegQuality::jitterMs).max(Double::compare).orElse(null));
        setDouble(ps, ++i, r.media().stream().map(LegQuality::rttMs).filter(Objects::nonNull).max(Double::compare).orElse(null));
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) ps.setNull(i, Types.INTEGER);
        else ps.setInt(i, v);
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, v);
    }

    private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null) ps.setNull(i, Types.DOUBLE);
        else ps.setDouble(i, v);
    }

    private static String mediaJson(List<LegQuality> media) {
        if (media.isEmpty()) return null;
        try {
            String json = JsonMapper.MAPPER.writeValueAsString(media);
            return json.length() <= MEDIA_JSON_MAX ? json : JsonMapper.MAPPER.writeValueAsString(media.subList(0, Math.min(media.size(), 8)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<LegQuality> media(String json) throws SQLException {
        if (json == null) return List.of();
        try {
            return List.of(JsonMapper.MAPPER.readValue(json, LegQuality[].class));
        } catch (JsonProcessingException e) {
            throw new SQLException("bad media_quality JSON", e);
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** Maps a row of {@link #SELECT}. */
    static CallRecord map(ResultSet rs) throws SQLException {
        Timestamp ans = rs.getTimestamp("answered_at");
        return new CallRecord(rs.getString("call_id"), rs.getString("direction"), rs.getString("caller"), rs.getString("callee"),
                rs.getString("trunk"), rs.getString("extension"), rs.getTimestamp("started_at").toInstant(),
                ans == null ? null : ans.toInstant(), rs.getTimestamp("ended_at").toInstant(), rs.getInt("talk_seconds"),
                CallRecord.Outcome.valueOf(rs.getString("outcome").toUpperCase()), rs.getString("hangup_cause"),
                rs.getString("hangup_by"), rs.getObject("sip_status", Integer.class), rs.getString("queue"),
                rs.getObject("agent_user_id", Long.class), rs.getString("agent_job"), rs.getObject("wait_ms", Long.class),
                rs.getString("queue_result"), CallRecord.Disposition.parse(rs.getString("disposition")), rs.getString("ivr_path"),
                rs.getInt("hold_count"), rs.getInt("hold_seconds"), rs.getInt("transfers"), rs.getString("agent_name"),
                rs.getString("agent_extension"), media(rs.getString("media_quality")));
    }

    /** Filters of the call list; null means any. */
    public record Filter(Instant from, Instant to, String number, String outcome, String disposition, String queue, Long agentUserId,
                         String direction, int limit, int offset) {
        public Filter(Instant from, Instant to, String number, String outcome, int limit, int offset) {
            this(from, to, number, outcome, null, null, null, null, limit, offset);
        }
    }

    public record Page(long total, List<CallRecord> items) {}

    /** Records with the agent's current name and extension. */
    private static final String SELECT = """
            SELECT r.*, u.display_name AS agent_name, x.number AS agent_extension FROM call_record r
            LEFT JOIN app_user u ON u.id = r.agent_user_id AND u.enterprise_id = r.enterprise_id
            LEFT JOIN extension x ON x.user_id = r.agent_user_id AND x.enterprise_id = r.enterprise_id""";

    public static Page search(Handle h, long enterpriseId, Filter f) {
        String where = " WHERE r.enterprise_id = :e"
                + (f.from() != null ? " AND r.started_at >= :from" : "")
                + (f.to() != null ? " AND r.started_at < :to" : "")
                + (f.number() != null ? " AND (r.caller LIKE :num OR r.callee LIKE :num OR r.extension = :exact)" : "")
                + (f.outcome() != null ? " AND r.outcome = :outcome" : "")
                + (f.disposition() != null ? " AND r.disposition = :disp" : "")
                + (f.queue() != null ? " AND r.queue = :queue" : "")
                + (f.agentUserId() != null ? " AND r.agent_user_id = :agent" : "")
                + (f.direction() != null ? " AND r.direction = :dir" : "");
        var count = h.createQuery("SELECT COUNT(*) FROM call_record r" + where);
        var items = h.createQuery(SELECT + where + " ORDER BY r.started_at DESC LIMIT :limit OFFSET :offset");
        for (var q : List.of(count, items)) {
            q.bind("e", enterpriseId);
            if (f.from() != null) q.bind("from", Timestamp.from(f.from()));
            if (f.to() != null) q.bind("to", Timestamp.from(f.to()));
            if (f.number() != null) q.bind("num", "%" + f.number() + "%").bind("exact", f.number());
            if (f.outcome() != null) q.bind("outcome", f.outcome());
            if (f.disposition() != null) q.bind("disp", f.disposition());
            if (f.queue() != null) q.bind("queue", f.queue());
            if (f.agentUserId() != null) q.bind("agent", f.agentUserId());
            if (f.direction() != null) q.bind("dir", f.direction());
        }
        return new Page(count.mapTo(Long.class).one(),
                items.bind("limit", f.limit()).bind("offset", f.offset()).map((rs, c) -> map(rs)).list());
    }

    public static Optional<CallRecord> byId(Handle h, long enterpriseId, String callId) {
        return h.createQuery(SELECT + " WHERE r.enterprise_id = :e AND r.call_id = :id")
                .bind("e", enterpriseId).bind("id", callId).map((rs, c) -> map(rs)).findOne();
    }

    /** ACD-4 sticky agent: the agent who last served {@code caller} since {@code since}, if any. */
    public static Optional<Long> lastAgent(Handle h, long enterpriseId, String caller, Instant since) {
        return h.createQuery("SELECT agent_user_id FROM call_record WHERE enterprise_id = :e AND caller = :c AND agent_user_id IS NOT NULL"
                        + " AND started_at > :since ORDER BY started_at DESC LIMIT 1")
                .bind("e", enterpriseId).bind("c", caller).bind("since", Timestamp.from(since)).mapTo(Long.class).findOne();
    }

    /** A past call of a number as the agent desk shows it (AGENT-4). */
    public record PastCall(String callId, Instant startedAt, String outcome, String agentJob, String queue, int talkSeconds) {}

    /** AGENT-4: how many calls came from {@code number}, and the last {@code limit} calls from or to it, newest first. */
    public record History(long calls, List<PastCall> lastCalls) {}

    public static History history(Handle h, long enterpriseId, String number, int limit) {
        long count = h.createQuery("SELECT COUNT(*) FROM call_record WHERE enterprise_id = :e AND caller = :n")
                .bind("e", enterpriseId).bind("n", number).mapTo(Long.class).one();
        List<PastCall> last = h.createQuery("""
                SELECT call_id, started_at, outcome, agent_job, queue, talk_seconds FROM call_record
                WHERE enterprise_id = :e AND (caller = :n OR callee = :n) ORDER BY started_at DESC LIMIT :limit""")
                .bind("e", enterpriseId).bind("n", number).bind("limit", limit)
                .map((rs, x) -> new PastCall(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getInt(6))).list();
        return new History(count, last);
    }

    /** One logged event as the API shows it. */
    public record LoggedEvent(int seq, Instant at, String type, String channelId, String data) {}

    public static List<LoggedEvent> timeline(Handle h, long enterpriseId, String callId) {
        return h.createQuery("SELECT seq, at, type, channel_id, data FROM call_event WHERE enterprise_id = :e AND call_id = :id ORDER BY seq")
                .bind("e", enterpriseId).bind("id", callId)
                .map((rs, c) -> new LoggedEvent(rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5)))
                .list();
    }

    /** Reads a call's events back as {@link CallLogEvent}s, for closing unfinished calls. */
    static List<CallLogEvent> events(Handle h, String callId) {
        List<CallLogEvent> out = new ArrayList<>();
        h.createQuery("SELECT enterprise_id, at, type, channel_id, data FROM call_event WHERE call_id = :id ORDER BY seq")
                .bind("id", callId).map((rs, c) -> {
                    long e = rs.getLong(1);
                    Instant at = rs.getTimestamp(2).toInstant();
                    String ch = rs.getString(4);
                    String data = rs.getString(5) == null ? "" : rs.getString(5);
                    return switch (rs.getString(3)) {
                        case "arrived" -> new CallLogEvent.Arrived(e, callId, at, ch, field(data, "direction"), field(data, "caller"),
                                field(data, "callee"), field(data, "trunk"), field(data, "extension"));
                        case "dialing" -> new CallLogEvent.Dialing(e, callId, at, ch, field(data, "target"));
                        case "answered" -> new CallLogEvent.Answered(e, callId, at, ch);
                        case "blocked" -> new CallLogEvent.Blocked(e, callId, at, ch, field(data, "rule"));
                        case "rejected" -> new CallLogEvent.Rejected(e, callId, at, ch, Integer.parseInt(field(data, "status")), field(data, "reason"));
                        case "media" -> new CallLogEvent.MediaReport(e, callId, at, ch, new LegQuality(ch, field(data, "codec"),
                                parseLong(field(data, "packets")), parseLong(field(data, "lost")), parseDouble(field(data, "loss_pct")),
                                parseDouble(field(data, "jitter_ms")), parseLong(field(data, "rtcp_sent")),
                                parseLong(field(data, "rtcp_received")), optionalDouble(field(data, "rtt_ms")),
                                optionalDouble(field(data, "remote_loss_pct")), optionalDouble(field(data, "remote_jitter_ms"))));
                        case "hangup" -> new CallLogEvent.HungUp(e, callId, at, ch, field(data, "cause"), Integer.parseInt(field(data, "status")));
                        case "queue_join" -> new CallLogEvent.QueueJoined(e, callId, at, ch, field(data, "queue"),
                                Integer.parseInt(field(data, "priority")), Integer.parseInt(field(data, "position")));
                        case "queue_connect" -> new CallLogEvent.QueueConnected(e, callId, at, ch, field(data, "queue"),
                                Long.parseLong(field(data, "agent")), field(data, "job"), Long.parseLong(field(data, "wait_ms")));
                        case "queue_leave" -> new CallLogEvent.QueueLeft(e, callId, at, ch, field(data, "queue"), field(data, "result"),
                                field(data, "reason"), field(data, "destination"), Long.parseLong(field(data, "wait_ms")));
                        case "queue_offer" -> new CallLogEvent.QueueOffered(e, callId, at, ch, field(data, "queue"),
                                parseLong(field(data, "agent")), field(data, "job"), field(data, "device"));
                        case "queue_offer_end" -> new CallLogEvent.QueueOfferEnded(e, callId, at, ch, field(data, "queue"),
                                parseLong(field(data, "agent")), field(data, "result"));
                        case "ivr_node" -> new CallLogEvent.IvrNode(e, callId, at, ch, field(data, "flow"), field(data, "node"), field(data, "type"));
                        case "ivr_key" -> new CallLogEvent.IvrKey(e, callId, at, ch, field(data, "flow"), field(data, "node"), field(data, "key"));
                        case "hold", "unhold" -> new CallLogEvent.Hold(e, callId, at, ch, rs.getString(3).equals("hold"));
                        case "voicemail" -> {
                            String box = field(data, "box");
                            int colon = box == null ? -1 : box.indexOf(':');
                            yield new CallLogEvent.VoicemailLeft(e, callId, at, ch, colon < 0 ? box : box.substring(0, colon),
                                    colon < 0 ? null : box.substring(colon + 1), null, field(data, "callback"), null,
                                    parseLong(field(data, "duration_ms")));
                        }
                        case "widget" -> new CallLogEvent.WidgetCall(e, callId, at, ch, parseLong(field(data, "widget")), field(data, "origin"),
                                field(data, "page"));
                        case "transfer" -> new CallLogEvent.Transfer(e, callId, at, ch, field(data, "kind"), field(data, "target"));
                        case "pbx" -> new CallLogEvent.PbxFeature(e, callId, at, ch, field(data, "feature"), field(data, "detail"));
                        case "supervision" -> new CallLogEvent.Supervised(e, callId, at, ch, parseLong(field(data, "supervisor")),
                                field(data, "action"));
                        default -> new CallLogEvent.Ringing(e, callId, at, ch);
                    };
                }).forEach(out::add);
        return out;
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException x) {
            return 0;
        }
    }

    private static double parseDouble(String s) {
        Double d = optionalDouble(s);
        return d == null ? 0 : d;
    }

    private static Double optionalDouble(String s) {
        try {
            return s == null ? null : Double.valueOf(s);
        } catch (NumberFormatException x) {
            return null;
        }
    }

    private static String field(String data, String key) {
        for (String part : data.split(" ")) if (part.startsWith(key + "=")) return part.substring(key.length() + 1);
        return null;
    }
}
