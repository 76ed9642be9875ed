package dev.hotline.engine.rtp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One NIO selector thread relaying the packets of many endpoints with a single reused buffer. */
final class MediaReactor implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(MediaReactor.class);
    private static final long RTCP_SCAN_NANOS = 100_000_000L;
    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** A wake-up was asked since the loop last looked at the tasks (cleared before it drains them). */
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final ByteBuffer buffer = ByteBuffer.allocate(2048);
    private final Thread thread;
    private volatile boolean running = true;
    /** The endpoints whose RTCP this reactor sends (reactor thread only). */
    private final List<RtpEndpoint> rtcpEndpoints = new ArrayList<>();
    private long nextRtcpScan;

    MediaReactor(String name) throws IOException {
        this.selector = Selector.open();
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    void execute(Runnable task) {
        tasks.add(task);
        // One wake-up per turn of the loop: Selector.wakeup() takes a lock the selecting thread holds around each poll,
        // and call threads registering legs at hundreds of calls a second waited on it (JFR: ~20 ms a registration).
        if (wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    void register(RtpEndpoint endpoint) {
        execute(() -> {
            try {
                endpoint.rtp.register(selector, SelectionKey.OP_READ, endpoint);
                endpoint.rtcp.register(selector, SelectionKey.OP_READ, endpoint);
            } catch (ClosedChannelException e) {
                // released before registration
            }
        });
    }

    /** Adds (true) or removes an endpoint whose RTCP reports this reactor sends when they are due. */
    void rtcp(RtpEndpoint endpoint, boolean add) {
        execute(() -> {
            if (add) {
                rtcpEndpoints.add(endpoint);
            } else {
                rtcpEndpoints.remove(endpoint);
            }
        });
    }

    void register(MediaSocket socket) {
        execute(() -> {
            try {
                socket.channel.register(selector, SelectionKey.OP_READ, socket);
            } catch (ClosedChannelException e) {
                // released before registration
            }
        });
    }

    void close(DatagramChannel... channels) {
        execute(() -> {
            for (DatagramChannel c : channels) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        });
    }

    @Override
    public void run() {
        while (running) {
            try {
                selector.select(this::onKey, 200);
                wakeupPending.set(false); // before draining: a task queued from here on wakes the next select
                Runnable t;
                while ((t = tasks.poll()) != null) {
                    t.run();
                }
                long now = System.nanoTime();
                if (now - nextRtcpScan >= 0) {
                    nextRtcpScan = now + RTCP_SCAN_NANOS;
                    for (int i = 0; i < rtcpEndpoints.size(); i++) {
                        rtcpEndpoints.get(i).rtcpTick(now);
                    }
                }
            } catch (IOException | RuntimeException e) {
                log.warn("media reactor error", e);
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // shutting down
        }
    }

    private void onKey(SelectionKey key) {
        if (key.isValid() && key.isReadable()) {
            Object target = key.attachment();
            if (target instanceof RtpEndpoint ep) {
                ep.onReadable(key, buffer);
            } else {
                ((MediaSocket) target).onReadable(buffer);
            }
        }
    }

    void shutdown() {
        running = false;
        selector.wakeup();
    }
}
