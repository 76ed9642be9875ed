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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls the engine answers itself (a queue or IVR: {@code Channel.answer()}, no bridge). RFC 3261 §13.3.1.4:
 * the 2xx is retransmitted until the ACK comes, and not once after it, however soon the ACK follows the 200.
 */
class SippLocalAnswerTest {
    static final String DOMAIN = "test.local";
    /** Longer than T1 (500 ms), the first 2xx retransmission after an ignored ACK. */
    static final String WINDOW = "1200";

    static TelephonyEngine engine;
    static TestCallHandler handler;
    static int port;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path work;

    @BeforeAll
    static void startEngine() throws Exception {
        Sipp.binary();
        port = Ports.free();
        int rtp = Ports.free(400);
        handler = new TestCallHandler(DOMAIN);
        EngineConfig config = EngineConfig.defaults().withBind("127.0.0.1", port).withDefaultDomain(DOMAIN)
                .withRtpPorts(rtp, rtp + 399).withAuthThrottle(1000, Duration.ofMinutes(1), Duration.ofMinutes(1))
                .withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(1800));
        engine = Engines.start(config, (domain, user) -> Optional.empty(), s -> InboundPolicy.Decision.TRUSTED,
                handler);
        handler.engine = engine;
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @BeforeEach
    void reset() {
        handler.clear();
    }

    private Sipp.Run caller(String scenario, String service, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("-s", service, "-mp", Integer.toString(Ports.free(4)),
                "-nr", "-trace_counts", "-trace_stat", "-fd", "1"));
        args.addAll(List.of(extra));
        return Sipp.start(work, scenario, Map.of("CODEC", "8", "CODECNAME", "PCMA", "FROM", "0551234",
                "WINDOW", WINDOW), "127.0.0.1:" + port, Ports.free(), args);
    }

    /** A cumulative counter of SIPp's {@code -trace_counts} file, e.g. {@code 6_200_Recv} (message index 6). */
    private long count(String scenario, String column) throws Exception {
        Path csv;
        try (Stream<Path> files = Files.list(work)) {
            csv = files.filter(f -> f.getFileName().toString().matches(scenario + "-\\d+_\\d+_counts\\.csv"))
                    .findFirst().orElseThrow(() -> new AssertionError("no -trace_counts file of " + scenario));
        }
        List<String> lines = Files.readAllLines(csv);
        List<String> names = List.of(lines.get(0).split(";"));
        String[] last = lines.get(lines.size() - 1).split(";");
        int i = names.indexOf(column);
        assertThat(i).as("column %s in %s", column, names).isNotNegative();
        return Long.parseLong(last[i].trim());
    }

    private void awaitAllCleared(int calls) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<CallEvent.IncomingCall> in = handler.events(CallEvent.IncomingCall.class);
            assertThat(in).hasSize(calls);
            assertThat(handler.events(CallEvent.ChannelAnswered.class)).hasSize(calls);
            assertThat(handler.events(CallEvent.ChannelHungUp.class)).hasSize(calls)
                    .allSatisfy(h -> assertThat(h.cause()).isEqualTo(HangupCause.NORMAL_CLEARING));
        });
    }

    @Test
    void ackRightAfterTheLocalAnswerStopsThe2xxUnderLoad() throws Exception {
        handler.answerLocally.add("queue");
        int calls = 200;
        Sipp.Run run = caller("uac_answered_once", "queue", "-m", Integer.toString(calls), "-r", "50", "-l", "200",
                "-timeout", "60");
        int code = run.await(Duration.ofSeconds(90));
        assertThat(code).as("a 200 OK retransmitted after its ACK fails a call\n" + run.logs()).isZero();
        assertThat(count("uac_answered_once", "4_200_Recv")).as("answered").isEqualTo(calls);
        assertThat(count("uac_answered_once", "6_200_Recv")).as("200 OK retransmitted after the ACK").isZero();
        awaitAllCleared(calls);
    }

    @Test
    void lostAckGetsThe2xxRetransmittedAndTheLateAckSetsTheCallUp() throws Exception {
        handler.answerLocally.add("queue");
        Sipp.Run run = caller("uac_late_ack", "queue", "-m", "3", "-r", "10");
        int code = run.await(Duration.ofSeconds(40));
        assertThat(code).as(run.logs()).isZero();
        assertThat(count("uac_late_ack", "5_200_Recv")).as("200 OK retransmitted while the ACK is missing").isEqualTo(3);
        assertThat(count("uac_late_ack", "7_200_Recv")).as("200 OK retransmitted after the late ACK").isZero();
        awaitAllCleared(3);
    }
}
