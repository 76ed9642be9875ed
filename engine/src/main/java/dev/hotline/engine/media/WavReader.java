package dev.hotline.engine.media;

import dev.hotline.engine.codec.G711;
import dev.hotline.engine.codec.Gsm610;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Reads WAV files of the common encodings at any sample rate and channel count, and converts
 * them to 8 kHz mono 16-bit ({@link AudioClip}).
 *
 * <p>javax.sound.sampled decodes what it supports (PCM 8/16/24/32-bit, float, μ-law,
 * A-law); the RIFF parser here handles what it does not (GSM 06.10, and μ-law/A-law or PCM
 * files with headers it rejects). Channels are averaged; the rate is converted by
 * {@link Resampler}.
 */
public final class WavReader {
    /** Decoded audio at its own rate: samples interleaved by channel. */
    public record Pcm(int sampleRate, int channels, short[] samples) {
        /** Sample frames (samples per channel). */
        public int frames() {
            return samples.length / channels;
        }

        /** One channel's samples. */
        public short[] channel(int c) {
            short[] out = new short[frames()];
            for (int i = 0; i < out.length; i++) {
                out[i] = samples[i * channels + c];
            }
            return out;
        }

        /** The channels averaged into one. */
        public short[] mono() {
            if (channels == 1) {
                return samples.clone();
            }
            short[] out = new short[frames()];
            for (int i = 0; i < out.length; i++) {
                int sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum += samples[i * channels + c];
                }
                out[i] = (short) (sum / channels);
            }
            return out;
        }
    }

    private WavReader() {
    }

    /** Reads a WAV file as an 8 kHz mono clip. */
    public static AudioClip read(Path file) throws IOException {
        Pcm pcm = decode(file);
        return AudioClip.wrap(Resampler.resample(pcm.mono(), pcm.sampleRate(), AudioClip.SAMPLE_RATE));
    }

    /** Decodes a WAV file to 16-bit samples at its own rate and channel count. */
    public static Pcm decode(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return decodeWithJavaSound(in);
        } catch (UnsupportedAudioFileException | IllegalArgumentException e) {
            return decodeRiff(Files.readAllBytes(file), file.toString());
        }
    }

    private static Pcm decodeWithJavaSound(InputStream raw) throws IOException, UnsupportedAudioFileException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(raw)) {
            AudioFormat src = in.getFormat();
            AudioFormat dst = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, src.getSampleRate(), 16,
                    src.getChannels(), 2 * src.getChannels(), src.getSampleRate(), false);
            try (AudioInputStream conv = AudioSystem.getAudioInputStream(dst, in)) {
                byte[] b = conv.readAllBytes();
                return new Pcm(Math.round(src.getSampleRate()), src.getChannels(), le16(b, 0, b.length / 2 / src.getChannels() * src.getChannels()));
            }
        }
    }

    /** Our own RIFF/WAVE parser, for the encodings javax.sound does not read. */
    static Pcm decodeRiff(byte[] b, String name) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        if (b.length < 12 || buf.getInt(0) != 0x46464952 || buf.getInt(8) != 0x45564157) {
            throw new IOException("not a RIFF/WAVE file: " + name);
        }
        int tag = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int blockAlign = 0;
        int pos = 12;
        while (pos + 8 <= b.length) {
            int id = buf.getInt(pos);
            long size = buf.getInt(pos + 4) & 0xFFFFFFFFL;
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                if (size < 16 || body + 16 > b.length) {
                    throw new IOException("truncated fmt chunk: " + name);
                }
                tag = buf.getShort(body) & 0xFFFF;
                channels = buf.getShort(body + 2) & 0xFFFF;
                rate = buf.getInt(body + 4);
                blockAlign = buf.getShort(body + 12) & 0xFFFF;
                bits = buf.getShort(body + 14) & 0xFFFF;
                if (tag == 0xFFFE && size >= 40 && body + 26 <= b.length) {
                    tag = buf.getShort(body + 24) & 0xFFFF; // WAVE_FORMAT_EXTENSIBLE sub-format
                }
            } else if (id == 0x61746164) { // "data": a file cut short keeps what is there
                if (tag < 0) {
                    throw new IOException("data before fmt chunk: " + name);
                }
                int len = (int) Math.min(size, b.length - body);
                return decodeData(b, body, len, tag, channels, rate, bits, blockAlign, name);
            }
            pos = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1));
        }
        throw new IOException("no data chunk: " + name);
    }

    private static Pcm decodeData(byte[] b, int off, int len, int tag, int channels, int rate, int bits,
                                  int blockAlign, String name) throws IOException {
        if (channels < 1 || channels > 8 || rate <= 0) {
            throw new IOException("bad WAV format (" + channels + " channels, " + rate + " Hz): " + name);
        }
        switch (tag) {
            case 1: // PCM
                if (bits == 16) {
                    int n = len / 2 / channels * channels;
                    return new Pcm(rate, channels, le16(b, off, n));
                }
                if (bits == 8) {
                    int n = len / channels * channels;
                    short[] s = new short[n];
                    for (int i = 0; i < n; i++) {
                        s[i] = (short) (((b[off + i] & 0xFF) - 128) << 8);
                    }
                    return new Pcm(rate, channels, s);
                }
                break;
            case 6: // A-law
            case 7: { // μ-law
                int n = len / channels * channels;
                short[] s = new short[n];
                for (int i = 0; i < n; i++) {
                    s[i] = tag == 6 ? G711.alawToLinear(b[off + i]) : G711.ulawToLinear(b[off + i]);
                }
                return new Pcm(rate, channels, s);
            }
            case Gsm610.WAVE_FORMAT_GSM610: {
                if (channels != 1 || blockAlign != Gsm610.WAV_BLOCK_BYTES) {
                    throw new IOException("only mono GSM 06.10 in 65-byte blocks is supported: " + name);
                }
                int blocks = len / Gsm610.WAV_BLOCK_BYTES;
                short[] s = new short[blocks * Gsm610.WAV_BLOCK_SAMPLES];
                Gsm610.Decoder dec = new Gsm610.Decoder();
                for (int i = 0; i < blocks; i++) {
                    dec.decodeWavBlock(b, off + i * Gsm610.WAV_BLOCK_BYTES, s, i * Gsm610.WAV_BLOCK_SAMPLES);
                }
                int frames = factFrames(b);
                if (frames >= 0 && frames < s.length) {
                    s = java.util.Arrays.copyOf(s, frames);
                }
                return new Pcm(rate, 1, s);
            }
            default:
                break;
        }
        throw new IOException("unsupported WAV encoding (format tag 0x" + Integer.toHexString(tag) + ", "
                + bits + " bits): " + name);
    }

    /** The sample count in the fact chunk, or -1. */
    private static int factFrames(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        while (pos + 8 <= b.length) {
            int id = buf.getInt(pos);
            long size = buf.getInt(pos + 4) & 0xFFFFFFFFL;
            if (id == 0x74636166 && size >= 4 && pos + 12 <= b.length) { // "fact"
                return buf.getInt(pos + 8);
            }
            if (id == 0x61746164) {
                return -1;
            }
            pos = (int) Math.min(Integer.MAX_VALUE, pos + 8 + size + (size & 1));
        }
        return -1;
    }

    private static short[] le16(byte[] b, int off, int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) ((b[off + 2 * i] & 0xFF) | (b[off + 2 * i + 1] << 8));
        }
        return s;
    }
}
