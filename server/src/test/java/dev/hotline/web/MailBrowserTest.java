package dev.hotline.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** MSG-2 in the browser: the e-mail page saves the SMTP server, shows a bad field under it and sends a test message. */
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
}
