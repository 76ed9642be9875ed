package dev.hotline.engine.media;

import dev.hotline.engine.codec.Kaiser;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Band-limited sample-rate conversion of 16-bit mono PCM: a polyphase windowed-sinc (Kaiser) low-pass filter.
 *
 * <p>The cut-off is 0.875 of the lower Nyquist frequency (3.5 kHz when going to 8 kHz), with about 80 dB of
 * stop-band attenuation from 3.9 kHz, so speech rendered at 22.05 kHz keeps the whole telephone band
 * (300-3400 Hz) and nothing above 4 kHz folds back as aliasing. Filter tables are computed once per rate pair.
 * The engine's one block resampler: uploaded prompts and music (WavReader), TTS output (WavIo). Meant for whole clips
 * (it allocates the output), not for the per-frame path.
 */
public final class Resampler {
    private static final double CUTOFF = 0.875;
    private static final int ZERO_CROSSINGS = 24;
    private static final double KAISER_BETA = 8.0;
    private static final int MAX_TABLE_PHASES = 4096;

    private static final Map<Long, Filter> FILTERS = new ConcurrentHashMap<>();

    private Resampler() {
    }

    /** Converts {@code in} sampled at {@code inRate} Hz to {@code outRate} Hz. */
    public static short[] resample(short[] in, int inRate, int outRate) {
        if (inRate <= 0 || outRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + inRate + " -> " + outRate);
        }
        if (inRate == outRate) {
            return in.clone();
        }
        Filter f = FILTERS.computeIfAbsent(((long) inRate << 32) | outRate, k -> new Filter(inRate, outRate));
        int outLength = (int) ((long) in.length * f.up / f.down);
        short[] out = new short[outLength];
        double[] coeffs = f.table == null ? new double[2 * f.halfWidth] : null;
        for (int n = 0; n < outLength; n++) {
            long pos = (long) n * f.down;
            int i0 = (int) (pos / f.up);
            int phase = (int) (pos % f.up);
            double[] h;
            if (f.table != null) {
                h = f.table[phase];
            } else {
                f.fill(coeffs, (double) phase / f.up);
                h = coeffs;
            }
            double acc = 0;
            int first = i0 - f.halfWidth + 1;
            for (int j = 0; j < h.length; j++) {
                int k = first + j;
                if (k >= 0 && k < in.length) {
                    acc += in[k] * h[j];
                }
            }
            long v = Math.round(acc);
            out[n] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
        }
        return out;
    }

    /** One rate pair: up/down factors and, when small enough, the coefficient table for every phase. */
    private static final class Filter {
        final int up;
        final int down;
        final int halfWidth;
        /** Cut-off in cycles per input sample. */
        final double wc;
        final double i0Beta = Kaiser.besselI0(KAISER_BETA);
        final double[][] table;

        Filter(int inRate, int outRate) {
            int g = gcd(inRate, outRate);
            this.up = outRate / g;
            this.down = inRate / g;
            this.wc = CUTOFF * Math.min(inRate, outRate) / 2.0 / inRate;
            this.halfWidth = (int) Math.ceil(ZERO_CROSSINGS / (2 * wc));
            if (up <= MAX_TABLE_PHASES) {
                table = new double[up][2 * halfWidth];
                for (int p = 0; p < up; p++) {
                    fill(table[p], (double) p / up);
                }
            } else {
                table = null;
            }
        }

        /** Coefficients for input samples i0-halfWidth+1 .. i0+halfWidth, output at i0 + frac. */
        void fill(double[] h, double frac) {
            for (int j = 0; j < h.length; j++) {
                double t = (j - halfWidth + 1) - frac;
                h[j] = sinc(2 * wc * t) * 2 * wc * kaiser(t);
            }
        }

        private double kaiser(double t) {
            double r = t / halfWidth;
            if (r <= -1 || r >= 1) {
                return 0;
            }
            return Kaiser.besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta;
        }
    }

    private static double sinc(double x) {
        if (Math.abs(x) < 1e-12) {
            return 1;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
