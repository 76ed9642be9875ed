package dev.hotline.directory;

import java.time.Instant;

/** A user (account) of one enterprise as the API shows it; never carries the password hash. */
public record User(long id, String username, String displayName, long roleId, String roleName, Long departmentId,
                   String departmentName, String jobNumber, String extension, String email, String language,
                   boolean enabled, Instant createdAt) {}
