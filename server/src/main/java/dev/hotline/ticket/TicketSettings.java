package dev.hotline.ticket;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * An enterprise's ticket settings: the tracking-number prefix, the business-hours calendar (zone, ISO working days 1..7,
 * start and end as HH:mm, holidays as yyyy-MM-dd, whole days off) and the escalation stages (percent of the SLA used and target to notify: assignee or supervisor).
 */
public record TicketSettings(String prefix, String zone, List<Integer> workDays, String workStart, String workEnd, List<Escalation> escalations,
                             List<String> holidays) {
    public record Escalation(Integer percent, String target) {}

    static final TicketSettings DEFAULTS = new TicketSettings("GD", "Asia/Shanghai", List.of(1, 2, 3, 4, 5), "09:00", "18:00",
            List.of(new Escalation(80, "assignee"), new Escalation(100, "supervisor")), List.of());

    BusinessCalendar calendar() {
        var days = new LinkedHashSet<DayOfWeek>();
        workDays.forEach(d -> days.add(DayOfWeek.of(d)));
        var off = new java.util.HashSet<LocalDate>();
        if (holidays != null) holidays.forEach(d -> off.add(LocalDate.parse(d)));
        return new BusinessCalendar(ZoneId.of(zone), days, minutes(workStart), minutes(workEnd), off);
    }

    static int minutes(String hhmm) {
        return Integer.parseInt(hhmm.substring(0, 2)) * 60 + Integer.parseInt(hhmm.substring(3, 5));
    }

    static String hhmm(int minutes) {
        return String.format("%02d:%02d", minutes / 60, minutes % 60);
    }
}
