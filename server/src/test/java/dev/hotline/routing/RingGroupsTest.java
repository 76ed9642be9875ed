package dev.hotline.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * PBX-3 ring groups end to end: SIPp phones registered as the members, callers from the trunk through
 * a number (DID), a flow's transfer or an extension dialling the group's number.
 */
class RingGroupsTest extends ServerCallTest {
    @Override
    String defaultCaller() {
        return "13700000000";
    }

    JsonNode group(String name, String strategy, int ringSeconds, List<String> members, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("name", name, "strategy", strategy, "ringSeconds", ringSeconds, "members", members));
        body.putAll(extra);
        var r = admin.post("/api/v1/ring-groups", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json();
    }

    void number(String number, String group) {
        var r = admin.post("/api/v1/numbers", Map.of("number", number, "destinationType", "ringgroup", "destination", group));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    JsonNode record(String caller, String callee) {
        return await("call record " + caller + " -> " + callee).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> find(caller, callee), Optional::isPresent).get();
    }

    Optional<JsonNode> find(String caller, String callee) {
        for (JsonNode r : admin.get("/api/v1/calls?limit=500").json().get("items")) {
            if (r.get("caller").asText().equals(caller) && r.get("callee").asText().equals(callee)) return Optional.of(r);
        }
        return Optional.empty();
    }

    /** A call's legs: channel → "target / answered? / hang-up cause". */
    record Leg(String target, boolean answered, String hangup) {}

    Map<String, Leg> legs(JsonNode record) {
        Map<String, String> targets = new LinkedHashMap<>();
        Map<String, Boolean> answered = new LinkedHashMap<>();
        Map<String, String> causes = new LinkedHashMap<>();
        for (JsonNode e : admin.get("/api/v1/calls/" + record.get("callId").asText() + "/events").json()) {
            String ch = e.path("channelId").asText();
            String data = e.path("data").asText();
            switch (e.get("type").asText()) {
                case "dialing" -> targets.put(ch, data.replace("target=", ""));
                case "answered" -> answered.put(ch, true);
                case "hangup" -> causes.put(ch, data.replaceAll("cause=(\\S+).*", "$1"));
                default -> { }
            }
        }
        Map<String, Leg> out = new LinkedHashMap<>();
        targets.forEach((ch, t) -> out.put(t, new Leg(t, answered.getOrDefault(ch, false), causes.get(ch))));
        return out;
    }

    @Test
    void ringAllRingsEveryRegisteredMemberAndTheFirstToAnswerTakesTheCall() throws Exception {
        assertThat(admin.post("/api/v1/extensions", Map.of("number", "2301", "sipPassword", "ext-2301-pw")).status()).isEqualTo(201);
        group("everyone", "ring_all", 20, List.of("1001", "1002", "2301", "1003"), Map.of());
        number("4701", "everyone");
        int p1 = Ports.free();
        int p2 = Ports.free();
        int p3 = Ports.free();
        register("1001", PW, p1, "200");
        register("1002", PW, p2, "200");
        register("1003", PW, p3, "200");
        Sipp.Run ringing2 = uas("uas_ring_cancel", p2, vars());
        Sipp.Run ringing3 = uas("uas_ring_cancel", p3, vars());
        // 1001 answers after ringing a moment, when the others surely ring too; the caller talks a while, then hangs up
        Sipp.Run answers = uas("uas_answer_late", p1, vars("FROMCHECK", "sip:13700000001@", "RINGMS", "1500"));
        ok(uac("uac_call", "4701", vars("FROM", "13700000001", "PAUSE", "3000")));
        ok(answers);
        ok(ringing2);
        ok(ringing3);
        JsonNode r = record("13700000001", "4701");
        assertThat(r.get("outcome").asText()).isEqualTo("answered");
        Map<String, Leg> legs = legs(r);
        assertThat(legs.keySet()).as("2301 is not registered: skipped").containsExactlyInAnyOrder(
                "ringgroup everyone extension 1001", "ringgroup everyone extension 1002", "ringgroup everyone extension 1003");
        assertThat(legs.get("ringgroup everyone extension 1001").answered()).isTrue();
        assertThat(legs.get("ringgroup everyone extension 1002")).isEqualTo(new Leg("ringgroup everyone extension 1002", false, "ORIGINATOR_CANCEL"));
        assertThat(legs.get("ringgroup everyone extension 1003")).isEqualTo(new Leg("ringgroup everyone extension 1003", false, "ORIGINATOR_CANCEL"));
        await().atMost(Duration.ofSeconds(5)).until(() -> server.hotline().router().activeCalls() == 0);
    }

    @Test
    void ringAllThatRingsOutHangsUpOnTheCaller() throws Exception {
        group("ring-out", "ring_all", 5, List.of("1001"), Map.of());
        number("4705", "ring-out");
        int p1 = Ports.free();
        register("1001", PW, p1, "200");
        Sipp.Run ringing = uas("uas_ring_cancel", p1, vars());
        // answered with a ring tone at once, then hung up on when the group's 5 s are over
        ok(uac("uac_wait_bye", "4705", vars("FROM", "13700000005")));
        ok(ringing);
        Map<String, Leg> legs = legs(record("13700000005", "4705"));
        assertThat(legs.get("ringgroup ring-out extension 1001")).isEqualTo(new Leg("ringgroup ring-out extension 1001", false, "NO_ANSWER"));
    }

    @Test
    void linearRingsMembersOneAfterTheOther() throws Exception {
        group("in-turn", "linear", 5, List.of("1001", "1002"), Map.of());
        number("4702", "in-turn");
        int p1 = Ports.free();
        int p2 = Ports.free();
        register("1001", PW, p1, "200");
        register("1002", PW, p2, "200");
        Sipp.Run first = uas("uas_ring_cancel", p1, vars());
        Sipp.Run second = uas("uas_answer", p2, vars());
        ok(uac("uac_call", "4702", vars("FROM", "13700000002", "PAUSE", "500")));
        ok(first);
        ok(second);
        JsonNode r = record("13700000002", "4702");
        assertThat(r.get("outcome").asText()).isEqualTo("answered");
        Map<String, Leg> legs = legs(r);
        assertThat(legs.keySet()).containsExactly("ringgroup in-turn extension 1001", "ringgroup in-turn extension 1002");
        assertThat(legs.get("ringgroup in-turn extension 1001").answered()).isFalse();
        assertThat(legs.get("ringgroup in-turn extension 1001").hangup()).isEqualTo("NO_ANSWER");
        assertThat(legs.get("ringgroup in-turn extension 1002").answered()).isTrue();
    }

    @Test
    void nobodyToRingSendsTheCallerToTheFailDestination() throws Exception {
        assertThat(admin.post("/api/v1/extensions", Map.of("number", "2302", "sipPassword", "ext-2302-pw")).status()).isEqualTo(201);
        group("night-desk", "ring_all", 10, List.of("2302"), Map.of("fail", Map.of("type", "voicemail", "value", "extension:1003")));
        number("4703", "night-desk");
        ok(uac("uac_call", "4703", vars("FROM", "13700000003", "PAUSE", "7000")));
        JsonNode list = await("a voicemail").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(
                () -> admin.get("/api/v1/voicemail?boxType=extension&box=1003").json(),
                l -> l.findValuesAsText("caller").contains("13700000003"));
        assertThat(list.toString()).contains("13700000003");
        JsonNode r = record("13700000003", "4703");
        assertThat(legs(r)).isEmpty();
    }

    @Test
    void aFlowTransfersToARingGroupAndAnExtensionDialsItsNumber() throws Exception {
        group("flow-team", "ring_all", 20, List.of("1002"), Map.of("number", "651"));
        String graph = "{'start':'t','nodes':{'t':{'type':'transfer','target':'ringgroup','value':'flow-team','fail':'bye'},'bye':{'type':'hangup'}}}";
        long id = admin.post("/api/v1/flows", Map.of("name", "to_group")).json().get("id").asLong();
        var bad = admin.raw("PUT", "/api/v1/flows/" + id + "/draft", graph.replace("flow-team", "no-such-group").replace('\'', '"'), "application/json");
        assertThat(bad.json().get("problems").toString()).contains("no such ring group");
        var saved = admin.raw("PUT", "/api/v1/flows/" + id + "/draft", graph.replace('\'', '"'), "application/json");
        assertThat(saved.json().get("problems")).as(saved.toString()).isEmpty();
        assertThat(admin.post("/api/v1/flows/" + id + "/publish", null).status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4704", "destinationType", "flow", "destination", "to_group")).status())
                .isEqualTo(201);
        int p2 = Ports.free();
        register("1002", PW, p2, "200");
        Sipp.Run member = uas("uas_answer", p2, vars());
        ok(uac("uac_call", "4704", vars("FROM", "13700000004", "PAUSE", "800")));
        ok(member);
        Map<String, Leg> legs = legs(record("13700000004", "4704"));
        assertThat(legs.get("ringgroup flow-team extension 1002").answered()).isTrue();

        // 1003 dials the group's number 651: 1002 rings, showing 1003 as the caller.
        register("1003", PW, Ports.free(), "200");
        Sipp.Run again = uas("uas_answer", p2, vars("FROMCHECK", "sip:1003@"));
        ok(uac("uac_call", "651", vars("FROM", "1003", "PAUSE", "500"), "-au", "1003", "-ap", PW));
        ok(again);
        JsonNode internal = record("1003", "651");
        assertThat(internal.get("direction").asText()).isEqualTo("internal");
        assertThat(legs(internal).get("ringgroup flow-team extension 1002").answered()).isTrue();
    }

    @Test
    void theApiValidatesRingGroupsAndAuditsChanges() {
        var ok = admin.post("/api/v1/ring-groups", Map.of("name", "api-team", "members", List.of("1001", "1002"), "number", "652"));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
        JsonNode g = ok.json();
        assertThat(g.get("strategy").asText()).isEqualTo("ring_all");
        assertThat(g.get("ringSeconds").asInt()).isEqualTo(20);
        assertThat(g.get("fail").get("type").asText()).isEqualTo("hangup");
        long id = g.get("id").asLong();

        var bad = admin.post("/api/v1/ring-groups", Map.of("name", "bad", "strategy", "random", "ringSeconds", 3,
                "members", List.of("1001", "9999"), "number", "1003", "fail", Map.of("type", "voicemail", "value", "queue:nope")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("fieldErrors").findValuesAsText("field")).contains("strategy", "ringSeconds", "members", "number", "fail");
        assertThat(admin.post("/api/v1/ring-groups", Map.of("name", "empty", "members", List.of())).status()).isEqualTo(400);
        assertThat(admin.post("/api/v1/ring-groups", Map.of("name", "twice", "members", List.of("1001", "1001"))).status()).isEqualTo(400);
        assertThat(admin.post("/api/v1/ring-groups", Map.of("name", "API-team", "members", List.of("1001"))).status()).isEqualTo(409);
        assertThat(admin.post("/api/v1/ring-groups", Map.of("name", "other", "members", List.of("1001"), "number", "652")).status()).isEqualTo(409);
        assertThat(admin.post("/api/v1/conference-rooms", Map.of("number", "652", "name", "clash")).status()).isEqualTo(400);
        // the reverse: an extension created (or renumbered) later with the group's number is refused, naming the field
        var ext = admin.post("/api/v1/extensions", Map.of("number", "652", "sipPassword", "ext-652-pw-long"));
        assertThat(ext.status()).as(ext.toString()).isEqualTo(400);
        assertThat(ext.json().get("fieldErrors").findValuesAsText("field")).containsExactly("number");
        assertThat(ext.body()).contains("ring group");
        long renumbered = admin.post("/api/v1/extensions", Map.of("number", "2309", "sipPassword", "ext-2309-pw-long")).json().get("id").asLong();
        assertThat(admin.put("/api/v1/extensions/" + renumbered, Map.of("number", "652")).status()).isEqualTo(400);
        assertThat(admin.put("/api/v1/extensions/" + renumbered, Map.of("number", "2309", "enabled", false)).status()).isEqualTo(200);
        assertThat(admin.delete("/api/v1/extensions/" + renumbered).status()).isEqualTo(204);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4790", "destinationType", "ringgroup", "destination", "nope")).status())
                .isEqualTo(400);

        var changed = admin.put("/api/v1/ring-groups/" + id, Map.of("name", "api-team", "strategy", "linear", "ringSeconds", 15,
                "members", List.of("1002", "1001"), "fail", Map.of("type", "queue", "value", "support")));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().get("members").toString()).isEqualTo("[\"1002\",\"1001\"]");
        assertThat(changed.json().get("number").isNull()).isTrue();
        assertThat(admin.get("/api/v1/ring-groups").json().findValuesAsText("name")).contains("api-team");

        number("4791", "api-team");
        assertThat(admin.delete("/api/v1/ring-groups/" + id).status()).as("a number points to it").isEqualTo(409);
        long did = admin.get("/api/v1/numbers").json().findParents("number").stream().filter(x -> x.get("number").asText().equals("4791"))
                .findFirst().orElseThrow().get("id").asLong();
        assertThat(admin.delete("/api/v1/numbers/" + did).status()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/ring-groups/" + id).status()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/ring-groups/" + id).status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/audit?action=ringgroup").json().findValuesAsText("action"))
                .contains("ringgroup.create", "ringgroup.update", "ringgroup.delete");
    }
}
