package dev.hotline.ticket;

import dev.hotline.testing.TestDatabases;

/** The same tests as {@link TicketKbApiTest} (tickets, SLA, knowledge base with review and questions), on PostgreSQL. */
class TicketKbApiPostgresTest extends TicketKbApiTest {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRES;
    }
}
