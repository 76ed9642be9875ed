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

    private List<Registration> flow(String contact, int expires, String callId, long cseq, int port, String instance, int regId) {
        return registrar.apply("k-1001", "acme.example", "1001",
                List.of(new Registrar.ContactUpdate(contact, expires, null, instance, regId)), callId, cseq,
                new InetSocketAddress("10.0.0.5", port), "tcp", "phone");
    }

    /** RFC 5626 §6: flows are keyed by (AOR, instance, reg-id), not by their (here identical) Contact. */
    @Test
    void flowsAreKeyedByInstanceAndRegId() {
        String contact = "sip:1001@10.0.0.5:5060;transport=tcp;ob";
        flow(contact, 60, "a", 1, 40001, "<urn:uuid:1>", 1);
        clock.advance(Duration.ofSeconds(1));
        flow(contact, 60, "b", 1, 40002, "<urn:uuid:1>", 2);
        clock.advance(Duration.ofSeconds(1));
        List<Registration> now = flow(contact, 60, "c", 1, 40003, "<urn:uuid:1>", 1); // flow 1 over a new connection
        assertThat(now).extracting(r -> r.source().getPort()).containsExactly(40003, 40002);
        assertThat(now).extracting(Registration::regId).containsExactly(1, 2);
        flow(contact, 60, "d", 1, 40004, "<urn:uuid:2>", 1); // another instance: a binding of its own
        apply(contact, 60, "e", 1); // no reg-id: keyed by its Contact, beside the flows
        assertThat(registrar.lookup("acme.example", "1001")).hasSize(4);
        flow(contact, 0, "f", 1, 40005, "<urn:uuid:1>", 2);
        assertThat(registrar.lookup("acme.example", "1001")).extracting(Registration::regId).containsExactlyInAnyOrder(1, 1, 0);
    }
}
