package dev.hotline.acd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.directory.User;
import dev.hotline.directory.UserStore;
import dev.hotline.domain.Validator;
import dev.hotline.masking.Masking;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** HTTP routes of the ACD: agent sessions and states, members, skills, reason codes, live figures. */
public final class AcdRoutes {
    private AcdRoutes() {}

    /** A skill or reason code: letters, digits, '_' and '-'. */
    static final String CODE = "[\\p{L}\\p{N}_\\-]{1,32}";

    public record MemberInput(Integer penalty) {}

    public record SkillInput(String name) {}

    public record ReasonInput(String code, String name) {}

    /** @param device sip, webrtc or external; @param number the outside number of an external device */
    public record SessionInput(String device, String number) {}

    /** @param reason a reason code of the enterprise, required for not_ready */
    public record StateInput(String state, String reason) {}

    /** An agent's level (1..10) in a skill. */
    public record SkillLevel(String skill, int level) {}

    public static void register(Api root, Jdbi jdbi, AuditLog audit, Acd acd, AgentDesk desk, Masking masking) {
        // ---- queue members (ACD-2)
        Api q = root.tagged("queues");
        q.get("/queues/live", "Live figures of every queue: waiting, longest wait, agents by state, today's counters")
                .returnsList(QueueLive.class).handle(Permission.MONITOR_READ, (ctx, me) -> ctx.json(masking.forViewer(me).json(acd.live(me.enterpriseId()))));
        q.get("/queues/waiting", "Callers waiting in the queues, in the order they will be served")
                .returnsList(Acd.WaitingView.class).handle(Permission.MONITOR_READ, (ctx, me) -> ctx.json(masking.forViewer(me).json(acd.waiting(me.enterpriseId()))));
        q.get("/queues/{id}/members", "Members of a queue in offer order (penalty 0 first)").returnsList(QueueStore.Member.class)
                .handle(Permission.QUEUE_READ, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.withHandle(h -> {
                        queue(h, me.enterpriseId(), id);
                        return QueueStore.members(h, me.enterpriseId()).stream().filter(m -> m.queueId() == id).toList();
                    }));
                });
        q.put("/queues/{id}/members/{userId}", "Add a user to a queue or change their penalty (0..100, 0 is offered first)")
                .body(MemberInput.class).returns(QueueStore.Member.class).handle(Permission.QUEUE_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        Queue queue = queue(h, me.enterpriseId(), id);
                        User u = user(h, me.enterpriseId(), pathId(ctx, "userId"));
                        var in = Json.body(ctx, MemberInput.class);
                        int penalty = in.penalty() == null ? 0 : in.penalty();
                        Validator.of().check(penalty >= 0 && penalty <= 100, "penalty", "0..100").throwIfInvalid();
                        QueueStore.setMember(h, queue.id(), u.id(), penalty);
                        audit.record(h, me, ctx.ip(), "queue.member.set", queue.name(), u.username() + " penalty=" + penalty);
                        return QueueStore.members(h, me.enterpriseId()).stream().filter(m -> m.queueId() == id && m.userId() == u.id())
                                .findFirst().orElseThrow();
                    }));
                });
        q.delete("/queues/{id}/members/{userId}", "Remove a user from a queue").handle(Permission.QUEUE_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                Queue queue = queue(h, me.enterpriseId(), id);
                User u = user(h, me.enterpriseId(), pathId(ctx, "userId"));
                if (!QueueStore.removeMember(h, queue.id(), u.id())) throw ApiException.notFound("member");
                audit.record(h, me, ctx.ip(), "queue.member.remove", queue.name(), u.username());
            });
            ctx.status(204);
        });

        // ---- skills (ACD-2)
        Api s = root.tagged("skills");
        s.get("/skills", "List skills").returnsList(QueueStore.Skill.class).handle(Permission.QUEUE_READ, (ctx, me) ->
                ctx.json(jdbi.withHandle(h -> QueueStore.skills(h, me.enterpriseId()))));
        s.post("/skills", "Create a skill").body(SkillInput.class).returns(QueueStore.Skill.class).handle(Permission.QUEUE_WRITE, (ctx, me) -> {
            var in = Json.body(ctx, SkillInput.class);
            String name = Validator.clean(in.name());
            Validator.of().required("name", name).matches("name", name, CODE, "1..32 letters, digits, _ or -").throwIfInvalid();
            ctx.status(201).json(jdbi.inTransaction(h -> {
                if (QueueStore.skills(h, me.enterpriseId()).stream().anyMatch(k -> k.name().equalsIgnoreCase(name))) {
                    throw new ApiException(409, "conflict", "skill already exists", List.of(new ApiException.FieldError("name", "already exists")));
                }
                long id = QueueStore.insertSkill(h, me.enterpriseId(), name);
                audit.record(h, me, ctx.ip(), "skill.create", name, null);
                return new QueueStore.Skill(id, name);
            }));
        });
        s.delete("/skills/{id}", "Delete a skill no queue requires (agents' levels in it go too)").handle(Permission.QUEUE_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                QueueStore.Skill skill = QueueStore.skills(h, me.enterpriseId()).stream().filter(k -> k.id() == id).findFirst()
                        .orElseThrow(() -> ApiException.notFound("skill"));
                for (Queue queue : QueueStore.list(h, me.enterpriseId())) {
                    if (queue.settings().skills().stream().anyMatch(r -> skill.name().equals(r.skill()))) {
                        throw ApiException.conflict("queue " + queue.name() + " requires this skill");
                    }
                }
                QueueStore.deleteSkill(h, me.enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "skill.delete", skill.name(), null);
            });
            ctx.status(204);
        });
        s.get("/users/{id}/skills", "A user's skills with their levels").returnsList(SkillLevel.class).handle(Permission.QUEUE_READ, (ctx, me) -> {
            long id = WebServer.id(ctx);
            ctx.json(jdbi.withHandle(h -> {
                user(h, me.enterpriseId(), id);
                return skillsOf(h, me.enterpriseId(), id);
            }));
        });
        s.put("/users/{id}/skills", "Replace a user's skills: {\"english\": 5, ...} or [{\"skill\": \"english\", \"level\": 5}]; levels 1..10")
                .body(JsonNode.class).returnsList(SkillLevel.class).handle(Permission.QUEUE_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        User u = user(h, me.enterpriseId(), id);
                        Map<String, Integer> levels = levels(Json.body(ctx, JsonNode.class));
                        Map<String, Long> known = new LinkedHashMap<>();
                        QueueStore.skills(h, me.enterpriseId()).forEach(k -> known.put(k.name(), k.id()));
                        Validator v = Validator.of();
                        Map<Long, Integer> byId = new LinkedHashMap<>();
                        levels.forEach((name, level) -> {
                            if (!known.containsKey(name)) v.add(name, "no such skill");
                            else if (level == null || level < 1 || level > 10) v.add(name, "level 1..10");
                            else byId.put(known.get(name), level);
                        });
                        v.throwIfInvalid();
                        QueueStore.setAgentSkills(h, u.id(), byId);
                        List<SkillLevel> out = skillsOf(h, me.enterpriseId(), u.id());
                        audit.record(h, me, ctx.ip(), "agent.skills", u.username(),
                                String.join(" ", out.stream().map(x -> x.skill() + "=" + x.level()).toList()));
                        return out;
                    }));
                });

        // ---- reason codes (AGENT-1)
        Api r = root.tagged("reason-codes");
        r.get("/reason-codes", "Reasons an agent can give for not being ready").returnsList(QueueStore.ReasonCode.class)
                .handleAuthenticated((ctx, me) -> ctx.json(jdbi.withHandle(h -> QueueStore.reasons(h, me.enterpriseId()))));
        r.post("/reason-codes", "Create a reason code").body(ReasonInput.class).returns(QueueStore.ReasonCode.class)
                .handle(Permission.QUEUE_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, ReasonInput.class);
                    String code = Validator.clean(in.code());
                    String name = Validator.clean(in.name());
                    Validator.of().required("code", code).matches("code", code, CODE, "1..32 letters, digits, _ or -")
                            .required("name", name).maxLength("name", name, 64).throwIfInvalid();
                    ctx.status(201).json(jdbi.inTransaction(h -> {
                        if (QueueStore.reasons(h, me.enterpriseId()).stream().anyMatch(x -> x.code().equalsIgnoreCase(code))) {
                            throw new ApiException(409, "conflict", "reason code already exists",
                                    List.of(new ApiException.FieldError("code", "already exists")));
                        }
                        long id = QueueStore.insertReason(h, me.enterpriseId(), code, name);
                        audit.record(h, me, ctx.ip(), "reason.create", code, name);
                        return new QueueStore.ReasonCode(id, code, name);
                    }));
                });
        r.delete("/reason-codes/{id}", "Delete a reason code").handle(Permission.QUEUE_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                QueueStore.ReasonCode rc = QueueStore.reasons(h, me.enterpriseId()).stream().filter(x -> x.id() == id).findFirst()
                        .orElseThrow(() -> ApiException.notFound("reason code"));
                QueueStore.deleteReason(h, me.enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "reason.delete", rc.code(), null);
            });
            ctx.status(204);
        });

        // ---- the agent's own session and state (AGENT-1, AGENT-3)
        Api a = root.tagged("agent");
        a.post("/agent/session", "Log in as an agent on a device: sip (your extension's phone) or external (a phone number)")
                .body(SessionInput.class).returns(AgentView.class).handle(Permission.AGENT_DESK, (ctx, me) -> {
                    var in = Json.body(ctx, SessionInput.class);
                    ctx.json(desk.login(me.enterpriseId(), me.userId(), in.device(), in.number(), "agent"));
                });
        a.delete("/agent/session", "Log out as an agent").returns(AgentView.class).handle(Permission.AGENT_DESK, (ctx, me) ->
                ctx.json(desk.logout(me.enterpriseId(), me.userId(), "agent")));
        a.get("/agent/state", "Your agent state (logged_out when not logged in)").returns(AgentView.class).handle(Permission.AGENT_DESK, (ctx, me) ->
                ctx.json(desk.view(me.enterpriseId(), me.userId())));
        a.put("/agent/state", "Go ready, or not ready with a reason code").body(StateInput.class).returns(AgentView.class)
                .handle(Permission.AGENT_DESK, (ctx, me) -> {
                    var in = Json.body(ctx, StateInput.class);
                    ctx.json(desk.changeState(me.enterpriseId(), me.userId(), in.state(), in.reason(), "agent"));
                });

        // ---- supervisors (SUP-1, SUP-2)
        Api sup = root.tagged("agents");
        sup.get("/agents", "Live state of every queue member and signed-in agent").returnsList(AgentView.class)
                .handle(Permission.MONITOR_READ, (ctx, me) -> ctx.json(acd.agents(me.enterpriseId())));
        sup.put("/agents/{id}/state", "Force an agent ready, not ready (with a reason) or logged out").body(StateInput.class)
                .returns(AgentView.class).handle(Permission.AGENT_MANAGE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    User u = jdbi.withHandle(h -> user(h, me.enterpriseId(), id));
                    var in = Json.body(ctx, StateInput.class);
                    AgentView out = desk.changeState(me.enterpriseId(), u.id(), in.state(), in.reason(), "supervisor");
                    jdbi.useTransaction(h -> audit.record(h, me, ctx.ip(), "agent.state", u.username(),
                            "state=" + out.state().key() + (out.reason() == null ? "" : " reason=" + out.reason())));
                    ctx.json(out);
                });
        sup.get("/agents/{id}/events", "An agent's state log, newest first (from, to: ISO-8601; limit 1..1000, default 100)")
                .returnsList(AgentStore.StateChange.class).handle(Permission.MONITOR_READ, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    Instant from = WebServer.instantParam(ctx, "from");
                    Instant to = WebServer.instantParam(ctx, "to");
                    Long limit = WebServer.longParam(ctx, "limit");
                    Validator.of().check(limit == null || (limit >= 1 && limit <= 1000), "limit", "1..1000").throwIfInvalid();
                    ctx.json(jdbi.withHandle(h -> {
                        user(h, me.enterpriseId(), id);
                        return AgentStore.history(h, me.enterpriseId(), id, from, to, limit == null ? 100 : limit.intValue());
                    }));
                });
    }

    static Queue queue(Handle h, long enterpriseId, long id) {
        return QueueStore.byId(h, enterpriseId, id).orElseThrow(() -> ApiException.notFound("queue"));
    }

    static User user(Handle h, long enterpriseId, long id) {
        return UserStore.byId(h, enterpriseId, id).orElseThrow(() -> ApiException.notFound("user"));
    }

    static List<SkillLevel> skillsOf(Handle h, long enterpriseId, long userId) {
        return QueueStore.agentSkills(h, enterpriseId).stream().filter(x -> x.userId() == userId)
                .map(x -> new SkillLevel(x.skill(), x.level())).toList();
    }

    /** A positive id path parameter other than {id}; anything else is not found. */
    static long pathId(Context ctx, String name) {
        try {
            long id = Long.parseLong(ctx.pathParam(name));
            if (id > 0) return id;
        } catch (NumberFormatException ignored) {
            // fall through
        }
        throw ApiException.notFound("object");
    }

    /** Skill levels from {"english": 5} or [{"skill": "english", "level": 5}]; a level that is not a whole number is null. */
    static Map<String, Integer> levels(JsonNode body) {
        Map<String, Integer> out = new LinkedHashMap<>();
        if (body.isObject()) {
            body.fields().forEachRemaining(en -> out.put(en.getKey(), en.getValue().isInt() ? en.getValue().intValue() : null));
        } else if (body.isArray()) {
            List<String> bad = new ArrayList<>();
            for (JsonNode item : body) {
                JsonNode skill = item.path("skill");
                JsonNode level = item.path("level");
                if (!skill.isTextual()) {
                    bad.add("skill");
                    continue;
                }
                out.put(skill.asText(), level.isInt() ? level.intValue() : null);
            }
            if (!bad.isEmpty()) throw ApiException.invalid("skill", "each item needs a skill name");
        } else {
            throw ApiException.badRequest("an object of skill levels or a list of {skill, level} is required");
        }
        return out;
    }
}
