package dev.hotline.branding;

import dev.hotline.auth.Permission;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.web.Json;
import java.nio.file.Files;
import org.jdbi.v3.core.Jdbi;

/**
 * ADM-4 over HTTP: the enterprise's branding (every logged-in user reads it; branding.manage changes it), and the public
 * view the login page and the wallboard ask for by enterprise code ({@code e}) or, without one, the host name's first label.
 */
public final class BrandingRoutes {
    private BrandingRoutes() {}

    public static void register(Api root, Jdbi jdbi, Branding branding) {
        Api api = root.tagged("branding");
        api.get("/branding", "Your enterprise's company name and logo address (null: the product's mark)").returns(Branding.View.class)
                .handleAuthenticated((ctx, me) -> ctx.json(jdbi.withHandle(h -> branding.view(h, me.enterpriseId()))));
        api.put("/branding", "Set the company name shown on the login page, console, desk and wallboard (empty: the enterprise's name)")
                .body(Branding.NameInput.class).returns(Branding.View.class).handle(Permission.BRANDING_MANAGE, (ctx, me) -> {
                    var in = Json.body(ctx, Branding.NameInput.class);
                    ctx.json(jdbi.inTransaction(h -> branding.saveName(h, me.enterpriseId(), in)));
                });
        api.put("/branding/logo", "Upload the logo (multipart field 'file'): PNG or JPEG, at most 256 KB, recognised by its content; SVG is refused")
                .returns(Branding.View.class).handle(Permission.BRANDING_MANAGE, (ctx, me) -> {
                    var upload = ctx.uploadedFile("file");
                    if (upload == null) throw ApiException.invalid("file", "required");
                    if (upload.size() > Branding.MAX_LOGO_BYTES) throw ApiException.invalid("logo", "at most " + Branding.MAX_LOGO_BYTES / 1024 + " KB");
                    byte[] content = upload.content().readAllBytes();
                    ctx.json(jdbi.inTransaction(h -> branding.saveLogo(h, me.enterpriseId(), content)));
                });
        api.delete("/branding/logo", "Remove the logo (the product's mark is shown again)").returns(Branding.View.class)
                .handle(Permission.BRANDING_MANAGE, (ctx, me) -> ctx.json(jdbi.inTransaction(h -> branding.deleteLogo(h, me.enterpriseId()))));
        api.get("/branding/public", "For the login page: the company name and logo of the enterprise with code e (else the host name's"
                + " first label); Hotline by default").returns(Branding.View.class).handlePublic(ctx -> {
                    String code = ctx.queryParam("e");
                    if (code == null || code.isBlank()) code = hostLabel(ctx.host());
                    String c = code;
                    ctx.json(jdbi.withHandle(h -> branding.publicView(h, c)));
                });
        api.get("/branding/logo", "The logo of the enterprise with code e (404 when it has none)").handlePublic(ctx -> {
            String code = ctx.queryParam("e");
            var logo = jdbi.withHandle(h -> branding.logo(h, code)).orElseThrow(() -> ApiException.notFound("logo"));
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Cache-Control", "public, max-age=300");
            ctx.contentType(logo.contentType()).result(Files.readAllBytes(logo.file()));
        });
    }

    /** "acme" of "acme.hotline.example:8443"; null for an IP address or a single-label host such as localhost. */
    static String hostLabel(String host) {
        if (host == null) return null;
        String h = host.replaceFirst(":\\d+$", "");
        if (h.matches("[0-9.]+") || h.startsWith("[") || !h.contains(".")) return null;
        return h.substring(0, h.indexOf('.'));
    }
}
