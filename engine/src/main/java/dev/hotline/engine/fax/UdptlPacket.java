package dev.hotline.engine.fax;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A UDPTL datagram (ITU-T T.38 §9.1, {@code UDPTLPacket} of Annex A): a 16-bit sequence number, the primary IFP packet
 * and, as error recovery, the redundant secondary IFP packets (the previous ones, most recent first). A received packet
 * using the FEC alternative of error recovery is read for its primary only.
 */
public record UdptlPacket(int seq, byte[] primary, List<byte[]> secondaries) {
    public UdptlPacket {
        if (seq < 0 || seq > 0xFFFF) {
            throw new IllegalArgumentException("UDPTL sequence number out of 0..65535: " + seq);
        }
        primary = primary.clone();
        secondaries = secondaries.stream().map(byte[]::clone).toList();
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(seq >> 8);
        out.write(seq & 0xFF);
        // primary-ifp-packet: an open type, its octets behind a length determinant (X.691 §10.2)
        Ifp.writeLength(out, primary.length);
        out.writeBytes(primary);
        // error-recovery CHOICE index 0 (secondary-ifp-packets) and 7 pad bits, then SEQUENCE OF open types
        out.write(0x00);
        Ifp.writeLength(out, secondaries.size());
        for (byte[] s : secondaries) {
            Ifp.writeLength(out, s.length);
            out.writeBytes(s);
        }
        return out.toByteArray();
    }

    public static UdptlPacket decode(byte[] b, int length) {
        if (length < 4) {
            throw new FaxProtocolException("UDPTL datagram of " + length + " octets");
        }
        byte[] d = Arrays.copyOf(b, length);
        int seq = (d[0] & 0xFF) << 8 | d[1] & 0xFF;
        int[] pos = {2};
        byte[] primary = openType(d, pos);
        List<byte[]> secondaries = new ArrayList<>();
        if (pos[0] < d.length && (d[pos[0]] & 0x80) == 0) {
            pos[0]++;
            int n = Ifp.readLength(d, pos);
            for (int i = 0; i < n; i++) {
                secondaries.add(openType(d, pos));
            }
        }
        return new UdptlPacket(seq, primary, secondaries);
    }

    private static byte[] openType(byte[] d, int[] pos) {
        int len = Ifp.readLength(d, pos);
        if (len == 0 || pos[0] + len > d.length) {
            throw new FaxProtocolException("UDPTL IFP of " + len + " octets does not fit the datagram");
        }
        byte[] ifp = Arrays.copyOfRange(d, pos[0], pos[0] + len);
        pos[0] += len;
        return ifp;
    }
}
