package dev.hotline.reportmail;

import dev.hotline.report.Period;
import java.time.Instant;
import java.util.List;

/**
 * One enterprise's scheduled report (MSG-2 with RPT-2): which report of {@code /api/v1/reports/} with which filters, the
 * period it covers, its grouping, file format and header language, its recipients and when it is sent; {@code lastDueAt}
 * the last occurrence handled and {@code lastPeriodFrom/To} the last period sent (so a restart neither repeats nor skips).
 */
record ReportSchedule(long id, long enterpriseId, String name, String report, String queue, Long agent, Long department, String number,
                      String outcome, Recurrence.Coverage period, Period.Grouping group, String format, String lang, List<String> recipients,
                      Recurrence when, boolean enabled, Instant createdAt, Instant updatedAt, Instant lastDueAt, Instant lastPeriodFrom,
                      Instant lastPeriodTo) {

    /** The report's filters, as its route takes them. */
    boolean hasFilters() {
        return queue != null || agent != null || department != null || number != null || outcome != null;
    }
}
