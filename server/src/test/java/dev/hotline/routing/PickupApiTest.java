package dev.hotline.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.CtiClient;
import dev.hotline.testing.SipPeers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * PBX-4 pickup of a ringing (not parked) call through the call-control API ({@code POST /live-calls/pickup}): directed and
 * group, to the picking user's phone; a queue call picked up this way still gets the queue's job-number announcement and
 * survey; an AGENT-5 transfer ringing a colleague is picked up by another ready agent from their phone ({@code **<ext>}).
 * SIPp phones; one server for the class; the other enterprise is made last (a second enterprise changes how the test's
 * phones register).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PickupApiTest extends ServerCallTest {
    @Override
    String defaultCaller() {
        return "13900000000";
    }

    @AfterEach
    void cleanUp() {
        server.hotline().engine().channels().forEach(ch -> ch.hangup(HangupCause.NORMAL_CLEARING));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.hotline().engine().channels().isEmpty());
        for (String a : List.of("agent1", "agent2", "agent3")) ApiClient.loggedIn(server.baseUrl(), "demo", a, PW).delete("/api/v1/agent/session");
    }

    long ext(String number) {
        var r = admin.post("/api/v1/extensions", Map.of("number", number, "sipPassword", PW));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    long extensionId(String number) {
        for (JsonNode x : admin.get("/api/v1/extensions").json()) if (x.get("number").asText().equals(number)) return x.get("id").asLong();
        throw new AssertionError("no extension " + number);
    }

    void pickupGroup(String extension, String group) {
        var r = admin.put("/api/v1/extensions/" + extensionId(extension) + "/features", group == null ? Map.of() : Map.of("pickupGroup", group));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    JsonNode record(String caller) {
        return await("call record of " + caller).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> admin.get("/api/v1/calls?number=" + caller).json().get("items"), items -> items.size() >= 1).get(0);
    }

    JsonNode events(JsonNode record) {
        return admin.get("/api/v1/calls/" + record.get("callId").asText() + "/events").json();
    }

    List<String> eventLines(JsonNode record) {
        List<String> out = new ArrayList<>();
        events(record).forEach(e -> out.add(e.get("type").asText() + " " + e.path("data").asText()));
        return out;
    }

    boolean ringing(String extension) {
        return server.hotline().engine().channels().stream()
                .anyMatch(c -> extension.equals(c.callee().user()) && c.state() == ChannelState.RINGING);
    }

    String agentState(ApiClient agent) {
        return agent.get("/api/v1/agent/state").json().get("state").asText();
    }

    ApiClient agent(int n) {
        return ApiClient.loggedIn(server.baseUrl(), "demo", "agent" + n, PW);
    }

    static void assertField(ApiClient.Response r, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("fieldErrors").findValuesAsText("field")).as(r.toString()).contains(field);
    }

    @Test
    @Order(1)
    void directedAndGroupPickupThroughTheApiRingTheUsersPhone() throws Exception {
        ext("2301");
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4901", "destinationType", "extension", "destination", "2301")).status())
                .isEqualTo(201);
        int p2301 = Ports.free();
        int p1002 = Ports.free();
        register("2301", PW, p2301, "200");
        register("1002", PW, p1002, "200");
        ApiClient agent2 = agent(2); // extension 1002, not signed in as an agent: their extension's phone is rung

        assertField(agent2.post("/api/v1/live-calls/pickup", Map.of()), "extension");
        assertField(agent2.post("/api/v1/live-calls/pickup", Map.of("extension", "12x")), "extension");
        assertField(agent2.post("/api/v1/live-calls/pickup", Map.of("extension", "2301", "group", true)), "group");
        assertThat(agent2.post("/api/v1/live-calls/pickup", Map.of("extension", "9999")).status()).as("no such extension").isEqualTo(404);
        var idle = agent2.post("/api/v1/live-calls/pickup", Map.of("extension", "2301"));
        assertThat(idle.status()).as(idle.toString()).isEqualTo(409);
        assertThat(idle.body()).contains("nothing ringing at 2301");
        assertThat(agent2.post("/api/v1/live-calls/pickup", Map.of("group", true)).body()).as("1002 is in no group yet")
                .contains("no pickup group");

        // Directed: 2301 rings; agent 2 asks for it; 1002's phone rings, answers, talks to the caller and hangs up.
        Sipp.Run rings = uas("uas_ring_cancel", p2301, vars());
        Sipp.Run caller = uac("uac_wait_bye", "4901", vars("FROM", "13900000301"));
        await("2301 rings").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> ringing("2301"));
        Sipp.Run phone = uas("uas_bye", p1002, vars("PAUSE", "1500"));
        var picked = agent2.post("/api/v1/live-calls/pickup", Map.of("extension", "2301"));
        assertThat(picked.status()).as(picked.toString()).isEqualTo(201);
        String leg = picked.json().get("legId").asText();
        ok(phone);
        ok(rings); // 2301 stopped ringing (CANCEL)
        ok(caller); // the caller was connected to 1002, whose BYE ended the call
        JsonNode r = record("13900000301");
        assertThat(r.get("outcome").asText()).isEqualTo("answered");
        assertThat(eventLines(r)).contains("pbx feature=pickup detail=2301>1002");
        JsonNode pickerEvents = admin.get("/api/v1/calls/" + leg + "/events").json();
        assertThat(pickerEvents.findValuesAsText("data")).anyMatch(d -> d.startsWith("feature=pickup-request detail=2301 by=api"))
                .anyMatch(d -> d.startsWith("feature=pickup detail=2301>1002 call="));

        // Group: 2301 and 1002 share group "api"; agent 2 takes what rings in it.
        pickupGroup("2301", "api");
        pickupGroup("1002", "api");
        try {
            rings = uas("uas_ring_cancel", p2301, vars());
            caller = uac("uac_wait_bye", "4901", vars("FROM", "13900000302"));
            await("2301 rings").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> ringing("2301"));
            phone = uas("uas_bye", p1002, vars("PAUSE", "1500"));
            picked = agent2.post("/api/v1/live-calls/pickup", Map.of("group", true));
            assertThat(picked.status()).as(picked.toString()).isEqualTo(201);
            ok(phone);
            ok(rings);
            ok(caller);
            assertThat(eventLines(record("13900000302"))).contains("pbx feature=pickup detail=2301>1002");
        } finally {
            pickupGroup("2301", null);
            pickupGroup("1002", null);
        }
    }

    @Test
    @Order(2)
    void aQueueCallPickedUpByTheApiGetsTheJobNumberAnnouncementAndTheSurvey() throws Exception {
        long sales = 0;
        for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("sales")) sales = q.get("id").asLong();
        var q = admin.put("/api/v1/queues/" + sales, Map.of("name", "sales", "strategy", "linear", "settings", Map.of("ringTimeoutSeconds", 30,
                "agentAnnounce", true, "survey", Map.of("enabled", true, "language", "zh"))));
        assertThat(q.status()).as(q.toString()).isEqualTo(200);
        server.hotline().acd().settle();
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4902", "destinationType", "queue", "destination", "sales")).status())
                .isEqualTo(201);
        int p1001 = Ports.free();
        int p1002 = Ports.free();
        register("1001", PW, p1001, "200");
        register("1002", PW, p1002, "200");
        ApiClient agent1 = agent(1);
        ApiClient agent2 = agent(2);
        assertThat(agent1.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
        assertThat(agent1.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
        Sipp.Run rings = uas("uas_ring_cancel", p1001, vars());
        // The caller stays on after the picker hangs up and keys 1 (very satisfied) into the survey.
        Sipp.Run caller = uac("uac_survey", "4902", vars("FROM", "13900000303", "PAUSE", "9000", "DTMFACTIONS", SipPeers.dtmf("1")));
        await("1001 rings with the offer").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> ringing("1001") && agentState(agent1).equals("ringing"));
        assertThat(agent2.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
        assertThat(agent2.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
        Sipp.Run phone = uas("uas_bye", p1002, vars("PAUSE", "4500"));
        String leg;
        try (CtiClient desk2 = CtiClient.connect(agent2, server.baseUrl())) {
            desk2.next("hello");
            var picked = agent2.post("/api/v1/live-calls/pickup", Map.of("extension", "1001"));
            assertThat(picked.status()).as(picked.toString()).isEqualTo(201);
            leg = picked.json().get("legId").asText();
            await("agent 2 on the call").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> agentState(agent2).equals("on_call"));
            // PBX-4: once the call is taken, agent 2's desk shows the caller's call on the pickup leg, as the offer would have.
            JsonNode taken = desk2.next(m -> m.path("type").asText().equals("call.offered") && m.at("/call/caller").asText().equals("13900000303"),
                    "the picked call on agent 2's desk").get("call");
            assertThat(taken.get("legId").asText()).isEqualTo(leg);
            assertThat(taken.get("queue").asText()).isEqualTo("sales");
            assertThat(taken.get("internal").asBoolean()).isFalse();
            assertThat(taken.has("customer")).isTrue();
        }
        assertThat(agentState(agent1)).as("the offered agent is free again").isEqualTo("ready");
        ok(rings);
        ok(phone);
        ok(caller);
        JsonNode r = record("13900000303");
        assertThat(r.get("queueResult").asText()).isEqualTo("answered");
        assertThat(r.get("agentJob").asText()).as("answered by agent 2").isEqualTo("8002");
        List<String> lines = eventLines(r);
        assertThat(lines).contains("pbx feature=pickup detail=1001>1002 acd");
        assertThat(lines).anyMatch(e -> e.startsWith("queue_offer_end") && e.contains("picked_up"));
        assertThat(admin.get("/api/v1/calls/" + leg + "/events").json().findValuesAsText("data"))
                .anyMatch(d -> d.startsWith("feature=pickup detail=1001>1002 call=" + r.get("callId").asText()));
        // ACD-7: "工号 8002 为您服务" plays between the pickup (made when 1002 answered) and the connection.
        Instant connected = Instant.parse(findEvent(r, "queue_connect").get("at").asText());
        Instant offerEnded = Instant.parse(findEvent(r, "queue_offer_end").get("at").asText());
        assertThat(Duration.between(offerEnded, connected)).as("the announcement played before the connection").isGreaterThan(Duration.ofMillis(1500));
        // MSG-4: the caller was surveyed after agent 2 hung up; the result is agent 2's.
        String callId = r.get("callId").asText();
        JsonNode surveys = await("agent 2's survey result").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> agent2.get("/api/v1/agent/surveys?calls=" + callId).json(), s -> s.size() == 1);
        assertThat(surveys.get(0).get("score").asInt()).isEqualTo(1);
    }

    JsonNode findEvent(JsonNode record, String type) {
        for (JsonNode e : events(record)) if (e.get("type").asText().equals(type)) return e;
        throw new AssertionError("no " + type + " in " + eventLines(record));
    }

    @Test
    @Order(3)
    void aTransferRingingAColleagueIsPickedUpByAnotherReadyAgentFromTheirPhone() throws Exception {
        long sales = 0;
        for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("sales")) sales = q.get("id").asLong();
        assertThat(admin.put("/api/v1/queues/" + sales, Map.of("name", "sales", "strategy", "linear", "settings", Map.of("ringTimeoutSeconds", 30)))
                .status()).isEqualTo(200);
        server.hotline().acd().settle();
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4903", "destinationType", "queue", "destination", "sales")).status())
                .isEqualTo(201);
        // The caller called once before (nobody there, hung up): a known customer with a past call.
        ok(uac("uac_call", "4903", vars("FROM", "13900000304", "PAUSE", "500")));
        String earlier = record("13900000304").get("callId").asText();
        int p1001 = Ports.free();
        int p1002 = Ports.free();
        int p1003 = Ports.free();
        register("1001", PW, p1001, "200");
        register("1002", PW, p1002, "200");
        register("1003", PW, p1003, "200");
        ApiClient agent1 = agent(1);
        ApiClient agent2 = agent(2);
        ApiClient agent3 = agent(3);
        assertThat(agent1.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
        assertThat(agent1.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
        Sipp.Run phone1 = uas("uas_answer", p1001, vars());
        Sipp.Run caller = uac("uac_wait_bye", "4903", vars("FROM", "13900000304"));
        JsonNode live = await("agent 1 talks to the caller").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> agent1.get("/api/v1/live-calls").json(), l -> l.size() == 1 && l.at("/0/call/state").asText().equals("talking"));
        String leg1 = live.at("/0/call/legId").asText();
        try (CtiClient desk1 = CtiClient.connect(agent1, server.baseUrl())) {
            desk1.next("hello");
            assertThat(desk1.command("notes", Map.of("legId", leg1, "notes", "VIP, wants a refund")).get("type").asText()).isEqualTo("ok");
        }

        // AGENT-5: agent 1 transfers the caller to agent 2 (job number 8002); agent 2's phone rings with the transfer.
        assertThat(agent2.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
        assertThat(agent2.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
        Sipp.Run rings2 = uas("uas_ring_cancel", p1002, vars());
        var t = agent1.post("/api/v1/live-calls/" + leg1 + "/transfer", Map.of("to", "8002"));
        assertThat(t.status()).as(t.toString()).isEqualTo(200);
        await("1002 rings with the transfer").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> ringing("1002") && agentState(agent2).equals("ringing"));
        ok(phone1);

        // Agent 3, ready, keys **1002 on their phone: the transfer is theirs, agent 2 is free again.
        assertThat(agent3.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
        assertThat(agent3.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
        try (CtiClient desk3 = CtiClient.connect(agent3, server.baseUrl())) {
            desk3.next("hello");
            Sipp.Run picker = uac("uac_call", "**1002", vars("FROM", "1003", "PAUSE", "2500"), "-au", "1003", "-ap", PW);
            await("agent 3 on the call").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> agentState(agent3).equals("on_call"));
            assertThat(agentState(agent2)).isEqualTo("ready");
            // PBX-4: agent 3's desk gets what agent 2's had: the caller with their history, agent 1's transfer and notes.
            JsonNode taken = desk3.next("call.offered").get("call");
            assertThat(taken.get("caller").asText()).isEqualTo("13900000304");
            assertThat(taken.at("/customer/known").asBoolean()).as("%s", taken).isTrue();
            assertThat(taken.at("/customer/lastCalls").findValuesAsText("callId")).contains(earlier);
            assertThat(taken.at("/transfer/fromJob").asText()).isEqualTo("8001");
            assertThat(taken.at("/transfer/notes").asText()).isEqualTo("VIP, wants a refund");
            assertThat(taken.get("notes").asText()).isEqualTo("VIP, wants a refund");
            JsonNode talking = desk3.next("call.answered").get("call");
            assertThat(talking.get("legId").asText()).isEqualTo(taken.get("legId").asText());
            ok(rings2);
            ok(picker);
            ok(caller);
            desk3.next("call.ended");
        }
        JsonNode r = await("the picked call's record").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> admin.get("/api/v1/calls?number=13900000304").json().get("items"), items -> items.size() >= 2).get(0);
        List<String> lines = eventLines(r);
        assertThat(lines).contains("pbx feature=pickup detail=1002>1003 acd");
        assertThat(lines).anyMatch(e -> e.startsWith("queue_offer_end") && e.contains("picked_up"));
        assertThat(lines).anyMatch(e -> e.startsWith("transfer") && e.contains("kind=agent") && e.contains("8003"));
    }

    /** OUT-1: an answered progressive campaign number ringing agent 1 is picked up through the API by agent 2 (ready, not the campaign's). */
    @Test
    @Order(4)
    void aCampaignCallRingingAnAgentIsPickedUpByAnotherReadyAgentThroughTheApi() throws Exception {
        int carrier = Ports.free();
        var t = admin.post("/api/v1/trunks", Map.of("name", "pickup-carrier", "host", "127.0.0.1", "port", carrier, "allowedIps", List.of()));
        assertThat(t.status()).as(t.toString()).isEqualTo(201);
        ApiClient agent1 = agent(1);
        ApiClient agent2 = agent(2);
        long agent1Id = agent1.get("/api/v1/me").json().get("id").asLong();
        var made = admin.post("/api/v1/campaigns", Map.of("name", "pickup-campaign", "mode", "progressive", "settings", Map.of(
                "trunkId", t.json().get("id").asLong(), "callerIds", List.of("02188886666"), "agentIds", List.of(agent1Id), "ringSeconds", 20,
                "maxAttempts", 1)));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        long id = made.json().get("id").asLong();
        var list = admin.upload("POST", "/api/v1/campaigns/" + id + "/contacts", "list.csv",
                "number,name\n13900000306,Campaign Customer\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(list.status()).as(list.toString()).isEqualTo(201);
        int p1001 = Ports.free();
        int p1002 = Ports.free();
        register("1001", PW, p1001, "200");
        register("1002", PW, p1002, "200");
        Sipp.Run customer = uas("uas_answer", carrier, vars());
        Sipp.Run rings = uas("uas_ring_cancel", p1001, vars());
        assertThat(agent1.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
        assertThat(agent1.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
        assertThat(agent2.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
        assertThat(agent2.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/campaigns/" + id + "/state", Map.of("state", "running")).status()).isEqualTo(200);
        try {
            await("the answered number rings agent 1").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> ringing("1001") && agentState(agent1).equals("ringing"));
            Sipp.Run phone = uas("uas_bye", p1002, vars("PAUSE", "1500"));
            var picked = agent2.post("/api/v1/live-calls/pickup", Map.of("extension", "1001"));
            assertThat(picked.status()).as(picked.toString()).isEqualTo(201);
            await("agent 2 on the call").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> agentState(agent2).equals("on_call"));
            ok(rings);
            ok(phone);
            ok(customer); // agent 2 hung up: the customer got the BYE
            assertThat(agentState(agent1)).isIn("ready", "wrap_up");
            JsonNode r = record("13900000306");
            assertThat(r.get("agentJob").asText()).as("the campaign call's agent is agent 2").isEqualTo("8002");
            List<String> lines = eventLines(r);
            assertThat(lines).contains("pbx feature=pickup detail=1001>1002 acd");
            assertThat(lines).anyMatch(e -> e.startsWith("queue_offer_end") && e.contains("picked_up"));
        } finally {
            admin.post("/api/v1/campaigns/" + id + "/state", Map.of("state", "stopped"));
        }
    }

    /**
     * ACD-6: a call back (the caller keyed * in the queue) offered to agent 1's phone is picked up by agent 2, ready, with
     * **1001 from their phone: the customer is dialled from agent 2's leg, agent 2's desk gets the call back's customer.
     */
    @Test
    @Order(5)
    void aCallBackRingingAnAgentIsPickedUpByAnotherReadyAgentFromTheirPhone() throws Exception {
        long sales = 0;
        for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("sales")) sales = q.get("id").asLong();
        assertThat(admin.put("/api/v1/queues/" + sales, Map.of("name", "sales", "strategy", "linear", "settings",
                Map.of("ringTimeoutSeconds", 30, "callbackKey", "*"))).status()).isEqualTo(200);
        server.hotline().acd().settle();
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4905", "destinationType", "queue", "destination", "sales")).status())
                .isEqualTo(201);
        int carrier = Ports.free();
        long trunk = admin.post("/api/v1/trunks", Map.of("name", "pickup-cb-carrier", "host", "127.0.0.1", "port", carrier, "allowedIps",
                List.of())).json().get("id").asLong();
        assertThat(admin.post("/api/v1/outbound-routes", Map.of("name", "pickup-cb", "prefix", "139", "trunkId", trunk, "priority", 1)).status())
                .isEqualTo(201);
        long demo = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
        // Nobody is ready: the caller keys * after 1.5 s, hears the confirmation and hangs up; the call back keeps the place.
        ok(uac("uac_digits", "4905", vars("FROM", "13900000307", "PAUSE", "1500", "AFTER", "1500", "DTMFACTIONS", SipPeers.dtmf("*"))));
        await("the call back waits").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> server.hotline().acd().waiting(demo).stream().anyMatch(w -> w.callback()));
        int p1001 = Ports.free();
        int p1002 = Ports.free();
        register("1001", PW, p1001, "200");
        register("1002", PW, p1002, "200");
        ApiClient agent1 = agent(1);
        ApiClient agent2 = agent(2);
        Sipp.Run rings = uas("uas_ring_cancel", p1001, vars());
        Sipp.Run customer = uas("uas_answer", carrier, vars());
        assertThat(agent2.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
        assertThat(agent1.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
        assertThat(agent1.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
        await("the call back rings agent 1").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> ringing("1001") && agentState(agent1).equals("ringing"));
        assertThat(agent2.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
        try (CtiClient desk2 = CtiClient.connect(agent2, server.baseUrl())) {
            desk2.next("hello");
            Sipp.Run picker = uac("uac_call", "**1001", vars("FROM", "1002", "PAUSE", "3000"), "-au", "1002", "-ap", PW);
            await("agent 2 on the call back").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> agentState(agent2).equals("on_call"));
            assertThat(agentState(agent1)).isEqualTo("ready");
            JsonNode taken = desk2.next("call.offered").get("call");
            assertThat(taken.get("caller").asText()).as("the call back's customer").isEqualTo("13900000307");
            ok(rings);
            ok(picker); // agent 2 talked to the customer and hung up
            ok(customer); // the customer was dialled from agent 2's leg and got the BYE
        }
        // The call back goes on in the picker's call (1002 dialled **1001): its agent is agent 2, the customer's leg is in it.
        JsonNode back = await("the picker's call record").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (JsonNode r : admin.get("/api/v1/calls?limit=100").json().get("items")) {
                if (r.get("caller").asText().equals("1002") && r.get("callee").asText().equals("**1001")) return java.util.Optional.of(r);
            }
            return java.util.Optional.<JsonNode>empty();
        }, java.util.Optional::isPresent).get();
        assertThat(back.get("agentJob").asText()).as("the call back is agent 2's").isEqualTo("8002");
        List<String> lines = eventLines(back);
        assertThat(lines).as("%s", lines).anyMatch(e -> e.startsWith("pbx") && e.contains("feature=pickup detail=1001>1002")
                && e.contains("acd")).anyMatch(e -> e.startsWith("queue_connect") && e.contains("queue=sales"))
                .anyMatch(e -> e.startsWith("dialing") && e.contains("pickup-cb-carrier"));
    }

    @Test
    @Order(6)
    void anotherEnterpriseCannotPickUpAndAUserWithoutTheDeskIsRefused() throws Exception {
        ext("2302");
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4904", "destinationType", "extension", "destination", "2302")).status())
                .isEqualTo(201);
        int p2302 = Ports.free();
        register("2302", PW, p2302, "200");
        long role = admin.post("/api/v1/roles", Map.of("name", "pickup-readers", "permissions", List.of("user.read"))).json().get("id").asLong();
        assertThat(admin.post("/api/v1/users", Map.of("username", "pkreader", "password", "reader-pass-1", "roleId", role)).status()).isEqualTo(201);
        Sipp.Run rings = uas("uas_ring_cancel", p2302, vars());
        Sipp.Run caller = uac("uac_wait_bye", "4904", vars("FROM", "13900000305"));
        await("2302 rings").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> ringing("2302"));
        assertThat(ApiClient.loggedIn(server.baseUrl(), "demo", "pkreader", "reader-pass-1")
                .post("/api/v1/live-calls/pickup", Map.of("extension", "2302")).status()).as("no agent.desk").isEqualTo(403);
        ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", PW);
        assertThat(operator.post("/api/v1/enterprises", Map.of("code", "pkapi", "name", "Pickup API", "adminUsername", "boss",
                "adminPassword", "pkapi-pass-1")).status()).isEqualTo(201);
        ApiClient other = ApiClient.loggedIn(server.baseUrl(), "pkapi", "boss", "pkapi-pass-1");
        var r = other.post("/api/v1/live-calls/pickup", Map.of("extension", "2302"));
        assertThat(r.status()).as("another enterprise's extension is none of theirs: " + r).isEqualTo(404);
        assertThat(ringing("2302")).as("demo's call still rings").isTrue();
        server.hotline().engine().channels().forEach(ch -> ch.hangup(HangupCause.NORMAL_CLEARING));
        rings.kill();
        caller.kill();
    }
}
