package dev.hotline.engine.media;

import java.util.SplittableRandom;

/** Deterministic test signals at 8 kHz. */
public final class Signals {
    private Signals() {
    }

    public static short[] sine(double hz, double amplitude, int samples, int rate) {
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    /**
     * A speech-like signal: a gliding pitch with many harmonics shaped by two moving formants,
     * syllable-rate amplitude modulation and a little noise.
     */
    public static short[] speechLike(int samples, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        short[] s = new short[samples];
        double phase = 0;
        for (int i = 0; i < samples; i++) {
            double t = i / 8000.0;
            double f0 = 120 + 40 * Math.sin(2 * Math.PI * 0.7 * t) + 20 * Math.sin(2 * Math.PI * 3.1 * t);
            phase += 2 * Math.PI * f0 / 8000.0;
            double f1 = 500 + 300 * Math.sin(2 * Math.PI * 2.3 * t);
            double f2 = 1500 + 600 * Math.sin(2 * Math.PI * 1.7 * t + 1);
            double v = 0;
            for (int h = 1; h * f0 < 3800; h++) {
                double fh = h * f0;
                double g = 1 / (1 + Math.pow((fh - f1) / 150, 2)) + 0.5 / (1 + Math.pow((fh - f2) / 200, 2));
                v += g * Math.sin(h * phase) / Math.sqrt(h);
            }
            double env = 0.55 + 0.45 * Math.sin(2 * Math.PI * 4 * t);
            v = v * env * 4000 + rnd.nextGaussian() * 60;
            s[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
        }
        return s;
    }

    /** Adds white Gaussian noise at the given signal-to-noise ratio (dB) relative to the signal's power. */
    public static short[] withNoise(short[] signal, double snrDb, long seed) {
        double p = 0;
        for (short v : signal) {
            p += (double) v * v;
        }
        p /= Math.max(1, signal.length);
        double sigma = Math.sqrt(p / Math.pow(10, snrDb / 10));
        SplittableRandom rnd = new SplittableRandom(seed);
        short[] out = new short[signal.length];
        for (int i = 0; i < signal.length; i++) {
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(signal[i] + rnd.nextGaussian() * sigma)));
        }
        return out;
    }

    /** Signal-to-noise ratio of {@code test} against {@code ref} in dB, after skipping {@code skip} samples. */
    public static double snrDb(short[] ref, short[] test, int skip) {
        double sig = 0;
        double err = 0;
        int n = Math.min(ref.length, test.length);
        for (int i = skip; i < n; i++) {
            sig += (double) ref[i] * ref[i];
            double d = ref[i] - test[i];
            err += d * d;
        }
        return 10 * Math.log10(sig / Math.max(err, 1e-9));
    }

    public static short[] concat(short[]... parts) {
        int n = 0;
        for (short[] p : parts) {
            n += p.length;
        }
        short[] out = new short[n];
        int o = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
