package dev.hotline.campaign;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.hotline.domain.DomainException;
import java.util.Arrays;
import java.util.Set;

/** A campaign's life: made (draft), dialling (running), held (paused), finished for good (stopped). */
public enum CampaignState {
    DRAFT("draft"), RUNNING("running"), PAUSED("paused"), STOPPED("stopped");

    private final String key;

    CampaignState(String key) {
        this.key = key;
    }

    @JsonValue
    public String key() {
        return key;
    }

    /** The states this one may move to. */
    public Set<CampaignState> next() {
        return switch (this) {
            case DRAFT -> Set.of(RUNNING, STOPPED);
            case RUNNING -> Set.of(PAUSED, STOPPED);
            case PAUSED -> Set.of(RUNNING, STOPPED);
            case STOPPED -> Set.of();
        };
    }

    /** The state after moving to {@code target}; an illegal move is refused (409). */
    public CampaignState moveTo(CampaignState target) {
        if (!next().contains(target)) throw DomainException.conflict("a " + key + " campaign cannot become " + target.key);
        return target;
    }

    /** API-2: the campaign event of moving into this state: {@code campaign.started}, {@code .paused} or {@code .finished}. */
    public String eventAction() {
        return switch (this) {
            case RUNNING -> "started";
            case PAUSED -> "paused";
            case STOPPED -> "finished";
            case DRAFT -> throw new IllegalStateException("no campaign moves back to draft");
        };
    }

    /** Whether the list and settings may still change (not while dialling, never once stopped). */
    public boolean editable() {
        return this == DRAFT || this == PAUSED;
    }

    public static CampaignState of(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown campaign state " + key));
    }
}
