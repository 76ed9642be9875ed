package dev.hotline.report;

import dev.hotline.auth.Permission;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.masking.Masking;
import dev.hotline.masking.NumberMask;
import dev.hotline.report.ReportCatalog.Filter;
import dev.hotline.web.Api;
import dev.hotline.web.WebServer;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * The call center reports (RPT-2) under {@code /api/v1/reports/...}: JSON, or with {@code format=xlsx|csv} the same
 * table as a download. Enterprise-scoped like every route: the enterprise comes from the login.
 */
public final class ReportRoutes {
    private ReportRoutes() {}

    public static final String PARAMS = " Parameters: from, to (ISO-8601 instants on a quarter hour, from < to, at most 400 days apart;"
            + " both absent: today in tz;"
            + " 62 when grouped by hour), group (hour, day, week, month; default day), tz (IANA zone of the buckets and times; default UTC),"
            + " format (json, csv, xlsx; default json), lang (en, zh: the export's headers)";

    /** The most rows a list report exports at once. */
    public static final int EXPORT_MAX_ROWS = 100_000;

    public static void register(Api root, ReportCatalog catalog, Jdbi jdbi, Masking masking, Clock clock, ZoneId reportZone) {
        Api api = root.tagged("reports");
        route(api, catalog, jdbi, masking, clock, reportZone, "summary", "Enterprise summary: the queues' figures and KPIs added up per period, with inbound"
                + " calls and the agents' occupancy.", Reports::summary, Filter.QUEUE);
        route(api, catalog, jdbi, masking, clock, reportZone, "numbers", "By called number (media measurement): inbound calls per number dialled and period,"
                + " answered by a person, abandoned, not answered by the system, voicemail or IVR only, answer rate, talk.", Reports::numbers,
                Filter.NUMBER);
        route(api, catalog, jdbi, masking, clock, reportZone, "queues", "By queue: offered, answered, abandoned (short abandons apart), overflowed,"
                + " voicemail, callback, still waiting, service level, answer and abandon rate, ASA, AHT per period and queue.", Reports::queues,
                Filter.QUEUE);
        route(api, catalog, jdbi, masking, clock, reportZone, "agents", "By agent: offers, answered, missed, transfers, talk, hold, wrap-up, time signed in,"
                + " ready, not ready by reason, occupancy and calls per hour per period and agent.", Reports::agents, Filter.QUEUE, Filter.AGENT,
                Filter.DEPARTMENT);
        route(api, catalog, jdbi, masking, clock, reportZone, "tracking", "Inbound call tracking: one row per inbound call (a page of them) with its path"
                + " (IVR, queues), wait, agent, talk and final outcome.", ListReports::tracking, Filter.QUEUE, Filter.AGENT, Filter.NUMBER,
                Filter.OUTCOME, Filter.PAGE);
        route(api, catalog, jdbi, masking, clock, reportZone, "unanswered", "Unanswered inbound calls by the four ways of loss (left in the IVR, abandoned"
                + " queued, abandoned ringing, not answered by the system) per period.", Reports::unanswered, Filter.QUEUE);
        route(api, catalog, jdbi, masking, clock, reportZone, "callbacks", "Lost callers: one row per lost inbound call (a page of them) with its call-back"
                + " status: not called back, or when and by whom a later answered call reached the number.", ListReports::callbacks,
                Filter.QUEUE, Filter.NUMBER, Filter.PAGE);
        route(api, catalog, jdbi, masking, clock, reportZone, "tolerance", "Caller tolerance: per period and queue, calls answered and abandoned by wait"
                + " (0-5, 5-10, 10-20, 20-30, 30-60, 60-120, 120+ s).", Reports::tolerance, Filter.QUEUE);
        route(api, catalog, jdbi, masking, clock, reportZone, "states", "Agent state log: every state change (a page of them) with reason, start, end and"
                + " duration.", ListReports::states, Filter.AGENT, Filter.DEPARTMENT, Filter.PAGE);
        route(api, catalog, jdbi, masking, clock, reportZone, "outbound", "Outbound: per period and agent, calls placed, answered, answer rate, talk and"
                + " average talk.", Reports::outbound, Filter.AGENT, Filter.DEPARTMENT);
    }

    /**
     * Registers report {@code name} under {@code /reports/} with the same parameters, permission and exports as this
     * package's reports (a feature that keeps its own report table, e.g. the satisfaction survey, adds its report so): it
     * takes the queue filter, and the agent filter when {@code agentFilter}.
     */
    public static void route(Api api, ReportCatalog catalog, Jdbi jdbi, Masking masking, Clock clock, ZoneId reportZone, String name,
                             String summary, boolean agentFilter, ReportCatalog.Build build) {
        if (agentFilter) route(api, catalog, jdbi, masking, clock, reportZone, name, summary, build, Filter.QUEUE, Filter.AGENT);
        else route(api, catalog, jdbi, masking, clock, reportZone, name, summary, build, Filter.QUEUE);
    }

    private static void route(Api api, ReportCatalog catalog, Jdbi jdbi, Masking masking, Clock clock, ZoneId reportZone, String name,
                              String summary, ReportCatalog.Build build, Filter... filters) {
        catalog.add(name, build, filters);
        Set<Filter> takes = EnumSet.noneOf(Filter.class);
        takes.addAll(List.of(filters));
        StringBuilder doc = new StringBuilder(summary).append(PARAMS);
        for (Filter f : filters) doc.append(", ").append(f.doc);
        api.get("/reports/" + name, doc.append('.').toString()).returns(ReportTable.class).handle(Permission.CALL_READ, (ctx, me) -> {
            Params p = params(ctx, clock);
            for (Filter f : Filter.values()) {
                boolean given = switch (f) {
                    case QUEUE -> p.queue != null;
                    case AGENT -> p.agent != null;
                    case DEPARTMENT -> p.department != null;
                    case NUMBER -> p.number != null;
                    case OUTCOME -> p.outcome != null;
                    case PAGE -> p.limit != null || p.offset != null;
                };
                if (given && !takes.contains(f)) {
                    String field = f == Filter.PAGE ? (p.limit != null ? "limit" : "offset") : f.key();
                    throw DomainException.invalid(field, "not a filter of the " + name + " report");
                }
            }
            boolean export = !p.format.equals("json");
            int limit = export ? EXPORT_MAX_ROWS : p.limit == null ? 50 : p.limit;
            int offset = export || p.offset == null ? 0 : p.offset;
            ReportTable t = jdbi.withHandle(h -> {
                Set<Long> agents = p.department == null ? null : ReportStore.departmentAgents(h, me.enterpriseId(), p.department)
                        .orElseThrow(() -> DomainException.notFound("department"));
                return build.build(h, me.enterpriseId(), new Reports.Query(p.period, p.queue, p.agent, clock.instant(), reportZone, agents,
                        masking.real(me.enterpriseId(), p.number, "number"), p.outcome, limit, offset));
            });
            if (export && t.page() != null && t.page().total() > t.rows().size()) {
                throw DomainException.invalid("to", "more than " + EXPORT_MAX_ROWS + " rows to export; choose a shorter range or filter");
            }
            send(ctx, t, masking.forViewer(me), p.format, p.lang);
        });
    }

    /** The parameters every report takes (see {@code PARAMS}); a feature's own reports parse them here too. */
    public record Params(Period period, String queue, Long agent, Long department, String number, String outcome, Integer limit,
                         Integer offset, String format, String lang) {}

    /** Parses and checks a report's parameters (400 naming the field). */
    public static Params params(Context ctx, Clock clock) {
        Instant from = WebServer.instantParam(ctx, "from");
        Instant to = WebServer.instantParam(ctx, "to");
        String group = Validator.clean(ctx.queryParam("group"));
        String tz = Validator.clean(ctx.queryParam("tz"));
        String format = Validator.clean(ctx.queryParam("format"));
        String lang = Validator.clean(ctx.queryParam("lang"));
        Long agent = WebServer.longParam(ctx, "agent");
        Long department = WebServer.longParam(ctx, "department");
        Long limit = WebServer.longParam(ctx, "limit");
        Long offset = WebServer.longParam(ctx, "offset");
        String number = Validator.clean(ctx.queryParam("number"));
        String outcome = Validator.clean(ctx.queryParam("outcome"));
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
                .check(agent == null || agent > 0, "agent", "a user id")
                .check(department == null || department > 0, "department", "a department id")
                .check(limit == null || (limit >= 1 && limit <= 1000), "limit", "from 1 to 1000")
                .check(offset == null || (offset >= 0 && offset <= 10_000_000), "offset", "from 0")
                .check(number == null || number.length() <= 64, "number", "at most 64 characters")
                .check(outcome == null || ListReports.Outcome.valid(outcome), "outcome",
                        "one of answered, voicemail, ivr_only, left_ivr, abandoned_queued, abandoned_ringing, not_answered, lost");
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
        return new Params(new Period(from, to, zone, grouping.get()), Validator.clean(ctx.queryParam("queue")), agent, department, number,
                outcome, limit == null ? null : limit.intValue(), offset == null ? null : offset.intValue(), format == null ? "json" : format,
                lang == null ? "en" : lang);
    }

    /**
     * Answers with a table that holds no phone numbers (RPT-4's counts) as JSON, or as a CSV or xlsx download named after
     * the report and its range.
     */
    public static void send(Context ctx, ReportTable t, String format, String lang) throws java.io.IOException {
        send(ctx, t, NumberMask.none(), format, lang);
    }

    /** Writes the report as asked, its numbers as the viewer may see them (CRM-5): masked in the JSON and the files alike. */
    private static void send(Context ctx, ReportTable table, NumberMask mask, String format, String lang) throws java.io.IOException {
        ReportTable t = format.equals("json") ? table : masked(table, mask);
        String file = fileName(t);
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
            default -> ctx.json(mask.json(t));
        }
    }

    /** The name an export of {@code t} is downloaded (or mailed) as, without its extension: hotline-queues-2026-12-01-2026-12-02. */
    public static String fileName(ReportTable t) {
        return "hotline-" + t.report() + "-" + t.from().substring(0, 10) + "-" + t.to().substring(0, 10);
    }

    /** The table with its rows and total as {@code mask} shows them. */
    public static ReportTable masked(ReportTable t, NumberMask mask) {
        if (!mask.active()) return t;
        return new ReportTable(t.report(), t.from(), t.to(), t.zone(), t.group(), t.columns(), mask.rows(t.rows()), mask.row(t.total()), t.page());
    }
}
