package dev.hotline.engine.call;

import java.net.InetSocketAddress;
import java.util.Optional;

/** Server-provided: decides how an out-of-dialog INVITE is admitted. */
@FunctionalInterface
public interface InboundPolicy {
    enum Decision {
        /** Accepted from a trusted peer (IP-authenticated trunk) without digest authentication. */
        TRUSTED,
        /** Must be digest-authenticated as an extension of the request domain (407 challenge). */
        AUTHENTICATE,
        /** Refused with 403. */
        REJECT
    }

    /**
     * Where an INVITE comes from. {@code trunkRegistration}: SEC-4, the key of the engine's trunk registration whose
     * TCP or TLS connection to its registrar the INVITE came on ({@link TrunkRegistrations#registeredOver}), empty
     * otherwise.
     */
    record InviteSource(InetSocketAddress source, String transport, String requestDomain, String fromUser,
                        String fromDomain, String toUser, Optional<String> trunkRegistration) {
    }

    Decision admit(InviteSource source);

    /**
     * SDES-SRTP (RFC 4568) for an INVITE admitted from {@code source}: a trunk's own setting (mutual choice with its
     * carrier), OPTIONAL otherwise (a phone gets SRTP when it asks for it over TLS). Only TLS legs ever use SRTP.
     */
    default SrtpMode srtp(InviteSource source) {
        return SrtpMode.OPTIONAL;
    }

    /** Every INVITE must authenticate. */
    static InboundPolicy authenticateAll() {
        return s -> Decision.AUTHENTICATE;
    }
}
