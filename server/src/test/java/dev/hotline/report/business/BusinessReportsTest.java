package dev.hotline.report.business;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * RPT-4 over HTTP: customers created through the API (then dated into a past week), tickets opened and moved through
 * the API; the customer, regional and ticket reports give exactly their numbers, per day in Asia/Shanghai and in UTC,
 * only the customers each user may see (CRM-3), and the CSV and xlsx exports carry the same numbers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BusinessReportsTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    /** 2026-11-01 to 2026-11-08 (exclusive) in Asia/Shanghai. */
    static final String WEEK_SH = "from=2026-10-31T16:00:00Z&to=2026-11-07T16:00:00Z&group=day&tz=Asia/Shanghai";
    static final String WEEK_UTC = "from=2026-11-01T00:00:00Z&to=2026-11-08T00:00:00Z&group=day&tz=UTC";
    TestServer server;
    ApiClient admin;
    ApiClient agent1;
    ApiClient agent2;

    @BeforeAll
    void start() {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        agent1 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        agent2 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", PW);
        assertThat(admin.post("/api/v1/customer-fields", Map.of("key", "city", "label", "City", "type", "text")).status()).isEqualTo(201);
        // A: Beijing landline, B: China Mobile, both Nov 2 (Shanghai); admin's own (private).
        customer(admin, "A", "010-12345678", "Beijing", "private", "2026-11-02T03:00:00Z");
        customer(admin, "B", "13800138000", "Hangzhou", "private", "2026-11-02T04:00:00Z");
        // C: Shenzhen landline at 01:00 on Nov 3 in Shanghai (still Nov 2 in UTC), D: China Unicom Nov 3; agent 1's own.
        customer(agent1, "C", "0755 1234 5678", "Shenzhen", "private", "2026-11-02T17:00:00Z");
        customer(agent1, "D", "13012345678", "Hangzhou", "private", "2026-11-03T05:00:00Z");
        // E: Shanghai landline Nov 5, no city; F: China Mobile, before the week; both shared with the enterprise.
        customer(admin, "E", "+86 21 1234 5678", "", "enterprise", "2026-11-05T02:00:00Z");
        customer(admin, "F", "13912345678", "Hangzhou", "enterprise", "2026-10-20T02:00:00Z");
    }

    @AfterAll
    void stop() {
        server.close();
    }

    void customer(ApiClient who, String name, String number, String city, String sharing, String createdAt) {
        Map<String, Object> fields = city.isEmpty() ? Map.of() : Map.of("city", city);
        var r = who.post("/api/v1/customers", Map.of("name", "Biz " + name, "phones", List.of(Map.of("number", number)), "fields", fields,
                "sharing", sharing));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        dated("customer", r.json().get("id").asLong(), createdAt);
    }

    /** Moves a row's creation into the past week (the API dates it now). */
    void dated(String table, long id, String at) {
        server.database().useHandle(h -> h.createUpdate("UPDATE " + table + " SET created_at = :at WHERE id = :id")
                .bind("at", Timestamp.from(Instant.parse(at))).bind("id", id).execute());
    }

    static Map<String, String> row(JsonNode r, String... keys) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : keys) m.put(k, r.get(k).isNull() ? null : r.get(k).asText());
        return m;
    }

    static List<String> days(JsonNode table) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : table.get("rows")) out.add(r.get("period").asText() + " " + r.get("newCustomers").asLong() + " " + r.get("customers").asLong());
        return out;
    }

    @Test
    void customerGrowthPerDayInTheZoneAndOnlyWhatEachUserMaySee() {
        JsonNode all = admin.get("/api/v1/reports/customers?" + WEEK_SH).json();
        assertThat(days(all)).containsExactly("2026-11-01 0 1", "2026-11-02 2 3", "2026-11-03 2 5", "2026-11-04 0 5", "2026-11-05 1 6",
                "2026-11-06 0 6", "2026-11-07 0 6");
        assertThat(all.at("/rows/1/growth").asDouble()).isEqualTo(2.0); // 2 new on 1 at the day's start
        assertThat(all.at("/rows/0/growth").asDouble()).isEqualTo(0.0);
        assertThat(row(all.get("total"), "newCustomers", "customers", "growth")).containsExactly(Map.entry("newCustomers", "5"),
                Map.entry("customers", "6"), Map.entry("growth", "5.0"));
        // In UTC, C (01:00 on Nov 3 in Shanghai) is on Nov 2.
        assertThat(days(admin.get("/api/v1/reports/customers?" + WEEK_UTC).json()).subList(1, 3)).containsExactly("2026-11-02 3 4", "2026-11-03 1 5");
        // Agent 1 sees their own C and D and the shared E and F; agent 2 only E and F.
        assertThat(days(agent1.get("/api/v1/reports/customers?" + WEEK_SH).json())).containsExactly("2026-11-01 0 1", "2026-11-02 0 1",
                "2026-11-03 2 3", "2026-11-04 0 3", "2026-11-05 1 4", "2026-11-06 0 4", "2026-11-07 0 4");
        assertThat(agent2.get("/api/v1/reports/customers?" + WEEK_SH).json().at("/total/customers").asLong()).isEqualTo(2);
        // Bad input names the field; the call reports' filters are none of these.
        assertThat(admin.get("/api/v1/reports/customers?" + WEEK_SH.replace("group=day", "group=year")).json().get("fieldErrors")
                .findValuesAsText("field")).contains("group");
        assertThat(admin.get("/api/v1/reports/customers?" + WEEK_SH + "&queue=sales").json().get("fieldErrors").findValuesAsText("field"))
                .contains("queue");
    }

    @Test
    void regionsByAreaCodeAndMobileCarrierOrByTheRegionFieldOfTheSettings() {
        assertThat(admin.put("/api/v1/reports/business-settings", Map.of("regionField", "")).status()).isEqualTo(200);
        JsonNode byPhone = admin.get("/api/v1/reports/customer-regions?" + WEEK_SH).json();
        List<String> got = new ArrayList<>();
        for (JsonNode r : byPhone.get("rows")) got.add(r.get("regionKey").asText() + " " + r.get("region").asText() + " " + r.get("customers").asLong()
                + " " + r.get("newCustomers").asLong());
        assertThat(got).containsExactly("mobile-cmcc Mobile (China Mobile) 2 1", "010 Beijing (010) 1 1", "021 Shanghai (021) 1 1",
                "0755 Shenzhen (0755) 1 1", "mobile-cucc Mobile (China Unicom) 1 1");
        assertThat(byPhone.at("/rows/0/share").asDouble()).isEqualTo(0.3333);
        assertThat(byPhone.at("/total/customers").asLong()).isEqualTo(6);
        assertThat(admin.get("/api/v1/reports/customer-regions?" + WEEK_SH + "&lang=zh").json().at("/rows/1/region").asText()).isEqualTo("北京（010）");

        // The region field: refused when unknown (400 naming it) or set by an agent (403); then the regions are its values.
        var bad = admin.put("/api/v1/reports/business-settings", Map.of("regionField", "nope"));
        assertThat(bad.json().get("fieldErrors").findValuesAsText("field")).as(bad.toString()).contains("regionField");
        assertThat(agent1.put("/api/v1/reports/business-settings", Map.of("regionField", "city")).status()).isEqualTo(403);
        assertThat(admin.put("/api/v1/reports/business-settings", Map.of("regionField", "city")).json().get("regionField").asText()).isEqualTo("city");
        try {
            assertThat(regions(admin, "")).containsExactly("field:Hangzhou 3", "field:Beijing 1", "field:Shenzhen 1", "unknown 1");
            assertThat(regions(agent1, "")).containsExactly("field:Hangzhou 2", "field:Shenzhen 1", "unknown 1");
            assertThat(regions(admin, "&regionBy=phone").get(0)).isEqualTo("mobile-cmcc 2");
        } finally {
            admin.put("/api/v1/reports/business-settings", Map.of("regionField", ""));
        }
        assertThat(admin.get("/api/v1/reports/customer-regions?" + WEEK_SH + "&regionBy=field").json().get("fieldErrors").findValuesAsText("field"))
                .contains("regionBy");
    }

    List<String> regions(ApiClient who, String extra) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : who.get("/api/v1/reports/customer-regions?" + WEEK_SH + extra).json().get("rows")) {
            out.add(r.get("regionKey").asText() + " " + r.get("customers").asLong());
        }
        return out;
    }

    @Test
    void ticketVolumesPerDayTypeAndStateAndTheExports() throws Exception {
        String complaint = null;
        String consultation = null;
        for (JsonNode t : admin.get("/api/v1/ticket-types").json()) {
            if (t.get("code").asText().equals("complaint")) complaint = t.get("name").asText();
            if (t.get("code").asText().equals("consultation")) consultation = t.get("name").asText();
        }
        long t1 = ticket("complaint", Map.of("category", "billing"), "2026-11-02T02:00:00Z");
        long t2 = ticket("complaint", Map.of("category", "billing"), "2026-11-02T06:00:00Z");
        ticket("consultation", Map.of("topic", "opening hours"), "2026-11-03T02:00:00Z");
        assertThat(agent1.post("/api/v1/tickets/" + t1 + "/status", Map.of("status", "in_progress")).status()).isEqualTo(200);
        var resolved = agent1.post("/api/v1/tickets/" + t2 + "/status", Map.of("status", "resolved"));
        assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);

        JsonNode t = agent1.get("/api/v1/reports/tickets?" + WEEK_SH).json();
        assertThat(t.get("rows")).hasSize(2);
        assertThat(row(t.at("/rows/0"), "period", "type", "opened", "new", "in_progress", "resolved", "stillOpen")).containsExactly(
                Map.entry("period", "2026-11-02"), Map.entry("type", complaint), Map.entry("opened", "2"), Map.entry("new", "0"),
                Map.entry("in_progress", "1"), Map.entry("resolved", "1"), Map.entry("stillOpen", "1"));
        assertThat(row(t.at("/rows/1"), "period", "type", "opened", "new", "stillOpen")).containsExactly(Map.entry("period", "2026-11-03"),
                Map.entry("type", consultation), Map.entry("opened", "1"), Map.entry("new", "1"), Map.entry("stillOpen", "1"));
        assertThat(t.at("/total/opened").asLong()).isEqualTo(3);

        // CSV (zh headers) and xlsx carry the same numbers.
        var csv = agent1.getBytes("/api/v1/reports/tickets?" + WEEK_SH + "&format=csv&lang=zh");
        assertThat(csv.status()).isEqualTo(200);
        String text = new String(csv.body(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("\ufeff时段,类型,新建工单");
        assertThat(text).contains("2026-11-02," + complaint + ",2,0,0,1,0,1,0,0,1", "total,,3,1,0,1,0,1,0,0,2");
        var xlsx = admin.getBytes("/api/v1/reports/customers?" + WEEK_SH + "&format=xlsx");
        assertThat(xlsx.contentType()).contains("spreadsheetml");
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx.body()))) {
            List<Row> rows = wb.getFirstSheet().read();
            assertThat(rows).hasSize(9); // header, 7 days, total
            assertThat(rows.get(0).getCellText(1)).isEqualTo("New customers");
            assertThat(rows.get(2).getCellText(0)).isEqualTo("2026-11-02");
            assertThat(rows.get(2).getCellAsNumber(1).orElseThrow().intValue()).isEqualTo(2);
            assertThat(rows.get(2).getCellAsNumber(2).orElseThrow().intValue()).isEqualTo(3);
            assertThat(rows.get(8).getCellAsNumber(2).orElseThrow().intValue()).isEqualTo(6);
        }
        // Another enterprise sees none of it.
        ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", PW);
        assertThat(operator.post("/api/v1/enterprises", Map.of("code", "bizrpt", "name", "Biz Rpt", "adminUsername", "boss",
                "adminPassword", "bizrpt-pass-1")).status()).isEqualTo(201);
        ApiClient other = ApiClient.loggedIn(server.baseUrl(), "bizrpt", "boss", "bizrpt-pass-1");
        assertThat(other.get("/api/v1/reports/tickets?" + WEEK_SH).json().at("/total/opened").asLong()).isZero();
        assertThat(other.get("/api/v1/reports/customers?" + WEEK_SH).json().at("/total/customers").asLong()).isZero();
    }

    long ticket(String type, Map<String, Object> form, String createdAt) {
        var r = agent1.post("/api/v1/tickets", Map.of("type", type, "title", "Biz " + type, "form", form));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        long id = r.json().get("id").asLong();
        dated("ticket", id, createdAt);
        return id;
    }
}
