package dev.hotline.engine.media;

import java.time.Duration;
import java.util.List;

/**
 * An immutable piece of audio: 8 kHz, mono, 16-bit linear PCM, played in 20 ms frames of
 * {@value #FRAME_SAMPLES} samples. Shared freely between threads and channels.
 */
public final class AudioClip {
    public static final int SAMPLE_RATE = 8000;
    public static final int FRAME_SAMPLES = 160;
    public static final AudioClip EMPTY = new AudioClip(new short[0]);

    private final short[] samples;

    private AudioClip(short[] samples) {
        this.samples = samples;
    }

    /** A clip of a copy of the samples (8 kHz mono). */
    public static AudioClip of(short[] samples) {
        return new AudioClip(samples.clone());
    }

    /** Takes ownership of the array without copying; the caller must not change it afterwards. */
    static AudioClip wrap(short[] samples) {
        return new AudioClip(samples);
    }

    public static AudioClip silence(Duration d) {
        return new AudioClip(new short[(int) (d.toMillis() * SAMPLE_RATE / 1000)]);
    }

    /** The clips one after the other. */
    public static AudioClip concat(List<AudioClip> clips) {
        int n = 0;
        for (AudioClip c : clips) {
            n += c.samples.length;
        }
        short[] out = new short[n];
        int o = 0;
        for (AudioClip c : clips) {
            System.arraycopy(c.samples, 0, out, o, c.samples.length);
            o += c.samples.length;
        }
        return new AudioClip(out);
    }

    public int length() {
        return samples.length;
    }

    /** Number of 20 ms frames, the last one possibly partial. */
    public int frameCount() {
        return (samples.length + FRAME_SAMPLES - 1) / FRAME_SAMPLES;
    }

    public Duration duration() {
        return Duration.ofNanos(samples.length * 1_000_000_000L / SAMPLE_RATE);
    }

    public short sample(int i) {
        return samples[i];
    }

    /**
     * Copies frame {@code frame} into {@code dst} at {@code off}, padding with silence past the
     * end of the clip; no allocation.
     *
     * @return the number of real samples copied (0 past the end)
     */
    public int copyFrame(int frame, short[] dst, int off) {
        return copy(frame * FRAME_SAMPLES, dst, off, FRAME_SAMPLES);
    }

    /** Copies {@code len} samples from position {@code from}, padding with silence; returns real samples copied. */
    public int copy(int from, short[] dst, int off, int len) {
        int n = Math.max(0, Math.min(len, samples.length - from));
        if (n > 0) {
            System.arraycopy(samples, from, dst, off, n);
        }
        if (n < len) {
            java.util.Arrays.fill(dst, off + n, off + len, (short) 0);
        }
        return n;
    }

    /** A copy of the samples. */
    public short[] toArray() {
        return samples.clone();
    }

    @Override
    public String toString() {
        return "AudioClip[" + samples.length + " samples, " + duration().toMillis() + " ms]";
    }
}
