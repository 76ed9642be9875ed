package dev.hotline.engine.media;

/**
 * A jitter buffer for decoded audio of one RTP stream, with packet-loss concealment.
 *
 * <p>{@link #put} takes a decoded packet with its RTP sequence number and timestamp; the
 * media clock calls {@link #get} every 20 ms for the next frame. Frames are placed by
 * timestamp, so reordering within the buffer's window is undone; duplicates are dropped,
 * and so are packets arriving after their play-out time (late). A missing frame is
 * concealed by a {@link Concealer} ({@link Concealment#PITCH} by default: pitch periods
 * repeated after G.711 Appendix I, the output 3.75 ms late; silence after 60 ms of loss).
 *
 * <p>The play-out delay starts at {@code minDepth} frames. When adaptive, each late packet
 * adds a frame of delay (up to {@code maxDepth}) and 10 s without a late packet take one
 * back. A timestamp jump beyond the window (a new talk spurt after a long pause, a restarted
 * sender) re-synchronises the buffer, and so do three late packets in a row that are each the
 * newest so far (a sender whose timeline fell back: late, not reordered).
 *
 * <p>Confined to one thread (the channel's media thread); no locks, no allocation after
 * construction.
 */
public final class JitterBuffer {
    /** What {@link #get} produced. */
    public enum Frame {
        /** Received audio. */
        AUDIO,
        /** A missing frame filled by concealment. */
        CONCEALED,
        /** Silence: nothing received yet, or loss beyond what concealment covers. */
        SILENCE;

        /** Whether the frame carries sound worth mixing or recording. */
        public boolean audible() {
            return this != SILENCE;
        }
    }

    /**
     * Counters since creation: packets received in time, lost (never arrived, from the
     * sequence numbers), late (arrived after their play-out), duplicated (copies of packets
     * already received), frames concealed, and the current delay in frames.
     */
    public record Stats(long received, long lost, long late, long duplicated, long concealed, int depthFrames) {
    }

    private static final int ADAPT_WINDOW_FRAMES = 500;
    /** Late packets in a row, each the newest so far, after which the buffer follows the sender's new timeline. */
    private static final int RESYNC_AFTER_LATE = 3;

    private final int frameSamples;
    private final int minDepth;
    private final int maxDepth;
    private final boolean adaptive;
    private final int slots;
    private final short[] ring;
    private final boolean[] present;
    /** Set when a slot's frame was played (kept to tell a late copy from a late original). */
    private final boolean[] played;
    private final int[] slotTs;
    private final Concealer concealer;

    private boolean started;
    /** Timestamp of the next frame to play, and its slot. */
    private int nextTs;
    private int head;
    private int depth;
    /** Whether a frame of the stream has played (before that, nothing is concealed). */
    private boolean haveLast;
    private int growPending;
    private int shrinkPending;
    private int framesSinceLate;
    /** Late packets in a row that were each the newest so far (see {@link #RESYNC_AFTER_LATE}). */
    private int newestLate;

    // extended sequence numbers (RFC 3550 §6.4.1 "cumulative number of packets lost")
    private boolean seqStarted;
    private long minExtSeq;
    private long maxExtSeq;

    private long received;
    private long late;
    private long duplicated;
    private long concealed;
    private long playoutMissing;

    /**
     * @param frameSamples samples per frame (160 = 20 ms at 8 kHz)
     * @param minDepth     initial and smallest play-out delay in frames (2 = 40 ms)
     * @param maxDepth     largest delay in frames (6 = 120 ms)
     * @param adaptive     whether the delay follows late packets
     */
    public JitterBuffer(int frameSamples, int minDepth, int maxDepth, boolean adaptive) {
        this(frameSamples, minDepth, maxDepth, adaptive, Concealment.PITCH);
    }

    /**
     * @param concealment what fills missing frames (frames of a multiple of 10 ms for {@link Concealment#PITCH})
     */
    public JitterBuffer(int frameSamples, int minDepth, int maxDepth, boolean adaptive, Concealment concealment) {
        if (frameSamples <= 0 || minDepth < 1 || maxDepth < minDepth) {
            throw new IllegalArgumentException("bad jitter buffer geometry");
        }
        this.frameSamples = frameSamples;
        this.minDepth = minDepth;
        this.maxDepth = maxDepth;
        this.adaptive = adaptive;
        this.slots = Integer.highestOneBit(maxDepth * 4 + 16) * 2;
        this.ring = new short[slots * frameSamples];
        this.present = new boolean[slots];
        this.played = new boolean[slots];
        this.slotTs = new int[slots];
        this.concealer = concealment.create(frameSamples);
        this.depth = minDepth;
    }

    /** 20 ms frames at 8 kHz, 40 ms initial delay, adaptive up to 120 ms, pitch concealment. */
    public static JitterBuffer standard() {
        return standard(Concealment.PITCH);
    }

    /** {@link #standard()} with another concealment (to measure one against another). */
    public static JitterBuffer standard(Concealment concealment) {
        return new JitterBuffer(160, 2, 6, true, concealment);
    }

    /**
     * Offers one decoded packet. A packet of several frames is split by timestamp; samples past a
     * whole frame of a short packet fill the start of its frame, the rest stays silent.
     *
     * @return false when the packet was dropped (late or duplicate)
     */
    public boolean put(int seq, int timestamp, short[] pcm, int off, int len) {
        if (!started) {
            start(timestamp);
        } else {
            int ahead = timestamp - nextTs;
            if (ahead < 0) {
                if (-ahead > slots * frameSamples * 4) {
                    resync(timestamp); // the sender restarted far back
                } else if (!newest(seq & 0xFFFF)) {
                    return tooLate(seq, ahead, false);
                } else if (++newestLate >= RESYNC_AFTER_LATE) {
                    // The newest packets keep arriving after their play-out: the sender's timeline fell back (a clock
                    // slower than ours, RFC 4733 events that advance the timestamp less than the time they took).
                    // Growing the delay cannot follow it; without a resync the stream would stay mute for good.
                    resync(timestamp);
                } else {
                    return tooLate(seq, ahead, true);
                }
            } else if (ahead + len > (slots - 1) * frameSamples) {
                resync(timestamp);
            }
        }
        boolean stored = false;
        boolean dup = false;
        int first = (timestamp - nextTs) / frameSamples; // >= 0 here
        for (int done = 0, k = first; done < len; done += frameSamples, k++) {
            int ts = nextTs + k * frameSamples; // aligned to the play-out grid
            int slot = (head + k) & (slots - 1);
            if (present[slot] && slotTs[slot] == ts) {
                dup = true;
                continue;
            }
            int n = Math.min(frameSamples, len - done);
            System.arraycopy(pcm, off + done, ring, slot * frameSamples, n);
            if (n < frameSamples) {
                java.util.Arrays.fill(ring, slot * frameSamples + n, (slot + 1) * frameSamples, (short) 0);
            }
            present[slot] = true;
            played[slot] = false;
            slotTs[slot] = ts;
            stored = true;
        }
        if (!stored && dup) {
            duplicated++;
            return false;
        }
        newestLate = 0;
        received++;
        trackSeq(seq & 0xFFFF);
        return true;
    }

    /** Whether {@code seq} is newer than every packet received so far. */
    private boolean newest(int seq) {
        if (!seqStarted) {
            return true;
        }
        long ext = maxExtSeq + (short) (seq - (int) (maxExtSeq & 0xFFFF));
        return ext > maxExtSeq;
    }

    /** A packet for a frame already due: a copy of one that played (never the newest packet), or a late arrival. */
    private boolean tooLate(int seq, int ahead, boolean newest) {
        int k = (ahead - frameSamples + 1) / frameSamples; // frames behind the head, negative
        int ts = nextTs + k * frameSamples;
        int slot = (head + k) & (slots - 1);
        if (!newest && -k < slots && played[slot] && slotTs[slot] == ts) {
            duplicated++;
            return false;
        }
        late++;
        trackSeq(seq & 0xFFFF);
        framesSinceLate = 0;
        if (adaptive && depth + growPending < maxDepth) {
            growPending++;
        }
        return false;
    }

    /** Writes the next {@code frameSamples} samples of play-out into {@code out}. */
    public Frame get(short[] out, int off) {
        if (!started) {
            java.util.Arrays.fill(out, off, off + frameSamples, (short) 0);
            return Frame.SILENCE;
        }
        if (adaptive) {
            adapt();
        }
        if (growPending > 0) {
            // hold the play-out point one frame: the delay grows by a frame
            growPending--;
            depth++;
            return conceal(out, off, false);
        }
        int slot = head;
        boolean have = present[slot] && slotTs[slot] == nextTs;
        if (shrinkPending > 0 && have) {
            // skip one frame: the delay shrinks by a frame
            shrinkPending--;
            depth--;
            present[slot] = false;
            played[slot] = true;
            advance();
            slot = head;
            have = present[slot] && slotTs[slot] == nextTs;
        }
        if (have) {
            present[slot] = false;
            played[slot] = true;
            System.arraycopy(ring, slot * frameSamples, out, off, frameSamples);
            concealer.received(out, off, frameSamples);
            haveLast = true;
            advance();
            return Frame.AUDIO;
        }
        present[slot] = false;
        played[slot] = false;
        advance();
        if (!haveLast) {
            java.util.Arrays.fill(out, off, off + frameSamples, (short) 0);
            return Frame.SILENCE; // the stream's first packet is still in the delay
        }
        playoutMissing++;
        return conceal(out, off, true);
    }

    /** Forgets all state except the counters (e.g. on an SSRC change). */
    public void reset() {
        started = false;
        haveLast = false;
        concealer.reset();
        growPending = 0;
        shrinkPending = 0;
        java.util.Arrays.fill(present, false);
        seqStarted = false;
    }

    public Stats stats() {
        long expected = seqStarted ? maxExtSeq - minExtSeq + 1 : 0;
        long lost = Math.max(0, expected - received - late);
        return new Stats(received, lost, late, duplicated, concealed, depth);
    }

    /** Current play-out delay in frames. */
    public int depth() {
        return depth;
    }

    /** Samples by which the play-out lags the received audio (the concealer's look-back; 0 or 30). */
    public int concealmentDelaySamples() {
        return concealer.delaySamples();
    }

    /** Frames that were missing at their play-out time. */
    public long missingAtPlayout() {
        return playoutMissing;
    }

    private Frame conceal(short[] out, int off, boolean count) {
        if (!haveLast) {
            java.util.Arrays.fill(out, off, off + frameSamples, (short) 0);
            return Frame.SILENCE;
        }
        if (concealer.conceal(out, off, frameSamples)) {
            if (count) {
                concealed++;
            }
            return Frame.CONCEALED;
        }
        return Frame.SILENCE;
    }

    private void adapt() {
        if (++framesSinceLate >= ADAPT_WINDOW_FRAMES) {
            framesSinceLate = 0;
            if (depth - shrinkPending > minDepth) {
                shrinkPending++;
            }
        }
    }

    private void start(int timestamp) {
        started = true;
        nextTs = timestamp - depth * frameSamples;
    }

    private void resync(int timestamp) {
        java.util.Arrays.fill(present, false);
        growPending = 0;
        shrinkPending = 0;
        start(timestamp);
    }

    private void advance() {
        nextTs += frameSamples;
        head = (head + 1) & (slots - 1);
    }

    /** Tracks the lowest and highest extended sequence numbers of the packets that arrived. */
    private void trackSeq(int seq) {
        if (!seqStarted) {
            seqStarted = true;
            minExtSeq = seq;
            maxExtSeq = seq;
            return;
        }
        long ext = maxExtSeq + (short) (seq - (int) (maxExtSeq & 0xFFFF)); // nearest to the highest
        if (ext > maxExtSeq) {
            maxExtSeq = ext;
        } else if (ext < minExtSeq && maxExtSeq - ext < 3000) {
            minExtSeq = ext;
        }
    }
}
