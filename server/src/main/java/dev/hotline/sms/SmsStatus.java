package dev.hotline.sms;

import dev.hotline.domain.DomainException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a message is. Outbound: queued (waiting for the gateway, retried with back-off) → sent (the gateway took every
 * part) → delivered (every part's receipt says so) or failed (a receipt said undeliverable, or the attempts ran out);
 * a failed message may be queued again by hand. Inbound: received. Every change goes through {@link #moveTo}.
 */
public enum SmsStatus {
    QUEUED, SENT, DELIVERED, FAILED, RECEIVED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SmsStatus> parse(String s) {
        if (s == null) return Optional.empty();
        return Arrays.stream(values()).filter(v -> v.key().equals(s.strip().toLowerCase(Locale.ROOT))).findFirst();
    }

    private Set<SmsStatus> next() {
        return switch (this) {
            case QUEUED -> Set.of(SENT, FAILED);
            case SENT -> Set.of(DELIVERED, FAILED);
            case FAILED -> Set.of(QUEUED);
            case DELIVERED, RECEIVED -> Set.of();
        };
    }

    public boolean canMoveTo(SmsStatus to) {
        return next().contains(to);
    }

    /** {@code to} when the move is allowed; a conflict naming both states otherwise. */
    public SmsStatus moveTo(SmsStatus to) {
        if (!canMoveTo(to)) throw DomainException.conflict("an SMS cannot go from " + key() + " to " + to.key());
        return to;
    }
}
