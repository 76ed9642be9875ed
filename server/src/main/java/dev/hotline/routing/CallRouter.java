package dev.hotline.routing;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallHandler;
import dev.hotline.engine.call.CallerId;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.SipAccount;
import dev.hotline.engine.call.SipAccountDirectory;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.report.CallLogEvent;
import dev.hotline.report.CallTracker;
import dev.hotline.report.EventLog;
import dev.hotline.tenant.Enterprise;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what happens to every call (PBX-1..3, PBX-6, PBX-7): which enterprise a SIP request
 * belongs to, whether an INVITE comes from a trunk or must authenticate as an extension, the
 * blacklist, DIDs, extension-to-extension calls and outbound routes; and writes every step to
 * the event log. It sees channels and events only, never SIP.
 */
public final class CallRouter implements CallHandler, InboundPolicy, SipAccountDirectory, dev.hotline.ivr.IvrHost, dev.hotline.acd.Acd.Host,
        dev.hotline.cti.CtiHub.Calls {
    private static final Logger log = LoggerFactory.getLogger(CallRouter.class);

    private final Jdbi jdbi;
    private final EventLog events;
    private final Clock clock;
    private final String defaultEnterprise;
    private final Duration ringTimeout;
    private Supplier<TelephonyEngine> engine = () -> {
        throw new IllegalStateException("engine not started");
    };

    /** State of one call in progress: its enterprise, direction and tracker; its channels map to it. */
    private record Call(long enterpriseId, String callId, String direction, CallTracker tracker) {}

    /** A recording in progress, kept until the engine reports the file finished (which may be after the call closed). */
    private record ActiveRecording(long enterpriseId, String callId, String format, boolean stereo, java.time.Instant startedAt,
                                   java.nio.file.Path path) {}

    private final Map<String, ActiveRecording> recordings = new ConcurrentHashMap<>();

    private final Map<String, Call> callsByChannel = new ConcurrentHashMap<>();

    /** Bumped by every change made through the API; the snapshot is rebuilt when it is behind. */
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();
    private volatile RoutingSnapshot snapshot;
    private volatile long snapshotVersion = -1;

    /** Tells the router that routing data may have changed (any successful API write). */
    public void invalidate() {
        changes.incrementAndGet();
        syncTrunkRegistrations();
    }

    /** Makes the engine's carrier registrations match the registering trunks in the database. */
    void syncTrunkRegistrations() {
        RoutingSnapshot s = snapshot();
        engine.get().trunkRegistrations().configure(s.registrations());
    }

    /** Registration state of the enterprise's registering trunks, by trunk id. */
    public Map<Long, dev.hotline.engine.call.TrunkRegistrationStatus> trunkStatus(long enterpriseId) {
        Map<Long, dev.hotline.engine.call.TrunkRegistrationStatus> out = new java.util.HashMap<>();
        var tenant = snapshot().tenant(enterpriseId);
        if (tenant.isEmpty()) return out;
        for (var st : engine.get().trunkRegistrations().status()) {
            for (Long id : tenant.get().trunks().keySet()) {
                if (RoutingSnapshot.registrationKey(id).equals(st.key())) out.put(id, st);
            }
        }
        return out;
    }

    RoutingSnapshot snapshot() {
        long wanted = changes.get();
        RoutingSnapshot s = snapshot;
        if (s != null && snapshotVersion == wanted) return s;
        synchronized (this) {
            if (snapshot == null || snapshotVersion != changes.get()) {
                long v = changes.get();
                snapshot = jdbi.withHandle(RoutingSnapshot::load);
                snapshotVersion = v;
            }
            return snapshot;
        }
    }

    private final dev.hotline.recording.MediaFiles files;
    private final ConferenceRooms rooms = new ConferenceRooms(() -> engine.get(), this::recordRoom);
    private final dev.hotline.ivr.IvrRunner flows;

    private final dev.hotline.acd.Acd acd;

    public CallRouter(Jdbi jdbi, EventLog events, Clock clock, String defaultEnterprise, Duration ringTimeout,
                      dev.hotline.recording.MediaFiles files, dev.hotline.ivr.Ivr ivr, dev.hotline.acd.Acd acd) {
        this.acd = acd;
        this.files = files;
        this.flows = new dev.hotline.ivr.IvrRunner(ivr, clock);
        this.jdbi = jdbi;
        this.events = events;
        this.clock = clock;
        this.defaultEnterprise = defaultEnterprise;
        this.ringTimeout = ringTimeout;
        this.pbx6 = new Pbx6Store(jdbi, DIRECT_LINE_WINDOW);
    }

    public void attach(TelephonyEngine engine) {
        this.engine = () -> engine;
        syncTrunkRegistrations();
        restorePbx6();
    }

    /** Calls in progress (for tests and monitoring). */
    public int activeCalls() {
        return (int) callsByChannel.values().stream().map(Call::callId).distinct().count();
    }

    // --- which enterprise a SIP domain belongs to

    /**
     * The enterprise of a SIP domain: the one whose {@code sip_domain} it is, otherwise (an IP
     * address or the engine's default domain) the default enterprise: the configured one, or the
     * only enterprise besides {@code system}.
     */
    Optional<Enterprise> enterpriseOfDomain(RoutingSnapshot s, String domain) {
        Enterprise byDomain = s.enterprisesByDomain().get(domain == null ? "" : domain.toLowerCase());
        if (byDomain != null) return Optional.of(byDomain);
        if (!defaultEnterprise.isBlank()) return s.tenants().stream().filter(e -> e.code().equals(defaultEnterprise)).findFirst();
        return s.tenants().size() == 1 ? Optional.of(s.tenants().get(0)) : Optional.empty();
    }

    /** Account keys are "enterpriseId:extension". */
    static String accountKey(long enterpriseId, String extension) {
        return enterpriseId + ":" + extension;
    }

    @Override
    public Optional<SipAccount> lookup(String domain, String user) {
        RoutingSnapshot s = snapshot();
        Optional<Enterprise> e = enterpriseOfDomain(s, domain);
        if (e.isEmpty()) return Optional.empty();
        String password = s.tenant(e.get().id()).map(t -> t.sipPasswords().get(user)).orElse(null);
        return password == null ? Optional.empty() : Optional.of(new SipAccount(accountKey(e.get().id(), user), password));
    }

    // --- admission: trunks by source address, everyone else authenticates

    /**
     * An INVITE from an IP trunk's address is trusted, unless it comes from a phone registered at that
     * same address under its From user: then it is an extension calling and must authenticate. (On one
     * machine, or behind one NAT, phones and the carrier share an address.)
     */
    @Override
    public Decision admit(InviteSource source) {
        String ip = source.source().getAddress().getHostAddress();
        boolean fromTrunk = snapshot().ipTrunks().stream().anyMatch(t -> t.trunk().accepts(ip));
        if (!fromTrunk) return Decision.AUTHENTICATE;
        boolean registeredPhone = engine.get().locations().all().stream().anyMatch(r -> r.user().equals(source.fromUser())
                && r.source() != null && r.source().getAddress().getHostAddress().equals(ip));
        return registeredPhone ? Decision.AUTHENTICATE : Decision.TRUSTED;
    }

    // --- incoming calls

    @Override
    public void onIncomingCall(CallEvent.IncomingCall call) {
        Channel ch = call.channel();
        try {
            if (call.trusted()) fromTrunk(call);
            else if (call.accountKey().isPresent()) fromExtension(call);
            else ch.reject(403);
        } catch (RuntimeException e) {
            log.error("routing failed for call {}", ch.id(), e);
            ch.reject(500);
            Call c = callsByChannel.get(ch.id());
            if (c != null) record(c, new CallLogEvent.Rejected(c.enterpriseId(), c.callId(), clock.instant(), ch.id(), 500, "routing error"));
        }
    }

    private void fromTrunk(CallEvent.IncomingCall call) {
        Channel ch = call.channel();
        String ip = call.source().getAddress().getHostAddress();
        String dialled = call.callee().user();
        record Match(long enterpriseId, Trunk trunk, RoutingStore.Did did) {}
        RoutingSnapshot s = snapshot();
        Optional<Match> match = Optional.empty();
        for (RoutingStore.OwnedTrunk t : s.ipTrunks()) {
            if (!t.trunk().accepts(ip)) continue;
            var did = s.tenant(t.enterpriseId()).map(x -> x.dids().get(dialled))
                    .filter(d -> d.trunkId() == null || d.trunkId() == t.trunk().id());
            if (did.isPresent()) {
                match = Optional.of(new Match(t.enterpriseId(), t.trunk(), did.get()));
                break;
            }
        }
        if (match.isEmpty()) {
            match = s.ipTrunks().stream().filter(t -> t.trunk().accepts(ip)).findFirst().map(t -> new Match(t.enterpriseId(), t.trunk(), null));
        }
        if (match.isEmpty()) {
            ch.reject(403);
            return;
        }
        Match m = match.get();
        Call c = begin(m.enterpriseId(), ch, "inbound", call.caller().user(), dialled, m.trunk().name(),
                m.did() != null && m.did().destinationType().equals("extension") ? m.did().destination() : null);
        if (blocked(c, ch, call.caller().user())) return;
        // PBX-6 callback list: a listed caller is hung up on, then called back and connected to the number's destination.
        var callback = snapshot().tenant(m.enterpriseId()).stream().flatMap(t -> t.callbacks().stream())
                .filter(x -> x.matches(call.caller().user())).findFirst();
        if (callback.isPresent() && m.did() != null) {
            reject(c, ch, 486, "callback list: called back in " + callback.get().delaySeconds() + " s");
            RoutingStore.Did did = m.did();
            String number = call.caller().user();
            scheduleCallBack(m.enterpriseId(), number, did, clock.instant().plusSeconds(callback.get().delaySeconds()), null);
            return;
        }
        // PBX-6 smart direct line: a customer calling back within 24 h reaches the extension that called them.
        var direct = directLine(m.enterpriseId(), call.caller().user());
        if (direct.isPresent() && isRegistered(m.enterpriseId(), direct.get())) {
            dialExtension(c, ch, direct.get(), null);
            return;
        }
        if (m.did() == null) {
            reject(c, ch, 404, "no such number " + dialled);
            return;
        }
        if (m.did().welcomePrompt() != null) {
            welcomeThen(c, ch, m.did());
            return;
        }
        switch (m.did().destinationType()) {
            case "extension" -> dialExtension(c, ch, m.did().destination(), null);
            case "conference" -> enterRoom(c, ch, m.did().destination());
            case "flow" -> enterFlow(c, ch, m.did().destination());
            case "queue", "voicemail" -> runNode(c, ch, m.did().destinationType() + "-" + m.did().number(),
                    destinationNode(m.did().destinationType(), m.did().destination()), false);
            case "ringgroup" -> {
                if (!ringGroups.start(c.enterpriseId(), c.callId(), ch, m.did().destination(), null)) {
                    reject(c, ch, 404, "no ring group " + m.did().destination());
                }
            }
            default -> reject(c, ch, 404, "destination type " + m.did().destinationType() + " not routable yet");
        }
    }

    private void fromExtension(CallEvent.IncomingCall call) {
        Channel ch = call.channel();
        String[] key = call.accountKey().get().split(":", 2);
        long enterpriseId = Long.parseLong(key[0]);
        String extension = key[1];
        String dialled = call.callee().user();
        var tenant = snapshot().tenant(enterpriseId);
        if (tenant.map(t -> t.rooms().containsKey(dialled)).orElse(false)) {
            enterRoom(begin(enterpriseId, ch, "internal", extension, dialled, null, extension), ch, dialled);
            return;
        }
        var group = ringGroups.byNumber(enterpriseId, dialled); // PBX-3: an extension dials a ring group's number
        if (group.isPresent()) {
            Call c = begin(enterpriseId, ch, "internal", extension, dialled, null, extension);
            ringGroups.start(enterpriseId, c.callId(), ch, group.get().name(), CallerId.of(extension));
            return;
        }
        if (dev.hotline.ivr.PhonePrompts.matches(dialled)) { // IVR-2: *30<n> records prompt phone-<n>.wav
            Call c = begin(enterpriseId, ch, "internal", extension, dialled, null, extension);
            dev.hotline.ivr.PhonePrompts.start(jdbi, flows, enterpriseId, c.callId(), ch,
                    tenant.map(t -> t.extensions().get(extension)).map(x -> x.userId()).orElse(null), dialled, this);
            return;
        }
        if (dev.hotline.acd.FeatureCodes.matches(dialled)) {
            Call c = begin(enterpriseId, ch, "internal", extension, dialled, null, extension);
            featureCode(c, ch, extension, dialled);
            return;
        }
        boolean internal = tenant.map(t -> t.extensions().containsKey(dialled)).orElse(false);
        Call c = begin(enterpriseId, ch, internal ? "internal" : "outbound", extension, dialled, null, extension);
        if (internal) {
            dialExtension(c, ch, dialled, CallerId.of(extension));
            return;
        }
        dialOut(c, ch, extension, dialled);
    }

    /** PBX-5: into conference room {@code number}. */
    private void enterRoom(Call c, Channel ch, String number) {
        var room = snapshot().tenant(c.enterpriseId()).map(t -> t.rooms().get(number));
        if (room.isEmpty()) {
            reject(c, ch, 404, "no conference room " + number);
            return;
        }
        rooms.enter(c.enterpriseId(), ch, room.get());
    }

    /** PBX-5: a room with recording on is recorded (mono mix of the room) from its first participant to its last. */
    private void recordRoom(long enterpriseId, dev.hotline.engine.call.Conference conf) {
        var settings = snapshot().tenant(enterpriseId).map(RoutingSnapshot.Tenant::recording)
                .orElse(dev.hotline.recording.RecordingSettings.DEFAULT);
        java.time.Instant now = clock.instant();
        String id = "conf-" + conf.id();
        try {
            var rec = conf.record(files.recordingFile(enterpriseId, id, now), settings.format().engineFormat());
            recordings.put(rec.id(), new ActiveRecording(enterpriseId, id, settings.format().key(), false, now, rec.path()));
        } catch (RuntimeException ex) {
            log.error("cannot record conference {}: {}", conf.name(), ex.toString());
        }
    }

    private final java.util.concurrent.ScheduledExecutorService callbacks = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hotline-callbacks");
        t.setDaemon(true);
        return t;
    });
    /** PBX-6 state kept across restarts: pending call backs and the direct-line memory. */
    private final Pbx6Store pbx6;

    /** A call back due at {@code due}, stored so that a restart does not lose it ({@code storedId}: already stored). */
    private void scheduleCallBack(long enterpriseId, String number, RoutingStore.Did did, java.time.Instant due, String storedId) {
        String id = storedId != null ? storedId : pbx6.callbackPending(enterpriseId, number, did.number(), due);
        long delayMs = Math.max(0, Duration.between(clock.instant(), due).toMillis());
        callbacks.schedule(() -> {
            pbx6.callbackPlaced(id);
            callBack(enterpriseId, number, did);
        }, delayMs, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** At start: the direct-line memory of the last 24 h, and the call backs still to place (to the number's current destination). */
    private void restorePbx6() {
        try {
            for (var o : pbx6.recentOutbound(clock.instant().minus(DIRECT_LINE_WINDOW))) {
                recentOutbound.merge(o.enterpriseId() + ":" + o.number(), new OutboundCall(o.extension(), o.at()),
                        (a, b) -> a.at().isAfter(b.at()) ? a : b);
            }
            java.time.Instant soon = clock.instant().plusSeconds(3); // overdue ones: a moment for phones to register again
            for (var p : pbx6.pendingCallbacks()) {
                var did = snapshot().tenant(p.enterpriseId()).map(t -> t.dids().get(p.did()));
                if (did.isPresent()) {
                    scheduleCallBack(p.enterpriseId(), p.number(), did.get(), p.dueAt().isBefore(soon) ? soon : p.dueAt(), p.id());
                } else {
                    log.warn("call back to {} dropped: number {} is gone", p.number(), p.did());
                    pbx6.callbackPlaced(p.id());
                }
            }
        } catch (RuntimeException e) {
            log.error("cannot restore call backs and direct lines", e);
        }
    }

    /** Calls back placed and not yet answered: channel → the number (DID) whose destination they go to. */
    private final Map<String, RoutingStore.Did> pendingCallbacks = new ConcurrentHashMap<>();

    /** PBX-6: calls {@code number} through the outbound routes, showing the hotline number, to connect it to the DID's destination. */
    void callBack(long enterpriseId, String number, RoutingStore.Did did) {
        try {
            var tenant = snapshot().tenant(enterpriseId);
            if (tenant.isEmpty()) return;
            Plan plan = planRoute(tenant.get(), number);
            if (plan.error() != null) {
                log.warn("cannot call back {}: {}", number, plan.error());
                return;
            }
            DialRequest req = DialRequest.to(plan.target())
                    .withCallerId(CallerId.of(did.number())).withTimeout(ringTimeout);
            engine.get().originate(req, out -> {
                pendingCallbacks.put(out.id(), did);
                begin(enterpriseId, out, "outbound", did.number(), number, plan.trunk().name(), null);
            });
        } catch (RuntimeException e) {
            log.error("call back to {} failed", number, e);
        }
    }

    /** The customer answered our call back: on to the number's destination. */
    private void connectCallback(Call c, String channelId, RoutingStore.Did did) {
        Channel ch = engine.get().channel(channelId).orElse(null);
        if (ch == null) return;
        switch (did.destinationType()) {
            case "flow" -> {
                var graph = publishedFlow(c.enterpriseId(), did.destination());
                if (graph != null) flows.start(c.enterpriseId(), c.callId(), ch, did.destination(), graph, this, true);
                else ch.hangup(HangupCause.NORMAL_CLEARING);
            }
            case "conference" -> enterRoom(c, ch, did.destination());
            case "queue", "voicemail", "ringgroup" -> runNode(c, ch, did.destinationType() + "-" + did.number(),
                    destinationNode(did.destinationType(), did.destination()), true);
            default -> {
                if (isRegistered(c.enterpriseId(), did.destination())) dialExtension(c, ch, did.destination(), null);
                else ch.hangup(HangupCause.SUBSCRIBER_ABSENT);
            }
        }
    }

    /** The live binding of an extension: registrations are keyed by the domain the phone used, so find it by account key. */
    private Optional<dev.hotline.engine.call.Registration> binding(long enterpriseId, String extension) {
        String key = accountKey(enterpriseId, extension);
        return engine.get().locations().all().stream().filter(r -> key.equals(r.accountKey())).findFirst();
    }

    private boolean isRegistered(long enterpriseId, String extension) {
        return binding(enterpriseId, extension).isPresent();
    }

    /** IVR-2: the number's welcome prompt, then its destination, run as a two-node flow. */
    private void welcomeThen(Call c, Channel ch, RoutingStore.Did did) {
        dev.hotline.ivr.Flow.Node dest = destinationNode(did.destinationType(), did.destination());
        var graph = new dev.hotline.ivr.Flow.Graph("welcome", java.util.Map.of(
                "welcome", new dev.hotline.ivr.Flow.Play(java.util.List.of(new dev.hotline.ivr.Flow.Prompt(null, null, did.welcomePrompt())), "destination"),
                "destination", dest), null);
        flows.start(c.enterpriseId(), c.callId(), ch, "welcome-" + did.number(), graph, this);
    }

    /**
     * The IVR node that takes a call to a destination: a flow, a queue, an extension, a conference room
     * or a voicemail box ("queue:support", "extension:1001", or a bare extension number).
     */
    static dev.hotline.ivr.Flow.Node destinationNode(String type, String value) {
        return switch (type) {
            case "flow" -> new dev.hotline.ivr.Flow.Goto(value);
            case "conference" -> new dev.hotline.ivr.Flow.Transfer("conference", value, null);
            case "queue" -> new dev.hotline.ivr.Flow.Transfer("queue", value, null);
            case "ringgroup" -> new dev.hotline.ivr.Flow.Transfer("ringgroup", value, null);
            case "voicemail" -> value.startsWith("queue:") ? new dev.hotline.ivr.Flow.Voicemail("queue", value.substring(6), null)
                    : new dev.hotline.ivr.Flow.Voicemail("extension", value.startsWith("extension:") ? value.substring(10) : value, null);
            default -> new dev.hotline.ivr.Flow.Transfer("extension", value, null);
        };
    }

    /** Runs a one-node flow (a destination) on the call; {@code answered}: the channel is answered already. */
    private void runNode(Call c, Channel ch, String name, dev.hotline.ivr.Flow.Node node, boolean answered) {
        var graph = new dev.hotline.ivr.Flow.Graph("destination", java.util.Map.of("destination", node), null);
        flows.start(c.enterpriseId(), c.callId(), ch, name, graph, this, answered);
    }

    // --- PBX-3 ring groups: the logic is in RingGroups; this is what it needs of the router.

    private final RingGroups ringGroups = new RingGroups(new RingGroups.Host() {
        public RoutingSnapshot snapshot() { return CallRouter.this.snapshot(); }
        public Jdbi jdbi() { return jdbi; }
        public TelephonyEngine engine() { return engine.get(); }
        public Optional<Target> phone(long enterpriseId, String extension) {
            var line = snapshot().tenant(enterpriseId).map(t -> t.extensions().get(extension));
            if (line.isEmpty() || !line.get().enabled()) return Optional.empty();
            return binding(enterpriseId, extension).map(b -> new Target.Registered(b.domain(), b.user()));
        }
        public void file(String callId, Channel leg, String target) {
            Call c = callsByChannel.get(callId);
            if (c != null) join(c, leg, target);
        }
        public void reject(String callId, Channel caller, int status, String reason) {
            Call c = callsByChannel.get(callId);
            if (c != null) CallRouter.this.reject(c, caller, status, reason);
            else caller.reject(status);
        }
        public void fail(String callId, Channel caller, String group, RingGroup.Fail fail, boolean answered) {
            Call c = callsByChannel.get(callId);
            if (c == null) caller.hangup(HangupCause.NORMAL_CLEARING);
            else runNode(c, caller, "ringgroup-" + group, destinationNode(fail.type(), fail.value()), answered);
        }
        public void answeredBy(long enterpriseId, String callId, Channel leg, String extension) {
            Long user = snapshot().tenant(enterpriseId).map(t -> t.extensions().get(extension)).map(RoutingStore.ExtensionLine::userId).orElse(null);
            if (user != null) acd.busy(enterpriseId, user, callId, leg.id());
        }
    });

    /** IVR-1: runs the published flow {@code name} on the call. */
    private void enterFlow(Call c, Channel ch, String name) {
        var graph = publishedFlow(c.enterpriseId(), name);
        if (graph == null) {
            reject(c, ch, 404, "flow " + name + " is not published");
            return;
        }
        flows.start(c.enterpriseId(), c.callId(), ch, name, graph, this);
    }

    @Override
    public dev.hotline.ivr.Flow.Graph publishedFlow(long enterpriseId, String name) {
        return snapshot().tenant(enterpriseId).map(t -> t.flows().get(name)).orElse(null);
    }

    @Override
    public void logNode(String callId, String channelId, String flow, String node, String type) {
        Call c = callsByChannel.get(channelId);
        if (c != null) record(c, new CallLogEvent.IvrNode(c.enterpriseId(), callId, clock.instant(), channelId, flow, node, type));
    }

    @Override
    public void logKey(String callId, String channelId, String flow, String node, String key) {
        Call c = callsByChannel.get(channelId);
        if (c != null) record(c, new CallLogEvent.IvrKey(c.enterpriseId(), callId, clock.instant(), channelId, flow, node, key));
    }

    /** IVR transfer: the caller, already answered, goes to an extension, a room or an outside number. */
    @Override
    public boolean transfer(String callId, Channel channel, String target, String value) {
        return transfer(callId, channel, target, value, 0);
    }

    @Override
    public boolean transfer(String callId, Channel channel, String target, String value, int priority) {
        Call c = callsByChannel.get(channel.id());
        if (c == null) return false;
        switch (target) {
            case "extension" -> {
                var line = snapshot().tenant(c.enterpriseId()).map(t -> t.extensions().get(value));
                if (line.isEmpty() || !isRegistered(c.enterpriseId(), value)) return false;
                dialExtension(c, channel, value, null);
                return true;
            }
            case "conference" -> {
                if (snapshot().tenant(c.enterpriseId()).map(t -> t.rooms().containsKey(value)).orElse(false)) {
                    enterRoom(c, channel, value);
                    return true;
                }
                return false;
            }
            case "queue" -> {
                return acd.enqueue(c.enterpriseId(), c.callId(), channel, channel.caller().user(), value, priority, false);
            }
            case "ringgroup" -> {
                return ringGroups.start(c.enterpriseId(), c.callId(), channel, value, null);
            }
            case "external" -> {
                var tenant = snapshot().tenant(c.enterpriseId());
                if (tenant.isEmpty()) return false;
                Plan plan = planRoute(tenant.get(), value);
                if (plan.error() != null) return false;
                dialTrunk(c, channel, plan, null);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    @Override
    public java.nio.file.Path voicemailFile(String callId, String boxType, String box) {
        Call c = callsByChannel.get(callId);
        return files.voicemailFile(c == null ? 0 : c.enterpriseId(), boxType, box, callId);
    }

    /** A voicemail waiting for its recording to finish. */
    private record PendingVoicemail(long enterpriseId, String callId, String channelId, String boxType, String box, String caller,
                                    String callback, java.nio.file.Path path) {}

    private final Map<String, PendingVoicemail> pendingVoicemail = new ConcurrentHashMap<>();

    /** PBX-6 smart direct line: who called a number out, and when (enterprise:number → extension). */
    private record OutboundCall(String extension, java.time.Instant at) {}

    private final Map<String, OutboundCall> recentOutbound = new ConcurrentHashMap<>();
    static final Duration DIRECT_LINE_WINDOW = Duration.ofHours(24);

    /** The extension that called {@code caller} out in the last 24 h, matching on the last 8 digits at least. */
    Optional<String> directLine(long enterpriseId, String caller) {
        if (caller == null || caller.length() < 7) return Optional.empty();
        java.time.Instant since = clock.instant().minus(DIRECT_LINE_WINDOW);
        String tail = caller.length() > 8 ? caller.substring(caller.length() - 8) : caller;
        return recentOutbound.entrySet().stream()
                .filter(en -> en.getKey().startsWith(enterpriseId + ":") && en.getValue().at().isAfter(since))
                .filter(en -> {
                    String n = en.getKey().substring(en.getKey().indexOf(':') + 1);
                    return n.equals(caller) || n.endsWith(tail);
                })
                .max(java.util.Comparator.comparing(en -> en.getValue().at()))
                .map(en -> en.getValue().extension());
    }

    @Override
    public void saveVoicemail(String callId, String channelId, String boxType, String box, String caller, String callback,
                              dev.hotline.engine.call.Recording recording) {
        Call c = callsByChannel.get(channelId);
        if (c == null) return;
        var p = new PendingVoicemail(c.enterpriseId(), callId, channelId, boxType, box, caller, callback, recording.path());
        if (recording.finished()) {
            events.append(new CallLogEvent.VoicemailLeft(p.enterpriseId(), callId, clock.instant(), channelId, boxType, box, caller, callback,
                    recording.path(), recording.duration().toMillis()));
        } else {
            pendingVoicemail.put(recording.id(), p);
        }
    }

    @Override
    public void ended(String channelId) {
        // the call's own events close it; nothing to keep for the IVR
    }

    /** Live participants of a conference room. */
    public int roomParticipants(long enterpriseId, String number) {
        return rooms.participants(enterpriseId, number);
    }

    private boolean blocked(Call c, Channel ch, String caller) {
        Optional<RoutingStore.BlacklistEntry> hit = snapshot().tenant(c.enterpriseId()).stream()
                .flatMap(t -> t.blacklist().stream()).filter(b -> b.matches(caller)).findFirst();
        if (hit.isEmpty()) return false;
        record(c, new CallLogEvent.Blocked(c.enterpriseId(), c.callId(), clock.instant(), ch.id(), hit.get().number()));
        ch.reject(603); // PBX-6: blacklisted callers are declined before anything else runs
        return true;
    }

    private void reject(Call c, Channel ch, int status, String reason) {
        record(c, new CallLogEvent.Rejected(c.enterpriseId(), c.callId(), clock.instant(), ch.id(), status, reason));
        ch.reject(status);
    }

    private void dialExtension(Call c, Channel ch, String extension, CallerId callerId) {
        RoutingSnapshot s = snapshot();
        Optional<Enterprise> e = Optional.ofNullable(s.enterprisesById().get(c.enterpriseId()));
        var line = s.tenant(c.enterpriseId()).map(t -> t.extensions().get(extension));
        if (line.isEmpty() || !line.get().enabled()) {
            reject(c, ch, 404, "no such extension " + extension);
            return;
        }
        String domain = e.orElseThrow().sipDomain();
        var binding = binding(c.enterpriseId(), extension);
        if (binding.isEmpty()) {
            reject(c, ch, 480, "extension " + extension + " not registered");
            return;
        }
        DialRequest req = DialRequest.to(new Target.Registered(binding.get().domain(), binding.get().user())).withTimeout(ringTimeout);
        if (callerId != null) req = req.withCallerId(callerId);
        Channel out = engine.get().dial(ch, req);
        join(c, out, "extension " + extension + "@" + domain);
        // ACD-8 / AGENT-4: a direct call to an agent's extension makes a ready agent busy, and their desk shows it.
        Long user = line.get().userId();
        if (user != null) {
            acd.busy(c.enterpriseId(), user, c.callId(), out.id());
            if (cti != null && cti.watching(user)) {
                cti.expectLeg(out.id());
                cti.ownCall(c.enterpriseId(), user, c.callId(), out.id(), c.direction(), c.tracker().inboundCaller());
            }
        }
    }

    private record Plan(RoutingStore.OutboundRoute route, Trunk trunk, String number, String error, int status) {
        /** The call through the trunk, showing the route's caller ID, else the trunk's, else {@code fallback}. */
        DialRequest request(Duration timeout, String fallback) {
            String cid = route.callerId() != null ? route.callerId() : trunk.callerId();
            if (cid == null) cid = fallback;
            DialRequest r = DialRequest.to(target()).withTimeout(timeout);
            return cid == null ? r : r.withCallerId(CallerId.of(cid));
        }

        Target.Uri target() {
            return new Target.Uri(number, trunk.host(), trunk.port(), trunk.transport());
        }

        /** How the leg is named in the call's events. */
        String label() {
            return "trunk " + trunk.name() + " " + number;
        }
    }

    /** Dials an outside number for {@code from} through the plan's trunk and files the leg under the call. */
    private Channel dialTrunk(Call c, Channel from, Plan plan, String fallbackCallerId) {
        Channel out = engine.get().dial(from, plan.request(ringTimeout, fallbackCallerId));
        join(c, out, plan.label());
        return out;
    }

    /** PBX-2/PBX-7: the first enabled route (by priority, then longest prefix) that takes the dialled number. */
    static Plan planOut(RoutingSnapshot.Tenant t, String extension, String dialled) {
        var line = t.extensions().get(extension);
        if (line == null || !line.outboundAllowed()) return new Plan(null, null, null, "extension " + extension + " may not call out", 403);
        return planRoute(t, dialled);
    }

    static Plan planRoute(RoutingSnapshot.Tenant t, String dialled) {
        for (RoutingStore.OutboundRoute r : t.routes()) {
            if (!r.enabled()) continue;
            String number = dialled;
            if (r.hasPin()) {
                String pin = t.routePins().getOrDefault(r.id(), "");
                if (!number.startsWith(pin + "*")) continue; // PBX-7: PIN-restricted routes are dialled as PIN*number
                number = number.substring(pin.length() + 1);
            }
            if (!number.startsWith(r.prefix()) || !number.matches("[0-9+*#]+")) continue;
            Trunk trunk = t.trunks().get(r.trunkId());
            if (trunk == null || !trunk.enabled()) continue;
            String out = (r.addPrefix() == null ? "" : r.addPrefix()) + number.substring(Math.min(r.stripDigits(), number.length()));
            return new Plan(r, trunk, out, null, 0);
        }
        return new Plan(null, null, null, "no outbound route for " + dialled, 404);
    }

    private void dialOut(Call c, Channel ch, String extension, String dialled) {
        Plan plan = snapshot().tenant(c.enterpriseId()).map(t -> planOut(t, extension, dialled))
                .orElse(new Plan(null, null, null, "enterprise disabled", 403));
        if (plan.error() != null) {
            reject(c, ch, plan.status(), plan.error());
            return;
        }
        dialTrunk(c, ch, plan, extension);
        recentOutbound.put(c.enterpriseId() + ":" + plan.number(), new OutboundCall(extension, clock.instant()));
        pbx6.outbound(c.enterpriseId(), plan.number(), extension, clock.instant());
        if (recentOutbound.size() > 100_000) {
            java.time.Instant since = clock.instant().minus(DIRECT_LINE_WINDOW);
            recentOutbound.values().removeIf(o -> o.at().isBefore(since));
        }
    }

    // --- call bookkeeping through the event log

    private Call begin(long enterpriseId, Channel inbound, String direction, String caller, String callee, String trunk, String extension) {
        Call c = new Call(enterpriseId, inbound.id(), direction, new CallTracker());
        callsByChannel.put(inbound.id(), c);
        record(c, new CallLogEvent.Arrived(enterpriseId, c.callId(), clock.instant(), inbound.id(), direction, caller, callee, trunk, extension));
        return c;
    }

    private void join(Call c, Channel out, String target) {
        callsByChannel.put(out.id(), c);
        record(c, new CallLogEvent.Dialing(c.enterpriseId(), c.callId(), clock.instant(), out.id(), target));
    }

    private void record(Call c, CallLogEvent e) {
        synchronized (c) {
            c.tracker().apply(e);
            events.append(e);
            if (c.tracker().finished() && !(e instanceof CallLogEvent.Closed)) {
                var closed = new CallLogEvent.Closed(c.enterpriseId(), c.callId(), e.at(), null, c.tracker().record());
                events.append(closed);
                callsByChannel.values().removeIf(x -> x == c);
            }
        }
    }

    @Override
    public void onEvent(CallEvent event) {
        try {
            route(event);
        } finally {
            if (!(event instanceof CallEvent.RecordingFinished)) {
                ringGroups.onEvent(event);
                acd.onEvent(event);
                dev.hotline.cti.CtiHub hub = cti;
                if (hub != null) hub.onEvent(event);
            }
        }
    }

    private volatile dev.hotline.cti.CtiHub cti;

    /** The CTI channel that follows the agents' legs (set once at wiring). */
    public void attachCti(dev.hotline.cti.CtiHub hub) {
        this.cti = hub;
        hub.attach(this);
    }

    private void route(CallEvent event) {
        if (event instanceof CallEvent.ChannelUnbridged u) {
            var waiter = unbridging.remove(u.channelId());
            if (waiter != null) waiter.complete(null);
        }
        consultEvent(event);
        agentLeftConsult(event);
        threePartyEvent(event);
        if (rooms.onEvent(event)) return;
        if (flows.onEvent(event)) return;
        if (event instanceof CallEvent.RecordingFinished f) {
            PendingVoicemail v = pendingVoicemail.remove(f.recordingId());
            if (v != null) {
                events.append(new CallLogEvent.VoicemailLeft(v.enterpriseId(), v.callId(), f.at(), v.channelId(), v.boxType(), v.box(),
                        v.caller(), v.callback(), f.path(), f.duration().toMillis()));
                return;
            }
            ActiveRecording r = recordings.remove(f.recordingId());
            if (r != null) {
                events.append(new CallLogEvent.Recorded(r.enterpriseId(), r.callId(), f.at(), f.channelId(), f.path(), r.format(), r.stereo(),
                        r.startedAt(), f.duration().toMillis()));
            }
            return;
        }
        Call c = callsByChannel.get(event.channelId());
        if (c == null) {
            if (event instanceof CallEvent.TransferRequested t) t.transfer().reject();
            return;
        }
        long e = c.enterpriseId();
        if (event instanceof CallEvent.ChannelRinging r) {
            record(c, new CallLogEvent.Ringing(e, c.callId(), r.at(), r.channelId()));
        } else if (event instanceof CallEvent.ChannelAnswered a) {
            boolean first = !c.tracker().answered();
            record(c, new CallLogEvent.Answered(e, c.callId(), a.at(), a.channelId()));
            if (first) startRecording(c, a.at());
            RoutingStore.Did callbackTo = pendingCallbacks.remove(a.channelId());
            if (callbackTo != null) connectCallback(c, a.channelId(), callbackTo);
            String dialNext = clickToDial.remove(a.channelId());
            if (dialNext != null) dialFromAgent(c, a.channelId(), dialNext);
        } else if (event instanceof CallEvent.ChannelHold h) {
            record(c, new CallLogEvent.Hold(e, c.callId(), h.at(), h.channelId(), h.held()));
            musicOnHold(c, h);
        } else if (event instanceof CallEvent.ChannelHungUp h) {
            pendingCallbacks.remove(h.channelId());
            clickToDial.remove(h.channelId());
            queueEventsOfHangup(c, h);
            record(c, new CallLogEvent.HungUp(e, c.callId(), h.at(), h.channelId(), h.cause().name(), h.sipStatus()));
        } else if (event instanceof CallEvent.TransferRequested t) {
            transfer(c, t);
        }
    }

    /** REC-1: records the call from its inbound leg when the enterprise's policy covers its direction. */
    private void startRecording(Call c, java.time.Instant at) {
        startRecording(c, at, false);
    }

    /** {@code always}: record whatever the enterprise's policy says (a queue that records its calls, REC-1). */
    private void startRecording(Call c, java.time.Instant at, boolean always) {
        var settings = snapshot().tenant(c.enterpriseId()).map(RoutingSnapshot.Tenant::recording).orElse(null);
        if (settings == null || !always && !settings.policy().records(c.direction())) return;
        engine.get().channel(c.callId()).ifPresent(in -> {
            try {
                var rec = in.record(files.recordingFile(c.enterpriseId(), c.callId(), at), settings.format().engineFormat(),
                        settings.stereo() ? dev.hotline.engine.call.RecordMode.STEREO : dev.hotline.engine.call.RecordMode.MONO);
                recordings.put(rec.id(), new ActiveRecording(c.enterpriseId(), c.callId(), settings.format().key(), settings.stereo(), at,
                        rec.path()));
            } catch (RuntimeException ex) {
                log.error("cannot record call {}: {}", c.callId(), ex.toString());
            }
        });
    }

    /**
     * SEC-3: after the engine stopped, registers every recording whose end it did not report, with the
     * length its (always valid) file has, so that no recording is lost from the recordings list.
     */
    public void finishRecordingsOnStop() {
        callbacks.shutdownNow(); // pending call backs stay stored for the next start
        pbx6.close();
        for (var en : java.util.List.copyOf(recordings.entrySet())) {
            if (recordings.remove(en.getKey()) == null) continue;
            ActiveRecording r = en.getValue();
            long ms = 0;
            try {
                ms = dev.hotline.engine.media.WavReader.read(r.path()).duration().toMillis();
            } catch (java.io.IOException | RuntimeException e) {
                log.warn("recording {} of call {} unreadable at stop: {}", r.path(), r.callId(), e.toString());
            }
            events.append(new CallLogEvent.Recorded(r.enterpriseId(), r.callId(), clock.instant(), r.callId(), r.path(), r.format(),
                    r.stereo(), r.startedAt(), ms));
        }
    }

    /** PBX-4: the party put on hold hears the enterprise's music until the holder resumes. */
    private void musicOnHold(Call c, CallEvent.ChannelHold h) {
        engine.get().channel(h.channelId()).flatMap(Channel::bridgedWith).ifPresent(peer -> {
            if (h.held()) peer.hold(files.musicFolder(c.enterpriseId()));
            else peer.unhold();
        });
    }

    /** PBX-4: blind transfer to an extension of the same enterprise, or attended transfer by Replaces. */
    private void transfer(Call c, CallEvent.TransferRequested t) {
        if (t.replacesChannelId().isPresent()) {
            record(c, new CallLogEvent.Transfer(c.enterpriseId(), c.callId(), t.at(), t.channelId(), "attended", t.replacesChannelId().get()));
            t.transfer().acceptReplaces();
            return;
        }
        String target = t.referTo().user();
        var line = snapshot().tenant(c.enterpriseId()).map(x -> x.extensions().get(target));
        var binding = binding(c.enterpriseId(), target);
        if (line.isEmpty() || binding.isEmpty()) {
            record(c, new CallLogEvent.Transfer(c.enterpriseId(), c.callId(), t.at(), t.channelId(), "blind-refused", target));
            t.transfer().reject();
            return;
        }
        record(c, new CallLogEvent.Transfer(c.enterpriseId(), c.callId(), t.at(), t.channelId(), "blind", target));
        t.transfer().accept(DialRequest.to(new Target.Registered(binding.get().domain(), binding.get().user())).withTimeout(ringTimeout));
    }
    // --- ACD host (dev.hotline.acd.Acd.Host)

    /**
     * What a hang-up means to a queue, logged before the hang-up itself so that the call's record sees
     * it: a caller who hangs up while waiting abandoned the queue; an offer leg that ends unanswered
     * was not taken (no_answer is the RONA of ACD-5).
     */
    private void queueEventsOfHangup(Call c, CallEvent.ChannelHungUp h) {
        var tracker = c.tracker();
        if (h.channelId().equals(c.callId())) {
            var waitingIn = tracker.waitingInQueue();
            if (waitingIn.isPresent()) {
                long waitMs = Duration.between(waitingIn.get().getValue(), h.at()).toMillis();
                record(c, new CallLogEvent.QueueLeft(c.enterpriseId(), c.callId(), h.at(), h.channelId(), waitingIn.get().getKey(),
                        "abandoned", "caller_hangup", null, Math.max(0, waitMs)));
            }
        }
        var offer = tracker.openOffer(h.channelId());
        if (offer.isPresent()) {
            String result = switch (h.cause()) {
                case NO_ANSWER, NO_USER_RESPONSE -> "no_answer";
                case USER_BUSY -> "busy";
                case CALL_REJECTED -> "rejected";
                case ORIGINATOR_CANCEL, NORMAL_CLEARING -> "cancelled";
                default -> "failed";
            };
            record(c, new CallLogEvent.QueueOfferEnded(c.enterpriseId(), c.callId(), h.at(), h.channelId(), offer.get().queue(),
                    offer.get().agentUserId(), result));
        }
    }

    @Override
    public void log(CallLogEvent e) {
        Call c = callsByChannel.get(e.callId());
        if (c != null) record(c, e);
        else events.append(e);
    }

    /** Where an agent's device is called: their registered phone, or an outside number through the outbound routes. */
    private Optional<Target> deviceTarget(long enterpriseId, dev.hotline.acd.Device device) {
        if (device.kind() == dev.hotline.acd.Device.Kind.EXTERNAL) {
            var tenant = snapshot().tenant(enterpriseId);
            if (tenant.isEmpty()) return Optional.empty();
            Plan plan = planRoute(tenant.get(), device.number());
            if (plan.error() != null) return Optional.empty();
            return Optional.of(plan.target());
        }
        if (device.kind() == dev.hotline.acd.Device.Kind.WEBRTC) {
            // The browser phone: reachable while its connection is up (a reload reconnects under the same key).
            return engine.get().webRtcConnection(device.number()).filter(dev.hotline.engine.call.WebRtcConnection::connected)
                    .map(x -> new Target.WebRtc(device.number()));
        }
        return binding(enterpriseId, device.number()).map(b -> new Target.Registered(b.domain(), b.user()));
    }

    // --- the browser phone (dev.hotline.cti.CtiHub.Calls)

    @Override
    public String webRtcConnect(String key, String offerSdp) {
        return engine.get().webRtcConnect(key, offerSdp).answerSdp();
    }

    @Override
    public boolean webRtcConnected(String key) {
        return engine.get().webRtcConnection(key).map(dev.hotline.engine.call.WebRtcConnection::connected).orElse(false);
    }

    @Override
    public void webRtcDisconnect(String key) {
        engine.get().webRtcDisconnect(key);
    }

    /** PBX-4 from the desk: the party talking to the agent hears music; logged like a phone's hold. */
    @Override
    public void hold(String agentLeg, boolean held) {
        Channel agent = engine.get().channel(agentLeg).orElseThrow(() -> dev.hotline.domain.DomainException.notFound("call"));
        Channel peer = agent.bridgedWith().orElseThrow(() -> dev.hotline.domain.DomainException.conflict("no one to hold"));
        Call c = callsByChannel.get(agentLeg);
        if (held) peer.hold(c == null ? files.musicFolder(0) : files.musicFolder(c.enterpriseId()));
        else peer.unhold();
        if (c != null) record(c, new CallLogEvent.Hold(c.enterpriseId(), c.callId(), clock.instant(), agentLeg, held));
    }

    @Override
    public boolean reachable(long enterpriseId, dev.hotline.acd.Device device) {
        return deviceTarget(enterpriseId, device).isPresent();
    }

    @Override
    public Optional<Channel> offer(long enterpriseId, String callId, dev.hotline.acd.Device device, String callerNumber, Duration timeout,
                                   String queue, long agentUserId, String agentJob) {
        Call c = callsByChannel.get(callId);
        var target = deviceTarget(enterpriseId, device);
        if (c == null || target.isEmpty()) return Optional.empty();
        DialRequest req = DialRequest.to(target.get()).withTimeout(timeout)
                .withCallerId(CallerId.of(callerNumber == null || callerNumber.isEmpty() ? "anonymous" : callerNumber));
        return Optional.of(engine.get().originate(req, leg -> {
            acd.watch(leg.id());
            if (cti != null) cti.expectLeg(leg.id());
            join(c, leg, "agent " + (agentJob == null ? agentUserId : agentJob) + " " + device);
            record(c, new CallLogEvent.QueueOffered(enterpriseId, callId, clock.instant(), leg.id(), queue, agentUserId, agentJob, device.toString()));
        }));
    }

    @Override
    public Optional<Channel> offerCallback(long enterpriseId, dev.hotline.acd.Device device, String customerNumber, Duration timeout,
                                           String queue, long agentUserId, String agentJob) {
        var target = deviceTarget(enterpriseId, device);
        if (target.isEmpty()) return Optional.empty();
        DialRequest req = DialRequest.to(target.get()).withTimeout(timeout).withCallerId(CallerId.of(customerNumber));
        return Optional.of(engine.get().originate(req, leg -> {
            acd.watch(leg.id());
            if (cti != null) cti.expectLeg(leg.id());
            Call c = begin(enterpriseId, leg, "outbound", agentJob == null ? String.valueOf(agentUserId) : agentJob, customerNumber, null,
                    device.kind() == dev.hotline.acd.Device.Kind.EXTERNAL ? null : device.number());
            record(c, new CallLogEvent.QueueJoined(enterpriseId, c.callId(), clock.instant(), leg.id(), queue, 0, 1));
            record(c, new CallLogEvent.QueueOffered(enterpriseId, c.callId(), clock.instant(), leg.id(), queue, agentUserId, agentJob,
                    device.toString()));
        }));
    }

    @Override
    public Optional<Channel> dialCustomer(long enterpriseId, String callId, String number) {
        Call c = callsByChannel.get(callId);
        var tenant = snapshot().tenant(enterpriseId);
        if (c == null || tenant.isEmpty()) return Optional.empty();
        Plan plan = planRoute(tenant.get(), number);
        if (plan.error() != null) return Optional.empty();
        return Optional.of(engine.get().originate(plan.request(ringTimeout, null), leg -> {
            acd.watch(leg.id()); // the customer of a call back
            join(c, leg, plan.label());
        }));
    }

    @Override
    public void bridge(Channel a, Channel b) {
        engine.get().bridge(a, b);
    }

    @Override
    public Optional<Channel> channel(String id) {
        return engine.get().channel(id);
    }

    @Override
    public java.nio.file.Path musicFolder(long enterpriseId) {
        return files.musicFolder(enterpriseId);
    }

    @Override
    public boolean leaveTo(long enterpriseId, String callId, Channel caller, dev.hotline.acd.QueueSettings.Destination destination,
                           String fromQueue) {
        Call c = callsByChannel.get(caller.id());
        if (c == null || destination == null) return false;
        String type = destination.type();
        String value = destination.value();
        switch (type) {
            case "queue" -> {
                return acd.enqueue(enterpriseId, callId, caller, caller.caller().user(), value, 0, true);
            }
            case "flow" -> {
                var graph = publishedFlow(enterpriseId, value);
                if (graph == null) return false;
                flows.start(enterpriseId, callId, caller, value, graph, this, true);
                return true;
            }
            case "voicemail", "extension" -> {
                runNode(c, caller, "overflow-" + fromQueue, destinationNode(type, value), true);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    @Override
    public void record(long enterpriseId, String callId) {
        Call c = callsByChannel.get(callId);
        if (c == null || recordings.values().stream().anyMatch(r -> r.callId().equals(callId))) return;
        startRecording(c, clock.instant(), true);
    }

    /** AGENT-1 from a SIP phone: *21 log in with this phone, *22 log out, *23 ready, *24 not ready (break). */
    private void featureCode(Call c, Channel ch, String extension, String dialled) {
        var user = snapshot().tenant(c.enterpriseId()).map(t -> t.extensions().get(extension)).map(x -> x.userId()).orElse(null);
        boolean ok;
        if (user == null) {
            ok = false;
        } else {
            try {
                dev.hotline.acd.FeatureCodes.apply(acd, c.enterpriseId(), user, dialled);
                ok = true;
            } catch (RuntimeException e) {
                log.info("feature code {} from {} refused: {}", dialled, extension, e.getMessage());
                ok = false;
            }
        }
        var key = ok ? dev.hotline.engine.tts.PromptKey.BEEP : dev.hotline.engine.tts.PromptKey.INVALID_INPUT;
        var node = new dev.hotline.ivr.Flow.Play(java.util.List.of(new dev.hotline.ivr.Flow.Prompt(null, key.name(), null)), "bye");
        var graph = new dev.hotline.ivr.Flow.Graph("code", java.util.Map.of("code", node, "bye", new dev.hotline.ivr.Flow.Hangup()), null);
        flows.start(c.enterpriseId(), c.callId(), ch, "feature-code", graph, this);
    }
    // --- CTI call control (dev.hotline.cti.CtiHub.Calls)

    private final Map<String, java.util.concurrent.CompletableFuture<Void>> unbridging = new ConcurrentHashMap<>();
    /** Click-to-dial: the agent's leg → the number to call once it is answered. */
    private final Map<String, String> clickToDial = new ConcurrentHashMap<>();

    @Override
    public Optional<Channel> peer(String agentLeg) {
        return engine.get().channel(agentLeg).flatMap(Channel::bridgedWith);
    }

    /**
     * Blind transfer from the desk: the agent's leg leaves the call (the caller stays up), then the
     * caller is connected to {@code to} (an extension or an outside number); {@code to} null only
     * takes the agent out (the ACD then offers the caller to a colleague).
     */
    @Override
    public void transfer(long enterpriseId, String agentLeg, String to) {
        Channel agent = engine.get().channel(agentLeg).orElseThrow(() -> dev.hotline.domain.DomainException.notFound("call"));
        Channel caller = agent.bridgedWith().orElseThrow(() -> dev.hotline.domain.DomainException.conflict("no one to transfer"));
        Call c = callsByChannel.get(caller.id());
        if (c == null) throw dev.hotline.domain.DomainException.notFound("call");
        var tenant = snapshot().tenant(enterpriseId).orElseThrow();
        boolean toExtension = to != null && tenant.extensions().containsKey(to);
        Plan plan = to == null || toExtension ? null : planRoute(tenant, to);
        if (to != null && !toExtension && plan.error() != null) throw new dev.hotline.domain.DomainException(dev.hotline.domain.DomainException.Kind.NOT_FOUND, plan.error());
        var split = new java.util.concurrent.CompletableFuture<Void>();
        unbridging.put(agentLeg, split);
        engine.get().unbridge(agent);
        try {
            split.get(3, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            unbridging.remove(agentLeg);
            throw new IllegalStateException("the call could not be split for the transfer: " + e);
        }
        record(c, new CallLogEvent.Transfer(c.enterpriseId(), c.callId(), clock.instant(), agentLeg, "blind", to == null ? "agent" : to));
        agent.hangup(HangupCause.NORMAL_CLEARING);
        if (to == null) return;
        if (toExtension) {
            dialExtension(c, caller, to, null);
        } else {
            dialTrunk(c, caller, plan, null);
        }
    }

    /**
     * Click-to-dial (AGENT-2, AGENT-6): the agent's device rings first; once answered, an extension
     * (a colleague) or an outside number through the outbound routes, with the agent's permissions.
     */
    @Override
    public String dial(long enterpriseId, long userId, dev.hotline.acd.Device device, String number) {
        var tenant = snapshot().tenant(enterpriseId).orElseThrow(() -> dev.hotline.domain.DomainException.notFound("enterprise"));
        String ownExtension = tenant.extensions().values().stream().filter(x -> Long.valueOf(userId).equals(x.userId()))
                .map(RoutingStore.ExtensionLine::number).findFirst().orElse(null);
        String target = userOf(enterpriseId, number).flatMap(u -> tenant.extensions().values().stream()
                .filter(x -> u.equals(x.userId())).map(RoutingStore.ExtensionLine::number).findFirst()).orElse(number);
        boolean internal = tenant.extensions().containsKey(target);
        if (!internal) {
            Plan plan = ownExtension == null ? planRoute(tenant, target) : planOut(tenant, ownExtension, target);
            if (plan.error() != null) throw new dev.hotline.domain.DomainException(plan.status() == 403 ? dev.hotline.domain.DomainException.Kind.FORBIDDEN : dev.hotline.domain.DomainException.Kind.NOT_FOUND, plan.error());
        }
        var deviceTarget = deviceTarget(enterpriseId, device)
                .orElseThrow(() -> dev.hotline.domain.DomainException.conflict("your " + device.kind().key() + " phone cannot be reached"));
        DialRequest req = DialRequest.to(deviceTarget).withTimeout(ringTimeout).withCallerId(CallerId.of(target));
        String caller = ownExtension != null ? ownExtension : String.valueOf(userId);
        Channel leg = engine.get().originate(req, ch -> {
            if (cti != null) cti.expectLeg(ch.id());
            clickToDial.put(ch.id(), target);
            begin(enterpriseId, ch, internal ? "internal" : "outbound", caller, target, null, ownExtension);
        });
        acd.busy(enterpriseId, userId, leg.id(), leg.id());
        if (cti != null) cti.ownCall(enterpriseId, userId, leg.id(), leg.id(), internal ? "internal" : "outbound", target);
        return leg.id();
    }

    /** The agent answered their own leg of a click-to-dial: now the number. */
    private void dialFromAgent(Call c, String agentLeg, String number) {
        Channel leg = engine.get().channel(agentLeg).orElse(null);
        if (leg == null) return;
        var tenant = snapshot().tenant(c.enterpriseId());
        if (tenant.isEmpty()) return;
        if (tenant.get().extensions().containsKey(number)) {
            var own = tenant.get().extensions().values().stream().filter(x -> x.number().equals(c.tracker().inboundCaller())).findFirst();
            dialExtension(c, leg, number, own.isPresent() ? CallerId.of(own.get().number()) : null);
            return;
        }
        Plan plan = planRoute(tenant.get(), number);
        if (plan.error() != null) {
            leg.hangup(HangupCause.UNALLOCATED_NUMBER);
            return;
        }
        dialTrunk(c, leg, plan, null);
    }

    @Override
    public Optional<Long> userOf(long enterpriseId, String jobOrExtension) {
        var byExtension = snapshot().tenant(enterpriseId).map(t -> t.extensions().get(jobOrExtension)).map(RoutingStore.ExtensionLine::userId);
        if (byExtension.isPresent()) return byExtension;
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM app_user WHERE enterprise_id = :e AND job_number = :j AND enabled = TRUE")
                .bind("e", enterpriseId).bind("j", jobOrExtension).mapTo(Long.class).findOne());
    }
    // --- consultation (AGENT-2: consult, then transfer or three-party)

    /**
     * A consultation in progress: the customer waits on hold while the agent talks with the consulted
     * party in a small conference (hang-ups there end nobody else); it ends in a transfer, a
     * three-party call, or the agent back with the customer.
     */
    private record Consult(long enterpriseId, String callId, Channel agent, Channel customer, dev.hotline.engine.call.Conference room,
                           String to, java.util.concurrent.atomic.AtomicReference<Channel> other) {}

    private final Map<String, Consult> consults = new ConcurrentHashMap<>();
    /** Consulted leg → its consultation, until it answers or ends. */
    private final Map<String, Consult> consultLegs = new ConcurrentHashMap<>();

    /** Unbridges the agent's leg and waits for the engine to confirm it. */
    private void split(Channel agent) {
        var done = new java.util.concurrent.CompletableFuture<Void>();
        unbridging.put(agent.id(), done);
        engine.get().unbridge(agent);
        try {
            done.get(3, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            unbridging.remove(agent.id());
            throw new IllegalStateException("the call could not be split: " + e);
        }
    }

    /** Where a consultation or click-to-dial reaches {@code to}: a colleague's device, an extension, or an outside number. */
    private Target reach(long enterpriseId, String to, String ownExtension) {
        var tenant = snapshot().tenant(enterpriseId).orElseThrow();
        Optional<Long> colleague = userOf(enterpriseId, to);
        if (colleague.isPresent()) {
            var device = acd.agentView(enterpriseId, colleague.get()).filter(a -> a.device() != null)
                    .map(a -> new dev.hotline.acd.Device(dev.hotline.acd.Device.Kind.parse(a.device()).orElseThrow(), a.deviceNumber()));
            if (device.isPresent()) {
                var t = deviceTarget(enterpriseId, device.get());
                if (t.isPresent()) return t.get();
            }
            String ext = tenant.extensions().values().stream().filter(x -> colleague.get().equals(x.userId()))
                    .map(RoutingStore.ExtensionLine::number).findFirst().orElse(null);
            if (ext != null) {
                var b = binding(enterpriseId, ext);
                if (b.isPresent()) return new Target.Registered(b.get().domain(), b.get().user());
            }
            throw dev.hotline.domain.DomainException.conflict("that colleague cannot be reached now");
        }
        if (tenant.extensions().containsKey(to)) {
            var b = binding(enterpriseId, to).orElseThrow(() -> dev.hotline.domain.DomainException.conflict("extension " + to + " is not registered"));
            return new Target.Registered(b.domain(), b.user());
        }
        Plan plan = ownExtension == null ? planRoute(tenant, to) : planOut(tenant, ownExtension, to);
        if (plan.error() != null) {
            throw new dev.hotline.domain.DomainException(plan.status() == 403 ? dev.hotline.domain.DomainException.Kind.FORBIDDEN : dev.hotline.domain.DomainException.Kind.NOT_FOUND, plan.error());
        }
        return plan.target();
    }

    @Override
    public String consult(long enterpriseId, long userId, String agentLeg, String to) {
        if (consults.containsKey(agentLeg)) throw dev.hotline.domain.DomainException.conflict("a consultation is already in progress");
        Channel agent = engine.get().channel(agentLeg).orElseThrow(() -> dev.hotline.domain.DomainException.notFound("call"));
        Channel customer = agent.bridgedWith().orElseThrow(() -> dev.hotline.domain.DomainException.conflict("no one to put on hold"));
        Call c = callsByChannel.get(customer.id());
        if (c == null) throw dev.hotline.domain.DomainException.notFound("call");
        var tenant = snapshot().tenant(enterpriseId).orElseThrow();
        String ownExtension = tenant.extensions().values().stream().filter(x -> Long.valueOf(userId).equals(x.userId()))
                .map(RoutingStore.ExtensionLine::number).findFirst().orElse(null);
        Target target = reach(enterpriseId, to, ownExtension);
        split(agent);
        customer.hold(files.musicFolder(enterpriseId));
        record(c, new CallLogEvent.Hold(enterpriseId, c.callId(), clock.instant(), customer.id(), true));
        var room = engine.get().createConference("consult-" + agentLeg);
        room.add(agent);
        Consult k = new Consult(enterpriseId, c.callId(), agent, customer, room, to, new java.util.concurrent.atomic.AtomicReference<>());
        consults.put(agentLeg, k);
        DialRequest req = DialRequest.to(target).withTimeout(ringTimeout)
                .withCallerId(CallerId.of(ownExtension != null ? ownExtension : String.valueOf(userId)));
        Channel other = engine.get().originate(req, leg -> {
            if (cti != null) {
                cti.expectLeg(leg.id());
                cti.consulting(leg.id(), agentLeg);
            }
            consultLegs.put(leg.id(), k);
            join(c, leg, "consult " + to);
        });
        k.other().set(other);
        record(c, new CallLogEvent.Transfer(enterpriseId, c.callId(), clock.instant(), agentLeg, "consult", to));
        userOf(enterpriseId, to).ifPresent(u -> {
            acd.busy(enterpriseId, u, c.callId(), other.id());
            if (cti != null) cti.ownCall(enterpriseId, u, c.callId(), other.id(), "internal", ownExtension);
        });
        return other.id();
    }

    /** The consulted party answered (joins the agent) or ended (the agent goes back to the customer). */
    private void consultEvent(CallEvent event) {
        Consult k = consultLegs.get(event.channelId());
        if (k == null) return;
        if (event instanceof CallEvent.ChannelAnswered) {
            engine.get().channel(event.channelId()).ifPresent(k.room()::add);
        } else if (event instanceof CallEvent.ChannelHungUp) {
            consultLegs.remove(event.channelId());
            if (consults.remove(k.agent().id(), k)) backToCustomer(k);
        }
    }

    private void backToCustomer(Consult k) {
        k.room().close();
        if (k.customer().state().isFinal() || k.agent().state().isFinal()) {
            if (!k.customer().state().isFinal()) k.customer().hangup(HangupCause.NORMAL_CLEARING);
            return;
        }
        k.customer().unhold();
        engine.get().bridge(k.customer(), k.agent());
        Call c = callsByChannel.get(k.customer().id());
        if (c != null) record(c, new CallLogEvent.Hold(k.enterpriseId(), k.callId(), clock.instant(), k.customer().id(), false));
    }

    @Override
    public void cancelConsult(String agentLeg) {
        Consult k = consults.remove(agentLeg);
        if (k == null) throw dev.hotline.domain.DomainException.conflict("no consultation in progress");
        Channel other = k.other().get();
        if (other != null) {
            consultLegs.remove(other.id());
            other.hangup(HangupCause.NORMAL_CLEARING);
        }
        backToCustomer(k);
    }

    /** Attended transfer: the customer and the consulted party talk; the agent leaves. */
    @Override
    public void completeConsult(String agentLeg) {
        Consult k = consults.get(agentLeg);
        Channel other = k == null ? null : k.other().get();
        if (k == null || other == null || other.state() != dev.hotline.engine.call.ChannelState.UP) {
            throw dev.hotline.domain.DomainException.conflict("the consulted party has not answered");
        }
        consults.remove(agentLeg);
        consultLegs.remove(other.id());
        k.room().close();
        k.customer().unhold();
        engine.get().bridge(k.customer(), other);
        Call c = callsByChannel.get(k.customer().id());
        if (c != null) record(c, new CallLogEvent.Transfer(k.enterpriseId(), k.callId(), clock.instant(), agentLeg, "attended", k.to()));
        k.agent().hangup(HangupCause.NORMAL_CLEARING);
    }

    /** Three-party: the customer joins the agent and the consulted party; anyone may leave, the last one is hung up. */
    @Override
    public void conferenceConsult(String agentLeg) {
        Consult k = consults.get(agentLeg);
        Channel other = k == null ? null : k.other().get();
        if (k == null || other == null || other.state() != dev.hotline.engine.call.ChannelState.UP) {
            throw dev.hotline.domain.DomainException.conflict("the consulted party has not answered");
        }
        consults.remove(agentLeg);
        consultLegs.remove(other.id());
        k.customer().unhold();
        k.room().add(k.customer());
        threeParty.put(k.room().id(), new ThreeParty(k.room(), java.util.concurrent.ConcurrentHashMap.newKeySet()));
        threeParty.get(k.room().id()).members().addAll(List.of(k.customer().id(), k.agent().id(), other.id()));
        Call c = callsByChannel.get(k.customer().id());
        if (c != null) record(c, new CallLogEvent.Transfer(k.enterpriseId(), k.callId(), clock.instant(), agentLeg, "conference", k.to()));
    }

    /** Three-party rooms and who is still in them: when one participant is left, they are hung up and the room closes. */
    private record ThreeParty(dev.hotline.engine.call.Conference room, java.util.Set<String> members) {}

    private final Map<String, ThreeParty> threeParty = new ConcurrentHashMap<>();

    private void threePartyEvent(CallEvent event) {
        if (!(event instanceof CallEvent.ChannelHungUp)) return;
        for (ThreeParty t : threeParty.values()) {
            if (!t.members().remove(event.channelId()) || t.members().size() > 1) continue;
            threeParty.remove(t.room().id());
            t.room().close();
            t.members().forEach(id -> engine.get().channel(id).ifPresent(ch -> ch.hangup(HangupCause.NORMAL_CLEARING)));
        }
    }

    /** The agent hung up during a consultation: an answered consulted party takes the customer (transfer on hang-up). */
    private void agentLeftConsult(CallEvent event) {
        if (!(event instanceof CallEvent.ChannelHungUp)) return;
        Consult k = consults.remove(event.channelId());
        if (k == null) return;
        Channel other = k.other().get();
        k.room().close();
        if (other != null) consultLegs.remove(other.id());
        if (other != null && other.state() == dev.hotline.engine.call.ChannelState.UP && !k.customer().state().isFinal()) {
            k.customer().unhold();
            engine.get().bridge(k.customer(), other);
            Call c = callsByChannel.get(k.customer().id());
            if (c != null) record(c, new CallLogEvent.Transfer(k.enterpriseId(), k.callId(), clock.instant(), k.agent().id(), "attended", k.to()));
        } else {
            if (other != null) other.hangup(HangupCause.NORMAL_CLEARING);
            if (!k.customer().state().isFinal()) k.customer().hangup(HangupCause.NORMAL_CLEARING);
        }
    }
}
