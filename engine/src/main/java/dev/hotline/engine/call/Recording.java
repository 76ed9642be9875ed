package dev.hotline.engine.call;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A recording in progress. The file is a complete WAV at all times (its header is rewritten about
 * every second); the end comes as {@link CallEvent.RecordingFinished}, also when the call hangs up
 * or the engine closes.
 */
public interface Recording {
    String id();

    Path path();

    /** Audio written so far. */
    Duration duration();

    /**
     * Writes silence instead of the call until {@link #resume()} (REC-1: a card number read out is not kept), so the
     * file keeps the call's timeline; the span is a {@link Gap}, noted in the file (a LIST/INFO comment
     * "paused FROM-TO ..." in seconds) when it is finished.
     */
    void pause();

    void resume();

    /** Audio queued so far (the file's length once written): where a pause or resume falls. */
    Duration position();

    /** The paused spans so far; {@code to} null while still paused. */
    List<Gap> gaps();

    /** A paused span of the file, from its start. */
    record Gap(Duration from, Duration to) {
    }

    void stop();

    boolean finished();
}
