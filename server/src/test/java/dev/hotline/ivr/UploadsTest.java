package dev.hotline.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.hotline.testing.ApiClient;
import dev.hotline.testing.TestAudio;
import dev.hotline.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import javax.sound.sampled.AudioFormat;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * IVR-2 prompt uploads and MSG-1 voicemail greeting uploads through the HTTP API: an MP3 (the test
 * resource {@code audio/tone-440hz-1s-22k-stereo.mp3}, 1 s of 440 Hz at 22.05 kHz stereo, made with
 * {@code sox -n -r 22050 -c 2 -C 64 tone-440hz-1s-22k-stereo.mp3 synth 1.0 sine 440 vol 0.5}) and a
 * WAV of another format are stored as 8 kHz mono 16-bit PCM WAVs that still hold the tone; bad
 * uploads (not audio, a broken MP3, another format, too big, a wrong name) are refused with a 400
 * that says why, and nothing is stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadsTest {
    static final String MP3 = "/audio/tone-440hz-1s-22k-stereo.mp3";
    TestServer server;
    ApiClient admin;

    @BeforeAll
    void start() {
        server = TestServer.start();
        admin = ApiClient.loggedIn(server.baseUrl(), "demo", "admin", TestServer.DEMO_PASSWORD);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** The server converts MP3 with sox; without its MP3 format the test says what to install instead of skipping. */
    static void requireSoxWithMp3() {
        String formats;
        try {
            Process p = new ProcessBuilder("sox", "-h").redirectErrorStream(true).start();
            formats = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
        } catch (IOException e) {
            throw new AssertionError("MP3 uploads need sox on this machine: apt-get install sox libsox-fmt-mp3 (scripts/test-deps.sh does it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (!formats.matches("(?s).*AUDIO FILE FORMATS:[^\\n]*\\bmp3\\b.*")) {
            fail("sox here cannot read MP3: apt-get install libsox-fmt-mp3 (scripts/test-deps.sh does it)");
        }
    }

    /** The stored WAV is 8 kHz mono 16-bit PCM, as long as the upload, and still a tone of {@code hz}. */
    static void assertStoredTone(byte[] wav, long expectMs, int hz) {
        TestAudio.WavInfo info = TestAudio.read(wav);
        assertThat(info.sampleRate()).isEqualTo(8000f);
        assertThat(info.channels()).isEqualTo(1);
        assertThat(info.bits()).isEqualTo(16);
        assertThat(info.encoding()).isEqualTo(AudioFormat.Encoding.PCM_SIGNED);
        assertThat(info.durationMs()).isCloseTo(expectMs, Offset.offset(150L));
        // Zero crossings of the samples (after the 44-byte header): twice the frequency per second.
        int crossings = 0;
        short prev = 0;
        int n = (wav.length - 44) / 2;
        for (int i = 0; i < n; i++) {
            short s = (short) ((wav[44 + 2 * i] & 0xff) | (wav[45 + 2 * i] << 8));
            if ((s >= 0) != (prev >= 0)) crossings++;
            prev = s;
        }
        double freq = crossings / 2.0 / (n / 8000.0);
        assertThat(freq).as("the tone survived the conversion").isCloseTo(hz, Offset.offset(hz * 0.1));
    }

    @Test
    void anMp3PromptIsStoredAsAPlayable8kHzMonoWav() {
        requireSoxWithMp3();
        var up = admin.upload("POST", "/api/v1/prompts", "hold tone.mp3", TestAudio.resource(MP3));
        assertThat(up.status()).as(up.toString()).isEqualTo(201);
        assertThat(up.json().get("name").asText()).isEqualTo("hold_tone.wav");
        assertThat(up.json().get("durationMs").asLong()).isCloseTo(1000L, Offset.offset(150L));
        var audio = admin.getBytes("/api/v1/prompts/hold_tone.wav/audio");
        assertThat(audio.status()).isEqualTo(200);
        assertThat(audio.contentType()).contains("audio/wav");
        assertStoredTone(audio.body(), 1000, 440);
        assertThat(admin.get("/api/v1/prompts").json().findValuesAsText("name")).contains("hold_tone.wav");
        // A published flow may now play it.
        assertThat(admin.post("/api/v1/numbers", Map.of("number", "4555", "destination", "1001", "welcomePrompt", "hold_tone.wav")).status())
                .isEqualTo(201);
    }

    @Test
    void aWavOfAnotherFormatIsConvertedToo() {
        var up = admin.upload("POST", "/api/v1/prompts", "wide.wav", TestAudio.toneWav(16000, 2, 1200, 600));
        assertThat(up.status()).as(up.toString()).isEqualTo(201);
        assertStoredTone(admin.getBytes("/api/v1/prompts/wide.wav/audio").body(), 1200, 600);
    }

    @Test
    void anMp3GreetingIsStoredAsAPlayable8kHzMonoWav() {
        requireSoxWithMp3();
        String base = "/api/v1/voicemail/boxes/extension/1001/greeting";
        var up = admin.upload("PUT", base, "greeting.MP3", TestAudio.resource(MP3));
        assertThat(up.status()).as(up.toString()).isEqualTo(200);
        assertThat(up.json().get("durationMs").asLong()).isCloseTo(1000L, Offset.offset(150L));
        var audio = admin.getBytes(base + "/audio");
        assertThat(audio.status()).isEqualTo(200);
        assertStoredTone(audio.body(), 1000, 440);
        assertThat(admin.get("/api/v1/voicemail/greetings").body()).contains("\"box\":\"1001\"");
        // A queue's box takes a WAV of another format.
        var queue = admin.upload("PUT", "/api/v1/voicemail/boxes/queue/sales/greeting", "q.wav", TestAudio.toneWav(44100, 2, 800, 500));
        assertThat(queue.status()).as(queue.toString()).isEqualTo(200);
        assertStoredTone(admin.getBytes("/api/v1/voicemail/boxes/queue/sales/greeting/audio").body(), 800, 500);
    }

    @Test
    void badPromptUploadsAreRefusedWithTheReason() {
        requireSoxWithMp3();
        refused(admin.upload("POST", "/api/v1/prompts", "fake.wav", "this is not audio".getBytes(StandardCharsets.UTF_8)), "not audio");
        refused(admin.upload("POST", "/api/v1/prompts", "fake.mp3", "this is not an mp3 either".getBytes(StandardCharsets.UTF_8)),
                "cannot read this MP3");
        refused(admin.upload("POST", "/api/v1/prompts", "notes.txt", TestAudio.toneWav(8000, 1, 500, 400)), "must end in .wav or .mp3");
        refused(admin.upload("POST", "/api/v1/prompts", "tiny.wav", TestAudio.toneWav(8000, 1, 100, 400)), "shorter than 0.2 s");
        refused(admin.upload("POST", "/api/v1/prompts", "big.wav", tooBig()), "larger than 20 MB");
        var noFile = admin.post("/api/v1/prompts", Map.of("file", "x"));
        assertThat(noFile.status()).isEqualTo(400);
        assertThat(admin.get("/api/v1/prompts").json().findValuesAsText("name")).doesNotContain("fake.wav", "notes.txt.wav", "tiny.wav", "big.wav");
    }

    @Test
    void badGreetingUploadsAreRefusedWithTheReasonAndTheOldGreetingStays() {
        requireSoxWithMp3();
        String base = "/api/v1/voicemail/boxes/extension/1002/greeting";
        assertThat(admin.upload("PUT", base, "good.wav", TestAudio.toneWav(8000, 1, 700, 400)).status()).isEqualTo(200);
        byte[] good = admin.getBytes(base + "/audio").body();
        refused(admin.upload("PUT", base, "greeting.wav", "this is not audio".getBytes(StandardCharsets.UTF_8)), "not audio");
        refused(admin.upload("PUT", base, "greeting.mp3", "this is not an mp3".getBytes(StandardCharsets.UTF_8)), "cannot read this MP3");
        refused(admin.upload("PUT", base, "greeting.ogg", ogg()), "must end in .wav or .mp3");
        refused(admin.upload("PUT", base, "greeting.wav", ogg()), "not audio");
        refused(admin.upload("PUT", base, "greeting.txt", TestAudio.toneWav(8000, 1, 500, 400)), "must end in .wav or .mp3");
        refused(admin.upload("PUT", base, "greeting.wav", tooBig()), "larger than 20 MB");
        assertThat(admin.getBytes(base + "/audio").body()).as("the previous greeting is kept").isEqualTo(good);
        assertThat(admin.upload("PUT", "/api/v1/voicemail/boxes/extension/7777/greeting", "g.wav", TestAudio.toneWav(8000, 1, 700, 400)).status())
                .as("no such box").isEqualTo(404);
    }

    static void refused(ApiClient.Response r, String why) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("fieldErrors").findValuesAsText("field")).as(r.toString()).containsExactly("file");
        assertThat(r.json().get("fieldErrors").findValuesAsText("message").get(0)).as(r.toString()).contains(why);
    }

    /** A valid WAV header followed by more than 20 MB of samples. */
    static byte[] tooBig() {
        byte[] head = TestAudio.toneWav(8000, 1, 300, 400);
        byte[] big = Arrays.copyOf(head, 20 * 1024 * 1024 + 4096);
        return big;
    }

    /** An Ogg Vorbis file (sox writes it without extra packages): audio, but not a format the server takes. */
    static byte[] ogg() {
        try {
            var f = java.nio.file.Files.createTempFile("greeting", ".ogg");
            Process p = new ProcessBuilder("sox", "-n", "-r", "8000", "-c", "1", f.toString(), "synth", "0.5", "sine", "440")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as("sox making an Ogg file: " + out).isZero();
            byte[] b = java.nio.file.Files.readAllBytes(f);
            java.nio.file.Files.delete(f);
            return b;
        } catch (IOException e) {
            throw new AssertionError("this test makes an Ogg file with sox: apt-get install sox", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
