package dev.hotline.engine.call;

/** The server's answer to a {@link CallEvent.TransferRequested}. Call exactly one method once. */
public interface Transfer {
    /** Blind transfer: dial {@code request} for the transferee and bridge it on answer. */
    void accept(DialRequest request);

    /** Attended transfer: bridge the transferee with the channel named in Replaces. */
    void acceptReplaces();

    /** Refuses the transfer (NOTIFY with 603); the call stays as it is. */
    void reject();
}
