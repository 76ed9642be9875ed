package dev.hotline.engine.call;

import dev.hotline.engine.media.MixMode;

/** What a supervisor tapping a call does (MEDIA-5). */
public enum TapMode {
    /** Hears both parties; heard by none. */
    LISTEN(MixMode.LISTEN),
    /** Hears both parties; heard by the agent only. */
    WHISPER(MixMode.WHISPER),
    /** Hears both parties; heard by both. */
    BARGE(MixMode.BARGE);

    private final MixMode mixMode;

    TapMode(MixMode mixMode) {
        this.mixMode = mixMode;
    }

    public MixMode mixMode() {
        return mixMode;
    }
}
