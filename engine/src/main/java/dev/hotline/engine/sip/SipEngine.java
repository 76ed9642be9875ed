package dev.hotline.engine.sip;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallHandler;
import dev.hotline.engine.call.CallParty;
import dev.hotline.engine.call.CallerId;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.Conference;
import dev.hotline.engine.call.Tap;
import dev.hotline.engine.call.TapMode;
import dev.hotline.engine.media.AudioClipCache;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.Direction;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.LocationService;
import dev.hotline.engine.call.Registration;
import dev.hotline.engine.call.SipAccount;
import dev.hotline.engine.call.SipAccountDirectory;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.rtp.MediaRelay;
import dev.hotline.engine.rtp.RtpEndpoint;
import dev.hotline.engine.sdp.MediaDescription;
import dev.hotline.engine.sdp.Sdp;
import dev.hotline.engine.sdp.SdpException;
import gov.nist.javax.sip.RequestEventExt;
import gov.nist.javax.sip.header.ParametersHeader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.UserAgentHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP side of the engine on JAIN-SIP: registrar, digest authentication and the B2BUA.
 * JAIN-SIP runs with automatic dialog support off; the engine creates dialogs itself and serialises
 * each call's work on a per-call executor. Nothing of JAIN-SIP leaks out of this package.
 */
public final class SipEngine implements TelephonyEngine, SipListener {
    private static final Logger log = LoggerFactory.getLogger(SipEngine.class);
    private static final AtomicInteger STACKS = new AtomicInteger();
    private static final String ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY, UPDATE, INFO";
    private static final int MIN_SE = 90; // RFC 4028 §5 minimum

    final EngineConfig config;
    private final SipAccountDirectory accounts;
    private final InboundPolicy policy;
    private final CallHandler handler;
    private final Clock clock = Clock.systemUTC();
    private final SipStack stack;
    final SipProvider provider;
    final HeaderFactory hf;
    final AddressFactory af;
    final MessageFactory mf;
    private final MediaRelay relay;
    /** Prompt and music files, converted to 8 kHz once (about 30 minutes of audio at most). */
    final AudioClipCache clips = new AudioClipCache(8000L * 60 * 30);
    private final AtomicLong conferenceIds = new AtomicLong();
    private final Registrar registrar;
    private final DigestAuthenticator auth;
    private final AuthThrottle throttle;
    private final ExecutorService callPool;
    private final ScheduledExecutorService timer;
    private final Map<String, SipLeg> legsById = new ConcurrentHashMap<>();
    /** Key: Call-ID + ";" + our tag — matches in-dialog requests by their To tag. */
    private final Map<String, SipLeg> legsByDialog = new ConcurrentHashMap<>();
    /** Key: Call-ID + ";" + remote From tag — unanswered inbound INVITEs, for CANCEL. */
    private final Map<String, SipLeg> pendingInbound = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final String idPrefix = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    private final SecureRandom random = new SecureRandom();
    private final Header userAgent;
    private final TrunkRegistrar trunkRegistrar;
    /** Agents' browser connections by key; changed under {@link #browserLock} with their legs. */
    private final Map<String, BrowserConnection> browsers = new ConcurrentHashMap<>();
    private final Object browserLock = new Object();
    private volatile dev.hotline.engine.webrtc.DtlsCertificate dtlsCertificate;

    private SipEngine(EngineConfig config, SipAccountDirectory accounts, InboundPolicy policy, CallHandler handler)
            throws Exception {
        this.config = config;
        this.accounts = accounts;
        this.policy = policy;
        this.handler = handler;
        this.registrar = new Registrar(clock);
        this.auth = new DigestAuthenticator(accounts, clock);
        this.throttle = new AuthThrottle(config.authMaxFailures(), config.authFailureWindow(), config.authBanDuration(), clock);
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "hotline-" + STACKS.incrementAndGet());
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", Integer.toString(config.sipThreads()));
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "65536");
        p.setProperty("gov.nist.javax.sip.MAX_SERVER_TRANSACTIONS", "100000");
        p.setProperty("gov.nist.javax.sip.MAX_CLIENT_TRANSACTIONS", "100000");
        p.setProperty("gov.nist.javax.sip.AGGRESSIVE_CLEANUP", "true");
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", "4194304");
        p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", "4194304");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        p.setProperty("gov.nist.javax.sip.MAX_FORK_TIME_SECONDS", "0");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.SIP_MESSAGE_VALVE", StrayResponseValve.class.getName());
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", "gov.nist.javax.sip.stack.NioMessageProcessorFactory");
        this.stack = factory.createSipStack(p);
        this.hf = factory.createHeaderFactory();
        this.af = factory.createAddressFactory();
        this.mf = factory.createMessageFactory();
        this.userAgent = hf.createHeader("User-Agent", "Hotline");
        this.relay = new MediaRelay(config.bindAddress(), config.rtpPortMin(), config.rtpPortMax(), config.mediaThreads());
        SipProvider prov = null;
        try {
            if (config.udp()) {
                prov = stack.createSipProvider(stack.createListeningPoint(config.bindAddress(), config.sipPort(), ListeningPoint.UDP));
            }
            if (config.tcp()) {
                ListeningPoint tcp = stack.createListeningPoint(config.bindAddress(), config.sipPort(), ListeningPoint.TCP);
                if (prov == null) {
                    prov = stack.createSipProvider(tcp);
                } else {
                    prov.addListeningPoint(tcp);
                }
            }
            prov.addSipListener(this);
        } catch (Exception e) {
            relay.close();
            stack.stop();
            throw e;
        }
        this.provider = prov;
        this.callPool = Executors.newFixedThreadPool(config.callThreads(), daemon("hotline-call"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("hotline-timer"));
        timer.scheduleWithFixedDelay(this::sweep, 500, 500, TimeUnit.MILLISECONDS);
        stack.start();
        this.trunkRegistrar = new TrunkRegistrar(this, clock);
        log.info("SIP engine listening on {}:{} (udp={}, tcp={}), RTP {}-{}", config.bindAddress(), config.sipPort(),
                config.udp(), config.tcp(), config.rtpPortMin(), config.rtpPortMax());
    }

    public static SipEngine start(EngineConfig config, SipAccountDirectory accounts, InboundPolicy policy,
                                  CallHandler handler) throws IOException {
        try {
            return new SipEngine(config, accounts, policy, handler);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot start SIP engine: " + e.getMessage(), e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ================================================================ TelephonyEngine

    @Override
    public Channel dial(Channel inbound, DialRequest request) {
        if (!(inbound instanceof SipLeg leg) || leg.engine != this) {
            throw new IllegalArgumentException("not a channel of this engine: " + inbound);
        }
        return dialFor(leg, request);
    }

    @Override
    public void bridge(Channel a, Channel b) {
        SipBridge.bridge(leg(a), leg(b));
    }

    @Override
    public void unbridge(Channel channel) {
        SipBridge.unbridge(leg(channel));
    }

    // ================================================================ WebRTC connections

    @Override
    public dev.hotline.engine.call.WebRtcConnection webRtcConnect(String key, String offerSdp) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("key is required");
        }
        dev.hotline.engine.webrtc.WebRtcSdp.Offer offer = dev.hotline.engine.webrtc.WebRtcSdp.parseOffer(offerSdp);
        BrowserConnection conn;
        try {
            conn = new BrowserConnection(this, key, offer, certificate(), relay, new SerialExecutor(callPool));
        } catch (IOException e) {
            throw new IllegalStateException("no media port for the WebRTC connection of " + key + ": " + e.getMessage(), e);
        }
        BrowserConnection old;
        synchronized (browserLock) {
            old = browsers.put(key, conn);
            if (old != null) {
                // Reload or reconnection: the calls move over and go on once the new one is secured.
                for (SipLeg leg : old.takeLegs()) {
                    leg.browser = conn;
                    leg.codec = conn.codec;
                    leg.telephoneEventPt = conn.telephoneEventPt;
                    leg.remote = conn.remote;
                    if (leg.media != null) {
                        leg.media.setCodec(conn.codec, conn.telephoneEventPt);
                    }
                    conn.add(leg);
                }
            }
        }
        if (old != null) {
            old.close(false);
            log.info("WebRTC connection {} replaced (port {} -> {})", key, old.port(), conn.port());
        } else {
            log.info("WebRTC connection {} opened on port {}", key, conn.port());
        }
        return conn;
    }

    @Override
    public void webRtcDisconnect(String key) {
        BrowserConnection conn;
        List<SipLeg> legs;
        synchronized (browserLock) {
            conn = key == null ? null : browsers.remove(key);
            legs = conn == null ? List.of() : conn.takeLegs();
        }
        if (conn == null) {
            return;
        }
        conn.close(true);
        for (SipLeg leg : legs) {
            leg.post(() -> leg.terminate(HangupCause.NORMAL_CLEARING, 0, true));
        }
        log.info("WebRTC connection {} closed, {} call(s) ended", key, legs.size());
    }

    @Override
    public Optional<dev.hotline.engine.call.WebRtcConnection> webRtcConnection(String key) {
        return Optional.ofNullable(browsers.get(key));
    }

    private dev.hotline.engine.webrtc.DtlsCertificate certificate() {
        dev.hotline.engine.webrtc.DtlsCertificate c = dtlsCertificate;
        if (c == null) {
            synchronized (browserLock) {
                c = dtlsCertificate;
                if (c == null) {
                    c = dev.hotline.engine.webrtc.DtlsCertificate.generate();
                    dtlsCertificate = c;
                }
            }
        }
        return c;
    }

    /** A browser leg (Target.WebRtc) is placed: it joins the agent's connection and rings at once. */
    private void startBrowser(SipLeg out) {
        BrowserConnection conn;
        synchronized (browserLock) {
            conn = browsers.get(out.webRtcKey);
            if (conn != null) {
                out.browser = conn;
                out.codec = conn.codec;
                out.telephoneEventPt = conn.telephoneEventPt;
                out.remote = conn.remote;
                out.media.setCodec(conn.codec, conn.telephoneEventPt);
                conn.add(out);
            }
        }
        if (conn == null) {
            // Like an unregistered extension: nobody to ring.
            out.terminateSilently(HangupCause.SUBSCRIBER_ABSENT, Response.TEMPORARILY_UNAVAILABLE);
            return;
        }
        long timeoutNanos = (out.dialRequest.timeout() != null ? out.dialRequest.timeout() : config.noAnswerTimeout()).toNanos();
        out.ringDeadlineNanos = System.nanoTime() + timeoutNanos;
        out.moveTo(ChannelState.RINGING);
        emit(new CallEvent.ChannelRinging(out.id, Instant.now()));
        SipLeg p = out.partner;
        if (p != null) {
            p.post(() -> p.onPartnerProgress(out, Response.RINGING, false));
        }
    }

    /** A browser leg ended: it leaves its connection. */
    void browserLegEnded(SipLeg leg) {
        synchronized (browserLock) {
            BrowserConnection c = leg.browser;
            if (c != null) {
                c.remove(leg);
            }
        }
    }

    /** The media of a browser leg: an endpoint without sockets whose packets go out through its connection. */
    private RtpEndpoint browserEndpoint(SipLeg[] holder) {
        return relay.virtualEndpoint((packet, rtcp) -> {
            SipLeg leg = holder[0];
            BrowserConnection c = leg == null ? null : leg.browser;
            return c != null && c.send(leg, packet, rtcp);
        });
    }

    private static CallParty calleeOf(Target target) {
        if (target instanceof Target.Registered r) {
            return new CallParty(r.user(), r.domain(), "");
        }
        if (target instanceof Target.WebRtc w) {
            return new CallParty(w.key(), "webrtc", "");
        }
        Target.Uri u = (Target.Uri) target;
        return new CallParty(u.user() == null ? "" : u.user(), u.host(), "");
    }

    @Override
    public Optional<Channel> channel(String id) {
        return Optional.ofNullable(legsById.get(id));
    }

    @Override
    public Collection<Channel> channels() {
        return List.copyOf(legsById.values());
    }

    @Override
    public LocationService locations() {
        return registrar;
    }

    @Override
    public int sipPort() {
        return config.sipPort();
    }

    @Override
    public dev.hotline.engine.call.TrunkRegistrations trunkRegistrations() {
        return trunkRegistrar;
    }

    SipStack stack() {
        return stack;
    }

    @Override
    public Conference createConference(String name) {
        return new SipConference(this, "conf-" + idPrefix + "-" + conferenceIds.incrementAndGet(), name,
                new SerialExecutor(callPool));
    }

    @Override
    public Tap tap(Channel agentChannel, Channel supervisor, TapMode mode) {
        return SipTap.start(leg(agentChannel), leg(supervisor), mode);
    }

    SipLeg leg(Channel c) {
        if (!(c instanceof SipLeg l) || l.engine != this) {
            throw new IllegalArgumentException("not a channel of this engine: " + c);
        }
        return l;
    }

    MediaRelay relay() {
        return relay;
    }

    /** The media clock's load: legs decoded or generated now, ticks dropped under overload. */
    public int mediaActiveLegs() {
        return relay.clock().activeLegs();
    }

    /** Runs {@code task} on the engine timer after {@code delay} (digit timeouts). */
    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return timer.schedule(task, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return null; // closing
        }
    }

    public int liveLegs() {
        return legsById.size();
    }

    public int allocatedMediaPorts() {
        return relay.allocatedCount();
    }

    @Override
    public void close() {
        for (SipLeg leg : legsById.values()) {
            leg.hangup(HangupCause.SERVICE_UNAVAILABLE);
        }
        for (String key : List.copyOf(browsers.keySet())) {
            BrowserConnection c = browsers.remove(key);
            if (c != null) {
                c.close(false);
            }
        }
        trunkRegistrar.close();
        timer.shutdownNow();
        callPool.shutdown();
        try {
            callPool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stack.stop();
        relay.close();
    }

    // ================================================================ SipListener

    @Override
    public void processRequest(RequestEvent e) {
        Request req = e.getRequest();
        String method = req.getMethod();
        String ip = ((RequestEventExt) e).getRemoteIpAddress();
        try {
            if (throttle.isBanned(ip)) {
                return; // SEC-1: banned sources get no answer at all
            }
            String toTag = ((ToHeader) req.getHeader(ToHeader.NAME)).getTag();
            String callId = ((CallIdHeader) req.getHeader(CallIdHeader.NAME)).getCallId();
            if (toTag != null && !Request.ACK.equals(method) && !Request.CANCEL.equals(method)) {
                SipLeg leg = legsByDialog.get(callId + ";" + toTag);
                ServerTransaction st = serverTransaction(e);
                if (st == null) {
                    return;
                }
                if (leg == null) {
                    // RFC 3261 §12.2.2: a request for a dialog we do not know
                    send(st, response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, req, null));
                    return;
                }
                inDialog(leg, method, e, st);
                return;
            }
            switch (method) {
                case Request.REGISTER -> onRegister(e, ip);
                case Request.INVITE -> onInvite(e, ip);
                case Request.ACK -> {
                    SipLeg leg = toTag == null ? null : legsByDialog.get(callId + ";" + toTag);
                    if (leg != null) {
                        ServerTransaction ackTx = e.getServerTransaction();
                        leg.post(() -> leg.onAck(ackTx));
                    }
                }
                case Request.CANCEL -> onCancel(e, callId);
                case Request.OPTIONS -> {
                    ServerTransaction st = serverTransaction(e);
                    if (st != null) {
                        Response r = response(Response.OK, req, null);
                        r.addHeader(hf.createAllowHeader(ALLOW));
                        send(st, r);
                    }
                }
                case Request.BYE, Request.REFER, Request.UPDATE, Request.INFO, Request.NOTIFY -> {
                    ServerTransaction st = serverTransaction(e);
                    if (st != null) {
                        send(st, response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, req, null));
                    }
                }
                default -> {
                    ServerTransaction st = serverTransaction(e);
                    if (st != null) {
                        Response r = response(Response.METHOD_NOT_ALLOWED, req, null);
                        r.addHeader(hf.createAllowHeader(ALLOW));
                        send(st, r);
                    }
                }
            }
        } catch (Exception ex) {
            log.warn("{} from {} failed: {}", method, ip, ex.toString(), ex);
            if (!Request.ACK.equals(method)) {
                try {
                    provider.sendResponse(response(Response.SERVER_INTERNAL_ERROR, req, null));
                } catch (Exception ignored) {
                    // the stack may not be able to answer a broken request
                }
            }
        }
    }

    private void inDialog(SipLeg leg, String method, RequestEvent e, ServerTransaction st) {
        switch (method) {
            case Request.BYE -> leg.post(() -> leg.onBye(e, st));
            case Request.INVITE -> leg.post(() -> leg.onReInvite(e, st));
            case Request.UPDATE -> leg.post(() -> leg.onUpdate(e, st));
            case Request.REFER -> leg.post(() -> leg.onRefer(e, st));
            case Request.INFO -> leg.post(() -> leg.onInfo(e, st));
            case Request.NOTIFY, Request.OPTIONS -> send(st, response(Response.OK, e.getRequest(), null));
            default -> send(st, response(Response.METHOD_NOT_ALLOWED, e.getRequest(), null));
        }
    }

    private ServerTransaction serverTransaction(RequestEvent e) {
        ServerTransaction st = e.getServerTransaction();
        if (st != null) {
            return st;
        }
        try {
            return provider.getNewServerTransaction(e.getRequest());
        } catch (TransactionAlreadyExistsException ex) {
            return null; // a retransmission being handled
        } catch (Exception ex) {
            // JAIN-SIP refuses requests that lack a header their method requires (Contact on INVITE...).
            log.debug("no server transaction: {}", ex.toString());
            if (!Request.ACK.equals(e.getRequest().getMethod())) {
                Response r = response(Response.BAD_REQUEST, e.getRequest(), null,
                        ex.getMessage() == null ? "Bad Request" : ex.getMessage().replaceAll("[\\r\\n]", " "));
                try {
                    if (r != null) {
                        provider.sendResponse(r);
                    }
                } catch (Exception ignored) {
                    // nothing more to do for a request we cannot even answer
                }
            }
            return null;
        }
    }

    @Override
    public void processResponse(ResponseEvent e) {
        ClientTransaction ct = e.getClientTransaction();
        if (ct != null && ct.getApplicationData() instanceof TrunkRegistrar.Attempt attempt) {
            trunkRegistrar.onResponse(e, attempt);
            return;
        }
        if (ct == null || !(ct.getApplicationData() instanceof SipLeg leg)) {
            // A 2xx retransmission after the transaction ended: JAIN-SIP's dialog re-sends the ACK.
            return;
        }
        leg.post(() -> leg.onResponse(e));
    }

    @Override
    public void processTimeout(TimeoutEvent e) {
        if (!e.isServerTransaction() && e.getClientTransaction().getApplicationData() instanceof TrunkRegistrar.Attempt attempt) {
            trunkRegistrar.onTimeout(attempt);
            return;
        }
        if (!e.isServerTransaction() && e.getClientTransaction().getApplicationData() instanceof SipLeg leg
                && Request.INVITE.equals(e.getClientTransaction().getRequest().getMethod())) {
            leg.post(leg::onTimeout);
        }
    }

    @Override
    public void processIOException(IOExceptionEvent e) {
        log.debug("SIP I/O error towards {}:{} ({})", e.getHost(), e.getPort(), e.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent e) {
        // nothing: legs track their own life cycle
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent e) {
        // nothing: the sweeper removes legs
    }

    // ================================================================ registrar (RFC 3261 §10.3)

    private void onRegister(RequestEvent e, String ip) throws Exception {
        ServerTransaction st = serverTransaction(e);
        if (st == null) {
            return;
        }
        Request req = e.getRequest();
        ToHeader to = (ToHeader) req.getHeader(ToHeader.NAME);
        if (!(to.getAddress().getURI() instanceof SipURI aor) || aor.getUser() == null) {
            send(st, response(Response.BAD_REQUEST, req, null, "To must be a sip: URI with a user"));
            return;
        }
        String domain = domainOf(aor.getHost());
        String user = aor.getUser();
        Optional<SipAccount> account = authenticate(e, st, ip, domain, user, false);
        if (account.isEmpty()) {
            return;
        }
        ExpiresHeader expiresHeader = req.getExpires();
        int defaultExpires = expiresHeader != null ? expiresHeader.getExpires() : 3600;
        List<Registrar.ContactUpdate> updates = new ArrayList<>();
        boolean wildcard = false;
        ListIterator<?> it = req.getHeaders(ContactHeader.NAME);
        int min = (int) config.minRegisterExpires().toSeconds();
        int max = (int) config.maxRegisterExpires().toSeconds();
        while (it.hasNext()) {
            ContactHeader c = (ContactHeader) it.next();
            if (c.isWildCard()) {
                wildcard = true;
                continue;
            }
            int exp = c.getExpires() >= 0 ? c.getExpires() : defaultExpires;
            if (exp > 0 && exp < min) {
                // RFC 3261 §10.3 step 6: 423 with Min-Expires
                Response r = response(Response.INTERVAL_TOO_BRIEF, req, null);
                r.addHeader(hf.createMinExpiresHeader(min));
                send(st, r);
                return;
            }
            updates.add(new Registrar.ContactUpdate(c.getAddress().getURI().toString(), Math.min(exp, max)));
        }
        if (wildcard) {
            // RFC 3261 §10.3 step 6: "*" only alone and with Expires: 0
            if (!updates.isEmpty() || expiresHeader == null || expiresHeader.getExpires() != 0) {
                send(st, response(Response.BAD_REQUEST, req, null, "Contact * needs Expires: 0 and no other contact"));
                return;
            }
            registrar.removeAll(domain, user);
            log.info("unregistered all contacts of {}@{}", user, domain);
            send(st, response(Response.OK, req, null));
            return;
        }
        ViaHeader via = (ViaHeader) req.getHeader(ViaHeader.NAME);
        String callId = ((CallIdHeader) req.getHeader(CallIdHeader.NAME)).getCallId();
        long cseq = ((CSeqHeader) req.getHeader(CSeqHeader.NAME)).getSeqNumber();
        UserAgentHeader ua = (UserAgentHeader) req.getHeader(UserAgentHeader.NAME);
        List<Registration> live = updates.isEmpty() ? registrar.lookup(domain, user)
                : registrar.apply(account.get().accountKey(), domain, user, updates, callId, cseq,
                new InetSocketAddress(ip, ((RequestEventExt) e).getRemotePort()),
                via.getTransport().toLowerCase(Locale.ROOT), ua == null ? "" : String.join(" ", toStrings(ua.getProduct())));
        Response r = response(Response.OK, req, null);
        long now = clock.millis();
        for (Registration reg : live) {
            ContactHeader c = hf.createContactHeader(af.createAddress(af.createURI(reg.contact())));
            c.setExpires((int) Math.max(0, (reg.expiresAt().toEpochMilli() - now) / 1000));
            r.addHeader(c);
        }
        if (!updates.isEmpty()) {
            log.debug("registered {}@{}: {} contact(s)", user, domain, live.size());
        }
        send(st, r);
    }

    private static List<String> toStrings(ListIterator<?> it) {
        List<String> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(String.valueOf(it.next()));
        }
        return out;
    }

    /** The SIP domain of a request: its host, or the default domain when it names the engine's address. */
    String domainOf(String host) {
        if (host == null || host.isBlank() || host.equals(config.advertisedAddress()) || host.equals(config.bindAddress())) {
            return config.defaultDomain();
        }
        return host.toLowerCase(Locale.ROOT);
    }

    /**
     * Digest authentication of a request (RFC 3261 §22.2, 401 + WWW-Authenticate). Returns the account,
     * or empty after having answered the request (challenge or 403).
     */
    private Optional<SipAccount> authenticate(RequestEvent e, ServerTransaction st, String ip, String realm,
                                              String user, boolean anyUser) throws Exception {
        Request req = e.getRequest();
        AuthorizationHeader a = (AuthorizationHeader) req.getHeader(AuthorizationHeader.NAME);
        if (a == null) {
            a = (AuthorizationHeader) req.getHeader("Proxy-Authorization");
        }
        if (a == null || !"Digest".equalsIgnoreCase(a.getScheme())) {
            challenge(st, req, realm, false);
            return Optional.empty();
        }
        ParametersHeader ph = (ParametersHeader) a;
        String nc = ph.getParameter("nc");
        DigestAuthenticator.Credentials c = new DigestAuthenticator.Credentials(a.getUsername(), a.getRealm(),
                a.getNonce(), ph.getParameter("uri"), a.getResponse(), a.getAlgorithm(), a.getQop(), nc, a.getCNonce());
        DigestAuthenticator.Result result = auth.verify(req.getMethod(), realm, anyUser ? null : user, c);
        if (result instanceof DigestAuthenticator.Result.Ok ok) {
            return Optional.of(ok.account());
        }
        if (result instanceof DigestAuthenticator.Result.Failed f) {
            boolean banned = throttle.recordFailure(ip);
            log.warn("SIP authentication failed for {}@{} from {} ({}): {}{}", a.getUsername(), realm, ip,
                    req.getMethod(), f.reason(), banned ? "; source banned for " + config.authBanDuration() : "");
            send(st, response(Response.FORBIDDEN, req, null, "Forbidden"));
            return Optional.empty();
        }
        challenge(st, req, realm, true); // stale nonce
        return Optional.empty();
    }

    private void challenge(ServerTransaction st, Request req, String realm, boolean stale) throws Exception {
        Response r = response(Response.UNAUTHORIZED, req, null);
        WWWAuthenticateHeader w = hf.createWWWAuthenticateHeader("Digest");
        w.setRealm(realm);
        w.setNonce(auth.newNonce());
        w.setAlgorithm("MD5");
        w.setQop("auth");
        if (stale) {
            w.setParameter("stale", "true");
        }
        r.addHeader(w);
        send(st, r);
    }

    // ================================================================ calls

    private void onInvite(RequestEvent e, String ip) throws Exception {
        Request req = e.getRequest();
        ServerTransaction st = serverTransaction(e);
        if (st == null) {
            return;
        }
        // RFC 3261 §8.2.6.1: stop INVITE retransmissions right away.
        send(st, response(Response.TRYING, req, null));
        if (!(req.getRequestURI() instanceof SipURI ruri)) {
            send(st, response(Response.UNSUPPORTED_URI_SCHEME, req, null));
            return;
        }
        MediaDescription offer;
        try {
            offer = Sdp.parse(req.getRawContent());
            if (offer.firstG711().isEmpty()) {
                throw new SdpException("no common codec (PCMU or PCMA required)");
            }
        } catch (SdpException ex) {
            send(st, notAcceptable(req, ex.getMessage()));
            return;
        }
        FromHeader from = (FromHeader) req.getHeader(FromHeader.NAME);
        ToHeader to = (ToHeader) req.getHeader(ToHeader.NAME);
        String fromUser = from.getAddress().getURI() instanceof SipURI f ? f.getUser() : null;
        String fromHost = from.getAddress().getURI() instanceof SipURI f ? f.getHost() : "";
        String toUser = ruri.getUser() != null ? ruri.getUser()
                : to.getAddress().getURI() instanceof SipURI t ? t.getUser() : null;
        String domain = domainOf(ruri.getHost());
        ViaHeader via = (ViaHeader) req.getHeader(ViaHeader.NAME);
        String transport = via.getTransport().toLowerCase(Locale.ROOT);
        int port = ((RequestEventExt) e).getRemotePort();
        InetSocketAddress source = new InetSocketAddress(ip, port);
        InboundPolicy.Decision decision = policy.admit(new InboundPolicy.InviteSource(source, transport, domain,
                fromUser, domainOf(fromHost), toUser));
        Optional<String> accountKey = Optional.empty();
        switch (decision) {
            case REJECT -> {
                send(st, response(Response.FORBIDDEN, req, null));
                return;
            }
            case AUTHENTICATE -> {
                Optional<SipAccount> acct = authenticate(e, st, ip, domain, fromUser, true);
                if (acct.isEmpty()) {
                    return;
                }
                accountKey = Optional.of(acct.get().accountKey());
            }
            case TRUSTED -> {
            }
        }
        Integer se = sessionExpiresOf(req);
        if (se != null && se < MIN_SE) {
            // RFC 4028 §8.1: 422 Session Interval Too Small
            Response r = response(422, req, null);
            r.addHeader(hf.createHeader("Min-SE", Integer.toString(MIN_SE)));
            send(st, r);
            return;
        }
        RtpEndpoint ep;
        try {
            ep = relay.allocate();
        } catch (IOException ex) {
            log.warn("no media port for INVITE from {}: {}", ip, ex.getMessage());
            send(st, response(Response.SERVICE_UNAVAILABLE, req, null));
            return;
        }
        ep.setRemote(offer.address(), offer.port(), offer.rtcpPort(), offer.rtcpMux());
        String callId = ((CallIdHeader) req.getHeader(CallIdHeader.NAME)).getCallId();
        CallParty caller = new CallParty(fromUser, fromHost, from.getAddress().getDisplayName());
        CallParty callee = new CallParty(toUser, domain, "");
        SipLeg leg = new SipLeg(this, newId(), Direction.INBOUND, new SerialExecutor(callPool), caller, callee, ep);
        leg.inviteSt = st;
        leg.inviteRequest = req;
        leg.callId = callId;
        leg.localTag = newTag();
        leg.remoteTag = from.getTag();
        leg.transport = transport;
        leg.remote = offer;
        try {
            leg.dialog = provider.getNewDialog(st);
            leg.dialog.setApplicationData(leg);
        } catch (Exception ex) {
            ep.close();
            send(st, response(Response.SERVER_INTERNAL_ERROR, req, null));
            return;
        }
        legsById.put(leg.id, leg);
        legsByDialog.put(callId + ";" + leg.localTag, leg);
        pendingInbound.put(callId + ";" + leg.remoteTag, leg);
        CallEvent.IncomingCall event = new CallEvent.IncomingCall(leg, caller, callee, domain, source,
                decision == InboundPolicy.Decision.TRUSTED, accountKey, Instant.now());
        leg.post(() -> {
            try {
                handler.onIncomingCall(event);
            } catch (RuntimeException ex) {
                log.error("call handler failed on {}", leg.id, ex);
                leg.terminate(HangupCause.INTERWORKING, Response.SERVER_INTERNAL_ERROR, true);
            }
        });
    }

    private void onCancel(RequestEvent e, String callId) {
        Request req = e.getRequest();
        ServerTransaction st = serverTransaction(e);
        if (st == null) {
            return;
        }
        String fromTag = ((FromHeader) req.getHeader(FromHeader.NAME)).getTag();
        SipLeg leg = pendingInbound.get(callId + ";" + fromTag);
        if (leg == null) {
            // RFC 3261 §9.2: no matching INVITE transaction
            send(st, response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, req, null));
            return;
        }
        leg.post(() -> leg.onCancel(e, st));
    }

    @Override
    public Channel originate(DialRequest request, java.util.function.Consumer<Channel> beforeStart) {
        CallerId cid = request.callerId() != null ? request.callerId() : new CallerId("anonymous", "");
        Target target = request.target();
        CallParty callee = calleeOf(target);
        SipLeg[] holder = new SipLeg[1];
        RtpEndpoint ep;
        if (target instanceof Target.WebRtc) {
            ep = browserEndpoint(holder);
        } else {
            try {
                ep = relay.allocate();
            } catch (IOException ex) {
                ep = null;
            }
        }
        SipLeg out = new SipLeg(this, newId(), Direction.OUTBOUND, new SerialExecutor(callPool),
                new CallParty(cid.user(), config.advertisedAddress(), cid.displayName()), callee, ep);
        holder[0] = out;
        if (target instanceof Target.WebRtc w) {
            out.webRtcKey = w.key();
        }
        out.dialRequest = request;
        legsById.put(out.id, out);
        beforeStart.accept(out);
        RtpEndpoint media = ep;
        out.post(() -> {
            if (media == null) {
                out.terminateSilently(HangupCause.SERVICE_UNAVAILABLE, Response.SERVICE_UNAVAILABLE);
                return;
            }
            startOutbound(out, cid);
        });
        return out;
    }

    /** Creates and starts an outbound leg that follows {@code partner} (runs on the partner's executor). */
    SipLeg dialFor(SipLeg partner, DialRequest request) {
        CallerId cid = request.callerId() != null ? request.callerId()
                : new CallerId(partner.caller.user().isEmpty() ? "anonymous" : partner.caller.user(),
                partner.caller.displayName());
        Target target = request.target();
        CallParty callee = calleeOf(target);
        SipLeg[] holder = new SipLeg[1];
        RtpEndpoint ep;
        if (target instanceof Target.WebRtc) {
            ep = browserEndpoint(holder);
        } else {
            try {
                ep = relay.allocate();
            } catch (IOException ex) {
                ep = null;
            }
        }
        SipLeg out = new SipLeg(this, newId(), Direction.OUTBOUND, partner.ctx,
                new CallParty(cid.user(), config.advertisedAddress(), cid.displayName()), callee, ep);
        holder[0] = out;
        if (target instanceof Target.WebRtc w) {
            out.webRtcKey = w.key();
        }
        out.dialRequest = request;
        out.partner = partner;
        legsById.put(out.id, out);
        RtpEndpoint media = ep;
        partner.post(() -> {
            if (partner.isFinal()) {
                out.terminate(HangupCause.ORIGINATOR_CANCEL, 0, false);
                return;
            }
            partner.partner = out;
            if (media == null) {
                out.terminateSilently(HangupCause.SERVICE_UNAVAILABLE, Response.SERVICE_UNAVAILABLE);
                return;
            }
            startOutbound(out, cid);
        });
        return out;
    }

    private void startOutbound(SipLeg out, CallerId cid) {
        if (out.webRtcKey != null) {
            startBrowser(out);
            return;
        }
        try {
            URI requestUri;
            String transport;
            SipURI toUri;
            Target target = out.dialRequest.target();
            if (target instanceof Target.Registered r) {
                    List<Registration> regs = registrar.lookup(r.domain(), r.user());
                    if (regs.isEmpty()) {
                        out.terminateSilently(HangupCause.SUBSCRIBER_ABSENT, Response.TEMPORARILY_UNAVAILABLE);
                        return;
                    }
                    Registration reg = regs.get(0);
                    requestUri = af.createURI(reg.contact());
                    transport = reg.transport();
                    toUri = af.createSipURI(r.user(), r.domain());
            } else {
                    Target.Uri u = (Target.Uri) target;
                    SipURI uri = af.createSipURI(u.user() == null || u.user().isEmpty() ? null : u.user(), u.host());
                    if (u.port() > 0) {
                        uri.setPort(u.port());
                    }
                    if (!"udp".equals(u.transport())) {
                        uri.setTransportParam(u.transport());
                    }
                    requestUri = uri;
                    transport = u.transport();
                    toUri = (SipURI) uri.clone();
                    toUri.removeParameter("transport");
            }
            if (requestUri instanceof SipURI su && su.getTransportParam() != null) {
                transport = su.getTransportParam().toLowerCase(Locale.ROOT);
            }
            out.transport = transport;
            String fromHost = out.dialRequest.target() instanceof Target.Registered r ? r.domain() : config.advertisedAddress();
            SipURI fromUri = af.createSipURI(cid.user(), fromHost);
            Address fromAddr = af.createAddress(fromUri);
            if (!cid.displayName().isEmpty()) {
                fromAddr.setDisplayName(cid.displayName());
            }
            out.localTag = newTag();
            CallIdHeader callId = provider.getNewCallId();
            out.callId = callId.getCallId();
            List<ViaHeader> vias = new ArrayList<>(1);
            vias.add(hf.createViaHeader(config.advertisedAddress(), config.sipPort(), transport, newBranch()));
            Request invite = mf.createRequest(requestUri, Request.INVITE, callId,
                    hf.createCSeqHeader(1L, Request.INVITE), hf.createFromHeader(fromAddr, out.localTag),
                    hf.createToHeader(af.createAddress(toUri), null), vias, hf.createMaxForwardsHeader(70),
                    hf.createContentTypeHeader("application", "sdp"), out.offerSdp(out.partner != null ? out.partner : out));
            invite.addHeader(contact(transport));
            invite.addHeader(hf.createAllowHeader(ALLOW));
            invite.addHeader(hf.createSupportedHeader("timer, replaces"));
            invite.addHeader(userAgent);
            long se = config.sessionExpires().toSeconds();
            if (se >= MIN_SE) {
                invite.addHeader(hf.createHeader("Session-Expires", Long.toString(se)));
            }
            ClientTransaction ct = provider.getNewClientTransaction(invite);
            ct.setApplicationData(out);
            out.inviteCt = ct;
            out.inviteRequest = invite;
            out.dialog = provider.getNewDialog(ct);
            out.dialog.setApplicationData(out);
            legsByDialog.put(out.callId + ";" + out.localTag, out);
            long timeoutNanos = (out.dialRequest.timeout() != null ? out.dialRequest.timeout() : config.noAnswerTimeout()).toNanos();
            out.ringDeadlineNanos = System.nanoTime() + timeoutNanos;
            ct.sendRequest();
        } catch (Exception ex) {
            log.info("channel {}: cannot send INVITE: {}", out.id, ex.toString());
            out.terminateSilently(HangupCause.NETWORK_OUT_OF_ORDER, Response.SERVICE_UNAVAILABLE);
        }
    }

    Optional<SipLeg> findDialog(String callId, String ourTag) {
        return Optional.ofNullable(legsByDialog.get(callId + ";" + ourTag));
    }

    void legEnded(SipLeg leg) {
        legsById.remove(leg.id);
        if (leg.remoteTag != null) {
            pendingInbound.remove(leg.callId + ";" + leg.remoteTag);
        }
        // legsByDialog keeps the entry a little longer (the sweeper removes it) so late requests match.
    }

    void emit(CallEvent event) {
        try {
            handler.onEvent(event);
        } catch (RuntimeException ex) {
            log.error("call handler failed on {}", event, ex);
        }
    }

    // ================================================================ RFC 4028 session timers

    private static Integer sessionExpiresOf(Request req) {
        Header h = req.getHeader("Session-Expires");
        if (h == null) {
            h = req.getHeader("x");
        }
        if (h == null) {
            return null;
        }
        String v = value(h);
        try {
            return Integer.parseInt(v.split(";")[0].trim());
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    private static String value(Header h) {
        String s = h.toString();
        int colon = s.indexOf(':');
        return s.substring(colon + 1).trim();
    }

    private static boolean supportsTimer(javax.sip.message.Message m) {
        ListIterator<?> it = m.getHeaders("Supported");
        while (it.hasNext()) {
            if (value((Header) it.next()).toLowerCase(Locale.ROOT).contains("timer")) {
                return true;
            }
        }
        return false;
    }

    /** RFC 4028 §9: the UAS answer; the UAC refreshes when it supports timers, otherwise we do. */
    void sessionTimerOnAnswer(SipLeg leg, Response r) {
        Integer se = sessionExpiresOf(leg.inviteRequest);
        if (se == null) {
            return;
        }
        try {
            boolean uacRefreshes = supportsTimer(leg.inviteRequest) && !value(leg.header("Session-Expires") != null
                    ? leg.header("Session-Expires") : leg.header("x")).contains("refresher=uas");
            r.addHeader(hf.createHeader("Session-Expires", se + ";refresher=" + (uacRefreshes ? "uac" : "uas")));
            if (uacRefreshes) {
                r.addHeader(hf.createRequireHeader("timer"));
            }
            armSessionTimer(leg, se, !uacRefreshes);
        } catch (Exception ex) {
            log.debug("session timer header: {}", ex.toString());
        }
    }

    /** A refresh (re-INVITE or UPDATE) received: RFC 4028 §9 again. */
    void sessionTimerOnRefresh(SipLeg leg, Request req, Response r) {
        Integer se = sessionExpiresOf(req);
        if (se == null) {
            if (leg.sessionInterval > 0) {
                armSessionTimer(leg, (int) leg.sessionInterval, leg.refreshAtNanos != 0);
            }
            return;
        }
        try {
            r.addHeader(hf.createHeader("Session-Expires", se + ";refresher=uac"));
            if (supportsTimer(req)) {
                r.addHeader(hf.createRequireHeader("timer"));
            }
        } catch (Exception ex) {
            log.debug("session timer header: {}", ex.toString());
        }
        armSessionTimer(leg, se, false);
    }

    /** The 2xx of our INVITE: RFC 4028 §7.2, who refreshes is in its Session-Expires. */
    void sessionTimerOnOutboundAnswer(SipLeg leg, Response r) {
        Header h = r.getHeader("Session-Expires");
        if (h == null) {
            h = r.getHeader("x");
        }
        if (h == null) {
            return;
        }
        String v = value(h);
        try {
            int se = Integer.parseInt(v.split(";")[0].trim());
            armSessionTimer(leg, se, !v.contains("refresher=uas"));
        } catch (NumberFormatException ex) {
            log.debug("bad Session-Expires {}", v);
        }
    }

    private void armSessionTimer(SipLeg leg, int seconds, boolean weRefresh) {
        long now = System.nanoTime();
        leg.sessionInterval = seconds;
        if (weRefresh) {
            leg.refreshAtNanos = now + TimeUnit.SECONDS.toNanos(seconds) / 2;
            leg.expireAtNanos = 0;
        } else {
            leg.refreshAtNanos = 0;
            // RFC 4028 §10: BYE at the interval minus min(32, interval/3) without a refresh
            leg.expireAtNanos = now + TimeUnit.SECONDS.toNanos(seconds - Math.min(32, seconds / 3));
        }
    }

    private void sendRefresh(SipLeg leg) {
        if (leg.state() != ChannelState.UP) {
            return;
        }
        try {
            Request reinvite = leg.dialog.createRequest(Request.INVITE);
            reinvite.setContent(leg.localSdp(leg.remote == null ? dev.hotline.engine.sdp.MediaDirection.SENDRECV
                    : leg.remote.direction().answer()), hf.createContentTypeHeader("application", "sdp"));
            reinvite.addHeader(hf.createHeader("Session-Expires", leg.sessionInterval + ";refresher=uac"));
            reinvite.addHeader(hf.createSupportedHeader("timer"));
            reinvite.addHeader(contact(leg.transport));
            withBranch(reinvite);
            ClientTransaction ct = provider.getNewClientTransaction(reinvite);
            ct.setApplicationData(leg);
            leg.dialog.sendRequest(ct);
            armSessionTimer(leg, (int) leg.sessionInterval, true);
        } catch (Exception ex) {
            log.info("channel {}: session refresh failed: {}", leg.id, ex.toString());
            leg.terminate(HangupCause.SESSION_TIMEOUT, 0, true);
        }
    }

    // ================================================================ sweeper

    private void sweep() {
        try {
            long now = System.nanoTime();
            long rtpTimeout = config.rtpTimeout().toNanos();
            for (SipLeg leg : legsById.values()) {
                ChannelState s = leg.state();
                if (s == ChannelState.UP) {
                    if (rtpTimeout > 0 && !leg.held && leg.media != null && leg.webRtcKey == null
                            && now - leg.media.lastReceivedNanos() > rtpTimeout) {
                        leg.post(() -> leg.terminate(HangupCause.MEDIA_TIMEOUT, 0, true));
                    } else if (leg.expireAtNanos != 0 && now > leg.expireAtNanos) {
                        leg.expireAtNanos = 0;
                        leg.post(() -> leg.terminate(HangupCause.SESSION_TIMEOUT, 0, true));
                    } else if (leg.refreshAtNanos != 0 && now > leg.refreshAtNanos) {
                        leg.refreshAtNanos = 0;
                        leg.post(() -> sendRefresh(leg));
                    }
                } else if (!s.isFinal()) {
                    if (leg.direction == Direction.OUTBOUND && leg.ringDeadlineNanos != 0 && now > leg.ringDeadlineNanos) {
                        leg.ringDeadlineNanos = 0;
                        leg.post(leg::onNoAnswer);
                    } else if (leg.ageSeconds() > 300) {
                        // Dead-dialog clean-up: nothing rings for five minutes.
                        leg.post(() -> leg.terminate(HangupCause.NO_ANSWER, Response.TEMPORARILY_UNAVAILABLE, true));
                    }
                }
            }
            for (BrowserConnection c : browsers.values()) {
                c.checkAlive(now);
            }
            legsByDialog.values().removeIf(l -> l.isFinal() && now - l.terminatedNanos > TimeUnit.SECONDS.toNanos(32));
            registrar.purgeExpired();
            throttle.purge();
        } catch (RuntimeException ex) {
            log.warn("sweeper failed", ex);
        }
    }

    // ================================================================ message helpers

    /**
     * A fresh RFC 3261 branch (§8.1.1.7). Set before the client transaction is created: JAIN-SIP hashes
     * the transaction by the branch at that moment, and a request without one makes every response
     * fall back to a linear scan of all client transactions.
     */
    static String newBranch() {
        return gov.nist.javax.sip.Utils.getInstance().generateBranchId();
    }

    static Request withBranch(Request r) throws java.text.ParseException {
        ViaHeader via = (ViaHeader) r.getHeader(ViaHeader.NAME);
        if (via != null) {
            via.setBranch(newBranch());
        }
        return r;
    }

    String newId() {
        return "ch-" + idPrefix + "-" + ids.incrementAndGet();
    }

    String newTag() {
        return Long.toHexString(random.nextLong());
    }

    Response response(int code, Request req, String toTag) {
        return response(code, req, toTag, null);
    }

    Response response(int code, Request req, String toTag, String reason) {
        try {
            Response r = mf.createResponse(code, req);
            if (reason != null) {
                r.setReasonPhrase(reason);
            }
            if (toTag != null && code > 100) {
                ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
                if (to.getTag() == null) {
                    to.setTag(toTag);
                }
            }
            r.addHeader(userAgent);
            return r;
        } catch (Exception ex) {
            log.debug("cannot build {} response: {}", code, ex.toString());
            return null;
        }
    }

    /** 488 with a Warning header giving the reason (RFC 3261 §20.43, code 399 miscellaneous). */
    Response notAcceptable(Request req, String reason) {
        Response r = response(Response.NOT_ACCEPTABLE_HERE, req, null);
        try {
            r.addHeader(hf.createWarningHeader("hotline", 399, reason.replace('"', '\'')));
        } catch (Exception ex) {
            log.debug("warning header: {}", ex.toString());
        }
        return r;
    }

    void send(ServerTransaction st, Response r) {
        if (st == null || r == null) {
            return;
        }
        try {
            st.sendResponse(r);
        } catch (Exception ex) {
            log.debug("cannot send {}: {}", r.getStatusCode(), ex.toString());
        }
    }

    ContactHeader contact(String transport) {
        try {
            SipURI uri = af.createSipURI(null, config.advertisedAddress());
            uri.setPort(config.sipPort());
            if (!"udp".equalsIgnoreCase(transport)) {
                uri.setTransportParam(transport);
            }
            return hf.createContactHeader(af.createAddress(uri));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    void setSdp(javax.sip.message.Message m, String sdp) {
        try {
            ContentTypeHeader ct = hf.createContentTypeHeader("application", "sdp");
            m.setContent(sdp, ct);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    void ack(Dialog d, long cseq) {
        if (d == null) {
            return;
        }
        try {
            d.sendAck(d.createAck(cseq));
        } catch (Exception ex) {
            log.debug("cannot ACK: {}", ex.toString());
        }
    }

    void bye(Dialog d) {
        if (d == null) {
            return;
        }
        try {
            Request bye = d.createRequest(Request.BYE);
            withBranch(bye);
            ClientTransaction ct = provider.getNewClientTransaction(bye);
            d.sendRequest(ct);
        } catch (Exception ex) {
            log.debug("cannot send BYE: {}", ex.toString());
        }
    }

    void cancel(ClientTransaction inviteCt) {
        if (inviteCt == null) {
            return;
        }
        try {
            Request cancel = inviteCt.createCancel();
            provider.getNewClientTransaction(cancel).sendRequest();
        } catch (Exception ex) {
            log.debug("cannot send CANCEL: {}", ex.toString());
        }
    }

    static MaxForwardsHeader unused(MaxForwardsHeader h) {
        return h;
    }
}
