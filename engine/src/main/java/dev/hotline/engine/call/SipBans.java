package dev.hotline.engine.call;

import java.time.Instant;
import java.util.Collection;
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

    /**
     * Where bans are kept across restarts (the server's database). Called after each change on the thread that made it
     * (a SIP thread): an implementation hands the write to a thread of its own.
     */
    interface Keeper {
        /** A ban was made (or renewed). */
        void banned(Ban ban);

        /** A ban was lifted by hand or ran out. */
        void lifted(Kind kind, String key);

        Keeper NONE = new Keeper() {
            @Override
            public void banned(Ban ban) {
            }

            @Override
            public void lifted(Kind kind, String key) {
            }
        };
    }

    /** Takes the bans kept from the last run (those still in force count again) and reports every change to {@code keeper}. */
    void keepIn(Keeper keeper, Collection<Ban> kept);
}
