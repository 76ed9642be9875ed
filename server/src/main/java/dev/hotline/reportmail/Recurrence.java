package dev.hotline.reportmail;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * When a scheduled report is sent, in the enterprise's zone: every day at {@code at}, every week on {@code weekday} at
 * {@code at}, or every month on {@code dayOfMonth} at {@code at} (a day past the month's end is its last day). A local
 * time skipped by a daylight-saving change is moved forward by the gap (as {@link java.time.ZonedDateTime} does).
 */
record Recurrence(Frequency frequency, LocalTime at, DayOfWeek weekday, Integer dayOfMonth) {

    enum Frequency {
        DAILY, WEEKLY, MONTHLY;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Frequency> parse(String s) {
            return Arrays.stream(values()).filter(f -> f.key().equals(s)).findFirst();
        }

        boolean matches(Recurrence r, LocalDate d) {
            return switch (this) {
                case DAILY -> true;
                case WEEKLY -> d.getDayOfWeek() == r.weekday();
                case MONTHLY -> d.getDayOfMonth() == Math.min(r.dayOfMonth(), d.lengthOfMonth());
            };
        }
    }

    Recurrence {
        if (frequency == Frequency.WEEKLY && weekday == null) throw new IllegalArgumentException("a weekly schedule needs its weekday");
        if (frequency == Frequency.MONTHLY && (dayOfMonth == null || dayOfMonth < 1 || dayOfMonth > 31)) {
            throw new IllegalArgumentException("a monthly schedule needs its day, 1 to 31");
        }
    }

    /** The first occurrence strictly after {@code after}. */
    Instant next(Instant after, ZoneId zone) {
        LocalDate d = after.atZone(zone).toLocalDate().minusDays(1);
        for (int i = 0; i < 64; i++, d = d.plusDays(1)) {
            if (!frequency.matches(this, d)) continue;
            Instant t = d.atTime(at).atZone(zone).toInstant();
            if (t.isAfter(after)) return t;
        }
        throw new IllegalStateException("no occurrence of " + this + " within 64 days of " + after);
    }

    /** The period a scheduled report covers, relative to the local day it is sent on. */
    enum Coverage {
        YESTERDAY, LAST_WEEK, LAST_MONTH;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Optional<Coverage> parse(String s) {
            return Arrays.stream(values()).filter(c -> c.key().equals(s)).findFirst();
        }

        /** [from, to) of whole local days: the day before {@code day}, the week (Monday to Sunday) or month before its own. */
        Range of(LocalDate day, ZoneId zone) {
            LocalDate to = switch (this) {
                case YESTERDAY -> day;
                case LAST_WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                case LAST_MONTH -> day.withDayOfMonth(1);
            };
            LocalDate from = switch (this) {
                case YESTERDAY -> to.minusDays(1);
                case LAST_WEEK -> to.minusWeeks(1);
                case LAST_MONTH -> to.minusMonths(1);
            };
            return new Range(from.atStartOfDay(zone).toInstant(), to.atStartOfDay(zone).toInstant(), from, to.minusDays(1));
        }
    }

    /** A covered period: [from, to) and its first and last local day. */
    record Range(Instant from, Instant to, LocalDate firstDay, LocalDate lastDay) {}
}
