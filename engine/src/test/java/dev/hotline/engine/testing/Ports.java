package dev.hotline.engine.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Random free loopback ports (UDP and TCP both free), never handed out twice in one JVM. */
public final class Ports {
    private static final Set<Integer> GIVEN = new HashSet<>();

    private Ports() {
    }

    /** A free port whose neighbours up to {@code span - 1} are free too. */
    public static synchronized int free(int span) {
        for (int attempt = 0; attempt < 2000; attempt++) {
            int base = 31000 + 2 * ThreadLocalRandom.current().nextInt(14000);
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
