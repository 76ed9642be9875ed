package dev.hotline.engine.tts;

import dev.hotline.engine.media.Resampler;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Small WAV reader and writer for 8 kHz 16-bit mono PCM, on top of javax.sound.sampled.
 *
 * <p>Reading accepts whatever javax.sound decodes (PCM 8/16-bit, G.711 mu-law and A-law, any rate, mono or
 * stereo); the result is mixed down to mono and resampled to 8 kHz with {@link Resampler}.
 */
public final class WavIo {
    /** The engine's audio rate. */
    public static final int RATE = 8000;
    /** 8 kHz, 16-bit signed little-endian, mono. */
    public static final AudioFormat PCM_8K = new AudioFormat(RATE, 16, 1, true, false);

    private WavIo() {
    }

    /** Reads a WAV file as 8 kHz 16-bit mono samples. */
    public static short[] read8kMono(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read8kMono(in, file.toString());
        }
    }

    /** Reads a WAV stream as 8 kHz 16-bit mono samples; {@code name} is used in error messages. */
    public static short[] read8kMono(InputStream stream, String name) throws IOException {
        try (AudioInputStream source = AudioSystem.getAudioInputStream(new BufferedInputStream(stream))) {
            AudioFormat f = source.getFormat();
            AudioFormat pcm = new AudioFormat(f.getSampleRate(), 16, f.getChannels(), true, false);
            try (AudioInputStream decoded = f.matches(pcm) ? source : AudioSystem.getAudioInputStream(pcm, source)) {
                byte[] bytes = decoded.readAllBytes();
                int channels = f.getChannels();
                int frames = bytes.length / (2 * channels);
                short[] mono = new short[frames];
                for (int i = 0; i < frames; i++) {
                    int sum = 0;
                    for (int c = 0; c < channels; c++) {
                        int o = (i * channels + c) * 2;
                        sum += (short) ((bytes[o] & 0xff) | (bytes[o + 1] << 8));
                    }
                    mono[i] = (short) (sum / channels);
                }
                int rate = Math.round(f.getSampleRate());
                return rate == RATE ? mono : Resampler.resample(mono, rate, RATE);
            }
        } catch (UnsupportedAudioFileException | IllegalArgumentException e) {
            throw new IOException("not a readable WAV file: " + name + " (" + e.getMessage() + ")", e);
        }
    }

    /** A complete WAV file (16-bit PCM, 8 kHz, mono) holding {@code samples}. */
    public static byte[] toWav(short[] samples) {
        byte[] pcm = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            pcm[2 * i] = (byte) samples[i];
            pcm[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(pcm.length + 44);
        try (AudioInputStream ais = new AudioInputStream(new ByteArrayInputStream(pcm), PCM_8K, samples.length)) {
            AudioSystem.write(ais, AudioFileFormat.Type.WAVE, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes {@code samples} as a 16-bit PCM 8 kHz mono WAV file. */
    public static void write8kMono(Path file, short[] samples) throws IOException {
        Files.write(file, toWav(samples));
    }

    /** Duration of {@code samples} at 8 kHz, in milliseconds. */
    public static long millis(short[] samples) {
        return samples.length * 1000L / RATE;
    }
}
