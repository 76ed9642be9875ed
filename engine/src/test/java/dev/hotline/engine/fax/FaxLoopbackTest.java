package dev.hotline.engine.fax;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A calling and a called T.38 terminal over real UDP sockets on the loopback, datagrams dropped on the way: the
 * document arrives pel for pel (UDPTL redundancy, repeated commands, RTN), and a silent far end ends in an error.
 */
class FaxLoopbackTest {
    private static final FaxTimers QUICK = new FaxTimers(Duration.ofSeconds(4), Duration.ofSeconds(6),
            Duration.ofSeconds(2), 3);

    @Test
    void aTwoPageDocumentCrossesALossyLinkPelForPel() throws Exception {
        FaxDocument doc = new FaxDocument(List.of(FaxCodingTest.sample(320, 1), FaxCodingTest.sample(200, 2)), true);
        try (Udp a = new Udp(new Random(11), 10); Udp b = new Udp(new Random(12), 10)) {
            a.peer = b.address();
            b.peer = a.address();
            CompletableFuture<FaxResult> sent = new CompletableFuture<>();
            CompletableFuture<FaxResult> got = new CompletableFuture<>();
            FaxTerminal sender = FaxTerminal.sender(doc, "+86 10 5550 1", a::send, sent::complete, FaxTimers.T30);
            FaxTerminal receiver = FaxTerminal.receiver("+86 21 5550 2", b::send, got::complete, FaxTimers.T30);
            a.terminal = sender;
            b.terminal = receiver;
            receiver.start();
            sender.start();
            FaxResult s = sent.get(90, TimeUnit.SECONDS);
            FaxResult r = got.get(20, TimeUnit.SECONDS);
            assertThat(s.ok()).as(s.error()).isTrue();
            assertThat(s.pages()).isEqualTo(2);
            assertThat(s.remoteId()).isEqualTo("+86 21 5550 2");
            assertThat(r.ok()).as(r.error()).isTrue();
            assertThat(r.remoteId()).isEqualTo("+86 10 5550 1");
            assertThat(r.received().fine()).isTrue();
            assertThat(r.received().pages()).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(FaxDocument.samePels(r.received().pages().get(i), doc.pages().get(i))).isTrue();
            }
            // and the stored file keeps them
            FaxDocument stored = FaxDocument.read(r.received().toTiff(), true);
            assertThat(FaxDocument.samePels(stored.pages().get(1), doc.pages().get(1))).isTrue();
            assertThat(a.dropped.get() + b.dropped.get()).as("datagrams dropped").isGreaterThan(20);
        }
    }

    @Test
    void aSilentFarEndEndsTheSessionByTheT30Timers() throws Exception {
        FaxDocument doc = new FaxDocument(List.of(FaxCodingTest.sample(50, 3)), false);
        try (Udp a = new Udp(new Random(1), 0); Udp nobody = new Udp(new Random(2), 0)) {
            a.peer = nobody.address();
            nobody.peer = a.address();
            CompletableFuture<FaxResult> sent = new CompletableFuture<>();
            FaxTerminal sender = FaxTerminal.sender(doc, "1", a::send, sent::complete, QUICK);
            a.terminal = sender;
            sender.start();
            FaxResult s = sent.get(15, TimeUnit.SECONDS);
            assertThat(s.ok()).isFalse();
            assertThat(s.error()).contains("T1");

            CompletableFuture<FaxResult> got = new CompletableFuture<>();
            FaxTerminal receiver = FaxTerminal.receiver("2", a::send, got::complete, QUICK);
            a.terminal = receiver;
            receiver.start();
            FaxResult r = got.get(15, TimeUnit.SECONDS);
            assertThat(r.ok()).isFalse();
            assertThat(r.error()).contains("T1");
            assertThat(nobody.received.get()).as("DIS repeated every T4").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aReceiverThatStopsAnsweringMidwayFailsTheSender() throws Exception {
        FaxDocument doc = new FaxDocument(List.of(FaxCodingTest.sample(60, 4), FaxCodingTest.sample(60, 5)), false);
        try (Udp a = new Udp(new Random(3), 0); Udp b = new Udp(new Random(4), 0)) {
            a.peer = b.address();
            b.peer = a.address();
            CompletableFuture<FaxResult> sent = new CompletableFuture<>();
            CompletableFuture<FaxResult> got = new CompletableFuture<>();
            FaxTerminal sender = FaxTerminal.sender(doc, "1", a::send, sent::complete, QUICK);
            FaxTerminal receiver = FaxTerminal.receiver("2", b::send, r -> {
                got.complete(r);
            }, QUICK);
            a.terminal = sender;
            b.terminal = receiver;
            // the receiver goes deaf and mute after its DIS and CFR: the MCF of page 1 never leaves
            b.muteAfter = 2;
            receiver.start();
            sender.start();
            FaxResult s = sent.get(40, TimeUnit.SECONDS);
            assertThat(s.ok()).isFalse();
            assertThat(s.error()).isNotBlank();
            assertThat(got.get(40, TimeUnit.SECONDS).ok()).isFalse();
        }
    }

    /** A UDP socket that feeds a terminal and drops one in {@code lossPercent} of what it sends. */
    static final class Udp implements AutoCloseable {
        final DatagramSocket socket;
        final Random random;
        final int lossPercent;
        final AtomicInteger dropped = new AtomicInteger();
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger responses = new AtomicInteger();
        volatile InetSocketAddress peer;
        volatile FaxTerminal terminal;
        /** After this many HDLC bursts sent, send nothing more (0: never). */
        volatile int muteAfter;
        private final Thread reader;
        private volatile boolean closed;

        Udp(Random random, int lossPercent) throws SocketException {
            this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            this.socket.setSoTimeout(200);
            this.random = random;
            this.lossPercent = lossPercent;
            this.reader = new Thread(this::read, "udp-" + socket.getLocalPort());
            this.reader.setDaemon(true);
            this.reader.start();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        synchronized void send(byte[] datagram) {
            // a V.21 preamble indicator (0x06) starts each burst of frames
            if (muteAfter > 0 && datagram.length > 3 && datagram[3] == 0x06 && responses.incrementAndGet() > muteAfter) {
                closed = true;
            }
            if (closed) {
                return;
            }
            if (random.nextInt(100) < lossPercent) {
                dropped.incrementAndGet();
                return;
            }
            try {
                socket.send(new DatagramPacket(datagram, datagram.length, peer));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void read() {
            byte[] buf = new byte[2048];
            while (!socket.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (IOException e) {
                    return;
                }
                received.incrementAndGet();
                FaxTerminal t = terminal;
                if (t != null && !closed) {
                    t.datagram(p.getData(), p.getLength());
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
