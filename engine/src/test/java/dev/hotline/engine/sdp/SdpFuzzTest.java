package dev.hotline.engine.sdp;

import dev.hotline.engine.testing.Fuzz;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** SEC-2: the SDP parser under mutated offers (the RFC 4475 bodies and captured ones): only {@link SdpException}. */
class SdpFuzzTest {
    static final List<byte[]> SEEDS = seeds();

    static List<byte[]> seeds() {
        List<byte[]> s = new ArrayList<>();
        for (byte[] m : Fuzz.rfc4475()) {
            String t = new String(m, java.nio.charset.StandardCharsets.ISO_8859_1);
            int body = t.indexOf("\r\n\r\n");
            if (body > 0 && t.indexOf("v=0", body) > 0) s.add(t.substring(body + 4).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        s.add(Fuzz.ascii("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 6000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
                + "a=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n"));
        s.add(Fuzz.ascii("v=0\r\no=- 2 2 IN IP6 ::1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 0\r\nc=IN IP6 ::1\r\n"
                + "a=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:abcd\r\na=ice-pwd:0123456789abcdef012345\r\na=fingerprint:sha-256 AB:CD\r\n"
                + "a=setup:actpass\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=inactive\r\nm=video 0 RTP/AVP 31\r\n"));
        return s;
    }

    @Provide
    Arbitrary<byte[]> sdpInput() {
        Arbitrary<byte[]> mutated = Combinators.combine(Arbitraries.integers().between(0, SEEDS.size() - 1), Arbitraries.longs())
                .as((i, rng) -> Fuzz.mutate(SEEDS.get(i), rng, 8192));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(512);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, mutated), net.jqwik.api.Tuple.of(1, random));
    }

    @Property(tries = 500, seed = "4566")
    void theSdpParserOnlyRefusesWithSdpException(@ForAll("sdpInput") byte[] input) {
        Fuzz.guarded(input, 16L * 1024 * 1024, () -> {
            try {
                MediaDescription d = Sdp.parse(input);
                d.toString();
            } catch (SdpException e) {
                // declared: answered 488
            }
        });
    }
}
