package dev.hotline.acd;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.domain.Validator;
import dev.hotline.ivr.FlowStore;
import dev.hotline.web.WebServer;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** HTTP routes for queues as plain records. */
public final class QueueRoutes {
    private QueueRoutes() {}

    public record QueueInput(String name, String strategy, String description, QueueSettings settings) {}

    public static void register(Api root, Jdbi jdbi, AuditLog audit) {
        Api api = root.tagged("queues");
        api.get("/queues", "List queues").returnsList(Queue.class).handle(Permission.QUEUE_READ, (ctx, me) ->
                ctx.json(jdbi.withHandle(h -> QueueStore.list(h, me.enterpriseId()))));
        api.post("/queues", "Create a queue").body(QueueInput.class).returns(Queue.class).handle(Permission.QUEUE_WRITE, (ctx, me) -> {
            var in = Json.body(ctx, QueueInput.class);
            ctx.status(201).json(jdbi.inTransaction(h -> {
                Queue q = save(h, me.enterpriseId(), null, in);
                audit.record(h, me, ctx.ip(), "queue.create", q.name(), "strategy=" + q.strategy().key());
                return q;
            }));
        });
        api.put("/queues/{id}", "Change a queue").body(QueueInput.class).returns(Queue.class).handle(Permission.QUEUE_WRITE, (ctx, me) -> {
            var in = Json.body(ctx, QueueInput.class);
            long id = WebServer.id(ctx);
            ctx.json(jdbi.inTransaction(h -> {
                Queue q = save(h, me.enterpriseId(), id, in);
                audit.record(h, me, ctx.ip(), "queue.update", q.name(), "strategy=" + q.strategy().key());
                return q;
            }));
        });
        api.delete("/queues/{id}", "Delete a queue").handle(Permission.QUEUE_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                Queue q = QueueStore.byId(h, me.enterpriseId(), id).orElseThrow(() -> ApiException.notFound("queue"));
                QueueStore.delete(h, me.enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "queue.delete", q.name(), null);
            });
            ctx.status(204);
        });
    }

    static Queue save(Handle h, long enterpriseId, Long id, QueueInput in) {
        String name = Validator.clean(in.name());
        String strategyKey = Validator.clean(in.strategy());
        var strategy = strategyKey == null ? Optional.of(Queue.Strategy.RING_ALL) : Queue.Strategy.parse(strategyKey);
        Validator v = Validator.of().required("name", name).maxLength("name", name, 64)
                .check(strategy.isPresent(), "strategy", "one of " + List.of(Queue.Strategy.values()).stream().map(Queue.Strategy::key).toList())
                .maxLength("description", in.description(), 256);
        if (in.settings() != null) validateSettings(h, enterpriseId, name, in.settings(), v);
        v.throwIfInvalid();
        QueueStore.list(h, enterpriseId).stream().filter(q -> q.name().equalsIgnoreCase(name) && !Long.valueOf(q.id()).equals(id)).findAny()
                .ifPresent(q -> {
                    throw new ApiException(409, "conflict", "queue name already exists", List.of(new ApiException.FieldError("name", "already exists")));
                });
        if (id == null) return QueueStore.byId(h, enterpriseId, QueueStore.insert(h, enterpriseId, name, strategy.get(),
                Validator.clean(in.description()), in.settings())).orElseThrow();
        Queue old = QueueStore.byId(h, enterpriseId, id).orElseThrow(() -> ApiException.notFound("queue"));
        QueueStore.update(h, enterpriseId, id, name, strategy.get(), Validator.clean(in.description()),
                in.settings() == null ? old.settings() : in.settings());
        return QueueStore.byId(h, enterpriseId, id).orElseThrow();
    }

    /** Keys a caller may press in a queue (ACD-6). */
    static final String KEY = "[0-9*#]";
    /** A VIP number: digits, optionally a prefix ending in '*' (ACD-3). */
    static final String VIP = "\\+?[0-9]{1,32}\\*?";

    /** Checks every ACD setting; errors are named {@code settings.<field>}. */
    static void validateSettings(Handle h, long enterpriseId, String queueName, QueueSettings s, Validator v) {
        range(v, "ringTimeoutSeconds", s.ringTimeoutSeconds(), 5, 300);
        range(v, "maxWaitSeconds", s.maxWaitSeconds(), 0, 86400);
        range(v, "maxCallers", s.maxCallers(), 0, 100000);
        destination(h, enterpriseId, queueName, "overflow", s.overflow(), v);
        destination(h, enterpriseId, queueName, "noAgents", s.noAgents(), v);
        range(v, "wrapUpSeconds", s.wrapUpSeconds(), 0, 3600);
        range(v, "autoPauseAfterMissed", s.autoPauseAfterMissed(), 0, 20);
        v.check(s.announcePositionSeconds() == 0 || (s.announcePositionSeconds() >= 5 && s.announcePositionSeconds() <= 600),
                "settings.announcePositionSeconds", "0 (never) or 5..600");
        v.check(s.periodicSeconds() == 0 || (s.periodicSeconds() >= 10 && s.periodicSeconds() <= 3600), "settings.periodicSeconds",
                "0 (never) or 10..3600");
        v.maxLength("settings.periodicText", s.periodicText(), 500);
        v.check(s.periodicSeconds() == 0 || s.periodicText() != null, "settings.periodicText", "required");
        v.matches("settings.voicemailKey", s.voicemailKey(), KEY, "one of 0-9, * or #");
        v.matches("settings.callbackKey", s.callbackKey(), KEY, "one of 0-9, * or #");
        v.check(s.voicemailKey() == null || !s.voicemailKey().equals(s.callbackKey()), "settings.callbackKey",
                "must differ from the voicemail key");
        Set<String> known = new HashSet<>();
        QueueStore.skills(h, enterpriseId).forEach(k -> known.add(k.name()));
        Set<String> seen = new HashSet<>();
        for (QueueSettings.SkillRequirement r : s.skills()) {
            if (r == null || r.skill() == null || !known.contains(r.skill())) {
                v.add("settings.skills", "no such skill" + (r == null || r.skill() == null ? "" : ": " + r.skill()));
            } else if (r.minLevel() < 1 || r.minLevel() > 10) {
                v.add("settings.skills", "minimum level of " + r.skill() + " must be 1..10");
            } else if (!seen.add(r.skill())) {
                v.add("settings.skills", r.skill() + " listed twice");
            }
        }
        range(v, "widenSkillsAfterSeconds", s.widenSkillsAfterSeconds(), 0, 86400);
        range(v, "stickySeconds", s.stickySeconds(), 0, 600);
        range(v, "priorityAgingSeconds", s.priorityAgingSeconds(), 0, 3600);
        range(v, "serviceLevelSeconds", s.serviceLevelSeconds(), 1, 3600);
        range(v, "shortAbandonSeconds", s.shortAbandonSeconds(), 0, 600);
        v.check(s.survey().language().matches("zh|en"), "settings.survey.language", "zh or en");
        v.maxLength("settings.survey.scorePrompt", s.survey().scorePrompt(), 500);
        v.maxLength("settings.survey.reasonPrompt", s.survey().reasonPrompt(), 500);
        v.maxLength("settings.survey.thanksPrompt", s.survey().thanksPrompt(), 500);
        v.check(s.vipNumbers().size() <= 1000, "settings.vipNumbers", "at most 1000 numbers");
        for (String n : s.vipNumbers()) {
            if (n == null || !n.matches(VIP)) {
                v.add("settings.vipNumbers", "digits, optionally ending in * for a prefix: " + n);
                break;
            }
        }
    }

    private static void range(Validator v, String field, int value, int min, int max) {
        v.check(value >= min && value <= max, "settings." + field, min + ".." + max);
    }

    private static void destination(Handle h, long enterpriseId, String queueName, String field, QueueSettings.Destination d, Validator v) {
        if (d == null) return;
        String f = "settings." + field;
        String type = d.type();
        String value = Validator.clean(d.value());
        if (type == null || !QueueSettings.Destination.TYPES.contains(type)) {
            v.add(f, "type must be one of " + QueueSettings.Destination.TYPES);
            return;
        }
        if (type.equals("hangup")) return;
        if (value == null) {
            v.add(f, "required");
            return;
        }
        switch (type) {
            case "queue" -> {
                if (value.equals(queueName)) v.add(f, "cannot be the queue itself");
                else v.check(QueueStore.byName(h, enterpriseId, value).isPresent(), f, "no such queue");
            }
            case "flow" -> v.check(FlowStore.byName(h, enterpriseId, value).isPresent(), f, "no such flow");
            case "extension" -> v.check(QueueStore.extensionExists(h, enterpriseId, value), f, "no such extension");
            default -> {
                boolean ok;
                if (value.startsWith("queue:")) {
                    String q = value.substring(6);
                    ok = q.equals(queueName) || QueueStore.byName(h, enterpriseId, q).isPresent();
                } else if (value.startsWith("extension:")) {
                    ok = QueueStore.extensionExists(h, enterpriseId, value.substring(10));
                } else {
                    ok = false;
                }
                v.check(ok, f, "queue:<name> or extension:<number> of an existing box");
            }
        }
    }
}
