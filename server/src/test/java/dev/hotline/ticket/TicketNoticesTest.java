package dev.hotline.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.hotline.sms.SmsText;
import dev.hotline.sms.TestSmsc;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestServer;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * BIZ-1 notices outside the console, end to end through the real outboxes: with the switches off a ticket opened, assigned
 * and resolved sends nothing; switched on in the ticket settings, the assignee's mail reaches an in-process SMTP server
 * (GreenMail), the caller's SMS with the tracking number reaches an in-process SMSC (SMPP) when the ticket is opened and when
 * it is resolved, and the customer's e-mail field gets the same; bad notice settings are refused naming the field. Comments
 * notify the assignee; a reply for the customer reaches them by SMS and by HTML e-mail with a plain-text alternative, in the
 * language of their record's language field, else the enterprise's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TicketNoticesTest {
    static final String SMTP_USER = "hotline";
    static final String SMTP_PASSWORD = "smtp-secret-55";
    static final String SYSTEM_ID = "hotline";
    static final String SMPP_PASSWORD = "smpp-pw5";
    TestServer server;
    ApiClient admin;
    GreenMail mail;
    TestSmsc smsc;

    @BeforeAll
    void start() throws IOException {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
        int smtpPort = tcpPort();
        mail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("hotline@demo.test", SMTP_USER, SMTP_PASSWORD));
        mail.start();
        int smscPort = tcpPort();
        smsc = new TestSmsc(smscPort, SYSTEM_ID, SMPP_PASSWORD);
        ok(admin.put("/api/v1/mail/settings", Map.of("host", "127.0.0.1", "port", smtpPort, "security", "none", "username", SMTP_USER,
                "password", SMTP_PASSWORD, "from", "hotline@demo.test", "ticketNotifications", false)));
        ok(admin.put("/api/v1/sms/settings", Map.of("kind", "smpp", "host", "127.0.0.1", "port", smscPort, "systemId", SYSTEM_ID,
                "password", SMPP_PASSWORD, "systemType", "hl", "sourceAddress", "10690001")));
        await("bound to the SMSC").atMost(Duration.ofSeconds(20))
                .until(() -> "bound".equals(admin.get("/api/v1/sms/settings").json().get("link").get("state").asText()));
    }

    @AfterAll
    void stop() {
        server.close();
        mail.stop();
        smsc.close();
    }

    static int tcpPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ApiClient.Response ok(ApiClient.Response r) {
        assertThat(r.status()).as(r.toString()).isBetween(200, 201);
        return r;
    }

    /** Gives demo user {@code username} the e-mail address {@code email}; returns the user's id. */
    long setEmail(String username, String email) {
        JsonNode u = admin.get("/api/v1/users?q=" + username).json().get(0);
        Map<String, Object> in = new HashMap<>();
        for (String f : List.of("username", "displayName", "roleId", "departmentId", "jobNumber", "extension", "enabled")) {
            if (u.hasNonNull(f)) in.put(f, u.get(f).isNumber() ? (Object) u.get(f).asLong() : u.get(f).isBoolean() ? (Object) u.get(f).asBoolean()
                    : u.get(f).asText());
        }
        in.put("email", email);
        ok(admin.put("/api/v1/users/" + u.get("id").asLong(), in));
        return u.get("id").asLong();
    }

    /** The text of the next SMS the SMSC receives for {@code dest} (single part), skipping others. */
    String nextSms(String dest) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            TestSmsc.Submitted s = smsc.submitted.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(s).as("an SMS for " + dest + " reaches the SMSC").isNotNull();
            if (s.dest().equals(dest)) return SmsText.readPart(s.shortMessage(), (s.esmClass() & 0x40) != 0, s.dataCoding()).text();
        }
    }

    List<String> ticketMails() {
        List<String> out = new ArrayList<>();
        for (JsonNode m : admin.get("/api/v1/mail/outbox?limit=200").json()) if (m.get("kind").asText().equals("ticket")) out.add(m.get("to").asText());
        return out;
    }

    @Test
    void switchedOffNothingGoesOutSwitchedOnTheAssigneeIsMailedAndTheCallerGetsTheTrackingNumberBySms() throws Exception {
        long agent2 = setEmail("agent2", "agent2@notices.test");
        ok(admin.post("/api/v1/customer-fields", Map.of("key", "contact_mail", "label", "E-mail", "type", "email")));
        long customer = ok(admin.post("/api/v1/customers", Map.of("name", "Zhao Liu", "sharing", "enterprise",
                "phones", List.of(Map.of("number", "13900000551")), "fields", Map.of("contact_mail", "zhao@customer.test")))).json().get("id").asLong();
        JsonNode defaults = admin.get("/api/v1/ticket-settings").json().get("notices");
        assertThat(defaults.get("smsCustomer").asBoolean()).isFalse();
        assertThat(defaults.get("emailCustomer").asBoolean()).isFalse();
        assertThat(defaults.get("emailAssignee").asBoolean()).isFalse();

        // Switched off (the default): opened with an assignee, resolved, closed: no mail, no SMS queued.
        JsonNode quiet = ok(admin.post("/api/v1/tickets", Map.of("type", "consultation", "form", Map.of("topic", "network"), "title", "Quiet one", "assigneeId", agent2,
                "customerId", customer, "callerNumber", "13900000551"))).json();
        ok(admin.post("/api/v1/tickets/" + quiet.get("id").asLong() + "/status", Map.of("status", "resolved")));
        ok(admin.post("/api/v1/tickets/" + quiet.get("id").asLong() + "/status", Map.of("status", "closed")));
        assertThat(ticketMails()).as("no ticket mail in the outbox").isEmpty();
        assertThat(admin.get("/api/v1/sms/messages?kind=ticket").json()).as("no ticket SMS").isEmpty();

        // Switched on from the ticket settings (the rest of the settings unchanged).
        Map<String, Object> s = new HashMap<>();
        admin.get("/api/v1/ticket-settings").json().fields().forEachRemaining(f -> s.put(f.getKey(), f.getValue()));
        s.put("notices", Map.of("emailAssignee", true, "emailCustomer", true, "smsCustomer", true,
                "customerEvents", List.of("opened", "resolved", "closed"), "language", "en", "smsText", "Ticket {ticket} ({title}) is {status}"));
        JsonNode saved = ok(admin.put("/api/v1/ticket-settings", s)).json();
        assertThat(saved.at("/notices/smsCustomer").asBoolean()).isTrue();
        assertThat(saved.at("/notices/smsText").asText()).isEqualTo("Ticket {ticket} ({title}) is {status}");
        assertThat(admin.get("/api/v1/mail/settings").json().get("ticketNotifications").asBoolean())
                .as("the assignee's switch is the e-mail settings' one").isTrue();

        JsonNode t = ok(admin.post("/api/v1/tickets", Map.of("type", "consultation", "form", Map.of("topic", "network"), "title", "Router broken", "assigneeId", agent2,
                "customerId", customer, "callerNumber", "13900000551"))).json();
        String number = t.get("trackingNumber").asText();
        assertThat(nextSms("13900000551")).isEqualTo("Ticket " + number + " (Router broken) is assigned");
        assertThat(mail.waitForIncomingEmail(30_000, 2)).as("the assignee's and the customer's mail").isTrue();
        Map<String, String> bySubjectTo = new HashMap<>();
        for (MimeMessage m : mail.getReceivedMessages()) bySubjectTo.put(m.getRecipients(Message.RecipientType.TO)[0].toString(), m.getSubject());
        assertThat(bySubjectTo.get("agent2@notices.test")).isEqualTo("Ticket assigned to you: " + number + " Router broken");
        assertThat(bySubjectTo.get("zhao@customer.test")).isEqualTo("Your ticket " + number + ": assigned");

        // in_progress is not a chosen event: nothing; resolved is: the SMS and the customer's mail.
        ok(admin.post("/api/v1/tickets/" + t.get("id").asLong() + "/status", Map.of("status", "in_progress")));
        ok(admin.post("/api/v1/tickets/" + t.get("id").asLong() + "/status", Map.of("status", "resolved")));
        assertThat(nextSms("13900000551")).isEqualTo("Ticket " + number + " (Router broken) is resolved");
        assertThat(mail.waitForIncomingEmail(30_000, 3)).isTrue();
        MimeMessage last = mail.getReceivedMessages()[2];
        assertThat(last.getSubject()).isEqualTo("Your ticket " + number + ": resolved");
        assertThat(admin.get("/api/v1/sms/messages?kind=ticket").json().findValuesAsText("text"))
                .containsExactly("Ticket " + number + " (Router broken) is resolved", "Ticket " + number + " (Router broken) is assigned");

        // zh with the default text; a ticket without a caller number texts the customer's first phone.
        s.put("notices", Map.of("emailAssignee", false, "emailCustomer", false, "smsCustomer", true, "language", "zh"));
        ok(admin.put("/api/v1/ticket-settings", s));
        JsonNode zh = ok(admin.post("/api/v1/tickets", Map.of("type", "consultation", "form", Map.of("topic", "network"), "title", "发票", "customerId", customer))).json();
        assertThat(nextSms("13900000551")).isEqualTo("您的工单 " + zh.get("trackingNumber").asText() + "（发票）已受理。");

        // Off again: nothing more.
        s.put("notices", Map.of("emailAssignee", false, "emailCustomer", false, "smsCustomer", false));
        ok(admin.put("/api/v1/ticket-settings", s));
        int sms = admin.get("/api/v1/sms/messages?kind=ticket").json().size();
        int mails = ticketMails().size();
        JsonNode off = ok(admin.post("/api/v1/tickets", Map.of("type", "consultation", "form", Map.of("topic", "network"), "title", "Off", "assigneeId", agent2,
                "customerId", customer, "callerNumber", "13900000551"))).json();
        ok(admin.post("/api/v1/tickets/" + off.get("id").asLong() + "/status", Map.of("status", "resolved")));
        assertThat(admin.get("/api/v1/sms/messages?kind=ticket").json()).hasSize(sms);
        assertThat(ticketMails()).hasSize(mails);
        assertThat(admin.get("/api/v1/mail/settings").json().get("ticketNotifications").asBoolean()).isFalse();
    }

    @Test
    void badNoticeSettingsAreRefusedNamingTheField() {
        Map<String, Object> s = new HashMap<>();
        admin.get("/api/v1/ticket-settings").json().fields().forEachRemaining(f -> s.put(f.getKey(), f.getValue()));
        s.put("notices", Map.of("language", "fr", "customerEvents", List.of("opened", "bogus"), "smsText", "Ticket {ticket} for {name}",
                "languageField", "no_such_field"));
        var r = admin.put("/api/v1/ticket-settings", s);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        List<String> fields = new ArrayList<>();
        r.json().get("fieldErrors").forEach(f -> fields.add(f.get("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("notices.language", "notices.customerEvents[1]", "notices.smsText", "notices.languageField");
        var agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", TestServer.DEMO_PASSWORD);
        assertThat(agent.put("/api/v1/ticket-settings", s).status()).isEqualTo(403);
    }

    /** The messages GreenMail received for {@code to}, once there are {@code n}. */
    List<MimeMessage> mailsTo(String to, int n) {
        return await("" + n + " mail(s) to " + to).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<MimeMessage> out = new ArrayList<>();
            for (MimeMessage m : mail.getReceivedMessages()) if (m.getRecipients(Message.RecipientType.TO)[0].toString().equals(to)) out.add(m);
            return out;
        }, l -> l.size() >= n);
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: the others count this class's mails from the first
    void commentsNotifyTheAssigneeAndARepliesReachTheCustomerAsHtmlWithATextAlternativeInTheirLanguage() throws Exception {
        long agent2 = setEmail("agent2", "agent2c@notices.test");
        ok(admin.post("/api/v1/customer-fields", Map.of("key", "reply_mail", "label", "Mail", "type", "email")));
        ok(admin.post("/api/v1/customer-fields", Map.of("key", "lang", "label", "Language", "type", "single_choice", "options", List.of("中文", "English"))));
        long english = ok(admin.post("/api/v1/customers", Map.of("name", "Li Lei", "sharing", "enterprise", "phones", List.of(Map.of("number", "13900000661")),
                "fields", Map.of("reply_mail", "lilei@reply.test", "lang", "English")))).json().get("id").asLong();
        long chinese = ok(admin.post("/api/v1/customers", Map.of("name", "王芳", "sharing", "enterprise", "phones", List.of(Map.of("number", "13900000662")),
                "fields", Map.of("reply_mail", "wangfang@reply.test")))).json().get("id").asLong();
        Map<String, Object> s = new HashMap<>();
        admin.get("/api/v1/ticket-settings").json().fields().forEachRemaining(f -> s.put(f.getKey(), f.getValue()));
        s.put("notices", Map.of("emailAssignee", true, "emailCustomer", true, "smsCustomer", true, "customerEvents", List.of("comment"),
                "language", "zh", "assigneeComments", true, "languageField", "lang"));
        JsonNode saved = ok(admin.put("/api/v1/ticket-settings", s)).json().get("notices");
        assertThat(saved.get("assigneeComments").asBoolean()).isTrue();
        assertThat(saved.get("languageField").asText()).isEqualTo("lang");
        assertThat(saved.get("customerEvents").get(0).asText()).isEqualTo("comment");

        JsonNode t = ok(admin.post("/api/v1/tickets", Map.of("type", "consultation", "form", Map.of("topic", "bill"), "title", "Bill <wrong> & \"late\"",
                "assigneeId", agent2, "customerId", english, "callerNumber", "13900000661"))).json();
        String number = t.get("trackingNumber").asText();
        long id = t.get("id").asLong();
        // An internal comment: the assignee is told (inbox and mail), the customer is not.
        ok(admin.post("/api/v1/tickets/" + id + "/comments", Map.of("text", "checking the meter")));
        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent2", TestServer.DEMO_PASSWORD);
        List<String> inbox = new ArrayList<>();
        for (JsonNode n : agent.get("/api/v1/notifications").json()) if (n.get("kind").asText().equals("ticket.commented")) inbox.add(n.get("text").asText());
        assertThat(inbox).containsExactly(number + " Bill <wrong> & \"late\": checking the meter");
        assertThat(mailsTo("agent2c@notices.test", 2).stream().map(m -> {
            try {
                return m.getSubject();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList()).anyMatch(x -> x.contains(number) && x.endsWith("checking the meter") && (x.startsWith("New comment") || x.startsWith("您的工单有新评论")));
        // The assignee's own comment notifies nobody.
        ok(agent.post("/api/v1/tickets/" + id + "/comments", Map.of("text", "on my way")));

        // A reply for the customer: SMS and e-mail in English (their language field), the HTML escaped, the text as written.
        ok(admin.post("/api/v1/tickets/" + id + "/comments", Map.of("text", "Refund of <b>50</b> & more\nsee you", "forCustomer", true)));
        assertThat(nextSms("13900000661")).isEqualTo("Reply on your ticket " + number + ": Refund of <b>50</b> & more\nsee you");
        MimeMessage reply = mailsTo("lilei@reply.test", 1).get(0);
        assertThat(reply.getSubject()).isEqualTo("Reply on your ticket " + number);
        assertThat(reply.getContentType()).startsWith("multipart/alternative");
        MimeMultipart parts = (MimeMultipart) reply.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        String text = ((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n"); // lines end in CRLF on the wire
        String html = ((String) parts.getBodyPart(1).getContent()).replace("\r\n", "\n");
        assertThat(text).contains("Subject: Bill <wrong> & \"late\"", "Reply: Refund of <b>50</b> & more\nsee you", "Ticket: " + number);
        assertThat(html).contains("<html lang=\"en\">", "Bill &lt;wrong&gt; &amp; &quot;late&quot;", "Refund of &lt;b&gt;50&lt;/b&gt; &amp; more<br>")
                .doesNotContain("<b>50", "<wrong>");
        JsonNode timeline = admin.get("/api/v1/tickets/" + id).json().get("timeline");
        assertThat(timeline.findValuesAsText("kind")).containsSubsequence("opened", "assigned", "comment", "comment", "reply");

        // A customer without a language: the enterprise's (zh).
        long zhId = ok(admin.post("/api/v1/tickets", Map.of("type", "consultation", "form", Map.of("topic", "bill"), "title", "账单",
                "customerId", chinese, "callerNumber", "13900000662"))).json().get("id").asLong();
        String zhNumber = admin.get("/api/v1/tickets/" + zhId).json().at("/ticket/trackingNumber").asText();
        ok(admin.post("/api/v1/tickets/" + zhId + "/comments", Map.of("text", "已退款", "forCustomer", true)));
        assertThat(nextSms("13900000662")).isEqualTo("您的工单 " + zhNumber + " 有新回复：已退款");
        MimeMessage zh = mailsTo("wangfang@reply.test", 1).get(0);
        assertThat(zh.getSubject()).isEqualTo("您的工单 " + zhNumber + " 有新回复");
        String zhHtml = (String) ((MimeMultipart) zh.getContent()).getBodyPart(1).getContent();
        assertThat(zhHtml).contains("<html lang=\"zh-CN\">", "回复", "已退款");

        // Only the replies went to the customers; the assignee's own comment notified nobody.
        assertThat(mailsTo("lilei@reply.test", 1)).hasSize(1);
        assertThat(admin.get("/api/v1/sms/messages?kind=ticket").json().findValuesAsText("number").stream().filter("13900000661"::equals)).hasSize(1);
        inbox.clear();
        for (JsonNode n : agent.get("/api/v1/notifications").json()) if (n.get("kind").asText().equals("ticket.commented")) inbox.add(n.get("text").asText());
        assertThat(inbox).hasSize(2); // the internal comment and the reply, both by the admin
        s.put("notices", Map.of("emailAssignee", false, "emailCustomer", false, "smsCustomer", false));
        ok(admin.put("/api/v1/ticket-settings", s));
    }
}
