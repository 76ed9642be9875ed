package dev.hotline.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.SipPeers;
import dev.hotline.testing.TestAudio;
import dev.hotline.testing.TestDatabases;
import dev.hotline.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * OPS-2: the demo enterprise (with more objects) is backed up, restored by the operator onto a fresh server without the
 * demo, and works there: a SIPp call to a number runs the restored flow (playing a restored prompt) into the restored
 * queue, where agent1, logged in with the restored password on a phone registered with the restored SIP password, answers.
 * Bad files are 400s naming the problem; restoring over existing configuration is a 409.
 */
class ConfigBackupTest {
    static final String PW = TestServer.DEMO_PASSWORD;
    static final String PASSPHRASE = "keep it safe 2026";
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theDemoEnterpriseRestoredOntoAnEmptyServerTakesCallsThroughItsFlowAndQueue() throws Exception {
        byte[] file;
        JsonNode manifest;
        Map<String, Integer> exported = new HashMap<>();
        try (TestServer a = TestServer.start()) {
            ApiClient admin = ApiClient.loggedIn(a.baseUrl(), "demo", "admin", PW);
            extraObjects(admin);
            assertThat(admin.post("/api/v1/backup", Map.of("passphrase", "short")).status()).as("passphrase too short").isEqualTo(400);
            var agent = ApiClient.loggedIn(a.baseUrl(), "demo", "agent1", PW);
            assertThat(agent.post("/api/v1/backup", Map.of("passphrase", PASSPHRASE)).status()).as("an agent may not").isEqualTo(403);
            file = bytes(a, admin, "/api/v1/backup", PASSPHRASE);
            manifest = JSON.readTree(entries(file).get("manifest.json"));
            assertThat(manifest.get("formatVersion").asInt()).isEqualTo(1);
            manifest.get("enterprises").get(0).get("rows").fields().forEachRemaining(f -> exported.put(f.getKey(), f.getValue().asInt()));
            assertThat(exported).containsEntry("extension", 3).containsEntry("acd_queue", 2).containsEntry("ivr_flow", 2)
                    .containsEntry("ring_group", 1).containsEntry("conference_room", 1).containsEntry("blacklist", 1)
                    .containsEntry("trunk", 2).containsEntry("department", 3).containsEntry("mail_settings", 1)
                    .containsEntry("sms_settings", 1).containsEntry("sms_template", 1).containsEntry("sms_after_call", 1).containsEntry("disa", 1)
                    .containsEntry("disa_pin", 1).containsEntry("enterprise_branding", 1).containsEntry("recording_archive_settings", 1)
                    .containsEntry("ivr_data_source", 1).containsEntry("ivr_number_list", 1).containsEntry("ivr_number_list_entry", 2);
            assertThat(new String(entries(file).get("enterprises/demo/sms_settings.json"), StandardCharsets.UTF_8)).doesNotContain(SMS_SECRET);
            assertThat(entries(file).get("enterprises/demo/audio/branding/logo")).isEqualTo(LOGO);
            String ext = new String(entries(file).get("enterprises/demo/extension.json"), StandardCharsets.UTF_8);
            assertThat(ext).as("SIP passwords are encrypted in the file").doesNotContain(PW).contains("\"enc:");
            assertThat(new String(entries(file).get("enterprises/demo/trunk.json"), StandardCharsets.UTF_8)).doesNotContain("trunk-secret-1");
            assertThat(entries(file)).containsKey("enterprises/demo/audio/prompts/backup-hello.wav");

            // Restoring over the enterprise's own configuration, or as a new enterprise whose code exists, is refused.
            assertThat(multipart(a, admin, "/api/v1/backup/restore", file, PASSPHRASE, null).statusCode()).isEqualTo(409);
            ApiClient operator = ApiClient.loggedIn(a.baseUrl(), "system", "operator", PW);
            var again = multipart(a, operator, "/api/v1/server-backup/restore", file, PASSPHRASE, null);
            assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
            assertThat(again.body()).contains("demo");
        }

        Path dir = Files.createTempDirectory("backup-sipp");
        List<Sipp.Run> phones = new ArrayList<>();
        try (TestServer b = TestServer.start(TestDatabases.Kind.H2, Map.of("demo", "false"))) {
            ApiClient operator = ApiClient.loggedIn(b.baseUrl(), "system", "operator", PW);
            assertThat(new ApiClient(b.baseUrl()).login("demo", "admin", PW).status()).as("no demo here").isEqualTo(401);
            everyTableIsPlaced(b);
            badFiles(b, operator, file);

            var restored = multipart(b, operator, "/api/v1/server-backup/restore", file, PASSPHRASE, null);
            assertThat(restored.statusCode()).as(restored.body()).isEqualTo(201);
            JsonNode result = JSON.readTree(restored.body());
            assertThat(result.get("enterprises").get(0).asText()).isEqualTo("demo");
            Map<String, Integer> rows = new HashMap<>();
            result.get("rows").fields().forEachRemaining(f -> rows.put(f.getKey(), f.getValue().asInt()));
            assertThat(rows).as("every row of every kind restored").isEqualTo(exported);
            assertThat(result.get("audioFiles").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(multipart(b, operator, "/api/v1/server-backup/restore", file, PASSPHRASE, null).statusCode())
                    .as("the second time the enterprise exists").isEqualTo(409);

            ApiClient admin = ApiClient.loggedIn(b.baseUrl(), "demo", "admin", PW);
            assertThat(admin.get("/api/v1/departments").body()).contains("Backup sub-team");
            JsonNode deps = admin.get("/api/v1/departments").json();
            long parent = 0;
            for (JsonNode d : deps) if (d.get("name").asText().startsWith("客服部")) parent = d.get("id").asLong();
            for (JsonNode d : deps) if (d.get("name").asText().equals("Backup sub-team")) assertThat(d.get("parentId").asLong()).isEqualTo(parent);
            assertThat(admin.getBytes("/api/v1/prompts/backup-hello.wav/audio").status()).isEqualTo(200);
            assertThat(admin.get("/api/v1/flows").body()).contains("backupflow");
            laterKindsRestored(b, admin, admin.get("/api/v1/me").json().get("enterprise").get("id").asLong());

            // agent1: the restored SIP password registers the phone, the restored password logs in, the queue offers the call.
            int port = Ports.free();
            Sipp.Run phone = Sipp.start(dir, "uas_answer", withEngine(b, SipPeers.vars("x")), null, port,
                    List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4)), "-m", "10", "-timeout", "120"));
            phones.add(phone);
            Sipp.awaitUdpBound(port);
            SipPeers peers = new SipPeers(dir, b.hotline().engine().sipPort());
            peers.register("1001", PW, port, "200");
            ApiClient agent = ApiClient.loggedIn(b.baseUrl(), "demo", "agent1", PW);
            var login = agent.post("/api/v1/agent/session", Map.of("device", "sip"));
            assertThat(login.status()).as(login.toString()).isEqualTo(200);
            assertThat(agent.put("/api/v1/agent/state", Map.of("state", "ready")).status()).isEqualTo(200);
            SipPeers.ok(peers.uac("uac_call", "4601", SipPeers.vars("13900004601", "PAUSE", "9000"), "-timeout", "60"));
            JsonNode record = await("the call record").atMost(Duration.ofSeconds(20)).until(
                    () -> admin.get("/api/v1/calls?limit=5&number=13900004601").json().get("items"), items -> items.size() >= 1).get(0);
            assertThat(record.get("queue").asText()).isEqualTo("sales");
            assertThat(record.get("agentJob").asText()).as(record.toString()).isEqualTo("8001");
            assertThat(record.get("ivrPath").asText()).contains("hello");

            // An enterprise admin restores into an empty enterprise (its seeded roles and admin replaced by the file's).
            var acme = operator.post("/api/v1/enterprises", Map.of("code", "acme", "name", "Acme", "adminUsername", "boss", "adminPassword", "boss-pass-1"));
            assertThat(acme.status()).as(acme.toString()).isEqualTo(201);
            ApiClient boss = ApiClient.loggedIn(b.baseUrl(), "acme", "boss", "boss-pass-1");
            var wrong = multipart(b, boss, "/api/v1/backup/restore", file, "not the passphrase", null);
            assertThat(wrong.statusCode()).isEqualTo(400);
            assertThat(wrong.body()).contains("passphrase");
            var into = multipart(b, boss, "/api/v1/backup/restore", file, PASSPHRASE, null);
            assertThat(into.statusCode()).as(into.body()).isEqualTo(200);
            ApiClient acmeAdmin = ApiClient.loggedIn(b.baseUrl(), "acme", "admin", PW);
            assertThat(acmeAdmin.get("/api/v1/extensions").body()).contains("1001", "1002", "1003");
            assertThat(new ApiClient(b.baseUrl()).login("acme", "boss", "boss-pass-1").status()).as("replaced").isEqualTo(401);
            assertThat(multipart(b, acmeAdmin, "/api/v1/backup/restore", file, PASSPHRASE, null).statusCode()).isEqualTo(409);
            var replace = multipart(b, acmeAdmin, "/api/v1/backup/restore", file, PASSPHRASE, "replace");
            assertThat(replace.statusCode()).as(replace.body()).isEqualTo(200);
        } finally {
            phones.forEach(Sipp.Run::kill);
        }
    }

    /** Every table is either a kind of configuration or named as not configuration: a new table must be placed. */
    static void everyTableIsPlaced(TestServer s) throws Exception {
        {
            Set<String> tables = new TreeSet<>();
            s.database().useHandle(h -> {
                try (ResultSet rs = h.getConnection().getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                    while (rs.next()) {
                        if ("PUBLIC".equalsIgnoreCase(rs.getString("TABLE_SCHEM"))) tables.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            });
            Set<String> placed = new TreeSet<>(BackupKinds.NOT_CONFIGURATION);
            placed.addAll(BackupKinds.NOT_BACKED_UP_YET);
            BackupKinds.ALL.forEach(k -> placed.add(k.table()));
            assertThat(placed).as("tables in BackupKinds").containsAll(tables);
            assertThat(tables).hasSizeGreaterThan(80).containsAll(placed);
        }
    }

    static void extraObjects(ApiClient admin) {
        assertThat(admin.upload("POST", "/api/v1/prompts", "backup-hello.wav", TestAudio.toneWav(8000, 1, 600, 500)).status()).isEqualTo(201);
        long parent = 0;
        for (JsonNode d : admin.get("/api/v1/departments").json()) if (d.get("name").asText().startsWith("客服部")) parent = d.get("id").asLong();
        ok(admin.post("/api/v1/departments", Map.of("name", "Backup sub-team", "parentId", parent)));
        Map<String, Object> trunk = new LinkedHashMap<>();
        trunk.putAll(Map.of("name", "carrier2", "kind", "register", "host", "127.0.0.1", "port", 5099, "transport", "udp",
                "username", "acct", "secret", "trunk-secret-1", "enabled", false));
        ok(admin.post("/api/v1/trunks", trunk));
        ok(admin.post("/api/v1/blacklist", Map.of("number", "1666*", "note", "spam")));
        ok(admin.post("/api/v1/conference-rooms", Map.of("number", "7001", "name", "Board", "pin", "4321", "record", false)));
        ok(admin.post("/api/v1/ring-groups", Map.of("name", "front", "strategy", "ring_all", "ringSeconds", 15,
                "members", List.of("1001", "1002"), "fail", Map.of("type", "hangup"))));
        ok(admin.put("/api/v1/mail/settings", Map.of("host", "smtp.example.com", "port", 587, "security", "starttls",
                "username", "mailer", "password", "smtp-secret", "from", "hotline@example.com", "ticketNotifications", false)));
        var flow = admin.post("/api/v1/flows", Map.of("name", "backupflow", "description", "restored flow"));
        ok(flow);
        long id = flow.json().get("id").asLong();
        ok(admin.put("/api/v1/flows/" + id + "/draft", Map.of("start", "hello", "nodes", Map.of(
                "hello", Map.of("type", "play", "prompts", List.of(Map.of("file", "backup-hello.wav")), "next", "q"),
                "q", Map.of("type", "transfer", "target", "queue", "value", "sales", "fail", "bye"),
                "bye", Map.of("type", "hangup")))));
        ok(admin.post("/api/v1/flows/" + id + "/publish", Map.of()));
        ok(admin.post("/api/v1/numbers", Map.of("number", "4601", "destinationType", "flow", "destination", "backupflow")));
        // Kinds of features merged after the backup: SMS gateway (sealed password), template and after-call SMS, DISA and a
        // PIN, branding (name and logo file), the recording archive (sealed password).
        Map<String, Object> smpp = new LinkedHashMap<>(Map.of("kind", "smpp", "host", "127.0.0.1", "port", 2775, "systemId", "hl",
                "password", SMS_SECRET, "sourceAddress", "10690001", "dailyQuota", 500));
        ok(admin.put("/api/v1/sms/settings", smpp));
        var template = admin.post("/api/v1/sms/templates", Map.of("name", "backup-thanks", "body", "{name}，感谢致电 {company}"));
        ok(template);
        long sales = -1;
        for (JsonNode q : admin.get("/api/v1/sms/after-call").json()) if (q.get("queue").asText().equals("sales")) sales = q.get("queueId").asLong();
        ok(admin.put("/api/v1/sms/after-call/" + sales, Map.of("templateId", template.json().get("id").asLong())));
        ok(admin.post("/api/v1/disa", Map.of("name", "backup-disa", "enabled", true, "digitTimeoutSeconds", 6)));
        long ext1001 = -1;
        for (JsonNode x : admin.get("/api/v1/extensions").json()) if (x.get("number").asText().equals("1001")) ext1001 = x.get("id").asLong();
        ok(admin.put("/api/v1/extensions/" + ext1001 + "/disa-pin", Map.of("pin", "24680")));
        ok(admin.put("/api/v1/branding", Map.of("companyName", "备份热线")));
        ok(admin.upload("PUT", "/api/v1/branding/logo", "logo.png", LOGO));
        Map<String, Object> archive = new LinkedHashMap<>(Map.of("enabled", false, "host", "127.0.0.1", "port", 2222, "username", "arch",
                "password", ARCHIVE_SECRET, "remoteDir", "/rec", "afterDays", 30));
        ok(admin.put("/api/v1/settings/recording/archive", archive));
        ok(admin.post("/api/v1/ivr/data-sources", Map.of("name", "crm", "url", "jdbc:postgresql://127.0.0.1:5432/crm", "username", "reader",
                "password", IVR_DB_SECRET, "maxRows", 5, "timeoutMs", 1500)));
        ok(admin.post("/api/v1/ivr/number-lists", Map.of("name", "vip", "entries", List.of("13800138000", "0755*")))); // ACD-4
    }

    static final String SMS_SECRET = "smpp#s9x", ARCHIVE_SECRET = "sftp-secret-7", IVR_DB_SECRET = "crm-reader-5";
    static final byte[] LOGO = logo();

    static byte[] logo() {
        try {
            var img = new java.awt.image.BufferedImage(30, 12, java.awt.image.BufferedImage.TYPE_INT_RGB);
            var png = new ByteArrayOutputStream();
            javax.imageio.ImageIO.write(img, "png", png);
            return png.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The later kinds on the restored server: rows, the logo file, and the sealed secrets opened with that server's own keys. */
    static void laterKindsRestored(TestServer b, ApiClient admin, long enterpriseId) {
        JsonNode sms = admin.get("/api/v1/sms/settings").json();
        assertThat(sms.get("kind").asText()).isEqualTo("smpp");
        assertThat(sms.toString()).contains("10690001").doesNotContain(SMS_SECRET);
        assertThat(admin.get("/api/v1/sms/templates").body()).contains("backup-thanks");
        boolean afterCall = false;
        for (JsonNode q : admin.get("/api/v1/sms/after-call").json()) {
            if (q.get("queue").asText().equals("sales")) afterCall = "backup-thanks".equals(q.path("templateName").asText());
        }
        assertThat(afterCall).as("the sales queue's after-call SMS names the restored template").isTrue();
        assertThat(admin.get("/api/v1/disa").body()).contains("backup-disa");
        assertThat(admin.get("/api/v1/disa-pins").body()).contains("1001");
        assertThat(admin.get("/api/v1/branding").json().get("companyName").asText()).isEqualTo("备份热线");
        var logo = admin.getBytes("/api/v1/branding/logo?e=demo");
        assertThat(logo.status()).isEqualTo(200);
        assertThat(logo.body()).isEqualTo(LOGO);
        assertThat(admin.get("/api/v1/settings/recording/archive").body()).contains("/rec").doesNotContain(ARCHIVE_SECRET);
        Path secrets = b.dataDir().resolve("secrets");
        String smsEnc = b.database().withHandle(h -> h.createQuery("SELECT smpp_password_enc FROM sms_settings WHERE enterprise_id = :e")
                .bind("e", enterpriseId).mapTo(String.class).one());
        assertThat(dev.hotline.mail.SecretBox.fromKeyFile(secrets.resolve("sms.key")).decrypt(smsEnc)).isEqualTo(SMS_SECRET);
        String archiveEnc = b.database().withHandle(h -> h.createQuery("SELECT password_enc FROM recording_archive_settings WHERE enterprise_id = :e")
                .bind("e", enterpriseId).mapTo(String.class).one());
        assertThat(dev.hotline.mail.SecretBox.fromKeyFile(secrets.resolve("archive.key")).decrypt(archiveEnc)).isEqualTo(ARCHIVE_SECRET);
        assertThat(admin.get("/api/v1/ivr/data-sources").body()).contains("jdbc:postgresql://127.0.0.1:5432/crm").doesNotContain(IVR_DB_SECRET);
        assertThat(admin.get("/api/v1/ivr/number-lists").json().get(0).get("entries").toString()).as("ACD-4 number list restored")
                .isEqualTo("[\"0755*\",\"13800138000\"]");
        String dbEnc = b.database().withHandle(h -> h.createQuery("SELECT password_enc FROM ivr_data_source WHERE enterprise_id = :e")
                .bind("e", enterpriseId).mapTo(String.class).one());
        assertThat(dev.hotline.mail.SecretBox.fromKeyFile(secrets.resolve("ivr-db.key")).decrypt(dbEnc)).isEqualTo(IVR_DB_SECRET);
    }

    static void badFiles(TestServer b, ApiClient operator, byte[] file) throws Exception {
        var notZip = multipart(b, operator, "/api/v1/server-backup/restore", "hello".getBytes(StandardCharsets.UTF_8), PASSPHRASE, null);
        assertThat(notZip.statusCode()).isEqualTo(400);
        assertThat(notZip.body()).contains("manifest.json");
        Map<String, byte[]> e = entries(file);
        e.put("enterprises/demo/acd_queue.json", "[]".getBytes(StandardCharsets.UTF_8));
        var tampered = multipart(b, operator, "/api/v1/server-backup/restore", zip(e), PASSPHRASE, null);
        assertThat(tampered.statusCode()).isEqualTo(400);
        assertThat(tampered.body()).contains("enterprises/demo/acd_queue.json", "checksum");
        var wrong = multipart(b, operator, "/api/v1/server-backup/restore", file, "another passphrase", null);
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.body()).contains("passphrase");
        var none = multipart(b, operator, "/api/v1/server-backup/restore", null, PASSPHRASE, null);
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(none.body()).contains("file");
        assertThat(new ApiClient(b.baseUrl()).login("demo", "admin", PW).status()).as("nothing restored").isEqualTo(401);
    }

    static void ok(ApiClient.Response r) {
        assertThat(r.status()).as(r.toString()).isBetween(200, 204);
    }

    static Map<String, String> withEngine(TestServer s, Map<String, String> vars) {
        vars.put("ENGINE", "127.0.0.1:" + s.hotline().engine().sipPort());
        return vars;
    }

    static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) out.put(e.getName(), in.readAllBytes());
        }
        return out;
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    static HttpClient http(ApiClient c) {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A POST of {@code {"passphrase": ...}} answered with a file. */
    static byte[] bytes(TestServer s, ApiClient c, String path, String passphrase) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Cookie", c.cookieHeader()).header("X-CSRF-Token", csrf(c))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("passphrase", passphrase)))).build();
        HttpResponse<byte[]> resp = http(c).send(req, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(resp.statusCode()).as(new String(resp.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(resp.headers().firstValue("Content-Type").orElse("")).contains("application/zip");
        return resp.body();
    }

    /** A multipart restore: the file (none when null), the passphrase and the mode. */
    static HttpResponse<String> multipart(TestServer s, ApiClient c, String path, byte[] file, String passphrase, String mode) throws Exception {
        String boundary = "----backup" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (file != null) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"backup.zip\"\r\n"
                    + "Content-Type: application/zip\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(file);
            body.write("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"passphrase\"\r\n\r\n" + passphrase + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
        if (mode != null) {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\n" + mode + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest req = HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Cookie", c.cookieHeader())
                .header("X-CSRF-Token", csrf(c)).POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return http(c).send(req, HttpResponse.BodyHandlers.ofString());
    }

    static String csrf(ApiClient c) {
        return c.csrf();
    }
}
