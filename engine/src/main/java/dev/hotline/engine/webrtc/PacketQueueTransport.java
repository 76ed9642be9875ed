package dev.hotline.engine.webrtc;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DatagramTransport;

/**
 * A BouncyCastle {@link DatagramTransport} that owns no socket: datagrams are handed in with
 * {@link #offer} (copied into a bounded queue) and written out through a callback. BC's DTLS code
 * blocks in {@link #receive} on its own thread; a null wait (BC's "forever") is capped at
 * {@code maxWaitMillis} so a silent peer can never hold that thread for good.
 */
final class PacketQueueTransport implements DatagramTransport {
    /** Where records go out; called on the DTLS thread. */
    interface Output {
        void send(byte[] data, int off, int len);
    }

    /** Enough for one DTLS record in a 1500-byte Ethernet frame. */
    static final int RECEIVE_LIMIT = 1500;
    /** RFC 8261-style conservative path MTU for what we send (no IP fragmentation on tunnels). */
    static final int SEND_LIMIT = 1200;
    private static final byte[] CLOSED = new byte[0];

    private final BlockingQueue<byte[]> inbound = new ArrayBlockingQueue<>(64);
    private final Output output;
    private final int maxWaitMillis;
    private volatile boolean closed;

    PacketQueueTransport(Output output, int maxWaitMillis) {
        this.output = output;
        this.maxWaitMillis = maxWaitMillis;
    }

    /** Queues a copy of one datagram; false (dropped) when closed or 64 are already waiting. */
    boolean offer(byte[] data, int off, int len) {
        if (closed || len > RECEIVE_LIMIT) {
            return false;
        }
        byte[] copy = new byte[len];
        System.arraycopy(data, off, copy, 0, len);
        return inbound.offer(copy);
    }

    boolean hasPending() {
        return !inbound.isEmpty();
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        int wait = waitMillis <= 0 || waitMillis > maxWaitMillis ? maxWaitMillis : waitMillis;
        byte[] packet;
        try {
            packet = inbound.poll(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for DTLS");
        }
        if (packet == null) {
            return -1;
        }
        if (packet == CLOSED) {
            throw new IOException("DTLS transport closed");
        }
        int n = Math.min(packet.length, len);
        System.arraycopy(packet, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        output.send(buf, off, len);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            inbound.clear();
            inbound.offer(CLOSED); // wakes a receive() blocked on the queue
        }
    }
}
