package dev.hotline.engine.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.codec.AudioCodec;
import dev.hotline.engine.codec.CodecType;
import dev.hotline.engine.codec.G711;
import dev.hotline.engine.sdp.PayloadType;
import dev.hotline.engine.testing.Ports;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MediaRelayTest {
    MediaRelay relay;
    DatagramSocket phoneA;
    DatagramSocket phoneB;
    final InetAddress lo = InetAddress.getLoopbackAddress();

    @BeforeEach
    void setUp() throws Exception {
        int base = Ports.free(40);
        relay = new MediaRelay("127.0.0.1", base, base + 39, 2);
        phoneA = new DatagramSocket(new InetSocketAddress(lo, 0));
        phoneB = new DatagramSocket(new InetSocketAddress(lo, 0));
        phoneA.setSoTimeout(3000);
        phoneB.setSoTimeout(3000);
    }

    @AfterEach
    void tearDown() {
        relay.close();
        phoneA.close();
        phoneB.close();
    }

    static byte[] rtp(int pt, int seq, byte fill, int payloadLen) {
        byte[] p = new byte[12 + payloadLen];
        p[0] = (byte) 0x80;
        p[1] = (byte) pt;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        Arrays.fill(p, 12, p.length, fill);
        return p;
    }

    private DatagramPacket receive(DatagramSocket s) throws Exception {
        DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
        s.receive(in);
        return in;
    }

    @Test
    void relaysBothWaysTranscodesAndCounts() throws Exception {
        RtpEndpoint a = relay.allocate();
        RtpEndpoint b = relay.allocate();
        assertThat(a.localPort() % 2).isZero();
        assertThat(b.localPort()).isNotEqualTo(a.localPort());
        a.setRemote("127.0.0.1", phoneA.getLocalPort(), phoneA.getLocalPort() + 1, false);
        b.setRemote("127.0.0.1", phoneB.getLocalPort(), phoneB.getLocalPort() + 1, false);
        a.setCodec(PayloadType.PCMU, 101);
        b.setCodec(PayloadType.PCMA, 96);
        RtpEndpoint.link(a, b);

        byte[] pkt = rtp(0, 1, (byte) 0x80, 160);
        phoneA.send(new DatagramPacket(pkt, pkt.length, lo, a.localPort()));
        DatagramPacket got = receive(phoneB);
        assertThat(got.getLength()).isEqualTo(172);
        assertThat(got.getData()[1] & 0x7F).as("payload type rewritten to PCMA").isEqualTo(8);
        assertThat(got.getData()[12]).isEqualTo(G711.ulawToAlaw((byte) 0x80));
        assertThat(got.getPort()).isEqualTo(b.localPort());

        // telephone-event keeps its payload but takes the other leg's payload type number
        byte[] dtmf = rtp(101, 2, (byte) 5, 4);
        phoneA.send(new DatagramPacket(dtmf, dtmf.length, lo, a.localPort()));
        DatagramPacket ev = receive(phoneB);
        assertThat(ev.getData()[1] & 0x7F).isEqualTo(96);
        assertThat(ev.getData()[12]).isEqualTo((byte) 5);

        byte[] back = rtp(8, 7, (byte) 0xD5, 160);
        phoneB.send(new DatagramPacket(back, back.length, lo, b.localPort()));
        DatagramPacket toA = receive(phoneA);
        assertThat(toA.getData()[1] & 0x7F).isEqualTo(0);
        assertThat(toA.getData()[12]).isEqualTo(G711.alawToUlaw((byte) 0xD5));

        // Counters are bumped by the reactor right after the send the test has just seen: wait for them.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(a.counters().packetsIn()).isEqualTo(2);
            assertThat(b.counters().packetsOut()).isEqualTo(2);
            assertThat(b.counters().packetsIn()).isEqualTo(1);
            assertThat(a.counters().packetsOut()).isEqualTo(1);
            assertThat(a.counters().bytesIn()).isEqualTo(172 + 16);
        });
        a.close();
        b.close();
    }

    /**
     * MSG-5: a G.711 fax call between two legs with the same law is relayed untouched: every packet goes out as it came in,
     * byte for byte (header and payload), at once and in arrival order, whatever it carries: no transcoding, no jitter buffer
     * (a late, out-of-order packet is not held back or reordered), no silence suppression (silent frames are sent too).
     */
    @Test
    void sameLawCallsAreRelayedByteExactForFax() throws Exception {
        RtpEndpoint a = relay.allocate();
        RtpEndpoint b = relay.allocate();
        a.setRemote("127.0.0.1", phoneA.getLocalPort(), phoneA.getLocalPort() + 1, false);
        b.setRemote("127.0.0.1", phoneB.getLocalPort(), phoneB.getLocalPort() + 1, false);
        a.setCodec(PayloadType.PCMA, 101);
        b.setCodec(PayloadType.PCMA, 101);
        RtpEndpoint.link(a, b);
        java.util.Random random = new java.util.Random(4733);
        int[] order = new int[300];
        for (int i = 0; i < order.length; i++) order[i] = i;
        for (int i = 10; i < order.length; i += 37) { // some packets arrive late, after their successor
            int t = order[i];
            order[i] = order[i + 1];
            order[i + 1] = t;
        }
        for (int n = 0; n < order.length; n++) {
            int i = order[n];
            byte[] pkt = new byte[12 + 160];
            pkt[0] = (byte) 0x80;
            pkt[1] = (byte) (8 | (i == 0 ? 0x80 : 0));
            pkt[2] = (byte) (i >> 8);
            pkt[3] = (byte) i;
            int ts = 1000 + 160 * i;
            pkt[4] = (byte) (ts >> 24);
            pkt[5] = (byte) (ts >> 16);
            pkt[6] = (byte) (ts >> 8);
            pkt[7] = (byte) ts;
            pkt[8] = 0x12;
            pkt[9] = 0x34;
            pkt[10] = 0x56;
            pkt[11] = 0x78;
            if (i % 50 < 10) {
                Arrays.fill(pkt, 12, pkt.length, (byte) 0xD5); // A-law silence: a fax's pauses, not suppressed
            } else {
                for (int k = 12; k < pkt.length; k++) pkt[k] = (byte) random.nextInt(256); // modem signal: any byte
            }
            phoneA.send(new DatagramPacket(pkt, pkt.length, lo, a.localPort()));
            DatagramPacket got = receive(phoneB);
            assertThat(Arrays.copyOfRange(got.getData(), 0, got.getLength())).as("packet %d (sent #%d)", i, n).isEqualTo(pkt);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(b.counters().packetsOut()).isEqualTo(order.length));
        a.close();
        b.close();
    }

    @Test
    void latchesToTheSourceOfTheFirstPacket() throws Exception {
        RtpEndpoint a = relay.allocate();
        RtpEndpoint b = relay.allocate();
        // B's SDP names a port nobody listens on (a NATed phone's private address).
        a.setRemote("127.0.0.1", phoneA.getLocalPort(), phoneA.getLocalPort() + 1, false);
        b.setRemote("127.0.0.1", 9, 10, false);
        a.setCodec(PayloadType.PCMA, -1);
        b.setCodec(PayloadType.PCMA, -1);
        RtpEndpoint.link(a, b);
        byte[] fromB = rtp(8, 1, (byte) 1, 160);
        phoneB.send(new DatagramPacket(fromB, fromB.length, lo, b.localPort()));
        assertThat(receive(phoneA).getData()[12]).as("same codec: payload untouched").isEqualTo((byte) 1);
        byte[] fromA = rtp(8, 1, (byte) 2, 160);
        phoneA.send(new DatagramPacket(fromA, fromA.length, lo, a.localPort()));
        assertThat(receive(phoneB).getData()[12]).isEqualTo((byte) 2);
        // Once latched, another source cannot inject media into the leg.
        try (DatagramSocket intruder = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            byte[] evil = rtp(8, 2, (byte) 9, 160);
            intruder.send(new DatagramPacket(evil, evil.length, lo, b.localPort()));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
                    .until(() -> b.counters().packetsDropped() == 1);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
                .until(() -> b.counters().packetsIn() == 1);
        a.close();
        b.close();
    }

    /** MSG-5: in UDPTL mode (T.38) any datagram, even one that is no RTP, is relayed as it came, both ways; RTP again after. */
    @Test
    void udptlDatagramsAreRelayedUntouchedBothWays() throws Exception {
        RtpEndpoint a = relay.allocate();
        RtpEndpoint b = relay.allocate();
        a.setRemote("127.0.0.1", phoneA.getLocalPort(), phoneA.getLocalPort() + 1, false);
        b.setRemote("127.0.0.1", phoneB.getLocalPort(), phoneB.getLocalPort() + 1, false);
        a.setCodec(PayloadType.PCMU, -1);
        b.setCodec(PayloadType.PCMA, -1);
        RtpEndpoint.link(a, b);
        a.udptl(true);
        b.udptl(true);
        byte[] short3 = {0x00, 0x01, 0x06};
        byte[] looksLikeRtp = rtp(0, 7, (byte) 0x80, 40); // μ-law toward A-law would be converted on the RTP path
        for (byte[] d : new byte[][] {short3, looksLikeRtp}) {
            phoneA.send(new DatagramPacket(d, d.length, lo, a.localPort()));
            DatagramPacket got = receive(phoneB);
            assertThat(Arrays.copyOf(got.getData(), got.getLength())).isEqualTo(d);
            assertThat(got.getPort()).isEqualTo(b.localPort());
        }
        byte[] back = {0x00, 0x02, 0x40, 0x7F};
        phoneB.send(new DatagramPacket(back, back.length, lo, b.localPort()));
        assertThat(Arrays.copyOf(receive(phoneA).getData(), back.length)).isEqualTo(back);
        // Back to audio: junk is dropped again and RTP is transcoded as before.
        a.udptl(false);
        b.udptl(false);
        phoneA.send(new DatagramPacket(looksLikeRtp, looksLikeRtp.length, lo, a.localPort()));
        assertThat(receive(phoneB).getData()[12]).isEqualTo(G711.ulawToAlaw((byte) 0x80));
        a.close();
        b.close();
    }

    @Test
    void countsLossFromSequenceGapsAndDropsJunk() throws Exception {
        RtpEndpoint a = relay.allocate();
        a.setCodec(PayloadType.PCMU, -1);
        for (int seq : new int[] {100, 101, 104, 105}) {
            byte[] p = rtp(0, seq, (byte) 0, 160);
            phoneA.send(new DatagramPacket(p, p.length, lo, a.localPort()));
        }
        byte[] junk = {1, 2, 3};
        phoneA.send(new DatagramPacket(junk, junk.length, lo, a.localPort()));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
                .until(() -> a.counters().packetsIn() == 4 && a.counters().packetsDropped() == 1);
        assertThat(a.counters().packetsLost()).isEqualTo(2);
        a.close();
    }

    @Test
    void releasedPortsAreReused() throws Exception {
        int before = relay.allocatedCount();
        RtpEndpoint a = relay.allocate();
        assertThat(relay.allocatedCount()).isEqualTo(before + 1);
        a.close();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
                .until(() -> relay.allocatedCount() == before);
        for (int i = 0; i < 25; i++) { // more than the 20 pairs of the range: ports come back
            relay.allocate().close();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
                    .until(() -> relay.allocatedCount() == before);
        }
    }

    /** 20 ms packets of a 1 kHz tone coded by {@code codec}, with RTP timestamps at its clock. */
    private static byte[] tonePacket(AudioCodec codec, int pt, int seq, int clockPerSample) {
        short[] pcm = new short[160];
        for (int i = 0; i < 160; i++) {
            pcm[i] = (short) (8000 * Math.sin(2 * Math.PI * 1000 * (seq * 160 + i) / 8000.0));
        }
        byte[] payload = new byte[400];
        int n = codec.encode(pcm, 0, 160, payload, 0);
        byte[] p = rtp(pt, seq, (byte) 0, n);
        System.arraycopy(payload, 0, p, 12, n);
        int ts = seq * 160 * clockPerSample;
        p[4] = (byte) (ts >> 24);
        p[5] = (byte) (ts >> 16);
        p[6] = (byte) (ts >> 8);
        p[7] = (byte) ts;
        return p;
    }

    private static double rms(short[] pcm, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (double) pcm[i] * pcm[i];
        }
        return Math.sqrt(sum / Math.max(1, n));
    }

    @Test
    void transcodesBetweenG711AndOpusOrG722WithTimestampsAtEachClock() throws Exception {
        RtpEndpoint a = relay.allocate();
        RtpEndpoint b = relay.allocate();
        a.setRemote("127.0.0.1", phoneA.getLocalPort(), phoneA.getLocalPort() + 1, false);
        b.setRemote("127.0.0.1", phoneB.getLocalPort(), phoneB.getLocalPort() + 1, false);
        a.setCodec(PayloadType.PCMA, 101);
        b.setCodec(new PayloadType(96, "opus", 48000), 97);
        RtpEndpoint.link(a, b);

        // A-law in, Opus out: payload type 96, timestamps 960 apart, the tone decodes again.
        AudioCodec alaw = CodecType.PCMA.newCodec();
        AudioCodec opusDecoder = CodecType.OPUS.newCodec();
        double loudest = 0;
        long firstTs = -1;
        for (int seq = 0; seq < 15; seq++) {
            byte[] p = tonePacket(alaw, 8, seq, 1);
            phoneA.send(new DatagramPacket(p, p.length, lo, a.localPort()));
            DatagramPacket got = receive(phoneB);
            byte[] d = got.getData();
            assertThat(d[1] & 0x7F).isEqualTo(96);
            assertThat(((d[2] & 0xFF) << 8) | (d[3] & 0xFF)).as("sequence kept").isEqualTo(seq);
            long ts = ((d[4] & 0xFFL) << 24) | ((d[5] & 0xFF) << 16) | ((d[6] & 0xFF) << 8) | (d[7] & 0xFF);
            if (firstTs < 0) {
                firstTs = ts;
            }
            assertThat(ts - firstTs).as("48 kHz timestamps").isEqualTo(seq * 960L);
            assertThat(got.getLength() - 12).as("an Opus packet, not 160 bytes of A-law").isLessThan(120);
            short[] pcm = new short[960];
            int n = opusDecoder.decode(d, 12, got.getLength() - 12, pcm, 0);
            assertThat(n).isEqualTo(160);
            if (seq > 5) {
                loudest = Math.max(loudest, rms(pcm, n));
            }
        }
        assertThat(loudest).as("the tone through A-law → Opus").isGreaterThan(3000);

        // Opus in, A-law out: 160 bytes, 8 kHz timestamps.
        AudioCodec opusEncoder = CodecType.OPUS.newCodec();
        loudest = 0;
        for (int seq = 100; seq < 115; seq++) {
            byte[] p = tonePacket(opusEncoder, 96, seq, 6);
            phoneB.send(new DatagramPacket(p, p.length, lo, b.localPort()));
            DatagramPacket got = receive(phoneA);
            assertThat(got.getData()[1] & 0x7F).isEqualTo(8);
            assertThat(got.getLength()).isEqualTo(172);
            short[] pcm = new short[160];
            alaw.decode(got.getData(), 12, 160, pcm, 0);
            if (seq > 105) {
                loudest = Math.max(loudest, rms(pcm, 160));
            }
        }
        assertThat(loudest).as("the tone through Opus → A-law").isGreaterThan(3000);

        // A key from the A-law phone: Opus' event payload type, its duration counted at 48 kHz.
        byte[] key = rtp(101, 200, (byte) 0, 4);
        key[12] = 5;
        key[14] = 0x01; // duration 400 (50 ms at 8 kHz)
        key[15] = (byte) 0x90;
        phoneA.send(new DatagramPacket(key, key.length, lo, a.localPort()));
        DatagramPacket ev = receive(phoneB);
        assertThat(ev.getData()[1] & 0x7F).isEqualTo(97);
        assertThat(((ev.getData()[14] & 0xFF) << 8) | (ev.getData()[15] & 0xFF)).isEqualTo(2400);

        // G.722 toward the A-law leg: 160 bytes both ways, the tone kept.
        b.setCodec(PayloadType.G722, -1);
        AudioCodec g722 = CodecType.G722.newCodec();
        loudest = 0;
        for (int seq = 300; seq < 315; seq++) {
            byte[] p = tonePacket(g722, 9, seq, 1);
            phoneB.send(new DatagramPacket(p, p.length, lo, b.localPort()));
            DatagramPacket got = receive(phoneA);
            assertThat(got.getData()[1] & 0x7F).isEqualTo(8);
            short[] pcm = new short[160];
            alaw.decode(got.getData(), 12, got.getLength() - 12, pcm, 0);
            if (seq > 305) {
                loudest = Math.max(loudest, rms(pcm, 160));
            }
        }
        assertThat(loudest).as("the tone through G.722 → A-law").isGreaterThan(3000);
        a.close();
        b.close();
    }
}
