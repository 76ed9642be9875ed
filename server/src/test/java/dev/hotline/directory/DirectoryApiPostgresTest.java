package dev.hotline.directory;

import dev.hotline.testing.TestDatabases;

/** The same tests as {@link DirectoryApiTest}, on PostgreSQL. */
class DirectoryApiPostgresTest extends DirectoryApiTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
