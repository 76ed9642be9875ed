package dev.hotline.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.testing.ApiClient;
import dev.hotline.testing.RtpCaller;
import dev.hotline.testing.SftpTestServer;
import dev.hotline.testing.SipPeers;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;

/** Issue 4 through the whole server: recorded calls (REC-1..3), music on hold (PBX-4), conference rooms (PBX-5). */
class MediaCallsTest extends ServerCallTest {
    @Override
    String defaultCaller() {
        return "13700000000";
    }

    void register(String ext, int contactPort) throws Exception {
        register(ext, PW, contactPort, "200");
    }

    JsonNode callRecord(String caller) {
        return await("call record of " + caller).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (JsonNode r : admin.get("/api/v1/calls?number=" + caller).json().get("items")) return Optional.of(r);
            return Optional.<JsonNode>empty();
        }, Optional::isPresent).get();
    }

    @Test
    void callsAreRecordedByPolicyToAPlayableFileAsLongAsTheCall() throws Exception {
        var bad = admin.put("/api/v1/settings/recording", Map.of("policy", "all", "format", "gsm", "stereo", true, "retentionDays", 30));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("fieldErrors").findValuesAsText("field")).contains("stereo");
        var set = admin.put("/api/v1/settings/recording", Map.of("policy", "inbound", "format", "pcm", "stereo", true, "retentionDays", 30));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(admin.get("/api/v1/settings/recording").json().get("policy").asText()).isEqualTo("inbound");

        int phone = Ports.free();
        register("1001", phone);
        Sipp.Run callee = uas("uas_answer", phone, vars());
        ok(uac("uac_call", "4010", vars("FROM", "13700000001", "PAUSE", "2000")));
        ok(callee);
        JsonNode call = callRecord("13700000001");
        JsonNode rec = await("recording listed").atMost(Duration.ofSeconds(10)).until(() -> {
            for (JsonNode r : admin.get("/api/v1/recordings?number=13700000001").json().get("items")) return Optional.of(r);
            return Optional.<JsonNode>empty();
        }, Optional::isPresent).get();
        assertThat(rec.get("callId").asText()).isEqualTo(call.get("callId").asText());
        assertThat(rec.get("stereo").asBoolean()).isTrue();
        long talkMs = Duration.between(Instant.parse(call.get("answeredAt").asText()), Instant.parse(call.get("endedAt").asText())).toMillis();
        assertThat(rec.get("durationMs").asLong()).as("recording as long as the call (%d ms)", talkMs).isCloseTo(talkMs, org.assertj.core.data.Offset.offset(100L));

        // The file is served to the browser's player, whole and by range, and is a valid stereo WAV.
        String cookie = sessionCookie();
        HttpClient http = HttpClient.newHttpClient();
        var whole = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/recordings/" + rec.get("id").asLong() + "/audio"))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Type").orElse("")).contains("audio/wav");
        Path wav = work.resolve("got.wav");
        Files.write(wav, whole.body());
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            assertThat(in.getFormat().getChannels()).isEqualTo(2);
            assertThat(in.getFormat().getSampleRate()).isEqualTo(8000f);
        }
        var part = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/recordings/" + rec.get("id").asLong() + "/audio"))
                .header("Cookie", cookie).header("Range", "bytes=0-99").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        // Javalin answers a range with a chunk from its start; Content-Range says exactly which bytes came.
        var range = java.util.regex.Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)").matcher(part.headers().firstValue("Content-Range").orElse(""));
        assertThat(range.matches()).as(part.headers().map().toString()).isTrue();
        assertThat(Long.parseLong(range.group(1))).isZero();
        assertThat(part.body()).hasSize((int) (Long.parseLong(range.group(2)) + 1));
        assertThat(Long.parseLong(range.group(3))).isEqualTo(whole.body().length);
        assertThat(admin.get("/api/v1/recordings/999999/audio").status()).isEqualTo(404);

        // One call, one recording (which directions each policy records: RecordingPolicyCallsTest).
        assertThat(admin.get("/api/v1/recordings?number=13700000001").json().get("total").asLong()).isEqualTo(1);
    }

    String sessionCookie() {
        var login = new ApiClient(server.baseUrl()).login("demo", "admin", PW);
        return login.headers().get("set-cookie").get(0).split(";")[0];
    }

    /**
     * REC-2 and REC-3 through the API: three recorded calls as one zip (three WAVs and a manifest), comments and scores
     * (400s naming the field, only the author deletes), another enterprise refused; then the SFTP archive (an in-process
     * MINA SSHD server): a wrong password fails visibly and keeps the files, the right one uploads, verifies and removes
     * the local files, and the recordings still play (whole and by range) and zip from the archive.
     */
    @Test
    void recordingsZipCommentsAndArchiveToSftp() throws Exception {
        assertThat(admin.put("/api/v1/settings/recording", Map.of("policy", "inbound", "format", "pcm", "stereo", false, "retentionDays", 30))
                .status()).isEqualTo(200);
        int phone = Ports.free();
        Sipp.Run callee = peers().phone(phone);
        register("1001", phone);
        java.util.List<Long> ids = new java.util.ArrayList<>();
        for (String from : java.util.List.of("13700000021", "13700000022", "13700000023")) {
            ok(uac("uac_call", "4010", vars("FROM", from, "PAUSE", "1000")));
            ids.add(await("recording of " + from).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                for (JsonNode r : admin.get("/api/v1/recordings?number=" + from).json().get("items")) return Optional.of(r.get("id").asLong());
                return Optional.<Long>empty();
            }, Optional::isPresent).get());
        }
        callee.kill();
        Map<Long, byte[]> wavs = new java.util.HashMap<>();
        for (long id : ids) wavs.put(id, admin.getBytes("/api/v1/recordings/" + id + "/audio").body());
        String idList = ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));

        // ---- one zip: the three WAVs byte for byte and a manifest of the calls
        var zip = admin.getBytes("/api/v1/recordings/zip?ids=" + idList);
        assertThat(zip.status()).isEqualTo(200);
        assertThat(zip.contentType()).startsWith("application/zip");
        Map<String, byte[]> entries = unzip(zip.body());
        assertThat(entries.keySet()).containsExactly("manifest.csv", "recording-" + ids.get(0) + ".wav", "recording-" + ids.get(1) + ".wav",
                "recording-" + ids.get(2) + ".wav");
        for (long id : ids) assertThat(entries.get("recording-" + id + ".wav")).isEqualTo(wavs.get(id));
        String manifest = new String(entries.get("manifest.csv"), StandardCharsets.UTF_8);
        assertThat(manifest.lines().toList()).hasSize(4);
        assertThat(manifest.lines().findFirst().orElseThrow()).startsWith("file,id,call_id,started_at,duration_ms");
        assertThat(manifest).contains("recording-" + ids.get(0) + ".wav," + ids.get(0) + ",", "13700000021", "13700000022", "13700000023", "inbound");
        for (String bad : java.util.List.of("", "abc", "1,-2", java.util.stream.LongStream.rangeClosed(1, 101).mapToObj(String::valueOf)
                .collect(java.util.stream.Collectors.joining(",")))) {
            var r = admin.get("/api/v1/recordings/zip?ids=" + bad);
            assertThat(r.status()).as("ids=" + bad).isEqualTo(400);
            assertThat(r.json().get("fieldErrors").findValuesAsText("field")).containsExactly("ids");
        }
        assertThat(admin.get("/api/v1/recordings/zip?ids=" + ids.get(0) + ",999999").status()).isEqualTo(404);

        // ---- comments and scores
        String comments = "/api/v1/recordings/" + ids.get(0) + "/comments";
        var badScore = admin.post(comments, Map.of("text", "fine", "score", 6));
        assertThat(badScore.status()).isEqualTo(400);
        assertThat(badScore.json().get("fieldErrors").findValuesAsText("field")).containsExactly("score");
        var empty = admin.post(comments, Map.of("text", "  "));
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("fieldErrors").findValuesAsText("field")).containsExactly("text");
        var mine = admin.post(comments, Map.of("text", "Greeting by the book", "score", 4));
        assertThat(mine.status()).as(mine.toString()).isEqualTo(201);
        ApiClient lead = ApiClient.loggedIn(server.baseUrl(), "demo", "lead", PW);
        var theirs = lead.post(comments, Map.of("score", 2));
        assertThat(theirs.status()).as(theirs.toString()).isEqualTo(201);
        JsonNode list = admin.get(comments).json();
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("text").asText()).isEqualTo("Greeting by the book");
        assertThat(list.get(0).get("score").asInt()).isEqualTo(4);
        assertThat(list.get(0).get("userName").asText()).isNotBlank();
        assertThat(list.get(0).get("createdAt").asText()).isNotBlank();
        JsonNode listed = admin.get("/api/v1/recordings?number=13700000021").json().at("/items/0");
        assertThat(listed.get("comments").asInt()).isEqualTo(2);
        assertThat(listed.get("score").asDouble()).isEqualTo(3.0);
        assertThat(lead.delete(comments + "/" + mine.json().get("id").asLong()).status()).as("only the author deletes").isEqualTo(403);
        assertThat(lead.delete(comments + "/" + theirs.json().get("id").asLong()).status()).isEqualTo(204);
        assertThat(admin.get(comments).json()).hasSize(1);

        // ---- another enterprise sees none of it
        ApiClient operator = ApiClient.loggedIn(server.baseUrl(), "system", "operator", PW);
        assertThat(operator.post("/api/v1/enterprises", Map.of("code", "recacme", "name", "Rec Acme", "adminUsername", "boss",
                "adminPassword", "acme-pass-1")).status()).isEqualTo(201);
        ApiClient acme = ApiClient.loggedIn(server.baseUrl(), "recacme", "boss", "acme-pass-1");
        assertThat(acme.get("/api/v1/recordings/zip?ids=" + idList).status()).isEqualTo(404);
        assertThat(acme.get(comments).status()).isEqualTo(404);
        assertThat(acme.post(comments, Map.of("text", "hijack")).status()).isEqualTo(404);
        assertThat(acme.delete(comments + "/" + mine.json().get("id").asLong()).status()).isEqualTo(404);
        assertThat(acme.getBytes("/api/v1/recordings/" + ids.get(0) + "/audio").status()).isEqualTo(404);
        assertThat(acme.post("/api/v1/settings/recording/archive/run", Map.of()).status()).as("acme has no archive").isEqualTo(409);

        // ---- the SFTP archive
        try (SftpTestServer sftp = SftpTestServer.start(Files.createDirectories(work.resolve("sftp")), "archiver", "s3cret")) {
            String archive = "/api/v1/settings/recording/archive";
            var invalid = admin.put(archive, Map.of("enabled", true, "host", "", "port", 0, "username", "archiver", "remoteDir", "relative",
                    "afterDays", -1));
            assertThat(invalid.status()).isEqualTo(400);
            assertThat(invalid.json().get("fieldErrors").findValuesAsText("field"))
                    .contains("host", "port", "password", "remoteDir", "afterDays");
            var badKey = admin.put(archive, Map.of("enabled", true, "host", "127.0.0.1", "port", sftp.port(), "username", "archiver",
                    "privateKey", "not a key", "remoteDir", "/rec", "afterDays", 0));
            assertThat(badKey.json().get("fieldErrors").findValuesAsText("field")).contains("privateKey");
            // A wrong password: every upload fails, visibly, and the files stay.
            var wrong = admin.put(archive, Map.of("enabled", true, "host", "127.0.0.1", "port", sftp.port(), "username", "archiver",
                    "password", "wrong", "remoteDir", "/rec/demo", "afterDays", 0));
            assertThat(wrong.status()).as(wrong.toString()).isEqualTo(200);
            assertThat(wrong.json().get("passwordSet").asBoolean()).isTrue();
            assertThat(wrong.body()).doesNotContain("wrong");
            JsonNode failed = admin.post(archive + "/run", Map.of()).json();
            assertThat(failed.get("archived").asInt()).isZero();
            assertThat(failed.get("failed").asInt()).isGreaterThanOrEqualTo(3);
            JsonNode failedRow = admin.get("/api/v1/recordings?number=13700000022").json().at("/items/0");
            assertThat(failedRow.get("archiveStatus").asText()).isEqualTo("failed");
            assertThat(failedRow.get("archiveError").asText()).isNotBlank();
            assertThat(admin.getBytes("/api/v1/recordings/" + ids.get(1) + "/audio").body()).isEqualTo(wavs.get(ids.get(1)));
            assertThat(admin.get(archive).json().get("lastResult").asText()).contains("failed");

            // The right password (the stored secret is replaced; a null one would keep it).
            var right = admin.put(archive, Map.of("enabled", true, "host", "127.0.0.1", "port", sftp.port(), "username", "archiver",
                    "password", "s3cret", "remoteDir", "/rec/demo", "afterDays", 0));
            assertThat(right.status()).isEqualTo(200);
            JsonNode run = admin.post(archive + "/run", Map.of()).json();
            assertThat(run.get("failed").asInt()).as(run.toString()).isZero();
            assertThat(run.get("archived").asInt()).isGreaterThanOrEqualTo(3);
            JsonNode settings = admin.get(archive).json();
            assertThat(settings.get("hostKey").asText()).as("the server's key, trusted on first use").startsWith("SHA256:");
            assertThat(settings.toString()).doesNotContain("s3cret").doesNotContain("\"password\"");
            for (long id : ids) {
                JsonNode row = null;
                for (JsonNode r : admin.get("/api/v1/recordings?limit=500").json().get("items")) if (r.get("id").asLong() == id) row = r;
                assertThat(row.get("archiveStatus").asText()).isEqualTo("archived");
                String location = row.get("archiveLocation").asText();
                assertThat(location).startsWith("sftp://archiver@127.0.0.1:" + sftp.port() + "/rec/demo/").endsWith(".wav");
                Path remote = sftp.file(URI.create(location).getPath());
                assertThat(Files.readAllBytes(remote)).as("the archived copy").isEqualTo(wavs.get(id));
                String callId = row.get("callId").asText();
                try (var local = Files.walk(server.dataDir().resolve("recordings"))) {
                    assertThat(local.filter(f -> f.getFileName().toString().startsWith(callId.replaceAll("[^A-Za-z0-9._-]", "_"))))
                            .as("local copy removed").isEmpty();
                }
                // Played from the archive: whole, and by range.
                var whole = admin.getBytes("/api/v1/recordings/" + id + "/audio");
                assertThat(whole.status()).isEqualTo(200);
                assertThat(whole.contentType()).startsWith("audio/wav");
                assertThat(whole.body()).isEqualTo(wavs.get(id));
            }
            var part = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/recordings/" + ids.get(2) + "/audio"))
                    .header("Cookie", sessionCookie()).header("Range", "bytes=1000-1999").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(part.statusCode()).isEqualTo(206);
            var range = java.util.regex.Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)").matcher(part.headers().firstValue("Content-Range").orElse(""));
            assertThat(range.matches()).as(part.headers().map().toString()).isTrue();
            int from = Integer.parseInt(range.group(1));
            assertThat(from).isEqualTo(1000);
            assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(wavs.get(ids.get(2)), from, from + part.body().length));
            // And zipped from the archive.
            Map<String, byte[]> again = unzip(admin.getBytes("/api/v1/recordings/zip?ids=" + idList).body());
            for (long id : ids) assertThat(again.get("recording-" + id + ".wav")).isEqualTo(wavs.get(id));
            assertThat(again).doesNotContainKey("errors.txt");
            assertThat(acme.get(archive).json().path("host").isTextual()).as("acme's archive is its own").isFalse();
        }
        admin.put("/api/v1/settings/recording/archive", Map.of("enabled", false, "host", "127.0.0.1", "port", 22, "username", "archiver",
                "remoteDir", "/rec/demo", "afterDays", 0));
    }

    static Map<String, byte[]> unzip(byte[] zip) throws java.io.IOException {
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) out.put(e.getName(), in.readAllBytes());
        }
        return out;
    }

    @Test
    void musicOnHoldUploadsAreCheckedAndHeldCallersHearMusic() throws Exception {
        ByteArrayOutputStream wav = new ByteArrayOutputStream();
        short[] tone = new short[8000];
        for (int i = 0; i < tone.length; i++) tone[i] = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
        byte[] pcm = new byte[tone.length * 2];
        for (int i = 0; i < tone.length; i++) {
            pcm[2 * i] = (byte) tone[i];
            pcm[2 * i + 1] = (byte) (tone[i] >> 8);
        }
        AudioSystem.write(new AudioInputStream(new java.io.ByteArrayInputStream(pcm), new AudioFormat(8000, 16, 1, true, false), tone.length),
                AudioFileFormat.Type.WAVE, wav);
        var up = upload("our music.wav", wav.toByteArray());
        assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
        assertThat(up.body()).contains("our_music.wav");
        var junk = upload("fake.wav", "this is not audio".getBytes(StandardCharsets.UTF_8));
        assertThat(junk.statusCode()).isEqualTo(400);
        assertThat(junk.body()).contains("not a WAV");
        assertThat(admin.get("/api/v1/moh").json().findValuesAsText("name")).containsExactly("our_music.wav");

        int phone = Ports.free();
        register("1002", phone);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4002", "destination", "1002")).status()).isEqualTo(201);
        Sipp.Run callee = uas("uas_answer", phone, vars());
        Sipp.Run caller = uac("uac_hold", "4002", vars("FROM", "13700000002"));
        // While the caller holds, the callee's leg plays the enterprise's music.
        await("music on hold").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                .until(() -> server.hotline().engine().channels().stream().anyMatch(ch -> ch.musicOnHold()));
        ok(caller);
        ok(callee);
        assertThat(admin.delete("/api/v1/moh/our_music.wav").status()).isEqualTo(204);
        assertThat(admin.delete("/api/v1/moh/our_music.wav").status()).isEqualTo(404);
    }

    HttpResponse<String> upload(String name, byte[] content) throws Exception {
        String boundary = "----hotline" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        String csrf = admin.get("/api/v1/me").json().get("csrfToken").asText();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/moh"))
                .header("Cookie", sessionCookieOf(admin)).header("X-CSRF-Token", csrf)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The admin client's own session (its CSRF token belongs to it). */
    String sessionCookieOf(ApiClient c) {
        return c.cookieHeader();
    }

    @Test
    void conferenceRoomsJoinCallersAndAskForTheirPin() throws Exception {
        var room = admin.post("/api/v1/conference-rooms", Map.of("number", "8800", "name", "Weekly", "record", true));
        assertThat(room.status()).as(room.toString()).isEqualTo(201);
        assertThat(admin.post("/api/v1/conference-rooms", Map.of("number", "1001", "name", "clash")).status()).as("extension number").isEqualTo(400);
        assertThat(admin.post("/api/v1/conference-rooms", Map.of("number", "8800", "name", "dup")).status()).isEqualTo(409);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4800", "destinationType", "conference", "destination", "8800")).status()).isEqualTo(201);

        register("1003", Ports.free());
        // Two callers meet in the room: one from a trunk through DID 4800, one dialling 8800 from extension 1003.
        Sipp.Run a = uac("uac_call", "4800", vars("FROM", "13700000003", "PAUSE", "3000"));
        Sipp.Run b = uac("uac_call", "8800", vars("FROM", "1003", "PAUSE", "3000"), "-au", "1003", "-ap", PW);
        await("two in the room").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> admin.get("/api/v1/conference-rooms").json().get(0).get("participants").asInt() == 2);
        ok(a);
        ok(b);
        await("room empty").atMost(Duration.ofSeconds(10))
                .until(() -> admin.get("/api/v1/conference-rooms").json().get(0).get("participants").asInt() == 0);
        assertThat(callRecord("13700000003").get("outcome").asText()).isEqualTo("answered");
        // The room was recorded from its first participant to its last.
        await("room recording").atMost(Duration.ofSeconds(10)).until(() -> {
            for (JsonNode r : admin.get("/api/v1/recordings?limit=500").json().get("items")) {
                if (r.get("callId").asText().startsWith("conf-") && r.get("durationMs").asLong() > 2000) return true;
            }
            return false;
        });

        // With a PIN: the right digits (RFC 4733 from SIPp's pcaps) let the caller in; wrong ones three times hang up.
        long id = room.json().get("id").asLong();
        assertThat(admin.put("/api/v1/conference-rooms/" + id, Map.of("number", "8800", "name", "Weekly", "pin", "1234")).json()
                .get("hasPin").asBoolean()).isTrue();
        Sipp.Run good = uac("uac_digits", "4800", vars("FROM", "13700000004", "PAUSE", "800", "AFTER", "3000",
                "DTMFACTIONS", SipPeers.dtmf("1234#")));
        await("PIN accepted").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> admin.get("/api/v1/conference-rooms").json().get(0).get("participants").asInt() == 1);
        ok(good);
    }

    JsonNode live(long room) {
        return admin.get("/api/v1/conference-rooms/" + room + "/live").json();
    }

    static JsonNode participant(JsonNode live, boolean moderator) {
        for (JsonNode p : live.get("participants")) if (p.get("moderator").asBoolean() == moderator) return p;
        return null;
    }

    /** Waits until {@code c} has sent everything queued, then 300 ms more of silence (the mix's delay). */
    static void drained(RtpCaller c) {
        await("queued audio sent").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> c.queued() == 0);
        c.quiet(300);
        await("quiet sent").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> c.queued() == 0);
    }

    /** The longest 400 Hz tone {@code listener} heard since packet {@code from}. */
    static long toneSince(RtpCaller listener, int from) {
        var all = listener.heard();
        return RtpCaller.toneMs(all.subList(Math.min(from, all.size()), all.size()));
    }

    /**
     * PBX-5 moderation, heard: a participant's 400 Hz tone reaches the moderator; muted from the API it is absent from the
     * moderator's mix, unmuted it is back; *1 from the moderator mutes everyone else; lock refuses a newcomer (prompt, BYE);
     * recording starts and stops; remove hangs the participant up.
     */
    @Test
    void conferenceModeratorMutesLocksRecordsAndRemoves() throws Exception {
        var same = admin.post("/api/v1/conference-rooms", Map.of("number", "8810", "name", "Board", "pin", "2345", "moderatorPin", "2345"));
        assertThat(same.status()).isEqualTo(400);
        assertThat(same.json().get("fieldErrors").findValuesAsText("field")).containsExactly("moderatorPin");
        var badTime = admin.post("/api/v1/conference-rooms", Map.of("number", "8810", "name", "Board", "openFrom", "tomorrow"));
        assertThat(badTime.json().get("fieldErrors").findValuesAsText("field")).containsExactly("openFrom");
        var created = admin.post("/api/v1/conference-rooms", Map.of("number", "8810", "name", "Board", "pin", "2345", "moderatorPin", "6789"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("hasModeratorPin").asBoolean()).isTrue();
        assertThat(created.body()).doesNotContain("6789");
        long id = created.json().get("id").asLong();
        assertThat(admin.post("/api/v1/conference-rooms/" + id + "/control", Map.of("action", "lock")).status()).as("nobody in it").isEqualTo(409);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4810", "destinationType", "conference", "destination", "8810")).status()).isEqualTo(201);

        int sip = server.hotline().engine().sipPort();
        try (RtpCaller talker = RtpCaller.call(sip, "13700000010", "4810"); RtpCaller mod = RtpCaller.call(sip, "13700000011", "4810")) {
            talker.keys("2345#");
            mod.keys("6789#");
            JsonNode two = await("participant and moderator in").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> live(id), l -> l.get("participants").size() == 2 && participant(l, true) != null);
            String talkerChannel = participant(two, false).get("channelId").asText();
            drained(talker);

            int from = mod.heard().size();
            talker.tone(1500);
            await("the moderator hears the participant").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> toneSince(mod, from) >= 600);
            drained(talker);

            var muted = admin.post("/api/v1/conference-rooms/" + id + "/participants/" + talkerChannel, Map.of("action", "mute"));
            assertThat(muted.status()).as(muted.toString()).isEqualTo(200);
            assertThat(participant(muted.json(), false).get("muted").asBoolean()).isTrue();
            int mutedFrom = mod.heard().size();
            talker.tone(1500);
            drained(talker);
            assertThat(toneSince(mod, mutedFrom)).as("a muted participant is absent from the mix").isZero();

            var unmuted = admin.post("/api/v1/conference-rooms/" + id + "/participants/" + talkerChannel, Map.of("action", "unmute"));
            assertThat(participant(unmuted.json(), false).get("muted").asBoolean()).isFalse();
            int back = mod.heard().size();
            talker.tone(1500);
            await("heard again once unmuted").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                    .until(() -> toneSince(mod, back) >= 600);
            drained(talker);

            // The moderator's keys: *1 mutes everyone else (the call's events say so), the tone is gone again.
            mod.keys("*1");
            await("*1 mutes all").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> live(id), l -> l.get("allMuted").asBoolean() && participant(l, false).get("muted").asBoolean());
            int allFrom = mod.heard().size();
            talker.tone(1500);
            drained(talker);
            assertThat(toneSince(mod, allFrom)).as("muted by *1").isZero();
            assertThat(admin.post("/api/v1/conference-rooms/" + id + "/control", Map.of("action", "unmute-all")).json().get("allMuted").asBoolean())
                    .isFalse();

            // Locked: a newcomer with the right PIN hears a prompt and is hung up on; unlocked by *2.
            assertThat(admin.post("/api/v1/conference-rooms/" + id + "/control", Map.of("action", "lock")).json().get("locked").asBoolean()).isTrue();
            ok(uac("uac_digits_bye", "4810", vars("FROM", "13700000012", "PAUSE", "800", "DTMFACTIONS", SipPeers.dtmf("2345#"))));
            assertThat(live(id).get("participants")).hasSize(2);
            mod.keys("*2");
            await("*2 unlocks").atMost(Duration.ofSeconds(10)).until(() -> !live(id).get("locked").asBoolean());

            // Recording on by the moderator's *3, off from the API: one recording of the room.
            long roomRecordings = roomRecordings();
            mod.keys("*3");
            await("*3 records").atMost(Duration.ofSeconds(10)).until(() -> live(id).get("recording").asBoolean());
            assertThat(admin.post("/api/v1/conference-rooms/" + id + "/control", Map.of("action", "record")).json().get("recording").asBoolean())
                    .as("already recording: stays one recording").isTrue();
            talker.tone(1000);
            drained(talker);
            assertThat(admin.post("/api/v1/conference-rooms/" + id + "/control", Map.of("action", "stop-record")).json().get("recording").asBoolean())
                    .isFalse();
            await("room recording listed").atMost(Duration.ofSeconds(10)).until(() -> roomRecordings() == roomRecordings + 1);

            var bad = admin.post("/api/v1/conference-rooms/" + id + "/control", Map.of("action", "explode"));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().get("fieldErrors").findValuesAsText("field")).containsExactly("action");
            assertThat(admin.post("/api/v1/conference-rooms/" + id + "/participants/nobody", Map.of("action", "mute")).status()).isEqualTo(404);

            // Removed: the participant's leg is hung up, the moderator stays.
            assertThat(admin.post("/api/v1/conference-rooms/" + id + "/participants/" + talkerChannel, Map.of("action", "remove")).status())
                    .isEqualTo(200);
            await("removed").atMost(Duration.ofSeconds(10)).until(() -> live(id).get("participants").size() == 1);
            mod.bye();
        }
        JsonNode modRecord = callRecord("13700000011");
        assertThat(admin.get("/api/v1/calls/" + modRecord.get("callId").asText() + "/events").body())
                .contains("moderator joined 8810", "mute-all 8810 by keys", "unlock 8810 by keys", "record 8810 by keys");
    }

    long roomRecordings() {
        long n = 0;
        for (JsonNode r : admin.get("/api/v1/recordings?limit=500").json().get("items")) if (r.get("callId").asText().startsWith("conf-")) n++;
        return n;
    }

    /** PBX-5 schedule: before its window a caller hears a prompt and is refused; at its end the room closes by itself. */
    @Test
    void scheduledRoomsRefuseEarlyCallersAndCloseByThemselves() throws Exception {
        var room = admin.post("/api/v1/conference-rooms", Map.of("number", "8820", "name", "Later",
                "openFrom", Instant.now().plusSeconds(3600).toString(), "openUntil", Instant.now().plusSeconds(7200).toString()));
        assertThat(room.status()).as(room.toString()).isEqualTo(201);
        long id = room.json().get("id").asLong();
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4820", "destinationType", "conference", "destination", "8820")).status()).isEqualTo(201);
        var backwards = admin.put("/api/v1/conference-rooms/" + id, Map.of("number", "8820", "name", "Later",
                "openFrom", Instant.now().plusSeconds(60).toString(), "openUntil", Instant.now().toString()));
        assertThat(backwards.json().get("fieldErrors").findValuesAsText("field")).containsExactly("openUntil");

        ok(uac("uac_wait_bye", "4820", vars("FROM", "13700000020")));
        JsonNode early = callRecord("13700000020");
        assertThat(early.get("outcome").asText()).isEqualTo("answered");
        assertThat(live(id).get("participants")).isEmpty();

        // Open now, for a few seconds: the caller is in, then hears goodbye and is hung up on when the window ends.
        Instant until = Instant.now().plusSeconds(8);
        assertThat(admin.put("/api/v1/conference-rooms/" + id, Map.of("number", "8820", "name", "Later", "openUntil", until.toString())).status())
                .isEqualTo(200);
        Sipp.Run inRoom = uac("uac_wait_bye", "4820", vars("FROM", "13700000021"));
        await("in the room").atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(50))
                .until(() -> live(id).get("participants").size() == 1);
        ok(inRoom); // uac_wait_bye passes only on the server's BYE
        assertThat(Instant.now()).as("ended by the schedule").isAfterOrEqualTo(until);
        JsonNode closed = callRecord("13700000021");
        assertThat(admin.get("/api/v1/calls/" + closed.get("callId").asText() + "/events").body()).contains("closed by schedule 8820");
    }
    /**
     * MSG-5: a T.38 re-INVITE (audio port 0, m=image udptl t38) from the caller is refused with 488 (T.38 is not relayed);
     * the call goes on in G.711 and ends normally (the caller's BYE finds the dialog: 200).
     */
    /**
     * MSG-5: caller and callee both T.38-capable. The caller's T.38 re-INVITE reaches the callee with the engine's own
     * anchored m=image port and the caller's T.38 attributes; the callee's image answer comes back to the caller with the
     * engine's other anchored port; UDPTL datagrams sent to each anchored port arrive at the other party's image port
     * byte for byte, from the engine's port; then the caller's audio re-INVITE takes both legs back to audio and the call
     * ends normally.
     */
    @Test
    void aT38ReInviteIsRelayedToTheOtherLegAndUdptlPassesUntouched() throws Exception {
        assertThat(admin.post("/api/v1/extensions", Map.of("number", "5991", "sipPassword", PW)).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4831", "destination", "5991")).status()).isEqualTo(201);
        int phone = Ports.free();
        register("5991", phone);
        try (DatagramSocket aAudio = udp(); DatagramSocket aFax = udp(); DatagramSocket bAudio = udp(); DatagramSocket bFax = udp()) {
            Path aPort = work.resolve("a-port");
            Path bPort = work.resolve("b-port");
            Sipp.Run callee = uas("uas_t38_accept", phone, vars("AUDIOPORT", port(bAudio), "IMAGEPORT", port(bFax), "PORTFILE", bPort.toString()));
            Sipp.Run caller = uac("uac_t38_relay", "4831", vars("FROM", "13700000031", "AUDIOPORT", port(aAudio), "IMAGEPORT", port(aFax),
                    "PORTFILE", aPort.toString(), "FAXMS", "4000"));
            int towardCallee = portIn(bPort);
            int towardCaller = portIn(aPort);
            assertThat(towardCaller).as("the engine's own port, not the callee's").isNotEqualTo(bFax.getLocalPort());
            assertThat(towardCallee).as("the engine's own port, not the caller's").isNotEqualTo(aFax.getLocalPort());

            // UDPTL (T.38 Annex D): seq 0, a primary IFP packet (t30-indicator CNG) and an empty redundancy list; then a
            // larger data packet. Each arrives untouched, from the engine's anchored port.
            byte[] cng = {0x00, 0x00, 0x01, 0x00, 0x00};
            byte[] data = new byte[120];
            new java.util.Random(38).nextBytes(data);
            data[0] = 0x00;
            data[1] = 0x01;
            for (byte[] udptl : java.util.List.of(cng, data)) {
                aFax.send(new DatagramPacket(udptl, udptl.length, InetAddress.getLoopbackAddress(), towardCaller));
                DatagramPacket got = receive(bFax);
                assertThat(java.util.Arrays.copyOf(got.getData(), got.getLength())).isEqualTo(udptl);
                assertThat(got.getPort()).isEqualTo(towardCallee);
            }
            byte[] back = {0x00, 0x07, 0x02, 0x40, 0x11, 0x22, 0x33};
            bFax.send(new DatagramPacket(back, back.length, InetAddress.getLoopbackAddress(), towardCallee));
            DatagramPacket got = receive(aFax);
            assertThat(java.util.Arrays.copyOf(got.getData(), got.getLength())).isEqualTo(back);
            assertThat(got.getPort()).isEqualTo(towardCaller);
            ok(caller);
            ok(callee);
        }
        JsonNode r = callRecord("13700000031");
        assertThat(r.get("outcome").asText()).isEqualTo("answered");
        assertThat(r.get("hangupBy").asText()).isEqualTo("caller");
    }

    /**
     * MSG-5: the callee refuses T.38 (488, a fax machine without it): the caller gets 488, the call stays on G.711
     * pass-through (an A-law packet sent afterwards reaches the callee byte for byte) and ends normally.
     */
    @Test
    void aT38ReInviteRefusedByTheOtherPartyGets488AndTheCallStaysOnG711() throws Exception {
        assertThat(admin.post("/api/v1/extensions", Map.of("number", "5990", "sipPassword", PW)).status()).isEqualTo(201);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4830", "destination", "5990")).status()).isEqualTo(201);
        int phone = Ports.free();
        register("5990", phone);
        try (DatagramSocket aAudio = udp(); DatagramSocket aFax = udp(); DatagramSocket bAudio = udp()) {
            Path aPort = work.resolve("a-port");
            Path bPort = work.resolve("b-port");
            Sipp.Run callee = uas("uas_t38_refuse", phone, vars("AUDIOPORT", port(bAudio), "PORTFILE", bPort.toString()));
            Sipp.Run caller = uac("uac_t38_reinvite", "4830", vars("FROM", "13700000030", "AUDIOPORT", port(aAudio), "IMAGEPORT", port(aFax),
                    "PORTFILE", aPort.toString(), "FAXMS", "4000"));
            assertThat(portIn(bPort)).as("the offer reached the callee with an engine port").isNotEqualTo(aFax.getLocalPort());
            await("488 to the caller").atMost(Duration.ofSeconds(20)).until(() -> Files.exists(work.resolve("a-port.refused")));
            int audio = portIn(work.resolve("a-port.audio"));
            byte[] rtp = new byte[172];
            new java.util.Random(8).nextBytes(rtp);
            rtp[0] = (byte) 0x80;
            rtp[1] = 8; // PCMA, the law of both legs
            aAudio.send(new DatagramPacket(rtp, rtp.length, InetAddress.getLoopbackAddress(), audio));
            DatagramPacket got = receive(bAudio);
            assertThat(java.util.Arrays.copyOf(got.getData(), got.getLength())).as("G.711 relayed byte for byte").isEqualTo(rtp);
            ok(caller);
            ok(callee);
        }
        JsonNode r = callRecord("13700000030");
        assertThat(r.get("outcome").asText()).isEqualTo("answered");
        assertThat(r.get("hangupBy").asText()).isEqualTo("caller");
    }

    /** MSG-5: a call through the engine's own media (a conference room) refuses T.38 with 488 and stays in the room. */
    @Test
    void aT38ReInviteOnACallThroughTheEnginesMediaIsRefused488AndTheCallStays() throws Exception {
        var room = admin.post("/api/v1/conference-rooms", Map.of("number", "8832", "name", "Fax test"));
        assertThat(room.status()).as(room.toString()).isEqualTo(201);
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4832", "destinationType", "conference", "destination", "8832")).status()).isEqualTo(201);
        long id = room.json().get("id").asLong();
        try (DatagramSocket aAudio = udp(); DatagramSocket aFax = udp()) {
            Path aPort = work.resolve("c-port");
            Sipp.Run caller = uac("uac_t38_reinvite", "4832", vars("FROM", "13700000032", "AUDIOPORT", port(aAudio), "IMAGEPORT", port(aFax),
                    "PORTFILE", aPort.toString(), "FAXMS", "1500"));
            await("488 to the caller").atMost(Duration.ofSeconds(20)).until(() -> Files.exists(work.resolve("c-port.refused")));
            assertThat(admin.get("/api/v1/conference-rooms/" + id + "/live").json().get("participants").size()).as("still in the room").isEqualTo(1);
            ok(caller);
        }
        JsonNode r = callRecord("13700000032");
        assertThat(r.get("hangupBy").asText()).isEqualTo("caller");
    }

    static DatagramSocket udp() throws Exception {
        DatagramSocket s = new DatagramSocket(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setSoTimeout(10_000);
        return s;
    }

    static String port(DatagramSocket s) {
        return Integer.toString(s.getLocalPort());
    }

    static DatagramPacket receive(DatagramSocket s) throws Exception {
        DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
        s.receive(in);
        return in;
    }

    /** The port a SIPp scenario wrote into {@code file} (its exec action), once it is there. */
    static int portIn(Path file) {
        return await("port in " + file.getFileName()).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (!Files.exists(file)) return -1;
            String t = Files.readString(file).trim();
            return t.matches("[0-9]+") ? Integer.parseInt(t) : -1;
        }, p -> p > 0);
    }
}
