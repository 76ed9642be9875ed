package dev.hotline.engine.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class StunMessageTest {
    private static final byte[] TX_ID = hex("b7e7a701bc34d686fa87dfae");
    private static final byte[] KEY = StunMessage.shortTermKey("VOkJxbRl1RmTxUk/WvJxBt");

    /** RFC 5769 §2.1 sample request. */
    static final byte[] REQUEST = hex(""
            + "000100582112a442b7e7a701bc34d686fa87dfae"
            + "802200105354554e207465737420636c69656e74"
            + "002400046e0001ff"
            + "80290008932ff9b151263b36"
            + "000600096576746a3a68367659202020"
            + "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
            + "80280004e57a3bcf");

    /** RFC 5769 §2.2 sample IPv4 response. */
    static final byte[] RESPONSE_V4 = hex(""
            + "0101003c2112a442b7e7a701bc34d686fa87dfae"
            + "8022000b7465737420766563746f7220"
            + "002000080001a147e112a643"
            + "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d7"
            + "80280004c07d4c96");

    /** RFC 5769 §2.3 sample IPv6 response. */
    static final byte[] RESPONSE_V6 = hex(""
            + "010100482112a442b7e7a701bc34d686fa87dfae"
            + "8022000b7465737420766563746f7220"
            + "002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9"
            + "00080014a382954e4be67bf11784c97c8292c275bfe3ed41"
            + "80280004c8fb0b4c");

    @Test
    void rfc5769SampleRequestParsesAndVerifies() throws Exception {
        assertThat(REQUEST).hasSize(108);
        StunMessage m = StunMessage.parse(REQUEST, 0, REQUEST.length);
        assertThat(m.isBindingRequest()).isTrue();
        assertThat(m.transactionId()).isEqualTo(TX_ID);
        assertThat(m.software()).isEqualTo("STUN test client");
        assertThat(m.priority()).isEqualTo(0x6e0001ffL);
        assertThat(m.iceControlled()).isEqualTo(0x932ff9b151263b36L);
        assertThat(m.iceControlling()).isNull();
        assertThat(m.username()).isEqualTo("evtj:h6vY");
        assertThat(m.checkIntegrity(KEY)).isTrue();
        assertThat(m.checkFingerprint()).isTrue();
        assertThat(m.checkIntegrity(StunMessage.shortTermKey("wrong"))).isFalse();
    }

    @Test
    void rfc5769SampleRequestIsRebuiltByteForByte() {
        byte[] built = StunMessage.builder(StunMessage.BINDING_REQUEST, TX_ID).padding((byte) 0x20)
                .software("STUN test client").priority(0x6e0001ffL).iceControlled(0x932ff9b151263b36L)
                .username("evtj:h6vY").build(KEY, true);
        assertThat(HexFormat.of().formatHex(built)).isEqualTo(HexFormat.of().formatHex(REQUEST));
    }

    @Test
    void rfc5769Ipv4ResponseBothWays() throws Exception {
        StunMessage m = StunMessage.parse(RESPONSE_V4, 0, RESPONSE_V4.length);
        assertThat(m.type()).isEqualTo(StunMessage.BINDING_SUCCESS);
        assertThat(m.software()).isEqualTo("test vector");
        assertThat(m.xorMappedAddress()).isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
        assertThat(m.checkIntegrity(KEY)).isTrue();
        assertThat(m.checkFingerprint()).isTrue();

        byte[] built = StunMessage.builder(StunMessage.BINDING_SUCCESS, TX_ID).padding((byte) 0x20)
                .software("test vector").xorMappedAddress(m.xorMappedAddress()).build(KEY, true);
        assertThat(built).isEqualTo(RESPONSE_V4);
    }

    @Test
    void rfc5769Ipv6ResponseBothWays() throws Exception {
        StunMessage m = StunMessage.parse(RESPONSE_V6, 0, RESPONSE_V6.length);
        assertThat(m.xorMappedAddress()).isEqualTo(
                new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
        assertThat(m.checkIntegrity(KEY)).isTrue();
        assertThat(m.checkFingerprint()).isTrue();

        byte[] built = StunMessage.builder(StunMessage.BINDING_SUCCESS, TX_ID).padding((byte) 0x20)
                .software("test vector").xorMappedAddress(m.xorMappedAddress()).build(KEY, true);
        assertThat(built).isEqualTo(RESPONSE_V6);
    }

    @Test
    void flippedBitsBreakIntegrityAndFingerprint() throws Exception {
        byte[] copy = REQUEST.clone();
        copy[30] ^= 1; // inside SOFTWARE
        StunMessage m = StunMessage.parse(copy, 0, copy.length);
        assertThat(m.checkIntegrity(KEY)).isFalse();
        assertThat(m.checkFingerprint()).isFalse();
    }

    @Test
    void parsesAtAnOffset() throws Exception {
        byte[] padded = new byte[REQUEST.length + 7];
        System.arraycopy(REQUEST, 0, padded, 5, REQUEST.length);
        StunMessage m = StunMessage.parse(padded, 5, REQUEST.length);
        assertThat(m.checkIntegrity(KEY)).isTrue();
        assertThat(StunMessage.looksLikeStun(padded, 5, REQUEST.length)).isTrue();
    }

    @Test
    void useCandidateAndErrorCodeRoundTrip() throws Exception {
        byte[] req = StunMessage.builder(StunMessage.BINDING_REQUEST, TX_ID).username("a:b").useCandidate()
                .iceControlling(42).priority(0xFFFFFFFFL).build(KEY, true);
        StunMessage m = StunMessage.parse(req, 0, req.length);
        assertThat(m.useCandidate()).isTrue();
        assertThat(m.iceControlling()).isEqualTo(42L);
        assertThat(m.priority()).isEqualTo(0xFFFFFFFFL);
        assertThat(m.checkIntegrity(KEY)).isTrue();
        assertThat(m.checkFingerprint()).isTrue();

        byte[] err = StunMessage.builder(StunMessage.BINDING_ERROR, TX_ID).errorCode(401, "Unauthorized")
                .build(null, true);
        StunMessage e = StunMessage.parse(err, 0, err.length);
        assertThat(e.errorCode()).isEqualTo(401);
        assertThat(e.errorReason()).isEqualTo("Unauthorized");
        assertThat(e.hasIntegrity()).isFalse();
        assertThat(e.checkFingerprint()).isTrue();
    }

    @Test
    void unknownComprehensionRequiredAttributesAreReported() throws Exception {
        byte[] req = StunMessage.builder(StunMessage.BINDING_REQUEST, TX_ID).attribute(0x7777, new byte[3])
                .attribute(0xC001, new byte[2]).build();
        StunMessage m = StunMessage.parse(req, 0, req.length);
        assertThat(m.unknownRequiredAttributes()).containsExactly(0x7777);
    }

    // ---- hostile input ----

    @Test
    void rejectsEveryTruncation() {
        for (int len = 0; len < REQUEST.length; len++) {
            int n = len;
            assertThatThrownBy(() -> StunMessage.parse(REQUEST, 0, n)).isInstanceOf(StunException.class);
        }
    }

    @Test
    void rejectsWrongMessageLength() {
        byte[] copy = REQUEST.clone();
        copy[3] = (byte) 0x5c; // 4 more than the datagram
        assertThatThrownBy(() -> StunMessage.parse(copy, 0, copy.length)).isInstanceOf(StunException.class)
                .hasMessageContaining("does not match");
        copy[3] = (byte) 0x59; // not a multiple of 4
        assertThatThrownBy(() -> StunMessage.parse(copy, 0, copy.length)).hasMessageContaining("multiple of 4");
        byte[] longer = Arrays.copyOf(REQUEST, REQUEST.length + 4); // trailing bytes beyond the length
        assertThatThrownBy(() -> StunMessage.parse(longer, 0, longer.length)).hasMessageContaining("does not match");
    }

    @Test
    void rejectsAttributeLengthsThatOverrunOrAreWrong() {
        byte[] overrun = REQUEST.clone();
        overrun[22] = (byte) 0xFF; // SOFTWARE length 0xFF10
        assertThatThrownBy(() -> StunMessage.parse(overrun, 0, overrun.length)).isInstanceOf(StunException.class)
                .hasMessageContaining("overruns");

        byte[] badPriority = REQUEST.clone();
        badPriority[43] = 8; // PRIORITY with length 8 (eats the next attribute header)
        assertThatThrownBy(() -> StunMessage.parse(badPriority, 0, badPriority.length))
                .isInstanceOf(StunException.class).hasMessageContaining("expected 4");

        byte[] badIntegrity = REQUEST.clone();
        badIntegrity[79] = 0x10; // MESSAGE-INTEGRITY length 16
        assertThatThrownBy(() -> StunMessage.parse(badIntegrity, 0, badIntegrity.length))
                .isInstanceOf(StunException.class);
    }

    @Test
    void rejectsAttributeAfterFingerprintAndBadFamily() {
        byte[] after = StunMessage.builder(StunMessage.BINDING_REQUEST, TX_ID).build(null, true);
        byte[] extended = Arrays.copyOf(after, after.length + 4);
        extended[3] += 4; // a zero-length attribute 0x0000 after FINGERPRINT
        assertThatThrownBy(() -> StunMessage.parse(extended, 0, extended.length))
                .hasMessageContaining("after FINGERPRINT");

        byte[] v4 = RESPONSE_V4.clone();
        v4[41] = 3; // family 3
        assertThatThrownBy(() -> StunMessage.parse(v4, 0, v4.length)).hasMessageContaining("family");
    }

    @Test
    void rejectsNonStunHeaders() {
        byte[] noCookie = REQUEST.clone();
        noCookie[4] = 0;
        assertThatThrownBy(() -> StunMessage.parse(noCookie, 0, noCookie.length)).hasMessageContaining("cookie");
        byte[] topBits = REQUEST.clone();
        topBits[0] = (byte) 0x80;
        assertThatThrownBy(() -> StunMessage.parse(topBits, 0, topBits.length)).hasMessageContaining("top two bits");
        assertThatThrownBy(() -> StunMessage.parse(REQUEST, 100, 20)).hasMessageContaining("outside");
    }

    @Test
    void randomGarbageNeverEscapesAsAnotherException() {
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = REQUEST.clone();
            for (int k = 0; k < 1 + random.nextInt(6); k++) {
                b[20 + random.nextInt(b.length - 20)] = (byte) random.nextInt();
            }
            int len = random.nextInt(4) == 0 ? random.nextInt(b.length + 1) : b.length;
            try {
                StunMessage m = StunMessage.parse(b, 0, len);
                m.checkIntegrity(KEY);
                m.checkFingerprint();
            } catch (StunException expected) {
                // fine: a clear refusal
            }
        }
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }
}
