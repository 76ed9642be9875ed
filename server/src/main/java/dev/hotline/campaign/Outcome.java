package dev.hotline.campaign;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** How one attempt at a number ended. The first four may be retried per the campaign's settings. */
public enum Outcome {
    BUSY("busy", true), NO_ANSWER("no_answer", true), MACHINE("machine", true), FAILED("failed", true),
    /** A person answered and was served (an agent, or the whole notification). */
    ANSWERED("answered", false),
    /** A person answered and no agent took the call within 2 s: counts in the abandon rate; not dialled again for 72 h. */
    ABANDONED("abandoned", false),
    /** The agent skipped the record in preview, or the number was on the do-not-call list when its turn came. */
    SKIPPED("skipped", false),
    /** An SMS campaign queued the number's SMS (MSG-3); how it went is the message's state. */
    SMS("sms", false);

    private final String key;
    private final boolean retryable;

    Outcome(String key, boolean retryable) {
        this.key = key;
        this.retryable = retryable;
    }

    @JsonValue
    public String key() {
        return key;
    }

    public boolean retryable() {
        return retryable;
    }

    public static Optional<Outcome> parse(String s) {
        return Arrays.stream(values()).filter(o -> o.key.equals(s)).findFirst();
    }
}
