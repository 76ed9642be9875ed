package dev.hotline.engine.fax;

/** A T.38 / UDPTL packet or a T.30 frame that cannot be read. */
public final class FaxProtocolException extends IllegalArgumentException {
    public FaxProtocolException(String message) {
        super(message);
    }
}
