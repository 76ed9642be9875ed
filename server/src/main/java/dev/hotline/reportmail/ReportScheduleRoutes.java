package dev.hotline.reportmail;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.auth.Principal;
import dev.hotline.domain.DomainException;
import dev.hotline.web.Api;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import org.jdbi.v3.core.Jdbi;

/**
 * Scheduled reports over HTTP (MSG-2, RPT-2): the schedules (permission {@code mail.manage}, and {@code call.read} since
 * they send reports), sending one now, and the log of reports sent. Every change is in the operation log.
 */
public final class ReportScheduleRoutes {
    private ReportScheduleRoutes() {}

    public static void register(Api root, Jdbi jdbi, AuditLog audit, ScheduledReports reports) {
        Api r = root.tagged("reports");
        r.get("/report-schedules", "The enterprise's scheduled reports, each with its next occurrence and its last send")
                .returnsList(ScheduledReports.View.class)
                .handle(Permission.MAIL_MANAGE, (ctx, me) -> ctx.json(jdbi.withHandle(h -> reports.list(h, readsReports(me).enterpriseId()))));
        r.post("/report-schedules", "Schedule a report by e-mail: report (a name of /reports/{name}) and its filters (queue, agent, department,"
                        + " number, outcome: those of its route), period (yesterday, last_week, last_month in the enterprise's zone), group,"
                        + " format (xlsx, csv), lang (en, zh), recipients, frequency (daily, weekly, monthly), time (HH:mm), weekday (weekly),"
                        + " dayOfMonth (monthly), enabled")
                .body(ScheduledReports.Input.class).returns(ScheduledReports.View.class).handle(Permission.MAIL_MANAGE, (ctx, me) -> {
                    ScheduledReports.Input in = Json.body(ctx, ScheduledReports.Input.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> {
                        ScheduledReports.View v = reports.save(h, readsReports(me).enterpriseId(), null, in);
                        audit.record(h, me, ctx.ip(), "report.schedule.create", String.valueOf(v.id()), describe(v));
                        return v;
                    }));
                });
        r.get("/report-schedules/{id}", "One scheduled report").returns(ScheduledReports.View.class).handle(Permission.MAIL_MANAGE,
                (ctx, me) -> ctx.json(jdbi.withHandle(h -> reports.get(h, readsReports(me).enterpriseId(), WebServer.id(ctx)))));
        r.put("/report-schedules/{id}", "Change a scheduled report (the same body as creating one)").body(ScheduledReports.Input.class)
                .returns(ScheduledReports.View.class).handle(Permission.MAIL_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ScheduledReports.Input in = Json.body(ctx, ScheduledReports.Input.class);
                    ctx.json(jdbi.inTransaction(h -> {
                        ScheduledReports.View v = reports.save(h, readsReports(me).enterpriseId(), id, in);
                        audit.record(h, me, ctx.ip(), "report.schedule.update", String.valueOf(id), describe(v));
                        return v;
                    }));
                });
        r.delete("/report-schedules/{id}", "Delete a scheduled report and its send log").handle(Permission.MAIL_MANAGE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                reports.delete(h, readsReports(me).enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "report.schedule.delete", String.valueOf(id), null);
            });
            ctx.status(204);
        });
        r.post("/report-schedules/{id}/send", "Send the report for its last complete period now (the schedule's own occurrences are unchanged)")
                .returns(ScheduledReports.SendView.class).handle(Permission.MAIL_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ScheduledReports.SendView s = reports.sendNow(readsReports(me).enterpriseId(), id);
                    jdbi.useHandle(h -> audit.record(h, me, ctx.ip(), "report.schedule.send", String.valueOf(id),
                            s.periodFrom() + " – " + s.periodTo() + " to " + s.recipients()));
                    ctx.status(201).json(s);
                });
        r.get("/report-sends", "Reports sent, newest first: parameters schedule (id), limit (1-500, default 100); status pending (the outbox"
                        + " is trying), sent, or failed with the error")
                .returnsList(ScheduledReports.SendView.class).handle(Permission.MAIL_MANAGE, (ctx, me) -> {
                    Long schedule = WebServer.longParam(ctx, "schedule");
                    Long limit = WebServer.longParam(ctx, "limit");
                    if (limit != null && (limit < 1 || limit > 500)) throw DomainException.invalid("limit", "from 1 to 500");
                    ctx.json(jdbi.withHandle(h -> reports.sends(h, readsReports(me).enterpriseId(), schedule,
                            limit == null ? 100 : limit.intValue())));
                });
    }

    /** Schedules send reports: their manager must be allowed to read reports too. */
    private static Principal readsReports(Principal me) {
        if (!me.can(Permission.CALL_READ)) throw DomainException.forbidden("scheduled reports need call.read (reading reports) too");
        return me;
    }

    private static String describe(ScheduledReports.View v) {
        return v.name() + ": " + v.report() + " " + v.period() + " " + v.format() + ", " + v.frequency() + " " + v.time() + " to "
                + String.join(", ", v.recipients()) + (v.enabled() ? "" : " (off)");
    }
}
