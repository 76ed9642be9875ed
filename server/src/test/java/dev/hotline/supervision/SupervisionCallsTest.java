package dev.hotline.supervision;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.hotline.testing.Chromium.tid;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.acd.Acd;
import dev.hotline.acd.AgentState;
import dev.hotline.acd.AgentView;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.Chromium;
import dev.hotline.testing.CtiClient;
import dev.hotline.testing.RtpCaller;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.nio.file.Files;
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
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * SUP-2 end to end: a customer (RtpCaller, speaking a 400 Hz tone) in the demo queue talks with agent 1,
 * whose SIPp phone sends no audio; the supervisor "lead" supervises from a SIPp phone registered as their
 * extension that echoes what it hears. So the customer hears something only when the supervisor is heard
 * by them: nothing while the supervisor listens or whispers, their own tone back once the supervisor barges
 * in or takes the call over.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SupervisionCallsTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static final String QUEUE_NUMBER = "4696";
    static final String LEAD_EXTENSION = "1009";
    static final String LEAD_SIP_PW = "lead-phone-pw-9";
    TestServer server;
    ApiClient admin;
    ApiClient lead;
    Acd acd;
    long enterprise;
    long agent1;
    long agent2;
    Path phoneDir;
    final List<Sipp.Run> phones = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        // Phones on 127.0.0.1 belong to demo even once a second enterprise exists (the isolation checks make one).
        server = TestServer.start(TestDatabases.Kind.H2, Map.of("sip.default.enterprise", "demo"));
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        lead = ApiClient.loggedIn(server.baseUrl(), "demo", "lead", PW);
        acd = server.hotline().acd();
        phoneDir = Files.createTempDirectory("supervision-phones");
        enterprise = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
        agent1 = userId("agent1");
        agent2 = userId("agent2");
        long queueId = -1;
        for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("sales")) queueId = q.get("id").asLong();
        // No announcement to the caller: what the customer hears comes from the agent (nothing) and the supervisor only.
        var put = admin.put("/api/v1/queues/" + queueId, Map.of("name", "sales", "strategy", "linear", "settings", Map.of("ringTimeoutSeconds", 30)));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", QUEUE_NUMBER, "destinationType", "queue", "destination", "sales")).status())
                .isEqualTo(201);
        var ext = admin.post("/api/v1/extensions", Map.of("number", LEAD_EXTENSION, "userId", userId("lead"), "sipPassword", LEAD_SIP_PW, "enabled", true));
        assertThat(ext.status()).as(ext.toString()).isEqualTo(201);
        acd.settle();
    }

    @AfterAll
    void stop() {
        phones.forEach(Sipp.Run::kill);
        server.close();
    }

    @AfterEach
    void cleanUp() {
        server.hotline().engine().channels().forEach(ch -> ch.hangup(HangupCause.NORMAL_CLEARING));
        await().atMost(Duration.ofSeconds(10)).until(() -> server.hotline().engine().channels().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> acd.agents(enterprise).stream()
                .noneMatch(a -> a.state() == AgentState.ON_CALL || a.state() == AgentState.RINGING));
        phones.forEach(Sipp.Run::kill);
        phones.clear();
        for (long user : List.of(agent1, userId("lead"))) {
            try {
                acd.logout(enterprise, user, "agent");
            } catch (RuntimeException e) {
                // not signed in
            }
        }
    }

    ApiClient otherEnterprisesAdmin() {
        ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", PW);
        var made = operator.post("/api/v1/enterprises", Map.of("code", "acme-sup", "name", "Acme", "adminUsername", "boss", "adminPassword", "acme-pass-1"));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        return ApiClient.loggedIn(server.baseUrl(), "acme-sup", "boss", "acme-pass-1");
    }

    long userId(String username) {
        for (JsonNode u : admin.get("/api/v1/users").json()) if (u.get("username").asText().equals(username)) return u.get("id").asLong();
        throw new AssertionError("no user " + username);
    }

    SipPeers peers() {
        return new SipPeers(phoneDir, server.hotline().engine().sipPort());
    }

    /** A SIPp phone that answers every call, registered as {@code extension}; {@code echo}: it sends back what it hears. */
    void phone(String extension, String password, boolean echo) throws Exception {
        phone(extension, password, "uas_answer", echo);
    }

    /** As {@link #phone(String, String, boolean)}, running {@code scenario} for each call. */
    void phone(String extension, String password, String scenario, boolean echo) throws Exception {
        phone(extension, password, scenario, echo, Map.of());
    }

    /** As {@link #phone(String, String, String, boolean)}, with the scenario's own variables {@code extra}. */
    void phone(String extension, String password, String scenario, boolean echo, Map<String, String> extra) throws Exception {
        int port = Ports.free();
        var vars = SipPeers.vars("x");
        vars.putAll(extra);
        vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
        List<String> args = new ArrayList<>(List.of("-mp", Integer.toString(Ports.free(4)), "-m", "1000", "-timeout", "300"));
        if (echo) args.add("-rtp_echo");
        Sipp.Run phone = Sipp.start(phoneDir, scenario, vars, null, port, args);
        Sipp.awaitUdpBound(port);
        phones.add(phone);
        peers().register(extension, password, port, "200");
    }

    /** Agent 1 on a silent SIP phone, ready; the lead's echoing phone registered; a customer talking with agent 1. */
    RtpCaller customerTalkingWithAgent1(String number) throws Exception {
        return customerTalkingWithAgent1(number, "uas_answer", Map.of());
    }

    /** As {@link #customerTalkingWithAgent1(String)}, the lead's phone running {@code leadScenario} with {@code vars}. */
    RtpCaller customerTalkingWithAgent1(String number, String leadScenario, Map<String, String> vars) throws Exception {
        phone("1001", PW, false);
        phone(LEAD_EXTENSION, LEAD_SIP_PW, leadScenario, true, vars);
        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
        assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
        RtpCaller customer = RtpCaller.call(server.hotline().engine().sipPort(), number, QUEUE_NUMBER);
        customer.tone(60_000);
        await("agent 1 talking").atMost(Duration.ofSeconds(15))
                .until(() -> acd.agentView(enterprise, agent1).map(a -> a.state() == AgentState.ON_CALL).orElse(false));
        return customer;
    }

    /** The customer hears nothing loud for 1.5 s (from now on). */
    static void hearsNothing(RtpCaller customer, String when) {
        int from = customer.heard().size();
        await(when).during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> loud(customer, from) == 0);
    }

    /** The customer hears sound (their own tone, echoed by the supervisor's phone) within 3 s. */
    static void hearsTheSupervisor(RtpCaller customer, String when) {
        int from = customer.heard().size();
        await(when).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(() -> loud(customer, from) >= 10);
    }

    static long loud(RtpCaller customer, int from) {
        List<RtpCaller.Heard> all = customer.heard();
        return all.subList(Math.min(from, all.size()), all.size()).stream().filter(h -> h.rms() >= RtpCaller.SOUND_RMS).count();
    }

    JsonNode active(String id) {
        return await("supervision " + id + " active").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (JsonNode s : lead.get("/api/v1/supervision").json()) if (s.get("id").asText().equals(id)) return s;
            return null;
        }, s -> s != null && s.get("state").asText().equals("active"));
    }

    List<String> supervisionEvents(String caller) {
        JsonNode record = await("the call record").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> admin.get("/api/v1/calls?limit=5&number=" + caller).json().get("items"), items -> items.size() == 1).get(0);
        List<String> out = new ArrayList<>();
        for (JsonNode e : admin.get("/api/v1/calls/" + record.get("callId").asText() + "/events").json()) {
            if (e.get("type").asText().equals("supervision")) out.add(e.get("data").asText());
        }
        return out;
    }

    @Test
    void theSupervisorListensWhispersBargesLeavesAndTakesTheCallOver() throws Exception {
        String caller = "13600000001";
        long leadId = userId("lead");
        // The enterprise tells its agents (SUP-2 setting): agent 1's desk hears of each step.
        assertThat(lead.put("/api/v1/settings/supervision", Map.of("tellAgent", true)).status()).as("a supervisor may change it").isEqualTo(200);
        assertThat(ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", PW).put("/api/v1/settings/supervision", Map.of("tellAgent", false)).status())
                .isEqualTo(403);
        assertThat(admin.put("/api/v1/settings/supervision", Map.of()).status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/settings/supervision").json().get("tellAgent").asBoolean()).isTrue();
        ApiClient agent1Api = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        try (CtiClient desk = CtiClient.connect(agent1Api, server.baseUrl()); RtpCaller customer = customerTalkingWithAgent1(caller)) {
            hearsNothing(customer, "agent 1 is silent");

            var started = lead.post("/api/v1/supervision", Map.of("agentId", agent1, "mode", "listen"));
            assertThat(started.status()).as(started.toString()).isEqualTo(201);
            String id = started.json().get("id").asText();
            assertThat(started.json().get("agentUserId").asLong()).isEqualTo(agent1);
            JsonNode on = active(id);
            assertThat(on.get("mode").asText()).isEqualTo("listen");
            Channel supervisorLeg = server.hotline().engine().channel(id).orElseThrow();
            long out0 = supervisorLeg.counters().packetsOut();
            await("audio to the supervisor").atMost(Duration.ofSeconds(3)).until(() -> supervisorLeg.counters().packetsOut() - out0 >= 50);
            hearsNothing(customer, "listening: the supervisor is heard by nobody");

            // Another enterprise's admin neither sees nor touches it (ADM-1), nor hangs up the agent's call.
            ApiClient acme = otherEnterprisesAdmin();
            assertThat(acme.get("/api/v1/supervision").json()).isEmpty();
            assertThat(acme.put("/api/v1/supervision/" + id, Map.of("mode", "barge")).status()).isEqualTo(404);
            assertThat(acme.post("/api/v1/supervision/" + id + "/takeover", Map.of()).status()).isEqualTo(404);
            assertThat(acme.delete("/api/v1/supervision/" + id).status()).isEqualTo(404);
            assertThat(acme.post("/api/v1/agents/" + agent1 + "/hangup", Map.of()).status()).isEqualTo(404);
            assertThat(acme.post("/api/v1/supervision", Map.of("agentId", agent1, "mode", "listen")).status()).isEqualTo(404);
            assertThat(lead.get("/api/v1/supervision").json().get(0).get("mode").asText()).isEqualTo("listen");
            hearsNothing(customer, "still listening after the other enterprise's attempts");

            var whisper = lead.put("/api/v1/supervision/" + id, Map.of("mode", "whisper"));
            assertThat(whisper.status()).as(whisper.toString()).isEqualTo(200);
            assertThat(whisper.json().get("mode").asText()).isEqualTo("whisper");
            hearsNothing(customer, "whispering: only the agent hears the supervisor");

            assertThat(lead.put("/api/v1/supervision/" + id, Map.of("mode", "barge")).status()).isEqualTo(200);
            hearsTheSupervisor(customer, "barged in: the customer hears the supervisor");

            assertThat(lead.delete("/api/v1/supervision/" + id).status()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(5)).until(() -> server.hotline().engine().channel(id).isEmpty());
            assertThat(lead.get("/api/v1/supervision").json()).isEmpty();
            hearsNothing(customer, "the supervisor left: back to the silent agent");
            assertThat(acd.agentView(enterprise, agent1).orElseThrow().state()).isEqualTo(AgentState.ON_CALL);

            // Take over: the agent's leg ends, the customer talks with the supervisor.
            String again = lead.post("/api/v1/supervision", Map.of("agentId", agent1, "mode", "listen")).json().get("id").asText();
            active(again);
            var taken = lead.post("/api/v1/supervision/" + again + "/takeover", Map.of());
            assertThat(taken.status()).as(taken.toString()).isEqualTo(200);
            hearsTheSupervisor(customer, "taken over: the customer talks with the supervisor");
            await("agent 1 freed").atMost(Duration.ofSeconds(5))
                    .until(() -> acd.agentView(enterprise, agent1).map(a -> a.state() != AgentState.ON_CALL).orElse(false));
            assertThat(server.hotline().engine().channel(again)).as("the supervisor's leg stays up").isPresent();
            customer.bye();
            List<String> told = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                JsonNode m = desk.next("call.supervised");
                told.add(m.get("mode").isNull() ? "none" : m.get("mode").asText());
            }
            assertThat(told).as("what agent 1's desk was told").containsExactly("listen", "whisper", "barge", "none", "listen");
        } finally {
            assertThat(admin.put("/api/v1/settings/supervision", Map.of("tellAgent", false)).status()).isEqualTo(200);
        }
        assertThat(supervisionEvents(caller)).containsExactly(
                "action=listen supervisor=" + leadId, "action=whisper supervisor=" + leadId, "action=barge supervisor=" + leadId,
                "action=end supervisor=" + leadId, "action=listen supervisor=" + leadId, "action=takeover supervisor=" + leadId);
        String callId = admin.get("/api/v1/calls?limit=5&number=" + caller).json().get("items").get(0).get("callId").asText();
        List<String> audit = new ArrayList<>();
        for (JsonNode e : admin.get("/api/v1/audit?action=call.&limit=100").json().get("items")) {
            if (e.get("username").asText().equals("lead") && e.path("detail").asText().equals("call=" + callId)) audit.add(0, e.get("action").asText());
        }
        assertThat(audit).containsExactly("call.listen", "call.whisper", "call.barge", "call.leave", "call.listen", "call.takeover");

        // SUP-1: the monitor's offered / answered of an agent are today's from the event log, the agents report's numbers.
        await("the report caught up").atMost(Duration.ofSeconds(5)).until(() -> {
            JsonNode report = admin.get("/api/v1/reports/agents?tz=" + java.time.ZoneId.systemDefault().getId()).json();
            JsonNode row = null;
            for (JsonNode r : report.get("rows")) if (r.get("agentId").asLong() == agent1) row = r;
            JsonNode live = null;
            for (JsonNode a : lead.get("/api/v1/monitor").json().get("agents")) if (a.get("userId").asLong() == agent1) live = a;
            return row != null && live != null && row.get("answered").asLong() >= 1
                    && live.get("offered").asLong() == row.get("offered").asLong() && live.get("answered").asLong() == row.get("answered").asLong();
        });
    }

    @Test
    void theAgentHearsAWhisperButNotAListeningSupervisor() throws Exception {
        // Agent 1's phone sends back what it hears and the lead's phone talks (SIPp's voice sample), the customer is
        // silent: whatever the customer hears is the lead's voice as agent 1 heard it.
        phone("1001", PW, true);
        phone(LEAD_EXTENSION, LEAD_SIP_PW, "uas_answer_voice", false);
        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
        assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
        try (RtpCaller customer = RtpCaller.call(server.hotline().engine().sipPort(), "13500000095", QUEUE_NUMBER)) {
            customer.quiet(60_000);
            await("agent 1 talking").atMost(Duration.ofSeconds(15))
                    .until(() -> acd.agentView(enterprise, agent1).map(a -> a.state() == AgentState.ON_CALL).orElse(false));
            hearsNothing(customer, "agent 1 alone, hearing silence");
            String id = lead.post("/api/v1/supervision", Map.of("agentId", agent1, "mode", "listen")).json().get("id").asText();
            active(id);
            hearsNothing(customer, "listening: agent 1 does not hear the lead");
            assertThat(lead.put("/api/v1/supervision/" + id, Map.of("mode", "whisper")).status()).isEqualTo(200);
            hearsTheSupervisor(customer, "whispering: agent 1 hears the lead (and sends it back)");
            // The lead leaves and comes back whispering from the start: agent 1 hears the lead again.
            assertThat(lead.delete("/api/v1/supervision/" + id).status()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(5)).until(() -> lead.get("/api/v1/supervision").json().isEmpty());
            hearsNothing(customer, "the lead left");
            String again = lead.post("/api/v1/supervision", Map.of("agentId", agent1, "mode", "whisper")).json().get("id").asText();
            assertThat(active(again).get("mode").asText()).isEqualTo("whisper");
            hearsTheSupervisor(customer, "whispering again");
            customer.bye();
        }
    }

    @Test
    void theSupervisorHangsUpTheCallAndBadRequestsAreRefusedClearly() throws Exception {
        String caller = "13600000002";
        ApiClient agent2Api = ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", PW);
        // Nobody is on a call yet.
        assertThat(lead.post("/api/v1/supervision", Map.of("agentId", agent1, "mode", "listen")).status()).isEqualTo(409);
        try (RtpCaller customer = customerTalkingWithAgent1(caller)) {
            String customerLeg = server.hotline().engine().channels().stream().filter(ch -> ch.caller().user().equals(caller))
                    .findFirst().orElseThrow().id();
            assertThat(agent2Api.post("/api/v1/supervision", Map.of("agentId", agent1, "mode", "listen")).status())
                    .as("an agent may not supervise").isEqualTo(403);
            assertThat(agent2Api.post("/api/v1/agents/" + agent1 + "/hangup", Map.of()).status()).isEqualTo(403);
            var badMode = lead.post("/api/v1/supervision", Map.of("agentId", agent1, "mode", "shout"));
            assertThat(badMode.status()).isEqualTo(400);
            assertThat(badMode.body()).contains("mode");
            assertThat(lead.post("/api/v1/supervision", Map.of("mode", "listen")).status()).isEqualTo(400);
            assertThat(lead.post("/api/v1/supervision", Map.of("agentId", 987654, "mode", "listen")).status()).isEqualTo(404);
            assertThat(lead.put("/api/v1/supervision/no-such-leg", Map.of("mode", "barge")).status()).isEqualTo(404);
            assertThat(lead.post("/api/v1/supervision/no-such-leg/takeover", Map.of()).status()).isEqualTo(404);
            assertThat(acd.agentView(enterprise, agent1).orElseThrow().state()).as("nothing above touched the call").isEqualTo(AgentState.ON_CALL);

            assertThat(lead.post("/api/v1/agents/" + agent1 + "/hangup", Map.of()).status()).isEqualTo(204);
            await("the customer hung up").atMost(Duration.ofSeconds(5)).until(() -> server.hotline().engine().channel(customerLeg).isEmpty());
            await("agent 1 freed").atMost(Duration.ofSeconds(5))
                    .until(() -> acd.agentView(enterprise, agent1).map(a -> a.state() != AgentState.ON_CALL).orElse(false));
        }
        assertThat(supervisionEvents(caller)).containsExactly("action=hangup supervisor=" + userId("lead"));
        assertThat(admin.get("/api/v1/audit?action=call.hangup&limit=5").json().get("items").get(0).get("target").asText()).isEqualTo("agent1");
    }

    /**
     * SUP-2 and ACD-8: the lead is a ready member of sales; while supervising agent 1's call the lead is on a call in the
     * ACD (cause "supervision"), so a second caller of sales waits rather than being offered to the lead; once the lead
     * leaves, the lead is ready again and that caller is offered to (and answered by) the lead's phone.
     */
    @Test
    void aSupervisingSupervisorIsBusyInTheAcdAndFreeAgainAfterwards() throws Exception {
        String caller = "13600000004";
        String second = "13600000005";
        long leadId = userId("lead");
        long salesId = -1;
        for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("sales")) salesId = q.get("id").asLong();
        var member = admin.put("/api/v1/queues/" + salesId + "/members/" + leadId, Map.of("penalty", 0));
        assertThat(member.status()).as(member.toString()).isEqualTo(200);
        acd.settle();
        try (RtpCaller customer = customerTalkingWithAgent1(caller)) {
            String firstCall = acd.agentView(enterprise, agent1).orElseThrow().callId();
            // The lead signs in on the desk with the SIP phone of extension 1009 and is ready: a queue member free for calls.
            assertThat(lead.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            assertThat(lead.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
            await("the lead ready").atMost(Duration.ofSeconds(5))
                    .until(() -> acd.agentView(enterprise, leadId).map(a -> a.state() == AgentState.READY).orElse(false));

            String id = lead.post("/api/v1/supervision", Map.of("agentId", agent1, "mode", "listen")).json().get("id").asText();
            active(id);
            var supervising = acd.agentView(enterprise, leadId).orElseThrow();
            assertThat(supervising.state()).as("the supervising lead is on a call").isEqualTo(AgentState.ON_CALL);
            assertThat(supervising.callId()).as("the call the lead supervises").isEqualTo(firstCall);
            assertThat(lead.put("/api/v1/supervision/" + id, Map.of("mode", "whisper")).status()).isEqualTo(200);

            try (RtpCaller waiting = RtpCaller.call(server.hotline().engine().sipPort(), second, QUEUE_NUMBER)) {
                waiting.quiet(60_000);
                await("the second caller queued").atMost(Duration.ofSeconds(10))
                        .until(() -> acd.waiting(enterprise).stream().anyMatch(w -> w.caller().equals(second)));
                await("the second caller is not offered to the supervising lead").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> acd.waiting(enterprise).stream().anyMatch(w -> w.caller().equals(second))
                                && acd.agentView(enterprise, leadId).map(a -> a.state() == AgentState.ON_CALL && firstCall.equals(a.callId()))
                                .orElse(false));

                assertThat(lead.delete("/api/v1/supervision/" + id).status()).isEqualTo(204);
                await("the lead, free again, takes the second caller").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> acd.waiting(enterprise).isEmpty() && acd.agentView(enterprise, leadId)
                                .map(a -> a.state() == AgentState.ON_CALL && a.callId() != null && !a.callId().equals(firstCall)).orElse(false));
                assertThat(acd.agentView(enterprise, agent1).orElseThrow().state()).as("agent 1 still with the customer").isEqualTo(AgentState.ON_CALL);
                waiting.bye();
            }
            customer.bye();
        } finally {
            assertThat(admin.delete("/api/v1/queues/" + salesId + "/members/" + leadId).status()).isEqualTo(204);
            acd.settle();
        }
        // The lead's state log: every change through the ACD's one state change, the supervision's with its own cause.
        List<String> log = await("the lead's state log").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<String> out = new ArrayList<>();
            for (JsonNode r : admin.get("/api/v1/reports/states?agent=" + leadId + "&limit=1000").json().get("rows")) {
                out.add(r.get("state").asText() + "/" + r.get("cause").asText());
            }
            return out;
        }, l -> l.contains("ringing/call") && l.stream().filter(x -> x.startsWith("on_call/")).count() == 2);
        assertThat(log).as("the lead's state log").containsSubsequence("ready/agent", "on_call/supervision", "ready/call", "ringing/call", "on_call/call");
    }

    /**
     * SUP-2 and ACD-8: a supervisor in wrap-up when the supervision starts is kept from the queues like a ready one. The
     * lead, the only member of a queue with 3 s of wrap-up, answers a call of it and is in wrap-up when they start listening
     * to agent 1's call; the supervision leaves the lead in wrap-up; when the wrap-up ends during the supervision the lead is
     * on the supervised call (cause "supervision"), not ready: a caller of that queue waits 2 s unoffered. Once the lead
     * leaves, the lead is ready and that caller is offered to and answered by the lead's phone. Fails without the change:
     * the wrap-up ends in ready and the caller is offered to the supervising lead.
     */
    @Test
    void aSupervisorInWrapUpIsNotOfferedACallWhenTheWrapUpEndsDuringTheSupervision() throws Exception {
        String caller = "13600000006";
        String first = "13600000007";
        String second = "13600000008";
        String number = "4698";
        long leadId = userId("lead");
        var made = admin.post("/api/v1/queues", Map.of("name", "wrapped", "strategy", "linear",
                "settings", Map.of("ringTimeoutSeconds", 30, "wrapUpSeconds", 3)));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        long queueId = made.json().get("id").asLong();
        assertThat(admin.put("/api/v1/queues/" + queueId + "/members/" + leadId, Map.of("penalty", 0)).status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", number, "destinationType", "queue", "destination", "wrapped")).status())
                .isEqualTo(201);
        acd.settle();
        try (RtpCaller customer = customerTalkingWithAgent1(caller)) {
            String supervised = acd.agentView(enterprise, agent1).orElseThrow().callId();
            assertThat(lead.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            assertThat(lead.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
            // The lead answers a call of "wrapped"; it ends: the lead is in wrap-up.
            try (RtpCaller one = RtpCaller.call(server.hotline().engine().sipPort(), first, number)) {
                one.quiet(60_000);
                await("the lead talking").atMost(Duration.ofSeconds(15))
                        .until(() -> acd.agentView(enterprise, leadId).map(a -> a.state() == AgentState.ON_CALL).orElse(false));
                one.bye();
            }
            await("the lead in wrap-up").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> acd.agentView(enterprise, leadId).map(a -> a.state() == AgentState.WRAP_UP).orElse(false));

            String id = lead.post("/api/v1/supervision", Map.of("agentId", agent1, "mode", "listen")).json().get("id").asText();
            active(id);
            assertThat(acd.agentView(enterprise, leadId).orElseThrow().state()).as("the supervision leaves the wrap-up as it is")
                    .isEqualTo(AgentState.WRAP_UP);
            await("the wrap-up over: the lead on the supervised call").atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(20))
                    .until(() -> acd.agentView(enterprise, leadId).map(a -> a.state() == AgentState.ON_CALL && supervised.equals(a.callId()))
                            .orElse(false));

            try (RtpCaller waiting = RtpCaller.call(server.hotline().engine().sipPort(), second, number)) {
                waiting.quiet(60_000);
                await("the caller queued").atMost(Duration.ofSeconds(10))
                        .until(() -> acd.waiting(enterprise).stream().anyMatch(w -> w.caller().equals(second)));
                await("the caller is not offered to the supervising lead").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> acd.waiting(enterprise).stream().anyMatch(w -> w.caller().equals(second))
                                && acd.agentView(enterprise, leadId).map(a -> a.state() == AgentState.ON_CALL && supervised.equals(a.callId()))
                                .orElse(false));

                assertThat(lead.delete("/api/v1/supervision/" + id).status()).isEqualTo(204);
                await("the lead, free again, takes the caller").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> acd.waiting(enterprise).isEmpty() && acd.agentView(enterprise, leadId)
                                .map(a -> a.state() == AgentState.ON_CALL && a.callId() != null && !a.callId().equals(supervised)).orElse(false));
                waiting.bye();
            }
            customer.bye();
        } finally {
            assertThat(admin.delete("/api/v1/queues/" + queueId + "/members/" + leadId).status()).isEqualTo(204);
            acd.settle();
        }
        List<String> log = await("the lead's state log").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<String> out = new ArrayList<>();
            for (JsonNode r : admin.get("/api/v1/reports/states?agent=" + leadId + "&limit=1000").json().get("rows")) {
                out.add(r.get("state").asText() + "/" + r.get("cause").asText());
            }
            return out;
        }, l -> l.stream().filter(x -> x.startsWith("on_call/")).count() >= 3);
        assertThat(log).as("the lead's state log").containsSubsequence("on_call/call", "wrap_up/call", "ready/system", "on_call/supervision",
                "ready/call", "ringing/call", "on_call/call");
    }

    /** A queue of {@code name} whose only member is the lead, reached at {@code number}; its id. */
    long leadsOwnQueue(String name, String number, int ringTimeoutSeconds) {
        var made = admin.post("/api/v1/queues", Map.of("name", name, "strategy", "linear", "settings", Map.of("ringTimeoutSeconds", ringTimeoutSeconds)));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        long queueId = made.json().get("id").asLong();
        assertThat(admin.put("/api/v1/queues/" + queueId + "/members/" + userId("lead"), Map.of("penalty", 0)).status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", number, "destinationType", "queue", "destination", name)).status()).isEqualTo(201);
        acd.settle();
        return queueId;
    }

    /** The lead's state log today, oldest first, as state/cause, once it holds at least {@code atLeast} rows. */
    List<String> leadsStateLog(int atLeast) {
        long leadId = userId("lead");
        return await("the lead's state log").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<String> out = new ArrayList<>();
            for (JsonNode r : admin.get("/api/v1/reports/states?agent=" + leadId + "&limit=1000").json().get("rows")) {
                out.add(r.get("state").asText() + "/" + r.get("cause").asText());
            }
            return out;
        }, l -> l.size() >= atLeast);
    }

    /** SUP-1: the lead's row of the monitor now (GET /api/v1/monitor). */
    JsonNode leadsMonitorRow() {
        long leadId = userId("lead");
        for (JsonNode a : lead.get("/api/v1/monitor").json().get("agents")) if (a.get("userId").asLong() == leadId) return a;
        throw new AssertionError("the lead is not on the monitor");
    }

    /**
     * SUP-2: the lead's phone rings with an offered queue call when the supervision starts: the lead stays ringing; the offer
     * rings out (the phone answers nothing within the queue's 5 s) and the lead, who would be ready, is on the supervised call
     * instead, so the caller is not offered again while the supervision lasts; once the lead leaves, the caller rings the
     * lead again. The monitor shows the lead supervising agent 1 (ringing, then on the call) in the lead's row.
     */
    @Test
    void aSupervisorWhosePhoneRingsWithAnOfferKeepsRingingAndIsNotOfferedTheCallAgainWhileSupervising() throws Exception {
        String caller = "13600000011";
        String offered = "13600000012";
        long leadId = userId("lead");
        long queueId = leadsOwnQueue("ringy", "4699", 5);
        // The lead's phone rings 8 s before it answers (a CANCEL within that ends the call): offers of "ringy" ring out, the
        // supervision's call is answered after 8 s.
        try (RtpCaller customer = customerTalkingWithAgent1(caller, "uas_ring_or_answer", Map.of("RINGMS", "8000"))) {
            String supervised = acd.agentView(enterprise, agent1).orElseThrow().callId();
            assertThat(lead.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            assertThat(lead.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
            try (RtpCaller waiting = RtpCaller.call(server.hotline().engine().sipPort(), offered, "4699")) {
                waiting.quiet(60_000);
                await("the lead's phone rings with the offer").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                        .until(() -> acd.agentView(enterprise, leadId).map(a -> a.state() == AgentState.RINGING).orElse(false));
                String offeredCall = acd.agentView(enterprise, leadId).orElseThrow().callId();

                String id = lead.post("/api/v1/supervision", Map.of("agentId", agent1, "mode", "listen")).json().get("id").asText();
                assertThat(acd.agentView(enterprise, leadId).orElseThrow().state()).as("the supervision leaves the ringing as it is")
                        .isEqualTo(AgentState.RINGING);
                JsonNode row = await("the monitor: the lead's phone rings to supervise agent 1").atMost(Duration.ofSeconds(5))
                        .pollInterval(Duration.ofMillis(50)).until(this::leadsMonitorRow, r -> r.get("supervising").isObject());
                assertThat(row.get("supervising").get("agentUserId").asLong()).isEqualTo(agent1);
                assertThat(row.get("supervising").get("callId").asText()).isEqualTo(supervised);
                assertThat(row.get("supervising").get("mode").asText()).isEqualTo("listen");
                assertThat(row.get("supervising").get("state").asText()).as("the lead's phone rings 8 s").isEqualTo("ringing");
                assertThat(row.get("state").asText()).isEqualTo("ringing");

                await("the offer rang out: the lead on the supervised call, not ready for the queue").atMost(Duration.ofSeconds(8))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> acd.agentView(enterprise, leadId).map(a -> a.state() == AgentState.ON_CALL && supervised.equals(a.callId()))
                                .orElse(false));
                await("the caller is not offered to the supervising lead").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> acd.waiting(enterprise).stream().anyMatch(w -> w.caller().equals(offered))
                                && acd.agentView(enterprise, leadId).map(a -> a.state() == AgentState.ON_CALL && supervised.equals(a.callId()))
                                .orElse(false));
                JsonNode active = active(id);
                assertThat(active.get("mode").asText()).isEqualTo("listen");
                await("the monitor: the lead supervises agent 1's call").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                        .until(() -> leadsMonitorRow().at("/supervising/state").asText().equals("active"));

                assertThat(lead.delete("/api/v1/supervision/" + id).status()).isEqualTo(204);
                await("the lead, free again, is offered the caller").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> acd.agentView(enterprise, leadId)
                                .map(a -> a.state() == AgentState.RINGING && offeredCall.equals(a.callId())).orElse(false));
                assertThat(leadsMonitorRow().get("supervising").isNull()).as("no longer supervising on the monitor").isTrue();
                waiting.bye();
            }
            customer.bye();
        } finally {
            assertThat(admin.delete("/api/v1/queues/" + queueId + "/members/" + leadId).status()).isEqualTo(204);
            acd.settle();
        }
        assertThat(leadsStateLog(5)).as("the lead's state log").containsSubsequence("ready/agent", "ringing/call", "ready/call",
                "on_call/supervision", "ready/call", "ringing/call");
    }

    /**
     * SUP-2: a not-ready supervisor stays not ready while supervising and after (no state change at all); asking for ready
     * during a supervision puts them on the supervised call instead, so a caller of their queue waits unoffered until they
     * leave, then is offered to and answered by them. The monitor's row and agent view show the lead (not ready, then on the
     * supervised call) supervising agent 1, in the mode of the moment.
     */
    @Test
    void aNotReadySupervisorStaysNotReadyAndIsOnTheSupervisedCallWhenAskingForReady() throws Exception {
        String caller = "13600000013";
        String queued = "13600000014";
        long leadId = userId("lead");
        long queueId = leadsOwnQueue("notready", "4700", 30);
        try (RtpCaller customer = customerTalkingWithAgent1(caller)) {
            String supervised = acd.agentView(enterprise, agent1).orElseThrow().callId();
            assertThat(lead.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            assertThat(acd.agentView(enterprise, leadId).orElseThrow().state()).isEqualTo(AgentState.NOT_READY);
            int logBefore = leadsStateLog(1).size();

            // Not ready throughout one supervision: nothing changes.
            String first = lead.post("/api/v1/supervision", Map.of("agentId", agent1, "mode", "listen")).json().get("id").asText();
            active(first);
            JsonNode row = await("the monitor: the not-ready lead supervises agent 1").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(this::leadsMonitorRow, r -> r.at("/supervising/state").asText().equals("active"));
            assertThat(row.get("state").asText()).isEqualTo("not_ready");
            assertThat(row.get("supervising").get("agentUserId").asLong()).isEqualTo(agent1);
            assertThat(row.get("supervising").get("agentJob").asText()).isEqualTo(leadsAgent1Job());
            assertThat(row.get("supervising").get("mode").asText()).isEqualTo("listen");
            assertThat(lead.put("/api/v1/supervision/" + first, Map.of("mode", "whisper")).status()).isEqualTo(200);
            await("the monitor shows the new mode").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> leadsMonitorRow().at("/supervising/mode").asText().equals("whisper"));
            JsonNode view = lead.get("/api/v1/monitor/agents/" + leadId).json();
            assertThat(view.at("/agent/state").asText()).isEqualTo("not_ready");
            assertThat(view.at("/agent/supervising/agentUserId").asLong()).as("the agent view").isEqualTo(agent1);
            assertThat(view.at("/agent/supervising/mode").asText()).isEqualTo("whisper");
            assertThat(lead.delete("/api/v1/supervision/" + first).status()).isEqualTo(204);
            await("the supervision over").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> leadsMonitorRow().get("supervising").isNull());
            assertThat(acd.agentView(enterprise, leadId).orElseThrow().state()).as("still not ready").isEqualTo(AgentState.NOT_READY);
            assertThat(leadsStateLog(1)).as("no state change for a not-ready supervisor").hasSize(logBefore);

            // Not ready when it starts, ready asked for during it: on the supervised call, offered nothing until the lead leaves.
            String second = lead.post("/api/v1/supervision", Map.of("agentId", agent1, "mode", "listen")).json().get("id").asText();
            active(second);
            try (RtpCaller waiting = RtpCaller.call(server.hotline().engine().sipPort(), queued, "4700")) {
                waiting.quiet(60_000);
                await("the caller queued").atMost(Duration.ofSeconds(10))
                        .until(() -> acd.waiting(enterprise).stream().anyMatch(w -> w.caller().equals(queued)));
                assertThat(lead.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
                await("ready asked for: the lead on the supervised call").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                        .until(() -> acd.agentView(enterprise, leadId).map(a -> a.state() == AgentState.ON_CALL && supervised.equals(a.callId()))
                                .orElse(false));
                await("the caller is not offered to the supervising lead").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> acd.waiting(enterprise).stream().anyMatch(w -> w.caller().equals(queued))
                                && acd.agentView(enterprise, leadId).map(a -> a.state() == AgentState.ON_CALL && supervised.equals(a.callId()))
                                .orElse(false));
                assertThat(leadsMonitorRow().at("/supervising/agentUserId").asLong()).isEqualTo(agent1);
                assertThat(lead.delete("/api/v1/supervision/" + second).status()).isEqualTo(204);
                await("the lead, free again, takes the caller").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> acd.waiting(enterprise).isEmpty() && acd.agentView(enterprise, leadId)
                                .map(a -> a.state() == AgentState.ON_CALL && a.callId() != null && !a.callId().equals(supervised)).orElse(false));
                waiting.bye();
            }
            customer.bye();
        } finally {
            assertThat(admin.delete("/api/v1/queues/" + queueId + "/members/" + leadId).status()).isEqualTo(204);
            acd.settle();
        }
        List<String> log = leadsStateLog(4);
        assertThat(log).as("the lead's state log").containsSubsequence("ready/agent", "on_call/supervision", "ready/call",
                "ringing/call", "on_call/call");
    }

    /**
     * SUP-2: a supervisor on a call of their own when the supervision starts is not refused: the supervision's call reaches
     * their SIP phone as a second call (call waiting; this SIPp phone answers it at once) and the supervision is active while
     * the ACD keeps them on their own call (that call's id, no state change). Both orders of ending are right:
     * (1) their own call ends first: the lead is on the supervised call (on_call, cause supervision), not ready for the queue
     * (a caller of the lead's queue waits 2 s unoffered); the lead leaves and is ready and takes that caller;
     * (2) on that next own call the lead supervises again, and the supervised call ends first (its customer hangs up): the
     * supervision ends and the lead stays on their own call, neither made ready nor offered anything, until it ends: ready.
     * After both calls agent 1 and the lead are ready, the monitor shows no supervision, and the lead's state log reads
     * ringing/call, on_call/call, ready/call, on_call/supervision, ready/call, ringing/call, on_call/call, ready/call.
     */
    @Test
    void aSupervisorOnACallOfTheirOwnSupervisesAsASecondCallAndIsRightAfterBothEndInEitherOrder() throws Exception {
        String caller = "13600000015";
        String own = "13600000016";
        String next = "13600000017";
        long leadId = userId("lead");
        long queueId = leadsOwnQueue("own", "4701", 30);
        int logBefore = leadsStateLog(0).size();
        try (RtpCaller customer = customerTalkingWithAgent1(caller)) {
            String supervised = acd.agentView(enterprise, agent1).orElseThrow().callId();
            assertThat(lead.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            assertThat(lead.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
            RtpCaller ownCaller = RtpCaller.call(server.hotline().engine().sipPort(), own, "4701");
            ownCaller.quiet(60_000);
            String ownCall = await("the lead on a call of their own").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> acd.agentView(enterprise, leadId).filter(a -> a.state() == AgentState.ON_CALL).map(AgentView::callId).orElse(null),
                            java.util.Objects::nonNull);
            assertThat(ownCall).isNotEqualTo(supervised);

            // (1) The supervision starts during the lead's own call: a second call to the lead's phone, active; the lead stays on
            // their own call.
            var started = lead.post("/api/v1/supervision", Map.of("agentId", agent1, "mode", "listen"));
            assertThat(started.status()).as(started.toString()).isEqualTo(201);
            String id = started.json().get("id").asText();
            active(id);
            assertThat(acd.agentView(enterprise, leadId).orElseThrow()).as("still on their own call")
                    .satisfies(a -> assertThat(a.state()).isEqualTo(AgentState.ON_CALL))
                    .satisfies(a -> assertThat(a.callId()).isEqualTo(ownCall));
            assertThat(leadsMonitorRow().at("/supervising/callId").asText()).as("the monitor: supervising agent 1's call").isEqualTo(supervised);
            ownCaller.bye();
            ownCaller.close();
            await("their own call over: the lead on the supervised call").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> acd.agentView(enterprise, leadId).map(a -> a.state() == AgentState.ON_CALL && supervised.equals(a.callId()))
                            .orElse(false));
            try (RtpCaller waiting = RtpCaller.call(server.hotline().engine().sipPort(), next, "4701")) {
                waiting.quiet(60_000);
                await("the caller queued").atMost(Duration.ofSeconds(10))
                        .until(() -> acd.waiting(enterprise).stream().anyMatch(w -> w.caller().equals(next)));
                await("the caller is not offered to the supervising lead").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> acd.waiting(enterprise).stream().anyMatch(w -> w.caller().equals(next))
                                && acd.agentView(enterprise, leadId).map(a -> a.state() == AgentState.ON_CALL && supervised.equals(a.callId()))
                                .orElse(false));
                assertThat(lead.delete("/api/v1/supervision/" + id).status()).isEqualTo(204);
                String nextCall = await("the lead, free again, takes the caller").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> acd.waiting(enterprise).isEmpty() ? acd.agentView(enterprise, leadId)
                                .filter(a -> a.state() == AgentState.ON_CALL && a.callId() != null && !a.callId().equals(supervised))
                                .map(AgentView::callId).orElse(null) : null, java.util.Objects::nonNull);

                // (2) Supervising again from that own call; this time the supervised call ends first.
                String again = lead.post("/api/v1/supervision", Map.of("agentId", agent1, "mode", "whisper")).json().get("id").asText();
                active(again);
                assertThat(acd.agentView(enterprise, leadId).orElseThrow().callId()).as("on their own call").isEqualTo(nextCall);
                customer.bye();
                await("the supervised call over: the supervision ends").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> lead.get("/api/v1/supervision").json().isEmpty() && leadsMonitorRow().get("supervising").isNull());
                await("the lead stays on their own call").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> acd.agentView(enterprise, leadId).map(a -> a.state() == AgentState.ON_CALL && nextCall.equals(a.callId()))
                                .orElse(false));
                await("agent 1 free").atMost(Duration.ofSeconds(5))
                        .until(() -> acd.agentView(enterprise, agent1).map(a -> a.state() == AgentState.READY).orElse(false));
                waiting.bye();
            }
            await("the lead ready after both calls").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> acd.agentView(enterprise, leadId).map(a -> a.state() == AgentState.READY && a.callId() == null).orElse(false));
            assertThat(leadsMonitorRow().get("state").asText()).isEqualTo("ready");
            assertThat(leadsMonitorRow().get("supervising").isNull()).isTrue();
        } finally {
            assertThat(admin.delete("/api/v1/queues/" + queueId + "/members/" + leadId).status()).isEqualTo(204);
            acd.settle();
        }
        List<String> log = leadsStateLog(logBefore + 9);
        assertThat(log.subList(logBefore, log.size())).as("the lead's state log").containsSubsequence("ready/agent", "ringing/call",
                "on_call/call", "ready/call", "on_call/supervision", "ready/call", "ringing/call", "on_call/call", "ready/call");
    }

    String leadsAgent1Job() {
        return acd.agentView(enterprise, agent1).orElseThrow().jobNumber();
    }

    /** SUP-2 from the supervisor's page in Chromium: listen, barge in (the customer hears the supervisor), take over; in zh and en. */
    @Test
    void fromTheSupervisorsPageTheLeadListensBargesInAndTakesOver() throws Exception {
        String caller = "13600000003";
        assertThat(admin.put("/api/v1/settings/supervision", Map.of("tellAgent", true)).status()).isEqualTo(200);
        try (Chromium chrome = Chromium.start(); Chromium agentChrome = Chromium.start(); RtpCaller customer = customerTalkingWithAgent1(caller)) {
            // Agent 1's desk (on the SIP phone): told of the supervisor, as the enterprise's setting says.
            ChromeDriver ad = agentChrome.driver();
            agentChrome.signInEnglish(server.baseUrl(), "demo", "agent1", PW);
            WebDriverWait agentWait = agentChrome.waitAtMost(Duration.ofSeconds(15));
            agentWait.until(ExpectedConditions.urlContains("/agent.html"));
            agentWait.until(x -> !ad.findElements(tid("desk-call-panel-state")).isEmpty());
            assertThat(ad.findElements(tid("desk-supervised"))).isEmpty();
            // The lead is an agent too, signed in on the same phone and not ready: their row shows what they supervise (SUP-1).
            long leadId = userId("lead");
            assertThat(lead.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            String agent1Name = acd.agentView(enterprise, agent1).orElseThrow().name();
            ChromeDriver d = chrome.driver();
            chrome.signInEnglish(server.baseUrl(), "demo", "lead", PW);
            WebDriverWait wait = chrome.waitAtMost(Duration.ofSeconds(15));
            wait.until(ExpectedConditions.urlContains("/supervisor.html"));
            wait.until(x -> "on_call".equals(chrome.attr("agent-state-" + agent1, "class").replaceAll(".*st-(\\S+).*", "$1")));
            wait.until(x -> "not_ready".equals(chrome.attr("agent-state-" + leadId, "class").replaceAll(".*st-(\\S+).*", "$1")));
            assertThat(d.findElements(tid("agent-supervising-" + leadId))).isEmpty();
            assertThat(d.findElements(tid("supervise-listen-" + agent2))).as("no call, nothing to supervise").isEmpty();

            d.findElement(tid("supervise-listen-" + agent1)).click();
            wait.until(x -> "active".equals(chrome.attr("supervision-state-" + agent1, "data-state")));
            assertThat(d.findElement(tid("supervision-state-" + agent1)).getText()).isEqualTo("Listen: on the call");
            wait.until(x -> "active".equals(chrome.attr("agent-supervising-" + leadId, "data-state")));
            assertThat(chrome.attr("agent-supervising-" + leadId, "data-mode")).isEqualTo("listen");
            assertThat(chrome.attr("agent-supervising-" + leadId, "data-agent")).isEqualTo(String.valueOf(agent1));
            assertThat(d.findElement(tid("agent-supervising-" + leadId)).getText()).isEqualTo("Supervising " + agent1Name + " (Listen)");
            assertThat(chrome.attr("agent-state-" + leadId, "class")).as("still not ready").contains("st-not_ready");
            // The lead's agent view says it too.
            new org.openqa.selenium.support.ui.Select(d.findElement(tid("monitor-agent-filter"))).selectByValue(String.valueOf(leadId));
            wait.until(x -> "listen".equals(chrome.attr("av-supervising", "data-mode")));
            assertThat(d.findElement(tid("av-supervising")).getText()).isEqualTo("Supervising " + agent1Name + " (Listen)");
            assertThat(chrome.attr("av-state-value", "data-state")).isEqualTo("not_ready");
            d.findElement(tid("agent-view-close")).click();
            hearsNothing(customer, "listening from the page");
            agentWait.until(x -> "listen".equals(agentChrome.attr("desk-supervised", "data-mode")));
            assertThat(ad.findElement(tid("desk-supervised")).getText()).isEqualTo("A supervisor is listening to this call");

            d.findElement(tid("lang-zh")).click();
            wait.until(x -> d.findElement(tid("supervision-state-" + agent1)).getText().equals("监听中"));
            d.findElement(tid("supervise-barge-" + agent1)).click();
            wait.until(x -> "barge".equals(chrome.attr("supervision-state-" + agent1, "data-mode")));
            assertThat(d.findElement(tid("supervision-state-" + agent1)).getText()).isEqualTo("强插中");
            wait.until(x -> d.findElement(tid("agent-supervising-" + leadId)).getText().equals("正在监控 " + agent1Name + "（强插）"));
            hearsTheSupervisor(customer, "barged in from the page");
            agentWait.until(x -> "barge".equals(agentChrome.attr("desk-supervised", "data-mode")));
            // A reload of the agent's desk is told again (the notice comes with the CTI hello).
            ad.navigate().refresh();
            agentWait.until(x -> !ad.findElements(tid("desk-call-panel-state")).isEmpty());
            agentWait.until(x -> "barge".equals(agentChrome.attr("desk-supervised", "data-mode")));
            assertThat(agentChrome.scriptErrors()).as("errors in the agent's browser console").isEmpty();
            chrome.screenshot("supervisor-barge-zh");
            d.findElement(tid("lang-en")).click();

            d.findElement(tid("supervise-takeover-" + agent1)).click();
            wait.until(x -> d.findElements(tid("supervision-state-" + agent1)).isEmpty());
            wait.until(x -> d.findElements(tid("agent-supervising-" + leadId)).isEmpty()); // the call is the lead's own now
            hearsTheSupervisor(customer, "taken over from the page");
            await("agent 1 freed").atMost(Duration.ofSeconds(5))
                    .until(() -> acd.agentView(enterprise, agent1).map(a -> a.state() != AgentState.ON_CALL).orElse(false));
            assertThat(chrome.scriptErrors()).as("errors in the browser console").isEmpty();
            customer.bye();
        } finally {
            assertThat(admin.put("/api/v1/settings/supervision", Map.of("tellAgent", false)).status()).isEqualTo(200);
        }
        assertThat(supervisionEvents(caller)).containsExactly("action=listen supervisor=" + userId("lead"),
                "action=barge supervisor=" + userId("lead"), "action=takeover supervisor=" + userId("lead"));
    }


}
