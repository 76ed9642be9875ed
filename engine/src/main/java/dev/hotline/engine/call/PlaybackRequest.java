package dev.hotline.engine.call;

import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.tts.EspeakTts;
import dev.hotline.engine.tts.PromptLibrary;
import dev.hotline.engine.tts.Utterance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What to play to a channel: clips and WAV files (any common rate and format, converted to 8 kHz once
 * and cached by the engine) one after the other.
 *
 * @param items   the audio, in playing order
 * @param loop    start again at the end until stopped
 * @param bargeIn a DTMF key from the party stops the playback (the key is still reported)
 */
public record PlaybackRequest(List<Item> items, boolean loop, boolean bargeIn) {

    /** One piece of audio. */
    public sealed interface Item {
        /** Audio already in memory (8 kHz mono). */
        record Clip(AudioClip clip) implements Item {
            public Clip {
                Objects.requireNonNull(clip, "clip");
            }
        }

        /** A WAV file, read through the engine's clip cache. */
        record File(Path path) implements Item {
            public File {
                Objects.requireNonNull(path, "path");
            }
        }
    }

    public PlaybackRequest {
        items = List.copyOf(items);
    }

    public static PlaybackRequest of(AudioClip... clips) {
        List<Item> l = new ArrayList<>();
        for (AudioClip c : clips) {
            l.add(new Item.Clip(c));
        }
        return new PlaybackRequest(l, false, false);
    }

    /** A list of prompt files played in order. */
    public static PlaybackRequest files(List<Path> files) {
        List<Item> l = new ArrayList<>();
        for (Path p : files) {
            l.add(new Item.File(p));
        }
        return new PlaybackRequest(l, false, false);
    }

    public static PlaybackRequest files(Path... files) {
        return files(Arrays.asList(files));
    }

    /** Text spoken by espeak-ng (already rendered at 8 kHz). */
    public static PlaybackRequest tts(EspeakTts.Rendered rendered) {
        return of(AudioClip.of(rendered.samples()));
    }

    /** Shipped prompts (digits, numbers, amounts...) joined with the library's gap. */
    public static PlaybackRequest prompts(PromptLibrary library, Utterance utterance) {
        return of(AudioClip.of(library.render(utterance)));
    }

    public PlaybackRequest looping() {
        return new PlaybackRequest(items, true, bargeIn);
    }

    public PlaybackRequest withBargeIn() {
        return new PlaybackRequest(items, loop, true);
    }

    /** This request followed by {@code next}'s items. */
    public PlaybackRequest then(PlaybackRequest next) {
        List<Item> l = new ArrayList<>(items);
        l.addAll(next.items);
        return new PlaybackRequest(l, loop, bargeIn);
    }
}
