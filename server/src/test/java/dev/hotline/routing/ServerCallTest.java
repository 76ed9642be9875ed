package dev.hotline.routing;

import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * One whole server per test class, its demo admin logged in, and SIPp peers against it: the
 * common ground of the call tests that go through the real SIP interface.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerCallTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    TestServer server;
    ApiClient admin;
    int sipPort;
    @TempDir
    Path work;

    /** The caller number scenarios use unless a test names another. */
    abstract String defaultCaller();

    @BeforeAll
    void start() {
        server = TestServer.start();
        sipPort = server.hotline().engine().sipPort();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** The @TempDir is per test, so the peers are too. */
    SipPeers peers() {
        return new SipPeers(work, sipPort);
    }

    Map<String, String> vars(String... kv) {
        return SipPeers.vars(defaultCaller(), kv);
    }

    Sipp.Run uas(String scenario, int port, Map<String, String> vars) throws Exception {
        return peers().uas(scenario, port, vars);
    }

    Sipp.Run uac(String scenario, String dialled, Map<String, String> vars, String... extra) throws Exception {
        return peers().uac(scenario, dialled, vars, extra);
    }

    void register(String ext, String password, int contactPort, String expect) throws Exception {
        peers().register(ext, password, contactPort, expect);
    }

    static void ok(Sipp.Run run) {
        SipPeers.ok(run);
    }
}
