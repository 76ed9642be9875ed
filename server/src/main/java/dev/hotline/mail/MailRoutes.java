package dev.hotline.mail;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.domain.DomainException;
import dev.hotline.web.Api;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** MSG-2 over HTTP: the enterprise's SMTP settings, a test message, and the outbox (with sending a message again). */
public final class MailRoutes {
    private MailRoutes() {}

    /** @param to where the test message goes */
    public record TestInput(String to) {}

    public record Sent(boolean sent, String to) {}

    /** A message of the outbox as the API shows it (without the body). */
    public record OutboxView(long id, String kind, String to, String subject, String attachmentName, String status, int attempts,
                             String createdAt, String nextAt, String sentAt, String failedAt, String lastError) {
        static OutboxView of(MailStore.Outgoing m) {
            return new OutboxView(m.id(), m.kind(), m.to(), m.subject(), m.attachmentName(), m.status(), m.attempts(), m.createdAt().toString(),
                    m.sentAt() == null && m.failedAt() == null ? m.nextAt().toString() : null, m.sentAt() == null ? null : m.sentAt().toString(),
                    m.failedAt() == null ? null : m.failedAt().toString(), m.lastError());
        }
    }

    public static void register(Api root, Jdbi jdbi, AuditLog audit, Mailer mailer, Clock clock) {
        Api r = root.tagged("mail");
        r.get("/mail/settings", "The enterprise's e-mail settings (the password is never returned: passwordSet tells whether one is stored)")
                .returns(Mailer.SettingsView.class)
                .handle(Permission.MAIL_MANAGE, (ctx, me) -> ctx.json(jdbi.withHandle(h -> mailer.settings(h, me.enterpriseId()))));
        r.put("/mail/settings", "Set the enterprise's SMTP server (host blank: the server's default); password null keeps the stored one")
                .body(Mailer.SettingsInput.class).returns(Mailer.SettingsView.class).handle(Permission.MAIL_MANAGE, (ctx, me) -> {
                    Mailer.SettingsInput in = Json.body(ctx, Mailer.SettingsInput.class);
                    ctx.json(jdbi.inTransaction(h -> {
                        Mailer.SettingsView v = mailer.save(h, me.enterpriseId(), in);
                        audit.record(h, me, ctx.ip(), "mail.settings", v.source(), v.host() == null ? null : v.host() + ":" + v.port() + " " + v.security());
                        return v;
                    }));
                });
        r.post("/mail/test", "Send a test message now through the enterprise's SMTP server (503 with the server's answer when it fails)")
                .body(TestInput.class).returns(Sent.class).handle(Permission.MAIL_MANAGE, (ctx, me) -> {
                    TestInput in = Json.body(ctx, TestInput.class);
                    mailer.testSend(me.enterpriseId(), in.to(), "Hotline test message / 测试邮件",
                            "This message was sent by Hotline to test the e-mail settings.\n这封邮件由 Hotline 发送，用于测试邮件设置。\n");
                    jdbi.useHandle(h -> audit.record(h, me, ctx.ip(), "mail.test", in.to().strip(), null));
                    ctx.json(new Sent(true, in.to().strip()));
                });
        r.get("/mail/outbox", "The outbox, newest first (status: pending, sent or failed; limit ≤ 500)").returnsList(OutboxView.class)
                .handle(Permission.MAIL_MANAGE, (ctx, me) -> {
                    String status = ctx.queryParam("status");
                    if (status != null && !List.of("pending", "sent", "failed").contains(status)) {
                        throw DomainException.invalid("status", "pending, sent or failed");
                    }
                    int limit = limit(ctx.queryParam("limit"));
                    ctx.json(jdbi.withHandle(h -> MailStore.list(h, me.enterpriseId(), status, limit)).stream().map(OutboxView::of).toList());
                });
        r.post("/mail/outbox/{id}/retry", "Send a pending or failed message again now").returns(OutboxView.class)
                .handle(Permission.MAIL_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        MailStore.Outgoing m = MailStore.byId(h, me.enterpriseId(), id).orElseThrow(() -> DomainException.notFound("mail"));
                        if (!MailStore.retryNow(h, me.enterpriseId(), id, clock.instant())) throw DomainException.conflict("the message was sent already");
                        audit.record(h, me, ctx.ip(), "mail.retry", String.valueOf(id), m.to());
                        return OutboxView.of(MailStore.byId(h, me.enterpriseId(), id).orElseThrow());
                    }));
                });
    }

    private static int limit(String s) {
        if (s == null || s.isBlank()) return 100;
        try {
            int n = Integer.parseInt(s.strip());
            if (n >= 1 && n <= 500) return n;
        } catch (NumberFormatException ignored) {
            // refused below
        }
        throw DomainException.invalid("limit", "a whole number from 1 to 500");
    }
}
