package dev.hotline.engine.webrtc;

import dev.hotline.engine.Engines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallHandler;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.DtmfSource;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.RecordFormat;
import dev.hotline.engine.call.RecordMode;
import dev.hotline.engine.call.Recording;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.call.WebRtcConnection;
import dev.hotline.engine.media.WavReader;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.ScriptedHandler;
import dev.hotline.engine.testing.Sipp;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's browser as a channel of the engine: a simulated browser ({@link BrowserSim}: real
 * UDP, ICE, DTLS, SRTP) holds one persistent connection; SIPp callers are dialled to it, bridged,
 * held, recorded; the browser reconnects mid-call and logs out.
 */
class WebRtcCallsTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration SIPP_TIMEOUT = Duration.ofSeconds(40);


    static TelephonyEngine engine;
    static ScriptedHandler handler;
    static int port;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path work;
    final List<BrowserSim> sims = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startEngine() throws IOException {
        handler = new ScriptedHandler();
        port = Ports.free();
        int rtp = Ports.free(200);
        EngineConfig config = EngineConfig.defaults().withBind("127.0.0.1", port).withDefaultDomain("test.local")
                .withRtpPorts(rtp, rtp + 199)
                .withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(1800));
        engine = Engines.start(config, (d, u) -> Optional.empty(), s -> InboundPolicy.Decision.TRUSTED, handler);
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @BeforeEach
    void reset() {
        handler.reset();
    }

    @AfterEach
    void closeSims() {
        sims.forEach(BrowserSim::close);
    }

    private BrowserSim browser(String key) throws Exception {
        BrowserSim sim = new BrowserSim();
        sims.add(sim);
        WebRtcConnection c = engine.webRtcConnect(key, sim.offer());
        assertThat(c.key()).isEqualTo(key);
        sim.connect(c.answerSdp());
        await().atMost(WAIT).until(c::connected);
        return sim;
    }

    private static Map<String, String> vars(String... kv) {
        return Sipp.vars(kv);
    }

    private Sipp.Run uac(String scenario, String service, Map<String, String> vars) throws IOException {
        return Sipp.start(work, scenario, vars, "127.0.0.1:" + port, Ports.free(),
                List.of("-s", service, "-mp", Integer.toString(Ports.free(4))));
    }

    private static CallEvent.ChannelHungUp awaitHangup(Channel c) {
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.ChannelHungUp.class, c.id()).isEmpty());
        return handler.events(CallEvent.ChannelHungUp.class, c.id()).get(0);
    }

    // ------------------------------------------------------------------------------------------------

    @Test
    void answerCarriesTheIceLiteDtlsPassiveAudio() throws Exception {
        try (BrowserSim sim = new BrowserSim()) {
            WebRtcConnection c = engine.webRtcConnect("sdp", sim.offer());
            String a = c.answerSdp();
            assertThat(a).contains("a=ice-lite", "a=setup:passive", "a=rtcp-mux", "a=group:BUNDLE 0", "a=mid:0",
                    "a=sendrecv", "a=fingerprint:sha-256 ", "a=rtpmap:0 PCMU/8000", "a=rtpmap:126 telephone-event/8000",
                    " typ host");
            assertThat(a).containsPattern("m=audio \\d+ UDP/TLS/RTP/SAVPF 0 126\r\n");
            assertThat(a).containsPattern("a=candidate:1 1 udp \\d+ 127\\.0\\.0\\.1 \\d+ typ host");
            assertThat(c.connected()).isFalse();
            assertThat(engine.webRtcConnection("sdp")).containsSame(c);
            engine.webRtcDisconnect("sdp");
            assertThat(engine.webRtcConnection("sdp")).isEmpty();
        }
        assertThatThrownBy(() -> engine.webRtcConnect("bad", "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no audio");
        assertThatThrownBy(() -> engine.webRtcConnect("bad", "hello"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("v=0");
        String plain = new BrowserSim().offer();
        assertThatThrownBy(() -> engine.webRtcConnect("bad", plain.replace("a=rtpmap:0 PCMU/8000\r\n", "")
                .replace("a=rtpmap:8 PCMA/8000\r\n", "").replace(" 0 8 13", " 13")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PCMU nor PCMA");
        assertThatThrownBy(() -> engine.webRtcConnect("bad", plain.replace("a=setup:actpass", "a=setup:passive")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("setup");
        assertThatThrownBy(() -> engine.webRtcConnect("bad", plain.replace("a=rtcp-mux\r\n", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rtcp-mux");
        assertThat(engine.webRtcConnection("bad")).isEmpty();
    }

    /**
     * (a) a SIPp caller is dialled to the browser, answered, bridged: media both ways and DTMF;
     * (b) the browser reconnects under the same key mid-call: the call goes on over the new connection;
     * (e) the agent logs out: the call ends.
     */
    @Test
    void sippCallerBridgedWithBrowserSurvivesReconnectAndEndsOnLogout() throws Exception {
        BrowserSim sim = browser("42");
        sim.startMedia();
        await().atMost(WAIT).until(() -> handler.events.stream().anyMatch(e -> e instanceof CallEvent.WebRtcConnectionChanged w
                && w.key().equals("42") && w.up()));
        Channel[] legs = new Channel[2];
        handler.onIncoming = c -> {
            legs[0] = c.channel();
            legs[1] = engine.dial(c.channel(), DialRequest.to(new Target.WebRtc("42")));
        };
        handler.onEvent = e -> {
            if (e instanceof CallEvent.ChannelRinging r && legs[1] != null && r.channelId().equals(legs[1].id())) {
                legs[1].answer(); // the agent clicks "answer"
            }
        };
        Sipp.Run run = uac("uac_wait_bye", "500", vars());
        await().atMost(WAIT).until(() -> legs[1] != null
                && !handler.events(CallEvent.ChannelBridged.class, legs[0].id()).isEmpty());
        Channel caller = legs[0];
        Channel agent = legs[1];
        assertThat(handler.events(CallEvent.ChannelRinging.class, agent.id())).hasSize(1);
        assertThat(handler.events(CallEvent.ChannelAnswered.class, agent.id())).hasSize(1);
        assertThat(handler.events(CallEvent.ChannelBridged.class, caller.id()).get(0).otherChannelId()).isEqualTo(agent.id());
        assertThat(agent.state()).isEqualTo(ChannelState.UP);
        assertThat(agent.bridgedWith()).containsSame(caller);
        assertThat(agent.callee().user()).isEqualTo("42");

        // SIPp's A-law reaches the browser as μ-law, decrypted; the browser's tone reaches SIPp.
        long got0 = sim.audioReceived.get();
        await().atMost(WAIT).until(() -> sim.audioReceived.get() > got0 + 25);
        assertThat(sim.lastPayloadType).isEqualTo(0);
        long toSipp0 = caller.counters().packetsOut();
        await().atMost(WAIT).until(() -> caller.counters().packetsOut() > toSipp0 + 25);
        assertThat(agent.counters().packetsIn()).isPositive();
        assertThat(sim.rejected.get()).isZero();

        // DTMF from the browser (RFC 4733 on its telephone-event/8000 type), reported once.
        sim.sendDtmf('5');
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.DtmfReceived.class, agent.id()).isEmpty());
        CallEvent.DtmfReceived key = handler.events(CallEvent.DtmfReceived.class, agent.id()).get(0);
        assertThat(key.digit()).isEqualTo('5');
        assertThat(key.source()).isEqualTo(DtmfSource.RFC4733);

        // DTMF to the browser: RFC 4733 events on its payload type.
        agent.sendDtmf("1");
        await().atMost(WAIT).until(() -> sim.lastPayloadType == BrowserSim.TELEPHONE_EVENT_PT);

        // (b) page reload: a new connection under the same key takes the call over.
        BrowserSim reloaded = browser("42");
        reloaded.startMedia();
        sim.stopMedia();
        long old = sim.rtpReceived.get();
        await().atMost(WAIT).until(() -> reloaded.audioReceived.get() > 25);
        long toSipp1 = caller.counters().packetsOut();
        await().atMost(WAIT).until(() -> caller.counters().packetsOut() > toSipp1 + 25);
        assertThat(sim.rtpReceived.get()).isLessThanOrEqualTo(old + 5); // the old connection is closed
        assertThat(handler.events(CallEvent.ChannelHungUp.class, agent.id())).isEmpty();
        assertThat(handler.events(CallEvent.ChannelHungUp.class, caller.id())).isEmpty();
        assertThat(agent.state()).isEqualTo(ChannelState.UP);
        reloaded.sendDtmf('7');
        await().atMost(WAIT).until(() -> handler.events(CallEvent.DtmfReceived.class, agent.id()).stream()
                .anyMatch(d -> d.digit() == '7'));

        // (e) logout: the call ends, SIPp gets its BYE.
        engine.webRtcDisconnect("42");
        assertThat(awaitHangup(agent).cause()).isEqualTo(HangupCause.NORMAL_CLEARING);
        awaitHangup(caller);
        assertThat(run.await(SIPP_TIMEOUT)).as(run.logs()).isZero();
        await().atMost(WAIT).until(() -> handler.events.stream().anyMatch(e -> e instanceof CallEvent.WebRtcConnectionChanged w
                && w.key().equals("42") && !w.up()));
    }

    /**
     * MEDIA-6 switch: one offer that lists Opus (as every browser's does) is answered with Opus while Opus is on, and
     * with G.711 once it is off; the browser that offers again then takes its next call in G.711 (no Opus anywhere).
     */
    @Test
    void opusSwitchedOffAnswersG711AndTheNextCallIsG711() throws Exception {
        BrowserSim sim = new BrowserSim();
        sims.add(sim);
        String offer = BrowserSim.withOpus(sim.offer());
        WebRtcConnection on = engine.webRtcConnect("opus-switch", offer, true);
        assertThat(on.codec()).isEqualTo("opus");
        assertThat(on.answerSdp()).containsPattern("m=audio \\d+ UDP/TLS/RTP/SAVPF 111 110\r\n")
                .contains("a=rtpmap:111 opus/48000/2", "a=rtpmap:110 telephone-event/48000").doesNotContain("PCMU");
        assertThat(engine.webRtcConnect("opus-default", offer).codec()).as("on unless said otherwise").isEqualTo("opus");
        engine.webRtcDisconnect("opus-default");

        // switched off: the same browser offers again (the desk is told to), the answer is G.711
        WebRtcConnection off = engine.webRtcConnect("opus-switch", offer, false);
        assertThat(off.codec()).isEqualTo("PCMU");
        assertThat(off.answerSdp()).containsPattern("m=audio \\d+ UDP/TLS/RTP/SAVPF 0 126\r\n")
                .contains("a=rtpmap:0 PCMU/8000", "a=rtpmap:126 telephone-event/8000").doesNotContain("opus");
        assertThatThrownBy(() -> engine.webRtcConnect("bad", offer.replaceAll("a=rtpmap:(0|8) PCM[UA]/8000\r\n", "")
                .replace(" 111 9 0 8 13", " 111 9 13"), false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Opus is switched off");
        sim.connect(off.answerSdp());
        await().atMost(WAIT).until(off::connected);
        sim.startMedia();

        // the next call: a SIPp caller (A-law) to the browser, which hears PCMU
        Channel[] legs = new Channel[2];
        handler.onIncoming = c -> {
            legs[0] = c.channel();
            legs[1] = engine.dial(c.channel(), DialRequest.to(new Target.WebRtc("opus-switch")));
        };
        handler.onEvent = e -> {
            if (e instanceof CallEvent.ChannelRinging r && legs[1] != null && r.channelId().equals(legs[1].id())) {
                legs[1].answer();
            }
        };
        Sipp.Run run = uac("uac_wait_bye", "500", vars());
        await().atMost(WAIT).until(() -> legs[1] != null && !handler.events(CallEvent.ChannelBridged.class, legs[0].id()).isEmpty());
        long got0 = sim.audioReceived.get();
        await().atMost(WAIT).until(() -> sim.audioReceived.get() > got0 + 25);
        assertThat(sim.lastPayloadType).isEqualTo(0);
        assertThat(sim.rejected.get()).isZero();
        long toSipp = legs[0].counters().packetsOut();
        await().atMost(WAIT).until(() -> legs[0].counters().packetsOut() > toSipp + 25);
        engine.webRtcDisconnect("opus-switch");
        awaitHangup(legs[1]);
        awaitHangup(legs[0]);
        assertThat(run.await(SIPP_TIMEOUT)).as(run.logs()).isZero();
    }

    /** (c) no connection: 480 at once; the agent rejects: CALL_REJECTED; nobody answers: NO_ANSWER. */
    @Test
    void dialFailures() throws Exception {
        handler.onIncoming = c -> engine.dial(c.channel(), DialRequest.to(new Target.WebRtc("nobody")));
        Sipp.Run run = uac("uac_fail", "501", vars("CODE", "480"));
        assertThat(run.await(SIPP_TIMEOUT)).as(run.logs()).isZero();

        Channel absent = engine.originate(DialRequest.to(new Target.WebRtc("nobody")));
        CallEvent.ChannelHungUp h = awaitHangup(absent);
        assertThat(h.cause()).isEqualTo(HangupCause.SUBSCRIBER_ABSENT);
        assertThat(h.sipStatus()).isEqualTo(480);

        browser("43");
        Channel rejected = engine.originate(DialRequest.to(new Target.WebRtc("43")));
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.ChannelRinging.class, rejected.id()).isEmpty());
        rejected.reject(603);
        assertThat(awaitHangup(rejected).cause()).isEqualTo(HangupCause.CALL_REJECTED);

        Channel unanswered = engine.originate(DialRequest.to(new Target.WebRtc("43")).withTimeout(Duration.ofSeconds(1)));
        assertThat(awaitHangup(unanswered).cause()).isEqualTo(HangupCause.NO_ANSWER);
        assertThat(engine.webRtcConnection("43").orElseThrow().connected()).isTrue(); // the connection stays
        engine.webRtcDisconnect("43");
    }

    /** (d) hold with music and a stereo recording on the browser channel; two calls share the connection. */
    @Test
    void holdRecordAndTwoCallsOnOneConnection() throws Exception {
        BrowserSim sim = browser("44");
        sim.startMedia();
        Channel first = engine.originate(DialRequest.to(new Target.WebRtc("44")));
        await().atMost(WAIT).until(() -> first.state() == ChannelState.RINGING);
        first.answer();
        await().atMost(WAIT).until(() -> first.state() == ChannelState.UP);
        Recording rec = first.record(work.resolve("agent.wav"), RecordFormat.PCM, RecordMode.STEREO);
        Path music = Files.createDirectories(work.resolve("moh"));
        short[] level = new short[8000];
        java.util.Arrays.fill(level, (short) 3000);
        writePcmWav(music.resolve("a.wav"), level);
        first.hold(music);
        long loud0 = sim.loudReceived.get();
        await().atMost(WAIT).until(() -> sim.loudReceived.get() > loud0 + 25); // the music reaches the browser
        first.unhold();
        long in0 = first.counters().packetsIn();
        await().atMost(WAIT).until(() -> first.counters().packetsIn() > in0 + 25);

        // A second (consult) call: once answered it is the active one; the first gets nothing.
        Channel second = engine.originate(DialRequest.to(new Target.WebRtc("44")));
        await().atMost(WAIT).until(() -> second.state() == ChannelState.RINGING);
        second.answer();
        await().atMost(WAIT).until(() -> second.state() == ChannelState.UP);
        long firstIn = first.counters().packetsIn();
        long secondIn = second.counters().packetsIn();
        await().atMost(WAIT).until(() -> second.counters().packetsIn() > secondIn + 25);
        assertThat(first.counters().packetsIn()).isLessThanOrEqualTo(firstIn + 3);
        // Holding the second makes the first active again.
        second.hold(music);
        long firstIn2 = first.counters().packetsIn();
        await().atMost(WAIT).until(() -> first.counters().packetsIn() > firstIn2 + 25);
        second.hangup(HangupCause.NORMAL_CLEARING);
        assertThat(awaitHangup(second).cause()).isEqualTo(HangupCause.NORMAL_CLEARING);

        rec.stop();
        await().atMost(WAIT).until(rec::finished);
        short[][] stereo = {WavReader.decode(rec.path()).channel(0), WavReader.decode(rec.path()).channel(1)};
        assertThat(rms(stereo[0])).as("the agent's voice (left)").isGreaterThan(1000);
        assertThat(rms(stereo[1])).as("the music the agent heard (right)").isGreaterThan(300);
        engine.webRtcDisconnect("44");
        assertThat(awaitHangup(first).cause()).isEqualTo(HangupCause.NORMAL_CLEARING);
    }

    static double rms(short[] s) {
        double sum = 0;
        for (short v : s) {
            sum += (double) v * v;
        }
        return s.length == 0 ? 0 : Math.sqrt(sum / s.length);
    }

    static void writePcmWav(Path file, short[] s) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * s.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * s.length).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(2 * s.length);
        for (short v : s) {
            b.putShort(v);
        }
        Files.write(file, b.array());
    }
}
