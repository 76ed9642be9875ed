package dev.hotline.voicemail;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.auth.Principal;
import dev.hotline.directory.UserStore;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.domain.Validator;
import dev.hotline.web.WebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Voicemail inboxes (MSG-1): an agent sees the box of their own extension; supervisors and admins
 * (recording.read) see every box. Play, download, mark handled, delete.
 */
public final class VoicemailRoutes {
    private VoicemailRoutes() {}

    public record HandledInput(Boolean handled) {}

    public static void register(Api root, Jdbi jdbi, AuditLog audit, Clock clock) {
        Api api = root.tagged("voicemail");
        api.get("/voicemail", "Voicemail messages, newest first (filters: boxType, box, handled)").returnsList(VoicemailStore.Message.class)
                .handleAuthenticated((ctx, me) -> {
                    String handled = ctx.queryParam("handled");
                    Validator.of().check(handled == null || handled.equals("true") || handled.equals("false"), "handled", "true or false").throwIfInvalid();
                    var f = new VoicemailStore.Filter(Validator.clean(ctx.queryParam("boxType")), Validator.clean(ctx.queryParam("box")),
                            handled == null ? null : Boolean.valueOf(handled));
                    ctx.json(jdbi.withHandle(h -> VoicemailStore.list(h, me.enterpriseId(), f).stream().filter(m -> mayRead(h, me, m)).toList()));
                });
        api.get("/voicemail/{id}/audio", "The message's WAV (Range for the browser's player; ?download=1 as attachment)")
                .handleAuthenticated((ctx, me) -> {
                    long id = WebServer.id(ctx);
                    Path file = jdbi.withHandle(h -> {
                        var m = readable(h, me, id);
                        return VoicemailStore.file(h, me.enterpriseId(), m.id()).filter(Files::isRegularFile)
                                .orElseThrow(() -> ApiException.notFound("voicemail"));
                    });
                    WebServer.sendWav(ctx, file, "voicemail-" + id + ".wav");
                });
        api.put("/voicemail/{id}", "Mark a message handled or not").body(HandledInput.class).returns(VoicemailStore.Message.class)
                .handleAuthenticated((ctx, me) -> {
                    var in = Json.body(ctx, HandledInput.class);
                    Validator.of().required("handled", in.handled()).throwIfInvalid();
                    long id = WebServer.id(ctx);
                    ctx.json(jdbi.inTransaction(h -> {
                        readable(h, me, id);
                        VoicemailStore.setHandled(h, me.enterpriseId(), id, in.handled(), me.username(), clock.instant());
                        audit.record(h, me, ctx.ip(), "voicemail.handled", String.valueOf(id), "handled=" + in.handled());
                        return VoicemailStore.byId(h, me.enterpriseId(), id).orElseThrow();
                    }));
                });
        api.delete("/voicemail/{id}", "Delete a message").handleAuthenticated((ctx, me) -> {
            long id = WebServer.id(ctx);
            jdbi.useTransaction(h -> {
                readable(h, me, id);
                VoicemailStore.delete(h, me.enterpriseId(), id, clock.instant());
                audit.record(h, me, ctx.ip(), "voicemail.delete", String.valueOf(id), null);
            });
            ctx.status(204);
        });
    }

    static VoicemailStore.Message readable(Handle h, Principal me, long id) {
        return VoicemailStore.byId(h, me.enterpriseId(), id).filter(m -> mayRead(h, me, m)).orElseThrow(() -> ApiException.notFound("voicemail"));
    }

    /** Everyone with recording.read sees all boxes; others only their own extension's box. */
    static boolean mayRead(Handle h, Principal me, VoicemailStore.Message m) {
        if (me.can(Permission.RECORDING_READ)) return true;
        if (!"extension".equals(m.boxType())) return false;
        return UserStore.byId(h, me.enterpriseId(), me.userId()).map(u -> m.box().equals(u.extension())).orElse(false);
    }
}
