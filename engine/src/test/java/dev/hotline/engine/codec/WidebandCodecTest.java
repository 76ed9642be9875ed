package dev.hotline.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.media.Signals;
import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusBandwidth;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusMode;
import io.github.jaredmdobson.concentus.OpusPacketInfo;
import org.junit.jupiter.api.Test;

/**
 * G.722 (written here from the Recommendation) and Opus (Concentus) on the engine's 8 kHz path: sizes, and a round trip's
 * signal-to-noise ratio, measured at the codec's delay (the QMF, the rate converters and Opus' look-ahead delay the output).
 */
class WidebandCodecTest {

    /** The best SNR of {@code out} against {@code ref} over delays up to {@code maxDelay} samples (skipping the start). */
    static double snrAtBestDelay(short[] ref, short[] out, int maxDelay, int skip) {
        double best = -100;
        for (int delay = 0; delay <= maxDelay; delay++) {
            double signal = 0;
            double noise = 0;
            for (int i = skip; i + delay < out.length && i < ref.length; i++) {
                double e = out[i + delay] - ref[i];
                signal += (double) ref[i] * ref[i];
                noise += e * e;
            }
            best = Math.max(best, 10 * Math.log10(signal / Math.max(1, noise)));
        }
        return best;
    }

    @Test
    void g722At16kHzRoundTripsATwoToneSignalWithItsUpperBand() {
        // 1 kHz in the lower band, 5 kHz in the upper (only a wideband codec keeps it): 16 kHz in, one byte per two samples.
        short[] in = new short[16_000];
        for (int i = 0; i < in.length; i++) {
            in[i] = (short) (6000 * Math.sin(2 * Math.PI * 1000 * i / 16_000.0) + 3000 * Math.sin(2 * Math.PI * 5000 * i / 16_000.0));
        }
        G722.Encoder enc = new G722.Encoder();
        G722.Decoder dec = new G722.Decoder();
        byte[] coded = new byte[8000];
        short[] out = new short[16_000];
        for (int f = 0; f < 50; f++) {
            assertThat(enc.encode(in, f * 320, 320, coded, f * 160)).isEqualTo(160);
            assertThat(dec.decode(coded, f * 160, 160, out, f * 320)).isEqualTo(320);
        }
        // The QMF pair delays by 22 samples (23 taps each, minus one).
        assertThat(snrAtBestDelay(in, out, 40, 800)).as("G.722 round trip").isGreaterThan(20);
        double upper = 0;
        for (int i = 1600; i < 16_000; i++) {
            upper += out[i] * Math.sin(2 * Math.PI * 5000 * i / 16_000.0);
        }
        assertThat(Math.abs(upper / 14_400 * 2)).as("the 5 kHz tone's amplitude after the round trip").isBetween(1500.0, 4500.0);
    }

    @Test
    void g722SilenceStaysSilentAndTheDecoderSurvivesAnyByte() {
        G722.Encoder enc = new G722.Encoder();
        G722.Decoder dec = new G722.Decoder();
        byte[] coded = new byte[160];
        short[] out = new short[320];
        for (int f = 0; f < 10; f++) {
            enc.encode(new short[320], 0, 320, coded, 0);
            dec.decode(coded, 0, 160, out, 0);
        }
        for (short s : out) {
            assertThat(Math.abs(s)).isLessThan(50);
        }
        byte[] noise = new byte[8000];
        new java.util.Random(9).nextBytes(noise);
        short[] wide = new short[16_000];
        assertThat(new G722.Decoder().decode(noise, 0, noise.length, wide, 0)).isEqualTo(16_000);
    }

    @Test
    void g722And8kHzSpeechRoundTripThroughTheCodecRegistry() {
        short[] speech = Signals.speechLike(8000, 4);
        AudioCodec c = CodecType.G722.newCodec();
        AudioCodec d = CodecType.G722.newCodec();
        byte[] payload = new byte[CodecType.G722.payloadBytes(160)];
        assertThat(payload).hasSize(160);
        short[] out = new short[8000];
        for (int f = 0; f < 50; f++) {
            assertThat(c.encode(speech, f * 160, 160, payload, 0)).isEqualTo(160);
            assertThat(d.decode(payload, 0, 160, out, f * 160)).isEqualTo(160);
        }
        assertThat(snrAtBestDelay(speech, out, 80, 800)).as("G.722 with the rate converters").isGreaterThan(15);
        assertThat(CodecType.of("g722", 8000)).isSameAs(CodecType.G722);
        assertThat(CodecType.ofPayloadType(9)).isSameAs(CodecType.G722);
    }

    @Test
    void opusEncodesTwentyMillisecondsSmallAndDecodesToEightKilohertz() {
        short[] tone = Signals.sine(440, 8000, 8000, 8000);
        AudioCodec c = CodecType.OPUS.newCodec();
        AudioCodec d = CodecType.OPUS.newCodec();
        byte[] payload = new byte[CodecType.OPUS.payloadBytes(160)];
        short[] out = new short[8000];
        int bytes = 0;
        for (int f = 0; f < 50; f++) {
            int n = c.encode(tone, f * 160, 160, payload, 0);
            assertThat(n).as("a 20 ms packet").isBetween(10, 200);
            bytes += n;
            assertThat(d.decode(payload, 0, n, out, f * 160)).isEqualTo(160);
        }
        assertThat(bytes * 8 / 1000).as("kbit/s").isBetween(8, 32);
        assertThat(snrAtBestDelay(tone, out, 200, 1600)).as("Opus round trip of a tone").isGreaterThan(10);
        assertThat(CodecType.of("opus", 48_000)).isSameAs(CodecType.OPUS);
        assertThat(CodecType.of("opus", 8000)).isNull();
        assertThat(CodecType.OPUS.rtpClockRate()).isEqualTo(48_000);
        assertThat(d.decode(new byte[] {1, 2, 3}, 0, 3, out, 0)).as("garbage").isGreaterThanOrEqualTo(0);
    }

    /** {@code seconds} of a voice-like 48 kHz signal: a 300 Hz tone swelling at 3 Hz with a weaker 900 Hz one, or a pure tone of {@code hz}. */
    static short[] wide(int seconds, double hz) {
        short[] x = new short[48_000 * seconds];
        for (int i = 0; i < x.length; i++) {
            double t = i / 48_000.0;
            x[i] = (short) (hz > 0 ? 8000 * Math.sin(2 * Math.PI * hz * t)
                    : 8000 * Math.sin(2 * Math.PI * 300 * t) * (0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * t)) + 3000 * Math.sin(2 * Math.PI * 900 * t));
        }
        return x;
    }

    static double rms(short[] x, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) e += (double) x[i] * x[i];
        return Math.sqrt(e / (to - from));
    }

    /**
     * A browser's Opus (48 kHz fullband, 32 kbit/s) in each of its modes decodes to 8 kHz with the signal's level: hybrid
     * (SILK + CELT, what Chrome sends for speech) gave silence when Concentus decoded straight to 8 kHz — the browser phone's
     * voice lost once its encoder moved to hybrid (SUP-2 whisper on a later call). A 6 kHz tone, above 8 kHz's band, does
     * not fold back into it.
     */
    @Test
    void opusFromABrowserDecodesToEightKilohertzInEveryMode() throws Exception {
        for (OpusMode mode : new OpusMode[] {OpusMode.MODE_HYBRID, OpusMode.MODE_CELT_ONLY, OpusMode.MODE_SILK_ONLY}) {
            short[] in = wide(2, 0);
            OpusEncoder browser = new OpusEncoder(48_000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
            browser.setBitrate(mode == OpusMode.MODE_SILK_ONLY ? 16_000 : 32_000);
            browser.setForceMode(mode);
            if (mode == OpusMode.MODE_SILK_ONLY) browser.setMaxBandwidth(OpusBandwidth.OPUS_BANDWIDTH_WIDEBAND);
            AudioCodec engine = CodecType.OPUS.newCodec();
            byte[] packet = new byte[1500];
            short[] out = new short[16_000];
            int at = 0;
            for (int f = 0; f < 100; f++) {
                int n = browser.encode(in, f * 960, 960, packet, 0, packet.length);
                if (f == 50) assertThat(OpusPacketInfo.getEncoderMode(packet, 0)).as("the packets' mode").isEqualTo(mode);
                int got = engine.decode(packet, 0, n, out, at);
                assertThat(got).as(mode + ": 20 ms at 8 kHz").isEqualTo(160);
                at += got;
            }
            // The same signal at 8 kHz has an RMS of about 4300 (the 300 Hz swell and the 900 Hz tone).
            assertThat(rms(out, 4000, 16_000)).as(mode + ": decoded level").isBetween(3000.0, 6000.0);
        }
        OpusEncoder celt = new OpusEncoder(48_000, 1, OpusApplication.OPUS_APPLICATION_AUDIO);
        celt.setBitrate(64_000);
        celt.setForceMode(OpusMode.MODE_CELT_ONLY);
        short[] high = wide(1, 6000);
        AudioCodec engine = CodecType.OPUS.newCodec();
        byte[] packet = new byte[1500];
        short[] out = new short[8000];
        for (int f = 0; f < 50; f++) {
            int n = celt.encode(high, f * 960, 960, packet, 0, packet.length);
            engine.decode(packet, 0, n, out, f * 160);
        }
        assertThat(rms(out, 2000, 8000)).as("a 6 kHz tone of RMS 5700 at 8 kHz: filtered out, not aliased to 2 kHz").isLessThan(100.0);
    }
}
