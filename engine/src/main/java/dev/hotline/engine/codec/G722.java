package dev.hotline.engine.codec;

/**
 * ITU-T G.722 at 64 kbit/s (mode 1): 16 kHz audio split by the quadrature mirror filter into a lower
 * band coded with 6-bit ADPCM and a higher band with 2-bit ADPCM, one byte per pair of samples
 * (RFC 3551 §4.5.2: payload type 9, an RTP clock of 8 kHz for 16 kHz audio). Written from the
 * Recommendation's block diagrams (blocks 1L–6L, 1H–6H, 4: the adaptive predictor, and the QMF of
 * Table 11); integer arithmetic as specified, so that an encoder and a decoder of any conforming
 * implementation interwork. One {@link Encoder} or {@link Decoder} per stream; neither allocates.
 */
public final class G722 {
    /** QMF coefficients (G.722 Table 11), h0..h11; h(23-i) = h(i). */
    private static final int[] QMF = {3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11};
    /** Lower band quantiser decision levels (Table 6), scaled by 8. */
    private static final int[] Q6 = {0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940,
        1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919, 0, 0};
    /** Lower band codes for negative and positive differences, by quantiser interval. */
    private static final int[] ILN = {0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12,
        11, 10, 9, 8, 7, 6, 5, 4, 0};
    private static final int[] ILP = {0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40,
        39, 38, 37, 36, 35, 34, 33, 32, 0};
    /** Lower band log-scale factor multipliers (Table 14) by the 4-bit magnitude class. */
    private static final int[] WL = {-60, -30, 58, 172, 334, 538, 1198, 3042};
    private static final int[] RL42 = {0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0};
    /** Inverse log table (Table 15): 2^(i/32) scaled. */
    private static final int[] ILB = {2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774,
        2834, 2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008};
    /** Inverse quantiser outputs: 4-bit (predictor path), 6-bit (lower band output), 2-bit (higher band). */
    private static final int[] QM4 = {0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240,
        2584, 1200, 0};
    private static final int[] QM6 = {-136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192,
        -10232, -9360, -8576, -7856, -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776, -2400, -2032, -1688,
        -1360, -1040, -728, 24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360, 8576, 7856, 7192, 6576, 6000,
        5456, 4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728, 432, 136, -432, -136};
    private static final int[] QM2 = {-7408, -1616, 7408, 1616};
    private static final int[] IHN = {0, 1, 0};
    private static final int[] IHP = {0, 3, 2};
    private static final int[] WH = {0, -214, 798};
    private static final int[] RH2 = {2, 1, 2, 1};

    private G722() {
    }

    /** The adaptive predictor and scale factor of one sub-band (block 4 and the log-scale state). */
    private static final class Band {
        int s;
        int sp;
        int sz;
        final int[] r = new int[3];
        final int[] a = new int[3];
        final int[] ap = new int[3];
        final int[] p = new int[3];
        final int[] d = new int[7];
        final int[] b = new int[7];
        final int[] bp = new int[7];
        final int[] sg = new int[7];
        int nb;
        int det;

        Band(int det) {
            this.det = det;
        }

        /** Block 4: reconstruction, pole and zero predictor updates, the next prediction. */
        void update(int dq) {
            d[0] = dq;
            r[0] = sat(s + dq);
            p[0] = sat(sz + dq);
            // UPPOL2
            for (int i = 0; i < 3; i++) {
                sg[i] = p[i] >> 15;
            }
            int wd1 = sat(a[1] << 2);
            int wd2 = sg[0] == sg[1] ? -wd1 : wd1;
            if (wd2 > 32767) {
                wd2 = 32767;
            }
            int wd3 = (sg[0] == sg[2] ? 128 : -128) + (wd2 >> 7) + ((a[2] * 32512) >> 15);
            ap[2] = Math.max(-12288, Math.min(12288, wd3));
            // UPPOL1
            sg[0] = p[0] >> 15;
            sg[1] = p[1] >> 15;
            wd1 = sg[0] == sg[1] ? 192 : -192;
            wd2 = (a[1] * 32640) >> 15;
            ap[1] = sat(wd1 + wd2);
            wd3 = sat(15360 - ap[2]);
            if (ap[1] > wd3) {
                ap[1] = wd3;
            } else if (ap[1] < -wd3) {
                ap[1] = -wd3;
            }
            // UPZERO
            wd1 = dq == 0 ? 0 : 128;
            sg[0] = dq >> 15;
            for (int i = 1; i < 7; i++) {
                sg[i] = d[i] >> 15;
                wd2 = sg[i] == sg[0] ? wd1 : -wd1;
                wd3 = (b[i] * 32640) >> 15;
                bp[i] = sat(wd2 + wd3);
            }
            // DELAYA
            for (int i = 6; i > 0; i--) {
                d[i] = d[i - 1];
                b[i] = bp[i];
            }
            for (int i = 2; i > 0; i--) {
                r[i] = r[i - 1];
                p[i] = p[i - 1];
                a[i] = ap[i];
            }
            // FILTEP
            wd1 = (a[1] * sat(r[1] + r[1])) >> 15;
            wd2 = (a[2] * sat(r[2] + r[2])) >> 15;
            sp = sat(wd1 + wd2);
            // FILTEZ
            int z = 0;
            for (int i = 6; i > 0; i--) {
                z += (b[i] * sat(d[i] + d[i])) >> 15;
            }
            sz = sat(z);
            // PREDIC
            s = sat(sp + sz);
        }

        /** Blocks 3L (LOGSCL, SCALEL): the lower band's next scale factor from the 4-bit code. */
        void scaleLow(int ril) {
            int nbl = ((nb * 127) >> 7) + WL[RL42[ril]];
            nb = Math.max(0, Math.min(18432, nbl));
            det = scale(nb, 8);
        }

        /** Blocks 3H (LOGSCH, SCALEH). */
        void scaleHigh(int ihigh) {
            int nbh = ((nb * 127) >> 7) + WH[RH2[ihigh]];
            nb = Math.max(0, Math.min(22528, nbh));
            det = scale(nb, 10);
        }

        private static int scale(int nb, int shift) {
            int wd1 = (nb >> 6) & 31;
            int wd2 = shift - (nb >> 11);
            int wd3 = wd2 < 0 ? ILB[wd1] << -wd2 : ILB[wd1] >> wd2;
            return wd3 << 2;
        }
    }

    private static int sat(int v) {
        return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }

    /** 16 kHz 16-bit PCM to G.722, two samples a byte. */
    public static final class Encoder {
        private final Band low = new Band(32);
        private final Band high = new Band(8);
        private final int[] x = new int[24];

        /**
         * Encodes {@code samples} (even) samples of 16 kHz audio.
         *
         * @return bytes written: {@code samples / 2}
         */
        public int encode(short[] pcm, int off, int samples, byte[] out, int outOff) {
            int n = 0;
            for (int j = 0; j + 1 < samples; j += 2) {
                // Transmit QMF (§3.2)
                System.arraycopy(x, 2, x, 0, 22);
                x[22] = pcm[off + j];
                x[23] = pcm[off + j + 1];
                int sumOdd = 0;
                int sumEven = 0;
                for (int i = 0; i < 12; i++) {
                    sumOdd += x[2 * i] * QMF[i];
                    sumEven += x[2 * i + 1] * QMF[11 - i];
                }
                int xlow = (sumEven + sumOdd) >> 14;
                int xhigh = (sumEven - sumOdd) >> 14;

                // Lower band: 1L SUBTRA, QUANTL
                int el = sat(xlow - low.s);
                int wd = el >= 0 ? el : -(el + 1);
                int i = 1;
                for (; i < 30; i++) {
                    if (wd < ((Q6[i] * low.det) >> 12)) {
                        break;
                    }
                }
                int ilow = el < 0 ? ILN[i] : ILP[i];
                // 2L INVQAL, 3L, 4L
                int ril = ilow >> 2;
                int dlow = (low.det * QM4[ril]) >> 15;
                low.scaleLow(ril);
                low.update(dlow);

                // Higher band: 1H SUBTRA, QUANTH
                int eh = sat(xhigh - high.s);
                wd = eh >= 0 ? eh : -(eh + 1);
                int mih = wd >= ((564 * high.det) >> 12) ? 2 : 1;
                int ihigh = eh < 0 ? IHN[mih] : IHP[mih];
                // 2H INVQAH, 3H, 4H
                int dhigh = (high.det * QM2[ihigh]) >> 15;
                high.scaleHigh(ihigh);
                high.update(dhigh);

                out[outOff + n++] = (byte) ((ihigh << 6) | ilow);
            }
            return n;
        }
    }

    /** G.722 to 16 kHz 16-bit PCM, two samples a byte. */
    public static final class Decoder {
        private final Band low = new Band(32);
        private final Band high = new Band(8);
        private final int[] x = new int[24];

        /**
         * Decodes {@code len} bytes.
         *
         * @return samples written: {@code 2 * len}
         */
        public int decode(byte[] in, int off, int len, short[] pcm, int pcmOff) {
            int n = 0;
            for (int j = 0; j < len; j++) {
                int code = in[off + j] & 0xFF;
                int ilow = code & 0x3F;
                int ihigh = (code >> 6) & 0x03;
                // Lower band: 5L INVQBL, RECONS, 6L LIMIT
                int rlow = low.s + ((low.det * QM6[ilow]) >> 15);
                rlow = Math.max(-16384, Math.min(16383, rlow));
                // 2L INVQAL, 3L, 4L
                int ril = ilow >> 2;
                int dlow = (low.det * QM4[ril]) >> 15;
                low.scaleLow(ril);
                low.update(dlow);

                // Higher band: 2H INVQAH, 5H RECONS, 6H LIMIT
                int dhigh = (high.det * QM2[ihigh]) >> 15;
                int rhigh = Math.max(-16384, Math.min(16383, dhigh + high.s));
                high.scaleHigh(ihigh);
                high.update(dhigh);

                // Receive QMF (§4.4)
                System.arraycopy(x, 2, x, 0, 22);
                x[22] = rlow + rhigh;
                x[23] = rlow - rhigh;
                int xout1 = 0;
                int xout2 = 0;
                for (int i = 0; i < 12; i++) {
                    xout2 += x[2 * i] * QMF[i];
                    xout1 += x[2 * i + 1] * QMF[11 - i];
                }
                pcm[pcmOff + n++] = (short) sat(xout1 >> 11);
                pcm[pcmOff + n++] = (short) sat(xout2 >> 11);
            }
            return n;
        }
    }
}
