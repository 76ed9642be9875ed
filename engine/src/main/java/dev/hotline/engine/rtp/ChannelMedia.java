package dev.hotline.engine.rtp;

import dev.hotline.engine.amd.AmdDetector;
import dev.hotline.engine.amd.AmdParams;
import dev.hotline.engine.amd.AmdResult;
import dev.hotline.engine.codec.AudioCodec;
import dev.hotline.engine.codec.CodecType;
import dev.hotline.engine.codec.G711;
import dev.hotline.engine.dtmf.DtmfDigit;
import dev.hotline.engine.dtmf.InbandDtmfDetector;
import dev.hotline.engine.dtmf.TelephoneEventGenerator;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.media.JitterBuffer;
import dev.hotline.engine.media.MixMode;
import dev.hotline.engine.sdp.PayloadType;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine-side media of one leg, worked by the {@link MediaClock}: decoding what the remote party
 * sends (jitter buffer, in-band DTMF), and producing what it hears when that is not the bridged
 * peer's packets as they are (prompts, music on hold, mixes, DTMF). Public methods may be called from
 * any thread; they post commands to the clock. Everything else is confined to the clock thread.
 */
public final class ChannelMedia {
    private static final int F = AudioClip.FRAME_SAMPLES;
    private static final AtomicLong PLAYBACK_IDS = new AtomicLong();
    /** RFC 4733 event length we send: 100 ms, then 60 ms before the next key. */
    private static final int DTMF_SAMPLES = 800;
    private static final int DTMF_GAP_TICKS = 3;

    final RtpEndpoint ep;
    final MediaClock clock;
    volatile MediaListener listener;
    /** Non-null while the clock decodes this leg: the reactor copies received audio packets in. */
    volatile PacketRing ring;
    /** True while the clock sends to this leg itself: the peer's packets are then not forwarded here. */
    volatile boolean generating;
    /** False while this leg's audio must not reach its peer (muted, held, mixed). */
    volatile boolean forwardIn = true;

    /**
     * True while this leg is pure pass-through: the engine sends nothing of its own to it (prompt, music, mix) and its
     * party's packets reach the peer (not muted, held or mixed). What a T.38 relay needs (MSG-5).
     */
    public boolean passThrough() {
        return forwardIn && !generating;
    }

    // ---- clock thread only
    boolean listed;
    boolean closed;
    private boolean answered;
    boolean muted;
    boolean held;
    private PacketRing ownRing;
    private JitterBuffer jb;
    private InbandDtmfDetector detector;
    private AmdDetector amd;
    private CompletableFuture<AmdResult> amdDone;
    final short[] in = new short[F];
    final short[] out = new short[F];
    final short[] mixOut = new short[F];
    MixGroup group;
    private PlayState playback;
    private PlayState moh;
    private String mohKey;
    private int mohIndex;
    private int mohPos;
    Recorder recorder;
    long peerNeedTick = Long.MIN_VALUE / 2;
    private final ArrayDeque<DtmfDigit> dtmfQueue = new ArrayDeque<>();
    private List<TelephoneEventGenerator.Packet> tePackets;
    private int teIdx;
    private int teTs;
    private DtmfDigit toneDigit;
    private int toneTicks;
    private int gapTicks;
    private double phaseLow;
    private double phaseHigh;
    // RTP we send (RFC 3550 §5.1): our own SSRC, sequence and timestamp
    private final byte[] pkt = new byte[12 + Math.max(F, CodecType.OPUS.payloadBytes(F))];
    private final ByteBuffer pktBuf = ByteBuffer.wrap(pkt);
    private final byte[] rx = new byte[PacketRing.SLOT_BYTES];
    private final short[] pcm = new short[PacketRing.SLOT_BYTES];
    private final int ssrc = ThreadLocalRandom.current().nextInt();
    private int seq = ThreadLocalRandom.current().nextInt(0x10000);
    private int ts = ThreadLocalRandom.current().nextInt();
    private boolean talking;
    /** The codec decoding what the party sends / encoding what we send, when not G.711 (made for the leg's format). */
    private AudioCodec rxCodec;
    private AudioCodec txCodec;

    ChannelMedia(RtpEndpoint ep, MediaClock clock) {
        this.ep = ep;
        this.clock = clock;
    }

    /** The SSRC of the RTP the engine itself sends on this leg (prompts, mixes, DTMF). */
    int ssrc() {
        return ssrc;
    }

    // ================================================================ control (any thread)

    public void setListener(MediaListener l) {
        this.listener = l;
    }

    /** The leg is answered: when it has no bridged peer the clock decodes it (IVR, in-band DTMF). */
    public void markAnswered() {
        clock.execute(() -> {
            answered = true;
            clock.activate(this);
        });
    }

    /** Re-evaluates whether the clock must work on this leg (e.g. after its peer went away). */
    public void wake() {
        clock.execute(() -> clock.activate(this));
    }

    /** Starts playing {@code clips} to this leg, replacing any playback; returns the playback id. */
    public long play(AudioClip[] clips, boolean loop, boolean bargeIn) {
        long id = PLAYBACK_IDS.incrementAndGet();
        PlayState p = new PlayState(id, clips, loop, bargeIn);
        clock.execute(() -> {
            if (closed) {
                notifyPlayback(id, false);
                return;
            }
            finishPlayback(false);
            playback = p;
            clock.activate(this);
        });
        return id;
    }

    /** Stops playback {@code id} (0: whatever plays). */
    public void stopPlayback(long id) {
        clock.execute(() -> {
            if (playback != null && (id == 0 || playback.id == id)) {
                finishPlayback(false);
            }
        });
    }

    /** Puts this leg on hold with music: it hears {@code playlist} from where it left it last time. */
    public void hold(AudioClip[] playlist, String key) {
        clock.execute(() -> {
            if (closed) {
                return;
            }
            if (!key.equals(mohKey)) {
                mohKey = key;
                mohIndex = 0;
                mohPos = 0;
            }
            moh = new PlayState(0, playlist, true, false);
            moh.index = mohIndex < playlist.length ? mohIndex : 0;
            moh.pos = mohPos;
            held = true;
            updateForwarding();
            clock.activate(this);
        });
    }

    public void unhold() {
        clock.execute(() -> {
            if (moh != null) {
                mohIndex = moh.index;
                mohPos = moh.pos;
                moh = null;
            }
            held = false;
            updateForwarding();
        });
    }

    /** Muted: this leg's audio reaches nobody (not its peer, not a mix). */
    public void mute(boolean on) {
        clock.execute(() -> {
            muted = on;
            updateForwarding();
        });
    }

    /** Queues keys to send: RFC 4733 events when the leg negotiated telephone-event, else tones. */
    public void sendDtmf(List<DtmfDigit> digits) {
        clock.execute(() -> {
            if (!closed) {
                dtmfQueue.addAll(digits);
                clock.activate(this);
            }
        });
    }

    /**
     * Runs answering-machine detection on what this leg's party says, from the next tick on, replacing any detection
     * in progress (which completes with what it had). The future completes on the clock thread: attach only a
     * hand-off to another executor. A leg that ends first gives HANGUP (or the decision taken so far).
     */
    public CompletableFuture<AmdResult> detectMachine(AmdParams params) {
        AmdDetector d = new AmdDetector(params);
        CompletableFuture<AmdResult> done = new CompletableFuture<>();
        clock.execute(() -> {
            stopAmd();
            if (closed) {
                done.complete(d.stop());
                return;
            }
            amd = d;
            amdDone = done;
            clock.activate(this);
        });
        return done;
    }

    private void stopAmd() {
        if (amd != null) {
            AmdResult r = amd.stop();
            CompletableFuture<AmdResult> f = amdDone;
            amd = null;
            amdDone = null;
            f.complete(r);
        }
    }

    /** Feeds a recording from this leg from the next tick on: left = what the party says, right = what it hears. */
    public void record(Recorder r) {
        clock.execute(() -> {
            if (closed) {
                r.stop();
                return;
            }
            if (recorder != null) {
                recorder.stop();
            }
            recorder = r;
            clock.activate(this);
        });
    }

    /** Stops the recording {@code r} (or any, when null). */
    public void stopRecording(Recorder r) {
        clock.execute(() -> {
            if (recorder != null && (r == null || recorder == r)) {
                recorder.stop();
                recorder = null;
            }
        });
        if (r != null) {
            r.stop();
        }
    }

    /** The endpoint closed: ends playback, recording and group membership. */
    void close() {
        clock.execute(() -> {
            if (closed) {
                return;
            }
            finishPlayback(false);
            if (recorder != null) {
                recorder.stop();
                recorder = null;
            }
            if (group != null) {
                group.remove(this);
            }
            dtmfQueue.clear();
            stopAmd();
            closed = true;
        });
    }

    /** A key arrived by signalling (SIP INFO): a barge-in playback stops. */
    public void keyPressed() {
        long before = PLAYBACK_IDS.get();
        clock.execute(() -> bargeIn(before));
    }

    // ================================================================ reactor thread

    /** A key from the reactor (RFC 4733): reported, and a barge-in playback stops. */
    void onTelephoneEvent(DtmfDigit d) {
        // Only a playback started before the key stops: the server may answer this very key with a new prompt (a menu
        // choice), which this barge-in, run later on the clock thread, must not cut off.
        long before = PLAYBACK_IDS.get();
        MediaListener l = listener;
        if (l != null) {
            l.onDtmf(d, false);
        }
        clock.execute(() -> bargeIn(before));
    }

    // ================================================================ clock thread

    private void bargeIn() {
        bargeIn(Long.MAX_VALUE);
    }

    /** Stops a barge-in playback whose id is at most {@code startedBy} (one requested before the key came). */
    private void bargeIn(long startedBy) {
        if (playback != null && playback.bargeIn && playback.id <= startedBy) {
            finishPlayback(false);
        }
    }

    private void updateForwarding() {
        forwardIn = !muted && !held && group == null;
    }

    void activate() {
        if (ownRing == null) {
            ownRing = new PacketRing();
            jb = JitterBuffer.standard();
            detector = new InbandDtmfDetector();
        } else {
            jb.reset();
            detector.reset();
            while (ownRing.poll(rx) >= 0) {
                // stale packets from an earlier activation
            }
        }
        ring = ownRing;
    }

    void deactivate() {
        listed = false;
        ring = null;
        generating = false;
        talking = false;
    }

    boolean needed(long tick) {
        if (closed || ep.closed) {
            return false; // a leg being released never needs the clock (no buffers for it)
        }
        return (answered && ep.peer == null) || playback != null || held || group != null || recorder != null
                || dtmfBusy() || peerNeedTick >= tick - 2 || amd != null;
    }

    private boolean dtmfBusy() {
        return tePackets != null || toneTicks > 0 || gapTicks > 0 || !dtmfQueue.isEmpty();
    }

    /** Phase 1: decodes what arrived, takes one frame out of the jitter buffer. */
    void receive() {
        PacketRing r = ring;
        if (r == null) {
            return;
        }
        int n;
        while ((n = r.poll(rx)) >= 0) {
            // RFC 3550 §5.1: fixed header, CSRC list, optional extension
            if (n < 12 || (rx[0] & 0xC0) != 0x80) {
                continue;
            }
            int hl = 12 + 4 * (rx[0] & 0x0F);
            if ((rx[0] & 0x10) != 0 && n >= hl + 4) {
                hl += 4 + 4 * (((rx[hl + 2] & 0xFF) << 8) | (rx[hl + 3] & 0xFF));
            }
            int len = n - hl;
            if ((rx[0] & 0x20) != 0 && len > 0) {
                len -= rx[n - 1] & 0xFF; // padding
            }
            PayloadType c = ep.codec;
            if (len <= 0 || c == null || (rx[1] & 0x7F) != c.number()) {
                continue;
            }
            int samples;
            if (c.isPcmu()) {
                for (int k = 0; k < len; k++) {
                    pcm[k] = G711.ulawToLinear(rx[hl + k]);
                }
                samples = len;
            } else if (c.isPcma()) {
                for (int k = 0; k < len; k++) {
                    pcm[k] = G711.alawToLinear(rx[hl + k]);
                }
                samples = len;
            } else {
                AudioCodec dec = rxCodec = codecFor(c, rxCodec);
                samples = dec == null ? 0 : dec.decode(rx, hl, len, pcm, 0);
                if (samples <= 0) {
                    continue;
                }
            }
            int rseq = ((rx[2] & 0xFF) << 8) | (rx[3] & 0xFF);
            int rts = ((rx[4] & 0xFF) << 24) | ((rx[5] & 0xFF) << 16) | ((rx[6] & 0xFF) << 8) | (rx[7] & 0xFF);
            if (c.clockRate() != AudioClip.SAMPLE_RATE && c.clockRate() > 0) {
                // the jitter buffer counts at 8 kHz (Opus: 48 kHz timestamps; a jump every 24.8 h re-synchronises it)
                rts = (int) ((rts & 0xFFFFFFFFL) * AudioClip.SAMPLE_RATE / c.clockRate());
            }
            jb.put(rseq, rts, pcm, 0, samples);
        }
        jb.get(in, 0);
        if (ep.telephoneEventPt < 0) {
            DtmfDigit d = detector.process(in, 0, F);
            if (d != null) {
                MediaListener l = listener;
                if (l != null) {
                    l.onDtmf(d, true);
                }
                bargeIn();
            }
        }
        if (amd != null && amd.process(in, 0)) {
            stopAmd();
        }
    }

    /** What this leg's party says, as mixes and the peer's recording hear it; null when muted or held. */
    short[] heard() {
        return muted || held || ring == null ? null : in;
    }

    /** Phase 3: fills {@link #out} with what the party hears and sends it unless it is the peer's relayed audio. */
    void produce() {
        ts += F; // the RTP clock runs whether or not we send (RFC 3550 §5.1)
        boolean send;
        if (dtmfBusy()) {
            if (tePackets == null && toneTicks == 0 && gapTicks == 0) {
                startDigit();
            }
            if (tePackets != null) {
                sendTelephoneEvent();
                java.util.Arrays.fill(out, (short) 0);
                feedRecorder();
                return;
            }
            if (toneTicks > 0) {
                tone();
                if (--toneTicks == 0) {
                    gapTicks = DTMF_GAP_TICKS;
                }
            } else {
                gapTicks--;
                java.util.Arrays.fill(out, (short) 0);
            }
            send = true;
        } else if (playback != null) {
            playback.fill(out);
            if (playback.atEnd()) {
                finishPlayback(true);
            }
            send = true;
        } else if (held && moh != null) {
            moh.fill(out);
            send = true;
        } else if (group != null) {
            System.arraycopy(mixOut, 0, out, 0, F);
            send = true;
        } else {
            RtpEndpoint p = ep.peer;
            short[] relayed = null;
            if (p != null && recorder != null) {
                ChannelMedia pm = p.media;
                pm.peerNeedTick = clock.tick;
                if (!pm.listed) {
                    clock.activate(pm);
                }
                relayed = pm.heard();
            }
            if (relayed != null) {
                System.arraycopy(relayed, 0, out, 0, F);
            } else {
                java.util.Arrays.fill(out, (short) 0);
            }
            send = false;
        }
        if (send) {
            sendAudio();
        } else {
            talking = false;
        }
        if (generating != send) {
            generating = send;
        }
        feedRecorder();
    }

    private void feedRecorder() {
        Recorder r = recorder;
        if (r != null) {
            if (r.stopRequested()) {
                recorder = null;
            } else {
                r.push(heard(), out);
            }
        }
    }

    private void sendAudio() {
        PayloadType c = ep.codec;
        if (c == null || ep.closed) {
            return;
        }
        int bytes = F;
        if (c.isPcmu()) {
            for (int k = 0; k < F; k++) {
                pkt[12 + k] = G711.linearToUlaw(out[k]);
            }
        } else if (c.isPcma()) {
            for (int k = 0; k < F; k++) {
                pkt[12 + k] = G711.linearToAlaw(out[k]);
            }
        } else {
            AudioCodec enc = txCodec = codecFor(c, txCodec);
            bytes = enc == null ? 0 : enc.encode(out, 0, F, pkt, 12);
            if (bytes <= 0) {
                return;
            }
        }
        header(c.number(), !talking, ts * clockMultiple(c));
        talking = true;
        pktBuf.clear().limit(12 + bytes);
        ep.sendGenerated(pktBuf);
    }

    /** {@code current} when it is the codec of {@code c}, else a new one (null when the engine has none). */
    private static AudioCodec codecFor(PayloadType c, AudioCodec current) {
        CodecType type = CodecType.of(c.encoding(), c.clockRate());
        if (type == null) {
            return null;
        }
        return current != null && current.type() == type ? current : type.newCodec();
    }

    /** RTP timestamp units per 8 kHz sample: 6 for Opus (48 kHz), else 1. */
    private static int clockMultiple(PayloadType c) {
        return c == null || c.clockRate() <= AudioClip.SAMPLE_RATE ? 1 : c.clockRate() / AudioClip.SAMPLE_RATE;
    }

    private void header(int pt, boolean marker, int timestamp) {
        pkt[0] = (byte) 0x80;
        pkt[1] = (byte) ((marker ? 0x80 : 0) | pt);
        seq = (seq + 1) & 0xFFFF;
        pkt[2] = (byte) (seq >> 8);
        pkt[3] = (byte) seq;
        pkt[4] = (byte) (timestamp >> 24);
        pkt[5] = (byte) (timestamp >> 16);
        pkt[6] = (byte) (timestamp >> 8);
        pkt[7] = (byte) timestamp;
        pkt[8] = (byte) (ssrc >> 24);
        pkt[9] = (byte) (ssrc >> 16);
        pkt[10] = (byte) (ssrc >> 8);
        pkt[11] = (byte) ssrc;
    }

    private void startDigit() {
        DtmfDigit d = dtmfQueue.poll();
        if (d == null) {
            return;
        }
        if (ep.telephoneEventPt >= 0 && ep.codec != null) {
            int k = clockMultiple(ep.codec); // the events count at the audio's clock (RFC 4733 §2.1)
            tePackets = TelephoneEventGenerator.packets(d, DTMF_SAMPLES * k, F * k, 10);
            teIdx = 0;
            teTs = ts * k; // RFC 4733 §2.5.1.2: every packet of the event carries its start timestamp
        } else {
            toneDigit = d;
            toneTicks = DTMF_SAMPLES / F;
            phaseLow = 0;
            phaseHigh = 0;
        }
    }

    private void sendTelephoneEvent() {
        TelephoneEventGenerator.Packet p = tePackets.get(teIdx++);
        header(ep.telephoneEventPt, p.marker(), teTs);
        p.encode(pkt, 12);
        pktBuf.clear().limit(16);
        if (!ep.closed) {
            ep.sendGenerated(pktBuf);
        }
        talking = true;
        if (teIdx >= tePackets.size()) {
            tePackets = null;
            gapTicks = DTMF_GAP_TICKS;
            talking = false; // audio after an event starts a new talk spurt
        }
        generating = true;
    }

    private void tone() {
        double wl = 2 * Math.PI * toneDigit.lowHz() / AudioClip.SAMPLE_RATE;
        double wh = 2 * Math.PI * toneDigit.highHz() / AudioClip.SAMPLE_RATE;
        for (int k = 0; k < F; k++) {
            out[k] = (short) (6000 * (Math.sin(phaseLow) + Math.sin(phaseHigh)));
            phaseLow += wl;
            phaseHigh += wh;
        }
    }

    private void finishPlayback(boolean completed) {
        PlayState p = playback;
        if (p != null) {
            playback = null;
            notifyPlayback(p.id, completed);
        }
    }

    private void notifyPlayback(long id, boolean completed) {
        MediaListener l = listener;
        if (l != null) {
            l.onPlaybackFinished(id, completed);
        }
    }
}
