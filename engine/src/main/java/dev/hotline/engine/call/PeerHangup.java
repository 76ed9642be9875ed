package dev.hotline.engine.call;

/**
 * What a bridged channel does when its peer hangs up ({@link TelephonyEngine#bridge(Channel, Channel, PeerHangup)}).
 */
public enum PeerHangup {
    /** It ends too (a dialled call's behaviour). */
    FOLLOW,
    /**
     * It stays up, unlinked, and {@link CallEvent.PeerLeft} comes: the server then plays to it, collects its keys and
     * must end it (e.g. a caller kept for a satisfaction survey after the agent hung up).
     */
    STAY
}
