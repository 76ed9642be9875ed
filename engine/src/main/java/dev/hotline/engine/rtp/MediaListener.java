package dev.hotline.engine.rtp;

import dev.hotline.engine.dtmf.DtmfDigit;

/**
 * What the media path tells the owner of an endpoint (the call leg). Called on media threads
 * (reactor, clock, recording writer): implementations hand the work to the call's own executor
 * and return at once.
 */
public interface MediaListener {
    /** A key from RFC 4733 telephone-events (reported once per event) or from in-band detection. */
    void onDtmf(DtmfDigit digit, boolean inband);

    /** A playback ended: played to the end ({@code completed}) or stopped/replaced/hung up. */
    void onPlaybackFinished(long playbackId, boolean completed);

    /** A recording of this endpoint is closed on disk. */
    void onRecordingFinished(Recorder recorder);
}
