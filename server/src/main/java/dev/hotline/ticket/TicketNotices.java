package dev.hotline.ticket;

import dev.hotline.mail.MailStore;
import dev.hotline.sms.Sms;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * BIZ-1: a ticket's notices to its customer outside the console, per the enterprise's {@link TicketSettings.Notices}: an SMS
 * (the ticket's caller number, else the customer's first phone) and an e-mail (the customer's first e-mail field). Both are
 * put in their outbox in the ticket's transaction, so a change never waits on a gateway and none is lost; the outboxes send
 * and retry. The assignee's e-mail goes with their console notification ({@link TicketStore#notify}).
 */
final class TicketNotices {
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private final Sms sms;

    TicketNotices(Sms sms) {
        this.sms = sms;
    }

    /** {@code event}: opened, or the state the ticket entered (its key). Nothing when the switches are off or the event not chosen. */
    void customer(Handle h, long e, TicketStore.Row r, String event, TicketSettings.Notices n, Instant at) {
        if (!(n.smsCustomer() || n.emailCustomer()) || !n.customerEvents().contains(event)) return;
        String status = r.status().words(n.english());
        Map<String, String> vars = Map.of("ticket", r.trackingNumber(), "status", status, "title", r.title());
        if (n.smsCustomer()) {
            String to = r.callerNumber();
            if (to == null || !to.matches("\\+?[0-9]{3,20}")) to = firstPhone(h, e, r.customerId()).orElse(null);
            sms.queueTicketNotice(h, e, to, r.customerId(), r.id(), r.callId(), render(n.smsTemplate(), vars));
        }
        if (n.emailCustomer()) {
            firstEmail(h, e, r.customerId()).ifPresent(to -> {
                String subject = n.english() ? "Your ticket " + r.trackingNumber() + ": " + status
                        : "您的工单 " + r.trackingNumber() + "：" + status;
                String body = n.english()
                        ? "Ticket: " + r.trackingNumber() + "\nSubject: " + r.title() + "\nStatus: " + status
                                + "\n\nPlease quote the ticket number when you contact us.\n"
                        : "工单号：" + r.trackingNumber() + "\n主题：" + r.title() + "\n状态：" + status + "\n\n联系我们时请提供工单号。\n";
                MailStore.enqueue(h, e, new MailStore.Mail("ticket", to, subject, body, null, null), at);
            });
        }
    }

    /** {@code template} with {ticket}, {status} and {title} filled in (others were refused when the settings were saved). */
    static String render(String template, Map<String, String> vars) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(vars.getOrDefault(m.group(1), m.group())));
        m.appendTail(out);
        return out.toString();
    }

    private static Optional<String> firstPhone(Handle h, long e, Long customer) {
        if (customer == null) return Optional.empty();
        return h.createQuery("SELECT number FROM customer_phone WHERE enterprise_id = :e AND customer_id = :c ORDER BY position, id LIMIT 1")
                .bind("e", e).bind("c", customer).mapTo(String.class).findOne();
    }

    private static Optional<String> firstEmail(Handle h, long e, Long customer) {
        if (customer == null) return Optional.empty();
        return h.createQuery("""
                        SELECT v.field_value FROM customer_value v JOIN customer_field f ON f.id = v.field_id
                        WHERE v.enterprise_id = :e AND v.customer_id = :c AND f.field_type = 'email' AND v.field_value <> ''
                        ORDER BY f.position, f.id LIMIT 1""")
                .bind("e", e).bind("c", customer).mapTo(String.class).findOne();
    }
}
