package dev.hotline.engine.rtp;

/**
 * What one leg received, as RFC 3550 counts it: the extended highest sequence number and the packets
 * expected and lost (Appendix A.1, A.3), the fraction lost between two reports (A.3) and the
 * interarrival jitter (§6.4.1, A.8). A new SSRC (the party's phone restarted its stream, a browser
 * reconnected) starts a new count; the totals carry over.
 * <p>
 * Threading: {@link #onPacket} on the leg's receiving thread; the reads (reports, figures) may come
 * from another thread and see a value a packet old, never a torn one.
 */
final class RtpReception {
    private volatile int ssrc;
    private volatile boolean started;
    private int baseSeq;
    private int maxSeq;
    private long cycles;
    private volatile long extendedMax;
    private volatile long received;
    // Totals of earlier sources (another SSRC)
    private volatile long priorSourcesExpected;
    private volatile long priorSourcesReceived;
    // A.8 jitter, in timestamp units scaled by 16
    private boolean jitterStarted;
    private int lastTransit;
    private volatile int jitter16;
    private volatile int clockRate = 8000;
    // A.3: the counts at the previous report (report thread only)
    private long expectedPrior;
    private long receivedPrior;

    /** The clock rate of the negotiated audio (timestamps and arrival times are counted in it). */
    void clockRate(int rate) {
        if (rate > 0 && rate != clockRate) {
            clockRate = rate;
            jitterStarted = false;
            jitter16 = 0;
        }
    }

    /**
     * One RTP packet: {@code audio} false for packets that do not count towards the jitter (RFC 4733
     * events share the timestamp of their key); {@code arrivalNanos} a {@code System.nanoTime()} reading.
     */
    void onPacket(int packetSsrc, int seq, int rtpTimestamp, boolean audio, long arrivalNanos) {
        if (!started || packetSsrc != ssrc) {
            if (started) {
                priorSourcesExpected += expectedOfSource();
                priorSourcesReceived += received;
            }
            ssrc = packetSsrc;
            baseSeq = seq;
            maxSeq = seq;
            cycles = 0;
            extendedMax = seq;
            received = 0;
            jitterStarted = false;
            started = true;
        } else {
            int delta = (seq - maxSeq) & 0xFFFF;
            if (delta > 0 && delta < 0x8000) {
                if (seq < maxSeq) {
                    cycles += 0x10000;
                }
                maxSeq = seq;
                extendedMax = cycles + seq;
            }
        }
        received++;
        if (audio) {
            int rate = clockRate;
            int arrival = (int) (arrivalNanos / (1_000_000_000L / rate));
            int transit = arrival - rtpTimestamp;
            if (jitterStarted) {
                int d = transit - lastTransit;
                if (d < 0) {
                    d = -d;
                }
                jitter16 += d - ((jitter16 + 8) >> 4);
            }
            jitterStarted = true;
            lastTransit = transit;
        }
    }

    private long expectedOfSource() {
        return started ? extendedMax - baseSeq + 1 : 0;
    }

    boolean started() {
        return started;
    }

    int ssrc() {
        return ssrc;
    }

    long received() {
        return priorSourcesReceived + received;
    }

    long expected() {
        return priorSourcesExpected + expectedOfSource();
    }

    /** Cumulative packets lost (expected minus received; duplicates can make it negative, RFC 3550 §6.4.1). */
    long lost() {
        return expected() - received();
    }

    /** The interarrival jitter in timestamp units. */
    long jitter() {
        return jitter16 >> 4;
    }

    /** The interarrival jitter in milliseconds. */
    double jitterMs() {
        return (jitter16 >> 4) * 1000.0 / clockRate;
    }

    long extendedHighestSeq() {
        return extendedMax;
    }

    /**
     * The fraction lost since the previous call (A.3), 8-bit fixed point; moves the interval on. Report
     * thread only.
     */
    int nextFractionLost() {
        long expected = expected();
        long rec = received();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = rec - receivedPrior;
        expectedPrior = expected;
        receivedPrior = rec;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval <= 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    }
}
