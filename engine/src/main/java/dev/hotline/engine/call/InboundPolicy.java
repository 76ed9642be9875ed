package dev.hotline.engine.call;

import java.net.InetSocketAddress;

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

    record InviteSource(InetSocketAddress source, String transport, String requestDomain, String fromUser,
                        String fromDomain, String toUser) {
    }

    Decision admit(InviteSource source);

    /** Every INVITE must authenticate. */
    static InboundPolicy authenticateAll() {
        return s -> Decision.AUTHENTICATE;
    }
}
