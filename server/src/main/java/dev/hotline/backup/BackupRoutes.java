package dev.hotline.backup;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.domain.DomainException;
import dev.hotline.web.Api;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * OPS-2 routes: an enterprise admin backs up and restores the enterprise's configuration; the operator backs up every
 * enterprise and restores a file as new enterprises. Exports take {@code {"passphrase": ...}} and answer the zip; restores
 * take multipart/form-data with {@code file}, {@code passphrase} and, for the admin, {@code mode} ({@code replace}).
 */
public final class BackupRoutes {
    private BackupRoutes() {}

    public record ExportRequest(String passphrase) {}

    public record RestoreResult(List<String> enterprises, Map<String, Integer> rows, int audioFiles) {
        static RestoreResult of(ConfigBackup.Restored r) {
            return new RestoreResult(r.enterprises(), r.rows(), r.audioFiles());
        }
    }

    public static void register(Api root, ConfigBackup backup, Jdbi jdbi, AuditLog audit) {
        Api r = root.tagged("operations");
        r.post("/backup", "The enterprise's configuration as a backup file (zip; secrets encrypted under the passphrase)")
                .body(ExportRequest.class).handle(Permission.CONFIG_BACKUP, (ctx, me) -> {
                    byte[] zip = backup.exportEnterprise(me.enterpriseId(), passphrase(ctx.bodyAsClass(ExportRequest.class)));
                    jdbi.useHandle(h -> audit.record(h, me, ctx.ip(), "backup.export", me.enterpriseCode(), zip.length + " bytes"));
                    sendZip(ctx, "hotline-" + me.enterpriseCode(), zip);
                });
        r.post("/backup/restore", "Restore a backup file into this enterprise (multipart: file, passphrase; mode=replace when it is not empty)")
                .returns(RestoreResult.class).handle(Permission.CONFIG_BACKUP, (ctx, me) -> {
                    String mode = ctx.formParam("mode");
                    if (mode != null && !mode.isBlank() && !mode.equals("replace") && !mode.equals("empty")) {
                        throw DomainException.invalid("mode", "empty (the default) or replace");
                    }
                    ConfigBackup.Restored done;
                    try (InputStream in = file(ctx)) {
                        done = backup.restoreInto(me.enterpriseId(), in, ctx.formParam("passphrase"), "replace".equals(mode));
                    }
                    jdbi.useHandle(h -> audit.record(h, me.enterpriseId(), null, me.username(), ctx.ip(), "backup.restore",
                            me.enterpriseCode(), done.rows().values().stream().mapToInt(Integer::intValue).sum() + " rows, "
                                    + done.audioFiles() + " audio files"));
                    ctx.json(RestoreResult.of(done));
                });
        r.post("/server-backup", "Every enterprise's configuration as one backup file (operator)")
                .body(ExportRequest.class).handle(Permission.ENTERPRISE_MANAGE, (ctx, me) -> {
                    byte[] zip = backup.exportServer(passphrase(ctx.bodyAsClass(ExportRequest.class)));
                    jdbi.useHandle(h -> audit.record(h, me, ctx.ip(), "backup.export", "server", zip.length + " bytes"));
                    sendZip(ctx, "hotline-server", zip);
                });
        r.post("/server-backup/restore", "Restore a backup file's enterprises as new enterprises (operator; multipart: file, passphrase)")
                .returns(RestoreResult.class).handle(Permission.ENTERPRISE_MANAGE, (ctx, me) -> {
                    ConfigBackup.Restored done;
                    try (InputStream in = file(ctx)) {
                        done = backup.restoreAsNew(in, ctx.formParam("passphrase"));
                    }
                    jdbi.useHandle(h -> audit.record(h, me, ctx.ip(), "backup.restore", String.join(",", done.enterprises()),
                            done.rows().values().stream().mapToInt(Integer::intValue).sum() + " rows, " + done.audioFiles() + " audio files"));
                    ctx.status(201).json(RestoreResult.of(done));
                });
    }

    private static String passphrase(ExportRequest in) {
        if (in == null) throw DomainException.badRequest("a JSON body with a passphrase is required");
        return in.passphrase();
    }

    private static InputStream file(Context ctx) {
        if (!ctx.isMultipartFormData()) throw DomainException.badRequest("send multipart/form-data with a 'file' field");
        UploadedFile f = ctx.uploadedFile("file");
        if (f == null) throw DomainException.invalid("file", "required");
        return f.content();
    }

    private static void sendZip(Context ctx, String base, byte[] zip) {
        ctx.contentType("application/zip");
        ctx.header("Content-Disposition", "attachment; filename=\"" + base + "-" + LocalDate.now(ZoneOffset.UTC) + ".zip\"");
        ctx.result(zip);
    }
}
