package dev.hotline.engine.call;

/** The identity presented on an outbound leg: From user part and display name (RFC 3261 §8.1.1.3). */
public record CallerId(String user, String displayName) {
    public CallerId {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("caller id user is required");
        }
        displayName = displayName == null ? "" : displayName;
    }

    public static CallerId of(String user) {
        return new CallerId(user, "");
    }
}
