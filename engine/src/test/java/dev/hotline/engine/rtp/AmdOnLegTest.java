package dev.hotline.engine.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hotline.engine.amd.AmdCause;
import dev.hotline.engine.amd.AmdParams;
import dev.hotline.engine.amd.AmdResult;
import dev.hotline.engine.amd.AmdStatus;
import dev.hotline.engine.codec.G711;
import dev.hotline.engine.sdp.PayloadType;
import dev.hotline.engine.testing.Ports;
import dev.hotline.engine.tts.EspeakTts;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answering-machine detection on a real leg: the party's audio arrives as A-law RTP, paced at 20 ms, is decoded by the
 * media clock and fed to the detector frame by frame.
 */
class AmdOnLegTest {
    static final Path CACHE = Path.of(System.getProperty("java.io.tmpdir"), "hotline-amd-tts");
    MediaRelay relay;
    DatagramSocket phone;
    RtpEndpoint leg;
    ScheduledExecutorService sender;
    final InetAddress lo = InetAddress.getLoopbackAddress();

    @BeforeEach
    void setUp() throws Exception {
        int base = Ports.free(40);
        relay = new MediaRelay("127.0.0.1", base, base + 39, 1);
        phone = new DatagramSocket(new InetSocketAddress(lo, 0));
        leg = relay.allocate();
        leg.setRemote("127.0.0.1", phone.getLocalPort(), phone.getLocalPort() + 1, false);
        leg.setCodec(PayloadType.PCMA, 101);
        sender = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void tearDown() {
        sender.shutdownNow();
        relay.close();
        phone.close();
    }

    /** Streams {@code pcm} to the leg as the phone would: one A-law packet every 20 ms, then silence packets. */
    void stream(short[] pcm) {
        AtomicInteger n = new AtomicInteger();
        sender.scheduleAtFixedRate(() -> {
            int i = n.getAndIncrement();
            byte[] p = new byte[12 + 160];
            p[0] = (byte) 0x80;
            p[1] = (byte) 8; // PCMA
            p[2] = (byte) (i >> 8);
            p[3] = (byte) i;
            int ts = i * 160;
            p[4] = (byte) (ts >> 24);
            p[5] = (byte) (ts >> 16);
            p[6] = (byte) (ts >> 8);
            p[7] = (byte) ts;
            p[11] = 9; // SSRC
            for (int k = 0; k < 160; k++) {
                int at = i * 160 + k;
                p[12 + k] = G711.linearToAlaw(at < pcm.length ? pcm[at] : 0);
            }
            try {
                phone.send(new DatagramPacket(p, p.length, lo, leg.localPort()));
            } catch (Exception e) {
                // the test is over
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
    }

    static short[] speech(String text, String voice) {
        return new EspeakTts(EspeakTts.Options.defaults(CACHE)).render(text, voice).samples();
    }

    static short[] clip(int silenceMs, short[] speech, int afterMs, int beepHz, int beepMs) {
        short[] s = new short[(silenceMs + afterMs + beepMs + 1000) * 8 + speech.length];
        System.arraycopy(speech, 0, s, silenceMs * 8, speech.length);
        int b = silenceMs * 8 + speech.length + afterMs * 8;
        for (int i = 0; i < beepMs * 8; i++) {
            s[b + i] = (short) (9000 * Math.sin(2 * Math.PI * beepHz * i / 8000.0));
        }
        return s;
    }

    @Test
    void aPersonSayingHelloIsAHuman() throws Exception {
        leg.media().markAnswered();
        CompletableFuture<AmdResult> f = leg.media().detectMachine(AmdParams.defaults());
        stream(clip(500, speech("喂？", "cmn-latn-pinyin"), 3000, 0, 0));
        AmdResult r = f.get(10, TimeUnit.SECONDS);
        assertThat(r.status()).as(r.summary()).isEqualTo(AmdStatus.HUMAN);
        // measured from the start of the detection: the 500 ms put in the clip, plus the jitter buffer and the sender
        assertThat(r.initialSilenceMs()).as(r.summary()).isBetween(500, 900);
    }

    @Test
    void aMachineIsToldAndTheResultComesAfterItsBeep() throws Exception {
        leg.media().markAnswered();
        CompletableFuture<AmdResult> f = leg.media().detectMachine(AmdParams.defaults().withBeepWaitMs(15_000));
        short[] greeting = speech("您好，我现在不方便接听电话，请在嘀声后留言，我会尽快回复您。", "cmn-latn-pinyin");
        stream(clip(300, greeting, 600, 1000, 500));
        AmdResult r = f.get(20, TimeUnit.SECONDS);
        assertThat(r.status()).as(r.summary()).isEqualTo(AmdStatus.MACHINE);
        int beepAt = 300 + greeting.length / 8 + 600;
        // the jitter buffer delays every frame alike: the beep is where it was put relative to the first word
        assertThat(r.beepStartMs() - r.initialSilenceMs()).as(r.summary()).isCloseTo(beepAt - 300, within(60));
        assertThat(r.beepEndMs() - r.beepStartMs()).isCloseTo(500, within(40));
        assertThat(r.totalMs()).isCloseTo(r.beepEndMs(), within(40));
    }

    @Test
    void aLegThatEndsFirstGivesHangup() throws Exception {
        leg.media().markAnswered();
        CompletableFuture<AmdResult> f = leg.media().detectMachine(AmdParams.defaults());
        stream(clip(300, speech("Hello?", "en"), 0, 0, 0));
        leg.close();
        AmdResult r = f.get(5, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(AmdStatus.HANGUP);
        assertThat(r.cause()).isEqualTo(AmdCause.HANGUP);
    }
}
