package dev.hotline.engine.rtp;

import dev.hotline.engine.codec.G711;
import dev.hotline.engine.dtmf.DtmfDigit;
import dev.hotline.engine.dtmf.TelephoneEventReceiver;
import dev.hotline.engine.call.LegCounters;
import dev.hotline.engine.sdp.PayloadType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

/**
 * One leg's anchored media port pair on the engine: RTP on an even port, RTCP on the next one.
 * Packets received here are relayed to the linked peer endpoint, transcoded between μ-law and
 * A-law when the two legs negotiated different G.711 laws. RFC 4733 telephone-events are reported
 * (once per key) to the endpoint's {@link ChannelMedia}; while the media clock decodes this leg,
 * audio packets are also copied to it, and while the clock sends to a leg, the peer's packets are
 * not relayed there.
 * <p>
 * Threading: receive, latch and in-counters belong to this endpoint's reactor thread; out-counters
 * belong to the peer's reactor thread; the configuration fields are volatile and set by call threads.
 */
public final class RtpEndpoint {
    private final MediaRelay relay;
    final MediaReactor reactor;
    final DatagramChannel rtp;
    final DatagramChannel rtcp;
    private final int localPort;
    /** Null for socket endpoints; for virtual ones where packets go (see {@link MediaRelay#virtualEndpoint}). */
    private final PacketOutlet outlet;

    volatile RtpEndpoint peer;
    volatile InetSocketAddress remoteRtp;
    volatile InetSocketAddress remoteRtcp;
    volatile boolean rtcpMux;
    volatile PayloadType codec;
    volatile int telephoneEventPt = -1;
    /** Engine media of this leg (playback, recording, mixing, DTMF), run by the media clock. */
    final ChannelMedia media;
    /** RFC 4733 once-only key detection; reactor thread only. */
    private TelephoneEventReceiver dtmfIn = new TelephoneEventReceiver();
    /** The SSRC the events come from: a new source (browser reconnected, re-INVITE) starts afresh. */
    private int dtmfSsrc;
    private boolean dtmfSsrcKnown;
    /** Symmetric RTP (latching): the source of the first packets; null until then. Reactor thread only. */
    private InetSocketAddress latchedRtp;
    private InetSocketAddress latchedRtcp;
    volatile boolean closed;

    volatile long packetsIn;
    volatile long bytesIn;
    volatile long packetsOut;
    volatile long bytesOut;
    volatile long packetsDropped;
    volatile long lastReceivedNanos;
    // RFC 3550 Appendix A.3 loss estimate: extended highest sequence number vs. packets received.
    private int baseSeq = -1;
    private long extendedMax;
    private int lastTransit;
    private boolean jitterStarted;
    private int jitter16;
    private long cycles;
    private int maxSeq;

    RtpEndpoint(MediaRelay relay, MediaReactor reactor, MediaClock clock, DatagramChannel rtp, DatagramChannel rtcp,
                int localPort) {
        this(relay, reactor, clock, rtp, rtcp, localPort, null);
    }

    RtpEndpoint(MediaRelay relay, MediaReactor reactor, MediaClock clock, DatagramChannel rtp, DatagramChannel rtcp,
                int localPort, PacketOutlet outlet) {
        this.outlet = outlet;
        this.relay = relay;
        this.media = new ChannelMedia(this, clock);
        this.reactor = reactor;
        this.rtp = rtp;
        this.rtcp = rtcp;
        this.localPort = localPort;
        this.lastReceivedNanos = System.nanoTime();
    }

    public int localPort() {
        return localPort;
    }

    public int localRtcpPort() {
        return localPort + 1;
    }

    /** Sets where to send media, from the peer's SDP; an address change drops the latch (re-INVITE). */
    public void setRemote(String address, int rtpPort, int rtcpPort, boolean mux) {
        InetSocketAddress newRtp = new InetSocketAddress(address, rtpPort);
        InetSocketAddress old = remoteRtp;
        this.rtcpMux = mux;
        this.remoteRtcp = new InetSocketAddress(address, mux ? rtpPort : rtcpPort);
        this.remoteRtp = newRtp;
        if (old != null && !old.equals(newRtp)) {
            reactor.execute(this::unlatch);
        }
    }

    /** The negotiated audio format and telephone-event payload type for this leg (-1 when none). */
    public void setCodec(PayloadType codec, int telephoneEventPt) {
        this.codec = codec;
        this.telephoneEventPt = telephoneEventPt;
    }

    public PayloadType codec() {
        return codec;
    }

    /** The engine media of this leg: play, record, mix, DTMF. */
    public ChannelMedia media() {
        return media;
    }

    /** Links two endpoints both ways so that each relays to the other. */
    public static void link(RtpEndpoint a, RtpEndpoint b) {
        a.peer = b;
        b.peer = a;
    }

    public void unlink() {
        RtpEndpoint p = peer;
        peer = null;
        if (p != null && p.peer == this) {
            p.peer = null;
            p.media.wake();
        }
        media.wake();
    }

    public RtpEndpoint peer() {
        return peer;
    }

    /** Nanos (System.nanoTime) of the last RTP or RTCP packet received on this leg. */
    public long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    /** Resets the media timeout clock (e.g. when the leg is answered or taken off hold). */
    public void touch() {
        lastReceivedNanos = System.nanoTime();
    }

    public LegCounters counters() {
        long lost = 0;
        if (baseSeq >= 0) {
            long expected = extendedMax - baseSeq + 1;
            lost = Math.max(0, expected - packetsIn);
        }
        return new LegCounters(packetsIn, bytesIn, packetsOut, bytesOut, lost, packetsDropped);
    }

    public void close() {
        if (!closed) {
            closed = true;
            unlink();
            media.close();
            relay.release(this);
        }
    }

    /**
     * A virtual endpoint's owner hands in one packet received for this leg (e.g. RTP decrypted from
     * SRTP): it is treated exactly as one read from a socket (DTMF detection, clock copy, relay to the
     * peer), without latching. One thread at a time (the owner's reactor thread); {@code buf} may be
     * changed in place.
     */
    public void inject(ByteBuffer buf, boolean rtcpPacket) {
        if (closed) {
            return;
        }
        lastReceivedNanos = System.nanoTime();
        if (rtcpPacket) {
            forwardRtcp(buf);
        } else {
            onRtp(buf);
        }
    }

    // ---- reactor thread only ----

    void onReadable(SelectionKey key, ByteBuffer buf) {
        DatagramChannel ch = (DatagramChannel) key.channel();
        boolean isRtcpPort = ch == rtcp;
        for (int i = 0; i < 64; i++) {
            buf.clear();
            InetSocketAddress src;
            try {
                // The JDK reuses the returned address object while the sender stays the same.
                src = (InetSocketAddress) ch.receive(buf);
            } catch (IOException e) {
                return;
            }
            if (src == null) {
                return;
            }
            buf.flip();
            boolean rtcpPacket = isRtcpPort || (rtcpMux && isRtcp(buf));
            if (!latchOrCheck(src, rtcpPacket)) {
                packetsDropped++;
                continue;
            }
            lastReceivedNanos = System.nanoTime();
            if (rtcpPacket) {
                forwardRtcp(buf);
            } else {
                onRtp(buf);
            }
        }
    }

    /**
     * Symmetric RTP: the first source heard becomes where we send (NATed phones announce private
     * addresses); afterwards packets from any other source are dropped until the SDP changes.
     */
    private boolean latchOrCheck(InetSocketAddress src, boolean rtcpPacket) {
        if (rtcpPacket) {
            InetSocketAddress l = latchedRtcp;
            if (l == null) {
                latchedRtcp = src;
                remoteRtcp = src;
                return true;
            }
            return l == src || l.equals(src);
        }
        InetSocketAddress l = latchedRtp;
        if (l == null) {
            latchedRtp = src;
            remoteRtp = src;
            if (rtcpMux) {
                latchedRtcp = src;
                remoteRtcp = src;
            }
            return true;
        }
        return l == src || l.equals(src);
    }

    private void unlatch() {
        latchedRtp = null;
        latchedRtcp = null;
    }

    /** RFC 5761 §4: with rtcp-mux, packet types 192–223 in the second byte are RTCP. */
    private static boolean isRtcp(ByteBuffer buf) {
        if (buf.remaining() < 2) {
            return false;
        }
        int pt = buf.get(buf.position() + 1) & 0xFF;
        return pt >= 192 && pt <= 223;
    }

    private void onRtp(ByteBuffer buf) {
        int len = buf.remaining();
        byte[] a = buf.array();
        // RFC 3550 §5.1: version 2 and a 12-byte fixed header at least.
        if (len < 12 || (a[0] & 0xC0) != 0x80) {
            packetsDropped++;
            return;
        }
        packetsIn++;
        bytesIn += len;
        trackSequence(((a[2] & 0xFF) << 8) | (a[3] & 0xFF));
        int pt = a[1] & 0x7F;
        int headerLen = 12 + 4 * (a[0] & 0x0F);
        if ((a[0] & 0x10) != 0 && len >= headerLen + 4) {
            headerLen += 4 + 4 * (((a[headerLen + 2] & 0xFF) << 8) | (a[headerLen + 3] & 0xFF));
        }
        if (headerLen > len) {
            packetsDropped++;
            return;
        }
        boolean event = pt == telephoneEventPt && telephoneEventPt >= 0;
        if (event) {
            // RFC 4733 §2.5.1: all packets of one key share its start timestamp; report it once
            int ts = ((a[4] & 0xFF) << 24) | ((a[5] & 0xFF) << 16) | ((a[6] & 0xFF) << 8) | (a[7] & 0xFF);
            int ssrc = ((a[8] & 0xFF) << 24) | ((a[9] & 0xFF) << 16) | ((a[10] & 0xFF) << 8) | (a[11] & 0xFF);
            if (dtmfSsrcKnown && ssrc != dtmfSsrc) {
                dtmfIn = new TelephoneEventReceiver(); // its timestamps are not comparable with the old source's
            }
            dtmfSsrc = ssrc;
            dtmfSsrcKnown = true;
            int code = dtmfIn.onPacket(ts, a, headerLen, len - headerLen);
            if (code != TelephoneEventReceiver.NONE) {
                DtmfDigit d = DtmfDigit.fromEvent(code);
                if (d != null) {
                    media.onTelephoneEvent(d);
                }
            }
        } else {
            trackJitter(((a[4] & 0xFF) << 24) | ((a[5] & 0xFF) << 16) | ((a[6] & 0xFF) << 8) | (a[7] & 0xFF));
            PacketRing ring = media.ring;
            if (ring != null) {
                ring.offer(a, 0, len); // before any in-place transcoding below
            }
        }
        RtpEndpoint dst = peer;
        if (dst == null || !media.forwardIn || dst.closed || dst.media.generating) {
            return;
        }
        PayloadType in = codec;
        PayloadType out = dst.codec;
        if (event) {
            if (dst.telephoneEventPt < 0) {
                return;
            }
            a[1] = (byte) ((a[1] & 0x80) | dst.telephoneEventPt);
        } else if (in != null && out != null && pt == in.number()) {
            if (in.isPcmu() && out.isPcma()) {
                G711.ulawToAlaw(a, headerLen, len - headerLen);
            } else if (in.isPcma() && out.isPcmu()) {
                G711.alawToUlaw(a, headerLen, len - headerLen);
            }
            if (out.number() != pt) {
                a[1] = (byte) ((a[1] & 0x80) | out.number());
            }
        }
        if (dst.sendRtp(buf)) {
            dst.packetsOut++;
            dst.bytesOut += len;
        }
    }

    /** Media clock: sends a packet the engine made (prompt, mix, DTMF) to this leg's remote party. */
    void sendGenerated(ByteBuffer buf) {
        int len = buf.remaining();
        if (sendRtp(buf)) {
            packetsOut++;
            bytesOut += len;
        }
    }

    private void forwardRtcp(ByteBuffer buf) {
        RtpEndpoint dst = peer;
        if (dst == null || dst.closed) {
            return;
        }
        if (dst.outlet != null) {
            dst.outlet.send(buf, true);
        } else if (dst.rtcpMux) {
            dst.send(dst.rtp, dst.remoteRtcp, buf);
        } else {
            dst.send(dst.rtcp, dst.remoteRtcp, buf);
        }
    }

    private boolean sendRtp(ByteBuffer buf) {
        PacketOutlet o = outlet;
        return o != null ? o.send(buf, false) : send(rtp, remoteRtp, buf);
    }

    private boolean send(DatagramChannel ch, InetSocketAddress to, ByteBuffer buf) {
        try {
            if (to == null) {
                return false;
            }
            return ch.send(buf, to) > 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** RFC 3550 §6.4.1 / A.8: interarrival jitter, in timestamp units (8 kHz audio) scaled by 16. */
    private void trackJitter(int rtpTs) {
        int arrival = (int) (System.nanoTime() / 125_000L); // 8 000 units a second
        int transit = arrival - rtpTs;
        if (jitterStarted) {
            int d = transit - lastTransit;
            if (d < 0) {
                d = -d;
            }
            jitter16 += d - ((jitter16 + 8) >> 4);
        }
        jitterStarted = true;
        lastTransit = transit;
    }

    /** The interarrival jitter of what this leg received (RFC 3550 §6.4.1), in milliseconds (8 kHz audio). */
    public double jitterMs() {
        return (jitter16 >> 4) / 8.0;
    }

    private void trackSequence(int seq) {
        if (baseSeq < 0) {
            baseSeq = seq;
            maxSeq = seq;
            extendedMax = seq;
            return;
        }
        int delta = (seq - maxSeq) & 0xFFFF;
        if (delta > 0 && delta < 0x8000) {
            if (seq < maxSeq) {
                cycles += 0x10000;
            }
            maxSeq = seq;
            extendedMax = cycles + seq;
        }
    }
}
