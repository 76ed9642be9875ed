package dev.hotline.engine.tts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shipped prompts ({@code prompts/<lang>/<key>.wav} on the classpath), loaded once as 8 kHz 16-bit mono
 * samples, and the concatenation of a {@link Say} result into one clip.
 *
 * <p>Thread-safe and immutable after loading; {@link #shipped()} loads on first use (about 1 MB of μ-law files,
 * a few tens of milliseconds) and is shared. Clips returned are copies, so callers may modify them.
 */
public final class PromptLibrary {
    /** Classpath folder of the shipped prompts. */
    public static final String RESOURCE_ROOT = "/prompts/";
    /** Silence between two prompts of an utterance. */
    public static final Duration DEFAULT_GAP = Duration.ofMillis(60);

    private final Map<Language, Map<PromptKey, short[]>> clips;

    private PromptLibrary(Map<Language, Map<PromptKey, short[]>> clips) {
        this.clips = clips;
    }

    private static final class Holder {
        static final PromptLibrary SHIPPED = load();
    }

    /** The prompts shipped in the engine jar, loaded on first call. */
    public static PromptLibrary shipped() {
        return Holder.SHIPPED;
    }

    /**
     * Loads every {@link PromptKey} in every {@link Language} from the classpath.
     *
     * @throws IllegalStateException if a prompt file is missing or unreadable (a broken build)
     */
    public static PromptLibrary load() {
        Map<Language, Map<PromptKey, short[]>> all = new EnumMap<>(Language.class);
        for (Language language : Language.values()) {
            Map<PromptKey, short[]> map = new EnumMap<>(PromptKey.class);
            for (PromptKey key : PromptKey.values()) {
                map.put(key, read(resourcePath(language, key)));
            }
            all.put(language, map);
        }
        return new PromptLibrary(all);
    }

    /** "/prompts/zh/n1.wav". */
    public static String resourcePath(Language language, PromptKey key) {
        return RESOURCE_ROOT + language.code() + "/" + key.fileName() + ".wav";
    }

    private static short[] read(String path) {
        try (InputStream in = PromptLibrary.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("shipped prompt missing from the classpath: " + path);
            }
            return WavIo.read8kMono(in, path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read shipped prompt " + path, e);
        }
    }

    /** One prompt as 8 kHz 16-bit mono samples (a copy). */
    public short[] clip(Language language, PromptKey key) {
        return samples(language, key).clone();
    }

    private short[] samples(Language language, PromptKey key) {
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(key, "key");
        return clips.get(language).get(key);
    }

    /** The utterance as one clip with {@link #DEFAULT_GAP} between prompts. */
    public short[] render(Utterance utterance) {
        return render(utterance, DEFAULT_GAP);
    }

    /** The utterance as one clip with {@code gap} of silence between prompts (none before or after). */
    public short[] render(Utterance utterance, Duration gap) {
        if (gap.isNegative()) {
            throw new IllegalArgumentException("negative gap: " + gap);
        }
        int gapSamples = (int) (gap.toNanos() * WavIo.RATE / 1_000_000_000L);
        List<PromptKey> keys = utterance.keys();
        int total = Math.max(0, keys.size() - 1) * gapSamples;
        for (PromptKey k : keys) {
            total += samples(utterance.language(), k).length;
        }
        short[] out = new short[total];
        int pos = 0;
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                pos += gapSamples;
            }
            short[] s = samples(utterance.language(), keys.get(i));
            System.arraycopy(s, 0, out, pos, s.length);
            pos += s.length;
        }
        return out;
    }
}
