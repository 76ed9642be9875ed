package dev.hotline.engine.sip;

import dev.hotline.engine.call.CallEvent;
import dev.hotline.engine.call.ChannelState;
import dev.hotline.engine.call.WebRtcConnection;
import dev.hotline.engine.rtp.MediaRelay;
import dev.hotline.engine.rtp.MediaSocket;
import dev.hotline.engine.rtp.RtpEndpoint;
import dev.hotline.engine.sdp.MediaDescription;
import dev.hotline.engine.sdp.MediaDirection;
import dev.hotline.engine.sdp.PayloadType;
import dev.hotline.engine.webrtc.DtlsCertificate;
import dev.hotline.engine.webrtc.DtlsSrtpServer;
import dev.hotline.engine.webrtc.SrtpContext;
import dev.hotline.engine.webrtc.WebRtcSdp;
import dev.hotline.engine.webrtc.WebRtcTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent WebRTC connection of one agent's browser: one UDP port of the RTP range with
 * ICE-lite, DTLS-SRTP and SRTP on it ({@link WebRtcTransport}), and the call channels ("browser
 * legs", {@link SipLeg}s without SIP) multiplexed on it.
 *
 * <p>Media in (reactor thread of the port): STUN is answered to the packet source; SRTP is
 * decrypted and the plain packet injected into the <em>active</em> leg's virtual
 * {@link RtpEndpoint}, from where the ordinary relay, DTMF detection, clock and recording take it.
 * Media out (any media thread): a leg's endpoint hands its packet to {@link #send}; only the active
 * leg's packets are copied to a per-thread buffer, SRTP-protected (the contexts lock only for the
 * few microseconds of the cipher) and sent to the ICE-selected address. No lock is held while
 * sending, nothing touches disk or database.
 *
 * <p>Active leg: the most recently answered UP leg that is not on hold (neither it nor its bridged
 * peer plays music on hold); when all are on hold, the most recently answered of them. Computed
 * per packet over a tiny array (usually one or two legs), so no event can leave it stale.
 */
final class BrowserConnection implements WebRtcConnection, MediaSocket.Handler {
    private static final Logger log = LoggerFactory.getLogger(BrowserConnection.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** A per-thread buffer for protecting outgoing packets (the originals stay untouched). */
    private static final class Scratch {
        final byte[] bytes = new byte[2048 + SrtpContext.RTCP_OVERHEAD + SrtpContext.RTP_OVERHEAD_MAX];
        final ByteBuffer buf = ByteBuffer.wrap(bytes);
    }

    private final SipEngine engine;
    private final String key;
    final PayloadType codec;
    final int telephoneEventPt;
    /** The browser's offer as the SIP side sees a remote description (codec choice of partners). */
    final MediaDescription remote;
    private final String answerSdp;
    private final WebRtcTransport transport;
    private final MediaSocket socket;
    private final SerialExecutor ctx;
    private final Object legsLock = new Object();
    private volatile SipLeg[] legs = new SipLeg[0];
    /** What was last reported: null before any report. Changed on {@link #ctx} only. */
    private Boolean reportedUp;
    private volatile boolean up;
    /** A "packets again" report is queued (keeps the media thread from posting one per packet). */
    private volatile boolean upPending;
    private volatile boolean closed;

    BrowserConnection(SipEngine engine, String key, WebRtcSdp.Offer offer, DtlsCertificate certificate,
                      MediaRelay relay, SerialExecutor ctx) throws IOException {
        this.engine = engine;
        this.key = key;
        this.ctx = ctx;
        this.codec = offer.codec();
        this.telephoneEventPt = offer.telephoneEvent();
        List<PayloadType> pts = new ArrayList<>(2);
        pts.add(codec);
        if (telephoneEventPt >= 0) {
            pts.add(new PayloadType(telephoneEventPt, "telephone-event", codec.clockRate()));
        }
        this.remote = new MediaDescription("0.0.0.0", 9, 9, true, pts, MediaDirection.SENDRECV, 20);
        MediaSocket[] holder = new MediaSocket[1];
        this.transport = new WebRtcTransport(certificate, (data, off, len, to) -> {
            MediaSocket s = holder[0];
            if (s != null) {
                s.send(ByteBuffer.wrap(data, off, len), to);
            }
        }, DtlsSrtpServer.sharedExecutor());
        transport.setRemote(offer.iceUfrag(), offer.fingerprint());
        this.socket = relay.openSocket(this);
        holder[0] = socket;
        String address = engine.config.advertisedAddress();
        this.answerSdp = WebRtcSdp.answer(offer, address, socket.port(), transport.localUfrag(),
                transport.localPassword(), transport.localFingerprint(), RANDOM.nextInt(Integer.MAX_VALUE));
        transport.secured().whenComplete((v, failure) -> {
            if (failure == null) {
                report(true);
            } else if (!closed) {
                log.info("WebRTC connection {}: DTLS failed: {}", key, failure.toString());
                report(false);
            }
        });
    }

    // ---------------------------------------------------------------- WebRtcConnection

    @Override
    public String key() {
        return key;
    }

    @Override
    public String answerSdp() {
        return answerSdp;
    }

    @Override
    public boolean connected() {
        return up && !closed;
    }

    @Override
    public String codec() {
        return codec.encoding();
    }

    int port() {
        return socket.port();
    }

    // ---------------------------------------------------------------- legs (call threads)

    void add(SipLeg leg) {
        synchronized (legsLock) {
            SipLeg[] l = Arrays.copyOf(legs, legs.length + 1);
            l[l.length - 1] = leg;
            legs = l;
        }
    }

    void remove(SipLeg leg) {
        synchronized (legsLock) {
            SipLeg[] l = legs;
            List<SipLeg> keep = new ArrayList<>(l.length);
            for (SipLeg x : l) {
                if (x != leg) {
                    keep.add(x);
                }
            }
            legs = keep.toArray(new SipLeg[0]);
        }
    }

    /** Takes every leg away (for a replacing connection or to end them); empties this connection. */
    List<SipLeg> takeLegs() {
        synchronized (legsLock) {
            List<SipLeg> all = List.of(legs);
            legs = new SipLeg[0];
            return all;
        }
    }

    /** The leg the browser hears and is heard by now; null when none is answered. */
    SipLeg active() {
        SipLeg best = null;
        SipLeg bestHeld = null;
        for (SipLeg l : legs) {
            if (l.state() != ChannelState.UP) {
                continue;
            }
            SipLeg p = l.partner();
            boolean held = l.musicOnHold() || (p != null && p.musicOnHold());
            if (held) {
                if (bestHeld == null || l.answeredNanos() > bestHeld.answeredNanos()) {
                    bestHeld = l;
                }
            } else if (best == null || l.answeredNanos() > best.answeredNanos()) {
                best = l;
            }
        }
        return best != null ? best : bestHeld;
    }

    // ---------------------------------------------------------------- media in (reactor thread)

    @Override
    public void onDatagram(ByteBuffer buf, InetSocketAddress from) {
        if (closed) {
            return;
        }
        WebRtcTransport.Received r = transport.onPacket(buf.array(), buf.remaining(), from);
        switch (r.kind()) {
            case SEND:
                socket.send(ByteBuffer.wrap(r.data(), 0, r.length()), r.address());
                break;
            case RTP:
            case RTCP:
                if (!up && !upPending && transport.isSecure()) {
                    upPending = true; // packets again after a silence
                    report(true);
                }
                SipLeg leg = active();
                RtpEndpoint ep = leg == null ? null : leg.media;
                if (ep != null) {
                    buf.clear().limit(r.length());
                    ep.inject(buf, r.kind() == WebRtcTransport.Received.Kind.RTCP);
                }
                break;
            default:
                break;
        }
    }

    // ---------------------------------------------------------------- media out (any media thread)

    /** The outlet of {@code leg}'s endpoint: protects and sends when the leg is the active one. */
    boolean send(SipLeg leg, ByteBuffer packet, boolean rtcp) {
        if (closed || !transport.isSecure() || active() != leg) {
            return false;
        }
        InetSocketAddress to = transport.remoteAddress(); // RFC 8445 §7.3.1.5: the nominated pair (latched)
        int len = packet.remaining();
        Scratch s = SCRATCH.get();
        if (to == null || len > 2048) {
            return false;
        }
        packet.get(packet.position(), s.bytes, 0, len);
        int n = rtcp ? transport.protectRtcp(s.bytes, 0, len) : transport.protectRtp(s.bytes, 0, len);
        if (n < 0) {
            return false;
        }
        s.buf.clear().limit(n);
        return socket.send(s.buf, to);
    }

    // ---------------------------------------------------------------- life cycle

    /**
     * Engine sweeper: true once the browser's consent expired (RFC 7675: neither a consent check on the
     * selected pair nor authenticated media for 30 s). The owner then closes this connection and ends its legs.
     */
    boolean consentExpired(long now) {
        return !closed && transport.consent().expired(now);
    }

    /** How long the browser has been silent (for the log line of an expiry). */
    long silentSeconds(long now) {
        return transport.consent().silentFor(now).toSeconds();
    }

    /** Reports a change of state once (on the connection's executor). */
    private void report(boolean nowUp) {
        ctx.execute(() -> {
            if (nowUp) {
                upPending = false;
            }
            if (closed && nowUp) {
                return;
            }
            up = nowUp;
            if (reportedUp != null && reportedUp == nowUp) {
                return;
            }
            reportedUp = nowUp;
            engine.emit(new CallEvent.WebRtcConnectionChanged(key, nowUp, Instant.now()));
        });
    }

    /** Closes the port and the DTLS session; with {@code reportDown} a last "down" event when it was up. */
    void close(boolean reportDown) {
        if (closed) {
            return;
        }
        closed = true;
        transport.close();
        socket.close();
        if (reportDown) {
            ctx.execute(() -> {
                if (Boolean.TRUE.equals(reportedUp)) {
                    reportedUp = false;
                    up = false;
                    engine.emit(new CallEvent.WebRtcConnectionChanged(key, false, Instant.now()));
                }
            });
        }
        up = false;
    }

    @Override
    public String toString() {
        return "WebRtcConnection[" + key + " port " + socket.port() + (up ? " up" : "") + (closed ? " closed" : "") + "]";
    }
}
