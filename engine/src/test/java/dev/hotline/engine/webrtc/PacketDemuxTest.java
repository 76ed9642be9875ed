package dev.hotline.engine.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.webrtc.PacketDemux.Kind;
import org.junit.jupiter.api.Test;

class PacketDemuxTest {
    private static Kind kind(int first, int second) {
        return PacketDemux.classify(new byte[] {(byte) first, (byte) second}, 0, 2);
    }

    @Test
    void rfc7983Ranges() {
        assertThat(kind(0, 1)).isEqualTo(Kind.STUN);
        assertThat(kind(3, 0)).isEqualTo(Kind.STUN);
        assertThat(kind(4, 0)).isEqualTo(Kind.UNKNOWN);
        assertThat(kind(16, 0)).isEqualTo(Kind.ZRTP);
        assertThat(kind(20, 0)).isEqualTo(Kind.DTLS);
        assertThat(kind(22, 0xFE)).isEqualTo(Kind.DTLS);
        assertThat(kind(63, 0)).isEqualTo(Kind.DTLS);
        assertThat(kind(64, 0)).isEqualTo(Kind.TURN_CHANNEL);
        assertThat(kind(127, 0)).isEqualTo(Kind.UNKNOWN);
        assertThat(kind(0x80, 0)).isEqualTo(Kind.RTP);
        assertThat(kind(0x80, 0x80 | 8)).isEqualTo(Kind.RTP); // marker + PCMA
        assertThat(kind(0x81, 200)).isEqualTo(Kind.RTCP); // SR
        assertThat(kind(0x80, 223)).isEqualTo(Kind.RTCP);
        assertThat(kind(191, 0)).isEqualTo(Kind.RTP);
        assertThat(kind(192, 0)).isEqualTo(Kind.UNKNOWN);
        assertThat(PacketDemux.classify(new byte[0], 0, 0)).isEqualTo(Kind.UNKNOWN);
    }
}
