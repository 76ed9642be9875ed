package dev.hotline.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One line of a rate table (RPT-5): numbers starting with {@code prefix} cost {@code pricePerMinute}; the talk is billed
 * {@code firstIncrement} seconds, then in steps of {@code increment} seconds (60/60, 6/6, 1/1, 30/6 ...), plus the
 * {@code connectionFee} once per answered call. Money is exact ({@link BigDecimal}, 4 decimals), never floating point.
 * {@code period}: the name of the table's period ({@link RatePeriod}) the rate holds in; null: at any time.
 */
public record Rate(long id, String prefix, String description, BigDecimal pricePerMinute, int firstIncrement, int increment,
                   BigDecimal connectionFee, String period) {
    /** Decimals kept of money: prices, fees and amounts. */
    public static final int SCALE = 4;
    private static final BigDecimal SIXTY = BigDecimal.valueOf(60);

    public Rate {
        if (firstIncrement <= 0 || increment <= 0) throw new IllegalArgumentException("increments must be positive");
        if (pricePerMinute.signum() < 0 || connectionFee.signum() < 0) throw new IllegalArgumentException("money must not be negative");
        period = period == null || period.isEmpty() ? null : period;
    }

    /** A rate that holds at any time. */
    public Rate(long id, String prefix, String description, BigDecimal pricePerMinute, int firstIncrement, int increment,
                BigDecimal connectionFee) {
        this(id, prefix, description, pricePerMinute, firstIncrement, increment, connectionFee, null);
    }

    /**
     * The seconds billed for {@code talkSeconds} of talk: nothing for a call that lasted no time, else the first increment,
     * then every increment begun.
     */
    public int billedSeconds(int talkSeconds) {
        if (talkSeconds <= 0) return 0;
        if (talkSeconds <= firstIncrement) return firstIncrement;
        int rest = talkSeconds - firstIncrement;
        return firstIncrement + ((rest + increment - 1) / increment) * increment;
    }

    /** The amount for {@code billedSeconds}: the connection fee plus the price per minute pro rata, rounded half up to 4 decimals. */
    public BigDecimal amount(int billedSeconds) {
        if (billedSeconds <= 0) return BigDecimal.ZERO.setScale(SCALE);
        return connectionFee.add(pricePerMinute.multiply(BigDecimal.valueOf(billedSeconds)).divide(SIXTY, SCALE, RoundingMode.HALF_UP))
                .setScale(SCALE, RoundingMode.HALF_UP);
    }
}
