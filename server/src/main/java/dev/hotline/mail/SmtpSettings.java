package dev.hotline.mail;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * How to reach one SMTP server (MSG-2): host, port, transport security, the login (user blank: none) and the sender's
 * address. The password is held here in clear only on its way to the server; it is stored encrypted and never returned.
 */
public record SmtpSettings(String host, int port, Security security, String username, String password, String from) {

    /** Transport security: each kind sets the Jakarta Mail properties it needs. */
    public enum Security {
        /** Plain SMTP (a relay on the local network). */
        NONE("none") {
            @Override
            void apply(Properties p) {
                p.put("mail.smtp.starttls.enable", "false");
            }
        },
        /** Plain connection upgraded with STARTTLS (port 587); refuses to send if the server cannot upgrade. */
        STARTTLS("starttls") {
            @Override
            void apply(Properties p) {
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", "true");
                p.put("mail.smtp.ssl.checkserveridentity", "true");
            }
        },
        /** TLS from the first byte (SMTPS, port 465). */
        TLS("tls") {
            @Override
            void apply(Properties p) {
                p.put("mail.smtp.ssl.enable", "true");
                p.put("mail.smtp.ssl.checkserveridentity", "true");
            }
        };

        private final String key;

        Security(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        abstract void apply(Properties p);

        public static Optional<Security> parse(String s) {
            if (s == null) return Optional.empty();
            String k = s.strip().toLowerCase(Locale.ROOT);
            return Arrays.stream(values()).filter(v -> v.key.equals(k)).findFirst();
        }
    }

    boolean authenticated() {
        return username != null && !username.isBlank();
    }

    /** The Jakarta Mail session properties for this server. */
    Properties properties(int timeoutMillis) {
        Properties p = new Properties();
        p.put("mail.smtp.host", host);
        p.put("mail.smtp.port", Integer.toString(port));
        p.put("mail.smtp.auth", Boolean.toString(authenticated()));
        p.put("mail.smtp.connectiontimeout", Integer.toString(timeoutMillis));
        p.put("mail.smtp.timeout", Integer.toString(timeoutMillis));
        p.put("mail.smtp.writetimeout", Integer.toString(timeoutMillis));
        p.put("mail.smtp.from", from);
        security.apply(p);
        return p;
    }
}
