package dev.hotline.sms;

import dev.hotline.auth.Principal;
import dev.hotline.crm.Customer;
import dev.hotline.crm.Customers;
import dev.hotline.crm.PhoneNumbers;
import dev.hotline.crm.Scope;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.mail.SecretBox;
import dev.hotline.report.CallLogEvent;
import dev.hotline.report.LogEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * MSG-3 SMS: an enterprise's gateway settings (SMPP or an HTTP template; the SMPP password sealed and never returned), its
 * templates with variables, the after-call SMS of a queue, quotas per day and month, and sending: a message is checked,
 * rendered, counted against the quotas and queued in the caller's transaction; {@link SmsSender} sends it on a thread of
 * its own. The quotas count parts (what the carrier bills).
 */
public final class Sms {
    static final int MAX_TEXT = 1000;
    static final String NUMBER = "\\+?[0-9]{3,20}";
    /** The variables a template may use. */
    static final Set<String> VARIABLES = Set.of("name", "number", "ticket", "agent", "queue", "date", "time", "company");
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final String HOST = "[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\]";

    private final Clock clock;
    private final SecretBox secrets;
    private final ZoneId zone;
    private final Customers customers;
    private final SmsSender sender;

    public Sms(Clock clock, SecretBox secrets, ZoneId zone, Customers customers, SmsSender sender) {
        this.clock = clock;
        this.secrets = secrets;
        this.zone = zone;
        this.customers = customers;
        this.sender = sender;
    }

    // ================================================================ settings

    /** The gateway's link as the sender sees it now: none, connecting, bound (SMPP) or ready (HTTP), with the last error. */
    public record Link(String state, String lastError) {}

    /** An enterprise's SMS settings as the API shows them (never the password: passwordSet). */
    public record SettingsView(String kind, String sourceAddress, String host, Integer port, String systemId, boolean passwordSet, String systemType,
                               String url, String method, String contentType, String body, String success, Integer dailyQuota,
                               Integer monthlyQuota, long usedToday, long usedThisMonth, Link link) {}

    /**
     * @param kind     none, smpp or http
     * @param password null keeps the stored one
     * @param success  the HTTP status codes meaning sent, e.g. 200-299 or 200,202
     */
    public record SettingsInput(String kind, String sourceAddress, String host, Integer port, String systemId, String password, String systemType,
                                String url, String method, String contentType, String body, String success, Integer dailyQuota,
                                Integer monthlyQuota) {}

    public SettingsView settings(Handle h, long enterpriseId) {
        Optional<SmsStore.Row> row = SmsStore.settings(h, enterpriseId);
        Instant now = clock.instant();
        long today = SmsStore.partsSince(h, enterpriseId, startOfDay(now));
        long month = SmsStore.partsSince(h, enterpriseId, startOfMonth(now));
        if (row.isEmpty()) return new SettingsView("none", null, null, null, null, false, null, null, null, null, null, null, null, null,
                today, month, new Link("none", null));
        SmsStore.Row r = row.get();
        return new SettingsView(r.kind(), r.sourceAddress(), r.smppHost(), r.smppPort(), r.systemId(), r.sealedPassword() != null, r.systemType(),
                r.httpUrl(), r.httpMethod(), r.httpContentType(), r.httpBody(), r.httpSuccess(), r.dailyQuota(), r.monthlyQuota(), today, month,
                sender.link(enterpriseId, r.kind()));
    }

    /** Validates and stores an enterprise's settings (refusals name the field), then (re)opens its gateway link. */
    public SettingsView save(Handle h, long enterpriseId, SettingsInput in) {
        String kind = in.kind() == null ? null : in.kind().strip().toLowerCase(Locale.ROOT);
        Validator.of().required("kind", kind).check(kind == null || List.of("none", "smpp", "http").contains(kind), "kind", "none, smpp or http")
                .check(in.dailyQuota() == null || in.dailyQuota() >= 0, "dailyQuota", "0 or more (empty: no limit)")
                .check(in.monthlyQuota() == null || in.monthlyQuota() >= 0, "monthlyQuota", "0 or more (empty: no limit)")
                .throwIfInvalid();
        String src = Validator.clean(in.sourceAddress());
        Optional<SmsStore.Row> old = SmsStore.settings(h, enterpriseId);
        SmsStore.Row row;
        switch (kind) {
            case "smpp" -> {
                String host = Validator.clean(in.host());
                String systemId = Validator.clean(in.systemId());
                String systemType = Validator.clean(in.systemType());
                String kept = old.filter(r -> "smpp".equals(r.kind())).map(SmsStore.Row::sealedPassword).orElse(null);
                Validator.of().required("host", host).matches("host", host, HOST, "a host name or address")
                        .required("port", in.port()).check(in.port() == null || (in.port() >= 1 && in.port() <= 65535), "port", "1 to 65535")
                        .required("systemId", systemId).maxLength("systemId", systemId, 15)
                        .check(in.password() != null || kept != null, "password", "required")
                        .check(in.password() == null || in.password().length() <= 8, "password", "at most 8 characters (SMPP 3.4)")
                        .maxLength("systemType", systemType, 12)
                        .maxLength("sourceAddress", src, 20)
                        .throwIfInvalid();
                String sealed = in.password() == null ? kept : secrets.encrypt(in.password());
                row = new SmsStore.Row("smpp", host, in.port(), systemId, sealed, systemType, src, null, null, null, null, null,
                        in.dailyQuota(), in.monthlyQuota(), clock.instant());
            }
            case "http" -> {
                String url = Validator.clean(in.url());
                String method = in.method() == null ? "POST" : in.method().strip().toUpperCase(Locale.ROOT);
                String success = Validator.clean(in.success()) == null ? "200-299" : in.success().strip();
                Validator.of().required("url", url).matches("url", url, "https?://\\S+", "an http:// or https:// URL").maxLength("url", url, 1000)
                        .check(List.of("GET", "POST", "PUT").contains(method), "method", "GET, POST or PUT")
                        .maxLength("body", in.body(), 4000).maxLength("contentType", in.contentType(), 100)
                        .check(HttpGateway.ranges(success) != null, "success", "status codes like 200-299 or 200,202")
                        .check(url == null || url.contains("{to}") || (in.body() != null && in.body().contains("{to}")), "url", "{to} in the URL or the body")
                        .check(url == null || url.contains("{text}") || (in.body() != null && in.body().contains("{text}")), "body",
                                "{text} in the URL or the body")
                        .maxLength("sourceAddress", src, 20)
                        .throwIfInvalid();
                row = new SmsStore.Row("http", null, null, null, null, null, src, url, method, Validator.clean(in.contentType()), in.body(), success,
                        in.dailyQuota(), in.monthlyQuota(), clock.instant());
            }
            default -> row = new SmsStore.Row("none", null, null, null, null, null, src, null, null, null, null, null, in.dailyQuota(),
                    in.monthlyQuota(), clock.instant());
        }
        SmsStore.saveSettings(h, enterpriseId, row);
        sender.reconfigure(enterpriseId, row);
        return settings(h, enterpriseId);
    }

    // ================================================================ templates

    public record Template(long id, String name, String body, int parts, String encoding, Instant createdAt) {
        static Template of(SmsStore.Template t) {
            return new Template(t.id(), t.name(), t.body(), SmsText.partCount(t.body()), SmsText.encodingOf(t.body()).key(), t.createdAt());
        }
    }

    public record TemplateInput(String name, String body) {}

    public List<Template> templates(Handle h, long enterpriseId) {
        return SmsStore.templates(h, enterpriseId).stream().map(Template::of).toList();
    }

    public Template template(Handle h, long enterpriseId, long id) {
        return SmsStore.template(h, enterpriseId, id).map(Template::of).orElseThrow(() -> DomainException.notFound("SMS template"));
    }

    public Template saveTemplate(Handle h, long enterpriseId, Long id, TemplateInput in) {
        if (id != null) template(h, enterpriseId, id); // 404 first
        String name = Validator.clean(in.name());
        String body = in.body() == null || in.body().isBlank() ? null : in.body().strip();
        Validator v = Validator.of().required("name", name).maxLength("name", name, 100).required("body", body).maxLength("body", body, MAX_TEXT);
        if (body != null) {
            Matcher m = VARIABLE.matcher(body);
            while (m.find()) {
                if (!VARIABLES.contains(m.group(1))) {
                    v.add("body", "unknown variable {" + m.group(1) + "}: use " + String.join(", ", VARIABLES.stream().sorted().map(x -> "{" + x + "}").toList()));
                    break;
                }
            }
        }
        v.throwIfInvalid();
        if (SmsStore.templateNameTaken(h, enterpriseId, name, id)) throw DomainException.conflict("a template has this name", "name", "already used");
        if (id == null) return template(h, enterpriseId, SmsStore.insertTemplate(h, enterpriseId, name, body, clock.instant()));
        SmsStore.updateTemplate(h, enterpriseId, id, name, body);
        return template(h, enterpriseId, id);
    }

    public void deleteTemplate(Handle h, long enterpriseId, long id) {
        template(h, enterpriseId, id);
        SmsStore.deleteTemplate(h, enterpriseId, id);
    }

    /** A queue's after-call switch: the template its answered callers get when the call ends (null: none). */
    public record AfterCall(long queueId, String queue, Long templateId, String templateName) {
        static AfterCall of(SmsStore.AfterCall a) {
            return new AfterCall(a.queueId(), a.queue(), a.templateId(), a.templateName());
        }
    }

    public record AfterCallInput(Long templateId) {}

    public List<AfterCall> afterCall(Handle h, long enterpriseId) {
        return SmsStore.afterCall(h, enterpriseId).stream().map(AfterCall::of).toList();
    }

    public AfterCall setAfterCall(Handle h, long enterpriseId, long queueId, AfterCallInput in) {
        SmsStore.afterCall(h, enterpriseId, queueId).orElseThrow(() -> DomainException.notFound("queue"));
        if (in.templateId() != null && SmsStore.template(h, enterpriseId, in.templateId()).isEmpty()) {
            throw DomainException.invalid("templateId", "no such template");
        }
        SmsStore.setAfterCall(h, enterpriseId, queueId, in.templateId());
        return AfterCall.of(SmsStore.afterCall(h, enterpriseId, queueId).orElseThrow());
    }

    // ================================================================ sending

    /**
     * A message to send. {@code to}: the number (else the ticket's caller, else the customer's first number); the text is
     * the template's (with {@code variables} and the ones known from the customer, ticket and sender) or {@code text}.
     */
    public record SendInput(String to, Long templateId, String text, Long customerId, Long ticketId, String callId, Map<String, String> variables) {}

    /** A message as the API shows it; {@code number} is the other party (masked per viewer like any number). */
    public record MessageView(long id, String direction, String kind, String number, String sourceAddress, String text, String encoding, int parts,
                              String status, Long customerId, String customerName, Long ticketId, String callId, Long templateId, Long userId,
                              String userName, int attempts, Instant nextAt, String lastError, Instant createdAt, Instant sentAt, Instant doneAt) {
        static MessageView of(SmsStore.Message m) {
            return new MessageView(m.id(), m.direction(), m.kind(), m.peer(), m.sourceAddress(), m.text(), m.encoding(), m.parts(), m.status().key(),
                    m.customerId(), m.customerName(), m.ticketId(), m.callId(), m.templateId(), m.userId(), m.userName(), m.attempts(),
                    m.status() == SmsStatus.QUEUED ? m.nextAt() : null, m.lastError(), m.createdAt(), m.sentAt(), m.doneAt());
        }
    }

    /** Queues a message from a person (desk, ticket, console, API); refusals name the field, a quota exceeded is 429. */
    public MessageView send(Handle h, Principal me, SendInput in) {
        long e = me.enterpriseId();
        Map<String, String> vars = new HashMap<>();
        String to = Validator.clean(in.to());
        Long customerId = in.customerId();
        String kind = "manual";
        if (in.ticketId() != null) {
            var t = h.createQuery("SELECT tracking_number, customer_id, caller_number FROM ticket WHERE enterprise_id = :e AND id = :id")
                    .bind("e", e).bind("id", in.ticketId()).mapToMap().findOne()
                    .orElseThrow(() -> DomainException.invalid("ticketId", "no such ticket"));
            vars.put("ticket", (String) t.get("tracking_number"));
            if (customerId == null && t.get("customer_id") != null) customerId = ((Number) t.get("customer_id")).longValue();
            if (to == null) to = (String) t.get("caller_number");
            kind = "ticket";
        } else if (in.callId() != null) {
            kind = "desk";
        }
        Customer customer = null;
        if (customerId != null) {
            try {
                customer = customers.get(h, Scope.of(h, me), customerId);
            } catch (DomainException notVisible) {
                if (in.customerId() != null) throw DomainException.invalid("customerId", "no such customer");
            }
        }
        if (customer != null) {
            vars.put("name", customer.name());
            if (to == null && !customer.phones().isEmpty()) to = customer.phones().get(0).number();
        }
        if (to != null) to = to.replaceAll("[\\s()-]", "");
        Validator.of().required("to", to).matches("to", to, NUMBER, "a phone number (digits, + first for international)")
                .check(in.templateId() != null || (in.text() != null && !in.text().isBlank()), "text", "required (or a templateId)")
                .throwIfInvalid();
        Long templateId = in.templateId();
        String body;
        if (templateId != null) {
            body = SmsStore.template(h, e, templateId).map(SmsStore.Template::body)
                    .orElseThrow(() -> DomainException.invalid("templateId", "no such template"));
        } else {
            body = in.text().strip();
        }
        vars.put("number", to);
        h.createQuery("SELECT display_name FROM app_user WHERE id = :u AND enterprise_id = :e").bind("u", me.userId()).bind("e", e)
                .mapTo(String.class).findOne().ifPresent(n -> vars.put("agent", n));
        h.createQuery("SELECT name FROM enterprise WHERE id = :e").bind("e", e).mapTo(String.class).findOne().ifPresent(n -> vars.put("company", n));
        if (in.variables() != null) in.variables().forEach((k, v) -> vars.put(k, v == null ? "" : v));
        String text = render(body, vars, clock.instant());
        Validator.of().check(!text.isBlank(), "text", "empty once the variables are filled in")
                .check(text.length() <= MAX_TEXT, "text", "at most " + MAX_TEXT + " characters").throwIfInvalid();
        SmsText.Encoded enc = SmsText.encode(text, 0);
        Optional<String> over = quotaExceeded(h, e, enc.count());
        if (over.isPresent()) throw new DomainException(DomainException.Kind.TOO_MANY, "sms_quota", over.get());
        String source = SmsStore.settings(h, e).map(SmsStore.Row::sourceAddress).orElse(null);
        long id = SmsStore.insert(h, e, new SmsStore.NewMessage(kind, to, PhoneNumbers.matchingForm(to), source, text, enc.encoding().key(),
                enc.count(), SmsStatus.QUEUED, customer == null ? null : customer.id(), in.ticketId(), Validator.clean(in.callId()), templateId,
                me.userId(), null), clock.instant());
        return MessageView.of(SmsStore.byId(h, e, id).orElseThrow());
    }

    /**
     * What {@link #queueForCampaign} did: the message queued (or stored as failed over a quota), or nothing stored and why
     * ({@code refused}: a quota used up, the template gone, an empty text).
     */
    public record CampaignSms(Long messageId, String refused) {}

    /**
     * Queues the SMS a campaign sends one number of its list (kind {@code campaign}): the template's body or {@code text}
     * with {@code {name}}, {@code {number}}, {@code {company}}, {@code {date}}, {@code {time}} and the list's other columns
     * filled in, counted against the quotas like every message. Over a quota: stored as failed naming it when
     * {@code failOverQuota} (an SMS after a call outcome, like the after-call SMS), else nothing is stored and the quota's
     * reason returned (an SMS campaign waits for the quota).
     */
    public CampaignSms queueForCampaign(Handle h, long enterpriseId, String to, Long templateId, String text, Map<String, String> variables,
                                        boolean failOverQuota) {
        String number = to == null ? "" : to.replaceAll("[\\s()-]", "");
        if (!number.matches(NUMBER)) return new CampaignSms(null, "not a phone number: " + to);
        String body = text;
        if (templateId != null) {
            Optional<SmsStore.Template> t = SmsStore.template(h, enterpriseId, templateId);
            if (t.isEmpty()) return new CampaignSms(null, "the SMS template " + templateId + " is gone");
            body = t.get().body();
        }
        if (body == null || body.isBlank()) return new CampaignSms(null, "no text");
        Map<String, String> vars = new HashMap<>(variables);
        vars.put("number", number);
        h.createQuery("SELECT name FROM enterprise WHERE id = :e").bind("e", enterpriseId).mapTo(String.class).findOne().ifPresent(n -> vars.put("company", n));
        Instant now = clock.instant();
        String rendered = SmsStore.clip(render(body, vars, now), MAX_TEXT);
        if (rendered.isBlank()) return new CampaignSms(null, "empty once the variables are filled in");
        SmsText.Encoded enc = SmsText.encode(rendered, 0);
        Optional<String> over = quotaExceeded(h, enterpriseId, enc.count());
        if (over.isPresent() && !failOverQuota) return new CampaignSms(null, over.get());
        String source = SmsStore.settings(h, enterpriseId).map(SmsStore.Row::sourceAddress).orElse(null);
        long id = SmsStore.insert(h, enterpriseId, new SmsStore.NewMessage("campaign", number, PhoneNumbers.matchingForm(number), source, rendered,
                enc.encoding().key(), enc.count(), over.isPresent() ? SmsStatus.FAILED : SmsStatus.QUEUED, customerByNumber(h, enterpriseId, number)
                .orElse(null), null, null, templateId, null, over.orElse(null)), now);
        return new CampaignSms(id, null);
    }

    /** Whether the enterprise has this SMS template (a campaign names one). */
    public boolean templateExists(Handle h, long enterpriseId, long templateId) {
        return SmsStore.template(h, enterpriseId, templateId).isPresent();
    }

    /** The state (queued, sent, delivered, failed) of each of the enterprise's messages named, by id. */
    public Map<Long, String> statuses(Handle h, long enterpriseId, java.util.Collection<Long> ids) {
        return SmsStore.statuses(h, enterpriseId, ids);
    }

    /** The text of {@code body} with its variables filled in (unknown ones and missing values: empty). */
    static String render(String body, Map<String, String> vars, Instant now) {
        Map<String, String> all = new HashMap<>(vars);
        all.putIfAbsent("date", DateTimeFormatter.ISO_LOCAL_DATE.format(now.atZone(ZoneId.systemDefault())));
        all.putIfAbsent("time", DateTimeFormatter.ofPattern("HH:mm").format(now.atZone(ZoneId.systemDefault())));
        Matcher m = VARIABLE.matcher(body);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = all.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "" : v));
        }
        m.appendTail(out);
        return out.toString().strip();
    }

    /** Which quota {@code parts} more parts would exceed, as a message naming it; empty when within both. */
    Optional<String> quotaExceeded(Handle h, long enterpriseId, int parts) {
        Optional<SmsStore.Row> s = SmsStore.settings(h, enterpriseId);
        if (s.isEmpty()) return Optional.empty();
        Instant now = clock.instant();
        Integer day = s.get().dailyQuota();
        if (day != null && SmsStore.partsSince(h, enterpriseId, startOfDay(now)) + parts > day) {
            return Optional.of("the daily SMS quota (dailyQuota " + day + " parts) is used up");
        }
        Integer month = s.get().monthlyQuota();
        if (month != null && SmsStore.partsSince(h, enterpriseId, startOfMonth(now)) + parts > month) {
            return Optional.of("the monthly SMS quota (monthlyQuota " + month + " parts) is used up");
        }
        return Optional.empty();
    }

    private Instant startOfDay(Instant now) {
        return LocalDate.ofInstant(now, zone).atStartOfDay(zone).toInstant();
    }

    private Instant startOfMonth(Instant now) {
        return LocalDate.ofInstant(now, zone).withDayOfMonth(1).atStartOfDay(zone).toInstant();
    }

    /**
     * The event log's projection for the after-call SMS: when an answered inbound call of a queue with the switch on ends,
     * its caller's SMS is queued in the log's transaction (none lost across a restart); over a quota it is logged as failed.
     */
    public void project(Handle h, LogEvent event) {
        if (!(event instanceof CallLogEvent.Closed c)) return;
        var r = c.record();
        if (r.queue() == null || r.answeredAt() == null || !"inbound".equals(r.direction()) || r.caller() == null) return;
        String to = r.caller().replaceAll("[\\s()-]", "");
        if (!to.matches(NUMBER)) return;
        long e = c.enterpriseId();
        Optional<SmsStore.Template> t = SmsStore.afterCallTemplate(h, e, r.queue());
        if (t.isEmpty()) return;
        Map<String, String> vars = new HashMap<>();
        vars.put("number", to);
        vars.put("queue", r.queue());
        if (r.agentJob() != null) vars.put("agent", r.agentJob());
        Optional<Long> customerId = customerByNumber(h, e, to);
        customerId.flatMap(id -> h.createQuery("SELECT name FROM customer WHERE id = :id").bind("id", id).mapTo(String.class).findOne())
                .ifPresent(n -> vars.put("name", n));
        h.createQuery("SELECT name FROM enterprise WHERE id = :e").bind("e", e).mapTo(String.class).findOne().ifPresent(n -> vars.put("company", n));
        String text = SmsStore.clip(render(t.get().body(), vars, c.at()), MAX_TEXT);
        if (text.isBlank()) return;
        SmsText.Encoded enc = SmsText.encode(text, 0);
        Optional<String> over = quotaExceeded(h, e, enc.count());
        String source = SmsStore.settings(h, e).map(SmsStore.Row::sourceAddress).orElse(null);
        SmsStore.insert(h, e, new SmsStore.NewMessage("after_call", to, PhoneNumbers.matchingForm(to), source, text, enc.encoding().key(), enc.count(),
                over.isPresent() ? SmsStatus.FAILED : SmsStatus.QUEUED, customerId.orElse(null), null, c.callId(), t.get().id(), null,
                over.orElse(null)), clock.instant());
    }

    /**
     * BIZ-1: a ticket's notice to its customer, queued in the ticket's transaction (the sender's threads send it and retry);
     * over a quota it is logged as failed, never refused: the ticket's change goes on. False when {@code to} is no phone number.
     */
    public boolean queueTicketNotice(Handle h, long enterpriseId, String to, Long customerId, long ticketId, String callId, String text) {
        String number = to == null ? null : to.replaceAll("[\\s()-]", "");
        if (number == null || !number.matches(NUMBER) || text == null || text.isBlank()) return false;
        String body = SmsStore.clip(text.strip(), MAX_TEXT);
        SmsText.Encoded enc = SmsText.encode(body, 0);
        Optional<String> over = quotaExceeded(h, enterpriseId, enc.count());
        String source = SmsStore.settings(h, enterpriseId).map(SmsStore.Row::sourceAddress).orElse(null);
        SmsStore.insert(h, enterpriseId, new SmsStore.NewMessage("ticket", number, PhoneNumbers.matchingForm(number), source, body,
                enc.encoding().key(), enc.count(), over.isPresent() ? SmsStatus.FAILED : SmsStatus.QUEUED, customerId, ticketId, callId, null, null,
                over.orElse(null)), clock.instant());
        return true;
    }

    /** The enterprise's oldest customer with a number of the same matching form as {@code number}. */
    static Optional<Long> customerByNumber(Handle h, long enterpriseId, String number) {
        String match = PhoneNumbers.matchingForm(number);
        if (match == null) return Optional.empty();
        return h.createQuery("SELECT MIN(customer_id) FROM customer_phone WHERE enterprise_id = :e AND normalized = :n")
                .bind("e", enterpriseId).bind("n", match).mapTo(Long.class).findOne();
    }

    // ================================================================ the log

    public record ListFilter(String status, String direction, String kind, String number, Long customerId, Instant from, Instant to, Integer limit) {}

    /** The message log, newest first; without {@code sms.manage} only one's own messages. */
    public List<MessageView> list(Handle h, Principal me, ListFilter f, boolean all) {
        Optional<SmsStatus> status = SmsStatus.parse(f.status());
        Validator.of().check(f.status() == null || status.isPresent(), "status", "queued, sent, delivered, failed or received")
                .check(f.direction() == null || List.of("in", "out").contains(f.direction()), "direction", "in or out")
                .check(f.limit() == null || (f.limit() >= 1 && f.limit() <= 500), "limit", "1 to 500")
                .throwIfInvalid();
        String match = f.number() == null || f.number().isBlank() ? null : PhoneNumbers.matchingForm(f.number());
        return SmsStore.list(h, me.enterpriseId(), new SmsStore.Filter(status.orElse(null), f.direction(), Validator.clean(f.kind()), match,
                f.customerId(), all ? null : me.userId(), f.from(), f.to(), f.limit() == null ? 100 : f.limit())).stream()
                .map(MessageView::of).toList();
    }

    public MessageView message(Handle h, Principal me, long id, boolean all) {
        SmsStore.Message m = SmsStore.byId(h, me.enterpriseId(), id).orElseThrow(() -> DomainException.notFound("SMS"));
        if (!all && (m.userId() == null || m.userId() != me.userId())) throw DomainException.notFound("SMS");
        return MessageView.of(m);
    }

    /** Queues a failed message again now (a queued one is made due now); a sent or delivered one is a conflict. */
    public MessageView retry(Handle h, long enterpriseId, long id) {
        SmsStore.Message m = SmsStore.byId(h, enterpriseId, id).orElseThrow(() -> DomainException.notFound("SMS"));
        Instant now = clock.instant();
        if (m.status() == SmsStatus.QUEUED) {
            SmsStore.nudgeOne(h, id, now);
        } else if (!SmsStore.move(h, id, m.status(), SmsStatus.QUEUED, now, now, null)) {
            throw DomainException.conflict("the SMS changed meanwhile");
        }
        return MessageView.of(SmsStore.byId(h, enterpriseId, id).orElseThrow());
    }
}
