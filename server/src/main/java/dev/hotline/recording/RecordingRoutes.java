package dev.hotline.recording;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.masking.Masking;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import dev.hotline.web.WebServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Recording settings, recordings (search, play with Range, download, one zip for a batch, comments and scores), the SFTP
 * archive's settings, supervisors' recording of agents' calls and music-on-hold files (REC-1..3, PBX-4).
 */
public final class RecordingRoutes {
    private RecordingRoutes() {}

    /** The call an agent of the enterprise is talking on: empty when none; an unknown agent is not found. */
    public interface AgentCalls {
        Optional<String> callOf(long enterpriseId, long agentUserId);
    }

    /** @param action start, stop, pause or resume */
    public record RecordingInput(String action) {}

    public static void register(Api root, Jdbi jdbi, AuditLog audit, MediaFiles files, Masking masking, CallRecorder recorder,
                                RecordingArchive archive, AgentCalls agentCalls, Clock clock) {
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
        api.get("/recordings/{id}/audio", "The recording's WAV file, local or read from the archive (Range requests for the browser's "
                + "player; ?download=1 as attachment)").handle(Permission.RECORDING_READ, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    RecordingStore.Stored rec = jdbi.withHandle(h -> RecordingStore.stored(h, me.enterpriseId(), id))
                            .orElseThrow(() -> ApiException.notFound("recording"));
                    if (Files.isRegularFile(rec.path())) {
                        WebServer.sendWav(ctx, rec.path(), rec.fileName());
                    } else if (rec.status() == RecordingStore.ArchiveStatus.ARCHIVED) {
                        if ("1".equals(ctx.queryParam("download"))) ctx.header("Content-Disposition", "attachment; filename=\"" + rec.fileName() + "\"");
                        ctx.writeSeekableStream(archive.open(me.enterpriseId(), rec), "audio/wav", rec.sizeBytes());
                    } else {
                        throw ApiException.notFound("recording");
                    }
                });
        api.get("/recordings/zip", "REC-3: several recordings as one zip (ids: comma-separated, at most " + RecordingZip.MAX_FILES
                + "), streamed as it is made, with manifest.csv describing the calls").handle(Permission.RECORDING_READ, (ctx, me) -> {
                    List<Long> ids = ids(ctx.queryParam("ids"));
                    var recs = jdbi.withHandle(h -> RecordingStore.stored(h, me.enterpriseId(), ids));
                    if (recs.size() < ids.size()) throw ApiException.notFound("recording");
                    var views = jdbi.withHandle(h -> RecordingStore.views(h, me.enterpriseId(), ids));
                    jdbi.useHandle(h -> audit.record(h, me, ctx.ip(), "recording.zip", ids.size() + " recording(s)",
                            "ids=" + String.join(",", ids.stream().map(String::valueOf).toList())));
                    ctx.contentType("application/zip");
                    ctx.header("Content-Disposition", "attachment; filename=\"recordings-" + clock.instant().toString().replace(":", "")
                            .substring(0, 15) + ".zip\"");
                    RecordingZip.write(ctx.outputStream(), recs, views, masking.forViewer(me), rec -> open(archive, me.enterpriseId(), rec));
                });
        api.get("/recordings/{id}/comments", "REC-3: the comments and scores on a recording, oldest first")
                .returnsList(RecordingComments.Comment.class).handle(Permission.RECORDING_READ, (ctx, me) ->
                        ctx.json(jdbi.withHandle(h -> RecordingComments.list(h, me.enterpriseId(), WebServer.id(ctx)))));
        api.post("/recordings/{id}/comments", "REC-3: comment on a recording and/or score it (1-5)").body(RecordingComments.Input.class)
                .returns(RecordingComments.Comment.class).handle(Permission.RECORDING_READ, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    // 404 before the body is looked at
                    if (!jdbi.withHandle(h -> RecordingStore.exists(h, me.enterpriseId(), id))) throw ApiException.notFound("recording");
                    RecordingComments.Input in = Json.body(ctx, RecordingComments.Input.class);
                    ctx.status(201).json(jdbi.inTransaction(h -> RecordingComments.add(h, me.enterpriseId(), id, me.userId(), in, clock.instant())));
                });
        api.delete("/recordings/{id}/comments/{commentId}", "REC-3: delete one of your own comments").handle(Permission.RECORDING_READ, (ctx, me) -> {
            long id = WebServer.id(ctx);
            long commentId;
            try {
                commentId = Long.parseLong(ctx.pathParam("commentId"));
            } catch (NumberFormatException e) {
                throw ApiException.notFound("comment");
            }
            jdbi.useTransaction(h -> RecordingComments.delete(h, me.enterpriseId(), id, commentId, me.userId()));
            ctx.status(204);
        });
        api.get("/settings/recording/archive", "REC-2: the SFTP archive of recordings (the password and key are never returned: passwordSet,"
                + " privateKeySet) and its last run").returns(RecordingArchive.View.class).handle(Permission.RECORDING_WRITE, (ctx, me) ->
                ctx.json(jdbi.withHandle(h -> archive.settings(h, me.enterpriseId()))));
        api.put("/settings/recording/archive", "REC-2: set the SFTP archive (password / privateKey null keeps the stored one, \"\" removes it);"
                + " recordings older than afterDays are archived every hour").body(RecordingArchive.Input.class).returns(RecordingArchive.View.class)
                .handle(Permission.RECORDING_WRITE, (ctx, me) -> {
                    RecordingArchive.Input in = Json.body(ctx, RecordingArchive.Input.class);
                    ctx.json(jdbi.inTransaction(h -> {
                        RecordingArchive.View v = archive.save(h, me.enterpriseId(), in);
                        audit.record(h, me, ctx.ip(), "recording.archive", v.username() + "@" + v.host() + ":" + v.port() + v.remoteDir(),
                                "enabled=" + v.enabled() + " afterDays=" + v.afterDays());
                        return v;
                    }));
                });
        api.post("/settings/recording/archive/run", "REC-2: archive the recordings old enough now (as the hourly schedule does)")
                .returns(RecordingArchive.RunResult.class).handle(Permission.RECORDING_WRITE, (ctx, me) -> {
                    RecordingArchive.RunResult r = archive.run(me.enterpriseId());
                    jdbi.useHandle(h -> audit.record(h, me, ctx.ip(), "recording.archive.run", null, r.summary()));
                    ctx.json(r);
                });
        Api sup = root.tagged("supervision");
        sup.get("/agents/{id}/recording", "REC-1: the recording of the agent's current call (callId null: not on a call)")
                .returns(CallRecorder.State.class).handle(Permission.CALL_SUPERVISE, (ctx, me) -> {
                    Optional<String> call = agentCalls.callOf(me.enterpriseId(), WebServer.id(ctx));
                    ctx.json(call.map(recorder::state).orElse(new CallRecorder.State(null, false, false, 0, List.of())));
                });
        sup.post("/agents/{id}/recording", "REC-1: start, stop, pause or resume recording the agent's current call; a call event names you")
                .body(RecordingInput.class).returns(CallRecorder.State.class).handle(Permission.CALL_SUPERVISE, (ctx, me) -> {
                    long agent = WebServer.id(ctx);
                    String callId = agentCall(agentCalls, me.enterpriseId(), agent);
                    RecordingInput in = Json.body(ctx, RecordingInput.class);
                    var action = CallRecorder.Action.parse(in == null ? null : in.action());
                    Validator.of().check(action.isPresent(), "action", "start, stop, pause or resume").throwIfInvalid();
                    CallRecorder.State st = recorder.control(me.enterpriseId(), callId, action.get(), "supervisor " + me.userId());
                    jdbi.useHandle(h -> audit.record(h, me, ctx.ip(), "call.recording", String.valueOf(agent), action.get().key() + " call=" + callId));
                    ctx.json(st);
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

    private static String agentCall(AgentCalls calls, long enterpriseId, long agentUserId) {
        return calls.callOf(enterpriseId, agentUserId).orElseThrow(() -> DomainException.conflict("the agent is not on a call"));
    }

    private static InputStream open(RecordingArchive archive, long enterpriseId, RecordingStore.Stored rec) throws IOException {
        if (Files.isRegularFile(rec.path())) return Files.newInputStream(rec.path());
        if (rec.status() == RecordingStore.ArchiveStatus.ARCHIVED) return archive.open(enterpriseId, rec);
        throw new IOException("the file is missing");
    }

    /** The ids of a zip: comma-separated positive numbers, 1 to {@link RecordingZip#MAX_FILES}, no repeats. */
    static List<Long> ids(String text) {
        List<Long> ids = new ArrayList<>();
        if (text == null || text.isBlank()) throw DomainException.invalid("ids", "required");
        for (String part : text.split(",")) {
            try {
                long id = Long.parseLong(part.strip());
                if (id <= 0) throw new NumberFormatException();
                if (!ids.contains(id)) ids.add(id);
            } catch (NumberFormatException e) {
                throw DomainException.invalid("ids", "comma-separated recording ids");
            }
        }
        if (ids.size() > RecordingZip.MAX_FILES) throw DomainException.invalid("ids", "at most " + RecordingZip.MAX_FILES + " recordings");
        return ids;
    }
}
