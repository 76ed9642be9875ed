package dev.hotline.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/** Runs SIPp (Debian package sip-tester) as a real SIP peer over loopback. */
public final class Sipp {
    private static final AtomicInteger RUNS = new AtomicInteger();
    /** The last run started on each local port, for {@link #awaitUdpBound}. */
    private static final Map<Integer, Run> BY_PORT = new java.util.concurrent.ConcurrentHashMap<>();

    private Sipp() {
    }

    /** The sipp binary; fails (never skips) when it is missing. */
    /** Scenario variables: A-law, caller 0551234, 500 ms pause, then {@code kv} pairs on top (a mutable map). */
    public static Map<String, String> vars(String... kv) {
        Map<String, String> m = new java.util.HashMap<>();
        m.put("CODEC", "8");
        m.put("CODECNAME", "PCMA");
        m.put("FROM", "0551234");
        m.put("FROMCHECK", "sip:");
        m.put("PAUSE", "500");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    public static String binary() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir, "sipp");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError("SIPp is not installed (binary 'sipp' not on PATH): apt-get install -y sip-tester");
    }

    /** A running or finished SIPp process with its logs. */
    public static final class Run {
        private volatile Process process;
        private final Path dir;
        private final String name;
        private final ProcessBuilder builder;
        private int mediaRetries;

        Run(ProcessBuilder builder, Path dir, String name) throws IOException {
            this.builder = builder;
            this.process = builder.start();
            this.dir = dir;
            this.name = name;
        }

        /** Waits for the exit code (0 = all calls succeeded). */
        public int await(Duration timeout) {
            try {
                long deadline = System.nanoTime() + timeout.toNanos();
                while (true) {
                    if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        process.destroyForcibly();
                        throw new AssertionError("SIPp " + name + " did not finish within " + timeout + "\n" + logs());
                    }
                    if (process.exitValue() == 0 || !startAgainOnMediaPortClash()) {
                        return process.exitValue();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /**
         * When this run ended at its start because its RTP port was taken (another socket of the machine took one of the
         * -mp ports between {@link Ports#free} and SIPp's bind; they lie in the kernel's ephemeral range) and it sent
         * nothing yet, starts it again with other media ports (at most 3 times) and says so; otherwise false.
         */
        boolean startAgainOnMediaPortClash() {
            if (process.isAlive() || mediaRetries >= 3 || !messages().isEmpty()) {
                return false;
            }
            String err = read(name + "-err.log") + read(name + "-out.log");
            if (!err.contains("Unable to bind audio RTP socket") && !err.contains("Unable to bind video RTP socket")
                    && !err.contains("Unable to bind RTP")) {
                return false;
            }
            mediaRetries++;
            List<String> cmd = builder.command();
            int i = cmd.indexOf("-mp");
            cmd.set(i + 1, Integer.toString(Ports.free(4)));
            try {
                Files.deleteIfExists(dir.resolve(name + "-err.log"));
                process = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return true;
        }

        /** The text of this run's file {@code file}; empty when it is missing or cannot be read (best effort, for failures). */
        private String read(String file) {
            try {
                Path p = dir.resolve(file);
                return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
            } catch (IOException e) {
                return "";
            }
        }

        public void kill() {
            process.destroyForcibly();
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /** Every SIP message this run sent and received (its -trace_msg file), empty when there is none yet. */
        public String messages() {
            try {
                Path p = dir.resolve(name + "-msg.log");
                return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The tail of this run's logs, for failure messages. */
        public String logs() {
            StringBuilder sb = new StringBuilder("---- SIPp " + name + " logs ----\n");
            for (String f : List.of("err.log", "msg.log", "out.log")) {
                if (!Files.exists(dir.resolve(name + "-" + f))) continue;
                String s = read(name + "-" + f);
                sb.append("== ").append(f).append(" ==\n").append(s.length() > 6000 ? s.substring(s.length() - 6000) : s).append('\n');
            }
            return sb.toString();
        }
    }

    /**
     * Starts SIPp with a scenario from {@code /sipp/} whose {@code @KEY@} placeholders are replaced.
     *
     * @param remote "127.0.0.1:port" of the peer, or null for a UAS
     */
    public static Run start(Path workDir, String scenario, Map<String, String> vars, String remote, int localPort,
                            List<String> extraArgs) throws IOException {
        String bin = binary();
        String name = scenario + "-" + RUNS.incrementAndGet();
        Path file = scenarioFile(workDir, scenario, name, vars);
        List<String> cmd = new ArrayList<>(List.of(bin));
        if (remote != null) {
            cmd.add(remote);
        }
        cmd.addAll(List.of("-sf", file.toString(), "-i", "127.0.0.1", "-p", Integer.toString(localPort), "-m", "1",
                "-nostdin", "-timeout", "30", "-timeout_error", "-recv_timeout", "15000", "-trace_err",
                "-error_file", workDir.resolve(name + "-err.log").toString(), "-trace_msg",
                "-message_file", workDir.resolve(name + "-msg.log").toString()));
        cmd.addAll(extraArgs);
        if (!extraArgs.contains("-mp")) {
            // Without -mp every SIPp binds its RTP sockets in 6000-6199: at most 50 runs at once on the machine (both
            // surefire forks and lingering phones), the 51st exits "Unable to bind audio RTP socket".
            cmd.addAll(List.of("-mp", Integer.toString(Ports.free(4))));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(workDir.resolve(name + "-out.log").toFile());
        pb.environment().put("TERM", "dumb");
        Run run = new Run(pb, workDir, name);
        BY_PORT.put(localPort, run);
        return run;
    }

    /**
     * Writes the scenario {@code /sipp/<scenario>.xml} with its {@code @KEY@} placeholders replaced to
     * {@code <workDir>/<name>.xml} (for {@link #start}, or for an option naming a second scenario, e.g. -oocsf).
     */
    public static Path scenarioFile(Path workDir, String scenario, String name, Map<String, String> vars) throws IOException {
        String text;
        try (InputStream in = Sipp.class.getResourceAsStream("/sipp/" + scenario + ".xml")) {
            if (in == null) {
                throw new IOException("no scenario " + scenario);
            }
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        for (Map.Entry<String, String> e : vars.entrySet()) {
            text = text.replace("@" + e.getKey() + "@", e.getValue());
        }
        if (text.matches("(?s).*@[A-Z]+@.*")) {
            throw new IllegalArgumentException("unreplaced placeholder in " + scenario + ": " + text.replaceAll("(?s).*?(@[A-Z]+@).*", "$1"));
        }
        Path file = workDir.resolve(name + ".xml");
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        return file;
    }

    /**
     * Waits until something listens on the UDP port (the SIPp UAS is ready). When the port is a SIPp run's own
     * ({@code -p}), a run that has already ended fails at once with its logs (it could not bind, or a scenario error),
     * rather than after the deadline; the deadline is generous for a loaded machine, and its failure shows the logs too.
     */
    public static void awaitUdpBound(int port) {
        awaitBound(port, "udp", () -> udpInUse(port));
    }

    /** Waits until something listens on the TCP port (a SIPp UAS run with -t t1 or tn is ready); as {@link #awaitUdpBound}. */
    public static void awaitTcpBound(int port) {
        awaitBound(port, "tcp", () -> tcpInUse(port));
    }

    private static void awaitBound(int port, String transport, java.util.concurrent.Callable<Boolean> bound) {
        Run run = BY_PORT.get(port);
        try {
            Awaitility.await("SIPp listening on " + transport + "/" + port).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20)).until(() -> {
                        if (bound.call()) {
                            return true;
                        }
                        if (run != null && !run.isAlive() && !run.startAgainOnMediaPortClash()) {
                            throw new AssertionError("SIPp " + run.name + " on " + transport + "/" + port + " ended (exit "
                                    + run.process.exitValue() + ") before it listened\n" + run.logs());
                        }
                        return false;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + (run == null ? "" : "\n" + run.logs()), e);
        }
    }

    static boolean tcpInUse(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    static boolean udpInUse(int port) {
        try (DatagramSocket s = new DatagramSocket(null)) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return false;
        } catch (SocketException e) {
            return true;
        }
    }
}
