package dev.hotline.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * PBX-3 and PBX-4 end to end (docs/pbx-features.md): call forwarding (busy, no answer, not registered, always to an
 * outside number), do-not-disturb, call waiting, park and pickup (directed and group), blind transfer to an outside
 * number, and the phone's feature codes, asserted through the API and the call's events. One server; every test has
 * extensions of its own, so that the settings of one do not reach another.
 */
class PbxFeaturesTest extends ServerCallTest {
    private int carrier;

    @Override
    String defaultCaller() {
        return "13900000000";
    }

    long ext(String number) {
        var r = admin.post("/api/v1/extensions", Map.of("number", number, "sipPassword", PW));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    void did(String number, String extension) {
        var r = admin.post("/api/v1/numbers", Map.of("number", number, "destinationType", "extension", "destination", extension));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    JsonNode features(long id) {
        var r = admin.get("/api/v1/extensions/" + id + "/features");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    JsonNode setFeatures(long id, Map<String, Object> body) {
        var r = admin.put("/api/v1/extensions/" + id + "/features", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** A phone of {@code extension} dials a feature code: answered, a beep, hung up. */
    void code(String extension, String dialled) throws Exception {
        ok(uac("uac_auth_wait_bye", dialled, vars("FROM", extension), "-au", extension, "-ap", PW));
    }

    /** An outside carrier (a trunk to a SIPp port) reached by numbers starting with 955. */
    int carrier() {
        if (carrier == 0) {
            carrier = Ports.free();
            long trunk = admin.post("/api/v1/trunks", Map.of("name", "pbx-carrier", "host", "127.0.0.1", "port", carrier)).json().get("id").asLong();
            var route = admin.post("/api/v1/outbound-routes", Map.of("name", "pbx-955", "prefix", "955", "trunkId", trunk, "priority", 1));
            assertThat(route.status()).as(route.toString()).isEqualTo(201);
        }
        return carrier;
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

    /** The call's events as "type data". */
    List<String> events(JsonNode record) {
        List<String> out = new ArrayList<>();
        admin.get("/api/v1/calls/" + record.get("callId").asText() + "/events").json()
                .forEach(e -> out.add(e.get("type").asText() + " " + e.path("data").asText()));
        return out;
    }

    record Leg(boolean answered, String hangup) {}

    /** The call's dialled legs: target → answered? and hang-up cause. */
    Map<String, Leg> legs(JsonNode record) {
        Map<String, String> targets = new LinkedHashMap<>();
        Map<String, Boolean> answered = new LinkedHashMap<>();
        Map<String, String> causes = new LinkedHashMap<>();
        for (JsonNode e : admin.get("/api/v1/calls/" + record.get("callId").asText() + "/events").json()) {
            String ch = e.path("channelId").asText();
            String data = e.path("data").asText();
            switch (e.get("type").asText()) {
                case "dialing" -> targets.put(ch, data.replace("target=", "").replaceAll("@.*", ""));
                case "answered" -> answered.put(ch, true);
                case "hangup" -> causes.put(ch, data.replaceAll("cause=(\\S+).*", "$1"));
                default -> { }
            }
        }
        Map<String, Leg> out = new LinkedHashMap<>();
        targets.forEach((ch, t) -> out.put(t, new Leg(answered.getOrDefault(ch, false), causes.get(ch))));
        return out;
    }

    Optional<Channel> channel(String callerUser, String calleeUser) {
        return server.hotline().engine().channels().stream()
                .filter(c -> callerUser.equals(c.caller().user()) && calleeUser.equals(c.callee().user())).findFirst();
    }

    /** Every channel from {@code callerUser} to {@code calleeUser} (an extension's call: its own leg and the leg dialled). */
    List<Channel> channels(String callerUser, String calleeUser) {
        return server.hotline().engine().channels().stream()
                .filter(c -> callerUser.equals(c.caller().user()) && calleeUser.equals(c.callee().user())).toList();
    }

    boolean ringing(String extension) {
        return server.hotline().engine().channels().stream()
                .anyMatch(c -> extension.equals(c.callee().user()) && c.state() == ChannelState.RINGING);
    }

    @Test
    void forwardOnBusyReachesTheTarget() throws Exception {
        long a = ext("2101");
        ext("2102");
        did("4821", "2101");
        assertThat(setFeatures(a, Map.of("forwardBusy", "2102")).get("forwardBusy").asText()).isEqualTo("2102");
        int p1 = Ports.free();
        int p2 = Ports.free();
        register("2101", PW, p1, "200");
        register("2102", PW, p2, "200");
        Sipp.Run busy = uas("uas_reject", p1, vars("CODE", "486"));
        Sipp.Run target = uas("uas_answer", p2, vars("FROMCHECK", "sip:13900000001@"));
        ok(uac("uac_call", "4821", vars("FROM", "13900000001", "PAUSE", "500")));
        ok(busy);
        ok(target);
        JsonNode r = record("13900000001", "4821");
        assertThat(r.get("outcome").asText()).isEqualTo("answered");
        Map<String, Leg> legs = legs(r);
        assertThat(legs.get("extension 2101")).isEqualTo(new Leg(false, "USER_BUSY"));
        assertThat(legs.get("extension 2102").answered()).isTrue();
        assertThat(events(r)).contains("pbx feature=forward-busy detail=2101>2102");
    }

    @Test
    void forwardOnNoAnswerAfterTheExtensionsRingTime() throws Exception {
        long a = ext("2111");
        ext("2112");
        did("4822", "2111");
        setFeatures(a, Map.of("forwardNoAnswer", "2112", "noAnswerSeconds", 3));
        int p1 = Ports.free();
        int p2 = Ports.free();
        register("2111", PW, p1, "200");
        register("2112", PW, p2, "200");
        Sipp.Run ringsOut = uas("uas_ring_cancel", p1, vars());
        Sipp.Run target = uas("uas_answer", p2, vars());
        long start = System.nanoTime();
        ok(uac("uac_call", "4822", vars("FROM", "13900000002", "PAUSE", "300")));
        long ms = (System.nanoTime() - start) / 1_000_000;
        ok(ringsOut);
        ok(target);
        assertThat(ms).as("rang 3 s, then forwarded").isBetween(3000L, 12000L);
        JsonNode r = record("13900000002", "4822");
        Map<String, Leg> legs = legs(r);
        assertThat(legs.get("extension 2111")).isEqualTo(new Leg(false, "NO_ANSWER"));
        assertThat(legs.get("extension 2112").answered()).isTrue();
        assertThat(events(r)).contains("pbx feature=forward-noanswer detail=2111>2112");
    }

    @Test
    void forwardWhenNotRegisteredAndForwardAlwaysToAnOutsideNumberSetFromThePhone() throws Exception {
        long a = ext("2121"); // never registered
        long b = ext("2122");
        did("4823", "2121");
        did("4824", "2122");
        setFeatures(a, Map.of("forwardUnregistered", "2122"));
        int p2 = Ports.free();
        register("2122", PW, p2, "200");
        Sipp.Run target = uas("uas_answer", p2, vars());
        ok(uac("uac_call", "4823", vars("FROM", "13900000003", "PAUSE", "300")));
        ok(target);
        JsonNode r = record("13900000003", "4823");
        assertThat(legs(r).get("extension 2122").answered()).isTrue();
        assertThat(events(r)).contains("pbx feature=forward-unregistered detail=2121>2122");

        // *72<number>: 2122 forwards every call to an outside number, through the routes; the carrier sees the caller.
        int carrier = carrier();
        code("2122", "*729551234");
        assertThat(features(b).get("forwardAlways").asText()).isEqualTo("9551234");
        Sipp.Run outside = uas("uas_answer", carrier, vars("FROMCHECK", "sip:13900000004@"));
        ok(uac("uac_call", "4824", vars("FROM", "13900000004", "PAUSE", "300")));
        ok(outside);
        JsonNode out = record("13900000004", "4824");
        assertThat(events(out)).contains("pbx feature=forward-always detail=2122>9551234");
        assertThat(legs(out)).doesNotContainKey("extension 2122");
        assertThat(legs(out).values()).extracting(Leg::answered).containsExactly(true);

        // PBX-7: an extension that may not call out does not forward out either: the caller is refused.
        assertThat(admin.put("/api/v1/extensions/" + b, Map.of("number", "2122", "outboundAllowed", false)).status()).isEqualTo(200);
        ok(uac("uac_fail", "4824", vars("FROM", "13900000005", "CODE", "403")));
        assertThat(admin.put("/api/v1/extensions/" + b, Map.of("number", "2122", "outboundAllowed", true)).status()).isEqualTo(200);

        code("2122", "*73");
        assertThat(features(b).get("forwardAlways").isNull()).isTrue();
        code("2122", "*90555"); // busy → 555 ... then off again
        assertThat(features(b).get("forwardBusy").asText()).isEqualTo("555");
        code("2122", "*91");
        code("2122", "*922121");
        assertThat(features(b).get("forwardNoAnswer").asText()).isEqualTo("2121");
        code("2122", "*93");
        code("2122", "*942121");
        assertThat(features(b).get("forwardUnregistered").asText()).isEqualTo("2121");
        code("2122", "*95");
        code("2122", "*722122"); // forwarding to itself is refused: nothing changes
        JsonNode f = features(b);
        for (String k : List.of("forwardAlways", "forwardBusy", "forwardNoAnswer", "forwardUnregistered")) assertThat(f.get(k).isNull()).as(k).isTrue();
    }

    @Test
    void doNotDisturbGivesBusy() throws Exception {
        long a = ext("2131");
        did("4825", "2131");
        register("2131", PW, Ports.free(), "200");
        code("2131", "*78");
        assertThat(features(a).get("dnd").asBoolean()).isTrue();
        ok(uac("uac_fail", "4825", vars("FROM", "13900000006", "CODE", "486")));
        JsonNode r = record("13900000006", "4825");
        assertThat(events(r)).contains("pbx feature=dnd detail=2131");
        code("2131", "*79");
        assertThat(features(a).get("dnd").asBoolean()).isFalse();
        // and from the console: DND on, then the phone is busy to an extension calling it too
        setFeatures(a, Map.of("dnd", true));
        register("1003", PW, Ports.free(), "200");
        ok(uac("uac_fail_auth", "2131", vars("FROM", "1003", "CODE", "486"), "-au", "1003", "-ap", PW));
        setFeatures(a, Map.of("dnd", false));
    }

    @Test
    void callWaitingRingsABusyExtensionWithTheAlertElseBusy() throws Exception {
        long a = ext("2141");
        ext("2142");
        did("4826", "2141");
        int p1 = Ports.free();
        int p2 = Ports.free();
        register("2141", PW, p1, "200");
        register("2142", PW, p2, "200");
        assertThat(features(a).get("callWaiting").asBoolean()).as("on by default").isTrue();

        // 2141 is on a call with 2142; a second call rings it with the call-waiting alert.
        Sipp.Run callee = uas("uas_answer", p2, vars());
        Sipp.Run first = uac("uac_call", "2142", vars("FROM", "2141", "PAUSE", "4000"), "-au", "2141", "-ap", PW);
        await("2141 busy").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> features(a).get("busy").asBoolean());
        Sipp.Run waiting = uas("uas_answer_alert", p1, vars("ALERT", "call-waiting"));
        ok(uac("uac_call", "4826", vars("FROM", "13900000007", "PAUSE", "300")));
        ok(waiting);
        assertThat(events(record("13900000007", "4826"))).contains("pbx feature=call-waiting detail=2141");
        ok(first);
        ok(callee);
        await().atMost(Duration.ofSeconds(5)).until(() -> !features(a).get("busy").asBoolean());

        // *71: call waiting off; the second call now finds 2141 busy.
        code("2141", "*71");
        assertThat(features(a).get("callWaiting").asBoolean()).isFalse();
        callee = uas("uas_answer", p2, vars());
        first = uac("uac_call", "2142", vars("FROM", "2141", "PAUSE", "3000"), "-au", "2141", "-ap", PW);
        await("2141 busy").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> features(a).get("busy").asBoolean());
        ok(uac("uac_fail", "4826", vars("FROM", "13900000008", "CODE", "486")));
        ok(first);
        ok(callee);
        code("2141", "*70");
        assertThat(features(a).get("callWaiting").asBoolean()).isTrue();
    }

    @Test
    void holdAndAnswerTheWaitingCallFromThePhone() throws Exception {
        long a = ext("2241");
        ext("2242");
        did("4834", "2241");
        int p1 = Ports.free();
        int p2 = Ports.free();
        register("2241", PW, p1, "200");
        register("2242", PW, p2, "200");
        // 2241's phone calls 2242, then holds that call with its own re-INVITE (a=sendonly): 2242 hears the music.
        Sipp.Run held = uas("uas_answer", p2, vars());
        Sipp.Run first = uac("uac_auth_hold_resume", "2242", vars("FROM", "2241", "HOLDAFTER", "500", "HELD", "8000", "PAUSE", "1500"),
                "-au", "2241", "-ap", PW);
        Channel heldLeg;
        try {
            heldLeg = await("2242 on hold").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> channels("2241", "2242").stream().filter(Channel::musicOnHold).findFirst(), Optional::isPresent).get();
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + first.logs(), e);
        }
        assertThat(features(a).get("busy").asBoolean()).as("a held call keeps the phone busy").isTrue();

        // A second call rings 2241 with the call-waiting alert; the phone answers it while call 1 stays held.
        Sipp.Run waiting = uas("uas_answer_alert", p1, vars("ALERT", "call-waiting", "FROMCHECK", "sip:13900000025@"));
        Sipp.Run caller = uac("uac_call", "4834", vars("FROM", "13900000025", "PAUSE", "2000"));
        Channel second = await("the waiting call bridged with 2241's phone").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> channel("13900000025", "4834").filter(c -> c.bridgedWith().map(p -> "2241".equals(p.callee().user())).orElse(false)),
                        Optional::isPresent).get();
        Channel secondLeg = second.bridgedWith().orElseThrow();
        await("audio both ways on the second call").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> secondLeg.counters().packetsIn() > 10 && second.counters().packetsOut() > 10);
        assertThat(heldLeg.state()).as("call 1 still up while call 2 talks").isEqualTo(ChannelState.UP);
        assertThat(heldLeg.musicOnHold()).as("and still held").isTrue();
        ok(caller);
        ok(waiting);

        // Call 2 over, the phone resumes call 1 (a=sendrecv): the music stops, 2241 and 2242 talk again.
        await("call 1 resumed").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> !heldLeg.musicOnHold());
        assertThat(heldLeg.state()).isEqualTo(ChannelState.UP);
        assertThat(heldLeg.bridgedWith().map(p -> p.caller().user() + ">" + p.callee().user())).as("still bridged with the phone")
                .contains("2241>2242");
        long before = heldLeg.counters().packetsIn();
        await("2242's audio flows again").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> heldLeg.counters().packetsIn() > before + 10);
        ok(first);
        ok(held);
        assertThat(events(record("13900000025", "4834"))).contains("pbx feature=call-waiting detail=2241");
        List<String> holds = events(record("2241", "2242")).stream().filter(e -> e.startsWith("hold") || e.startsWith("unhold")).toList();
        assertThat(holds).as("the phone's hold and resume in call 1's events").hasSize(2);
        assertThat(holds.get(0)).startsWith("hold");
        assertThat(holds.get(1)).startsWith("unhold");
    }

    @Test
    void threePartyFromAPhoneJoinsTheHeldCallAndOneHangUpKeepsTheOtherTwo() throws Exception {
        ext("2261");
        ext("2262");
        ext("2263");
        int pb = Ports.free();
        int pc = Ports.free();
        register("2261", PW, Ports.free(), "200");
        register("2262", PW, pb, "200");
        register("2263", PW, pc, "200");
        // 2261's phone calls 2262 and holds it; 2262 hangs up by itself after 14 s (once 2261 has left the three of them).
        Sipp.Run b = uas("uas_bye", pb, vars("PAUSE", "14000"));
        Sipp.Run c = uas("uas_answer", pc, vars());
        Sipp.Run call1 = uac("uac_auth_hold_wait_bye", "2262", vars("FROM", "2261", "HOLDAFTER", "500"), "-au", "2261", "-ap", PW);
        Channel bLeg = await("2262 on hold").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> channels("2261", "2262").stream().filter(Channel::musicOnHold).findFirst(), Optional::isPresent).get();
        // Then it calls 2263 and, talking to it, keys *3 (SIP INFO): the held call, the phone and 2263 are joined; the
        // phone's held call ends (its BYE), its other call goes on in the conference.
        Sipp.Run call2 = uac("uac_auth_keys_bye", "2263", vars("FROM", "2261", "KEYSAFTER", "1000", "KEY1", "*", "KEY2", "3", "PAUSE", "3000"),
                "-au", "2261", "-ap", PW);
        Channel cLeg = await("2263 answered").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> channels("2261", "2263").stream().filter(x -> x.direction() == dev.hotline.engine.call.Direction.OUTBOUND
                        && x.state() == ChannelState.UP).findFirst(), Optional::isPresent).get();
        Channel aLeg = cLeg.bridgedWith().orElseThrow();
        ok(call1);
        await("joined: nobody bridged, nobody on hold, all up").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> bLeg.bridgedWith().isEmpty() && cLeg.bridgedWith().isEmpty() && aLeg.bridgedWith().isEmpty() && !bLeg.musicOnHold()
                        && bLeg.state() == ChannelState.UP && cLeg.state() == ChannelState.UP && aLeg.state() == ChannelState.UP);
        long bOut = bLeg.counters().packetsOut();
        long cOut = cLeg.counters().packetsOut();
        long aOut = aLeg.counters().packetsOut();
        await("the conference's mix reaches all three").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> bLeg.counters().packetsOut() > bOut + 10 && cLeg.counters().packetsOut() > cOut + 10
                        && aLeg.counters().packetsOut() > aOut + 10);

        // 2261 hangs up: 2262 and 2263 go on talking.
        ok(call2);
        await("2261 gone").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> aLeg.state().isFinal());
        assertThat(bLeg.state()).as("2262 still up").isEqualTo(ChannelState.UP);
        assertThat(cLeg.state()).as("2263 still up").isEqualTo(ChannelState.UP);
        long bAfter = bLeg.counters().packetsOut();
        long cAfter = cLeg.counters().packetsOut();
        long bIn = bLeg.counters().packetsIn();
        await("2262 and 2263 still talk").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> bLeg.counters().packetsOut() > bAfter + 10 && cLeg.counters().packetsOut() > cAfter + 10
                        && bLeg.counters().packetsIn() > bIn + 10);
        assertThat(bLeg.state()).isEqualTo(ChannelState.UP);
        assertThat(cLeg.state()).isEqualTo(ChannelState.UP);
        // 2262 hangs up: 2263, the last one left, is hung up on.
        ok(b);
        ok(c);
        assertThat(events(record("2261", "2262"))).contains("pbx feature=three-way detail=2261 2262+2263");
        assertThat(events(record("2261", "2263"))).contains("pbx feature=three-way detail=2261 2262+2263");

        // The same through the API: 2261 holds 2262 and talks to 2263 (its keys 1 2 mean nothing); POST three-way joins them.
        long a = extensionId("2261");
        assertThat(admin.post("/api/v1/extensions/" + a + "/three-way", Map.of()).status()).as("no call: 409").isEqualTo(409);
        assertThat(admin.post("/api/v1/extensions/999999/three-way", Map.of()).status()).isEqualTo(404);
        b = uas("uas_bye", pb, vars("PAUSE", "12000"));
        c = uas("uas_answer", pc, vars());
        call1 = uac("uac_auth_hold_wait_bye", "2262", vars("FROM", "2261", "HOLDAFTER", "500"), "-au", "2261", "-ap", PW);
        Channel bLeg2 = await("2262 on hold").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> channels("2261", "2262").stream().filter(x -> x.musicOnHold() && x.state() == ChannelState.UP).findFirst(),
                        Optional::isPresent).get();
        call2 = uac("uac_auth_keys_bye", "2263", vars("FROM", "2261", "KEYSAFTER", "500", "KEY1", "1", "KEY2", "2", "PAUSE", "4000"),
                "-au", "2261", "-ap", PW);
        Channel cLeg2 = await("2263 answered").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> channels("2261", "2263").stream().filter(x -> x.direction() == dev.hotline.engine.call.Direction.OUTBOUND
                        && x.state() == ChannelState.UP && x.bridgedWith().isPresent()).findFirst(), Optional::isPresent).get();
        var joined = admin.post("/api/v1/extensions/" + a + "/three-way", Map.of());
        assertThat(joined.status()).as(joined.toString()).isEqualTo(202);
        ok(call1);
        await("joined through the API").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> bLeg2.bridgedWith().isEmpty() && cLeg2.bridgedWith().isEmpty() && !bLeg2.musicOnHold()
                        && bLeg2.state() == ChannelState.UP && cLeg2.state() == ChannelState.UP);
        ok(call2);
        assertThat(bLeg2.state()).isEqualTo(ChannelState.UP);
        assertThat(cLeg2.state()).isEqualTo(ChannelState.UP);
        ok(b);
        ok(c);
        assertThat(admin.get("/api/v1/audit?limit=50").body()).contains("call.three-way");
    }

    @Test
    void aParkedCallIsPickedUpFromAnotherExtension() throws Exception {
        long parker = ext("2151");
        ext("2152");
        did("4827", "2151");
        int p1 = Ports.free();
        int p2 = Ports.free();
        register("2151", PW, p1, "200");
        register("2152", PW, p2, "200");
        // 2151 answers, then parks the caller by a blind transfer to 700; it hears its slot and is hung up on.
        Sipp.Run parks = uas("uas_refer", p1, vars("REFERTO", "700"));
        Sipp.Run caller = uac("uac_wait_bye", "4827", vars("FROM", "13900000009"));
        JsonNode parked = await("parked").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> admin.get("/api/v1/parked-calls").json(), l -> l.size() == 1);
        int slot = parked.get(0).get("slot").asInt();
        assertThat(slot).isBetween(701, 720);
        assertThat(parked.get(0).get("caller").asText()).isEqualTo("13900000009");
        assertThat(parked.get(0).get("parkedBy").asText()).isEqualTo("2151");
        ok(parks); // the parker got its BYE after the announcement: free again
        assertThat(features(parker).get("busy").asBoolean()).isFalse();

        // 2152 dials the slot: bridged with the parked caller, whose audio reaches it; it hangs up, the caller gets the BYE.
        Sipp.Run picker = uac("uac_call", String.valueOf(slot), vars("FROM", "2152", "PAUSE", "2500"), "-au", "2152", "-ap", PW);
        Channel parkee = await("parked caller bridged with 2152").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> channel("13900000009", "4827").filter(c -> c.bridgedWith().map(p -> p.caller().user().equals("2152")).orElse(false)),
                        Optional::isPresent).get();
        Channel pickerLeg = parkee.bridgedWith().orElseThrow();
        await("audio both ways").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> pickerLeg.counters().packetsIn() > 10 && parkee.counters().packetsOut() > 10);
        ok(picker);
        ok(caller);
        assertThat(admin.get("/api/v1/parked-calls").json()).isEmpty();
        JsonNode r = record("13900000009", "4827");
        assertThat(events(r)).contains("pbx feature=park detail=slot=" + slot + " by=2151", "pbx feature=unpark detail=slot=" + slot + " by=2152");
        assertThat(events(record("2152", String.valueOf(slot)))).anyMatch(e -> e.startsWith("pbx feature=unpark detail=slot=" + slot));
        // an empty slot: 404
        ok(uac("uac_fail_auth", String.valueOf(slot), vars("FROM", "2152", "CODE", "404"), "-au", "2152", "-ap", PW));

        // Through the API: the parked call is given to 2152, whose phone rings and answers; the caller talks, then hangs up.
        parks = uas("uas_refer", p1, vars("REFERTO", "700"));
        Sipp.Run phone = uas("uas_answer", p2, vars("FROMCHECK", "sip:13900000013@"));
        caller = uac("uac_call", "4827", vars("FROM", "13900000013", "PAUSE", "6000"));
        int again = await("parked again").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> admin.get("/api/v1/parked-calls").json(), l -> l.size() == 1).get(0).get("slot").asInt();
        var given = admin.post("/api/v1/parked-calls/pickup", Map.of("slot", again, "extension", "2152"));
        assertThat(given.status()).as(given.toString()).isEqualTo(202);
        await("bridged with 2152's phone").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> channel("13900000013", "4827").flatMap(Channel::bridgedWith).map(p -> "2152".equals(p.callee().user())).orElse(false));
        ok(parks);
        ok(caller);
        ok(phone);
        assertThat(events(record("13900000013", "4827"))).contains("pbx feature=unpark detail=slot=" + again + " by=api to=2152");
    }

    @Test
    void directedAndGroupPickupOfARingingCall() throws Exception {
        long a = ext("2161");
        ext("2162");
        long c = ext("2163");
        did("4828", "2161");
        int p1 = Ports.free();
        register("2161", PW, p1, "200");
        register("2162", PW, Ports.free(), "200");
        register("2163", PW, Ports.free(), "200");

        // **2161 from 2162: the call ringing 2161 comes to 2162.
        Sipp.Run rings = uas("uas_ring_cancel", p1, vars());
        Sipp.Run caller = uac("uac_wait_bye", "4828", vars("FROM", "13900000010"));
        await("2161 rings").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> ringing("2161"));
        ok(uac("uac_call", "**2161", vars("FROM", "2162", "PAUSE", "800"), "-au", "2162", "-ap", PW));
        ok(caller);
        ok(rings);
        JsonNode r = record("13900000010", "4828");
        assertThat(r.get("outcome").asText()).isEqualTo("answered");
        assertThat(events(r)).contains("pbx feature=pickup detail=2161>2162");
        assertThat(legs(r).get("extension 2161")).isEqualTo(new Leg(false, "ORIGINATOR_CANCEL"));

        // *8: 2163 shares 2161's pickup group; 2162 does not, and finds nothing to pick up.
        setFeatures(a, Map.of("pickupGroup", "front"));
        assertThat(setFeatures(c, Map.of("pickupGroup", "front")).get("pickupGroup").asText()).isEqualTo("front");
        rings = uas("uas_ring_cancel", p1, vars());
        caller = uac("uac_wait_bye", "4828", vars("FROM", "13900000011"));
        await("2161 rings").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> ringing("2161"));
        ok(uac("uac_fail_auth", "*8", vars("FROM", "2162", "CODE", "480"), "-au", "2162", "-ap", PW));
        ok(uac("uac_call", "*8", vars("FROM", "2163", "PAUSE", "800"), "-au", "2163", "-ap", PW));
        ok(caller);
        ok(rings);
        assertThat(events(record("13900000011", "4828"))).contains("pbx feature=pickup detail=2161>2163");
    }

    @Test
    void pickupOfARingGroupCall() throws Exception {
        ext("2231");
        ext("2232");
        ext("2233");
        var g = admin.post("/api/v1/ring-groups", Map.of("name", "pickme", "strategy", "ring_all", "ringSeconds", 20,
                "members", List.of("2231", "2232")));
        assertThat(g.status()).as(g.toString()).isEqualTo(201);
        var n = admin.post("/api/v1/numbers", Map.of("number", "4833", "destinationType", "ringgroup", "destination", "pickme"));
        assertThat(n.status()).as(n.toString()).isEqualTo(201);
        int p1 = Ports.free();
        int p2 = Ports.free();
        register("2231", PW, p1, "200");
        register("2232", PW, p2, "200");
        register("2233", PW, Ports.free(), "200");
        // PBX-4: the group rings 2231 and 2232; 2233 takes it with **2231: both members stop ringing, the caller talks to 2233.
        Sipp.Run rings1 = uas("uas_ring_cancel", p1, vars());
        Sipp.Run rings2 = uas("uas_ring_cancel", p2, vars());
        Sipp.Run caller = uac("uac_wait_bye", "4833", vars("FROM", "13900000024"));
        await("2231 rings").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> ringing("2231") && ringing("2232"));
        ok(uac("uac_call", "**2231", vars("FROM", "2233", "PAUSE", "1500"), "-au", "2233", "-ap", PW));
        ok(caller);
        ok(rings1);
        ok(rings2);
        JsonNode r = record("13900000024", "4833");
        assertThat(r.get("outcome").asText()).isEqualTo("answered");
        assertThat(events(r)).contains("pbx feature=pickup detail=2231>2233");
        assertThat(legs(r).get("ringgroup pickme extension 2231")).isEqualTo(new Leg(false, "ORIGINATOR_CANCEL"));
        assertThat(events(record("2233", "**2231"))).anyMatch(e -> e.startsWith("pbx feature=pickup detail=2231>2233"));
    }

    String agentState(ApiClient agent) {
        return agent.get("/api/v1/agent/state").json().get("state").asText();
    }

    long extensionId(String number) {
        for (JsonNode x : admin.get("/api/v1/extensions").json()) if (x.get("number").asText().equals(number)) return x.get("id").asLong();
        throw new AssertionError("no extension " + number);
    }

    @Test
    void aQueueCallOfferedToAnAgentsPhoneIsPickedUpDirectedAndByGroup() throws Exception {
        ext("2251");
        var n = admin.post("/api/v1/numbers", Map.of("number", "4835", "destinationType", "queue", "destination", "sales"));
        assertThat(n.status()).as(n.toString()).isEqualTo(201);
        ApiClient agent1 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        ApiClient agent2 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", PW);
        int p1 = Ports.free();
        register("1001", PW, p1, "200");
        register("1002", PW, Ports.free(), "200");
        register("2251", PW, Ports.free(), "200");
        try {
            // agent1 (extension 1001) is the only ready agent: the sales queue offers the caller to 1001's phone, which rings.
            assertThat(agent1.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            assertThat(agent1.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
            Sipp.Run rings = uas("uas_ring_cancel", p1, vars());
            Sipp.Run caller = uac("uac_wait_bye", "4835", vars("FROM", "13900000026"));
            await("1001 rings with the offer").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> ringing("1001") && agentState(agent1).equals("ringing"));

            // **1001 from 2251 (an extension of nobody): the offer ends as picked up, the caller talks to 2251.
            Sipp.Run picker = uac("uac_call", "**1001", vars("FROM", "2251", "PAUSE", "2000"), "-au", "2251", "-ap", PW);
            Channel callerLeg = await("the caller bridged with 2251").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> channel("13900000026", "4835").filter(c -> c.bridgedWith().map(p -> "2251".equals(p.caller().user())).orElse(false)),
                            Optional::isPresent).get();
            Channel pickerLeg = callerLeg.bridgedWith().orElseThrow();
            await("audio both ways").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                    .until(() -> pickerLeg.counters().packetsIn() > 10 && callerLeg.counters().packetsOut() > 10);
            assertThat(agentState(agent1)).as("the offered agent is free again, not ringing nor on a call").isEqualTo("ready");
            ok(rings);
            ok(picker);
            ok(caller);
            JsonNode r = record("13900000026", "4835");
            assertThat(r.get("outcome").asText()).isEqualTo("answered");
            assertThat(r.get("queueResult").asText()).isEqualTo("answered");
            List<String> ev = events(r);
            assertThat(ev).contains("pbx feature=pickup detail=1001>2251 acd");
            assertThat(ev).anyMatch(e -> e.startsWith("queue_offer_end") && e.contains("picked_up"));
            assertThat(ev).noneMatch(e -> e.startsWith("queue_offer_end") && (e.contains("cancelled") || e.contains("no_answer")));
            assertThat(ev).anyMatch(e -> e.startsWith("queue_leave") && e.contains("answered") && e.contains("extension:2251"));
            assertThat(events(record("2251", "**1001"))).anyMatch(e -> e.startsWith("pbx feature=pickup detail=1001>2251 call="));
            assertThat(agentState(agent1)).isEqualTo("ready");

            // *8 from 1002 (agent2, ready, 1001's pickup group): agent2 is on the queue call as if they had answered it.
            setFeatures(extensionId("1001"), Map.of("pickupGroup", "acd"));
            setFeatures(extensionId("1002"), Map.of("pickupGroup", "acd"));
            rings = uas("uas_ring_cancel", p1, vars());
            caller = uac("uac_wait_bye", "4835", vars("FROM", "13900000027"));
            await("1001 rings with the offer").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> ringing("1001") && agentState(agent1).equals("ringing"));
            assertThat(agent2.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            assertThat(agent2.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
            // the demo sales queue announces the job number (ACD-7): 8002 plays to the caller before the bridge, so 1002 stays on longer
            picker = uac("uac_call", "*8", vars("FROM", "1002", "PAUSE", "4500"), "-au", "1002", "-ap", PW);
            await("agent2 on the call").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> agentState(agent2).equals("on_call"));
            assertThat(agentState(agent1)).isEqualTo("ready");
            ok(rings);
            ok(picker);
            ok(caller);
            await("agent2 off the call").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !agentState(agent2).equals("on_call"));
            JsonNode r2 = record("13900000027", "4835");
            assertThat(r2.get("queueResult").asText()).isEqualTo("answered");
            assertThat(r2.get("agentJob").asText()).as("answered by agent2").isEqualTo("8002");
            assertThat(events(r2)).contains("pbx feature=pickup detail=1001>1002 acd");
            assertThat(agentState(agent1)).isEqualTo("ready");
        } finally {
            agent1.delete("/api/v1/agent/session");
            agent2.delete("/api/v1/agent/session");
            setFeatures(extensionId("1001"), Map.of());
            setFeatures(extensionId("1002"), Map.of());
        }
    }

    @Test
    void blindTransferFromAPhoneToAnOutsideNumber() throws Exception {
        ext("2171");
        did("4829", "2171");
        int p1 = Ports.free();
        register("2171", PW, p1, "200");
        Sipp.Run outside = uas("uas_answer", carrier(), vars("FROMCHECK", "sip:13900000012@"));
        Sipp.Run transfers = uas("uas_refer", p1, vars("REFERTO", "9557777"));
        ok(uac("uac_call", "4829", vars("FROM", "13900000012", "PAUSE", "2500")));
        ok(transfers);
        ok(outside);
        JsonNode r = record("13900000012", "4829");
        assertThat(events(r)).contains("transfer kind=blind-outside target=9557777");
        assertThat(legs(r).get("extension 2171").answered()).isTrue();
    }

    @Test
    void pagingReachesEveryGroupMemberWithAutoAnswer() throws Exception {
        ext("2191");
        ext("2192");
        ext("2193");
        var g = admin.post("/api/v1/ring-groups", Map.of("name", "paging", "strategy", "page", "ringSeconds", 5,
                "members", List.of("2191", "2192"), "number", "6191"));
        assertThat(g.status()).as(g.toString()).isEqualTo(201);
        int p1 = Ports.free();
        int p2 = Ports.free();
        register("2191", PW, p1, "200");
        register("2192", PW, p2, "200");
        register("2193", PW, Ports.free(), "200");
        Sipp.Run first = uas("uas_answer_page", p1, vars("FROMCHECK", "sip:2193@"));
        Sipp.Run second = uas("uas_answer_page", p2, vars("FROMCHECK", "sip:2193@"));
        // 2193 talks for 2.5 s; both phones answer by themselves and hear it; its hang-up ends the page for everyone.
        Sipp.Run pager = uac("uac_call", "6191", vars("FROM", "2193", "PAUSE", "2500"), "-au", "2193", "-ap", PW);
        for (String member : List.of("2191", "2192")) {
            await(member + " hears the page").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> server.hotline().engine().channels().stream().anyMatch(c -> member.equals(c.callee().user())
                            && c.state() == ChannelState.UP && c.counters().packetsOut() > 10));
        }
        ok(pager);
        ok(first);
        ok(second);
        Map<String, Leg> legs = legs(record("2193", "6191"));
        assertThat(legs.get("page paging extension 2191").answered()).isTrue();
        assertThat(legs.get("page paging extension 2192").answered()).isTrue();
    }

    @Test
    void aBusyLampGetsNotifiesForRingingConfirmedAndTerminated() throws Exception {
        long watched = ext("2201");
        ext("2202");
        did("4831", "2201");
        int p1 = Ports.free();
        register("2201", PW, p1, "200");
        register("2202", PW, Ports.free(), "200");
        // PBX-8: 2202's phone watches 2201 (the scenario checks every NOTIFY's dialog-info and Subscription-State).
        Sipp.Run lamp = uac("uac_blf", "2201", vars("FROM", "2202", "WATCHED", "2201", "CALLER", "13900000021"), "-au", "2202", "-ap", PW);
        await("2202 watches 2201").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> features(watched).get("watchedBy"), w -> w.size() == 1 && w.get(0).asText().equals("2202"));
        Sipp.Run phone = uas("uas_answer", p1, vars());
        ok(uac("uac_call", "4831", vars("FROM", "13900000021", "PAUSE", "500")));
        ok(phone);
        ok(lamp); // ringing, answered, hung up; refreshed; un-subscribed
        assertThat(features(watched).get("watchedBy")).isEmpty();
        assertThat(server.hotline().engine().presence().watchers()).isEmpty();

        // an unknown extension: 404, as an INVITE to it; a wrong password: 403; another event package: 489.
        ok(uac("uac_subscribe_fail", "2299", vars("FROM", "2202", "CODE", "404"), "-au", "2202", "-ap", PW));
        ok(uac("uac_subscribe_fail", "2201", vars("FROM", "2202", "CODE", "403"), "-au", "2202", "-ap", "wrong-" + PW));
    }

    @Test
    void aParkedCallNotTakenRingsItsParkerBackElseGoesToTheParkDestination() throws Exception {
        ext("2211");
        ext("2212");
        ext("2213");
        did("4832", "2211");
        int p1 = Ports.free();
        int p2 = Ports.free();
        register("2211", PW, p1, "200");
        register("2212", PW, p2, "200");
        register("2213", PW, Ports.free(), "200");
        var set = admin.put("/api/v1/park-settings", Map.of("timeoutSeconds", 5, "destinationType", "extension", "destination", "2212"));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        try {
            // PBX-8: 2213's phone watches slot 701: it fills when 2211 parks the caller, empties when the timeout takes it out.
            Sipp.Run slotLamp = uac("uac_blf_slot", "701", vars("FROM", "2213", "CALLER", "13900000022"), "-au", "2213", "-ap", PW);
            await("2213 watches slot 701").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> server.hotline().engine().presence().watchers().stream().anyMatch(w -> w.resource().endsWith(":park:701")));
            Sipp.Run parks = uas("uas_refer", p1, vars("REFERTO", "700"));
            Sipp.Run caller = uac("uac_call", "4832", vars("FROM", "13900000022", "PAUSE", "7000"));
            await("parked").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> admin.get("/api/v1/parked-calls").json(), l -> l.size() == 1 && l.get(0).get("slot").asInt() == 701);
            ok(parks);
            // nobody takes it: after 5 s 2211's phone rings again and answers: the caller talks with it until it hangs up
            Sipp.Run back = uas("uas_answer", p1, vars("FROMCHECK", "sip:13900000022@"));
            ok(back);
            ok(caller);
            ok(slotLamp);
            JsonNode r = record("13900000022", "4832");
            assertThat(events(r)).contains("pbx feature=park-timeout detail=slot=701 back=2211");
            assertThat(legs(r).get("park ring-back slot 701 extension 2211").answered()).isTrue();

            // 2211's phone is busy this time: the caller goes to the park destination, 2212.
            parks = uas("uas_refer", p1, vars("REFERTO", "700"));
            caller = uac("uac_call", "4832", vars("FROM", "13900000023", "PAUSE", "7000"));
            await("parked").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> admin.get("/api/v1/parked-calls").json(), l -> l.size() == 1);
            ok(parks);
            Sipp.Run busy = uas("uas_reject", p1, vars("CODE", "486"));
            Sipp.Run destination = uas("uas_answer", p2, vars("FROMCHECK", "sip:13900000023@"));
            ok(busy);
            ok(destination);
            ok(caller);
            JsonNode r2 = record("13900000023", "4832");
            assertThat(events(r2)).contains("pbx feature=park-timeout detail=slot=701 back=2211",
                    "pbx feature=park-timeout detail=slot=701 to=extension:2212");
            assertThat(legs(r2).get("park ring-back slot 701 extension 2211").answered()).isFalse();
            assertThat(legs(r2).get("extension 2212").answered()).isTrue();
            assertThat(admin.get("/api/v1/parked-calls").json()).isEmpty();
        } finally {
            assertThat(admin.put("/api/v1/park-settings", Map.of("timeoutSeconds", 0)).status()).isEqualTo(200);
        }
        JsonNode off = admin.get("/api/v1/park-settings").json();
        assertThat(off.get("timeoutSeconds").asInt()).isZero();
        var bad = admin.put("/api/v1/park-settings", Map.of("timeoutSeconds", 2, "destinationType", "moon"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("fieldErrors").findValuesAsText("field")).containsExactlyInAnyOrder("timeoutSeconds", "destinationType");
        var noExt = admin.put("/api/v1/park-settings", Map.of("timeoutSeconds", 30, "destinationType", "extension", "destination", "2999"));
        assertThat(noExt.json().get("fieldErrors").findValuesAsText("field")).containsExactly("destination");
    }

    @Test
    void theApiValidatesTheSettingsAndTheParkedCalls() {
        long a = ext("2181");
        JsonNode f = features(a);
        assertThat(f.get("number").asText()).isEqualTo("2181");
        assertThat(f.get("callWaiting").asBoolean()).isTrue();
        assertThat(f.get("dnd").asBoolean()).isFalse();
        assertThat(f.get("noAnswerSeconds").asInt()).isEqualTo(20);
        assertThat(f.get("registered").asBoolean()).isFalse();
        var bad = admin.put("/api/v1/extensions/" + a + "/features", Map.of("forwardAlways", "2181", "forwardBusy", "abc",
                "noAnswerSeconds", 1, "pickupGroup", "no spaces"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("fieldErrors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("forwardAlways", "forwardBusy", "noAnswerSeconds", "pickupGroup");
        assertThat(admin.get("/api/v1/extensions/999999/features").status()).isEqualTo(404);
        assertThat(admin.put("/api/v1/extensions/999999/features", Map.of()).status()).isEqualTo(404);
        // an empty value switches a forward off
        setFeatures(a, Map.of("forwardBusy", "+8613800138000"));
        assertThat(setFeatures(a, Map.of("forwardBusy", "")).get("forwardBusy").isNull()).isTrue();
        assertThat(admin.get("/api/v1/audit?limit=50").body()).contains("extension.features");

        var noSlot = admin.post("/api/v1/parked-calls/pickup", Map.of("slot", 799, "extension", "2181"));
        assertThat(noSlot.status()).isEqualTo(400);
        assertThat(noSlot.json().get("fieldErrors").findValuesAsText("field")).contains("slot");
        assertThat(admin.post("/api/v1/parked-calls/pickup", Map.of("slot", 719, "extension", "2181")).status())
                .as("not registered").isEqualTo(409);
    }
}
