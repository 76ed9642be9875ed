package dev.hotline.engine.call;

/**
 * Server-provided: the last word on an outbound leg to a URI, asked once per leg on its call executor just before
 * its INVITE is sent, when the leg is already among {@link TelephonyEngine#channels()} (so a policy that counts
 * live legs under its own lock counts this one's rivals exactly: two legs cannot both take the last channel of a
 * trunk). A refused leg ends at once with 503 (SERVICE_UNAVAILABLE), nothing sent.
 */
@FunctionalInterface
public interface OutboundPolicy {
    OutboundPolicy ADMIT_ALL = leg -> true;

    boolean admit(Channel leg);
}
