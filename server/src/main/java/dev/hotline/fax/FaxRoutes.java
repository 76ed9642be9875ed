package dev.hotline.fax;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.WebServer;
import java.nio.file.Files;
import org.jdbi.v3.core.Jdbi;

/** HTTP routes of MSG-5: send a fax from a file, list the enterprise's faxes, download a fax's document (TIFF). */
public final class FaxRoutes {
    private FaxRoutes() {}

    public static void register(Api root, Jdbi jdbi, AuditLog audit, Faxes faxes) {
        Api api = root.tagged("fax");
        api.post("/faxes", "Send a fax (multipart): field 'file' (TIFF or PNG, at most 1.5 MB, at most 50 pages; scaled to"
                        + " 1728 pels and thresholded), 'number' (the fax number, through the outbound routes), 'resolution'"
                        + " fine (default) or standard; each may also be a query parameter. 201 with the fax, status queued, sending or failed")
                .returns(FaxStore.Fax.class).handle(Permission.FAX_SEND, (ctx, me) -> {
                    String number = field(ctx, "number");
                    String resolution = field(ctx, "resolution");
                    if (resolution != null && !resolution.equals("fine") && !resolution.equals("standard")) {
                        throw ApiException.invalid("resolution", "fine or standard");
                    }
                    var upload = ctx.uploadedFile("file");
                    if (upload == null) throw ApiException.invalid("file", "required");
                    if (upload.size() > Faxes.MAX_UPLOAD_BYTES) throw ApiException.invalid("file", "at most " + Faxes.MAX_UPLOAD_BYTES / 1024 + " KB");
                    byte[] content = upload.content().readAllBytes();
                    var fax = faxes.send(me.enterpriseId(), me.userId(), number, content, !"standard".equals(resolution));
                    jdbi.useHandle(h -> audit.record(h, me, ctx.ip(), "fax.send", fax.number(), "fax " + fax.id() + ", " + fax.status().key()));
                    ctx.status(201).json(fax);
                });
        api.get("/faxes", "The enterprise's faxes, newest first (?limit=, at most 500)").returnsList(FaxStore.Fax.class)
                .handle(Permission.FAX_READ, (ctx, me) -> {
                    int limit = Math.min(500, Math.max(1, ctx.queryParamAsClass("limit", Integer.class).getOrDefault(100)));
                    ctx.json(jdbi.withHandle(h -> FaxStore.list(h, me.enterpriseId(), limit)));
                });
        api.get("/faxes/{id}", "One fax").returns(FaxStore.Fax.class).handle(Permission.FAX_READ, (ctx, me) ->
                ctx.json(faxes.get(me.enterpriseId(), WebServer.id(ctx)).orElseThrow(() -> ApiException.notFound("fax"))));
        api.get("/faxes/{id}/document", "The fax's document as a multi-page TIFF (CCITT T.6): what was sent, or the pages received")
                .handle(Permission.FAX_READ, (ctx, me) -> {
                    long id = WebServer.id(ctx);
                    var file = faxes.document(me.enterpriseId(), id).orElseThrow(() -> ApiException.notFound("fax document"));
                    ctx.header("Content-Disposition", "attachment; filename=\"fax-" + id + ".tif\"");
                    ctx.contentType("image/tiff").result(Files.readAllBytes(file));
                });
    }

    private static String field(io.javalin.http.Context ctx, String name) {
        String v = ctx.formParam(name);
        return v != null ? v : ctx.queryParam(name);
    }
}
