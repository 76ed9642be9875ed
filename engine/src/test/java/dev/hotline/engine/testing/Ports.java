package dev.hotline.engine.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random free loopback ports (UDP and TCP both free), never handed out twice in one JVM. They come from 10000-19999,
 * below Linux's ephemeral range (32768-60999), where any socket of any process (an HTTP client's, a SIPp's own) could
 * take one between our check and the peer's bind; each surefire fork of the server's tests ({@code hotline.test.fork}
 * 1 or 2) draws from its own half, so the two JVMs never hand out the same port. Hotline's RTP range (20000-29999) is
 * above it.
 */
public final class Ports {
    private static final Set<Integer> GIVEN = new HashSet<>();
    private static final int LOW;
    private static final int SIZE;

    static {
        int fork = Integer.getInteger("hotline.test.fork", 0);
        LOW = fork == 1 ? 10000 : fork == 2 ? 15000 : 10000;
        SIZE = fork == 1 || fork == 2 ? 5000 : 10000;
    }

    private Ports() {
    }

    /** A free port whose neighbours up to {@code span - 1} are free too. */
    public static synchronized int free(int span) {
        for (int attempt = 0; attempt < 2000; attempt++) {
            int base = LOW + 2 * ThreadLocalRandom.current().nextInt(SIZE / 2 - span);
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
        throw new IllegalStateException("no free port");
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
