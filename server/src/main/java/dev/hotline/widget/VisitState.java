package dev.hotline.widget;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Set;

/** Where a visitor's widget call stands, as the widget shows it. */
public enum VisitState {
    /** The browser's media connection is being set up and the call placed. */
    CONNECTING,
    /** In the queue, hearing the queue's music, until an agent answers. */
    QUEUED,
    /** Bridged with an agent. */
    TALKING,
    /** Over (either side hung up, the queue gave up, or the browser went away). */
    ENDED;

    /** The states this one may move to. */
    Set<VisitState> next() {
        return switch (this) {
            case CONNECTING -> Set.of(QUEUED, ENDED);
            // An agent's transfer back into a queue unbridges the call: waiting again.
            case QUEUED -> Set.of(TALKING, ENDED);
            case TALKING -> Set.of(QUEUED, ENDED);
            case ENDED -> Set.of();
        };
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
