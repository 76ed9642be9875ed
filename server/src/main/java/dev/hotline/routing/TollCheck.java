package dev.hotline.routing;

import java.util.Optional;

/** SEC-1: whether an enterprise may call a number out through a trunk now; the reason when it may not. Answered from memory. */
public interface TollCheck {
    TollCheck NONE = (enterpriseId, number) -> Optional.empty();

    Optional<String> refusal(long enterpriseId, String number);
}
