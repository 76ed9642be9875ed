package dev.hotline.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * MSG-3 campaign SMS against the in-process SMSC: an SMS campaign sends each number of its list the text with the list's
 * columns filled in, skips a do-not-call number, and shows each number's SMS state (delivered by the SMSC's receipt); a
 * daily quota stops it with the numbers left pending until the quota allows more; a calling campaign sends its SMS after the
 * outcome it names (a number exhausted by failed calls; an answered SIPp call) and none after outcomes it does not name; bad settings are refused
 * naming the field.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CampaignSmsTest {
    TestServer server;
    ApiClient admin;
    TestSmsc smsc;
    int smscPort;
    /** Everything the SMSC got, in order (drained from its queue by {@link #awaitSubmitted}). */
    final List<TestSmsc.Submitted> got = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        smscPort = SmsTest.tcpPort();
        smsc = new TestSmsc(smscPort, SmsTest.SYSTEM_ID, SmsTest.SMPP_PASSWORD);
        gateway(null);
        await().atMost(Duration.ofSeconds(20)).until(() -> "bound".equals(admin.get("/api/v1/sms/settings").json().get("link").get("state").asText()));
    }

    @AfterAll
    void stop() {
        server.close();
        smsc.close();
    }

    void gateway(Integer dailyQuota) {
        Map<String, Object> in = new HashMap<>(Map.of("kind", "smpp", "host", "127.0.0.1", "port", smscPort, "systemId", SmsTest.SYSTEM_ID,
                "password", SmsTest.SMPP_PASSWORD, "sourceAddress", "10690002"));
        if (dailyQuota != null) in.put("dailyQuota", dailyQuota);
        var r = admin.put("/api/v1/sms/settings", in);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    /** The submit_sm to {@code dest}, waiting for it (the others the SMSC got meanwhile are kept for later calls). */
    TestSmsc.Submitted awaitSubmitted(String dest) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            for (TestSmsc.Submitted s : got) if (s.dest().equals(dest)) return s;
            long left = until - System.nanoTime();
            assertThat(left).as("an SMS to " + dest + " reaches the SMSC; it got " + got.stream().map(TestSmsc.Submitted::dest).toList()).isPositive();
            TestSmsc.Submitted s = smsc.submitted.poll(left, TimeUnit.NANOSECONDS);
            if (s != null) got.add(s);
        }
    }

    long campaign(String name, String mode, Map<String, Object> sms, Long trunk) {
        Map<String, Object> s = new HashMap<>();
        s.put("sms", sms);
        if (trunk != null) {
            s.put("trunkId", trunk);
            s.put("callerIds", List.of("4000100"));
            s.put("notification", Map.of("text", "您好"));
        }
        var r = admin.post("/api/v1/campaigns", Map.of("name", name, "mode", mode, "settings", s));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asLong();
    }

    void importRows(long id, String... rows) {
        String csv = "number,name,amount,date\n" + String.join("\n", rows) + "\n";
        var r = admin.upload("POST", "/api/v1/campaigns/" + id + "/contacts", "list.csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    void state(long id, String state) {
        var r = admin.post("/api/v1/campaigns/" + id + "/state", Map.of("state", state));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    Map<String, JsonNode> contacts(long id) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode c : admin.get("/api/v1/campaigns/" + id + "/contacts").json()) out.put(c.get("number").asText(), c);
        return out;
    }

    @Test
    void anSmsCampaignSendsEachNumberItsTextSkipsDoNotCallAndShowsEachNumbersSmsState() throws Exception {
        assertThat(admin.post("/api/v1/dnc", Map.of("number", "13700000009")).status()).isEqualTo(201);
        long id = campaign("sms-bills", "sms", Map.of("text", "{name}，您本期账单{amount}元，还款日{date}。{company}"), null);
        importRows(id, "13700000001,张三,120.50,12月20日", "13700000002,李四,88,12月21日", "13700000003,,5,12月22日");
        // on the do-not-call list after the import: skipped when its turn comes
        var dnc = admin.post("/api/v1/dnc", Map.of("number", "13700000003"));
        assertThat(dnc.status()).as(dnc.toString()).isEqualTo(201);
        state(id, "running");

        TestSmsc.Submitted one = awaitSubmitted("13700000001");
        assertThat(one.dataCoding()).as("UCS-2").isEqualTo((byte) 0x08);
        assertThat(one.source()).isEqualTo("10690002");
        String company = admin.get("/api/v1/branding").json().path("companyName").asText();
        assertThat(company).isNotBlank();
        assertThat(SmsText.decode(one.shortMessage(), one.dataCoding())).startsWith("张三，您本期账单120.50元，还款日12月20日。").endsWith(company);
        TestSmsc.Submitted two = awaitSubmitted("13700000002");
        assertThat(SmsText.decode(two.shortMessage(), two.dataCoding())).startsWith("李四，您本期账单88元，还款日12月21日。");

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<String, JsonNode> c = contacts(id);
            return "delivered".equals(c.get("13700000001").path("smsStatus").asText()) && "delivered".equals(c.get("13700000002").path("smsStatus").asText())
                    && "skipped".equals(c.get("13700000003").get("state").asText());
        });
        Map<String, JsonNode> c = contacts(id);
        assertThat(c.get("13700000001").get("state").asText()).isEqualTo("done");
        assertThat(c.get("13700000001").get("lastOutcome").asText()).isEqualTo("sms");
        assertThat(c.get("13700000003").get("smsId").isNull()).as("no SMS to a do-not-call number").isTrue();
        assertThat(got.stream().map(TestSmsc.Submitted::dest)).doesNotContain("13700000003");
        long sms = c.get("13700000001").get("smsId").asLong();
        JsonNode m = admin.get("/api/v1/sms/messages/" + sms).json();
        assertThat(m.get("kind").asText()).isEqualTo("campaign");
        assertThat(m.get("status").asText()).isEqualTo("delivered");
        assertThat(admin.get("/api/v1/sms/messages?kind=campaign").json().size()).isGreaterThanOrEqualTo(2);
        // the outcome is in the campaign's events like a call's
        assertThat(admin.get("/api/v1/campaigns/" + id + "/events").body()).contains("outcome=sms", "sms=" + sms, "reason=do_not_call");
        state(id, "stopped");
    }

    @Test
    void aDailyQuotaStopsAnSmsCampaignAndTheRestGoOnceItAllowsMore() throws Exception {
        long used = admin.get("/api/v1/sms/settings").json().get("usedToday").asLong();
        gateway((int) used + 2);
        try {
            long id = campaign("sms-quota", "sms", Map.of("text", "Hello {name}, your parcel is on its way."), null);
            importRows(id, "13600000001,Ann,,", "13600000002,Bob,,", "13600000003,Cid,,", "13600000004,Dee,,");
            state(id, "running");
            awaitSubmitted("13600000001");
            awaitSubmitted("13600000002");
            await().atMost(Duration.ofSeconds(20)).until(() -> admin.get("/api/v1/campaigns/" + id).json().path("live").path("reason").asText()
                    .contains("dailyQuota"));
            Map<String, JsonNode> c = contacts(id);
            assertThat(c.get("13600000003").get("state").asText()).as("left pending by the quota").isEqualTo("pending");
            assertThat(c.get("13600000004").get("state").asText()).isEqualTo("pending");
            assertThat(c.get("13600000003").get("smsId").isNull()).isTrue();
            assertThat(admin.get("/api/v1/sms/settings").json().get("usedToday").asLong()).as("the quota is not exceeded").isEqualTo(used + 2);
            assertThat(got.stream().map(TestSmsc.Submitted::dest)).doesNotContain("13600000003", "13600000004");

            gateway(null); // no limit: the rest go
            awaitSubmitted("13600000003");
            awaitSubmitted("13600000004");
            await().atMost(Duration.ofSeconds(20)).until(() -> contacts(id).values().stream().allMatch(x -> "done".equals(x.get("state").asText())));
            state(id, "stopped");
        } finally {
            gateway(null);
        }
    }

    @Test
    void aCallingCampaignSendsItsSmsAfterTheOutcomeItNamesOnly() throws Exception {
        // A disabled trunk: every attempt fails at once (no retries configured), so each number ends exhausted.
        var t = admin.post("/api/v1/trunks", Map.of("name", "down", "host", "127.0.0.1", "port", 9, "allowedIps", List.of(), "enabled", false));
        assertThat(t.status()).as(t.toString()).isEqualTo(201);
        long trunk = t.json().get("id").asLong();
        var tpl = admin.post("/api/v1/sms/templates", Map.of("name", "missed-you", "body", "{name}您好，{company}刚才未能联系上您，请回电。"));
        assertThat(tpl.status()).as(tpl.toString()).isEqualTo(201);
        long template = tpl.json().get("id").asLong();

        long busyOnly = campaign("sms-after-busy", "notification", Map.of("templateId", template, "on", List.of("busy")), trunk);
        importRows(busyOnly, "13500000001,王五,,");
        state(busyOnly, "running");
        await().atMost(Duration.ofSeconds(20)).until(() -> "exhausted".equals(contacts(busyOnly).get("13500000001").get("state").asText()));
        JsonNode none = contacts(busyOnly).get("13500000001");
        assertThat(none.get("lastOutcome").asText()).isEqualTo("failed");
        assertThat(none.get("smsId").isNull()).as("no SMS after an outcome the campaign does not name").isTrue();
        state(busyOnly, "stopped");

        long exhausted = campaign("sms-after-exhausted", "notification", Map.of("templateId", template, "on", List.of("exhausted")), trunk);
        importRows(exhausted, "13500000002,赵六,,");
        state(exhausted, "running");
        TestSmsc.Submitted s = awaitSubmitted("13500000002");
        assertThat(SmsText.decode(s.shortMessage(), s.dataCoding())).startsWith("赵六您好，").endsWith("刚才未能联系上您，请回电。");
        await().atMost(Duration.ofSeconds(30)).until(() -> "delivered".equals(contacts(exhausted).get("13500000002").path("smsStatus").asText()));
        JsonNode sent = contacts(exhausted).get("13500000002");
        assertThat(sent.get("state").asText()).isEqualTo("exhausted");
        assertThat(sent.get("lastOutcome").asText()).isEqualTo("failed");
        JsonNode m = admin.get("/api/v1/sms/messages/" + sent.get("smsId").asLong()).json();
        assertThat(m.get("templateId").asLong()).isEqualTo(template);
        assertThat(m.get("kind").asText()).isEqualTo("campaign");
        assertThat(got.stream().map(TestSmsc.Submitted::dest)).doesNotContain("13500000001");
        state(exhausted, "stopped");
    }

    /**
     * An answered call (a SIPp carrier answering the notification campaign's call, which plays its message and hangs up):
     * outcome answered, and the SMS the campaign names for answered reaches the SMSC with the list's columns filled in.
     */
    @Test
    void aCallingCampaignSendsItsSmsAfterAnAnsweredCall() throws Exception {
        Path dir = Files.createTempDirectory("campaign-sms");
        int carrier = Ports.free();
        var t = admin.post("/api/v1/trunks", Map.of("name", "carrier-sms", "host", "127.0.0.1", "port", carrier, "allowedIps", List.of()));
        assertThat(t.status()).as(t.toString()).isEqualTo(201);
        Map<String, String> vars = SipPeers.vars("x", "PAUSE", "500", "DTMFACTIONS", "", "AFTER", "30000", "FROMCHECK", "sip:4000100@");
        vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
        Sipp.Run far = Sipp.start(dir, "uas_answer_keys", vars, null, carrier, List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)),
                "-m", "1", "-recv_timeout", "60000", "-timeout", "120"));
        Sipp.awaitUdpBound(carrier);

        long id = campaign("sms-after-answered", "notification", Map.of("text", "{name}您好，感谢接听，账单金额{amount}元。", "on", List.of("answered")),
                t.json().get("id").asLong());
        importRows(id, "13500000004,孙八,66.5,");
        state(id, "running");
        TestSmsc.Submitted s = awaitSubmitted("13500000004");
        assertThat(SmsText.decode(s.shortMessage(), s.dataCoding())).isEqualTo("孙八您好，感谢接听，账单金额66.5元。");
        SipPeers.ok(far);
        await().atMost(Duration.ofSeconds(30)).until(() -> "delivered".equals(contacts(id).get("13500000004").path("smsStatus").asText()));
        JsonNode c = contacts(id).get("13500000004");
        assertThat(c.get("lastOutcome").asText()).isEqualTo("answered");
        JsonNode m = admin.get("/api/v1/sms/messages/" + c.get("smsId").asLong()).json();
        assertThat(m.get("kind").asText()).isEqualTo("campaign");
        state(id, "stopped");
    }

    /** The campaign's SMS outcome events' times, in order. */
    List<java.time.Instant> smsTimes(long id) {
        List<java.time.Instant> out = new ArrayList<>();
        for (JsonNode e : admin.get("/api/v1/campaigns/" + id + "/events").json()) {
            if (e.path("data").asText().contains("outcome=sms")) out.add(java.time.Instant.parse(e.get("at").asText()));
        }
        out.sort(null);
        return out;
    }

    /**
     * The rate of an SMS campaign (settings.sms.perMinute) spreads its messages; its SMS is changed while it runs through
     * {@code PUT /campaigns/{id}/sms}: the numbers after the change get the new text at the new rate.
     */
    @Test
    void anSmsCampaignsRateSpreadsItsMessagesAndItsTextIsChangedWhileItRuns() throws Exception {
        // 6 a minute: one at once, the next only 10 s later
        long id = campaign("sms-rate", "sms", Map.of("text", "First text {name}", "perMinute", 6), null);
        importRows(id, "13400000001,A1,,", "13400000002,A2,,", "13400000003,A3,,", "13400000004,A4,,");
        state(id, "running");
        TestSmsc.Submitted first = awaitSubmitted("13400000001");
        assertThat(SmsText.decode(first.shortMessage(), first.dataCoding())).isEqualTo("First text A1");
        assertThat(smsTimes(id)).as("6 a minute: one SMS in the first seconds").hasSize(1);
        assertThat(admin.get("/api/v1/campaigns/" + id).json().path("live").path("reason").asText()).contains("6 a minute");
        var changed = admin.put("/api/v1/campaigns/" + id + "/sms", Map.of("text", "Second text {name}", "perMinute", 60));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().at("/settings/sms/perMinute").asInt()).isEqualTo(60);
        assertThat(changed.json().get("state").asText()).isEqualTo("running");
        for (String n : List.of("13400000002", "13400000003", "13400000004")) {
            TestSmsc.Submitted s = awaitSubmitted(n);
            assertThat(SmsText.decode(s.shortMessage(), s.dataCoding())).as("after the change").startsWith("Second text A");
        }
        List<java.time.Instant> at = smsTimes(id);
        assertThat(at).hasSize(4);
        // 60 a minute: one a second; three messages span at least about two seconds (never faster than the rate)
        assertThat(Duration.between(at.get(1), at.get(3))).as(at.toString()).isGreaterThanOrEqualTo(Duration.ofMillis(1800));
        state(id, "stopped");
        assertThat(admin.put("/api/v1/campaigns/" + id + "/sms", Map.of("text", "x")).status()).as("a stopped campaign").isEqualTo(409);
    }

    @Test
    void aCampaignsSmsIsChangedThroughPutNamingTheFieldsItRefuses() {
        long smsCampaign = campaign("sms-edit", "sms", Map.of("text", "Hi {name}"), null);
        String path = "/api/v1/campaigns/" + smsCampaign + "/sms";
        SmsTest.assertField(admin.put(path, Map.of()), 400, "text");
        SmsTest.assertField(admin.put(path, Map.of("text", "a", "templateId", 1)), 400, "text");
        SmsTest.assertField(admin.put(path, Map.of("templateId", 999999)), 400, "templateId");
        SmsTest.assertField(admin.put(path, Map.of("text", "a", "on", List.of("answered"))), 400, "on");
        SmsTest.assertField(admin.put(path, Map.of("text", "a", "perMinute", 0)), 400, "perMinute");
        SmsTest.assertField(admin.put(path, Map.of("text", "a", "perMinute", 6001)), 400, "perMinute");
        SmsTest.assertField(admin.put(path, Map.of("text", "y".repeat(1001))), 400, "text");
        SmsTest.assertField(admin.post("/api/v1/campaigns", Map.of("name", "x-rate", "mode", "sms", "settings",
                Map.of("sms", Map.of("text", "a", "perMinute", 0)))), 400, "settings.sms.perMinute");
        var ok = admin.put(path, Map.of("text", "Hello again {name}", "perMinute", 300));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().at("/settings/sms/text").asText()).isEqualTo("Hello again {name}");
        assertThat(ok.json().at("/settings/sms/perMinute").asInt()).isEqualTo(300);

        long trunk = admin.get("/api/v1/trunks").json().get(0).get("id").asLong();
        long calling = campaign("sms-edit-calls", "notification", Map.of("text", "Sorry we missed you", "on", List.of("busy")), trunk);
        String callingPath = "/api/v1/campaigns/" + calling + "/sms";
        SmsTest.assertField(admin.put(callingPath, Map.of("text", "a", "on", List.of("ringing"))), 400, "on");
        SmsTest.assertField(admin.put(callingPath, Map.of("text", "a")), 400, "on");
        SmsTest.assertField(admin.put(callingPath, Map.of("text", "a", "on", List.of("busy"), "perMinute", 10)), 400, "perMinute");
        var tpl = admin.post("/api/v1/sms/templates", Map.of("name", "edit-tpl", "body", "{name}: we will call again."));
        long template = tpl.json().get("id").asLong();
        var changed = admin.put(callingPath, Map.of("templateId", template, "on", List.of("no_answer", "exhausted")));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        JsonNode sms = admin.get("/api/v1/campaigns/" + calling).json().at("/campaign/settings/sms");
        assertThat(sms.get("templateId").asLong()).isEqualTo(template);
        assertThat(sms.get("on").toString()).isEqualTo("[\"no_answer\",\"exhausted\"]");
        assertThat(admin.get("/api/v1/campaigns/" + calling).json().at("/campaign/settings/notification/text").asText())
                .as("the rest of the settings kept").isEqualTo("您好");
        var removed = admin.put(callingPath, Map.of());
        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        assertThat(removed.json().at("/settings/sms").isNull() || removed.json().at("/settings/sms").isMissingNode()).as("no SMS any more").isTrue();
        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", TestServer.DEMO_PASSWORD);
        assertThat(agent.put(path, Map.of("text", "a")).status()).isEqualTo(403);
    }

    @Test
    void badCampaignSmsSettingsAreRefusedNamingTheField() {
        SmsTest.assertField(admin.post("/api/v1/campaigns", Map.of("name", "x1", "mode", "sms", "settings", Map.of())), 400, "settings.sms");
        SmsTest.assertField(admin.post("/api/v1/campaigns", Map.of("name", "x2", "mode", "sms", "settings", Map.of("sms", Map.of()))), 400,
                "settings.sms.text");
        SmsTest.assertField(admin.post("/api/v1/campaigns", Map.of("name", "x3", "mode", "sms", "settings",
                Map.of("sms", Map.of("text", "a", "templateId", 1)))), 400, "settings.sms.text");
        SmsTest.assertField(admin.post("/api/v1/campaigns", Map.of("name", "x4", "mode", "sms", "settings",
                Map.of("sms", Map.of("templateId", 999999)))), 400, "settings.sms.templateId");
        SmsTest.assertField(admin.post("/api/v1/campaigns", Map.of("name", "x5", "mode", "sms", "settings",
                Map.of("sms", Map.of("text", "a", "on", List.of("answered"))))), 400, "settings.sms.on");
        long trunk = admin.get("/api/v1/trunks").json().get(0).get("id").asLong();
        SmsTest.assertField(admin.post("/api/v1/campaigns", Map.of("name", "x6", "mode", "notification", "settings",
                Map.of("trunkId", trunk, "callerIds", List.of("4000100"), "notification", Map.of("text", "hi"),
                        "sms", Map.of("text", "a", "on", List.of("ringing"))))), 400, "settings.sms.on");
        SmsTest.assertField(admin.post("/api/v1/campaigns", Map.of("name", "x7", "mode", "sms", "settings",
                Map.of("sms", Map.of("text", "y".repeat(1001))))), 400, "settings.sms.text");
        // an agent may not make campaigns at all
        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", TestServer.DEMO_PASSWORD);
        assertThat(agent.post("/api/v1/campaigns", Map.of("name", "x8", "mode", "sms", "settings", Map.of("sms", Map.of("text", "a")))).status())
                .isEqualTo(403);
    }
}
