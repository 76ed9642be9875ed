package dev.hotline.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.acd.AgentState;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OUT-1, OUT-3 end to end: a progressive campaign dials through its trunk (a SIPp carrier) with its caller ID, one number per
 * ready agent (a SIPp phone); the answered number reaches the agent; busy and unanswered numbers are retried per outcome;
 * every attempt and outcome is in the event log, the number's state, the call records and the outbound report; nothing is
 * dialled with no agent signed in (Issabel callcenter#49), while paused, or outside the calling windows. RPT-5: the answered
 * campaign calls are priced with the trunk's rate table and in the bill with their agent; the others cost nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DialerCallsTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static final String CALLER_ID = "02188886666";
    TestServer server;
    ApiClient admin;
    ApiClient agent;
    SipPeers peers;
    Path dir;
    long enterprise;
    long agent1;
    long trunk;
    int carrier;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("dialer");
        server = TestServer.start(TestDatabases.Kind.H2, Map.of("sip.default.enterprise", "demo"));
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        enterprise = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
        agent1 = agent.get("/api/v1/me").json().get("id").asLong();
        peers = new SipPeers(dir, server.hotline().engine().sipPort());
        carrier = Ports.free();
        var t = admin.post("/api/v1/trunks", Map.of("name", "carrier", "host", "127.0.0.1", "port", carrier, "allowedIps", List.of()));
        assertThat(t.status()).as(t.toString()).isEqualTo(201);
        trunk = t.json().get("id").asLong();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** The carrier's far end: SIPp running {@code scenario} for {@code calls} calls, ready when this returns. */
    Sipp.Run farEnd(String scenario, int calls, String... kv) throws Exception {
        Map<String, String> vars = SipPeers.vars("x", kv);
        vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
        Sipp.Run run = Sipp.start(dir, scenario, vars, null, carrier, List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)),
                "-m", Integer.toString(calls), "-recv_timeout", "40000", "-timeout", "120"));
        Sipp.awaitUdpBound(carrier);
        return run;
    }

    Map<String, Object> campaign(String name, Map<String, Object> extra) {
        Map<String, Object> s = new HashMap<>();
        s.put("trunkId", trunk);
        s.put("callerIds", List.of(CALLER_ID));
        s.put("agentIds", List.of(agent1));
        s.put("ringSeconds", 15);
        s.put("maxAttempts", 3);
        s.put("retries", Map.of("busy", Map.of("times", 1, "afterMinutes", 30), "no_answer", Map.of("times", 2, "afterMinutes", 60)));
        s.putAll(extra);
        return Map.of("name", name, "mode", "progressive", "settings", s);
    }

    void importNumbers(long id, String... numbers) {
        StringBuilder csv = new StringBuilder("number,name,amount\n");
        for (String n : numbers) csv.append(n).append(",Customer ").append(n.substring(n.length() - 2)).append(",100\n");
        var r = admin.upload("POST", "/api/v1/campaigns/" + id + "/contacts", "list.csv", csv.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("imported").asInt()).isEqualTo(numbers.length);
    }

    void state(long id, String state) {
        var r = admin.post("/api/v1/campaigns/" + id + "/state", Map.of("state", state));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    JsonNode contact(long id, String number) {
        for (JsonNode c : admin.get("/api/v1/campaigns/" + id + "/contacts").json()) {
            if (c.get("number").asText().equals(number)) return c;
        }
        throw new AssertionError("no contact " + number);
    }

    JsonNode awaitContact(long id, String number, String lastOutcome) {
        return await(number + " " + lastOutcome).atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
                .until(() -> contact(id, number), c -> lastOutcome.equals(c.path("lastOutcome").asText()) && !"dialling".equals(c.get("state").asText()));
    }

    List<String> events(long id) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : admin.get("/api/v1/campaigns/" + id + "/events").json()) out.add(e.get("type").asText() + " " + e.get("data").asText());
        return out;
    }

    void agentReady() {
        assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
        var r = agent.put("/api/v1/agent/state", Map.of("state", "ready"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    AgentState agentState() {
        return server.hotline().acd().agentView(enterprise, agent1).orElseThrow().state();
    }

    @Test
    void aProgressiveCampaignDialsOneNumberPerReadyAgentConnectsTheAnsweredOnesAndRetriesPerOutcome() throws Exception {
        int phonePort = Ports.free();
        Sipp.Run phone = peers.phone(phonePort);
        try {
            peers.register("1001", PW, phonePort, "200");
            // RPT-5: the carrier's calls out cost 0.12 a started minute plus 0.10 for 138…; the campaign's calls are billed.
            Instant billFrom = Instant.now().minus(Duration.ofMinutes(1));
            var rates = admin.post("/api/v1/billing/rate-tables", Map.of("trunkId", trunk, "currency", "CNY", "rates", List.of(Map.of("prefix",
                    "138", "pricePerMinute", new BigDecimal("0.12"), "firstIncrement", 60, "increment", 60, "connectionFee", new BigDecimal("0.10")))));
            assertThat(rates.status()).as(rates.toString()).isEqualTo(201);
            var made = admin.post("/api/v1/campaigns", campaign("progressive-e2e", Map.of()));
            assertThat(made.status()).as(made.toString()).isEqualTo(201);
            long id = made.json().get("id").asLong();
            importNumbers(id, "13800000001", "13800000002");

            // No agent signed in: running, yet nothing is dialled (Issabel callcenter#49).
            state(id, "running");
            await("reason").atMost(Duration.ofSeconds(5)).until(() -> admin.get("/api/v1/campaigns/" + id).json().path("live").path("reason").asText(),
                    r -> r.startsWith("stopped: no agent"));
            await("nothing dialled").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> contact(id, "13800000001").get("attempts").asInt() == 0 && contact(id, "13800000002").get("attempts").asInt() == 0);

            // The agent gets ready: one number at a time is dialled for them, both answered by the carrier and connected.
            Sipp.Run far = farEnd("uas_bye", 2, "PAUSE", "3000", "FROMCHECK", "sip:" + CALLER_ID + "@");
            agentReady();
            await("the first number dialled").atMost(Duration.ofSeconds(10)).until(() -> server.hotline().engine().channels().size() >= 1);
            JsonNode first = awaitContact(id, "13800000001", "answered");
            assertThat(first.get("state").asText()).isEqualTo("done");
            assertThat(first.get("attempts").asInt()).isEqualTo(1);
            JsonNode second = awaitContact(id, "13800000002", "answered");
            assertThat(second.get("state").asText()).isEqualTo("done");
            SipPeers.ok(far);
            assertThat(phone.isAlive()).as("the agent's phone took both calls").isTrue();

            List<String> ev = events(id);
            assertThat(ev).anySatisfy(e -> assertThat(e).startsWith("campaign_attempt campaign=" + id + " ").contains("number=13800000001 attempt=1 mode=progressive"));
            assertThat(ev).anySatisfy(e -> assertThat(e).contains("number=13800000001 outcome=answered agent=" + agent1));
            assertThat(ev).anySatisfy(e -> assertThat(e).contains("number=13800000002 outcome=answered agent=" + agent1));
            // Never two calls at once for the one agent: the second attempt comes after the first outcome.
            int firstOutcome = indexOf(ev, "number=13800000001 outcome=");
            int secondAttempt = indexOf(ev, "campaign_attempt campaign=" + id + " contact=" + second.get("id").asLong() + " ");
            assertThat(secondAttempt).as(String.join("\n", ev)).isGreaterThan(firstOutcome);

            // The call records: outbound, from the campaign's caller ID, answered, with the agent; and the outbound report.
            JsonNode rec = record(CALLER_ID, "13800000001");
            assertThat(rec.get("direction").asText()).isEqualTo("outbound");
            assertThat(rec.get("outcome").asText()).isEqualTo("answered");
            assertThat(rec.get("agentUserId").asLong()).isEqualTo(agent1);
            await("outbound report").atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                JsonNode rows = admin.get("/api/v1/reports/outbound").json().get("rows");
                JsonNode row = null;
                for (JsonNode r : rows) if (r.get("agentId").asLong() == agent1) row = r;
                assertThat(row).as(rows.toString()).isNotNull();
                assertThat(row.get("outboundCalls").asLong()).isGreaterThanOrEqualTo(2);
                assertThat(row.get("outboundAnswered").asLong()).isGreaterThanOrEqualTo(2);
            });
            await("agent ready again").atMost(Duration.ofSeconds(10)).until(this::agentState, s -> s == AgentState.READY);

            // RPT-5: both answered campaign calls are in the bill, through the carrier, priced (about 3 s: one minute, 0.22), with
            // the agent who took them; the agent's total adds them up.
            String billRange = "from=" + billFrom + "&to=" + Instant.now().plus(Duration.ofHours(1));
            JsonNode bill = await("the campaign's calls billed").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> admin.get("/api/v1/billing/calls?" + billRange).json(), b -> b.get("rows").size() >= 2);
            assertThat(bill.get("rows")).as(bill.toString()).hasSize(2);
            for (JsonNode row : bill.get("rows")) {
                assertThat(row.get("number").asText()).as(row.toString()).isIn("13800000001", "13800000002");
                assertThat(row.get("direction").asText()).isEqualTo("outbound");
                assertThat(row.get("trunk").asText()).isEqualTo("carrier");
                assertThat(row.get("rated").asBoolean()).isTrue();
                assertThat(row.get("prefix").asText()).isEqualTo("138");
                assertThat(row.get("talkSeconds").asInt()).as(row.toString()).isBetween(3, 10);
                assertThat(row.get("billedSeconds").asInt()).isEqualTo(60);
                assertThat(row.get("amount").decimalValue()).isEqualByComparingTo("0.22");
                assertThat(row.get("agentUserId").asLong()).isEqualTo(agent1);
            }
            assertThat(bill.get("rows").findValuesAsText("number")).containsExactlyInAnyOrder("13800000001", "13800000002");
            JsonNode byAgent = admin.get("/api/v1/billing/totals?by=agent&" + billRange).json().get("rows");
            assertThat(byAgent).as(byAgent.toString()).hasSize(1);
            assertThat(byAgent.get(0).get("id").asLong()).isEqualTo(agent1);
            assertThat(byAgent.get(0).get("calls").asInt()).isEqualTo(2);
            assertThat(byAgent.get(0).get("amount").decimalValue()).isEqualByComparingTo("0.44");

            // Busy: retried after the busy interval (30 min), not now.
            state(id, "paused");
            importNumbers(id, "13800000003");
            Sipp.Run busy = farEnd("uas_reject", 1, "CODE", "486");
            Instant before = Instant.now();
            state(id, "running");
            JsonNode b = awaitContact(id, "13800000003", "busy");
            SipPeers.ok(busy);
            assertThat(b.get("state").asText()).isEqualTo("pending");
            assertThat(b.get("attempts").asInt()).isEqualTo(1);
            assertThat(Instant.parse(b.get("nextAt").asText())).isBetween(before.plus(Duration.ofMinutes(30)), Instant.now().plus(Duration.ofMinutes(30)));
            assertThat(b.get("outcomes").get("busy").asInt()).isEqualTo(1);
            await("the agent is let go").atMost(Duration.ofSeconds(5)).until(() -> admin.get("/api/v1/campaigns/" + id).json().path("live")
                    .path("agentsFree").asInt() == 1);

            // No answer: the number rings 15 s (the campaign's ring time), then is retried after 60 min.
            state(id, "paused");
            importNumbers(id, "13800000004");
            Sipp.Run ringing = farEnd("uas_ring_cancel", 1);
            state(id, "running");
            JsonNode n = awaitContact(id, "13800000004", "no_answer");
            SipPeers.ok(ringing);
            assertThat(n.get("state").asText()).isEqualTo("pending");
            assertThat(Instant.parse(n.get("nextAt").asText())).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
            String noAnswer = events(id).stream().filter(e -> e.contains("number=13800000004 outcome=no_answer")).findFirst().orElseThrow();
            long ringMs = Long.parseLong(noAnswer.replaceAll(".*ringMs=(\\d+).*", "$1"));
            assertThat(ringMs).as(noAnswer).isBetween(14_500L, 20_000L);

            // Paused: a due number is not dialled.
            state(id, "paused");
            importNumbers(id, "13800000005");
            await("paused: nothing dialled").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> contact(id, "13800000005").get("attempts").asInt() == 0);

            // A number put on the do-not-call list after the import is skipped when its turn comes, never dialled.
            importNumbers(id, "13800000006");
            assertThat(admin.post("/api/v1/dnc", Map.of("number", "13800000006")).status()).isEqualTo(201);
            int callsBefore = (int) events(id).stream().filter(e -> e.startsWith("campaign_attempt")).count();
            Sipp.Run busy5 = farEnd("uas_reject", 1, "CODE", "486");
            state(id, "running");
            JsonNode dnc = awaitContact(id, "13800000006", "skipped");
            assertThat(dnc.get("state").asText()).isEqualTo("skipped");
            await("skip logged").atMost(Duration.ofSeconds(10)).until(() -> events(id).stream()
                    .anyMatch(e -> e.contains("number=13800000006 outcome=skipped reason=do_not_call")));
            // 13800000005 (due) was dialled meanwhile: that is the one new attempt; none for the do-not-call number.
            await("13800000005 dialled").atMost(Duration.ofSeconds(10)).until(() -> contact(id, "13800000005").get("attempts").asInt() == 1);
            assertThat(events(id).stream().filter(e -> e.startsWith("campaign_attempt")).toList()).noneMatch(e -> e.contains("13800000006"));
            assertThat(events(id).stream().filter(e -> e.startsWith("campaign_attempt")).count()).isEqualTo(callsBefore + 1);
            SipPeers.ok(busy5);
            state(id, "paused");
            await("13800000005 done with").atMost(Duration.ofSeconds(30)).until(() -> !"dialling".equals(contact(id, "13800000005").get("state").asText()));

            // Outside its calling windows: running, nothing dialled, and the view says why.
            LocalTime now = LocalTime.now(ZoneOffset.UTC);
            LocalTime from = now.plusHours(2).withMinute(0);
            LocalTime to = from.plusHours(1);
            if (to.isBefore(from)) { from = LocalTime.of(1, 0); to = LocalTime.of(2, 0); }
            importNumbers(id, "13800000007");
            var put = admin.put("/api/v1/campaigns/" + id, campaign("progressive-e2e", Map.of("timeZone", "UTC",
                    "windows", List.of(Map.of("from", String.format("%02d:00", from.getHour()), "to", String.format("%02d:00", to.getHour()))))));
            assertThat(put.status()).as(put.toString()).isEqualTo(200);
            state(id, "running");
            await("outside").atMost(Duration.ofSeconds(5)).until(() -> admin.get("/api/v1/campaigns/" + id).json().path("live").path("reason").asText(),
                    r -> r.startsWith("outside the calling windows"));
            await("outside: nothing dialled").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> contact(id, "13800000007").get("attempts").asInt() == 0);
            state(id, "stopped");

            // Numbers that were busy, not answered or skipped cost nothing: the bill still holds the two answered calls.
            assertThat(server.hotline().eventLog().flush(10, TimeUnit.SECONDS)).isTrue();
            assertThat(admin.get("/api/v1/billing/calls?" + billRange).json().get("rows").findValuesAsText("number"))
                    .containsExactlyInAnyOrder("13800000001", "13800000002");
        } finally {
            phone.kill();
        }
    }

    static int indexOf(List<String> events, String part) {
        for (int i = 0; i < events.size(); i++) if (events.get(i).contains(part)) return i;
        throw new AssertionError("no event with " + part + " in\n" + String.join("\n", events));
    }

    JsonNode record(String caller, String callee) {
        return await("call record " + caller + " -> " + callee).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    for (JsonNode r : admin.get("/api/v1/calls?limit=500").json().get("items")) {
                        if (r.get("caller").asText().equals(caller) && r.get("callee").asText().equals(callee)) return r;
                    }
                    return null;
                }, r -> r != null);
    }
}
