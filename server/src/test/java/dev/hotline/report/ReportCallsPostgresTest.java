package dev.hotline.report;

import dev.hotline.testing.TestDatabases;

/** {@link ReportCallsTest} with the server on PostgreSQL: the same calls, the same numbers, the same exports. */
class ReportCallsPostgresTest extends ReportCallsTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
