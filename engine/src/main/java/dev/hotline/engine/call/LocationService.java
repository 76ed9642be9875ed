package dev.hotline.engine.call;

import java.util.List;

/** Read side of the registrar for the server (admin console, routing). */
public interface LocationService {
    /** Live contacts of one address-of-record, most recently registered first. */
    List<Registration> lookup(String domain, String user);

    default boolean isRegistered(String domain, String user) {
        return !lookup(domain, user).isEmpty();
    }

    /** Every live binding. */
    List<Registration> all();
}
