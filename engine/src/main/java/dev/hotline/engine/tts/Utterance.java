package dev.hotline.engine.tts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A sequence of shipped prompts in one language, played one after the other (see {@link PromptLibrary#render}).
 *
 * @param language the language of every prompt
 * @param keys the prompts in playing order
 */
public record Utterance(Language language, List<PromptKey> keys) {
    public Utterance {
        Objects.requireNonNull(language, "language");
        keys = List.copyOf(keys);
    }

    public static Utterance of(Language language, PromptKey... keys) {
        return new Utterance(language, Arrays.asList(keys));
    }

    /** This utterance followed by {@code more}. */
    public Utterance then(PromptKey... more) {
        List<PromptKey> all = new ArrayList<>(keys);
        all.addAll(Arrays.asList(more));
        return new Utterance(language, all);
    }

    /** This utterance followed by {@code next}, which must be in the same language. */
    public Utterance then(Utterance next) {
        if (next.language != language) {
            throw new IllegalArgumentException("cannot join " + language + " and " + next.language + " prompts");
        }
        List<PromptKey> all = new ArrayList<>(keys);
        all.addAll(next.keys);
        return new Utterance(language, all);
    }

    /** The file names, e.g. "n1 hundred n0 n5": handy in logs and tests. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(language.code()).append(':');
        for (PromptKey k : keys) {
            sb.append(' ').append(k.fileName());
        }
        return sb.toString();
    }
}
