package dev.hotline.mail;

import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MSG-2 e-mail. Each enterprise sends through its own SMTP server, else the server's default (configuration
 * {@code smtp.*}). Features put messages in the outbox ({@link MailStore#enqueue}, in their own transaction); one sender
 * thread of its own sends what is due, so that no call path ever waits for an SMTP server. A failed attempt is retried
 * with back-off (2 s doubling up to 30 min) and given up after {@value #MAX_ATTEMPTS} attempts; the outbox shows every
 * message's attempts and last error, and a given-up message can be sent again.
 */
public final class Mailer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Mailer.class);
    static final int MAX_ATTEMPTS = 12;
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(2);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(30);
    static final int TIMEOUT_MILLIS = 10_000;
    public static final String EMAIL = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+";
    private static final String HOST = "[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\]";

    private final Jdbi jdbi;
    private final Clock clock;
    private final SecretBox secrets;
    /** The server's default SMTP server, if the configuration names one. */
    private final Optional<SmtpSettings> serverDefault;
    /** The certificates SMTP servers over TLS / STARTTLS are checked against; null: the JDK's authorities. */
    private final SSLSocketFactory trust;
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mail-sender");
        t.setDaemon(true);
        return t;
    });

    public Mailer(Jdbi jdbi, Clock clock, SecretBox secrets, Optional<SmtpSettings> serverDefault) {
        this(jdbi, clock, secrets, serverDefault, null);
    }

    /** @param trust the certificates SMTP servers reached over TLS or STARTTLS must chain to (null: the JDK's authorities) */
    public Mailer(Jdbi jdbi, Clock clock, SecretBox secrets, Optional<SmtpSettings> serverDefault, SSLSocketFactory trust) {
        this.jdbi = jdbi;
        this.trust = trust;
        this.clock = clock;
        this.secrets = secrets;
        this.serverDefault = serverDefault;
        sender.scheduleWithFixedDelay(this::sendDue, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** How long sent messages, and messages given up on, stay in the outbox. */
    static final Duration KEEP = Duration.ofDays(30);

    /** Deletes the messages sent or given up on longer ago than {@link #KEEP}; returns how many. */
    public int prune() {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM mail_outbox WHERE sent_at < :t OR failed_at < :t")
                .bind("t", Timestamp.from(clock.instant().minus(KEEP))).execute());
    }

    // ================================================================ settings

    /**
     * An enterprise's e-mail settings as the API shows them (never the password). {@code source}: enterprise (its own
     * server), server (the default) or none (no SMTP server: mail waits in the outbox).
     */
    public record SettingsView(String source, String host, Integer port, String security, String username, boolean passwordSet, String from,
                               boolean ticketNotifications, ServerDefault serverDefault) {}

    /** The server's default, as an admin may see it. */
    public record ServerDefault(String host, int port, String security, String from) {}

    /**
     * @param host     the enterprise's SMTP server; blank or null: use the server's default
     * @param security none, starttls or tls
     * @param password null: keep the stored one; "": none
     */
    public record SettingsInput(String host, Integer port, String security, String username, String password, String from,
                                Boolean ticketNotifications) {}

    public SettingsView settings(Handle h, long enterpriseId) {
        Optional<MailStore.Row> row = MailStore.settings(h, enterpriseId);
        ServerDefault d = serverDefault.map(s -> new ServerDefault(s.host(), s.port(), s.security().key(), s.from())).orElse(null);
        boolean tickets = row.map(MailStore.Row::ticketNotifications).orElse(false);
        if (row.isPresent() && row.get().host() != null) {
            MailStore.Row r = row.get();
            return new SettingsView("enterprise", r.host(), r.port(), r.security(), r.username(), r.sealedPassword() != null, r.from(), tickets, d);
        }
        return new SettingsView(d == null ? "none" : "server", null, null, null, null, false, null, tickets, d);
    }

    /** Validates and stores an enterprise's settings; refusals name the field. */
    public SettingsView save(Handle h, long enterpriseId, SettingsInput in) {
        String host = Validator.clean(in.host());
        boolean tickets = Boolean.TRUE.equals(in.ticketNotifications());
        Optional<MailStore.Row> old = MailStore.settings(h, enterpriseId);
        if (host == null) {
            MailStore.saveSettings(h, enterpriseId, new MailStore.Row(null, null, null, null, null, null, tickets, clock.instant()));
            return settings(h, enterpriseId);
        }
        String user = Validator.clean(in.username());
        String from = Validator.clean(in.from());
        Optional<SmtpSettings.Security> security = SmtpSettings.Security.parse(in.security());
        String keptPassword = old.filter(r -> r.host() != null).map(MailStore.Row::sealedPassword).orElse(null);
        boolean hasPassword = in.password() == null ? keptPassword != null : !in.password().isEmpty();
        Validator.of()
                .matches("host", host, HOST, "a host name or address")
                .required("port", in.port())
                .check(in.port() == null || (in.port() >= 1 && in.port() <= 65535), "port", "1 to 65535")
                .required("security", in.security())
                .check(in.security() == null || security.isPresent(), "security", "none, starttls or tls")
                .maxLength("username", user, 255)
                .check(user == null || hasPassword, "password", "required with a user name")
                .check(in.password() == null || in.password().length() <= 255, "password", "at most 255 characters")
                .required("from", from)
                .matches("from", from, EMAIL, "not an e-mail address")
                .maxLength("from", from, 255)
                .throwIfInvalid();
        String sealed = user == null ? null : in.password() == null ? keptPassword : secrets.encrypt(in.password());
        MailStore.saveSettings(h, enterpriseId, new MailStore.Row(host, in.port(), security.get().key(), user, sealed, from, tickets,
                clock.instant()));
        return settings(h, enterpriseId);
    }

    /** The SMTP server the enterprise sends through now, if any. */
    Optional<SmtpSettings> effective(Handle h, long enterpriseId) {
        Optional<MailStore.Row> row = MailStore.settings(h, enterpriseId).filter(r -> r.host() != null);
        if (row.isEmpty()) return serverDefault;
        MailStore.Row r = row.get();
        return Optional.of(new SmtpSettings(r.host(), r.port(), SmtpSettings.Security.parse(r.security()).orElseThrow(), r.username(),
                r.sealedPassword() == null ? null : secrets.decrypt(r.sealedPassword()), r.from()));
    }

    // ================================================================ sending

    /** Sends a test message to {@code to} at once through the enterprise's server; a failure is refused with the server's answer. */
    public void testSend(long enterpriseId, String to, String subject, String body) {
        String address = Validator.clean(to);
        Validator.of().required("to", address).matches("to", address, EMAIL, "not an e-mail address").throwIfInvalid();
        SmtpSettings s = jdbi.withHandle(h -> effective(h, enterpriseId))
                .orElseThrow(() -> DomainException.unavailable("mail_not_configured", "no SMTP server: set one in the e-mail settings"));
        try {
            send(s, new MailStore.Mail("test", address, subject, body, null, null));
        } catch (MessagingException e) {
            throw DomainException.unavailable("smtp_failed", "the SMTP server refused or could not be reached: " + describe(e));
        }
    }

    private void sendDue() {
        try {
            List<MailStore.Due> due = jdbi.withHandle(h -> MailStore.due(h, clock.instant(), 20));
            for (MailStore.Due d : due) sendOne(d);
        } catch (RuntimeException e) {
            log.warn("mail sending failed: {}", e.toString());
        }
    }

    private void sendOne(MailStore.Due d) {
        MailStore.Outgoing m = d.mail();
        String error;
        boolean giveUp = false;
        Optional<SmtpSettings> s = jdbi.withHandle(h -> effective(h, d.enterpriseId()));
        if (s.isEmpty()) {
            error = "no SMTP server: set one in the e-mail settings";
        } else if (m.attachmentPath() != null && !Files.isRegularFile(Path.of(m.attachmentPath()))) {
            error = "the attachment is gone (deleted before it could be sent)";
            giveUp = true;
        } else {
            try {
                send(s.get(), new MailStore.Mail(m.kind(), m.to(), m.subject(), m.body(),
                        m.attachmentPath() == null ? null : Path.of(m.attachmentPath()), m.attachmentName(), m.html()));
                jdbi.useHandle(h -> MailStore.sent(h, m.id(), clock.instant()));
                return;
            } catch (MessagingException | RuntimeException e) {
                error = describe(e);
            }
        }
        Instant now = clock.instant();
        int attempt = m.attempts() + 1;
        Instant next = giveUp || attempt >= MAX_ATTEMPTS ? null : now.plus(backoff(attempt));
        String err = error;
        jdbi.useHandle(h -> MailStore.failed(h, m.id(), err, now, next));
        log.info("mail {} to {} not sent (attempt {}): {}", m.id(), m.to(), attempt, err);
    }

    /** The wait after the {@code attempt}-th failure: 2 s, 4 s, 8 s, ... up to 30 min. */
    static Duration backoff(int attempt) {
        long ms = FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(ms, MAX_BACKOFF.toMillis()));
    }

    private void send(SmtpSettings s, MailStore.Mail mail) throws MessagingException {
        java.util.Properties props = s.properties(TIMEOUT_MILLIS);
        if (trust != null && s.security() != SmtpSettings.Security.NONE) props.put("mail.smtp.ssl.socketFactory", trust);
        Session session = Session.getInstance(props);
        MimeMessage msg = new MimeMessage(session);
        msg.setFrom(new InternetAddress(s.from()));
        msg.setRecipients(Message.RecipientType.TO, InternetAddress.parse(mail.to(), true));
        msg.setSubject(mail.subject(), "UTF-8");
        msg.setSentDate(new Date());
        if (mail.attachment() == null && mail.html() == null) {
            msg.setText(mail.body(), "UTF-8");
        } else if (mail.attachment() == null) {
            msg.setContent(alternative(mail));
        } else {
            MimeBodyPart text = new MimeBodyPart();
            if (mail.html() == null) text.setText(mail.body(), "UTF-8");
            else text.setContent(alternative(mail));
            MimeBodyPart file = new MimeBodyPart();
            file.setDataHandler(new DataHandler(new FileDataSource(mail.attachment().toFile()) {
                @Override
                public String getContentType() {
                    return contentType(mail.attachmentName());
                }
            }));
            file.setFileName(mail.attachmentName() == null ? mail.attachment().getFileName().toString() : mail.attachmentName());
            file.setDisposition(MimeBodyPart.ATTACHMENT);
            msg.setContent(new MimeMultipart(text, file));
        }
        try (Transport t = session.getTransport("smtp")) {
            if (s.authenticated()) t.connect(s.host(), s.port(), s.username(), s.password());
            else t.connect(s.host(), s.port(), null, null);
            t.sendMessage(msg, msg.getAllRecipients());
        }
    }

    /** The MIME type of an attachment by its name: the WAV of a voicemail, a report's xlsx or CSV. */
    static String contentType(String name) {
        if (name == null) return "application/octet-stream";
        if (name.endsWith(".wav")) return "audio/wav";
        if (name.endsWith(".xlsx")) return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        if (name.endsWith(".csv")) return "text/csv; charset=utf-8";
        return "application/octet-stream";
    }

    /** RFC 2046 5.1.4: the plain text first, the HTML last (the richer one a reader prefers). */
    private static MimeMultipart alternative(MailStore.Mail mail) throws MessagingException {
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(mail.body(), "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(mail.html(), "UTF-8", "html");
        return new MimeMultipart("alternative", plain, html);
    }

    private static String describe(Exception e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null && sb.length() < 400; t = t.getCause()) {
            if (!sb.isEmpty()) sb.append(": ");
            sb.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip());
            if (t.getCause() == t) break;
        }
        return sb.toString();
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
