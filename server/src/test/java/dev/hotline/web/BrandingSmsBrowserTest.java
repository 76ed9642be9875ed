package dev.hotline.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.testing.ApiClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * ADM-4 in the browser: the console's branding page sets the company name and uploads a PNG logo (the header shows both
 * at once; an SVG is refused with the server's reason under the field), and the wallboard opened with its token link shows
 * them, as do the supervisor page's and an agent's desk's headers. MSG-3: the ticket page's "Send SMS" dialog queues an SMS to the ticket's caller with the ticket's tracking number,
 * and shows a refused empty text under its field; the campaign page makes an SMS campaign (no trunk, caller ID or queue)
 * whose numbers' SMS state shows in the list once it runs.
 */
class BrandingSmsBrowserTest {
    @RegisterExtension
    static final ConsoleDriver ui = new ConsoleDriver();

    static boolean imageLoaded(String testId, int width) {
        return Boolean.TRUE.equals(ui.js().executeScript("const i = document.querySelector('[data-testid=" + testId + "]');"
                + " return !!i && i.complete && i.naturalWidth === " + width + ";"));
    }

    @Test
    void theBrandingPageSetsTheNameAndLogoTheHeaderAndTheWallboardShowThem() throws Exception {
        ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", ui.server().demoPassword());
        Path dir = Files.createTempDirectory("branding");
        var img = new java.awt.image.BufferedImage(48, 24, java.awt.image.BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", png);
        Path logo = Files.write(dir.resolve("logo.png"), png.toByteArray());
        Path svg = Files.writeString(dir.resolve("logo.svg"), "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
                StandardCharsets.UTF_8);
        try {
            ui.click("lang-en");
            ui.login("demo", "admin", ui.server().demoPassword());
            ui.waitFor(ExpectedConditions.urlContains("#/"));
            ui.click("lang-en"); // the server remembers the admin's last language (another test may have chosen zh)
            ui.click("nav-branding");
            ui.waitText("page-title", ui.en("branding.title"));
            ui.el("branding-no-logo");

            // a bad file: the server's reason under the field, nothing stored
            ui.el("branding-logo-file").sendKeys(svg.toString());
            ui.click("branding-upload");
            ui.waitFor(d -> ui.text("branding-logo-error").contains("PNG or JPEG"));
            assertThat(admin.get("/api/v1/branding").json().get("logoUrl").isNull()).isTrue();
            ui.screenshot("branding-refused-en");

            ui.el("branding-logo-file").sendKeys(logo.toString());
            ui.click("branding-upload");
            ui.waitFor(d -> imageLoaded("branding-logo-preview", 48));
            ui.waitFor(d -> imageLoaded("app-logo", 48)); // the header, without a reload
            assertThat(ui.driver().findElements(ConsoleDriver.tid("branding-logo-error"))).isEmpty();
            ui.type("branding-company", "Acme 热线中心");
            ui.click("branding-save");
            ui.waitText("app-company", "Acme 热线中心");
            assertThat(admin.get("/api/v1/branding").json().get("companyName").asText()).isEqualTo("Acme 热线中心");
            ui.screenshot("branding-en");
            ui.click("lang-zh");
            ui.waitText("page-title", ui.zh("branding.title"));
            ui.screenshot("branding-zh");

            // the wallboard (token link, no login) heads the board with them
            JsonNode link = admin.post("/api/v1/settings/wallboard/link", Map.of()).json();
            ui.open(link.get("url").asText() + "&lang=zh");
            ui.waitText("wb-company", "Acme 热线中心");
            ui.waitFor(d -> imageLoaded("wb-logo", 48));
            ui.waitFor(d -> d.getTitle().startsWith("Acme 热线中心"));
            ui.screenshot("wallboard-branding-zh");
            assertThat(new ApiClient(ui.server().baseUrl()).get("/api/v1/wallboard/branding?token=1.bad").status()).isEqualTo(401);

            // the supervisor page's header, and the desk's for an agent
            ui.open("/supervisor.html");
            ui.waitText("app-company", "Acme 热线中心");
            ui.waitFor(d -> imageLoaded("app-logo", 48));
            ui.click("logout");
            ui.el("login-submit");
            ui.login("demo", "agent1", ui.server().demoPassword());
            ui.waitFor(ExpectedConditions.urlContains("/agent.html"));
            ui.waitText("app-company", "Acme 热线中心");
            ui.waitFor(d -> imageLoaded("app-logo", 48));
            ui.click("logout");
            ui.el("login-submit");
            ui.login("demo", "admin", ui.server().demoPassword());
            ui.waitFor(ExpectedConditions.urlContains("#/"));

            // the product's mark again once the logo is removed
            ui.open("/#/branding");
            ui.click("branding-remove");
            ui.el("branding-no-logo");
            ui.waitFor(d -> d.findElements(ConsoleDriver.tid("app-logo")).isEmpty());
        } finally {
            admin.put("/api/v1/branding", Map.of("companyName", ""));
            admin.delete("/api/v1/branding/logo");
        }
    }

    /**
     * MSG-5 in the browser: the faxes page sends a PNG to a fax number of the same server (a trunk back to itself), shows
     * the sent and the received fax with their pages and a TIFF link; a file that is no image is refused under its field.
     */
    @Test
    void theFaxPageSendsADocumentAndListsTheFaxSentAndReceived() throws Exception {
        ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", ui.server().demoPassword());
        int sip = ui.server().hotline().engine().sipPort();
        long trunk = admin.post("/api/v1/trunks", Map.of("name", "fax-loop", "host", "127.0.0.1", "port", sip,
                "allowedIps", java.util.List.of())).json().get("id").asLong();
        assertThat(admin.post("/api/v1/outbound-routes", Map.of("name", "fax-out", "prefix", "7788", "stripDigits", 0,
                "trunkId", trunk, "priority", 1)).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "77880001", "destinationType", "fax")).status()).isEqualTo(201);
        Path dir = Files.createTempDirectory("fax");
        Path png = Files.write(dir.resolve("letter.png"), dev.hotline.fax.FaxCallsTest.png());
        Path pdf = Files.writeString(dir.resolve("letter.pdf"), "%PDF-1.4 not an image", StandardCharsets.UTF_8);
        try {
            ui.click("lang-en");
            ui.login("demo", "admin", ui.server().demoPassword());
            ui.waitFor(ExpectedConditions.urlContains("#/"));
            ui.click("lang-en");
            ui.click("nav-faxes");
            ui.waitText("page-title", ui.en("faxes.title"));
            ui.type("fax-number", "77880001");
            ui.el("fax-file").sendKeys(pdf.toString());
            ui.click("fax-send-go");
            ui.waitFor(d -> ui.text("fax-file-error").contains("not an image"));
            ui.el("fax-file").sendKeys(png.toString());
            new Select(ui.el("fax-resolution")).selectByValue("standard");
            ui.click("fax-send-go");
            JsonNode sent = org.awaitility.Awaitility.await("the fax sent").atMost(java.time.Duration.ofSeconds(90))
                    .pollInterval(java.time.Duration.ofMillis(500)).until(() -> {
                        for (JsonNode f : admin.get("/api/v1/faxes").json()) {
                            if (f.get("direction").asText().equals("outbound") && f.get("status").asText().equals("sent")) return f;
                        }
                        return null;
                    }, java.util.Objects::nonNull);
            JsonNode received = org.awaitility.Awaitility.await("the fax received").atMost(java.time.Duration.ofSeconds(90))
                    .pollInterval(java.time.Duration.ofMillis(500)).until(() -> {
                        for (JsonNode f : admin.get("/api/v1/faxes").json()) {
                            if (f.get("direction").asText().equals("inbound") && f.get("status").asText().equals("received")) return f;
                        }
                        return null;
                    }, java.util.Objects::nonNull);
            ui.click("fax-refresh");
            ui.waitText("fax-status-" + sent.get("id").asText(), ui.en("faxes.status.sent"));
            ui.waitText("fax-status-" + received.get("id").asText(), ui.en("faxes.status.received"));
            assertThat(ui.text("fax-pages-" + received.get("id").asText())).isEqualTo("1");
            assertThat(ui.el("fax-document-" + received.get("id").asText()).getAttribute("href"))
                    .endsWith("/api/v1/faxes/" + received.get("id").asText() + "/document");
            ui.screenshot("faxes-en");
            ui.click("lang-zh");
            ui.waitText("page-title", ui.zh("faxes.title"));
            ui.waitText("fax-status-" + received.get("id").asText(), ui.zh("faxes.status.received"));
            ui.screenshot("faxes-zh");
        } finally {
            ui.click("lang-en");
        }
    }

    @Test
    void theTicketPageSendsAnSmsToTheTicketsCaller() {
        ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", ui.server().demoPassword());
        var opened = admin.post("/api/v1/tickets", Map.of("type", "complaint", "title", "Parcel late", "callerNumber", "13900000077",
                "form", Map.of("category", "billing", "severity", "high")));
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        long ticket = opened.json().get("id").asLong();
        String tracking = opened.json().get("trackingNumber").asText();
        var tpl = admin.post("/api/v1/sms/templates", Map.of("name", "ticket-ack", "body", "您的工单{ticket}已受理。"));
        assertThat(tpl.status()).as(tpl.toString()).isEqualTo(201);

        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitFor(ExpectedConditions.urlContains("#/"));
        ui.click("lang-en"); // the server remembers the admin's last language
        ui.open("/#/tickets?id=" + ticket);
        ui.waitText("ticket-detail-number", tracking);
        ui.waitText("ticket-sms", ui.en("tickets.sms"));
        ui.click("ticket-sms");
        ui.el("ticket-sms-dialog");
        // no template and no text: the server's refusal under the text field
        ui.click("ticket-sms-send");
        ui.waitFor(d -> !ui.text("ticket-sms-text-error").isBlank());
        new Select(ui.el("ticket-sms-template")).selectByVisibleText("ticket-ack");
        ui.click("ticket-sms-send");
        ui.waitFor(d -> ui.text("ticket-sms-sent").contains("13900000077"));
        assertThat(ui.driver().findElements(ConsoleDriver.tid("ticket-sms-dialog"))).isEmpty();
        ui.screenshot("ticket-sms-en");
        long sms = Long.parseLong(ui.el("ticket-sms-sent").getAttribute("data-sms-id"));
        JsonNode m = admin.get("/api/v1/sms/messages/" + sms).json();
        assertThat(m.get("kind").asText()).isEqualTo("ticket");
        assertThat(m.get("ticketId").asLong()).isEqualTo(ticket);
        assertThat(m.get("number").asText()).as("the ticket's caller by default").isEqualTo("13900000077");
        assertThat(m.get("text").asText()).isEqualTo("您的工单" + tracking + "已受理。");

        ui.click("lang-zh");
        ui.waitText("ticket-sms", ui.zh("tickets.sms"));
        ui.click("ticket-sms");
        ui.type("ticket-sms-to", "13900000078");
        ui.type("ticket-sms-text", "请查收");
        ui.click("ticket-sms-send");
        ui.waitFor(d -> ui.text("ticket-sms-sent").contains("13900000078"));
        ui.screenshot("ticket-sms-zh");
    }

    @Test
    void theCampaignPageMakesAnSmsCampaignAndShowsEachNumbersSmsState() throws Exception {
        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitFor(ExpectedConditions.urlContains("#/"));
        ui.click("lang-en");
        ui.click("nav-campaigns");
        ui.waitText("page-title", ui.en("campaigns.title"));
        new Select(ui.el("campaign-mode")).selectByValue("sms");
        assertThat(ui.driver().findElements(ConsoleDriver.tid("campaign-trunk"))).as("no trunk for an SMS campaign").isEmpty();
        ui.type("campaign-name", "sms-notice");
        ui.type("campaign-windows", "00:00-23:59"); // all day (clearing the field alone leaves Vue's model at the default windows)
        ui.type("campaign-sms-text", "{name}，您的包裹已发出。");
        ui.click("campaign-create");
        ui.waitFor(d -> ui.text("campaign-state-sms-notice").equals(ui.en("campaigns.states.draft")));
        Path csv = Files.createTempFile("sms-campaign", ".csv");
        Files.writeString(csv, "number,name\n13800000011,Zhang San\n", StandardCharsets.UTF_8);
        ui.el("campaign-file").sendKeys(csv.toAbsolutePath().toString());
        ui.click("campaign-import");
        ui.waitFor(d -> ui.text("campaign-import-result").contains("1 imported"));
        ui.click("campaign-start");
        ui.waitFor(d -> ui.text("campaign-state-sms-notice").equals(ui.en("campaigns.states.running")));
        // no gateway in this server: the SMS stays queued once the dialer's thread queued it
        ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", ui.server().demoPassword());
        long id = -1;
        for (var c : admin.get("/api/v1/campaigns").json()) if (c.get("name").asText().equals("sms-notice")) id = c.get("id").asLong();
        String contacts = "/api/v1/campaigns/" + id + "/contacts";
        ui.waitFor(d -> "queued".equals(admin.get(contacts).json().get(0).path("smsStatus").asText()));
        ui.click(ui.driver().findElement(ConsoleDriver.tid("campaign-row-sms-notice")).findElement(org.openqa.selenium.By.tagName("button")));
        ui.waitText("campaign-sms-13800000011", ui.en("sms.status.queued"));
        ui.screenshot("campaign-sms-en");
        // MSG-3: the running SMS campaign's rate: 0 refused under the field, 120 a minute saved.
        ui.type("campaign-sms-edit-rate", "0");
        ui.click("campaign-sms-edit-save");
        ui.waitFor(d -> !ui.text("campaign-sms-edit-rate-error").isEmpty());
        ui.type("campaign-sms-edit-rate", "120");
        ui.click("campaign-sms-edit-save");
        long campaign = id;
        ui.waitFor(d -> admin.get("/api/v1/campaigns/" + campaign).json().at("/campaign/settings/sms/perMinute").asInt() == 120);
        JsonNode m = null;
        for (var x : admin.get("/api/v1/sms/messages?kind=campaign").json()) {
            if (x.get("number").asText().equals("13800000011")) m = x;
        }
        assertThat(m).isNotNull();
        assertThat(m.get("text").asText()).isEqualTo("Zhang San，您的包裹已发出。");
    }

    /**
     * MSG-3 in the console: a calling campaign's SMS after the outcomes ticked, with a template picked from the list; without
     * a template or a text the server's reason shows under the text field.
     */
    @Test
    void theCampaignPageSetsATemplatedSmsAfterTheOutcomesTicked() {
        ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", ui.server().demoPassword());
        var tpl = admin.post("/api/v1/sms/templates", Map.of("name", "thanks-for-answering", "body", "{name}您好，感谢接听。"));
        assertThat(tpl.status()).as(tpl.toString()).isEqualTo(201);
        long template = tpl.json().get("id").asLong();
        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitFor(ExpectedConditions.urlContains("#/"));
        ui.click("lang-en");
        ui.click("nav-campaigns");
        ui.waitText("page-title", ui.en("campaigns.title"));
        new Select(ui.el("campaign-mode")).selectByValue("notification");
        ui.type("campaign-name", "sms-after-answer");
        new Select(ui.el("campaign-trunk")).selectByIndex(0);
        ui.type("campaign-callerids", "4000100");
        ui.type("campaign-text", "您好");
        new Select(ui.el("campaign-queue")).selectByIndex(0); // key 0 of a notification goes to an agent of this queue
        assertThat(ui.driver().findElements(ConsoleDriver.tid("campaign-sms-template"))).as("no SMS until an outcome is ticked").isEmpty();
        ui.click("campaign-sms-on-answered");
        ui.click("campaign-sms-on-exhausted");
        ui.click("campaign-create");
        ui.waitFor(d -> !ui.text("campaign-sms-text-error").isEmpty());
        ui.screenshot("campaign-sms-after-refused-en");
        new Select(ui.el("campaign-sms-template")).selectByVisibleText("thanks-for-answering");
        assertThat(ui.driver().findElements(ConsoleDriver.tid("campaign-sms-text"))).as("a template needs no text").isEmpty();
        ui.click("campaign-create");
        try {
            ui.waitFor(d -> ui.text("campaign-state-sms-after-answer").equals(ui.en("campaigns.states.draft")));
        } catch (org.openqa.selenium.TimeoutException e) {
            ui.screenshot("campaign-sms-after-failed-en");
            throw new AssertionError("not created: " + ui.driver().findElements(ConsoleDriver.tid("campaign-form-error")).stream()
                    .map(org.openqa.selenium.WebElement::getText).toList(), e);
        }
        ui.screenshot("campaign-sms-after-en");
        JsonNode sms = null;
        for (var c : admin.get("/api/v1/campaigns").json()) {
            if (c.get("name").asText().equals("sms-after-answer")) sms = admin.get("/api/v1/campaigns/" + c.get("id").asLong()).json();
        }
        assertThat(sms).isNotNull();
        JsonNode settings = sms.get("campaign").get("settings").get("sms");
        assertThat(settings.get("templateId").asLong()).isEqualTo(template);
        assertThat(settings.path("text").isNull() || settings.path("text").isMissingNode()).as(settings.toString()).isTrue();
        assertThat(settings.get("on").toString()).isEqualTo("[\"answered\",\"exhausted\"]");

        // The campaign's own SMS form changes it afterwards: busy instead of answered, an own text instead of the template;
        // an empty text is refused under its field first.
        long id = sms.get("campaign").get("id").asLong();
        ui.click(ui.driver().findElement(ConsoleDriver.tid("campaign-row-sms-after-answer")).findElement(org.openqa.selenium.By.tagName("button")));
        ui.waitFor(d -> ui.el("campaign-sms-edit-on-answered").isSelected());
        assertThat(new Select(ui.el("campaign-sms-edit-template")).getFirstSelectedOption().getText()).isEqualTo("thanks-for-answering");
        ui.click("campaign-sms-edit-on-answered");
        ui.click("campaign-sms-edit-on-busy");
        new Select(ui.el("campaign-sms-edit-template")).selectByValue("");
        ui.click("campaign-sms-edit-save");
        ui.waitFor(d -> !ui.text("campaign-sms-edit-text-error").isEmpty());
        ui.screenshot("campaign-sms-edit-refused-en");
        ui.type("campaign-sms-edit-text", "{name}，稍后再联系您。");
        ui.click("campaign-sms-edit-save");
        ui.waitFor(d -> admin.get("/api/v1/campaigns/" + id).json().at("/campaign/settings/sms/text").asText().equals("{name}，稍后再联系您。"));
        JsonNode edited = admin.get("/api/v1/campaigns/" + id).json().at("/campaign/settings/sms");
        assertThat(edited.get("on").toString()).isEqualTo("[\"busy\",\"exhausted\"]");
        assertThat(edited.path("templateId").isNull() || edited.path("templateId").isMissingNode()).as(edited.toString()).isTrue();
        assertThat(ui.driver().findElements(ConsoleDriver.tid("campaign-sms-edit-text-error"))).as("the error is gone").isEmpty();
        ui.screenshot("campaign-sms-edit-en");
    }
}
