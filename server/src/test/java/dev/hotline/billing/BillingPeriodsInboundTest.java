package dev.hotline.billing;

import static dev.hotline.testing.Chromium.tid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.Chromium;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * RPT-5, rates by time of day and day of week, and costs of inbound trunk calls, end to end. The enterprise's time zone is
 * Pacific/Kiritimati (UTC+14, the monitor's setting); the trunk "carrier" has an outbound table whose period "peak" runs
 * every day from two hours before to two hours after the time of the test there (far from the test's own zone), and an
 * inbound table for the toll-free numbers 400… with the same period. SIPp calls: extension 1003 dials out three numbers
 * (one per rule: a period's rate of the same prefix, a period's rate of a shorter prefix, a longer prefix for any time that
 * still wins), a caller calls in to 4008001234 through the carrier (rated inbound) and to a number of another trunk without
 * an inbound table (not billed). The bill, the totals by direction and trunk, the CSV export, a re-rate in the server's zone
 * (every call off-peak then), the 400s naming the field and 409s, the console page in en and zh, and a call that runs from
 * the peak into off-peak billed per period.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BillingPeriodsInboundTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static final ZoneId KIRITIMATI = ZoneId.of("Pacific/Kiritimati");

    TestServer server;
    ApiClient admin;
    int sipPort;
    int carrier;
    long trunkId;
    long otherTrunkId;
    long outboundTable;
    String range;
    Map<String, Object> peak;
    @TempDir
    Path work;

    @BeforeAll
    void start() throws Exception {
        server = TestServer.start();
        sipPort = server.hotline().engine().sipPort();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        carrier = Ports.free();
        var trunk = admin.post("/api/v1/trunks", Map.of("name", "carrier", "host", "127.0.0.1", "port", carrier, "allowedIps", List.of()));
        assertThat(trunk.status()).as(trunk.toString()).isEqualTo(201);
        trunkId = trunk.json().get("id").asLong();
        var other = admin.post("/api/v1/trunks", Map.of("name", "other", "host", "127.0.0.1", "port", Ports.free(), "allowedIps", List.of()));
        assertThat(other.status()).as(other.toString()).isEqualTo(201);
        otherTrunkId = other.json().get("id").asLong();
        assertThat(admin.post("/api/v1/outbound-routes", Map.of("name", "national", "prefix", "9", "stripDigits", 1, "trunkId", trunkId,
                "priority", 10)).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4008001234", "trunkId", trunkId, "destinationType", "queue",
                "destination", "support")).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4009990000", "trunkId", otherTrunkId, "destinationType", "queue",
                "destination", "support")).status()).isEqualTo(201);
        var zone = admin.put("/api/v1/settings/monitor", Map.of("timeZone", KIRITIMATI.getId()));
        assertThat(zone.status()).as(zone.toString()).isEqualTo(200);
        LocalTime there = LocalTime.now(KIRITIMATI);
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
        peak = Map.of("name", "peak", "days", List.of(1, 2, 3, 4, 5, 6, 7), "from", there.minusHours(2).format(hhmm), "to",
                there.plusHours(2).format(hhmm));
        Instant now = Instant.now();
        range = "from=" + now.truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS) + "&to=" + now.truncatedTo(ChronoUnit.HOURS).plus(2, ChronoUnit.HOURS);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    static Map<String, Object> rate(String prefix, String period, String price, int first, int increment, String fee) {
        Map<String, Object> r = BillingCallsTest.rate(prefix, price, first, increment, fee);
        if (period != null) r.put("period", period);
        return r;
    }

    static Map<String, Object> table(Object trunk, String direction, List<?> periods, List<?> rates) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("trunkId", trunk);
        if (direction != null) t.put("direction", direction);
        t.put("currency", "CNY");
        t.put("periods", periods);
        t.put("rates", rates);
        return t;
    }

    JsonNode exact(ApiClient.Response r) throws Exception {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return BillingCallsTest.EXACT.readTree(r.body());
    }

    @Test
    @Order(1)
    void badTablesAreRefusedNamingTheFieldAndOneTablePerTrunkAndDirection() {
        var bad = admin.post("/api/v1/billing/rate-tables", table(trunkId, "sideways",
                List.of(Map.of("name", "peak", "days", List.of(0, 8), "from", "25:00", "to", "7"), Map.of("name", "peak", "days", List.of(1),
                        "from", "08:00", "to", "09:00")),
                List.of(rate("1", "nope", "0.1", 60, 60, "0"), rate("2", null, "0.1", 60, 60, "0"), rate("2", null, "0.2", 60, 60, "0"))));
        assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
        assertThat(bad.body()).contains("\"direction\"", "\"periods[0].days\"", "\"periods[0].from\"", "\"periods[0].to\"",
                "\"periods[1].name\"", "\"rates[0].period\"", "\"rates[2].prefix\"");
        assertThat(admin.get("/api/v1/billing/rate-tables").json()).isEmpty();

        var out = admin.post("/api/v1/billing/rate-tables", table(trunkId, null, List.of(peak), List.of(
                rate("138", null, "0.12", 6, 6, "0.10"), rate("138", "peak", "0.60", 6, 6, "0.10"), rate("1", "peak", "0.45", 60, 60, "0"),
                rate("1", null, "0.30", 60, 60, "0"), rate("139", null, "0.20", 60, 60, "0"))));
        assertThat(out.status()).as(out.toString()).isEqualTo(201);
        assertThat(out.json().get("direction").asText()).isEqualTo("outbound");
        assertThat(out.json().get("periods").get(0).get("name").asText()).isEqualTo("peak");
        outboundTable = out.json().get("id").asLong();
        // Inbound calls of the same trunk: a table of their own; a second one for the same direction is a conflict.
        var in = admin.post("/api/v1/billing/rate-tables", table(trunkId, "inbound", List.of(peak), List.of(
                rate("400", null, "0.20", 6, 6, "0"), rate("400", "peak", "0.50", 6, 6, "0"))));
        assertThat(in.status()).as(in.toString()).isEqualTo(201);
        assertThat(in.json().get("direction").asText()).isEqualTo("inbound");
        var twice = admin.post("/api/v1/billing/rate-tables", table(trunkId, "inbound", List.of(), List.of()));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.body()).contains("inbound calls already");
        var twiceOut = admin.post("/api/v1/billing/rate-tables", table(trunkId, "outbound", List.of(), List.of()));
        assertThat(twiceOut.status()).isEqualTo(409);
        assertThat(admin.get("/api/v1/billing/totals?by=sideways&" + range).body()).contains("\"by\"");
    }

    /** Extension 1003 dials {@code dialled}; the carrier answers and hangs up after 2.5 s. */
    void callOut(String dialled) throws Exception {
        SipPeers p = new SipPeers(work, sipPort);
        p.register("1003", PW, Ports.free(), "200");
        Sipp.Run far = p.uas("uas_bye", carrier, SipPeers.vars("1003", "PAUSE", "2500"));
        Sipp.Run caller = p.uac("uac_auth_wait_bye", dialled, SipPeers.vars("1003"), "-au", "1003", "-ap", PW);
        SipPeers.ok(caller);
        SipPeers.ok(far);
    }

    @Test
    @Order(2)
    void callsArePricedByThePeriodOfTheirAnswerInTheEnterprisesZoneAndInboundTrunkCallsCost() throws Exception {
        callOut("913800138002"); // 138 of the period: 0.10 + 0.60 × 6/60
        callOut("915900001111"); // 1 of the period (no longer prefix matches): 0.45 a minute
        callOut("913900001111"); // 139 for any time beats 1 of the period: 0.20 a minute
        SipPeers peers = new SipPeers(work, sipPort);
        SipPeers.ok(peers.uac("uac_call", "4008001234", SipPeers.vars("13900000301", "PAUSE", "3000"))); // toll-free, in peak: 0.50 × 6/60
        SipPeers.ok(peers.uac("uac_call", "4009990000", SipPeers.vars("13900000302", "PAUSE", "1500"))); // trunk "other": no inbound table

        JsonNode bill = await("four calls billed").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> exact(admin.get("/api/v1/billing/calls?" + range)), b -> b.get("rows").size() >= 4);
        assertThat(server.hotline().eventLog().flush(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        bill = exact(admin.get("/api/v1/billing/calls?" + range));
        assertThat(bill.get("rows")).as(bill.toString()).hasSize(4);
        Map<String, JsonNode> byNumber = new HashMap<>();
        bill.get("rows").forEach(r -> byNumber.put(r.get("number").asText(), r));
        assertThat(byNumber).containsOnlyKeys("13800138002", "15900001111", "13900001111", "4008001234");
        check(byNumber.get("13800138002"), "outbound", "138", "peak", 6, "0.1600");
        check(byNumber.get("15900001111"), "outbound", "1", "peak", 60, "0.4500");
        check(byNumber.get("13900001111"), "outbound", "139", null, 60, "0.2000");
        JsonNode toll = byNumber.get("4008001234");
        check(toll, "inbound", "400", "peak", 6, "0.0500");
        assertThat(toll.get("trunk").asText()).isEqualTo("carrier");
        assertThat(toll.get("talkSeconds").asInt()).as("the caller hung up 3 s after the answer").isBetween(3, 6);
        BillingCallsTest.money(bill.get("total").get("amount"), "0.8600");

        Map<String, JsonNode> byDirection = new HashMap<>();
        exact(admin.get("/api/v1/billing/totals?by=direction&" + range)).get("rows").forEach(r -> byDirection.put(r.get("name").asText(), r));
        assertThat(byDirection).containsOnlyKeys("outbound", "inbound");
        assertThat(byDirection.get("outbound").get("calls").asInt()).isEqualTo(3);
        BillingCallsTest.money(byDirection.get("outbound").get("amount"), "0.8100");
        assertThat(byDirection.get("inbound").get("calls").asInt()).isEqualTo(1);
        BillingCallsTest.money(byDirection.get("inbound").get("amount"), "0.0500");
        JsonNode trunks = exact(admin.get("/api/v1/billing/totals?by=trunk&" + range));
        assertThat(trunks.get("rows")).hasSize(1);
        BillingCallsTest.money(trunks.get("rows").get(0).get("amount"), "0.8600");

        // The CSV export carries the direction and the period (Chinese headers).
        var csv = admin.getBytes("/api/v1/billing/calls?" + range + "&format=csv&lang=zh");
        assertThat(csv.status()).isEqualTo(200);
        String text = new String(csv.body(), StandardCharsets.UTF_8).substring(1);
        List<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new InputStreamReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8)).getRecords();
        assertThat(records).anySatisfy(r -> {
            assertThat(r.get("号码")).isEqualTo("4008001234");
            assertThat(r.get("方向")).isEqualTo("inbound");
            assertThat(r.get("时段")).isEqualTo("peak");
        });

        // In the server's zone (the enterprise's zone cleared) the test's hour is far from the peak: rated again, all off-peak.
        assertThat(admin.put("/api/v1/settings/monitor", Map.of()).status()).isEqualTo(200);
        var rerate = admin.post("/api/v1/billing/rerate", Map.of("from", range.split("&")[0].substring(5), "to", range.split("&to=")[1]));
        assertThat(rerate.status()).as(rerate.toString()).isEqualTo(200);
        assertThat(rerate.json().get("rerated").asInt()).isEqualTo(4);
        byNumber.clear();
        exact(admin.get("/api/v1/billing/calls?" + range)).get("rows").forEach(r -> byNumber.put(r.get("number").asText(), r));
        check(byNumber.get("13800138002"), "outbound", "138", null, 6, "0.1120");
        check(byNumber.get("15900001111"), "outbound", "1", null, 60, "0.3000");
        check(byNumber.get("13900001111"), "outbound", "139", null, 60, "0.2000");
        check(byNumber.get("4008001234"), "inbound", "400", null, 6, "0.0200");
        byDirection.clear();
        exact(admin.get("/api/v1/billing/totals?by=direction&" + range)).get("rows").forEach(r -> byDirection.put(r.get("name").asText(), r));
        BillingCallsTest.money(byDirection.get("outbound").get("amount"), "0.6120");
        BillingCallsTest.money(byDirection.get("inbound").get("amount"), "0.0200");
        // Back in the enterprise's zone for the page.
        assertThat(admin.put("/api/v1/settings/monitor", Map.of("timeZone", KIRITIMATI.getId())).status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/billing/rerate", Map.of("from", range.split("&")[0].substring(5), "to", range.split("&to=")[1]))
                .status()).isEqualTo(200);
    }

    static void check(JsonNode row, String direction, String prefix, String period, int billed, String amount) {
        assertThat(row.get("direction").asText()).as(row.toString()).isEqualTo(direction);
        assertThat(row.get("prefix").asText()).as(row.toString()).isEqualTo(prefix);
        if (period == null) assertThat(row.get("period").isNull()).as(row.toString()).isTrue();
        else assertThat(row.get("period").asText()).as(row.toString()).isEqualTo(period);
        assertThat(row.get("billedSeconds").asInt()).as(row.toString()).isEqualTo(billed);
        BillingCallsTest.money(row.get("amount"), amount);
    }

    @Test
    @Order(3)
    void theConsoleShowsDirectionsAndPeriodsAndEditsPeriodsInEnglishAndChinese() {
        try (Chromium chrome = Chromium.start()) {
            ChromeDriver page = chrome.driver();
            WebDriverWait wait = chrome.waitAtMost(Duration.ofSeconds(15));
            chrome.signInEnglish(server.baseUrl(), "demo", "admin", PW);
            wait.until(d -> !d.findElements(tid("nav-billing")).isEmpty());
            page.findElement(tid("nav-billing")).click();
            wait.until(d -> BillingCallsTest.cell(d, "billing-total", "amount").equals("0.86"));
            new Select(page.findElement(tid("billing-by"))).selectByValue("direction");
            wait.until(d -> d.findElements(tid("billing-row")).size() == 2);
            assertThat(page.findElements(tid("billing-row")).stream().map(WebElement::getText).toList())
                    .anySatisfy(r -> assertThat(r).contains("Outbound", "0.81"))
                    .anySatisfy(r -> assertThat(r).contains("Inbound", "0.05"));

            page.findElement(tid("billing-tab-calls")).click();
            wait.until(d -> d.findElements(tid("billing-row")).size() == 4);
            assertThat(page.findElements(tid("billing-row")).stream().map(WebElement::getText).toList())
                    .anySatisfy(r -> assertThat(r).contains("Inbound", "4008001234", "400", "peak", "0.05"));
            assertThat(page.findElement(By.cssSelector("[data-testid='billing-table'] th[data-col='period']")).getText()).isEqualTo("Period");

            page.findElement(tid("billing-tab-rates")).click();
            String inbound = "[data-testid='rate-table'][data-direction='inbound']";
            String outbound = "[data-testid='rate-table'][data-direction='outbound']";
            wait.until(d -> !d.findElements(By.cssSelector(inbound)).isEmpty());
            assertThat(page.findElement(By.cssSelector(inbound + " [data-testid='rate-table-direction']")).getText()).isEqualTo("Inbound");
            assertThat(page.findElement(By.cssSelector(outbound + " [data-testid='rate-period'][data-period='peak']")).getText())
                    .startsWith("peak Mon Tue Wed Thu Fri Sat Sun");
            assertThat(page.findElement(By.cssSelector(outbound + " [data-testid='rate-row'][data-prefix='138'][data-period='peak'] [data-col='price']"))
                    .getText()).isEqualTo("0.60");
            assertThat(page.findElement(By.cssSelector(outbound + " [data-testid='rate-row'][data-prefix='138'][data-period=''] [data-col='period']"))
                    .getText()).isEqualTo("Any time");
            chrome.screenshot("billing-periods-en");

            // A period without days is refused beside it, in the page's language; then saved with the weekend's days.
            addPeriodWithoutDays(page, wait, outbound);
            wait.until(d -> d.findElement(tid("period-days-error-1")).getText().equals("Choose at least one day"));
            page.findElement(By.cssSelector("[data-testid='rate-form'] .modal-foot .btn:not(.btn-primary)")).click();
            page.findElement(tid("lang-zh")).click();
            wait.until(d -> d.findElement(By.cssSelector(inbound + " [data-testid='rate-table-direction']")).getText().equals("呼入"));
            addPeriodWithoutDays(page, wait, outbound);
            wait.until(d -> d.findElement(tid("period-days-error-1")).getText().equals("至少选择一天"));
            BillingCallsTest.click(page, "period-day-1-6");
            BillingCallsTest.click(page, "period-day-1-7");
            new Select(page.findElement(tid("rate-period-0"))).selectByValue("weekend");
            BillingCallsTest.click(page, "rate-save");
            wait.until(d -> d.findElements(tid("rate-form")).isEmpty());
            page.findElement(tid("lang-en")).click();
            assertThat(chrome.scriptErrors()).as("errors in the browser console").isEmpty();
        }
        JsonNode saved = admin.get("/api/v1/billing/rate-tables/" + outboundTable).json();
        assertThat(saved.get("periods")).hasSize(2);
        assertThat(saved.get("periods").get(1).get("name").asText()).isEqualTo("weekend");
        assertThat(saved.get("periods").get(1).get("days").toString()).isEqualTo("[6,7]");
        assertThat(saved.toString()).contains("\"period\":\"weekend\"");
    }

    @Test
    @Order(4)
    void aCallThatRunsFromThePeakIntoOffPeakIsBilledPerPeriod() throws Exception {
        // Extension 1003 registered; the carrier's far end (it hangs up 8 s after its answer) starts just before the call.
        SipPeers p = new SipPeers(work, sipPort);
        p.register("1003", PW, Ports.free(), "200");
        // The peak now ends at the next whole minute B at least 9 s ahead (in Kiritimati, the enterprise's zone); rates per second.
        Instant boundary = Instant.now().plusSeconds(9).truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
        Map<String, Object> shortPeak = Map.of("name", "peak", "days", List.of(1, 2, 3, 4, 5, 6, 7), "from",
                boundary.minus(2, ChronoUnit.HOURS).atZone(KIRITIMATI).format(hhmm), "to", boundary.atZone(KIRITIMATI).format(hhmm));
        var put = admin.put("/api/v1/billing/rate-tables/" + outboundTable, table(trunkId, "outbound", List.of(shortPeak), List.of(
                rate("138", null, "0.12", 1, 1, "0"), rate("138", "peak", "0.60", 1, 1, "0.10"))));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        // 1003 calls 138… 5 s before B.
        await("5 s before " + boundary).atMost(Duration.ofSeconds(75)).pollInterval(Duration.ofMillis(50))
                .until(() -> !Instant.now().isBefore(boundary.minusSeconds(5)));
        // Started only now: SIPp quits after its global -timeout (30 s), and the wait above can be longer.
        Sipp.Run far = p.uas("uas_bye", carrier, SipPeers.vars("1003", "PAUSE", "8000"));
        Sipp.Run caller = p.uac("uac_auth_wait_bye", "913800138077", SipPeers.vars("1003"), "-au", "1003", "-ap", PW);
        SipPeers.ok(caller);
        SipPeers.ok(far);

        JsonNode row = await("the call billed").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(
                () -> rowOf(exact(admin.get("/api/v1/billing/calls?" + range)), "13800138077"), r -> r != null);
        Instant answered = Instant.parse(row.get("answeredAt").asText());
        int talk = row.get("talkSeconds").asInt();
        assertThat(answered).as("answered before the peak's end " + boundary + " (a loaded machine?)").isBefore(boundary);
        // Every second begun before B at the peak's 0.60, the rest at 0.12; the fee of the answer's (peak) rate once.
        int peakSeconds = (int) ((Duration.between(answered, boundary).toNanos() + 999_999_999L) / 1_000_000_000L);
        int offPeakSeconds = talk - peakSeconds;
        assertThat(offPeakSeconds).as(row.toString()).isPositive();
        BigDecimal peakAmount = new BigDecimal("0.60").multiply(BigDecimal.valueOf(peakSeconds))
                .divide(BigDecimal.valueOf(60), 4, RoundingMode.HALF_UP);
        BigDecimal offAmount = new BigDecimal("0.12").multiply(BigDecimal.valueOf(offPeakSeconds))
                .divide(BigDecimal.valueOf(60), 4, RoundingMode.HALF_UP);
        String parts = "peak/138 " + peakSeconds + " s × 0.6000 = " + peakAmount.toPlainString() + "; 138 " + offPeakSeconds + " s × 0.1200 = "
                + offAmount.toPlainString();
        check(row, "outbound", "138", "peak", talk, new BigDecimal("0.10").add(peakAmount).add(offAmount).toPlainString());
        assertThat(row.get("periodParts").asText()).isEqualTo(parts);

        // The same after a re-rate, and in the CSV export (Chinese headers).
        var rerate = admin.post("/api/v1/billing/rerate", Map.of("from", range.split("&")[0].substring(5), "to", range.split("&to=")[1]));
        assertThat(rerate.status()).as(rerate.toString()).isEqualTo(200);
        JsonNode again = rowOf(exact(admin.get("/api/v1/billing/calls?" + range)), "13800138077");
        assertThat(again.get("periodParts").asText()).isEqualTo(parts);
        BillingCallsTest.money(again.get("amount"), row.get("amount").decimalValue().toPlainString());
        var csv = admin.getBytes("/api/v1/billing/calls?" + range + "&format=csv&lang=zh");
        String text = new String(csv.body(), StandardCharsets.UTF_8).substring(1);
        List<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new InputStreamReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8)).getRecords();
        assertThat(records).anySatisfy(r -> {
            assertThat(r.get("号码")).isEqualTo("13800138077");
            assertThat(r.get("分时段计费")).isEqualTo(parts);
        });
    }

    static JsonNode rowOf(JsonNode bill, String number) {
        for (JsonNode r : bill.get("rows")) if (r.get("number").asText().equals(number)) return r;
        return null;
    }

    /** Opens the outbound table's form, adds a period "weekend" and unticks all its days, and saves. */
    static void addPeriodWithoutDays(ChromeDriver page, WebDriverWait wait, String table) {
        WebElement edit = page.findElement(By.cssSelector(table + " [data-testid='rate-edit']"));
        page.executeScript("arguments[0].scrollIntoView({block: 'center'})", edit);
        edit.click();
        wait.until(d -> !d.findElements(tid("period-add")).isEmpty());
        BillingCallsTest.click(page, "period-add");
        wait.until(d -> !d.findElements(tid("period-name-1")).isEmpty());
        page.findElement(tid("period-name-1")).sendKeys("weekend");
        for (int day = 1; day <= 5; day++) BillingCallsTest.click(page, "period-day-1-" + day);
        BillingCallsTest.click(page, "rate-save");
    }
}
