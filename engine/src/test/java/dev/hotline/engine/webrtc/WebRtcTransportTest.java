package dev.hotline.engine.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.webrtc.WebRtcTransport.Received;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A browser simulated in-process (our STUN builder, a BouncyCastle DTLS client, our SRTP) drives
 * a whole exchange through {@link WebRtcTransport}: ICE check, DTLS-SRTP, media both ways.
 */
class WebRtcTransportTest {
    private static final ExecutorService POOL = Executors.newCachedThreadPool();
    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generate();
    private static final DtlsCertificate BROWSER_CERT = DtlsCertificate.generate();
    private static final InetSocketAddress BROWSER = new InetSocketAddress("127.0.0.1", 51000);
    /** Chromium may send from another local address than its candidate; we must answer that one. */
    private static final InetSocketAddress BROWSER_OTHER = new InetSocketAddress("127.0.0.3", 51002);

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    private static byte[] bindingRequest(WebRtcTransport t, int n, boolean nominate) {
        byte[] tx = new byte[12];
        tx[0] = (byte) n;
        StunMessage.Builder b = StunMessage.builder(StunMessage.BINDING_REQUEST, tx)
                .username(t.localUfrag() + ":brws").priority(2130706431L).iceControlling(99);
        if (nominate) {
            b.useCandidate();
        }
        return b.build(StunMessage.shortTermKey(t.localPassword()), true);
    }

    private static byte[] rtp(int seq, int payloadLength, int room) {
        byte[] b = new byte[12 + payloadLength + room];
        b[0] = (byte) 0x80;
        b[1] = 0; // PCMU
        StunMessage.writeShort(b, 2, seq);
        StunMessage.writeInt(b, 4, seq * 160);
        StunMessage.writeInt(b, 8, 0x0BADCAFE);
        for (int i = 0; i < payloadLength; i++) {
            b[12 + i] = (byte) (i * 7 + seq);
        }
        return b;
    }

    @Test
    void fullExchangeThroughTheFacade() throws Exception {
        InMemoryDatagramTransport[] browserSide = new InMemoryDatagramTransport[1];
        InetSocketAddress[] dtlsSentTo = new InetSocketAddress[1];
        WebRtcTransport transport = new WebRtcTransport(SERVER_CERT, (data, off, len, to) -> {
            dtlsSentTo[0] = to;
            browserSide[0].deliver(data, off, len);
        }, POOL);
        transport.setRemote("brws", BROWSER_CERT.sdpFingerprint());
        assertThat(transport.localUfrag()).hasSizeGreaterThanOrEqualTo(4);
        assertThat(transport.localPassword()).hasSizeGreaterThanOrEqualTo(22);
        assertThat(transport.localFingerprint()).isEqualTo(SERVER_CERT.sdpFingerprint());

        // 1. ICE: a check from the other local address is answered there and latched; the nominating one wins.
        byte[] check = bindingRequest(transport, 1, false);
        Received r = transport.onPacket(check, check.length, BROWSER_OTHER);
        assertThat(r.kind()).isEqualTo(Received.Kind.SEND);
        assertThat(r.address()).isEqualTo(BROWSER_OTHER);
        StunMessage answer = StunMessage.parse(r.data(), 0, r.length());
        assertThat(answer.type()).isEqualTo(StunMessage.BINDING_SUCCESS);
        assertThat(answer.checkIntegrity(StunMessage.shortTermKey(transport.localPassword()))).isTrue();
        assertThat(answer.xorMappedAddress()).isEqualTo(BROWSER_OTHER);
        byte[] nominate = bindingRequest(transport, 2, true);
        assertThat(transport.onPacket(nominate, nominate.length, BROWSER).address()).isEqualTo(BROWSER);
        assertThat(transport.remoteAddress()).isEqualTo(BROWSER);

        // Before the keys, RTP is dropped and protect refuses.
        byte[] early = rtp(1, 160, 10);
        assertThat(transport.onPacket(early, 172, BROWSER).kind()).isEqualTo(Received.Kind.NONE);
        assertThat(transport.protectRtp(early, 0, 172)).isEqualTo(-1);

        // 2. DTLS: the browser connects as client; its datagrams enter through onPacket.
        TestDtlsClient browser = new TestDtlsClient(BROWSER_CERT, SERVER_CERT.fingerprint(),
                SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        browserSide[0] = new InMemoryDatagramTransport(p -> transport.onPacket(p, p.length, BROWSER));
        CompletableFuture<Void> connected = CompletableFuture.runAsync(() -> {
            try {
                browser.connect(browserSide[0]);
            } catch (java.io.IOException e) {
                throw new CompletionException(e);
            }
        }, POOL);
        transport.secured().get(20, TimeUnit.SECONDS);
        connected.get(20, TimeUnit.SECONDS);
        assertThat(transport.isSecure()).isTrue();
        assertThat(dtlsSentTo[0]).isEqualTo(BROWSER);
        SrtpContext browserOut = browser.keys.clientContext();
        SrtpContext browserIn = browser.keys.serverContext();

        // 3. Browser -> us: SRTP decrypted in place for the media path.
        for (int seq = 100; seq < 105; seq++) {
            byte[] packet = rtp(seq, 160, 10);
            byte[] plain = Arrays.copyOf(packet, 172);
            int n = browserOut.protectRtp(packet, 0, 172);
            byte[] replay = Arrays.copyOf(packet, n);
            r = transport.onPacket(packet, n, BROWSER);
            assertThat(r.kind()).isEqualTo(Received.Kind.RTP);
            assertThat(r.data()).isSameAs(packet);
            assertThat(Arrays.copyOf(r.data(), r.length())).isEqualTo(plain);
            assertThat(transport.onPacket(replay, replay.length, BROWSER).kind()).isEqualTo(Received.Kind.NONE);
        }
        assertThat(transport.rejectedSrtpPackets()).isEqualTo(5);

        // 4. Us -> browser.
        byte[] out = rtp(7, 160, SrtpContext.RTP_OVERHEAD_MAX);
        byte[] outPlain = Arrays.copyOf(out, 172);
        int n = transport.protectRtp(out, 0, 172);
        assertThat(n).isEqualTo(182);
        assertThat(browserIn.unprotectRtp(out, 0, n)).isEqualTo(172);
        assertThat(Arrays.copyOf(out, 172)).isEqualTo(outPlain);

        // 5. RTCP both ways (rtcp-mux: same port, told apart by the packet type).
        byte[] rr = new byte[8 + SrtpContext.RTCP_OVERHEAD];
        rr[0] = (byte) 0x80;
        rr[1] = (byte) 201;
        StunMessage.writeShort(rr, 2, 1);
        StunMessage.writeInt(rr, 4, 0x1234);
        int rrLen = browserOut.protectRtcp(rr, 0, 8);
        r = transport.onPacket(rr, rrLen, BROWSER);
        assertThat(r.kind()).isEqualTo(Received.Kind.RTCP);
        assertThat(r.length()).isEqualTo(8);
        byte[] sr = Arrays.copyOf(new byte[] {(byte) 0x80, (byte) 200, 0, 1, 0, 0, 0, 9}, 8 + SrtpContext.RTCP_OVERHEAD);
        int srLen = transport.protectRtcp(sr, 0, 8);
        assertThat(browserIn.unprotectRtcp(sr, 0, srLen)).isEqualTo(8);

        // 6. Consent checks keep being answered after media started.
        byte[] consent = bindingRequest(transport, 3, false);
        assertThat(transport.onPacket(consent, consent.length, BROWSER).kind()).isEqualTo(Received.Kind.SEND);
        transport.close();
        assertThat(transport.protectRtp(rtp(8, 10, 10), 0, 22)).isEqualTo(-1);
    }

    @Test
    void garbageOnThePortIsIgnored() {
        WebRtcTransport transport = new WebRtcTransport(SERVER_CERT, (d, o, l, to) -> { }, POOL);
        byte[] junk = {(byte) 0xFF, 1, 2, 3};
        assertThat(transport.onPacket(junk, junk.length, BROWSER).kind()).isEqualTo(Received.Kind.NONE);
        byte[] shortStun = {0, 1, 0};
        assertThat(transport.onPacket(shortStun, shortStun.length, BROWSER).kind()).isEqualTo(Received.Kind.NONE);
        assertThat(transport.onPacket(new byte[0], 0, BROWSER).kind()).isEqualTo(Received.Kind.NONE);
        transport.close();
    }
}
