package dev.hotline.engine.rtp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Single-producer single-consumer ring of raw RTP packets: the reactor thread copies received
 * packets in, the media clock takes them out. Preallocated; no allocation, no lock.
 */
final class PacketRing {
    static final int SLOTS = 32;
    static final int SLOT_BYTES = 512;
    private final byte[] data = new byte[SLOTS * SLOT_BYTES];
    private final int[] lengths = new int[SLOTS];
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    private long overflows;

    /** Producer: copies a packet; false (and counted) when the ring is full. */
    boolean offer(byte[] src, int off, int len) {
        long h = head.get();
        if (h - tail.get() >= SLOTS) {
            overflows++;
            return false;
        }
        int slot = (int) (h & (SLOTS - 1));
        int n = Math.min(len, SLOT_BYTES);
        System.arraycopy(src, off, data, slot * SLOT_BYTES, n);
        lengths[slot] = n;
        head.lazySet(h + 1);
        return true;
    }

    /** Consumer: copies the oldest packet into {@code dst}; returns its length or -1 when empty. */
    int poll(byte[] dst) {
        long t = tail.get();
        if (t >= head.get()) {
            return -1;
        }
        int slot = (int) (t & (SLOTS - 1));
        int n = lengths[slot];
        System.arraycopy(data, slot * SLOT_BYTES, dst, 0, n);
        tail.lazySet(t + 1);
        return n;
    }

    long overflows() {
        return overflows;
    }
}
