package dev.hotline.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.mail.Mailer;
import dev.hotline.mail.SecretBox;
import dev.hotline.masking.Masking;
import dev.hotline.store.Database;
import dev.hotline.testing.TestDatabases;
import dev.hotline.webhook.Webhooks;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outboxes do not grow for ever: delivered webhook deliveries go after 7 days, sent or given-up mail after 30; the rest stays. */
class PruneTest {
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    @TempDir
    Path dir;

    static Timestamp ago(Duration d) {
        return Timestamp.from(NOW.minus(d));
    }

    @Test
    void deliveredWebhooksAfterAWeekAndDoneMailAfterAMonthArePrunedNothingElse() throws Exception {
        try (Database db = new Database(TestDatabases.migrated(TestDatabases.Kind.H2), "", "")) {
            long e = db.jdbi().withHandle(h -> h.createUpdate("INSERT INTO enterprise (code, name, sip_domain, enabled, created_at) "
                    + "VALUES ('p1', 'P1', 'p1.hotline', TRUE, :at)").bind("at", NOW).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
            db.jdbi().useHandle(h -> {
                long hook = h.createUpdate("INSERT INTO webhook (enterprise_id, url, secret, events, enabled, created_at) "
                        + "VALUES (:e, 'http://127.0.0.1:9/x', 's', '*', FALSE, :at)").bind("e", e).bind("at", ago(Duration.ofDays(60)))
                        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
                delivery(h, hook, e, "old-delivered", ago(Duration.ofDays(8)));
                delivery(h, hook, e, "recent-delivered", ago(Duration.ofDays(6)));
                delivery(h, hook, e, "old-undelivered", null);
                mail(h, e, "old-sent", ago(Duration.ofDays(31)), null);
                mail(h, e, "old-failed", null, ago(Duration.ofDays(31)));
                mail(h, e, "recent-sent", ago(Duration.ofDays(29)), null);
                mail(h, e, "old-waiting", null, null);
            });
            Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
            Webhooks webhooks = new Webhooks(db.jdbi(), clock, new Masking(db.jdbi(), (enterprise, number) -> Optional.empty(), dir.resolve("ref.key"), clock));
            Mailer mailer = new Mailer(db.jdbi(), clock, SecretBox.fromKeyFile(dir.resolve("key")), Optional.empty());
            try {
                assertThat(webhooks.prune()).isEqualTo(1);
                assertThat(mailer.prune()).isEqualTo(2);
                List<String> deliveries = db.jdbi().withHandle(h -> h.createQuery("SELECT event_type FROM webhook_delivery ORDER BY event_type")
                        .mapTo(String.class).list());
                assertThat(deliveries).containsExactly("old-undelivered", "recent-delivered");
                List<String> mails = db.jdbi().withHandle(h -> h.createQuery("SELECT subject FROM mail_outbox ORDER BY subject")
                        .mapTo(String.class).list());
                assertThat(mails).containsExactly("old-waiting", "recent-sent");
            } finally {
                webhooks.close();
                mailer.close();
            }
        }
    }

    static void delivery(Handle h, long hook, long e, String type, Timestamp deliveredAt) {
        h.createUpdate("INSERT INTO webhook_delivery (webhook_id, enterprise_id, event_type, body, created_at, attempts, next_at, delivered_at) "
                + "VALUES (:w, :e, :t, '{}', :c, 1, :n, :d)").bind("w", hook).bind("e", e).bind("t", type)
                .bind("c", ago(Duration.ofDays(40))).bind("n", Timestamp.from(NOW.plus(Duration.ofDays(365)))).bind("d", deliveredAt).execute();
    }

    static void mail(Handle h, long e, String subject, Timestamp sentAt, Timestamp failedAt) {
        h.createUpdate("INSERT INTO mail_outbox (enterprise_id, kind, to_address, subject, body, created_at, attempts, next_at, sent_at, failed_at) "
                + "VALUES (:e, 'ticket', 'a@example.com', :s, 'b', :c, 1, :n, :sent, :failed)").bind("e", e).bind("s", subject)
                .bind("c", ago(Duration.ofDays(40))).bind("n", Timestamp.from(NOW.plus(Duration.ofDays(365))))
                .bind("sent", sentAt).bind("failed", failedAt).execute();
    }
}
