package dev.hotline.engine.call;

import java.time.Instant;

/** Where one trunk registration stands. {@code detail} says why it failed (status line or timeout). */
public record TrunkRegistrationStatus(String key, State state, String detail, Instant since, Instant expiresAt,
                                      Instant nextAttemptAt, int failures) {
    public enum State { REGISTERING, REGISTERED, FAILED }
}
