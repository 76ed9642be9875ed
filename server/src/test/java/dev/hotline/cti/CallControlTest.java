package dev.hotline.cti;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * API-1 call control over HTTP with an API token, end to end with SIPp: click-to-call rings the agent's SIP phone then
 * the number, hold / resume, hang up; a queue call blind-transferred to an outside number; another user's or another
 * enterprise's call is 404, a user without agent.desk 403, bad input 400 naming the field.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallControlTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    TestServer server;
    ApiClient admin;
    int carrierPort;
    final List<Sipp.Run> phones = new ArrayList<>();
    @TempDir
    Path work;

    @BeforeAll
    void start() {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4697", "destinationType", "queue", "destination", "sales")).status())
                .isEqualTo(201);
        // Outside numbers 1377... go to a carrier of the test's own (a SIPp callee on carrierPort).
        carrierPort = Ports.free();
        long trunk = admin.post("/api/v1/trunks", Map.of("name", "api-carrier", "host", "127.0.0.1", "port", carrierPort, "allowedIps", List.of()))
                .json().get("id").asLong();
        assertThat(admin.post("/api/v1/outbound-routes", Map.of("name", "api-out", "prefix", "1377", "trunkId", trunk, "priority", 1)).status())
                .isEqualTo(201);
        long sales = 0;
        for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("sales")) sales = q.get("id").asLong();
        var r = admin.put("/api/v1/queues/" + sales, Map.of("name", "sales", "strategy", "linear", "settings", Map.of("ringTimeoutSeconds", 10)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        server.hotline().acd().settle();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @AfterEach
    void cleanUp() {
        server.hotline().engine().channels().forEach(ch -> ch.hangup(HangupCause.NORMAL_CLEARING));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.hotline().engine().channels().isEmpty());
        for (int n = 1; n <= 2; n++) ApiClient.loggedIn(server.baseUrl(), "demo", "agent" + n, PW).delete("/api/v1/agent/session");
        phones.forEach(Sipp.Run::kill);
        phones.clear();
    }

    SipPeers peers() {
        return new SipPeers(work, server.hotline().engine().sipPort());
    }

    /** Agent 1's SIP phone (answers every call) registered, agent 1 logged in on it, and an API token of theirs. */
    ApiClient agentOneByToken() throws Exception {
        return agentByToken(1);
    }

    /** Agent n's SIP phone (answers every call) registered, agent n logged in on it (not ready), and an API token of theirs. */
    ApiClient agentByToken(int n) throws Exception {
        int port = Ports.free();
        Map<String, String> vars = SipPeers.vars("x");
        vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
        Sipp.Run phone = Sipp.start(work, "uas_answer", vars, null, port,
                List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)), "-m", "100", "-timeout", "120"));
        Sipp.awaitUdpBound(port);
        phones.add(phone);
        peers().register("100" + n, PW, port, "200");
        ApiClient session = ApiClient.loggedIn(server.baseUrl(), "demo", "agent" + n, PW);
        var token = session.post("/api/v1/tokens", Map.of("name", "crm-" + System.nanoTime()));
        assertThat(token.status()).as(token.toString()).isEqualTo(201);
        ApiClient api = new ApiClient(server.baseUrl()).withBearer(token.json().get("token").asText());
        var login = api.post("/api/v1/agent/session", Map.of("device", "sip"));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        return api;
    }

    JsonNode liveCall(ApiClient api, String leg, String state) {
        return await(leg + " " + state).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (JsonNode c : api.get("/api/v1/live-calls").json()) if (c.at("/call/legId").asText().equals(leg)) return c;
            return null;
        }, c -> c != null && c.at("/call/state").asText().equals(state));
    }

    static void assertField(ApiClient.Response r, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("fieldErrors").findValuesAsText("field")).as(r.toString()).contains(field);
    }

    @Test
    void clickToCallRingsTheAgentsPhoneThenTheNumberAndIsHeldResumedAndHungUpByTheApi() throws Exception {
        ApiClient api = agentOneByToken();
        Sipp.Run carrier = peers().uas("uas_answer", carrierPort, SipPeers.vars("x"));
        assertField(api.post("/api/v1/live-calls", Map.of("number", "not a number")), "number");
        var dialled = api.post("/api/v1/live-calls", Map.of("number", "13770000031"));
        assertThat(dialled.status()).as(dialled.toString()).isEqualTo(201);
        String leg = dialled.json().get("legId").asText();

        JsonNode call = liveCall(api, leg, "talking").get("call");
        assertThat(call.get("direction").asText()).isEqualTo("outbound");
        assertThat(call.get("caller").asText()).isEqualTo("13770000031");
        await("the carrier is called").atMost(Duration.ofSeconds(10)).until(() -> carrier.logs().contains("INVITE sip:13770000031@"));
        assertThat(api.get("/api/v1/live-calls/" + leg).json().at("/call/legId").asText()).isEqualTo(leg);

        // Held once the number answered and was connected to the agent (a conflict "no one to hold" before).
        await("held").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.post("/api/v1/live-calls/" + leg + "/hold", null).status() == 200);
        assertThat(api.get("/api/v1/live-calls/" + leg).json().at("/call/state").asText()).isEqualTo("held");
        assertThat(api.post("/api/v1/live-calls/" + leg + "/resume", null).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/live-calls/" + leg).json().at("/call/state").asText()).isEqualTo("talking");

        // The same rules as the desk: another agent, another enterprise's admin: 404; no agent.desk: 403.
        ApiClient agent2 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", PW);
        ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", PW);
        assertThat(operator.post("/api/v1/enterprises", Map.of("code", "ccapi", "name", "CC API", "adminUsername", "boss",
                "adminPassword", "ccapi-pass-1")).status()).isEqualTo(201);
        ApiClient other = ApiClient.loggedIn(server.baseUrl(), "ccapi", "boss", "ccapi-pass-1");
        for (ApiClient stranger : List.of(agent2, other)) {
            assertThat(stranger.get("/api/v1/live-calls/" + leg).status()).isEqualTo(404);
            assertThat(stranger.post("/api/v1/live-calls/" + leg + "/hold", null).status()).isEqualTo(404);
            assertThat(stranger.post("/api/v1/live-calls/" + leg + "/transfer", Map.of("to", "13770000099")).status()).isEqualTo(404);
            assertThat(stranger.delete("/api/v1/live-calls/" + leg).status()).isEqualTo(404);
            assertThat(stranger.get("/api/v1/live-calls").json().findValuesAsText("legId")).doesNotContain(leg);
        }
        assertThat(other.get("/api/v1/live-calls?scope=enterprise").json()).isEmpty();
        assertThat(agent2.get("/api/v1/live-calls?scope=enterprise").status()).as("an agent has no monitor.read").isEqualTo(403);
        assertThat(admin.get("/api/v1/live-calls?scope=enterprise").json().findValuesAsText("legId")).contains(leg);
        long role = admin.post("/api/v1/roles", Map.of("name", "cc-readers", "permissions", List.of("user.read"))).json().get("id").asLong();
        assertThat(admin.post("/api/v1/users", Map.of("username", "ccreader", "password", "reader-pass-1", "roleId", role)).status()).isEqualTo(201);
        assertThat(ApiClient.loggedIn(server.baseUrl(), "demo", "ccreader", "reader-pass-1").get("/api/v1/live-calls").status()).isEqualTo(403);
        assertThat(other.get("/api/v1/calls?number=13770000031").json().get("items")).isEmpty();

        var hung = api.delete("/api/v1/live-calls/" + leg);
        assertThat(hung.status()).as(hung.toString()).isEqualTo(200);
        SipPeers.ok(carrier); // the carrier got the BYE
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/live-calls").json().isEmpty());
        assertThat(api.get("/api/v1/live-calls/" + leg).status()).isEqualTo(404);
        assertThat(timeline("13770000031")).contains("\"type\":\"hold\"", "\"type\":\"unhold\"");
    }

    @Test
    void callingBackFromATicketDialsTheCustomerFromTheAgentsPhoneAndTheCallsOutcomeLandsOnTheTicket() throws Exception {
        // BIZ-1: close the loop. The ticket's caller number is dialled from agent 1's phone; when the call ends the server writes
        // its outcome on the timeline, linked to the call (answered with the customer's talk seconds; busy); the agent's note is optional.
        ApiClient api = agentOneByToken();
        Sipp.Run carrier = peers().uas("uas_bye", carrierPort, SipPeers.vars("x", "PAUSE", "2500"));
        long id = admin.post("/api/v1/tickets", Map.of("type", "consultation", "title", "Call me back", "callerNumber", "13770000041",
                "form", Map.of("topic", "refund"))).json().get("id").asLong();
        long bare = admin.post("/api/v1/tickets", Map.of("type", "consultation", "title", "No number", "form", Map.of("topic", "x"))).json().get("id").asLong();
        assertField(api.post("/api/v1/tickets/" + bare + "/call-back", null), "callerNumber");
        assertThat(ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", PW).post("/api/v1/tickets/" + id + "/call-back", null).status())
                .as("agent 2 is not logged in with a device").isEqualTo(409);
        var placed = api.post("/api/v1/tickets/" + id + "/call-back", null);
        assertThat(placed.status()).as(placed.toString()).isEqualTo(201);
        String leg = placed.json().get("legId").asText();
        String callId = placed.json().get("callId").asText();
        assertThat(callId).isNotBlank();
        assertThat(liveCall(api, leg, "talking").at("/call/callId").asText()).isEqualTo(callId);
        await("the carrier is called").atMost(Duration.ofSeconds(10)).until(() -> carrier.logs().contains("INVITE sip:13770000041@"));
        SipPeers.ok(carrier); // the customer answered, talked 2.5 s and hung up
        await("the call-back ended").atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/live-calls").json().isEmpty());
        JsonNode answered = outcome(id, callId);
        assertThat(answered.get("userId").isNull()).as("written by the server").isTrue();
        assertThat(answered.get("detail").asText()).matches("answered [1-4] s 13770000041 call " + callId);
        // The agent's word stays, as an optional note: a result or a note, not nothing; a bad result refused.
        assertField(api.post("/api/v1/tickets/" + id + "/callbacks", Map.of("result", "maybe")), "result");
        assertField(api.post("/api/v1/tickets/" + id + "/callbacks", Map.of("callId", callId)), "result");
        assertThat(api.post("/api/v1/tickets/" + id + "/callbacks", Map.of("note", "refund confirmed", "callId", callId)).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/tickets/" + id + "/callbacks", Map.of("result", "resolved", "callId", callId)).status()).isEqualTo(200);

        // Busy: the carrier refuses with 486; the outcome says so, for the second call.
        Sipp.Run busy = peers().uas("uas_reject", carrierPort, SipPeers.vars("x", "CODE", "486"));
        var again = api.post("/api/v1/tickets/" + id + "/call-back", null);
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        String busyCall = again.json().get("callId").asText();
        assertThat(busyCall).isNotEqualTo(callId);
        SipPeers.ok(busy);
        assertThat(busy.logs()).contains("INVITE sip:13770000041@");
        // The agent hangs up on the busy tone (when the server has not ended the call already).
        String busyLeg = again.json().get("legId").asText();
        if (api.get("/api/v1/live-calls/" + busyLeg).status() == 200) api.delete("/api/v1/live-calls/" + busyLeg);
        assertThat(outcome(id, busyCall).get("detail").asText()).isEqualTo("busy 13770000041 call " + busyCall);

        JsonNode timeline = admin.get("/api/v1/tickets/" + id).json().get("timeline");
        assertThat(timeline.findValuesAsText("kind")).containsSubsequence("opened", "callback_dialled", "callback_outcome", "callback", "callback",
                "callback_dialled", "callback_outcome");
        assertThat(timeline.findValuesAsText("detail")).contains("13770000041 call " + callId, "note 13770000041 call " + callId + ": refund confirmed",
                "resolved 13770000041 call " + callId);
        assertThat(timeline.findValuesAsText("kind").stream().filter("callback_outcome"::equals)).as("one outcome per call").hasSize(2);
        // Another enterprise's ticket is 404 here too: TenantIsolationTest walks this route (a second enterprise breaks this class's registrations).
    }

    /** The server's outcome entry of call {@code callId} on ticket {@code id}, once the call's record is written. */
    JsonNode outcome(long id, String callId) {
        return await("the outcome of " + callId).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (JsonNode ev : admin.get("/api/v1/tickets/" + id).json().get("timeline")) {
                if (ev.get("kind").asText().equals("callback_outcome") && callId.equals(ev.path("callId").asText(null))) return ev;
            }
            return null;
        }, ev -> ev != null);
    }

    @Test
    void aQueueCallIsBlindTransferredToAnOutsideNumberByTheApi() throws Exception {
        ApiClient api = agentOneByToken();
        assertThat(api.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
        Sipp.Run outside = peers().uas("uas_bye", carrierPort, SipPeers.vars("x", "PAUSE", "1000"));
        Sipp.Run caller = peers().uac("uac_wait_bye", "4697", SipPeers.vars("13966660041"));
        JsonNode live = await("the queue call reaches agent 1").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.get("/api/v1/live-calls").json(), l -> l.size() == 1 && l.at("/0/call/state").asText().equals("talking"));
        String leg = live.at("/0/call/legId").asText();
        assertThat(live.at("/0/call/queue").asText()).isEqualTo("sales");
        assertThat(live.at("/0/call/caller").asText()).isEqualTo("13966660041");

        assertField(api.post("/api/v1/live-calls/" + leg + "/transfer", Map.of("to", "x")), "to");
        var done = api.post("/api/v1/live-calls/" + leg + "/transfer", Map.of("to", "13770000042"));
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        SipPeers.ok(outside); // reached, answered, hung up after a second
        SipPeers.ok(caller); // the customer was connected to the outside party, who hung up
        assertThat(outside.logs()).contains("INVITE sip:13770000042@");
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/v1/live-calls").json().isEmpty());
        assertThat(timeline("13966660041")).contains("kind=blind target=13770000042");
    }

    @Test
    void aConsultationThroughTheApiIsCancelledThenCompletedAndTheCustomerEndsUpTalkingToTheSecondAgent() throws Exception {
        // API-1: the desk's consult / cancel / complete, mute, keys and answer over HTTP with API tokens, run by the CTI's own commands.
        ApiClient one = agentOneByToken();
        ApiClient two = agentByToken(2);
        assertThat(one.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
        Sipp.Run caller = peers().uac("uac_wait_bye", "4697", SipPeers.vars("13966660051"));
        JsonNode live = await("the queue call reaches agent 1").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> one.get("/api/v1/live-calls").json(), l -> l.size() == 1 && l.at("/0/call/state").asText().equals("talking"));
        String leg = live.at("/0/call/legId").asText();
        String path = "/api/v1/live-calls/" + leg;
        var customer = server.hotline().engine().channels().stream()
                .filter(ch -> ch.caller().user().equals("13966660051") && ch.direction() == dev.hotline.engine.call.Direction.INBOUND)
                .findFirst().orElseThrow();
        // The caller has ACKed and its audio flows before anything changes the call (a re-INVITE racing SIPp's ACK aborts its scenario).
        await().atMost(Duration.ofSeconds(10)).until(() -> customer.counters().packetsIn() > 0);

        // Answer is for a ringing call on the browser phone; mute and keys on the talking one; bad input named; another agent 404.
        assertThat(one.post(path + "/answer", null).status()).as("not ringing").isEqualTo(409);
        assertField(one.post(path + "/mute", Map.of()), "muted");
        assertThat(one.post(path + "/mute", Map.of("muted", true)).status()).isEqualTo(200);
        assertThat(one.get(path).json().at("/call/muted").asBoolean()).isTrue();
        assertThat(one.post(path + "/mute", Map.of("muted", false)).status()).isEqualTo(200);
        assertThat(one.get(path).json().at("/call/muted").asBoolean()).isFalse();
        assertField(one.post(path + "/dtmf", Map.of("digits", "12a")), "digits");
        assertThat(one.post(path + "/dtmf", Map.of("digits", "1#")).status()).isEqualTo(200);
        assertField(one.post(path + "/consult", Map.of("to", "nobody")), "to");
        assertThat(one.post(path + "/consult/complete", null).status()).as("no consultation yet").isEqualTo(409);
        for (String[] op : new String[][] {{"POST", "/consult"}, {"POST", "/consult/complete"}, {"POST", "/consult/conference"},
                {"DELETE", "/consult"}, {"POST", "/mute"}, {"POST", "/dtmf"}, {"POST", "/answer"}}) {
            var r = op[0].equals("DELETE") ? two.delete(path + op[1])
                    : two.post(path + op[1], Map.of("to", "8002", "muted", true, "digits", "1"));
            assertThat(r.status()).as("agent 2 on agent 1's call: " + op[0] + " " + op[1]).isEqualTo(404);
        }

        // Consult agent 2 (job number 8002), then cancel: agent 1 is back with the customer, agent 2's leg ends.
        var first = one.post(path + "/consult", Map.of("to", "8002"));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        String cancelled = first.json().get("consultLegId").asText();
        liveCall(two, cancelled, "talking");
        await("consult answered").atMost(Duration.ofSeconds(10)).until(() -> one.get(path).json().at("/call/consult/state").asText().equals("talking"));
        assertThat(one.get(path).json().at("/call/state").asText()).isEqualTo("held");
        await().atMost(Duration.ofSeconds(5)).until(customer::musicOnHold);
        assertThat(one.delete(path + "/consult").status()).isEqualTo(200);
        JsonNode back = liveCall(one, leg, "talking").get("call");
        assertThat(back.path("consult").isMissingNode() || back.path("consult").isNull()).as(back.toString()).isTrue();
        await("the consulted leg ended").atMost(Duration.ofSeconds(10))
                .until(() -> two.get("/api/v1/live-calls").json().findValuesAsText("legId"), legs -> !legs.contains(cancelled));
        await().atMost(Duration.ofSeconds(5)).until(() -> !customer.musicOnHold());

        // Consult again and complete: agent 1's leg ends, the customer talks with agent 2's leg.
        var second = one.post(path + "/consult", Map.of("to", "8002"));
        assertThat(second.status()).as(second.toString()).isEqualTo(201);
        String consulted = second.json().get("consultLegId").asText();
        liveCall(two, consulted, "talking");
        await("consult answered").atMost(Duration.ofSeconds(10)).until(() -> one.get(path).json().at("/call/consult/state").asText().equals("talking"));
        var completed = one.post(path + "/consult/complete", null);
        assertThat(completed.status()).as(completed.toString()).isEqualTo(200);
        await("agent 1's leg ended").atMost(Duration.ofSeconds(10)).until(() -> one.get("/api/v1/live-calls").json().isEmpty());
        await("the customer is bridged with agent 2").atMost(Duration.ofSeconds(5))
                .until(() -> customer.bridgedWith().map(dev.hotline.engine.call.Channel::id).orElse("").equals(consulted));
        assertThat(customer.musicOnHold()).isFalse();
        assertThat(customer.state().isFinal()).isFalse();
        assertThat(two.get("/api/v1/live-calls/" + consulted).json().at("/call/state").asText()).isEqualTo("talking");
        long audioBefore = customer.counters().packetsIn();
        await("the customer's audio still flows").atMost(Duration.ofSeconds(5)).until(() -> customer.counters().packetsIn() > audioBefore + 10);
        // Agent 2 hangs up through the API: the customer gets the BYE and its scenario ends well.
        assertThat(two.delete("/api/v1/live-calls/" + consulted).status()).isEqualTo(200);
        SipPeers.ok(caller);
        String timeline = timeline("13966660051");
        assertThat(timeline).contains("kind=consult target=8002", "kind=attended target=8002", "\"type\":\"hold\"");
    }

    @Test
    void aConsultationThroughTheApiBecomesAThreePartyCallThatOutlivesTheFirstAgent() throws Exception {
        ApiClient one = agentOneByToken();
        ApiClient two = agentByToken(2);
        assertThat(one.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
        Sipp.Run caller = peers().uac("uac_wait_bye", "4697", SipPeers.vars("13966660052"));
        JsonNode live = await("the queue call reaches agent 1").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> one.get("/api/v1/live-calls").json(), l -> l.size() == 1 && l.at("/0/call/state").asText().equals("talking"));
        String leg = live.at("/0/call/legId").asText();
        String path = "/api/v1/live-calls/" + leg;
        var customer = server.hotline().engine().channels().stream()
                .filter(ch -> ch.caller().user().equals("13966660052") && ch.direction() == dev.hotline.engine.call.Direction.INBOUND)
                .findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> customer.counters().packetsIn() > 0);
        var consult = one.post(path + "/consult", Map.of("to", "8002"));
        assertThat(consult.status()).as(consult.toString()).isEqualTo(201);
        String consulted = consult.json().get("consultLegId").asText();
        liveCall(two, consulted, "talking");
        await("consult answered").atMost(Duration.ofSeconds(10)).until(() -> one.get(path).json().at("/call/consult/state").asText().equals("talking"));
        var conference = one.post(path + "/consult/conference", null);
        assertThat(conference.status()).as(conference.toString()).isEqualTo(200);
        await("the customer hears the others, not music").atMost(Duration.ofSeconds(5)).until(() -> !customer.musicOnHold());
        JsonNode three = liveCall(one, leg, "talking").get("call");
        assertThat(three.path("consult").isNull() || three.path("consult").isMissingNode()).as(three.toString()).isTrue();
        // Agent 1 leaves: the customer and agent 2 still talk; agent 2 leaves: the customer, alone, is hung up.
        assertThat(one.delete(path).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> one.get("/api/v1/live-calls").json().isEmpty());
        assertThat(customer.state().isFinal()).isFalse();
        assertThat(two.get("/api/v1/live-calls/" + consulted).status()).isEqualTo(200);
        assertThat(two.delete("/api/v1/live-calls/" + consulted).status()).isEqualTo(200);
        SipPeers.ok(caller);
    }

    String timeline(String number) {
        JsonNode r = await().atMost(Duration.ofSeconds(15)).until(() -> {
            for (JsonNode x : admin.get("/api/v1/calls?number=" + number).json().get("items")) return x;
            return null;
        }, x -> x != null);
        return admin.get("/api/v1/calls/" + r.get("callId").asText() + "/events").body();
    }
}
