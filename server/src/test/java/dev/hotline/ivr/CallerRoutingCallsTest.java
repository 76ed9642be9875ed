package dev.hotline.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.acd.Acd;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * ACD-3 and ACD-4 through published flows with SIPp callers: a caller condition node sends a caller on a number list or
 * from an area into one queue and everyone else into another (the queue each caller then waits in says where the call
 * landed); a queue priority node, reached after a menu choice, puts a caller ahead of one who has waited longer (the agent's
 * phone is offered the prioritised caller first). The number lists' API and the nodes' validation at publish.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallerRoutingCallsTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    TestServer server;
    ApiClient admin;
    Acd acd;
    long enterprise;
    int nextNumber = 4660;
    @TempDir
    Path work;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        acd = server.hotline().acd();
        enterprise = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    SipPeers peers() {
        return new SipPeers(work, server.hotline().engine().sipPort());
    }

    /** Creates a flow with the graph and returns its id (the draft saved, not published). */
    long draft(String name, String graphJson) {
        long id = admin.post("/api/v1/flows", Map.of("name", name)).json().get("id").asLong();
        var saved = admin.raw("PUT", "/api/v1/flows/" + id + "/draft", graphJson.replace('\'', '"'), "application/json");
        assertThat(saved.status()).as(saved.toString()).isEqualTo(200);
        return id;
    }

    /** Publishes the flow and points a new number at it; returns the number. */
    String publish(String name, String graphJson) {
        long id = draft(name, graphJson);
        var pub = admin.post("/api/v1/flows/" + id + "/publish", null);
        assertThat(pub.status()).as(pub.toString()).isEqualTo(200);
        String number = Integer.toString(nextNumber++);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", number, "destinationType", "flow", "destination", name)).status()).isEqualTo(201);
        return number;
    }

    List<String> fields(ApiClient.Response r) {
        List<String> out = new ArrayList<>();
        for (JsonNode fe : r.json().get("fieldErrors")) out.add(fe.get("field").asText());
        return out;
    }

    @Test
    void numberListsAreManagedOverTheApiAndBadNodesAreRefusedAtPublish() {
        var bad = admin.post("/api/v1/ivr/number-lists", Map.of("name", "Bad Name", "entries", List.of("13800138000", "abc", "12*")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(fields(bad)).containsExactlyInAnyOrder("name", "entries.1", "entries.2");
        var created = admin.post("/api/v1/ivr/number-lists", Map.of("name", "partners", "description", "Partner lines",
                "entries", List.of("+86 10 8888 6666", "0755*", "0755*", "")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("entries")).extracting(JsonNode::asText).containsExactly("+86 10 8888 6666", "0755*");
        assertThat(admin.post("/api/v1/ivr/number-lists", Map.of("name", "partners")).status()).as("name taken").isEqualTo(409);
        var changed = admin.put("/api/v1/ivr/number-lists/" + id, Map.of("entries", List.of("021*")));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("entries")).extracting(JsonNode::asText).containsExactly("021*");
        assertThat(changed.json().get("description").asText()).as("kept").isEqualTo("Partner lines");
        assertThat(admin.get("/api/v1/ivr/number-lists/999999").status()).isEqualTo(404);
        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        assertThat(agent.post("/api/v1/ivr/number-lists", Map.of("name", "mine")).status()).as("ivr.write only").isEqualTo(403);

        // Publishing names each bad node and field.
        long flow = draft("bad_nodes", "{'start':'p','nodes':{"
                + "'p':{'type':'priority','value':'high','next':'c'},"
                + "'c':{'type':'caller','areas':['0755','12'],'list':'nosuchlist','match':'q','noMatch':'e'},"
                + "'e':{'type':'caller','match':'q','noMatch':'q'},"
                + "'q':{'type':'priority','next':'bye'},'bye':{'type':'hangup'}}}");
        var refused = admin.post("/api/v1/flows/" + flow + "/publish", null);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(fields(refused)).containsExactlyInAnyOrder("nodes.p.value", "nodes.c.areas.1", "nodes.c.list", "nodes.e.areas", "nodes.q.value");
        var validated = admin.post("/api/v1/flows/" + flow + "/validate", null);
        assertThat(validated.json().get("problems").toString()).contains("no such number list", "0..100 or a ${variable}");

        // A list a published flow routes by is neither removed nor renamed; once no flow names it, it goes.
        publish("by_partners", "{'start':'c','nodes':{'c':{'type':'caller','list':'partners','match':'bye','noMatch':'bye'},'bye':{'type':'hangup'}}}");
        var inUse = admin.delete("/api/v1/ivr/number-lists/" + id);
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(inUse.body()).contains("by_partners");
        assertThat(admin.put("/api/v1/ivr/number-lists/" + id, Map.of("name", "renamed")).status()).isEqualTo(409);
        long other = admin.post("/api/v1/ivr/number-lists", Map.of("name", "spare")).json().get("id").asLong();
        assertThat(admin.delete("/api/v1/ivr/number-lists/" + other).status()).isEqualTo(204);
        assertThat(admin.get("/api/v1/ivr/number-lists/" + other).status()).isEqualTo(404);
    }

    /** The queue the caller waits in, once they do. */
    String queueOf(String caller) {
        return await("queue of " + caller).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> acd.waiting(enterprise).stream().filter(w -> w.caller().equals(caller)).findFirst(), Optional::isPresent)
                .get().queue();
    }

    @Test
    void callersOnAListOrFromAnAreaTakeTheMatchedBranch() throws Exception {
        var list = admin.post("/api/v1/ivr/number-lists", Map.of("name", "vip", "entries", List.of("013500000301", "+86755*")));
        assertThat(list.status()).as(list.toString()).isEqualTo(201);
        String number = publish("by_caller", "{'start':'listed','nodes':{"
                + "'listed':{'type':'caller','list':'vip','match':'sales','noMatch':'area'},"
                + "'area':{'type':'caller','areas':['010','139'],'match':'support','noMatch':'other'},"
                + "'sales':{'type':'transfer','target':'queue','value':'sales'},"
                + "'support':{'type':'transfer','target':'queue','value':'support'},"
                + "'other':{'type':'collect','variable':'x','maxDigits':1,'timeoutSeconds':30,'next':'bye'},'bye':{'type':'hangup'}}}");
        SipPeers peers = peers();
        // Written as the caller's phone sends them: 0086 before a listed mobile number, a Shenzhen fixed line under the
        // list's +86755 prefix, a Beijing fixed line, a 139 mobile number, and one in no area and on no list.
        List<String> callers = List.of("008613500000301", "075512345678", "01088886666", "13900000302", "13600000303");
        List<Sipp.Run> runs = new ArrayList<>();
        for (String c : callers) runs.add(peers.uac("uac_call", number, SipPeers.vars(c, "PAUSE", "8000"), "-timeout", "60"));
        assertThat(queueOf("008613500000301")).isEqualTo("sales");
        assertThat(queueOf("075512345678")).isEqualTo("sales");
        assertThat(queueOf("01088886666")).isEqualTo("support");
        assertThat(queueOf("13900000302")).isEqualTo("support");
        runs.forEach(SipPeers::ok);
        assertThat(steps("13600000303")).containsSubsequence("node:listed", "key:noMatch", "node:area", "key:noMatch", "node:other");
        assertThat(steps("01088886666")).containsSubsequence("node:listed", "key:noMatch", "node:area", "key:match", "node:support");
        assertThat(steps("075512345678")).containsSubsequence("node:listed", "key:match", "node:sales").doesNotContain("node:area");
    }

    @Test
    void aCallerPrioritisedByTheFlowIsOfferedBeforeOneWhoWaitedLonger() throws Exception {
        String number = publish("vip_menu", "{'start':'menu','nodes':{"
                + "'menu':{'type':'menu','prompts':[{'prompt':'WELCOME'}],'options':{'1':'gold','2':'queue'},'timeoutSeconds':5,'fail':'queue'},"
                + "'gold':{'type':'set','variable':'tier','value':'30','next':'prio'},"
                + "'prio':{'type':'priority','value':'${tier}','next':'queue'},"
                + "'queue':{'type':'transfer','target':'queue','value':'sales'}}}");
        ApiClient agent1 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        SipPeers peers = peers();
        int port = Ports.free();
        Sipp.Run phone = peers.phone(port);
        try {
            peers.register("1001", PW, port, "200");
            assertThat(agent1.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            assertThat(agent1.get("/api/v1/agent/state").json().get("state").asText()).as("signed in, not ready").isEqualTo("not_ready");
            String plain = "13500000311", vip = "13500000312";
            Sipp.Run first = peers.uac("uac_digits", number, SipPeers.vars(plain, "PAUSE", "1500", "AFTER", "25000",
                    "DTMFACTIONS", SipPeers.dtmf("2")));
            await().atMost(Duration.ofSeconds(15)).until(() -> acd.waiting(enterprise).stream().anyMatch(w -> w.caller().equals(plain)));
            Sipp.Run second = peers.uac("uac_digits", number, SipPeers.vars(vip, "PAUSE", "1500", "AFTER", "10000",
                    "DTMFACTIONS", SipPeers.dtmf("1")));
            List<Acd.WaitingView> both = await().atMost(Duration.ofSeconds(15)).until(() -> acd.waiting(enterprise),
                    w -> w.stream().anyMatch(x -> x.caller().equals(vip)) && w.stream().anyMatch(x -> x.caller().equals(plain)));
            assertThat(both).filteredOn(x -> x.caller().equals(vip)).extracting(Acd.WaitingView::priority).containsExactly(30);
            assertThat(both).filteredOn(x -> x.caller().equals(plain)).extracting(Acd.WaitingView::priority).containsExactly(0);
            assertThat(both).filteredOn(x -> x.caller().equals(vip)).extracting(Acd.WaitingView::queue).containsExactly("sales");
            assertThat(agent1.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
            SipPeers.ok(second);
            SipPeers.ok(first);
            JsonNode vipCall = record(vip);
            assertThat(vipCall.get("agentJob").asText()).as(vipCall.toString()).isEqualTo("8001");
            Instant vipOffered = firstOffer(vipCall).orElseThrow();
            Instant plainOffered = firstOffer(record(plain)).orElse(Instant.MAX);
            assertThat(vipOffered).as("the caller the flow prioritised, who rang later, is offered first").isBefore(plainOffered);
        } finally {
            agent1.delete("/api/v1/agent/session");
            phone.kill();
        }
    }

    JsonNode record(String caller) {
        return await("record of " + caller).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (JsonNode r : admin.get("/api/v1/calls?limit=10&number=" + caller).json().get("items")) return Optional.of(r);
            return Optional.<JsonNode>empty();
        }, Optional::isPresent).get();
    }

    Optional<Instant> firstOffer(JsonNode record) {
        for (JsonNode e : admin.get("/api/v1/calls/" + record.get("callId").asText() + "/events").json()) {
            if (e.get("type").asText().equals("queue_offer")) return Optional.of(Instant.parse(e.get("at").asText()));
        }
        return Optional.empty();
    }

    /** The logged IVR steps of the caller's call: "node:<id>" and "key:<key>". */
    List<String> steps(String caller) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : admin.get("/api/v1/calls/" + record(caller).get("callId").asText() + "/events").json()) {
            String data = e.path("data").asText();
            if (e.get("type").asText().equals("ivr_node")) out.add("node:" + data.replaceAll(".*node=(\\S+).*", "$1"));
            if (e.get("type").asText().equals("ivr_key")) out.add("key:" + data.replaceAll(".*key=(\\S+).*", "$1"));
        }
        return out;
    }
}
