package dev.hotline.acd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The ACD's HTTP API (ACD-1..8, AGENT-1, AGENT-3, SUP-2): queue settings validation, members,
 * skills, agent skills, reason codes, the agent's own session and state, supervisors' forced
 * states, the state log and the live figures. Every test uses its own agent, so they may run in
 * any order on one server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AcdApiTest {
    /** The database this class runs on; a subclass runs the same tests on PostgreSQL. */
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }

    TestServer server;
    ApiClient admin;
    ApiClient lead;

    @BeforeAll
    void start() {
        server = TestServer.start(kind(), Map.of());
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        lead = ApiClient.loggedIn(server.baseUrl(), "demo", "lead", TestServer.DEMO_PASSWORD);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    ApiClient as(String user) {
        return ApiClient.loggedIn(server.baseUrl(), "demo", user, TestServer.DEMO_PASSWORD);
    }

    long userId(String username) {
        for (JsonNode u : admin.get("/api/v1/users").json()) if (u.get("username").asText().equals(username)) return u.get("id").asLong();
        throw new AssertionError("no user " + username);
    }

    long queueId(String name) {
        for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals(name)) return q.get("id").asLong();
        throw new AssertionError("no queue " + name);
    }

    /** A new agent-role user with an extension, for a test of its own. */
    long newAgent(String username, String extension) {
        long role = 0;
        for (JsonNode r : admin.get("/api/v1/roles").json()) if (r.get("name").asText().equals("agent")) role = r.get("id").asLong();
        Map<String, Object> m = new HashMap<>();
        m.put("username", username);
        m.put("displayName", "Agent " + username);
        m.put("password", TestServer.DEMO_PASSWORD);
        m.put("roleId", role);
        m.put("extension", extension);
        var r = admin.post("/api/v1/users", m);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    static List<String> fields(ApiClient.Response r) {
        List<String> out = new ArrayList<>();
        r.json().path("fieldErrors").forEach(f -> out.add(f.get("field").asText()));
        return out;
    }

    List<String> auditActions() {
        return admin.get("/api/v1/audit?limit=200").json().findValuesAsText("action");
    }

    // ------------------------------------------------------------------ queues and settings

    @Test
    void queueSettingsAreValidatedFieldByField() {
        Map<String, Object> bad = new HashMap<>();
        bad.put("ringTimeoutSeconds", 4);
        bad.put("maxWaitSeconds", 86401);
        bad.put("maxCallers", -1);
        bad.put("overflow", Map.of("type", "queue", "value", "nowhere"));
        bad.put("noAgents", Map.of("type", "teleport", "value", "x"));
        bad.put("wrapUpSeconds", 3601);
        bad.put("autoPauseAfterMissed", 21);
        bad.put("announcePositionSeconds", 3);
        bad.put("periodicSeconds", 5);
        bad.put("voicemailKey", "A");
        bad.put("callbackKey", "12");
        bad.put("skills", List.of(Map.of("skill", "klingon", "minLevel", 3)));
        bad.put("widenSkillsAfterSeconds", -5);
        bad.put("vipNumbers", List.of("13800*1"));
        var r = admin.post("/api/v1/queues", Map.of("name", "vq", "strategy", "linear", "settings", bad));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("validation_failed");
        assertThat(fields(r)).containsExactlyInAnyOrder("settings.ringTimeoutSeconds", "settings.maxWaitSeconds", "settings.maxCallers",
                "settings.overflow", "settings.noAgents", "settings.wrapUpSeconds", "settings.autoPauseAfterMissed",
                "settings.announcePositionSeconds", "settings.periodicSeconds", "settings.periodicText", "settings.voicemailKey",
                "settings.callbackKey", "settings.skills", "settings.widenSkillsAfterSeconds", "settings.vipNumbers");

        // Destinations: each type needs an existing target.
        for (var d : List.of(Map.of("type", "flow", "value", "no_such_flow"), Map.of("type", "extension", "value", "9999"),
                Map.of("type", "voicemail", "value", "queue:nope"), Map.of("type", "voicemail", "value", "1001"),
                Map.of("type", "queue", "value", "vq"))) {
            var x = admin.post("/api/v1/queues", Map.of("name", "vq", "settings", Map.of("overflow", d)));
            assertThat(x.status()).as(d + " → " + x).isEqualTo(400);
            assertThat(fields(x)).as(d.toString()).containsExactly("settings.overflow");
        }
        var sameKey = admin.post("/api/v1/queues", Map.of("name", "vq", "settings", Map.of("voicemailKey", "9", "callbackKey", "9")));
        assertThat(fields(sameKey)).containsExactly("settings.callbackKey");
        var level = admin.post("/api/v1/queues", Map.of("name", "vq", "settings", Map.of("skills", List.of(Map.of("skill", "english", "minLevel", 11)))));
        assertThat(fields(level)).containsExactly("settings.skills");
        assertThat(admin.get("/api/v1/queues").json().findValuesAsText("name")).doesNotContain("vq");

        // A queue with every setting.
        Map<String, Object> good = new HashMap<>();
        good.put("ringTimeoutSeconds", 25);
        good.put("maxWaitSeconds", 600);
        good.put("maxCallers", 10);
        good.put("overflow", Map.of("type", "queue", "value", "sales"));
        good.put("noAgents", Map.of("type", "voicemail", "value", "extension:1001"));
        good.put("wrapUpSeconds", 30);
        good.put("autoPauseAfterMissed", 2);
        good.put("announcePositionSeconds", 45);
        good.put("periodicText", "谢谢您的耐心等待");
        good.put("periodicSeconds", 60);
        good.put("voicemailKey", "9");
        good.put("callbackKey", "*");
        good.put("agentAnnounce", true);
        good.put("record", true);
        good.put("skills", List.of(Map.of("skill", "english", "minLevel", 3)));
        good.put("widenSkillsAfterSeconds", 120);
        good.put("vipNumbers", List.of("13900000000", "1380*"));
        var created = admin.post("/api/v1/queues", Map.of("name", "vq", "strategy", "fewest_answered", "description", "VIP line", "settings", good));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode s = created.json().get("settings");
        assertThat(s.get("ringTimeoutSeconds").asInt()).isEqualTo(25);
        assertThat(s.at("/overflow/value").asText()).isEqualTo("sales");
        assertThat(s.at("/noAgents/value").asText()).isEqualTo("extension:1001");
        assertThat(s.at("/skills/0/minLevel").asInt()).isEqualTo(3);
        assertThat(s.get("vipNumbers").toString()).contains("1380*");
        long id = created.json().get("id").asLong();

        // Voicemail of the queue itself and a hang-up on no agents are fine; settings survive a change of name only.
        var upd = admin.put("/api/v1/queues/" + id, Map.of("name", "vq2", "strategy", "fewest_answered",
                "settings", Map.of("overflow", Map.of("type", "voicemail", "value", "queue:vq2"), "noAgents", Map.of("type", "hangup"))));
        assertThat(upd.status()).as(upd.toString()).isEqualTo(200);
        var keep = admin.put("/api/v1/queues/" + id, Map.of("name", "vq3"));
        assertThat(keep.status()).as(keep.toString()).isEqualTo(200);
        assertThat(keep.json().at("/settings/overflow/value").asText()).isEqualTo("queue:vq2");
        var badUpd = admin.put("/api/v1/queues/" + id, Map.of("name", "vq3", "settings", Map.of("ringTimeoutSeconds", 301)));
        assertThat(fields(badUpd)).containsExactly("settings.ringTimeoutSeconds");
        assertThat(admin.put("/api/v1/queues/999999", Map.of("name", "zz")).status()).isEqualTo(404);
        assertThat(as("agent1").post("/api/v1/queues", Map.of("name", "x")).status()).isEqualTo(403);
        assertThat(auditActions()).contains("queue.create", "queue.update");
        assertThat(admin.delete("/api/v1/queues/" + id).status()).isEqualTo(204);
    }

    // ------------------------------------------------------------------ members

    @Test
    void membersAreListedAddedWithPenaltiesAndRemoved() {
        long sales = queueId("sales");
        var list = admin.get("/api/v1/queues/" + sales + "/members");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().findValuesAsText("username")).contains("agent1", "agent2", "agent3");

        long u = newAgent("member1", "2101");
        var put = admin.put("/api/v1/queues/" + sales + "/members/" + u, Map.of("penalty", 5));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.json().get("penalty").asInt()).isEqualTo(5);
        assertThat(put.json().get("username").asText()).isEqualTo("member1");
        var again = admin.put("/api/v1/queues/" + sales + "/members/" + u, Map.of("penalty", 2));
        assertThat(again.json().get("penalty").asInt()).isEqualTo(2);
        List<String> order = admin.get("/api/v1/queues/" + sales + "/members").json().findValuesAsText("username");
        assertThat(order.get(order.size() - 1)).as("higher penalty offered last").isEqualTo("member1");

        assertThat(fields(admin.put("/api/v1/queues/" + sales + "/members/" + u, Map.of("penalty", 101)))).containsExactly("penalty");
        assertThat(fields(admin.put("/api/v1/queues/" + sales + "/members/" + u, Map.of("penalty", -1)))).containsExactly("penalty");
        assertThat(admin.put("/api/v1/queues/" + sales + "/members/999999", Map.of("penalty", 0)).status()).isEqualTo(404);
        assertThat(admin.put("/api/v1/queues/" + sales + "/members/abc", Map.of("penalty", 0)).status()).isEqualTo(404);
        assertThat(admin.put("/api/v1/queues/999999/members/" + u, Map.of("penalty", 0)).status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/queues/999999/members").status()).isEqualTo(404);
        assertThat(as("agent1").put("/api/v1/queues/" + sales + "/members/" + u, Map.of("penalty", 0)).status()).isEqualTo(403);

        // The dispatcher learns of the new member: the supervisor's agent list shows them.
        await().atMost(Duration.ofSeconds(10)).until(() -> lead.get("/api/v1/agents").json().findValuesAsText("name").contains("Agent member1"));

        assertThat(admin.delete("/api/v1/queues/" + sales + "/members/" + u).status()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/queues/" + sales + "/members/" + u).status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/queues/" + sales + "/members").json().findValuesAsText("username")).doesNotContain("member1");
        assertThat(auditActions()).contains("queue.member.set", "queue.member.remove");
    }

    // ------------------------------------------------------------------ skills

    @Test
    void skillsAndAgentSkillLevels() {
        assertThat(admin.get("/api/v1/skills").json().findValuesAsText("name")).contains("english", "billing");
        var french = admin.post("/api/v1/skills", Map.of("name", "french"));
        assertThat(french.status()).as(french.toString()).isEqualTo(201);
        long frenchId = french.json().get("id").asLong();
        assertThat(admin.post("/api/v1/skills", Map.of("name", "French")).status()).isEqualTo(409);
        assertThat(fields(admin.post("/api/v1/skills", Map.of("name", "two words")))).containsExactly("name");
        assertThat(fields(admin.post("/api/v1/skills", Map.of("name", "")))).containsExactly("name");
        assertThat(as("agent1").post("/api/v1/skills", Map.of("name", "x")).status()).isEqualTo(403);

        long u = newAgent("skilled1", "2102");
        assertThat(admin.get("/api/v1/users/" + u + "/skills").json()).isEmpty();
        var set = admin.put("/api/v1/users/" + u + "/skills", Map.of("french", 7, "billing", 4));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(admin.get("/api/v1/users/" + u + "/skills").json().toString()).contains("\"skill\":\"french\",\"level\":7")
                .contains("\"skill\":\"billing\",\"level\":4");
        var asList = admin.put("/api/v1/users/" + u + "/skills", List.of(Map.of("skill", "english", "level", 10), Map.of("skill", "french", "level", 1)));
        assertThat(asList.status()).as(asList.toString()).isEqualTo(200);
        assertThat(asList.json().findValuesAsText("skill")).containsExactlyInAnyOrder("english", "french");
        assertThat(fields(admin.put("/api/v1/users/" + u + "/skills", Map.of("french", 11)))).containsExactly("french");
        assertThat(fields(admin.put("/api/v1/users/" + u + "/skills", Map.of("french", 0)))).containsExactly("french");
        assertThat(fields(admin.put("/api/v1/users/" + u + "/skills", Map.of("french", "high")))).containsExactly("french");
        assertThat(fields(admin.put("/api/v1/users/" + u + "/skills", Map.of("klingon", 3)))).containsExactly("klingon");
        assertThat(admin.put("/api/v1/users/" + u + "/skills", "english").status()).isEqualTo(400);
        assertThat(admin.put("/api/v1/users/999999/skills", Map.of("french", 3)).status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/users/999999/skills").status()).isEqualTo(404);

        // The dispatcher sees the levels (queue members show their skills in the agents list).
        admin.put("/api/v1/queues/" + queueId("support") + "/members/" + u, Map.of("penalty", 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (JsonNode a : lead.get("/api/v1/agents").json()) {
                if (a.get("userId").asLong() == u) return a.at("/skills/english").asInt() == 10;
            }
            return false;
        });

        // A skill a queue requires cannot go; another can, and agents' levels in it go with it.
        assertThat(admin.delete("/api/v1/skills/" + skillId("english")).status()).isEqualTo(409);
        assertThat(admin.delete("/api/v1/skills/" + frenchId).status()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/skills/" + frenchId).status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/users/" + u + "/skills").json().findValuesAsText("skill")).containsExactly("english");
        assertThat(auditActions()).contains("skill.create", "skill.delete", "agent.skills");
    }

    long skillId(String name) {
        for (JsonNode s : admin.get("/api/v1/skills").json()) if (s.get("name").asText().equals(name)) return s.get("id").asLong();
        throw new AssertionError("no skill " + name);
    }

    // ------------------------------------------------------------------ reason codes

    @Test
    void reasonCodes() {
        ApiClient agent = as("agent2");
        assertThat(agent.get("/api/v1/reason-codes").json().findValuesAsText("code")).contains("break", "meal", "meeting", "training");
        var c = admin.post("/api/v1/reason-codes", Map.of("code", "coaching", "name", "辅导 Coaching"));
        assertThat(c.status()).as(c.toString()).isEqualTo(201);
        assertThat(admin.post("/api/v1/reason-codes", Map.of("code", "coaching", "name", "again")).status()).isEqualTo(409);
        assertThat(fields(admin.post("/api/v1/reason-codes", Map.of("code", "a b")))).containsExactlyInAnyOrder("code", "name");
        assertThat(agent.post("/api/v1/reason-codes", Map.of("code", "nap", "name", "Nap")).status()).isEqualTo(403);
        long id = c.json().get("id").asLong();
        assertThat(admin.delete("/api/v1/reason-codes/" + id).status()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/reason-codes/" + id).status()).isEqualTo(404);
        assertThat(agent.get("/api/v1/reason-codes").json().findValuesAsText("code")).doesNotContain("coaching");
        assertThat(auditActions()).contains("reason.create", "reason.delete");
    }

    // ------------------------------------------------------------------ the agent's own state

    @Test
    void agentLogsInGoesReadyAndNotReadyAndLogsOut() {
        ApiClient agent = as("agent1");
        long me = userId("agent1");
        var st = agent.get("/api/v1/agent/state");
        assertThat(st.status()).isEqualTo(200);
        assertThat(st.json().get("state").asText()).isEqualTo("logged_out");

        // Logged out: no state change but a login.
        var nr = agent.put("/api/v1/agent/state", Map.of("state", "not_ready", "reason", "break"));
        assertThat(nr.status()).as(nr.toString()).isEqualTo(409);
        assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(409);
        assertThat(fields(agent.put("/api/v1/agent/state", Map.of("state", "not_ready")))).containsExactly("reason");
        assertThat(fields(agent.put("/api/v1/agent/state", Map.of("state", "not_ready", "reason", "nap")))).containsExactly("reason");
        assertThat(fields(agent.put("/api/v1/agent/state", Map.of("state", "on_call")))).containsExactly("state");
        assertThat(fields(agent.put("/api/v1/agent/state", Map.of()))).containsExactly("state");

        // Devices.
        assertThat(fields(agent.post("/api/v1/agent/session", Map.of("device", "fax")))).containsExactly("device");
        assertThat(fields(agent.post("/api/v1/agent/session", Map.of()))).containsExactly("device");
        assertThat(fields(agent.post("/api/v1/agent/session", Map.of("device", "external")))).containsExactly("number");
        var browser = agent.post("/api/v1/agent/session", Map.of("device", "webrtc")); // the browser phone (issue 7)
        assertThat(browser.status()).as(browser.toString()).isEqualTo(200);
        assertThat(browser.json().get("device").asText()).isEqualTo("webrtc");
        assertThat(agent.delete("/api/v1/agent/session").status()).isEqualTo(200);

        var login = agent.post("/api/v1/agent/session", Map.of("device", "sip"));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(login.json().get("state").asText()).isEqualTo("not_ready");
        assertThat(login.json().get("device").asText()).isEqualTo("sip");
        assertThat(login.json().get("deviceNumber").asText()).isEqualTo("1001");
        // Issue 14: extension 1001 is not registered, so it cannot ring: not ready it stays, and the view says why.
        assertThat(login.json().get("deviceReachable").asBoolean()).isFalse();
        var refused = agent.put("/api/v1/agent/state", Map.of("state", "ready"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("device_unreachable");
        assertThat(refused.json().get("message").asText()).contains("1001 is not registered");
        var outside = agent.post("/api/v1/agent/session", Map.of("device", "external", "number", "13800009999"));
        assertThat(outside.json().get("deviceReachable").asBoolean()).as("routable through the demo's outbound route").isTrue();

        var ready = agent.put("/api/v1/agent/state", Map.of("state", "ready"));
        assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
        assertThat(ready.json().get("state").asText()).isEqualTo("ready");
        var brk = agent.put("/api/v1/agent/state", Map.of("state", "not_ready", "reason", "meal"));
        assertThat(brk.json().get("state").asText()).isEqualTo("not_ready");
        assertThat(brk.json().get("reason").asText()).isEqualTo("meal");
        assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).json().get("state").asText()).isEqualTo("ready");
        assertThat(agent.get("/api/v1/agent/state").json().get("state").asText()).isEqualTo("ready");

        // The supervisor sees it live, and the state log has every step, newest first.
        JsonNode row = agentRow(me);
        assertThat(row.get("state").asText()).isEqualTo("ready");
        assertThat(row.get("jobNumber").asText()).isEqualTo("8001");
        var events = lead.get("/api/v1/agents/" + me + "/events");
        assertThat(events.status()).as(events.toString()).isEqualTo(200);
        assertThat(events.json().findValuesAsText("state").subList(0, 4)).containsExactly("ready", "not_ready", "ready", "not_ready");
        assertThat(events.json().get(1).get("reason").asText()).isEqualTo("meal");
        assertThat(lead.get("/api/v1/agents/" + me + "/events?limit=2").json()).hasSize(2);
        assertThat(lead.get("/api/v1/agents/" + me + "/events?from=2999-01-01T00:00:00Z").json()).isEmpty();
        assertThat(fields(lead.get("/api/v1/agents/" + me + "/events?limit=0"))).containsExactly("limit");
        assertThat(fields(lead.get("/api/v1/agents/" + me + "/events?from=yesterday"))).containsExactly("from");
        assertThat(lead.get("/api/v1/agents/999999/events").status()).isEqualTo(404);

        var out = agent.delete("/api/v1/agent/session");
        assertThat(out.status()).as(out.toString()).isEqualTo(200);
        assertThat(out.json().get("state").asText()).isEqualTo("logged_out");
        assertThat(agent.get("/api/v1/agent/state").json().get("state").asText()).isEqualTo("logged_out");
        assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(409);
    }

    @Test
    void externalPhoneMode() {
        ApiClient agent = as("agent2");
        var bad = agent.post("/api/v1/agent/session", Map.of("device", "external", "number", "12ab"));
        assertThat(fields(bad)).containsExactly("number");
        var login = agent.post("/api/v1/agent/session", Map.of("device", "external", "number", "13800001111"));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(login.json().get("device").asText()).isEqualTo("external");
        assertThat(login.json().get("deviceNumber").asText()).isEqualTo("13800001111");
        // Switching device while signed in keeps the state, unless the new phone cannot ring (1002 is not registered).
        agent.put("/api/v1/agent/state", Map.of("state", "ready"));
        var again = agent.post("/api/v1/agent/session", Map.of("device", "external", "number", "13800002222"));
        assertThat(again.json().get("state").asText()).isEqualTo("ready");
        var sip = agent.post("/api/v1/agent/session", Map.of("device", "sip"));
        assertThat(sip.json().get("state").asText()).isEqualTo("not_ready");
        assertThat(sip.json().get("reason").asText()).isEqualTo("unreachable");
        assertThat(sip.json().get("deviceNumber").asText()).isEqualTo("1002");
        assertThat(agent.delete("/api/v1/agent/session").json().get("state").asText()).isEqualTo("logged_out");
    }

    JsonNode agentRow(long userId) {
        for (JsonNode a : lead.get("/api/v1/agents").json()) if (a.get("userId").asLong() == userId) return a;
        throw new AssertionError("agent " + userId + " not in the supervisor's list");
    }

    // ------------------------------------------------------------------ supervisors

    @Test
    void supervisorForcesStatesAndOthersMayNot() {
        ApiClient agent = as("agent3");
        long me = userId("agent3");
        assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);

        // Agents may neither watch nor force.
        assertThat(agent.get("/api/v1/agents").status()).isEqualTo(403);
        assertThat(agent.put("/api/v1/agents/" + me + "/state", Map.of("state", "ready")).status()).isEqualTo(403);
        assertThat(agent.get("/api/v1/queues/live").status()).isEqualTo(403);
        // A custom role with monitor.read but without agent.manage watches but cannot force.
        long role = admin.post("/api/v1/roles", Map.of("name", "watcher", "permissions", List.of("monitor.read"))).json().get("id").asLong();
        var w = admin.post("/api/v1/users", Map.of("username", "watcher1", "password", TestServer.DEMO_PASSWORD, "roleId", role));
        assertThat(w.status()).as(w.toString()).isEqualTo(201);
        ApiClient watcher = as("watcher1");
        assertThat(watcher.get("/api/v1/agents").status()).isEqualTo(200);
        assertThat(watcher.put("/api/v1/agents/" + me + "/state", Map.of("state", "ready")).status()).isEqualTo(403);

        assertThat(lead.get("/api/v1/me").json().get("permissions").toString()).contains("agent.manage");
        // Not even a supervisor makes an agent ready on a phone that cannot ring (1003 is not registered); the list says why.
        var unreachable = lead.put("/api/v1/agents/" + me + "/state", Map.of("state", "ready"));
        assertThat(unreachable.status()).isEqualTo(409);
        assertThat(unreachable.code()).isEqualTo("device_unreachable");
        assertThat(agentRow(me).get("deviceReachable").asBoolean()).isFalse();
        assertThat(agent.post("/api/v1/agent/session", Map.of("device", "external", "number", "13800003333")).status()).isEqualTo(200);
        var ready = lead.put("/api/v1/agents/" + me + "/state", Map.of("state", "ready"));
        assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
        assertThat(agent.get("/api/v1/agent/state").json().get("state").asText()).isEqualTo("ready");
        assertThat(fields(lead.put("/api/v1/agents/" + me + "/state", Map.of("state", "not_ready")))).containsExactly("reason");
        var nr = lead.put("/api/v1/agents/" + me + "/state", Map.of("state", "not_ready", "reason", "meeting"));
        assertThat(nr.json().get("reason").asText()).isEqualTo("meeting");
        assertThat(agentRow(me).get("reason").asText()).isEqualTo("meeting");
        var out = lead.put("/api/v1/agents/" + me + "/state", Map.of("state", "logged_out"));
        assertThat(out.status()).isEqualTo(200);
        assertThat(agent.get("/api/v1/agent/state").json().get("state").asText()).isEqualTo("logged_out");
        // Forcing a logged-out agent ready is refused by the state machine.
        assertThat(lead.put("/api/v1/agents/" + me + "/state", Map.of("state", "ready")).status()).isEqualTo(409);
        assertThat(lead.put("/api/v1/agents/999999/state", Map.of("state", "ready")).status()).isEqualTo(404);

        JsonNode events = lead.get("/api/v1/agents/" + me + "/events").json();
        assertThat(events.get(0).get("state").asText()).isEqualTo("logged_out");
        assertThat(events.get(0).get("cause").asText()).isEqualTo("supervisor");
        var audit = admin.get("/api/v1/audit?action=agent.state").json();
        assertThat(audit.toString()).contains("agent3", "state=not_ready reason=meeting", "state=logged_out");
    }

    @Test
    void builtInRolesCarryAgentManage() {
        Map<String, String> perms = new HashMap<>();
        for (JsonNode r : admin.get("/api/v1/roles").json()) perms.put(r.get("name").asText(), r.get("permissions").toString());
        assertThat(perms.get("admin")).contains("agent.manage");
        assertThat(perms.get("supervisor")).contains("agent.manage");
        assertThat(perms.get("agent")).doesNotContain("agent.manage");
    }

    @Test
    void liveQueueFiguresAndWaitingCallers() {
        var live = lead.get("/api/v1/queues/live");
        assertThat(live.status()).as(live.toString()).isEqualTo(200);
        assertThat(live.json().findValuesAsText("name")).contains("sales", "support");
        for (JsonNode q : live.json()) {
            assertThat(q.get("waiting").asInt()).isZero();
            assertThat(q.get("agents").has("ready")).isTrue();
        }
        var waiting = lead.get("/api/v1/queues/waiting");
        assertThat(waiting.status()).isEqualTo(200);
        assertThat(waiting.json().isArray()).isTrue();
    }
}
