package dev.hotline.survey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * MSG-4 for a queue call back (ACD-6): a caller of sales, whose survey is on, keys * while nobody is ready and hangs up;
 * agent 1 gets ready, its SIP phone is rung first and answers, then the customer is called back through a carrier trunk
 * (route prefix 139, as in AcdCallsTest) and answers; the agent hangs up after 4 s and the customer, kept on the line,
 * hears the survey and presses 1: the call back's survey event and survey_result row say so.
 */
class CallbackSurveyTest {
    static final String PW = TestServer.DEMO_PASSWORD;

    @Test
    void aCalledBackCustomerIsSurveyedAfterTheAgentHangsUp() throws Exception {
        Path dir = Files.createTempDirectory("callback-survey");
        List<Sipp.Run> runs = new ArrayList<>();
        try (TestServer server = TestServer.start()) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            SipPeers peers = new SipPeers(dir, server.hotline().engine().sipPort());
            long queueId = -1;
            for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("sales")) queueId = q.get("id").asLong();
            var put = admin.put("/api/v1/queues/" + queueId, Map.of("name", "sales", "strategy", "linear", "settings", Map.of(
                    "ringTimeoutSeconds", 10, "callbackKey", "*", "survey", Map.of("enabled", true, "language", "zh"))));
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
            assertThat(admin.post("/api/v1/numbers", Map.of("number", "4699", "destinationType", "queue", "destination", "sales")).status())
                    .isEqualTo(201);
            int carrier = Ports.free();
            long trunk = admin.post("/api/v1/trunks", Map.of("name", "cb-carrier", "host", "127.0.0.1", "port", carrier, "allowedIps", List.of()))
                    .json().get("id").asLong();
            assertThat(admin.post("/api/v1/outbound-routes", Map.of("name", "cb", "prefix", "139", "trunkId", trunk, "priority", 1)).status())
                    .isEqualTo(201);
            server.hotline().acd().settle();

            // Nobody is ready: the caller keys * after 1.5 s, hears the confirmation and hangs up.
            String caller = "13900000201";
            SipPeers.ok(peers.uac("uac_digits", "4699", SipPeers.vars(caller, "PAUSE", "1500", "AFTER", "1500", "DTMFACTIONS", SipPeers.dtmf("*"))));
            JsonNode first = await("the first call's record").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> admin.get("/api/v1/calls?number=" + caller).json().get("items"), items -> items.size() == 1).get(0);
            assertThat(first.get("queueResult").asText()).isEqualTo("callback");

            // The customer: answers the call back, stays 8 s (the agent hangs up after 4), presses 1, waits for our BYE.
            Sipp.Run customer = peers.uas("uas_answer_keys", carrier, SipPeers.vars("x", "PAUSE", "8000", "DTMFACTIONS", SipPeers.dtmf("1"),
                    "AFTER", "30000", "FROMCHECK", ".*"));
            runs.add(customer);
            int port = Ports.free();
            var vars = SipPeers.vars("x", "PAUSE", "4000");
            vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
            Sipp.Run phone = Sipp.start(dir, "uas_bye", vars, null, port, List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)), "-m", "10",
                    "-timeout", "120"));
            runs.add(phone);
            Sipp.awaitUdpBound(port);
            peers.register("1001", PW, port, "200");
            ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
            long agentId = agent.get("/api/v1/me").json().get("id").asLong();
            assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
            SipPeers.ok(customer);

            JsonNode back = await("the call back's record").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
                for (JsonNode r : admin.get("/api/v1/calls?limit=100&number=" + caller).json().get("items")) {
                    if (r.get("direction").asText().equals("outbound")) return Optional.of(r);
                }
                return Optional.<JsonNode>empty();
            }, Optional::isPresent).get();
            assertThat(back.get("callee").asText()).isEqualTo(caller);
            assertThat(back.get("queueResult").asText()).isEqualTo("answered");
            String callId = back.get("callId").asText();
            List<String> types = new ArrayList<>();
            String survey = null;
            for (JsonNode e : admin.get("/api/v1/calls/" + callId + "/events").json()) {
                types.add(e.get("type").asText());
                if (e.get("type").asText().equals("survey")) survey = e.get("data").asText();
            }
            assertThat(types).containsSubsequence("queue_connect", "survey_start", "survey");
            assertThat(survey).isEqualTo("queue=sales agent=" + agentId + " result=answered score=1");

            // The survey_result row of the call back (its projection): the agent's own results and the queue's report read it.
            assertThat(server.hotline().eventLog().flush(10, TimeUnit.SECONDS)).isTrue();
            JsonNode mine = agent.get("/api/v1/agent/surveys?calls=" + callId).json();
            assertThat(mine).hasSize(1);
            assertThat(mine.get(0).get("callId").asText()).isEqualTo(callId);
            assertThat(mine.get(0).get("score").asInt()).isEqualTo(1);
            JsonNode total = admin.get("/api/v1/reports/satisfaction?queue=sales&tz=" + java.time.ZoneId.systemDefault().getId()).json().get("total");
            assertThat(total.get("surveyed").asLong()).as(total.toString()).isEqualTo(1);
            assertThat(total.get("verySatisfied").asLong()).as(total.toString()).isEqualTo(1);
        } finally {
            runs.forEach(Sipp.Run::kill);
        }
    }
}
