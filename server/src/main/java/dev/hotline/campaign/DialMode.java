package dev.hotline.campaign;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** How a campaign dials (OUT-1, OUT-2). */
public enum DialMode {
    /** The agent sees the record first and dials or skips it. */
    PREVIEW("preview"),
    /** One call per ready agent. */
    PROGRESSIVE("progressive"),
    /** Calls paced ahead of agents from the measured answer rate and handle time, under the abandon-rate cap. */
    PREDICTIVE("predictive"),
    /** No agent: a recorded or spoken message, a key collected as the answer (OUT-2). */
    NOTIFICATION("notification"),
    /** No call: every number gets the campaign's SMS through the enterprise's SMS gateway (MSG-3). */
    SMS("sms");

    private final String key;

    DialMode(String key) {
        this.key = key;
    }

    @JsonValue
    public String key() {
        return key;
    }

    /** Whether answered calls go to agents (notification campaigns only pass a caller who asks for one). */
    public boolean needsAgents() {
        return this != NOTIFICATION && this != SMS;
    }

    /** Whether the campaign places calls (through a trunk or route, showing its caller IDs). */
    public boolean calls() {
        return this != SMS;
    }

    public static Optional<DialMode> parse(String s) {
        return Arrays.stream(values()).filter(m -> m.key.equals(s)).findFirst();
    }
}
