package dev.hotline.recording;

import dev.hotline.engine.media.WavReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where recordings and music on hold live on disk (REC-2): {@code recordings/<enterprise>/<yyyy>/<MM>/<dd>/<call>.wav}
 * and {@code moh/<enterprise>/}, with the shipped default music in {@code moh/default/}; and the
 * retention sweep that removes recordings older than each enterprise's setting.
 */
public final class MediaFiles {
    private static final Logger log = LoggerFactory.getLogger(MediaFiles.class);
    public static final long MAX_MOH_BYTES = 20L * 1024 * 1024;
    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,60}\\.wav";

    private final Path root;
    private final Clock clock;

    public MediaFiles(Path dataDir, Clock clock) {
        this.root = dataDir;
        this.clock = clock;
        installDefaultMusic();
    }

    /** The file a call's recording goes to, by enterprise and the day it started (UTC). */
    public Path recordingFile(long enterpriseId, String callId, Instant startedAt) {
        LocalDate d = LocalDate.ofInstant(startedAt, ZoneOffset.UTC);
        return root.resolve("recordings").resolve(Long.toString(enterpriseId)).resolve(String.format("%04d", d.getYear()))
                .resolve(String.format("%02d", d.getMonthValue())).resolve(String.format("%02d", d.getDayOfMonth()))
                .resolve(callId.replaceAll("[^A-Za-z0-9._-]", "_") + ".wav");
    }

    /** A voicemail's file: {@code voicemail/<enterprise>/<boxType>-<box>/<call>-<millis>.wav}. */
    public Path voicemailFile(long enterpriseId, String boxType, String box, String callId) {
        return root.resolve("voicemail").resolve(Long.toString(enterpriseId)).resolve((boxType + "-" + box).replaceAll("[^A-Za-z0-9._-]", "_"))
                .resolve(callId.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + clock.millis() + ".wav");
    }

    /** The music an enterprise's held callers hear: its own files, or the shipped default when it has none. */
    public Path musicFolder(long enterpriseId) {
        Path own = mohDir(enterpriseId);
        try (Stream<Path> s = Files.isDirectory(own) ? Files.list(own) : Stream.empty()) {
            if (s.anyMatch(p -> p.getFileName().toString().endsWith(".wav"))) return own;
        } catch (IOException e) {
            log.warn("cannot list {}: {}", own, e.getMessage());
        }
        return root.resolve("moh").resolve("default");
    }

    Path mohDir(long enterpriseId) {
        return root.resolve("moh").resolve(Long.toString(enterpriseId));
    }

    private void installDefaultMusic() {
        Path dir = root.resolve("moh").resolve("default");
        Path file = dir.resolve("hotline-default.wav");
        if (Files.exists(file)) return;
        try (InputStream in = MediaFiles.class.getResourceAsStream("/moh/hotline-default.wav")) {
            if (in == null) throw new IllegalStateException("shipped music on hold missing from the jar");
            Files.createDirectories(dir);
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install default music on hold in " + dir, e);
        }
    }

    /** One music-on-hold file. */
    public record MusicFile(String name, long sizeBytes, long durationMs) {}

    public List<MusicFile> music(long enterpriseId) throws IOException {
        Path dir = mohDir(enterpriseId);
        List<MusicFile> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(x -> x.getFileName().toString().endsWith(".wav")).sorted().toList()) {
                long ms;
                try {
                    ms = WavReader.read(p).duration().toMillis();
                } catch (IOException e) {
                    ms = 0;
                }
                out.add(new MusicFile(p.getFileName().toString(), Files.size(p), ms));
            }
        }
        return out;
    }

    /**
     * Stores an uploaded music file after checking it really is audio the engine can play.
     *
     * @throws IllegalArgumentException with the reason, for a bad name or content
     */
    public MusicFile addMusic(long enterpriseId, String fileName, InputStream content) throws IOException {
        String name = fileName == null ? "" : Path.of(fileName).getFileName().toString();
        if (!name.toLowerCase().endsWith(".wav")) name = name + ".wav";
        name = name.replace(' ', '_');
        if (!name.matches(NAME)) throw new IllegalArgumentException("file name must be letters, digits, '.', '_' or '-' and end in .wav");
        Path dir = mohDir(enterpriseId);
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "upload", ".part");
        try {
            long n;
            try (InputStream in = content) {
                n = Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            if (n > MAX_MOH_BYTES) throw new IllegalArgumentException("file larger than 20 MB");
            long ms;
            try {
                ms = WavReader.read(tmp).duration().toMillis();
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("not a WAV audio file the engine can play (" + e.getMessage() + ")");
            }
            if (ms < 200) throw new IllegalArgumentException("audio shorter than 0.2 s");
            Path target = dir.resolve(name);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new MusicFile(name, n, ms);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public boolean deleteMusic(long enterpriseId, String name) throws IOException {
        if (name == null || !name.matches(NAME)) return false;
        return Files.deleteIfExists(mohDir(enterpriseId).resolve(name));
    }

    /** REC-2: deletes an archived copy of a recording (already gone counts as deleted). */
    public interface ArchivedCopies {
        void delete(long enterpriseId, String location) throws IOException;
    }

    /** REC-2 retention without an archive: an archived recording is kept until its copy can be deleted. */
    public int sweepRetention(Jdbi jdbi) {
        return sweepRetention(jdbi, (e, location) -> {
            throw new IOException("no archive to delete " + location + " from");
        });
    }

    /**
     * REC-2 retention: deletes each enterprise's recordings older than its retention setting, the local file and the
     * archived copy alike; a recording whose copy cannot be deleted now stays listed and is tried again next time.
     */
    public int sweepRetention(Jdbi jdbi, ArchivedCopies archive) {
        int removed = 0;
        List<Long> enterprises = jdbi.withHandle(h -> h.createQuery("SELECT id FROM enterprise").mapTo(Long.class).list());
        for (long e : enterprises) {
            int days = jdbi.withHandle(h -> RecordingSettings.load(h, e)).retentionDays();
            Instant cutoff = clock.instant().minus(java.time.Duration.ofDays(days));
            for (long id : jdbi.withHandle(h -> RecordingStore.olderThan(h, e, cutoff))) {
                var rec = jdbi.withHandle(h -> RecordingStore.stored(h, e, id)).orElse(null);
                if (rec == null) continue;
                try {
                    if (rec.archiveLocation() != null) archive.delete(e, rec.archiveLocation());
                    Files.deleteIfExists(rec.path());
                } catch (IOException | RuntimeException ex) {
                    log.warn("retention cannot delete recording {} yet: {}", id, ex.toString());
                    continue;
                }
                jdbi.useTransaction(h -> RecordingStore.markDeleted(h, id, clock.instant()));
                removed++;
            }
        }
        if (removed > 0) log.info("retention removed {} recording(s)", removed);
        return removed;
    }
}
