package dev.hotline.engine.sip;

import dev.hotline.engine.testing.Fuzz;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * SEC-2: the engine's SIP parse path (the raw check {@link RawMessageGuard} installs in front of JAIN-SIP, then JAIN-SIP's
 * parser, then encoding the message back as the stack does to answer it) under random and mutated input, seeded with the
 * 49 RFC 4475 torture messages: no exception but the parser's {@link ParseException}, no hang, bounded allocation.
 */
class SipParserFuzzTest {
    static final int MAX = 8192;
    static final List<byte[]> SEEDS = seeds();

    static List<byte[]> seeds() {
        List<byte[]> s = new ArrayList<>(Fuzz.rfc4475());
        s.add(Fuzz.ascii("OPTIONS sip:1001@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1;rport\r\n"
                + "From: <sip:scan@127.0.0.1>;tag=1\r\nTo: <sip:1001@127.0.0.1>\r\nCall-ID: fuzz-1\r\nCSeq: 1 OPTIONS\r\n"
                + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n"));
        s.add(Fuzz.ascii("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-2\r\nFrom: <sip:a@b>;tag=1\r\n"
                + "To: <sip:c@d>;tag=2\r\nCall-ID: fuzz-2\r\nCSeq: 1 INVITE\r\nContact: <sip:c@127.0.0.1:5080>\r\n"
                + "Content-Type: application/sdp\r\nContent-Length: 4\r\n\r\nv=0\n"));
        return s;
    }

    @Provide
    Arbitrary<byte[]> sipInput() {
        Arbitrary<byte[]> mutated = Combinators.combine(Arbitraries.integers().between(0, SEEDS.size() - 1), Arbitraries.longs())
                .as((i, rng) -> Fuzz.mutate(SEEDS.get(i), rng, MAX));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(1500);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, mutated), net.jqwik.api.Tuple.of(1, random));
    }

    @Property(tries = 1200, seed = "4475")
    void theRawGuardAndJainSipOnlyRefuseWithParseErrors(@ForAll("sipInput") byte[] input) {
        MessageParser parser = new RawMessageGuard().createMessageParser(null);
        Fuzz.guarded(input, 64L * 1024 * 1024, () -> {
            RawMessageGuard.check(input);
            try {
                SIPMessage m = parser.parseSIPMessage(input, true, false, null);
                // The stack drops a message missing a mandatory header before handling it (UDPMessageChannel), then
                // encodes what it keeps (a response copies the request's headers).
                if (m != null && m.getTopmostVia() != null && m.getFrom() != null && m.getTo() != null && m.getCallId() != null
                        && m.getCSeq() != null) {
                    m.encode();
                    m.encodeAsBytes("UDP");
                }
            } catch (ParseException e) {
                // the declared refusal: the stack answers 400
            }
        });
    }
}
