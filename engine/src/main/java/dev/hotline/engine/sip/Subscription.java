package dev.hotline.engine.sip;

import dev.hotline.engine.call.DialogInfo;
import java.time.Instant;
import java.util.List;
import javax.sip.address.Address;
import javax.sip.address.URI;

/**
 * One dialog-package subscription (RFC 6665) and the dialog it made: what the notifier needs to send its NOTIFYs
 * (tags, CSeq, remote target, route set) and what it watches. Touched only on the presence thread of
 * {@link DialogSubscriptions}, except the fields read by {@code watchers()} (immutable or volatile).
 */
final class Subscription {
    final String resource;
    final String subscriber;
    final String entity;
    final String domain;
    final String callId;
    final String localTag;
    final String remoteTag;
    final Address local;
    final Address remote;
    final URI remoteTarget;
    final List<Address> routeSet;
    final String transport;
    private long localCseq;
    private long remoteCseq;
    private volatile Instant expiresAt;
    /** The version of the next dialog-info document (RFC 4235 §4.1: 0 first, then one more each time). */
    private long version;
    private SubscriptionState state = SubscriptionState.NEW;
    /** The full state last sent, without the dialogs it reported terminated (a refresh NOTIFY repeats it). */
    private List<DialogInfo> shown = List.of();

    Subscription(String resource, String subscriber, String entity, String domain, String callId, String localTag, String remoteTag,
                 Address local, Address remote, URI remoteTarget, List<Address> routeSet, String transport, long remoteCseq,
                 Instant expiresAt) {
        this.resource = resource;
        this.subscriber = subscriber;
        this.entity = entity;
        this.domain = domain;
        this.callId = callId;
        this.localTag = localTag;
        this.remoteTag = remoteTag;
        this.local = local;
        this.remote = remote;
        this.remoteTarget = remoteTarget;
        this.routeSet = List.copyOf(routeSet);
        this.transport = transport;
        this.remoteCseq = remoteCseq;
        this.expiresAt = expiresAt;
    }

    static String key(String callId, String localTag) {
        return callId + ";" + localTag;
    }

    String key() {
        return key(callId, localTag);
    }

    SubscriptionState state() {
        return state;
    }

    /** The one way to change the state; an illegal move throws. */
    void move(SubscriptionState next) {
        state = state.next(next);
    }

    Instant expiresAt() {
        return expiresAt;
    }

    void expiresAt(Instant at) {
        this.expiresAt = at;
    }

    /** RFC 3261 §12.2.2: a request with a CSeq not above the last one is out of order. */
    boolean acceptCseq(long cseq) {
        if (cseq <= remoteCseq) {
            return false;
        }
        remoteCseq = cseq;
        return true;
    }

    long nextCseq() {
        return ++localCseq;
    }

    long nextVersion() {
        return version++;
    }

    List<DialogInfo> shown() {
        return shown;
    }

    void shown(List<DialogInfo> dialogs) {
        this.shown = dialogs.stream().filter(d -> d.state().live()).toList();
    }
}
