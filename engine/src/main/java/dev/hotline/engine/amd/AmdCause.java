package dev.hotline.engine.amd;

/** Why the detector decided, as Asterisk's AMD() reports it in {@code AMDCAUSE} (plus {@link #BEEP}). */
public enum AmdCause {
    /** Nobody spoke within {@code initialSilenceMs}. Asterisk: MACHINE; here NOTSURE (see {@link AmdDetector}). */
    INITIALSILENCE(AmdStatus.NOTSURE),
    /** A greeting, then {@code afterGreetingSilenceMs} of silence: a person waiting for an answer. */
    HUMAN(AmdStatus.HUMAN),
    /** The greeting's speech reached {@code greetingMs}. */
    LONGGREETING(AmdStatus.MACHINE),
    /** One word reached {@code maxWordLengthMs}. */
    MAXWORDLENGTH(AmdStatus.MACHINE),
    /** The greeting reached {@code maxWords} words. */
    MAXWORDS(AmdStatus.MACHINE),
    /** A steady tone (a recorder's beep) was heard before any other decision. Not in Asterisk. */
    BEEP(AmdStatus.MACHINE),
    /** {@code totalAnalysisMs} passed without a decision. */
    TOOLONG(AmdStatus.NOTSURE),
    /** The leg ended first. */
    HANGUP(AmdStatus.HANGUP);

    private final AmdStatus status;

    AmdCause(AmdStatus status) {
        this.status = status;
    }

    /** The status this cause gives. */
    public AmdStatus status() {
        return status;
    }
}
