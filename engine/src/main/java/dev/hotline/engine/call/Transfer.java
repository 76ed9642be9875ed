package dev.hotline.engine.call;

/** The server's answer to a {@link CallEvent.TransferRequested}. Call exactly one method once. */
public interface Transfer {
    /** Blind transfer: dial {@code request} for the transferee and bridge it on answer. */
    void accept(DialRequest request);

    /** Attended transfer: bridge the transferee with the channel named in Replaces. */
    void acceptReplaces();

    /**
     * Takes the transferee off the referrer and keeps it, answered and unbridged, for the server to drive (call park:
     * music, then a bridge with whoever picks it up); {@link CallEvent.ChannelUnbridged} comes for the transferee. The
     * referrer is told the transfer succeeded (NOTIFY 200) but stays up, unbridged, so that the server can play to it
     * (the parking slot) before it ends it, or the phone hangs up.
     */
    void keep();

    /** Refuses the transfer (NOTIFY with 603); the call stays as it is. */
    void reject();
}
