package dev.hotline.engine.sip;

import dev.hotline.engine.call.TrunkRegistration;
import dev.hotline.engine.call.TrunkRegistrationStatus;
import dev.hotline.engine.call.TrunkRegistrations;
import java.time.Clock;
import java.time.Duration;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import gov.nist.javax.sip.ResponseEventExt;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps registrations with carriers (RFC 3261 §10.2): REGISTER, digest challenges answered by
 * {@link CarrierChallenges}, refresh before expiry, exponential back-off after a
 * failure, unregister when a trunk goes away or the engine stops.
 */
final class TrunkRegistrar implements TrunkRegistrations, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TrunkRegistrar.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    private final SipEngine engine;
    private final Clock clock;
    private final CarrierChallenges challenges;
    private final ScheduledExecutorService timer;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** One registration and its state; all changes happen under its monitor. */
    final class Entry {
        final TrunkRegistration reg;
        final String callId;
        long cseq;
        int authTries;
        int failures;
        boolean stopped;
        volatile TrunkRegistrationStatus status;
        /**
         * SEC-4: over TCP or TLS, the peer (address and port) of the connection the last 2xx came back on: the connection
         * this registration holds to its registrar (RFC 3261 §18.1.2, responses come back on the request's connection),
         * over which the carrier sends its calls (RFC 5626 §5.3). Null over UDP, before the first 2xx and once failed.
         */
        volatile InetSocketAddress connection;
        ScheduledFuture<?> next;

        Entry(TrunkRegistration reg, String callId) {
            this.reg = reg;
            this.callId = callId;
            this.status = new TrunkRegistrationStatus(reg.key(), TrunkRegistrationStatus.State.REGISTERING, null, clock.instant(), null, null, 0);
        }
    }

    /** Application data of a REGISTER client transaction. */
    record Attempt(Entry entry, boolean unregister) {}

    TrunkRegistrar(SipEngine engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
        this.challenges = engine.carrierChallenges();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hotline-trunk-registrar");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public synchronized void configure(Collection<TrunkRegistration> wanted) {
        Set<String> keep = new HashSet<>();
        for (TrunkRegistration w : wanted) {
            keep.add(w.key());
            Entry old = entries.get(w.key());
            if (old != null && old.reg.equals(w)) continue;
            if (old != null) stop(old, true);
            Entry e = new Entry(w, engine.msg.provider.getNewCallId().getCallId());
            log.info("trunk {}: {} registration to {}:{}", w.key(), old == null ? "starting" : "restarting", w.host(), w.port());
            entries.put(w.key(), e);
            timer.execute(() -> send(e, false));
        }
        for (Entry e : List.copyOf(entries.values())) {
            if (!keep.contains(e.reg.key())) {
                entries.remove(e.reg.key());
                stop(e, true);
            }
        }
    }

    @Override
    public List<TrunkRegistrationStatus> status() {
        List<TrunkRegistrationStatus> out = new ArrayList<>();
        for (Entry e : entries.values()) out.add(e.status);
        return out;
    }

    /**
     * SEC-4: the registration registered over this very connection. Over TCP the handshake means a peer cannot send
     * from an address and port it does not hold (unlike a UDP datagram's source); over TLS the registrar's certificate
     * was checked to name the trunk's host when the connection was opened (RFC 5922 §7.2). What comes over that
     * connection therefore comes from the carrier the trunk names: RFC 3261 §26.3.2.1, "because the UA has already
     * authenticated the server on the other side of the TLS connection, all requests that come over this connection are
     * known to have passed through the proxy server"; its INVITEs need no digest of ours. Another connection from the
     * same host is not this one.
     */
    @Override
    public Optional<TrunkRegistration> registeredOver(String transport, InetSocketAddress peer) {
        String t = transport.toLowerCase(Locale.ROOT);
        if (!t.equals("tcp") && !t.equals("tls")) return Optional.empty();
        for (Entry e : entries.values()) {
            if (e.reg.transport().equalsIgnoreCase(t) && peer.equals(e.connection)
                    && e.status.state() == TrunkRegistrationStatus.State.REGISTERED && engine.connectionOpen(t, peer)) {
                return Optional.of(e.reg);
            }
        }
        return Optional.empty();
    }

    private void stop(Entry e, boolean unregister) {
        boolean wasRegistered;
        synchronized (e) {
            e.stopped = true;
            e.connection = null;
            if (e.next != null) e.next.cancel(false);
            wasRegistered = e.status.state() == TrunkRegistrationStatus.State.REGISTERED;
        }
        if (unregister && wasRegistered) {
            synchronized (e) {
                e.authTries = 0;
            }
            send(e, true);
        }
    }

    /** Sends REGISTER (or the unregister, Expires: 0) for {@code e}. */
    private void send(Entry e, boolean unregister) {
        try {
            Request req;
            synchronized (e) {
                if (e.stopped && !unregister) return;
                TrunkRegistration r = e.reg;
                if (r.transport().equals("tls") && engine.tlsNetwork != null) {
                    engine.tlsNetwork.checkNameOf(r.host()); // RFC 5922 §7.2: the registrar's certificate names it
                }
                SipURI registrar = engine.msg.af.createSipURI(null, r.host());
                registrar.setPort(r.port());
                if (!r.transport().equals("udp")) registrar.setTransportParam(r.transport());
                SipURI aor = engine.msg.af.createSipURI(r.username(), r.domain());
                CallIdHeader callId = engine.msg.hf.createCallIdHeader(e.callId);
                List<ViaHeader> vias = List.of(engine.msg.hf.createViaHeader(engine.config.advertisedAddress(), engine.config.portFor(r.transport()),
                        r.transport(), SipMessages.newBranch()));
                req = engine.msg.mf.createRequest(registrar, Request.REGISTER, callId, engine.msg.hf.createCSeqHeader(++e.cseq, Request.REGISTER),
                        engine.msg.hf.createFromHeader(engine.msg.af.createAddress(aor), engine.newTag()),
                        engine.msg.hf.createToHeader(engine.msg.af.createAddress(aor), null), vias, engine.msg.hf.createMaxForwardsHeader(70));
                SipURI contactUri = engine.msg.af.createSipURI(r.username(), engine.config.advertisedAddress());
                contactUri.setPort(engine.config.portFor(r.transport()));
                if (!r.transport().equals("udp")) contactUri.setTransportParam(r.transport());
                req.addHeader(engine.msg.hf.createContactHeader(engine.msg.af.createAddress(contactUri)));
                req.addHeader(engine.msg.hf.createExpiresHeader(unregister ? 0 : (int) r.expires().toSeconds()));
                engine.msg.identify(req);
                if (!unregister) e.authTries = 0;
            }
            ClientTransaction ct = engine.msg.provider.getNewClientTransaction(req);
            ct.setApplicationData(new Attempt(e, unregister));
            ct.sendRequest();
        } catch (Exception ex) {
            if (!unregister) {
                failed(e, (Dialer.certificateRefused(ex) ? "TLS certificate refused: " : "cannot send REGISTER: ")
                        + ex.getMessage());
            }
        }
    }

    /** A response to one of our REGISTERs. */
    void onResponse(ResponseEvent ev, Attempt a) {
        Entry e = a.entry();
        Response resp = ev.getResponse();
        int code = resp.getStatusCode();
        if (code < 200) return;
        if (code == Response.UNAUTHORIZED || code == Response.PROXY_AUTHENTICATION_REQUIRED) {
            // Carriers challenge every REGISTER, the unregister (Expires: 0) included.
            synchronized (e) {
                if (e.stopped && !a.unregister()) return;
                if (++e.authTries > 2) {
                    if (!a.unregister()) failed(e, code + " " + resp.getReasonPhrase() + " (credentials rejected)");
                    return;
                }
            }
            try {
                ClientTransaction retry = challenges.retry(resp, ev.getClientTransaction(), 5);
                retry.setApplicationData(a);
                synchronized (e) {
                    e.cseq = ((CSeqHeader) retry.getRequest().getHeader(CSeqHeader.NAME)).getSeqNumber();
                }
                retry.sendRequest();
            } catch (Exception ex) {
                if (!a.unregister()) failed(e, "cannot answer the challenge: " + ex.getMessage());
            }
            return;
        }
        if (a.unregister()) return;
        if (code >= 300) {
            failed(e, code + " " + resp.getReasonPhrase());
            return;
        }
        long granted = grantedSeconds(resp, e.reg.expires().toSeconds());
        synchronized (e) {
            if (e.stopped) return;
            e.failures = 0;
            Instant now = clock.instant();
            // Refresh well before expiry: halfway for short grants, a minute early for long ones.
            long refreshIn = granted <= 120 ? Math.max(1, granted / 2) : granted - 60;
            e.connection = connectionOf(ev, e.reg.transport());
            e.status = new TrunkRegistrationStatus(e.reg.key(), TrunkRegistrationStatus.State.REGISTERED, code + " " + resp.getReasonPhrase(),
                    now, now.plusSeconds(granted), now.plusSeconds(refreshIn), 0);
            e.next = timer.schedule(() -> send(e, false), refreshIn, TimeUnit.SECONDS);
        }
        log.info("trunk {} registered at {}:{} for {} s", e.reg.key(), e.reg.host(), e.reg.port(), granted);
    }

    /** The transaction timed out: the carrier did not answer. */
    void onTimeout(Attempt a) {
        if (!a.unregister()) failed(a.entry(), "no response from " + a.entry().reg.host() + ":" + a.entry().reg.port());
    }

    /** The peer of the TCP or TLS connection a response came on; null over UDP. */
    private static InetSocketAddress connectionOf(ResponseEvent ev, String transport) {
        if (transport.equalsIgnoreCase("udp") || !(ev instanceof ResponseEventExt x) || x.getRemoteIpAddress() == null) return null;
        return new InetSocketAddress(x.getRemoteIpAddress(), x.getRemotePort());
    }

    /** RFC 3261 §10.2.4: the expiry the registrar granted, from our Contact's expires or the Expires header. */
    private static long grantedSeconds(Response resp, long asked) {
        var contacts = resp.getHeaders(ContactHeader.NAME);
        while (contacts.hasNext()) {
            ContactHeader c = (ContactHeader) contacts.next();
            if (c.getExpires() >= 0) return c.getExpires();
        }
        ExpiresHeader ex = (ExpiresHeader) resp.getHeader(ExpiresHeader.NAME);
        return ex != null ? ex.getExpires() : asked;
    }

    private void failed(Entry e, String why) {
        synchronized (e) {
            if (e.stopped) return;
            e.connection = null;
            e.failures++;
            long base = e.reg.retryBase().toMillis();
            long delay = Math.min(MAX_BACKOFF.toMillis(), base << Math.min(10, e.failures - 1));
            Instant now = clock.instant();
            e.status = new TrunkRegistrationStatus(e.reg.key(), TrunkRegistrationStatus.State.FAILED, why, now, null,
                    now.plusMillis(delay), e.failures);
            if (e.next != null) e.next.cancel(false);
            e.next = timer.schedule(() -> send(e, false), delay, TimeUnit.MILLISECONDS);
        }
        log.warn("trunk {} registration failed ({}); retry #{} in {} ms", e.reg.key(), why, e.failures, e.status.nextAttemptAt() == null ? 0
                : Duration.between(clock.instant(), e.status.nextAttemptAt()).toMillis());
    }

    @Override
    public void close() {
        for (Entry e : List.copyOf(entries.values())) stop(e, true);
        entries.clear();
        timer.shutdownNow();
    }
}
