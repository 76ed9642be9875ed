package dev.hotline.engine.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MixerTest {
    private static final int F = 160;

    static short[] frame(int v) {
        short[] s = new short[F];
        java.util.Arrays.fill(s, (short) v);
        return s;
    }

    static short[][] outs(int n) {
        return new short[n][F];
    }

    static MixMode[] modes(MixMode... m) {
        return m;
    }

    @Test
    void everyoneHearsAllButSelf() {
        Mixer m = Mixer.standard();
        short[][] in = {frame(100), frame(20), frame(3), frame(-1000)};
        short[][] out = outs(4);
        m.mix(4, in, modes(MixMode.NORMAL, MixMode.NORMAL, MixMode.NORMAL, MixMode.NORMAL), null, out);
        assertThat(out[0]).containsOnly((short) (20 + 3 - 1000));
        assertThat(out[1]).containsOnly((short) (100 + 3 - 1000));
        assertThat(out[2]).containsOnly((short) (100 + 20 - 1000));
        assertThat(out[3]).containsOnly((short) 123);
    }

    @Test
    void sumsSaturateInsteadOfWrapping() {
        Mixer m = Mixer.standard();
        short[][] in = {frame(30000), frame(30000), frame(30000)};
        short[][] out = outs(3);
        m.mix(3, in, modes(MixMode.NORMAL, MixMode.NORMAL, MixMode.NORMAL), null, out);
        assertThat(out[0]).containsOnly(Short.MAX_VALUE);
        short[][] neg = {frame(-30000), frame(-30000), frame(-30000)};
        m.mix(3, neg, modes(MixMode.NORMAL, MixMode.NORMAL, MixMode.NORMAL), null, out);
        assertThat(out[2]).containsOnly(Short.MIN_VALUE);
        // a loud pair that cancels is not clipped on the way: the sum is exact before saturation
        short[][] cancel = {frame(30000), frame(30000), frame(-30000)};
        m.mix(3, cancel, modes(MixMode.NORMAL, MixMode.NORMAL, MixMode.NORMAL), null, out);
        assertThat(out[0]).containsOnly((short) 0);
        assertThat(out[2]).containsOnly(Short.MAX_VALUE);
    }

    @Test
    void mutedAndMissingInputsAreNotHeardButStillHear() {
        Mixer m = Mixer.standard();
        short[][] in = {frame(1), frame(10), null};
        short[][] out = outs(3);
        m.mix(3, in, modes(MixMode.NORMAL, MixMode.MUTED, MixMode.NORMAL), null, out);
        assertThat(out[0]).containsOnly((short) 0);
        assertThat(out[1]).containsOnly((short) 1);
        assertThat(out[2]).containsOnly((short) 1);
    }

    @Test
    void supervisorTaps() {
        final int caller = 0;
        final int agent = 1;
        final int sup = 2;
        Mixer m = Mixer.standard();
        short[][] in = {frame(1), frame(10), frame(100)};
        short[][] out = outs(3);
        int[] targets = {-1, -1, agent};

        m.mix(3, in, modes(MixMode.NORMAL, MixMode.NORMAL, MixMode.LISTEN), targets, out);
        assertThat(out[caller]).containsOnly((short) 10);
        assertThat(out[agent]).containsOnly((short) 1);
        assertThat(out[sup]).containsOnly((short) 11);

        m.mix(3, in, modes(MixMode.NORMAL, MixMode.NORMAL, MixMode.WHISPER), targets, out);
        assertThat(out[caller]).containsOnly((short) 10);
        assertThat(out[agent]).containsOnly((short) 101);
        assertThat(out[sup]).containsOnly((short) 11);

        m.mix(3, in, modes(MixMode.NORMAL, MixMode.NORMAL, MixMode.BARGE), targets, out);
        assertThat(out[caller]).containsOnly((short) 110);
        assertThat(out[agent]).containsOnly((short) 101);
        assertThat(out[sup]).containsOnly((short) 11);

        // two supervisors whispering to the same agent, one listening
        short[][] in4 = {frame(1), frame(10), frame(100), frame(1000), frame(5)};
        short[][] out4 = outs(5);
        m.mix(5, in4, modes(MixMode.NORMAL, MixMode.NORMAL, MixMode.WHISPER, MixMode.WHISPER, MixMode.LISTEN),
                new int[] {-1, -1, agent, agent, -1}, out4);
        assertThat(out4[caller]).containsOnly((short) 10);
        assertThat(out4[agent]).containsOnly((short) 1101);
        assertThat(out4[2]).containsOnly((short) 11);
        assertThat(out4[4]).containsOnly((short) 11);
        assertThat(MixMode.WHISPER.heardBy(2, agent, agent)).isTrue();
        assertThat(MixMode.WHISPER.heardBy(2, agent, caller)).isFalse();
        assertThat(MixMode.LISTEN.heardBy(2, -1, agent)).isFalse();
    }

    @Test
    void helpers() {
        short[] a = frame(20000);
        short[] b = frame(20000);
        Mixer.add(a, b, a, F);
        assertThat(a).containsOnly(Short.MAX_VALUE);
        short[] c = frame(1000);
        Mixer.scale(c, F, 16384);
        assertThat(c).containsOnly((short) 500);
        Mixer.scale(c, F, 32768 * 100);
        assertThat(c).containsOnly(Short.MAX_VALUE);
    }
}
