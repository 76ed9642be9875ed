package dev.hotline.report;

import dev.hotline.testing.TestDatabases;

/** {@link ReportReconciliationTest} on PostgreSQL: the same random event logs, the same report SQL, the same totals. */
class ReportReconciliationPostgresTest extends ReportReconciliationTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
