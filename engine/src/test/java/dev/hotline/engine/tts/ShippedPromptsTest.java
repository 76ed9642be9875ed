package dev.hotline.engine.tts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.junit.jupiter.api.Test;

/** The prompt files committed under src/main/resources/prompts: complete, valid, audible, small. */
class ShippedPromptsTest {
    private static final Path PROMPTS = Path.of("src/main/resources/prompts");
    /** -35 dBFS: speech normalised to -3 dBFS peak is far above it; silence or a broken file is far below. */
    private static final double RMS_FLOOR = 32768 * Math.pow(10, -35 / 20.0);

    @Test
    void everyKeyHasAFileInBothLanguagesAndNoFileIsUnlisted() throws IOException {
        for (Language language : Language.values()) {
            Set<String> expected = new HashSet<>();
            for (PromptKey key : PromptKey.values()) {
                expected.add(key.fileName() + ".wav");
                assertThat(PromptLibrary.class.getResource(PromptLibrary.resourcePath(language, key)))
                        .as("classpath %s", PromptLibrary.resourcePath(language, key)).isNotNull();
            }
            Set<String> actual = new HashSet<>();
            try (Stream<Path> files = Files.list(PROMPTS.resolve(language.code()))) {
                files.forEach(f -> actual.add(f.getFileName().toString()));
            }
            assertThat(actual).as("files in prompts/%s", language.code()).isEqualTo(expected);
        }
    }

    @Test
    void everyKeySayProducesIsShipped() {
        // Exercise Say broadly and collect the keys it produces; each must load from the library in both languages.
        Set<PromptKey> produced = EnumSet.noneOf(PromptKey.class);
        for (Language language : Language.values()) {
            Say say = Say.in(language);
            List<Utterance> all = new ArrayList<>();
            for (long n : new long[] {0, 1, 2, 7, 10, 11, 12, 15, 19, 20, 21, 99, 100, 101, 110, 200, 999, 1000, 1010,
                    2000, 10000, 12000, 20000, 100000, 100010, 1000000, 2000000, 12345678, 99999999, -5}) {
                all.add(say.number(n));
            }
            for (int n = 0; n <= 100; n++) {
                all.add(say.number(n));
            }
            all.add(say.digits("0123456789*#"));
            all.add(say.digits("1", false));
            all.add(say.decimal(new BigDecimal("-3.14")));
            for (String a : new String[] {"0", "1", "2", "0.01", "0.2", "12.05", "12.30", "1.01", "-3"}) {
                all.add(say.amount(new BigDecimal(a), Say.Currency.CNY));
                all.add(say.amount(new BigDecimal(a), Say.Currency.USD));
            }
            LocalDate d = LocalDate.of(1905, 1, 1);
            for (int i = 0; i < 400; i++) {
                all.add(say.date(d.plusDays(i * 29L).plusYears(i / 4), true));
            }
            for (int h = 0; h < 24; h++) {
                all.add(say.time(LocalTime.of(h, h * 2 % 60)));
                all.add(say.time(LocalTime.of(h, 0)));
            }
            for (int s : new int[] {0, 1, 2, 61, 3600, 7322, 86399}) {
                all.add(say.duration(Duration.ofSeconds(s)));
            }
            all.add(say.queuePosition(3));
            all.add(say.expectedWait(Duration.ofMinutes(1)));
            all.add(say.expectedWait(Duration.ofMinutes(2)));
            all.forEach(u -> produced.addAll(u.keys()));
            all.forEach(u -> assertThat(PromptLibrary.shipped().render(u)).isNotEmpty());
        }
        for (PromptKey key : produced) {
            for (Language language : Language.values()) {
                assertThat(PromptLibrary.class.getResource(PromptLibrary.resourcePath(language, key))).isNotNull();
            }
        }
        // Say covers the whole numeric vocabulary.
        assertThat(produced).contains(PromptKey.LIANG, PromptKey.YAO, PromptKey.TEN_THOUSAND, PromptKey.MILLION,
                PromptKey.OH, PromptKey.ORD30, PromptKey.N90, PromptKey.SUNDAY, PromptKey.DECEMBER);
    }

    @Test
    void everyFileIsAudible8kMonoAndTrimmed() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Language language : Language.values()) {
            for (PromptKey key : PromptKey.values()) {
                String path = PromptLibrary.resourcePath(language, key);
                AudioFormat format;
                try (InputStream in = new BufferedInputStream(PromptLibrary.class.getResourceAsStream(path))) {
                    format = AudioSystem.getAudioFileFormat(in).getFormat();
                } catch (UnsupportedAudioFileException e) {
                    problems.add(path + ": not a WAV file");
                    continue;
                }
                boolean ulaw = format.getEncoding().equals(AudioFormat.Encoding.ULAW)
                        && format.getSampleSizeInBits() == 8;
                boolean pcm16 = format.getEncoding().equals(AudioFormat.Encoding.PCM_SIGNED)
                        && format.getSampleSizeInBits() == 16;
                if (format.getSampleRate() != 8000 || format.getChannels() != 1 || !(ulaw || pcm16)) {
                    problems.add(path + ": " + format);
                }
                short[] s = PromptLibrary.shipped().clip(language, key);
                double rms = rms(s, 0, s.length);
                long ms = WavIo.millis(s);
                if (rms < RMS_FLOOR) {
                    problems.add(path + ": too quiet, RMS " + Math.round(rms));
                }
                // Phrases are short; the demo hotline's two whole sentences (menu, night message) and the survey's
                // questions (MSG-4) run up to 12 s.
                long longest = key.name().startsWith("DEMO_") || key.name().startsWith("SURVEY_") ? 12_000 : 4000;
                if (ms < 150 || ms > longest) {
                    problems.add(path + ": odd duration " + ms + " ms");
                }
                if (!key.isTone() && (leadingQuietMillis(s) > 50 || leadingQuietMillis(reverse(s)) > 50)) {
                    problems.add(path + ": not trimmed (" + leadingQuietMillis(s) + " ms quiet at the start, "
                            + leadingQuietMillis(reverse(s)) + " ms at the end)");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void promptsAreSmall() throws IOException {
        long total;
        try (Stream<Path> files = Files.walk(PROMPTS)) {
            total = files.filter(f -> f.toString().endsWith(".wav")).mapToLong(f -> f.toFile().length()).sum();
        }
        assertThat(total).isLessThan(3_000_000L);
    }

    @Test
    void phraseListMatchesTheEnum() throws IOException {
        List<String> expected = new ArrayList<>();
        for (PromptKey key : PromptKey.values()) {
            expected.add(key.fileName() + "\t" + key.text(Language.ZH) + "\t" + key.text(Language.EN));
        }
        List<String> lines = Files.readAllLines(PROMPTS.resolve("phrases.tsv"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .toList();
        assertThat(lines).containsExactlyElementsOf(expected);
        assertThat(PromptKey.fromFileName("you_are_number")).isEqualTo(PromptKey.YOU_ARE_NUMBER);
    }

    @Test
    void generatorScriptIsCommittedAndDocumented() throws IOException {
        String script = Files.readString(PROMPTS.resolve("generate.sh"));
        assertThat(script).contains("espeak-ng").contains("by hand").contains("phrases.tsv");
        assertThat(PROMPTS.resolve("generate.sh").toFile().canExecute()).isTrue();
    }

    @Test
    void libraryConcatenatesWithGaps() {
        PromptLibrary lib = PromptLibrary.shipped();
        Utterance u = Say.in(Language.ZH).number(105);
        int sum = 0;
        for (PromptKey k : u.keys()) {
            sum += lib.clip(Language.ZH, k).length;
        }
        short[] joined = lib.render(u);
        int gap = (int) (PromptLibrary.DEFAULT_GAP.toMillis() * 8);
        assertThat(joined).hasSize(sum + gap * (u.keys().size() - 1));
        assertThat(lib.render(u, Duration.ZERO)).hasSize(sum);
        assertThat(lib.render(Utterance.of(Language.EN))).isEmpty();
        // Clips are copies: changing one does not change the library.
        short[] one = lib.clip(Language.EN, PromptKey.N1);
        one[0] = 12345;
        assertThat(lib.clip(Language.EN, PromptKey.N1)[0]).isNotEqualTo((short) 12345);
        assertThat(PromptLibrary.shipped()).isSameAs(lib);
    }

    static double rms(short[] s, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) s[i] * s[i];
        }
        return to > from ? Math.sqrt(sum / (to - from)) : 0;
    }

    /** Milliseconds before the first sample above -50 dBFS (the threshold generate.sh trims at). */
    private static long leadingQuietMillis(short[] s) {
        int i = 0;
        while (i < s.length && Math.abs(s[i]) < 104) {
            i++;
        }
        return i * 1000L / 8000;
    }

    private static short[] reverse(short[] s) {
        short[] r = new short[s.length];
        for (int i = 0; i < s.length; i++) {
            r[i] = s[s.length - 1 - i];
        }
        return r;
    }
}
