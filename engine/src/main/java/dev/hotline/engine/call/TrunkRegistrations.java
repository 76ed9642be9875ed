package dev.hotline.engine.call;

import java.util.Collection;
import java.util.List;

/** The engine's outbound registrations to carriers (PBX-2 registering trunks). */
public interface TrunkRegistrations {
    /**
     * Makes the set of registrations equal to {@code wanted}: new ones start, changed ones restart,
     * missing ones are unregistered (Expires: 0) and dropped.
     */
    void configure(Collection<TrunkRegistration> wanted);

    List<TrunkRegistrationStatus> status();
}
