package dev.hotline.recording;

import dev.hotline.domain.DomainException;
import dev.hotline.domain.Validator;
import dev.hotline.mail.SecretBox;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REC-2: archives each enterprise's recordings older than its setting to its SFTP server, on a schedule: upload, verify
 * (remote size and the SHA-256 of the copy read back), record the copy's location on the recording, then remove the local
 * file. A failed upload keeps the local file and marks the recording failed with the reason (retried on the next run).
 * Archived recordings are read back from the server for the player, downloads and zips; retention deletes the copies.
 * The password and private key are sealed in the database and never returned.
 */
public final class RecordingArchive implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecordingArchive.class);
    /** Recordings archived per enterprise and run (the next run goes on). */
    static final int BATCH = 500;

    /** The settings as the API shows them: secrets only as "set or not". */
    public record View(boolean enabled, String host, Integer port, String username, boolean passwordSet, boolean privateKeySet,
                       String remoteDir, Integer afterDays, String hostKey, Instant lastRunAt, String lastResult) {
        static final View NONE = new View(false, null, null, null, false, false, null, null, null, null, null);
    }

    /**
     * @param password null keeps the stored one, "" removes it
     * @param privateKey an OpenSSH or PEM private key (unencrypted); null keeps the stored one, "" removes it
     * @param hostKey the server's key fingerprint (SHA256:...); blank: trusted on first use
     */
    public record Input(Boolean enabled, String host, Integer port, String username, String password, String privateKey, String remoteDir,
                        Integer afterDays, String hostKey) {}

    /** What one run did for an enterprise. */
    public record RunResult(int archived, int failed, String lastError) {
        String summary() {
            return "archived " + archived + ", failed " + failed + (lastError == null ? "" : ": " + lastError);
        }
    }

    /** A stored row with the secrets sealed. */
    private record Row(boolean enabled, String host, int port, String username, String passwordEnc, String keyEnc, String remoteDir,
                       int afterDays, String hostKey, Instant lastRunAt, String lastResult) {}

    private final Jdbi jdbi;
    private final SecretBox secrets;
    private final SftpArchive sftp;
    private final Clock clock;

    public RecordingArchive(Jdbi jdbi, SecretBox secrets, SftpArchive sftp, Clock clock) {
        this.jdbi = jdbi;
        this.secrets = secrets;
        this.sftp = sftp;
        this.clock = clock;
    }

    private static Optional<Row> row(Handle h, long enterpriseId) {
        return h.createQuery("SELECT * FROM recording_archive_settings WHERE enterprise_id = :e").bind("e", enterpriseId)
                .map((rs, c) -> new Row(rs.getBoolean("enabled"), rs.getString("host"), rs.getInt("port"), rs.getString("username"),
                        rs.getString("password_enc"), rs.getString("private_key_enc"), rs.getString("remote_dir"), rs.getInt("after_days"),
                        rs.getString("host_key"), rs.getTimestamp("last_run_at") == null ? null : rs.getTimestamp("last_run_at").toInstant(),
                        rs.getString("last_result"))).findOne();
    }

    public View settings(Handle h, long enterpriseId) {
        return row(h, enterpriseId).map(r -> new View(r.enabled(), r.host(), r.port(), r.username(), r.passwordEnc() != null,
                r.keyEnc() != null, r.remoteDir(), r.afterDays(), r.hostKey(), r.lastRunAt(), r.lastResult())).orElse(View.NONE);
    }

    /** Validates and stores the settings; every bad field is named in one 400. */
    public View save(Handle h, long enterpriseId, Input in) {
        if (in == null) throw DomainException.badRequest("a JSON body is required");
        Optional<Row> old = row(h, enterpriseId);
        String host = Validator.clean(in.host());
        String user = Validator.clean(in.username());
        String dir = Validator.clean(in.remoteDir());
        String hostKey = Validator.clean(in.hostKey());
        boolean hasPassword = in.password() == null ? old.map(r -> r.passwordEnc() != null).orElse(false) : !in.password().isEmpty();
        boolean hasKey = in.privateKey() == null ? old.map(r -> r.keyEnc() != null).orElse(false) : !in.privateKey().isBlank();
        String keyProblem = in.privateKey() == null || in.privateKey().isBlank() ? null : SftpArchive.keyProblem(in.privateKey());
        Validator.of().required("enabled", in.enabled())
                .required("host", host).matches("host", host, "[A-Za-z0-9.\\-:\\[\\]]{1,255}", "a host name or IP address")
                .required("port", in.port()).check(in.port() == null || in.port() >= 1 && in.port() <= 65535, "port", "1..65535")
                .required("username", user).maxLength("username", user, 255)
                .check(keyProblem == null, "privateKey", "not a private key this server can read (" + keyProblem + ")")
                .check(hasPassword || hasKey, "password", "a password or a private key is required")
                .required("remoteDir", dir).matches("remoteDir", dir, "/[^\\x00-\\x1f]{0,499}", "an absolute path (starts with /)")
                .check(dir == null || !dir.contains("/../") && !dir.endsWith("/.."), "remoteDir", "an absolute path without ..")
                .required("afterDays", in.afterDays())
                .check(in.afterDays() == null || in.afterDays() >= 0 && in.afterDays() <= 3650, "afterDays", "0..3650")
                .matches("hostKey", hostKey, "SHA256:[A-Za-z0-9+/=]{20,100}", "a key fingerprint such as SHA256:...")
                .throwIfInvalid();
        String pw = in.password() == null ? old.map(Row::passwordEnc).orElse(null) : in.password().isEmpty() ? null : secrets.encrypt(in.password());
        String key = in.privateKey() == null ? old.map(Row::keyEnc).orElse(null)
                : in.privateKey().isBlank() ? null : secrets.encrypt(in.privateKey().strip() + "\n");
        // A new server (or a fingerprint given) starts over the trust on first use.
        boolean sameServer = old.map(r -> r.host().equals(host) && r.port() == in.port()).orElse(false);
        String keep = hostKey != null ? hostKey : sameServer ? old.get().hostKey() : null;
        String trimmed = dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
        h.createUpdate("DELETE FROM recording_archive_settings WHERE enterprise_id = :e").bind("e", enterpriseId).execute();
        h.createUpdate("""
                INSERT INTO recording_archive_settings (enterprise_id, enabled, host, port, username, password_enc, private_key_enc, remote_dir,
                after_days, host_key, last_run_at, last_result, updated_at)
                VALUES (:e, :en, :host, :port, :user, :pw, :key, :dir, :days, :hk, :lr, :res, :at)""")
                .bind("e", enterpriseId).bind("en", in.enabled()).bind("host", host).bind("port", in.port()).bind("user", user)
                .bind("pw", pw).bind("key", key).bind("dir", trimmed).bind("days", in.afterDays()).bind("hk", keep)
                .bind("lr", old.map(Row::lastRunAt).map(Timestamp::from).orElse(null)).bind("res", old.map(Row::lastResult).orElse(null))
                .bind("at", Timestamp.from(clock.instant())).execute();
        return settings(h, enterpriseId);
    }

    private SftpArchive.Target target(Row r) {
        return new SftpArchive.Target(r.host(), r.port(), r.username(), r.passwordEnc() == null ? null : secrets.decrypt(r.passwordEnc()),
                r.keyEnc() == null ? null : secrets.decrypt(r.keyEnc()), r.hostKey());
    }

    /** Runs the archive for every enterprise whose archive is on (the schedule). */
    public void runAll() {
        List<Long> enterprises = jdbi.withHandle(h -> h.createQuery("SELECT enterprise_id FROM recording_archive_settings WHERE enabled = TRUE")
                .mapTo(Long.class).list());
        for (long e : enterprises) {
            try {
                run(e);
            } catch (RuntimeException ex) {
                log.error("recording archive of enterprise {} failed", e, ex);
            }
        }
    }

    /**
     * Archives the enterprise's recordings old enough now (its archive must be set up; off is a conflict). One run at a
     * time for the whole server.
     */
    public synchronized RunResult run(long enterpriseId) {
        Row r = jdbi.withHandle(h -> row(h, enterpriseId)).orElseThrow(() -> DomainException.conflict("the recording archive is not set up"));
        if (!r.enabled()) throw DomainException.conflict("the recording archive is off");
        Instant cutoff = clock.instant().minus(Duration.ofDays(r.afterDays()));
        SftpArchive.Target target = target(r);
        int archived = 0;
        int failed = 0;
        String lastError = null;
        String hostKey = r.hostKey();
        for (RecordingStore.Stored rec : jdbi.withHandle(h -> RecordingStore.toArchive(h, enterpriseId, cutoff, BATCH))) {
            String error;
            if (!Files.isRegularFile(rec.path())) {
                error = "the local file is missing";
            } else {
                try {
                    SftpArchive.Uploaded up = sftp.upload(target, rec.path(), remotePath(r.remoteDir(), rec));
                    if (hostKey == null && up.hostKey() != null) {
                        hostKey = up.hostKey(); // trusted on first use: from now on the server must show this key
                        target = new SftpArchive.Target(target.host(), target.port(), target.username(), target.password(), target.privateKey(), hostKey);
                        String seen = hostKey;
                        jdbi.useHandle(h -> h.createUpdate("UPDATE recording_archive_settings SET host_key = :k WHERE enterprise_id = :e")
                                .bind("k", seen).bind("e", enterpriseId).execute());
                    }
                    String location = "sftp://" + r.username() + "@" + r.host() + ":" + r.port() + up.remotePath();
                    jdbi.useHandle(h -> RecordingStore.archiveMoved(h, rec, RecordingStore.ArchiveStatus.ARCHIVED, location, up.sha256(), null,
                            clock.instant()));
                    try {
                        Files.deleteIfExists(rec.path());
                    } catch (IOException e) {
                        log.warn("recording {} archived but its local file stays: {}", rec.id(), e.toString());
                    }
                    archived++;
                    continue;
                } catch (IOException | RuntimeException e) {
                    error = e.getMessage() == null ? e.toString() : e.getMessage();
                }
            }
            String why = error;
            jdbi.useHandle(h -> RecordingStore.archiveMoved(h, rec, RecordingStore.ArchiveStatus.FAILED, null, null, why, clock.instant()));
            log.warn("recording {} of enterprise {} not archived to {}: {}", rec.id(), enterpriseId, target, why);
            failed++;
            lastError = why;
        }
        RunResult result = new RunResult(archived, failed, lastError);
        String summary = result.summary();
        jdbi.useHandle(h -> h.createUpdate("UPDATE recording_archive_settings SET last_run_at = :at, last_result = :res WHERE enterprise_id = :e")
                .bind("at", Timestamp.from(clock.instant())).bind("res", summary.length() > 1000 ? summary.substring(0, 1000) : summary)
                .bind("e", enterpriseId).execute());
        if (archived + failed > 0) log.info("recording archive of enterprise {}: {}", enterpriseId, summary);
        return result;
    }

    /** {@code <remoteDir>/<yyyy>/<MM>/<dd>/<file name>}, by the day the recording started (UTC). */
    static String remotePath(String remoteDir, RecordingStore.Stored rec) {
        LocalDate d = LocalDate.ofInstant(rec.startedAt(), ZoneOffset.UTC);
        return (remoteDir.equals("/") ? "" : remoteDir) + String.format("/%04d/%02d/%02d/", d.getYear(), d.getMonthValue(), d.getDayOfMonth())
                + rec.path().getFileName();
    }

    /** The remote path of an archive location ({@code sftp://user@host:port/path}). */
    static String pathOf(String location) {
        return URI.create(location.replace(" ", "%20")).getPath();
    }

    private SftpArchive.Target targetOf(long enterpriseId) {
        Row r = jdbi.withHandle(h -> row(h, enterpriseId))
                .orElseThrow(() -> DomainException.unavailable("archive_unavailable", "the recording archive is not set up any more"));
        return target(r);
    }

    /**
     * An archived recording's bytes, read from the archive (skip moves without transferring: the player's ranges).
     *
     * @throws DomainException unavailable (503) when the archive cannot be read
     */
    public InputStream open(long enterpriseId, RecordingStore.Stored rec) {
        try {
            return sftp.open(targetOf(enterpriseId), pathOf(rec.archiveLocation()));
        } catch (IOException e) {
            log.warn("cannot read archived recording {}: {}", rec.id(), e.toString());
            throw DomainException.unavailable("archive_unavailable", "the recording archive cannot be read now: " + e.getMessage());
        }
    }

    /** Retention: deletes an archived copy (already gone counts as deleted). */
    public void delete(long enterpriseId, String location) throws IOException {
        sftp.delete(targetOf(enterpriseId), pathOf(location));
    }

    @Override
    public void close() throws IOException {
        sftp.close();
    }
}
