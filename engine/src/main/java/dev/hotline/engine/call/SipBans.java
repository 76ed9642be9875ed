package dev.hotline.engine.call;

import java.time.Instant;
import java.util.List;

/** SEC-1: the engine's bans of SIP scanners and password guessers, for the operator's console. */
public interface SipBans {
    /** What is banned: a source address (no answer at all) or an account (refused 403 without a check). */
    enum Kind { ADDRESS, ACCOUNT }

    /** One ban, with why it was made; it runs out by itself at {@code until}. */
    record Ban(Kind kind, String key, String reason, Instant since, Instant until) {
    }

    /** The bans in force, newest first. */
    List<Ban> list();

    /** Ends a ban early; false when there was none. */
    boolean lift(Kind kind, String key);
}
