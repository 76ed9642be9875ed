package dev.hotline.engine.media;

import dev.hotline.engine.codec.Kaiser;

/**
 * Sample-rate conversion by band-limited (Kaiser-windowed sinc) interpolation, for preparing
 * prompts and TTS output at 8 kHz. The low-pass cut-off sits at 92 % of the lower Nyquist
 * frequency; the stop band is about 80 dB down. Meant for whole clips (it allocates the
 * output), not for the per-frame path.
 */
public final class Resampler {
    /** Zero crossings of the sinc kernel on each side. */
    private static final int ZERO_CROSSINGS = 16;
    /** Kernel table resolution per zero crossing. */
    private static final int RESOLUTION = 512;
    private static final double ROLLOFF = 0.92;
    private static final double KAISER_BETA = 8.0;
    private static final float[] KERNEL = new float[ZERO_CROSSINGS * RESOLUTION + 2];

    static {
        double i0Beta = Kaiser.besselI0(KAISER_BETA);
        for (int i = 0; i < KERNEL.length; i++) {
            double u = (double) i / RESOLUTION;
            if (u > ZERO_CROSSINGS) {
                KERNEL[i] = 0;
                continue;
            }
            double sinc = u == 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
            double r = u / ZERO_CROSSINGS;
            double w = Kaiser.besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
            KERNEL[i] = (float) (sinc * w);
        }
    }

    private Resampler() {
    }

    /** Converts {@code in} from {@code fromRate} to {@code toRate}; returns a copy when the rates match. */
    public static short[] resample(short[] in, int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive");
        }
        if (fromRate == toRate) {
            return in.clone();
        }
        int outLen = (int) ((long) in.length * toRate / fromRate);
        short[] out = new short[outLen];
        double step = (double) fromRate / toRate;
        double scale = Math.min(1.0, (double) toRate / fromRate) * ROLLOFF;
        double halfWidth = ZERO_CROSSINGS / scale;
        double tableStep = scale * RESOLUTION;
        for (int n = 0; n < outLen; n++) {
            double t = n * step;
            int first = (int) Math.ceil(t - halfWidth);
            int last = (int) Math.floor(t + halfWidth);
            if (first < 0) {
                first = 0;
            }
            if (last >= in.length) {
                last = in.length - 1;
            }
            double acc = 0;
            for (int k = first; k <= last; k++) {
                double pos = Math.abs(t - k) * tableStep;
                int idx = (int) pos;
                if (idx >= KERNEL.length - 1) {
                    continue;
                }
                double frac = pos - idx;
                double h = KERNEL[idx] + (KERNEL[idx + 1] - KERNEL[idx]) * frac;
                acc += in[k] * h;
            }
            long v = Math.round(acc * scale);
            out[n] = (short) (v > Short.MAX_VALUE ? Short.MAX_VALUE : (v < Short.MIN_VALUE ? Short.MIN_VALUE : v));
        }
        return out;
    }
}
