package dev.hotline.crm;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Who besides its owner sees a customer (CRM-3). Holders of customer.manage see every customer of the enterprise.
 */
public enum Sharing {
    /** The owner only. */
    PRIVATE("private"),
    /** The owner and the users of the owner's department and of the departments under it. */
    DEPARTMENT("department"),
    /** Everyone of the enterprise holding customer.read. */
    ENTERPRISE("enterprise");

    private final String key;

    Sharing(String key) {
        this.key = key;
    }

    @JsonValue
    public String key() {
        return key;
    }

    public static Optional<Sharing> parse(String key) {
        if (key == null) return Optional.empty();
        String k = key.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.key.equals(k)).findFirst();
    }
}
