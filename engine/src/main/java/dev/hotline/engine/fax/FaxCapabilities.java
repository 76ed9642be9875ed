package dev.hotline.engine.fax;

/**
 * The DIS signal of a called terminal (T.30 §5.3.6.2.1, Table 2): which modems and which vertical resolution it
 * receives, and whether pages may be longer than A4. Only the first 24 bits are written and read (bit 24, extend,
 * 0): 1728 pels on 215 mm (bits 17, 18 = 0, 0), one-dimensional coding (bit 16 = 0), 0 ms scan line time (bits 21..23
 * = 1, 1, 1).
 */
public record FaxCapabilities(boolean v17, boolean v29, boolean fine, boolean unlimitedLength) {
    /** What Hotline receives: V.17, V.29 and V.27 ter, fine resolution, any page length. */
    public static final FaxCapabilities HOTLINE = new FaxCapabilities(true, true, true, true);

    boolean canReceive(Modem m) {
        return m.isV17() ? v17 : !m.isV29() || v29;
    }

    /** The fastest modem both ends can use. */
    Modem fastest() {
        for (Modem m : Modem.values()) {
            if (canReceive(m)) {
                return m;
            }
        }
        throw new IllegalStateException("V.27 ter is always there");
    }

    /** The DIS facsimile information field. */
    byte[] toDis() {
        byte[] b = fields(fine, unlimitedLength);
        // bits 11..14: 1,1,0,1 = V.27 ter, V.29, V.33 and V.17; 1,1,0,0 = V.27 ter and V.29; 0,1,0,0 = V.27 ter only
        set(b, 11, v29 || v17);
        set(b, 12, true);
        set(b, 14, v17);
        return b;
    }

    static FaxCapabilities fromDis(byte[] fif) {
        if (fif.length < 3) {
            throw new FaxProtocolException("DIS of " + fif.length + " octets");
        }
        if (!bit(fif, 10)) {
            throw new FaxProtocolException("the far end cannot receive a fax (DIS bit 10 is 0)");
        }
        String rate = "" + c(fif, 11) + c(fif, 12) + c(fif, 13) + c(fif, 14);
        boolean v17 = rate.equals("1101") || rate.equals("1111");
        boolean v29 = v17 || rate.equals("1100") || rate.equals("1000");
        return new FaxCapabilities(v17, v29, bit(fif, 15), bit(fif, 19));
    }

    /** The DCS the sender writes for its choice of modem and resolution. */
    static byte[] toDcs(Modem modem, boolean fine, boolean unlimitedLength) {
        byte[] b = fields(fine, unlimitedLength);
        for (int i = 0; i < 4; i++) {
            set(b, 11 + i, modem.dcsBits.charAt(i) == '1');
        }
        return b;
    }

    /** The bits a DIS and a DCS write alike: receiver fax operation (10), resolution (15), page length (19), 0 ms scan line time (21..23). */
    private static byte[] fields(boolean fine, boolean unlimitedLength) {
        byte[] b = new byte[3];
        set(b, 10, true);
        set(b, 15, fine);
        set(b, 19, unlimitedLength);
        set(b, 21, true);
        set(b, 22, true);
        set(b, 23, true);
        return b;
    }

    /** What a DCS commands: the modem of the training and the pages, and the resolution. */
    record Dcs(Modem modem, boolean fine) {
    }

    static Dcs fromDcs(byte[] fif) {
        if (fif.length < 3) {
            throw new FaxProtocolException("DCS of " + fif.length + " octets");
        }
        if (bit(fif, 16)) {
            throw new FaxProtocolException("DCS asks for two-dimensional coding, not offered");
        }
        if (bit(fif, 17) || bit(fif, 18)) {
            throw new FaxProtocolException("DCS asks for a recording width other than 215 mm");
        }
        String rate = "" + c(fif, 11) + c(fif, 12) + c(fif, 13) + c(fif, 14);
        return new Dcs(Modem.ofDcsBits(rate), bit(fif, 15));
    }

    /** T.30 Table 2 numbers bits from 1, the first transmitted, which is bit 0 of the first octet. */
    private static void set(byte[] b, int n, boolean on) {
        if (on) {
            b[(n - 1) / 8] |= (byte) (1 << ((n - 1) % 8));
        }
    }

    private static boolean bit(byte[] b, int n) {
        return (b[(n - 1) / 8] & (1 << ((n - 1) % 8))) != 0;
    }

    private static char c(byte[] b, int n) {
        return bit(b, n) ? '1' : '0';
    }
}
