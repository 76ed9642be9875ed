package dev.hotline.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hotline started with its real start command ({@code dev.hotline.app.Main}) in a JVM of its own,
 * configured by environment variables only: for the start command itself (OPS-1) and for tests that
 * kill the process (SEC-3).
 */
public record ChildServer(Process process, List<String> lines, String url) {
    /** A start-up deadline, not a figure: a child JVM on a loaded 2-core machine took over 60 s to say it was ready. */
    static final long READY_WITHIN_SECONDS = 120;

    public static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts on fresh HTTP and SIP ports with {@code dataDir}; {@code password}: the demo password, or null to let it make one. */
    public static ChildServer start(Path dataDir, String password, String... args) throws Exception {
        return start(dataDir, password, Map.of("HOTLINE_HTTP_PORT", String.valueOf(freePort()),
                "HOTLINE_SIP_PORT", String.valueOf(freePort())), args);
    }

    /** The environment of a start: HTTPS on a free port unless {@code env} says otherwise. */
    private static Map<String, String> withHttps(Map<String, String> env) throws Exception {
        Map<String, String> e = new HashMap<>(env);
        if (!e.containsKey("HOTLINE_HTTPS_PORT")) e.put("HOTLINE_HTTPS_PORT", String.valueOf(freePort()));
        return e;
    }

    /** As {@link #start(Path, String, String...)} with {@code env} on top (ports, for a restart on the same ones). */
    public static ChildServer start(Path dataDir, String password, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.hotline.app.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> e = new HashMap<>(Map.of("HOTLINE_HTTP_HOST", "127.0.0.1", "HOTLINE_SIP_HOST", "127.0.0.1",
                "HOTLINE_DATA_DIR", dataDir.toString()));
        e.putAll(withHttps(env));
        pb.environment().putAll(e);
        if (password != null) pb.environment().put("HOTLINE_DEMO_PASSWORD", password);
        else pb.environment().remove("HOTLINE_DEMO_PASSWORD");
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            Pattern console = Pattern.compile("Console : (http://\\S+)");
            try (var r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String found = null;
                boolean readyLine = false;
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    // Keeps reading after ready, so that the child never blocks on a full pipe.
                    Matcher m = console.matcher(line);
                    if (m.find()) found = m.group(1);
                    if (line.contains("Hotline is ready")) readyLine = true;
                    if (readyLine && found != null && line.isBlank()) ready.complete(found);
                }
            } catch (java.io.IOException ex) {
                // the process ended
            }
            ready.completeExceptionally(new IllegalStateException("process ended before it was ready"));
        }, "child-server-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new ChildServer(p, lines, ready.get(READY_WITHIN_SECONDS, TimeUnit.SECONDS).replaceAll("/$", ""));
        } catch (Exception ex) {
            p.destroyForcibly();
            synchronized (lines) {
                throw new AssertionError("not ready within " + READY_WITHIN_SECONDS + " s: " + lines, ex);
            }
        }
    }

    public String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** SIGTERM and wait for a clean stop. */
    public boolean stop() throws InterruptedException {
        process.destroy();
        return process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGKILL: no shutdown hook runs, as in a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
