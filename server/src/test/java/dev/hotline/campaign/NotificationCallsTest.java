package dev.hotline.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OUT-2 end to end: a notification campaign dials its list through its trunk (a SIPp carrier) with no agent signed in, plays
 * each number its message (TTS with the list's columns, amounts and dates through Say) and collects a key: 1 confirms, 2
 * refuses (each then hung up by the server), 0 asks for an agent and is queued to the campaign's queue, where the agent's
 * SIPp phone answers; a number that does not answer is retried per its outcome; a callee pressing nothing hears the message
 * {@code repeat} times. Results per number are in the list, the event log and the CSV/xlsx export.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationCallsTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static final String CALLER_ID = "02188887777";
    static final String TEXT = "{name}您好，您本期账单应还{amount:amount}，还款日{date:date}。确认请按1，拒绝请按2，转人工服务请按0。";
    TestServer server;
    ApiClient admin;
    ApiClient agent;
    SipPeers peers;
    Path dir;
    long agent1;
    long trunk;
    long queue;
    int carrier;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("notify");
        server = TestServer.start(TestDatabases.Kind.H2, Map.of("sip.default.enterprise", "demo"));
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        agent1 = agent.get("/api/v1/me").json().get("id").asLong();
        peers = new SipPeers(dir, server.hotline().engine().sipPort());
        carrier = Ports.free();
        var t = admin.post("/api/v1/trunks", Map.of("name", "carrier", "host", "127.0.0.1", "port", carrier, "allowedIps", List.of()));
        assertThat(t.status()).as(t.toString()).isEqualTo(201);
        trunk = t.json().get("id").asLong();
        for (JsonNode q : admin.get("/api/v1/queues").json()) if (q.get("name").asText().equals("support")) queue = q.get("id").asLong();
    }

    @AfterAll
    void stop() {
        server.close();
    }

    Sipp.Run farEnd(String scenario, int calls, String... kv) throws Exception {
        Map<String, String> vars = SipPeers.vars("x", kv);
        vars.put("ENGINE", "127.0.0.1:" + server.hotline().engine().sipPort());
        Sipp.Run run = Sipp.start(dir, scenario, vars, null, carrier, List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)),
                "-m", Integer.toString(calls), "-recv_timeout", "60000", "-timeout", "120"));
        Sipp.awaitUdpBound(carrier);
        return run;
    }

    /** A far end answering, pressing {@code key} after 1.5 s (during the message), then waiting for the server's BYE. */
    Sipp.Run pressing(String key, int afterMs) throws Exception {
        // The key's pcap without SipPeers.dtmf's pause after it: the server's BYE may come at once, while SIPp waits for it.
        String actions = key.isEmpty() ? "" : "<nop><action><exec play_pcap_audio=\"/usr/share/sip-tester/dtmf_2833_" + key + ".pcap\"/></action></nop>";
        return farEnd("uas_answer_keys", 1, "PAUSE", "1500", "DTMFACTIONS", actions, "AFTER", Integer.toString(afterMs),
                "FROMCHECK", "sip:" + CALLER_ID + "@");
    }

    Map<String, Object> campaign(String name, Map<String, Object> notification) {
        Map<String, Object> s = new HashMap<>();
        s.put("trunkId", trunk);
        s.put("callerIds", List.of(CALLER_ID));
        s.put("queueId", queue);
        s.put("ringSeconds", 15);
        s.put("maxAttempts", 3);
        s.put("retries", Map.of("no_answer", Map.of("times", 2, "afterMinutes", 60)));
        s.put("notification", notification);
        return Map.of("name", name, "mode", "notification", "settings", s);
    }

    void importRows(long id, String... rows) {
        String csv = "number,name,amount,date\n" + String.join("\n", rows) + "\n";
        var r = admin.upload("POST", "/api/v1/campaigns/" + id + "/contacts", "list.csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("imported").asInt()).isEqualTo(rows.length);
    }

    void state(long id, String state) {
        var r = admin.post("/api/v1/campaigns/" + id + "/state", Map.of("state", state));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    JsonNode contact(long id, String number) {
        for (JsonNode c : admin.get("/api/v1/campaigns/" + id + "/contacts").json()) {
            if (c.get("number").asText().equals(number)) return c;
        }
        throw new AssertionError("no contact " + number);
    }

    JsonNode awaitContact(long id, String number, String lastOutcome) {
        return await(number + " " + lastOutcome).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> contact(id, number), c -> lastOutcome.equals(c.path("lastOutcome").asText()) && !"dialling".equals(c.get("state").asText()));
    }

    String outcomeEvent(long id, String number) {
        return await("outcome event of " + number).atMost(Duration.ofSeconds(10)).until(() -> {
            for (JsonNode e : admin.get("/api/v1/campaigns/" + id + "/events").json()) {
                String d = e.get("data").asText();
                if (e.get("type").asText().equals("campaign_outcome") && d.contains("number=" + number + " ")) return d;
            }
            return null;
        }, d -> d != null);
    }

    /** One number through the campaign: paused, imported, running until its outcome. */
    JsonNode callOne(long id, String row, Sipp.Run far, String outcome) {
        if (admin.get("/api/v1/campaigns/" + id).json().get("campaign").get("state").asText().equals("running")) state(id, "paused");
        importRows(id, row);
        state(id, "running");
        JsonNode c = awaitContact(id, row.substring(0, row.indexOf(',')), outcome);
        SipPeers.ok(far);
        return c;
    }

    @Test
    void aNotificationCampaignPlaysItsMessageCollectsAKeyQueuesAgentRequestsAndExportsTheResults() throws Exception {
        // Bad settings: an unknown kind to say a column as, lines out of range; agent key with no queue.
        Map<String, Object> badSay = new HashMap<>(campaign("bad", Map.of("text", "{amount:money}", "repeat", 2)));
        var bad = admin.post("/api/v1/campaigns", badSay);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("settings.notification.text").contains("money");
        var badLines = admin.post("/api/v1/campaigns", campaign("bad", Map.of("text", "hello", "lines", 0)));
        assertThat(badLines.status()).isEqualTo(400);
        assertThat(badLines.body()).contains("settings.notification.lines");

        var made = admin.post("/api/v1/campaigns", campaign("reminder", Map.of("text", TEXT, "repeat", 2, "lines", 2,
                "keys", Map.of("1", "confirm", "2", "refuse", "0", "agent"))));
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        long id = made.json().get("id").asLong();

        // Key 1, no agent signed in at all: dialled, the message played, confirmed, hung up by the server.
        JsonNode confirmed = callOne(id, "13900000001,张三,120.50,2026-12-20", pressing("1", 20000), "answered");
        assertThat(confirmed.get("state").asText()).isEqualTo("done");
        assertThat(confirmed.get("answer").asText()).isEqualTo("confirm");
        assertThat(confirmed.get("answerKey").asText()).isEqualTo("1");
        assertThat(outcomeEvent(id, "13900000001")).contains("outcome=answered key=1 answer=confirm plays=1");

        // Key 2: refused.
        JsonNode refused = callOne(id, "13900000002,李四,88,2026-12-21", pressing("2", 20000), "answered");
        assertThat(refused.get("answer").asText()).isEqualTo("refuse");
        assertThat(outcomeEvent(id, "13900000002")).contains("key=2 answer=refuse");

        // Key 0: queued to the campaign's queue; agent1's registered SIPp phone answers; the callee hangs up after a while.
        int phonePort = Ports.free();
        Sipp.Run phone = peers.phone(phonePort);
        try {
            peers.register("1001", PW, phonePort, "200");
            assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
            assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
            JsonNode toAgent = callOne(id, "13900000003,王五,300,2026-12-22", pressing("0", 6000), "answered");
            assertThat(toAgent.get("answer").asText()).isEqualTo("agent");
            assertThat(outcomeEvent(id, "13900000003")).contains("key=0 answer=agent plays=1 queue=support");
            JsonNode rec = await("the agent took the call").atMost(Duration.ofSeconds(20)).until(() -> record("13900000003"),
                    r -> r != null && r.path("agentUserId").asLong() == agent1);
            assertThat(rec.get("direction").asText()).isEqualTo("outbound");
            assertThat(rec.get("queue").asText()).isEqualTo("support");
        } finally {
            phone.kill();
        }

        // No answer: rings the campaign's 15 s, pending again 60 min later (the no_answer retry).
        JsonNode unanswered = callOne(id, "13900000004,赵六,50,2026-12-23", farEnd("uas_ring_cancel", 1), "no_answer");
        assertThat(unanswered.get("state").asText()).isEqualTo("pending");
        assertThat(unanswered.path("answer").isNull()).isTrue();

        // No key at all: the message is played twice (repeat 2), then the server hangs up: reached, no answer.
        JsonNode silent = callOne(id, "13900000005,钱七,10,2026-12-24", pressing("", 60000), "answered");
        assertThat(silent.get("answer").asText()).isEqualTo("none");
        assertThat(outcomeEvent(id, "13900000005")).contains("key=none answer=none plays=2");

        // The results export: CSV (BOM, header, one row per number with the key, the answer and the list's columns) and xlsx.
        var csv = admin.get("/api/v1/campaigns/" + id + "/results?format=csv");
        assertThat(csv.status()).isEqualTo(200);
        String text = csv.body().replace("\uFEFF", "");
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new java.io.StringReader(text)).getRecords();
        Map<String, CSVRecord> byNumber = new HashMap<>();
        for (CSVRecord r : rows) byNumber.put(r.get("Number"), r);
        assertThat(byNumber).hasSize(5);
        assertThat(byNumber.get("13900000001").get("Answer")).isEqualTo("confirm");
        assertThat(byNumber.get("13900000001").get("Key")).isEqualTo("1");
        assertThat(byNumber.get("13900000001").get("amount")).isEqualTo("120.50");
        assertThat(byNumber.get("13900000002").get("Answer")).isEqualTo("refuse");
        assertThat(byNumber.get("13900000003").get("Answer")).isEqualTo("agent");
        assertThat(byNumber.get("13900000004").get("Last outcome")).isEqualTo("no_answer");
        assertThat(byNumber.get("13900000004").get("Answer")).isEmpty();
        assertThat(byNumber.get("13900000005").get("Answer")).isEqualTo("none");
        var xlsxFile = admin.getBytes("/api/v1/campaigns/" + id + "/results?format=xlsx&lang=zh");
        assertThat(xlsxFile.status()).isEqualTo(200);
        byte[] xlsx = xlsxFile.body();
        List<List<String>> sheet = new ArrayList<>();
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
            for (Row r : wb.getFirstSheet().read()) {
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < r.getCellCount(); i++) cells.add(r.getCell(i) == null ? "" : r.getCell(i).getText());
                sheet.add(cells);
            }
        }
        assertThat(sheet.get(0)).contains("号码", "按键", "答复", "amount");
        assertThat(sheet).anySatisfy(r -> assertThat(r).contains("13900000002", "2", "refuse"));
        assertThat(sheet).hasSize(6);
        assertThat(admin.get("/api/v1/campaigns/" + id + "/results?format=pdf").body()).contains("format");
    }

    JsonNode record(String callee) {
        for (JsonNode r : admin.get("/api/v1/calls?limit=500").json().path("items")) {
            if (callee.equals(r.path("callee").asText())) return r;
        }
        return null;
    }
}
