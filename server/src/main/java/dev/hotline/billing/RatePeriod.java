package dev.hotline.billing;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;

/**
 * A period of a rate table (RPT-5): peak, off-peak, weekend ... on the listed {@code days} (1 Monday .. 7 Sunday) from
 * {@code from} to {@code to} ("HH:mm", local time of the enterprise). A period whose {@code to} is not after {@code from}
 * runs past midnight into the next day (22:00–07:00); {@code from} equal to {@code to} is the whole day.
 */
public record RatePeriod(String name, List<Integer> days, String from, String to) {
    public RatePeriod {
        days = List.copyOf(days);
    }

    /** Whether local time {@code t} falls in this period. */
    public boolean contains(LocalDateTime t) {
        LocalTime start = LocalTime.parse(from);
        LocalTime end = LocalTime.parse(to);
        LocalTime at = t.toLocalTime();
        int day = t.getDayOfWeek().getValue();
        if (start.equals(end)) return days.contains(day);
        if (start.isBefore(end)) return days.contains(day) && !at.isBefore(start) && at.isBefore(end);
        // Past midnight: the evening of a listed day, or the morning after it.
        int dayBefore = day == 1 ? 7 : day - 1;
        return (days.contains(day) && !at.isBefore(start)) || (days.contains(dayBefore) && at.isBefore(end));
    }
}
