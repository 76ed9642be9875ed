package dev.hotline.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * The rated charge of one answered call leg through a trunk (RPT-5). Unrated (no rate matched the number, or the trunk has
 * no rate table): {@code rate}, {@code currency} and {@code amount} are null and nothing is billed, but the call is kept.
 */
public record Charge(String callId, String legId, String trunk, String number, Instant answeredAt, Instant endedAt, int talkSeconds,
                     Long agentUserId, Long departmentId, String currency, Rate rate, int billedSeconds, BigDecimal amount) {

    public boolean rated() {
        return rate != null;
    }

    /**
     * Rates a leg that talked from {@code answeredAt} to {@code endedAt} (every second begun counts) with the trunk's
     * {@code table}, if it has one.
     */
    public static Charge rate(String callId, String legId, String trunk, String number, Instant answeredAt, Instant endedAt,
                              Long agentUserId, Long departmentId, Optional<RateTable> table) {
        long ms = Math.max(0, endedAt.toEpochMilli() - answeredAt.toEpochMilli());
        int talk = (int) ((ms + 999) / 1000);
        return rate(callId, legId, trunk, number, answeredAt, endedAt, talk, agentUserId, departmentId, table);
    }

    /** Rates {@code talkSeconds} of talk (also used to rate a stored charge again after its rates changed). */
    public static Charge rate(String callId, String legId, String trunk, String number, Instant answeredAt, Instant endedAt,
                              int talkSeconds, Long agentUserId, Long departmentId, Optional<RateTable> table) {
        Optional<Rate> rate = table.flatMap(t -> t.match(number));
        if (rate.isEmpty()) {
            return new Charge(callId, legId, trunk, number, answeredAt, endedAt, talkSeconds, agentUserId, departmentId, null, null, 0, null);
        }
        Rate r = rate.get();
        int billed = r.billedSeconds(talkSeconds);
        return new Charge(callId, legId, trunk, number, answeredAt, endedAt, talkSeconds, agentUserId, departmentId,
                table.get().currency(), r, billed, r.amount(billed));
    }
}
