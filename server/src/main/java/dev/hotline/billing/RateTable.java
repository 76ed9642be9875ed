package dev.hotline.billing;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rates of one trunk for one direction ({@link #OUTBOUND}: the numbers dialled out; {@link #INBOUND}: calls arriving
 * through it, priced by the number called, e.g. toll-free numbers the enterprise pays for), in one currency (RPT-5). Its
 * {@code periods} (peak, off-peak, weekend ...) let a prefix cost differently by time of day and day of week.
 */
public record RateTable(long id, long trunkId, String trunk, String direction, String currency, List<RatePeriod> periods, List<Rate> rates) {
    public static final String OUTBOUND = "outbound";
    public static final String INBOUND = "inbound";

    public RateTable {
        direction = direction == null ? OUTBOUND : direction;
        periods = periods == null ? List.of() : List.copyOf(periods);
        rates = List.copyOf(rates);
    }

    /** An outbound table without periods. */
    public RateTable(long id, long trunkId, String trunk, String currency, List<Rate> rates) {
        this(id, trunkId, trunk, OUTBOUND, currency, List.of(), rates);
    }

    /** The rate and the period it was chosen for (null: a rate for any time). */
    public record Match(Rate rate, String period) {}

    /** The rate for {@code number} at any time (no period): see {@link #match(String, String)}. */
    public Optional<Rate> match(String number) {
        return match(number, null);
    }

    /**
     * The rate for {@code number} in {@code period} (null: none): among the rates of that period and those for any time, the
     * longest prefix that starts the number (a leading + ignored) wins; for one prefix the period's rate wins over the one for
     * any time.
     */
    public Optional<Rate> match(String number, String period) {
        if (number == null) return Optional.empty();
        String digits = number.startsWith("+") ? number.substring(1) : number;
        return rates.stream().filter(r -> digits.startsWith(r.prefix()) && (r.period() == null || r.period().equals(period)))
                .max(Comparator.comparingInt((Rate r) -> r.prefix().length()).thenComparingInt(r -> r.period() == null ? 0 : 1));
    }

    /** The first of the table's periods that the local time of {@code at} in {@code zone} falls in, if any. */
    public Optional<String> periodAt(Instant at, ZoneId zone) {
        LocalDateTime local = LocalDateTime.ofInstant(at, zone);
        return periods.stream().filter(p -> p.contains(local)).map(RatePeriod::name).findFirst();
    }

    /** The rate of a call that started at {@code at}: the period is chosen by that moment in {@code zone}, the enterprise's. */
    public Optional<Match> matchAt(String number, Instant at, ZoneId zone) {
        String period = periodAt(at, zone).orElse(null);
        return match(number, period).map(r -> new Match(r, r.period()));
    }

    /**
     * The billed seconds of a call answered at {@code answeredAt} split by period: the call's billing units (the first
     * increment, then each increment, of {@code answered}, the rate chosen at the answer) are each priced at the rate that
     * {@code number} has in the period holding the moment the unit begins (in {@code zone}); a unit in a period where no
     * rate matches the number keeps {@code answered}. Consecutive units at one rate make one part, in time order; a call
     * that stays in one rate is one part. Each part's amount is its price per minute × its seconds ÷ 60, rounded half up to
     * 4 decimals (the connection fee is not in the parts).
     */
    public List<Charge.Part> split(String number, Rate answered, Instant answeredAt, int billedSeconds, ZoneId zone) {
        List<Charge.Part> parts = new ArrayList<>();
        if (billedSeconds <= 0) return parts;
        // A period holds whole local minutes (HH:mm) and zones' offsets are whole minutes: one look-up per minute of the call.
        Map<Long, Rate> byMinute = new HashMap<>();
        Rate current = null;
        int partFrom = 0;
        int unit = 0;
        while (unit < billedSeconds) {
            int next = unit == 0 ? answered.firstIncrement() : unit + answered.increment();
            Rate r = answered;
            if (!periods.isEmpty()) {
                Instant at = answeredAt.plusSeconds(unit);
                r = byMinute.computeIfAbsent(Math.floorDiv(at.getEpochSecond(), 60L),
                        m -> match(number, periodAt(at, zone).orElse(null)).orElse(answered));
            }
            if (current != null && !r.equals(current)) {
                parts.add(Charge.Part.of(current, partFrom, unit - partFrom));
                partFrom = unit;
            }
            current = r;
            unit = Math.min(next, billedSeconds);
        }
        parts.add(Charge.Part.of(current, partFrom, billedSeconds - partFrom));
        return parts;
    }
}
