package dev.hotline.reportmail;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** When scheduled reports are due and which days they cover, in the enterprise's zone. */
class RecurrenceTest {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    static Instant at(String local, ZoneId z) {
        return LocalDateTime.parse(local).atZone(z).toInstant();
    }

    @Test
    void dailyWeeklyAndMonthlyOccurrences() {
        Recurrence daily = new Recurrence(Recurrence.Frequency.DAILY, LocalTime.of(8, 0), null, null);
        assertThat(daily.next(at("2026-12-08T07:59", SHANGHAI), SHANGHAI)).isEqualTo(at("2026-12-08T08:00", SHANGHAI));
        assertThat(daily.next(at("2026-12-08T08:00", SHANGHAI), SHANGHAI)).as("strictly after").isEqualTo(at("2026-12-09T08:00", SHANGHAI));
        Recurrence weekly = new Recurrence(Recurrence.Frequency.WEEKLY, LocalTime.of(9, 30), DayOfWeek.MONDAY, null);
        assertThat(weekly.next(at("2026-12-08T10:00", SHANGHAI), SHANGHAI)).isEqualTo(at("2026-12-14T09:30", SHANGHAI));
        Recurrence monthly = new Recurrence(Recurrence.Frequency.MONTHLY, LocalTime.of(6, 0), null, 31);
        assertThat(monthly.next(at("2027-01-31T07:00", SHANGHAI), SHANGHAI)).as("February's last day").isEqualTo(at("2027-02-28T06:00", SHANGHAI));
        assertThat(monthly.next(at("2027-02-28T07:00", SHANGHAI), SHANGHAI)).isEqualTo(at("2027-03-31T06:00", SHANGHAI));
        // 02:30 does not exist in New York on 2027-03-14: moved forward by the gap.
        Recurrence night = new Recurrence(Recurrence.Frequency.DAILY, LocalTime.of(2, 30), null, null);
        assertThat(night.next(at("2027-03-13T03:00", NEW_YORK), NEW_YORK)).isEqualTo(Instant.parse("2027-03-14T07:30:00Z"));
    }

    @Test
    void coveredPeriodsAreWholeLocalDays() {
        Recurrence.Range y = Recurrence.Coverage.YESTERDAY.of(LocalDate.parse("2026-12-08"), SHANGHAI);
        assertThat(y.from()).isEqualTo(at("2026-12-07T00:00", SHANGHAI));
        assertThat(y.to()).isEqualTo(at("2026-12-08T00:00", SHANGHAI));
        Recurrence.Range w = Recurrence.Coverage.LAST_WEEK.of(LocalDate.parse("2026-12-09"), SHANGHAI); // a Wednesday
        assertThat(w.firstDay()).isEqualTo(LocalDate.parse("2026-11-30"));
        assertThat(w.lastDay()).isEqualTo(LocalDate.parse("2026-12-06"));
        Recurrence.Range onMonday = Recurrence.Coverage.LAST_WEEK.of(LocalDate.parse("2026-12-07"), SHANGHAI);
        assertThat(onMonday.firstDay()).isEqualTo(LocalDate.parse("2026-11-30"));
        Recurrence.Range m = Recurrence.Coverage.LAST_MONTH.of(LocalDate.parse("2027-01-05"), SHANGHAI);
        assertThat(m.firstDay()).isEqualTo(LocalDate.parse("2026-12-01"));
        assertThat(m.lastDay()).isEqualTo(LocalDate.parse("2026-12-31"));
        assertThat(m.to()).isEqualTo(at("2027-01-01T00:00", SHANGHAI));
    }
}
