package dev.hotline.engine.fax;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One T.30 HDLC frame (ITU-T T.30 §5.3): address, control (final bit), facsimile control field and its information.
 * Octets are held as on an HDLC line: the first bit transmitted is the least significant bit (T.30 §5.3.1, ISO 3309).
 * T.38 carries the octets the other way round, first bit in the most significant bit (T.38 §7.4, data fields), and
 * without the FCS, whose check the sender reports as hdlc-fcs-OK / hdlc-fcs-BAD.
 */
public record T30Frame(boolean last, Fcf fcf, boolean x, byte[] info) {
    /** T.30 §5.3.4: the address field, all ones. */
    static final int ADDRESS = 0xFF;
    /** T.30 §5.3.5: control field 1100 X000, X = 1 on the last frame of a command or response. */
    static final int CONTROL = 0x03;
    static final int CONTROL_FINAL = 0x13;

    /**
     * T.30 §5.3.6 facsimile control fields, as octets with the first transmitted bit in bit 0; bit 0 is the "X" bit,
     * 1 from the station that received a valid DIS (the caller sending a document), 0 from the station that sent it.
     */
    public enum Fcf {
        DIS(0x80), CSI(0x40), NSF(0x20), DCS(0x82), TSI(0x42), CFR(0x84), FTT(0x44), EOM(0x8E), MPS(0x4E),
        EOP(0x2E), MCF(0x8C), RTP(0xCC), RTN(0x4C), CRP(0x1A), DCN(0xFA);

        final int code;

        Fcf(int code) {
            this.code = code;
        }

        /** The FCF of an octet, X bit ignored (T.30 §5.3.6.1); null when not one of ours. */
        static Fcf of(int octet) {
            for (Fcf f : values()) {
                if (f.code == (octet & 0xFE)) {
                    return f;
                }
            }
            return null;
        }
    }

    public T30Frame {
        info = info.clone();
    }

    public T30Frame(boolean last, Fcf fcf, boolean x) {
        this(last, fcf, x, new byte[0]);
    }

    @Override
    public byte[] info() {
        return info.clone();
    }

    /** The frame's octets in HDLC line order, without FCS. */
    public byte[] octets() {
        byte[] b = new byte[3 + info.length];
        b[0] = (byte) ADDRESS;
        b[1] = (byte) (last ? CONTROL_FINAL : CONTROL);
        b[2] = (byte) (fcf.code | (x ? 1 : 0));
        System.arraycopy(info, 0, b, 3, info.length);
        return b;
    }

    /** The frame as an HDLC line sends it: octets then the FCS, low octet first (T.30 §5.3.7). */
    public byte[] withFcs() {
        byte[] o = octets();
        int fcs = fcs(o, o.length);
        byte[] b = Arrays.copyOf(o, o.length + 2);
        b[o.length] = (byte) fcs;
        b[o.length + 1] = (byte) (fcs >> 8);
        return b;
    }

    /** The octets of a T.38 hdlc-data field: each octet bit-reversed (first transmitted bit in the MSB). */
    public byte[] toT38() {
        return reverseBits(octets());
    }

    /** Reads the octets of hdlc-data fields (FCS already checked by the sender: hdlc-fcs-OK). */
    public static T30Frame fromT38(byte[] t38) {
        byte[] b = reverseBits(t38);
        if (b.length < 3) {
            throw new FaxProtocolException("T.30 frame of " + b.length + " octets");
        }
        if ((b[0] & 0xFF) != ADDRESS) {
            throw new FaxProtocolException("T.30 frame address " + Integer.toHexString(b[0] & 0xFF));
        }
        int control = b[1] & 0xFF;
        if (control != CONTROL && control != CONTROL_FINAL) {
            throw new FaxProtocolException("T.30 frame control " + Integer.toHexString(control));
        }
        Fcf fcf = Fcf.of(b[2] & 0xFF);
        if (fcf == null) {
            throw new FaxProtocolException("unknown T.30 FCF " + Integer.toHexString(b[2] & 0xFF));
        }
        return new T30Frame(control == CONTROL_FINAL, fcf, (b[2] & 1) != 0, Arrays.copyOfRange(b, 3, b.length));
    }

    /**
     * T.30 §5.3.7 frame checking sequence: ISO 3309 CRC-16 (x^16 + x^12 + x^5 + 1), preset to ones, bits taken first
     * transmitted first (reflected), ones' complement of the remainder.
     */
    public static int fcs(byte[] b, int len) {
        int crc = 0xFFFF;
        for (int i = 0; i < len; i++) {
            crc ^= b[i] & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
            }
        }
        return ~crc & 0xFFFF;
    }

    /** A CSI or TSI information field (T.30 §5.3.6.2.4): 20 characters, space padded, the last sent first. */
    public static byte[] identity(String number) {
        String s = number.length() > 20 ? number.substring(0, 20) : number;
        byte[] b = new byte[20];
        Arrays.fill(b, (byte) ' ');
        byte[] chars = s.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < chars.length; i++) {
            b[19 - i] = chars[i];
        }
        return b;
    }

    /** Reads a CSI or TSI information field back, trimmed. */
    public static String identity(byte[] info) {
        StringBuilder sb = new StringBuilder();
        for (int i = info.length - 1; i >= 0; i--) {
            char c = (char) (info[i] & 0x7F);
            sb.append(c >= ' ' ? c : '?');
        }
        return sb.toString().trim();
    }

    static byte[] reverseBits(byte[] in) {
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (byte) (Integer.reverse(in[i] & 0xFF) >>> 24);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof T30Frame f && f.last == last && f.fcf == fcf && f.x == x && Arrays.equals(f.info, info);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(octets());
    }

    @Override
    public String toString() {
        return fcf + (last ? "" : "(more)");
    }
}
