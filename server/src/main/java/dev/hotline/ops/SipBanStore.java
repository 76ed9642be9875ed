package dev.hotline.ops;

import dev.hotline.engine.call.SipBans;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SEC-1: the engine's SIP bans kept in the {@code sip_ban} table, so that a restart does not free a scanner: loaded at
 * start (those still in force), each ban and lift written on {@code writer}'s thread (never a SIP thread's).
 */
public final class SipBanStore implements SipBans.Keeper {
    private static final Logger log = LoggerFactory.getLogger(SipBanStore.class);
    private final Jdbi jdbi;
    private final Executor writer;

    public SipBanStore(Jdbi jdbi, Executor writer) {
        this.jdbi = jdbi;
        this.writer = writer;
    }

    /** Hands the engine the bans still in force and keeps every later change. */
    public void attach(SipBans bans, Instant now) {
        List<SipBans.Ban> kept = jdbi.withHandle(h -> {
            h.createUpdate("DELETE FROM sip_ban WHERE expires_at <= :now").bind("now", at(now)).execute();
            return h.createQuery("SELECT kind, ban_key, reason, banned_at, expires_at FROM sip_ban").map((rs, ctx) -> new SipBans.Ban(
                    SipBans.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)), rs.getString("ban_key"), rs.getString("reason"),
                    rs.getObject("banned_at", OffsetDateTime.class).toInstant(), rs.getObject("expires_at", OffsetDateTime.class).toInstant()))
                    .list();
        });
        bans.keepIn(this, kept);
    }

    @Override
    public void banned(SipBans.Ban ban) {
        writer.execute(() -> write(() -> jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM sip_ban WHERE kind = :k AND ban_key = :key").bind("k", kind(ban.kind())).bind("key", ban.key()).execute();
            h.createUpdate("INSERT INTO sip_ban (kind, ban_key, reason, banned_at, expires_at) VALUES (:k, :key, :r, :since, :until)")
                    .bind("k", kind(ban.kind())).bind("key", ban.key()).bind("r", ban.reason())
                    .bind("since", at(ban.since())).bind("until", at(ban.until())).execute();
        })));
    }

    @Override
    public void lifted(SipBans.Kind kind, String key) {
        writer.execute(() -> write(() -> jdbi.useHandle(h -> h.createUpdate("DELETE FROM sip_ban WHERE kind = :k AND ban_key = :key")
                .bind("k", kind(kind)).bind("key", key).execute())));
    }

    private static void write(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.error("cannot keep a SIP ban change: {}", e.toString());
        }
    }

    private static String kind(SipBans.Kind k) {
        return k.name().toLowerCase(Locale.ROOT);
    }

    private static OffsetDateTime at(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
