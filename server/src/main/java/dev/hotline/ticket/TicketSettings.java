package dev.hotline.ticket;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * An enterprise's ticket settings: the tracking-number prefix, the business-hours calendar (zone, ISO working days 1..7,
 * start and end as HH:mm, holidays as yyyy-MM-dd, whole days off), the escalation stages (percent of the SLA used and target to notify:
 * assignee or supervisor) and the notices sent outside the console (null in a PUT: unchanged).
 */
public record TicketSettings(String prefix, String zone, List<Integer> workDays, String workStart, String workEnd, List<Escalation> escalations,
                             List<String> holidays, Notices notices) {
    public record Escalation(Integer percent, String target) {}

    /**
     * BIZ-1 notices by e-mail and SMS, queued in the ticket's transaction and sent by the outboxes (which retry).
     *
     * @param emailAssignee  the assignee (and an escalation's targets) also get their notifications by e-mail; the same switch
     *                       as the e-mail settings' {@code ticketNotifications}
     * @param emailCustomer  the customer gets an e-mail (their record's first e-mail field) on {@code customerEvents}
     * @param smsCustomer    the customer gets an SMS (the ticket's caller number, else their first phone) on {@code customerEvents}
     * @param customerEvents {@code opened} (the tracking number to the caller), states entered (assigned, in_progress,
     *                       waiting_customer, resolved, closed, reopened) and/or {@code comment} (a comment marked for the customer)
     * @param language       zh or en: the words of {status} and the customer's e-mail, for a customer without a language
     * @param smsText        the SMS with {ticket}, {status}, {title}; blank: the language's default
     * @param assigneeComments the assignee is notified (inbox, and e-mail with {@code emailAssignee}) of a comment by someone else
     * @param languageField  the key of a customer field holding the customer's language (zh or en; 中文, English and zh-CN
     *                       are read too): their notices are in it; null: {@code language} for everyone
     */
    public record Notices(Boolean emailAssignee, Boolean emailCustomer, Boolean smsCustomer, List<String> customerEvents, String language,
                          String smsText, Boolean assigneeComments, String languageField) {
        static final List<String> EVENTS = List.of("opened", "assigned", "in_progress", "waiting_customer", "resolved", "closed", "reopened",
                "comment");
        static final List<String> VARIABLES = List.of("ticket", "status", "title");
        static final Notices DEFAULTS = new Notices(false, false, false, List.of("opened", "resolved", "closed"), "zh", null, false, null);

        boolean english() {
            return "en".equals(language);
        }

        /** The SMS text before its variables are filled in, in {@code english} or Chinese when it is the default. */
        String smsTemplate(boolean english) {
            if (smsText != null && !smsText.isBlank()) return smsText;
            return english ? "Your ticket {ticket} ({title}): {status}." : "您的工单 {ticket}（{title}）{status}。";
        }
    }

    static final TicketSettings DEFAULTS = new TicketSettings("GD", "Asia/Shanghai", List.of(1, 2, 3, 4, 5), "09:00", "18:00",
            List.of(new Escalation(80, "assignee"), new Escalation(100, "supervisor")), List.of(), Notices.DEFAULTS);

    TicketSettings withNotices(Notices n) {
        return new TicketSettings(prefix, zone, workDays, workStart, workEnd, escalations, holidays, n);
    }

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
