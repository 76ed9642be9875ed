package dev.hotline.ivr;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.auth.Principal;
import dev.hotline.engine.tts.Language;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.domain.Validator;
import dev.hotline.web.WebServer;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** HTTP routes of IVR flows: drafts, validation, publish, versions and roll-back (IVR-1, IVR-3). */
public final class FlowRoutes {
    private FlowRoutes() {}

    public record FlowInput(String name, String description) {}

    public record FlowDetail(long id, String name, String description, Integer publishedVersion, int draftVersion,
                             Flow.Graph draft, Flow.Graph published) {}

    public record SaveResult(int version, List<Flow.Problem> problems) {}

    public record Problems(List<Flow.Problem> problems) {}

    public record Published(int version) {}

    /**
     * Whether a flow's published graph is open now (issue 14): the first time condition a call meets, its hours
     * ({@link Flow.Time#describe()}) and the local time there; {@code timeCondition} false when calls meet none.
     */
    public record OpenStatus(boolean published, boolean timeCondition, Boolean open, String hours, String localTime, String timezone,
                             List<Flow.WeeklyRange> weekly) {}

    public static void register(Api root, Jdbi jdbi, AuditLog audit, Ivr ivr, Clock clock) {
        Api api = root.tagged("ivr");
        api.get("/flows", "IVR flows").returnsList(FlowStore.FlowInfo.class).handle(Permission.IVR_READ, (ctx, me) ->
                ctx.json(jdbi.withHandle(h -> FlowStore.list(h, me.enterpriseId()))));
        api.post("/flows", "Create a flow with an empty draft").body(FlowInput.class).returns(FlowStore.FlowInfo.class)
                .handle(Permission.IVR_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, FlowInput.class);
                    String name = Validator.clean(in.name());
                    Validator.of().required("name", name).matches("name", name, "[a-z0-9_-]{1,32}", "1–32 lower-case letters, digits, '_' or '-'")
                            .maxLength("description", in.description(), 256).throwIfInvalid();
                    ctx.status(201).json(jdbi.inTransaction(h -> {
                        if (FlowStore.byName(h, me.enterpriseId(), name).isPresent()) {
                            throw new ApiException(409, "conflict", "flow name already exists", List.of(new ApiException.FieldError("name", "already exists")));
                        }
                        long id = FlowStore.create(h, me.enterpriseId(), name, Validator.clean(in.description()), me.username(), clock.instant());
                        audit.record(h, me, ctx.ip(), "flow.create", name, null);
                        return FlowStore.byId(h, me.enterpriseId(), id).orElseThrow();
                    }));
                });
        api.get("/flows/{id}", "A flow with its draft and published graphs").returns(FlowDetail.class).handle(Permission.IVR_READ, (ctx, me) ->
                ctx.json(jdbi.withHandle(h -> {
                    var f = flow(h, me, WebServer.id(ctx));
                    return new FlowDetail(f.id(), f.name(), f.description(), f.publishedVersion(), f.draftVersion(),
                            FlowStore.graph(h, f.id(), f.draftVersion()),
                            f.publishedVersion() == null ? null : FlowStore.graph(h, f.id(), f.publishedVersion()));
                })));
        api.put("/flows/{id}/draft", "Save the draft graph (problems are returned, not refused)").body(Flow.Graph.class).returns(SaveResult.class)
                .handle(Permission.IVR_WRITE, (ctx, me) -> {
                    Flow.Graph g = graphBody(ctx.body());
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        var f = flow(h, me, id);
                        int v = FlowStore.saveDraft(h, f, g, me.username(), clock.instant());
                        audit.record(h, me, ctx.ip(), "flow.save", f.name(), "version=" + v);
                        return new SaveResult(v, FlowValidator.validate(g, context(h, me.enterpriseId(), ivr)));
                    }));
                });
        api.post("/flows/{id}/validate", "Problems of the current draft").returns(Problems.class).handle(Permission.IVR_READ, (ctx, me) ->
                ctx.json(jdbi.withHandle(h -> {
                    var f = flow(h, me, WebServer.id(ctx));
                    return new Problems(FlowValidator.validate(FlowStore.graph(h, f.id(), f.draftVersion()), context(h, me.enterpriseId(), ivr)));
                })));
        api.post("/flows/{id}/publish", "Publish the draft: new calls run it (refused with the problems if it has any)").returns(Published.class)
                .handle(Permission.IVR_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> publish(h, me, id, null, ivr, audit, ctx.ip(), clock)));
                });
        api.get("/flows/{id}/status", "Whether the published flow is open now: its first time condition, hours and local time there")
                .returns(OpenStatus.class).handle(Permission.IVR_READ, (ctx, me) -> ctx.json(jdbi.withHandle(h -> {
                    var f = flow(h, me, WebServer.id(ctx));
                    if (f.publishedVersion() == null) return new OpenStatus(false, false, null, null, null, null, List.of());
                    return Flow.Time.first(FlowStore.graph(h, f.id(), f.publishedVersion()))
                            .map(t -> new OpenStatus(true, true, t.isOpenAt(clock.instant()), t.describe(),
                                    ZonedDateTime.now(clock.withZone(t.zone())).format(DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ENGLISH)),
                                    t.zone().getId(), t.weekly() == null ? List.of() : t.weekly()))
                            .orElse(new OpenStatus(true, false, null, null, null, null, List.of()));
                })));
        api.get("/flows/{id}/versions", "Versions of a flow, newest first").returnsList(FlowStore.VersionInfo.class)
                .handle(Permission.IVR_READ, (ctx, me) -> ctx.json(jdbi.withHandle(h -> FlowStore.versions(h, flow(h, me, WebServer.id(ctx))))));
        api.post("/flows/{id}/versions/{version}/publish", "Roll back: publish an earlier version again").returns(Published.class)
                .handle(Permission.IVR_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    int version;
                    try {
                        version = Integer.parseInt(ctx.pathParam("version"));
                    } catch (NumberFormatException e) {
                        throw ApiException.notFound("version");
                    }
                    ctx.json(jdbi.inTransaction(h -> publish(h, me, id, version, ivr, audit, ctx.ip(), clock)));
                });
        api.get("/flows/{id}/stats", "IVR statistics per node: visits, keys, timeouts, hang-ups (from, to ISO-8601; default the last 7 days)")
                .returns(FlowStats.Stats.class).handle(Permission.IVR_READ, (ctx, me) -> {
                    java.time.Instant to = java.util.Objects.requireNonNullElse(WebServer.instantParam(ctx, "to"), clock.instant());
                    java.time.Instant from = java.util.Objects.requireNonNullElse(WebServer.instantParam(ctx, "from"),
                            to.minus(java.time.Duration.ofDays(7)));
                    Validator.of().check(from.isBefore(to), "from", "must be before to").throwIfInvalid();
                    ctx.json(jdbi.withHandle(h -> FlowStats.compute(h, me.enterpriseId(), flow(h, me, WebServer.id(ctx)).name(), from, to)));
                });
        api.delete("/flows/{id}", "Delete a flow no number or flow points to").handle(Permission.IVR_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                var f = flow(h, me, id);
                long uses = h.createQuery("SELECT COUNT(*) FROM did WHERE enterprise_id = :e AND destination_type = 'flow' AND destination = :n")
                        .bind("e", me.enterpriseId()).bind("n", f.name()).mapTo(Long.class).one();
                if (uses > 0) throw ApiException.conflict("a number still points to this flow");
                FlowStore.delete(h, me.enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "flow.delete", f.name(), null);
            });
            ctx.status(204);
        });
    }

    static FlowStore.FlowInfo flow(Handle h, Principal me, long id) {
        return FlowStore.byId(h, me.enterpriseId(), id).orElseThrow(() -> ApiException.notFound("flow"));
    }

    static Flow.Graph graphBody(String body) {
        if (body == null || body.isBlank()) throw ApiException.badRequest("a JSON graph is required");
        try {
            Flow.Graph g = Json.MAPPER.readValue(body, Flow.Graph.class);
            if (g == null) throw ApiException.badRequest("a JSON graph is required");
            return g;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("not a flow graph: " + e.getOriginalMessage());
        }
    }

    static Published publish(Handle h, Principal me, long id, Integer version, Ivr ivr, AuditLog audit, String ip, Clock clock) {
        var f = flow(h, me, id);
        int v = version == null ? f.draftVersion() : version;
        if (v < 1 || v > f.draftVersion()) throw ApiException.notFound("version");
        Flow.Graph g = FlowStore.graph(h, f.id(), v);
        List<Flow.Problem> problems = FlowValidator.validate(g, context(h, me.enterpriseId(), ivr));
        if (!problems.isEmpty()) {
            throw new dev.hotline.domain.DomainException(dev.hotline.domain.DomainException.Kind.INVALID, null, problems.size() + " problem(s) in the flow", FlowValidator.asFieldErrors(problems));
        }
        try {
            ivr.warm(g, Language.ZH);
        } catch (RuntimeException e) {
            throw new ApiException(400, "validation_failed", "text to speech failed: " + e.getMessage(), List.of());
        }
        FlowStore.publish(h, f.id(), v, clock.instant());
        audit.record(h, me, ip, version == null ? "flow.publish" : "flow.rollback", f.name(), "version=" + v);
        return new Published(v);
    }

    static FlowValidator.Context context(Handle h, long enterpriseId, Ivr ivr) {
        Set<String> extensions = new HashSet<>(h.createQuery("SELECT number FROM extension WHERE enterprise_id = :e").bind("e", enterpriseId)
                .mapTo(String.class).list());
        Set<String> rooms = new HashSet<>(h.createQuery("SELECT number FROM conference_room WHERE enterprise_id = :e").bind("e", enterpriseId)
                .mapTo(String.class).list());
        Set<String> flows = new HashSet<>(h.createQuery("SELECT name FROM ivr_flow WHERE enterprise_id = :e").bind("e", enterpriseId)
                .mapTo(String.class).list());
        Set<String> queues = new HashSet<>(h.createQuery("SELECT name FROM acd_queue WHERE enterprise_id = :e").bind("e", enterpriseId)
                .mapTo(String.class).list());
        Set<String> ringGroups = new HashSet<>(h.createQuery("SELECT name FROM ring_group WHERE enterprise_id = :e").bind("e", enterpriseId)
                .mapTo(String.class).list());
        return new FlowValidator.Context(extensions, rooms, flows, queues, ivr.promptFiles(enterpriseId), ivr.ttsAvailable(), ringGroups,
                DataSources.names(h, enterpriseId), NumberLists.names(h, enterpriseId));
    }
}
