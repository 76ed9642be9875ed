package dev.hotline.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.report.CallLogEvent;
import dev.hotline.report.EventLog;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * RPT-5 across a crash: a call out through a trunk whose server died mid-call (its events logged, no end) is closed as
 * system_restart at the next start and rated then, billed up to the last event logged before the crash; a trunk leg that
 * was never answered costs nothing; a further restart does not rate it twice.
 */
class BillingRestartTest {
    @Test
    void aCallCutByACrashIsRatedAtTheNextStart() throws Exception {
        Map<String, String> settings = Map.of("db.url", TestDatabases.migrated(TestDatabases.Kind.H2), "data.dir",
                Files.createTempDirectory("hotline-billing-restart").toString());
        Instant t = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.SECONDS);
        String range = "?from=" + t.minusSeconds(3600) + "&to=" + t.plusSeconds(3600);
        TestServer first = TestServer.start(TestDatabases.Kind.H2, settings);
        try {
            ApiClient admin = ApiClient.loggedIn(first.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
            long trunk = admin.post("/api/v1/trunks", Map.of("name", "carrier two", "host", "127.0.0.1", "port", 5999)).json().get("id").asLong();
            var table = admin.post("/api/v1/billing/rate-tables", Map.of("trunkId", trunk, "currency", "CNY", "rates",
                    List.of(Map.of("prefix", "0", "pricePerMinute", "0.60", "firstIncrement", 1, "increment", 1, "connectionFee", "0.05"))));
            assertThat(table.status()).as(table.toString()).isEqualTo(201);
            long e = admin.get("/api/v1/me").json().get("enterprise").get("id").asLong();
            EventLog log = first.hotline().eventLog();
            // What the router logs for extension 1003 calling 9 021 12345678 out through the trunk; the server dies while they talk.
            for (CallLogEvent ev : List.of(
                    new CallLogEvent.Arrived(e, "crash-1", t, "in-1", "outbound", "1003", "902112345678", null, "1003"),
                    new CallLogEvent.Dialing(e, "crash-1", t.plusMillis(20), "out-1", "trunk carrier two 02112345678"),
                    new CallLogEvent.Answered(e, "crash-1", t.plusSeconds(1), "out-1"),
                    new CallLogEvent.Answered(e, "crash-1", t.plusSeconds(1), "in-1"),
                    new CallLogEvent.Hold(e, "crash-1", t.plusSeconds(21), "in-1", true),
                    new CallLogEvent.Hold(e, "crash-1", t.plusSeconds(31), "in-1", false),
                    // another call whose trunk leg only rang
                    new CallLogEvent.Arrived(e, "crash-2", t, "in-2", "outbound", "1002", "902187654321", null, "1002"),
                    new CallLogEvent.Dialing(e, "crash-2", t.plusMillis(20), "out-2", "trunk carrier two 02187654321"))) {
                log.append(ev);
            }
            assertThat(log.flush(10, TimeUnit.SECONDS)).isTrue();
            assertThat(admin.get("/api/v1/billing/calls" + range).json().get("rows")).as("not rated before the call ends").isEmpty();
        } finally {
            first.close();
        }

        TestServer second = TestServer.start(TestDatabases.Kind.H2, settings);
        try {
            ApiClient admin = ApiClient.loggedIn(second.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
            JsonNode rows = admin.get("/api/v1/billing/calls" + range).json().get("rows");
            assertThat(rows).as(rows.toString()).hasSize(1);
            JsonNode c = rows.get(0);
            assertThat(c.get("callId").asText()).isEqualTo("crash-1");
            assertThat(c.get("trunk").asText()).isEqualTo("carrier two");
            assertThat(c.get("number").asText()).isEqualTo("02112345678");
            assertThat(c.get("talkSeconds").asInt()).as("up to the last event before the crash").isEqualTo(30);
            assertThat(c.get("billedSeconds").asInt()).isEqualTo(30);
            assertThat(c.get("amount").decimalValue()).isEqualByComparingTo("0.35"); // 0.05 + 0.60 × 30/60
            assertThat(c.get("agent").asText()).contains("Liu Yang");
        } finally {
            second.close();
        }
        TestServer third = TestServer.start(TestDatabases.Kind.H2, settings);
        try {
            ApiClient admin = ApiClient.loggedIn(third.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
            JsonNode total = admin.get("/api/v1/billing/totals" + range).json().get("total");
            assertThat(total.get("calls").asInt()).as("rated once").isEqualTo(1);
            assertThat(total.get("amount").decimalValue()).isEqualByComparingTo("0.35");
        } finally {
            third.close();
        }
    }
}
