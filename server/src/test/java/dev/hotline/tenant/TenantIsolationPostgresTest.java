package dev.hotline.tenant;

import dev.hotline.testing.TestDatabases;

/** The same tests as {@link TenantIsolationTest}, on PostgreSQL. */
class TenantIsolationPostgresTest extends TenantIsolationTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
