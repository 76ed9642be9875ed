package dev.hotline.engine.media;

/**
 * What fills the frames a {@link JitterBuffer} lacks at their play-out time. Every frame played goes through it:
 * {@link #received} for a frame that arrived (a concealer may delay or smooth it), {@link #conceal} for a missing one.
 * One per stream, confined to its media thread, no allocation per frame.
 */
public sealed interface Concealer permits PitchConcealer, Concealer.FrameRepeat, Concealer.Silence {
    /** Replaces a received frame in place by what is played. */
    void received(short[] frame, int off, int len);

    /**
     * Writes a missing frame.
     *
     * @return false when the output is (close to) silence: the loss lasted longer than the concealer covers
     */
    boolean conceal(short[] out, int off, int len);

    /** Samples by which the output lags the received signal. */
    int delaySamples();

    /** Forgets the stream (a new sender). */
    void reset();

    /** No concealment: missing frames are silent. The baseline of the measurement (bench/run-plc.sh). */
    final class Silence implements Concealer {
        @Override
        public void received(short[] frame, int off, int len) {
        }

        @Override
        public boolean conceal(short[] out, int off, int len) {
            java.util.Arrays.fill(out, off, off + len, (short) 0);
            return false;
        }

        @Override
        public int delaySamples() {
            return 0;
        }

        @Override
        public void reset() {
        }
    }

    /**
     * The concealment before pitch repetition (kept to measure against): the last frame repeated at 75 %, 50 %,
     * 25 %, then silence.
     */
    final class FrameRepeat implements Concealer {
        private static final int[] GAIN_Q15 = {24576, 16384, 8192};
        private final short[] last;
        private boolean haveLast;
        private int run;

        FrameRepeat(int frameSamples) {
            this.last = new short[frameSamples];
        }

        @Override
        public void received(short[] frame, int off, int len) {
            System.arraycopy(frame, off, last, 0, len);
            haveLast = true;
            run = 0;
        }

        @Override
        public boolean conceal(short[] out, int off, int len) {
            if (haveLast && run < GAIN_Q15.length) {
                int g = GAIN_Q15[run++];
                for (int i = 0; i < len; i++) {
                    out[off + i] = (short) ((last[i] * g) >> 15);
                }
                return true;
            }
            java.util.Arrays.fill(out, off, off + len, (short) 0);
            return false;
        }

        @Override
        public int delaySamples() {
            return 0;
        }

        @Override
        public void reset() {
            haveLast = false;
            run = 0;
        }
    }
}
