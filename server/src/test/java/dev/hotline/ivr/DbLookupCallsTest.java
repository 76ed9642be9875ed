package dev.hotline.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * IVR-1 database lookup node through the whole server: an external H2 database (in memory, served over TCP by the test)
 * as the enterprise's data source, SIPp callers whose number picks the branch, a slow and a down source taking the error
 * exit, validation and tenant isolation of the sources.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public class DbLookupCallsTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static final String DB_PASSWORD = "ext-db-Secret-42";
    /** Holds the slow query until the class ends (far past the source's 500 ms). */
    static final CountDownLatch SLOW = new CountDownLatch(1);

    TestServer server;
    DbLookupFlows flows;
    ApiClient admin;
    Server h2;
    Connection keepAlive;
    String url;
    @TempDir
    Path work;

    /** Called by the external database for the slow query (an alias): waits for the latch, at most {@code ms}. */
    public static int slow(int ms) throws InterruptedException {
        SLOW.await(ms, TimeUnit.MILLISECONDS);
        return 1;
    }

    /** Called by the external database (an alias taking the session's connection): writes, then answers as a read would. */
    public static int bump(Connection c, String who) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE hits SET n = n + 1");
        }
        return 1;
    }

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start();
        flows = new DbLookupFlows(server, () -> work, 4700);
        admin = flows.admin;
        int port = Ports.free();
        h2 = Server.createTcpServer("-tcpPort", Integer.toString(port), "-tcpAllowOthers", "-ifNotExists").start();
        url = "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:crm";
        keepAlive = DriverManager.getConnection(url, "sa", DB_PASSWORD);
        try (Statement s = keepAlive.createStatement()) {
            s.execute("CREATE TABLE customer (phone VARCHAR(20) PRIMARY KEY, tier VARCHAR(10), name VARCHAR(40))");
            s.execute("INSERT INTO customer VALUES ('13500000801', 'gold', 'Li'), ('13500000802', 'silver', 'Wang')");
            s.execute("CREATE TABLE tier_route (tier VARCHAR(10), ext VARCHAR(10))");
            s.execute("INSERT INTO tier_route VALUES ('gold', '1002')");
            s.execute("CREATE TABLE account (id BIGINT PRIMARY KEY, balance DECIMAL(10, 2))");
            s.execute("INSERT INTO account VALUES (13500000821, 12.50)");
            s.execute("CREATE TABLE hits (n INT NOT NULL)");
            s.execute("INSERT INTO hits VALUES (0)");
            s.execute("CREATE ALIAS SLOW FOR 'dev.hotline.ivr.DbLookupCallsTest.slow'");
            s.execute("CREATE ALIAS BUMP FOR 'dev.hotline.ivr.DbLookupCallsTest.bump'");
        }
    }

    @AfterAll
    void stop() throws Exception {
        SLOW.countDown();
        if (keepAlive != null) keepAlive.close();
        if (h2 != null) h2.stop();
        server.close();
    }

    SipPeers peers() {
        return flows.peers();
    }

    long source(ApiClient as, String name, String url, int timeoutMs) {
        return flows.source(as, Map.of("name", name, "url", url, "username", "sa", "password", DB_PASSWORD, "maxRows", 5,
                "timeoutMs", timeoutMs));
    }

    String publish(String name, String graphJson) {
        return flows.publish(name, graphJson);
    }

    Sipp.Run call(String number, String from, int stayMs) throws Exception {
        return flows.call(number, from, stayMs);
    }

    List<String> steps(String caller) {
        return flows.steps(caller);
    }

    static final String WAIT = "'wait':{'type':'collect','variable':'x','maxDigits':1,'timeoutSeconds':30,'next':'bye'},'bye':{'type':'hangup'}";

    @Test
    void theCallersNumberPicksTheBranchThroughTwoLookups() throws Exception {
        long id = source(admin, "crm", url, 3000);
        // The password is sealed at rest and never returned.
        var got = admin.get("/api/v1/ivr/data-sources/" + id);
        assertThat(got.json().get("passwordSet").asBoolean()).isTrue();
        assertThat(got.body()).doesNotContain(DB_PASSWORD);
        assertThat(admin.get("/api/v1/ivr/data-sources").body()).doesNotContain(DB_PASSWORD).contains("\"crm\"");
        String sealed = server.database().withHandle(h -> h.createQuery("SELECT password_enc FROM ivr_data_source WHERE id = :id")
                .bind("id", id).mapTo(String.class).one());
        assertThat(sealed).startsWith("v1:").doesNotContain(DB_PASSWORD);

        // who: the caller's tier by their number (bound, not pasted); route: the tier's extension by the variable the first set.
        String number = publish("db_route", "{'start':'who','nodes':{"
                + "'who':{'type':'db','source':'crm','query':'SELECT tier, name FROM customer WHERE phone = ${caller}','assign':{'tier':'TIER'},"
                + "'found':'route','notFound':'plain','error':'err'},"
                + "'route':{'type':'db','source':'crm','query':'SELECT ext FROM tier_route WHERE tier = ${tier}','found':'vip','notFound':'plain','error':'err'},"
                + "'vip':{'type':'transfer','target':'extension','value':'1002','fail':'bye'},"
                + "'plain':{'type':'play','prompts':[{'prompt':'PLEASE_HOLD'}],'next':'wait'},"
                + "'err':{'type':'play','prompts':[{'prompt':'TRY_LATER'}],'next':'wait'}," + WAIT + "}}");
        int phone = Ports.free();
        peers().register("1002", PW, phone, "200");
        Sipp.Run agent = peers().uas("uas_answer", phone, SipPeers.vars("13500000801"));
        SipPeers.ok(call(number, "13500000801", 2500));
        SipPeers.ok(agent);
        SipPeers.ok(call(number, "13500000802", 2500));
        SipPeers.ok(call(number, "13500000803", 2500));

        assertThat(steps("13500000801")).containsSubsequence("node:who", "key:found", "node:route", "key:found", "node:vip")
                .doesNotContain("node:plain", "node:err");
        JsonNode gold = admin.get("/api/v1/calls?number=13500000801").json().get("items").get(0);
        assertThat(admin.get("/api/v1/calls/" + gold.get("callId").asText() + "/events").body()).contains("extension 1002");
        assertThat(steps("13500000802")).containsSubsequence("node:who", "key:found", "node:route", "key:notfound", "node:plain")
                .doesNotContain("node:vip", "node:err");
        assertThat(steps("13500000803")).containsSubsequence("node:who", "key:notfound", "node:plain")
                .doesNotContain("node:route", "node:vip", "node:err");
    }

    @Test
    void aSlowQueryADownSourceAndABrokenQueryTakeTheErrorExit() throws Exception {
        source(admin, "slowdb", url, 500);
        source(admin, "down", "jdbc:h2:tcp://127.0.0.1:" + Ports.free() + "/mem:nothing", 2000);
        String slow = publish("db_slow", "{'start':'q','nodes':{"
                + "'q':{'type':'db','source':'slowdb','query':'SELECT SLOW(8000) AS waited FROM customer WHERE phone <> ${caller}',"
                + "'found':'late','notFound':'late','error':'err'},'late':{'type':'hangup'},"
                + "'err':{'type':'play','prompts':[{'prompt':'TRY_LATER'}],'next':'wait'}," + WAIT + "}}");
        String down = publish("db_down", "{'start':'q','nodes':{"
                + "'q':{'type':'db','source':'down','query':'SELECT 1 AS one','found':'late','notFound':'late','error':'err'},'late':{'type':'hangup'},"
                + "'err':{'type':'play','prompts':[{'prompt':'TRY_LATER'}],'next':'wait'}," + WAIT + "}}");
        source(admin, "crm2", url, 3000);
        String broken = publish("db_broken", "{'start':'q','nodes':{"
                + "'q':{'type':'db','source':'crm2','query':'SELECT tier FROM no_such_table WHERE phone = ${caller}','found':'late','notFound':'late','error':'err'},"
                + "'late':{'type':'hangup'},'err':{'type':'play','prompts':[{'prompt':'TRY_LATER'}],'next':'wait'}," + WAIT + "}}");
        long t0 = System.nanoTime();
        SipPeers.ok(call(slow, "13500000811", 3000));
        assertThat(steps("13500000811")).containsSubsequence("node:q", "key:timeout", "node:err").doesNotContain("node:late");
        // The call went on at the source's timeout, long before the query would have ended (8 s).
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
        SipPeers.ok(call(down, "13500000812", 3500));
        assertThat(steps("13500000812")).containsSubsequence("node:q", "node:err").doesNotContain("node:late");
        SipPeers.ok(call(broken, "13500000813", 2500));
        assertThat(steps("13500000813")).containsSubsequence("node:q", "key:error", "node:err").doesNotContain("node:late");
    }

    @Test
    void nodesAndSourcesAreValidatedWithTheFieldNamed() {
        source(admin, "crm3", url, 1000);
        long id = admin.post("/api/v1/flows", Map.of("name", "db_bad")).json().get("id").asLong();
        String g = "{'start':'a','nodes':{"
                + "'a':{'type':'db','source':'crm3','query':'DELETE FROM customer','found':'b','notFound':'b','error':'b'},"
                + "'b':{'type':'db','source':'crm3','query':'SELECT 1 AS x; DROP TABLE customer','found':'c','notFound':'c','error':'c'},"
                + "'c':{'type':'db','source':'crm3','query':'SELECT tier FROM customer WHERE phone = ${nosuch}','found':'d','notFound':'d','error':'d'},"
                + "'d':{'type':'db','source':'nowhere','query':'SELECT tier FROM customer FOR UPDATE','found':'e','notFound':'e','error':'e'},"
                + "'e':{'type':'hangup'}}}";
        var saved = admin.raw("PUT", "/api/v1/flows/" + id + "/draft", g.replace('\'', '"'), "application/json");
        assertThat(saved.status()).isEqualTo(200);
        var pub = admin.post("/api/v1/flows/" + id + "/publish", null);
        assertThat(pub.status()).as(pub.toString()).isEqualTo(400);
        assertThat(pub.body()).contains("nodes.a.query", "only a SELECT", "nodes.b.query", "a single statement", "nodes.c.query",
                "unknown variable nosuch", "nodes.d.source", "no such data source", "nodes.d.query", "UPDATE is not allowed");

        var badUrl = admin.post("/api/v1/ivr/data-sources", Map.of("name", "local", "url", "jdbc:h2:mem:steal", "maxRows", 0, "timeoutMs", 5));
        assertThat(badUrl.status()).isEqualTo(400);
        assertThat(badUrl.body()).contains("\"url\"", "\"maxRows\"", "\"timeoutMs\"");
        var init = admin.post("/api/v1/ivr/data-sources", Map.of("name", "init", "url", url + ";INIT=RUNSCRIPT FROM 'x'"));
        assertThat(init.status()).isEqualTo(400);
        assertThat(init.body()).contains("INIT=");
        assertThat(admin.post("/api/v1/ivr/data-sources", Map.of("name", "crm3", "url", url)).status()).isEqualTo(409);
    }

    @Test
    void anotherEnterpriseNeitherSeesNorUsesTheSources() {
        long id = source(admin, "private", url, 1000);
        ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", PW);
        assertThat(operator.post("/api/v1/enterprises", Map.of("code", "acme-db", "name", "Acme", "adminUsername", "boss",
                "adminPassword", "acme-pass-1")).status()).isEqualTo(201);
        ApiClient other = ApiClient.loggedIn(server.baseUrl(), "acme-db", "boss", "acme-pass-1");
        assertThat(other.get("/api/v1/ivr/data-sources").json()).isEmpty();
        assertThat(other.get("/api/v1/ivr/data-sources/" + id).status()).isEqualTo(404);
        assertThat(other.put("/api/v1/ivr/data-sources/" + id, Map.of("url", "jdbc:h2:tcp://127.0.0.1:1/mem:x")).status()).isEqualTo(404);
        assertThat(other.delete("/api/v1/ivr/data-sources/" + id).status()).isEqualTo(404);
        long flow = other.post("/api/v1/flows", Map.of("name", "theirs")).json().get("id").asLong();
        other.raw("PUT", "/api/v1/flows/" + flow + "/draft", ("{'start':'a','nodes':{'a':{'type':'db','source':'private','query':'SELECT 1 AS x',"
                + "'found':'b','notFound':'b','error':'b'},'b':{'type':'hangup'}}}").replace('\'', '"'), "application/json");
        var pub = other.post("/api/v1/flows/" + flow + "/publish", null);
        assertThat(pub.status()).isEqualTo(400);
        assertThat(pub.body()).contains("nodes.a.source", "no such data source");
        // Their own source of the same name is theirs alone; ours is unchanged.
        assertThat(other.post("/api/v1/ivr/data-sources", Map.of("name", "private", "url", url)).status()).isEqualTo(201);
        assertThat(admin.get("/api/v1/ivr/data-sources/" + id).json().get("passwordSet").asBoolean()).isTrue();
        // A password change keeps it unreadable; "" removes it.
        assertThat(admin.put("/api/v1/ivr/data-sources/" + id, Map.of("password", "")).json().get("passwordSet").asBoolean()).isFalse();
    }

    int hits() throws SQLException {
        try (Statement s = keepAlive.createStatement(); ResultSet rs = s.executeQuery("SELECT n FROM hits")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    Set<String> tables() throws SQLException {
        Set<String> out = new HashSet<>();
        try (ResultSet rs = keepAlive.getMetaData().getTables(null, "PUBLIC", "%", null)) {
            while (rs.next()) out.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /**
     * H2 ignores setReadOnly, so the lookup does not rely on it: statements that write (INSERT, UPDATE, DELETE, DDL, which H2
     * would commit at once) are refused before they reach the source, also at run time for a flow that was stored without the
     * publish-time check; a SELECT whose function writes is rolled back and fails. Every time the node takes its error exit and
     * the source is unchanged. Variables compared with typed columns (BIGINT) work: H2 converts the bound text.
     */
    @Test
    void statementsThatWriteChangeNothingOnAnH2SourceAndTakeTheErrorExit() throws Exception {
        source(admin, "h2w", url, 3000);
        long enterprise = flows.enterpriseOf("h2w");
        Set<String> before = tables();
        DataSources sources = server.hotline().dataSources();
        for (String write : List.of("INSERT INTO customer VALUES (${caller}, 'gold', 'Mallory')", "UPDATE customer SET tier = 'gold'",
                "DELETE FROM customer", "CREATE TABLE stolen (a INT)", "DROP TABLE tier_route", "TRUNCATE TABLE customer",
                "SELECT 1 AS x; DELETE FROM customer", "SELECT * FROM FINAL TABLE (INSERT INTO customer VALUES (${caller}, 'gold', 'M'))",
                "SELECT NEXT VALUE FOR no_seq AS n", "CALL BUMP('x')")) {
            DataSources.Result r = sources.lookup(enterprise, "h2w", write, v -> "13500000829").get(10, TimeUnit.SECONDS);
            assertThat(r).as(write).isInstanceOf(DataSources.Result.Failed.class);
            assertThat(((DataSources.Result.Failed) r).reason()).as(write).startsWith("refused: ");
        }
        assertThat(tables()).isEqualTo(before);
        try (Statement s = keepAlive.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(CASE WHEN tier = 'gold' THEN 1 ELSE 0 END) FROM customer")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
            assertThat(rs.getInt(2)).isEqualTo(1);
        }

        // A flow stored without the publish-time check (older, or changed in the database): the run-time check refuses it.
        String tampered = publish("db_tampered", DbLookupFlows.oneLookup("h2w", "SELECT tier FROM customer WHERE phone = ${caller}"));
        int changed = server.database().withHandle(h -> h.createUpdate("""
                        UPDATE ivr_flow_version SET graph = REPLACE(graph, 'SELECT tier FROM customer WHERE phone = ${caller}',
                        'INSERT INTO customer VALUES (${caller}, ''gold'', ''Mallory'')')
                        WHERE flow_id = (SELECT id FROM ivr_flow WHERE name = 'db_tampered')""").execute());
        assertThat(changed).isEqualTo(1);
        // any successful change through the API makes routing read the flows again
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4799", "destinationType", "flow", "destination", "db_tampered")).status())
                .isEqualTo(201);
        call(tampered, "13500000822", 3500).await(SipPeers.TIMEOUT); // the flow hangs up by itself on every exit
        assertThat(steps("13500000822")).containsSubsequence("node:q", "key:error", "node:err").doesNotContain("node:hit", "node:miss");
        try (Statement s = keepAlive.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM customer")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the INSERT never ran").isEqualTo(2);
        }

        // A SELECT whose function writes passes the statement check; the write is rolled back and the lookup fails.
        String writes = publish("db_h2_write", DbLookupFlows.oneLookup("h2w", "SELECT BUMP(${caller}) AS n"));
        call(writes, "13500000823", 3500).await(SipPeers.TIMEOUT); // the flow hangs up by itself on every exit
        assertThat(steps("13500000823")).containsSubsequence("node:q", "key:error", "node:err").doesNotContain("node:hit", "node:miss");
        assertThat(sources.lookup(enterprise, "h2w", "SELECT BUMP(${caller}) AS n", v -> "x").get(10, TimeUnit.SECONDS))
                .isEqualTo(new DataSources.Result.Failed("the query wrote to the database (rolled back)"));
        assertThat(hits()).as("the function's UPDATE was not kept").isZero();
        try (Statement s = keepAlive.createStatement(); ResultSet rs = s.executeQuery("SELECT BUMP('direct')")) {
            rs.next();
        }
        assertThat(hits()).as("the same function writes on an ordinary connection").isEqualTo(1);

        // Typed columns: the caller's number against a BIGINT key, a DECIMAL read back as text.
        String typed = publish("db_h2_typed", "{'start':'q','nodes':{'q':{'type':'db','source':'h2w',"
                + "'query':'SELECT balance FROM account WHERE id = ${caller}','assign':{'balance':'BAL'},"
                + "'found':'hit','notFound':'miss','error':'err'},'hit':{'type':'hangup'},'miss':{'type':'hangup'},"
                + "'err':{'type':'play','prompts':[{'prompt':'TRY_LATER'}],'next':'bye'},'bye':{'type':'hangup'}}}");
        call(typed, "13500000821", 3500).await(SipPeers.TIMEOUT); // the flow hangs up by itself on every exit
        assertThat(steps("13500000821")).containsSubsequence("node:q", "key:found", "node:hit").doesNotContain("node:err");
        assertThat(sources.lookup(enterprise, "h2w", "SELECT balance, id + 1 AS next FROM account WHERE id = ${caller}",
                v -> "13500000821").get(10, TimeUnit.SECONDS))
                .isEqualTo(new DataSources.Result.Found(Map.of("balance", "12.50", "next", "13500000822"), 1));
    }
}
