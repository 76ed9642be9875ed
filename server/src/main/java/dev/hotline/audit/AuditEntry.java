package dev.hotline.audit;

import java.time.Instant;

/** One line of the operation log: who did what, when and from where. */
public record AuditEntry(long id, Instant at, Long userId, String username, String action, String target,
                         String detail, String ip) {}
