package dev.hotline.recording;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.store.Database;
import dev.hotline.testing.TestAudio;
import dev.hotline.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * REC-2 retention: the sweep deletes the files of recordings older than their enterprise's retention
 * setting and marks their rows deleted (so they leave the list and the player); younger ones, and
 * those of an enterprise that keeps them longer, stay. A fixed clock stands for the passing days.
 */
class RetentionSweepTest {
    static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");

    @TempDir
    Path dir;

    static long enterprise(Jdbi jdbi, String code, int retentionDays) {
        return jdbi.inTransaction(h -> {
            long e = h.createUpdate("INSERT INTO enterprise (code, name, sip_domain, enabled, created_at) VALUES (:c, :c, :d, TRUE, :at)")
                    .bind("c", code).bind("d", code + ".hotline").bind("at", NOW).executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
            RecordingSettings.validate(new RecordingSettings.Input("all", "pcm", true, retentionDays)).save(h, e);
            return e;
        });
    }

    /** A recording of a call that started {@code daysAgo} before {@code NOW}, where MediaFiles puts it. */
    Path recording(Jdbi jdbi, MediaFiles files, long enterprise, String callId, Duration ago) throws Exception {
        Instant started = NOW.minus(ago);
        Path p = files.recordingFile(enterprise, callId, started);
        Files.createDirectories(p.getParent());
        Files.write(p, TestAudio.toneWav(8000, 2, 300, 440));
        jdbi.useHandle(h -> RecordingStore.insert(h, enterprise, callId, p, "pcm", true, started, 300));
        return p;
    }

    static List<String> listed(Jdbi jdbi, long enterprise) {
        return jdbi.withHandle(h -> RecordingStore.search(h, enterprise, new RecordingStore.Filter(null, null, null, 500, 0)))
                .items().stream().map(RecordingStore.RecordingView::callId).toList();
    }

    @Test
    void recordingsOlderThanTheEnterprisesRetentionAreDeletedAndYoungerOnesKept() throws Exception {
        try (Database db = new Database(TestDatabases.migrated(TestDatabases.Kind.H2), "", "")) {
            Jdbi jdbi = db.jdbi();
            long shortKeep = enterprise(jdbi, "e30", 30);
            long longKeep = enterprise(jdbi, "e365", 365);
            MediaFiles files = new MediaFiles(dir, Clock.fixed(NOW, ZoneOffset.UTC));
            Path old = recording(jdbi, files, shortKeep, "old", Duration.ofDays(30).plusHours(1));
            Path young = recording(jdbi, files, shortKeep, "young", Duration.ofDays(30).minusHours(1));
            Path otherOld = recording(jdbi, files, longKeep, "other-old", Duration.ofDays(100));
            assertThat(listed(jdbi, shortKeep)).containsExactlyInAnyOrder("old", "young");

            assertThat(files.sweepRetention(jdbi)).as("recordings removed").isEqualTo(1);
            assertThat(old).as("the file past 30 days").doesNotExist();
            assertThat(young).as("the file within 30 days").exists();
            assertThat(otherOld).as("100 days old, but its enterprise keeps 365").exists();
            assertThat(listed(jdbi, shortKeep)).containsExactly("young");
            assertThat(listed(jdbi, longKeep)).containsExactly("other-old");
            Instant deletedAt = jdbi.withHandle(h -> h.createQuery("SELECT deleted_at FROM recording WHERE call_id = 'old'")
                    .mapTo(Instant.class).one());
            assertThat(deletedAt).as("the row stays, marked when it was swept").isEqualTo(NOW);
            long oldId = jdbi.withHandle(h -> h.createQuery("SELECT id FROM recording WHERE call_id = 'old'").mapTo(Long.class).one());
            java.util.Optional<Path> served = jdbi.withHandle(h -> RecordingStore.file(h, shortKeep, oldId));
            assertThat(served).as("no longer served").isEmpty();

            assertThat(files.sweepRetention(jdbi)).as("a second sweep finds nothing more").isZero();

            // Two days later the young one has passed 30 days too; a shorter setting takes effect at the next sweep.
            MediaFiles later = new MediaFiles(dir, Clock.fixed(NOW.plus(Duration.ofDays(2)), ZoneOffset.UTC));
            assertThat(later.sweepRetention(jdbi)).isEqualTo(1);
            assertThat(young).doesNotExist();
            assertThat(otherOld).exists();
            jdbi.useHandle(h -> RecordingSettings.validate(new RecordingSettings.Input("all", "pcm", true, 90)).save(h, longKeep));
            assertThat(later.sweepRetention(jdbi)).isEqualTo(1);
            assertThat(otherOld).doesNotExist();
            assertThat(listed(jdbi, shortKeep)).isEmpty();
            assertThat(listed(jdbi, longKeep)).isEmpty();
        }
    }

    /**
     * REC-2: retention deletes the archived copy too (its local file is gone already); while the archive cannot delete
     * it, the recording stays listed and the next sweep tries again.
     */
    @Test
    void retentionDeletesArchivedCopiesAndKeepsARecordingWhoseCopyCannotBeDeletedYet() throws Exception {
        try (Database db = new Database(TestDatabases.migrated(TestDatabases.Kind.H2), "", "")) {
            Jdbi jdbi = db.jdbi();
            long e = enterprise(jdbi, "e30a", 30);
            MediaFiles files = new MediaFiles(dir, Clock.fixed(NOW, ZoneOffset.UTC));
            Path file = recording(jdbi, files, e, "archived-old", Duration.ofDays(31));
            var stored = jdbi.withHandle(h -> RecordingStore.toArchive(h, e, NOW, 10)).get(0);
            String location = "sftp://u@archive.example:22/rec/archived-old.wav";
            jdbi.useHandle(h -> RecordingStore.archiveMoved(h, stored, RecordingStore.ArchiveStatus.ARCHIVED, location, "ab", null, NOW));
            Files.delete(file);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbi.useHandle(h -> RecordingStore.archiveMoved(h,
                    jdbi.withHandle(x -> RecordingStore.stored(x, e, stored.id())).orElseThrow(), RecordingStore.ArchiveStatus.FAILED, null, null,
                    "x", NOW))).as("an archived recording does not go back").isInstanceOf(IllegalStateException.class);

            List<String> deleted = new java.util.ArrayList<>();
            assertThat(files.sweepRetention(jdbi, (ent, loc) -> {
                throw new java.io.IOException("archive down");
            })).as("the copy could not be deleted").isZero();
            assertThat(listed(jdbi, e)).containsExactly("archived-old");
            assertThat(files.sweepRetention(jdbi, (ent, loc) -> deleted.add(ent + " " + loc))).isEqualTo(1);
            assertThat(deleted).containsExactly(e + " " + location);
            assertThat(listed(jdbi, e)).isEmpty();
        }
    }
}
