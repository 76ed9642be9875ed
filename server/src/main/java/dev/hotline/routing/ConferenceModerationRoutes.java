package dev.hotline.routing;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.domain.Validator;
import dev.hotline.masking.Masking;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** HTTP routes of PBX-5 moderation: a room's live state, commands to the whole room and to one participant. */
public final class ConferenceModerationRoutes {
    private ConferenceModerationRoutes() {}

    /** @param action mute-all, unmute-all, lock, unlock, record or stop-record */
    public record RoomCommand(String action) {}

    /** @param action mute, unmute or remove */
    public record ParticipantCommand(String action) {}

    static void register(Api root, Jdbi jdbi, AuditLog audit, ConferenceRooms rooms, Masking masking) {
        Api r = root.tagged("conference-rooms");
        r.get("/conference-rooms/{id}/live", "Who is in a room now (moderator or not, muted), and whether it is locked and recorded")
                .returns(ConferenceRooms.LiveRoom.class).handle(Permission.ROUTING_READ, (ctx, me) -> {
                    var room = room(jdbi, me.enterpriseId(), WebServer.id(ctx));
                    ctx.json(masking.forViewer(me).json(rooms.live(me.enterpriseId(), room.number())));
                });
        r.post("/conference-rooms/{id}/control", "Moderate a room: mute or unmute everyone, lock or unlock it, start or stop recording")
                .body(RoomCommand.class).returns(ConferenceRooms.LiveRoom.class).handle(Permission.ROUTING_WRITE, (ctx, me) -> {
                    var room = room(jdbi, me.enterpriseId(), WebServer.id(ctx));
                    var in = Json.body(ctx, RoomCommand.class);
                    String a = in == null ? null : Validator.clean(in.action());
                    var action = ConferenceRooms.RoomAction.parse(a);
                    Validator.of().required("action", a).check(a == null || action.isPresent(), "action",
                            keys(ConferenceRooms.RoomAction.values())).throwIfInvalid();
                    var live = rooms.control(me.enterpriseId(), room.number(), action.get());
                    jdbi.useHandle(h -> audit.record(h, me, ctx.ip(), "conference.moderate", room.number(), a));
                    ctx.json(masking.forViewer(me).json(live));
                });
        r.post("/conference-rooms/{id}/participants/{channelId}", "Moderate one participant: mute, unmute or remove")
                .body(ParticipantCommand.class).returns(ConferenceRooms.LiveRoom.class).handle(Permission.ROUTING_WRITE, (ctx, me) -> {
                    var room = room(jdbi, me.enterpriseId(), WebServer.id(ctx));
                    String channelId = ctx.pathParam("channelId");
                    var in = Json.body(ctx, ParticipantCommand.class);
                    String a = in == null ? null : Validator.clean(in.action());
                    var action = ConferenceRooms.ParticipantAction.parse(a);
                    Validator.of().required("action", a).check(a == null || action.isPresent(), "action",
                            keys(ConferenceRooms.ParticipantAction.values())).throwIfInvalid();
                    var live = rooms.control(me.enterpriseId(), room.number(), channelId, action.get());
                    jdbi.useHandle(h -> audit.record(h, me, ctx.ip(), "conference.moderate", room.number(), a + " " + channelId));
                    ctx.json(masking.forViewer(me).json(live));
                });
    }

    private static ConferenceRooms.Room room(Jdbi jdbi, long enterpriseId, long id) {
        return jdbi.withHandle(h -> ConferenceRooms.load(h, enterpriseId)).values().stream().filter(x -> x.id() == id).findFirst()
                .orElseThrow(() -> ApiException.notFound("conference room"));
    }

    private static String keys(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> v instanceof ConferenceRooms.RoomAction ra ? ra.key : ((ConferenceRooms.ParticipantAction) v).key)
                .collect(Collectors.joining(", "));
    }
}
