package dev.hotline.webcallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OUT-4 end to end: the settings (validated, a public key made), the public challenge and request (no login) with its
 * answer (position, expected wait), the prefix allow-list, the challenge refused when unsolved, reused or forged, the
 * limits per address and per number (429); a request placed customer-first through the trunk (a SIPp carrier that
 * answers) and queued to the callback queue, where agent1's SIPp phone answers; a request scheduled ahead, the server
 * restarted before its time, and the callback still placed after the restart.
 */
class WebCallbackTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static final String CALLER_ID = "02166665555";

    record Site(ApiClient admin, String key, long trunk) {}

    static Site configure(TestServer server, int carrier, Map<String, Object> extra) {
        ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        long trunk = -1;
        for (JsonNode t : admin.get("/api/v1/trunks").json()) if (t.get("name").asText().equals("carrier")) trunk = t.get("id").asLong();
        if (trunk < 0) {
            var t = admin.post("/api/v1/trunks", Map.of("name", "carrier", "host", "127.0.0.1", "port", carrier, "allowedIps", List.of()));
            assertThat(t.status()).as(t.toString()).isEqualTo(201);
            trunk = t.json().get("id").asLong();
        }
        long queue = 0;
        for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("support")) queue = q.get("id").asLong();
        Map<String, Object> s = new HashMap<>(Map.of("enabled", true, "mode", "customer_first", "queueId", queue, "trunkId", trunk,
                "callerId", CALLER_ID, "allowedPrefixes", List.of("135", "136"), "retryMinutes", 1, "maxAttempts", 2));
        s.putAll(extra);
        var r = admin.put("/api/v1/webcallback/settings", s);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return new Site(admin, r.json().get("publicKey").asText(), trunk);
    }

    /** A visitor: asks for a challenge, solves it, sends the request. */
    static ApiClient.Response request(TestServer server, String key, String number, String at) {
        ApiClient visitor = new ApiClient(server.baseUrl());
        JsonNode c = visitor.get("/api/v1/public/callback/" + key + "/challenge").json();
        String token = c.get("token").asText();
        assertThat(c.get("difficultyBits").asInt()).isEqualTo(Challenge.DIFFICULTY_BITS);
        Map<String, Object> body = new HashMap<>(Map.of("number", number, "name", "访客", "token", token, "nonce", solve(token)));
        if (at != null) body.put("at", at);
        return visitor.post("/api/v1/public/callback/" + key, body);
    }

    static String solve(String token) {
        for (int n = 0; ; n++) if (Challenge.solves(token, Integer.toString(n))) return Integer.toString(n);
    }

    /** Business hours that are closed now (the two hours starting two hours from now, UTC). */
    static List<Map<String, String>> closedNow() {
        int from = (LocalTime.now(ZoneOffset.UTC).getHour() + 2) % 24;
        if (from >= 22) from = 1;
        return List.of(Map.of("from", String.format("%02d:00", from), "to", String.format("%02d:00", from + 2)));
    }

    static List<String> steps(ApiClient admin, long id) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : admin.get("/api/v1/webcallback/requests/" + id + "/events").json()) out.add(e.get("data").asText());
        return out;
    }

    @Test
    void aRequestMovesOnlyAlongItsStatesAndTheWaitFollowsTheAcdEstimate() {
        assertThatThrownBy(() -> WebCallbackStore.Move.of(RequestState.DONE, RequestState.PENDING)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> WebCallbackStore.Move.of(RequestState.PLACING, RequestState.CANCELLED)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> WebCallbackStore.Move.of(RequestState.CANCELLED, RequestState.QUEUED)).isInstanceOf(IllegalStateException.class);
        assertThat(RequestState.QUEUED.cancellable()).isTrue();
        assertThat(RequestState.PLACING.cancellable()).isFalse();
        assertThat(WebCallbacks.queueWait(3, 100, 2, 0)).isEqualTo(150);
        assertThat(WebCallbacks.queueWait(2, 100, 3, 2)).isZero();
        assertThat(WebCallbacks.queueWait(1, 100, 0, 0)).isEqualTo(100);
    }

    @Test
    void settingsTheChallengeTheAllowListAndTheLimitsThenACallbackPlacedCustomerFirstAndAnsweredByAnAgent() throws Exception {
        Path dir = Files.createTempDirectory("webcallback");
        int carrier = Ports.free();
        try (TestServer server = TestServer.start(TestDatabases.Kind.H2, Map.of("sip.default.enterprise", "demo"))) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            // Settings: refused with the field named; agents cannot change them.
            var bad = admin.put("/api/v1/webcallback/settings", Map.of("enabled", true, "mode", "sideways", "allowedPrefixes", List.of("13x")));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("mode").contains("allowedPrefixes").contains("queueId").contains("callerId");
            assertThat(ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW).get("/api/v1/webcallback/settings").status()).isEqualTo(403);

            Site site = configure(server, carrier, Map.of("windows", closedNow(), "perNumberPerDay", 2, "perAddressPerHour", 4));
            ApiClient visitor = new ApiClient(server.baseUrl());
            assertThat(visitor.get("/api/v1/public/callback/nosuchkey/challenge").status()).isEqualTo(404);
            var form = visitor.get("/api/v1/public/callback/" + site.key() + "/form");
            assertThat(form.status()).isEqualTo(200);
            assertThat(form.body()).contains("<form id=\"callback\"").contains("/challenge");

            // The challenge: missing, unsolved, forged or reused is refused (403); nothing is stored.
            String token = visitor.get("/api/v1/public/callback/" + site.key() + "/challenge").json().get("token").asText();
            assertThat(visitor.post("/api/v1/public/callback/" + site.key(), Map.of("number", "13500000001")).status()).isEqualTo(403);
            String wrong = "0";
            while (Challenge.solves(token, wrong)) wrong = wrong + "0";
            var unsolved = visitor.post("/api/v1/public/callback/" + site.key(), Map.of("number", "13500000001", "token", token, "nonce", wrong));
            assertThat(unsolved.status()).isEqualTo(403);
            assertThat(unsolved.body()).contains("does not solve");
            String forged = token.substring(0, token.length() - 1) + (token.endsWith("0") ? "1" : "0");
            assertThat(visitor.post("/api/v1/public/callback/" + site.key(), Map.of("number", "13500000001", "token", forged,
                    "nonce", solve(forged))).status()).isEqualTo(403);
            String nonce = solve(token);
            var first = visitor.post("/api/v1/public/callback/" + site.key(), Map.of("number", "135-0000-0001", "token", token, "nonce", nonce));
            assertThat(first.status()).as(first.toString()).isEqualTo(201);
            var reused = visitor.post("/api/v1/public/callback/" + site.key(), Map.of("number", "13500000002", "token", token, "nonce", nonce));
            assertThat(reused.status()).isEqualTo(403);
            assertThat(reused.body()).contains("used already");

            // The answer: position and expected wait (hours closed now: the wait runs at least to their opening).
            assertThat(first.json().get("position").asInt()).isEqualTo(1);
            Instant opens = Instant.parse(first.json().get("notBefore").asText());
            assertThat(opens).isAfter(Instant.now().plus(Duration.ofMinutes(50)));
            assertThat(first.json().get("expectedWaitSeconds").asLong()).isGreaterThan(50 * 60);
            long id = first.json().get("id").asLong();
            assertThat(admin.get("/api/v1/webcallback/requests/" + id).json().get("state").asText()).isEqualTo("pending");
            assertThat(admin.get("/api/v1/webcallback/requests/999999").status()).isEqualTo(404);

            // Placed customer-first: hours open, the carrier answers, the customer is queued and agent1's phone answers.
            ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
            long agent1 = agent.get("/api/v1/me").json().get("id").asLong();
            SipPeers peers = new SipPeers(dir, server.hotline().engine().sipPort());
            int phonePort = Ports.free();
            Sipp.Run phone = peers.phone(phonePort);
            // The callee talks 8 s unless the server hangs up: time for the agent's offer on a loaded machine.
            Map<String, String> vars = SipPeers.vars("x", "PAUSE", "0", "DTMFACTIONS", "", "AFTER", "8000", "FROMCHECK", "sip:" + CALLER_ID + "@");
            vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
            Sipp.Run far = Sipp.start(dir, "uas_answer_keys", vars, null, carrier, List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)),
                    "-m", "1", "-recv_timeout", "60000", "-timeout", "120"));
            Sipp.awaitUdpBound(carrier);
            try {
                peers.register("1001", PW, phonePort, "200");
                assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
                assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
                configure(server, carrier, Map.of("perNumberPerDay", 2, "perAddressPerHour", 4));
                JsonNode done = await("callback placed and connected").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                        .until(() -> admin.get("/api/v1/webcallback/requests/" + id).json(), r -> r.get("state").asText().equals("done"));
                assertThat(done.get("attempts").asInt()).isEqualTo(1);
                assertThat(done.get("lastResult").asText()).isEqualTo("connected");
                List<String> steps = steps(admin, id);
                assertThat(steps).anySatisfy(s -> assertThat(s).contains("step=requested"));
                assertThat(steps).anySatisfy(s -> assertThat(s).contains("step=attempt attempt=1 mode=customer_first"));
                assertThat(steps).anySatisfy(s -> assertThat(s).contains("step=answered queue=support queued=true"));
                assertThat(steps).anySatisfy(s -> assertThat(s).contains("step=connected"));
                JsonNode rec = await("the call record").atMost(Duration.ofSeconds(30)).until(() -> {
                    for (JsonNode r : admin.get("/api/v1/calls?limit=500").json().get("items")) {
                        if (r.get("callee").asText().equals("13500000001") && r.path("agentUserId").asLong() == agent1) return r;
                    }
                    return null;
                }, r -> r != null);
                assertThat(rec.get("direction").asText()).isEqualTo("outbound");
                assertThat(rec.get("queue").asText()).isEqualTo("support");
                SipPeers.ok(far);
            } finally {
                phone.kill();
                far.kill();
            }

            // Hours closed again: requests wait. The position counts the callbacks ahead; the wait grows with it.
            configure(server, carrier, Map.of("windows", closedNow(), "perNumberPerDay", 2, "perAddressPerHour", 4));
            var second = request(server, site.key(), "13500000001", null);
            assertThat(second.status()).as(second.toString()).isEqualTo(201);
            assertThat(second.json().get("position").asInt()).isEqualTo(1);
            var third = request(server, site.key(), "13500000003", null);
            assertThat(third.json().get("position").asInt()).isEqualTo(2);
            assertThat(third.json().get("expectedWaitSeconds").asLong()).isGreaterThan(second.json().get("expectedWaitSeconds").asLong());

            // Bad input names the field; a prefix not on the allow-list is refused (toll fraud).
            var badNumber = request(server, site.key(), "12", null);
            assertThat(badNumber.status()).isEqualTo(400);
            assertThat(badNumber.body()).contains("number");
            var premium = request(server, site.key(), "0090012345678", null);
            assertThat(premium.status()).isEqualTo(400);
            assertThat(premium.body()).contains("not a number we call back");
            assertThat(request(server, site.key(), "13500000009", "tomorrow").body()).contains("\"at\"");

            // Limits: a third request for one number in 24 h, a fifth from one address in an hour: 429.
            var thirdForNumber = request(server, site.key(), "13500000001", null);
            assertThat(thirdForNumber.status()).isEqualTo(429);
            assertThat(thirdForNumber.body()).contains("this number");
            var fourth = request(server, site.key(), "13500000004", null);
            assertThat(fourth.status()).isEqualTo(201);
            var fifthFromAddress = request(server, site.key(), "13500000005", null);
            assertThat(fifthFromAddress.status()).isEqualTo(429);
            assertThat(fifthFromAddress.body()).contains("your address");
            assertThat(admin.get("/api/v1/webcallback/requests").json()).hasSize(4);

            // Cancelling: the visitor with the token they were given (another token: 403), an agent over the API; a request
            // already done cannot be (409); the list filters by state.
            long secondId = second.json().get("id").asLong();
            String cancelPath = "/api/v1/public/callback/" + site.key() + "/requests/";
            assertThat(visitor.post(cancelPath + secondId + "/cancel", Map.of("token", third.json().get("cancelToken").asText())).status())
                    .isEqualTo(403);
            assertThat(visitor.post(cancelPath + secondId + "/cancel", Map.of()).body()).contains("token");
            var byVisitor = visitor.post(cancelPath + secondId + "/cancel", Map.of("token", second.json().get("cancelToken").asText()));
            assertThat(byVisitor.status()).as(byVisitor.toString()).isEqualTo(200);
            assertThat(byVisitor.json().get("state").asText()).isEqualTo("cancelled");
            for (var r : List.of(third, fourth)) {
                var c = agent.post("/api/v1/webcallback/requests/" + r.json().get("id").asLong() + "/cancel", Map.of());
                assertThat(c.status()).as(c.toString()).isEqualTo(200);
                assertThat(c.json().get("cancelledBy").asText()).isEqualTo("user:agent1");
            }
            var closed = agent.post("/api/v1/webcallback/requests/" + id + "/cancel", Map.of());
            assertThat(closed.status()).isEqualTo(409);
            assertThat(closed.body()).contains("done already");
            assertThat(steps(admin, secondId)).anySatisfy(s -> assertThat(s).contains("step=cancelled by=visitor was=pending"));
            assertThat(admin.get("/api/v1/webcallback/requests?state=cancelled").json()).hasSize(3);
            assertThat(admin.get("/api/v1/webcallback/requests?state=sideways").body()).contains("state");

            agentFirst(server, site, agent, agent1, dir, carrier);
        }
    }

    /**
     * Agent first: a request waits in the callback queue as an ACD call back; agent1's SIP phone answers its offer, and only
     * then is the customer dialled through the carrier (showing the enterprise's number); a busy customer is retried later
     * with the agent released; the expected wait rests on the queue's measured handle time; a request waiting in the queue is
     * cancelled by its visitor and leaves the queue.
     */
    private static void agentFirst(TestServer server, Site site, ApiClient agent, long agent1, Path dir, int carrier) throws Exception {
        ApiClient admin = site.admin();
        SipPeers peers = new SipPeers(dir, server.hotline().engine().sipPort());
        int phonePort = Ports.free();
        Sipp.Run phone = peers.phone(phonePort);
        Map<String, String> vars = SipPeers.vars("x", "PAUSE", "0", "DTMFACTIONS", "", "AFTER", "3000", "FROMCHECK", "sip:" + CALLER_ID + "@");
        vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
        Sipp.Run far = Sipp.start(dir, "uas_answer_keys", vars, null, carrier, List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)),
                "-m", "1", "-recv_timeout", "60000", "-timeout", "120"));
        Sipp.awaitUdpBound(carrier);
        Sipp.Run busy = null;
        try {
            peers.register("1001", PW, phonePort, "200");
            assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
            configure(server, carrier, Map.of("mode", "agent_first", "perNumberPerDay", 5, "perAddressPerHour", 100));
            var made = request(server, site.key(), "13600000007", null);
            assertThat(made.status()).as(made.toString()).isEqualTo(201);
            long id = made.json().get("id").asLong();
            JsonNode done = await("agent-first callback connected").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> admin.get("/api/v1/webcallback/requests/" + id).json(), r -> r.get("state").asText().equals("done"));
            assertThat(done.get("mode").asText()).isEqualTo("agent_first");
            assertThat(done.get("agentUserId").asLong()).isEqualTo(agent1);
            assertThat(done.get("attempts").asInt()).isEqualTo(1);
            List<String> steps = steps(admin, id);
            int queued = indexOf(steps, "step=queued mode=agent_first queue=support position=1");
            int answered = indexOf(steps, "step=agent_answered attempt=1 agent=");
            int dialled = indexOf(steps, "step=attempt attempt=1 mode=agent_first agent=");
            int connected = indexOf(steps, "step=connected attempt=1 agent=");
            assertThat(List.of(queued, answered, dialled, connected)).as(steps.toString()).doesNotContain(-1).isSorted();
            SipPeers.ok(far); // the carrier's callee: rung with the enterprise's number, answered, talked 3 s and hung up
            JsonNode rec = await("the agent-first call record").atMost(Duration.ofSeconds(30)).until(() -> {
                for (JsonNode r : admin.get("/api/v1/calls?limit=500").json().get("items")) {
                    if (r.get("callee").asText().equals("13600000007") && r.path("agentUserId").asLong() == agent1
                            && r.path("talkSeconds").asInt() > 0) return r;
                }
                return null;
            }, r -> r != null);
            assertThat(rec.get("queue").asText()).isEqualTo("support");

            // The customer is busy: the try is logged, the agent released (ready again), the request retried a minute later.
            Map<String, String> rej = SipPeers.vars("x", "CODE", "486");
            rej.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
            await("agent ready again").atMost(Duration.ofSeconds(20)).until(() -> agent.get("/api/v1/agent/state").json().get("state").asText(),
                    "ready"::equals);
            busy = Sipp.start(dir, "uas_reject", rej, null, carrier, List.of("-m", "1", "-timeout", "90"));
            Sipp.awaitUdpBound(carrier);
            var b = request(server, site.key(), "13600000008", null);
            long busyId = b.json().get("id").asLong();
            JsonNode tried = await("busy customer retried").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> admin.get("/api/v1/webcallback/requests/" + busyId).json(),
                            r -> r.get("attempts").asInt() == 1 && r.get("state").asText().equals("pending"));
            SipPeers.ok(busy);
            assertThat(tried.get("lastResult").asText()).isEqualTo("not_answered cause=USER_BUSY sip=486");
            assertThat(Instant.parse(tried.get("nextAt").asText())).isAfter(Instant.now().plus(Duration.ofSeconds(30)));
            assertThat(steps(admin, busyId)).anySatisfy(s -> assertThat(s).contains("step=retry attempt=1 reason=not_answered cause=USER_BUSY sip=486")
                    .contains("released next="));
            await("agent released").atMost(Duration.ofSeconds(20)).until(() -> agent.get("/api/v1/agent/state").json().get("state").asText(),
                    "ready"::equals);
            assertThat(admin.post("/api/v1/webcallback/requests/" + busyId + "/cancel", Map.of()).status()).isEqualTo(200);

            // The expected wait: position × the queue's measured handle time ÷ agents signed in (agent1, not ready now).
            assertThat(agent.put("/api/v1/agent/state", Map.of("state", "not_ready", "reason", "break")).status()).isEqualTo(200);
            List<Integer> talks = new ArrayList<>();
            for (JsonNode r : admin.get("/api/v1/calls?limit=500").json().get("items")) {
                if ("support".equals(r.path("queue").asText()) && !r.path("agentUserId").isNull() && r.path("agentUserId").asLong() > 0
                        && r.path("talkSeconds").asInt() > 0) talks.add(r.get("talkSeconds").asInt());
            }
            long aht = Math.round(talks.stream().mapToInt(Integer::intValue).average().orElseThrow());
            var w1 = request(server, site.key(), "13600000011", null);
            var w2 = request(server, site.key(), "13600000012", null);
            assertThat(w1.json().get("handleSeconds").asLong()).isEqualTo(aht).isLessThan(WebCallbacks.DEFAULT_HANDLE_SECONDS);
            assertThat(w1.json().get("handleBasis").asText()).startsWith("measured: " + talks.size() + " calls");
            assertThat(w1.json().get("agents").asInt()).isEqualTo(1);
            assertThat(w1.json().get("position").asInt()).isEqualTo(1);
            assertThat(w1.json().get("expectedWaitSeconds").asLong()).isEqualTo(aht);
            assertThat(w2.json().get("position").asInt()).isEqualTo(2);
            assertThat(w2.json().get("expectedWaitSeconds").asLong()).isEqualTo(2 * aht);
            long w1Id = w1.json().get("id").asLong();
            long w2Id = w2.json().get("id").asLong();
            await("both wait in the queue as call backs").atMost(Duration.ofSeconds(20)).until(() -> {
                List<String> ids = new ArrayList<>();
                for (JsonNode x : admin.get("/api/v1/queues/waiting").json()) if (x.get("callback").asBoolean()) ids.add(x.get("callId").asText());
                return ids;
            }, ids -> ids.equals(List.of("webcallback-" + w1Id, "webcallback-" + w2Id)));
            assertThat(admin.get("/api/v1/webcallback/requests/" + w1Id).json().get("state").asText()).isEqualTo("queued");

            // The visitor cancels the first: it leaves the queue, the second moves up.
            var gone = new ApiClient(server.baseUrl()).post("/api/v1/public/callback/" + site.key() + "/requests/" + w1Id + "/cancel",
                    Map.of("token", w1.json().get("cancelToken").asText()));
            assertThat(gone.status()).as(gone.toString()).isEqualTo(200);
            List<String> left = new ArrayList<>();
            for (JsonNode x : admin.get("/api/v1/queues/waiting").json()) left.add(x.get("callId").asText());
            assertThat(left).containsExactly("webcallback-" + w2Id);
            assertThat(admin.post("/api/v1/webcallback/requests/" + w2Id + "/cancel", Map.of()).status()).isEqualTo(200);
            assertThat(admin.get("/api/v1/queues/waiting").json()).isEmpty();

            // The report counts them.
            JsonNode report = admin.get("/api/v1/webcallback/report").json();
            assertThat(report.at("/byMode/agent_first/done").asInt()).isEqualTo(1);
            assertThat(report.at("/byMode/agent_first/cancelled").asInt()).isEqualTo(3);
            assertThat(report.at("/byState/done").asInt()).isEqualTo(2);
            assertThat(report.get("connectedPercent").asDouble()).isEqualTo(100.0);
        } finally {
            phone.kill();
            far.kill();
            if (busy != null) busy.kill();
        }
    }

    private static int indexOf(List<String> steps, String part) {
        for (int i = 0; i < steps.size(); i++) if (steps.get(i).contains(part)) return i;
        return -1;
    }

    @Test
    void aRequestScheduledAheadAndAnAgentFirstRequestWaitingInTheQueueSurviveARestartAndArePlacedAfterIt() throws Exception {
        Path dir = Files.createTempDirectory("webcallback-restart");
        String db = TestDatabases.migrated(TestDatabases.Kind.H2);
        Path data = Files.createTempDirectory("webcallback-restart-data");
        int carrier = Ports.free();
        Map<String, String> settings = Map.of("db.url", db, "data.dir", data.toString(), "sip.default.enterprise", "demo");
        long id;
        long agentFirstId;
        String key;
        Instant at;
        try (TestServer first = TestServer.start(TestDatabases.Kind.H2, settings)) {
            // Agent first, no agent signed in: the request waits in the callback queue as a call back.
            Site site = configure(first, carrier, Map.of("mode", "agent_first"));
            key = site.key();
            var af = request(first, key, "13600000002", null);
            assertThat(af.status()).as(af.toString()).isEqualTo(201);
            agentFirstId = af.json().get("id").asLong();
            assertThat(af.json().get("handleBasis").asText()).startsWith("default");
            await("queued").atMost(Duration.ofSeconds(20)).until(() -> site.admin().get("/api/v1/webcallback/requests/" + agentFirstId).json()
                    .get("state").asText(), "queued"::equals);
            // Customer first, scheduled 20 s ahead.
            configure(first, carrier, Map.of());
            at = Instant.now().plus(Duration.ofSeconds(20));
            var r = request(first, key, "13600000001", at.toString());
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            id = r.json().get("id").asLong();
            assertThat(Instant.parse(r.json().get("notBefore").asText())).isEqualTo(at);
        }
        try (TestServer second = TestServer.start(TestDatabases.Kind.H2, settings)) {
            ApiClient admin = ApiClient.loggedIn(second.baseUrl(), "demo", "admin", PW);
            JsonNode kept = admin.get("/api/v1/webcallback/requests/" + id).json();
            assertThat(kept.get("state").asText()).isEqualTo("pending");
            assertThat(kept.get("number").asText()).isEqualTo("13600000001");
            assertThat(kept.get("mode").asText()).isEqualTo("customer_first");
            // The agent-first request is back in the queue, in its place, waiting since before the restart.
            JsonNode waiting = await("back in the queue").atMost(Duration.ofSeconds(20)).until(() -> admin.get("/api/v1/queues/waiting").json(),
                    w -> w.size() == 1);
            assertThat(waiting.get(0).get("callId").asText()).isEqualTo("webcallback-" + agentFirstId);
            assertThat(waiting.get(0).get("callback").asBoolean()).isTrue();
            assertThat(admin.get("/api/v1/webcallback/requests/" + agentFirstId).json().get("state").asText()).isEqualTo("queued");
            assertThat(steps(admin, agentFirstId)).anySatisfy(s -> assertThat(s).contains("step=requeued mode=agent_first queue=support position=1"));
            // The carrier is busy: the scheduled callback is tried at its time (not before), then retried a minute later; the
            // agent-first one is offered to agent1 once ready, whose phone answers, and then its customer is busy too.
            Map<String, String> vars = SipPeers.vars("x", "CODE", "486");
            vars.put("ENGINE", "127.0.0.1:" + second.hotline().engine().sipPort());
            Sipp.Run far = Sipp.start(dir, "uas_reject", vars, null, carrier, List.of("-m", "2", "-timeout", "90"));
            Sipp.awaitUdpBound(carrier);
            SipPeers peers = new SipPeers(dir, second.hotline().engine().sipPort());
            int phonePort = Ports.free();
            Sipp.Run phone = peers.phone(phonePort);
            try {
                peers.register("1001", PW, phonePort, "200");
                ApiClient agent = ApiClient.loggedIn(second.baseUrl(), "demo", "agent1", PW);
                assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
                assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
                JsonNode afTried = await("agent-first placed after the restart").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                        .until(() -> admin.get("/api/v1/webcallback/requests/" + agentFirstId).json(), r -> r.get("attempts").asInt() == 1
                                && r.get("state").asText().equals("pending"));
                assertThat(afTried.get("lastResult").asText()).contains("USER_BUSY");
                assertThat(steps(admin, agentFirstId)).anySatisfy(s -> assertThat(s).contains("step=agent_answered attempt=1"));
                JsonNode tried = await("placed after the restart").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                        .until(() -> admin.get("/api/v1/webcallback/requests/" + id).json(), r -> r.get("attempts").asInt() == 1
                                && r.get("state").asText().equals("pending"));
                SipPeers.ok(far);
                assertThat(Instant.parse(tried.get("updatedAt").asText())).isAfterOrEqualTo(at);
                assertThat(Instant.parse(tried.get("nextAt").asText())).isAfter(Instant.now().plus(Duration.ofSeconds(30)));
                assertThat(tried.get("lastResult").asText()).contains("not_answered").contains("USER_BUSY");
                assertThat(steps(admin, id)).anySatisfy(s -> assertThat(s).contains("step=retry attempt=1"));
                assertThat(key).isNotBlank();
            } finally {
                phone.kill();
                far.kill();
            }
        }
    }
}
