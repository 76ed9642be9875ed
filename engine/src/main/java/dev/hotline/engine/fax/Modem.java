package dev.hotline.engine.fax;

import dev.hotline.engine.fax.Ifp.DataType;
import dev.hotline.engine.fax.Ifp.Indicator;

/**
 * The fast modems a T.30 session may use for training and pages, fastest first: the fall-back order after FTT. Each
 * with its DCS bits 11..14 (T.30 Table 2) and its T.38 data type and training indicator (T.38 Annex A).
 */
public enum Modem {
    V17_14400(14400, "0001", DataType.V17_14400, Indicator.V17_14400_LONG_TRAINING),
    V17_12000(12000, "0101", DataType.V17_12000, Indicator.V17_12000_LONG_TRAINING),
    V17_9600(9600, "1001", DataType.V17_9600, Indicator.V17_9600_LONG_TRAINING),
    V17_7200(7200, "1101", DataType.V17_7200, Indicator.V17_7200_LONG_TRAINING),
    V29_9600(9600, "1000", DataType.V29_9600, Indicator.V29_9600_TRAINING),
    V29_7200(7200, "1100", DataType.V29_7200, Indicator.V29_7200_TRAINING),
    V27_4800(4800, "0100", DataType.V27_4800, Indicator.V27_4800_TRAINING),
    V27_2400(2400, "0000", DataType.V27_2400, Indicator.V27_2400_TRAINING);

    public final int bitsPerSecond;
    /** DCS bits 11, 12, 13, 14 in that order. */
    final String dcsBits;
    final DataType dataType;
    final Indicator training;

    Modem(int bitsPerSecond, String dcsBits, DataType dataType, Indicator training) {
        this.bitsPerSecond = bitsPerSecond;
        this.dcsBits = dcsBits;
        this.dataType = dataType;
        this.training = training;
    }

    boolean isV17() {
        return name().startsWith("V17");
    }

    boolean isV29() {
        return name().startsWith("V29");
    }

    static Modem ofDcsBits(String bits) {
        for (Modem m : values()) {
            if (m.dcsBits.equals(bits)) {
                return m;
            }
        }
        throw new FaxProtocolException("DCS data signalling rate bits " + bits + " not supported");
    }

    /** The next slower modem the far end can receive, or null when none is left. */
    Modem fallBack(FaxCapabilities far) {
        for (int i = ordinal() + 1; i < values().length; i++) {
            if (far.canReceive(values()[i])) {
                return values()[i];
            }
        }
        return null;
    }

    /** Octets per {@code millis} at this modem's rate. */
    int octetsIn(int millis) {
        return bitsPerSecond / 8 * millis / 1000;
    }
}
