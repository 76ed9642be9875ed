package dev.hotline.report;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * The time range of a report, [from, to), in the zone its buckets are counted in, grouped by hour, day, week (from
 * Monday) or month. Buckets are whole local hours, days, weeks or months (a day is midnight to midnight in {@code zone}).
 */
public record Period(Instant from, Instant to, ZoneId zone, Grouping grouping) {
    public enum Grouping {
        HOUR, DAY, WEEK, MONTH;

        public String key() {
            return name().toLowerCase();
        }

        public static java.util.Optional<Grouping> parse(String s) {
            for (Grouping g : values()) if (g.key().equals(s)) return java.util.Optional.of(g);
            return java.util.Optional.empty();
        }
    }

    /** The longest range a report covers, and the longest grouped by hour (rows a person can read). */
    public static final Duration MAX_RANGE = Duration.ofDays(400);
    public static final Duration MAX_HOURLY_RANGE = Duration.ofDays(62);

    /** The local start of the bucket holding {@code at}. */
    public LocalDateTime bucket(Instant at) {
        ZonedDateTime z = at.atZone(zone);
        return switch (grouping) {
            case HOUR -> z.truncatedTo(ChronoUnit.HOURS).toLocalDateTime();
            case DAY -> z.toLocalDate().atStartOfDay();
            case WEEK -> z.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay();
            case MONTH -> z.toLocalDate().withDayOfMonth(1).atStartOfDay();
        };
    }

    /** The bucket of a 15-minute slot (see {@link ReportProjection#SLOT_SECONDS}). */
    public LocalDateTime bucketOfSlot(long slot) {
        return bucket(Instant.ofEpochSecond(slot * ReportProjection.SLOT_SECONDS));
    }

    /** The instant the bucket after {@code bucket} starts. */
    public Instant nextBucketStart(LocalDateTime bucket) {
        LocalDateTime next = switch (grouping) {
            case HOUR -> bucket.plusHours(1);
            case DAY -> bucket.plusDays(1);
            case WEEK -> bucket.plusWeeks(1);
            case MONTH -> bucket.plusMonths(1);
        };
        return next.atZone(zone).toInstant();
    }

    /** How a bucket is written in reports: 2026-12-06 10:00, 2026-12-06, 2026-12-07 (a week, by its Monday), 2026-12. */
    public String label(LocalDateTime bucket) {
        return switch (grouping) {
            case HOUR -> bucket.toLocalDate() + " " + String.format("%02d:00", bucket.getHour());
            case DAY, WEEK -> bucket.toLocalDate().toString();
            case MONTH -> bucket.getYear() + "-" + String.format("%02d", bucket.getMonthValue());
        };
    }

    /**
     * The unit the database adds slots up to before {@link Reports} adds units up to buckets: unit {@code k} covers the
     * slots whose {@code (slot × 900 + shift) / seconds} is {@code k}. It is the coarsest unit that never straddles two
     * buckets: a local day in a zone of one fixed offset (grouped by day or longer), a local hour in a fixed zone or in a
     * zone whose offsets in the range are whole hours, else the 15-minute slot itself.
     */
    public record Unit(long seconds, long shift, ZoneId dayZone) {
        /** Units of whole local days of {@code dayZone}, read from the day roll-ups (unit k is day k since 1970-01-01). */
        public boolean daily() {
            return dayZone != null;
        }

        public Instant start(long k) {
            return daily() ? java.time.LocalDate.ofEpochDay(k).atStartOfDay(dayZone).toInstant() : Instant.ofEpochSecond(k * seconds - shift);
        }
    }

    /**
     * The unit to read: whole days from the day roll-ups when the report is in {@code reportZone}, grouped by day or longer,
     * and its range runs from midnight to midnight; else units of the 15-minute roll-ups as below.
     */
    public Unit unit(ZoneId reportZone) {
        if (grouping != Grouping.HOUR && zone.getRules().equals(reportZone.getRules()) && midnight(from) && midnight(to)) {
            return new Unit(86400, 0, zone);
        }
        return unit();
    }

    private boolean midnight(Instant at) {
        return at.atZone(zone).toLocalTime().equals(java.time.LocalTime.MIDNIGHT);
    }

    public Unit unit() {
        var rules = zone.getRules();
        if (rules.isFixedOffset()) {
            long offset = rules.getOffset(from).getTotalSeconds();
            return new Unit(grouping == Grouping.HOUR ? 3600 : 86400, offset, null);
        }
        boolean wholeHours = rules.getOffset(from).getTotalSeconds() % 3600 == 0;
        for (var t = rules.nextTransition(from); wholeHours && t != null && t.getInstant().isBefore(to); t = rules.nextTransition(t.getInstant())) {
            wholeHours = t.getOffsetAfter().getTotalSeconds() % 3600 == 0;
        }
        return new Unit(wholeHours ? 3600 : ReportProjection.SLOT_SECONDS, 0, null);
    }

    /** The bucket of unit {@code k} of {@link #unit()}. */
    public LocalDateTime bucketOfUnit(Unit u, long k) {
        return bucket(u.start(k));
    }

    /** The local day (days since 1970-01-01) of {@code at} in the period's zone: the row of a day roll-up. */
    long dayOf(Instant at) {
        return at.atZone(zone).toLocalDate().toEpochDay();
    }

    /** The first unit of the range and the one after its last, in the unit's own numbering of rows (slots or days). */
    long firstRow(Unit u) {
        return u.daily() ? from.atZone(zone).toLocalDate().toEpochDay() : firstSlot();
    }

    long endRow(Unit u) {
        return u.daily() ? to.atZone(zone).toLocalDate().toEpochDay() : endSlot();
    }

    /** The first and last 15-minute slot of the range (slots are whole in every zone: the range's ends are cut to slots). */
    long firstSlot() {
        return ReportProjection.slot(from);
    }

    long endSlot() {
        return ReportProjection.slot(to.minusNanos(1)) + 1;
    }
}
