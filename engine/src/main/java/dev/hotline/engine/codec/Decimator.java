package dev.hotline.engine.codec;

/**
 * A streaming 48 kHz → 8 kHz converter for one stream: a Kaiser-windowed sinc low-pass (193 taps, pass band to about 3 kHz,
 * about 70 dB down from 4 kHz, where 8 kHz would alias) computed only at every sixth input sample. Keeps the last 192
 * input samples between calls, so packets join without a click; allocates nothing after construction.
 */
final class Decimator {
    static final int FACTOR = 6;
    private static final int TAPS = 193;
    private static final double CUTOFF_HZ = 3500;
    private static final double BETA = 7.0;
    private static final float[] H = kernel();

    private final float[] buf;

    /** @param maxIn the most input samples of one call */
    Decimator(int maxIn) {
        buf = new float[TAPS - 1 + maxIn];
    }

    /**
     * Converts {@code n} samples of {@code in} (a multiple of {@link #FACTOR}) into {@code out} from {@code outOff}.
     *
     * @return samples written ({@code n / FACTOR})
     */
    int process(short[] in, int n, short[] out, int outOff) {
        int h = TAPS - 1;
        for (int i = 0; i < n; i++) {
            buf[h + i] = in[i];
        }
        int outs = n / FACTOR;
        for (int j = 0; j < outs; j++) {
            int end = h + j * FACTOR; // the newest input sample of output j
            float acc = 0;
            for (int k = 0; k < TAPS; k++) {
                acc += H[k] * buf[end - k];
            }
            int v = Math.round(acc);
            out[outOff + j] = (short) (v > Short.MAX_VALUE ? Short.MAX_VALUE : Math.max(Short.MIN_VALUE, v));
        }
        System.arraycopy(buf, n, buf, 0, h); // the last TAPS - 1 inputs are the next call's history
        return outs;
    }

    private static float[] kernel() {
        float[] k = new float[TAPS];
        int mid = (TAPS - 1) / 2;
        double fc = CUTOFF_HZ / 48_000;
        double i0Beta = Kaiser.besselI0(BETA);
        double sum = 0;
        double[] raw = new double[TAPS];
        for (int i = 0; i < TAPS; i++) {
            int m = i - mid;
            double sinc = m == 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * m) / (Math.PI * m);
            double r = (double) m / mid;
            raw[i] = sinc * Kaiser.besselI0(BETA * Math.sqrt(1 - r * r)) / i0Beta;
            sum += raw[i];
        }
        for (int i = 0; i < TAPS; i++) {
            k[i] = (float) (raw[i] / sum); // unity gain at 0 Hz
        }
        return k;
    }
}
