package dev.hotline.call;

import dev.hotline.acd.Acd;
import dev.hotline.acd.Device;
import dev.hotline.cti.CtiHub;
import dev.hotline.domain.DomainException;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallerId;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.PeerHangup;
import dev.hotline.engine.call.Target;
import dev.hotline.report.CallLogEvent;
import dev.hotline.routing.CallBook;
import dev.hotline.routing.CallBook.Call;
import dev.hotline.routing.RoutingData;
import dev.hotline.survey.Surveys;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AGENT-3: the agent moves a live call to another of their devices (browser phone, SIP phone, mobile through the
 * outbound routes) without the customer noticing more than a moment of silence. The customer's leg stays: the new
 * device is called (showing the customer's number); when it answers, the customer is taken out of the bridge with the
 * old device, bridged with the new one, the ACD and the desk follow the new leg, and the old leg ends. When the new
 * device does not answer (or the customer or agent hangs up first), nothing changes. The customer never gets a BYE.
 *
 * <p>Runs on the call's event thread (the engine's events of one call come in order); a switch moves through
 * {@link Phase} by {@link Switch#move} only.
 */
final class DeviceSwitches {
    private static final Logger log = LoggerFactory.getLogger(DeviceSwitches.class);

    /** Where a switch is. */
    enum Phase {
        /** The new device rings. */
        RINGING,
        /** It answered; the old bridge is being split. */
        SPLITTING,
        /** The customer talks on the new device. */
        DONE,
        /** The new device did not answer, or a party left: the call stays where it was. */
        FAILED;

        boolean canMoveTo(Phase next) {
            return switch (this) {
                case RINGING -> next == SPLITTING || next == FAILED;
                case SPLITTING -> next == DONE || next == FAILED;
                case DONE, FAILED -> false;
            };
        }
    }

    static final class Switch {
        final long enterpriseId;
        final long userId;
        final String callId;
        final Channel agent;
        final Channel customer;
        final Device.Kind to;
        volatile Channel leg;
        private Phase phase = Phase.RINGING;

        Switch(long enterpriseId, long userId, String callId, Channel agent, Channel customer, Device.Kind to) {
            this.enterpriseId = enterpriseId;
            this.userId = userId;
            this.callId = callId;
            this.agent = agent;
            this.customer = customer;
            this.to = to;
        }

        synchronized Phase phase() {
            return phase;
        }

        /** The one place a switch changes phase; an illegal move is a bug. Returns false when it is already over. */
        synchronized boolean move(Phase next) {
            if (phase == Phase.DONE || phase == Phase.FAILED) return false;
            if (!phase.canMoveTo(next)) throw new IllegalStateException("device switch " + phase + " -> " + next);
            phase = next;
            return true;
        }
    }

    private final RoutingData data;
    private final CallBook book;
    private final Acd acd;
    private final CtiHub cti;
    private final Devices devices;
    private final Duration ringTimeout;
    private final Surveys surveys;
    /** The agent's current leg → its switch in progress. */
    private final Map<String, Switch> byAgentLeg = new ConcurrentHashMap<>();
    /** The new device's leg → its switch, until done or failed. */
    private final Map<String, Switch> byNewLeg = new ConcurrentHashMap<>();

    DeviceSwitches(RoutingData data, CallBook book, Acd acd, CtiHub cti, Devices devices, Duration ringTimeout, Surveys surveys) {
        this.data = data;
        this.book = book;
        this.acd = acd;
        this.cti = cti;
        this.devices = devices;
        this.ringTimeout = ringTimeout;
        this.surveys = surveys;
    }

    /** Calls the agent's {@code device} for the call on {@code agentLeg}; returns the new leg's id. */
    String start(long enterpriseId, long userId, String agentLeg, Device device) {
        if (byAgentLeg.containsKey(agentLeg)) throw DomainException.conflict("the call is being moved already");
        Channel agent = data.engine().channel(agentLeg).orElseThrow(() -> DomainException.notFound("call"));
        Channel customer = agent.bridgedWith().orElseThrow(() -> DomainException.conflict("the call is not connected: nothing to move"));
        Call c = book.find(customer.id()).orElseThrow(() -> DomainException.notFound("call"));
        Target target = devices.target(enterpriseId, device).orElseThrow(() -> DomainException.conflict(switch (device.kind()) {
            case SIP -> "your SIP phone is not registered";
            case WEBRTC -> "your browser phone is not connected";
            case EXTERNAL -> "no outbound route for " + device.number();
        }));
        if (agent.target().map(target::equals).orElse(false)) throw DomainException.conflict("the call is on that device already");
        Switch s = new Switch(enterpriseId, userId, c.callId(), agent, customer, device.kind());
        byAgentLeg.put(agentLeg, s);
        String shown = customer.caller() != null ? customer.caller().user() : null;
        DialRequest req = DialRequest.to(target).withTimeout(ringTimeout);
        if (shown != null && !shown.isBlank()) req = req.withCallerId(CallerId.of(shown));
        try {
            Channel leg = data.engine().originate(req, l -> {
                byNewLeg.put(l.id(), s);
                s.leg = l;
                book.join(c, l, "device " + device.kind().key());
            });
            s.leg = leg;
            book.record(c, new CallLogEvent.Transfer(enterpriseId, c.callId(), book.now(), agentLeg, "device", device.kind().key()));
            log.info("{}: moving the call of {} to the {} device ({})", c.callId(), agentLeg, device.kind().key(), leg.id());
            return leg.id();
        } catch (RuntimeException e) {
            byAgentLeg.remove(agentLeg);
            throw e;
        }
    }

    /** Every engine event of the call (its event thread). */
    void onEvent(CallEvent e) {
        Switch s = byNewLeg.get(e.channelId());
        if (s != null) {
            if (e instanceof CallEvent.ChannelRinging && s.to == Device.Kind.WEBRTC) {
                s.leg.answer(); // back to the browser: the agent asked for it, no second click
            } else if (e instanceof CallEvent.ChannelAnswered && s.move(Phase.SPLITTING)) {
                data.engine().unbridge(s.agent);
            } else if (e instanceof CallEvent.ChannelHungUp h) {
                byNewLeg.remove(e.channelId());
                if (s.move(Phase.FAILED)) fail(s, "the " + s.to.key() + " device did not take the call: " + h.cause().name().toLowerCase());
            }
            return;
        }
        if (e instanceof CallEvent.ChannelUnbridged u) {
            Switch k = byAgentLeg.get(u.channelId());
            if (k == null) k = byAgentLeg.get(u.otherChannelId());
            if (k != null && k.phase() == Phase.SPLITTING && Set.of(u.channelId(), u.otherChannelId()).contains(k.customer.id())) {
                complete(k);
            }
            return;
        }
        if (e instanceof CallEvent.ChannelHungUp) {
            // The agent's old leg or the customer ended while the new device rang: the switch is off.
            Switch k = byAgentLeg.get(e.channelId());
            if (k == null) {
                for (Switch x : byAgentLeg.values()) if (x.customer.id().equals(e.channelId())) k = x;
            }
            if (k != null && k.move(Phase.FAILED)) {
                Channel leg = k.leg;
                if (leg != null) leg.hangup(HangupCause.NORMAL_CLEARING);
                byAgentLeg.remove(k.agent.id(), k);
            }
        }
    }

    /** The new device answered and the old bridge is split: the customer talks on the new one; the old leg ends. */
    private void complete(Switch s) {
        Channel leg = s.leg;
        if (s.customer.state().isFinal() || leg.state().isFinal()) {
            if (s.move(Phase.FAILED)) {
                leg.hangup(HangupCause.NORMAL_CLEARING);
                if (!s.customer.state().isFinal()) data.engine().bridge(s.customer, s.agent);
                byAgentLeg.remove(s.agent.id(), s);
            }
            return;
        }
        if (!s.move(Phase.DONE)) return;
        byNewLeg.remove(leg.id());
        byAgentLeg.remove(s.agent.id(), s);
        // MSG-4: a customer waiting for the queue's survey outlives the new device's hang-up as it did the old one's.
        boolean surveyed = surveys.agentMoved(s.customer.id(), s.agent.id(), leg.id());
        data.engine().bridge(s.customer, leg, surveyed ? PeerHangup.STAY : PeerHangup.FOLLOW);
        // The ACD and the desk follow the new leg before the old one ends (the agent stays on the call, no wrap-up).
        acd.moveLeg(s.enterpriseId, s.userId, s.agent.id(), leg.id());
        cti.legMoved(s.agent.id(), leg.id(), s.to.key());
        book.find(s.customer.id()).ifPresent(c -> book.record(c,
                new CallLogEvent.Transfer(s.enterpriseId, s.callId, book.now(), leg.id(), "device_done", s.to.key())));
        s.agent.hangup(HangupCause.NORMAL_CLEARING);
        log.info("{}: the call moved to the {} device ({})", s.callId, s.to.key(), leg.id());
    }

    private void fail(Switch s, String why) {
        byAgentLeg.remove(s.agent.id(), s);
        book.find(s.customer.id()).ifPresent(c -> book.record(c,
                new CallLogEvent.Transfer(s.enterpriseId, s.callId, book.now(), s.agent.id(), "device_failed", s.to.key())));
        cti.legMoveFailed(s.agent.id(), s.to.key(), why);
        log.info("{}: the call stays on {}: {}", s.callId, s.agent.id(), why);
    }
}
