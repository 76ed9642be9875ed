package dev.hotline.app;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar hotline.jar [--config FILE] [--no-demo]}: starts the whole call center and
 * prints where to reach it.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        Optional<Path> configFile = Optional.empty();
        Map<String, String> overrides = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--no-demo" -> overrides.put("demo", "false");
                case "--config" -> {
                    if (i + 1 >= args.length) fail("--config needs a file name");
                    configFile = Optional.of(Path.of(args[++i]));
                }
                case "--help", "-h" -> {
                    System.out.println("usage: java -jar hotline.jar [--config FILE] [--no-demo]");
                    System.out.println("settings (file key / environment variable, default):");
                    new java.util.TreeMap<>(Config.DEFAULTS).forEach((k, v) ->
                            System.out.printf("  %-18s %-26s %s%n", k, Config.envName(k), v.isEmpty() ? "(none)" : v));
                    return;
                }
                default -> fail("unknown argument " + args[i] + " (try --help)");
            }
        }
        Config cfg;
        try {
            cfg = Config.load(configFile, System.getenv(), overrides);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        if (cfg.logFormat().equals("json")) Logging.json();
        Hotline hotline = new Hotline(cfg).start();
        Runtime.getRuntime().addShutdownHook(new Thread(hotline::close, "hotline-shutdown"));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String host = cfg.httpHost().equals("0.0.0.0") ? "127.0.0.1" : cfg.httpHost();
        String sipHost = cfg.sipHost().equals("0.0.0.0") ? "127.0.0.1" : cfg.sipHost();
        StringBuilder out = new StringBuilder("\n");
        out.append("  Hotline is ready (started in ").append(ms).append(" ms)\n");
        out.append("  Console : http://").append(host).append(':').append(hotline.httpPort()).append("/\n");
        if (hotline.httpsPort() > 0) {
            out.append("  HTTPS   : https://").append(host).append(':').append(hotline.httpsPort())
                    .append("/ (agents on other machines: the browser phone needs HTTPS)\n");
        }
        out.append("  SIP     : ").append(sipHost).append(':').append(cfg.sipPort()).append(" (UDP and TCP)\n");
        if (cfg.sipTlsPort() > 0) {
            out.append("  SIP TLS : ").append(sipHost).append(':').append(cfg.sipTlsPort())
                    .append(" (certificate of HTTPS)\n");
        }
        out.append("  RTP     : ports ").append(cfg.rtpPortMin()).append('-').append(cfg.rtpPortMax()).append('\n');
        out.append("  Data    : ").append(cfg.postgres() ? cfg.dbUrl() : cfg.dataDir()).append('\n');
        hotline.seeded().operatorPassword().ifPresent(pw ->
                out.append("  Operator: enterprise 'system', user 'operator', password ").append(pw).append('\n'));
        hotline.seeded().demoPassword().ifPresent(pw ->
                out.append("  Demo    : enterprise 'demo', users admin, lead, agent1..agent3 (extensions 1001-1003), password ")
                        .append(pw).append('\n'));
        for (String notice : hotline.startNotices()) {
            out.append("  ").append(notice).append('\n');
            if (notice.startsWith("Warning")) log.warn(notice);
        }
        System.out.println(out);
        log.info("Hotline ready in {} ms", ms);
    }

    private static void fail(String message) {
        System.err.println("hotline: " + message);
        System.exit(2);
    }
}
