package dev.hotline.engine.media;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * bench/run-plc.sh: the concealments compared on the shipped prompts at random loss (see {@link PlcEvaluation}).
 * Arguments: prompts directory, loss rate, seed. One JSON document on stdout.
 */
public final class PlcBenchMain {
    public static void main(String[] args) {
        Path dir = Path.of(args.length > 0 ? args[0] : "engine/src/main/resources/prompts");
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 0.03;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 20;
        List<PlcEvaluation.Prompt> prompts = PlcEvaluation.shippedPrompts(dir);
        List<boolean[]> losses = PlcEvaluation.losses(prompts, rate, seed);
        double seconds = prompts.stream().mapToInt(p -> p.samples().length).sum() / 8000.0;
        long t0 = System.nanoTime();
        List<PlcEvaluation.Result> results = List.of(
                PlcEvaluation.evaluate("none", prompts, losses, () -> JitterBuffer.standard(Concealment.NONE)),
                PlcEvaluation.evaluate("frame_repeat", prompts, losses, () -> JitterBuffer.standard(Concealment.FRAME_REPEAT)),
                PlcEvaluation.evaluate("pitch", prompts, losses, () -> JitterBuffer.standard(Concealment.PITCH)));
        double ms = (System.nanoTime() - t0) / 1e6;
        StringBuilder json = new StringBuilder();
        json.append(String.format(Locale.ROOT, "{\n  \"prompts\": %d,\n  \"seconds_of_speech\": %.1f,\n  \"loss_rate\": %s,\n"
                + "  \"seed\": %d,\n  \"packets\": %d,\n  \"packets_lost\": %d,\n  \"default_concealment\": \"pitch\",\n"
                + "  \"scores\": {\n", prompts.size(), seconds, rate, seed, results.get(0).packets(), results.get(0).lost()));
        for (int i = 0; i < results.size(); i++) {
            PlcEvaluation.Result r = results.get(i);
            json.append(String.format(Locale.ROOT, "    \"%s\": {\"loss_windows\": %s, \"all_speech_windows\": %s}%s\n",
                    r.concealment(), scores(r.lossWindows()), scores(r.allWindows()), i + 1 < results.size() ? "," : ""));
        }
        json.append(String.format(Locale.ROOT, "  },\n  \"evaluation_ms\": %.0f,\n", ms));
        json.append("  \"measures\": \"32 ms windows every 16 ms. seg_snr_db: segmental SNR, clamped -10..35 dB per window,"
                + " higher is better (waveform-exact: punishes right-sounding audio at the wrong phase); lsd_db: log-spectral"
                + " distance, lower is better; bsd: Bark spectral distortion (17 critical bands, loudness = power^0.23), lower"
                + " is better, 1 = silence. Not PESQ/POLQA, no MOS. loss_windows: windows with speech overlapping a lost"
                + " packet, the packet after it or the 3.75 ms before it\"\n}\n");
        System.out.print(json);
    }

    private static String scores(SpeechQuality.Scores s) {
        return String.format(Locale.ROOT, "{\"windows\": %d, \"seg_snr_db\": %.2f, \"lsd_db\": %.2f, \"bsd\": %.4f}",
                s.windows(), s.segSnrDb(), s.logSpectralDistanceDb(), s.barkSpectralDistortion());
    }

    private PlcBenchMain() {
    }
}
