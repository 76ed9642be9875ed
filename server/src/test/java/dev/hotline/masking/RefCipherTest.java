package dev.hotline.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CRM-5 number references: a reference sealed before a restart (a new cipher from the same key file) still opens, until it
 * expires; another enterprise's, an altered one or one sealed under another key file does not; the key file is made once.
 */
class RefCipherTest {
    static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void aReferenceSurvivesARestartUntilItExpiresAndOpensOnlyForItsEnterprise(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("secrets").resolve("number-ref.key");
        String ref = RefCipher.fromKeyFile(key, Clock.fixed(NOW, ZoneOffset.UTC)).seal(7, "13770000051");
        assertThat(ref).startsWith(RefCipher.PREFIX).doesNotContain("13770000051");
        String keyText = Files.readString(key);

        RefCipher restarted = RefCipher.fromKeyFile(key, Clock.fixed(NOW.plus(Duration.ofDays(6)), ZoneOffset.UTC));
        assertThat(Files.readString(key)).as("the key is kept").isEqualTo(keyText);
        assertThat(restarted.open(7, ref)).contains("13770000051");
        assertThat(restarted.open(8, ref)).as("another enterprise").isEmpty();
        char last = ref.charAt(ref.length() - 2);
        assertThat(restarted.open(7, ref.substring(0, ref.length() - 2) + (last == 'A' ? 'B' : 'A') + ref.charAt(ref.length() - 1)))
                .as("altered").isEmpty();
        assertThat(restarted.open(7, "ref:forged")).isEmpty();

        RefCipher later = RefCipher.fromKeyFile(key, Clock.fixed(NOW.plus(RefCipher.TTL).plusSeconds(1), ZoneOffset.UTC));
        assertThat(later.open(7, ref)).as("expired").isEmpty();
        assertThat(RefCipher.fromKeyFile(dir.resolve("other.key"), Clock.fixed(NOW, ZoneOffset.UTC)).open(7, ref)).as("another key").isEmpty();
    }
}
