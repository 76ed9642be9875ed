package dev.hotline.engine.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavReaderTest {
    @TempDir
    Path dir;

    private Path soxSine(String name, String... format) {
        Path f = dir.resolve(name);
        String[] args = new String[format.length + 8];
        args[0] = "-n";
        System.arraycopy(format, 0, args, 1, format.length);
        int i = format.length + 1;
        args[i++] = f.toString();
        args[i++] = "synth";
        args[i++] = "0.5";
        args[i++] = "sine";
        args[i++] = "440";
        args[i++] = "vol";
        args[i] = "0.5";
        Sox.run(args);
        return f;
    }

    @Test
    void everyCommonFormatBecomesHalfASecondOf440HzAt8k() throws IOException {
        Path[] files = {
            soxSine("pcm16-8k.wav", "-r", "8000", "-c", "1", "-b", "16"),
            soxSine("pcm16-44k-stereo.wav", "-r", "44100", "-c", "2", "-b", "16"),
            soxSine("pcm8-11k.wav", "-r", "11025", "-c", "1", "-b", "8", "-e", "unsigned"),
            soxSine("pcm24-48k.wav", "-r", "48000", "-c", "1", "-b", "24"),
            soxSine("float-16k.wav", "-r", "16000", "-c", "1", "-e", "float", "-b", "32"),
            soxSine("ulaw-8k.wav", "-r", "8000", "-c", "1", "-e", "u-law"),
            soxSine("alaw-8k.wav", "-r", "8000", "-c", "1", "-e", "a-law"),
            soxSine("ulaw-16k-stereo.wav", "-r", "16000", "-c", "2", "-e", "u-law"),
            soxSine("gsm.wav", "-r", "8000", "-c", "1", "-e", "gsm"),
            soxSine("odd-rate.wav", "-r", "12345", "-c", "1", "-b", "16"),
        };
        short[] ideal = Signals.sine(440, 16384, 4000, 8000);
        for (Path f : files) {
            AudioClip clip = WavReader.read(f);
            assertThat(Math.abs(clip.length() - 4000)).as(f.getFileName().toString()).isLessThanOrEqualTo(320);
            double minSnr = f.getFileName().toString().startsWith("gsm") ? 8 : (f.toString().contains("law") || f.toString().contains("pcm8") ? 25 : 45);
            assertThat(Signals.snrDb(ideal, clip.toArray(), 200)).as(f.getFileName().toString()).isGreaterThan(minSnr);
        }
    }

    @Test
    void channelsAreKept() throws IOException {
        short[] left = Signals.sine(440, 9000, 800, 8000);
        short[] right = Signals.sine(1000, 7000, 800, 8000);
        short[] interleaved = new short[1600];
        for (int i = 0; i < 800; i++) {
            interleaved[2 * i] = left[i];
            interleaved[2 * i + 1] = right[i];
        }
        Path raw = dir.resolve("lr.raw");
        Sox.writeRaw16(raw, interleaved);
        Path f = dir.resolve("lr.wav");
        Sox.run("-t", "raw", "-r", "8000", "-c", "2", "-e", "signed", "-b", "16", raw.toString(), f.toString());
        WavReader.Pcm pcm = WavReader.decode(f);
        assertThat(pcm.channels()).isEqualTo(2);
        assertThat(pcm.sampleRate()).isEqualTo(8000);
        assertThat(pcm.frames()).isEqualTo(800);
        assertThat(pcm.channel(0)).isEqualTo(left);
        assertThat(pcm.channel(1)).isEqualTo(right);
        short[] mono = pcm.mono();
        assertThat(mono[100]).isEqualTo((short) ((left[100] + right[100]) / 2));
    }

    @Test
    void hostileFiles() throws IOException {
        Path junk = dir.resolve("junk.wav");
        Files.write(junk, "RIFF\0\0\0\0WAVEjunk".getBytes());
        assertThatThrownBy(() -> WavReader.read(junk)).isInstanceOf(IOException.class);
        Path text = dir.resolve("text.wav");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> WavReader.read(text)).isInstanceOf(IOException.class).hasMessageContaining("RIFF");
        Path adpcm = dir.resolve("adpcm.wav");
        Sox.run("-n", "-r", "8000", "-c", "1", "-e", "ms-adpcm", adpcm.toString(), "synth", "0.1", "sine", "440");
        assertThatThrownBy(() -> WavReader.read(adpcm)).isInstanceOf(IOException.class).hasMessageContaining("unsupported");
    }
}
