package dev.hotline.ticket;

import dev.hotline.crm.FieldStore;
import dev.hotline.mail.MailStore;
import dev.hotline.sms.Sms;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.text.StringEscapeUtils;
import org.jdbi.v3.core.Handle;

/**
 * BIZ-1: a ticket's notices to its customer outside the console, per the enterprise's {@link TicketSettings.Notices}: an SMS
 * (the ticket's caller number, else the customer's first phone) and an e-mail (the customer's first e-mail field), as HTML
 * with a plain-text alternative. Each is in the customer's language when their record has one (the settings' language
 * field), else in the enterprise's. Both are put in their outbox in the ticket's transaction, so a change never waits on a
 * gateway and none is lost; the outboxes send and retry. The assignee's e-mail goes with their console notification
 * ({@link TicketStore#notify}).
 */
final class TicketNotices {
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private final Sms sms;

    TicketNotices(Sms sms) {
        this.sms = sms;
    }

    /** What one notice says in the customer's language: the SMS, the e-mail's subject, heading, rows (label, value) and closing. */
    private record Notice(String sms, String subject, String heading, List<Map.Entry<String, String>> rows, String closing) {}

    /** {@code event}: opened, or the state the ticket entered (its key). Nothing when the switches are off or the event not chosen. */
    void customer(Handle h, long e, TicketStore.Row r, String event, TicketSettings.Notices n, Instant at) {
        if (!(n.smsCustomer() || n.emailCustomer()) || !n.customerEvents().contains(event)) return;
        boolean en = english(h, e, r.customerId(), n);
        String status = r.status().words(en);
        String text = render(n.smsTemplate(en), Map.of("ticket", r.trackingNumber(), "status", status, "title", r.title()));
        Notice notice = en
                ? new Notice(text, "Your ticket " + r.trackingNumber() + ": " + status, "Your ticket is " + status + ".",
                        List.of(Map.entry("Ticket", r.trackingNumber()), Map.entry("Subject", r.title()), Map.entry("Status", status)),
                        "Please quote the ticket number when you contact us.")
                : new Notice(text, "您的工单 " + r.trackingNumber() + "：" + status, "您的工单" + status + "。",
                        List.of(Map.entry("工单号", r.trackingNumber()), Map.entry("主题", r.title()), Map.entry("状态", status)),
                        "联系我们时请提供工单号。");
        send(h, e, r, n, notice, en, at);
    }

    /** A comment marked for the customer: sent when {@code comment} is among the chosen events. */
    void reply(Handle h, long e, TicketStore.Row r, String comment, TicketSettings.Notices n, Instant at) {
        if (!(n.smsCustomer() || n.emailCustomer()) || !n.customerEvents().contains("comment")) return;
        boolean en = english(h, e, r.customerId(), n);
        String status = r.status().words(en);
        Notice notice = en
                ? new Notice("Reply on your ticket " + r.trackingNumber() + ": " + comment, "Reply on your ticket " + r.trackingNumber(),
                        "We replied on your ticket.", List.of(Map.entry("Ticket", r.trackingNumber()), Map.entry("Subject", r.title()),
                        Map.entry("Status", status), Map.entry("Reply", comment)), "Please quote the ticket number when you contact us.")
                : new Notice("您的工单 " + r.trackingNumber() + " 有新回复：" + comment, "您的工单 " + r.trackingNumber() + " 有新回复",
                        "您的工单有新回复。", List.of(Map.entry("工单号", r.trackingNumber()), Map.entry("主题", r.title()), Map.entry("状态", status),
                        Map.entry("回复", comment)), "联系我们时请提供工单号。");
        send(h, e, r, n, notice, en, at);
    }

    private void send(Handle h, long e, TicketStore.Row r, TicketSettings.Notices n, Notice notice, boolean en, Instant at) {
        if (n.smsCustomer()) {
            String to = r.callerNumber();
            if (to == null || !to.matches("\\+?[0-9]{3,20}")) to = firstPhone(h, e, r.customerId()).orElse(null);
            sms.queueTicketNotice(h, e, to, r.customerId(), r.id(), r.callId(), notice.sms());
        }
        if (n.emailCustomer()) {
            firstEmail(h, e, r.customerId()).ifPresent(to -> MailStore.enqueue(h, e,
                    new MailStore.Mail("ticket", to, notice.subject(), plain(notice), null, null, html(notice, en)), at));
        }
    }

    static String plain(Notice n) {
        StringBuilder sb = new StringBuilder(n.heading()).append("\n\n");
        for (var row : n.rows()) sb.append(row.getKey()).append(": ").append(row.getValue()).append('\n');
        return sb.append('\n').append(n.closing()).append('\n').toString();
    }

    /** The same words as HTML: every value escaped (a title or a comment is the users' text), line breaks kept. */
    static String html(Notice n, boolean en) {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html lang=\"").append(en ? "en" : "zh-CN")
                .append("\"><head><meta charset=\"utf-8\"><title>").append(escape(n.subject())).append("</title></head>\n<body>\n<p>")
                .append(escape(n.heading())).append("</p>\n<table>\n");
        for (var row : n.rows()) {
            sb.append("<tr><th align=\"left\" valign=\"top\">").append(escape(row.getKey())).append("</th><td>").append(escape(row.getValue()))
                    .append("</td></tr>\n");
        }
        return sb.append("</table>\n<p>").append(escape(n.closing())).append("</p>\n</body>\n</html>\n").toString();
    }

    private static String escape(String s) {
        return StringEscapeUtils.escapeHtml4(s).replace("\r\n", "\n").replace("\n", "<br>\n");
    }

    /** The customer's language from the settings' language field, else the enterprise's. */
    static boolean english(Handle h, long e, Long customer, TicketSettings.Notices n) {
        if (customer != null && n.languageField() != null) {
            Optional<Boolean> en = FieldStore.value(h, e, customer, n.languageField()).flatMap(TicketNotices::isEnglish);
            if (en.isPresent()) return en.get();
        }
        return n.english();
    }

    /** en / English / en-US → true; zh / 中文 / zh-CN / Chinese → false; anything else: not a language we write. */
    static Optional<Boolean> isEnglish(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.startsWith("en") || v.equals("英文") || v.equals("英语")) return Optional.of(true);
        if (v.startsWith("zh") || v.startsWith("中") || v.equals("chinese") || v.equals("汉语")) return Optional.of(false);
        return Optional.empty();
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
