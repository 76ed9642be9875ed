package dev.hotline.engine.call;

/** How a DTMF key reached the engine (MEDIA-2). */
public enum DtmfSource {
    /** RFC 4733 telephone-event packets. */
    RFC4733,
    /** A SIP INFO request (application/dtmf-relay or application/dtmf). */
    SIP_INFO,
    /** Tones in the audio, found by the Goertzel detector (peers without telephone-event). */
    INBAND
}
