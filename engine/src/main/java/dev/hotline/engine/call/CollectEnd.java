package dev.hotline.engine.call;

/** Why a digit collection ended. */
public enum CollectEnd {
    /** The maximum number of digits was reached. */
    MAX_DIGITS,
    /** The terminator key was pressed (it is not part of the digits). */
    TERMINATOR,
    /** No key within the first-digit timeout. */
    FIRST_DIGIT_TIMEOUT,
    /** No further key within the inter-digit timeout. */
    INTER_DIGIT_TIMEOUT,
    /** Replaced by a newer collection, or cancelled. */
    CANCELLED,
    /** The channel hung up. */
    HANGUP
}
