package dev.hotline.engine.rtp;

import dev.hotline.engine.codec.G711;
import dev.hotline.engine.dtmf.DtmfDigit;
import dev.hotline.engine.dtmf.TelephoneEventReceiver;
import dev.hotline.engine.call.LegCounters;
import dev.hotline.engine.call.MediaQuality;
import dev.hotline.engine.sdp.PayloadType;
import dev.hotline.engine.webrtc.SrtpContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One leg's anchored media port pair on the engine: RTP on an even port, RTCP on the next one.
 * Packets received here are relayed to the linked peer endpoint, transcoded between μ-law and
 * A-law when the two legs negotiated different G.711 laws. RTCP is not relayed: each leg has its own
 * (RFC 3550 §6), its sender and receiver reports sent by {@link #rtcpTick} and the party's read for
 * the figures of {@link #quality()}. RFC 4733 telephone-events are reported
 * (once per key) to the endpoint's {@link ChannelMedia}; while the media clock decodes this leg,
 * audio packets are also copied to it, and while the clock sends to a leg, the peer's packets are
 * not relayed there.
 * <p>
 * Threading: receive, latch and in-counters belong to this endpoint's reactor thread; out-counters
 * belong to the peer's reactor thread; the configuration fields are volatile and set by call threads.
 */
public final class RtpEndpoint {
    /** RFC 3550 §6.2: 5 s between our reports, randomised by 0.5–1.5 (§6.3.1); the first after half of it. */
    static final long RTCP_INTERVAL_NANOS = 5_000_000_000L;
    private static final long RTCP_FIRST_NANOS = RTCP_INTERVAL_NANOS / 2;
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
    /** The relay's codecs toward the peer when their formats differ; receiving thread only. */
    private Transcoder transcoder;
    /** The SSRC the events come from: a new source (browser reconnected, re-INVITE) starts afresh. */
    private int dtmfSsrc;
    private boolean dtmfSsrcKnown;
    /** Symmetric RTP (latching): the source of the first packets; null until then. Reactor thread only. */
    private InetSocketAddress latchedRtp;
    private InetSocketAddress latchedRtcp;
    volatile boolean closed;
    /**
     * T.38 (RFC 3362, T.38 Annex D): the port carries UDPTL datagrams instead of RTP. Each one is relayed to the peer
     * endpoint as it came, at once; no RTP parsing, no RTCP, no SRTP. Set by the call thread on both legs.
     */
    private volatile boolean udptl;
    /** A fax terminal on this leg (MSG-5): while set, UDPTL datagrams go to it instead of the peer. */
    private volatile UdptlSink udptlSink;

    /** Takes the UDPTL datagrams of a leg that ends T.38 itself (a fax terminal); must not block. */
    public interface UdptlSink {
        void datagram(byte[] data, int length);
    }
    /**
     * SDES-SRTP of this leg (RFC 4568, RFC 3711), null for plain RTP: {@link #srtpIn} unprotects what the party sends
     * (reactor thread), {@link #srtpOut} protects what we send, in {@link #srtpScratch} under its lock (the peer's
     * reactor and the media clock may send at once).
     */
    private volatile SrtpContext srtpIn;
    private volatile SrtpContext srtpOut;
    private final byte[] srtpScratch = new byte[2048];

    volatile long packetsIn;
    volatile long bytesIn;
    volatile long packetsOut;
    volatile long bytesOut;
    volatile long packetsDropped;
    volatile long lastReceivedNanos;
    /** RFC 3550 reception statistics of what the party sends (receiving thread). */
    final RtpReception reception = new RtpReception();
    // What we last sent (RFC 3550 §6.4.1 sender info): any media thread writes, the reactor reads
    private volatile int sentSsrc;
    private volatile int sentTimestamp;
    private volatile long sentNanos;
    private volatile boolean sentAny;
    // RTCP of our own (reactor thread), and what the party's reports said (receiving thread writes)
    private final byte[] rtcpOut = new byte[128];
    private final ByteBuffer rtcpOutBuf = ByteBuffer.wrap(rtcpOut);
    private long nextRtcpNanos;
    private volatile long rtcpSent;
    private volatile long rtcpReceived;
    private volatile int lastSrMiddle;
    private volatile long lastSrArrivalNanos;
    private volatile int remoteFractionLost = -1;
    private volatile long remoteCumulativeLost;
    private volatile double remoteJitterMs = -1;
    private volatile double rttMs = -1;

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
        this.nextRtcpNanos = lastReceivedNanos + RTCP_FIRST_NANOS;
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

    /**
     * SRTP on this leg from now on (SDES keys, RFC 4568 §6.1: {@code in} is the party's key, {@code out} ours); both
     * null for plain RTP. Packets that fail authentication are dropped (RFC 3711 §3.3).
     */
    public void secure(SrtpContext in, SrtpContext out) {
        this.srtpOut = out;
        this.srtpIn = in;
    }

    /** UDPTL relay (fax) on this port from now on, or RTP again ({@code false}). */
    public void udptl(boolean on) {
        udptl = on;
    }

    /** UDPTL datagrams of this leg to {@code sink} from now on (null: relayed to the peer again). */
    public void udptlTerminal(UdptlSink sink) {
        udptlSink = sink;
    }

    /** Sends a UDPTL datagram we made to the party's image port (any thread; the channel is thread-safe). */
    public boolean sendUdptl(byte[] datagram) {
        if (!udptl || closed) {
            return false;
        }
        boolean ok = send(rtp, remoteRtp, ByteBuffer.wrap(datagram));
        if (ok) {
            packetsOut++;
            bytesOut += datagram.length;
        }
        return ok;
    }

    public boolean isUdptl() {
        return udptl;
    }

    public boolean isSecure() {
        return srtpIn != null;
    }

    /** The negotiated audio format and telephone-event payload type for this leg (-1 when none). */
    public void setCodec(PayloadType codec, int telephoneEventPt) {
        this.codec = codec;
        this.telephoneEventPt = telephoneEventPt;
        if (codec != null && codec.clockRate() > 0) {
            reception.clockRate(codec.clockRate());
        }
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
        return new LegCounters(packetsIn, bytesIn, packetsOut, bytesOut, Math.max(0, reception.lost()), packetsDropped);
    }

    /** The leg's media quality now: what it received, and what the party's RTCP reports said (RFC 3550 §6.4). */
    public MediaQuality quality() {
        long expected = reception.expected();
        long lost = Math.max(0, reception.lost());
        PayloadType c = codec;
        int fraction = remoteFractionLost;
        double jitter = remoteJitterMs;
        double rtt = rttMs;
        return new MediaQuality(c == null ? null : c.encoding(), reception.received(), expected, lost,
                expected <= 0 ? 0 : lost * 100.0 / expected, reception.jitterMs(), rtcpSent, rtcpReceived,
                fraction < 0 ? null : fraction * 100.0 / 256, fraction < 0 ? null : remoteCumulativeLost,
                jitter < 0 ? null : jitter, rtt < 0 ? null : rtt);
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
            onRtcp(buf);
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
            if (udptl) {
                if (isRtcpPort || !latchOrCheck(src, false)) {
                    packetsDropped++;
                    continue;
                }
                lastReceivedNanos = System.nanoTime();
                UdptlSink sink = udptlSink;
                if (sink != null) {
                    packetsIn++;
                    bytesIn += buf.remaining();
                    sink.datagram(buf.array(), buf.limit());
                } else {
                    relayUdptl(buf);
                }
                continue;
            }
            boolean rtcpPacket = isRtcpPort || (rtcpMux && isRtcp(buf));
            SrtpContext in = srtpIn;
            if (in != null) {
                // RFC 3711 §3.3: authenticated before anything else (latching included) looks at it
                int n = rtcpPacket ? in.unprotectRtcp(buf.array(), 0, buf.limit())
                        : in.unprotectRtp(buf.array(), 0, buf.limit());
                if (n < 0) {
                    packetsDropped++;
                    continue;
                }
                buf.limit(n);
            }
            if (!latchOrCheck(src, rtcpPacket)) {
                packetsDropped++;
                continue;
            }
            lastReceivedNanos = System.nanoTime();
            if (rtcpPacket) {
                onRtcp(buf);
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
        int pt = a[1] & 0x7F;
        boolean event = pt == telephoneEventPt && telephoneEventPt >= 0;
        reception.onPacket(((a[8] & 0xFF) << 24) | ((a[9] & 0xFF) << 16) | ((a[10] & 0xFF) << 8) | (a[11] & 0xFF),
                ((a[2] & 0xFF) << 8) | (a[3] & 0xFF),
                ((a[4] & 0xFF) << 24) | ((a[5] & 0xFF) << 16) | ((a[6] & 0xFF) << 8) | (a[7] & 0xFF), !event, lastReceivedNanos);
        int headerLen = 12 + 4 * (a[0] & 0x0F);
        if ((a[0] & 0x10) != 0 && len >= headerLen + 4) {
            headerLen += 4 + 4 * (((a[headerLen + 2] & 0xFF) << 8) | (a[headerLen + 3] & 0xFF));
        }
        if (headerLen > len) {
            packetsDropped++;
            return;
        }
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
        boolean convert = in != null && out != null && !in.sameFormat(out) && !(in.isG711() && out.isG711());
        if (event) {
            if (dst.telephoneEventPt < 0) {
                return;
            }
            a[1] = (byte) ((a[1] & 0x80) | dst.telephoneEventPt);
            if (convert) {
                Transcoder t = transcoder(in, out);
                if (t != null) {
                    t.event(a, headerLen, len);
                }
            }
        } else if (in != null && out != null && pt == in.number()) {
            if (convert) {
                relayTranscoded(a, headerLen, len, in, out, dst);
                return;
            }
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

    /** A UDPTL datagram (T.38 Annex D) goes to the peer's party untouched, whatever it holds (reactor thread). */
    private void relayUdptl(ByteBuffer buf) {
        int len = buf.remaining();
        packetsIn++;
        bytesIn += len;
        RtpEndpoint dst = peer;
        if (dst == null || dst.closed || !dst.udptl || dst.outlet != null) {
            packetsDropped++;
            return;
        }
        if (dst.send(dst.rtp, dst.remoteRtp, buf)) {
            dst.packetsOut++;
            dst.bytesOut += len;
        }
    }

    /** The two legs speak different formats (G.711, G.722, Opus): decoded and encoded again (receiving thread). */
    private void relayTranscoded(byte[] a, int headerLen, int len, PayloadType in, PayloadType out, RtpEndpoint dst) {
        int payload = len - headerLen;
        if ((a[0] & 0x20) != 0 && payload > 0) {
            payload -= a[len - 1] & 0xFF; // padding
        }
        Transcoder t = transcoder(in, out);
        ByteBuffer converted = t == null || payload <= 0 ? null : t.audio(a, headerLen, payload);
        if (converted == null) {
            packetsDropped++;
            return;
        }
        int n = converted.remaining();
        if (dst.sendRtp(converted)) {
            dst.packetsOut++;
            dst.bytesOut += n;
        }
    }

    private Transcoder transcoder(PayloadType in, PayloadType out) {
        Transcoder t = transcoder;
        if (t == null || !t.matches(in, out)) {
            t = Transcoder.between(in, out);
            transcoder = t;
        }
        return t;
    }

    /** Media clock: sends a packet the engine made (prompt, mix, DTMF) to this leg's remote party. */
    void sendGenerated(ByteBuffer buf) {
        if (udptl) {
            return; // the party's port takes UDPTL now, not the engine's audio
        }
        int len = buf.remaining();
        if (sendRtp(buf)) {
            packetsOut++;
            bytesOut += len;
        }
    }

    /**
     * RTCP from the party ends here (each leg has RTCP of its own, RFC 3550 §6; relaying it would report on
     * streams the other party never saw): its sender report is remembered for our LSR/DLSR, its report
     * block on what we send gives the loss and jitter it saw and the round trip.
     */
    private void onRtcp(ByteBuffer buf) {
        long now = lastReceivedNanos;
        List<Rtcp.Report> reports = Rtcp.read(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
        if (reports.isEmpty()) {
            return;
        }
        int arrivalMiddle = (int) (Rtcp.ntpOf(now) >>> 16);
        for (Rtcp.Report r : reports) {
            rtcpReceived++;
            if (r.sender() != null) {
                lastSrMiddle = r.sender().ntpMiddle();
                lastSrArrivalNanos = now;
            }
            Rtcp.ReportBlock b = aboutUs(r.blocks());
            if (b != null) {
                remoteCumulativeLost = b.cumulativeLost();
                PayloadType c = codec;
                int rate = c == null || c.clockRate() <= 0 ? 8000 : c.clockRate();
                remoteJitterMs = b.jitter() * 1000.0 / rate;
                remoteFractionLost = b.fractionLost();
                double rtt = Rtcp.roundTripMs(b, arrivalMiddle);
                if (rtt >= 0) {
                    rttMs = rtt;
                }
            }
        }
    }

    /** The block about the stream we send (its SSRC is the one we send with, or our own); else the only one. */
    private Rtcp.ReportBlock aboutUs(List<Rtcp.ReportBlock> blocks) {
        int sent = sentSsrc;
        int own = media.ssrc();
        for (Rtcp.ReportBlock b : blocks) {
            if ((sentAny && b.ssrc() == sent) || b.ssrc() == own) {
                return b;
            }
        }
        return blocks.size() == 1 ? blocks.get(0) : null;
    }

    /**
     * Reactor: sends our report when it is due: an SR when we sent RTP since the last one (with the SSRC
     * we send with: the relayed party's or the engine's own), else an RR, and a report block on what the
     * party sent us when it sent anything.
     */
    void rtcpTick(long now) {
        if (closed || udptl || now - nextRtcpNanos < 0) {
            return;
        }
        nextRtcpNanos = now + (long) (RTCP_INTERVAL_NANOS * (0.5 + ThreadLocalRandom.current().nextDouble()));
        boolean received = reception.started();
        boolean sending = sentAny && now - sentNanos < RTCP_INTERVAL_NANOS * 2;
        if (!received && !sending) {
            return;
        }
        if (outlet == null && remoteRtcp == null) {
            return;
        }
        long ntp = Rtcp.ntpOf(now);
        PayloadType c = codec;
        int rate = c == null || c.clockRate() <= 0 ? 8000 : c.clockRate();
        int ssrc = sending ? sentSsrc : media.ssrc();
        Rtcp.SenderInfo si = null;
        if (sending) {
            long packets = packetsOut;
            int ts = sentTimestamp + (int) ((now - sentNanos) * rate / 1_000_000_000L);
            si = new Rtcp.SenderInfo(ntp, ts, packets, Math.max(0, bytesOut - 12 * packets));
        }
        Rtcp.ReportBlock block = null;
        if (received) {
            long srAt = lastSrArrivalNanos;
            int lsr = lastSrMiddle;
            long dlsr = lsr == 0 ? 0 : (now - srAt) * 65536 / 1_000_000_000L;
            block = new Rtcp.ReportBlock(reception.ssrc(), reception.nextFractionLost(),
                    (int) Math.max(-0x800000, Math.min(0x7FFFFF, reception.lost())), reception.extendedHighestSeq(),
                    reception.jitter(), lsr & 0xFFFFFFFFL, dlsr);
        }
        int len = Rtcp.write(rtcpOut, ssrc, si, block, "hotline");
        rtcpOutBuf.clear().limit(len);
        boolean ok;
        if (outlet != null) {
            ok = outlet.send(rtcpOutBuf, true);
        } else {
            ok = send(rtcpMux ? rtp : rtcp, remoteRtcp, rtcpOutBuf);
        }
        if (ok) {
            rtcpSent++;
        }
    }

    private boolean sendRtp(ByteBuffer buf) {
        PacketOutlet o = outlet;
        int p = buf.position();
        int ts = buf.getInt(p + 4);
        int ssrc = buf.getInt(p + 8);
        boolean ok = o != null ? o.send(buf, false) : send(rtp, remoteRtp, buf);
        if (ok) {
            sentTimestamp = ts;
            sentSsrc = ssrc;
            sentNanos = System.nanoTime();
            sentAny = true;
        }
        return ok;
    }

    private boolean send(DatagramChannel ch, InetSocketAddress to, ByteBuffer buf) {
        try {
            if (to == null) {
                return false;
            }
            SrtpContext out = srtpOut;
            if (out != null) {
                return sendProtected(out, ch, to, buf, ch == rtcp || (rtcpMux && isRtcp(buf)));
            }
            return ch.send(buf, to) > 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Protects a copy of {@code buf} (left untouched) and sends it (RFC 3711 §3.3, §3.4). */
    private boolean sendProtected(SrtpContext out, DatagramChannel ch, InetSocketAddress to, ByteBuffer buf, boolean rtcpPacket)
            throws IOException {
        int len = buf.remaining();
        if (len + SrtpContext.RTCP_OVERHEAD > srtpScratch.length) {
            return false;
        }
        synchronized (srtpScratch) {
            buf.duplicate().get(srtpScratch, 0, len);
            int n = rtcpPacket ? out.protectRtcp(srtpScratch, 0, len) : out.protectRtp(srtpScratch, 0, len);
            return n > 0 && ch.send(ByteBuffer.wrap(srtpScratch, 0, n), to) > 0;
        }
    }

    /** The interarrival jitter of what this leg received (RFC 3550 §6.4.1), in milliseconds. */
    public double jitterMs() {
        return reception.jitterMs();
    }
}
