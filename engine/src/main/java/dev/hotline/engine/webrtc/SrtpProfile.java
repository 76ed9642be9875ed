package dev.hotline.engine.webrtc;

/**
 * The SRTP protection profiles this package implements, with their DTLS-SRTP identifiers
 * (RFC 5764 §4.1.2). Both use AES-128 counter mode and HMAC-SHA1; they differ in the RTP tag.
 */
public enum SrtpProfile {
    AES128_CM_HMAC_SHA1_80(0x0001, 10),
    AES128_CM_HMAC_SHA1_32(0x0002, 4);

    /** RFC 3711 §8.2 / RFC 5764 §4.1.2: 128-bit master key, 112-bit master salt. */
    public static final int MASTER_KEY_LENGTH = 16;
    public static final int MASTER_SALT_LENGTH = 14;
    /** RFC 5764 §4.1.2: SRTCP always carries an 80-bit tag. */
    public static final int RTCP_TAG_LENGTH = 10;

    private final int id;
    private final int rtpTagLength;

    SrtpProfile(int id, int rtpTagLength) {
        this.id = id;
        this.rtpTagLength = rtpTagLength;
    }

    /** The SRTPProtectionProfile value carried in the use_srtp extension. */
    public int id() {
        return id;
    }

    public int rtpTagLength() {
        return rtpTagLength;
    }

    /** The profile with this use_srtp identifier, or null. */
    public static SrtpProfile byId(int id) {
        for (SrtpProfile p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        return null;
    }
}
