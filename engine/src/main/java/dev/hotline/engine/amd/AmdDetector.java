package dev.hotline.engine.amd;

import java.util.ArrayList;
import java.util.List;

/**
 * Answering-machine detection by energy and word timing, the algorithm of Asterisk's {@code AMD()}
 * (apps/app_amd.c, whose parameter names {@link AmdParams} keeps), fed one 20 ms frame of 8 kHz 16-bit PCM at a
 * time, plus a {@link BeepDetector}.
 *
 * <p>Each frame is silent when its mean absolute sample is below {@code silenceThreshold} (Asterisk's
 * {@code ast_dsp_silence}) or, with {@code noiseAdaptDb > 0}, less than that many dB above the noise floor. Then,
 * as in app_amd.c:
 * <ul>
 *   <li>silence of {@code betweenWordsSilenceMs} ends a word; silence of {@code initialSilenceMs} before any word
 *       ends the analysis (INITIALSILENCE); silence of {@code afterGreetingSilenceMs} after the first word gives
 *       HUMAN;</li>
 *   <li>voice of {@code minWordLengthMs} after a silence is a new word (the first word starts the greeting);
 *       {@code maxWords} words give MACHINE / MAXWORDS, a word of {@code maxWordLengthMs} MACHINE / MAXWORDLENGTH,
 *       {@code greetingMs} of speech in the greeting MACHINE / LONGGREETING;</li>
 *   <li>{@code totalAnalysisMs} without a decision gives NOTSURE / TOOLONG.</li>
 * </ul>
 * Two departures from Asterisk: a silent line gives NOTSURE, not MACHINE (a person who waits for the caller to
 * speak first is not a machine, and hanging up on a person counts as an abandoned call; the campaign decides what
 * NOTSURE does), and a beep heard before any decision gives MACHINE / BEEP.
 *
 * <p>After a MACHINE decision with {@code beepWaitMs > 0} the detector keeps listening until the beep has ended or
 * {@code beepWaitMs} has passed, so that a message can be left after the beep; {@link #done()} tells when the result
 * is final.
 *
 * <p>One instance per analysis, not thread-safe; {@link #process} allocates nothing.
 */
public final class AmdDetector {
    public static final int FRAME_SAMPLES = 160;
    public static final int FRAME_MS = 20;
    private static final int MAX_WORDS_KEPT = 64;
    /** The noise floor follows a quieter frame at once and a louder line by 3 dB per second. */
    private static final double FLOOR_RISE = Math.pow(10, 3.0 / 20 / (1000.0 / FRAME_MS));

    private final AmdParams p;
    private final BeepDetector beep;
    private final double adaptRatio;
    private final int[] wordLengths = new int[MAX_WORDS_KEPT];
    private int wordsKept;

    private int totalMs;
    private int silenceMs;
    private int voiceMs;
    private int consecutiveVoiceMs;
    private int words;
    private boolean inWord = true; // app_amd.c starts in STATE_IN_WORD
    private boolean inInitialSilence = true;
    private boolean inGreeting;
    private int greetingStartMs = -1;
    private double floor = -1;

    private AmdCause cause;
    private int decidedAtMs;
    private int decidedGreetingMs;
    private int decidedWords;
    private int decidedWordsKept;
    private boolean done;
    private AmdResult result;

    public AmdDetector(AmdParams params) {
        this.p = params;
        this.beep = new BeepDetector(params.beepMinMs());
        this.adaptRatio = Math.pow(10, params.noiseAdaptDb() / 20.0);
    }

    public AmdParams params() {
        return p;
    }

    /**
     * Feeds the next 20 ms ({@value #FRAME_SAMPLES} samples from {@code off}).
     *
     * @return true when the result is final ({@link #result()}); later frames are ignored
     */
    public boolean process(short[] pcm, int off) {
        if (done) {
            return true;
        }
        int at = totalMs;
        totalMs += FRAME_MS;
        beep.process(pcm, off, at);
        if (cause == null) {
            analyse(pcm, off);
            if (cause == null && beep.found()) {
                decide(AmdCause.BEEP);
            }
        }
        if (cause != null) {
            boolean waitBeep = cause.status() == AmdStatus.MACHINE && p.beepWaitMs() > 0;
            if (!waitBeep || beep.ended() || totalMs - decidedAtMs >= p.beepWaitMs()) {
                finish(cause);
            }
        }
        return done;
    }

    /** Feeds {@code samples} frame by frame (a trailing part frame is ignored); returns {@link #done()}. */
    public boolean processAll(short[] samples) {
        for (int off = 0; off + FRAME_SAMPLES <= samples.length && !done; off += FRAME_SAMPLES) {
            process(samples, off);
        }
        return done;
    }

    /** True when the result is final. */
    public boolean done() {
        return done;
    }

    /** True once HUMAN, MACHINE or NOTSURE is decided (the beep may still be awaited). */
    public boolean decided() {
        return cause != null;
    }

    /** The final result, null until {@link #done()}. */
    public AmdResult result() {
        return result;
    }

    /**
     * Ends the analysis now (the leg hung up, or the audio ran out): the decision taken so far, else HANGUP; the beep
     * as heard so far. Returns the final result.
     */
    public AmdResult stop() {
        if (!done) {
            finish(cause == null ? AmdCause.HANGUP : cause);
        }
        return result;
    }

    private void analyse(short[] pcm, int off) {
        if (totalMs >= p.totalAnalysisMs()) {
            decide(AmdCause.TOOLONG);
            return;
        }
        if (silent(pcm, off)) {
            silenceMs += FRAME_MS;
            if (silenceMs >= p.betweenWordsSilenceMs()) {
                if (inWord && consecutiveVoiceMs >= p.minWordLengthMs()) {
                    keepWord(consecutiveVoiceMs);
                }
                inWord = false;
                consecutiveVoiceMs = 0;
            }
            if (inInitialSilence && silenceMs >= p.initialSilenceMs()) {
                decide(AmdCause.INITIALSILENCE);
            } else if (inGreeting && silenceMs >= p.afterGreetingSilenceMs()) {
                decide(AmdCause.HUMAN);
            }
            return;
        }
        silenceMs = 0;
        consecutiveVoiceMs += FRAME_MS;
        voiceMs += FRAME_MS;
        if (consecutiveVoiceMs >= p.minWordLengthMs() && !inWord) {
            words++;
            inWord = true;
        }
        if (!inGreeting && consecutiveVoiceMs >= p.minWordLengthMs()) {
            inInitialSilence = false;
            inGreeting = true;
            greetingStartMs = totalMs - consecutiveVoiceMs;
        }
        if (consecutiveVoiceMs >= p.maxWordLengthMs()) {
            decide(AmdCause.MAXWORDLENGTH);
        } else if (words >= p.maxWords()) {
            decide(AmdCause.MAXWORDS);
        } else if (inGreeting && voiceMs >= p.greetingMs()) {
            decide(AmdCause.LONGGREETING);
        }
    }

    private boolean silent(short[] pcm, int off) {
        int sum = 0;
        for (int i = off, end = off + FRAME_SAMPLES; i < end; i++) {
            int x = pcm[i];
            sum += x < 0 ? -x : x;
        }
        double level = sum / (double) FRAME_SAMPLES;
        if (p.noiseAdaptDb() == 0) {
            return level < p.silenceThreshold();
        }
        floor = floor < 0 ? level : Math.min(level, floor * FLOOR_RISE);
        return level < p.silenceThreshold() || level < floor * adaptRatio;
    }

    private void keepWord(int ms) {
        if (wordsKept < MAX_WORDS_KEPT) {
            wordLengths[wordsKept++] = ms;
        }
    }

    private void decide(AmdCause c) {
        cause = c;
        decidedAtMs = totalMs;
        decidedGreetingMs = voiceMs;
        decidedWords = words;
        if (inWord && consecutiveVoiceMs >= p.minWordLengthMs()) {
            keepWord(consecutiveVoiceMs); // the word being spoken when the decision came
        }
        decidedWordsKept = wordsKept;
    }

    private void finish(AmdCause c) {
        if (cause == null) {
            decide(c);
        }
        List<Integer> lengths = new ArrayList<>(decidedWordsKept);
        for (int i = 0; i < decidedWordsKept; i++) {
            lengths.add(wordLengths[i]);
        }
        int initial = greetingStartMs >= 0 ? greetingStartMs : -1;
        result = new AmdResult(c.status(), c, decidedAtMs, initial, decidedGreetingMs, decidedWords, lengths, totalMs,
                beep.startMs(), beep.endMs(), beep.hz(), p);
        done = true;
    }
}
