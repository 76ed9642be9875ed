package dev.hotline.ivr;

import dev.hotline.audit.AuditLog;
import dev.hotline.auth.Permission;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.media.WavEncoding;
import dev.hotline.engine.media.WavReader;
import dev.hotline.engine.media.WavWriter;
import dev.hotline.engine.tts.Language;
import dev.hotline.web.Api;
import dev.hotline.web.ApiException;
import dev.hotline.domain.Validator;
import dev.hotline.web.WebServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;

/** Uploaded prompts (IVR-2) and the TTS preview of the flow editor (IVR-3). */
public final class PromptRoutes {
    private PromptRoutes() {}

    static final long MAX_BYTES = 20L * 1024 * 1024;
    static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,60}\\.wav";

    public record PromptFile(String name, long sizeBytes, long durationMs) {}

    public static void register(Api root, Jdbi jdbi, AuditLog audit, Ivr ivr) {
        Api api = root.tagged("ivr");
        api.get("/prompts", "The enterprise's uploaded prompts").returnsList(PromptFile.class).handle(Permission.IVR_READ, (ctx, me) -> {
            List<PromptFile> out = new ArrayList<>();
            for (String n : ivr.promptFiles(me.enterpriseId()).stream().sorted().toList()) {
                Path p = ivr.promptFile(me.enterpriseId(), n);
                long ms;
                try {
                    ms = WavReader.read(p).duration().toMillis();
                } catch (IOException e) {
                    ms = 0;
                }
                out.add(new PromptFile(n, Files.size(p), ms));
            }
            ctx.json(out);
        });
        api.post("/prompts", "Upload a prompt: WAV of any common format, or MP3 (converted with sox), ≤ 20 MB").returns(PromptFile.class)
                .handle(Permission.IVR_WRITE, (ctx, me) -> {
                    if (!ctx.isMultipartFormData()) throw ApiException.badRequest("send multipart/form-data with a 'file' field");
                    var upload = ctx.uploadedFile("file");
                    if (upload == null) throw ApiException.invalid("file", "required");
                    if (upload.size() > MAX_BYTES) throw ApiException.invalid("file", "larger than 20 MB");
                    PromptFile saved = store(ivr, me.enterpriseId(), upload.filename(), upload.content());
                    jdbi.useTransaction(h -> audit.record(h, me, ctx.ip(), "prompt.upload", saved.name(), saved.durationMs() + " ms"));
                    ctx.status(201).json(saved);
                });
        api.get("/prompts/{name}/audio", "An uploaded prompt as WAV").handle(Permission.IVR_READ, (ctx, me) -> {
            String name = ctx.pathParam("name");
            Path p = ivr.promptFile(me.enterpriseId(), name);
            if (!name.matches(NAME) || !Files.isRegularFile(p)) throw ApiException.notFound("prompt");
            WebServer.sendWav(ctx, p, name);
        });
        api.delete("/prompts/{name}", "Delete a prompt no published flow uses").handle(Permission.IVR_WRITE, (ctx, me) -> {
            String name = ctx.pathParam("name");
            Path p = ivr.promptFile(me.enterpriseId(), name);
            if (!name.matches(NAME) || !Files.isRegularFile(p)) throw ApiException.notFound("prompt");
            boolean used = jdbi.withHandle(h -> FlowStore.published(h, me.enterpriseId()).values().stream()
                    .flatMap(g -> g.nodes().values().stream()).flatMap(n -> Ivr.promptsOf(n).stream())
                    .anyMatch(pr -> name.equals(pr.file())));
            // a number's welcome (IVR-2) or a DISA entry's (PBX-6)
            boolean welcome = jdbi.withHandle(h -> h.createQuery("""
                    SELECT (SELECT COUNT(*) FROM did WHERE enterprise_id = :e AND welcome_prompt = :n)
                         + (SELECT COUNT(*) FROM disa WHERE enterprise_id = :e AND welcome_prompt = :n)""")
                    .bind("e", me.enterpriseId()).bind("n", name).mapTo(Long.class).one() > 0);
            if (used || welcome) throw ApiException.conflict("a published flow, a number or a DISA entry uses this prompt");
            Files.delete(p);
            jdbi.useTransaction(h -> audit.record(h, me, ctx.ip(), "prompt.delete", name, null));
            ctx.status(204);
        });
        api.get("/tts/preview", "The text spoken (8 kHz WAV): text, language zh or en").handle(Permission.IVR_READ, (ctx, me) -> {
            String text = Validator.clean(ctx.queryParam("text"));
            String lang = ctx.queryParam("language") == null ? "zh" : ctx.queryParam("language");
            Validator.of().required("text", text).maxLength("text", text, 1000)
                    .check(lang.equals("zh") || lang.equals("en"), "language", "zh or en").throwIfInvalid();
            if (!ivr.ttsAvailable()) throw new ApiException(503, "tts_unavailable", "text to speech needs espeak-ng on the server (apt-get install espeak-ng)");
            Path file = ivr.renderToFile(text, lang.equals("en") ? Language.EN : Language.ZH);
            WebServer.sendWav(ctx, file, "preview.wav");
        });
    }

    /** Checks, converts to 8 kHz mono WAV and stores an upload; a bad file is a 400 that says why. */
    static PromptFile store(Ivr ivr, long enterpriseId, String fileName, InputStream content) throws IOException {
        String base = fileName == null ? "" : Path.of(fileName).getFileName().toString().replace(' ', '_');
        boolean mp3 = isMp3(base);
        String name = base.replaceAll("(?i)\\.(wav|mp3)$", "") + ".wav";
        if (!name.matches(NAME)) throw ApiException.invalid("file", "file name must be letters, digits, '.', '_' or '-', ending in .wav or .mp3");
        long ms = convert(content, mp3, ivr.promptFile(enterpriseId, name));
        return new PromptFile(name, Files.size(ivr.promptFile(enterpriseId, name)), ms);
    }

    /**
     * Whether an upload's file name is an MP3's (else a WAV's); any other ending is refused, so a file
     * of another kind is told so by its name before its content is looked at.
     */
    static boolean isMp3(String fileName) {
        String n = fileName == null ? "" : fileName.toLowerCase(java.util.Locale.ROOT);
        if (!n.endsWith(".wav") && !n.endsWith(".mp3")) throw ApiException.invalid("file", "the file name must end in .wav or .mp3");
        return n.endsWith(".mp3");
    }

    /**
     * Checks an uploaded WAV (any common format) or MP3 and stores it at {@code target} as 8 kHz mono
     * 16-bit WAV, replacing what is there; returns its duration in ms. A bad file is a 400 that says why.
     */
    static long convert(InputStream content, boolean mp3, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "upload", mp3 ? ".mp3" : ".wav");
        Path converted = Files.createTempFile(target.getParent(), "converted", ".wav");
        try {
            long n;
            try (InputStream in = content) {
                n = Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            if (n > MAX_BYTES) throw ApiException.invalid("file", "larger than 20 MB");
            Path wav = tmp;
            if (mp3) {
                wav = converted;
                mp3ToWav(tmp, converted);
            }
            AudioClip clip;
            try {
                clip = WavReader.read(wav);
            } catch (IOException | RuntimeException e) {
                throw ApiException.invalid("file", "not audio this server can play (" + e.getMessage() + ")");
            }
            if (clip.duration().toMillis() < 200) throw ApiException.invalid("file", "audio shorter than 0.2 s");
            Path out = Files.createTempFile(target.getParent(), "prompt", ".wav");
            try (WavWriter w = WavWriter.create(out, WavEncoding.PCM_16, 1)) {
                short[] s = clip.toArray();
                w.write(s, 0, s.length);
            }
            Files.move(out, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return clip.duration().toMillis();
        } finally {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(converted);
        }
    }

    /** MP3 through sox (Debian: sox and libsox-fmt-mp3); a missing converter is said plainly. */
    static void mp3ToWav(Path mp3, Path wav) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder("sox", mp3.toString(), "-r", "8000", "-c", "1", "-b", "16", wav.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw ApiException.invalid("file", "MP3 needs sox on the server (apt-get install sox libsox-fmt-mp3); upload WAV instead");
        }
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw ApiException.invalid("file", "cannot read this MP3 (" + out.strip().replaceAll("\\s+", " ")
                        + "); the server may need libsox-fmt-mp3, or upload WAV");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.invalid("file", "conversion interrupted");
        }
    }
}
