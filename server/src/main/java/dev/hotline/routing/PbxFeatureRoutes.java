package dev.hotline.routing;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.domain.Validator;
import dev.hotline.masking.Masking;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * HTTP routes of PBX-3/4 features: an extension's forwarding, DND, call waiting and pickup group (the console's
 * extension page), and the parked calls (list, give one to an extension).
 */
public final class PbxFeatureRoutes {
    private PbxFeatureRoutes() {}

    /**
     * An extension's settings as the API shows them, with whether its phone is registered and on a call now, and the
     * extensions whose phones watch its busy lamp (PBX-8).
     */
    public record FeaturesView(long extensionId, String number, String forwardAlways, String forwardBusy, String forwardNoAnswer,
                               String forwardUnregistered, int noAnswerSeconds, boolean dnd, boolean callWaiting, String pickupGroup,
                               boolean registered, boolean busy, List<String> watchedBy) {}

    /**
     * @param forwardAlways       extension or outside number; null or "" for off (the same for the other three)
     * @param noAnswerSeconds     3..120 (default 20): how long the phone rings before the no-answer forward, or the caller hears 480
     * @param dnd                 do-not-disturb (default off)
     * @param callWaiting         default on
     * @param pickupGroup         letters, digits, _ . - (1..32); null or "" for none
     */
    public record FeaturesInput(String forwardAlways, String forwardBusy, String forwardNoAnswer, String forwardUnregistered,
                                Integer noAnswerSeconds, Boolean dnd, Boolean callWaiting, String pickupGroup) {}

    /**
     * @param timeoutSeconds  0 (never) or 5..3600: a parked call not taken by then rings the extension that parked it
     * @param destinationType where it goes when the parker does not answer: extension, queue, ringgroup, voicemail, external,
     *                        hangup; null or "" to hang up
     * @param destination     the extension, queue, group, box ("extension:1001") or number
     */
    public record ParkSettingsInput(Integer timeoutSeconds, String destinationType, String destination) {}

    /** @param slot the parking slot (701..720); @param extension the extension whose phone is rung and gets the call */
    public record PickupInput(Integer slot, String extension) {}

    public static void register(Api root, Jdbi jdbi, AuditLog audit, PbxFeatures features, Masking masking) {
        Api x = root.tagged("extensions");
        x.get("/extensions/{id}/features", "Forwarding, do-not-disturb, call waiting and pickup group of an extension (PBX-3)")
                .returns(FeaturesView.class).handle(Permission.EXTENSION_READ, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.withHandle(h -> view(h, features, me.enterpriseId(), id)));
                });
        x.put("/extensions/{id}/features", "Change an extension's forwarding, do-not-disturb, call waiting and pickup group")
                .body(FeaturesInput.class).returns(FeaturesView.class).handle(Permission.EXTENSION_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        String number = number(h, me.enterpriseId(), id);
                        var in = Json.body(ctx, FeaturesInput.class);
                        ExtensionFeatures f = validate(number, in);
                        ExtensionFeatureStore.save(h, me.enterpriseId(), id, f);
                        audit.record(h, me, ctx.ip(), "extension.features", number, detail(f));
                        return view(h, features, me.enterpriseId(), id);
                    }));
                });
        x.post("/extensions/{id}/three-way", "Three-party from the extension's phone: join the call it holds with its active call (PBX-4)")
                .handle(Permission.EXTENSION_WRITE, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    String number = jdbi.withHandle(h -> number(h, me.enterpriseId(), id));
                    features.threeWay(me.enterpriseId(), number);
                    jdbi.useHandle(h -> audit.record(h, me, ctx.ip(), "call.three-way", number, null));
                    ctx.status(202).json(Map.of("extension", number));
                });
        Api p = root.tagged("parked-calls");
        p.get("/park-settings", "Park timeout: seconds (0: never), then the parker is rung back, then the destination (PBX-4)")
                .returns(ParkSettings.class).handle(Permission.EXTENSION_READ, (ctx, me) ->
                        ctx.json(features.parkSettings(me.enterpriseId())));
        p.put("/park-settings", "Set the park timeout and where a parked call nobody takes back goes")
                .body(ParkSettingsInput.class).returns(ParkSettings.class).handle(Permission.EXTENSION_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, ParkSettingsInput.class);
                    if (in == null) throw ApiException.badRequest("a JSON body is required");
                    ParkSettings s = ParkSettings.validate(in.timeoutSeconds(), in.destinationType(), in.destination(),
                            n -> features.isExtension(me.enterpriseId(), n));
                    jdbi.useTransaction(h -> {
                        s.save(h, me.enterpriseId());
                        audit.record(h, me, ctx.ip(), "park.settings", String.valueOf(s.timeoutSeconds()),
                                s.destinationType() == null ? "hangup" : s.destinationType() + (s.destination() == null ? "" : ":" + s.destination()));
                    });
                    ctx.json(s);
                });
        p.get("/parked-calls", "Calls parked now, by slot (PBX-4)").returnsList(PbxFeatures.ParkedCall.class)
                .handle(Permission.CALL_READ, (ctx, me) -> ctx.json(masking.forViewer(me).json(features.parked(me.enterpriseId()))));
        p.post("/parked-calls/pickup", "Ring an extension and give it the call parked in a slot when it answers")
                .body(PickupInput.class).handle(Permission.EXTENSION_WRITE, (ctx, me) -> {
                    var in = Json.body(ctx, PickupInput.class);
                    if (in == null) throw ApiException.badRequest("a JSON body is required");
                    String ext = Validator.clean(in.extension());
                    Validator.of().required("slot", in.slot()).required("extension", ext)
                            .check(in.slot() == null || in.slot() >= PbxFeatures.FIRST_SLOT && in.slot() <= PbxFeatures.LAST_SLOT, "slot",
                                    PbxFeatures.FIRST_SLOT + ".." + PbxFeatures.LAST_SLOT)
                            .throwIfInvalid();
                    features.unparkToExtension(me.enterpriseId(), in.slot(), ext);
                    jdbi.useHandle(h -> audit.record(h, me, ctx.ip(), "call.unpark", String.valueOf(in.slot()), "extension=" + ext));
                    ctx.status(202).json(Map.of("slot", in.slot(), "extension", ext));
                });
    }

    private static String number(Handle h, long enterpriseId, long id) {
        return h.createQuery("SELECT number FROM extension WHERE id = :id AND enterprise_id = :e").bind("id", id).bind("e", enterpriseId)
                .mapTo(String.class).findOne().orElseThrow(() -> ApiException.notFound("extension"));
    }

    private static FeaturesView view(Handle h, PbxFeatures features, long enterpriseId, long id) {
        String number = number(h, enterpriseId, id);
        ExtensionFeatures f = ExtensionFeatureStore.of(h, enterpriseId, number).orElseThrow(() -> ApiException.notFound("extension"));
        return new FeaturesView(id, number, f.forwardAlways(), f.forwardBusy(), f.forwardNoAnswer(), f.forwardUnregistered(),
                f.noAnswerSeconds(), f.dnd(), f.callWaiting(), f.pickupGroup(), features.registered(enterpriseId, number),
                features.busy(enterpriseId, number), features.watchers(enterpriseId, number));
    }

    static ExtensionFeatures validate(String number, FeaturesInput in) {
        if (in == null) throw ApiException.badRequest("a JSON body is required");
        String always = blankToNull(in.forwardAlways());
        String busy = blankToNull(in.forwardBusy());
        String noAnswer = blankToNull(in.forwardNoAnswer());
        String unregistered = blankToNull(in.forwardUnregistered());
        String group = blankToNull(in.pickupGroup());
        int seconds = in.noAnswerSeconds() == null ? ExtensionFeatures.DEFAULT_NO_ANSWER_SECONDS : in.noAnswerSeconds();
        Validator v = Validator.of().check(seconds >= 3 && seconds <= 120, "noAnswerSeconds", "3..120")
                .matches("pickupGroup", group, "[\\p{L}\\p{N}_.\\-]{1,32}", "letters, digits, _ . - (at most 32)");
        Map.of("forwardAlways", always == null ? "" : always, "forwardBusy", busy == null ? "" : busy,
                "forwardNoAnswer", noAnswer == null ? "" : noAnswer, "forwardUnregistered", unregistered == null ? "" : unregistered)
                .forEach((field, target) -> {
                    if (target.isEmpty()) return;
                    String problem = ExtensionFeatures.targetProblem(target, number);
                    if (problem != null) v.add(field, problem);
                });
        v.throwIfInvalid();
        return new ExtensionFeatures(number, always, busy, noAnswer, unregistered, seconds, Boolean.TRUE.equals(in.dnd()),
                in.callWaiting() == null || in.callWaiting(), group);
    }

    private static String blankToNull(String s) {
        String c = Validator.clean(s);
        return c == null || c.isEmpty() ? null : c;
    }

    private static String detail(ExtensionFeatures f) {
        StringBuilder sb = new StringBuilder();
        for (var k : ExtensionFeatures.Forward.values()) {
            if (f.forward(k) != null) sb.append("forward-").append(k.label()).append('=').append(f.forward(k)).append(' ');
        }
        sb.append("ring=").append(f.noAnswerSeconds()).append(" dnd=").append(f.dnd()).append(" cw=").append(f.callWaiting());
        if (f.pickupGroup() != null) sb.append(" group=").append(f.pickupGroup());
        return sb.toString();
    }
}
