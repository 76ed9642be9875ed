package dev.hotline.tenant;

import java.time.Instant;

/** An enterprise (tenant). Everything an enterprise owns carries its id. */
public record Enterprise(long id, String code, String name, String sipDomain, boolean enabled, Instant createdAt) {
    /** The reserved enterprise of the platform operator. */
    public static final String SYSTEM = "system";
}
