package dev.hotline.engine.webrtc;

/**
 * Tells STUN, DTLS and RTP/RTCP apart on one port by the first byte (RFC 7983 §7), and RTP from
 * RTCP by the second byte when they share the port (RFC 5761 §4).
 */
public final class PacketDemux {
    /** What a datagram on a WebRTC port is. */
    public enum Kind { STUN, ZRTP, DTLS, TURN_CHANNEL, RTP, RTCP, UNKNOWN }

    private PacketDemux() {
    }

    /** RFC 7983 §7: 0-3 STUN, 16-19 ZRTP, 20-63 DTLS, 64-79 TURN channel, 128-191 RTP/RTCP. */
    public static Kind classify(byte[] data, int off, int len) {
        if (len <= 0) {
            return Kind.UNKNOWN;
        }
        int b = data[off] & 0xFF;
        if (b <= 3) {
            return Kind.STUN;
        }
        if (b >= 16 && b <= 19) {
            return Kind.ZRTP;
        }
        if (b >= 20 && b <= 63) {
            return Kind.DTLS;
        }
        if (b >= 64 && b <= 79) {
            return Kind.TURN_CHANNEL;
        }
        if (b >= 128 && b <= 191) {
            return len >= 2 && isRtcpPayloadType(data[off + 1]) ? Kind.RTCP : Kind.RTP;
        }
        return Kind.UNKNOWN;
    }

    /** RFC 5761 §4: RTCP packet types 192-223 occupy the second byte; RTP payload types avoid them. */
    public static boolean isRtcpPayloadType(byte second) {
        int pt = second & 0xFF;
        return pt >= 192 && pt <= 223;
    }
}
