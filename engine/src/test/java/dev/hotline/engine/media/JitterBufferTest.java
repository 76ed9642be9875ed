package dev.hotline.engine.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JitterBufferTest {
    private static final int F = 160;

    /** A frame whose samples all hold {@code value}. */
    static short[] frame(int value) {
        short[] s = new short[F];
        java.util.Arrays.fill(s, (short) value);
        return s;
    }

    /** One packet on the wire: frame number n, seq and timestamp derived, arriving at tick {@code arrival}. */
    record Pkt(int n, double arrival) {
    }

    /**
     * The play-out: per tick, the last sample of the frame and the kind of frame. The last, not the first: pitch
     * concealment plays 30 samples late (a frame's first samples are the end of the one before it).
     */
    record Out(List<Integer> values, List<JitterBuffer.Frame> kinds) {
    }

    static final int SEQ0 = 65530;
    static final int TS0 = -800; // wraps through 2^32 during the test

    /** Runs the buffer: at tick t, packets with arrival <= t are put, then one frame is taken. */
    static Out run(JitterBuffer jb, List<Pkt> packets, int ticks) {
        List<Pkt> sorted = new ArrayList<>(packets);
        sorted.sort(Comparator.comparingDouble(Pkt::arrival));
        List<Integer> values = new ArrayList<>();
        List<JitterBuffer.Frame> kinds = new ArrayList<>();
        short[] out = new short[F];
        int i = 0;
        for (int t = 0; t < ticks; t++) {
            while (i < sorted.size() && sorted.get(i).arrival() <= t) {
                Pkt p = sorted.get(i++);
                jb.put((SEQ0 + p.n()) & 0xFFFF, TS0 + p.n() * F, frame(1000 + p.n()), 0, F);
            }
            kinds.add(jb.get(out, 0));
            values.add((int) out[F - 1]);
        }
        return new Out(values, kinds);
    }

    static List<Pkt> inOrder(int count) {
        List<Pkt> l = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            l.add(new Pkt(n, n));
        }
        return l;
    }

    @Test
    void inOrderStreamPlaysAfterTheInitialDelay() {
        JitterBuffer jb = new JitterBuffer(F, 2, 6, false);
        Out o = run(jb, inOrder(50), 52);
        assertThat(o.kinds().subList(0, 2)).containsOnly(JitterBuffer.Frame.SILENCE);
        for (int t = 2; t < 52; t++) {
            assertThat(o.values().get(t)).isEqualTo(1000 + t - 2);
            assertThat(o.kinds().get(t)).isEqualTo(JitterBuffer.Frame.AUDIO);
        }
        JitterBuffer.Stats s = jb.stats();
        assertThat(s).isEqualTo(new JitterBuffer.Stats(50, 0, 0, 0, 0, 2));
    }

    @Test
    void reorderedAndDuplicatedPacketsPlayInOrderOnce() {
        List<Pkt> l = new ArrayList<>();
        for (int n = 0; n < 60; n++) {
            // pairs swapped: n=1 arrives before n=0 etc., every 5th packet twice
            double arrival = n % 2 == 0 ? n + 1.2 : n - 0.8;
            l.add(new Pkt(n, arrival));
            if (n % 5 == 0) {
                l.add(new Pkt(n, arrival + 0.5));
            }
        }
        JitterBuffer jb = new JitterBuffer(F, 2, 6, false);
        Out o = run(jb, l, 62); // the last frame plays at tick 61
        List<Integer> audio = new ArrayList<>();
        for (int t = 0; t < o.values().size(); t++) {
            if (o.kinds().get(t) == JitterBuffer.Frame.AUDIO) {
                audio.add(o.values().get(t));
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int n = 0; n < 60; n++) {
            expected.add(1000 + n);
        }
        assertThat(audio).isEqualTo(expected);
        JitterBuffer.Stats s = jb.stats();
        assertThat(s.received()).isEqualTo(60);
        assertThat(s.duplicated()).isEqualTo(12);
        assertThat(s.lost()).isZero();
        assertThat(s.late()).isZero();
        assertThat(s.concealed()).isZero();
    }

    @Test
    void lossIsConcealedThenSilent() {
        List<Pkt> l = new ArrayList<>();
        for (int n = 0; n < 40; n++) {
            if (n == 10 || (n >= 20 && n < 26)) {
                continue; // one lost, then six in a row
            }
            l.add(new Pkt(n, n));
        }
        JitterBuffer jb = new JitterBuffer(F, 2, 6, false);
        Out o = run(jb, l, 42);
        // frame 10 plays at tick 12: frame 9's level (a constant repeats as itself), 20 % down per 10 ms after the
        // first 10 ms: its last sample (129 samples into the loss) at ~88 %
        assertThat(o.kinds().get(12)).isEqualTo(JitterBuffer.Frame.CONCEALED);
        assertThat(o.values().get(12)).isBetween((int) (1009 * 0.87), (int) (1009 * 0.885));
        assertThat(o.values().get(13)).isEqualTo(1011);
        // frames 20..25 at ticks 22..27: 60 ms concealed (falling to nothing), then silence
        assertThat(o.kinds().subList(22, 28)).containsExactly(JitterBuffer.Frame.CONCEALED, JitterBuffer.Frame.CONCEALED,
                JitterBuffer.Frame.CONCEALED, JitterBuffer.Frame.SILENCE, JitterBuffer.Frame.SILENCE, JitterBuffer.Frame.SILENCE);
        assertThat(o.values().get(22)).isBetween((int) (1019 * 0.87), (int) (1019 * 0.885));
        assertThat(o.values().get(23)).isBetween((int) (1019 * 0.47), (int) (1019 * 0.485));
        assertThat(o.values().get(24)).isBetween((int) (1019 * 0.07), (int) (1019 * 0.085));
        assertThat(o.values().subList(25, 28)).containsExactly(0, 0, 0);
        assertThat(o.values().get(28)).isEqualTo(1026);
        JitterBuffer.Stats s = jb.stats();
        assertThat(s.lost()).isEqualTo(7);
        assertThat(s.concealed()).isEqualTo(4);
        assertThat(jb.missingAtPlayout()).isEqualTo(7);
    }

    @Test
    void frameRepeatConcealmentRepeatsTheLastFrameFadingOut() {
        List<Pkt> l = new ArrayList<>();
        for (int n = 0; n < 40; n++) {
            if (n == 10 || (n >= 20 && n < 26)) {
                continue;
            }
            l.add(new Pkt(n, n));
        }
        JitterBuffer jb = new JitterBuffer(F, 2, 6, false, Concealment.FRAME_REPEAT);
        Out o = run(jb, l, 42);
        assertThat(o.values().get(12)).isEqualTo((1009 * 24576) >> 15);
        assertThat(o.values().subList(22, 28)).containsExactly((1019 * 24576) >> 15, (1019 * 16384) >> 15,
                (1019 * 8192) >> 15, 0, 0, 0);
        assertThat(jb.stats().concealed()).isEqualTo(4);
        JitterBuffer none = new JitterBuffer(F, 2, 6, false, Concealment.NONE);
        Out silent = run(none, l, 42);
        assertThat(silent.values().get(12)).isZero();
        assertThat(silent.kinds().get(12)).isEqualTo(JitterBuffer.Frame.SILENCE);
    }

    @Test
    void latePacketsAreDroppedAndTheAdaptiveDelayGrows() {
        List<Pkt> l = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
            l.add(new Pkt(n, n == 30 ? n + 4.5 : n)); // frame 30 arrives 90 ms late
        }
        JitterBuffer fixed = new JitterBuffer(F, 2, 6, false);
        run(fixed, l, 104);
        assertThat(fixed.stats().late()).isEqualTo(1);
        assertThat(fixed.stats().depthFrames()).isEqualTo(2);

        JitterBuffer adaptive = new JitterBuffer(F, 2, 6, true);
        Out o = run(adaptive, l, 104);
        assertThat(adaptive.stats().late()).isEqualTo(1);
        assertThat(adaptive.stats().lost()).isZero(); // it did arrive, just too late
        assertThat(adaptive.stats().depthFrames()).isEqualTo(3);
        // after the growth every later frame still plays, one tick later than before
        int t = o.values().indexOf(1099);
        assertThat(t).isEqualTo(99 + 3);
    }

    @Test
    void adaptiveDelayShrinksAfterAQuietWhile() {
        List<Pkt> l = new ArrayList<>();
        for (int n = 0; n < 1200; n++) {
            // one burst of jitter early on: frames 5..7 arrive 3.5 ticks late
            l.add(new Pkt(n, n >= 5 && n <= 7 ? n + 3.5 : n));
        }
        JitterBuffer jb = new JitterBuffer(F, 2, 6, true);
        run(jb, l, 1200);
        JitterBuffer.Stats s = jb.stats();
        assertThat(s.late()).isPositive();
        assertThat(s.depthFrames()).isEqualTo(2); // grown, then back to the minimum after 10 s quiet
    }

    @Test
    void aTimestampJumpResynchronises() {
        JitterBuffer jb = new JitterBuffer(F, 2, 6, false);
        short[] out = new short[F];
        for (int n = 0; n < 10; n++) {
            jb.put(n, n * F, frame(n + 1), 0, F);
            jb.get(out, 0);
        }
        // the sender restarts its timestamps far away (e.g. after a re-INVITE)
        for (int n = 0; n < 10; n++) {
            jb.put(10 + n, 5_000_000 + n * F, frame(100 + n), 0, F);
            jb.get(out, 0);
        }
        jb.get(out, 0);
        jb.get(out, 0);
        assertThat(out[F - 1]).isEqualTo((short) 109);
    }

    @Test
    void aSenderWhoseTimelineFallsBackIsHeardAgainAfterThreePackets() {
        // A sender whose timestamps fall 200 ms behind its packets (RFC 4733 key events that advanced the timestamp
        // less than the time they took, a slow clock): every later packet arrives after its play-out. The buffer
        // must follow the new timeline; before, the stream stayed mute for good (one-way audio).
        for (boolean adaptive : new boolean[] {false, true}) {
            JitterBuffer jb = new JitterBuffer(F, 2, 6, adaptive);
            short[] out = new short[F];
            List<Integer> played = new ArrayList<>();
            for (int n = 0; n < 200; n++) {
                int ts = n < 50 ? n * F : (n - 10) * F; // from packet 50 on, 10 frames behind
                jb.put(n, ts, frame(1000 + n), 0, F);
                if (jb.get(out, 0) == JitterBuffer.Frame.AUDIO) played.add((int) out[F - 1]);
            }
            assertThat(played).as("adaptive %s", adaptive).contains(1045).contains(1190);
            int resumed = played.stream().filter(v -> v >= 1050).findFirst().orElseThrow();
            assertThat(resumed).as("first packet heard after the fall-back").isLessThanOrEqualTo(1052);
            assertThat(played.subList(played.indexOf(resumed), played.size())).as("then every packet, in order")
                    .isEqualTo(java.util.stream.IntStream.rangeClosed(resumed, played.get(played.size() - 1)).boxed().toList());
            assertThat(jb.stats().late()).isEqualTo(2);
        }
    }

    @Test
    void lateReorderedPacketsDoNotResynchronise() {
        // Three late packets in a row that are older than one already received are reordering, not a new timeline.
        JitterBuffer jb = new JitterBuffer(F, 2, 2, false);
        short[] out = new short[F];
        for (int n = 0; n < 20; n++) {
            jb.put(n, n * F, frame(1000 + n), 0, F);
            jb.get(out, 0);
        }
        jb.put(25, 25 * F, frame(1025), 0, F);
        for (int i = 0; i < 6; i++) jb.get(out, 0); // 20..25 due: 25 plays, the others are concealed or silent
        for (int n = 20; n < 23; n++) assertThat(jb.put(n, n * F, frame(1000 + n), 0, F)).isFalse();
        assertThat(jb.stats().late()).isEqualTo(3);
    }

    @Test
    void multiFramePacketsAreSplit() {
        JitterBuffer jb = new JitterBuffer(F, 2, 6, false);
        short[] two = new short[2 * F];
        short[] out = new short[F];
        List<Integer> values = new ArrayList<>();
        for (int n = 0; n < 10; n += 2) {
            java.util.Arrays.fill(two, 0, F, (short) n);
            java.util.Arrays.fill(two, F, 2 * F, (short) (n + 1));
            jb.put(n / 2, 1000 + n * F, two, 0, 2 * F);
            jb.get(out, 0);
            values.add((int) out[F - 1]);
            jb.get(out, 0);
            values.add((int) out[F - 1]);
        }
        assertThat(values).containsExactly(0, 0, 0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void randomNetworkNeverPlaysAFrameTwiceOrOutOfOrder() {
        Random rnd = new Random(3);
        List<Pkt> l = new ArrayList<>();
        for (int n = 0; n < 3000; n++) {
            if (rnd.nextInt(50) == 0) {
                continue; // 2 % loss
            }
            double jitter = Math.abs(rnd.nextGaussian()) * 1.2;
            l.add(new Pkt(n, n + jitter));
            if (rnd.nextInt(100) == 0) {
                l.add(new Pkt(n, n + jitter + rnd.nextDouble() * 3));
            }
        }
        JitterBuffer jb = JitterBuffer.standard();
        Out o = run(jb, l, 3010);
        int last = -1;
        for (int t = 0; t < o.values().size(); t++) {
            if (o.kinds().get(t) == JitterBuffer.Frame.AUDIO) {
                assertThat(o.values().get(t)).isGreaterThan(last);
                last = o.values().get(t);
            }
        }
        JitterBuffer.Stats s = jb.stats();
        System.out.println("jitter buffer under 2 % loss and ~24 ms jitter: " + s);
        assertThat(s.received() + s.late()).isEqualTo(l.size() - s.duplicated());
        assertThat(s.lost()).isBetween(30L, 90L);
        assertThat(s.depthFrames()).isBetween(2, 6);
    }
}
