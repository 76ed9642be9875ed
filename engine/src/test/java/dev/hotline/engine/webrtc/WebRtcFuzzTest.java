package dev.hotline.engine.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.testing.Fuzz;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
 * SEC-2: the WebRTC parsers under mutated captured packets and random input: STUN (parse, the ICE-lite responder,
 * the demultiplexer), SRTP/SRTCP unprotect, the browser's SDP offer, and DTLS records fed to the DTLS-SRTP server
 * (mutations of a real client's flights): only their declared failures, no hang, bounded allocation.
 */
class WebRtcFuzzTest {
    static final ExecutorService POOL = Executors.newCachedThreadPool();
    static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    static final List<byte[]> STUN = new ArrayList<>();
    static final List<byte[]> DTLS = new ArrayList<>();
    static final byte[] KEY = new byte[16];
    static final byte[] SALT = new byte[14];

    @BeforeContainer
    static void seeds() throws Exception {
        byte[] tx = new byte[12];
        tx[0] = 1;
        byte[] integrity = "0123456789abcdef012345".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        STUN.add(StunMessage.builder(StunMessage.BINDING_REQUEST, tx).username("srv:cli").priority(1853817087L).useCandidate()
                .iceControlling(42).build(integrity, true));
        STUN.add(StunMessage.builder(StunMessage.BINDING_SUCCESS, tx).xorMappedAddress(new InetSocketAddress("127.0.0.1", 5000))
                .build(integrity, true));
        STUN.add(StunMessage.builder(StunMessage.BINDING_ERROR, tx).errorCode(487, "Role Conflict").unknownAttributes(new int[] {0x0022})
                .build());
        // A real DTLS client's flights, captured through memory.
        DtlsSrtpServer[] server = new DtlsSrtpServer[1];
        InMemoryDatagramTransport[] client = new InMemoryDatagramTransport[1];
        server[0] = new DtlsSrtpServer(SERVER_CERT, DtlsSrtpServer.DEFAULT_PROFILES, Duration.ofSeconds(10),
                (d, o, l) -> client[0].deliver(d, o, l), POOL);
        client[0] = new InMemoryDatagramTransport(p -> {
            synchronized (DTLS) {
                DTLS.add(p.clone());
            }
            server[0].onPacket(p, 0, p.length);
        });
        TestDtlsClient c = new TestDtlsClient(DtlsCertificate.generate("browser", Duration.ofDays(1)), SERVER_CERT.fingerprint(),
                SrtpProfile.AES128_CM_HMAC_SHA1_80.id());
        CompletableFuture.runAsync(() -> {
            try {
                c.connect(client[0]);
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, POOL).get(20, TimeUnit.SECONDS);
        server[0].close();
        assertThat(DTLS).isNotEmpty();
    }

    @AfterContainer
    static void stop() {
        POOL.shutdownNow();
    }

    @Provide
    Arbitrary<byte[]> stun() {
        Arbitrary<byte[]> mutated = Combinators.combine(Arbitraries.integers().between(0, STUN.size() - 1), Arbitraries.longs())
                .as((i, rng) -> Fuzz.mutate(STUN.get(i), rng, 1500));
        return Arbitraries.frequencyOf(Tuple.of(8, mutated), Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(600)));
    }

    @Property(tries = 1200, seed = "8489")
    void stunParsingOnlyRefusesWithStunException(@ForAll("stun") byte[] input) {
        IceLiteResponder ice = new IceLiteResponder("srv", "0123456789abcdef012345");
        ice.setRemoteUfrag("cli");
        Fuzz.guarded(input, 1024L * 1024, () -> {
            PacketDemux.classify(input, 0, input.length);
            StunMessage.looksLikeStun(input, 0, input.length);
            try {
                StunMessage m = StunMessage.parse(input, 0, input.length);
                m.hasFingerprint();
                m.unknownRequiredAttributes();
            } catch (StunException e) {
                // declared: silently dropped
            }
            ice.onStun(input, 0, input.length, new InetSocketAddress("127.0.0.1", 5000));
        });
    }

    @Provide
    Arbitrary<byte[]> srtp() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, Combinators.combine(Arbitraries.integers().between(0, 1), Arbitraries.longs()).as((i, rng) -> {
                    SrtpContext tx = new SrtpContext(SrtpProfile.AES128_CM_HMAC_SHA1_80, KEY, SALT);
                    byte[] p = new byte[12 + 160 + SrtpContext.RTP_OVERHEAD_MAX + 100];
                    p[0] = (byte) 0x80;
                    p[3] = 1;
                    int len = i == 0 ? tx.protectRtp(p, 0, 172) : tx.protectRtcp(rtcp(p), 0, 28);
                    return Fuzz.mutate(java.util.Arrays.copyOf(p, len), rng, 1500);
                })),
                Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(400)));
    }

    static byte[] rtcp(byte[] p) {
        java.util.Arrays.fill(p, (byte) 0);
        p[0] = (byte) 0x80;
        p[1] = (byte) 200;
        p[3] = 6;
        return p;
    }

    @Property(tries = 400, seed = "3711")
    void srtpUnprotectAnswersAnErrorCodeNeverAnException(@ForAll("srtp") byte[] input, @ForAll boolean asRtcp) {
        SrtpContext rx = new SrtpContext(SrtpProfile.AES128_CM_HMAC_SHA1_80, KEY, SALT);
        Fuzz.guarded(input, 1024L * 1024, () -> {
            byte[] buf = java.util.Arrays.copyOf(input, input.length + 64);
            int r = asRtcp ? rx.unprotectRtcp(buf, 0, input.length) : rx.unprotectRtp(buf, 0, input.length);
            assertThat(r).isLessThanOrEqualTo(input.length);
        });
    }

    @Provide
    Arbitrary<String> offer() {
        String seed = "v=0\r\no=- 46117 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\na=msid-semantic: WMS\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111 0 8 126\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n"
                + "a=candidate:1 1 udp 2122260223 192.168.1.5 54321 typ host generation 0\r\na=ice-ufrag:Ab12\r\n"
                + "a=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=ice-options:trickle\r\n"
                + "a=fingerprint:sha-256 3A:4B:5C:6D:7E:8F:90:A1:B2:C3:D4:E5:F6:07:18:29:3A:4B:5C:6D:7E:8F:90:A1:B2:C3:D4:E5:F6:07:18:29\r\n"
                + "a=setup:actpass\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=rtpmap:0 PCMU/8000\r\n"
                + "a=rtpmap:8 PCMA/8000\r\na=rtpmap:126 telephone-event/8000\r\n";
        return Arbitraries.longs().map(rng -> new String(Fuzz.mutate(Fuzz.ascii(seed), rng, 16384), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Property(tries = 500, seed = "8829")
    void aBrowsersOfferIsParsedOrRefusedWithIllegalArgument(@ForAll("offer") String offer) {
        Fuzz.guarded(Fuzz.ascii(offer), 16L * 1024 * 1024, () -> {
            try {
                WebRtcSdp.parseOffer(offer);
            } catch (IllegalArgumentException e) {
                // declared: the browser is answered 400
            }
        });
    }

    @Provide
    Arbitrary<byte[]> dtls() {
        return Combinators.combine(Arbitraries.integers().between(0, Math.max(0, DTLS.size() - 1)), Arbitraries.longs())
                .as((i, rng) -> Fuzz.mutate(DTLS.get(Math.min(i, DTLS.size() - 1)), rng, 1500));
    }

    /** A mutated record makes the handshake fail with an IOException (an alert, a timeout) or, rarely, still succeed. */
    @Property(tries = 12, seed = "6347")
    void mutatedDtlsRecordsEndTheHandshakeWithAnIoFailureWithinItsTimeout(@ForAll("dtls") byte[] input) throws Exception {
        DtlsSrtpServer server = new DtlsSrtpServer(SERVER_CERT, DtlsSrtpServer.DEFAULT_PROFILES, Duration.ofMillis(250), (d, o, l) -> { }, POOL);
        try {
            server.onPacket(input, 0, input.length);
            try {
                server.handshake().get(5, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertThat(e.getCause()).as("input %s", Fuzz.hex(input)).isInstanceOf(IOException.class);
            }
        } finally {
            server.close();
        }
    }
}
