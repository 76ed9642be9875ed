package dev.hotline.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.hotline.engine.testing.PrivateCa;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * MSG-2 over TLS: SMTP servers whose certificate a private CA signed for 127.0.0.1, trusted through the server's
 * {@code smtp.truststore}. Implicit TLS (GreenMail's SMTPS) and STARTTLS (a STARTTLS front before GreenMail's plain SMTP,
 * since GreenMail 2.1 has none) deliver; STARTTLS against a server that does not offer it is refused (no fall-back to
 * plain text); a server without the trust store refuses the private CA's certificate.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MailTlsTest {
    static final String PW = "store-secret";
    Path dir;
    Path trust;
    TestServer server;
    ApiClient admin;
    GreenMail smtps;
    GreenMail plain;
    StartTlsFront front;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("mail-tls");
        PrivateCa ca = new PrivateCa("Mail Private CA", PW);
        trust = ca.trustStore(dir.resolve("ca.p12"));
        Path keys = ca.keyStore(dir.resolve("smtp.p12"), "127.0.0.1", "localhost");
        // GreenMail's TLS key store (read once per JVM, when its first TLS server starts).
        System.setProperty("greenmail.tls.keystore.file", keys.toString());
        System.setProperty("greenmail.tls.keystore.password", PW);
        System.setProperty("greenmail.tls.key.password", PW);
        smtps = new GreenMail(new ServerSetup(MailTest.tcpPort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));
        smtps.start();
        plain = new GreenMail(new ServerSetup(MailTest.tcpPort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        plain.start();
        front = new StartTlsFront(keys, PW, plain.getSmtp().getPort());
        server = TestServer.start(TestDatabases.Kind.H2, Map.of("smtp.truststore", trust.toString(), "smtp.truststore.password", PW));
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) server.close();
        front.close();
        smtps.stop();
        plain.stop();
    }

    static void use(ApiClient admin, int port, String security) {
        var r = admin.put("/api/v1/mail/settings", Map.of("host", "127.0.0.1", "port", port, "security", security, "from", "hotline@demo.test"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    @Test
    void implicitTlsDeliversToAServerTheTrustStoreVouchesFor() throws Exception {
        use(admin, smtps.getSmtps().getPort(), "tls");
        var r = admin.post("/api/v1/mail/test", Map.of("to", "tls@demo.test"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(smtps.waitForIncomingEmail(10_000, 1)).isTrue();
        assertThat(smtps.getReceivedMessages()[0].getAllRecipients()[0].toString()).isEqualTo("tls@demo.test");
    }

    @Test
    void startTlsUpgradesBeforeSendingAndIsNeverSkipped() throws Exception {
        int before = plain.getReceivedMessages().length;
        use(admin, front.port(), "starttls");
        var r = admin.post("/api/v1/mail/test", Map.of("to", "starttls@demo.test"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(plain.waitForIncomingEmail(10_000, before + 1)).isTrue();
        assertThat(front.upgrades()).as("the message went over the upgraded connection").isGreaterThanOrEqualTo(1);

        // GreenMail's plain port offers no STARTTLS: the message is not sent in clear.
        use(admin, plain.getSmtp().getPort(), "starttls");
        var refused = admin.post("/api/v1/mail/test", Map.of("to", "clear@demo.test"));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
        assertThat(refused.json().get("code").asText()).isEqualTo("smtp_failed");
        assertThat(refused.body()).containsIgnoringCase("STARTTLS");
        assertThat(plain.getReceivedMessages()).hasSize(before + 1);
    }

    @Test
    void withoutTheTrustStoreThePrivateCertificateIsRefused() throws Exception {
        int before = smtps.getReceivedMessages().length;
        try (TestServer untrusting = TestServer.start()) {
            ApiClient other = ApiClient.loggedIn(untrusting.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
            use(other, smtps.getSmtps().getPort(), "tls");
            var r = other.post("/api/v1/mail/test", Map.of("to", "tls@demo.test"));
            assertThat(r.status()).as(r.toString()).isEqualTo(503);
            assertThat(r.body()).containsIgnoringCase("certif");
        }
        assertThat(smtps.getReceivedMessages()).hasSize(before);
    }
}
