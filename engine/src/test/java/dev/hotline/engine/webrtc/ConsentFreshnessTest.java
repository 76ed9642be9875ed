package dev.hotline.engine.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** RFC 7675 consent on an ICE-lite agent: checks on the selected pair or authenticated media keep it; 30 s without both end it. */
class ConsentFreshnessTest {
    static final long S = 1_000_000_000L;
    static final long T0 = 1_000 * S;

    @Test
    void expiresThirtySecondsAfterTheLastCheckOrMedia() {
        ConsentFreshness c = new ConsentFreshness(T0);
        assertThat(ConsentFreshness.TIMEOUT).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.expired(T0 + 29 * S)).isFalse();
        assertThat(c.expired(T0 + 31 * S)).as("a connection set up and never used").isTrue();

        c.checkAnswered(T0 + 20 * S);
        assertThat(c.expired(T0 + 49 * S)).isFalse();
        assertThat(c.silentFor(T0 + 49 * S)).isEqualTo(Duration.ofSeconds(29));
        assertThat(c.expired(T0 + 51 * S)).isTrue();

        // Media alone (checks stopped) still counts, as does a check alone (media on hold).
        c.mediaReceived(T0 + 45 * S);
        assertThat(c.expired(T0 + 74 * S)).isFalse();
        assertThat(c.expired(T0 + 76 * S)).isTrue();
        c.checkAnswered(T0 + 80 * S);
        assertThat(c.expired(T0 + 100 * S)).isFalse();
        assertThat(c.checks()).isEqualTo(2);
    }

    @Test
    void refusesANonPositiveTimeout() {
        assertThatThrownBy(() -> new ConsentFreshness(T0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The responder grants consent only for a success on the selected pair: never for errors or checks of other pairs. */
    @Test
    void onlySuccessOnTheSelectedPairGrantsConsent() {
        String pwd = "hotlinePasswordOf22chr";
        byte[] key = StunMessage.shortTermKey(pwd);
        IceLiteResponder ice = new IceLiteResponder("hlUf", pwd);
        InetSocketAddress relay = new InetSocketAddress("127.0.0.1", 50000);
        InetSocketAddress other = new InetSocketAddress("127.0.0.1", 50002);
        assertThat(reply(ice, check(1, "hlUf:b", key, true), relay).consent()).isTrue();
        assertThat(reply(ice, check(2, "hlUf:b", key, false), relay).consent()).as("a later consent check").isTrue();
        assertThat(reply(ice, check(3, "hlUf:b", key, false), other).consent()).as("another pair's check").isFalse();
        assertThat(reply(ice, check(4, "hlUf:b", StunMessage.shortTermKey("wrong"), false), relay).consent()).isFalse();
    }

    private static IceLiteResponder.Reply reply(IceLiteResponder ice, byte[] p, InetSocketAddress from) {
        return ice.onStun(p, 0, p.length, from);
    }

    private static byte[] check(int n, String username, byte[] key, boolean nominate) {
        byte[] tx = new byte[12];
        tx[11] = (byte) n;
        StunMessage.Builder b = StunMessage.builder(StunMessage.BINDING_REQUEST, tx).username(username)
                .priority(1853824767L).iceControlling(7L);
        if (nominate) {
            b.useCandidate();
        }
        return b.build(key, true);
    }
}
