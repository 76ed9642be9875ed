package dev.hotline.engine.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.dtmf.DtmfDigit;
import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.sdp.PayloadType;
import dev.hotline.engine.testing.Ports;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A key stops a barge-in playback, but only one started before the key: the server answers a menu key with a new prompt
 * at once, and the barge-in that runs later on the clock thread must not cut that prompt off (it did, and the caller
 * heard nothing: issue 13).
 */
class BargeInTest {
    MediaRelay relay;
    DatagramSocket phone;
    RtpEndpoint leg;
    final InetAddress lo = InetAddress.getLoopbackAddress();
    final BlockingQueue<DtmfDigit> keys = new ArrayBlockingQueue<>(16);
    final Map<Long, Boolean> finished = new ConcurrentHashMap<>();
    final BlockingQueue<Long> finishedOrder = new ArrayBlockingQueue<>(16);

    @BeforeEach
    void setUp() throws Exception {
        int base = Ports.free(40);
        relay = new MediaRelay("127.0.0.1", base, base + 39, 1);
        phone = new DatagramSocket(new InetSocketAddress(lo, 0));
        phone.setSoTimeout(3000);
        leg = relay.allocate();
        leg.setRemote("127.0.0.1", phone.getLocalPort(), phone.getLocalPort() + 1, false);
        leg.setCodec(PayloadType.PCMA, 101);
    }

    @AfterEach
    void tearDown() {
        relay.close();
        phone.close();
    }

    static AudioClip tone(int ms) {
        short[] s = new short[ms * 8];
        for (int i = 0; i < s.length; i++) s[i] = (short) (8000 * Math.sin(2 * Math.PI * 400 * i / 8000.0));
        return AudioClip.of(s);
    }

    /** Sends an RFC 4733 event for {@code event} (start and three end packets, one timestamp). */
    void press(int event, int seq, int ts) throws Exception {
        for (int i = 0; i < 4; i++) {
            boolean end = i > 0;
            byte[] p = new byte[16];
            p[0] = (byte) 0x80;
            p[1] = (byte) 101;
            p[2] = (byte) ((seq + i) >> 8);
            p[3] = (byte) (seq + i);
            p[4] = (byte) (ts >> 24);
            p[5] = (byte) (ts >> 16);
            p[6] = (byte) (ts >> 8);
            p[7] = (byte) ts;
            p[11] = 7; // SSRC
            p[12] = (byte) event;
            p[13] = (byte) ((end ? 0x80 : 0) | 10);
            p[15] = (byte) 160;
            phone.send(new DatagramPacket(p, p.length, lo, leg.localPort()));
        }
    }

    void listen(Runnable onKey) {
        leg.media().setListener(new MediaListener() {
            @Override
            public void onDtmf(DtmfDigit digit, boolean inband) {
                keys.add(digit);
                onKey.run();
            }

            @Override
            public void onPlaybackFinished(long playbackId, boolean completed) {
                finished.put(playbackId, completed);
                finishedOrder.add(playbackId);
            }

            @Override
            public void onRecordingFinished(Recorder recorder) {}
        });
    }

    @Test
    void aKeyStopsTheBargeInPromptPlayingButNotTheOneStartedInAnswerToIt() throws Exception {
        long[] answer = {0};
        listen(() -> answer[0] = leg.media().play(new AudioClip[] {tone(5_000)}, false, true));
        leg.media().markAnswered();
        long menu = leg.media().play(new AudioClip[] {tone(10_000)}, false, true);
        phone.receive(new DatagramPacket(new byte[2048], 2048)); // the menu is playing
        press(1, 100, 16000);
        assertThat(keys.poll(3, TimeUnit.SECONDS)).isEqualTo(DtmfDigit.fromEvent(1));
        assertThat(finishedOrder.poll(3, TimeUnit.SECONDS)).as("the menu ends first").isEqualTo(menu);
        assertThat(finished.get(menu)).as("stopped by the key, not played out").isFalse();
        // The prompt started in answer to the key plays on: nothing ends within a second.
        assertThat(finishedOrder.poll(1, TimeUnit.SECONDS)).as("the answer's prompt was cut off").isNull();
        assertThat(answer[0]).isPositive();
        assertThat(finished).doesNotContainKey(answer[0]);
    }

    @Test
    void aPromptWithoutBargeInPlaysThroughAKey() throws Exception {
        listen(() -> {});
        leg.media().markAnswered();
        long prompt = leg.media().play(new AudioClip[] {tone(600)}, false, false);
        phone.receive(new DatagramPacket(new byte[2048], 2048));
        press(2, 200, 32000);
        assertThat(keys.poll(3, TimeUnit.SECONDS)).isEqualTo(DtmfDigit.fromEvent(2));
        assertThat(finishedOrder.poll(3, TimeUnit.SECONDS)).isEqualTo(prompt);
        assertThat(finished.get(prompt)).as("played to its end").isTrue();
    }
}
