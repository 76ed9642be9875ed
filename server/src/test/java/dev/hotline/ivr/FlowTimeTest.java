package dev.hotline.ivr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IVR-2 time conditions: weekly hours, holidays, special days and "24:00" as the end of a day. */
class FlowTimeTest {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    static Flow.Time hours(String from, String to) {
        return new Flow.Time("Asia/Shanghai", List.of(new Flow.WeeklyRange(List.of(1, 2, 3, 4, 5), from, to)),
                List.of("2026-10-01"), List.of(new Flow.SpecialDay("2026-10-10", "10:00", "12:00")), "open", "closed");
    }

    static boolean openAt(Flow.Time t, String localDateTime) {
        return t.isOpenAt(ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), SHANGHAI).toInstant());
    }

    static Flow.Graph graph(Flow.Time t) {
        return new Flow.Graph("t", java.util.Map.<String, Flow.Node>of("t", t, "open", new Flow.Hangup(), "closed", new Flow.Hangup()), null);
    }

    @Test
    void weeklyHoursIncludeTheirStartAndExcludeTheirEnd() {
        Flow.Time t = hours("09:00", "18:00");
        assertThat(openAt(t, "2026-12-07T08:59:59")).isFalse(); // Monday
        assertThat(openAt(t, "2026-12-07T09:00:00")).isTrue();
        assertThat(openAt(t, "2026-12-07T17:59:59")).isTrue();
        assertThat(openAt(t, "2026-12-07T18:00:00")).isFalse();
        assertThat(openAt(t, "2026-12-06T12:00:00")).as("Sunday").isFalse();
    }

    @Test
    void twentyFourHundredIsTheEndOfTheDay() {
        Flow.Time allDay = hours("00:00", "24:00");
        assertThat(openAt(allDay, "2026-12-07T00:00:00")).isTrue();
        assertThat(openAt(allDay, "2026-12-07T23:59:59")).isTrue();
        assertThat(openAt(allDay, "2026-12-06T23:59:59")).as("Sunday is not in the days").isFalse();
        assertThat(FlowValidator.validate(graph(allDay),
                FlowValidatorTest.CTX)).isEmpty();
        assertThat(FlowValidator.validate(graph(hours("18:00", "09:00")),
                FlowValidatorTest.CTX)).extracting(Flow.Problem::message).contains("from must be before to");
    }

    @Test
    void holidaysCloseAndSpecialDaysReplaceTheWeeklyHours() {
        Flow.Time t = hours("09:00", "18:00");
        assertThat(openAt(t, "2026-10-01T10:00:00")).as("holiday, a Thursday").isFalse();
        assertThat(openAt(t, "2026-10-10T11:00:00")).as("special day, a Saturday").isTrue();
        assertThat(openAt(t, "2026-10-10T13:00:00")).isFalse();
    }
}
