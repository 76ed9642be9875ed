package dev.hotline.testing;

import dev.hotline.app.Config;
import dev.hotline.app.Hotline;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The whole server in-process for tests: 127.0.0.1, random ports, a fresh database (H2 by default)
 * and the demo enterprise whose users all have {@link #DEMO_PASSWORD}.
 */
public final class TestServer implements AutoCloseable {
    public static final String DEMO_PASSWORD = "demo-pass-123";

    private final Hotline hotline;
    private final Path dataDir;

    private TestServer(Hotline hotline, Path dataDir) {
        this.hotline = hotline;
        this.dataDir = dataDir;
    }

    public static TestServer start() {
        return start(TestDatabases.Kind.H2, Map.of());
    }

    public static TestServer start(TestDatabases.Kind db, Map<String, String> settings) {
        return start(db, settings, java.time.Clock.systemUTC());
    }

    /** A server whose time is {@code clock} (a {@link ShiftedClock} takes it to a scheduled hour at once). */
    public static TestServer start(TestDatabases.Kind db, Map<String, String> settings, java.time.Clock clock) {
        try {
            Path dir = Files.createTempDirectory("hotline-test");
            Map<String, String> o = new HashMap<>();
            o.put("http.host", "127.0.0.1");
            o.put("http.port", "0");
            o.put("https.port", "0");
            o.put("sip.host", "127.0.0.1");
            o.put("sip.port", String.valueOf(freePort()));
            o.put("data.dir", dir.toString());
            o.put("db.url", TestDatabases.migrated(db));
            o.put("demo.password", DEMO_PASSWORD);
            o.put("bcrypt.cost", "6");
            o.putAll(settings);
            Config cfg = Config.load(Optional.of(dir.resolve("none.properties")).filter(Files::exists), Map.of(), o);
            return new TestServer(new Hotline(cfg, clock).start(), dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + hotline.httpPort();
    }

    public String demoPassword() {
        return DEMO_PASSWORD;
    }

    public Hotline hotline() {
        return hotline;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The server's own database, for tests that check what is stored (e.g. hashes at rest) or back-date rows. */
    public Jdbi database() {
        var c = hotline.config();
        return Jdbi.create(c.dbUrl(), c.dbUser(), c.dbPassword());
    }

    @Override
    public void close() {
        hotline.close();
    }
}
