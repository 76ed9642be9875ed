package dev.hotline.engine.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real espeak-ng. It is a required test tool: missing, these tests fail and say how to install it. */
class EspeakTtsTest {
    private static final double RMS_FLOOR = 32768 * Math.pow(10, -35 / 20.0);

    @TempDir
    Path cache;

    @BeforeAll
    static void espeakIsInstalled(@TempDir Path dir) {
        // Throws EspeakMissingException ("... `apt-get install espeak-ng` ...") when absent: a failure, not a skip.
        new EspeakTts(EspeakTts.Options.defaults(dir)).checkAvailable();
    }

    private EspeakTts tts() {
        return new EspeakTts(EspeakTts.Options.defaults(cache));
    }

    @Test
    void rendersMandarinTo8kAudioAndCachesIt() throws Exception {
        EspeakTts tts = tts();
        EspeakTts.Rendered first = tts.render("您好，欢迎致电", Language.ZH);

        assertThat(first.fromCache()).isFalse();
        assertThat(tts.renderCount()).isEqualTo(1);
        // Seven syllables: between one and four seconds.
        assertThat(first.durationMillis()).isBetween(1000L, 4000L);
        assertThat(ShippedPromptsTest.rms(first.samples(), 0, first.samples().length)).isGreaterThan(RMS_FLOOR);
        assertThat(first.file()).startsWith(cache).isRegularFile();
        AudioFormat format = AudioSystem.getAudioFileFormat(first.file().toFile()).getFormat();
        assertThat(format.getSampleRate()).isEqualTo(8000f);
        assertThat(format.getChannels()).isEqualTo(1);
        assertThat(format.getSampleSizeInBits()).isEqualTo(16);
        assertThat(first.file().getFileName().toString()).matches("[0-9a-f]{64}\\.wav");

        // Second call: a file read, espeak-ng not run again, file not rewritten.
        Files.setLastModifiedTime(first.file(), FileTime.fromMillis(1_000_000_000_000L));
        EspeakTts.Rendered second = tts.render("您好，欢迎致电", Language.ZH);
        assertThat(second.fromCache()).isTrue();
        assertThat(second.samples()).isEqualTo(first.samples());
        assertThat(tts.renderCount()).isEqualTo(1);
        assertThat(Files.getLastModifiedTime(second.file()).toMillis()).isEqualTo(1_000_000_000_000L);

        // Another instance over the same folder (a restarted server) also reads the cache.
        EspeakTts again = tts();
        assertThat(again.render("您好，欢迎致电", Language.ZH).fromCache()).isTrue();
        assertThat(again.renderCount()).isZero();
        // Only the cached file is left in the folder: no temporary files.
        try (var files = Files.list(cache)) {
            assertThat(files.toList()).containsExactly(first.file());
        }
    }

    @Test
    void rendersEnglish() {
        EspeakTts.Rendered r = tts().render("Welcome", Language.EN);
        assertThat(r.durationMillis()).isBetween(250L, 1500L);
        assertThat(ShippedPromptsTest.rms(r.samples(), 0, r.samples().length)).isGreaterThan(RMS_FLOOR);
    }

    @Test
    void mandarinVoiceReadsChineseAsMandarin() throws Exception {
        // espeak-ng 1.51's plain "cmn" voice reads many characters as English-spelled pinyin, shown as "(en)" in
        // its phoneme output; the voice Hotline uses must not, for free text and for every shipped Chinese prompt.
        StringBuilder texts = new StringBuilder("您好，欢迎致电，请按井号键\n");
        for (PromptKey key : PromptKey.values()) {
            texts.append(key.text(Language.ZH)).append('\n');
        }
        Process p = new ProcessBuilder("espeak-ng", "-q", "-x", "-v", Language.ZH.espeakVoice(), "--stdin")
                .redirectErrorStream(true).start();
        try (var stdin = p.getOutputStream()) {
            stdin.write(texts.toString().getBytes(StandardCharsets.UTF_8));
        }
        String phonemes = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(phonemes).contains("j'Au55").doesNotContain("(en)"); // 幺 is yao1
    }

    @Test
    void speedAndPitchAreSettingsAndPartOfTheCacheKey() {
        EspeakTts slow = new EspeakTts(EspeakTts.Options.defaults(cache).withSpeed(100));
        EspeakTts fast = new EspeakTts(EspeakTts.Options.defaults(cache).withSpeed(300).withPitch(70));
        String text = "please hold while we connect your call";
        assertThat(slow.cacheFile(text, "en")).isNotEqualTo(fast.cacheFile(text, "en"));
        assertThat(slow.render(text, Language.EN).durationMillis())
                .isGreaterThan(fast.render(text, Language.EN).durationMillis() * 2);
        assertThatThrownBy(() -> EspeakTts.Options.defaults(cache).withSpeed(10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EspeakTts.Options.defaults(cache).withPitch(100))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentRequestsForTheSameTextRenderOnce() throws Exception {
        EspeakTts tts = tts();
        int n = 6;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<EspeakTts.Rendered>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return tts.render("您的来电非常重要，请不要挂机", Language.ZH);
                }, pool));
            }
            go.countDown();
            short[] first = results.get(0).get(20, TimeUnit.SECONDS).samples();
            long rendered = 0;
            for (CompletableFuture<EspeakTts.Rendered> r : results) {
                EspeakTts.Rendered x = r.get(20, TimeUnit.SECONDS);
                assertThat(x.samples()).isEqualTo(first);
                rendered += x.fromCache() ? 0 : 1;
            }
            assertThat(tts.renderCount()).isEqualTo(1);
            assertThat(rendered).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void renderAsyncRunsOnTheGivenExecutor() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "tts-worker"));
        try {
            CompletableFuture<EspeakTts.Rendered> f = tts().renderAsync("goodbye", Language.EN, pool);
            assertThat(f.get(20, TimeUnit.SECONDS).samples()).isNotEmpty();
            CompletableFuture<EspeakTts.Rendered> bad = tts().renderAsync("", Language.EN, pool);
            assertThatThrownBy(() -> bad.get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(IllegalArgumentException.class);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void emptyOrOverlongTextIsRejected() {
        EspeakTts tts = tts();
        assertThatThrownBy(() -> tts.render("", Language.EN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> tts.render("   \n", Language.ZH)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tts.render(null, Language.ZH)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tts.render("好".repeat(1001), Language.ZH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1000");
        assertThatThrownBy(() -> tts.render("hello", "en; rm -rf /")).isInstanceOf(IllegalArgumentException.class);
        assertThat(tts.renderCount()).isZero();
    }

    @Test
    void missingBinaryFailsClearly() {
        EspeakTts tts = new EspeakTts(EspeakTts.Options.defaults(cache).withBinary("/nonexistent/bin/espeak-ng"));
        assertThatThrownBy(tts::checkAvailable)
                .isInstanceOf(EspeakMissingException.class)
                .hasMessageContaining("apt-get install espeak-ng");
        assertThatThrownBy(() -> tts.render("您好", Language.ZH))
                .isInstanceOf(EspeakMissingException.class)
                .hasMessageContaining("apt-get install espeak-ng")
                .hasMessageContaining("/nonexistent/bin/espeak-ng");
    }

    @Test
    void failingVoiceReportsEspeakError() {
        assertThatThrownBy(() -> tts().render("hello", "xx-nosuchvoice"))
                .isInstanceOf(TtsException.class)
                .hasMessageContaining("espeak-ng failed")
                .hasMessageContaining("voice");
    }

    @Test
    void hungProcessIsKilledAtTheTimeout(@TempDir Path bin) throws IOException {
        Path pidFile = bin.resolve("pid");
        Path fake = bin.resolve("espeak-ng");
        Files.writeString(fake, "#!/bin/sh\necho $$ > '" + pidFile + "'\nexec sleep 60\n");
        assertThat(fake.toFile().setExecutable(true)).isTrue();
        EspeakTts tts = new EspeakTts(EspeakTts.Options.defaults(cache)
                .withBinary(fake.toString()).withTimeout(Duration.ofMillis(500)));

        long start = System.nanoTime();
        assertThatThrownBy(() -> tts.render("hello", Language.EN))
                .isInstanceOf(TtsException.class)
                .hasMessageContaining("did not finish within 500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

        long pid = Long.parseLong(Files.readString(pidFile).strip());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
        // Nothing cached for a failed render.
        assertThat(tts.cacheFile("hello", "en")).doesNotExist();
    }
}
