package dev.hotline.routing;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallerId;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.Conference;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.tts.Language;
import dev.hotline.engine.tts.PromptKey;
import dev.hotline.ivr.Flow;
import dev.hotline.ivr.Ivr;
import dev.hotline.ivr.PhonePrompts;
import dev.hotline.recording.CallRecorder;
import dev.hotline.recording.MediaFiles;
import dev.hotline.report.CallLogEvent;
import dev.hotline.routing.CallBook.Call;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides where every call goes (PBX-1..7, IVR-1): a call from a trunk by its number (DID), after
 * the blacklist, the call-back list and the smart direct line; a call from an extension to a
 * room, a ring group, a feature code, another extension or out through the outbound routes; and
 * any caller sent on to a {@link Destination} (from a number, a flow, a queue's overflow, a ring
 * group that nobody answered, a call back). It sees channels and events only, never SIP.
 */
public final class CallRouter {
    private static final Logger log = LoggerFactory.getLogger(CallRouter.class);

    /** What routing needs of the ACD and the agents' desks (implemented outside routing). */
    public interface Agents {
        /** ACD-1: the (answered) caller joins queue {@code queue}; false when there is no such queue. */
        boolean enqueue(long enterpriseId, String callId, Channel caller, String queue, int priority, boolean transferred);

        /** ACD-8: a ready agent on a call of their own (a ring group member who answered) is busy until it ends. */
        void busy(long enterpriseId, long userId, String callId, String legId);

        /** ACD-8 / AGENT-4: a direct call rings agent {@code userId}'s extension on {@code leg}: busy, and their desk shows it. */
        void directCall(Call c, Channel leg, long userId);

        /**
         * PBX-4: the picker's phone {@code picker} takes the call an ACD offer rings at an agent's SIP phone whose extension
         * {@code ringing} accepts (queue calls; transfers, campaign calls and call backs for a picker who is a ready agent);
         * the ACD ends that offer as picked up and connects the caller to {@code picker} once it is answered (job-number
         * announcement and survey as the queue says). Empty when no such offer rings. The router answers {@code picker}.
         */
        Optional<PickedOffer> pickupOffer(long enterpriseId, Predicate<String> ringing, Channel picker,
                                          String pickerExtension, Long pickerUserId);

        /** PBX-4: true when {@link #pickupOffer} would find an offer to take now (the API's check before it rings the picker). */
        boolean offerRinging(long enterpriseId, Predicate<String> ringing, Long pickerUserId);

        /**
         * AGENT-5 / MSG-4 from a phone: the phone on {@code referrer} blind-transfers (REFER) the caller on {@code transferee}
         * to the extension of user {@code colleague}. True when that colleague is signed in as an agent and ready now: the
         * ACD takes the caller once the engine has taken them off the referrer (the router then answers the REFER with
         * {@link dev.hotline.engine.call.Transfer#keep}), offering the call to that colleague alone with the transferring
         * agent's job number and notes, as the desk's transfer does (connected, wrap-up, survey of the final agent);
         * {@code otherwise} runs when the colleague is no longer free by then. False: not such a colleague (rung as before).
         */
        boolean referToColleague(Call c, Channel referrer, Channel transferee, long colleague, Runnable otherwise);

        /** AGENT-1: true when {@code dialled} is an agent feature code (*21..*24). */
        boolean isFeatureCode(String dialled);

        /** Applies a feature code for the agent; throws when refused. */
        void featureCode(long enterpriseId, long userId, String dialled);
    }

    /** A call an ACD offer rang, picked up from a phone (PBX-4): its call, the offer leg that rang, that phone's extension. */
    public record PickedOffer(String callId, String offerLegId, String extension) {}

    private final RoutingData data;
    private final CallBook book;
    private final Agents agents;
    private final MediaFiles files;
    private final Duration ringTimeout;
    private final FlowCalls flows;
    private final ConferenceRooms rooms;
    private final RingGroups ringGroups;
    private final ReturnCalls returnCalls;
    private final PbxFeatures features;
    private final DisaCalls disa;
    private final VoicemailAccess voicemail;
    private final Ivr ivr;
    private final BusyLamps lamps;
    /** Callers answered before they go on to a destination: channel → what to do once the answer is confirmed. */
    private final Map<String, Runnable> answering = new ConcurrentHashMap<>();

    public CallRouter(RoutingData data, CallBook book, Agents agents, CallRecorder recorder, MediaFiles files, Ivr ivr, Jdbi jdbi,
                      Clock clock, Duration ringTimeout) {
        this.data = data;
        this.book = book;
        this.agents = agents;
        this.files = files;
        this.ringTimeout = ringTimeout;
        this.flows = new FlowCalls(book, data, files, jdbi, ivr, clock, this::transferAnswered);
        this.rooms = new ConferenceRooms(data::engine, new ConferenceRooms.Recorder() {
            public void start(long enterpriseId, Conference conference) {
                recorder.recordRoom(enterpriseId, conference);
            }

            public boolean stop(Conference conference) {
                return recorder.stopRoom(conference);
            }
        }, (channelId, detail) -> book.find(channelId).ifPresent(c -> book.record(c, new CallLogEvent.PbxFeature(c.enterpriseId(), c.callId(),
                book.now(), channelId, "conference", detail))), clock);
        this.ringGroups = new RingGroups(ringGroupHost(jdbi));
        this.returnCalls = new ReturnCalls(data, book, jdbi, clock, ringTimeout);
        this.disa = new DisaCalls(data, book, ivr, this::dialAs);
        this.voicemail = new VoicemailAccess(data, book, jdbi);
        this.ivr = ivr;
        this.lamps = new BusyLamps(data);
        this.features = new PbxFeatures(data, book, flows, files, jdbi, ringTimeout, agents::directCall, lamps,
                (c, ch, to) -> sendAnswered(c, ch, to, true, "park-timeout"), ringGroups,
                new PbxFeatures.OfferPickup() {
                    public Optional<PickedOffer> take(long e, Predicate<String> ringing, Channel picker, String extension, Long userId) {
                        return agents.pickupOffer(e, ringing, picker, extension, userId);
                    }

                    public boolean ringing(long e, Predicate<String> ringing, Long userId) {
                        return agents.offerRinging(e, ringing, userId);
                    }
                });
        // PBX-2: a trunk leg refused at its start (the last channel taken meanwhile) is logged on its call.
        data.onRefusal(r -> book.find(r.channelId()).ifPresent(c -> book.record(c, new CallLogEvent.Rejected(c.enterpriseId(), c.callId(),
                book.now(), r.channelId(), 503, r.reason()))));
    }

    /**
     * PBX-4 pickup through the API: rings {@code device} and gives it, once answered, the call ringing {@code extension}
     * (null: the longest-ringing call of {@code picker}'s pickup group). See {@link PbxFeatures#pickupTo}.
     */
    public String pickupTo(long enterpriseId, String picker, Long userId, Target device, String extension,
                           java.util.function.Consumer<Channel> placed) {
        return features.pickupTo(enterpriseId, picker, userId, device, extension, placed);
    }

    /** Whether text to speech can run here (what a DISA entry's welcome text needs). */
    boolean speaks() {
        return ivr.ttsAvailable();
    }

    /** PBX-3/4: forwarding, DND, call waiting, park and pickup. */
    PbxFeatures features() {
        return features;
    }

    /** PBX-5: the conference rooms in use (moderation). */
    ConferenceRooms rooms() {
        return rooms;
    }

    /** Once the engine runs: call backs still to place and the direct-line memory come back. */
    public void start() {
        data.engine().presence().policy(lamps); // PBX-8: phones may watch extensions and parking slots
        returnCalls.restore();
    }

    /** Stops placing call backs (pending ones stay stored for the next start). */
    public void close() {
        returnCalls.close();
        rooms.close();
        features.close();
    }

    /** Calls in progress (for tests and monitoring). */
    public int activeCalls() {
        return book.activeCalls();
    }

    /** Live participants of a conference room. */
    public int roomParticipants(long enterpriseId, String number) {
        return rooms.participants(enterpriseId, number);
    }

    // --- incoming calls

    /** A new call: from a trusted trunk, or from an authenticated extension; anything else is refused. */
    public void route(CallEvent.IncomingCall call) {
        Channel ch = call.channel();
        try {
            if (call.trusted()) fromTrunk(call);
            else if (call.accountKey().isPresent()) {
                lamps.incoming(call);
                fromExtension(call);
            }
            else ch.reject(403);
        } catch (RuntimeException e) {
            log.error("routing failed for call {}", ch.id(), e);
            ch.reject(500);
            book.find(ch.id()).ifPresent(c -> book.record(c, new CallLogEvent.Rejected(c.enterpriseId(), c.callId(), book.now(), ch.id(), 500,
                    "routing error")));
        }
    }

    private void fromTrunk(CallEvent.IncomingCall call) {
        Channel ch = call.channel();
        String ip = call.source().getAddress().getHostAddress();
        String dialled = call.callee().user();
        String caller = call.caller().user();
        record Match(long enterpriseId, Trunk trunk, RoutingStore.Did did) {}
        RoutingSnapshot s = data.snapshot();
        Optional<Match> match = Optional.empty();
        // SEC-4: a registering trunk's carrier calling over that trunk's registration connection: the trunk's own numbers
        Optional<RoutingStore.OwnedTrunk> registered = s.registeringTrunk(call.trunkRegistration());
        if (registered.isPresent()) {
            RoutingStore.OwnedTrunk t = registered.get();
            var did = s.tenant(t.enterpriseId()).map(x -> x.dids().get(dialled))
                    .filter(d -> d.trunkId() == null || d.trunkId() == t.trunk().id());
            match = Optional.of(new Match(t.enterpriseId(), t.trunk(), did.orElse(null)));
        } else {
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
        }
        if (match.isEmpty()) {
            ch.reject(403);
            return;
        }
        Match m = match.get();
        RoutingStore.Did did = m.did();
        Destination to = did == null ? null : Destination.parse(did.destinationType(), did.destination()).orElse(null);
        Call c = book.begin(m.enterpriseId(), ch, "inbound", caller, dialled, m.trunk().name(),
                to instanceof Destination.Extension x ? x.number() : null);
        var full = data.takeInbound(m.enterpriseId(), m.trunk(), ch.id());
        if (full.isPresent()) {
            // PBX-2: the trunk's or the enterprise's channels are all in use; RFC 3261 §21.5.4
            reject(c, ch, 503, full.get());
            return;
        }
        if (blocked(c, ch, caller)) return;
        // PBX-6 call-back list: a listed caller is hung up on, then called back and connected to the number's destination.
        var callback = returnCalls.listed(m.enterpriseId(), caller);
        if (callback.isPresent() && did != null) {
            reject(c, ch, 486, "callback list: called back in " + callback.get().delaySeconds() + " s");
            returnCalls.schedule(m.enterpriseId(), caller, did, book.now().plusSeconds(callback.get().delaySeconds()), null);
            return;
        }
        // PBX-6 smart direct line: a customer calling back within 24 h reaches the extension that called them.
        var direct = returnCalls.directLine(m.enterpriseId(), caller);
        if (direct.isPresent() && data.isRegistered(m.enterpriseId(), direct.get())) {
            dialExtension(c, ch, direct.get(), null);
            return;
        }
        if (did == null) {
            reject(c, ch, 404, "no such number " + dialled);
            return;
        }
        if (did.welcomePrompt() != null && !(to instanceof Destination.Disa || to instanceof Destination.Fax)) {
            welcomeThen(c, ch, did, to);
            return;
        }
        sendTo(c, ch, did, to);
    }

    /** The number's destination {@code to} (null: a type routing does not know), for a caller not answered yet. */
    private void sendTo(Call c, Channel ch, RoutingStore.Did did, Destination to) {
        if (to instanceof Destination.Extension x) {
            dialExtension(c, ch, x.number(), null);
        } else if (to instanceof Destination.Room r) {
            enterRoom(c, ch, r.number());
        } else if (to instanceof Destination.Flow f) {
            enterFlow(c, ch, f.name());
        } else if (to instanceof Destination.RingGroup g) {
            if (!ringGroups.start(c.enterpriseId(), c.callId(), ch, g.name(), null)) reject(c, ch, 404, "no ring group " + g.name());
        } else if (to instanceof Destination.Queue || to instanceof Destination.Voicemail) {
            sendAnswered(c, ch, to, false, did.destinationType() + "-" + did.number());
        } else if (to instanceof Destination.Disa d) {
            var entry = disa.entry(c.enterpriseId(), d.name());
            if (entry.isPresent()) disa.enter(c, ch, entry.get());
            else reject(c, ch, 404, "no enabled DISA entry " + d.name());
        } else if (to instanceof Destination.Fax) {
            FaxLine line = faxLine;
            if (line != null) line.receive(c, ch, did.number());
            else reject(c, ch, 404, "no fax service");
        } else {
            reject(c, ch, 404, "destination type " + did.destinationType() + " not routable yet");
        }
    }

    private void fromExtension(CallEvent.IncomingCall call) {
        Channel ch = call.channel();
        String[] key = call.accountKey().get().split(":", 2);
        long enterpriseId = Long.parseLong(key[0]);
        String extension = key[1];
        String dialled = call.callee().user();
        var tenant = data.tenant(enterpriseId);
        if (tenant.map(t -> t.rooms().containsKey(dialled)).orElse(false)) {
            enterRoom(book.begin(enterpriseId, ch, "internal", extension, dialled, null, extension), ch, dialled);
            return;
        }
        var group = ringGroups.byNumber(enterpriseId, dialled); // PBX-3: an extension dials a ring group's number
        if (group.isPresent()) {
            Call c = book.begin(enterpriseId, ch, "internal", extension, dialled, null, extension);
            ringGroups.start(enterpriseId, c.callId(), ch, group.get().name(), CallerId.of(extension));
            return;
        }
        if (PhonePrompts.matches(dialled)) { // IVR-2: *30<n> records prompt phone-<n>.wav
            Call c = book.begin(enterpriseId, ch, "internal", extension, dialled, null, extension);
            flows.recordPrompt(c, ch, data.userOfExtension(enterpriseId, extension).orElse(null), dialled);
            return;
        }
        if (agents.isFeatureCode(dialled)) {
            Call c = book.begin(enterpriseId, ch, "internal", extension, dialled, null, extension);
            featureCode(c, ch, extension, dialled);
            return;
        }
        features.calling(enterpriseId, extension, ch);
        if (VoicemailAccess.CODE.equals(dialled)) { // MSG-1: the extension's new voicemail
            Call c = book.begin(enterpriseId, ch, "internal", extension, dialled, null, extension);
            voicemail.listen(c, ch, extension, Language.ZH);
            return;
        }
        if (PbxFeatures.isCode(dialled)) { // PBX-3/4: forwarding, DND, call waiting, pickup
            Call c = book.begin(enterpriseId, ch, "internal", extension, dialled, null, extension);
            features.featureCall(c, ch, extension, dialled);
            return;
        }
        boolean internal = tenant.map(t -> t.extensions().containsKey(dialled)).orElse(false);
        if (!internal && PbxFeatures.isSlot(dialled)) { // PBX-4: a parked call's slot
            Call c = book.begin(enterpriseId, ch, "internal", extension, dialled, null, extension);
            features.unparkTo(c, ch, extension, dialled);
            return;
        }
        Call c = book.begin(enterpriseId, ch, internal ? "internal" : "outbound", extension, dialled, null, extension);
        if (internal) {
            dialExtension(c, ch, dialled, CallerId.of(extension));
            return;
        }
        dialOut(c, ch, extension, dialled);
    }

    private boolean blocked(Call c, Channel ch, String caller) {
        Optional<RoutingStore.BlacklistEntry> hit = data.tenant(c.enterpriseId()).stream()
                .flatMap(t -> t.blacklist().stream()).filter(b -> b.matches(caller)).findFirst();
        if (hit.isEmpty()) return false;
        book.record(c, new CallLogEvent.Blocked(c.enterpriseId(), c.callId(), book.now(), ch.id(), hit.get().number()));
        ch.reject(603); // PBX-6: blacklisted callers are declined before anything else runs
        return true;
    }

    private void reject(Call c, Channel ch, int status, String reason) {
        book.record(c, new CallLogEvent.Rejected(c.enterpriseId(), c.callId(), book.now(), ch.id(), status, reason));
        ch.reject(status);
    }

    /** AGENT-1 from a SIP phone: *21 log in with this phone, *22 log out, *23 ready, *24 not ready (break). */
    private void featureCode(Call c, Channel ch, String extension, String dialled) {
        Long user = data.userOfExtension(c.enterpriseId(), extension).orElse(null);
        boolean ok = false;
        if (user != null) {
            try {
                agents.featureCode(c.enterpriseId(), user, dialled);
                ok = true;
            } catch (RuntimeException e) {
                log.info("feature code {} from {} refused: {}", dialled, extension, e.getMessage());
            }
        }
        PromptKey key = ok ? PromptKey.BEEP : PromptKey.INVALID_INPUT;
        var node = new Flow.Play(List.of(new Flow.Prompt(null, key.name(), null)), "bye");
        flows.start(c, ch, "feature-code", new Flow.Graph("code", Map.of("code", node, "bye", new Flow.Hangup()), null), false);
    }

    // --- destinations

    /** PBX-5: into conference room {@code number}. */
    private void enterRoom(Call c, Channel ch, String number) {
        var room = data.tenant(c.enterpriseId()).map(t -> t.rooms().get(number));
        if (room.isEmpty()) {
            reject(c, ch, 404, "no conference room " + number);
            return;
        }
        rooms.enter(c.enterpriseId(), ch, room.get());
    }

    /** IVR-1: runs the published flow {@code name} on the call. */
    private void enterFlow(Call c, Channel ch, String name) {
        var graph = flows.publishedFlow(c.enterpriseId(), name);
        if (graph == null) {
            reject(c, ch, 404, "flow " + name + " is not published");
            return;
        }
        flows.start(c, ch, name, graph, false);
    }

    /** IVR-2: the number's welcome prompt, then its destination, run as a two-node flow. */
    private void welcomeThen(Call c, Channel ch, RoutingStore.Did did, Destination to) {
        Flow.Node dest = to == null ? new Flow.Hangup() : node(to);
        var graph = new Flow.Graph("welcome", Map.of(
                "welcome", new Flow.Play(List.of(new Flow.Prompt(null, null, did.welcomePrompt())), "destination"),
                "destination", dest), null);
        flows.start(c, ch, "welcome-" + did.number(), graph, false);
    }

    /** The flow node that takes a call to a destination. */
    static Flow.Node node(Destination d) {
        if (d instanceof Destination.Flow f) return new Flow.Goto(f.name());
        if (d instanceof Destination.Room r) return new Flow.Transfer("conference", r.number(), null);
        if (d instanceof Destination.Queue q) return new Flow.Transfer("queue", q.name(), null);
        if (d instanceof Destination.RingGroup g) return new Flow.Transfer("ringgroup", g.name(), null);
        if (d instanceof Destination.Voicemail v) return new Flow.Voicemail(v.boxType(), v.box(), null);
        if (d instanceof Destination.Extension x) return new Flow.Transfer("extension", x.number(), null);
        if (d instanceof Destination.Outside o) return new Flow.Transfer("external", o.number(), null);
        return new Flow.Hangup();
    }

    /**
     * Takes a caller to {@code d}, answering it first unless it is {@code answered} already; a
     * destination that cannot take it now hangs up. A voicemail box is a flow node: it runs as a
     * one-node flow named {@code flowName}.
     */
    private void sendAnswered(Call c, Channel ch, Destination d, boolean answered, String flowName) {
        if (d instanceof Destination.Voicemail) {
            flows.start(c, ch, flowName, new Flow.Graph("destination", Map.of("destination", node(d)), null), answered);
            return;
        }
        Runnable go = () -> {
            if (!transferAnswered(c, ch, d, 0)) ch.hangup(HangupCause.NORMAL_CLEARING);
        };
        if (answered) {
            go.run();
            return;
        }
        answering.put(ch.id(), go);
        ch.answer();
    }

    /** A flow's transfer: the caller, answered, goes to an extension, a room, a queue, a ring group or an outside number. */
    private boolean transferAnswered(Call c, Channel ch, Destination to, int priority) {
        long e = c.enterpriseId();
        if (to instanceof Destination.Extension x) {
            if (!data.isExtension(e, x.number()) || !features.reachable(e, x.number())) return false;
            dialExtension(c, ch, x.number(), null);
            return true;
        }
        if (to instanceof Destination.Room r) {
            if (!data.tenant(e).map(t -> t.rooms().containsKey(r.number())).orElse(false)) return false;
            enterRoom(c, ch, r.number());
            return true;
        }
        if (to instanceof Destination.Queue q) return agents.enqueue(e, c.callId(), ch, q.name(), priority, false);
        if (to instanceof Destination.RingGroup g) return ringGroups.start(e, c.callId(), ch, g.name(), null);
        if (to instanceof Destination.Outside o) {
            if (!data.knows(e)) return false;
            OutboundPlan plan = data.plan(e, o.number());
            if (plan.refused()) return false;
            dialTrunk(c, ch, plan, null);
            return true;
        }
        return false; // flows and voicemail boxes are flow nodes of their own; hanging up is no transfer
    }

    /** ACD-5: a caller leaving a queue without an agent goes on to {@code to}; false when that is impossible. */
    public boolean overflow(Call c, Channel caller, Destination to, String fromQueue) {
        if (to instanceof Destination.Queue q) return agents.enqueue(c.enterpriseId(), c.callId(), caller, q.name(), 0, true);
        if (to instanceof Destination.Flow f) {
            var graph = flows.publishedFlow(c.enterpriseId(), f.name());
            if (graph == null) return false;
            flows.start(c, caller, f.name(), graph, true);
            return true;
        }
        if (to instanceof Destination.Voicemail || to instanceof Destination.Extension) {
            sendAnswered(c, caller, to, true, "overflow-" + fromQueue);
            return true;
        }
        return false;
    }

    /** PBX-6: the customer answered our call back: on to the number's destination. */
    private void connectCallback(Call c, String channelId, RoutingStore.Did did) {
        Channel ch = data.engine().channel(channelId).orElse(null);
        if (ch == null) return;
        Destination to = Destination.parse(did.destinationType(), did.destination()).orElse(new Destination.Extension(did.destination()));
        if (to instanceof Destination.Flow f) {
            var graph = flows.publishedFlow(c.enterpriseId(), f.name());
            if (graph != null) flows.start(c, ch, f.name(), graph, true);
            else ch.hangup(HangupCause.NORMAL_CLEARING);
        } else if (to instanceof Destination.Room r) {
            enterRoom(c, ch, r.number());
        } else if (to instanceof Destination.Queue || to instanceof Destination.Voicemail || to instanceof Destination.RingGroup) {
            sendAnswered(c, ch, to, true, did.destinationType() + "-" + did.number());
        } else if (data.isExtension(c.enterpriseId(), did.destination()) && features.reachable(c.enterpriseId(), did.destination())) {
            dialExtension(c, ch, did.destination(), null);
        } else {
            ch.hangup(HangupCause.SUBSCRIBER_ABSENT);
        }
    }

    // --- dialling

    /**
     * Rings extension {@code extension} for the call, following its forwarding, DND and call waiting (PBX-3); refused
     * (404/480/486) when it does not exist, is not registered or is busy, and nothing takes the call on.
     */
    public void dialExtension(Call c, Channel ch, String extension, CallerId callerId) {
        features.ring(c, ch, extension, callerId);
    }

    /** Dials an outside number for {@code from} through the plan's trunk and files the leg under the call. */
    public Channel dialTrunk(Call c, Channel from, OutboundPlan plan, String fallbackCallerId) {
        Channel out = data.engine().dial(from, plan.request(ringTimeout, fallbackCallerId));
        book.join(c, out, plan.label());
        return out;
    }

    /**
     * PBX-6 DISA: an answered caller authorised as {@code extension} dials {@code dialled} as that extension's phone would:
     * one of its PBX feature codes (forwarding, DND, call waiting, directed and group pickup: {@link PbxFeatures#featureCall},
     * as from the phone; its voicemail {@value VoicemailAccess#CODE} in the entry's {@code language}), a room, a ring group, another extension (with its forwarding), or out through the routes with the
     * extension's permission (PBX-7), the toll-fraud limits (SEC-1) and the trunk limits (PBX-2). Refused: logged and hung up.
     */
    private void dialAs(Call c, Channel ch, String extension, String dialled, Language language) {
        long e = c.enterpriseId();
        if (VoicemailAccess.CODE.equals(dialled)) {
            voicemail.listen(c, ch, extension, language);
            return;
        }
        if (PbxFeatures.isCode(dialled)) {
            features.featureCall(c, ch, extension, dialled);
            return;
        }
        if (data.tenant(e).map(t -> t.rooms().containsKey(dialled)).orElse(false)) {
            enterRoom(c, ch, dialled);
            return;
        }
        var group = ringGroups.byNumber(e, dialled);
        if (group.isPresent()) {
            ringGroups.start(e, c.callId(), ch, group.get().name(), CallerId.of(extension));
            return;
        }
        if (data.isExtension(e, dialled)) {
            dialExtension(c, ch, dialled, CallerId.of(extension));
            return;
        }
        OutboundPlan plan = data.plan(e, extension, dialled);
        if (plan.refused()) {
            book.record(c, new CallLogEvent.Rejected(e, c.callId(), book.now(), ch.id(), plan.status(), plan.error()));
            ch.hangup(plan.status() == 503 ? HangupCause.SERVICE_UNAVAILABLE : HangupCause.FORBIDDEN);
            return;
        }
        dialTrunk(c, ch, plan, extension);
        returnCalls.calledOut(e, plan.number(), extension);
    }

    private void dialOut(Call c, Channel ch, String extension, String dialled) {
        OutboundPlan plan = data.plan(c.enterpriseId(), extension, dialled);
        if (plan.refused()) {
            reject(c, ch, plan.status(), plan.error());
            return;
        }
        dialTrunk(c, ch, plan, extension);
        returnCalls.calledOut(c.enterpriseId(), plan.number(), extension);
    }

    // --- the call's events that concern routing

    /** Gives an event to rooms and flows; true when it belongs only to them (PIN entry, playback, digits). */
    public boolean takes(CallEvent event) {
        return rooms.onEvent(event) || disa.onEvent(event) || voicemail.onEvent(event) || flows.onEvent(event);
    }

    /** A finished recording: true when it was a voicemail left in a flow (then logged). */
    public boolean voicemailFinished(CallEvent.RecordingFinished f) {
        return flows.voicemailFinished(f);
    }

    /** A leg of the call answered: a caller waiting for its answer goes on; a call back is connected. */
    /** MSG-5: the fax service, which answers the calls to numbers whose destination is "fax". */
    public interface FaxLine {
        /** Caller {@code ch} of call {@code c} dialled fax number {@code number}: answer it and receive the document. */
        void receive(Call c, Channel ch, String number);
    }

    private volatile FaxLine faxLine;

    /** Wiring: where fax numbers' calls go. */
    public void faxLine(FaxLine line) {
        this.faxLine = line;
    }

    public void answered(Call c, String channelId) {
        Runnable next = answering.remove(channelId);
        if (next != null) next.run();
        returnCalls.answered(channelId).ifPresent(did -> connectCallback(c, channelId, did));
    }

    public void hungUp(String channelId) {
        answering.remove(channelId);
        returnCalls.hungUp(channelId);
    }

    /** PBX-3: ring groups follow their callers and members (after the call logged the event). */
    public void afterEvent(CallEvent event) {
        lamps.onEvent(event);
        ringGroups.onEvent(event);
        features.onEvent(event);
    }

    /** PBX-4: the party put on hold hears the enterprise's music until the holder resumes. */
    public void musicOnHold(Call c, CallEvent.ChannelHold h) {
        data.engine().channel(h.channelId()).flatMap(Channel::bridgedWith).ifPresent(peer -> {
            if (h.held()) peer.hold(files.musicFolder(c.enterpriseId()));
            else peer.unhold();
        });
    }

    /**
     * PBX-4: a party bridged to a phone that already holds the call (e.g. an agent's phone that held while the queue still
     * announced the agent to the caller) hears the music at once, until that phone resumes ({@link #musicOnHold}). Done on
     * the bridge's event: the bridge itself stops what a leg played before it.
     */
    public void bridgedToHeld(Call c, CallEvent.ChannelBridged b) {
        Channel a = data.engine().channel(b.channelId()).orElse(null);
        Channel other = data.engine().channel(b.otherChannelId()).orElse(null);
        if (a == null || other == null) return;
        if (other.onHold()) a.hold(files.musicFolder(c.enterpriseId()));
        if (a.onHold()) other.hold(files.musicFolder(c.enterpriseId()));
    }

    /** PBX-4 from a phone: blind transfer to an extension of the same enterprise, or attended transfer by Replaces. */
    public void phoneTransfer(Call c, CallEvent.TransferRequested t) {
        if (t.replacesChannelId().isPresent()) {
            book.record(c, new CallLogEvent.Transfer(c.enterpriseId(), c.callId(), t.at(), t.channelId(), "attended", t.replacesChannelId().get()));
            t.transfer().acceptReplaces();
            return;
        }
        String target = t.referTo().user();
        if (target.equals(PbxFeatures.PARK_NUMBER)) { // PBX-4: call park
            features.park(c, t);
            return;
        }
        if (!data.isExtension(c.enterpriseId(), target) && !target.isEmpty()) { // PBX-4: transfer to an outside number
            transferOut(c, t, target);
            return;
        }
        var phone = data.isExtension(c.enterpriseId(), target) ? data.registered(c.enterpriseId(), target) : Optional.<Target.Registered>empty();
        if (phone.isEmpty()) {
            book.record(c, new CallLogEvent.Transfer(c.enterpriseId(), c.callId(), t.at(), t.channelId(), "blind-refused", target));
            t.transfer().reject();
            return;
        }
        Channel referrer = data.engine().channel(t.channelId()).orElse(null);
        Channel transferee = data.engine().channel(t.peerChannelId()).orElse(null);
        Optional<Long> colleague = data.userOfExtension(c.enterpriseId(), target);
        if (referrer != null && transferee != null && colleague.isPresent()
                && agents.referToColleague(c, referrer, transferee, colleague.get(), () -> dialExtension(c, transferee, target, null))) {
            // To a signed-in colleague through the ACD, as the desk's transfer (AGENT-5): surveyed about them (MSG-4).
            book.record(c, new CallLogEvent.Transfer(c.enterpriseId(), c.callId(), t.at(), t.channelId(), "blind", target));
            t.transfer().keep();
            return;
        }
        book.record(c, new CallLogEvent.Transfer(c.enterpriseId(), c.callId(), t.at(), t.channelId(), "blind", target));
        t.transfer().accept(DialRequest.to(phone.get()).withTimeout(ringTimeout));
    }

    /** A phone blind-transfers to an outside number: dialled as the transferring extension would dial it (PBX-7, routes, limits). */
    private void transferOut(Call c, CallEvent.TransferRequested t, String number) {
        String extension = features.extensionOf(t.channelId()).orElse(null);
        OutboundPlan plan = extension == null ? OutboundPlan.refused("not an extension's phone", 403) : data.plan(c.enterpriseId(), extension, number);
        if (plan.refused()) {
            book.record(c, new CallLogEvent.Transfer(c.enterpriseId(), c.callId(), t.at(), t.channelId(), "blind-refused", number));
            t.transfer().reject();
            return;
        }
        book.record(c, new CallLogEvent.Transfer(c.enterpriseId(), c.callId(), t.at(), t.channelId(), "blind-outside", number));
        String shown = data.engine().channel(t.peerChannelId()).map(p -> p.caller() == null ? null : p.caller().user()).orElse(extension);
        t.transfer().accept(plan.request(ringTimeout, shown));
    }

    // --- PBX-3 ring groups: the logic is in RingGroups; this is what it needs of the router.

    private RingGroups.Host ringGroupHost(Jdbi jdbi) {
        return new RingGroups.Host() {
            public RoutingSnapshot snapshot() {
                return data.snapshot();
            }

            public Jdbi jdbi() {
                return jdbi;
            }

            public TelephonyEngine engine() {
                return data.engine();
            }

            public Optional<Target> phone(long enterpriseId, String extension) {
                return data.phone(enterpriseId, extension);
            }

            public void file(String callId, Channel leg, String target) {
                book.find(callId).ifPresent(c -> book.join(c, leg, target));
            }

            public void reject(String callId, Channel caller, int status, String reason) {
                var c = book.find(callId);
                if (c.isPresent()) CallRouter.this.reject(c.get(), caller, status, reason);
                else caller.reject(status);
            }

            public void fail(String callId, Channel caller, String group, RingGroup.Fail fail, boolean answered) {
                var c = book.find(callId);
                if (c.isEmpty()) {
                    caller.hangup(HangupCause.NORMAL_CLEARING);
                    return;
                }
                Destination to = Destination.parse(fail.type(), fail.value()).orElse(new Destination.Extension(fail.value()));
                sendAnswered(c.get(), caller, to, answered, "ringgroup-" + group);
            }

            public void answeredBy(long enterpriseId, String callId, Channel leg, String extension) {
                data.userOfExtension(enterpriseId, extension).ifPresent(user -> agents.busy(enterpriseId, user, callId, leg.id()));
            }
        };
    }
}
