package dev.hotline.campaign;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.masking.Masking;
import dev.hotline.report.CampaignLogEvent;
import dev.hotline.report.ReportExport;
import dev.hotline.report.ReportTable;
import dev.hotline.sms.Sms;
import dev.hotline.web.Api;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** OUT-1..3 over HTTP: campaigns (settings, list import, start, pause, stop, progress, events) and the do-not-call list. */
public final class CampaignRoutes {
    private CampaignRoutes() {}

    static final int MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
    static final Set<String> RETRYABLE = Set.of("busy", "no_answer", "machine", "failed");
    static final Set<String> AMD_ACTIONS = Set.of("hangup", "message", "agent");
    static final Set<String> ANSWERS = Set.of("confirm", "refuse", "agent");
    /** When a calling campaign's SMS goes: after one of these outcomes, or after the number's last attempt. */
    static final Set<String> SMS_ON = Set.of("answered", "busy", "no_answer", "machine", "failed", "abandoned", "exhausted");

    /** A campaign as created or changed. */
    public record CampaignInput(String name, String mode, CampaignSettings settings) {}

    /** What an import did: rows added, rows refused (with their line and field), duplicates and do-not-call numbers left out. */
    public record ImportResult(int imported, int duplicates, int doNotCall, List<ContactList.RowError> errors) {}

    /** A campaign with its progress (contacts per state) and its dialling now (null until the dialer saw it running). */
    public record CampaignView(Campaign campaign, Map<String, Long> contacts, Dialer.Live live) {}

    public record DncInput(String number, String note) {}

    public record StateInput(String state) {}

    /** An agent's choice on a preview record: {@code dial} or {@code skip}. */
    public record PreviewInput(Long campaignId, Long contactId, String action) {}

    /**
     * @param events where a campaign's start, pause and end go (API-2: the event log, for webhooks and the event stream), once
     *               the change committed
     */
    public static void register(Api root, Jdbi jdbi, AuditLog audit, Clock clock, Dialer dialer, Masking masking, Sms sms,
                                Consumer<CampaignLogEvent> events) {
        Api r = root.tagged("campaigns");
        r.get("/campaigns", "The enterprise's outbound campaigns").returnsList(Campaign.class)
                .handle(Permission.CAMPAIGN_MANAGE, (ctx, me) -> ctx.json(jdbi.withHandle(h -> CampaignStore.list(h, me.enterpriseId()))));
        r.post("/campaigns", "Make a campaign (draft): mode, trunk or route, caller IDs, windows, retries, agents or queue")
                .body(CampaignInput.class).returns(Campaign.class).handle(Permission.CAMPAIGN_MANAGE, (ctx, me) -> {
                    CampaignInput in = Json.body(ctx, CampaignInput.class);
                    Campaign saved = jdbi.inTransaction(h -> {
                        validate(h, me.enterpriseId(), in, 0, sms);
                        long id = CampaignStore.insert(h, me.enterpriseId(), in.name().strip(), DialMode.parse(in.mode()).orElseThrow(),
                                in.settings(), clock.instant());
                        audit.record(h, me, ctx.ip(), "campaign.create", in.name(), in.mode());
                        return CampaignStore.byId(h, me.enterpriseId(), id).orElseThrow();
                    });
                    ctx.status(201).json(saved);
                });
        r.get("/campaigns/{id}", "A campaign with its progress (contacts per state)").returns(CampaignView.class)
                .handle(Permission.CAMPAIGN_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.withHandle(h -> new CampaignView(find(h, me.enterpriseId(), id), CampaignStore.countsByState(h, id),
                            dialer.live(id).orElse(null))));
                });
        r.put("/campaigns/{id}", "Change a draft or paused campaign").body(CampaignInput.class).returns(Campaign.class)
                .handle(Permission.CAMPAIGN_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    Campaign saved = jdbi.inTransaction(h -> {
                        Campaign c = find(h, me.enterpriseId(), id);
                        CampaignInput in = Json.body(ctx, CampaignInput.class);
                        if (!c.state().editable()) throw DomainException.conflict("a " + c.state().key() + " campaign cannot be changed");
                        validate(h, me.enterpriseId(), in, id, sms);
                        CampaignStore.update(h, me.enterpriseId(), id, in.name().strip(), DialMode.parse(in.mode()).orElseThrow(), in.settings());
                        audit.record(h, me, ctx.ip(), "campaign.update", in.name(), in.mode());
                        return CampaignStore.byId(h, me.enterpriseId(), id).orElseThrow();
                    });
                    ctx.json(saved);
                });
        r.put("/campaigns/{id}/sms", "MSG-3: change a campaign's SMS in any state but stopped (a running one sends the new text from its "
                        + "next number): text or templateId, after which outcomes (calling campaigns; on empty and no text: no SMS), "
                        + "perMinute (SMS campaigns: 1-6000 a minute, default 2400)")
                .body(CampaignSettings.Sms.class).returns(Campaign.class).handle(Permission.CAMPAIGN_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    Campaign saved = jdbi.inTransaction(h -> {
                        Campaign c = find(h, me.enterpriseId(), id);
                        if (c.state() == CampaignState.STOPPED) throw DomainException.conflict("a stopped campaign cannot be changed");
                        CampaignSettings.Sms in = Json.body(ctx, CampaignSettings.Sms.class);
                        // nothing given: no SMS (refused for an SMS campaign, which must have one)
                        boolean none = in == null || in.templateId() == null && Validator.clean(in.text()) == null
                                && (in.on() == null || in.on().isEmpty()) && in.perMinute() == null;
                        CampaignSettings.Sms next = none ? null : new CampaignSettings.Sms(in.templateId(), in.text(), in.on(), in.perMinute());
                        Validator v = Validator.of();
                        validateSms(h, me.enterpriseId(), c.mode(), next, sms, v, "");
                        v.throwIfInvalid();
                        CampaignStore.update(h, me.enterpriseId(), id, c.name(), c.mode(), c.settings().withSms(next));
                        audit.record(h, me, ctx.ip(), "campaign.sms", c.name(), next == null ? "none"
                                : (next.templateId() != null ? "template " + next.templateId() : "text") + (next.on() == null ? "" : " on " + next.on())
                                + (next.perMinute() == null ? "" : " " + next.perMinute() + "/min"));
                        return CampaignStore.byId(h, me.enterpriseId(), id).orElseThrow();
                    });
                    ctx.json(saved);
                });
        r.delete("/campaigns/{id}", "Delete a campaign that is not running, with its list").handle(Permission.CAMPAIGN_MANAGE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                Campaign c = find(h, me.enterpriseId(), id);
                if (c.state() == CampaignState.RUNNING) throw DomainException.conflict("pause or stop the campaign first");
                CampaignStore.delete(h, me.enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "campaign.delete", c.name(), null);
            });
            ctx.status(204);
        });
        r.post("/campaigns/{id}/state", "Start (running), pause (paused) or stop (stopped, for good) a campaign").body(StateInput.class)
                .returns(Campaign.class).handle(Permission.CAMPAIGN_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    Campaign saved = jdbi.inTransaction(h -> {
                        Campaign c = find(h, me.enterpriseId(), id);
                        StateInput in = Json.body(ctx, StateInput.class);
                        CampaignState target = in == null || in.state() == null ? null : java.util.Arrays.stream(CampaignState.values())
                                .filter(s -> s.key().equals(in.state())).findFirst().orElse(null);
                        if (target == null || target == CampaignState.DRAFT) throw DomainException.invalid("state", "running, paused or stopped");
                        CampaignState next = c.state().moveTo(target);
                        if (next == CampaignState.RUNNING && CampaignStore.countsByState(h, id).get("pending") == 0) {
                            throw DomainException.conflict("the list has no number left to call", "state", "import a list first");
                        }
                        CampaignStore.setState(h, me.enterpriseId(), id, next, clock.instant());
                        audit.record(h, me, ctx.ip(), "campaign.state", c.name(), c.state().key() + " -> " + next.key());
                        CampaignLogEvent ev = new CampaignLogEvent(me.enterpriseId(), clock.instant(), next.eventAction(), id, c.name(),
                                c.mode().key(), next.key(), c.state().key(), me.userId());
                        h.afterCommit(() -> events.accept(ev)); // API-2: nothing of a change rolled back
                        return CampaignStore.byId(h, me.enterpriseId(), id).orElseThrow();
                    });
                    dialer.changed(); // dialling starts or stops now, not at the next tick
                    ctx.json(saved);
                });
        r.post("/campaigns/{id}/contacts", "Import a list (CSV or xlsx, a header row with a number column); bad rows, duplicates and do-not-call numbers are left out and counted")
                .returns(ImportResult.class).handle(Permission.CAMPAIGN_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    jdbi.useHandle(h -> {
                        Campaign c = find(h, me.enterpriseId(), id);
                        if (!c.state().editable()) throw DomainException.conflict("a " + c.state().key() + " campaign's list cannot change");
                    });
                    ContactList.Parsed parsed = parseUpload(ctx);
                    ImportResult result = jdbi.inTransaction(h -> {
                        Campaign c = find(h, me.enterpriseId(), id);
                        Set<String> have = CampaignStore.numbers(h, id);
                        Set<String> dnc = CampaignStore.dncNumbers(h, me.enterpriseId());
                        int imported = 0;
                        int duplicates = 0;
                        int doNotCall = 0;
                        for (ContactList.Entry row : parsed.rows()) {
                            if (!have.add(row.number())) {
                                duplicates++;
                            } else if (dnc.contains(row.number())) {
                                doNotCall++;
                            } else {
                                CampaignStore.insertContact(h, me.enterpriseId(), id, row, clock.instant());
                                imported++;
                            }
                        }
                        audit.record(h, me, ctx.ip(), "campaign.import", c.name(), "imported=" + imported + " errors=" + parsed.errors().size()
                                + " duplicates=" + duplicates + " dnc=" + doNotCall);
                        return new ImportResult(imported, duplicates, doNotCall, parsed.errors());
                    });
                    ctx.status(201).json(result);
                });
        r.get("/campaigns/{id}/contacts", "A campaign's list with where each number stands (state, limit, offset)")
                .returnsList(CampaignStore.Contact.class).handle(Permission.CAMPAIGN_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    String state = ctx.queryParam("state");
                    if (state != null && !Set.of("pending", "dialling", "done", "exhausted", "skipped").contains(state)) {
                        throw DomainException.invalid("state", "pending, dialling, done, exhausted or skipped");
                    }
                    int limit = intParam(ctx.queryParam("limit"), 100, 1, 1000, "limit");
                    int offset = intParam(ctx.queryParam("offset"), 0, 0, Integer.MAX_VALUE, "offset");
                    ctx.json(masking.forViewer(me).json(jdbi.withHandle(h -> {
                        find(h, me.enterpriseId(), id);
                        List<CampaignStore.Contact> contacts = CampaignStore.contacts(h, me.enterpriseId(), id, state, limit, offset);
                        // MSG-3: each number's SMS state is its message's, read through the SMS feature
                        Map<Long, String> sent = sms.statuses(h, me.enterpriseId(),
                                contacts.stream().map(CampaignStore.Contact::smsId).filter(java.util.Objects::nonNull).toList());
                        return contacts.stream().map(c -> c.smsId() == null ? c : c.withSmsStatus(sent.get(c.smsId()))).toList();
                    })));
                });
        r.get("/campaigns/{id}/events", "A campaign's attempts and outcomes from the event log, oldest first (limit, offset)")
                .handle(Permission.CAMPAIGN_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    int limit = intParam(ctx.queryParam("limit"), 200, 1, 5000, "limit");
                    int offset = intParam(ctx.queryParam("offset"), 0, 0, Integer.MAX_VALUE, "offset");
                    ctx.json(masking.forViewer(me).json(jdbi.withHandle(h -> {
                        find(h, me.enterpriseId(), id);
                        return CampaignStore.events(h, me.enterpriseId(), id, limit, offset);
                    })));
                });
        r.get("/campaigns/{id}/results", "Every number's result (state, attempts, last outcome, key and answer, the list's columns) as CSV or xlsx (format, lang)")
                .handle(Permission.CAMPAIGN_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    String format = ctx.queryParam("format") == null ? "csv" : ctx.queryParam("format");
                    String lang = ctx.queryParam("lang") == null ? "en" : ctx.queryParam("lang");
                    Validator.of().check(format.equals("csv") || format.equals("xlsx"), "format", "csv or xlsx")
                            .check(lang.equals("en") || lang.equals("zh"), "lang", "en or zh").throwIfInvalid();
                    Campaign c = jdbi.withHandle(h -> find(h, me.enterpriseId(), id));
                    List<ReportTable.Column> columns = CampaignResults.columns(jdbi.withHandle(h -> CampaignStore.varNames(h, id)));
                    ctx.header("Content-Disposition", "attachment; filename=\"campaign-" + id + "-results." + format + "\"");
                    ctx.contentType(format.equals("csv") ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
                    try (ReportExport.RowWriter out = ReportExport.writer(format, "results", columns, lang, ctx.outputStream())) {
                        CampaignResults.write(jdbi, me.enterpriseId(), c.id(), masking.forViewer(me), out);
                    }
                });
        Api desk = root.tagged("agent");
        desk.get("/agent/preview", "The next record a preview campaign shows this agent (number, name, the list's columns); null when none")
                .returns(Dialer.PreviewRecord.class).handle(Permission.AGENT_DESK, (ctx, me) -> {
                    var next = dialer.nextPreview(me.enterpriseId(), me.userId());
                    if (next.isPresent()) ctx.json(masking.forViewer(me).json(next.get()));
                    else ctx.result("null").contentType("application/json");
                });
        desk.post("/agent/preview", "Dial (the server calls the number for this agent) or skip a preview record").body(PreviewInput.class)
                .handle(Permission.AGENT_DESK, (ctx, me) -> {
                    PreviewInput in = Json.body(ctx, PreviewInput.class);
                    if (in == null) throw DomainException.badRequest("a JSON body is required");
                    Validator.of().check(in.campaignId() != null, "campaignId", "required").check(in.contactId() != null, "contactId", "required")
                            .check("dial".equals(in.action()) || "skip".equals(in.action()), "action", "dial or skip").throwIfInvalid();
                    dialer.preview(me.enterpriseId(), me.userId(), in.campaignId(), in.contactId(), "dial".equals(in.action()));
                    jdbi.useHandle(h -> audit.record(h, me, ctx.ip(), "campaign.preview." + in.action(), String.valueOf(in.campaignId()),
                            String.valueOf(in.contactId())));
                    ctx.status(204);
                });
        r.get("/dnc", "The enterprise's do-not-call list").returnsList(CampaignStore.Dnc.class)
                .handle(Permission.CAMPAIGN_MANAGE, (ctx, me) -> ctx.json(masking.forViewer(me).json(jdbi.withHandle(h -> CampaignStore.dnc(h, me.enterpriseId())))));
        r.post("/dnc", "Add a number to the do-not-call list (no campaign dials it)").body(DncInput.class).returns(CampaignStore.Dnc.class)
                .handle(Permission.CAMPAIGN_MANAGE, (ctx, me) -> {
                    DncInput in = Json.body(ctx, DncInput.class);
                    if (in == null) throw DomainException.badRequest("a JSON body is required");
                    String number = ContactList.normalise(in.number()).orElseThrow(() -> DomainException.invalid("number", "a phone number: 3 to 20 digits"));
                    String note = Validator.clean(in.note());
                    Validator.of().maxLength("note", note, 128).throwIfInvalid();
                    CampaignStore.Dnc saved = jdbi.inTransaction(h -> {
                        if (CampaignStore.onDnc(h, me.enterpriseId(), number)) throw DomainException.conflict("already on the list", "number", "already on the list");
                        long id = CampaignStore.insertDnc(h, me.enterpriseId(), number, note, clock.instant());
                        audit.record(h, me, ctx.ip(), "dnc.add", number, note);
                        return CampaignStore.dncById(h, me.enterpriseId(), id).orElseThrow();
                    });
                    ctx.status(201).json(saved);
                });
        r.delete("/dnc/{id}", "Take a number off the do-not-call list").handle(Permission.CAMPAIGN_MANAGE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                CampaignStore.Dnc d = CampaignStore.dncById(h, me.enterpriseId(), id).orElseThrow(() -> DomainException.notFound("do-not-call number"));
                CampaignStore.deleteDnc(h, me.enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "dnc.remove", d.number(), null);
            });
            ctx.status(204);
        });
    }

    static Campaign find(Handle h, long enterpriseId, long id) {
        return CampaignStore.byId(h, enterpriseId, id).orElseThrow(() -> DomainException.notFound("campaign"));
    }

    static ContactList.Parsed parseUpload(Context ctx) {
        if (!ctx.isMultipartFormData()) throw DomainException.badRequest("send multipart/form-data with a 'file' field");
        var upload = ctx.uploadedFile("file");
        if (upload == null) throw DomainException.invalid("file", "required");
        if (upload.size() > MAX_UPLOAD_BYTES) throw DomainException.invalid("file", "larger than 20 MB");
        try (var in = upload.content()) {
            return ContactList.parse(upload.filename(), in.readAllBytes());
        } catch (java.io.IOException e) {
            throw DomainException.invalid("file", "could not be read");
        }
    }

    /**
     * MSG-3: checks a campaign's SMS ({@code smsOf}, null: none) for a campaign of {@code mode}; errors are named
     * {@code prefix} + ".text" and so on ({@code prefix} alone for a missing SMS; "" names the bare fields).
     */
    static void validateSms(Handle h, long enterpriseId, DialMode mode, CampaignSettings.Sms smsOf, Sms sms, Validator v, String prefix) {
        String p = prefix.isEmpty() ? "" : prefix + ".";
        if (mode == DialMode.SMS && smsOf == null) v.add(prefix.isEmpty() ? "text" : prefix, "required for an SMS campaign");
        if (smsOf == null) return;
        boolean template = smsOf.templateId() != null;
        boolean own = Validator.clean(smsOf.text()) != null;
        v.check(template != own, p + "text", "a text or a templateId (one of them)");
        v.check(!own || smsOf.text().length() <= 1000, p + "text", "at most 1000 characters");
        if (template && !sms.templateExists(h, enterpriseId, smsOf.templateId())) v.add(p + "templateId", "no such SMS template");
        if (mode == DialMode.SMS) {
            v.check(smsOf.on() == null || smsOf.on().isEmpty(), p + "on", "not used by an SMS campaign (every number gets the SMS)");
        } else {
            v.check(smsOf.on() != null && !smsOf.on().isEmpty() && SMS_ON.containsAll(smsOf.on()), p + "on",
                    "after which outcomes: answered, busy, no_answer, machine, failed, abandoned or exhausted");
        }
        Integer rate = smsOf.perMinute();
        v.check(rate == null || rate >= CampaignSettings.Sms.MIN_PER_MINUTE && rate <= CampaignSettings.Sms.MAX_PER_MINUTE, p + "perMinute",
                CampaignSettings.Sms.MIN_PER_MINUTE + " to " + CampaignSettings.Sms.MAX_PER_MINUTE + " messages a minute");
        v.check(rate == null || mode == DialMode.SMS, p + "perMinute", "only an SMS campaign has a rate (a calling campaign's SMS follow its calls)");
    }

    /** Checks a campaign's fields; objects it names (trunk, route, queue, agents, prompt) must be the enterprise's own. */
    static void validate(Handle h, long enterpriseId, CampaignInput in, long exceptId, Sms sms) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        Validator v = Validator.of();
        String name = Validator.clean(in.name());
        v.required("name", name).maxLength("name", name, 128);
        if (name != null && CampaignStore.nameTaken(h, enterpriseId, name, exceptId)) v.add("name", "already used by another campaign");
        DialMode mode = DialMode.parse(in.mode()).orElse(null);
        v.check(mode != null, "mode", "preview, progressive, predictive, notification or sms");
        CampaignSettings s = in.settings();
        if (s == null) {
            v.add("settings", "required");
            v.throwIfInvalid();
            return;
        }
        boolean calls = mode == null || mode.calls();
        v.check(!calls || (s.trunkId() == null) != (s.outboundRouteId() == null), "settings.trunkId", "give a trunkId or an outboundRouteId (one of them)");
        if (s.trunkId() != null && !owned(h, "trunk", enterpriseId, s.trunkId())) v.add("settings.trunkId", "no such trunk");
        if (s.outboundRouteId() != null && !owned(h, "outbound_route", enterpriseId, s.outboundRouteId())) {
            v.add("settings.outboundRouteId", "no such outbound route");
        }
        v.check(!calls && (s.callerIds() == null || s.callerIds().isEmpty()) || s.callerIds() != null && !s.callerIds().isEmpty() && s.callerIds().size() <= 50
                && s.callerIds().stream().allMatch(n -> ContactList.normalise(n).isPresent()), "settings.callerIds", "1 to 50 phone numbers");
        if (s.timeZone() != null) {
            try {
                ZoneId.of(s.timeZone());
            } catch (DateTimeException e) {
                v.add("settings.timeZone", "an IANA time zone such as Asia/Shanghai");
            }
        }
        if (s.windows() != null) {
            boolean ok = s.windows().size() <= 10;
            for (CampaignSettings.Window w : s.windows()) {
                try {
                    ok &= w != null && w.from().matches("\\d\\d:\\d\\d") && w.to().matches("\\d\\d:\\d\\d")
                            && LocalTime.parse(w.from()).isBefore(LocalTime.parse(w.to()));
                } catch (DateTimeParseException | NullPointerException e) {
                    ok = false;
                }
            }
            v.check(ok, "settings.windows", "up to 10 daily windows {from: HH:mm, to: HH:mm}, each ending after it starts");
        }
        if (s.retries() != null) {
            boolean ok = s.retries().entrySet().stream().allMatch(e -> RETRYABLE.contains(e.getKey()) && e.getValue() != null
                    && e.getValue().times() >= 0 && e.getValue().times() <= 10 && e.getValue().afterMinutes() >= 1 && e.getValue().afterMinutes() <= 10080);
            v.check(ok, "settings.retries", "per outcome busy, no_answer, machine or failed: {times: 0–10, afterMinutes: 1–10080}");
        }
        v.check(s.maxAttempts() == null || (s.maxAttempts() >= 1 && s.maxAttempts() <= 20), "settings.maxAttempts", "1 to 20");
        v.check(s.ringSeconds() == null || (s.ringSeconds() >= CampaignSettings.MIN_RING_SECONDS && s.ringSeconds() <= 120),
                "settings.ringSeconds", "15 to 120 (numbers ring at least 15 s)");
        if (mode != null && mode.needsAgents()) {
            boolean agents = s.agentIds() != null && !s.agentIds().isEmpty();
            v.check((s.queueId() != null) != agents, "settings.queueId", "give a queueId or agentIds (one of them)");
        }
        if (s.queueId() != null && !owned(h, "acd_queue", enterpriseId, s.queueId())) v.add("settings.queueId", "no such queue");
        if (s.agentIds() != null && (s.agentIds().size() > 500 || !s.agentIds().stream().allMatch(a -> a != null && owned(h, "app_user", enterpriseId, a)))) {
            v.add("settings.agentIds", "no such user");
        }
        if (s.amd() != null) {
            v.check(s.amd().action() != null && AMD_ACTIONS.contains(s.amd().action()), "settings.amd.action", "hangup, message or agent");
            // A notification campaign leaves its own message on a machine when it has no other.
            boolean noMessage = Validator.clean(s.amd().message()) == null;
            v.check(!"message".equals(s.amd().action()) || (noMessage && mode == DialMode.NOTIFICATION)
                            || (!noMessage && s.amd().message().length() <= 1000),
                    "settings.amd.message", "the text left after the beep (at most 1000 characters)");
            try {
                MachineDetection.params(s.amd());
            } catch (IllegalArgumentException e) {
                v.add("settings.amd.params", e.getMessage());
            }
        }
        validateSms(h, enterpriseId, mode, s.sms(), sms, v, "settings.sms");
        if (mode == DialMode.NOTIFICATION) {
            CampaignSettings.Notification n = s.notification();
            if (n == null) {
                v.add("settings.notification", "required for a notification campaign");
            } else {
                boolean text = Validator.clean(n.text()) != null;
                boolean prompt = Validator.clean(n.prompt()) != null;
                v.check(text != prompt, "settings.notification.text", "a text or a prompt (one of them)");
                v.check(!text || n.text().length() <= 2000, "settings.notification.text", "at most 2000 characters");
                if (text) {
                    try {
                        NotificationMessage.parse(n.text());
                    } catch (IllegalArgumentException e) {
                        v.add("settings.notification.text", e.getMessage());
                    }
                }
                v.check(n.lines() == null || (n.lines() >= 1 && n.lines() <= 100), "settings.notification.lines", "1 to 100");
                v.check(!n.keysOrDefault().containsValue("agent") || s.queueId() != null, "settings.queueId",
                        "a queue for the callers who ask for an agent");
                v.check(!prompt || n.prompt().matches("[A-Za-z0-9._-]{1,64}"), "settings.notification.prompt", "an uploaded prompt's name");
                v.check(n.repeat() == null || (n.repeat() >= 1 && n.repeat() <= 5), "settings.notification.repeat", "1 to 5");
                v.check(n.keys() == null || n.keys().entrySet().stream().allMatch(e -> e.getKey().matches("[0-9*#]") && ANSWERS.contains(e.getValue())),
                        "settings.notification.keys", "key (0–9, *, #) → confirm, refuse or agent");
            }
        }
        v.throwIfInvalid();
    }

    private static boolean owned(Handle h, String table, long enterpriseId, long id) {
        return h.createQuery("SELECT COUNT(*) FROM " + table + " WHERE enterprise_id = :e AND id = :id").bind("e", enterpriseId).bind("id", id)
                .mapTo(Long.class).one() > 0;
    }

    private static int intParam(String s, int dflt, int min, int max, String field) {
        if (s == null || s.isBlank()) return dflt;
        try {
            int n = Integer.parseInt(s.strip());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw DomainException.invalid(field, "a whole number from " + min + " to " + max);
    }
}
