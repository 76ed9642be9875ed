package dev.hotline.engine.dtmf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TelephoneEventTest {
    private static final Path SIPP = Path.of("/usr/share/sip-tester");

    @Test
    void decodesEverySippCaptureToExactlyOneKey() throws Exception {
        String[] names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "star", "pound"};
        char[] keys = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'};
        assertThat(SIPP.resolve("dtmf_2833_0.pcap")).as("SIPp captures (apt-get install sip-tester)").exists();
        for (int i = 0; i < names.length; i++) {
            List<Pcap.Rtp> packets = Pcap.readRtp(SIPP.resolve("dtmf_2833_" + names[i] + ".pcap"));
            assertThat(packets).hasSize(10);
            TelephoneEventReceiver rx = new TelephoneEventReceiver();
            List<DtmfDigit> heard = new ArrayList<>();
            for (Pcap.Rtp p : packets) {
                assertThat(p.payloadType()).isEqualTo(101);
                int ev = rx.onPacket(p.timestamp(), p.payload(), 0, p.payload().length);
                if (ev != TelephoneEventReceiver.NONE) {
                    heard.add(DtmfDigit.fromEvent(ev));
                }
            }
            assertThat(heard).as(names[i]).containsExactly(DtmfDigit.fromSymbol(keys[i]));
            assertThat(rx.lastEnded()).isTrue();
            assertThat(rx.lastDuration()).isEqualTo(2240);
            assertThat(rx.ignored()).isEqualTo(9);

            TelephoneEvent last = TelephoneEvent.decode(packets.get(9).payload(), 0, 4);
            assertThat(last).isEqualTo(new TelephoneEvent(DtmfDigit.fromSymbol(keys[i]).event(), true, 10, 2240));
            assertThat(packets.get(0).marker()).isTrue();
        }
    }

    @Test
    void encodeDecodeRoundTrip() {
        TelephoneEvent e = new TelephoneEvent(11, true, 63, 0xFFFF);
        byte[] b = new byte[6];
        assertThat(e.encode(b, 2)).isEqualTo(4);
        assertThat(b).containsExactly(0, 0, 11, (byte) 0xBF, (byte) 0xFF, (byte) 0xFF);
        assertThat(TelephoneEvent.decode(b, 2, 4)).isEqualTo(e);
        assertThat(e.digit()).isEqualTo(DtmfDigit.POUND);
        assertThat(new TelephoneEvent(16, false, 10, 0).digit()).isNull(); // flash
        // the reserved bit is ignored on receipt
        byte[] r = {5, (byte) 0x4A, 0, (byte) 160};
        assertThat(TelephoneEvent.decode(r, 0, 4)).isEqualTo(new TelephoneEvent(5, false, 10, 160));
    }

    @Test
    void hostilePayloads() {
        assertThatThrownBy(() -> TelephoneEvent.decode(new byte[3], 0, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TelephoneEvent.decode(new byte[4], 2, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TelephoneEvent(1, false, 64, 0)).isInstanceOf(IllegalArgumentException.class);
        TelephoneEventReceiver rx = new TelephoneEventReceiver();
        assertThat(rx.onPacket(0, new byte[2], 0, 2)).isEqualTo(TelephoneEventReceiver.NONE);
    }

    @Test
    void generatorSendsStartUpdatesAndThreeEnds() {
        List<TelephoneEventGenerator.Packet> p = TelephoneEventGenerator.packets(DtmfDigit.D5, 800, 160, 10);
        assertThat(p).hasSize(4 + 3);
        assertThat(p.get(0).marker()).isTrue();
        assertThat(p.subList(1, p.size())).noneMatch(TelephoneEventGenerator.Packet::marker);
        assertThat(p).extracting(x -> x.payload().duration()).containsExactly(160, 320, 480, 640, 800, 800, 800);
        assertThat(p).extracting(x -> x.payload().end()).containsExactly(false, false, false, false, true, true, true);
        assertThat(p).allMatch(x -> x.payload().event() == 5 && x.payload().volume() == 10);
        // shortest: one packet long, so the end packets carry the marker
        List<TelephoneEventGenerator.Packet> s = TelephoneEventGenerator.packets(DtmfDigit.STAR, 160, 160, 10);
        assertThat(s).hasSize(3);
        assertThat(s.get(0).marker()).isTrue();
        assertThatThrownBy(() -> TelephoneEventGenerator.packets(DtmfDigit.STAR, 100, 160, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reorderedDuplicatedAndLostPacketsStillGiveEachKeyOnce() {
        // "1 2 2 #": two presses of the same key are two events (different timestamps)
        DtmfDigit[] keys = {DtmfDigit.D1, DtmfDigit.D2, DtmfDigit.D2, DtmfDigit.POUND};
        record Sent(int ts, byte[] payload) {
        }
        List<Sent> stream = new ArrayList<>();
        int ts = 1000;
        for (DtmfDigit k : keys) {
            for (TelephoneEventGenerator.Packet p : TelephoneEventGenerator.packets(k, 960, 160, 10)) {
                byte[] b = new byte[4];
                p.encode(b, 0);
                stream.add(new Sent(ts, b));
            }
            ts += 960 + 800;
        }
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            List<Sent> net = new ArrayList<>();
            for (Sent s : stream) {
                if (rnd.nextInt(10) == 0 && !TelephoneEvent.isEnd(s.payload(), 0)) {
                    continue; // lost (keep at least the ends of each event)
                }
                net.add(s);
                if (rnd.nextInt(8) == 0) {
                    net.add(s); // duplicated
                }
            }
            // local reordering: swap neighbours within one event
            for (int i = 1; i < net.size(); i++) {
                if (net.get(i).ts() == net.get(i - 1).ts() && rnd.nextInt(4) == 0) {
                    Collections.swap(net, i, i - 1);
                }
            }
            // a retransmission of the first event arrives late
            net.add(net.size() - 2, stream.get(0));
            TelephoneEventReceiver rx = new TelephoneEventReceiver();
            List<DtmfDigit> heard = new ArrayList<>();
            for (Sent s : net) {
                int ev = rx.onPacket(s.ts(), s.payload(), 0, 4);
                if (ev >= 0) {
                    heard.add(DtmfDigit.fromEvent(ev));
                }
            }
            assertThat(heard).as("trial %d", trial).containsExactly(keys);
        }
    }

    @Test
    void onlyEndPacketsStillReportTheKey() {
        TelephoneEventReceiver rx = new TelephoneEventReceiver();
        byte[] end = new byte[4];
        new TelephoneEvent(7, true, 10, 800).encode(end, 0);
        assertThat(rx.onPacket(5000, end, 0, 4)).isEqualTo(7);
        assertThat(rx.onPacket(5000, end, 0, 4)).isEqualTo(TelephoneEventReceiver.NONE);
        assertThat(rx.onPacket(5000, end, 0, 4)).isEqualTo(TelephoneEventReceiver.NONE);
    }

    @Test
    void longEventSegmentsAreOneKeyAndTimestampsWrap() {
        TelephoneEventReceiver rx = new TelephoneEventReceiver();
        byte[] b = new byte[4];
        int ts = -100; // near 2^32, wraps during the event
        new TelephoneEvent(3, false, 10, 0xFFFF).encode(b, 0);
        assertThat(rx.onPacket(ts, b, 0, 4)).isEqualTo(3);
        // §2.5.1.3: the next segment has a new timestamp, the end of the previous one
        new TelephoneEvent(3, false, 10, 160).encode(b, 0);
        assertThat(rx.onPacket(ts + 0xFFFF, b, 0, 4)).isEqualTo(TelephoneEventReceiver.NONE);
        new TelephoneEvent(3, true, 10, 320).encode(b, 0);
        assertThat(rx.onPacket(ts + 0xFFFF, b, 0, 4)).isEqualTo(TelephoneEventReceiver.NONE);
        // a new press of the same key after the end is a new key
        new TelephoneEvent(3, false, 10, 160).encode(b, 0);
        assertThat(rx.onPacket(ts + 0xFFFF + 2000, b, 0, 4)).isEqualTo(3);
        assertThat(rx.reported()).isEqualTo(2);
    }
}
