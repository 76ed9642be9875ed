package dev.hotline.ivr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * IVR-1 database lookup node against PostgreSQL as the enterprise's data source (a fresh schema of the test PostgreSQL;
 * Hotline itself on H2): a query that writes yet passes the publish-time check (a function that UPDATEs, one that calls nextval) fails at
 * run time because the lookup's transaction is read-only, the node's error exit is taken and nothing is written; a
 * variable compared with a bigint column is bound untyped (stringtype=unspecified), so PostgreSQL takes it as a number.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IvrDataSourceReadOnlyPostgresTest {
    TestServer server;
    DbLookupFlows flows;
    ApiClient admin;
    String url;
    Connection pg;
    @TempDir
    Path work;

    @BeforeAll
    void start() throws Exception {
        url = TestDatabases.fresh(TestDatabases.Kind.POSTGRES);
        pg = DriverManager.getConnection(url);
        try (Statement s = pg.createStatement()) {
            s.execute("CREATE TABLE customer (id BIGINT PRIMARY KEY, tier VARCHAR(10))");
            s.execute("INSERT INTO customer VALUES (13500000901, 'gold')");
            s.execute("CREATE TABLE hits (n INT NOT NULL)");
            s.execute("INSERT INTO hits VALUES (0)");
            s.execute("CREATE FUNCTION bump(who TEXT) RETURNS INT LANGUAGE plpgsql AS $$ BEGIN UPDATE hits SET n = n + 1; RETURN 1; END $$");
            s.execute("CREATE SEQUENCE ticket_seq");
            s.execute("CREATE FUNCTION take_ticket() RETURNS BIGINT LANGUAGE sql AS $$ SELECT nextval('ticket_seq') $$");
        }
        server = TestServer.start();
        flows = new DbLookupFlows(server, () -> work, 4750);
        admin = flows.admin;
        flows.source(admin, Map.of("name", "pg", "url", url, "maxRows", 5, "timeoutMs", 5000));
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) server.close();
        if (pg != null) pg.close();
    }

    /** A caller; the flow hangs up by itself (found / not found at once, the error exit after its prompt): either way SIPp ends. */
    void call(String number, String from) throws Exception {
        flows.call(number, from, 2500).await(SipPeers.TIMEOUT);
    }

    int hits() throws Exception {
        try (Statement s = pg.createStatement(); ResultSet rs = s.executeQuery("SELECT n FROM hits")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    long enterpriseId() {
        return flows.enterpriseOf("pg");
    }

    @Test
    void aQueryThatWritesFailsAtRunTimeOnTheReadOnlyConnectionAndTakesTheErrorExit() throws Exception {
        String number = flows.publish("pg_write", DbLookupFlows.oneLookup("pg", "SELECT bump(${caller}) AS n"));
        call(number, "13500000911");
        assertThat(flows.steps("13500000911")).containsSubsequence("node:q", "key:error", "node:err").doesNotContain("node:hit", "node:miss");
        assertThat(hits()).as("the function's UPDATE was not kept").isZero();

        // The reason is the read-only transaction (not some other failure), for the function and for nextval.
        try (DataSources sources = new DataSources(server.database(), null, Clock.systemUTC())) {
            var r = sources.lookup(enterpriseId(), "pg", "SELECT bump(${caller}) AS n", v -> "13500000912").get(10, TimeUnit.SECONDS);
            assertThat(r).isInstanceOf(DataSources.Result.Failed.class);
            assertThat(((DataSources.Result.Failed) r).reason()).contains("read-only transaction");
            // nextval itself is refused by the statement check; through a function it is stopped by the read-only transaction.
            var next = sources.lookup(enterpriseId(), "pg", "SELECT nextval('ticket_seq') AS n", v -> "").get(10, TimeUnit.SECONDS);
            assertThat(next).isEqualTo(new DataSources.Result.Failed("refused: only reads: NEXTVAL is not allowed"));
            var seq = sources.lookup(enterpriseId(), "pg", "SELECT take_ticket() AS n", v -> "").get(10, TimeUnit.SECONDS);
            assertThat(seq).isInstanceOf(DataSources.Result.Failed.class);
            assertThat(((DataSources.Result.Failed) seq).reason()).contains("read-only transaction");
        }
        assertThat(hits()).isZero();
        try (Statement s = pg.createStatement(); ResultSet rs = s.executeQuery("SELECT is_called FROM ticket_seq")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("the sequence never moved").isFalse();
        }
        // The same function on an ordinary connection does write: only the read-only lookup kept it from doing so.
        try (Statement s = pg.createStatement()) {
            s.execute("SELECT bump('direct')");
        }
        assertThat(hits()).isEqualTo(1);
    }

    @Test
    void aVariableComparedWithABigintColumnIsBoundAsANumber() throws Exception {
        String number = flows.publish("pg_typed", DbLookupFlows.oneLookup("pg", "SELECT tier FROM customer WHERE id = ${caller}"));
        call(number, "13500000901");
        assertThat(flows.steps("13500000901")).containsSubsequence("node:q", "key:found", "node:hit").doesNotContain("node:err");
        call(number, "13500000902");
        assertThat(flows.steps("13500000902")).containsSubsequence("node:q", "key:notfound", "node:miss").doesNotContain("node:err");
        try (DataSources sources = new DataSources(server.database(), null, Clock.systemUTC())) {
            var r = sources.lookup(enterpriseId(), "pg", "SELECT tier, ${caller} AS said FROM customer WHERE id = ${caller}",
                    v -> "13500000901").get(10, TimeUnit.SECONDS);
            assertThat(r).isEqualTo(new DataSources.Result.Found(Map.of("tier", "gold", "said", "13500000901"), 1));
        }
    }

    @Test
    void anAddressTurningTheReadOnlyModeOffIsRefused() {
        var r = admin.post("/api/v1/ivr/data-sources", Map.of("name", "pg-rw", "url", url + "&readOnlyMode=ignore"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("\"url\"", "readOnlyMode");
    }
}
