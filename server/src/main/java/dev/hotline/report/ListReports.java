package dev.hotline.report;

import dev.hotline.report.ReportTable.Column;
import dev.hotline.report.ReportTable.Kind;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The reports of one row per call or state change (RPT-2), each a page of its rows: inbound call tracking (the path and
 * final outcome of every inbound call), the call-back status of every lost caller, and the agent state log. Times are
 * written in the report's zone.
 */
public final class ListReports {
    private ListReports() {}

    /**
     * The final outcome of an inbound call, from its disposition; the four ways of loss are those of the unanswered report; a
     * caller who asked for a call back (disposition unanswered, queue result callback) is {@code callback}, not lost.
     */
    public enum Outcome {
        ANSWERED("answered"), VOICEMAIL("voicemail"), IVR_ONLY("ivr_only"), LEFT_IVR("abandoned_ivr"), ABANDONED_QUEUED("abandoned_queue"),
        ABANDONED_RINGING("abandoned_ringing"), NOT_ANSWERED("unanswered"), CALLBACK("unanswered");

        /** The four ways of loss. */
        static final List<Outcome> LOST = List.of(LEFT_IVR, ABANDONED_QUEUED, ABANDONED_RINGING, NOT_ANSWERED);
        /** The rows of the lost callers report: the four ways of loss and the call-back requests. */
        static final List<Outcome> LISTED = List.of(LEFT_IVR, ABANDONED_QUEUED, ABANDONED_RINGING, NOT_ANSWERED, CALLBACK);

        private final String disposition;

        Outcome(String disposition) {
            this.disposition = disposition;
        }

        public String key() {
            return name().toLowerCase();
        }

        /** One of the four ways of loss. */
        public boolean lost() {
            return LOST.contains(this);
        }

        /** Counted apart in the call_stat roll-up (so a count of it needs no walk over the calls). */
        boolean rolledUp() {
            return LISTED.contains(this);
        }

        /** The SQL condition on call_record r that selects it (constant text). */
        String condition() {
            return switch (this) {
                case NOT_ANSWERED -> "r.disposition = 'unanswered' AND (r.queue_result IS NULL OR r.queue_result <> 'callback')";
                case CALLBACK -> "r.disposition = 'unanswered' AND r.queue_result = 'callback'";
                default -> "r.disposition = '" + disposition + "'";
            };
        }

        static Outcome of(String disposition, String queueResult) {
            if ("unanswered".equals(disposition) && "callback".equals(queueResult)) return CALLBACK;
            for (Outcome o : values()) if (o.disposition.equals(disposition)) return o;
            return NOT_ANSWERED; // a record older than dispositions: nobody is known to have answered
        }

        /** The outcomes a filter selects: one outcome, or the four ways of loss for "lost". */
        static List<Outcome> outcomes(String filter) {
            if (filter == null) return null;
            if (filter.equals("lost")) return LOST;
            for (Outcome o : values()) if (o.key().equals(filter)) return List.of(o);
            throw new IllegalArgumentException("unknown outcome " + filter); // the routes validate it first
        }

        /** Whether {@code s} is an outcome filter: an outcome's key or "lost". */
        public static boolean valid(String s) {
            if ("lost".equals(s)) return true;
            for (Outcome o : values()) if (o.key().equals(s)) return true;
            return false;
        }
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private static String time(Reports.Query q, Instant at) {
        return at == null ? null : TIME.format(at.atZone(q.period().zone()));
    }

    private static ReportTable page(String name, Reports.Query q, List<Column> cols, List<Map<String, Object>> rows, long total) {
        Period p = q.period();
        return new ReportTable(name, p.from().toString(), p.to().toString(), p.zone().getId(), p.grouping().key(), cols, rows, null,
                new ReportTable.Paging(total, q.limit(), q.offset()));
    }

    static final List<Column> TRACKING_COLUMNS = List.of(
            new Column("time", Kind.TEXT, "Time", "呼入时间"),
            new Column("caller", Kind.TEXT, "Caller", "主叫号码"),
            new Column("number", Kind.TEXT, "Number called", "被叫号码"),
            new Column("ivrPath", Kind.TEXT, "IVR path", "IVR路径"),
            new Column("queues", Kind.TEXT, "Queues", "排队路径"),
            new Column("wait", Kind.SECONDS, "Wait (s)", "等待时长(秒)"),
            new Column("agent", Kind.TEXT, "Agent", "座席"),
            new Column("jobNumber", Kind.TEXT, "Job number", "工号"),
            new Column("talk", Kind.SECONDS, "Talk (s)", "通话时长(秒)"),
            new Column("duration", Kind.SECONDS, "Duration (s)", "总时长(秒)"),
            new Column("outcome", Kind.TEXT, "Final outcome", "最终结果"),
            new Column("overflowReason", Kind.TEXT, "Overflow reason", "溢出原因"),
            new Column("callId", Kind.TEXT, "Call", "呼叫编号"));

    /**
     * Inbound call tracking: one row per inbound call of the range in start order, with the path it took (IVR nodes and keys,
     * each queue joined with what came of it), its wait in queues, the agent, the agent's talk and the final outcome.
     * Filters: the call's (last) queue, its agent, the number called or calling, the outcome (or "lost": the four ways of loss).
     */
    public static ReportTable tracking(Handle h, long enterpriseId, Reports.Query q) {
        Period p = q.period();
        var page = ReportStore.inboundCalls(h, enterpriseId, p, q.unit(), q.queue(), q.agent(), q.number(),
                Outcome.outcomes(q.outcome()), q.limit(), q.offset());
        var visits = ReportStore.visits(h, page.items().stream().map(ReportStore.TrackedCall::callId).toList());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var c : page.items()) {
            List<ReportStore.VisitStep> steps = visits.getOrDefault(c.callId(), List.of());
            StringBuilder path = new StringBuilder();
            String overflow = null;
            long wait = 0;
            long talk = 0;
            boolean inQueue = false;
            for (var v : steps) {
                long w = v.waitMs() == null ? 0 : v.waitMs();
                path.append(path.length() == 0 ? "" : " > ").append(v.queue()).append(": ").append(v.result() == null ? "waiting" : v.result());
                if ("overflow".equals(v.result()) && v.reason() != null) path.append(" (").append(v.reason()).append(')');
                path.append(' ').append(Reports.seconds(w)).append(" s");
                overflow = "overflow".equals(v.result()) ? v.reason() : null; // kept for the last queue only
                wait += w;
                if ("answered".equals(v.result())) {
                    talk += v.talkMs();
                    inQueue = true;
                }
            }
            Outcome outcome = Outcome.of(c.disposition(), c.queueResult());
            if (!inQueue && outcome == Outcome.ANSWERED) talk = c.talkSeconds() * 1000L;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("time", time(q, c.startedAt()));
            row.put("caller", c.caller());
            row.put("number", c.callee());
            row.put("ivrPath", c.ivrPath());
            row.put("queues", path.length() == 0 ? null : path.toString());
            row.put("wait", steps.isEmpty() ? null : Reports.seconds(wait));
            row.put("agentId", c.agent());
            row.put("agent", c.agentName());
            row.put("jobNumber", c.agentJob());
            row.put("talk", Reports.seconds(talk));
            row.put("duration", Reports.seconds(Duration.between(c.startedAt(), c.endedAt()).toMillis()));
            row.put("outcome", outcome.key());
            row.put("overflowReason", overflow);
            row.put("callId", c.callId());
            rows.add(row);
        }
        return page("tracking", q, TRACKING_COLUMNS, rows, page.total());
    }

    static final List<Column> CALLBACK_COLUMNS = List.of(
            new Column("time", Kind.TEXT, "Time", "呼入时间"),
            new Column("caller", Kind.TEXT, "Caller", "主叫号码"),
            new Column("number", Kind.TEXT, "Number called", "被叫号码"),
            new Column("queue", Kind.TEXT, "Queue", "队列"),
            new Column("outcome", Kind.TEXT, "Way of loss", "丢失类型"),
            new Column("callbackStatus", Kind.TEXT, "Call-back status", "回电状态"),
            new Column("reachedAt", Kind.TEXT, "Reached at", "回电接通时间"),
            new Column("reachedAfter", Kind.SECONDS, "Reached after (s)", "回电间隔(秒)"),
            new Column("reachedBy", Kind.TEXT, "Reached by", "回电座席"),
            new Column("reachedVia", Kind.TEXT, "Reached by a call", "回电方式"),
            new Column("callId", Kind.TEXT, "Call", "呼叫编号"));

    /**
     * Lost callers: one row per lost inbound call of the range (the unanswered report's four ways of loss) with its call-back
     * status: not called back until a later call reached the number (an answered outbound call to it, or an answered
     * inbound call from it), then when and by whom, and by which call.
     */
    public static ReportTable callbacks(Handle h, long enterpriseId, Reports.Query q) {
        Period p = q.period();
        var page = ReportStore.lostCalls(h, enterpriseId, p, q.unit(), q.queue(), q.number(), q.limit(), q.offset());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var c : page.items()) {
            boolean reached = c.backCallId() != null;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("time", time(q, c.startedAt()));
            row.put("caller", c.caller());
            row.put("number", c.callee());
            row.put("queue", c.queue());
            row.put("outcome", Outcome.of(c.disposition(), c.queueResult()).key());
            row.put("callbackStatus", reached ? "reached" : "not_called_back");
            row.put("reachedAt", reached ? time(q, c.backAt()) : null);
            row.put("reachedAfter", reached ? Reports.seconds(Duration.between(c.startedAt(), c.backAt()).toMillis()) : null);
            row.put("reachedById", c.backAgent());
            row.put("reachedBy", c.backAgentName());
            row.put("reachedVia", reached ? c.backDirection() : null);
            row.put("reachedCall", c.backCallId());
            row.put("callId", c.callId());
            rows.add(row);
        }
        return page("callbacks", q, CALLBACK_COLUMNS, rows, page.total());
    }

    static final List<Column> STATE_COLUMNS = List.of(
            new Column("agent", Kind.TEXT, "Agent", "座席"),
            new Column("jobNumber", Kind.TEXT, "Job number", "工号"),
            new Column("state", Kind.TEXT, "State", "状态"),
            new Column("reason", Kind.TEXT, "Reason", "原因"),
            new Column("start", Kind.TEXT, "Start", "开始时间"),
            new Column("end", Kind.TEXT, "End", "结束时间"),
            new Column("stateDuration", Kind.SECONDS, "Duration (s)", "持续时长(秒)"),
            new Column("previous", Kind.TEXT, "Previous state", "前一状态"),
            new Column("cause", Kind.TEXT, "Changed by", "变更来源"));

    /**
     * Agent state log: every change of an agent's state in the range, in time order, with its reason, start, end (the
     * agent's next change; none while it lasts) and duration (up to now while it lasts; none for signed out).
     */
    public static ReportTable states(Handle h, long enterpriseId, Reports.Query q) {
        Period p = q.period();
        Map<Long, ReportStore.AgentName> names = ReportStore.agentNames(h, enterpriseId);
        var page = ReportStore.stateChanges(h, enterpriseId, p.from(), p.to(), q.agent(), q.agents(), q.limit(), q.offset());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var s : page.items()) {
            ReportStore.AgentName n = names.get(s.userId());
            Instant end = s.endedAt() != null ? s.endedAt() : s.state().equals("logged_out") ? null : q.now();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("agentId", s.userId());
            row.put("agent", n == null ? String.valueOf(s.userId()) : n.name());
            row.put("jobNumber", n == null ? null : n.jobNumber());
            row.put("state", s.state());
            row.put("reason", s.reason());
            row.put("start", time(q, s.at()));
            row.put("end", time(q, s.endedAt()));
            row.put("stateDuration", end == null ? null : Reports.seconds(Math.max(0, Duration.between(s.at(), end).toMillis())));
            row.put("previous", s.previous());
            row.put("cause", s.cause());
            rows.add(row);
        }
        return page("states", q, STATE_COLUMNS, rows, page.total());
    }
}
