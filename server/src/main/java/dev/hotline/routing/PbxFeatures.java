package dev.hotline.routing;

import dev.hotline.domain.DomainException;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallerId;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.Conference;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.Direction;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.tts.PromptKey;
import dev.hotline.ivr.Flow;
import dev.hotline.recording.MediaFiles;
import dev.hotline.report.CallLogEvent;
import dev.hotline.routing.CallBook.Call;
import dev.hotline.routing.ExtensionFeatures.Forward;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PBX-3 and PBX-4 on calls to and from extensions (docs/pbx-features.md): call forwarding (always, busy, no answer, not
 * registered) to an extension or an outside number, do-not-disturb, call waiting, call park (blind transfer to
 * {@value #PARK_NUMBER}, slots {@value #FIRST_SLOT}..{@value #LAST_SLOT}), directed ({@code **<ext>}) and group ({@code *8})
 * pickup, and the phone's feature codes that set them. Every step is an event of the call ({@link CallLogEvent.PbxFeature}).
 *
 * <p>An extension's phone is dialled keeping the caller when it fails, so that a busy phone, a ring time run out or a
 * pickup decide what comes next here; without a forward the caller gets the phone's own answer, as before.
 */
final class PbxFeatures {
    private static final Logger log = LoggerFactory.getLogger(PbxFeatures.class);

    static final String PARK_NUMBER = "700";
    static final int FIRST_SLOT = 701;
    static final int LAST_SLOT = 720;
    /** RFC 7462 §4.1: the alert URN of a call waiting. */
    static final String CALL_WAITING_ALERT = "<urn:alert:service:call-waiting>";
    /** Forwards followed at most, one after the other (a loop between extensions stops there). */
    private static final int MAX_FORWARDS = 5;

    private final RoutingData data;
    private final CallBook book;
    private final FlowCalls flows;
    private final MediaFiles files;
    private final Jdbi jdbi;
    private final Duration ringTimeout;
    /** The router's "a direct call rings agent {@code userId}" (ACD-8). */
    private final DirectCalls directCalls;
    /** PBX-8: the busy lamps, told of every slot's change; they also know every phone leg (for "busy"). */
    private final BusyLamps lamps;

    interface DirectCalls {
        void directCall(Call c, Channel leg, long userId);
    }

    /** The router's "send this answered caller on to a destination" (a timed-out parked call, PBX-4). */
    interface Onward {
        void send(Call c, Channel caller, Destination to);
    }

    /** The ACD's "the picker takes the call an offer rings at that extension" (PBX-4 pickup of an ACD offer). */
    interface OfferPickup {
        Optional<CallRouter.PickedOffer> take(long enterpriseId, Predicate<String> ringing, Channel picker, String pickerExtension,
                                              Long pickerUserId);

        /** True when {@link #take} would find an offer now. */
        boolean ringing(long enterpriseId, Predicate<String> ringing, Long pickerUserId);
    }

    private final OfferPickup offerPickup;
    private final Onward onward;
    /** Ring-group calls ringing a member's phone can be picked up too. */
    private final RingGroups ringGroups;
    /** Park timeouts (PBX-4): one thread of its own, so that a call's thread never waits for one. */
    private final ScheduledExecutorService parkTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hotline-park");
        t.setDaemon(true);
        return t;
    });

    /** A phone leg of an extension: the legs dialled to it and the calls it makes, for "is it busy". */
    private record Line(long enterpriseId, String extension, boolean fromPhone) {}

    /** A call ringing an extension's phone (dialled by {@link #ring}), until it is answered or ends. */
    private static final class Ring {
        final Call call;
        final Channel caller;
        final String extension;
        final CallerId callerId;
        final Set<String> visited;
        final ExtensionFeatures features;
        final Channel leg;
        final Instant since;
        /** Set when someone picks the call up: the leg's end then connects the caller with this channel. */
        volatile Channel pickedBy;

        Ring(Call call, Channel caller, String extension, CallerId callerId, Set<String> visited, ExtensionFeatures features, Channel leg,
             Instant since) {
            this.call = call;
            this.caller = caller;
            this.extension = extension;
            this.callerId = callerId;
            this.visited = visited;
            this.features = features;
            this.leg = leg;
            this.since = since;
        }
    }

    /** A parked caller, in its slot until someone dials the slot (or picks it up through the API) or it hangs up. */
    record Parked(long enterpriseId, int slot, String callId, Channel caller, String parkedBy, Instant since) {}

    /** A parked call as the API shows it. */
    public record ParkedCall(int slot, String caller, String parkedBy, Instant since) {}

    /** Two answered channels to bridge once both are up (a pickup, an unpark). */
    private static final class Join {
        final Channel a;
        final Channel b;
        /** An unpark through the API: when {@code b} (the extension rung) fails, {@code a} goes back to its slot. */
        final Parked repark;
        /** A park timeout's ring back: when {@code b} (the parker's phone) fails, {@code a} goes on to the destination. */
        final Parked timedOut;
        boolean done;

        Join(Channel a, Channel b, Parked repark, Parked timedOut) {
            this.a = a;
            this.b = b;
            this.repark = repark;
            this.timedOut = timedOut;
        }
    }

    private final Map<String, Line> lines = new ConcurrentHashMap<>();
    private final Map<String, Ring> ringing = new ConcurrentHashMap<>();
    /** "enterpriseId:slot" → the parked call. */
    private final Map<String, Parked> parked = new ConcurrentHashMap<>();
    /** Parkers (the referrer's channel) waiting for the transfer's end to hear their slot → the call and slot. */
    private final Map<String, Parked> announce = new ConcurrentHashMap<>();
    private final Map<String, Join> joins = new ConcurrentHashMap<>();

    /** The keys a phone presses on a call to join it with the call it holds (three-party, PBX-4): '*' then '3' within 3 s. */
    static final String THREE_WAY_KEYS = "*3";
    private static final Duration THREE_WAY_KEY_GAP = Duration.ofSeconds(3);

    /**
     * A phone's three-party call (PBX-4): its own leg of the held call ({@code heldOwn}, hung up once joined), the held party,
     * its own leg of the active call and the active call's other party. The two own legs are unbridged first; once the engine
     * confirmed both, the held party, the phone and the other party meet in a conference; anyone may leave, the last is
     * hung up.
     */
    private static final class ThreeWay {
        final String extension;
        final Channel heldOwn;
        final Channel held;
        final Channel own;
        final Channel other;
        final Set<String> unbridging = ConcurrentHashMap.newKeySet();
        final Set<String> members = ConcurrentHashMap.newKeySet();
        Conference room;

        ThreeWay(String extension, Channel heldOwn, Channel held, Channel own, Channel other) {
            this.extension = extension;
            this.heldOwn = heldOwn;
            this.held = held;
            this.own = own;
            this.other = other;
        }
    }

    /** Phone legs whose '*' was pressed → when. */
    private final Map<String, Instant> starPressed = new ConcurrentHashMap<>();
    /** Own legs being unbridged for a three-party call, then its members → the three-party call. */
    private final Map<String, ThreeWay> threeWays = new ConcurrentHashMap<>();

    PbxFeatures(RoutingData data, CallBook book, FlowCalls flows, MediaFiles files, Jdbi jdbi, Duration ringTimeout, DirectCalls directCalls,
                BusyLamps lamps, Onward onward, RingGroups ringGroups, OfferPickup offerPickup) {
        this.offerPickup = offerPickup;
        this.lamps = lamps;
        this.ringGroups = ringGroups;
        this.onward = onward;
        this.data = data;
        this.book = book;
        this.flows = flows;
        this.files = files;
        this.jdbi = jdbi;
        this.ringTimeout = ringTimeout;
        this.directCalls = directCalls;
    }

    private void event(Call c, String channelId, String feature, String detail) {
        book.record(c, new CallLogEvent.PbxFeature(c.enterpriseId(), c.callId(), book.now(), channelId, feature, detail));
    }

    private void reject(Call c, Channel ch, int status, String reason) {
        book.record(c, new CallLogEvent.Rejected(c.enterpriseId(), c.callId(), book.now(), ch.id(), status, reason));
        if (ch.state().isAnswered()) ch.hangup(HangupCause.NORMAL_CLEARING); // an API picker's answered leg (pickupTo)
        else if (!ch.state().isFinal()) ch.reject(status);
    }

    /** Ends a caller that could not be connected: an answered one hangs up, one still ringing gets {@code status}. */
    private static void fail(Channel caller, int status, HangupCause cause) {
        if (caller.state().isFinal()) return;
        if (caller.state().isAnswered()) caller.hangup(cause);
        else caller.reject(status);
    }

    ExtensionFeatures features(long enterpriseId, String extension) {
        return data.tenant(enterpriseId).map(t -> t.features(extension)).orElse(ExtensionFeatures.defaults(extension));
    }

    /** A call extension {@code extension}'s phone makes: the extension is busy while it lasts. */
    void calling(long enterpriseId, String extension, Channel ch) {
        lines.put(ch.id(), new Line(enterpriseId, extension, true));
    }

    /** The extension whose phone is on leg {@code channelId} (a leg dialled to it or a call it makes). */
    Optional<String> extensionOf(String channelId) {
        return Optional.ofNullable(lines.get(channelId)).map(Line::extension);
    }

    boolean isExtension(long enterpriseId, String number) {
        return data.isExtension(enterpriseId, number);
    }

    boolean registered(long enterpriseId, String extension) {
        return data.isRegistered(enterpriseId, extension);
    }

    /**
     * True when the extension's phone is on a call (answered, or one it makes), whatever placed it: the busy lamps see
     * ring-group and ACD legs too.
     */
    boolean busy(long enterpriseId, String extension) {
        if (lamps.busy(enterpriseId, extension)) return true;
        for (var e : lines.entrySet()) {
            Line l = e.getValue();
            if (l.enterpriseId() != enterpriseId || !l.extension().equals(extension)) continue;
            var ch = data.engine().channel(e.getKey());
            if (ch.isEmpty() || ch.get().state().isFinal()) continue;
            if (l.fromPhone() || ch.get().state().isAnswered()) return true;
        }
        return false;
    }

    /** PBX-8: the extensions whose phones watch {@code extension}'s busy lamp now. */
    List<String> watchers(long enterpriseId, String extension) {
        String resource = RoutingData.accountKey(enterpriseId, extension);
        return data.engine().presence().watchers().stream().filter(w -> w.resource().equals(resource))
                .map(w -> w.subscriber().substring(w.subscriber().indexOf(':') + 1)).distinct().sorted().toList();
    }

    /** Whether a flow may send a caller to the extension: its phone is registered, or the call is forwarded anyway. */
    boolean reachable(long enterpriseId, String extension) {
        ExtensionFeatures f = features(enterpriseId, extension);
        return data.isRegistered(enterpriseId, extension) || f.forwardAlways() != null || f.forwardUnregistered() != null;
    }

    // --- ringing an extension

    /** Rings extension {@code extension} for the caller, following its forwarding, DND and call waiting. */
    void ring(Call c, Channel ch, String extension, CallerId callerId) {
        ring(c, ch, extension, callerId, Set.of());
    }

    private void ring(Call c, Channel ch, String extension, CallerId callerId, Set<String> visited) {
        long e = c.enterpriseId();
        RoutingSnapshot s = data.snapshot();
        var tenant = s.tenant(e);
        var line = tenant.map(t -> t.extensions().get(extension));
        if (line.isEmpty() || !line.get().enabled()) {
            reject(c, ch, 404, "no such extension " + extension);
            return;
        }
        ExtensionFeatures f = tenant.get().features(extension);
        Set<String> seen = new HashSet<>(visited);
        seen.add(extension);
        if (f.forwardAlways() != null) {
            forward(c, ch, extension, Forward.ALWAYS, f.forwardAlways(), callerId, seen);
            return;
        }
        if (f.dnd()) {
            event(c, ch.id(), "dnd", extension);
            if (f.forwardBusy() != null) forward(c, ch, extension, Forward.BUSY, f.forwardBusy(), callerId, seen);
            else reject(c, ch, 486, "extension " + extension + " do not disturb");
            return;
        }
        var phone = data.registered(e, extension);
        if (phone.isEmpty()) {
            if (f.forwardUnregistered() != null) forward(c, ch, extension, Forward.UNREGISTERED, f.forwardUnregistered(), callerId, seen);
            else reject(c, ch, 480, "extension " + extension + " not registered");
            return;
        }
        boolean busy = busy(e, extension);
        if (busy && !f.callWaiting()) {
            if (f.forwardBusy() != null) forward(c, ch, extension, Forward.BUSY, f.forwardBusy(), callerId, seen);
            else reject(c, ch, 486, "extension " + extension + " busy");
            return;
        }
        boolean configured = tenant.get().features().containsKey(extension);
        Duration timeout = configured ? Duration.ofSeconds(f.noAnswerSeconds()) : ringTimeout;
        DialRequest req = DialRequest.to(phone.get()).withTimeout(timeout).keepInboundOnFailure();
        if (callerId != null) req = req.withCallerId(callerId);
        if (busy) {
            req = req.withHeader("Alert-Info", CALL_WAITING_ALERT);
            event(c, ch.id(), "call-waiting", extension);
        }
        String domain = s.enterprisesById().get(e).sipDomain();
        Channel out = data.engine().dial(ch, req);
        Ring r = new Ring(c, ch, extension, callerId, seen, f, out, book.now());
        lines.put(out.id(), new Line(e, extension, false));
        ringing.put(out.id(), r);
        book.join(c, out, "extension " + extension + "@" + domain);
        Long user = line.get().userId();
        if (user != null) directCalls.directCall(c, out, user);
        if (out.state().isFinal()) { // ended before it could be followed
            lines.remove(out.id());
            if (ringing.remove(out.id(), r)) fail(ch, 480, HangupCause.SUBSCRIBER_ABSENT);
        }
    }

    /** Forwards the caller of extension {@code from} to {@code target} (an extension, or an outside number by the routes). */
    private void forward(Call c, Channel ch, String from, Forward kind, String target, CallerId callerId, Set<String> seen) {
        event(c, ch.id(), "forward-" + kind.label(), from + ">" + target);
        long e = c.enterpriseId();
        if (data.isExtension(e, target)) {
            if (seen.contains(target) || seen.size() > MAX_FORWARDS) {
                reject(c, ch, 482, "forward loop " + String.join(",", seen) + " > " + target);
                return;
            }
            ring(c, ch, target, callerId, seen);
            return;
        }
        // PBX-7: an outside number is dialled as the forwarding extension would dial it (its permission, the routes, the
        // trunk's channel limit), showing the original caller.
        OutboundPlan plan = data.plan(e, from, target);
        if (plan.refused()) {
            book.record(c, new CallLogEvent.Rejected(e, c.callId(), book.now(), ch.id(), plan.status(), "forward: " + plan.error()));
            fail(ch, plan.status(), HangupCause.CALL_REJECTED);
            return;
        }
        String shown = callerId != null ? callerId.user() : ch.caller() == null ? null : ch.caller().user();
        Channel out = data.engine().dial(ch, plan.request(ringTimeout, shown));
        book.join(c, out, plan.label());
    }

    /** A phone leg ended before it was answered: a pickup connects the caller, a forward takes it on, or it fails. */
    private void ringEnded(Ring r, CallEvent.ChannelHungUp h) {
        Channel picker;
        synchronized (r) { // against a pickup taking it at the same moment (take)
            ringing.remove(r.leg.id(), r);
            picker = r.pickedBy;
        }
        if (picker != null) {
            join(r.caller, picker);
            return;
        }
        if (r.caller.state().isFinal()) return;
        int status = h.sipStatus();
        boolean busy = status == 486 || status == 600 || h.cause() == HangupCause.USER_BUSY;
        boolean noAnswer = !busy && (h.cause() == HangupCause.NO_ANSWER || status == 408 || status == 480);
        Forward kind = busy ? Forward.BUSY : noAnswer ? Forward.NO_ANSWER : null;
        if (kind != null && r.features.forward(kind) != null) {
            forward(r.call, r.caller, r.extension, kind, r.features.forward(kind), r.callerId, r.visited);
            return;
        }
        // as the engine does for a dialled leg that ends the caller: its status, or its cause's
        fail(r.caller, status >= 300 && status != 487 ? status : h.cause().sipStatus(), h.cause());
    }

    // --- pickup

    /** What a pickup takes (PBX-4): the call ringing one extension (directed), else any ringing in the picker's pickup group. */
    private record Wanted(String extension, String group, String picker) {
        Predicate<String> member(PbxFeatures f, long enterpriseId) {
            if (extension != null) return x -> x.equals(extension);
            return x -> group != null && !x.equals(picker) && group.equals(f.features(enterpriseId, x).pickupGroup());
        }

        String none() {
            if (extension != null) return "nothing ringing at " + extension;
            return group == null ? "extension " + picker + " is in no pickup group" : "nothing ringing in group " + group;
        }
    }

    private Wanted wanted(long enterpriseId, String picker, String extension) {
        return new Wanted(extension, extension != null || picker == null ? null : features(enterpriseId, picker).pickupGroup(), picker);
    }

    /** The longest-ringing call the router placed that {@code w} wants. */
    private Optional<Ring> ringingFor(long enterpriseId, Wanted w) {
        Predicate<String> member = w.member(this, enterpriseId);
        return ringing.values().stream()
                .filter(x -> x.call.enterpriseId() == enterpriseId && x.pickedBy == null && member.test(x.extension))
                .min(Comparator.comparing(x -> x.since));
    }

    /** Directed pickup ({@code **<ext>}): the call ringing {@code extension} comes to the picker's phone {@code ch}. */
    void pickup(Call pc, Channel ch, String picker, String extension) {
        take(pc, ch, picker, data.userOfExtension(pc.enterpriseId(), picker).orElse(null), wanted(pc.enterpriseId(), picker, extension));
    }

    /** Group pickup ({@code *8}): the longest-ringing call of another extension of the picker's pickup group. */
    void groupPickup(Call pc, Channel ch, String picker) {
        take(pc, ch, picker, data.userOfExtension(pc.enterpriseId(), picker).orElse(null), wanted(pc.enterpriseId(), picker, null));
    }

    /** A pickup asked through the API: the picker's device is rung; its answer takes the call ({@link #pickupTo}). */
    private record ApiPickup(String picker, Long userId, Wanted wanted) {}

    /** Picker legs of API pickups ringing → what they take once answered. */
    private final Map<String, ApiPickup> apiPickups = new ConcurrentHashMap<>();

    /**
     * PBX-4 through the API (call control): rings {@code device} (the picking user's) and, once it is answered, gives it the
     * call ringing extension {@code extension} (directed), or with {@code extension} null the longest-ringing call of the
     * picker's pickup group (group) — as {@code **<ext>} and {@code *8} from the picker's phone would, ACD offers included.
     * {@code picker} is the user's extension (null: none; a group pickup then has no group). Throws not found for an
     * extension the enterprise does not have, conflict when nothing rings now. Returns the picker's leg; {@code placed} is
     * given it before it is placed.
     */
    String pickupTo(long enterpriseId, String picker, Long userId, Target device, String extension, java.util.function.Consumer<Channel> placed) {
        if (extension != null && !data.isExtension(enterpriseId, extension)) throw DomainException.notFound("extension");
        if (extension == null && picker == null) throw DomainException.conflict("you have no extension, so no pickup group");
        Wanted w = wanted(enterpriseId, picker, extension);
        if (extension == null && w.group() == null) throw DomainException.conflict(w.none());
        Predicate<String> member = w.member(this, enterpriseId);
        if (ringingFor(enterpriseId, w).isEmpty() && !ringGroups.ringing(enterpriseId, member) && !offerPickup.ringing(enterpriseId, member, userId)) {
            throw DomainException.conflict(w.none());
        }
        String dialled = extension == null ? "*8" : "**" + extension;
        Channel leg = data.engine().originate(DialRequest.to(device).withTimeout(ringTimeout).withCallerId(CallerId.of(dialled)), l -> {
            placed.accept(l);
            Call pc = book.begin(enterpriseId, l, "internal", picker != null ? picker : "user:" + userId, dialled, null, picker);
            event(pc, l.id(), "pickup-request", (extension == null ? "group=" + w.group() : extension) + " by=api");
            if (picker != null) lines.put(l.id(), new Line(enterpriseId, picker, true));
            apiPickups.put(l.id(), new ApiPickup(picker, userId, w));
        });
        return leg.id();
    }

    /** An API picker's leg answered: it takes the call now (or is hung up on when nothing rings any more). */
    private void apiPickerAnswered(String channelId) {
        ApiPickup p = apiPickups.remove(channelId);
        if (p == null) return;
        Channel ch = data.engine().channel(channelId).orElse(null);
        Call pc = book.find(channelId).orElse(null);
        if (ch == null || pc == null) return;
        take(pc, ch, p.picker(), p.userId(), p.wanted());
    }

    /**
     * Takes the call the router placed that {@code w} wants, else a ring-group call ringing an extension it wants, else an
     * ACD offer, to the picker's phone {@code ch} ({@code picker}'s, of user {@code userId}).
     */
    private void take(Call pc, Channel ch, String picker, Long userId, Wanted w) {
        String by = picker != null ? picker : "user:" + userId;
        Optional<Ring> found = ringingFor(pc.enterpriseId(), w);
        if (found.isEmpty()) {
            Predicate<String> member = w.member(this, pc.enterpriseId());
            Optional<RingGroups.Picked> g = ringGroups.pickup(pc.enterpriseId(), member, caller -> join(caller, ch));
            if (g.isEmpty()) {
                takeOffer(pc, ch, picker, userId, member, w.none());
                return;
            }
            book.find(g.get().callId()).ifPresent(c -> event(c, g.get().legId(), "pickup", g.get().extension() + ">" + by));
            event(pc, ch.id(), "pickup", g.get().extension() + ">" + by + " call=" + g.get().callId());
            return;
        }
        Ring r = found.get();
        synchronized (r) {
            if (r.pickedBy != null || !ringing.containsKey(r.leg.id())) {
                reject(pc, ch, 480, "picked up already");
                return;
            }
            r.pickedBy = ch;
        }
        event(r.call, r.leg.id(), "pickup", r.extension + ">" + by);
        event(pc, ch.id(), "pickup", r.extension + ">" + by + " call=" + r.call.callId());
        r.leg.hangup(HangupCause.ORIGINATOR_CANCEL); // its end connects the caller with the picker (ringEnded)
    }

    /**
     * Last: a call an ACD offer rings at a phone {@code member} accepts; the ACD ends the offer as picked up and connects the
     * caller once the picker's phone is answered (answered here, when it is not yet).
     */
    private void takeOffer(Call pc, Channel ch, String picker, Long userId, Predicate<String> member, String none) {
        Optional<CallRouter.PickedOffer> o = offerPickup.take(pc.enterpriseId(), member, ch, picker, userId);
        if (o.isEmpty()) {
            reject(pc, ch, 480, none);
            return;
        }
        String by = picker != null ? picker : "user:" + userId;
        book.find(o.get().callId()).ifPresent(c -> event(c, o.get().offerLegId(), "pickup", o.get().extension() + ">" + by + " acd"));
        event(pc, ch.id(), "pickup", o.get().extension() + ">" + by + " call=" + o.get().callId() + " acd");
        if (!ch.state().isAnswered() && !ch.state().isFinal()) ch.answer();
    }

    // --- park

    /** PBX-4: the phone on {@code referrerId} parked its peer by a blind transfer to {@value #PARK_NUMBER}. */
    void park(Call c, CallEvent.TransferRequested t) {
        long e = c.enterpriseId();
        Channel parkee = data.engine().channel(t.peerChannelId()).orElse(null);
        String parker = lines.containsKey(t.channelId()) ? lines.get(t.channelId()).extension() : null;
        Parked p = null;
        if (parkee != null) {
            synchronized (parked) {
                for (int slot = FIRST_SLOT; slot <= LAST_SLOT && p == null; slot++) {
                    if (!parked.containsKey(e + ":" + slot)) {
                        p = new Parked(e, slot, c.callId(), parkee, parker, book.now());
                        parked.put(e + ":" + slot, p);
                        lamps.slot(e, slot, Optional.of(p));
                    }
                }
            }
        }
        if (p == null) {
            book.record(c, new CallLogEvent.Transfer(e, c.callId(), t.at(), t.channelId(), "blind-refused", PARK_NUMBER));
            t.transfer().reject();
            return;
        }
        event(c, parkee.id(), "park", "slot=" + p.slot() + (parker == null ? "" : " by=" + parker));
        announce.put(t.channelId(), p);
        t.transfer().keep();
        Parked timed = p;
        parkTimer.execute(() -> { // the settings are read off the call's thread
            int seconds = parkSettings(e).timeoutSeconds();
            if (seconds > 0) parkTimer.schedule(() -> parkTimedOut(timed), seconds, TimeUnit.SECONDS);
        });
    }

    ParkSettings parkSettings(long enterpriseId) {
        return jdbi.withHandle(h -> ParkSettings.of(h, enterpriseId));
    }

    /**
     * PBX-4: nobody took the parked call within the enterprise's park timeout: it leaves its slot and rings the extension
     * that parked it (the parker's ring time); unanswered, or with no parker to ring, it goes on ({@link #goOn}).
     */
    private void parkTimedOut(Parked p) {
        try {
            if (!parked.remove(p.enterpriseId() + ":" + p.slot(), p)) return; // taken or gone meanwhile
            lamps.slot(p.enterpriseId(), p.slot(), Optional.empty());
            if (p.caller().state().isFinal()) return;
            Call c = book.find(p.callId()).orElse(null);
            Optional<Target> phone = p.parkedBy() == null ? Optional.empty() : data.phone(p.enterpriseId(), p.parkedBy());
            if (c != null) event(c, p.caller().id(), "park-timeout", "slot=" + p.slot() + phone.map(x -> " back=" + p.parkedBy()).orElse(""));
            if (phone.isEmpty() || c == null) {
                goOn(p);
                return;
            }
            Duration ring = Duration.ofSeconds(features(p.enterpriseId(), p.parkedBy()).noAnswerSeconds());
            Channel leg = data.engine().originate(DialRequest.to(phone.get()).withTimeout(ring)
                    .withCallerId(CallerId.of(p.caller().caller() == null ? "parked" : p.caller().caller().user())), l -> {
                book.join(c, l, "park ring-back slot " + p.slot() + " extension " + p.parkedBy());
                lines.put(l.id(), new Line(p.enterpriseId(), p.parkedBy(), false));
                Join j = new Join(p.caller(), l, null, p);
                joins.put(p.caller().id(), j);
                joins.put(l.id(), j);
            });
            log.info("parked call {} of slot {} timed out, rings {} back ({})", p.callId(), p.slot(), p.parkedBy(), leg.id());
        } catch (RuntimeException ex) {
            log.warn("park timeout of slot {} failed", p.slot(), ex);
            goOn(p);
        }
    }

    /** A timed-out parked call nobody took back: to the enterprise's park destination, else hung up on. */
    private void goOn(Parked p) {
        Channel ch = p.caller();
        if (ch.state().isFinal()) return;
        Call c = book.find(p.callId()).orElse(null);
        ParkSettings s = parkSettings(p.enterpriseId());
        Optional<Destination> to = s.onward();
        if (c == null || to.isEmpty() || to.get() instanceof Destination.Hangup) {
            if (c != null) event(c, ch.id(), "park-timeout", "slot=" + p.slot() + " hangup");
            ch.hangup(HangupCause.NORMAL_CLEARING);
            return;
        }
        event(c, ch.id(), "park-timeout", "slot=" + p.slot() + " to=" + s.destinationType() + ":" + s.destination());
        ch.stopPlayback();
        if (ch.musicOnHold()) ch.unhold();
        onward.send(c, ch, to.get());
    }

    /** Stops the park timeouts (a parked call then waits until taken or hung up). */
    void close() {
        parkTimer.shutdownNow();
    }

    /** The parked calls of the enterprise, by slot. */
    List<ParkedCall> parked(long enterpriseId) {
        List<ParkedCall> out = new ArrayList<>();
        for (Parked p : parked.values()) {
            if (p.enterpriseId() != enterpriseId) continue;
            String caller = p.caller().caller() == null ? null : p.caller().caller().user();
            out.add(new ParkedCall(p.slot(), caller, p.parkedBy(), p.since()));
        }
        out.sort(Comparator.comparingInt(ParkedCall::slot));
        return out;
    }

    /** Compiled once: the slot and feature-code checks run for numbers dialled on every call. */
    private static final java.util.regex.Pattern SLOT = java.util.regex.Pattern.compile("[0-9]{3}");
    private static final java.util.regex.Pattern CODE = java.util.regex.Pattern.compile("\\*(7[0-3]|7[89]|9[0-5])[0-9+]*|\\*8|\\*\\*[0-9]{1,6}");

    static boolean isSlot(String dialled) {
        if (!SLOT.matcher(dialled).matches()) return false;
        int n = Integer.parseInt(dialled);
        return n >= FIRST_SLOT && n <= LAST_SLOT;
    }

    /** Takes the parked call of {@code slot} out of its slot, or empty when the slot is free. */
    private Optional<Parked> unpark(long enterpriseId, int slot) {
        Parked p = parked.remove(enterpriseId + ":" + slot);
        if (p != null) lamps.slot(enterpriseId, slot, Optional.empty());
        return p == null || p.caller().state().isFinal() ? Optional.empty() : Optional.of(p);
    }

    /** An extension dialled a parked slot: its phone gets the parked caller. */
    void unparkTo(Call pc, Channel ch, String picker, String dialled) {
        Optional<Parked> p = unpark(pc.enterpriseId(), Integer.parseInt(dialled));
        if (p.isEmpty()) {
            reject(pc, ch, 404, "parking slot " + dialled + " is empty");
            return;
        }
        book.find(p.get().callId()).ifPresent(c -> event(c, p.get().caller().id(), "unpark", "slot=" + dialled + " by=" + picker));
        event(pc, ch.id(), "unpark", "slot=" + dialled + " call=" + p.get().callId());
        join(p.get().caller(), ch);
    }

    /** API: rings extension {@code extension} and gives it the call parked in {@code slot} when it answers. */
    void unparkToExtension(long enterpriseId, int slot, String extension) {
        Optional<Target> phone = data.phone(enterpriseId, extension);
        if (!data.isExtension(enterpriseId, extension)) throw DomainException.badRequest("no such extension", "extension", "no such extension");
        if (phone.isEmpty()) throw DomainException.conflict("extension " + extension + " is not registered");
        Parked p = unpark(enterpriseId, slot).orElseThrow(() -> DomainException.notFound("parked call"));
        Call c = book.find(p.callId()).orElse(null);
        Channel leg = data.engine().originate(DialRequest.to(phone.get()).withTimeout(ringTimeout)
                .withCallerId(CallerId.of(p.caller().caller() == null ? "parked" : p.caller().caller().user())), l -> {
            if (c != null) {
                book.join(c, l, "unpark slot " + slot + " extension " + extension);
                event(c, l.id(), "unpark", "slot=" + slot + " by=api to=" + extension);
            }
            lines.put(l.id(), new Line(enterpriseId, extension, false));
            Join j = new Join(p.caller(), l, p, null);
            joins.put(p.caller().id(), j);
            joins.put(l.id(), j);
        });
        log.info("parked call {} of slot {} rings {} ({})", p.callId(), slot, extension, leg.id());
    }

    // --- bridging two answered channels

    /** Answers both (when they are not yet) and bridges them once both are up. */
    private void join(Channel a, Channel b) {
        Join j = new Join(a, b, null, null);
        joins.put(a.id(), j);
        joins.put(b.id(), j);
        if (!a.state().isAnswered() && !a.state().isFinal()) a.answer();
        if (!b.state().isAnswered() && !b.state().isFinal()) b.answer();
        tryJoin(j);
    }

    private void tryJoin(Join j) {
        synchronized (j) {
            if (j.done) return;
            boolean aGone = j.a.state().isFinal();
            boolean bGone = j.b.state().isFinal();
            if (aGone || bGone) {
                j.done = true;
                forget(j);
                if (!aGone && j.timedOut != null) {
                    parkTimer.execute(() -> goOn(j.timedOut));
                    return;
                }
                if (!aGone && j.repark != null && parked.putIfAbsent(j.repark.enterpriseId() + ":" + j.repark.slot(), j.repark) == null) {
                    lamps.slot(j.repark.enterpriseId(), j.repark.slot(), Optional.of(j.repark));
                    log.info("slot {}: nobody took the call, parked again", j.repark.slot());
                    return;
                }
                if (!aGone) j.a.hangup(HangupCause.NORMAL_CLEARING);
                if (!bGone) j.b.hangup(HangupCause.NORMAL_CLEARING);
                return;
            }
            if (!j.a.state().isAnswered() || !j.b.state().isAnswered()) return;
            j.done = true;
            forget(j);
        }
        try {
            j.a.stopPlayback();
            if (j.a.musicOnHold()) j.a.unhold();
            data.engine().bridge(j.a, j.b);
        } catch (RuntimeException ex) {
            log.info("cannot bridge {} with {}: {}", j.a.id(), j.b.id(), ex.toString());
            j.a.hangup(HangupCause.NORMAL_CLEARING);
            j.b.hangup(HangupCause.NORMAL_CLEARING);
        }
    }

    private void forget(Join j) {
        joins.remove(j.a.id(), j);
        joins.remove(j.b.id(), j);
    }

    // --- events

    /** The engine's events (after the call logged them). */
    void onEvent(CallEvent event) {
        String id = event.channelId();
        if (event instanceof CallEvent.ChannelAnswered) {
            ringing.remove(id);
            apiPickerAnswered(id);
        } else if (event instanceof CallEvent.ChannelHungUp h) {
            lines.remove(id);
            apiPickups.remove(id);
            announce.remove(id);
            starPressed.remove(id);
            ThreeWay t = threeWays.get(id);
            if (t != null && t.members.contains(id)) threeWayLeft(t, id);
            else if (t != null && t.unbridging.remove(id)) { // gone before the join: the join goes on without it
                threeWays.remove(id, t);
                if (t.unbridging.isEmpty()) startThreeWay(t);
            }
            for (Parked p : List.copyOf(parked.values())) {
                if (p.caller().id().equals(id) && parked.remove(p.enterpriseId() + ":" + p.slot(), p)) {
                    lamps.slot(p.enterpriseId(), p.slot(), Optional.empty());
                }
            }
            Ring r = ringing.get(id);
            if (r != null) ringEnded(r, h);
        } else if (event instanceof CallEvent.TransferCompleted t) {
            Parked p = announce.remove(id);
            if (p != null && t.sipStatus() == 200) announceSlot(p, id);
        } else if (event instanceof CallEvent.ChannelUnbridged u && threeWays.get(id) != null && threeWays.get(id).unbridging.remove(id)) {
            ThreeWay t = threeWays.get(id);
            if (t.unbridging.isEmpty()) startThreeWay(t);
        } else if (event instanceof CallEvent.DtmfReceived d) {
            key(id, d.digit());
        } else if (event instanceof CallEvent.ChannelUnbridged u) {
            parked.values().stream().filter(p -> p.caller().id().equals(id)).findFirst()
                    .ifPresent(p -> p.caller().hold(files.musicFolder(p.enterpriseId())));
        }
        Join j = joins.get(id);
        if (j != null && (event instanceof CallEvent.ChannelAnswered || event instanceof CallEvent.ChannelHungUp)) tryJoin(j);
    }

    // --- three-party from a phone (PBX-4)

    /** A key from a phone leg: {@value #THREE_WAY_KEYS} within {@link #THREE_WAY_KEY_GAP} joins it with the call the phone holds. */
    private void key(String channelId, char digit) {
        Line l = lines.get(channelId);
        if (l == null) return;
        if (digit == '*') {
            starPressed.put(channelId, book.now());
            return;
        }
        Instant star = starPressed.remove(channelId);
        if (digit == THREE_WAY_KEYS.charAt(1) && star != null && Duration.between(star, book.now()).compareTo(THREE_WAY_KEY_GAP) <= 0) {
            threeWay(l, channelId);
        }
    }

    /**
     * The phone on {@code ownId} (talking to someone) asks for three-party: its other call that it holds (its own re-INVITE,
     * RFC 3264 §8.4) is found among the extension's legs; both own legs leave their bridges (the engine confirms each by a
     * {@link CallEvent.ChannelUnbridged}, then {@link #startThreeWay}). Nothing held, nothing happens.
     */
    private boolean threeWay(Line l, String ownId) {
        if (threeWays.containsKey(ownId)) return false;
        Channel own = data.engine().channel(ownId).orElse(null);
        Channel other = own == null ? null : own.bridgedWith().orElse(null);
        if (other == null || own.state() != ChannelState.UP) return false;
        Channel heldOwn = null;
        for (var e : lines.entrySet()) {
            Line x = e.getValue();
            if (e.getKey().equals(ownId) || x.enterpriseId() != l.enterpriseId() || !x.extension().equals(l.extension())) continue;
            Channel ch = data.engine().channel(e.getKey()).orElse(null);
            if (ch != null && ch.state() == ChannelState.UP && ch.onHold() && ch.bridgedWith().isPresent()
                    && !threeWays.containsKey(ch.id())) {
                heldOwn = ch;
                break;
            }
        }
        if (heldOwn == null) {
            log.info("three-party from {}: no call held by the phone", l.extension());
            return false;
        }
        ThreeWay t = new ThreeWay(l.extension(), heldOwn, heldOwn.bridgedWith().get(), own, other);
        t.unbridging.add(heldOwn.id());
        t.unbridging.add(own.id());
        threeWays.put(heldOwn.id(), t);
        threeWays.put(own.id(), t);
        data.engine().unbridge(heldOwn);
        data.engine().unbridge(own);
        return true;
    }

    /**
     * API: three-party for extension {@code extension}'s phone, as if it keyed {@value #THREE_WAY_KEYS} on its active call
     * (answered, bridged, not held). Throws conflict when the phone has no active call and no call it holds.
     */
    void threeWay(long enterpriseId, String extension) {
        for (var e : lines.entrySet()) {
            Line l = e.getValue();
            if (l.enterpriseId() != enterpriseId || !l.extension().equals(extension)) continue;
            Channel ch = data.engine().channel(e.getKey()).orElse(null);
            if (ch == null || ch.state() != ChannelState.UP || ch.onHold() || ch.bridgedWith().isEmpty()) continue;
            if (threeWay(l, ch.id())) return;
        }
        throw DomainException.conflict("extension " + extension + " has no active call and no call it holds");
    }

    /** Both own legs are out of their bridges: the held party, the phone and the other party meet in a conference. */
    private void startThreeWay(ThreeWay t) {
        threeWays.remove(t.heldOwn.id(), t);
        threeWays.remove(t.own.id(), t);
        List<Channel> parties = new ArrayList<>();
        for (Channel ch : List.of(t.held, t.own, t.other)) if (ch.state() == ChannelState.UP) parties.add(ch);
        t.held.stopPlayback();
        if (t.held.musicOnHold()) t.held.unhold();
        try {
            t.room = data.engine().createConference("3way-" + t.own.id());
            for (Channel ch : parties) {
                t.room.add(ch);
                t.members.add(ch.id());
                threeWays.put(ch.id(), t);
            }
        } catch (RuntimeException ex) {
            log.info("three-party from {} failed: {}", t.extension, ex.toString());
            parties.forEach(ch -> ch.hangup(HangupCause.NORMAL_CLEARING));
        }
        String detail = t.extension + " " + user(t.held) + "+" + user(t.other);
        book.find(t.heldOwn.id()).ifPresent(c -> event(c, t.held.id(), "three-way", detail));
        book.find(t.own.id()).filter(c -> book.find(t.heldOwn.id()).map(h -> !h.callId().equals(c.callId())).orElse(true))
                .ifPresent(c -> event(c, t.own.id(), "three-way", detail));
        t.heldOwn.hangup(HangupCause.NORMAL_CLEARING); // the phone's held call is now part of its active one
        if (t.members.size() < 2) threeWayLeft(t, null);
    }

    private static String user(Channel ch) {
        if (ch.callee() == null || ch.caller() == null) return ch.id();
        return ch.direction() == Direction.INBOUND ? ch.caller().user() : ch.callee().user();
    }

    /** A party left a three-party call: the two others go on talking; the last one left is hung up. */
    private void threeWayLeft(ThreeWay t, String channelId) {
        if (channelId != null) {
            t.members.remove(channelId);
            threeWays.remove(channelId, t);
        }
        if (t.members.size() > 1) return;
        for (String id : List.copyOf(t.members)) {
            threeWays.remove(id, t);
            data.engine().channel(id).ifPresent(ch -> ch.hangup(HangupCause.NORMAL_CLEARING));
        }
        t.members.clear();
        if (t.room != null) t.room.close();
    }

    /** The parker hears the slot (the Say node, digit by digit), then is hung up on. */
    private void announceSlot(Parked p, String referrerId) {
        Channel referrer = data.engine().channel(referrerId).orElse(null);
        Call c = book.find(referrerId).orElse(null);
        if (referrer == null || c == null || referrer.state().isFinal()) return;
        var graph = new Flow.Graph("slot", Map.of(
                "slot", new Flow.Play(List.of(new Flow.Prompt(null, PromptKey.BEEP.name(), null)), "say"),
                "say", new Flow.Say(String.valueOf(p.slot()), "digits", "bye"),
                "bye", new Flow.Hangup()), null);
        flows.start(c, referrer, "park", graph, true);
    }

    // --- feature codes from the phone

    /** True when {@code dialled} is one of the codes below. */
    static boolean isCode(String dialled) {
        return CODE.matcher(dialled).matches();
    }

    /**
     * Applies a code for {@code extension}: {@code *72<n>}/{@code *73} forward always on/off, {@code *90<n>}/{@code *91} on
     * busy, {@code *92<n>}/{@code *93} on no answer, {@code *94<n>}/{@code *95} when not registered, {@code *78}/{@code *79}
     * DND on/off, {@code *70}/{@code *71} call waiting on/off. Pickups ({@code **<ext>}, {@code *8}) are calls, see
     * {@link #pickup}. Throws {@link DomainException} when refused (unknown code, bad target).
     *
     * @return what was done, for the call's events
     */
    String applyCode(long enterpriseId, String extension, String dialled) {
        String code = dialled.substring(0, 3);
        String arg = dialled.substring(3);
        ExtensionFeatures f = features(enterpriseId, extension);
        ExtensionFeatures next = switch (code) {
            case "*72" -> f.withForward(Forward.ALWAYS, target(enterpriseId, extension, arg));
            case "*73" -> noArg(arg, f.withForward(Forward.ALWAYS, null));
            case "*90" -> f.withForward(Forward.BUSY, target(enterpriseId, extension, arg));
            case "*91" -> noArg(arg, f.withForward(Forward.BUSY, null));
            case "*92" -> f.withForward(Forward.NO_ANSWER, target(enterpriseId, extension, arg));
            case "*93" -> noArg(arg, f.withForward(Forward.NO_ANSWER, null));
            case "*94" -> f.withForward(Forward.UNREGISTERED, target(enterpriseId, extension, arg));
            case "*95" -> noArg(arg, f.withForward(Forward.UNREGISTERED, null));
            case "*78" -> noArg(arg, f.withDnd(true));
            case "*79" -> noArg(arg, f.withDnd(false));
            case "*70" -> noArg(arg, f.withCallWaiting(true));
            case "*71" -> noArg(arg, f.withCallWaiting(false));
            default -> throw DomainException.badRequest("unknown feature code " + dialled);
        };
        jdbi.useTransaction(h -> {
            long id = ExtensionFeatureStore.extensionId(h, enterpriseId, extension).orElseThrow(() -> DomainException.notFound("extension"));
            ExtensionFeatureStore.save(h, enterpriseId, id, next);
        });
        data.invalidate();
        return code + (arg.isEmpty() ? "" : " " + arg);
    }

    private static ExtensionFeatures noArg(String arg, ExtensionFeatures f) {
        if (!arg.isEmpty()) throw DomainException.badRequest("this code takes no number");
        return f;
    }

    private String target(long enterpriseId, String extension, String arg) {
        String problem = ExtensionFeatures.targetProblem(arg, extension);
        if (problem != null) throw DomainException.badRequest(problem);
        return arg;
    }

    /** The code's feature code call: pickups become calls, the others a beep (done) or the invalid-input prompt. */
    void featureCall(Call c, Channel ch, String extension, String dialled) {
        if (dialled.equals("*8")) {
            groupPickup(c, ch, extension);
            return;
        }
        if (dialled.startsWith("**")) {
            pickup(c, ch, extension, dialled.substring(2));
            return;
        }
        boolean ok = false;
        try {
            String done = applyCode(c.enterpriseId(), extension, dialled);
            event(c, ch.id(), "code", done.replace(' ', '>'));
            ok = true;
        } catch (RuntimeException e) {
            log.info("feature code {} from {} refused: {}", dialled, extension, e.getMessage());
        }
        PromptKey key = ok ? PromptKey.BEEP : PromptKey.INVALID_INPUT;
        var node = new Flow.Play(List.of(new Flow.Prompt(null, key.name(), null)), "bye");
        // A DISA caller (PBX-6) keys codes on a call already answered; a phone's code call is answered here.
        flows.start(c, ch, "feature-code", new Flow.Graph("code", Map.of("code", node, "bye", new Flow.Hangup()), null), ch.state().isAnswered());
    }

    /** For tests and monitoring: phone legs followed, calls ringing, parked, joins waiting. */
    int tracked() {
        return ringing.size() + parked.size() + joins.size();
    }
}
