package dev.hotline.engine.sip;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallHandler;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.Conference;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.Direction;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.LocationService;
import dev.hotline.engine.call.MediaStats;
import dev.hotline.engine.call.OutboundPolicy;
import dev.hotline.engine.call.OverloadControl;
import dev.hotline.engine.call.PeerHangup;
import dev.hotline.engine.call.Presence;
import dev.hotline.engine.call.SipAccountDirectory;
import dev.hotline.engine.call.SipBans;
import dev.hotline.engine.call.SipStats;
import dev.hotline.engine.call.Tap;
import dev.hotline.engine.call.TapMode;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.call.TrunkRegistrations;
import dev.hotline.engine.call.WebRtcConnection;
import dev.hotline.engine.media.AudioClipCache;
import dev.hotline.engine.rtp.MediaRelay;
import gov.nist.javax.sip.ListeningPointImpl;
import gov.nist.javax.sip.RequestEventExt;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.message.SIPRequest;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
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
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RequireHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.UserAgentHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP side of the engine on JAIN-SIP, and its coordinator: starts the stack, dispatches every
 * request and response to the leg or the collaborator in charge, admits inbound INVITEs and sweeps
 * timers. Its collaborators: {@link RegisterHandler} and {@link SipAuth} (registrar, digest
 * authentication), {@link Dialer} (outbound legs), {@link SessionTimers} (RFC 4028),
 * {@link BrowserConnections} (WebRTC), {@link SipTransfers} (REFER), {@link LegTable} (the legs).
 * JAIN-SIP runs with automatic dialog support off; the engine creates dialogs itself and serialises
 * each call's work on a per-call executor. Nothing of JAIN-SIP leaks out of this package.
 */
public final class SipEngine implements TelephonyEngine, SipListener {
    private static final Logger log = LoggerFactory.getLogger(SipEngine.class);
    private static final AtomicInteger STACKS = new AtomicInteger();

    final EngineConfig config;
    private final CallHandler handler;
    private final Clock clock = Clock.systemUTC();
    private final SipStack stack;
    final SipMessages msg;
    private final MediaRelay relay;
    /** Prompt and music files, converted to 8 kHz once (about 30 minutes of audio at most). */
    final AudioClipCache clips = new AudioClipCache(8000L * 60 * 30);
    private final AtomicLong conferenceIds = new AtomicLong();
    private final Registrar registrar;
    private final SipAuth auth;
    private final SipShield shield;
    private final RegisterHandler registers;
    private final ExecutorService callPool;
    private final ScheduledExecutorService timer;
    private final LegTable legs = new LegTable();
    private final AtomicLong ids = new AtomicLong();
    private final String idPrefix = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
    private final SecureRandom random = new SecureRandom();
    private final TrunkRegistrar trunkRegistrar;
    private final CarrierChallenges carrierChallenges;
    private volatile OutboundPolicy outboundPolicy = OutboundPolicy.ADMIT_ALL;
    private final SessionTimers sessionTimers;
    private final BrowserConnections browsers;
    private final Dialer dialer;
    private final SipTransfers transfers;
    private final InboundInvites invites;
    /** PBX-8: busy lamp subscriptions (SUBSCRIBE/NOTIFY, dialog event package). */
    private final DialogSubscriptions subscriptions;
    private final OverloadGuard overload = new OverloadGuard(System::nanoTime);
    private final DatagramSocket probeSocket;
    /** TLS sockets and certificate checks; null when SIP over TLS is off. */
    final SipTlsNetwork tlsNetwork;
    /** Which TCP and TLS connections are open ({@link SipTransports}); nothing is while the transport is off. */
    private volatile SipTransports.Connections tcpOpen = peer -> false;
    private volatile SipTransports.Connections tlsOpen = peer -> false;

    private SipEngine(EngineConfig config, SipAccountDirectory accounts, InboundPolicy policy, CallHandler handler)
            throws Exception {
        this.config = config;
        this.handler = handler;
        this.registrar = new Registrar(clock);
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
        // Requests and responses stay with their transactions until those are collected. The "Normal" strategy (what
        // AGGRESSIVE_CLEANUP=true selects) encodes every transaction's request and last response to bytes when it ends and
        // parses the request again when the stack forgets it: in a JFR profile at 200 calls/s that re-parse alone was
        // 12 % of the process's samples, for memory the collector takes back 32 s later anyway.
        p.setProperty("gov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY", "None");
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", "4194304");
        p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", "4194304");
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", "0");
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        p.setProperty("gov.nist.javax.sip.MAX_FORK_TIME_SECONDS", "0");
        p.setProperty("gov.nist.javax.sip.CACHE_CLIENT_CONNECTIONS", "true");
        p.setProperty("gov.nist.javax.sip.SIP_MESSAGE_VALVE", StrayResponseValve.class.getName());
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", RawMessageGuard.class.getName());
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", SipTransports.class.getName()); // TLS: see there
        p.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", "2000"); // a datagram queued 2 s: its sender retransmitted
        p.setProperty("javax.sip.ROUTER_PATH", SipFlowRouter.class.getName()); // TLS flows: see there
        SipTlsNetwork.install(p); // the UDP socket answers STUN keep-alives (RFC 5626 §4.4.2)
        if (config.tls().enabled()) {
            SipTlsNetwork.configure(p, config.tls());
        }
        this.stack = factory.createSipStack(p);
        this.tlsNetwork = config.tls().enabled() ? (SipTlsNetwork) ((SipStackImpl) stack).getNetworkLayer() : null;
        if (tlsNetwork != null) {
            try {
                tlsNetwork.use(config.tls());
            } catch (IOException | java.security.GeneralSecurityException e) {
                stack.stop();
                throw e;
            }
        }
        RawMessageGuard.admission(stack, overload);
        this.relay = new MediaRelay(config.bindAddress(), config.rtpPortMin(), config.rtpPortMax(), config.mediaThreads());
        SipProvider prov = null;
        try {
            SipTransports.Connections tcpConnections = peer -> false;
            SipTransports.Connections tlsConnections = peer -> false;
            if (config.udp()) {
                prov = stack.createSipProvider(stack.createListeningPoint(config.bindAddress(), config.sipPort(), ListeningPoint.UDP));
            }
            if (config.tcp()) {
                ListeningPoint tcp = stack.createListeningPoint(config.bindAddress(), config.sipPort(), ListeningPoint.TCP);
                tcpConnections = (SipTransports.Tcp) ((ListeningPointImpl) tcp).getMessageProcessor();
                if (prov == null) {
                    prov = stack.createSipProvider(tcp);
                } else {
                    prov.addListeningPoint(tcp);
                }
            }
            if (config.tls().enabled()) {
                // its own port: a TCP and a TLS listening point cannot share one
                ListeningPoint tls = stack.createListeningPoint(config.bindAddress(), config.tls().port(), ListeningPoint.TLS);
                prov.addListeningPoint(tls);
                tlsConnections = (SipTransports.Tls) ((ListeningPointImpl) tls).getMessageProcessor();
            }
            SipTransports.Connections tcpOpen = tcpConnections;
            SipTransports.Connections tlsOpen = tlsConnections;
            this.tcpOpen = tcpOpen;
            this.tlsOpen = tlsOpen;
            ((SipFlowRouter) stack.getRouter()).use(this::flowOf, flow -> switch (flow.transport()) {
                case ListeningPoint.TCP -> tcpOpen.isOpen(flow.peer());
                case ListeningPoint.TLS -> tlsOpen.isOpen(flow.peer());
                default -> false;
            });
            prov.addSipListener(this);
        } catch (Exception e) {
            relay.close();
            RawMessageGuard.forget(stack);
            stack.stop();
            throw e;
        }
        this.msg = new SipMessages(config, prov, factory.createHeaderFactory(), factory.createAddressFactory(),
                factory.createMessageFactory());
        this.shield = new SipShield(new SipShield.Settings(config.authMaxFailures(), config.accountMaxFailures(),
                config.sweepMaxUsers(), config.authFailureWindow(), config.authBanDuration(), config.trustedSources()), clock);
        this.auth = new SipAuth(config, new DigestAuthenticator(accounts, clock), shield, msg);
        this.registers = new RegisterHandler(config, registrar, auth, msg, clock);
        this.subscriptions = new DialogSubscriptions(config, msg, auth, clock, this::newTag);
        this.sessionTimers = new SessionTimers(msg);
        this.transfers = new SipTransfers(this, msg);
        this.callPool = Executors.newFixedThreadPool(config.callThreads(), daemon("hotline-call"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("hotline-timer"));
        this.browsers = new BrowserConnections(this, relay, callPool);
        this.invites = new InboundInvites(this, policy, handler, auth, sessionTimers, msg, relay, callPool, legs);
        this.dialer = new Dialer(this, config, msg, sessionTimers, registrar, browsers, relay, callPool, legs);
        timer.scheduleWithFixedDelay(this::sweep, 500, 500, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(() -> overload.probe(callPool), 20, 20, TimeUnit.MILLISECONDS);
        this.probeSocket = config.udp() ? new DatagramSocket(0, probeTarget(config.bindAddress())) : null;
        if (probeSocket != null) {
            InetSocketAddress self = new InetSocketAddress(probeTarget(config.bindAddress()), config.sipPort());
            timer.scheduleWithFixedDelay(() -> probeReceiveQueue(self), 20, 20, TimeUnit.MILLISECONDS);
        }
        stack.start();
        this.carrierChallenges = new CarrierChallenges(this);
        this.trunkRegistrar = new TrunkRegistrar(this, clock);
        log.info("SIP engine listening on {}:{} (udp={}, tcp={}), TLS port {}, RTP {}-{}", config.bindAddress(),
                config.sipPort(), config.udp(), config.tcp(), config.tls().enabled() ? config.tls().port() : "off",
                config.rtpPortMin(), config.rtpPortMax());
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

    private static ThreadFactory daemon(String name) {
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
        return dialer.dialFor(leg(inbound), request);
    }

    @Override
    public Channel originate(DialRequest request, Consumer<Channel> beforeStart) {
        return dialer.originate(request, beforeStart);
    }

    @Override
    public void bridge(Channel a, Channel b, PeerHangup aOnHangupOfB) {
        SipBridge.bridge(leg(a), leg(b), aOnHangupOfB);
    }

    @Override
    public void stayAfter(Channel a, Channel peer) {
        SipLeg leg = leg(a);
        SipLeg other = leg(peer);
        leg.post(() -> {
            if (leg.partner() == other && !leg.isFinal()) {
                leg.staysAfter(other);
            }
        });
    }

    @Override
    public void unbridge(Channel channel) {
        SipBridge.unbridge(leg(channel));
    }

    @Override
    public WebRtcConnection webRtcConnect(String key, String offerSdp, boolean opus) {
        return browsers.connect(key, offerSdp, opus);
    }

    @Override
    public void webRtcDisconnect(String key) {
        browsers.disconnect(key);
    }

    @Override
    public Optional<WebRtcConnection> webRtcConnection(String key) {
        return browsers.find(key);
    }

    @Override
    public Optional<Channel> channel(String id) {
        return Optional.ofNullable(legs.byId(id));
    }

    @Override
    public Collection<Channel> channels() {
        return List.copyOf(legs.live());
    }

    @Override
    public LocationService locations() {
        return registrar;
    }

    @Override
    public SipStats sipStats() {
        return msg.stats();
    }

    @Override
    public MediaStats mediaStats() {
        return relay.stats();
    }

    @Override
    public int liveChannels() {
        return legs.size();
    }

    @Override
    public int sipPort() {
        return config.sipPort();
    }

    @Override
    public TrunkRegistrations trunkRegistrations() {
        return trunkRegistrar;
    }

    CarrierChallenges carrierChallenges() {
        return carrierChallenges;
    }

    @Override
    public Presence presence() {
        return subscriptions;
    }

    /** Where the requests of call {@code callId} go instead of their Request-URI (SipFlowRouter): a leg's flow, else a subscription's. */
    private SipFlowRouter.Flow flowOf(String callId) {
        SipFlowRouter.Flow flow = legs.flow(callId);
        DialogSubscriptions subs = subscriptions; // null while the constructor runs
        return flow != null || subs == null ? flow : subs.flow(callId);
    }

    @Override
    public void outboundPolicy(OutboundPolicy policy) {
        this.outboundPolicy = policy == null ? OutboundPolicy.ADMIT_ALL : policy;
    }

    /** Whether the server's {@link OutboundPolicy} lets {@code leg} (already in the leg table) send its INVITE. */
    boolean admitOutbound(SipLeg leg) {
        try {
            return outboundPolicy.admit(leg);
        } catch (RuntimeException e) {
            log.error("outbound policy failed for channel {}", leg.id, e);
            return false;
        }
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

    /** The media clock's load: legs decoded or generated now, ticks dropped under overload. */
    public int mediaActiveLegs() {
        return relay.clock().activeLegs();
    }

    public int liveLegs() {
        return legs.size();
    }

    public int allocatedMediaPorts() {
        return relay.allocatedCount();
    }

    @Override
    public void close() {
        for (SipLeg leg : legs.live()) {
            leg.hangup(HangupCause.SERVICE_UNAVAILABLE);
        }
        browsers.closeAll();
        trunkRegistrar.close();
        subscriptions.close();
        timer.shutdownNow();
        callPool.shutdown();
        try {
            callPool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (probeSocket != null) {
            probeSocket.close();
        }
        RawMessageGuard.forget(stack);
        stack.stop();
        relay.close();
    }

    // ================================================================ for the package

    SipLeg leg(Channel c) {
        if (!(c instanceof SipLeg l) || l.engine != this) {
            throw new IllegalArgumentException("not a channel of this engine: " + c);
        }
        return l;
    }

    SipStack stack() {
        return stack;
    }

    MediaRelay relay() {
        return relay;
    }

    LegTable legs() {
        return legs;
    }

    Dialer dialer() {
        return dialer;
    }

    SessionTimers sessionTimers() {
        return sessionTimers;
    }

    BrowserConnections browsers() {
        return browsers;
    }

    SipTransfers transfers() {
        return transfers;
    }

    /** Runs {@code task} on the engine timer after {@code delay} (digit timeouts). */
    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return timer.schedule(task, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null; // closing
        }
    }

    String newId() {
        return "ch-" + idPrefix + "-" + ids.incrementAndGet();
    }

    String newTag() {
        return Long.toHexString(random.nextLong());
    }

    void legEnded(SipLeg leg) {
        legs.ended(leg);
        // the dialog entry stays a little longer (the sweeper removes it) so late requests match.
    }

    void emit(CallEvent event) {
        try {
            handler.onEvent(event);
        } catch (RuntimeException ex) {
            log.error("call handler failed on {}", event, ex);
        }
    }

    // ================================================================ SipListener

    @Override
    public void processRequest(RequestEvent e) {
        msg.countRequestIn();
        Request req = e.getRequest();
        String method = req.getMethod();
        String ip = ((RequestEventExt) e).getRemoteIpAddress();
        try {
            if (shield.isBanned(ip)) {
                return; // SEC-1: banned sources get no answer at all
            }
            String toTag = ((ToHeader) req.getHeader(ToHeader.NAME)).getTag();
            if (toTag == null && shield.inspect(ip, method, userAgent(req),
                    req.getRequestURI() instanceof SipURI u ? u.getUser() : null).isPresent()) {
                return; // SEC-1: a scanner, banned from now on
            }
            if (!Request.ACK.equals(method) && rejectedUpFront(e)) {
                return;
            }
            String callId = ((CallIdHeader) req.getHeader(CallIdHeader.NAME)).getCallId();
            if (toTag != null && !Request.ACK.equals(method) && !Request.CANCEL.equals(method)) {
                SipLeg leg = legs.findDialog(callId, toTag).orElse(null);
                ServerTransaction st = serverTransaction(e);
                if (st == null) {
                    return;
                }
                if (leg == null && subscriptions.owns(callId, toTag)) {
                    subscriptions.onInDialog(e, st, callId, toTag); // PBX-8: a refresh or un-subscribe
                    return;
                }
                if (leg == null) {
                    // RFC 3261 §12.2.2: a request for a dialog we do not know
                    msg.send(st, msg.response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, req, null));
                    return;
                }
                inDialog(leg, method, e, st);
                return;
            }
            switch (method) {
                case Request.REGISTER -> {
                    ServerTransaction st = serverTransaction(e);
                    if (st != null) {
                        registers.onRegister(e, st, ip);
                    }
                }
                case Request.SUBSCRIBE -> {
                    ServerTransaction st = serverTransaction(e);
                    if (st != null) {
                        subscriptions.onSubscribe(e, st, ip); // PBX-8: busy lamps
                    }
                }
                case Request.INVITE -> {
                    // an INVITE the server cannot take now was refused with 503 before parsing (RawMessageGuard)
                    ServerTransaction st = serverTransaction(e);
                    if (st != null) {
                        invites.onInvite(e, st, ip);
                    }
                }
                case Request.ACK -> {
                    SipLeg leg = toTag == null ? null : legs.findDialog(callId, toTag).orElse(null);
                    if (leg != null) {
                        ServerTransaction ackTx = e.getServerTransaction();
                        leg.post(() -> leg.sip().onAck(ackTx));
                    }
                }
                case Request.CANCEL -> onCancel(e, callId);
                case Request.OPTIONS -> {
                    ServerTransaction st = serverTransaction(e);
                    if (st != null) {
                        Response r = msg.response(Response.OK, req, null);
                        r.addHeader(msg.hf.createAllowHeader(SipMessages.ALLOW));
                        msg.send(st, r);
                    }
                }
                case Request.BYE, Request.REFER, Request.UPDATE, Request.INFO, Request.NOTIFY -> {
                    ServerTransaction st = serverTransaction(e);
                    if (st != null) {
                        msg.send(st, msg.response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, req, null));
                    }
                }
                default -> {
                    ServerTransaction st = serverTransaction(e);
                    if (st != null) {
                        Response r = msg.response(Response.METHOD_NOT_ALLOWED, req, null);
                        r.addHeader(msg.hf.createAllowHeader(SipMessages.ALLOW));
                        msg.send(st, r);
                    }
                }
            }
        } catch (Exception ex) {
            log.warn("{} from {} failed: {}", method, ip, ex.toString(), ex);
            if (!Request.ACK.equals(method)) {
                try {
                    msg.provider.sendResponse(msg.response(Response.SERVER_INTERNAL_ERROR, req, null));
                    msg.countOut(Response.SERVER_INTERNAL_ERROR);
                } catch (Exception ignored) {
                    // the stack may not be able to answer a broken request
                }
            }
        }
    }

    /**
     * SEC-2: what RFC 3261 §8.2 asks of a UAS before any method-specific work (the RFC 4475 torture
     * messages probe each): answers and returns true when the request is refused.
     */
    private static String userAgent(Request req) {
        UserAgentHeader ua = (UserAgentHeader) req.getHeader(UserAgentHeader.NAME);
        if (ua == null) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        ua.getProduct().forEachRemaining(p -> b.append(b.length() == 0 ? "" : " ").append(p));
        return b.toString();
    }

    @Override
    public SipBans sipBans() {
        return shield;
    }

    /** The address the receive-queue probe is sent to: the SIP socket's own, loopback when it listens on every address. */
    private static InetAddress probeTarget(String bindAddress) throws IOException {
        InetAddress a = InetAddress.getByName(bindAddress);
        return a.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : a;
    }

    /** Sends the overload guard's probe through the SIP stack's own receive queue (see {@link OverloadGuard}). */
    private void probeReceiveQueue(InetSocketAddress self) {
        byte[] probe = overload.udpProbe();
        if (probe == null) {
            return;
        }
        try {
            probeSocket.send(new DatagramPacket(probe, probe.length, self));
        } catch (IOException e) {
            overload.udpProbeLost();
        }
    }

    /** Receive-queue probes that came back (tests). */
    long receiveQueueProbes() {
        return overload.udpProbes();
    }

    @Override
    public OverloadControl overload() {
        return overload;
    }

    /** Whether the {@code transport} ("tcp" or "tls") connection with {@code peer} is open; false for anything else. */
    boolean connectionOpen(String transport, InetSocketAddress peer) {
        return switch (transport.toLowerCase(Locale.ROOT)) {
            case "tcp" -> tcpOpen.isOpen(peer);
            case "tls" -> tlsOpen.isOpen(peer);
            default -> false;
        };
    }

    private boolean rejectedUpFront(RequestEvent e) {
        SIPRequest req = (SIPRequest) e.getRequest();
        int code;
        Response r;
        // another SIP version (505) is answered by RawMessageGuard: the parser reads every version as 2.0
        Optional<SipsScheme.Refusal> sips = Optional.empty();
        if (!(req.getRequestURI() instanceof SipURI)) {
            code = Response.UNSUPPORTED_URI_SCHEME; // RFC 3261 §8.2.2.1
        } else if ((sips = SipsScheme.refusal(req, SipsScheme.receivedOver(req))).isPresent()) {
            code = sips.get().code(); // PBX-1: a sips: URI over UDP or TCP (RFC 3261 §26.2.2, RFC 5630)
        } else if (!Request.CANCEL.equals(req.getMethod()) && !unsupportedExtensions(req).isEmpty()) {
            code = Response.BAD_EXTENSION; // RFC 3261 §8.2.2.3
        } else {
            return false;
        }
        ServerTransaction st = serverTransaction(e);
        if (st == null) {
            return true;
        }
        r = sips.isPresent() ? msg.response(code, req, null, sips.get().reason()) : msg.response(code, req, null);
        if (sips.isPresent() && r != null) {
            try {
                r.addHeader(msg.hf.createWarningHeader("hotline", SipsScheme.SIPS_NOT_ALLOWED, sips.get().warning()));
            } catch (Exception ex) {
                log.debug("Warning header: {}", ex.toString());
            }
        }
        if (code == Response.BAD_EXTENSION && r != null) {
            try {
                r.addHeader(msg.hf.createUnsupportedHeader(String.join(", ", unsupportedExtensions(req))));
            } catch (ParseException ex) {
                log.debug("Unsupported header: {}", ex.toString());
            }
        }
        msg.send(st, r);
        return true;
    }

    /** The option tags of the request's Require headers the engine does not support (RFC 3261 §20.32). */
    private static List<String> unsupportedExtensions(Request req) {
        List<String> tags = new ArrayList<>();
        ListIterator<?> it = req.getHeaders(RequireHeader.NAME);
        while (it != null && it.hasNext()) {
            String tag = ((RequireHeader) it.next()).getOptionTag();
            if (tag != null && !SipMessages.SUPPORTED.contains(tag.trim().toLowerCase(Locale.ROOT))) {
                tags.add(tag.trim());
            }
        }
        return tags;
    }

    /** JAIN-SIP keeps the first of two Content-Length headers and files the second as unrecognised. */
    private void inDialog(SipLeg leg, String method, RequestEvent e, ServerTransaction st) {
        switch (method) {
            case Request.BYE -> leg.post(() -> leg.sip().onBye(e, st));
            case Request.INVITE -> leg.post(() -> leg.sip().onReInvite(e, st));
            case Request.UPDATE -> leg.post(() -> leg.sip().onUpdate(e, st));
            case Request.REFER -> leg.post(() -> transfers.onRefer(leg, e, st));
            case Request.INFO -> leg.post(() -> leg.sip().onInfo(e, st));
            case Request.NOTIFY, Request.OPTIONS -> msg.send(st, msg.response(Response.OK, e.getRequest(), null));
            default -> msg.send(st, msg.response(Response.METHOD_NOT_ALLOWED, e.getRequest(), null));
        }
    }

    private ServerTransaction serverTransaction(RequestEvent e) {
        ServerTransaction st = e.getServerTransaction();
        if (st != null) {
            return st;
        }
        try {
            return msg.provider.getNewServerTransaction(e.getRequest());
        } catch (TransactionAlreadyExistsException ex) {
            return null; // a retransmission being handled
        } catch (Exception ex) {
            // JAIN-SIP refuses requests that lack a header their method requires (Contact on INVITE...).
            log.debug("no server transaction: {}", ex.toString());
            if (!Request.ACK.equals(e.getRequest().getMethod())) {
                Response r = msg.response(Response.BAD_REQUEST, e.getRequest(), null,
                        ex.getMessage() == null ? "Bad Request" : ex.getMessage().replaceAll("[\\r\\n]", " "));
                try {
                    if (r != null) {
                        msg.provider.sendResponse(r);
                        msg.countOut(r.getStatusCode());
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
        msg.countIn(e.getResponse().getStatusCode());
        ClientTransaction ct = e.getClientTransaction();
        if (ct != null && ct.getApplicationData() instanceof TrunkRegistrar.Attempt attempt) {
            trunkRegistrar.onResponse(e, attempt);
            return;
        }
        if (ct != null && ct.getApplicationData() instanceof Subscription s) {
            subscriptions.onNotifyResponse(s, e.getResponse().getStatusCode());
            return;
        }
        if (ct == null || !(ct.getApplicationData() instanceof SipLeg leg)) {
            // A 2xx retransmission after the transaction ended: JAIN-SIP's dialog re-sends the ACK.
            return;
        }
        leg.post(() -> leg.sip().onResponse(e));
    }

    @Override
    public void processTimeout(TimeoutEvent e) {
        if (!e.isServerTransaction() && e.getClientTransaction().getApplicationData() instanceof TrunkRegistrar.Attempt attempt) {
            trunkRegistrar.onTimeout(attempt);
            return;
        }
        if (!e.isServerTransaction() && e.getClientTransaction().getApplicationData() instanceof Subscription s) {
            subscriptions.onNotifyTimeout(s);
            return;
        }
        if (!e.isServerTransaction() && e.getClientTransaction().getApplicationData() instanceof SipLeg leg
                && Request.INVITE.equals(e.getClientTransaction().getRequest().getMethod())) {
            leg.post(leg.sip()::onTimeout);
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

    // ================================================================ CANCEL, sweeper

    private void onCancel(RequestEvent e, String callId) {
        Request req = e.getRequest();
        ServerTransaction st = serverTransaction(e);
        if (st == null) {
            return;
        }
        String fromTag = ((FromHeader) req.getHeader(FromHeader.NAME)).getTag();
        SipLeg leg = legs.pendingInbound(callId, fromTag);
        if (leg == null) {
            // RFC 3261 §9.2: no matching INVITE transaction
            msg.send(st, msg.response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, req, null));
            return;
        }
        leg.post(() -> leg.sip().onCancel(e, st));
    }

    private void sweep() {
        try {
            overload.forgetAdmitted();
            long now = System.nanoTime();
            long rtpTimeout = config.rtpTimeout().toNanos();
            for (SipLeg leg : legs.live()) {
                ChannelState s = leg.state();
                if (s == ChannelState.UP) {
                    if (rtpTimeout > 0 && !leg.onHold() && leg.media != null && leg.webRtcKey() == null
                            && now - leg.media.lastReceivedNanos() > rtpTimeout) {
                        leg.post(() -> leg.terminate(HangupCause.MEDIA_TIMEOUT, 0, true));
                    } else if (leg.sessionTimer().takeExpiry(now)) {
                        leg.post(() -> leg.terminate(HangupCause.SESSION_TIMEOUT, 0, true));
                    } else if (leg.sessionTimer().takeRefresh(now)) {
                        leg.post(() -> sessionTimers.sendRefresh(leg));
                    }
                } else if (!s.isFinal()) {
                    if (leg.direction == Direction.OUTBOUND && leg.takeRingTimeout(now)) {
                        leg.post(leg::onNoAnswer);
                    } else if (leg.ageSeconds() > 300) {
                        // Dead-dialog clean-up: nothing rings for five minutes.
                        leg.post(() -> leg.terminate(HangupCause.NO_ANSWER, Response.TEMPORARILY_UNAVAILABLE, true));
                    }
                }
            }
            browsers.checkAlive(now);
            legs.forgetEndedDialogs(now);
            registrar.purgeExpired();
            shield.purge();
        } catch (RuntimeException ex) {
            log.warn("sweeper failed", ex);
        }
    }
}
