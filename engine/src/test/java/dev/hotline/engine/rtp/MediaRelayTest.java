package dev.hotline.engine.rtp;

import static org.assertj.core.api.Assertions.assertThat;

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
}
