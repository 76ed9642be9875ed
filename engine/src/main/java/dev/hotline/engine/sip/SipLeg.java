package dev.hotline.engine.sip;

import dev.hotline.engine.amd.AmdParams;
import dev.hotline.engine.amd.AmdResult;
import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallParty;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.Direction;
import dev.hotline.engine.call.DtmfSource;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.LegCounters;
import dev.hotline.engine.call.MediaQuality;
import dev.hotline.engine.call.Playback;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.call.RecordFormat;
import dev.hotline.engine.call.RecordMode;
import dev.hotline.engine.call.Recording;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.dtmf.DtmfDigit;
import dev.hotline.engine.rtp.MediaListener;
import dev.hotline.engine.rtp.Recorder;
import dev.hotline.engine.rtp.RtpEndpoint;
import dev.hotline.engine.sdp.MediaDescription;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import dev.hotline.engine.fax.FaxDocument;
import dev.hotline.engine.fax.FaxResult;
import dev.hotline.engine.fax.FaxTimers;
import java.util.concurrent.TimeUnit;
import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * One call leg of the B2BUA as the server's {@link Channel}: its state, its partner leg and its anchored
 * media port. Built by {@link #inbound} for an INVITE received and by {@link #outbound} for a leg the
 * {@link Dialer} places. Every method whose name starts with "on" or that changes state runs on the
 * call's serial executor {@link #ctx}. Its collaborators: {@link LegSignalling} (its SIP transaction and
 * dialog), {@link SdpNegotiation} (offer/answer), {@link LegMedia} (playback, recording, hold music),
 * {@link DigitCollector} (DTMF collection), {@link SessionTimer} (RFC 4028).
 */
final class SipLeg implements Channel, MediaListener {
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
    private final SdpNegotiation sdp;
    private final LegMedia audio;
    private final DigitCollector digits = new DigitCollector(this);
    private final SessionTimer sessionTimer = new SessionTimer();
    private final LegSignalling sip;

    private volatile ChannelState state = ChannelState.NEW;
    private volatile boolean held;
    private volatile SipLeg partner;

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
    /** The bridged peer whose hang-up this leg outlives ({@link dev.hotline.engine.call.PeerHangup#STAY}); null: it follows. */
    private SipLeg staysAfter;

    /** The fax terminal of this leg (MSG-5), null when it is no fax leg. Call executor. */
    private LegFax fax;

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
        this.sdp = new SdpNegotiation(id, media, engine.config.advertisedAddress(), invite == null ? null : invite.offer());
        this.audio = new LegMedia(engine, id, media, this::onRecordingFinished);
        this.sip = new LegSignalling(this, engine.msg, engine.sessionTimers(), invite);
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
    public Optional<Target> target() {
        return dialRequest == null ? Optional.empty() : Optional.of(dialRequest.target());
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
    public MediaQuality mediaQuality() {
        return media == null ? MediaQuality.NONE : media.quality();
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
                sip.sendProvisional(Response.RINGING, null);
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
            sip.answerInbound();
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

    @Override
    public CompletionStage<AmdResult> detectMachine(AmdParams params) {
        return audio.detectMachine(params).thenApplyAsync(r -> r, this::post);
    }

    @Override
    public CompletionStage<FaxResult> fax(FaxDocument document, String ident, FaxTimers timers) {
        CompletableFuture<FaxResult> done = new CompletableFuture<>();
        post(() -> {
            String refusal = webRtcKey != null || media == null ? "a browser leg cannot fax"
                    : state.isFinal() ? "the call has ended"
                    : fax != null ? "this leg already faxes"
                    : sdp.srtp() ? "no T.38 on an SRTP call"
                    : media.peer() != null ? "the leg is bridged" : null;
            if (refusal != null) {
                done.complete(FaxResult.failure(0, null, refusal, null));
                return;
            }
            stopGenerating();
            fax = new LegFax(this, document, ident, timers);
            fax.result.whenComplete((r, e) -> done.complete(r));
            if (state == ChannelState.UP) {
                fax.begin();
            }
        });
        return done;
    }

    LegFax fax() {
        return fax;
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

    @Override
    public void clearDigits() {
        post(digits::cancel);
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
        if (next == ChannelState.UP && fax != null) {
            LegFax f = fax;
            post(f::begin);
        }
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

    /** The no-answer timer of this outbound leg ran out. */
    void onNoAnswer() {
        if (!state.isFinal() && state != ChannelState.UP) {
            terminate(HangupCause.NO_ANSWER, Response.TEMPORARILY_UNAVAILABLE, true);
        }
    }

    /** A re-INVITE put the party on hold or took it off (RFC 3264 §8.4). */
    void holdChanged(boolean nowHeld) {
        if (nowHeld != held) {
            held = nowHeld;
            media.touch();
            engine.emit(new CallEvent.ChannelHold(id, nowHeld, Instant.now()));
        }
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
            sip.sendProvisional(Response.SESSION_PROGRESS, sdp.localAnswer());
        } else {
            sip.sendProvisional(status == Response.SESSION_PROGRESS ? Response.SESSION_PROGRESS : Response.RINGING, null);
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
            sip.answerInbound();
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
        if (staysAfter == other) {
            // Kept for the server (e.g. a survey): answered without a peer, so the clock plays to it and decodes its keys.
            staysAfter = null;
            media.media().markAnswered();
            engine.emit(new CallEvent.PeerLeft(id, other.id, Instant.now()));
            return;
        }
        boolean follow = other.dialRequest == null || other.dialRequest.failInboundOnFailure() || other.state() == ChannelState.TERMINATED && other.answeredNanos() != 0;
        if (!follow) {
            return;
        }
        int relay = status >= 300 && status != Response.REQUEST_TERMINATED ? status : why.sipStatus();
        if (relay == Response.UNAUTHORIZED || relay == Response.PROXY_AUTHENTICATION_REQUIRED) {
            relay = Response.FORBIDDEN; // the carrier's challenge was to us (a trunk's credentials): the caller cannot answer it
        }
        terminate(why, relay, false);
    }

    // ---------------------------------------------------------------- ending

    /** Ends the leg without signalling (the remote side already ended it). */
    void terminateSilently(HangupCause why, int status) {
        sip.remoteEnded();
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
        if (webRtcKey == null) {
            sip.end(state, why, status);
        }
        cause = why;
        endStatus = status;
        moveTo(ChannelState.TERMINATED);
        digits.hungUp();
        if (fax != null) {
            fax.fail("the call ended");
        }
        terminatedNanos = System.nanoTime();
        if (media != null) {
            media.close();
        }
        if (webRtcKey != null) {
            engine.browsers().legEnded(this);
        }
        engine.legEnded(this);
        engine.emit(new CallEvent.ChannelHungUp(id, why, status, mediaQuality(), Instant.now()));
        SipLeg p = partner;
        if (cascade && p != null && !p.isFinal()) {
            p.post(() -> p.onPartnerEnded(this, why, status));
        }
    }

    // ---------------------------------------------------------------- for the engine's other classes

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

    LegSignalling sip() {
        return sip;
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

    /** On this leg's executor: it outlives the hang-up of {@code peer} (null: it follows whoever its partner is). */
    void staysAfter(SipLeg peer) {
        staysAfter = peer;
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
