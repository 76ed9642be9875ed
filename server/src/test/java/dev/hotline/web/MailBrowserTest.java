package dev.hotline.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.hotline.testing.ApiClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * MSG-2 in the browser: the e-mail page saves the SMTP server, shows a bad field under it and sends a test message.
 * MSG-3: the SMS page saves a gateway (a bad port shown under it), adds a template, turns a queue's after-call SMS on and
 * sends an SMS that shows in the log. MSG-2 scheduled reports: a schedule made on its page (a bad address shown under the
 * field), sent now, received with its file, and shown in the send log, in en and zh.
 */
class MailBrowserTest {
    @RegisterExtension
    static final ConsoleDriver ui = new ConsoleDriver();

    @Test
    void anAdminSetsTheSmtpServerAndSendsATestMessage() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            ui.click("lang-en");
            ui.login("demo", "admin", ui.server().demoPassword());
            ui.waitFor(ExpectedConditions.urlContains("#/"));
            ui.click("nav-mail");
            ui.waitText("page-title", ui.en("mail.title"));
            ui.waitText("mail-source", ui.en("mail.source.none"));

            ui.type("mail-host", "127.0.0.1");
            ui.type("mail-port", "99999");
            new Select(ui.el("mail-security")).selectByValue("none");
            ui.type("mail-from", "hotline@demo.test");
            ui.click("mail-save");
            ui.el("mail-port-error");
            assertThat(ui.text("mail-port-error")).isNotBlank();

            ui.type("mail-port", String.valueOf(port));
            ui.click("mail-save");
            ui.waitText("mail-source", ui.en("mail.source.enterprise"));
            ui.type("mail-test-to", "admin@demo.test");
            ui.click("mail-test");
            assertThat(smtp.waitForIncomingEmail(15_000, 1)).isTrue();
            assertThat(smtp.getReceivedMessages()[0].getAllRecipients()[0].toString()).isEqualTo("admin@demo.test");
            ui.screenshot("mail-en");

            ui.click("lang-zh");
            ui.waitText("page-title", ui.zh("mail.title"));
            ui.waitText("mail-source", ui.zh("mail.source.enterprise"));
            ui.screenshot("mail-zh");
        } finally {
            smtp.stop();
        }
    }

    @Test
    void anAdminSetsTheSmsGatewayAddsATemplateAndSendsAnSms() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // nobody listens: the link stays connecting and the message queued
        }
        ui.click("lang-en");
        ui.login("demo", "admin", ui.server().demoPassword());
        ui.waitFor(ExpectedConditions.urlContains("#/"));
        ui.click("lang-en"); // the admin's language is kept by the server: the other test of the class may have left it zh
        ui.click("nav-sms");
        ui.waitText("page-title", ui.en("sms.title"));
        ui.waitText("sms-link", ui.en("sms.link.none"));

        new Select(ui.el("sms-kind")).selectByValue("smpp");
        ui.type("sms-host", "127.0.0.1");
        ui.type("sms-port", "70000");
        ui.type("sms-system-id", "hotline");
        ui.type("sms-password", "secret1");
        ui.type("sms-source", "10690001");
        ui.click("sms-save");
        ui.el("sms-port-error");
        assertThat(ui.text("sms-port-error")).isNotBlank();
        ui.type("sms-port", String.valueOf(port));
        ui.click("sms-save");
        ui.waitText("sms-link", ui.en("sms.link.connecting"));

        ui.click("sms-template-add");
        ui.type("sms-template-name", "thanks");
        ui.type("sms-template-body", "感谢致电，{name}！");
        ui.click("sms-template-save");
        ui.waitFor(d -> ui.text("sms-templates-table").contains("感谢致电"));
        new Select(ui.el("sms-after-call-select-sales")).selectByVisibleText("thanks");
        ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", ui.server().demoPassword());
        ui.waitFor(d -> admin.get("/api/v1/sms/after-call").json().findValuesAsText("templateName").contains("thanks"));

        ui.type("sms-to", "13800000009");
        new Select(ui.el("sms-send-template")).selectByVisibleText("thanks");
        ui.click("sms-send-go");
        ui.waitFor(d -> ui.text("sms-log-table").contains("13800000009"));
        assertThat(ui.text("sms-log-table")).contains("感谢致电", ui.en("sms.status.queued"));
        ui.screenshot("sms-en");

        ui.click("lang-zh");
        ui.waitText("page-title", ui.zh("sms.title"));
        ui.waitFor(d -> ui.text("sms-log-table").contains(ui.zh("sms.status.queued")));
        ui.screenshot("sms-zh");
    }

    @Test
    void anAdminSchedulesAReportAndSendsItNow() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            ApiClient admin = ApiClient.loggedIn(ui.server().baseUrl(), "demo", "admin", ui.server().demoPassword());
            assertThat(admin.put("/api/v1/mail/settings", java.util.Map.of("host", "127.0.0.1", "port", port, "security", "none",
                    "from", "reports@demo.test")).status()).isEqualTo(200);
            ui.click("lang-en");
            ui.login("demo", "admin", ui.server().demoPassword());
            ui.waitFor(ExpectedConditions.urlContains("#/"));
            ui.click("lang-en");
            ui.click("nav-report-schedules");
            ui.waitText("page-title", ui.en("schedules.title"));
            ui.el("schedules-empty");

            ui.click("schedule-new");
            ui.type("schedule-name", "Queues every morning");
            new Select(ui.el("schedule-report")).selectByValue("queues");
            ui.type("schedule-queue", "sales");
            new Select(ui.el("schedule-format")).selectByValue("csv");
            ui.type("schedule-recipients", "not-an-address");
            ui.click("schedule-save");
            ui.el("schedule-recipients-error");
            assertThat(ui.text("schedule-recipients-error")).isNotBlank();
            ui.type("schedule-recipients", "boss@demo.test");
            ui.click("schedule-save");
            ui.waitFor(d -> ui.text("schedules-table").contains("Queues every morning"));
            long id = admin.get("/api/v1/report-schedules").json().get(0).get("id").asLong();
            assertThat(ui.text("schedule-when-" + id)).contains("08:00");

            ui.click("schedule-send-" + id);
            assertThat(smtp.waitForIncomingEmail(15_000, 1)).isTrue();
            var m = smtp.getReceivedMessages()[0];
            assertThat(m.getSubject()).startsWith("Queues every morning："); // headers and subject in zh, the form's default
            var file = ((jakarta.mail.Multipart) m.getContent()).getBodyPart(1);
            assertThat(file.getFileName()).startsWith("hotline-queues-").endsWith(".csv");
            ui.waitFor(d -> ui.text("schedule-sends-table").contains("boss@demo.test"));
            long send = admin.get("/api/v1/report-sends").json().get(0).get("id").asLong();
            ui.waitFor(d -> {
                ui.click("schedule-sends-refresh");
                return ui.text("send-status-" + send).equals(ui.en("mail.status.sent"));
            });
            ui.screenshot("report-schedules-en");

            ui.click("lang-zh");
            ui.waitText("page-title", ui.zh("schedules.title"));
            ui.waitFor(d -> ui.text("send-status-" + send).equals(ui.zh("mail.status.sent")));
            ui.screenshot("report-schedules-zh");
            ui.click("lang-en"); // the admin's language is kept by the server: the class's other tests start in en
            // The other tests of the class start with no SMTP server of the enterprise's.
            assertThat(admin.put("/api/v1/mail/settings", java.util.Map.of("host", "")).status()).isEqualTo(200);
        } finally {
            smtp.stop();
        }
    }
}
