package dev.hotline.engine.rtp;

import dev.hotline.engine.codec.AudioCodec;
import dev.hotline.engine.codec.CodecType;
import dev.hotline.engine.sdp.PayloadType;
import java.nio.ByteBuffer;

/**
 * Relays one leg's RTP to a leg whose audio format differs other than by the G.711 law (G.711 ↔ G.722 ↔ Opus):
 * each packet decoded to the engine's 8 kHz PCM and encoded again, its sequence number, marker and SSRC kept, its
 * timestamp counted at the other side's clock (8 kHz ↔ 48 kHz). RFC 4733 events keep their payload; their
 * timestamp and duration are counted at the other clock too. Two legs of one format never get here (pass-through).
 * Confined to the source leg's receiving thread; no allocation per packet.
 */
final class Transcoder {
    /** The longest packet decoded: 120 ms at 8 kHz. */
    private static final int MAX_SAMPLES = 960;
    private final PayloadType in;
    private final PayloadType out;
    private final AudioCodec decoder;
    private final AudioCodec encoder;
    private final short[] pcm = new short[2048];
    private final byte[] packet = new byte[12 + MAX_SAMPLES];
    private final ByteBuffer buffer = ByteBuffer.wrap(packet);
    private boolean started;
    private int inBase;
    private int outBase;

    private Transcoder(PayloadType in, PayloadType out, CodecType from, CodecType to) {
        this.in = in;
        this.out = out;
        this.decoder = from.newCodec();
        this.encoder = to.newCodec();
    }

    /** A transcoder from {@code in} to {@code out}, or null when the engine lacks a codec for either. */
    static Transcoder between(PayloadType in, PayloadType out) {
        CodecType from = CodecType.of(in.encoding(), in.clockRate());
        CodecType to = CodecType.of(out.encoding(), out.clockRate());
        return from == null || to == null ? null : new Transcoder(in, out, from, to);
    }

    boolean matches(PayloadType from, PayloadType to) {
        return in.equals(from) && out.equals(to);
    }

    /**
     * The audio packet {@code a} (header of {@code headerLen} bytes, {@code payloadLen} bytes of payload) in the
     * other format, as a buffer valid until the next call; null when it does not decode or encode (e.g. a frame
     * length Opus has no mode for).
     */
    ByteBuffer audio(byte[] a, int headerLen, int payloadLen) {
        int n = decoder.decode(a, headerLen, payloadLen, pcm, 0);
        if (n <= 0 || n > MAX_SAMPLES) {
            return null;
        }
        int bytes = encoder.encode(pcm, 0, n, packet, 12);
        if (bytes <= 0) {
            return null;
        }
        packet[0] = (byte) 0x80;
        packet[1] = (byte) ((a[1] & 0x80) | out.number());
        packet[2] = a[2];
        packet[3] = a[3];
        put32(packet, 4, map(get32(a, 4)));
        System.arraycopy(a, 8, packet, 8, 4);
        buffer.clear().limit(12 + bytes);
        return buffer;
    }

    /** An RFC 4733 event packet, changed in place: its timestamp and duration at the other side's clock. */
    void event(byte[] a, int headerLen, int len) {
        if (in.clockRate() == out.clockRate()) {
            return;
        }
        put32(a, 4, map(get32(a, 4)));
        if (len - headerLen >= 4) {
            long duration = ((a[headerLen + 2] & 0xFF) << 8) | (a[headerLen + 3] & 0xFF);
            int scaled = (int) Math.min(0xFFFF, duration * out.clockRate() / in.clockRate());
            a[headerLen + 2] = (byte) (scaled >> 8);
            a[headerLen + 3] = (byte) scaled;
        }
    }

    /** A source timestamp at the other clock: the distance from the first one, scaled. */
    private int map(int ts) {
        if (!started) {
            started = true;
            inBase = ts;
            outBase = ts;
        }
        return outBase + (int) ((long) (ts - inBase) * out.clockRate() / in.clockRate());
    }

    private static int get32(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    private static void put32(byte[] b, int p, int v) {
        b[p] = (byte) (v >> 24);
        b[p + 1] = (byte) (v >> 16);
        b[p + 2] = (byte) (v >> 8);
        b[p + 3] = (byte) v;
    }
}
