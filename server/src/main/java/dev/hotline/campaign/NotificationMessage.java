package dev.hotline.campaign;

import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.tts.Language;
import dev.hotline.ivr.Ivr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A notification campaign's message (OUT-2) for one number. The text is spoken by TTS with {@code {name}}, {@code {number}}
 * and the list's columns filled in; {@code {column:as}} says the column's value through the IVR's Say logic ({@link Ivr#say}:
 * digits, number, amount, date, time) in the shipped prompts, e.g. "{name}您好，您本期应还{amount:amount}，还款日{date:date}".
 * A value that does not read as its kind is spoken as it is. Or an uploaded prompt is played as it is.
 */
final class NotificationMessage {
    private static final Pattern SAID = Pattern.compile("\\{([^{}:]{1,64}):([a-z]{1,16})}");
    /** The default answers when a campaign names no keys. */
    static final Map<String, String> DEFAULT_KEYS = Map.of("1", "confirm", "2", "refuse");
    private static final AudioClip GAP = AudioClip.silence(Duration.ofMillis(120));

    private NotificationMessage() {}

    /** One piece of the text: words to speak, or a column to say as a kind. */
    sealed interface Part {
        record Words(String text) implements Part {}

        record Said(String column, String as) implements Part {}
    }

    /** The text cut into parts; a {@code {column:as}} with an unknown kind throws {@link IllegalArgumentException} naming it. */
    static List<Part> parse(String text) {
        List<Part> parts = new ArrayList<>();
        Matcher m = SAID.matcher(text);
        int at = 0;
        while (m.find()) {
            if (!Ivr.SAY_AS.contains(m.group(2))) {
                throw new IllegalArgumentException("{" + m.group(1) + ":" + m.group(2) + "}: say as one of " + Ivr.SAY_AS.stream().sorted().toList());
            }
            if (m.start() > at) parts.add(new Part.Words(text.substring(at, m.start())));
            parts.add(new Part.Said(m.group(1).strip(), m.group(2)));
            at = m.end();
        }
        if (at < text.length()) parts.add(new Part.Words(text.substring(at)));
        return parts;
    }

    /** Chinese when the text has Chinese characters, else English. */
    static Language language(String text) {
        return text.codePoints().anyMatch(c -> c >= 0x4E00 && c <= 0x9FFF) ? Language.ZH : Language.EN;
    }

    /** The message for {@code contact}, rendered off the dialer's thread (TTS on the IVR's workers): one clip, or the prompt file. */
    static CompletableFuture<PlaybackRequest.Item> render(Ivr ivr, long enterpriseId, CampaignSettings.Notification n, CampaignStore.Contact contact) {
        if (n.prompt() != null && !n.prompt().isBlank()) {
            Path file = ivr.promptFile(enterpriseId, n.prompt().strip());
            if (!Files.isRegularFile(file)) return CompletableFuture.failedFuture(new IllegalStateException("no prompt " + n.prompt()));
            return CompletableFuture.completedFuture(new PlaybackRequest.Item.File(file));
        }
        Language language = language(n.text());
        List<CompletableFuture<AudioClip>> clips = new ArrayList<>();
        for (Part p : parse(n.text())) {
            if (p instanceof Part.Words w) {
                String words = MachineDetection.fill(w.text(), contact).strip();
                if (!words.isEmpty()) clips.add(ivr.speak(words, language));
            } else if (p instanceof Part.Said s) {
                String value = value(contact, s.column());
                if (value == null || value.isBlank()) continue;
                try {
                    clips.add(CompletableFuture.completedFuture(ivr.utterance(Ivr.say(language, s.as(), value))));
                } catch (RuntimeException e) {
                    clips.add(ivr.speak(value, language));
                }
            }
        }
        return CompletableFuture.allOf(clips.toArray(CompletableFuture[]::new)).thenApply(x -> {
            List<AudioClip> all = new ArrayList<>();
            for (CompletableFuture<AudioClip> c : clips) {
                if (!all.isEmpty()) all.add(GAP);
                all.add(c.join());
            }
            return new PlaybackRequest.Item.Clip(AudioClip.concat(all));
        });
    }

    private static String value(CampaignStore.Contact c, String column) {
        return switch (column) {
            case "name" -> c.name();
            case "number" -> c.number();
            default -> c.vars().get(column);
        };
    }
}
