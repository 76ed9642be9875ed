package dev.hotline.engine.call;

import dev.hotline.engine.media.WavEncoding;

/** File formats of recordings (REC-2): all WAV at 8 kHz. */
public enum RecordFormat {
    /** 16-bit linear PCM, 16 kB/s per channel. */
    PCM(WavEncoding.PCM_16),
    /** G.711 μ-law, 8 kB/s per channel. */
    ULAW(WavEncoding.MULAW),
    /** G.711 A-law, 8 kB/s per channel. */
    ALAW(WavEncoding.ALAW),
    /** GSM 06.10 (WAV49), 1.6 kB/s, mono only. */
    GSM(WavEncoding.GSM_610);

    private final WavEncoding encoding;

    RecordFormat(WavEncoding encoding) {
        this.encoding = encoding;
    }

    public WavEncoding encoding() {
        return encoding;
    }

    /** Whether the format can hold two channels. */
    public boolean supportsStereo() {
        return this != GSM;
    }

    /** The usual file name extension. */
    public String extension() {
        return "wav";
    }
}
