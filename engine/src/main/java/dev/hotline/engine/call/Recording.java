package dev.hotline.engine.call;

import java.nio.file.Path;
import java.time.Duration;

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

    /** Stops writing until {@link #resume()}: the paused span is left out of the file. */
    void pause();

    void resume();

    void stop();

    boolean finished();
}
