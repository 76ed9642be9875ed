package dev.hotline.engine.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.call.Registration;
import dev.hotline.engine.testing.MutableClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistrarTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final Registrar registrar = new Registrar(clock);
    final InetSocketAddress src = new InetSocketAddress("10.0.0.5", 5060);

    private List<Registration> apply(String contact, int expires, String callId, long cseq) {
        return registrar.apply("k-1001", "acme.example", "1001",
                List.of(new Registrar.ContactUpdate(contact, expires)), callId, cseq, src, "udp", "phone");
    }

    @Test
    void severalContactsExpireAndRefresh() {
        apply("sip:1001@10.0.0.5:5060", 60, "a", 1);
        apply("sip:1001@10.0.0.6:5060", 120, "b", 1);
        assertThat(registrar.lookup("ACME.example", "1001")).extracting(Registration::contact)
                .containsExactly("sip:1001@10.0.0.6:5060", "sip:1001@10.0.0.5:5060");
        clock.advance(Duration.ofSeconds(61));
        assertThat(registrar.lookup("acme.example", "1001")).extracting(Registration::contact)
                .containsExactly("sip:1001@10.0.0.6:5060");
        apply("sip:1001@10.0.0.6:5060", 120, "b", 2); // refresh
        clock.advance(Duration.ofSeconds(100));
        assertThat(registrar.isRegistered("acme.example", "1001")).isTrue();
        assertThat(registrar.all()).hasSize(1);
        registrar.purgeExpired();
        assertThat(registrar.all()).hasSize(1);
    }

    @Test
    void expiresZeroRemovesAndWildcardRemovesAll() {
        apply("sip:1001@10.0.0.5:5060", 60, "a", 1);
        apply("sip:1001@10.0.0.6:5060", 60, "b", 1);
        apply("sip:1001@10.0.0.5:5060", 0, "a", 2);
        assertThat(registrar.lookup("acme.example", "1001")).hasSize(1);
        registrar.removeAll("acme.example", "1001");
        assertThat(registrar.isRegistered("acme.example", "1001")).isFalse();
    }

    @Test
    void anOutOfOrderRequestOfTheSameCallIdIsIgnored() {
        apply("sip:1001@10.0.0.5:5060", 60, "a", 5);
        apply("sip:1001@10.0.0.5:5060", 0, "a", 4); // RFC 3261 §10.3 step 7
        assertThat(registrar.isRegistered("acme.example", "1001")).isTrue();
    }
}
