package dev.hotline.engine.call;

/** A playback started by {@link Channel#play}; its end comes as {@link CallEvent.PlaybackFinished}. */
public interface Playback {
    String id();

    String channelId();

    /** Stops it (no-op when it already ended). */
    void stop();
}
