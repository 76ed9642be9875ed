package dev.hotline.engine.sip;

import dev.hotline.engine.Engines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.Sipp;
import dev.hotline.engine.testing.TestCallHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** A call whose peers send no media is torn down on both legs by the RTP timeout, so no leg leaks. */
class MediaTimeoutTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    @Test
    void silentCallIsHungUpOnBothLegs() throws Exception {
        int port = Ports.free();
        int rtp = Ports.free(40);
        TestCallHandler handler = new TestCallHandler("t.local");
        EngineConfig config = EngineConfig.defaults().withBind("127.0.0.1", port).withRtpPorts(rtp, rtp + 39)
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(1800));
        try (TelephonyEngine engine = Engines.start(config, (d, u) -> Optional.empty(),
                s -> InboundPolicy.Decision.TRUSTED, handler)) {
            handler.engine = engine;
            int uasPort = Ports.free();
            handler.routes.put("9100", uasPort);
            Map<String, String> vars = Map.of("CODEC", "0", "CODECNAME", "PCMU", "FROM", "0551234", "FROMCHECK", "sip:");
            Sipp.Run callee = Sipp.start(work, "uas_answer", vars, null, uasPort, List.of("-mp", Integer.toString(Ports.free(4))));
            Sipp.awaitUdpBound(uasPort);
            Sipp.Run caller = Sipp.start(work, "uac_silent_wait_bye", vars, "127.0.0.1:" + port, Ports.free(),
                    List.of("-s", "9100", "-mp", Integer.toString(Ports.free(4))));
            assertThat(caller.await(Duration.ofSeconds(20))).as(caller.logs()).isZero();
            assertThat(callee.await(Duration.ofSeconds(20))).as(callee.logs()).isZero();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(handler.events(CallEvent.ChannelHungUp.class))
                    .hasSize(2).extracting(CallEvent.ChannelHungUp::cause).contains(HangupCause.MEDIA_TIMEOUT));
            assertThat(engine.channels()).isEmpty();
        }
    }
}
