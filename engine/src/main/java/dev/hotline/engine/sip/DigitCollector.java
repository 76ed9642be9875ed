package dev.hotline.engine.sip;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CollectEnd;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/**
 * One leg's digit collection ({@link dev.hotline.engine.call.Channel#collectDigits}): keys typed ahead,
 * the collection in progress with its first- and inter-digit timers, and its end as
 * {@link CallEvent.DigitsCollected}. Used only on the leg's call executor.
 */
final class DigitCollector {
    private final SipLeg leg;
    private final StringBuilder typeAhead = new StringBuilder();
    private Collection collection;
    private long generation;
    private ScheduledFuture<?> timer;

    /** One collection in progress. */
    private static final class Collection {
        final int max;
        final char terminator;
        final Duration inter;
        final StringBuilder digits = new StringBuilder();

        Collection(int max, char terminator, Duration inter) {
            this.max = max;
            this.terminator = terminator;
            this.inter = inter;
        }
    }

    DigitCollector(SipLeg leg) {
        this.leg = leg;
    }

    /** Starts a collection (cancelling one in progress), fed first with the keys typed ahead. */
    void start(int maxDigits, char terminator, Duration firstDigitTimeout, Duration interDigitTimeout) {
        if (collection != null) {
            end(CollectEnd.CANCELLED);
        }
        if (leg.isFinal()) {
            leg.engine.emit(new CallEvent.DigitsCollected(leg.id, "", CollectEnd.HANGUP, Instant.now()));
            return;
        }
        collection = new Collection(maxDigits, terminator, interDigitTimeout);
        String pending = typeAhead.toString();
        typeAhead.setLength(0);
        for (int i = 0; i < pending.length() && collection != null; i++) {
            feed(pending.charAt(i));
        }
        if (collection != null) {
            arm(collection.digits.length() == 0 ? firstDigitTimeout : interDigitTimeout);
        }
    }

    /** A key: it goes to the collection in progress, otherwise it is typed ahead (32 at most). */
    void key(char symbol) {
        if (collection != null) {
            feed(symbol);
        } else if (typeAhead.length() < 32) {
            typeAhead.append(symbol);
        }
    }

    /** Ends a collection in progress ({@link CollectEnd#CANCELLED}) and forgets typed-ahead keys. */
    void cancel() {
        if (collection != null) {
            end(CollectEnd.CANCELLED);
        }
        typeAhead.setLength(0);
    }

    /** The leg ended: a collection in progress ends with {@link CollectEnd#HANGUP}. */
    void hungUp() {
        if (collection != null) {
            end(CollectEnd.HANGUP);
        }
    }

    private void arm(Duration d) {
        if (timer != null) {
            timer.cancel(false);
        }
        long gen = ++generation;
        timer = leg.engine.schedule(() -> leg.post(() -> {
            if (collection != null && generation == gen) {
                end(collection.digits.length() == 0 ? CollectEnd.FIRST_DIGIT_TIMEOUT : CollectEnd.INTER_DIGIT_TIMEOUT);
            }
        }), d);
    }

    private void feed(char c) {
        Collection dc = collection;
        if (dc.terminator != 0 && c == dc.terminator) {
            end(CollectEnd.TERMINATOR);
            return;
        }
        dc.digits.append(c);
        if (dc.digits.length() >= dc.max) {
            end(CollectEnd.MAX_DIGITS);
        } else {
            arm(dc.inter);
        }
    }

    private void end(CollectEnd end) {
        Collection dc = collection;
        collection = null;
        generation++;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (dc != null) {
            leg.engine.emit(new CallEvent.DigitsCollected(leg.id, dc.digits.toString(), end, Instant.now()));
        }
    }
}
