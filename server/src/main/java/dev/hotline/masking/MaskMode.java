package dev.hotline.masking;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.function.Supplier;

/** How a masked viewer sees an outside number (CRM-5, docs/masking.md). */
public enum MaskMode {
    /** The number as it is. */
    OFF {
        @Override
        String apply(String number, Supplier<String> name) {
            return number;
        }
    },
    /** The first 3 and the last 4 digits kept, the digits between them starred: 13800000001 → 138****0001. */
    MIDDLE {
        @Override
        String apply(String number, Supplier<String> name) {
            String digits = number.replaceAll("\\D", "");
            return digits.substring(0, 3) + "*".repeat(digits.length() - 7) + digits.substring(digits.length() - 4);
        }
    },
    /** The customer's name when a customer has the number, else {@link #PLACEHOLDER}: never a digit. */
    NAME {
        @Override
        String apply(String number, Supplier<String> name) {
            String n = name.get();
            return n == null || n.isBlank() || n.chars().anyMatch(Character::isDigit) ? PLACEHOLDER : n;
        }
    };

    /** What NAME shows for a number no customer has (no digits, the same in every language). */
    public static final String PLACEHOLDER = "****";

    /** The number as a masked viewer sees it ({@code name} is asked only by NAME). */
    abstract String apply(String number, Supplier<String> name);

    @JsonValue
    public String key() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static MaskMode parse(String key) {
        return key == null ? null : Arrays.stream(values()).filter(m -> m.key().equals(key)).findFirst().orElse(null);
    }
}
