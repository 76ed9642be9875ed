package dev.hotline.engine.media;

import java.nio.file.Path;

/**
 * Child process for {@link WavWriterTest}: records a speech-like signal into a WAV file,
 * flushing often, then waits on standard input until the test kills it.
 */
public final class WavWriterKillChild {
    private WavWriterKillChild() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        WavEncoding enc = WavEncoding.valueOf(args[1]);
        int channels = Integer.parseInt(args[2]);
        short[] speech = Signals.speechLike(8000, 1);
        WavWriter w = WavWriter.create(file, enc, channels, 2048);
        for (int second = 0; second < 120; second++) {
            for (int off = 0; off < 8000; off += 160) {
                if (channels == 1) {
                    w.write(speech, off, 160);
                } else {
                    w.writeStereo(speech, speech, off, 160);
                }
            }
            if (second == 2) {
                System.out.println("recording");
                System.out.flush();
            }
        }
        System.in.read(); // never closed: the test kills this process
    }
}
