package dev.hotline.engine.sip;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallParty;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.Direction;
import dev.hotline.engine.call.DtmfSource;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.LegCounters;
import dev.hotline.engine.call.Playback;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.call.RecordFormat;
import dev.hotline.engine.call.RecordMode;
import dev.hotline.engine.call.Recording;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.dtmf.DtmfDigit;
import dev.hotline.engine.dtmf.SipInfoDtmf;
import dev.hotline.engine.rtp.MediaListener;
import dev.hotline.engine.rtp.Recorder;
import dev.hotline.engine.rtp.RtpEndpoint;
import dev.hotline.engine.sdp.MediaDescription;
import dev.hotline.engine.sdp.Sdp;
import dev.hotline.engine.sdp.SdpException;
import gov.nist.javax.sip.stack.SIPDialog;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call leg of the B2BUA: its dialog, its anchored media port, its partner and its state. Built by
 * {@link #inbound} for an INVITE received and by {@link #outbound} for a leg the {@link Dialer} places.
 * Every method whose name starts with "on" or that changes state runs on the call's serial executor
 * {@link #ctx}. Its collaborators: {@link SdpNegotiation} (offer/answer), {@link LegMedia} (playback,
 * recording, hold music), {@link DigitCollector} (DTMF collection), {@link SessionTimer} (RFC 4028).
 */
final class SipLeg implements Channel, MediaListener {
    private static final Logger log = LoggerFactory.getLogger(SipLeg.class);

    /** What an inbound leg is made of: the INVITE received, its dialog and its SDP offer. */
    record InboundInvite(ServerTransaction st, Request request, Dialog dialog, String callId, String localTag,
                         String remoteTag, String transport, MediaDescription offer) {
    }

    final SipEngine engine;
    final String id;
    final Direction direction;
    final SerialExecutor ctx;
    final CallParty caller;
    final CallParty callee;
    final RtpEndpoint media;
    private final long createdNanos = System.nanoTime();
    private final SipMessages msg;
    private final SdpNegotiation sdp;
    private final LegMedia audio;
    private final DigitCollector digits = new DigitCollector(this);
    private final SessionTimer sessionTimer = new SessionTimer();

    private volatile ChannelState state = ChannelState.NEW;
    private volatile boolean held;
    private volatile SipLeg partner;

    // SIP: set at construction for an inbound leg, by inviting() for an outbound one
    private Dialog dialog;
    private final ServerTransaction inviteSt;
    private Request inviteRequest;
    private ClientTransaction inviteCt;
    private String callId;
    private String localTag;
    private final String remoteTag;
    private String transport;
    private boolean provisionalReceived;
    private boolean cancelPending;
    private boolean remoteEnded;

    // outbound dialing
    private final DialRequest dialRequest;
    private volatile long ringDeadlineNanos;
    private SipLeg transferor;

    private volatile long answeredNanos;
    private volatile long terminatedNanos;
    /** Why and with which SIP status (0 for BYE) this leg ended; written before the state turns final. */
    private HangupCause cause;
    private int endStatus;

    // bridging two existing legs (SipBridge)
    /** The leg this one is being bridged with by {@link SipBridge}, until the bridge is made or given up. */
    private volatile SipLeg bridging;
    /** The supervisor tap on this leg's bridged call, if any (ended when the call is unbridged). */
    private volatile SipTap tap;

    // browser legs (Target.WebRtc): no SIP at all, media through the agent's BrowserConnection
    /** The agent key of a browser leg; null for SIP legs. */
    private final String webRtcKey;
    /** The connection a browser leg's media goes through now (it changes when the browser reconnects). */
    private volatile BrowserConnection browser;

    private SipLeg(SipEngine engine, String id, Direction direction, SerialExecutor ctx, CallParty caller,
                   CallParty callee, RtpEndpoint media, InboundInvite invite, DialRequest dialRequest, SipLeg partner) {
        this.engine = engine;
        this.id = id;
        this.direction = direction;
        this.ctx = ctx;
        this.caller = caller;
        this.callee = callee;
        this.media = media;
        this.msg = engine.msg;
        this.sdp = new SdpNegotiation(id, media, engine.config.advertisedAddress(), invite == null ? null : invite.offer());
        this.audio = new LegMedia(engine, id, media, this::onRecordingFinished);
        this.inviteSt = invite == null ? null : invite.st();
        this.inviteRequest = invite == null ? null : invite.request();
        this.dialog = invite == null ? null : invite.dialog();
        this.callId = invite == null ? null : invite.callId();
        this.localTag = invite == null ? null : invite.localTag();
        this.remoteTag = invite == null ? null : invite.remoteTag();
        this.transport = invite == null ? "udp" : invite.transport();
        this.dialRequest = dialRequest;
        this.webRtcKey = dialRequest != null && dialRequest.target() instanceof Target.WebRtc w ? w.key() : null;
        this.partner = partner;
        if (media != null) {
            media.media().setListener(this);
        }
    }

    /** The leg of an INVITE received (not yet started: the engine files it, then hands it to the server). */
    static SipLeg inbound(SipEngine engine, String id, SerialExecutor ctx, CallParty caller, CallParty callee,
                          RtpEndpoint media, InboundInvite invite) {
        return new SipLeg(engine, id, Direction.INBOUND, ctx, caller, callee, media, invite, null, null);
    }

    /**
     * An outbound leg to place for {@code request}; {@code partner} is the leg it is dialled for (null
     * for an originated call). {@link Dialer} starts it.
     */
    static SipLeg outbound(SipEngine engine, String id, SerialExecutor ctx, CallParty caller, CallParty callee,
                           RtpEndpoint media, DialRequest request, SipLeg partner) {
        return new SipLeg(engine, id, Direction.OUTBOUND, ctx, caller, callee, media, null, request, partner);
    }

    // ---------------------------------------------------------------- Channel API

    @Override
    public String id() {
        return id;
    }

    @Override
    public Direction direction() {
        return direction;
    }

    @Override
    public ChannelState state() {
        return state;
    }

    @Override
    public CallParty caller() {
        return caller;
    }

    @Override
    public CallParty callee() {
        return callee;
    }

    @Override
    public Optional<Channel> bridgedWith() {
        SipLeg p = partner;
        return p != null && p.state == ChannelState.UP && state == ChannelState.UP ? Optional.of(p) : Optional.empty();
    }

    @Override
    public LegCounters counters() {
        return media == null ? LegCounters.ZERO : media.counters();
    }

    @Override
    public boolean onHold() {
        return held;
    }

    @Override
    public void ring() {
        if (webRtcKey != null) {
            return; // a browser leg rings from its start
        }
        requireInbound("ring");
        ctx.execute(() -> {
            if (state == ChannelState.NEW) {
                sendProvisional(Response.RINGING, null);
            }
        });
    }

    @Override
    public void answer() {
        if (webRtcKey != null) {
            ctx.execute(this::answerBrowser);
            return;
        }
        requireInbound("answer");
        ctx.execute(() -> {
            if (state.isFinal() || state == ChannelState.UP) {
                return;
            }
            sdp.chooseCodec(null);
            answerInbound();
        });
    }

    @Override
    public void reject(int sipStatus) {
        if (webRtcKey == null) {
            requireInbound("reject");
        }
        if (sipStatus < 300 || sipStatus > 699) {
            throw new IllegalArgumentException("reject needs a 3xx-6xx status, got " + sipStatus);
        }
        if (webRtcKey != null) {
            // The agent refused the offered call: CALL_REJECTED whatever the status (carried along).
            ctx.execute(() -> {
                if (state != ChannelState.UP) {
                    terminate(HangupCause.CALL_REJECTED, sipStatus, true);
                }
            });
            return;
        }
        ctx.execute(() -> terminate(HangupCause.fromSipStatus(sipStatus), sipStatus, true));
    }

    @Override
    public void hangup(HangupCause cause) {
        ctx.execute(() -> terminate(cause, cause.sipStatus(), true));
    }

    /** The agent answered a ringing browser leg: UP, and a dialling partner answers and bridges (B2BUA). */
    private void answerBrowser() {
        if (state.isFinal() || state == ChannelState.UP) {
            return;
        }
        ringDeadlineNanos = 0;
        moveTo(ChannelState.UP);
        engine.emit(new CallEvent.ChannelAnswered(id, Instant.now()));
        SipLeg p = partner;
        if (p != null) {
            p.post(() -> p.onPartnerAnswered(this));
        }
    }

    // ---------------------------------------------------------------- media API (LegMedia)

    @Override
    public Playback play(PlaybackRequest request) {
        return audio.play(request);
    }

    @Override
    public void stopPlayback() {
        audio.stopPlayback();
    }

    @Override
    public void sendDtmf(String digits) {
        audio.sendDtmf(digits);
    }

    @Override
    public Recording record(Path file, RecordFormat format, RecordMode mode) {
        return audio.record(file, format, mode);
    }

    @Override
    public void hold(Path musicFolder) {
        audio.hold(musicFolder);
    }

    @Override
    public void unhold() {
        audio.unhold();
    }

    @Override
    public boolean musicOnHold() {
        return audio.musicOnHold();
    }

    @Override
    public void mute(boolean on) {
        audio.mute(on);
    }

    @Override
    public boolean muted() {
        return audio.muted();
    }

    /**
     * Stops what the engine itself sends to this party (playback, music on hold) so that the clock
     * no longer generates to it and the bridged peer's packets are relayed. Any thread.
     */
    void stopGenerating() {
        audio.stopGenerating();
    }

    // ---- digits (DigitCollector, on the call executor)

    @Override
    public void collectDigits(int maxDigits, char terminator, Duration firstDigitTimeout, Duration interDigitTimeout) {
        if (maxDigits < 1) {
            throw new IllegalArgumentException("maxDigits must be at least 1");
        }
        post(() -> digits.start(maxDigits, terminator, firstDigitTimeout, interDigitTimeout));
    }

    /** Ends a digit collection in progress (CANCELLED) and forgets typed-ahead keys. Call executor. */
    void cancelDigitCollection() {
        digits.cancel();
    }

    /** Every key, whatever carried it, comes here on the call executor. */
    void onDigit(DtmfDigit d, DtmfSource source) {
        if (state.isFinal()) {
            return;
        }
        engine.emit(new CallEvent.DtmfReceived(id, d.symbol(), source, Instant.now()));
        digits.key(d.symbol());
    }

    /** SIP INFO inside the dialog: DTMF bodies become keys; anything else is just acknowledged. */
    void onInfo(RequestEvent e, ServerTransaction st) {
        Request req = e.getRequest();
        msg.send(st, msg.response(Response.OK, req, null));
        ContentTypeHeader ct = (ContentTypeHeader) req.getHeader(ContentTypeHeader.NAME);
        byte[] body = req.getRawContent();
        if (ct == null || body == null) {
            return;
        }
        String type = ct.getContentType() + "/" + ct.getContentSubType();
        SipInfoDtmf.parse(type, new String(body, StandardCharsets.UTF_8)).ifPresent(k -> {
            if (media != null) {
                media.media().keyPressed();
            }
            onDigit(k.digit(), DtmfSource.SIP_INFO);
        });
    }

    // ---- MediaListener: media threads hand over to the call executor

    @Override
    public void onDtmf(DtmfDigit digit, boolean inband) {
        post(() -> onDigit(digit, inband ? DtmfSource.INBAND : DtmfSource.RFC4733));
    }

    @Override
    public void onPlaybackFinished(long playbackId, boolean completed) {
        post(() -> engine.emit(new CallEvent.PlaybackFinished(id, "pb-" + playbackId, completed, Instant.now())));
    }

    @Override
    public void onRecordingFinished(Recorder r) {
        post(() -> engine.emit(new CallEvent.RecordingFinished(id, r.id(), r.file(), r.duration(), Instant.now())));
    }

    // ---- bridging (SipBridge)

    /** Throws when this leg cannot be bridged with {@code other} now (any thread; checked again on the executors). */
    void checkBridgeable(SipLeg other) {
        ChannelState s = state;
        if (s.isFinal()) {
            throw new IllegalStateException("channel " + id + " has ended");
        }
        if (s != ChannelState.UP || media == null) {
            throw new IllegalStateException("channel " + id + " is not answered (" + s + ")");
        }
        SipLeg p = partner;
        if (p != null && !p.isFinal()) {
            if (p == other) {
                throw new IllegalStateException("channels " + id + " and " + other.id + " are already bridged");
            }
            throw new IllegalStateException(p.state == ChannelState.UP
                    ? "channel " + id + " is already bridged with " + p.id
                    : "channel " + id + " is dialling " + p.id);
        }
        SipLeg pending = bridging;
        if (pending != null) {
            throw new IllegalStateException("channel " + id + " is being bridged with " + pending.id);
        }
    }

    private void requireInbound(String op) {
        if (direction != Direction.INBOUND) {
            throw new IllegalStateException(op + " is only for inbound channels");
        }
    }

    // ---------------------------------------------------------------- state

    /** The single place where the state changes; illegal moves throw. */
    void moveTo(ChannelState next) {
        ChannelState prev = state;
        state = prev.checkMove(next, id);
        if (next == ChannelState.UP) {
            answeredNanos = System.nanoTime();
            if (media != null) {
                media.touch();
                if (direction == Direction.INBOUND || partner == null) {
                    media.media().markAnswered(); // bridged legs stay on the pass-through relay
                }
            }
        }
    }

    boolean isFinal() {
        return state.isFinal();
    }

    void post(Runnable r) {
        ctx.execute(r);
    }

    // ---------------------------------------------------------------- inbound signalling

    void sendProvisional(int code, String sdpBody) {
        if (direction != Direction.INBOUND || state.isFinal() || state == ChannelState.UP) {
            return;
        }
        Response r = msg.response(code, inviteRequest, localTag);
        if (r == null) {
            return;
        }
        if (sdpBody != null) {
            msg.setSdp(r, sdpBody);
        }
        if (code != Response.TRYING) {
            r.addHeader(msg.contact(transport));
        }
        msg.send(inviteSt, r);
        ChannelState next = sdpBody != null ? ChannelState.EARLY_MEDIA : ChannelState.RINGING;
        if (state != next && state.canMoveTo(next)) {
            moveTo(next);
            engine.emit(next == ChannelState.RINGING ? new CallEvent.ChannelRinging(id, Instant.now())
                    : new CallEvent.ChannelProgress(id, Instant.now()));
        }
    }

    /** Answers the inbound leg with our SDP for the codec already chosen (RFC 3264 §6). */
    void answerInbound() {
        Response r = msg.response(Response.OK, inviteRequest, localTag);
        if (r == null) {
            return;
        }
        r.addHeader(msg.contact(transport));
        msg.setSdp(r, sdp.localAnswer());
        engine.sessionTimers().onAnswer(sessionTimer, inviteRequest, r);
        msg.send(inviteSt, r);
        moveTo(ChannelState.UP);
        engine.emit(new CallEvent.ChannelAnswered(id, Instant.now()));
    }

    void onCancel(RequestEvent e, ServerTransaction cancelSt) {
        msg.send(cancelSt, msg.response(Response.OK, e.getRequest(), null));
        if (state.isFinal() || state == ChannelState.UP) {
            return;
        }
        terminate(HangupCause.ORIGINATOR_CANCEL, Response.REQUEST_TERMINATED, true);
    }

    /**
     * An ACK for this leg's dialog (call executor). RFC 3261 §13.3.1.4: it stops the retransmissions of our 2xx.
     * JAIN-SIP writes the 2xx to the socket before it arms the dialog's retransmission timer, and records an ACK
     * only once that timer exists: an ACK quicker than that (tens of µs on a LAN) is passed up to us but
     * forgotten, and the 200 goes out again at T1. The 2xx was sent on this executor, so the timer is armed by
     * now: hand the ACK to the dialog again (a no-op when the stack already took it).
     */
    void onAck(ServerTransaction ack) {
        if (dialog instanceof SIPDialog d && ack instanceof SIPServerTransaction t && d.handleAck(t)) {
            log.debug("channel {}: ACK {} recorded after the stack missed it", id, t.getCSeq());
        }
    }

    void onBye(RequestEvent e, ServerTransaction st) {
        msg.send(st, msg.response(Response.OK, e.getRequest(), null));
        remoteEnded = true;
        terminate(HangupCause.NORMAL_CLEARING, 0, true);
    }

    /** Re-INVITE: hold/resume or session refresh, answered locally (RFC 3264 §8, RFC 4028 §9). */
    void onReInvite(RequestEvent e, ServerTransaction st) {
        Request req = e.getRequest();
        if (state != ChannelState.UP) {
            msg.send(st, msg.response(Response.REQUEST_PENDING, req, null));
            return;
        }
        byte[] body = req.getRawContent();
        if (body != null && body.length > 0) {
            MediaDescription offer;
            try {
                offer = Sdp.parse(body);
                if (offer.firstG711().isEmpty()) {
                    throw new SdpException("no common codec (PCMU or PCMA required)");
                }
            } catch (SdpException ex) {
                msg.send(st, msg.notAcceptable(req, ex.getMessage()));
                return;
            }
            sdp.takeReOffer(offer);
        }
        Response r = msg.response(Response.OK, req, null);
        r.addHeader(msg.contact(transport));
        msg.setSdp(r, sdp.localAnswer());
        engine.sessionTimers().onRefresh(sessionTimer, req, r);
        msg.send(st, r);
        boolean nowHeld = sdp.remote().isHold();
        if (nowHeld != held) {
            held = nowHeld;
            media.touch();
            engine.emit(new CallEvent.ChannelHold(id, nowHeld, Instant.now()));
        }
    }

    /** UPDATE (RFC 3311) without SDP: only a session refresh here. */
    void onUpdate(RequestEvent e, ServerTransaction st) {
        Response r = msg.response(Response.OK, e.getRequest(), null);
        engine.sessionTimers().onRefresh(sessionTimer, e.getRequest(), r);
        msg.send(st, r);
    }

    // ---------------------------------------------------------------- outbound signalling

    void onResponse(ResponseEvent e) {
        Response resp = e.getResponse();
        CSeqHeader cseq = (CSeqHeader) resp.getHeader(CSeqHeader.NAME);
        String method = cseq.getMethod();
        int status = resp.getStatusCode();
        if (!Request.INVITE.equals(method)) {
            return; // BYE, CANCEL, NOTIFY answers need nothing more
        }
        if (direction == Direction.INBOUND || state == ChannelState.UP) {
            onReInviteResponse(e, status, cseq);
            return;
        }
        if (status < 200) {
            if (status == Response.TRYING) {
                return;
            }
            provisionalReceived = true;
            if (cancelPending) {
                sendCancel();
                return;
            }
            if (state.isFinal()) {
                return;
            }
            byte[] body = resp.getRawContent();
            boolean early = body != null && body.length > 0 && sdp.takeAnswer(body);
            ChannelState next = early ? ChannelState.EARLY_MEDIA : ChannelState.RINGING;
            if (state != next && state.canMoveTo(next)) {
                moveTo(next);
                engine.emit(next == ChannelState.RINGING ? new CallEvent.ChannelRinging(id, Instant.now())
                        : new CallEvent.ChannelProgress(id, Instant.now()));
            }
            SipLeg p = partner;
            if (p != null) {
                p.post(() -> p.onPartnerProgress(this, status, early));
            }
            return;
        }
        if (status < 300) {
            Dialog d = e.getDialog() != null ? e.getDialog() : dialog;
            dialog = d;
            msg.ack(d, cseq.getSeqNumber());
            if (state.isFinal()) {
                msg.bye(d); // answered after we gave up: RFC 3261 §9.1 race
                return;
            }
            byte[] body = resp.getRawContent();
            if (body == null || body.length == 0 || !sdp.takeAnswer(body)) {
                msg.bye(d);
                terminateSilently(HangupCause.INCOMPATIBLE_DESTINATION, Response.NOT_ACCEPTABLE_HERE);
                return;
            }
            engine.sessionTimers().onOutboundAnswer(sessionTimer, resp);
            moveTo(ChannelState.UP);
            engine.emit(new CallEvent.ChannelAnswered(id, Instant.now()));
            SipLeg p = partner;
            if (p == null) {
                return;
            }
            p.post(() -> p.onPartnerAnswered(this));
            return;
        }
        // Final failure: JAIN-SIP sends the ACK for non-2xx (RFC 3261 §17.1.1.3).
        if (state.isFinal()) {
            return;
        }
        remoteEnded = true;
        terminate(HangupCause.fromSipStatus(status), status, true);
    }

    private void onReInviteResponse(ResponseEvent e, int status, CSeqHeader cseq) {
        if (status >= 200 && status < 300) {
            Dialog d = e.getDialog() != null ? e.getDialog() : dialog;
            msg.ack(d, cseq.getSeqNumber());
        } else if (status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST || status == Response.REQUEST_TIMEOUT) {
            // RFC 4028 §10: a failed refresh ends the session.
            remoteEnded = status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST;
            terminate(HangupCause.SESSION_TIMEOUT, 0, true);
        }
    }

    void onTimeout() {
        if (state.isFinal()) {
            return;
        }
        remoteEnded = true;
        terminate(HangupCause.NO_USER_RESPONSE, Response.REQUEST_TIMEOUT, true);
    }

    void onNoAnswer() {
        if (!state.isFinal() && state != ChannelState.UP) {
            terminate(HangupCause.NO_ANSWER, Response.TEMPORARILY_UNAVAILABLE, true);
        }
    }

    private void sendCancel() {
        cancelPending = false;
        msg.cancel(inviteCt);
    }

    // ---------------------------------------------------------------- partner relations

    /** The outbound partner rang or sent early media: relay to this (inbound) leg. */
    void onPartnerProgress(SipLeg out, int status, boolean early) {
        if (state.isFinal() || state == ChannelState.UP || partner != out || direction != Direction.INBOUND) {
            return;
        }
        if (early) {
            sdp.chooseCodec(out.sdp.codec());
            RtpEndpoint.link(media, out.media);
            sendProvisional(Response.SESSION_PROGRESS, sdp.localAnswer());
        } else {
            sendProvisional(status == Response.SESSION_PROGRESS ? Response.SESSION_PROGRESS : Response.RINGING, null);
        }
    }

    /** The outbound partner answered: answer this leg if needed and bridge the media. */
    void onPartnerAnswered(SipLeg out) {
        if (partner != out) {
            return;
        }
        if (state.isFinal()) {
            out.post(() -> out.terminate(HangupCause.NORMAL_CLEARING, 0, false));
            return;
        }
        if (state != ChannelState.UP) {
            sdp.chooseCodec(out.sdp.codec());
            answerInbound();
        }
        RtpEndpoint.link(media, out.media);
        engine.emit(new CallEvent.ChannelBridged(id, out.id, Instant.now()));
        SipLeg referrer = out.takeTransferor();
        if (referrer != null) {
            referrer.post(() -> engine.transfers().finish(referrer, 200));
        }
    }

    /** The partner ended: follow it, or stay for the server when it asked so. */
    void onPartnerEnded(SipLeg other, HangupCause why, int status) {
        if (partner != other || state.isFinal()) {
            return;
        }
        partner = null;
        media.unlink();
        SipLeg referrer = other.takeTransferor();
        if (referrer != null) {
            referrer.post(() -> engine.transfers().finish(referrer, status == 0 ? 500 : status));
        }
        boolean follow = other.dialRequest == null || other.dialRequest.failInboundOnFailure() || other.state() == ChannelState.TERMINATED && other.answeredNanos() != 0;
        if (!follow) {
            return;
        }
        int relay = status >= 300 && status != Response.REQUEST_TERMINATED ? status : why.sipStatus();
        terminate(why, relay, false);
    }

    // ---------------------------------------------------------------- ending

    /** Ends the leg without signalling (the remote side already ended it). */
    void terminateSilently(HangupCause why, int status) {
        remoteEnded = true;
        terminate(why, status, true);
    }

    /**
     * Ends this leg: final response, CANCEL or BYE as the state requires, releases media, reports
     * {@link CallEvent.ChannelHungUp}; with {@code cascade} its partner follows.
     */
    void terminate(HangupCause why, int status, boolean cascade) {
        if (state.isFinal()) {
            return;
        }
        ChannelState before = state;
        if (!remoteEnded && webRtcKey == null) {
            if (before == ChannelState.UP) {
                msg.bye(dialog);
            } else if (direction == Direction.INBOUND) {
                int code = status >= 300 ? status : why.sipStatus();
                msg.send(inviteSt, msg.response(code, inviteRequest, localTag));
            } else if (provisionalReceived) {
                sendCancel();
            } else {
                cancelPending = true; // RFC 3261 §9.1: CANCEL only after a provisional response
            }
        }
        cause = why;
        endStatus = status;
        moveTo(ChannelState.TERMINATED);
        digits.hungUp();
        terminatedNanos = System.nanoTime();
        if (media != null) {
            media.close();
        }
        if (webRtcKey != null) {
            engine.browsers().legEnded(this);
        }
        engine.legEnded(this);
        engine.emit(new CallEvent.ChannelHungUp(id, why, status, Instant.now()));
        SipLeg p = partner;
        if (cascade && p != null && !p.isFinal()) {
            p.post(() -> p.onPartnerEnded(this, why, status));
        }
    }

    // ---------------------------------------------------------------- for the engine's other classes

    /** Set when the {@link Dialer} sends the INVITE of this outbound leg (call executor). */
    void inviting(String callId, String localTag, String transport, Request invite, ClientTransaction ct, Dialog dialog) {
        this.callId = callId;
        this.localTag = localTag;
        this.transport = transport;
        this.inviteRequest = invite;
        this.inviteCt = ct;
        this.dialog = dialog;
    }

    /** Starts the no-answer timer of an outbound leg: the request's timeout, or the engine's default. */
    void armRingTimer() {
        Duration timeout = dialRequest.timeout() != null ? dialRequest.timeout() : engine.config.noAnswerTimeout();
        ringDeadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    /** True once when the no-answer timer of this leg ran out at {@code now} (the sweeper). */
    boolean takeRingTimeout(long now) {
        if (ringDeadlineNanos != 0 && now > ringDeadlineNanos) {
            ringDeadlineNanos = 0;
            return true;
        }
        return false;
    }

    /** A browser leg joined its agent's connection (call executor): it rings at once, and its partner hears it. */
    void ringInBrowser() {
        armRingTimer();
        moveTo(ChannelState.RINGING);
        engine.emit(new CallEvent.ChannelRinging(id, Instant.now()));
        SipLeg p = partner;
        if (p != null) {
            p.post(() -> p.onPartnerProgress(this, Response.RINGING, false));
        }
    }

    /** This browser leg's media goes through {@code conn} from now on (under the connections' lock). */
    void joinBrowser(BrowserConnection conn) {
        browser = conn;
        sdp.useConnection(conn);
    }

    BrowserConnection browser() {
        return browser;
    }

    String webRtcKey() {
        return webRtcKey;
    }

    DialRequest dialRequest() {
        return dialRequest;
    }

    Dialog dialog() {
        return dialog;
    }

    String transport() {
        return transport;
    }

    String callId() {
        return callId;
    }

    String localTag() {
        return localTag;
    }

    String remoteTag() {
        return remoteTag;
    }

    SdpNegotiation sdp() {
        return sdp;
    }

    SessionTimer sessionTimer() {
        return sessionTimer;
    }

    long answeredNanos() {
        return answeredNanos;
    }

    long terminatedNanos() {
        return terminatedNanos;
    }

    /** Why this leg ended, null while it lives. */
    HangupCause cause() {
        return cause;
    }

    /** The SIP status this leg ended with (0 for BYE). */
    int endStatus() {
        return endStatus;
    }

    SipLeg partner() {
        return partner;
    }

    /** From now on this leg's partner is {@code other} (bridge, transfer, dial). */
    void partnerWith(SipLeg other) {
        partner = other;
    }

    /** This leg has no partner any more; its media stays as it is. */
    void forgetPartner() {
        partner = null;
    }

    /** This leg leaves its partner: no partner, media unlinked. */
    void unlinkPartner() {
        partner = null;
        media.unlink();
    }

    /** The leg that asked (by REFER) for this leg to be placed; its transfer ends with this leg's outcome. */
    void transferFrom(SipLeg referrer) {
        transferor = referrer;
    }

    /** The referrer waiting for this leg's outcome, once (null when none). */
    private SipLeg takeTransferor() {
        SipLeg r = transferor;
        transferor = null;
        return r;
    }

    SipLeg bridging() {
        return bridging;
    }

    /** {@link SipBridge} reserves this leg for a bridge with {@code other}. */
    void reserveBridge(SipLeg other) {
        bridging = other;
    }

    /** {@link SipBridge} gives up or completes the reservation with {@code other}. */
    void releaseBridge(SipLeg other) {
        if (bridging == other) {
            bridging = null;
        }
    }

    SipTap tap() {
        return tap;
    }

    /** The supervisor tap on this leg's call (null when it ends). */
    void tappedBy(SipTap t) {
        tap = t;
    }

    long ageSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - createdNanos);
    }

    @Override
    public String toString() {
        return (webRtcKey != null ? "BrowserLeg[" + webRtcKey + " " : "SipLeg[") + id + " " + direction + " " + state + "]";
    }
}
