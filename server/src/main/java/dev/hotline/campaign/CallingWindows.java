package dev.hotline.campaign;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;

/** A campaign's daily calling windows in its time zone: whether a moment is inside one, and when the next one opens. */
public record CallingWindows(ZoneId zone, List<Span> spans) {

    /** One daily span, start inclusive, end exclusive. */
    public record Span(LocalTime from, LocalTime to) {}

    public static CallingWindows of(CampaignSettings s) {
        ZoneId zone = s.timeZone() == null ? ZoneId.of("UTC") : ZoneId.of(s.timeZone());
        List<Span> spans = s.windows() == null || s.windows().isEmpty() ? List.of(new Span(LocalTime.MIN, LocalTime.MAX))
                : s.windows().stream().map(w -> new Span(LocalTime.parse(w.from()), LocalTime.parse(w.to())))
                .sorted(Comparator.comparing(Span::from)).toList();
        return new CallingWindows(zone, spans);
    }

    public boolean open(Instant at) {
        LocalTime t = at.atZone(zone).toLocalTime();
        return spans.stream().anyMatch(sp -> !t.isBefore(sp.from()) && t.isBefore(sp.to()));
    }

    /** {@code at} itself when open, else the start of the next window. */
    public Instant nextOpen(Instant at) {
        if (open(at)) return at;
        ZonedDateTime local = at.atZone(zone);
        LocalDate day = local.toLocalDate();
        for (int d = 0; d <= 1; d++) {
            for (Span sp : spans) {
                ZonedDateTime start = day.plusDays(d).atTime(sp.from()).atZone(zone);
                if (start.isAfter(local)) return start.toInstant();
            }
        }
        throw new IllegalStateException("no calling window");
    }
}
