package dev.hotline.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.Chromium;
import dev.hotline.testing.Coturn;
import dev.hotline.testing.RtpCallee;
import dev.hotline.testing.RtpCaller;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 7 end to end, against the whole server: two agents on the desk in headless Chromium with
 * fake media (browser phone, device "webrtc", over the CTI WebSocket of docs/cti.md) and a SIPp
 * caller on a number routed to the queue sales. The desk rings with the caller's number, the agent
 * answers in the browser, audio flows both ways (the browser's getStats and the server's counters of
 * the browser's leg), hold and resume, notes, a blind transfer to the second agent who answers, hang
 * up; the call's event log shows every step. A reload during a call keeps the call and reattaches.
 *
 * <p>Prints one JSON line per measurement: queue offer → desk ringing, answer click → inbound audio.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeskBrowserTest {
    static final Duration DEADLINE = Duration.ofSeconds(20);
    static final String PW = TestServer.DEMO_PASSWORD;
    static final ObjectMapper JSON = new ObjectMapper();

    TestServer server;
    Coturn turn;
    ApiClient admin;
    Desk agent1;
    Desk agent2;
    Path sippDir;
    final List<Sipp.Run> callers = new ArrayList<>();
    final AtomicInteger callerSeq = new AtomicInteger();
    static final String QUEUE_NUMBER = "4698";
    JsonNode demoSales;
    long salesId;

    @BeforeAll
    void start() throws Exception {
        // MEDIA-6: the server hands its browsers a TURN server (coturn of the test's own, REST API secret).
        turn = Coturn.start();
        server = TestServer.start(TestDatabases.Kind.H2, turn.hotlineSettings());
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        sippDir = Files.createTempDirectory("desk-sipp");
        // The demo queue sales (members agent1, agent2, agent3 in this order) on a number of its own; linear: agent1 first.
        long queueId = -1;
        for (JsonNode q : admin.get("/api/v1/queues").json()) {
            if (!q.get("name").asText().equals("sales")) continue;
            queueId = q.get("id").asLong();
            demoSales = q; // the demo's own settings (agent announcement on), for the answer-to-audio measurement
        }
        salesId = queueId;
        var put = admin.put("/api/v1/queues/" + queueId, Map.of("name", "sales", "strategy", "linear", "settings", Map.of("ringTimeoutSeconds", 30)));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        var number = admin.post("/api/v1/numbers", Map.of("number", QUEUE_NUMBER, "destinationType", "queue", "destination", "sales"));
        assertThat(number.status()).as(number.toString()).isEqualTo(201);
        server.hotline().acd().settle();
        agent1 = new Desk(server.baseUrl(), "agent1");
        agent2 = new Desk(server.baseUrl(), "agent2");
    }

    @AfterAll
    void stop() {
        callers.forEach(Sipp.Run::kill);
        try {
            if (agent1 != null) agent1.close();
            if (agent2 != null) agent2.close();
        } finally {
            server.close();
            turn.close();
        }
    }

    @AfterEach
    void checkOutAndCheckConsoles() {
        callers.forEach(Sipp.Run::kill);
        callers.clear();
        List<String> errors = new ArrayList<>();
        for (Desk d : List.of(agent1, agent2)) {
            errors.addAll(d.chrome.scriptErrors().stream().map(e -> d.user + ": " + e).toList());
            d.checkOut();
        }
        assertThat(errors).as("errors in the browser consoles").isEmpty();
    }

    SipPeers peers() {
        return new SipPeers(sippDir, server.hotline().engine().sipPort());
    }

    /** A customer calling the queue's number from {@code caller}: echoes what it hears, stays until hung up. */
    Sipp.Run call(String caller) throws Exception {
        Sipp.Run run = peers().uac("uac_wait_bye", QUEUE_NUMBER, SipPeers.vars(caller), "-rtp_echo", "-timeout", "120");
        callers.add(run);
        return run;
    }

    String nextCaller() {
        return "1391234" + String.format("%04d", callerSeq.incrementAndGet());
    }

    @Test
    void aQueueCallRingsTheDeskIsAnsweredInTheBrowserHeldTransferredToAColleagueAndHungUp() throws Exception {
        agent1.signIn();
        agent2.signIn();
        agent1.checkInWebRtc();
        agent2.checkInWebRtc();
        agent1.ready();

        String caller = nextCaller();
        Sipp.Run customer = call(caller);
        try {
            ringAnswerHoldTransferAndHangUp(caller, customer);
        } catch (AssertionError e) {
            throw withCallRecord(e, customer);
        }
    }

    /** A failure's message with what the server and the caller saw of the call: its events and SIPp's messages. */
    AssertionError withCallRecord(AssertionError e, Sipp.Run customer) {
        StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
        try {
            for (Channel ch : server.hotline().engine().channels()) s.append("\n  channel ").append(ch.id());
            JsonNode calls = admin.get("/api/v1/calls?limit=3").json();
            s.append("\nrecent calls ").append(calls);
            int n = 0;
            for (JsonNode c : calls.path("items").isArray() ? calls.get("items") : calls) {
                if (n++ == 3) break;
                String id = c.path("callId").asText(c.path("id").asText());
                s.append("\nevents of ").append(id).append(' ').append(events(id));
            }
        } catch (RuntimeException | AssertionError x) {
            s.append("\n(call record unavailable: ").append(x).append(')');
        }
        s.append("\ncaller SIPp: ").append(customer.logs());
        return new AssertionError(s.toString(), e);
    }

    void ringAnswerHoldTransferAndHangUp(String caller, Sipp.Run customer) throws Exception {
        // The desk rings with the caller's number, queue and wait, before anyone answers.
        WebElement banner = agent1.el("desk-incoming");
        agent1.waitFor(d -> caller.equals(agent1.text("desk-incoming-number")));
        assertThat(banner.getText()).contains("sales");
        JsonNode ringing = agent1.state();
        assertThat(ringing.get("ringing").asBoolean()).as("ring tone playing").isTrue();
        JsonNode offered = ringing.get("calls").get(0);
        String callId = offered.get("callId").asText();
        String leg1 = offered.get("legId").asText();
        assertThat(offered.get("caller").asText()).isEqualTo(caller);
        assertThat(offered.get("queue").asText()).isEqualTo("sales");
        long ringAtMs = ringing.get("offeredAt").get(leg1).asLong();
        agent1.screenshot("desk-ringing-en");

        // Answer: media flows at once on the persistent connection.
        AnswerTiming answer = agent1.answerAndTimeAudio("desk-banner-answer");
        agent1.waitFor(d -> "talking".equals(agent1.el("desk-call-state").getAttribute("data-state")));
        agent1.awaitInboundAudioRising();
        Channel browserLeg = browserLeg(leg1, caller);
        long in0 = browserLeg.counters().packetsIn();
        agent1.awaitInboundAudioRising();
        assertThat(browserLeg.counters().packetsIn() - in0).as("packets from the browser decrypted by the server").isGreaterThan(20);
        assertThat(agent1.stats().get("outboundBytes").asLong()).isGreaterThan(0);
        agent1.screenshot("desk-talking-en");

        // Hold and resume.
        agent1.click("desk-btn-hold");
        agent1.waitFor(d -> "held".equals(agent1.el("desk-call-state").getAttribute("data-state")));
        agent1.click("desk-btn-resume");
        agent1.waitFor(d -> "talking".equals(agent1.el("desk-call-state").getAttribute("data-state")));

        // Notes travel with the transfer to the colleague (job number 8002), who is ready now.
        agent1.type("desk-notes", "wants a refund");
        agent1.click("desk-notes-save");
        agent1.waitFor(d -> agent1.el("desk-notes-save").getAttribute("disabled") != null);
        agent2.ready();
        agent1.type("desk-transfer-to", "8002");
        agent1.click("desk-btn-transfer");
        agent1.el("desk-no-call");

        WebElement transferred = agent2.el("desk-incoming");
        agent2.waitFor(d -> caller.equals(agent2.text("desk-incoming-number")));
        assertThat(transferred.getText()).contains("8001");
        agent2.screenshot("desk-transferred-en");
        agent2.answerAndTimeAudio("desk-banner-answer");
        agent2.waitFor(d -> "talking".equals(agent2.el("desk-call-state").getAttribute("data-state")));
        assertThat(agent2.text("desk-transfer-notes")).contains("wants a refund");
        agent2.awaitInboundAudioRising();

        // The colleague hangs up: the customer hears BYE.
        agent2.click("desk-btn-hangup");
        agent2.el("desk-no-call");
        SipPeers.ok(customer);

        // The call record shows every step.
        List<String> types = eventTypes(callId, List.of("(?i).*offer.*", "(?i).*(answer|connect).*", "(?i).*hold.*",
                "(?i).*(unhold|resume).*", "(?i).*transfer.*", "(?i).*(hangup|end|closed).*"));
        JsonNode offerEvent = firstEvent(callId, "queue_offer");
        long offerToRingMs = ringAtMs - Instant.parse(offerEvent.get("at").asText()).toEpochMilli();
        System.out.println(JSON.writeValueAsString(Map.of("test", "desk.queueCall", "offerToDeskRingingMs", offerToRingMs,
                "answerClickToInboundAudioMs", answer.ms(), "inboundBytesIn200msBeforeAnswer", answer.idleBytes(), "events", types)));
        assertThat(offerToRingMs).as("queue offer to desk ringing").isBetween(0L, 2000L);
    }

    /**
     * MSG-4 with browser phones (sales' survey on, in Chinese, for this test only). A: agent 1 answers a SIPp caller in the
     * browser and hangs up from the desk; the caller stays, is asked for a score and keys 2 (RFC 4733): surveyed for agent 1
     * (the call's survey event, the satisfaction reports per queue and per agent), "Satisfied" on agent 1's call history. B,
     * the desk's attended transfer: agent 1 answers, consults agent 2 (job number 8002, not ready, browser phone), agent 2
     * answers in the browser, agent 1 completes (the caller now bridged with agent 2's leg) and agent 2 hangs up from the
     * desk: the caller is surveyed for agent 2 and keys 1, "Very satisfied" on agent 2's call history.
     *
     * <p>SIPp keys at a fixed time after its call is answered (the queue answers at once): 20 s (A) and 30 s (B). The
     * Chinese score prompt lasts 9.5 s and is asked twice with 8 s for a key each time, so a key up to 35 s after the
     * agent's hang-up counts: any hang-up before the key does.
     */
    @Test
    void aBrowserPhoneAgentsCallerIsSurveyedAfterTheDesksHangUpAndAfterTheDesksAttendedTransfer() throws Exception {
        Instant from = Instant.ofEpochSecond(Instant.now().getEpochSecond() / 900 * 900);
        String range = "from=" + from + "&to=" + from.plus(Duration.ofDays(1)) + "&group=day&tz=UTC";
        long agent1Id = userId("agent1");
        long agent2Id = userId("agent2");
        salesSurvey(true);
        try {
            agent1.signIn();
            agent2.signIn();
            agent1.checkInWebRtc();
            agent2.checkInWebRtc();
            agent1.ready();

            // A: answered in the browser, hung up from the desk.
            String a = nextCaller();
            Sipp.Run callerA = surveyedCaller(a, 20_000, "2");
            agent1.waitFor(d -> a.equals(agent1.text("desk-incoming-number")));
            String callA = agent1.state().get("calls").get(0).get("callId").asText();
            agent1.click("desk-banner-answer");
            agent1.waitFor(d -> "talking".equals(agent1.el("desk-call-state").getAttribute("data-state")));
            agent1.click("desk-btn-hangup");
            agent1.el("desk-no-call");
            SipPeers.ok(callerA); // keyed 2, thanked, hung up by the server
            assertThat(surveyData(callA)).isEqualTo("queue=sales agent=" + agent1Id + " result=answered score=2");
            String cellA = "[data-testid='agent-recent-survey'][data-call='" + callA + "']";
            agent1.waitFor(d -> d.findElements(By.cssSelector(cellA)).stream().anyMatch(e -> "2".equals(e.getAttribute("data-score"))));
            assertThat(agent1.driver().findElement(By.cssSelector(cellA)).getText()).isEqualTo("Satisfied");

            // B: consult agent 2, complete, agent 2 hangs up.
            agent1.waitFor(d -> !agent1.agentState().equals("on_call"));
            if (!agent1.agentState().equals("ready")) agent1.ready();
            String b = nextCaller();
            Sipp.Run callerB = surveyedCaller(b, 30_000, "1");
            agent1.waitFor(d -> b.equals(agent1.text("desk-incoming-number")));
            String callB = agent1.state().get("calls").get(0).get("callId").asText();
            agent1.click("desk-banner-answer");
            agent1.waitFor(d -> "talking".equals(agent1.el("desk-call-state").getAttribute("data-state")));
            agent1.type("desk-transfer-to", "8002");
            agent1.click("desk-btn-consult");
            agent2.el("desk-incoming");
            agent2.click("desk-banner-answer");
            agent2.waitFor(d -> "talking".equals(agent2.el("desk-call-state").getAttribute("data-state")));
            // Agent 1's desk shows the consultation (the colleague's leg is not on agent 1's desk) and completes it.
            agent1.waitFor(d -> "talking".equals(agent1.el("desk-consult-with").getAttribute("data-state")));
            assertThat(agent1.text("desk-consult-with")).contains("8002");
            agent1.screenshot("desk-consulting-en");
            agent1.click("desk-btn-complete");
            agent1.el("desk-no-call");
            assertThat(agent2.el("desk-call-state").getAttribute("data-state")).isEqualTo("talking");
            agent2.click("desk-btn-hangup");
            agent2.el("desk-no-call");
            SipPeers.ok(callerB); // stayed after agent 2's hang-up, keyed 1, thanked, hung up by the server
            assertThat(surveyData(callB)).isEqualTo("queue=sales agent=" + agent2Id + " result=answered score=1");
            assertThat(admin.get("/api/v1/calls/" + callB + "/events").body()).contains("kind=consult target=8002", "kind=attended target=8002");
            String cellB = "[data-testid='agent-recent-survey'][data-call='" + callB + "']";
            agent2.waitFor(d -> d.findElements(By.cssSelector(cellB)).stream().anyMatch(e -> "1".equals(e.getAttribute("data-score"))));
            assertThat(agent2.driver().findElement(By.cssSelector(cellB)).getText()).isEqualTo("Very satisfied");

            // The satisfaction reports count both, each for its final agent.
            assertThat(server.hotline().eventLog().flush(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            JsonNode sales = admin.get("/api/v1/reports/satisfaction?" + range + "&queue=sales").json().get("total");
            assertThat(sales.get("surveyed").asInt()).as(sales.toString()).isEqualTo(2);
            assertThat(sales.get("verySatisfied").asInt()).isEqualTo(1);
            assertThat(sales.get("satisfied").asInt()).isEqualTo(1);
            JsonNode one = admin.get("/api/v1/reports/satisfaction-agents?" + range + "&agent=" + agent1Id).json().get("rows");
            assertThat(one).hasSize(1);
            assertThat(one.get(0).get("satisfied").asInt()).as(one.toString()).isEqualTo(1);
            assertThat(one.get(0).get("surveyed").asInt()).isEqualTo(1);
            JsonNode two = admin.get("/api/v1/reports/satisfaction-agents?" + range + "&agent=" + agent2Id).json().get("rows");
            assertThat(two).hasSize(1);
            assertThat(two.get(0).get("verySatisfied").asInt()).as(two.toString()).isEqualTo(1);
            assertThat(two.get(0).get("surveyed").asInt()).isEqualTo(1);
        } finally {
            salesSurvey(false);
        }
    }

    /** Turns sales' survey (MSG-4, Chinese prompts) on or off; the rest of the class's settings stay. */
    void salesSurvey(boolean on) {
        var put = admin.put("/api/v1/queues/" + salesId, Map.of("name", "sales", "strategy", "linear", "settings",
                Map.of("ringTimeoutSeconds", 30, "survey", Map.of("enabled", on, "language", "zh"))));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        server.hotline().acd().settle();
    }

    /** A caller of the queue's number who keys {@code key} (RFC 4733) {@code keyAfterMs} after the answer, then waits for our BYE. */
    Sipp.Run surveyedCaller(String caller, int keyAfterMs, String key) throws Exception {
        Sipp.Run run = peers().uac("uac_survey", QUEUE_NUMBER, SipPeers.vars(caller, "PAUSE", Integer.toString(keyAfterMs),
                "DTMFACTIONS", SipPeers.dtmf(key)), "-timeout", "120");
        callers.add(run);
        return run;
    }

    /** The data of the survey event of {@code callId} (MSG-4), once there is one. */
    String surveyData(String callId) {
        return await("the survey of " + callId).atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (JsonNode e : events(callId)) if (e.get("type").asText().equals("survey")) return e.get("data").asText();
            return null;
        }, java.util.Objects::nonNull);
    }

    long userId(String username) {
        for (JsonNode u : admin.get("/api/v1/users").json()) if (u.get("username").asText().equals(username)) return u.get("id").asLong();
        throw new AssertionError(username);
    }

    @Test
    void aReloadDuringACallKeepsTheCallAndThePageReattaches() throws Exception {
        agent1.signIn();
        agent1.checkInWebRtc();
        agent1.ready();
        String caller = nextCaller();
        Sipp.Run customer = call(caller);
        agent1.waitFor(d -> caller.equals(agent1.text("desk-incoming-number")));
        String leg = agent1.state().get("calls").get(0).get("legId").asText();
        AnswerTiming answer = agent1.answerAndTimeAudio("desk-banner-answer");
        agent1.waitFor(d -> "talking".equals(agent1.el("desk-call-state").getAttribute("data-state")));
        agent1.awaitInboundAudioRising();

        JsonNode before = agent1.state();
        long talkingSince = before.get("since").get(leg).asLong();
        // Issue 14: the timer counts from the server's answeredAt (here the same clock), not from anything the page kept.
        assertThat(talkingSince).as("timer start = the call's answeredAt")
                .isEqualTo(Instant.parse(before.get("calls").get(0).get("answeredAt").asText()).toEpochMilli());
        agent1.js().executeScript("sessionStorage.clear()");
        long reloadAt = System.nanoTime();
        agent1.driver().navigate().refresh();
        // hello lists the call: the page shows it again, offers media again, and audio flows.
        agent1.waitFor(d -> "talking".equals(agent1.el("desk-call-state").getAttribute("data-state")));
        JsonNode after = agent1.state();
        // The call timer goes on from where it was (issue 14), it does not restart at 0:00.
        assertThat(after.get("since").get(leg).asLong()).as("call timer start after the reload").isEqualTo(talkingSince);
        assertThat(after.get("calls").get(0).get("legId").asText()).isEqualTo(leg);
        assertThat(after.get("calls").get(0).get("caller").asText()).isEqualTo(caller);
        agent1.waitFor(d -> "connected".equals(agent1.el("desk-webrtc-state").getAttribute("data-connection")));
        agent1.awaitInboundAudioRising();
        long reattachMs = Duration.ofNanos(System.nanoTime() - reloadAt).toMillis();
        assertThat(agent1.state().path("webrtc").path("offers").asInt()).as("offers of the reloaded page").isGreaterThanOrEqualTo(1);
        assertThat(customer.isAlive()).as("the customer is still connected").isTrue();
        agent1.screenshot("desk-after-reload-en");

        agent1.click("desk-btn-hangup");
        agent1.el("desk-no-call");
        SipPeers.ok(customer);
        System.out.println(JSON.writeValueAsString(Map.of("test", "desk.reload", "answerClickToInboundAudioMs", answer.ms(),
                "reloadToCallShownAndAudioRisingMs", reattachMs)));
    }

    /**
     * MEDIA-6, an agent off the LAN: the desk's browser may only relay (iceTransportPolicy "relay", forced by
     * {@code ?ice=relay}), so its media reaches the ICE-lite engine only through the TURN server (coturn, credentials
     * of the TURN REST API from {@code GET /api/v1/webrtc/ice-servers}). It takes a queue call: the selected candidate
     * pair is a relay one (getStats), the server decrypts the browser's packets and the caller's echo comes back (audio
     * both ways through coturn).
     *
     * <p>Then ICE consent freshness (RFC 7675): the agent closes the browser without hanging up (the driver quits: no
     * BYE, no logout, no CTI message). No more consent checks nor media arrive; within 30 s the server ends the agent's
     * leg with the cause CONSENT_EXPIRED (in the call's events) and the customer hears an ordinary hang-up (BYE). A
     * reload is different: {@link #aReloadDuringACallKeepsTheCallAndThePageReattaches}.
     */
    @Test
    void anAgentReachingTheServerOnlyThroughTurnTalksThenClosingTheBrowserEndsTheLegWithinThirtySeconds() throws Exception {
        try (Desk agent3 = new Desk(server.baseUrl(), "agent3")) {
            agent3.signIn();
            ApiClient api3 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent3", PW);
            JsonNode ice = api3.get("/api/v1/webrtc/ice-servers").json();
            JsonNode relay = ice.get("iceServers").get(0);
            assertThat(relay.get("urls").get(0).asText()).isEqualTo(turn.url());
            assertThat(relay.get("username").asText()).matches("\\d{10}:agent-\\d+");
            assertThat(Instant.parse(ice.get("expiresAt").asText())).isAfter(Instant.now().plus(Duration.ofHours(11)));

            agent3.driver().get(server.baseUrl() + "/agent.html?ice=relay");
            agent3.waitFor(d -> "open".equals(agent3.el("cti-status").getAttribute("data-status")));
            agent3.checkInWebRtc();
            assertThat(agent3.state().path("webrtc").path("relayOnly").asBoolean()).as("relay forced").isTrue();
            agent3.ready();
            String caller = nextCaller();
            Sipp.Run customer = call(caller);
            agent3.waitFor(d -> caller.equals(agent3.text("desk-incoming-number")));
            JsonNode offered = agent3.state().get("calls").get(0);
            String callId = offered.get("callId").asText();
            String leg = offered.get("legId").asText();
            agent3.click("desk-banner-answer"); // the answer-to-audio time is measured elsewhere; relayed under load it can be longer
            agent3.waitFor(d -> "talking".equals(agent3.el("desk-call-state").getAttribute("data-state")));
            agent3.awaitInboundAudioRising(); // the caller echoes the browser's microphone: both ways through the relay
            JsonNode stats = agent3.stats();
            assertThat(stats.get("localCandidate").asText()).as("selected pair's local candidate " + stats).isEqualTo("relay");
            assertThat(stats.get("relayProtocol").asText()).isEqualTo("udp");
            Channel browserLeg = browserLeg(leg, caller);
            long in0 = browserLeg.counters().packetsIn();
            agent3.awaitInboundAudioRising();
            assertThat(browserLeg.counters().packetsIn() - in0).as("packets from the browser via TURN decrypted by the server").isGreaterThan(20);
            System.out.println(JSON.writeValueAsString(Map.of("test", "desk.turnRelay", "stats", stats)));

            assertThat(consentExpiredAfterClosing(agent3, callId, leg, customer)).isBetween(25_000L, 45_000L);
        }
    }

    /**
     * Quits the desk's browser and waits (45 s at most) for the server to end the agent's leg for expired consent; the
     * customer gets a BYE. Returns the ms from the quit to the hang-up event and prints them.
     */
    long consentExpiredAfterClosing(Desk desk, String callId, String leg, Sipp.Run customer) throws Exception {
        long quitAt = System.currentTimeMillis();
        desk.close();
        JsonNode[] hangup = new JsonNode[1];
        org.awaitility.Awaitility.await("the leg " + leg + " ends for expired consent").atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    hangup[0] = events(callId).stream().filter(e -> e.get("type").asText().equals("hangup")
                            && e.toString().contains(leg) && e.toString().contains("CONSENT_EXPIRED")).findFirst().orElse(null);
                    return hangup[0] != null;
                });
        SipPeers.ok(customer); // the customer's side: an ordinary hang-up
        long ms = Instant.parse(hangup[0].get("at").asText()).toEpochMilli() - quitAt;
        System.out.println(JSON.writeValueAsString(Map.of("test", "desk.consentExpiry", "browserQuitToLegEndedMs", ms,
                "event", hangup[0])));
        return ms;
    }

    /**
     * AGENT-3, a device switch mid-call: agent1 talks to a SIPp customer on the browser phone and moves the call to their
     * SIP phone (a SIPp phone registered as extension 1001, answering and echoing), then back to the browser. The
     * customer's leg stays all along (no BYE reaches SIPp until the final hang-up); each time the new device is called,
     * answers, is bridged with the customer and the old device's leg ends; the desk follows the call to its new leg; after
     * the move back the browser hears the customer's echo of its microphone again. Audio on a device other than the browser
     * is measured by {@link #aLiveCallMovesToTheMobileAndBackWithAudioBothWaysAndNoByeToTheCustomer} (both SIPp ends here
     * only echo, so nothing is sent once the browser left).
     */
    @Test
    void aLiveCallMovesFromTheBrowserToTheSipPhoneAndBackWithoutAByeToTheCustomer() throws Exception {
        int port = Ports.free();
        var vars = SipPeers.vars("x");
        vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
        Sipp.Run phone = Sipp.start(sippDir, "uas_answer", vars, null, port,
                List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)), "-m", "1000", "-timeout", "300"));
        callers.add(phone);
        Sipp.awaitUdpBound(port);
        peers().register("1001", PW, port, "200");

        agent1.signIn();
        agent1.checkInWebRtc();
        agent1.ready();
        String caller = nextCaller();
        Sipp.Run customer = call(caller);
        agent1.waitFor(d -> caller.equals(agent1.text("desk-incoming-number")));
        JsonNode offered = agent1.state().get("calls").get(0);
        String callId = offered.get("callId").asText();
        String browserLeg = offered.get("legId").asText();
        agent1.answerAndTimeAudio("desk-banner-answer");
        agent1.waitFor(d -> "talking".equals(agent1.el("desk-call-state").getAttribute("data-state")));
        agent1.awaitInboundAudioRising();
        Channel customerLeg = server.hotline().engine().channel(browserLeg).flatMap(Channel::bridgedWith).orElseThrow();

        // To the SIP phone: it rings with the customer's number and answers; the customer is bridged with it.
        assertThat(agent1.el("desk-move").getAttribute("data-device")).isEqualTo("webrtc");
        long t0 = System.nanoTime();
        agent1.click("desk-btn-move-sip");
        agent1.waitFor(d -> "sip".equals(agent1.el("desk-move").getAttribute("data-device")));
        long toSipMs = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        String sipLeg = agent1.state().get("calls").get(0).get("legId").asText();
        assertThat(sipLeg).isNotEqualTo(browserLeg);
        assertThat(agent1.state().get("calls")).hasSize(1);
        Channel onPhone = server.hotline().engine().channel(sipLeg).orElseThrow();
        org.awaitility.Awaitility.await("the customer bridged with the SIP phone").atMost(DEADLINE)
                .until(() -> onPhone.bridgedWith().map(Channel::id).orElse("").equals(customerLeg.id()));
        org.awaitility.Awaitility.await("the browser's leg ended").atMost(DEADLINE)
                .until(() -> server.hotline().engine().channel(browserLeg).map(ch -> ch.state().isFinal()).orElse(true));
        assertThat(customer.isAlive()).as("no BYE to the customer: " + customer.messages()).isTrue();
        assertThat(agent1.text("desk-call-state")).isNotEmpty();
        assertThat(agent1.el("desk-call-state").getAttribute("data-state")).isEqualTo("talking");

        // Back to the browser: it is answered by itself (the agent asked for it) and the customer's echo is heard there.
        t0 = System.nanoTime();
        agent1.click("desk-btn-move-webrtc");
        agent1.waitFor(d -> "webrtc".equals(agent1.el("desk-move").getAttribute("data-device")));
        long toBrowserMs = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        String backLeg = agent1.state().get("calls").get(0).get("legId").asText();
        org.awaitility.Awaitility.await("the SIP phone's leg ended").atMost(DEADLINE)
                .until(() -> server.hotline().engine().channel(sipLeg).map(ch -> ch.state().isFinal()).orElse(true));
        try {
            agent1.awaitInboundAudioRising();
        } catch (AssertionError e) {
            Channel b = server.hotline().engine().channel(backLeg).orElse(null);
            throw new AssertionError("no audio after the move back: stats " + agent1.stats() + " back leg " + (b == null ? null
                    : b.counters()) + " customer " + customerLeg.counters(), e);
        }
        assertThat(customer.isAlive()).as("no BYE to the customer: " + customer.messages()).isTrue();
        assertThat(server.hotline().engine().channel(backLeg).flatMap(Channel::bridgedWith).map(Channel::id)).contains(customerLeg.id());
        assertThat(agent1.agentState()).as("the agent stays on the call").isEqualTo("on_call");

        agent1.click("desk-btn-hangup");
        agent1.el("desk-no-call");
        SipPeers.ok(customer);
        String events = admin.get("/api/v1/calls/" + callId + "/events").body();
        assertThat(events).contains("kind=device target=sip", "kind=device_done target=sip", "kind=device target=webrtc",
                "kind=device_done target=webrtc");
        System.out.println(JSON.writeValueAsString(Map.of("test", "desk.deviceSwitch", "clickToMovedToSipPhoneMs", toSipMs,
                "clickToMovedBackToBrowserMs", toBrowserMs)));
    }

    /**
     * AGENT-3 to the agent's mobile and back, with audio. The customer is a caller of the test's own ({@link RtpCaller}: A-law
     * RTP, a 400 Hz tone on demand, keeps what it hears); the mobile is an outside number reached through an outbound route
     * over a trunk to a far end of the test's own ({@link RtpCallee}: answers, says a 400 Hz tone, keeps what it hears).
     * agent1 answers on the browser phone and moves the call to the mobile from the desk: the mobile rings with the
     * customer's number and answers, the customer hears the mobile's tone and the mobile hears the customer's; then back to
     * the browser: the browser's inbound audio (WebRTC stats: bytes, packets and audio energy) rises while the customer speaks
     * and the customer hears the browser's (fake) microphone. The customer never gets a BYE: the test's own BYE at the end is
     * answered 200 in the dialog that was set up at the start.
     */
    @Test
    void aLiveCallMovesToTheMobileAndBackWithAudioBothWaysAndNoByeToTheCustomer() throws Exception {
        short[] mobileSays = tone(400, 30_000);
        try (RtpCallee mobile = RtpCallee.start(server.hotline().engine().sipPort(), n -> new RtpCallee.Script(300, mobileSays, 0))) {
            var trunk = admin.post("/api/v1/trunks", Map.of("name", "mobile-carrier", "host", "127.0.0.1", "port", mobile.port(), "allowedIps", List.of()));
            assertThat(trunk.status()).as(trunk.toString()).isEqualTo(201);
            var route = admin.post("/api/v1/outbound-routes", Map.of("name", "mobiles", "prefix", "1370", "trunkId",
                    trunk.json().get("id").asLong(), "priority", 1));
            assertThat(route.status()).as(route.toString()).isEqualTo(201);
            String mobileNumber = "13700001111";

            agent1.signIn();
            agent1.checkInWebRtc();
            agent1.ready();
            String caller = nextCaller();
            RtpCaller customer = RtpCaller.call(server.hotline().engine().sipPort(), caller, QUEUE_NUMBER);
            try {
                agent1.waitFor(d -> caller.equals(agent1.text("desk-incoming-number")));
                JsonNode offered = agent1.state().get("calls").get(0);
                String callId = offered.get("callId").asText();
                String browserLeg = offered.get("legId").asText();
                agent1.click("desk-banner-answer");
                agent1.waitFor(d -> "talking".equals(agent1.el("desk-call-state").getAttribute("data-state")));
                agent1.awaitInboundAudioRising();
                Channel customerLeg = server.hotline().engine().channel(browserLeg).flatMap(Channel::bridgedWith).orElseThrow();
                // On the browser: the customer speaks and is heard there, and hears the browser's microphone.
                customer.tone(3000);
                agent1.awaitInboundAudioEnergyRising();
                int heard0 = customer.heard().size();
                awaitSound(customer, heard0, "the browser's microphone at the customer");

                // To the mobile, from the desk.
                agent1.type("desk-move-number", mobileNumber);
                long t0 = System.nanoTime();
                agent1.click("desk-btn-move-external");
                agent1.waitFor(d -> "external".equals(agent1.el("desk-move").getAttribute("data-device")));
                long toMobileMs = Duration.ofNanos(System.nanoTime() - t0).toMillis();
                assertThat(mobile.calls()).hasSize(1);
                RtpCallee.Call onMobile = mobile.calls().get(0);
                assertThat(onMobile.number).as("the number dialled").isEqualTo(mobileNumber);
                assertThat(onMobile.from).as("the mobile shows the customer's number").isEqualTo(caller);
                String mobileLeg = agent1.state().get("calls").get(0).get("legId").asText();
                assertThat(mobileLeg).isNotEqualTo(browserLeg);
                await("the customer bridged with the mobile").atMost(DEADLINE).until(() -> server.hotline().engine().channel(mobileLeg)
                        .flatMap(Channel::bridgedWith).map(Channel::id).orElse("").equals(customerLeg.id()));
                await("the browser's leg ended").atMost(DEADLINE)
                        .until(() -> server.hotline().engine().channel(browserLeg).map(ch -> ch.state().isFinal()).orElse(true));
                assertThat(customerLeg.state().isFinal()).as("the customer's leg stays").isFalse();
                // Audio both ways on the mobile: the customer hears the mobile's tone, the mobile hears the customer's.
                int heard1 = customer.heard().size();
                await("the mobile's tone at the customer").atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
                        .until(() -> RtpCaller.toneMs(since(customer.heard(), heard1)) >= 1000);
                int mobileHeard0 = onMobile.heard.size();
                customer.tone(3000);
                await("the customer's tone at the mobile").atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
                        .until(() -> RtpCaller.toneMs(since(List.copyOf(onMobile.heard), mobileHeard0)) >= 1000);

                // Back to the browser: answered by itself; the customer's voice reaches it and the browser's reaches the customer.
                t0 = System.nanoTime();
                agent1.click("desk-btn-move-webrtc");
                agent1.waitFor(d -> "webrtc".equals(agent1.el("desk-move").getAttribute("data-device")));
                long toBrowserMs = Duration.ofNanos(System.nanoTime() - t0).toMillis();
                String backLeg = agent1.state().get("calls").get(0).get("legId").asText();
                await("the mobile's leg ended").atMost(DEADLINE).until(() -> onMobile.ended);
                assertThat(onMobile.endedBy).isEqualTo("server");
                assertThat(server.hotline().engine().channel(backLeg).flatMap(Channel::bridgedWith).map(Channel::id)).contains(customerLeg.id());
                customer.tone(4000);
                try {
                    agent1.awaitInboundAudioRising();
                    agent1.awaitInboundAudioEnergyRising();
                } catch (AssertionError e) {
                    Channel b = server.hotline().engine().channel(backLeg).orElse(null);
                    throw new AssertionError("no audio in the browser after the move back: stats " + agent1.stats() + " back leg "
                            + (b == null ? null : b.counters()) + " customer " + customerLeg.counters(), e);
                }
                int heard2 = customer.heard().size();
                awaitSound(customer, heard2, "the browser's microphone at the customer after the move back");
                assertThat(customerLeg.state().isFinal()).as("the customer's leg stays").isFalse();
                assertThat(agent1.agentState()).as("the agent stays on the call").isEqualTo("on_call");

                // The customer hangs up: its BYE is answered in the dialog of the start (none came from the server).
                customer.bye();
                agent1.el("desk-no-call");
                String events = admin.get("/api/v1/calls/" + callId + "/events").body();
                assertThat(events).contains("kind=device target=external", "kind=device_done target=external", "kind=device target=webrtc",
                        "kind=device_done target=webrtc");
                System.out.println(JSON.writeValueAsString(Map.of("test", "desk.deviceSwitch.mobile", "clickToMovedToMobileMs", toMobileMs,
                        "clickToMovedBackToBrowserMs", toBrowserMs)));
            } finally {
                customer.close();
                admin.delete("/api/v1/outbound-routes/" + route.json().get("id").asLong());
                admin.delete("/api/v1/trunks/" + trunk.json().get("id").asLong());
            }
        }
    }

    /** {@code ms} of a sine of {@code hz} at about a quarter of full scale, 8 kHz. */
    static short[] tone(int hz, int ms) {
        short[] pcm = new short[ms * 8];
        for (int i = 0; i < pcm.length; i++) pcm[i] = (short) (8000 * Math.sin(2 * Math.PI * hz * i / 8000.0));
        return pcm;
    }

    /** Waits until {@code who} has heard 200 ms of sound (not silence) since its packet {@code from}. */
    static void awaitSound(RtpCaller who, int from, String what) {
        try {
            await(what).atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
                    .until(() -> since(who.heard(), from).stream().filter(x -> x.rms() >= RtpCaller.SOUND_RMS).count() >= 10);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(what + ": heard " + RtpCaller.pattern(since(who.heard(), from)), e);
        }
    }

    /** The frames of {@code heard} from index {@code from} on. */
    static List<RtpCaller.Heard> since(List<RtpCaller.Heard> heard, int from) {
        return heard.subList(Math.min(from, heard.size()), heard.size());
    }

    /**
     * MEDIA-6, the switch in the console and the desk's re-offer. With Opus off, agent1's browser phone connects with G.711
     * and a queue call reaches it as G.711 (WebRTC stats: the inbound codec's mimeType). The admin opens "Browser media" in
     * the console (another Chromium): Opus off is shown; a request the server refuses shows the server's field error on the
     * field (the page's PUT altered to {@code {"opus":null}} on its way: a 400 naming {@code opus}) and changes nothing;
     * Opus on is saved. The connected desk is told {@code webrtc.reoffer}, offers again by itself, and its next call is
     * Opus both ways. The page in Chinese; the supervisor (routing read, not write) sees it read-only.
     */
    @Test
    void theBrowserMediaPageSwitchesOpusOnAndTheConnectedDeskOffersAgainSoItsNextCallIsOpus() throws Exception {
        Map<String, String> en = I18nBundlesTest.load("en");
        Map<String, String> zh = I18nBundlesTest.load("zh");
        assertThat(admin.put("/api/v1/settings/webrtc", Map.of("opus", false)).status()).isEqualTo(200);
        try {
            agent1.signIn();
            agent1.checkInWebRtc();
            agent1.ready();
            JsonNode g711 = talkAndHangUp(agent1);
            assertThat(g711.get("inboundCodec").asText()).as("codec with Opus off " + g711).isIn("audio/PCMU", "audio/PCMA");
            int offers = agent1.state().path("webrtc").path("offers").asInt();

            try (Desk console = new Desk(server.baseUrl(), "admin")) {
                console.signInToConsole("admin", "/index.html#/webrtc-settings");
                console.waitFor(d -> en.get("webrtcSettings.title").equals(console.text("page-title")));
                console.waitFor(d -> console.el("webrtc-opus-off").isSelected());
                assertThat(console.el("webrtc-opus-on").isSelected()).isFalse();
                assertThat(console.text("webrtc-reoffer-note")).isEqualTo(en.get("webrtcSettings.inForce"));
                console.screenshot("webrtc-settings-en");

                // A refusal: the server's 400 is shown on the field it names; nothing changes.
                console.click("webrtc-opus-on");
                console.js().executeScript("const orig = window.fetch; window.fetch = (u, o) => {"
                        + " if (String(u).includes('/settings/webrtc') && o && o.method === 'PUT') { window.fetch = orig; o = Object.assign({}, o, {body: '{\"opus\":null}'}); }"
                        + " return orig(u, o); };");
                console.click("webrtc-settings-save");
                console.waitFor(d -> !console.text("webrtc-opus-error").isEmpty());
                assertThat(console.driver().findElement(By.cssSelector("fieldset.invalid [data-testid='webrtc-opus-on']"))).isNotNull();
                assertThat(admin.get("/api/v1/settings/webrtc").json().get("opus").asBoolean()).isFalse();
                console.screenshot("webrtc-settings-error-en");
                assertThat(agent1.state().path("webrtc").path("offers").asInt()).as("no re-offer for a refused change").isEqualTo(offers);

                // Opus on, saved: the desk connected with G.711 offers again by itself.
                console.click("webrtc-settings-save");
                console.waitFor(d -> console.driver().findElements(Desk.tid("webrtc-opus-error")).isEmpty());
                await("opus saved").atMost(DEADLINE).until(() -> admin.get("/api/v1/settings/webrtc").json().get("opus").asBoolean());
                agent1.waitFor(d -> agent1.state().path("webrtc").path("offers").asInt() > offers);
                agent1.waitFor(d -> {
                    WebElement st = agent1.el("desk-webrtc-state");
                    return "connected".equals(st.getAttribute("data-connection")) && "true".equals(st.getAttribute("data-server"));
                });

                console.click("lang-zh");
                console.waitFor(d -> zh.get("webrtcSettings.title").equals(console.text("page-title")));
                assertThat(console.text("webrtc-reoffer-note")).isEqualTo(zh.get("webrtcSettings.inForce"));
                assertThat(console.el("webrtc-opus-on").isSelected()).isTrue();
                console.screenshot("webrtc-settings-zh");
                console.click("lang-en");
                assertThat(console.chrome.scriptErrors()).as("errors in the console's browser").isEmpty();
            }

            // The next call is Opus both ways.
            JsonNode opus = talkAndHangUp(agent1);
            assertThat(opus.get("inboundCodec").asText()).as("codec after the re-offer " + opus).isEqualTo("audio/opus");
            assertThat(opus.get("outboundCodec").asText()).isEqualTo("audio/opus");

            // Read-only for the supervisor (routing read, no write).
            try (Desk lead = new Desk(server.baseUrl(), "lead")) {
                lead.signInToConsole("lead", "/index.html#/webrtc-settings");
                lead.waitFor(d -> en.get("webrtcSettings.title").equals(lead.text("page-title")));
                lead.waitFor(d -> lead.el("webrtc-opus-on").isSelected());
                assertThat(lead.el("webrtc-opus-on").isEnabled()).isFalse();
                assertThat(lead.el("webrtc-opus-off").isEnabled()).isFalse();
                assertThat(lead.text("webrtc-read-only")).isEqualTo(en.get("webrtcSettings.readOnly"));
                assertThat(lead.driver().findElements(Desk.tid("webrtc-settings-save"))).isEmpty();
                lead.screenshot("webrtc-settings-read-only-en");
                assertThat(lead.chrome.scriptErrors()).as("errors in the supervisor's browser").isEmpty();
            }
        } finally {
            admin.put("/api/v1/settings/webrtc", Map.of("opus", true));
        }
    }

    /** A queue call answered on {@code desk}'s browser phone, audio flowing, hung up; returns the stats during the call. */
    JsonNode talkAndHangUp(Desk desk) throws Exception {
        String caller = nextCaller();
        Sipp.Run customer = call(caller);
        desk.waitFor(d -> caller.equals(desk.text("desk-incoming-number")));
        desk.click("desk-banner-answer");
        desk.waitFor(d -> "talking".equals(desk.el("desk-call-state").getAttribute("data-state")));
        desk.awaitInboundAudioRising();
        JsonNode stats = desk.stats();
        desk.click("desk-btn-hangup");
        desk.el("desk-no-call");
        SipPeers.ok(customer);
        return stats;
    }

    /**
     * Issue 14 item 3, measured with the demo's own queue settings (agent announcement "工号 8001 为您服务" on, recording
     * on): from the agent's Answer click to the first audio the browser receives (the announcement, heard by the agent
     * too) and to the caller being bridged (the desk turns "talking"; the server's queue_connect). Prints one JSON line
     * ({@code "test":"desk.answerToAudio.demoSettings"}) with the figures quoted in docs/features.md.
     */
    @Test
    void withTheDemosQueueSettingsTheAgentHearsAudioAtOnceAndTheCallerIsBridgedAfterTheAnnouncement() throws Exception {
        assertThat(demoSales.get("settings").get("agentAnnounce").asBoolean()).as("the demo queue announces the job number").isTrue();
        var demo = admin.raw("PUT", "/api/v1/queues/" + salesId, JSON.writeValueAsString(Map.of("name", "sales",
                "strategy", demoSales.get("strategy").asText(), "settings", demoSales.get("settings"))), "application/json");
        assertThat(demo.status()).as(demo.toString()).isEqualTo(200);
        server.hotline().acd().settle();
        try {
            agent1.signIn();
            agent1.checkInWebRtc();
            agent1.ready();
            String caller = nextCaller();
            Sipp.Run customer = call(caller);
            agent1.waitFor(d -> caller.equals(agent1.text("desk-incoming-number")));
            String callId = agent1.state().get("calls").get(0).get("callId").asText();
            agent1.el("desk-banner-answer");
            // Click, then poll every 10 ms: inbound audio bytes rising (the first audio) and the desk's call state talking (bridged).
            Object r = agent1.js().executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "hotlineDesk.lastStats().then(s0 => {"
                    + "  const t0 = performance.now(); const at = Date.now(); let audio = -1, talking = -1;"
                    // Looked up at the click: the banner may have been rendered anew meanwhile (a detached button answers nothing).
                    + "  document.querySelector(\"[data-testid='desk-banner-answer']\").click();"
                    + "  const poll = () => hotlineDesk.lastStats().then(s => {"
                    + "    const now = Math.round(performance.now() - t0);"
                    + "    if (audio < 0 && s.inboundBytes > s0.inboundBytes + 320) audio = now;"
                    + "    const st = document.querySelector(\"[data-testid='desk-call-state']\");"
                    + "    if (talking < 0 && st && st.getAttribute('data-state') === 'talking') talking = now;"
                    + "    if ((audio >= 0 && talking >= 0) || now > 15000) done([audio, talking, at]); else setTimeout(poll, 10);"
                    + "  });"
                    + "  poll();"
                    + "});");
            List<?> v = (List<?>) r;
            long audioMs = ((Number) v.get(0)).longValue();
            long talkingMs = ((Number) v.get(1)).longValue();
            long clickAt = ((Number) v.get(2)).longValue();
            // The page's view and the call's events so far: what a failure needs (a run once saw the call end before the bridge).
            System.out.println("answer timing " + v + " desk " + agent1.stateOrNull() + " events " + admin.get("/api/v1/calls/" + callId + "/events").body());
            assertThat(audioMs).as("answer to the first audio the agent hears (the announcement)").isBetween(0L, 2000L);
            assertThat(talkingMs).as("answer to the caller bridged, after the announcement").isBetween(audioMs, 10000L);
            agent1.awaitInboundAudioRising();
            agent1.click("desk-btn-hangup");
            agent1.el("desk-no-call");
            SipPeers.ok(customer);
            long connectMs = Instant.parse(firstEvent(callId, "queue_connect").get("at").asText()).toEpochMilli() - clickAt;
            System.out.println(JSON.writeValueAsString(Map.of("test", "desk.answerToAudio.demoSettings", "answerClickToFirstInboundAudioMs", audioMs,
                    "answerClickToDeskTalkingMs", talkingMs, "answerClickToQueueConnectMs", connectMs)));
        } finally {
            admin.put("/api/v1/queues/" + salesId, Map.of("name", "sales", "strategy", "linear", "settings", Map.of("ringTimeoutSeconds", 30)));
            server.hotline().acd().settle();
        }
    }

    /**
     * The same desk with the agent's SIP phone (a SIPp phone registered as extension 1001 that answers
     * at once and echoes): the queue call shows on the desk with its caller and queue, and the desk
     * controls it over CTI — hold, resume, mute, DTMF, notes, hang up.
     */
    @Test
    void aQueueCallOnTheAgentsSipPhoneShowsOnTheDeskAndIsControlledFromIt() throws Exception {
        int port = Ports.free();
        var vars = SipPeers.vars("x");
        vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
        Sipp.Run phone = Sipp.start(sippDir, "uas_answer", vars, null, port,
                List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)), "-m", "1000", "-timeout", "300"));
        callers.add(phone);
        Sipp.awaitUdpBound(port);
        peers().register("1001", PW, port, "200");
        // MSG-3: a template for the desk's SMS panel (made before the desk loads its templates).
        var template = admin.post("/api/v1/sms/templates", Map.of("name", "desk-thanks", "body", "Thank you for calling, this is {agent}."));
        assertThat(template.status()).as(template.toString()).isEqualTo(201);
        // ... and the after-call SMS of sales turned on with it: the caller gets it when the answered call ends.
        assertThat(admin.put("/api/v1/sms/after-call/" + salesId, Map.of("templateId", template.json().get("id").asLong())).status()).isEqualTo(200);

        agent1.signIn();
        new Select(agent1.el("agent-device-kind")).selectByValue("sip");
        agent1.click("agent-btn-checkIn");
        agent1.waitFor(d -> agent1.agentState().equals("not_ready"));
        agent1.ready();

        String caller = nextCaller();
        Sipp.Run customer = call(caller);
        agent1.waitFor(d -> "talking".equals(agent1.el("desk-call-state").getAttribute("data-state")));
        JsonNode talking = agent1.state();
        JsonNode c = talking.get("calls").get(0);
        String callId = c.get("callId").asText();
        long ringAtMs = talking.get("offeredAt").get(c.get("legId").asText()).asLong();
        assertThat(c.get("caller").asText()).isEqualTo(caller);
        agent1.waitFor(d -> caller.equals(agent1.text("desk-caller-number")));
        assertThat(agent1.text("desk-call-queue")).isEqualTo("sales");
        assertThat(agent1.el("desk-customer-known").getAttribute("data-known")).isEqualTo("false");

        agent1.click("desk-btn-hold");
        agent1.waitFor(d -> "held".equals(agent1.el("desk-call-state").getAttribute("data-state")));
        agent1.screenshot("desk-sip-held-en");
        agent1.click("desk-btn-resume");
        agent1.waitFor(d -> "talking".equals(agent1.el("desk-call-state").getAttribute("data-state")));
        agent1.click("desk-btn-mute");
        agent1.el("desk-muted");
        agent1.click("desk-btn-mute");
        agent1.waitFor(d -> d.findElements(Desk.tid("desk-muted")).isEmpty());
        agent1.click("desk-key-1");
        agent1.waitFor(d -> agent1.text("desk-dtmf-sent").endsWith("1"));
        agent1.type("desk-notes", "called about an invoice");
        agent1.click("desk-notes-save");
        agent1.waitFor(d -> agent1.el("desk-notes-save").getAttribute("disabled") != null);
        assertThat(agent1.state().get("calls").get(0).get("notes").asText()).isEqualTo("called about an invoice");
        assertThat(agent1.driver().findElements(Desk.tid("desk-error"))).as("no refused command").isEmpty();

        // MSG-3: an SMS to the caller from the desk, with the template picked; queued with the call's id (no gateway here).
        agent1.waitFor(d -> caller.equals(agent1.el("desk-sms-to").getAttribute("value")));
        new Select(agent1.el("desk-sms-template")).selectByVisibleText("desk-thanks");
        assertThat(agent1.el("desk-sms-text").getAttribute("value")).isEqualTo("Thank you for calling, this is {agent}.");
        agent1.click("desk-sms-send");
        agent1.waitFor(d -> agent1.text("desk-sms-sent").contains(caller));
        JsonNode sms = admin.get("/api/v1/sms/messages?number=" + caller).json();
        assertThat(sms).hasSize(1);
        String agentName = admin.get("/api/v1/users?q=agent1").json().get(0).get("displayName").asText();
        assertThat(sms.get(0).get("text").asText()).isEqualTo("Thank you for calling, this is " + agentName + ".");
        assertThat(sms.get(0).get("callId").asText()).isEqualTo(callId);
        assertThat(sms.get(0).get("kind").asText()).isEqualTo("desk");
        assertThat(sms.get(0).get("templateId").asLong()).isEqualTo(template.json().get("id").asLong());
        assertThat(agent1.text("desk-sms-sent")).contains("Thank you for calling");

        // REC-1 on demand from the desk: record (unless the queue records already), pause, resume, stop.
        agent1.el("desk-recording");
        if (!agent1.driver().findElements(Desk.tid("desk-btn-rec-start")).isEmpty()) agent1.click("desk-btn-rec-start");
        agent1.click("desk-btn-rec-pause");
        agent1.waitFor(d -> agent1.text("desk-recording-state").equals("Recording paused"));
        agent1.click("desk-btn-rec-resume");
        agent1.el("desk-btn-rec-pause");
        agent1.click("desk-btn-rec-stop");
        agent1.el("desk-btn-rec-start");
        String recEvents = admin.get("/api/v1/calls/" + callId + "/events").body();
        assertThat(recEvents).contains("action=pause").contains("action=resume").contains("action=stop");

        agent1.click("desk-btn-hangup");
        agent1.el("desk-no-call");
        SipPeers.ok(customer);
        agent1.waitFor(d -> agent1.text("agent-recent-calls").contains(caller));
        // MSG-3 after a call: the event log queued the after-call SMS to the caller, with the call's id and the agent's job number.
        await().atMost(DEADLINE).until(() -> admin.get("/api/v1/sms/messages?kind=after_call&number=" + caller).json().size() == 1);
        JsonNode after = admin.get("/api/v1/sms/messages?kind=after_call&number=" + caller).json().get(0);
        assertThat(after.get("callId").asText()).isEqualTo(callId);
        assertThat(after.get("text").asText()).isEqualTo("Thank you for calling, this is "
                + admin.get("/api/v1/users?q=agent1").json().get(0).get("jobNumber").asText() + ".");
        admin.put("/api/v1/sms/after-call/" + salesId, new HashMap<>());

        // The desk's hold is checked on the desk above; the browser-phone test also wants it in the call's event log.
        List<String> types = eventTypes(callId, List.of("queue_offer", "queue_connect", "(?i).*hangup.*"));
        long offerToDeskMs = ringAtMs - Instant.parse(firstEvent(callId, "queue_offer").get("at").asText()).toEpochMilli();
        System.out.println(JSON.writeValueAsString(Map.of("test", "desk.sipPhone", "offerToDeskCallOfferedMs", offerToDeskMs, "events", types)));
    }

    /**
     * Issue 14, the desk's device: the browser phone by default, device names in words (never "Browser phone agent-4"),
     * the last device used remembered per user; in English and Chinese.
     */
    @Test
    void theDeskDefaultsToTheBrowserPhoneAndNamesDevicesInWords() throws Exception {
        Map<String, String> en = I18nBundlesTest.load("en");
        Map<String, String> zh = I18nBundlesTest.load("zh");
        agent1.signIn();
        Select kind = new Select(agent1.el("agent-device-kind"));
        assertThat(kind.getFirstSelectedOption().getAttribute("value")).as("default device").isEqualTo("webrtc");
        assertThat(agent1.driver().findElement(By.cssSelector("[data-testid='agent-device-kind'] option[value='sip']")).getText())
                .isEqualTo(en.get("device.sipNumber").replace("{number}", "1001"));
        agent1.checkInWebRtc();
        assertThat(agent1.text("agent-device")).isEqualTo(en.get("device.webrtc"));
        agent1.screenshot("desk-device-webrtc-en");
        agent1.checkOut();

        // A mobile: named with its number; the next visit starts with it (remembered for this user).
        new Select(agent1.el("agent-device-kind")).selectByValue("external");
        agent1.type("agent-device-number", "13800138000");
        agent1.click("agent-btn-checkIn");
        agent1.waitFor(d -> agent1.agentState().equals("not_ready"));
        agent1.waitFor(d -> agent1.text("agent-device").equals(en.get("device.externalNumber").replace("{number}", "13800138000")));
        agent1.checkOut();
        agent1.driver().navigate().refresh();
        agent1.waitFor(d -> "external".equals(new Select(agent1.el("agent-device-kind")).getFirstSelectedOption().getAttribute("value")));

        // Chinese.
        agent1.click("lang-zh");
        agent1.waitFor(d -> agent1.driver().findElement(By.cssSelector("[data-testid='agent-device-kind'] option[value='webrtc']")).getText()
                .equals(zh.get("device.webrtc")));
        assertThat(agent1.driver().findElement(By.cssSelector("[data-testid='agent-device-kind'] option[value='sip']")).getText())
                .isEqualTo(zh.get("device.sipNumber").replace("{number}", "1001"));
        agent1.type("agent-device-number", "13800138000");
        agent1.click("agent-btn-checkIn");
        agent1.waitFor(d -> agent1.agentState().equals("not_ready"));
        agent1.waitFor(d -> agent1.text("agent-device").equals(zh.get("device.externalNumber").replace("{number}", "13800138000")));
        agent1.screenshot("desk-device-mobile-zh");
        agent1.checkOut();
        agent1.click("lang-en");
    }

    /**
     * Issue 14: the desk opened over plain HTTP at a LAN name (an insecure origin, where the browser
     * gives no microphone) says the browser phone needs HTTPS and links to the server's HTTPS address; a SIP phone
     * that is not registered is said so, check-in and Ready stay off, and the browser phone is offered. The
     * supervisor (who may read registrations) with an extension of their own; in English and Chinese.
     */
    @Test
    void onAnInsecureOriginTheDeskLinksToHttpsAndAnUnregisteredSipPhoneIsSaidSo() throws Exception {
        Map<String, String> en = I18nBundlesTest.load("en");
        Map<String, String> zh = I18nBundlesTest.load("zh");
        long leadId = admin.get("/api/v1/users?q=lead").json().get(0).get("id").asLong();
        var ext = admin.post("/api/v1/extensions", Map.of("number", "1009", "userId", leadId, "sipPassword", "lead-phone-pw-9", "enabled", true));
        assertThat(ext.status()).as(ext.toString()).isEqualTo(201);
        // A name the browser resolves to the loopback server, as a LAN address or host name would reach it from another PC.
        String ip = "hotline.lan.test";
        String base = "http://" + ip + ":" + server.hotline().httpPort();
        try (Desk lead = new Desk(base, "lead", Chromium.startWebRtcNaming(ip))) {
            lead.driver().get(base + "/login.html");
            lead.js().executeScript("localStorage.clear(); localStorage.setItem('hotline.lang', 'en')");
            lead.driver().get(base + "/login.html");
            lead.type("login-enterprise", "demo");
            lead.type("login-username", "lead");
            lead.type("login-password", PW);
            lead.click("login-submit");
            lead.waitFor(ExpectedConditions.urlContains("/supervisor.html"));
            lead.driver().get(base + "/agent.html");
            lead.waitFor(d -> "open".equals(lead.el("cti-status").getAttribute("data-status")));
            assertThat((Boolean) lead.js().executeScript("return window.isSecureContext")).as("secure context").isFalse();

            WebElement notice = lead.el("desk-insecure");
            assertThat(notice.getText()).contains(en.get("desk.insecureTitle"));
            String https = "https://" + ip + ":" + server.hotline().httpsPort() + "/agent.html";
            lead.waitFor(d -> https.equals(lead.el("desk-https-link").getAttribute("href")));
            assertThat(lead.el("agent-btn-checkIn").getAttribute("disabled")).as("no check-in with the browser phone here").isNotNull();

            new Select(lead.el("agent-device-kind")).selectByValue("sip");
            lead.waitFor(d -> lead.text("desk-sip-unregistered").contains(en.get("desk.sipUnregistered").replace("{extension}", "1009")));
            assertThat(lead.el("agent-btn-checkIn").getAttribute("disabled")).as("no check-in on an unregistered phone").isNotNull();
            lead.screenshot("desk-insecure-sip-en");

            lead.click("lang-zh");
            lead.waitFor(d -> lead.text("desk-insecure").contains(zh.get("desk.insecureTitle")));
            assertThat(lead.text("desk-sip-unregistered")).contains(zh.get("desk.sipUnregistered").replace("{extension}", "1009"));
            assertThat(lead.text("desk-use-browser-phone")).isEqualTo(zh.get("desk.useBrowserPhone"));
            assertThat(lead.text("desk-https-link")).isEqualTo(zh.get("desk.openHttps").replace("{url}", https));
            lead.screenshot("desk-insecure-sip-zh");
            lead.click("desk-use-browser-phone");
            lead.waitFor(d -> "webrtc".equals(new Select(lead.el("agent-device-kind")).getFirstSelectedOption().getAttribute("value")));
            assertThat(lead.driver().findElements(Desk.tid("desk-sip-unregistered"))).isEmpty();
            lead.click("lang-en");
            assertThat(lead.chrome.scriptErrors()).as("errors in the browser console").isEmpty();
        }
    }

    /** The engine's channel of the browser's leg: the call's agent leg, else the busiest channel that is not the caller's. */
    Channel browserLeg(String legId, String caller) {
        List<Channel> all = new ArrayList<>(server.hotline().engine().channels());
        Optional<Channel> byId = all.stream().filter(ch -> ch.id().equals(legId)).findFirst();
        if (byId.isPresent()) return byId.get();
        return all.stream().filter(ch -> ch.caller() == null || !caller.equals(ch.caller().user()))
                .max((a, b) -> Long.compare(a.counters().packetsIn(), b.counters().packetsIn()))
                .orElseThrow(() -> new AssertionError("no channel for the browser among " + all.stream().map(Channel::id).toList()));
    }

    List<JsonNode> events(String callId) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : admin.get("/api/v1/calls/" + callId + "/events").json()) out.add(e);
        return out;
    }

    /** The event types of the call once one matches each pattern (the log is written asynchronously). */
    List<String> eventTypes(String callId, List<String> patterns) {
        List<String> seen = new ArrayList<>();
        try {
            org.awaitility.Awaitility.await("events of " + callId).atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> {
                seen.clear();
                for (JsonNode e : events(callId)) seen.add(e.get("type").asText());
                return patterns.stream().allMatch(p -> seen.stream().anyMatch(t -> t.matches(p)));
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            Map<String, Boolean> found = new LinkedHashMap<>();
            for (String p : patterns) found.put(p, seen.stream().anyMatch(t -> t.matches(p)));
            throw new AssertionError("call " + callId + " events " + seen + ": found " + found, e);
        }
        return List.copyOf(seen);
    }

    JsonNode firstEvent(String callId, String type) {
        return events(callId).stream().filter(e -> e.get("type").asText().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in the events of " + callId));
    }

    /** Answer click to the first rise of inbound audio bytes; the bytes that came in the 200 ms before the click. */
    record AnswerTiming(long ms, long idleBytes) {}

    /** One agent's desk in its own Chromium (fake microphone, loopback candidates). */
    static final class Desk implements AutoCloseable {
        final Chromium chrome;
        final String base;
        final String user;
        boolean closed;

        Desk(String base, String user) {
            this(base, user, Chromium.startWebRtc());
        }

        Desk(String base, String user, Chromium chrome) {
            this.chrome = chrome;
            this.base = base;
            this.user = user;
        }

        WebDriver driver() {
            return chrome.driver();
        }

        JavascriptExecutor js() {
            return chrome.driver();
        }

        <T> T waitFor(Function<? super WebDriver, T> condition) {
            WebDriverWait wait = chrome.waitAtMost(DEADLINE);
            wait.ignoring(StaleElementReferenceException.class);
            wait.ignoring(NoSuchElementException.class);
            try {
                return wait.until(d -> {
                    try {
                        return condition.apply(d);
                    } catch (org.openqa.selenium.WebDriverException e) {
                        if (String.valueOf(e.getMessage()).contains("aborted by navigation")) return null; // the page reloads
                        throw e;
                    }
                });
            } catch (TimeoutException e) {
                screenshot("desk-timeout-" + user);
                throw new AssertionError(user + ": timed out; desk state " + stateOrNull() + "; console " + chrome.consoleLog(), e);
            }
        }

        static By tid(String testId) {
            return By.cssSelector("[data-testid='" + testId + "']");
        }

        WebElement el(String testId) {
            return waitFor(ExpectedConditions.visibilityOfElementLocated(tid(testId)));
        }

        String text(String testId) {
            return driver().findElement(tid(testId)).getText().strip();
        }

        void click(String testId) {
            WebElement e = waitFor(ExpectedConditions.elementToBeClickable(tid(testId)));
            js().executeScript("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});", e);
            e.click();
        }

        void type(String testId, String value) {
            WebElement e = el(testId);
            e.clear();
            e.sendKeys(value);
        }

        void screenshot(String name) {
            chrome.screenshot(name);
        }

        /** Signs in as the demo user and lands on the desk, in English. */
        void signIn() {
            driver().get(base + "/login.html");
            js().executeScript("localStorage.clear(); localStorage.setItem('hotline.lang', 'en')");
            driver().manage().deleteAllCookies();
            driver().get(base + "/login.html");
            type("login-enterprise", "demo");
            type("login-username", user);
            type("login-password", PW);
            click("login-submit");
            waitFor(ExpectedConditions.urlContains("/agent.html"));
            waitFor(d -> "open".equals(el("cti-status").getAttribute("data-status")));
        }

        /** Signs in as the demo user {@code username} and opens {@code path} of the console, in English. */
        void signInToConsole(String username, String path) {
            driver().get(base + "/login.html");
            js().executeScript("localStorage.clear(); localStorage.setItem('hotline.lang', 'en')");
            driver().manage().deleteAllCookies();
            driver().get(base + "/login.html");
            type("login-enterprise", "demo");
            type("login-username", username);
            type("login-password", PW);
            click("login-submit");
            waitFor(d -> !d.getCurrentUrl().contains("/login.html"));
            driver().get(base + path);
        }

        String agentState() {
            JsonNode s = state();
            return s.path("agent").path("state").asText("");
        }

        /** Checks in with the browser phone and waits for its media connection (browser and server both up). */
        void checkInWebRtc() {
            new Select(el("agent-device-kind")).selectByValue("webrtc");
            click("agent-btn-checkIn");
            waitFor(d -> agentState().equals("not_ready"));
            waitFor(d -> {
                WebElement s = el("desk-webrtc-state");
                return "connected".equals(s.getAttribute("data-connection")) && "true".equals(s.getAttribute("data-server"));
            });
        }

        void ready() {
            click("agent-btn-ready");
            waitFor(d -> agentState().equals("ready"));
        }

        void checkOut() {
            try {
                if (!driver().findElements(tid("agent-btn-checkOut")).isEmpty()) {
                    click("agent-btn-checkOut");
                    waitFor(d -> agentState().equals("logged_out"));
                }
            } catch (RuntimeException | AssertionError e) {
                // the next test signs in afresh
            }
        }

        JsonNode state() {
            try {
                return JSON.readTree((String) js().executeScript("return JSON.stringify(window.hotlineDesk ? hotlineDesk.state() : {})"));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        String stateOrNull() {
            try {
                return state().toString();
            } catch (RuntimeException e) {
                return "(unavailable: " + e.getMessage() + ")";
            }
        }

        JsonNode stats() {
            Object r = js().executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "hotlineDesk.lastStats().then(s => done(JSON.stringify(s)), e => done(JSON.stringify({error: String(e)})));");
            try {
                return JSON.readTree((String) r);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The browser phone's inbound audio energy (WebRTC stats totalAudioEnergy: decoded sound, not just packets) rises. */
        void awaitInboundAudioEnergyRising() {
            double before = stats().get("audioEnergy").asDouble();
            waitFor(d -> stats().get("audioEnergy").asDouble() - before > 0.01);
        }

        /** Inbound audio bytes of the browser phone rise by a second's worth of G.711 within the deadline. */
        void awaitInboundAudioRising() {
            long before = stats().get("inboundBytes").asLong();
            waitFor(d -> stats().get("inboundBytes").asLong() - before >= 4000);
        }

        /**
         * Clicks the answer button from inside the page and polls getStats every 10 ms until the inbound
         * audio bytes rise above what they were at the click. The 200 ms before the click tell whether
         * anything came in before (the connection is persistent).
         */
        AnswerTiming answerAndTimeAudio(String testId) {
            el(testId);
            Object r = js().executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "const id = arguments[0];"
                    + "hotlineDesk.lastStats().then(async pre => {"
                    + "  await new Promise(r => setTimeout(r, 200));"
                    + "  const s0 = await hotlineDesk.lastStats();"
                    + "  const t0 = performance.now();"
                    + "  document.querySelector(\"[data-testid='\" + id + \"']\").click();" // looked up now: the banner may be new
                    + "  const poll = () => hotlineDesk.lastStats().then(s => {"
                    + "    if (s.inboundBytes > s0.inboundBytes + 320) done([Math.round(performance.now() - t0), s0.inboundBytes - pre.inboundBytes]);"
                    + "    else if (performance.now() - t0 > 10000) done([-1, s0.inboundBytes - pre.inboundBytes]); else setTimeout(poll, 10);"
                    + "  });"
                    + "  poll();"
                    + "});", testId);
            List<?> v = (List<?>) r;
            AnswerTiming t = new AnswerTiming(((Number) v.get(0)).longValue(), ((Number) v.get(1)).longValue());
            // Nothing came in on the (persistent) connection in the 200 ms before the click, so the rise measured is the
            // answer's audio, not whatever was flowing already.
            assertThat(t.idleBytes()).as(user + ": inbound audio in the 200 ms before answering").isZero();
            // Between the click and the first audible packet there are one CTI round trip on loopback, the engine's answer
            // and bridge, one 20 ms packet and Chrome's jitter buffer (≤ 200 ms): about 100 ms here. 2 s leaves a loaded
            // 2-core machine room and still fails on what users suffer: audio that waits for an announcement played to the
            // caller only (the 3.4 s silence of issue 14), a re-INVITE or a new ICE/DTLS handshake per call. -1: none in 10 s.
            assertThat(t.ms()).as(user + ": ms from answer to inbound audio").isBetween(0L, 2000L);
            return t;
        }

        /** Quits the browser (idempotent): the page goes away without a word to the server, as when the window is closed. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                chrome.close();
            }
        }
    }
}
