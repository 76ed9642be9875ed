package dev.hotline.engine.codec;

/**
 * The audio codecs of the engine with their static RTP payload types (RFC 3551 §6, Table 4), or for Opus the dynamic
 * type the engine offers (RFC 7587). Every codec works on the engine's 8 kHz PCM; the RTP clock rate says how
 * timestamps count (G.722: 8 kHz for 16 kHz audio, RFC 3551 §4.5.2; Opus: 48 kHz whatever the audio, RFC 7587 §4.1).
 */
public enum CodecType {
    PCMU(0, "PCMU", 1, 1) {
        @Override
        public AudioCodec newCodec() {
            return new G711Codec(this);
        }
    },
    GSM(3, "GSM", Gsm610.FRAME_BYTES, Gsm610.FRAME_SAMPLES) {
        @Override
        public AudioCodec newCodec() {
            return new GsmCodec();
        }
    },
    PCMA(8, "PCMA", 1, 1) {
        @Override
        public AudioCodec newCodec() {
            return new G711Codec(this);
        }
    },
    /** G.722 at 64 kbit/s: one byte per 8 kHz sample period (two 16 kHz samples). */
    G722(9, "G722", 1, 1) {
        @Override
        public AudioCodec newCodec() {
            return new G722Codec();
        }
    },
    /** Opus (RFC 7587), mono voice; its payload size varies with the content (payloadBytes gives the maximum). */
    OPUS(111, "opus", OpusCodec.MAX_PAYLOAD, 160) {
        @Override
        public AudioCodec newCodec() {
            return new OpusCodec();
        }

        @Override
        public int rtpClockRate() {
            return 48_000;
        }
    };

    /** The engine's PCM sample rate. */
    public static final int CLOCK_RATE = 8000;

    private final int payloadType;
    private final String encodingName;
    private final int frameBytes;
    private final int frameSamples;

    CodecType(int payloadType, String encodingName, int frameBytes, int frameSamples) {
        this.payloadType = payloadType;
        this.encodingName = encodingName;
        this.frameBytes = frameBytes;
        this.frameSamples = frameSamples;
    }

    /** A fresh codec instance for one stream. */
    public abstract AudioCodec newCodec();

    public int payloadType() {
        return payloadType;
    }

    /** The rate RTP timestamps of this codec count at (the a=rtpmap clock rate). */
    public int rtpClockRate() {
        return CLOCK_RATE;
    }

    /** The codec of an SDP payload format (by encoding name and clock rate), or null when the engine has none for it. */
    public static CodecType of(String encodingName, int clockRate) {
        CodecType c = ofEncodingName(encodingName);
        return c != null && c.rtpClockRate() == clockRate ? c : null;
    }

    /** The encoding name of an SDP a=rtpmap line. */
    public String encodingName() {
        return encodingName;
    }

    /** Bytes of a payload carrying {@code samples} samples. */
    public int payloadBytes(int samples) {
        return samples / frameSamples * frameBytes;
    }

    /** The codec of a static payload type, or null. */
    public static CodecType ofPayloadType(int pt) {
        for (CodecType c : values()) {
            if (c.payloadType == pt) {
                return c;
            }
        }
        return null;
    }

    /** The codec of an rtpmap encoding name (case-insensitive), or null. */
    public static CodecType ofEncodingName(String name) {
        for (CodecType c : values()) {
            if (c.encodingName.equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    private static final class G711Codec implements AudioCodec {
        private final CodecType type;
        private final boolean ulaw;

        G711Codec(CodecType type) {
            this.type = type;
            this.ulaw = type == PCMU;
        }

        @Override
        public CodecType type() {
            return type;
        }

        @Override
        public int encode(short[] pcm, int off, int samples, byte[] out, int outOff) {
            for (int i = 0; i < samples; i++) {
                out[outOff + i] = ulaw ? G711.linearToUlaw(pcm[off + i]) : G711.linearToAlaw(pcm[off + i]);
            }
            return samples;
        }

        @Override
        public int decode(byte[] in, int off, int len, short[] pcm, int pcmOff) {
            for (int i = 0; i < len; i++) {
                pcm[pcmOff + i] = ulaw ? G711.ulawToLinear(in[off + i]) : G711.alawToLinear(in[off + i]);
            }
            return len;
        }
    }

    private static final class G722Codec implements AudioCodec {
        private final G722.Encoder enc = new G722.Encoder();
        private final G722.Decoder dec = new G722.Decoder();
        private final HalfBand up = new HalfBand();
        private final HalfBand down = new HalfBand();
        private short[] wide = new short[640];

        @Override
        public CodecType type() {
            return G722;
        }

        @Override
        public int encode(short[] pcm, int off, int samples, byte[] out, int outOff) {
            ensure(samples);
            up.up(pcm, off, samples, wide, 0);
            return enc.encode(wide, 0, 2 * samples, out, outOff);
        }

        @Override
        public int decode(byte[] in, int off, int len, short[] pcm, int pcmOff) {
            ensure(len);
            int n = dec.decode(in, off, len, wide, 0);
            down.down(wide, 0, n, pcm, pcmOff);
            return n / 2;
        }

        private void ensure(int samples) {
            if (wide.length < 2 * samples) {
                wide = new short[2 * samples];
            }
        }
    }

    private static final class GsmCodec implements AudioCodec {
        private final Gsm610.Encoder enc = new Gsm610.Encoder();
        private final Gsm610.Decoder dec = new Gsm610.Decoder();

        @Override
        public CodecType type() {
            return GSM;
        }

        @Override
        public int encode(short[] pcm, int off, int samples, byte[] out, int outOff) {
            int frames = samples / Gsm610.FRAME_SAMPLES;
            for (int f = 0; f < frames; f++) {
                enc.encode(pcm, off + f * Gsm610.FRAME_SAMPLES, out, outOff + f * Gsm610.FRAME_BYTES);
            }
            return frames * Gsm610.FRAME_BYTES;
        }

        @Override
        public int decode(byte[] in, int off, int len, short[] pcm, int pcmOff) {
            int frames = len / Gsm610.FRAME_BYTES;
            for (int f = 0; f < frames; f++) {
                dec.decode(in, off + f * Gsm610.FRAME_BYTES, pcm, pcmOff + f * Gsm610.FRAME_SAMPLES);
            }
            return frames * Gsm610.FRAME_SAMPLES;
        }
    }
}
