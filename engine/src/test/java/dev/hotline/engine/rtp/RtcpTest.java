package dev.hotline.engine.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.hotline.engine.call.MediaQuality;
import dev.hotline.engine.sdp.PayloadType;
import dev.hotline.engine.testing.Ports;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 3550 §6.4 reports (encoding, decoding), the reception statistics (A.3, A.8) and a leg's RTCP of its own. */
class RtcpTest {

    @Test
    void senderReportWithABlockAndSdesRoundTrips() {
        byte[] buf = new byte[128];
        Rtcp.SenderInfo si = new Rtcp.SenderInfo(0xE1234567_89ABCDEFL, 0x11223344, 500, 80_000);
        Rtcp.ReportBlock block = new Rtcp.ReportBlock(0x0BADCAFE, 25, -3, 0x0001_0005L, 160, 0xABCD_1234L, 0x0002_8000L);
        int len = Rtcp.write(buf, 0x12345678, si, block, "hotline");
        // SR: 28 bytes + one 24-byte block; SDES: 4 + 4 + 2 + 7 + 1 = 18, padded to 20
        assertThat(len).isEqualTo(52 + 20);
        assertThat(buf[0] & 0xFF).as("V=2, RC=1").isEqualTo(0x81);
        assertThat(buf[1] & 0xFF).isEqualTo(200);
        assertThat(((buf[2] & 0xFF) << 8) | (buf[3] & 0xFF)).as("length in words minus one").isEqualTo(12);
        assertThat(buf[53] & 0xFF).isEqualTo(202);

        List<Rtcp.Report> reports = Rtcp.read(buf, 0, len);
        assertThat(reports).hasSize(1);
        Rtcp.Report r = reports.get(0);
        assertThat(r.ssrc()).isEqualTo(0x12345678);
        assertThat(r.sender()).isEqualTo(si);
        assertThat(r.sender().ntpMiddle()).isEqualTo(0x456789AB);
        assertThat(r.blocks()).containsExactly(block);
    }

    @Test
    void receiverReportOfABrowserIsReadAndUnknownPacketsAreSkipped() {
        // RR (one block) + SDES + a transport-wide feedback (RTPFB, 205) as Chromium sends them
        byte[] rr = {
            (byte) 0x81, (byte) 201, 0, 7, 0, 0, 0, 1,
            0, 0, 0, 2, 0x40, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE, 0, 1, 0, 10, 0, 0, 0, 80, 0x12, 0x34, 0x56, 0x78, 0, 1, 0, 0,
            (byte) 0x81, (byte) 202, 0, 2, 0, 0, 0, 1, 1, 2, 'a', 'b',
            (byte) 0x8F, (byte) 205, 0, 2, 0, 0, 0, 1, 0, 0, 0, 2};
        List<Rtcp.Report> reports = Rtcp.read(rr, 0, rr.length);
        assertThat(reports).hasSize(1);
        Rtcp.ReportBlock b = reports.get(0).blocks().get(0);
        assertThat(reports.get(0).sender()).isNull();
        assertThat(b.ssrc()).isEqualTo(2);
        assertThat(b.fractionLost()).isEqualTo(0x40);
        assertThat(b.fractionLostPercent()).isEqualTo(25.0);
        assertThat(b.cumulativeLost()).as("24-bit signed").isEqualTo(-2);
        assertThat(b.extendedHighestSeq()).isEqualTo(0x1000AL);
        assertThat(b.jitter()).isEqualTo(80);
        assertThat(b.lsr()).isEqualTo(0x12345678L);
        assertThat(b.dlsr()).isEqualTo(65536);
        // The round trip (§6.4.1): arrival - LSR - DLSR, here 0.5 s of 1/65536 s units.
        assertThat(Rtcp.roundTripMs(b, 0x12345678 + 65536 + 32768)).isCloseTo(500.0, within(0.01));

        assertThat(Rtcp.read(rr, 0, 20)).as("a length past the end").isEmpty();
        assertThat(Rtcp.read(new byte[] {0, (byte) 200, 0, 0}, 0, 4)).as("not version 2").isEmpty();
    }

    @Test
    void lossAndFractionLostFollowAppendixA3AcrossTheSequenceWrap() {
        RtpReception rx = new RtpReception();
        long t = 0;
        int received = 0;
        for (int i = 0; i < 200; i++) {
            int seq = (65_500 + i) & 0xFFFF; // wraps at i = 36
            if (i % 10 == 3) {
                continue; // 10 % lost
            }
            rx.onPacket(42, seq, i * 160, true, t + i * 20_000_000L);
            received++;
        }
        assertThat(rx.expected()).isEqualTo(200);
        assertThat(rx.received()).isEqualTo(received);
        assertThat(rx.lost()).isEqualTo(20);
        assertThat(rx.extendedHighestSeq()).isEqualTo(65_500L + 199);
        assertThat(rx.nextFractionLost()).as("25.6 of 256").isEqualTo(25);
        assertThat(rx.nextFractionLost()).as("nothing since the last report").isZero();
        // A new source starts its own count; the totals carry over.
        for (int i = 0; i < 10; i++) {
            rx.onPacket(43, 7 + i, i * 160, true, t + (200 + i) * 20_000_000L);
        }
        assertThat(rx.expected()).isEqualTo(210);
        assertThat(rx.lost()).isEqualTo(20);
        assertThat(rx.ssrc()).isEqualTo(43);
    }

    @Test
    void jitterFollowsTheAlgorithmOfAppendixA8() {
        RtpReception rx = new RtpReception();
        Random random = new Random(7);
        double reference = 0; // RFC 3550 §6.4.1: J(i) = J(i-1) + (|D(i-1,i)| - J(i-1))/16, in timestamp units
        long previousTransit = 0;
        for (int i = 0; i < 500; i++) {
            long arrivalUnits = i * 160L + random.nextInt(160); // up to 20 ms late at 8 kHz
            long transit = arrivalUnits - i * 160L;
            if (i > 0) {
                reference += (Math.abs(transit - previousTransit) - reference) / 16;
            }
            previousTransit = transit;
            rx.onPacket(1, i, i * 160, true, arrivalUnits * 125_000L);
        }
        assertThat((double) rx.jitter()).isCloseTo(reference, within(1.0));
        assertThat(rx.jitterMs()).isCloseTo(reference / 8, within(0.2)).isGreaterThan(5);

        RtpReception steady = new RtpReception();
        for (int i = 0; i < 100; i++) {
            steady.onPacket(1, i, i * 160, true, 1_000_000_000L + i * 20_000_000L);
        }
        assertThat(steady.jitter()).as("constant transit").isZero();

        RtpReception opus = new RtpReception();
        opus.clockRate(48_000);
        for (int i = 0; i < 200; i++) {
            opus.onPacket(1, i, i * 960, true, i * 20_000_000L + (i % 2) * 10_000_000L); // every other 10 ms late
        }
        assertThat(opus.jitterMs()).as("in ms whatever the clock").isCloseTo(10.0, within(0.5));
    }

    @Test
    void aLegSendsItsOwnReportsAndReadsThePartysForLossJitterAndRoundTrip() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        int base = Ports.free(10);
        try (MediaRelay relay = new MediaRelay("127.0.0.1", base, base + 9, 1);
             DatagramSocket phone = new DatagramSocket(new InetSocketAddress(lo, 0));
             DatagramSocket phoneRtcp = new DatagramSocket(new InetSocketAddress(lo, 0))) {
            phoneRtcp.setSoTimeout(10_000);
            RtpEndpoint leg = relay.allocate();
            leg.setRemote("127.0.0.1", phone.getLocalPort(), phoneRtcp.getLocalPort(), false);
            leg.setCodec(PayloadType.PCMU, -1);
            // The phone sends 100 packets of which every tenth is lost, then its sender report.
            for (int i = 0; i < 100; i++) {
                if (i % 10 != 5) {
                    byte[] p = MediaRelayTest.rtp(0, 1000 + i, (byte) 0xFF, 160);
                    p[4] = (byte) (i * 160 >> 24);
                    p[5] = (byte) (i * 160 >> 16);
                    p[6] = (byte) (i * 160 >> 8);
                    p[7] = (byte) (i * 160);
                    p[11] = 9; // SSRC 9
                    phone.send(new DatagramPacket(p, p.length, lo, leg.localPort()));
                }
            }
            byte[] sr = new byte[128];
            long srNtp = Rtcp.ntpNow();
            int n = Rtcp.write(sr, 9, new Rtcp.SenderInfo(srNtp, 16_000, 90, 14_400), null, "phone");
            phoneRtcp.send(new DatagramPacket(sr, n, lo, leg.localRtcpPort()));

            // Our report reaches the phone's RTCP port: an RR (we sent no RTP) about SSRC 9.
            Rtcp.ReportBlock block = null;
            while (block == null) {
                DatagramPacket in = new DatagramPacket(new byte[512], 512);
                phoneRtcp.receive(in);
                List<Rtcp.Report> reports = Rtcp.read(in.getData(), 0, in.getLength());
                if (!reports.isEmpty() && !reports.get(0).blocks().isEmpty()
                        && reports.get(0).blocks().get(0).lsr() != 0) {
                    assertThat(reports.get(0).sender()).isNull();
                    block = reports.get(0).blocks().get(0);
                }
            }
            assertThat(block.ssrc()).isEqualTo(9);
            assertThat(block.cumulativeLost()).isEqualTo(10);
            assertThat(block.extendedHighestSeq()).isEqualTo(1099);
            assertThat(block.lsr()).as("LSR echoes the middle of our SR's NTP time").isEqualTo((srNtp >>> 16) & 0xFFFFFFFFL);
            assertThat(block.dlsr()).as("the delay since that SR, in 1/65536 s").isPositive();

            // The phone answers with an RR on what it received: 2 % lost, jitter 80 units (10 ms), and a round trip.
            long rrAt = Rtcp.ntpNow();
            int lsr = (int) (rrAt >>> 16) - 65536 / 10; // as if our SR left 100 ms ago (its SSRC: the leg's own)
            byte[] rr = new byte[128];
            int m = Rtcp.write(rr, 9, null, new Rtcp.ReportBlock(leg.media().ssrc(), 5, 4, 1, 80, lsr & 0xFFFFFFFFL, 65536 / 20), "phone");
            phoneRtcp.send(new DatagramPacket(rr, m, lo, leg.localRtcpPort()));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                MediaQuality q = leg.quality();
                assertThat(q.rttMs()).as("100 ms since the SR minus 50 ms held").isNotNull().isBetween(45.0, 80.0);
                assertThat(q.remoteLossPercent()).isCloseTo(5 * 100.0 / 256, within(0.01));
                assertThat(q.remoteCumulativeLost()).isEqualTo(4);
                assertThat(q.remoteJitterMs()).isEqualTo(10.0);
                assertThat(q.packetsLost()).isEqualTo(10);
                assertThat(q.lossPercent()).isEqualTo(10.0);
                assertThat(q.packetsExpected()).isEqualTo(100);
                assertThat(q.rtcpReceived()).isEqualTo(2);
                assertThat(q.rtcpSent()).isPositive();
                assertThat(q.codec()).isEqualTo("PCMU");
            });
            leg.close();
        }
    }
}
