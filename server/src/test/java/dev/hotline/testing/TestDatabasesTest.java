package dev.hotline.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** A copy of the migrated H2 template is the database the migrations make, and Flyway finds nothing left to do on it. */
class TestDatabasesTest {
    private static final String SCHEMA = """
            SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || COALESCE(column_default, '')
                   || ' ' || is_identity
            FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1""";
    // by table, kind and columns: H2 names the indexes behind constraints with generated suffixes that differ per database
    private static final String INDEXES = """
            SELECT i.table_name || ' ' || i.index_type_name || ' ' || LISTAGG(c.column_name, ',') WITHIN GROUP (ORDER BY c.ordinal_position)
            FROM information_schema.indexes i JOIN information_schema.index_columns c
              ON c.index_schema = i.index_schema AND c.index_name = i.index_name AND c.table_name = i.table_name
            WHERE i.table_schema = current_schema() GROUP BY i.table_name, i.index_name, i.index_type_name ORDER BY 1""";
    private static final String CONSTRAINTS = """
            SELECT table_name || '.' || constraint_type || ' ' || COUNT(*) FROM information_schema.table_constraints
            WHERE table_schema = current_schema() GROUP BY table_name, constraint_type ORDER BY 1""";
    private static final String HISTORY = "SELECT version || ' ' || checksum || ' ' || success FROM flyway_schema_history ORDER BY installed_rank";

    private static List<String> rows(String url, String sql) {
        return Jdbi.create(url).withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }

    @Test
    void aCopyOfTheTemplateIsTheMigratedSchemaAndFlywayRunsNothingOnIt() {
        String migratedHere = TestDatabases.fresh(TestDatabases.Kind.H2);
        var applied = Flyway.configure().dataSource(migratedHere, "", "").locations("classpath:db/migration").load().migrate();
        assertThat(applied.migrationsExecuted).isGreaterThan(50);

        String copy = TestDatabases.migrated(TestDatabases.Kind.H2);
        for (String sql : List.of(SCHEMA, CONSTRAINTS, HISTORY)) {
            assertThat(rows(copy, sql)).isNotEmpty().isEqualTo(rows(migratedHere, sql));
        }
        // RUNSCRIPT adds the foreign keys after every index, so H2 lets a foreign key use an index that starts with its
        // columns where the migrations, run in order, had given it an index of its own: every index of the migrated
        // database is in the copy, or a copy's index of the same table starts with its columns.
        List<String> copyIndexes = rows(copy, INDEXES);
        assertThat(rows(migratedHere, INDEXES)).isNotEmpty().allSatisfy(i -> assertThat(copyIndexes.contains(i) || i.contains(" INDEX ")
                && copyIndexes.stream().anyMatch(c -> c.startsWith(i.substring(0, i.indexOf(' ')) + " ")
                        && (c.substring(c.lastIndexOf(' ') + 1) + ",").startsWith(i.substring(i.lastIndexOf(' ') + 1) + ","))).as(i).isTrue());
        assertThat(rows(migratedHere, INDEXES)).containsAll(copyIndexes);
        var again = Flyway.configure().dataSource(copy, "", "").locations("classpath:db/migration").load();
        again.validate(); // checksums of every applied migration match the files
        assertThat(again.migrate().migrationsExecuted).isZero();
        // the rows migrations insert (e.g. built-in roles' permissions) came along
        assertThat(rows(copy, "SELECT COUNT(*) || '' FROM role_permission")).isEqualTo(rows(migratedHere, "SELECT COUNT(*) || '' FROM role_permission"));
    }

    @Test
    void eachCopyIsADatabaseOfItsOwn() {
        String a = TestDatabases.migrated(TestDatabases.Kind.H2);
        String b = TestDatabases.migrated(TestDatabases.Kind.H2);
        assertThat(a).isNotEqualTo(b);
        Jdbi.create(a).useHandle(h -> h.execute("INSERT INTO enterprise (code, name, sip_domain, created_at) VALUES ('x', 'X', 'x.hotline', CURRENT_TIMESTAMP)"));
        assertThat(rows(b, "SELECT COUNT(*) || '' FROM enterprise")).containsExactly("0");
        assertThat(rows(a, "SELECT COUNT(*) || '' FROM enterprise")).containsExactly("1");
    }
}
