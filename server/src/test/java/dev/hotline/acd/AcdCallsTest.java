package dev.hotline.acd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.RtpCaller;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import dev.hotline.web.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 6 through the whole server: three SIPp phones registered as the demo agents 1001–1003 and
 * SIPp callers from the trunk on a number routed to a queue. Which agent took each call comes from
 * the call records (derived from the event log), as a report would read it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AcdCallsTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    TestServer server;
    ApiClient admin;
    Acd acd;
    long enterprise;
    final Map<String, Long> users = new HashMap<>();
    final List<Sipp.Run> phones = new ArrayList<>();
    final AtomicInteger numbers = new AtomicInteger(4700);
    final AtomicInteger callers = new AtomicInteger();
    long queueId;
    String queueNumber;
    Path phoneDir;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        acd = server.hotline().acd();
        phoneDir = java.nio.file.Files.createTempDirectory("acd-phones");
        for (JsonNode u : admin.get("/api/v1/users").json()) users.put(u.get("username").asText(), u.get("id").asLong());
        enterprise = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
        // The demo queue sales (the three agents are members, in the order agent1, agent2, agent3) on a number of its own.
        for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("sales")) queueId = q.get("id").asLong();
        queueNumber = "4699";
        assertThat(admin.post("/api/v1/numbers", Map.of("number", queueNumber, "destinationType", "queue", "destination", "sales"))
                .status()).isEqualTo(201);
        acd.settle();
    }

    @AfterAll
    void stop() {
        phones.forEach(Sipp.Run::kill);
        server.close();
    }

    /** Each test starts clean even when the one before failed mid-call: no calls left, no agent signed in. */
    @AfterEach
    void hangUpPhones() {
        server.hotline().engine().channels().forEach(ch -> ch.hangup(dev.hotline.engine.call.HangupCause.NORMAL_CLEARING));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.hotline().engine().channels().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> acd.agents(enterprise).stream()
                .noneMatch(a -> a.state() == AgentState.ON_CALL || a.state() == AgentState.RINGING)); // the ACD took the hang-ups
        phones.forEach(Sipp.Run::kill);
        phones.clear();
        for (long id : users.values()) {
            try {
                acd.logout(enterprise, id, "agent");
            } catch (RuntimeException e) {
                // not an agent or on a call: the next test logs in again
            }
        }
    }

    SipPeers peers() {
        return new SipPeers(phoneDir, server.hotline().engine().sipPort());
    }

    /** Agent {@code n} (1..3): a SIPp phone with {@code scenario} registered as extension 100n, logged in on it, ready. */
    void agentPhone(int n, String scenario) throws Exception {
        int port = Ports.free();
        var vars = SipPeers.vars("x");
        Sipp.Run phone = Sipp.start(phoneDir, scenario, withEngine(vars), null, port,
                List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)), "-m", "1000", "-timeout", "300"));
        Sipp.awaitUdpBound(port);
        phones.add(phone);
        peers().register("100" + n, PW, port, "200");
        // AGENT-1 over HTTP as the agent: log in on the SIP phone, then ready.
        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent" + n, PW);
        var login = agent.post("/api/v1/agent/session", Map.of("device", "sip"));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        var ready = agent.put("/api/v1/agent/state", Map.of("state", "ready"));
        assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
        // A caller already waiting is offered at once: the answer may show the agent ringing already.
        assertThat(ready.json().get("state").asText()).isIn("ready", "ringing");
    }

    Map<String, String> withEngine(Map<String, String> vars) {
        vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
        return vars;
    }

    void queue(String strategy, Map<String, Object> settings) {
        var r = admin.put("/api/v1/queues/" + queueId, Map.of("name", "sales", "strategy", strategy, "settings", settings));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        acd.settle();
    }

    /** {@code count} calls one after the other from {@code caller}, each staying {@code stayMs} after being answered. */
    void calls(String caller, int count, int stayMs) throws Exception {
        SipPeers.ok(peers().uac("uac_call", queueNumber, SipPeers.vars(caller, "PAUSE", Integer.toString(stayMs)),
                "-m", Integer.toString(count), "-l", "1", "-r", "2", "-timeout", "120"));
    }

    /** The call records of {@code caller}, oldest first, once {@code count} are written. */
    List<JsonNode> records(String caller, int count) {
        return await("records of " + caller).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode r : admin.get("/api/v1/calls?limit=100&number=" + caller).json().get("items")) out.add(0, r);
            return out;
        }, l -> l.size() >= count);
    }

    List<String> agentsOf(List<JsonNode> records) {
        return records.stream().map(r -> r.path("agentJob").asText("-")).toList();
    }

    /** Queue events of a call as "type key=value..." strings. */
    List<String> queueEvents(JsonNode record) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : admin.get("/api/v1/calls/" + record.get("callId").asText() + "/events").json()) {
            if (e.get("type").asText().startsWith("queue_")) out.add(e.get("type").asText() + " " + e.path("data").asText());
        }
        return out;
    }

    String nextCaller() {
        return "1390000" + String.format("%04d", callers.incrementAndGet());
    }

    void threeAnsweringAgents() throws Exception {
        for (int i = 1; i <= 3; i++) agentPhone(i, "uas_answer");
    }

    @Test
    void roundRobinWithMemoryTakesTurns() throws Exception {
        threeAnsweringAgents();
        queue("round_robin", Map.of("ringTimeoutSeconds", 5));
        String caller = nextCaller();
        calls(caller, 12, 400);
        List<String> got = agentsOf(records(caller, 12));
        assertThat(got).hasSize(12);
        // Every agent in turn, four each, the turn never repeating an agent twice in a row.
        Map<String, Integer> counts = new LinkedHashMap<>();
        got.forEach(a -> counts.merge(a, 1, Integer::sum));
        assertThat(counts).containsOnlyKeys("8001", "8002", "8003").allSatisfy((k, v) -> assertThat(v).isEqualTo(4));
        for (int i = 3; i < 12; i++) assertThat(got.get(i)).isEqualTo(got.get(i - 3));
    }

    /** Linear continuing, fewest calls, fewest answered and longest idle all turn round the three when every call is answered. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"linear_continue", "fewest_calls", "fewest_answered", "longest_idle"})
    void theFairStrategiesShareTwelveCallsFourEachInTurn(String strategy) throws Exception {
        threeAnsweringAgents();
        queue(strategy, Map.of("ringTimeoutSeconds", 5));
        String caller = nextCaller();
        calls(caller, 12, 300);
        List<String> got = agentsOf(records(caller, 12));
        Map<String, Integer> counts = new LinkedHashMap<>();
        got.forEach(a -> counts.merge(a, 1, Integer::sum));
        assertThat(counts).as(got.toString()).containsOnlyKeys("8001", "8002", "8003").allSatisfy((k, v) -> assertThat(v).isEqualTo(4));
        for (int i = 3; i < 12; i++) assertThat(got.get(i)).isEqualTo(got.get(i - 3));
    }

    @Test
    void randomOffersEachCallToExactlyOneMember() throws Exception {
        threeAnsweringAgents();
        queue("random", Map.of("ringTimeoutSeconds", 5));
        String caller = nextCaller();
        calls(caller, 12, 300);
        for (JsonNode r : records(caller, 12)) {
            assertThat(r.get("agentJob").asText()).isIn("8001", "8002", "8003");
            assertThat(queueEvents(r).stream().filter(e -> e.startsWith("queue_offer ")).count()).isEqualTo(1);
        }
    }

    @Test
    void linearAlwaysStartsWithTheFirstMember() throws Exception {
        threeAnsweringAgents();
        queue("linear", Map.of("ringTimeoutSeconds", 5));
        String caller = nextCaller();
        // Each caller stays 1 s in the call: the class's first calls reach a cold server (the first offer took over the
        // 300 ms the others stay, and that caller left the queue unserved).
        calls(caller, 12, 1000);
        assertThat(agentsOf(records(caller, 12))).containsOnly("8001").hasSize(12);
    }

    @Test
    void ringAllOffersEveryFreeAgentAndOneTakesIt() throws Exception {
        threeAnsweringAgents();
        queue("ring_all", Map.of("ringTimeoutSeconds", 5));
        String caller = nextCaller();
        calls(caller, 3, 300);
        for (JsonNode r : records(caller, 3)) {
            List<String> ev = queueEvents(r);
            assertThat(ev.stream().filter(e -> e.startsWith("queue_offer ")).count()).as(ev.toString()).isEqualTo(3);
            assertThat(ev.stream().filter(e -> e.startsWith("queue_connect ")).count()).as(ev.toString()).isEqualTo(1);
            assertThat(r.get("queueResult").asText()).isEqualTo("answered");
        }
    }

    @Test
    void ringNoAnswerMovesOnAndPausesTheAgent() throws Exception {
        agentPhone(1, "uas_ring_cancel"); // rings, never answers: first in line
        agentPhone(2, "uas_answer");
        agentPhone(3, "uas_answer");
        queue("linear", Map.of("ringTimeoutSeconds", 5, "autoPauseAfterMissed", 1));
        String caller = nextCaller();
        calls(caller, 1, 7000); // stays through agent 1's 5 s of ringing, then talks to agent 2
        JsonNode r = records(caller, 1).get(0);
        assertThat(r.get("agentJob").asText()).isEqualTo("8002");
        List<String> ev = queueEvents(r);
        // The event log of the call, exactly: join, offer to 1, 1 rang out, offer to 2, connected to 2.
        long a1 = users.get("agent1");
        long a2 = users.get("agent2");
        assertThat(ev.stream().map(e -> e.replaceAll(" priority=\\S+| job=\\S+| device=\\S+| wait_ms=\\S+", "")).toList()).containsExactly(
                "queue_join queue=sales position=1",
                "queue_offer queue=sales agent=" + a1,
                "queue_offer_end queue=sales agent=" + a1 + " result=no_answer",
                "queue_offer queue=sales agent=" + a2,
                "queue_connect queue=sales agent=" + a2);
        assertThat(ev).anySatisfy(e -> assertThat(e).startsWith("queue_offer_end").contains("agent=" + users.get("agent1"), "result=no_answer"));
        AgentView missed = acd.agentView(enterprise, users.get("agent1")).orElseThrow();
        assertThat(missed.state()).isEqualTo(AgentState.NOT_READY);
        assertThat(missed.reason()).isEqualTo("missed");
    }

    @Test
    void aCallerWhoHangsUpWaitingIsAbandonedWithTheWaitTime() throws Exception {
        queue("ring_all", Map.of("ringTimeoutSeconds", 5));
        String caller = nextCaller();
        calls(caller, 1, 1500); // nobody logged in: waits 1.5 s, hangs up
        JsonNode r = records(caller, 1).get(0);
        assertThat(r.get("queueResult").asText()).isEqualTo("abandoned");
        // The wait runs from the join (the queue answers with music as the caller joins) to the hang-up: the answered time
        // as the server measured it, give or take the hand-off into the queue; SIPp stays 1.5 s. (A fixed 3 s ceiling raced
        // a loaded machine's BYE.)
        long talk = Duration.between(java.time.Instant.parse(r.get("answeredAt").asText()), java.time.Instant.parse(r.get("endedAt").asText())).toMillis();
        assertThat(talk).isGreaterThanOrEqualTo(1500);
        assertThat(r.get("waitMs").asLong()).as("answered %d ms", talk).isBetween(talk - 500, talk + 100);
        assertThat(queueEvents(r)).anySatisfy(e -> assertThat(e).startsWith("queue_leave").contains("result=abandoned"));
    }

    @Test
    void waitingCallersHearTheirPositionWithoutAGapInTheAudio() throws Exception {
        queue("ring_all", Map.of("ringTimeoutSeconds", 5, "announcePositionSeconds", 5, "maxWaitSeconds", 12));
        String first = nextCaller();
        String second = nextCaller();
        Sipp.Run a = peers().uac("uac_wait_bye", queueNumber, SipPeers.vars(first));
        await().atMost(Duration.ofSeconds(5)).until(() -> acd.waiting(enterprise).size() == 1);
        Sipp.Run b = peers().uac("uac_wait_bye", queueNumber, SipPeers.vars(second));
        await().atMost(Duration.ofSeconds(5)).until(() -> acd.waiting(enterprise).size() == 2);
        var channel = server.hotline().engine().channels().stream().filter(ch -> ch.caller().user().equals(second) && ch.direction() == dev.hotline.engine.call.Direction.INBOUND).findFirst().orElseThrow();
        long before = channel.counters().packetsOut();
        long t0 = System.nanoTime();
        // 8 s of music and announcements at 50 packets a second, with no gap between them.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> channel.counters().packetsOut() - before >= 400);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(8600));
        SipPeers.ok(a);
        SipPeers.ok(b);
        List<String> firstEv = queueEvents(records(first, 1).get(0));
        List<String> secondEv = queueEvents(records(second, 1).get(0));
        assertThat(firstEv.stream().filter(e -> e.startsWith("queue_announce")).toList()).hasSize(2).allMatch(e -> e.contains("position=1"));
        assertThat(secondEv.stream().filter(e -> e.startsWith("queue_announce")).toList()).hasSizeGreaterThanOrEqualTo(1)
                .allMatch(e -> e.contains("position=2") || e.contains("position=1"));
        assertThat(secondEv.get(secondEv.size() - 1)).contains("queue_leave", "result=overflow", "reason=max_wait");
    }

    @Test
    void aCallerWhoAsksForACallbackKeepsTheirPlaceAndIsCalledBackWhenAnAgentIsFree() throws Exception {
        queue("linear", Map.of("ringTimeoutSeconds", 5, "callbackKey", "*"));
        // The customer is reached through a carrier trunk of their own (route prefix 139).
        int carrier = Ports.free();
        long trunk = admin.post("/api/v1/trunks", Map.of("name", "cb-carrier", "host", "127.0.0.1", "port", carrier, "allowedIps", List.of()))
                .json().get("id").asLong();
        assertThat(admin.post("/api/v1/outbound-routes", Map.of("name", "cb", "prefix", "139", "trunkId", trunk, "priority", 1)).status())
                .isEqualTo(201);
        String caller = nextCaller();
        // Nobody is ready: the caller keys * after 1.5 s, hears the confirmation and hangs up.
        SipPeers.ok(peers().uac("uac_digits", queueNumber, SipPeers.vars(caller, "PAUSE", "1500", "AFTER", "1500",
                "DTMFACTIONS", SipPeers.dtmf("*"))));
        JsonNode first = records(caller, 1).get(0);
        assertThat(first.get("queueResult").asText()).isEqualTo("callback");
        assertThat(acd.waiting(enterprise)).singleElement().satisfies(w -> assertThat(w.callback()).isTrue());

        Sipp.Run customer = peers().uas("uas_bye", carrier, SipPeers.vars("x", "PAUSE", "1000"));
        agentPhone(1, "uas_answer"); // ready: the agent is rung first, then the customer, and they are connected
        SipPeers.ok(customer);
        JsonNode back = await("call back record").atMost(Duration.ofSeconds(20)).until(() -> {
            for (JsonNode r : admin.get("/api/v1/calls?limit=100&number=" + caller).json().get("items")) {
                if (r.get("direction").asText().equals("outbound")) return java.util.Optional.of(r);
            }
            return java.util.Optional.<JsonNode>empty();
        }, java.util.Optional::isPresent).get();
        assertThat(back.get("callee").asText()).isEqualTo(caller);
        assertThat(back.get("agentJob").asText()).isEqualTo("8001");
        assertThat(back.get("queueResult").asText()).isEqualTo("answered");
        assertThat(acd.waiting(enterprise)).isEmpty();
    }

    @Test
    void priorityFromTheFlowAndVipNumbersGoFirst() throws Exception {
        queue("linear", Map.of("ringTimeoutSeconds", 5, "vipNumbers", List.of("1397777*")));
        // A flow that sends its callers to the queue with priority 50 (ACD-3).
        long flow = admin.post("/api/v1/flows", Map.of("name", "priority_line")).json().get("id").asLong();
        var saved = admin.raw("PUT", "/api/v1/flows/" + flow + "/draft",
                "{\"start\":\"q\",\"nodes\":{\"q\":{\"type\":\"transfer\",\"target\":\"queue\",\"value\":\"sales\",\"priority\":\"50\"}}}",
                "application/json");
        assertThat(saved.json().get("problems")).as(saved.toString()).isEmpty();
        assertThat(admin.post("/api/v1/flows/" + flow + "/publish", null).status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4698", "destinationType", "flow", "destination", "priority_line")).status())
                .isEqualTo(201);
        String plain = nextCaller();
        String vip = "13977770001";
        String flowCaller = nextCaller();
        Sipp.Run a = peers().uac("uac_wait_bye", queueNumber, SipPeers.vars(plain));
        await().atMost(Duration.ofSeconds(5)).until(() -> acd.waiting(enterprise).size() == 1);
        Sipp.Run b = peers().uac("uac_wait_bye", queueNumber, SipPeers.vars(vip));
        await().atMost(Duration.ofSeconds(5)).until(() -> acd.waiting(enterprise).size() == 2);
        Sipp.Run c = peers().uac("uac_wait_bye", "4698", SipPeers.vars(flowCaller));
        await().atMost(Duration.ofSeconds(5)).until(() -> acd.waiting(enterprise).size() == 3);
        assertThat(acd.waiting(enterprise)).extracting(Acd.WaitingView::caller).containsExactly(flowCaller, vip, plain);
        // One agent whose phone hangs up after a second: served in priority order.
        agentPhoneBye(1);
        SipPeers.ok(a);
        SipPeers.ok(b);
        SipPeers.ok(c);
        List<java.time.Instant> connected = new ArrayList<>();
        for (String caller : List.of(flowCaller, vip, plain)) {
            JsonNode r = records(caller, 1).get(0);
            for (JsonNode e : admin.get("/api/v1/calls/" + r.get("callId").asText() + "/events").json()) {
                if (e.get("type").asText().equals("queue_connect")) connected.add(java.time.Instant.parse(e.get("at").asText()));
            }
        }
        assertThat(connected).hasSize(3).isSorted();
    }

    /** Agent n's phone answers and hangs up after a second. */
    void agentPhoneBye(int n) throws Exception {
        int port = Ports.free();
        Sipp.Run phone = Sipp.start(phoneDir, "uas_bye", withEngine(SipPeers.vars("x", "PAUSE", "1000")), null, port,
                List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)), "-m", "1000", "-timeout", "300"));
        Sipp.awaitUdpBound(port);
        phones.add(phone);
        peers().register("100" + n, PW, port, "200");
        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent" + n, PW);
        assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
        assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
    }

    @Test
    void theVoicemailKeyLeavesTheQueueForItsBox() throws Exception {
        queue("linear", Map.of("ringTimeoutSeconds", 5, "voicemailKey", "9"));
        String caller = nextCaller();
        // Nobody is ready: the caller keys 9 after 1.5 s, hears the box's greeting and the tone, speaks, hangs up. 9 s after
        // the key leave a message of several seconds after the greeting (under a second would be no message: MSG-1).
        SipPeers.ok(peers().uac("uac_digits", queueNumber, SipPeers.vars(caller, "PAUSE", "1500", "AFTER", "9000",
                "DTMFACTIONS", SipPeers.dtmf("9"))));
        JsonNode r = records(caller, 1).get(0);
        assertThat(r.get("queueResult").asText()).isEqualTo("voicemail");
        assertThat(queueEvents(r)).anySatisfy(e -> assertThat(e).contains("queue_leave", "result=voicemail", "destination=voicemail:queue:sales"));
        JsonNode message = await("voicemail of " + caller).atMost(Duration.ofSeconds(15)).until(() -> {
            for (JsonNode m : admin.get("/api/v1/voicemail").json()) if (caller.equals(m.path("caller").asText())) return m;
            return null;
        }, m -> m != null);
        assertThat(message.toString()).contains("sales");
        // The key that left the queue does not end the message at the tone (it was typed ahead): ~6 s after the greeting.
        assertThat(message.get("durationMs").asLong()).as(message.toString()).isGreaterThan(3000);
    }

    @Test
    void theCallerHearsTheAgentsJobNumberBeforeBeingConnected() throws Exception {
        agentPhone(1, "uas_answer");
        queue("linear", Map.of("ringTimeoutSeconds", 5, "agentAnnounce", true));
        String caller = nextCaller();
        // The agent hears the announcement too (issue 14): audio flows to the agent's answered leg before it is bridged.
        Set<String> offeredLegs = ConcurrentHashMap.newKeySet();
        acd.addListener(new Acd.Listener() {
            public void agentChanged(long enterpriseId, AgentView agent) {}

            public void offered(long enterpriseId, long userId, Acd.Offered offer) {
                offeredLegs.add(offer.legId());
            }
        });
        AtomicLong heardBeforeBridge = new AtomicLong();
        var call = CompletableFuture.runAsync(() -> {
            try {
                calls(caller, 1, 5000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await("audio to the agent during the announcement").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
            for (String leg : offeredLegs) {
                var ch = server.hotline().engine().channel(leg);
                if (ch.isPresent() && ch.get().bridgedWith().isEmpty()) heardBeforeBridge.accumulateAndGet(ch.get().counters().packetsOut(), Math::max);
            }
            return heardBeforeBridge.get() >= 50 || call.isDone();
        });
        call.get(60, TimeUnit.SECONDS);
        // 50 packets are 1 s of the ≈2.5 s announcement; without it the agent's leg gets nothing until the bridge.
        assertThat(heardBeforeBridge.get()).as("packets sent to the agent before the caller was connected").isGreaterThanOrEqualTo(50);
        JsonNode r = records(caller, 1).get(0);
        java.time.Instant agentAnswered = null;
        java.time.Instant connected = null;
        String agentLeg = null;
        for (JsonNode e : admin.get("/api/v1/calls/" + r.get("callId").asText() + "/events").json()) {
            String type = e.get("type").asText();
            if (type.equals("queue_offer")) agentLeg = e.get("channelId").asText();
            if (type.equals("answered") && e.get("channelId").asText().equals(agentLeg)) agentAnswered = java.time.Instant.parse(e.get("at").asText());
            if (type.equals("queue_connect")) connected = java.time.Instant.parse(e.get("at").asText());
        }
        // "工号 8001 为您服务" plays to the caller between the agent's answer and the connection (ACD-7).
        assertThat(Duration.between(agentAnswered, connected)).isGreaterThan(Duration.ofMillis(1500)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aFullQueueAndAQueueWithNobodyLoggedInSendCallersOn() throws Exception {
        // Nobody logged in: the join-empty rule sends the caller to the queue's voicemail at once.
        queue("linear", Map.of("ringTimeoutSeconds", 5, "noAgents", Map.of("type", "voicemail", "value", "queue:sales")));
        String empty = nextCaller();
        SipPeers.ok(peers().uac("uac_call", queueNumber, SipPeers.vars(empty, "PAUSE", "4000")));
        JsonNode r = records(empty, 1).get(0);
        assertThat(r.get("queueResult").asText()).isEqualTo("overflow");
        assertThat(queueEvents(r)).anySatisfy(e -> assertThat(e).contains("queue_leave", "reason=no_agents", "destination=voicemail:queue:sales"));

        // Room for one caller: the second goes on (hang-up) at once, the first waits.
        agentPhone(1, "uas_answer");
        var agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        assertThat(agent.put("/api/v1/agent/state", Map.of("state", "not_ready", "reason", "break")).status()).isEqualTo(200);
        queue("linear", Map.of("ringTimeoutSeconds", 5, "maxCallers", 1, "overflow", Map.of("type", "hangup")));
        String first = nextCaller();
        String second = nextCaller();
        Sipp.Run waiting = peers().uac("uac_call", queueNumber, SipPeers.vars(first, "PAUSE", "3000"));
        await().atMost(Duration.ofSeconds(5)).until(() -> acd.waiting(enterprise).size() == 1);
        // Hung up within a millisecond of its ACK: a caller without media to start (SIPp would call a BYE during that unexpected).
        SipPeers.ok(peers().uac("uac_silent_wait_bye", queueNumber, SipPeers.vars(second)));
        SipPeers.ok(waiting);
        assertThat(queueEvents(records(second, 1).get(0))).anySatisfy(e -> assertThat(e).contains("queue_leave", "reason=full", "destination=hangup"));
        assertThat(records(first, 1).get(0).get("queueResult").asText()).isEqualTo("abandoned");
    }

    @Test
    void aReturningCallerGoesToTheAgentWhoServedThemLast() throws Exception {
        queue("linear", Map.of("ringTimeoutSeconds", 5, "stickySeconds", 10));
        agentPhone(2, "uas_answer");
        String returning = nextCaller();
        calls(returning, 1, 300);
        assertThat(records(returning, 1).get(0).get("agentJob").asText()).isEqualTo("8002");
        agentPhone(1, "uas_answer");
        agentPhone(3, "uas_answer");
        // Linear would offer agent 1 first: the returning caller gets agent 2 again (ACD-4), a new caller agent 1.
        calls(returning, 1, 300);
        String newcomer = nextCaller();
        calls(newcomer, 1, 300);
        assertThat(records(returning, 2).get(1).get("agentJob").asText()).isEqualTo("8002");
        assertThat(records(newcomer, 1).get(0).get("agentJob").asText()).isEqualTo("8001");
    }

    @Test
    void maxWaitOverflowsAndWrapUpBlocksOffers() throws Exception {
        agentPhone(1, "uas_answer");
        queue("linear", Map.of("ringTimeoutSeconds", 5, "wrapUpSeconds", 3, "maxWaitSeconds", 2));
        String first = nextCaller();
        calls(first, 1, 300);
        assertThat(records(first, 1).get(0).get("agentJob").asText()).isEqualTo("8001");
        // Agent 1 is in wrap-up for 3 s: the next caller is not offered and overflows after 2 s (hang-up).
        await().atMost(Duration.ofSeconds(5)).until(() -> acd.agentView(enterprise, users.get("agent1")).orElseThrow().state() == AgentState.WRAP_UP);
        String second = nextCaller();
        SipPeers.ok(peers().uac("uac_wait_bye", queueNumber, SipPeers.vars(second)));
        JsonNode r = records(second, 1).get(0);
        assertThat(r.get("queueResult").asText()).isEqualTo("overflow");
        assertThat(queueEvents(r)).noneMatch(e -> e.startsWith("queue_offer "))
                .anySatisfy(e -> assertThat(e).contains("reason=max_wait", "destination=hangup"));
        await().atMost(Duration.ofSeconds(5)).until(() -> acd.agentView(enterprise, users.get("agent1")).orElseThrow().state() == AgentState.READY);
    }

    /** The agent's own state over HTTP (AGENT-1): state and reason. */
    String stateOf(int n) {
        JsonNode v = ApiClient.loggedIn(server.baseUrl(), "demo", "agent" + n, PW).get("/api/v1/agent/state").json();
        return v.get("state").asText() + (v.hasNonNull("reason") ? " " + v.get("reason").asText() : "");
    }

    @Test
    void featureCodesFromAPhoneLogInGoReadyOrNotReadyWithTheDefaultReasonAndLogOut() throws Exception {
        int port = Ports.free();
        phones.add(peers().uas("uas_answer", port, SipPeers.vars("x")));
        peers().register("1002", PW, port, "200");
        // Each code is a call from extension 1002 that hears a confirmation and is hung up by the server.
        java.util.function.Consumer<String> dial = code -> {
            try {
                SipPeers.ok(peers().uac("uac_auth_wait_bye", code, SipPeers.vars("1002"), "-au", "1002", "-ap", PW));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertThat(stateOf(2)).isEqualTo("logged_out");
        dial.accept("*21");
        JsonNode session = ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", PW).get("/api/v1/agent/state").json();
        assertThat(session.get("device").asText()).isEqualTo("sip");
        assertThat(session.get("state").asText()).isEqualTo("not_ready");
        dial.accept("*23");
        assertThat(stateOf(2)).isEqualTo("ready");
        dial.accept("*24");
        assertThat(stateOf(2)).as("not ready with the default reason").isEqualTo("not_ready break");
        dial.accept("*23");
        assertThat(stateOf(2)).isEqualTo("ready");
        dial.accept("*22");
        assertThat(stateOf(2)).isEqualTo("logged_out");
        // Every change is in the agent's log, caused by the agent.
        JsonNode log = admin.get("/api/v1/agents/" + users.get("agent2") + "/events?limit=10").json();
        assertThat(log.toString()).contains("logged_out", "break");
    }

    @Test
    void skillsPickTheBestMatchingAgentAndTheSearchWidensAfterTheConfiguredTime() throws Exception {
        threeAnsweringAgents();
        // Billing 4 or better: agent 1 (billing 3) is first in line for linear but lacks the level; agent 2 (5) beats agent 3 (4).
        queue("linear", Map.of("ringTimeoutSeconds", 5, "skills", List.of(Map.of("skill", "billing", "minLevel", 4))));
        String best = nextCaller();
        calls(best, 1, 300);
        JsonNode r = records(best, 1).get(0);
        assertThat(r.get("agentJob").asText()).isEqualTo("8002");
        assertThat(queueEvents(r).stream().filter(e -> e.startsWith("queue_offer ")).toList()).singleElement()
                .satisfies(e -> assertThat(e).contains("agent=" + users.get("agent2")));

        // English 3 or better: only agent 1 (5) has it, and they go not ready. Nobody is offered the call until the search
        // widens after 3 s; then any member may take it: linear order, agent 2 (English 2) first.
        assertThat(ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW).put("/api/v1/agent/state",
                Map.of("state", "not_ready", "reason", "break")).status()).isEqualTo(200);
        queue("linear", Map.of("ringTimeoutSeconds", 5, "skills", List.of(Map.of("skill", "english", "minLevel", 3)), "widenSkillsAfterSeconds", 3));
        String widened = nextCaller();
        calls(widened, 1, 6000);
        JsonNode w = records(widened, 1).get(0);
        assertThat(w.get("agentJob").asText()).isEqualTo("8002");
        java.time.Instant joined = null;
        java.time.Instant offered = null;
        for (JsonNode e : admin.get("/api/v1/calls/" + w.get("callId").asText() + "/events").json()) {
            if (e.get("type").asText().equals("queue_join")) joined = java.time.Instant.parse(e.get("at").asText());
            if (e.get("type").asText().equals("queue_offer") && offered == null) offered = java.time.Instant.parse(e.get("at").asText());
        }
        // The widening timer cannot fire early: the first offer comes 3 s after the join or later, never before.
        assertThat(Duration.between(joined, offered)).isGreaterThanOrEqualTo(Duration.ofMillis(3000));
        assertThat(queueEvents(w).stream().filter(e -> e.startsWith("queue_offer ")).toList()).singleElement()
                .satisfies(e -> assertThat(e).contains("agent=" + users.get("agent2")));
    }

    /** Music on hold of the enterprise replaced by silence, so that what a waiting caller hears is the announcements alone. */
    String silentMusic() throws Exception {
        byte[] silence = new byte[8000 * 2 * 10];
        var out = new java.io.ByteArrayOutputStream();
        javax.sound.sampled.AudioSystem.write(new javax.sound.sampled.AudioInputStream(new java.io.ByteArrayInputStream(silence),
                new javax.sound.sampled.AudioFormat(8000, 16, 1, true, false), silence.length / 2), javax.sound.sampled.AudioFileFormat.Type.WAVE, out);
        String boundary = "----hotline" + System.nanoTime();
        var body = new java.io.ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"silence.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        body.write(out.toByteArray());
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String csrf = admin.get("/api/v1/me").json().get("csrfToken").asText();
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl() + "/api/v1/moh"))
                .header("Cookie", admin.cookieHeader()).header("X-CSRF-Token", csrf).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
        return Json.MAPPER.readTree(r.body()).get("name").asText();
    }

    /** A caller waits in the queue until it has heard {@code count} announcements; returns them as [start, end) ms of RTP time. */
    List<long[]> announcementsHeard(String caller, int count) throws Exception {
        try (RtpCaller c = RtpCaller.call(server.hotline().engine().sipPort(), caller, queueNumber)) {
            List<long[]> heard = await("announcements").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(50)).until(() -> {
                List<long[]> s = c.soundSpans(0, 700);
                List<RtpCaller.Heard> all = c.heard();
                long heardMs = all.isEmpty() ? 0 : ((all.get(all.size() - 1).timestamp() - all.get(0).timestamp()) & 0xffffffffL) / 8;
                return s.size() >= count && heardMs - s.get(count - 1)[1] >= 700 ? s.subList(0, count) : null;
            }, x -> x != null);
            c.bye();
            return heard;
        }
    }

    @Test
    void aWaitingCallerHearsThePeriodicMessageAndTheExpectedWaitAtTheirIntervals() throws Exception {
        String music = silentMusic();
        try {
            long phrase;
            try (dev.hotline.ivr.Ivr ivr = new dev.hotline.ivr.Ivr(phoneDir)) {
                phrase = ivr.shipped(dev.hotline.engine.tts.Language.ZH, dev.hotline.engine.tts.PromptKey.PLEASE_HOLD).duration().toMillis();
            }
            // ACD-6 periodic message (a shipped phrase) every 10 s (the shortest period allowed). The timer never fires early,
            // and a late one still comes before the next period: the n-th message is heard in the n-th period of the wait,
            // in RTP time of what the caller heard (silent music keeps the packets coming). That time counts from the first
            // packet, which comes with the music a moment after the join starts the timer (~0.3 s measured): half a second
            // is allowed for it. Each message is the phrase, as long as the shipped clip (a frame either way where G.711
            // tips the edge of the speech).
            queue("linear", Map.of("ringTimeoutSeconds", 5, "periodicText", "PLEASE_HOLD", "periodicSeconds", 10));
            String first = nextCaller();
            List<long[]> periodic = announcementsHeard(first, 2);
            for (int n = 1; n <= 2; n++) {
                long[] m = periodic.get(n - 1);
                assertThat(m[0]).as("start of message %d", n).isBetween(n * 10_000L - 500, (n + 1) * 10_000L);
                assertThat(m[1] - m[0]).as("length of message %d, phrase %d ms", n, phrase).isBetween(phrase - 80, phrase + 40);
            }
            JsonNode abandoned = records(first, 1).get(0);
            assertThat(queueEvents(abandoned)).noneMatch(e -> e.startsWith("queue_announce"));

            // Position and expected wait every 6 s: heard at the same intervals, and logged as queue_announce (RPT-1) once each.
            queue("linear", Map.of("ringTimeoutSeconds", 5, "announcePositionSeconds", 6));
            String second = nextCaller();
            List<long[]> spoken = announcementsHeard(second, 2);
            for (int n = 1; n <= 2; n++) {
                long[] m = spoken.get(n - 1);
                assertThat(m[0]).as("start of announcement %d", n).isBetween(n * 6000L - 500, (n + 1) * 6000L);
                assertThat(m[1] - m[0]).as("announcement %d is speech", n).isGreaterThan(1000);
            }
            List<String> announced = queueEvents(records(second, 1).get(0)).stream().filter(e -> e.startsWith("queue_announce")).toList();
            assertThat(announced).hasSize(2).allSatisfy(e -> assertThat(e).contains("position=1", "expected_s="));
        } finally {
            assertThat(admin.delete("/api/v1/moh/" + music).status()).isEqualTo(204);
        }
    }
}
