package dev.hotline.crm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestServer;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** CRM-4: a customer's timeline merges calls (any written form of their numbers), tickets, memos and surveys. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomerTimelineTest {
    TestServer server;
    ApiClient admin;
    ApiClient agent1;
    Jdbi db;
    long enterprise;

    @BeforeAll
    void start() {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        agent1 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", TestServer.DEMO_PASSWORD);
        db = server.database();
        enterprise = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    void callRecord(String id, String direction, String caller, String callee, Instant at) {
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO call_record (call_id, enterprise_id, direction, caller, callee, started_at, answered_at, ended_at, talk_seconds,
                            outcome, hangup_cause, queue, agent_job)
                        VALUES (:id, :e, :dir, :caller, :callee, :at, :at, :at, 42, 'answered', 'normal_clearing', 'sales', '8001')""")
                .bind("id", id).bind("e", enterprise).bind("dir", direction).bind("caller", caller).bind("callee", callee)
                .bind("at", Timestamp.from(at)).execute());
    }

    long customer(ApiClient who, String name, String sharing, String... numbers) {
        var r = who.post("/api/v1/customers", Map.of("name", name, "sharing", sharing, "fields", Map.of(),
                "phones", List.of(numbers).stream().map(n -> Map.of("number", n)).toList()));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    static List<String> kinds(JsonNode page) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : page.get("items")) out.add(e.get("kind").asText() + ":" + (e.hasNonNull("callId") ? e.get("callId").asText() : "")
                + (e.hasNonNull("trackingNumber") ? "T" : "") + (e.hasNonNull("memoId") ? "M" : ""));
        return out;
    }

    @Test
    void callsTicketsMemosAndSurveysNewestFirstPagedAndOnlyForThoseWhoSeeTheCustomer() {
        long id = customer(admin, "Timeline Tang", "enterprise", "+86 135 0000 0071", "010-6500 0072");
        long other = customer(admin, "Other Ou", "enterprise", "13500000079");
        Instant now = Instant.now();
        // The same customer, written four ways in the call records; one outbound call to their landline; someone else's call.
        callRecord("tl-1", "inbound", "013500000071", "4001", now.minus(Duration.ofHours(5)));
        callRecord("tl-2", "inbound", "+8613500000071", "4001", now.minus(Duration.ofHours(4)));
        callRecord("tl-3", "inbound", "13500000071", "4001", now.minus(Duration.ofHours(3)));
        callRecord("tl-4", "outbound", "1001", "01065000072", now.minus(Duration.ofHours(2)));
        callRecord("tl-x", "inbound", "13500000079", "4001", now.minus(Duration.ofMinutes(90)));
        long agentId = agent1.get("/api/v1/me").json().get("id").asLong();
        db.useHandle(h -> {
            h.createUpdate("INSERT INTO recording (enterprise_id, call_id, path, format, stereo, started_at, duration_ms, size_bytes)"
                    + " VALUES (:e, 'tl-3', 'x.wav', 'wav', FALSE, :at, 42000, 1000)").bind("e", enterprise)
                    .bind("at", Timestamp.from(now.minus(Duration.ofHours(3)))).execute();
            h.createUpdate("INSERT INTO survey_result (enterprise_id, call_id, queue, agent_user_id, started_at, ended_at, result, score)"
                    + " VALUES (:e, 'tl-3', 'sales', :a, :at, :at, 'answered', 1)").bind("e", enterprise).bind("a", agentId)
                    .bind("at", Timestamp.from(now.minus(Duration.ofHours(3)).plusSeconds(60))).execute();
        });
        var ticket = agent1.post("/api/v1/tickets", Map.of("type", "complaint", "title", "Broken kettle", "customerId", id, "form", Map.of("category", "quality")));
        assertThat(ticket.status()).as(ticket.toString()).isEqualTo(201);
        assertThat(agent1.post("/api/v1/tickets", Map.of("type", "complaint", "title", "Not theirs", "customerId", other, "form", Map.of("category", "service"))).status()).isEqualTo(201);
        assertThat(agent1.post("/api/v1/memos", Map.of("customerId", id, "text", "prefers mornings")).status()).isEqualTo(201);
        assertThat(agent1.post("/api/v1/memos", Map.of("callId", "tl-1", "text", "asked about the invoice")).status()).isEqualTo(201);

        JsonNode all = agent1.get("/api/v1/customers/" + id + "/timeline?limit=100").json();
        assertThat(all.get("total").asInt()).isEqualTo(8);
        List<String> kinds = kinds(all);
        assertThat(kinds.subList(0, 3)).as("ticket and memos were written just now").containsExactlyInAnyOrder("ticket:T", "memo:M", "memo:tl-1M");
        assertThat(kinds.subList(3, 8)).containsExactly("call:tl-4", "survey:tl-3", "call:tl-3", "call:tl-2", "call:tl-1");
        Instant previous = Instant.MAX;
        for (JsonNode e : all.get("items")) {
            Instant at = Instant.parse(e.get("at").asText());
            assertThat(at).isBeforeOrEqualTo(previous);
            previous = at;
        }
        JsonNode outbound = all.get("items").get(3);
        assertThat(outbound.get("direction").asText()).isEqualTo("outbound");
        assertThat(outbound.get("number").asText()).as("the other party").isEqualTo("1001");
        JsonNode recorded = all.get("items").get(5);
        assertThat(recorded.get("talkSeconds").asInt()).isEqualTo(42);
        assertThat(recorded.get("recordingId").isNull()).as("agents do not hold recording.read").isTrue();
        assertThat(all.get("items").get(4).get("score").asInt()).isEqualTo(1);
        JsonNode t = all.get("items").findValues("trackingNumber").stream().filter(JsonNode::isTextual).findFirst().orElseThrow();
        assertThat(t.asText()).isEqualTo(ticket.json().get("trackingNumber").asText());

        JsonNode asAdmin = admin.get("/api/v1/customers/" + id + "/timeline?offset=5&limit=2").json();
        assertThat(asAdmin.get("total").asInt()).isEqualTo(8);
        assertThat(kinds(asAdmin)).containsExactly("call:tl-3", "call:tl-2");
        assertThat(asAdmin.get("items").get(0).get("recordingId").asLong()).as("recording.read shows the player").isPositive();
        assertThat(kinds(admin.get("/api/v1/customers/" + id + "/timeline?offset=7&limit=5").json())).containsExactly("call:tl-1");
        assertThat(kinds(admin.get("/api/v1/customers/" + other + "/timeline").json())).containsExactly("ticket:T", "call:tl-x");

        long secret = customer(admin, "Private Pan", "private", "13500000073");
        assertThat(agent1.get("/api/v1/customers/" + secret + "/timeline").status()).as("CRM-3: not theirs to see").isEqualTo(404);
        assertThat(admin.get("/api/v1/customers/" + secret + "/timeline").json().get("total").asInt()).isZero();
        var bad = admin.get("/api/v1/customers/" + id + "/timeline?limit=500");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("limit");
        assertThat(admin.get("/api/v1/customers/" + id + "/timeline?offset=-1").body()).contains("offset");
    }

    @Test
    void writtenFormsOfANumberAllMatchIt() {
        assertThat(CustomerTimeline.writtenForms("+8613800138000"))
                .contains("+8613800138000", "008613800138000", "13800138000", "013800138000").doesNotContain("8613800138000");
        assertThat(CustomerTimeline.writtenForms("+861065000072")).contains("01065000072", "+861065000072", "00861065000072")
                .doesNotContain("1065000072");
        assertThat(CustomerTimeline.writtenForms("95555")).containsExactly("95555");
        assertThat(CustomerTimeline.writtenForms("+14155550100")).contains("+14155550100", "0014155550100");
    }
}
