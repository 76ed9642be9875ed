package dev.hotline.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * REC-1 through real SIP calls: under each enterprise policy (none, inbound, outbound, internal, all)
 * one inbound call (trunk → DID → extension), one outbound call (extension → route → carrier) and one
 * internal call (extension → extension) are made, and exactly the calls of the policy's direction
 * are recorded. Each round ends with a call recorded under "all", whose recording is awaited, so
 * the absence of the others is not read before the event log could have written them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordingPolicyCallsTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    TestServer server;
    ApiClient admin;
    int sipPort;
    int phone1001;
    int phone1002;
    int carrier;
    final AtomicInteger seq = new AtomicInteger(10);
    @TempDir
    Path work;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start();
        sipPort = server.hotline().engine().sipPort();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        carrier = Ports.free();
        long trunk = admin.post("/api/v1/trunks", Map.of("name", "carrier", "host", "127.0.0.1", "port", carrier,
                "allowedIps", List.of())).json().get("id").asLong();
        var route = admin.post("/api/v1/outbound-routes", Map.of("name", "national", "prefix", "9", "stripDigits", 1,
                "trunkId", trunk, "priority", 10));
        assertThat(route.status()).as(route.toString()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    SipPeers peers() {
        return new SipPeers(work, sipPort);
    }

    Map<String, String> vars(String from, String... kv) {
        return SipPeers.vars(from, kv);
    }

    Set<String> callIds() {
        Set<String> ids = new HashSet<>();
        for (JsonNode r : admin.get("/api/v1/calls?limit=500").json().get("items")) ids.add(r.get("callId").asText());
        return ids;
    }

    Set<String> recordedCallIds() {
        Set<String> ids = new HashSet<>();
        for (JsonNode r : admin.get("/api/v1/recordings?limit=500").json().get("items")) ids.add(r.get("callId").asText());
        return ids;
    }

    /** One answered call of {@code direction}; returns its call id, checked against the call record's direction. */
    String call(String direction) throws Exception {
        Set<String> before = callIds();
        int n = seq.incrementAndGet();
        Sipp.Run callee;
        Sipp.Run caller;
        switch (direction) {
            case "inbound" -> {
                callee = peers().uas("uas_answer", phone1001, vars("x"));
                caller = peers().uac("uac_call", "4010", vars("137000000" + n, "PAUSE", "600"));
            }
            case "outbound" -> {
                callee = peers().uas("uas_answer", carrier, vars("x"));
                caller = peers().uac("uac_call", "91380013" + (8000 + n), vars("1003", "PAUSE", "600"), "-au", "1003", "-ap", PW);
            }
            case "internal" -> {
                callee = peers().uas("uas_answer", phone1002, vars("x"));
                caller = peers().uac("uac_call", "1002", vars("1001", "PAUSE", "600"), "-au", "1001", "-ap", PW);
            }
            default -> throw new AssertionError(direction);
        }
        SipPeers.ok(caller);
        SipPeers.ok(callee);
        JsonNode record = await(direction + " call record").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (JsonNode r : admin.get("/api/v1/calls?limit=500").json().get("items")) {
                if (!before.contains(r.get("callId").asText())) return r;
            }
            return null;
        }, r -> r != null);
        assertThat(record.get("direction").asText()).isEqualTo(direction);
        assertThat(record.get("outcome").asText()).isEqualTo("answered");
        return record.get("callId").asText();
    }

    void policy(String p) {
        var r = admin.put("/api/v1/settings/recording", Map.of("policy", p, "format", "pcm", "stereo", true, "retentionDays", 30));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @Test
    void eachPolicyRecordsExactlyTheCallsOfItsDirection() throws Exception {
        phone1001 = Ports.free();
        phone1002 = Ports.free();
        peers().register("1001", PW, phone1001, "200");
        peers().register("1002", PW, phone1002, "200");
        peers().register("1003", PW, Ports.free(), "200");
        Map<String, Set<String>> expected = new LinkedHashMap<>();
        expected.put("none", Set.of());
        expected.put("inbound", Set.of("inbound"));
        expected.put("outbound", Set.of("outbound"));
        expected.put("internal", Set.of("internal"));
        expected.put("all", Set.of("inbound", "outbound", "internal"));
        for (var round : expected.entrySet()) {
            policy(round.getKey());
            Map<String, String> byDirection = new LinkedHashMap<>();
            for (String direction : List.of("inbound", "outbound", "internal")) byDirection.put(direction, call(direction));
            // The sentinel: recorded under "all"; once its recording is listed, the round's would be too.
            policy("all");
            String sentinel = call("inbound");
            await("the sentinel's recording").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> recordedCallIds().contains(sentinel));
            Set<String> recorded = recordedCallIds();
            for (var c : byDirection.entrySet()) {
                assertThat(recorded.contains(c.getValue())).as("policy %s, %s call recorded", round.getKey(), c.getKey())
                        .isEqualTo(round.getValue().contains(c.getKey()));
            }
        }
    }
}
