package dev.hotline.cti;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.CtiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * API-2 / issue 7: the CTI WebSocket of docs/cti.md against the whole server, with SIP phones as the
 * agents' devices and SIPp callers into a queue.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CtiTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    TestServer server;
    ApiClient admin;
    final List<Sipp.Run> phones = new ArrayList<>();
    final List<CtiClient> clients = new ArrayList<>();
    @TempDir
    Path work;

    long salesId;
    int carrierPort;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4698", "destinationType", "queue", "destination", "sales")).status())
                .isEqualTo(201);
        long sales = 0;
        for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("sales")) sales = q.get("id").asLong();
        salesId = sales;
        // Outside numbers 1377... go to a carrier of the tests' own (a SIPp callee on carrierPort).
        carrierPort = Ports.free();
        long trunk = admin.post("/api/v1/trunks", Map.of("name", "cti-carrier", "host", "127.0.0.1", "port", carrierPort, "allowedIps", List.of()))
                .json().get("id").asLong();
        assertThat(admin.post("/api/v1/outbound-routes", Map.of("name", "cti-out", "prefix", "1377", "trunkId", trunk, "priority", 1)).status())
                .isEqualTo(201);
        // No agent announce here: the tests follow the call, not the prompt.
        var r = admin.put("/api/v1/queues/" + sales, Map.of("name", "sales", "strategy", "linear", "settings", Map.of("ringTimeoutSeconds", 10)));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        server.hotline().acd().settle();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** Each test starts clean even when the one before failed mid-call: no calls, no agent signed in. */
    @AfterEach
    void cleanUp() {
        server.hotline().engine().channels().forEach(ch -> ch.hangup(dev.hotline.engine.call.HangupCause.NORMAL_CLEARING));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.hotline().engine().channels().isEmpty());
        long enterprise = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.hotline().acd().agents(enterprise).stream()
                .noneMatch(a -> a.state() == dev.hotline.acd.AgentState.ON_CALL || a.state() == dev.hotline.acd.AgentState.RINGING));
        for (int n = 1; n <= 3; n++) {
            ApiClient.loggedIn(server.baseUrl(), "demo", "agent" + n, PW).delete("/api/v1/agent/session");
        }
        phones.forEach(Sipp.Run::kill);
        phones.clear();
        clients.forEach(CtiClient::close);
        clients.clear();
    }

    SipPeers peers() {
        return new SipPeers(work, server.hotline().engine().sipPort());
    }

    /** Agent n's SIP phone (answers every call) registered, and their CTI connection. */
    CtiClient agent(int n) throws Exception {
        return agent(n, "uas_answer");
    }

    /** Agent n's SIP phone playing {@code scenario} for every call, registered, and their CTI connection. */
    CtiClient agent(int n, String scenario) throws Exception {
        int port = Ports.free();
        Sipp.Run phone = Sipp.start(work, scenario, withEngine(SipPeers.vars("x")), null, port,
                List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)), "-m", "100", "-timeout", "120"));
        Sipp.awaitUdpBound(port);
        phones.add(phone);
        peers().register("100" + n, PW, port, "200");
        CtiClient c = CtiClient.connect(ApiClient.loggedIn(server.baseUrl(), "demo", "agent" + n, PW), server.baseUrl());
        clients.add(c);
        return c;
    }

    Map<String, String> withEngine(Map<String, String> vars) {
        vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
        return vars;
    }

    @Test
    void withoutALoginTheUpgradeIsRefused() {
        var attempt = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(server.baseUrl().replaceFirst("^http", "ws") + "/api/v1/cti"), new java.net.http.WebSocket.Listener() { });
        assertThat(attempt).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withStackTraceContaining("401");
    }

    @Test
    void helloThenEveryBadMessageGetsAnErrorAndTheConnectionStays() throws Exception {
        CtiClient c = CtiClient.connect(ApiClient.loggedIn(server.baseUrl(), "demo", "agent3", PW), server.baseUrl());
        clients.add(c);
        JsonNode hello = c.next("hello");
        assertThat(hello.get("v").asInt()).isEqualTo(1);
        assertThat(hello.get("agent").get("state").asText()).isEqualTo("logged_out");
        assertThat(hello.get("reasons").findValuesAsText("code")).contains("break", "meeting");
        c.sendRaw("not json");
        assertThat(c.next("error").get("code").asText()).isEqualTo("bad_request");
        c.sendRaw("{\"v\":2,\"type\":\"logout\",\"id\":\"x\"}");
        assertThat(c.next("error").get("code").asText()).isEqualTo("unsupported_version");
        assertThat(c.command("fly", Map.of()).get("code").asText()).isEqualTo("unknown_type");
        assertThat(c.command("state", Map.of("state", "ready")).get("code").asText()).isEqualTo("conflict"); // not logged in
        assertThat(c.command("state", Map.of("state", "not_ready", "reason", "nap")).get("code").asText()).isEqualTo("bad_request");
        assertThat(c.command("hangup", Map.of("legId", "nope")).get("code").asText()).isEqualTo("not_found");
        assertThat(c.command("dial", Map.of("number", "1001")).get("code").asText()).isEqualTo("conflict"); // no device yet
        assertThat(c.command("logout", Map.of()).get("type").asText()).isEqualTo("ok");
        // A second connection of the same user replaces the first.
        CtiClient again = CtiClient.connect(ApiClient.loggedIn(server.baseUrl(), "demo", "agent3", PW), server.baseUrl());
        clients.add(again);
        again.next("hello");
        c.next("replaced");
        await().atMost(Duration.ofSeconds(5)).until(() -> c.closeCode == 4001);
    }

    @Test
    void anAgentFollowsAQueueCallOnTheDeskHoldsItAndHangsUp() throws Exception {
        CtiClient desk = agent(1);
        desk.next("hello");
        assertThat(desk.command("login", Map.of("device", "sip")).get("type").asText()).isEqualTo("ok");
        assertThat(desk.next("agent.state").get("agent").get("state").asText()).isEqualTo("not_ready");
        assertThat(desk.command("state", Map.of("state", "ready")).get("type").asText()).isEqualTo("ok");
        assertThat(desk.next("agent.state").get("agent").get("state").asText()).isEqualTo("ready");

        Sipp.Run caller = peers().uac("uac_wait_bye", "4698", SipPeers.vars("13966660001"));
        JsonNode offered = desk.next("call.offered").get("call");
        assertThat(offered.get("caller").asText()).isEqualTo("13966660001");
        assertThat(offered.get("queue").asText()).isEqualTo("sales");
        assertThat(offered.get("customer").get("known").asBoolean()).isFalse();
        // Issue 13 item 7: the number the caller dialled travels with the call to the desk (a number straight to a queue: no IVR path).
        assertThat(offered.get("path").get("dialled").asText()).isEqualTo("4698");
        assertThat(offered.get("path").get("ivrPath").isNull()).isTrue();
        String leg = offered.get("legId").asText();
        // Issue 14: the call carries the server's instants, so the desk's timer survives a reload and agrees across browsers.
        Instant startedAt = Instant.parse(offered.get("startedAt").asText());
        assertThat(startedAt).isBetween(Instant.now().minusSeconds(10), Instant.now());
        assertThat(offered.get("answeredAt").isNull()).isTrue();
        JsonNode answered = desk.next("call.answered").get("call");
        assertThat(answered.get("state").asText()).isEqualTo("talking");
        assertThat(Instant.parse(answered.get("startedAt").asText())).isEqualTo(startedAt);
        Instant answeredAt = Instant.parse(answered.get("answeredAt").asText());
        assertThat(answeredAt).isAfterOrEqualTo(startedAt).isBefore(Instant.now().plusMillis(1));
        assertThat(desk.command("answer", Map.of("legId", leg)).get("code").asText()).isEqualTo("conflict"); // answered on the phone

        assertThat(desk.command("notes", Map.of("legId", leg, "notes", "asks for a refund")).get("type").asText()).isEqualTo("ok");
        assertThat(desk.command("hold", Map.of("legId", leg)).get("type").asText()).isEqualTo("ok");
        JsonNode held = desk.next("call.held").get("call");
        assertThat(held.get("state").asText()).isEqualTo("held");
        assertThat(Instant.parse(held.get("answeredAt").asText())).as("hold keeps the talk's start").isEqualTo(answeredAt);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.hotline().engine().channels().stream()
                .anyMatch(ch -> ch.caller().user().equals("13966660001") && ch.musicOnHold()));
        assertThat(desk.command("resume", Map.of("legId", leg)).get("type").asText()).isEqualTo("ok");
        desk.next("call.resumed");
        // A reload (or the desk opened in another browser): hello lists the call with the same instants, and the server's time.
        CtiClient reloaded = CtiClient.connect(ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW), server.baseUrl());
        clients.add(reloaded);
        JsonNode hello = reloaded.next("hello");
        assertThat(Instant.parse(hello.get("serverTime").asText())).isBetween(Instant.now().minusSeconds(5), Instant.now().plusMillis(1));
        JsonNode listed = hello.get("calls").get(0);
        assertThat(listed.get("legId").asText()).isEqualTo(leg);
        assertThat(Instant.parse(listed.get("startedAt").asText())).isEqualTo(startedAt);
        assertThat(Instant.parse(listed.get("answeredAt").asText())).isEqualTo(answeredAt);
        desk.next("replaced");
        desk = reloaded;
        assertThat(desk.command("dtmf", Map.of("legId", leg, "digits", "12#")).get("type").asText()).isEqualTo("ok");
        assertThat(desk.command("hangup", Map.of("legId", leg)).get("type").asText()).isEqualTo("ok");
        assertThat(desk.next("call.ended").get("cause").asText()).isEqualTo("normal_clearing");
        SipPeers.ok(caller); // the caller got the BYE
        JsonNode state = desk.next(n -> n.path("type").asText().equals("agent.state")
                && n.get("agent").get("state").asText().equals("ready") || n.path("type").asText().equals("agent.state")
                && n.get("agent").get("state").asText().equals("wrap_up"), "back to ready or wrap-up");
        assertThat(state).isNotNull();

        // AGENT-4: the same number calling again is a known customer with one call before.
        Sipp.Run again = peers().uac("uac_wait_bye", "4698", SipPeers.vars("13966660001"));
        JsonNode second = desk.next("call.offered").get("call");
        assertThat(second.get("customer").get("known").asBoolean()).isTrue();
        assertThat(second.get("customer").get("calls").asLong()).isEqualTo(1);
        desk.next("call.answered");
        desk.command("hangup", Map.of("legId", second.get("legId").asText()));
        SipPeers.ok(again);
        desk.command("logout", Map.of());
    }

    @Test
    void aDirectCallToTheAgentsExtensionShowsOnTheDeskAndKeepsQueuesAway() throws Exception {
        CtiClient desk = agent(1);
        desk.next("hello");
        desk.command("login", Map.of("device", "sip"));
        desk.command("state", Map.of("state", "ready"));
        Sipp.Run caller = peers().uac("uac_wait_bye", "4010", SipPeers.vars("13966660003")); // DID 4010 rings extension 1001
        JsonNode offered = desk.next("call.offered").get("call");
        assertThat(offered.get("caller").asText()).isEqualTo("13966660003");
        assertThat(offered.get("queue").isNull()).isTrue();
        desk.next(n -> n.path("type").asText().equals("agent.state") && n.get("agent").get("state").asText().equals("on_call"), "on call");
        JsonNode direct = desk.next("call.answered").get("call");
        assertThat(Instant.parse(direct.get("answeredAt").asText())).isAfterOrEqualTo(Instant.parse(direct.get("startedAt").asText()));
        // The caller has ACKed and talks (its audio arrives) before the desk hangs up: a BYE racing SIPp's ACK aborts its scenario.
        await().atMost(Duration.ofSeconds(10)).until(() -> server.hotline().engine().channels().stream()
                .anyMatch(ch -> ch.caller().user().equals("13966660003") && ch.counters().packetsIn() > 0));
        assertThat(desk.command("hangup", Map.of("legId", offered.get("legId").asText())).get("type").asText()).isEqualTo("ok");
        desk.next("call.ended");
        SipPeers.ok(caller);
        desk.next(n -> n.path("type").asText().equals("agent.state") && n.get("agent").get("state").asText().equals("ready"), "ready again");
        desk.command("logout", Map.of());
    }

    /** Agent 1 takes a queue call and consults agent 2 (the customer waits on hold); returns [agent 1's leg, the consulted leg]. */
    String[] consultation(CtiClient one, CtiClient two, String customer) throws Exception {
        one.next("hello");
        two.next("hello");
        one.command("login", Map.of("device", "sip"));
        two.command("login", Map.of("device", "sip"));
        one.command("state", Map.of("state", "ready"));
        JsonNode call = one.next("call.offered").get("call");
        String leg = call.get("legId").asText();
        assertThat(call.get("caller").asText()).isEqualTo(customer);
        one.next("call.answered");
        JsonNode r = one.command("consult", Map.of("legId", leg, "to", "8002"));
        assertThat(r.get("type").asText()).as(r.toString()).isEqualTo("ok");
        String other = r.get("result").get("consultLegId").asText();
        JsonNode colleague = two.next("call.offered").get("call");
        assertThat(colleague.get("legId").asText()).isEqualTo(other);
        assertThat(colleague.get("internal").asBoolean()).isTrue();
        one.next(n -> n.path("type").asText().equals("call.updated") && "talking".equals(n.at("/call/consult/state").asText()), "consult answered");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.hotline().engine().channels().stream()
                .anyMatch(ch -> ch.caller().user().equals(customer) && ch.musicOnHold()));
        return new String[] {leg, other};
    }

    @Test
    void aConsultationEndsInAnAttendedTransfer() throws Exception {
        CtiClient one = agent(1);
        CtiClient two = agent(2);
        Sipp.Run caller = peers().uac("uac_wait_bye", "4698", SipPeers.vars("13966660004"));
        String[] legs = consultation(one, two, "13966660004");
        assertThat(one.command("complete", Map.of("legId", legs[0])).get("type").asText()).isEqualTo("ok");
        one.next("call.ended");
        var customer = server.hotline().engine().channels().stream().filter(ch -> ch.caller().user().equals("13966660004") && ch.direction() == dev.hotline.engine.call.Direction.INBOUND).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> customer.bridgedWith().map(Channel::id).orElse("").equals(legs[1]));
        assertThat(customer.musicOnHold()).isFalse();
        two.command("hangup", Map.of("legId", legs[1]));
        SipPeers.ok(caller); // the customer got the BYE from the colleague's side
        JsonNode r = await().atMost(Duration.ofSeconds(15)).until(() -> {
            for (JsonNode x : admin.get("/api/v1/calls?number=13966660004").json().get("items")) return x;
            return null;
        }, x -> x != null);
        String timeline = admin.get("/api/v1/calls/" + r.get("callId").asText() + "/events").body();
        assertThat(timeline).contains("kind=consult target=8002", "kind=attended target=8002", "\"type\":\"hold\"");
        one.command("logout", Map.of());
        two.command("logout", Map.of());
    }

    @Test
    void aConsultationBecomesAThreePartyCallThatEndsWithItsLastButOne() throws Exception {
        CtiClient one = agent(1);
        CtiClient two = agent(2);
        Sipp.Run caller = peers().uac("uac_wait_bye", "4698", SipPeers.vars("13966660005"));
        String[] legs = consultation(one, two, "13966660005");
        assertThat(one.command("conference", Map.of("legId", legs[0])).get("type").asText()).isEqualTo("ok");
        var customer = server.hotline().engine().channels().stream().filter(ch -> ch.caller().user().equals("13966660005") && ch.direction() == dev.hotline.engine.call.Direction.INBOUND).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> !customer.musicOnHold());
        one.command("hangup", Map.of("legId", legs[0]));
        one.next("call.ended");
        assertThat(customer.state().isFinal()).isFalse(); // the customer and the colleague still talk
        two.command("hangup", Map.of("legId", legs[1]));
        SipPeers.ok(caller); // alone in the room: hung up
        one.command("logout", Map.of());
        two.command("logout", Map.of());
    }

    @Test
    void aBlindTransferToAColleagueCarriesTheJobNumberAndTheNotes() throws Exception {
        CtiClient one = agent(1);
        CtiClient two = agent(2);
        one.next("hello");
        two.next("hello");
        one.command("login", Map.of("device", "sip"));
        two.command("login", Map.of("device", "sip"));
        // Only agent 1 is ready: the queue offers the call to them.
        assertThat(one.command("state", Map.of("state", "ready")).get("type").asText()).isEqualTo("ok");
        Sipp.Run caller = peers().uac("uac_wait_bye", "4698", SipPeers.vars("13966660002"));
        JsonNode call = one.next("call.offered").get("call");
        String leg = call.get("legId").asText();
        one.next("call.answered");
        one.command("notes", Map.of("legId", leg, "notes", "VIP, wants a refund"));
        assertThat(two.command("state", Map.of("state", "ready")).get("type").asText()).isEqualTo("ok");
        JsonNode done = one.command("transfer", Map.of("legId", leg, "to", "8002"));
        assertThat(done.get("type").asText()).as(done.toString()).isEqualTo("ok");
        one.next("call.ended");
        JsonNode offered = two.next("call.offered").get("call");
        assertThat(offered.get("caller").asText()).isEqualTo("13966660002");
        assertThat(offered.get("transfer").get("fromJob").asText()).isEqualTo("8001");
        assertThat(offered.get("transfer").get("notes").asText()).isEqualTo("VIP, wants a refund");
        two.next("call.answered");
        two.command("hangup", Map.of("legId", offered.get("legId").asText()));
        SipPeers.ok(caller);
        JsonNode r = await().atMost(Duration.ofSeconds(15)).until(() -> {
            for (JsonNode x : admin.get("/api/v1/calls?number=13966660002").json().get("items")) return x;
            return null;
        }, x -> x != null);
        List<String> types = admin.get("/api/v1/calls/" + r.get("callId").asText() + "/events").json().findValuesAsText("type");
        assertThat(types).containsSubsequence("queue_join", "queue_offer", "queue_connect", "transfer", "queue_offer", "transfer", "closed");
        one.command("logout", Map.of());
        two.command("logout", Map.of());
    }

    /** The events of the last call record of {@code number}, once it is written. */
    String timeline(String number) {
        JsonNode r = await().atMost(Duration.ofSeconds(15)).until(() -> {
            for (JsonNode x : admin.get("/api/v1/calls?number=" + number).json().get("items")) return x;
            return null;
        }, x -> x != null);
        return admin.get("/api/v1/calls/" + r.get("callId").asText() + "/events").body();
    }

    static boolean is(JsonNode n, String type, String state) {
        return n.path("type").asText().equals(type) && n.at("/agent/state").asText().equals(state);
    }

    @Test
    void aRejectedOfferGoesToTheNextAgent() throws Exception {
        // AGENT-2 reject: agent 1's phone rings and never answers; the desk declines; the queue offers agent 2.
        var settings = admin.put("/api/v1/queues/" + salesId, Map.of("name", "sales", "strategy", "linear",
                "settings", Map.of("ringTimeoutSeconds", 10, "autoPauseAfterMissed", 1)));
        assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
        server.hotline().acd().settle();
        try {
            CtiClient one = agent(1, "uas_ring_cancel");
            CtiClient two = agent(2);
            one.next("hello");
            two.next("hello");
            one.command("login", Map.of("device", "sip"));
            two.command("login", Map.of("device", "sip"));
            one.command("state", Map.of("state", "ready"));
            Sipp.Run caller = peers().uac("uac_wait_bye", "4698", SipPeers.vars("13966660010"));
            JsonNode offered = one.next("call.offered").get("call");
            two.command("state", Map.of("state", "ready"));
            JsonNode r = one.command("reject", Map.of("legId", offered.get("legId").asText()));
            assertThat(r.get("type").asText()).as(r.toString()).isEqualTo("ok");
            assertThat(one.next("call.ended").get("call").get("legId").asText()).isEqualTo(offered.get("legId").asText());
            // Rejected long before the 10 s ring timeout: agent 2 is offered the call and takes it.
            JsonNode taken = two.next("call.offered").get("call");
            assertThat(taken.get("caller").asText()).isEqualTo("13966660010");
            two.next("call.answered");
            one.next(n -> is(n, "agent.state", "not_ready"), "agent 1 paused after the declined offer");
            two.command("hangup", Map.of("legId", taken.get("legId").asText()));
            SipPeers.ok(caller);
            assertThat(timeline("13966660010")).contains("result=rejected").doesNotContain("result=no_answer");
        } finally {
            admin.put("/api/v1/queues/" + salesId, Map.of("name", "sales", "strategy", "linear", "settings", Map.of("ringTimeoutSeconds", 10)));
            server.hotline().acd().settle();
        }
    }

    @Test
    void aCancelledConsultationBringsTheAgentBackToTheCustomer() throws Exception {
        CtiClient one = agent(1);
        CtiClient two = agent(2);
        Sipp.Run caller = peers().uac("uac_wait_bye", "4698", SipPeers.vars("13966660011"));
        String[] legs = consultation(one, two, "13966660011");
        assertThat(one.command("cancel", Map.of("legId", legs[0])).get("type").asText()).isEqualTo("ok");
        assertThat(two.next("call.ended").get("call").get("legId").asText()).isEqualTo(legs[1]);
        JsonNode back = one.next(n -> n.path("type").asText().equals("call.updated") && n.at("/call/state").asText().equals("talking")
                && n.at("/call/consult").isMissingNode() | n.at("/call/consult").isNull(), "back with the customer");
        assertThat(back.get("call").get("legId").asText()).isEqualTo(legs[0]);
        assertThat(one.command("complete", Map.of("legId", legs[0])).get("code").asText()).as("nothing left to complete").isEqualTo("conflict");
        // The customer is still on the call, off hold, now with agent 1 again: agent 1 hangs up, the customer gets the BYE.
        assertThat(caller.isAlive()).isTrue();
        one.command("hangup", Map.of("legId", legs[0]));
        SipPeers.ok(caller);
        assertThat(timeline("13966660011")).contains("kind=consult target=8002", "\"type\":\"unhold\"").doesNotContain("kind=attended");
        one.command("logout", Map.of());
        two.command("logout", Map.of());
    }

    @Test
    void anInternalCallCannotBeHeldMutedOrTransferredAndClickToDialReachesAColleague() throws Exception {
        CtiClient one = agent(1);
        CtiClient two = agent(2);
        one.next("hello");
        two.next("hello");
        one.command("login", Map.of("device", "sip"));
        two.command("login", Map.of("device", "sip"));
        // AGENT-2/AGENT-6 click-to-dial of a colleague's job number: agent 1's phone rings first, then agent 2's.
        JsonNode dialled = one.command("dial", Map.of("number", "8002"));
        assertThat(dialled.get("type").asText()).as(dialled.toString()).isEqualTo("ok");
        String leg = dialled.get("result").get("legId").asText();
        JsonNode own = one.next("call.offered").get("call");
        assertThat(own.get("legId").asText()).isEqualTo(leg);
        assertThat(own.get("internal").asBoolean()).isTrue();
        JsonNode colleague = two.next("call.offered").get("call");
        assertThat(colleague.get("internal").asBoolean()).isTrue();
        one.next(n -> n.path("type").asText().equals("call.answered") && n.at("/call/legId").asText().equals(leg), "own leg answered");
        two.next("call.answered");
        // AGENT-6: refused on an answered internal call, for the reason that it is internal (not for being unanswered).
        for (var refused : List.of(one.command("hold", Map.of("legId", leg)), one.command("mute", Map.of("legId", leg, "muted", true)),
                one.command("transfer", Map.of("legId", leg, "to", "8003")), one.command("consult", Map.of("legId", leg, "to", "8003")),
                two.command("hold", Map.of("legId", colleague.get("legId").asText())))) {
            assertThat(refused.get("code").asText()).as(refused.toString()).isEqualTo("conflict");
            assertThat(refused.get("message").asText()).as(refused.toString()).startsWith("internal calls cannot be");
        }
        one.command("hangup", Map.of("legId", leg));
        one.next("call.ended");
        two.next("call.ended");
        one.command("logout", Map.of());
        two.command("logout", Map.of());
    }

    @Test
    void clickToDialAndBlindTransfersReachOutsideNumbersAndExtensions() throws Exception {
        CtiClient one = agent(1);
        one.next("hello");
        one.command("login", Map.of("device", "sip"));
        // Click-to-dial an outside number: agent 1's phone rings first, then the number through the carrier trunk.
        Sipp.Run carrier = peers().uas("uas_bye", carrierPort, SipPeers.vars("x", "PAUSE", "1000"));
        JsonNode dialled = one.command("dial", Map.of("number", "13770000001"));
        assertThat(dialled.get("type").asText()).as(dialled.toString()).isEqualTo("ok");
        JsonNode own = one.next("call.offered").get("call");
        assertThat(own.get("direction").asText()).isEqualTo("outbound");
        assertThat(own.get("internal").asBoolean()).isFalse();
        SipPeers.ok(carrier); // the number answered and hung up after a second
        one.next(n -> n.path("type").asText().equals("call.ended") && n.at("/call/legId").asText().equals(own.get("legId").asText()), "own call ended");
        assertThat(carrier.logs()).contains("INVITE sip:13770000001@");

        // A queue call blind-transferred to an outside number: the customer is connected to the carrier, the agent's leg ends.
        one.command("state", Map.of("state", "ready"));
        Sipp.Run outside = peers().uas("uas_bye", carrierPort, SipPeers.vars("x", "PAUSE", "1000"));
        Sipp.Run caller = peers().uac("uac_wait_bye", "4698", SipPeers.vars("13966660012"));
        String leg = one.next("call.offered").get("call").get("legId").asText();
        one.next(n -> n.path("type").asText().equals("call.answered") && n.at("/call/legId").asText().equals(leg), "queue call answered");
        JsonNode done = one.command("transfer", Map.of("legId", leg, "to", "13770000002"));
        assertThat(done.get("type").asText()).as(done.toString()).isEqualTo("ok");
        one.next(n -> n.path("type").asText().equals("call.ended") && n.at("/call/legId").asText().equals(leg), "queue call ended");
        SipPeers.ok(outside); // reached, answered, hung up
        SipPeers.ok(caller); // the customer got the BYE from the outside party's side
        assertThat(outside.logs()).contains("INVITE sip:13770000002@");
        assertThat(timeline("13966660012")).contains("kind=blind target=13770000002");

        // And to an extension whose user is not signed in (a plain extension, not the ACD): its phone rings and answers.
        int port = Ports.free();
        Sipp.Run phone = peers().uas("uas_bye", port, SipPeers.vars("x", "PAUSE", "1000"));
        peers().register("1003", PW, port, "200");
        one.next(n -> is(n, "agent.state", "ready"), "ready again");
        Sipp.Run second = peers().uac("uac_wait_bye", "4698", SipPeers.vars("13966660013"));
        String leg2 = one.next("call.offered").get("call").get("legId").asText();
        one.next(n -> n.path("type").asText().equals("call.answered") && n.at("/call/legId").asText().equals(leg2), "second call answered");
        assertThat(one.command("transfer", Map.of("legId", leg2, "to", "1003")).get("type").asText()).isEqualTo("ok");
        one.next(n -> n.path("type").asText().equals("call.ended") && n.at("/call/legId").asText().equals(leg2), "second call ended");
        SipPeers.ok(phone);
        SipPeers.ok(second);
        assertThat(timeline("13966660013")).contains("kind=blind target=1003", "extension 1003");
        one.command("logout", Map.of());
    }
}
