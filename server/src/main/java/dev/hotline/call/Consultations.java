package dev.hotline.call;

import dev.hotline.acd.Acd;
import dev.hotline.cti.CtiHub;
import dev.hotline.domain.DomainException;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallerId;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.Conference;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.Target;
import dev.hotline.recording.MediaFiles;
import dev.hotline.report.CallLogEvent;
import dev.hotline.routing.CallBook;
import dev.hotline.routing.CallBook.Call;
import dev.hotline.routing.RoutingData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * AGENT-2 consultations: the customer waits on hold while the agent talks with the consulted party
 * in a small conference (hang-ups there end nobody else); it ends in a transfer, a three-party
 * call, or the agent back with the customer. Three-party rooms end when one participant is left.
 */
final class Consultations {

    private record Consult(long enterpriseId, String callId, Channel agent, Channel customer, Conference room, String to,
                           AtomicReference<Channel> other) {}

    /** A three-party room and who is still in it. */
    private record ThreeParty(Conference room, Set<String> members) {}

    private final RoutingData data;
    private final CallBook book;
    private final Acd acd;
    private final CtiHub cti;
    private final MediaFiles files;
    private final Colleagues colleagues;
    private final LegSplitter splitter;
    private final Duration ringTimeout;
    /** Agent's leg → its consultation. */
    private final Map<String, Consult> consults = new ConcurrentHashMap<>();
    /** Consulted leg → its consultation, until it answers or ends. */
    private final Map<String, Consult> consultLegs = new ConcurrentHashMap<>();
    private final Map<String, ThreeParty> threeParty = new ConcurrentHashMap<>();

    Consultations(RoutingData data, CallBook book, Acd acd, CtiHub cti, MediaFiles files, Colleagues colleagues, LegSplitter splitter,
                  Duration ringTimeout) {
        this.data = data;
        this.book = book;
        this.acd = acd;
        this.cti = cti;
        this.files = files;
        this.colleagues = colleagues;
        this.splitter = splitter;
        this.ringTimeout = ringTimeout;
    }

    /** Puts the customer on hold and calls {@code to} for the agent; returns the consulted leg's id. */
    String consult(long enterpriseId, long userId, String agentLeg, String to) {
        if (consults.containsKey(agentLeg)) throw DomainException.conflict("a consultation is already in progress");
        Channel agent = data.engine().channel(agentLeg).orElseThrow(() -> DomainException.notFound("call"));
        Channel customer = agent.bridgedWith().orElseThrow(() -> DomainException.conflict("no one to put on hold"));
        Call c = book.find(customer.id()).orElseThrow(() -> DomainException.notFound("call"));
        String ownExtension = data.extensionOfUser(enterpriseId, userId).orElse(null);
        Target target = colleagues.reach(enterpriseId, to, ownExtension);
        splitter.split(agent, "the call could not be split");
        customer.hold(files.musicFolder(enterpriseId));
        // Logged on the agent's leg: the party who holds (as a phone's or the desk's hold), so the reports count it as the agent's.
        book.record(c, new CallLogEvent.Hold(enterpriseId, c.callId(), book.now(), agent.id(), true));
        var room = data.engine().createConference("consult-" + agentLeg);
        room.add(agent);
        Consult k = new Consult(enterpriseId, c.callId(), agent, customer, room, to, new AtomicReference<>());
        consults.put(agentLeg, k);
        DialRequest req = DialRequest.to(target).withTimeout(ringTimeout)
                .withCallerId(CallerId.of(ownExtension != null ? ownExtension : String.valueOf(userId)));
        Channel other = data.engine().originate(req, leg -> {
            cti.expectLeg(leg.id());
            cti.consulting(leg.id(), agentLeg);
            consultLegs.put(leg.id(), k);
            book.join(c, leg, "consult " + to);
        });
        k.other().set(other);
        book.record(c, new CallLogEvent.Transfer(enterpriseId, c.callId(), book.now(), agentLeg, "consult", to));
        colleagues.userOf(enterpriseId, to).ifPresent(u -> {
            acd.busy(enterpriseId, u, c.callId(), other.id());
            cti.ownCall(enterpriseId, u, c.callId(), other.id(), "internal", ownExtension);
        });
        return other.id();
    }

    void cancel(String agentLeg) {
        Consult k = consults.remove(agentLeg);
        if (k == null) throw DomainException.conflict("no consultation in progress");
        Channel other = k.other().get();
        if (other != null) {
            consultLegs.remove(other.id());
            other.hangup(HangupCause.NORMAL_CLEARING);
        }
        backToCustomer(k);
    }

    /** Attended transfer: the customer and the consulted party talk; the agent leaves. */
    void complete(String agentLeg) {
        Consult k = consults.get(agentLeg);
        Channel other = answered(k);
        consults.remove(agentLeg);
        consultLegs.remove(other.id());
        k.room().close();
        k.customer().unhold();
        data.engine().bridge(k.customer(), other);
        log(k, new CallLogEvent.Transfer(k.enterpriseId(), k.callId(), book.now(), agentLeg, "attended", k.to()));
        k.agent().hangup(HangupCause.NORMAL_CLEARING);
    }

    /** Three-party: the customer joins the agent and the consulted party; anyone may leave, the last one is hung up. */
    void conference(String agentLeg) {
        Consult k = consults.get(agentLeg);
        Channel other = answered(k);
        consults.remove(agentLeg);
        consultLegs.remove(other.id());
        k.customer().unhold();
        k.room().add(k.customer());
        log(k, new CallLogEvent.Hold(k.enterpriseId(), k.callId(), book.now(), k.agent().id(), false));
        Set<String> members = ConcurrentHashMap.newKeySet();
        members.addAll(List.of(k.customer().id(), k.agent().id(), other.id()));
        threeParty.put(k.room().id(), new ThreeParty(k.room(), members));
        log(k, new CallLogEvent.Transfer(k.enterpriseId(), k.callId(), book.now(), agentLeg, "conference", k.to()));
    }

    /** The consulted leg, answered; refused otherwise. */
    private static Channel answered(Consult k) {
        Channel other = k == null ? null : k.other().get();
        if (k == null || other == null || other.state() != ChannelState.UP) {
            throw DomainException.conflict("the consulted party has not answered");
        }
        return other;
    }

    private void backToCustomer(Consult k) {
        k.room().close();
        if (k.customer().state().isFinal() || k.agent().state().isFinal()) {
            if (!k.customer().state().isFinal()) k.customer().hangup(HangupCause.NORMAL_CLEARING);
            return;
        }
        k.customer().unhold();
        data.engine().bridge(k.customer(), k.agent());
        log(k, new CallLogEvent.Hold(k.enterpriseId(), k.callId(), book.now(), k.agent().id(), false));
    }

    private void log(Consult k, CallLogEvent e) {
        book.find(k.customer().id()).ifPresent(c -> book.record(c, e));
    }

    // --- events

    void onEvent(CallEvent event) {
        consultedLeg(event);
        agentLeft(event);
        threePartyLeft(event);
    }

    /** The consulted party answered (joins the agent) or ended (the agent goes back to the customer). */
    private void consultedLeg(CallEvent event) {
        Consult k = consultLegs.get(event.channelId());
        if (k == null) return;
        if (event instanceof CallEvent.ChannelAnswered) {
            data.engine().channel(event.channelId()).ifPresent(k.room()::add);
        } else if (event instanceof CallEvent.ChannelHungUp) {
            consultLegs.remove(event.channelId());
            if (consults.remove(k.agent().id(), k)) backToCustomer(k);
        }
    }

    /** The agent hung up during a consultation: an answered consulted party takes the customer (transfer on hang-up). */
    private void agentLeft(CallEvent event) {
        if (!(event instanceof CallEvent.ChannelHungUp)) return;
        Consult k = consults.remove(event.channelId());
        if (k == null) return;
        Channel other = k.other().get();
        k.room().close();
        if (other != null) consultLegs.remove(other.id());
        if (other != null && other.state() == ChannelState.UP && !k.customer().state().isFinal()) {
            k.customer().unhold();
            data.engine().bridge(k.customer(), other);
            log(k, new CallLogEvent.Transfer(k.enterpriseId(), k.callId(), book.now(), k.agent().id(), "attended", k.to()));
        } else {
            if (other != null) other.hangup(HangupCause.NORMAL_CLEARING);
            if (!k.customer().state().isFinal()) k.customer().hangup(HangupCause.NORMAL_CLEARING);
        }
    }

    /** When one participant is left in a three-party room, they are hung up and the room closes. */
    private void threePartyLeft(CallEvent event) {
        if (!(event instanceof CallEvent.ChannelHungUp)) return;
        for (ThreeParty t : threeParty.values()) {
            if (!t.members().remove(event.channelId()) || t.members().size() > 1) continue;
            threeParty.remove(t.room().id());
            t.room().close();
            t.members().forEach(id -> data.engine().channel(id).ifPresent(ch -> ch.hangup(HangupCause.NORMAL_CLEARING)));
        }
    }
}
