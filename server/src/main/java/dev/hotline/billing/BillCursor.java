package dev.hotline.billing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Where a page of the detailed bill ends (RPT-5, keyset paging): the last row's answer time, call and leg, in the order of the
 * index {@code ix_call_charge_bill}; the next page is the rows after it, so every page costs as the first whatever its depth.
 * Travels as an opaque text (base64url of the three values), the API's {@code page.next} and its parameter {@code after}.
 */
public record BillCursor(Instant answeredAt, String callId, String legId) {
    public BillCursor {
        if (answeredAt == null || callId == null || legId == null) throw new IllegalArgumentException("incomplete cursor");
    }

    /** The cursor after {@code c}. */
    static BillCursor after(Charge c) {
        return new BillCursor(c.answeredAt(), c.callId(), c.legId());
    }

    public String text() {
        String plain = answeredAt + "\n" + callId + "\n" + legId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a text of {@link #text()} holds; empty when it is not one. */
    public static Optional<BillCursor> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 400) return Optional.empty();
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length != 3 || parts[1].isEmpty() || parts[2].isEmpty()) return Optional.empty();
            return Optional.of(new BillCursor(Instant.parse(parts[0]), parts[1], parts[2]));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }
}
