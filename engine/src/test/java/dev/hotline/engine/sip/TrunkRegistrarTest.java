package dev.hotline.engine.sip;

import dev.hotline.engine.Engines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallHandler;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.call.TrunkRegistration;
import dev.hotline.engine.call.TrunkRegistrationStatus;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registering trunks (PBX-2) against SIPp acting as the carrier's registrar. */
class TrunkRegistrarTest {
    @TempDir
    Path work;
    TelephonyEngine engine;

    @BeforeEach
    void start() throws Exception {
        int port = Ports.free();
        int rtp = Ports.free(16);
        engine = Engines.start(EngineConfig.defaults().withBind("127.0.0.1", port).withRtpPorts(rtp, rtp + 15),
                (d, u) -> Optional.empty(), s -> InboundPolicy.Decision.REJECT, new CallHandler() {
                    @Override
                    public void onIncomingCall(CallEvent.IncomingCall call) {
                        call.channel().reject(403);
                    }
                });
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    /** SIPp as the carrier's registrar, for one binding registered twice (first + refresh, or failure + retry). */
    Sipp.Run carrier(int port, String expires) throws Exception {
        Sipp.Run run = Sipp.start(work, "uas_registrar", Map.of("USER", "trunkuser", "PASS", "trunk-secret", "EXPIRES", expires),
                null, port, List.of());
        Sipp.awaitUdpBound(port);
        return run;
    }

    TrunkRegistrationStatus status() {
        return engine.trunkRegistrations().status().stream().filter(s -> s.key().equals("t1")).findFirst().orElseThrow();
    }

    @Test
    void registersWithDigestAndRefreshesBeforeExpiry() throws Exception {
        int port = Ports.free();
        Sipp.Run carrier = carrier(port, "2");
        engine.trunkRegistrations().configure(List.of(new TrunkRegistration("t1", "127.0.0.1", port, "udp", "trunkuser",
                "trunk-secret", "carrier.example", Duration.ofSeconds(60), Duration.ofMillis(200))));
        await().atMost(Duration.ofSeconds(10)).until(() -> status().state() == TrunkRegistrationStatus.State.REGISTERED);
        assertThat(status().expiresAt()).isNotNull();
        // The carrier granted 2 s: the engine refreshes at 1 s, so SIPp sees its second registration and ends cleanly.
        assertThat(carrier.await(Duration.ofSeconds(20))).as(carrier.logs()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> status().state() == TrunkRegistrationStatus.State.REGISTERED);
    }

    @Test
    void wrongSecretFailsAndIsRetriedWithBackOff() throws Exception {
        int port = Ports.free();
        Sipp.Run carrier = carrier(port, "60");
        engine.trunkRegistrations().configure(List.of(new TrunkRegistration("t1", "127.0.0.1", port, "udp", "trunkuser",
                "wrong-secret", "carrier.example", Duration.ofSeconds(60), Duration.ofMillis(300))));
        await().atMost(Duration.ofSeconds(10)).until(() -> status().state() == TrunkRegistrationStatus.State.FAILED);
        assertThat(status().detail()).contains("403");
        assertThat(status().nextAttemptAt()).isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> status().failures() >= 2);
        assertThat(carrier.await(Duration.ofSeconds(20))).as(carrier.logs()).isZero();
    }

    @Test
    void removedTrunksStopAndChangedOnesRestart() throws Exception {
        int port = Ports.free();
        Sipp.Run carrier = carrier(port, "60");
        TrunkRegistration first = new TrunkRegistration("t1", "127.0.0.1", Ports.free(), "udp", "trunkuser", "trunk-secret",
                "carrier.example", Duration.ofSeconds(60), Duration.ofSeconds(30));
        engine.trunkRegistrations().configure(List.of(first));
        assertThat(status().state()).isEqualTo(TrunkRegistrationStatus.State.REGISTERING);
        // The trunk moves to the carrier's real port: the registration restarts there and succeeds.
        engine.trunkRegistrations().configure(List.of(new TrunkRegistration("t1", "127.0.0.1", port, "udp", "trunkuser",
                "trunk-secret", "carrier.example", Duration.ofSeconds(60), Duration.ofSeconds(30))));
        await().atMost(Duration.ofSeconds(10)).until(() -> status().state() == TrunkRegistrationStatus.State.REGISTERED);
        carrier.kill();
        engine.trunkRegistrations().configure(List.of());
        assertThat(engine.trunkRegistrations().status()).isEmpty();
    }
}
