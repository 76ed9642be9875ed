package dev.hotline.engine.media;

/**
 * Packet-loss concealment by repeating pitch periods, after ITU-T G.711 Appendix I (09/1999), for 8 kHz PCM.
 *
 * <p>Every received frame goes through {@link #received}, which keeps 48.75 ms of history and plays the signal
 * {@link #DELAY} samples (3.75 ms) late: that look-back lets the start of a loss be smoothed into what was already
 * received. A missing frame is made by {@link #conceal}:
 * <ul>
 *   <li>the pitch period (5–15 ms, 200–66 Hz) is the lag whose 20 ms before it best matches the last 20 ms of the history
 *       (normalised cross-correlation, I.2.2);</li>
 *   <li>the last period is repeated; its last quarter is overlap-added with the quarter before it, so the repetition
 *       joins itself and the received signal without a click (I.2.3);</li>
 *   <li>after 10 and 20 ms of loss a second and a third period are taken in (less buzz), each change overlap-added;
 *       from 10 ms on the signal is attenuated by 20 % per 10 ms, silent after 60 ms (I.2.4);</li>
 *   <li>the first received frame after a loss is overlap-added with the continued synthetic signal over a quarter
 *       period plus 4 ms per extra 10 ms lost, at most 10 ms (I.2.5).</li>
 * </ul>
 * It works in steps of 10 ms ({@link #UNIT}): frames must be a multiple of it. Confined to one thread; no allocation
 * after construction.
 */
public final class PitchConcealer implements Concealer {
    /** One step of the algorithm: 10 ms at 8 kHz. */
    public static final int UNIT = 80;
    private static final int PITCH_MIN = 40;
    private static final int PITCH_MAX = 120;
    /** Samples of the history matched against the lagged history to find the pitch: 20 ms. */
    private static final int CORR_LEN = 160;
    /** How late the output is: the longest overlap at the start of a loss, a quarter of the longest period. */
    public static final int DELAY = PITCH_MAX / 4;
    /** Three of the longest periods plus the overlap. */
    private static final int HISTORY = 3 * PITCH_MAX + DELAY;
    private static final float ATTENUATION_PER_UNIT = 0.2f;
    /** Units of loss after which the output is silent (60 ms). */
    private static final int AUDIBLE_UNITS = 6;
    /** The overlap after a loss grows by 4 ms per 10 ms lost beyond the first. */
    private static final int OVERLAP_GROWTH = 32;
    /** Floor of the energy that normalises the correlation (keeps near-silence from picking a random lag). */
    private static final float MIN_POWER = 250f;

    /** The signal, oldest first; its last {@link #DELAY} samples are not played yet. */
    private final float[] history = new float[HISTORY];
    /** The history at the start of a loss, whose last {@code bufLen} samples are repeated. */
    private final float[] pitchBuf = new float[HISTORY];
    private final float[] lastQuarter = new float[DELAY];
    private final float[] overlap = new float[UNIT];
    private final float[] unit = new float[UNIT];

    /** Units concealed in a row (0: the last unit was received). */
    private int erased;
    private int pitch;
    private int quarter;
    /** Length of the repeated part of {@link #pitchBuf} (one, two or three periods) and the read position in it. */
    private int bufLen;
    private int bufPos;

    /** Checks that frames of {@code frameSamples} can be concealed (a positive multiple of {@link #UNIT}). */
    static void checkFrame(int frameSamples) {
        if (frameSamples <= 0 || frameSamples % UNIT != 0) {
            throw new IllegalArgumentException("pitch concealment needs frames of a multiple of 10 ms, not "
                    + frameSamples + " samples");
        }
    }

    /** Replaces the received frame in place by the play-out: {@link #DELAY} samples late, smoothed after a loss. */
    @Override
    public void received(short[] frame, int off, int len) {
        checkFrame(len);
        for (int u = off; u < off + len; u += UNIT) {
            for (int i = 0; i < UNIT; i++) {
                unit[i] = frame[u + i];
            }
            if (erased > 0) {
                mergeAfterLoss();
            }
            save(frame, u);
        }
    }

    /**
     * Writes a missing frame.
     *
     * @return false when the loss had already lasted 60 ms: the frame is silent but for the last
     *     {@link #DELAY} samples of the attenuated tail
     */
    @Override
    public boolean conceal(short[] out, int off, int len) {
        checkFrame(len);
        boolean audible = erased < AUDIBLE_UNITS;
        for (int u = off; u < off + len; u += UNIT) {
            concealUnit();
            save(out, u);
        }
        return audible;
    }

    @Override
    public int delaySamples() {
        return DELAY;
    }

    @Override
    public void reset() {
        java.util.Arrays.fill(history, 0f);
        erased = 0;
    }

    /** The pitch period in samples found at the start of the current (or last) loss; 0 before any. */
    int pitch() {
        return pitch;
    }

    private void concealUnit() {
        if (erased == 0) {
            System.arraycopy(history, 0, pitchBuf, 0, HISTORY);
            pitch = findPitch();
            quarter = pitch >> 2;
            System.arraycopy(pitchBuf, HISTORY - quarter, lastQuarter, 0, quarter);
            bufLen = pitch;
            bufPos = 0;
            joinTail();
            // the history's last quarter period is not played yet (quarter <= DELAY): it becomes the joined one
            System.arraycopy(pitchBuf, HISTORY - quarter, history, HISTORY - quarter, quarter);
            synthesize(unit, UNIT);
        } else if (erased == 1 || erased == 2) {
            // one more period in the repeated buffer, at the same phase; the change overlap-added over a quarter period
            int pos = bufPos;
            synthesize(overlap, quarter);
            bufPos = pos;
            while (bufPos > pitch) {
                bufPos -= pitch;
            }
            bufLen += pitch;
            joinTail();
            synthesize(unit, UNIT);
            float step = 1f / quarter;
            float wNew = step;
            for (int i = 0; i < quarter; i++, wNew += step) {
                unit[i] = (1f - wNew) * overlap[i] + wNew * unit[i];
            }
            attenuate();
        } else if (erased < AUDIBLE_UNITS) {
            synthesize(unit, UNIT);
            attenuate();
        } else {
            java.util.Arrays.fill(unit, 0f);
        }
        erased++;
    }

    /** G.711 I.2.5: the received unit faded in over the synthetic signal that would have followed. */
    private void mergeAfterLoss() {
        int len = Math.min(UNIT, quarter + (erased - 1) * OVERLAP_GROWTH);
        synthesize(overlap, len);
        float gain = Math.max(0f, 1f - (erased - 1) * ATTENUATION_PER_UNIT);
        float step = 1f / len;
        float wOld = (1f - step) * gain;
        float wNew = step;
        for (int i = 0; i < len; i++) {
            unit[i] = wOld * overlap[i] + wNew * unit[i];
            wOld -= step * gain;
            wNew += step;
        }
        erased = 0;
    }

    /** Linear attenuation: 20 % per 10 ms from the second 10 ms of the loss on. */
    private void attenuate() {
        float g = 1f - (erased - 1) * ATTENUATION_PER_UNIT;
        float step = ATTENUATION_PER_UNIT / UNIT;
        for (int i = 0; i < UNIT; i++, g -= step) {
            unit[i] *= Math.max(0f, g);
        }
    }

    /** Joins the end of the repeated buffer to its start: its last quarter period faded into the samples before it. */
    private void joinTail() {
        int start = HISTORY - bufLen;
        float step = 1f / quarter;
        float wOld = 1f - step;
        float wNew = step;
        for (int i = 0; i < quarter; i++, wOld -= step, wNew += step) {
            pitchBuf[HISTORY - quarter + i] = wOld * lastQuarter[i] + wNew * pitchBuf[start - quarter + i];
        }
    }

    /** The next {@code n} samples of the repeated buffer. */
    private void synthesize(float[] dst, int n) {
        int start = HISTORY - bufLen;
        for (int i = 0; i < n; i++) {
            dst[i] = pitchBuf[start + bufPos];
            if (++bufPos == bufLen) {
                bufPos = 0;
            }
        }
    }

    /**
     * G.711 I.2.2: the lag in [5 ms, 15 ms] whose lagged 20 ms best match the last 20 ms, by cross-correlation
     * normalised by the lagged segment's energy (the shortest lag wins a tie).
     */
    private int findPitch() {
        int ref = HISTORY - CORR_LEN;
        float best = Float.NEGATIVE_INFINITY;
        int bestLag = PITCH_MAX;
        for (int lag = PITCH_MAX; lag >= PITCH_MIN; lag--) {
            int r = ref - lag;
            float corr = 0f;
            float energy = 0f;
            for (int i = 0; i < CORR_LEN; i++) {
                float x = pitchBuf[r + i];
                corr += x * pitchBuf[ref + i];
                energy += x * x;
            }
            float score = corr / (float) Math.sqrt(Math.max(energy, MIN_POWER));
            if (score >= best) {
                best = score;
                bestLag = lag;
            }
        }
        return bestLag;
    }

    /** Appends {@link #unit} to the history and writes the unit that falls {@link #DELAY} samples behind to {@code out}. */
    private void save(short[] out, int off) {
        System.arraycopy(history, UNIT, history, 0, HISTORY - UNIT);
        System.arraycopy(unit, 0, history, HISTORY - UNIT, UNIT);
        int from = HISTORY - UNIT - DELAY;
        for (int i = 0; i < UNIT; i++) {
            float v = history[from + i];
            out[off + i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
        }
    }
}
