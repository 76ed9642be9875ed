package dev.hotline.engine.sip;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallParty;
import dev.hotline.engine.call.CollectEnd;
import dev.hotline.engine.call.DtmfSource;
import dev.hotline.engine.call.Playback;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.call.RecordFormat;
import dev.hotline.engine.call.RecordMode;
import dev.hotline.engine.call.Recording;
import dev.hotline.engine.dtmf.DtmfDigit;
import dev.hotline.engine.dtmf.SipInfoDtmf;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.rtp.ChannelMedia;
import dev.hotline.engine.rtp.MediaListener;
import dev.hotline.engine.rtp.Recorder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.stream.Stream;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.Direction;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.Transfer;
import dev.hotline.engine.call.LegCounters;
import dev.hotline.engine.rtp.RtpEndpoint;
import dev.hotline.engine.sdp.MediaDescription;
import dev.hotline.engine.sdp.MediaDirection;
import dev.hotline.engine.sdp.PayloadType;
import dev.hotline.engine.sdp.Sdp;
import dev.hotline.engine.sdp.SdpException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import gov.nist.javax.sip.stack.SIPDialog;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.Header;
import javax.sip.header.ReferToHeader;
import javax.sip.header.SubscriptionStateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SIP call leg of the B2BUA: its dialog, its anchored media port and its state. Every method
 * whose name starts with "on" or that changes state runs on the call's serial executor {@link #ctx}.
 */
final class SipLeg implements Channel, MediaListener {
    private static final Logger log = LoggerFactory.getLogger(SipLeg.class);

    final SipEngine engine;
    final String id;
    final Direction direction;
    volatile SerialExecutor ctx;
    final CallParty caller;
    final CallParty callee;
    final RtpEndpoint media;
    final long createdNanos = System.nanoTime();

    private volatile ChannelState state = ChannelState.NEW;
    volatile boolean held;
    volatile SipLeg partner;

    // SIP
    Dialog dialog;
    ServerTransaction inviteSt;
    Request inviteRequest;
    ClientTransaction inviteCt;
    String callId;
    String localTag;
    String remoteTag;
    String transport = "udp";
    private boolean provisionalReceived;
    private boolean cancelPending;
    private boolean remoteEnded;

    // media negotiation
    MediaDescription remote;
    PayloadType codec;
    int telephoneEventPt = -1;
    private final long sdpSessionId = System.currentTimeMillis() & 0xFFFFFFFL;
    private long sdpVersion = 1;
    private boolean rtcpMux;

    // outbound dialing
    DialRequest dialRequest;
    volatile long ringDeadlineNanos;
    SipLeg transferor;

    // RFC 4028 session timer
    long sessionInterval;
    volatile long refreshAtNanos;
    volatile long expireAtNanos;
    volatile long answeredNanos;
    volatile long terminatedNanos;
    /** Why and with which SIP status (0 for BYE) this leg ended; written before the state turns final. */
    HangupCause cause;
    int endStatus;

    // bridging two existing legs (SipBridge)
    /** The leg this one is being bridged with by {@link SipBridge}, until the bridge is made or given up. */
    volatile SipLeg bridging;
    /** The supervisor tap on this leg's bridged call, if any (ended when the call is unbridged). */
    volatile SipTap tap;

    // browser legs (Target.WebRtc): no SIP at all, media through the agent's BrowserConnection
    /** The agent key of a browser leg; null for SIP legs. Set once, before the leg is started. */
    volatile String webRtcKey;
    /** The connection a browser leg's media goes through now (it changes when the browser reconnects). */
    volatile BrowserConnection browser;

    SipLeg(SipEngine engine, String id, Direction direction, SerialExecutor ctx, CallParty caller, CallParty callee,
           RtpEndpoint media) {
        this.engine = engine;
        this.id = id;
        this.direction = direction;
        this.ctx = ctx;
        this.caller = caller;
        this.callee = callee;
        this.media = media;
        if (media != null) {
            media.media().setListener(this);
        }
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
            chooseCodec(null);
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

    // ---------------------------------------------------------------- media API

    private ChannelMedia cm() {
        if (media == null) {
            throw new IllegalStateException("channel " + id + " has no media");
        }
        return media.media();
    }

    @Override
    public Playback play(PlaybackRequest request) {
        AudioClip[] clips = new AudioClip[request.items().size()];
        for (int i = 0; i < clips.length; i++) {
            PlaybackRequest.Item it = request.items().get(i);
            if (it instanceof PlaybackRequest.Item.Clip c) {
                clips[i] = c.clip();
            } else {
                Path file = ((PlaybackRequest.Item.File) it).path();
                try {
                    clips[i] = engine.clips.get(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot play " + file, e);
                }
            }
        }
        long pid = cm().play(clips, request.loop(), request.bargeIn());
        return new PlaybackHandle("pb-" + pid, pid);
    }

    private final class PlaybackHandle implements Playback {
        private final String pbId;
        private final long pid;

        PlaybackHandle(String pbId, long pid) {
            this.pbId = pbId;
            this.pid = pid;
        }

        @Override
        public String id() {
            return pbId;
        }

        @Override
        public String channelId() {
            return id;
        }

        @Override
        public void stop() {
            cm().stopPlayback(pid);
        }
    }

    @Override
    public void stopPlayback() {
        cm().stopPlayback(0);
    }

    @Override
    public void sendDtmf(String digits) {
        List<DtmfDigit> keys = new ArrayList<>();
        for (char c : digits.toCharArray()) {
            DtmfDigit d = DtmfDigit.fromSymbol(c);
            if (d == null) {
                throw new IllegalArgumentException("not a DTMF key: '" + c + "'");
            }
            keys.add(d);
        }
        cm().sendDtmf(keys);
    }

    @Override
    public Recording record(Path file, RecordFormat format, RecordMode mode) {
        if (mode.stereo() && !format.supportsStereo()) {
            throw new IllegalArgumentException(format + " recordings are mono");
        }
        ChannelMedia m = cm();
        Recorder r;
        try {
            r = engine.relay().openRecording(file, format.encoding(), mode.stereo(), this::onRecordingFinished);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record to " + file, e);
        }
        m.record(r);
        return new RecordingHandle(r, () -> m.stopRecording(r));
    }

    /** A recording handle over the media layer's recorder. */
    static final class RecordingHandle implements Recording {
        private final Recorder r;
        private final Runnable stopper;

        RecordingHandle(Recorder r, Runnable stopper) {
            this.r = r;
            this.stopper = stopper;
        }

        @Override
        public String id() {
            return r.id();
        }

        @Override
        public Path path() {
            return r.file();
        }

        @Override
        public Duration duration() {
            return r.duration();
        }

        @Override
        public void pause() {
            r.pause();
        }

        @Override
        public void resume() {
            r.resume();
        }

        @Override
        public void stop() {
            stopper.run();
        }

        @Override
        public boolean finished() {
            return r.finished();
        }
    }

    private volatile boolean musicOnHold;
    private volatile boolean muted;

    @Override
    public void hold(Path musicFolder) {
        Path dir = musicFolder.toAbsolutePath().normalize();
        List<AudioClip> tracks = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav"))
                    .sorted().toList()) {
                tracks.add(engine.clips.get(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read music folder " + dir, e);
        }
        if (tracks.isEmpty()) {
            tracks.add(AudioClip.silence(Duration.ofSeconds(1)));
        }
        musicOnHold = true;
        cm().hold(tracks.toArray(new AudioClip[0]), dir.toString());
    }

    @Override
    public void unhold() {
        musicOnHold = false;
        cm().unhold();
    }

    @Override
    public boolean musicOnHold() {
        return musicOnHold;
    }

    @Override
    public void mute(boolean on) {
        muted = on;
        cm().mute(on);
    }

    @Override
    public boolean muted() {
        return muted;
    }

    // ---- digits: collection state belongs to the call executor

    private final StringBuilder typeAhead = new StringBuilder();
    private DigitCollection collection;
    private long collectionGen;
    private ScheduledFuture<?> collectionTimer;

    /** One {@link #collectDigits} in progress. */
    private static final class DigitCollection {
        final int max;
        final char terminator;
        final Duration first;
        final Duration inter;
        final StringBuilder digits = new StringBuilder();

        DigitCollection(int max, char terminator, Duration first, Duration inter) {
            this.max = max;
            this.terminator = terminator;
            this.first = first;
            this.inter = inter;
        }
    }

    @Override
    public void collectDigits(int maxDigits, char terminator, Duration firstDigitTimeout, Duration interDigitTimeout) {
        if (maxDigits < 1) {
            throw new IllegalArgumentException("maxDigits must be at least 1");
        }
        post(() -> {
            if (collection != null) {
                endCollection(CollectEnd.CANCELLED);
            }
            if (state.isFinal()) {
                engine.emit(new CallEvent.DigitsCollected(id, "", CollectEnd.HANGUP, Instant.now()));
                return;
            }
            collection = new DigitCollection(maxDigits, terminator, firstDigitTimeout, interDigitTimeout);
            String pending = typeAhead.toString();
            typeAhead.setLength(0);
            for (int i = 0; i < pending.length() && collection != null; i++) {
                feedCollection(pending.charAt(i));
            }
            if (collection != null) {
                armCollection(collection.digits.length() == 0 ? firstDigitTimeout : interDigitTimeout);
            }
        });
    }

    private void armCollection(Duration d) {
        if (collectionTimer != null) {
            collectionTimer.cancel(false);
        }
        long gen = ++collectionGen;
        collectionTimer = engine.schedule(() -> post(() -> {
            if (collection != null && collectionGen == gen) {
                endCollection(collection.digits.length() == 0 ? CollectEnd.FIRST_DIGIT_TIMEOUT
                        : CollectEnd.INTER_DIGIT_TIMEOUT);
            }
        }), d);
    }

    private void feedCollection(char c) {
        DigitCollection dc = collection;
        if (dc.terminator != 0 && c == dc.terminator) {
            endCollection(CollectEnd.TERMINATOR);
            return;
        }
        dc.digits.append(c);
        if (dc.digits.length() >= dc.max) {
            endCollection(CollectEnd.MAX_DIGITS);
        } else {
            armCollection(dc.inter);
        }
    }

    private void endCollection(CollectEnd end) {
        DigitCollection dc = collection;
        collection = null;
        collectionGen++;
        if (collectionTimer != null) {
            collectionTimer.cancel(false);
            collectionTimer = null;
        }
        if (dc != null) {
            engine.emit(new CallEvent.DigitsCollected(id, dc.digits.toString(), end, Instant.now()));
        }
    }

    /** Every key, whatever carried it, comes here on the call executor. */
    void onDigit(DtmfDigit d, DtmfSource source) {
        if (state.isFinal()) {
            return;
        }
        engine.emit(new CallEvent.DtmfReceived(id, d.symbol(), source, Instant.now()));
        if (collection != null) {
            feedCollection(d.symbol());
        } else if (typeAhead.length() < 32) {
            typeAhead.append(d.symbol());
        }
    }

    /** SIP INFO inside the dialog: DTMF bodies become keys; anything else is just acknowledged. */
    void onInfo(RequestEvent e, ServerTransaction st) {
        Request req = e.getRequest();
        engine.send(st, engine.response(Response.OK, req, null));
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

    /**
     * Stops what the engine itself sends to this party (playback, music on hold) so that the clock
     * no longer generates to it and the bridged peer's packets are relayed. Any thread.
     */
    void stopGenerating() {
        if (media == null) {
            return;
        }
        stopPlayback();
        unhold();
    }

    /** Ends a digit collection in progress ({@link CollectEnd#CANCELLED}) and forgets typed-ahead keys. Call executor. */
    void cancelDigitCollection() {
        if (collection != null) {
            endCollection(CollectEnd.CANCELLED);
        }
        typeAhead.setLength(0);
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

    void sendProvisional(int code, String sdp) {
        if (direction != Direction.INBOUND || state.isFinal() || state == ChannelState.UP) {
            return;
        }
        Response r = engine.response(code, inviteRequest, localTag);
        if (r == null) {
            return;
        }
        if (sdp != null) {
            engine.setSdp(r, sdp);
        }
        if (code != Response.TRYING) {
            r.addHeader(engine.contact(transport));
        }
        engine.send(inviteSt, r);
        ChannelState next = sdp != null ? ChannelState.EARLY_MEDIA : ChannelState.RINGING;
        if (state != next && state.canMoveTo(next)) {
            moveTo(next);
            engine.emit(next == ChannelState.RINGING ? new CallEvent.ChannelRinging(id, Instant.now())
                    : new CallEvent.ChannelProgress(id, Instant.now()));
        }
    }

    /** Answers the inbound leg with our SDP for the codec already chosen (RFC 3264 §6). */
    void answerInbound() {
        Response r = engine.response(Response.OK, inviteRequest, localTag);
        if (r == null) {
            return;
        }
        r.addHeader(engine.contact(transport));
        engine.setSdp(r, localSdp(remote.direction().answer()));
        engine.sessionTimerOnAnswer(this, r);
        engine.send(inviteSt, r);
        moveTo(ChannelState.UP);
        engine.emit(new CallEvent.ChannelAnswered(id, Instant.now()));
    }

    String localSdp(MediaDirection dir) {
        List<PayloadType> pts = new ArrayList<>(2);
        pts.add(codec);
        if (telephoneEventPt >= 0) {
            pts.add(new PayloadType(telephoneEventPt, "telephone-event", 8000));
        }
        return Sdp.write(sdpSessionId, sdpVersion, engine.config.advertisedAddress(), media.localPort(), pts, dir, rtcpMux);
    }

    /** The offer we make on an outbound leg: the partner's preferences first, both G.711 laws always. */
    String offerSdp(SipLeg from) {
        List<PayloadType> pts = new ArrayList<>();
        PayloadType first = from.codec != null ? from.codec
                : from.remote != null ? from.remote.firstG711().orElse(PayloadType.PCMU) : PayloadType.PCMU;
        pts.add(first.isPcmu() ? PayloadType.PCMU : PayloadType.PCMA);
        pts.add(first.isPcmu() ? PayloadType.PCMA : PayloadType.PCMU);
        // An originated leg (no partner) offers telephone-event itself, to hear the party's keys (RFC 4733).
        int te = from == this ? 101 : from.remote != null ? from.remote.telephoneEvent().map(PayloadType::number).orElse(-1) : -1;
        if (te >= 0) {
            pts.add(new PayloadType(te, "telephone-event", 8000));
        }
        return Sdp.write(sdpSessionId, sdpVersion, engine.config.advertisedAddress(), media.localPort(), pts,
                MediaDirection.SENDRECV, false);
    }

    /**
     * Picks this (inbound) leg's codec from its remote offer: the same law as {@code preferred} when
     * offered (payload untouched), otherwise the first offered G.711 law (transcoded by the relay).
     */
    void chooseCodec(PayloadType preferred) {
        PayloadType pick = null;
        if (preferred != null) {
            pick = remote.find(p -> p.isPcmu() == preferred.isPcmu() && p.isG711()).orElse(null);
        }
        if (pick == null) {
            pick = remote.firstG711().orElseThrow();
        }
        codec = pick;
        telephoneEventPt = remote.telephoneEvent().map(PayloadType::number).orElse(-1);
        rtcpMux = remote.rtcpMux();
        media.setCodec(codec, telephoneEventPt);
    }

    void onCancel(RequestEvent e, ServerTransaction cancelSt) {
        engine.send(cancelSt, engine.response(Response.OK, e.getRequest(), null));
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
        engine.send(st, engine.response(Response.OK, e.getRequest(), null));
        remoteEnded = true;
        terminate(HangupCause.NORMAL_CLEARING, 0, true);
    }

    /** Re-INVITE: hold/resume or session refresh, answered locally (RFC 3264 §8, RFC 4028 §9). */
    void onReInvite(RequestEvent e, ServerTransaction st) {
        Request req = e.getRequest();
        if (state != ChannelState.UP) {
            engine.send(st, engine.response(Response.REQUEST_PENDING, req, null));
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
                engine.send(st, engine.notAcceptable(req, ex.getMessage()));
                return;
            }
            remote = offer;
            if (!offer.isHold()) {
                media.setRemote(offer.address(), offer.port(), offer.rtcpPort(), offer.rtcpMux());
            }
            PayloadType keep = codec;
            if (offer.find(p -> p.number() == keep.number()).isEmpty()) {
                chooseCodec(keep);
            }
            sdpVersion++;
        }
        Response r = engine.response(Response.OK, req, null);
        r.addHeader(engine.contact(transport));
        engine.setSdp(r, localSdp(remote.direction().answer()));
        engine.sessionTimerOnRefresh(this, req, r);
        engine.send(st, r);
        boolean nowHeld = remote.isHold();
        if (nowHeld != held) {
            held = nowHeld;
            media.touch();
            engine.emit(new CallEvent.ChannelHold(id, nowHeld, Instant.now()));
        }
    }

    /** UPDATE (RFC 3311) without SDP: only a session refresh here. */
    void onUpdate(RequestEvent e, ServerTransaction st) {
        Response r = engine.response(Response.OK, e.getRequest(), null);
        engine.sessionTimerOnRefresh(this, e.getRequest(), r);
        engine.send(st, r);
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
            String sdp = null;
            byte[] body = resp.getRawContent();
            if (body != null && body.length > 0 && takeAnswer(body)) {
                sdp = "early";
            }
            ChannelState next = sdp != null ? ChannelState.EARLY_MEDIA : ChannelState.RINGING;
            if (state != next && state.canMoveTo(next)) {
                moveTo(next);
                engine.emit(next == ChannelState.RINGING ? new CallEvent.ChannelRinging(id, Instant.now())
                        : new CallEvent.ChannelProgress(id, Instant.now()));
            }
            SipLeg p = partner;
            if (p != null) {
                boolean early = sdp != null;
                p.post(() -> p.onPartnerProgress(this, status, early));
            }
            return;
        }
        if (status < 300) {
            Dialog d = e.getDialog() != null ? e.getDialog() : dialog;
            dialog = d;
            engine.ack(d, cseq.getSeqNumber());
            if (state.isFinal()) {
                engine.bye(d); // answered after we gave up: RFC 3261 §9.1 race
                return;
            }
            byte[] body = resp.getRawContent();
            if (body == null || body.length == 0 || !takeAnswer(body)) {
                engine.bye(d);
                terminateSilently(HangupCause.INCOMPATIBLE_DESTINATION, Response.NOT_ACCEPTABLE_HERE);
                return;
            }
            engine.sessionTimerOnOutboundAnswer(this, resp);
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
            engine.ack(d, cseq.getSeqNumber());
        } else if (status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST || status == Response.REQUEST_TIMEOUT) {
            // RFC 4028 §10: a failed refresh ends the session.
            remoteEnded = status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST;
            terminate(HangupCause.SESSION_TIMEOUT, 0, true);
        }
    }

    /** Takes the remote SDP answer of an outbound leg; false when it is unusable. */
    private boolean takeAnswer(byte[] body) {
        try {
            MediaDescription ans = Sdp.parse(body);
            PayloadType pt = ans.firstG711().orElseThrow(() -> new SdpException("no G.711 in answer"));
            remote = ans;
            codec = pt;
            telephoneEventPt = ans.telephoneEvent().map(PayloadType::number).orElse(-1);
            media.setCodec(codec, telephoneEventPt);
            media.setRemote(ans.address(), ans.port(), ans.rtcpPort(), ans.rtcpMux());
            return true;
        } catch (SdpException ex) {
            log.info("channel {}: bad SDP answer: {}", id, ex.getMessage());
            return false;
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
        engine.cancel(inviteCt);
    }

    // ---------------------------------------------------------------- partner relations

    /** The outbound partner rang or sent early media: relay to this (inbound) leg. */
    void onPartnerProgress(SipLeg out, int status, boolean early) {
        if (state.isFinal() || state == ChannelState.UP || partner != out || direction != Direction.INBOUND) {
            return;
        }
        if (early) {
            chooseCodec(out.codec);
            RtpEndpoint.link(media, out.media);
            sendProvisional(Response.SESSION_PROGRESS, localSdp(remote.direction().answer()));
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
            chooseCodec(out.codec);
            answerInbound();
        }
        RtpEndpoint.link(media, out.media);
        engine.emit(new CallEvent.ChannelBridged(id, out.id, Instant.now()));
        SipLeg referrer = out.transferor;
        if (referrer != null) {
            out.transferor = null;
            referrer.post(() -> referrer.finishTransfer(200));
        }
    }

    /** The partner ended: follow it, or stay for the server when it asked so. */
    void onPartnerEnded(SipLeg other, HangupCause why, int status) {
        if (partner != other || state.isFinal()) {
            return;
        }
        partner = null;
        media.unlink();
        SipLeg referrer = other.transferor;
        if (referrer != null) {
            other.transferor = null;
            referrer.post(() -> referrer.finishTransfer(status == 0 ? 500 : status));
        }
        boolean follow = other.dialRequest == null || other.dialRequest.failInboundOnFailure() || other.state() == ChannelState.TERMINATED && other.answeredNanos != 0;
        if (!follow) {
            return;
        }
        int relay = status >= 300 && status != Response.REQUEST_TERMINATED ? status : why.sipStatus();
        terminate(why, relay, false);
    }

    // ---------------------------------------------------------------- transfer (RFC 3515, RFC 3891)

    void onRefer(RequestEvent e, ServerTransaction st) {
        Request req = e.getRequest();
        ReferToHeader referTo = (ReferToHeader) req.getHeader(ReferToHeader.NAME);
        if (referTo == null) {
            engine.send(st, engine.response(Response.BAD_REQUEST, req, null, "Missing Refer-To"));
            return;
        }
        SipLeg peer = partner;
        if (state != ChannelState.UP || peer == null || peer.isFinal()) {
            engine.send(st, engine.response(Response.FORBIDDEN, req, null, "Nothing to transfer"));
            return;
        }
        String user = "";
        String host = "";
        Optional<SipLeg> replaces = Optional.empty();
        if (referTo.getAddress().getURI() instanceof SipURI uri) {
            user = uri.getUser() == null ? "" : uri.getUser();
            host = uri.getHost();
            String rep = uri.getHeader("Replaces");
            if (rep != null) {
                // RFC 3891 §6.1: callid;to-tag=...;from-tag=... (to-tag is our tag on the replaced dialog)
                String[] parts = URLDecoder.decode(rep, StandardCharsets.UTF_8).split(";");
                String toTag = null;
                for (String p : parts) {
                    if (p.startsWith("to-tag=")) {
                        toTag = p.substring(7);
                    }
                }
                replaces = engine.findDialog(parts[0], toTag);
                if (replaces.isEmpty()) {
                    engine.send(st, engine.response(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, req, null));
                    return;
                }
            }
        }
        engine.send(st, engine.response(Response.ACCEPTED, req, null));
        sendReferNotify("SIP/2.0 100 Trying", false);
        SipLeg replaced = replaces.orElse(null);
        Transfer t = new TransferHandle(this, peer, replaced);
        engine.emit(new CallEvent.TransferRequested(id, peer.id, new CallParty(user, host, ""),
                replaces.map(SipLeg::id), t, Instant.now()));
    }

    void finishTransfer(int status) {
        engine.emit(new CallEvent.TransferCompleted(id, status, Instant.now()));
        if (state.isFinal()) {
            return;
        }
        String reason = status == 200 ? "OK" : "Failed";
        sendReferNotify("SIP/2.0 " + status + " " + reason, true);
        if (status == 200) {
            terminate(HangupCause.TRANSFERRED, 0, false);
        }
    }

    /** RFC 3515 §2.4.5: NOTIFY with a message/sipfrag body on the REFER's implicit subscription. */
    void sendReferNotify(String sipfrag, boolean terminated) {
        try {
            Request n = dialog.createRequest(Request.NOTIFY);
            n.addHeader(engine.hf.createEventHeader("refer"));
            SubscriptionStateHeader ss = engine.hf.createSubscriptionStateHeader(
                    terminated ? SubscriptionStateHeader.TERMINATED : SubscriptionStateHeader.ACTIVE);
            if (terminated) {
                ss.setReasonCode("noresource");
            } else {
                ss.setExpires(60);
            }
            n.addHeader(ss);
            ContentTypeHeader ct = engine.hf.createContentTypeHeader("message", "sipfrag");
            ct.setParameter("version", "2.0");
            n.setContent(sipfrag + "\r\n", ct);
            SipEngine.withBranch(n);
            ClientTransaction tx = engine.provider.getNewClientTransaction(n);
            tx.setApplicationData(this);
            dialog.sendRequest(tx);
        } catch (Exception ex) {
            log.info("channel {}: NOTIFY failed: {}", id, ex.toString());
        }
    }

    private static final class TransferHandle implements Transfer {
        private final SipLeg referrer;
        private final SipLeg transferee;
        private final SipLeg replaced;
        private final java.util.concurrent.atomic.AtomicBoolean used = new java.util.concurrent.atomic.AtomicBoolean();

        TransferHandle(SipLeg referrer, SipLeg transferee, SipLeg replaced) {
            this.referrer = referrer;
            this.transferee = transferee;
            this.replaced = replaced;
        }

        private void once() {
            if (!used.compareAndSet(false, true)) {
                throw new IllegalStateException("transfer already answered");
            }
        }

        @Override
        public void accept(dev.hotline.engine.call.DialRequest request) {
            once();
            referrer.post(() -> {
                if (referrer.partner != transferee || transferee.isFinal()) {
                    referrer.finishTransfer(481);
                    return;
                }
                referrer.partner = null;
                referrer.media.unlink();
                transferee.post(() -> {
                    transferee.partner = null;
                    SipLeg c = referrer.engine.dialFor(transferee, request);
                    c.transferor = referrer;
                });
            });
        }

        @Override
        public void acceptReplaces() {
            once();
            if (replaced == null) {
                throw new IllegalStateException("not an attended transfer");
            }
            referrer.post(() -> {
                if (referrer.partner != transferee || transferee.isFinal()) {
                    referrer.finishTransfer(481);
                    return;
                }
                referrer.partner = null;
                referrer.media.unlink();
                replaced.post(() -> {
                    SipLeg target = replaced.partner;
                    if (target == null || target.isFinal() || replaced.isFinal()) {
                        referrer.post(() -> referrer.finishTransfer(481));
                        return;
                    }
                    replaced.partner = null;
                    replaced.media.unlink();
                    replaced.terminate(HangupCause.TRANSFERRED, 0, false);
                    target.partner = transferee;
                    transferee.partner = target;
                    RtpEndpoint.link(transferee.media, target.media);
                    referrer.engine.emit(new CallEvent.ChannelBridged(transferee.id, target.id, Instant.now()));
                    referrer.post(() -> referrer.finishTransfer(200));
                });
            });
        }

        @Override
        public void reject() {
            once();
            referrer.post(() -> referrer.finishTransfer(603));
        }
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
                engine.bye(dialog);
            } else if (direction == Direction.INBOUND) {
                int code = status >= 300 ? status : why.sipStatus();
                engine.send(inviteSt, engine.response(code, inviteRequest, localTag));
            } else if (provisionalReceived) {
                sendCancel();
            } else {
                cancelPending = true; // RFC 3261 §9.1: CANCEL only after a provisional response
            }
        }
        cause = why;
        endStatus = status;
        moveTo(ChannelState.TERMINATED);
        if (collection != null) {
            endCollection(CollectEnd.HANGUP);
        }
        terminatedNanos = System.nanoTime();
        if (media != null) {
            media.close();
        }
        if (webRtcKey != null) {
            engine.browserLegEnded(this);
        }
        engine.legEnded(this);
        engine.emit(new CallEvent.ChannelHungUp(id, why, status, Instant.now()));
        SipLeg p = partner;
        if (cascade && p != null && !p.isFinal()) {
            p.post(() -> p.onPartnerEnded(this, why, status));
        }
    }

    /** True while an outbound leg still waits for a provisional response to send its CANCEL. */
    boolean cancelPending() {
        return cancelPending;
    }

    long ageSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - createdNanos);
    }

    Header header(String name) {
        return inviteRequest == null ? null : inviteRequest.getHeader(name);
    }

    @Override
    public String toString() {
        return (webRtcKey != null ? "BrowserLeg[" + webRtcKey + " " : "SipLeg[") + id + " " + direction + " " + state + "]";
    }
}
