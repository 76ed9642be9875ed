package dev.hotline.cti;

import dev.hotline.auth.Permission;
import dev.hotline.auth.Principal;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.masking.Masking;
import dev.hotline.recording.CallRecorder;
import dev.hotline.web.Api;
import dev.hotline.web.Json;
import java.util.Comparator;
import java.util.List;

/**
 * API-1, call control for integrators over HTTP (docs/api.md "Call control"): the same commands as the agent desk's CTI
 * channel ({@link AgentCommands}, run on the CTI thread through {@link CtiHub#run}), with the same rules: permission
 * agent.desk, the user's own calls only (another user's or enterprise's leg is 404), a session or an API token acting as
 * its user. Calls are named by the user's leg id, as on the desk.
 */
public final class CallControlRoutes {
    private CallControlRoutes() {}

    /** A live call: the user whose leg it is, and the call as their desk shows it. */
    public record LiveCall(long userId, CallView call) {
        static LiveCall of(CallView c) {
            return new LiveCall(c.userId(), c);
        }
    }

    /** @param number an outside number, extension or job number */
    public record DialInput(String number) {}

    /** @param to an extension, a colleague's job number (through the ACD when signed in) or an outside number */
    public record TransferInput(String to) {}

    public record Dialled(String legId) {}

    /**
     * @param extension directed pickup: the extension whose ringing call you take
     * @param group     true for a group pickup: the longest-ringing call of another extension of your extension's pickup group
     */
    public record PickupInput(String extension, Boolean group) {}

    /** @param flow the name of a published flow of the enterprise with a 'return to agent' node */
    public record VerifyInput(String flow) {}

    /** AGENT-3: the device to move a call to: sip, webrtc or external (with the outside number). */
    public record DeviceInput(String device, String number) {}

    /** AGENT-3: the new device's leg, ringing; the call moves there when it answers. */
    public record Moving(String legId) {}

    /** IVR-4: the flows an agent may send a caller into. */
    public record VerificationFlows(List<String> flows) {}

    public record Done(boolean ok) {}

    /** @param muted true: the other party no longer hears you; false: they hear you again */
    public record MuteInput(Boolean muted) {}

    /** @param digits the keys to send to the other party: 0-9 * #, up to 32 */
    public record DtmfInput(String digits) {}

    /** The consulted party's leg (ringing; the consultation follows it on your call's {@code consult} field). */
    public record Consulting(String consultLegId) {}

    /** @param action start, stop, pause or resume */
    public record RecordingInput(String action) {}

    static final String LEG = "/live-calls/{legId}";

    public static void register(Api root, CtiHub cti, Masking masking, CallRecorder recorder) {
        Api r = root.tagged("call-control");
        r.get("/live-calls", "Your calls in progress (scope=enterprise: every agent's, needs monitor.read)").returnsList(LiveCall.class)
                .handle(Permission.AGENT_DESK, (ctx, me) -> {
                    String scope = ctx.queryParam("scope");
                    Validator.of().check(scope == null || scope.equals("own") || scope.equals("enterprise"), "scope", "own or enterprise")
                            .throwIfInvalid();
                    boolean all = "enterprise".equals(scope);
                    if (all && !me.can(Permission.MONITOR_READ)) throw DomainException.forbidden("scope=enterprise needs monitor.read");
                    List<CallView> calls = cti.run(c -> all ? c.enterpriseCalls(me.enterpriseId()) : c.calls(me.userId()));
                    ctx.json(masking.forViewer(me).json(calls.stream()
                            .sorted(Comparator.comparing(CallView::startedAt, Comparator.nullsLast(Comparator.naturalOrder()))).map(LiveCall::of).toList()));
                });
        r.get(LEG, "One of your calls in progress").returns(LiveCall.class).handle(Permission.AGENT_DESK, (ctx, me) ->
                ctx.json(masking.forViewer(me).json(LiveCall.of(cti.run(c -> c.call(me.userId(), leg(ctx.pathParam("legId"))))))));
        r.post("/live-calls", "Click-to-call: ring your device (log in as an agent first, POST /agent/session), then dial the number")
                .body(DialInput.class).returns(Dialled.class).handle(Permission.AGENT_DESK, (ctx, me) -> {
                    DialInput in = Json.body(ctx, DialInput.class);
                    // CRM-5: a reference from a masked answer is dialled as the real number; a masked number is refused.
                    String number = masking.real(me.enterpriseId(), Validator.clean(in.number()), "number");
                    Validator.of().required("number", number).matches("number", number, "\\+?[0-9*#]{2,32}", "a phone number, extension or job number")
                            .throwIfInvalid();
                    ctx.status(201).json(new Dialled(cti.run(c -> c.dial(me.enterpriseId(), me.userId(), number))));
                });
        r.post("/live-calls/pickup", "PBX-4 pickup: your device (as an agent, the device you logged in with; else your extension's "
                        + "phone) rings and, answered, takes the call ringing an extension (directed) or the longest-ringing one of your "
                        + "pickup group (group: true): a call to the extension, a ring group's or a queue's offer, and as a ready agent "
                        + "also a transfer, campaign call or call back offered to a colleague. 409 when nothing rings")
                .body(PickupInput.class).returns(Dialled.class).handle(Permission.AGENT_DESK, (ctx, me) -> {
                    PickupInput in = Json.body(ctx, PickupInput.class);
                    String ext = in == null ? null : Validator.clean(in.extension());
                    if (ext != null && ext.isEmpty()) ext = null;
                    boolean group = in != null && Boolean.TRUE.equals(in.group());
                    Validator.of().check(ext != null || group, "extension", "the extension to pick up from, or group: true")
                            .check(ext == null || !group, "group", "either an extension or group: true, not both")
                            .matches("extension", ext, "[0-9]{1,6}", "an extension number (1-6 digits)").throwIfInvalid();
                    String extension = ext;
                    ctx.status(201).json(new Dialled(cti.run(c -> c.pickup(me.enterpriseId(), me.userId(), extension))));
                });
        r.post(LEG + "/transfer", "Blind transfer of the other party to an extension, job number or outside number; your leg ends")
                .body(TransferInput.class).returns(Done.class).handle(Permission.AGENT_DESK, (ctx, me) -> {
                    String leg = leg(ctx.pathParam("legId"));
                    cti.run(c -> c.call(me.userId(), leg)); // someone else's call is 404 before the body is looked at
                    TransferInput in = Json.body(ctx, TransferInput.class);
                    String to = masking.real(me.enterpriseId(), Validator.clean(in.to()), "to");
                    Validator.of().required("to", to).matches("to", to, "\\+?[0-9*#]{2,32}", "an extension, job number or phone number")
                            .throwIfInvalid();
                    ctx.json(done(cti.run(c -> {
                        c.transfer(me.enterpriseId(), me.userId(), leg, to);
                        return true;
                    })));
                });
        r.post(LEG + "/answer", "Answer your ringing call on the browser phone (a SIP or outside phone is answered on the phone: 409)")
                .returns(Done.class).handle(Permission.AGENT_DESK, (ctx, me) -> {
                    String leg = leg(ctx.pathParam("legId"));
                    ctx.json(done(cti.run(c -> {
                        c.answer(me.enterpriseId(), me.userId(), leg);
                        return true;
                    })));
                });
        r.post(LEG + "/mute", "Mute (muted: true) or unmute your side of the call: the other party no longer hears you")
                .body(MuteInput.class).returns(Done.class).handle(Permission.AGENT_DESK, (ctx, me) -> {
                    String leg = leg(ctx.pathParam("legId"));
                    cti.run(c -> c.call(me.userId(), leg)); // someone else's call is 404 before the body is looked at
                    MuteInput in = Json.body(ctx, MuteInput.class);
                    Validator.of().check(in != null && in.muted() != null, "muted", "true or false").throwIfInvalid();
                    ctx.json(done(cti.run(c -> {
                        c.mute(me.userId(), leg, in.muted());
                        return true;
                    })));
                });
        r.post(LEG + "/dtmf", "Send keys (RFC 4733) to the other party, e.g. to a third party's IVR").body(DtmfInput.class)
                .returns(Done.class).handle(Permission.AGENT_DESK, (ctx, me) -> {
                    String leg = leg(ctx.pathParam("legId"));
                    cti.run(c -> c.call(me.userId(), leg));
                    DtmfInput in = Json.body(ctx, DtmfInput.class);
                    String digits = in == null ? null : in.digits();
                    Validator.of().required("digits", digits).matches("digits", digits, "[0-9*#]{1,32}", "0-9 * #, up to 32").throwIfInvalid();
                    ctx.json(done(cti.run(c -> {
                        c.dtmf(me.userId(), leg, digits);
                        return true;
                    })));
                });
        r.post(LEG + "/consult", "Attended transfer, first step: the other party hears music while you call an extension, a "
                        + "colleague's job number or an outside number; then complete, conference or cancel (DELETE) the consultation")
                .body(TransferInput.class).returns(Consulting.class).handle(Permission.AGENT_DESK, (ctx, me) -> {
                    String leg = leg(ctx.pathParam("legId"));
                    cti.run(c -> c.call(me.userId(), leg));
                    TransferInput in = Json.body(ctx, TransferInput.class);
                    String to = masking.real(me.enterpriseId(), Validator.clean(in == null ? null : in.to()), "to");
                    Validator.of().required("to", to).matches("to", to, "\\+?[0-9*#]{2,32}", "an extension, job number or phone number")
                            .throwIfInvalid();
                    ctx.status(201).json(new Consulting(cti.run(c -> c.consult(me.enterpriseId(), me.userId(), leg, to))));
                });
        r.post(LEG + "/consult/complete", "Attended transfer: the other party talks with the consulted one; your leg ends (409 until the "
                + "consulted party answered)").returns(Done.class).handle(Permission.AGENT_DESK, (ctx, me) ->
                ctx.json(done(endConsult(cti, me, ctx.pathParam("legId"), AgentCommands.ConsultEnd.COMPLETE))));
        r.post(LEG + "/consult/conference", "Three-party call: you, the other party and the consulted one all talk; anyone may leave, "
                + "the last one left is hung up").returns(Done.class).handle(Permission.AGENT_DESK, (ctx, me) ->
                ctx.json(done(endConsult(cti, me, ctx.pathParam("legId"), AgentCommands.ConsultEnd.CONFERENCE))));
        r.delete(LEG + "/consult", "Cancel the consultation: the consulted leg ends and you are back with the other party")
                .returns(Done.class).handle(Permission.AGENT_DESK, (ctx, me) ->
                        ctx.json(done(endConsult(cti, me, ctx.pathParam("legId"), AgentCommands.ConsultEnd.CANCEL))));
        r.get(LEG + "/recording", "REC-1: the recording of your call: on or not, paused or not, its silent gaps")
                .returns(CallRecorder.State.class).handle(Permission.AGENT_DESK, (ctx, me) -> {
                    String leg = leg(ctx.pathParam("legId"));
                    CallView call = cti.run(c -> c.call(me.userId(), leg));
                    ctx.json(recorder.state(call.callId()));
                });
        r.post(LEG + "/recording", "REC-1 on demand: start or stop recording your call, pause it (silence is written, e.g. while "
                        + "a card number is read out) or resume it; each change is a call event").body(RecordingInput.class)
                .returns(CallRecorder.State.class).handle(Permission.AGENT_DESK, (ctx, me) -> {
                    String leg = leg(ctx.pathParam("legId"));
                    CallView call = cti.run(c -> c.call(me.userId(), leg)); // someone else's call is 404 before the body is looked at
                    RecordingInput in = Json.body(ctx, RecordingInput.class);
                    var action = CallRecorder.Action.parse(in == null ? null : in.action());
                    Validator.of().check(action.isPresent(), "action", "start, stop, pause or resume").throwIfInvalid();
                    ctx.json(recorder.control(me.enterpriseId(), call.callId(), action.get(), "user " + me.userId()));
                });
        r.post(LEG + "/hold", "Put the other party on hold (music)").returns(Done.class).handle(Permission.AGENT_DESK, (ctx, me) ->
                ctx.json(done(hold(cti, me, ctx.pathParam("legId"), true))));
        r.post(LEG + "/resume", "Take the other party off hold").returns(Done.class).handle(Permission.AGENT_DESK, (ctx, me) ->
                ctx.json(done(hold(cti, me, ctx.pathParam("legId"), false))));
        r.get("/verification-flows", "IVR-4: the enterprise's published flows an agent may send a caller into for verification (those with"
                + " a 'return to agent' node)").returns(VerificationFlows.class).handle(Permission.AGENT_DESK, (ctx, me) ->
                ctx.json(new VerificationFlows(cti.run(c -> c.verificationFlows(me.enterpriseId())))));
        r.post(LEG + "/verify", "IVR-4: send the other party into a verification flow (e.g. a PIN checked against a customer field); you"
                + " stay on the call with music and get them back with the result (CTI event call.verification)")
                .body(VerifyInput.class).returns(Done.class).handle(Permission.AGENT_DESK, (ctx, me) -> {
                    String leg = leg(ctx.pathParam("legId"));
                    cti.run(c -> c.call(me.userId(), leg)); // someone else's call is 404 before the body is looked at
                    VerifyInput in = Json.body(ctx, VerifyInput.class);
                    String flow = Validator.clean(in.flow());
                    Validator.of().required("flow", flow).check(flow == null || flow.length() <= 100, "flow", "at most 100 characters")
                            .throwIfInvalid();
                    ctx.json(done(cti.run(c -> {
                        c.verify(me.enterpriseId(), me.userId(), leg, flow);
                        return true;
                    })));
                });
        r.post(LEG + "/device", "AGENT-3: move your call to another of your devices (sip: your extension's phone, webrtc: the browser "
                        + "phone, external: an outside number through the outbound routes); the customer stays on the line, the new device "
                        + "rings and takes the call when answered (the old one is hung up); without an answer the call stays where it was")
                .body(DeviceInput.class).returns(Moving.class).handle(Permission.AGENT_DESK, (ctx, me) -> {
                    String leg = leg(ctx.pathParam("legId"));
                    cti.run(c -> c.call(me.userId(), leg)); // someone else's call is 404 before the body is looked at
                    DeviceInput in = Json.body(ctx, DeviceInput.class);
                    ctx.json(new Moving(cti.run(c -> c.switchDevice(me.enterpriseId(), me.userId(), leg, in == null ? null : in.device(), in == null ? null : in.number()))));
                });
        r.delete(LEG, "Hang up your leg of the call").returns(Done.class).handle(Permission.AGENT_DESK, (ctx, me) -> {
            String leg = leg(ctx.pathParam("legId"));
            ctx.json(done(cti.run(c -> {
                c.hangup(me.userId(), leg);
                return true;
            })));
        });
    }

    private static boolean hold(CtiHub cti, Principal me, String legId, boolean held) {
        String leg = leg(legId);
        return cti.run(c -> {
            c.hold(me.userId(), leg, held);
            return true;
        });
    }

    /** The desk's complete, conference and cancel commands ({@link AgentCommands#endConsult}). */
    private static boolean endConsult(CtiHub cti, Principal me, String legId, AgentCommands.ConsultEnd how) {
        String leg = leg(legId);
        return cti.run(c -> {
            c.endConsult(me.userId(), leg, how);
            return true;
        });
    }

    private static Done done(boolean ok) {
        return new Done(ok);
    }

    /** A leg id as the engine makes them; anything else names no call. */
    private static String leg(String s) {
        if (s == null || s.length() > 100) throw DomainException.notFound("call");
        return s;
    }
}
