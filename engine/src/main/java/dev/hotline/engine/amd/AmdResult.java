package dev.hotline.engine.amd;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one answering-machine detection, with the raw measures it was taken on.
 *
 * @param status HUMAN, MACHINE, NOTSURE or HANGUP
 * @param cause why
 * @param decidedAtMs when the decision was taken, from the start of the analysis
 * @param initialSilenceMs from the start to the first word, -1 if nobody spoke
 * @param greetingMs speech heard (Asterisk's voiceDuration) up to the decision
 * @param wordCount words counted (Asterisk's iWordsCount)
 * @param wordLengthsMs the length of each word heard, in order (at most 64; the last one may be cut by the decision)
 * @param totalMs audio analysed, beep wait included
 * @param beepStartMs start of the beep from the start of the analysis, -1 if none was found
 * @param beepEndMs end of the beep, -1 if none was found or it had not ended when the analysis stopped
 * @param beepHz the beep's frequency (to 25 Hz), 0 if none
 * @param params the settings used
 */
public record AmdResult(AmdStatus status, AmdCause cause, int decidedAtMs, int initialSilenceMs, int greetingMs,
        int wordCount, List<Integer> wordLengthsMs, int totalMs, int beepStartMs, int beepEndMs, int beepHz,
        AmdParams params) {

    public AmdResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(params, "params");
        wordLengthsMs = List.copyOf(wordLengthsMs);
    }

    public boolean beepFound() {
        return beepStartMs >= 0;
    }

    /** {@code HUMAN-800-800}, {@code MACHINE-LONGGREETING-1500-1500} style summary for logs and event data. */
    public String summary() {
        return status + " " + cause + " decided=" + decidedAtMs + " initialSilence=" + initialSilenceMs + " greeting="
                + greetingMs + " words=" + wordCount + " wordLengths=" + wordLengthsMs + " total=" + totalMs
                + (beepFound() ? " beep=" + beepStartMs + ".." + beepEndMs + "@" + beepHz + "Hz" : "");
    }
}
