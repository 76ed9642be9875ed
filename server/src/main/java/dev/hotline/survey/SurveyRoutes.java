package dev.hotline.survey;

import dev.hotline.auth.Permission;
import dev.hotline.domain.Validator;
import dev.hotline.masking.Masking;
import dev.hotline.report.ReportCatalog;
import dev.hotline.report.ReportRoutes;
import dev.hotline.web.Api;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * MSG-4 results over HTTP: the satisfaction reports (per queue, per agent; the reports' parameters and exports) and, for
 * the agent desk, the scores of the agent's own recent calls.
 */
public final class SurveyRoutes {
    private SurveyRoutes() {}

    /** The desk's view of one surveyed call of the agent's. */
    public record MySurvey(String callId, String queue, String result, Integer score, Integer reason, String at) {}

    public static void register(Api root, ReportCatalog catalog, Jdbi jdbi, Masking masking, Clock clock, ZoneId reportZone) {
        Api reports = root.tagged("reports");
        ReportRoutes.route(reports, catalog, jdbi, masking, clock, reportZone, "satisfaction", "Satisfaction survey (MSG-4) by queue: calls surveyed,"
                + " answered, very satisfied / satisfied / unsatisfied counts and rates (÷ answered), the reasons of the unsatisfied,"
                + " per period and queue.", false, SatisfactionReport::byQueue);
        ReportRoutes.route(reports, catalog, jdbi, masking, clock, reportZone, "satisfaction-agents", "Satisfaction survey (MSG-4) by agent: the same"
                + " figures per period and agent who answered the surveyed call.", true, SatisfactionReport::byAgent);
        Api desk = root.tagged("agent");
        desk.get("/agent/surveys", "The survey results of your own calls (the desk's call history). Parameter: calls (call ids,"
                        + " comma separated, at most 100).").returnsList(MySurvey.class).handle(Permission.AGENT_DESK, (ctx, me) -> {
                    String raw = Validator.clean(ctx.queryParam("calls"));
                    List<String> calls = raw == null ? List.of() : Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                            .distinct().toList();
                    Validator.of().check(calls.size() <= 100, "calls", "at most 100 call ids")
                            .check(calls.stream().allMatch(c -> c.length() <= 64), "calls", "call ids of at most 64 characters")
                            .throwIfInvalid();
                    ctx.json(jdbi.withHandle(h -> SurveyStore.ofAgentCalls(h, me.enterpriseId(), me.userId(), calls)).stream()
                            .map(r -> new MySurvey(r.callId(), r.queue(), r.result(), r.score(), r.reason(), r.endedAt().toString()))
                            .toList());
                });
    }
}
