package dev.hotline.webcallback;

import java.util.Locale;
import java.util.Set;

/**
 * Where a web callback request stands (OUT-4). Pending: waiting for its time (or a retry); queued: agent first, keeping a place
 * in the ACD queue; placing: a try is under way (customer first: the customer is dialled; agent first: an agent answered and
 * the customer is dialled); done, failed and cancelled are final. {@link WebCallbackStore#move} is the one way to change it.
 */
enum RequestState {
    PENDING, QUEUED, PLACING, DONE, FAILED, CANCELLED;

    /** The states a request may go to from this one. */
    Set<RequestState> next() {
        return switch (this) {
            case PENDING -> Set.of(QUEUED, PLACING, FAILED, CANCELLED);
            case QUEUED -> Set.of(PLACING, PENDING, FAILED, CANCELLED);
            case PLACING -> Set.of(DONE, PENDING, FAILED);
            case DONE, FAILED, CANCELLED -> Set.of();
        };
    }

    boolean open() {
        return !next().isEmpty();
    }

    /** A visitor or an agent may cancel it in this state (a try under way is not stopped half-way). */
    boolean cancellable() {
        return next().contains(CANCELLED);
    }

    String db() {
        return name().toLowerCase(Locale.ROOT);
    }

    static RequestState of(String db) {
        return valueOf(db.toUpperCase(Locale.ROOT));
    }
}
