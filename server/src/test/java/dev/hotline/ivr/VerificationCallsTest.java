package dev.hotline.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.CtiClient;
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
 * IVR-4 end to end with SIPp: a queue call reaches agent 1 (a SIPp phone), the agent sends the caller into a PIN flow
 * through the HTTP API, the caller keys the PIN by RFC 4733, the flow compares it with the caller's customer record and
 * returns; the agent's CTI channel gets the result and the two legs are bridged again. A caller hanging up in the flow ends
 * the agent's leg and the agent goes on to wrap-up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerificationCallsTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static final String FLOW = """
            {'start':'ask','nodes':{
              'ask':{'type':'collect','prompts':[{'prompt':'PLEASE_ENTER'}],'variable':'pin','maxDigits':4,'terminator':'#','timeoutSeconds':20,
                     'next':'check'},
              'check':{'type':'customer','field':'pin','value':'${pin}','match':'ok','mismatch':'bad'},
              'ok':{'type':'set','variable':'verified','value':'yes','next':'back'},
              'bad':{'type':'set','variable':'verified','value':'no','next':'back'},
              'back':{'type':'return','result':'${verified}'}}}""";
    TestServer server;
    ApiClient admin;
    final List<Sipp.Run> phones = new ArrayList<>();
    @TempDir
    Path work;

    @BeforeAll
    void start() {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4698", "destinationType", "queue", "destination", "sales")).status())
                .isEqualTo(201);
        assertThat(admin.post("/api/v1/customer-fields", Map.of("key", "pin", "label", "PIN", "type", "text")).status()).isEqualTo(201);
        var customer = admin.post("/api/v1/customers", Map.of("name", "Wang Fang", "phones", List.of(Map.of("number", "13966660051")),
                "fields", Map.of("pin", "1234"), "sharing", "enterprise"));
        assertThat(customer.status()).as(customer.toString()).isEqualTo(201);
        long id = admin.post("/api/v1/flows", Map.of("name", "verify-pin")).json().get("id").asLong();
        var saved = admin.raw("PUT", "/api/v1/flows/" + id + "/draft", FLOW.replace('\'', '"'), "application/json");
        assertThat(saved.json().get("problems")).as(saved.toString()).isEmpty();
        assertThat(admin.post("/api/v1/flows/" + id + "/publish", null).status()).isEqualTo(200);
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
        ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW).delete("/api/v1/agent/session");
        phones.forEach(Sipp.Run::kill);
        phones.clear();
    }

    SipPeers peers() {
        return new SipPeers(work, server.hotline().engine().sipPort());
    }

    /** Agent 1's SIP phone (answers every call, echoes RTP) registered, agent 1 logged in on it and ready. */
    ApiClient agentOneReady() throws Exception {
        int port = Ports.free();
        phones.add(peers().phone(port));
        peers().register("1001", PW, port, "200");
        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
        assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
        return agent;
    }

    /** The caller's queue call, talking on agent 1's desk: its leg id. */
    String talking(ApiClient agent) {
        JsonNode live = await("the queue call reaches agent 1").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> agent.get("/api/v1/live-calls").json(), l -> l.size() == 1 && l.at("/0/call/state").asText().equals("talking"));
        return live.at("/0/call/legId").asText();
    }

    @Test
    void theAgentSendsTheCallerIntoAPinFlowAndGetsThemBackVerified() throws Exception {
        ApiClient agent = agentOneReady();
        try (CtiClient cti = CtiClient.connect(agent, server.baseUrl())) {
            cti.next("hello");
            assertThat(agent.get("/api/v1/verification-flows").json().get("flows").get(0).asText()).isEqualTo("verify-pin");
            // The caller talks to the agent, then (7 s after answer) keys 1234 by RFC 4733 and stays 8 s before hanging up.
            Sipp.Run caller = peers().uac("uac_digits", "4698", SipPeers.vars("13966660051", "PAUSE", "7000", "AFTER", "8000",
                    "DTMFACTIONS", SipPeers.dtmf("1234")));
            String leg = talking(agent);
            Channel agentLeg = server.hotline().engine().channel(leg).orElseThrow();
            String callerLeg = agentLeg.bridgedWith().orElseThrow().id();

            // Bad input: 400 naming the field; a flow without a return node or unknown: 400 too; another agent: 404.
            var bad = agent.post("/api/v1/live-calls/" + leg + "/verify", Map.of());
            assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
            assertThat(bad.json().get("fieldErrors").findValuesAsText("field")).contains("flow");
            var unknown = agent.post("/api/v1/live-calls/" + leg + "/verify", Map.of("flow", "no-such-flow"));
            assertThat(unknown.status()).as(unknown.toString()).isEqualTo(400);
            assertThat(unknown.json().get("fieldErrors").findValuesAsText("field")).contains("flow");
            ApiClient agent2 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", PW);
            assertThat(agent2.post("/api/v1/live-calls/" + leg + "/verify", Map.of("flow", "verify-pin")).status()).isEqualTo(404);

            var sent = agent.post("/api/v1/live-calls/" + leg + "/verify", Map.of("flow", "verify-pin"));
            assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
            JsonNode started = cti.next(n -> n.path("type").asText().equals("call.verification"), "verification started");
            assertThat(started.get("status").asText()).isEqualTo("started");
            assertThat(started.get("flow").asText()).isEqualTo("verify-pin");
            assertThat(agentLeg.bridgedWith()).as("the caller is in the flow, away from the agent").isEmpty();
            assertThat(agentLeg.musicOnHold()).as("the agent hears music meanwhile").isTrue();
            assertThat(agent.get("/api/v1/live-calls/" + leg).json().at("/call/state").asText()).isEqualTo("verifying");

            JsonNode back = cti.next(n -> n.path("type").asText().equals("call.verification") && !n.get("status").asText().equals("started"),
                    "verification returned");
            assertThat(back.get("status").asText()).isEqualTo("returned");
            assertThat(back.get("result").asText()).isEqualTo("yes");
            assertThat(back.at("/variables/verified").asText()).isEqualTo("yes");
            assertThat(back.at("/variables/pin").asText()).isEqualTo("1234");
            assertThat(back.at("/variables/customerFound").asText()).isEqualTo("yes");
            assertThat(agentLeg.bridgedWith().map(Channel::id)).as("bridged again").contains(callerLeg);
            assertThat(agentLeg.musicOnHold()).isFalse();
            assertThat(agent.get("/api/v1/live-calls/" + leg).json().at("/call/state").asText()).isEqualTo("talking");

            SipPeers.ok(caller);
            String events = events("13966660051");
            assertThat(events).contains("flow=verify-pin status=started", "flow=verify-pin status=returned", "result=yes",
                    "node=check type=customer", "node=check key=match");
        }
    }

    @Test
    void aCallerHangingUpInTheFlowEndsTheAgentsLegAndTheAgentGoesOn() throws Exception {
        ApiClient agent = agentOneReady();
        try (CtiClient cti = CtiClient.connect(agent, server.baseUrl())) {
            cti.next("hello");
            // No key: the caller hangs up 6 s after the answer, while the flow waits for the PIN.
            Sipp.Run caller = peers().uac("uac_digits", "4698", SipPeers.vars("13966660052", "PAUSE", "6000", "AFTER", "0",
                    "DTMFACTIONS", ""));
            String leg = talking(agent);
            JsonNode reply = cti.command("verify", Map.of("legId", leg, "flow", "verify-pin"));
            assertThat(reply.get("type").asText()).as(reply.toString()).isEqualTo("ok");
            assertThat(cti.next(n -> n.path("type").asText().equals("call.verification"), "started").get("status").asText())
                    .isEqualTo("started");
            JsonNode left = cti.next(n -> n.path("type").asText().equals("call.verification") && !n.get("status").asText().equals("started"),
                    "caller left");
            assertThat(left.get("status").asText()).isEqualTo("caller_left");
            JsonNode ended = cti.next(n -> n.path("type").asText().equals("call.ended") && n.at("/call/legId").asText().equals(leg), "call ended");
            assertThat(ended.at("/call/state").asText()).isEqualTo("ended");
            SipPeers.ok(caller);
            await("the agent's leg is gone").atMost(Duration.ofSeconds(10)).until(() -> server.hotline().engine().channel(leg).isEmpty());
            await("agent 1 goes on to wrap-up or ready").atMost(Duration.ofSeconds(10)).until(() ->
                    List.of("wrap_up", "ready").contains(agent.get("/api/v1/agent/state").json().path("state").asText()));
            assertThat(events("13966660052")).contains("flow=verify-pin status=started", "flow=verify-pin status=caller_left");
        }
    }

    /** The events of the caller's call, once it is closed. */
    String events(String caller) {
        JsonNode r = await().atMost(Duration.ofSeconds(15)).until(() -> {
            for (JsonNode x : admin.get("/api/v1/calls?number=" + caller).json().get("items")) return x;
            return null;
        }, x -> x != null);
        return admin.get("/api/v1/calls/" + r.get("callId").asText() + "/events").body();
    }
}
