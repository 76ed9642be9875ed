package dev.hotline.engine.codec;

/**
 * GSM 06.10 full-rate speech codec (ETSI EN 300 961), fixed-point and bit-exact with the
 * reference algorithm: 160 samples of 8 kHz 16-bit PCM make one 260-bit frame.
 *
 * <p>Two packings of the frame parameters are provided: the 33-byte RTP/.gsm frame of
 * RFC 3551 §4.5.8 (a 0xD signature nibble, fields MSB first) and the Microsoft WAV
 * framing (WAVE_FORMAT_GSM610, two frames LSB first in a 65-byte block of 320 samples).
 *
 * <p>An {@link Encoder} or {@link Decoder} keeps the state of one stream and is not
 * thread-safe; neither allocates per frame.
 */
public final class Gsm610 {
    /** Samples in one GSM frame (20 ms at 8 kHz). */
    public static final int FRAME_SAMPLES = 160;
    /** Bytes of one RFC 3551 GSM frame. */
    public static final int FRAME_BYTES = 33;
    /** Bytes of one Microsoft WAV49 block (two frames). */
    public static final int WAV_BLOCK_BYTES = 65;
    /** Samples of one Microsoft WAV49 block. */
    public static final int WAV_BLOCK_SAMPLES = 320;
    /** WAVE format tag of GSM 06.10 in a RIFF file. */
    public static final int WAVE_FORMAT_GSM610 = 0x31;

    private Gsm610() {
    }

    // ---- the 76 parameters of one frame ----------------------------------------------

    /** Field widths in transmission order: LARc[8], then per subframe Nc, bc, Mc, xmaxc, xMc[13]. */
    private static final int[] FIELD_BITS = new int[76];

    static {
        int[] lar = {6, 6, 5, 5, 4, 4, 3, 3};
        System.arraycopy(lar, 0, FIELD_BITS, 0, 8);
        int f = 8;
        for (int sub = 0; sub < 4; sub++) {
            FIELD_BITS[f++] = 7;
            FIELD_BITS[f++] = 2;
            FIELD_BITS[f++] = 2;
            FIELD_BITS[f++] = 6;
            for (int i = 0; i < 13; i++) {
                FIELD_BITS[f++] = 3;
            }
        }
    }

    // ---- tables of ETSI 06.10 §5 -------------------------------------------------------

    private static final short[] INVA = {13107, 13107, 13107, 13107, 19223, 17476, 31454, 29708};
    private static final short[] MIC = {-32, -32, -16, -16, -8, -8, -4, -4};
    private static final short[] B = {0, 0, 2048, -2560, 94, -1792, -341, -1144};
    private static final short[] A = {20480, 20480, 20480, 20480, 13964, 15360, 8534, 9036};
    private static final short[] MAC = {31, 31, 15, 15, 7, 7, 3, 3};
    private static final short[] DLB = {6554, 16384, 26214, 32767};
    private static final short[] QLB = {3277, 11469, 21299, 32767};
    private static final short[] NRFAC = {29128, 26215, 23832, 21846, 20165, 18725, 17476, 16384};
    private static final short[] FAC = {18431, 20479, 22527, 24575, 26623, 28671, 30719, 32767};
    private static final short[] H = {-134, -374, 0, 2054, 5741, 8192, 5741, 2054, 0, -374, -134};

    // ---- basic operators of ETSI 06.10 §5.1 ---------------------------------------------

    private static final int MIN_WORD = -32768;
    private static final int MAX_WORD = 32767;

    private static int sat(int x) {
        return x < MIN_WORD ? MIN_WORD : (x > MAX_WORD ? MAX_WORD : x);
    }

    private static int add(int a, int b) {
        return sat(a + b);
    }

    private static int sub(int a, int b) {
        return sat(a - b);
    }

    private static int mult(int a, int b) {
        if (a == MIN_WORD && b == MIN_WORD) {
            return MAX_WORD;
        }
        return (short) ((a * b) >> 15);
    }

    private static int multR(int a, int b) {
        if (a == MIN_WORD && b == MIN_WORD) {
            return MAX_WORD;
        }
        return (short) ((a * b + 16384) >> 15);
    }

    private static int abs(int a) {
        return a < 0 ? (a == MIN_WORD ? MAX_WORD : -a) : a;
    }

    private static int lAdd(int a, int b) {
        long r = (long) a + b;
        return r > Integer.MAX_VALUE ? Integer.MAX_VALUE : (r < Integer.MIN_VALUE ? Integer.MIN_VALUE : (int) r);
    }

    /** Left shifts needed to normalise a non-zero 32-bit value. */
    private static int norm(int a) {
        if (a < 0) {
            if (a <= -1073741824) {
                return 0;
            }
            a = ~a;
        }
        return Integer.numberOfLeadingZeros(a) - 1;
    }

    /** Fractional division num/denum, 0 <= num <= denum. */
    private static int div(int num, int denum) {
        if (num == 0) {
            return 0;
        }
        int lNum = num;
        int d = 0;
        for (int k = 0; k < 15; k++) {
            d <<= 1;
            lNum <<= 1;
            if (lNum >= denum) {
                lNum -= denum;
                d++;
            }
        }
        return d;
    }

    private static int asr(int a, int n) {
        if (n >= 16) {
            return a < 0 ? -1 : 0;
        }
        if (n <= -16) {
            return 0;
        }
        if (n < 0) {
            return (short) (a << -n);
        }
        return a >> n;
    }

    private static int asl(int a, int n) {
        if (n >= 16) {
            return 0;
        }
        if (n <= -16) {
            return a < 0 ? -1 : 0;
        }
        if (n < 0) {
            return asr(a, -n);
        }
        return (short) (a << n);
    }

    // ---- shared by encoder and decoder --------------------------------------------------

    /** ETSI 06.10 §4.2.8: decoding of the coded log-area ratios. */
    private static void decodeLar(int[] larc, int[] larpp) {
        for (int i = 0; i < 8; i++) {
            int t = add(larc[i], MIC[i]) << 10;
            t = sub(t, B[i] << 1);
            t = multR(INVA[i], t);
            larpp[i] = add(t, t);
        }
    }

    /** ETSI 06.10 §4.2.9.1: interpolation of the LARs for sample segment {@code seg} (0..3). */
    private static void interpolate(int seg, int[] prev, int[] cur, int[] larp) {
        for (int i = 0; i < 8; i++) {
            switch (seg) {
                case 0 -> larp[i] = add(add(prev[i] >> 2, cur[i] >> 2), prev[i] >> 1);
                case 1 -> larp[i] = add(prev[i] >> 1, cur[i] >> 1);
                case 2 -> larp[i] = add(add(prev[i] >> 2, cur[i] >> 2), cur[i] >> 1);
                default -> larp[i] = cur[i];
            }
        }
    }

    /** ETSI 06.10 §4.2.9.2: LAR to reflection coefficients, in place. */
    private static void larToRp(int[] larp) {
        for (int i = 0; i < 8; i++) {
            int v = larp[i];
            int t = v < 0 ? (v == MIN_WORD ? MAX_WORD : -v) : v;
            t = t < 11059 ? t << 1 : (t < 20070 ? t + 11059 : add(t >> 2, 26112));
            larp[i] = v < 0 ? -t : t;
        }
    }

    private static final int[] SEG_START = {0, 13, 27, 40};
    private static final int[] SEG_END = {13, 27, 40, 160};

    /** Splits xmaxc into exponent and mantissa (ETSI 06.10 §4.2.15). Returns exp << 8 | mant & 0xFF. */
    private static int expMant(int xmaxc) {
        int exp = 0;
        if (xmaxc > 15) {
            exp = (xmaxc >> 3) - 1;
        }
        int mant = xmaxc - (exp << 3);
        if (mant == 0) {
            exp = -4;
            mant = 7;
        } else {
            while (mant <= 7) {
                mant = mant << 1 | 1;
                exp--;
            }
            mant -= 8;
        }
        return (exp << 8) | (mant & 0xFF);
    }

    /** ETSI 06.10 §4.2.16: APCM inverse quantisation of 13 pulses. */
    private static void apcmInverse(int[] xmc, int xmcOff, int mant, int exp, int[] xmp) {
        int temp1 = FAC[mant];
        int temp2 = sub(6, exp);
        int temp3 = asl(1, sub(temp2, 1));
        for (int i = 0; i < 13; i++) {
            int t = (short) (((xmc[xmcOff + i] << 1) - 7) << 12);
            t = multR(temp1, t);
            t = add(t, temp3);
            xmp[i] = asr(t, temp2);
        }
    }

    // ---- packing -------------------------------------------------------------------------

    /** Packs 76 parameters into the 33-byte RFC 3551 §4.5.8 frame. */
    static void packRtp(int[] p, byte[] out, int off) {
        long acc = 0xD; // signature nibble
        int bits = 4;
        int o = off;
        for (int f = 0; f < 76; f++) {
            int n = FIELD_BITS[f];
            acc = (acc << n) | (p[f] & ((1 << n) - 1));
            bits += n;
            while (bits >= 8) {
                bits -= 8;
                out[o++] = (byte) (acc >>> bits);
            }
        }
    }

    static void unpackRtp(byte[] in, int off, int[] p) {
        long acc = in[off] & 0x0F;
        int bits = 4;
        int i = off + 1;
        for (int f = 0; f < 76; f++) {
            int n = FIELD_BITS[f];
            while (bits < n) {
                acc = (acc << 8) | (in[i++] & 0xFF);
                bits += 8;
            }
            bits -= n;
            p[f] = (int) (acc >>> bits) & ((1 << n) - 1);
        }
    }

    /** Packs two frames LSB first into one 65-byte Microsoft GSM block. */
    static void packWav(int[] p1, int[] p2, byte[] out, int off) {
        long acc = 0;
        int bits = 0;
        int o = off;
        for (int frame = 0; frame < 2; frame++) {
            int[] p = frame == 0 ? p1 : p2;
            for (int f = 0; f < 76; f++) {
                int n = FIELD_BITS[f];
                acc |= (long) (p[f] & ((1 << n) - 1)) << bits;
                bits += n;
                while (bits >= 8) {
                    out[o++] = (byte) acc;
                    acc >>>= 8;
                    bits -= 8;
                }
            }
        }
    }

    static void unpackWav(byte[] in, int off, int[] p1, int[] p2) {
        long acc = 0;
        int bits = 0;
        int i = off;
        for (int frame = 0; frame < 2; frame++) {
            int[] p = frame == 0 ? p1 : p2;
            for (int f = 0; f < 76; f++) {
                int n = FIELD_BITS[f];
                while (bits < n) {
                    acc |= (long) (in[i++] & 0xFF) << bits;
                    bits += 8;
                }
                p[f] = (int) acc & ((1 << n) - 1);
                acc >>>= n;
                bits -= n;
            }
        }
    }

    // ---- encoder -------------------------------------------------------------------------

    /** Stateful GSM 06.10 encoder for one stream. */
    public static final class Encoder {
        // preprocessing state
        private int z1;
        private int lz2;
        private int mp;
        // short-term analysis state
        private final int[] u = new int[8];
        private final int[][] larpp = new int[2][8];
        private int j;
        // long-term: reconstructed short-term residual history dp[-120..39] at dp0[0..159] + current
        private final int[] dp0 = new int[280];

        // work buffers, reused per frame
        private final int[] so = new int[160];
        private final int[] lacf = new int[9];
        private final int[] larc = new int[8];
        private final int[] larp = new int[8];
        private final int[] r = new int[8];
        private final int[] e = new int[50];
        private final int[] wt = new int[40];
        private final int[] x = new int[40];
        private final int[] xm = new int[13];
        private final int[] xmp = new int[13];
        private final int[] params = new int[76];
        private final int[] params2 = new int[76];
        private final int[] acf = new int[9];
        private final int[] pp = new int[9];
        private final int[] kk = new int[9];

        /** Encodes 160 samples into one 33-byte RFC 3551 frame at {@code out[outOff]}. */
        public void encode(short[] pcm, int pcmOff, byte[] out, int outOff) {
            encodeParams(pcm, pcmOff, params);
            packRtp(params, out, outOff);
        }

        /** Encodes 320 samples into one 65-byte Microsoft WAV49 block at {@code out[outOff]}. */
        public void encodeWavBlock(short[] pcm, int pcmOff, byte[] out, int outOff) {
            encodeParams(pcm, pcmOff, params);
            encodeParams(pcm, pcmOff + FRAME_SAMPLES, params2);
            packWav(params, params2, out, outOff);
        }

        /** ETSI 06.10 §4.2: one frame of 160 samples to its 76 parameters. */
        void encodeParams(short[] s, int off, int[] p) {
            preprocess(s, off);
            lpcAnalysis();
            for (int i = 0; i < 8; i++) {
                p[i] = larc[i];
            }
            shortTermAnalysis();
            for (int k = 0; k < 4; k++) {
                int base = 8 + k * 17;
                int dOff = k * 40;
                int dpOff = 120 + k * 40;
                // §4.2.11: LTP parameters
                int nc = ltpParameters(dOff, dpOff);
                int bc = ltpGain;
                p[base] = nc;
                p[base + 1] = bc;
                // §4.2.12: long-term analysis filtering, e[5..44] = d - dpp
                int bp = QLB[bc];
                for (int i = 0; i < 40; i++) {
                    int dpp = multR(bp, dp0[dpOff + i - nc]);
                    dp0[dpOff + i] = dpp; // keep dpp until the residual is reconstructed
                    e[5 + i] = sub(so[dOff + i], dpp);
                }
                rpeEncode(p, base);
                // §4.2.18: reconstructed short-term residual for the next subframes
                for (int i = 0; i < 40; i++) {
                    dp0[dpOff + i] = add(e[5 + i], dp0[dpOff + i]);
                }
            }
            System.arraycopy(dp0, 160, dp0, 0, 120);
        }

        private void preprocess(short[] s, int off) {
            for (int k = 0; k < 160; k++) {
                // §4.2.1 downscaling, §4.2.2 offset compensation
                int so0 = (s[off + k] >> 3) << 2;
                int s1 = so0 - z1;
                z1 = so0;
                int ls2 = s1 << 15;
                int msp = lz2 >> 15;
                int lsp = lz2 - (msp << 15);
                ls2 += multR(lsp, 32735);
                int ltemp = msp * 32735;
                lz2 = lAdd(ltemp, ls2);
                ltemp = lAdd(lz2, 16384);
                // §4.2.3 pre-emphasis
                int m = multR(mp, -28180);
                mp = ltemp >> 15;
                so[k] = add(mp, m);
            }
        }

        private void lpcAnalysis() {
            // §4.2.4 autocorrelation with dynamic scaling
            int smax = 0;
            for (int k = 0; k < 160; k++) {
                int t = abs(so[k]);
                if (t > smax) {
                    smax = t;
                }
            }
            int scalauto = smax == 0 ? 0 : 4 - norm(smax << 16);
            if (scalauto > 0) {
                int f = 16384 >> (scalauto - 1);
                for (int k = 0; k < 160; k++) {
                    so[k] = multR(so[k], f);
                }
            }
            for (int k = 0; k <= 8; k++) {
                int sum = 0;
                for (int i = k; i < 160; i++) {
                    sum += so[i] * so[i - k];
                }
                lacf[k] = sum << 1;
            }
            if (scalauto > 0) {
                for (int k = 0; k < 160; k++) {
                    so[k] = (short) (so[k] << scalauto);
                }
            }
            reflectionCoefficients();
            // §4.2.6 transformation to log-area ratios
            for (int i = 0; i < 8; i++) {
                int t = abs(r[i]);
                if (t < 22118) {
                    t >>= 1;
                } else if (t < 31130) {
                    t -= 11059;
                } else {
                    t = (t - 26112) << 2;
                }
                r[i] = r[i] < 0 ? -t : t;
            }
            // §4.2.7 quantisation and coding
            for (int i = 0; i < 8; i++) {
                int t = mult(A[i], r[i]);
                t = add(t, B[i]);
                t = add(t, 256);
                t >>= 9;
                larc[i] = t > MAC[i] ? MAC[i] - MIC[i] : (t < MIC[i] ? 0 : t - MIC[i]);
            }
        }

        /** §4.2.5: Schur recursion. */
        private void reflectionCoefficients() {
            if (lacf[0] == 0) {
                java.util.Arrays.fill(r, 0);
                return;
            }
            int temp = norm(lacf[0]);
            for (int i = 0; i <= 8; i++) {
                acf[i] = (short) ((lacf[i] << temp) >> 16);
            }
            for (int i = 1; i <= 7; i++) {
                kk[i] = acf[i];
            }
            System.arraycopy(acf, 0, pp, 0, 9);
            for (int n = 1; n <= 8; n++) {
                int t = abs(pp[1]);
                if (pp[0] < t) {
                    for (int i = n; i <= 8; i++) {
                        r[i - 1] = 0;
                    }
                    return;
                }
                int rn = div(t, pp[0]);
                if (pp[1] > 0) {
                    rn = -rn;
                }
                r[n - 1] = rn;
                if (n == 8) {
                    return;
                }
                pp[0] = add(pp[0], multR(pp[1], rn));
                for (int m = 1; m <= 8 - n; m++) {
                    pp[m] = add(pp[m + 1], multR(kk[m], rn));
                    kk[m] = add(kk[m], multR(pp[m + 1], rn));
                }
            }
        }

        /** §4.2.8-4.2.10: short-term analysis filtering, so[] becomes the residual d[]. */
        private void shortTermAnalysis() {
            int[] cur = larpp[j];
            j ^= 1;
            int[] prev = larpp[j];
            decodeLar(larc, cur);
            for (int seg = 0; seg < 4; seg++) {
                interpolate(seg, prev, cur, larp);
                larToRp(larp);
                for (int k = SEG_START[seg]; k < SEG_END[seg]; k++) {
                    int di = so[k];
                    int sav = di;
                    for (int i = 0; i < 8; i++) {
                        int ui = u[i];
                        int rpi = larp[i];
                        u[i] = sav;
                        sav = add(ui, multR(rpi, di));
                        di = add(di, multR(rpi, ui));
                    }
                    so[k] = di;
                }
            }
        }

        private int ltpGain;

        /** §4.2.11: returns Nc and leaves bc in {@link #ltpGain}. */
        private int ltpParameters(int dOff, int dpOff) {
            int dmax = 0;
            for (int k = 0; k < 40; k++) {
                int t = abs(so[dOff + k]);
                if (t > dmax) {
                    dmax = t;
                }
            }
            int temp = dmax == 0 ? 0 : norm(dmax << 16);
            int scal = temp > 6 ? 0 : 6 - temp;
            for (int k = 0; k < 40; k++) {
                wt[k] = so[dOff + k] >> scal;
            }
            int lmax = 0;
            int nc = 40;
            for (int lambda = 40; lambda <= 120; lambda++) {
                int sum = 0;
                int base = dpOff - lambda;
                for (int k = 0; k < 40; k++) {
                    sum += wt[k] * dp0[base + k];
                }
                if (sum > lmax) {
                    nc = lambda;
                    lmax = sum;
                }
            }
            lmax <<= 1;
            lmax >>= 6 - scal;
            int lpower = 0;
            for (int k = 0; k < 40; k++) {
                int t = dp0[dpOff + k - nc] >> 3;
                lpower += t * t;
            }
            lpower <<= 1;
            if (lmax <= 0) {
                ltpGain = 0;
            } else if (lmax >= lpower) {
                ltpGain = 3;
            } else {
                int t = norm(lpower);
                int rr = (lmax << t) >> 16;
                int ss = (lpower << t) >> 16;
                int bc = 0;
                while (bc <= 2 && rr > mult(ss, DLB[bc])) {
                    bc++;
                }
                ltpGain = bc;
            }
            return nc;
        }

        /** §4.2.13-4.2.17: RPE encoding of e[5..44]; e[5..44] becomes the decoded excitation ep. */
        private void rpeEncode(int[] p, int base) {
            // §4.2.13 weighting filter (e[0..4] and e[45..49] stay zero)
            for (int k = 0; k < 40; k++) {
                int l = 4096;
                for (int i = 0; i < 11; i++) {
                    l += e[k + i] * H[i];
                }
                x[k] = sat(l >> 13);
            }
            // §4.2.14 RPE grid selection
            int mc = 0;
            int em = 0;
            for (int m = 0; m < 4; m++) {
                int l = 0;
                for (int i = 0; i < 13; i++) {
                    int t = x[m + 3 * i] >> 2;
                    l += t * t;
                }
                l <<= 1;
                if (m == 0 || l > em) {
                    mc = m;
                    em = l;
                }
            }
            for (int i = 0; i < 13; i++) {
                xm[i] = x[mc + 3 * i];
            }
            // §4.2.15 APCM quantisation
            int xmax = 0;
            for (int i = 0; i < 13; i++) {
                int t = abs(xm[i]);
                if (t > xmax) {
                    xmax = t;
                }
            }
            int exp = 0;
            int t = xmax >> 9;
            boolean itest = false;
            for (int i = 0; i <= 5; i++) {
                itest |= t <= 0;
                t >>= 1;
                if (!itest) {
                    exp++;
                }
            }
            int xmaxc = add(xmax >> (exp + 5), exp << 3);
            int em2 = expMant(xmaxc);
            exp = em2 >> 8;
            int mant = em2 & 0xFF;
            int temp1 = 6 - exp;
            int temp2 = NRFAC[mant];
            int xo = base + 4;
            for (int i = 0; i < 13; i++) {
                int v = (short) (xm[i] << temp1);
                v = mult(v, temp2);
                p[xo + i] = (v >> 12) + 4;
            }
            p[base + 2] = mc;
            p[base + 3] = xmaxc;
            // §4.2.16-4.2.17: inverse quantisation and grid positioning into e[5..44]
            apcmInverse(p, xo, mant, exp, xmp);
            for (int k = 0; k < 40; k++) {
                e[5 + k] = 0;
            }
            for (int i = 0; i < 13; i++) {
                e[5 + mc + 3 * i] = xmp[i];
            }
        }
    }

    // ---- decoder -------------------------------------------------------------------------

    /** Stateful GSM 06.10 decoder for one stream. */
    public static final class Decoder {
        private final int[][] larpp = new int[2][8];
        private int j;
        private final int[] v = new int[9];
        private int msr;
        private int nrp = 40;
        /** drp[-120..39] at drp0[0..159]. */
        private final int[] drp0 = new int[160];

        private final int[] params = new int[76];
        private final int[] params2 = new int[76];
        private final int[] wt = new int[160];
        private final int[] larp = new int[8];
        private final int[] larc = new int[8];
        private final int[] xmp = new int[13];
        private final int[] erp = new int[40];

        /**
         * Decodes one 33-byte RFC 3551 frame into 160 samples.
         *
         * @return false (and silence) when the signature nibble is not 0xD
         */
        public boolean decode(byte[] in, int inOff, short[] pcm, int pcmOff) {
            if (((in[inOff] >> 4) & 0x0F) != 0xD) {
                java.util.Arrays.fill(pcm, pcmOff, pcmOff + FRAME_SAMPLES, (short) 0);
                return false;
            }
            unpackRtp(in, inOff, params);
            decodeParams(params, pcm, pcmOff);
            return true;
        }

        /** Decodes one 65-byte Microsoft WAV49 block into 320 samples. */
        public void decodeWavBlock(byte[] in, int inOff, short[] pcm, int pcmOff) {
            unpackWav(in, inOff, params, params2);
            decodeParams(params, pcm, pcmOff);
            decodeParams(params2, pcm, pcmOff + FRAME_SAMPLES);
        }

        /** ETSI 06.10 §4.3: 76 parameters to 160 samples. */
        void decodeParams(int[] p, short[] out, int off) {
            for (int sub = 0; sub < 4; sub++) {
                int base = 8 + sub * 17;
                int ncr = p[base];
                int bcr = p[base + 1];
                int mcr = p[base + 2];
                int xmaxcr = p[base + 3];
                // §4.2.15-4.2.17 RPE decoding
                int em = expMant(xmaxcr);
                apcmInverse(p, base + 4, em & 0xFF, em >> 8, xmp);
                java.util.Arrays.fill(erp, 0);
                for (int i = 0; i < 13; i++) {
                    erp[mcr + 3 * i] = xmp[i];
                }
                // §4.3.2 long-term synthesis filtering
                int nr = ncr < 40 || ncr > 120 ? nrp : ncr;
                nrp = nr;
                int brp = QLB[bcr];
                for (int k = 0; k < 40; k++) {
                    int drpp = multR(brp, drp0[120 + k - nr]);
                    drp0[120 + k] = add(erp[k], drpp);
                }
                System.arraycopy(drp0, 40, drp0, 0, 120);
                System.arraycopy(drp0, 80, wt, sub * 40, 40);
            }
            // §4.3.3 short-term synthesis filtering
            System.arraycopy(p, 0, larc, 0, 8);
            int[] cur = larpp[j];
            j ^= 1;
            int[] prev = larpp[j];
            decodeLar(larc, cur);
            for (int seg = 0; seg < 4; seg++) {
                interpolate(seg, prev, cur, larp);
                larToRp(larp);
                for (int k = SEG_START[seg]; k < SEG_END[seg]; k++) {
                    int sri = wt[k];
                    for (int i = 7; i >= 0; i--) {
                        sri = sub(sri, multR(larp[i], v[i]));
                        v[i + 1] = add(v[i], multR(larp[i], sri));
                    }
                    v[0] = sri;
                    // §4.3.4-4.3.6 de-emphasis, upscaling, output truncation
                    msr = add(sri, multR(msr, 28180));
                    out[off + k] = (short) (add(msr, msr) & 0xFFF8);
                }
            }
        }
    }
}
