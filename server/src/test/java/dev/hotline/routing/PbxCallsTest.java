package dev.hotline.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.engine.tts.Language;
import dev.hotline.engine.tts.PromptKey;
import dev.hotline.engine.tts.PromptLibrary;
import dev.hotline.engine.tts.Utterance;
import dev.hotline.testing.RtpCaller;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestAudio;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 3 end to end: SIPp phones and SIPp trunks against the whole server (demo enterprise,
 * routing from the database, call records from the event log), configured only through the HTTP API.
 */
class PbxCallsTest extends ServerCallTest {
    @Override
    String defaultCaller() {
        return "13800138000";
    }

    /** The call record whose caller and callee match, once the event log has written it. */
    JsonNode record(String caller, String callee) {
        return await("call record " + caller + " -> " + callee).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> find(caller, callee), Optional::isPresent).get();
    }

    Optional<JsonNode> find(String caller, String callee) {
        for (JsonNode r : admin.get("/api/v1/calls?limit=500").json().get("items")) {
            if (r.get("caller").asText().equals(caller) && r.get("callee").asText().equals(callee)) return Optional.of(r);
        }
        return Optional.empty();
    }

    List<String> eventTypes(JsonNode record) {
        List<String> types = new ArrayList<>();
        admin.get("/api/v1/calls/" + record.get("callId").asText() + "/events").json().forEach(e -> types.add(e.get("type").asText()));
        return types;
    }

    @Test
    void phonesRegisterWithTheirExtensionPasswordAndShowInTheConsoleApi() throws Exception {
        int contact = Ports.free();
        register("1002", PW, contact, "200");
        register("1002", "wrong-password", contact, "403");
        JsonNode regs = admin.get("/api/v1/registrations").json();
        assertThat(regs.findValuesAsText("extension")).contains("1002");
        assertThat(regs.toString()).contains(":" + contact);
        register("9999", PW, contact, "403");
    }

    @Test
    void trunkCallToDid4010ReachesExtension1001AndLeavesACallRecord() throws Exception {
        int phone = Ports.free();
        register("1001", PW, phone, "200");
        Sipp.Run callee = uas("uas_answer", phone, vars());
        Sipp.Run caller = uac("uac_call", "4010", vars("FROM", "13800138001", "PAUSE", "1000"));
        ok(caller);
        ok(callee);
        JsonNode r = record("13800138001", "4010");
        assertThat(r.get("direction").asText()).isEqualTo("inbound");
        assertThat(r.get("outcome").asText()).isEqualTo("answered");
        assertThat(r.get("trunk").asText()).isEqualTo("loopback");
        assertThat(r.get("extension").asText()).isEqualTo("1001");
        assertThat(r.get("hangupBy").asText()).isEqualTo("caller");
        assertThat(r.get("hangupCause").asText()).isEqualTo("normal_clearing");
        assertThat(eventTypes(r)).containsSubsequence("arrived", "dialing", "answered", "hangup", "closed");
    }

    @Test
    void extensionCallsExtensionWithDigestAuth() throws Exception {
        register("1001", PW, Ports.free(), "200");
        int phone2 = Ports.free();
        register("1002", PW, phone2, "200");
        Sipp.Run callee = uas("uas_answer", phone2, vars("FROMCHECK", "sip:1001@"));
        Sipp.Run caller = uac("uac_call", "1002", vars("FROM", "1001", "PAUSE", "500"), "-au", "1001", "-ap", PW);
        ok(caller);
        ok(callee);
        JsonNode r = record("1001", "1002");
        assertThat(r.get("direction").asText()).isEqualTo("internal");
        assertThat(r.get("outcome").asText()).isEqualTo("answered");
    }

    @Test
    void outboundCallGoesThroughTheRouteWithItsCallerIdAndRespectsPermissionsAndPins() throws Exception {
        int carrier = Ports.free();
        long trunk = admin.post("/api/v1/trunks", Map.of("name", "carrier", "host", "127.0.0.1", "port", carrier,
                "allowedIps", List.of())).json().get("id").asLong();
        var route = admin.post("/api/v1/outbound-routes", Map.of("name", "national", "prefix", "9", "stripDigits", 1,
                "trunkId", trunk, "callerId", "02188886666", "priority", 10));
        assertThat(route.status()).as(route.toString()).isEqualTo(201);
        register("1003", PW, Ports.free(), "200");

        Sipp.Run far = uas("uas_answer", carrier, vars("FROMCHECK", "sip:02188886666@"));
        ok(uac("uac_call", "913800138002", vars("FROM", "1003", "PAUSE", "300"), "-au", "1003", "-ap", PW));
        ok(far);
        JsonNode r = record("1003", "913800138002");
        assertThat(r.get("direction").asText()).isEqualTo("outbound");
        assertThat(r.get("outcome").asText()).isEqualTo("answered");
        assertThat(eventTypes(r)).contains("dialing");
        assertThat(admin.get("/api/v1/calls/" + r.get("callId").asText() + "/events").body()).contains("carrier 13800138002");

        // PBX-7: an extension without outbound permission is refused.
        long ext1003 = admin.get("/api/v1/extensions").json().findParents("number").stream()
                .filter(x -> x.get("number").asText().equals("1003")).findFirst().orElseThrow().get("id").asLong();
        assertThat(admin.put("/api/v1/extensions/" + ext1003, Map.of("number", "1003", "outboundAllowed", false)).status()).isEqualTo(200);
        ok(uac("uac_fail_auth", "913800138003", vars("FROM", "1003", "CODE", "403"), "-au", "1003", "-ap", PW));
        admin.put("/api/v1/extensions/" + ext1003, Map.of("number", "1003", "outboundAllowed", true));

        // A PIN-restricted route is only taken when dialled as PIN*number.
        long outside = admin.get("/api/v1/outbound-routes").json().findParents("name").stream()
                .filter(x -> x.get("name").asText().equals("outside")).findFirst().orElseThrow().get("id").asLong();
        admin.put("/api/v1/outbound-routes/" + outside, Map.of("name", "outside", "prefix", "", "trunkId", trunk, "enabled", false));
        admin.post("/api/v1/outbound-routes", Map.of("name", "intl", "prefix", "00", "trunkId", trunk, "pin", "4321", "priority", 5));
        ok(uac("uac_fail_auth", "0044123456", vars("FROM", "1003", "CODE", "404"), "-au", "1003", "-ap", PW));
        // SEC-1: international calls are off until the enterprise's toll policy allows them.
        ok(uac("uac_fail_auth", "4321*0044123456", vars("FROM", "1003", "CODE", "403"), "-au", "1003", "-ap", PW));
        assertThat(admin.put("/api/v1/toll-policy", Map.of("countryCode", "86", "international", true)).status()).isEqualTo(200);
        Sipp.Run intl = uas("uas_answer", carrier, vars());
        ok(uac("uac_call", "4321*0044123456", vars("FROM", "1003", "PAUSE", "300"), "-au", "1003", "-ap", PW));
        ok(intl);
    }

    @Test
    void aCustomerCallingBackReachesTheExtensionThatCalledThem() throws Exception {
        int carrier = Ports.free();
        long trunk = admin.post("/api/v1/trunks", Map.of("name", "carrier-dl", "host", "127.0.0.1", "port", carrier)).json().get("id").asLong();
        assertThat(admin.post("/api/v1/outbound-routes", Map.of("name", "direct-line", "prefix", "7", "stripDigits", 1,
                "trunkId", trunk, "priority", 1)).status()).isEqualTo(201);
        int phone2 = Ports.free();
        register("1002", PW, phone2, "200");
        // 1002 calls the customer 13912345678 through the carrier...
        Sipp.Run customer = uas("uas_answer", carrier, vars());
        ok(uac("uac_call", "713912345678", vars("FROM", "1002", "PAUSE", "300"), "-au", "1002", "-ap", PW));
        ok(customer);
        // ...who calls the hotline back (DID 4000 goes to 1001) and reaches 1002 directly (PBX-6 smart direct line).
        Sipp.Run agent = uas("uas_answer", phone2, vars());
        ok(uac("uac_call", "4000", vars("FROM", "+8613912345678", "PAUSE", "300")));
        ok(agent);
        assertThat(admin.get("/api/v1/calls/" + record("+8613912345678", "4000").get("callId").asText() + "/events").body())
                .contains("extension 1002");
    }

    @Test
    void listedCallersAreHungUpOnAndCalledBackToTheNumbersDestination() throws Exception {
        int customerPhone = Ports.free();
        long trunk = admin.post("/api/v1/trunks", Map.of("name", "carrier-cb", "host", "127.0.0.1", "port", customerPhone)).json().get("id").asLong();
        assertThat(admin.post("/api/v1/outbound-routes", Map.of("name", "callbacks", "prefix", "1360", "trunkId", trunk, "priority", 1)).status())
                .isEqualTo(201);
        var entry = admin.post("/api/v1/callback-list", Map.of("number", "1360*", "delaySeconds", 1, "note", "prepaid"));
        assertThat(entry.status()).as(entry.toString()).isEqualTo(201);
        assertThat(admin.post("/api/v1/callback-list", Map.of("number", "abc")).status()).isEqualTo(400);
        int agentPhone = Ports.free();
        register("1001", PW, agentPhone, "200");

        // The customer's phone will be called back on the carrier; the agent answers and hangs up after a moment.
        Sipp.Run customer = uas("uas_answer", customerPhone, vars("FROMCHECK", "sip:4010@"));
        Sipp.Run agent = uas("uas_bye", agentPhone, vars("PAUSE", "800"));
        ok(uac("uac_fail", "4010", vars("FROM", "13600001111", "CODE", "486")));
        ok(customer);
        ok(agent);
        JsonNode back = record("4010", "13600001111");
        assertThat(back.get("direction").asText()).isEqualTo("outbound");
        assertThat(back.get("outcome").asText()).isEqualTo("answered");
        assertThat(admin.get("/api/v1/calls/" + back.get("callId").asText() + "/events").body()).contains("extension 1001");
        assertThat(admin.delete("/api/v1/callback-list/" + entry.json().get("id").asLong()).status()).isEqualTo(204);
    }

    @Test
    void blacklistedCallersAreDeclinedBeforeAnythingElse() throws Exception {
        assertThat(admin.post("/api/v1/blacklist", Map.of("number", "1390000*", "note", "spam")).status()).isEqualTo(201);
        ok(uac("uac_fail", "4000", vars("FROM", "13900001111", "CODE", "603")));
        JsonNode r = record("13900001111", "4000");
        assertThat(r.get("outcome").asText()).isEqualTo("blocked");
        assertThat(eventTypes(r)).contains("blocked").doesNotContain("dialing");
    }

    @Test
    void unknownNumbersUnregisteredExtensionsAndBusyCallees() throws Exception {
        ok(uac("uac_fail", "4999", vars("FROM", "13800138010", "CODE", "404")));
        assertThat(record("13800138010", "4999").get("outcome").asText()).isEqualTo("rejected");

        assertThat(admin.post("/api/v1/extensions", Map.of("number", "2100", "sipPassword", "ext-2100-pw")).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4100", "destination", "2100")).status()).isEqualTo(201);
        ok(uac("uac_fail", "4100", vars("FROM", "13800138011", "CODE", "480")));
        assertThat(record("13800138011", "4100").get("outcome").asText()).isEqualTo("rejected");

        int phone = Ports.free();
        register("2100", "ext-2100-pw", phone, "200");
        Sipp.Run busy = uas("uas_reject", phone, vars("CODE", "486"));
        ok(uac("uac_fail", "4100", vars("FROM", "13800138012", "CODE", "486")));
        ok(busy);
        JsonNode r = record("13800138012", "4100");
        assertThat(r.get("outcome").asText()).isEqualTo("busy");
        assertThat(r.get("sipStatus").asInt()).isEqualTo(486);
    }

    @Test
    void callerCancelsBeforeAnswerAndCalleeHangsUp() throws Exception {
        assertThat(admin.post("/api/v1/extensions", Map.of("number", "2200", "sipPassword", "ext-2200-pw")).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4200", "destination", "2200")).status()).isEqualTo(201);
        int phone = Ports.free();
        register("2200", "ext-2200-pw", phone, "200");

        Sipp.Run ringing = uas("uas_ring_cancel", phone, vars());
        ok(uac("uac_cancel", "4200", vars("FROM", "13800138020")));
        ok(ringing);
        JsonNode cancelled = record("13800138020", "4200");
        assertThat(cancelled.get("outcome").asText()).isEqualTo("cancelled");
        assertThat(cancelled.get("talkSeconds").asInt()).isZero();

        Sipp.Run hangsUp = uas("uas_bye", phone, vars("PAUSE", "300"));
        ok(uac("uac_wait_bye", "4200", vars("FROM", "13800138021")));
        ok(hangsUp);
        JsonNode byCallee = record("13800138021", "4200");
        assertThat(byCallee.get("outcome").asText()).isEqualTo("answered");
        assertThat(byCallee.get("hangupBy").asText()).isEqualTo("callee");
    }

    @Test
    void holdAndResumeAreLogged() throws Exception {
        assertThat(admin.post("/api/v1/extensions", Map.of("number", "2300", "sipPassword", "ext-2300-pw")).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4300", "destination", "2300")).status()).isEqualTo(201);
        int phone = Ports.free();
        register("2300", "ext-2300-pw", phone, "200");
        Sipp.Run callee = uas("uas_answer", phone, vars());
        ok(uac("uac_hold", "4300", vars("FROM", "13800138030")));
        ok(callee);
        assertThat(eventTypes(record("13800138030", "4300"))).containsSubsequence("answered", "hold", "unhold", "hangup");
    }

    @Test
    void blindTransferByReferReachesTheTargetExtension() throws Exception {
        for (String n : List.of("2400", "2401")) {
            assertThat(admin.post("/api/v1/extensions", Map.of("number", n, "sipPassword", "ext-" + n + "-pw")).status()).isEqualTo(201);
        }
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4400", "destination", "2400")).status()).isEqualTo(201);
        int b = Ports.free();
        int c = Ports.free();
        register("2400", "ext-2400-pw", b, "200");
        register("2401", "ext-2401-pw", c, "200");
        Sipp.Run transferor = uas("uas_refer", b, vars("REFERTO", "2401"));
        Sipp.Run target = uas("uas_bye", c, vars("PAUSE", "500"));
        ok(uac("uac_wait_bye", "4400", vars("FROM", "13800138040")));
        ok(transferor);
        ok(target);
        JsonNode r = record("13800138040", "4400");
        assertThat(r.get("outcome").asText()).isEqualTo("answered");
        assertThat(admin.get("/api/v1/calls/" + r.get("callId").asText() + "/events").body()).contains("kind=blind target=2401");
    }

    @Test
    void registeringTrunkRegistersWithTheCarrierAndShowsItsState() throws Exception {
        int carrier = Ports.free();
        // Two bindings: the first registration, then the one restarted with the changed secret.
        Sipp.Run registrar = Sipp.start(work, "uas_registrar", Map.of("USER", "acct77", "PASS", "carrier-pw", "EXPIRES", "3600"),
                null, carrier, List.of("-m", "2"));
        Sipp.awaitUdpBound(carrier);
        var trunk = admin.post("/api/v1/trunks", Map.of("name", "reg-carrier", "kind", "register", "host", "127.0.0.1",
                "port", carrier, "username", "acct77", "secret", "carrier-pw", "registerExpires", 3600));
        assertThat(trunk.status()).as(trunk.toString()).isEqualTo(201);
        assertThat(trunk.body()).doesNotContain("carrier-pw");
        long id = trunk.json().get("id").asLong();
        JsonNode st = await("trunk registered").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> statusOf(id), s -> s != null && s.get("state").asText().equals("registered"));
        assertThat(st.get("expiresAt").asText()).isNotBlank();

        // A wrong secret: the carrier refuses, the console shows why and when it retries.
        var upd = admin.put("/api/v1/trunks/" + id, Map.of("name", "reg-carrier", "kind", "register", "host", "127.0.0.1",
                "port", carrier, "username", "acct77", "secret", "not-the-pw", "registerExpires", 3600));
        assertThat(upd.status()).isEqualTo(200);
        JsonNode failed;
        try {
            failed = await("trunk failed").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .until(() -> statusOf(id), s -> s != null && s.get("state").asText().equals("failed"));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(statusOf(id) + "\n" + registrar.logs(), e);
        }
        assertThat(failed.get("detail").asText()).contains("403");
        assertThat(failed.get("nextAttemptAt").asText()).isNotBlank();
        registrar.kill();
        assertThat(admin.delete("/api/v1/trunks/" + id).status()).isEqualTo(204);
        assertThat(statusOf(id)).as("no registration for a deleted trunk").isNull();
    }

    JsonNode statusOf(long trunkId) {
        for (JsonNode n : admin.get("/api/v1/trunk-registrations").json()) if (n.get("trunkId").asLong() == trunkId) return n;
        return null;
    }

    long extensionId(String number) {
        return admin.get("/api/v1/extensions").json().findParents("number").stream()
                .filter(x -> x.get("number").asText().equals(number)).findFirst().orElseThrow().get("id").asLong();
    }

    String events(JsonNode record) {
        return admin.get("/api/v1/calls/" + record.get("callId").asText() + "/events").body();
    }

    static String pause(int ms) {
        return "<pause milliseconds=\"" + ms + "\"/>";
    }

    /**
     * PBX-6 DISA through SIPp. SIPp's RFC 4733 pcaps only rise in the order 1 0 2 3 .. 9 * #, so the PIN (1023) ends by
     * the entry's 2 s digit timeout and the number that follows uses later keys (5678#, 6789#).
     */
    @Test
    void disaRefusesWrongPinsAndDialsAsThePinsExtension() throws Exception {
        var entry = admin.post("/api/v1/disa", Map.of("name", "road", "digitTimeoutSeconds", 2));
        assertThat(entry.status()).as(entry.toString()).isEqualTo(201);
        assertThat(admin.post("/api/v1/disa", Map.of("name", "road")).status()).isEqualTo(409);
        var bad = admin.post("/api/v1/disa", Map.of("name", "x", "digitTimeoutSeconds", 99));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("fieldErrors").findValuesAsText("field")).containsExactly("digitTimeoutSeconds");
        var noEntry = admin.post("/api/v1/numbers", Map.of("number", "4061", "destinationType", "disa", "destination", "nope"));
        assertThat(noEntry.status()).isEqualTo(400);
        assertThat(noEntry.json().get("fieldErrors").findValuesAsText("field")).containsExactly("destination");
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4060", "destinationType", "disa", "destination", "road")).status()).isEqualTo(201);
        assertThat(admin.delete("/api/v1/disa/" + entry.json().get("id").asLong()).status()).as("a number points to it").isEqualTo(409);

        long ext1003 = extensionId("1003");
        var badPin = admin.put("/api/v1/extensions/" + ext1003 + "/disa-pin", Map.of("pin", "12a"));
        assertThat(badPin.status()).isEqualTo(400);
        assertThat(badPin.json().get("fieldErrors").findValuesAsText("field")).containsExactly("pin");
        assertThat(admin.put("/api/v1/extensions/" + ext1003 + "/disa-pin", Map.of("pin", "1023")).status()).isEqualTo(200);
        assertThat(admin.put("/api/v1/extensions/" + extensionId("1002") + "/disa-pin", Map.of("pin", "1023")).status())
                .as("the PIN says whose it is: unique").isEqualTo(409);
        assertThat(admin.put("/api/v1/extensions/999999/disa-pin", Map.of("pin", "5555")).status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/disa-pins").body()).contains("\"1003\"").doesNotContain("1023");
        String stored = server.database().withHandle(h -> h.createQuery("SELECT pin_hash FROM disa_pin WHERE extension_id = :x")
                .bind("x", ext1003).mapTo(String.class).one());
        assertThat(stored).as("stored hashed").hasSize(64).doesNotContain("1023");

        // Three wrong PINs: the call ends, each try and the refusal are in the call's events.
        ok(uac("uac_digits_bye", "4060", vars("FROM", "13800138060", "PAUSE", "1500",
                "DTMFACTIONS", SipPeers.dtmf("12") + pause(3500) + SipPeers.dtmf("34") + pause(3500) + SipPeers.dtmf("56"))));
        String refused = events(record("13800138060", "4060"));
        assertThat(refused).contains("feature=disa detail=road", "wrong 1/3", "wrong 2/3", "wrong 3/3", "status=403", "3 wrong PINs")
                .doesNotContain("disa-dial");

        // The right PIN, then an extension's number: it rings as a call from extension 1003.
        var created = admin.post("/api/v1/extensions", Map.of("number", "5678", "sipPassword", PW));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        int phone = Ports.free();
        register("5678", PW, phone, "200");
        Sipp.Run callee = uas("uas_answer", phone, vars("FROMCHECK", "sip:1003@"));
        ok(uac("uac_digits", "4060", vars("FROM", "13800138061", "PAUSE", "1500", "AFTER", "1500",
                "DTMFACTIONS", SipPeers.dtmf("1023") + pause(3000) + SipPeers.dtmf("5678#"))));
        ok(callee);
        JsonNode internal = record("13800138061", "4060");
        assertThat(events(internal)).contains("ok road as 1003", "disa-dial detail=1003>5678").doesNotContain("wrong");
        assertThat(eventTypes(internal)).containsSubsequence("pbx", "dialing", "answered");

        // An outside number goes out through the routes as 1003 would dial it: its caller ID, the route's digit rules.
        int carrier = Ports.free();
        long trunk = admin.post("/api/v1/trunks", Map.of("name", "disa-carrier", "host", "127.0.0.1", "port", carrier,
                "allowedIps", List.of())).json().get("id").asLong();
        var route = admin.post("/api/v1/outbound-routes", Map.of("name", "disa-six", "prefix", "6", "stripDigits", 1, "trunkId", trunk,
                "priority", 1));
        assertThat(route.status()).as(route.toString()).isEqualTo(201);
        Sipp.Run far = uas("uas_answer", carrier, vars("FROMCHECK", "sip:1003@"));
        ok(uac("uac_digits", "4060", vars("FROM", "13800138062", "PAUSE", "1500", "AFTER", "1500",
                "DTMFACTIONS", SipPeers.dtmf("1023") + pause(3000) + SipPeers.dtmf("6789#"))));
        ok(far);
        assertThat(events(record("13800138062", "4060"))).contains("disa-dial detail=1003>6789", "disa-carrier 789");

        // PBX-7: once 1003 may not call out, neither may its DISA caller: refused 403 and hung up, the carrier never called.
        JsonNode line = admin.get("/api/v1/extensions/" + ext1003).json();
        Map<String, Object> deny = new HashMap<>(Map.of("number", "1003", "outboundAllowed", false));
        if (line.hasNonNull("userId")) deny.put("userId", line.get("userId").asLong());
        assertThat(admin.put("/api/v1/extensions/" + ext1003, deny).status()).isEqualTo(200);
        try {
            // No # this time: the refusal would come at once, while SIPp still plays the key (it ends by the digit timeout).
            ok(uac("uac_digits_bye", "4060", vars("FROM", "13800138063", "PAUSE", "1500",
                    "DTMFACTIONS", SipPeers.dtmf("1023") + pause(3000) + SipPeers.dtmf("6789"))));
            String denied = events(record("13800138063", "4060"));
            assertThat(denied).contains("disa-dial detail=1003>6789", "status=403", "may not call out").doesNotContain("disa-carrier");
        } finally {
            deny.put("outboundAllowed", true);
            admin.put("/api/v1/extensions/" + ext1003, deny);
        }
    }



    /** The length of the first stretch of sound (pauses under 1 s inside it) in {@code frames}, in ms. */
    static long firstSpeechMs(List<RtpCaller.Heard> frames) {
        List<long[]> spans = RtpCaller.spans(frames, 1000);
        assertThat(spans).as(RtpCaller.pattern(frames)).isNotEmpty();
        return spans.get(0)[1] - spans.get(0)[0];
    }

    /** The shipped PIN prompt of DISA ("please enter ... end with #") in {@code language}, as the server renders it. */
    static short[] pinPrompt(Language language) {
        return PromptLibrary.shipped().render(Utterance.of(language, PromptKey.PLEASE_ENTER, PromptKey.END_WITH_POUND));
    }

    /**
     * PBX-6 DISA leftovers (issue 18): an entry's welcome (an uploaded prompt, or a text spoken by TTS) plays before the PIN
     * is asked for, and the prompts are in the entry's language (English here): heard by a caller keeping the audio (RTP
     * time); after the PIN, the extension's feature codes work as from its phone (the same code path): *78 sets DND, and
     * **&lt;ext&gt; picks up a call ringing another extension.
     */
    @Test
    void disaPlaysItsWelcomeInItsLanguageAndTakesTheExtensionsFeatureCodes() throws Exception {
        long en = firstSpeechMs(RtpCaller.frames(pinPrompt(Language.EN)));
        long zh = firstSpeechMs(RtpCaller.frames(pinPrompt(Language.ZH)));
        assertThat(Math.abs(en - zh)).as("the English and Chinese prompts tell apart by length: en %d ms, zh %d ms", en, zh).isGreaterThan(150);
        assertThat(admin.upload("POST", "/api/v1/prompts", "disa-welcome.wav", TestAudio.toneWav(8000, 1, 1500, 400)).status()).isEqualTo(201);
        // field errors
        for (var bad : List.of(Map.of("name", "x1", "language", "fr"), Map.of("name", "x2", "welcomePrompt", "nope"),
                Map.of("name", "x3", "welcomePrompt", "disa-welcome.wav", "welcomeText", "hello"), Map.of("name", "x4", "welcomeText", "w".repeat(501)))) {
            var r = admin.post("/api/v1/disa", bad);
            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            assertThat(r.json().get("fieldErrors").findValuesAsText("field")).as(r.toString()).containsAnyOf("language", "welcomePrompt", "welcomeText")
                    .hasSize(1);
        }
        var toned = admin.post("/api/v1/disa", Map.of("name", "abroad", "digitTimeoutSeconds", 2, "language", "en", "welcomePrompt", "disa-welcome.wav"));
        assertThat(toned.status()).as(toned.toString()).isEqualTo(201);
        assertThat(toned.json().get("language").asText()).isEqualTo("en");
        String text = "Welcome to the Hotline office line.";
        var spoken = admin.post("/api/v1/disa", Map.of("name", "abroad-tts", "digitTimeoutSeconds", 2, "language", "en", "welcomeText", text));
        assertThat(spoken.status()).as(spoken.toString()).isEqualTo(201);
        assertThat(admin.delete("/api/v1/prompts/disa-welcome.wav").status()).as("a DISA entry uses it").isEqualTo(409);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4062", "destinationType", "disa", "destination", "abroad")).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4063", "destinationType", "disa", "destination", "abroad-tts")).status())
                .isEqualTo(201);
        long ext1002 = extensionId("1002");
        assertThat(admin.put("/api/v1/extensions/" + ext1002 + "/disa-pin", Map.of("pin", "24680")).status()).isEqualTo(200);
        int sip = server.hotline().engine().sipPort();

        // TTS welcome: what the caller hears first is the preview of the text followed by the English PIN prompt, as one stretch.
        var preview = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.baseUrl()
                        + "/api/v1/tts/preview?language=en&text=" + java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8)))
                .header("Cookie", admin.cookieHeader()).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(preview.statusCode()).isEqualTo(200);
        short[] welcome = RtpCaller.samples(preview.body());
        short[] both = java.util.Arrays.copyOf(welcome, welcome.length + pinPrompt(Language.EN).length);
        System.arraycopy(pinPrompt(Language.EN), 0, both, welcome.length, pinPrompt(Language.EN).length);
        long expected = firstSpeechMs(RtpCaller.frames(both));
        try (RtpCaller caller = RtpCaller.call(sip, "13800138070", "4063")) {
            int end = caller.awaitSoundThenQuiet(0, 1200);
            List<RtpCaller.Heard> heard = caller.heard().subList(0, end);
            assertThat(firstSpeechMs(heard)).as("welcome text then the English PIN prompt (expected %d ms): %s", expected, RtpCaller.pattern(heard))
                    .isBetween(expected - 60, expected + 60);
            caller.bye();
        }

        // Uploaded welcome (a 1.5 s 400 Hz tone), the English PIN prompt, the PIN, the dial tone, then *78#: 1002's DND is on.
        try (RtpCaller caller = RtpCaller.call(sip, "13800138071", "4062")) {
            int end = caller.awaitSoundThenQuiet(0, 1200);
            List<RtpCaller.Heard> heard = caller.heard().subList(0, end);
            assertThat(RtpCaller.toneMs(heard)).as("the welcome prompt: %s", RtpCaller.pattern(heard)).isBetween(1400L, 1560L);
            int lastTone = 0;
            for (int i = 0; i < heard.size(); i++) if (heard.get(i).tone()) lastTone = i;
            assertThat(firstSpeechMs(heard.subList(lastTone + 1, heard.size()))).as("the English PIN prompt (%d ms; Chinese %d ms): %s", en, zh,
                    RtpCaller.pattern(heard)).isBetween(en - 60, en + 60);
            caller.keys("24680");
            await("the dial tone after the PIN").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> RtpCaller.toneMs(caller.heard().subList(end, caller.heard().size())) >= 600);
            caller.keys("*78#");
            caller.awaitServerBye(); // the beep, then the code call ends
        }
        try {
            assertThat(admin.get("/api/v1/extensions/" + ext1002 + "/features").json().get("dnd").asBoolean()).as("DND set from DISA").isTrue();
            String events = events(record("13800138071", "4062"));
            assertThat(events).contains("feature=disa detail=abroad", "ok abroad as 1002", "disa-dial detail=1002>*78", "feature=code detail=*78");
        } finally {
            admin.put("/api/v1/extensions/" + ext1002 + "/features", Map.of());
        }

        // MSG-1 from DISA: *97 plays 1002's new voicemail (a message of a 3 s 400 Hz tone) and marks it handled.
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4065", "destinationType", "voicemail", "destination", "extension:1002"))
                .status()).isEqualTo(201);
        try (RtpCaller caller = RtpCaller.call(sip, "13800138074", "4065")) {
            caller.awaitSoundThenQuiet(0, 900); // the greeting and the tone: recording
            caller.tone(3000);
            caller.quiet(400);
            await("the message sent").atMost(Duration.ofSeconds(10)).until(() -> caller.queued() == 0);
            caller.bye();
        }
        JsonNode left = await("1002's new message").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> admin.get("/api/v1/voicemail?boxType=extension&box=1002&handled=false").json(), m -> m.size() >= 1);
        try (RtpCaller caller = RtpCaller.call(sip, "13800138075", "4062")) {
            int end = caller.awaitSoundThenQuiet(0, 1200);
            caller.keys("24680");
            await("the dial tone after the PIN").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> RtpCaller.toneMs(caller.heard().subList(end, caller.heard().size())) >= 600);
            int before = caller.heard().size();
            caller.keys("*97#");
            await("the messages played, then goodbye").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> admin.get("/api/v1/voicemail?boxType=extension&box=1002&handled=false").json().isEmpty());
            caller.awaitServerBye();
            List<RtpCaller.Heard> after = caller.heard().subList(before, caller.heard().size());
            // the dial tone (450 Hz reads as the tone too) lasts only while the keys go: about 1.5 s
            assertThat(RtpCaller.toneMs(after)).as("the message heard: %s", RtpCaller.pattern(after)).isGreaterThan(2400);
        }
        assertThat(admin.get("/api/v1/voicemail?boxType=extension&box=1002").json().findValuesAsText("handledBy")).contains("phone:1002");
        assertThat(events(record("13800138075", "4062"))).contains("disa-dial detail=1002>*97", "feature=voicemail-access detail=1002 new="
                + left.size());
        // *97 from 1002's own phone: nothing new now ("zero", goodbye), then the server hangs up.
        register("1002", PW, Ports.free(), "200");
        ok(uac("uac_auth_wait_bye", "*97", vars("FROM", "1002"), "-au", "1002", "-ap", PW));
        assertThat(events(record("1002", "*97"))).contains("feature=voicemail-access detail=1002 new=0");

        // **<ext> from DISA: a call ringing extension 5679 is picked up by the DISA caller acting as 1002.
        var created = admin.post("/api/v1/extensions", Map.of("number", "5679", "sipPassword", PW));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4064", "destinationType", "extension", "destination", "5679")).status())
                .isEqualTo(201);
        int phone = Ports.free();
        register("5679", PW, phone, "200");
        Sipp.Run rings = uas("uas_ring_cancel", phone, vars());
        Sipp.Run ringingCaller = uac("uac_wait_bye", "4064", vars("FROM", "13800138072"));
        await("5679 rings").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> server.hotline().engine().channels()
                .stream().anyMatch(c -> "5679".equals(c.callee().user()) && c.state() == dev.hotline.engine.call.ChannelState.RINGING));
        try (RtpCaller caller = RtpCaller.call(sip, "13800138073", "4062")) {
            int end = caller.awaitSoundThenQuiet(0, 1200);
            caller.keys("24680");
            await("the dial tone after the PIN").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> RtpCaller.toneMs(caller.heard().subList(end, caller.heard().size())) >= 600);
            caller.keys("**5679#");
            ok(rings); // 5679 stopped ringing (CANCEL): the call is the DISA caller's
            await("the ringing caller connected to the DISA caller").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> server.hotline().engine().channels().stream().anyMatch(c -> c.caller() != null
                            && "13800138072".equals(c.caller().user()) && c.bridgedWith().isPresent()));
            caller.bye();
        }
        ok(ringingCaller); // the DISA caller's BYE ended the picked call
        assertThat(events(record("13800138072", "4064"))).contains("feature=pickup detail=5679>1002");
        assertThat(events(record("13800138073", "4062"))).contains("disa-dial detail=1002>**5679");
    }

    @Test
    void malformedSipGets400AndTheServerKeepsWorking() throws Exception {
        try (var s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(3000);
            byte[] junk = "INVITE sip:4000@127.0.0.1 SIP/2.0\r\nVia: garbage\r\nContent-Length: 99999\r\n\r\nv=0".getBytes();
            s.send(new java.net.DatagramPacket(junk, junk.length, java.net.InetAddress.getLoopbackAddress(), sipPort));
            byte[] hostile = ("OPTIONS sip:x SIP/2.0\r\n" + "X: " + "a".repeat(9000) + "\r\n\r\n").getBytes();
            s.send(new java.net.DatagramPacket(hostile, hostile.length, java.net.InetAddress.getLoopbackAddress(), sipPort));
        }
        register("1002", PW, Ports.free(), "200");
    }
}
