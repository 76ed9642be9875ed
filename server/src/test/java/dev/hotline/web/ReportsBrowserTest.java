package dev.hotline.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.report.AgentLogEvent;
import dev.hotline.report.CallLogEvent;
import dev.hotline.report.CallTracker;
import dev.hotline.report.EventLog;
import dev.hotline.report.LogEvent;
import dev.hotline.testing.ApiClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The Reports page (RPT-2, RPT-3) in headless Chromium: four queue calls written through the server's event log
 * (two answered and one abandoned in sales, one overflowed in support) and an outbound call back to the lost caller show
 * in each report's table with its total (or page), each report of totals draws its chart, the export links carry the
 * same filters, a column header leads to its metric's line, and the glossary gives every formula in English and Chinese. Screenshots go to {@code target/screenshots/rpt-*.png}.
 */
class ReportsBrowserTest {
    @RegisterExtension
    static final ConsoleDriver ui = new ConsoleDriver();

    static void call(EventLog log, long e, String id, Instant t, String queue, String result, long agent) {
        CallTracker tracker = new CallTracker();
        List<LogEvent> out = new ArrayList<>();
        String in = id + "-in";
        String leg = id + "-agent";
        List<CallLogEvent> events = new ArrayList<>(List.of(
                new CallLogEvent.Arrived(e, id, t, in, "inbound", "13800001111", "4000", "loopback", null),
                new CallLogEvent.Answered(e, id, t.plusMillis(100), in),
                new CallLogEvent.QueueJoined(e, id, t.plusSeconds(1), in, queue, 0, 1)));
        Instant end;
        if (result.equals("answered")) {
            events.add(new CallLogEvent.QueueOffered(e, id, t.plusSeconds(2), leg, queue, agent, "8001", "sip"));
            events.add(new CallLogEvent.Answered(e, id, t.plusSeconds(5), leg));
            events.add(new CallLogEvent.QueueConnected(e, id, t.plusSeconds(5), leg, queue, agent, "8001", 4000));
            end = t.plusSeconds(65);
            events.add(new CallLogEvent.HungUp(e, id, end, in, "NORMAL_CLEARING", 0));
            events.add(new CallLogEvent.HungUp(e, id, end, leg, "NORMAL_CLEARING", 0));
        } else {
            end = t.plusSeconds(31);
            events.add(new CallLogEvent.QueueLeft(e, id, end, in, queue, result, result.equals("overflow") ? "max_wait" : "caller_hangup",
                    null, 30_000));
            events.add(new CallLogEvent.HungUp(e, id, end, in, "NORMAL_CLEARING", 0));
        }
        for (CallLogEvent ev : events) {
            tracker.apply(ev);
            out.add(ev);
        }
        out.add(new CallLogEvent.Closed(e, id, end, null, tracker.record()));
        out.forEach(log::append);
    }

    /** An answered outbound call agent 1 places from extension 1001 to {@code number}. */
    static void outbound(EventLog log, long e, String id, Instant t, String number) {
        CallTracker tracker = new CallTracker();
        String in = id + "-ext";
        String leg = id + "-out";
        List<LogEvent> out = new ArrayList<>();
        for (CallLogEvent ev : List.of(
                new CallLogEvent.Arrived(e, id, t, in, "outbound", "1001", number, null, "1001"),
                new CallLogEvent.Dialing(e, id, t, leg, "loopback " + number),
                new CallLogEvent.Answered(e, id, t.plusSeconds(3), leg),
                new CallLogEvent.Answered(e, id, t.plusSeconds(3), in),
                new CallLogEvent.HungUp(e, id, t.plusSeconds(63), in, "NORMAL_CLEARING", 0),
                new CallLogEvent.HungUp(e, id, t.plusSeconds(63), leg, "NORMAL_CLEARING", 0))) {
            tracker.apply(ev);
            out.add(ev);
        }
        out.add(new CallLogEvent.Closed(e, id, t.plusSeconds(63), null, tracker.record()));
        out.forEach(log::append);
    }

    @Test
    void theReportsShowTablesChartsExportsAndTheGlossaryInBothLanguages() throws Exception {
        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitText("page-title", ui.en("users.title"));
        long e = ((Number) ((java.util.Map<?, ?>) ui.fetchJson("/api/v1/me").get("enterprise")).get("id")).longValue();
        long agent1 = ((Number) ConsoleDriver.find(ui.fetchList("/api/v1/users"), "username", "agent1").get("id")).longValue();
        EventLog log = ui.server().hotline().eventLog();
        Instant t = Instant.now().minusSeconds(600);
        call(log, e, "rpt-b-1", t, "sales", "answered", agent1);
        call(log, e, "rpt-b-2", t.plusSeconds(70), "sales", "answered", agent1);
        call(log, e, "rpt-b-3", t.plusSeconds(140), "sales", "abandoned", agent1);
        call(log, e, "rpt-b-4", t.plusSeconds(210), "support", "overflow", agent1);
        outbound(log, e, "rpt-b-5", t.plusSeconds(280), "13800001111"); // agent 1 calls the lost caller back
        log.append(new AgentLogEvent(e, agent1, t, "ready", "logged_out", null, "sip", null, "agent"));
        log.append(new AgentLogEvent(e, agent1, t.plusSeconds(300), "logged_out", "ready", null, null, null, "agent"));
        assertThat(log.flush(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ui.text("nav-reports")).isEqualTo(ui.en("nav.reports"));
        ui.click("nav-reports");
        ui.waitText("page-title", ui.en("reports.title"));

        // Summary: the queues added up, and its chart (offered, answered, abandoned, service level).
        ui.waitFor(d -> total("offered").equals("4"));
        assertThat(total("answered")).isEqualTo("2");
        assertThat(total("abandoned")).isEqualTo("1");
        assertThat(total("overflowed")).isEqualTo("1");
        assertThat(total("serviceLevel")).isEqualTo("50.0%"); // both answered after 4 s, within 20 s: 2 of 4
        assertThat(total("inbound")).isEqualTo("4");
        ui.waitFor(d -> "4".equals(ui.el("report-chart").getAttribute("data-series")));
        assertThat(ui.driver().findElement(By.cssSelector("[data-testid='report-table'] th[data-col='offered']")).getText())
                .isEqualTo("Offered");
        assertThat(ui.el("report-export-xlsx").getAttribute("href")).contains("/api/v1/reports/summary?", "format=xlsx", "group=day", "lang=en");
        assertThat(ui.el("report-export-csv").getAttribute("href")).contains("format=csv");
        ui.screenshot("rpt-summary-en");

        // By queue: one row per queue; the chart stacks where each queue's calls went.
        ui.click("report-tab-queues");
        ui.waitFor(d -> d.findElements(ConsoleDriver.tid("report-row")).size() == 2 && total("offered").equals("4"));
        ui.waitFor(d -> "2".equals(ui.el("report-chart").getAttribute("data-points")));
        assertThat(ui.el("report-export-xlsx").getAttribute("href")).contains("/api/v1/reports/queues?");
        ui.screenshot("rpt-queues-en");

        // By agent: agent 1 took both answered calls and was signed in 300 s.
        ui.click("report-tab-agents");
        ui.waitFor(d -> total("answered").equals("2"));
        assertThat(total("signedIn")).isEqualTo("300.0");
        assertThat(total("occupancy")).isEqualTo("0.0%");

        // Unanswered: the abandoned caller waited in the queue; the overflow to nowhere was not answered by the system.
        ui.click("report-tab-unanswered");
        ui.waitFor(d -> total("lost").equals("2"));
        assertThat(total("abandonedQueued")).isEqualTo("1");
        assertThat(total("notAnswered")).isEqualTo("1");
        ui.waitFor(d -> "4".equals(ui.el("report-chart").getAttribute("data-series")));

        // The glossary, in English then Chinese; the same table headers in Chinese.
        ui.click("report-tab-glossary");
        ui.el("report-glossary");
        String sl = ui.driver().findElement(By.cssSelector("[data-testid='report-glossary'] tr[data-metric='serviceLevel']")).getText();
        assertThat(sl).contains(ui.en("reports.metric.serviceLevel.name"), ui.en("reports.metric.serviceLevel.formula"));

        // By called number: the four inbound calls were to 4000.
        ui.click("report-tab-numbers");
        ui.waitFor(d -> total("inbound").equals("4"));
        assertThat(cell(0, "number")).isEqualTo("4000");
        assertThat(total("answered")).isEqualTo("2");
        assertThat(total("abandonedCalls")).isEqualTo("1");
        assertThat(total("notAnswered")).isEqualTo("1");
        assertThat(total("numberAnswerRate")).isEqualTo("50.0%");
        ui.waitFor(d -> "4".equals(ui.el("report-chart").getAttribute("data-series")));
        // A column header leads to its metric's own line of the glossary.
        ui.click(ui.driver().findElement(By.cssSelector("[data-testid='report-table'] th[data-col='numberAnswerRate'] a")));
        ui.waitFor(d -> "true".equals(d.findElement(By.id("metric-numberAnswerRate")).getAttribute("data-focused")));
        assertThat(ui.driver().findElement(By.id("metric-numberAnswerRate")).getText())
                .contains(ui.en("reports.metric.numberAnswerRate.formula"));

        // Inbound call tracking: one row per call, in order, with the final outcome in words; a page of 4.
        ui.click("report-tab-tracking");
        ui.waitFor(d -> d.findElements(ConsoleDriver.tid("report-row")).size() == 4);
        assertThat(cell(0, "outcome")).isEqualTo(ui.en("reports.value.outcome.answered"));
        assertThat(cell(2, "outcome")).isEqualTo(ui.en("reports.value.outcome.abandoned_queued"));
        assertThat(cell(3, "outcome")).isEqualTo(ui.en("reports.value.outcome.not_answered"));
        assertThat(cell(0, "queues")).startsWith("sales: answered");
        assertThat(ui.el("report-page-info").getAttribute("data-total")).isEqualTo("4");
        assertThat(ui.driver().findElements(ConsoleDriver.tid("report-chart"))).isEmpty();
        ui.el("report-outcome");
        ui.screenshot("rpt-tracking-en");

        // Lost callers (from the unanswered report): both lost calls were reached by agent 1's outbound call afterwards.
        ui.click("report-tab-unanswered");
        ui.click("report-to-callbacks");
        ui.waitFor(d -> d.findElements(ConsoleDriver.tid("report-row")).size() == 2);
        assertThat(cell(0, "callbackStatus")).isEqualTo(ui.en("reports.value.callbackStatus.reached"));
        assertThat(cell(1, "reachedBy")).isEqualTo("李娜 Li Na");
        assertThat(cell(1, "reachedVia")).isEqualTo(ui.en("reports.value.reachedVia.outbound"));

        // Caller tolerance: both answered within 5 s, the abandon after 30 s.
        ui.click("report-tab-tolerance");
        ui.waitFor(d -> total("answered").equals("2"));
        assertThat(total("answered_0")).isEqualTo("2");
        assertThat(total("abandoned_4")).isEqualTo("1");
        ui.waitFor(d -> "7".equals(ui.el("report-chart").getAttribute("data-points")));

        // Agent state log: signed in ready, signed out 300 s later; with the department filter.
        ui.click("report-tab-states");
        ui.waitFor(d -> d.findElements(ConsoleDriver.tid("report-row")).size() == 2);
        assertThat(cell(0, "state")).isEqualTo(ui.en("reports.value.state.ready"));
        assertThat(cell(0, "stateDuration")).isEqualTo("300.0");
        ui.el("report-department");

        // Outbound: agent 1's one answered call of 60 s.
        ui.click("report-tab-outbound");
        ui.waitFor(d -> total("outboundCalls").equals("1"));
        assertThat(total("outboundAnswered")).isEqualTo("1");
        assertThat(total("outboundTalk")).isEqualTo("60.0");
        ui.waitFor(d -> "2".equals(ui.el("report-chart").getAttribute("data-series")));
        ui.screenshot("rpt-outbound-en");

        ui.click("report-tab-glossary");
        ui.click("lang-zh");
        ui.waitText("page-title", ui.zh("reports.title"));
        ui.waitFor(d -> d.findElement(By.cssSelector("[data-testid='report-glossary'] tr[data-metric='aht']")).getText()
                .contains(ui.zh("reports.metric.aht.formula")));
        assertThat(ui.driver().findElement(By.cssSelector("[data-testid='report-glossary'] tr[data-metric='callbackStatus']")).getText())
                .contains(ui.zh("reports.metric.callbackStatus.formula"));
        ui.screenshot("rpt-glossary-zh");
        ui.click("report-tab-queues");
        ui.waitFor(d -> d.findElement(By.cssSelector("[data-testid='report-table'] th[data-col='offered']")).getText().equals("进入队列"));
        assertThat(total("period")).isEqualTo(ui.zh("reports.total"));
        ui.screenshot("rpt-queues-zh");
        // The new reports in Chinese: tabs, headers and values in words.
        assertThat(ui.text("report-tab-tracking")).isEqualTo("企业呼入跟踪报表");
        ui.click("report-tab-tracking");
        ui.waitFor(d -> d.findElements(ConsoleDriver.tid("report-row")).size() == 4
                && cell(2, "outcome").equals(ui.zh("reports.value.outcome.abandoned_queued")));
        assertThat(ui.driver().findElement(By.cssSelector("[data-testid='report-table'] th[data-col='outcome']")).getText()).isEqualTo("最终结果");
        ui.click("report-tab-callbacks");
        ui.waitFor(d -> d.findElements(ConsoleDriver.tid("report-row")).size() == 2 && cell(0, "callbackStatus").equals("已回电"));
        ui.click("report-tab-numbers");
        ui.waitFor(d -> d.findElement(By.cssSelector("[data-testid='report-table'] th[data-col='number']")).getText().equals("被叫号码"));
        ui.click("report-tab-tolerance");
        ui.waitFor(d -> d.findElement(By.cssSelector("[data-testid='report-table'] th[data-col='answered_0']")).getText().equals("0–5秒接听"));
        ui.click("report-tab-states");
        ui.waitFor(d -> d.findElements(ConsoleDriver.tid("report-row")).size() == 2 && cell(0, "state").equals("就绪"));
        ui.click("report-tab-outbound");
        ui.waitFor(d -> d.findElement(By.cssSelector("[data-testid='report-table'] th[data-col='outboundCalls']")).getText().equals("呼出总数"));
        ui.screenshot("rpt-outbound-zh");
        ui.click("lang-en");
    }

    static String cell(int row, String col) {
        return ui.driver().findElements(ConsoleDriver.tid("report-row")).get(row).findElement(By.cssSelector("[data-col='" + col + "']"))
                .getText().strip();
    }

    /**
     * RPT-4: the business reports page: customers and tickets created through the API appear in the customers, regions
     * and tickets tables (the same totals as the JSON of the export link's query) with a chart each.
     */
    @Test
    void theBusinessReportsShowCustomersRegionsAndTicketsWithTheirCharts() throws Exception {
        ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", ui.server().demoPassword());
        for (String number : List.of("010-88886666", "13800002222")) {
            assertThat(admin.post("/api/v1/customers", Map.of("name", "Biz " + number, "phones", List.of(Map.of("number", number)),
                    "fields", Map.of(), "sharing", "enterprise")).status()).isEqualTo(201);
        }
        assertThat(admin.post("/api/v1/tickets", Map.of("type", "consultation", "title", "Biz chart", "form", Map.of("topic", "hours")))
                .status()).isEqualTo(201);
        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitText("page-title", ui.en("users.title"));
        ui.click("nav-business-reports");
        ui.waitText("page-title", ui.en("bizReports.title"));

        ui.waitFor(d -> !d.findElements(ConsoleDriver.tid("biz-total")).isEmpty());
        Map<String, Object> customers = jsonOfExport();
        long all = ((Number) ((Map<?, ?>) customers.get("total")).get("customers")).longValue();
        assertThat(all).isGreaterThanOrEqualTo(2);
        ui.waitFor(d -> bizTotal("customers").equals(String.valueOf(all)));
        assertThat(Long.parseLong(bizTotal("newCustomers"))).isGreaterThanOrEqualTo(2);
        ui.waitFor(d -> "2".equals(ui.el("biz-chart").getAttribute("data-series")));
        ui.screenshot("rpt4-customers-en");

        ui.click("biz-tab-customer-regions");
        ui.waitFor(d -> d.findElements(By.cssSelector("[data-testid='biz-row'] [data-col='region']")).stream()
                .anyMatch(e -> e.getText().equals("Beijing (010)")));
        ui.waitFor(d -> bizTotal("customers").equals(String.valueOf(all)));
        assertThat(ui.el("biz-export-csv").getAttribute("href")).contains("/api/v1/reports/customer-regions?", "format=csv");
        ui.screenshot("rpt4-regions-en");

        ui.click("biz-tab-tickets");
        ui.waitFor(d -> !d.findElements(By.cssSelector("[data-testid='biz-total'] [data-col='opened']")).isEmpty());
        Map<String, Object> tickets = jsonOfExport();
        long opened = ((Number) ((Map<?, ?>) tickets.get("total")).get("opened")).longValue();
        assertThat(opened).isGreaterThanOrEqualTo(1);
        ui.waitFor(d -> bizTotal("opened").equals(String.valueOf(opened)));
        ui.waitFor(d -> Integer.parseInt(ui.el("biz-chart").getAttribute("data-series")) >= 1);
        ui.click("lang-zh");
        ui.waitText("page-title", ui.zh("bizReports.title"));
        ui.screenshot("rpt4-tickets-zh");
    }

    /** The JSON of the report the page shows: its xlsx export link's query as JSON. */
    static Map<String, Object> jsonOfExport() {
        String href = ui.el("biz-export-xlsx").getAttribute("href");
        return ui.fetchJson(href.substring(href.indexOf("/api/")).replace("format=xlsx", "format=json"));
    }

    static String bizTotal(String col) {
        return ui.driver().findElements(By.cssSelector("[data-testid='biz-total'] [data-col='" + col + "']")).stream().findFirst()
                .map(e -> e.getText().strip()).orElse("");
    }

    static String total(String col) {
        return ui.driver().findElement(By.cssSelector("[data-testid='report-total'] [data-col='" + col + "']")).getText().strip();
    }
}
