package dev.hotline.engine.call;

import java.time.Instant;
import java.util.List;

/**
 * PBX-8: the busy lamp field. Phones subscribe to the dialog event package (SUBSCRIBE, RFC 6665 + RFC 4235) for a
 * resource the server admits ({@link PresencePolicy}); the server tells the engine each resource's dialogs as they
 * change and the engine sends NOTIFYs with {@code application/dialog-info+xml} from a thread of its own, so that
 * {@link #update} never waits on the network.
 */
public interface Presence {
    /** Sets the policy that admits subscriptions; refuses all until set. */
    void policy(PresencePolicy policy);

    /**
     * The resource's dialogs now, in full (a terminated dialog is listed once, in the update that ends it). Returns at
     * once; its subscribers are notified in the order of the updates.
     */
    void update(String resource, List<DialogInfo> dialogs);

    /** True when a phone watches the resource now: a caller may skip building an update nobody would get. */
    boolean watched(String resource);

    /** The subscriptions alive now. */
    List<Watcher> watchers();

    /**
     * One live subscription.
     *
     * @param resource   the server's key of the watched resource
     * @param subscriber the account key of the phone watching
     * @param entity     the watched URI
     * @param expiresAt  when it ends unless refreshed
     */
    record Watcher(String resource, String subscriber, String entity, Instant expiresAt) {
    }
}
