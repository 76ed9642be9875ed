package dev.hotline.engine.tts;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Free-text speech with the espeak-ng binary (Debian package {@code espeak-ng}), run as a process.
 *
 * <p>Text is rendered at 22.05 kHz to a temporary WAV, resampled to 8 kHz with a band-limited filter
 * ({@link Resampler}), trimmed of leading and trailing silence, peak-normalised to -3 dBFS (the level of the
 * shipped prompts) and cached as a 16-bit PCM 8 kHz mono WAV in the cache folder under the SHA-256 of (format
 * version, voice, speed, pitch, text). A second request for the same text is a file read; concurrent requests for
 * the same text run espeak-ng once and share the result.
 *
 * <p><b>Blocking.</b> {@link #render} runs a process and may take a second or more: call it at IVR publish time or
 * from a worker pool ({@link #renderAsync}), never from a media or event-loop thread. A process that does not
 * finish within the timeout is killed.
 */
public final class EspeakTts {
    /** Longest text accepted, in characters. */
    public static final int MAX_TEXT_LENGTH = 1000;
    /** espeak-ng renders at this rate. */
    static final int ESPEAK_RATE = 22_050;
    /** Bumped when the processing changes, so that old cache entries are not reused. */
    private static final String FORMAT_VERSION = "1";
    private static final int TARGET_PEAK = 23_197; // -3 dBFS
    private static final int SILENCE_THRESHOLD = 100; // about -50 dBFS
    private static final int EDGE_MARGIN = WavIo.RATE / 50; // 20 ms kept around trimmed audio

    /**
     * Settings.
     *
     * @param binary the espeak-ng executable: a path, or a name looked up on PATH
     * @param cacheDir folder for rendered WAV files (created if missing)
     * @param timeout longest a single espeak-ng run may take before it is killed
     * @param speedWpm speaking rate in words per minute (espeak-ng {@code -s}, 80..450)
     * @param pitch pitch (espeak-ng {@code -p}, 0..99, default 50)
     */
    public record Options(String binary, Path cacheDir, Duration timeout, int speedWpm, int pitch) {
        public Options {
            Objects.requireNonNull(binary, "binary");
            Objects.requireNonNull(cacheDir, "cacheDir");
            Objects.requireNonNull(timeout, "timeout");
            if (binary.isBlank()) {
                throw new IllegalArgumentException("espeak-ng binary is empty");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            if (speedWpm < 80 || speedWpm > 450) {
                throw new IllegalArgumentException("speed must be 80..450 words per minute: " + speedWpm);
            }
            if (pitch < 0 || pitch > 99) {
                throw new IllegalArgumentException("pitch must be 0..99: " + pitch);
            }
        }

        /** espeak-ng from PATH, 20 s timeout, 150 words per minute (as the shipped prompts), pitch 50. */
        public static Options defaults(Path cacheDir) {
            return new Options("espeak-ng", cacheDir, Duration.ofSeconds(20), 150, 50);
        }

        public Options withBinary(String newBinary) {
            return new Options(newBinary, cacheDir, timeout, speedWpm, pitch);
        }

        public Options withTimeout(Duration newTimeout) {
            return new Options(binary, cacheDir, newTimeout, speedWpm, pitch);
        }

        public Options withSpeed(int newSpeedWpm) {
            return new Options(binary, cacheDir, timeout, newSpeedWpm, pitch);
        }

        public Options withPitch(int newPitch) {
            return new Options(binary, cacheDir, timeout, speedWpm, newPitch);
        }
    }

    /**
     * A rendered text.
     *
     * @param file the cached 16-bit PCM 8 kHz mono WAV
     * @param samples the audio, 8 kHz 16-bit mono
     * @param fromCache true when this call did not run espeak-ng (cache hit or shared with a concurrent call)
     */
    public record Rendered(Path file, short[] samples, boolean fromCache) {
        public long durationMillis() {
            return WavIo.millis(samples);
        }
    }

    private final Options options;
    private final ConcurrentMap<String, CompletableFuture<Path>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong processRuns = new AtomicLong();

    public EspeakTts(Options options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    public Options options() {
        return options;
    }

    /** The espeak-ng voice for a language ({@code cmn-latn-pinyin} or {@code en}; see {@link Language}). */
    public static String voiceFor(Language language) {
        return language.espeakVoice();
    }

    /**
     * Runs {@code espeak-ng --version} to check that TTS can work (e.g. when an IVR flow with free text is
     * published). Blocking.
     *
     * @throws EspeakMissingException if the binary cannot be run
     */
    public void checkAvailable() {
        ProcessBuilder pb = new ProcessBuilder(options.binary(), "--version")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = start(pb);
        waitFor(p, "espeak-ng --version");
        if (p.exitValue() != 0) {
            throw new EspeakMissingException(options.binary(), null);
        }
    }

    /** Renders {@code text} in the language's voice. Blocking; see the class comment. */
    public Rendered render(String text, Language language) {
        return render(text, voiceFor(language));
    }

    /** Renders {@code text} in an espeak-ng voice (e.g. "cmn-latn-pinyin", "en", "en-us"). Blocking. */
    public Rendered render(String text, String voice) {
        validate(text, voice);
        String key = cacheKey(text, voice);
        Path file = options.cacheDir().resolve(key + ".wav");
        if (Files.isRegularFile(file)) {
            return new Rendered(file, readCached(file), true);
        }
        CompletableFuture<Path> mine = new CompletableFuture<>();
        CompletableFuture<Path> other = inFlight.putIfAbsent(key, mine);
        if (other != null) {
            Path shared = join(other);
            return new Rendered(shared, readCached(shared), true);
        }
        try {
            short[] samples;
            boolean cached;
            if (Files.isRegularFile(file)) { // finished between the first check and putIfAbsent
                samples = readCached(file);
                cached = true;
            } else {
                samples = renderToCache(text, voice, file);
                cached = false;
            }
            mine.complete(file);
            return new Rendered(file, samples, cached);
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /**
     * Renders on {@code executor} (a worker pool, never a media thread). Argument errors complete the future
     * exceptionally with IllegalArgumentException.
     */
    public CompletableFuture<Rendered> renderAsync(String text, Language language, Executor executor) {
        return CompletableFuture.supplyAsync(() -> render(text, language), executor);
    }

    /** Where the text would be cached (whether or not it is rendered yet). */
    public Path cacheFile(String text, String voice) {
        validate(text, voice);
        return options.cacheDir().resolve(cacheKey(text, voice) + ".wav");
    }

    /** How many times espeak-ng has been run to render text by this instance. */
    public long renderCount() {
        return processRuns.get();
    }

    private static void validate(String text, String voice) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("TTS text is empty");
        }
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("TTS text is too long: " + text.length() + " characters (at most "
                    + MAX_TEXT_LENGTH + ")");
        }
        if (voice == null || !voice.matches("[A-Za-z0-9_+-]{1,40}")) {
            throw new IllegalArgumentException("bad espeak-ng voice name: " + voice);
        }
    }

    private String cacheKey(String text, String voice) {
        String material = String.join("\n", "espeak-ng/" + FORMAT_VERSION, voice,
                Integer.toString(options.speedWpm()), Integer.toString(options.pitch()), text);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(material.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private short[] renderToCache(String text, String voice, Path file) {
        Path dir = options.cacheDir();
        Path raw = null;
        Path err = null;
        try {
            Files.createDirectories(dir);
            raw = Files.createTempFile(dir, "espeak-", ".tmp.wav");
            err = Files.createTempFile(dir, "espeak-", ".err");
            ProcessBuilder pb = new ProcessBuilder(options.binary(), "-v", voice,
                    "-s", Integer.toString(options.speedWpm()), "-p", Integer.toString(options.pitch()),
                    "--stdin", "-w", raw.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile());
            processRuns.incrementAndGet();
            Process p = start(pb);
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // The process closed its input early; its exit status and stderr tell why.
            }
            waitFor(p, "espeak-ng");
            if (p.exitValue() != 0) {
                throw new TtsException("espeak-ng failed (exit " + p.exitValue() + ", voice " + voice + "): "
                        + Files.readString(err, StandardCharsets.UTF_8).strip());
            }
            short[] samples = WavIo.read8kMono(raw);
            samples = normalise(trim(samples));
            if (samples.length == 0) {
                throw new TtsException("espeak-ng produced no audible speech for the text (voice " + voice + ")");
            }
            Path tmp = Files.createTempFile(dir, "tts-", ".tmp.wav");
            WavIo.write8kMono(tmp, samples);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return samples;
        } catch (IOException e) {
            throw new TtsException("TTS cache I/O failed in " + dir + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(raw);
            deleteQuietly(err);
        }
    }

    private Process start(ProcessBuilder pb) {
        try {
            return pb.start();
        } catch (IOException e) {
            throw new EspeakMissingException(options.binary(), e);
        }
    }

    private void waitFor(Process p, String what) {
        try {
            if (!p.waitFor(options.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new TtsException(what + " did not finish within " + options.timeout().toMillis()
                        + " ms and was killed");
            }
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new TtsException(what + " was interrupted", e);
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static short[] readCached(Path file) {
        try {
            return WavIo.read8kMono(file);
        } catch (IOException e) {
            throw new TtsException("cannot read cached TTS file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path join(CompletableFuture<Path> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TtsException("interrupted while waiting for a concurrent TTS render", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            }
            throw new TtsException("concurrent TTS render failed", c);
        }
    }

    /** Drops leading and trailing silence, keeping a 20 ms margin. */
    static short[] trim(short[] s) {
        int first = 0;
        while (first < s.length && Math.abs(s[first]) < SILENCE_THRESHOLD) {
            first++;
        }
        if (first == s.length) {
            return new short[0];
        }
        int last = s.length - 1;
        while (last > first && Math.abs(s[last]) < SILENCE_THRESHOLD) {
            last--;
        }
        int from = Math.max(0, first - EDGE_MARGIN);
        int to = Math.min(s.length, last + 1 + EDGE_MARGIN);
        short[] out = new short[to - from];
        System.arraycopy(s, from, out, 0, out.length);
        return out;
    }

    /** Scales the peak to -3 dBFS. */
    static short[] normalise(short[] s) {
        int peak = 0;
        for (short v : s) {
            peak = Math.max(peak, Math.abs((int) v));
        }
        if (peak == 0) {
            return s;
        }
        double gain = (double) TARGET_PEAK / peak;
        short[] out = new short[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = (short) Math.round(s[i] * gain);
        }
        return out;
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // A leftover temporary file in the cache folder is harmless.
            }
        }
    }
}
