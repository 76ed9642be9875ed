package dev.hotline.engine.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioClipTest {
    @TempDir
    Path dir;

    @Test
    void framesArePaddedWithSilence() {
        short[] s = new short[400];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (i + 1);
        }
        AudioClip clip = AudioClip.of(s);
        s[0] = 999; // the clip owns a copy
        assertThat(clip.sample(0)).isEqualTo((short) 1);
        assertThat(clip.frameCount()).isEqualTo(3);
        assertThat(clip.duration()).isEqualTo(Duration.ofMillis(50));
        short[] frame = new short[160];
        assertThat(clip.copyFrame(2, frame, 0)).isEqualTo(80);
        assertThat(frame[0]).isEqualTo((short) 321);
        assertThat(frame[79]).isEqualTo((short) 400);
        assertThat(frame[80]).isZero();
        assertThat(clip.copyFrame(3, frame, 0)).isZero();
        assertThat(frame).containsOnly((short) 0);
        AudioClip both = AudioClip.concat(List.of(clip, AudioClip.silence(Duration.ofMillis(10)), clip));
        assertThat(both.length()).isEqualTo(880);
        assertThat(both.sample(480)).isEqualTo((short) 1);
    }

    @Test
    void cacheReadsOnceAndAgainAfterAChange() throws Exception {
        Path f = dir.resolve("p.wav");
        Sox.run("-n", "-r", "16000", "-c", "1", "-b", "16", f.toString(), "synth", "0.2", "sine", "440");
        AudioClipCache cache = new AudioClipCache(1_000_000);
        AudioClip a = cache.get(f);
        AudioClip b = cache.get(dir.resolve(".").resolve("p.wav"));
        assertThat(b).isSameAs(a);
        assertThat(a.length()).isEqualTo(1600);
        assertThat(cache.loads()).isEqualTo(1);
        assertThat(cache.hits()).isEqualTo(1);

        Sox.run("-n", "-r", "8000", "-c", "1", "-b", "16", f.toString(), "synth", "0.3", "sine", "440");
        Files.setLastModifiedTime(f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() + 5000));
        AudioClip c = cache.get(f);
        assertThat(c).isNotSameAs(a);
        assertThat(c.length()).isEqualTo(2400);
        assertThat(cache.loads()).isEqualTo(2);
    }

    @Test
    void cacheEvictsTheLeastRecentlyUsed() throws Exception {
        Path[] files = new Path[3];
        for (int i = 0; i < 3; i++) {
            files[i] = dir.resolve("f" + i + ".wav");
            Sox.run("-n", "-r", "8000", "-c", "1", "-b", "16", files[i].toString(), "synth", "0.1", "sine", "440");
        }
        AudioClipCache cache = new AudioClipCache(2000); // room for two 800-sample clips
        cache.get(files[0]);
        cache.get(files[1]);
        cache.get(files[0]);
        cache.get(files[2]); // evicts f1
        assertThat(cache.size()).isEqualTo(2);
        long loads = cache.loads();
        cache.get(files[0]);
        assertThat(cache.loads()).isEqualTo(loads);
        cache.get(files[1]);
        assertThat(cache.loads()).isEqualTo(loads + 1);
    }
}
