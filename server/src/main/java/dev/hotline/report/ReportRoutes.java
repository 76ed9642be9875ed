package dev.hotline.report;

import dev.hotline.auth.Permission;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.web.Api;
import dev.hotline.web.WebServer;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The call center reports (RPT-2) under {@code /api/v1/reports/...}: JSON, or with {@code format=xlsx|csv} the same
 * table as a download. Enterprise-scoped like every route: the enterprise comes from the login.
 */
public final class ReportRoutes {
    private ReportRoutes() {}

    @FunctionalInterface
    public interface Build {
        ReportTable build(Handle h, long enterpriseId, Reports.Query q);
    }

    private static final String PARAMS = " Parameters: from, to (ISO-8601 instants on a quarter hour, from < to, at most 400 days apart;"
            + " both absent: today in tz;"
            + " 62 when grouped by hour), group (hour, day, week, month; default day), tz (IANA zone of the buckets; default UTC),"
            + " queue (name), agent (user id; the agents and satisfaction-agents reports only), format (json, csv, xlsx; default json), lang (en, zh: the export's headers).";

    public static void register(Api root, Jdbi jdbi, Clock clock, ZoneId reportZone) {
        Api api = root.tagged("reports");
        route(api, jdbi, clock, reportZone, "summary", "Enterprise summary: the queues' figures and KPIs added up per period, with inbound"
                + " calls and the agents' occupancy.", Reports::summary);
        route(api, jdbi, clock, reportZone, "queues", "By queue: offered, answered, abandoned (short abandons apart), overflowed,"
                + " voicemail, callback, still waiting, service level, answer and abandon rate, ASA, AHT per period and queue.", Reports::queues);
        route(api, jdbi, clock, reportZone, "agents", "By agent: offers, answered, missed, transfers, talk, hold, wrap-up, time signed in,"
                + " ready, not ready by reason, occupancy and calls per hour per period and agent.", Reports::agents);
        route(api, jdbi, clock, reportZone, "unanswered", "Unanswered inbound calls by the four ways of loss (left in the IVR, abandoned"
                + " queued, abandoned ringing, not answered by the system) per period.", Reports::unanswered);
    }

    private static void route(Api api, Jdbi jdbi, Clock clock, ZoneId reportZone, String name, String summary, Build build) {
        route(api, jdbi, clock, reportZone, name, summary, name.equals("agents"), build);
    }

    /**
     * Registers report {@code name} under {@code /reports/}: the same parameters, permission and exports as the reports
     * of this package (a feature that keeps its own report table, e.g. the satisfaction survey, adds its report so).
     *
     * @param agentFilter whether the {@code agent} parameter filters this report (otherwise it is refused)
     */
    public static void route(Api api, Jdbi jdbi, Clock clock, ZoneId reportZone, String name, String summary, boolean agentFilter,
                             Build build) {
        api.get("/reports/" + name, summary + PARAMS).returns(ReportTable.class).handle(Permission.CALL_READ, (ctx, me) -> {
            Params p = params(ctx, clock);
            if (p.agent != null && !agentFilter) throw DomainException.invalid("agent", "filters the agents and satisfaction-agents reports only");
            ReportTable t = jdbi.withHandle(h -> build.build(h, me.enterpriseId(),
                    new Reports.Query(p.period, p.queue, p.agent, clock.instant(), reportZone)));
            send(ctx, t, p.format, p.lang);
        });
    }

    private record Params(Period period, String queue, Long agent, String format, String lang) {}

    private static Params params(Context ctx, Clock clock) {
        Instant from = WebServer.instantParam(ctx, "from");
        Instant to = WebServer.instantParam(ctx, "to");
        String group = Validator.clean(ctx.queryParam("group"));
        String tz = Validator.clean(ctx.queryParam("tz"));
        String format = Validator.clean(ctx.queryParam("format"));
        String lang = Validator.clean(ctx.queryParam("lang"));
        Long agent = WebServer.longParam(ctx, "agent");
        ZoneId zone = null;
        boolean zoneOk = true;
        try {
            zone = tz == null ? ZoneId.of("UTC") : ZoneId.of(tz);
        } catch (java.time.DateTimeException e) {
            zoneOk = false;
        }
        var grouping = group == null ? java.util.Optional.of(Period.Grouping.DAY) : Period.Grouping.parse(group);
        if (from == null && to == null && zone != null) {
            // Neither given: today in the zone.
            from = java.time.LocalDate.now(clock.withZone(zone)).atStartOfDay(zone).toInstant();
            to = java.time.LocalDate.now(clock.withZone(zone)).plusDays(1).atStartOfDay(zone).toInstant();
        }
        Validator v = Validator.of().required("from", from).required("to", to)
                .check(grouping.isPresent(), "group", "one of hour, day, week, month")
                .check(zoneOk, "tz", "an IANA time zone such as Asia/Shanghai")
                .check(format == null || format.matches("json|csv|xlsx"), "format", "one of json, csv, xlsx")
                .check(lang == null || lang.matches("en|zh"), "lang", "en or zh")
                .check(agent == null || agent > 0, "agent", "a user id");
        if (from != null) v.check(from.getEpochSecond() % ReportProjection.SLOT_SECONDS == 0 && from.getNano() == 0, "from",
                "must be on a quarter hour (minutes 00, 15, 30 or 45, no seconds)");
        if (to != null) v.check(to.getEpochSecond() % ReportProjection.SLOT_SECONDS == 0 && to.getNano() == 0, "to",
                "must be on a quarter hour (minutes 00, 15, 30 or 45, no seconds)");
        if (from != null && to != null) {
            v.check(from.isBefore(to), "to", "must be after from");
            Duration range = Duration.between(from, to);
            v.check(range.compareTo(Period.MAX_RANGE) <= 0, "to", "at most 400 days after from");
            v.check(grouping.orElse(null) != Period.Grouping.HOUR || range.compareTo(Period.MAX_HOURLY_RANGE) <= 0, "group",
                    "hour covers at most 62 days; group by day, week or month");
        }
        v.throwIfInvalid();
        return new Params(new Period(from, to, zone, grouping.get()), Validator.clean(ctx.queryParam("queue")), agent,
                format == null ? "json" : format, lang == null ? "en" : lang);
    }

    private static void send(Context ctx, ReportTable t, String format, String lang) throws java.io.IOException {
        String file = "hotline-" + t.report() + "-" + t.from().substring(0, 10) + "-" + t.to().substring(0, 10);
        switch (format) {
            case "csv" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ReportExport.csv(t, lang, out);
                ctx.header("Content-Disposition", "attachment; filename=\"" + file + ".csv\"");
                ctx.contentType("text/csv; charset=utf-8").result(out.toByteArray());
            }
            case "xlsx" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ReportExport.xlsx(t, lang, out);
                ctx.header("Content-Disposition", "attachment; filename=\"" + file + ".xlsx\"");
                ctx.contentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").result(out.toByteArray());
            }
            default -> ctx.json(t);
        }
    }
}
