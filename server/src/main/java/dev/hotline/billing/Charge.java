package dev.hotline.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The rated charge of one answered call leg through a trunk (RPT-5): a leg dialled out ({@code direction} outbound, the number
 * dialled) or a call that came in through a trunk whose inbound calls have a rate table (inbound, the number called). Unrated
 * (no rate matched the number, or the trunk has no rate table): {@code rate}, {@code currency} and {@code amount} are null
 * and nothing is billed, but the call is kept. The rate's {@link Rate#period() period} is the one it was chosen for.
 */
public record Charge(String callId, String legId, String trunk, String number, Instant answeredAt, Instant endedAt, int talkSeconds,
                     Long agentUserId, Long departmentId, String currency, Rate rate, int billedSeconds, BigDecimal amount, String direction) {

    public Charge {
        direction = direction == null ? RateTable.OUTBOUND : direction;
    }

    public boolean rated() {
        return rate != null;
    }

    /** The period of the rate (null: a rate for any time, or unrated). */
    public String period() {
        return rate == null ? null : rate.period();
    }

    /**
     * Rates an outbound leg that talked from {@code answeredAt} to {@code endedAt} (every second begun counts) with the trunk's
     * {@code table}, if it has one; periods in UTC.
     */
    public static Charge rate(String callId, String legId, String trunk, String number, Instant answeredAt, Instant endedAt,
                              Long agentUserId, Long departmentId, Optional<RateTable> table) {
        return rate(callId, legId, RateTable.OUTBOUND, trunk, number, answeredAt, endedAt, talk(answeredAt, endedAt), agentUserId,
                departmentId, table, ZoneOffset.UTC);
    }

    /** Rates {@code talkSeconds} of an outbound leg's talk; periods in UTC. */
    public static Charge rate(String callId, String legId, String trunk, String number, Instant answeredAt, Instant endedAt,
                              int talkSeconds, Long agentUserId, Long departmentId, Optional<RateTable> table) {
        return rate(callId, legId, RateTable.OUTBOUND, trunk, number, answeredAt, endedAt, talkSeconds, agentUserId, departmentId, table,
                ZoneOffset.UTC);
    }

    /** Whole seconds from answer to end, every second begun counts. */
    static int talk(Instant answeredAt, Instant endedAt) {
        long ms = Math.max(0, endedAt.toEpochMilli() - answeredAt.toEpochMilli());
        return (int) ((ms + 999) / 1000);
    }

    /**
     * Rates {@code talkSeconds} of talk of a leg in {@code direction} (also used to rate a stored charge again after its rates
     * changed): the table's period is chosen by the answer time (when billing starts) in {@code zone}, the enterprise's.
     */
    public static Charge rate(String callId, String legId, String direction, String trunk, String number, Instant answeredAt,
                              Instant endedAt, int talkSeconds, Long agentUserId, Long departmentId, Optional<RateTable> table, ZoneId zone) {
        Optional<RateTable.Match> match = table.flatMap(t -> t.matchAt(number, answeredAt, zone));
        if (match.isEmpty()) {
            return new Charge(callId, legId, trunk, number, answeredAt, endedAt, talkSeconds, agentUserId, departmentId, null, null, 0, null,
                    direction);
        }
        Rate r = match.get().rate();
        int billed = r.billedSeconds(talkSeconds);
        return new Charge(callId, legId, trunk, number, answeredAt, endedAt, talkSeconds, agentUserId, departmentId,
                table.get().currency(), r, billed, r.amount(billed), direction);
    }
}
