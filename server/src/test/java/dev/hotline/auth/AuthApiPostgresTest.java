package dev.hotline.auth;

import dev.hotline.testing.TestDatabases;

/** The same tests as {@link AuthApiTest}, on PostgreSQL. */
class AuthApiPostgresTest extends AuthApiTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
