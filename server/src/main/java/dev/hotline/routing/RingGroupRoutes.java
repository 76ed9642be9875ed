package dev.hotline.routing;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.domain.Validator;
import dev.hotline.web.WebServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** HTTP routes of ring groups (PBX-3): list, create, change, delete; audited like the other routing objects. */
public final class RingGroupRoutes {
    private RingGroupRoutes() {}

    /**
     * @param number      optional internal number (1–6 digits) that extensions dial; unique among extensions, rooms and groups
     * @param strategy    ring_all (default), linear or page (PBX-8 paging: auto-answer, members hear the caller)
     * @param ringSeconds 5..120, default 20
     * @param members     extension numbers in ringing order
     * @param fail        where an unanswered call goes (default: hang up)
     */
    public record RingGroupInput(String name, String number, String strategy, Integer ringSeconds, List<String> members,
                                 RingGroup.Fail fail) {}

    public static void register(Api root, Jdbi jdbi, AuditLog audit, QueueNames queues) {
        Api g = root.tagged("ring-groups");
        g.get("/ring-groups", "Ring groups with their members in ringing order").returnsList(RingGroup.class)
                .handle(Permission.ROUTING_READ, (ctx, me) -> ctx.json(jdbi.withHandle(h -> RingGroupStore.list(h, me.enterpriseId()))));
        g.post("/ring-groups", "Create a ring group (ring_all or linear, members, ring seconds, optional number, fail destination)")
                .body(RingGroupInput.class).returns(RingGroup.class).handle(Permission.ROUTING_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, RingGroupInput.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> {
                        RingGroup saved = save(h, me.enterpriseId(), null, in, queues);
                        audit.record(h, me, ctx.ip(), "ringgroup.create", saved.name(), detail(saved));
                        return saved;
                    }));
                });
        g.put("/ring-groups/{id}", "Change a ring group").body(RingGroupInput.class).returns(RingGroup.class)
                .handle(Permission.ROUTING_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, RingGroupInput.class);
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        RingGroup saved = save(h, me.enterpriseId(), id, in, queues);
                        audit.record(h, me, ctx.ip(), "ringgroup.update", saved.name(), detail(saved));
                        return saved;
                    }));
                });
        g.delete("/ring-groups/{id}", "Delete a ring group no number points to").handle(Permission.ROUTING_WRITE, (ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                RingGroup rg = RingGroupStore.byId(h, me.enterpriseId(), id).orElseThrow(() -> ApiException.notFound("ring group"));
                if (RoutingStore.dids(h, me.enterpriseId()).stream().anyMatch(n -> n.destinationType().equals("ringgroup")
                        && n.destination().equals(rg.name()))) {
                    throw ApiException.conflict("a number still points to this ring group");
                }
                RingGroupStore.delete(h, me.enterpriseId(), id);
                audit.record(h, me, ctx.ip(), "ringgroup.delete", rg.name(), null);
            });
            ctx.status(204);
        });
    }

    static String detail(RingGroup g) {
        return g.strategy() + " " + String.join(",", g.members()) + (g.number() == null ? "" : " number=" + g.number())
                + " fail=" + g.fail().type() + (g.fail().value() == null ? "" : " " + g.fail().value());
    }

    /** Whether {@code value} names an existing voicemail box: "extension:1001" (or a bare extension) or "queue:support". */
    static boolean voicemailBox(Handle h, long enterpriseId, String value, QueueNames queues) {
        return value.startsWith("queue:") ? queues.exists(h, enterpriseId, value.substring(6))
                : RoutingStore.extension(h, enterpriseId, value.startsWith("extension:") ? value.substring(10) : value).isPresent();
    }

    static RingGroup save(Handle h, long enterpriseId, Long id, RingGroupInput in, QueueNames queues) {
        if (in == null) throw ApiException.badRequest("a JSON body is required");
        String name = Validator.clean(in.name());
        String number = Validator.clean(in.number());
        String strategy = in.strategy() == null ? RingGroup.RING_ALL : in.strategy();
        int ring = in.ringSeconds() == null ? 20 : in.ringSeconds();
        List<String> members = new ArrayList<>();
        if (in.members() != null) in.members().forEach(m -> members.add(Validator.clean(m)));
        String failType = in.fail() == null || in.fail().type() == null ? "hangup" : in.fail().type();
        String failValue = in.fail() == null ? null : Validator.clean(in.fail().value());
        Validator v = Validator.of().required("name", name).maxLength("name", name, 64)
                .matches("name", name, "[\\p{L}\\p{N} _.\\-]{1,64}", "letters, digits, space, _ . -")
                .matches("number", number, "[0-9]{1,6}", "1–6 digits")
                .check(RingGroup.STRATEGIES.contains(strategy), "strategy", "ring_all, linear or page")
                .check(ring >= 5 && ring <= 120, "ringSeconds", "5..120")
                .check(!members.isEmpty(), "members", "at least one extension")
                .check(members.size() <= 32, "members", "at most 32")
                .check(new HashSet<>(members).size() == members.size(), "members", "each extension once")
                .check(RingGroup.FAIL_TYPES.contains(failType), "fail", "hangup, voicemail, extension or queue");
        List<String> unknown = members.stream().filter(m -> m == null || RoutingStore.extension(h, enterpriseId, m).isEmpty()).toList();
        if (!unknown.isEmpty()) v.add("members", "no such extension: " + String.join(", ", unknown.stream().map(String::valueOf).toList()));
        if (number != null) {
            v.check(RoutingStore.extension(h, enterpriseId, number).isEmpty(), "number", "is an extension's number");
            v.check(!ConferenceRooms.load(h, enterpriseId).containsKey(number), "number", "is a conference room's number");
        }
        if (!failType.equals("hangup")) {
            if (failValue == null) {
                v.add("fail", "a destination is required");
            } else {
                switch (failType) {
                    case "voicemail" -> v.check(voicemailBox(h, enterpriseId, failValue, queues), "fail", "queue:<name> or extension:<number> of an existing box");
                    case "extension" -> v.check(RoutingStore.extension(h, enterpriseId, failValue).isPresent(), "fail", "no such extension");
                    case "queue" -> v.check(queues.exists(h, enterpriseId, failValue), "fail", "no such queue");
                    default -> { }
                }
            }
        }
        v.throwIfInvalid();
        List<RingGroup> existing = RingGroupStore.list(h, enterpriseId);
        if (id != null && existing.stream().noneMatch(x -> x.id() == id)) throw ApiException.notFound("ring group");
        existing.stream().filter(x -> x.name().equalsIgnoreCase(name) && !Long.valueOf(x.id()).equals(id)).findAny().ifPresent(x -> {
            throw new ApiException(409, "conflict", "ring group name already exists", List.of(new ApiException.FieldError("name", "already exists")));
        });
        if (number != null) {
            existing.stream().filter(x -> number.equals(x.number()) && !Long.valueOf(x.id()).equals(id)).findAny().ifPresent(x -> {
                throw new ApiException(409, "conflict", "another ring group has this number",
                        List.of(new ApiException.FieldError("number", "already exists")));
            });
        }
        var fail = failType.equals("hangup") ? RingGroup.Fail.HANGUP : new RingGroup.Fail(failType, failValue);
        RingGroup g = new RingGroup(0, name, number, strategy, ring, members, fail);
        if (id != null) RingGroupStore.update(h, enterpriseId, id, g);
        long saved = id != null ? id : RingGroupStore.insert(h, enterpriseId, g);
        return RingGroupStore.byId(h, enterpriseId, saved).orElseThrow();
    }
}
