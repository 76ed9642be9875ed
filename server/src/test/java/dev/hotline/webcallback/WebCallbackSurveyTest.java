package dev.hotline.webcallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * MSG-4 for web call-back requests (OUT-4): the callback queue "support" has its survey on. Agent first: agent 1's SIP
 * phone answers the request's offer, the customer is dialled through the carrier (a SIPp callee) and answers, the agent
 * hangs up after 4 s and the customer, kept on the line, hears the survey and presses 1. Customer first: the customer is
 * dialled first, answers, is queued to support and answered by agent 1, who hangs up after 4 s; the customer presses 2.
 * Each call's survey events, agent 1's results (the survey_result rows), the per-agent and per-queue satisfaction reports
 * say so; both customers' legs through the carrier are in the bill (RPT-5).
 */
class WebCallbackSurveyTest {
    static final String PW = TestServer.DEMO_PASSWORD;

    @Test
    void bothKindsOfWebCallBackAreSurveyedAfterTheAgentHangsUp() throws Exception {
        Path dir = Files.createTempDirectory("webcallback-survey");
        int carrier = Ports.free();
        List<Sipp.Run> runs = new ArrayList<>();
        try (TestServer server = TestServer.start(TestDatabases.Kind.H2, Map.of("sip.default.enterprise", "demo"))) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            JsonNode support = null;
            for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("support")) support = q;
            assertThat(support).isNotNull();
            var put = admin.put("/api/v1/queues/" + support.get("id").asLong(), Map.of("name", "support", "strategy",
                    support.get("strategy").asText(), "settings", Map.of("ringTimeoutSeconds", 10, "survey", Map.of("enabled", true, "language", "zh"))));
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
            server.hotline().acd().settle();

            // Agent 1's SIP phone answers each offer and hangs up 4 s later.
            SipPeers peers = new SipPeers(dir, server.hotline().engine().sipPort());
            int phonePort = Ports.free();
            var pv = SipPeers.vars("x", "PAUSE", "4000");
            pv.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
            Sipp.Run phone = Sipp.start(dir, "uas_bye", pv, null, phonePort, List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)),
                    "-m", "10", "-timeout", "180"));
            runs.add(phone);
            Sipp.awaitUdpBound(phonePort);
            peers.register("1001", PW, phonePort, "200");
            ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
            long agent1 = agent.get("/api/v1/me").json().get("id").asLong();
            assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);

            // Agent first: the customer answers, stays 8 s (the agent hangs up after 4), presses 1, waits for our BYE.
            Sipp.Run first = customer(server, dir, carrier, "1");
            runs.add(first);
            WebCallbackTest.Site site = WebCallbackTest.configure(server, carrier, Map.of("mode", "agent_first", "perNumberPerDay", 5,
                    "perAddressPerHour", 100));
            String afCall = placed(server, admin, site, "13600000031", agent1);
            SipPeers.ok(first);

            // Customer first: the customer answers, is queued and answered by agent 1; after the agent hangs up: 2.
            await("agent ready again").atMost(Duration.ofSeconds(20)).until(() -> agent.get("/api/v1/agent/state").json().get("state").asText(),
                    "ready"::equals);
            Sipp.Run second = customer(server, dir, carrier, "2");
            runs.add(second);
            WebCallbackTest.configure(server, carrier, Map.of("mode", "customer_first", "perNumberPerDay", 5, "perAddressPerHour", 100));
            String cfCall = placed(server, admin, site, "13600000032", agent1);
            SipPeers.ok(second);

            assertThat(survey(admin, afCall)).isEqualTo("queue=support agent=" + agent1 + " result=answered score=1");
            assertThat(survey(admin, cfCall)).isEqualTo("queue=support agent=" + agent1 + " result=answered score=2");
            assertThat(types(admin, afCall)).containsSubsequence("queue_connect", "survey_start", "survey");
            assertThat(types(admin, cfCall)).containsSubsequence("queue_connect", "survey_start", "survey");

            // The survey_result rows (the events' projection): the agent's own results and the reports by agent and queue.
            assertThat(server.hotline().eventLog().flush(10, TimeUnit.SECONDS)).isTrue();
            JsonNode mine = agent.get("/api/v1/agent/surveys?calls=" + afCall + "," + cfCall).json();
            assertThat(mine).hasSize(2);
            for (JsonNode r : mine) assertThat(r.get("score").asInt()).isEqualTo(r.get("callId").asText().equals(afCall) ? 1 : 2);
            String tz = "tz=" + java.time.ZoneId.systemDefault().getId();
            JsonNode byAgent = admin.get("/api/v1/reports/satisfaction-agents?agent=" + agent1 + "&" + tz).json();
            assertThat(byAgent.get("rows")).as(byAgent.toString()).hasSize(1);
            JsonNode row = byAgent.get("rows").get(0);
            assertThat(row.get("surveyed").asLong()).as(row.toString()).isEqualTo(2);
            assertThat(row.get("verySatisfied").asLong()).as(row.toString()).isEqualTo(1);
            assertThat(row.get("satisfied").asLong()).as(row.toString()).isEqualTo(1);
            JsonNode total = admin.get("/api/v1/reports/satisfaction?queue=support&" + tz).json().get("total");
            assertThat(total.get("surveyed").asLong()).as(total.toString()).isEqualTo(2);
            assertThat(total.get("surveyAnswered").asLong()).as(total.toString()).isEqualTo(2);

            // RPT-5: both customers' legs went out through the carrier and are in the bill (unrated: the trunk has no rate
            // table): the agent-first one dialled in the agent's call, the customer-first one the leg its call began with.
            JsonNode bill = admin.get("/api/v1/billing/calls?from=" + java.time.Instant.now().minus(Duration.ofHours(1)) + "&to="
                    + java.time.Instant.now().plus(Duration.ofHours(1))).json();
            Map<String, JsonNode> charged = new java.util.HashMap<>();
            bill.get("rows").forEach(r -> charged.put(r.get("number").asText(), r));
            assertThat(charged).as(bill.toString()).containsKeys("13600000031", "13600000032");
            for (String n : List.of("13600000031", "13600000032")) {
                assertThat(charged.get(n).get("trunk").asText()).isEqualTo("carrier");
                assertThat(charged.get(n).get("direction").asText()).isEqualTo("outbound");
                assertThat(charged.get(n).get("rated").asBoolean()).isFalse();
                assertThat(charged.get(n).get("talkSeconds").asInt()).isPositive();
            }
        } finally {
            runs.forEach(Sipp.Run::kill);
        }
    }

    /** The carrier's callee: answers with the enterprise's number showing, stays 8 s, keys {@code key}, waits for our BYE. */
    static Sipp.Run customer(TestServer server, Path dir, int carrier, String key) throws Exception {
        var vars = SipPeers.vars("x", "PAUSE", "8000", "DTMFACTIONS", SipPeers.dtmf(key), "AFTER", "30000", "FROMCHECK",
                "sip:" + WebCallbackTest.CALLER_ID + "@");
        vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
        Sipp.Run run = Sipp.start(dir, "uas_answer_keys", vars, null, carrier, List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)),
                "-m", "1", "-recv_timeout", "90000", "-timeout", "120"));
        Sipp.awaitUdpBound(carrier);
        return run;
    }

    /** A visitor's request for {@code number}, done (connected); the id of the call the agent and the customer talked in. */
    static String placed(TestServer server, ApiClient admin, WebCallbackTest.Site site, String number, long agent1) {
        var made = WebCallbackTest.request(server, site.key(), number, null);
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        long id = made.json().get("id").asLong();
        await("callback " + number + " connected").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> admin.get("/api/v1/webcallback/requests/" + id).json().get("state").asText(), "done"::equals);
        JsonNode rec = await("the call record of " + number).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            for (JsonNode r : admin.get("/api/v1/calls?limit=500").json().get("items")) {
                if (r.get("callee").asText().equals(number) && r.path("agentUserId").asLong() == agent1) return r;
            }
            return null;
        }, r -> r != null);
        assertThat(rec.get("queue").asText()).isEqualTo("support");
        return rec.get("callId").asText();
    }

    static List<String> types(ApiClient admin, String callId) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : admin.get("/api/v1/calls/" + callId + "/events").json()) out.add(e.get("type").asText());
        return out;
    }

    /** The call's survey event, once logged. */
    static String survey(ApiClient admin, String callId) {
        return await("survey of " + callId).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (JsonNode e : admin.get("/api/v1/calls/" + callId + "/events").json()) {
                if (e.get("type").asText().equals("survey")) return e.get("data").asText();
            }
            return null;
        }, d -> d != null);
    }
}
