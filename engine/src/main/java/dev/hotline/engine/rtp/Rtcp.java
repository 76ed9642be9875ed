package dev.hotline.engine.rtp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * RTCP sender and receiver reports (RFC 3550 §6.4): writing our compound packet (SR or RR, then SDES
 * with a CNAME, §6.1) and reading the peer's (every SR and RR in a compound packet; other packet types
 * such as SDES, BYE, APP and the feedback messages of RFC 4585 are skipped). No allocation on the write
 * path; reading allocates the few report records.
 */
public final class Rtcp {
    public static final int SR = 200;
    public static final int RR = 201;
    public static final int SDES = 202;
    /** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
    private static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;
    /** NTP time in nanoseconds at {@code System.nanoTime() == 0}: wall clock at start, monotonic after. */
    private static final long NTP_BASE_NANOS =
            (System.currentTimeMillis() / 1000 + NTP_UNIX_OFFSET_SECONDS) * 1_000_000_000L
                    + (System.currentTimeMillis() % 1000) * 1_000_000L - System.nanoTime();

    private Rtcp() {
    }

    /** What a sender says of its stream (RFC 3550 §6.4.1). */
    public record SenderInfo(long ntp, int rtpTimestamp, long packets, long octets) {
        /** The middle 32 bits of the NTP timestamp: what a receiver echoes as LSR. */
        public int ntpMiddle() {
            return (int) (ntp >>> 16);
        }
    }

    /**
     * One reception report block: what the reporter received from {@code ssrc}. {@code fractionLost} is
     * the 8-bit fixed-point fraction since the previous report; {@code cumulativeLost} signed (24 bits);
     * {@code jitter} in the stream's timestamp units; {@code lsr} and {@code dlsr} for the round trip.
     */
    public record ReportBlock(int ssrc, int fractionLost, int cumulativeLost, long extendedHighestSeq, long jitter,
                              long lsr, long dlsr) {
        public double fractionLostPercent() {
            return fractionLost * 100.0 / 256;
        }
    }

    /** One SR or RR of a compound packet; {@code sender} null for an RR. */
    public record Report(int ssrc, SenderInfo sender, List<ReportBlock> blocks) {
    }

    /** Now, as a 64-bit NTP timestamp (32.32 fixed point seconds since 1900). */
    public static long ntpNow() {
        return ntpOf(System.nanoTime());
    }

    /** The NTP timestamp of a {@code System.nanoTime()} reading. */
    public static long ntpOf(long nanoTime) {
        long n = nanoTime + NTP_BASE_NANOS;
        long seconds = Long.divideUnsigned(n, 1_000_000_000L);
        long rest = Long.remainderUnsigned(n, 1_000_000_000L);
        return (seconds << 32) | ((rest << 32) / 1_000_000_000L);
    }

    /** Round trip in ms from a report block received at NTP-middle time {@code arrival} (RFC 3550 §6.4.1); -1 if not known. */
    public static double roundTripMs(ReportBlock b, int arrivalMiddle) {
        if (b.lsr() == 0) {
            return -1;
        }
        long rtt = (arrivalMiddle - (int) b.lsr() - (int) b.dlsr()) & 0xFFFFFFFFL;
        if (rtt > 60L * 65536) {
            return -1; // a clock step or a bogus report: over a minute is no round trip
        }
        return rtt * 1000.0 / 65536;
    }

    /**
     * Writes a compound packet into {@code out} at 0: an SR when {@code sender} is not null, else an RR,
     * with at most one report block, then an SDES with {@code cname}.
     *
     * @return its length in bytes
     */
    public static int write(byte[] out, int ssrc, SenderInfo sender, ReportBlock block, String cname) {
        int p = 0;
        int rc = block == null ? 0 : 1;
        int words = (sender != null ? 6 : 1) + 6 * rc; // length in 32-bit words minus one
        out[p++] = (byte) (0x80 | rc);
        out[p++] = (byte) (sender != null ? SR : RR);
        p = put16(out, p, words);
        p = put32(out, p, ssrc);
        if (sender != null) {
            p = put32(out, p, (int) (sender.ntp() >>> 32));
            p = put32(out, p, (int) sender.ntp());
            p = put32(out, p, sender.rtpTimestamp());
            p = put32(out, p, (int) sender.packets());
            p = put32(out, p, (int) sender.octets());
        }
        if (block != null) {
            p = put32(out, p, block.ssrc());
            int lost = Math.max(-0x800000, Math.min(0x7FFFFF, block.cumulativeLost()));
            p = put32(out, p, ((block.fractionLost() & 0xFF) << 24) | (lost & 0xFFFFFF));
            p = put32(out, p, (int) block.extendedHighestSeq());
            p = put32(out, p, (int) block.jitter());
            p = put32(out, p, (int) block.lsr());
            p = put32(out, p, (int) block.dlsr());
        }
        // SDES: one chunk, CNAME item, null terminator, padded to 32 bits (RFC 3550 §6.5)
        byte[] name = cname.getBytes(StandardCharsets.US_ASCII);
        int nameLen = Math.min(255, name.length);
        int chunk = 4 + 2 + nameLen + 1;
        int padded = (chunk + 3) & ~3;
        out[p++] = (byte) 0x81;
        out[p++] = (byte) SDES;
        p = put16(out, p, padded / 4);
        p = put32(out, p, ssrc);
        out[p++] = 1; // CNAME
        out[p++] = (byte) nameLen;
        System.arraycopy(name, 0, out, p, nameLen);
        p += nameLen;
        for (int i = chunk; i < padded + 1; i++) {
            out[p++] = 0;
        }
        return p;
    }

    /**
     * Reads the SRs and RRs of a compound packet of {@code len} bytes; an empty list when it is not RTCP
     * version 2 or a length field runs past the end (the rest is then ignored).
     */
    public static List<Report> read(byte[] a, int off, int len) {
        List<Report> reports = new ArrayList<>(1);
        int p = off;
        int end = off + len;
        while (p + 4 <= end) {
            if ((a[p] & 0xC0) != 0x80) {
                break;
            }
            int count = a[p] & 0x1F;
            int type = a[p + 1] & 0xFF;
            int bytes = 4 * (get16(a, p + 2) + 1);
            if (p + bytes > end) {
                break;
            }
            if (type == SR || type == RR) {
                int q = p + 4;
                int need = 8 + (type == SR ? 20 : 0) + 24 * count;
                if (bytes < need) {
                    break;
                }
                int ssrc = get32(a, q);
                q += 4;
                SenderInfo si = null;
                if (type == SR) {
                    long ntp = ((get32(a, q) & 0xFFFFFFFFL) << 32) | (get32(a, q + 4) & 0xFFFFFFFFL);
                    si = new SenderInfo(ntp, get32(a, q + 8), get32(a, q + 12) & 0xFFFFFFFFL, get32(a, q + 16) & 0xFFFFFFFFL);
                    q += 20;
                }
                List<ReportBlock> blocks = new ArrayList<>(count);
                for (int i = 0; i < count; i++, q += 24) {
                    int word = get32(a, q + 4);
                    int lost = (word << 8) >> 8; // sign-extend 24 bits
                    blocks.add(new ReportBlock(get32(a, q), (word >>> 24) & 0xFF, lost, get32(a, q + 8) & 0xFFFFFFFFL,
                            get32(a, q + 12) & 0xFFFFFFFFL, get32(a, q + 16) & 0xFFFFFFFFL, get32(a, q + 20) & 0xFFFFFFFFL));
                }
                reports.add(new Report(ssrc, si, List.copyOf(blocks)));
            }
            p += bytes;
        }
        return reports;
    }

    private static int put16(byte[] b, int p, int v) {
        b[p] = (byte) (v >> 8);
        b[p + 1] = (byte) v;
        return p + 2;
    }

    private static int put32(byte[] b, int p, int v) {
        b[p] = (byte) (v >> 24);
        b[p + 1] = (byte) (v >> 16);
        b[p + 2] = (byte) (v >> 8);
        b[p + 3] = (byte) v;
        return p + 4;
    }

    private static int get16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    private static int get32(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }
}
