package dev.hotline.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** H2 must not close the database from its own shutdown hook: Hotline's hook drains the event log first. */
class DatabaseUrlTest {
    @Test
    void anH2UrlLeavesClosingToHotlineUnlessItSaysOtherwise() {
        assertThat(Database.h2ClosedByUs("jdbc:h2:file:/d/hotline;MODE=PostgreSQL"))
                .isEqualTo("jdbc:h2:file:/d/hotline;MODE=PostgreSQL;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(Database.h2ClosedByUs("jdbc:h2:mem:x;db_close_on_exit=true")).isEqualTo("jdbc:h2:mem:x;db_close_on_exit=true");
        assertThat(Database.h2ClosedByUs("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
    }
}
