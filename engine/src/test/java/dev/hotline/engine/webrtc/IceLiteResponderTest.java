package dev.hotline.engine.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class IceLiteResponderTest {
    private static final String LOCAL_UFRAG = "hlUf";
    private static final String LOCAL_PWD = "hotlinePasswordOf22chr";
    private static final byte[] KEY = StunMessage.shortTermKey(LOCAL_PWD);
    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.2", 40002);

    private final IceLiteResponder ice = new IceLiteResponder(LOCAL_UFRAG, LOCAL_PWD);

    private static byte[] tx(int n) {
        byte[] t = new byte[12];
        t[11] = (byte) n;
        return t;
    }

    private static byte[] check(int n, String username, byte[] key, boolean useCandidate) {
        StunMessage.Builder b = StunMessage.builder(StunMessage.BINDING_REQUEST, tx(n)).username(username)
                .priority(1853824767L).iceControlling(0x1234L);
        if (useCandidate) {
            b.useCandidate();
        }
        return b.build(key, true);
    }

    private IceLiteResponder.Reply send(byte[] packet, InetSocketAddress from) {
        return ice.onStun(packet, 0, packet.length, from);
    }

    @Test
    void answersTheSourceAddressWithASignedSuccess() throws Exception {
        IceLiteResponder.Reply reply = send(check(1, "hlUf:brws", KEY, false), A);
        assertThat(reply.to()).isEqualTo(A);
        StunMessage r = StunMessage.parse(reply.data(), 0, reply.data().length);
        assertThat(r.type()).isEqualTo(StunMessage.BINDING_SUCCESS);
        assertThat(r.transactionId()).isEqualTo(tx(1));
        assertThat(r.xorMappedAddress()).isEqualTo(A);
        assertThat(r.checkIntegrity(KEY)).isTrue();
        assertThat(r.checkFingerprint()).isTrue();
        // The first valid check latches until a nomination.
        assertThat(ice.selectedAddress()).isEqualTo(A);
        assertThat(ice.isNominated()).isFalse();
    }

    @Test
    void useCandidateNominatesAndWinsOverTheFirstCheck() {
        send(check(1, "hlUf:brws", KEY, false), A);
        send(check(2, "hlUf:brws", KEY, false), B);
        assertThat(ice.selectedAddress()).isEqualTo(A);
        send(check(3, "hlUf:brws", KEY, true), B);
        assertThat(ice.selectedAddress()).isEqualTo(B);
        assertThat(ice.isNominated()).isTrue();
        // A later plain check (consent freshness) from elsewhere does not move the nominated pair.
        send(check(4, "hlUf:brws", KEY, false), A);
        assertThat(ice.selectedAddress()).isEqualTo(B);
    }

    @Test
    void badIntegrityGets401AndLatchesNothing() throws Exception {
        IceLiteResponder.Reply reply = send(check(1, "hlUf:brws", StunMessage.shortTermKey("wrong"), true), A);
        StunMessage r = StunMessage.parse(reply.data(), 0, reply.data().length);
        assertThat(r.type()).isEqualTo(StunMessage.BINDING_ERROR);
        assertThat(r.errorCode()).isEqualTo(401);
        assertThat(ice.selectedAddress()).isNull();
    }

    @Test
    void wrongUsernameGets401() throws Exception {
        IceLiteResponder.Reply reply = send(check(1, "other:brws", KEY, true), A);
        assertThat(StunMessage.parse(reply.data(), 0, reply.data().length).errorCode()).isEqualTo(401);
        ice.setRemoteUfrag("brws");
        reply = send(check(2, "hlUf:intruder", KEY, true), A);
        assertThat(StunMessage.parse(reply.data(), 0, reply.data().length).errorCode()).isEqualTo(401);
        assertThat(ice.selectedAddress()).isNull();
        assertThat(send(check(3, "hlUf:brws", KEY, true), A).to()).isEqualTo(A);
    }

    @Test
    void missingIntegrityGets400() throws Exception {
        byte[] req = StunMessage.builder(StunMessage.BINDING_REQUEST, tx(1)).username("hlUf:brws").build(null, true);
        IceLiteResponder.Reply reply = send(req, A);
        assertThat(StunMessage.parse(reply.data(), 0, reply.data().length).errorCode()).isEqualTo(400);
    }

    @Test
    void bothControlledGets487() throws Exception {
        byte[] req = StunMessage.builder(StunMessage.BINDING_REQUEST, tx(1)).username("hlUf:brws")
                .iceControlled(5).build(KEY, true);
        IceLiteResponder.Reply reply = send(req, A);
        StunMessage r = StunMessage.parse(reply.data(), 0, reply.data().length);
        assertThat(r.errorCode()).isEqualTo(487);
        assertThat(r.checkIntegrity(KEY)).isTrue();
    }

    @Test
    void dropsSilentlyWhatNeedsNoAnswer() {
        byte[] badFingerprint = check(1, "hlUf:brws", KEY, true);
        badFingerprint[badFingerprint.length - 1] ^= 1;
        assertThat(send(badFingerprint, A)).isNull();
        byte[] indication = StunMessage.builder(StunMessage.BINDING_INDICATION, tx(2)).build(null, true);
        assertThat(send(indication, A)).isNull();
        byte[] truncated = java.util.Arrays.copyOf(check(3, "hlUf:brws", KEY, true), 30);
        assertThat(send(truncated, A)).isNull();
        assertThat(ice.selectedAddress()).isNull();
    }
}
