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
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
    ApiClient admin;
    Server h2;
    Connection keepAlive;
    String url;
    int nextNumber = 4700;
    @TempDir
    Path work;

    /** Called by the external database for the slow query (an alias): waits for the latch, at most {@code ms}. */
    public static int slow(int ms) throws InterruptedException {
        SLOW.await(ms, TimeUnit.MILLISECONDS);
        return 1;
    }

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        int port = Ports.free();
        h2 = Server.createTcpServer("-tcpPort", Integer.toString(port), "-tcpAllowOthers", "-ifNotExists").start();
        url = "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:crm";
        keepAlive = DriverManager.getConnection(url, "sa", DB_PASSWORD);
        try (Statement s = keepAlive.createStatement()) {
            s.execute("CREATE TABLE customer (phone VARCHAR(20) PRIMARY KEY, tier VARCHAR(10), name VARCHAR(40))");
            s.execute("INSERT INTO customer VALUES ('13500000801', 'gold', 'Li'), ('13500000802', 'silver', 'Wang')");
            s.execute("CREATE TABLE tier_route (tier VARCHAR(10), ext VARCHAR(10))");
            s.execute("INSERT INTO tier_route VALUES ('gold', '1002')");
            s.execute("CREATE ALIAS SLOW FOR 'dev.hotline.ivr.DbLookupCallsTest.slow'");
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
        return new SipPeers(work, server.hotline().engine().sipPort());
    }

    long source(ApiClient as, String name, String url, int timeoutMs) {
        Map<String, Object> in = new HashMap<>(Map.of("name", name, "url", url, "username", "sa", "password", DB_PASSWORD, "maxRows", 5,
                "timeoutMs", timeoutMs));
        var r = as.post("/api/v1/ivr/data-sources", in);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    String publish(String name, String graphJson) {
        long id = admin.post("/api/v1/flows", Map.of("name", name)).json().get("id").asLong();
        var saved = admin.raw("PUT", "/api/v1/flows/" + id + "/draft", graphJson.replace('\'', '"'), "application/json");
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        assertThat(saved.json().get("problems")).as(saved.toString()).isEmpty();
        var pub = admin.post("/api/v1/flows/" + id + "/publish", null);
        assertThat(pub.status()).as(pub.toString()).isEqualTo(200);
        String number = Integer.toString(nextNumber++);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", number, "destinationType", "flow", "destination", name)).status()).isEqualTo(201);
        return number;
    }

    Sipp.Run call(String number, String from, int stayMs) throws Exception {
        return peers().uac("uac_digits", number, SipPeers.vars(from, "PAUSE", Integer.toString(stayMs), "AFTER", "200", "DTMFACTIONS", SipPeers.dtmf("")));
    }

    /** The logged IVR steps of the caller's call: "node:<id>" and "key:<key>". */
    List<String> steps(String caller) {
        JsonNode call = await("call of " + caller).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (JsonNode r : admin.get("/api/v1/calls?number=" + caller).json().get("items")) return Optional.of(r);
            return Optional.<JsonNode>empty();
        }, Optional::isPresent).get();
        List<String> out = new ArrayList<>();
        for (JsonNode e : admin.get("/api/v1/calls/" + call.get("callId").asText() + "/events").json()) {
            String data = e.path("data").asText();
            if (e.get("type").asText().equals("ivr_node")) out.add("node:" + data.replaceAll(".*node=(\\S+).*", "$1"));
            if (e.get("type").asText().equals("ivr_key")) out.add("key:" + data.replaceAll(".*key=(\\S+).*", "$1"));
        }
        return out;
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
}
