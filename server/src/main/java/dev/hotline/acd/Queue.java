package dev.hotline.acd;

import java.util.Arrays;
import java.util.Optional;

/** A call queue (座席组) of one enterprise with its ring strategy and its ACD settings. */
public record Queue(long id, String name, Strategy strategy, String description, QueueSettings settings) {

    public Queue {
        settings = settings == null ? QueueSettings.DEFAULTS : settings;
    }

    /** Ring strategies of ACD-1 (see {@link Strategies} for what each does). */
    public enum Strategy {
        RING_ALL, RANDOM, ROUND_ROBIN, LINEAR, LINEAR_CONTINUE, FEWEST_CALLS, FEWEST_ANSWERED, LONGEST_IDLE;

        @com.fasterxml.jackson.annotation.JsonValue
        public String key() {
            return name().toLowerCase();
        }

        public static Optional<Strategy> parse(String s) {
            return Arrays.stream(values()).filter(v -> v.key().equals(s)).findFirst();
        }
    }
}
