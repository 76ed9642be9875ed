package dev.hotline.report.business;

import dev.hotline.auth.Permission;
import dev.hotline.crm.Scope;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.report.ReportRoutes;
import dev.hotline.report.ReportTable;
import dev.hotline.web.Api;
import dev.hotline.web.Json;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * RPT-4, business reports under {@code /api/v1/reports/...} with the call reports' parameters and exports (JSON, CSV,
 * xlsx): {@code customers} (count and growth per period) and {@code customer-regions} (regional distribution) need
 * customer.read and count only the customers the user may see (CRM-3: an agent, their own, their team's shared and the
 * enterprise-shared ones; customer.manage, every one); {@code tickets} (volumes per period, type and state) needs
 * ticket.read, which already shows every ticket of the enterprise. The region field is a setting of the enterprise.
 */
public final class BusinessReportRoutes {
    private BusinessReportRoutes() {}

    /** @param regionField the key of the customer field naming a customer's region; null: by phone number */
    public record Settings(String regionField) {}

    public static void register(Api root, Jdbi jdbi, Clock clock) {
        Api api = root.tagged("reports");
        String params = ReportRoutes.PARAMS + ".";
        api.get("/reports/customers", "RPT-4: customers per period: new customers, customers at the end of the period, growth (new / customers"
                + " at its start); only the customers you may see." + params).returns(ReportTable.class)
                .handle(Permission.CUSTOMER_READ, (ctx, me) -> {
                    ReportRoutes.Params p = params(ctx, clock);
                    ReportRoutes.send(ctx, jdbi.withHandle(h -> BusinessReports.customers(h, Scope.of(h, me), p.period())), p.format(), p.lang());
                });
        api.get("/reports/customer-regions", "RPT-4: customers by region at the end of the range and new in it: by the region field of the"
                + " settings, or by the area code (largest cities named) or mobile carrier of the first number; regionBy=field|phone"
                + " overrides; only the customers you may see." + params).returns(ReportTable.class)
                .handle(Permission.CUSTOMER_READ, (ctx, me) -> {
                    ReportRoutes.Params p = params(ctx, clock);
                    String by = Validator.clean(ctx.queryParam("regionBy"));
                    Validator.of().check(by == null || by.matches("field|phone"), "regionBy", "field or phone").throwIfInvalid();
                    ReportTable t = jdbi.withHandle(h -> {
                        Optional<Long> field = "phone".equals(by) ? Optional.empty() : regionFieldId(h, me.enterpriseId());
                        if ("field".equals(by) && field.isEmpty()) throw DomainException.invalid("regionBy", "no region field is set");
                        return BusinessReports.regions(h, Scope.of(h, me), p.period(), field, p.lang());
                    });
                    ReportRoutes.send(ctx, t, p.format(), p.lang());
                });
        api.get("/reports/tickets", "RPT-4: tickets opened per period and type, and how many of them are now in each state." + params)
                .returns(ReportTable.class).handle(Permission.TICKET_READ, (ctx, me) -> {
                    ReportRoutes.Params p = params(ctx, clock);
                    ReportRoutes.send(ctx, jdbi.withHandle(h -> BusinessReports.tickets(h, me.enterpriseId(), p.period(), p.lang())), p.format(),
                            p.lang());
                });
        api.get("/reports/business-settings", "RPT-4: the business reports' settings (the region field)").returns(Settings.class)
                .handle(Permission.CUSTOMER_READ, (ctx, me) -> ctx.json(jdbi.withHandle(h -> load(h, me.enterpriseId()))));
        api.put("/reports/business-settings", "RPT-4: set the customer field (its key) naming a customer's region; null: by phone number")
                .body(Settings.class).returns(Settings.class).handle(Permission.CUSTOMER_MANAGE, (ctx, me) -> {
                    Settings in = Json.body(ctx, Settings.class);
                    String key = in == null ? null : Validator.clean(in.regionField());
                    ctx.json(jdbi.inTransaction(h -> {
                        if (key != null && fieldId(h, me.enterpriseId(), key).isEmpty()) throw DomainException.invalid("regionField", "no such customer field");
                        h.createUpdate("DELETE FROM business_report_settings WHERE enterprise_id = :e").bind("e", me.enterpriseId()).execute();
                        h.createUpdate("INSERT INTO business_report_settings (enterprise_id, region_field) VALUES (:e, :f)")
                                .bind("e", me.enterpriseId()).bind("f", key).execute();
                        return load(h, me.enterpriseId());
                    }));
                });
    }

    /** The call reports' parameters; the call reports' filters are no filters of these. */
    private static ReportRoutes.Params params(Context ctx, Clock clock) {
        ReportRoutes.Params p = ReportRoutes.params(ctx, clock);
        Validator v = Validator.of();
        for (String f : new String[] {"queue", "agent", "department", "number", "outcome", "limit", "offset"}) {
            v.check(ctx.queryParam(f) == null, f, "not a filter of this report");
        }
        v.throwIfInvalid();
        return p;
    }

    static Settings load(Handle h, long enterpriseId) {
        return new Settings(h.createQuery("SELECT region_field FROM business_report_settings WHERE enterprise_id = :e").bind("e", enterpriseId)
                .mapTo(String.class).findOne().orElse(null));
    }

    /** The id of the region field of the settings, if it is set and still exists. */
    private static Optional<Long> regionFieldId(Handle h, long enterpriseId) {
        String key = load(h, enterpriseId).regionField();
        return key == null ? Optional.empty() : fieldId(h, enterpriseId, key);
    }

    private static Optional<Long> fieldId(Handle h, long enterpriseId, String key) {
        return h.createQuery("SELECT id FROM customer_field WHERE enterprise_id = :e AND field_key = :k").bind("e", enterpriseId).bind("k", key)
                .mapTo(Long.class).findOne();
    }
}
