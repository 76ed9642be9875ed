package dev.hotline.engine.webrtc;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bouncycastle.tls.DatagramTransport;

/** The client's end of an in-memory datagram pair: receives from a queue, sends to a callback. */
final class InMemoryDatagramTransport implements DatagramTransport {
    private final LinkedBlockingQueue<byte[]> inbound = new LinkedBlockingQueue<>();
    private final Consumer<byte[]> out;

    InMemoryDatagramTransport(Consumer<byte[]> out) {
        this.out = out;
    }

    void deliver(byte[] data, int off, int len) {
        byte[] copy = new byte[len];
        System.arraycopy(data, off, copy, 0, len);
        inbound.add(copy);
    }

    @Override
    public int getReceiveLimit() {
        return 1500;
    }

    @Override
    public int getSendLimit() {
        return 1200;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        try {
            byte[] p = inbound.poll(waitMillis == 0 ? 10_000 : waitMillis, TimeUnit.MILLISECONDS);
            if (p == null) {
                return -1;
            }
            int n = Math.min(len, p.length);
            System.arraycopy(p, 0, buf, off, n);
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException();
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        out.accept(copy);
    }

    @Override
    public void close() {
    }
}
