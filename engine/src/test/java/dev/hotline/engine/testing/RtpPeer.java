package dev.hotline.engine.testing;

import dev.hotline.engine.webrtc.SrtpContext;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/**
 * A test party's RTP socket (PCMU, payload type 0): sends packets and reads their payloads, optionally as SRTP with
 * the engine's own SRTP implementation (RFC 3711) keyed from SDES (RFC 4568).
 */
public final class RtpPeer implements AutoCloseable {
    public final int port = Ports.free(2);
    private final DatagramSocket socket;
    private final int ssrc;
    private volatile SrtpContext in;
    private volatile SrtpContext out;
    /** The last datagram as it arrived on the wire (before unprotecting). */
    public volatile byte[] lastWire = new byte[0];

    public RtpPeer(int ssrc) throws IOException {
        this.ssrc = ssrc;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    public void secure(SrtpContext in, SrtpContext out) {
        this.in = in;
        this.out = out;
    }

    /** Sends one PCMU packet with sequence {@code seq} (timestamp 160 per packet) and {@code payload}. */
    public void send(InetSocketAddress to, int seq, byte[] payload) throws IOException {
        byte[] b = new byte[12 + payload.length + SrtpContext.RTP_OVERHEAD_MAX];
        b[0] = (byte) 0x80;
        b[1] = 0;
        b[2] = (byte) (seq >> 8);
        b[3] = (byte) seq;
        int ts = seq * 160;
        b[4] = (byte) (ts >> 24);
        b[5] = (byte) (ts >> 16);
        b[6] = (byte) (ts >> 8);
        b[7] = (byte) ts;
        b[8] = (byte) (ssrc >> 24);
        b[9] = (byte) (ssrc >> 16);
        b[10] = (byte) (ssrc >> 8);
        b[11] = (byte) ssrc;
        System.arraycopy(payload, 0, b, 12, payload.length);
        int len = 12 + payload.length;
        SrtpContext o = out;
        if (o != null) {
            len = o.protectRtp(b, 0, len);
        }
        socket.send(new DatagramPacket(b, len, to));
    }

    /**
     * The payload of the next RTP packet received (unprotected when secure; RTCP and packets failing SRTP
     * authentication are skipped), or null when none came within {@code timeout}.
     */
    public byte[] receive(Duration timeout) throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        byte[] b = new byte[2048];
        while (System.nanoTime() < end) {
            socket.setSoTimeout((int) Math.max(1, (end - System.nanoTime()) / 1_000_000));
            DatagramPacket p = new DatagramPacket(b, b.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            int len = p.getLength();
            int pt = b[1] & 0xFF;
            if (pt >= 192 && pt <= 223) {
                continue; // RTCP
            }
            lastWire = Arrays.copyOf(b, len);
            SrtpContext i = in;
            if (i != null) {
                len = i.unprotectRtp(b, 0, len);
                if (len < 0) {
                    continue;
                }
            }
            return Arrays.copyOfRange(b, 12, len);
        }
        return null;
    }

    @Override
    public void close() {
        socket.close();
    }
}
