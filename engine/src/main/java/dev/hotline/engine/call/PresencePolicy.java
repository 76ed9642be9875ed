package dev.hotline.engine.call;

import java.util.List;

/**
 * Server-provided (PBX-8): whether an authenticated phone may watch a resource with the dialog event package
 * (RFC 4235), and what the resource's dialogs are now (the first NOTIFY's full state). Asked once per new
 * subscription, on a thread of the engine's presence service, never on a call's path.
 */
@FunctionalInterface
public interface PresencePolicy {
    /** Refuses every subscription (404) until the server sets its own policy. */
    PresencePolicy REFUSE_ALL = (subscriber, domain, user) -> new Decision.Refused(404);

    /**
     * @param subscriberAccountKey the account the SUBSCRIBE authenticated as ({@link SipAccount#accountKey()})
     * @param domain               the SIP domain of the request URI (the digest realm)
     * @param user                 the user part of the request URI: the extension or slot to watch
     */
    Decision watch(String subscriberAccountKey, String domain, String user);

    /**
     * The dialogs of {@code resource} now, as a later {@link Presence#update} would give them; null when the policy cannot
     * tell. Read once more after a new subscription is in place: a change between {@link #watch} and then found nobody
     * watching and was not sent.
     */
    default List<DialogInfo> now(String resource) {
        return null;
    }

    /** The answer to a subscription request. */
    sealed interface Decision {
        /**
         * @param resource the server's key of the resource: its later {@link Presence#update}s name it
         * @param now      its dialogs now
         */
        record Allowed(String resource, List<DialogInfo> now) implements Decision {
            public Allowed {
                now = List.copyOf(now);
            }
        }

        /** Refused with this SIP status (403, 404), as other requests for the same thing are. */
        record Refused(int sipStatus) implements Decision {
        }
    }
}
