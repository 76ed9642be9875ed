package dev.hotline.engine.rtp;

import dev.hotline.engine.call.LegCounters;
import dev.hotline.engine.call.MediaStats;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.BitSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Allocates anchored media ports from a range and relays RTP/RTCP between linked endpoints
 * on a few NIO reactor threads (no thread per call).
 */
public final class MediaRelay implements AutoCloseable {
    private final InetAddress bindAddress;
    private final int portMin;
    private final int portMax;
    private final MediaReactor[] reactors;
    private final RecordingWriter recordings = new RecordingWriter();
    private final MediaClock clock = new MediaClock(recordings);
    private final BitSet inUse = new BitSet();
    private final AtomicInteger nextReactor = new AtomicInteger();
    private final LongAdder legsEnded = new LongAdder();
    private final LongAdder legsWithAudio = new LongAdder();
    private final LongAdder packetsIn = new LongAdder();
    private final LongAdder packetsLost = new LongAdder();
    private final LongAdder jitterMicrosSum = new LongAdder();
    /** The endpoints not yet released (for the live figures). */
    private final Set<RtpEndpoint> live = ConcurrentHashMap.newKeySet();
    private int cursor;
    private int allocated;

    public MediaRelay(String bindAddress, int portMin, int portMax, int threads) throws IOException {
        if (portMin < 1024 || portMax > 65535 || portMax - portMin < 3) {
            throw new IllegalArgumentException("bad RTP port range " + portMin + "-" + portMax);
        }
        this.bindAddress = InetAddress.getByName(bindAddress);
        this.portMin = portMin + (portMin & 1);
        this.portMax = portMax;
        this.cursor = this.portMin;
        this.reactors = new MediaReactor[Math.max(1, threads)];
        for (int i = 0; i < reactors.length; i++) {
            reactors[i] = new MediaReactor("hotline-media-" + i);
        }
    }

    /** Binds a fresh even/odd port pair and starts relaying on it. */
    public RtpEndpoint allocate() throws IOException {
        int span = (portMax - portMin) / 2;
        for (int attempt = 0; attempt < span; attempt++) {
            int port = claimPort();
            if (port < 0) {
                break;
            }
            DatagramChannel rtp = null;
            DatagramChannel rtcp = null;
            try {
                rtp = open(port);
                rtcp = open(port + 1);
                MediaReactor reactor = reactors[Math.floorMod(nextReactor.getAndIncrement(), reactors.length)];
                RtpEndpoint ep = new RtpEndpoint(this, reactor, clock, rtp, rtcp, port);
                reactor.register(ep);
                reactor.rtcp(ep, true);
                live.add(ep);
                return ep;
            } catch (IOException e) {
                closeQuietly(rtp);
                closeQuietly(rtcp);
                freePort(port);
            }
        }
        throw new IOException("no free RTP port in " + portMin + "-" + portMax);
    }

    /**
     * An endpoint without sockets: what it receives is handed in with {@link RtpEndpoint#inject},
     * what it sends goes to {@code outlet}. Relaying, the media clock, recording and mixing work on
     * it as on any endpoint. Its {@link RtpEndpoint#localPort()} is 0.
     */
    public RtpEndpoint virtualEndpoint(PacketOutlet outlet) {
        if (outlet == null) {
            throw new IllegalArgumentException("outlet is required");
        }
        MediaReactor reactor = reactors[Math.floorMod(nextReactor.getAndIncrement(), reactors.length)];
        RtpEndpoint ep = new RtpEndpoint(this, reactor, clock, null, null, 0, outlet);
        reactor.rtcp(ep, true);
        live.add(ep);
        return ep;
    }

    /**
     * Binds one port of the range (an even one; its odd neighbour stays reserved) and hands every
     * datagram it receives to {@code handler} on a reactor thread.
     */
    public MediaSocket openSocket(MediaSocket.Handler handler) throws IOException {
        int span = (portMax - portMin) / 2;
        for (int attempt = 0; attempt < span; attempt++) {
            int port = claimPort();
            if (port < 0) {
                break;
            }
            try {
                DatagramChannel ch = open(port);
                MediaReactor reactor = reactors[Math.floorMod(nextReactor.getAndIncrement(), reactors.length)];
                MediaSocket socket = new MediaSocket(this, reactor, ch, port, handler);
                reactor.register(socket);
                return socket;
            } catch (IOException e) {
                freePort(port);
            }
        }
        throw new IOException("no free RTP port in " + portMin + "-" + portMax);
    }

    /** RTP received by the legs that ended so far, and by the legs up now (OPS-4). */
    public MediaStats stats() {
        long liveLegs = 0;
        long liveWithAudio = 0;
        long liveIn = 0;
        long liveLost = 0;
        double liveJitter = 0;
        for (RtpEndpoint ep : live) {
            liveLegs++;
            long received = ep.reception.received();
            if (received > 0) {
                liveWithAudio++;
                liveIn += received;
                liveLost += Math.max(0, ep.reception.lost());
                liveJitter += ep.reception.jitterMs();
            }
        }
        return new MediaStats(legsEnded.sum(), legsWithAudio.sum(), packetsIn.sum(), packetsLost.sum(), jitterMicrosSum.sum() / 1000.0,
                liveLegs, liveWithAudio, liveIn, liveLost, liveJitter);
    }

    public synchronized int allocatedCount() {
        return allocated;
    }

    private DatagramChannel open(int port) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 256 * 1024);
        ch.bind(new InetSocketAddress(bindAddress, port));
        ch.configureBlocking(false);
        return ch;
    }

    private synchronized int claimPort() {
        int span = (portMax - portMin) / 2;
        for (int i = 0; i < span; i++) {
            int port = cursor;
            cursor += 2;
            if (cursor + 1 > portMax) {
                cursor = portMin;
            }
            int idx = (port - portMin) / 2;
            if (!inUse.get(idx)) {
                inUse.set(idx);
                allocated++;
                return port;
            }
        }
        return -1;
    }

    private synchronized void freePort(int port) {
        int idx = (port - portMin) / 2;
        if (inUse.get(idx)) {
            inUse.clear(idx);
            allocated--;
        }
    }

    void release(MediaSocket socket) {
        socket.reactor.close(socket.channel);
        socket.reactor.execute(() -> freePort(socket.port()));
    }

    void release(RtpEndpoint ep) {
        live.remove(ep);
        LegCounters c = ep.counters();
        legsEnded.increment();
        packetsIn.add(c.packetsIn());
        packetsLost.add(c.packetsLost());
        if (c.packetsIn() > 0) {
            jitterMicrosSum.add(Math.round(ep.jitterMs() * 1000));
            legsWithAudio.increment();
        }
        ep.reactor.rtcp(ep, false);
        if (ep.rtp == null) {
            return; // a virtual endpoint holds no port
        }
        ep.reactor.close(ep.rtp, ep.rtcp);
        ep.reactor.execute(() -> freePort(ep.localPort()));
    }

    private static void closeQuietly(DatagramChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    /** The engine's one 20 ms media clock. */
    public MediaClock clock() {
        return clock;
    }

    /**
     * Opens a recording file (header written at once); feed it with {@link ChannelMedia#record} or
     * {@link MixGroup#record}. {@code onFinished} runs on the writer thread once the file is closed.
     */
    public Recorder openRecording(java.nio.file.Path file, dev.hotline.engine.media.WavEncoding encoding, boolean stereo,
                                  java.util.function.Consumer<Recorder> onFinished) throws IOException {
        return recordings.open(file, encoding, stereo, onFinished);
    }

    /** Stops the clock, then closes every recording (complete files) and the reactors. */
    @Override
    public void close() {
        clock.shutdown();
        recordings.shutdown();
        for (MediaReactor r : reactors) {
            r.shutdown();
        }
    }
}
