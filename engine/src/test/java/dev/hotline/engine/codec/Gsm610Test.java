package dev.hotline.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.media.Signals;
import dev.hotline.engine.media.Sox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Gsm610Test {
    @TempDir
    Path dir;

    private static final short[] SPEECH = Signals.speechLike(8000, 42);

    @Test
    void encoderIsBitExactWithSoxLibgsm() throws Exception {
        Path raw = dir.resolve("in.raw");
        Sox.writeRaw16(raw, SPEECH);
        Path gsm = dir.resolve("out.gsm");
        Sox.run("-t", "raw", "-r", "8000", "-e", "signed", "-b", "16", "-c", "1", raw.toString(), "-e", "gsm-full-rate", gsm.toString());
        byte[] expected = Files.readAllBytes(gsm);
        assertThat(expected).hasSize(50 * Gsm610.FRAME_BYTES);

        Gsm610.Encoder enc = new Gsm610.Encoder();
        byte[] mine = new byte[expected.length];
        for (int f = 0; f < 50; f++) {
            enc.encode(SPEECH, f * 160, mine, f * 33);
        }
        for (int f = 0; f < 50; f++) {
            assertThat(Arrays.copyOfRange(mine, f * 33, f * 33 + 33)).as("frame %d", f)
                    .isEqualTo(Arrays.copyOfRange(expected, f * 33, f * 33 + 33));
        }
    }

    @Test
    void decoderIsBitExactWithSoxLibgsm() throws Exception {
        Path raw = dir.resolve("in.raw");
        Sox.writeRaw16(raw, SPEECH);
        Path gsm = dir.resolve("out.gsm");
        Sox.run("-t", "raw", "-r", "8000", "-e", "signed", "-b", "16", "-c", "1", raw.toString(), "-e", "gsm-full-rate", gsm.toString());
        Path back = dir.resolve("back.raw");
        Sox.run("-t", "gsm", gsm.toString(), "-t", "raw", "-e", "signed", "-b", "16", back.toString());
        short[] expected = Sox.readRaw16(back);
        byte[] frames = Files.readAllBytes(gsm);

        Gsm610.Decoder dec = new Gsm610.Decoder();
        short[] mine = new short[8000];
        for (int f = 0; f < 50; f++) {
            assertThat(dec.decode(frames, f * 33, mine, f * 160)).isTrue();
        }
        assertThat(mine).isEqualTo(expected);
    }

    @Test
    void soxDecodesWhatWeEncode() throws Exception {
        Gsm610.Encoder enc = new Gsm610.Encoder();
        byte[] frames = new byte[50 * 33];
        for (int f = 0; f < 50; f++) {
            enc.encode(SPEECH, f * 160, frames, f * 33);
        }
        Path gsm = dir.resolve("mine.gsm");
        Files.write(gsm, frames);
        Path back = dir.resolve("back.raw");
        Sox.run("-t", "gsm", gsm.toString(), "-t", "raw", "-e", "signed", "-b", "16", back.toString());
        short[] decoded = Sox.readRaw16(back);
        assertThat(decoded).hasSize(8000);
        assertThat(Signals.snrDb(SPEECH, decoded, 320)).isGreaterThan(5);
    }

    @Test
    void roundTripKeepsASpeechLikeSignal() {
        Gsm610.Encoder enc = new Gsm610.Encoder();
        Gsm610.Decoder dec = new Gsm610.Decoder();
        byte[] frame = new byte[33];
        short[] out = new short[SPEECH.length];
        for (int f = 0; f < 50; f++) {
            enc.encode(SPEECH, f * 160, frame, 0);
            assertThat(frame[0] >> 4 & 0xF).isEqualTo(0xD);
            dec.decode(frame, 0, out, f * 160);
        }
        double snr = Signals.snrDb(SPEECH, out, 320);
        System.out.printf("GSM 06.10 round trip SNR on a speech-like signal: %.1f dB%n", snr);
        assertThat(snr).isGreaterThan(5);
    }

    @Test
    void silenceStaysSilentAndBadSignatureIsRejected() {
        Gsm610.Encoder enc = new Gsm610.Encoder();
        Gsm610.Decoder dec = new Gsm610.Decoder();
        short[] zero = new short[160];
        byte[] frame = new byte[33];
        short[] out = new short[160];
        for (int i = 0; i < 5; i++) {
            enc.encode(zero, 0, frame, 0);
            dec.decode(frame, 0, out, 0);
        }
        for (short v : out) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(16);
        }
        frame[0] = 0x12;
        Arrays.fill(out, (short) 100);
        assertThat(dec.decode(frame, 0, out, 0)).isFalse();
        assertThat(out).containsOnly((short) 0);
    }

    @Test
    void wavBlocksAreBitExactWithSox() throws Exception {
        Path raw = dir.resolve("in.raw");
        Sox.writeRaw16(raw, SPEECH);
        Path wav = dir.resolve("gsm.wav");
        Sox.run("-t", "raw", "-r", "8000", "-e", "signed", "-b", "16", "-c", "1", raw.toString(), "-e", "gsm", wav.toString());
        byte[] file = Files.readAllBytes(wav);
        int data = indexOf(file, "data".getBytes()) + 8;
        byte[] blocks = Arrays.copyOfRange(file, data, data + 25 * 65);

        Gsm610.Encoder enc = new Gsm610.Encoder();
        byte[] mine = new byte[25 * 65];
        for (int b = 0; b < 25; b++) {
            enc.encodeWavBlock(SPEECH, b * 320, mine, b * 65);
        }
        assertThat(mine).isEqualTo(blocks);

        Path back = dir.resolve("back.raw");
        Sox.run(wav.toString(), "-t", "raw", "-e", "signed", "-b", "16", back.toString());
        short[] expected = Sox.readRaw16(back);
        Gsm610.Decoder dec = new Gsm610.Decoder();
        short[] out = new short[8000];
        for (int b = 0; b < 25; b++) {
            dec.decodeWavBlock(blocks, b * 65, out, b * 320);
        }
        assertThat(out).isEqualTo(Arrays.copyOf(expected, 8000));
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
