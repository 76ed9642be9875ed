package dev.hotline.recording;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.domain.Validator;
import dev.hotline.masking.Masking;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;

/** Recording settings, recordings (search, play with Range, download) and music-on-hold files (REC-1..3, PBX-4). */
public final class RecordingRoutes {
    private RecordingRoutes() {}

    public static void register(Api root, Jdbi jdbi, AuditLog audit, MediaFiles files, Masking masking) {
        Api api = root.tagged("recordings");
        api.get("/settings/recording", "The enterprise's recording policy, format and retention").returns(RecordingSettings.class)
                .handle(Permission.RECORDING_READ, (ctx, me) -> ctx.json(jdbi.withHandle(h -> RecordingSettings.load(h, me.enterpriseId()))));
        api.put("/settings/recording", "Change the recording policy, format and retention").body(RecordingSettings.Input.class)
                .returns(RecordingSettings.class).handle(Permission.RECORDING_WRITE, (ctx, me) -> {
                    RecordingSettings.Input in = Json.body(ctx, RecordingSettings.Input.class);
                    RecordingSettings s = jdbi.inTransaction(h -> {
                        RecordingSettings v = RecordingSettings.validate(in, RecordingSettings.load(h, me.enterpriseId()).extensions());
                        v.save(h, me.enterpriseId());
                        audit.record(h, me, ctx.ip(), "recording.settings", v.policy().key(),
                                "format=" + v.format().key() + " stereo=" + v.stereo() + " retentionDays=" + v.retentionDays());
                        return v;
                    });
                    ctx.json(s);
                });
        api.get("/recordings", "Recordings, newest first (filters: from, to ISO-8601; number; limit ≤ 500; offset)")
                .returns(RecordingStore.Page.class).handle(Permission.RECORDING_READ, (ctx, me) -> {
                    Long limit = WebServer.longParam(ctx, "limit");
                    Long offset = WebServer.longParam(ctx, "offset");
                    Validator.of().check(limit == null || (limit >= 1 && limit <= 500), "limit", "1..500")
                            .check(offset == null || offset >= 0, "offset", "0 or more").throwIfInvalid();
                    var f = new RecordingStore.Filter(WebServer.instantParam(ctx, "from"), WebServer.instantParam(ctx, "to"),
                            masking.real(me.enterpriseId(), Validator.clean(ctx.queryParam("number")), "number"), limit == null ? 50 : limit.intValue(), offset == null ? 0 : offset.intValue());
                    ctx.json(masking.forViewer(me).json(jdbi.withHandle(h -> RecordingStore.search(h, me.enterpriseId(), f))));
                });
        api.get("/recordings/{id}/audio", "The recording's WAV file (Range requests for the browser's player; ?download=1 as attachment)")
                .handle(Permission.RECORDING_READ, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    Path file = jdbi.withHandle(h -> RecordingStore.file(h, me.enterpriseId(), id)).filter(Files::isRegularFile)
                            .orElseThrow(() -> ApiException.notFound("recording"));
                    WebServer.sendWav(ctx, file, "recording-" + id + ".wav");
                });
        Api moh = root.tagged("music-on-hold");
        moh.get("/moh", "The enterprise's music-on-hold files, played in name order").returnsList(MediaFiles.MusicFile.class)
                .handle(Permission.RECORDING_READ, (ctx, me) -> ctx.json(files.music(me.enterpriseId())));
        moh.post("/moh", "Upload a WAV for music on hold (multipart field 'file', ≤ 20 MB)").returns(MediaFiles.MusicFile.class)
                .handle(Permission.RECORDING_WRITE, (ctx, me) -> {
                    if (!ctx.isMultipartFormData()) throw ApiException.badRequest("send multipart/form-data with a 'file' field");
                    var upload = ctx.uploadedFile("file");
                    if (upload == null) throw ApiException.invalid("file", "required");
                    if (upload.size() > MediaFiles.MAX_MOH_BYTES) throw ApiException.invalid("file", "larger than 20 MB");
                    MediaFiles.MusicFile saved;
                    try {
                        saved = files.addMusic(me.enterpriseId(), upload.filename(), upload.content());
                    } catch (IllegalArgumentException e) {
                        throw ApiException.invalid("file", e.getMessage());
                    }
                    jdbi.useTransaction(h -> audit.record(h, me, ctx.ip(), "moh.upload", saved.name(), saved.sizeBytes() + " bytes"));
                    ctx.status(201).json(saved);
                });
        moh.delete("/moh/{name}", "Delete a music-on-hold file").handle(Permission.RECORDING_WRITE, (ctx, me) -> {
            String name = ctx.pathParam("name");
            if (!files.deleteMusic(me.enterpriseId(), name)) throw ApiException.notFound("music file");
            jdbi.useTransaction(h -> audit.record(h, me, ctx.ip(), "moh.delete", name, null));
            ctx.status(204);
        });
    }
}
