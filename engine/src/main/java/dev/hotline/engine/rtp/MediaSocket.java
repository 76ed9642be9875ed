package dev.hotline.engine.rtp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

/**
 * One UDP port from the engine's RTP range whose datagrams go to a {@link Handler} on a media
 * reactor thread (e.g. a WebRTC connection: STUN, DTLS and SRTP on one port, RFC 7983). Opened with
 * {@link MediaRelay#openSocket}.
 */
public final class MediaSocket {
    /** Receives every datagram of the port, on the socket's reactor thread; must not block. */
    @FunctionalInterface
    public interface Handler {
        /**
         * One datagram in {@code buf} (position 0, heap buffer owned by the reactor: valid only during
         * the call, may be changed in place).
         */
        void onDatagram(ByteBuffer buf, InetSocketAddress from);
    }

    private final MediaRelay relay;
    final MediaReactor reactor;
    final DatagramChannel channel;
    private final int port;
    private final Handler handler;
    private volatile boolean closed;

    MediaSocket(MediaRelay relay, MediaReactor reactor, DatagramChannel channel, int port, Handler handler) {
        this.relay = relay;
        this.reactor = reactor;
        this.channel = channel;
        this.port = port;
        this.handler = handler;
    }

    public int port() {
        return port;
    }

    /** Sends one datagram (any thread, never blocks); false when it could not be sent. */
    public boolean send(ByteBuffer buf, InetSocketAddress to) {
        if (closed || to == null) {
            return false;
        }
        try {
            return channel.send(buf, to) > 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Runs {@code task} on this socket's reactor thread. */
    public void execute(Runnable task) {
        reactor.execute(task);
    }

    public boolean closed() {
        return closed;
    }

    /** Closes the port (on the reactor thread) and gives it back to the range. */
    public void close() {
        if (!closed) {
            closed = true;
            relay.release(this);
        }
    }

    /** Reactor thread. */
    void onReadable(ByteBuffer buf) {
        for (int i = 0; i < 64 && !closed; i++) {
            buf.clear();
            InetSocketAddress src;
            try {
                src = (InetSocketAddress) channel.receive(buf);
            } catch (IOException e) {
                return;
            }
            if (src == null) {
                return;
            }
            buf.flip();
            try {
                handler.onDatagram(buf, src);
            } catch (RuntimeException e) {
                // one bad datagram must not stop the reactor
            }
        }
    }
}
