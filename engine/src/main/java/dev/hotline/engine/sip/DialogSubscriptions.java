package dev.hotline.engine.sip;

import dev.hotline.engine.call.DialogInfo;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.Presence;
import dev.hotline.engine.call.PresencePolicy;
import dev.hotline.engine.call.SipAccount;
import gov.nist.javax.sip.RequestEventExt;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.EventHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PBX-8, the notifier of the dialog event package (RFC 6665 + RFC 4235): SUBSCRIBE authenticated like REGISTER
 * (digest), admitted by the server's {@link PresencePolicy}, answered 200 and followed by a NOTIFY with the full
 * dialog-info state; then a NOTIFY on every {@link #update} of the resource, refreshes, un-subscribe (Expires: 0) and
 * expiry, each ending with a terminated NOTIFY. All of it runs on one presence thread of its own: a call's thread only
 * queues an update, never waits for the network.
 */
final class DialogSubscriptions implements Presence {
    private static final Logger log = LoggerFactory.getLogger(DialogSubscriptions.class);
    static final String EVENT = "dialog";
    static final int DEFAULT_EXPIRES = 3600; // RFC 4235 §3.2
    static final int MIN_EXPIRES = 5;
    static final int MAX_EXPIRES = 3600;
    /** Subscriptions kept at most (all phones together): more are refused 503. */
    static final int MAX_SUBSCRIPTIONS = 20_000;

    private final EngineConfig config;
    private final SipMessages msg;
    private final SipAuth auth;
    private final Clock clock;
    private final Supplier<String> tags;
    private final ScheduledExecutorService worker;
    private final Map<String, Subscription> byDialog = new ConcurrentHashMap<>();
    /** Key: Call-ID of a subscription whose NOTIFYs go over the subscriber's TCP or TLS connection or to its NAT (SipFlowRouter). */
    private final Map<String, SipFlowRouter.Flow> flows = new ConcurrentHashMap<>();
    /** The same subscriptions by watched resource: an update reads its resource's, and one nobody watches costs nothing. */
    private final Map<String, Set<Subscription>> byResource = new ConcurrentHashMap<>();
    private volatile PresencePolicy policy = PresencePolicy.REFUSE_ALL;

    DialogSubscriptions(EngineConfig config, SipMessages msg, SipAuth auth, Clock clock, Supplier<String> tags) {
        this.config = config;
        this.msg = msg;
        this.auth = auth;
        this.clock = clock;
        this.tags = tags;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hotline-presence");
            t.setDaemon(true);
            return t;
        });
        worker.scheduleWithFixedDelay(this::expire, 1, 1, TimeUnit.SECONDS);
    }

    // ================================================================ Presence

    @Override
    public void policy(PresencePolicy policy) {
        this.policy = policy == null ? PresencePolicy.REFUSE_ALL : policy;
    }

    @Override
    public void update(String resource, List<DialogInfo> dialogs) {
        if (!watched(resource)) {
            return;
        }
        List<DialogInfo> now = List.copyOf(dialogs);
        post(() -> {
            for (Subscription s : byResource.getOrDefault(resource, Set.of())) {
                if (s.state().notifies()) {
                    notify(s, now, null);
                }
            }
        });
    }

    /** The flow the NOTIFYs of the subscription with Call-ID {@code callId} go over, or null (its Contact). */
    SipFlowRouter.Flow flow(String callId) {
        return flows.get(callId);
    }

    @Override
    public boolean watched(String resource) {
        Set<Subscription> watching = byResource.get(resource);
        return watching != null && !watching.isEmpty();
    }

    private void add(Subscription s) {
        byDialog.put(s.key(), s);
        byResource.computeIfAbsent(s.resource, r -> ConcurrentHashMap.newKeySet()).add(s);
    }

    /** Forgets a subscription; false when it was gone already. */
    private boolean remove(Subscription s) {
        if (!byDialog.remove(s.key(), s)) {
            return false;
        }
        byResource.computeIfPresent(s.resource, (r, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
        return true;
    }

    @Override
    public List<Watcher> watchers() {
        List<Watcher> out = new ArrayList<>();
        for (Subscription s : byDialog.values()) {
            out.add(new Watcher(s.resource, s.subscriber, s.entity, s.expiresAt()));
        }
        return out;
    }

    void close() {
        worker.shutdownNow();
    }

    private void post(Runnable task) {
        try {
            worker.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException ex) {
                    log.warn("presence task failed", ex);
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    // ================================================================ SUBSCRIBE

    /** A SUBSCRIBE outside any dialog, from {@code ip}. */
    void onSubscribe(RequestEvent e, ServerTransaction st, String ip) {
        post(() -> {
            try {
                subscribe(e, st, ip);
            } catch (Exception ex) {
                log.info("SUBSCRIBE from {} failed: {}", ip, ex.toString());
                msg.send(st, msg.response(Response.SERVER_INTERNAL_ERROR, e.getRequest(), null));
            }
        });
    }

    /** True when {@code callId} and our tag name a subscription's dialog. */
    boolean owns(String callId, String toTag) {
        return byDialog.containsKey(Subscription.key(callId, toTag));
    }

    /** A request inside a subscription's dialog: a refresh or un-subscribe; anything else is not allowed there. */
    void onInDialog(RequestEvent e, ServerTransaction st, String callId, String toTag) {
        post(() -> {
            Request req = e.getRequest();
            Subscription s = byDialog.get(Subscription.key(callId, toTag));
            if (s == null || !s.state().notifies()) {
                msg.send(st, msg.response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, req, null));
                return;
            }
            if (!Request.SUBSCRIBE.equals(req.getMethod())) {
                Response r = msg.response(Response.METHOD_NOT_ALLOWED, req, null);
                try {
                    r.addHeader(msg.hf.createAllowHeader("SUBSCRIBE"));
                } catch (Exception ignored) {
                    // sent without Allow
                }
                msg.send(st, r);
                return;
            }
            if (!s.acceptCseq(((CSeqHeader) req.getHeader(CSeqHeader.NAME)).getSeqNumber())) {
                msg.send(st, msg.response(Response.SERVER_INTERNAL_ERROR, req, null, "CSeq out of order"));
                return;
            }
            if (!badEvent(req, st)) {
                refresh(s, req, st);
            }
        });
    }

    private void subscribe(RequestEvent e, ServerTransaction st, String ip) throws Exception {
        Request req = e.getRequest();
        if (!(req.getRequestURI() instanceof SipURI target) || target.getUser() == null) {
            msg.send(st, msg.response(Response.BAD_REQUEST, req, null, "Request-URI must be a sip: URI with a user"));
            return;
        }
        if (badEvent(req, st)) {
            return;
        }
        if (!SipMessages.accepts(req, DialogInfoXml.CONTENT_TYPE, DialogInfoXml.CONTENT_SUBTYPE)) {
            msg.send(st, msg.response(Response.NOT_ACCEPTABLE, req, null, "Only application/dialog-info+xml"));
            return;
        }
        ContactHeader contact = (ContactHeader) req.getHeader(ContactHeader.NAME);
        if (contact == null || contact.isWildCard()) {
            msg.send(st, msg.response(Response.BAD_REQUEST, req, null, "SUBSCRIBE needs a Contact"));
            return;
        }
        String domain = msg.domainOf(target.getHost());
        Optional<SipAccount> account = auth.authenticate(e, st, ip, domain, target.getUser(), true);
        if (account.isEmpty()) {
            return;
        }
        int expires = requestedExpires(req, st);
        if (expires < 0) {
            return;
        }
        PresencePolicy.Decision decision;
        try {
            decision = policy.watch(account.get().accountKey(), domain, target.getUser());
        } catch (RuntimeException ex) {
            log.warn("presence policy failed for {} watching {}", account.get().accountKey(), target.getUser(), ex);
            decision = new PresencePolicy.Decision.Refused(Response.SERVER_INTERNAL_ERROR);
        }
        if (decision instanceof PresencePolicy.Decision.Refused refused) {
            msg.send(st, msg.response(refused.sipStatus(), req, null));
            return;
        }
        PresencePolicy.Decision.Allowed allowed = (PresencePolicy.Decision.Allowed) decision;
        if (expires > 0 && byDialog.size() >= MAX_SUBSCRIPTIONS) {
            msg.send(st, msg.response(Response.SERVICE_UNAVAILABLE, req, null, "Too many subscriptions"));
            return;
        }
        FromHeader from = (FromHeader) req.getHeader(FromHeader.NAME);
        ToHeader to = (ToHeader) req.getHeader(ToHeader.NAME);
        List<Address> routes = new ArrayList<>();
        ListIterator<?> rr = req.getHeaders(RecordRouteHeader.NAME);
        while (rr != null && rr.hasNext()) {
            routes.add((Address) ((RecordRouteHeader) rr.next()).getAddress().clone());
        }
        String transport = ((ViaHeader) req.getHeader(ViaHeader.NAME)).getTransport().toLowerCase(Locale.ROOT);
        Address local = (Address) to.getAddress().clone();
        Address remote = (Address) from.getAddress().clone();
        Subscription s = new Subscription(allowed.resource(), account.get().accountKey(), "sip:" + target.getUser() + "@" + target.getHost(),
                domain, ((CallIdHeader) req.getHeader(CallIdHeader.NAME)).getCallId(), tags.get(), from.getTag(), local, remote,
                (URI) contact.getAddress().getURI().clone(), routes, transport,
                ((CSeqHeader) req.getHeader(CSeqHeader.NAME)).getSeqNumber(), clock.instant().plusSeconds(expires));
        Response ok = msg.response(Response.OK, req, s.localTag);
        ok.addHeader(msg.hf.createExpiresHeader(expires));
        ok.addHeader(msg.contact(transport));
        if (expires == 0) { // a fetch (RFC 6665 §4.4.3): the state once, then the end
            msg.send(st, ok);
            s.move(SubscriptionState.TERMINATED);
            notify(s, allowed.now(), "timeout");
            return;
        }
        s.move(SubscriptionState.ACTIVE);
        SipFlowRouter.Flow connection = SipFlowRouter.Flow.connectionOf(transport, new InetSocketAddress(ip, ((RequestEventExt) e).getRemotePort()));
        if (connection != null) {
            flows.put(s.callId, connection); // its own TCP or TLS connection (RFC 5626 §5.3)
        } else {
            InetSocketAddress nat = NatTraversal.natedSource(req, contact.getAddress().getURI());
            if (nat != null) {
                flows.put(s.callId, SipFlowRouter.Flow.udp(nat)); // a subscriber behind a NAT (RFC 3581)
            }
        }
        add(s);
        msg.send(st, ok);
        log.info("{} watches {} ({}) for {} s", s.subscriber, s.entity, s.resource, expires);
        notify(s, allowed.now(), null);
        // A change made between the policy's answer and add(s) found nobody watching and was not sent: look again, behind
        // any update posted since (this thread runs them in order), and send the state if it moved meanwhile.
        post(() -> recheck(s));
    }

    private void recheck(Subscription s) {
        if (!s.state().notifies()) {
            return;
        }
        List<DialogInfo> now = policy.now(s.resource);
        if (now != null && !now.equals(s.shown())) {
            notify(s, List.copyOf(now), null);
        }
    }

    private void refresh(Subscription s, Request req, ServerTransaction st) {
        int expires = requestedExpires(req, st);
        if (expires < 0) {
            return;
        }
        Response ok = msg.response(Response.OK, req, null);
        try {
            ok.addHeader(msg.hf.createExpiresHeader(expires));
        } catch (Exception ignored) {
            // sent without Expires
        }
        ok.addHeader(msg.contact(s.transport));
        msg.send(st, ok);
        if (expires == 0) {
            end(s, "timeout");
            return;
        }
        s.move(SubscriptionState.ACTIVE);
        s.expiresAt(clock.instant().plusSeconds(expires));
        notify(s, s.shown(), null); // RFC 6665 §4.2.2: a refresh is answered with the current state too
    }

    /** Answers 489 (RFC 6665 §8.3.2) and returns true when the request is not for the dialog package. */
    private boolean badEvent(Request req, ServerTransaction st) {
        EventHeader event = (EventHeader) req.getHeader(EventHeader.NAME);
        if (event != null && EVENT.equalsIgnoreCase(event.getEventType())) {
            return false;
        }
        Response r = msg.response(Response.BAD_EVENT, req, null);
        try {
            r.addHeader(msg.hf.createAllowEventsHeader(EVENT));
        } catch (Exception ignored) {
            // sent without Allow-Events
        }
        msg.send(st, r);
        return true;
    }

    /** The granted expiry (0 un-subscribes), or -1 after answering 423 for one too brief. */
    private int requestedExpires(Request req, ServerTransaction st) {
        ExpiresHeader h = req.getExpires();
        int asked = h == null ? DEFAULT_EXPIRES : h.getExpires();
        if (asked > 0 && asked < MIN_EXPIRES) {
            Response r = msg.response(Response.INTERVAL_TOO_BRIEF, req, null);
            try {
                r.addHeader(msg.hf.createMinExpiresHeader(MIN_EXPIRES));
            } catch (Exception ignored) {
                // sent without Min-Expires
            }
            msg.send(st, r);
            return -1;
        }
        return Math.min(asked, MAX_EXPIRES);
    }

    // ================================================================ NOTIFY

    /** Ends a subscription with a terminated NOTIFY (RFC 6665 §4.2.2) repeating the last state. */
    private void end(Subscription s, String reason) {
        if (s.state() == SubscriptionState.TERMINATED) {
            return;
        }
        s.move(SubscriptionState.TERMINATED);
        remove(s);
        log.info("{} no longer watches {} ({})", s.subscriber, s.entity, reason);
        notify(s, s.shown(), reason);
        flows.remove(s.callId); // after the last NOTIFY: it went the same way
    }

    private void expire() {
        Instant now = clock.instant();
        for (Subscription s : byDialog.values()) {
            if (!s.expiresAt().isAfter(now)) {
                end(s, "timeout");
            }
        }
    }

    /** Sends one NOTIFY with the full state {@code dialogs}, in the subscription's state now. */
    private void notify(Subscription s, List<DialogInfo> dialogs, String reason) {
        try {
            Request n = notifyRequest(s);
            long left = Math.max(0, s.expiresAt().getEpochSecond() - clock.instant().getEpochSecond());
            n.addHeader(msg.hf.createHeader("Subscription-State", s.state().header(left, reason)));
            ContentTypeHeader ct = msg.hf.createContentTypeHeader(DialogInfoXml.CONTENT_TYPE, DialogInfoXml.CONTENT_SUBTYPE);
            n.setContent(DialogInfoXml.render(s.entity, s.nextVersion(), dialogs, s.domain), ct);
            s.shown(dialogs);
            ClientTransaction tx = msg.provider.getNewClientTransaction(n);
            tx.setApplicationData(s);
            tx.sendRequest();
        } catch (Exception ex) {
            log.info("NOTIFY to {} for {} failed: {}", s.subscriber, s.entity, ex.toString());
            if (s.state().notifies()) {
                s.move(SubscriptionState.TERMINATED);
                remove(s);
                flows.remove(s.callId);
            }
        }
    }

    private Request notifyRequest(Subscription s) throws Exception {
        URI target = (URI) s.remoteTarget.clone();
        if (target instanceof SipURI sip && !"udp".equals(s.transport) && sip.getTransportParam() == null) {
            sip.setTransportParam(s.transport);
        }
        List<ViaHeader> vias = List.of(msg.hf.createViaHeader(config.advertisedAddress(), config.portFor(s.transport), s.transport,
                SipMessages.newBranch()));
        Request n = msg.mf.createRequest(target, Request.NOTIFY, msg.hf.createCallIdHeader(s.callId),
                msg.hf.createCSeqHeader(s.nextCseq(), Request.NOTIFY), msg.hf.createFromHeader(s.local, s.localTag),
                msg.hf.createToHeader(s.remote, s.remoteTag), vias, msg.hf.createMaxForwardsHeader(70));
        for (Address route : s.routeSet) {
            n.addHeader(msg.hf.createRouteHeader(route));
        }
        n.addHeader(msg.contact(s.transport));
        n.addHeader(msg.hf.createEventHeader(EVENT));
        msg.identify(n);
        return n;
    }

    /** The subscriber's answer to a NOTIFY: a failure other than a challenge ends the subscription (RFC 6665 §4.2.2). */
    void onNotifyResponse(Subscription s, int status) {
        if (status < 300 || status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED) {
            return;
        }
        post(() -> drop(s, "NOTIFY answered " + status));
    }

    /** No answer to a NOTIFY: the subscriber is gone. */
    void onNotifyTimeout(Subscription s) {
        post(() -> drop(s, "NOTIFY timed out"));
    }

    private void drop(Subscription s, String why) {
        if (remove(s)) {
            flows.remove(s.callId);
            s.move(SubscriptionState.TERMINATED);
            log.info("{} no longer watches {}: {}", s.subscriber, s.entity, why);
        }
    }
}
