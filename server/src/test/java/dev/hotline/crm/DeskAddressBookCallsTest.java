package dev.hotline.crm;

import static dev.hotline.testing.Chromium.tid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.Chromium;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * CRM-6 on the desk: the address-book panel lists the agent's personal contacts and the staff directory, and a click
 * on a number dials it through the desk's dial path (the agent's SIPp phone rings first, then the number): a
 * colleague's extension is a real internal call answered by their SIPp phone; a personal contact's outside number is
 * dialled out (the call panel shows it, without the spaces it was written with).
 */
class DeskAddressBookCallsTest {
    static final String PW = TestServer.DEMO_PASSWORD;

    @Test
    void contactsAndColleaguesAreDialledFromTheDesk() throws Exception {
        Path dir = Files.createTempDirectory("desk-book");
        List<Sipp.Run> phones = new ArrayList<>();
        try (TestServer server = TestServer.start(TestDatabases.Kind.H2, Map.of("sip.default.enterprise", "demo"));
             Chromium chrome = Chromium.start()) {
            ApiClient agent1 = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
            var contact = agent1.post("/api/v1/contacts", Map.of("name", "Plumber Pan", "number", "139 0000 1234", "company", "Pipes Ltd"));
            assertThat(contact.status()).as(contact.toString()).isEqualTo(201);
            SipPeers peers = new SipPeers(dir, server.hotline().engine().sipPort());
            int port1 = Ports.free();
            phones.add(peers.phone(port1));
            peers.register("1001", PW, port1, "200");
            int port2 = Ports.free();
            phones.add(peers.phone(port2));
            peers.register("1002", PW, port2, "200");
            assertThat(agent1.post("/api/v1/agent/session", Map.of("device", "sip")).status()).isEqualTo(200);

            ChromeDriver d = chrome.driver();
            chrome.signInEnglish(server.baseUrl(), "demo", "agent1", PW);
            WebDriverWait wait = chrome.waitAtMost(Duration.ofSeconds(20));
            wait.until(ExpectedConditions.urlContains("/agent.html"));
            wait.until(x -> "true".equals(chrome.attr("desk-book", "data-loaded")));
            WebElement colleague = wait.until(x -> x.findElement(tid("desk-book-staff-agent2")));
            assertThat(colleague.getText()).contains("1002", "8002");
            assertThat(d.findElement(tid("desk-book-contacts")).getText()).contains("Plumber Pan", "139 0000 1234");

            // A colleague's extension: the agent's phone rings first (and answers), then 1002's, which answers.
            WebElement ext = wait.until(x -> colleague.findElement(By.cssSelector("[data-testid=dial-link][data-number='1002']")));
            wait.until(x -> ext.isEnabled());
            ext.click();
            wait.until(x -> "1002".equals(x.findElement(tid("desk-caller-number")).getText()));
            wait.until(x -> x.findElement(tid("desk-call-panel-state")).getText().startsWith("Talking"));
            assertThat(server.hotline().engine().channels()).as("agent 1's leg and 1002's").hasSizeGreaterThanOrEqualTo(2);
            server.hotline().engine().channels().forEach(ch -> ch.hangup(HangupCause.NORMAL_CLEARING));
            await().atMost(Duration.ofSeconds(10)).until(() -> server.hotline().engine().channels().isEmpty());

            // A personal contact, found by the panel's search: dialled as written, out through the trunk.
            d.findElement(tid("desk-book-search")).sendKeys("plumb");
            wait.until(x -> !x.findElement(tid("desk-book-staff")).getText().contains("agent2"));
            WebElement out = wait.until(x -> x.findElement(By.cssSelector("[data-testid=desk-book-contacts] [data-testid=dial-link]")));
            wait.until(x -> out.isEnabled());
            out.click();
            // Dialled as the server's dial command takes it: the spaces of the number as written dropped.
            wait.until(x -> "13900001234".equals(x.findElement(tid("desk-caller-number")).getText()));
            assertThat(d.findElement(tid("desk-call-direction")).getText()).isEqualTo("Outbound");
            chrome.screenshot("crm-desk-addressbook-en");
            server.hotline().engine().channels().forEach(ch -> ch.hangup(HangupCause.NORMAL_CLEARING));
            await().atMost(Duration.ofSeconds(10)).until(() -> server.hotline().engine().channels().isEmpty());
            assertThat(chrome.scriptErrors()).as("errors in the browser console").isEmpty();
        } finally {
            phones.forEach(Sipp.Run::kill);
        }
    }
}
