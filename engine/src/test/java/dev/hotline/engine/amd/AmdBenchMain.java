package dev.hotline.engine.amd;

import dev.hotline.engine.amd.AmdCorpus.Call;
import dev.hotline.engine.amd.AmdCorpus.Truth;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * bench/run-amd.sh: generates the labelled set and prints, as JSON on stdout, the figures of Hotline's defaults and
 * of Asterisk's on it. Misclassified calls go to stderr.
 *
 * <p>Arguments: calls per class, seed, cache folder for the rendered speech.
 */
public final class AmdBenchMain {
    public static void main(String[] args) {
        int perClass = Integer.parseInt(args[0]);
        long seed = Long.parseLong(args[1]);
        Path cache = Path.of(args[2]);
        long t0 = System.nanoTime();
        List<Call> calls = new AmdCorpus(cache).generate(perClass, seed);
        long t1 = System.nanoTime();
        AmdEvaluation tuned = AmdEvaluation.run(AmdParams.defaults(), calls);
        long t2 = System.nanoTime();
        AmdEvaluation asterisk = AmdEvaluation.run(AmdParams.asterisk(), calls);
        for (String w : tuned.wrong) {
            System.err.println("[amd] wrong (defaults): " + w);
        }
        long frames = 0;
        for (Call c : calls) {
            frames += c.samples().length / AmdDetector.FRAME_SAMPLES;
        }
        System.out.println("{");
        System.out.println("  \"benchmark\": \"amd-labelled-set\",");
        System.out.printf(Locale.ROOT, "  \"set\": {\"seed\": %d, \"humans\": %d, \"machines\": %d, "
                        + "\"machines_with_beep\": %d, \"audio_seconds\": %d, \"generation_s\": %.1f},%n",
                seed, count(calls, Truth.HUMAN), count(calls, Truth.MACHINE),
                (int) calls.stream().filter(Call::hasBeep).count(), frames / 50, (t1 - t0) / 1e9);
        System.out.printf(Locale.ROOT, "  \"evaluation_us_per_audio_frame\": %.2f,%n",
                (t2 - t1) / 1e3 / Math.max(1, frames)); // AMD (beep wait included) plus a whole-call beep scan
        System.out.println("  \"hotline_defaults\": " + tuned.json("  ") + ",");
        System.out.println("  \"asterisk_defaults\": " + asterisk.json("  "));
        System.out.println("}");
    }

    private static int count(List<Call> calls, Truth t) {
        return (int) calls.stream().filter(c -> c.truth() == t).count();
    }
}
