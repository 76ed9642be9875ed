package dev.hotline.supervision;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.auth.Principal;
import dev.hotline.directory.User;
import dev.hotline.directory.UserStore;
import dev.hotline.domain.Validator;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

/** SUP-2 over HTTP: supervisions of agents' calls, and hanging an agent's call up. Every action is in the operation log. */
public final class SupervisionRoutes {
    private SupervisionRoutes() {}

    /** Start a supervision: {@code agentId} a user on a call, {@code mode} listen, whisper or barge. */
    public record StartInput(Long agentId, String mode) {}

    /** Switch the mode of a supervision. */
    public record ModeInput(String mode) {}

    public static void register(Api root, Jdbi jdbi, AuditLog audit, Supervision supervision) {
        Api r = root.tagged("supervision");
        root.tagged("settings").get("/settings/supervision", "Whether agents are told that a supervisor is on their call")
                .returns(SupervisionSettings.class).handle(Permission.MONITOR_READ, (ctx, me) ->
                        ctx.json(jdbi.withHandle(h -> SupervisionSettings.load(h, me.enterpriseId()))));
        root.tagged("settings").put("/settings/supervision", "Tell agents (or not) that a supervisor is on their call")
                .body(SupervisionSettings.Input.class).returns(SupervisionSettings.class).handle(Permission.AGENT_MANAGE, (ctx, me) -> {
                    SupervisionSettings in = SupervisionSettings.validate(Json.body(ctx, SupervisionSettings.Input.class));
                    jdbi.useTransaction(h -> {
                        in.save(h, me.enterpriseId());
                        audit.record(h, me, ctx.ip(), "settings.supervision", null, "tellAgent=" + in.tellAgent());
                    });
                    ctx.json(in);
                });
        r.get("/supervision", "Supervisions in progress in your enterprise").returnsList(Supervision.View.class)
                .handle(Permission.MONITOR_READ, (ctx, me) -> ctx.json(supervision.list(me.enterpriseId())));
        r.post("/supervision", "Call your phone (desk device or registered extension) and join an agent's call to listen, whisper or barge")
                .body(StartInput.class).returns(Supervision.View.class).handle(Permission.CALL_SUPERVISE, (ctx, me) -> {
                    var in = Json.body(ctx, StartInput.class);
                    Validator.of().required("agentId", in.agentId()).required("mode", in.mode()).throwIfInvalid();
                    Supervision.Mode mode = Supervision.Mode.parse(in.mode());
                    User agent = user(jdbi, me, in.agentId());
                    Supervision.View v = supervision.start(me.enterpriseId(), me.userId(), agent.id(), mode);
                    log(jdbi, audit, ctx, me, "call." + mode.key(), agent.username(), "call=" + v.callId());
                    ctx.status(201).json(v);
                });
        r.put("/supervision/{sid}", "Switch between listen, whisper and barge").body(ModeInput.class).returns(Supervision.View.class)
                .handle(Permission.CALL_SUPERVISE, (ctx, me) -> {
                    var in = Json.body(ctx, ModeInput.class);
                    Validator.of().required("mode", in.mode()).throwIfInvalid();
                    Supervision.Mode mode = Supervision.Mode.parse(in.mode());
                    Supervision.View v = supervision.mode(me.enterpriseId(), ctx.pathParam("sid"), mode);
                    log(jdbi, audit, ctx, me, "call." + mode.key(), agentName(jdbi, me, v.agentUserId()), "call=" + v.callId());
                    ctx.json(v);
                });
        r.post("/supervision/{sid}/takeover", "Take the call over: the customer talks with you, the agent's leg ends")
                .returns(Supervision.View.class).handle(Permission.CALL_SUPERVISE, (ctx, me) -> {
                    Supervision.View v = supervision.takeOver(me.enterpriseId(), ctx.pathParam("sid"));
                    log(jdbi, audit, ctx, me, "call.takeover", agentName(jdbi, me, v.agentUserId()), "call=" + v.callId());
                    ctx.json(v);
                });
        r.delete("/supervision/{sid}", "Leave the call (your phone is hung up)").handle(Permission.CALL_SUPERVISE, (ctx, me) -> {
            Supervision.View v = supervision.stop(me.enterpriseId(), ctx.pathParam("sid"));
            log(jdbi, audit, ctx, me, "call.leave", agentName(jdbi, me, v.agentUserId()), "call=" + v.callId());
            ctx.status(204);
        });
        r.post("/agents/{id}/hangup", "Hang up the agent's call for both parties").handle(Permission.CALL_SUPERVISE, (ctx, me) -> {
            User agent = user(jdbi, me, WebServer.id(ctx));
            supervision.hangUp(me.enterpriseId(), me.userId(), agent.id());
            log(jdbi, audit, ctx, me, "call.hangup", agent.username(), null);
            ctx.status(204);
        });
    }

    private static User user(Jdbi jdbi, Principal me, long id) {
        return jdbi.withHandle(h -> UserStore.byId(h, me.enterpriseId(), id)).orElseThrow(() -> ApiException.notFound("user"));
    }

    private static String agentName(Jdbi jdbi, Principal me, long id) {
        return jdbi.withHandle(h -> UserStore.byId(h, me.enterpriseId(), id)).map(User::username).orElse(String.valueOf(id));
    }

    private static void log(Jdbi jdbi, AuditLog audit, Context ctx, Principal me, String action, String target, String detail) {
        jdbi.useTransaction(h -> audit.record(h, me, ctx.ip(), action, target, detail));
    }
}
