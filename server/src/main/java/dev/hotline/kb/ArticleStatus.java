package dev.hotline.kb;

import dev.hotline.domain.DomainException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** An article's review state (BIZ-3): draft → in review → published or rejected; {@link #moveTo} refuses anything else. */
public enum ArticleStatus {
    DRAFT("draft"), IN_REVIEW("in_review"), PUBLISHED("published"), REJECTED("rejected");

    private final String key;

    ArticleStatus(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    Set<ArticleStatus> next() {
        return switch (this) {
            case DRAFT, REJECTED -> EnumSet.of(IN_REVIEW);
            case IN_REVIEW -> EnumSet.of(PUBLISHED, REJECTED);
            case PUBLISHED -> EnumSet.of(DRAFT);
        };
    }

    public ArticleStatus moveTo(ArticleStatus to) {
        if (!next().contains(to)) throw DomainException.conflict("an article cannot go from " + key + " to " + to.key, "status", "not allowed from " + key);
        return to;
    }

    public static Optional<ArticleStatus> parse(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }
}
