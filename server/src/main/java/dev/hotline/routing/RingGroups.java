package dev.hotline.routing;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallerId;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.Conference;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.media.AudioClip;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PBX-3 ring groups on calls. {@code ring_all}: the caller is answered and hears a ring tone while
 * every registered member's phone is called at once; the first to answer is bridged with the caller,
 * the others are cancelled. {@code linear}: the members are dialled one after the other for the
 * group's ring seconds each (the caller hears their ringing relayed). Unregistered members are
 * skipped; when nobody answers (or nobody is registered) the call goes to the group's fail
 * destination. {@code page} (PBX-8): the caller is answered and put in a room; every registered member's phone is
 * called with {@code Call-Info: <sip:domain>;answer-after=0} and {@code Alert-Info: ...;info=alert-autoanswer} (phones
 * answer by themselves) and joins the room muted, hearing the caller; the page ends when the caller hangs up.
 * Every member leg is filed in the call's record before it starts.
 */
final class RingGroups {
    private static final Logger log = LoggerFactory.getLogger(RingGroups.class);

    /** What the ring groups need of the router. */
    interface Host {
        /** The routing snapshot in force (ring groups are reloaded when it changes). */
        RoutingSnapshot snapshot();

        Jdbi jdbi();

        TelephonyEngine engine();

        /** Where extension {@code extension}'s registered phone is reached, if it is registered. */
        Optional<Target> phone(long enterpriseId, String extension);

        /** Files {@code leg} in the record of the call whose inbound channel is {@code callId}. */
        void file(String callId, Channel leg, String target);

        /** Logs a rejection of the caller and rejects it. */
        void reject(String callId, Channel caller, int status, String reason);

        /** Takes the caller to an unanswered group's fail destination (voicemail, extension or queue). */
        void fail(String callId, Channel caller, String group, RingGroup.Fail fail, boolean answered);

        /** A member answered: the extension's user (an agent) is on a call. */
        void answeredBy(long enterpriseId, String callId, Channel leg, String extension);
    }

    /** Ring back: 450 Hz, one second on, four off (the tone of a ringing line), looped. */
    static final AudioClip RING_TONE = ringTone();

    private final Host host;

    /** Ring groups by enterprise, loaded for one snapshot (the router's snapshot changes on every API write). */
    private volatile Map<Long, List<RingGroup>> cache = Map.of();
    private volatile RoutingSnapshot cachedFor;

    /** Member legs ringing → their attempt; callers ringing a group → their attempt. */
    private final Map<String, Attempt> byLeg = new ConcurrentHashMap<>();
    private final Map<String, Attempt> byCaller = new ConcurrentHashMap<>();

    RingGroups(Host host) {
        this.host = host;
    }

    /** One caller ringing one group. */
    private final class Attempt {
        final long enterpriseId;
        final String callId;
        final Channel caller;
        final RingGroup group;
        final CallerId callerId;
        /** Linear: members not tried yet. */
        final Deque<String> next;
        /** Legs ringing now → their extension. */
        final Map<String, String> legs = new LinkedHashMap<>();
        /** Ring all: waiting for the caller's answer before calling the members. */
        boolean awaitingAnswer;
        /** Page: the room of the caller and the members who answered. */
        Conference room;
        boolean done;
        /** PBX-4: a member's ringing phone was picked up from another phone: the caller goes there once it is free. */
        Consumer<Channel> pickedUp;

        Attempt(long enterpriseId, String callId, Channel caller, RingGroup group, CallerId callerId) {
            this.enterpriseId = enterpriseId;
            this.callId = callId;
            this.caller = caller;
            this.group = group;
            this.callerId = callerId;
            this.next = new ArrayDeque<>(group.members());
        }
    }

    // --- the groups

    List<RingGroup> groups(long enterpriseId) {
        RoutingSnapshot s = host.snapshot();
        if (s != cachedFor) {
            synchronized (this) {
                if (s != cachedFor) {
                    Map<Long, List<RingGroup>> all = new ConcurrentHashMap<>();
                    host.jdbi().useHandle(h -> s.tenants().forEach(e -> all.put(e.id(), RingGroupStore.list(h, e.id()))));
                    cache = all;
                    cachedFor = s;
                }
            }
        }
        return cache.getOrDefault(enterpriseId, List.of());
    }

    Optional<RingGroup> byName(long enterpriseId, String name) {
        return groups(enterpriseId).stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** The group an extension reaches by dialling {@code number}. */
    Optional<RingGroup> byNumber(long enterpriseId, String number) {
        return groups(enterpriseId).stream().filter(g -> number.equals(g.number())).findFirst();
    }

    // --- calls

    /**
     * Rings group {@code name} for the caller (inbound channel {@code callId}); false when there is no
     * such group (nothing was done).
     */
    boolean start(long enterpriseId, String callId, Channel caller, String name, CallerId callerId) {
        Optional<RingGroup> g = byName(enterpriseId, name);
        if (g.isEmpty()) return false;
        RingGroup group = g.get();
        CallerId cid = callerId != null ? callerId : CallerId.of(caller.caller() == null || caller.caller().user() == null
                || caller.caller().user().isEmpty() ? "anonymous" : caller.caller().user());
        Attempt a = new Attempt(enterpriseId, callId, caller, group, cid);
        boolean anyone = group.members().stream().anyMatch(m -> host.phone(enterpriseId, m).isPresent());
        if (!anyone) {
            log.info("ring group {}: no member registered, to {}", group.name(), group.fail().type());
            failed(a);
            return true;
        }
        byCaller.put(caller.id(), a);
        if (!group.ringAll()) {
            synchronized (a) {
                dialNext(a);
            }
            return true;
        }
        synchronized (a) {
            if (caller.state().isAnswered()) {
                begin(a);
            } else {
                a.awaitingAnswer = true;
                caller.answer();
            }
        }
        return true;
    }

    private void begin(Attempt a) {
        if (a.group.page()) page(a);
        else ringAll(a);
    }

    /** PBX-8 paging: the caller into a room, every registered member called with auto-answer. */
    private void page(Attempt a) {
        a.awaitingAnswer = false;
        a.room = host.engine().createConference("page " + a.group.name() + " " + a.callId);
        a.room.add(a.caller);
        var enterprise = host.snapshot().enterprisesById().get(a.enterpriseId);
        String domain = enterprise == null ? "localhost" : enterprise.sipDomain();
        for (String member : a.group.members()) {
            Optional<Target> phone = host.phone(a.enterpriseId, member);
            if (phone.isEmpty()) continue;
            DialRequest req = DialRequest.to(phone.get()).withTimeout(Duration.ofSeconds(a.group.ringSeconds())).withCallerId(a.callerId)
                    .withHeader("Call-Info", "<sip:" + domain + ">;answer-after=0")
                    .withHeader("Alert-Info", "<http://" + domain + "/autoanswer>;info=alert-autoanswer;delay=0");
            try {
                host.engine().originate(req, leg -> {
                    a.legs.put(leg.id(), member);
                    byLeg.put(leg.id(), a);
                    host.file(a.callId, leg, "page " + a.group.name() + " extension " + member);
                });
            } catch (RuntimeException e) {
                log.warn("page {}: cannot call {}: {}", a.group.name(), member, e.toString());
            }
        }
        if (a.legs.isEmpty()) endPage(a, HangupCause.SUBSCRIBER_ABSENT);
    }

    /** The page is over: members hang up, the room closes, the caller (when still there) is hung up on. */
    private void endPage(Attempt a, HangupCause cause) {
        a.done = true;
        byCaller.remove(a.caller.id(), a);
        for (String leg : List.copyOf(a.legs.keySet())) {
            byLeg.remove(leg, a);
            host.engine().channel(leg).filter(ch -> !ch.state().isFinal()).ifPresent(ch -> ch.hangup(HangupCause.NORMAL_CLEARING));
        }
        a.legs.clear();
        if (a.room != null) a.room.close();
        if (!a.caller.state().isFinal()) a.caller.hangup(cause);
    }

    /** Ring all: the tone for the caller, then every registered member at once. */
    private void ringAll(Attempt a) {
        a.awaitingAnswer = false;
        try {
            a.caller.play(new PlaybackRequest(List.of(new PlaybackRequest.Item.Clip(RING_TONE)), true, false));
        } catch (RuntimeException e) {
            log.warn("no ring tone for call {}: {}", a.callId, e.toString());
        }
        for (String member : a.group.members()) {
            Optional<Target> phone = host.phone(a.enterpriseId, member);
            if (phone.isEmpty()) continue;
            DialRequest req = DialRequest.to(phone.get()).withTimeout(Duration.ofSeconds(a.group.ringSeconds())).withCallerId(a.callerId);
            try {
                host.engine().originate(req, leg -> {
                    a.legs.put(leg.id(), member);
                    byLeg.put(leg.id(), a);
                    host.file(a.callId, leg, target(a.group, member));
                });
            } catch (RuntimeException e) {
                log.warn("ring group {}: cannot call {}: {}", a.group.name(), member, e.toString());
            }
        }
        if (a.legs.isEmpty()) failed(a);
    }

    /** Linear: the next registered member, or the fail destination when none is left. */
    private void dialNext(Attempt a) {
        while (!a.next.isEmpty()) {
            String member = a.next.poll();
            Optional<Target> phone = host.phone(a.enterpriseId, member);
            if (phone.isEmpty()) continue;
            DialRequest req = DialRequest.to(phone.get()).withTimeout(Duration.ofSeconds(a.group.ringSeconds())).withCallerId(a.callerId)
                    .keepInboundOnFailure();
            try {
                Channel leg = host.engine().dial(a.caller, req);
                a.legs.put(leg.id(), member);
                byLeg.put(leg.id(), a);
                host.file(a.callId, leg, target(a.group, member));
                if (leg.state().isFinal()) { // ended before it could be followed: on to the next one
                    a.legs.remove(leg.id());
                    byLeg.remove(leg.id(), a);
                    continue;
                }
                return;
            } catch (RuntimeException e) {
                log.warn("ring group {}: cannot call {}: {}", a.group.name(), member, e.toString());
            }
        }
        failed(a);
    }

    private static String target(RingGroup g, String member) {
        return "ringgroup " + g.name() + " extension " + member;
    }

    private void failed(Attempt a) {
        a.done = true;
        byCaller.remove(a.caller.id(), a);
        if (a.caller.state().isFinal()) return;
        boolean answered = a.caller.state().isAnswered();
        if (answered) a.caller.stopPlayback();
        RingGroup.Fail f = a.group.fail();
        if (f == null || f.type().equals("hangup")) {
            if (answered) a.caller.hangup(HangupCause.NO_ANSWER);
            else host.reject(a.callId, a.caller, 480, "ring group " + a.group.name() + ": nobody answered");
            return;
        }
        host.fail(a.callId, a.caller, a.group.name(), f, answered);
    }

    /** The engine's events about callers ringing a group and member legs (after the router logged them). */
    void onEvent(CallEvent event) {
        if (!(event instanceof CallEvent.ChannelAnswered) && !(event instanceof CallEvent.ChannelHungUp)) return;
        Attempt caller = byCaller.get(event.channelId());
        if (caller != null) {
            synchronized (caller) {
                callerEvent(caller, event);
            }
            return;
        }
        Attempt a = byLeg.get(event.channelId());
        if (a == null) return;
        synchronized (a) {
            if (event instanceof CallEvent.ChannelAnswered) memberAnswered(a, event.channelId());
            else memberEnded(a, event.channelId());
        }
    }

    private void callerEvent(Attempt a, CallEvent event) {
        if (event instanceof CallEvent.ChannelAnswered) {
            if (a.awaitingAnswer && !a.done) begin(a);
            return;
        }
        if (a.group.page()) {
            endPage(a, HangupCause.NORMAL_CLEARING);
            return;
        }
        // The caller left: nobody else is to be called; ringing member phones stop.
        a.done = true;
        byCaller.remove(a.caller.id(), a);
        for (String leg : List.copyOf(a.legs.keySet())) {
            byLeg.remove(leg, a);
            host.engine().channel(leg).filter(ch -> !ch.state().isFinal()).ifPresent(ch -> ch.hangup(HangupCause.ORIGINATOR_CANCEL));
        }
        a.legs.clear();
    }

    private void memberAnswered(Attempt a, String legId) {
        if (a.group.page()) { // a paged phone answered (by itself): into the room, heard by nobody
            Channel leg = host.engine().channel(legId).orElse(null);
            if (leg == null) return;
            if (a.done || a.room == null) {
                leg.hangup(HangupCause.NORMAL_CLEARING);
                return;
            }
            try {
                a.room.add(leg);
                a.room.mute(leg, true);
                host.answeredBy(a.enterpriseId, a.callId, leg, a.legs.get(legId));
            } catch (RuntimeException e) {
                log.info("page {}: {} cannot join: {}", a.group.name(), legId, e.toString());
                leg.hangup(HangupCause.NORMAL_CLEARING);
            }
            return;
        }
        String member = a.legs.remove(legId);
        byLeg.remove(legId, a);
        Channel leg = host.engine().channel(legId).orElse(null);
        if (leg == null) return;
        if (a.done) { // another member was first, or the caller left
            leg.hangup(HangupCause.NORMAL_CLEARING);
            return;
        }
        a.done = true;
        byCaller.remove(a.caller.id(), a);
        for (String other : List.copyOf(a.legs.keySet())) {
            byLeg.remove(other, a);
            host.engine().channel(other).filter(ch -> !ch.state().isFinal()).ifPresent(ch -> ch.hangup(HangupCause.ORIGINATOR_CANCEL));
        }
        a.legs.clear();
        host.answeredBy(a.enterpriseId, a.callId, leg, member);
        if (!a.group.ringAll()) return; // dialled: the engine bridged it
        try {
            host.engine().bridge(a.caller, leg);
        } catch (RuntimeException e) {
            log.info("ring group {}: caller {} gone before {} answered: {}", a.group.name(), a.callId, member, e.toString());
            leg.hangup(HangupCause.NORMAL_CLEARING);
        }
    }

    private void memberEnded(Attempt a, String legId) {
        byLeg.remove(legId, a);
        if (a.legs.remove(legId) == null) return;
        if (a.pickedUp != null) { // linear: the picked leg ended, the caller is free for the picker
            if (!a.caller.state().isFinal()) a.pickedUp.accept(a.caller);
            return;
        }
        if (a.done || a.caller.state().isFinal()) return;
        if (a.group.page()) {
            if (a.legs.isEmpty()) endPage(a, HangupCause.NORMAL_CLEARING); // every member left
            return;
        }
        if (a.group.ringAll()) {
            if (a.legs.isEmpty()) failed(a);
        } else {
            dialNext(a);
        }
    }

    /** A ring-group call picked up: its call, the member whose phone rang and that phone's leg. */
    record Picked(String callId, String extension, String legId) {}

    /**
     * PBX-4: a pickup of a ring-group call (not a page) ringing a member's phone that {@code ringing} accepts: every member
     * stops ringing and the caller is handed to {@code to} once it is free (at once for ring all, whose caller is answered;
     * once the dialled leg has ended for linear). Empty when no such call rings.
     */
    Optional<Picked> pickup(long enterpriseId, Predicate<String> ringing, Consumer<Channel> to) {
        for (Attempt a : byCaller.values()) {
            if (a.enterpriseId != enterpriseId || a.group.page()) continue;
            synchronized (a) {
                if (a.done || a.pickedUp != null) continue;
                Map.Entry<String, String> leg = a.legs.entrySet().stream().filter(e -> ringing.test(e.getValue())
                        && host.engine().channel(e.getKey()).map(ch -> !ch.state().isAnswered() && !ch.state().isFinal()).orElse(false))
                        .findFirst().orElse(null);
                if (leg == null) continue;
                a.done = true;
                a.pickedUp = to;
                byCaller.remove(a.caller.id(), a);
                boolean dialled = !a.group.ringAll();
                for (String other : List.copyOf(a.legs.keySet())) {
                    if (!dialled) byLeg.remove(other, a);
                    host.engine().channel(other).filter(ch -> !ch.state().isFinal()).ifPresent(ch -> ch.hangup(HangupCause.ORIGINATOR_CANCEL));
                }
                if (!dialled) {
                    a.legs.clear();
                    a.caller.stopPlayback();
                    to.accept(a.caller);
                }
                return Optional.of(new Picked(a.callId, leg.getValue(), leg.getKey()));
            }
        }
        return Optional.empty();
    }

    /** PBX-4: true when a ring-group call (not a page) rings a member's phone that {@code ringing} accepts ({@link #pickup} would take one). */
    boolean ringing(long enterpriseId, Predicate<String> ringing) {
        for (Attempt a : byCaller.values()) {
            if (a.enterpriseId != enterpriseId || a.group.page()) continue;
            synchronized (a) {
                if (a.done || a.pickedUp != null) continue;
                if (a.legs.entrySet().stream().anyMatch(e -> ringing.test(e.getValue())
                        && host.engine().channel(e.getKey()).map(ch -> !ch.state().isAnswered() && !ch.state().isFinal()).orElse(false))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Calls ringing a group now (for tests and monitoring). */
    int active() {
        return byCaller.size();
    }

    private static AudioClip ringTone() {
        int rate = AudioClip.SAMPLE_RATE;
        short[] s = new short[rate * 5];
        for (int i = 0; i < rate; i++) {
            s[i] = (short) (5000 * Math.sin(2 * Math.PI * 450 * i / rate));
        }
        return AudioClip.of(s);
    }
}
