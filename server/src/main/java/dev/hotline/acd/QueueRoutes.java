package dev.hotline.acd;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.web.Validator;
import dev.hotline.web.WebServer;
import java.util.List;
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
        var strategy = strategyKey == null ? java.util.Optional.of(Queue.Strategy.RING_ALL) : Queue.Strategy.parse(strategyKey);
        Validator.of().required("name", name).maxLength("name", name, 64)
                .check(strategy.isPresent(), "strategy", "one of " + List.of(Queue.Strategy.values()).stream().map(Queue.Strategy::key).toList())
                .maxLength("description", in.description(), 256).throwIfInvalid();
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
}
