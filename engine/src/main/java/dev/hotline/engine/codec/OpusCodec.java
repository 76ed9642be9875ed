package dev.hotline.engine.codec;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;

/**
 * Opus (RFC 6716, RTP payload RFC 7587) through Concentus, a pure-Java port of libopus: encodes the engine's
 * 8 kHz audio as mono VoIP Opus (narrowband, 20 kbit/s, complexity 1, in-band FEC on) and decodes any Opus packet (mono or
 * stereo, any bandwidth) to 8 kHz mono. The encoder and the decoder are made at first use (a leg that only
 * relays never needs them). Frames of 2.5, 5, 10, 20, 40 or 60 ms encode; other sizes give 0 bytes.
 *
 * <p>Packets are decoded at 48 kHz and brought to 8 kHz by a {@link Decimator}: Concentus decoding straight to 8 or 16 kHz
 * gives silence for hybrid packets (RFC 6716 §3.1, SILK plus CELT, what a browser sends for speech at 32 kbit/s), so a
 * browser phone's voice went silent once its encoder moved to hybrid — and stayed so for the later calls of the same
 * persistent connection, whose encoder goes on in that mode.
 */
final class OpusCodec implements AudioCodec {
    /** The largest payload the encoder is allowed (RFC 6716 §3.4: a frame of at most 1275 bytes). */
    static final int MAX_PAYLOAD = 400;
    /** The rate packets are decoded at (see the class comment). */
    private static final int DECODE_RATE = 48_000;
    /** The longest packet (120 ms) at the decoding rate. */
    private static final int MAX_FRAME = 5760;
    private OpusEncoder encoder;
    private OpusDecoder decoder;
    private short[] wide;
    private Decimator decimator;

    @Override
    public CodecType type() {
        return CodecType.OPUS;
    }

    @Override
    public int encode(short[] pcm, int off, int samples, byte[] out, int outOff) {
        try {
            if (encoder == null) {
                encoder = new OpusEncoder(CodecType.CLOCK_RATE, 1, OpusApplication.OPUS_APPLICATION_VOIP);
                encoder.setBitrate(20_000);
                encoder.setComplexity(1); // 1 of 10: a third of the CPU of 5 for narrowband voice
                encoder.setUseInbandFEC(true);
                encoder.setPacketLossPercent(5);
            }
            return encoder.encode(pcm, off, samples, out, outOff, Math.min(MAX_PAYLOAD, out.length - outOff));
        } catch (OpusException | RuntimeException e) {
            return 0;
        } catch (AssertionError e) {
            // Concentus checks its internal arithmetic with AssertionErrors (always on), e.g. an overflow in SILK's LPC
            // analysis on some inputs: that frame is not sent, and a fresh encoder takes the next one.
            encoder = null;
            return 0;
        }
    }

    @Override
    public int decode(byte[] in, int off, int len, short[] pcm, int pcmOff) {
        try {
            if (decoder == null) {
                decoder = new OpusDecoder(DECODE_RATE, 1);
                wide = new short[MAX_FRAME];
                decimator = new Decimator(MAX_FRAME);
            }
            int room = Math.min(MAX_FRAME, (pcm.length - pcmOff) * Decimator.FACTOR);
            int n = decoder.decode(in, off, len, wide, 0, room, false);
            return n <= 0 ? 0 : decimator.process(wide, n - n % Decimator.FACTOR, pcm, pcmOff);
        } catch (OpusException | RuntimeException e) {
            return 0;
        } catch (AssertionError e) {
            decoder = null; // see encode
            return 0;
        }
    }
}
