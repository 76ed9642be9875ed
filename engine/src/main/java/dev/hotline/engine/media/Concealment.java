package dev.hotline.engine.media;

/** The packet-loss concealment a {@link JitterBuffer} uses (MEDIA-3). */
public enum Concealment {
    /** Missing frames are silent. */
    NONE {
        @Override
        public Concealer create(int frameSamples) {
            return new Concealer.Silence();
        }
    },
    /** The last frame repeated at 75, 50, 25 %, then silence (the engine's concealment before pitch repetition). */
    FRAME_REPEAT {
        @Override
        public Concealer create(int frameSamples) {
            return new Concealer.FrameRepeat(frameSamples);
        }
    },
    /** Pitch periods repeated after ITU-T G.711 Appendix I ({@link PitchConcealer}): the engine's default. */
    PITCH {
        @Override
        public Concealer create(int frameSamples) {
            PitchConcealer.checkFrame(frameSamples);
            return new PitchConcealer();
        }
    };

    /** A concealer for one stream of frames of {@code frameSamples} samples at 8 kHz. */
    public abstract Concealer create(int frameSamples);
}
