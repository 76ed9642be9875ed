package dev.hotline.directory;

import dev.hotline.auth.Permission;
import java.util.Set;

/** A role of one enterprise: built-in (admin, supervisor, agent, operator) or custom. */
public record Role(long id, String name, boolean builtin, Set<Permission> permissions) {}
