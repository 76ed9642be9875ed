package dev.hotline.engine.rtp;

import dev.hotline.engine.media.AudioClip;
import dev.hotline.engine.media.Mixer;
import dev.hotline.engine.media.WavWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One recording: the media clock pushes a frame (mono, or left/right) every 20 ms into a
 * preallocated single-producer ring; the {@link RecordingWriter} thread drains it into a
 * {@link WavWriter} and rewrites the header about every second, so the file on disk is always a
 * complete WAV of everything up to the last second. The clock never touches the disk.
 */
public final class Recorder {
    private static final int SLOTS = 256; // 5.1 s of frames between writer passes
    private static final int F = AudioClip.FRAME_SAMPLES;

    private final String id;
    private final WavWriter writer;
    private final boolean stereo;
    private final short[] ring;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    private final Consumer<Recorder> onFinished;
    private volatile boolean paused;
    private final List<long[]> gaps = new ArrayList<>();
    private volatile boolean stopRequested;
    private volatile boolean finished;
    private volatile Duration duration = Duration.ZERO;
    private volatile long droppedFrames;
    // writer thread only
    private final short[] left = new short[F];
    private final short[] right = new short[F];
    long lastFlushNanos = System.nanoTime();
    private Throwable failure;

    Recorder(String id, WavWriter writer, boolean stereo, Consumer<Recorder> onFinished) {
        this.id = id;
        this.writer = writer;
        this.stereo = stereo;
        this.ring = new short[SLOTS * F * (stereo ? 2 : 1)];
        this.onFinished = onFinished;
    }

    public String id() {
        return id;
    }

    public Path file() {
        return writer.file();
    }

    public boolean stereo() {
        return stereo;
    }

    /** Audio written so far (final once {@link #finished()}). */
    public Duration duration() {
        return duration;
    }

    public boolean finished() {
        return finished;
    }

    public boolean paused() {
        return paused;
    }

    /** Frames lost because the disk fell more than five seconds behind. */
    public long droppedFrames() {
        return droppedFrames;
    }

    /** The I/O error that ended the recording early, if any. */
    public Throwable failure() {
        return failure;
    }

    /** From now on the frames are written as silence (the file keeps its timeline); the span is kept as a gap. */
    public synchronized void pause() {
        if (paused || stopRequested) {
            return;
        }
        paused = true;
        gaps.add(new long[] {head.get(), -1});
    }

    public synchronized void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        gaps.get(gaps.size() - 1)[1] = head.get();
    }

    /** The paused spans so far, as [first frame, end frame) pairs in 20 ms frames from the start (end -1: still paused). */
    public synchronized List<long[]> gaps() {
        List<long[]> out = new ArrayList<>();
        for (long[] g : gaps) {
            out.add(g.clone());
        }
        return out;
    }

    /** Audio queued so far (every frame pushed is written), for marking gaps. */
    public Duration position() {
        return Duration.ofMillis(head.get() * 20);
    }

    /** Asks for the end: the writer thread writes what is queued, closes the file and reports. */
    public void stop() {
        stopRequested = true;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    // ---------------------------------------------------------------- media clock (producer)

    /** Queues one frame: {@code a} alone (mono) or {@code a} left / {@code b} right; null is silence. */
    void push(short[] a, short[] b) {
        if (stopRequested) {
            return;
        }
        if (paused) {
            a = null; // REC-1 pause (e.g. a card number read out): silence keeps the file's timeline
            b = null;
        }
        long h = head.get();
        if (h - tail.get() >= SLOTS) {
            droppedFrames++;
            return;
        }
        int slot = (int) (h % SLOTS);
        if (stereo) {
            copy(a, ring, slot * 2 * F);
            copy(b, ring, slot * 2 * F + F);
        } else {
            int off = slot * F;
            if (a != null && b != null) {
                for (int k = 0; k < F; k++) {
                    ring[off + k] = Mixer.sat(a[k] + b[k]);
                }
            } else {
                copy(a != null ? a : b, ring, off);
            }
        }
        head.lazySet(h + 1);
    }

    private static void copy(short[] src, short[] dst, int off) {
        if (src == null) {
            java.util.Arrays.fill(dst, off, off + F, (short) 0);
        } else {
            System.arraycopy(src, 0, dst, off, F);
        }
    }

    // ---------------------------------------------------------------- writer thread (consumer)

    /** Writes queued frames; flushes the header at least every second. Returns true when it is done. */
    boolean drain(boolean closing) {
        if (finished) {
            return true;
        }
        try {
            long t = tail.get();
            long h = head.get();
            while (t < h) {
                int slot = (int) (t % SLOTS);
                if (stereo) {
                    System.arraycopy(ring, slot * 2 * F, left, 0, F);
                    System.arraycopy(ring, slot * 2 * F + F, right, 0, F);
                    writer.writeStereo(left, right, 0, F);
                } else {
                    writer.write(ring, slot * F, F);
                }
                t++;
            }
            tail.lazySet(t);
            duration = writer.duration();
            long now = System.nanoTime();
            if (now - lastFlushNanos > 1_000_000_000L) {
                writer.flush();
                lastFlushNanos = now;
            }
            if (closing || stopRequested) {
                finish();
                return true;
            }
            return false;
        } catch (Exception | Error e) {
            failure = e;
            finish();
            return true;
        }
    }

    private void finish() {
        try {
            String marks = gapComment();
            if (marks != null) {
                writer.comment(marks);
            }
            writer.close();
        } catch (Exception e) {
            if (failure == null) {
                failure = e;
            }
        }
        duration = writer.duration();
        finished = true;
        if (onFinished != null) {
            try {
                onFinished.accept(this);
            } catch (RuntimeException ignored) {
                // the listener posts to a call executor; nothing to do here
            }
        }
    }

    /** The file's note of its paused spans (LIST/INFO ICMT), e.g. "paused 1.240-3.460", or null without any. */
    private String gapComment() {
        List<long[]> g = gaps();
        if (g.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder("paused");
        for (long[] span : g) {
            long end = span[1] < 0 ? head.get() : span[1];
            sb.append(String.format(Locale.ROOT, " %.3f-%.3f", span[0] * 0.02, end * 0.02));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Recorder[" + id + " " + file() + "]";
    }
}
