package dev.hotline.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Hotline's configuration. Every key can come from, in rising precedence: built-in defaults,
 * a properties file ({@code hotline.properties} in the working directory, or the file named by
 * {@code --config} / {@code HOTLINE_CONFIG}), and environment variables named {@code HOTLINE_}
 * plus the key upper-cased with dots as underscores ({@code http.port} → {@code HOTLINE_HTTP_PORT}).
 */
public record Config(
        String httpHost,
        int httpPort,
        String sipHost,
        int sipPort,
        String sipExternalAddress,
        String sipDefaultEnterprise,
        int rtpPortMin,
        int rtpPortMax,
        Path dataDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        boolean demo,
        Optional<String> demoPassword,
        Optional<String> operatorPassword,
        int bcryptCost,
        int sessionHours,
        int httpsPort,
        String httpsKeystore,
        String httpsKeystorePassword,
        String sipProduct,
        List<String> sipTrusted,
        Smtp smtp,
        String logFormat,
        Overload overload,
        Turn turn,
        int sipTlsPort,
        String sipTlsTruststore,
        String sipTlsTruststorePassword,
        Cluster cluster) {

    /**
     * OPS-3 (docs/adr/0004-nodes-behind-kamailio.md): this node's id among the nodes sharing one PostgreSQL (blank: a single
     * server, no cluster), the SIP URI and HTTP URL Kamailio and browsers reach it at (blank: made from sip/http host and
     * port), and the lease (seconds) after which a silent node's enterprises are taken over; renewed every third of it.
     */
    public record Cluster(String nodeId, String sipUri, String httpUrl, int leaseSeconds) {
        public Cluster {
            if (!nodeId.isBlank() && !nodeId.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new IllegalArgumentException("cluster.node.id must be 1-64 letters, digits, '.', '_' or '-': " + nodeId);
            }
            if (leaseSeconds < 3 || leaseSeconds > 600) throw new IllegalArgumentException("cluster.lease.seconds must be 3-600");
        }

        public boolean enabled() {
            return !nodeId.isBlank();
        }
    }

    /**
     * MEDIA-6: STUN/TURN servers handed to the browsers' peer connections (browser agents and widget visitors off the
     * LAN relay through TURN). {@code urls} empty: none. Credentials: a static {@code username}/{@code password}, or the
     * TURN REST API shared {@code secret} (coturn use-auth-secret / static-auth-secret) with credentials valid
     * {@code ttlSeconds}. Checked when the server starts ({@code dev.hotline.ice.IceServers}).
     */
    public record Turn(List<String> urls, String username, String password, String secret, int ttlSeconds) {}

    /**
     * The server's default SMTP server for e-mail (MSG-2), used by enterprises without their own; host blank: none.
     * {@code security}: none, starttls or tls. {@code truststore} (a PKCS12 file; blank: the JDK's authorities): the
     * certificates SMTP servers reached over TLS or STARTTLS are checked against, for the default and every enterprise's.
     */
    public record Smtp(String host, int port, String security, String user, String password, String from, String truststore,
                       String truststorePassword) {}

    /**
     * Overload control (issue 19): new calls beyond these are refused with 503 and Retry-After before any routing.
     * {@code maxCps} 0: no rate cap; {@code maxEventBacklog}: events waiting for the event-log writer above which
     * new calls are refused (the call records must keep up with the calls).
     */
    public record Overload(int maxCps, int maxQueueDelayMs, int retryAfterSeconds, int maxEventBacklog) {
        public Overload {
            if (maxCps < 0) throw new IllegalArgumentException("sip.overload.max.cps must be >= 0");
            if (maxQueueDelayMs < 1) throw new IllegalArgumentException("sip.overload.max.delay.ms must be >= 1");
            if (retryAfterSeconds < 0 || retryAfterSeconds > 3600) throw new IllegalArgumentException("sip.overload.retry.after must be 0-3600");
            if (maxEventBacklog < 1) throw new IllegalArgumentException("sip.overload.max.backlog must be >= 1");
        }
    }

    public Config {
        checkPort("http.port", httpPort, true);
        if (httpsPort != -1) checkPort("https.port", httpsPort, true);
        checkPort("sip.port", sipPort, true);
        if (sipTlsPort != 0) {
            checkPort("sip.tls.port", sipTlsPort, true);
            if (sipTlsPort == sipPort) {
                throw new IllegalArgumentException("sip.tls.port must differ from sip.port (TCP and TLS cannot share a port): " + sipTlsPort);
            }
        }
        if (cluster.enabled() && !dbUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("cluster.node.id needs a shared PostgreSQL (db.url jdbc:postgresql:...), not " + dbUrl);
        }
        if (!sipTlsTruststore.isBlank() && sipTlsPort == 0) {
            throw new IllegalArgumentException("sip.tls.truststore is set but SIP over TLS is off: set sip.tls.port too");
        }
        checkPort("rtp.port.min", rtpPortMin, false);
        checkPort("rtp.port.max", rtpPortMax, false);
        if (rtpPortMin > rtpPortMax || rtpPortMin % 2 != 0) {
            throw new IllegalArgumentException("rtp.port.min must be even and not above rtp.port.max: " + rtpPortMin + ".." + rtpPortMax);
        }
        if (bcryptCost < 4 || bcryptCost > 31) throw new IllegalArgumentException("bcrypt.cost must be 4..31");
        if (sessionHours < 1) throw new IllegalArgumentException("session.hours must be at least 1");
        if (!logFormat.equals("text") && !logFormat.equals("json")) throw new IllegalArgumentException("log.format must be text or json");
        checkPort("smtp.port", smtp.port(), false);
        if (!List.of("none", "starttls", "tls").contains(smtp.security())) {
            throw new IllegalArgumentException("smtp.security must be none, starttls or tls: " + smtp.security());
        }
        if (!smtp.truststore().isBlank() && !Files.isRegularFile(Path.of(smtp.truststore()))) {
            throw new IllegalArgumentException("smtp.truststore is not a file: " + smtp.truststore());
        }
    }

    private static void checkPort(String key, int port, boolean zeroAllowed) {
        if (port < (zeroAllowed ? 0 : 1) || port > 65535) throw new IllegalArgumentException(key + " out of range: " + port);
    }

    /** The JDBC URL is for PostgreSQL (as opposed to the embedded H2). */
    public boolean postgres() {
        return dbUrl.startsWith("jdbc:postgresql:");
    }

    public static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("http.host", "0.0.0.0"),
            Map.entry("http.port", "8080"),
            Map.entry("sip.host", "0.0.0.0"),
            Map.entry("sip.port", "5060"),
            Map.entry("sip.external.address", ""),
            Map.entry("sip.default.enterprise", ""),
            Map.entry("rtp.port.min", "20000"),
            Map.entry("rtp.port.max", "29999"),
            Map.entry("data.dir", "data"),
            Map.entry("db.url", ""),
            Map.entry("db.user", ""),
            Map.entry("db.password", ""),
            Map.entry("demo", "true"),
            Map.entry("demo.password", ""),
            Map.entry("operator.password", ""),
            Map.entry("bcrypt.cost", "10"),
            Map.entry("session.hours", "12"),
            // HTTPS (-1: off). Browsers give a page the microphone only on HTTPS or 127.0.0.1: the browser phone
            // of agents on other machines needs it. Without a keystore a self-signed certificate is made at first start.
            Map.entry("https.port", "8443"),
            Map.entry("https.keystore", ""),
            Map.entry("https.keystore.password", ""),
            // SEC-1: the product name in SIP User-Agent/Server headers (empty: none, so scanners learn nothing), and
            // addresses or CIDR blocks, comma-separated, never banned by the scanner and password-guessing rules.
            Map.entry("sip.product", ""),
            // SIP over TLS (PBX-1, SEC-4) on its own port, 0: off (5061 is the usual one). Its certificate is HTTPS's
            // (https.keystore, or the self-signed one in the data folder); phones need no client certificate.
            Map.entry("sip.tls.port", "0"),
            // The certificates trusted when Hotline connects over TLS to carriers (trunks, registrars) and phones: a
            // PKCS12 (or JKS) file, e.g. a carrier's private CA; empty: the JDK's certificate authorities plus
            // Hotline's own certificate. A trunk's certificate must also name the trunk's host (RFC 5922 §7.2).
            Map.entry("sip.tls.truststore", ""),
            Map.entry("sip.tls.truststore.password", ""),
            Map.entry("sip.trusted", ""),
            // Overload control: new calls per second admitted (0: no cap), the longest wait of the call threads' work
            // and the event-log backlog above which new calls get 503, and the Retry-After sent with it (seconds).
            Map.entry("sip.overload.max.cps", "0"),
            Map.entry("sip.overload.max.delay.ms", "500"),
            Map.entry("sip.overload.max.backlog", "50000"),
            Map.entry("sip.overload.retry.after", "2"),
            // E-mail (MSG-2): the default SMTP server; an enterprise may set its own in the console.
            Map.entry("smtp.host", ""),
            Map.entry("smtp.port", "587"),
            Map.entry("smtp.security", "starttls"),
            Map.entry("smtp.user", ""),
            Map.entry("smtp.password", ""),
            Map.entry("smtp.from", ""),
            Map.entry("smtp.truststore", ""),
            Map.entry("smtp.truststore.password", ""),
            // OPS-4: "json" writes one JSON object per log line (for a log collector); "text" is for people.
            Map.entry("log.format", "text"),
            // MEDIA-6: STUN/TURN for browsers off the LAN: comma-separated stun:/turn:/turns: URLs, and either a static
            // TURN user and password or the TURN REST API secret (coturn static-auth-secret) with the credentials' lifetime.
            Map.entry("turn.urls", ""),
            Map.entry("turn.username", ""),
            Map.entry("turn.password", ""),
            Map.entry("turn.secret", ""),
            Map.entry("turn.ttl.seconds", "43200"),
            // OPS-3: several nodes behind Kamailio sharing one PostgreSQL (docs/adr/0004-nodes-behind-kamailio.md). node.id
            // blank: a single server. sip.uri / http.url: how Kamailio and browsers reach this node (blank: from sip/http host
            // and port). lease.seconds: a node silent that long loses its enterprises to the others.
            Map.entry("cluster.node.id", ""),
            Map.entry("cluster.sip.uri", ""),
            Map.entry("cluster.http.url", ""),
            Map.entry("cluster.lease.seconds", "6"));

    /** Loads defaults ← file ← environment ← explicit overrides (used by tests and CLI flags). */
    public static Config load(Optional<Path> file, Map<String, String> env, Map<String, String> overrides) {
        Properties p = new Properties();
        DEFAULTS.forEach(p::setProperty);
        Path f = file.or(() -> Optional.ofNullable(env.get("HOTLINE_CONFIG")).map(Path::of))
                .orElse(Path.of("hotline.properties"));
        if (Files.isRegularFile(f)) {
            try (InputStream in = Files.newInputStream(f)) {
                Properties fromFile = new Properties();
                fromFile.load(in);
                for (String k : fromFile.stringPropertyNames()) {
                    if (!DEFAULTS.containsKey(k)) throw new IllegalArgumentException("unknown setting '" + k + "' in " + f);
                    p.setProperty(k, fromFile.getProperty(k).trim());
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read config file " + f + ": " + e.getMessage(), e);
            }
        } else if (file.isPresent()) {
            throw new IllegalArgumentException("config file not found: " + f);
        }
        for (String k : DEFAULTS.keySet()) {
            String v = env.get(envName(k));
            if (v != null) p.setProperty(k, v.trim());
        }
        overrides.forEach(p::setProperty);
        return fromProperties(p);
    }

    public static String envName(String key) {
        return "HOTLINE_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    private static Config fromProperties(Properties p) {
        Path dataDir = Path.of(p.getProperty("data.dir")).toAbsolutePath().normalize();
        String url = p.getProperty("db.url");
        if (url.isBlank()) {
            // H2 in PostgreSQL mode so that the same SQL runs on both databases.
            url = "jdbc:h2:file:" + dataDir.resolve("db").resolve("hotline")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        }
        return new Config(
                p.getProperty("http.host"), intOf(p, "http.port"),
                p.getProperty("sip.host"), intOf(p, "sip.port"), p.getProperty("sip.external.address"),
                p.getProperty("sip.default.enterprise"),
                intOf(p, "rtp.port.min"), intOf(p, "rtp.port.max"),
                dataDir, url, p.getProperty("db.user"), p.getProperty("db.password"),
                boolOf(p, "demo"),
                nonBlank(p.getProperty("demo.password")),
                nonBlank(p.getProperty("operator.password")),
                intOf(p, "bcrypt.cost"), intOf(p, "session.hours"),
                intOf(p, "https.port"), p.getProperty("https.keystore"), p.getProperty("https.keystore.password"),
                p.getProperty("sip.product"),
                Arrays.stream(p.getProperty("sip.trusted").split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList(),
                new Smtp(p.getProperty("smtp.host"), intOf(p, "smtp.port"), p.getProperty("smtp.security").toLowerCase(Locale.ROOT),
                        p.getProperty("smtp.user"), p.getProperty("smtp.password"), p.getProperty("smtp.from"),
                        p.getProperty("smtp.truststore").strip(), p.getProperty("smtp.truststore.password")),
                p.getProperty("log.format").strip().toLowerCase(Locale.ROOT),
                new Overload(intOf(p, "sip.overload.max.cps"), intOf(p, "sip.overload.max.delay.ms"),
                        intOf(p, "sip.overload.retry.after"), intOf(p, "sip.overload.max.backlog")),
                new Turn(Arrays.stream(p.getProperty("turn.urls").split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList(),
                        p.getProperty("turn.username"), p.getProperty("turn.password"), p.getProperty("turn.secret"),
                        intOf(p, "turn.ttl.seconds")),
                intOf(p, "sip.tls.port"),
                p.getProperty("sip.tls.truststore"), p.getProperty("sip.tls.truststore.password"),
                new Cluster(p.getProperty("cluster.node.id"), p.getProperty("cluster.sip.uri"), p.getProperty("cluster.http.url"),
                        intOf(p, "cluster.lease.seconds")));
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    private static int intOf(Properties p, String key) {
        String v = p.getProperty(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " (" + envName(key) + ") must be a number, got '" + v + "'");
        }
    }

    private static boolean boolOf(Properties p, String key) {
        String v = p.getProperty(key).toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("setting " + key + " must be true or false, got '" + v + "'");
        };
    }
}
