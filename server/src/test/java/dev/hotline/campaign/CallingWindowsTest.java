package dev.hotline.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OUT-1 calling windows: open inside 09:00–12:00 and 18:30–20:30 Shanghai time, and the next opening otherwise. */
class CallingWindowsTest {
    final CallingWindows w = CallingWindows.of(new CampaignSettings(1L, null, List.of("1"), "Asia/Shanghai",
            List.of(new CampaignSettings.Window("18:30", "20:30"), new CampaignSettings.Window("09:00", "12:00")), null, null, 1L, null,
            null, null, null, null));

    @Test
    void openInsideEachWindowAndClosedBetween() {
        assertThat(w.open(Instant.parse("2026-12-07T01:00:00Z"))).as("09:00 local").isTrue();
        assertThat(w.open(Instant.parse("2026-12-07T03:59:59Z"))).as("11:59:59").isTrue();
        assertThat(w.open(Instant.parse("2026-12-07T04:00:00Z"))).as("12:00 closes").isFalse();
        assertThat(w.open(Instant.parse("2026-12-07T10:30:00Z"))).as("18:30").isTrue();
        assertThat(w.open(Instant.parse("2026-12-07T13:00:00Z"))).as("21:00").isFalse();
    }

    @Test
    void theNextOpeningIsTheNextWindowOrTomorrowMorning() {
        assertThat(w.nextOpen(Instant.parse("2026-12-07T05:00:00Z"))).isEqualTo(Instant.parse("2026-12-07T10:30:00Z"));
        assertThat(w.nextOpen(Instant.parse("2026-12-07T13:00:00Z"))).isEqualTo(Instant.parse("2026-12-08T01:00:00Z"));
        Instant inside = Instant.parse("2026-12-07T02:00:00Z");
        assertThat(w.nextOpen(inside)).isEqualTo(inside);
    }
}
