package dev.hotline.branding;

import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.tenant.Enterprise;
import dev.hotline.tenant.EnterpriseStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * ADM-4 branding: an enterprise's company name and logo, shown on the login page (by the enterprise's code from {@code ?e=}
 * or the first label of the host name), the console, the desk, the supervisor's page and the wallboard; "Hotline" and the
 * product's own mark by default. Logos are PNG or JPEG of at most {@link #MAX_LOGO_BYTES}, recognised by their content (the
 * name and the declared type are not trusted); SVG is refused, not sanitised (it can carry scripts and external references).
 * The logo file lives in {@code <data>/branding/<enterprise>/logo}; its type and version in {@code enterprise_branding}.
 */
public final class Branding {
    public static final int MAX_LOGO_BYTES = 256 * 1024;
    static final String DEFAULT_NAME = "Hotline";

    /** What pages show: the company name and the logo's address (null: the product's mark). */
    public record View(String companyName, String logoUrl) {}

    public record NameInput(String companyName) {}

    private final Path root;
    private final Clock clock;

    public Branding(Path dataDir, Clock clock) {
        this.root = dataDir.resolve("branding");
        this.clock = clock;
    }

    private record Row(String companyName, String logoType, Timestamp logoAt) {}

    private static Optional<Row> row(Handle h, long e) {
        return h.createQuery("SELECT company_name, logo_type, logo_at FROM enterprise_branding WHERE enterprise_id = :e").bind("e", e)
                .map((rs, c) -> new Row(rs.getString("company_name"), rs.getString("logo_type"), rs.getTimestamp("logo_at"))).findOne();
    }

    /** The enterprise's branding: its own company name, else the enterprise's name; its logo, if any. */
    public View view(Handle h, Enterprise e) {
        var r = row(h, e.id());
        String name = r.map(Row::companyName).filter(n -> !n.isBlank()).orElse(e.name());
        String logo = r.filter(x -> x.logoType() != null && Files.isRegularFile(logoFile(e.id())))
                .map(x -> "/api/v1/branding/logo?e=" + e.code() + "&v=" + x.logoAt().getTime()).orElse(null);
        return new View(name, logo);
    }

    public View view(Handle h, long enterpriseId) {
        return view(h, EnterpriseStore.byId(h, enterpriseId).orElseThrow(() -> DomainException.notFound("enterprise")));
    }

    /** For the login page: by enterprise code; the product's own name and mark for an unknown code or none. */
    public View publicView(Handle h, String code) {
        if (code == null || code.isBlank()) return new View(DEFAULT_NAME, null);
        return EnterpriseStore.byCode(h, code.strip()).filter(Enterprise::enabled).map(e -> view(h, e)).orElse(new View(DEFAULT_NAME, null));
    }

    public View saveName(Handle h, long e, NameInput in) {
        String name = in == null ? null : Validator.clean(in.companyName());
        Validator.of().maxLength("companyName", name, 100).throwIfInvalid();
        ensureRow(h, e);
        h.createUpdate("UPDATE enterprise_branding SET company_name = :n WHERE enterprise_id = :e").bind("n", name).bind("e", e).execute();
        return view(h, e);
    }

    /** Stores a logo after checking its size and recognising PNG or JPEG by its first bytes; anything else is a 400 on "logo". */
    public View saveLogo(Handle h, long e, byte[] content) {
        if (content == null || content.length == 0) throw DomainException.invalid("logo", "required");
        if (content.length > MAX_LOGO_BYTES) throw DomainException.invalid("logo", "at most " + MAX_LOGO_BYTES / 1024 + " KB");
        String type = sniff(content).orElseThrow(() -> DomainException.invalid("logo",
                "a PNG or JPEG image (SVG and other formats are refused)"));
        Path file = logoFile(e);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "logo", ".tmp");
            Files.write(tmp, content);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        ensureRow(h, e);
        h.createUpdate("UPDATE enterprise_branding SET logo_type = :t, logo_at = :at WHERE enterprise_id = :e")
                .bind("t", type).bind("at", Timestamp.from(clock.instant())).bind("e", e).execute();
        return view(h, e);
    }

    public View deleteLogo(Handle h, long e) {
        ensureRow(h, e);
        h.createUpdate("UPDATE enterprise_branding SET logo_type = NULL, logo_at = NULL WHERE enterprise_id = :e").bind("e", e).execute();
        try {
            Files.deleteIfExists(logoFile(e));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return view(h, e);
    }

    /** The logo of the enterprise with {@code code}: its content type and file; empty when it has none. */
    public Optional<Logo> logo(Handle h, String code) {
        if (code == null) return Optional.empty();
        return EnterpriseStore.byCode(h, code.strip()).filter(Enterprise::enabled).flatMap(e -> row(h, e.id())
                .filter(r -> r.logoType() != null && Files.isRegularFile(logoFile(e.id()))).map(r -> new Logo(r.logoType(), logoFile(e.id()))));
    }

    public record Logo(String contentType, Path file) {}

    private static void ensureRow(Handle h, long e) {
        h.createUpdate("INSERT INTO enterprise_branding (enterprise_id) SELECT :e WHERE NOT EXISTS "
                + "(SELECT 1 FROM enterprise_branding WHERE enterprise_id = :e)").bind("e", e).execute();
    }

    private Path logoFile(long e) {
        return root.resolve(Long.toString(e)).resolve("logo");
    }

    /** image/png or image/jpeg by the file's signature; SVG (text), GIF, WebP and the rest are not recognised. */
    static Optional<String> sniff(byte[] b) {
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G' && b[4] == 0x0D && b[5] == 0x0A
                && b[6] == 0x1A && b[7] == 0x0A) {
            return Optional.of("image/png");
        }
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) return Optional.of("image/jpeg");
        return Optional.empty();
    }
}
