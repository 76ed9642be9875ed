package dev.hotline.billing;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.domain.Validator;
import dev.hotline.masking.Masking;
import dev.hotline.masking.NumberMask;
import dev.hotline.report.ReportExport;
import dev.hotline.report.ReportRoutes;
import dev.hotline.report.ReportTable;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Billing (RPT-5) under {@code /api/v1/billing/...}: the rate tables (read with routing.read, changed with routing.write and
 * logged), the totals and the per-call charges (call.read, like the reports; JSON, or CSV and xlsx of the same table), and
 * rating a range again. The enterprise is always the caller's.
 */
public final class BillingRoutes {
    private BillingRoutes() {}

    /** A range to rate again with the current rates. */
    public record RerateInput(Instant from, Instant to) {}

    public record Rerated(int rerated) {}

    private static final String RANGE = " Parameters: from, to (ISO-8601 instants, from < to, at most 400 days apart; both absent: today"
            + " in UTC; calls count by when they were answered), format (json, csv, xlsx; default json), lang (en, zh: the export's headers).";
    private static final Duration MAX_RANGE = Duration.ofDays(400);

    /** {@code reportZone}: the server's zone, the day roll-up's (whole days of it are read from the roll-up). */
    public static void register(Api root, Jdbi jdbi, AuditLog audit, Masking masking, Clock clock, ZoneId reportZone) {
        Api api = root.tagged("billing");
        api.get("/billing/rate-tables", "Rate tables, one per trunk and direction (outbound: numbers dialled out; inbound: calls"
                + " arriving through the trunk, by the number called): currency, periods (name, days 1-7, from, to in the enterprise's"
                + " time zone) and rates (prefix, period or none, price per minute, first increment and increment in seconds, connection fee)").returnsList(RateTable.class)
                .handle(Permission.ROUTING_READ, (ctx, me) -> ctx.json(jdbi.withHandle(h -> BillingStore.tables(h, me.enterpriseId()))));
        api.get("/billing/rate-tables/{id}", "One rate table").returns(RateTable.class).handle(Permission.ROUTING_READ, (ctx, me) -> {
            long id = WebServer.id(ctx);
            ctx.json(jdbi.withHandle(h -> BillingStore.table(h, me.enterpriseId(), id)).orElseThrow(() -> ApiException.notFound("rate table")));
        });
        api.post("/billing/rate-tables", "Create the rate table of a trunk for one direction (prefixes of digits, longest prefix wins,"
                + " a period's rate over the one for any time of the same prefix; the period is chosen by the answer time in the enterprise's"
                + " time zone, the monitor's setting, else the server's; money with at most 4 decimals, not negative; increments 1..3600 s)").body(RateTables.Input.class).returns(RateTable.class)
                .handle(Permission.ROUTING_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, RateTables.Input.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> {
                        RateTable t = RateTables.save(h, me.enterpriseId(), null, in);
                        audit.record(h, me, ctx.ip(), "ratetable.create", t.trunk(), RateTables.detail(t));
                        return t;
                    }));
                });
        api.put("/billing/rate-tables/{id}", "Replace a rate table (its trunk, currency and every rate); calls already rated keep their"
                + " charge until rated again").body(RateTables.Input.class).returns(RateTable.class)
                .handle(Permission.ROUTING_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, RateTables.Input.class);
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        RateTable t = RateTables.save(h, me.enterpriseId(), id, in);
                        audit.record(h, me, ctx.ip(), "ratetable.update", t.trunk(), RateTables.detail(t));
                        return t;
                    }));
                });
        api.delete("/billing/rate-tables/{id}", "Delete a rate table; later calls through its trunk are unrated").handle(Permission.ROUTING_WRITE,
                (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    jdbi.useTransaction(h -> {
                        RateTable t = RateTables.delete(h, me.enterpriseId(), id);
                        audit.record(h, me, ctx.ip(), "ratetable.delete", t.trunk(), null);
                    });
                    ctx.status(204);
                });
        api.get("/billing/totals", "Billing totals of answered calls through trunks, grouped by (parameter by) enterprise, department,"
                + " agent, trunk or direction (outbound, inbound), per currency: calls, unrated calls, talk and billed seconds, amount." + RANGE)
                .returns(ReportTable.class).handle(Permission.CALL_READ, (ctx, me) -> {
                    Range r = range(ctx, clock);
                    String byKey = Validator.clean(ctx.queryParam("by"));
                    var by = BillingReports.By.parse(byKey == null ? "enterprise" : byKey);
                    if (by.isEmpty()) throw ApiException.invalid("by", "one of enterprise, department, agent, trunk, direction");
                    send(ctx, jdbi.withHandle(h -> BillingReports.totals(h, me.enterpriseId(), reportZone, by.get(), r.from, r.to)), masking.forViewer(me), r);
                });
        api.get("/billing/calls", "The detailed bill, a page at a time: every answered call leg through a trunk with its rate and amount"
                + " (unrated calls too), oldest first, limit rows (JSON: default and most " + BillingReports.MAX_PAGE + "; CSV and xlsx:"
                + " default and most " + BillingReports.MAX_EXPORT + ") after the cursor after (page.next of the page before: keyset paging,"
                + " every page as fast as the first), skipping the first offset of them (default 0). page.next is the next page's cursor"
                + " (absent on the last page). The total row adds up the whole range: its calls is the number of rows of the bill." + RANGE)
                .returns(ReportTable.class).handle(Permission.CALL_READ, (ctx, me) -> {
                    Range r = range(ctx, clock);
                    int most = r.format.equals("json") ? BillingReports.MAX_PAGE : BillingReports.MAX_EXPORT;
                    Long limit = WebServer.longParam(ctx, "limit");
                    Long offset = WebServer.longParam(ctx, "offset");
                    String afterText = ctx.queryParam("after");
                    BillCursor after = afterText == null || afterText.isEmpty() ? null : BillCursor.parse(afterText).orElse(null);
                    Validator.of().check(limit == null || (limit >= 1 && limit <= most), "limit", "1.." + most)
                            .check(offset == null || offset >= 0, "offset", "0 or more")
                            .check(afterText == null || afterText.isEmpty() || after != null, "after", "a cursor of the bill (page.next)")
                            .throwIfInvalid();
                    int max = limit == null ? most : limit.intValue();
                    long skip = offset == null ? 0 : offset;
                    if (r.format.equals("json")) {
                        send(ctx, jdbi.withHandle(h -> BillingReports.charges(h, me.enterpriseId(), reportZone, r.from, r.to, after, skip, max)), masking.forViewer(me), r);
                        return;
                    }
                    // An export streams: each row goes out as it is read, so a bill of 50 000 calls is never held in memory.
                    attachment(ctx, "billing-calls", r);
                    ReportExport.RowWriter file = ReportExport.writer(r.format, "billing-calls", BillingReports.CHARGE_COLUMNS, r.lang,
                            ctx.outputStream());
                    NumberMask mask = masking.forViewer(me);
                    ReportExport.RowWriter out = new ReportExport.RowWriter() {
                        @Override
                        public void row(Map<String, Object> row) throws IOException {
                            file.row(mask.row(row));
                        }

                        @Override
                        public void close() throws IOException {
                            file.close();
                        }
                    };
                    jdbi.useHandle(h -> BillingReports.exportCharges(h, me.enterpriseId(), reportZone, r.from, r.to, after, skip, max, out));
                });
        api.post("/billing/rerate", "Rate again the calls answered in [from, to) with the rate tables as they are now")
                .body(RerateInput.class).returns(Rerated.class).handle(Permission.ROUTING_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, RerateInput.class);
                    Validator v = Validator.of().required("from", in.from()).required("to", in.to());
                    if (in.from() != null && in.to() != null) checkRange(v, in.from(), in.to());
                    v.throwIfInvalid();
                    ctx.json(new Rerated(jdbi.inTransaction(h -> {
                        int n = CallRating.rerate(h, me.enterpriseId(), reportZone, in.from(), in.to());
                        audit.record(h, me, ctx.ip(), "billing.rerate", in.from() + "/" + in.to(), n + " call(s)");
                        return n;
                    })));
                });
    }

    private record Range(Instant from, Instant to, String format, String lang) {}

    private static Range range(Context ctx, Clock clock) {
        Instant from = WebServer.instantParam(ctx, "from");
        Instant to = WebServer.instantParam(ctx, "to");
        String format = Validator.clean(ctx.queryParam("format"));
        String lang = Validator.clean(ctx.queryParam("lang"));
        if (from == null && to == null) {
            LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
            from = today.atStartOfDay(ZoneOffset.UTC).toInstant();
            to = today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        Validator v = Validator.of().required("from", from).required("to", to)
                .check(format == null || format.matches("json|csv|xlsx"), "format", "one of json, csv, xlsx")
                .check(lang == null || lang.matches("en|zh"), "lang", "en or zh");
        if (from != null && to != null) checkRange(v, from, to);
        v.throwIfInvalid();
        return new Range(from, to, format == null ? "json" : format, lang == null ? "en" : lang);
    }

    private static void checkRange(Validator v, Instant from, Instant to) {
        v.check(from.isBefore(to), "to", "must be after from").check(Duration.between(from, to).compareTo(MAX_RANGE) <= 0, "to",
                "at most 400 days after from");
    }

    private static void send(Context ctx, ReportTable table, NumberMask mask, Range r) throws IOException {
        if (r.format.equals("json")) {
            ctx.json(mask.json(table));
            return;
        }
        ReportTable t = ReportRoutes.masked(table, mask);
        attachment(ctx, t.report(), r);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (r.format.equals("csv")) ReportExport.csv(t, r.lang, out);
        else ReportExport.xlsx(t, r.lang, out);
        ctx.result(out.toByteArray());
    }

    /** The content type and file name of an export of {@code report} over the range. */
    private static void attachment(Context ctx, String report, Range r) {
        String file = "hotline-" + report + "-" + r.from.toString().substring(0, 10) + "-" + r.to.toString().substring(0, 10) + "." + r.format;
        ctx.header("Content-Disposition", "attachment; filename=\"" + file + "\"");
        ctx.contentType(r.format.equals("csv") ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    }
}
