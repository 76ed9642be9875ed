package dev.hotline.engine.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResamplerTest {
    private static short[] sine(double hz, int rate, double seconds, double amplitude) {
        short[] s = new short[(int) (rate * seconds)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    /** RMS away from the edges, where the filter sees zeros beyond the signal. */
    private static double innerRms(short[] s) {
        return ShippedPromptsTest.rms(s, s.length / 10, s.length - s.length / 10);
    }

    private static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }

    @Test
    void passesTheTelephoneBandAt22050To8000() {
        for (double hz : new double[] {300, 1000, 3000}) {
            short[] in = sine(hz, 22_050, 1.0, 10_000);
            short[] out = Resampler.resample(in, 22_050, 8000);
            assertThat(out).hasSize(8000);
            assertThat(db(innerRms(out) / innerRms(in))).as("%s Hz gain, dB", hz).isCloseTo(0, within(0.5));
        }
    }

    @Test
    void removesWhatWouldAliasInsteadOfFoldingIt() {
        // 5 kHz at 22.05 kHz would fold to 3 kHz at 8 kHz if samples were just picked (nearest-sample).
        for (double hz : new double[] {4200, 5000, 7000, 10_000}) {
            short[] in = sine(hz, 22_050, 1.0, 20_000);
            short[] out = Resampler.resample(in, 22_050, 8000);
            assertThat(db(innerRms(out) / innerRms(in))).as("%s Hz gain, dB", hz).isLessThan(-60);
        }
    }

    @Test
    void otherRatesWork() {
        short[] in = sine(1000, 48_000, 0.5, 8000);
        short[] down = Resampler.resample(in, 48_000, 8000);
        assertThat(down).hasSize(4000);
        assertThat(db(innerRms(down) / innerRms(in))).isCloseTo(0, within(0.5));
        short[] up = Resampler.resample(sine(1000, 8000, 0.5, 8000), 8000, 16_000);
        assertThat(up).hasSize(8000);
        assertThat(db(innerRms(up) / 8000 * Math.sqrt(2))).isCloseTo(0, within(0.5));
        assertThat(Resampler.resample(in, 48_000, 48_000)).isEqualTo(in).isNotSameAs(in);
    }

    @Test
    void wavRoundTripAndResamplingRead(@TempDir Path dir) throws Exception {
        short[] s = sine(440, 8000, 0.25, 12_000);
        Path f = dir.resolve("a.wav");
        WavIo.write8kMono(f, s);
        assertThat(WavIo.read8kMono(f)).isEqualTo(s);
        assertThat(WavIo.millis(s)).isEqualTo(250);
    }
}
