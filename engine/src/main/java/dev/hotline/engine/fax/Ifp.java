package dev.hotline.engine.fax;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * T.38 Internet Facsimile Protocol packets (ITU-T T.38 §7 and the ASN.1 of Annex A), in the aligned PER octets that a
 * UDPTL packet carries as its primary or secondary IFP. Only the T.38 version 0 root values are coded: the extension
 * values (V.34, V.8, CM/JM messages) are refused as {@link FaxProtocolException}.
 */
public final class Ifp {
    private Ifp() {
    }

    /** T.38 Annex A {@code Type-of-msg.t30-indicator}, root values in ASN.1 order. */
    public enum Indicator {
        NO_SIGNAL, CNG, CED, V21_PREAMBLE, V27_2400_TRAINING, V27_4800_TRAINING, V29_7200_TRAINING,
        V29_9600_TRAINING, V17_7200_SHORT_TRAINING, V17_7200_LONG_TRAINING, V17_9600_SHORT_TRAINING,
        V17_9600_LONG_TRAINING, V17_12000_SHORT_TRAINING, V17_12000_LONG_TRAINING, V17_14400_SHORT_TRAINING,
        V17_14400_LONG_TRAINING
    }

    /** T.38 Annex A {@code Type-of-msg.t30-data}: the modulation carrying the data, root values in ASN.1 order. */
    public enum DataType {
        V21, V27_2400, V27_4800, V29_7200, V29_9600, V17_7200, V17_9600, V17_12000, V17_14400
    }

    /** T.38 Annex A {@code Data-Field.field-type}, root values in ASN.1 order. */
    public enum FieldType {
        HDLC_DATA, HDLC_SIG_END, HDLC_FCS_OK, HDLC_FCS_BAD, HDLC_FCS_OK_SIG_END, HDLC_FCS_BAD_SIG_END,
        T4_NON_ECM_DATA, T4_NON_ECM_SIG_END
    }

    /** One IFP packet: an indicator, or data of one modulation in one or more fields. */
    public sealed interface Packet permits IndicatorPacket, DataPacket {
    }

    public record IndicatorPacket(Indicator indicator) implements Packet {
    }

    public record DataPacket(DataType type, List<Field> fields) implements Packet {
        public DataPacket {
            fields = List.copyOf(fields);
            if (fields.isEmpty()) {
                throw new IllegalArgumentException("a data packet needs a field");
            }
        }

        public DataPacket(DataType type, Field field) {
            this(type, List.of(field));
        }
    }

    /** A data field; {@code data} is empty when the field carries none (e.g. hdlc-fcs-OK). */
    public record Field(FieldType type, byte[] data) {
        public Field {
            data = data.clone();
            if (data.length > 65535) {
                throw new IllegalArgumentException("field data over 65535 octets");
            }
        }

        public Field(FieldType type) {
            this(type, new byte[0]);
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Field f && f.type == type && Arrays.equals(f.data, data);
        }

        @Override
        public int hashCode() {
            return type.hashCode() * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return type + "(" + data.length + ")";
        }
    }

    public static byte[] encode(Packet packet) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // Octet 1: data-field present, the CHOICE index, the extension bit, the 4-bit enumeration, 1 pad bit
        if (packet instanceof IndicatorPacket i) {
            out.write(i.indicator().ordinal() << 1);
        } else {
            DataPacket d = (DataPacket) packet;
            {
                out.write(0x80 | 0x40 | d.type().ordinal() << 1);
                // SEQUENCE OF: unconstrained length determinant (X.691 §10.9), one octet below 128
                writeLength(out, d.fields().size());
                for (Field f : d.fields()) {
                    byte[] data = f.data;
                    // field-data present, extension bit, the 3-bit field-type, 3 pad bits
                    out.write((data.length > 0 ? 0x80 : 0) | f.type().ordinal() << 3);
                    if (data.length > 0) {
                        // OCTET STRING (SIZE (1..65535)): length - 1 as a 16-bit constrained whole number
                        out.write((data.length - 1) >> 8);
                        out.write((data.length - 1) & 0xFF);
                        out.writeBytes(data);
                    }
                }
            }
        }
        return out.toByteArray();
    }

    public static Packet decode(byte[] b) {
        if (b.length == 0) {
            throw new FaxProtocolException("empty IFP packet");
        }
        int first = b[0] & 0xFF;
        boolean hasData = (first & 0x80) != 0;
        boolean dataChoice = (first & 0x40) != 0;
        if ((first & 0x20) != 0) {
            throw new FaxProtocolException("IFP extension value (T.38 version > 0 message) not supported");
        }
        int value = (first >> 1) & 0x0F;
        if (!dataChoice) {
            return new IndicatorPacket(Indicator.values()[value]);
        }
        if (value >= DataType.values().length) {
            throw new FaxProtocolException("unknown T.38 data type " + value);
        }
        if (!hasData) {
            throw new FaxProtocolException("T.38 data packet without a data field");
        }
        int[] pos = {1};
        int count = readLength(b, pos);
        List<Field> fields = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int h = octet(b, pos[0]++);
            if ((h & 0x40) != 0) {
                throw new FaxProtocolException("IFP field type extension (T.38 version > 0) not supported");
            }
            FieldType type = FieldType.values()[(h >> 3) & 0x07];
            byte[] data = new byte[0];
            if ((h & 0x80) != 0) {
                int len = (octet(b, pos[0]) << 8 | octet(b, pos[0] + 1)) + 1;
                pos[0] += 2;
                if (pos[0] + len > b.length) {
                    throw new FaxProtocolException("IFP field data runs past the packet");
                }
                data = Arrays.copyOfRange(b, pos[0], pos[0] + len);
                pos[0] += len;
            }
            fields.add(new Field(type, data));
        }
        return new DataPacket(DataType.values()[value], fields);
    }

    /** X.691 §10.9.3.6/7: a length below 128 in one octet, below 16384 in two (10xxxxxx xxxxxxxx). */
    static void writeLength(ByteArrayOutputStream out, int n) {
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x4000) {
            out.write(0x80 | n >> 8);
            out.write(n & 0xFF);
        } else {
            throw new IllegalArgumentException("length over 16383 not supported: " + n);
        }
    }

    static int readLength(byte[] b, int[] pos) {
        int l = octet(b, pos[0]++);
        if ((l & 0x80) == 0) {
            return l;
        }
        if ((l & 0x40) != 0) {
            throw new FaxProtocolException("fragmented length determinant not supported");
        }
        return (l & 0x3F) << 8 | octet(b, pos[0]++);
    }

    static int octet(byte[] b, int i) {
        if (i >= b.length) {
            throw new FaxProtocolException("packet ends early at octet " + i);
        }
        return b[i] & 0xFF;
    }
}
