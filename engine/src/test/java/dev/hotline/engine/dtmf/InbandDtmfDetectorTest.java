package dev.hotline.engine.dtmf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.media.Signals;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InbandDtmfDetectorTest {
    private static final int RATE = 8000;

    /** Tone pair for a key; levels are sine amplitudes of the row and column tones. */
    static short[] tone(DtmfDigit d, int ms, double rowAmp, double colAmp) {
        int n = ms * RATE / 1000;
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            double v = rowAmp * Math.sin(2 * Math.PI * d.lowHz() * i / RATE)
                    + colAmp * Math.sin(2 * Math.PI * d.highHz() * i / RATE + 0.3);
            s[i] = (short) Math.round(v);
        }
        return s;
    }

    static short[] silence(int ms) {
        return new short[ms * RATE / 1000];
    }

    /** Runs the detector over the signal in 20 ms frames. */
    static List<DtmfDigit> detect(short[] signal) {
        List<DtmfDigit> heard = new ArrayList<>();
        InbandDtmfDetector det = new InbandDtmfDetector(heard::add);
        for (int off = 0; off < signal.length; off += 160) {
            det.process(signal, off, Math.min(160, signal.length - off));
        }
        assertThat(det.detected()).isEqualTo(heard.size());
        return heard;
    }

    static short[] sequence(DtmfDigit[] keys, int onMs, int offMs, double rowAmp, double colAmp) {
        List<short[]> parts = new ArrayList<>();
        parts.add(silence(offMs));
        for (DtmfDigit k : keys) {
            parts.add(tone(k, onMs, rowAmp, colAmp));
            parts.add(silence(offMs));
        }
        return Signals.concat(parts.toArray(new short[0][]));
    }

    @Test
    void everyKeyCleanOnce() {
        DtmfDigit[] all = DtmfDigit.values();
        assertThat(detect(sequence(all, 100, 60, 6000, 7000))).containsExactly(all);
    }

    @Test
    void everyKeyAtTenDbSnrOverManySeeds() {
        DtmfDigit[] all = DtmfDigit.values();
        for (long seed = 1; seed <= 10; seed++) {
            short[] clean = sequence(all, 70, 60, 4000, 5000);
            // noise 10 dB under the tone pair's power (2 tones: (4000^2 + 5000^2) / 2)
            double tonePower = (4000.0 * 4000 + 5000.0 * 5000) / 2;
            short[] noisy = addNoise(clean, Math.sqrt(tonePower / 10), seed);
            assertThat(detect(noisy)).as("seed %d", seed).containsExactly(all);
        }
    }

    @Test
    void fortyMillisecondTonesAreCaughtAndFifteenAreNot() {
        DtmfDigit[] keys = {DtmfDigit.D1, DtmfDigit.D9, DtmfDigit.STAR, DtmfDigit.D0, DtmfDigit.POUND};
        for (int shift = 0; shift < 160; shift += 23) { // every alignment to the analysis blocks
            short[] s = Signals.concat(silence(0), new short[shift], sequence(keys, 40, 40, 5000, 5000));
            assertThat(detect(s)).as("shift %d", shift).containsExactly(keys);
            short[] shortTones = Signals.concat(new short[shift], sequence(keys, 15, 40, 5000, 5000));
            assertThat(detect(shortTones)).as("shift %d", shift).isEmpty();
        }
    }

    @Test
    void aLongPressInNoiseIsOneKeyAndARepeatIsTwo() {
        short[] s = Signals.concat(silence(50), tone(DtmfDigit.D5, 1500, 5000, 5000), silence(40),
                tone(DtmfDigit.D5, 80, 5000, 5000), silence(100));
        short[] noisy = addNoise(s, Math.sqrt(25_000_000.0 / 10), 3);
        assertThat(detect(noisy)).containsExactly(DtmfDigit.D5, DtmfDigit.D5);
    }

    @Test
    void twistAndLevelLimits() {
        DtmfDigit[] keys = {DtmfDigit.D2};
        assertThat(detect(sequence(keys, 100, 50, 5000, 5000 * 2.2))).containsExactly(keys); // column +6.8 dB
        assertThat(detect(sequence(keys, 100, 50, 5000 * 1.8, 5000))).containsExactly(keys); // row +5.1 dB
        assertThat(detect(sequence(keys, 100, 50, 5000, 5000 * 4))).isEmpty(); // column +12 dB
        assertThat(detect(sequence(keys, 100, 50, 5000 * 4, 5000))).isEmpty(); // row +12 dB
        assertThat(detect(sequence(keys, 100, 50, 600, 600))).containsExactly(keys); // about -31 dBm0
        assertThat(detect(sequence(keys, 100, 50, 200, 200))).isEmpty(); // too quiet
        assertThat(detect(sequence(keys, 100, 50, 5000, 0))).isEmpty(); // a single tone
    }

    @Test
    void noFalseKeysOnSilenceTonesNoiseOrSpeech() {
        assertThat(detect(silence(5000))).isEmpty();
        assertThat(detect(Signals.sine(1000, 10000, 5 * RATE, RATE))).isEmpty();
        assertThat(detect(Signals.sine(941, 10000, 2 * RATE, RATE))).isEmpty(); // a row tone alone
        assertThat(detect(addNoise(silence(5000), 3000, 9))).isEmpty();
        // a dial tone (350 + 440 Hz) and a busy tone (480 + 620 Hz)
        short[] dial = add(Signals.sine(350, 6000, 2 * RATE, RATE), Signals.sine(440, 6000, 2 * RATE, RATE));
        short[] busy = add(Signals.sine(480, 6000, 2 * RATE, RATE), Signals.sine(620, 6000, 2 * RATE, RATE));
        assertThat(detect(dial)).isEmpty();
        assertThat(detect(busy)).isEmpty();
        for (long seed = 1; seed <= 3; seed++) {
            short[] speech = Signals.speechLike(10 * RATE, seed);
            assertThat(detect(speech)).as("speech %d", seed).isEmpty();
            assertThat(detect(Signals.withNoise(speech, 10, seed))).as("noisy speech %d", seed).isEmpty();
        }
    }

    @Test
    void keysOverSpeechAreHeard() {
        DtmfDigit[] keys = {DtmfDigit.D4, DtmfDigit.D7};
        short[] tones = sequence(keys, 100, 100, 6000, 6000);
        short[] speech = Signals.speechLike(tones.length, 5);
        short[] quietSpeech = new short[speech.length];
        for (int i = 0; i < speech.length; i++) {
            quietSpeech[i] = (short) (speech[i] / 8); // speech 18 dB under the keys
        }
        assertThat(detect(add(tones, quietSpeech))).containsExactly(keys);
    }

    @Test
    void oddChunkSizesGiveTheSameResult() {
        DtmfDigit[] all = DtmfDigit.values();
        short[] s = sequence(all, 60, 50, 5000, 5000);
        List<DtmfDigit> heard = new ArrayList<>();
        InbandDtmfDetector det = new InbandDtmfDetector(heard::add);
        SplittableRandom rnd = new SplittableRandom(1);
        for (int off = 0; off < s.length; ) {
            int n = Math.min(1 + rnd.nextInt(400), s.length - off);
            det.process(s, off, n);
            off += n;
        }
        assertThat(heard).containsExactly(all);
    }

    static short[] addNoise(short[] s, double sigma, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        short[] out = new short[s.length];
        for (int i = 0; i < s.length; i++) {
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(s[i] + rnd.nextGaussian() * sigma)));
        }
        return out;
    }

    static short[] add(short[] a, short[] b) {
        short[] out = new short[Math.min(a.length, b.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) Math.max(-32768, Math.min(32767, a[i] + b[i]));
        }
        return out;
    }
}
