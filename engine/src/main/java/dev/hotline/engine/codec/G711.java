package dev.hotline.engine.codec;

/**
 * Table-driven G.711 (ITU-T G.711) μ-law and A-law conversion.
 * All tables are computed once; every conversion is a single array lookup.
 */
public final class G711 {
    private static final short[] ULAW_TO_LINEAR = new short[256];
    private static final short[] ALAW_TO_LINEAR = new short[256];
    private static final byte[] LINEAR_TO_ULAW = new byte[65536];
    private static final byte[] LINEAR_TO_ALAW = new byte[65536];
    private static final byte[] ULAW_TO_ALAW = new byte[256];
    private static final byte[] ALAW_TO_ULAW = new byte[256];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW_TO_LINEAR[i] = ulawDecode((byte) i);
            ALAW_TO_LINEAR[i] = alawDecode((byte) i);
        }
        for (int s = -32768; s <= 32767; s++) {
            LINEAR_TO_ULAW[s & 0xFFFF] = ulawEncode(s);
            LINEAR_TO_ALAW[s & 0xFFFF] = alawEncode(s);
        }
        for (int i = 0; i < 256; i++) {
            ULAW_TO_ALAW[i] = LINEAR_TO_ALAW[ULAW_TO_LINEAR[i] & 0xFFFF];
            ALAW_TO_ULAW[i] = LINEAR_TO_ULAW[ALAW_TO_LINEAR[i] & 0xFFFF];
        }
    }

    private G711() {
    }

    public static short ulawToLinear(byte ulaw) {
        return ULAW_TO_LINEAR[ulaw & 0xFF];
    }

    public static short alawToLinear(byte alaw) {
        return ALAW_TO_LINEAR[alaw & 0xFF];
    }

    public static byte linearToUlaw(short sample) {
        return LINEAR_TO_ULAW[sample & 0xFFFF];
    }

    public static byte linearToAlaw(short sample) {
        return LINEAR_TO_ALAW[sample & 0xFFFF];
    }

    public static byte ulawToAlaw(byte ulaw) {
        return ULAW_TO_ALAW[ulaw & 0xFF];
    }

    public static byte alawToUlaw(byte alaw) {
        return ALAW_TO_ULAW[alaw & 0xFF];
    }

    /** Converts {@code length} bytes in place starting at {@code offset}, μ-law to A-law. */
    public static void ulawToAlaw(byte[] data, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            data[i] = ULAW_TO_ALAW[data[i] & 0xFF];
        }
    }

    /** Converts {@code length} bytes in place starting at {@code offset}, A-law to μ-law. */
    public static void alawToUlaw(byte[] data, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            data[i] = ALAW_TO_ULAW[data[i] & 0xFF];
        }
    }

    // The reference algorithms below only fill the tables at class initialisation.

    private static short ulawDecode(byte b) {
        int u = ~b & 0xFF;
        int t = ((u & 0x0F) << 3) + 0x84;
        t <<= (u & 0x70) >> 4;
        return (short) ((u & 0x80) != 0 ? (0x84 - t) : (t - 0x84));
    }

    private static byte ulawEncode(int pcm) {
        final int bias = 0x84;
        final int clip = 32635;
        int sign = (pcm >> 8) & 0x80;
        if (sign != 0) {
            pcm = -pcm;
        }
        if (pcm > clip) {
            pcm = clip;
        }
        pcm += bias;
        int exponent = 7;
        for (int mask = 0x4000; (pcm & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (pcm >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    private static short alawDecode(byte b) {
        int a = (b & 0xFF) ^ 0x55;
        int t = (a & 0x0F) << 4;
        int seg = (a & 0x70) >> 4;
        switch (seg) {
            case 0 -> t += 8;
            case 1 -> t += 0x108;
            default -> {
                t += 0x108;
                t <<= seg - 1;
            }
        }
        return (short) ((a & 0x80) != 0 ? t : -t);
    }

    private static byte alawEncode(int pcm) {
        int mask;
        if (pcm >= 0) {
            mask = 0xD5;
        } else {
            mask = 0x55;
            pcm = -pcm - 1;
        }
        if (pcm > 32767) {
            pcm = 32767;
        }
        int seg;
        if (pcm < 256) {
            return (byte) (((pcm >> 4) & 0x0F) ^ mask);
        }
        seg = 1;
        for (int v = pcm >> 8; v > 1 && seg < 7; v >>= 1) {
            seg++;
        }
        int aval = (seg << 4) | ((pcm >> (seg + 3)) & 0x0F);
        return (byte) (aval ^ mask);
    }
}
