package dev.hotline.supervision;

import dev.hotline.acd.Acd;
import dev.hotline.acd.AgentView;
import dev.hotline.acd.Device;
import dev.hotline.call.Devices;
import dev.hotline.call.LegSplitter;
import dev.hotline.cti.CtiHub;
import dev.hotline.domain.DomainException;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallerId;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.Tap;
import dev.hotline.engine.call.TapMode;
import dev.hotline.engine.call.Target;
import dev.hotline.report.CallLogEvent;
import dev.hotline.routing.CallBook;
import dev.hotline.routing.RoutingData;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SUP-2: a supervisor listens to, whispers to or barges into an agent's call from their own phone
 * (the device they are signed in on at the desk, else their extension's registered phone), switches
 * between the three during the call, takes the call over, or hangs it up. The supervisor's phone is
 * called first; once it answers, the engine taps the agent's leg. Every step is an event of the call
 * ({@link CallLogEvent.Supervised}); the routes log them in the operation log.
 *
 * <p>A supervisor on a call of their own when they start is not refused: their phone gets the supervision's call as a
 * second call (call waiting), and the ACD keeps them on their own call ({@link Acd#supervising}); if that call ends first
 * they are on the supervised call until they leave, if the supervised call ends first they stay on their own call; either
 * way they are ready (or in wrap-up / not ready as asked) once both ended.
 */
public final class Supervision {
    private static final Logger log = LoggerFactory.getLogger(Supervision.class);

    /** What the supervisor does on the call. */
    public enum Mode {
        /** Hears both parties; heard by none. */
        LISTEN(TapMode.LISTEN),
        /** Hears both parties; heard by the agent only. */
        WHISPER(TapMode.WHISPER),
        /** Hears both parties; heard by both. */
        BARGE(TapMode.BARGE);

        private final TapMode tap;

        Mode(TapMode tap) {
            this.tap = tap;
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The mode named {@code key} (listen, whisper, barge); a 400 for anything else. */
        public static Mode parse(String key) {
            for (Mode m : values()) if (m.key().equals(key)) return m;
            throw DomainException.invalid("mode", "listen, whisper or barge");
        }
    }

    /** Where a supervision stands: the supervisor's phone rings, the tap is on, or it ended. */
    public enum State {
        RINGING, ACTIVE, ENDED;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A supervision as the API shows it; {@code id} is the supervisor's leg. */
    public record View(String id, long supervisorUserId, long agentUserId, String callId, String mode, String state) {}

    private static final class Session {
        final String id;
        final long enterpriseId;
        final long supervisorUserId;
        final long agentUserId;
        final String callId;
        final Channel agentLeg;
        final Channel supervisorLeg;
        /** Whether the agent's desk is told (the enterprise's setting when the supervision began). */
        final boolean tell;
        Mode mode;
        Tap tap;
        State state = State.RINGING;

        Session(long enterpriseId, long supervisorUserId, long agentUserId, String callId, Channel agentLeg, Channel supervisorLeg, Mode mode,
                boolean tell) {
            this.id = supervisorLeg.id();
            this.enterpriseId = enterpriseId;
            this.supervisorUserId = supervisorUserId;
            this.agentUserId = agentUserId;
            this.callId = callId;
            this.agentLeg = agentLeg;
            this.supervisorLeg = supervisorLeg;
            this.mode = mode;
            this.tell = tell;
        }

        synchronized View view() {
            return new View(id, supervisorUserId, agentUserId, callId, mode.key(), state.key());
        }
    }

    private final RoutingData data;
    private final CallBook book;
    private final Acd acd;
    private final CtiHub cti;
    private final Jdbi jdbi;
    private final Devices devices;
    private final LegSplitter splitter;
    private final Duration ringTimeout;
    /** Supervisor's leg → its session, until it ends or takes the call over. */
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public Supervision(RoutingData data, CallBook book, Acd acd, CtiHub cti, Jdbi jdbi, Duration ringTimeout) {
        this.data = data;
        this.book = book;
        this.acd = acd;
        this.cti = cti;
        this.jdbi = jdbi;
        this.devices = new Devices(data);
        this.splitter = new LegSplitter(data);
        this.ringTimeout = ringTimeout;
    }

    /** Calls the supervisor's phone; once answered, it is on the agent's call in {@code mode}. */
    public View start(long enterpriseId, long supervisorUserId, long agentUserId, Mode mode) {
        if (supervisorUserId == agentUserId) throw DomainException.conflict("you cannot supervise your own call");
        AgentView agent = acd.agentView(enterpriseId, agentUserId).orElseThrow(() -> DomainException.notFound("agent"));
        Channel agentLeg = agentLeg(enterpriseId, agentUserId);
        String callId = book.find(agentLeg.id()).map(CallBook.Call::callId).orElseThrow(() -> DomainException.conflict("the agent is not on a call"));
        boolean already = sessions.values().stream().anyMatch(s -> s.agentLeg.id().equals(agentLeg.id()) && s.supervisorUserId == supervisorUserId);
        if (already) throw DomainException.conflict("you are already on this call");
        Phone phone = supervisorPhone(enterpriseId, supervisorUserId);
        String shown = agent.jobNumber() != null ? agent.jobNumber() : agent.extension() != null ? agent.extension() : String.valueOf(agentUserId);
        DialRequest req = DialRequest.to(phone.target()).withTimeout(ringTimeout).withCallerId(CallerId.of(shown));
        boolean tell = jdbi.withHandle(h -> SupervisionSettings.load(h, enterpriseId)).tellAgent();
        Session[] made = new Session[1];
        Channel leg = data.engine().originate(req, l -> {
            if (phone.desk()) cti.expectLeg(l.id());
            // A ready supervisor is busy until their leg ends: no queue call is offered to them meanwhile (ACD-8).
            acd.supervising(enterpriseId, supervisorUserId, callId, l.id());
            made[0] = new Session(enterpriseId, supervisorUserId, agentUserId, callId, agentLeg, l, mode, tell);
            sessions.put(l.id(), made[0]);
        });
        // The supervisor's desk follows the leg of its device: a browser phone is answered from the desk's banner.
        if (phone.desk()) cti.ownCall(enterpriseId, supervisorUserId, leg.id(), leg.id(), "internal", shown);
        return made[0].view();
    }

    /** Switches listen, whisper and barge; before the supervisor's phone answers, the mode it will join in. */
    public View mode(long enterpriseId, String id, Mode mode) {
        Session s = session(enterpriseId, id);
        synchronized (s) {
            s.mode = mode;
            if (s.tap != null) {
                s.tap.mode(mode.tap);
                record(s, mode.key());
                tellAgent(s, mode.key());
            }
        }
        return s.view();
    }

    /** The supervisor leaves; the agent and the customer go on as before. */
    public View stop(long enterpriseId, String id) {
        Session s = session(enterpriseId, id);
        s.supervisorLeg.hangup(HangupCause.NORMAL_CLEARING); // the hang-up event ends the tap and logs it
        return s.view();
    }

    /** The supervisor takes the call: the customer talks with them, the agent's leg ends. */
    public View takeOver(long enterpriseId, String id) {
        Session s = session(enterpriseId, id);
        Channel customer;
        synchronized (s) {
            if (s.state != State.ACTIVE) throw DomainException.conflict("your phone has not answered yet");
            customer = s.agentLeg.bridgedWith().orElseThrow(() -> DomainException.conflict("the agent is not talking to anyone"));
            sessions.remove(s.id);
            s.state = State.ENDED;
            if (s.tap != null) s.tap.stop();
            s.tap = null;
        }
        splitter.split(s.agentLeg, "the call could not be taken over");
        book.find(customer.id()).ifPresent(c -> book.join(c, s.supervisorLeg, "takeover"));
        data.engine().bridge(customer, s.supervisorLeg);
        record(s, "takeover");
        s.agentLeg.hangup(HangupCause.NORMAL_CLEARING);
        return new View(s.id, s.supervisorUserId, s.agentUserId, s.callId, s.mode.key(), "taken_over");
    }

    /** Ends the agent's call for both parties. */
    public void hangUp(long enterpriseId, long supervisorUserId, long agentUserId) {
        acd.agentView(enterpriseId, agentUserId).orElseThrow(() -> DomainException.notFound("agent"));
        Channel agentLeg = agentLeg(enterpriseId, agentUserId);
        book.find(agentLeg.id()).ifPresent(c -> book.record(c, new CallLogEvent.Supervised(enterpriseId, c.callId(), book.now(),
                agentLeg.id(), supervisorUserId, "hangup")));
        agentLeg.bridgedWith().ifPresent(ch -> ch.hangup(HangupCause.NORMAL_CLEARING));
        agentLeg.hangup(HangupCause.NORMAL_CLEARING);
    }

    /** The enterprise's supervisions in progress. */
    public List<View> list(long enterpriseId) {
        return sessions.values().stream().filter(s -> s.enterpriseId == enterpriseId).map(Session::view)
                .sorted(Comparator.comparing(View::id)).toList();
    }

    // ================================================================ engine events

    public void onEvent(CallEvent event) {
        splitter.onEvent(event);
        Session own = sessions.get(event.channelId());
        if (own != null) {
            if (event instanceof CallEvent.ChannelAnswered) answered(own);
            else if (event instanceof CallEvent.ChannelHungUp) supervisorLeft(own);
            return;
        }
        if (event instanceof CallEvent.ChannelHungUp || event instanceof CallEvent.ChannelUnbridged) {
            // The agent's call ended or was split (a transfer, a consultation): whoever listened is hung up.
            for (Session s : sessions.values()) {
                if (s.agentLeg.id().equals(event.channelId())) s.supervisorLeg.hangup(HangupCause.NORMAL_CLEARING);
            }
        }
    }

    private void answered(Session s) {
        synchronized (s) {
            if (s.state != State.RINGING) return;
            try {
                s.tap = data.engine().tap(s.agentLeg, s.supervisorLeg, s.mode.tap);
                s.state = State.ACTIVE;
            } catch (IllegalStateException e) {
                log.info("supervision {} of {} could not start: {}", s.id, s.agentLeg.id(), e.getMessage());
                s.supervisorLeg.hangup(HangupCause.NORMAL_CLEARING);
                return;
            }
        }
        record(s, s.mode.key());
        tellAgent(s, s.mode.key());
    }

    private void supervisorLeft(Session s) {
        boolean wasActive;
        synchronized (s) {
            if (!sessions.remove(s.id, s)) return;
            wasActive = s.state == State.ACTIVE;
            s.state = State.ENDED;
            if (s.tap != null) s.tap.stop();
            s.tap = null;
        }
        if (wasActive) {
            record(s, "end");
            tellAgent(s, null);
        }
    }

    // ================================================================ helpers

    private Session session(long enterpriseId, String id) {
        Session s = sessions.get(id);
        if (s == null || s.enterpriseId != enterpriseId) throw DomainException.notFound("supervision");
        return s;
    }

    private Channel agentLeg(long enterpriseId, long agentUserId) {
        String legId = acd.talkingLeg(enterpriseId, agentUserId).orElseThrow(() -> DomainException.conflict("the agent is not on a call"));
        Channel leg = data.engine().channel(legId).orElseThrow(() -> DomainException.conflict("the agent is not on a call"));
        if (leg.state() != ChannelState.UP || leg.bridgedWith().isEmpty()) throw DomainException.conflict("the agent is not talking to anyone");
        return leg;
    }

    /** Where the supervisor is called: {@code desk}, the device they are signed in on at the desk (which then shows the leg). */
    private record Phone(Target target, boolean desk) {}

    /** The supervisor's desk device when they are signed in on one that can ring, else their extension's registered phone. */
    private Phone supervisorPhone(long enterpriseId, long userId) {
        Optional<Target> desk = acd.agentView(enterpriseId, userId).filter(v -> v.device() != null)
                .flatMap(v -> Device.Kind.parse(v.device()).map(k -> new Device(k, v.deviceNumber())))
                .flatMap(d -> devices.target(enterpriseId, d));
        if (desk.isPresent()) return new Phone(desk.get(), true);
        return data.extensionOfUser(enterpriseId, userId).flatMap(x -> data.registered(enterpriseId, x).map(t -> new Phone(t, false)))
                .orElseThrow(() -> DomainException.conflict("no phone to supervise from: sign in on the desk or register your extension's phone"));
    }

    /** Where the enterprise says so, the agent's desk is told who listens how (null: nobody any more). */
    private void tellAgent(Session s, String mode) {
        if (s.tell) cti.supervised(s.agentUserId, s.agentLeg.id(), mode);
    }

    private void record(Session s, String action) {
        book.find(s.agentLeg.id()).ifPresent(c -> book.record(c, new CallLogEvent.Supervised(s.enterpriseId, c.callId(), book.now(),
                s.agentLeg.id(), s.supervisorUserId, action)));
    }
}
