package dev.hotline.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * MSG-2 end to end against an in-process SMTP server (GreenMail): a SIPp caller leaves a voicemail in a box with e-mail on
 * and its owner receives it with the WAV attached; an SMTP server down then up gets a ticket notification after a retry;
 * the test-send route; bad settings refused naming the field; another enterprise sees none of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MailTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static final String SMTP_USER = "hotline";
    static final String SMTP_PASSWORD = "smtp-secret-77";
    TestServer server;
    ApiClient admin;
    @TempDir
    Path work;

    @BeforeAll
    void start() {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    static int tcpPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GreenMail smtp(int port) {
        GreenMail g = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("hotline@demo.test", SMTP_USER, SMTP_PASSWORD));
        g.start();
        return g;
    }

    void useSmtp(int port, boolean tickets) {
        var r = admin.put("/api/v1/mail/settings", Map.of("host", "127.0.0.1", "port", port, "security", "none", "username", SMTP_USER,
                "password", SMTP_PASSWORD, "from", "hotline@demo.test", "ticketNotifications", tickets));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.body()).as("the password is never returned").doesNotContain(SMTP_PASSWORD);
        assertThat(r.json().get("passwordSet").asBoolean()).isTrue();
        assertThat(r.json().get("source").asText()).isEqualTo("enterprise");
    }

    /** Gives demo user {@code username} the e-mail address {@code email}; returns the user's id. */
    long setEmail(String username, String email) {
        JsonNode u = admin.get("/api/v1/users?q=" + username).json().get(0);
        Map<String, Object> in = new HashMap<>();
        for (String f : List.of("username", "displayName", "roleId", "departmentId", "jobNumber", "extension", "enabled")) {
            if (u.hasNonNull(f)) in.put(f, jsonValue(u.get(f)));
        }
        in.put("email", email);
        var r = admin.put("/api/v1/users/" + u.get("id").asLong(), in);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return u.get("id").asLong();
    }

    static Object jsonValue(JsonNode n) {
        return n.isNumber() ? (Object) n.asLong() : n.isBoolean() ? (Object) n.asBoolean() : n.asText();
    }

    static void assertField(ApiClient.Response r, String field) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        r.json().get("fieldErrors").forEach(f -> fields.add(f.get("field").asText()));
        assertThat(fields).as(r.toString()).contains(field);
    }

    @Test
    void aVoicemailReachesTheBoxOwnersMailboxWithTheRecordingAttached() throws Exception {
        int port = tcpPort();
        GreenMail mail = smtp(port);
        try {
            useSmtp(port, false);
            JsonNode owner = admin.get("/api/v1/users?q=agent3").json().get(0);
            assertThat(owner.get("extension").asText()).isEqualTo("1003");
            setEmail("agent3", "agent3@demo.test");
            var box = admin.put("/api/v1/voicemail/boxes/extension/1003/email", Map.of("enabled", true));
            assertThat(box.status()).as(box.toString()).isEqualTo(200);
            assertThat(admin.post("/api/v1/numbers", Map.of("number", "4811", "destinationType", "voicemail", "destination", "extension:1003"))
                    .status()).isEqualTo(201);

            SipPeers peers = new SipPeers(work, server.hotline().engine().sipPort());
            SipPeers.ok(peers.uac("uac_call", "4811", SipPeers.vars("13700000081", "PAUSE", "6000")));

            assertThat(mail.waitForIncomingEmail(30_000, 1)).as("the voicemail's e-mail arrives").isTrue();
            MimeMessage m = mail.getReceivedMessages()[0];
            assertThat(m.getSubject()).startsWith("Voicemail from 13700000081 (0:0");
            assertThat(m.getRecipients(Message.RecipientType.TO)[0].toString()).isEqualTo("agent3@demo.test");
            assertThat(m.getFrom()[0].toString()).isEqualTo("hotline@demo.test");
            Multipart parts = (Multipart) m.getContent();
            assertThat(parts.getCount()).isEqualTo(2);
            assertThat(parts.getBodyPart(0).getContent().toString()).contains("13700000081", "extension 1003");
            BodyPart wav = parts.getBodyPart(1);
            assertThat(wav.getDisposition()).isEqualTo(Part.ATTACHMENT);
            assertThat(wav.getContentType()).startsWith("audio/wav");
            JsonNode vm = admin.get("/api/v1/voicemail?boxType=extension&box=1003").json().get(0);
            assertThat(wav.getFileName()).isEqualTo("voicemail-" + vm.get("id").asLong() + ".wav");
            byte[] attached = wav.getInputStream().readAllBytes();
            byte[] stored = admin.getBytes("/api/v1/voicemail/" + vm.get("id").asLong() + "/audio?download=1").body();
            assertThat(new String(attached, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RIFF");
            assertThat(new String(attached, 8, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("WAVE");
            assertThat(attached.length).as("the whole recording: %d ms", vm.get("durationMs").asLong()).isEqualTo(stored.length)
                    .isGreaterThan(44 + 8000 * 2); // over a second of 8 kHz 16-bit audio
            assertThat(attached).isEqualTo(stored);

            JsonNode sent = await().atMost(Duration.ofSeconds(5)).until(() -> admin.get("/api/v1/mail/outbox?status=sent").json(),
                    l -> l.findValuesAsText("kind").contains("voicemail"));
            assertThat(sent.get(0).get("to").asText()).isEqualTo("agent3@demo.test");
            assertThat(sent.get(0).get("attempts").asInt()).isEqualTo(1);
        } finally {
            mail.stop();
            admin.put("/api/v1/voicemail/boxes/extension/1003/email", Map.of("enabled", false));
        }
    }

    @Test
    void aTicketNotificationWaitsWhileTheSmtpServerIsDownAndIsSentWhenItIsBack() throws Exception {
        int port = tcpPort(); // nothing listens there yet
        useSmtp(port, true);
        long agent2 = setEmail("agent2", "agent2@demo.test");
        var opened = admin.post("/api/v1/tickets", Map.of("type", "complaint", "title", "Mail me when assigned", "assigneeId", agent2,
                "form", Map.of("category", "billing", "severity", "high")));
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        String tracking = opened.json().get("trackingNumber").asText();

        JsonNode failing = await("a failed attempt shown in the outbox").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> admin.get("/api/v1/mail/outbox?status=pending").json(),
                        l -> l.size() > 0 && l.get(0).get("attempts").asInt() >= 1 && l.get(0).hasNonNull("lastError"));
        JsonNode row = failing.get(0);
        assertThat(row.get("kind").asText()).isEqualTo("ticket");
        assertThat(row.get("to").asText()).isEqualTo("agent2@demo.test");
        assertThat(row.get("lastError").asText()).containsIgnoringCase("connect");
        assertThat(row.get("nextAt").asText()).isNotEmpty();

        GreenMail mail = smtp(port);
        try {
            assertThat(mail.waitForIncomingEmail(30_000, 1)).as("sent on a retry once the server is up").isTrue();
            MimeMessage m = mail.getReceivedMessages()[0];
            assertThat(m.getSubject()).isEqualTo("Ticket assigned to you: " + tracking + " Mail me when assigned");
            assertThat(m.getRecipients(Message.RecipientType.TO)[0].toString()).isEqualTo("agent2@demo.test");
            JsonNode sent = await().atMost(Duration.ofSeconds(5)).until(() -> admin.get("/api/v1/mail/outbox?status=sent").json(),
                    l -> l.findValuesAsText("kind").contains("ticket"));
            JsonNode t = null;
            for (JsonNode x : sent) if (x.get("id").asLong() == row.get("id").asLong()) t = x;
            assertThat(t).isNotNull();
            assertThat(t.get("attempts").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(t.get("lastError").isNull()).isTrue();
        } finally {
            mail.stop();
            useSmtp(port, false);
        }
    }

    @Test
    void theTestButtonSendsAtOnceAndReportsAFailure() throws Exception {
        int port = tcpPort();
        useSmtp(port, false);
        var down = admin.post("/api/v1/mail/test", Map.of("to", "admin@demo.test"));
        assertThat(down.status()).as(down.toString()).isEqualTo(503);
        assertThat(down.json().get("code").asText()).isEqualTo("smtp_failed");
        GreenMail mail = smtp(port);
        try {
            var ok = admin.post("/api/v1/mail/test", Map.of("to", "admin@demo.test"));
            assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
            assertThat(mail.getReceivedMessages()).hasSize(1);
            assertThat(mail.getReceivedMessages()[0].getSubject()).startsWith("Hotline test message");
            assertField(admin.post("/api/v1/mail/test", Map.of("to", "not-an-address")), "to");
            // a wrong SMTP password: refused by the server, and said so
            var wrong = admin.put("/api/v1/mail/settings", Map.of("host", "127.0.0.1", "port", port, "security", "none", "username", SMTP_USER,
                    "password", "wrong-one", "from", "hotline@demo.test"));
            assertThat(wrong.status()).isEqualTo(200);
            assertThat(admin.post("/api/v1/mail/test", Map.of("to", "admin@demo.test")).status()).isEqualTo(503);
            // the password is kept when not sent again
            var kept = admin.put("/api/v1/mail/settings", Map.of("host", "127.0.0.1", "port", port, "security", "none", "username", SMTP_USER,
                    "from", "hotline@demo.test"));
            assertThat(kept.json().get("passwordSet").asBoolean()).isTrue();
        } finally {
            mail.stop();
        }
    }

    @Test
    void badSettingsAreRefusedNamingTheFieldAndThePasswordIsStoredEncrypted() {
        Map<String, Object> good = Map.of("host", "smtp.example.com", "port", 587, "security", "starttls", "username", "u1",
                "password", "stored-secret-42", "from", "noreply@example.com");
        assertField(admin.put("/api/v1/mail/settings", with(good, "port", 70000)), "port");
        assertField(admin.put("/api/v1/mail/settings", with(good, "security", "ssl")), "security");
        assertField(admin.put("/api/v1/mail/settings", with(good, "from", "nobody")), "from");
        assertField(admin.put("/api/v1/mail/settings", with(good, "host", "bad host!")), "host");
        assertField(admin.put("/api/v1/mail/settings", Map.of("host", "smtp2.example.com", "port", 587, "security", "tls", "username", "u2",
                "password", "", "from", "a@example.com")), "password");
        assertThat(admin.put("/api/v1/mail/settings", good).status()).isEqualTo(200);
        String stored = server.database().withHandle(h -> h.createQuery("SELECT password_enc FROM mail_settings").mapTo(String.class).one());
        assertThat(stored).startsWith("v1:").doesNotContain("stored-secret-42");
        assertThat(admin.get("/api/v1/mail/settings").body()).doesNotContain("stored-secret-42");
        // host blank: back to the server's default (none configured here)
        var none = admin.put("/api/v1/mail/settings", Map.of("host", ""));
        assertThat(none.json().get("source").asText()).isEqualTo("none");
    }

    @Test
    void anotherEnterpriseSeesNoneOfItAndAnAgentIsRefused() {
        ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", PW);
        assertThat(operator.post("/api/v1/enterprises", Map.of("code", "mailco", "name", "MailCo", "adminUsername", "boss",
                "adminPassword", "mailco-pass-1")).status()).isEqualTo(201);
        ApiClient other = ApiClient.loggedIn(server.baseUrl(), "mailco", "boss", "mailco-pass-1");
        // demo has a message in its outbox
        assertThat(admin.put("/api/v1/mail/settings", Map.of("host", "127.0.0.1", "port", tcpPort(), "security", "none",
                "from", "hotline@demo.test", "ticketNotifications", true)).status()).isEqualTo(200);
        long agent1 = setEmail("agent1", "agent1@demo.test");
        assertThat(admin.post("/api/v1/tickets", Map.of("type", "complaint", "title", "Isolation", "assigneeId", agent1,
                "form", Map.of("category", "billing", "severity", "high"))).status()).isEqualTo(201);
        long demoMail = await().atMost(Duration.ofSeconds(5)).until(() -> admin.get("/api/v1/mail/outbox").json(), l -> l.size() > 0)
                .get(0).get("id").asLong();

        assertThat(other.get("/api/v1/mail/settings").json().get("source").asText()).as("not demo's server").isEqualTo("none");
        assertThat(other.get("/api/v1/mail/outbox").json()).isEmpty();
        assertThat(other.post("/api/v1/mail/outbox/" + demoMail + "/retry", null).status()).isEqualTo(404);
        assertThat(other.get("/api/v1/voicemail/boxes/extension/1003/email").status()).isEqualTo(404);
        assertThat(admin.post("/api/v1/mail/outbox/" + demoMail + "/retry", null).status()).isEqualTo(200);

        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        assertThat(agent.get("/api/v1/mail/settings").status()).isEqualTo(403);
        assertThat(agent.get("/api/v1/mail/outbox").status()).isEqualTo(403);
        // an agent sets their own box's e-mail, not a colleague's
        assertThat(agent.put("/api/v1/voicemail/boxes/extension/1001/email", Map.of("enabled", true)).status()).isEqualTo(200);
        assertThat(agent.put("/api/v1/voicemail/boxes/extension/1002/email", Map.of("enabled", true)).status()).isIn(403, 404);
        assertField(admin.put("/api/v1/voicemail/boxes/queue/support/email", Map.of("enabled", true)), "to");
        assertThat(admin.put("/api/v1/mail/settings", Map.of("host", "")).status()).isEqualTo(200);
    }

    @Test
    void anEnterpriseWithoutItsOwnServerSendsThroughTheConfiguredDefault() throws Exception {
        int port = tcpPort();
        GreenMail mail = smtp(port);
        try (TestServer configured = TestServer.start(dev.hotline.testing.TestDatabases.Kind.H2, Map.of("smtp.host", "127.0.0.1",
                "smtp.port", String.valueOf(port), "smtp.security", "none", "smtp.user", SMTP_USER, "smtp.password", SMTP_PASSWORD,
                "smtp.from", "pbx@example.test"))) {
            ApiClient a = ApiClient.loggedIn(configured.baseUrl(), "demo", "admin", PW);
            JsonNode s = a.get("/api/v1/mail/settings").json();
            assertThat(s.get("source").asText()).isEqualTo("server");
            assertThat(s.at("/serverDefault/host").asText()).isEqualTo("127.0.0.1");
            assertThat(s.toString()).doesNotContain(SMTP_PASSWORD);
            assertThat(a.post("/api/v1/mail/test", Map.of("to", "ops@example.test")).status()).isEqualTo(200);
            assertThat(mail.getReceivedMessages()).hasSize(1);
            assertThat(mail.getReceivedMessages()[0].getFrom()[0].toString()).isEqualTo("pbx@example.test");
        } finally {
            mail.stop();
        }
    }

    static Map<String, Object> with(Map<String, Object> m, String k, Object v) {
        Map<String, Object> out = new HashMap<>(m);
        out.put(k, v);
        return out;
    }
}
