package dev.hotline.engine.amd;

/** What answered an outbound call, as Asterisk's AMD() reports it in {@code AMDSTATUS}. */
public enum AmdStatus {
    HUMAN,
    MACHINE,
    /** The analysis ended without a decision (time limit, silent line). */
    NOTSURE,
    /** The leg ended before a decision. */
    HANGUP
}
