package dev.hotline.engine.dtmf;

/**
 * In-band DTMF detection (ITU-T Q.24) on 8 kHz 16-bit linear PCM with the Goertzel
 * algorithm, for peers that send neither RFC 4733 events nor SIP INFO.
 *
 * <p>The signal is cut into blocks of {@value #BLOCK} samples (12.75 ms); each block is a
 * hit for a key when
 * <ul>
 *   <li>the strongest row and column tones are both above a minimum level,</li>
 *   <li>their twist (level difference) is within 8 dB (column louder) or 6 dB (row louder),</li>
 *   <li>each is at least 8 dB above the other tones of its group, and</li>
 *   <li>the two tones carry most of the block's energy (rejects speech, music and noise).</li>
 * </ul>
 * A key is reported once, after hits in two consecutive blocks, and released after two
 * blocks without it: every tone of 40 ms or more is caught (two whole blocks fit in it at any
 * alignment), tones under about 18 ms never are (a partly covered block falls below the
 * energy share), tones in between may be.
 *
 * <p>One instance per channel, not thread-safe, no allocation after construction.
 */
public final class InbandDtmfDetector {
    /** Samples per analysis block. */
    public static final int BLOCK = 102;
    private static final int RATE = 8000;

    /** Minimum power of each tone: a sine of amplitude 400 (about -35 dBm0). */
    private static final double MIN_TONE_POWER = 400.0 * 400.0 / 2;
    /** Column louder than row by at most 8 dB. */
    private static final double NORMAL_TWIST = Math.pow(10, 8 / 10.0);
    /** Row louder than column by at most 6 dB. */
    private static final double REVERSE_TWIST = Math.pow(10, 6 / 10.0);
    /** The best tone of a group must be 8 dB above the others. */
    private static final double RELATIVE_PEAK = Math.pow(10, 8 / 10.0);
    /** Share of the block's energy that the two tones must carry. */
    private static final double TO_TOTAL = 0.7;
    private static final int MISSES_TO_RELEASE = 2;

    /** Receives each detected key once. */
    @FunctionalInterface
    public interface Listener {
        void onDigit(DtmfDigit digit);
    }

    private static final double[] COEF = new double[8];

    static {
        for (int i = 0; i < 4; i++) {
            COEF[i] = 2 * Math.cos(2 * Math.PI * DtmfDigit.ROWS[i] / RATE);
            COEF[4 + i] = 2 * Math.cos(2 * Math.PI * DtmfDigit.COLS[i] / RATE);
        }
    }

    private final Listener listener;
    private final double[] q1 = new double[8];
    private final double[] q2 = new double[8];
    private final double[] power = new double[8];
    private double energy;
    private int n;
    private int lastHit = -1;
    private int current = -1;
    private int misses;
    private long detected;

    /** A detector that only returns digits from {@link #process}. */
    public InbandDtmfDetector() {
        this(null);
    }

    public InbandDtmfDetector(Listener listener) {
        this.listener = listener;
    }

    /**
     * Feeds samples.
     *
     * @return the last key reported while processing these samples, or null
     */
    public DtmfDigit process(short[] pcm, int off, int len) {
        DtmfDigit result = null;
        final double[] c = COEF;
        for (int i = off, end = off + len; i < end; i++) {
            double x = pcm[i];
            energy += x * x;
            for (int k = 0; k < 8; k++) {
                double q0 = c[k] * q1[k] - q2[k] + x;
                q2[k] = q1[k];
                q1[k] = q0;
            }
            if (++n == BLOCK) {
                DtmfDigit d = endOfBlock();
                if (d != null) {
                    result = d;
                }
            }
        }
        return result;
    }

    /** Keys reported since construction. */
    public long detected() {
        return detected;
    }

    /** Forgets any tone in progress (e.g. after a gap in the audio). */
    public void reset() {
        resetBlock();
        lastHit = -1;
        current = -1;
        misses = 0;
    }

    private void resetBlock() {
        for (int k = 0; k < 8; k++) {
            q1[k] = 0;
            q2[k] = 0;
        }
        energy = 0;
        n = 0;
    }

    private DtmfDigit endOfBlock() {
        // Goertzel power, scaled so that a sine of amplitude A gives A^2 / 2.
        final double scale = 2.0 / ((double) BLOCK * BLOCK);
        for (int k = 0; k < 8; k++) {
            power[k] = (q1[k] * q1[k] + q2[k] * q2[k] - COEF[k] * q1[k] * q2[k]) * scale;
        }
        double meanPower = energy / BLOCK;
        resetBlock();
        int hit = classify(meanPower);

        DtmfDigit reported = null;
        if (hit >= 0 && hit == lastHit && hit != current) {
            current = hit;
            misses = 0;
            reported = DtmfDigit.at(hit >> 2, hit & 3);
            detected++;
            if (listener != null) {
                listener.onDigit(reported);
            }
        } else if (current >= 0) {
            if (hit == current) {
                misses = 0;
            } else if (++misses >= MISSES_TO_RELEASE) {
                current = -1;
                misses = 0;
            }
        }
        lastHit = hit;
        return reported;
    }

    /** Returns row * 4 + column of the key heard in this block, or -1. */
    private int classify(double meanPower) {
        int row = 0;
        int col = 4;
        for (int k = 1; k < 4; k++) {
            if (power[k] > power[row]) {
                row = k;
            }
            if (power[4 + k] > power[col]) {
                col = 4 + k;
            }
        }
        double pr = power[row];
        double pc = power[col];
        if (pr < MIN_TONE_POWER || pc < MIN_TONE_POWER) {
            return -1;
        }
        if (pc > pr * NORMAL_TWIST || pr > pc * REVERSE_TWIST) {
            return -1;
        }
        for (int k = 0; k < 4; k++) {
            if (k != row && power[k] * RELATIVE_PEAK > pr) {
                return -1;
            }
            if (4 + k != col && power[4 + k] * RELATIVE_PEAK > pc) {
                return -1;
            }
        }
        if (pr + pc < TO_TOTAL * meanPower) {
            return -1;
        }
        return row * 4 + (col - 4);
    }
}
