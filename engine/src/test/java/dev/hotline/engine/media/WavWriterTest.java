package dev.hotline.engine.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hotline.engine.codec.G711;
import dev.hotline.engine.codec.Gsm610;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavWriterTest {
    @TempDir
    Path dir;

    private static final short[] SPEECH = Signals.speechLike(8000, 11);

    /** Duration in seconds reported by {@code sox --i}. */
    static double soxSeconds(Path f) {
        String info = Sox.info(f);
        Matcher m = Pattern.compile("Duration\\s*:\\s*(\\d+):(\\d+):([\\d.]+)").matcher(info);
        if (!m.find()) {
            assertThat(info).contains("Sample Encoding"); // sox prints no duration for an empty file
            return 0;
        }
        return Integer.parseInt(m.group(1)) * 3600 + Integer.parseInt(m.group(2)) * 60 + Double.parseDouble(m.group(3));
    }

    static long javaSoundFrames(Path f) throws Exception {
        AudioFileFormat aff = AudioSystem.getAudioFileFormat(f.toFile());
        return aff.getFrameLength();
    }

    @Test
    void monoPcmMulawAlawAreReadByJavaSoundAndSox() throws Exception {
        for (WavEncoding enc : new WavEncoding[] {WavEncoding.PCM_16, WavEncoding.MULAW, WavEncoding.ALAW}) {
            Path f = dir.resolve(enc + ".wav");
            try (WavWriter w = WavWriter.create(f, enc, 1)) {
                for (int off = 0; off < 8000; off += 160) {
                    w.write(SPEECH, off, 160);
                }
                assertThat(w.sampleFrames()).isEqualTo(8000);
            }
            assertThat(javaSoundFrames(f)).as(enc.name()).isEqualTo(8000);
            assertThat(soxSeconds(f)).as(enc.name()).isEqualTo(1.0);
            String info = Sox.info(f);
            assertThat(info).contains("Sample Rate    : 8000").contains("Channels       : 1");
            WavReader.Pcm back = WavReader.decode(f);
            if (enc == WavEncoding.PCM_16) {
                assertThat(back.samples()).isEqualTo(SPEECH);
            } else {
                for (int i = 0; i < 8000; i++) {
                    short expected = enc == WavEncoding.MULAW ? G711.ulawToLinear(G711.linearToUlaw(SPEECH[i]))
                            : G711.alawToLinear(G711.linearToAlaw(SPEECH[i]));
                    assertThat(back.samples()[i]).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void stereoKeepsCallerLeftAndAgentRight() throws Exception {
        short[] caller = Signals.sine(440, 8000, 8000, 8000);
        short[] agent = Signals.sine(1000, 8000, 8000, 8000);
        for (WavEncoding enc : new WavEncoding[] {WavEncoding.PCM_16, WavEncoding.MULAW, WavEncoding.ALAW}) {
            Path f = dir.resolve("stereo-" + enc + ".wav");
            try (WavWriter w = WavWriter.create(f, enc, 2)) {
                for (int off = 0; off < 8000; off += 160) {
                    w.writeStereo(caller, agent, off, 160);
                }
            }
            AudioInputStream in = AudioSystem.getAudioInputStream(f.toFile());
            assertThat(in.getFormat().getChannels()).isEqualTo(2);
            assertThat(in.getFrameLength()).isEqualTo(8000);
            in.close();
            assertThat(Sox.info(f)).contains("Channels       : 2");
            assertThat(soxSeconds(f)).isEqualTo(1.0);
            WavReader.Pcm pcm = WavReader.decode(f);
            assertThat(Signals.snrDb(caller, pcm.channel(0), 0)).isGreaterThan(25);
            assertThat(Signals.snrDb(agent, pcm.channel(1), 0)).isGreaterThan(25);
        }
    }

    @Test
    void gsmWavIsWhatSoxWritesAndReads() throws Exception {
        Path f = dir.resolve("gsm.wav");
        try (WavWriter w = WavWriter.create(f, WavEncoding.GSM_610, 1)) {
            for (int off = 0; off < 8000; off += 160) {
                w.write(SPEECH, off, 160);
            }
        }
        assertThat(Sox.info(f)).contains("Sample Encoding: GSM");
        assertThat(soxSeconds(f)).isEqualTo(1.0);
        assertThat(Files.size(f)).isEqualTo(60 + 25 * 65 + 1); // with the RIFF pad byte, as sox writes it
        // sox decodes our file exactly as our own decoder does
        Path raw = dir.resolve("gsm.raw");
        Sox.run(f.toString(), "-t", "raw", "-e", "signed", "-b", "16", raw.toString());
        short[] bySox = Sox.readRaw16(raw);
        WavReader.Pcm ours = WavReader.decode(f);
        assertThat(ours.samples()).isEqualTo(bySox);
        assertThat(Signals.snrDb(SPEECH, bySox, 320)).isGreaterThan(8);
        // and its own encoding of the same input is byte for byte ours
        Path in = dir.resolve("in.raw");
        Sox.writeRaw16(in, SPEECH);
        Path soxWav = dir.resolve("sox-gsm.wav");
        Sox.run("-t", "raw", "-r", "8000", "-e", "signed", "-b", "16", "-c", "1", in.toString(), "-e", "gsm", soxWav.toString());
        byte[] mine = Files.readAllBytes(f);
        byte[] theirs = Files.readAllBytes(soxWav);
        int theirData = Gsm610Access.indexOf(theirs, "data".getBytes(StandardCharsets.US_ASCII)) + 8;
        assertThat(java.util.Arrays.equals(mine, 60, 60 + 25 * 65, theirs, theirData, theirData + 25 * 65))
                .as("GSM blocks equal to sox's").isTrue();
    }

    @Test
    void gsmPartialBlockIsPaddedAndCounted() throws Exception {
        Path f = dir.resolve("gsm-partial.wav");
        try (WavWriter w = WavWriter.create(f, WavEncoding.GSM_610, 1)) {
            w.write(SPEECH, 0, 1000);
        }
        assertThat(Files.size(f)).isEqualTo(60 + 4 * 65);
        assertThat(WavReader.decode(f).frames()).isEqualTo(1000); // the fact chunk trims the padding
        assertThat(soxSeconds(f)).isEqualTo(0.16); // sox ignores the fact chunk: whole blocks
    }

    @Test
    void aFileNeverClosedIsValidUpToTheLastFlush() throws Exception {
        for (WavEncoding enc : WavEncoding.values()) {
            int channels = enc == WavEncoding.GSM_610 ? 1 : 2;
            Path f = dir.resolve("open-" + enc + ".wav");
            WavWriter w = WavWriter.create(f, enc, channels);
            assertThat(soxSeconds(f)).isZero(); // a valid empty file from the start
            write(w, 4000);
            w.flush();
            write(w, 2400);
            w.flush();
            write(w, 100); // pending, not flushed: "killed" here
            double expected = 6400 / 8000.0;
            assertThat(soxSeconds(f)).as(enc.name()).isEqualTo(expected);
            assertThat(WavReader.decode(f).frames()).as(enc.name()).isEqualTo(6400);
            if (enc != WavEncoding.GSM_610) {
                assertThat(javaSoundFrames(f)).as(enc.name()).isEqualTo(6400);
            }
            w.close();
        }
    }

    @Test
    void aProcessKilledWhileRecordingLeavesAValidFile() throws Exception {
        for (WavEncoding enc : new WavEncoding[] {WavEncoding.PCM_16, WavEncoding.GSM_610}) {
            Path f = dir.resolve("killed-" + enc + ".wav");
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                    WavWriterKillChild.class.getName(), f.toString(), enc.name(), enc == WavEncoding.PCM_16 ? "2" : "1")
                    .redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                assertThat(out.readLine()).isEqualTo("recording"); // still writing when killed
                p.destroyForcibly();
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                p.destroyForcibly();
            }
            long size = Files.size(f);
            ByteBuffer hdr = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
            int headerSize = enc == WavEncoding.PCM_16 ? 44 : 60;
            long dataSize = hdr.getInt(headerSize - 4) & 0xFFFFFFFFL;
            assertThat(dataSize).isPositive().isLessThanOrEqualTo(size - headerSize);
            assertThat(hdr.getInt(4) & 0xFFFFFFFFL).isEqualTo(headerSize - 8 + dataSize + (dataSize & 1));
            double seconds = soxSeconds(f);
            assertThat(seconds).as(enc.name()).isGreaterThan(2.0);
            WavReader.Pcm pcm = WavReader.decode(f);
            assertThat(pcm.frames() / 8000.0).as(enc + " " + Sox.info(f) + " size " + size + " data " + dataSize).isEqualTo(seconds);
            if (enc == WavEncoding.PCM_16) {
                assertThat(javaSoundFrames(f)).isEqualTo(pcm.frames());
                short[] left = pcm.channel(0);
                assertThat(java.util.Arrays.copyOf(left, 8000)).isEqualTo(Signals.speechLike(8000, 1));
            }
        }
    }

    @Test
    void misuseIsRejected() throws IOException {
        assertThatThrownBy(() -> WavWriter.create(dir.resolve("x.wav"), WavEncoding.GSM_610, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WavWriter.create(dir.resolve("x.wav"), WavEncoding.PCM_16, 3))
                .isInstanceOf(IllegalArgumentException.class);
        WavWriter w = WavWriter.create(dir.resolve("m.wav"), WavEncoding.PCM_16, 1);
        assertThatThrownBy(() -> w.writeStereo(SPEECH, SPEECH, 0, 10)).isInstanceOf(IllegalStateException.class);
        w.close();
        w.close();
        assertThatThrownBy(() -> w.write(SPEECH, 0, 10)).isInstanceOf(IllegalStateException.class);
        assertThat(new File(dir.toFile(), "m.wav")).exists();
        assertThat(Gsm610.WAVE_FORMAT_GSM610).isEqualTo(0x31);
    }

    private static void write(WavWriter w, int n) throws IOException {
        if (w.channels() == 1) {
            w.write(SPEECH, 0, n);
        } else {
            w.writeStereo(SPEECH, SPEECH, 0, n);
        }
    }

    static AudioFormat pcm16(int channels) {
        return new AudioFormat(8000, 16, channels, true, false);
    }
}
