package dev.hotline.engine.media;

import org.apache.commons.math3.complex.Complex;
import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;

/**
 * Objective scores of a degraded 8 kHz signal against its reference, aligned sample for sample, over chosen analysis
 * windows of 32 ms (256 samples; the signal is cut into them every 16 ms, as PESQ frames it, so that a click at a
 * packet boundary falls inside windows rather than between them). Three measures, none of them PESQ or POLQA (neither
 * is available here, and no MOS mapping is claimed):
 * <ul>
 *   <li><b>segmental SNR</b> (dB, higher is better): per window {@code 10 log10(Σ ref² / Σ (ref − deg)²)} clamped to
 *       [−10, 35] dB, averaged. Waveform-exact: it punishes a concealment that sounds right with the wrong phase
 *       (a repeated pitch period drifts against the real one) and rewards silence over it (silence scores 0 dB, a
 *       half-period phase error −6 dB).</li>
 *   <li><b>log-spectral distance</b> (dB, lower is better): per window (Hann, 256-point FFT, 31–4000 Hz) the
 *       RMS over bins of {@code 10 log10((P_ref + ε) / (P_deg + ε))}, averaged; ε is a floor about 60 dB below a
 *       full-scale tone so that silence against speech counts as a bounded, large distance. Phase-blind.</li>
 *   <li><b>Bark spectral distortion</b> (lower is better; 0 identical, 1 as far as silence): the BSD of Wang, Sekey
 *       and Gersho (1992), simplified: the power in the 17 critical bands from 100 Hz to 4 kHz (Zwicker's edges),
 *       loudness as power<sup>0.23</sup> (Zwicker's law), {@code Σ (L_ref − L_deg)² / Σ L_ref²} over the windows.
 *       The perceptual part PESQ also builds on (Bark scale, compressed loudness), without its level and time
 *       alignment, IRS filter, asymmetry, masking or cognitive model.</li>
 * </ul>
 */
final class SpeechQuality {
    /** Analysis window and FFT size: 32 ms. */
    static final int WINDOW = 256;
    /** Windows start every 16 ms. */
    static final int HOP = 128;
    private static final int FFT = WINDOW;
    /** Power floor per bin: a tone ~60 dB below full scale through the Hann window. */
    private static final double EPS = 2.5e6;
    private static final double[] BARK_EDGES_HZ = {100, 200, 300, 400, 510, 630, 770, 920, 1080, 1270, 1480, 1720, 2000,
        2320, 2700, 3150, 3700, 4000};
    private static final double[] HANN = new double[WINDOW];
    private static final FastFourierTransformer FFT_T = new FastFourierTransformer(DftNormalization.STANDARD);

    static {
        for (int i = 0; i < WINDOW; i++) {
            HANN[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / WINDOW);
        }
    }

    /** The three scores over {@code windows} windows. */
    record Scores(double segSnrDb, double logSpectralDistanceDb, double barkSpectralDistortion, int windows) {
    }

    /** Whether the reference window holds speech: RMS above −50 dBFS (the prompts are trimmed, peak at −3 dBFS). */
    static boolean active(short[] ref, int start) {
        double e = 0;
        for (int i = start; i < start + WINDOW; i++) {
            e += (double) ref[i] * ref[i];
        }
        return Math.sqrt(e / WINDOW) > 32768 * Math.pow(10, -50 / 20.0);
    }

    /** Running sums of the scores, so that many signals add up to one figure. */
    static final class Accumulator {
        private double snrSum;
        private double lsdSum;
        private double barkDiff;
        private double barkRef;
        private int windows;

        /** Adds the window from {@code from} of a reference and its degraded copy. */
        void add(short[] ref, short[] deg, int from) {
            double sig = 0;
            double err = 0;
            for (int i = from; i < from + WINDOW; i++) {
                double d = ref[i] - deg[i];
                sig += (double) ref[i] * ref[i];
                err += d * d;
            }
            double snr = err == 0 ? 35 : 10 * Math.log10(Math.max(sig, 1e-9) / err);
            snrSum += Math.max(-10, Math.min(35, snr));
            double[] pr = power(ref, from);
            double[] pd = power(deg, from);
            double lsd = 0;
            for (int k = 1; k <= FFT / 2; k++) {
                double d = 10 * Math.log10((pr[k] + EPS) / (pd[k] + EPS));
                lsd += d * d;
            }
            lsdSum += Math.sqrt(lsd / (FFT / 2));
            for (int b = 0; b + 1 < BARK_EDGES_HZ.length; b++) {
                double lr = Math.pow(band(pr, b), 0.23);
                double ld = Math.pow(band(pd, b), 0.23);
                barkDiff += (lr - ld) * (lr - ld);
                barkRef += lr * lr;
            }
            windows++;
        }

        Scores scores() {
            if (windows == 0) {
                return new Scores(Double.NaN, Double.NaN, Double.NaN, 0);
            }
            return new Scores(snrSum / windows, lsdSum / windows, barkDiff / barkRef, windows);
        }
    }

    private static double band(double[] p, int b) {
        int lo = (int) Math.ceil(BARK_EDGES_HZ[b] * FFT / 8000.0);
        int hi = (int) Math.ceil(BARK_EDGES_HZ[b + 1] * FFT / 8000.0);
        double e = 0;
        for (int k = lo; k < Math.min(hi, FFT / 2 + 1); k++) {
            e += p[k];
        }
        return e;
    }

    /** Power spectrum (bins 0..FFT/2) of one Hann-windowed window. */
    private static double[] power(short[] s, int from) {
        double[] x = new double[FFT];
        for (int i = 0; i < WINDOW; i++) {
            x[i] = s[from + i] * HANN[i];
        }
        Complex[] c = FFT_T.transform(x, TransformType.FORWARD);
        double[] p = new double[FFT / 2 + 1];
        for (int k = 0; k <= FFT / 2; k++) {
            double re = c[k].getReal();
            double im = c[k].getImaginary();
            p[k] = re * re + im * im;
        }
        return p;
    }

    private SpeechQuality() {
    }
}
