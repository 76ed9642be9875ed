package dev.hotline.engine.call;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** The engine's outbound registrations to carriers (PBX-2 registering trunks). */
public interface TrunkRegistrations {
    /**
     * Makes the set of registrations equal to {@code wanted}: new ones start, changed ones restart,
     * missing ones are unregistered (Expires: 0) and dropped.
     */
    void configure(Collection<TrunkRegistration> wanted);

    List<TrunkRegistrationStatus> status();

    /**
     * SEC-4: the registration that is registered over the TCP or TLS connection a request came on: the one
     * {@code transport} ("tcp" or "tls": the connection's own transport, not what a Via claims) names with the peer
     * address and port {@code peer}, while that connection is open. Empty for UDP (a datagram's source address proves
     * nothing) and for any other connection.
     */
    default Optional<TrunkRegistration> registeredOver(String transport, InetSocketAddress peer) {
        return Optional.empty();
    }
}
