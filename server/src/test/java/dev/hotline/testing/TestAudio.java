package dev.hotline.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/** Audio for upload and file tests: WAVs made here, and the format of a WAV that came back. */
public final class TestAudio {
    private TestAudio() {}

    /** A 16-bit PCM WAV of a {@code hz} sine, {@code ms} long, at {@code rate} with {@code channels}. */
    public static byte[] toneWav(int rate, int channels, int ms, int hz) {
        int frames = rate * ms / 1000;
        byte[] pcm = new byte[frames * channels * 2];
        for (int i = 0; i < frames; i++) {
            short v = (short) (8000 * Math.sin(2 * Math.PI * hz * i / (double) rate));
            for (int c = 0; c < channels; c++) {
                int at = (i * channels + c) * 2;
                pcm[at] = (byte) v;
                pcm[at + 1] = (byte) (v >> 8);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm), new AudioFormat(rate, 16, channels, true, false), frames),
                    AudioFileFormat.Type.WAVE, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** What a WAV holds: format and length. */
    public record WavInfo(float sampleRate, int channels, int bits, AudioFormat.Encoding encoding, long frames) {
        public long durationMs() {
            return (long) (frames * 1000 / sampleRate);
        }
    }

    public static WavInfo read(byte[] wav) {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            AudioFormat f = in.getFormat();
            return new WavInfo(f.getSampleRate(), f.getChannels(), f.getSampleSizeInBits(), f.getEncoding(), in.getFrameLength());
        } catch (IOException | UnsupportedAudioFileException e) {
            throw new AssertionError("not a WAV Java can read: " + e.getMessage(), e);
        }
    }

    /** A test resource's bytes (e.g. {@code /audio/tone-440hz-1s-22k-stereo.mp3}). */
    public static byte[] resource(String path) {
        try (InputStream in = TestAudio.class.getResourceAsStream(path)) {
            if (in == null) throw new AssertionError("missing test resource " + path);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
