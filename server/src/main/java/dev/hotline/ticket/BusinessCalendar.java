package dev.hotline.ticket;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;

/**
 * Working days and hours in an enterprise's time zone, less its holidays (whole days off, e.g. 2026-10-01): how many business
 * seconds lie between two instants, and which instant lies a number of business seconds after another. The SLA clock counts
 * only these seconds.
 */
public record BusinessCalendar(ZoneId zone, Set<DayOfWeek> days, int startMinute, int endMinute, Set<LocalDate> holidays) {
    public BusinessCalendar {
        if (days.isEmpty() || startMinute < 0 || endMinute > 24 * 60 || startMinute >= endMinute) {
            throw new IllegalArgumentException("a calendar needs a working day and hours with start < end");
        }
        days = Set.copyOf(days);
        holidays = holidays == null ? Set.of() : Set.copyOf(holidays);
    }

    public BusinessCalendar(ZoneId zone, Set<DayOfWeek> days, int startMinute, int endMinute) {
        this(zone, days, startMinute, endMinute, Set.of());
    }

    /** Whether {@code d} is worked: a working day of the week and no holiday. */
    private boolean working(LocalDate d) {
        return days.contains(d.getDayOfWeek()) && !holidays.contains(d);
    }

    private Instant open(LocalDate d) {
        return d.atStartOfDay(zone).plusMinutes(startMinute).toInstant();
    }

    private Instant close(LocalDate d) {
        return d.atStartOfDay(zone).plusMinutes(endMinute).toInstant();
    }

    /** Business seconds in [from, to). */
    public long secondsBetween(Instant from, Instant to) {
        if (!from.isBefore(to)) return 0;
        long total = 0;
        LocalDate last = LocalDate.ofInstant(to, zone);
        for (LocalDate d = LocalDate.ofInstant(from, zone); !d.isAfter(last); d = d.plusDays(1)) {
            if (!working(d)) continue;
            Instant a = max(open(d), from);
            Instant b = min(close(d), to);
            if (a.isBefore(b)) total += Duration.between(a, b).toSeconds();
        }
        return total;
    }

    /** The instant {@code seconds} business seconds after {@code from}. */
    public Instant plus(Instant from, long seconds) {
        long left = Math.max(0, seconds);
        for (LocalDate d = LocalDate.ofInstant(from, zone); ; d = d.plusDays(1)) {
            if (!working(d)) continue;
            Instant a = max(open(d), from);
            Instant b = close(d);
            if (!a.isBefore(b)) continue;
            long room = Duration.between(a, b).toSeconds();
            if (left <= room) return a.plusSeconds(left);
            left -= room;
        }
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
