package dev.hotline.engine.sdp;

/** A session description that the engine cannot accept; the reason goes to the peer (488 + Warning). */
public final class SdpException extends Exception {
    public SdpException(String reason) {
        super(reason);
    }

    public SdpException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
