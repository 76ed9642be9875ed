package dev.hotline.engine.sip;

import dev.hotline.engine.Engines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.CallHandler;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.CollectEnd;
import dev.hotline.engine.call.Conference;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.DtmfSource;
import dev.hotline.engine.call.EngineConfig;
import dev.hotline.engine.call.InboundPolicy;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.call.RecordFormat;
import dev.hotline.engine.call.RecordMode;
import dev.hotline.engine.call.Recording;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.media.Sox;
import dev.hotline.engine.media.WavReader;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.ScriptedHandler;
import dev.hotline.engine.testing.Sipp;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Media through the engine with SIPp peers over 127.0.0.1: prompts, DTMF, recording, hold, conferences. */
class SippMediaTest {
    static final Duration SIPP_TIMEOUT = Duration.ofSeconds(40);
    static final Duration WAIT = Duration.ofSeconds(20);


    static TelephonyEngine engine;
    static ScriptedHandler handler;
    static int port;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path work;

    @BeforeAll
    static void startEngine() throws Exception {
        Sipp.binary();
        handler = new ScriptedHandler();
        port = Ports.free();
        engine = startEngine(handler, port);
    }

    static TelephonyEngine startEngine(ScriptedHandler h, int sipPort) throws IOException {
        int rtp = Ports.free(200);
        EngineConfig config = EngineConfig.defaults().withBind("127.0.0.1", sipPort).withDefaultDomain("test.local")
                .withRtpPorts(rtp, rtp + 199)
                .withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(1800));
        TelephonyEngine e = Engines.start(config, (d, u) -> Optional.empty(),
                s -> InboundPolicy.Decision.TRUSTED, h);
        h.engine = e;
        return e;
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @BeforeEach
    void reset() {
        handler.events.clear();
        handler.onEvent = e -> { };
    }

    private static Map<String, String> vars(String... kv) {
        return Sipp.vars(kv);
    }

    private Sipp.Run uac(int enginePort, String scenario, String service, Map<String, String> vars) throws IOException {
        return Sipp.start(work, scenario, vars, "127.0.0.1:" + enginePort, Ports.free(),
                List.of("-s", service, "-mp", Integer.toString(Ports.free(4))));
    }

    private static void assertOk(Sipp.Run run) {
        assertThat(run.await(SIPP_TIMEOUT)).as(run.logs()).isZero();
    }

    /** A 1 kHz tone (not a DTMF frequency) of {@code ms} milliseconds. */
    static AudioClip tone(int ms) {
        short[] s = new short[ms * 8];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (8000 * Math.sin(2 * Math.PI * 1000 * i / 8000.0));
        }
        return AudioClip.of(s);
    }

    static double rms(short[] s, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) s[i] * s[i];
        }
        return to > from ? Math.sqrt(sum / (to - from)) : 0;
    }

    /** Reads a WAV the way a player would: javax.sound must accept header and data. */
    static AudioFormat readable(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        AudioFileFormat aff = AudioSystem.getAudioFileFormat(new ByteArrayInputStream(bytes));
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(bytes))) {
            long frames = in.getFrameLength();
            byte[] all = in.readAllBytes();
            assertThat((long) all.length).isEqualTo(frames * aff.getFormat().getFrameSize());
        }
        return aff.getFormat();
    }

    // ------------------------------------------------------------------------------------------------

    @Test
    void callerHearsPromptAndKeyIsReceivedOnce() throws Exception {
        AudioClip prompt = tone(800);
        handler.onIncoming = c -> {
            Channel ch = c.channel();
            ch.answer();
            ch.play(PlaybackRequest.of(prompt));
            ch.collectDigits(4, '#', Duration.ofSeconds(15), Duration.ofSeconds(1));
        };
        Sipp.Run run = uac(port, "uac_ivr", "100", vars("PAUSE", "1200", "AFTER", "1500",
                "DTMFPCAP", "/usr/share/sip-tester/dtmf_2833_1.pcap"));
        assertOk(run);
        String ch = handler.events(CallEvent.IncomingCall.class).get(0).channelId();
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.DigitsCollected.class, ch).isEmpty());
        List<CallEvent.DtmfReceived> keys = handler.events(CallEvent.DtmfReceived.class, ch);
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).digit()).isEqualTo('1');
        assertThat(keys.get(0).source()).isEqualTo(DtmfSource.RFC4733);
        CallEvent.DigitsCollected got = handler.events(CallEvent.DigitsCollected.class, ch).get(0);
        assertThat(got.digits()).isEqualTo("1");
        assertThat(got.end()).isIn(CollectEnd.INTER_DIGIT_TIMEOUT, CollectEnd.HANGUP);
        List<CallEvent.PlaybackFinished> played = handler.events(CallEvent.PlaybackFinished.class, ch);
        assertThat(played).hasSize(1);
        assertThat(played.get(0).completed()).isTrue();
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.ChannelHungUp.class, ch).isEmpty());
    }

    @Test
    void sipInfoKeyIsReceivedAndStopsABargeInPrompt() throws Exception {
        handler.onIncoming = c -> {
            c.channel().answer();
            c.channel().play(PlaybackRequest.of(tone(10_000)).withBargeIn());
        };
        Sipp.Run run = uac(port, "uac_info", "102", vars("PAUSE", "600", "AFTER", "600", "KEY", "7"));
        assertOk(run);
        String ch = handler.events(CallEvent.IncomingCall.class).get(0).channelId();
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.PlaybackFinished.class, ch).isEmpty());
        List<CallEvent.DtmfReceived> keys = handler.events(CallEvent.DtmfReceived.class, ch);
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).digit()).isEqualTo('7');
        assertThat(keys.get(0).source()).isEqualTo(DtmfSource.SIP_INFO);
        assertThat(handler.events(CallEvent.PlaybackFinished.class, ch).get(0).completed()).isFalse();
    }

    @Test
    void supervisorListensThenBargesIntoABridgedCall() throws Exception {
        int uasPort = Ports.free();
        Sipp.Run uas = Sipp.start(work, "uas_answer", vars(), null, uasPort,
                List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4))));
        Sipp.awaitUdpBound(uasPort);
        List<Channel> supervisors = new CopyOnWriteArrayList<>();
        handler.onIncoming = c -> {
            if (c.callee().user().equals("sup")) {
                supervisors.add(c.channel());
                c.channel().answer();
            } else {
                handler.engine.dial(c.channel(), DialRequest.to(Target.Uri.udp("9000", "127.0.0.1", uasPort)));
            }
        };
        Sipp.Run caller = uac(port, "uac_call", "9000", vars("PAUSE", "5000"));
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.ChannelBridged.class).isEmpty());
        Sipp.Run sup = uac(port, "uac_ivr", "sup", vars("PAUSE", "3000", "AFTER", "100",
                "DTMFPCAP", "/usr/share/sip-tester/dtmf_2833_5.pcap"));
        await().atMost(WAIT).until(() -> !supervisors.isEmpty() && supervisors.get(0).state().isAnswered());
        CallEvent.ChannelBridged b = handler.events(CallEvent.ChannelBridged.class).get(0);
        Channel customer = engine.channel(b.channelId()).orElseThrow();
        Channel agent = engine.channel(b.otherChannelId()).orElseThrow();
        Channel supervisor = supervisors.get(0);
        Recording heard = supervisor.record(work.resolve("sup.wav"), RecordFormat.PCM, RecordMode.STEREO);
        dev.hotline.engine.call.Tap tap = engine.tap(agent, supervisor, dev.hotline.engine.call.TapMode.LISTEN);
        long customerOut = customer.counters().packetsOut();
        await().atMost(WAIT).until(() -> heard.duration().toMillis() > 1000);
        tap.mode(dev.hotline.engine.call.TapMode.BARGE);
        // the bridge is now mixed by the clock and still reaches the customer
        await().atMost(WAIT).until(() -> customer.counters().packetsOut() > customerOut + 40);
        tap.stop();
        assertOk(sup);
        assertOk(caller);
        assertOk(uas);
        await().atMost(WAIT).until(heard::finished);
        short[] supHears = WavReader.decode(heard.path()).channel(1);
        assertThat(rms(supHears, 0, supHears.length)).as("supervisor hears the call").isGreaterThan(100);
    }

    @Test
    void promptPacketsReachTheCaller() throws Exception {
        AudioClip prompt = tone(1000);
        List<Channel> calls = new CopyOnWriteArrayList<>();
        handler.onIncoming = c -> {
            calls.add(c.channel());
            c.channel().answer();
            c.channel().play(PlaybackRequest.of(prompt));
        };
        Sipp.Run run = uac(port, "uac_ivr", "101", vars("PAUSE", "1500", "AFTER", "200",
                "DTMFPCAP", "/usr/share/sip-tester/dtmf_2833_5.pcap"));
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.PlaybackFinished.class).isEmpty());
        Channel ch = calls.get(0);
        // 1 s of prompt = 50 packets of 20 ms, sent by the engine's media clock
        assertThat(ch.counters().packetsOut()).isGreaterThanOrEqualTo(50);
        assertOk(run);
    }

    @Test
    void recordedBridgedCallLastsAsLongAsTheCall() throws Exception {
        int uasPort = Ports.free();
        Sipp.Run uas = Sipp.start(work, "uas_answer", vars(), null, uasPort,
                List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4))));
        Sipp.awaitUdpBound(uasPort);
        Path file = work.resolve("rec/bridged.wav");
        List<Recording> recs = new CopyOnWriteArrayList<>();
        handler.onIncoming = c -> handler.engine.dial(c.channel(),
                DialRequest.to(Target.Uri.udp("9000", "127.0.0.1", uasPort)));
        handler.onEvent = e -> {
            if (e instanceof CallEvent.ChannelBridged b) {
                recs.add(handler.engine.channel(b.channelId()).orElseThrow().record(file, RecordFormat.PCM, RecordMode.STEREO));
            }
        };
        Sipp.Run uac = uac(port, "uac_call", "9000", vars("PAUSE", "3000"));
        assertOk(uac);
        assertOk(uas);
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.RecordingFinished.class).isEmpty());
        CallEvent.ChannelBridged bridged = handler.events(CallEvent.ChannelBridged.class).get(0);
        CallEvent.ChannelHungUp hung = handler.events(CallEvent.ChannelHungUp.class, bridged.channelId()).get(0);
        CallEvent.RecordingFinished done = handler.events(CallEvent.RecordingFinished.class).get(0);
        long callMs = Duration.between(bridged.at(), hung.at()).toMillis();
        assertThat(done.path()).isEqualTo(file);
        assertThat(done.duration().toMillis()).as("recording vs call %d ms", callMs).isCloseTo(callMs,
                org.assertj.core.data.Offset.offset(100L));
        AudioFormat fmt = readable(file);
        assertThat(fmt.getChannels()).isEqualTo(2);
        assertThat(Sox.info(file)).contains("Channels       : 2");
        WavReader.Pcm pcm = WavReader.decode(file);
        short[] caller = pcm.channel(0);
        short[] echoed = pcm.channel(1);
        assertThat((long) pcm.frames() / 8).isCloseTo(callMs, org.assertj.core.data.Offset.offset(100L));
        // the caller's pcap audio on the left, SIPp's echo of it (as relayed to the caller) on the right
        assertThat(rms(caller, 0, caller.length)).isGreaterThan(100);
        assertThat(rms(echoed, 0, echoed.length)).isGreaterThan(100);
    }

    @Test
    void threePartyConferenceEachHearsTheOthers() throws Exception {
        Conference conf = engine.createConference("room 1");
        List<Channel> joined = new CopyOnWriteArrayList<>();
        Map<String, Recording> heard = new java.util.concurrent.ConcurrentHashMap<>();
        handler.onIncoming = c -> c.channel().answer();
        handler.onEvent = e -> {
            if (e instanceof CallEvent.ChannelAnswered a) {
                Channel ch = engine.channel(a.channelId()).orElseThrow();
                heard.put(ch.id(), ch.record(work.resolve(ch.id() + ".wav"), RecordFormat.PCM, RecordMode.STEREO));
                conf.add(ch);
                joined.add(ch);
            }
        };
        Recording room = conf.record(work.resolve("room.wav"), RecordFormat.ULAW);
        List<Sipp.Run> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(uac(port, "uac_call", "300", vars("PAUSE", "3000", "FROM", "10" + i)));
        }
        await().atMost(WAIT).until(() -> conf.participants().size() == 3);
        for (Sipp.Run r : runs) {
            assertOk(r);
        }
        await().atMost(WAIT).until(() -> handler.events(CallEvent.RecordingFinished.class).size() == 3);
        assertThat(handler.events(CallEvent.ConferenceJoined.class)).hasSize(3);
        await().atMost(WAIT).until(() -> handler.events(CallEvent.ConferenceLeft.class).size() == 3);
        for (Channel ch : joined) {
            assertThat(ch.counters().packetsOut()).as("mixed packets sent to " + ch.id()).isGreaterThan(50);
            WavReader.Pcm pcm = WavReader.decode(heard.get(ch.id()).path());
            short[] hears = pcm.channel(1);
            assertThat(rms(hears, 0, hears.length)).as("what " + ch.id() + " hears").isGreaterThan(100);
        }
        room.stop();
        conf.close();
        await().atMost(WAIT).until(room::finished);
        assertThat(readable(room.path()).getEncoding()).isEqualTo(AudioFormat.Encoding.ULAW);
        WavReader.Pcm roomPcm = WavReader.decode(room.path());
        assertThat(rms(roomPcm.mono(), 0, roomPcm.frames())).isGreaterThan(100);
    }

    @Test
    void holdPlaysMusicContinuingWhereItStopped() throws Exception {
        Path music = Files.createDirectories(work.resolve("moh"));
        short[] ramp = new short[8000 * 10];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (short) (1 + i % 20000);
        }
        writePcmWav(music.resolve("a.wav"), ramp);
        List<Channel> calls = new CopyOnWriteArrayList<>();
        handler.onIncoming = c -> {
            calls.add(c.channel());
            c.channel().answer();
        };
        Sipp.Run run = uac(port, "uac_call", "400", vars("PAUSE", "4000"));
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.ChannelAnswered.class).isEmpty());
        Channel ch = calls.get(0);
        Recording rec = ch.record(work.resolve("hold.wav"), RecordFormat.PCM, RecordMode.STEREO);
        ch.hold(music);
        assertThat(ch.musicOnHold()).isTrue();
        long out0 = ch.counters().packetsOut();
        await().atMost(WAIT).until(() -> ch.counters().packetsOut() >= out0 + 25);
        ch.unhold();
        Duration at = rec.duration();
        await().atMost(WAIT).until(() -> rec.duration().compareTo(at.plusMillis(400)) > 0);
        long out1 = ch.counters().packetsOut();
        ch.hold(music);
        await().atMost(WAIT).until(() -> ch.counters().packetsOut() >= out1 + 25);
        ch.unhold();
        assertOk(run);
        await().atMost(WAIT).until(rec::finished);
        short[] heard = WavReader.decode(rec.path()).channel(1);
        // two spans of music separated by silence; the second starts where the first stopped
        List<int[]> spans = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= heard.length; i++) {
            boolean on = i < heard.length && heard[i] != 0;
            if (on && start < 0) {
                start = i;
            } else if (!on && start >= 0) {
                spans.add(new int[] {start, i});
                start = -1;
            }
        }
        assertThat(spans).hasSize(2);
        int lastOfFirst = heard[spans.get(0)[1] - 1];
        int firstOfSecond = heard[spans.get(1)[0]];
        assertThat(heard[spans.get(0)[0]]).isEqualTo((short) 1);
        assertThat(firstOfSecond).isEqualTo(lastOfFirst % 20000 + 1);
    }

    @Test
    void recordingSurvivesAKilledCallerAndTheEngineClosing() throws Exception {
        ScriptedHandler h = new ScriptedHandler();
        int sipPort = Ports.free();
        TelephonyEngine own = startEngine(h, sipPort);
        try {
            Path file = work.resolve("killed.wav");
            List<Recording> recs = new CopyOnWriteArrayList<>();
            h.onIncoming = c -> {
                c.channel().answer();
                recs.add(c.channel().record(file, RecordFormat.GSM, RecordMode.MONO));
                c.channel().play(PlaybackRequest.of(tone(500)).looping());
            };
            Sipp.Run run = uac(sipPort, "uac_call", "500", vars("PAUSE", "30000"));
            await().atMost(WAIT).until(() -> !recs.isEmpty() && recs.get(0).duration().toMillis() > 2500);
            run.kill();
            await().atMost(WAIT).until(() -> !run.isAlive());
            // mid-recording, the file on disk is already a complete WAV (javax.sound has no GSM: sox and our reader)
            assertThat(Sox.info(file)).contains("GSM");
            assertThat(WavReader.decode(file).frames()).isGreaterThan(8000);
            own.close();
            assertThat(recs.get(0).finished()).isTrue();
            assertThat(Sox.info(file)).contains("GSM").contains("Duration");
            assertThat(WavReader.decode(file).frames()).isGreaterThan(8000 * 2);
        } finally {
            own.close();
        }
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
