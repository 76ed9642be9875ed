package dev.hotline.engine.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.codec.Gsm610;
import dev.hotline.engine.dtmf.InbandDtmfDetector;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Per-frame cost and allocation of the media building blocks that run on the media clock.
 * Figures are printed; only generous budgets are asserted (best of several runs, so a loaded
 * machine does not fail the test).
 */
class HotPathPerformanceTest {
    private static final int F = 160;

    interface Work {
        void run(int i);
    }

    /** Best wall time in ms of {@code runs} runs of {@code iterations}, after a warm-up. */
    static double bestMs(int iterations, int runs, Work w) {
        for (int i = 0; i < iterations * 5; i++) {
            w.run(i);
        }
        long best = Long.MAX_VALUE;
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                w.run(i);
            }
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best / 1e6;
    }

    /** Bytes allocated by this thread while running {@code iterations} (after a warm-up), or -1 if unknown. */
    static long allocated(int iterations, Work w) {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
                || !mx.isThreadAllocatedMemorySupported()) {
            return -1;
        }
        for (int i = 0; i < iterations * 5; i++) {
            w.run(i);
        }
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < iterations; i++) {
            w.run(i);
        }
        return mx.getThreadAllocatedBytes(id) - before;
    }

    @Test
    void mixingFiveHundredThreePartyFrames() {
        Mixer m = Mixer.standard();
        short[] speech = Signals.speechLike(8000, 1);
        short[][] in = new short[3][F];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(speech, i * F, in[i], 0, F);
        }
        short[][] out = new short[3][F];
        MixMode[] modes = {MixMode.NORMAL, MixMode.NORMAL, MixMode.WHISPER};
        int[] targets = {-1, -1, 1};
        Work w = i -> m.mix(3, in, modes, targets, out);
        double ms = bestMs(500, 7, w);
        long bytes = allocated(5000, w);
        System.out.printf("mixer: 500 three-party frames in %.3f ms; %d bytes allocated over 5000 frames%n", ms, bytes);
        assertThat(ms).isLessThan(50);
        assertThat(bytes).isLessThan(1024);
    }

    @Test
    void jitterBufferPutAndGet() {
        JitterBuffer jb = JitterBuffer.standard();
        short[] frame = Signals.speechLike(F, 2);
        short[] out = new short[F];
        int[] n = {0};
        Work w = i -> {
            int k = n[0]++;
            jb.put(k & 0xFFFF, k * F, frame, 0, F);
            jb.get(out, 0);
        };
        double ms = bestMs(1000, 7, w);
        long bytes = allocated(5000, w);
        System.out.printf("jitter buffer: 1000 put+get in %.3f ms; %d bytes allocated over 5000 frames%n", ms, bytes);
        assertThat(bytes).isLessThan(1024);
    }

    @Test
    void dtmfDetectorAndGsmPerFrame() {
        short[] speech = Signals.speechLike(8000, 3);
        InbandDtmfDetector det = new InbandDtmfDetector();
        Work dw = i -> det.process(speech, (i % 50) * F, F);
        double detMs = bestMs(1000, 5, dw);
        long detBytes = allocated(5000, dw);
        Gsm610.Encoder enc = new Gsm610.Encoder();
        Gsm610.Decoder dec = new Gsm610.Decoder();
        byte[] gsm = new byte[33];
        short[] pcm = new short[F];
        Work gw = i -> {
            enc.encode(speech, (i % 50) * F, gsm, 0);
            dec.decode(gsm, 0, pcm, 0);
        };
        double gsmMs = bestMs(1000, 5, gw);
        long gsmBytes = allocated(2000, gw);
        System.out.printf("in-band DTMF: 1000 frames in %.3f ms (%d bytes allocated over 5000)%n", detMs, detBytes);
        System.out.printf("GSM 06.10: 1000 frames encoded+decoded in %.3f ms (%d bytes allocated over 2000)%n", gsmMs, gsmBytes);
        assertThat(detBytes).isLessThan(1024);
        assertThat(gsmBytes).isLessThan(1024);
    }
}
