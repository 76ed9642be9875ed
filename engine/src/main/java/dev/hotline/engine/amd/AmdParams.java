package dev.hotline.engine.amd;

/**
 * The settings of answering-machine detection: those of Asterisk's {@code AMD()} application (apps/app_amd.c,
 * same names and meaning, in milliseconds) plus three of ours: {@code noiseAdaptDb}, {@code beepWaitMs} and
 * {@code beepMinMs}. The analysis works on 20 ms frames, so every duration is effectively rounded up to a multiple
 * of 20 ms. Out-of-range values are rejected with an {@link IllegalArgumentException} naming the parameter.
 *
 * @param initialSilenceMs longest silence before the greeting; longer gives NOTSURE / INITIALSILENCE
 * @param greetingMs longest greeting (speech time from the first word); reaching it gives MACHINE / LONGGREETING
 * @param afterGreetingSilenceMs silence after the greeting that gives HUMAN / HUMAN
 * @param totalAnalysisMs longest analysis; reaching it gives NOTSURE / TOOLONG
 * @param minWordLengthMs shortest run of voice counted as a word
 * @param betweenWordsSilenceMs shortest silence that ends a word
 * @param maxWords the word count that gives MACHINE / MAXWORDS
 * @param silenceThreshold a 20 ms frame is silent when its mean absolute sample is below this (16-bit PCM)
 * @param maxWordLengthMs the length of one word that gives MACHINE / MAXWORDLENGTH
 * @param noiseAdaptDb 0: the fixed threshold above, as Asterisk; otherwise a frame is also silent when it is
 *     less than this many dB above the line's noise floor (tracked from the quietest recent frames)
 * @param beepWaitMs after a MACHINE decision, how long to keep listening for the beep (0: not at all)
 * @param beepMinMs shortest steady tone (400..2000 Hz) taken as a beep
 */
public record AmdParams(int initialSilenceMs, int greetingMs, int afterGreetingSilenceMs, int totalAnalysisMs,
        int minWordLengthMs, int betweenWordsSilenceMs, int maxWords, int silenceThreshold, int maxWordLengthMs,
        int noiseAdaptDb, int beepWaitMs, int beepMinMs) {

    public AmdParams {
        range("initialSilenceMs", initialSilenceMs, 100, 30_000);
        range("greetingMs", greetingMs, 100, 30_000);
        range("afterGreetingSilenceMs", afterGreetingSilenceMs, 100, 10_000);
        range("totalAnalysisMs", totalAnalysisMs, 500, 60_000);
        range("minWordLengthMs", minWordLengthMs, 20, 2_000);
        range("betweenWordsSilenceMs", betweenWordsSilenceMs, 20, 2_000);
        range("maxWords", maxWords, 1, 100);
        range("silenceThreshold", silenceThreshold, 1, 32_767);
        range("maxWordLengthMs", maxWordLengthMs, 100, 60_000);
        range("noiseAdaptDb", noiseAdaptDb, 0, 40);
        range("beepWaitMs", beepWaitMs, 0, 120_000);
        range("beepMinMs", beepMinMs, 60, 2_000);
        if (minWordLengthMs > maxWordLengthMs) {
            throw new IllegalArgumentException("AMD parameter minWordLengthMs (" + minWordLengthMs
                    + ") must not exceed maxWordLengthMs (" + maxWordLengthMs + ")");
        }
        if (betweenWordsSilenceMs >= afterGreetingSilenceMs) {
            throw new IllegalArgumentException("AMD parameter betweenWordsSilenceMs (" + betweenWordsSilenceMs
                    + ") must be less than afterGreetingSilenceMs (" + afterGreetingSilenceMs + ")");
        }
    }

    private static void range(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("AMD parameter " + name + " must be " + min + ".." + max + ": " + value);
        }
    }

    /**
     * Asterisk's defaults (app_amd.c: 2500, 1500, 800, 5000, 100, 50, 3, 256, 5000), with a fixed silence threshold
     * and no beep wait.
     */
    public static AmdParams asterisk() {
        return new AmdParams(2500, 1500, 800, 5000, 100, 50, 3, 256, 5000, 0, 0, 120);
    }

    /**
     * Hotline's defaults, tuned on the labelled set of bench/run-amd.sh (docs/amd.md): Asterisk's, except words end
     * after 150 ms of silence (not 50: syllables are not words), 4 words (not 3) make a machine, and the silence
     * threshold follows the line's noise (8 dB above its floor); no beep wait.
     */
    public static AmdParams defaults() {
        return new AmdParams(2500, 1500, 800, 5000, 100, 150, 4, 256, 5000, 8, 0, 120);
    }

    public AmdParams withBeepWaitMs(int ms) {
        return new AmdParams(initialSilenceMs, greetingMs, afterGreetingSilenceMs, totalAnalysisMs, minWordLengthMs,
                betweenWordsSilenceMs, maxWords, silenceThreshold, maxWordLengthMs, noiseAdaptDb, ms, beepMinMs);
    }
}
