package dev.hotline.engine.fax;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One direction pair of a UDPTL session (T.38 §9.1): numbers the IFP packets we send, each datagram carrying the
 * previous {@code redundancy} ones as secondaries, and puts what arrives back in order, recovering lost datagrams from
 * the secondaries of later ones. Not thread-safe: one fax terminal's thread uses it.
 */
public final class UdptlStream {
    private final int redundancy;
    private final Deque<byte[]> sent = new ArrayDeque<>();
    private int nextSeq;
    /** The sequence number expected next from the far end; -1 before the first datagram. */
    private int expected = -1;

    public UdptlStream(int redundancy) {
        if (redundancy < 0 || redundancy > 8) {
            throw new IllegalArgumentException("redundancy out of 0..8: " + redundancy);
        }
        this.redundancy = redundancy;
    }

    /** The datagram carrying {@code ifp} as primary and the previous IFP packets as secondaries. */
    public byte[] wrap(byte[] ifp) {
        UdptlPacket p = new UdptlPacket(nextSeq, ifp, List.copyOf(sent));
        nextSeq = (nextSeq + 1) & 0xFFFF;
        sent.addFirst(ifp.clone());
        while (sent.size() > redundancy) {
            sent.removeLast();
        }
        return p.encode();
    }

    /** What one datagram gives: {@code lost} IFP packets gone for good, then these, in sending order. */
    public record Arrival(int lost, List<byte[]> ifps) {
    }

    /** Reads a datagram; a repeated or late one (already delivered) gives nothing. */
    public Arrival unwrap(byte[] datagram, int length) {
        UdptlPacket p = UdptlPacket.decode(datagram, length);
        if (expected < 0) {
            expected = p.seq();
        }
        int gap = (p.seq() - expected) & 0xFFFF;
        if (gap >= 0x8000) {
            return new Arrival(0, List.of());
        }
        List<byte[]> out = new ArrayList<>(gap + 1);
        // secondaries: index i is seq - 1 - i; take those still missing, oldest first
        int recovered = Math.min(gap, p.secondaries().size());
        for (int i = recovered - 1; i >= 0; i--) {
            out.add(p.secondaries().get(i));
        }
        out.add(p.primary());
        expected = (p.seq() + 1) & 0xFFFF;
        return new Arrival(gap - recovered, out);
    }
}
