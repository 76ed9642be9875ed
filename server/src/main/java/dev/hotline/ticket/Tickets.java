package dev.hotline.ticket;

import dev.hotline.crm.FieldStore;
import dev.hotline.crm.FieldType;
import dev.hotline.crm.Scope;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.report.TicketLogEvent;
import dev.hotline.sms.Sms;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * Tickets (BIZ-1, BIZ-2): types and their forms, opening with a tracking number, assignment, the state machine with the SLA
 * clock on the enterprise's business-hours calendar, comments, call-backs, notifications and memos. Every change lands on the
 * ticket's timeline in the same transaction; the customer's notices by SMS and e-mail (BIZ-1) are queued in it too.
 */
public final class Tickets {
    private final Clock clock;
    private final TicketNotices notices;
    private final Consumer<TicketLogEvent> events;

    /**
     * @param events where the ticket events integrators hear of go (API-2: the event log, which hands them to webhooks and
     *               the event stream), once the change committed
     */
    public Tickets(Clock clock, Sms sms, Consumer<TicketLogEvent> events) {
        this.clock = clock;
        this.notices = new TicketNotices(sms);
        this.events = events;
    }

    /** API-2: the change's event, handed on once its transaction commits (nothing of a change rolled back). */
    private void emit(Handle h, long e, long id, Instant at, String action, TicketStatus previous, Long user, String text, Boolean forCustomer) {
        TicketStore.Row r = get(h, e, id);
        TicketLogEvent ev = new TicketLogEvent(e, at, action, r.id(), r.trackingNumber(), r.typeCode(), r.title(), r.status().key(),
                previous == null ? null : previous.key(), r.departmentId(), r.assigneeId(), user, r.customerId(), r.callerNumber(), r.callId(),
                text, forCustomer);
        if (h.isInTransaction()) h.afterCommit(() -> events.accept(ev));
        else events.accept(ev);
    }

    public record TypeInput(String code, String name, Integer slaMinutes, List<FormField> fields, Boolean enabled) {}

    public record OpenInput(Long typeId, String type, String title, String description, Long customerId, String callerNumber, String callId,
                            Long departmentId, Long assigneeId, Map<String, Object> form) {}

    public record EditInput(String title, String description, Long customerId, String callerNumber, String callId, Map<String, Object> form) {}

    public record MoveInput(String status, String note) {}

    public record AssignInput(Long departmentId, Long assigneeId, String note) {}

    /** @param forCustomer a reply for the customer: on the timeline as {@code reply}, sent to them when the notices choose {@code comment} */
    public record NoteInput(String text, Boolean forCustomer) {
        public NoteInput(String text) {
            this(text, null);
        }
    }

    /**
     * The agent's word on a call-back (the server writes the call's own outcome itself, {@link CallBackOutcomes}): a result
     * and/or a note, at least one.
     *
     * @param callId the call-back's call (from POST /tickets/{id}/call-back), noted with the result
     */
    public record CallbackInput(String result, String note, String callId) {
        public CallbackInput(String result, String note) {
            this(result, note, null);
        }
    }

    public record MemoInput(Long customerId, String callId, String text) {}

    static final List<String> CALLBACK_RESULTS = List.of("reached", "no_answer", "busy", "wrong_number", "resolved");

    /** A new enterprise's tracking-number counter and default types (their forms are examples an admin edits). */
    public static void seedTypes(Handle h, long e) {
        TicketStore.createCounter(h, e);
        TicketStore.insertType(h, e, "consultation", "咨询 Consultation", 8 * 60, List.of(
                new FormField("topic", "Topic", "text", true, null)), true);
        TicketStore.insertType(h, e, "complaint", "投诉 Complaint", 4 * 60, List.of(
                new FormField("category", "Category", "single", true, List.of("service", "quality", "billing", "other")),
                new FormField("severity", "Severity", "single", false, List.of("low", "medium", "high")),
                new FormField("occurredAt", "Occurred at", "datetime", false, null)), true);
        TicketStore.insertType(h, e, "repair", "报修 Repair", 16 * 60, List.of(
                new FormField("address", "Address", "text", true, null),
                new FormField("product", "Product", "text", false, null),
                new FormField("visitAt", "Visit at", "datetime", false, null)), true);
        TicketStore.insertType(h, e, "order", "订单 Order", 8 * 60, List.of(
                new FormField("orderNo", "Order number", "text", true, null),
                new FormField("amount", "Amount", "number", false, null)), true);
    }

    // ---- settings and types

    public TicketSettings settings(Handle h, long e) {
        return TicketStore.settings(h, e);
    }

    public TicketSettings saveSettings(Handle h, long e, TicketSettings in) {
        Validator v = Validator.of().required("prefix", in.prefix()).required("zone", in.zone()).required("workDays", in.workDays())
                .required("workStart", in.workStart()).required("workEnd", in.workEnd()).required("escalations", in.escalations());
        if (in.prefix() != null) v.matches("prefix", in.prefix(), "[A-Za-z]{0,8}", "0..8 letters");
        if (in.zone() != null) {
            try {
                ZoneId.of(in.zone());
            } catch (DateTimeException ex) {
                v.add("zone", "a time zone such as Asia/Shanghai");
            }
        }
        if (in.workDays() != null) {
            v.check(!in.workDays().isEmpty() && in.workDays().stream().allMatch(d -> d != null && d >= 1 && d <= 7)
                    && new HashSet<>(in.workDays()).size() == in.workDays().size(), "workDays", "distinct days 1 (Monday) .. 7 (Sunday)");
        }
        boolean times = true;
        for (var f : List.of(Map.entry("workStart", String.valueOf(in.workStart())), Map.entry("workEnd", String.valueOf(in.workEnd())))) {
            if (!f.getValue().matches("([01]\\d|2[0-3]):[0-5]\\d|24:00")) {
                v.add(f.getKey(), "HH:mm");
                times = false;
            }
        }
        if (times && in.workStart() != null && in.workEnd() != null) {
            v.check(TicketSettings.minutes(in.workStart()) < TicketSettings.minutes(in.workEnd()), "workEnd", "after workStart");
        }
        if (in.holidays() != null) {
            v.check(in.holidays().size() <= 366, "holidays", "at most 366 days");
            for (int i = 0; i < in.holidays().size(); i++) {
                String d = in.holidays().get(i);
                boolean ok = d != null && d.matches("\\d{4}-\\d{2}-\\d{2}");
                if (ok) {
                    try {
                        LocalDate.parse(d);
                    } catch (DateTimeException ex) {
                        ok = false;
                    }
                }
                v.check(ok, "holidays[" + i + "]", "a date as yyyy-MM-dd");
            }
        }
        if (in.escalations() != null) {
            v.check(in.escalations().size() <= 5, "escalations", "at most 5 stages");
            int last = 0;
            for (int i = 0; i < in.escalations().size(); i++) {
                var s = in.escalations().get(i);
                boolean ok = s != null && s.percent() != null && s.percent() > last && s.percent() <= 1000;
                v.check(ok, "escalations[" + i + "].percent", "1..1000, increasing");
                v.check(s != null && ("assignee".equals(s.target()) || "supervisor".equals(s.target())), "escalations[" + i + "].target",
                        "assignee or supervisor");
                if (ok) last = s.percent();
            }
        }
        TicketSettings.Notices n = in.notices() == null ? TicketStore.settings(h, e).notices() : checkNotices(h, e, v, in.notices());
        v.throwIfInvalid();
        TicketStore.saveSettings(h, e, in.withNotices(n), clock.instant());
        return TicketStore.settings(h, e);
    }

    /** The notices as stored: what is left out takes its default; refusals name notices.<field>. */
    private static TicketSettings.Notices checkNotices(Handle h, long e, Validator v, TicketSettings.Notices in) {
        var d = TicketSettings.Notices.DEFAULTS;
        List<String> events = in.customerEvents() == null ? d.customerEvents() : in.customerEvents();
        for (int i = 0; i < events.size(); i++) {
            v.check(TicketSettings.Notices.EVENTS.contains(events.get(i)), "notices.customerEvents[" + i + "]", "one of "
                    + String.join(", ", TicketSettings.Notices.EVENTS));
        }
        v.check(new HashSet<>(events).size() == events.size(), "notices.customerEvents", "each event once");
        String language = in.language() == null ? d.language() : in.language();
        v.check(language.equals("zh") || language.equals("en"), "notices.language", "zh or en");
        String text = Validator.clean(in.smsText());
        v.maxLength("notices.smsText", text, 500);
        if (text != null) {
            var m = java.util.regex.Pattern.compile("\\{([^{}]*)}").matcher(text);
            while (m.find()) {
                v.check(TicketSettings.Notices.VARIABLES.contains(m.group(1)), "notices.smsText",
                        "unknown variable {" + m.group(1) + "}: use {ticket}, {status}, {title}");
            }
        }
        String languageField = Validator.clean(in.languageField());
        if (languageField != null) {
            var f = FieldStore.list(h, e).stream().filter(x -> x.key().equals(languageField)).findFirst();
            v.check(f.isPresent(), "notices.languageField", "no such customer field");
            v.check(f.isEmpty() || f.get().type() == FieldType.SINGLE_CHOICE || f.get().type() == FieldType.TEXT, "notices.languageField",
                    "a single choice or text field");
        }
        return new TicketSettings.Notices(Boolean.TRUE.equals(in.emailAssignee()), Boolean.TRUE.equals(in.emailCustomer()),
                Boolean.TRUE.equals(in.smsCustomer()), List.copyOf(events.stream().filter(x -> x != null).toList()), language, text,
                Boolean.TRUE.equals(in.assigneeComments()), languageField);
    }

    public TicketType saveType(Handle h, long e, Long id, TypeInput in) {
        Validator v = Validator.of().required("name", Validator.clean(in.name())).required("slaMinutes", in.slaMinutes())
                .maxLength("name", in.name(), 64);
        if (id == null) {
            v.required("code", in.code());
            if (in.code() != null) v.matches("code", in.code(), "[a-z][a-z0-9_]{0,31}", "lower-case letters, digits and _ (at most 32)");
        }
        if (in.slaMinutes() != null) v.check(in.slaMinutes() >= 1 && in.slaMinutes() <= 60 * 24 * 90, "slaMinutes", "1..129600 business minutes");
        FormField.checkForm(v, in.fields());
        v.throwIfInvalid();
        List<FormField> fields = in.fields() == null ? List.of() : in.fields();
        boolean enabled = in.enabled() == null || in.enabled();
        if (id == null) {
            if (TicketStore.typeByCode(h, e, in.code()).isPresent()) throw DomainException.conflict("the type exists", "code", "already used");
            id = TicketStore.insertType(h, e, in.code(), in.name().strip(), in.slaMinutes(), fields, enabled);
        } else {
            TicketStore.type(h, e, id).orElseThrow(() -> DomainException.notFound("ticket type"));
            TicketStore.updateType(h, e, id, in.name().strip(), in.slaMinutes(), fields, enabled);
        }
        return TicketStore.type(h, e, id).orElseThrow();
    }

    // ---- tickets

    /** A row as the API shows it, with the SLA used up to now and whether it is overdue. */
    public Ticket view(Handle h, long e, TicketStore.Row r) {
        Instant now = clock.instant();
        long used = used(r, TicketStore.settings(h, e).calendar(), now);
        boolean overdue = used >= r.slaSeconds() && r.status() != TicketStatus.RESOLVED && r.status() != TicketStatus.CLOSED;
        return new Ticket(r.id(), r.trackingNumber(), r.typeId(), r.typeCode(), r.title(), r.description(), r.status().key(), r.customerId(),
                r.callerNumber(), r.callId(), r.departmentId(), r.assigneeId(), r.creatorId(), r.form(), r.createdAt(), r.updatedAt(),
                r.slaSeconds(), used, r.slaSince() != null, r.dueAt(), overdue, r.escalated());
    }

    static long used(TicketStore.Row r, BusinessCalendar cal, Instant now) {
        return r.slaUsed() + (r.slaSince() == null ? 0 : cal.secondsBetween(r.slaSince(), now));
    }

    public TicketStore.Row get(Handle h, long e, long id) {
        return TicketStore.ticket(h, e, id).orElseThrow(() -> DomainException.notFound("ticket"));
    }

    public Ticket.Detail detail(Handle h, long e, long id) {
        return new Ticket.Detail(view(h, e, get(h, e, id)), TicketStore.timeline(h, e, id));
    }

    /**
     * The ticket, if the user of {@code scope} may see it (CRM-3): one without a customer, or whose customer the user may
     * see; otherwise NOT_FOUND, as for another enterprise's ticket.
     */
    public TicketStore.Row visible(Handle h, Scope scope, long id) {
        var r = get(h, scope.enterpriseId(), id);
        if (!TicketStore.customerVisible(h, scope, r.customerId())) throw DomainException.notFound("ticket");
        return r;
    }

    public Ticket.Status status(Handle h, long e, String number, Scope scope) {
        var r = TicketStore.byNumber(h, e, number).filter(t -> TicketStore.customerVisible(h, scope, t.customerId()))
                .orElseThrow(() -> DomainException.notFound("ticket"));
        return new Ticket.Status(r.trackingNumber(), r.status().key(), r.typeCode(), r.dueAt(), r.updatedAt());
    }

    /** What keys typed in the IVR name (BIZ-1): not a valid number, a number no ticket has, or the ticket. */
    public sealed interface Keyed {
        record Invalid() implements Keyed {}

        record Unknown() implements Keyed {}

        record Found(String trackingNumber, TicketStatus status) implements Keyed {}
    }

    /** The ticket whose tracking number's digits a caller keyed (any prefix: the prefix may have changed since it was opened). */
    public Keyed keyed(Handle h, long e, String keys) {
        var digits = TrackingNumbers.fromKeys(keys);
        if (digits.isEmpty()) return new Keyed.Invalid();
        return TicketStore.byDigits(h, e, digits.get()).<Keyed>map(r -> new Keyed.Found(r.trackingNumber(), r.status()))
                .orElse(new Keyed.Unknown());
    }

    public List<Ticket> list(Handle h, long e, TicketStore.Filter f, Scope scope) {
        return TicketStore.list(h, e, f, scope).stream().map(r -> view(h, e, r)).toList();
    }

    public Ticket open(Handle h, long e, long user, OpenInput in) {
        return open(h, e, user, in, null);
    }

    /** Opens a ticket; with a scope, its customer must be one the user may see (CRM-3), else a 400 naming customerId. */
    public Ticket open(Handle h, long e, long user, OpenInput in, Scope scope) {
        Validator v = Validator.of().required("title", Validator.clean(in.title())).maxLength("title", in.title(), 200)
                .maxLength("description", in.description(), 4000).maxLength("callId", in.callId(), 64);
        v.check(in.typeId() != null || in.type() != null, "typeId", "is required (or type, the type's code)");
        if (in.callerNumber() != null) v.matches("callerNumber", in.callerNumber(), "\\+?[0-9*#]{1,32}", "digits, at most 32");
        TicketType type = null;
        if (in.typeId() != null) type = TicketStore.type(h, e, in.typeId()).orElse(null);
        else if (in.type() != null) type = TicketStore.typeByCode(h, e, in.type()).orElse(null);
        if (in.typeId() != null || in.type() != null) {
            v.check(type != null && type.enabled(), in.typeId() != null ? "typeId" : "type", "no such enabled ticket type");
        }
        checkPeople(h, e, v, in.departmentId(), in.assigneeId());
        checkCustomer(h, e, v, in.customerId(), scope);
        Map<String, Object> form = type == null ? Map.of() : FormField.checkValues(v, type.fields(), in.form());
        v.throwIfInvalid();
        Instant now = clock.instant();
        TicketSettings settings = TicketStore.settings(h, e);
        BusinessCalendar cal = settings.calendar();
        LocalDate day = LocalDate.ofInstant(now, cal.zone());
        String number = TrackingNumbers.format(settings.prefix(), day, TicketStore.nextCounter(h, e, day.format(TrackingNumbers.DAY)));
        long sla = type.slaMinutes() * 60L;
        TicketStatus status = in.assigneeId() != null || in.departmentId() != null ? TicketStatus.NEW.moveTo(TicketStatus.ASSIGNED) : TicketStatus.NEW;
        var row = new TicketStore.Row(0, number, type.id(), type.code(), in.title().strip(), Validator.clean(in.description()), status,
                in.customerId(), Validator.clean(in.callerNumber()), Validator.clean(in.callId()), in.departmentId(), in.assigneeId(), user, form,
                now, now, sla, 0, now, cal.plus(now, sla), 0);
        long id = TicketStore.insert(h, e, row);
        TicketStore.event(h, e, id, now, user, "opened", type.code() + " " + number + (in.callId() != null ? " call " + in.callId() : ""));
        if (status == TicketStatus.ASSIGNED) {
            TicketStore.event(h, e, id, now, user, "assigned", who(in.departmentId(), in.assigneeId()));
            if (in.assigneeId() != null) TicketStore.notify(h, e, in.assigneeId(), now, "ticket.assigned", id, number + " " + row.title());
        }
        emit(h, e, id, now, "created", null, user, null, null);
        if (status == TicketStatus.ASSIGNED) emit(h, e, id, now, "assigned", TicketStatus.NEW, user, null, null);
        notices.customer(h, e, get(h, e, id), "opened", settings.notices(), now);
        return view(h, e, get(h, e, id));
    }

    private static String who(Long dep, Long user) {
        return (dep != null ? "department " + dep : "") + (dep != null && user != null ? ", " : "") + (user != null ? "user " + user : "");
    }

    /** A ticket's customer is one of the enterprise's (ticket.customer_id refers to customer, V29). */
    private static void checkCustomer(Handle h, long e, Validator v, Long customer, Scope scope) {
        if (customer != null) {
            v.check(TicketStore.customerExists(h, e, customer) && TicketStore.customerVisible(h, scope, customer), "customerId", "no such customer");
        }
    }

    private static void checkPeople(Handle h, long e, Validator v, Long dep, Long user) {
        if (dep != null) v.check(TicketStore.departmentExists(h, e, dep), "departmentId", "no such department");
        if (user != null) v.check(TicketStore.userExists(h, e, user), "assigneeId", "no such user");
    }

    public Ticket edit(Handle h, long e, long user, long id, EditInput in, Scope scope) {
        var r = get(h, e, id);
        Validator v = Validator.of().required("title", Validator.clean(in.title())).maxLength("title", in.title(), 200)
                .maxLength("description", in.description(), 4000).maxLength("callId", in.callId(), 64);
        if (in.callerNumber() != null) v.matches("callerNumber", in.callerNumber(), "\\+?[0-9*#]{1,32}", "digits, at most 32");
        checkCustomer(h, e, v, in.customerId(), scope);
        TicketType type = TicketStore.type(h, e, r.typeId()).orElseThrow();
        Map<String, Object> form = FormField.checkValues(v, type.fields(), in.form());
        v.throwIfInvalid();
        Instant now = clock.instant();
        var next = new TicketStore.Row(r.id(), r.trackingNumber(), r.typeId(), r.typeCode(), in.title().strip(), Validator.clean(in.description()),
                r.status(), in.customerId(), Validator.clean(in.callerNumber()), Validator.clean(in.callId()), r.departmentId(), r.assigneeId(),
                r.creatorId(), form, r.createdAt(), now, r.slaSeconds(), r.slaUsed(), r.slaSince(), r.dueAt(), r.escalated());
        TicketStore.update(h, e, next);
        TicketStore.event(h, e, id, now, user, "edited", TicketStore.json(Map.of("title", next.title(), "form", form)));
        return view(h, e, get(h, e, id));
    }

    /** The one way a ticket's state changes: the move is checked, the SLA clock paused or resumed, the timeline written. */
    public Ticket move(Handle h, long e, long user, long id, MoveInput in) {
        var r = get(h, e, id);
        Validator v = Validator.of().required("status", in.status()).maxLength("note", in.note(), 2000);
        TicketStatus to = in.status() == null ? null : TicketStatus.parse(in.status()).orElse(null);
        if (in.status() != null) v.check(to != null, "status", "one of new, assigned, in_progress, waiting_customer, resolved, closed, reopened");
        v.throwIfInvalid();
        transition(h, e, user, r, to, r.departmentId(), r.assigneeId(), Validator.clean(in.note()));
        return view(h, e, get(h, e, id));
    }

    public Ticket assign(Handle h, long e, long user, long id, AssignInput in) {
        var r = get(h, e, id);
        Validator v = Validator.of().check(in.departmentId() != null || in.assigneeId() != null, "assigneeId", "a department or a person is required")
                .maxLength("note", in.note(), 2000);
        checkPeople(h, e, v, in.departmentId(), in.assigneeId());
        v.throwIfInvalid();
        transition(h, e, user, r, TicketStatus.ASSIGNED, in.departmentId(), in.assigneeId(), Validator.clean(in.note()));
        if (in.assigneeId() != null) {
            TicketStore.notify(h, e, in.assigneeId(), clock.instant(), "ticket.assigned", id, r.trackingNumber() + " " + r.title());
        }
        return view(h, e, get(h, e, id));
    }

    private void transition(Handle h, long e, long user, TicketStore.Row r, TicketStatus to, Long dep, Long assignee, String note) {
        TicketStatus next = r.status().moveTo(to);
        Instant now = clock.instant();
        TicketSettings settings = TicketStore.settings(h, e);
        BusinessCalendar cal = settings.calendar();
        long used = used(r, cal, now);
        Instant since = next.slaRunning() ? now : null;
        Instant due = next.slaRunning() ? cal.plus(now, Math.max(0, r.slaSeconds() - used)) : null;
        TicketStore.update(h, e, new TicketStore.Row(r.id(), r.trackingNumber(), r.typeId(), r.typeCode(), r.title(), r.description(), next,
                r.customerId(), r.callerNumber(), r.callId(), dep, assignee, r.creatorId(), r.form(), r.createdAt(), now, r.slaSeconds(), used,
                since, due, r.escalated()));
        String detail = r.status().key() + " → " + next.key() + (next == TicketStatus.ASSIGNED ? " (" + who(dep, assignee) + ")" : "")
                + (note != null ? ": " + note : "");
        TicketStore.event(h, e, r.id(), now, user, next == TicketStatus.ASSIGNED ? "assigned" : "status", detail);
        emit(h, e, r.id(), now, next == TicketStatus.ASSIGNED ? "assigned" : next == TicketStatus.CLOSED ? "closed" : "status", r.status(), user,
                note, null);
        if (next != r.status()) notices.customer(h, e, get(h, e, r.id()), next.key(), settings.notices(), now);
    }

    /**
     * A comment on the timeline: {@code comment}, or {@code reply} when it is for the customer (sent to them by the chosen
     * notices). The assignee is notified of another's comment when the notices say so.
     */
    public Ticket comment(Handle h, long e, long user, long id, NoteInput in) {
        var r = get(h, e, id);
        Validator.of().required("text", Validator.clean(in.text())).maxLength("text", in.text(), 4000).throwIfInvalid();
        boolean forCustomer = Boolean.TRUE.equals(in.forCustomer());
        String text = in.text().strip();
        Instant now = clock.instant();
        TicketStore.event(h, e, id, now, user, forCustomer ? "reply" : "comment", text);
        emit(h, e, id, now, "commented", r.status(), user, text, forCustomer);
        TicketSettings.Notices n = TicketStore.settings(h, e).notices();
        if (n.assigneeComments() && r.assigneeId() != null && r.assigneeId() != user) {
            TicketStore.notify(h, e, r.assigneeId(), now, "ticket.commented", id, r.trackingNumber() + " " + r.title() + ": "
                    + (text.length() > 400 ? text.substring(0, 400) + "…" : text));
        }
        if (forCustomer) notices.reply(h, e, r, text, n, now);
        return view(h, e, get(h, e, id));
    }

    /** Closing the loop: the result of calling the customer back, on the timeline (the dialing itself is the desk's click-to-dial). */
    public Ticket callback(Handle h, long e, long user, long id, CallbackInput in) {
        var r = get(h, e, id);
        Validator v = Validator.of().maxLength("note", in.note(), 2000).maxLength("callId", in.callId(), 64)
                .check(in.result() != null || Validator.clean(in.note()) != null, "result", "a result or a note is required");
        if (in.result() != null) v.check(CALLBACK_RESULTS.contains(in.result()), "result", "one of " + String.join(", ", CALLBACK_RESULTS));
        v.throwIfInvalid();
        String call = Validator.clean(in.callId());
        String words = (in.result() != null ? in.result() : "note") + (r.callerNumber() != null ? " " + r.callerNumber() : "")
                + (call != null ? " call " + call : "") + (Validator.clean(in.note()) != null ? ": " + in.note().strip() : "");
        TicketStore.event(h, e, id, clock.instant(), user, "callback", words, call);
        return view(h, e, get(h, e, id));
    }

    /** What calling a ticket's customer back dials: the ticket's caller number, else its customer's first phone; a 400 when none. */
    public String callbackNumber(Handle h, long e, TicketStore.Row r) {
        if (r.callerNumber() != null) return r.callerNumber();
        String phone = r.customerId() == null ? null : TicketStore.firstPhone(h, e, r.customerId()).orElse(null);
        if (phone == null) throw DomainException.invalid("callerNumber", "the ticket has no caller number and no customer with a phone");
        return phone;
    }

    /** The call-back was placed (the agent's device rings, then the customer): on the timeline with its call, before its result. */
    public Ticket callbackDialled(Handle h, long e, long user, long id, String number, String callId) {
        get(h, e, id);
        TicketStore.event(h, e, id, clock.instant(), user, "callback_dialled", number + (callId != null ? " call " + callId : ""), callId);
        return view(h, e, get(h, e, id));
    }

    // ---- notifications and memos

    public List<TicketStore.Notification> notifications(Handle h, long e, long user, boolean unreadOnly) {
        return TicketStore.notifications(h, e, user, unreadOnly);
    }

    public void markRead(Handle h, long e, long user, long id) {
        if (TicketStore.markRead(h, e, user, id, clock.instant()) == 0) throw DomainException.notFound("notification");
    }

    /** Memos on a customer the user may see (another is NOT_FOUND) or on a call (those on customers they may not see left out). */
    public List<TicketStore.Memo> memos(Handle h, long e, Long customer, String call, Scope scope) {
        Validator.of().check(customer != null || call != null, "customerId", "customerId or callId is required").throwIfInvalid();
        if (customer != null && !TicketStore.customerVisible(h, scope, customer)) throw DomainException.notFound("customer");
        return TicketStore.memos(h, e, customer, call, null, scope);
    }

    public TicketStore.Memo addMemo(Handle h, long e, long user, MemoInput in, Scope scope) {
        Validator v = Validator.of().check(in.customerId() != null || Validator.clean(in.callId()) != null, "customerId", "customerId or callId is required")
                .required("text", Validator.clean(in.text())).maxLength("text", in.text(), 4000).maxLength("callId", in.callId(), 64);
        checkCustomer(h, e, v, in.customerId(), scope);
        v.throwIfInvalid();
        long id = TicketStore.insertMemo(h, e, in.customerId(), Validator.clean(in.callId()), user, in.text().strip(), clock.instant());
        return TicketStore.memos(h, e, null, null, id).get(0);
    }

    public void deleteMemo(Handle h, long e, long user, boolean manager, long id, Scope scope) {
        var m = TicketStore.memos(h, e, null, null, id, scope).stream().findFirst().orElseThrow(() -> DomainException.notFound("memo"));
        if (!manager && (m.authorId() == null || m.authorId() != user)) throw DomainException.forbidden("only the author or a ticket manager deletes a memo");
        TicketStore.deleteMemo(h, e, id);
    }
}
