package dev.hotline.engine.rtp;

import dev.hotline.engine.media.Mixer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one 20 ms clock of the engine. Every tick it decodes the legs that need decoding (through
 * their jitter buffers), mixes bridges with taps and conferences, plays prompts and music, sends
 * DTMF and hands frames to recordings. A plain bridged call never appears here: the reactor relays
 * its packets as they are.
 *
 * <p>All media state of {@link ChannelMedia} and {@link MixGroup} belongs to this thread; other
 * threads change it only through {@link #execute} commands, run at the start of the next tick.
 */
public final class MediaClock implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(MediaClock.class);
    public static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** Further behind than this, the clock drops ticks instead of bursting to catch up. */
    private static final long MAX_LAG_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final List<ChannelMedia> active = new ArrayList<>();
    private final List<MixGroup> groups = new ArrayList<>();
    final Mixer mixer = Mixer.standard();
    final RecordingWriter recordings;
    private final Thread thread;
    private volatile boolean running = true;
    long tick;
    private volatile long droppedTicks;
    private volatile long busyNanos;
    private volatile int activeCount;

    MediaClock(RecordingWriter recordings) {
        this.recordings = recordings;
        this.thread = new Thread(this, "hotline-media-clock");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    /** Runs {@code command} on the clock thread before the next tick. */
    public void execute(Runnable command) {
        commands.add(command);
    }

    /** Legs the clock works on now. */
    public int activeLegs() {
        return activeCount;
    }

    /** Ticks skipped because the clock fell more than 200 ms behind (overload). */
    public long droppedTicks() {
        return droppedTicks;
    }

    /** Total time spent in ticks, in nanoseconds. */
    public long busyNanos() {
        return busyNanos;
    }

    /** A new, empty mixing group (conference or tapped bridge) run by this clock. */
    public MixGroup newGroup(String name) {
        MixGroup g = new MixGroup(this, name);
        execute(() -> groups.add(g));
        return g;
    }

    @Override
    public void run() {
        long next = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            if (now < next) {
                LockSupport.parkNanos(next - now);
                continue;
            }
            if (now - next > MAX_LAG_NANOS) {
                long skip = (now - next) / TICK_NANOS;
                droppedTicks += skip;
                next += skip * TICK_NANOS;
            }
            try {
                tick();
            } catch (RuntimeException | Error e) {
                log.error("media clock tick failed", e);
            }
            busyNanos += System.nanoTime() - now;
            next += TICK_NANOS;
        }
        Runnable c;
        while ((c = commands.poll()) != null) {
            runCommand(c);
        }
    }

    private void runCommand(Runnable c) {
        try {
            c.run();
        } catch (RuntimeException e) {
            log.warn("media command failed", e);
        }
    }

    private void tick() {
        Runnable c;
        while ((c = commands.poll()) != null) {
            runCommand(c);
        }
        tick++;
        int n = active.size();
        for (int i = 0; i < n; i++) {
            active.get(i).receive();
        }
        for (int i = groups.size() - 1; i >= 0; i--) {
            MixGroup g = groups.get(i);
            if (g.closed()) {
                groups.remove(i);
            } else {
                g.mix(mixer);
            }
        }
        for (int i = 0; i < active.size(); i++) {
            active.get(i).produce();
        }
        for (int i = active.size() - 1; i >= 0; i--) {
            ChannelMedia m = active.get(i);
            if (!m.needed(tick)) {
                m.deactivate();
                int last = active.size() - 1;
                active.set(i, active.get(last));
                active.remove(last);
            }
        }
        activeCount = active.size();
    }

    /** Clock thread: starts working on {@code m} if it needs the clock (idempotent). */
    void activate(ChannelMedia m) {
        if (!m.listed && !m.closed && m.needed(tick)) {
            m.listed = true;
            m.activate();
            active.add(m);
        }
    }

    void shutdown() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // stop every recording still fed by the clock; the writer closes the files
        for (ChannelMedia m : active) {
            if (m.recorder != null) {
                m.recorder.stop();
            }
        }
        for (MixGroup g : groups) {
            g.stopRecording();
        }
    }
}
