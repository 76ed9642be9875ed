package dev.hotline.fax;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where a fax stands. Outbound: queued, then sending once the call is placed, then sent (every page confirmed) or
 * failed; inbound: receiving from the answer, then received or failed. Each names the states it may move to.
 */
public enum FaxStatus {
    QUEUED, SENDING, SENT, RECEIVING, RECEIVED, FAILED;

    private Set<FaxStatus> next;

    static {
        QUEUED.next = EnumSet.of(SENDING, FAILED);
        SENDING.next = EnumSet.of(SENT, FAILED);
        RECEIVING.next = EnumSet.of(RECEIVED, FAILED);
        SENT.next = EnumSet.noneOf(FaxStatus.class);
        RECEIVED.next = EnumSet.noneOf(FaxStatus.class);
        FAILED.next = EnumSet.noneOf(FaxStatus.class);
    }

    @JsonValue
    public String key() {
        return name().toLowerCase();
    }

    static FaxStatus of(String key) {
        return valueOf(key.toUpperCase());
    }

    /** {@code to}, or an exception when a fax cannot go there from here. */
    FaxStatus moveTo(FaxStatus to) {
        if (!next.contains(to)) {
            throw new IllegalStateException("fax status " + this + " cannot become " + to);
        }
        return to;
    }

    boolean ended() {
        return next.isEmpty();
    }
}
