package dev.hotline.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.hotline.testing.ApiClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * API-2 in the browser: an admin adds a webhook on the console (bad URL and events shown under their fields), sends it a test
 * event that a receiver of this test gets, sees the delivery's status in the last deliveries (failed and retrying while the
 * receiver answers 500, delivered once it answers 204), sends it again, edits and deletes the webhook; in English and Chinese.
 */
class WebhooksBrowserTest {
    @RegisterExtension
    static final ConsoleDriver ui = new ConsoleDriver();

    @Test
    void anAdminAddsAWebhookSendsATestSeesItsDeliveriesEditsAndDeletesIt() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger answer = new AtomicInteger(500);
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = answer.get();
            if (status == 204) received.add(ex.getRequestHeaders().getFirst("X-Hotline-Event") + " " + body);
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        try {
            ui.click("lang-en");
            ui.login("demo", "admin", ui.server().demoPassword());
            ui.waitFor(ExpectedConditions.urlContains("#/"));
            ui.click("lang-en");
            ui.click("nav-webhooks");
            ui.waitText("page-title", ui.en("webhooks.title"));

            ui.click("webhook-new");
            ui.type("webhook-form-url", "ftp://example.com/x");
            ui.type("webhook-form-events", "ticket.*, tickets.opened");
            ui.click("webhook-save");
            assertThat(ui.el("webhook-form-url-error").getText()).isNotBlank();
            assertThat(ui.el("webhook-form-events-error").getText()).contains("tickets.opened");
            ui.type("webhook-form-url", url);
            ui.type("webhook-form-events", "ticket.*, call.closed");
            ui.type("webhook-form-description", "CRM");
            ui.click("webhook-save");
            ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", ui.server().demoPassword());
            long id = ui.waitFor(d -> admin.get("/api/v1/webhooks").json().size() == 1 ? admin.get("/api/v1/webhooks").json().get(0) : null)
                    .get("id").asLong();
            assertThat(admin.get("/api/v1/webhooks").json().get(0).get("events").toString()).isEqualTo("[\"ticket.*\",\"call.closed\"]");
            ui.waitFor(d -> ui.text("webhook-row-" + id).contains(url));
            assertThat(ui.text("webhook-secret-" + id)).startsWith("whsec_");

            // The receiver fails first: the test event shows as failed and retrying with the 500; then it is taken.
            ui.click("webhook-test-" + id);
            ui.el("webhook-deliveries");
            String deliveryState = ui.waitFor(d -> {
                ui.click("webhook-deliveries-refresh");
                return d.findElements(ConsoleDriver.tid("webhook-deliveries-table")).get(0).getText().contains("500") ? "seen" : null;
            });
            assertThat(deliveryState).isEqualTo("seen");
            assertThat(ui.text("webhook-deliveries-table")).contains("webhook.test", ui.en("webhooks.state.retrying"));
            answer.set(204);
            ui.waitFor(d -> received.size() == 1);
            assertThat(received.get(0)).startsWith("webhook.test ").contains("\"webhookId\":" + id);
            ui.waitFor(d -> {
                ui.click("webhook-deliveries-refresh");
                return ui.text("webhook-deliveries-table").contains(ui.en("webhooks.state.delivered"));
            });
            assertThat(ui.text("webhook-deliveries-table")).contains("204");
            long delivery = admin.get("/api/v1/webhooks/" + id + "/deliveries").json().get(0).get("id").asLong();
            ui.click("webhook-resend-" + delivery);
            ui.waitFor(d -> received.size() == 2);
            ui.screenshot("webhooks-en");

            // Chinese, then edit (off) and delete.
            ui.click("lang-zh");
            ui.waitText("page-title", ui.zh("webhooks.title"));
            ui.waitFor(d -> ui.text("webhook-deliveries-table").contains(ui.zh("webhooks.state.delivered")));
            ui.screenshot("webhooks-zh");
            ui.click("webhook-edit-" + id);
            ui.click("webhook-form-enabled");
            ui.click("webhook-save");
            ui.waitText("webhook-enabled-" + id, ui.zh("common.disabled"));
            assertThat(admin.get("/api/v1/webhooks").json().get(0).get("enabled").asBoolean()).isFalse();
            ui.click("webhook-delete-" + id);
            ui.click("confirm-ok");
            ui.waitFor(d -> admin.get("/api/v1/webhooks").json().isEmpty());
            ui.waitFor(d -> d.findElements(ConsoleDriver.tid("webhook-row-" + id)).isEmpty());
        } finally {
            receiver.stop(0);
        }
    }
}
