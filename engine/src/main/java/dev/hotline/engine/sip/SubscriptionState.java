package dev.hotline.engine.sip;

import java.util.Locale;

/**
 * The life of one dialog-package subscription (RFC 6665 §4.2): accepted ({@link #NEW}, the 200 not sent yet), then
 * {@link #ACTIVE} with NOTIFYs on every change and refreshes, then {@link #TERMINATED} (un-subscribed, expired, or the
 * subscriber refused a NOTIFY). {@link #next} is the only way from one to another and refuses any other move.
 */
enum SubscriptionState {
    NEW, ACTIVE, TERMINATED;

    /** The moves allowed from this state. */
    boolean canMoveTo(SubscriptionState next) {
        return switch (this) {
            case NEW -> next == ACTIVE || next == TERMINATED; // accepted, or a fetch (Expires: 0)
            case ACTIVE -> next == ACTIVE || next == TERMINATED; // refreshed, or ended
            case TERMINATED -> false;
        };
    }

    /** The state after a move to {@code next}; an illegal move throws. */
    SubscriptionState next(SubscriptionState next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("subscription cannot go from " + this + " to " + next);
        }
        return next;
    }

    /** Whether NOTIFYs still go out in this state. */
    boolean notifies() {
        return this == ACTIVE;
    }

    /** The Subscription-State header value (RFC 6665 §8.2.3) for a NOTIFY sent in this state. */
    String header(long expiresInSeconds, String reason) {
        return switch (this) {
            case NEW, ACTIVE -> "active;expires=" + Math.max(0, expiresInSeconds);
            case TERMINATED -> "terminated" + (reason == null ? "" : ";reason=" + reason.toLowerCase(Locale.ROOT));
        };
    }
}
