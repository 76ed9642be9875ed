package dev.hotline.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/**
 * SEC-4: HTTPS beside HTTP with a self-signed certificate made at the first start (the browser phone
 * of agents on other machines needs a secure page), naming 127.0.0.1 and localhost; the session
 * cookie is Secure over it; the key store is kept in the data folder.
 */
class HttpsTest {

    /** Accepts the self-signed certificate and keeps what was presented. */
    static final class Keep implements X509TrustManager {
        X509Certificate[] seen;

        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            seen = chain;
        }

        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    @Test
    void theConsoleAndTheApiAreServedOverHttpsWithASelfSignedCertificate() throws Exception {
        Keep keep = new Keep();
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {keep}, null);
        HttpClient client = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
        try (TestServer server = TestServer.start()) {
            int port = server.hotline().httpsPort();
            assertThat(port).isPositive();
            String base = "https://127.0.0.1:" + port;
            var health = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            var page = client.send(HttpRequest.newBuilder(URI.create(base + "/agent.html")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            X509Certificate cert = keep.seen[0];
            assertThat(cert.getSubjectAlternativeNames()).extracting(n -> String.valueOf(n.get(1))).contains("127.0.0.1", "localhost");
            var login = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"enterprise\":\"demo\",\"username\":\"admin\",\"password\":\""
                            + TestServer.DEMO_PASSWORD + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).contains("Secure", "HttpOnly"));
            assertThat(Files.exists(server.dataDir().resolve("tls").resolve("hotline.p12"))).isTrue();
        }
    }
}
