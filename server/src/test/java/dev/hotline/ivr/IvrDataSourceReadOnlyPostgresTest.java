package dev.hotline.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Sipp;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * IVR-1 database lookup node against PostgreSQL as the enterprise's data source (a fresh schema of the test PostgreSQL;
 * Hotline itself on H2): a query that writes yet passes the publish-time check (a function that UPDATEs, nextval) fails at
 * run time because the lookup's transaction is read-only, the node's error exit is taken and nothing is written; a
 * variable compared with a bigint column is bound untyped (stringtype=unspecified), so PostgreSQL takes it as a number.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IvrDataSourceReadOnlyPostgresTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    TestServer server;
    ApiClient admin;
    String url;
    Connection pg;
    int nextNumber = 4750;
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
        }
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        var r = admin.post("/api/v1/ivr/data-sources", Map.of("name", "pg", "url", url, "maxRows", 5, "timeoutMs", 5000));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) server.close();
        if (pg != null) pg.close();
    }

    String publish(String name, String graphJson) {
        long id = admin.post("/api/v1/flows", Map.of("name", name)).json().get("id").asLong();
        var saved = admin.raw("PUT", "/api/v1/flows/" + id + "/draft", graphJson.replace('\'', '"'), "application/json");
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        assertThat(saved.json().get("problems")).as(saved.toString()).isEmpty();
        var pub = admin.post("/api/v1/flows/" + id + "/publish", null);
        assertThat(pub.status()).as("the publish-time check lets it through: " + pub).isEqualTo(200);
        String number = Integer.toString(nextNumber++);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", number, "destinationType", "flow", "destination", name)).status()).isEqualTo(201);
        return number;
    }

    static String flow(String query) {
        return "{'start':'q','nodes':{'q':{'type':'db','source':'pg','query':'" + query + "','found':'hit','notFound':'miss','error':'err'},"
                + "'hit':{'type':'hangup'},'miss':{'type':'hangup'},"
                + "'err':{'type':'play','prompts':[{'prompt':'TRY_LATER'}],'next':'bye'},'bye':{'type':'hangup'}}}";
    }

    void call(String number, String from) throws Exception {
        Sipp.Run run = new SipPeers(work, server.hotline().engine().sipPort())
                .uac("uac_digits", number, SipPeers.vars(from, "PAUSE", "2500", "AFTER", "200", "DTMFACTIONS", SipPeers.dtmf("")));
        // the flow hangs up by itself (found / not found at once, the error exit after its prompt): either way SIPp ends
        run.await(SipPeers.TIMEOUT);
    }

    /** The logged IVR steps of the caller's call: "node:<id>" and "key:<key>". */
    List<String> steps(String caller) {
        JsonNode c = await("call of " + caller).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (JsonNode r : admin.get("/api/v1/calls?number=" + caller).json().get("items")) return Optional.of(r);
            return Optional.<JsonNode>empty();
        }, Optional::isPresent).get();
        List<String> out = new ArrayList<>();
        for (JsonNode e : admin.get("/api/v1/calls/" + c.get("callId").asText() + "/events").json()) {
            String data = e.path("data").asText();
            if (e.get("type").asText().equals("ivr_node")) out.add("node:" + data.replaceAll(".*node=(\\S+).*", "$1"));
            if (e.get("type").asText().equals("ivr_key")) out.add("key:" + data.replaceAll(".*key=(\\S+).*", "$1"));
        }
        return out;
    }

    int hits() throws Exception {
        try (Statement s = pg.createStatement(); ResultSet rs = s.executeQuery("SELECT n FROM hits")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    long enterpriseId() {
        return server.database().withHandle(h -> h.createQuery("SELECT enterprise_id FROM ivr_data_source WHERE name = 'pg'")
                .mapTo(Long.class).one());
    }

    @Test
    void aQueryThatWritesFailsAtRunTimeOnTheReadOnlyConnectionAndTakesTheErrorExit() throws Exception {
        String number = publish("pg_write", flow("SELECT bump(${caller}) AS n"));
        call(number, "13500000911");
        assertThat(steps("13500000911")).containsSubsequence("node:q", "key:error", "node:err").doesNotContain("node:hit", "node:miss");
        assertThat(hits()).as("the function's UPDATE was not kept").isZero();

        // The reason is the read-only transaction (not some other failure), for the function and for nextval.
        try (DataSources sources = new DataSources(server.database(), null, Clock.systemUTC())) {
            var r = sources.lookup(enterpriseId(), "pg", "SELECT bump(${caller}) AS n", v -> "13500000912").get(10, TimeUnit.SECONDS);
            assertThat(r).isInstanceOf(DataSources.Result.Failed.class);
            assertThat(((DataSources.Result.Failed) r).reason()).contains("read-only transaction");
            var seq = sources.lookup(enterpriseId(), "pg", "SELECT nextval('ticket_seq') AS n", v -> "").get(10, TimeUnit.SECONDS);
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
        String number = publish("pg_typed", flow("SELECT tier FROM customer WHERE id = ${caller}"));
        call(number, "13500000901");
        assertThat(steps("13500000901")).containsSubsequence("node:q", "key:found", "node:hit").doesNotContain("node:err");
        call(number, "13500000902");
        assertThat(steps("13500000902")).containsSubsequence("node:q", "key:notfound", "node:miss").doesNotContain("node:err");
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
