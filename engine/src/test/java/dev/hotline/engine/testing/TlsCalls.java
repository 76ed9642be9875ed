package dev.hotline.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hotline.engine.sdp.MediaDescription;
import dev.hotline.engine.sdp.Sdp;
import dev.hotline.engine.sdp.SdesCrypto;
import dev.hotline.engine.webrtc.SrtpContext;
import dev.hotline.engine.webrtc.SrtpProfile;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.message.Response;

/** Calls between {@link TlsUa} parties through the engine, and the audio check of their {@link RtpPeer}s. */
public final class TlsCalls {
    private TlsCalls() {
    }

    public record Connected(TlsUa.Call call, TlsUa.Incoming incoming, TlsUa.Call answered, MediaDescription offer,
                     MediaDescription answer) {
    }

    public static CompletableFuture<TlsUa.Call> place(TlsUa caller, String from, String password, String to, String sdp) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return caller.call(from, password, to, sdp);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Places a call through the engine and answers it at {@code callee} with the SDP {@code answer} makes. */
    public static Connected connect(TlsUa caller, String from, String password, String to, TlsUa callee, String offerSdp,
                                     java.util.function.Function<MediaDescription, String> answer) throws Exception {
        CompletableFuture<TlsUa.Call> placed = place(caller, from, password, to, offerSdp);
        TlsUa.Incoming in = callee.invites.poll(15, TimeUnit.SECONDS);
        if (in == null && placed.isDone()) {
            // the caller's failure says more than a missing INVITE
            throw new AssertionError("no INVITE at the callee; the caller got " + placed.join().answer().getStatusCode()
                    + " " + placed.join().answer().getReasonPhrase() + " " + placed.join().answer().getHeader("Warning"));
        }
        assertThat(in).as("INVITE over TLS at the callee").isNotNull();
        MediaDescription offer = Sdp.parse(in.sdp());
        TlsUa.Call answered = callee.answer(in, "callee", answer.apply(offer));
        TlsUa.Call call = placed.get(15, TimeUnit.SECONDS);
        assertThat(call.answer().getStatusCode()).isEqualTo(Response.OK);
        assertThat(callee.acks.poll(10, TimeUnit.SECONDS)).as("ACK over TLS at the callee").isNotNull();
        return new Connected(call, in, answered, offer, Sdp.parse(call.remoteSdp()));
    }

    /** 20 packets each way; every payload arrives as sent (and, when {@code encrypted}, not in clear on the wire). */
    public static void assertAudioBothWays(RtpPeer a, MediaDescription toA, RtpPeer b, MediaDescription toB,
                                            boolean encrypted) throws Exception {
        InetSocketAddress engineA = new InetSocketAddress(toA.address(), toA.port());
        InetSocketAddress engineB = new InetSocketAddress(toB.address(), toB.port());
        for (int i = 0; i < 20; i++) {
            a.send(engineA, i, payload(i));
            assertThat(b.receive(Duration.ofSeconds(5))).as("A→B packet %d", i).isEqualTo(payload(i));
            if (encrypted) {
                assertThat(java.util.Arrays.copyOfRange(b.lastWire, 12, 172)).isNotEqualTo(payload(i));
            }
            b.send(engineB, 500 + i, payload(500 + i));
            assertThat(a.receive(Duration.ofSeconds(5))).as("B→A packet %d", i).isEqualTo(payload(500 + i));
        }
    }

    public static byte[] payload(int seq) {
        byte[] p = new byte[160];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (seq * 7 + i);
        }
        return p;
    }

    public static SrtpContext context(SdesCrypto c) {
        return new SrtpContext(SrtpProfile.AES128_CM_HMAC_SHA1_80, c.key(), c.salt());
    }

    public static String sdp(int port, boolean savp, SdesCrypto crypto) {
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + port + (savp ? " RTP/SAVP" : " RTP/AVP") + " 0\r\na=rtpmap:0 PCMU/8000\r\n"
                + (crypto == null ? "" : "a=crypto:" + crypto.attribute() + "\r\n") + "a=sendrecv\r\n";
    }
}
