package dev.hotline.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * The rated charge of one answered call leg through a trunk (RPT-5): a leg dialled out ({@code direction} outbound, the number
 * dialled) or a call that came in through a trunk whose inbound calls have a rate table (inbound, the number called). Unrated
 * (no rate matched the number, or the trunk has no rate table): {@code rate}, {@code currency} and {@code amount} are null
 * and nothing is billed, but the call is kept. The rate's {@link Rate#period() period} is the one it was chosen for, at the
 * answer. {@code parts}: a call that ran on into a period of another rate is billed per period ({@link RateTable#split}),
 * each part at its period's rate; empty when the whole call is billed at {@code rate} (or unrated).
 */
public record Charge(String callId, String legId, String trunk, String number, Instant answeredAt, Instant endedAt, int talkSeconds,
                     Long agentUserId, Long departmentId, String currency, Rate rate, int billedSeconds, BigDecimal amount, String direction,
                     List<Part> parts) {

    public Charge {
        direction = direction == null ? RateTable.OUTBOUND : direction;
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    /**
     * Billed seconds of a call at one rate: from second {@code fromSecond} after the answer, {@code billedSeconds} seconds at
     * {@code pricePerMinute} (the rate of {@code prefix} in {@code period}, null: a rate for any time) cost {@code amount}.
     */
    public record Part(String period, String prefix, BigDecimal pricePerMinute, int fromSecond, int billedSeconds, BigDecimal amount) {
        static Part of(Rate r, int fromSecond, int billedSeconds) {
            return new Part(r.period(), r.prefix(), r.pricePerMinute(), fromSecond, billedSeconds,
                    r.pricePerMinute().multiply(BigDecimal.valueOf(billedSeconds)).divide(BigDecimal.valueOf(60), Rate.SCALE, RoundingMode.HALF_UP));
        }
    }

    /** Whether the call was billed in parts at the rates of more than one period. */
    public boolean split() {
        return parts.size() > 1;
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
     * changed): the table's period is chosen by the answer time (when billing starts) in {@code zone}, the enterprise's, and
     * that rate's increments and connection fee hold for the whole call; a call that runs on into another period is billed per
     * period ({@link RateTable#split}): amount = connection fee + the parts' amounts.
     */
    public static Charge rate(String callId, String legId, String direction, String trunk, String number, Instant answeredAt,
                              Instant endedAt, int talkSeconds, Long agentUserId, Long departmentId, Optional<RateTable> table, ZoneId zone) {
        Optional<RateTable.Match> match = table.flatMap(t -> t.matchAt(number, answeredAt, zone));
        if (match.isEmpty()) {
            return new Charge(callId, legId, trunk, number, answeredAt, endedAt, talkSeconds, agentUserId, departmentId, null, null, 0, null,
                    direction, List.of());
        }
        Rate r = match.get().rate();
        int billed = r.billedSeconds(talkSeconds);
        List<Part> parts = table.get().split(number, r, answeredAt, billed, zone);
        if (parts.size() <= 1) {
            return new Charge(callId, legId, trunk, number, answeredAt, endedAt, talkSeconds, agentUserId, departmentId,
                    table.get().currency(), r, billed, r.amount(billed), direction, List.of());
        }
        BigDecimal amount = r.connectionFee().setScale(Rate.SCALE, RoundingMode.HALF_UP);
        for (Part p : parts) amount = amount.add(p.amount());
        return new Charge(callId, legId, trunk, number, answeredAt, endedAt, talkSeconds, agentUserId, departmentId,
                table.get().currency(), r, billed, amount, direction, parts);
    }
}
