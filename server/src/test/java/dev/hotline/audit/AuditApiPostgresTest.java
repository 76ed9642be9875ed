package dev.hotline.audit;

import dev.hotline.testing.TestDatabases;

/** The same tests as {@link AuditApiTest}, on PostgreSQL. */
class AuditApiPostgresTest extends AuditApiTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
