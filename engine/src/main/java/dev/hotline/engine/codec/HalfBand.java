package dev.hotline.engine.codec;

/**
 * Doubling and halving the sample rate of a stream (8 kHz ↔ 16 kHz) for a wideband codec on the engine's
 * 8 kHz media path: a 47-tap low-pass FIR (Blackman-windowed sinc, cut-off at 3.8 kHz) removes the images of
 * the zero-stuffed input when doubling and the upper band before dropping every other sample when halving.
 * One instance per stream and direction (it keeps the filter's history); no allocation per frame.
 */
final class HalfBand {
    private static final int TAPS = 47;
    private static final double[] H = new double[TAPS];

    static {
        double cutoff = 3800.0 / 16000; // of the 16 kHz rate
        int mid = TAPS / 2;
        for (int i = 0; i < TAPS; i++) {
            int k = i - mid;
            double sinc = k == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * k) / (Math.PI * k);
            double w = 0.42 - 0.5 * Math.cos(2 * Math.PI * i / (TAPS - 1)) + 0.08 * Math.cos(4 * Math.PI * i / (TAPS - 1));
            H[i] = sinc * w;
        }
        double sum = 0;
        for (double h : H) {
            sum += h;
        }
        for (int i = 0; i < TAPS; i++) {
            H[i] /= sum; // unity gain at DC
        }
    }

    /** The last TAPS samples at 16 kHz, circular. */
    private final double[] history = new double[TAPS];
    private int pos;

    private double push(double v) {
        history[pos] = v;
        pos = pos + 1 == TAPS ? 0 : pos + 1;
        double acc = 0;
        int idx = pos;
        for (int i = 0; i < TAPS; i++) {
            acc += H[i] * history[idx];
            idx = idx + 1 == TAPS ? 0 : idx + 1;
        }
        return acc;
    }

    /** 8 kHz → 16 kHz: {@code samples} in, {@code 2 * samples} out. */
    void up(short[] in, int off, int samples, short[] out, int outOff) {
        for (int i = 0; i < samples; i++) {
            out[outOff + 2 * i] = clip(2 * push(in[off + i]));
            out[outOff + 2 * i + 1] = clip(2 * push(0));
        }
    }

    /** 16 kHz → 8 kHz: {@code samples} (even) in, {@code samples / 2} out. */
    void down(short[] in, int off, int samples, short[] out, int outOff) {
        for (int i = 0; i + 1 < samples; i += 2) {
            out[outOff + i / 2] = clip(push(in[off + i]));
            push(in[off + i + 1]);
        }
    }

    private static short clip(double v) {
        long r = Math.round(v);
        return (short) (r > 32767 ? 32767 : r < -32768 ? -32768 : r);
    }
}
