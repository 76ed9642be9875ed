package dev.hotline.testing;

import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A coturn TURN server of the test's own (Debian's {@code /usr/bin/turnserver}, installed by scripts/test-deps.sh, never
 * the system service): loopback only, random ports, the TURN REST API shared secret ({@code use-auth-secret}), relay
 * addresses on loopback (allowed as peers, since Hotline listens there). Stopped by {@link #close}.
 */
public final class Coturn implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/turnserver");

    private final Process process;
    private final int port;
    private final String secret;
    private final Path dir;

    private Coturn(Process process, int port, String secret, Path dir) {
        this.process = process;
        this.port = port;
        this.secret = secret;
        this.dir = dir;
    }

    public static Coturn start() {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install coturn (scripts/test-deps.sh does) for the TURN tests");
        }
        try {
            Path dir = Files.createTempDirectory("hotline-coturn-");
            int port = Ports.free();
            int relay = Ports.free(40);
            byte[] s = new byte[16];
            new SecureRandom().nextBytes(s);
            String secret = HexFormat.of().formatHex(s);
            Path conf = dir.resolve("turnserver.conf");
            Files.writeString(conf, String.join("\n",
                    "listening-ip=127.0.0.1",
                    "relay-ip=127.0.0.1",
                    "listening-port=" + port,
                    "min-port=" + relay,
                    "max-port=" + (relay + 39),
                    "use-auth-secret",
                    "static-auth-secret=" + secret,
                    "realm=hotline.test",
                    "fingerprint",
                    "no-tls",
                    "no-dtls",
                    "no-tcp-relay",
                    "no-cli",
                    "no-multicast-peers",
                    // Hotline's media port is on loopback in the tests: coturn refuses loopback peers unless told.
                    "allow-loopback-peers",
                    "simple-log",
                    "log-file=" + dir.resolve("turn.log"),
                    "pidfile=" + dir.resolve("turn.pid"),
                    "userdb=" + dir.resolve("turndb"),
                    ""));
            Process p = new ProcessBuilder(BINARY.toString(), "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            Coturn c = new Coturn(p, port, secret, dir);
            try {
                Sipp.awaitUdpBound(port);
            } catch (RuntimeException | AssertionError e) {
                c.close();
                throw new IllegalStateException("turnserver did not listen on udp/" + port + ": " + c.log(), e);
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's settings for Hotline (turn.urls, turn.secret). */
    public Map<String, String> hotlineSettings() {
        return Map.of("turn.urls", url(), "turn.secret", secret);
    }

    public String url() {
        return "turn:127.0.0.1:" + port + "?transport=udp";
    }

    public int port() {
        return port;
    }

    /** coturn's log so far (allocations, permissions, refusals). */
    public String log() {
        try {
            Path f = dir.resolve("turn.log");
            return Files.isRegularFile(f) ? Files.readString(f) : Files.readString(dir.resolve("stdout.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind
        }
    }
}
