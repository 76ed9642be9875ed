package dev.hotline.acd;

import dev.hotline.testing.TestDatabases;

/** The same tests as {@link AcdApiTest}, on PostgreSQL. */
class AcdApiPostgresTest extends AcdApiTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
