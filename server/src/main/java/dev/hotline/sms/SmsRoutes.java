package dev.hotline.sms;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.masking.Masking;
import dev.hotline.web.Api;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * MSG-3 over HTTP: the gateway settings and quotas, templates, the after-call switch per queue ({@code sms.manage}); sending
 * and one's own messages ({@code sms.send}; the whole log with {@code sms.manage}). Numbers go out masked per viewer
 * (CRM-5) and a masked number's reference is accepted as {@code to}.
 */
public final class SmsRoutes {
    private SmsRoutes() {}

    public static void register(Api root, Jdbi jdbi, AuditLog audit, Sms sms, Masking masking) {
        Api r = root.tagged("sms");
        r.get("/sms/settings", "The enterprise's SMS gateway (SMPP or HTTP), quotas, usage and the link's state; the password is never returned")
                .returns(Sms.SettingsView.class)
                .handle(Permission.SMS_MANAGE, (ctx, me) -> ctx.json(jdbi.withHandle(h -> sms.settings(h, me.enterpriseId()))));
        r.put("/sms/settings", "Set the SMS gateway: kind none, smpp (host, port, systemId, password, systemType) or http (url, method,"
                        + " contentType, body with {to} {text} {from}, success codes); sourceAddress; dailyQuota, monthlyQuota (parts)")
                .body(Sms.SettingsInput.class).returns(Sms.SettingsView.class).handle(Permission.SMS_MANAGE, (ctx, me) -> {
                    Sms.SettingsInput in = Json.body(ctx, Sms.SettingsInput.class);
                    ctx.json(jdbi.inTransaction(h -> {
                        Sms.SettingsView v = sms.save(h, me.enterpriseId(), in);
                        audit.record(h, me, ctx.ip(), "sms.settings", v.kind(), v.host() != null ? v.host() + ":" + v.port() : v.url());
                        return v;
                    }));
                });
        r.get("/sms/templates", "The enterprise's SMS templates (variables {name} {number} {ticket} {agent} {queue} {date} {time} {company})")
                .returnsList(Sms.Template.class)
                .handle(Permission.SMS_SEND, (ctx, me) -> ctx.json(jdbi.withHandle(h -> sms.templates(h, me.enterpriseId()))));
        r.post("/sms/templates", "Add a template").body(Sms.TemplateInput.class).returns(Sms.Template.class)
                .handle(Permission.SMS_MANAGE, (ctx, me) -> {
                    Sms.TemplateInput in = Json.body(ctx, Sms.TemplateInput.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> {
                        Sms.Template t = sms.saveTemplate(h, me.enterpriseId(), null, in);
                        audit.record(h, me, ctx.ip(), "sms.template.create", t.name(), "id=" + t.id());
                        return t;
                    }));
                });
        r.get("/sms/templates/{id}", "One template").returns(Sms.Template.class).handle(Permission.SMS_SEND, (ctx, me) -> {
            long id = WebServer.id(ctx);
            ctx.json(jdbi.withHandle(h -> sms.template(h, me.enterpriseId(), id)));
        });
        r.put("/sms/templates/{id}", "Change a template").body(Sms.TemplateInput.class).returns(Sms.Template.class)
                .handle(Permission.SMS_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    Sms.TemplateInput in = Json.body(ctx, Sms.TemplateInput.class);
                    ctx.json(jdbi.inTransaction(h -> {
                        Sms.Template t = sms.saveTemplate(h, me.enterpriseId(), id, in);
                        audit.record(h, me, ctx.ip(), "sms.template.update", t.name(), "id=" + id);
                        return t;
                    }));
                });
        r.delete("/sms/templates/{id}", "Delete a template (queues sending it after calls stop)").handle(Permission.SMS_MANAGE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                Sms.Template t = sms.template(h, me.enterpriseId(), id);
                sms.deleteTemplate(h, me.enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "sms.template.delete", t.name(), "id=" + id);
            });
            ctx.status(204);
        });
        r.get("/sms/after-call", "Each queue with the template its answered callers get by SMS when the call ends (null: off)")
                .returnsList(Sms.AfterCall.class)
                .handle(Permission.SMS_MANAGE, (ctx, me) -> ctx.json(jdbi.withHandle(h -> sms.afterCall(h, me.enterpriseId()))));
        r.put("/sms/after-call/{id}", "Turn a queue's after-call SMS on (templateId) or off (null); id is the queue's")
                .body(Sms.AfterCallInput.class).returns(Sms.AfterCall.class).handle(Permission.SMS_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    Sms.AfterCallInput in = Json.body(ctx, Sms.AfterCallInput.class);
                    ctx.json(jdbi.inTransaction(h -> {
                        Sms.AfterCall a = sms.setAfterCall(h, me.enterpriseId(), id, in);
                        audit.record(h, me, ctx.ip(), "sms.after_call", a.queue(), a.templateName());
                        return a;
                    }));
                });
        r.post("/sms/send", "Queue an SMS: to (or its masked reference, or the ticket's / customer's number), templateId or text,"
                        + " customerId, ticketId, callId, variables; 429 when a quota is used up")
                .body(Sms.SendInput.class).returns(Sms.MessageView.class).handle(Permission.SMS_SEND, (ctx, me) -> {
                    Sms.SendInput body = Json.body(ctx, Sms.SendInput.class);
                    Sms.SendInput in = new Sms.SendInput(masking.real(me.enterpriseId(), body.to(), "to"), body.templateId(), body.text(),
                            body.customerId(), body.ticketId(), body.callId(), body.variables());
                    ctx.status(202).json(masking.forViewer(me).json(jdbi.inTransaction(h -> sms.send(h, me, in))));
                });
        r.get("/sms/messages", "The message log, newest first: status, direction (in, out), kind, number, customerId, from, to, limit (≤ 500);"
                        + " only one's own without sms.manage")
                .returnsList(Sms.MessageView.class).handle(Permission.SMS_SEND, (ctx, me) -> {
                    String number = ctx.queryParam("number");
                    var f = new Sms.ListFilter(ctx.queryParam("status"), ctx.queryParam("direction"), ctx.queryParam("kind"),
                            number == null ? null : masking.real(me.enterpriseId(), number, "number"), WebServer.longParam(ctx, "customerId"),
                            WebServer.instantParam(ctx, "from"), WebServer.instantParam(ctx, "to"), limit(ctx.queryParam("limit")));
                    List<Sms.MessageView> list = jdbi.withHandle(h -> sms.list(h, me, f, me.can(Permission.SMS_MANAGE)));
                    ctx.json(masking.forViewer(me).json(list));
                });
        r.get("/sms/messages/{id}", "One message (one's own without sms.manage)").returns(Sms.MessageView.class)
                .handle(Permission.SMS_SEND, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(masking.forViewer(me).json(jdbi.withHandle(h -> sms.message(h, me, id, me.can(Permission.SMS_MANAGE)))));
                });
        r.post("/sms/messages/{id}/retry", "Send a failed (or queued) message again now").returns(Sms.MessageView.class)
                .handle(Permission.SMS_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(masking.forViewer(me).json(jdbi.inTransaction(h -> {
                        Sms.MessageView m = sms.retry(h, me.enterpriseId(), id);
                        audit.record(h, me, ctx.ip(), "sms.retry", String.valueOf(id), null);
                        return m;
                    })));
                });
    }

    private static Integer limit(String s) {
        if (s == null || s.isBlank()) return null;
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return -1; // refused by the validation, naming limit
        }
    }
}
