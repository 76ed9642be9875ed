package dev.hotline.engine.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResamplerTest {
    /** RMS amplitude of a signal, skipping the edges. */
    static double rms(short[] s, int skip) {
        double p = 0;
        int n = 0;
        for (int i = skip; i < s.length - skip; i++) {
            p += (double) s[i] * s[i];
            n++;
        }
        return Math.sqrt(p / n);
    }

    @Test
    void downsamplingKeepsInBandTonesExactly() {
        for (int rate : new int[] {11025, 16000, 22050, 44100, 48000}) {
            short[] in = Signals.sine(1000, 10000, rate, rate);
            short[] out = Resampler.resample(in, rate, 8000);
            assertThat(out).hasSize(8000);
            short[] ideal = Signals.sine(1000, 10000, 8000, 8000);
            assertThat(Signals.snrDb(ideal, out, 100)).as("%d Hz", rate).isGreaterThan(50);
        }
    }

    /** Speech rendered by espeak-ng (22.05 kHz) keeps the telephone band within 0.5 dB. */
    @Test
    void passesTheTelephoneBandFromTtsRate() {
        for (int hz : new int[] {300, 1000, 3000}) {
            short[] out = Resampler.resample(Signals.sine(hz, 10000, 22050, 22050), 22050, 8000);
            assertThat(out).hasSize(8000);
            double gainDb = 20 * Math.log10(rms(out, 800) / (10000 / Math.sqrt(2)));
            assertThat(Math.abs(gainDb)).as("%d Hz gain, dB", hz).isLessThan(0.5);
        }
    }

    /** Just above the new Nyquist (4.2 kHz would fold to 3.8 kHz) is removed too, not only far above. */
    @Test
    void removesWhatWouldAliasJustAboveTheNewNyquist() {
        for (int hz : new int[] {4200, 5000, 7000, 10000}) {
            short[] out = Resampler.resample(Signals.sine(hz, 20000, 22050, 22050), 22050, 8000);
            double attenuationDb = 20 * Math.log10(rms(out, 800) / (20000 / Math.sqrt(2)));
            assertThat(attenuationDb).as("%d Hz", hz).isLessThan(-60);
        }
    }

    @Test
    void downsamplingRemovesWhatWouldAlias() {
        for (int rate : new int[] {16000, 44100, 48000}) {
            // 5 kHz and 6.5 kHz would fold to 3 kHz and 1.5 kHz at 8 kHz
            for (int hz : new int[] {5000, 6500}) {
                short[] out = Resampler.resample(Signals.sine(hz, 20000, rate, rate), rate, 8000);
                double attenuationDb = 20 * Math.log10(rms(out, 200) / (20000 / Math.sqrt(2)));
                assertThat(attenuationDb).as("%d Hz at %d", hz, rate).isLessThan(-60);
            }
        }
    }

    @Test
    void upsamplingAndPassThrough() {
        short[] in = Signals.sine(440, 8000, 6000, 6000);
        short[] out = Resampler.resample(in, 6000, 8000);
        assertThat(out).hasSize(8000);
        assertThat(Signals.snrDb(Signals.sine(440, 8000, 8000, 8000), out, 100)).isGreaterThan(50);
        short[] same = Resampler.resample(in, 8000, 8000);
        assertThat(same).isEqualTo(in).isNotSameAs(in);
        assertThat(Resampler.resample(new short[0], 44100, 8000)).isEmpty();
    }

    @Test
    void fullScaleSaturatesInsteadOfWrappingAround() {
        short[] square = new short[4410];
        for (int i = 0; i < square.length; i++) {
            square[i] = (i / 50) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
        }
        short[] out = Resampler.resample(square, 44100, 8000);
        for (int n = 20; n < out.length - 20; n++) {
            int pos = (int) Math.round(n * 44100.0 / 8000);
            int phase = pos % 50;
            if (phase < 12 || phase > 38) {
                continue; // near a transition
            }
            short in = square[pos];
            assertThat(Integer.signum(out[n])).as("n=%d", n).isEqualTo(Integer.signum(in));
            assertThat(Math.abs(out[n])).isGreaterThan(20000);
        }
    }
}
