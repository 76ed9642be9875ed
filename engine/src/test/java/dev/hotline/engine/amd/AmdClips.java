package dev.hotline.engine.amd;

import dev.hotline.engine.tts.EspeakTts;
import java.nio.file.Path;

/** Fixed clips for the detector's tests: espeak-ng speech (cached), silence, tones, joined. */
final class AmdClips {
    static final Path CACHE = Path.of(System.getProperty("java.io.tmpdir"), "hotline-amd-tts");

    private AmdClips() {}

    static short[] speech(String text, String voice) {
        return new EspeakTts(EspeakTts.Options.defaults(CACHE)).render(text, voice).samples();
    }

    static short[] silence(int ms) {
        return new short[ms * 8];
    }

    static short[] tone(int hz, int ms, int amplitude) {
        short[] s = new short[ms * 8];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (amplitude * Math.sin(2 * Math.PI * hz * i / 8000.0));
        }
        return s;
    }

    static short[] join(short[]... parts) {
        int n = 0;
        for (short[] p : parts) {
            n += p.length;
        }
        short[] out = new short[n];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static int ms(short[] s) {
        return s.length / 8;
    }
}
