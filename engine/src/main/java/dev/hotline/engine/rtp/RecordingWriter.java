package dev.hotline.engine.rtp;

import dev.hotline.engine.media.WavEncoding;
import dev.hotline.engine.media.WavWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one thread that writes every recording to disk, off the media clock. */
public final class RecordingWriter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RecordingWriter.class);
    private static final long PASS_NANOS = TimeUnit.MILLISECONDS.toNanos(40);
    private final Queue<Recorder> added = new ConcurrentLinkedQueue<>();
    private final List<Recorder> active = new ArrayList<>();
    private final Thread thread;
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean running = true;

    RecordingWriter() {
        thread = new Thread(this, "hotline-recorder");
        thread.setDaemon(true);
        thread.start();
    }

    /** Creates the file (with a valid empty header) and the recorder; called on a call thread, not the clock. */
    Recorder open(Path file, WavEncoding encoding, boolean stereo, Consumer<Recorder> onFinished) throws IOException {
        if (!running) {
            throw new IOException("engine closed");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        WavWriter w = WavWriter.create(file, encoding, stereo ? 2 : 1);
        Recorder r = new Recorder("rec-" + ids.incrementAndGet(), w, stereo, onFinished);
        added.add(r);
        return r;
    }

    @Override
    public void run() {
        while (running) {
            pass(false);
            LockSupport.parkNanos(PASS_NANOS);
        }
        pass(true);
    }

    private void pass(boolean closing) {
        Recorder r;
        while ((r = added.poll()) != null) {
            active.add(r);
        }
        for (int i = active.size() - 1; i >= 0; i--) {
            Recorder rec = active.get(i);
            if (rec.drain(closing)) {
                if (rec.failure() != null) {
                    log.warn("recording {} failed: {}", rec.file(), rec.failure().toString());
                }
                active.remove(i);
            }
        }
    }

    /** Writes what is queued and closes every open recording; waits up to five seconds. */
    void shutdown() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
