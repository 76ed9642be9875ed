package dev.hotline.engine.sip;

import static dev.hotline.engine.sip.SippMediaTest.rms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.Channel;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.DialRequest;
import dev.hotline.engine.call.HangupCause;
import dev.hotline.engine.call.PeerHangup;
import dev.hotline.engine.call.PlaybackRequest;
import dev.hotline.engine.call.RecordFormat;
import dev.hotline.engine.call.RecordMode;
import dev.hotline.engine.call.Recording;
import dev.hotline.engine.call.Target;
import dev.hotline.engine.call.TelephonyEngine;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.media.WavReader;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.testing.ScriptedHandler;
import dev.hotline.engine.testing.Sipp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TelephonyEngine#bridge} and {@link TelephonyEngine#unbridge} with SIPp peers over 127.0.0.1:
 * a caller waiting with music is bridged with an agent leg placed by {@code originate} (a SIPp UAS
 * echoing RTP), the way the ACD connects a queued call.
 */
class SippBridgeTest {
    static final Duration SIPP_TIMEOUT = Duration.ofSeconds(40);
    static final Duration WAIT = Duration.ofSeconds(20);
    /** What the "music" plays: a constant sample, told apart from relayed speech in a recording. */
    static final short MUSIC_LEVEL = 1000;

    static TelephonyEngine engine;
    static ScriptedHandler handler;
    static int port;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path work;

    /** Inbound channels answered by the handler, in arrival order. */
    final List<Channel> callers = new CopyOnWriteArrayList<>();
    /** Errors thrown by engine calls made inside the handler. */
    final List<Throwable> handlerErrors = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startEngine() throws Exception {
        Sipp.binary();
        handler = new ScriptedHandler();
        port = Ports.free();
        engine = SippMediaTest.startEngine(handler, port);
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

    private static Map<String, String> vars(String... kv) {
        Map<String, String> m = Sipp.vars(kv);
        m.putIfAbsent("ENGINE", "127.0.0.1:" + port);
        return m;
    }

    private Sipp.Run uac(String scenario, String service, Map<String, String> vars) throws IOException {
        return Sipp.start(work, scenario, vars, "127.0.0.1:" + port, Ports.free(),
                List.of("-s", service, "-mp", Integer.toString(Ports.free(4))));
    }

    /** A SIPp callee that echoes all RTP it receives (the "agent"). */
    private Sipp.Run agentUas(String scenario, int sipPort, Map<String, String> vars) throws IOException {
        Sipp.Run run = Sipp.start(work, scenario, vars, null, sipPort,
                List.of("-rtp_echo", "-mp", Integer.toString(Ports.free(4))));
        Sipp.awaitUdpBound(sipPort);
        return run;
    }

    private static Channel originate(int uasPort) {
        return engine.originate(DialRequest.to(Target.Uri.udp("agent", "127.0.0.1", uasPort)));
    }

    private static void assertOk(Sipp.Run run) {
        assertThat(run.await(SIPP_TIMEOUT)).as(run.logs()).isZero();
    }

    /** Queue "music": a looping clip of one constant sample value. */
    private static PlaybackRequest music() {
        short[] s = new short[8000];
        Arrays.fill(s, MUSIC_LEVEL);
        return PlaybackRequest.of(AudioClip.of(s)).looping();
    }

    /** Answers every incoming call and plays music to it. */
    private void answerWithMusic() {
        handler.onIncoming = c -> {
            c.channel().answer();
            c.channel().play(music());
            callers.add(c.channel());
        };
    }

    private static void awaitUp(Channel... channels) {
        for (Channel c : channels) {
            await().atMost(WAIT).until(() -> c.state() == ChannelState.UP);
        }
    }

    private static CallEvent.ChannelHungUp awaitHangup(Channel c) {
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.ChannelHungUp.class, c.id()).isEmpty());
        return handler.events(CallEvent.ChannelHungUp.class, c.id()).get(0);
    }

    /** Waits until packets flow both ways through the relay between {@code caller} and the echoing agent. */
    private static void awaitRelayBothWays(Channel caller, Channel agent, long callerOutBefore) {
        // caller → agent: only the relay sends to the agent leg; agent → caller: the echo, relayed
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(agent.counters().packetsOut()).as("relayed to the agent").isGreaterThanOrEqualTo(40);
            assertThat(agent.counters().packetsIn()).as("echoed by the agent").isGreaterThanOrEqualTo(40);
            assertThat(caller.counters().packetsOut() - callerOutBefore).as("relayed to the caller")
                    .isGreaterThanOrEqualTo(40);
        });
    }

    // ------------------------------------------------------------------------------------------------

    @Test
    void queuedCallerIsBridgedWithAnAgentAndTheCallerHangsUp() throws Exception {
        int uasPort = Ports.free();
        Sipp.Run uas = agentUas("uas_answer", uasPort, vars());
        answerWithMusic();
        List<Channel> agents = new CopyOnWriteArrayList<>();
        List<Recording> recs = new CopyOnWriteArrayList<>();
        handler.onIncoming = handler.onIncoming.andThen(c -> {
            recs.add(c.channel().record(work.resolve("caller.wav"), RecordFormat.PCM, RecordMode.STEREO));
            agents.add(originate(uasPort));
        });
        Sipp.Run caller = uac("uac_call", "100", vars("PAUSE", "3000"));
        await().atMost(WAIT).until(() -> agents.size() == 1);
        Channel in = callers.get(0);
        Channel agent = agents.get(0);
        awaitUp(in, agent);
        assertThat(in.bridgedWith()).isEmpty();

        engine.bridge(in, agent); // from the test thread: any thread may bridge

        await().atMost(WAIT).until(() -> !handler.events(CallEvent.ChannelBridged.class).isEmpty());
        CallEvent.ChannelBridged bridged = handler.events(CallEvent.ChannelBridged.class).get(0);
        assertThat(bridged.channelId()).isEqualTo(in.id());
        assertThat(bridged.otherChannelId()).isEqualTo(agent.id());
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.PlaybackFinished.class, in.id()).isEmpty());
        assertThat(handler.events(CallEvent.PlaybackFinished.class, in.id()).get(0).completed()).isFalse();
        assertThat(in.bridgedWith()).contains(agent);
        await().atMost(WAIT).until(() -> agent.bridgedWith().isPresent());
        assertThat(agent.bridgedWith().get().id()).isEqualTo(in.id());
        awaitRelayBothWays(in, agent, in.counters().packetsOut());

        assertOk(caller); // BYE from the caller ...
        assertThat(awaitHangup(agent).cause()).isEqualTo(HangupCause.NORMAL_CLEARING); // ... ends the agent leg
        assertOk(uas);
        assertThat(awaitHangup(in).cause()).isEqualTo(HangupCause.NORMAL_CLEARING);

        // The caller's recording, started before the bridge, goes on: left what the caller says,
        // right what it hears (the music, then the agent's echo).
        Recording rec = recs.get(0);
        await().atMost(WAIT).until(rec::finished);
        WavReader.Pcm pcm = WavReader.decode(rec.path());
        short[] says = pcm.channel(0);
        short[] hears = pcm.channel(1);
        assertThat(rms(says, 0, says.length)).as("caller's speech").isGreaterThan(100);
        // music: runs of 20 ms of the constant level; after the last run only the relayed echo
        int musicEnd = -1;
        for (int i = 0; i + 160 <= hears.length; i++) {
            int k = i;
            while (k < hears.length && hears[k] == MUSIC_LEVEL) {
                k++;
            }
            if (k - i >= 160) {
                musicEnd = k;
            }
            i = Math.max(i, k);
        }
        assertThat(musicEnd).as("music before the bridge").isPositive();
        assertThat(hears.length - musicEnd).as("samples after the music").isGreaterThan(8000);
        assertThat(rms(hears, musicEnd, hears.length)).as("the agent's echo heard by the caller").isGreaterThan(100);
    }

    @Test
    void callerOnMusicOnHoldIsBridgedAndTheAgentHangsUp() throws Exception {
        Path moh = Files.createDirectories(work.resolve("moh"));
        short[] tune = new short[8000 * 5];
        for (int i = 0; i < tune.length; i++) {
            tune[i] = (short) (6000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
        }
        SippMediaTest.writePcmWav(moh.resolve("a.wav"), tune);
        int uasPort = Ports.free();
        Sipp.Run uas = agentUas("uas_bye", uasPort, vars("PAUSE", "3000"));
        List<Channel> agents = new CopyOnWriteArrayList<>();
        handler.onIncoming = c -> {
            c.channel().answer();
            c.channel().hold(moh);
            c.channel().collectDigits(4, '#', Duration.ofSeconds(30), Duration.ofSeconds(30));
            callers.add(c.channel());
            agents.add(originate(uasPort));
        };
        Sipp.Run caller = uac("uac_wait_bye", "101", vars());
        await().atMost(WAIT).until(() -> agents.size() == 1);
        Channel in = callers.get(0);
        Channel agent = agents.get(0);
        awaitUp(in, agent);
        await().atMost(WAIT).until(() -> in.counters().packetsOut() >= 10); // the music plays
        assertThat(in.musicOnHold()).isTrue();

        engine.bridge(in, agent);

        await().atMost(WAIT).until(() -> !handler.events(CallEvent.ChannelBridged.class, in.id()).isEmpty());
        assertThat(in.musicOnHold()).isFalse();
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.DigitsCollected.class, in.id()).isEmpty());
        assertThat(handler.events(CallEvent.DigitsCollected.class, in.id()).get(0).end())
                .isEqualTo(dev.hotline.engine.call.CollectEnd.CANCELLED);
        awaitRelayBothWays(in, agent, in.counters().packetsOut());

        assertOk(uas); // BYE from the agent ...
        assertThat(awaitHangup(in).cause()).isEqualTo(HangupCause.NORMAL_CLEARING); // ... ends the caller
        assertOk(caller);
        assertThat(awaitHangup(agent).cause()).isEqualTo(HangupCause.NORMAL_CLEARING);
    }

    @Test
    void aCallerBridgedToStayOutlivesTheAgentHearsAPromptAndIsEndedByTheServer() throws Exception {
        int uasPort = Ports.free();
        Sipp.Run uas = agentUas("uas_bye", uasPort, vars("PAUSE", "4000"));
        answerWithMusic();
        List<Channel> agents = new CopyOnWriteArrayList<>();
        handler.onIncoming = handler.onIncoming.andThen(c -> agents.add(originate(uasPort)));
        Sipp.Run caller = uac("uac_wait_bye", "600", vars());
        await().atMost(WAIT).until(() -> agents.size() == 1);
        Channel in = callers.get(0);
        Channel agent = agents.get(0);
        awaitUp(in, agent);

        engine.bridge(in, agent, PeerHangup.STAY);
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.ChannelBridged.class, in.id()).isEmpty());
        awaitRelayBothWays(in, agent, in.counters().packetsOut());

        assertOk(uas); // BYE from the agent: the caller stays
        assertThat(awaitHangup(agent).cause()).isEqualTo(HangupCause.NORMAL_CLEARING);
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.PeerLeft.class, in.id()).isEmpty());
        CallEvent.PeerLeft left = handler.events(CallEvent.PeerLeft.class, in.id()).get(0);
        assertThat(left.otherChannelId()).isEqualTo(agent.id());
        assertThat(in.state()).isEqualTo(ChannelState.UP);
        assertThat(in.bridgedWith()).isEmpty();
        assertThat(handler.events(CallEvent.ChannelHungUp.class, in.id())).isEmpty();

        // The server plays to the caller left alone (the survey's prompt), then ends it.
        long before = in.counters().packetsOut();
        in.play(PlaybackRequest.of(AudioClip.of(new short[8000])));
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.PlaybackFinished.class, in.id()).isEmpty()
                && handler.events(CallEvent.PlaybackFinished.class, in.id()).stream().anyMatch(CallEvent.PlaybackFinished::completed));
        assertThat(in.counters().packetsOut() - before).as("the prompt's packets").isGreaterThanOrEqualTo(40);
        assertThat(handler.events(CallEvent.ChannelHungUp.class, in.id())).isEmpty();
        in.hangup(HangupCause.NORMAL_CLEARING);
        assertOk(caller); // the caller got our BYE
        assertThat(awaitHangup(in).cause()).isEqualTo(HangupCause.NORMAL_CLEARING);
    }

    /** A pair bridged as usual (the caller would follow), then told that the caller stays: as if bridged with STAY. */
    @Test
    void aCallerToldToStayAfterItsPeerOutlivesIt() throws Exception {
        int uasPort = Ports.free();
        Sipp.Run uas = agentUas("uas_bye", uasPort, vars("PAUSE", "3000"));
        answerWithMusic();
        List<Channel> agents = new CopyOnWriteArrayList<>();
        handler.onIncoming = handler.onIncoming.andThen(c -> agents.add(originate(uasPort)));
        Sipp.Run caller = uac("uac_wait_bye", "602", vars());
        await().atMost(WAIT).until(() -> agents.size() == 1);
        Channel in = callers.get(0);
        Channel agent = agents.get(0);
        awaitUp(in, agent);

        engine.bridge(in, agent);
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.ChannelBridged.class, in.id()).isEmpty());
        engine.stayAfter(in, agent);

        assertOk(uas); // BYE from the agent: the caller stays
        assertThat(awaitHangup(agent).cause()).isEqualTo(HangupCause.NORMAL_CLEARING);
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.PeerLeft.class, in.id()).isEmpty());
        assertThat(handler.events(CallEvent.PeerLeft.class, in.id()).get(0).otherChannelId()).isEqualTo(agent.id());
        assertThat(in.state()).isEqualTo(ChannelState.UP);
        assertThat(handler.events(CallEvent.ChannelHungUp.class, in.id())).isEmpty();
        in.hangup(HangupCause.NORMAL_CLEARING);
        assertOk(caller); // the caller got our BYE
        assertThat(awaitHangup(in).cause()).isEqualTo(HangupCause.NORMAL_CLEARING);
    }

    @Test
    void aCallerBridgedToStayWhoHangsUpFirstEndsTheAgent() throws Exception {
        int uasPort = Ports.free();
        Sipp.Run uas = agentUas("uas_answer", uasPort, vars());
        answerWithMusic();
        List<Channel> agents = new CopyOnWriteArrayList<>();
        handler.onIncoming = handler.onIncoming.andThen(c -> agents.add(originate(uasPort)));
        Sipp.Run caller = uac("uac_call", "601", vars("PAUSE", "2500"));
        await().atMost(WAIT).until(() -> agents.size() == 1);
        Channel in = callers.get(0);
        Channel agent = agents.get(0);
        awaitUp(in, agent);

        engine.bridge(in, agent, PeerHangup.STAY);
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.ChannelBridged.class, in.id()).isEmpty());

        assertOk(caller);
        assertThat(awaitHangup(agent).cause()).isEqualTo(HangupCause.NORMAL_CLEARING);
        assertOk(uas);
        assertThat(handler.events(CallEvent.PeerLeft.class)).isEmpty();
    }

    @Test
    void bridgingAnUnansweredABridgedOrTheSameChannelIsRefused() throws Exception {
        List<Channel> ringing = new CopyOnWriteArrayList<>();
        handler.onIncoming = c -> {
            if (c.callee().user().equals("ring")) {
                c.channel().ring();
                ringing.add(c.channel());
            } else {
                c.channel().answer();
                callers.add(c.channel());
            }
        };
        Sipp.Run first = uac("uac_call", "200", vars("PAUSE", "4000"));
        await().atMost(WAIT).until(() -> callers.size() == 1);
        Sipp.Run second = uac("uac_wait_bye", "201", vars());
        await().atMost(WAIT).until(() -> callers.size() == 2);
        Sipp.Run third = uac("uac_call", "ring", vars("PAUSE", "500"));
        await().atMost(WAIT).until(() -> ringing.size() == 1);
        Channel a = callers.get(0);
        Channel c = callers.get(1);
        Channel d = ringing.get(0);
        awaitUp(a, c);
        await().atMost(WAIT).until(() -> d.state() == ChannelState.RINGING);

        assertThatThrownBy(() -> engine.bridge(a, d)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(d.id()).hasMessageContaining("not answered");
        assertThatThrownBy(() -> engine.bridge(a, a)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> engine.bridge(a, null)).isInstanceOf(IllegalArgumentException.class);

        engine.bridge(a, c); // two inbound callers: any two answered channels may be bridged
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.ChannelBridged.class, a.id()).isEmpty());
        await().atMost(WAIT).until(() -> c.bridgedWith().isPresent());
        d.answer();
        awaitUp(d);

        assertThatThrownBy(() -> engine.bridge(a, c)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already bridged");
        assertThatThrownBy(() -> engine.bridge(d, c)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(c.id() + " is already bridged with " + a.id());
        assertThatThrownBy(() -> engine.bridge(a, d)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(a.id() + " is already bridged with " + c.id());
        assertThat(d.bridgedWith()).isEmpty();
        assertThat(handler.events(CallEvent.ChannelBridged.class)).hasSize(1);

        assertOk(third);
        assertOk(first); // the first caller's BYE ends the second (it waits for our BYE)
        assertOk(second);
        assertThat(awaitHangup(c).cause()).isEqualTo(HangupCause.NORMAL_CLEARING);
        assertThatThrownBy(() -> engine.bridge(a, d)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ended");
    }

    @Test
    void callerKeptAfterAFailedDialIsBridgedWithAnAgent() throws Exception {
        int busyPort = Ports.free();
        Sipp.Run busy = Sipp.start(work, "uas_reject", vars("CODE", "486"), null, busyPort, List.of());
        Sipp.awaitUdpBound(busyPort);
        int uasPort = Ports.free();
        Sipp.Run uas = agentUas("uas_answer", uasPort, vars());
        answerWithMusic();
        Sipp.Run caller = uac("uac_call", "300", vars("PAUSE", "3500"));
        await().atMost(WAIT).until(() -> callers.size() == 1);
        Channel in = callers.get(0);
        Channel agent = originate(uasPort);
        awaitUp(in, agent);
        // The server answers the failed dial's hang-up with the bridge, on the caller's own executor,
        // before the engine has taken the failed leg off the caller.
        handler.onEvent = e -> {
            if (e instanceof CallEvent.ChannelHungUp h && h.cause() == HangupCause.USER_BUSY) {
                try {
                    engine.bridge(in, agent);
                } catch (RuntimeException ex) {
                    handlerErrors.add(ex);
                }
            }
        };

        Channel failed = engine.dial(in, DialRequest.to(Target.Uri.udp("busy", "127.0.0.1", busyPort))
                .keepInboundOnFailure());

        assertOk(busy);
        assertThat(awaitHangup(failed).cause()).isEqualTo(HangupCause.USER_BUSY);
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.ChannelBridged.class, in.id()).isEmpty());
        assertThat(handlerErrors).isEmpty();
        assertThat(handler.events(CallEvent.ChannelBridged.class, in.id()).get(0).otherChannelId()).isEqualTo(agent.id());
        assertThat(in.state()).isEqualTo(ChannelState.UP);
        assertThat(in.bridgedWith()).contains(agent);
        awaitRelayBothWays(in, agent, in.counters().packetsOut());

        assertOk(caller);
        assertThat(awaitHangup(agent).cause()).isEqualTo(HangupCause.NORMAL_CLEARING);
        assertOk(uas);
    }

    @Test
    void unbridgedLegsStayUpPlayAndAreBridgedAgain() throws Exception {
        Path moh = Files.createDirectories(work.resolve("moh2"));
        short[] tune = new short[8000];
        Arrays.fill(tune, (short) 3000);
        SippMediaTest.writePcmWav(moh.resolve("a.wav"), tune);
        int uasPort = Ports.free();
        Sipp.Run uas = agentUas("uas_answer", uasPort, vars());
        answerWithMusic();
        Sipp.Run caller = uac("uac_call", "400", vars("PAUSE", "4000"));
        await().atMost(WAIT).until(() -> callers.size() == 1);
        Channel in = callers.get(0);
        Channel agent = originate(uasPort);
        awaitUp(in, agent);
        engine.bridge(in, agent);
        await().atMost(WAIT).until(() -> !handler.events(CallEvent.ChannelBridged.class, in.id()).isEmpty());
        await().atMost(WAIT).until(() -> agent.counters().packetsIn() >= 10);

        engine.unbridge(in);

        await().atMost(WAIT).until(() -> !handler.events(CallEvent.ChannelUnbridged.class).isEmpty());
        CallEvent.ChannelUnbridged split = handler.events(CallEvent.ChannelUnbridged.class).get(0);
        assertThat(split.channelId()).isEqualTo(in.id());
        assertThat(split.otherChannelId()).isEqualTo(agent.id());
        // Both legs are free when the event comes: whoever hears it may bridge either at once.
        assertThat(in.bridgedWith()).isEmpty();
        assertThat(agent.bridgedWith()).isEmpty();
        long toAgent = agent.counters().packetsOut();
        // the caller hears a prompt to its end: nothing interrupts it, nothing reaches the agent
        AudioClip prompt = SippMediaTest.tone(400);
        String pb = in.play(PlaybackRequest.of(prompt)).id();
        await().atMost(WAIT).until(() -> handler.events(CallEvent.PlaybackFinished.class, in.id()).stream()
                .anyMatch(p -> p.playbackId().equals(pb)));
        assertThat(handler.events(CallEvent.PlaybackFinished.class, in.id()).stream()
                .filter(p -> p.playbackId().equals(pb)).findFirst().orElseThrow().completed()).isTrue();
        assertThat(agent.counters().packetsOut() - toAgent).as("relayed after the split").isLessThanOrEqualTo(2);
        // the agent can be put on music meanwhile
        agent.hold(moh);
        await().atMost(WAIT).until(() -> agent.counters().packetsOut() >= toAgent + 10);
        assertThat(in.state()).isEqualTo(ChannelState.UP);
        assertThat(agent.state()).isEqualTo(ChannelState.UP);

        engine.bridge(agent, in); // again, the other way round

        await().atMost(WAIT).until(() -> !handler.events(CallEvent.ChannelBridged.class, agent.id()).isEmpty());
        assertThat(agent.musicOnHold()).isFalse();
        assertThat(handler.events(CallEvent.ChannelBridged.class, agent.id()).get(0).otherChannelId()).isEqualTo(in.id());
        long toCaller = in.counters().packetsOut();
        await().atMost(WAIT).untilAsserted(() -> assertThat(in.counters().packetsOut() - toCaller)
                .as("echo relayed to the caller again").isGreaterThanOrEqualTo(40));

        assertOk(caller);
        assertThat(awaitHangup(agent).cause()).isEqualTo(HangupCause.NORMAL_CLEARING);
        assertOk(uas);
        assertThat(handler.events(CallEvent.ChannelUnbridged.class)).hasSize(1);
    }

    @Test
    void aLegHangingUpWhileBeingBridgedLeavesTheOtherUpAndUnlinked() throws Exception {
        int uasPort = Ports.free();
        Sipp.Run uas = agentUas("uas_answer", uasPort, vars());
        handler.onIncoming = c -> {
            c.channel().answer();
            callers.add(c.channel());
        };
        Sipp.Run caller = uac("uac_wait_bye", "500", vars());
        await().atMost(WAIT).until(() -> callers.size() == 1);
        Channel in = callers.get(0);
        Channel agent = originate(uasPort);
        awaitUp(in, agent);
        // On the caller's executor, bridge then hang up at once: the hang-up is handled before the
        // bridge can be completed there.
        handler.onEvent = e -> {
            if (e instanceof CallEvent.PlaybackFinished p && p.channelId().equals(in.id())) {
                try {
                    engine.bridge(in, agent);
                } catch (RuntimeException ex) {
                    handlerErrors.add(ex);
                }
                in.hangup(HangupCause.NORMAL_CLEARING);
            }
        };
        in.play(PlaybackRequest.of(SippMediaTest.tone(100)));

        assertOk(caller);
        awaitHangup(in);
        // the agent leg is left alone: a prompt plays to it to its end, then it is still up, unbridged
        String pb = agent.play(PlaybackRequest.of(SippMediaTest.tone(300))).id();
        await().atMost(WAIT).until(() -> handler.events(CallEvent.PlaybackFinished.class, agent.id()).stream()
                .anyMatch(p -> p.playbackId().equals(pb) && p.completed()));
        assertThat(handlerErrors).isEmpty();
        assertThat(agent.state()).isEqualTo(ChannelState.UP);
        assertThat(agent.bridgedWith()).isEmpty();
        assertThat(handler.events(CallEvent.ChannelBridged.class)).isEmpty();
        assertThat(handler.events(CallEvent.ChannelHungUp.class, agent.id())).isEmpty();
        agent.hangup(HangupCause.NORMAL_CLEARING);
        assertOk(uas);
    }
}
