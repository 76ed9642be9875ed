package dev.hotline.engine.media;

/**
 * Mixes N inputs of one frame each: every output is the sum of the inputs heard by that
 * participant, never its own, with saturation to 16 bits. Conferences, bridges with
 * supervisor taps (listen, whisper, barge) and per-participant mute are all this one
 * operation with a {@link MixMode} per input.
 *
 * <p>Runs on the media clock thread: a Mixer keeps one reused accumulator, takes and fills
 * caller-owned arrays and allocates nothing per frame. One Mixer per thread (or per bridge).
 */
public final class Mixer {
    private final int frameSamples;
    private final int[] acc;

    public Mixer(int frameSamples) {
        this.frameSamples = frameSamples;
        this.acc = new int[frameSamples];
    }

    /** A mixer of 20 ms frames at 8 kHz. */
    public static Mixer standard() {
        return new Mixer(AudioClip.FRAME_SAMPLES);
    }

    public int frameSamples() {
        return frameSamples;
    }

    /**
     * Mixes one frame.
     *
     * @param n       number of inputs (and outputs) used
     * @param in      input frames; a null entry is silence (e.g. nothing received this tick)
     * @param modes   the mode of each input
     * @param targets the whisper target of each input (an index), ignored for other modes; may be null
     * @param out     output frames, one per input; a null entry is skipped (nobody listens there)
     */
    public void mix(int n, short[][] in, MixMode[] modes, int[] targets, short[][] out) {
        final int len = frameSamples;
        final int[] a = acc;
        java.util.Arrays.fill(a, 0);
        boolean anyWhisper = false;
        for (int i = 0; i < n; i++) {
            short[] x = in[i];
            if (x == null) {
                continue;
            }
            if (modes[i].heardByAll()) {
                for (int k = 0; k < len; k++) {
                    a[k] += x[k];
                }
            } else if (modes[i] == MixMode.WHISPER) {
                anyWhisper = true;
            }
        }
        for (int j = 0; j < n; j++) {
            short[] o = out[j];
            if (o == null) {
                continue;
            }
            short[] own = in[j] != null && modes[j].heardByAll() ? in[j] : null;
            int whisper = -1;
            if (anyWhisper) {
                for (int i = 0; i < n; i++) {
                    if (in[i] != null && modes[i] == MixMode.WHISPER && targets != null && targets[i] == j && i != j) {
                        if (whisper >= 0) {
                            whisper = -2; // several whisperers to one target: the slow path
                            break;
                        }
                        whisper = i;
                    }
                }
            }
            if (whisper == -2) {
                for (int k = 0; k < len; k++) {
                    int v = a[k] - (own != null ? own[k] : 0);
                    for (int i = 0; i < n; i++) {
                        if (in[i] != null && modes[i] == MixMode.WHISPER && targets[i] == j && i != j) {
                            v += in[i][k];
                        }
                    }
                    o[k] = sat(v);
                }
            } else if (whisper >= 0) {
                short[] w = in[whisper];
                if (own != null) {
                    for (int k = 0; k < len; k++) {
                        o[k] = sat(a[k] - own[k] + w[k]);
                    }
                } else {
                    for (int k = 0; k < len; k++) {
                        o[k] = sat(a[k] + w[k]);
                    }
                }
            } else if (own != null) {
                for (int k = 0; k < len; k++) {
                    o[k] = sat(a[k] - own[k]);
                }
            } else {
                for (int k = 0; k < len; k++) {
                    o[k] = sat(a[k]);
                }
            }
        }
    }

    /** {@code out = sat(a + b)} over {@code len} samples (e.g. the mono mix of a recording); out may be a or b. */
    public static void add(short[] a, short[] b, short[] out, int len) {
        for (int k = 0; k < len; k++) {
            out[k] = sat(a[k] + b[k]);
        }
    }

    /** Scales in place by {@code gainQ15} / 32768 (32768 = unity, up to 4x), with saturation. */
    public static void scale(short[] x, int len, int gainQ15) {
        for (int k = 0; k < len; k++) {
            x[k] = sat((int) (((long) x[k] * gainQ15) >> 15));
        }
    }

    /** Saturates to the 16-bit range. */
    public static short sat(int v) {
        return (short) (v > Short.MAX_VALUE ? Short.MAX_VALUE : (v < Short.MIN_VALUE ? Short.MIN_VALUE : v));
    }
}
