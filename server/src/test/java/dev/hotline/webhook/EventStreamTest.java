package dev.hotline.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * API-2, the enterprise-wide event stream: a supervisor's API token gets the events of SIPp calls as the event log appends
 * them, numbered; reconnecting with the last number seen gets the events of a call made meanwhile, each once and in
 * order; another enterprise's stream carries none of them; no login 401, no monitor.read 403.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventStreamTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static final ObjectMapper JSON = new ObjectMapper();
    TestServer server;
    ApiClient admin;
    @TempDir
    Path work;

    @BeforeAll
    void start() {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4813", "destinationType", "voicemail", "destination", "extension:1003"))
                .status()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** A stream connection: its messages in arrival order. */
    static final class Stream implements AutoCloseable {
        final BlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
        final WebSocket ws;

        Stream(String baseUrl, String token, Long after) throws Exception {
            this(baseUrl, token, after, null);
        }

        Stream(String baseUrl, String token, Long after, String types) throws Exception {
            StringBuilder buf = new StringBuilder();
            String url = baseUrl.replaceFirst("^http", "ws") + "/api/v1/events" + (after == null ? "" : "?after=" + after)
                    + (types == null ? "" : (after == null ? "?" : "&") + "types=" + types);
            ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                    .buildAsync(URI.create(url), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            buf.append(data);
                            if (last) {
                                try {
                                    inbox.add(JSON.readTree(buf.toString()));
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                                buf.setLength(0);
                            }
                            w.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
        }

        /** Messages up to and including the first matching {@code p}. */
        List<JsonNode> until(Predicate<JsonNode> p, String what) throws InterruptedException {
            List<JsonNode> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode n = inbox.poll(100, TimeUnit.MILLISECONDS);
                if (n == null) continue;
                got.add(n);
                if (p.test(n)) return got;
            }
            throw new AssertionError("no " + what + " within 30 s; got " + got);
        }

        @Override
        public void close() {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
    }

    String token(String enterprise, String user, String password) {
        var r = ApiClient.loggedIn(server.baseUrl(), enterprise, user, password).post("/api/v1/tokens", Map.of("name", "stream-" + System.nanoTime()));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("token").asText();
    }

    void call(String from) throws Exception {
        SipPeers.ok(new SipPeers(work, server.hotline().engine().sipPort()).uac("uac_call", "4813", SipPeers.vars(from, "PAUSE", "1500")));
    }

    static Predicate<JsonNode> closedCallOf(String caller) {
        return n -> n.path("type").asText().equals("call.closed") && n.toString().contains(caller);
    }

    static List<JsonNode> eventsOf(List<JsonNode> messages, String caller) {
        return messages.stream().filter(n -> n.has("seq") && n.toString().contains(caller)).toList();
    }

    @Test
    void aSupervisorGetsEveryEventOnceInOrderAcrossAReconnect() throws Exception {
        String lead = token("demo", "lead", PW);
        long lastSeen;
        try (Stream s = new Stream(server.baseUrl(), lead, null)) {
            JsonNode hello = s.until(n -> true, "hello").get(0);
            assertThat(hello.get("type").asText()).isEqualTo("stream.hello");
            call("13700000091");
            List<JsonNode> got = s.until(closedCallOf("13700000091"), "the first call's events");
            List<JsonNode> first = eventsOf(got, "13700000091");
            String callId = first.get(0).at("/data/callId").asText();
            assertThat(got.stream().filter(n -> n.at("/data/callId").asText().equals(callId)).map(n -> n.get("type").asText()).toList())
                    .as("every event of the call, in order").startsWith("call.arrived").contains("call.hangup").endsWith("call.closed");
            for (int i = 1; i < got.size(); i++) assertThat(got.get(i).get("seq").asLong()).isGreaterThan(got.get(i - 1).get("seq").asLong());
            assertThat(first.get(0).get("seq").asLong()).isGreaterThan(hello.get("after").asLong());
            assertThat(first.get(0).has("enterpriseId")).isFalse();
            assertThat(first.get(0).at("/data/callId").asText()).isNotEmpty();
            lastSeen = got.get(got.size() - 1).get("seq").asLong();
        }
        // Disconnected: a second call happens meanwhile.
        call("13700000092");
        ApiClient other = acme();
        String acmeToken = token("acme", "boss", "acme-pass-1");
        try (Stream s = new Stream(server.baseUrl(), lead, lastSeen); Stream foreign = new Stream(server.baseUrl(), acmeToken, 0L)) {
            JsonNode hello = s.until(n -> true, "hello").get(0);
            assertThat(hello.get("after").asLong()).isEqualTo(lastSeen);
            List<JsonNode> got = s.until(closedCallOf("13700000092"), "the missed call's events");
            assertThat(got.subList(1, got.size())).as("nothing seen before is sent again").allMatch(n -> n.get("seq").asLong() > lastSeen);
            for (int i = 2; i < got.size(); i++) assertThat(got.get(i).get("seq").asLong()).isGreaterThan(got.get(i - 1).get("seq").asLong());
            List<JsonNode> second = eventsOf(got, "13700000092");
            assertThat(second.get(0).get("type").asText()).isEqualTo("call.arrived");
            assertThat(second.stream().map(n -> n.get("seq").asLong()).distinct().count()).isEqualTo(second.size());

            // Another enterprise's stream from the very beginning: its own agent event arrives, demo's calls never do.
            assertThat(other.post("/api/v1/agent/session", Map.of("device", "webrtc")).status()).isEqualTo(200);
            List<JsonNode> theirs = foreign.until(n -> n.path("type").asText().equals("agent.state"), "acme's own agent event");
            assertThat(theirs.toString()).doesNotContain("13700000091", "13700000092");
            assertThat(theirs.get(0).get("type").asText()).isEqualTo("stream.hello");
        }
    }

    ApiClient acme() {
        ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", PW);
        var r = operator.post("/api/v1/enterprises", Map.of("code", "acme", "name", "Acme", "adminUsername", "boss", "adminPassword", "acme-pass-1"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return ApiClient.loggedIn(server.baseUrl(), "acme", "boss", "acme-pass-1");
    }

    @Test
    void theUpgradeNeedsALoginAndMonitorRead() throws Exception {
        var anonymous = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(server.baseUrl().replaceFirst("^http", "ws") + "/api/v1/events"), new WebSocket.Listener() { });
        assertThat(anonymous).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class).withStackTraceContaining("401");
        String agent = token("demo", "agent1", PW);
        var refused = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + agent)
                .buildAsync(URI.create(server.baseUrl().replaceFirst("^http", "ws") + "/api/v1/events"), new WebSocket.Listener() { });
        assertThat(refused).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class).withStackTraceContaining("403");
        String lead = token("demo", "lead", PW);
        var bad = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + lead)
                .buildAsync(URI.create(server.baseUrl().replaceFirst("^http", "ws") + "/api/v1/events?after=minus"), new WebSocket.Listener() { });
        assertThat(bad).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class).withStackTraceContaining("400");
    }

    /** The answer to a WebSocket upgrade of {@code pathAndQuery} refused before it happens: status line, headers and body. */
    String refusedUpgrade(String pathAndQuery, String token) throws Exception {
        URI u = URI.create(server.baseUrl());
        try (java.net.Socket socket = new java.net.Socket(u.getHost(), u.getPort())) {
            socket.setSoTimeout(10_000);
            String req = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort() + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Authorization: Bearer " + token + "\r\n\r\n";
            socket.getOutputStream().write(req.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            var in = new java.io.DataInputStream(socket.getInputStream());
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.readUnsignedByte());
            var m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            byte[] body = new byte[m.find() ? Integer.parseInt(m.group(1)) : 0];
            in.readFully(body);
            return head + new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void aStreamFilteredByTypeCarriesOnlyThoseAndAnUnknownTypeIsRefusedByName() throws Exception {
        // API-2: ?types= takes the patterns of webhook subscriptions; the call made first never reaches a ticket-only stream.
        String lead = token("demo", "lead", PW);
        try (Stream tickets = new Stream(server.baseUrl(), lead, null, "ticket.*,agent.state");
             Stream closed = new Stream(server.baseUrl(), lead, null, "call.closed")) {
            tickets.until(n -> true, "hello");
            closed.until(n -> true, "hello");
            call("13700000093");
            List<JsonNode> calls = closed.until(closedCallOf("13700000093"), "the call's record");
            assertThat(calls.subList(1, calls.size())).as("only call.closed").allMatch(n -> n.get("type").asText().equals("call.closed"));
            var opened = admin.post("/api/v1/tickets", Map.of("type", "consultation", "title", "Stream me", "form", Map.of("topic", "x")));
            assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
            List<JsonNode> got = tickets.until(n -> n.path("type").asText().equals("ticket.created"), "the ticket's event");
            assertThat(got.subList(1, got.size())).extracting(n -> n.get("type").asText()).allMatch(t -> t.equals("ticket.created")
                    || t.equals("agent.state"));
            JsonNode created = got.get(got.size() - 1);
            assertThat(created.at("/data/ticketId").asLong()).isEqualTo(opened.json().get("id").asLong());
            assertThat(created.at("/data/title").asText()).isEqualTo("Stream me");
            assertThat(created.get("seq").asLong()).isGreaterThan(calls.get(calls.size() - 1).get("seq").asLong());
        }
        String refused = refusedUpgrade("/api/v1/events?types=call.closed,ticket.opened", lead);
        assertThat(refused).startsWith("HTTP/1.1 400").contains("\"field\":\"types\"", "ticket.opened");
        assertThat(refusedUpgrade("/api/v1/events?types=call.closed,,", lead)).startsWith("HTTP/1.1 400").contains("\"types\"");
    }
}
