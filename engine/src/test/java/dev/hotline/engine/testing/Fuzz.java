package dev.hotline.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * SEC-2 fuzzing helpers: seed inputs (the RFC 4475 torture messages, bit-exact from {@code shared/testdata/rfc4475}, and
 * captured valid packets), deterministic mutations of them (bit flips, byte changes, insertions, deletions, truncation,
 * repeated chunks, interesting values), and a guard that runs one parse with a time limit and an allocation bound.
 */
public final class Fuzz {
    /** The most one parse may take (a hang fails the property). */
    public static final Duration TIME_LIMIT = Duration.ofSeconds(2);
    private static final byte[] INTERESTING = {0, (byte) 0xFF, 0x7F, (byte) 0x80, '\r', '\n', ':', ';', '<', '>', '"', '%', ' ', '\t', ',', '='};

    private Fuzz() {}

    /** The RFC 4475 messages (an empty list when the shared test data is not there). */
    public static List<byte[]> rfc4475() {
        Path dir = Path.of(System.getProperty("user.dir")).resolve("../../shared/testdata/rfc4475").normalize();
        List<byte[]> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".dat")).sorted().toList()) out.add(Files.readAllBytes(p));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code seed} changed by 1 to 8 random mutations drawn from {@code rng}, capped at {@code maxSize} bytes. */
    public static byte[] mutate(byte[] seed, long rng, int maxSize) {
        Random r = new Random(rng);
        byte[] b = Arrays.copyOf(seed, Math.min(seed.length, maxSize));
        int n = 1 + r.nextInt(8);
        for (int i = 0; i < n; i++) {
            int len = b.length;
            int at = len == 0 ? 0 : r.nextInt(len);
            switch (r.nextInt(8)) {
                case 0 -> { if (len > 0) b[at] ^= (byte) (1 << r.nextInt(8)); }
                case 1 -> { if (len > 0) b[at] = (byte) r.nextInt(256); }
                case 2 -> { if (len > 0) b[at] = INTERESTING[r.nextInt(INTERESTING.length)]; }
                case 3 -> b = insert(b, at, randomBytes(r, 1 + r.nextInt(16)));
                case 4 -> { if (len > 0) b = delete(b, at, 1 + r.nextInt(Math.min(32, len - at))); }
                case 5 -> b = Arrays.copyOf(b, len == 0 ? 0 : r.nextInt(len + 1));
                case 6 -> { if (len > 0) { int l = 1 + r.nextInt(Math.min(64, len - at)); b = insert(b, at, Arrays.copyOfRange(b, at, at + l)); } }
                default -> { if (len >= 2) { int v = r.nextBoolean() ? 0xFFFF : r.nextInt(65536); b[at] = (byte) (v >> 8); if (at + 1 < len) b[at + 1] = (byte) v; } }
            }
            if (b.length > maxSize) b = Arrays.copyOf(b, maxSize);
        }
        return b;
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] x = new byte[n];
        r.nextBytes(x);
        return x;
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(b, at, out, at + what.length, b.length - at);
        return out;
    }

    private static byte[] delete(byte[] b, int at, int n) {
        byte[] out = new byte[b.length - n];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + n, out, at, b.length - at - n);
        return out;
    }

    /** A parse step whose declared failures are caught by the caller. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /**
     * Runs {@code step} within {@link #TIME_LIMIT}, allocating at most {@code maxBytes}; any exception it lets out
     * (the step catches the parser's declared ones) fails the property with the input in hex.
     */
    public static synchronized void guarded(byte[] input, long maxBytes, Step step) {
        Future<Long> f = worker.submit(() -> {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().getId();
            long before = mx.getThreadAllocatedBytes(tid);
            step.run();
            return mx.getThreadAllocatedBytes(tid) - before;
        });
        long used;
        try {
            used = f.get(TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            worker.shutdownNow();
            worker = newWorker(); // the stuck one is left behind
            throw new AssertionError("no answer within " + TIME_LIMIT + " on input " + hex(input));
        } catch (ExecutionException e) {
            throw new AssertionError("crash on input " + hex(input) + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertThat(used).as("bytes allocated parsing %d bytes", input.length).isLessThan(maxBytes);
    }

    /** One reused thread runs the parses (a thread per try would cost more than most parses). */
    private static ExecutorService worker = newWorker();

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-parse");
            t.setDaemon(true);
            return t;
        });
    }

    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 4096); i++) sb.append(String.format("%02x", b[i]));
        return sb.toString();
    }
}
