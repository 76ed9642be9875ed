package dev.hotline.survey;

import dev.hotline.report.Period;
import dev.hotline.report.ReportTable;
import dev.hotline.report.ReportTable.Column;
import dev.hotline.report.ReportTable.Kind;
import dev.hotline.report.Reports;
import dev.hotline.report.SurveyRollup;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * The satisfaction report (RPT-2, MSG-4) per period and queue, or per period and agent, from the survey roll-ups
 * ({@link SurveyRollup}; {@code survey_result} for an agent filter per queue or a queue filter per agent): the
 * calls surveyed, those that answered (gave a score), each score's count and rate (÷ answered), and the reasons of the
 * unsatisfied. A survey counts in the period it began in (the agent's hang-up).
 */
public final class SatisfactionReport {
    private SatisfactionReport() {}

    static final Column PERIOD = new Column("period", Kind.TEXT, "Period", "时段");
    static final List<Column> FIGURES = List.of(
            new Column("surveyed", Kind.COUNT, "Surveyed", "参与调查"),
            new Column("surveyAnswered", Kind.COUNT, "Answered the survey", "完成评价"),
            new Column("surveyAnswerRate", Kind.RATE, "Survey answer rate", "评价率"),
            new Column("verySatisfied", Kind.COUNT, "Very satisfied", "非常满意"),
            new Column("satisfied", Kind.COUNT, "Satisfied", "满意"),
            new Column("unsatisfied", Kind.COUNT, "Unsatisfied", "不满意"),
            new Column("verySatisfiedRate", Kind.RATE, "Very satisfied rate", "非常满意率"),
            new Column("satisfiedRate", Kind.RATE, "Satisfied rate", "满意率"),
            new Column("unsatisfiedRate", Kind.RATE, "Unsatisfied rate", "不满意率"),
            new Column("reasonService", Kind.COUNT, "Unsatisfied: service", "服务不满意"),
            new Column("reasonAttitude", Kind.COUNT, "Unsatisfied: attitude", "态度不满意"),
            new Column("reasonOther", Kind.COUNT, "Unsatisfied: other", "其他不满意"),
            new Column("reasonNone", Kind.COUNT, "Unsatisfied: no reason given", "未选原因"));

    /** One row per period and queue. */
    public static ReportTable byQueue(Handle h, long enterpriseId, Reports.Query q) {
        List<Column> cols = new ArrayList<>(List.of(PERIOD, new Column("queue", Kind.TEXT, "Queue", "队列")));
        cols.addAll(FIGURES);
        return table("satisfaction", h, enterpriseId, q, cols, false);
    }

    /** One row per period and agent (the agents' satisfaction across the queues, or one queue's with {@code queue}). */
    public static ReportTable byAgent(Handle h, long enterpriseId, Reports.Query q) {
        List<Column> cols = new ArrayList<>(List.of(PERIOD, new Column("agentId", Kind.TEXT, "Agent id", "座席ID"),
                new Column("agent", Kind.TEXT, "Agent", "座席"), new Column("jobNumber", Kind.TEXT, "Job number", "工号")));
        cols.addAll(FIGURES);
        return table("satisfaction-agents", h, enterpriseId, q, cols, true);
    }

    private static ReportTable table(String name, Handle h, long enterpriseId, Reports.Query q, List<Column> cols, boolean byAgent) {
        Period p = q.period();
        Map<LocalDateTime, Map<Object, Counts>> buckets = new TreeMap<>();
        Counts total = new Counts();
        // Counted in the database by unit (the coarsest that never straddles two buckets), then added up into buckets here:
        // from the survey roll-ups (report.SurveyRollup), or survey_result when they do not hold the filter asked.
        Period.Unit rolled = q.unit();
        Optional<List<SurveyRollup.Count>> fromRollup = SurveyRollup.counts(h, enterpriseId, p, rolled, q.queue(), q.agent(), byAgent);
        Period.Unit unit = fromRollup.isPresent() ? rolled : p.unit();
        List<SurveyRollup.Count> counts = fromRollup.orElseGet(() -> SurveyStore.counts(h, enterpriseId, p.from(), p.to(), q.queue(),
                q.agent(), byAgent, unit.seconds(), unit.shift()).stream()
                .map(c -> new SurveyRollup.Count(c.key(), c.unit(), c.score(), c.reason(), c.calls())).toList());
        for (SurveyRollup.Count c : counts) {
            Object key = byAgent ? (Object) Long.parseLong(c.key()) : c.key();
            buckets.computeIfAbsent(p.bucketOfUnit(unit, c.unit()), k -> new TreeMap<>()).computeIfAbsent(key, k -> new Counts())
                    .add(c.score(), c.reason(), c.calls());
            total.add(c.score(), c.reason(), c.calls());
        }
        Map<Long, String[]> names = byAgent ? agentNames(h, enterpriseId) : Map.of();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var b : buckets.entrySet()) {
            for (var e : b.getValue().entrySet()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("period", p.label(b.getKey()));
                if (byAgent) {
                    String[] n = names.get((Long) e.getKey());
                    row.put("agentId", e.getKey());
                    row.put("agent", n == null ? String.valueOf(e.getKey()) : n[0]);
                    row.put("jobNumber", n == null ? null : n[1]);
                } else {
                    row.put("queue", e.getKey());
                }
                row.putAll(e.getValue().values());
                rows.add(row);
            }
        }
        Map<String, Object> totalRow = new LinkedHashMap<>();
        totalRow.put("period", "total");
        totalRow.putAll(total.values());
        return new ReportTable(name, p.from().toString(), p.to().toString(), p.zone().getId(), p.grouping().key(), cols, rows, totalRow);
    }

    private static Map<Long, String[]> agentNames(Handle h, long enterpriseId) {
        Map<Long, String[]> out = new java.util.HashMap<>();
        h.createQuery("SELECT id, display_name, job_number FROM app_user WHERE enterprise_id = :e").bind("e", enterpriseId)
                .map((rs, c) -> Map.entry(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3)}))
                .forEach(en -> out.put(en.getKey(), en.getValue()));
        return out;
    }

    /** The figures of one row. */
    static final class Counts {
        long surveyed;
        long answered;
        long[] scores = new long[4];
        long[] reasons = new long[4];

        /** {@code n} surveyed calls of this score and reason (null: none given). */
        void add(Integer score, Integer reason, long n) {
            surveyed += n;
            if (score == null) return;
            answered += n;
            scores[score] += n;
            if (score == 3) reasons[reason == null ? 0 : reason] += n;
        }

        Map<String, Object> values() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("surveyed", surveyed);
            m.put("surveyAnswered", answered);
            m.put("surveyAnswerRate", ratio(answered, surveyed));
            m.put("verySatisfied", scores[1]);
            m.put("satisfied", scores[2]);
            m.put("unsatisfied", scores[3]);
            m.put("verySatisfiedRate", ratio(scores[1], answered));
            m.put("satisfiedRate", ratio(scores[2], answered));
            m.put("unsatisfiedRate", ratio(scores[3], answered));
            m.put("reasonService", reasons[1]);
            m.put("reasonAttitude", reasons[2]);
            m.put("reasonOther", reasons[3]);
            m.put("reasonNone", reasons[0]);
            return m;
        }

        private static Double ratio(long part, long whole) {
            return whole <= 0 ? null : Math.round(10000.0 * part / whole) / 10000.0;
        }
    }
}
