package dev.hotline.campaign;

import static dev.hotline.testing.Chromium.tid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.Chromium;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * OUT-1 preview on the agent's desk (Chromium): the ready agent sees the next record of the preview campaign (number, name,
 * the list's columns) with Dial and Skip; Skip takes the next one; Dial has the server call the number through the
 * campaign's trunk (a SIPp carrier, which sees the campaign's caller ID) and the answer rings the agent's phone.
 */
class PreviewDeskBrowserTest {
    static final String PW = TestServer.DEMO_PASSWORD;

    @Test
    void theDeskShowsTheNextRecordWithDialAndSkipAndDialCallsTheNumberForTheAgent() throws Exception {
        Path dir = Files.createTempDirectory("preview");
        try (TestServer server = TestServer.start(TestDatabases.Kind.H2, Map.of("sip.default.enterprise", "demo"));
             Chromium chrome = Chromium.start()) {
            ApiClient admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
            ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
            long agent1 = agent.get("/api/v1/me").json().get("id").asLong();
            int carrier = Ports.free();
            long trunk = admin.post("/api/v1/trunks", Map.of("name", "carrier", "host", "127.0.0.1", "port", carrier, "allowedIps", List.of()))
                    .json().get("id").asLong();
            Map<String, Object> s = new HashMap<>();
            s.put("trunkId", trunk);
            s.put("callerIds", List.of("02188886666"));
            s.put("agentIds", List.of(agent1));
            var made = admin.post("/api/v1/campaigns", Map.of("name", "preview-e2e", "mode", "preview", "settings", s));
            assertThat(made.status()).as(made.toString()).isEqualTo(201);
            long id = made.json().get("id").asLong();
            var imp = admin.upload("POST", "/api/v1/campaigns/" + id + "/contacts", "list.csv",
                    "number,name,amount\n13600000001,王先生,120\n13600000002,李女士,80\n".getBytes(StandardCharsets.UTF_8));
            assertThat(imp.status()).as(imp.toString()).isEqualTo(201);
            assertThat(admin.post("/api/v1/campaigns/" + id + "/state", Map.of("state", "running")).status()).isEqualTo(200);
            // Bad input to the desk's route is a 400 naming the field; another enterprise's campaign is not found.
            var bad = agent.post("/api/v1/agent/preview", Map.of("campaignId", id, "contactId", 1, "action", "call"));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("action");
            assertThat(agent.post("/api/v1/agent/preview", Map.of("campaignId", 999999, "contactId", 1, "action", "skip")).status()).isEqualTo(404);

            SipPeers peers = new SipPeers(dir, server.hotline().engine().sipPort());
            int phonePort = Ports.free();
            Sipp.Run phone = peers.phone(phonePort);
            Sipp.Run far = null;
            try {
                peers.register("1001", PW, phonePort, "200");
                assertThat(agent.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);
                assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
                ChromeDriver d = chrome.driver();
                chrome.signInEnglish(server.baseUrl(), "demo", "agent1", PW);
                WebDriverWait wait = chrome.waitAtMost(Duration.ofSeconds(15));
                wait.until(ExpectedConditions.urlContains("/agent.html"));

                wait.until(x -> text(x, "desk-preview-number").equals("13600000001"));
                assertThat(text(d, "desk-preview-name")).isEqualTo("王先生");
                assertThat(text(d, "desk-preview-var-amount")).isEqualTo("120");
                assertThat(text(d, "desk-preview-campaign")).isEqualTo("preview-e2e");
                assertThat(text(d, "desk-preview-dial")).isEqualTo("Dial");
                d.findElement(tid("lang-zh")).click();
                wait.until(x -> text(x, "desk-preview-dial").equals("拨打"));
                assertThat(text(d, "desk-preview-skip")).isEqualTo("跳过");
                d.findElement(tid("lang-en")).click();
                wait.until(x -> text(x, "desk-preview-dial").equals("Dial"));

                // Skip: the next record shows.
                d.findElement(tid("desk-preview-skip")).click();
                wait.until(x -> text(x, "desk-preview-number").equals("13600000002"));

                // Dial: the server calls the number through the campaign's trunk; the answer rings the agent's phone.
                far = Sipp.start(dir, "uas_bye", withEngine(SipPeers.vars("x", "PAUSE", "3000", "FROMCHECK", "sip:02188886666@"),
                        server.hotline().engine().sipPort()), null, carrier, List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4))));
                Sipp.awaitUdpBound(carrier);
                d.findElement(tid("desk-preview-dial")).click();
                SipPeers.ok(far);
                far = null;
                JsonNode second = await("answered").atMost(Duration.ofSeconds(20)).until(() -> contact(admin, id, "13600000002"),
                        c -> "answered".equals(c.path("lastOutcome").asText()));
                assertThat(second.get("state").asText()).isEqualTo("done");
                JsonNode first = contact(admin, id, "13600000001");
                assertThat(first.get("state").asText()).isEqualTo("skipped");
                assertThat(first.get("lastOutcome").asText()).isEqualTo("skipped");
                List<String> ev = await("events").atMost(Duration.ofSeconds(10)).until(() -> events(admin, id),
                        l -> l.stream().anyMatch(e -> e.contains("outcome=answered")));
                assertThat(ev).anySatisfy(e -> assertThat(e).contains("number=13600000001 outcome=skipped reason=agent_skipped agent=" + agent1));
                assertThat(ev).anySatisfy(e -> assertThat(e).contains("number=13600000002 attempt=1 mode=preview"));
                assertThat(ev).anySatisfy(e -> assertThat(e).contains("number=13600000002 outcome=answered agent=" + agent1));
                // Nothing left to show.
                wait.until(x -> x.findElements(tid("desk-preview")).isEmpty());
                assertThat(agent.get("/api/v1/agent/preview").body()).isEqualTo("null");
                assertThat(chrome.scriptErrors()).as("errors in the browser console").isEmpty();
            } finally {
                phone.kill();
                if (far != null) far.kill();
            }
        }
    }

    /** The element's text, or "" while it is missing or being re-rendered (the card is looked at again every 3 s). */
    static String text(WebDriver d, String testId) {
        try {
            var els = d.findElements(tid(testId));
            return els.isEmpty() ? "" : els.get(0).getText();
        } catch (StaleElementReferenceException e) {
            return "";
        }
    }

    static Map<String, String> withEngine(Map<String, String> vars, int sipPort) {
        vars.put("ENGINE", "127.0.0.1:" + sipPort);
        return vars;
    }

    static JsonNode contact(ApiClient admin, long id, String number) {
        for (JsonNode c : admin.get("/api/v1/campaigns/" + id + "/contacts").json()) if (c.get("number").asText().equals(number)) return c;
        throw new AssertionError("no " + number);
    }

    static List<String> events(ApiClient admin, long id) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : admin.get("/api/v1/campaigns/" + id + "/events").json()) out.add(e.get("data").asText());
        return out;
    }
}
