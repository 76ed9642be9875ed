package dev.hotline.engine.webrtc;

/** A datagram that is not a well-formed STUN message; the message says which rule it broke. */
public final class StunException extends Exception {
    private static final long serialVersionUID = 1L;

    public StunException(String message) {
        super(message);
    }
}
