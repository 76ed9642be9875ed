package dev.hotline.contract;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.hotline.domain.DomainException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A contract's state (BIZ-4, seed 002 4.2.13): draft → active → expired or terminated; a draft may be abandoned
 * (terminated). Expired and terminated are final. {@link #moveTo} is the one place a state changes and it refuses
 * illegal moves.
 */
public enum ContractStatus {
    DRAFT("draft"), ACTIVE("active"), EXPIRED("expired"), TERMINATED("terminated");

    private final String key;

    ContractStatus(String key) {
        this.key = key;
    }

    @JsonValue
    public String key() {
        return key;
    }

    public Set<ContractStatus> next() {
        return switch (this) {
            case DRAFT -> EnumSet.of(ACTIVE, TERMINATED);
            case ACTIVE -> EnumSet.of(EXPIRED, TERMINATED);
            case EXPIRED, TERMINATED -> EnumSet.noneOf(ContractStatus.class);
        };
    }

    /** The state after a move to {@code to}, or a CONFLICT naming both states. */
    public ContractStatus moveTo(ContractStatus to) {
        if (!next().contains(to)) {
            throw DomainException.conflict("a contract cannot go from " + key + " to " + to.key, "status", "not allowed from " + key);
        }
        return to;
    }

    /** Whether its fields, orders and file may still change: not yet expired or terminated. */
    public boolean editable() {
        return this == DRAFT || this == ACTIVE;
    }

    /** Only a draft is deleted; a contract that was in force is terminated instead, and kept. */
    public boolean deletable() {
        return this == DRAFT;
    }

    public static Optional<ContractStatus> parse(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }
}
