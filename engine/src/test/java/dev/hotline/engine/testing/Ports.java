package dev.hotline.engine.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random free loopback ports (UDP and TCP both free), never handed out twice in one JVM, from 31000-58999 (above
 * Hotline's RTP range, 20000-29999). Test JVMs running at once (the server's surefire forks, another checkout's
 * build) each hold a file lock on one of four slices of that range and draw only from it, so two JVMs never hand out
 * the same port (each checked a port free, then both peers bound it: a SIPp phone that never started); with every
 * slice taken, the whole range. Most of it is inside Linux's ephemeral range (32768-60999), so another socket can still take a port
 * between the check and the peer's bind; rare, and the peer's start then fails loudly.
 * <p>
 * Wide spans (an engine's RTP range) come from 10000-19999, below the ephemeral range and Hotline's RTP range, split
 * the same way: in the ephemeral range a few hundred short-lived sockets of other tests (HTTP clients, SIPp, JDBC)
 * land at random and leave no 400 consecutive free ports (CI failed once with "no free port").
 */
public final class Ports {
    private static final Set<Integer> GIVEN = new HashSet<>();
    private static final int LOW;
    private static final int SIZE;
    private static final int WIDE_LOW;
    private static final int WIDE_SIZE;
    /** Spans at least this wide come from the low band. */
    private static final int WIDE = 16;
    /** Test JVMs that can run at once each with a slice of their own (the server's surefire forks, another build). */
    private static final int SLICES = 4;
    @SuppressWarnings("unused")
    private static FileLock held;

    static {
        int low = 31000;
        int size = 28000;
        int wideLow = 10000;
        int wideSize = 10000;
        for (int slice = 0; slice < SLICES; slice++) {
            try {
                FileChannel ch = FileChannel.open(Path.of(System.getProperty("java.io.tmpdir"), "hotline-test-ports-" + slice + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = ch.tryLock();
                if (lock != null) {
                    held = lock; // kept (and the channel open) until the JVM exits
                    low = 31000 + slice * (28000 / SLICES);
                    size = 28000 / SLICES;
                    wideLow = 10000 + (slice % 2) * 5000; // halves: an engine's 400-port spans need room (slices 0 and 2 share one)
                    wideSize = 5000;
                    break;
                }
                ch.close();
            } catch (IOException | OverlappingFileLockException e) {
                // try the next slice
            }
        }
        LOW = low;
        SIZE = size;
        WIDE_LOW = wideLow;
        WIDE_SIZE = wideSize;
    }

    private Ports() {
    }

    /** A free port whose neighbours up to {@code span - 1} are free too. */
    public static synchronized int free(int span) {
        if (span >= WIDE) {
            int base = draw(WIDE_LOW, WIDE_SIZE, span);
            if (base > 0) {
                return base;
            }
        }
        int base = draw(LOW, SIZE, span);
        if (base > 0) {
            return base;
        }
        throw new IllegalStateException("no free port: no " + span + " consecutive free loopback ports in " + LOW + "-"
                + (LOW + SIZE - 1) + (span >= WIDE ? " or " + WIDE_LOW + "-" + (WIDE_LOW + WIDE_SIZE - 1) : ""));
    }

    private static int draw(int low, int size, int span) {
        for (int attempt = 0; attempt < 2000; attempt++) {
            int base = low + 2 * ThreadLocalRandom.current().nextInt(size / 2 - span);
            boolean ok = true;
            for (int p = base; p < base + span && ok; p++) {
                ok = !GIVEN.contains(p) && isFree(p);
            }
            if (ok) {
                for (int p = base; p < base + span; p++) {
                    GIVEN.add(p);
                }
                return base;
            }
        }
        return -1;
    }

    public static int free() {
        return free(1);
    }

    private static boolean isFree(int port) {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(lo, port));
             ServerSocket t = new ServerSocket()) {
            t.bind(new InetSocketAddress(lo, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
