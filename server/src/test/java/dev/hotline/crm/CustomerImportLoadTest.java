package dev.hotline.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * CRM-2 at size: a generated 100 000-row file with 1 % bad rows imports in the background while SIPp calls go through
 * the server and the API answers; every bad row is reported with its row and column, every good row is present.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomerImportLoadTest {
    static final int ROWS = 100_000;

    TestServer server;
    ApiClient admin;
    @TempDir
    Path work;

    @BeforeAll
    void start() {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        assertThat(admin.post("/api/v1/customer-fields", Map.of("key", "tier", "label", "Tier", "type", "single_choice",
                "options", List.of("gold", "silver", "bronze"), "required", true)).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/customer-fields", Map.of("key", "spend", "label", "Spend", "type", "number")).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/customer-fields", Map.of("key", "city", "label", "City", "type", "text")).status()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void aHundredThousandRowsImportWhileCallsGoOnAndEveryBadRowIsReported() throws Exception {
        StringBuilder csv = new StringBuilder("name,phones,Tier,Spend,City\n");
        Set<Integer> badRows = new TreeSet<>();
        Set<String> goodNames = new HashSet<>();
        String[] tiers = {"gold", "silver", "bronze"};
        for (int i = 0; i < ROWS; i++) {
            int row = i + 2; // the header is row 1
            String name = "Load " + i;
            String phone = "139" + String.format("%08d", i);
            String tier = tiers[i % 3];
            String spend = String.valueOf(i % 1000);
            if (i % 100 == 37) { // 1 %: each a different fault
                badRows.add(row);
                switch ((i / 100) % 4) {
                    case 0 -> tier = "platinum";
                    case 1 -> phone = "no-phone";
                    case 2 -> name = "";
                    default -> spend = "lots";
                }
            } else {
                goodNames.add(name);
            }
            csv.append(name).append(',').append(phone).append(',').append(tier).append(',').append(spend).append(",城市").append(i % 50).append('\n');
        }
        byte[] file = csv.toString().getBytes(StandardCharsets.UTF_8);

        // A phone for extension 1001 is listening before the import starts; calls from a carrier to DID 4010 go on while it runs.
        SipPeers peers = new SipPeers(work, server.hotline().engine().sipPort());
        int phonePort = Ports.free();
        peers.register("1001", TestServer.DEMO_PASSWORD, phonePort, "200");
        Sipp.Run callee = peers.uas("uas_answer", phonePort, SipPeers.vars("13800138000"));
        var submitted = admin.upload("POST", "/api/v1/customer-imports?onDuplicate=skip", "load.csv", file);
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
        long id = submitted.json().get("id").asLong();
        int calls = 0;
        long slowestApiMs = 0;
        while (true) {
            String state = admin.get("/api/v1/customer-imports/" + id + "?errors=0").json().get("state").asText();
            if (!state.equals("queued") && !state.equals("running")) break;
            if (calls > 0) {
                phonePort = Ports.free();
                peers.register("1001", TestServer.DEMO_PASSWORD, phonePort, "200");
                callee = peers.uas("uas_answer", phonePort, SipPeers.vars("13800138000"));
            }
            Sipp.Run caller = peers.uac("uac_call", "4010", SipPeers.vars("1370000" + String.format("%04d", calls), "PAUSE", "1000"));
            SipPeers.ok(caller);
            SipPeers.ok(callee);
            calls++;
            long t0 = System.nanoTime();
            assertThat(admin.get("/api/v1/customers/lookup?number=013900000001").status()).isEqualTo(200);
            slowestApiMs = Math.max(slowestApiMs, (System.nanoTime() - t0) / 1_000_000);
        }
        if (calls == 0) callee.kill();
        assertThat(calls).as("calls completed while the import ran").isGreaterThanOrEqualTo(1);

        JsonNode job = await().atMost(Duration.ofMinutes(5)).until(() -> admin.get("/api/v1/customer-imports/" + id + "?errors=10000").json(),
                j -> j.get("state").asText().equals("done"));
        assertThat(job.get("totalRows").asInt()).isEqualTo(ROWS);
        assertThat(job.get("processedRows").asInt()).isEqualTo(ROWS);
        assertThat(job.get("failedRows").asInt()).isEqualTo(badRows.size()).isEqualTo(ROWS / 100);
        assertThat(job.get("createdRows").asInt()).isEqualTo(goodNames.size());
        Set<Integer> reported = new TreeSet<>();
        for (JsonNode e : job.get("errors")) {
            reported.add(e.get("row").asInt());
            assertThat(e.get("column").asText()).isIn("Tier", "phones", "name", "Spend");
        }
        assertThat(reported).isEqualTo(badRows);

        // Every good row is there: the export of all customers holds each name once.
        var export = admin.getBytes("/api/v1/customers/export?format=csv");
        Set<String> exported = new HashSet<>();
        int lines = 0;
        String text = new String(export.body(), StandardCharsets.UTF_8).replace("\ufeff", "");
        for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(text))) {
            exported.add(r.get("name"));
            lines++;
        }
        assertThat(lines).isEqualTo(goodNames.size());
        assertThat(exported).isEqualTo(goodNames);
        assertThat(admin.get("/api/v1/customers/lookup?number=%2B8613900012345").json().findValuesAsText("name")).containsExactly("Load 12345");

        double seconds = Duration.between(Instant.parse(job.get("createdAt").asText()), Instant.parse(job.get("finishedAt").asText())).toMillis() / 1000.0;
        System.out.printf("CRM import: %d rows (%d bad) in %.1f s = %.0f rows/s; %d SIPp calls completed meanwhile; slowest lookup during the import %d ms%n",
                ROWS, badRows.size(), seconds, ROWS / seconds, calls, slowestApiMs);
    }
}
