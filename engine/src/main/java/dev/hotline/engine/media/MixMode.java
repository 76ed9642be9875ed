package dev.hotline.engine.media;

/**
 * How one input of a {@link Mixer} takes part. Every input hears the others that are heard
 * by it; the mode decides who hears this input.
 */
public enum MixMode {
    /** An ordinary participant: heard by everyone else. */
    NORMAL {
        @Override
        public boolean heardBy(int self, int target, int listener) {
            return listener != self;
        }
    },
    /** Muted: hears everyone, heard by none. */
    MUTED,
    /** A supervisor listening in: hears both parties, heard by none. */
    LISTEN,
    /** A supervisor whispering: hears both parties, heard only by the target (the agent). */
    WHISPER {
        @Override
        public boolean heardBy(int self, int target, int listener) {
            return listener == target && listener != self;
        }
    },
    /** A supervisor barging in: hears both parties and heard by both. */
    BARGE {
        @Override
        public boolean heardBy(int self, int target, int listener) {
            return listener != self;
        }
    };

    /** Whether input {@code self} in this mode (with whisper target {@code target}) is heard by {@code listener}. */
    public boolean heardBy(int self, int target, int listener) {
        return false;
    }

    /** Whether this input goes into everyone's mix (but its own). */
    boolean heardByAll() {
        return this == NORMAL || this == BARGE;
    }
}
