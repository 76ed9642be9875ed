package dev.hotline.ticket;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;

/**
 * Tracking numbers the caller can quote: prefix + yyyyMMdd + '-' + the day's counter (4 digits or more) + '-' + a Luhn
 * check digit over the date and counter, e.g. {@code GD20261207-0007-8}. A mistyped digit fails {@link #valid}.
 */
public final class TrackingNumbers {
    private TrackingNumbers() {}

    /** The day as the numbers write it: yyyyMMdd. */
    public static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    public static String format(String prefix, LocalDate day, int counter) {
        String digits = day.format(DAY) + String.format("%04d", counter);
        return prefix + day.format(DAY) + "-" + String.format("%04d", counter) + "-" + checkDigit(digits);
    }

    /** The Luhn check digit of a string of digits. */
    static int checkDigit(String digits) {
        int sum = 0;
        boolean twice = true;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
            twice = !twice;
        }
        return (10 - sum % 10) % 10;
    }

    /** Whether a number's check digit matches its date and counter (the prefix is not checked). */
    public static boolean valid(String number) {
        var m = java.util.regex.Pattern.compile("^[A-Za-z]*(\\d{8})-(\\d{4,})-(\\d)$").matcher(number == null ? "" : number);
        return m.matches() && checkDigit(m.group(1) + m.group(2)) == m.group(3).charAt(0) - '0';
    }

    /**
     * BIZ-1: the keys a caller types for a number (digits only: date, counter, check digit; no prefix letters, no dashes) as
     * the number's digit part {@code yyyyMMdd-cccc-d}, or empty when they are too few or the check digit does not match.
     * {@code 2026120700011} → {@code 20261207-0001-1}.
     */
    public static java.util.Optional<String> fromKeys(String keys) {
        String d = keys == null ? "" : keys.replaceAll("[^0-9]", "");
        if (d.length() < 13 || d.length() > 20) return java.util.Optional.empty();
        String number = d.substring(0, 8) + "-" + d.substring(8, d.length() - 1) + "-" + d.charAt(d.length() - 1);
        return valid(number) ? java.util.Optional.of(number) : java.util.Optional.empty();
    }
}
