package dev.hotline.acd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.store.Database;
import dev.hotline.testing.TestDatabases;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ACD-6: call backs that ended are forgotten after 30 days; owed ones are never, however old. */
class CallbackPruneTest {
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void endedCallBacksGoAfterThirtyDaysOwedOnesStay() {
        try (Database db = new Database(TestDatabases.migrated(TestDatabases.Kind.H2), "", "")) {
            long e = db.jdbi().withHandle(h -> h.createUpdate("INSERT INTO enterprise (code, name, sip_domain, enabled, created_at) "
                    + "VALUES ('cb', 'CB', 'cb.hotline', TRUE, :at)").bind("at", NOW).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
            db.jdbi().useHandle(h -> {
                keep(h, e, "old-done", Duration.ofDays(40), Duration.ofDays(31));
                keep(h, e, "recent-done", Duration.ofDays(40), Duration.ofDays(29));
                keep(h, e, "old-owed", Duration.ofDays(90), null);
            });
            Acd acd = new Acd(AcdData.of(db.jdbi(), CustomerRouting.NONE), ev -> {}, Clock.fixed(NOW, ZoneOffset.UTC), null,
                    new java.util.Random(1), new ExecutorAcdThread());
            try {
                assertThat(acd.pruneCallbacks()).isEqualTo(1);
            } finally {
                acd.close();
            }
            List<String> left = db.jdbi().withHandle(h -> h.createQuery("SELECT call_id FROM queue_callback ORDER BY call_id")
                    .mapTo(String.class).list());
            assertThat(left).containsExactly("old-owed", "recent-done");
            assertThat(db.jdbi().withHandle(CallbackStore::waiting)).extracting(CallbackStore.Kept::callId).containsExactly("old-owed");
        }
    }

    static void keep(org.jdbi.v3.core.Handle h, long e, String callId, Duration askedAgo, Duration endedAgo) {
        CallbackStore.keep(h, new CallbackStore.Kept(callId, e, 1, "13800000000", 0, NOW.minus(askedAgo)), NOW.minus(askedAgo));
        if (endedAgo != null) {
            CallbackStore.ended(h, callId, "connected", NOW.minus(endedAgo));
        }
    }
}
