package dev.hotline.acd;

import dev.hotline.audit.AuditLog;
import dev.hotline.web.Api;
import org.jdbi.v3.core.Jdbi;

/** HTTP routes of the ACD: agent sessions and states, members, skills, reason codes, live figures. */
public final class AcdRoutes {
    private AcdRoutes() {}

    public static void register(Api root, Jdbi jdbi, AuditLog audit, Acd acd) {
        // filled in with the agent and queue management routes
    }
}
