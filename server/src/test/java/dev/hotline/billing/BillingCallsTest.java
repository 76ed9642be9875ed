package dev.hotline.billing;

import static dev.hotline.testing.Chromium.tid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.Chromium;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * RPT-5 end to end: extensions of the demo enterprise call out through a trunk to a SIPp carrier that answers and hangs up
 * after 2.5 s; the calls are rated when they end, and the charges, the totals by enterprise, department, agent and trunk,
 * the CSV and xlsx exports and re-rating are checked exactly over HTTP; bad input is a 400 naming the field, an agent gets
 * 403, another enterprise sees nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BillingCallsTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    /** Money read exactly: decimals as BigDecimal, never through a double. */
    static final ObjectMapper EXACT = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    TestServer server;
    ApiClient admin;
    int sipPort;
    int carrier;
    long trunkId;
    long tableId;
    String range;
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
        var route = admin.post("/api/v1/outbound-routes", Map.of("name", "national", "prefix", "9", "stripDigits", 1, "trunkId", trunkId,
                "priority", 10));
        assertThat(route.status()).as(route.toString()).isEqualTo(201);
        Instant now = Instant.now();
        range = "from=" + now.truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS) + "&to=" + now.truncatedTo(ChronoUnit.HOURS).plus(2, ChronoUnit.HOURS);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    SipPeers peers() {
        return new SipPeers(work, sipPort);
    }

    /** Extension {@code ext} dials {@code dialled}; the carrier answers and hangs up after 2.5 s. */
    void callOut(String ext, String dialled) throws Exception {
        SipPeers p = peers();
        p.register(ext, PW, Ports.free(), "200");
        Sipp.Run far = p.uas("uas_bye", carrier, SipPeers.vars(ext, "PAUSE", "2500"));
        Sipp.Run caller = p.uac("uac_auth_wait_bye", dialled, SipPeers.vars(ext), "-au", ext, "-ap", PW);
        SipPeers.ok(caller);
        SipPeers.ok(far);
    }

    static Map<String, Object> rate(String prefix, String price, int first, int increment, String fee) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("prefix", prefix);
        r.put("pricePerMinute", new BigDecimal(price));
        r.put("firstIncrement", first);
        r.put("increment", increment);
        r.put("connectionFee", new BigDecimal(fee));
        return r;
    }

    JsonNode exact(ApiClient.Response r) throws Exception {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return EXACT.readTree(r.body());
    }

    JsonNode bill() throws Exception {
        return exact(admin.get("/api/v1/billing/calls?" + range));
    }

    /** The rows of a table by their key column. */
    static Map<String, JsonNode> rowsBy(JsonNode table, String key) {
        Map<String, JsonNode> m = new HashMap<>();
        table.get("rows").forEach(r -> m.put(r.get(key).asText(), r));
        return m;
    }

    static void money(JsonNode value, String expected) {
        assertThat(value.isBigDecimal()).as("money is an exact decimal: " + value).isTrue();
        assertThat(value.decimalValue()).isEqualByComparingTo(expected);
    }

    @Test
    @Order(1)
    void outboundCallsAreRatedWhenTheyEndAndTotalledByEnterpriseDepartmentAgentAndTrunk() throws Exception {
        // Mobile numbers (138) 0.12 a minute in 6-second steps plus 0.10 to connect; other 1… numbers 0.30 a minute per minute.
        var table = admin.post("/api/v1/billing/rate-tables", Map.of("trunkId", trunkId, "currency", "CNY",
                "rates", List.of(rate("138", "0.12", 6, 6, "0.10"), rate("1", "0.30", 60, 60, "0"))));
        assertThat(table.status()).as(table.toString()).isEqualTo(201);
        tableId = table.json().get("id").asLong();
        assertThat(table.json().get("trunk").asText()).isEqualTo("carrier");

        callOut("1003", "913800138002"); // agent3 (刘洋 Liu Yang), department Sales
        callOut("1002", "915900001111"); // agent2 (张伟 Zhang Wei), Customer Service
        callOut("1002", "902188886666"); // no rate: unrated, but kept

        JsonNode bill = await("three calls rated").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(this::bill, b -> b.get("rows").size() == 3);
        Map<String, JsonNode> byNumber = rowsBy(bill, "number");
        JsonNode mobile = byNumber.get("13800138002");
        assertThat(mobile.get("trunk").asText()).isEqualTo("carrier");
        assertThat(mobile.get("prefix").asText()).isEqualTo("138");
        assertThat(mobile.get("rated").asBoolean()).isTrue();
        assertThat(mobile.get("talkSeconds").asInt()).as("2.5 s of talk, every second begun counts").isBetween(3, 6);
        assertThat(mobile.get("billedSeconds").asInt()).isEqualTo(6);
        money(mobile.get("amount"), "0.1120"); // 0.10 + 0.12 × 6/60
        assertThat(mobile.get("agent").asText()).contains("Liu Yang").contains("8003");
        assertThat(mobile.get("department").asText()).isEqualTo("销售部 Sales");
        assertThat(mobile.get("currency").asText()).isEqualTo("CNY");
        // The call record of the same call (RPT-1) says it went out and was answered.
        JsonNode record = admin.get("/api/v1/calls?limit=50").json().get("items").findParents("callId").stream()
                .filter(r -> r.get("callId").asText().equals(mobile.get("callId").asText())).findFirst().orElseThrow();
        assertThat(record.get("direction").asText()).isEqualTo("outbound");

        JsonNode other = byNumber.get("15900001111");
        assertThat(other.get("prefix").asText()).as("the longest matching prefix wins; 1 is the only one here").isEqualTo("1");
        assertThat(other.get("billedSeconds").asInt()).isEqualTo(60);
        money(other.get("amount"), "0.3000");
        assertThat(other.get("agent").asText()).contains("Zhang Wei");

        JsonNode unrated = byNumber.get("02188886666");
        assertThat(unrated.get("rated").asBoolean()).isFalse();
        assertThat(unrated.get("amount").isNull()).isTrue();
        assertThat(unrated.get("billedSeconds").asInt()).isZero();
        assertThat(unrated.get("talkSeconds").asInt()).isBetween(3, 6);
        money(bill.get("total").get("amount"), "0.4120");

        JsonNode enterprise = exact(admin.get("/api/v1/billing/totals?" + range));
        assertThat(enterprise.get("rows")).hasSize(1);
        JsonNode all = enterprise.get("rows").get(0);
        assertThat(all.get("name").asText()).isEqualTo("演示企业 Demo Co.");
        assertThat(all.get("currency").asText()).isEqualTo("CNY");
        assertThat(all.get("calls").asInt()).isEqualTo(3);
        assertThat(all.get("unrated").asInt()).isEqualTo(1);
        assertThat(all.get("billedSeconds").asInt()).isEqualTo(66);
        money(all.get("amount"), "0.4120");

        Map<String, JsonNode> departments = rowsBy(exact(admin.get("/api/v1/billing/totals?by=department&" + range)), "name");
        assertThat(departments).containsOnlyKeys("销售部 Sales", "客服部 Customer Service");
        money(departments.get("销售部 Sales").get("amount"), "0.1120");
        money(departments.get("客服部 Customer Service").get("amount"), "0.3000");
        assertThat(departments.get("客服部 Customer Service").get("calls").asInt()).isEqualTo(2);
        assertThat(departments.get("客服部 Customer Service").get("unrated").asInt()).isEqualTo(1);

        JsonNode agents = exact(admin.get("/api/v1/billing/totals?by=agent&" + range));
        assertThat(agents.get("rows")).hasSize(2);
        for (JsonNode a : agents.get("rows")) {
            money(a.get("amount"), a.get("name").asText().contains("Liu Yang") ? "0.1120" : "0.3000");
        }
        money(agents.get("total").get("amount"), "0.4120");

        JsonNode trunks = exact(admin.get("/api/v1/billing/totals?by=trunk&" + range));
        assertThat(trunks.get("rows")).hasSize(1);
        assertThat(trunks.get("rows").get(0).get("name").asText()).isEqualTo("carrier");
        money(trunks.get("rows").get(0).get("amount"), "0.4120");
    }

    @Test
    @Order(2)
    void csvAndXlsxExportsCarryTheSameNumbersAsTheJson() throws Exception {
        for (String path : List.of("/api/v1/billing/calls?", "/api/v1/billing/totals?by=agent&", "/api/v1/billing/totals?by=department&",
                "/api/v1/billing/totals?")) {
            JsonNode json = exact(admin.get(path + range));
            List<String> keys = new ArrayList<>();
            json.get("columns").forEach(c -> keys.add(c.get("key").asText()));
            List<JsonNode> want = new ArrayList<>();
            json.get("rows").forEach(want::add);
            want.add(json.get("total"));
            assertThat(want).as(path).hasSizeGreaterThan(1);

            var csv = admin.getBytes(path + range + "&format=csv&lang=zh");
            assertThat(csv.status()).isEqualTo(200);
            assertThat(csv.contentType()).startsWith("text/csv");
            String text = new String(csv.body(), StandardCharsets.UTF_8);
            assertThat(text.charAt(0)).isEqualTo('\uFEFF');
            List<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(new InputStreamReader(new ByteArrayInputStream(text.substring(1).getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8))
                    .getRecords();
            assertThat(records).hasSize(want.size());
            assertThat(records.get(0).getParser().getHeaderNames()).contains("金额", "币种");
            for (int r = 0; r < want.size(); r++) {
                for (int c = 0; c < keys.size(); c++) same(path + " csv " + keys.get(c), want.get(r).get(keys.get(c)), records.get(r).get(c));
            }

            var xlsx = admin.getBytes(path + range + "&format=xlsx");
            assertThat(xlsx.status()).isEqualTo(200);
            try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx.body()))) {
                List<Row> rows = wb.getFirstSheet().read();
                assertThat(rows).hasSize(want.size() + 1);
                assertThat(rows.get(0).getCell(keys.indexOf("amount")).getText()).isEqualTo("Amount");
                for (int r = 0; r < want.size(); r++) {
                    Row row = rows.get(r + 1);
                    for (int c = 0; c < keys.size(); c++) {
                        var cell = c < row.getCellCount() ? row.getCell(c) : null;
                        boolean empty = cell == null || cell.getType() == CellType.EMPTY;
                        if (!empty && keys.get(c).equals("amount")) assertThat(cell.getType()).as("amounts are numbers").isEqualTo(CellType.NUMBER);
                        same(path + " xlsx " + keys.get(c), want.get(r).get(keys.get(c)), empty ? "" : cell.getText());
                    }
                }
            }
        }
    }

    /** A JSON value and an exported cell's text are the same number (or text; null is an empty cell). */
    static void same(String what, JsonNode json, String cell) {
        if (json == null || json.isNull()) {
            assertThat(cell).as(what).isEmpty();
        } else if (json.isNumber()) {
            assertThat(new BigDecimal(cell)).as(what).isEqualByComparingTo(json.decimalValue());
        } else {
            assertThat(cell).as(what).isEqualTo(json.asText());
        }
    }

    @Test
    @Order(3)
    void theConsolePageShowsTheRatesTheTotalsAndTheBillInEnglishAndChinese() {
        try (Chromium chrome = Chromium.start()) {
            ChromeDriver page = chrome.driver();
            WebDriverWait wait = chrome.waitAtMost(Duration.ofSeconds(15));
            chrome.signInEnglish(server.baseUrl(), "demo", "admin", PW);
            wait.until(d -> !d.findElements(tid("nav-billing")).isEmpty());
            assertThat(page.findElement(tid("nav-billing")).getText()).isEqualTo("Billing");
            page.findElement(tid("nav-billing")).click();
            wait.until(d -> cell(d, "billing-total", "amount").equals("0.412"));
            assertThat(cell(page, "billing-total", "calls")).isEqualTo("3");
            assertThat(cell(page, "billing-total", "unrated")).isEqualTo("1");
            assertThat(page.findElement(By.cssSelector("[data-testid='billing-table'] th[data-col='amount']")).getText()).isEqualTo("Amount");
            assertThat(chrome.attr("billing-export-xlsx", "href")).contains("/api/v1/billing/totals?", "format=xlsx", "by=enterprise");

            new Select(page.findElement(tid("billing-by"))).selectByValue("department");
            wait.until(d -> d.findElements(tid("billing-row")).size() == 2);
            assertThat(page.findElements(tid("billing-row")).stream().map(WebElement::getText).toList())
                    .anySatisfy(r -> assertThat(r).contains("销售部 Sales", "0.112"))
                    .anySatisfy(r -> assertThat(r).contains("客服部 Customer Service", "0.30"));

            page.findElement(tid("billing-tab-calls")).click();
            wait.until(d -> d.findElements(tid("billing-row")).size() == 3);
            assertThat(page.findElements(tid("billing-unrated"))).hasSize(1);
            assertThat(page.findElements(tid("billing-row")).stream().map(WebElement::getText).toList())
                    .anySatisfy(r -> assertThat(r).contains("13800138002", "carrier", "138", "6/6", "0.112"));
            chrome.screenshot("billing-calls-en");

            page.findElement(tid("billing-tab-rates")).click();
            wait.until(d -> !d.findElements(By.cssSelector("[data-testid='rate-row'][data-prefix='138']")).isEmpty());
            assertThat(page.findElement(By.cssSelector("[data-testid='rate-row'][data-prefix='138'] [data-col='price']")).getText()).isEqualTo("0.12");
            // A bad prefix is refused beside its input, in the page's language.
            page.findElement(tid("rate-edit")).click();
            wait.until(d -> !d.findElements(tid("rate-prefix-0")).isEmpty());
            page.findElement(tid("rate-prefix-0")).clear();
            page.findElement(tid("rate-prefix-0")).sendKeys("13a");
            page.findElement(tid("rate-save")).click();
            wait.until(d -> d.findElement(tid("rate-prefix-error-0")).getText().equals("1–20 digits"));
            chrome.screenshot("billing-rates-error-en");
            page.findElement(By.cssSelector("[data-testid='rate-form'] .modal-foot .btn:not(.btn-primary)")).click();
            page.findElement(tid("lang-zh")).click();
            wait.until(d -> d.findElement(tid("rate-edit")).getText().equals("编辑"));
            page.findElement(tid("rate-edit")).click();
            wait.until(d -> !d.findElements(tid("rate-prefix-0")).isEmpty());
            page.findElement(tid("rate-prefix-0")).clear();
            page.findElement(tid("rate-prefix-0")).sendKeys("13a");
            page.findElement(tid("rate-save")).click();
            wait.until(d -> d.findElement(tid("rate-prefix-error-0")).getText().equals("1–20 位数字"));
            page.findElement(By.cssSelector("[data-testid='rate-form'] .modal-foot .btn:not(.btn-primary)")).click();
            assertThat(page.findElement(tid("nav-billing")).getText()).isEqualTo("计费");

            page.findElement(tid("billing-tab-totals")).click();
            wait.until(d -> cell(d, "billing-total", "name").equals("合计") && cell(d, "billing-total", "amount").equals("0.412"));
            assertThat(page.findElement(By.cssSelector("[data-testid='billing-table'] th[data-col='amount']")).getText()).isEqualTo("金额");
            chrome.screenshot("billing-totals-zh");
            page.findElement(tid("lang-en")).click();
            assertThat(chrome.scriptErrors()).as("errors in the browser console").isEmpty();
        }
        assertThat(bodyOf("/api/v1/billing/rate-tables")).as("the refused edit changed nothing").contains("\"prefix\":\"138\"");
    }

    String bodyOf(String path) {
        return admin.get(path).body();
    }

    static String cell(WebDriver d, String row, String col) {
        var els = d.findElements(By.cssSelector("[data-testid='" + row + "'] [data-col='" + col + "']"));
        return els.isEmpty() ? "" : els.get(0).getText().strip();
    }

    @Test
    @Order(4)
    void aRateChangeAppliesToCallsRatedAgain() throws Exception {
        var changed = admin.put("/api/v1/billing/rate-tables/" + tableId, Map.of("trunkId", trunkId, "currency", "CNY",
                "rates", List.of(rate("138", "0.60", 6, 6, "0.10"), rate("1", "0.30", 60, 60, "0"), rate("02", "0.06", 1, 1, "0"))));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        money(exact(admin.get("/api/v1/billing/totals?" + range)).get("rows").get(0).get("amount"), "0.4120"); // rated as they were
        String[] fromTo = range.split("&");
        var rerate = admin.post("/api/v1/billing/rerate", Map.of("from", fromTo[0].substring(5), "to", fromTo[1].substring(3)));
        assertThat(rerate.status()).as(rerate.toString()).isEqualTo(200);
        assertThat(rerate.json().get("rerated").asInt()).isEqualTo(3);
        Map<String, JsonNode> byNumber = rowsBy(bill(), "number");
        money(byNumber.get("13800138002").get("amount"), "0.1600"); // 0.10 + 0.60 × 6/60
        JsonNode landline = byNumber.get("02188886666");
        assertThat(landline.get("rated").asBoolean()).as("the unrated call found its rate").isTrue();
        int talk = landline.get("talkSeconds").asInt();
        assertThat(landline.get("billedSeconds").asInt()).isEqualTo(talk);
        money(landline.get("amount"), new BigDecimal("0.06").multiply(BigDecimal.valueOf(talk)).divide(BigDecimal.valueOf(60), 4,
                java.math.RoundingMode.HALF_UP).toPlainString());
        JsonNode total = exact(admin.get("/api/v1/billing/totals?" + range)).get("rows").get(0);
        assertThat(total.get("unrated").asInt()).isZero();
        assertThat(admin.get("/api/v1/audit?action=billing.rerate").body()).contains("billing.rerate");
    }

    @Test
    @Order(5)
    void badInputIsA400NamingTheFieldAndAgentsMayNotReadOrChangeBilling() {
        record Bad(Object body, String field) {}
        List<Bad> bad = List.of(
                new Bad(Map.of("currency", "CNY"), "trunkId"),
                new Bad(Map.of("trunkId", 999999), "trunkId"),
                new Bad(Map.of("trunkId", trunkId, "currency", "yuan"), "currency"),
                new Bad(Map.of("trunkId", trunkId, "rates", List.of(rate("9a", "0.1", 60, 60, "0"))), "rates[0].prefix"),
                new Bad(Map.of("trunkId", trunkId, "rates", List.of(rate("", "0.1", 60, 60, "0"))), "rates[0].prefix"),
                new Bad(Map.of("trunkId", trunkId, "rates", List.of(rate("1", "0.1", 60, 60, "0"), rate("1", "0.2", 60, 60, "0"))), "rates[1].prefix"),
                new Bad(Map.of("trunkId", trunkId, "rates", List.of(rate("1", "-0.1", 60, 60, "0"))), "rates[0].pricePerMinute"),
                new Bad(Map.of("trunkId", trunkId, "rates", List.of(rate("1", "0.00001", 60, 60, "0"))), "rates[0].pricePerMinute"),
                new Bad(Map.of("trunkId", trunkId, "rates", List.of(rate("1", "0.1", 60, 60, "-1"))), "rates[0].connectionFee"),
                new Bad(Map.of("trunkId", trunkId, "rates", List.of(rate("1", "0.1", 60, 0, "0"))), "rates[0].increment"),
                new Bad(Map.of("trunkId", trunkId, "rates", List.of(rate("1", "0.1", 0, 60, "0"))), "rates[0].firstIncrement"),
                new Bad(Map.of("trunkId", trunkId, "rates", List.of(Map.of("prefix", "1"))), "rates[0].pricePerMinute"),
                new Bad(Map.of("trunkId", trunkId, "rates", List.of(Map.of("prefix", "1", "pricePerMinute", "cheap"))), "pricePerMinute"));
        for (Bad b : bad) {
            var r = admin.put("/api/v1/billing/rate-tables/" + tableId, b.body());
            assertThat(r.status()).as(b + " → " + r).isEqualTo(400);
            assertThat(r.json().get("fieldErrors").findValuesAsText("field")).as(b + " → " + r).contains(b.field());
        }
        var twice = admin.post("/api/v1/billing/rate-tables", Map.of("trunkId", trunkId, "rates", List.of()));
        assertThat(twice.status()).as("one table per trunk: " + twice).isEqualTo(409);
        for (String q : List.of("by=queue", "from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "from=yesterday&to=2026-12-01T00:00:00Z",
                "from=2026-12-01T00:00:00Z", "from=2025-01-01T00:00:00Z&to=2026-12-01T00:00:00Z", "format=pdf", "lang=fr")) {
            var r = admin.get("/api/v1/billing/totals?" + q);
            assertThat(r.status()).as(q + " → " + r).isEqualTo(400);
            assertThat(r.body()).as(q).contains("field");
        }
        assertThat(admin.get("/api/v1/billing/calls?limit=0").status()).isEqualTo(400);
        var noRange = admin.post("/api/v1/billing/rerate", Map.of("to", "2026-12-01T00:00:00Z"));
        assertThat(noRange.status()).isEqualTo(400);
        assertThat(noRange.body()).contains("\"from\"");
        assertThat(admin.get("/api/v1/billing/rate-tables/999999").status()).isEqualTo(404);

        var agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent3", PW);
        assertThat(agent.get("/api/v1/billing/totals?" + range).status()).isEqualTo(403);
        assertThat(agent.get("/api/v1/billing/calls?" + range).status()).isEqualTo(403);
        assertThat(agent.get("/api/v1/billing/rate-tables").status()).isEqualTo(403);
        assertThat(agent.put("/api/v1/billing/rate-tables/" + tableId, Map.of("trunkId", trunkId)).status()).isEqualTo(403);
        assertThat(agent.post("/api/v1/billing/rerate", Map.of("from", "2026-12-01T00:00:00Z", "to", "2026-12-02T00:00:00Z")).status())
                .isEqualTo(403);
        // A supervisor reads the totals (call.read) but cannot change the rates (no routing.write).
        var lead = ApiClient.loggedIn(server.baseUrl(), "demo", "lead", PW);
        assertThat(lead.get("/api/v1/billing/totals?" + range).status()).isEqualTo(200);
        assertThat(lead.delete("/api/v1/billing/rate-tables/" + tableId).status()).isEqualTo(403);
    }

    @Test
    @Order(6)
    void anotherEnterpriseSeesNoneOfIt() throws Exception {
        ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", PW);
        var acme = operator.post("/api/v1/enterprises", Map.of("code", "acme", "name", "Acme", "adminUsername", "boss", "adminPassword", "acme-pass-1"));
        assertThat(acme.status()).as(acme.toString()).isEqualTo(201);
        ApiClient boss = ApiClient.loggedIn(server.baseUrl(), "acme", "boss", "acme-pass-1");
        assertThat(boss.get("/api/v1/billing/rate-tables").json()).isEmpty();
        JsonNode totals = exact(boss.get("/api/v1/billing/totals?" + range));
        assertThat(totals.get("rows")).isEmpty();
        assertThat(totals.get("total").get("calls").asInt()).isZero();
        assertThat(exact(boss.get("/api/v1/billing/calls?" + range)).get("rows")).isEmpty();
        assertThat(boss.get("/api/v1/billing/rate-tables/" + tableId).status()).isEqualTo(404);
        long acmeTrunk = boss.post("/api/v1/trunks", Map.of("name", "acme-trunk", "host", "10.1.1.1")).json().get("id").asLong();
        assertThat(boss.put("/api/v1/billing/rate-tables/" + tableId, Map.of("trunkId", acmeTrunk)).status()).isEqualTo(404);
        assertThat(boss.delete("/api/v1/billing/rate-tables/" + tableId).status()).isEqualTo(404);
        var onDemoTrunk = boss.post("/api/v1/billing/rate-tables", Map.of("trunkId", trunkId));
        assertThat(onDemoTrunk.status()).as("demo's trunk is no trunk of acme's").isEqualTo(400);
        assertThat(boss.post("/api/v1/billing/rerate", Map.of("from", range.split("&")[0].substring(5), "to", range.split("&")[1].substring(3)))
                .json().get("rerated").asInt()).isZero();
        assertThat(admin.get("/api/v1/billing/rate-tables/" + tableId).status()).as("demo's table untouched").isEqualTo(200);
        assertThat(exact(admin.get("/api/v1/billing/calls?" + range)).get("rows")).hasSize(3);
    }

    @Test
    @Order(7)
    void aLongBillPagesThroughEveryRowAndExportsStreamed() throws Exception {
        // 2 500 charges of the demo enterprise stored as the rating stores them: today from midnight UTC (the console's
        // month-to-date range holds them) and on one day of 2025 (the API's own range, nothing else in it).
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        Instant old = Instant.parse("2025-03-10T00:00:00Z");
        long demo = server.database().withHandle(h -> h.createQuery("SELECT id FROM enterprise WHERE code = 'demo'").mapTo(Long.class).one());
        RateTable table = new RateTable(0, trunkId, "carrier", "CNY", List.of(new Rate(0, "1", null, new BigDecimal("0.10"), 60, 60, BigDecimal.ZERO)));
        server.database().useTransaction(h -> {
            for (int i = 0; i < 2_500; i++) {
                for (Instant day : List.of(today, old)) {
                    Instant at = day.plusMillis(10L * i);
                    ChargeDays.save(h, demo, ZoneId.systemDefault(), Charge.rate("long-" + day.getEpochSecond() + "-" + i, "leg", "carrier",
                            "1380000" + i, at, at.plusSeconds(30 + i % 90), null, null, Optional.of(table)));
                }
            }
        });
        String oldRange = "from=" + old + "&to=" + old.plus(1, ChronoUnit.DAYS);
        JsonNode first = exact(admin.get("/api/v1/billing/calls?" + oldRange));
        assertThat(first.get("rows")).as("a JSON page holds at most 1 000").hasSize(1000);
        assertThat(first.get("total").get("calls").asLong()).isEqualTo(2500);
        JsonNode last = exact(admin.get("/api/v1/billing/calls?" + oldRange + "&offset=2000&limit=1000"));
        assertThat(last.get("rows")).hasSize(500);
        assertThat(last.get("rows").get(499).get("callId").asText()).isEqualTo("long-" + old.getEpochSecond() + "-2499");
        // Keyset paging: each page after the cursor of the one before (page.next) until there is none: every row once, in order.
        List<String> paged = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 10; pages++) {
            JsonNode p = exact(admin.get("/api/v1/billing/calls?" + oldRange + "&limit=700" + (after == null ? "" : "&after=" + after)));
            p.get("rows").forEach(r -> paged.add(r.get("callId").asText()));
            assertThat(p.get("page").get("total").asLong()).isEqualTo(2500);
            after = p.get("page").has("next") ? p.get("page").get("next").asText() : null;
            if (after == null) break;
        }
        assertThat(paged).as("4 pages of 700, 700, 700, 400").hasSize(2500).doesNotHaveDuplicates();
        for (int i = 0; i < 2500; i++) assertThat(paged.get(i)).isEqualTo("long-" + old.getEpochSecond() + "-" + i);
        assertThat(first.get("page").get("next").asText()).as("the first page's cursor").isNotEmpty();
        JsonNode second = exact(admin.get("/api/v1/billing/calls?" + oldRange + "&after=" + first.get("page").get("next").asText()));
        assertThat(second.get("rows").get(0).get("callId").asText()).isEqualTo("long-" + old.getEpochSecond() + "-1000");
        var badCursor = admin.get("/api/v1/billing/calls?" + oldRange + "&after=not-a-cursor");
        assertThat(badCursor.status()).isEqualTo(400);
        assertThat(badCursor.json().get("fieldErrors").findValuesAsText("field")).as(badCursor.toString()).containsExactly("after");

        var csv = admin.getBytes("/api/v1/billing/calls?" + oldRange + "&format=csv");
        assertThat(csv.status()).isEqualTo(200);
        String text = new String(csv.body(), StandardCharsets.UTF_8).substring(1);
        List<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(new StringReader(text))
                .getRecords();
        assertThat(records).as("every row of the bill and its total row").hasSize(2501);
        assertThat(records.get(0).get(0)).isEqualTo("long-" + old.getEpochSecond() + "-0");
        assertThat(records.get(2499).get(0)).isEqualTo("long-" + old.getEpochSecond() + "-2499");
        assertThat(records.get(2500).get(0)).isEqualTo("total");
        var part = admin.getBytes("/api/v1/billing/calls?" + oldRange + "&format=csv&offset=1000&limit=1200");
        assertThat(new String(part.body(), StandardCharsets.UTF_8).lines().count()).as("header, 1 200 rows, total").isEqualTo(1202);

        var xlsx = admin.getBytes("/api/v1/billing/calls?" + oldRange + "&format=xlsx&lang=zh");
        assertThat(xlsx.status()).isEqualTo(200);
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx.body()))) {
            var rows = wb.getFirstSheet().read();
            assertThat(rows).as("header, 2 500 rows, total").hasSize(2502);
            assertThat(rows.get(0).getCell(0).getText()).isEqualTo("通话");
            assertThat(rows.get(2500).getCell(0).getText()).isEqualTo("long-" + old.getEpochSecond() + "-2499");
            assertThat(rows.get(2501).getCell(0).getText()).isEqualTo("total");
        }

        long all = server.database().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM call_charge WHERE enterprise_id = :e AND answered_at >= :t")
                .bind("e", demo).bind("t", Timestamp.from(today.minus(1, ChronoUnit.DAYS))).mapTo(Long.class).one());
        try (Chromium chrome = Chromium.start()) {
            ChromeDriver page = chrome.driver();
            WebDriverWait wait = chrome.waitAtMost(Duration.ofSeconds(20));
            chrome.signInEnglish(server.baseUrl(), "demo", "admin", PW);
            wait.until(d -> !d.findElements(tid("nav-billing")).isEmpty());
            page.findElement(tid("nav-billing")).click();
            wait.until(d -> !d.findElements(tid("billing-total")).isEmpty());
            click(page, "billing-tab-calls");
            wait.until(d -> !d.findElements(tid("billing-page-info")).isEmpty());
            assertThat(chrome.attr("billing-page-info", "data-total")).as("every call of the month to date").isEqualTo(String.valueOf(all));
            wait.until(d -> d.findElements(tid("billing-row")).size() == 1000);
            assertThat(page.findElement(tid("billing-page-info")).getText()).isEqualTo("1–1000 of " + all);
            click(page, "billing-next");
            wait.until(d -> d.findElement(tid("billing-page-info")).getText().equals("1001–2000 of " + all));
            click(page, "billing-next");
            wait.until(d -> d.findElement(tid("billing-page-info")).getText().equals("2001–" + all + " of " + all));
            assertThat(page.findElements(tid("billing-row"))).hasSize((int) (all - 2000));
            assertThat(page.findElement(tid("billing-next")).isEnabled()).as("the last page").isFalse();
            String lastFirstRow = page.findElements(tid("billing-row")).get(0).getText();
            click(page, "billing-prev");
            wait.until(d -> d.findElement(tid("billing-page-info")).getText().equals("1001–2000 of " + all));
            wait.until(d -> d.findElements(tid("billing-row")).size() == 1000);
            String secondFirstRow = page.findElements(tid("billing-row")).get(0).getText();
            assertThat(secondFirstRow).as("another page than the last").isNotEqualTo(lastFirstRow);
            click(page, "billing-prev");
            wait.until(d -> d.findElement(tid("billing-page-info")).getText().equals("1–1000 of " + all));
            assertThat(page.findElement(tid("billing-prev")).isEnabled()).as("the first page").isFalse();
            // Forward again by the cursors the API gave: the same second page.
            click(page, "billing-next");
            wait.until(d -> d.findElement(tid("billing-page-info")).getText().equals("1001–2000 of " + all));
            wait.until(d -> page.findElements(tid("billing-row")).get(0).getText().equals(secondFirstRow));
            assertThat(chrome.scriptErrors()).as("errors in the browser console").isEmpty();
        }
    }

    /** Clicks an element brought to the middle of the window first (the page is long; the sticky top bar must not cover it). */
    static void click(ChromeDriver page, String testId) {
        WebElement el = page.findElement(tid(testId));
        page.executeScript("arguments[0].scrollIntoView({block: 'center'})", el);
        el.click();
    }
}
