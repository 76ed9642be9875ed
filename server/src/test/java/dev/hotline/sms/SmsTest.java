package dev.hotline.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.hotline.report.CallLogEvent;
import dev.hotline.report.CallTracker;
import dev.hotline.report.EventLog;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * MSG-3 end to end against an in-process SMSC (jsmpp's server side) and an in-test HTTP gateway: a 300-character Chinese
 * SMS arrives as correctly concatenated UCS-2 parts and its receipts make it delivered; an undeliverable receipt fails it;
 * inbound SMS (concatenated) land on the customer's timeline with the outbound ones; a gateway down then up gets the
 * queued message once it binds; the daily quota refuses with 429 naming it; the after-call SMS of a queue; the HTTP
 * gateway's request template; bad input refused naming the field; an agent sees only their own messages.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmsTest {
    static final String SYSTEM_ID = "hotline";
    static final String SMPP_PASSWORD = "smpp-pw1";
    TestServer server;
    ApiClient admin;
    TestSmsc smsc;
    int smscPort;

    @BeforeAll
    void start() throws IOException {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        smscPort = tcpPort();
        smsc = new TestSmsc(smscPort, SYSTEM_ID, SMPP_PASSWORD);
    }

    @AfterAll
    void stop() {
        server.close();
        smsc.close();
    }

    static int tcpPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Points demo at the SMSC on {@code port} (quotas off) and, when {@code waitBound}, waits for the bind. */
    synchronized void useSmpp(int port, boolean waitBound) {
        Map<String, Object> in = new HashMap<>(Map.of("kind", "smpp", "host", "127.0.0.1", "port", port, "systemId", SYSTEM_ID,
                "password", SMPP_PASSWORD, "systemType", "hl", "sourceAddress", "10690001"));
        var r = admin.put("/api/v1/sms/settings", in);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body()).as("the password is never returned").doesNotContain(SMPP_PASSWORD);
        assertThat(r.json().get("passwordSet").asBoolean()).isTrue();
        if (waitBound) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "bound".equals(admin.get("/api/v1/sms/settings").json().get("link").get("state").asText()));
        }
    }

    JsonNode send(Map<String, Object> body) {
        var r = admin.post("/api/v1/sms/send", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        assertThat(r.json().get("status").asText()).isEqualTo("queued");
        return r.json();
    }

    JsonNode awaitStatus(long id, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> status.equals(admin.get("/api/v1/sms/messages/" + id).json().get("status").asText()));
        return admin.get("/api/v1/sms/messages/" + id).json();
    }

    /**
     * The next n parts the SMSC received for one destination. Parts for other numbers are skipped: a test class shares
     * one SMSC, and a message another test sent (queued, retried) may reach it late.
     */
    List<TestSmsc.Submitted> take(String dest, int n) throws InterruptedException {
        List<TestSmsc.Submitted> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (out.size() < n) {
            TestSmsc.Submitted s = smsc.submitted.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(s).as("part " + (out.size() + 1) + " of " + n + " for " + dest + " reaches the SMSC").isNotNull();
            if (s.dest().equals(dest)) out.add(s);
        }
        return out;
    }

    static void assertField(ApiClient.Response r, int status, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        List<String> fields = new ArrayList<>();
        r.json().get("fieldErrors").forEach(f -> fields.add(f.get("field").asText()));
        assertThat(fields).as(r.toString()).contains(field);
    }

    static String chinese(int n) {
        String base = "您好这是热线中心发送的长短信测试内容请勿回复谢谢合作祝您生活愉快工作顺利";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < n; i++) sb.append(base.charAt(i % base.length()));
        return sb.toString();
    }

    @Test
    void aLongChineseSmsArrivesAsConcatenatedUcs2PartsAndIsDeliveredByItsReceipts() throws Exception {
        useSmpp(smscPort, true);
        smsc.submitted.clear();
        String text = chinese(300);
        JsonNode m = send(Map.of("to", "13800000001", "text", text));
        assertThat(m.get("encoding").asText()).isEqualTo("ucs2");
        assertThat(m.get("parts").asInt()).isEqualTo(5); // 67 characters a part
        List<TestSmsc.Submitted> parts = take("13800000001", 5);
        Set<Integer> refs = new HashSet<>();
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (int i = 0; i < parts.size(); i++) {
            TestSmsc.Submitted p = parts.get(i);
            assertThat(p.dest()).isEqualTo("13800000001");
            assertThat(p.source()).isEqualTo("10690001");
            assertThat(p.esmClass() & 0x40).as("esm_class UDHI").isEqualTo(0x40);
            assertThat(p.dataCoding()).as("data_coding UCS-2").isEqualTo((byte) 0x08);
            assertThat(p.registeredDelivery() & 0x01).as("a receipt asked for").isEqualTo(1);
            byte[] sm = p.shortMessage();
            assertThat(new byte[] {sm[0], sm[1], sm[2]}).as("UDH: length 5, IE 0x00 (8-bit reference), IE length 3").containsExactly(5, 0, 3);
            refs.add(sm[3] & 0xFF);
            assertThat(sm[4]).as("total").isEqualTo((byte) 5);
            assertThat(sm[5]).as("part number").isEqualTo((byte) (i + 1));
            assertThat(sm.length - 6).as("67 UCS-2 characters but the last").isEqualTo(i < 4 ? 134 : (300 - 4 * 67) * 2);
            joined.write(sm, 6, sm.length - 6);
        }
        assertThat(refs).as("one reference for every part").hasSize(1);
        assertThat(new String(joined.toByteArray(), StandardCharsets.UTF_16BE)).isEqualTo(text);
        JsonNode done = awaitStatus(m.get("id").asLong(), "delivered");
        assertThat(done.get("sentAt").isNull()).isFalse();
        assertThat(done.get("doneAt").isNull()).isFalse();
    }

    @Test
    void gsmTextIsOnePartOr153SeptetPartsAndAnUndeliverableReceiptFailsTheMessage() throws Exception {
        useSmpp(smscPort, true);
        smsc.submitted.clear();
        JsonNode one = send(Map.of("to", "+8613800000002", "text", "Your code is 1234 [ok] €5"));
        assertThat(one.get("encoding").asText()).isEqualTo("gsm7");
        TestSmsc.Submitted p = take("8613800000002", 1).get(0);
        assertThat(p.dest()).as("international number without +").isEqualTo("8613800000002");
        assertThat(p.destTon()).isEqualTo((byte) 1);
        assertThat(p.esmClass() & 0x40).isZero();
        assertThat(p.dataCoding()).isEqualTo((byte) 0);
        assertThat(SmsText.decode(p.shortMessage(), (byte) 0)).isEqualTo("Your code is 1234 [ok] €5");
        awaitStatus(one.get("id").asLong(), "delivered");

        smsc.undeliverable = d -> d.endsWith("99");
        try {
            JsonNode two = send(Map.of("to", "13800000099", "text", "x".repeat(200)));
            assertThat(two.get("parts").asInt()).isEqualTo(2);
            List<TestSmsc.Submitted> parts = take("13800000099", 2);
            assertThat(parts.get(0).shortMessage().length).isEqualTo(6 + 153);
            assertThat(parts.get(1).shortMessage().length).isEqualTo(6 + 47);
            JsonNode failed = awaitStatus(two.get("id").asLong(), "failed");
            assertThat(failed.get("lastError").asText()).contains("could not deliver");
        } finally {
            smsc.undeliverable = d -> false;
        }
    }

    @Test
    void inboundAndOutboundSmsLandOnTheCustomersTimeline() throws Exception {
        useSmpp(smscPort, true);
        var c = admin.post("/api/v1/customers", Map.of("name", "短信客户", "phones", List.of(Map.of("number", "13900000123", "label", "mobile")),
                "fields", Map.of(), "sharing", "enterprise"));
        assertThat(c.status()).as(c.toString()).isEqualTo(201);
        long customer = c.json().get("id").asLong();
        var t = admin.post("/api/v1/sms/templates", Map.of("name", "greeting-" + customer, "body", "{name}，您好！{company} 客服"));
        assertThat(t.status()).as(t.toString()).isEqualTo(201);
        smsc.submitted.clear();
        JsonNode out = send(Map.of("customerId", customer, "templateId", t.json().get("id").asLong()));
        assertThat(out.get("text").asText()).startsWith("短信客户，您好！");
        assertThat(out.get("number").asText()).isEqualTo("13900000123");
        assertThat(out.get("customerId").asLong()).isEqualTo(customer);
        take("13900000123", 1);
        awaitStatus(out.get("id").asLong(), "delivered");

        // A reply in two concatenated UCS-2 parts from the customer's number in its international form.
        String reply = "收到，谢谢！我想再问一下订单什么时候发货，" + chinese(60);
        SmsText.Encoded enc = SmsText.encode(reply, 77);
        assertThat(enc.count()).isEqualTo(2);
        for (byte[] part : enc.parts()) smsc.deliver("8613900000123", "10690001", part, (byte) 0x08, true);
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.get("/api/v1/sms/messages?direction=in&number=13900000123").json().size() == 1);
        JsonNode in = admin.get("/api/v1/sms/messages?direction=in&number=13900000123").json().get(0);
        assertThat(in.get("text").asText()).isEqualTo(reply);
        assertThat(in.get("status").asText()).isEqualTo("received");
        assertThat(in.get("customerId").asLong()).as("matched to the customer by phone").isEqualTo(customer);
        assertThat(in.get("number").asText()).isEqualTo("+8613900000123");

        JsonNode items = admin.get("/api/v1/customers/" + customer + "/timeline").json().get("items");
        List<String> sms = new ArrayList<>();
        items.forEach(i -> {
            if (i.get("kind").asText().equals("sms")) sms.add(i.get("direction").asText() + " " + i.get("status").asText() + " " + i.get("text").asText());
        });
        assertThat(sms).containsExactly("in received " + reply, "out delivered " + out.get("text").asText());
        // The SMS entries follow sms.send: a role that may read customers but not send SMS sees the timeline without them.
        long role = admin.post("/api/v1/roles", Map.of("name", "no-sms", "permissions", List.of("customer.read"))).json().get("id").asLong();
        assertThat(admin.post("/api/v1/users", Map.of("username", "nosms", "password", "nosms-pass-1", "roleId", role)).status()).isEqualTo(201);
        ApiClient reader = ApiClient.loggedIn(server.baseUrl(), "demo", "nosms", "nosms-pass-1");
        var withoutSms = reader.get("/api/v1/customers/" + customer + "/timeline");
        assertThat(withoutSms.status()).as(withoutSms.toString()).isEqualTo(200);
        assertThat(withoutSms.json().get("items").findValuesAsText("kind")).doesNotContain("sms");

        // From a ticket of the customer's: to its caller number, {ticket} its tracking number.
        var ticket = admin.post("/api/v1/tickets", Map.of("type", "complaint", "title", "SMS notice", "callerNumber", "13900000123",
                "customerId", customer, "form", Map.of("category", "billing")));
        assertThat(ticket.status()).as(ticket.toString()).isEqualTo(201);
        JsonNode notice = send(Map.of("ticketId", ticket.json().get("id").asLong(), "text", "工单 {ticket} 已受理，{name}"));
        assertThat(notice.get("text").asText()).isEqualTo("工单 " + ticket.json().get("trackingNumber").asText() + " 已受理，短信客户");
        assertThat(notice.get("number").asText()).isEqualTo("13900000123");
        assertThat(notice.get("kind").asText()).isEqualTo("ticket");
        assertThat(take("13900000123", 1)).hasSize(1);
        awaitStatus(notice.get("id").asLong(), "delivered");
        // Visibility: an agent who may not see the customer (private to someone else) gets the same 404 as for any timeline.
        var priv = admin.post("/api/v1/customers", Map.of("name", "私有客户", "phones", List.of(Map.of("number", "13900000124", "label", "mobile")),
                "fields", Map.of(), "sharing", "private"));
        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", TestServer.DEMO_PASSWORD);
        assertThat(agent.get("/api/v1/customers/" + priv.json().get("id").asLong() + "/timeline").status()).isEqualTo(404);
        assertThat(agent.post("/api/v1/sms/send", Map.of("customerId", priv.json().get("id").asLong(), "text", "hi")).status()).isEqualTo(400);
    }

    @Test
    void aMessageQueuedWhileTheGatewayIsDownIsSentOnceItComesUp() throws Exception {
        int port = tcpPort();
        useSmpp(port, false); // nobody listens there yet
        JsonNode m = send(Map.of("to", "13800000003", "text", "sent when the gateway is back"));
        long id = m.get("id").asLong();
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.get("/api/v1/sms/messages/" + id).json().get("attempts").asInt() >= 1);
        JsonNode waiting = admin.get("/api/v1/sms/messages/" + id).json();
        assertThat(waiting.get("status").asText()).isEqualTo("queued");
        assertThat(waiting.get("lastError").asText()).contains("not bound");
        assertThat(admin.get("/api/v1/sms/settings").json().get("link").get("state").asText()).isEqualTo("connecting");
        assertThat(admin.get("/api/v1/sms/settings").json().get("link").get("lastError").asText()).contains("127.0.0.1:" + port);
        try (TestSmsc late = new TestSmsc(port, SYSTEM_ID, SMPP_PASSWORD)) {
            TestSmsc.Submitted p;
            do { // skip what other tests left queued; only this message's number counts
                p = late.submitted.poll(40, TimeUnit.SECONDS);
                assertThat(p).as("the queued message reaches the gateway once it is up").isNotNull();
            } while (!p.dest().equals("13800000003"));
            assertThat(SmsText.decode(p.shortMessage(), p.dataCoding())).isEqualTo("sent when the gateway is back");
            assertThat(late.binds).first().asString().contains("hotline hl");
            JsonNode done = awaitStatus(id, "delivered");
            assertThat(done.get("attempts").asInt()).isGreaterThanOrEqualTo(2);
        }
        useSmpp(smscPort, true);
    }

    @Test
    void theDailyQuotaRefusesWith429NamingIt() {
        useSmpp(smscPort, false);
        long used = admin.get("/api/v1/sms/settings").json().get("usedToday").asLong();
        var s = admin.put("/api/v1/sms/settings", Map.of("kind", "smpp", "host", "127.0.0.1", "port", smscPort, "systemId", SYSTEM_ID,
                "sourceAddress", "10690001", "dailyQuota", used + 2));
        assertThat(s.status()).as("password kept when absent: " + s).isEqualTo(200);
        try {
            send(Map.of("to", "13800000004", "text", "one part"));
            var refused = admin.post("/api/v1/sms/send", Map.of("to", "13800000004", "text", "y".repeat(170))); // two parts: 1 over
            assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
            assertThat(refused.json().get("code").asText()).isEqualTo("sms_quota");
            assertThat(refused.json().get("message").asText()).contains("daily", "dailyQuota");
            send(Map.of("to", "13800000004", "text", "still one part"));
            assertThat(admin.post("/api/v1/sms/send", Map.of("to", "13800000004", "text", "z")).status()).isEqualTo(429);
        } finally {
            useSmpp(smscPort, false);
        }
    }

    @Test
    void anAnsweredQueueCallGetsTheQueuesAfterCallSms() throws Exception {
        useSmpp(smscPort, true);
        var t = admin.post("/api/v1/sms/templates", Map.of("name", "after-call", "body", "感谢致电{company}（{queue}），工号{agent}为您服务。"));
        assertThat(t.status()).as(t.toString()).isEqualTo(201);
        long queueId = -1;
        for (JsonNode q : admin.get("/api/v1/sms/after-call").json()) if (q.get("queue").asText().equals("sales")) queueId = q.get("queueId").asLong();
        var on = admin.put("/api/v1/sms/after-call/" + queueId, Map.of("templateId", t.json().get("id").asLong()));
        assertThat(on.status()).as(on.toString()).isEqualTo(200);
        assertThat(on.json().get("templateName").asText()).isEqualTo("after-call");
        smsc.submitted.clear();
        long e = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
        // A queue call as the router logs it: answered by agent 2 in sales, then hung up.
        call(e, "sms-after-1", "13700000042", "sales", true);
        call(e, "sms-after-2", "13700000043", "sales", false); // abandoned in the queue: no SMS
        TestSmsc.Submitted p = take("13700000042", 1).get(0);
        assertThat(p.dest()).isEqualTo("13700000042");
        String text = SmsText.readPart(p.shortMessage(), (p.esmClass() & 0x40) != 0, p.dataCoding()).text();
        String job = admin.get("/api/v1/users?q=agent2").json().get(0).get("jobNumber").asText();
        assertThat(text).startsWith("感谢致电").contains("（sales）", "工号" + job + "为您服务");
        JsonNode m = admin.get("/api/v1/sms/messages?kind=after_call").json().get(0);
        assertThat(m.get("callId").asText()).isEqualTo("sms-after-1");
        assertThat(admin.get("/api/v1/sms/messages?kind=after_call&number=13700000043").json()).isEmpty();
        assertThat(admin.put("/api/v1/sms/after-call/" + queueId, new HashMap<>(Map.of())).json().get("templateId").isNull()).isTrue();
    }

    void call(long e, String callId, String caller, String queue, boolean answered) throws InterruptedException {
        Instant t = Instant.now().minusSeconds(30);
        CallTracker tracker = new CallTracker();
        List<CallLogEvent> events = new ArrayList<>(List.of(
                new CallLogEvent.Arrived(e, callId, t, "in-1", "inbound", caller, "4000", "loopback", null),
                new CallLogEvent.QueueJoined(e, callId, t.plusSeconds(1), "in-1", queue, 0, 1)));
        if (answered) {
            JsonNode agent = admin.get("/api/v1/users?q=agent2").json().get(0);
            events.add(new CallLogEvent.Answered(e, callId, t.plusSeconds(1), "in-1"));
            events.add(new CallLogEvent.QueueConnected(e, callId, t.plusSeconds(3), "in-1", queue, agent.get("id").asLong(),
                    agent.get("jobNumber").asText(), 2000));
        } else {
            events.add(new CallLogEvent.QueueLeft(e, callId, t.plusSeconds(9), "in-1", queue, "abandoned", "caller_hangup", null, 8000));
        }
        events.add(new CallLogEvent.HungUp(e, callId, t.plusSeconds(10), "in-1", "NORMAL_CLEARING", 0));
        EventLog log = server.hotline().eventLog();
        for (CallLogEvent ev : events) {
            tracker.apply(ev);
            log.append(ev);
        }
        log.append(new CallLogEvent.Closed(e, callId, t.plusSeconds(10), null, tracker.record()));
        assertThat(log.flush(30, TimeUnit.SECONDS)).as("the event log wrote the call").isTrue();
    }

    @Test
    void theHttpGatewayFillsItsRequestTemplate() throws Exception {
        BlockingQueue<String> requests = new LinkedBlockingQueue<>();
        AtomicInteger status = new AtomicInteger(500);
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/send", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(x.getRequestMethod() + " " + URLDecoder.decode(x.getRequestURI().getRawQuery(), StandardCharsets.UTF_8) + " "
                    + x.getRequestHeaders().getFirst("Content-Type") + " " + body);
            byte[] answer = (status.get() == 200 ? "{\"ok\":true}" : "busy").getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status.get(), answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        http.start();
        try {
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/send?to={to}&sig=a";
            var s = admin.put("/api/v1/sms/settings", Map.of("kind", "http", "url", url, "method", "POST", "contentType", "application/json",
                    "body", "{\"text\":\"{text}\",\"from\":\"{from}\"}", "success", "200,202", "sourceAddress", "HOTLINE"));
            assertThat(s.status()).as(s.toString()).isEqualTo(200);
            assertThat(s.json().get("link").get("state").asText()).isEqualTo("ready");
            JsonNode m = send(Map.of("to", "+86 138-0000-0005", "text", "验证码 \"42\"\n谢谢"));
            assertThat(m.get("number").asText()).isEqualTo("+8613800000005");
            String first = requests.poll(20, TimeUnit.SECONDS);
            assertThat(first).isEqualTo("POST to=+8613800000005&sig=a application/json {\"text\":\"验证码 \\\"42\\\"\\n谢谢\",\"from\":\"HOTLINE\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.get("/api/v1/sms/messages/" + m.get("id").asLong()).json()
                    .path("lastError").asText("").contains("HTTP gateway answered 500: busy"));
            status.set(200);
            assertThat(admin.post("/api/v1/sms/messages/" + m.get("id").asLong() + "/retry", Map.of()).status()).isEqualTo(200);
            awaitStatus(m.get("id").asLong(), "sent");
        } finally {
            http.stop(0);
            useSmpp(smscPort, false);
        }
    }

    @Test
    void badInputIsRefusedNamingTheFieldAndAgentsSeeOnlyTheirOwnMessages() {
        assertField(admin.put("/api/v1/sms/settings", Map.of("kind", "carrier-pigeon")), 400, "kind");
        assertField(admin.put("/api/v1/sms/settings", Map.of("kind", "smpp", "host", "bad host!", "port", 70000, "systemId", SYSTEM_ID,
                "password", "x")), 400, "port");
        assertField(admin.put("/api/v1/sms/settings", Map.of("kind", "smpp", "host", "bad host!", "port", 2775, "systemId", SYSTEM_ID,
                "password", "x")), 400, "host");
        assertField(admin.put("/api/v1/sms/settings", Map.of("kind", "smpp", "host", "h", "port", 2775, "systemId", SYSTEM_ID,
                "password", "much-too-long")), 400, "password");
        assertField(admin.put("/api/v1/sms/settings", Map.of("kind", "http", "url", "ftp://x/{to}")), 400, "url");
        assertField(admin.put("/api/v1/sms/settings", Map.of("kind", "http", "url", "http://x/{to}", "success", "ok")), 400, "success");
        assertField(admin.put("/api/v1/sms/settings", Map.of("kind", "none", "dailyQuota", -1)), 400, "dailyQuota");
        assertField(admin.post("/api/v1/sms/templates", Map.of("name", "bad", "body", "hello {nmae}")), 400, "body");
        assertField(admin.post("/api/v1/sms/templates", Map.of("name", "", "body", "x")), 400, "name");
        assertField(admin.post("/api/v1/sms/send", Map.of("text", "no number")), 400, "to");
        assertField(admin.post("/api/v1/sms/send", Map.of("to", "12ab", "text", "x")), 400, "to");
        assertField(admin.post("/api/v1/sms/send", Map.of("to", "13800000006")), 400, "text");
        assertField(admin.post("/api/v1/sms/send", Map.of("to", "13800000006", "text", "x".repeat(1001))), 400, "text");
        assertField(admin.post("/api/v1/sms/send", Map.of("to", "13800000006", "templateId", 999999)), 400, "templateId");
        assertField(admin.post("/api/v1/sms/send", Map.of("ticketId", 999999, "text", "x")), 400, "ticketId");
        assertField(admin.get("/api/v1/sms/messages?status=lost"), 400, "status");

        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", TestServer.DEMO_PASSWORD);
        assertThat(agent.get("/api/v1/sms/settings").status()).isEqualTo(403);
        assertThat(agent.post("/api/v1/sms/templates", Map.of("name", "a", "body", "b")).status()).isEqualTo(403);
        var mine = agent.post("/api/v1/sms/send", Map.of("to", "13800000007", "text", "from agent 1"));
        assertThat(mine.status()).as(mine.toString()).isEqualTo(202);
        JsonNode adminOwn = send(Map.of("to", "13800000008", "text", "from the admin"));
        JsonNode list = agent.get("/api/v1/sms/messages").json();
        assertThat(list).isNotEmpty();
        list.forEach(m -> assertThat(m.get("userName").asText()).isEqualTo(mine.json().get("userName").asText()));
        assertThat(agent.get("/api/v1/sms/messages/" + adminOwn.get("id").asLong()).status()).isEqualTo(404);
        assertThat(agent.get("/api/v1/sms/messages/" + mine.json().get("id").asLong()).status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/sms/messages/" + mine.json().get("id").asLong()).status()).isEqualTo(200);
    }
}
