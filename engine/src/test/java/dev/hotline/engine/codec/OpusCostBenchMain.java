package dev.hotline.engine.codec;

import dev.hotline.engine.media.Resampler;
import dev.hotline.engine.media.WavReader;
import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * bench/run-opus-cost.sh (MEDIA-6): what Opus costs the engine per 20 ms frame of one browser leg bridged to a G.711
 * phone: one encode toward the browser (the engine's codec: 8 kHz, 20 kbit/s, complexity 1, FEC) and one decode of what
 * the browser sends. Browser packets are made here by Concentus at 48 kHz, 32 kbit/s, complexity 9 (what Chromium sends
 * by default, but not Chromium's libopus; the speech is the shipped 8 kHz prompts, so nothing above 4 kHz). Several
 * rounds over the same frames, single thread; the median and best round of the thread's CPU time (what a leg costs a
 * core; wall time on a loaded machine counts the waits for a core too, and is given beside it), and the load average
 * around the run.
 * Arguments: prompts directory, rounds. One JSON document on stdout.
 */
public final class OpusCostBenchMain {
    private static final int F = 160;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "engine/src/main/resources/prompts");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        String loadBefore = load();
        short[] speech = speech(dir);
        int frames = speech.length / F;
        // what a browser sends: 20 ms at 48 kHz
        OpusEncoder browser = browserEncoder();
        short[] wide = Resampler.resample(speech, 8000, 48000);
        byte[][] fromBrowser = new byte[frames][];
        byte[] buf = new byte[1500];
        int failed = 0;
        for (int f = 0; f < frames; f++) {
            int n;
            try {
                n = browser.encode(wide, f * 960, 960, buf, 0, buf.length);
            } catch (AssertionError e) {
                // Concentus throws AssertionError on some inputs (an internal overflow check): a fresh encoder, no packet
                failed++;
                browser = browserEncoder();
                n = 0;
            }
            fromBrowser[f] = Arrays.copyOf(buf, n);
        }
        AudioCodec engine = CodecType.OPUS.newCodec();
        byte[] out = new byte[CodecType.OPUS.payloadBytes(F)];
        short[] pcm = new short[960];
        // own packets, to time the decoder on what the engine itself makes
        byte[][] own = new byte[frames][];
        for (int f = 0; f < frames; f++) {
            own[f] = Arrays.copyOf(out, engine.encode(speech, f * F, F, out, 0));
        }
        long bytes = 0;
        for (byte[] p : fromBrowser) {
            bytes += p.length;
        }
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        List<Double> enc = new ArrayList<>();
        List<Double> dec = new ArrayList<>();
        List<Double> decOwn = new ArrayList<>();
        List<Double> wall = new ArrayList<>();
        for (int r = 0; r < rounds + 1; r++) { // the first round warms the JIT up and is not counted
            AudioCodec e = CodecType.OPUS.newCodec();
            AudioCodec d = CodecType.OPUS.newCodec();
            AudioCodec d2 = CodecType.OPUS.newCodec();
            long w0 = System.nanoTime();
            long t0 = mx.getCurrentThreadCpuTime();
            for (int f = 0; f < frames; f++) {
                e.encode(speech, f * F, F, out, 0);
            }
            long t1 = mx.getCurrentThreadCpuTime();
            for (int f = 0; f < frames; f++) {
                d.decode(fromBrowser[f], 0, fromBrowser[f].length, pcm, 0);
            }
            long t2 = mx.getCurrentThreadCpuTime();
            long w2 = System.nanoTime();
            for (int f = 0; f < frames; f++) {
                d2.decode(own[f], 0, own[f].length, pcm, 0);
            }
            long t3 = mx.getCurrentThreadCpuTime();
            if (r > 0) {
                wall.add((w2 - w0) / 1e3 / frames);
                enc.add((t1 - t0) / 1e3 / frames);
                dec.add((t2 - t1) / 1e3 / frames);
                decOwn.add((t3 - t2) / 1e3 / frames);
            }
        }
        double encMed = median(enc);
        double decMed = median(dec);
        double perLeg = encMed + decMed;
        System.out.print(String.format(Locale.ROOT, """
                {
                  "frames_per_round": %d,
                  "rounds": %d,
                  "time": "thread CPU time unless named wall",
                  "browser_packet_bytes_mean": %.1f,
                  "browser_frames_not_encoded": %d,
                  "encode_us_per_frame": {"median": %.1f, "best": %.1f},
                  "decode_browser_packet_us_per_frame": {"median": %.1f, "best": %.1f},
                  "decode_own_packet_us_per_frame": {"median": %.1f, "best": %.1f},
                  "encode_plus_decode_us_per_20ms": {"median": %.1f, "best": %.1f},
                  "encode_plus_decode_wall_us_per_20ms": {"median": %.1f, "best": %.1f},
                  "core_percent_per_browser_leg": {"median": %.2f, "best": %.2f},
                  "cores": %d,
                  "loadavg_before": "%s",
                  "loadavg_after": "%s",
                  "java": "%s"
                }
                """, frames, rounds, (double) bytes / frames, failed, encMed, min(enc), decMed, min(dec), median(decOwn), min(decOwn),
                perLeg, min(enc) + min(dec), median(wall), min(wall), perLeg / 200.0, (min(enc) + min(dec)) / 200.0,
                Runtime.getRuntime().availableProcessors(), loadBefore, load(), System.getProperty("java.version")));
    }

    private static OpusEncoder browserEncoder() throws Exception {
        OpusEncoder e = new OpusEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        e.setBitrate(32_000);
        e.setComplexity(9);
        return e;
    }

    /** The shipped prompts, zh then en, end to end. */
    private static short[] speech(Path dir) throws Exception {
        List<short[]> parts = new ArrayList<>();
        int total = 0;
        for (String lang : new String[] {"zh", "en"}) {
            try (Stream<Path> files = Files.list(dir.resolve(lang))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".wav")).sorted().toList()) {
                    short[] s = WavReader.read(f).toArray();
                    parts.add(s);
                    total += s.length;
                }
            }
        }
        short[] all = new short[total - total % F];
        int at = 0;
        for (short[] s : parts) {
            int n = Math.min(s.length, all.length - at);
            System.arraycopy(s, 0, all, at, n);
            at += n;
        }
        return all;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private OpusCostBenchMain() {
    }
}
