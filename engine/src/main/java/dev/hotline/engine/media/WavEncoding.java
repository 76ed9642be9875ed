package dev.hotline.engine.media;

import dev.hotline.engine.codec.G711;
import dev.hotline.engine.codec.Gsm610;

/** Sample encodings of the WAV files Hotline writes (recordings). */
public enum WavEncoding {
    /** 16-bit signed little-endian linear PCM (WAVE_FORMAT_PCM). */
    PCM_16(1, 16, 2, 1) {
        @Override
        void encode(short s, byte[] out, int off) {
            out[off] = (byte) s;
            out[off + 1] = (byte) (s >> 8);
        }
    },
    /** G.711 μ-law (WAVE_FORMAT_MULAW). */
    MULAW(7, 8, 1, 1) {
        @Override
        void encode(short s, byte[] out, int off) {
            out[off] = G711.linearToUlaw(s);
        }
    },
    /** G.711 A-law (WAVE_FORMAT_ALAW). */
    ALAW(6, 8, 1, 1) {
        @Override
        void encode(short s, byte[] out, int off) {
            out[off] = G711.linearToAlaw(s);
        }
    },
    /** GSM 06.10 in Microsoft's framing: 320 samples per 65-byte block, mono only. */
    GSM_610(Gsm610.WAVE_FORMAT_GSM610, 0, Gsm610.WAV_BLOCK_BYTES, Gsm610.WAV_BLOCK_SAMPLES) {
        @Override
        void encode(short s, byte[] out, int off) {
            throw new UnsupportedOperationException("GSM is encoded by blocks");
        }
    };

    private final int formatTag;
    private final int bitsPerSample;
    private final int blockBytes;
    private final int blockSamples;

    WavEncoding(int formatTag, int bitsPerSample, int blockBytes, int blockSamples) {
        this.formatTag = formatTag;
        this.bitsPerSample = bitsPerSample;
        this.blockBytes = blockBytes;
        this.blockSamples = blockSamples;
    }

    /** The WAVE format tag in the fmt chunk. */
    public int formatTag() {
        return formatTag;
    }

    public int bitsPerSample() {
        return bitsPerSample;
    }

    /** Bytes of one block of one channel. */
    int blockBytes() {
        return blockBytes;
    }

    /** Samples of one block of one channel. */
    int blockSamples() {
        return blockSamples;
    }

    /** Whether each sample is coded alone (everything but GSM). */
    boolean perSample() {
        return blockSamples == 1;
    }

    /** Whether the fmt chunk has the cbSize extension and the file needs a fact chunk. */
    boolean needsFact() {
        return this != PCM_16;
    }

    /** Writes one sample (per-sample encodings only). */
    abstract void encode(short s, byte[] out, int off);

    /** Bytes per second of one channel at 8 kHz. */
    int bytesPerSecond(int rate) {
        return (int) ((long) rate * blockBytes / blockSamples);
    }
}
