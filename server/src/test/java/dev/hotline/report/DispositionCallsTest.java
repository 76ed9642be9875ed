package dev.hotline.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.engine.tts.Language;
import dev.hotline.engine.tts.PromptKey;
import dev.hotline.ivr.Ivr;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * RPT-1 / issue 14: every call-record disposition produced by real SIPp calls against the demo enterprise (its queue
 * {@code sales} with the demo's settings: agent announcement, recording, voicemail overflow; its extensions), and told
 * apart through {@code GET /api/v1/calls?disposition=...}. One server for the class; the calls that do not need an
 * agent run side by side.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DispositionCallsTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    TestServer server;
    ApiClient admin;
    final List<Sipp.Run> phones = new ArrayList<>();
    @TempDir
    Path work;

    @BeforeAll
    void start() {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
    }

    @AfterAll
    void stop() {
        phones.forEach(Sipp.Run::kill);
        server.close();
    }

    SipPeers peers() {
        return new SipPeers(work, server.hotline().engine().sipPort());
    }

    /** A number to {@code type}:{@code destination}. */
    void number(String number, String type, String destination) {
        var r = admin.post("/api/v1/numbers", Map.of("number", number, "destinationType", type, "destination", destination));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    /** Publishes a flow and points {@code number} at it. */
    void flow(String name, String number, String graphJson) {
        long id = admin.post("/api/v1/flows", Map.of("name", name)).json().get("id").asLong();
        var saved = admin.raw("PUT", "/api/v1/flows/" + id + "/draft", graphJson.replace('\'', '"'), "application/json");
        assertThat(saved.json().get("problems")).as(saved.toString()).isEmpty();
        assertThat(admin.post("/api/v1/flows/" + id + "/publish", null).status()).isEqualTo(200);
        number(number, "flow", name);
    }

    /** A SIPp phone playing {@code scenario}, registered as extension {@code ext}. */
    void phone(String ext, String scenario) throws Exception {
        int port = Ports.free();
        Map<String, String> vars = SipPeers.vars("x");
        vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
        Sipp.Run run = Sipp.start(work, scenario, vars, null, port, List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)), "-timeout", "120"));
        Sipp.awaitUdpBound(port);
        phones.add(run);
        peers().register(ext, PW, port, "200");
    }

    /** The caller's one call record, once it is written. */
    JsonNode record(String caller) {
        return await("call record of " + caller).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> admin.get("/api/v1/calls?number=" + caller).json().get("items"), items -> items.size() == 1).get(0);
    }

    @Test
    void everyDispositionComesFromRealCallsAndIsFilteredThroughTheApi() throws Exception {
        long greeting;
        try (Ivr ivr = new Ivr(work)) {
            greeting = ivr.shipped(Language.ZH, PromptKey.THANK_YOU_FOR_CALLING).duration().toMillis()
                    + ivr.shipped(Language.ZH, PromptKey.LEAVE_MESSAGE).duration().toMillis()
                    + ivr.shipped(Language.ZH, PromptKey.BEEP).duration().toMillis();
        }
        // The demo's shapes: its queue sales on a number, a night branch (message then voicemail), a menu, a goodbye,
        // its extensions (1002 rings and nobody answers, 1003 has no phone registered).
        number("4801", "queue", "sales");
        flow("dispo_night", "4802", "{'start':'night','nodes':{'night':{'type':'play','prompts':[{'prompt':'THANK_YOU_FOR_CALLING'}],'next':'vm'},"
                + "'vm':{'type':'voicemail','boxType':'queue','box':'support'}}}");
        flow("dispo_bye", "4803", "{'start':'hi','nodes':{'hi':{'type':'play','prompts':[{'prompt':'WELCOME'}],'next':'bye'},'bye':{'type':'hangup'}}}");
        flow("dispo_menu", "4804", "{'start':'menu','nodes':{'menu':{'type':'menu','prompts':[{'prompt':'WELCOME'},{'prompt':'DEMO_MENU'}],"
                + "'options':{'1':'bye'},'timeoutSeconds':5,'retries':2,'fail':'bye'},'bye':{'type':'hangup'}}}");
        number("4805", "extension", "1002");
        number("4806", "extension", "1003");
        phone("1002", "uas_ring_cancel");

        // Side by side: callers who need no agent (nobody is signed in, so the queue caller waits unoffered).
        Map<String, String> expected = new LinkedHashMap<>();
        List<Sipp.Run> callers = new ArrayList<>();
        expected.put("13700000001", "abandoned_queue");
        callers.add(peers().uac("uac_call", "4801", SipPeers.vars("13700000001", "PAUSE", "2500")));
        expected.put("13700000002", "voicemail");
        callers.add(peers().uac("uac_digits", "4802", SipPeers.vars("13700000002", "PAUSE", Long.toString(greeting + 2500), "AFTER", "0",
                "DTMFACTIONS", "")));
        expected.put("13700000003", "ivr_only");
        callers.add(peers().uac("uac_wait_bye", "4803", SipPeers.vars("13700000003")));
        expected.put("13700000004", "abandoned_ivr");
        callers.add(peers().uac("uac_digits", "4804", SipPeers.vars("13700000004", "PAUSE", "1500", "AFTER", "0", "DTMFACTIONS", "")));
        expected.put("13700000005", "abandoned_ringing");
        callers.add(peers().uac("uac_cancel", "4805", SipPeers.vars("13700000005")));
        expected.put("13700000006", "unanswered");
        callers.add(peers().uac("uac_fail", "4806", SipPeers.vars("13700000006", "CODE", "480")));
        callers.forEach(SipPeers::ok);

        // Then a caller whom an agent answers: agent1 ready on a phone that answers, the demo's agent announcement first.
        phone("1001", "uas_answer");
        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
        var ready = agent.put("/api/v1/agent/state", Map.of("state", "ready"));
        assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
        expected.put("13700000007", "answered");
        SipPeers.ok(peers().uac("uac_call", "4801", SipPeers.vars("13700000007", "PAUSE", "8000")));

        // Each record has its disposition, and each disposition filter finds exactly its caller among these calls.
        Map<String, String> actual = new LinkedHashMap<>();
        for (String caller : expected.keySet()) actual.put(caller, record(caller).get("disposition").asText());
        assertThat(actual).isEqualTo(expected);
        assertThat(record("13700000007").get("queue").asText()).isEqualTo("sales");
        assertThat(record("13700000007").get("agentJob").asText()).isEqualTo("8001");
        assertThat(record("13700000001").get("queueResult").asText()).isEqualTo("abandoned");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            JsonNode items = admin.get("/api/v1/calls?limit=500&disposition=" + e.getValue()).json().get("items");
            List<String> ours = new ArrayList<>();
            for (JsonNode r : items) {
                assertThat(r.get("disposition").asText()).isEqualTo(e.getValue());
                if (expected.containsKey(r.get("caller").asText())) ours.add(r.get("caller").asText());
            }
            assertThat(ours).as("disposition=" + e.getValue()).containsExactly(e.getKey());
        }
        assertThat(admin.get("/api/v1/calls?disposition=lost").status()).isEqualTo(400);
        agent.delete("/api/v1/agent/session");
    }
}
