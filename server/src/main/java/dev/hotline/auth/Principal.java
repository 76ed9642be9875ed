package dev.hotline.auth;

import java.util.Set;

/** Who is calling: the authenticated user of one enterprise, by session cookie or API token. */
public record Principal(
        long userId,
        String username,
        long enterpriseId,
        String enterpriseCode,
        String role,
        Set<Permission> permissions,
        Via via,
        String csrfToken) {

    public enum Via { SESSION, TOKEN }

    public boolean can(Permission p) {
        return permissions.contains(p);
    }
}
