package dev.hotline.engine.codec;

/** The Kaiser window's Bessel function, shared by the engine's windowed-sinc filters (the Opus decimator, WAV resampling). */
public final class Kaiser {
    private Kaiser() {}

    /** Modified Bessel function of the first kind, order zero (power series, to a relative 1e-12). */
    public static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int n = 1; n < 50; n++) {
            term *= q / ((double) n * n);
            sum += term;
            if (term < 1e-12 * sum) {
                break;
            }
        }
        return sum;
    }
}
