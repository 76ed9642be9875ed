package dev.hotline.engine.webrtc;

import static dev.hotline.engine.webrtc.StunMessageTest.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SrtpContextTest {
    private static final byte[] MASTER_KEY = hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static final byte[] MASTER_SALT = hex("0EC675AD498AFEEBB6960B3AABE6");
    private static final SrtpProfile P80 = SrtpProfile.AES128_CM_HMAC_SHA1_80;

    private static String h(byte[] b) {
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    /** RFC 3711 Appendix B.2: AES-CM keystream for session key and salt, SSRC 0, index 0. */
    @Test
    void rfc3711B2AesCmKeystream() {
        byte[] key = hex("2B7E151628AED2A6ABF7158809CF4F3C");
        byte[] iv = hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        byte[] ks = SrtpContext.aesCmKeystream(key, iv, 0xFF02 * 16);
        assertThat(h(Arrays.copyOfRange(ks, 0, 48))).isEqualTo("E03EAD0935C95E80E166B16DD92B4EB4"
                + "D23513162B02D0F72A43A2FE4A5F97AB" + "41E95B3BB0A2E8DD477901E4FCA894C0");
        assertThat(h(Arrays.copyOfRange(ks, 0xFEFF * 16, 0xFF02 * 16))).isEqualTo("EC8CDF7398607CB0F2D21675EA9EA1E4"
                + "362B7C3C6773516318A077D7FC5073AE" + "6A2CC3787889374FBEB4C81B17BA6C44");
    }

    /** RFC 3711 Appendix B.3: session keys from the master key and salt. */
    @Test
    void rfc3711B3KeyDerivation() {
        assertThat(h(SrtpContext.deriveKey(MASTER_KEY, MASTER_SALT, 0, 16)))
                .isEqualTo("C61E7A93744F39EE10734AFE3FF7A087");
        assertThat(h(SrtpContext.deriveKey(MASTER_KEY, MASTER_SALT, 2, 14)))
                .isEqualTo("30CBBC08863D8C85D49DB34A9AE1");
        assertThat(h(SrtpContext.deriveKey(MASTER_KEY, MASTER_SALT, 1, 94))).isEqualTo(
                "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE"
                        + "E049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC25"
                        + "6D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2");
    }

    /** The libsrtp known-answer packet for AES_CM_128_HMAC_SHA1_80 with the B.3 master key. */
    @Test
    void libsrtpKnownAnswerPacket() {
        byte[] plain = hex("800F1234DECAFBADCAFEBABE" + "AB".repeat(16));
        String srtp = "800F1234DECAFBADCAFEBABE4E55DC4CE79978D88CA4D215949D2402B78D6ACC99EA179B8DBB";
        byte[] buf = Arrays.copyOf(plain, plain.length + 10);
        int n = new SrtpContext(P80, MASTER_KEY, MASTER_SALT).protectRtp(buf, 0, plain.length);
        assertThat(h(Arrays.copyOf(buf, n))).isEqualTo(srtp);

        byte[] in = hex(srtp);
        int m = new SrtpContext(P80, MASTER_KEY, MASTER_SALT).unprotectRtp(in, 0, in.length);
        assertThat(Arrays.copyOf(in, m)).isEqualTo(plain);
    }

    private static byte[] rtp(int seq, int ssrc, int payloadLength) {
        byte[] b = new byte[12 + payloadLength + SrtpContext.RTP_OVERHEAD_MAX];
        b[0] = (byte) 0x80;
        b[1] = 8;
        StunMessage.writeShort(b, 2, seq);
        StunMessage.writeInt(b, 4, seq * 160);
        StunMessage.writeInt(b, 8, ssrc);
        for (int i = 0; i < payloadLength; i++) {
            b[12 + i] = (byte) (seq + i);
        }
        return b;
    }

    @Test
    void roundTripWithCsrcAndExtension() {
        SrtpContext tx = new SrtpContext(P80, MASTER_KEY, MASTER_SALT);
        SrtpContext rx = new SrtpContext(P80, MASTER_KEY, MASTER_SALT);
        byte[] b = new byte[12 + 4 + 8 + 20 + 10];
        b[0] = (byte) 0x91; // V=2, X=1, CC=1
        StunMessage.writeInt(b, 8, 77);
        StunMessage.writeShort(b, 18, 1); // extension of one word after the CSRC
        Arrays.fill(b, 24, 44, (byte) 0x55);
        byte[] plain = Arrays.copyOf(b, 44);
        int n = tx.protectRtp(b, 0, 44);
        assertThat(n).isEqualTo(54);
        assertThat(Arrays.copyOfRange(b, 0, 24)).isEqualTo(Arrays.copyOfRange(plain, 0, 24)); // header clear
        assertThat(Arrays.copyOfRange(b, 24, 44)).isNotEqualTo(Arrays.copyOfRange(plain, 24, 44));
        assertThat(rx.unprotectRtp(b, 0, n)).isEqualTo(44);
        assertThat(Arrays.copyOf(b, 44)).isEqualTo(plain);
    }

    @Test
    void tamperedPacketIsRejected() {
        SrtpContext tx = new SrtpContext(P80, MASTER_KEY, MASTER_SALT);
        SrtpContext rx = new SrtpContext(P80, MASTER_KEY, MASTER_SALT);
        byte[] b = rtp(1, 5, 160);
        int n = tx.protectRtp(b, 0, 172);
        byte[] bad = b.clone();
        bad[40] ^= 1;
        assertThat(rx.unprotectRtp(bad, 0, n)).isEqualTo(SrtpContext.ERR_AUTH);
        byte[] badHeader = b.clone();
        badHeader[1] ^= 1;
        assertThat(rx.unprotectRtp(badHeader, 0, n)).isEqualTo(SrtpContext.ERR_AUTH);
        assertThat(rx.unprotectRtp(b, 0, n)).isEqualTo(172); // the genuine one still passes
        assertThat(rx.unprotectRtp(new byte[15], 0, 15)).isEqualTo(SrtpContext.ERR_MALFORMED);
    }

    @Test
    void replayedAndTooOldPacketsAreRejected() {
        SrtpContext tx = new SrtpContext(P80, MASTER_KEY, MASTER_SALT);
        SrtpContext rx = new SrtpContext(P80, MASTER_KEY, MASTER_SALT);
        byte[][] sent = new byte[200][];
        int[] lengths = new int[200];
        for (int i = 0; i < 200; i++) {
            sent[i] = rtp(1000 + i, 9, 20);
            lengths[i] = tx.protectRtp(sent[i], 0, 32);
        }
        // Out of order within the window is fine.
        assertThat(rx.unprotectRtp(sent[5].clone(), 0, lengths[5])).isEqualTo(32);
        assertThat(rx.unprotectRtp(sent[3].clone(), 0, lengths[3])).isEqualTo(32);
        assertThat(rx.unprotectRtp(sent[5].clone(), 0, lengths[5])).isEqualTo(SrtpContext.ERR_REPLAY);
        assertThat(rx.unprotectRtp(sent[150].clone(), 0, lengths[150])).isEqualTo(32);
        assertThat(rx.unprotectRtp(sent[100].clone(), 0, lengths[100])).isEqualTo(32); // 50 behind: inside
        assertThat(rx.unprotectRtp(sent[4].clone(), 0, lengths[4])).isEqualTo(SrtpContext.ERR_REPLAY); // too old
        assertThat(rx.unprotectRtp(sent[100].clone(), 0, lengths[100])).isEqualTo(SrtpContext.ERR_REPLAY);
    }

    @Test
    void sequenceWrapIncrementsRolloverCounter() {
        SrtpContext tx = new SrtpContext(P80, MASTER_KEY, MASTER_SALT);
        SrtpContext rx = new SrtpContext(P80, MASTER_KEY, MASTER_SALT);
        int ssrc = 0xCAFE;
        for (int i = 0; i < 10; i++) {
            int seq = (65530 + i) & 0xFFFF;
            byte[] b = rtp(seq, ssrc, 30);
            byte[] plain = Arrays.copyOf(b, 42);
            int n = tx.protectRtp(b, 0, 42);
            assertThat(rx.unprotectRtp(b, 0, n)).as("seq %d", seq).isEqualTo(42);
            assertThat(Arrays.copyOf(b, 42)).isEqualTo(plain);
        }
        assertThat(tx.rolloverCounter(ssrc)).isEqualTo(1);
        assertThat(rx.rolloverCounter(ssrc)).isEqualTo(1);
        // A late packet from before the wrap is still decrypted with ROC 0.
        SrtpContext tx2 = new SrtpContext(P80, MASTER_KEY, MASTER_SALT);
        SrtpContext rx2 = new SrtpContext(P80, MASTER_KEY, MASTER_SALT);
        byte[] before = rtp(65535, 1, 10);
        int nb = tx2.protectRtp(before, 0, 22);
        byte[] after = rtp(2, 1, 10);
        int na = tx2.protectRtp(after, 0, 22);
        assertThat(rx2.unprotectRtp(after, 0, na)).isEqualTo(SrtpContext.ERR_AUTH); // ROC 1 unknown yet
        assertThat(rx2.unprotectRtp(before, 0, nb)).isEqualTo(22);
        byte[] after2 = rtp(3, 1, 10);
        int na2 = tx2.protectRtp(after2, 0, 22);
        assertThat(rx2.unprotectRtp(after2, 0, na2)).isEqualTo(22);
        assertThat(rx2.rolloverCounter(1)).isEqualTo(1);
    }

    @Test
    void indexEstimateFollowsAppendixA() {
        assertThat(SrtpContext.estimateIndex(0x1FFF0L, 5)).isEqualTo(0x20005L); // wrap forward
        assertThat(SrtpContext.estimateIndex(0x20005L, 0xFFF0)).isEqualTo(0x1FFF0L); // late, previous ROC
        assertThat(SrtpContext.estimateIndex(0x10100L, 0x0200)).isEqualTo(0x10200L);
    }

    @Test
    void srtcpRoundTripIndexEBitAndReplay() {
        SrtpContext tx = new SrtpContext(P80, MASTER_KEY, MASTER_SALT);
        SrtpContext rx = new SrtpContext(P80, MASTER_KEY, MASTER_SALT);
        byte[] sr = new byte[28 + SrtpContext.RTCP_OVERHEAD];
        sr[0] = (byte) 0x80;
        sr[1] = (byte) 200;
        StunMessage.writeShort(sr, 2, 6);
        StunMessage.writeInt(sr, 4, 0x11223344);
        Arrays.fill(sr, 8, 28, (byte) 0x42);
        byte[] plain = Arrays.copyOf(sr, 28);
        int n = tx.protectRtcp(sr, 0, 28);
        assertThat(n).isEqualTo(28 + 14);
        assertThat(StunMessage.readInt(sr, 28)).isEqualTo(0x80000000); // E=1, index 0
        assertThat(Arrays.copyOfRange(sr, 8, 28)).isNotEqualTo(Arrays.copyOfRange(plain, 8, 28));
        byte[] copy = sr.clone();
        assertThat(rx.unprotectRtcp(sr, 0, n)).isEqualTo(28);
        assertThat(Arrays.copyOf(sr, 28)).isEqualTo(plain);
        assertThat(rx.unprotectRtcp(copy, 0, n)).isEqualTo(SrtpContext.ERR_REPLAY);

        byte[] second = Arrays.copyOf(plain, 28 + 14);
        int n2 = tx.protectRtcp(second, 0, 28);
        assertThat(StunMessage.readInt(second, 28)).isEqualTo(0x80000001);
        second[12] ^= 1;
        assertThat(rx.unprotectRtcp(second, 0, n2)).isEqualTo(SrtpContext.ERR_AUTH);
        assertThat(rx.unprotectRtcp(new byte[20], 0, 20)).isEqualTo(SrtpContext.ERR_MALFORMED);
    }

    @Test
    void differentKeysDoNotAuthenticate() {
        SrtpContext tx = new SrtpContext(P80, MASTER_KEY, MASTER_SALT);
        byte[] otherKey = MASTER_KEY.clone();
        otherKey[0] ^= 1;
        SrtpContext rx = new SrtpContext(P80, otherKey, MASTER_SALT);
        byte[] b = rtp(7, 7, 20);
        int n = tx.protectRtp(b, 0, 32);
        assertThat(rx.unprotectRtp(b, 0, n)).isEqualTo(SrtpContext.ERR_AUTH);
    }

    @Test
    void shortTagProfileAndRoomChecks() {
        SrtpProfile p32 = SrtpProfile.AES128_CM_HMAC_SHA1_32;
        SrtpContext tx = new SrtpContext(p32, MASTER_KEY, MASTER_SALT);
        SrtpContext rx = new SrtpContext(p32, MASTER_KEY, MASTER_SALT);
        byte[] b = rtp(1, 1, 20);
        assertThat(tx.protectRtp(b, 0, 32)).isEqualTo(36);
        assertThat(rx.unprotectRtp(b, 0, 36)).isEqualTo(32);
        assertThatThrownBy(() -> tx.protectRtp(new byte[32], 0, 32)).isInstanceOf(IllegalArgumentException.class);
    }
}
