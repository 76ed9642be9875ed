package dev.hotline.engine.call;

/** Channel layout of a call recording. */
public enum RecordMode {
    /** Both directions mixed into one channel. */
    MONO {
        @Override
        public boolean stereo() {
            return false;
        }
    },
    /**
     * Left: what the channel's party says (the caller); right: what it hears (the agent, prompts,
     * music, the conference).
     */
    STEREO {
        @Override
        public boolean stereo() {
            return true;
        }
    };

    public abstract boolean stereo();
}
