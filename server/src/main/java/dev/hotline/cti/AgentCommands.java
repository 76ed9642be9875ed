package dev.hotline.cti;

import dev.hotline.acd.Acd;
import dev.hotline.acd.AgentDesk;
import dev.hotline.acd.AgentView;
import dev.hotline.acd.Device;
import dev.hotline.acd.QueueStore;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.masking.Masking;
import java.util.List;
import java.util.Optional;

/**
 * What an agent's desk can ask (API-2, docs/cti.md "Commands"), without the transport: the CTI
 * channel parses a message and calls one method here. Session and state go to the {@link AgentDesk}
 * (which the {@code /agent/*} routes use too); call control goes to the call router through
 * {@link CtiHub.Calls} and is shown through {@link DeskCalls}. Runs on the CTI thread; refusals are
 * {@link DomainException}s, which the transport translates.
 */
public final class AgentCommands {
    private final Masking masking;
    private final AgentDesk desk;
    private final Acd acd;
    private final DeskCalls deskCalls;
    private volatile CtiHub.Calls calls;

    public AgentCommands(AgentDesk desk, Acd acd, DeskCalls deskCalls, Masking masking) {
        this.masking = masking;
        this.desk = desk;
        this.acd = acd;
        this.deskCalls = deskCalls;
    }

    void attach(CtiHub.Calls calls) {
        this.calls = calls;
    }

    /** What a desk is told when it connects: the agent, their calls, the reason codes, the browser phone. */
    public record Hello(AgentView agent, List<CallView> calls, List<QueueStore.ReasonCode> reasons, boolean webRtcConnected) {}

    public Hello hello(long enterpriseId, long userId) {
        return new Hello(desk.live(enterpriseId, userId).orElse(null), deskCalls.of(userId), desk.reasons(enterpriseId),
                calls != null && calls.webRtcConnected(Acd.webRtcKey(userId)));
    }

    // ================================================================ session and state

    public AgentView login(long enterpriseId, long userId, String device, String number) {
        return desk.login(enterpriseId, userId, device, number, "agent");
    }

    /** Logs out and closes the browser phone's connection. */
    public AgentView logout(long enterpriseId, long userId) {
        AgentView v = desk.logout(enterpriseId, userId, "agent");
        calls.webRtcDisconnect(Acd.webRtcKey(userId));
        return v;
    }

    /** Ready, or not ready with a reason code (the desk logs out with {@link #logout}). */
    public AgentView state(long enterpriseId, long userId, String state, String reason) {
        if ("logged_out".equals(state)) throw DomainException.badRequest("state must be ready or not_ready");
        return desk.changeState(enterpriseId, userId, state, reason, "agent");
    }

    /** Opens (or replaces) the browser phone's connection; returns the SDP answer. {@code opus}: the enterprise's MEDIA-6 switch. */
    public String webRtcOffer(long userId, String sdp, boolean opus) {
        if (sdp.length() > 20_000) throw DomainException.badRequest("sdp: too long");
        return calls.webRtcConnect(Acd.webRtcKey(userId), sdp, opus);
    }

    // ================================================================ calls

    /** Answers a ringing call on the browser phone (a SIP or outside phone is answered on the phone). */
    public void answer(long enterpriseId, long userId, String legId) {
        CallView c = own(userId, legId);
        if (!"ringing".equals(c.state())) throw DomainException.conflict("the call is not ringing");
        AgentView a = acd.agentView(enterpriseId, userId).orElseThrow();
        if (!"webrtc".equals(a.device())) throw DomainException.conflict("answer on your " + a.device() + " phone");
        leg(c).answer();
    }

    public void reject(long userId, String legId) {
        CallView c = own(userId, legId);
        if (!"ringing".equals(c.state())) throw DomainException.conflict("the call is not ringing");
        leg(c).hangup(HangupCause.CALL_REJECTED);
    }

    public void hangup(long userId, String legId) {
        leg(own(userId, legId)).hangup(HangupCause.NORMAL_CLEARING);
    }

    /** Holds ({@code held}) or resumes the other party. */
    public void hold(long userId, String legId, boolean held) {
        CallView c = talking(userId, legId);
        if (c.internal()) throw DomainException.conflict("internal calls cannot be held");
        calls.hold(c.legId(), held);
        deskCalls.update(c.with(held ? "held" : "talking"), held ? "call.held" : "call.resumed");
    }

    public void mute(long userId, String legId, boolean muted) {
        CallView c = talking(userId, legId);
        if (c.internal()) throw DomainException.conflict("internal calls cannot be muted");
        leg(c).mute(muted);
        deskCalls.update(c.withMuted(muted), "call.updated");
    }

    /** Sends keys to the other party. */
    public void dtmf(long userId, String legId, String digits) {
        CallView c = talking(userId, legId);
        if (!digits.matches("[0-9*#]{1,32}")) throw DomainException.badRequest("digits: 0-9 * #, up to 32");
        calls.peer(c.legId()).orElseThrow(() -> DomainException.conflict("no one to send keys to")).sendDtmf(digits);
    }

    /** The agent's notes on the call (AGENT-5: they travel with a transfer to a colleague). */
    public void notes(long userId, String legId, String text) {
        CallView c = own(userId, legId);
        if (text.length() > 2000) throw DomainException.badRequest("notes: at most 2000 characters");
        deskCalls.setNotes(c.callId(), text);
        deskCalls.update(c.withNotes(text), "call.updated");
    }

    /** Blind transfer: to a signed-in colleague through the ACD (AGENT-5), else to the extension or number. */
    public void transfer(long enterpriseId, long userId, String legId, String target) {
        String to = masking.real(enterpriseId, target, "to");
        CallView c = talking(userId, legId);
        if (c.internal()) throw DomainException.conflict("internal calls cannot be transferred");
        Channel caller = calls.peer(c.legId()).orElseThrow(() -> DomainException.conflict("no one to transfer"));
        Optional<Long> colleague = calls.userOf(enterpriseId, to);
        AgentView me = acd.agentView(enterpriseId, userId).orElseThrow();
        if (colleague.isPresent() && acd.agentView(enterpriseId, colleague.get()).map(a -> a.state().signedIn()).orElse(false)) {
            // AGENT-5: to a signed-in colleague through the ACD, with my job number and notes.
            calls.transfer(enterpriseId, c.legId(), null); // unbridges and ends my leg, keeps the caller
            acd.transferToAgent(enterpriseId, c.callId(), caller, c.caller(), colleague.get(),
                    new Acd.Transfer(userId, me.jobNumber(), me.name(), deskCalls.notes(c.callId())));
        } else {
            calls.transfer(enterpriseId, c.legId(), to);
        }
    }

    /** Puts the other party on hold and calls {@code to}; returns the consulted leg's id. */
    public String consult(long enterpriseId, long userId, String legId, String target) {
        String to = masking.real(enterpriseId, target, "to");
        CallView c = talking(userId, legId);
        if (c.internal()) throw DomainException.conflict("internal calls cannot be transferred");
        String other = calls.consult(enterpriseId, userId, c.legId(), to);
        deskCalls.update(c.withConsult(new CallView.Consultation(to, other, "ringing")).with("held"), "call.updated");
        return other;
    }

    /** How a consultation ends. */
    public enum ConsultEnd { COMPLETE, CONFERENCE, CANCEL }

    public void endConsult(long userId, String legId, ConsultEnd how) {
        CallView c = own(userId, legId);
        if (c.consult() == null) throw DomainException.conflict("no consultation in progress");
        switch (how) {
            case COMPLETE -> calls.completeConsult(c.legId());
            case CONFERENCE -> calls.conferenceConsult(c.legId());
            case CANCEL -> calls.cancelConsult(c.legId());
        }
        if (how != ConsultEnd.COMPLETE) deskCalls.update(c.withConsult(null).with("talking"), "call.updated");
    }

    /** IVR-4: the flows the agent may send a caller into for verification. */
    public List<String> verificationFlows(long enterpriseId) {
        return calls.verificationFlows(enterpriseId);
    }

    /** IVR-4: sends the caller into verification flow {@code flow}; the agent stays on the call and gets them back with the result. */
    public void verify(long enterpriseId, long userId, String legId, String flow) {
        CallView c = talking(userId, legId);
        if (c.internal()) throw DomainException.conflict("internal calls cannot be verified");
        if (flow.length() > 100) throw DomainException.invalid("flow", "at most 100 characters");
        calls.verify(enterpriseId, userId, c.legId(), flow);
    }

    /**
     * AGENT-3: moves the call on {@code legId} to another of the agent's devices: {@code sip} (their extension's phone),
     * {@code webrtc} (the browser phone) or {@code external} (their mobile, {@code number}, through the outbound routes).
     * The customer stays on the line; the old device's leg ends once the new one answers; without an answer nothing
     * changes. Returns the new device's leg id.
     */
    public String switchDevice(long enterpriseId, long userId, String legId, String deviceKey, String asked) {
        CallView c = talking(userId, legId);
        if (c.consult() != null) throw DomainException.conflict("finish the consultation first");
        Optional<Device.Kind> kind = Device.Kind.parse(deviceKey);
        String number = asked == null ? "" : asked.strip();
        Validator.of().required("device", deviceKey).check(deviceKey == null || kind.isPresent(), "device", "sip, webrtc or external")
                .check(kind.orElse(null) != Device.Kind.EXTERNAL || number.matches("\\+?[0-9]{3,32}"), "number", "the outside number to move the call to")
                .throwIfInvalid();
        String target = switch (kind.get()) {
            case SIP -> acd.agentView(enterpriseId, userId).map(AgentView::extension).filter(x -> x != null && !x.isBlank())
                    .orElseThrow(() -> DomainException.conflict("you have no extension"));
            case WEBRTC -> Acd.webRtcKey(userId);
            case EXTERNAL -> masking.real(enterpriseId, number, "number");
        };
        return calls.switchDevice(enterpriseId, userId, c.legId(), new Device(kind.get(), target));
    }

    /** Click-to-dial: rings the agent's device, then {@code number}; returns the agent's leg id. */
    public String dial(long enterpriseId, long userId, String asked) {
        // CRM-5: a masked desk dials a reference the server opens to the real number; a masked number is refused.
        String number = masking.real(enterpriseId, asked, "number");
        if (!number.matches("\\+?[0-9*#]{2,32}")) throw DomainException.badRequest("number: a phone number, extension or job number");
        AgentView a = acd.agentView(enterpriseId, userId).orElse(null);
        if (a == null || a.device() == null) throw DomainException.conflict("log in with a device first");
        Device d = new Device(Device.Kind.parse(a.device()).orElseThrow(), a.deviceNumber());
        return calls.dial(enterpriseId, userId, d, number);
    }

    /**
     * PBX-4 pickup (API-1): a signed-in agent's device, else the user's extension's phone, takes the call ringing
     * {@code extension} (null: any ringing in the user's pickup group); returns the user's leg id.
     */
    public String pickup(long enterpriseId, long userId, String extension) {
        AgentView a = acd.agentView(enterpriseId, userId).orElse(null);
        Device d = a == null || a.device() == null ? null : new Device(Device.Kind.parse(a.device()).orElseThrow(), a.deviceNumber());
        return calls.pickup(enterpriseId, userId, d, extension);
    }

    /** API-1: the calls the user's desk shows now (their legs), whether or not a desk is open. */
    public List<CallView> calls(long userId) {
        return deskCalls.of(userId);
    }

    /** API-1, supervisors: every agent's calls in the enterprise. */
    public List<CallView> enterpriseCalls(long enterpriseId) {
        return deskCalls.ofEnterprise(enterpriseId);
    }

    /** API-1: one of the user's calls by its leg id (404 for anyone else's). */
    public CallView call(long userId, String legId) {
        return own(userId, legId);
    }

    private CallView own(long userId, String legId) {
        CallView c = deskCalls.get(legId);
        if (c == null || c.userId() != userId) throw DomainException.notFound("call");
        return c;
    }

    private CallView talking(long userId, String legId) {
        CallView c = own(userId, legId);
        if (!"talking".equals(c.state()) && !"held".equals(c.state())) throw DomainException.conflict("the call is not answered");
        return c;
    }

    private Channel leg(CallView c) {
        return calls.channel(c.legId()).orElseThrow(() -> DomainException.notFound("call"));
    }
}
