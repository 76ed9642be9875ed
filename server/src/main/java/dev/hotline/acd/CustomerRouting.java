package dev.hotline.acd;

import java.util.Optional;

/**
 * What the ACD asks the CRM about a caller (ACD-3, ACD-4), wired in {@code app}: the owner of the caller's customer
 * record (tried first, like the sticky agent) and the queue priority of their tier. Called off the dispatcher thread.
 */
@FunctionalInterface
public interface CustomerRouting {
    /** @param ownerUserId the record's owner, null when it has none; @param priority added to the caller's priority */
    record Caller(Long ownerUserId, int priority) {}

    Optional<Caller> of(long enterpriseId, String callerNumber);

    CustomerRouting NONE = (e, n) -> Optional.empty();
}
