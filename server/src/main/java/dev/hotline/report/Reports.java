package dev.hotline.report;

import dev.hotline.report.ReportTable.Column;
import dev.hotline.report.ReportTable.Kind;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * The call center reports (RPT-2) with the KPIs of {@link QueueFigures} and {@link AgentFigures} (RPT-3): enterprise
 * summary, by queue, by agent, and unanswered calls by the four ways of loss. All are computed from the tables the
 * event log keeps ({@code queue_visit}, {@code queue_offer}, {@code agent_event}, {@code call_record}).
 */
public final class Reports {
    private Reports() {}

    /**
     * What a report is asked for: the period, and optional filters (null: all): queue, agent, the agents of a department
     * ({@code agents}), the number called or calling, the final outcome of a call; and the page of a list report.
     */
    public record Query(Period period, String queue, Long agent, Instant now, java.time.ZoneId reportZone, Set<Long> agents,
                        String number, String outcome, int limit, int offset) {
        public Query(Period period, String queue, Long agent, Instant now, java.time.ZoneId reportZone) {
            this(period, queue, agent, now, reportZone, null, null, null, 50, 0);
        }

        /** Whether an agent passes the agent and department filters. */
        boolean includes(long agentUserId) {
            return (agent == null || agent == agentUserId) && (agents == null || agents.contains(agentUserId));
        }

        /** The unit the roll-ups are read in (see {@link Period#unit(java.time.ZoneId)}). */
        public Period.Unit unit() {
            return period.unit(reportZone);
        }
    }

    // ------------------------------------------------------------------ figures (also used by tests)

    /** Queue figures of the period by bucket and queue, in bucket then queue order. */
    public static Map<LocalDateTime, Map<String, QueueFigures>> queueFigures(Handle h, long enterpriseId, Query q) {
        Period.Unit unit = q.unit();
        Map<LocalDateTime, Map<String, QueueFigures>> out = new TreeMap<>();
        for (var s : ReportStore.queueUnits(h, enterpriseId, q.period(), unit, q.queue())) {
            out.computeIfAbsent(q.period().bucketOfUnit(unit, s.unit()), k -> new TreeMap<>()).merge(s.queue(), s.figures(), QueueFigures::plus);
        }
        return out;
    }

    /** Agent figures of the period by bucket and agent. */
    public static Map<LocalDateTime, Map<Long, AgentFigures>> agentFigures(Handle h, long enterpriseId, Query q) {
        return agentFigures(h, enterpriseId, q, true);
    }

    /**
     * Agent figures of the period by bucket and agent; with {@code perAgent} false the database adds all agents up first
     * (the summary's figures, key 0): a few rows per unit instead of one per agent.
     */
    static Map<LocalDateTime, Map<Long, AgentFigures>> agentFigures(Handle h, long enterpriseId, Query q, boolean perAgent) {
        Period p = q.period();
        Period.Unit unit = q.unit();
        Map<LocalDateTime, Map<Long, AgentFigures>> out = new TreeMap<>();
        for (var s : ReportStore.agentUnits(h, enterpriseId, p, unit, q.queue(), q.agent(), q.agents(), perAgent)) {
            add(out, p.bucketOfUnit(unit, s.unit()), s.agent(), s.figures());
        }
        // Time in each state: the closed states from the roll-up (agent_time_stat or _day, in the same units), then the state
        // each agent is in now, from its change to the range's end (or now), cut at buckets.
        Instant end = q.now() != null && q.now().isBefore(p.to()) ? q.now() : p.to();
        Map<LocalDateTime, Map<Long, StateTimes>> times = new TreeMap<>();
        for (var s : ReportStore.stateUnits(h, enterpriseId, p, unit, q.agent(), q.agents(), perAgent)) {
            times.computeIfAbsent(p.bucketOfUnit(unit, s.unit()), k -> new TreeMap<>()).computeIfAbsent(s.agent(), k -> new StateTimes())
                    .add(s.state(), s.reason().isEmpty() ? null : s.reason(), s.ms());
        }
        for (var o : ReportStore.openStates(h, enterpriseId, q.agent(), q.agents())) {
            Instant a = o.at().isBefore(p.from()) ? p.from() : o.at();
            while (a.isBefore(end)) {
                LocalDateTime bucket = p.bucket(a);
                Instant bucketEnd = p.nextBucketStart(bucket);
                Instant cut = bucketEnd.isBefore(end) ? bucketEnd : end;
                times.computeIfAbsent(bucket, k -> new TreeMap<>()).computeIfAbsent(perAgent ? o.userId() : 0L, k -> new StateTimes())
                        .add(o.state(), o.reason(), cut.toEpochMilli() - a.toEpochMilli());
                a = cut;
            }
        }
        times.forEach((bucket, byAgent) -> byAgent.forEach((agent, t) -> add(out, bucket, agent, t.figures())));
        return out;
    }

    /**
     * SUP-1: what of an agent's day still runs after {@link #agentFigures} counted it up to {@code now}: the state the agent is
     * in ({@code agent_state_now}, whose time those figures count up to {@code now}; null: none) and the talk and hold of the
     * agent's answered queue visit whose talk runs ({@code talk}, as the call book folds it in memory the moment each event
     * happens, with {@link QueueVisits}, the fold the reports count it with once it ended): talk seconds up to {@code now}
     * without its holds and hold seconds (the holds that ended and the open one, of the agent's leg, from the connect at the
     * earliest; both null: no such talk) and whether a hold is open now (then the hold grows, not the talk). The memory leads
     * the event log's tables: a talk still open in memory is not yet counted by the figures read before it, so no interval is
     * counted twice, and a hold shows the moment it happens (no talk running on, then stepping back once the log has it).
     */
    public record Running(String state, Double talkSeconds, Double holdSeconds, boolean onHold) {}

    public static Running running(Handle h, long enterpriseId, long userId, QueueVisits.OpenTalk talk, Instant now) {
        String state = ReportStore.openStates(h, enterpriseId, userId, null).stream().map(ReportStore.AgentEvent::state).findFirst().orElse(null);
        if (talk == null || talk.agentUserId() != userId) return new Running(state, null, null, false);
        return new Running(state, talk.talkMs(now) / 1000.0, talk.holdMs(now) / 1000.0, talk.onHold());
    }

    /** Time in each state of one agent in one bucket. */
    private static final class StateTimes {
        long signedIn, ready, ringing, onCall, wrapUp, notReady;
        final Map<String, Long> reasons = new HashMap<>();

        void add(String state, String reason, long ms) {
            if (state == null || state.equals("logged_out") || ms <= 0) return;
            signedIn += ms;
            switch (state) {
                case "ready" -> ready += ms;
                case "ringing" -> ringing += ms;
                case "on_call" -> onCall += ms;
                case "wrap_up" -> wrapUp += ms;
                case "not_ready" -> {
                    notReady += ms;
                    reasons.merge(reason == null ? "" : reason, ms, Long::sum);
                }
                default -> { }
            }
        }

        AgentFigures figures() {
            return new AgentFigures(0, 0, 0, 0, 0, 0, 0, signedIn, ready, ringing, onCall, wrapUp, notReady, Map.copyOf(reasons));
        }
    }

    private static void add(Map<LocalDateTime, Map<Long, AgentFigures>> out, LocalDateTime bucket, long agent, AgentFigures f) {
        out.computeIfAbsent(bucket, k -> new TreeMap<>()).merge(agent, f, AgentFigures::plus);
    }

    // ------------------------------------------------------------------ tables

    static final Column BUCKET = new Column("period", Kind.TEXT, "Period", "时段");
    static final Column QUEUE = new Column("queue", Kind.TEXT, "Queue", "队列");
    static final List<Column> QUEUE_COLUMNS = List.of(
            new Column("offered", Kind.COUNT, "Offered", "进入队列"),
            new Column("answered", Kind.COUNT, "Answered", "接听"),
            new Column("answeredInTarget", Kind.COUNT, "Answered in target", "服务水平内接听"),
            new Column("abandoned", Kind.COUNT, "Abandoned", "放弃"),
            new Column("shortAbandoned", Kind.COUNT, "Short abandons", "短时放弃"),
            new Column("abandonedRinging", Kind.COUNT, "Abandoned ringing", "振铃中放弃"),
            new Column("overflowed", Kind.COUNT, "Overflowed", "溢出"),
            new Column("voicemail", Kind.COUNT, "Voicemail", "留言"),
            new Column("callback", Kind.COUNT, "Callback", "回呼"),
            new Column("waiting", Kind.COUNT, "Still waiting", "仍在等待"),
            new Column("serviceLevel", Kind.RATE, "Service level", "服务水平"),
            new Column("answerRate", Kind.RATE, "Answer rate", "接通率"),
            new Column("abandonRate", Kind.RATE, "Abandon rate", "放弃率"),
            new Column("abandonRateExShort", Kind.RATE, "Abandon rate excl. short", "放弃率(不含短时放弃)"),
            new Column("asa", Kind.SECONDS, "ASA (s)", "平均应答速度(秒)"),
            new Column("aht", Kind.SECONDS, "AHT (s)", "平均处理时长(秒)"),
            new Column("avgAbandon", Kind.SECONDS, "Avg time to abandon (s)", "平均放弃前等待(秒)"),
            new Column("longestWait", Kind.SECONDS, "Longest wait (s)", "最长等待(秒)"),
            new Column("talk", Kind.SECONDS, "Talk (s)", "通话时长(秒)"),
            new Column("hold", Kind.SECONDS, "Hold (s)", "保持时长(秒)"),
            new Column("wrapUp", Kind.SECONDS, "Wrap-up (s)", "话后处理(秒)"),
            new Column("transfers", Kind.COUNT, "Transfers", "转接"));

    static Map<String, Object> queueValues(QueueFigures f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("offered", f.offered());
        m.put("answered", f.answered());
        m.put("answeredInTarget", f.answeredInTarget());
        m.put("abandoned", f.abandoned());
        m.put("shortAbandoned", f.shortAbandoned());
        m.put("abandonedRinging", f.abandonedRinging());
        m.put("overflowed", f.overflowed());
        m.put("voicemail", f.voicemail());
        m.put("callback", f.callback());
        m.put("waiting", f.waiting());
        m.put("serviceLevel", f.serviceLevel());
        m.put("answerRate", f.answerRate());
        m.put("abandonRate", f.abandonRate());
        m.put("abandonRateExShort", f.abandonRateExcludingShort());
        m.put("asa", f.asaSeconds());
        m.put("aht", f.ahtSeconds());
        m.put("avgAbandon", f.avgAbandonSeconds());
        m.put("longestWait", seconds(f.longestWaitMs()));
        m.put("talk", seconds(f.talkMs()));
        m.put("hold", seconds(f.holdMs()));
        m.put("wrapUp", seconds(f.wrapMs()));
        m.put("transfers", f.transfers());
        return m;
    }

    static double seconds(long ms) {
        return QueueFigures.round1(ms / 1000.0);
    }

    /** By queue: one row per bucket and queue; the total is the sum of the rows. */
    public static ReportTable queues(Handle h, long enterpriseId, Query q) {
        List<Map<String, Object>> rows = new ArrayList<>();
        QueueFigures total = QueueFigures.ZERO;
        for (var b : queueFigures(h, enterpriseId, q).entrySet()) {
            for (var e : b.getValue().entrySet()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("period", q.period().label(b.getKey()));
                row.put("queue", e.getKey());
                row.putAll(queueValues(e.getValue()));
                rows.add(row);
                total = total.plus(e.getValue());
            }
        }
        List<Column> cols = new ArrayList<>(List.of(BUCKET, QUEUE));
        cols.addAll(QUEUE_COLUMNS);
        return table("queues", q, cols, rows, totalRow(queueValues(total)));
    }

    static final List<Column> SUMMARY_EXTRA = List.of(
            new Column("inbound", Kind.COUNT, "Inbound calls", "呼入总数"),
            new Column("occupancy", Kind.RATE, "Occupancy", "座席占用率"),
            new Column("callsPerHour", Kind.COUNT, "Calls per agent hour", "座席每小时接听"));

    /** Enterprise summary: one row per bucket, the queues' figures added up, with inbound calls and the agents' occupancy. */
    public static ReportTable summary(Handle h, long enterpriseId, Query q) {
        Map<LocalDateTime, QueueFigures> byBucket = new TreeMap<>();
        queueFigures(h, enterpriseId, q).forEach((b, m) -> m.values().forEach(f -> byBucket.merge(b, f, QueueFigures::plus)));
        Map<LocalDateTime, Long> inbound = new TreeMap<>();
        Period.Unit unit = q.unit();
        for (var c : ReportStore.callUnits(h, enterpriseId, q.period(), unit, q.queue())) {
            inbound.merge(q.period().bucketOfUnit(unit, c.unit()), c.inbound(), Long::sum);
        }
        Map<LocalDateTime, AgentFigures> agents = new TreeMap<>();
        agentFigures(h, enterpriseId, q, false).forEach((b, m) -> m.values().forEach(f -> agents.merge(b, f, AgentFigures::plus)));
        java.util.SortedSet<LocalDateTime> buckets = new java.util.TreeSet<>(byBucket.keySet());
        buckets.addAll(inbound.keySet());
        buckets.addAll(agents.keySet());
        List<Map<String, Object>> rows = new ArrayList<>();
        QueueFigures total = QueueFigures.ZERO;
        AgentFigures totalAgents = AgentFigures.ZERO;
        long totalInbound = 0;
        for (LocalDateTime b : buckets) {
            QueueFigures f = byBucket.getOrDefault(b, QueueFigures.ZERO);
            AgentFigures a = agents.getOrDefault(b, AgentFigures.ZERO);
            long in = inbound.getOrDefault(b, 0L);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("period", q.period().label(b));
            row.put("inbound", in);
            row.putAll(queueValues(f));
            row.put("occupancy", a.occupancy());
            row.put("callsPerHour", a.callsPerHour());
            rows.add(row);
            total = total.plus(f);
            totalAgents = totalAgents.plus(a);
            totalInbound += in;
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("inbound", totalInbound);
        t.putAll(queueValues(total));
        t.put("occupancy", totalAgents.occupancy());
        t.put("callsPerHour", totalAgents.callsPerHour());
        List<Column> cols = new ArrayList<>(List.of(BUCKET, SUMMARY_EXTRA.get(0)));
        cols.addAll(QUEUE_COLUMNS);
        cols.addAll(SUMMARY_EXTRA.subList(1, 3));
        return table("summary", q, cols, rows, totalRow(t));
    }

    static final List<Column> AGENT_COLUMNS = List.of(
            new Column("agent", Kind.TEXT, "Agent", "座席"),
            new Column("jobNumber", Kind.TEXT, "Job number", "工号"),
            new Column("offered", Kind.COUNT, "Offered", "分配"),
            new Column("answered", Kind.COUNT, "Answered", "接听"),
            new Column("missed", Kind.COUNT, "Missed offers", "未接"),
            new Column("transfers", Kind.COUNT, "Transfers", "转接"),
            new Column("talk", Kind.SECONDS, "Talk (s)", "通话时长(秒)"),
            new Column("hold", Kind.SECONDS, "Hold (s)", "保持时长(秒)"),
            new Column("wrapUp", Kind.SECONDS, "Wrap-up after calls (s)", "话后处理(秒)"),
            new Column("aht", Kind.SECONDS, "AHT (s)", "平均处理时长(秒)"),
            new Column("signedIn", Kind.SECONDS, "Signed in (s)", "登录时长(秒)"),
            new Column("ready", Kind.SECONDS, "Ready (s)", "就绪时长(秒)"),
            new Column("ringing", Kind.SECONDS, "Ringing (s)", "振铃时长(秒)"),
            new Column("onCall", Kind.SECONDS, "On call (s)", "通话状态(秒)"),
            new Column("wrapUpState", Kind.SECONDS, "Wrap-up state (s)", "话后状态(秒)"),
            new Column("notReady", Kind.SECONDS, "Not ready (s)", "未就绪时长(秒)"),
            new Column("notReadyByReason", Kind.TEXT, "Not ready by reason (s)", "未就绪原因(秒)"),
            new Column("occupancy", Kind.RATE, "Occupancy", "占用率"),
            new Column("callsPerHour", Kind.COUNT, "Calls per hour", "每小时接听"));

    static Map<String, Object> agentValues(AgentFigures f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("offered", f.offered());
        m.put("answered", f.answered());
        m.put("missed", f.missed());
        m.put("transfers", f.transfers());
        m.put("talk", seconds(f.talkMs()));
        m.put("hold", seconds(f.holdMs()));
        m.put("wrapUp", seconds(f.wrapMs()));
        m.put("aht", f.ahtSeconds());
        m.put("signedIn", seconds(f.signedInMs()));
        m.put("ready", seconds(f.readyMs()));
        m.put("ringing", seconds(f.ringingMs()));
        m.put("onCall", seconds(f.onCallMs()));
        m.put("wrapUpState", seconds(f.wrapUpMs()));
        m.put("notReady", seconds(f.notReadyMs()));
        StringBuilder reasons = new StringBuilder();
        new TreeMap<>(f.notReadyByReason()).forEach((k, v) -> reasons.append(reasons.length() == 0 ? "" : "; ")
                .append(k.isEmpty() ? "-" : k).append(' ').append(seconds(v)));
        m.put("notReadyByReason", reasons.toString());
        m.put("occupancy", f.occupancy());
        m.put("callsPerHour", f.callsPerHour());
        return m;
    }

    /** By agent: one row per bucket and agent (volume and efficiency); the total is the sum of the rows. */
    public static ReportTable agents(Handle h, long enterpriseId, Query q) {
        Map<Long, ReportStore.AgentName> names = ReportStore.agentNames(h, enterpriseId);
        List<Map<String, Object>> rows = new ArrayList<>();
        AgentFigures total = AgentFigures.ZERO;
        for (var b : agentFigures(h, enterpriseId, q).entrySet()) {
            for (var e : b.getValue().entrySet()) {
                ReportStore.AgentName n = names.get(e.getKey());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("period", q.period().label(b.getKey()));
                row.put("agentId", e.getKey());
                row.put("agent", n == null ? String.valueOf(e.getKey()) : n.name());
                row.put("jobNumber", n == null ? null : n.jobNumber());
                row.putAll(agentValues(e.getValue()));
                rows.add(row);
                total = total.plus(e.getValue());
            }
        }
        List<Column> cols = new ArrayList<>(List.of(BUCKET));
        cols.addAll(AGENT_COLUMNS);
        return table("agents", q, cols, rows, totalRow(agentValues(total)));
    }

    static final List<Column> LOST_COLUMNS = List.of(
            new Column("leftInIvr", Kind.COUNT, "Left in the IVR", "IVR中放弃"),
            new Column("abandonedQueued", Kind.COUNT, "Abandoned while queued", "排队中放弃"),
            new Column("abandonedRinging", Kind.COUNT, "Abandoned while ringing", "振铃中放弃"),
            new Column("notAnswered", Kind.COUNT, "Not answered by the system", "系统未接"),
            new Column("overflowNoAgents", Kind.COUNT, "of which overflow: no agent", "其中溢出:无座席"),
            new Column("overflowFull", Kind.COUNT, "of which overflow: queue full", "其中溢出:队列已满"),
            new Column("overflowMaxWait", Kind.COUNT, "of which overflow: max wait", "其中溢出:超过最长等待"),
            new Column("lost", Kind.COUNT, "Lost calls", "未接总数"),
            new Column("callback", Kind.COUNT, "Call-back requests", "请求回电"));

    /**
     * Unanswered inbound calls by the four ways of loss, one row per bucket; of those not answered by the system, the ones
     * their last queue sent on (overflow) by reason; and apart (not lost) the callers who asked for a call back.
     */
    public static ReportTable unanswered(Handle h, long enterpriseId, Query q) {
        Period.Unit unit = q.unit();
        Map<LocalDateTime, Map<String, Long>> byBucket = new TreeMap<>();
        for (var s : ReportStore.callUnits(h, enterpriseId, q.period(), unit, q.queue())) {
            if (s.leftIvr() + s.abandonedQueued() + s.abandonedRinging() + s.notAnswered() + s.callback() == 0) continue;
            Map<String, Long> m = byBucket.computeIfAbsent(q.period().bucketOfUnit(unit, s.unit()), k -> new HashMap<>());
            m.merge("leftInIvr", s.leftIvr(), Long::sum);
            m.merge("abandonedQueued", s.abandonedQueued(), Long::sum);
            m.merge("abandonedRinging", s.abandonedRinging(), Long::sum);
            m.merge("notAnswered", s.notAnswered(), Long::sum);
            m.merge("overflowNoAgents", s.noAgents(), Long::sum);
            m.merge("overflowFull", s.full(), Long::sum);
            m.merge("overflowMaxWait", s.maxWait(), Long::sum);
            m.merge("callback", s.callback(), Long::sum);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Long> total = new HashMap<>();
        for (var b : byBucket.entrySet()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("period", q.period().label(b.getKey()));
            row.putAll(lostValues(b.getValue()));
            rows.add(row);
            b.getValue().forEach((k, v) -> total.merge(k, v, Long::sum));
        }
        List<Column> cols = new ArrayList<>(List.of(BUCKET));
        cols.addAll(LOST_COLUMNS);
        return table("unanswered", q, cols, rows, totalRow(lostValues(total)));
    }

    private static Map<String, Object> lostValues(Map<String, Long> m) {
        Map<String, Object> row = new LinkedHashMap<>();
        long all = 0;
        for (String k : List.of("leftInIvr", "abandonedQueued", "abandonedRinging", "notAnswered")) {
            long v = m.getOrDefault(k, 0L);
            row.put(k, v);
            all += v;
        }
        for (String k : List.of("overflowNoAgents", "overflowFull", "overflowMaxWait")) row.put(k, m.getOrDefault(k, 0L));
        row.put("lost", all);
        row.put("callback", m.getOrDefault("callback", 0L));
        return row;
    }

    static final List<Column> NUMBER_COLUMNS = List.of(
            new Column("number", Kind.TEXT, "Number called", "被叫号码"),
            new Column("inbound", Kind.COUNT, "Inbound calls", "呼入总数"),
            new Column("answered", Kind.COUNT, "Answered", "人工接听"),
            new Column("abandonedCalls", Kind.COUNT, "Abandoned", "放弃"),
            new Column("notAnswered", Kind.COUNT, "Not answered by the system", "系统未接"),
            new Column("selfService", Kind.COUNT, "Voicemail or IVR only", "留言或IVR自助"),
            new Column("numberAnswerRate", Kind.RATE, "Answer rate", "接通率"),
            new Column("callTalk", Kind.SECONDS, "Talk (s)", "通话时长(秒)"),
            new Column("avgCallTalk", Kind.SECONDS, "Avg talk (s)", "平均通话时长(秒)"));

    private static Map<String, Object> numberValues(long[] v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inbound", v[0]);
        m.put("answered", v[1]);
        m.put("abandonedCalls", v[2]);
        m.put("notAnswered", v[3]);
        m.put("selfService", v[0] - v[1] - v[2] - v[3]);
        m.put("numberAnswerRate", QueueFigures.ratio(v[1], v[0]));
        m.put("callTalk", seconds(v[4]));
        m.put("avgCallTalk", v[1] == 0 ? null : QueueFigures.round1(v[4] / 1000.0 / v[1]));
        return m;
    }

    private static void addTo(long[] sum, long... v) {
        for (int i = 0; i < v.length; i++) sum[i] += v[i];
    }

    /**
     * By called number (media measurement): inbound calls per number dialled and bucket, how many a person answered, were
     * abandoned (the three ways of giving up) or not answered by the system, the rest ending in voicemail or the IVR.
     */
    public static ReportTable numbers(Handle h, long enterpriseId, Query q) {
        Period.Unit unit = q.unit();
        Map<LocalDateTime, Map<String, long[]>> byBucket = new TreeMap<>();
        for (var n : ReportStore.numberUnits(h, enterpriseId, q.period(), unit, q.number())) {
            addTo(byBucket.computeIfAbsent(q.period().bucketOfUnit(unit, n.unit()), k -> new TreeMap<>()).computeIfAbsent(n.number(), k -> new long[5]),
                    n.inbound(), n.answered(), n.abandoned(), n.notAnswered(), n.talkMs());
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        long[] total = new long[5];
        for (var b : byBucket.entrySet()) {
            for (var e : b.getValue().entrySet()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("period", q.period().label(b.getKey()));
                row.put("number", e.getKey());
                row.putAll(numberValues(e.getValue()));
                rows.add(row);
                addTo(total, e.getValue());
            }
        }
        List<Column> cols = new ArrayList<>(List.of(BUCKET));
        cols.addAll(NUMBER_COLUMNS);
        return table("numbers", q, cols, rows, totalRow(numberValues(total)));
    }

    /** The caller tolerance's wait buckets as written in headers: 0–5 s ... 120+ s. */
    static List<String> toleranceBuckets() {
        List<String> out = new ArrayList<>();
        int lower = 0;
        for (int b : ReportProjection.TOLERANCE_BOUNDS) {
            out.add(lower + "–" + b);
            lower = b;
        }
        out.add(lower + "+");
        return out;
    }

    static List<Column> toleranceColumns() {
        List<Column> cols = new ArrayList<>();
        List<String> buckets = toleranceBuckets();
        for (int i = 0; i < buckets.size(); i++) {
            cols.add(new Column("answered_" + i, Kind.COUNT, "Answered " + buckets.get(i) + " s", buckets.get(i) + "秒接听"));
        }
        cols.add(new Column("answered", Kind.COUNT, "Answered", "接听"));
        for (int i = 0; i < buckets.size(); i++) {
            cols.add(new Column("abandoned_" + i, Kind.COUNT, "Abandoned " + buckets.get(i) + " s", buckets.get(i) + "秒放弃"));
        }
        cols.add(new Column("abandoned", Kind.COUNT, "Abandoned", "放弃"));
        return cols;
    }

    private static Map<String, Object> toleranceValues(long[] v) {
        Map<String, Object> m = new LinkedHashMap<>();
        long answered = 0;
        long abandoned = 0;
        for (int i = 0; i < 7; i++) {
            m.put("answered_" + i, v[i]);
            answered += v[i];
        }
        m.put("answered", answered);
        for (int i = 0; i < 7; i++) {
            m.put("abandoned_" + i, v[7 + i]);
            abandoned += v[7 + i];
        }
        m.put("abandoned", abandoned);
        return m;
    }

    /**
     * Caller tolerance: per bucket and queue, the queue calls answered and abandoned by how long the caller had waited
     * (0–5, 5–10, 10–20, 20–30, 30–60, 60–120, 120+ s; a bucket holds waits from its lower bound up to, not including, its upper).
     */
    public static ReportTable tolerance(Handle h, long enterpriseId, Query q) {
        Period.Unit unit = q.unit();
        Map<LocalDateTime, Map<String, long[]>> byBucket = new TreeMap<>();
        for (var t : ReportStore.toleranceUnits(h, enterpriseId, q.period(), unit, q.queue())) {
            long[] v = byBucket.computeIfAbsent(q.period().bucketOfUnit(unit, t.unit()), k -> new TreeMap<>()).computeIfAbsent(t.queue(), k -> new long[14]);
            for (int i = 0; i < 7; i++) {
                v[i] += t.answered()[i];
                v[7 + i] += t.abandoned()[i];
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        long[] total = new long[14];
        for (var b : byBucket.entrySet()) {
            for (var e : b.getValue().entrySet()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("period", q.period().label(b.getKey()));
                row.put("queue", e.getKey());
                row.putAll(toleranceValues(e.getValue()));
                rows.add(row);
                addTo(total, e.getValue());
            }
        }
        List<Column> cols = new ArrayList<>(List.of(BUCKET, QUEUE));
        cols.addAll(toleranceColumns());
        return table("tolerance", q, cols, rows, totalRow(toleranceValues(total)));
    }

    static final List<Column> OUTBOUND_COLUMNS = List.of(
            new Column("agent", Kind.TEXT, "Agent", "座席"),
            new Column("jobNumber", Kind.TEXT, "Job number", "工号"),
            new Column("outboundCalls", Kind.COUNT, "Outbound calls", "呼出总数"),
            new Column("outboundAnswered", Kind.COUNT, "Answered", "接通"),
            new Column("outboundAnswerRate", Kind.RATE, "Answer rate", "接通率"),
            new Column("outboundTalk", Kind.SECONDS, "Talk (s)", "通话时长(秒)"),
            new Column("avgOutboundTalk", Kind.SECONDS, "Avg talk (s)", "平均通话时长(秒)"));

    private static Map<String, Object> outboundValues(long[] v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outboundCalls", v[0]);
        m.put("outboundAnswered", v[1]);
        m.put("outboundAnswerRate", QueueFigures.ratio(v[1], v[0]));
        m.put("outboundTalk", seconds(v[2]));
        m.put("avgOutboundTalk", v[1] == 0 ? null : QueueFigures.round1(v[2] / 1000.0 / v[1]));
        return m;
    }

    /** Outbound: per bucket and agent, the calls they placed, how many the called party answered, and the talk. */
    public static ReportTable outbound(Handle h, long enterpriseId, Query q) {
        Map<Long, ReportStore.AgentName> names = ReportStore.agentNames(h, enterpriseId);
        Period.Unit unit = q.unit();
        Map<LocalDateTime, Map<Long, long[]>> byBucket = new TreeMap<>();
        for (var o : ReportStore.outboundUnits(h, enterpriseId, q.period(), unit, q.agent(), q.agents())) {
            addTo(byBucket.computeIfAbsent(q.period().bucketOfUnit(unit, o.unit()), k -> new TreeMap<>()).computeIfAbsent(o.agent(), k -> new long[3]),
                    o.calls(), o.answered(), o.talkMs());
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        long[] total = new long[3];
        for (var b : byBucket.entrySet()) {
            for (var e : b.getValue().entrySet()) {
                ReportStore.AgentName n = names.get(e.getKey());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("period", q.period().label(b.getKey()));
                row.put("agentId", e.getKey());
                row.put("agent", n == null ? String.valueOf(e.getKey()) : n.name());
                row.put("jobNumber", n == null ? null : n.jobNumber());
                row.putAll(outboundValues(e.getValue()));
                rows.add(row);
                addTo(total, e.getValue());
            }
        }
        List<Column> cols = new ArrayList<>(List.of(BUCKET));
        cols.addAll(OUTBOUND_COLUMNS);
        return table("outbound", q, cols, rows, totalRow(outboundValues(total)));
    }

    private static Map<String, Object> totalRow(Map<String, Object> values) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("period", "total");
        t.putAll(values);
        return t;
    }

    static ReportTable table(String name, Query q, List<Column> cols, List<Map<String, Object>> rows, Map<String, Object> total) {
        Period p = q.period();
        return new ReportTable(name, p.from().toString(), p.to().toString(), p.zone().getId(), p.grouping().key(), cols, rows, total);
    }
}
