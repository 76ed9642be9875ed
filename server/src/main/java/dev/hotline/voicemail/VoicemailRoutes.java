package dev.hotline.voicemail;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.auth.Principal;
import dev.hotline.directory.UserStore;
import dev.hotline.domain.Validator;
import dev.hotline.masking.Masking;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
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

    /**
     * @param enabled messages left in the box go by e-mail, the recording attached
     * @param to      the address; blank: the extension's user's e-mail address (a queue's box needs one)
     */
    public record BoxEmailInput(Boolean enabled, String to) {}

    record Box(String type, String box) {}

    static final String BOX_EMAIL = "/voicemail/boxes/{boxType}/{box}/email";

    public static void register(Api root, Jdbi jdbi, AuditLog audit, Clock clock, Masking masking) {
        Api api = root.tagged("voicemail");
        api.get("/voicemail", "Voicemail messages, newest first (filters: boxType, box, handled)").returnsList(VoicemailStore.Message.class)
                .handleAuthenticated((ctx, me) -> {
                    String handled = ctx.queryParam("handled");
                    Validator.of().check(handled == null || handled.equals("true") || handled.equals("false"), "handled", "true or false").throwIfInvalid();
                    var f = new VoicemailStore.Filter(Validator.clean(ctx.queryParam("boxType")), Validator.clean(ctx.queryParam("box")),
                            handled == null ? null : Boolean.valueOf(handled));
                    ctx.json(masking.forViewer(me).json(jdbi.withHandle(h -> VoicemailStore.list(h, me.enterpriseId(), f).stream().filter(m -> mayRead(h, me, m)).toList())));
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
        api.get("/voicemail/email-boxes", "The boxes whose e-mail setting was set (MSG-2), as far as you may see them")
                .returnsList(VoicemailStore.BoxEmail.class).handleAuthenticated((ctx, me) -> ctx.json(jdbi.withHandle(h ->
                        VoicemailStore.boxEmails(h, me.enterpriseId()).stream().filter(b -> mayReadBox(h, me, b.boxType(), b.box())).toList())));
        api.get(BOX_EMAIL, "Whether a box's messages go by e-mail (MSG-2), and to whom").returns(VoicemailStore.BoxEmail.class)
                .handleAuthenticated((ctx, me) -> ctx.json(jdbi.withHandle(h -> {
                    Box b = box(h, ctx.pathParam("boxType"), ctx.pathParam("box"), me, false);
                    return VoicemailStore.boxEmail(h, me.enterpriseId(), b.type(), b.box());
                })));
        api.put(BOX_EMAIL, "Send a box's messages by e-mail with the recording attached (mail.manage, or the extension's own user)")
                .body(BoxEmailInput.class).returns(VoicemailStore.BoxEmail.class).handleAuthenticated((ctx, me) -> {
                    Box b = jdbi.withHandle(h -> box(h, ctx.pathParam("boxType"), ctx.pathParam("box"), me, true));
                    var in = Json.body(ctx, BoxEmailInput.class);
                    String to = Validator.clean(in.to());
                    boolean queue = b.type().equals("queue");
                    Validator.of().required("enabled", in.enabled())
                            .matches("to", to, "[^@\\s]+@[^@\\s]+\\.[^@\\s]+", "not an e-mail address").maxLength("to", to, 255)
                            .check(!queue || to != null || !Boolean.TRUE.equals(in.enabled()), "to", "required for a queue's box")
                            .throwIfInvalid();
                    ctx.json(jdbi.inTransaction(h -> {
                        var saved = new VoicemailStore.BoxEmail(b.type(), b.box(), in.enabled(), to);
                        VoicemailStore.saveBoxEmail(h, me.enterpriseId(), saved);
                        audit.record(h, me, ctx.ip(), "voicemail.email", b.type() + " " + b.box(), in.enabled() + (to == null ? "" : " " + to));
                        return saved;
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

    /** A box of the enterprise that {@code me} may see (and change, when {@code write}): {type, box}; else 404 / 403. */
    static Box box(Handle h, String type, String box, Principal me, boolean write) {
        if (!VoicemailStore.boxExists(h, me.enterpriseId(), type, box) || !mayReadBox(h, me, type, box)) throw ApiException.notFound("voicemail box");
        if (write && !me.can(Permission.MAIL_MANAGE) && !ownBox(h, me, type, box)) {
            throw ApiException.forbidden("only mail.manage or the extension's own user changes this box's e-mail");
        }
        return new Box(type, box);
    }

    static boolean mayReadBox(Handle h, Principal me, String type, String box) {
        return me.can(Permission.RECORDING_READ) || me.can(Permission.MAIL_MANAGE) || ownBox(h, me, type, box);
    }

    private static boolean ownBox(Handle h, Principal me, String type, String box) {
        return "extension".equals(type) && UserStore.byId(h, me.enterpriseId(), me.userId()).map(u -> box.equals(u.extension())).orElse(false);
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
