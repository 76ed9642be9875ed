package dev.hotline.engine.sdp;

/** SDP stream direction attribute (RFC 4566 §6, RFC 3264 §6.1 for the answer rules). */
public enum MediaDirection {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    /** The direction an answerer uses for an offer with this direction (RFC 3264 §6.1). */
    public MediaDirection answer() {
        return switch (this) {
            case SENDRECV -> SENDRECV;
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            case INACTIVE -> INACTIVE;
        };
    }

    /** True when this direction means the offerer put the stream on hold (RFC 3264 §8.4). */
    public boolean isHold() {
        return this == SENDONLY || this == INACTIVE;
    }

    public String attribute() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
