package dev.hotline.engine.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Packet-loss concealment measured on the shipped prompts (MEDIA-3; {@code PacketLossConcealmentTest},
 * {@code bench/run-plc.sh}). Each prompt is one RTP stream of 20 ms packets, in order and on time, through a
 * jitter buffer as the engine builds it; packets are dropped at random (one {@link Random} with a fixed seed across
 * all prompts, in file-name order, zh then en); what the buffer plays is aligned with the prompt (the buffer's
 * depth and the concealer's look-back taken off) and scored by {@link SpeechQuality} in 32 ms windows every 16 ms:
 * <ul>
 *   <li>{@code lossWindows}: those with speech in the prompt that overlap a lost packet, the packet after it or the
 *       3.75 ms before it (every place where concealments differ, the joins included);</li>
 *   <li>{@code allWindows}: every window with speech (what the whole prompt sounds like).</li>
 * </ul>
 */
final class PlcEvaluation {
    private static final int F = 160;
    private static final int W = SpeechQuality.WINDOW;

    /** One prompt: its name and 8 kHz samples. */
    record Prompt(String name, short[] samples) {
    }

    record Result(String concealment, SpeechQuality.Scores lossWindows, SpeechQuality.Scores allWindows,
            int packets, int lost) {
    }

    /** The shipped prompts, zh then en, by file name; {@code dir} is engine/src/main/resources/prompts. */
    static List<Prompt> shippedPrompts(Path dir) {
        List<Prompt> prompts = new ArrayList<>();
        for (String lang : new String[] {"zh", "en"}) {
            try (Stream<Path> files = Files.list(dir.resolve(lang))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".wav")).sorted().toList()) {
                    prompts.add(new Prompt(lang + "/" + f.getFileName(), WavReader.read(f).toArray()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (prompts.isEmpty()) {
            throw new IllegalStateException("no prompts in " + dir.toAbsolutePath());
        }
        return prompts;
    }

    /** Which packets of each prompt are lost: each with probability {@code rate}, from one generator. */
    static List<boolean[]> losses(List<Prompt> prompts, double rate, long seed) {
        Random rnd = new Random(seed);
        List<boolean[]> all = new ArrayList<>();
        for (Prompt p : prompts) {
            boolean[] lost = new boolean[frames(p.samples())];
            for (int i = 0; i < lost.length; i++) {
                lost[i] = rnd.nextDouble() < rate;
            }
            all.add(lost);
        }
        return all;
    }

    static int frames(short[] samples) {
        return (samples.length + F - 1) / F;
    }

    /** Pads a prompt to whole frames. */
    static short[] padded(short[] samples) {
        return java.util.Arrays.copyOf(samples, frames(samples) * F);
    }

    /**
     * What a jitter buffer plays of {@code ref} (whole frames) with the packets marked {@code lost} missing, aligned
     * with {@code ref}.
     */
    static short[] playThrough(short[] ref, boolean[] lost, JitterBuffer jb) {
        int frames = ref.length / F;
        int depth = jb.depth();
        int delay = jb.concealmentDelaySamples();
        int ticks = frames + depth + (delay + F - 1) / F;
        short[] out = new short[ticks * F];
        for (int t = 0; t < ticks; t++) {
            if (t < frames && !lost[t]) {
                jb.put(t, t * F, ref, t * F, F);
            }
            jb.get(out, t * F);
        }
        return java.util.Arrays.copyOfRange(out, depth * F + delay, depth * F + delay + ref.length);
    }

    /** Scores one concealment ({@code buffers} makes one jitter buffer per prompt) over all prompts. */
    static Result evaluate(String name, List<Prompt> prompts, List<boolean[]> losses, Supplier<JitterBuffer> buffers) {
        SpeechQuality.Accumulator atLoss = new SpeechQuality.Accumulator();
        SpeechQuality.Accumulator all = new SpeechQuality.Accumulator();
        int packets = 0;
        int lostCount = 0;
        for (int p = 0; p < prompts.size(); p++) {
            short[] ref = padded(prompts.get(p).samples());
            boolean[] lost = losses.get(p);
            short[] deg = playThrough(ref, lost, buffers.get());
            // touched[i]: samples up to i (exclusive) that are near a loss, as a prefix count
            int[] touched = new int[ref.length + 1];
            boolean[] near = new boolean[ref.length];
            for (int f = 0; f < lost.length; f++) {
                packets++;
                if (lost[f]) {
                    lostCount++;
                    java.util.Arrays.fill(near, Math.max(0, f * F - PitchConcealer.DELAY), Math.min(ref.length, (f + 2) * F), true);
                }
            }
            for (int i = 0; i < ref.length; i++) {
                touched[i + 1] = touched[i] + (near[i] ? 1 : 0);
            }
            for (int start = 0; start + W <= ref.length; start += SpeechQuality.HOP) {
                if (!SpeechQuality.active(ref, start)) {
                    continue;
                }
                all.add(ref, deg, start);
                if (touched[start + W] > touched[start]) {
                    atLoss.add(ref, deg, start);
                }
            }
        }
        return new Result(name, atLoss.scores(), all.scores(), packets, lostCount);
    }

    private PlcEvaluation() {
    }
}
