package dev.hotline.engine.rtp;

import dev.hotline.engine.sdp.PayloadType;
import dev.hotline.engine.testing.Fuzz;
import dev.hotline.engine.testing.Ports;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * SEC-2: the media relay's RTP and RTCP receive path (header, CSRC and extension lengths, RFC 4733 events, transcoding,
 * jitter and sequence tracking, RTCP forwarding) under mutated captured packets and random datagrams: nothing thrown.
 */
class RtpFuzzTest {
    static MediaRelay relay;
    static RtpEndpoint a;
    static RtpEndpoint b;

    static final List<byte[]> SEEDS = List.of(
            rtp(0, 160, 0x80),          // PCMU voice
            rtp(8, 160, 0xD5),          // PCMA
            rtp(101, 4, 0x05),          // telephone-event
            withExtension(),
            // RTCP sender report + SDES, receiver report, BYE
            hex("80c8000677a1b2c3e7a1b2c30000000000000a000000006400003e80" + "81ca000377a1b2c3010568656c6c6f00"),
            hex("81c9000777a1b2c311223344000000000000000100000000000000000000000000000000"),
            hex("81cb000177a1b2c3"));

    static byte[] rtp(int pt, int payload, int fill) {
        byte[] p = new byte[12 + payload];
        p[0] = (byte) 0x80;
        p[1] = (byte) pt;
        p[3] = 1;
        p[11] = 7;
        java.util.Arrays.fill(p, 12, p.length, (byte) fill);
        return p;
    }

    static byte[] withExtension() {
        byte[] p = rtp(0, 160, 0xFF);
        byte[] out = new byte[p.length + 8];
        System.arraycopy(p, 0, out, 0, 12);
        out[0] = (byte) 0x90;
        out[12] = (byte) 0xBE;
        out[13] = (byte) 0xDE;
        out[15] = 1;
        System.arraycopy(p, 12, out, 20, p.length - 12);
        return out;
    }

    static byte[] hex(String h) {
        return java.util.HexFormat.of().parseHex(h);
    }

    @BeforeContainer
    static void start() throws Exception {
        int base = Ports.free(8);
        relay = new MediaRelay("127.0.0.1", base, base + 7, 1);
        a = relay.allocate();
        b = relay.allocate();
        int sink = Ports.free();
        a.setRemote("127.0.0.1", sink, sink + 1, false);
        b.setRemote("127.0.0.1", sink, sink + 1, false);
        a.setCodec(PayloadType.PCMU, 101);
        b.setCodec(PayloadType.PCMA, 96);
        RtpEndpoint.link(a, b);
    }

    @AfterContainer
    static void stop() {
        relay.close();
    }

    @Provide
    Arbitrary<byte[]> packet() {
        Arbitrary<byte[]> mutated = Combinators.combine(Arbitraries.integers().between(0, SEEDS.size() - 1), Arbitraries.longs())
                .as((i, rng) -> Fuzz.mutate(SEEDS.get(i), rng, 1500));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(1500);
        return Arbitraries.frequencyOf(Tuple.of(8, mutated), Tuple.of(2, random));
    }

    @Property(tries = 1200, seed = "3550")
    void rtpAndRtcpPacketsNeverThrow(@ForAll("packet") byte[] input, @ForAll boolean asRtcp) {
        Fuzz.guarded(input, 1024L * 1024, () -> a.inject(ByteBuffer.wrap(input.clone()), asRtcp));
    }
}
