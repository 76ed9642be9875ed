package dev.hotline.ivr;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.auth.Principal;
import dev.hotline.directory.UserStore;
import dev.hotline.engine.media.WavReader;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.WebServer;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Per-box voicemail greetings (MSG-1): a box (an extension's or a queue's) may have its own
 * greeting, uploaded like a prompt (WAV or MP3, converted to 8 kHz mono), played to callers instead
 * of "please leave a message after the tone" (then the tone). Who sees the box's messages sees its
 * greeting; ivr.write or the extension's own user changes it.
 */
public final class GreetingRoutes {
    private GreetingRoutes() {}

    public record Greeting(String boxType, String box, long sizeBytes, long durationMs) {}

    static final String BASE = "/voicemail/boxes/{boxType}/{box}/greeting";

    public static void register(Api root, Jdbi jdbi, AuditLog audit, Ivr ivr) {
        Api api = root.tagged("voicemail");
        api.get("/voicemail/greetings", "The boxes with their own greeting that you may see").returnsList(Greeting.class)
                .handleAuthenticated((ctx, me) -> {
                    List<Greeting> out = new ArrayList<>();
                    jdbi.useHandle(h -> {
                        for (String type : List.of("extension", "queue")) {
                            for (String box : boxes(h, me.enterpriseId(), type)) {
                                if (!mayRead(h, me, type, box)) continue;
                                ivr.greeting(me.enterpriseId(), type, box).ifPresent(p -> out.add(describe(type, box, p)));
                            }
                        }
                    });
                    ctx.json(out);
                });
        api.get(BASE, "A box's own greeting (404 when it uses the default)").returns(Greeting.class).handleAuthenticated((ctx, me) -> {
            Box b = box(ctx, jdbi, me, false);
            ctx.json(describe(b.type(), b.box(), ivr.greeting(me.enterpriseId(), b.type(), b.box()).orElseThrow(() -> ApiException.notFound("greeting"))));
        });
        api.get(BASE + "/audio", "A box's greeting as WAV").handleAuthenticated((ctx, me) -> {
            Box b = box(ctx, jdbi, me, false);
            Path p = ivr.greeting(me.enterpriseId(), b.type(), b.box()).orElseThrow(() -> ApiException.notFound("greeting"));
            WebServer.sendWav(ctx, p, "greeting-" + b.type() + "-" + b.box() + ".wav");
        });
        api.put(BASE, "Set a box's greeting: multipart 'file', a WAV of any common format or an MP3, ≤ 20 MB (stored as 8 kHz mono WAV)")
                .returns(Greeting.class).handleAuthenticated((ctx, me) -> {
                    Box b = box(ctx, jdbi, me, true);
                    if (!ctx.isMultipartFormData()) throw ApiException.badRequest("send multipart/form-data with a 'file' field");
                    var upload = ctx.uploadedFile("file");
                    if (upload == null) throw ApiException.invalid("file", "required");
                    if (upload.size() > PromptRoutes.MAX_BYTES) throw ApiException.invalid("file", "larger than 20 MB");
                    boolean mp3 = PromptRoutes.isMp3(upload.filename());
                    long ms = PromptRoutes.convert(upload.content(), mp3, ivr.greetingFile(me.enterpriseId(), b.type(), b.box()));
                    jdbi.useTransaction(h -> audit.record(h, me, ctx.ip(), "voicemail.greeting", b.type() + " " + b.box(), ms + " ms"));
                    ctx.json(describe(b.type(), b.box(), ivr.greetingFile(me.enterpriseId(), b.type(), b.box())));
                });
        api.delete(BASE, "Back to the default greeting").handleAuthenticated((ctx, me) -> {
            Box b = box(ctx, jdbi, me, true);
            Path p = ivr.greeting(me.enterpriseId(), b.type(), b.box()).orElseThrow(() -> ApiException.notFound("greeting"));
            Files.delete(p);
            jdbi.useTransaction(h -> audit.record(h, me, ctx.ip(), "voicemail.greeting.delete", b.type() + " " + b.box(), null));
            ctx.status(204);
        });
    }

    private record Box(String type, String box) {}

    /** The box of the path, existing in the caller's enterprise and visible to them (404 otherwise); 403 if they may not change it. */
    private static Box box(Context ctx, Jdbi jdbi, Principal me, boolean write) {
        String type = ctx.pathParam("boxType");
        String box = ctx.pathParam("box");
        return jdbi.withHandle(h -> {
            if (!(type.equals("extension") || type.equals("queue")) || !boxes(h, me.enterpriseId(), type).contains(box)
                    || !mayRead(h, me, type, box)) {
                throw ApiException.notFound("voicemail box");
            }
            if (write && !me.can(Permission.IVR_WRITE) && !ownExtension(h, me).filter(x -> type.equals("extension") && x.equals(box)).isPresent()) {
                throw ApiException.forbidden("only ivr.write or the extension's own user changes this greeting");
            }
            return new Box(type, box);
        });
    }

    private static List<String> boxes(Handle h, long enterpriseId, String type) {
        String sql = type.equals("extension") ? "SELECT number FROM extension WHERE enterprise_id = :e" : "SELECT name FROM acd_queue WHERE enterprise_id = :e";
        return h.createQuery(sql).bind("e", enterpriseId).mapTo(String.class).list();
    }

    /** As for the messages: recording.read and ivr.read see every box, others their own extension's. */
    private static boolean mayRead(Handle h, Principal me, String type, String box) {
        if (me.can(Permission.RECORDING_READ) || me.can(Permission.IVR_READ)) return true;
        return type.equals("extension") && ownExtension(h, me).filter(box::equals).isPresent();
    }

    private static Optional<String> ownExtension(Handle h, Principal me) {
        return UserStore.byId(h, me.enterpriseId(), me.userId()).map(u -> u.extension());
    }

    private static Greeting describe(String type, String box, Path p) {
        long ms;
        long size;
        try {
            ms = WavReader.read(p).duration().toMillis();
            size = Files.size(p);
        } catch (IOException e) {
            ms = 0;
            size = 0;
        }
        return new Greeting(type, box, size, ms);
    }
}
