package dev.hotline.engine.tts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TTS cache's WAV files: written and read back unchanged (its resampling is media.ResamplerTest's). */
class WavIoTest {
    @Test
    void wavRoundTrip(@TempDir Path dir) throws Exception {
        short[] s = new short[2000];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(12_000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
        }
        Path f = dir.resolve("a.wav");
        WavIo.write8kMono(f, s);
        assertThat(WavIo.read8kMono(f)).isEqualTo(s);
        assertThat(WavIo.millis(s)).isEqualTo(250);
    }
}
