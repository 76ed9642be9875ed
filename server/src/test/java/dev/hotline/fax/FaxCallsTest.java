package dev.hotline.fax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.fax.FaxDocument;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestServer;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MSG-5 end to end: a fax sent with the HTTP API goes out through an outbound route and a trunk that leads back to the
 * same server, whose number of destination "fax" answers with a receiving T.38 terminal; the received TIFF, downloaded
 * from the API, equals the page sent pel for pel. Bad uploads get 400 naming the field, and a user without the fax
 * permissions gets 403.
 */
public class FaxCallsTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static TestServer server;
    static ApiClient admin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", PW);
        int sip = server.hotline().engine().sipPort();
        // a trunk that leads to this server itself, the way out for numbers starting 8, and a fax number on it
        long trunk = admin.post("/api/v1/trunks", Map.of("name", "fax-loop", "host", "127.0.0.1", "port", sip,
                "allowedIps", List.of())).json().get("id").asLong();
        assertThat(admin.post("/api/v1/outbound-routes", Map.of("name", "fax-out", "prefix", "8", "stripDigits", 0,
                "trunkId", trunk, "priority", 1)).status()).isEqualTo(201);
        var did = admin.post("/api/v1/numbers", Map.of("number", "88880001", "destinationType", "fax"));
        assertThat(did.status()).as(did.toString()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aFaxSentThroughATrunkArrivesAtTheFaxNumberPelForPel() throws Exception {
        byte[] png = png();
        var sent = admin.upload("POST", "/api/v1/faxes?number=88880001&resolution=standard", "letter.png", png);
        assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
        long outId = sent.json().get("id").asLong();
        assertThat(sent.json().get("direction").asText()).isEqualTo("outbound");

        JsonNode out = await("the fax sent").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> admin.get("/api/v1/faxes/" + outId).json(), f -> List.of("sent", "failed").contains(f.get("status").asText()));
        assertThat(out.get("status").asText()).as(out.toString()).isEqualTo("sent");
        assertThat(out.get("pages").asInt()).isEqualTo(1);
        assertThat(out.get("callId").asText()).isNotBlank();

        JsonNode in = await("the fax received").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300))
                .until(() -> inbound(), Optional::isPresent).get();
        assertThat(in.get("status").asText()).as(in.toString()).isEqualTo("received");
        assertThat(in.get("localNumber").asText()).isEqualTo("88880001");
        assertThat(in.get("pages").asInt()).isEqualTo(1);
        assertThat(in.get("fine").asBoolean()).isFalse();

        var tiff = admin.getBytes("/api/v1/faxes/" + in.get("id").asLong() + "/document");
        assertThat(tiff.status()).isEqualTo(200);
        assertThat(tiff.contentType()).isEqualTo("image/tiff");
        FaxDocument got = FaxDocument.read(tiff.body(), false);
        FaxDocument expected = FaxDocument.read(png, false);
        assertThat(got.pages()).hasSize(1);
        assertThat(FaxDocument.samePels(got.pages().get(0), expected.pages().get(0))).isTrue();
        // the document sent is kept too
        var source = admin.getBytes("/api/v1/faxes/" + outId + "/document");
        assertThat(FaxDocument.samePels(FaxDocument.read(source.body(), false).pages().get(0), expected.pages().get(0))).isTrue();
        assertThat(admin.get("/api/v1/audit?action=fax.send").body()).contains("88880001");
    }

    @Test
    void badUploadsAre400AndUsersWithoutThePermissionGet403() throws Exception {
        var notImage = admin.upload("POST", "/api/v1/faxes?number=88880001", "letter.pdf", "%PDF-1.4 nothing".getBytes());
        assertThat(notImage.status()).isEqualTo(400);
        assertThat(notImage.body()).contains("file");
        var tooBig = admin.upload("POST", "/api/v1/faxes?number=88880001", "big.png", new byte[Faxes.MAX_UPLOAD_BYTES + 1]);
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.body()).contains("file");
        var badNumber = admin.upload("POST", "/api/v1/faxes?number=call-me", "letter.png", png());
        assertThat(badNumber.status()).isEqualTo(400);
        assertThat(badNumber.body()).contains("number");
        var badResolution = admin.upload("POST", "/api/v1/faxes?number=88880001&resolution=photo", "letter.png", png());
        assertThat(badResolution.status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/faxes/999999").status()).isEqualTo(404);
        assertThat(admin.get("/api/v1/faxes/999999/document").status()).isEqualTo(404);

        // a fax the last run left in progress (its call is gone) fails at the next start instead of staying "sending"
        long demo = server.database().withHandle(h -> h.createQuery("SELECT id FROM enterprise WHERE code = 'demo'")
                .mapTo(Long.class).one());
        long stuck = server.database().withHandle(h -> FaxStore.insert(h, demo, "outbound", "88889999", null, FaxStatus.SENDING,
                true, null, java.time.Instant.now()));
        assertThat(new Faxes(server.database(), null, null, server.dataDir(), java.time.Clock.systemUTC(),
                dev.hotline.engine.fax.FaxTimers.T30).failInterrupted()).isGreaterThanOrEqualTo(1);
        JsonNode interrupted = admin.get("/api/v1/faxes/" + stuck).json();
        assertThat(interrupted.get("status").asText()).isEqualTo("failed");
        assertThat(interrupted.get("error").asText()).isEqualTo("interrupted by a restart");

        ApiClient agent = ApiClient.loggedIn(server.baseUrl(), "demo", "agent1", PW);
        assertThat(agent.upload("POST", "/api/v1/faxes?number=88880001", "letter.png", png()).status()).isEqualTo(403);
        assertThat(agent.get("/api/v1/faxes").status()).isEqualTo(403);
    }

    static Optional<JsonNode> inbound() {
        for (JsonNode f : admin.get("/api/v1/faxes").json()) {
            if (f.get("direction").asText().equals("inbound") && !f.get("status").asText().equals("receiving")) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** A letter-like page: text, a rule and a speckled band, 850 × 300 (scaled to 1728 pels across). */
    public static byte[] png() throws Exception {
        BufferedImage img = new BufferedImage(850, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 850, 300);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 28));
        g.drawString("Hotline 传真 fax test 0123456789", 40, 60);
        g.fillRect(40, 90, 770, 4);
        g.dispose();
        Random r = new Random(5);
        for (int y = 150; y < 160; y++) {
            for (int x = 0; x < 850; x++) {
                if (r.nextInt(4) == 0) img.setRGB(x, y, 0);
            }
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(img, "png", b);
        return b.toByteArray();
    }
}
