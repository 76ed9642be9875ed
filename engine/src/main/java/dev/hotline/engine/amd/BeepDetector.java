package dev.hotline.engine.amd;

/**
 * Finds a recorder's beep: a steady tone between {@value #LOW_HZ} and {@value #HIGH_HZ} Hz lasting at least a set
 * time, in 20 ms frames of 8 kHz 16-bit PCM.
 *
 * <p>Each frame with enough energy goes through a bank of Goertzel filters every {@value #STEP_HZ} Hz (65 bins; a
 * 20 ms frame resolves 50 Hz, so a tone is never more than 12.5 Hz from a bin). A frame is tonal when its strongest
 * bin carries at least {@value #PURITY} of the frame's power (speech spreads its power over harmonics and formants;
 * noise over the whole band). A run of tonal frames whose strongest bin moves by at most one bin is a beep once it
 * lasts {@code minMs}; the beep ends at the first frame that is not part of it.
 *
 * <p>One instance per analysis, not thread-safe, no allocation after construction.
 */
public final class BeepDetector {
    static final int LOW_HZ = 400;
    static final int HIGH_HZ = 2000;
    static final int STEP_HZ = 25;
    static final double PURITY = 0.7;
    private static final int N = AmdDetector.FRAME_SAMPLES;
    private static final int BINS = (HIGH_HZ - LOW_HZ) / STEP_HZ + 1;
    private static final double[] COEF = new double[BINS];
    /** Frames quieter than a sine of amplitude 200 (about -44 dBFS) are not looked at. */
    private static final double MIN_POWER = 200.0 * 200.0 / 2;

    static {
        for (int k = 0; k < BINS; k++) {
            COEF[k] = 2 * Math.cos(2 * Math.PI * (LOW_HZ + k * STEP_HZ) / 8000.0);
        }
    }

    private final int minFrames;
    private int runBin = -1;
    private int runFrames;
    private int runStartMs;
    private boolean inBeep;
    private int beepStartMs = -1;
    private int beepEndMs = -1;
    private int beepHz;

    /** @param minMs the shortest tone taken as a beep */
    public BeepDetector(int minMs) {
        this.minFrames = Math.max(1, (minMs + AmdDetector.FRAME_MS - 1) / AmdDetector.FRAME_MS);
    }

    /**
     * Feeds one 20 ms frame ({@value AmdDetector#FRAME_SAMPLES} samples from {@code off}) that starts at
     * {@code atMs} in the analysis.
     */
    public void process(short[] pcm, int off, int atMs) {
        if (beepEndMs >= 0) {
            return; // one beep per analysis
        }
        int bin = tonalBin(pcm, off);
        boolean continues = bin >= 0 && runBin >= 0 && Math.abs(bin - runBin) <= 1;
        if (inBeep) {
            if (!continues) {
                inBeep = false;
                beepEndMs = atMs;
            }
            return;
        }
        if (continues) {
            runFrames++;
        } else if (bin >= 0) {
            runBin = bin;
            runFrames = 1;
            runStartMs = atMs;
        } else {
            runBin = -1;
            runFrames = 0;
        }
        if (runFrames >= minFrames) {
            inBeep = true;
            beepStartMs = runStartMs;
            beepHz = LOW_HZ + runBin * STEP_HZ;
        }
    }

    /** True once a tone has lasted long enough (it may still be sounding). */
    public boolean found() {
        return beepStartMs >= 0;
    }

    /** True once a beep has been found and has stopped. */
    public boolean ended() {
        return beepEndMs >= 0;
    }

    /** Start of the beep in the analysis, -1 if none. */
    public int startMs() {
        return beepStartMs;
    }

    /** End of the beep in the analysis, -1 if none or still sounding. */
    public int endMs() {
        return beepEndMs;
    }

    /** The beep's frequency to within {@value #STEP_HZ} Hz, 0 if none. */
    public int hz() {
        return beepHz;
    }

    /** The strongest bin of a tonal frame, or -1. */
    private static int tonalBin(short[] pcm, int off) {
        double energy = 0;
        for (int i = off, end = off + N; i < end; i++) {
            double x = pcm[i];
            energy += x * x;
        }
        double meanPower = energy / N;
        if (meanPower < MIN_POWER) {
            return -1;
        }
        double scale = 2.0 / ((double) N * N); // a sine of amplitude A at a bin gives A^2 / 2
        int best = -1;
        double bestPower = 0;
        for (int k = 0; k < BINS; k++) {
            double c = COEF[k];
            double q1 = 0;
            double q2 = 0;
            for (int i = off, end = off + N; i < end; i++) {
                double q0 = c * q1 - q2 + pcm[i];
                q2 = q1;
                q1 = q0;
            }
            double p = (q1 * q1 + q2 * q2 - c * q1 * q2) * scale;
            if (p > bestPower) {
                bestPower = p;
                best = k;
            }
        }
        return bestPower >= PURITY * meanPower ? best : -1;
    }
}
